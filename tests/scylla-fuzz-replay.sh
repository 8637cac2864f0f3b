#!/bin/sh
# Replays the ScyllaDB RPC fuzz corpus (streams cut from the captures of
# tests/captures/scylla/ and every past finding) through the fuzz harness
# without libFuzzer: in the ASan build this is the memory-safety check of
# the negotiation, framing and decompression layers.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay="$top_builddir/tests/fuzz/replay_scylla"
[ -x "$replay" ] || skip_all "replay_scylla not built"
"$replay" "$top_srcdir/tests/fuzz/corpus/scylla"
