#!/bin/sh
# decode-cli.sh - tapline decode's command line: help, usage errors (exit
# 2), input errors (exit 1, naming the file and why), -c, -e/-E, -Y error
# columns and regular-expression limits, unknown names, -G, --list-fields,
# -z help, and a capture cut short.
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
check "--max-memory below 4M: exit 2" status 2 "$TAPLINE" decode --max-memory 3M x.pcap
check "  ... saying what it wants" grep -q "expected a size of at least 4M" "$TMP/err"
check "--max-memory not a size: exit 2" status 2 "$TAPLINE" decode --max-memory 12X x.pcap
check "--max-memory 64M, 1G, 4194304 are sizes" sh -c \
	'for s in 64M 64MiB 1G 4194304; do "$TAPLINE" decode -q --max-memory $s "'"$cap"'" || exit 1; done'
check "--help says what --max-memory bounds" sh -c \
	'"$TAPLINE" decode --help | grep -q "^      --max-memory SIZE the memory the decoder"'

check "-z help lists rpc,srt" sh -c '"$TAPLINE" decode -z help | grep -q "rpc,srt"'
check "-Y syntax error: exit 2" status 2 "$TAPLINE" decode -Y 'rpc.xid == 1 and (' x.pcap
check "  ... with the column and a caret" sh -c \
	'grep -q "^tapline decode: -Y: column 19: expected a field name, found the end" "$TMP/err" &&
	 grep -q "^                    ^$" "$TMP/err"'

# -Y regular expressions are bounded.  glibc's regcomp took 4 s and 720 MB
# on this pattern (20 '+'), its memory doubling with each '+'; PCRE2 sees
# a syntax error.  Memory is measured, not time: /usr/bin/time's peak RSS.
rss_ok() { test "$(tail -1 "$TMP/rss")" -lt 65536 || { tail -1 "$TMP/rss"; false; }; }
if [ -x /usr/bin/time ]; then
	check "-Y matches \"b\" and 20 '+': exit 2" status 2 \
		/usr/bin/time -f %M -o "$TMP/rss" "$TAPLINE" decode \
		-Y 'glusterfs.bname matches "b++++++++++++++++++++"' x.pcap
	check "  ... naming the problem and its column" grep -q \
		"column 25: bad regular expression: quantifier does not follow a repeatable item" "$TMP/err"
	check "  ... in bounded memory (peak RSS < 64 MiB)" rss_ok
else
	skip "no /usr/bin/time (apt-get install time): the 20 '+' pattern"
fi
long=$(printf '%04097d' 0)
check "-Y matches with a 4097-byte pattern: exit 2" status 2 \
	"$TAPLINE" decode -Y "glusterfs.bname matches \"$long\"" x.pcap
check "  ... naming the limit" grep -q "regular expression of 4097 bytes: the limit is 4096" "$TMP/err"
deep=$(printf '%065d' 0 | tr 0 '(')a$(printf '%065d' 0 | tr 0 ')')
check "-Y matches nesting 65 parentheses: exit 2" status 2 \
	"$TAPLINE" decode -Y "glusterfs.bname matches \"$deep\"" x.pcap
check "  ... naming the limit" grep -q "nests parentheses deeper than the limit of 64" "$TMP/err"
check "-Y matches with a repeat too large once compiled: exit 2" status 2 \
	"$TAPLINE" decode -Y 'glusterfs.bname matches "(ab){30000}"' x.pcap
check "  ... naming the limit" grep -q "too large once compiled" "$TMP/err"

# Names no field table has are refused (tshark's habit), with the
# nearest known name; they used to print nothing and exit 0.
check "an unknown -e name: exit 2" status 2 "$TAPLINE" decode -e glusterfs.bnam x.pcap
check "  ... named, with the nearest field" grep -q \
	"^tapline decode: -e glusterfs.bnam: not a field name tapline knows (did you mean 'glusterfs.bname'?)" \
	"$TMP/err"
check "an unknown -Y field: exit 2" status 2 "$TAPLINE" decode -Y "rpc || glusterfs.gfdi" x.pcap
check "  ... with its column and the nearest field" grep -q \
	"^tapline decode: -Y: column 8: 'glusterfs.gfdi' is not a field name tapline knows (did you mean 'glusterfs.gfid'?)" \
	"$TMP/err"
check "an unknown -Y protocol: exit 2" status 2 "$TAPLINE" decode -Y smb2 x.pcap
check "  ... named" grep -q "'smb2' is not a protocol name tapline knows" "$TMP/err"
check "-Y foo: exit 2" status 2 "$TAPLINE" decode -Y foo x.pcap
check "-G fields: name, type, protocol, meaning, flags per line" sh -c \
	'"$TAPLINE" decode -G fields >"$TMP/g" &&
	 grep -q "^rpc.xid	hex	rpc	.*	derived,header$" "$TMP/g" &&
	 grep -q "^glusterfs.gfid	gfid	glusterfs	[^	]*	$" "$TMP/g" &&
	 grep -q "^tcp.stream	uint	tcp	" "$TMP/g" &&
	 ! grep -v "^[a-z_][a-z0-9_.]*	[a-z|]*	[a-z0-9_]*	[^	][^	]*	[a-z,]*$" "$TMP/g"'
check "-G protocols lists glusterfs with its words" sh -c \
	'"$TAPLINE" decode -G protocols | grep -q "^glusterfs	GlusterFS	gluster,glusterd	"'
check "-G bogus: exit 2" status 2 "$TAPLINE" decode -G bogus
check "missing file: exit 1" status 1 "$TAPLINE" decode "$TMP/nonexistent.pcap"
check "  ... naming the file and why" grep -q "nonexistent.pcap: No such file" "$TMP/err"
printf 'this is not a capture\n' >"$TMP/junk.pcap"
check "not a capture: exit 1" status 1 "$TAPLINE" decode "$TMP/junk.pcap"
check "  ... naming the file" grep -q "junk.pcap" "$TMP/err"
check "--list-fields without files: derived and stored names" sh -c \
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
# The tables know every name the decoders really emit (tests/fields.sh
# checks each occurrence's definition and kind).
check "--list-fields covers every name in the lab captures" sh -c \
	'"$TAPLINE" decode --list-fields | grep -v "^#" | awk "{print \$1}" |
	 sort -u >"$TMP/static" &&
	 "$TAPLINE" decode --list-fields "$1"/*.pcap | grep -v "^#" |
	 awk "{print \$1}" | sort -u >"$TMP/seen" &&
	 test -s "$TMP/seen" && comm -13 "$TMP/static" "$TMP/seen" >"$TMP/missing" &&
	 { test ! -s "$TMP/missing" || { cat "$TMP/missing"; false; }; }' _ "$(dirname "$cap")"
check "-T json lines are one object each" sh -c \
	'"$TAPLINE" decode -T json "$1" | grep -vc "^{.*}$" | grep -qx 0' _ "$cap"

# A value whose search blows up (the 1.7 KB volfile of the GETSPEC reply
# against nested repeats) stops at PCRE2's match limit: no match, counted
# in -z expert and once on standard error; exit 0.
check "-Y matches stopped at a limit: exit 0" status 0 \
	"$TAPLINE" decode -z expert -Y 'glusterfs.hndsk.getspec matches "(?:.|\\s)+[XY]"' "$cap"
check "  ... no match" sh -c '! grep -q "GETSPEC" "$TMP/out"'
check "  ... -z expert says which limit and where" grep -q \
	"^Filter limits: 1 value stopped at a 'matches' limit, counted as not matching (match limit 1, depth limit 0, heap limit 0, step limit 0, other 0); first in frame 6$" "$TMP/out"
check "  ... standard error says so once" sh -c \
	'test "$(grep -c "1 value stopped at a regular-expression limit" "$TMP/err")" -eq 1'
check "-Y matches on a value without trouble: no stop reported" status 0 \
	"$TAPLINE" decode -z expert -Y 'glusterfs.hndsk.getspec matches "^volume \\S+-client-0\\n"' "$cap"
check "  ... the GETSPEC reply matches" grep -q "GETSPEC" "$TMP/out"
check "  ... and nothing is said about limits" sh -c \
	'! grep -q "limit" "$TMP/out" "$TMP/err"'

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

# -Y as strict as tshark: each of these printed nothing and exited 0.
# Every error: exit 2, the column, a caret under it, and why.
# filter_refused EXPR COLUMN TEXT: exit 2, "-Y: column COLUMN: ...TEXT"
filter_refused() {
	status 2 "$TAPLINE" decode -Y "$1" "$cap" &&
	grep -q "^tapline decode: -Y: column $2: .*$3" "$TMP/err" &&
	test "$(sed -n 3p "$TMP/err")" = "  $(printf "%$(($2 - 1))s" "")^" &&
	test ! -s "$TMP/out"
}
check "-Y glusterfs.proc == SETATR: exit 2, did you mean SETATTR" filter_refused \
	'glusterfs.proc == SETATR' 19 "'SETATR' is not a value of glusterfs.proc (did you mean 'SETATTR'?)"
check "-Y op_errno == \"Permision denied\": exit 2, did you mean" filter_refused \
	'gluster.op_errno == "Permision denied"' 21 "did you mean 'Permission denied'?"
check "-Y op_errno == EACCESS: exit 2, did you mean EACCES" filter_refused \
	'gluster.op_errno == EACCESS' 21 "did you mean 'EACCES'?"
check "-Y ip.src == 10.9.9.0/33: exit 2, the prefix's bounds" filter_refused \
	'ip.src == 10.9.9.0/33' 19 "the prefix length in '10.9.9.0/33' must be a number from 0 to 32"
check "-Y ipv6.addr == fe80::/129: exit 2" filter_refused \
	'ipv6.addr == fe80::/129' 20 "must be a number from 0 to 128"
check "-Y ip.src == 5: exit 2, an address field" filter_refused \
	'ip.src == 5' 11 "'5' is not an IPv4 address (ip.src is an address field)"
check "-Y ip.addr == fe80::1: exit 2, the other family" filter_refused \
	'ip.addr == fe80::1' 12 "'fe80::1' is an IPv6 address; ip.addr is an IPv4 address field"
check "-Y tcp.srcport == \"abc\": exit 2, the field's type" filter_refused \
	'tcp.srcport == "abc"' 16 'tcp.srcport is a uint field: "abc" is not a number'
check "-Y rpc.xid == ip.src: exit 2, both types" filter_refused \
	'rpc.xid == ip.src' 12 "rpc.xid (hex) and ip.src (address) cannot be compared"
check "-Y ip.src contains 127: exit 2" filter_refused \
	'ip.src contains 127' 1 "ip.src (address) cannot be tested with 'contains'"
check "-Y frame == 1: exit 2, a protocol's bytes" filter_refused \
	'frame == 1' 7 "'frame' is a protocol: its bytes are tested with 'contains' or 'matches' only"
check "-Y frame contains zz: exit 2" filter_refused \
	'frame contains zz' 16 "'frame' contains text"

# What they select, checked against tshark on the same captures: tapline
# shows messages, so tshark's side is limited to rpc (-Y "rpc && (...)");
# tshark has no errno names (its op_errno is a number), so its side of
# those says 13.
# same_frames CAPTURE TAPLINE-FILTER [TSHARK-FILTER]: the same frames,
# at least one
same_frames() {
	"$TAPLINE" decode -Y "$2" -T fields -e frame.number "$1" | sort -nu >"$TMP/ours" &&
	tshark -r "$1" -Y "rpc && (${3:-$2})" -T fields -e frame.number 2>/dev/null |
		sort -nu >"$TMP/theirs" &&
	test -s "$TMP/ours" &&
	{ cmp -s "$TMP/ours" "$TMP/theirs" ||
	  { echo "tapline: $(tr '\n' ' ' <"$TMP/ours")"; echo "tshark:  $(tr '\n' ' ' <"$TMP/theirs")"; false; }; }
}
if command -v tshark >/dev/null; then
	auth=$top_srcdir/tests/captures/auth-failure.pcap
	for c in "$cap" "$auth" "$top_srcdir/tests/captures/fuse-mount.pcap"; do
		n=$(basename "$c")
		check "$n: -Y ip.src == 127.0.0.0/8 selects as tshark's" same_frames "$c" 'ip.src == 127.0.0.0/8'
		check "$n: -Y ip.src == 127.0.0.2/31 as tshark's" same_frames "$c" 'ip.src == 127.0.0.2/31'
		check "$n: -Y ip.addr == 127.0.0.2/32 as tshark's" same_frames "$c" 'ip.addr == 127.0.0.2/32'
		check "$n: -Y tcp.srcport > tcp.dstport as tshark's" same_frames "$c" 'tcp.srcport > tcp.dstport'
		check "$n: -Y tcp.dstport >= tcp.srcport as tshark's" same_frames "$c" 'tcp.dstport >= tcp.srcport'
		check "$n: -Y rpc.xid == rpc.xid as tshark's" same_frames "$c" 'rpc.xid == rpc.xid'
		check "$n: -Y rpc.repframe < frame.number as tshark's" same_frames "$c" 'rpc.repframe < frame.number'
		check "$n: -Y frame contains \"GlusterFS\" as tshark's" same_frames "$c" 'frame contains "GlusterFS"'
		check "$n: -Y frame contains 00:00:00:01:00:00:00:01 as tshark's" \
			same_frames "$c" 'frame contains 00:00:00:01:00:00:00:01'
	done
	check "auth-failure: -Y op_errno == \"Permission denied\" as tshark's == 13" \
		same_frames "$auth" 'gluster.op_errno == "Permission denied"' 'gluster.op_errno == 13'
	check "  ... frame 26, the SETVOLUME reply" grep -qx 26 "$TMP/ours"
	check "auth-failure: -Y frame matches as tshark's" \
		same_frames "$auth" 'frame matches "gfapi\\.[a-z]+"'
	check "auth-failure: -Y frame contains \"Authentication failed\" as tshark's" \
		same_frames "$auth" 'frame contains "Authentication failed"'
	# IPv6: the first connection of auth-failure.pcap (its TCP payloads,
	# as tshark reads them) carried again over IPv6 by text2pcap, client
	# fe80::1 port 49145, server 2001:db8::2 port 24007
	tshark -r "$auth" -Y 'tcp.stream == 0 && tcp.len > 0' -T fields \
		-e tcp.dstport -e tcp.payload 2>/dev/null | awk '{
		print ($1 == 24007) ? "I" : "O"
		for (i = 0; i < length($2); i += 32) {
			printf "%06x", i / 2
			for (j = i; j < i + 32 && j < length($2); j += 2)
				printf " %s", substr($2, j + 1, 2)
			printf "\n"
		}
	}' >"$TMP/v6.txt"
	if text2pcap -q -D -6 fe80::1,2001:db8::2 -T 49145,24007 "$TMP/v6.txt" \
		"$TMP/v6.pcap" >/dev/null 2>&1 &&
	   test "$("$TAPLINE" decode -Y ipv6 "$TMP/v6.pcap" | wc -l)" -eq 6; then
		for y in 'ipv6.src == fe80::/10' 'ipv6.addr == 2001:db8::/32' \
			 'ipv6.dst == 2001:db8::2/127' 'ipv6.src != fe80::/16' \
			 'ipv6.src > ipv6.dst' 'ipv6.addr == fe80::1/128'; do
			check "IPv6: -Y $y as tshark's" same_frames "$TMP/v6.pcap" "$y"
		done
		check "IPv6: -Y ipv6.dst == 2001:db8::/127 selects nothing" sh -c \
			'test -z "$("$TAPLINE" decode -Y "ipv6.dst == 2001:db8::/127" "$1")"' _ "$TMP/v6.pcap"
	else
		skip "text2pcap could not carry a capture over IPv6"
	fi
else
	skip "tshark not installed: what the new -Y syntax selects"
fi
done_testing
