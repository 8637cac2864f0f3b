#!/bin/sh
# tests/lab/ceph/lab.sh - a real Ceph 16.2 cluster (Debian's ceph-mon and
# ceph-osd) run by hand, without systemd or cephadm, inside a private
# network namespace: one monitor and one memstore OSD on 127.0.0.1 with
# cephx, driven by the stock `ceph` CLI and `rados`, captured with tcpdump
# in msgr2 crc, msgr2 secure and msgr v1 modes.
#
# Usage: lab.sh up | down | status | exec CMD... | run MODE [--capture FILE]
#        lab.sh capture [DIR] | modes
# See tests/lab/ceph/README.md.  Must run as root.
set -eu

LAB_NAME=${CEPH_LAB_NAME:-tapline-ceph}
lab_src=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$lab_src/../../.." && pwd)}
LAB_DIR=${CEPH_LAB_DIR:-$top_srcdir/tests/lab/work/$LAB_NAME}
case $LAB_DIR in /*) ;; *) LAB_DIR=$PWD/$LAB_DIR ;; esac
case $LAB_NAME in
''|*[!A-Za-z0-9._-]*) echo "ceph-lab: error: CEPH_LAB_NAME must be letters, digits, . _ -" >&2; exit 2 ;;
esac
NS=$LAB_NAME
HOST=127.0.0.1
MON_V2_PORT=3300
MON_V1_PORT=6789
# The OSD binds its public, cluster and heartbeat messengers in this range
# (v2 and v1 each), so that the capture filter sees them.
OSD_PORT_MIN=6800
OSD_PORT_MAX=6830
POOL=lab
CAPTURE_FILTER="tcp and (port $MON_V2_PORT or port $MON_V1_PORT or portrange $OSD_PORT_MIN-$OSD_PORT_MAX)"
MODES="msgr2-crc msgr2-secure daemons-msgr2 msgr1 daemons-msgr1"

say() { printf 'ceph-lab: %s\n' "$*" >&2; }
# shellcheck source=tests/lab/netns-stop.sh
. "$lab_src/../netns-stop.sh"
die() { printf 'ceph-lab: error: %s\n' "$*" >&2; exit 1; }

usage() {
	cat <<EOF
usage: lab.sh COMMAND [ARGS]

A real Ceph cluster (one ceph-mon, one memstore ceph-osd, cephx) in network
namespace "\$CEPH_LAB_NAME" (now: $NS), on $HOST.

commands:
  up                   create the cluster and start it (~15 s)
  down                 stop every process of the lab (by PID), delete the
                       namespace and the cluster (logs are kept)
  status               the namespace, its processes, the cluster's health
  exec CMD [ARG...]    run CMD inside the namespace
  ceph ARG...          the ceph CLI as client.admin
  run MODE [--capture FILE]
                       run the workload in MODE while tcpdump captures it
                       (default \$CEPH_LAB_DIR/captures/MODE.pcap); the CLI's
                       commands, exit codes and output go beside it as
                       MODE.cli.txt, the keyring of every entity as
                       lab.keyring
  capture [DIR]        up, run every mode into DIR (default
                       \$CEPH_LAB_DIR/captures), down
  modes                list the modes: $MODES

environment:
  CEPH_LAB_NAME  namespace and instance name (default tapline-ceph)
  CEPH_LAB_DIR   cluster state, logs, captures (default tests/lab/work/\$CEPH_LAB_NAME)
EOF
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
}

ns_exists() { [ -e "/run/netns/$NS" ]; }

ns_exec() { ip netns exec "$NS" "$@"; }

lab_pids() {
	ns_exists || return 0
	ip netns pids "$NS" 2>/dev/null || true
}

wait_for() { # SECONDS COMMAND...: poll COMMAND every 0.2 s
	limit=$(($1 * 5)); shift
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt "$limit" ] || return 1
		sleep 0.2
	done
}

CONF=$LAB_DIR/ceph.conf

# The CLI as client.admin; CLIENT_CONF chooses the wire mode.  Both tools
# wait without end for an answer that does not come (--connect-timeout
# bounds the first connection only): a minute is plenty for one command
# or operation on this cluster.
lab_ceph() { timeout 60 ip netns exec "$NS" ceph -c "${CLIENT_CONF:-$CONF}" --connect-timeout 20 "$@"; }
lab_rados() { timeout 60 ip netns exec "$NS" rados -c "${CLIENT_CONF:-$CONF}" "$@"; }

write_conf() {
	fsid=$1
	cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon host = [v2:$HOST:$MON_V2_PORT,v1:$HOST:$MON_V1_PORT]
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
run dir = $LAB_DIR/run
pid file = $LAB_DIR/run/\$name.pid
log file = $LAB_DIR/log/\$name.log
keyring = $LAB_DIR/keyring/ceph.\$name.keyring
crash dir = $LAB_DIR/crash
public addr = $HOST
cluster addr = $HOST
ms bind port min = $OSD_PORT_MIN
ms bind port max = $OSD_PORT_MAX
# Both generations on every daemon: the clients choose.
ms bind msgr1 = true
ms bind msgr2 = true
# Daemons accept crc and secure; what a connection gets is what its
# client asks for first.  Among themselves they speak crc.
ms service mode = crc secure
ms mon service mode = crc secure
ms cluster mode = crc
ms mon cluster mode = crc
# One OSD: pools of size 1, no placement across hosts.
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false
auth allow insecure global id reclaim = false
mon data avail warn = 1
mon data avail crit = 0
log to stderr = false
err to stderr = false
[client]
# Concurrent CLI processes: no admin socket, no log file.
admin socket =
log file =
[mon]
admin socket = $LAB_DIR/run/ceph-\$name.asok
mon data = $LAB_DIR/mon/ceph-\$id
mon cluster log file = $LAB_DIR/log/cluster.log
[osd]
admin socket = $LAB_DIR/run/ceph-\$name.asok
osd data = $LAB_DIR/osd/ceph-\$id
osd objectstore = memstore
# A clean stop saves the memstore (the switch between generations).
osd fast shutdown = false
memstore device bytes = 268435456
EOF
}

# client_conf MODE FILE: the client's own configuration for MODE.
client_conf() {
	{
		cat "$CONF"
		echo "[client]"
		case $1 in
		msgr2-crc|daemons-msgr2)
			echo "ms client mode = crc"
			echo "ms mon client mode = crc"
			;;
		msgr2-secure)
			echo "ms client mode = secure"
			echo "ms mon client mode = secure"
			;;
		msgr1|daemons-msgr1)
			# A client without msgr2 speaks v1 to the monitor's and
			# the OSD's v1 addresses.
			echo "mon host = v1:$HOST:$MON_V1_PORT"
			echo "ms bind msgr2 = false"
			;;
		*) die "unknown mode $1 (modes: $MODES)" ;;
		esac
	} >"$2"
}

# Without a manager the monitor reports no placement group states: the pool
# is ready when an object can be listed.
pool_ready() { timeout 10 ip netns exec "$NS" rados -c "${CLIENT_CONF:-$CONF}" -p "$POOL" ls; }

# The generation the daemons speak: v2 (msgr2 and v1 addresses, the
# default) or v1 (v1 only: a client speaks v1 only to a cluster without
# msgr2 addresses, since a client that binds no address uses msgr2
# wherever the peer offers it).
generation() { cat "$LAB_DIR/generation" 2>/dev/null || echo v2; }
# The configuration a command-line tool uses to reach the cluster now.
admin_conf() {
	if [ "$(generation)" = v1 ]; then
		client_conf msgr1 "$LAB_DIR/run/admin-v1.conf"
		echo "$LAB_DIR/run/admin-v1.conf"
	else
		echo "$CONF"
	fi
}
# v1: the daemons bind no msgr2 address and reach the monitor at its v1
# address (before they bind, they fetch their configuration as a client).
bind_args() {
	[ "$(generation)" = v1 ] &&
		echo "--ms_bind_msgr2=false --mon_host=v1:$HOST:$MON_V1_PORT" || true
}

# Not through a shell function: its background subshell would keep the
# caller's stdout open as long as the daemon runs.  Descriptors 3-9
# closed: a lock the caller holds (flock FILE lab.sh up) is not the
# daemons' to keep.
start_mon() {
	# shellcheck disable=SC2046
	ip netns exec "$NS" setsid ceph-mon -c "$CONF" -f -i a $(bind_args) </dev/null \
		>>"$LAB_DIR/log/mon.out" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	CLIENT_CONF=$(admin_conf) wait_for 30 lab_ceph mon stat ||
		die "ceph-mon did not answer; $(tail -20 "$LAB_DIR/log/mon.a.log" 2>/dev/null)"
}

start_osd() {
	# shellcheck disable=SC2046
	ip netns exec "$NS" setsid ceph-osd -c "$CONF" -f -i 0 $(bind_args) </dev/null \
		>>"$LAB_DIR/log/osd.out" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	wait_for 60 sh -c "ip netns exec '$NS' ceph -c '$(admin_conf)' osd dump 2>/dev/null |
		grep -q '^osd.0 up.*$(generation):$HOST:'" ||
		die "ceph-osd did not come up; $(tail -20 "$LAB_DIR/log/osd.0.log" 2>/dev/null)"
}

stop_daemon() { # NAME (mon.a, osd.0): TERM, wait for the clean exit
	pidfile=$LAB_DIR/run/$1.pid
	[ -f "$pidfile" ] || die "no $pidfile"
	pid=$(cat "$pidfile")
	kill -TERM "$pid" 2>/dev/null || true
	wait_for 30 sh -c "! kill -0 $pid" || die "$1 ($pid) did not stop"
}

# set_generation v1|v2: the monitor's address and both daemons' bindings.
# The memstore OSD keeps its objects across a clean restart.
set_generation() {
	[ "$(generation)" = "$1" ] && return 0
	if [ "$1" = v1 ]; then addrs="v1:$HOST:$MON_V1_PORT"
	else addrs="[v2:$HOST:$MON_V2_PORT,v1:$HOST:$MON_V1_PORT]"; fi
	# The monitor commits its new addresses and respawns at once: the
	# command's answer may never come (lab_ceph's bound ends the wait).
	# What counts is the monitor map served after the restart.
	CLIENT_CONF=$(admin_conf) lab_ceph mon set-addrs a "$addrs" >/dev/null 2>&1 || true
	stop_daemon osd.0
	stop_daemon mon.a
	echo "$1" >"$LAB_DIR/generation"
	start_mon
	if [ "$1" = v1 ]; then want="0: v1:$HOST:$MON_V1_PORT/0 mon.a"
	else want="0: [v2:$HOST:$MON_V2_PORT/0,v1:$HOST:$MON_V1_PORT/0] mon.a"; fi
	dump=$(CLIENT_CONF=$(admin_conf) lab_ceph mon dump 2>/dev/null) || true
	case $dump in *"$want"*) ;;
	*) die "mon set-addrs $addrs did not take: $(echo "$dump" | grep 'mon\.a')" ;;
	esac
	start_osd
	CLIENT_CONF=$(admin_conf) wait_for 60 pool_ready ||
		die "pool $POOL did not become usable"
}

cmd_up() {
	need_root
	for tool in ceph ceph-mon ceph-osd ceph-authtool monmaptool rados uuidgen ip tcpdump; do
		command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh)"
	done
	ns_exists && die "lab $NS is already up (lab.sh down first, or another CEPH_LAB_NAME)"
	rm -rf "$LAB_DIR/mon" "$LAB_DIR/osd" "$LAB_DIR/run" "$LAB_DIR/keyring" \
		"$LAB_DIR/log" "$LAB_DIR/crash"
	mkdir -p "$LAB_DIR/mon" "$LAB_DIR/osd/ceph-0" "$LAB_DIR/run" \
		"$LAB_DIR/keyring" "$LAB_DIR/log" "$LAB_DIR/crash" "$LAB_DIR/captures"
	fsid=$(uuidgen)
	write_conf "$fsid"
	K=$LAB_DIR/keyring
	ceph-authtool "$K/ceph.mon..keyring" --create-keyring --gen-key -n mon. \
		--cap mon 'allow *' >/dev/null
	ceph-authtool "$K/ceph.client.admin.keyring" --create-keyring --gen-key \
		-n client.admin --cap mon 'allow *' --cap osd 'allow *' \
		--cap mds 'allow *' --cap mgr 'allow *' >/dev/null
	cp "$K/ceph.mon..keyring" "$K/mon-init.keyring"
	ceph-authtool "$K/mon-init.keyring" \
		--import-keyring "$K/ceph.client.admin.keyring" >/dev/null
	monmaptool --create --fsid "$fsid" \
		--addv a "[v2:$HOST:$MON_V2_PORT,v1:$HOST:$MON_V1_PORT]" "$LAB_DIR/monmap" >/dev/null
	ceph-mon -c "$CONF" --mkfs -i a --monmap "$LAB_DIR/monmap" \
		--keyring "$K/mon-init.keyring" >"$LAB_DIR/log/mkfs.out" 2>&1 ||
		die "ceph-mon --mkfs failed: $(tail -5 "$LAB_DIR/log/mkfs.out")"
	# The monitor reads its key from its data directory from now on.
	cp "$K/ceph.mon..keyring" "$K/ceph.mon.a.keyring"

	ip netns add "$NS"
	trap 'say "up failed, tearing down"; cmd_down' EXIT
	ip -n "$NS" link set lo up
	echo v2 >"$LAB_DIR/generation"
	start_mon

	uuid=$(uuidgen)
	id=$(lab_ceph osd new "$uuid") || die "ceph osd new failed"
	[ "$id" = 0 ] || die "osd new gave id $id"
	ns_exec ceph-osd -c "$CONF" -i 0 --mkfs --mkkey --osd-uuid "$uuid" \
		--no-mon-config --keyring "$K/ceph.osd.0.keyring" \
		>"$LAB_DIR/log/osd-mkfs.out" 2>&1 ||
		die "ceph-osd --mkfs failed: $(tail -5 "$LAB_DIR/log/osd-mkfs.out")"
	lab_ceph auth add osd.0 osd 'allow *' mon 'allow profile osd' \
		-i "$K/ceph.osd.0.keyring" >/dev/null 2>&1 || die "ceph auth add osd.0 failed"
	start_osd
	lab_ceph osd pool create "$POOL" 8 8 >/dev/null 2>&1 ||
		die "pool create failed"
	lab_ceph osd pool application enable "$POOL" rados >/dev/null 2>&1 || true
	wait_for 60 pool_ready || die "pool $POOL did not become usable"
	trap - EXIT
	cmd_status
}

cmd_down() {
	need_root
	if ns_exists; then
		stop_ns_processes
		ip netns del "$NS"
	fi
	rm -rf "$LAB_DIR/mon" "$LAB_DIR/osd" "$LAB_DIR/run" "$LAB_DIR/crash" \
		"$LAB_DIR/monmap" "$LAB_DIR/generation"
}

cmd_status() {
	if ! ns_exists; then
		echo "lab $NS: down"
		return 3
	fi
	echo "lab $NS: up   (CEPH_LAB_DIR=$LAB_DIR)"
	echo "generation: $(generation)   monitor: v2:$HOST:$MON_V2_PORT v1:$HOST:$MON_V1_PORT   OSD ports: $OSD_PORT_MIN-$OSD_PORT_MAX"
	echo "processes:"
	for p in $(lab_pids); do
		printf '  %-8s %s\n' "$p" "$(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null | cut -c1-110)"
	done
	CLIENT_CONF=$(admin_conf) lab_ceph -s 2>&1 | sed 's/^/  /' || true
}

# --- captures ---------------------------------------------------------------

cap_pid=""
capture_start() { # FILE
	rm -f "$1"
	errlog="$1.tcpdump-err"
	# -Z root: Debian's tcpdump otherwise drops to user tcpdump before
	# opening FILE.  --immediate-mode and -U: every packet reaches the
	# file before we stop it (without them the packets of the last
	# half second stay in the kernel's buffer block and are lost).
	# -B 65536 (KiB): with the full snaplen each ring slot takes 256 KiB,
	# and the default 2 MiB ring drops the bursts of loopback's 64 KiB
	# packets.
	ip netns exec "$NS" tcpdump -i lo -s 0 -B 65536 -U --immediate-mode -Z root \
		-w "$1" "$CAPTURE_FILTER" </dev/null >/dev/null 2>"$errlog" &
	cap_pid=$!
	wait_for 10 grep -q 'listening on' "$errlog" ||
		die "tcpdump did not start: $(cat "$errlog")"
}

capture_stop() {
	sleep 1	# the last ACKs and FINs
	[ -n "$cap_pid" ] && kill -INT "$cap_pid" 2>/dev/null || true
	[ -n "$cap_pid" ] && wait "$cap_pid" 2>/dev/null || true
	cap_pid=""
	# A capture with holes is no ground truth.
	dropped=$(sed -n 's/^\([0-9]*\) packets* dropped by kernel.*/\1/p' "$errlog")
	if [ "${dropped:-0}" != 0 ]; then
		cat "$errlog" >&2
		die "tcpdump lost $dropped packets"
	fi
	rm -f "$errlog"
}

# timed LABEL CMD...: one line "start=NS end=NS op=LABEL ret=STATUS cmd=..."
# and the command's output (stdout then stderr) as "# " lines.
timed() {
	label=$1; shift
	t0=$(date +%s%N)
	"$@" >"$TMP_OUT" 2>"$TMP_ERR" && rc=0 || rc=$?
	t1=$(date +%s%N)
	echo "start=$t0 end=$t1 op=$label ret=$rc cmd=$(echo "$*" | sed "s|$LAB_DIR|\$LAB|g")"
	awk '{ print "# " $0 }' "$TMP_OUT"
	awk '{ print "#! " $0 }' "$TMP_ERR"
}

# The workload, the same in every mode: each line one process of the stock
# CLI.  The object's data, attribute and omap values are fixed strings, so
# the captures can be checked against them.
workload() {
	data=$LAB_DIR/run/object.txt
	printf 'tapline ceph lab object\n' >"$data"
	got=$LAB_DIR/run/object.out
	# A monitor command that succeeds, one that fails (ENOENT: no such pool).
	timed mon-command-ok lab_ceph osd pool ls
	timed mon-command-fail lab_ceph osd pool get nosuchpool size
	# The monitor's liveness check (PING and its reply).
	timed ping lab_ceph ping mon.a
	timed put lab_rados -p "$POOL" put obj1 "$data"
	timed stat lab_rados -p "$POOL" stat obj1
	timed get lab_rados -p "$POOL" get obj1 "$got"
	echo "# got: $(cat "$got" 2>/dev/null)"
	timed setxattr lab_rados -p "$POOL" setxattr obj1 user.color blue
	timed getxattr lab_rados -p "$POOL" getxattr obj1 user.color
	timed listxattr lab_rados -p "$POOL" listxattr obj1
	timed setomapval lab_rados -p "$POOL" setomapval obj1 key1 value1
	timed getomapval lab_rados -p "$POOL" getomapval obj1 key1
	timed listomapkeys lab_rados -p "$POOL" listomapkeys obj1
	timed ls lab_rados -p "$POOL" ls
	timed get-missing lab_rados -p "$POOL" get nosuchobject "$got"
	# A pool the client's map lacks: it asks the monitor for the newest
	# map's version first (MON_GET_VERSION), then gives up.
	timed pool-missing lab_rados -p nosuchpool ls
	timed rm lab_rados -p "$POOL" rm obj1
	rm -f "$data" "$got"
}

osd_status() {
	ns_exec ceph --admin-daemon "$LAB_DIR/run/ceph-osd.0.asok" status 2>/dev/null
}
osd_active() { osd_status | grep -q '"state": "active"'; }
osd_booted_since() { # EPOCH: active again at a newer map
	osd_active && [ "$(osd_status | sed -n 's/.*"newest_map": \([0-9]*\).*/\1/p')" -gt "$1" ]
}

# The daemons' own traffic on connections older than the capture: the
# monitor marks the OSD down, the OSD says it was wrongly marked down and
# boots again (OSD_BOOT, LOG, maps).  Waits through the OSD's admin socket,
# which is no TCP connection.
daemons_workload() {
	epoch=$(osd_status | sed -n 's/.*"newest_map": \([0-9]*\).*/\1/p')
	timed osd-down lab_ceph osd down 0
	# Marked down (one map), booted again (the next): two maps later.
	wait_for 30 osd_booted_since $((epoch + 1)) || die "osd.0 did not boot again"
	echo "# osd.0 active again"
	sleep 1
}

cmd_run() {
	need_root
	ns_exists || die "lab $NS is down (lab.sh up)"
	mode=${1:-}; [ -n "$mode" ] || die "run needs a MODE ($MODES)"
	shift
	capture=$LAB_DIR/captures/$mode.pcap
	while [ $# -gt 0 ]; do
		case $1 in
		--capture) capture=$2; shift 2 ;;
		*) die "unknown argument $1" ;;
		esac
	done
	case $capture in /*) ;; *) capture=$PWD/$capture ;; esac
	mkdir -p "$(dirname "$capture")"
	base=${capture%.pcap}
	case $mode in *msgr1) set_generation v1 ;; *) set_generation v2 ;; esac
	CLIENT_CONF=$LAB_DIR/run/client-$mode.conf
	client_conf "$mode" "$CLIENT_CONF"
	export CLIENT_CONF
	TMP_OUT=$LAB_DIR/run/cmd.out TMP_ERR=$LAB_DIR/run/cmd.err
	for attempt in 1 2; do
		capture_start "$capture"
		{
			echo "# ceph lab workload, mode $mode: $(ceph --version)"
			case $mode in
			daemons-*) daemons_workload ;;
			*) workload ;;
			esac
		} >"$base.cli.txt"
		capture_stop
		# The stock CLI now and then dies by a signal on its way out
		# (`ceph ping` in secure mode: SIGSEGV, exit 139): the capture
		# then lacks what the command would have sent, so the mode runs
		# once more.
		killed=$(awk '{ for (i = 1; i <= NF; i++)
			if ($i ~ /^ret=/ && substr($i, 5) + 0 > 128) print $0 }' \
			"$base.cli.txt" | grep -o 'op=[^ ]* ret=[0-9]*' | tr '\n' ' ')
		[ -n "$killed" ] || break
		say "$mode: a command died by a signal ($killed); running the mode again"
	done
	rm -f "$TMP_OUT" "$TMP_ERR"
	# Every key of the lab: the client's decrypts its sessions, the
	# others the daemons' own.
	cat "$LAB_DIR/keyring/ceph.client.admin.keyring" \
		"$LAB_DIR/keyring/ceph.mon..keyring" \
		"$LAB_DIR/keyring/ceph.osd.0.keyring" >"$(dirname "$capture")/lab.keyring"
	say "$mode: $(wc -c <"$capture") bytes in $capture"
}

cmd_capture() {
	need_root
	dir=${1:-$LAB_DIR/captures}
	case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
	cmd_up >/dev/null
	trap 'cmd_down' EXIT
	for m in $MODES; do
		cmd_run "$m" --capture "$dir/$m.pcap"
	done
	trap - EXIT
	cmd_down
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
exec) need_root; ns_exists || die "lab $NS is down"; ns_exec "$@" ;;
ceph) need_root; CLIENT_CONF=$(admin_conf) lab_ceph "$@" ;;
run) cmd_run "$@" ;;
capture) cmd_capture "$@" ;;
modes) echo "$MODES" ;;
-h|--help|help) usage ;;
'') usage >&2; exit 2 ;;
*) echo "ceph-lab: error: unknown command '$cmd'" >&2; usage >&2; exit 2 ;;
esac
