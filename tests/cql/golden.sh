#!/bin/sh
# tests/cql/golden.sh - the CQL golden tests: tests/golden.sh over
# tests/cql/TESTLIST (expected outputs in tests/cql/golden/, each checked
# against the captures by tests/cql/golden-check.sh).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
export top_srcdir
GOLDEN_TESTLIST=$top_srcdir/tests/cql/TESTLIST GOLDEN_DIR=$top_srcdir/tests/cql/golden \
	exec sh "$top_srcdir/tests/golden.sh"
