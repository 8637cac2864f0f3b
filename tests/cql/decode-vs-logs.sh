#!/bin/sh
# tests/cql/decode-vs-logs.sh - tapline's CQL decoding of every lab capture
# (tests/captures/cql) against the clients' own logs: every request
# answered, every cell of every type as the DataStax driver read it, the
# raw client's compressed frames, the v4/v5 generator's meaning of each
# message (decode-vs-logs.js).  Pure: no root, no lab.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/setup.sh"
command -v node >/dev/null || skip_all "node not installed (scripts/deps.sh)"
node "$top_srcdir/tests/cql/decode-vs-logs.js" "$TAPLINE" "$top_srcdir/tests/captures/cql"
