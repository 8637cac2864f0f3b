#!/bin/sh
# TCP reassembly checked against an independent reassembler: for every
# connection in the lab captures and the synthetic edge-case captures
# (out-of-order, retransmission, overlap, gap, RST, IPv6, VLAN, SLL...),
# the payload bytes tapline reassembles per direction must equal what
# `tshark -z follow,tcp,raw,N` shows.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
flows="$top_builddir/tests/unit/wire_flows"
[ -x "$flows" ] || skip_all "wire_flows not built"
command -v tshark >/dev/null || skip_all "tshark not installed"

# tshark_flows CAPTURE: "ADDR:PORT ADDR:PORT BYTES" per direction with data.
tshark_flows() {
	streams=$(tshark -r "$1" -n -T fields -e tcp.stream -Y tcp 2>/dev/null | sort -un)
	[ -n "$streams" ] || return 0
	args=""
	for s in $streams; do args="$args -z follow,tcp,raw,$s"; done
	# shellcheck disable=SC2086
	tshark -r "$1" -n -q $args 2>/dev/null | awk '
	function flush() {
		if (n0 > 0) print node0, node1, n0
		if (n1 > 0) print node1, node0, n1
		n0 = n1 = 0
	}
	/^Follow: / { flush(); next }
	/^Node 0: / { node0 = $3; next }
	/^Node 1: / { node1 = $3; next }
	/^====/ { next }
	# "[N bytes missing in capture file]": tshark marks a gap in-band
	/206279746573206d697373696e6720696e2063617074757265/ { next }
	/^\t[0-9a-f]+$/ { n1 += length($1) / 2; next }
	/^[0-9a-f]+$/ { n0 += length($1) / 2; next }
	END { flush() }' | tr -d '[]' | sort
}

captures=""
for c in "$top_srcdir"/tests/captures/*.pcap* "$top_srcdir"/tests/captures/*/*.pcap* \
	 "$top_srcdir"/tests/fuzz/corpus/pcap/*.pcap*; do
	case $c in *.pcap|*.pcapng|*.pcap.gz|*.pcapng.gz) ;; *) continue ;; esac
	[ -f "$c" ] && captures="$captures $c"
done
[ -n "$captures" ] || skip_all "no captures"
# The lab captures again without their first frames: connections that
# begin mid-stream, without SYN, maybe inside a message.
if command -v editcap >/dev/null; then
	for c in "$top_srcdir"/tests/captures/*.pcap; do
		[ -f "$c" ] || continue
		cut="$TMP/$(basename "$c" .pcap)-from-frame-6.pcap"
		editcap -r "$c" "$cut" 6-100000000 2>/dev/null && captures="$captures $cut"
		# and with one data segment lost (a gap inside a stream)
		n=$(tshark -r "$c" -n -Y 'tcp.len > 0' -T fields -e frame.number 2>/dev/null | sed -n 5p)
		[ -n "$n" ] || continue
		lost="$TMP/$(basename "$c" .pcap)-without-frame-$n.pcap"
		editcap "$c" "$lost" "$n" 2>/dev/null && captures="$captures $lost"
	done
fi
for c in $captures; do
	name=${c#"$top_srcdir"/}; name=${name#"$TMP"/}
	case $c in *.gz) gunzip -c "$c" >"$TMP/cap" 2>/dev/null || true; in="$TMP/cap" ;; *) in=$c ;; esac
	tshark_flows "$in" >"$TMP/want"
	"$flows" "$c" 2>"$TMP/err" | awk '{ print $1, $2, $3 }' | sort >"$TMP/got"
	if [ ! -s "$TMP/want" ]; then
		skip "$name: tshark follows no TCP data"
	elif cmp -s "$TMP/want" "$TMP/got"; then
		ok "$name: $(wc -l <"$TMP/want") directions, bytes equal tshark's"
	else
		not_ok "$name: reassembled bytes differ from tshark's follow"
		diff "$TMP/want" "$TMP/got" | head -20 | sed 's/^/#   /'
	fi
done
done_testing
