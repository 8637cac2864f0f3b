#!/bin/sh
# tapline decode on the Ceph lab's captures (tests/captures/ceph), each
# expectation from an independent source: the stock CLI's transcripts of
# the workload (tests/ceph/truth.sh), the crc capture of the same
# workload for the secure one, the crc32c on the wire for every frame,
# and tshark 4.0.17 on msgr v1 where tshark is right (docs/ceph.md lists
# where it is not, with the evidence).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
. "$top_srcdir/tests/ceph/truth.sh"

C="$top_srcdir/tests/captures/ceph"
K="$C/lab.keyring"
is() {
	if [ "$2" = "$3" ]; then ok "$1"
	else not_ok "$1"; diag "got:  '$2'"; diag "want: '$3'"; fi
}
count() { awk -F'\t' "$2 { n++ } END { print n + 0 }" "$1"; }
fields() { "$TAPLINE" decode -T fields -E occurrence=a "$@"; }

# --- the CLI's truth, in the three modes ------------------------------------
ceph_truth msgr2-crc "$C/msgr2-crc.pcap" "$C/msgr2-crc.cli.txt"
ceph_truth "msgr2-secure + keyring" "$C/msgr2-secure.pcap" "$C/msgr2-secure.cli.txt" "$K"
ceph_truth msgr1 "$C/msgr1.pcap" "$C/msgr1.cli.txt"

# --- every crc checked ------------------------------------------------------
for cap in msgr2-crc msgr1 daemons-msgr2 daemons-msgr1; do
	fields -e ceph.crc_ok -e ceph.kind "$C/$cap.pcap" >"$TMP/crc"
	# ceph.kind 6: a msgr2 frame, 7: a msgr1 message
	is "$cap: every frame and message carries its crc check, all right" \
		"$(count "$TMP/crc" '$2 == 6 || $2 == 7'):$(count "$TMP/crc" '($2 == 6 || $2 == 7) && $1 == 1')" \
		"$(count "$TMP/crc" '$1 != ""'):$(count "$TMP/crc" '$1 != ""')"
done
# A byte of the failing command's status string changed on the wire: the
# frame (msgr2: segment crc) and the message (msgr1: footer front crc) fail
# their crc, and nothing else does.
corrupt() { # CAPTURE STRING OUT: the first byte of STRING's first occurrence +1
	off=$(grep -obUa "$2" "$1" | head -1 | cut -d: -f1)
	cp "$1" "$3"
	b=$(od -An -tu1 -j "$off" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $(((b + 1) % 256)))" |
		dd of="$3" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
for cap in msgr2-crc msgr1; do
	corrupt "$C/$cap.pcap" "unrecognized pool" "$TMP/bad.pcap"
	fields -Y 'ceph.crc_ok == 0' -e ceph.type -e ceph.tid -e _ws.malformed "$TMP/bad.pcap" >"$TMP/bad"
	is "$cap with a byte of an ACK changed: that MON_COMMAND_ACK fails its crc, marked malformed, and nothing else" \
		"$(cut -f1,2 "$TMP/bad" | tr '\t\n' ' ')$(count "$TMP/bad" '$3 != ""')" "51 2 1"
done

# --- secure mode ------------------------------------------------------------
# conn_messages FILE: a connection seen from its banners as one line, its
# client's "TYPE:TID:OBJECT ..." then its server's, the lines sorted
conn_messages() {
	awk -F'\t' '$2 == 1 { banner[$1] = 1 }
	     $3 != "" { if ($4 == 1) c[$1] = c[$1] " " $3 ":" $5 ":" $6
			else s[$1] = s[$1] " " $3 ":" $5 ":" $6 }
	     END { for (k in c) if (banner[k]) print "C" c[k] " S" s[k] }' "$1" | sort
}
conn_fields="-e tcp.stream -e ceph.kind -e ceph.type -e ceph.from_client -e ceph.tid -e ceph.msg.osd_op.oid"
# shellcheck disable=SC2086
fields $conn_fields "$C/msgr2-crc.pcap" >"$TMP/crc.f"
# shellcheck disable=SC2086
fields $conn_fields --keyring "$K" "$C/msgr2-secure.pcap" >"$TMP/sec.f"
conn_messages "$TMP/crc.f" >"$TMP/crc.seq"
conn_messages "$TMP/sec.f" >"$TMP/sec.seq"
is "msgr2-secure decrypted: connection by connection, the crc capture's messages (types, tids, objects, in order)" \
	"$(cmp -s "$TMP/crc.seq" "$TMP/sec.seq" && echo same || diff "$TMP/crc.seq" "$TMP/sec.seq" | head -3)" same
is "  on its 56 client connections" "$(wc -l <"$TMP/sec.seq" | tr -d ' ')" 56
is "msgr2-secure + keyring: nothing left encrypted, every frame opened and its tag verified" \
	"$(count "$TMP/sec.f" '$2 == 8')" 0
fields -e tcp.stream -e ceph.kind -e ceph.secure.why -e ceph.secure.bytes -e ceph.type \
	-e _ws.malformed "$C/msgr2-secure.pcap" >"$TMP/nokey"
is "msgr2-secure without keyring: no message read on the client connections, none malformed" \
	"$(awk -F'\t' '$2 == 1 { b[$1] = 1 } b[$1] && ($5 != "" || $6 != "") { n++ } END { print n + 0 }' "$TMP/nokey")" 0
is "  every frame after AUTH_DONE said encrypted, with why" \
	"$(awk -F'\t' '$2 == 8 { print $3 }' "$TMP/nokey" | sort -u)" \
	"encrypted (secure mode): no keyring given"
is "  with their sizes: the bytes of the frames the keyring opens" \
	"$(awk -F'\t' '$2 == 8 { n += $4 } END { print n }' "$TMP/nokey")" \
	"$(fields -Y 'ceph.decrypted == 1' -e tapline.length --keyring "$K" "$C/msgr2-secure.pcap" |
	   awk '{ n += $1 } END { print n }')"
printf '[client.admin]\n\tkey = %s\n' "$(sed -n '/osd.0/{n;s/.*key = //p}' "$K")" >"$TMP/wrong.keyring"
fields -e ceph.secure.why --keyring "$TMP/wrong.keyring" "$C/msgr2-secure.pcap" |
	sort | uniq -c | awk '$2 != "" { $1 = ""; print substr($0, 2) }' >"$TMP/wrong"
is "a wrong client.admin key: the monitor sessions' frames say the key does not open them, the OSD sessions' that their ticket's session was not read" \
	"$(tr '\n' '|' <"$TMP/wrong")" \
	"encrypted (secure mode): the keyring's key does not open it|encrypted (secure mode): the monitor session that issued the ticket was not captured|"
is "--keyring with a file that is not a keyring: a usage error" \
	"$("$TAPLINE" decode --keyring "$C/msgr1.cli.txt" "$C/msgr1.pcap" >/dev/null 2>&1 || echo $?)" 2

# --- connections begun before the capture -----------------------------------
fields -Y 'tcp.srcport == 40070' -e ceph.type "$C/daemons-msgr2.pcap" | sort -u | tr '\n' ' ' >"$TMP/d2"
is "daemons-msgr2: the OSD's monitor session, begun before the capture, read: MON_GET_VERSION, LOG, OSD_BOOT" \
	"$(tr ' ' '\n' <"$TMP/d2" | grep -cxE '19|52|71')" 3
fields -Y 'ceph.type == 71' -e ceph.msg.osd_boot.osd -e ceph.msgr "$C/daemons-msgr1.pcap" >"$TMP/d1"
is "daemons-msgr1: OSD_BOOT of osd.0 found in the v1 session begun before the capture" \
	"$(tr '\t\n' ' ' <"$TMP/d1")" "0 1 "

# --- statistics on the exchanges ----------------------------------------------
"$TAPLINE" decode -q -z errors,ceph -z unanswered,ceph "$C/msgr2-crc.pcap" >"$TMP/z"
is "-z errors,ceph: the two failures the CLI reports (the command, the read of the missing object), both ENOENT" \
	"$(grep '^Ceph ENOENT' "$TMP/z" | tr -s ' ')" \
	"Ceph ENOENT (-2) 2 MON V0 MON_COMMAND: 1, OSD V0 READ: 1"
is "-z unanswered,ceph: every request of the workload answered" \
	"$(grep '^Unanswered requests' "$TMP/z")" "Unanswered requests: 0"

# --- tshark on msgr v1, where it is right -----------------------------------
# Frame by frame, the messages' types, tids and the values tshark reads
# right (docs/ceph.md): the same.  Known (docs/ceph.md, 4): after a
# MON_MAP it flags malformed, tshark loses the rest of the frame, so
# there only its messages are compared.  Known (2): it reads no OSD
# connection (CHALLENGE_AUTHORIZER), so frames it does not decode are not
# compared; the OSD_OP and OSD_OPREPLY are checked against the CLI above.
if command -v tshark >/dev/null; then
	cols="-e frame.number -e ceph.type -e ceph.tid -e ceph.msg.mon_cmd_ack.code
	      -e ceph.msg.osd_opreply.result -e ceph.monmap.epoch
	      -e ceph.msg.osd_map.epoch -e ceph.msg.mon.getversionreply.ver
	      -e ceph.msg.auth_reply.result -e ceph.seq"
	# shellcheck disable=SC2086
	tshark -r "$C/msgr1.pcap" -Y ceph.type -T fields -E occurrence=a $cols \
		-e _ws.malformed 2>/dev/null >"$TMP/ts"
	# shellcheck disable=SC2086
	fields -Y ceph.type $cols "$C/msgr1.pcap" >"$TMP/tp"
	awk -F'\t' -f - "$TMP/ts" "$TMP/tp" >"$TMP/diff" <<'EOF'
function hexval(s,    i, v, c) {	# tshark prints ceph.type in hex
	if (s !~ /^0x/) return s
	v = 0
	for (i = 3; i <= length(s); i++) {
		c = index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
		v = v * 16 + c
	}
	return v
}
BEGIN { OFS = "\t" }
FNR == NR {
	n = split($2, t, ","); s = ""
	for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") hexval(t[i])
	$2 = s
	ts[$1] = $0; malformed[$1] = $NF != ""
	next
}
{	# tapline: one line per message; per frame, each column's values joined
	f = $1
	if (!(f in tp)) { order[++nf] = f; tp[f] = "" }
	for (k = 2; k <= NF; k++)
		if ($k != "") col[f, k] = col[f, k] (col[f, k] == "" ? "" : ",") $k
	ncol = NF
}
END {
	for (i = 1; i <= nf; i++) {
		f = order[i]
		if (!(f in ts)) { only_tapline++; continue }
		split(ts[f], a, "\t")
		compared++
		if (malformed[f] && a[2] ~ /(^|,)4$/ && index(col[f, 2] ",", a[2] ",") == 1 &&
		    col[f, 2] != a[2]) { known_monmap++; continue }
		for (k = 2; k <= ncol; k++)
			if (col[f, k] != a[k]) {
				print "frame " f " column " k ": tapline '" col[f, k] "', tshark '" a[k] "'"
				differ++
			}
	}
	for (f in ts) if (!(f in tp)) print "frame " f ": tshark only"
	printf "compared %d known_monmap %d only_tapline %d\n", compared, known_monmap, only_tapline
}
EOF
	is "msgr1: every frame where tshark reads a message, the same types, tids, results, epochs, versions and sequence numbers" \
		"$(grep -c '^frame' "$TMP/diff")" 0
	grep '^frame' "$TMP/diff" | head -5 | while read -r l; do diag "$l"; done
	summary=$(tail -1 "$TMP/diff")
	is "  ($summary): 8 frames where tshark loses what follows a MON_MAP (docs/ceph.md 4)" \
		"$(echo "$summary" | awk '{ print $4 }')" 8
else
	skip "tshark not installed"
	skip "tshark not installed"
fi

# --- truncated captures --------------------------------------------------------
if command -v editcap >/dev/null; then
	big=$(fields -Y 'ceph.type == 51 && tapline.length > 65536' -e frame.number "$C/msgr2-crc.pcap" | head -1)
	editcap -r "$C/msgr2-crc.pcap" "$TMP/cut.pcap" 1-$((big - 1))
	"$TAPLINE" decode -T fields -e frame.number -e ceph.type -e tapline.verdict "$TMP/cut.pcap" >"$TMP/cut"
	is "a capture that ends inside the 73 KB MON_COMMAND_ACK: the ACK said truncated, the rest read" \
		"$(awk -F'\t' '$3 ~ /truncated|malformed/ { print $1, $2, $3 }' "$TMP/cut")" "$((big - 1)) 51 truncated"
	editcap -s 200 "$C/msgr1.pcap" "$TMP/snap.pcap"
	check "msgr1 captured with a 200-byte snaplen: read to the end" \
		"$TAPLINE" decode -q -z errors,ceph "$TMP/snap.pcap"
else
	skip "editcap not installed"
	skip "editcap not installed"
fi
done_testing
