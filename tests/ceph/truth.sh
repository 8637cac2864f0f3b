# tests/ceph/truth.sh - sourced by the Ceph tests (after tests/setup.sh):
# ceph_truth LABEL CAPTURE TRANSCRIPT [KEYRING] checks tapline decode's
# reading of a capture of the Ceph lab's client workload against the
# transcript the stock CLI wrote while it ran (tests/captures/ceph/
# README.md: each command's start and end time, exit code, stdout and
# stderr).  The CLI is the truth; each message is tied to the command
# that sent it by its time, which falls within the command's run (one
# clock: the capture and the commands ran on one host).
#
# What each rados command sends is what librados does for it (Ceph's
# src/tools/rados/rados.cc and librados): put WRITEFULL, stat STAT, get
# READ, setxattr SETXATTR, getxattr GETXATTR, listxattr GETXATTRS,
# setomapval OMAPSETVALS, getomapval OMAPGETVALSBYKEYS, listomapkeys
# OMAPGETKEYS, ls PGNLS, rm DELETE.

ceph_truth_fields="frame.number frame.time_epoch tcp.stream ceph.type ceph.tid
ceph.msg.mon_cmd.prefix ceph.msg.mon_cmd_ack.code ceph.msg.mon_cmd_ack.result
ceph.msg.mon_cmd_ack.data ceph.msg.osd_op.oid ceph.osd_op.op
ceph.msg.osd_opreply.result tapline.status_name ceph.osd_op.xattr.name
ceph.osd_op.xattr.value ceph.osd_op.omap.key ceph.osd_op.omap.value
ceph.osd_op.object_size ceph.osd_op.listed ceph.osd_op.extent.size
tapline.kind tapline.request_frame ceph.monmap.epoch ceph.monmap.fsid
ceph.msg.ping.status ceph.msg.osd_opreply.oid tapline.op"

# ceph_truth_decode CAPTURE [KEYRING] > FILE: one line per Ceph message.
ceph_truth_decode() {
	set -- "$1" ${2:+--keyring "$2"}
	e=""
	for f in $ceph_truth_fields; do e="$e -e $f"; done
	# shellcheck disable=SC2086
	"$TAPLINE" decode -Y ceph.type -T fields -E occurrence=a $e "$@"
}

ceph_truth() {
	label=$1 capture=$2 transcript=$3 keyring=${4:-}
	if ! ceph_truth_decode "$capture" "$keyring" >"$TMP/truth.fields" 2>"$TMP/truth.err"; then
		not_ok "$label: tapline decode reads the capture"
		sed 's/^/#   /' "$TMP/truth.err" | head
		return
	fi
	awk -F'\t' -v label="$label" -f "$top_srcdir/tests/ceph/truth.awk" \
		"$transcript" "$TMP/truth.fields" >"$TMP/truth.tap"
	while IFS='	' read -r verdict desc got want; do
		if [ "$verdict" = ok ]; then ok "$desc"
		else not_ok "$desc"; diag "got:  '$got'"; diag "want: '$want'"; fi
	done <"$TMP/truth.tap"
}
