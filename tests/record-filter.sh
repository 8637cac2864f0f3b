#!/bin/sh
# record-filter.sh - `tapline record` writes the events of its target and
# of nothing else, with the pid filter applied by the recorder (the
# default) and by the kernel (TAPLINE_RECORD_KERNEL_PID_FILTER=1):
#   -p PID: the target's threads, one created after the start too; a second
#           process calling the same probed function at the same time is
#           not recorded, and its events are counted as dropped;
#   -- COMMAND: the command's child and grandchild processes; a concurrent
#           unrelated process is not recorded, its events counted;
# the errno stores (gfapi_errno_store) are filtered alike: the other
# process's are dropped (and not counted among the stores seen), the
# child's still give its failed returns errno.
# The programs say which pids and tids made which calls (their own log is
# the oracle); the library is a stand-in with glfs_utimens's prototype.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
need_lab

need_uprobes
command -v cc >/dev/null || skip_all "no C compiler"

# A path whose name starts with 'o' fails with errno = EIO: its errno store
# is probed (gfapi_errno_store) and filtered like the calls.
cat >"$TMP/lib.c" <<'C'
#include <errno.h>
#include <time.h>
int glfs_utimens(void *fs, const char *path, const struct timespec t[2]);
int glfs_utimens(void *fs, const char *path, const struct timespec t[2])
{
	__asm__ volatile("" : : "r"(fs), "r"(path), "r"(t) : "memory");
	if (path && path[1] == 'o') {	/* /oth, /one */
		errno = EIO;
		return -1;
	}
	return 0;
}
C
cat >"$TMP/prog.c" <<'C'
/* prog target|other|child NAME CALLS DIR
 *   target: waits for DIR/go; CALLS calls with path /NAME/main, then a
 *           new thread makes CALLS with /NAME/thread; waits for
 *           DIR/other-done before it exits
 *   other:  waits for DIR/go; CALLS calls with /NAME; creates other-done
 *   child:  CALLS calls with /NAME
 * Prints what it did: NAME pid PID ppid PPID tid TID [thread_tid TID]. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int glfs_utimens(void *fs, const char *path, const struct timespec t[2]);
static long calls;
static char name[64], dir[512];

static void wait_for(const char *file)
{
	char p[600];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	while (access(p, F_OK) != 0)
		usleep(10000);
}

static void call(const char *suffix)
{
	struct timespec t[2] = { { 1, 2 }, { 3, 4 } };
	char path[128];
	snprintf(path, sizeof(path), "/%s%s", name, suffix);
	for (long i = 0; i < calls; i++)
		glfs_utimens(&calls, path, t);
}

static long thread_tid;

static void *thread(void *arg)
{
	thread_tid = syscall(SYS_gettid);
	call("/thread");
	return arg;
}

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	snprintf(name, sizeof(name), "%s", argv[2]);
	calls = atol(argv[3]);
	snprintf(dir, sizeof(dir), "%s", argv[4]);
	if (!strcmp(argv[1], "target")) {
		wait_for("go");
		call("/main");
		pthread_t t;
		if (pthread_create(&t, NULL, thread, NULL) ||
		    pthread_join(t, NULL))
			return 1;
		printf("%s pid %d ppid %d tid %ld thread_tid %ld\n", name,
		       (int)getpid(), (int)getppid(), (long)syscall(SYS_gettid),
		       thread_tid);
		fflush(stdout);
		wait_for("other-done");
		return 0;
	}
	if (!strcmp(argv[1], "other"))
		wait_for("go");
	call("");
	printf("%s pid %d ppid %d tid %ld\n", name, (int)getpid(),
	       (int)getppid(), (long)syscall(SYS_gettid));
	fflush(stdout);
	if (!strcmp(argv[1], "other")) {
		char p[600];
		snprintf(p, sizeof(p), "%s/other-done", dir);
		fclose(fopen(p, "w"));
	}
	return 0;
}
C
cc -O2 -shared -fPIC -o "$TMP/libgfapi.so.0" "$TMP/lib.c" &&
	cc -O2 -o "$TMP/prog" "$TMP/prog.c" -L"$TMP" -l:libgfapi.so.0 \
		-Wl,-rpath,"$TMP" -lpthread || skip_all "the stand-in does not build"

N=300
P=$TMP/prog
LIB="libgfapi=$TMP/libgfapi.so.0"
# the log line of NAME: field KEY's value
logged() { awk -v n="$1" -v k="$2" '$1 == n { for (i = 2; i < NF; i++) if ($i == k) print $(i + 1) }' "$TMP/log"; }
# how many entry records have path PATH and pid PID and tid TID
entries() {
	grep -v '^#' "$TMP/rec" | awk -v p="path=\"$1\"" -v pid="$2" -v tid="$3" '
		$6 == "entry" && index($0, " " p " ") && $2 == pid && $3 == tid { n++ }
		END { print n + 0 }'
}
dropped() { sed -n 's/^# tapline-record: \([0-9]*\) event(s) of other processes dropped.*/\1/p' "$TMP/rec"; }
stores() { sed -n 's/^# tapline-record: \([0-9]*\) errno store(s) seen.*/\1/p' "$TMP/rec"; }

# --- -p PID ---------------------------------------------------------------
by_pid() { # MODE (recorder|kernel)
	mode=$1
	rm -f "$TMP/go" "$TMP/other-done" "$TMP/rec" "$TMP/log"
	"$P" target tgt "$N" "$TMP" >>"$TMP/log" &
	tpid=$!
	"$P" other oth "$N" "$TMP" >>"$TMP/log" &
	opid=$!
	env_kernel=
	[ "$mode" = kernel ] && env_kernel=1
	TAPLINE_RECORD_KERNEL_PID_FILTER=$env_kernel "$TAPLINE" record -q \
		--lib "$LIB" -P gfapi.utimens -o "$TMP/rec" -p "$tpid" \
		2>"$TMP/err" &
	rpid=$!
	# the header is written once the probes and the filter are in place
	i=0
	while ! grep -q '^# probe gfapi.utimens return' "$TMP/rec" 2>/dev/null &&
	      [ $i -lt 500 ]; do
		sleep 0.02; i=$((i + 1))
	done
	: >"$TMP/go"
	wait "$tpid" "$opid"
	st=0
	wait "$rpid" || st=$?
	check "-p ($mode filter): the recorder ends with its target" test "$st" = 0
	main_tid=$(logged tgt tid) thr_tid=$(logged tgt thread_tid)
	check "-p ($mode): the programs logged their ids" \
		test -n "$main_tid" -a -n "$thr_tid" -a "$main_tid" = "$tpid" \
		-a "$thr_tid" != "$tpid" -a "$(logged oth pid)" = "$opid"
	check "-p ($mode): every call of the target's main thread" \
		test "$(entries /tgt/main "$tpid" "$main_tid")" = "$N"
	check "-p ($mode): every call of the thread it created after the start" \
		test "$(entries /tgt/thread "$tpid" "$thr_tid")" = "$N"
	check "-p ($mode): the target's calls returned" test "$(grep -v '^#' "$TMP/rec" |
		awk -v p="$tpid" '$6 == "return" && $2 == p' | wc -l)" = $((2 * N))
	check "-p ($mode): nothing of the concurrent other process" \
		sh -c "! grep -v '^#' '$TMP/rec' | grep -q -e '/oth' -e ' $opid $opid '"
	if [ "$mode" = recorder ]; then
		check "-p: its $((3 * N)) events (entries, returns, errno stores) counted as dropped" \
			test "$(dropped)" = $((3 * N))
		check "-p: and its errno stores not among the target's stores seen ($(stores), the target has none)" \
			test "$(stores)" = 0
	else
		check "-p (kernel): the kernel filtered, the trailer says so" \
			grep -q '^# tapline-record: pid filter of the kernel' "$TMP/rec"
	fi
}
by_pid recorder
by_pid kernel

# --- -- COMMAND: a child and grandchildren, a concurrent stranger ---------
rm -f "$TMP/go" "$TMP/other-done" "$TMP/rec" "$TMP/log"
"$P" other oth "$N" "$TMP" >>"$TMP/log" &
opid=$!
st=0
"$TAPLINE" record -q --lib "$LIB" -P gfapi.utimens \
	-o "$TMP/rec" -- sh -c '
		D=$1 P=$2 N=$3
		: >"$D/go"
		"$P" child one "$N" "$D"
		sh -c "\"$P\" child two $N \"$D\"; \"$P\" child three $N \"$D\"; :"
		while [ ! -e "$D/other-done" ]; do sleep 0.02; done' \
	sh "$TMP" "$P" "$N" >>"$TMP/log" || st=$?
check "-- COMMAND: recorded, the command's status" test "$st" = 0
wait "$opid"
target=$(sed -n '1s/.* target_pid=\([0-9]*\) .*/\1/p' "$TMP/rec")
for c in one two three; do
	pid=$(logged "$c" pid)
	check "-- COMMAND: every call of '$c' (pid ${pid:-?})" \
		test -n "$pid" -a "$(entries "/$c" "$pid" "$pid")" = "$N"
done
check "-- COMMAND: 'one' is the command's child" \
	test "$(logged one ppid)" = "$target"
check "-- COMMAND: 'two' and 'three' are its grandchildren" \
	test "$(logged two ppid)" != "$target" -a \
	"$(logged two ppid)" = "$(logged three ppid)"
check "-- COMMAND: nothing of the concurrent unrelated process" \
	sh -c "! grep -v '^#' '$TMP/rec' | grep -q -e '/oth' -e ' $opid $opid '"
check "-- COMMAND: its $((3 * N)) events (entries, returns, errno stores) counted as dropped" \
	test "$(dropped)" = $((3 * N))
check "-- COMMAND: the errno stores seen are the child's $N, not the stranger's ($(stores))" \
	test "$(stores)" = "$N"
pid=$(logged one pid)
check "-- COMMAND: the child's failed calls carry their errno (EIO) all the same" \
	test "$(grep -v '^#' "$TMP/rec" | awk -v p="$pid" '$2 == p && $6 == "return" &&
		/ ret=-1 errno=5$/' | wc -l)" = "$N"
check "nothing left in tracefs" \
	sh -c "! grep -q '$TMP/libgfapi' '$T/uprobe_events'"
done_testing
