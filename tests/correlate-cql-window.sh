#!/bin/sh
# correlate-cql-window.sh - the join is not ONC-RPC's alone: a real CQL
# session (tests/captures/cql/cql-v3.pcap, the DataStax driver against
# Cassandra) with a probe record of the client process.  No CQL driver
# probe ships with tapline, so the test writes the record a probe on the
# driver would: one event naming a request by its stream id and opcode
# (xid, vers, proc: the exchange's id, service version and operation),
# which gives the connection its process (pid_method exact-xid), and
# cql.* calls whose windows hold some of its requests, on two threads
# that overlap, plus one call of another process.  Every link is checked
# against what tshark says of the capture (frame times, directions,
# opcodes), not against tapline's own output.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
for tool in sqlite3 tshark; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
cap=$top_srcdir/tests/captures/cql/cql-v3.pcap
q() { sqlite3 -batch -noheader -separator ' ' "$1" "$2"; }

# tshark's view: one line per CQL message, "frame time_ns dir stream
# opcode vers" (time as 19 digits, dir request when sent to port 9042).
tshark -r "$cap" -Y cql -T fields -e frame.number -e frame.time_epoch \
	-e tcp.dstport -e cql.stream -e cql.opcode -e cql.version \
	-E separator=' ' 2>"$TMP/tshark.err" |
awk '{
	split($2, t, "."); ns = t[1] substr(t[2] "000000000", 1, 9)
	n = split($4, st, ","); split($5, op, ","); split($6, ve, ",")
	for (i = 1; i <= n; i++)
		print $1, ns, ($3 == 9042 ? "request" : "response"), st[i], \
		      op[i], ve[i] % 128
}' >"$TMP/cql.txt"
[ -s "$TMP/cql.txt" ] || { sed 's/^/# /' "$TMP/tshark.err"; skip_all "tshark decodes no CQL here"; }

# The client's requests on its connection (client port 51984, tshark's
# conv,tcp), and the QUERY (opcode 7) the driver's probe names: the first
# after 1796513287.335 s, answered by the next response on stream 0.
client_port=51984
tshark -r "$cap" -Y "cql && tcp.srcport == $client_port" -T fields \
	-e frame.number 2>/dev/null | sort -n >"$TMP/client-frames"
awk -v f="$TMP/client-frames" 'BEGIN { while ((getline l < f) > 0) mine[l] = 1 }
	$3 == "request" && ($1 in mine)' "$TMP/cql.txt" >"$TMP/requests.txt"
read -r qframe qts _ qstream qop qvers <<EOF
$(awk '$5 == 7 && $2 >= "1796513287335000000"' "$TMP/requests.txt" | head -1)
EOF
rframe=$(awk -v q="$qframe" -v s="$qstream" '$1 > q && $3 == "response" && $4 == s' \
	"$TMP/cql.txt" | head -1 | cut -d' ' -f1)
[ -n "$qframe" ] && [ -n "$rframe" ] || { not_ok "tshark: no QUERY after 287.335 s"; done_testing; exit 1; }

# The record: the probe event 181 us before that QUERY reached the wire;
# calls (entry, return) on threads 4321, 4322, 4323 of process 4321, and
# one of process 9999 over the first call.  Line numbers are the calls'
# names in what follows.
rec=$TMP/driver.rec
cat >"$rec" <<EOF
tapline-records 1 host=cqlhost clock=realtime clock_offset_ns=0 boot_id=? recorder=test start_ns=1796513286000000000
$((qts - 181000)) 4321 4321 "node" cql.request event xid=$qstream vers=$qvers proc=$qop
1796513287520000000 4321 4321 "node" cql.execute entry
1796513287545000000 4321 4321 "node" cql.execute return ret=0
1796513289755000000 4321 4322 "node" cql.batch entry
1796513289800000000 4321 4322 "node" cql.batch return ret=0
1796513289780000000 4321 4323 "node" cql.execute entry
1796513289810000000 4321 4323 "node" cql.execute return ret=0
1796513287515000000 9999 9999 "other" cql.execute entry
1796513287550000000 9999 9999 "other" cql.execute return ret=0
EOF
# Windows as "line t0 t1 pid" (lines of the entries above).
cat >"$TMP/windows.txt" <<EOF
3 1796513287520000000 1796513287545000000 4321
5 1796513289755000000 1796513289800000000 4321
7 1796513289780000000 1796513289810000000 4321
EOF

db=$TMP/t.db
"$TAPLINE" correlate -q -o "$db" "$cap" "$rec" 2>"$TMP/err" ||
	{ sed 's/^/# /' "$TMP/err"; not_ok "tapline correlate failed"; done_testing; exit 1; }

# ---- the connection's process, from the exchange id ----
[ "$(q "$db" "SELECT client_pid, client_host, pid_method FROM conversations
	WHERE client_port = $client_port")" = "4321 cqlhost exact-xid" ] &&
	ok "the driver's connection belongs to pid 4321 (by the request's stream id)" ||
	not_ok "connection $client_port: $(q "$db" "SELECT client_pid, pid_method FROM conversations WHERE client_port = $client_port")"
[ "$(q "$db" "SELECT count(*) FROM conversations WHERE client_port <> $client_port
	AND client_pid IS NOT NULL")" = 0 ] &&
	ok "the other connection stays of unknown process" ||
	not_ok "another connection was given a process"
got=$(q "$db" "SELECT m.frame, m.kind, l.confidence FROM links l
	JOIN messages m ON m.id = l.message JOIN probe_events e ON e.id = l.event
	WHERE e.probe = 'cql.request' AND l.method = 'exact-xid' ORDER BY m.frame")
[ "$got" = "$qframe request 1.0
$rframe response 1.0" ] &&
	ok "exact-xid: the probe event names QUERY frame $qframe and its response frame $rframe" ||
	not_ok "exact-xid links: $got (want frames $qframe, $rframe)"

# ---- time-window links ----
# Expected, from tshark and the windows: each request of the connection
# inside a window of process 4321, confidence 0.5 / the number of that
# process's windows (threads) holding it: no procedure list for CQL.
awk -v w="$TMP/windows.txt" 'BEGIN { while ((getline l < w) > 0) win[++n] = l }
{
	k = 0
	for (i = 1; i <= n; i++) {
		split(win[i], x, " ")
		if ($2 "" >= x[2] "" && $2 "" <= x[3] "") hit[++k] = x[1]
	}
	for (i = 1; i <= k; i++) printf "%s %s %.4f\n", hit[i], $1, 0.5 / k
}' "$TMP/requests.txt" | sort >"$TMP/want"
q "$db" "SELECT e.line, m.frame, printf('%.4f', l.confidence) FROM links l
	JOIN probe_events e ON e.id = l.event JOIN messages m ON m.id = l.message
	WHERE l.method = 'time-window'" | sort >"$TMP/got"
[ "$(wc -l <"$TMP/want")" -ge 8 ] &&
	[ "$(awk '$3 == "0.2500"' "$TMP/want" | wc -l)" -ge 2 ] &&
	ok "tshark puts $(wc -l <"$TMP/want") requests in the windows, some in two" ||
	not_ok "the windows hold too few requests by tshark: $(cat "$TMP/want")"
if diff "$TMP/want" "$TMP/got" >"$TMP/diff"; then
	ok "time-window: every request in a window of its process, by tshark's times, and nothing else"
else
	sed 's/^/# /' "$TMP/diff"
	not_ok "time-window links differ from tshark's requests in the windows"
fi
[ "$(q "$db" "SELECT count(*) FROM links l JOIN probe_events e ON e.id = l.event
	WHERE e.pid = 9999")" = 0 ] &&
	ok "the other process's call gets no link (the connection is not its)" ||
	not_ok "the other process's call was linked"
[ "$(q "$db" "SELECT count(*) FROM links l JOIN messages m ON m.id = l.message
	JOIN probe_events e ON e.id = l.event WHERE l.method = 'time-window'
	AND (m.kind IS NOT 'request' OR m.protocol <> 'cql'
	 OR m.ts_ns < e.ts_ns OR m.ts_ns > (SELECT x.ts_ns FROM probe_events x
	  WHERE x.id = e.return)
	 OR l.note NOT LIKE '% no procedure list for cql requests: the procedure is not weighed;%')")" = 0 ] &&
	ok "each is a CQL request inside its call's window, the note says no procedure list" ||
	not_ok "a link that is not a CQL request inside its window, or without the reason"

# ---- clock offset from CQL requests both captures saw ----
# The same session as a second host would capture it with its clock
# 250 ms ahead (editcap -t): the offset must come out within 1 ms.
if command -v editcap >/dev/null; then
	editcap -t 0.25 "$cap" "$TMP/shifted.pcap" 2>/dev/null
	"$TAPLINE" correlate -q -o "$TMP/two.db" "$cap" "$TMP/shifted.pcap" 2>"$TMP/err" ||
		sed 's/^/# /' "$TMP/err"
	set -- $(q "$TMP/two.db" "SELECT offset_ns, samples FROM clock_offsets")
	[ -n "${1:-}" ] && [ "$1" -ge -251000000 ] && [ "$1" -le -249000000 ] &&
		[ "$2" -ge 10 ] &&
		ok "clock offset from CQL requests: $1 ns from $2 pairs (shift -250 ms)" ||
		not_ok "clock offset of the shifted CQL capture: '${1:-none}' from '${2:-}' pairs"
else
	skip "editcap not installed: no clock offset check"
fi
done_testing
