#!/bin/sh
# decode-packets.sh - packet view (--packets, or a -Y about packets), -z
# conv,tcp and tcp.analysis.lost_segment, against tshark (Debian's
# 4.0.17) on every committed capture and on copies with frames taken out
# (editcap), so that the capture misses bytes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

"$TAPLINE" decode --help >/dev/null 2>&1 ||
	skip_all "tapline has no decode command in this build"
command -v tshark >/dev/null 2>&1 || skip_all "no tshark (apt-get install tshark)"
command -v editcap >/dev/null 2>&1 || skip_all "no editcap (apt-get install wireshark-common)"
t=$top_srcdir/tests
# the GlusterFS captures, and of the other protocols' those that show
# where tshark's dissectors differ (Ceph's column, CQL v5, Scylla's
# frames split across segments)
captures=$(ls "$t"/captures/*.pcap "$t"/captures/*.pcapng \
	"$t"/captures/ceph/msgr1.pcap "$t"/captures/ceph/msgr2-crc.pcap \
	"$t"/captures/cql/cql-v4-gen.pcap "$t"/captures/cql/cql-v5-gen.pcap \
	"$t"/captures/scylla/split.pcap "$t"/captures/scylla/classic.pcap \
	"$t"/gluster/captures/*.pcap 2>/dev/null)
[ -n "$captures" ] || skip_all "lab captures missing"

# Analysis labels tshark puts before a segment's line that tapline does
# not make (its Keep-Alive, Dup ACK, ACKed-unseen heuristics): taken off
# tshark's text before comparing, and counted.
labels='\[TCP (Keep-Alive|Keep-Alive ACK|Dup ACK [0-9#]+|ACKed unseen segment|Window Update|Window Full|ZeroWindow|ZeroWindowProbe|ZeroWindowProbeAck|Spurious Retransmission|Port numbers reused)\] '
# tshark's "[TCP segment of a reassembled PDU]" depends on whether its
# dissector of the protocol reassembles (its CQL v5 does not, its Ceph
# shows the note alone): compared apart, and counted.
note=' [TCP segment of a reassembled PDU]'

# packet_view CAPTURE NAME: compares tapline's packet view of CAPTURE
# with tshark's frames.
packet_view() {
	c=$1 name=$2
	"$TAPLINE" decode --packets -T fields -e frame.number -e tapline.protocol \
		-e tapline.kind "$c" >"$TMP/pv"
	"$TAPLINE" decode --packets "$c" |
		awk '{ f = $1; p = $6
		       sub(/^ *[0-9]+ [^ ]+ [^ ]+ \342\206\222 [^ ]+ [^ ]+ [0-9]+ /, "")
		       print f "\t" p "\t" $0 }' >"$TMP/pv-text"
	tshark -r "$c" -n -T fields -e frame.number -e _ws.col.Protocol \
		-e _ws.col.Info 2>/dev/null >"$TMP/ts"
	frames=$(wc -l <"$TMP/ts")
	# every frame once: as its messages, or as one packet line.  A
	# segment that waited behind a hole the capture never filled shows
	# as a packet line when it came, and its messages (at its frame)
	# when the hole is given up: those come late, after that line.
	awk -F'\t' -v n="$frames" '
		$2 == "TCP" && $3 == "" { pk[$1]++; max = $1 > max ? $1 : max; next }
		$3 != "3" { msg[$1]++; if ($1 < max || pk[$1]) late[$1] = 1 }
		{ any[$1] = 1; max = $1 > max ? $1 : max }
		END {
			for (f = 1; f <= n; f++) {
				if (pk[f] > 1) print "frame " f ": " pk[f] " packet lines"
				if (pk[f] && msg[f] && !late[f]) print "frame " f ": a packet line and messages"
				if (!pk[f] && !any[f]) print "frame " f ": not shown"
				nlate += late[f]
			}
			if (nlate) print nlate > "/dev/stderr"
		}' "$TMP/pv" >"$TMP/bad" 2>"$TMP/late"
	[ ! -s "$TMP/late" ] ||
		diag "$name: $(cat "$TMP/late") frames whose messages came when a hole was given up"
	if [ ! -s "$TMP/bad" ]; then
		ok "$name: --packets shows each of the $frames frames once"
	else
		not_ok "$name: --packets does not show each frame once"
		head -5 "$TMP/bad" | sed 's/^/#   /'
	fi
	# a packet line's text is tshark's, where tshark shows TCP too
	awk -F'\t' -v labels="$labels" -v note="$note" '
		NR == FNR { proto[$1] = $2; info[$1] = $3; next }
		$2 != "TCP" || $3 !~ /^(\[TCP|[0-9])/ { next }
		proto[$1] != "TCP" { other[proto[$1]]++; next }
		{ want = info[$1]; n = gsub(labels, "", want); lab += n > 0
		  whole = want; got = $3; l = length(note)
		  wn = substr(want, length(want) - l + 1) == note
		  gn = substr(got, length(got) - l + 1) == note
		  if (wn) want = substr(want, 1, length(want) - l)
		  if (gn) got = substr(got, 1, length(got) - l)
		  if (wn != gn) notes++ }
		# tshark dissectors that own the column (Ceph) show only the
		# note (after the lost-segment label)
		whole ~ /^(\[TCP Previous segment not captured\] +)?\[TCP segment of a reassembled PDU\]$/ && gn {
			same++; alone++; notes -= wn != gn; next }
		want == got { same++; next }
		{ print "frame " $1 ": tapline: " $3 " | tshark: " info[$1] > "/dev/stderr" }
		END {
			printf "%d %d %d %d", same, lab, alone, notes
			for (p in other) printf " %s:%d", p, other[p]
			print ""
		}' "$TMP/ts" "$TMP/pv-text" >"$TMP/cmp" 2>"$TMP/bad"
	set -- $(cat "$TMP/cmp")
	if [ ! -s "$TMP/bad" ]; then
		ok "$name: $1 packet lines as tshark's"
	else
		not_ok "$name: packet lines differ from tshark's"
		head -5 "$TMP/bad" | sed 's/^/#   /'
	fi
	[ "$2$3$4" = 000 ] || diag "$name: tshark's analysis labels tapline does not make on $2 lines; tshark shows only the reassembly note on $3; the note on one side only on $4"
	shift 4
	[ $# -eq 0 ] || diag "$name: packet lines where tshark decodes another protocol: $*"
}

# -Y expressions about packets: the frames tshark selects
filters='tcp
ip
tcp.len > 0
tcp.flags.syn == 1
tcp.flags.fin == 1 || tcp.flags.reset == 1
tcp.analysis.retransmission
tcp.analysis.lost_segment
tcp.flags.ack == 1 && tcp.len == 0'

same_frames() {
	c=$1 name=$2
	bad=""
	while IFS= read -r y; do
		"$TAPLINE" decode -T fields -e frame.number -Y "$y" "$c" |
			sort -nu >"$TMP/a"
		tshark -r "$c" -n -T fields -e frame.number -Y "$y" 2>/dev/null |
			sort -nu >"$TMP/b"
		cmp -s "$TMP/a" "$TMP/b" || bad="$bad [$y: $(wc -l <"$TMP/a") vs $(wc -l <"$TMP/b")]"
	done <<EOF
$filters
EOF
	if [ -z "$bad" ]; then
		ok "$name: -Y about packets selects tshark's frames ($(echo "$filters" | wc -l) filters)"
	else
		not_ok "$name: -Y selects other frames than tshark:$bad"
	fi
}

conv_tcp() {
	c=$1 name=$2
	"$TAPLINE" decode -q -z conv,tcp "$c" >"$TMP/conv-o"
	tshark -r "$c" -n -q -z conv,tcp 2>/dev/null >"$TMP/conv-t"
	rows=$(($(wc -l <"$TMP/conv-t") - 6))
	if cmp -s "$TMP/conv-o" "$TMP/conv-t" && [ "$rows" -gt 0 ]; then
		ok "$name: -z conv,tcp is tshark's table, byte for byte ($rows connections)"
	else
		not_ok "$name: -z conv,tcp differs from tshark's"
		diff "$TMP/conv-o" "$TMP/conv-t" | head -6 | sed 's/^/#   /'
	fi
}

for c in $captures; do
	name=$(echo "$c" | sed "s|^$t/||")
	packet_view "$c" "$name"
	conv_tcp "$c" "$name"
done
# the filters on captures with SYN retries, a refusal, lost segments
# (qemu-img begins mid-connection), several connections, and one of
# each other protocol
for c in "$t/captures/mount-failure-drop.pcap" \
	 "$t/captures/mount-failure-reject.pcap" "$t/captures/qemu-img.pcap" \
	 "$t/captures/distribute-2brick.pcap" "$t/captures/samba.pcap" \
	 "$t/captures/ceph/msgr2-crc.pcap" "$t/captures/cql/cql-v4-gen.pcap" \
	 "$t/captures/scylla/classic.pcap"; do
	[ -f "$c" ] || continue
	same_frames "$c" "$(echo "$c" | sed "s|^$t/||")"
done

# DROP and REJECT in packet view: the SYN retries, then the conclusion;
# the refusing RST's frame shows as the refusal
drop=$t/captures/mount-failure-drop.pcap
reject=$t/captures/mount-failure-reject.pcap
"$TAPLINE" decode --packets "$drop" >"$TMP/drop"
"$TAPLINE" decode --packets "$reject" >"$TMP/reject"
check "DROP, packet view: two SYN retransmissions to the brick port, then 'SYN unanswered'" sh -c \
	'[ "$(grep -c "TCP 0 \[TCP Retransmission\] [0-9]* → 49152 \[SYN\] Seq=0 " "$0")" = 2 ] &&
	 tail -1 "$0" | grep -q "SYN unanswered: 3 SYNs"' "$TMP/drop"
rst=$(tshark -r "$reject" -n -Y 'tcp.srcport == 49152 && tcp.flags.reset == 1' \
	-T fields -e frame.number 2>/dev/null)
check "REJECT, packet view: frame $rst is the refusal, not a packet line" sh -c \
	'[ "$(awk -v f="$1" "\$1 == f" "$0" | wc -l)" = 1 ] &&
	 awk -v f="$1" "\$1 == f" "$0" | grep -q "Connection refused: \[RST, ACK\]"' \
	"$TMP/reject" "$rst"
check "-Y tcp.flags.syn == 1 alone: the three SYNs of DROP, as tshark" sh -c \
	'[ "$("$TAPLINE" decode -T fields -e frame.number -Y "tcp.dstport == 49152 && tcp.flags.syn == 1" "$0" | sort -nu | tr "\n" " ")" = \
	   "$(tshark -r "$0" -n -Y "tcp.dstport == 49152 && tcp.flags.syn == 1" -T fields -e frame.number 2>/dev/null | tr "\n" " ")" ]' "$drop"
check "without --packets nor a -Y about packets, no packet line" sh -c \
	'! "$TAPLINE" decode "$0" | grep -q "TCP [0-9]* [0-9]* → "' "$drop"

# tcp.analysis.lost_segment: frames taken out of captures, so later
# segments start past the bytes seen (editcap deletes by frame number)
holes=0
for c in "$t/captures/distribute-2brick.pcap" "$t/captures/fuse-mount.pcap" \
	 "$t/captures/cql/cql-v4-gen.pcap" "$t/captures/ceph/msgr2-crc.pcap"; do
	[ -f "$c" ] || continue
	name=$(basename "$c" .pcap)
	# the 2nd, 5th and 9th frames that carry data
	del=$(tshark -r "$c" -n -Y 'tcp.len > 0' -T fields -e frame.number 2>/dev/null |
		sed -n '2p;5p;9p' | tr '\n' ' ')
	# shellcheck disable=SC2086
	editcap "$c" "$TMP/$name-holes.pcap" $del >/dev/null
	h=$TMP/$name-holes.pcap
	want=$(tshark -r "$h" -n -Y tcp.analysis.lost_segment -T fields \
		-e frame.number 2>/dev/null | tr '\n' ' ')
	got=$("$TAPLINE" decode -T fields -e frame.number -e tcp.analysis.lost_segment \
		-Y tcp.analysis.lost_segment "$h" | awk -F'\t' '$2 == 1 { print $1 }' |
		sort -nu | tr '\n' ' ')
	diag "$name without frames $del: tshark's lost segments in frames $want"
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "$name without frames $del: tcp.analysis.lost_segment in tshark's frames"
	else
		not_ok "$name without frames $del: lost segments in frames $got, tshark $want"
	fi
	n=$(echo "$want" | wc -w)
	check "$name with holes: -z expert counts $n lost segments, as tshark" sh -c \
		'"$TAPLINE" decode -q -z expert "$0" |
		 grep -q "^Decoder: $1 segments after bytes the capture missed (tcp.analysis.lost_segment, first in frame $2)\$"' \
		"$h" "$n" "${want%% *}"
	packet_view "$h" "$name with holes"
	holes=$((holes + 1))
done
[ "$holes" -gt 0 ] || not_ok "no capture to take frames out of"
check "a capture without holes: no lost-segment line in -z expert" sh -c \
	'! "$TAPLINE" decode -q -z expert "$0" | grep -q "capture missed"' "$drop"
done_testing
