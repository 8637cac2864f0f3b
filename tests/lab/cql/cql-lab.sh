#!/bin/sh
# tests/lab/cql/cql-lab.sh - makes the CQL captures: a real Cassandra 2.1
# (cassandra.sh) driven by the real DataStax Node.js driver (workload.js)
# and by a spec-built raw client for compressed frames (rawclient.js), plus
# the protocol v4/v5 conversations built from the specs (gen.js), each
# captured with tcpdump in a private network namespace, each beside the
# client's own log of what it sent and received.
#
# usage: cql-lab.sh regen [OUTDIR]     every capture into OUTDIR
#                                      (default tests/captures/cql)
#        cql-lab.sh live OUTDIR        one Cassandra start (authentication
#                                      on) for every workload: the test run
#        cql-lab.sh gen VERSION OUT.pcap OUT.log
# Needs root; holds /tmp/tapline-cql.lock itself (namespaces are fixed).
# CQL_COMPRESS: the built tests/lab/cql/cql-compress (default: from
# $top_builddir, else built here with cc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../../.." && pwd)}
CQL_LAB_DIR=${CQL_LAB_DIR:-$here/work}
export CQL_LAB_DIR
GEN_NS=${CQL_GEN_NS:-tapline-cqlgen}
CASSANDRA=$here/cassandra.sh
NODE_PATH=$CQL_LAB_DIR/node/node_modules
export NODE_PATH

say() { printf 'cql-lab: %s\n' "$*" >&2; }
die() { printf 'cql-lab: error: %s\n' "$*" >&2; exit 1; }

compressor_path() {
	if [ -n "${CQL_COMPRESS:-}" ]; then echo "$CQL_COMPRESS"; return; fi
	if [ -n "${top_builddir:-}" ] && [ -x "$top_builddir/tests/lab/cql/cql-compress" ]; then
		echo "$top_builddir/tests/lab/cql/cql-compress"; return
	fi
	mkdir -p "$CQL_LAB_DIR"
	cc -O2 -o "$CQL_LAB_DIR/cql-compress" "$here/cql-compress.c" -llz4 -lsnappy ||
		die "cannot build cql-compress (apt-get install liblz4-dev libsnappy-dev)"
	echo "$CQL_LAB_DIR/cql-compress"
}

# capture NS FILE CMD...: runs CMD while tcpdump in namespace NS writes the
# CQL port's packets to FILE.
# --immediate-mode: packets reach tcpdump at once (libpcap otherwise hands
# them over per filled block or after its 1 s timeout, and a stop inside
# that window loses the end of the run).  In that mode the kernel ring has
# one slot per snapshot length: -s 65600 (loopback's 64 KiB packets whole)
# and -B 65536 (64 MiB) give it ~1000 slots; tcpdump's defaults give 8,
# and a burst of small packets overflowed them ("dropped by kernel").
# After the run the drop count must be 0.
capture() {
	ns=$1 file=$2; shift 2
	errf=$file.tcpdump
	ip netns exec "$ns" tcpdump -i lo -s 65600 -B 65536 -U --immediate-mode -Z root -w "$file" 'tcp port 9042' 2>"$errf" &
	tcpdump_pid=$!
	i=0
	until grep -q "listening on" "$errf" 2>/dev/null; do
		sleep 0.1; i=$((i + 1)); [ $i -lt 100 ] || die "tcpdump did not start"
	done
	status=0
	"$@" || status=$?
	sleep 0.5
	kill -INT "$tcpdump_pid" 2>/dev/null || true
	wait "$tcpdump_pid" 2>/dev/null || true
	grep -q "^0 packets dropped by kernel" "$errf" || die "$file: tcpdump lost packets: $(tr '\n' ' ' <"$errf")"
	rm -f "$errf"
	# Every connection of a run ends before tcpdump stops: no FIN in the
	# file means the capture lost its end.
	fins=$(tcpdump -nr "$file" 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)
	[ "$fins" -ge 2 ] || die "$file: the capture has no connection end (tcpdump lost packets?)"
	return $status
}

in_lab() { ip netns exec "${CQL_LAB_NS:-tapline-cql}" "$@"; }

gen() {
	version=$1 pcap=$2 log=$3
	compressor=$(compressor_path)
	ip netns del "$GEN_NS" 2>/dev/null || true
	ip netns add "$GEN_NS"
	ip netns exec "$GEN_NS" ip link set lo up
	status=0
	capture "$GEN_NS" "$pcap" ip netns exec "$GEN_NS" node "$here/gen.js" \
		--version "$version" --compressor "$compressor" --log "$log" || status=$?
	ip netns del "$GEN_NS" 2>/dev/null || true
	return $status
}

# regen [OUTDIR [PART...]]: PART is plain (no authentication: the driver
# at v3/v2/v1, compressed frames), auth (PasswordAuthenticator), gen (v4,
# v5); all three by default.
regen() {
	out=${1:-$top_srcdir/tests/captures/cql}
	[ $# -gt 0 ] && shift
	parts=${*:-plain auth gen}
	mkdir -p "$out"
	compressor=$(compressor_path)
	"$CASSANDRA" install
	trap '"$CASSANDRA" down' EXIT
	case " $parts " in *" plain "*)
	"$CASSANDRA" up
	capture tapline-cql "$out/cql-v3.pcap" in_lab node "$here/workload.js" --version auto --log "$out/cql-v3.client.log"
	capture tapline-cql "$out/cql-v2.pcap" in_lab node "$here/workload.js" --version 2 --log "$out/cql-v2.client.log"
	capture tapline-cql "$out/cql-v1.pcap" in_lab node "$here/workload.js" --version 1 --log "$out/cql-v1.client.log"
	capture tapline-cql "$out/cql-lz4-v3.pcap" in_lab node "$here/rawclient.js" --compression lz4 --version 3 --compressor "$compressor" --log "$out/cql-lz4-v3.client.log"
	capture tapline-cql "$out/cql-snappy-v2.pcap" in_lab node "$here/rawclient.js" --compression snappy --version 2 --compressor "$compressor" --log "$out/cql-snappy-v2.client.log"
	capture tapline-cql "$out/cql-lz4-v1.pcap" in_lab node "$here/rawclient.js" --compression lz4 --version 1 --compressor "$compressor" --log "$out/cql-lz4-v1.client.log"
	"$CASSANDRA" down ;;
	esac
	case " $parts " in *" auth "*)
	# A login and a wrong password at each version (v1: CREDENTIALS; v2,
	# v3: SASL).
	"$CASSANDRA" up --auth
	for v in 3 2 1; do
		capture tapline-cql "$out/cql-auth-v$v.pcap" in_lab node "$here/workload.js" --version $v --steps auth \
			--auth cassandra:cassandra --log "$out/cql-auth-v$v.client.log"
	done
	"$CASSANDRA" down ;;
	esac
	trap - EXIT
	case " $parts " in *" gen "*)
	gen 4 "$out/cql-v4-gen.pcap" "$out/cql-v4-gen.client.log"
	gen 5 "$out/cql-v5-gen.pcap" "$out/cql-v5-gen.client.log" ;;
	esac
	say "captures in $out"
}

# live OUTDIR: one Cassandra start with PasswordAuthenticator for every
# workload (the quick run of the test suite), then the v4/v5 generator.
live() {
	out=$1
	mkdir -p "$out"
	compressor=$(compressor_path)
	"$CASSANDRA" install
	trap '"$CASSANDRA" down' EXIT
	"$CASSANDRA" up --auth
	for v in 3 2 1; do
		ver=$v; [ $v = 3 ] && ver=auto	# v3 as drivers reach it: after the 0x42 probe
		capture tapline-cql "$out/cql-v$v.pcap" in_lab node "$here/workload.js" --version $ver \
			--auth cassandra:cassandra --log "$out/cql-v$v.client.log"
		capture tapline-cql "$out/cql-auth-v$v.pcap" in_lab node "$here/workload.js" --version $v --steps auth \
			--auth cassandra:cassandra --log "$out/cql-auth-v$v.client.log"
	done
	capture tapline-cql "$out/cql-lz4-v3.pcap" in_lab node "$here/rawclient.js" --compression lz4 --version 3 --compressor "$compressor" --log "$out/cql-lz4-v3.client.log"
	capture tapline-cql "$out/cql-snappy-v2.pcap" in_lab node "$here/rawclient.js" --compression snappy --version 2 --compressor "$compressor" --log "$out/cql-snappy-v2.client.log"
	capture tapline-cql "$out/cql-lz4-v1.pcap" in_lab node "$here/rawclient.js" --compression lz4 --version 1 --compressor "$compressor" --log "$out/cql-lz4-v1.client.log"
	"$CASSANDRA" down
	trap - EXIT
	gen 4 "$out/cql-v4-gen.pcap" "$out/cql-v4-gen.client.log"
	gen 5 "$out/cql-v5-gen.pcap" "$out/cql-v5-gen.client.log"
}

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, tcpdump)"
cmd=${1:-}; [ $# -gt 0 ] && shift
case $cmd in
regen|gen|live)
	if [ -z "${CQL_LAB_LOCKED:-}" ]; then
		CQL_LAB_LOCKED=1 exec flock /tmp/tapline-cql.lock "$0" "$cmd" "$@"
	fi
	"$cmd" "$@" ;;
*) echo "usage: cql-lab.sh regen [OUTDIR [plain|auth|gen]...] | live OUTDIR | gen VERSION OUT.pcap OUT.log" >&2; exit 2 ;;
esac
