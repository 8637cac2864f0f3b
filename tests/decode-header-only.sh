#!/bin/sh
# decode-header-only.sh - when nothing shown reads a message body (the
# -T fields columns, the -Y names and the -z reports all come from the
# RPC header), tapline decode skips credentials and bodies.  The output
# must be exactly what full decoding gives: on every lab capture, the
# header columns decoded header-only equal the same columns of a run
# that also asks for a body field (gluster.op_errno forces full
# decoding), with and without a -Y filter, and for -z rpc,srt; and on the
# fuzz corpus's hostile captures (cut credentials, bad lengths), whose
# decoding may end with an error: the same error, at the same place.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

"$TAPLINE" decode --help >/dev/null 2>&1 ||
	skip_all "tapline has no decode command in this build"

header="-e frame.number -e frame.time_epoch -e ip.src -e ip.dst
	-e tcp.srcport -e tcp.dstport -e tcp.stream -e rpc.xid -e rpc.msgtyp
	-e rpc.program -e rpc.programversion -e rpc.procedure -e rpc.repframe
	-e rpc.time -e rpc.replystat -e rpc.state_accept -e tapline.protocol
	-e tapline.program -e tapline.procedure -e tapline.length
	-e tapline.first_frame -e tapline.kind -e tapline.id -e tapline.service
	-e tapline.op -e tapline.request_frame -e tapline.latency"
ncols=27

# columns CAPTURE [EXTRA...]: the header columns (and EXTRA), with the
# error message if decoding stops at one (hostile captures)
columns() {
	c=$1; shift
	# shellcheck disable=SC2086 # $header is a list of options
	"$TAPLINE" decode -T fields $header "$@" "$c" 2>&1 || echo "exit $?"
}

for cap in "$top_srcdir"/tests/captures/*.pcap "$top_srcdir"/tests/captures/*.pcap.gz \
	   "$top_srcdir"/tests/gluster/captures/*.pcap; do
	name=$(basename "$cap")
	columns "$cap" >"$TMP/head"
	columns "$cap" -e gluster.op_errno | cut -f1-$ncols >"$TMP/full"
	check "$name: header-only columns equal the fully decoded ones ($(wc -l <"$TMP/head") messages)" \
		cmp "$TMP/head" "$TMP/full"
	"$TAPLINE" decode -T fields -e rpc.xid -e rpc.procedure \
		-Y 'rpc.msgtyp == 1 && rpc.time > 0.0001' "$cap" >"$TMP/head"
	"$TAPLINE" decode -T fields -e rpc.xid -e rpc.procedure -e gluster.op_ret \
		-Y 'rpc.msgtyp == 1 && rpc.time > 0.0001' "$cap" | cut -f1-2 >"$TMP/full"
	check "$name: ... with a -Y filter on header fields" cmp "$TMP/head" "$TMP/full"
	"$TAPLINE" decode -q -z rpc,srt "$cap" >"$TMP/head"
	"$TAPLINE" decode -q -z rpc,srt -Y 'rpc || gluster.op_errno' "$cap" |
		grep -v '^Filter:' >"$TMP/full"
	grep -v '^Filter:' "$TMP/head" >"$TMP/head2"
	check "$name: ... -z rpc,srt" cmp "$TMP/head2" "$TMP/full"
done

n=0 same=0
for cap in "$top_srcdir"/tests/fuzz/corpus/pcap/*; do
	n=$((n + 1))
	columns "$cap" >"$TMP/head"
	columns "$cap" -e gluster.op_errno | cut -f1-$ncols >"$TMP/full"
	if cmp -s "$TMP/head" "$TMP/full"; then
		same=$((same + 1))
	else
		echo "# differs: $(basename "$cap")"
	fi
done
check "hostile captures of the fuzz corpus: $same of $n the same" [ "$same" -eq "$n" ]
done_testing
