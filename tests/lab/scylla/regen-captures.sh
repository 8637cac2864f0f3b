#!/bin/sh
# tests/lab/scylla/regen-captures.sh [SCENARIO...] - remakes
# tests/captures/scylla/SCENARIO.pcap and .log (default: every scenario)
# with lab.sh, holding the machine's lab lock.  Root; ~10 s.
# Frame numbers in tests/captures/scylla/README.md and the tests that
# name frames must be checked again afterwards.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../../.." && pwd)}
out=${SCYLLA_CAPTURES:-$top_srcdir/tests/captures/scylla}
if [ -z "${SCYLLA_LAB_LOCKED:-}" ]; then
	SCYLLA_LAB_LOCKED=1 exec flock /tmp/tapline-lab.lock "$0" "$@"
fi
[ $# -gt 0 ] || set -- gossip write-read lwt exception stream lz4 \
	negotiation split midstream classic cql-flow
mkdir -p "$out"
for s in "$@"; do
	"$here/lab.sh" run "$s" --capture "$out/$s.pcap"
done
