#!/bin/sh
# ceph-memory.sh - Ceph requests waiting for their replies stay within the
# decoder's memory budget (the waiting requests of every protocol, one
# set: base/waiting.h): on bench/hostile's ceph-unanswered captures
# (msgr v1 OSD_OPs that no OSD_OPREPLY answers, every crc right), every
# OSD_OP is decoded and ends either unanswered (waiting when the capture
# ended) or expired by the budget, oldest first; -z expert and
# -z unanswered say so; peak RSS stays under 64 MiB.  Pure: no lab.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

need_hostile	# under AddressSanitizer: no RSS bound, the same counts

# counts NAME: requests, unanswered and expired from the Decoder line of
# -z unanswered.
counts() {
	sed -n 's/^Decoder: \([0-9]*\) requests, [0-9]* responses, \([0-9]*\) unanswered\( (and \([0-9]*\) expired.*\)\{0,1\}, .*/\1 \2 \4/p' \
		"$TMP/$1.out"
}

# 64 connections x 1024 OSD_OPs: all wait within the default budget.
"$hostile" "$TMP/small.pcap" ceph-unanswered 64 1024
decode_rss small -q -z unanswered
set -- $(counts small)
check "64 x 1024 OSD_OPs within the default budget: all wait, none expired ($*)" \
	test "$1 $2 ${3:-0}" = "65536 65536 0"
check "  ... each an OSD_OP request of the Ceph protocol" \
	test "$(grep -c '^ *[0-9]* *0x[0-9a-f]* *[0-9]*  Ceph OSD ' "$TMP/small.out")" -eq 65536

# The same within --max-memory 4M: the oldest expire.
decode_rss small -q -z unanswered -z expert --max-memory 4M
set -- $(counts small)
expired=${3:-0}
check "  ... within --max-memory 4M the oldest expire ($expired; $2 still wait)" \
	test "$1" -eq 65536 -a "$expired" -gt 0 -a $(($2 + expired)) -eq 65536
check "  ... -z expert says the budget expired them" \
	grep -q "^Decoder: $expired requests expired, oldest first: response not seen within the memory budget" \
	"$TMP/small.out"
check "  ... -z unanswered marks $expired of them [expired]" \
	test "$(grep -c ' Ceph OSD .* \[expired\]$' "$TMP/small.out")" -eq "$expired"
# oldest first: no request still waiting comes before an expired one
last_expired=$(grep ' \[expired\]$' "$TMP/small.out" | awk 'END { print $1 }')
first_waiting=$(grep ' Ceph OSD ' "$TMP/small.out" | grep -v ' \[expired\]$' |
	awk 'NR == 1 { print $1 }')
check "  ... the oldest went first (last expired in frame $last_expired, first waiting in $first_waiting)" \
	test "$last_expired" -le "$first_waiting"
rss_under_bound "  ... in --max-memory 4M"

# MON_GET_VERSION requests wait by their handle, apart from MON_COMMAND
# tids: those the budget gives up are marked as -z unanswered lists them.
"$hostile" "$TMP/versions.pcap" ceph-versions 64 1024
decode_rss versions -q -z unanswered -z expert --max-memory 4M
set -- $(counts versions)
expired=${3:-0}
check "64 x 1024 MON_GET_VERSIONs within --max-memory 4M: the oldest expire ($expired; $2 still wait)" \
	test "$1" -eq 65536 -a "$expired" -gt 0 -a $(($2 + expired)) -eq 65536
check "  ... -z unanswered marks $expired of them [expired]" \
	test "$(grep -c ' Ceph MON V0 MON_GET_VERSION \[expired\]$' "$TMP/versions.out")" -eq "$expired"

# 1000 connections x 1024 (77 MB): the default budget holds, oldest
# first.
scale=1
[ "$sanitized" = 0 ] || scale=16
conns=$((1000 / scale))
"$hostile" "$TMP/big.pcap" ceph-unanswered $conns 1024
decode_rss big -q -z unanswered
set -- $(counts big)
check "$conns x 1024 OSD_OPs: each decoded, unanswered ($2) or expired (${3:-0})" \
	test "$1" -eq $((conns * 1024)) -a $(($2 + ${3:-0})) -eq $((conns * 1024))
if [ "$sanitized" = 1 ]; then
	skip "  ... some expired within the default budget (AddressSanitizer: a capture too small)"
else
	check "  ... some expired within the default budget" test "${3:-0}" -gt 0
fi
rss_under_bound "  ... $conns x 1024 ($(($(wc -c <"$TMP/big.pcap") / 1048576)) MB)"
done_testing
