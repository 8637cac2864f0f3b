#!/bin/sh
# tests/lab/metadata-load.sh - a real metadata-heavy capture from the lab:
# two libgfapi threads on each of the volumes "single" and "dist"
# (tests/correlate-load.c) calling glfs_write, glfs_utimens and glfs_stat
# CALLS times each, captured by tcpdump on the lab's loopback.
#
#   metadata-load.sh OUT_DIR CALLS [WRITE_BYTES]      (default 64 bytes)
#
# Writes OUT_DIR/load.pcap and the clients' logs OUT_DIR/load-single.log,
# OUT_DIR/load-dist.log (one line per call).  Brings the lab up
# (tests/lab/lab.sh; LAB_NAME and LAB_DIR as it takes them) and down again.
# Root; hold the lab lock (flock /tmp/tapline-lab.lock ...).
set -eu
[ $# -ge 2 ] || { echo "usage: metadata-load.sh OUT_DIR CALLS [WRITE_BYTES]" >&2; exit 2; }
out=$1 calls=$2 bytes=${3:-64}
lab_src=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$lab_src/../.." && pwd)
mkdir -p "$out"
cc -O2 -o "$out/correlate-load" "$top/tests/correlate-load.c" \
	$(pkg-config --cflags --libs glusterfs-api) -lpthread
export LAB_NAME="${LAB_NAME:-tlmeta$$}"
trap '"$lab_src/lab.sh" down >/dev/null 2>&1 || true' EXIT
"$lab_src/lab.sh" up >"$out/lab-up.log" 2>&1
ip netns exec "$LAB_NAME" tcpdump -i lo -s 0 -B 32768 -U -Z root -w "$out/load.pcap" \
	'tcp and (port 24007 or portrange 49152-49171)' 2>"$out/tcpdump.err" &
tcpdump=$!
i=0
until grep -q listening "$out/tcpdump.err" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
done
clients=""
for volume in single dist; do
	ip netns exec "$LAB_NAME" "$out/correlate-load" 127.0.0.2 $volume 2 \
		"$calls" "$bytes" >"$out/load-$volume.log" 2>&1 &
	clients="$clients $!"
done
status=0
for pid in $clients; do wait "$pid" || status=1; done
sleep 0.5
kill -INT "$tcpdump" 2>/dev/null || true
wait "$tcpdump" || true
exit $status
