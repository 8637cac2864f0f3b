#!/bin/sh
# correlate-lab.sh - end to end on the real GlusterFS lab: a real libgfapi
# client recorded with `tapline record` while tcpdump captures, then
# `tapline correlate`, then the classic questions asked in SQL and their
# answers checked against independent sources: the client's own log (its
# CLOCK_REALTIME before/after each call), the probe records' XIDs, and
# tshark's reading of the same capture.
#
# Scenarios: the atime -1 case, the SETVOLUME authentication
# failure, the mount failure (brick port dropped, then rejected with an
# ICMP error).  Set
# CORRELATE_LAB_KEEP=DIR to keep the captures, records, logs and timelines.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
need_lab
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
command -v tcpdump >/dev/null || skip_all "tcpdump not installed"
"$TAPLINE" record --help >/dev/null 2>&1 || skip_all "tapline record not built"
mountpoint -q /sys/kernel/tracing ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
	skip_all "no tracefs (tapline record needs it)"

. "$top_srcdir/tests/lab/session.sh"
session_lab_up tlcorr

q() { sqlite3 -batch -noheader "$1" "$2"; }

# window_check NAME DB: every RPC call tshark sees in NAME.pcap while a
# glfs_* call of the records ran (entry to return; a call that never
# returned: to its process's last record) is linked to that call -- the
# LOOKUPs and PINGs of no procedure list included -- except work a call
# left behind: a WRITE sent after a glfs_*write returned and before the
# process's next write call (write-behind), a RELEASE or FLUSH after
# glfs_close (RELEASEDIR after glfs_closedir) before the next one, which
# must be linked to that call instead (and to the one nested in it:
# glfs_write runs glfs_pwritev).  GlusterFS's FOP program 1298437:
# WRITE 13, FLUSH 15, RELEASE 41, RELEASEDIR 42 (glusterfs' xdr).  The
# lab's captures hold the client's connections only, so every call in a
# window is the client's.
window_check() {
	if ! command -v tshark >/dev/null; then
		skip "tshark not installed"
		return
	fi
	{
		echo "CREATE TEMP TABLE wire (frame, ts_ns, program, proc);"
		# frame.time_epoch as integer ns, without floating point
		tshark -r "$out/$1.pcap" -Y 'rpc.msgtyp == 0' -T fields \
			-e frame.number -e frame.time_epoch -e rpc.program \
			-e rpc.procedure 2>/dev/null |
		awk -F'\t' '{ split($2, t, "."); f = substr(t[2] "000000000", 1, 9)
			printf "INSERT INTO wire VALUES (%d, %s%s, %d, %d);\n",
				$1, t[1], f, $3, $4 }'
		cat "$top_srcdir/tests/lab/call-windows.sql"
		cat <<'EOF'
CREATE TEMP TABLE deferred AS
 SELECT c.id AS event, w.frame
 FROM wire w JOIN (SELECT 13 AS proc, 'write' AS kind UNION ALL SELECT 15, 'close'
  UNION ALL SELECT 41, 'close' UNION ALL SELECT 42, 'closedir') k
  ON w.program = 1298437 AND w.proc = k.proc
 JOIN calls c ON c.kind = k.kind AND c.t_ret < w.ts_ns
  AND w.ts_ns - c.t_ret < 10000000000 AND NOT EXISTS (SELECT 1 FROM calls n
   WHERE n.kind = c.kind AND n.pid = c.pid AND n.t0 > c.t_ret AND n.t0 < w.ts_ns);
CREATE TEMP TABLE expected AS
 SELECT event, frame FROM deferred
 UNION SELECT c.id, w.frame FROM calls c JOIN wire w ON w.ts_ns BETWEEN c.t0 AND c.t1
  WHERE w.frame NOT IN (SELECT frame FROM deferred);
-- Right too, not required: a deferred frame inside the window of a call
-- that encloses the one that left it (write-behind's WRITE after the
-- nested glfs_pwritev returned, before glfs_write did).
CREATE TEMP TABLE allowed AS
 SELECT event, frame FROM expected
 UNION SELECT c.id, d.frame FROM deferred d JOIN calls dc ON dc.id = d.event
  JOIN calls c ON c.pid = dc.pid AND c.tid = dc.tid AND c.id <> dc.id
   AND c.t0 <= dc.t0 AND dc.t_ret <= c.t1
  JOIN wire w ON w.frame = d.frame AND w.ts_ns BETWEEN c.t0 AND c.t1;
SELECT (SELECT count(*) FROM wire), (SELECT count(*) FROM expected),
 (SELECT count(*) FROM expected x WHERE EXISTS (SELECT 1 FROM links l
   JOIN rpc_messages m ON m.id = l.message WHERE l.event = x.event
   AND l.method = 'time-window' AND m.frame = x.frame)),
 (SELECT group_concat(c.probe || '/' || x.frame, ' ') FROM expected x
  JOIN calls c ON c.id = x.event WHERE NOT EXISTS (SELECT 1 FROM links l
   JOIN rpc_messages m ON m.id = l.message WHERE l.event = x.event
   AND l.method = 'time-window' AND m.frame = x.frame)),
 (SELECT count(*) FROM links l JOIN rpc_messages m ON m.id = l.message
  JOIN calls c ON c.id = l.event
  WHERE l.method = 'time-window' AND l.note NOT LIKE '%at the edge of%'
   AND NOT EXISTS (SELECT 1 FROM allowed x
   WHERE x.event = l.event AND x.frame = m.frame)),
 (SELECT count(*) FROM links l JOIN calls c ON c.id = l.event
  WHERE l.method = 'time-window' AND l.note LIKE '%at the edge of%');
EOF
	} >"$TMP/$1.window.sql"
	result=$(sqlite3 -batch -noheader "$2" <"$TMP/$1.window.sql")
	IFS='|' read -r wire expected linked missing wrong edge <<EOF
$result
EOF
	[ "${expected:-0}" -gt 0 ] && [ "$linked" = "$expected" ] &&
		ok "$1: all $expected links of glfs_* calls to the RPC calls tshark sees in their windows, write-behind and deferred release included ($wire calls in the capture)" ||
		not_ok "$1: $linked of $expected call-to-RPC links; missing (call/frame): $missing"
	# A link the join itself marks as at a window's edge (an RPC
	# whose frame lies just outside every call's window, linked by the
	# clock slack) is no claim that the frame is inside: the capture's
	# clock cannot judge it; tests/correlate-oracle.sh, from the
	# kernel's sends, does.
	[ "$wrong" = 0 ] && ok "$1: no glfs_* call linked to an RPC beyond them (${edge:-0} at a window's edge, said so)" ||
		{ not_ok "$1: $wrong time-window links not in the expected set"
		  sqlite3 -batch -noheader "$2" "SELECT '#   ' || e.probe || ' -> frame ' ||
			m.frame || ': ' || l.note FROM links l JOIN rpc_messages m
			ON m.id = l.message JOIN probe_events e ON e.id = l.event
			WHERE l.method = 'time-window'"; }
}

# ---- 1. the atime -1 case: glfs_utimens with atime -1 ----
record utimens --server 127.0.0.2 --volume single --path /atime.txt
db=$out/utimens.db
rm -f "$db"
check "correlate the utimens capture and records" \
	"$TAPLINE" correlate -q -o "$db" "$out/utimens.pcap" "$out/utimens.rec"

answer=$(q "$db" "
SELECT e.ts_ns, json_extract(e.args, '\$.path'), c.frame, c.xid,
  (SELECT json_extract(t.value, '\$.value') FROM json_tree(c.body) t
   WHERE t.type = 'object' AND json_extract(t.value, '\$.name') = 'glusterfs.ia_atime'),
  r.frame, r.op_ret, l.confidence
FROM probe_events e
JOIN links l ON l.event = e.id AND l.method = 'time-window'
JOIN rpc_messages c ON c.id = l.message AND c.msg_type = 'call' AND c.proc_name = 'SETATTR'
LEFT JOIN rpc_messages r ON r.id = c.reply
WHERE e.probe = 'gfapi.utimens' AND e.phase = 'entry'
  AND json_extract(e.args, '\$.atime_sec') = -1")
diag "atime -1 answer: $answer"
IFS='|' read -r ev_ts path call_frame xid wire_atime reply_frame op_ret conf <<EOF
$answer
EOF
if [ -n "$answer" ] && [ "$(echo "$answer" | wc -l)" -eq 1 ]; then
	ok "one glfs_utimens call sent atime -1, joined to one SETATTR"
else
	not_ok "one glfs_utimens call sent atime -1, joined to one SETATTR"
fi
[ "$path" = /atime.txt ] && [ "$wire_atime" = "-1.000000000" ] &&
	[ "$op_ret" = 0 ] && [ "$conf" = 1.0 ] &&
	ok "the SETATTR carried atime -1 on the wire and its reply says op_ret 0" ||
	not_ok "SETATTR wire atime '$wire_atime', reply op_ret '$op_ret', confidence '$conf'"
# The client's own log: the entry lies inside the call's start..end.
line=$(grep 'call=glfs_utimens .*atime=-1\.' "$out/utimens.client.log" || true)
start=$(echo "$line" | sed -n 's/.*start=\([0-9]*\).*/\1/p')
end=$(echo "$line" | sed -n 's/.*end=\([0-9]*\).*/\1/p')
[ -n "$start" ] && [ "$ev_ts" -ge "$start" ] && [ "$ev_ts" -le "$end" ] &&
	ok "the probe's entry time lies inside the client's own start..end" ||
	not_ok "probe entry $ev_ts not in client log $start..$end"
# tshark: the call frame carries that XID as a call, the reply frame as a reply.
if command -v tshark >/dev/null; then
	t_call=$(tshark -r "$out/utimens.pcap" -Y "frame.number == $call_frame" \
		-T fields -e rpc.xid -e rpc.msgtyp 2>/dev/null | head -1)
	t_reply=$(tshark -r "$out/utimens.pcap" -Y "frame.number == $reply_frame" \
		-T fields -e rpc.xid -e rpc.msgtyp 2>/dev/null | head -1)
	want_xid=$(printf '0x%08x' "$xid")
	[ "$t_call" = "$(printf '%s\t0' "$want_xid")" ] &&
	[ "$t_reply" = "$(printf '%s\t1' "$want_xid")" ] &&
		ok "tshark sees frame $call_frame as call and $reply_frame as reply of xid $want_xid" ||
		not_ok "tshark: frame $call_frame '$t_call', frame $reply_frame '$t_reply', want $want_xid"
else
	skip "tshark not installed"
fi

# Accuracy: every probe event with an XID is linked to the right call and
# reply.  rpc.call events name prog/vers/proc: the call linked must have
# them (XIDs repeat across connections: GETSPEC and DUMP both use xid 2);
# rpc.reply events must take a reply of their XID received before them;
# no wire message is claimed by two events of one probe.
xid_events=$(q "$db" "SELECT count(*) FROM probe_events WHERE xid IS NOT NULL")
right=$(q "$db" "
SELECT count(*) FROM probe_events e WHERE e.xid IS NOT NULL AND
 (e.probe = 'rpc.call' AND 1 = (SELECT count(*) FROM links l JOIN rpc_messages m ON m.id = l.message
   WHERE l.event = e.id AND l.method = 'exact-xid' AND m.msg_type = 'call' AND m.xid = e.xid
   AND m.program = e.prog AND m.version = e.vers AND m.proc = e.proc)
  AND 1 = (SELECT count(*) FROM links l JOIN rpc_messages m ON m.id = l.message
   JOIN rpc_messages c ON c.id = m.call
   WHERE l.event = e.id AND m.msg_type = 'reply' AND m.xid = e.xid AND c.proc = e.proc))
 OR (e.probe = 'rpc.reply' AND 1 = (SELECT count(*) FROM links l JOIN rpc_messages m ON m.id = l.message
   WHERE l.event = e.id AND l.method = 'exact-xid' AND m.msg_type = 'reply' AND m.xid = e.xid
   AND m.ts_ns <= e.ts_ns + 1000000))")
claimed_twice=$(q "$db" "
SELECT count(*) FROM (SELECT l.message, e.probe FROM links l JOIN probe_events e ON e.id = l.event
 WHERE l.method = 'exact-xid' GROUP BY l.message, e.probe HAVING count(*) > 1)")
diag "probe events with an XID: $xid_events, linked right: $right"
[ "$xid_events" -gt 10 ] && [ "$right" = "$xid_events" ] && [ "$claimed_twice" = 0 ] &&
	ok "100% of the $xid_events probe events with an XID linked to the right call and reply" ||
	not_ok "$right of $xid_events XID events linked right, $claimed_twice messages claimed twice"
# Every XID the records saw is on the wire: the recorder and the capture agree.
missing=$(q "$db" "SELECT count(*) FROM probe_events e WHERE e.probe = 'rpc.call' AND NOT EXISTS
 (SELECT 1 FROM rpc_messages m WHERE m.xid = e.xid AND m.msg_type = 'call')")
[ "$missing" = 0 ] && ok "every rpc.call XID of the records is a call in the capture" ||
	not_ok "$missing rpc.call XIDs not in the capture"
glfs=$(q "$db" "SELECT count(DISTINCT event) FROM gfapi_calls WHERE call IS NOT NULL AND probe IN
 ('gfapi.creat', 'gfapi.write', 'gfapi.utimens', 'gfapi.close', 'gfapi.init')")
[ "$glfs" -ge 6 ] && ok "gfapi_calls: init, creat, write, both utimens, close have their RPCs ($glfs)" ||
	not_ok "gfapi_calls: only $glfs calls with RPCs"

window_check utimens "$db"

# Re-running adds nothing; the links come out the same.
before=$(q "$db" "SELECT (SELECT count(*) FROM rpc_messages), (SELECT count(*) FROM probe_events), (SELECT group_concat(event || message || method, ',') FROM links)")
"$TAPLINE" correlate -q -o "$db" "$out/utimens.rec" "$out/utimens.pcap"
after=$(q "$db" "SELECT (SELECT count(*) FROM rpc_messages), (SELECT count(*) FROM probe_events), (SELECT group_concat(event || message || method, ',') FROM links)")
[ "$before" = "$after" ] && ok "the same inputs again add nothing" ||
	not_ok "re-run changed the timeline"

# ---- 2. SETVOLUME authentication failure ----
record_auth_failure auth
db=$out/auth.db
rm -f "$db"
check "correlate the auth-failure capture and records" \
	"$TAPLINE" correlate -q -o "$db" "$out/auth.pcap" "$out/auth.rec"
answer=$(q "$db" "
SELECT f.frame, f.op_ret, f.op_errno, f.errno_name, e.probe,
  json_extract(e.args, '\$.op_ret'), json_extract(e.args, '\$.op_errno'), l.confidence
FROM failed_calls f
JOIN links l ON l.message = f.reply
JOIN probe_events e ON e.id = l.event AND e.probe = 'gluster.setvolume_rsp'
WHERE f.proc_name = 'SETVOLUME'")
diag "auth failure answer: $answer"
IFS='|' read -r frame op_ret op_errno ename probe p_ret p_errno conf <<EOF
$answer
EOF
[ "$op_ret" = -1 ] && [ "$op_errno" = 13 ] && [ "$ename" = EACCES ] &&
	ok "failed_calls: the SETVOLUME reply (frame $frame) says op_ret -1 errno 13 EACCES" ||
	not_ok "SETVOLUME reply: '$op_ret' '$op_errno' '$ename'"
[ "$p_ret" = -1 ] && [ "$p_errno" = 13 ] && [ "$conf" = 1.0 ] &&
	ok "next to it, the client's probe decoding it read op_ret -1 op_errno 13" ||
	not_ok "probe beside it: '$p_ret' '$p_errno' confidence '$conf'"
never=$(q "$db" "SELECT count(*) FROM probe_events WHERE probe = 'gfapi.init' AND phase = 'entry' AND return IS NULL")
grep -q 'call=glfs_init returned=no' "$out/auth.client.log" && [ "$never" = 1 ] &&
	ok "glfs_init never returned: the client's log and the records agree" ||
	not_ok "glfs_init without return: records $never, client log: $(grep glfs_init "$out/auth.client.log")"
# The hanging glfs_init, by one SQL line: never returned, running at least
# as long as the client waited for it (its own log), with what it sent
# attached -- SETVOLUME among them, and the -1/13 reply it was waiting for.
hung=$(q "$db" "SELECT probe, count(DISTINCT event), min(elapsed_ns),
 sum(proc_name = 'SETVOLUME' AND op_ret = -1 AND op_errno = 13)
 FROM gfapi_calls WHERE returned = 0")
IFS='|' read -r hprobe hcalls helapsed hsetvol <<EOF
$hung
EOF
line=$(grep 'call=glfs_init returned=no' "$out/auth.client.log" || true)
start=$(echo "$line" | sed -n 's/.*start=\([0-9]*\).*/\1/p')
end=$(echo "$line" | sed -n 's/.*end=\([0-9]*\).*/\1/p')
waited=$(( ${end:-0} - ${start:-0} ))
[ "$hprobe" = gfapi.init ] && [ "$hcalls" = 1 ] && [ "$hsetvol" = 1 ] &&
	[ "${helapsed:-0}" -ge $((waited - 50000000)) ] &&
	ok "gfapi_calls WHERE returned = 0: glfs_init, running $((helapsed / 1000000)) ms (the client waited $((waited / 1000000)) ms), its SETVOLUME answered -1/13 attached" ||
	not_ok "calls never returned: '$hung'; the client waited $waited ns"
"$TAPLINE" diagnose "$db" >"$TMP/auth.diagnose" 2>&1 || true
running=$(sed -n 's/^  glfs_init in .* still running \([0-9.]*\) s later.*/\1/p' "$TMP/auth.diagnose")
awk -v r="${running:-0}" -v w="$waited" 'BEGIN { exit !(r * 1e9 >= w - 50000000) }' &&
	grep -q '^    sent SETVOLUME .*op_ret -1 op_errno 13 (EACCES)$' "$TMP/auth.diagnose" &&
	ok "tapline diagnose: glfs_init still running $running s later (the client waited $((waited / 1000000)) ms), SETVOLUME refused under it" ||
	not_ok "tapline diagnose on the auth failure: $(head -c 600 "$TMP/auth.diagnose")"
window_check auth "$db"
setvol=$(q "$db" "SELECT count(*) FROM links l JOIN probe_events e ON e.id = l.event
 JOIN rpc_messages m ON m.id = l.message WHERE e.probe = 'rpc.reply' AND m.proc_name = 'SETVOLUME' AND m.op_errno = 13")
[ "$setvol" = 1 ] && ok "the rpc.reply probe of the SETVOLUME XID joined the failing reply" ||
	not_ok "rpc.reply to SETVOLUME: $setvol links"

# ---- 3. mount failure: the brick port dropped ----
port=$("$LAB" gl volume status single --xml 2>/dev/null |
	sed -n 's:.*<port>\([0-9]*\)</port>.*:\1:p' | head -1)
# blocked_mount NAME VERDICT: a mount of "single" while the brick port
# gets the nft VERDICT, recorded and captured (ICMP too: a filter of
# ports alone leaves ICMP errors out); then what connect() to the port
# says under the same rule, in $TMP/NAME.connect.  One SYN retry: a drop
# otherwise costs minutes of retries, and Linux retries a SYN that an
# ICMP error answered too.
blocked_mount() {
	ip netns exec "$LAB_NAME" nft -f - <<EOF
table inet tapline_corr {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport $port $2
	}
}
EOF
	old_retries=$(ip netns exec "$LAB_NAME" sysctl -n net.ipv4.tcp_syn_retries)
	ip netns exec "$LAB_NAME" sysctl -qw net.ipv4.tcp_syn_retries=1
	ports_only=$FILTER
	FILTER="($FILTER) or icmp or icmp6"
	record "$1" --server 127.0.0.2 --volume single --timeout 60 --path /blocked.txt
	FILTER=$ports_only
	ip netns exec "$LAB_NAME" bash -c "exec 3<>/dev/tcp/127.0.0.2/$port" \
		>"$TMP/$1.connect" 2>&1 || true
	ip netns exec "$LAB_NAME" nft delete table inet tapline_corr || true
	ip netns exec "$LAB_NAME" sysctl -qw net.ipv4.tcp_syn_retries="$old_retries"
	db=$out/$1.db
	rm -f "$db"
}
blocked_mount mount drop
check "correlate the mount-failure capture and records" \
	"$TAPLINE" correlate -q -o "$db" "$out/mount.pcap" "$out/mount.rec"
answer=$(q "$db" "SELECT dst, what, client_pid FROM unanswered_calls WHERE dst LIKE '%:$port'")
diag "mount failure answer: $answer"
syns=$(q "$db" "SELECT sum(syn_count) FROM conversations WHERE server_port = $port AND state = 'syn-sent'")
t_syns=$(tshark -r "$out/mount.pcap" -Y "tcp.dstport == $port && tcp.flags.syn == 1 && tcp.flags.ack == 0" 2>/dev/null | wc -l)
t_synack=$(tshark -r "$out/mount.pcap" -Y "tcp.srcport == $port && tcp.flags.syn == 1" 2>/dev/null | wc -l)
echo "$answer" | grep -q "connection attempt unanswered" && [ "$syns" = "$t_syns" ] && [ "$t_synack" = 0 ] &&
	ok "unanswered_calls: $syns SYNs to brick port $port never answered (tshark counts $t_syns, no SYN-ACK)" ||
	not_ok "unanswered connection attempts: '$answer', SYNs $syns vs tshark $t_syns, SYN-ACKs $t_synack"
init_ret=$(q "$db" "SELECT x.ret FROM probe_events e JOIN probe_events x ON x.id = e.return WHERE e.probe = 'gfapi.init'")
grep -q 'call=glfs_init .*ret=-1' "$out/mount.client.log" && [ "$init_ret" = -1 ] &&
	ok "glfs_init returned -1 in the records, as the client's log says" ||
	not_ok "glfs_init ret '$init_ret'; client log: $(grep glfs_init "$out/mount.client.log")"
grep -q "Connection timed out" "$TMP/mount.connect" &&
	ok "connect() to the dropped port from the client's host times out (ETIMEDOUT)" ||
	not_ok "connect() to the dropped port: $(cat "$TMP/mount.connect")"
pid_known=$(q "$db" "SELECT count(*) FROM unanswered_calls WHERE dst LIKE '%:$port' AND client_pid IS NULL")
diag "connection attempts whose process is unknown (no SETVOLUME, no XID on them): $pid_known"
window_check mount "$db"

# ---- 4. mount failure: the brick port rejected with an ICMP error, as
# firewalld rejects by default (icmpx admin-prohibited): connect() fails
# with EHOSTUNREACH ----
blocked_mount prohibited 'reject with icmpx type admin-prohibited'
check "correlate the capture and records of the port rejected with ICMP" \
	"$TAPLINE" correlate -q -o "$db" "$out/prohibited.pcap" "$out/prohibited.rec"
answer=$(q "$db" "SELECT group_concat(what, '; ') FROM unanswered_calls WHERE dst LIKE '%:$port'")
diag "port rejected with ICMP: $answer"
state=$(q "$db" "SELECT group_concat(DISTINCT state) FROM conversations WHERE server_port = $port")
syns=$(q "$db" "SELECT sum(syn_count) FROM conversations WHERE server_port = $port")
t_syns=$(tshark -r "$out/prohibited.pcap" -Y "tcp.dstport == $port && tcp.flags.syn == 1 && tcp.flags.ack == 0 && !icmp" 2>/dev/null | wc -l)
t_icmp=$(tshark -r "$out/prohibited.pcap" -Y "icmp.type == 3 && icmp.code == 13 && tcp.dstport == $port" 2>/dev/null | wc -l)
[ "$state" = unreachable ] && [ "$syns" = "$t_syns" ] && [ "$t_icmp" -ge 1 ] &&
	echo "$answer" | grep -q "^destination unreachable (ICMP, [0-9]* SYN)" &&
	ok "the port rejected with ICMP: unreachable, $syns SYNs (tshark: $t_syns SYNs, $t_icmp ICMP administratively prohibited)" ||
	not_ok "the port rejected with ICMP: state '$state', '$answer', SYNs $syns; tshark: $t_syns SYNs, $t_icmp ICMP code 13"
grep -q "No route to host" "$TMP/prohibited.connect" &&
	ok "connect() to the port from the client's host fails: No route to host (EHOSTUNREACH)" ||
	not_ok "connect() to the port: $(cat "$TMP/prohibited.connect")"
"$TAPLINE" diagnose "$db" >"$TMP/prohibited.diag" 2>&1
grep -q "^  127\.0\.0\.2:$port: destination unreachable (ICMP, $syns SYN), from 127\.0\.0\.[0-9]*:" "$TMP/prohibited.diag" &&
	ok "diagnose: the brick port, destination unreachable" ||
	{ not_ok "diagnose does not say the brick port was unreachable"; sed 's/^/#   /' "$TMP/prohibited.diag"; }
done_testing
