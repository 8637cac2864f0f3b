#!/bin/sh
# Replays the CQL fuzz corpora (cells, bodies, segments and headers cut
# from the lab's captures, the lab's conversations, and every past
# finding) through the harnesses without libFuzzer: in the ASan build, the
# memory-safety check of the CQL decoder.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
for h in layers stream; do
	replay="$top_builddir/tests/fuzz/replay_cql_$h"
	if [ ! -x "$replay" ]; then
		skip "replay_cql_$h not built"
		continue
	fi
	"$replay" "$top_srcdir/tests/fuzz/corpus/cql_$h" >"$TMP/$h.tap" 2>&1 ||
		not_ok "$h: the replay failed"
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$h: ${line#ok * - }" ;;
		"not ok "*) not_ok "$h: ${line#not ok * - }" ;;
		"1.."*) ;;
		*) echo "# $line" ;;
		esac
	done <"$TMP/$h.tap"
done
done_testing
