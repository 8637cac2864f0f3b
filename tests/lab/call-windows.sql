-- tests/lab/call-windows.sql - the glfs_* calls of a timeline's records as
-- a temp table, for the tests that check its links: each call's window
-- runs from entry to return, or for a call that never returned to its
-- process's last record; kind names the work it may leave behind (write,
-- close, closedir).
CREATE TEMP TABLE calls AS
 SELECT e.id, e.host, e.pid, e.tid, e.probe, e.ts_ns AS t0, x.ts_ns AS t_ret,
  coalesce(x.ts_ns, (SELECT max(p.ts_ns) FROM probe_events p
   WHERE p.host IS e.host AND p.pid = e.pid)) AS t1,
  CASE WHEN e.probe IN ('gfapi.write', 'gfapi.pwrite', 'gfapi.writev',
   'gfapi.pwritev') THEN 'write' WHEN e.probe = 'gfapi.close' THEN 'close'
   WHEN e.probe = 'gfapi.closedir' THEN 'closedir' END AS kind
 FROM probe_events e LEFT JOIN probe_events x ON x.id = e.return
 WHERE e.probe GLOB 'gfapi.*' AND e.phase = 'entry';
