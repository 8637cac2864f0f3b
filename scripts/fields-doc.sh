#!/bin/sh
# fields-doc.sh TAPLINE DOC - DOC (docs/fields.md) with its generated
# part renewed: everything after the marker line is the table of every
# field, from `TAPLINE decode -G fields` (the field tables are its one
# source).  Prints the result; `make fields-doc` writes it back and
# tests/fields.sh checks that the committed file is what this prints.
set -eu
tapline=${1:?usage: fields-doc.sh TAPLINE DOC}
doc=${2:?usage: fields-doc.sh TAPLINE DOC}
marker='<!-- generated from the field tables by `make fields-doc`: do not edit below -->'
grep -qxF "$marker" "$doc" || { echo "fields-doc: no marker line in $doc" >&2; exit 1; }
sed "/^$(printf '%s' "$marker" | sed 's/[]\/$*.^[]/\\&/g')\$/q" "$doc"
echo
"$tapline" decode -G protocols | awk -F '\t' '
	BEGIN { print "| protocol | column | also filters as | what |"; print "| --- | --- | --- | --- |" }
	{ printf "| `%s` | %s | %s | %s |\n", $1, $2, $3 == "" ? "" : "`" $3 "`", $4 }'
echo
"$tapline" decode -G fields | awk -F '\t' '
	BEGIN { print "| name | type | protocol | meaning | |"; print "| --- | --- | --- | --- | --- |" }
	{ type = $2; gsub(/\|/, " or ", type); m = $4; gsub(/\|/, "\\|", m)
	  f = $5; gsub(/,/, ", ", f)
	  printf "| `%s` | %s | %s | %s | %s |\n", $1, type, $3, m, f }'
