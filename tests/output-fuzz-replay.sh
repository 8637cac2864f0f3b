#!/bin/sh
# output-fuzz-replay.sh - replays the corpora of the output-side fuzz
# harnesses without libFuzzer: every lab capture and the decode_output
# corpus through the decoder into every renderer, filter and report; the
# filter corpus through the -Y compiler.  In the ASan build this is the
# memory-safety check of tapline decode's output side.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay_out="$top_builddir/tests/fuzz/replay_decode_output"
replay_filter="$top_builddir/tests/fuzz/replay_filter"
[ -x "$replay_out" ] && [ -x "$replay_filter" ] ||
	skip_all "replay programs not built"
set -- "$top_srcdir/tests/fuzz/corpus/decode_output"
for c in "$top_srcdir"/tests/captures/*.pcap*; do
	case $c in *.pcap|*.pcapng|*.pcap.gz|*.pcapng.gz) ;; *) continue ;; esac
	[ -f "$c" ] && set -- "$@" "$c"
done
# Two TAP streams in one: renumber the second after the first.
"$replay_out" "$@" >"$TMP/a"
"$replay_filter" "$top_srcdir/tests/fuzz/corpus/filter" >"$TMP/b"
grep '^ok\|^not ok' "$TMP/a" >"$TMP/all" || true
n=$(wc -l <"$TMP/all")
grep '^ok\|^not ok' "$TMP/b" | awk -v n="$n" '{ $2 = $2 + n; print }' >>"$TMP/all" || true
cat "$TMP/all"
echo "1..$(wc -l <"$TMP/all")"
