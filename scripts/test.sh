#!/bin/sh
# scripts/test.sh - everything CI does, on a fresh Debian 12 machine (root):
# installs the dependencies, builds, runs every test in the main
# configuration (the GlusterFS lab included), again under ASan+UBSan, and
# runs each fuzz harness for a bounded time.  Prints one closing line
# "tests: N passed, N failed, N skipped" and exits non-zero on any failure.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
FUZZ_SECONDS=${FUZZ_SECONDS:-30}

"$top/scripts/deps.sh"
[ -x configure ] && [ configure -nt configure.ac ] || { autoreconf -fi >/dev/null 2>&1 || autoreconf -fi; }

passed=0 failed=0 skipped=0 status=0
# count_results BUILDDIR: adds that build's automake results to the totals.
count_results() {
	for trs in $(find "$1" -name '*.trs'); do
		p=$(grep -c '^:test-result: PASS' "$trs" || true)
		f=$(grep -c '^:test-result: \(FAIL\|ERROR\|XPASS\)' "$trs" || true)
		s=$(grep -c '^:test-result: SKIP' "$trs" || true)
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	done
}
# run_config NAME [configure args...]: builds in build-NAME, runs make check.
run_config() {
	name=$1; shift
	dir="$top/build-$name"
	echo "== $name: configure and build ($dir)"
	mkdir -p "$dir"
	(cd "$dir" && "$top/configure" -q "$@" && make -s -j"$jobs" >/dev/null) || {
		echo "== $name: build failed"; status=1; return; }
	if [ "$name" = main ]; then
		# The -g GlusterFS client build that the DWARF tests of the
		# recorder and the tapsets use: built once, before the tests, so
		# that no test depends on another test having run first.
		echo "== $name: GlusterFS client libraries with -g (cached)"
		top_builddir="$dir" "$top/tests/lab/build-debug-gluster.sh" \
			"$dir/tests/lab/gluster-debug" >/dev/null 2>"$dir/debug-gluster.err" ||
			{ echo "== $name: no -g GlusterFS build:"; tail -5 "$dir/debug-gluster.err"; }
	fi
	echo "== $name: make check"
	find "$dir" -name '*.trs' -delete
	check_start=$(date +%s)
	# Failures are printed as they happen: a run cut short still says
	# what failed.  (Each test has a time limit: tests/bounded.sh.)
	rm -f "$dir/check.rc"
	(cd "$dir" || exit; rc=0; make -s -j"$jobs" check 2>&1 || rc=$?
	 echo "$rc" >"$dir/check.rc") |
		tee "$dir/check.out" | grep --line-buffered -E '^(FAIL|ERROR|XPASS):' || true
	if [ "$(cat "$dir/check.rc" 2>/dev/null)" != 0 ]; then
		status=1
		# Show the failing tests' logs so CI output explains itself.
		# (a test that died is named by its ERROR line, and may have
		# no "not ok" in its log)
		for log in $({ grep -lE '^(not ok|Bail out)' $(find "$dir/tests" -name '*.log') 2>/dev/null
			sed -n 's/^ERROR: \([^ ]*\)\.[a-z]* - .*/\1.log/p' "$dir/check.out" |
				sed "s|^|$dir/|"; } | sort -u); do
			[ -f "$log" ] || continue
			echo "--- $log"; tail -60 "$log"
		done
	fi
	grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR)' "$dir/check.out" | sed "s/^/$name /" || true
	# the slowest tests, to keep the run short
	echo "== $name: make check took $(( $(date +%s) - check_start )) s; slowest: $(find "$dir/tests" -name '*.log' -exec sed -n 's|^# \(.*/\)*\([^/ ]*\): \([0-9]*\) s$|\3 \2|p' {} + |
		sort -rn | head -5 | awk '{ printf "%s%s %s s", (NR > 1 ? ", " : ""), $2, $1 }')"
	count_results "$dir"
}

start=$(date +%s)
run_config main
# The sanitizer run skips the lab (it ran above) and decodes everything else.
export TAPLINE_NO_LAB=1 ASAN_OPTIONS=detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_config sanitize CC=gcc \
	CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
unset TAPLINE_NO_LAB

# Fuzzing: every libFuzzer harness replays its corpus, then fuzzes for
# FUZZ_SECONDS with a fixed -seed (tests/fuzz/run.sh: how to reproduce).
echo "== fuzz: ${FUZZ_SECONDS}s per harness"
mkdir -p "$top/build-fuzz"
if (cd "$top/build-fuzz" && "$top/configure" -q --enable-fuzz CC=clang >/dev/null &&
    make -s -j"$jobs" fuzz >/dev/null 2>&1); then
	if (cd "$top/build-fuzz" && make -s fuzz-run FUZZ_SECONDS="$FUZZ_SECONDS"); then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); status=1
	fi
else
	echo "== fuzz: build failed"; failed=$((failed + 1)); status=1
fi

echo "== took $(( $(date +%s) - start )) s"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
