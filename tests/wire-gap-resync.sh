#!/bin/sh
# Resync on real traffic: each lab capture with one data segment removed
# (editcap) must show the gap once, and ONC-RPC decoding must go on
# after it, finding at least every RPC message tshark finds in the same
# damaged file.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
bench="$top_builddir/bench/decode_bench"
[ -x "$bench" ] || skip_all "bench/decode_bench not built"
command -v tshark >/dev/null || skip_all "tshark not installed"
command -v editcap >/dev/null || skip_all "editcap not installed"
found=0
for c in "$top_srcdir"/tests/captures/*.pcap; do
	[ -f "$c" ] || continue
	found=1
	name=$(basename "$c" .pcap)
	# the 5th data segment of a connection whose start was captured
	n=$(tshark -r "$c" -n -Y 'tcp.len > 0 && tcp.seq > 1' -T fields -e frame.number 2>/dev/null | sed -n 5p)
	[ -n "$n" ] || { skip "$name: too few data segments"; continue; }
	editcap "$c" "$TMP/lost.pcap" "$n"
	want=$(tshark -r "$TMP/lost.pcap" -n -Y rpc -T fields -e rpc.xid 2>/dev/null | tr ',' '\n' | grep -c . || true)
	"$bench" --stats "$TMP/lost.pcap" >/dev/null 2>"$TMP/stats"
	got=$(awk '/^messages /{ print $2 }' "$TMP/stats")
	gaps=$(awk '/^tcp_gaps /{ print $2 }' "$TMP/stats")
	if [ "$gaps" -eq 1 ] && [ "$got" -ge "$want" ]; then
		ok "$name without frame $n: 1 gap, $got RPC messages (tshark $want)"
	else
		not_ok "$name without frame $n: $gaps gaps, $got RPC messages (tshark $want)"
	fi
done
[ "$found" = 1 ] || skip_all "no lab captures"
done_testing
