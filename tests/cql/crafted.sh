#!/bin/sh
# tests/cql/crafted.sh - CQL the lab's captures cannot show (crafted.js):
# the real Cassandra capture moved to another port, and compressed bodies
# that do not decompress or claim 200 MiB.  Pure: no root, no lab.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/setup.sh"
command -v node >/dev/null || skip_all "node not installed (scripts/deps.sh)"
compressor="$top_builddir/tests/lab/cql/cql-compress"
[ -x "$compressor" ] || skip_all "no $compressor (make check builds it)"
node "$top_srcdir/tests/cql/crafted.js" "$TAPLINE" "$top_srcdir/tests/captures/cql" "$TMP" "$compressor"
