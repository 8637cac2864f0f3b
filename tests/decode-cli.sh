#!/bin/sh
# decode-cli.sh - tapline decode's command line: help, usage errors (exit
# 2), input errors (exit 1, naming the file and why), -c, -e/-E, -Y error
# columns, --list-fields, -z help, and a capture cut short.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

"$TAPLINE" decode --help >/dev/null 2>&1 ||
	skip_all "tapline has no decode command in this build"
cap=$top_srcdir/tests/captures/gfapi-utimens.pcap
export TMP	# the sh -c checks below write there

# status CODE COMMAND...: the command exits with CODE
status() {
	want=$1; shift
	if "$@" >"$TMP/out" 2>"$TMP/err"; then got=0; else got=$?; fi
	[ "$got" -eq "$want" ] || { echo "exit $got, want $want"; cat "$TMP/err"; return 1; }
}

check "--help exits 0, shows usage and exit codes" sh -c \
	'"$TAPLINE" decode --help | grep -q "^usage: tapline decode" &&
	 "$TAPLINE" decode -h | grep -q "^Exit status"'
check "no file is a usage error" status 2 "$TAPLINE" decode
check "  ... and says so" grep -q "no capture file given" "$TMP/err"
check "unknown option: exit 2" status 2 "$TAPLINE" decode --frobnicate x.pcap
check "  ... named" grep -q "unknown option '--frobnicate'" "$TMP/err"
check "-T bogus: exit 2" status 2 "$TAPLINE" decode -T bogus x.pcap
check "-T fields without -e: exit 2" status 2 "$TAPLINE" decode -T fields x.pcap
check "-c 0: exit 2" status 2 "$TAPLINE" decode -c 0 x.pcap
check "-E bad: exit 2" status 2 "$TAPLINE" decode -e rpc.xid -E quote=x x.pcap
check "-z unknown: exit 2" status 2 "$TAPLINE" decode -z rpc,bogus x.pcap
check "-z help lists rpc,srt" sh -c '"$TAPLINE" decode -z help | grep -q "rpc,srt"'
check "-Y syntax error: exit 2" status 2 "$TAPLINE" decode -Y 'rpc.xid == 1 and (' x.pcap
check "  ... with the column and a caret" sh -c \
	'grep -q "^tapline decode: -Y: column 19: expected a field name, found the end" "$TMP/err" &&
	 grep -q "^                    ^$" "$TMP/err"'
check "unknown field names are warned about, naming them" sh -c \
	'"$TAPLINE" decode -e glusterfs.bnam -Y "glusterfs.gfdi || rpc" --list-fields \
	 2>"$TMP/w" >/dev/null; grep -q "'"'"'glusterfs.bnam'"'"' is not a field name" "$TMP/w" &&
	 grep -q "'"'"'glusterfs.gfdi'"'"'" "$TMP/w" && ! grep -q "'"'"'rpc'"'"'" "$TMP/w"'
check "missing file: exit 1" status 1 "$TAPLINE" decode "$TMP/nonexistent.pcap"
check "  ... naming the file and why" grep -q "nonexistent.pcap: No such file" "$TMP/err"
printf 'this is not a capture\n' >"$TMP/junk.pcap"
check "not a capture: exit 1" status 1 "$TAPLINE" decode "$TMP/junk.pcap"
check "  ... naming the file" grep -q "junk.pcap" "$TMP/err"
check "--list-fields without files: derived and scanned names" sh -c \
	'"$TAPLINE" decode --list-fields >"$TMP/lf" &&
	 grep -q "^rpc.xid " "$TMP/lf" && grep -q "^frame.time_epoch " "$TMP/lf" &&
	 grep -q "^glusterfs.gfid$" "$TMP/lf"'

if [ ! -f "$cap" ]; then
	skip "capture gfapi-utimens.pcap missing: the rest"
	done_testing
	exit
fi
check "-c 3 shows three messages" sh -c \
	'test "$("$TAPLINE" decode -c 3 "$1" | wc -l)" -eq 3' _ "$cap"
check "-r works like a FILE argument" sh -c \
	'"$TAPLINE" decode -r "$1" -c 2 >"$TMP/a" && "$TAPLINE" decode -c 2 "$1" >"$TMP/b" &&
	 cmp "$TMP/a" "$TMP/b"' _ "$cap"
check "- reads the standard input" sh -c \
	'"$TAPLINE" decode -c 2 - <"$1" >"$TMP/a" && "$TAPLINE" decode -c 2 "$1" >"$TMP/b" &&
	 cmp "$TMP/a" "$TMP/b"' _ "$cap"
check "-e alone implies -T fields; -E header=y names the columns" sh -c \
	'"$TAPLINE" decode -e frame.number -e rpc.xid -E header=y -c 1 "$1" >"$TMP/f" &&
	 printf "frame.number\trpc.xid\n4\t0x00000002\n" | cmp - "$TMP/f"' _ "$cap"
check "-Y selects (SETATTR calls and replies: 4)" sh -c \
	'test "$("$TAPLINE" decode -Y "glusterfs.proc == SETATTR" "$1" | wc -l)" -eq 4' _ "$cap"
check "-q prints nothing per message" sh -c \
	'test -z "$("$TAPLINE" decode -q "$1")"' _ "$cap"
check "--list-fields FILE counts what the capture has" sh -c \
	'"$TAPLINE" decode --list-fields "$1" | grep -q "^glusterfs.setattr.valid  *2$"' _ "$cap"
# The build-time scan must know every name the decoders really emit.
check "--list-fields (scanned) covers every name in the lab captures" sh -c \
	'"$TAPLINE" decode --list-fields | grep -v "^#" | awk "{print \$1}" |
	 sort -u >"$TMP/static" &&
	 "$TAPLINE" decode --list-fields "$1"/*.pcap | grep -v "^#" |
	 awk "{print \$1}" | sort -u >"$TMP/seen" &&
	 test -s "$TMP/seen" && comm -13 "$TMP/static" "$TMP/seen" >"$TMP/missing" &&
	 { test ! -s "$TMP/missing" || { cat "$TMP/missing"; false; }; }' _ "$(dirname "$cap")"
check "-T json lines are one object each" sh -c \
	'"$TAPLINE" decode -T json "$1" | grep -vc "^{.*}$" | grep -qx 0' _ "$cap"

# A capture cut in the middle of a frame: the good frames are decoded and
# shown, then the error names the file; exit 1.
size=$(wc -c <"$cap")
head -c $((size - 50)) "$cap" >"$TMP/cut.pcap"
check "truncated capture: exit 1" status 1 "$TAPLINE" decode "$TMP/cut.pcap"
check "  ... the messages before the cut are shown" sh -c \
	'test "$(wc -l <"$TMP/out")" -ge 30'
check "  ... the error names the file" grep -q "cut.pcap" "$TMP/err"

# Several files read as one: frames numbered across them.
n1=$("$TAPLINE" decode -T fields -e frame.number "$cap" | wc -l)
check "two files: messages of both, frames numbered on" sh -c \
	'"$TAPLINE" decode -T fields -e frame.number "$1" "$1" >"$TMP/two" &&
	 test "$(wc -l <"$TMP/two")" -eq $((2 * $2)) &&
	 test "$(tail -1 "$TMP/two")" -gt "$(head -$2 "$TMP/two" | tail -1)"' _ "$cap" "$n1"
done_testing
