# tests/setup.sh - sourced by every shell test: strict mode, C locale, a
# private temp dir removed on exit (kept, and named in the log, when
# TAPLINE_TEST_KEEP is set), and TAP helpers.
set -eu
export LC_ALL=C
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${TAPLINE:=$top_builddir/tapline}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tapline-test.XXXXXX")
tap_cleanup_hooks=""
tap_cleanup() {
	for hook in $tap_cleanup_hooks; do "$hook" || true; done
	if [ -n "${TAPLINE_TEST_KEEP:-}" ]; then echo "# kept $TMP"
	else rm -rf "$TMP"; fi
}
trap tap_cleanup EXIT
trap 'exit 130' INT TERM
# at_exit FUNCTION: run FUNCTION on exit, before the temp dir goes.
at_exit() { tap_cleanup_hooks="$1 $tap_cleanup_hooks"; }

tap_n=0
tap_fail=0
plan() { echo "1..$1"; }
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_fail=$((tap_fail + 1)); echo "not ok $tap_n - $*"; }
# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	desc=$1; shift
	if "$@" >"$TMP/check.out" 2>&1; then ok "$desc"
	else not_ok "$desc"; sed 's/^/#   /' "$TMP/check.out" | head -40; fi
}
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $*"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
diag() { echo "# $*"; }
# need_lab: call at the top of a test that starts the GlusterFS lab.  The
# sanitizer configuration of the test run sets TAPLINE_NO_LAB=1 because the
# lab's tests ran already, in the main configuration.
need_lab() {
	[ -z "${TAPLINE_NO_LAB:-}" ] ||
		skip_all "the lab ran in the main configuration (TAPLINE_NO_LAB set)"
	[ "$(id -u)" -eq 0 ] || skip_all "the lab needs root"
}
# need_uprobes: root, tracefs mounted (mounts it) at $T, uprobe events.
need_uprobes() {
	[ "$(id -u)" = 0 ] || skip_all "needs root for tracefs uprobes"
	T=/sys/kernel/tracing
	mountpoint -q "$T" 2>/dev/null || mount -t tracefs nodev "$T" 2>/dev/null ||
		skip_all "no tracefs here"
	[ -w "$T/uprobe_events" ] || skip_all "kernel without uprobe events"
}
# need_lab_recording: need_lab, the lab's tools, the lab's libgfapi client
# (sets $client) and tracefs at $T (mounts it).
need_lab_recording() {
	need_lab
	for tool in glusterd gluster tcpdump tshark ip; do
		command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
	done
	client="$top_builddir/tests/lab/gfapi-client"
	[ -x "$client" ] || skip_all "no $client (configure found no glusterfs-api)"
	T=/sys/kernel/tracing
	mountpoint -q "$T" 2>/dev/null || mount -t tracefs nodev "$T" 2>/dev/null ||
		skip_all "no tracefs here"
}
# hostile_capture SHAPE CONNS [COUNT]: bench/hostile's SHAPE with CONNS
# connections divided by $scale (at least one) into $TMP/$name.pcap; sets
# name and size (MB).  For the tests that bound peak RSS on those shapes.
hostile_capture() {
	conns=$(($2 / scale))
	[ "$conns" -gt 0 ] || conns=1
	name="$1-$conns${3:+x$3}"
	"$top_builddir/bench/hostile" "$TMP/$name.pcap" "$1" "$conns" ${3:-}
	size=$(($(wc -c <"$TMP/$name.pcap") / 1048576))
}
# need_hostile: bench/hostile ($hostile), GNU time ($TIME) and the decode
# command, or skip all; sets sanitized to 1 under AddressSanitizer (its
# shadow memory makes the resident size meaningless), else 0.
need_hostile() {
	hostile=$top_builddir/bench/hostile
	TIME=/usr/bin/time
	[ -x "$hostile" ] || skip_all "no $hostile (make)"
	[ -x "$TIME" ] || skip_all "needs GNU time (apt-get install time)"
	"$TAPLINE" decode --help >/dev/null 2>&1 || skip_all "no decode command"
	if grep -q __asan_init "$TAPLINE" 2>/dev/null; then
		sanitized=1
	else
		sanitized=0
	fi
}
# decode_rss NAME ARGS...: tapline decode ARGS on $TMP/NAME.pcap, output
# in $TMP/NAME.out, peak RSS (KiB) in $rss (GNU time: $TIME).
decode_rss() {
	name=$1; shift
	"$TIME" -f %M -o "$TMP/rss" "$TAPLINE" decode "$@" "$TMP/$name.pcap" \
		>"$TMP/$name.out" 2>"$TMP/$name.err" || {
		echo "# tapline decode $* $name.pcap failed:"; cat "$TMP/$name.err"; }
	rss=$(tail -1 "$TMP/rss")
}
# rss_under_bound DESCRIPTION: ok when $rss is at most 64 MiB; a skip
# when $sanitized is 1 (AddressSanitizer's shadow memory).
rss_under_bound() {
	if [ "${sanitized:-0}" = 1 ]; then
		skip "$1: $rss KiB (AddressSanitizer: no RSS bound)"
	elif [ "$rss" -le 65536 ]; then
		ok "$1: peak RSS $((rss / 1024)) MiB <= 64 MiB"
	else
		not_ok "$1: peak RSS $((rss / 1024)) MiB > 64 MiB"
	fi
}
done_testing() { echo "1..$tap_n"; [ "$tap_fail" -eq 0 ]; }
# The timeline's views make message bodies with tapline's SQL functions
# (tapline-sql(1)): the sqlite3 shell of the tests loads the extension the
# build made.  A sanitizer build's extension needs its runtimes first in
# the process (sqlite3 is not built with them); sqlite3's own leaks at
# exit are not ours to report (the options given last count).
sqlite3() {
	tapline_ext=$top_builddir/tapline_sql.so
	tapline_rt=$(ldd "$tapline_ext" 2>/dev/null |
		awk '$1 ~ /^lib(asan|ubsan)\.so/ { printf "%s%s", s, $3; s = ":" }')
	if [ -n "$tapline_rt" ]; then
		env LD_PRELOAD="$tapline_rt" \
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
			sqlite3 -cmd ".load $tapline_ext" "$@"
	else
		command sqlite3 -cmd ".load $tapline_ext" "$@"
	fi
}
