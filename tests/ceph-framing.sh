#!/bin/sh
# The Ceph framing layer on the Ceph lab's captures (tests/captures/ceph),
# each expectation from an independent source: the captures' README (its
# counts made by a separate reading of the captures), the CLI transcripts,
# and the secure capture against the crc capture of the same workload.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

F="$top_builddir/tests/ceph/ceph_frames"
[ -x "$F" ] || skip_all "tests/ceph/ceph_frames not built"
C="$top_srcdir/tests/captures/ceph"
K="$C/lab.keyring"

is() {
	if [ "$2" = "$3" ]; then ok "$1"
	else not_ok "$1"; diag "got:  '$2'"; diag "want: '$3'"; fi
}
count() { # FILE AWK-CONDITION
	awk "$2 { n++ } END { print n + 0 }" "$1"
}
# per_conn FILE: each connection's MESSAGE frames as one line, the
# client's "TYPE:TID ..." then the server's (each direction in order; the
# two interleave as threads run), the lines sorted: the workload's
# messages whatever the order of the connections in the capture.  Only
# connections seen from their banners: the daemons' own sessions run
# across the captures and carry what they need at the time.
per_conn() {
	awk '$4 == "BANNER" { banner[$2] = 1 }
	     ($4 == "FRAME" && $5 == 17) || $4 == "MESSAGE" {
		if ($3 == "C>S") c[$2] = c[$2] " " $6 ":" $7
		else s[$2] = s[$2] " " $6 ":" $7 }
	     END { for (k in c) if (banner[k]) print "C" c[k] " S" s[k] }' "$1" | sort
}

# --- msgr2 crc ----------------------------------------------------------------
"$F" "$C/msgr2-crc.pcap" >"$TMP/crc"
is "msgr2-crc: 56 connections from their banners, both ways" \
	"$(count "$TMP/crc" '$4 == "BANNER"')" 112
is "msgr2-crc: 327 MESSAGE frames (README)" \
	"$(count "$TMP/crc" '$4 == "FRAME" && $5 == 17')" 327
is "msgr2-crc: every preamble, segment and epilogue crc32c right, nothing skipped" \
	"$(count "$TMP/crc" '$9 != "0x0"')" 0
is "msgr2-crc: the OSD's own session, begun before the capture, found at once" \
	"$(count "$TMP/crc" '$4 == "FRAME" && $5 == 18')" 1
is "msgr2-crc frame 124: the ACK of MON_COMMAND tid 2 on the failing command's connection" \
	"$(awk '$1 == 124 && $6 == 51 { print $3, $7 }' "$TMP/crc")" "S>C 2"
is "msgr2-crc frames 1385, 1386: OSD_OP and OSD_OPREPLY tid 1 (the missing object)" \
	"$(awk '($1 == 1385 || $1 == 1386) && $4 == "FRAME" { printf "%s %s %s;", $3, $6, $7 }' "$TMP/crc")" \
	"C>S 42 1;S>C 43 1;"
is "msgr2-crc frames 1473, 1474: MON_GET_VERSION and its reply" \
	"$(awk '($1 == 1473 || $1 == 1474) && $4 == "FRAME" { printf "%s %s;", $3, $6 }' "$TMP/crc")" \
	"C>S 19;S>C 20;"

# --- msgr2 secure ------------------------------------------------------------
# conns FILE AWK-CONDITION: how many connections have a unit that matches
conns() { awk "$2 { c[\$2] = 1 } END { n = 0; for (k in c) n++; print n }" "$1"; }
"$F" -k "$K" "$C/msgr2-secure.pcap" >"$TMP/sec"
is "msgr2-secure + keyring: every frame after AUTH_DONE decrypts, every tag verifies" \
	"$(count "$TMP/sec" '$4 == "ENCRYPTED" || ($9 != "0x0" && $9 != "0x80")')" 0
is "msgr2-secure + keyring: as many frames on the 56 client connections as in msgr2-crc" \
	"$(awk '$4 == "BANNER" { b[$2] = 1 } $4 == "FRAME" && b[$2] { n++ } END { print n }' "$TMP/sec")" \
	"$(awk '$4 == "BANNER" { b[$2] = 1 } $4 == "FRAME" && b[$2] { n++ } END { print n }' "$TMP/crc")"
per_conn "$TMP/crc" >"$TMP/crc.seq"
per_conn "$TMP/sec" >"$TMP/sec.seq"
is "msgr2-secure decrypted: connection by connection, direction by direction, the crc capture's messages (types, tids, order)" \
	"$(cmp -s "$TMP/crc.seq" "$TMP/sec.seq" && echo same)" same
is "  of 56 connections" "$(wc -l <"$TMP/sec.seq" | tr -d ' ')" 56

"$F" "$C/msgr2-secure.pcap" >"$TMP/sec-nokey"
is "msgr2-secure without keyring: the plaintext frames read: HELLO, AUTH_REQUEST(_MORE), AUTH_REPLY_MORE, AUTH_DONE of each connection" \
	"$(awk '$4 == "BANNER" { b[$2] = 1 } $4 == "FRAME" && b[$2] && $5 <= 6 { n++ } END { print n }' "$TMP/sec-nokey")" \
	"$((6 * 56))"
is "  and nothing else of those connections" \
	"$(awk '$4 == "BANNER" { b[$2] = 1 } $4 == "FRAME" && b[$2] && $5 > 6 { n++ } END { print n + 0 }' "$TMP/sec-nokey")" 0
is "msgr2-secure without keyring: the rest said encrypted, never garbage" \
	"$(awk '$4 == "ENCRYPTED" { print substr($0, index($0, "encrypted")) }' "$TMP/sec-nokey" | sort -u)" \
	"encrypted (secure mode): no keyring given"
is "  with their sizes: the bytes of the encrypted segments" \
	"$(awk '$4 == "ENCRYPTED" { n += $8 } END { print (n > 100000) }' "$TMP/sec-nokey")" 1

printf '[osd.0]\n\tkey = %s\n' "$(sed -n '/osd.0/{n;s/.*key = //p}' "$K")" >"$TMP/osd.keyring"
"$F" -k "$TMP/osd.keyring" "$C/msgr2-secure.pcap" >"$TMP/sec-osd"
is "a keyring without client.admin: said so on the 44 monitor connections" \
	"$(conns "$TMP/sec-osd" '$4 == "ENCRYPTED" && /no key for the entity/')" 44
is "  and on the 12 OSD connections: the monitor session that issued the ticket was not read" \
	"$(conns "$TMP/sec-osd" '$4 == "ENCRYPTED" && /issued the ticket/')" 12
printf '[client.admin]\n\tkey = %s\n' "$(sed -n '/osd.0/{n;s/.*key = //p}' "$K")" >"$TMP/wrong.keyring"
"$F" -k "$TMP/wrong.keyring" "$C/msgr2-secure.pcap" >"$TMP/sec-wrong"
is "a wrong client.admin key: said so on the 44 monitor connections, nothing decrypted" \
	"$(conns "$TMP/sec-wrong" '/does not open it/'):$(count "$TMP/sec-wrong" '$9 == "0x80"')" "44:0"

# --- msgr1 ---------------------------------------------------------------------
"$F" "$C/msgr1.pcap" >"$TMP/v1"
is "msgr1: 486 messages (README), every header and footer crc32c right" \
	"$(count "$TMP/v1" '$4 == "MESSAGE"'):$(count "$TMP/v1" '$9 != "0x0"')" "486:0"
is "msgr1: 12 OSD connections answered CHALLENGE_AUTHORIZER (tag 16)" \
	"$(count "$TMP/v1" '$4 == "CONNECT_REPLY" && $5 == 16')" 12
is "msgr1 frames 231-235: CONNECT, CHALLENGE_AUTHORIZER, CONNECT, SEQ" \
	"$(awk '$1 >= 231 && $1 <= 235 && $4 ~ /CONNECT/ { printf "%s %s;", $4, $5 }' "$TMP/v1")" \
	"CONNECT 0;CONNECT_REPLY 16;CONNECT 0;CONNECT_REPLY 13;"
is "msgr1 frames 1275, 1277: OSD_OP and OSD_OPREPLY tid 1 (the missing object)" \
	"$(awk '($1 == 1275 || $1 == 1277) && $4 == "MESSAGE" { printf "%s %s %s;", $3, $6, $7 }' "$TMP/v1")" \
	"C>S 42 1;S>C 43 1;"

# --- connections begun before the capture -----------------------------------
"$F" "$C/daemons-msgr2.pcap" >"$TMP/d2"
is "daemons-msgr2: the OSD's session read from its first byte" \
	"$(count "$TMP/d2" '$4 == "SKIPPED" || $9 != "0x0"')" 0
is "daemons-msgr2 frames 74, 80, 82: MON_GET_VERSION, OSD_BOOT, LOG from the OSD" \
	"$(awk '($1 == 74 || $1 == 80 || $1 == 82) && $3 == "C>S" && $5 == 17 { printf "%s;", $6 }' "$TMP/d2")" \
	"19;71;52;"
"$F" "$C/daemons-msgr1.pcap" >"$TMP/d1"
is "daemons-msgr1: the v1 session found again at its first MSG (keepalives before it skipped)" \
	"$(awk '$4 == "SKIPPED" { n++; b += $8 } END { print n, b }' "$TMP/d1")" "2 18"
is "daemons-msgr1: OSD_BOOT among the OSD's messages" \
	"$(count "$TMP/d1" '$4 == "MESSAGE" && $3 == "C>S" && $6 == 71')" 1

# --- cut captures ------------------------------------------------------------
"$F" -s 1 "$C/msgr2-crc.pcap" >"$TMP/s1"
is "msgr2 without its banners: every MESSAGE frame found again by its preamble crc" \
	"$(count "$TMP/s1" '$4 == "FRAME" && $5 == 17'):$(count "$TMP/s1" '$4 == "FRAME" && $9 != "0x0"')" "327:0"
"$F" -s 1 "$C/msgr1.pcap" >"$TMP/s1v1"
is "msgr1 without its handshakes: every message found again by its header crc" \
	"$(count "$TMP/s1v1" '$4 == "MESSAGE"'):$(count "$TMP/s1v1" '$4 == "MESSAGE" && $9 != "0x0"')" "486:0"
"$F" -s 40 -k "$K" "$C/msgr2-secure.pcap" >"$TMP/s40"
is "msgr2-secure begun inside HELLO: AUTH frames found, still decrypted" \
	"$(count "$TMP/s40" '$9 == "0x80"'):$(count "$TMP/s40" '$4 == "ENCRYPTED"')" \
	"$(count "$TMP/sec" '$9 == "0x80"'):0"
# The 73 KB MON_COMMAND_ACK ends in frame $big; it began in the packet
# before (loopback's packets are at most 64 KiB).
big=$(awk '$4 == "FRAME" && $8 > 65536 { print $1; exit }' "$TMP/crc")
if command -v editcap >/dev/null && [ -n "$big" ]; then
	editcap -r "$C/msgr2-crc.pcap" "$TMP/cut.pcap" 1-$((big - 1))
	"$F" "$TMP/cut.pcap" >"$TMP/cut"
	is "a capture that ends inside a frame: the frame said truncated, its header read" \
		"$(awk '$9 != "0x0" { print $1, $4, $6, $7, $9 }' "$TMP/cut")" "$((big - 1)) FRAME 51 1 0x2"
	editcap -r "$C/msgr2-crc.pcap" "$TMP/hole.pcap" 1-$((big - 2)) $big-$((big + 100))
	"$F" "$TMP/hole.pcap" >"$TMP/hole"
	is "a lost packet: its frame's rest skipped, after the gap, the next frames found" \
		"$(awk '$9 != "0x0" { print $4, $9 }' "$TMP/hole")" "SKIPPED 0x8"
else
	skip "editcap not installed"
	skip "editcap not installed"
fi
done_testing
