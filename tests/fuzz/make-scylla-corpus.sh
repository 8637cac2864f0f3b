#!/bin/sh
# make-scylla-corpus.sh - remakes tests/fuzz/corpus/scylla/ (the harness
# tests/fuzz/fuzz_scylla.c says the format) from the captures of
# tests/captures/scylla/: per capture, a few TCP streams, each with three
# knob bytes (whole pieces; 5-byte pieces, 1 MiB kept, a gap; the same
# with 13-byte pieces).
# Needs tshark and xxd.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/tests/fuzz/corpus/scylla
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cap in "$top"/tests/captures/scylla/*.pcap; do
	name=$(basename "$cap" .pcap)
	streams=$(tshark -r "$cap" -T fields -e tcp.stream 2>/dev/null |
		sort -un | head -4)
	for s in $streams; do
		tshark -r "$cap" -q -z "follow,tcp,raw,$s" 2>/dev/null |
		awk -v c="$tmp/c.hex" -v sv="$tmp/s.hex" '
			/^(=|Follow|Filter|Node)/ { next }
			/^\t/ { sub(/^\t/, ""); printf "%s", $0 > sv; next }
			/^[0-9a-f]+$/ { printf "%s", $0 > c }'
		touch "$tmp/c.hex" "$tmp/s.hex"
		xxd -r -p "$tmp/c.hex" | head -c 16384 >"$tmp/c.bin"
		xxd -r -p "$tmp/s.hex" | head -c 16384 >"$tmp/s.bin"
		rm -f "$tmp/c.hex" "$tmp/s.hex"
		[ -s "$tmp/c.bin" ] || continue
		n=$(wc -c <"$tmp/c.bin")
		lo=$(printf '%02x' $((n % 256)))
		hi=$(printf '%02x' $((n / 256)))
		for k in 00 72 74; do
			{ printf "$k$lo$hi" | xxd -r -p; cat "$tmp/c.bin" "$tmp/s.bin"; } \
				>"$out/$name-s$s-k$k"
		done
	done
done
ls "$out" | wc -l
