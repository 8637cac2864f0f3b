#!/bin/sh
# bench/cql-bench.sh - CQL decode speed and memory, as ratios measured in
# the same run (never a timed test):
#
#   1. builds a large capture (BENCH_SIZE bytes, default 512 MiB) by
#      multiplying the lab's real Cassandra capture (tests/captures/cql/
#      cql-v3.pcap: the driver's control and data connections, every type,
#      prepared statements, paging) with fresh addresses and client ports
#      (bench/multiply; into the build dir, never committed);
#   2. times over that same file, with /usr/bin/time -v:
#        bare     a bare pcap_next_ex loop (bench/decode_bench --bare)
#        header   `tapline decode -T fields -e cql.stream -e cql.opcode`
#                 (no column reads a body: the decoder runs header-only)
#        body     `tapline decode -T fields -e cql.cell` (every body and
#                 every cell formatted)
#        summary  `tapline decode` (the summary lines)
#        tshark   `tshark -T fields -e cql.stream -e cql.opcode` on
#                 BENCH_TSHARK_SIZE bytes, compared per byte
#   3. reports CPU time, peak RSS and the ratios against the bare loop
#      (target: header >= 0.5x, RSS <= 64 MiB);
#   4. the peak RSS of `tapline decode -q` on a hostile capture
#      (BENCH_HOSTILE_CONNS connections, default 20000, each leaving 200
#      requests unanswered and half of a 1 MiB body buffered).
#
# Environment: BENCH_SIZE, BENCH_TSHARK_SIZE (default 64 MiB),
# BENCH_HOSTILE_CONNS (0 skips), BENCH_KEEP=1 keeps the files.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
size=${BENCH_SIZE:-536870912}
tsize=${BENCH_TSHARK_SIZE:-67108864}
conns=${BENCH_HOSTILE_CONNS:-20000}
work="$top_builddir/bench/work-cql"
bench="$top_builddir/bench/decode_bench"
multiply="$top_builddir/bench/multiply"
tapline="$top_builddir/tapline"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "cql-bench: needs GNU time (apt-get install time)" >&2; exit 1; }
[ -x "$bench" ] && [ -x "$multiply" ] || { echo "cql-bench: build first (make bench)" >&2; exit 1; }
mkdir -p "$work"
input="$top_srcdir/tests/captures/cql/cql-v3.pcap"
big="$work/big.pcap"
[ -f "$big" ] && [ "$(cat "$work/big.source" 2>/dev/null)" = "$input $size" ] || {
	"$multiply" "$input" "$big" "$size" >/dev/null
	echo "$input $size" >"$work/big.source"
}
"$multiply" "$input" "$work/tshark.pcap" "$tsize" >/dev/null
cat "$big" >/dev/null

run() {
	name=$1; shift
	"$TIME" -v -o "$work/$name.time" "$@" >/dev/null 2>"$work/$name.err" || {
		echo "cql-bench: $name failed:"; cat "$work/$name.err"; exit 1; }
	cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$work/$name.time")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
	eval "cpu_$name=$cpu rss_$name=$rss"
}
run bare "$bench" --bare "$big"
run header "$tapline" decode -T fields -e cql.stream -e cql.opcode "$big"
run body "$tapline" decode -T fields -e cql.cell "$big"
run summary "$tapline" decode "$big"
if command -v tshark >/dev/null; then
	run tshark tshark -r "$work/tshark.pcap" -T fields -e cql.stream -e cql.opcode
fi
bytes=$(wc -c <"$big")
echo "== $bytes bytes from $(basename "$input")"
for n in bare header body summary; do
	eval "c=\$cpu_$n r=\$rss_$n"
	awk -v n="$n" -v c="$c" -v b="$cpu_bare" -v r="$r" \
		'BEGIN { printf "%-8s %6.2f s CPU  %5.2fx the bare loop  peak RSS %5.1f MiB\n", n, c, (c > 0 ? b / c : 0), r / 1024 }'
done
if [ -n "${cpu_tshark:-}" ]; then
	awk -v c="$cpu_tshark" -v t="$tsize" -v h="$cpu_header" -v b="$bytes" \
		'BEGIN { printf "tshark   %6.2f s CPU for %d bytes: %.1fx slower per byte than header\n", c, t, (c / t) / (h / b) }'
fi
status=0
awk -v h="$cpu_header" -v b="$cpu_bare" 'BEGIN { exit !(b / h >= 0.5) }' || { echo "cql-bench: header below 0.5x"; status=1; }
for n in header body summary; do
	eval "r=\$rss_$n"
	[ "$r" -le 65536 ] || { echo "cql-bench: $n peak RSS above 64 MiB"; status=1; }
done
if [ "$conns" -gt 0 ]; then
	python3 - "$work/hostile.pcap" "$conns" <<'EOF'
import struct, sys
path, n = sys.argv[1], int(sys.argv[2])
def pkt(t, src, dst, sp, dp, seq, ack, flags, payload):
    tcp = struct.pack('>HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0)
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 40 + len(payload), 0, 0, 64, 6, 0, src, dst)
    d = ip + tcp + payload
    return struct.pack('<IIII', t, 0, len(d), len(d)) + d
out = open(path, 'wb')
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
opt = b'\x00\x01\x00\x0bCQL_VERSION\x00\x053.0.0'
startup = bytes([4, 0, 0, 0, 1]) + struct.pack('>I', len(opt)) + opt
ready = bytes([0x84, 0, 0, 0, 2, 0, 0, 0, 0])
q = b'SELECT * FROM t'
body = struct.pack('>I', len(q)) + q + b'\x00\x01\x00'
reqs = b''.join(bytes([4, 0]) + struct.pack('>h', i) + b'\x07' + struct.pack('>I', len(body)) + body
                for i in range(200))
big = bytes([4, 0, 0x7f, 0, 7]) + struct.pack('>I', 1 << 20) + b'x' * 30000
for c in range(n):
    cli, srv = bytes([10, 1, c >> 8 & 255, c & 255]), bytes([10, 2, 0, 1])
    sp, cs, ss = 1024 + c % 60000, 1000, 5000
    for p in (pkt(c, cli, srv, sp, 9042, cs - 1, 0, 2, b''), pkt(c, srv, cli, 9042, sp, ss - 1, cs, 0x12, b'')):
        out.write(p)
    for src, payload in ((1, startup), (0, ready), (1, reqs), (1, big)):
        if src:
            out.write(pkt(c, cli, srv, sp, 9042, cs, ss, 0x18, payload)); cs += len(payload)
        else:
            out.write(pkt(c, srv, cli, 9042, sp, ss, cs, 0x18, payload)); ss += len(payload)
EOF
	run hostile "$tapline" decode -q "$work/hostile.pcap"
	awk -v r="$rss_hostile" -v n="$conns" \
		'BEGIN { printf "hostile  %d connections x 200 unanswered + 30 KB of a 1 MiB body: peak RSS %.1f MiB\n", n, r / 1024 }'
	[ "$rss_hostile" -le 65536 ] || { echo "cql-bench: hostile peak RSS above 64 MiB"; status=1; }
fi
[ -n "${BENCH_KEEP:-}" ] || rm -f "$big" "$work/tshark.pcap" "$work/hostile.pcap" "$work/big.source"
exit $status
