#!/bin/sh
# tests/fuzz/run.sh [--long] [SECONDS [NAME...]] - runs every libFuzzer
# harness built in this build dir (tests/fuzz/fuzz_*; NAME is the harness
# without "fuzz_"), or those named, as many at a time as there are CPUs
# ($FUZZ_JOBS).  `make fuzz-run` (CI) and `make fuzz-long` call it.
#
# For each harness:
#  1. Replay: every input of tests/fuzz/corpus/NAME/ (and for pcap and
#     decode_output the lab captures) is run once, whole.  A finding that
#     was saved there fails here, every time.
#  2. Fuzz for SECONDS (or $FUZZ_SECONDS; 30, or 600 with --long) from a
#     working corpus made afresh in tests/fuzz/corpus-NAME/: the
#     committed inputs, plus for pcap and decode_output the lab captures
#     cut into pieces of 12 frames (editcap), so that inputs stay small
#     and fast.  CI mode (the default) fixes libFuzzer's -seed= ($FUZZ_SEED,
#     1): with the same build, corpus and -seed=, libFuzzer tries the
#     same inputs in the same order, so a red run is a reproducible one.
#     --long (make fuzz-long) gives no -seed= (libFuzzer picks one and
#     logs it, "INFO: Seed:") and keeps the working corpus from one run to
#     the next, to go deeper.
#
# Reproducing a failure.  The log is tests/fuzz/NAME.log; the input that
# failed is in tests/fuzz/artifacts/NAME-crash-* (or -oom-, -timeout-,
# -leak-).  In the fuzz build dir:
#     tests/fuzz/fuzz_NAME tests/fuzz/artifacts/NAME-crash-...
# runs that input alone, under the sanitizers, with the report.  The whole
# campaign can be rerun too: the log's first lines give the command,
# -seed= included, and `FUZZ_RUNS=N tests/fuzz/run.sh 0 NAME` (N: the
# log's last "#N") stops after N inputs instead of a time, which makes the
# run independent of the machine's speed.  Then fix the bug, and copy the
# input into tests/fuzz/corpus/NAME/ under a name that says what it
# found, so that the replay (here, and in `make check` through
# replay_NAME) keeps checking it.
set -eu
mode=ci
if [ "${1:-}" = --long ]; then
	mode=long
	shift
fi
if [ $mode = long ]; then
	seconds=${1:-${FUZZ_SECONDS:-600}}
else
	seconds=${1:-${FUZZ_SECONDS:-30}}
fi
[ $# -gt 0 ] && shift
only=" $* "
seed=${FUZZ_SEED:-1}
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-.}
fuzzdir=$builddir/tests/fuzz
# A quarantine of 32 MiB outlives every allocation of one input by far
# (inputs are at most 256 KiB) and is much cheaper to cycle than ASan's
# 256 MiB.  Options already set come after, so they win.
ASAN_OPTIONS=quarantine_size_mb=32${ASAN_OPTIONS:+:$ASAN_OPTIONS}
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
export ASAN_OPTIONS UBSAN_OPTIONS
status=0 ran=0
mkdir -p "$fuzzdir/artifacts"

# The largest input libFuzzer makes for a harness: streams of 64 KiB
# carry whole sessions; record files need more than one 64 KiB line to
# reach the line bound.  Captures (pcap, decode_output) get 16 KiB: the
# lab's captures in pieces of 12 frames are 2.3 KiB (median) to 4.4 KiB
# (9 in 10), and a gzip-compressed capture of 16 KiB holds megabytes, so
# every bound of the small decoder (flow and total buffers, memory,
# waiting calls) stays within reach; time per input grows with its
# size (fuzz_pcap: 1.5 times the inputs per CPU second).  A longer corpus
# input is cut to 16 KiB here only: step 1 replays it whole.
max_len() {
	case $1 in
	records) echo 262144 ;;
	rpc_record) echo 65537 ;;	# a knob byte, then 64 KiB
	timeline_body) echo 131072 ;;	# a 64 KiB dictionary, then a record
	filter) echo 4096 ;;
	pcap|decode_output) echo 16384 ;;
	*) echo 65536 ;;
	esac
}

# lab_captures: the lab's captures a pcap-reading harness starts from.
lab_captures() {
	for c in "$srcdir"/tests/captures/*.pcap* "$srcdir"/tests/captures/*/*.pcap*; do
		case $c in *.pcap|*.pcapng|*.pcap.gz|*.pcapng.gz) ;; *) continue ;; esac
		[ -f "$c" ] && echo "$c"
	done
}

# capture_format FILE: editcap's name for the file's format (gzip or
# not): pcap, nsecpcap or pcapng.
capture_format() {
	case $1 in
	*.gz) magic=$(gzip -dc "$1" 2>/dev/null | od -An -tx1 -N4) ;;
	*) magic=$(od -An -tx1 -N4 "$1") ;;
	esac
	case $(echo $magic | tr -d ' ') in
	d4c3b2a1|a1b2c3d4) echo pcap ;;
	4d3cb2a1|a1b23c4d) echo nsecpcap ;;
	*) echo pcapng ;;
	esac
}

# add_lab_pieces DIR: the lab captures in pieces of 12 frames (whole when
# editcap is missing and the capture is small), each in its capture's
# format: editcap writes pcapng unless told, and classic pcap, what the
# lab records, is read by tapline's own reader (pcap_file.c), pcapng by
# libpcap.
add_lab_pieces() {
	for c in $(lab_captures); do
		base=$(basename "$c")
		if command -v editcap >/dev/null 2>&1; then
			editcap -F "$(capture_format "$c")" -c 12 "$c" \
				"$1/lab-$base" >/dev/null 2>&1 || true
		elif [ "$(wc -c <"$c")" -le 65536 ]; then
			cp "$c" "$1/lab-$base"
		fi
	done
}

# fuzz_one HARNESS NAME: replays, then fuzzes one harness; prints what
# it did, and returns non-zero when it failed.
fuzz_one() {
	harness=$1 name=$2
	log=$fuzzdir/$name.log
	limits="-timeout=20 -rss_limit_mb=2048"
	# libFuzzer's entropic schedule keeps, besides the 100 rarest
	# features it weighs inputs by, every feature seen fewer than
	# -entropic_feature_frequency_threshold (255) times, and searches
	# that list linearly for each feature of each run.  The decoder
	# harnesses have 15-65 k features: that search took 80% of the time
	# (fuzz_pcap's first 3000 inputs: 29.7 s; 2.5 s with 1).  With 1 the
	# schedule still weighs inputs by the 100 rarest features.
	# -reload=0: nothing else writes to the working corpus, and rereading
	# its directory every second took 5% of fuzz_pcap's time.
	tuning="-entropic_feature_frequency_threshold=1 -reload=0"

	# 1. replay, whole inputs, each once
	set --
	if [ -d "$srcdir/tests/fuzz/corpus/$name" ]; then
		for f in "$srcdir/tests/fuzz/corpus/$name"/*; do
			[ -f "$f" ] && set -- "$@" "$f"
		done
	fi
	case $name in pcap|decode_output)
		for c in $(lab_captures); do set -- "$@" "$c"; done ;;
	esac
	if [ $# -gt 0 ]; then
		# shellcheck disable=SC2086
		if ! "$harness" $limits "$@" >"$fuzzdir/$name-replay.log" 2>&1; then
			echo "fuzz: $name FAILED replaying its corpus ($# inputs); see $fuzzdir/$name-replay.log:"
			grep -E 'ERROR|SUMMARY|Running:' "$fuzzdir/$name-replay.log" | tail -20
			return 1
		fi
		echo "fuzz: $name replayed $# inputs"
	fi

	# 2. fuzz
	work=$fuzzdir/corpus-$name
	[ $mode = long ] || rm -rf "$work"
	mkdir -p "$work"
	if [ -d "$srcdir/tests/fuzz/corpus/$name" ]; then
		cp "$srcdir/tests/fuzz/corpus/$name"/* "$work"/ 2>/dev/null || true
	fi
	case $name in pcap|decode_output) add_lab_pieces "$work" ;; esac
	set -- $limits $tuning -max_len="$(max_len "$name")" -print_final_stats=1 \
		-artifact_prefix="$fuzzdir/artifacts/$name-"
	if [ $mode = ci ]; then
		set -- "$@" -seed="$seed"
	fi
	if [ -n "${FUZZ_RUNS:-}" ]; then
		set -- "$@" -runs="$FUZZ_RUNS"
		what="$FUZZ_RUNS inputs"
	else
		set -- "$@" -max_total_time="$seconds"
		what="${seconds}s"
	fi
	echo "fuzz: $name for $what from $(ls "$work" | wc -l) inputs ($mode)"
	{
		echo "# mode $mode; ASAN_OPTIONS=$ASAN_OPTIONS"
		echo "# command: (cd $(pwd) && $harness $* $work)"
	} >"$log"
	if ! "$harness" "$@" "$work" >>"$log" 2>&1; then
		echo "fuzz: $name FAILED; see $log:"
		grep -E 'ERROR|SUMMARY|artifact|^#[0-9]+ ' "$log" | tail -20
		return 1
	fi
	runs=$(awk '/^stat::number_of_executed_units/ {print $2}' "$log")
	rate=$(awk '/^stat::average_exec_per_sec/ {print $2}' "$log")
	rss=$(awk '/^stat::peak_rss_mb/ {print $2}' "$log")
	echo "fuzz: $name ran $runs inputs, $rate/s, peak RSS $rss MB"
}

# The harnesses run $FUZZ_JOBS at a time (default: one a CPU), each on a
# core of its own, so each gets the time it would get alone; what each
# did is printed in the harnesses' order.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
names=""
for harness in "$fuzzdir"/fuzz_*; do
	[ -x "$harness" ] && [ -f "$harness" ] || continue
	case $harness in *.o|*.c) continue ;; esac
	name=$(basename "$harness"); name=${name#fuzz_}
	[ "$only" = "  " ] || case $only in *" $name "*) ;; *) continue ;; esac
	names="$names $name"
done
running=0
for name in $names; do
	(fuzz_one "$fuzzdir/fuzz_$name" "$name" >"$fuzzdir/$name.out" 2>&1
	 echo $? >"$fuzzdir/$name.rc") &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
for name in $names; do
	ran=$((ran + 1))
	cat "$fuzzdir/$name.out"
	[ "$(cat "$fuzzdir/$name.rc" 2>/dev/null)" = 0 ] || status=1
done
[ "$ran" -gt 0 ] || { echo "fuzz: no harness built (configure --enable-fuzz CC=clang; make fuzz)"; exit 1; }
exit $status
