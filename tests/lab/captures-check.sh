#!/bin/sh
# captures-check.sh - what tests/captures/README.md says about each capture
# is true, as tshark (the independent oracle) and the clients' own logs see
# it.  Frames are found by content, so the checks also hold for a fresh
# regeneration (CAPTURES_DIR=DIR); on the committed captures the frame
# numbers must also be the ones the README gives (README_FRAMES=no skips
# that, e.g. right after regen-captures.sh, before the README is updated).
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
# nth FILE FILTER N: the number of the Nth frame matching FILTER.
nth() {
	tshark -r "$C/$1" -Y "$2" -T fields -e frame.number 2>/dev/null | sed -n "${3}p"
}
# readme DESCRIPTION GOT WANT: a frame number the README gives.
if [ -z "${CAPTURES_DIR:-}" ] && [ "${README_FRAMES:-yes}" = yes ]; then
	readme() { is "README: $1 is frame $3" "$2" "$3"; }
else
	readme() { :; }
fi
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
SETATTR_CALL="rpc.program == $FOP && rpc.procedure == 38 && rpc.msgtyp == 0"
f=gfapi-utimens.pcap
first=$(nth $f "$SETATTR_CALL" 1)
second=$(nth $f "$SETATTR_CALL" 2)
is "$f: two SETATTR calls" "$(nth $f "$SETATTR_CALL" 3)" ""
readme "$f first SETATTR call" "$first" 51
readme "$f second SETATTR call" "$second" 53
reply=$(nth $f "rpc.repframe == $second" 1)
readme "$f second SETATTR reply" "$reply" 54
is "$f: reply to the 2nd SETATTR: op_ret 0, post-op atime -1 shown unsigned" \
	"$(field $f "${reply:-0}" gluster.op_ret glusterfs.iax_atime)" \
	"0	1700000000,18446744073709551615"
check "$f: 2nd SETATTR call's bytes: ia_atime -1, ia_mtime 1700000002" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == ${second:-0}' -T fields -e tcp.payload 2>/dev/null | grep -q ffffffffffffffff000000006553f102"
check "$f: tshark flags the v400 SETATTR call malformed" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == ${second:-0} && _ws.malformed' 2>/dev/null | grep -q ."
check "client log: 2nd glfs_utimens (atime -1) window holds the 2nd SETATTR" \
	within "$C/gfapi-utimens.client.log" 'call=glfs_utimens' 2 "$(ns_of_frame $f "${second:-0}")"
check "client log: 1st glfs_utimens window holds the 1st SETATTR" \
	within "$C/gfapi-utimens.client.log" 'call=glfs_utimens' 1 "$(ns_of_frame $f "${first:-0}")"
is "gfapi-utimens.pcapng is pcapng with the same packets" \
	"$(capinfos -T -t -m "$C/gfapi-utimens.pcapng" 2>/dev/null | tail -1 | cut -d, -f2) $(tshark -r "$C/gfapi-utimens.pcapng" -T fields -e tcp.payload 2>/dev/null | md5sum)" \
	"pcapng $(tshark -r "$C/$f" -T fields -e tcp.payload 2>/dev/null | md5sum)"
readme "$f RELEASE (41) call" "$(nth $f "rpc.program == $FOP && rpc.procedure == 41 && rpc.msgtyp == 0" 1)" 60

# --- auth-failure ------------------------------------------------------------
f=auth-failure.pcap
call=$(nth $f "rpc.program == 14398633 && rpc.procedure == 1 && rpc.msgtyp == 0" 1)
reply=$(nth $f "rpc.program == 14398633 && rpc.procedure == 1 && rpc.msgtyp == 1" 1)
readme "$f SETVOLUME call" "$call" 23
readme "$f SETVOLUME reply" "$reply" 26
is "$f: SETVOLUME reply op_ret -1 op_errno 13" \
	"$(field $f "${reply:-0}" rpc.repframe gluster.op_ret gluster.op_errno)" "$call	-1	13"
check "$f: reply dict says Authentication failed" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == ${reply:-0}' -V 2>/dev/null | grep -q 'ERROR: Authentication failed'"
pid=$(sed -n 's/^# gfapi-client pid=\([0-9]*\) .*/\1/p' "$C/auth-failure.client.log")
check "$f: SETVOLUME process-uuid carries the client's pid ($pid)" \
	sh -c "tshark -r '$C/$f' -Y 'frame.number == ${call:-0}' -V 2>/dev/null | grep -q 'process-uuid: .*-PID:$pid-'"
check "client log: glfs_init never returned" \
	grep -q 'call=glfs_init returned=no ' "$C/auth-failure.client.log"

f=auth-failure-remote.pcap
reply=$(nth $f "rpc.program == 14398633 && rpc.procedure == 1 && rpc.msgtyp == 1" 1)
readme "$f SETVOLUME reply" "$reply" 32
is "$f: SETVOLUME reply op_ret -1 op_errno 13" \
	"$(field $f "${reply:-0}" gluster.op_ret gluster.op_errno)" "-1	13"
is "$f: client 192.0.2.2, server 192.0.2.1" "$(field $f "${reply:-0}" ip.dst ip.src)" "192.0.2.2	192.0.2.1"
pid=$(sed -n 's/^# gfapi-client pid=\([0-9]*\) .*/\1/p' "$C/auth-failure-remote.client.log")
check "$f: SETVOLUME process-uuid carries the client's pid ($pid)" \
	sh -c "tshark -r '$C/$f' -Y 'glusterfs.hndsk.proc == 1 && rpc.msgtyp == 0' -V 2>/dev/null | grep -q 'process-uuid: .*-PID:$pid-'"
# getspec_has_username FILE: 1 when the first GETSPEC reply's volfile has
# credentials (the trusted volfile), else 0.
getspec_has_username() {
	n=$(nth "$1" 'glusterfs.hndsk.proc == 2 && rpc.msgtyp == 1' 1)
	# "option username" in hex (the reply fits in one segment on lo)
	tshark -r "$C/$1" -Y "frame.number == ${n:-0}" -T fields -e tcp.payload 2>/dev/null |
		grep -c 6f7074696f6e20757365726e616d65 || true
}
is "$f: the remote client got the non-trusted volfile" "$(getspec_has_username $f)" 0
is "gfapi-utimens.pcap: the local client got the trusted volfile" \
	"$(getspec_has_username gfapi-utimens.pcap)" 1
check "client log: glfs_init never returned (remote)" \
	grep -q 'call=glfs_init returned=no ' "$C/auth-failure-remote.client.log"

# --- mount failures ----------------------------------------------------------
# The brick port is the one PORTBYBRICK answered with.
f=mount-failure-drop.pcap
port=$(tshark -r "$C/$f" -Y 'gluster.pmap.proc == 1 && rpc.msgtyp == 1' -T fields -e gluster.brick.port 2>/dev/null | head -1)
syns=$(tshark -r "$C/$f" -Y "tcp.dstport == ${port:-0} && tcp.flags.syn == 1" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
is "$f: three SYNs to the brick port ${port:-?}" "$(echo $syns | wc -w)" 3
readme "$f SYNs" "$syns" "24 25 26 "
is "$f: no packet from the brick port" \
	"$(tshark -r "$C/$f" -Y "tcp.srcport == ${port:-0}" 2>/dev/null | wc -l)" "0"
check "client log: glfs_init EIO (drop)" \
	grep -q 'call=glfs_init returned=yes ret=-1 errno=5 ' "$C/mount-failure-drop.client.log"
f=mount-failure-reject.pcap
port=$(tshark -r "$C/$f" -Y 'gluster.pmap.proc == 1 && rpc.msgtyp == 1' -T fields -e gluster.brick.port 2>/dev/null | head -1)
rst=$(nth $f "tcp.srcport == ${port:-0} && tcp.flags.reset == 1 && tcp.flags.ack == 1" 1)
is "$f: the brick port ${port:-?} answers the SYN with RST,ACK" "${rst:+yes}" yes
readme "$f RST" "$rst" 23
check "client log: glfs_init EIO (reject)" \
	grep -q 'call=glfs_init returned=yes ret=-1 errno=5 ' "$C/mount-failure-reject.client.log"
for g in mount-failure-drop mount-failure-reject; do
	check "$g.pcap.gz is the same capture" \
		sh -c "gzip -dc '$C/$g.pcap.gz' | cmp - '$C/$g.pcap'"
done

# --- cli-ops -----------------------------------------------------------------
f=cli-ops.pcap
readme "$f portmap SIGNIN call" "$(nth $f 'rpc.program == 34123456 && rpc.procedure == 4 && rpc.msgtyp == 0' 1)" 23
readme "$f CLI GET_VOLUME call" "$(nth $f 'rpc.program == 1238463 && rpc.procedure == 5 && rpc.msgtyp == 0' 1)" 49
set_reply=$(nth $f 'rpc.program == 1238463 && rpc.procedure == 12 && rpc.msgtyp == 1' 1)
readme "$f CLI SET_VOLUME reply" "$set_reply" 71
is "$f: CLI SET_VOLUME over TCP refused (PROC_UNAVAIL)" \
	"$(field $f "${set_reply:-0}" rpc.state_accept)" "3"
check "transcript: volume set over TCP exits 1" \
	sh -c "grep -A1 -- '--remote-host=.* volume set' '$C/cli-ops.client.log' | grep -q exit=1"

# --- distribute-2brick -------------------------------------------------------
f=distribute-2brick.pcap
is "$f: nanosecond pcap" "$(od -An -tx1 -N4 "$C/$f" | tr -d ' ')" "4d3cb2a1"
# Every second SETATTR call to a file (the atime -1 one) gets a reply whose
# post-op atime is -1: one per file, four files.
minus1=$(tshark -r "$C/$f" -Y "rpc.program == $FOP && rpc.procedure == 38 && rpc.msgtyp == 1" \
	-T fields -e frame.number -e glusterfs.iax_atime 2>/dev/null |
	awk '$2 ~ /,18446744073709551615$/ {printf "%s ", $1}')
is "$f: four SETATTR replies with post-op atime -1" "$(echo $minus1 | wc -w)" 4
readme "$f atime -1 replies" "$minus1" "121 141 161 183 "
is "$f: SETATTRs went to two bricks" \
	"$(tshark -r "$C/$f" -Y "$SETATTR_CALL" -T fields -e tcp.dstport 2>/dev/null | sort -u | wc -l)" "2"
is "client log: four glfs_utimens with atime -1, all ret 0" \
	"$(grep -c 'call=glfs_utimens .*atime=-1\.000000000 .*ret=0 ' "$C/distribute-2brick.client.log")" 4

# --- any-sll / any-sll2 ------------------------------------------------------
is "any-sll.pcap is Linux cooked v1" "$(capinfos -T -E -m "$C/any-sll.pcap" 2>/dev/null | tail -1 | cut -d, -f2)" "linux-sll"
is "any-sll2.pcap is Linux cooked v2" "$(capinfos -T -E -m "$C/any-sll2.pcap" 2>/dev/null | tail -1 | cut -d, -f2)" "linux-sll2"
for f in any-sll.pcap any-sll2.pcap; do
	second=$(nth $f "$SETATTR_CALL" 2)
	reply=$(nth $f "rpc.repframe == ${second:-0}" 1)
	is "$f: 2nd SETATTR reply, post-op atime -1" \
		"$(field $f "${reply:-0}" glusterfs.iax_atime | cut -d, -f2)" "18446744073709551615"
	readme "$f 2nd SETATTR reply" "$reply" 54
done
is "any-sll and any-sll2 hold the same number of frames" \
	"$(capinfos -c -M "$C/any-sll.pcap" | awk '/Number/ {print $NF}')" \
	"$(capinfos -c -M "$C/any-sll2.pcap" | awk '/Number/ {print $NF}')"

# --- fuse-mount, qemu-img, samba --------------------------------------------
f=fuse-mount.pcap
call=$(nth $f "$SETATTR_CALL" 1)
reply=$(nth $f "rpc.repframe == ${call:-0}" 1)
readme "$f SETATTR reply (touch -m)" "$reply" 64
is "$f: SETATTR reply, post-op mtime 1700000000" \
	"$(field $f "${reply:-0}" glusterfs.iax_mtime | cut -d, -f2)" "1700000000"
check "client log: touch window holds the SETATTR call" \
	within "$C/fuse-mount.client.log" 'op=touch' 1 "$(ns_of_frame $f "${call:-0}")"
rdir=$(nth $f "rpc.program == $FOP && rpc.procedure == 42 && rpc.msgtyp == 0" 1)
readme "$f RELEASEDIR call" "$rdir" 75
is "$f: tshark calls RELEASEDIR (42) RELEASE" "$(field $f "${rdir:-0}" _ws.col.Info)" "V400 RELEASE Call"
check "$f: the FUSE client says process-name fuse" \
	sh -c "tshark -r '$C/$f' -Y 'glusterfs.hndsk.proc == 1 && rpc.msgtyp == 0' -V 2>/dev/null | grep -q 'process-name: fuse'"
readme "qemu-img.pcap SEEK (48)" "$(nth qemu-img.pcap "rpc.program == $FOP && rpc.procedure == 48 && rpc.msgtyp == 0" 1)" 114
f=samba.pcap
setinfo=$(nth $f 'smb2.cmd == 17 && smb2.flags.response == 0' 5)
readme "$f SMB2 SetInfo of utimes" "$setinfo" 454
call=$(nth $f "$SETATTR_CALL" 1)
reply=$(nth $f "rpc.repframe == ${call:-0}" 1)
readme "$f SETATTR reply" "$reply" 456
got=$(field $f "${reply:-0}" glusterfs.iax_atime glusterfs.iax_mtime)
is "$f: SETATTR reply, post-op mtime 1700000000" "$(echo "$got" | cut -d, -f3)" "1700000000"
case $got in
*18446744073709551615*) not_ok "$f: Samba did not send atime -1" ;;
*) ok "$f: Samba did not send atime -1" ;;
esac
check "$f: smbd connects as gfapi.smbd" \
	sh -c "tshark -r '$C/$f' -Y 'glusterfs.hndsk.proc == 1 && rpc.msgtyp == 0' -V 2>/dev/null | grep -q 'process-name: gfapi.smbd'"
done_testing
