#!/bin/sh
# fields.sh - the field tables are the one source of field names: every
# field the decoders emit on every lab capture and every capture of the
# fuzz corpora has its definition in a registered table, with that
# definition's kind (tests/unit/fields_test); docs/fields.md lists what
# the tables hold (scripts/fields-doc.sh, `make fields-doc`); -G fields
# lists every name -e and -Y accept.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

check_prog="$top_builddir/tests/unit/fields_test"
[ -x "$check_prog" ] || skip_all "fields_test not built"
"$check_prog" "$top_srcdir/tests/captures" "$top_srcdir/tests/gluster/captures" \
	"$top_srcdir/tests/fuzz/corpus/pcap" \
	"$top_srcdir/tests/fuzz/corpus/decode_output" >"$TMP/tap" || true
n=0
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok [0-9]* - }" ;;
	"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
	esac
	n=$((n + 1))
done <"$TMP/tap"

check "docs/fields.md is what the tables say (make fields-doc)" sh -c \
	'"$1/scripts/fields-doc.sh" "$2" "$1/docs/fields.md" >"$3/doc" &&
	 diff -u "$1/docs/fields.md" "$3/doc"' _ "$top_srcdir" "$TAPLINE" "$TMP"

# every -G name is accepted by -e and -Y, and nothing else with a dot
"$TAPLINE" decode -G fields | cut -f1 >"$TMP/names"
bad=""
while IFS= read -r name; do
	"$TAPLINE" decode -e "$name" -Y "$name" /dev/null >/dev/null 2>"$TMP/err" || true
	grep -q "not a field name" "$TMP/err" && bad="$bad $name"
done <"$TMP/names"
check "-e and -Y accept each of the $(wc -l <"$TMP/names") names -G fields lists" \
	test -z "$bad"

# every value name -G values lists is one -Y takes for its field (one
# filter of them all: the compiler stops at the first it refuses, and
# names it)
"$TAPLINE" decode -G values >"$TMP/values"
awk -F'\t' '$3 ~ /^[A-Za-z0-9_]+$/ { printf "%s%s == %s", n++ ? " || " : "", $1, $3 }' \
	"$TMP/values" >"$TMP/all-values"
bad=""
"$TAPLINE" decode -Y "$(cat "$TMP/all-values")" "$top_srcdir/tests/captures/gfapi-utimens.pcap" \
	>/dev/null 2>"$TMP/err" || bad=$(head -c 300 "$TMP/err")
check "-Y takes each of the $(wc -l <"$TMP/values") value names -G values lists (procedures of every program, message types, ...)" \
	test -z "$bad"
[ -z "$bad" ] || diag "refused: $bad"
grep -q '^glusterfs.proc	38	SETATTR$' "$TMP/values" &&
	grep -q '^rpc.procedure	1	SETVOLUME$' "$TMP/values" &&
	ok "-G values names the procedures of the ONC-RPC programs (glusterfs.proc 38 SETATTR, rpc.procedure 1 SETVOLUME)" ||
	not_ok "-G values lacks the procedures of the programs"
done_testing
