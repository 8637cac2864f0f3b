#!/bin/sh
# export.sh - tapline export: its command line, and its files read back
# by SQLite's own JSON parser and compared with the timeline, row for
# row and column for column; partitions named after the rows' host and
# hour; a second export replacing the first; a failed export leaving the
# folder as it was.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
ex=$top_srcdir/examples

# ---- command line ----
check "--help exits 0 and names the layout" sh -c \
	'"$TAPLINE" export --help >"$0" && grep -q "host=HOST/hour=" "$0"' "$TMP/help"
check "the program lists export" sh -c '"$TAPLINE" --help | grep -q "^  export "'
check "no -o is a usage error (2)" sh -c \
	'"$TAPLINE" export x.db 2>"$0"; test $? -eq 2 && grep -q "where to" "$0"' "$TMP/err"
check "no timeline is a usage error (2)" sh -c \
	'"$TAPLINE" export -o "$0/out" 2>"$0/err"; test $? -eq 2 &&
	 grep -q "which timeline" "$0/err" && test ! -e "$0/out"' "$TMP"
check "-f parquet is a usage error (2) that says how" sh -c \
	'"$TAPLINE" export -f parquet -o "$0/out" x.db 2>"$0/err"; test $? -eq 2 &&
	 grep -q "only ndjson" "$0/err"' "$TMP"

for s in auth-failure mount-failure gfapi-utimens; do
	"$TAPLINE" correlate -q -o "$TMP/$s.db" "$ex/$s.pcap" "$ex/$s.rec" ||
		not_ok "correlate $s"
done
mkdir -p "$TMP/elsewhere"
cp "$TMP/auth-failure.db" "$TMP/elsewhere/auth-failure.db"
check "two timelines of one name: usage error (2), nothing written" sh -c \
	'"$TAPLINE" export -o "$0/out" "$0/auth-failure.db" "$0/elsewhere/auth-failure.db" 2>"$0/err";
	 test $? -eq 2 && grep -q "two timelines named" "$0/err" && test ! -e "$0/out"' "$TMP"
check "a missing timeline: exit 1, named; the others are exported" sh -c \
	'"$TAPLINE" export -o "$0/out1" "$0/nope.db" "$0/mount-failure.db" 2>"$0/err";
	 test $? -eq 1 && grep -q "nope.db" "$0/err" && test ! -e "$0/nope.db" &&
	 test -s "$0/out1/inputs/mount-failure.ndjson" && ! test -e "$0/out1/inputs/nope.ndjson"' "$TMP"
sqlite3 "$TMP/other.db" "CREATE TABLE t (x)"
check "an SQLite database that is no timeline: exit 1, said" sh -c \
	'"$TAPLINE" export -o "$0/out2" "$0/other.db" 2>"$0/err"; test $? -eq 1 &&
	 grep -q "not a tapline timeline" "$0/err"' "$TMP"

# ---- the files against the timeline ----
out=$TMP/export
check "export three timelines: exit 0, nothing on stderr" sh -c \
	'"$TAPLINE" export -o "$0" "$1/auth-failure.db" "$1/mount-failure.db" \
	 "$1/gfapi-utimens.db" 2>"$1/err" && test ! -s "$1/err"' "$out" "$TMP"
check "no file left aside (.partial)" sh -c '! find "$0" -name "*.partial" | grep -q .' "$out"

# back TABLE NAME: every row of TABLE in NAME's files, as JSON text.
back() {
	find "$out/$1" -name "$2.ndjson" -exec cat {} + >"$TMP/back.ndjson"
}
for s in auth-failure mount-failure gfapi-utimens; do
	for t in inputs record_sessions clock_offsets conversations messages probe_events links; do
		back "$t" "$s"
		key="t.id = json_extract(b.line, '\$.id')"
		[ "$t" = clock_offsets ] && key="t.input = json_extract(b.line, '\$.input') AND t.reference = json_extract(b.line, '\$.reference')"
		# Each column of the table, read by SQLite's JSON parser from
		# the file, IS the timeline's value (NULL, integer, real, text).
		# (A message's body is its JSON, rendered from the record where
		# the row keeps one: the record itself is not exported.)
		same=$(sqlite3 "$TMP/$s.db" "SELECT group_concat(
			'json_extract(b.line, ''\$.' || name || ''') IS ' ||
			CASE WHEN '$t' = 'messages' AND name = 'body'
			     THEN 'coalesce(t.body, tapline_body(t.id))'
			     ELSE 't.\"' || name || '\"' END, ' AND ')
			FROM pragma_table_info('$t')
			WHERE NOT ('$t' = 'probe_events' AND name = 'host')
			  AND NOT ('$t' = 'messages' AND name IN ('wire', 'wire_dictionary'))")
		counts=$(sqlite3 "$TMP/$s.db" "
			CREATE TEMP TABLE b AS SELECT value AS line FROM json_each(
				'[' || replace(rtrim(CAST(readfile('$TMP/back.ndjson') AS TEXT),
					char(10)), char(10), ',') || ']');
			SELECT (SELECT count(*) FROM $t),
			       (SELECT count(*) FROM b),
			       (SELECT count(*) FROM b JOIN $t t ON $key AND $same
				 AND json_extract(b.line, '\$.timeline') = '$s')")
		set -- $(echo "$counts" | tr '|' ' ')
		if [ "${1:-x}" = "${2:-y}" ] && [ "$1" = "${3:-z}" ]; then
			ok "$s $t: $1 rows, every column as in the timeline"
		else
			not_ok "$s $t: timeline $1 rows, file $2, equal $3"
		fi
	done
done

# Partitions: each row in the folder of its hour (UTC) and of its host,
# for a probe event its own (the host is the folder's, not a column).
bad=$(for f in $(find "$out/messages" "$out/probe_events" "$out/conversations" "$out/links" -name '*.ndjson'); do
	dir=$(dirname "$f"); hour=${dir##*/hour=}; host=${dir%/hour=*}; host=${host##*/host=}
	event_host=NULL
	case $f in */probe_events/*) event_host="(SELECT e.host FROM probe_events e
		WHERE e.id = json_extract(value, '\$.id'))" ;; esac
	sqlite3 "$TMP/$(basename "$f" .ndjson).db" "SELECT count(*) FROM json_each('[' ||
		replace(rtrim(CAST(readfile('$f') AS TEXT), char(10)), char(10), ',') || ']')
		WHERE json_type(value, '\$.host') IS NOT NULL
		   OR coalesce($event_host, '$host') IS NOT '$host'
		   OR strftime('%Y-%m-%dT%H', json_extract(value, '\$.aligned_ts_ns') / 1000000000,
			'unixepoch') IS NOT '$hour'"
done | awk '{ n += $1 } END { print n + 0 }')
[ "$bad" = 0 ] && ok "every row is in its host's and hour's folder, without a host column" ||
	not_ok "$bad rows outside their host's or hour's folder"
# The records say host=vm; the captures say none, so they take it too.
check "the records' host names the captures' partitions" sh -c \
	'test -d "$0/messages/host=vm" && test "$(ls "$0/messages")" = "host=vm"' "$out"
"$TAPLINE" correlate -q -o "$TMP/wire-only.db" "$ex/mount-failure.pcap"
check "a timeline without records: its own name is the host" sh -c \
	'"$TAPLINE" export -o "$0" "$1/wire-only.db" && test -s "$0/messages/host=wire-only/hour=2026-11-21T22/wire-only.ndjson"' \
	"$TMP/wo" "$TMP"
check "--host names it" sh -c \
	'"$TAPLINE" export --host brick-1 -o "$0" "$1/wire-only.db" &&
	 test -s "$0/messages/host=brick-1/hour=2026-11-21T22/wire-only.ndjson" &&
	 ! test -e "$0/messages/host=wire-only/hour=2026-11-21T22/wire-only.ndjson"' \
	"$TMP/wo" "$TMP"

# ---- again, and failing ----
lines() { find "$out" -name '*.ndjson' -exec cat {} + | wc -l; }
before=$(lines)
"$TAPLINE" export -o "$out" "$TMP/gfapi-utimens.db"
[ "$(lines)" = "$before" ] && ok "exporting a timeline again replaces its files ($before lines in all)" ||
	not_ok "after a second export: $(lines) lines, $before before"
rm -rf "$out/links"; : >"$out/links"	# a file where a folder must be
sum_before=$(find "$out" -type f | sort | xargs cat | sha256sum)
rc=0
"$TAPLINE" export -o "$out" "$TMP/auth-failure.db" 2>"$TMP/err" || rc=$?
[ "$rc" = 1 ] && grep -q "links" "$TMP/err" &&
	[ "$(find "$out" -type f | sort | xargs cat | sha256sum)" = "$sum_before" ] &&
	! find "$out" -name '*.partial' | grep -q . &&
	ok "a failed export (exit 1, said) leaves the folder as it was" ||
	not_ok "failed export: exit $rc, $(cat "$TMP/err")"

done_testing
