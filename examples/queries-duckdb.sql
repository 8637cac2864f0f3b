-- queries-duckdb.sql - the questions of queries.sql, asked in DuckDB of
-- timelines exported by `tapline export` (tapline-export(1)), of any
-- number of hosts at once:
--
--   tapline export -o export/ host1.db host2.db host3.db
--   cd export && duckdb -init duckdb.sql < .../examples/queries-duckdb.sql
--
-- The same questions in the same order, each answering with the rows
-- queries.sql gives on each timeline, the timeline's name in front;
-- joins also match the timeline, as ids are a timeline's own.  DuckDB's words where SQLite's
-- differ: json_extract_string, '$..fields[*]' for json_tree, printf.

-- 1. The atime -1 question.
SELECT e.timeline, e.comm, e.pid, e.tid,
       json_extract_string(e.args, '$.path') AS path,
       json_extract_string(e.args, '$.atime_sec') AS probe_atime_sec,
       x.ret AS glfs_ret,
       ci.file AS capture, c.frame AS setattr_frame,
       printf('0x%08x', c.xid) AS xid, c.gfid,
       (SELECT json_extract_string(f, '$.value')
	FROM (SELECT unnest(json_extract(c.body, '$..fields[*]')) AS f)
	WHERE json_extract_string(f, '$.name') = 'glusterfs.ia_atime') AS wire_atime,
       r.frame AS reply_frame, r.op_ret, r.op_errno,
       l.method, l.confidence
FROM probe_events e
JOIN probe_events x ON x.timeline = e.timeline AND x.id = e."return"
JOIN links l ON l.timeline = e.timeline AND l.event = e.id AND l.message IS NOT NULL
JOIN rpc_messages c ON c.timeline = e.timeline AND c.id = l.message
		   AND c.msg_type = 'call' AND c.proc_name = 'SETATTR'
JOIN inputs ci ON ci.timeline = c.timeline AND ci.id = c.input
LEFT JOIN rpc_messages r ON r.timeline = c.timeline AND r.id = c.reply
WHERE e.probe = 'gfapi.utimens' AND e.phase = 'entry'
  AND json_extract_string(e.args, '$.atime_sec') = '-1';

-- 2. Authentication failure: failed replies and the probe events joined
--    to them.
SELECT f.timeline, f.proc_name, f.frame AS reply_frame, f.op_ret, f.op_errno, f.errno_name,
       e.comm, e.pid, e.probe, e.args AS probe_saw, l.method, l.confidence
FROM failed_calls f
LEFT JOIN links l ON l.timeline = f.timeline AND l.message = f.reply
LEFT JOIN probe_events e ON e.timeline = l.timeline AND e.id = l.event
ORDER BY f.ts_ns;

-- 3. Mount failure: calls without reply, connection attempts unanswered
--    or refused.
SELECT u.timeline, u.what, u.src, u.dst, u.proc_name, u.frame, u.client_pid, i.file
FROM unanswered_calls u JOIN inputs i ON i.timeline = u.timeline AND i.id = u.input
ORDER BY u.ts_ns;

-- ... and glfs_init's result.
SELECT e.timeline, e.comm, e.pid, e.probe, x.ret, e.duration_ns / 1e9 AS seconds,
       CASE WHEN e."return" IS NULL THEN 'never returned' ELSE 'returned' END AS how
FROM probe_events e
LEFT JOIN probe_events x ON x.timeline = e.timeline AND x.id = e."return"
WHERE e.probe = 'gfapi.init' AND e.phase = 'entry';

-- 4. Every glfs_* call with the RPCs it caused and their replies.
SELECT timeline, probe, pid, tid, ret, duration_ns, proc_name, call_frame, reply_frame,
       op_ret, op_errno, latency_ns, method, confidence
FROM gfapi_calls ORDER BY ts_ns;

-- 5. The slowest calls on the wire.
SELECT timeline, proc_name, frame, reply_frame, latency_ns / 1e6 AS ms, op_ret, op_errno
FROM slow_calls LIMIT 10;

-- 6. Which process owns which connection, and how that is known.
SELECT timeline, id, client_addr || ':' || client_port || ' > ' || server_addr || ':' ||
       server_port AS connection, state, calls, replies, client_host,
       client_pid, process_name, pid_method
FROM conversations;

-- 7. Probe events that nothing joined.
SELECT e.timeline, e.probe, e.phase, count(*) AS unlinked
FROM probe_events e
WHERE NOT EXISTS (SELECT 1 FROM links l
		  WHERE l.timeline = e.timeline AND l.event = e.id)
GROUP BY e.timeline, e.probe, e.phase ORDER BY unlinked DESC;

-- 8. Everything on one time axis.
SELECT timeline, time, source, summary FROM timeline ORDER BY ts_ns LIMIT 60;
