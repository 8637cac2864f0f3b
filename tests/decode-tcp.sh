#!/bin/sh
# decode-tcp.sh - the TCP layer as tapline decode shows it, against tshark
# (Debian's 4.0.17) on the lab's captures: the tcp.* fields of every
# message, the retransmissions -z expert counts, and the connection
# events that tell the brick port a firewall DROPs (SYNs unanswered) from
# the one it REJECTs (a RST refuses the connection).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

"$TAPLINE" decode --help >/dev/null 2>&1 ||
	skip_all "tapline has no decode command in this build"
command -v tshark >/dev/null 2>&1 || skip_all "no tshark (apt-get install tshark)"
captures=$top_srcdir/tests/captures
drop=$captures/mount-failure-drop.pcap
reject=$captures/mount-failure-reject.pcap
[ -f "$drop" ] && [ -f "$reject" ] || skip_all "lab captures missing"

# tshark's view of the brick port (49152) in each capture
syns() { tshark -r "$1" -n -Y 'tcp.dstport == 49152 && tcp.flags.syn == 1 && tcp.flags.ack == 0' \
	-T fields -e frame.number 2>/dev/null | tr '\n' ' '; }
drop_syns=$(syns "$drop")
reject_syns=$(syns "$reject")
rst=$(tshark -r "$reject" -n -Y 'tcp.srcport == 49152 && tcp.flags.reset == 1' \
	-T fields -e frame.number 2>/dev/null)
diag "tshark: DROP SYNs to 49152 in frames $drop_syns; REJECT SYN $reject_syns, RST $rst"
check "tshark: the DROP capture has three SYNs to the brick, nothing back" sh -c \
	'[ "$(echo $0 | wc -w)" = 3 ] && [ -z "$(tshark -r "$1" -n -Y "tcp.srcport == 49152" 2>/dev/null)" ]' \
	"$drop_syns" "$drop"
set -- $drop_syns
first=$1 last=$3

"$TAPLINE" decode "$drop" >"$TMP/drop.txt"
"$TAPLINE" decode "$reject" >"$TMP/reject.txt"
check "DROP: the last line says the SYN was never answered, with its retries" grep -q \
	"^ *$last [0-9.]* 127.0.0.1:[0-9]* → 127.0.0.2:49152 TCP 0 SYN unanswered: 3 SYNs (frames $first to $last), no SYN-ACK nor RST came back\$" \
	"$TMP/drop.txt"
check "REJECT: a RST refused the connection, in tshark's frame, from the brick port" grep -q \
	"^ *$rst [0-9.]* 127.0.0.2:49152 → 127.0.0.1:[0-9]* TCP 0 Connection refused: \[RST, ACK\] answers the SYN of frame $reject_syns*\$" \
	"$TMP/reject.txt"
check "DROP and REJECT look different" sh -c \
	'! grep -q "Connection refused" "$0" && ! grep -q "SYN unanswered" "$1"' \
	"$TMP/drop.txt" "$TMP/reject.txt"
check "the events are TCP messages of kind event (3 in -T fields), with their fields" sh -c \
	'"$TAPLINE" decode -T fields -e frame.number -e tapline.protocol -e tapline.kind \
	 -e tapline.op -e tcp.connection.syns -e tcp.connection.syn_frame -e tcp.flags.syn \
	 -Y "tapline.kind == event" "$1" >"$0" &&
	 [ "$(cat "$0")" = "$2	TCP	3	SYN unanswered	3	$3	1" ]' \
	"$TMP/ev" "$drop" "$last" "$first"
check "-Y tcp.flags.reset == 1 finds the refusal" sh -c \
	'[ "$("$TAPLINE" decode -T fields -e frame.number -Y "tcp.flags.reset == 1" "$1")" = "$2" ]' \
	"$TMP/x" "$reject" "$rst"

# -z expert: retransmissions as tshark counts them, and the events
for c in "$captures"/*.pcap; do
	want=$(tshark -r "$c" -n -Y tcp.analysis.retransmission 2>/dev/null | wc -l)
	got=$("$TAPLINE" decode -q -z expert "$c" |
		sed -n 's/.* \([0-9]*\) retransmissions,.*/\1/p')
	if [ "$got" = "$want" ]; then
		ok "$(basename "$c"): -z expert counts $got retransmissions, as tshark"
	else
		not_ok "$(basename "$c"): -z expert says $got retransmissions, tshark $want"
	fi
done
check "-z expert on DROP: the unanswered SYN, no refusal" sh -c \
	'"$TAPLINE" decode -q -z expert "$0" >"$1" &&
	 grep -q "^SYN unanswered  *1  *$2\$" "$1" && ! grep -q refused "$1"' \
	"$drop" "$TMP/ex" "$last"
check "-z expert on REJECT: the refusal, no unanswered SYN" sh -c \
	'"$TAPLINE" decode -q -z expert "$0" >"$1" &&
	 grep -q "^connection refused  *1  *$2\$" "$1" && ! grep -q unanswered "$1" &&
	 grep -q "^Messages: 8\$" "$1"' \
	"$reject" "$TMP/ex" "$rst"

# The segment of the frame each message completed in: tcp.* as tshark
# shows that frame (relative sequence numbers, flags, window, length).
e="-e frame.number -e tcp.seq -e tcp.ack -e tcp.len -e tcp.window_size_value
	-e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset
	-e tcp.flags.push -e tcp.analysis.retransmission -e tcp.stream
	-e tcp.srcport -e tcp.dstport"
for c in "$captures"/*.pcap "$captures"/*.pcapng; do
	[ -f "$c" ] || continue
	# shellcheck disable=SC2086
	"$TAPLINE" decode -T fields $e "$c" | awk -F'\t' '$2 != ""' | sort -u >"$TMP/o"
	# shellcheck disable=SC2086
	tshark -r "$c" -n -T fields $e 2>/dev/null >"$TMP/t"
	rows=$(wc -l <"$TMP/o")
	awk -F'\t' 'NR == FNR { t[$1] = $0; next }
		t[$1] != $0 { print "frame " $1 ": tapline " $0 " tshark " t[$1] }' \
		"$TMP/t" "$TMP/o" >"$TMP/bad"
	if [ "$rows" -gt 0 ] && [ ! -s "$TMP/bad" ]; then
		ok "$(basename "$c"): tcp.* of $rows frames with messages as tshark"
	else
		not_ok "$(basename "$c"): tcp.* differ from tshark ($rows frames)"
		head -5 "$TMP/bad" | sed 's/^/#   /'
	fi
done
done_testing
