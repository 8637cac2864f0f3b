-- correlate-oracle.sql - run by tests/correlate-oracle.sh on a timeline,
-- after the temp tables of the socket trace and tshark are filled:
--   sockets (sock, sport, dport, t_syn)   client sockets of the lab's ports
--   sends (tgid, tid, t_start, ts_ns, sock, off, len)   sock_send_length
--                                         (ts_ns), the writev it ends
--                                         (t_start), the send's offset in its
--                                         socket's byte stream
--   syns (stream, sport, dport, ts_ns), segments (frame, stream, sport, seq,
--   len), wire (frame, xid, program, proc)   tshark's view of the capture
-- It prints one line of counts (see the last SELECT).

-- The nth socket of a port pair is the nth connection tshark saw open.
CREATE TEMP TABLE stream_socket AS
 SELECT y.stream, s.sock, s.sport FROM
  (SELECT sock, sport, dport, row_number() OVER (PARTITION BY sport, dport ORDER BY t_syn) AS n
   FROM sockets WHERE sport IS NOT NULL) s
 JOIN (SELECT stream, sport, dport, row_number() OVER (PARTITION BY sport, dport ORDER BY ts_ns) AS n
   FROM syns) y ON y.sport = s.sport AND y.dport = s.dport AND y.n = s.n;

-- The client's segments, as byte ranges of their socket's stream (relative
-- sequence numbers count the SYN as 1).
CREATE TEMP TABLE client_segments AS
 SELECT g.frame, x.sock, g.seq - 1 AS first, g.seq - 1 + g.len - 1 AS last
 FROM segments g JOIN stream_socket x ON x.stream = g.stream AND x.sport = g.sport;

-- Who sent a segment: the send that wrote its last byte (an RPC record
-- ends in the frame tshark shows it in); and how many sends it holds.
CREATE TEMP TABLE frame_sender AS
 SELECT g.frame, d.tgid, d.tid, d.t_start, d.ts_ns,
  (SELECT count(*) FROM sends o WHERE o.sock = g.sock AND o.off <= g.last
   AND o.off + o.len - 1 >= g.first) AS nsends
 FROM client_segments g JOIN sends d ON d.sock = g.sock
  AND g.last BETWEEN d.off AND d.off + d.len - 1;

CREATE TEMP TABLE rpc_sent AS
 SELECT w.frame, w.xid, w.program, w.proc, s.tgid, s.tid, s.t_start, s.ts_ns
 FROM wire w JOIN frame_sender s ON s.frame = w.frame;

-- calls: tests/lab/call-windows.sql
CREATE TEMP TABLE callers AS SELECT DISTINCT pid, tid FROM calls;

-- A send took from its writev's entry to the tracepoint at its end; the
-- capture saw it somewhere in between.  The rules are applied at both
-- ends: a link they give at both is sure, at one only possible.
CREATE TEMP TABLE moments AS
 SELECT frame, program, proc, tgid, tid, t_start AS t, 0 AS side FROM rpc_sent
 UNION ALL SELECT frame, program, proc, tgid, tid, ts_ns, 1 FROM rpc_sent;

-- Deferred work (WRITE 13; FLUSH 15, RELEASE 41; RELEASEDIR 42 of
-- GlusterFS's FOP program 1298437): the calls of the kind that leave it
-- (glfs_*write; glfs_close; glfs_closedir) that were running when it was
-- sent (on the sending thread, when that thread calls glfs_*), or that
-- returned before, less than 10 s before, as the last such call of their
-- thread up to then.
CREATE TEMP TABLE deferred AS
 SELECT r.side, c.id AS event, r.frame
 FROM moments r JOIN (SELECT 13 AS proc, 'write' AS kind UNION ALL
  SELECT 15, 'close' UNION ALL SELECT 41, 'close' UNION ALL SELECT 42, 'closedir') k
  ON r.program = 1298437 AND r.proc = k.proc
 JOIN calls c ON c.pid = r.tgid AND c.kind = k.kind
 WHERE (c.t_ret < r.t AND r.t - c.t_ret < 10000000000
   AND NOT EXISTS (SELECT 1 FROM calls n WHERE n.pid = c.pid AND n.tid = c.tid
    AND n.kind = c.kind AND n.t0 > c.t_ret AND n.t0 < r.t))
  OR (r.t BETWEEN c.t0 AND c.t1 AND (c.tid = r.tid OR NOT EXISTS
   (SELECT 1 FROM callers k WHERE k.pid = r.tgid AND k.tid = r.tid)));

-- Everything else: the calls of the sending thread running then when it
-- calls glfs_*; every call of the process running then when it is one of
-- the library's threads.
CREATE TEMP TABLE expected_at AS
 SELECT side, event, frame FROM deferred
 UNION
 SELECT r.side, c.id, r.frame FROM moments r JOIN calls c ON c.pid = r.tgid
  AND r.t BETWEEN c.t0 AND c.t1
  AND (c.tid = r.tid OR NOT EXISTS (SELECT 1 FROM callers k
   WHERE k.pid = r.tgid AND k.tid = r.tid))
 WHERE NOT EXISTS (SELECT 1 FROM deferred d WHERE d.side = r.side
  AND d.frame = r.frame);
CREATE TEMP TABLE expected AS
 SELECT event, frame FROM expected_at GROUP BY event, frame
 HAVING count(DISTINCT side) = 2;
-- Possible: what the rules give at either end, and, for a send by one
-- of the library's threads, the calls that began and ended inside it
-- (a writev preempted while another thread's glfs_stat ran whole): the
-- capture's moment may lie in them too.
CREATE TEMP TABLE possible AS SELECT DISTINCT event, frame FROM expected_at
 UNION
 SELECT c.id, s.frame FROM rpc_sent s JOIN calls c ON c.pid = s.tgid
  AND c.t0 > s.t_start AND c.t1 < s.ts_ns
 WHERE NOT EXISTS (SELECT 1 FROM callers k WHERE k.pid = s.tgid AND k.tid = s.tid)
  AND NOT EXISTS (SELECT 1 FROM deferred d WHERE d.frame = s.frame);

CREATE TEMP TABLE window_links AS
 SELECT DISTINCT l.event, m.frame FROM links l JOIN calls c ON c.id = l.event
 JOIN rpc_messages m ON m.id = l.message AND m.msg_type = 'call'
 WHERE l.method = 'time-window';

-- Exact XID: an rpc.call event (the encoding of a call) goes with the RPC
-- of its XID, program and procedure that its process sent next, by the
-- same thread first.
CREATE TEMP TABLE xid_expected AS
 SELECT event, frame FROM (SELECT e.id AS event, r.frame,
   row_number() OVER (PARTITION BY e.id ORDER BY r.tid = e.tid DESC, r.ts_ns) AS n
  FROM probe_events e LEFT JOIN rpc_sent r ON r.tgid = e.pid
   AND r.xid = printf('0x%08x', e.xid) AND r.program = e.prog AND r.proc = e.proc
   AND r.ts_ns >= e.ts_ns - 1000
  WHERE e.probe = 'rpc.call') WHERE n = 1;
CREATE TEMP TABLE xid_links AS
 SELECT DISTINCT l.event, m.frame FROM links l
 JOIN probe_events e ON e.id = l.event AND e.probe = 'rpc.call'
 JOIN rpc_messages m ON m.id = l.message AND m.msg_type = 'call'
 WHERE l.method = 'exact-xid';
-- The correlator's guesses: links among several connections that nothing
-- but time told apart (confidence below 0.9); the other links of
-- xid_links are the ones it is sure of.
CREATE TEMP TABLE xid_guesses AS
 SELECT DISTINCT l.event, m.frame FROM links l
 JOIN probe_events e ON e.id = l.event AND e.probe = 'rpc.call'
 JOIN rpc_messages m ON m.id = l.message AND m.msg_type = 'call'
 WHERE l.method = 'exact-xid' AND l.confidence < 0.9;

SELECT
 (SELECT count(*) FROM segments g JOIN stream_socket x ON x.stream = g.stream
  AND x.sport = g.sport),
 (SELECT count(*) FROM frame_sender),
 (SELECT count(*) FROM frame_sender WHERE nsends > 1),
 (SELECT count(*) FROM wire),
 (SELECT count(*) FROM rpc_sent),
 (SELECT count(DISTINCT tgid) FROM rpc_sent),
 (SELECT count(*) FROM rpc_sent r WHERE NOT EXISTS (SELECT 1 FROM callers k
   WHERE k.pid = r.tgid AND k.tid = r.tid)),
 (SELECT count(*) FROM expected),
 (SELECT count(*) FROM expected x WHERE (x.event, x.frame) IN window_links),
 (SELECT count(*) FROM window_links w WHERE (w.event, w.frame) NOT IN possible),
 (SELECT count(*) FROM xid_expected WHERE frame IS NOT NULL),
 (SELECT count(*) FROM xid_expected x WHERE (x.event, x.frame) IN xid_links),
 (SELECT count(*) FROM xid_links x WHERE (x.event, x.frame) NOT IN xid_expected),
 (SELECT count(*) FROM xid_expected WHERE frame IS NULL),
 (SELECT group_concat(c.probe || '/' || x.frame, ' ') FROM (SELECT * FROM expected x
   WHERE (x.event, x.frame) NOT IN window_links LIMIT 12) x JOIN calls c ON c.id = x.event),
 (SELECT group_concat(c.probe || '/' || w.frame, ' ') FROM (SELECT * FROM window_links w
   WHERE (w.event, w.frame) NOT IN possible LIMIT 12) w JOIN calls c ON c.id = w.event),
 (SELECT count(*) FROM possible WHERE (event, frame) NOT IN expected),
 (SELECT count(*) FROM rpc_sent WHERE t_start = ts_ns),
 (SELECT count(DISTINCT event) FROM xid_guesses),
 (SELECT count(*) FROM xid_guesses g WHERE (g.event, g.frame) IN xid_expected),
 (SELECT count(*) FROM xid_links x WHERE (x.event, x.frame) NOT IN xid_expected
   AND (x.event, x.frame) NOT IN xid_guesses),
 -- expected links missing where no guess explains it: the event's own,
 -- or another event's guess that took its call
 (SELECT count(*) FROM xid_expected x WHERE x.frame IS NOT NULL
   AND (x.event, x.frame) NOT IN xid_links AND NOT EXISTS (SELECT 1
   FROM xid_guesses g WHERE g.event = x.event OR g.frame = x.frame));
