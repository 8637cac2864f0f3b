#!/bin/sh
# bench/stap-flood.sh - what another process's flood of libgfapi calls does
# to the tracers of one process, all in the same run:
#   wide     the four record-writing stp/ scripts (gfapi-utimens,
#            gfapi-trace, rpc-xid, handshake) under stap --runtime=bpf
#            (scripts/tapline-stap) without a target: every process
#   -x       the same four with -x TARGET (their tapline_traced() filter)
#   record   tapline record -- TARGET (the recorder's pid filter)
#   record-kernel  the same with TAPLINE_RECORD_KERNEL_PID_FILTER=1
#
#   bench/stap-flood.sh [BUILDDIR [SECONDS [PAUSE_US]]]
#                        (root; not in make check; under the lab lock)
#
# The flood: tests/lab/gfapi-busy --rounds 0 for SECONDS (default 10):
# glfs_utimens, glfs_set_volfile_server, glfs_fini on a NULL glfs_t and one
# xdr_callmsg per round, as fast as it can (or PAUSE_US microseconds of
# sleep after each round: 20 makes about 40,000 calls/s, the flood of
# tests/stap-lab.sh): every script's entry points at the cost of the
# probes alone, no lab needed.  The target: gfapi-busy
# --rounds 2000 --pause-us 1000 (at most a round per millisecond, 4 to 8
# records each; at full speed the target alone overflows stapbpf), held
# until its tracers run, started 1 s into the flood.
# For each tracer: the events stapbpf says it lost and the sessions that
# aborted (or tapline record's lost and dropped counts), the target's
# glfs_utimens entry records found (of 2000), the lines of other processes,
# and the flood's calls/s as a ratio to the same flood untraced, measured
# first in the same run.
#
# Measured here (2 vCPUs shared with other builds, 10 s, stap 4.8):
#   flood untraced: 3509573 calls/s (10 s)
#   wide   lost 8541 perf events, 3 of 4 sessions failed, target    0/2000,
#          other lines 26469, flood 0.002x
#   -x     lost  451 perf events, 1 of 4 sessions failed, target  237/2000,
#          other lines     0, flood 0.007x
#   record lost 0 events, 65611 dropped, exit 0, target 2000/2000,
#          other lines 0, flood 0.165x
#   record-kernel  lost 0 events, exit 0, target 2000/2000, flood 0.186x
# (-x: the 451 are the target's own records, ~250 rounds/s under the
# flood; gfapi-trace.stp, 8 lines a round, aborted after 1,892 lines;
# gfapi-utimens.stp lost 180 events and ran on; rpc-xid.stp and
# handshake.stp wrote every round.)
# With PAUSE_US 20, tests/stap-lab.sh's flood (2026-12-07, 2 vCPUs, a
# fuzzer niced beside it; stapbpf at nice -10 through tapline-stap):
#   flood untraced: 40147 calls/s (10 s)
#   wide   lost 0 perf events, 0 of 4 sessions failed, target 2000/2000,
#          other lines 94775, flood 0.056x
#   -x     lost 0, 0 failed, target 2000/2000, other lines 0, flood 0.739x
#   record lost 0 events, 176412 dropped, target 2000/2000, flood 0.699x
#   record-kernel  lost 0 events, target 2000/2000, flood 0.753x
set -u
BUILD=${1:-.}
SECONDS_FLOOD=${2:-10}
FLOOD_PAUSE_US=${3:-0}
here=$(cd "$(dirname "$0")/.." && pwd)
BUSY=$BUILD/tests/lab/gfapi-busy
TAPLINE=$BUILD/tapline
STAP_RUN=$here/scripts/tapline-stap
[ -x "$BUSY" ] || { echo "stap-flood: no $BUSY (make check builds it)" >&2; exit 2; }
[ -f "$BUILD/scripts/stap-memlock-shim.so" ] &&
	export TAPLINE_STAP_SHIM="$BUILD/scripts/stap-memlock-shim.so"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/stap-flood.XXXXXX")
# STAP_FLOOD_KEEP=1 keeps the sessions' output and errors there.
if [ -n "${STAP_FLOOD_KEEP:-}" ]; then
	echo "stap-flood: output in $OUT"
else
	trap 'rm -rf "$OUT"' EXIT
fi
SCRIPTS="gfapi-utimens gfapi-trace rpc-xid handshake"
ROUNDS=2000
PAUSE_US=1000

calls_per_s() { sed -n 's/^busy .* calls_per_s=\([0-9]*\).*/\1/p' "$1"; }
# flood_into FILE: the flood for SECONDS_FLOOD, its last line into FILE.
flood_into() {
	"$BUSY" --rounds 0 --pause-us "$FLOOD_PAUSE_US" --seconds "$SECONDS_FLOOD" >"$1" 2>&1
}
# flood_ratio MODE: that mode's flood in calls/s, as a ratio to untraced.
flood_ratio() { echo "$(calls_per_s "$OUT/$1.flood") $base" | awk '{ print $1 / $2 }'; }

# flood MODE: the flood for SECONDS_FLOOD, the target held until
# $OUT/MODE.go is written, started 1 s in; waits for both.
flood() {
	flood_into "$OUT/$1.flood" &
	flood_pid=$!
	sleep 1
	[ -p "$OUT/$1.go" ] && echo go >"$OUT/$1.go"
	wait "$flood_pid"
}

# held_target MODE: a target held on a FIFO, its pid in $tpid before it
# runs, its job in $target_job.
held_target() {
	mkfifo "$OUT/$1.go"
	sh -c 'echo $$ >"$1"; read go <"$2"; exec "$3" --rounds "$4" --pause-us "$5"' sh \
		"$OUT/$1.pid" "$OUT/$1.go" "$BUSY" "$ROUNDS" "$PAUSE_US" >"$OUT/$1.target" 2>&1 &
	target_job=$!
	until [ -s "$OUT/$1.pid" ]; do sleep 0.1; done
	tpid=$(cat "$OUT/$1.pid")
}

# stap_phase wide|x
stap_phase() {
	mode=$1
	held_target "$mode"
	opts=""
	[ "$mode" = x ] && opts="-x $tpid"
	pids=""
	for s in $SCRIPTS; do
		# shellcheck disable=SC2086
		(exec "$STAP_RUN" $opts "$here/stp/$s.stp" >"$OUT/$mode.$s.rec" 2>"$OUT/$mode.$s.err") &
		pids="$pids $!"
	done
	# every session's begin probe ran (its header), its probes placed
	for s in $SCRIPTS; do
		i=0
		until grep -q '^tapline-records' "$OUT/$mode.$s.rec" 2>/dev/null; do
			i=$((i + 1))
			[ $i -le 240 ] || { echo "stap-flood: stp/$s.stp did not start" >&2; break; }
			sleep 0.5
		done
	done
	sleep 2
	flood "$mode"
	wait "$target_job"
	failed=0
	for p in $pids; do
		for c in $(ps -o pid= --ppid "$p"); do kill -INT "$c" 2>/dev/null; done
	done
	for p in $pids; do wait "$p" || failed=$((failed + 1)); done
	lost=$(cat "$OUT/$mode".*.err | sed -n 's/.*lost \([0-9]*\) perf_events.*/\1/p' |
		awk '{ n += $1 } END { print n + 0 }')
	found=$(awk -v p="$tpid" '$2 == p && $5 == "gfapi.utimens" && $6 == "entry"' \
		"$OUT/$mode.gfapi-trace.rec" | wc -l)
	others=$(cat "$OUT/$mode".*.rec | awk -v p="$tpid" '$1 ~ /^[0-9]+$/ && $2 != p' | wc -l)
	printf '%-14s lost %8s perf events, %d of 4 sessions failed, target %4d/%d, other lines %7d, flood %.3fx\n' \
		"$mode" "$lost" "$failed" "$found" "$ROUNDS" "$others" \
		"$(flood_ratio "$mode")"
}

# record_phase MODE: tapline record holds the command itself.
record_phase() {
	mode=$1
	if [ "$mode" = record-kernel ]; then
		export TAPLINE_RECORD_KERNEL_PID_FILTER=1
	else
		unset TAPLINE_RECORD_KERNEL_PID_FILTER
	fi
	flood_into "$OUT/$mode.flood" &
	flood_pid=$!
	sleep 1
	"$TAPLINE" record -q -o "$OUT/$mode.rec" -- "$BUSY" --rounds "$ROUNDS" --pause-us "$PAUSE_US" \
		>"$OUT/$mode.target" 2>"$OUT/$mode.err"
	st=$?
	wait "$flood_pid"
	unset TAPLINE_RECORD_KERNEL_PID_FILTER
	tpid=$(sed -n 's/^busy pid=\([0-9]*\).*/\1/p' "$OUT/$mode.target")
	lost=$(sed -n 's/^# tapline-record: lost \([0-9]*\).*/\1/p' "$OUT/$mode.rec")
	dropped=$(sed -n 's/^# tapline-record: \([0-9]*\) event(s) of other.*/\1/p' "$OUT/$mode.rec")
	found=$(awk -v p="$tpid" '$2 == p && $5 == "gfapi.utimens" && $6 == "entry"' "$OUT/$mode.rec" | wc -l)
	others=$(awk -v p="$tpid" '$1 ~ /^[0-9]+$/ && $2 != p' "$OUT/$mode.rec" | wc -l)
	printf '%-14s lost %8s events, %s dropped, exit %d, target %4d/%d, other lines %7d, flood %.3fx\n' \
		"$mode" "${lost:-0}" "${dropped:-(kernel)}" "$st" "$found" "$ROUNDS" "$others" \
		"$(flood_ratio "$mode")"
}

flood_into "$OUT/none.flood"
base=$(calls_per_s "$OUT/none.flood")
echo "flood untraced: $base calls/s ($SECONDS_FLOOD s)"
stap_phase wide
stap_phase x
record_phase record
record_phase record-kernel
# stapbpf leaves its uprobe events behind when it aborts: remove the dead ones.
ev=/sys/kernel/tracing/uprobe_events
list=$(sed -n 's/^[pr]:\(uprobes\/stapprobe_\([0-9]*\)_[0-9]*\) .*/\2 \1/p' "$ev")
echo "$list" | while read -r pid name; do
	[ -n "$pid" ] || continue
	kill -0 "$pid" 2>/dev/null || echo "-:$name" >>"$ev"
done
