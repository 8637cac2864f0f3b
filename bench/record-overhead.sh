#!/bin/sh
# bench/record-overhead.sh - what `tapline record` costs the traced program
# per probe hit, against bare tracefs uprobes on the same function measured
# in the same run, and how many events/s it records without loss.
#
#   bench/record-overhead.sh [TAPLINE] [CALLS]      (root; not in make check)
#
# The traced program calls glfs_utimens(fs, path, times) CALLS times.  So
# that the probes, not the function, are what is measured, glfs_utimens is
# a few instructions of a stand-in library (libgfapi's own does ~28 us of
# work even on a NULL fs here); tapline is pointed at it with --lib and
# resolves and places its probes exactly as on the real libgfapi.
#
# What a probe hit costs depends on the probed function's first
# instruction, so there are two stand-ins:
#   gfapi-prologue  glfs_utimens starts as libgfapi's own does (Debian's
#                   libgfapi.so.0: `sub $0xb8,%rsp`), an instruction the
#                   kernel single-steps out of line: two traps per entry
#                   hit (~10 us per call here: this VM makes a single-step
#                   trap cost ~9 us).  The ratio the goal is claimed
#                   on: it is what recording gfapi.utimens costs on the
#                   real library, here.
#   push            `push %rbp` (built with frame pointers), which the
#                   kernel emulates: the cheapest hit there is (~1 us),
#                   so the harshest ratio.  Not claimed, always printed:
#                   it is what recording costs on calls that start with a
#                   push.  Of the 186 glfs_* of Debian's libgfapi, 102
#                   start with a push or a jmp (emulated: the metadata
#                   calls, open, stat, setattr, unlink...) and 84 with an
#                   instruction that is single-stepped (utimens,
#                   futimens, and the data calls: read, write, pread,
#                   pwrite, readv...).  On bare metal, where a single step
#                   costs less than in this VM, the claimed ratio is
#                   higher, between the two.
# Measured, each the best of its runs in 7 interleaved rounds (15 of
# CALLS/5 calls for the single-stepped stand-in, whose hits vary more):
#   none   no probes
#   bare   a bare `p:` + a bare `r:` uprobe (what gfapi.utimens places,
#          without arguments), private instance, no reader: the reference
#   bare+pid  the same with the kernel's pid filter (set_event_pid,
#          event-fork: what tapline record did before it filtered by pid
#          itself, and does with TAPLINE_RECORD_KERNEL_PID_FILTER=1):
#          shown, not a reference
#   args   the same two with tapline's fetchargs, no reader (the kernel's
#          cost of the arguments alone)
#   ours   tapline record -P gfapi.utimens -- the program: the entry with
#          fs, path, times and the four time values, the return with ret,
#          the recorder reading and writing every record and applying the
#          pid filter itself (it follows forks and exits through the
#          scheduler's events: nothing per probe hit)
#   ours, kernel pid filter  the same with TAPLINE_RECORD_KERNEL_PID_FILTER=1
# cost per call = (run - none), in the program's CPU time (user + the
# kernel's probe work, which is charged to the calling thread), so that the
# load of other processes on a shared machine does not count; ratio = ours
# / bare (goal <= 1.1), from the bests; the median of each round's own
# ratio and their spread are shown under it (a round's runs are seconds
# apart: the hypervisor's drifting cost of a trap cancels out in them, but
# a single run of a single-stepped probe varies by 20% here).  The
# verdict is on the ratio of the bests.  What the push ratio is made of is
# shown after it:
# the kernel's cost per kind of fetcharg (entry-only probes), where every
# value read from user memory is one copy_from_user (~60 ns here).  Then
# a register-only probe (gfapi.pwrite), and runs with 1, 2 and 4 threads
# say how many events/s were recorded and whether any was lost.
#
# Measured here (2026-11-22, 2 vCPUs shared with other builds), since the
# recorder applies the pid filter itself (6 runs; 3 in a row, then 3 more
# while other engineers' builds ran; "kernel" = the same run's
# TAPLINE_RECORD_KERNEL_PID_FILTER=1 variant):
#   gfapi-prologue utimens  1.064, 1.069, 1.066 (kernel filter 1.077,
#                           1.079, 1.079); the 3 others 1.061, 1.099,
#                           1.052: 1.052-1.099, never above 1.1 (with
#                           the kernel's filter, 21 earlier runs gave
#                           1.041-1.145, above 1.1 in 4)
#   push utimens            1.346, 1.318, 1.325 (kernel 1.379, 1.387,
#                           1.414); 1.226-1.346 over the 6: missed.  Of a
#                           ~1.8 us pair of hits, the kernel's reading of
#                           the arguments is all of it (fetchargs / bare
#                           1.27-1.39: path ~0.15 us, the four times
#                           ~0.3 us, a fixed ~0.025 us per event with any
#                           argument); the reader and the pid filter add
#                           nothing measurable per hit (ours - fetchargs
#                           within the noise, +-0.05)
#   push pwrite (registers) 1.074, 1.082, 1.073 (kernel 1.141, 1.159,
#                           1.149): the kernel's pid filter was most of it
#   throughput              0 events lost in the 3 runs in a row;
#                           780,000-890,000 events/s with 1, 2 and 4
#                           threads, as fast as they call (one 4-thread
#                           run of the loaded 3 lost 22,950 of 1.6M)
# The arguments' cost is the kernel's (trace_uprobe: one copy_from_user
# per value, a string read twice): what tapline controls is which values
# it fetches and how (the four times as one array: 50 ns less than four
# fetchargs in earlier runs, within the noise in the 6 above) and its reader, which never makes the kernel wake it (no
# poll: it reads the per-CPU buffers every 10-20 ms, so the traced
# thread is never charged a wakeup).
set -eu
export LC_ALL=C
TAPLINE=${1:-${TAPLINE:-./tapline}}
CALLS=${2:-200000}
# a single-stepped hit costs ~10x an emulated one here: fewer calls
XOL_CALLS=$((CALLS / 5))
T=/sys/kernel/tracing
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
mountpoint -q "$T" || mount -t tracefs nodev "$T"
TMP=$(mktemp -d /tmp/record-bench.XXXXXX)
INST="$T/instances/tlbench-$$"
cleanup() {
	[ -d "$INST" ] && { echo 0 >"$INST/events/enable" 2>/dev/null || true; rmdir "$INST" 2>/dev/null || true; }
	echo "-:tlbench_$$/" >>"$T/uprobe_events" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

mkdir "$TMP/push" "$TMP/gfapi-prologue"
cat >"$TMP/push/fake.c" <<'C'
/* The stand-in: glfs_utimens with libgfapi's prototype, doing nothing. */
#include <time.h>
int glfs_utimens(void *fs, const char *path, const struct timespec t[2]);
int glfs_utimens(void *fs, const char *path, const struct timespec t[2])
{
	__asm__ volatile("" : : "r"(fs), "r"(path), "r"(t) : "memory");
	return 0;
}
long glfs_pwrite(void *fd, const void *buf, unsigned long count, long offset,
		 int flags, void *prestat, void *poststat);
long glfs_pwrite(void *fd, const void *buf, unsigned long count, long offset,
		 int flags, void *prestat, void *poststat)
{
	__asm__ volatile("" : : "r"(fd), "r"(buf), "r"(prestat), "r"(poststat)
			 : "memory");
	return (long)count + offset + flags;
}
C
cc -O0 -fno-omit-frame-pointer -shared -fPIC -o "$TMP/push/libgfapi.so.0" \
	"$TMP/push/fake.c"
# glfs_utimens as libgfapi 10.3 (Debian 12) begins it: reserve the frame,
# copy the two timespecs; then return 0 instead of calling glfs_setattr
cat >"$TMP/gfapi-prologue/fake.c" <<'C'
__asm__(".text\n.globl glfs_utimens\n.type glfs_utimens, @function\n"
	"glfs_utimens:\n"
	"	sub $0xb8, %rsp\n"
	"	mov %rdi, %r8\n"
	"	movdqu (%rdx), %xmm0\n"
	"	movdqu 0x10(%rdx), %xmm1\n"
	"	movups %xmm0, 0x18(%rsp)\n"
	"	movups %xmm1, 0x48(%rsp)\n"
	"	xor %eax, %eax\n"
	"	add $0xb8, %rsp\n"
	"	ret\n"
	".size glfs_utimens, .-glfs_utimens\n");
long glfs_pwrite(void *fd, const void *buf, unsigned long count, long offset,
		 int flags, void *prestat, void *poststat);
long glfs_pwrite(void *fd, const void *buf, unsigned long count, long offset,
		 int flags, void *prestat, void *poststat)
{
	(void)fd, (void)buf, (void)prestat, (void)poststat;
	return (long)count + offset + flags;
}
C
cc -O2 -shared -fPIC -o "$TMP/gfapi-prologue/libgfapi.so.0" \
	"$TMP/gfapi-prologue/fake.c"

cat >"$TMP/hammer.c" <<'C'
/* Calls glfs_utimens(fs, ...) N times in T threads; prints the CPU ns per
 * call and the wall ns of the whole loop. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int glfs_utimens(void *fs, const char *path, const struct timespec t[2]);
long glfs_pwrite(void *fd, const void *buf, unsigned long count, long offset,
		 int flags, void *prestat, void *poststat);
static long calls;
static int use_pwrite;

static void *run(void *arg)
{
	struct timespec times[2] = { { -1, 0 }, { 1700000000, 5 } };
	char buf[16] = "";
	for (long i = 0; i < calls; i++) {
		if (use_pwrite)
			glfs_pwrite(&calls, buf, sizeof(buf), i, 0, NULL, NULL);
		else
			glfs_utimens(&calls, "/bench/some/path.txt", times);
	}
	return arg;
}

int main(int argc, char **argv)
{
	calls = argc > 1 ? atol(argv[1]) : 100000;
	int threads = argc > 2 ? atoi(argv[2]) : 1;
	if (threads < 1 || threads > 64)
		threads = 1;
	use_pwrite = argc > 3 && argv[3][0] == 'p';
	pthread_t tid[64];
	struct timespec a, b, ca, cb;
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
	for (int t = 0; t < threads; t++)
		pthread_create(&tid[t], NULL, run, NULL);
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	double cpu = (cb.tv_sec - ca.tv_sec) * 1e9 + (cb.tv_nsec - ca.tv_nsec);
	/* CPU time (user + the kernel's uprobe work, charged to the
	 * caller) per call: what other processes on a loaded machine do
	 * to the wall clock does not count */
	printf("%.1f %.0f\n", cpu / ((double)calls * threads), ns);
	return 0;
}
C
for kind in push gfapi-prologue; do
	cc -O2 -o "$TMP/$kind/hammer" "$TMP/hammer.c" -L"$TMP/$kind" \
		-l:libgfapi.so.0 -Wl,-rpath,"$TMP/$kind" -lpthread
done
first_insn() { # LIB SYMBOL: its first instruction, as objdump writes it
	objdump -d --no-show-raw-insn "$1" 2>/dev/null | awk -v s="<$2" '
		index($0, s) && /:$/ { getline; sub(/^ *[0-9a-f]+:[ \t]*/, ""); print; exit }'
}

bare_setup() { # WITH_RETURN [ENTRY_ARGS RETURN_ARGS [PID_FILTER]]
	echo "p:tlbench_$$/bare_entry $at ${2:-}" >>"$T/uprobe_events"
	[ "$1" = 0 ] || echo "r:tlbench_$$/bare_return $at ${3:-}" >>"$T/uprobe_events"
	mkdir "$INST"
	[ -z "${4:-}" ] || echo 1 >"$INST/options/event-fork"
	echo 1 >"$INST/events/tlbench_$$/enable"
}
bare_teardown() {
	echo 0 >"$INST/events/enable"; rmdir "$INST"
	echo "-:tlbench_$$/" >>"$T/uprobe_events"
}
min() { awk -v a="${1:-$2}" -v b="$2" 'BEGIN { print (b < a ? b : a) }'; }

# The program's CPU ns per call: hammer CALLS MODE [pid]; with "pid" it
# puts itself in the instance's pid filter before it starts.
hammer() {
	if [ "${3:-}" = pid ]; then
		sh -c 'echo $$ >"$1/set_event_pid"; shift; exec "$@"' sh "$INST" \
			"$HAMMER" "$1" 1 "$2"
	else
		"$HAMMER" "$1" 1 "$2"
	fi | awk '{ print $1 }'
}

measure() { # STANDIN PROBE MODE CALLS ROUNDS ENTRY_ARGS RETURN_ARGS
	kind=$1 probe=$2 mode=$3 calls=$4 rounds=$5
	shift 5
	HAMMER="$TMP/$kind/hammer" LIB="--lib libgfapi=$TMP/$kind/libgfapi.so.0"
	# where the function is, as tapline itself places it
	at=$("$TAPLINE" record --list $LIB -P "$probe" | sed -n 's/^    at: \([^ ]*\) .*/\1/p' | head -1)
	[ -n "$at" ] || { echo "$probe not found" >&2; exit 1; }
	sym=glfs_${probe#gfapi.}
	ours() { # [kernel]: the pid filter in the kernel, as before
		TAPLINE_RECORD_KERNEL_PID_FILTER=${1:+1} \
		"$TAPLINE" record -q $LIB -P "$probe" -o "$TMP/rec" -- \
			"$HAMMER" "$calls" 1 "$mode" 2>"$TMP/err" | awk '{ print $1 }'
	}
	# The variants take turns, round after round, so that the load of a
	# shared machine falls on all of them alike; the best of each is kept.
	# Each round's own ratio is kept too: its runs are seconds apart, so
	# a slow drift of the machine (the hypervisor's cost of a trap) that
	# the bests of separate rounds would mix up cancels out in it.
	none="" bare="" barepid="" args="" ours="" oursk=""
	: >"$TMP/rounds"
	for round in $(seq "$rounds"); do
		n=$(hammer "$calls" "$mode")
		bare_setup 1; b=$(hammer "$calls" "$mode"); bare_teardown
		bare_setup 1 "" "" pid; bp=$(hammer "$calls" "$mode" pid); bare_teardown
		bare_setup 1 "$1" "$2"; a=$(hammer "$calls" "$mode"); bare_teardown
		ok=$(ours kernel)
		o=$(ours)
		oursk=$(min "$oursk" "$ok")
		none=$(min "$none" "$n") bare=$(min "$bare" "$b")
		barepid=$(min "$barepid" "$bp") args=$(min "$args" "$a")
		ours=$(min "$ours" "$o")
		echo "$n $b $o" >>"$TMP/rounds"
	done
	records=$(grep -v '^#' "$TMP/rec" | grep -c " $probe " || true)
	ratio=$(awk -v n="$none" -v b="$bare" -v o="$ours" 'BEGIN { printf "%.3f", (o - n) / (b - n) }')
	# the median of the rounds' ratios, and their spread
	paired=$(awk '{ print ($3 - $1) / ($2 - $1) }' "$TMP/rounds" | sort -g |
		awk '{ v[NR] = $1 } END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.3f %.3f %.3f", m, v[1], v[NR] }')
	awk -v p="$probe" -v k="$kind" -v n="$none" -v b="$bare" -v bp="$barepid" \
		-v a="$args" -v o="$ours" -v ok="$oursk" -v c="$calls" -v r="$records" \
		-v f="$1 / $2" -v R="$rounds" -v pr="$paired" -v insn="$(first_insn "$TMP/$kind/libgfapi.so.0" "$sym")" 'BEGIN {
		printf "== %s, stand-in \"%s\" (%s starts with: %s)\n", p, k, p, insn
		printf "   %d calls per run, the best of %d interleaved rounds\n", c, R
		printf "   fetchargs: %s\n", f
		printf "   no probes                 %8.1f CPU ns/call\n", n
		printf "   bare p: + r:              %8.1f CPU ns/call  (+%.1f per call, 2 hits)\n", b, b - n
		printf "   bare, pid filter          %8.1f CPU ns/call  (+%.1f per call, 2 hits)\n", bp, bp - n
		printf "   same with our fetchargs   %8.1f CPU ns/call  (+%.1f per call, 2 hits)\n", a, a - n
		printf "   tapline record (p: + r:)  %8.1f CPU ns/call  (+%.1f per call, 2 hits)\n", o, o - n
		printf "   same, kernel pid filter   %8.1f CPU ns/call  (+%.1f per call, 2 hits; TAPLINE_RECORD_KERNEL_PID_FILTER=1)\n", ok, ok - n
		printf "   ratio ours / bare         %8.3f  (goal <= 1.1)\n", (o - n) / (b - n)
		printf "   ... with the kernel pid filter %.3f\n", (ok - n) / (b - n)
		split(pr, q, " ")
		printf "   ... median of the rounds'"'"' own ratios %.3f (from %.3f to %.3f)\n", q[1], q[2], q[3]
		printf "   ratio fetchargs / bare    %8.3f  (the kernel reading the arguments)\n", (a - n) / (b - n)
		printf "   ratio pid filter / bare   %8.3f  (the kernel checking the thread)\n", (bp - n) / (b - n)
		printf "   records written (last run) %d of %d expected\n", r, 2 * c
	}'
}

# What each kind of fetcharg costs the kernel (entry-only probes on the push
# stand-in, where the hit itself is cheapest): per call = per hit here.
fetch_kinds() {
	kind=push HAMMER="$TMP/push/hammer"
	at=$("$TAPLINE" record --list --lib "libgfapi=$TMP/push/libgfapi.so.0" \
		-P gfapi.utimens | sed -n 's/^    at: \([^ ]*\) .*/\1/p' | head -1)
	set -- "" "fs=%di:x64" "path=+0(%si):string" \
		"a=+0(%dx):s64 b=+8(%dx):s64 c=+16(%dx):s64 d=+24(%dx):s64" \
		"t=+0(%dx):s64[4]"
	for i in 0 1 2 3 4; do eval "k$i="; done
	for round in 1 2 3 4 5 6 7; do
		i=0
		for a in "$@"; do
			bare_setup 0 "$a"
			eval "k$i=\$(min \"\$k$i\" \"\$(hammer $CALLS u)\")"
			bare_teardown
			i=$((i + 1))
		done
	done
	echo "== what the kernel's fetchargs cost per entry hit (push stand-in, best of 7)"
	i=0
	for a in "$@"; do
		eval "v=\$k$i"
		awk -v a="${a:-(none: a bare p:)}" -v v="$v" -v b="$k0" -v r="$k1" -v i=$i 'BEGIN {
			printf "   %-58s %7.1f ns/hit", a, v
			if (i > 0)
				printf "  +%.1f", v - b
			if (i > 1)
				printf " (+%.1f over one register)", v - r
			printf "\n" }'
		i=$((i + 1))
	done
}

# The fetchargs tapline places (docs/probes.md; `tapline record --list`),
# written out again here for the "bare + the same arguments" variant.
UTIMENS_ARGS='fs=%di:x64 path=+0(%si):string times=%dx:x64 times_v=+0(%dx):s64[4]'
# (a single-stepped hit varies more with the hypervisor's load: 15 rounds)
measure gfapi-prologue gfapi.utimens u "$XOL_CALLS" 15 "$UTIMENS_ARGS" 'ret=$retval:s32'
claimed=$ratio
measure push gfapi.utimens u "$CALLS" 7 "$UTIMENS_ARGS" 'ret=$retval:s32'
harsh=$ratio
fetch_kinds
measure push gfapi.pwrite p "$CALLS" 7 \
	'fd=%di:x64 size=%dx:u64 offset=%cx:s64 flags=%r8:x32' 'ret=$retval:s64'

# Throughput: 1, 2 and 4 threads calling at full speed, the recorder
# reading; events/s = events recorded / the program's own loop time.
LIB="--lib libgfapi=$TMP/push/libgfapi.so.0"
for th in 1 2 4; do
	out=$("$TAPLINE" record $LIB -P gfapi.utimens -o "$TMP/rec" -- \
		"$TMP/push/hammer" "$CALLS" "$th" u 2>"$TMP/err")
	got=$(grep -v '^#' "$TMP/rec" | grep -c ' gfapi.utimens ' || true)
	lost=$(sed -n 's/.*lost \([0-9]*\) event.*/\1/p' "$TMP/err" | head -1)
	awk -v t="$th" -v g="$got" -v e="$((CALLS * th * 2))" -v l="${lost:-0}" \
		-v ns="$(echo "$out" | awk '{ print $2 }')" 'BEGIN {
		printf "%d thread(s): %d of %d events recorded, %d lost, %.0f events/s\n", t, g, e, l, g / (ns / 1e9)
	}'
done

real=/usr/lib/x86_64-linux-gnu/libgfapi.so.0
[ -f "$real" ] && echo "libgfapi here ($real): glfs_utimens starts with: $(first_insn "$real" glfs_utimens@@)"
awk -v c="$claimed" -v h="$harsh" 'BEGIN {
	printf "VERDICT: gfapi.utimens on libgfapi'"'"'s own prologue: ours / bare = %.3f, goal <= 1.1: %s\n", c, c <= 1.1 ? "MET" : "MISSED"
	printf "         on an emulated push (harshest, not claimed): %.3f: %s\n", h, h <= 1.1 ? "met" : "missed"
}'
