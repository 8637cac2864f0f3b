#!/bin/sh
# scylla-decode.sh - `tapline decode` on every capture of
# tests/captures/scylla/ against the traffic generator's own logs: each
# frame it sent is a message with its header fields, negotiated features
# and the body values the log names (tests/scylla/decode-compare.awk), in
# order per direction, and nothing else is decoded as Scylla; and the
# same capture with the nodes on another port.
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
plan $(($# + 1))
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

# Found by content, not by port: write-read.pcap with the nodes' port
# 7000 moved to 17123 (TCP ports rewritten in place; tapline does not
# check checksums) decodes to the same lines, the port aside.
perl -e '
	local $/; my $d = <STDIN>; my $o = 24;
	while ($o + 16 <= length $d) {
		my $cap = unpack("V", substr($d, $o + 8, 4));
		my $ip = $o + 16 + 14;
		my $tcp = $ip + 4 * (unpack("C", substr($d, $ip, 1)) & 15);
		for my $p ($tcp, $tcp + 2) {
			substr($d, $p, 2) = pack("n", 17123)
				if unpack("n", substr($d, $p, 2)) == 7000;
		}
		$o += 16 + $cap;
	}
	print $d' <"$dir/write-read.pcap" >"$TMP/moved.pcap"
"$TAPLINE" decode "$dir/write-read.pcap" | sed 's/:7000 /:17123 /g' >"$TMP/at7000"
"$TAPLINE" decode "$TMP/moved.pcap" >"$TMP/at17123"
if [ -s "$TMP/at17123" ] && ! grep -q ':7000 ' "$TMP/at17123" &&
	diff "$TMP/at7000" "$TMP/at17123" >"$TMP/moved.diff"; then
	ok "found on port 17123: the same $(wc -l <"$TMP/at17123") messages"
else
	not_ok "found on port 17123: the same messages"
	sed 's/^/#   /' "$TMP/moved.diff" | head -20
fi
exit $tap_fail
