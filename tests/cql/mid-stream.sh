#!/bin/sh
# tests/cql/mid-stream.sh - captures that begin in the middle of a
# connection (editcap cuts the lab's captures): plain frames (v3) and v5
# segments are found again in both directions, requests matched to their
# responses inside the cut, nothing malformed that was not damaged.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/setup.sh"
command -v editcap >/dev/null || skip_all "editcap not installed (tshark's package)"
caps=$top_srcdir/tests/captures/cql
# capture, the frames kept, the malformed messages expected (the v5
# capture's damaged segments: two bad payload CRCs, one bad header CRC)
for cut in "cql-v3 100-400 0" "cql-v5-gen 20-200 3" "cql-lz4-v3 11-40 0" "cql-v2 60-160 0"; do
	set -- $cut
	editcap -r "$caps/$1.pcap" "$TMP/cut.pcap" "$2" 2>/dev/null
	"$TAPLINE" decode "$TMP/cut.pcap" >"$TMP/out" 2>&1 || true
	requests=$(grep -c ' CQL .* \(QUERY\|PREPARE\|EXECUTE\|BATCH\|OPTIONS\) stream=' "$TMP/out" || true)
	answers=$(grep -c ' CQL .* (Request In ' "$TMP/out" || true)
	bad=$(grep -c 'Malformed\|Truncated\|Not decoded' "$TMP/out" || true)
	if [ "$requests" -gt 0 ] && [ "$answers" -gt 0 ] && [ "$bad" -eq "$3" ]; then
		ok "$1 frames $2: $requests requests, $answers answers matched, $bad malformed as expected"
	else
		not_ok "$1 frames $2: $requests requests, $answers answers matched, $bad malformed (want $3)"
		head -20 "$TMP/out" | sed 's/^/#   /'
	fi
done
done_testing
