#!/bin/sh
# golden.sh - tcpdump-style golden tests of `tapline decode`: each row of
# tests/TESTLIST names a capture under tests/captures/, an expected output
# under tests/golden/ and the options; the output must match byte for
# byte, the exit status must be 0 and nothing may appear on stderr.
#
# GOLDEN_ACCEPT=1 (`make accept`) rewrites the expected outputs from the
# current program after printing the differences: use it only once a
# human has checked those differences against an independent source, as
# the TESTLIST header says for every row.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

# A protocol's own list and expected outputs may be given instead
# (tests/cql/golden.sh).
testlist=${GOLDEN_TESTLIST:-$top_srcdir/tests/TESTLIST}
golden=${GOLDEN_DIR:-$top_srcdir/tests/golden}
captures=$top_srcdir/tests/captures
accept=${GOLDEN_ACCEPT:-0}

"$TAPLINE" decode --help >/dev/null 2>&1 ||
	skip_all "tapline has no decode command in this build"

while read -r name capture expected options; do
	case $name in '' | '#'*) continue ;; esac
	# several captures read as one: a,b,c
	files=""
	missing=""
	for c in $(echo "$capture" | tr ',' ' '); do
		[ -f "$captures/$c" ] || missing="$missing $c"
		files="$files $captures/$c"
	done
	if [ -n "$missing" ]; then
		skip "$name: capture$missing not in tests/captures"
		continue
	fi
	eval "set -- $options"
	if "$TAPLINE" decode "$@" $files >"$TMP/$name.out" 2>"$TMP/$name.err"; then
		rc=0
	else
		rc=$?
	fi
	if [ "$accept" = 1 ]; then
		if [ -f "$golden/$expected" ] &&
			cmp -s "$golden/$expected" "$TMP/$name.out"; then
			ok "$name: unchanged"
		else
			diag "$name: re-blessing $expected:"
			diff -u "$golden/$expected" "$TMP/$name.out" 2>&1 |
				head -60 | sed 's/^/# /' || true
			mkdir -p "$golden"
			cp "$TMP/$name.out" "$golden/$expected"
			ok "$name: accepted"
		fi
		continue
	fi
	problems=""
	[ "$rc" -eq 0 ] || problems="$problems exit status $rc;"
	[ -s "$TMP/$name.err" ] && problems="$problems unexpected stderr;"
	if [ ! -f "$golden/$expected" ]; then
		problems="$problems no expected output $expected;"
	elif ! cmp -s "$golden/$expected" "$TMP/$name.out"; then
		problems="$problems output differs;"
	fi
	if [ -z "$problems" ]; then
		ok "$name"
	else
		not_ok "$name:$problems"
		sed 's/^/#   stderr: /' "$TMP/$name.err" | head -10
		[ -f "$golden/$expected" ] &&
			diff -u "$golden/$expected" "$TMP/$name.out" |
			head -40 | sed 's/^/#   /' || true
	fi
done <"$testlist"
done_testing
