#!/bin/sh
# tests/fuzz/cql-corpus.sh - makes tests/fuzz/corpus/cql_stream/ from the
# lab's CQL captures: each TCP connection as fuzz_cql_stream's input (a
# knobs byte, then [direction|length u16][bytes] records in capture
# order), its first 64 KiB.  Needs tshark and python3.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/tests/fuzz/corpus/cql_stream
mkdir -p "$out"
for cap in "$top"/tests/captures/cql/*.pcap; do
	name=$(basename "$cap" .pcap)
	for s in $(tshark -r "$cap" -T fields -e tcp.stream 2>/dev/null | sort -nu); do
		tshark -r "$cap" -Y "tcp.stream == $s && tcp.len > 0" -T fields \
			-e tcp.srcport -e tcp.payload 2>/dev/null |
		python3 -c '
import sys
out = bytearray([0])
for line in sys.stdin:
    port, payload = line.rstrip("\n").split("\t")
    data = bytes.fromhex(payload)
    server = port == "9042"
    for i in range(0, len(data), 0x7fff):
        piece = data[i:i + 0x7fff]
        out += (len(piece) | (0x8000 if server else 0)).to_bytes(2, "big") + piece
    if len(out) >= 65536:
        break
sys.stdout.buffer.write(bytes(out[:65536]))
' >"$out/$name-s$s"
	done
done
