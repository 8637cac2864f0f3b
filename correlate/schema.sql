-- schema.sql - the tapline timeline database (tapline-correlate(1)).
--
-- One SQLite file holds what went over the wire (decoded captures) and what
-- the programs did (probe records), on one realtime axis, with the links
-- between them.  The version is PRAGMA user_version: 4 (db.h); tapline
-- upgrades a timeline of versions 1 to 3 in place when it opens it for
-- writing (db.c: the changed objects are moved aside or altered, this
-- file creates what is missing, the rows are copied over) and refuses
-- any other version rather than guess.  Hence IF NOT EXISTS everywhere.
--
-- Message bodies are stored compact (correlate/bodies.h): an ONC-RPC or
-- GlusterFS message keeps its record's own bytes (messages.wire; of a
-- WRITE call or a READ reply the head before its data, which no field
-- shows), compressed against the records before it in the capture
-- (wire_dictionaries), and its JSON is made again when asked, by the SQL
-- function tapline_body(id);
-- tapline_field(id, 'glusterfs.ia_atime') gives one field's value.  The
-- views below call them: open the timeline with `tapline sql`, or load
-- the extension into sqlite3 (.load /usr/local/lib/tapline/tapline_sql),
-- see tapline-sql(1).
--
-- A CHECK on a column written on every row lists its values as
-- comparisons (kind = 'request' OR ...), not as IN (...): SQLite builds
-- a temporary index of an IN list of three or more for each row it
-- checks, a tenth of the time a capture took to go in.
--
-- Times are integers: nanoseconds since the Unix epoch, realtime clock.
-- Column names follow the decoder's field names (docs/fields.md) without
-- their protocol prefix (op_ret = gluster.op_ret), or the decoder's
-- exchange (docs/core.md): exchange_id = rpc.xid, op_code = rpc.procedure.

-- Every file ingested, once: the fingerprint (SHA-256 of the file's bytes)
-- is why the same input given twice adds nothing.
CREATE TABLE IF NOT EXISTS inputs (
	id INTEGER PRIMARY KEY,
	file TEXT NOT NULL,		-- path as given on the command line
	kind TEXT NOT NULL		-- capture: pcap/pcapng(.gz); records: probe records
		CHECK (kind IN ('capture', 'records')),
	host TEXT,			-- records: host= of the first header
	clock TEXT,			-- records: clock= of the first header; captures: realtime
	clock_offset_ns INTEGER,	-- added to the file's times to get realtime
	fingerprint TEXT NOT NULL UNIQUE,	-- 'sha256:' || hex digest
	size INTEGER NOT NULL,		-- bytes
	ingested_ns INTEGER NOT NULL,	-- when (realtime ns)
	first_ts_ns INTEGER,		-- earliest frame/event (realtime ns)
	last_ts_ns INTEGER,
	frames INTEGER NOT NULL DEFAULT 0,	-- captures: frames read
	messages INTEGER NOT NULL DEFAULT 0,	-- captures: messages stored (every protocol)
	events INTEGER NOT NULL DEFAULT 0,	-- records: probe events stored
	malformed INTEGER NOT NULL DEFAULT 0,	-- records: lines skipped as malformed;
						-- captures: messages with a bad verdict
	error TEXT			-- a read error that ended the input early
);

-- Sessions of a record file: a header line starts one (files may be
-- concatenated, each part with its own clock).
CREATE TABLE IF NOT EXISTS record_sessions (
	id INTEGER PRIMARY KEY,
	input INTEGER NOT NULL REFERENCES inputs(id),
	line INTEGER NOT NULL,		-- line of the header
	host TEXT,
	clock TEXT NOT NULL,		-- realtime | tai | monotonic | boottime
	clock_offset_ns INTEGER,	-- NULL when the producer wrote '?'
	boot_id TEXT,
	recorder TEXT,
	start_ns INTEGER,		-- in the session's own clock
	header TEXT NOT NULL		-- the whole header line, unknown keys included
);

-- Offsets between the clocks of captures taken on different hosts,
-- estimated from RPC calls and replies seen in both (NTP's formula:
-- ((t2 - t1) + (t3 - t4)) / 2, median over the pairs).  Reported, and
-- kept here; the stored times are each capture's own.
CREATE TABLE IF NOT EXISTS clock_offsets (
	input INTEGER NOT NULL REFERENCES inputs(id),
	reference INTEGER NOT NULL REFERENCES inputs(id),
	offset_ns INTEGER NOT NULL,	-- add to input's times to get reference's
	samples INTEGER NOT NULL,	-- call/reply pairs seen in both
	spread_ns INTEGER NOT NULL,	-- max - min of the per-pair offsets
	PRIMARY KEY (input, reference)
);

-- TCP connections, one row per connection per capture, from the SYN (or
-- the first segment seen) on.  The client is the side that sent the SYN or,
-- without one, the RPC calls.
CREATE TABLE IF NOT EXISTS conversations (
	id INTEGER PRIMARY KEY,
	input INTEGER NOT NULL REFERENCES inputs(id),
	stream INTEGER,			-- the decoder's connection number in that capture
					-- (tcp.stream + 1); NULL when no message was decoded
	client_addr TEXT NOT NULL,	-- '127.0.0.1' or an IPv6 address
	client_port INTEGER NOT NULL,
	server_addr TEXT NOT NULL,
	server_port INTEGER NOT NULL,
	protocol TEXT,			-- 'GlusterFS', 'ONC-RPC', ... (first message)
	state TEXT NOT NULL DEFAULT 'data'	-- syn-sent: SYNs never answered;
		CHECK (state IN ('syn-sent', 'refused', 'unreachable', 'established', 'data')),
		-- refused: answered by a reset or an ICMP port unreachable;
		-- unreachable: answered by another ICMP destination
		-- unreachable (host, network, administratively filtered);
		-- established: SYN-ACK seen;
		-- data: no handshake in the capture, only data
	syn_count INTEGER NOT NULL DEFAULT 0,	-- SYNs sent (retries included)
	first_ts_ns INTEGER NOT NULL,
	last_ts_ns INTEGER NOT NULL,
	calls INTEGER NOT NULL DEFAULT 0,
	replies INTEGER NOT NULL DEFAULT 0,
	client_host TEXT,		-- process that owns the client side: from the
	client_pid INTEGER,		-- SETVOLUME dict's process-uuid (HOST:, PID:),
	process_name TEXT,		-- and process-name; from the calls' GlusterFS
	process_uuid TEXT,		-- credential pid when they all name one; or
	pid_method TEXT			-- from exact XID matches: 'process-uuid' |
					-- 'credential' | 'exact-xid'
);
CREATE INDEX IF NOT EXISTS conversations_by_tuple ON conversations
	(input, client_addr, client_port, server_addr, server_port);
CREATE INDEX IF NOT EXISTS conversations_by_pid ON conversations (client_pid);
CREATE INDEX IF NOT EXISTS conversations_by_stream ON conversations (input, stream);

-- Decoded messages of every protocol (ONC-RPC and GlusterFS, Ceph, CQL,
-- Scylla): the few facts every protocol reports the same way (the
-- decoder's exchange, docs/core.md), then the GlusterFS columns the views
-- and joins use (NULL for the other protocols), then the whole body: as
-- the record's bytes (wire) or as JSON (body), tapline_body(id) gives
-- the JSON of either.
CREATE TABLE IF NOT EXISTS messages (
	id INTEGER PRIMARY KEY,
	input INTEGER NOT NULL REFERENCES inputs(id),
	frame INTEGER NOT NULL,		-- frame.number where the message completed
	first_frame INTEGER,		-- where it began
	ts_ns INTEGER NOT NULL,		-- that frame's time (realtime ns)
	conversation INTEGER REFERENCES conversations(id),
	src TEXT,			-- 'addr:port' ('[v6]:port')
	dst TEXT,
	protocol TEXT NOT NULL,		-- registry name: rpc, glusterfs, ceph, cql, scylla
	kind TEXT			-- NULL: not part of an exchange
		CHECK (kind = 'request' OR kind = 'response' OR kind = 'event'),
	exchange_id INTEGER,		-- XID, CQL stream id, Scylla msg id, Ceph tid
	service TEXT,			-- 'GlusterFS', 'GF-HNDSK', ... (RPC program)
	service_code INTEGER,		-- rpc.program (responses: from the request)
	service_version INTEGER,	-- rpc.programversion
	op TEXT,			-- 'SETATTR', 'QUERY', 'OSD_OP', ...
	op_code INTEGER,		-- procedure, opcode, verb, message type
	status TEXT			-- responses: NULL when they say nothing
		CHECK (status IN ('ok', 'failed')),
	status_code INTEGER,		-- failed: errno, CQL error code, RPC state
	status_name TEXT,		-- 'EACCES', 'PROG_UNAVAIL', ...
	request INTEGER REFERENCES messages(id),	-- responses: the request
	response INTEGER REFERENCES messages(id),	-- requests: the response,
							-- NULL if none
	request_frame INTEGER,		-- responses: the request's frame (rpc.reqframe)
	latency_ns INTEGER,		-- responses: ts - the request's ts (rpc.time)
	length INTEGER,			-- bytes on the wire
	verdict TEXT,			-- NULL when whole; else 'malformed,truncated,...'
	why TEXT,			-- the decoder's reason for the verdict
	info TEXT,			-- one-line summary, as tapline decode prints it
	-- ONC-RPC and GlusterFS:
	reply_state INTEGER,		-- replies: rpc.replystat: 0 accepted, 1 denied
	accept_state INTEGER,		-- replies: rpc.state_accept: 0 success, ...
	op_ret INTEGER,			-- gluster.op_ret
	op_errno INTEGER,		-- gluster.op_errno
	errno_name TEXT,		-- 'EACCES', ...
	gfid TEXT,			-- glusterfs.gfid as a UUID
	pargfid TEXT,			-- glusterfs.pargfid
	path TEXT,			-- glusterfs.path
	bname TEXT,			-- glusterfs.bname
	body TEXT,			-- every decoded field as JSON (json_tree() it);
					-- NULL when wire holds the record
	wire BLOB,			-- ONC-RPC: the decoder's connection number (a
					-- varint), then the record as kept; or those
					-- bytes compressed:
	wire_dictionary INTEGER REFERENCES wire_dictionaries(id)
					-- NULL: wire as it is; else wire is a varint
					-- (the bytes' length), then their LZ4 block
					-- against this dictionary (correlate/bodies.h)
);
CREATE INDEX IF NOT EXISTS messages_by_exchange ON messages (exchange_id, ts_ns);

-- What the records of a capture are compressed against: the last 64 KiB
-- of the records before the first message that names it (a new one every
-- 8192 records).  Read by tapline_body() and tapline_field() only.
CREATE TABLE IF NOT EXISTS wire_dictionaries (
	id INTEGER PRIMARY KEY,
	input INTEGER NOT NULL REFERENCES inputs(id),
	bytes BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation, ts_ns);
CREATE INDEX IF NOT EXISTS messages_by_time ON messages (ts_ns);
CREATE INDEX IF NOT EXISTS messages_by_frame ON messages (input, frame);

-- ONC-RPC messages (GlusterFS and the other RPC programs) as version 1
-- of the timeline stored them: msg_type call/reply, xid, program, proc,
-- the call's and the reply's ids.
CREATE VIEW IF NOT EXISTS rpc_messages AS
	SELECT id, input, frame, first_frame, ts_ns, conversation, src, dst,
	       length, exchange_id AS xid,
	       CASE kind WHEN 'request' THEN 'call' ELSE 'reply' END AS msg_type,
	       service_code AS program, service AS program_name,
	       service_version AS version, op_code AS proc, op AS proc_name,
	       reply_state, accept_state, request AS call, response AS reply,
	       request_frame AS call_frame, latency_ns, op_ret, op_errno,
	       errno_name, gfid, pargfid, path, bname, verdict, why, info,
	       coalesce(body, tapline_body(id)) AS body
	FROM messages
	WHERE protocol IN ('rpc', 'glusterfs')
	  AND kind IN ('request', 'response');

-- The other protocols, each with its own words for the exchange.
CREATE VIEW IF NOT EXISTS cql_messages AS
	SELECT id, input, frame, ts_ns, conversation, src, dst, length, kind,
	       exchange_id AS stream, op AS opcode_name, op_code AS opcode,
	       status, status_code AS error_code, status_name AS error,
	       request, response, latency_ns, verdict, info,
	       coalesce(body, tapline_body(id)) AS body
	FROM messages WHERE protocol = 'cql';
CREATE VIEW IF NOT EXISTS ceph_messages AS
	SELECT id, input, frame, ts_ns, conversation, src, dst, length, kind,
	       exchange_id AS tid, op AS type_name, op_code AS type,
	       status, status_code AS result, status_name AS errno_name,
	       request, response, latency_ns, verdict, info,
	       coalesce(body, tapline_body(id)) AS body
	FROM messages WHERE protocol = 'ceph';
CREATE VIEW IF NOT EXISTS scylla_messages AS
	SELECT id, input, frame, ts_ns, conversation, src, dst, length, kind,
	       exchange_id AS msg_id, op AS verb_name, op_code AS verb,
	       status, status_code AS exception_code, status_name AS exception,
	       request, response, latency_ns, verdict, info,
	       coalesce(body, tapline_body(id)) AS body
	FROM messages WHERE protocol = 'scylla';

-- Probe events from record files (docs/record-format.md).
CREATE TABLE IF NOT EXISTS probe_events (
	id INTEGER PRIMARY KEY,
	input INTEGER NOT NULL REFERENCES inputs(id),
	session INTEGER NOT NULL REFERENCES record_sessions(id),
	line INTEGER NOT NULL,		-- line in the record file
	ts_ns INTEGER,			-- realtime ns; NULL when the clock offset is unknown
	ts_raw INTEGER NOT NULL,	-- as written, in the session's clock
	host TEXT,
	pid INTEGER NOT NULL,
	tid INTEGER NOT NULL,
	comm TEXT NOT NULL,
	probe TEXT NOT NULL,		-- 'gfapi.utimens', 'rpc.call', ...
	phase TEXT NOT NULL
		CHECK (phase = 'entry' OR phase = 'return' OR phase = 'event'),
	args TEXT NOT NULL,		-- every key=value of the line as a JSON object
	ret INTEGER,			-- args' ret, errno, xid, prog, vers, proc,
	errno INTEGER,			-- path, copied out for joins and queries
	xid INTEGER,
	prog INTEGER,
	vers INTEGER,
	proc INTEGER,
	path TEXT,
	entry INTEGER REFERENCES probe_events(id),	-- returns: their entry
	return INTEGER REFERENCES probe_events(id),	-- entries: their return
	duration_ns INTEGER		-- return ts - entry ts, on both rows
);
CREATE INDEX IF NOT EXISTS probe_events_by_thread ON probe_events (host, pid, tid, probe, ts_raw, id);
CREATE INDEX IF NOT EXISTS probe_events_by_pid ON probe_events (host, pid, ts_ns);
CREATE INDEX IF NOT EXISTS probe_events_by_xid ON probe_events (xid) WHERE xid IS NOT NULL;

-- Links between probe events and messages (or enclosing probe events).
-- Every link says how it was found and how sure it is; an event or message
-- without a link stays in the timeline, unlinked.
--   exact-xid    the event carries the XID: the call with that XID on the
--                process's connection (and its reply);
--   time-window  a glfs_* call and an RPC its process sent between entry and
--                return: by the thread that encoded it, else every call in
--                flight, procedure fit and file setting the confidence;
--                deferred work (write-behind, RELEASE) to the call that left
--                it (tapline-correlate(1) has every rule);
--   nesting      an event inside another's entry/return on the same thread.
CREATE TABLE IF NOT EXISTS links (
	id INTEGER PRIMARY KEY,
	event INTEGER NOT NULL REFERENCES probe_events(id),
	message INTEGER REFERENCES messages(id),	-- exact-xid, time-window
	parent INTEGER REFERENCES probe_events(id),	-- nesting: the enclosing entry
	method TEXT NOT NULL
		CHECK (method = 'exact-xid' OR method = 'time-window' OR method = 'nesting'),
	confidence REAL NOT NULL,	-- 1 certain; 1/n when n candidates fit equally
	note TEXT			-- why, in words ('2 candidates', 'write-behind', ...)
);
CREATE INDEX IF NOT EXISTS links_by_event ON links (event);
CREATE INDEX IF NOT EXISTS links_by_message ON links (message);

-- Everything on one time axis, one readable line per row.  ONC-RPC
-- messages in RPC's words; the other protocols with the decoder's
-- summary line.
CREATE VIEW IF NOT EXISTS timeline AS
	SELECT m.ts_ns AS ts_ns,
	       strftime('%Y-%m-%d %H:%M:%S', m.ts_ns / 1000000000, 'unixepoch')
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
	SELECT e.ts_ns,
	       strftime('%Y-%m-%d %H:%M:%S', e.ts_ns / 1000000000, 'unixepoch')
		|| printf('.%09d', e.ts_ns % 1000000000),
	       'probe', e.input, NULL, e.id, NULL,
	       coalesce(e.host, '?') || ' ' || e.comm || '[' || e.pid || '/' || e.tid ||
	       '] ' || e.probe || ' ' || e.phase || ' ' || e.args ||
	       coalesce(' -> ' || (SELECT group_concat(
			coalesce(m.op, 'proc ' || m.op_code) || ' ' ||
			CASE m.kind WHEN 'request' THEN 'call' ELSE 'reply' END ||
			' frame ' || m.frame || ' (' || l.method || ')', ', ')
		    FROM links l JOIN messages m ON m.id = l.message
		    WHERE l.event = e.id), '')
	FROM probe_events e
	WHERE e.ts_ns IS NOT NULL;

-- Requests that never got a response in the captures (the mount
-- failure's GETSPEC or LOOKUP; or a capture that ended too soon), and
-- connections whose SYNs were never answered, were refused (by a reset
-- or an ICMP port unreachable: connect()'s ECONNREFUSED either way), or
-- were answered by another ICMP destination unreachable (a route or a
-- firewall's icmp-host-prohibited: EHOSTUNREACH and its kin).
CREATE VIEW IF NOT EXISTS unanswered_calls AS
	SELECT m.id AS message, m.input, m.frame, m.ts_ns, m.src, m.dst,
	       m.exchange_id AS xid, m.service AS program_name,
	       m.op AS proc_name, m.conversation,
	       c.client_pid, 'call without reply' AS what, m.protocol
	FROM messages m LEFT JOIN conversations c ON c.id = m.conversation
	WHERE m.kind = 'request' AND m.response IS NULL
	UNION ALL
	SELECT NULL, c.input, NULL, c.first_ts_ns,
	       c.client_addr || ':' || c.client_port,
	       c.server_addr || ':' || c.server_port,
	       NULL, NULL, NULL, c.id, c.client_pid,
	       CASE c.state WHEN 'refused' THEN 'connection refused'
		    WHEN 'unreachable' THEN 'destination unreachable (ICMP, ' || c.syn_count || ' SYN)'
		    ELSE 'connection attempt unanswered (' || c.syn_count || ' SYN)' END,
	       NULL
	FROM conversations c
	WHERE c.state IN ('syn-sent', 'refused', 'unreachable');

-- Responses that say a request failed, with the request they answer:
-- the exchange's status (a CQL ERROR, a negative Ceph result, an RPC
-- reply denied or not accepted, a GlusterFS op_ret < 0), and ONC-RPC's
-- states and op_ret as version 1 read them.
CREATE VIEW IF NOT EXISTS failed_calls AS
	SELECT r.id AS reply, r.request AS call, r.input, r.frame, r.ts_ns,
	       r.service AS program_name, r.op AS proc_name,
	       r.exchange_id AS xid, r.op_ret, r.op_errno,
	       r.errno_name, r.reply_state, r.accept_state, r.latency_ns,
	       c.frame AS call_frame, c.path, c.bname, c.gfid, r.conversation,
	       r.protocol, r.status_code, r.status_name
	FROM messages r LEFT JOIN messages c ON c.id = r.request
	WHERE r.kind = 'response'
	  AND (r.status = 'failed' OR r.op_ret < 0 OR r.reply_state <> 0
	       OR r.accept_state <> 0);

-- Requests with their latency, slowest first (add WHERE latency_ns > ...).
CREATE VIEW IF NOT EXISTS slow_calls AS
	SELECT c.id AS call, r.id AS reply, c.input, c.frame, r.frame AS reply_frame,
	       c.ts_ns, c.service AS program_name, c.op AS proc_name,
	       c.exchange_id AS xid, r.latency_ns,
	       r.op_ret, r.op_errno, c.path, c.bname, c.gfid, c.conversation,
	       c.protocol, r.status, r.status_name
	FROM messages c JOIN messages r ON r.id = c.response
	WHERE c.kind = 'request'
	ORDER BY r.latency_ns DESC;

-- Each glfs_* call (an entry with its return) with the RPCs it caused and
-- their replies; calls that caused none appear once with NULLs.  A call
-- that never returned (the hanging glfs_init) has returned = 0, no
-- duration, and elapsed_ns up to its process's last record: a lower
-- bound (ORDER BY elapsed_ns DESC puts it first).
CREATE VIEW IF NOT EXISTS gfapi_calls AS
	SELECT e.id AS event, e.ts_ns, e.host, e.pid, e.tid, e.comm, e.probe,
	       e.args, x.ret, x.errno, e.duration_ns,
	       l.method, l.confidence, l.note,
	       c.id AS call, c.frame AS call_frame, c.op AS proc_name,
	       c.exchange_id AS xid,
	       r.id AS reply, r.frame AS reply_frame, r.op_ret, r.op_errno,
	       r.errno_name, r.latency_ns,
	       e.return IS NOT NULL AS returned,
	       coalesce(e.duration_ns, (SELECT max(p.ts_ns) FROM probe_events p
			WHERE p.host IS e.host AND p.pid = e.pid) - e.ts_ns) AS elapsed_ns
	FROM probe_events e
	LEFT JOIN probe_events x ON x.id = e.return
	LEFT JOIN links l ON l.event = e.id AND l.message IS NOT NULL
	LEFT JOIN messages c ON c.id = l.message AND c.kind = 'request'
	LEFT JOIN messages r ON r.id = c.response
	WHERE e.probe GLOB 'gfapi.*' AND e.phase = 'entry'
	  AND (l.id IS NULL OR c.id IS NOT NULL);
