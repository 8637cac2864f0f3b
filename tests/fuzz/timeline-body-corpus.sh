#!/bin/sh
# tests/fuzz/timeline-body-corpus.sh TAPLINE OUTDIR - the corpus of
# fuzz_timeline_body.c: from a timeline of the bundled session
# (examples/gfapi-utimens.pcap), each procedure's first reply with its
# call, and its first call alone, in the harness's layout (knob byte
# 0x20 or 0x00, the call's wire length, the call's wire, the message's);
# and from the real distribute session copied 40 times (bench/multiply,
# MULTIPLY: its path), the first packed LOOKUP, WRITE, SETATTR and CREATE
# calls, each with the dictionary it is packed against in the place of a
# request (knob byte 0x80, the dictionary's last 65535 bytes: as far back
# as LZ4 reaches).
set -eu
tapline=$1 out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tapline-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$tapline" correlate -q --no-progress -o "$tmp/t.db" "$top/examples/gfapi-utimens.pcap"
mkdir -p "$out"
"$tapline" sql "$tmp/t.db" "
	SELECT 'reply-' || lower(r.op), '20', printf('%04X', length(c.wire)), hex(c.wire), hex(r.wire)
	FROM messages r JOIN messages c ON c.id = r.request
	WHERE r.id IN (SELECT min(id) FROM messages WHERE kind = 'response' GROUP BY op)
	UNION ALL
	SELECT 'call-' || lower(op), '00', '0000', '', hex(wire) FROM messages
	WHERE id IN (SELECT min(id) FROM messages WHERE kind = 'request' GROUP BY op)" |
while IFS='|' read -r name knobs len call wire; do
	printf "%s" "$knobs$len$call$wire" | basenc --base16 -d >"$out/$name"
done
multiply=${MULTIPLY:-bench/multiply}
"$multiply" "$top/tests/captures/distribute-2brick.pcap" "$tmp/many.pcap" 2400000 2>/dev/null
"$tapline" correlate -q --no-progress -o "$tmp/many.db" "$tmp/many.pcap"
"$tapline" sql "$tmp/many.db" "
	SELECT 'packed-call-' || lower(m.op), '80', 'FFFF', hex(substr(d.bytes, 2)), hex(m.wire)
	FROM messages m JOIN wire_dictionaries d ON d.id = m.wire_dictionary
	WHERE m.id IN (SELECT min(id) FROM messages WHERE kind = 'request'
		       AND wire_dictionary IS NOT NULL
		       AND op IN ('LOOKUP', 'WRITE', 'SETATTR', 'CREATE') GROUP BY op)" |
while IFS='|' read -r name knobs len call wire; do
	printf "%s" "$knobs$len$call$wire" | basenc --base16 -d >"$out/$name"
done
