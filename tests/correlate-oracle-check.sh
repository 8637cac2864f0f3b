# correlate-oracle-check.sh - sourced by tests/correlate-oracle.sh (the
# lab, live) and tests/correlate-oracle-replay.sh (sessions kept from it):
# oracle_check NAME correlates $out/NAME.pcap and $out/NAME.rec and holds
# the timeline's links against the socket trace $out/NAME.sock (with
# NAME.sock.clock and NAME.sock.overrun): the rules are in
# tests/correlate-oracle.sh's header and tests/correlate-oracle.sql.

q() { sqlite3 -batch -noheader "$1" "$2"; }

# oracle_sql NAME: the oracle's tables as SQL (temp tables), from NAME.sock,
# NAME.pcap and NAME.rec's header.
oracle_sql() {
	clock=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$out/$1.sock.clock")
	header=$(head -1 "$out/$1.rec")
	rec_clock=$(echo "$header" | sed -n 's/.* trace_clock=\([a-z]*\).*/\1/p')
	offset=$(echo "$header" | sed -n 's/.* trace_clock_offset_ns=\(-\{0,1\}[0-9]*\).*/\1/p')
	if [ "$clock" != "$rec_clock" ] || [ -z "$offset" ]; then
		echo "oracle: the socket trace's clock $clock is not the records' ($rec_clock)" >&2
		return 1
	fi
	cat <<'EOF'
CREATE TEMP TABLE sockets (sock, sport, dport, t_syn);
CREATE TEMP TABLE sends (tgid, tid, t_start, ts_ns, sock, off, len);
CREATE TEMP TABLE syns (stream, sport, dport, ts_ns);
CREATE TEMP TABLE segments (frame, stream, sport, seq, len);
CREATE TEMP TABLE wire (frame, xid, program, proc);
BEGIN;
EOF
	# "comm-TID (TGID) [CPU] flags SECONDS.MICROSECONDS: event: k=0x.. (n) ..."
	sed -n 's/^.*-\([0-9][0-9]*\) *( *\([0-9][0-9]*\)) *\[[0-9]*\] [^ ]* *\([0-9][0-9]*\)\.\([0-9]\{6\}\): \(sock_send_length\|inet_sock_set_state\|sys_enter_writev\|sys_enter_sendmsg\): \(.*\)$/\1 \2 \3\4 \5 \6/p' \
		"$out/$1.sock" |
	awk -v offset="$offset" '
	{
		tid = $1; tgid = $2; ts = $3 "000"; ev = $4
		delete f
		for (i = 5; i <= NF; i++)
			if (split($i, kv, "=") == 2 && $(i + 1) ~ /^\(/) {
				v = $(i + 1); gsub(/[()]/, "", v)
				f[kv[1]] = kv[2] "|" v
			}
		# realtime ns, as the records: trace time + offset (awk doubles
		# are exact to 2^53 ns, 104 days: keep seconds apart)
		sec = substr(ts, 1, length(ts) - 9); ns = substr(ts, length(ts) - 8)
		t = sprintf("%d%09d", sec, ns)
		if (offset != 0) {
			s = int(offset / 1e9); n = offset - s * 1e9; n += ns
			if (n < 0) { n += 1e9; s-- } else if (n >= 1e9) { n -= 1e9; s++ }
			t = sprintf("%d%09d", sec + s, n)
		}
		if (ev == "inet_sock_set_state") {
			split(f["skaddr"], p, "|"); sk = p[1]
			split(f["newstate"], p, "|"); new = p[2]
			split(f["sport"], p, "|"); sport = p[2]
			split(f["dport"], p, "|"); dport = p[2]
			if (new == 2) {		# TCP_SYN_SENT: a new client socket
				sock[sk] = ++n_sock; off[n_sock] = 0
				printf "INSERT INTO sockets VALUES (%d, NULL, %d, %s);\n", n_sock, dport, t
			} else if (sk in sock && sport != 0 && !(sock[sk] in named)) {
				named[sock[sk]] = 1
				printf "UPDATE sockets SET sport = %d WHERE sock = %d;\n", sport, sock[sk]
			}
			if (new == 7)		# TCP_CLOSE: the pointer may be reused
				delete sock[sk]
		} else if (ev ~ /^sys_enter/) {
			entered[tid] = t
		} else {
			split(f["sk"], p, "|"); sk = p[1]
			split(f["ret"], p, "|"); len = p[2]
			if (!(sk in sock))
				next
			k = sock[sk]
			start = (tid in entered) ? entered[tid] : t
			delete entered[tid]
			printf "INSERT INTO sends VALUES (%d, %d, %s, %s, %d, %d, %d);\n", tgid, tid, start, t, k, off[k], len
			off[k] += len
		}
	}'
	# tshark: the client's SYNs (a connection's ports and when it began),
	# every segment with data, and the RPC calls (a frame may hold several).
	tshark -r "$out/$1.pcap" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' \
		-T fields -e tcp.stream -e tcp.srcport -e tcp.dstport -e frame.time_epoch 2>/dev/null |
	awk -F'\t' '{ split($4, t, "."); printf "INSERT INTO syns VALUES (%d, %d, %d, %s%s);\n",
		$1, $2, $3, t[1], substr(t[2] "000000000", 1, 9) }'
	tshark -r "$out/$1.pcap" -Y 'tcp.len > 0' -T fields -e frame.number \
		-e tcp.stream -e tcp.srcport -e tcp.seq -e tcp.len 2>/dev/null |
	awk -F'\t' '{ printf "INSERT INTO segments VALUES (%d, %d, %d, %d, %d);\n", $1, $2, $3, $4, $5 }'
	tshark -r "$out/$1.pcap" -Y 'rpc.msgtyp == 0' -T fields -E occurrence=a \
		-E aggregator=, -e frame.number -e rpc.xid -e rpc.program -e rpc.procedure 2>/dev/null |
	awk -F'\t' '{ n = split($2, x, ","); split($3, p, ","); split($4, c, ",")
		for (i = 1; i <= n; i++)
			printf "INSERT INTO wire VALUES (%d, '\''%s'\'', %d, %d);\n", $1, x[i], p[i], c[i] }'
	echo COMMIT\;
	cat "$top_srcdir/tests/lab/call-windows.sql" \
		"$top_srcdir/tests/correlate-oracle.sql"
}

# oracle_check NAME: correlate NAME's capture and records, then hold the
# timeline's links against the socket trace's.
oracle_check() {
	db=$out/$1.db
	rm -f "$db"
	check "$1: correlate the capture and the records" \
		"$TAPLINE" correlate -q -o "$db" "$out/$1.pcap" "$out/$1.rec"
	overrun=$(cat "$out/$1.sock.overrun")
	if [ "$overrun" != 0 ]; then
		skip "$1: the socket trace lost $overrun events"
		return
	fi
	if ! oracle_sql "$1" >"$TMP/$1.oracle.sql"; then
		not_ok "$1: the oracle's tables"
		return
	fi
	result=$(sqlite3 -batch -noheader "$db" <"$TMP/$1.oracle.sql" 2>"$TMP/$1.oracle.err") ||
		sed 's/^/# /' "$TMP/$1.oracle.err" 
	IFS='|' read -r segs mapped multi wire sent procs library expected present \
		wrong xexp xpresent xwrong xnone missing extra edge unstarted \
		xguess xguess_right xsure_wrong xunexplained <<EOS
$result
EOS
	diag "$1: $segs client segments, $mapped laid onto a send ($multi holding several sends); $wire RPC calls, $sent sent by $procs process(es), $library of them by the library's own threads, $unstarted without the writev that began them; $edge links possible but not sure (a window's edge, or a whole call, inside the writev)"
	[ "${segs:-0}" -gt 0 ] && [ "$mapped" = "$segs" ] && [ "$sent" = "$wire" ] &&
		[ "$procs" = 1 ] &&
		ok "$1: every byte of the client's $segs segments is a send of the socket trace, every RPC call ($wire) was sent by the client" ||
		not_ok "$1: $mapped of $segs client segments laid onto sends, $sent of $wire RPC calls, $procs processes"
	[ "${expected:-0}" -gt 0 ] && [ "$present" = "$expected" ] &&
		ok "$1: all $expected call -> RPC links the socket trace expects are in the timeline" ||
		not_ok "$1: $present of $expected expected call -> RPC links; missing (call/frame): $missing"
	[ "$wrong" = 0 ] && ok "$1: no call -> RPC link beyond them" ||
		not_ok "$1: $wrong call -> RPC links the socket trace does not allow: $extra"
	# Where several connections carry an XID and nothing but time tells
	# them apart, the correlator guesses, and says so (confidence 0.5):
	# a guess may be wrong (and leave the event whose call it took
	# without one); a sure link may not.
	diag "$1: exact XID: $xpresent of $xexp, $xwrong wrong; $xguess guesses, $xguess_right of them right"
	[ "${xexp:-0}" -gt 0 ] && [ "$xnone" = 0 ] && [ "$xsure_wrong" = 0 ] &&
		[ "$xunexplained" = 0 ] && [ $((xguess * 2)) -lt "$xexp" ] &&
		ok "$1: every rpc.call event (${xexp}) has the exact-XID link of the RPC its process sent, or a link marked a guess ($xguess), and no sure link is wrong" ||
		not_ok "$1: exact XID: $xpresent of $xexp, $xsure_wrong sure links wrong, $xunexplained missing without a guess, $xguess guesses, $xnone events whose RPC the socket trace did not see"
	echo "$1 expected=$expected present=$present wrong=$wrong edge=$edge xid_expected=$xexp xid_present=$xpresent xid_wrong=$xwrong xid_guesses=$xguess" >>"$out/counts"
}

