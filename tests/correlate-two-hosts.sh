#!/bin/sh
# correlate-two-hosts.sh - one timeline from two hosts' captures whose
# clocks disagree.  The lab's glusterd and brick are the server host; a
# libgfapi client runs in a second network namespace joined to it by a
# veth pair (TEST-NET-1 addresses inside the test's own namespaces), the
# client host.  The client is recorded with `tapline record` while each
# host captures its own end of the veth; the server's capture then gets a
# deliberate clock error (editcap -t).  `tapline correlate` of the
# client's capture and records and the server's capture must find that
# error from the calls and replies both captures saw (NTP's formula per
# pair, the median), within 1 ms, and show each call on both sides.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
need_lab
for tool in sqlite3 tcpdump editcap ip; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
"$TAPLINE" record --help >/dev/null 2>&1 || skip_all "tapline record not built"
mountpoint -q /sys/kernel/tracing ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
	skip_all "no tracefs (tapline record needs it)"
CLIENT=${GFAPI_CLIENT:-$top_builddir/tests/lab/gfapi-client}
[ -x "$CLIENT" ] || CLIENT=$top_srcdir/tests/lab/work/bin/gfapi-client
[ -x "$CLIENT" ] || skip_all "no gfapi-client built"

LAB=$top_srcdir/tests/lab/lab.sh
export LAB_NAME="tl2h$$"
export LAB_DIR="$TMP/lab"
NS=$LAB_NAME
CNS=$LAB_NAME-c
SERVER=192.0.2.1	# lab.sh remote-up: the lab's end of the veth
# The server's clock is 250 ms ahead of the client's.
SHIFT_NS=250000000
out=$TMP/out
mkdir -p "$out"
q() { sqlite3 -batch -noheader "$1" "$2"; }
give_up() { not_ok "$*"; done_testing; exit 1; }
down() {
	"$LAB" remote-down >/dev/null 2>&1 || true
	"$LAB" down >/dev/null 2>&1 || true
}
at_exit down
"$LAB" up >"$TMP/lab-up.log" 2>&1 || {
	sed 's/^/# /' "$TMP/lab-up.log" | tail -20
	skip_all "the lab did not come up"
}
"$LAB" remote-up >"$TMP/remote-up.log" 2>&1 ||
	give_up "the client host's namespace: $(tail -3 "$TMP/remote-up.log")"
mkdir -p "$LAB_DIR/bricks/far-b1"
"$LAB" gl volume create far "$SERVER:$LAB_DIR/bricks/far-b1" force >/dev/null &&
	"$LAB" gl volume start far >/dev/null ||
	give_up "volume far on $SERVER did not start"
i=0
until "$LAB" gl volume status far --xml 2>/dev/null | grep -q '<port>[1-9]'; do
	i=$((i + 1))
	[ $i -lt 100 ] || give_up "volume far did not come online"
	sleep 0.2
done

# capture NS IFACE FILE: tcpdump in that namespace until stop_captures.
capture_pids=""
capture() {
	ip netns exec "$1" tcpdump -i "$2" -s 0 -U -Z root -w "$3" \
		'tcp and (port 24007 or portrange 49152-49171)' 2>"$3.err" &
	capture_pids="$capture_pids $!"
	i=0
	until grep -q listening "$3.err" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
	done
}
capture "$CNS" v1 "$out/client.pcap"
capture "$NS" v0 "$out/server.pcap"
ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
ip netns exec "$CNS" "$TAPLINE" record -q -o "$out/client.rec" -- \
	"$CLIENT" --gf-log "$TMP/client.gfapi.log" --server "$SERVER" \
	--volume far --path /far.txt >"$out/client.log" 2>"$TMP/record.err" || true
sleep 0.5
# shellcheck disable=SC2086
kill -INT $capture_pids 2>/dev/null || true
wait
grep -q 'call=glfs_utimens .*ret=0' "$out/client.log" ||
	give_up "the client did not run: $(tail -3 "$out/client.log" "$TMP/record.err")"

# The server's clock error, applied to its capture.
editcap -t "0.$(printf '%09d' $SHIFT_NS)" "$out/server.pcap" "$out/server-ahead.pcap"

db=$out/two.db
check "correlate the client's capture and records with the server's capture" \
	"$TAPLINE" correlate -o "$db" "$out/client.pcap" "$out/client.rec" \
	"$out/server-ahead.pcap"
# clock_offsets: add to input's times to get reference's.  The client's
# capture is input 1, the server's input 3.
row=$(q "$db" "SELECT i.file, r.file, o.offset_ns, o.samples, o.spread_ns
	FROM clock_offsets o JOIN inputs i ON i.id = o.input
	JOIN inputs r ON r.id = o.reference")
diag "clock_offsets: $row"
IFS='|' read -r input reference offset samples spread <<EOF
$row
EOF
case $input/$reference in
*server-ahead.pcap/*client.pcap) error=$((offset + SHIFT_NS)) ;;
*client.pcap/*server-ahead.pcap) error=$((offset - SHIFT_NS)) ;;
*) error=unknown ;;
esac
[ "$error" != unknown ] && [ "${error#-}" -le 1000000 ] && [ "$samples" -ge 5 ] &&
	ok "the server's clock error of $((SHIFT_NS / 1000000)) ms found from $samples call/reply pairs: off by $error ns (spread $spread ns)" ||
	not_ok "clock offset '$row', want -+$SHIFT_NS within 1 ms"

# One request on both sides: each SETATTR call of glfs_utimens is in both
# captures (same endpoints and XID), the server's copy later by the clock
# error plus the transit over the veth.
both=$(q "$db" "SELECT count(*), sum(sides = 2 AND apart - $SHIFT_NS BETWEEN 0 AND 1000000),
	max(apart - $SHIFT_NS) FROM (SELECT count(DISTINCT input) AS sides,
	max(ts_ns) - min(ts_ns) AS apart FROM rpc_messages
	WHERE msg_type = 'call' AND proc_name = 'SETATTR' GROUP BY xid, src, dst)")
IFS='|' read -r calls seen transit <<EOF
$both
EOF
[ "$calls" -ge 1 ] && [ "$seen" = "$calls" ] &&
	ok "each of the $calls SETATTR calls is on both sides, at most $transit ns apart once the clock error is taken out" ||
	not_ok "SETATTR calls on both sides: '$both'"
linked=$(q "$db" "SELECT count(*) FROM links l JOIN probe_events e ON e.id = l.event
	JOIN rpc_messages m ON m.id = l.message
	WHERE e.probe = 'gfapi.utimens' AND m.proc_name = 'SETATTR'")
[ "$linked" -ge 1 ] && ok "glfs_utimens is linked to its SETATTR ($linked links)" ||
	not_ok "glfs_utimens: $linked SETATTR links"
done_testing
