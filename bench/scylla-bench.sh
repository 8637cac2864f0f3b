#!/bin/sh
# bench/scylla-bench.sh - ScyllaDB inter-node RPC decoding speed and
# memory, as ratios measured in the same run (never a timed test):
#
#   1. merges the generator's captures (tests/captures/scylla: writes,
#      reads, LWT, gossip, a stream, exceptions, LZ4 and LZ4_FRAGMENTED,
#      the pre-2023 layout) and multiplies their connections with fresh
#      addresses and ports (bench/multiply) to BENCH_SIZE bytes (default
#      512 MiB; into the build dir, never committed);
#   2. times, over that same file, with /usr/bin/time -v:
#        bare     a bare pcap_next_ex loop (bench/decode_bench --bare)
#        tapline  `tapline decode -T fields -e scylla.msg_id` (headers:
#                 what a column of ids needs; bodies are not read)
#        body     `... -e scylla.mut.table_id` (every body read)
#        summary  `tapline decode` (the summary lines)
#        tshark   `tshark -d tcp.port==7000,scylla -T fields
#                 -e scylla.msg_id` on the first BENCH_TSHARK_SIZE bytes
#   3. reports the ratios against the targets: >= 0.5x the bare loop
#      (tapline), peak RSS <= 64 MiB;
#   4. the peak RSS of `tapline decode -q` on Scylla-shaped hostile
#      captures (tests/scylla/scylla_hostile: thousands of connections
#      each inside a 1 MB frame, or with requests never answered, or
#      sending bytes no frame starts in).
#
# Environment: BENCH_SIZE, BENCH_TSHARK_SIZE (default 64 MiB),
# BENCH_HOSTILE_CONNS (default 20000; 0 skips step 4), BENCH_KEEP=1.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
TAPLINE=${TAPLINE:-$top_builddir/tapline}
size=${BENCH_SIZE:-536870912}
work="$top_builddir/bench/work-scylla"
bench="$top_builddir/bench/decode_bench"
multiply="$top_builddir/bench/multiply"
hostile="$top_builddir/tests/scylla/scylla_hostile"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "scylla-bench: needs GNU time (apt-get install time)" >&2; exit 1; }
[ -x "$bench" ] && [ -x "$multiply" ] || { echo "scylla-bench: build first (make bench-scylla)" >&2; exit 1; }
command -v mergecap >/dev/null || { echo "scylla-bench: needs mergecap (tshark's package)" >&2; exit 1; }
mkdir -p "$work"

caps="$top_srcdir/tests/captures/scylla"
mergecap -F pcap -w "$work/input.pcap" "$caps/write-read.pcap" \
	"$caps/lwt.pcap" "$caps/gossip.pcap" "$caps/stream.pcap" \
	"$caps/lz4.pcap" "$caps/exception.pcap" "$caps/classic.pcap"
big="$work/big.pcap"
"$multiply" "$work/input.pcap" "$big" "$size"
bytes=$(wc -c <"$big")
cat "$big" >/dev/null	# the same page-cache state for every reader

run() {
	name=$1; shift
	"$TIME" -v -o "$work/$name.time" "$@" >/dev/null 2>"$work/$name.err" || {
		echo "scylla-bench: $name failed:"; cat "$work/$name.err"; exit 1; }
	cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$work/$name.time")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
	eval "cpu_$name=$cpu rss_$name=$rss"
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.001; printf "%.1f", b / s / 1048576 }'; }

run bare "$bench" --bare "$big"
run tapline "$TAPLINE" decode -T fields -e scylla.msg_id "$big"
run body "$TAPLINE" decode -T fields -e scylla.msg_id -e scylla.mut.table_id "$big"
run summary "$TAPLINE" decode "$big"
tshark_bytes=${BENCH_TSHARK_SIZE:-67108864}
[ "$tshark_bytes" -le "$bytes" ] || tshark_bytes=$bytes
"$multiply" "$work/input.pcap" "$work/tshark.pcap" "$tshark_bytes" 2>/dev/null
tshark_bytes=$(wc -c <"$work/tshark.pcap")
run tshark tshark -r "$work/tshark.pcap" -n -d tcp.port==7000,scylla \
	-T fields -e scylla.msg_id

echo "capture: $big ($bytes bytes)"
printf '%-8s %8s %12s %8s  %s\n' reader "cpu s" "MiB/s (cpu)" "RSS MiB" command
for r in bare tapline body summary; do
	eval "c=\$cpu_$r k=\$rss_$r"
	printf '%-8s %8s %12s %8d  %s\n' $r "$c" "$(mbps "$bytes" "$c")" $((k / 1024)) \
		"$(sed -n 's/.*Command being timed: "\(.*\)"/\1/p' "$work/$r.time" | cut -c1-60)"
done
printf '%-8s %8s %12s %8d  %s\n' tshark "$cpu_tshark" "$(mbps "$tshark_bytes" "$cpu_tshark")" \
	$((rss_tshark / 1024)) "tshark -T fields -e scylla.msg_id ($tshark_bytes bytes)"
awk -v a="$(mbps "$bytes" "$cpu_tapline")" -v b="$(mbps "$bytes" "$cpu_bare")" \
    -v y="$(mbps "$bytes" "$cpu_body")" -v s="$(mbps "$bytes" "$cpu_summary")" \
    -v t="$(mbps "$tshark_bytes" "$cpu_tshark")" -v rss="$rss_tapline" \
    -v rb="$rss_body" -v rs="$rss_summary" 'BEGIN {
	printf "\ntapline vs bare loop: %5.2fx (target >= 0.5x) %s\n", a / b, (a / b >= 0.5 ? "met" : "MISSED")
	printf "every body read vs bare loop: %.2fx; summary lines: %.2fx\n", y / b, s / b
	printf "tapline vs tshark: %.1fx\n", a / t
	m = rss; if (rb > m) m = rb; if (rs > m) m = rs
	printf "peak RSS: %.1f MiB (target <= 64) %s\n", m / 1024, (m / 1024 <= 64 ? "met" : "MISSED")
}'
[ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$big" "$work/tshark.pcap" "$work/input.pcap"

conns=${BENCH_HOSTILE_CONNS:-20000}
if [ -x "$hostile" ] && [ "$conns" -gt 0 ]; then
	echo
	worst=0
	for shape in big-frame unanswered junk; do
		"$hostile" "$work/hostile.pcap" "$shape" "$conns"
		run hostile "$TAPLINE" decode -q "$work/hostile.pcap"
		[ "$rss_hostile" -le "$worst" ] || worst=$rss_hostile
		printf 'hostile %-10s %6d connections %5d MiB: peak RSS %6.1f MiB\n' "$shape" "$conns" \
			$(($(wc -c <"$work/hostile.pcap") / 1048576)) \
			"$(awk -v k="$rss_hostile" 'BEGIN { print k / 1024 }')"
		rm -f "$work/hostile.pcap"
	done
	awk -v k="$worst" 'BEGIN { printf "hostile peak RSS: %.1f MiB (target <= 64) %s\n",
		k / 1024, (k / 1024 <= 64 ? "met" : "MISSED") }'
fi
