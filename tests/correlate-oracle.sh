#!/bin/sh
# correlate-oracle.sh - the timeline's call -> RPC links against a ground
# truth made from kernel data the correlator never reads.  While `tapline
# record` records a real libgfapi client and tcpdump captures, a second
# tracefs instance records the sock:sock_send_length tracepoint (which
# thread sent how many bytes on which socket, when) and
# sock:inet_sock_set_state (which ports each socket has).  Laid onto the
# TCP byte stream of each client connection (tshark's relative tcp.seq and
# tcp.len), that says which thread of the process sent each RPC call tshark
# sees, and when (from the entry of its writev, syscalls:sys_enter_writev,
# to the tracepoint at the send's end).  The links that must follow:
#   - sent by a thread that calls glfs_*, inside one of its calls' windows:
#     that call (and the calls nested in it);
#   - sent by one of the library's own threads (epoll, io threads, timer):
#     every glfs_* call the process had in flight then;
#   - deferred work (man tapline-correlate): a WRITE goes to the write
#     calls running when it was sent and to those that returned less than
#     10 s before as the last write call of their thread, and to nothing
#     else; FLUSH and RELEASE likewise to glfs_close, RELEASEDIR to
#     glfs_closedir.
# A call's window runs from entry to return; a call that never returned
# runs to its process's last record.  The rules are applied at both ends
# of the send: every link they give at both must be a time-window link of
# the timeline, and no time-window link may lie outside those they give at
# either (or, for a send by one of the library's threads, outside a call
# that began and ended during it: the capture saw the send somewhere in
# between); every rpc.call probe event's exact-XID link must be the RPC of its
# XID that its process sent next after encoding it, unless the link says it
# is a guess (several connections, told apart by time alone; fewer than
# half the events).
#
# Scenarios: the atime -1 session, the SETVOLUME authentication failure,
# the 2-brick distribute volume, 4 threads at once.  CORRELATE_LAB_KEEP=DIR
# keeps every capture, record, socket trace and timeline.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
need_lab
for tool in sqlite3 tcpdump tshark cc pkg-config; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
"$TAPLINE" record --help >/dev/null 2>&1 || skip_all "tapline record not built"
T=/sys/kernel/tracing
mountpoint -q "$T" || mount -t tracefs nodev "$T" 2>/dev/null ||
	skip_all "no tracefs (tapline record needs it)"
for e in sock/sock_send_length sock/inet_sock_set_state syscalls/sys_enter_writev \
	syscalls/sys_enter_sendmsg; do
	[ -d "$T/events/$e" ] || skip_all "this kernel has no $e tracepoint"
done
pkg-config --exists glusterfs-api || skip_all "no glusterfs-api (libglusterfs-dev)"
cc -O2 -o "$TMP/correlate-load" "$top_srcdir/tests/correlate-load.c" \
	$(pkg-config --cflags --libs glusterfs-api) -lpthread ||
	skip_all "cannot build the load client"

. "$top_srcdir/tests/lab/session.sh"
session_lab_up tlorac

# ---- the socket trace: its own tracefs instance, removed at exit ----
INSTANCE=$T/instances/tlorac$$
sock_trace_remove() {
	[ -d "$INSTANCE" ] || return 0
	echo 0 >"$INSTANCE/tracing_on" 2>/dev/null || true
	echo 0 >"$INSTANCE/events/enable" 2>/dev/null || true
	rmdir "$INSTANCE"
}
at_exit sock_trace_remove
# session_tracer start|stop NAME (tests/lab/session.sh calls it): the trace
# of one session goes to $out/NAME.sock.
session_tracer() {
	if [ "$1" = start ]; then
		mkdir "$INSTANCE"
		# The records' clock: `tapline record` takes tai (else mono) and
		# writes the offset to realtime in its header.
		echo tai >"$INSTANCE/trace_clock" 2>/dev/null ||
			echo mono >"$INSTANCE/trace_clock"
		echo 16384 >"$INSTANCE/buffer_size_kb"
		echo 1 >"$INSTANCE/options/record-tgid"
		# every field as a number, the socket pointer included
		echo 1 >"$INSTANCE/options/fields"
		echo 'family == 2 && protocol == 6 && ret > 0' \
			>"$INSTANCE/events/sock/sock_send_length/filter"
		# Client sockets of the lab's ports.  The ESTABLISHED transition
		# runs in softirq context, on any task: no pid filter.
		echo 'protocol == 6 && (dport == 24007 || (dport >= 49152 && dport <= 49171))' \
			>"$INSTANCE/events/sock/inet_sock_set_state/filter"
		# when each send began: libgfapi sends with writev
		echo 1 >"$INSTANCE/events/syscalls/sys_enter_writev/enable"
		echo 1 >"$INSTANCE/events/syscalls/sys_enter_sendmsg/enable"
		echo 1 >"$INSTANCE/events/sock/sock_send_length/enable"
		echo 1 >"$INSTANCE/events/sock/inet_sock_set_state/enable"
		return
	fi
	echo 0 >"$INSTANCE/tracing_on"
	cat "$INSTANCE/trace" >"$out/$2.sock"
	cat "$INSTANCE"/per_cpu/cpu*/stats | sed -n 's/^overrun: //p' |
		awk '{ n += $1 } END { print n + 0 }' >"$out/$2.sock.overrun"
	cat "$INSTANCE/trace_clock" >"$out/$2.sock.clock"
	sock_trace_remove
}

q() { sqlite3 -batch -noheader "$1" "$2"; }

# oracle_sql NAME: the oracle's tables as SQL (temp tables), from NAME.sock,
# NAME.pcap and NAME.rec's header.
oracle_sql() {
	clock=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$out/$1.sock.clock")
	header=$(head -1 "$out/$1.rec")
	rec_clock=$(echo "$header" | sed -n 's/.* trace_clock=\([a-z]*\).*/\1/p')
	offset=$(echo "$header" | sed -n 's/.* trace_clock_offset_ns=\(-\{0,1\}[0-9]*\).*/\1/p')
	if [ "$clock" != "$rec_clock" ] || [ -z "$offset" ]; then
		echo "oracle: the socket trace's clock $clock is not the records' ($rec_clock)" >&2
		return 1
	fi
	cat <<'EOF'
CREATE TEMP TABLE sockets (sock, sport, dport, t_syn);
CREATE TEMP TABLE sends (tgid, tid, t_start, ts_ns, sock, off, len);
CREATE TEMP TABLE syns (stream, sport, dport, ts_ns);
CREATE TEMP TABLE segments (frame, stream, sport, seq, len);
CREATE TEMP TABLE wire (frame, xid, program, proc);
BEGIN;
EOF
	# "comm-TID (TGID) [CPU] flags SECONDS.MICROSECONDS: event: k=0x.. (n) ..."
	sed -n 's/^.*-\([0-9][0-9]*\) *( *\([0-9][0-9]*\)) *\[[0-9]*\] [^ ]* *\([0-9][0-9]*\)\.\([0-9]\{6\}\): \(sock_send_length\|inet_sock_set_state\|sys_enter_writev\|sys_enter_sendmsg\): \(.*\)$/\1 \2 \3\4 \5 \6/p' \
		"$out/$1.sock" |
	awk -v offset="$offset" '
	{
		tid = $1; tgid = $2; ts = $3 "000"; ev = $4
		delete f
		for (i = 5; i <= NF; i++)
			if (split($i, kv, "=") == 2 && $(i + 1) ~ /^\(/) {
				v = $(i + 1); gsub(/[()]/, "", v)
				f[kv[1]] = kv[2] "|" v
			}
		# realtime ns, as the records: trace time + offset (awk doubles
		# are exact to 2^53 ns, 104 days: keep seconds apart)
		sec = substr(ts, 1, length(ts) - 9); ns = substr(ts, length(ts) - 8)
		t = sprintf("%d%09d", sec, ns)
		if (offset != 0) {
			s = int(offset / 1e9); n = offset - s * 1e9; n += ns
			if (n < 0) { n += 1e9; s-- } else if (n >= 1e9) { n -= 1e9; s++ }
			t = sprintf("%d%09d", sec + s, n)
		}
		if (ev == "inet_sock_set_state") {
			split(f["skaddr"], p, "|"); sk = p[1]
			split(f["newstate"], p, "|"); new = p[2]
			split(f["sport"], p, "|"); sport = p[2]
			split(f["dport"], p, "|"); dport = p[2]
			if (new == 2) {		# TCP_SYN_SENT: a new client socket
				sock[sk] = ++n_sock; off[n_sock] = 0
				printf "INSERT INTO sockets VALUES (%d, NULL, %d, %s);\n", n_sock, dport, t
			} else if (sk in sock && sport != 0 && !(sock[sk] in named)) {
				named[sock[sk]] = 1
				printf "UPDATE sockets SET sport = %d WHERE sock = %d;\n", sport, sock[sk]
			}
			if (new == 7)		# TCP_CLOSE: the pointer may be reused
				delete sock[sk]
		} else if (ev ~ /^sys_enter/) {
			entered[tid] = t
		} else {
			split(f["sk"], p, "|"); sk = p[1]
			split(f["ret"], p, "|"); len = p[2]
			if (!(sk in sock))
				next
			k = sock[sk]
			start = (tid in entered) ? entered[tid] : t
			delete entered[tid]
			printf "INSERT INTO sends VALUES (%d, %d, %s, %s, %d, %d, %d);\n", tgid, tid, start, t, k, off[k], len
			off[k] += len
		}
	}'
	# tshark: the client's SYNs (a connection's ports and when it began),
	# every segment with data, and the RPC calls (a frame may hold several).
	tshark -r "$out/$1.pcap" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' \
		-T fields -e tcp.stream -e tcp.srcport -e tcp.dstport -e frame.time_epoch 2>/dev/null |
	awk -F'\t' '{ split($4, t, "."); printf "INSERT INTO syns VALUES (%d, %d, %d, %s%s);\n",
		$1, $2, $3, t[1], substr(t[2] "000000000", 1, 9) }'
	tshark -r "$out/$1.pcap" -Y 'tcp.len > 0' -T fields -e frame.number \
		-e tcp.stream -e tcp.srcport -e tcp.seq -e tcp.len 2>/dev/null |
	awk -F'\t' '{ printf "INSERT INTO segments VALUES (%d, %d, %d, %d, %d);\n", $1, $2, $3, $4, $5 }'
	tshark -r "$out/$1.pcap" -Y 'rpc.msgtyp == 0' -T fields -E occurrence=a \
		-E aggregator=, -e frame.number -e rpc.xid -e rpc.program -e rpc.procedure 2>/dev/null |
	awk -F'\t' '{ n = split($2, x, ","); split($3, p, ","); split($4, c, ",")
		for (i = 1; i <= n; i++)
			printf "INSERT INTO wire VALUES (%d, '\''%s'\'', %d, %d);\n", $1, x[i], p[i], c[i] }'
	echo COMMIT\;
	cat "$top_srcdir/tests/lab/call-windows.sql" \
		"$top_srcdir/tests/correlate-oracle.sql"
}

# oracle_check NAME: correlate NAME's capture and records, then hold the
# timeline's links against the socket trace's.
oracle_check() {
	db=$out/$1.db
	rm -f "$db"
	check "$1: correlate the capture and the records" \
		"$TAPLINE" correlate -q -o "$db" "$out/$1.pcap" "$out/$1.rec"
	overrun=$(cat "$out/$1.sock.overrun")
	if [ "$overrun" != 0 ]; then
		skip "$1: the socket trace lost $overrun events"
		return
	fi
	if ! oracle_sql "$1" >"$TMP/$1.oracle.sql"; then
		not_ok "$1: the oracle's tables"
		return
	fi
	result=$(sqlite3 -batch -noheader "$db" <"$TMP/$1.oracle.sql" 2>"$TMP/$1.oracle.err") ||
		sed 's/^/# /' "$TMP/$1.oracle.err" 
	IFS='|' read -r segs mapped multi wire sent procs library expected present \
		wrong xexp xpresent xwrong xnone missing extra edge unstarted \
		xguess xguess_right xsure_wrong xunexplained <<EOS
$result
EOS
	diag "$1: $segs client segments, $mapped laid onto a send ($multi holding several sends); $wire RPC calls, $sent sent by $procs process(es), $library of them by the library's own threads, $unstarted without the writev that began them; $edge links possible but not sure (a window's edge, or a whole call, inside the writev)"
	[ "${segs:-0}" -gt 0 ] && [ "$mapped" = "$segs" ] && [ "$sent" = "$wire" ] &&
		[ "$procs" = 1 ] &&
		ok "$1: every byte of the client's $segs segments is a send of the socket trace, every RPC call ($wire) was sent by the client" ||
		not_ok "$1: $mapped of $segs client segments laid onto sends, $sent of $wire RPC calls, $procs processes"
	[ "${expected:-0}" -gt 0 ] && [ "$present" = "$expected" ] &&
		ok "$1: all $expected call -> RPC links the socket trace expects are in the timeline" ||
		not_ok "$1: $present of $expected expected call -> RPC links; missing (call/frame): $missing"
	[ "$wrong" = 0 ] && ok "$1: no call -> RPC link beyond them" ||
		not_ok "$1: $wrong call -> RPC links the socket trace does not allow: $extra"
	# Where several connections carry an XID and nothing but time tells
	# them apart, the correlator guesses, and says so (confidence 0.5):
	# a guess may be wrong (and leave the event whose call it took
	# without one); a sure link may not.
	diag "$1: exact XID: $xpresent of $xexp, $xwrong wrong; $xguess guesses, $xguess_right of them right"
	[ "${xexp:-0}" -gt 0 ] && [ "$xnone" = 0 ] && [ "$xsure_wrong" = 0 ] &&
		[ "$xunexplained" = 0 ] && [ $((xguess * 2)) -lt "$xexp" ] &&
		ok "$1: every rpc.call event (${xexp}) has the exact-XID link of the RPC its process sent, or a link marked a guess ($xguess), and no sure link is wrong" ||
		not_ok "$1: exact XID: $xpresent of $xexp, $xsure_wrong sure links wrong, $xunexplained missing without a guess, $xguess guesses, $xnone events whose RPC the socket trace did not see"
	echo "$1 expected=$expected present=$present wrong=$wrong edge=$edge xid_expected=$xexp xid_present=$xpresent xid_wrong=$xwrong xid_guesses=$xguess" >>"$out/counts"
}

: >"$out/counts"
record utimens --server 127.0.0.2 --volume single --path /atime.txt
oracle_check utimens

record_auth_failure auth
oracle_check auth
# The hanging glfs_init has what it sent attached: SETVOLUME and the -1/13
# reply it was waiting for, found by one SQL line.
hung=$(q "$out/auth.db" "SELECT count(DISTINCT event) FROM gfapi_calls WHERE returned = 0
 AND probe = 'gfapi.init' AND proc_name = 'SETVOLUME' AND op_ret = -1 AND op_errno = 13")
[ "$hung" = 1 ] && ok "auth: the glfs_init that never returned holds SETVOLUME and its -1/13 reply" ||
	not_ok "auth: glfs_init never returned with SETVOLUME -1/13: $hung"

record dist --server 127.0.0.2 --volume dist --path /file-a.txt --path /file-b.txt \
	--path /file-c.txt --path /file-d.txt
oracle_check dist
# Two connections to glusterd share XIDs (each counts from 1).
shared=$(q "$out/dist.db" "SELECT count(*) FROM (SELECT m.xid FROM rpc_messages m
 JOIN conversations c ON c.id = m.conversation WHERE c.server_port = 24007
 AND m.msg_type = 'call' GROUP BY m.xid HAVING count(DISTINCT c.id) > 1)")
[ "${shared:-0}" -ge 1 ] &&
	ok "dist: $shared XIDs are on two connections to glusterd at once: the exact-XID links above held with them" ||
	not_ok "dist: no XID on two connections to glusterd ($shared): the scenario lost its point"

record_command load "$TMP/correlate-load" 127.0.0.2 single 4 10
oracle_check load
sed 's/^/# /' "$out/counts"
done_testing
