#!/bin/sh
# example-run.sh - examples/run.sh (what scripts/example.sh prints on a
# fresh machine) runs to the end on the bundled sessions: the atime -1
# answer, whose path and times are the client's own log's, then tapline
# diagnose's report on the auth and mount failures.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
ex=$top_srcdir/examples
check "examples/run.sh exits 0" sh -c \
	'TAPLINE="$1" "$2/run.sh" >"$0" 2>"$0.err"' "$TMP/out" "$TAPLINE" "$ex"
sed 's/^/#   /' "$TMP/out"
line=$(grep 'call=glfs_utimens .*atime=-1\.' "$ex/gfapi-utimens.client.log" | head -1)
path=$(echo "$line" | sed -n 's/.* path=\([^ ]*\) .*/\1/p')
grep -q "the call    glfs_utimens(\"$path\", atime=-1.000000000" "$TMP/out" &&
	ok "the answer names the call the client logged with atime -1 ($path)" ||
	not_ok "no answer for $path with atime -1"
grep -q '^Calls that never returned (1):' "$TMP/out" &&
	grep -q '^Connections that failed (1):' "$TMP/out" &&
	ok "then diagnose: the hung glfs_init and the failed connection" ||
	not_ok "diagnose's report missing from the example"
done_testing
