#!/bin/sh
# gluster-gap.sh - a capture that lost a segment: gfapi-utimens.pcap
# without frame 47 (the WRITE call, 170 bytes; editcap deletes it).  The
# RPC layer must report the loss once, go on with the next record, and
# decode everything after it (and the same when the capture starts
# mid-connection): the SETATTR with atime -1 (the client log's
# second glfs_utimens) still shows atime -1, and the WRITE's reply is a
# reply to a call not seen, not a mistaken match.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
driver="$top_builddir/tests/gluster/rpc_fields"
[ -x "$driver" ] || skip_all "tests/gluster/rpc_fields not built"
command -v editcap >/dev/null 2>&1 || skip_all "editcap (wireshark-common) not installed"
cap="$top_srcdir/tests/captures/gfapi-utimens.pcap"
[ -f "$cap" ] || skip_all "no gfapi-utimens.pcap"

editcap "$cap" "$TMP/gap.pcap" 47
"$driver" -v "$TMP/gap.pcap" >"$TMP/out" 2>"$TMP/stats"
"$driver" -v "$cap" >"$TMP/full" 2>/dev/null

check "the capture has one TCP gap" grep -q '^tcp_gaps  *1$' "$TMP/stats"
# columns: frame xid type prog vers proc verdict why summary
check "the WRITE (xid 0xd) reply is a reply to a call not seen" \
	awk -F'\t' '$2 == "0x0000000d" && $3 == 1 && $8 == "reply to a call not seen" { f = 1 } END { exit !f }' "$TMP/out"
check "no call is matched to the wrong reply" \
	awk -F'\t' '$3 == 1 && $4 != "" && $9 !~ /Call In/ { exit 1 }' "$TMP/out"
check "the first message after the gap is marked AFTER_GAP" \
	awk -F'\t' '$2 == "0x0000000e" && $3 == 0 && int($7 / 8) % 2 == 1 { f = 1 } END { exit !f }' "$TMP/out"
check "nothing is malformed" \
	awk -F'\t' 'int($7) % 2 == 1 { exit 1 }' "$TMP/out"
check "the SETATTR with atime -1 decodes after the gap, as the client logged" \
	grep -q 'V400 SETATTR Call gfid=[0-9a-f-]* valid=ATIME,MTIME atime=-1.000000000 mtime=1700000002.500000000' "$TMP/out"
# Every call after the gap is answered as in the full capture.
n_full=$(awk -F'\t' '$1 > 48 && $3 == 1 && $9 ~ /Call In/' "$TMP/full" | wc -l)
n_gap=$(awk -F'\t' '$1 > 48 && $3 == 1 && $9 ~ /Call In/' "$TMP/out" | wc -l)
diag "replies matched after the gap: $n_gap (full capture: $n_full)"
check "replies after the gap are matched, every one" [ "$n_gap" -eq "$n_full" ]
# The reply that comes with the ACK giving up the hole (frame 49 of the
# cut capture) is matched to its call (frame 48), as tshark's rpc.repframe
# says: the ACK is taken before the data it carries.
check "the reply after the hole is matched to its call (tshark: 49 -> 48)" \
	awk -F'\t' '$1 == 49 && $2 == "0x0000000e" && $3 == 1 && $9 ~ /Call In 48\)/ { f = 1 } END { exit !f }' "$TMP/out"

# A capture that begins mid-connection: without frames 1-40 the brick
# connection starts at its SETXATTR call (xid 0xa); found by content, no
# port and no SYN needed.
editcap "$cap" "$TMP/mid.pcap" 1-40
"$driver" -v "$TMP/mid.pcap" >"$TMP/mid" 2>/dev/null
check "mid-stream: the first record is found (SETXATTR call, xid 0xa)" \
	awk -F'\t' 'NR == 1 && $1 == 1 && $2 == "0x0000000a" && $6 == 17 { f = 1 } END { exit !f }' "$TMP/mid"
check "mid-stream: every reply is matched" \
	awk -F'\t' '$3 == 1 && $9 !~ /Call In/ { exit 1 }' "$TMP/mid"
check "mid-stream: SETATTR atime -1 decoded" \
	grep -q 'valid=ATIME,MTIME atime=-1.000000000' "$TMP/mid"
done_testing
