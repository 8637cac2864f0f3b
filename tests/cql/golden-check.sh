#!/bin/sh
# tests/cql/golden-check.sh - the CQL golden tests' expected outputs
# against the captures, read without tapline (golden-check.js).
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/setup.sh"
command -v node >/dev/null || skip_all "node not installed (scripts/deps.sh)"
command -v tshark >/dev/null || skip_all "tshark not installed"
compressor="$top_builddir/tests/lab/cql/cql-compress"
[ -x "$compressor" ] || skip_all "no $compressor (make check builds it)"
node "$top_srcdir/tests/cql/golden-check.js" "$top_srcdir/tests/cql/TESTLIST" \
	"$top_srcdir/tests/cql/golden" "$top_srcdir/tests/captures" "$compressor"
