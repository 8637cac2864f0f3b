#!/bin/sh
# make-v330-capture.sh - regenerates tests/gluster/captures/v330-utimens.pcap:
# the lab's libgfapi client against the volume "single" speaking the 3.x
# FOP program (1298437 version 330) instead of 4.x.  GlusterFS 10.3
# clients pick 400 when the brick offers it; the protocol/client option
# `testing.old-protocol on` (xlators/protocol/client/src/client.c) makes
# them choose 330.  Uses a lab of its own (LAB_NAME=glv330); root; ~20 s.
#
# usage: tests/gluster/make-v330-capture.sh [BUILDDIR]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
client=${GFAPI_CLIENT:-$build/tests/lab/gfapi-client}
out=$top/tests/gluster/captures
export LAB_NAME=${LAB_NAME:-glv330}
lab=$top/tests/lab/lab.sh
dir=$top/tests/lab/work/$LAB_NAME
tmp=$(mktemp -d)
trap '"$lab" down >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

"$lab" up >/dev/null
# the trusted volfile (a client on the server), with the old protocol
sed 's|^    type protocol/client$|&\n    option testing.old-protocol on|' \
	"$dir/glusterd/vols/single/trusted-single.tcp-fuse.vol" >"$tmp/v330.vol"
# tcpdump writes its own pid, so only this one is stopped (never by name:
# other captures may be running on the machine).
"$lab" exec sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp/tcpdump.pid" \
	tcpdump -i lo -s 0 -U -w "$tmp/v330-utimens.pcap" \
	'tcp and (port 24007 or portrange 49152-49171)' 2>/dev/null &
sleep 2
"$lab" exec "$client" --volume single --volfile "$tmp/v330.vol" \
	--path /tapline-v330.txt --timeout 20 >"$tmp/v330-utimens.client.log"
sleep 1
kill -INT "$(cat "$tmp/tcpdump.pid")"
wait || true
# What the brick applied for the atime -1 (for the README).
stat -c 'brick backend atime: %X (%x)' "$dir/bricks/single-b1/tapline-v330.txt"
cp "$tmp/v330-utimens.pcap" "$tmp/v330-utimens.client.log" "$out/"
echo "wrote $out/v330-utimens.pcap; re-check the frame numbers in $out/README.md"
