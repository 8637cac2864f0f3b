#!/bin/sh
# tests/cql/cql-vs-tshark.sh - differential test of tapline's CQL decoding
# against tshark on every lab capture; the disagreements it accepts are
# listed, with their reasons, in tests/cql/cql-vs-tshark.known
# (evidence: docs/cql.md).
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/setup.sh"
command -v node >/dev/null || skip_all "node not installed (scripts/deps.sh)"
command -v tshark >/dev/null || skip_all "tshark not installed"
node "$top_srcdir/tests/cql/cql-vs-tshark.js" "$TAPLINE" "$top_srcdir/tests/captures/cql" \
	"$top_srcdir/tests/cql/cql-vs-tshark.known"
