#!/bin/sh
# correlate-refused.sh - connections refused, by a reset or by ICMP, in the
# timeline: conversations.state and syn_count as the decoder's connection
# events give them, checked against tshark's reading of the same frames,
# and what tapline diagnose says of them.
#
# The ICMP capture is tests/decode-icmp.sh's (kept as a fuzz corpus entry):
# real connect() calls in a private network namespace to ports nft rejects
# with ICMP port unreachable (40001, and over IPv6), host unreachable
# (40002) and administratively filtered (40003); the kernel retried each
# SYN once.  Port unreachable refuses (ECONNREFUSED, as a reset); the
# others leave the connection 'unreachable' (EHOSTUNREACH).  The reset
# capture is a mount a firewall REJECTed with a TCP
# reset; the drop capture one whose SYNs nobody answered.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
command -v tshark >/dev/null || skip_all "tshark not installed (scripts/deps.sh)"

icmp=$top_srcdir/tests/fuzz/corpus/pcap/icmp-unreachable.pcap
reset=$top_srcdir/tests/captures/mount-failure-reject.pcap
drop=$top_srcdir/tests/captures/mount-failure-drop.pcap
for cap in "$icmp" "$reset" "$drop"; do
	n=$(basename "$cap" .pcap)
	"$TAPLINE" correlate -q -o "$TMP/$n.db" "$cap" 2>"$TMP/$n.err" ||
		not_ok "correlate $n"
	check "correlate $n: nothing on stderr" test ! -s "$TMP/$n.err"
done

# conv DB PORT COLUMN: the column of the conversation whose client port is
# PORT (the IPv4 one when both families used it).
conv() {
	sqlite3 "$1" "SELECT $3 FROM conversations WHERE client_port = $2
		      ORDER BY client_addr LIKE '%:%', id LIMIT 1"
}
conv6() {
	sqlite3 "$1" "SELECT $3 FROM conversations WHERE client_port = $2
		      AND client_addr LIKE '%:%'"
}
# tshark's SYNs (no ACK) from a client port, the ICMP errors' quoted
# headers left out.
syns() {
	tshark -r "$1" -n -Y "tcp.flags.syn == 1 && tcp.flags.ack == 0 &&
		tcp.srcport == $2 && !icmp && !icmpv6" -T fields \
		-e frame.number 2>/dev/null | wc -l
}
# The time of the last frame that matches FILTER, in nanoseconds.
last_ns() {
	tshark -r "$1" -n -Y "$2" -T fields -e frame.time_epoch 2>/dev/null |
		tail -1 | tr -d . | sed 's/^0*//'
}

# ---- ICMP: port unreachable refuses, the other codes say unreachable ----
tshark -r "$icmp" -n -Y 'icmp.type == 3 || icmpv6.type == 1' -T fields \
	-e icmp.code -e icmpv6.code -e tcp.srcport -e tcp.dstport 2>/dev/null |
	awk -F '\t' '{ print ($1 == "" ? "-" : $1), ($2 == "" ? "-" : $2), $3, $4 }' |
	sort -u >"$TMP/icmp.tsv"
sed 's/^/#   tshark icmp code, icmpv6 code, client port, server port: /' \
	"$TMP/icmp.tsv"
[ "$(wc -l <"$TMP/icmp.tsv")" = 4 ] &&
	ok "tshark: ICMP errors about 4 connections" ||
	not_ok "tshark: not 4 connections answered by ICMP"
while read -r code code6 cport sport; do
	if [ "$code6" != - ]; then
		family=IPv6 get=conv6 filter="icmpv6.type == 1 && tcp.srcport == $cport"
		refused=$([ "$code6" = 4 ] && echo yes || echo no)
	else
		family=IPv4 get=conv filter="icmp.type == 3 && tcp.srcport == $cport"
		refused=$([ "$code" = 3 ] && echo yes || echo no)
	fi
	state=$($get "$TMP/icmp-unreachable.db" "$cport" state)
	count=$($get "$TMP/icmp-unreachable.db" "$cport" syn_count)
	want=$(syns "$icmp" "$cport")
	server=$($get "$TMP/icmp-unreachable.db" "$cport" server_port)
	if [ "$refused" = yes ]; then
		[ "$state" = refused ] &&
			ok "$family port unreachable from :$sport: state refused" ||
			not_ok "$family port unreachable from :$sport: state '$state', not refused"
	else
		[ "$state" = unreachable ] &&
			ok "$family ICMP code $code from :$sport: not refused, unreachable" ||
			not_ok "$family ICMP code $code from :$sport: state '$state'"
	fi
	last=$($get "$TMP/icmp-unreachable.db" "$cport" last_ts_ns)
	at=$(last_ns "$icmp" "$filter")
	[ "$last" = "$at" ] &&
		ok "$family :$sport: the connection ends at tshark's last ICMP frame ($at)" ||
		not_ok "$family :$sport: last_ts_ns $last, the last ICMP frame at $at"
	[ "$count" = "$want" ] && [ "$server" = "$sport" ] &&
		ok "$family :$sport: syn_count $count, as tshark counts the SYNs of port $cport" ||
		not_ok "$family :$sport: syn_count '$count' (server port '$server'), tshark counts $want SYNs"
done <"$TMP/icmp.tsv"
check "no other conversation in the ICMP capture" \
	test "$(sqlite3 "$TMP/icmp-unreachable.db" 'SELECT count(*) FROM conversations')" = 4

# ---- a reset refuses; SYNs nobody answered stay syn-sent ----
for case in "reset refused 'tcp.flags.reset == 1'" "drop syn-sent ''"; do
	eval "set -- $case"
	cap=$(eval echo "\$$1") want=$2
	db=$TMP/$(basename "$cap" .pcap).db
	rows=$(sqlite3 "$db" "SELECT client_port || ' ' || syn_count FROM
			       conversations WHERE state = '$want'")
	[ -n "$rows" ] || not_ok "$1: no conversation in state $want"
	while read -r cport count; do
		[ -n "$cport" ] || continue
		t=$(syns "$cap" "$cport")
		[ "$count" = "$t" ] &&
			ok "$1: :$cport $want with syn_count $count, as tshark counts" ||
			not_ok "$1: :$cport $want, syn_count $count, tshark counts $t"
	done <<EOF
$rows
EOF
	if [ -n "$3" ]; then
		n=$(tshark -r "$cap" -n -Y "$3" -T fields -e frame.number 2>/dev/null | wc -l)
		[ "$n" -ge 1 ] && ok "$1: tshark sees the reset ($n)" ||
			not_ok "$1: tshark sees no reset"
	fi
done

# ---- diagnose says an ICMP refusal as it says a reset's ----
for n in icmp-unreachable mount-failure-reject; do
	"$TAPLINE" diagnose "$TMP/$n.db" >"$TMP/$n.diag" 2>"$TMP/$n.diag.err" ||
		not_ok "diagnose $n"
	sed 's/^/#   /' "$TMP/$n.diag"
done
said=$(sed -n 's/^  [^ ]*: \(connection refused[^,]*\), from .*/\1/p' \
	"$TMP/mount-failure-reject.diag")
[ -n "$said" ] && ok "diagnose on the reset: '$said'" ||
	not_ok "diagnose on the reset says no connection refused"
check "diagnose: the IPv4 and IPv6 ICMP refusals, in the reset's words" sh -c \
	'grep -q "^  127\.0\.0\.2:40001: $1, from 127\.0\.0\.1:" "$0" &&
	 grep -q "^  ::1:40001: $1, from ::1:" "$0"' "$TMP/icmp-unreachable.diag" "$said"
check "diagnose: host unreachable and filtered are not said to be refused, nor unanswered" sh -c \
	'! grep -q ":4000[23]: connection refused" "$0" &&
	 test "$(grep -c ":4000[23]: destination unreachable (ICMP, 2 SYN), from 127\.0\.0\.1:" "$0")" = 2' \
	"$TMP/icmp-unreachable.diag"
check "diagnose: 4 connections that failed" \
	grep -q "^Connections that failed (4):" "$TMP/icmp-unreachable.diag"
check "diagnose: no word on unanswered attempts where every one was answered" sh -c \
	'! grep -q "^  (unanswered:" "$0"' "$TMP/icmp-unreachable.diag"
check "diagnose: nothing on stderr" sh -c \
	'test ! -s "$0" && test ! -s "$1"' "$TMP/icmp-unreachable.diag.err" \
	"$TMP/mount-failure-reject.diag.err"

# ---- the same conversations with the correlator's memories made tiny
# (an ICMP refusal told after its connection left the memo) ----
small=$top_builddir/tests/tapline-small
if [ -x "$small" ]; then
	"$small" correlate -q -o "$TMP/small.db" "$icmp"
	q='SELECT * FROM conversations ORDER BY id'
	check "tests/tapline-small stores the same conversations" test \
		"$(sqlite3 "$TMP/small.db" "$q")" = \
		"$(sqlite3 "$TMP/icmp-unreachable.db" "$q")"
else
	skip "tests/tapline-small not built"
fi

done_testing
