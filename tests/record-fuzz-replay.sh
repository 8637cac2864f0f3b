#!/bin/sh
# record-fuzz-replay.sh - replays the record_page fuzz corpus (a real
# kernel page, and past findings) through the harness without libFuzzer:
# in the ASan build, the memory-safety check of the recorder's parsers.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay="$top_builddir/tests/fuzz/replay_record_page"
[ -x "$replay" ] || skip_all "replay_record_page not built"
"$replay" "$top_srcdir/tests/fuzz/corpus/record_page"
