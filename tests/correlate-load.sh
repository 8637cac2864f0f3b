#!/bin/sh
# correlate-load.sh - the correlator under concurrency, on the real lab:
# a libgfapi client with 4 threads calling glfs_write, glfs_utimens and
# glfs_stat at once (tests/correlate-load.c), recorded with `tapline
# record` while tcpdump captures.  Every glfs_utimens sets a distinct
# atime, so the SETATTR that carried it is known from the wire itself: the
# time-window join must always include it, must never be certain (1.0) of
# a wrong one, must tell the threads' calls apart by the gfid of their
# files, and every probe event with an XID must join its own call and
# reply.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
need_lab
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
command -v tcpdump >/dev/null || skip_all "tcpdump not installed"
pkg-config --exists glusterfs-api || skip_all "no glusterfs-api (libglusterfs-dev)"
"$TAPLINE" record --help >/dev/null 2>&1 || skip_all "tapline record not built"
mountpoint -q /sys/kernel/tracing ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
	skip_all "no tracefs (tapline record needs it)"
cc -O2 -o "$TMP/correlate-load" "$top_srcdir/tests/correlate-load.c" \
	$(pkg-config --cflags --libs glusterfs-api) -lpthread ||
	skip_all "cannot build the load client"

LAB=$top_srcdir/tests/lab/lab.sh
export LAB_NAME="tlload$$"
export LAB_DIR="$TMP/lab"
out=${CORRELATE_LAB_KEEP:-$TMP/out}
mkdir -p "$out"
lab_down() { "$LAB" down >/dev/null 2>&1 || true; }
at_exit lab_down
"$LAB" up >"$TMP/lab-up.log" 2>&1 || skip_all "the lab did not come up"
q() { sqlite3 -batch -noheader "$1" "$2"; }
threads=4
calls=25

# A buffer of 32 MiB: on a loaded machine the default 2 MiB drops packets.
ip netns exec "$LAB_NAME" tcpdump -i lo -s 0 -B 32768 -U -Z root -w "$out/load.pcap" \
	'tcp and (port 24007 or portrange 49152-49171)' 2>"$TMP/tcpdump.err" &
tcpdump_pid=$!
i=0
until grep -q listening "$TMP/tcpdump.err" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
done
ip netns exec "$LAB_NAME" "$TAPLINE" record -q -o "$out/load.rec" -- \
	"$TMP/correlate-load" 127.0.0.2 single $threads $calls >"$out/load.client.log" \
	2>"$TMP/record.err" || true
sleep 0.5
kill -INT "$tcpdump_pid" 2>/dev/null || true
wait "$tcpdump_pid" 2>/dev/null || true
# What tcpdump did not keep cannot be joined: the checks of the wire's
# calls say so instead of blaming the correlator.
dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$TMP/tcpdump.err")
wire_check() {
	if [ "${dropped:-?}" = 0 ]; then
		"$@"
	else
		skip "tcpdump dropped ${dropped:-?} packets: $2"
	fi
}

db=$out/load.db
rm -f "$db"
check "correlate the load capture and records" \
	"$TAPLINE" correlate -q -o "$db" "$out/load.pcap" "$out/load.rec"
n=$((threads * calls))
logged=$(grep -c 'call=glfs_utimens .* ret=0' "$out/load.client.log" || true)
recorded=$(q "$db" "SELECT count(*) FROM probe_events WHERE probe = 'gfapi.utimens' AND phase = 'entry'")
[ "$logged" = $n ] && [ "$recorded" = $n ] &&
	ok "$n glfs_utimens calls: logged by the client and recorded" ||
	not_ok "utimens: client logged $logged, recorded $recorded, want $n"
overlap=$(q "$db" "SELECT count(*) FROM probe_events a JOIN probe_events b
	ON b.probe = 'gfapi.utimens' AND b.phase = 'entry' AND b.tid <> a.tid
	AND b.ts_ns < (SELECT ts_ns FROM probe_events WHERE id = a.return)
	AND (SELECT ts_ns FROM probe_events WHERE id = b.return) > a.ts_ns
	WHERE a.probe = 'gfapi.utimens' AND a.phase = 'entry'")
diag "pairs of glfs_utimens calls overlapping in time on different threads: $overlap"

# The SETATTR whose wire atime equals the call's atime, per call.
wire_atime="(SELECT json_extract(t.value, '\$.value') FROM json_tree(c.body) t
	WHERE t.type = 'object' AND json_extract(t.value, '\$.name') = 'glusterfs.ia_atime')"
right=$(q "$db" "SELECT count(*) FROM probe_events e WHERE e.probe = 'gfapi.utimens'
	AND e.phase = 'entry' AND EXISTS (SELECT 1 FROM links l JOIN rpc_messages c ON c.id = l.message
	WHERE l.event = e.id AND c.proc_name = 'SETATTR'
	AND $wire_atime = json_extract(e.args, '\$.atime_sec') || '.000000000')")
[ "$right" = $n ] && result=ok || result=not_ok
wire_check $result "$right of $n glfs_utimens joined the SETATTR that carried their atime"
wrong_certain=$(q "$db" "SELECT count(*) FROM probe_events e JOIN links l ON l.event = e.id
	JOIN rpc_messages c ON c.id = l.message
	WHERE e.probe = 'gfapi.utimens' AND l.confidence = 1.0 AND c.proc_name = 'SETATTR'
	AND $wire_atime <> json_extract(e.args, '\$.atime_sec') || '.000000000'")
[ "$wrong_certain" = 0 ] && ok "no certain (1.0) link to another call's SETATTR" ||
	not_ok "$wrong_certain certain links to the wrong SETATTR"
unique=$(q "$db" "SELECT count(*) FROM probe_events e WHERE e.probe = 'gfapi.utimens'
	AND e.phase = 'entry' AND 1 = (SELECT count(*) FROM links l JOIN rpc_messages c ON c.id = l.message
	WHERE l.event = e.id AND c.proc_name = 'SETATTR' AND l.confidence >= 0.5)")
# Each thread works on its own file: the gfid of the path (from the LOOKUP
# and CREATE replies) tells overlapping calls' SETATTRs apart.  The other
# calls in flight keep a link of low confidence (< 0.5) to it: the
# library's threads sent it, for any of them.
[ "$unique" = $n ] && result=ok || result=not_ok
wire_check $result "$unique of $n glfs_utimens joined exactly one SETATTR with confidence >= 0.5 despite $overlap overlaps"

creats=$(q "$db" "SELECT count(*) FROM probe_events e JOIN links l ON l.event = e.id
	JOIN rpc_messages c ON c.id = l.message AND c.proc_name = 'CREATE'
	WHERE e.probe = 'gfapi.creat' AND l.confidence = 1.0 AND c.bname = substr(e.path, 2)")
# (A creat that ran while no other thread's call was in flight also
# takes the LOOKUP of its path, a procedure it is not known to send: not
# counted here.)
all_creat_links=$(q "$db" "SELECT count(*) FROM probe_events e JOIN links l ON l.event = e.id
	JOIN rpc_messages c ON c.id = l.message AND c.proc_name = 'CREATE'
	WHERE e.probe = 'gfapi.creat' AND l.confidence >= 0.5")
[ "$creats" = $threads ] && [ "$all_creat_links" = $threads ] &&
	ok "the $threads concurrent glfs_creat each joined the CREATE of its own file name, the only one with confidence >= 0.5" ||
	not_ok "glfs_creat: $creats right of $all_creat_links links, want $threads"

xid_events=$(q "$db" "SELECT count(*) FROM probe_events WHERE xid IS NOT NULL")
xid_right=$(q "$db" "
SELECT count(*) FROM probe_events e WHERE e.xid IS NOT NULL AND
 (e.probe = 'rpc.call' AND 1 = (SELECT count(*) FROM links l JOIN rpc_messages m ON m.id = l.message
   WHERE l.event = e.id AND l.method = 'exact-xid' AND m.msg_type = 'call' AND m.xid = e.xid
   AND m.program = e.prog AND m.version = e.vers AND m.proc = e.proc))
 OR (e.probe = 'rpc.reply' AND 1 = (SELECT count(*) FROM links l JOIN rpc_messages m ON m.id = l.message
   WHERE l.event = e.id AND l.method = 'exact-xid' AND m.msg_type = 'reply' AND m.xid = e.xid
   AND m.ts_ns <= e.ts_ns + 1000000))")
claimed_twice=$(q "$db" "SELECT count(*) FROM (SELECT l.message, e.probe FROM links l
	JOIN probe_events e ON e.id = l.event WHERE l.method = 'exact-xid'
	GROUP BY l.message, e.probe HAVING count(*) > 1)")
[ "$xid_events" -gt $((2 * n)) ] && [ "$xid_right" = "$xid_events" ] && [ "$claimed_twice" = 0 ] &&
	result=ok || result=not_ok
wire_check $result "$xid_right of $xid_events probe events with an XID joined their own call or reply, $claimed_twice claimed twice"
done_testing
