#!/bin/sh
# diagnose.sh - tapline diagnose on timelines of the bundled real sessions
# (examples/: the lab's client recorded with tapline record while tcpdump
# captured), each answer checked against what the report cannot read:
# the client's own log, the records' lines and tshark's reading of the
# capture.  And its command line.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
ex=$top_srcdir/examples

# ---- command line ----
check "--help exits 0 and names every kind of problem" sh -c \
	'"$TAPLINE" diagnose --help >"$0" && grep -q "never returned" "$0" &&
	 grep -q "connections that failed" "$0" && grep -q "slow calls" "$0"' "$TMP/help"
check "the program lists diagnose" sh -c '"$TAPLINE" --help | grep -q "^  diagnose "'
check "no timeline is a usage error (2)" sh -c \
	'"$TAPLINE" diagnose 2>"$0"; test $? -eq 2 && grep -q "which timeline" "$0"' "$TMP/err"
check "two timelines are a usage error (2)" sh -c \
	'"$TAPLINE" diagnose a.db b.db 2>/dev/null; test $? -eq 2'
check "--slow that is not a number is a usage error (2)" sh -c \
	'"$TAPLINE" diagnose --slow 1s x.db 2>"$0"; test $? -eq 2 && grep -q "not a number of seconds" "$0"' "$TMP/err"
check "--limit -1 is a usage error (2)" sh -c \
	'"$TAPLINE" diagnose --limit -1 x.db 2>/dev/null; test $? -eq 2'
check "a missing timeline: exit 1, named, not created" sh -c \
	'"$TAPLINE" diagnose "$0/nope.db" 2>"$0/err"; test $? -eq 1 &&
	 grep -q "nope.db" "$0/err" && test ! -e "$0/nope.db"' "$TMP"
printf 'hello, world\n' >"$TMP/text.db"
check "a file that is no database: exit 1" sh -c \
	'"$TAPLINE" diagnose "$0" 2>/dev/null; test $? -eq 1' "$TMP/text.db"
sqlite3 "$TMP/other.db" "CREATE TABLE t (x)"
check "an SQLite database that is no timeline: exit 1, said" sh -c \
	'"$TAPLINE" diagnose "$0" 2>"$0.err"; test $? -eq 1 &&
	 grep -q "not a tapline timeline" "$0.err"' "$TMP/other.db"

for s in auth-failure mount-failure gfapi-utimens; do
	"$TAPLINE" correlate -q -o "$TMP/$s.db" "$ex/$s.pcap" "$ex/$s.rec" ||
		not_ok "correlate $s"
done

# ---- the authentication failure: glfs_init never returns ----
before=$(sha256sum <"$TMP/auth-failure.db")
check "diagnose the auth-failure timeline: exit 0" sh -c \
	'"$TAPLINE" diagnose "$0" >"$0.out" 2>"$0.err" && test ! -s "$0.err"' \
	"$TMP/auth-failure.db"
out=$TMP/auth-failure.db.out
sed 's/^/#   /' "$out"
[ "$(sha256sum <"$TMP/auth-failure.db")" = "$before" ] &&
	ok "the timeline is left as it was (read-only)" ||
	not_ok "diagnose changed the timeline"
grep -q 'call=glfs_init returned=no' "$ex/auth-failure.client.log" &&
	grep -q '^Calls that never returned (1):' "$out" &&
	grep -q '^  glfs_init in gfapi-client\[' "$out" &&
	ok "the glfs_init the client's log says never returned is reported so" ||
	not_ok "glfs_init never returned: not reported"
# tshark: the SETVOLUME call and reply (GF-HNDSK, program 14398633,
# procedure 1); the records: the client's own decoding of the reply.
if command -v tshark >/dev/null; then
	frames=$(tshark -r "$ex/auth-failure.pcap" -Y 'rpc.program == 14398633 && rpc.procedure == 1' \
		-T fields -e frame.number 2>/dev/null | tr '\n' ' ')
	set -- $frames
	errno=$(sed -n 's/.* gluster.setvolume_rsp event op_ret=-1 op_errno=\([0-9]*\).*/\1/p' "$ex/auth-failure.rec")
	want="    sent SETVOLUME    frame $1 (auth-failure.pcap), reply frame $2: op_ret -1 op_errno $errno (EACCES)"
	grep -qxF "$want" "$out" &&
		ok "under it, the SETVOLUME tshark sees in frames $1 and $2, refused with the errno the client decoded ($errno)" ||
		not_ok "SETVOLUME line, want: $want"
else
	skip "tshark not installed"
fi
grep -q '^  GF-HNDSK SETVOLUME: op_ret -1 op_errno 13 (EACCES): 1 reply, .*sent by glfs_init$' "$out" &&
	ok "failed calls: the SETVOLUME refusal, sent by glfs_init" ||
	not_ok "failed calls: no SETVOLUME refusal line"

# ---- the mount failure: the brick's port dropped ----
check "diagnose the mount-failure timeline: exit 0" sh -c \
	'"$TAPLINE" diagnose "$0" >"$0.out" 2>"$0.err" && test ! -s "$0.err"' \
	"$TMP/mount-failure.db"
out=$TMP/mount-failure.db.out
sed 's/^/#   /' "$out"
if command -v tshark >/dev/null; then
	# The port whose SYNs no SYN-ACK answered, and how many were sent.
	tshark -r "$ex/mount-failure.pcap" -Y 'tcp.flags.syn == 1' -T fields \
		-e tcp.flags.ack -e tcp.srcport -e tcp.dstport 2>/dev/null >"$TMP/syns"
	lost=$(awk -F'\t' '$1 == 0 { syn[$3]++ } $1 == 1 { answered[$2] = 1 }
		END { for (p in syn) if (!(p in answered)) print p, syn[p] }' "$TMP/syns")
	set -- $lost
	grep -q "^  127.0.0.2:$1: connection attempt unanswered ($2 SYN)" "$out" &&
		ok "connections that failed: port $1, whose $2 SYNs tshark sees unanswered" ||
		not_ok "no failed connection to port '$1' ($2 SYNs) in the report"
	grep -q "^  (unanswered: no SYN-ACK, reset or ICMP error in the capture -- .*capture with 'or icmp or icmp6')$" "$out" &&
		ok "connections that failed: what an unanswered attempt can be, and the capture filter that shows ICMP errors" ||
		not_ok "no word on what the unanswered connection can be"
else
	skip "tshark not installed"
fi
grep -q 'call=glfs_init returned=yes .*ret=-1' "$ex/mount-failure.client.log" &&
	grep -q '^  glfs_init in gfapi-client\[.*: returned -1 after ' "$out" &&
	ok "calls that returned an error: glfs_init's -1, as the client's log says" ||
	not_ok "glfs_init's -1 not reported"

# ---- a session that went well: nothing hung, nothing refused ----
check "diagnose the utimens timeline: exit 0" sh -c \
	'"$TAPLINE" diagnose "$0" >"$0.out" 2>"$0.err" && test ! -s "$0.err"' \
	"$TMP/gfapi-utimens.db"
out=$TMP/gfapi-utimens.db.out
! grep -q -e 'never returned' -e 'Connections that failed' -e 'returned an error' "$out" &&
	ok "a session that went well: no hung call, no failed connection, no call returned an error" ||
	not_ok "problems reported on a session that went well: $(grep '^[A-Z]' "$out" | tr '\n' ' ')"
check "--slow 0.000001 lists every answered call, slowest first, --limit 3 of them" sh -c \
	'"$TAPLINE" diagnose --slow 0.000001 --limit 3 "$0" >"$0.slow" &&
	 n=$(sqlite3 "$0" "SELECT count(*) FROM slow_calls") &&
	 grep -q "^Calls answered after 1 us or more ($n):" "$0.slow" &&
	 grep -q "^  ... and $((n - 3)) more" "$0.slow"' "$TMP/gfapi-utimens.db"
done_testing
