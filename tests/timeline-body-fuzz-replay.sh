#!/bin/sh
# Replays the tapline_body() fuzz corpus (records of a real session as a
# timeline stores them, every past finding) through the fuzz harness
# without libFuzzer: in the ASan build this is the memory-safety check of
# the bodies rendered from a timeline's bytes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay="$top_builddir/tests/fuzz/replay_timeline_body"
[ -x "$replay" ] || skip_all "replay_timeline_body not built"
"$replay" "$top_srcdir/tests/fuzz/corpus/timeline_body"
