#!/bin/sh
# lab-smoke.sh - the lab end to end: bring a real GlusterFS up in a private
# namespace, run the gfapi-utimens scenario under tcpdump, check the
# client's own log and the capture (tshark as the independent oracle), tear
# down, and check that the host is left clean.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/setup.sh"
need_lab

[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces, glusterd)"
unshare --net true 2>/dev/null ||
	skip_all "cannot create network namespaces here (needs CAP_SYS_ADMIN)"
for tool in glusterd gluster tcpdump tshark nsenter unshare ip; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
client="$top_builddir/tests/lab/gfapi-client"
[ -x "$client" ] || skip_all "no $client (configure found no glusterfs-api)"

lab="$top_srcdir/tests/lab/lab.sh"
export LAB_NAME="tlsmoke$$" LAB_DIR="$TMP/lab" GFAPI_CLIENT="$client"
ls -A /var/lib/glusterd >"$TMP/varlib.before" 2>/dev/null || true
lab_down() { "$lab" down >/dev/null 2>&1; }
at_exit lab_down

check "lab.sh up" "$lab" up
pids=$(ip netns pids "$LAB_NAME" 2>/dev/null || true)
if echo "$pids" | grep -q . &&
   for p in $pids; do cat "/proc/$p/comm"; done | grep -qx glusterd; then
	ok "glusterd runs inside namespace $LAB_NAME"
else
	not_ok "glusterd runs inside namespace $LAB_NAME"
fi

pcap="$TMP/utimens.pcap"
clog="$TMP/utimens.client.log"
check "lab.sh run gfapi-utimens" "$lab" run gfapi-utimens --capture "$pcap"

# 1. The client's own log: utimens with atime -1 succeeded and stat shows it.
check "client log: glfs_init succeeded" \
	grep -q 'call=glfs_init returned=yes ret=0 ' "$clog"
check "client log: glfs_utimens atime=-1 returned 0" \
	grep -q 'call=glfs_utimens .*atime=-1\.000000000 mtime=1700000002\.500000000 ret=0 ' "$clog"
check "client log: glfs_stat returned atime -1" \
	grep -q 'call=glfs_stat .*atime=-1\.000000000 .*ret=0 ' "$clog"
check "client log: glfs_fini returned 0" grep -q 'call=glfs_fini .*ret=0 ' "$clog"

# 2. tshark: GlusterFS FOP program 1298437, SETATTR is procedure 38.
tshark -r "$pcap" -Y 'rpc.program == 1298437 && rpc.procedure == 38' \
	-T fields -e frame.number -e rpc.msgtyp -e gluster.op_ret \
	-e glusterfs.iax_atime 2>/dev/null >"$TMP/setattr" || true
calls=$(awk '$2 == 0' "$TMP/setattr" | wc -l)
replies=$(awk '$2 == 1 && $3 == 0' "$TMP/setattr" | wc -l)
[ "$calls" -eq 2 ] && ok "tshark: 2 SETATTR calls" ||
	not_ok "tshark: 2 SETATTR calls (saw $calls)"
[ "$replies" -eq 2 ] && ok "tshark: 2 SETATTR replies with op_ret 0" ||
	not_ok "tshark: 2 SETATTR replies with op_ret 0 (saw $replies)"
# The second reply's post-op iatt: atime -1, which tshark prints unsigned.
check "tshark: second SETATTR reply has post-op atime -1 (2^64-1)" \
	sh -c "awk '\$2 == 1' '$TMP/setattr' | tail -1 | grep -q ',18446744073709551615\$'"
# tshark flags every v400 call [Malformed] (it misreads the 4.x credential)
# and shows no body: check the raw bytes of the second call instead, where
# XDR puts ia_atime (hyper -1) right before ia_mtime (1700000002).
second=$(awk '$2 == 0 {f = $1} END {print f}' "$TMP/setattr")
check "wire: second SETATTR call carries atime -1 then mtime 1700000002" \
	sh -c "tshark -r '$pcap' -Y 'frame.number == ${second:-0}' -T fields -e tcp.payload 2>/dev/null |
		grep -q ffffffffffffffff000000006553f102"

# 3. Teardown leaves nothing behind.
check "lab.sh down" "$lab" down
if ip netns list | grep -q "^$LAB_NAME\\b"; then
	not_ok "namespace $LAB_NAME deleted"
else
	ok "namespace $LAB_NAME deleted"
fi
alive=""
for p in $pids; do
	state=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null || true)
	[ -n "$state" ] && [ "$state" != Z ] && alive="$alive $p"
done
[ -z "$alive" ] && ok "no process of the lab left" ||
	not_ok "no process of the lab left (alive:$alive)"
ls -A /var/lib/glusterd >"$TMP/varlib.after" 2>/dev/null || true
check "/var/lib/glusterd unchanged" cmp "$TMP/varlib.before" "$TMP/varlib.after"
done_testing
