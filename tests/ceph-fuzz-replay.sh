#!/bin/sh
# Replays the Ceph fuzz corpora through their harnesses without libFuzzer:
# ceph_stream (connections cut from the Ceph lab's captures: the framing
# layer) and ceph_message (each message type's and frame tag's first
# occurrence in those captures: the frame and body decoders), with every
# past finding.  In the ASan build this is the memory-safety check.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
for name in ceph_stream ceph_message; do
	replay="$top_builddir/tests/fuzz/replay_$name"
	if [ ! -x "$replay" ]; then
		skip "replay_$name not built"
		continue
	fi
	check "the $name corpus replayed ($(ls "$top_srcdir/tests/fuzz/corpus/$name" | wc -l) inputs)" \
		"$replay" "$top_srcdir/tests/fuzz/corpus/$name"
done
done_testing
