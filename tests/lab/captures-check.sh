#!/bin/sh
# captures-check.sh - the key frames that tests/captures/README.md promises
# are really in the committed captures, as tshark (the independent oracle)
# and the clients' own logs see them.  Fails after a regeneration that moved
# them: update the README and this test together.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/setup.sh"

command -v tshark >/dev/null || skip_all "tshark not installed (scripts/deps.sh)"
C="${CAPTURES_DIR:-$top_srcdir/tests/captures}"
FOP=1298437

# field FILE FRAME FIELD...: the fields of one frame, tab-separated.
field() {
	f=$1 n=$2; shift 2
	set -- $(for x in "$@"; do printf -- '-e %s ' "$x"; done)
	tshark -r "$C/$f" -Y "frame.number == $n" -T fields "$@" 2>/dev/null
}
# is DESCRIPTION GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok "$1"
	else not_ok "$1"; diag "got:  '$2'"; diag "want: '$3'"; fi
}
# ns_of_frame FILE FRAME: the frame's time in ns (from tshark's epoch).
ns_of_frame() {
	field "$1" "$2" frame.time_epoch | awk '{split($1, p, "."); printf "%s%-9s\n", p[1], p[2]}' | tr ' ' 0
}
# within LOG CALLPATTERN N NS: NS lies in [start, end] of the Nth matching line.
within() {
	awk -v pat="$2" -v n="$3" -v t="$4" '
		$0 ~ pat && ++k == n {
			split($1, s, "="); split($2, e, "=")
			# compare as strings of equal length (19 digits)
			exit !((s[2] "") <= (t "") && (t "") <= (e[2] ""))
		}' "$1"
}

# --- gfapi-utimens -----------------------------------------------------------
f=gfapi-utimens.pcap
is "$f 51: SETATTR call" "$(field $f 51 rpc.program rpc.procedure rpc.msgtyp)" "$FOP	38	0"
is "$f 53: SETATTR call" "$(field $f 53 rpc.program rpc.procedure rpc.msgtyp)" "$FOP	38	0"
is "$f 54: reply to 53, op_ret 0, post-op atime -1 shown unsigned" \
	"$(field $f 54 rpc.repframe gluster.op_ret glusterfs.iax_atime)" \
	"53	0	1700000000,18446744073709551615"
check "$f 53: wire bytes ia_atime -1, ia_mtime 1700000002" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == 53' -T fields -e tcp.payload 2>/dev/null | grep -q ffffffffffffffff000000006553f102"
check "$f 53: tshark flags the v400 call malformed" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == 53 && _ws.malformed' 2>/dev/null | grep -q ."
check "client log: second glfs_utimens (atime -1) window holds frame 53" \
	within "$C/gfapi-utimens.client.log" 'call=glfs_utimens' 2 "$(ns_of_frame $f 53)"
check "client log: first glfs_utimens window holds frame 51" \
	within "$C/gfapi-utimens.client.log" 'call=glfs_utimens' 1 "$(ns_of_frame $f 51)"
is "$f 60: RELEASE (41)" "$(field $f 60 rpc.procedure)" "41"

# --- auth-failure ------------------------------------------------------------
f=auth-failure.pcap
is "$f 26: SETVOLUME reply op_ret -1 op_errno 13" \
	"$(field $f 26 rpc.program rpc.procedure rpc.repframe gluster.op_ret gluster.op_errno)" \
	"14398633	1	23	-1	13"
check "$f 26: dict says Authentication failed" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == 26' -V 2>/dev/null | grep -q 'ERROR: Authentication failed'"
pid=$(sed -n 's/^# gfapi-client pid=\([0-9]*\) .*/\1/p' "$C/auth-failure.client.log")
check "$f 23: process-uuid carries the client's pid ($pid)" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == 23' -V 2>/dev/null | grep -q 'process-uuid: .*-PID:$pid-'"
check "client log: glfs_init never returned" \
	grep -q 'call=glfs_init returned=no ' "$C/auth-failure.client.log"

# --- mount failures ----------------------------------------------------------
f=mount-failure-drop.pcap
port=$(field $f 24 tcp.dstport)
is "$f 24-26: three SYNs to the brick port" \
	"$(tshark -r "$C/$f" -Y "tcp.dstport == $port && tcp.flags.syn == 1" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')" \
	"24 25 26 "
is "$f: no packet from the brick port" \
	"$(tshark -r "$C/$f" -Y "tcp.srcport == $port" 2>/dev/null | wc -l)" "0"
check "client log: glfs_init EIO (drop)" \
	grep -q 'call=glfs_init returned=yes ret=-1 errno=5 ' "$C/mount-failure-drop.client.log"
f=mount-failure-reject.pcap
is "$f 23: RST,ACK from the brick port" "$(field $f 23 tcp.flags.reset tcp.flags.ack)" "1	1"
check "client log: glfs_init EIO (reject)" \
	grep -q 'call=glfs_init returned=yes ret=-1 errno=5 ' "$C/mount-failure-reject.client.log"
for g in mount-failure-drop mount-failure-reject; do
	check "$g.pcap.gz is the same capture" \
		sh -c "gzip -dc '$C/$g.pcap.gz' | cmp - '$C/$g.pcap'"
done

# --- cli-ops -----------------------------------------------------------------
f=cli-ops.pcap
is "$f 23: portmap SIGNIN call" "$(field $f 23 rpc.program rpc.procedure rpc.msgtyp)" "34123456	4	0"
is "$f 49: CLI GET_VOLUME call" "$(field $f 49 rpc.program rpc.procedure)" "1238463	5"
is "$f 71: CLI SET_VOLUME over TCP refused (PROC_UNAVAIL)" \
	"$(field $f 71 rpc.program rpc.procedure rpc.state_accept)" "1238463	12	3"
check "transcript: volume set over TCP exits 1" \
	sh -c "grep -A1 -- '--remote-host=.* volume set' '$C/cli-ops.client.log' | grep -q exit=1"

# --- distribute-2brick -------------------------------------------------------
f=distribute-2brick.pcap
is "$f: nanosecond pcap" "$(od -An -tx1 -N4 "$C/$f" | tr -d ' ')" "4d3cb2a1"
for n in 121 141 161 183; do
	is "$f $n: SETATTR reply, post-op atime -1" \
		"$(field $f $n rpc.procedure gluster.op_ret glusterfs.iax_atime | cut -d, -f2)" \
		"18446744073709551615"
done
is "$f: SETATTRs went to two bricks" \
	"$(tshark -r "$C/$f" -Y "rpc.program == $FOP && rpc.procedure == 38 && rpc.msgtyp == 0" -T fields -e tcp.dstport 2>/dev/null | sort -u | wc -l)" "2"

# --- any-sll / any-sll2 ------------------------------------------------------
is "any-sll.pcap is Linux cooked v1" "$(capinfos -T -E -m "$C/any-sll.pcap" 2>/dev/null | tail -1 | cut -d, -f2)" "linux-sll"
is "any-sll2.pcap is Linux cooked v2" "$(capinfos -T -E -m "$C/any-sll2.pcap" 2>/dev/null | tail -1 | cut -d, -f2)" "linux-sll2"
for f in any-sll.pcap any-sll2.pcap; do
	is "$f 54: SETATTR reply, post-op atime -1" \
		"$(field $f 54 rpc.procedure glusterfs.iax_atime | cut -d, -f2)" "18446744073709551615"
done

# --- fuse-mount, qemu-img, samba --------------------------------------------
f=fuse-mount.pcap
is "$f 64: SETATTR reply, post-op mtime 1700000000" \
	"$(field $f 64 rpc.procedure glusterfs.iax_mtime | cut -d, -f2)" "1700000000"
is "$f 75: RELEASEDIR (42), which tshark calls RELEASE" \
	"$(field $f 75 rpc.procedure _ws.col.Info)" "42	V400 RELEASE Call"
check "$f: FUSE client says process-name fuse" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == 33' -V 2>/dev/null | grep -q 'process-name: fuse'"
is "qemu-img.pcap 114: SEEK (48)" "$(field qemu-img.pcap 114 rpc.procedure)" "48"
f=samba.pcap
is "$f 454: SMB2 SetInfo (17)" "$(field $f 454 smb2.cmd)" "17"
got=$(field $f 456 rpc.procedure gluster.op_ret glusterfs.iax_atime glusterfs.iax_mtime)
is "$f 456: SETATTR reply, post-op mtime 1700000000" "$(echo "$got" | cut -d, -f3)" "1700000000"
case $got in
*18446744073709551615*) not_ok "$f 456: Samba did not send atime -1" ;;
*) ok "$f 456: Samba did not send atime -1" ;;
esac
check "$f: smbd connects as gfapi.smbd" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == 51' -V 2>/dev/null | grep -q 'process-name: gfapi.smbd'"
done_testing
