#!/bin/sh
# Replays the CQL layers' fuzz corpus (cells, bodies, segments and headers
# cut from the lab's captures, and every past finding) through the fuzz
# harness without libFuzzer: in the ASan build, the memory-safety check.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay="$top_builddir/tests/fuzz/replay_cql_layers"
[ -x "$replay" ] || skip_all "replay_cql_layers not built"
"$replay" "$top_srcdir/tests/fuzz/corpus/cql_layers"
