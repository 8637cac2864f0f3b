#!/bin/sh
# decode-vs-tshark.sh - differential test of tapline decode's output
# against tshark, the independent oracle, on every lab capture:
#  1. -T fields: the derived columns (frame.number, frame.time_epoch,
#     ip.src/dst, tcp.srcport/dstport, tcp.stream, rpc.xid, rpc.msgtyp,
#     rpc.program, rpc.programversion, rpc.procedure, rpc.repframe,
#     rpc.time, frame.time_relative) must equal `tshark -T fields` for
#     every frame tshark decodes as RPC;
#  2. the summary lines: frame, relative time, endpoints, length (= RPC
#     fragment length), Call/Reply and "Call In N" likewise.
# A disagreement fails the test unless tests/decode-vs-tshark.known lists
# it (capture, frame, column) with the evidence of who is wrong; a listed
# one is reported as TODO when tapline is the one that is wrong.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

command -v tshark >/dev/null 2>&1 || skip_all "tshark not installed"
"$TAPLINE" decode --help >/dev/null 2>&1 ||
	skip_all "tapline has no decode command in this build"
captures=$top_srcdir/tests/captures
known=$top_srcdir/tests/decode-vs-tshark.known
awk_cmp=$top_srcdir/tests/decode-vs-tshark.awk
set -- "$captures"/*.pcap "$captures"/*.pcapng "$captures"/*.pcap.gz
found=0
for c; do [ -f "$c" ] && found=1; done
[ "$found" = 1 ] || skip_all "no captures in tests/captures"

fields="frame.number frame.time_epoch ip.src ip.dst tcp.srcport tcp.dstport
	tcp.stream rpc.xid rpc.msgtyp rpc.program rpc.programversion
	rpc.procedure rpc.repframe rpc.time frame.time_relative"
e=""
for f in $fields; do e="$e -e $f"; done
summary_e="-e frame.number -e frame.time_relative -e ip.src -e tcp.srcport
	-e ip.dst -e tcp.dstport -e rpc.fraglen -e rpc.msgtyp -e rpc.repframe"

# judge CAPTURE KIND DIFFS: ok, TODO or not ok per disagreement list
judge() {
	cap=$1 kind=$2 diffs=$3
	compared=$(sed -n 's/^# compared \([0-9]*\).*/\1/p' "$diffs")
	unexpected=0
	grep -v '^#' "$diffs" >"$TMP/d" || true
	while read -r frame column rest; do
		if grep -q "^$cap $frame $column " "$known" 2>/dev/null; then
			why=$(grep "^$cap $frame $column " "$known" | head -1 |
				cut -d' ' -f4-)
			case $why in
			tapline-bug*)
				echo "not ok $((tap_n + 1)) - $cap frame $frame $column: $rest # TODO $why"
				tap_n=$((tap_n + 1)) ;;
			*)
				ok "$cap frame $frame $column: known, tshark wrong: $why" ;;
			esac
		else
			unexpected=$((unexpected + 1))
			diag "$cap frame $frame $column: $rest"
		fi
	done <"$TMP/d"
	if [ "$unexpected" -eq 0 ]; then
		ok "$cap $kind: $compared RPC frames agree with tshark"
	else
		not_ok "$cap $kind: $unexpected unexpected disagreements in $compared frames"
	fi
}

for c; do
	[ -f "$c" ] || continue
	cap=$(basename "$c")
	# shellcheck disable=SC2086
	tshark -r "$c" -Y rpc -T fields $e >"$TMP/t.tsv" 2>/dev/null
	# shellcheck disable=SC2086
	"$TAPLINE" decode -T fields $e "$c" >"$TMP/o.tsv"
	awk -F'\t' -v mode=fields -f "$awk_cmp" "$TMP/o.tsv" "$TMP/t.tsv" \
		>"$TMP/diffs"
	judge "$cap" "-T fields" "$TMP/diffs"

	# shellcheck disable=SC2086
	tshark -r "$c" -Y rpc -T fields $summary_e >"$TMP/t.tsv" 2>/dev/null
	"$TAPLINE" decode "$c" >"$TMP/o.txt"
	awk -F'\t' -v mode=summary -f "$awk_cmp" "$TMP/o.txt" "$TMP/t.tsv" \
		>"$TMP/diffs"
	judge "$cap" "summary" "$TMP/diffs"
done
done_testing
