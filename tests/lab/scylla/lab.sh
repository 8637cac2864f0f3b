#!/bin/sh
# tests/lab/scylla/lab.sh - captures ScyllaDB inter-node RPC traffic made by
# scylla-gen (three "nodes" 127.0.0.1-3 on port 7000, a CQL client on
# 127.0.0.10) inside a private network namespace, with tcpdump on its lo.
#
# No ScyllaDB server is installable here: the bytes are built from the
# spec (docs/scylla.md).  Must run as root; hold the machine's lab lock:
#	flock /tmp/tapline-lab.lock tests/lab/scylla/lab.sh run gossip
#
# Usage: lab.sh run SCENARIO [--capture FILE]   (log: FILE minus .pcap + .log)
#        lab.sh scenarios
# Environment: SCYLLA_LAB_NS (namespace, default tapline-scylla),
#        SCYLLA_GEN (the built generator; default: built on demand).
set -eu

NS=${SCYLLA_LAB_NS:-tapline-scylla}
lab_src=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$lab_src/../../.." && pwd)}
FILTER='tcp port 7000 or tcp port 9042'

say() { printf 'scylla-lab: %s\n' "$*" >&2; }
die() { printf 'scylla-lab: error: %s\n' "$*" >&2; exit 1; }

usage() {
	cat <<EOF
usage: lab.sh run SCENARIO [--capture FILE]
       lab.sh scenarios

Runs scylla-gen's SCENARIO in network namespace $NS while tcpdump
captures its lo to FILE (default ./SCENARIO.pcap); the generator's log
(what it sent: the ground truth) goes beside it as SCENARIO.log.
EOF
}

gen=${SCYLLA_GEN:-}
find_gen() {
	[ -n "$gen" ] && [ -x "$gen" ] && return 0
	for g in "${top_builddir:-}/tests/lab/scylla/scylla-gen" \
		"$top_srcdir/build/tests/lab/scylla/scylla-gen"; do
		[ -x "$g" ] && { gen=$g; return 0; }
	done
	gen=$(mktemp -d /tmp/scylla-gen.XXXXXX)/scylla-gen
	${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -o "$gen" \
		"$lab_src/scylla-gen.c" -llz4 ||
		die "cannot build scylla-gen (apt-get install liblz4-dev)"
}

ns_up() {
	[ -e "/run/netns/$NS" ] && die "namespace $NS exists (another run?)"
	ip netns add "$NS"
	ip -n "$NS" link set lo up
}

ns_down() {
	[ -e "/run/netns/$NS" ] && ip netns delete "$NS"
	return 0
}

tcpdump_pid=""
stop_tcpdump() {
	if [ -n "$tcpdump_pid" ]; then
		kill -INT "$tcpdump_pid" 2>/dev/null || true
		wait "$tcpdump_pid" 2>/dev/null || true
		tcpdump_pid=""
	fi
}

cleanup() {
	stop_tcpdump
	ns_down
}

start_tcpdump() {
	out=$1
	err=$out.tcpdump-err
	# -Z root: Debian's tcpdump otherwise drops to user tcpdump and
	# writes nothing; -U and --immediate-mode: every packet reaches the
	# file at once (the kernel otherwise holds them up to a second).
	ip netns exec "$NS" tcpdump -i lo -s 0 -U --immediate-mode -Z root -w "$out" "$FILTER" \
		2>"$err" &
	tcpdump_pid=$!
	i=0
	until grep -q 'listening on' "$err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "tcpdump did not start: $(cat "$err")"
		sleep 0.05
	done
}

run() {
	scenario=$1
	capture=$2
	[ "$(id -u)" -eq 0 ] || die "must run as root (network namespace)"
	command -v tcpdump >/dev/null || die "tcpdump not installed"
	find_gen
	log=${capture%.pcap}.log
	trap cleanup EXIT INT TERM
	ns_up
	if [ "$scenario" = midstream ]; then
		pause=$(mktemp -u /tmp/scylla-gen-pause.XXXXXX)
		ip netns exec "$NS" "$gen" --scenario "$scenario" --log "$log" \
			--pause "$pause" &
		genpid=$!
		i=0
		until [ -e "$pause.ready" ]; do
			i=$((i + 1))
			[ $i -lt 600 ] || die "the generator did not pause"
			sleep 0.05
		done
		start_tcpdump "$capture"
		touch "$pause.go"
		wait "$genpid" || die "scylla-gen failed"
		rm -f "$pause.ready" "$pause.go"
	else
		start_tcpdump "$capture"
		ip netns exec "$NS" "$gen" --scenario "$scenario" --log "$log" ||
			die "scylla-gen failed"
	fi
	sleep 0.3
	stop_tcpdump
	grep -v 'listening on\|packets captured\|packets received\|packets dropped' \
		"$capture.tcpdump-err" >&2 || true
	rm -f "$capture.tcpdump-err"
	ns_down
	trap - EXIT INT TERM
	say "$scenario: $capture ($(wc -c <"$capture") bytes), $log"
}

[ $# -ge 1 ] || { usage >&2; exit 2; }
case $1 in
run)
	[ $# -ge 2 ] || { usage >&2; exit 2; }
	scenario=$2
	capture=./$scenario.pcap
	if [ $# -ge 4 ] && [ "$3" = --capture ]; then
		capture=$4
	elif [ $# -ne 2 ]; then
		usage >&2
		exit 2
	fi
	run "$scenario" "$capture"
	;;
scenarios)
	find_gen
	"$gen" --list
	;;
-h|--help|help)
	usage
	;;
*)
	usage >&2
	exit 2
	;;
esac
