#!/bin/sh
# bench/correlate-bench.sh - how fast `tapline correlate` ingests a capture,
# as a ratio against its peer measured in the same run: a bare prepared
# INSERT loop of the same rows (conversations, messages, bodies
# included) into the same schema, in one transaction, rows already in
# memory (bench/insert-peer.c).  Goal: ratio >= 0.7.  Then the peak RSS
# (goal: under --max-memory, 64 MiB) on a large capture (default 1 GiB), on
# the captures of bench/hostile made to cost memory, and on a real
# metadata-heavy load from the lab.
#
#   bench/correlate-bench.sh [RATIO_MB [RSS_MB]]     (defaults 100 1024)
#
# The lab's load: BENCH_LOAD=FILE measures that capture; BENCH_LAB=1 makes
# one first (root; hold the lab lock: flock /tmp/tapline-lab.lock ...):
# tests/lab/metadata-load.sh, 2 libgfapi threads on each of the volumes
# "single" and "dist", BENCH_LAB_CALLS (default 13000) rounds of a 64-byte
# glfs_write, glfs_utimens and glfs_stat each: ~270 MB, ~312,000 RPC
# messages.  BENCH_HOSTILE=0 skips the hostile captures (200,000
# connections each: up to a minute per shape).  On the load it also
# reports the timeline's size against the capture's (goal <= 1.0x) and
# the ingest against `tapline decode`'s summary lines on the same file
# (goal >= 1/3).  Measured (2026-12-06, a 13000-call load, 323,000
# packets, 312,142 messages, as the pcapng editcap made of it: 273 MB;
# `BENCH_HOSTILE=0 BENCH_LOAD=load.pcapng bench/correlate-bench.sh 20 0`):
# timeline 134 MB, 0.49x (1.31x before records were packed); correlate
# 2.04 s, 153,011 messages/s, against the summary's 0.34 s: 0.17x.  The
# writer thread is the one that waits: SQLite's step of each row (1.6 s
# of CPU; binding its values 0.15 s).  The peer above, on the same rows
# (insert-peer of that timeline): 2.19 s.
# With each run of message rows stored by one statement (an INSERT ...
# SELECT from correlate/row_batch.h's virtual table: no binding, no
# statement start and finish per row) and pages of 16 KiB (2026-12-07,
# 2 cores shared with two fuzzers at nice 19; `tapline correlate` on
# that load's pcap, 312,136 messages, five runs each, alternating):
# 1.44-1.62 s (median 1.51 s, 207,000 messages/s) against 2.42-2.62 s
# (median 2.52 s) before; timeline 130 MB.  insert-peer's bind loop on
# the same rows, pages of 16 KiB too: 1.97-2.39 s.  The writer's step is still what is waited for
# (1.1 s of CPU: the record, four indexes, the page writes); without the
# indexes it would be 0.4 s less, and building them afterwards costs
# 0.36 s.
# Without the statement journal (INSERT OR FAIL, correlate/db.c: SQLite
# had copied every index page each run changed to a temporary file,
# 146,818 writes of 16 KiB, 1.2 GB, for that 130 MB timeline; strace -c
# counts 8,234 writes in all now) (2026-12-08, 2 cores, a lab test
# running beside; tests/lab/metadata-load.sh's 266 MB pcap, 312,132
# messages, three runs each, alternating): 1.44-1.50 s (system time
# 0.50-0.56 s) before, 1.06-1.13 s (0.25-0.27 s) after;
# `BENCH_HOSTILE=0 BENCH_LOAD=load.pcap bench/correlate-bench.sh 20 0`:
# 1.17 s, 266,779 messages/s against the summary's 0.17 s (that pcap is
# read in place: 0.15x).  Left: the writer's step (0.8 s of CPU: SQLite's
# VM, the four indexes).  Without the two whose keys come in random
# order (exchange, conversation) the run takes 0.83-0.89 s, but building
# them after costs 0.27 s each.
#
# The captures are made from the bundled real session
# (examples/gfapi-utimens.pcap) by bench/pcap-grow.c: copies shifted in time
# with new client ports.  TAPLINE (default build/tapline) and LIBTAPLINE
# (default: libtapline.a beside it) name the build to measure.  Not part of
# `make check`: it takes minutes and needs ~7 GB of disk per GiB.
#
# Measured (2026-11-22, 2 shared cores at load 1-3; `bench/correlate-bench.sh
# 100 1024`, six runs in a row): 100 MiB (250022 messages, 270858 rows):
# 0.85x, 0.87x, 0.87x, 0.82x, 0.92x, 0.88x wall clock (best: 2.77 s against
# the peer's 2.45 s), 0.65x-0.75x by CPU time; 1 GiB: 35.1-41.7 s, peak RSS
# 59 MiB (the 32 MiB page cache, the 1024-row ring between the threads),
# database 6.9 GiB.
# The rows are stepped by a writer thread while the caller's thread
# decodes and renders, so the wall clock is about the writer's, which does
# what the peer does; the CPU ratio is what is left when the machine has
# no second core to give (under such load the wall ratio falls towards
# it: 0.62x once at load 5, before connection rows were written whole).
# Before the writer thread: 0.64x-0.71x wall (5.0 s; 1 GiB in 58.8 s,
# 45 MiB).  Left of the CPU difference (perf, caller's thread, 0.9 s in
# all): rendering the JSON bodies about 40%, decoding 20%, the commit's
# page writes 20%.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
TAPLINE=${TAPLINE:-$top/build/tapline}
LIBTAPLINE=${LIBTAPLINE:-$(dirname "$TAPLINE")/libtapline.a}
ratio_mb=${1:-100}
rss_mb=${2:-1024}
runs=3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapline-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cc -O2 -o "$tmp/pcap-grow" "$top/bench/pcap-grow.c" -lpcap
cc -O2 -o "$tmp/insert-peer" "$top/bench/insert-peer.c" "$LIBTAPLINE" \
	$(pkg-config --libs sqlite3)

# best of N wall-clock seconds; sets $best, $rss (KB of the best run) and
# $best_cpu (least user + system seconds, all threads)
measure() {
	best=""
	best_cpu=""
	for i in $(seq "$runs"); do
		rm -f "$tmp/ours.db"
		/usr/bin/time -f "%e %M %U %S" -o "$tmp/time" \
			"$TAPLINE" correlate -q --no-progress -o "$tmp/ours.db" "$1"
		read -r t kb u s <"$tmp/time"
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t; rss=$kb
		fi
		cpu=$(awk "BEGIN { print $u + $s }")
		if [ -z "$best_cpu" ] || awk "BEGIN { exit !($cpu < $best_cpu) }"; then
			best_cpu=$cpu
		fi
	done
}

"$tmp/pcap-grow" "$top/examples/gfapi-utimens.pcap" "$tmp/ratio.pcap" "$ratio_mb"
measure "$tmp/ratio.pcap"
ours=$best
ours_cpu=$best_cpu
rows=""
peer=""
peer_cpu=""
for i in $(seq "$runs"); do
	set -- $("$tmp/insert-peer" "$tmp/ours.db" "$tmp/peer.db")
	rows=$1
	if [ -z "$peer" ] || awk "BEGIN { exit !($2 < $peer) }"; then peer=$2; fi
	if [ -z "$peer_cpu" ] || awk "BEGIN { exit !($3 < $peer_cpu) }"; then
		peer_cpu=$3
	fi
done
messages=$(sqlite3 "$tmp/ours.db" "SELECT count(*) FROM messages")
echo "capture: ${ratio_mb} MiB, $messages messages, $rows rows (conversations + messages)"
awk -v rows="$rows" -v ours="$ours" -v peer="$peer" -v ours_cpu="$ours_cpu" \
    -v peer_cpu="$peer_cpu" 'BEGIN {
	printf "tapline correlate (hash, decode, bodies, insert, join):      %.2f s = %.0f rows/s (CPU %.2f s)\n", ours, rows / ours, ours_cpu
	printf "bare prepared INSERT loop of the same rows:                  %.2f s = %.0f rows/s (CPU %.2f s)\n", peer, rows / peer, peer_cpu
	printf "ratio: %.2fx (goal >= 0.7x); by CPU time: %.2fx\n", peer / ours, peer_cpu / ours_cpu }'
rm -f "$tmp/ratio.pcap" "$tmp/ours.db" "$tmp/peer.db"

if [ "$rss_mb" -gt 0 ]; then
	"$tmp/pcap-grow" "$top/examples/gfapi-utimens.pcap" "$tmp/big.pcap" "$rss_mb"
	runs=1
	measure "$tmp/big.pcap"
	awk -v mb="$rss_mb" -v t="$best" -v kb="$rss" \
		-v db="$(( $(stat -c %s "$tmp/ours.db") / 1048576 ))" 'BEGIN {
		printf "large capture: %d MiB in %.1f s (%.1f MiB/s), peak RSS %d KiB, database %d MiB\n",
			mb, t, mb / t, kb, db }'
	rm -f "$tmp/big.pcap" "$tmp/ours.db"
fi

# rss NAME FILE: the peak RSS of one run on FILE.
rss() {
	runs=1
	measure "$2"
	awk -v name="$1" -v mb="$(( $(stat -c %s "$2") / 1048576 ))" -v t="$best" \
		-v kb="$rss" 'BEGIN {
		printf "%-34s %5d MiB file, %6.1f s: peak RSS %6.1f MiB%s\n", name, mb,
			t, kb / 1024, (kb > 65536 ? "  ABOVE 64 MiB" : "") }'
	rm -f "$tmp/ours.db"
}

if [ "${BENCH_HOSTILE:-1}" != 0 ]; then
	cc -O2 -o "$tmp/hostile" "$top/bench/hostile.c"
	# The shapes bench/hostile.c knows, sized as bench/decode-bench.sh
	# sizes them.
	for spec in "hole 200000" "hunt 200000" "head 5000" \
		    "unanswered 400 6200" "unanswered 1000 6200" "seqjump 16384 64"; do
		# shellcheck disable=SC2086
		"$tmp/hostile" "$tmp/hostile.pcap" $spec 2>/dev/null || continue
		rss "hostile $spec" "$tmp/hostile.pcap"
		rm -f "$tmp/hostile.pcap"
	done
fi

load=${BENCH_LOAD:-}
if [ -z "$load" ] && [ "${BENCH_LAB:-0}" = 1 ]; then
	# A real load on the lab (tests/lab/metadata-load.sh).
	export LAB_NAME="tlbench$$" LAB_DIR="$tmp/lab"
	"$top/tests/lab/metadata-load.sh" "$tmp/load" "${BENCH_LAB_CALLS:-13000}" 64 \
		>"$tmp/load.log" 2>&1
	load=$tmp/load/load.pcap
fi
if [ -n "$load" ]; then
	messages=$("$TAPLINE" decode -q -z rpc,srt "$load" |
		awk '$4 ~ /^[0-9]+$/ && $5 ~ /^[0-9]+$/ { n += $4 + $5 } END { print n }')
	rss "lab load ($messages RPC messages)" "$load"
	# Its timeline against the capture, and the ingest against the
	# summary decode of the same file (best of $runs each, one run).
	runs=3
	measure "$load"
	ingest=$best
	summary=""
	for i in $(seq "$runs"); do
		/usr/bin/time -f "%e" -o "$tmp/time" "$TAPLINE" decode -r "$load" >/dev/null
		t=$(cat "$tmp/time")
		if [ -z "$summary" ] || awk "BEGIN { exit !($t < $summary) }"; then summary=$t; fi
	done
	awk -v m="$messages" -v ingest="$ingest" -v summary="$summary" \
	    -v db="$(stat -c %s "$tmp/ours.db")" -v cap="$(stat -c %s "$load")" 'BEGIN {
		printf "lab load: timeline %.0f MB for a %.0f MB capture: %.2fx (goal <= 1.0x)\n",
			db / 1e6, cap / 1e6, db / cap
		printf "lab load: correlate %.2f s = %.0f messages/s; summary decode %.2f s = %.0f/s; ratio %.2fx (goal >= 0.33x)\n",
			ingest, m / ingest, summary, m / summary, summary / ingest }'
	rm -f "$tmp/ours.db"
fi
