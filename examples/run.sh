#!/bin/sh
# examples/run.sh - builds the example timeline from the bundled captures
# and probe records, and answers the atime -1 question: which glfs_utimens
# call sent atime -1, which SETATTR carried it, and what the brick replied;
# then tapline diagnose says what went wrong in the other sessions.
#
#   TAPLINE=build/tapline examples/run.sh [TIMELINE.db]
#
# TAPLINE defaults to the tapline on PATH; TIMELINE.db to a temporary file
# (removed afterwards).  The SQL runs in `tapline sql`, which opens the
# timeline with the functions that render message bodies (tapline-sql(1)).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TAPLINE=${TAPLINE:-tapline}
if [ $# -ge 1 ]; then
	db=$1
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapline-example.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	db=$tmp/timeline.db
fi

cd "$here"
echo "\$ tapline correlate -o timeline.db gfapi-utimens.pcap gfapi-utimens.rec auth-failure.pcap auth-failure.rec mount-failure.pcap mount-failure.rec"
"$TAPLINE" correlate --no-progress -o "$db" gfapi-utimens.pcap gfapi-utimens.rec \
	auth-failure.pcap auth-failure.rec mount-failure.pcap mount-failure.rec
echo

answer=$("$TAPLINE" sql "$db" "
SELECT e.comm, e.pid, e.tid, json_extract(e.args, '\$.path'),
       json_extract(e.args, '\$.atime_sec'), json_extract(e.args, '\$.atime_nsec'),
       json_extract(e.args, '\$.mtime_sec'), json_extract(e.args, '\$.mtime_nsec'),
       x.ret, e.duration_ns,
       strftime('%H:%M:%S', e.ts_ns / 1000000000, 'unixepoch') || printf('.%06d', e.ts_ns % 1000000000 / 1000),
       ci.file, c.frame, printf('0x%08x', c.xid), c.src, c.dst, c.gfid,
       tapline_field(c.id, 'glusterfs.ia_atime'),
       tapline_field(c.id, 'glusterfs.ia_mtime'),
       r.frame, r.op_ret, r.op_errno, r.latency_ns, l.method, l.confidence,
       coalesce((SELECT p.comm || ' thread ' || p.tid FROM links l2
		 JOIN probe_events p ON p.id = l2.event
		 WHERE l2.message = c.id AND l2.method = 'exact-xid'
		   AND p.probe = 'rpc.call' LIMIT 1), '')
FROM probe_events e
JOIN probe_events x ON x.id = e.return
JOIN links l ON l.event = e.id AND l.message IS NOT NULL
JOIN rpc_messages c ON c.id = l.message AND c.msg_type = 'call' AND c.proc_name = 'SETATTR'
JOIN inputs ci ON ci.id = c.input
LEFT JOIN rpc_messages r ON r.id = c.reply
WHERE e.probe = 'gfapi.utimens' AND e.phase = 'entry'
  AND json_extract(e.args, '\$.atime_sec') = -1
ORDER BY e.ts_ns")
if [ -z "$answer" ]; then
	echo "No glfs_utimens call with atime -1 was joined to a SETATTR." >&2
	exit 1
fi

echo "Which glfs_utimens call sent atime -1, and which SETATTR carried it?"
echo
echo "$answer" | while IFS='|' read -r comm pid tid path asec ansec msec mnsec ret dur when \
	cap frame xid src dst gfid watime wmtime rframe opret operrno lat method conf xidby; do
	echo "  the call    glfs_utimens(\"$path\", atime=$asec.$(printf '%09d' "$ansec"), mtime=$msec.$(printf '%09d' "$mnsec"))"
	echo "              by $comm, pid $pid, thread $tid, at $when UTC; returned $ret after $((dur / 1000)) us"
	echo "  on the wire SETATTR call, $cap frame $frame, xid $xid, $src > $dst"
	echo "              gfid $gfid: ia_atime $watime, ia_mtime $wmtime"
	echo "  the reply   $cap frame $rframe: op_ret $opret, op_errno $operrno, after $((lat / 1000)) us"
	echo "  joined by   $method (confidence $conf): the SETATTR is the RPC of that procedure"
	echo "              the process sent between the call's entry and return"
	[ -z "$xidby" ] ||
	echo "              and exact-xid: the rpc.call probe saw $xidby encode xid $xid"
	echo
done
echo "The brick accepted atime -1 (op_ret 0): the file's atime became -1, i.e."
echo "1969-12-31 23:59:59 UTC, Samba's atime -1 bug (the client's glfs_stat right after"
echo "read atime=-1.000000000: gfapi-utimens.client.log).  More questions:"
echo "  tapline sql TIMELINE.db < examples/queries.sql"
echo
echo "And what went wrong in the other two sessions (a client the bricks refuse,"
echo "a brick port a firewall drops):"
echo
echo "\$ tapline diagnose timeline.db"
"$TAPLINE" diagnose "$db"
