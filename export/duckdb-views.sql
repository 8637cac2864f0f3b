-- The timeline's views (correlate/schema.sql) in DuckDB's SQL, over the
-- exported tables of every timeline: ids are a timeline's own, so each
-- join matches the timeline as well.  The same rows as the SQLite views
-- of each timeline (tests/export-duckdb.sh checks it), plus the
-- timeline's name in front.

CREATE OR REPLACE VIEW rpc_messages AS
	SELECT timeline, host, id, input, frame, first_frame, ts_ns,
	       conversation, src, dst, length, exchange_id AS xid,
	       CASE kind WHEN 'request' THEN 'call' ELSE 'reply' END AS msg_type,
	       service_code AS program, service AS program_name,
	       service_version AS version, op_code AS proc, op AS proc_name,
	       reply_state, accept_state, request AS call, response AS reply,
	       request_frame AS call_frame, latency_ns, op_ret, op_errno,
	       errno_name, gfid, pargfid, path, bname, verdict, why, info, body
	FROM messages
	WHERE protocol IN ('rpc', 'glusterfs')
	  AND kind IN ('request', 'response');

CREATE OR REPLACE VIEW unanswered_calls AS
	SELECT m.timeline, m.id AS message, m.input, m.frame, m.ts_ns, m.src,
	       m.dst, m.exchange_id AS xid, m.service AS program_name,
	       m.op AS proc_name, m.conversation,
	       c.client_pid, 'call without reply' AS what, m.protocol
	FROM messages m
	LEFT JOIN conversations c ON c.timeline = m.timeline AND c.id = m.conversation
	WHERE m.kind = 'request' AND m.response IS NULL
	UNION ALL
	SELECT c.timeline, NULL, c.input, NULL, c.first_ts_ns,
	       c.client_addr || ':' || c.client_port,
	       c.server_addr || ':' || c.server_port,
	       NULL, NULL, NULL, c.id, c.client_pid,
	       CASE c.state WHEN 'refused' THEN 'connection refused'
		    WHEN 'unreachable' THEN 'destination unreachable (ICMP, ' || c.syn_count || ' SYN)'
		    ELSE 'connection attempt unanswered (' || c.syn_count || ' SYN)' END,
	       NULL
	FROM conversations c
	WHERE c.state IN ('syn-sent', 'refused', 'unreachable');

CREATE OR REPLACE VIEW failed_calls AS
	SELECT r.timeline, r.id AS reply, r.request AS call, r.input, r.frame,
	       r.ts_ns, r.service AS program_name, r.op AS proc_name,
	       r.exchange_id AS xid, r.op_ret, r.op_errno,
	       r.errno_name, r.reply_state, r.accept_state, r.latency_ns,
	       c.frame AS call_frame, c.path, c.bname, c.gfid, r.conversation,
	       r.protocol, r.status_code, r.status_name
	FROM messages r
	LEFT JOIN messages c ON c.timeline = r.timeline AND c.id = r.request
	WHERE r.kind = 'response'
	  AND (r.status = 'failed' OR r.op_ret < 0 OR r.reply_state <> 0
	       OR r.accept_state <> 0);

CREATE OR REPLACE VIEW slow_calls AS
	SELECT c.timeline, c.id AS call, r.id AS reply, c.input, c.frame,
	       r.frame AS reply_frame, c.ts_ns, c.service AS program_name,
	       c.op AS proc_name, c.exchange_id AS xid, r.latency_ns,
	       r.op_ret, r.op_errno, c.path, c.bname, c.gfid, c.conversation,
	       c.protocol, r.status, r.status_name
	FROM messages c
	JOIN messages r ON r.timeline = c.timeline AND r.id = c.response
	WHERE c.kind = 'request'
	ORDER BY r.latency_ns DESC;

CREATE OR REPLACE VIEW gfapi_calls AS
	SELECT e.timeline, e.id AS event, e.ts_ns, e.host, e.pid, e.tid, e.comm,
	       e.probe, e.args, x.ret, x.errno, e.duration_ns,
	       l.method, l.confidence, l.note,
	       c.id AS call, c.frame AS call_frame, c.op AS proc_name,
	       c.exchange_id AS xid,
	       r.id AS reply, r.frame AS reply_frame, r.op_ret, r.op_errno,
	       r.errno_name, r.latency_ns,
	       CAST(e."return" IS NOT NULL AS INTEGER) AS returned,
	       coalesce(e.duration_ns, (SELECT max(p.ts_ns) FROM probe_events p
			WHERE p.timeline = e.timeline
			  AND p.host IS NOT DISTINCT FROM e.host
			  AND p.pid = e.pid) - e.ts_ns) AS elapsed_ns
	FROM probe_events e
	LEFT JOIN probe_events x ON x.timeline = e.timeline AND x.id = e."return"
	LEFT JOIN links l ON l.timeline = e.timeline AND l.event = e.id
			 AND l.message IS NOT NULL
	LEFT JOIN messages c ON c.timeline = e.timeline AND c.id = l.message
			    AND c.kind = 'request'
	LEFT JOIN messages r ON r.timeline = e.timeline AND r.id = c.response
	WHERE e.probe GLOB 'gfapi.*' AND e.phase = 'entry'
	  AND (l.id IS NULL OR c.id IS NOT NULL);

CREATE OR REPLACE VIEW timeline AS
	SELECT m.timeline, m.ts_ns AS ts_ns,
	       strftime(make_timestamp(m.ts_ns // 1000), '%Y-%m-%d %H:%M:%S')
		|| printf('.%09d', m.ts_ns % 1000000000) AS time,
	       'wire' AS source, m.input AS input, m.frame AS frame,
	       NULL AS event, m.id AS message,
	       m.src || ' > ' || m.dst || ' ' ||
	       CASE WHEN m.protocol IN ('rpc', 'glusterfs')
			 AND m.kind IN ('request', 'response')
		    THEN coalesce(m.service, 'prog ' || m.service_code) || ' ' ||
			 coalesce(m.op, 'proc ' || m.op_code) || ' ' ||
			 CASE m.kind WHEN 'request' THEN 'call' ELSE 'reply' END ||
			 printf(' xid=0x%08x', m.exchange_id) ||
			 CASE WHEN m.op_ret IS NOT NULL
			      THEN printf(' op_ret=%d op_errno=%d', m.op_ret,
					  m.op_errno) ||
				   coalesce(' (' || m.errno_name || ')', '')
			      ELSE '' END
		    ELSE m.protocol || ' ' || coalesce(m.info, '') END ||
	       CASE WHEN m.kind = 'request' AND m.response IS NULL
		    THEN ' [no reply]' ELSE '' END ||
	       coalesce(' [' || m.verdict || ']', '') AS summary
	FROM messages m
	UNION ALL
	SELECT e.timeline, e.ts_ns,
	       strftime(make_timestamp(e.ts_ns // 1000), '%Y-%m-%d %H:%M:%S')
		|| printf('.%09d', e.ts_ns % 1000000000),
	       'probe', e.input, NULL, e.id, NULL,
	       coalesce(e.host, '?') || ' ' || e.comm || '[' || e.pid || '/' || e.tid ||
	       '] ' || e.probe || ' ' || e.phase || ' ' || e.args ||
	       coalesce(' -> ' || (SELECT string_agg(
			coalesce(m.op, 'proc ' || m.op_code) || ' ' ||
			CASE m.kind WHEN 'request' THEN 'call' ELSE 'reply' END ||
			' frame ' || m.frame || ' (' || l.method || ')', ', '
			ORDER BY l.id)
		    FROM links l JOIN messages m ON m.timeline = l.timeline
						 AND m.id = l.message
		    WHERE l.timeline = e.timeline AND l.event = e.id), '')
	FROM probe_events e
	WHERE e.ts_ns IS NOT NULL;
