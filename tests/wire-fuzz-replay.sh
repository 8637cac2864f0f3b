#!/bin/sh
# Replays the pcap fuzz corpus (its inputs and past findings) and every lab
# capture through the fuzz harness without libFuzzer: in the ASan build
# this is the memory-safety check over real and hostile input.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay="$top_builddir/tests/fuzz/replay_pcap"
[ -x "$replay" ] || skip_all "replay_pcap not built"
set -- "$top_srcdir/tests/fuzz/corpus/pcap"
for c in "$top_srcdir"/tests/captures/*.pcap* "$top_srcdir"/tests/captures/*/*.pcap*; do
	case $c in *.pcap|*.pcapng|*.pcap.gz|*.pcapng.gz) ;; *) continue ;; esac
	[ -f "$c" ] && set -- "$@" "$c"
done
"$replay" "$@"
