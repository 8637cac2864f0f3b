#!/bin/sh
# Replays the Ceph stream fuzz corpus (connections cut from the Ceph lab's
# captures and every past finding) through the harness without libFuzzer:
# in the ASan build this is the memory-safety check of the framing layer.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
replay="$top_builddir/tests/fuzz/replay_ceph_stream"
[ -x "$replay" ] || skip_all "replay_ceph_stream not built"
"$replay" "$top_srcdir/tests/fuzz/corpus/ceph_stream"
