#!/bin/sh
# scripts/example.sh - the main job on the bundled example, on a fresh
# Debian 12 machine (root): installs the dependencies, builds tapline, builds
# the example timeline from examples/ (a real capture and the probe records
# taken at the same time) and prints the answer to the atime -1 question.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/scripts/deps.sh"
[ -x configure ] && [ configure -nt configure.ac ] || { autoreconf -fi >/dev/null 2>&1 || autoreconf -fi; }
mkdir -p build-main
(cd build-main && { [ -f Makefile ] || "$top/configure" -q; } &&
	make -s -j"$(nproc 2>/dev/null || echo 2)" tapline >/dev/null)
TAPLINE="$top/build-main/tapline" exec "$top/examples/run.sh"
