#!/bin/sh
# tests/fuzz/run.sh [SECONDS] - runs every libFuzzer harness built in
# this build dir (tests/fuzz/fuzz_*) for SECONDS each (default 30) over a
# working corpus seeded from tests/fuzz/corpus/NAME/ (NAME = harness
# without "fuzz_") and, for the pcap harness, the lab captures.  Crashes
# land in tests/fuzz/artifacts/; copy each into tests/fuzz/corpus/NAME/
# under a name saying what it found, so replay keeps checking it.
set -eu
seconds=${1:-${FUZZ_SECONDS:-30}}
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-.}
status=0 ran=0
mkdir -p "$builddir/tests/fuzz/artifacts"
for harness in "$builddir"/tests/fuzz/fuzz_*; do
	[ -x "$harness" ] && [ -f "$harness" ] || continue
	case $harness in *.o|*.c) continue ;; esac
	name=$(basename "$harness"); name=${name#fuzz_}
	work="$builddir/tests/fuzz/corpus-$name"
	mkdir -p "$work"
	if [ -d "$srcdir/tests/fuzz/corpus/$name" ]; then
		cp -n "$srcdir/tests/fuzz/corpus/$name"/* "$work"/ 2>/dev/null || true
	fi
	if [ "$name" = pcap ]; then
		# Small lab captures only: libFuzzer mutates whole inputs.
		for c in "$srcdir"/tests/captures/*.pcap* "$srcdir"/tests/captures/*/*.pcap*; do
			case $c in *.pcap|*.pcapng|*.pcap.gz|*.pcapng.gz) ;; *) continue ;; esac
			[ -f "$c" ] || continue
			[ "$(wc -c <"$c")" -le 1048576 ] || continue
			cp -n "$c" "$work/" 2>/dev/null || true
		done
	fi
	echo "fuzz: $name for ${seconds}s ($(ls "$work" | wc -l) seeds)"
	ran=$((ran + 1))
	if ! "$harness" -max_total_time="$seconds" -timeout=20 \
		-rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 \
		-artifact_prefix="$builddir/tests/fuzz/artifacts/$name-" \
		"$work" >"$builddir/tests/fuzz/$name.log" 2>&1; then
		echo "fuzz: $name FAILED; see $builddir/tests/fuzz/$name.log:"
		grep -E 'ERROR|SUMMARY|artifact' "$builddir/tests/fuzz/$name.log" | head -20
		status=1
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' \
			"$builddir/tests/fuzz/$name.log" | sed "s/^/fuzz: $name /"
	fi
done
[ "$ran" -gt 0 ] || { echo "fuzz: no harness built (configure --enable-fuzz CC=clang; make fuzz)"; exit 1; }
exit $status
