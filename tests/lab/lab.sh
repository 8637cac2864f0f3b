#!/bin/sh
# tests/lab/lab.sh - a real GlusterFS 10.3 (Debian glusterfs-server) run by
# hand, without systemd, inside a private network namespace, for making
# captures and for running traced clients against real bricks.
#
# Usage: lab.sh up | down | status | exec CMD... | run SCENARIO [--capture FILE]
#        lab.sh scenarios | gl GLUSTER-CLI-ARGS...
# See tests/lab/README.md.  Must run as root.
set -eu

LAB_NAME=${LAB_NAME:-tapline}
lab_src=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$lab_src/../.." && pwd)}
LAB_DIR=${LAB_DIR:-$lab_src/work/$LAB_NAME}
case $LAB_DIR in /*) ;; *) LAB_DIR=$PWD/$LAB_DIR ;; esac
case $LAB_NAME in
''|*[!A-Za-z0-9._-]*) echo "lab: error: LAB_NAME must be letters, digits, . _ -" >&2; exit 2 ;;
esac
# The network namespace carries the instance name so that two labs with
# different LAB_NAMEs run side by side.
NS=$LAB_NAME
export LAB_NAME LAB_DIR
# The gluster CLI refuses 127.0.0.1 and "localhost" as brick hosts, but any
# other loopback address is local to glusterd: bricks live on 127.0.0.2.
LAB_HOST=${LAB_HOST:-127.0.0.2}
GLUSTERD_PORT=24007
# GlusterFS 10 picks brick ports from 49152-60999; a narrow range keeps the
# capture filter exact.
BASE_PORT=${LAB_BASE_PORT:-49152}
MAX_PORT=${LAB_MAX_PORT:-49171}
VOL_SINGLE=single
VOL_DIST=dist
CAPTURE_FILTER="tcp and (port $GLUSTERD_PORT or portrange $BASE_PORT-$MAX_PORT)"

say() { printf 'lab: %s\n' "$*" >&2; }
# shellcheck source=tests/lab/netns-stop.sh
. "$(cd "$(dirname "$0")" && pwd)/netns-stop.sh"
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

usage() {
	cat <<EOF
usage: lab.sh COMMAND [ARGS]

A real GlusterFS lab in network namespace "\$LAB_NAME" (now: $NS).

commands:
  up                      start glusterd, create and start volumes
                          "$VOL_SINGLE" (1 brick) and "$VOL_DIST" (2-brick distribute)
  down                    stop every process of the lab (by PID), delete the
                          namespace and the lab state (logs are kept)
  status                  show the namespace, its processes and volumes
  exec CMD [ARG...]       run CMD inside the lab's network namespace
  gl ARG...               run the gluster CLI against the lab's glusterd
  run SCENARIO [--capture FILE]
                          run a scenario while tcpdump captures it to FILE
                          (default \$LAB_DIR/captures/SCENARIO.pcap); the
                          client's own log goes beside it as *.client.log
  scenarios               list the scenarios
  remote-up               a second namespace "\$LAB_NAME-c", the client host,
                          joined to the lab by a veth pair: the lab's end
                          $REMOTE_SERVER (v0), the client's $REMOTE_CLIENT (v1)
  remote-down             delete it (and kill what runs in it)

environment:
  LAB_NAME   instance and namespace name (default tapline)
  LAB_DIR    state, bricks and logs (default tests/lab/work/\$LAB_NAME)
  LAB_HOST   brick and volfile-server address (default 127.0.0.2)
  GFAPI_CLIENT  the built tests/lab/gfapi-client (default: built on demand)
EOF
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, glusterd)"
}

ns_exists() { [ -e "/run/netns/$NS" ]; }

# ns_exec CMD...: run CMD in the lab's network namespace and in a private
# mount namespace in which the lab's directories hide the host's
# /var/lib/glusterd, /run/gluster and /var/log/glusterfs: glusterd, the
# bricks it spawns and even the gluster CLI write there whatever their
# working directory, so nothing leaks onto the host and two labs share no
# pid files or brick sockets.  The caller's other mounts (tracefs, /sys)
# stay visible, which tracers running inside the lab need.
ns_exec() {
	nsenter --net="/run/netns/$NS" -- \
		unshare --mount --propagation private sh -c '
		mount --bind "$0/varlib" /var/lib/glusterd &&
		mount --bind "$0/run" /run/gluster &&
		mount --bind "$0/log" /var/log/glusterfs &&
		exec "$@"' "$LAB_DIR" "$@"
}

gl() {
	ns_exec gluster --mode=script \
		--glusterd-sock="$LAB_DIR/run/glusterd.socket" \
		--log-file="$LAB_DIR/log/cli.log" "$@"
}

# gl_tcp ARG...: the gluster CLI over TCP to glusterd's port 24007 (on the
# wire, unlike the unix socket); glusterd serves only read-only commands
# there.
gl_tcp() {
	ns_exec gluster --mode=script --remote-host="$LAB_HOST" \
		--log-file="$LAB_DIR/log/cli.log" "$@"
}

lab_pids() {
	ns_exists || return 0
	ip netns pids "$NS" 2>/dev/null || true
}

# brick_port VOLUME [N]: the TCP port of the Nth brick (1-based) of VOLUME.
brick_port() {
	gl volume status "$1" --xml 2>/dev/null |
		sed -n 's:.*<port>\([0-9]*\)</port>.*:\1:p' | sed -n "${2:-1}p"
}

write_glusterd_vol() {
	cat >"$LAB_DIR/glusterd.vol" <<EOF
volume management
    type mgmt/glusterd
    option working-directory $LAB_DIR/glusterd
    option glusterd-sockfile $LAB_DIR/run/glusterd.socket
    option transport-type socket
    option transport.socket.listen-port $GLUSTERD_PORT
    option transport.socket.read-fail-log off
    option ping-timeout 0
    option event-threads 1
    option base-port $BASE_PORT
    option max-port $MAX_PORT
end-volume
EOF
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

volume_online() { # VOLUME NBRICKS
	n=0
	for i in $(seq 1 "$2"); do
		p=$(brick_port "$1" "$i")
		[ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != N/A ] && n=$((n + 1))
	done
	[ "$n" -eq "$2" ]
}

create_volume() { # NAME BRICK...
	name=$1; shift
	bricks=""
	for b in "$@"; do
		mkdir -p "$LAB_DIR/bricks/$b"
		bricks="$bricks $LAB_HOST:$LAB_DIR/bricks/$b"
	done
	# shellcheck disable=SC2086
	gl volume create "$name" $bricks force >/dev/null
	gl volume start "$name" >/dev/null
	wait_for 30 volume_online "$name" "$#" ||
		die "volume $name did not come online (see $LAB_DIR/log)"
}

cmd_up() {
	need_root
	for tool in glusterd gluster nsenter unshare ip tcpdump; do
		command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh)"
	done
	if ns_exists; then
		die "lab $NS is already up (lab.sh down first, or another LAB_NAME)"
	fi
	rm -rf "$LAB_DIR/glusterd" "$LAB_DIR/varlib" "$LAB_DIR/run" \
		"$LAB_DIR/bricks" "$LAB_DIR/log"
	mkdir -p "$LAB_DIR/glusterd" "$LAB_DIR/varlib" "$LAB_DIR/run" \
		"$LAB_DIR/bricks" "$LAB_DIR/log" "$LAB_DIR/captures"
	# glusterd writes geo-replication/ and ss_brick/ under /var/lib/glusterd
	# whatever its working directory: remember what the host had.
	ls -A /var/lib/glusterd 2>/dev/null >"$LAB_DIR/host-varlib.before" || true
	# ns_exec bind-mounts over these; a fresh container may lack /run/gluster.
	: >"$LAB_DIR/host-created"
	for d in /var/lib/glusterd /run/gluster /var/log/glusterfs; do
		if [ ! -d "$d" ]; then
			mkdir -p "$d"
			echo "$d" >>"$LAB_DIR/host-created"
		fi
	done
	write_glusterd_vol

	ip netns add "$NS"
	# A failed "up" leaves nothing behind either.
	trap 'say "up failed, tearing down"; cmd_down' EXIT
	ip -n "$NS" link set lo up
	setsid sh "$lab_src/lab.sh" _glusterd </dev/null >"$LAB_DIR/log/glusterd.out" 2>&1 &
	if ! wait_for 30 gl volume list; then
		say "glusterd did not answer; its log:"
		tail -20 "$LAB_DIR/log/glusterd.log" >&2 || true
		exit 1
	fi
	create_volume "$VOL_SINGLE" single-b1
	create_volume "$VOL_DIST" dist-b1 dist-b2
	trap - EXIT
	cmd_status
}

cmd_down() {
	need_root
	remote_ns_down
	if ns_exists; then
		stop_ns_processes
		ip netns del "$NS"
	fi
	# Anything that escaped the private mount namespace and was not there
	# before the lab came up.
	if [ -f "$LAB_DIR/host-varlib.before" ]; then
		for leftover in geo-replication ss_brick; do
			if [ -e "/var/lib/glusterd/$leftover" ] &&
			   ! grep -qx "$leftover" "$LAB_DIR/host-varlib.before"; then
				rm -rf "/var/lib/glusterd/$leftover"
			fi
		done
		rm -f "$LAB_DIR/host-varlib.before"
	fi
	if [ -f "$LAB_DIR/host-created" ]; then
		while read -r d; do rmdir "$d" 2>/dev/null || true; done \
			<"$LAB_DIR/host-created"
		rm -f "$LAB_DIR/host-created"
	fi
	rm -rf "$LAB_DIR/glusterd" "$LAB_DIR/varlib" "$LAB_DIR/run" "$LAB_DIR/bricks"
}

cmd_status() {
	if ! ns_exists; then
		echo "lab $NS: down"
		return 3
	fi
	echo "lab $NS: up   (LAB_DIR=$LAB_DIR)"
	echo "host: $LAB_HOST   glusterd: $LAB_HOST:$GLUSTERD_PORT   brick ports: $BASE_PORT-$MAX_PORT"
	echo "processes:"
	for p in $(lab_pids); do
		printf '  %-8s %s\n' "$p" "$(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null | cut -c1-110)"
	done
	for v in $(gl volume list 2>/dev/null); do
		printf 'volume %-8s bricks:' "$v"
		gl volume info "$v" | sed -n 's/^Brick[0-9]*: //p' | tr '\n' ' '
		printf ' ports:'
		gl volume status "$v" --xml 2>/dev/null |
			sed -n 's:.*<port>\([0-9]*\)</port>.*:\1:p' | tr '\n' ' '
		echo
	done
}

cmd_exec() {
	need_root
	ns_exists || die "lab $NS is down (lab.sh up)"
	[ $# -gt 0 ] || die "exec needs a command"
	ns_exec "$@"
}

# --- the libgfapi client ---------------------------------------------------

client_bin() {
	if [ -n "${GFAPI_CLIENT:-}" ]; then
		[ -x "$GFAPI_CLIENT" ] || die "GFAPI_CLIENT=$GFAPI_CLIENT is not executable"
		echo "$GFAPI_CLIENT"
		return
	fi
	for b in "${top_builddir:-}/tests/lab/gfapi-client" \
		 "$top_srcdir/tests/lab/gfapi-client"; do
		if [ -x "$b" ] && [ ! "$b" -ot "$lab_src/gfapi-client.c" ]; then
			echo "$b"; return
		fi
	done
	b="$lab_src/work/bin/gfapi-client"
	if [ ! -x "$b" ] || [ "$b" -ot "$lab_src/gfapi-client.c" ]; then
		mkdir -p "$lab_src/work/bin"
		# shellcheck disable=SC2046
		${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -O1 -g \
			$(pkg-config --cflags glusterfs-api) -o "$b" \
			"$lab_src/gfapi-client.c" $(pkg-config --libs glusterfs-api) ||
			die "cannot build gfapi-client (apt-get install libglusterfs-dev)"
	fi
	echo "$b"
}

# --- captures ---------------------------------------------------------------

cap_pids=""
# capture_start FILE [IFACE [LINKTYPE]]
capture_start() {
	file=$1 iface=${2:-lo} dlt=${3:-} precision=${cap_precision:-micro}
	rm -f "$file"
	errlog="$file.tcpdump-err"
	# -Z root: Debian's tcpdump otherwise drops to user tcpdump before
	# opening FILE.  -U: every packet reaches the file before we stop.
	if [ -n "$dlt" ]; then
		nsenter --net="/run/netns/$NS" -- tcpdump -i "$iface" -y "$dlt" \
			--time-stamp-precision="$precision" -s 0 -U -Z root -w "$file" "$CAPTURE_FILTER" 2>"$errlog" &
	else
		nsenter --net="/run/netns/$NS" -- tcpdump -i "$iface" \
			--time-stamp-precision="$precision" -s 0 -U -Z root -w "$file" "$CAPTURE_FILTER" 2>"$errlog" &
	fi
	cap_pids="$cap_pids $!"
	wait_for 10 grep -q 'listening on' "$errlog" ||
		die "tcpdump did not start: $(cat "$errlog")"
}

capture_stop() {
	sleep 0.5	# the last ACKs
	for p in $cap_pids; do kill -INT "$p" 2>/dev/null || true; done
	for p in $cap_pids; do wait "$p" 2>/dev/null || true; done
	cap_pids=""
}

# client LOG ARGS...: run the gfapi client in the lab, its own log to LOG.
client() {
	clog=$1; shift
	# Under ASan (the sanitizer test build), libglusterfs's own leaks at
	# exit would turn every run into a failure.
	ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
		ns_exec "$CLIENT" --gf-log "$LAB_DIR/log/$scenario.gfapi.log" \
		"$@" >"$clog"
}

nft_block() { # PORT drop|reject
	if [ "$2" = reject ]; then verdict="reject with tcp reset"; else verdict=drop; fi
	ns_exec nft -f - <<EOF
table inet tapline_lab {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport $1 $verdict
	}
}
EOF
}

nft_unblock() { ns_exec nft delete table inet tapline_lab 2>/dev/null || true; }

SCENARIOS="gfapi-utimens auth-failure auth-failure-remote mount-failure-drop mount-failure-reject cli-ops distribute-2brick any-sll fuse-mount qemu-img samba"

# The ground truth of the scenarios that drive other programs: one line per
# command, "start=NS end=NS op=LABEL ret=STATUS cmd=COMMAND", its output
# after it as "# " lines.  Kept as text: it runs inside ns_exec.
TIMED='timed() {
	label=$1; shift
	t0=$(date +%s%N)
	"$@" >"$TIMED_OUT" 2>&1 && rc=0 || rc=$?
	t1=$(date +%s%N)
	echo "start=$t0 end=$t1 op=$label ret=$rc cmd=$*"
	sed "s/^/# /" "$TIMED_OUT"
}'

scenario_gfapi_utimens() {
	capture_start "$capture"
	client "$clog" --server "$LAB_HOST" --volume "$VOL_SINGLE" \
		--path /tapline-utimens.txt || status=$?
	capture_stop
	# The same packets as pcapng (tcpdump writes only pcap).
	if command -v editcap >/dev/null; then
		editcap -F pcapng "$capture" "${capture%.pcap}.pcapng"
	fi
}

scenario_distribute_2brick() {
	# Nanosecond timestamps (pcap magic 0xa1b23c4d), unlike the others.
	cap_precision=nano capture_start "$capture"
	client "$clog" --server "$LAB_HOST" --volume "$VOL_DIST" \
		--path /file-a.txt --path /file-b.txt --path /file-c.txt \
		--path /file-d.txt || status=$?
	capture_stop
}

scenario_any_sll() {
	# The same session twice: Linux cooked v1 (SLL) and v2 (SLL2) headers.
	capture_start "$capture" any LINUX_SLL
	capture_start "${capture%.pcap}2.pcap" any LINUX_SLL2
	client "$clog" --server "$LAB_HOST" --volume "$VOL_SINGLE" \
		--path /tapline-any.txt || status=$?
	capture_stop
}

scenario_auth_failure() {
	# A client on the server host gets the trusted volfile (with
	# credentials) and is never rejected: hand it the non-trusted one.
	volfile="$LAB_DIR/glusterd/vols/$VOL_SINGLE/$VOL_SINGLE.tcp-fuse.vol"
	[ -f "$volfile" ] || die "no $volfile"
	gl volume set "$VOL_SINGLE" auth.allow 192.0.2.1 >/dev/null
	sleep 2	# the brick reloads its volfile
	capture_start "$capture"
	# glfs_init never returns after "Authentication failed": the client
	# logs the SIGTERM that ends it.
	client "$clog" --volfile "$volfile" --volume "$VOL_SINGLE" \
		--timeout 8 --path /never.txt || status=$?
	capture_stop
	gl volume reset "$VOL_SINGLE" auth.allow >/dev/null
	sleep 1
}

# A second namespace "$NS-c" joined to the lab by a veth pair (created inside
# the namespaces: no interface appears on the host), addresses from
# TEST-NET-1: the server side 192.0.2.1, the client 192.0.2.2.
REMOTE_SERVER=192.0.2.1
REMOTE_CLIENT=192.0.2.2
remote_ns_up() {
	need_root
	ns_exists || die "the lab is not up"
	ip netns add "$NS-c"
	ip -n "$NS-c" link set lo up
	ip -n "$NS" link add v0 type veth peer name v1 netns "$NS-c"
	ip -n "$NS" addr add "$REMOTE_SERVER/24" dev v0
	ip -n "$NS" link set v0 up
	ip -n "$NS-c" addr add "$REMOTE_CLIENT/24" dev v1
	ip -n "$NS-c" link set v1 up
}
remote_ns_down() {
	[ -e "/run/netns/$NS-c" ] || return 0
	pids=$(ip netns pids "$NS-c" 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
	ip netns del "$NS-c"	# the veth pair goes with it
}

scenario_auth_failure_remote() {
	# The real-world case: a client on another host fetches the ordinary
	# (non-trusted) volfile from glusterd and is refused by auth.allow.  Its
	# bricks must be reachable from there, so the volume "remote" has its
	# brick on the veth address.
	remote_ns_up
	mkdir -p "$LAB_DIR/bricks/remote-b1"
	gl volume create remote "$REMOTE_SERVER:$LAB_DIR/bricks/remote-b1" force >/dev/null
	gl volume start remote >/dev/null
	wait_for 20 volume_online remote 1 || die "volume remote did not come online"
	gl volume set remote auth.allow 192.0.2.99 >/dev/null
	sleep 2	# the brick reloads its volfile
	capture_start "$capture" v0
	ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
		nsenter --net="/run/netns/$NS-c" -- "$CLIENT" \
		--gf-log "$LAB_DIR/log/$scenario.gfapi.log" --server "$REMOTE_SERVER" \
		--volume remote --timeout 8 --path /never.txt >"$clog" || status=$?
	capture_stop
	remote_ns_down
	gl volume stop remote >/dev/null || true
	gl volume delete remote >/dev/null || true
	rm -rf "$LAB_DIR/bricks/remote-b1"
}

mount_failure() { # drop|reject
	port=$(brick_port "$VOL_SINGLE")
	[ -n "$port" ] || die "no brick port for $VOL_SINGLE"
	old_retries=$(ns_exec sysctl -n net.ipv4.tcp_syn_retries)
	# A DROP otherwise costs ~134 s of SYN retries (namespace-local).
	ns_exec sysctl -qw net.ipv4.tcp_syn_retries=1
	nft_block "$port" "$1"
	capture_start "$capture"
	client "$clog" --server "$LAB_HOST" --volume "$VOL_SINGLE" \
		--timeout 60 --path /blocked.txt || status=$?
	capture_stop
	nft_unblock
	ns_exec sysctl -qw net.ipv4.tcp_syn_retries="$old_retries"
	gzip -9nc "$capture" >"$capture.gz"
}
scenario_mount_failure_drop() { mount_failure drop; }
scenario_mount_failure_reject() { mount_failure reject; }

scenario_cli_ops() {
	# Commands sent over glusterd's unix socket are not on the wire; the
	# TCP part is the new brick's handshake with glusterd (GETSPEC, portmap
	# SIGNIN/SIGNOUT, FETCHSPEC callbacks after "volume set") and CLI
	# commands sent with --remote-host (glusterd refuses the write ones).
	mkdir -p "$LAB_DIR/bricks/cliops-b1"
	capture_start "$capture"
	{
		sock() { echo "\$ gluster $* (unix socket)"; gl "$@" 2>&1 && echo "exit=0" || echo "exit=$?"; }
		tcp() { echo "\$ gluster --remote-host=$LAB_HOST $*"; gl_tcp "$@" 2>&1 && echo "exit=0" || echo "exit=$?"; }
		sock volume create cliops "$LAB_HOST:$LAB_DIR/bricks/cliops-b1" force
		sock volume start cliops
		wait_for 20 volume_online cliops 1 || true
		sock volume set cliops performance.write-behind off
		tcp volume info cliops
		tcp volume list
		tcp volume set cliops performance.write-behind on
		sock volume stop cliops
		sock volume delete cliops
	} >"$clog" 2>&1 || status=$?
	capture_stop
	rm -rf "$LAB_DIR/bricks/cliops-b1"
}

scenario_fuse_mount() {
	mnt="$LAB_DIR/mnt-fuse"
	mkdir -p "$mnt"
	capture_start "$capture"
	# mount, file operations and umount in one private mount namespace.
	TIMED_OUT="$LAB_DIR/log/timed.out" ns_exec sh -c "$TIMED"'
		m=$1 host=$2 vol=$3 log=$4
		timed mount mount -t glusterfs -o log-file="$log" "$host:/$vol" "$m"
		timed write sh -c "echo tapline fuse > $m/fuse.txt"
		timed touch touch -m -d @1700000000 "$m/fuse.txt"
		timed stat stat -c "%n size=%s atime=%X mtime=%Y" "$m/fuse.txt"
		timed ls ls -l "$m"
		timed rename mv "$m/fuse.txt" "$m/fuse-renamed.txt"
		timed rm rm "$m/fuse-renamed.txt"
		timed umount umount "$m"' sh "$mnt" "$LAB_HOST" "$VOL_SINGLE" \
		"$LAB_DIR/log/fuse-mount.glusterfs.log" >"$clog" || status=$?
	# The FUSE client process ends after umount; wait for its last packets.
	wait_for 15 sh -c "! pgrep -f 'glusterfs.*$mnt' >/dev/null" || true
	capture_stop
	rmdir "$mnt" 2>/dev/null || true
}

scenario_qemu_img() {
	command -v qemu-img >/dev/null ||
		die "qemu-img not installed (qemu-utils qemu-block-extra)"
	capture_start "$capture"
	TIMED_OUT="$LAB_DIR/log/timed.out" ns_exec sh -c "$TIMED"'
		timed qemu-img-create qemu-img create -f qcow2 -o cluster_size=4096 "$1" 1M' sh \
		"gluster://$LAB_HOST/$VOL_SINGLE/tapline.qcow2" >"$clog" || status=$?
	capture_stop
}

# A Samba share on the volume through vfs_glusterfs (smbd links libgfapi
# and connects to the bricks as "gfapi.smbd"), reached with smbclient.
samba_conf() {
	S=$LAB_DIR/samba
	mkdir -p "$S/run" "$S/lock" "$S/state" "$S/cache" "$S/private" \
		"$S/ncalrpc" "$S/log"
	cat >"$S/smb.conf" <<SMBCONF
[global]
	workgroup = TAPLINE
	server role = standalone server
	interfaces = $LAB_HOST/8
	bind interfaces only = yes
	smb ports = 445
	disable netbios = yes
	pid directory = $S/run
	lock directory = $S/lock
	state directory = $S/state
	cache directory = $S/cache
	private dir = $S/private
	ncalrpc dir = $S/ncalrpc
	log file = $S/log/smbd.log
	log level = 1
	map to guest = Bad User
	load printers = no
	printing = bsd
	printcap name = /dev/null
	disable spoolss = yes
[gv]
	path = /
	vfs objects = glusterfs
	glusterfs:volume = $VOL_SINGLE
	glusterfs:volfile_server = $LAB_HOST
	glusterfs:logfile = $S/log/glusterfs-gv.log
	kernel share modes = no
	read only = no
	guest ok = yes
	force user = root
SMBCONF
}

smbd_listening() { ns_exec ss -ltn "sport = :445" | grep -q LISTEN; }
smbd_gone() { ! lab_pids | xargs -r ps -o comm= -p | grep -qx smbd; }

scenario_samba() {
	for tool in smbd smbclient; do
		command -v $tool >/dev/null ||
			die "$tool not installed (samba samba-vfs-modules smbclient)"
	done
	samba_conf
	# Its own session: smbd's parent signals its whole process group when
	# it exits, which would otherwise include this script and its caller.
	setsid sh "$lab_src/lab.sh" exec smbd --foreground --no-process-group \
		-s "$S/smb.conf" </dev/null >"$S/log/smbd.out" 2>&1 &
	wait_for 20 smbd_listening || die "smbd did not listen (see $S/log)"
	echo "tapline samba" >"$S/upload.txt"
	CAPTURE_FILTER="$CAPTURE_FILTER or (tcp port 445)"
	capture_start "$capture"
	# utimes CREATE ACCESS WRITE CHANGE: -1 leaves a time unchanged, which
	# Samba 4.17 turns into "omit" before calling glfs_utimens.
	TIMED_OUT="$LAB_DIR/log/timed.out" ns_exec sh -c "$TIMED"'
		timed smbclient smbclient -N "//$1/gv" -c "put $2 smb.txt; allinfo smb.txt; setmode smb.txt +r; setmode smb.txt -r; utimes smb.txt -1 -1 2023:11:14-22:13:20 -1; allinfo smb.txt; del smb.txt"' \
		sh "$LAB_HOST" "$S/upload.txt" >"$clog" || status=$?
	# smbd's child calls glfs_fini (~10 s) when the client leaves.
	kill -TERM "$(cat "$S/run/smbd.pid")" 2>/dev/null || true
	wait_for 20 smbd_gone || true
	capture_stop
}

cmd_run() {
	need_root
	[ $# -ge 1 ] || die "run needs a scenario: $SCENARIOS"
	scenario=$1; shift
	capture="$LAB_DIR/captures/$scenario.pcap"
	while [ $# -gt 0 ]; do
		case $1 in
		--capture) [ $# -ge 2 ] || die "--capture needs a file"
			capture=$2; shift 2 ;;
		*) die "unknown run option: $1" ;;
		esac
	done
	case " $SCENARIOS " in
	*" $scenario "*) ;;
	*) die "unknown scenario $scenario (known: $SCENARIOS)" ;;
	esac
	ns_exists || die "lab $NS is down (lab.sh up)"
	mkdir -p "$(dirname "$capture")"
	capture=$(cd "$(dirname "$capture")" && pwd)/$(basename "$capture")
	clog="${capture%.pcap}.client.log"
	CLIENT=$(client_bin)
	status=0
	trap 'capture_stop; nft_unblock; remote_ns_down; exit 130' INT TERM
	"scenario_$(echo "$scenario" | tr - _)"
	trap - INT TERM
	rm -f "$capture".tcpdump-err "${capture%.pcap}2.pcap.tcpdump-err"
	say "$scenario: capture $capture ($(wc -c <"$capture") bytes), client log $clog, client exit $status"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
exec) cmd_exec "$@" ;;
gl) need_root; gl "$@" ;;
_glusterd) ns_exec glusterd -N -f "$LAB_DIR/glusterd.vol" \
	-p "$LAB_DIR/run/glusterd.pid" -l "$LAB_DIR/log/glusterd.log" ;;
run) cmd_run "$@" ;;
scenarios) echo "$SCENARIOS" | tr ' ' '\n' ;;
remote-up) remote_ns_up ;;
remote-down) remote_ns_down ;;
-h|--help|help) usage ;;
*) usage >&2; exit 2 ;;
esac
