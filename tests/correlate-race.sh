#!/bin/sh
# correlate-race.sh - runs of tapline correlate on the same timeline at
# once: the check of a new file and the creation of its schema are one
# write transaction, and so are the look for an input and its adding, so
# every run succeeds and every input is in the timeline once.  (Before,
# two runs creating the same timeline failed 13-16 times in 20 with
# "table inputs already exists" or "not a tapline timeline".)
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
ex=$top_srcdir/examples
a=$ex/gfapi-utimens.pcap
b=$ex/auth-failure.pcap
rec=$ex/gfapi-utimens.rec
q() { sqlite3 -batch -noheader "$1" "$2"; }

# race TRIES INPUTS...: each try starts one run per INPUTS word (inputs
# joined by ',') at once on a new timeline; counts the tries in which a
# run failed, printed something, or the inputs table is not $want.
race() {
	tries=$1; shift
	bad=0
	for i in $(seq "$tries"); do
		rm -f "$TMP/t.db" "$TMP/t.db-journal"
		pids=""
		k=0
		for inputs in "$@"; do
			k=$((k + 1))
			# shellcheck disable=SC2086
			"$TAPLINE" correlate -q -o "$TMP/t.db" $(echo "$inputs" | tr , ' ') \
				>"$TMP/run$k.out" 2>&1 &
			pids="$pids $!"
		done
		failed=0
		for p in $pids; do wait "$p" || failed=$((failed + 1)); done
		got=$(q "$TMP/t.db" "SELECT count(*) || ' inputs, ' ||
			count(DISTINCT fingerprint) || ' distinct' FROM inputs" 2>&1)
		said=$(cat "$TMP"/run*.out)
		if [ "$failed" != 0 ] || [ -n "$said" ] || [ "$got" != "$want" ]; then
			bad=$((bad + 1))
			[ "$bad" -gt 3 ] || diag "try $i: $failed failed, $got: $(echo "$said" | head -3 | cut -c1-160 | tr "\n" " ")"
		fi
		rm -f "$TMP"/run*.out
	done
}

want="2 inputs, 2 distinct"
race 20 "$a" "$b"
[ "$bad" = 0 ] && ok "two runs creating the same timeline at once: 20 of 20 succeed, both inputs in once" ||
	not_ok "two runs at once: $bad of 20 tries went wrong"

# Four runs, two of them adding the same capture, all of them the same
# record file: each file once, and the runs that found it there say
# nothing under -q and succeed.
want="3 inputs, 3 distinct"
race 10 "$a,$rec" "$b,$rec" "$a,$rec" "$b,$rec"
[ "$bad" = 0 ] && ok "four runs at once, inputs shared: 10 of 10 tries each file once, every run succeeds" ||
	not_ok "four runs at once: $bad of 10 tries went wrong"

# What the second run of a pair sees is whole: the timeline answers as
# one run alone would make it.
rm -f "$TMP/t.db"
"$TAPLINE" correlate -q -o "$TMP/one.db" "$a" "$b"
"$TAPLINE" correlate -q -o "$TMP/t.db" "$a" & p1=$!
"$TAPLINE" correlate -q -o "$TMP/t.db" "$b" & p2=$!
wait "$p1"; wait "$p2"
sql="SELECT count(*), sum(msg_type = 'call'), sum(reply IS NOT NULL) FROM rpc_messages"
[ "$(q "$TMP/t.db" "$sql")" = "$(q "$TMP/one.db" "$sql")" ] &&
	ok "the raced timeline holds the messages one run makes ($(q "$TMP/one.db" "$sql"))" ||
	not_ok "raced: $(q "$TMP/t.db" "$sql"), one run: $(q "$TMP/one.db" "$sql")"

# Not a timeline: said in one line, exit 1.
q "$TMP/other.db" "CREATE TABLE x (y)"
"$TAPLINE" correlate -q -o "$TMP/other.db" "$a" >"$TMP/out" 2>&1 && rc=0 || rc=$?
[ "$rc" = 1 ] && grep -q "not a tapline timeline" "$TMP/out" && [ "$(wc -l <"$TMP/out")" = 1 ] &&
	ok "another SQLite database is refused in one line" ||
	not_ok "exit $rc: $(head -3 "$TMP/out")"
done_testing
