#!/bin/sh
# tests/stap-lab.sh - the stp/ scripts run for real (stap --runtime=bpf,
# through scripts/tapline-stap) against the lab's GlusterFS and libgfapi
# client on a busy host, and what they record is checked against
# independent sources:
#   - the client's own log (tests/lab/gfapi-client.c: every call with its
#     arguments, result and [start,end] realtime window),
#   - tshark's decoding of a capture of the same run (RPC XIDs),
#   - `lab.sh status` (the brick port) and the client's GlusterFS log
#     ("Authentication failed"),
#   - the kernel's uprobe hit counts (uprobe_profile) and ss(8).
# The busy host: two other libgfapi processes run all along
# (tests/lab/gfapi-busy.c): a flood of probe hits without a volume (28,000
# to 36,000 calls/s measured), and a real session on the lab's volume
# "dist" (about 5,000 calls/s).  Uprobes fire in them too.  At the flood's
# pace, stapbpf made to print every process's calls wrote 94,775 lines of
# the flood in 10 s among its target's and slowed it 18-fold
# (bench/stap-flood.sh BUILDDIR 10 20); unpaced (7-9 M calls/s, a
# processor kept busy in uprobe traps alone) it loses perf events and
# aborts, and even a session that filters loses some of its own target's
# on a 2-processor machine (bench/stap-flood.sh measures that case,
# tapline-stap(1) tells it).  Each client is held (a shell that writes its
# pid and waits on a FIFO, then execs the client) until its pid is known,
# the scripts run with -x PID (they filter on target()), and the client
# is released only once every session runs and its uprobes fire.  Each session must then write the client's
# records only, lose no perf event and end normally.  samba-gluster.stp,
# which keeps smbd's calls by comm, runs last, once the busy host has
# stopped (see there why), and once more if stapbpf lost events the first
# time.
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
PROFILE=/sys/kernel/tracing/uprobe_profile
[ -r "$PROFILE" ] || PROFILE=/sys/kernel/debug/tracing/uprobe_profile
[ -r "$PROFILE" ] || skip_all "no uprobe_profile: cannot see whether probes fire"

# The lab's client and the busy process: make check builds them; else here.
CLIENT=$top_builddir/tests/lab/gfapi-client
if [ ! -x "$CLIENT" ]; then
	CLIENT=$TMP/gfapi-client
	# shellcheck disable=SC2046
	${CC:-cc} -std=gnu11 -D_GNU_SOURCE -O1 -o "$CLIENT" \
		"$top_srcdir/tests/lab/gfapi-client.c" \
		$(pkg-config --cflags --libs glusterfs-api) -lpthread ||
		skip_all "cannot build tests/lab/gfapi-client.c"
fi
BUSY=$top_builddir/tests/lab/gfapi-busy
if [ ! -x "$BUSY" ]; then
	BUSY=$TMP/gfapi-busy
	# shellcheck disable=SC2046
	${CC:-cc} -std=gnu11 -D_GNU_SOURCE -O1 -o "$BUSY" \
		"$top_srcdir/tests/lab/gfapi-busy.c" \
		$(pkg-config --cflags --libs glusterfs-api libtirpc) -lpthread ||
		skip_all "cannot build tests/lab/gfapi-busy.c (libtirpc-dev)"
fi

LAB_NAME=stap$$
LAB_DIR=$TMP/lab
export LAB_NAME LAB_DIR
lab_down() { sh "$LAB" down >"$TMP/lab-down.log" 2>&1 || true; }
sessions=""	# the stp/ scripts running, by name: stap's pid in $TMP/NAME.stap
# stop_all: SIGINT to each session's stapbpf (stap does not always pass
# its own SIGINT on, and a second one can cut the end probe's output),
# then to stap 5 s later; SIGTERM to what still runs 180 s after the first
# SIGINT, SIGKILL 5 s after that.  stapbpf removes its uprobes one by one
# as it stops, about 0.1 s each (a synchronize_rcu() in the kernel, more on
# a loaded machine), so gfapi-trace.stp alone takes 15 s.  stap's exit
# status goes to $TMP/NAME.status.  Then waits for stap's other child,
# tapline-stap's filter of its standard error, to write its last lines.
stop_all() {
	children=""
	stop_began=$(date +%s)
	for n in $sessions; do
		for c in $(ps -o pid= --ppid "$(cat "$TMP/$n.stap")" 2>/dev/null); do
			children="$children $c"
			kill -INT "$c" 2>/dev/null || true
		done
	done
	for n in $sessions; do
		p=$(cat "$TMP/$n.stap")
		second_int=""
		while kill -0 "$p" 2>/dev/null &&
		      [ $(($(date +%s) - stop_began)) -lt 180 ]; do
			sleep 0.5
			# (it may be gone by now: under set -e a failed kill
			# here ended the whole test without a plan)
			if [ -z "$second_int" ] &&
			   [ $(($(date +%s) - stop_began)) -ge 5 ]; then
				kill -INT "$p" 2>/dev/null || true
				second_int=1
			fi
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
		wait "$p" 2>/dev/null && stap_st=0 || stap_st=$?
		echo "$stap_st" >"$TMP/$n.status"
	done
	diag "stap sessions$sessions: stopped in $(($(date +%s) - stop_began)) s"
	for c in $children; do
		i=0
		while kill -0 "$c" 2>/dev/null && [ $i -lt 20 ]; do
			sleep 0.5; i=$((i + 1))
		done
	done
	sessions=""
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
# busy_stop [NAME...]: SIGTERM to the busy processes (flood, session; by
# default both); each prints its call count.
busy_stop() {
	for b in ${*:-flood session}; do
		[ -s "$TMP/busy-$b.pid" ] || continue
		kill -TERM "$(cat "$TMP/busy-$b.pid")" 2>/dev/null || true
		wait "$(cat "$TMP/busy-$b.job")" 2>/dev/null || true
		rm -f "$TMP/busy-$b.pid"
	done
}
at_exit drop_dead_stapprobes
at_exit lab_down
at_exit stop_all
at_exit busy_stop
if ! sh "$LAB" up >"$TMP/lab-up.log" 2>&1; then
	sed 's/^/# /' "$TMP/lab-up.log" | tail -5
	skip_all "the GlusterFS lab does not come up here (see above)"
fi
ok "lab $LAB_NAME is up"

# --- the busy host -----------------------------------------------------------
(exec "$BUSY" --rounds 0 --pause-us 20 >"$TMP/busy-flood.out" 2>&1) &
echo $! >"$TMP/busy-flood.pid"
echo $! >"$TMP/busy-flood.job"
sh "$LAB" exec sh -c 'echo $$ >"$0"; exec "$@"' "$TMP/busy-session.pid" \
	"$BUSY" --server 127.0.0.2 --volume dist --threads 1 \
	--gf-log "$LAB_DIR/log/busy.gfapi.log" >"$TMP/busy-session.out" 2>&1 &
echo $! >"$TMP/busy-session.job"
i=0
until grep -q '^# gfapi-busy pid=[0-9]* ready' "$TMP/busy-session.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 120 ] && kill -0 "$!" 2>/dev/null || break
	sleep 0.5
done
check "the busy host: a libgfapi flood and a session on volume dist run" \
	sh -c "grep -q '^# gfapi-busy pid=[0-9]* ready' '$TMP/busy-flood.out' &&
	       grep -q '^# gfapi-busy pid=$(cat "$TMP/busy-session.pid" 2>/dev/null) ready' '$TMP/busy-session.out'"
# Its TCP connections (ss, inside the lab), left out of tshark's view of
# the capture: "LOCALPORT PEERPORT" lines.
sh "$LAB" exec ss -tnpH 2>/dev/null |
	awk -v p="pid=$(cat "$TMP/busy-session.pid" 2>/dev/null)," 'index($0, p) {
		n = split($4, l, ":"); m = split($5, r, ":"); print l[n], r[m] }' \
	>"$TMP/busy-conns"
check "the busy session's connections are known ($(wc -l <"$TMP/busy-conns"): glusterd, the bricks of dist)" \
	test "$(wc -l <"$TMP/busy-conns")" -ge 3

# --- a client held until its tracers are ready ------------------------------
# hold NAME: $TMP/NAME.held writes its pid to $TMP/NAME.pid, waits until
# `release NAME`, then execs the lab's client with its arguments (same pid).
hold() {
	mkfifo "$TMP/$1.go"
	printf '#!/bin/sh\necho $$ >"%s"\nread go <"%s"\nexec "%s" "$@"\n' \
		"$TMP/$1.pid" "$TMP/$1.go" "$CLIENT" >"$TMP/$1.held"
	chmod +x "$TMP/$1.held"
}
# held_pid NAME: the held program's pid, once written (at most 60 s).
held_pid() {
	i=0
	until [ -s "$TMP/$1.pid" ]; do
		i=$((i + 1))
		[ $i -le 120 ] || return 1
		sleep 0.5
	done
	cat "$TMP/$1.pid"
}
release() { timeout 10 sh -c 'echo go >"$1"' sh "$TMP/$1.go"; }

# --- stap sessions -------------------------------------------------------------
# start_stap NAME [STAP-OPTION...]: stp/NAME.stp through scripts/tapline-stap
# into $TMP/NAME.rec.  (exec: $! is stap itself)
start_stap() {
	name=$1; shift
	boot_id=$(cat /proc/sys/kernel/random/boot_id)
	(exec "$TAPLINE_STAP" "$@" "$STP/$name.stp" host-stap-lab "$boot_id" \
		>"$TMP/$name.rec" 2>"$TMP/$name.err") &
	echo $! >"$TMP/$name.stap"
	rm -f "$TMP/$name.status"
	sessions="$sessions $name"
}
stapbpf_pid() {
	ps -o pid=,comm= --ppid "$(cat "$TMP/$1.stap")" 2>/dev/null |
		awk '$2 == "stapbpf" { print $1 }'
}
# uprobe_hits STAPBPF_PID: how often that stapbpf's uprobes fired so far.
uprobe_hits() {
	awk -v p="stapprobe_$1_" 'index($2, p) == 1 { n += $3 } END { print n + 0 }' "$PROFILE"
}
# ready NAME...: each session's stap and stapbpf run, its first line is
# written, and its uprobes fire: their hit counts grow while gfapi-busy
# touches every script's entry points once (stapbpf runs the begin probe
# before it enables the probes).  At most 120 s.
ready() {
	for n in "$@"; do
		i=0
		while :; do
			i=$((i + 1))
			if [ $i -gt 240 ] || ! kill -0 "$(cat "$TMP/$n.stap")" 2>/dev/null; then
				diag "stp/$n.stp does not run or its probes do not fire:"
				grep -v debuginfo "$TMP/$n.err" | sed 's/^/#   /' | head -20
				return 1
			fi
			b=$(stapbpf_pid "$n")
			if [ -n "$b" ] && grep -Eq '^(tapline-records 1 |# gfapi-latency.stp: tracing)' \
				"$TMP/$n.rec" 2>/dev/null; then
				h=$(uprobe_hits "$b")
				"$BUSY" >/dev/null 2>&1 || true
				[ "$(uprobe_hits "$b")" -gt "$h" ] && break
			fi
			sleep 0.5
		done
	done
}
# alive NAME...: stap and its stapbpf still run.
alive() {
	for n in "$@"; do
		if ! kill -0 "$(cat "$TMP/$n.stap")" 2>/dev/null ||
		   [ -z "$(stapbpf_pid "$n")" ]; then
			echo "stp/$n.stp ended early:"
			grep -v debuginfo "$TMP/$n.err" | tail -5
			return 1
		fi
	done
}
# sound NAME: after stop_all: stapbpf lost no perf event and did not abort
# (stapbpf's own messages, tapline-stap's summary of the losses and its
# comment line in the records), and stap ended with status 0.
sound() {
	! grep -E 'lost [0-9]+ perf_events|exited with signal|bpfinterp|tapline-stap: (error: )?stapbpf lost' \
		"$TMP/$1.err" &&
	! grep '^# tapline-stap: lost' "$TMP/$1.rec" &&
		test "$(cat "$TMP/$1.status" 2>/dev/null)" = 0
}
# only_pid PID FILE: every record of FILE (.tsv) is of process PID.
only_pid() { awk -F'\t' -v pid="$1" '$2 != pid { print; bad = 1 } END { exit bad }' "$2"; }

# --- the client's run ------------------------------------------------------------
hold client
sh "$LAB" exec "$TMP/client.held" --server 127.0.0.2 --volume single \
	--path /stap-lab.txt >"$TMP/client.log" 2>"$TMP/client.err" &
client_job=$!
cpid=$(held_pid client) || cpid=""
check "the client is held before its first call (pid ${cpid:-none})" test -n "$cpid"
[ -n "$cpid" ] || done_testing

scripts="gfapi-utimens gfapi-trace rpc-xid handshake gfapi-latency"
for s in $scripts; do start_stap "$s" -x "$cpid"; done
# shellcheck disable=SC2086
if ! ready $scripts; then
	not_ok "5 stap --runtime=bpf sessions with -x $cpid run, their probes fire"
	done_testing
fi
ok "5 stap --runtime=bpf sessions with -x $cpid run, their probes fire"

# A capture of the run, for tshark (tcpdump's pid via exec).
have_tshark=0
command -v tshark >/dev/null 2>&1 && have_tshark=1
sh "$LAB" exec sh -c 'echo $$ >"$0"; exec tcpdump -i lo -s 0 -U -w "$1" \
	"tcp and (port 24007 or portrange 49152-49171)" 2>/dev/null' \
	"$TMP/tcpdump.pid" "$TMP/run.pcap" &
sleep 1

release client
wait "$client_job" && st=0 || st=$?
check "the lab client ran (exit $st)" test "$st" = 0
kill -INT "$(cat "$TMP/tcpdump.pid")" 2>/dev/null || true
sleep 1
# shellcheck disable=SC2086
check "the 5 sessions ran through the client's run on the busy host" alive $scripts
for s in $scripts; do
	b=$(stapbpf_pid "$s")
	echo "$s $(uprobe_hits "${b:-0}")"
done >"$TMP/hits"
stop_all
for s in $scripts; do
	check "stp/$s.stp: no perf event lost, stapbpf did not abort, stap exit 0" sound "$s"
done

check "the client logged the held pid ($cpid)" \
	grep -q " pid=$cpid .*call=glfs_new " "$TMP/client.log"

for s in gfapi-utimens gfapi-trace rpc-xid handshake; do
	check "stp/$s.stp output parses as records" \
		sh -c "awk -f '$top_srcdir/tests/stap-records.awk' '$TMP/$s.rec' >'$TMP/$s.tsv'"
	check "stp/$s.stp: only the client's records (pid $cpid), none of the busy processes" \
		only_pid "$cpid" "$TMP/$s.tsv"
done
# The busy processes' calls reached the probes and were filtered out.
hits=$(awk '$1 == "gfapi-trace" { print $2 }' "$TMP/hits")
nrec=$(wc -l <"$TMP/gfapi-trace.tsv")
diag "uprobe hits while tracing: $(tr '\n' ' ' <"$TMP/hits")"
check "gfapi-trace.stp: its probes fired $hits times for $nrec records (the other processes' calls)" \
	test "$hits" -gt $((nrec + 1000))

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
	# Within 10 ms of the client's [start,end]: stapbpf makes realtime
	# stamps from one offset it samples at start with two clock reads in
	# user space, off by as long as it was preempted between them (25 us
	# measured here on a busy host; docs/probes.md).
	ts=$(printf '%s\n' "$entry" | cut -f1)
	off=0
	[ "$ts" -ge "$start" ] || off=$((start - ts))
	[ "$ts" -le "$end" ] || off=$((ts - end))
	diag "utimens #$n: entry $off ns outside the client's [start,end]"
	check "utimens #$n: entry timestamp within 10 ms of the client's [start,end] ($off ns outside)" \
		test "$off" -le 10000000
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

# --- gfapi-latency: one line per call of the client only: utimens twice.
check "gfapi-latency.stp: gfapi.utimens counted 2 times, the client's calls only" \
	awk '/^gfapi.utimens: count=/ { split($2, c, "="); if (c[2] == 2) f = 1 } END { exit !f }' "$TMP/gfapi-latency.rec"

# --- rpc-xid: the client's calls = the calls tshark decodes, one for one.
awk -F'\t' -v pid="$cpid" '$2 == pid && $5 == "rpc.call" {
	for (i = 7; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	print v["xid"], v["prog"], v["vers"], v["proc"] }' "$TMP/rpc-xid.tsv" |
	sort >"$TMP/rec-xids"
check "rpc-xid.stp: the client's rpc.call records ($(wc -l <"$TMP/rec-xids"))" \
	test -s "$TMP/rec-xids"
if [ "$have_tshark" = 1 ] && [ -s "$TMP/run.pcap" ]; then
	# Not the busy session's connections (ss saw them).
	others=$(awk '{ printf " && !(tcp.port == %s && tcp.port == %s)", $1, $2 }' "$TMP/busy-conns")
	tshark -r "$TMP/run.pcap" -Y "rpc.msgtyp == 0$others" -T fields -E separator=' ' \
		-e rpc.xid -e rpc.program -e rpc.programversion -e rpc.procedure \
		2>/dev/null | while read -r x p v c; do
			printf '%d %s %s %s\n' "$x" "${p%%,*}" "${v%%,*}" "${c%%,*}"
		done | sort >"$TMP/wire-xids"
	check "rpc-xid.stp: (xid, prog, vers, proc) = tshark's calls of the client's connections ($(wc -l <"$TMP/wire-xids"))" \
		cmp "$TMP/rec-xids" "$TMP/wire-xids"
	awk -F'\t' -v pid="$cpid" '$2 == pid && $5 == "rpc.reply" { split($7, kv, "="); print kv[2] }' \
		"$TMP/rpc-xid.tsv" | sort >"$TMP/rec-rxids"
	tshark -r "$TMP/run.pcap" -Y "rpc.msgtyp == 1$others" -T fields -e rpc.xid 2>/dev/null |
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

# --- handshake: the auth-failure scenario (SETVOLUME refused, errno 13),
# its client held the same way (lab.sh runs GFAPI_CLIENT).
mv "$TMP/handshake.rec" "$TMP/handshake-ok.rec"
hold auth
GFAPI_CLIENT=$TMP/auth.held sh "$LAB" run auth-failure --capture "$TMP/auth.pcap" \
	>"$TMP/auth.log" 2>&1 &
auth_job=$!
apid=$(held_pid auth) || apid=""
if [ -n "$apid" ] && start_stap handshake -x "$apid" && ready handshake; then
	release auth
	wait "$auth_job" || true
	sleep 1
	check "auth-failure: handshake.stp ran through the scenario" alive handshake
	stop_all
	check "auth-failure: handshake.stp lost no perf event, did not abort, exit 0" sound handshake
	check "auth-failure: the client logged the held pid ($apid)" \
		grep -q " pid=$apid .*call=glfs_new " "$TMP/auth.client.log"
	check "auth-failure: the client logged that glfs_init never returned" \
		grep -q 'call=glfs_init .*returned=no' "$TMP/auth.client.log"
	check "auth-failure: its GlusterFS log says Authentication failed" \
		grep -q 'Authentication failed' "$LAB_DIR/log/auth-failure.gfapi.log"
	check "auth-failure: handshake.stp output parses as records" \
		sh -c "awk -f '$top_srcdir/tests/stap-records.awk' '$TMP/handshake.rec' >'$TMP/auth.tsv'"
	check "auth-failure: only the client's records (pid $apid)" only_pid "$apid" "$TMP/auth.tsv"
	check "auth-failure: gluster.setvolume_rsp op_ret=-1 op_errno=13 from the client (pid $apid)" \
		awk -F'\t' -v pid="$apid" '$2 == pid && $5 == "gluster.setvolume_rsp" && $7 == "op_ret=-1" && $8 == "op_errno=13" { f = 1 } END { exit !f }' "$TMP/auth.tsv"
else
	not_ok "auth-failure: its client held (pid ${apid:-none}) and handshake.stp running for it"
	[ -z "$apid" ] || release auth || true
	wait "$auth_job" || true
	stop_all
fi
# --- the busy host stayed busy to here.  It ends before the samba
# scenario: samba-gluster.stp prints every call of every smbd process, and
# smbd makes hundreds in bursts of microseconds that stapbpf's one reader
# must drain as they come.  On this 2-processor machine, with the busy
# host running, stapbpf lost some of smbd's own events (1 to 1,823) and
# aborted in four runs of seven, also with the busy session stopped: the
# reader's speed, not the other processes' events (those are filtered in
# the kernel).  tapline-stap now runs stap 10 nice levels up for that
# (tapline-stap(1), BUSY HOSTS); the busy host still stops first.
busy_stop
flood=$(sed -n 's/^busy .* calls=\([0-9]*\) .*/\1/p' "$TMP/busy-flood.out")
session=$(sed -n 's/^busy .* calls=\([0-9]*\) .*/\1/p' "$TMP/busy-session.out")
diag "$(grep -h '^busy ' "$TMP/busy-flood.out" "$TMP/busy-session.out" | tr '\n' ';')"
check "the busy host: the flood made libgfapi calls to here (${flood:-none})" \
	test "${flood:-0}" -gt 10000
check "the busy host: the session on dist made calls to here (${session:-none})" \
	test "${session:-0}" -gt 100

# --- samba-gluster: smbd's libgfapi calls for an SMB client (lab scenario
# "samba": smbclient sets only the write time, 2023-11-14 22:13:20 UTC).
# smbd forks a process per SMB client: the script keeps them by comm.
if command -v smbd >/dev/null 2>&1 && command -v smbclient >/dev/null 2>&1 &&
   [ -f /usr/lib/x86_64-linux-gnu/samba/vfs/glusterfs.so ] &&
   grep -q '^scenario_samba()' "$LAB"; then
	# samba_session: the scenario under samba-gluster.stp; its result
	# in $st (the scenario) and $ran (the session ran through it).
	samba_session() {
		start_stap samba-gluster
		ready samba-gluster || return 1
		sh "$LAB" run samba --capture "$TMP/samba.pcap" >"$TMP/samba.log" 2>&1 && st=0 || st=$?
		alive samba-gluster >"$TMP/samba.alive" && ran=0 || ran=1
		stop_all
	}
	# A loaded host (CI runs tests two at a time) can still make
	# stapbpf's reader fall behind smbd's bursts: tapline-stap says so
	# (BUSY HOSTS).  Once, said in the log, the scenario runs again;
	# the checks below are of the second run then.
	if samba_session && ! sound samba-gluster; then
		diag "samba: stapbpf lost events or failed on this host, once more:"
		grep -E 'lost|signal|bpfinterp' "$TMP/samba-gluster.err" | sed 's/^/#   /' | head -5
		rm -f "$TMP/samba.alive"
		samba_session || true
	fi
	if [ -f "$TMP/samba.alive" ]; then
		check "samba: samba-gluster.stp ran through the scenario" \
			sh -c 'cat "$1"; test "$2" = 0' _ "$TMP/samba.alive" "$ran"
		check "samba: the lab's smbclient session ran (exit $st)" test "$st" = 0
		check "samba: samba-gluster.stp lost no perf event, did not abort, exit 0" \
			sound samba-gluster
		check "samba: samba-gluster.stp output parses as records" \
			sh -c "awk -f '$top_srcdir/tests/stap-records.awk' '$TMP/samba-gluster.rec' >'$TMP/samba.tsv'"
		check "samba: smbd's records only (comm smbd*)" \
			awk -F'\t' '$4 !~ /^smbd/ { print; bad = 1 } END { exit bad }' "$TMP/samba.tsv"
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
		stop_all
	fi
else
	skip "samba: smbd, smbclient, samba-vfs-modules or the lab's samba scenario missing"
fi

done_testing
