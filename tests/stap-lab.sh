#!/bin/sh
# tests/stap-lab.sh - the stp/ scripts run for real (stap --runtime=bpf)
# against the lab's GlusterFS and libgfapi client, and what they record is
# checked against independent sources:
#   - the client's own log (tests/lab/gfapi-client.c: every call with its
#     arguments, result and [start,end] realtime window),
#   - tshark's decoding of a capture of the same run (RPC XIDs),
#   - `lab.sh status` (the brick port) and the client's GlusterFS log
#     ("Authentication failed").
# Brings its own lab up and down (LAB_NAME=stap<PID>); SKIPs only when the
# lab cannot run here.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
need_lab
. "$top_srcdir/tests/stap-lib.sh"

LAB=$top_srcdir/tests/lab/lab.sh
[ -x "$LAB" ] || [ -f "$LAB" ] || skip_all "no tests/lab/lab.sh"
command -v glusterd >/dev/null 2>&1 || skip_all "glusterd not installed (glusterfs-server)"
pkg-config --exists glusterfs-api 2>/dev/null || skip_all "no glusterfs-api (libglusterfs-dev)"
mountpoint -q /sys/kernel/tracing 2>/dev/null ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
mountpoint -q /sys/kernel/debug 2>/dev/null ||
	mount -t debugfs nodev /sys/kernel/debug 2>/dev/null || true
[ -e /sys/kernel/debug/tracing/uprobe_events ] ||
	skip_all "no /sys/kernel/debug/tracing/uprobe_events: stapbpf cannot set uprobes"

# The lab's client: make check builds it; else build it here.
CLIENT=$top_builddir/tests/lab/gfapi-client
if [ ! -x "$CLIENT" ]; then
	CLIENT=$TMP/gfapi-client
	# shellcheck disable=SC2046
	${CC:-cc} -std=gnu11 -D_GNU_SOURCE -O1 -o "$CLIENT" \
		"$top_srcdir/tests/lab/gfapi-client.c" \
		$(pkg-config --cflags --libs glusterfs-api) -lpthread ||
		skip_all "cannot build tests/lab/gfapi-client.c"
fi

LAB_NAME=stap$$
LAB_DIR=$TMP/lab
export LAB_NAME LAB_DIR
lab_down() { sh "$LAB" down >"$TMP/lab-down.log" 2>&1 || true; }
stap_pids=""
# stop_all: SIGINT to each session's stapbpf (stap does not always pass
# its own SIGINT on, and a second one can cut the end probe's output),
# then to stap, then SIGTERM after 15 s, then SIGKILL.
stop_all() {
	for p in $stap_pids; do
		for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do
			kill -INT "$c" 2>/dev/null || true
		done
	done
	for p in $stap_pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 30 ]; do
			sleep 0.5; i=$((i + 1))
			# (it may be gone by now: under set -e a failed kill
			# here ended the whole test without a plan)
			if [ $i = 10 ]; then kill -INT "$p" 2>/dev/null || true; fi
		done
		if kill -0 "$p" 2>/dev/null; then
			for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do
				kill -TERM "$c" 2>/dev/null || true
			done
			kill -TERM "$p" 2>/dev/null || true
			# and KILL 5 s later: wait must not wait for ever
			i=0
			while kill -0 "$p" 2>/dev/null && [ $i -lt 10 ]; do
				sleep 0.5; i=$((i + 1))
			done
			for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do
				kill -KILL "$c" 2>/dev/null || true
			done
			kill -KILL "$p" 2>/dev/null || true
		fi
		wait "$p" 2>/dev/null || true
	done
	stap_pids=""
}
# stapbpf leaves its uprobe events (uprobes/stapprobe_PID_N) behind when it
# is killed; those of dead stapbpf processes can serve no one: remove them.
drop_dead_stapprobes() {
	ev=/sys/kernel/tracing/uprobe_events
	[ -w "$ev" ] || ev=/sys/kernel/debug/tracing/uprobe_events
	[ -w "$ev" ] || return 0
	# Read the list whole first: removing entries while reading the file
	# makes the kernel's listing skip some.
	list=$(sed -n 's/^[pr]:\(uprobes\/stapprobe_\([0-9]*\)_[0-9]*\) .*/\2 \1/p' "$ev")
	echo "$list" | while read -r pid name; do
		[ -n "$pid" ] || continue
		kill -0 "$pid" 2>/dev/null || echo "-:$name" >>"$ev" 2>/dev/null || true
	done
}
at_exit drop_dead_stapprobes
at_exit lab_down
at_exit stop_all
if ! sh "$LAB" up >"$TMP/lab-up.log" 2>&1; then
	sed 's/^/# /' "$TMP/lab-up.log" | tail -5
	skip_all "the GlusterFS lab does not come up here (see above)"
fi
ok "lab $LAB_NAME is up"

# start_stap NAME: run stp/NAME.stp under the BPF runtime into $TMP/NAME.rec.
# (exec: $! is then stap itself)
start_stap() {
	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	(exec env LD_PRELOAD="$SHIM" "$STAP" -r "$KBUILD" -I "$TAPSETS" --runtime=bpf \
		"$STP/$1.stp" host-stap-lab "$boot_id" >"$TMP/$1.rec" 2>"$TMP/$1.err") &
	stap_pids="$stap_pids $!"
}
# wait_header NAME...: until each .rec has its header line (uprobes are
# attached when stapbpf runs the begin probe), at most 60 s.
wait_header() {
	for n in "$@"; do
		i=0
		until grep -Eq '^(tapline-records 1 |# gfapi-latency.stp: tracing)' "$TMP/$n.rec" 2>/dev/null; do
			i=$((i + 1))
			if [ $i -gt 120 ]; then
				sed 's/^/#   /' "$TMP/$n.err" | grep -v debuginfo | head -20
				return 1
			fi
			sleep 0.5
		done
	done
	sleep 1
}

scripts="gfapi-utimens gfapi-trace rpc-xid handshake gfapi-latency"
for s in $scripts; do start_stap "$s"; done
if ! wait_header gfapi-utimens gfapi-trace rpc-xid handshake gfapi-latency; then
	not_ok "stapbpf sessions started"
	done_testing
fi
ok "5 stap --runtime=bpf sessions started"

# A capture of the run, for tshark (tcpdump's pid via exec).
have_tshark=0
command -v tshark >/dev/null 2>&1 && have_tshark=1
sh "$LAB" exec sh -c 'echo $$ >"$0"; exec tcpdump -i lo -s 0 -U -w "$1" \
	"tcp and (port 24007 or portrange 49152-49171)" 2>/dev/null' \
	"$TMP/tcpdump.pid" "$TMP/run.pcap" &
sleep 1

sh "$LAB" exec "$CLIENT" --server 127.0.0.2 --volume single \
	--path /stap-lab.txt >"$TMP/client.log" 2>"$TMP/client.err" && st=0 || st=$?
check "the lab client ran (exit $st)" test "$st" = 0
kill -INT "$(cat "$TMP/tcpdump.pid")" 2>/dev/null || true
sleep 1
stop_all

cpid=$(sed -n 's/.* pid=\([0-9]*\) .*call=glfs_new .*/\1/p' "$TMP/client.log" | head -1)
check "the client logged its pid" test -n "$cpid"
diag "client pid $cpid"

for s in gfapi-utimens gfapi-trace rpc-xid handshake; do
	check "stp/$s.stp output parses as records" \
		sh -c "awk -f '$top_srcdir/tests/stap-records.awk' '$TMP/$s.rec' >'$TMP/$s.tsv'"
done

# --- gfapi-utimens: the atime -1 case against the client's own log.
# client: start=NS end=NS pid=N tid=N call=glfs_utimens path=P atime=S.N mtime=S.N ret=R ...
grep ' call=glfs_utimens ' "$TMP/client.log" >"$TMP/client-utimens" || true
check "the client logged two glfs_utimens calls" test "$(wc -l <"$TMP/client-utimens")" = 2
# field N of a tab-separated record line by key
awk -F'\t' -v pid="$cpid" '$2 == pid && $5 == "gfapi.utimens"' \
	"$TMP/gfapi-utimens.tsv" >"$TMP/rec-utimens"
check "gfapi-utimens.stp: 2 entries and 2 returns of gfapi.utimens from the client" \
	test "$(grep -c '	entry	' "$TMP/rec-utimens")" = 2 -a \
	     "$(grep -c '	return	' "$TMP/rec-utimens")" = 2
# Each client call <-> the n-th entry: path, times, ts inside [start,end].
n=0
while read -r line; do
	n=$((n + 1))
	start=$(printf '%s\n' "$line" | sed 's/^start=\([0-9]*\) .*/\1/')
	end=$(printf '%s\n' "$line" | sed 's/.* end=\([0-9]*\) .*/\1/')
	path=$(printf '%s\n' "$line" | sed 's/.* path=\([^ ]*\) .*/\1/')
	atime=$(printf '%s\n' "$line" | sed 's/.* atime=\([^ ]*\) .*/\1/')
	mtime=$(printf '%s\n' "$line" | sed 's/.* mtime=\([^ ]*\) .*/\1/')
	ret=$(printf '%s\n' "$line" | sed 's/.* ret=\([^ ]*\) .*/\1/')
	entry=$(grep '	entry	' "$TMP/rec-utimens" | sed -n "${n}p")
	rline=$(grep '	return	' "$TMP/rec-utimens" | sed -n "${n}p")
	want="path=$path	times=0x[0-9a-f]*	atime_sec=${atime%.*}	atime_nsec=$(echo "${atime#*.}" | sed 's/^0*\([0-9]\)/\1/')	mtime_sec=${mtime%.*}	mtime_nsec=$(echo "${mtime#*.}" | sed 's/^0*\([0-9]\)/\1/')"
	check "utimens #$n: record fields = client log ($path atime=$atime mtime=$mtime)" \
		sh -c "printf '%s\n' '$entry' | grep -q '	$want\$'"
	ts=$(printf '%s\n' "$entry" | cut -f1)
	check "utimens #$n: entry timestamp inside the client's [start,end]" \
		test "$ts" -ge "$start" -a "$ts" -le "$end"
	check "utimens #$n: ret=$ret as the client saw" \
		sh -c "printf '%s\n' '$rline' | grep -q '	ret=$ret\$'"
done <"$TMP/client-utimens"
check "the atime -1 case: atime_sec=-1 recorded for /stap-lab.txt" \
	grep -q "	path=/stap-lab.txt	.*atime_sec=-1	atime_nsec=0	" "$TMP/rec-utimens"

# --- gfapi-trace: every call of the client log has its entry and return,
# with the same result (pointers: glfs_new's fs, glfs_creat's fd).
missing=""
grep -o ' call=glfs_[a-z_]* ' "$TMP/client.log" | sed 's/ call=glfs_//; s/ $//' |
	grep -v '^set_logging$' >"$TMP/calls"
for c in $(sort -u "$TMP/calls"); do
	want=$(grep -c "^$c\$" "$TMP/calls")
	got_e=$(awk -F'\t' -v pid="$cpid" -v p="gfapi.$c" '$2 == pid && $5 == p && $6 == "entry"' "$TMP/gfapi-trace.tsv" | wc -l)
	got_r=$(awk -F'\t' -v pid="$cpid" -v p="gfapi.$c" '$2 == pid && $5 == p && $6 == "return"' "$TMP/gfapi-trace.tsv" | wc -l)
	[ "$got_e" -ge "$want" ] && [ "$got_r" -ge "$want" ] || missing="$missing $c($want:$got_e/$got_r)"
done
check "gfapi-trace.stp: every glfs_* call of the client log has entry and return records${missing:+ (missing:$missing)}" \
	test -z "$missing"
fs=$(sed -n 's/.*call=glfs_new .* fs=\(0x[0-9a-f]*\) .*/\1/p' "$TMP/client.log")
check "gfapi-trace.stp: gfapi.new ret = the client's fs ($fs)" \
	grep -q "	gfapi.new	return	ret=$fs\$" "$TMP/gfapi-trace.tsv"
fd=$(sed -n 's/.*call=glfs_creat .* fd=\(0x[0-9a-f]*\) .*/\1/p' "$TMP/client.log")
check "gfapi-trace.stp: gfapi.creat ret = the client's fd ($fd), and gfapi.write uses it" \
	sh -c "grep -q '	gfapi.creat	return	ret=$fd\$' '$TMP/gfapi-trace.tsv' &&
	       grep -q '	gfapi.write	entry	fd=$fd	size=' '$TMP/gfapi-trace.tsv'"
wsize=$(sed -n 's/.*call=glfs_write .* size=\([0-9]*\) .*/\1/p' "$TMP/client.log")
check "gfapi-trace.stp: gfapi.write size and ret = the client's ($wsize)" \
	sh -c "grep -q '	gfapi.write	entry	fd=$fd	size=$wsize	' '$TMP/gfapi-trace.tsv' &&
	       grep -q '	gfapi.write	return	ret=$wsize\$' '$TMP/gfapi-trace.tsv'"

# --- gfapi-latency: one line per call, utimens counted twice.
# (it counts every process on the machine: at least the client's two)
check "gfapi-latency.stp: a gfapi.utimens line counting >= 2 calls" \
	awk '/^gfapi.utimens: count=/ { split($2, c, "="); if (c[2] >= 2) f = 1 } END { exit !f }' "$TMP/gfapi-latency.rec"

# --- rpc-xid: the client's calls = the calls tshark decodes, one for one.
awk -F'\t' -v pid="$cpid" '$2 == pid && $5 == "rpc.call" {
	for (i = 7; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	print v["xid"], v["prog"], v["vers"], v["proc"] }' "$TMP/rpc-xid.tsv" |
	sort >"$TMP/rec-xids"
check "rpc-xid.stp: the client's rpc.call records ($(wc -l <"$TMP/rec-xids"))" \
	test -s "$TMP/rec-xids"
if [ "$have_tshark" = 1 ] && [ -s "$TMP/run.pcap" ]; then
	tshark -r "$TMP/run.pcap" -Y 'rpc.msgtyp == 0' -T fields -E separator=' ' \
		-e rpc.xid -e rpc.program -e rpc.programversion -e rpc.procedure \
		2>/dev/null | while read -r x p v c; do
			printf '%d %s %s %s\n' "$x" "${p%%,*}" "${v%%,*}" "${c%%,*}"
		done | sort >"$TMP/wire-xids"
	check "rpc-xid.stp: (xid, prog, vers, proc) = tshark's calls of the capture ($(wc -l <"$TMP/wire-xids"))" \
		cmp "$TMP/rec-xids" "$TMP/wire-xids"
	awk -F'\t' -v pid="$cpid" '$2 == pid && $5 == "rpc.reply" { split($7, kv, "="); print kv[2] }' \
		"$TMP/rpc-xid.tsv" | sort >"$TMP/rec-rxids"
	tshark -r "$TMP/run.pcap" -Y 'rpc.msgtyp == 1' -T fields -e rpc.xid 2>/dev/null |
		while read -r x; do printf '%d\n' "$x"; done | sort >"$TMP/wire-rxids"
	check "rpc-xid.stp: rpc.reply XIDs = tshark's replies" cmp "$TMP/rec-rxids" "$TMP/wire-rxids"
else
	skip "tshark or the capture is missing: XIDs not compared with the wire"
	skip "tshark or the capture is missing: reply XIDs not compared"
fi

# --- handshake: a good mount.
port=$(sh "$LAB" status 2>/dev/null | sed -n 's/^volume single .*ports:\([0-9]*\).*/\1/p' | head -1)
check "handshake.stp: gluster.portmap_rsp port = the brick port lab.sh status shows ($port)" \
	grep -q "	gluster.portmap_rsp	event	op_ret=0	op_errno=0	status=0	port=$port\$" "$TMP/handshake.tsv"
check "handshake.stp: gluster.setvolume_rsp op_ret=0 for the client" \
	awk -F'\t' -v pid="$cpid" '$2 == pid && $5 == "gluster.setvolume_rsp" && $7 == "op_ret=0" { f = 1 } END { exit !f }' "$TMP/handshake.tsv"
check "handshake.stp: gluster.getspec_rsp op_ret > 0 (the volfile's size)" \
	awk -F'\t' -v pid="$cpid" '$2 == pid && $5 == "gluster.getspec_rsp" { split($7, kv, "="); if (kv[2] > 0) f = 1 } END { exit !f }' "$TMP/handshake.tsv"

# --- handshake: the auth-failure scenario (SETVOLUME refused, errno 13).
mv "$TMP/handshake.rec" "$TMP/handshake-ok.rec"
start_stap handshake
if wait_header handshake; then
	GFAPI_CLIENT=$CLIENT sh "$LAB" run auth-failure --capture "$TMP/auth.pcap" \
		>"$TMP/auth.log" 2>&1 || true
	sleep 1
	stop_all
	apid=$(sed -n 's/.* pid=\([0-9]*\) .*call=glfs_new .*/\1/p' "$TMP/auth.client.log" | head -1)
	check "auth-failure: the client logged that glfs_init never returned" \
		grep -q 'call=glfs_init .*returned=no' "$TMP/auth.client.log"
	check "auth-failure: its GlusterFS log says Authentication failed" \
		grep -q 'Authentication failed' "$LAB_DIR/log/auth-failure.gfapi.log"
	check "auth-failure: handshake.stp output parses as records" \
		sh -c "awk -f '$top_srcdir/tests/stap-records.awk' '$TMP/handshake.rec' >'$TMP/auth.tsv'"
	check "auth-failure: gluster.setvolume_rsp op_ret=-1 op_errno=13 from the client (pid $apid)" \
		awk -F'\t' -v pid="$apid" '$2 == pid && $5 == "gluster.setvolume_rsp" && $7 == "op_ret=-1" && $8 == "op_errno=13" { f = 1 } END { exit !f }' "$TMP/auth.tsv"
else
	not_ok "handshake.stp restarted for the auth-failure scenario"
fi
# --- samba-gluster: smbd's libgfapi calls for an SMB client (lab scenario
# "samba": smbclient sets only the write time, 2023-11-14 22:13:20 UTC).
if command -v smbd >/dev/null 2>&1 && command -v smbclient >/dev/null 2>&1 &&
   [ -f /usr/lib/x86_64-linux-gnu/samba/vfs/glusterfs.so ] &&
   grep -q '^scenario_samba()' "$LAB"; then
	start_stap samba-gluster
	if wait_header samba-gluster; then
		sh "$LAB" run samba --capture "$TMP/samba.pcap" >"$TMP/samba.log" 2>&1 && st=0 || st=$?
		stop_all
		check "samba: the lab's smbclient session ran (exit $st)" test "$st" = 0
		check "samba: samba-gluster.stp output parses as records" \
			sh -c "awk -f '$top_srcdir/tests/stap-records.awk' '$TMP/samba-gluster.rec' >'$TMP/samba.tsv'"
		# smbclient's own view after `utimes`: the second allinfo block.
		wt=$(grep 'write_time:' "$TMP/samba.client.log" | tail -1 | sed 's/.*write_time: *//')
		at=$(grep 'access_time:' "$TMP/samba.client.log" | tail -1 | sed 's/.*access_time: *//')
		wt_s=$(date -u -d "$wt" +%s 2>/dev/null || echo none)
		at_s=$(date -u -d "$at" +%s 2>/dev/null || echo none)
		diag "smbclient: write_time $wt ($wt_s), access_time $at ($at_s)"
		check "samba: smbclient saw the write time it set (2023-11-14 22:13:20 = 1700000000)" \
			test "$wt_s" = 1700000000
		awk -F'\t' '$4 ~ /^smbd/ && ($5 == "gfapi.utimens" || $5 == "gfapi.futimens") && $6 == "entry"' \
			"$TMP/samba.tsv" >"$TMP/smbd-times"
		check "samba: smbd's glfs_utimens/futimens carries mtime_sec=$wt_s (smbclient's write_time)" \
			grep -q "	mtime_sec=$wt_s	mtime_nsec=0" "$TMP/smbd-times"
		check "samba: and atime_sec=$at_s, smbclient's access time (Samba 4.17 fills an omitted atime in, no -1)" \
			grep -q "	atime_sec=$at_s	.*mtime_sec=$wt_s	" "$TMP/smbd-times"
	else
		not_ok "samba-gluster.stp started"
	fi
else
	skip "samba: smbd, smbclient, samba-vfs-modules or the lab's samba scenario missing"
fi
done_testing
