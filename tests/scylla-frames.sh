#!/bin/sh
# scylla-frames.sh - the ScyllaDB RPC framing layer against the traffic
# generator's own logs: every frame scylla-gen logged it sent (kind,
# verb, msg id, timeout, handler duration, length, compression, wire
# bytes, negotiated features) must be found in its capture, in order,
# per direction, and nothing else; with tshark, also in the capture frame
# that carried its last byte (log-frames.awk places each logged frame
# from tshark's segment table: an independent reassembly).
#
# The captures (tests/captures/scylla/) are real loopback TCP between
# processes playing ScyllaDB nodes; the bytes are built from the spec,
# since no ScyllaDB server is installable here (docs/scylla.md).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
frames="$top_builddir/tests/scylla/scylla_frames"
[ -x "$frames" ] || skip_all "tests/scylla/scylla_frames not built"
dir="$top_srcdir/tests/captures/scylla"
set -- "$dir"/*.pcap
[ -f "$1" ] || skip_all "no captures in $dir"
have_tshark=no
command -v tshark >/dev/null 2>&1 && have_tshark=yes
plan $(( $# * 2 + 2 ))
for cap in "$@"; do
	name=$(basename "$cap" .pcap)
	log="$dir/$name.log"
	"$frames" "$cap" >"$TMP/$name.found" 2>"$TMP/$name.err"
	check "$name: read without errors" test ! -s "$TMP/$name.err"
	set --
	if [ $have_tshark = yes ]; then
		tshark -r "$cap" -Y 'tcp.len > 0' -T fields -e frame.number \
			-e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport \
			-e tcp.seq -e tcp.len >"$TMP/$name.seg" 2>/dev/null
		awk -f "$top_srcdir/tests/scylla/log-frames.awk" \
			"$TMP/$name.seg" "$log" >"$TMP/$name.map"
		set -- "$TMP/$name.map"
	fi
	if awk -f "$top_srcdir/tests/scylla/words.awk" \
		-f "$top_srcdir/tests/scylla/log-compare.awk" \
		"$TMP/$name.found" "$log" "$@" >"$TMP/$name.cmp"; then
		ok "$name: $(tail -1 "$TMP/$name.cmp")"
	else
		not_ok "$name: every logged frame found as sent"
		sed 's/^/#   /' "$TMP/$name.cmp" | head -30
	fi
done
# Cut short inside the 80 KiB LZ4_FRAGMENTED frame: the frames before
# the cut, that one handed over truncated (not malformed).
head -c 50000 "$dir/lz4.pcap" >"$TMP/cut.pcap"
"$frames" "$TMP/cut.pcap" >"$TMP/cut.found" 2>/dev/null || true
check "lz4 cut inside its big frame: that frame truncated, not malformed" \
	sh -c "grep 'len=82191\\|wire=81434' '$TMP/cut.found' | grep -q truncated &&
	       ! grep -q malformed '$TMP/cut.found'"
# A tiny keep limit: bodies elided, framing intact.
"$frames" --keep 16 "$dir/lz4.pcap" >"$TMP/keep.found"
check "lz4 with 16 bytes kept per frame: the same frames, bodies elided" \
	sh -c "grep -c . '$TMP/keep.found' | grep -qx \$(grep -c . '$TMP/lz4.found') &&
	       grep -q 'verb=1 msg_id=2 timeout=2000 len=82191' '$TMP/keep.found'"
exit $tap_fail
