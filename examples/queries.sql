-- queries.sql - the classic questions, asked of a timeline built by
-- `tapline correlate` (see tapline-correlate(1) for the tables and views).
--
--   tapline correlate -o timeline.db examples/*.pcap examples/*.rec
--   tapline sql -H timeline.db < examples/queries.sql
-- or in sqlite3 with tapline's functions loaded (tapline-sql(1)):
--   sqlite3 -header -column -cmd '.load /usr/local/lib/tapline/tapline_sql' \
--     timeline.db < examples/queries.sql
--
-- Times are realtime nanoseconds; frames are frame numbers in their capture
-- (inputs.file says which).

-- 1. The atime -1 question: which glfs_utimens call sent atime -1, which
--    SETATTR call carried it over the wire, and what did the brick reply?
--    (The atime on the wire is read from the decoded body, independently
--    of the probe.)
SELECT e.comm, e.pid, e.tid,
       json_extract(e.args, '$.path') AS path,
       json_extract(e.args, '$.atime_sec') AS probe_atime_sec,
       x.ret AS glfs_ret,
       ci.file AS capture, c.frame AS setattr_frame,
       printf('0x%08x', c.xid) AS xid, c.gfid,
       (SELECT json_extract(t.value, '$.value') FROM json_tree(c.body) t
	WHERE t.type = 'object'
	  AND json_extract(t.value, '$.name') = 'glusterfs.ia_atime') AS wire_atime,
       r.frame AS reply_frame, r.op_ret, r.op_errno,
       l.method, l.confidence
FROM probe_events e
JOIN probe_events x ON x.id = e.return
JOIN links l ON l.event = e.id AND l.message IS NOT NULL
JOIN rpc_messages c ON c.id = l.message AND c.msg_type = 'call'
		   AND c.proc_name = 'SETATTR'
JOIN inputs ci ON ci.id = c.input
LEFT JOIN rpc_messages r ON r.id = c.reply
WHERE e.probe = 'gfapi.utimens' AND e.phase = 'entry'
  AND json_extract(e.args, '$.atime_sec') = -1;

-- 2. Authentication failure: replies that say a call failed, with the
--    probe events joined to them (the client's side of the same reply).
SELECT f.proc_name, f.frame AS reply_frame, f.op_ret, f.op_errno, f.errno_name,
       e.comm, e.pid, e.probe, e.args AS probe_saw, l.method, l.confidence
FROM failed_calls f
LEFT JOIN links l ON l.message = f.reply
LEFT JOIN probe_events e ON e.id = l.event
ORDER BY f.ts_ns;

-- 3. Mount failure: calls that got no reply, and connection attempts that
--    nobody answered (SYNs dropped) or that were refused (a reset, an
--    ICMP port unreachable).
SELECT u.what, u.src, u.dst, u.proc_name, u.frame, u.client_pid, i.file
FROM unanswered_calls u JOIN inputs i ON i.id = u.input
ORDER BY u.ts_ns;

-- ... and what the program saw meanwhile: glfs_init's result.
SELECT e.comm, e.pid, e.probe, x.ret, e.duration_ns / 1e9 AS seconds,
       CASE WHEN e.return IS NULL THEN 'never returned' ELSE 'returned' END AS how
FROM probe_events e LEFT JOIN probe_events x ON x.id = e.return
WHERE e.probe = 'gfapi.init' AND e.phase = 'entry';

-- 4. Every glfs_* call with the RPCs it caused and their replies.
SELECT probe, pid, tid, ret, duration_ns, proc_name, call_frame, reply_frame,
       op_ret, op_errno, latency_ns, method, confidence
FROM gfapi_calls ORDER BY ts_ns;

-- 5. The slowest calls on the wire.
SELECT proc_name, frame, reply_frame, latency_ns / 1e6 AS ms, op_ret, op_errno
FROM slow_calls LIMIT 10;

-- 6. Which process owns which connection, and how that is known.
SELECT id, client_addr || ':' || client_port || ' > ' || server_addr || ':' ||
       server_port AS connection, state, calls, replies, client_host,
       client_pid, process_name, pid_method
FROM conversations;

-- 7. Probe events that nothing joined (nothing is dropped silently).
SELECT e.probe, e.phase, count(*) AS unlinked
FROM probe_events e
WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.event = e.id)
GROUP BY e.probe, e.phase ORDER BY unlinked DESC;

-- 8. Everything on one time axis.
SELECT time, source, summary FROM timeline ORDER BY ts_ns LIMIT 60;
