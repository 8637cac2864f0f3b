#!/bin/sh
# scylla-decode.sh - `tapline decode` on every capture of
# tests/captures/scylla/ against the traffic generator's own logs: each
# frame it sent is a message with its header fields, negotiated features
# and the body values the log names (tests/scylla/decode-compare.awk), in
# order per direction, and nothing else is decoded as Scylla.
#
# The captures are real loopback TCP between processes playing ScyllaDB
# nodes; the bytes are built from the spec, since no ScyllaDB server is
# installable here (docs/scylla.md).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
dir="$top_srcdir/tests/captures/scylla"
set -- "$dir"/*.pcap
[ -f "$1" ] || skip_all "no captures in $dir"
# the -e list is decode-compare.awk's FIELDS
fields=$(sed -n '/FIELDS = /,/tapline.verdict"/p' \
	"$top_srcdir/tests/scylla/decode-compare.awk" |
	tr -d '"\\' | sed 's/FIELDS =//' | tr -s ' \t\n' ' ')
args=""
for f in $fields; do args="$args -e $f"; done
plan $#
for cap in "$@"; do
	name=$(basename "$cap" .pcap)
	# shellcheck disable=SC2086
	"$TAPLINE" decode -Y scylla -T fields $args "$cap" >"$TMP/$name.tsv"
	if awk -f "$top_srcdir/tests/scylla/decode-compare.awk" \
		"$TMP/$name.tsv" "$dir/$name.log" >"$TMP/$name.cmp"; then
		ok "$name: $(tail -1 "$TMP/$name.cmp")"
	else
		not_ok "$name: decoded as sent"
		sed 's/^/#   /' "$TMP/$name.cmp" | head -30
	fi
done
exit $tap_fail
