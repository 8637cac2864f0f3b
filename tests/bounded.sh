#!/bin/sh
# tests/bounded.sh TEST [ARGS...] - runs one test (a shell script or a
# program) with a time limit, as `make check` runs every test: a test
# that hangs -- a daemon that never answers, a capture that never ends --
# is stopped, with the whole process group it started, and reported as an
# ERROR in its own log instead of stalling the run.  Each log ends with the
# seconds the test took.  TAPLINE_TEST_TIMEOUT sets the limit (seconds,
# default 900; the slowest, tests/stap-lab.sh, takes about 2 minutes).
limit=${TAPLINE_TEST_TIMEOUT:-900}
case $limit in ''|*[!0-9]*|0) echo "Bail out! TAPLINE_TEST_TIMEOUT=$limit: not a number of seconds"; exit 99 ;; esac
test=$1
case $test in
*.sh) set -- sh "$@" ;;
*/*) ;;
*) shift; set -- "./$test" "$@" ;;	# a program here, not one on PATH
esac
start=$(date +%s)
# timeout makes a process group of its own and signals all of it: TERM
# (the test's own clean-up runs), then KILL 30 s later.
timeout -k 30 "$limit" "$@" && rc=0 || rc=$?
echo "# $test: $(( $(date +%s) - start )) s"
case $rc in
124|137) echo "Bail out! $test: no end after $limit s (TAPLINE_TEST_TIMEOUT), stopped" ;;
esac
exit $rc
