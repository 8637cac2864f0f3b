#!/bin/sh
# tests/lab/cql/spec-builder.sh - the spec-built frames of the CQL lab
# (cqlwire.js) checked against independent code: the v5 segment CRCs
# against zlib and published vectors (crc-check.js).  Pure: no root.
. "${top_srcdir:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/setup.sh"
command -v node >/dev/null || skip_all "node not installed (scripts/deps.sh)"
node "$top_srcdir/tests/lab/cql/crc-check.js"
