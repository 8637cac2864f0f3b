#!/bin/sh
# tests/cql/budget.sh - CQL's requests wait in the decoder's table
# (base/waiting.h), charged to its memory budget: 20 connections each
# send 6000 QUERYs that no RESULT answers (bench/hostile cql).  Within the
# default budget all of them wait to the end; within --max-memory 4M the
# oldest expire, each counted once, marked [expired] in -z unanswered,
# and with the ones still waiting they add up to the 120,000 sent.
# Pure: no lab, no lock.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/setup.sh"

hostile=$top_builddir/bench/hostile
[ -x "$hostile" ] || skip_all "no $hostile (make)"
"$hostile" "$TMP/cql.pcap" cql 20 6000 || skip_all "bench/hostile has no cql shape"
sent=120000

# counts NAME: requests, responses, unanswered and expired from the
# decoder's line of -z unanswered in $TMP/NAME.out.
counts() {
	sed -n 's/^Decoder: \([0-9]*\) requests, \([0-9]*\) responses, \([0-9]*\) unanswered\( (and \([0-9]*\) expired[^)]*)\)\{0,1\}, .*/\1 \2 \3 \5/p' \
		"$TMP/$1.out"
}

"$TAPLINE" decode -q -z unanswered "$TMP/cql.pcap" >"$TMP/default.out" 2>&1
set -- $(counts default)
check "default budget: $sent requests, none answered, all waiting at the end" \
	test "${1:-} ${2:-} ${3:-} ${4:-0}" = "$sent 0 $sent 0"
check "  ... -z unanswered lists them all" \
	grep -q "^Unanswered requests: $sent\$" "$TMP/default.out"

"$TAPLINE" decode -q -z unanswered --max-memory 4M "$TMP/cql.pcap" >"$TMP/small.out" 2>&1
set -- $(counts small)
waiting=${3:-0} expired=${4:-0}
check "--max-memory 4M: the oldest expire ($expired), the rest wait ($waiting): $sent in all" \
	test "${1:-0}" -eq "$sent" -a "$expired" -gt 0 -a $((waiting + expired)) -eq "$sent"
check "  ... -z unanswered says how many it gave up" \
	grep -q "^\[expired\]: $expired requests given up before the end of the capture" "$TMP/small.out"
first=$(grep -m1 ' CQL CQL V4 QUERY' "$TMP/small.out")
last=$(grep ' CQL CQL V4 QUERY' "$TMP/small.out" | tail -1)
check "  ... the first listed expired ($first), the last did not ($last)" \
	sh -c "echo '$first' | grep -q ' \[expired\]\$' && ! echo '$last' | grep -q expired"
done_testing
