#!/bin/sh
# bench/decode-bench.sh - decode speed and memory, as ratios measured in
# the same run (never a timed test):
#
#   1. builds a large capture (BENCH_SIZE bytes, default 1 GiB) by
#      multiplying a real lab capture's connections with fresh addresses
#      and client ports (bench/multiply; into the build dir, never
#      committed);
#   2. times, over that same file, with /usr/bin/time -v:
#        bare     a bare pcap_next_ex loop (bench/decode_bench --bare)
#        wire     capture, link, IP, TCP and reassembly, no protocol
#        tapline  `tapline decode -T fields -e FIELD` (BENCH_FIELD,
#                 default rpc.xid) when the decode command exists, else
#                 bench/decode_bench --fields (the same decoder with an
#                 rpc.xid-printing consumer)
#        body     `tapline decode -T fields -e FIELD -e BODY_FIELD`
#                 (BENCH_BODY_FIELD, default gluster.op_errno; shown,
#                 not a target: see below)
#        stored   the same with `-e STORED_FIELD` (BENCH_STORED_FIELD,
#                 default glusterfs.bname): a stored field makes the
#                 decoder keep every field, where derived columns alone
#                 (rpc.xid, gluster.op_errno) let it count them
#        summary  `tapline decode` (the default summary lines; shown,
#                 not a target)
#        tshark   `tshark -T fields -e FIELD`
#   3. reports throughput, CPU time, peak RSS and the ratios against the
#      targets: >= 50x tshark, >= 0.5x the bare loop, RSS <= 64 MiB;
#      the targets are judged on the same command as tshark's, which
#      tapline runs header-only: no column reads a body, so no body is
#      decoded (tests/decode-header-only.sh proves the output the same).
#      The "body" run decodes every body (gluster.op_errno is in the
#      replies' bodies, ceph.msg.osd_opreply.result in OSD_OPREPLY's),
#      "stored" keeps every field of them too, "summary" formats the
#      summary lines and "json" writes `-T json`:
#      their ratios are printed beside, so nobody mistakes one for the
#      other.  Classic pcap files are read in place (src/wire/pcap_file.c),
#      not by pcap_next_ex, hence "wire" can beat the bare loop;
#   4. the peak RSS of `tapline decode -q` on five hostile captures
#      (bench/hostile: BENCH_HOSTILE_CONNS connections, default 200000,
#      each holding bytes behind a hole, or hunting for a record; 1/40 as
#      many each 60 KB into a 1 MB record; 1000 connections x 6200 calls
#      that no reply answers (286 MB); 16384 connections x 64 calls, each
#      behind a sequence-number jump).  0 skips it.
#
# Measured (2026-11-22, 2 cores, quiet; `make bench`, 1 GiB from
# samba.pcap): bare 0.40 s CPU, wire 0.36 s, tapline 0.67 s (0.60x the bare
# loop; 0.64x in an earlier run), body 1.09 s (0.37x), summary 1.46 s
# (0.27x), tshark 242.6x slower per byte; peak RSS 9.4 MiB, hostile shapes
# 36.8-50.3 MiB.
# With the decoder's memory budget (2026-12-06, 2 cores shared, load 14;
# median CPU of 6 alternating runs, this and the generic core before it
# on one 1 GiB file): tapline 0.97x the bare loop (0.99x before), body
# 0.64x (0.55x), summary 0.46x (0.45x): within the noise of that machine
# (callgrind on 64 MiB: +1.4% instructions header-only, +0.9% every body
# decoded, +0.6% summary).  Hostile peak RSS 25.8-46.5 MiB (unanswered
# 1000 x 6200: 638 MiB before, seqjump 16384 x 64: 112 MiB).
# The lab's metadata load (2026-12-06, 2 cores, quiet;
# tests/lab/metadata-load.sh OUT 13000: 4 libgfapi threads, 266 MB;
# `BENCH_INPUT=OUT/load.pcap BENCH_SIZE=536870912
# BENCH_TSHARK_SIZE=33554432 BENCH_HOSTILE_CONNS=0`, 627,394 messages):
# bare 0.22 s CPU, tapline 0.13 s (1.69x the bare loop), body 0.39 s
# (0.56x), summary 0.52 s (0.42x), tshark 124x slower per byte; peak RSS
# 7.8 MiB.  Its LOOKUP replies carry small files whole (quick-read's
# glusterfs.content): telling their text from bytes a byte at a time
# had made the summary 0.3x (93a0bc9 on the same file: 0.79-0.85 s CPU,
# the bare loop 0.19-0.27 s).
# Fields counted where nothing reads them (2026-12-07, 2 cores, quiet;
# 512 MiB from the lab's load; median CPU of 11 alternating runs of the
# binary before and after, on a machine whose speed drifts by a quarter
# between runs): bare 0.23 s; summary 0.90 -> 0.64 s (0.26x -> 0.36x),
# body 0.68 -> 0.60 s, stored 0.71 -> 0.53 s, json 2.54 -> 2.39 s (0.09x
# -> 0.10x).  callgrind on 60,000 frames of the load (51,205 messages),
# the steadier figure: summary 354.6 M -> 245.9 M instructions, body
# (derived columns) 278.3 M -> 216.8 M, stored 297.2 M -> 249.9 M, json
# 1,051.6 M -> 945.0 M, header-only 136.7 M -> 135.4 M.
#
# Ceph (2026-12-06, 2 cores shared, load 13-15; `make bench
# BENCH_INPUT=$PWD/../tests/captures/ceph/msgr2-crc.pcap
# BENCH_FIELD=ceph.type BENCH_BODY_FIELD=ceph.msg.osd_opreply.result
# BENCH_TSHARK_SIZE=67108864 BENCH_HOSTILE_CONNS=0`, 1 GiB: 2419 copies,
# 137828 connections, 2.42 M messages): bare 0.71 s CPU, wire 0.45 s,
# tapline 1.17 s (0.61x the bare loop), body 1.91 s (0.37x), summary
# 2.29 s (0.31x), tshark (which reads no msgr2) 85x slower per byte;
# peak RSS 9.9 MiB.  Median CPU of 6 alternating runs on that file: bare
# 0.615 s, tapline 1.155 s: 0.53x (a 512 MiB run gave 0.50x).
#
# Environment: BENCH_SIZE (bytes), BENCH_INPUT (capture to multiply;
# default the largest lab capture), BENCH_FIELD (the field of the
# tapline and tshark runs, default rpc.xid), BENCH_BODY_FIELD (the
# field read from bodies in the body run, default gluster.op_errno;
# empty: no body run), BENCH_TSHARK_SIZE (bytes of the big
# file tshark reads, default 256 MiB: its memory grows with every
# conversation it saw; throughputs are compared per byte), BENCH_KEEP=1
# keeps the big file for the next run.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
size=${BENCH_SIZE:-1073741824}
field=${BENCH_FIELD:-rpc.xid}
body_field=${BENCH_BODY_FIELD-gluster.op_errno}
stored_field=${BENCH_STORED_FIELD-glusterfs.bname}
work="$top_builddir/bench/work"
bench="$top_builddir/bench/decode_bench"
multiply="$top_builddir/bench/multiply"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "decode-bench: needs GNU time (apt-get install time)" >&2; exit 1; }
[ -x "$bench" ] && [ -x "$multiply" ] || { echo "decode-bench: build first (make bench)" >&2; exit 1; }
mkdir -p "$work"

input=${BENCH_INPUT:-$(ls -S "$top_srcdir"/tests/captures/*.pcap 2>/dev/null | head -1)}
[ -n "$input" ] && [ -f "$input" ] || { echo "decode-bench: no capture to multiply (BENCH_INPUT)" >&2; exit 1; }
big="$work/big.pcap"
if [ ! -f "$big" ] || [ "$(cat "$work/big.source" 2>/dev/null)" != "$input $size" ]; then
	echo "== building $size bytes from $input"
	"$multiply" "$input" "$big" "$size"
	echo "$input $size" >"$work/big.source"
fi
bytes=$(wc -c <"$big")
cat "$big" >/dev/null	# same page-cache state for every reader

# run NAME CMD...: runs CMD with stdout to /dev/null, records its times.
run() {
	name=$1; shift
	"$TIME" -v -o "$work/$name.time" "$@" >/dev/null 2>"$work/$name.err" || {
		echo "decode-bench: $name failed:"; cat "$work/$name.err"; exit 1; }
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/$name.time")
	cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$work/$name.time")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
	eval "wall_$name=$wall cpu_$name=$cpu rss_$name=$rss"
}

# mbps BYTES SECONDS
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.001; printf "%.1f", b / s / 1048576 }'; }

run bare "$bench" --bare "$big"
run wire "$bench" --wire-only "$big"
if "$TAPLINE" decode --help >/dev/null 2>&1; then
	decoder="tapline decode -T fields -e $field"
	run tapline "$TAPLINE" decode -T fields -e "$field" "$big"
	# every body decoded: the body field comes from reply bodies
	[ -z "$body_field" ] ||
	run body "$TAPLINE" decode -T fields -e "$field" -e "$body_field" "$big"
	# ... and every field kept
	[ -z "$body_field" ] || [ -z "$stored_field" ] ||
	run stored "$TAPLINE" decode -T fields -e "$field" -e "$body_field" \
		-e "$stored_field" "$big"
	# the default output, one summary line per message (informative)
	run summary "$TAPLINE" decode "$big"
	run json "$TAPLINE" decode -T json "$big"
else
	decoder="decode_bench --fields (tapline decode not built yet)"
	run tapline "$bench" --fields "$big"
fi
"$bench" --stats "$big" 2>"$work/stats.txt" >/dev/null || true

# tshark keeps state for every conversation it saw (hundreds of MB for
# a 100 MB file): by default it reads the first 256 MiB only.
tshark_bytes=${BENCH_TSHARK_SIZE:-268435456}
[ "$tshark_bytes" -le "$bytes" ] || tshark_bytes=$bytes
if ! command -v tshark >/dev/null; then
	echo "decode-bench: tshark not installed" >&2; exit 1
fi
tshark_in=$big
if [ "$tshark_bytes" -lt "$bytes" ]; then
	# the same frames as the big file's start, whole frames only
	tshark_in="$work/tshark-prefix.pcap"
	"$multiply" "$input" "$tshark_in" "$tshark_bytes" 2>/dev/null
	tshark_bytes=$(wc -c <"$tshark_in")
fi
run tshark tshark -r "$tshark_in" -n -T fields -e "$field"

tp_bare=$(mbps "$bytes" "$cpu_bare")
tp_wire=$(mbps "$bytes" "$cpu_wire")
tp_tapline=$(mbps "$bytes" "$cpu_tapline")
tp_tshark=$(mbps "$tshark_bytes" "$cpu_tshark")
echo
echo "capture: $big ($bytes bytes, from $(basename "$input"))"
grep -E '^(frames|tcp_segments|flows|flows_evicted|messages|requests|responses|tcp_gaps) +[0-9]+$' "$work/stats.txt" | tr '\n' ' ' | sed 's/  */ /g; s/^/decoder: /'
echo
printf '%-9s %10s %10s %12s %10s  %s\n' reader "wall s" "cpu s" "MiB/s (cpu)" "RSS MiB" command
printf '%-9s %10s %10s %12s %10s  %s\n' bare "$wall_bare" "$cpu_bare" "$tp_bare" $((rss_bare / 1024)) "pcap_next_ex loop"
printf '%-9s %10s %10s %12s %10s  %s\n' wire "$wall_wire" "$cpu_wire" "$tp_wire" $((rss_wire / 1024)) "decode_bench --wire-only (capture..reassembly, no protocol)"
printf '%-9s %10s %10s %12s %10s  %s\n' tapline "$wall_tapline" "$cpu_tapline" "$tp_tapline" $((rss_tapline / 1024)) "$decoder"
[ -z "${cpu_body:-}" ] ||
printf '%-9s %10s %10s %12s %10s  %s\n' body "$wall_body" "$cpu_body" "$(mbps "$bytes" "$cpu_body")" $((rss_body / 1024)) "tapline decode -T fields -e $field -e $body_field"
[ -z "${cpu_stored:-}" ] ||
printf '%-9s %10s %10s %12s %10s  %s\n' stored "$wall_stored" "$cpu_stored" "$(mbps "$bytes" "$cpu_stored")" $((rss_stored / 1024)) "... -e $stored_field (every field kept)"
[ -z "${cpu_summary:-}" ] ||
printf '%-9s %10s %10s %12s %10s  %s\n' summary "$wall_summary" "$cpu_summary" "$(mbps "$bytes" "$cpu_summary")" $((rss_summary / 1024)) "tapline decode (summary lines)"
[ -z "${cpu_json:-}" ] ||
printf '%-9s %10s %10s %12s %10s  %s\n' json "$wall_json" "$cpu_json" "$(mbps "$bytes" "$cpu_json")" $((rss_json / 1024)) "tapline decode -T json"
printf '%-9s %10s %10s %12s %10s  %s\n' tshark "$wall_tshark" "$cpu_tshark" "$tp_tshark" $((rss_tshark / 1024)) "tshark -T fields -e $field ($tshark_bytes bytes)"
tp_summary=0 tp_body=0 tp_stored=0 tp_json=0
[ -z "${cpu_json:-}" ] || tp_json=$(mbps "$bytes" "$cpu_json")
[ -z "${cpu_summary:-}" ] || tp_summary=$(mbps "$bytes" "$cpu_summary")
[ -z "${cpu_body:-}" ] || tp_body=$(mbps "$bytes" "$cpu_body")
[ -z "${cpu_stored:-}" ] || tp_stored=$(mbps "$bytes" "$cpu_stored")
awk -v a="$tp_tapline" -v b="$tp_bare" -v t="$tp_tshark" -v rss="$rss_tapline" -v w="$tp_wire" -v s="$tp_summary" -v y="$tp_body" -v k="$tp_stored" -v js="$tp_json" 'BEGIN {
	vs_tshark = a / (t > 0 ? t : 0.001); vs_bare = a / (b > 0 ? b : 0.001)
	printf "\ntapline vs tshark:    %7.1fx  (target >= 50x)   %s\n", vs_tshark, (vs_tshark >= 50 ? "met" : "MISSED")
	printf "tapline vs bare loop: %7.2fx  (target >= 0.5x)  %s\n", vs_bare, (vs_bare >= 0.5 ? "met" : "MISSED")
	printf "wire layers alone vs bare loop: %.2fx\n", w / (b > 0 ? b : 0.001)
	if (y > 0) printf "every body decoded vs bare loop: %.2fx, vs tshark: %.1fx\n", y / (b > 0 ? b : 0.001), y / (t > 0 ? t : 0.001)
	if (k > 0) printf "every body decoded, every field kept, vs bare loop: %.2fx\n", k / (b > 0 ? b : 0.001)
	if (s > 0) printf "summary output vs bare loop: %.2fx\n", s / (b > 0 ? b : 0.001)
	if (js > 0) printf "-T json vs bare loop: %.2fx\n", js / (b > 0 ? b : 0.001)
	printf "tapline peak RSS:     %7.1f MiB (target <= 64)  %s\n", rss / 1024, (rss / 1024 <= 64 ? "met" : "MISSED")
}'
[ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$big" "$work/big.source" "$work/tshark-prefix.pcap"

# Peak RSS on captures made to cost memory (bench/hostile.c): the bound
# holds whatever the input, not only on friendly traffic.
hostile="$top_builddir/bench/hostile"
conns=${BENCH_HOSTILE_CONNS:-200000}
if [ -x "$hostile" ] && [ "$conns" -gt 0 ]; then
	echo
	worst=0
	for shape in hole hunt head unanswered seqjump; do
		case $shape in
		head) args="$((conns / 40))" ;;
		unanswered) args="1000 6200" ;;
		seqjump) args="16384 64" ;;
		*) args=$conns ;;
		esac
		"$hostile" "$work/hostile.pcap" "$shape" $args
		run hostile "$TAPLINE" decode -q "$work/hostile.pcap"
		kib=$rss_hostile
		[ "$kib" -le "$worst" ] || worst=$kib
		printf 'hostile %-10s %-12s %4d MiB file: peak RSS %6.1f MiB\n' \
			"$shape" "$(echo "$args" | sed 's/ / x /')" \
			$(($(wc -c <"$work/hostile.pcap") / 1048576)) \
			"$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
		rm -f "$work/hostile.pcap"
	done
	awk -v k="$worst" 'BEGIN { printf "hostile peak RSS:     %7.1f MiB (target <= 64)  %s\n",
		k / 1024, (k / 1024 <= 64 ? "met" : "MISSED") }'
fi
