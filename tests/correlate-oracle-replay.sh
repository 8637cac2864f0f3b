#!/bin/sh
# correlate-oracle-replay.sh - the checks of tests/correlate-oracle.sh on
# sessions it recorded, kept in tests/captures/oracle (README there): the
# capture, `tapline record`'s records and the kernel's socket trace of
# one real libgfapi session each.  Their timing is what no lab run can be
# made to repeat, and each once led the exact-XID join astray.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
for tool in sqlite3 tshark; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
. "$top_srcdir/tests/correlate-oracle-check.sh"

out=$TMP/out
mkdir "$out"
: >"$out/counts"
for pcap in "$top_srcdir"/tests/captures/oracle/*.pcap; do
	name=$(basename "$pcap" .pcap)
	for part in pcap rec sock sock.clock sock.overrun; do
		cp "${pcap%.pcap}.$part" "$out/$name.$part"
	done
	oracle_check "$name"
done
sed 's/^/# /' "$out/counts"
done_testing
