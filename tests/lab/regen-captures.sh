#!/bin/sh
# tests/lab/regen-captures.sh - regenerate every committed capture in
# tests/captures/ (and its client log) with a fresh lab: up, every
# scenario, down.  Run as root; takes about two minutes (glfs_fini alone
# waits ~10 s per client).  The key frame numbers in tests/captures/README.md
# must then be re-checked with tshark (see that README).
#
# usage: regen-captures.sh [SCENARIO...]   (default: all of them)
set -eu
lab_src=$(cd "$(dirname "$0")" && pwd)
out=${CAPTURES_DIR:-$lab_src/../captures}
out=$(cd "$out" && pwd)
export LAB_NAME="${LAB_NAME:-tapline-regen}"
lab="$lab_src/lab.sh"

scenarios=${*:-$("$lab" scenarios)}
"$lab" down >/dev/null 2>&1 || true
"$lab" up >/dev/null
trap '"$lab" down' EXIT
trap 'exit 130' INT TERM
for s in $scenarios; do
	"$lab" run "$s" --capture "$out/$s.pcap"
done
ls -l "$out"
