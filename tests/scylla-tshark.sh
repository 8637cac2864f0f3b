#!/bin/sh
# scylla-tshark.sh - tshark's Scylla dissector (4.0.17, Decode As
# tcp.port==7000,scylla) as an independent oracle:
#  1. where it is right (classic.pcap: verbs 0-43, 28-byte requests,
#     12-byte responses) every field it shows is what the traffic
#     generator logged it sent (tests/scylla/tshark-agree.awk);
#  2. every disagreement listed in tests/scylla/tshark-known.txt still
#     holds, shown on the frames named there (found through the logs).
# If tshark gets one right some day, its check fails: update the list
# and docs/scylla.md.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v tshark >/dev/null 2>&1 || skip_all "tshark not installed"
tshark -G protocols 2>/dev/null | grep -q '	scylla$' ||
	skip_all "this tshark has no Scylla dissector"
dir="$top_srcdir/tests/captures/scylla"
known="$top_srcdir/tests/scylla/tshark-known.txt"
[ -f "$dir/classic.pcap" ] || skip_all "no captures in $dir"

# tshark's view, one line per frame: columns as tshark-agree.awk reads
# them (1 frame, 2 timeout, 3 verb, 4 msg_id, 5 len, 6 response.size,
# 7 negotiation.size, 8 response.request, 9 request.response,
# 10 malformed, 11 mut.table_id, 12 mut.pkey, 13 read_data.timeout,
# 14 read_data.table_id, 15 payload, 16 expert, 17 info).
view() {
	[ -f "$TMP/$1.ts" ] && return 0
	tshark -2 -r "$dir/$1.pcap" -d tcp.port==7000,scylla -T fields \
		-E separator='|' -E occurrence=a -E aggregator=, \
		-e frame.number -e scylla.timeout -e scylla.verb \
		-e scylla.msg_id -e scylla.len -e scylla.response.size \
		-e scylla.negotiation.size -e scylla.response.request \
		-e scylla.request.response -e _ws.malformed \
		-e scylla.mut.table_id -e scylla.mut.pkey \
		-e scylla.read_data.timeout -e scylla.read_data.table_id \
		-e scylla.payload -e _ws.expert -e _ws.col.Info \
		>"$TMP/$1.ts" 2>/dev/null
	tshark -r "$dir/$1.pcap" -Y 'tcp.len > 0' -T fields -e frame.number \
		-e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport -e tcp.seq \
		-e tcp.len >"$TMP/$1.seg" 2>/dev/null
	awk -f "$top_srcdir/tests/scylla/log-frames.awk" "$TMP/$1.seg" \
		"$dir/$1.log" >"$TMP/$1.map"
}
# frame CAPTURE WORD...: the capture frame where the first logged frame
# having every WORD (e.g. conn=2 kind=request msg_id=1) completed.
# A frame not in the log leaves a mark ($TMP/missing: frame runs in a
# subshell) that fails the claim, so no check passes on an empty answer.
frame() {
	cap=$1; shift
	view "$cap"
	found=$(awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
	{ for (i = 1; i <= n; i++) if (index(" " $0 " ", " " w[i] " ") == 0) next
	  print $1; exit }' "$TMP/$cap.map")
	[ -n "$found" ] && [ "$found" != "?" ] || echo "[$cap: $*]" >>"$TMP/missing"
	echo "${found:-0}"
}
# col CAPTURE FRAME N: tshark's column N of that frame.
col() {
	view "$1"
	awk -F'|' -v f="$2" -v c="$3" '$1 == f { print $c; exit }' "$TMP/$1.ts"
}
nframes() { view "$1"; wc -l <"$TMP/$1.ts"; }
ids=$(sed -n 's/^\([a-z0-9-]*\) |.*/\1/p' "$known")
plan $(( $(echo "$ids" | wc -w) + 3 ))

view classic
if awk -f "$top_srcdir/tests/scylla/words.awk" \
	-f "$top_srcdir/tests/scylla/tshark-agree.awk" "$TMP/classic.ts" \
	"$TMP/classic.map" >"$TMP/agree"; then
	ok "classic.pcap, where tshark is right: $(tail -1 "$TMP/agree")"
else
	not_ok "classic.pcap: tshark's fields are what was sent"
	sed 's/^/#   /' "$TMP/agree" | head -30
fi

# 1b. tapline against tshark on the same frames of classic.pcap: verb, msg
# id, timeout, length, response size, negotiation size, a MUTATION's
# table id (as wire bytes) and key, a response's request, a read's table
# id.  Exceptions (shown unsigned by tshark: listed below) are left out.
"$TAPLINE" decode -Y scylla -T fields -E occurrence=f -e frame.number \
	-e scylla.timeout -e scylla.verb -e scylla.msg_id -e scylla.len \
	-e scylla.response.size -e scylla.negotiation.size \
	-e scylla.mut.table_id -e scylla.mut.pkey \
	-e scylla.response.request -e scylla.read_data.table_id \
	"$dir/classic.pcap" 2>/dev/null |
awk -F'\t' '
function wire(u,   s, i) {
	if (u == "") return ""
	gsub(/-/, "", u)
	for (i = 15; i >= 1; i -= 2) s = s substr(u, i, 2)
	for (i = 31; i >= 17; i -= 2) s = s substr(u, i, 2)
	return s
}
# tshark reads a mutation in MUTATION only (not in Paxos proposals), a
# read command in READ_DATA only (not READ_DIGEST, PAXOS_PREPARE)
$4 !~ /^-/ { if ($3 != 1) $8 = $9 = ""
	if ($3 != 3) $11 = ""
	print $1 "|" $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" wire($8) "|" \
		$9 "|" $10 "|" wire($11) }' \
	>"$TMP/ours"
awk -F'|' '$4 !~ /^18446744/ && ($3 != "" || $7 != "") {
	print $1 "|" $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $11 "|" $12 "|" \
		$8 "|" $14 }' \
	"$TMP/classic.ts" >"$TMP/theirs"
if diff "$TMP/theirs" "$TMP/ours" >"$TMP/diff" && [ -s "$TMP/ours" ]; then
	ok "classic.pcap: tapline and tshark agree on $(wc -l <"$TMP/ours") frames"
else
	not_ok "classic.pcap: tapline and tshark agree"
	sed 's/^/#   /' "$TMP/diff" | head -20
fi

# claim ID DESCRIPTION: ok when the shell condition after it holds.
claim() {
	id=$1; shift
	if [ -s "$TMP/missing" ]; then
		not_ok "$id: frames not found in the logs: $(cat "$TMP/missing")"
	elif eval "$*" >/dev/null 2>&1; then
		ok "tshark disagrees ($id), as listed"
	else
		not_ok "tshark no longer disagrees ($id): $*"
	fi
	rm -f "$TMP/missing"
}
seen=""
for id in $ids; do
	seen="$seen $id"
	case $id in
	detect)
		n=$(tshark -r "$dir/classic.pcap" -Y scylla 2>/dev/null | wc -l)
		claim $id "[ $n -eq 0 ] && [ $(grep -c 'Protocol negotiation' "$TMP/classic.ts") -gt 0 ]" ;;
	verbs44)
		claim $id "[ \$(tshark -G values 2>/dev/null | grep -c '^V64	scylla.verb	') -eq 44 ] &&
			tshark -G values 2>/dev/null | grep -q '^V64	scylla.verb	11	DEFINITIONS_UPDATE$'" ;;
	verb-ge-44)
		f44=$(frame negotiation conn=1 kind=request verb=44)
		f9=$(frame negotiation conn=1 kind=request verb=9)
		claim $id "[ -z \"$(col negotiation "$f44" 3)$(col negotiation "$f44" 4)\" ] &&
			echo '$(col negotiation "$f9" 4)' | grep -q '^3000,' &&
			echo '$(col negotiation "$f9" 6)' | grep -q '^44,'" ;;
	fixed-28)
		f=$(frame negotiation conn=2 kind=request msg_id=1)
		rest=""
		for m in 2 3 4 5; do
			g=$(frame negotiation conn=2 kind=request msg_id=$m)
			rest="$rest$(col negotiation "$g" 3)"
		done
		claim $id "[ '$(col negotiation "$f" 3)' = 1 ] &&
			[ '$(col negotiation "$f" 4)' != 1 ] &&
			[ -n '$(col negotiation "$f" 10)' ] && [ -z '$rest' ]" ;;
	fixed-12)
		f=$(frame negotiation conn=5 kind=response msg_id=4)
		g=$(frame gossip conn=1 kind=response msg_id=7)
		lost=""
		for m in 3 4 5; do
			h=$(frame split kind=response msg_id=$m)
			lost="$lost$(col split "$h" 4)"
		done
		claim $id "[ '$(col negotiation "$f" 4)' != 4 ] &&
			[ -n '$(col negotiation "$f" 10)' ] &&
			[ '$(col gossip "$g" 4)' != 7 ] && [ -z '$lost' ] &&
			! tshark -G fields 2>/dev/null | grep -qi 'scylla.*duration'" ;;
	negotiation-bytes)
		f=$(frame classic conn=1 kind=negotiation)
		claim $id "[ '$(col classic "$f" 15)' = 01000000000000000400000006000000676f73736970 ] &&
			! tshark -G fields 2>/dev/null | grep -qi 'scylla.*\(feature\|cookie\|isolation\)'" ;;
	exceptions)
		f=$(frame exception kind=exception msg_id=-2)
		r=$(frame classic kind=exception msg_id=-8)
		q=$(frame classic kind=request msg_id=8 verb=3)
		claim $id "[ '$(col exception "$f" 4)' = 18446744073709551614 ] &&
			echo '$(col exception "$f" 17)' | grep -q 'unknown packet' &&
			[ -z '$(col classic "$r" 8)' ] &&
			[ '$(col classic "$q" 9)' != '$r' ] &&
			! tshark -G fields 2>/dev/null | grep -qi 'scylla.*exception'" ;;
	unknown-verb)
		f=$(frame exception kind=exception msg_id=-3)
		claim $id "[ -n '$(col exception "$f" 10)' ]" ;;
	one-way)
		f=$(frame classic conn=1 kind=request verb=0)
		claim $id "echo '$(col classic "$f" 16)' | grep -q 'Response has not arrived'" ;;
	streams)
		f=$(frame stream conn=2 kind=stream len=222)
		g=$(frame stream conn=2 kind=stream eos=1 dir=s2c)
		all=$(awk -F'|' -v a="$f" '$1 >= a' "$TMP/stream.ts" | cut -d'|' -f4 | tr -d '\n')
		claim $id "[ -n '$(col stream "$g" 10)' ] &&
			! echo '$all' | grep -q '^1\$' &&
			! tshark -G fields 2>/dev/null | grep -qi 'scylla.*stream'" ;;
	compression)
		f=$(frame lz4 conn=1 kind=request verb=1)
		g=$(frame lz4 conn=2 kind=request verb=1)
		claim $id "[ -z '$(col lz4 "$f" 3)' ] && [ '$(col lz4 "$g" 3)' != 1 ]" ;;
	split-header)
		f4=$(frame split kind=request msg_id=4)
		f5=$(frame split kind=request msg_id=5)
		f2=$(frame split kind=request msg_id=2)
		f3=$(frame split kind=request msg_id=3)
		claim $id "[ -z '$(col split "$f4" 4)$(col split "$f5" 4)' ] &&
			[ '$(col split "$f2" 4)' = 2 ] && [ '$(col split "$f3" 4)' = 3 ]" ;;
	split-corked)
		f7=$(frame split kind=request msg_id=7)
		f8=$(frame split kind=request msg_id=8)
		claim $id "[ -n '$(col split "$f7" 10)' ] && [ -z '$(col split "$f8" 4)' ]" ;;
	read-timeout)
		f=$(frame classic kind=request verb=3 msg_id=3)
		claim $id "[ '$(col classic "$f" 13)' = 156 ] && [ '$(col classic "$f" 2)' = 5000 ]" ;;
	uuid-bytes)
		f=$(frame classic kind=request verb=1)
		claim $id "[ '$(col classic "$f" 11)' = ef11428f300e1c7a5f4e3d2c1b0ac6b5 ]" ;;
	*)
		not_ok "no check for the listed disagreement $id" ;;
	esac
done
check "every listed disagreement checked once" test "$(echo $seen | wc -w)" -eq "$(echo $ids | wc -w)"
exit $tap_fail
