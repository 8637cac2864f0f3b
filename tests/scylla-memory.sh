#!/bin/sh
# scylla-memory.sh - Scylla requests that no response answers are held
# within the decoder's memory budget: under --max-memory 4M the oldest
# expire, first come first gone, the number still held is the same
# whatever the capture's size, -z expert counts the expired and
# -z unanswered,scylla and -z unanswered mark them [expired]; within the
# default budget none expires.  The captures are
# tests/scylla/scylla_hostile's "unanswered" shape: connections that
# negotiate, then send 200 READ_DIGEST requests each, none answered.
# Pure: no lab, no lock; a few seconds.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

hostile=$top_builddir/tests/scylla/scylla_hostile
[ -x "$hostile" ] || skip_all "no $hostile (make)"
TIME=/usr/bin/time
bound_kib=65536
sanitized=0
grep -q __asan_init "$TAPLINE" 2>/dev/null && sanitized=1

# decode NAME ARGS...: tapline decode ARGS on $TMP/NAME.pcap into
# $TMP/NAME.out; peak RSS (KiB) in $rss where GNU time is there.
decode() {
	name=$1; shift
	rss=
	if [ -x "$TIME" ]; then
		"$TIME" -f %M -o "$TMP/rss" "$TAPLINE" decode "$@" \
			"$TMP/$name.pcap" >"$TMP/$name.out" 2>"$TMP/$name.err"
		rss=$(tail -1 "$TMP/rss")
	else
		"$TAPLINE" decode "$@" "$TMP/$name.pcap" >"$TMP/$name.out" \
			2>"$TMP/$name.err"
	fi || { echo "# tapline decode $* $name.pcap failed:"
		sed 's/^/#   /' "$TMP/$name.err"; }
}

# counts NAME: requests unanswered (expired included) and expired, from
# -z unanswered,scylla and -z expert.
counts() {
	u=$(sed -n 's/^Unanswered requests: \([0-9]*\)$/\1/p' "$TMP/$1.out")
	e=$(sed -n 's/^\[expired\]: \([0-9]*\) requests given up before the end of the capture: response not seen within the memory budget.*/\1/p' \
		"$TMP/$1.out")
	x=$(sed -n 's/^Decoder: \([0-9]*\) requests expired, oldest first: response not seen within the memory budget.*/\1/p' \
		"$TMP/$1.out")
	echo "${u:-0} ${e:-0} ${x:-0}"
}

held_before=
for conns in 100 400; do
	name=u$conns
	want=$((conns * 200))
	"$hostile" "$TMP/$name.pcap" unanswered "$conns" ||
		{ not_ok "scylla_hostile $TMP/$name.pcap unanswered $conns"; break; }

	decode "$name" -q -z unanswered,scylla -z expert
	set -- $(counts "$name")
	check "$conns x 200 unanswered READ_DIGEST, default budget: all $want listed, none expired" \
		test "$1 $2 $3" = "$want 0 0"
	check "  ... and no verdict on any of them" \
		sh -c "! grep -q '^Malformed\|^Truncated\|^Not decoded' '$TMP/$name.out'"

	decode "$name" -q -z unanswered,scylla -z expert --max-memory 4M
	set -- $(counts "$name")
	unanswered=$1 expired=$2 expert=$3
	held=$((unanswered - expired))
	check "  ... --max-memory 4M: $expired of $want expired, $held held" \
		test "$unanswered" -eq "$want" -a "$expired" -gt 0 -a "$held" -gt 0
	check "  ... -z expert counts the same $expert expired" \
		test "$expert" -eq "$expired"
	# the report lists by frame: every expired request came before
	# every one still held (first come, first gone)
	awk '/^ +[0-9]+ +0x[0-9a-f]+ / {
		if (/\[expired\]$/) { if (held) bad++; n++ } else held++
	} END { exit !(n > 0 && held > 0 && !bad) }' "$TMP/$name.out"
	check "  ... the oldest expired, the newest held" test $? -eq 0
	if [ -n "$held_before" ]; then
		check "  ... as many held as with 4 times fewer requests ($held_before)" \
			test "$held" -eq "$held_before"
	fi
	held_before=$held
	if [ "$sanitized" = 1 ] || [ -z "$rss" ]; then
		skip "  ... peak RSS (AddressSanitizer or no GNU time)"
	else
		check "  ... peak RSS $((rss / 1024)) MiB <= 64 MiB" \
			test "$rss" -le "$bound_kib"
	fi

	decode "$name" -q -z unanswered --max-memory 4M
	check "  ... -z unanswered (every protocol) marks the same $expired [expired]" \
		grep -q "^\[expired\]: $expired requests given up before the end of the capture" \
		"$TMP/$name.out"
	rm -f "$TMP/$name.pcap"
done
done_testing
