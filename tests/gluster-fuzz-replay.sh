#!/bin/sh
# Replays the RPC-record fuzz corpus (streams cut from the lab captures
# and every past finding) through the fuzz harness without libFuzzer: in the
# ASan build this is the memory-safety check of the RPC/GlusterFS decoders.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay="$top_builddir/tests/fuzz/replay_rpc_record"
[ -x "$replay" ] || skip_all "replay_rpc_record not built"
"$replay" "$top_srcdir/tests/fuzz/corpus/rpc_record"
