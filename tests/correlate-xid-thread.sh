#!/bin/sh
# correlate-xid-thread.sh - one XID, one procedure, two connections of one
# process: which rpc.call event goes with which call?  The capture is the
# real 2-brick distribute session (tests/captures/distribute-2brick.pcap,
# libgfapi pid 2409 on host vm, known from SETVOLUME's process-uuid): both
# bricks get LOOKUP with XID 9, 0.33 ms apart.  The record is written here
# as libgfrpc's threads would leave it when a send is late: thread 102
# encodes the call that reaches the wire second (its socket's queue was
# busy) before thread 103 encodes the one that reaches it first.  Nearest
# in time would swap them; the thread that encodes a call writes it before
# it records anything else, and that settles it.  Frames and times are
# tshark's, not tapline's.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
for tool in sqlite3 tshark; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
cap=$top_srcdir/tests/captures/distribute-2brick.pcap
q() { sqlite3 -batch -noheader -separator ' ' "$1" "$2"; }
# call_links: "tid frame confidence" of each rpc.call's exact-XID link
# to a call in $db.
call_links() {
	q "$db" "SELECT e.tid, m.frame, l.confidence FROM links l
	JOIN probe_events e ON e.id = l.event JOIN messages m ON m.id = l.message
	WHERE e.probe = 'rpc.call' AND l.method = 'exact-xid' AND m.kind = 'request'
	ORDER BY e.tid"
}

# tshark: the LOOKUP calls (GlusterFS program 1298437, procedure 27) with
# XID 9, "frame time_ns", in time order.
tshark -r "$cap" -Y 'rpc.msgtyp == 0 && rpc.xid == 9 && rpc.program == 1298437 && rpc.procedure == 27' \
	-T fields -e frame.number -e frame.time_epoch 2>"$TMP/tshark.err" |
awk '{ split($2, t, "."); print $1, t[1] substr(t[2] "000000000", 1, 9) }' >"$TMP/lookups"
[ "$(wc -l <"$TMP/lookups")" = 2 ] || {
	sed 's/^/# /' "$TMP/tshark.err" "$TMP/lookups"
	skip_all "tshark does not see two LOOKUP calls with XID 9"
}
read -r first t_first second t_second <<EOF
$(tr '\n' ' ' <"$TMP/lookups")
EOF
gap=$((t_second - t_first))
[ "$gap" -gt 100000 ] && [ "$gap" -lt 1000000 ] &&
	ok "tshark: LOOKUP XID 9 in frames $first and $second, $gap ns apart, on two connections" ||
	not_ok "tshark: LOOKUP XID 9 frames $first $second, $gap ns apart"

# Thread 102 encodes at -200 us and records next 40 us after the second
# call is on the wire; thread 103 encodes at -30 us and records next
# 25 us after the first.
# records FILE ENCODE102 NEXT102 ENCODE103 NEXT103: threads 102 and 103
# of pid 2409 encode a LOOKUP with XID 9 and record next at those times.
records() {
	cat >"$1" <<EOF
tapline-records 1 host=vm clock=realtime clock_offset_ns=0 boot_id=? recorder=test start_ns=$((t_first - 1000000000))
$2 2409 102 "glfs_epoll000" rpc.call event xid=9 prog=1298437 vers=400 proc=27
$4 2409 103 "glfs_epoll001" rpc.call event xid=9 prog=1298437 vers=400 proc=27
$5 2409 103 "glfs_epoll001" epoll.wait event
$3 2409 102 "glfs_epoll000" epoll.wait event
EOF
}
rec=$TMP/client.rec
records "$rec" $((t_first - 200000)) $((t_second + 40000)) \
	$((t_first - 30000)) $((t_first + 25000))
db=$TMP/t.db
"$TAPLINE" correlate -q -o "$db" "$cap" "$rec" 2>"$TMP/err" ||
	{ sed 's/^/# /' "$TMP/err"; not_ok "tapline correlate failed"; done_testing; exit 1; }

got=$(call_links)
[ "$got" = "102 $second 1.0
103 $first 1.0" ] &&
	ok "thread 103's call is frame $first (sent before its next record), thread 102's is frame $second" ||
	not_ok "exact-xid links (tid frame confidence): $got (want 102 $second, 103 $first)"
notes=$(q "$db" "SELECT e.tid || ': ' || l.note FROM links l
	JOIN probe_events e ON e.id = l.event JOIN messages m ON m.id = l.message
	WHERE e.probe = 'rpc.call' AND m.kind = 'request' ORDER BY e.tid")
case $notes in
*"103: connection of the pid, known by SETVOLUME process-uuid; several connections carry this XID: the one it was sent on before its thread's next record"*)
	ok "the note says why" ;;
*)	not_ok "notes: $notes" ;;
esac
# Each call's reply goes with it.
replies=$(q "$db" "SELECT count(*) FROM links l JOIN probe_events e ON e.id = l.event
	JOIN messages m ON m.id = l.message JOIN messages c ON c.id = m.request
	WHERE e.probe = 'rpc.call' AND m.kind = 'response'
	AND c.frame = CASE e.tid WHEN 102 THEN $second ELSE $first END")
[ "$replies" = 2 ] && ok "and each its reply" || not_ok "replies linked with their calls: $replies"

# When thread 103 records nothing until after both calls are sent, its
# window holds both: nearest in time, marked as a guess.
records "$TMP/late.rec" $((t_first - 200000)) $((t_second + 40000)) \
	$((t_first - 30000)) $((t_second + 25000))
rm -f "$db"
"$TAPLINE" correlate -q -o "$db" "$cap" "$TMP/late.rec" 2>"$TMP/err" ||
	sed 's/^/# /' "$TMP/err"
[ "$(q "$db" "SELECT count(*) FROM links l JOIN probe_events e ON e.id = l.event
	WHERE e.probe = 'rpc.call' AND l.confidence = 0.5
	AND l.note LIKE '%several connections carry this XID: nearest in time'")" = 2 ] &&
	ok "both threads' windows hold both calls: each link is nearest in time, confidence 0.5" ||
	not_ok "undecided calls: $(q "$db" "SELECT e.tid, l.confidence, l.note FROM links l JOIN probe_events e ON e.id = l.event WHERE e.probe = 'rpc.call'")"

# When each thread records next before the second call is sent, both
# threads' windows hold the first call only: one of the two sends was
# late, and either thread's could be (thread 102 encodes at -100 us and
# records next at +40 us, thread 103 at -20 us and +25 us).  Neither link
# may claim to be sure: on a loaded host the rule that gave thread 102
# the first call, surely, and then thread 103 the second was wrong.
records "$TMP/contested.rec" $((t_first - 100000)) $((t_first + 40000)) \
	$((t_first - 20000)) $((t_first + 25000))
rm -f "$db"
"$TAPLINE" correlate -q -o "$db" "$cap" "$TMP/contested.rec" 2>"$TMP/err" ||
	sed 's/^/# /' "$TMP/err"
got=$(call_links)
[ "$got" = "102 $first 0.5
103 $second 0.5" ] &&
	ok "both threads' windows hold the first call only: nearest in time, each a guess (0.5)" ||
	not_ok "contested calls (tid frame confidence): $got (want 102 $first 0.5, 103 $second 0.5)"
done_testing
