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

. "$top_srcdir/tests/correlate-oracle-check.sh"

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
