#!/bin/sh
# Replays the record-reader fuzz corpus (real recordings, the hostile-line
# file, every past finding) through the fuzz harness without libFuzzer: in
# the ASan build this is the memory-safety check of the record reader.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay="$top_builddir/tests/fuzz/replay_records"
[ -x "$replay" ] || skip_all "replay_records not built"
"$replay" "$top_srcdir/tests/fuzz/corpus/records"
