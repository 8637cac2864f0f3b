#!/bin/sh
# correlate-small.sh - tapline correlate with its memories made tiny
# (tests/tapline-small: an 8-row ring between the decoding thread and the
# writer thread, 2 rows held back for their replies, 4 connection memo
# slots, 4 stream cache slots, 4 KiB for the rows' bytes, so that most
# rows wrap or are too big for it) stores the same timeline as with its
# real sizes: every fallback (connection rows written early, SQL asked
# once the writer has caught up, replies whose call left the ring, the
# Bloom filter of connections that left the memo unfinished, rows that
# wait for room) ends in the same rows.  So does the smallest memory
# budget (--max-memory 24M).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
small=$top_builddir/tests/tapline-small
[ -x "$small" ] || skip_all "tests/tapline-small not built"
ex=$top_srcdir/examples
caps=$top_srcdir/tests/captures

set -- "$ex/gfapi-utimens.pcap" "$ex/gfapi-utimens.rec" \
	"$ex/auth-failure.pcap" "$ex/auth-failure.rec" \
	"$ex/mount-failure.pcap" "$ex/mount-failure.rec"
for f in "$caps"/*.pcap "$caps"/*.pcap.gz; do
	[ -f "$f" ] && set -- "$@" "$f"
done
# Copies of the bundled session with new client ports (bench/pcap-grow.c):
# hundreds of connections through 4 memo slots, XIDs that repeat.  Then
# the same copies cut in four, each quarter moved to start with the first
# and merged: four sessions at once, connections and replies interleaved,
# so that the memories miss and SQL is asked (for a tuple, a stream, a
# reply's call).
if command -v cc >/dev/null &&
   cc -O2 -o "$TMP/pcap-grow" "$top_srcdir/bench/pcap-grow.c" -lpcap 2>/dev/null &&
   "$TMP/pcap-grow" "$ex/gfapi-utimens.pcap" "$TMP/grown.pcap" 2; then
	set -- "$@" "$TMP/grown.pcap"
	if command -v editcap >/dev/null && command -v mergecap >/dev/null &&
	   command -v capinfos >/dev/null; then
		g=$TMP/grown.pcap
		n=$(capinfos -T -r -c -M "$g" | cut -f2)
		t0=$(capinfos -T -r -a -S "$g" | cut -f2)
		parts=""
		for i in 0 1 2 3; do
			editcap -r "$g" "$TMP/part$i.pcap" $((i * n / 4 + 1))-$(((i + 1) * n / 4)) 2>/dev/null
			t=$(capinfos -T -r -a -S "$TMP/part$i.pcap" | cut -f2)
			editcap -t "$(awk -v a="$t0" -v b="$t" -v i=$i \
				'BEGIN { printf "%.6f", a - b + i * 0.0001 }')" \
				"$TMP/part$i.pcap" "$TMP/moved$i.pcap" 2>/dev/null
			parts="$parts $TMP/moved$i.pcap"
		done
		# shellcheck disable=SC2086
		mergecap -F pcap -w "$TMP/mixed.pcap" $parts && set -- "$@" "$TMP/mixed.pcap"
	fi
fi

"$TAPLINE" correlate -q -o "$TMP/real.db" "$@" 2>"$TMP/real.err" && rc=0 || rc=$?
"$small" correlate -q -o "$TMP/small.db" "$@" 2>"$TMP/small.err" && rc2=0 || rc2=$?
[ "$rc" = "$rc2" ] && cmp -s "$TMP/real.err" "$TMP/small.err" &&
	ok "same exit status ($rc) and messages with tiny memories" ||
	not_ok "exit $rc / $rc2; $(cat "$TMP/real.err" "$TMP/small.err" | head -5)"
"$TAPLINE" correlate -q --max-memory 24M -o "$TMP/budget.db" "$@" 2>"$TMP/budget.err" && rc3=0 || rc3=$?
[ "$rc" = "$rc3" ] && cmp -s "$TMP/real.err" "$TMP/budget.err" &&
	ok "same exit status ($rc) and messages with --max-memory 24M" ||
	not_ok "exit $rc / $rc3; $(cat "$TMP/budget.err" | head -5)"

q() { sqlite3 -batch -noheader "$1" "$2"; }
messages=$(q "$TMP/real.db" "SELECT count(*) FROM rpc_messages")
conversations=$(q "$TMP/real.db" "SELECT count(*) FROM conversations")
[ "$messages" -gt 700 ] && [ "$conversations" -gt 40 ] &&
	ok "enough to go round the memories ($messages messages, $conversations connections)" ||
	not_ok "too few rows: $messages messages, $conversations connections"
for t in "inputs:id, file, kind, host, clock, clock_offset_ns, fingerprint, size, first_ts_ns, last_ts_ns, frames, messages, events, malformed, error" \
	 "conversations:*" "rpc_messages:*" "probe_events:*" "links:*" \
	 "clock_offsets:*"; do
	table=${t%%:*}
	sql="SELECT ${t#*:} FROM $table ORDER BY 1, 2"
	q "$TMP/real.db" "$sql" >"$TMP/real.rows"
	for other in small budget; do
		q "$TMP/$other.db" "$sql" >"$TMP/$other.rows"
		if cmp -s "$TMP/real.rows" "$TMP/$other.rows"; then
			ok "$table: the same $(wc -l <"$TMP/real.rows") rows ($other)"
		else
			not_ok "$table differs ($other)"
			diff "$TMP/real.rows" "$TMP/$other.rows" | head -5 |
				cut -c1-200 | sed 's/^/#   /'
		fi
	done
done
done_testing
