#!/bin/sh
# decode-snapshot.sh - every output of `tapline decode` (and the
# correlator's timeline) on every lab capture and every capture of the
# fuzz corpora, written into one directory, one file per run, so that
# two builds can be compared with `diff -r`:
#
#	scripts/decode-snapshot.sh /tmp/before OLD/tapline
#	scripts/decode-snapshot.sh /tmp/after build/tapline
#	diff -r /tmp/before /tmp/after && echo byte-identical
#
# Not a test: it says what changed, not what is right (the goldens,
# decode-vs-tshark.sh and tshark-diff.sh check that against tshark).
set -u
out=${1:?usage: decode-snapshot.sh OUTDIR TAPLINE}
tapline=${2:?usage: decode-snapshot.sh OUTDIR TAPLINE}
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"

header="-e frame.number -e frame.time_epoch -e frame.time_relative
	-e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e ip.addr -e tcp.port
	-e tcp.srcport -e tcp.dstport -e tcp.stream -e rpc.xid -e rpc.msgtyp
	-e rpc.program -e rpc.programversion -e rpc.procedure -e rpc.repframe
	-e rpc.time -e rpc.replystat -e rpc.state_accept -e tapline.protocol
	-e tapline.program -e tapline.procedure -e tapline.length
	-e tapline.first_frame"
body="-e gluster.op_ret -e gluster.op_errno -e _ws.malformed
	-e tapline.verdict -e glusterfs.proc -e glusterfs.hndsk.proc
	-e glusterfs.gfid -e glusterfs.bname -e glusterfs.dict.key
	-e glusterfs.dict.value -e rpc.auth.flavor -e rpc.auth.pid
	-e rpc.auth.ctime -e glusterfs.iattx -e glusterfs.ia_atime
	-e glusterfs.setattr.valid -e glusterfs.flags -e glusterd.op
	-e gluster.dump.progname -e rpc.state_auth -e glusterfs.data_length"
filters="rpc
glusterfs
gluster
glusterd
onc-rpc
tcp
ip
frame
not rpc
rpc.msgtyp == 1 && rpc.time > 0.0001
gluster.op_errno == EACCES
gluster.op_ret < 0
glusterfs.proc == SETATTR
glusterfs.setattr.valid contains MTIME
tapline.verdict
_ws.malformed
glusterfs.bname matches \"^tap\"
ip.addr == 127.0.0.1 and tcp.port in {24007 49152}
rpc.procedure == 1 or glusterfs.hndsk.proc == SETVOLUME"

n=0
for cap in "$top"/tests/captures/*.pcap "$top"/tests/captures/*.pcap.gz \
	   "$top"/tests/captures/*.pcapng "$top"/tests/gluster/captures/*.pcap \
	   "$top"/tests/fuzz/corpus/pcap/* "$top"/tests/fuzz/corpus/decode_output/*; do
	[ -f "$cap" ] || continue
	n=$((n + 1))
	name=$(echo "$cap" | sed "s|^$top/||; s|/|_|g")
	d="$out/$name"
	mkdir -p "$d"
	run() {
		f=$1; shift
		"$tapline" decode "$@" "$cap" >"$d/$f" 2>"$d/$f.err"
		echo "exit $?" >>"$d/$f.err"
	}
	run summary
	run verbose -V
	run json -T json
	# shellcheck disable=SC2086
	run fields-header -T fields $header
	# shellcheck disable=SC2086
	run fields-all -T fields $header $body
	# shellcheck disable=SC2086
	run fields-opts -T fields -E header=y -E separator=, -E quote=d \
		-E occurrence=f $header $body
	run stats -q -z rpc,srt -z rpc,programs -z rpc,unanswered \
		-z gluster,errors -z expert -z rpc,srt,1298437,400
	run stats-filtered -q -z rpc,srt -z gluster,errors -z expert \
		-Y 'rpc.msgtyp == 1'
	i=0
	echo "$filters" | while IFS= read -r flt; do
		i=$((i + 1))
		run "filter-$i" -T fields -e frame.number -e rpc.xid -Y "$flt"
		run "filter-$i-summary" -Y "$flt"
	done
	run list-fields --list-fields
	# the correlator's timeline, as SQL text
	if [ "${SNAPSHOT_CORRELATE:-1}" = 1 ]; then
		db=${TMPDIR:-/tmp}/decode-snapshot.$$.db
		rm -f "$db"
		"$tapline" correlate -o "$db" "$cap" \
			>"$d/correlate.out" 2>"$d/correlate.err"
		echo "exit $?" >>"$d/correlate.err"
		sed -i 's/[0-9.]* s\b/N s/g; s/[0-9.]* [kM]\?B\/s/N B\/s/g' \
			"$d/correlate.out" "$d/correlate.err"
		sed -i "s|$db|TIMELINE|" "$d/correlate.err"
		if [ -f "$db" ]; then
			for t in conversations rpc_messages; do
				sqlite3 "$db" "SELECT * FROM $t ORDER BY id" \
					>"$d/db-$t" 2>&1
			done
			rm -f "$db"
		fi
	fi
done
echo "$n captures into $out"
