#!/bin/sh
# hostile-rss.sh - the memory bound on captures made to cost memory
# (bench/hostile.c): tapline decode stays under 64 MiB resident on every
# shape, at sizes where decode without a memory budget peaked above it
# (measured before the budget: unanswered 200 x 6200 at 132 MiB, 16384 x
# 64 at 105 MiB, seqjump 16384 x 48 at 92 MiB; hole, hunt and head held
# then too, at 42, 50 and 33 MiB).  The calls the budget gives up are
# counted (expired) and the counts add up to the calls the generator
# wrote.  Pure: no lab, no lock; about 20 s.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

need_hostile
# Under AddressSanitizer the resident size means nothing (shadow memory)
# and decoding is ten times slower: captures 16 times smaller in a budget
# small enough that they still expire calls, no RSS bound, the same
# counts (the sanitizer run checks the hostile paths for memory errors
# instead).
if [ "$sanitized" = 1 ]; then
	scale=16
	budget="--max-memory 4M"	# the small captures expire calls too
else
	scale=1
	budget=
fi

# decoder_counts NAME: calls, unanswered and expired from the decoder's
# line of -z rpc,unanswered.
decoder_counts() {
	sed -n 's/^Decoder: \([0-9]*\) calls, [0-9]* replies, \([0-9]*\) unanswered\( (and \([0-9]*\) expired.*\)\{0,1\}, .*/\1 \2 \4/p' \
		"$TMP/$1.out"
}

for spec in "unanswered 200 6200" "unanswered 16384 64" "seqjump 16384 48" \
	    "hole 40000" "hunt 40000" "head 1000"; do
	set -- $spec
	shape=$1 count=${3:-}
	hostile_capture "$@"
	decode_rss "$name" -q $budget
	rss_under_bound "$shape $conns${count:+ x $count} ($size MB), -q"
	decode_rss "$name" -q -z rpc,unanswered -z expert $budget
	rss_under_bound "  ... with -z rpc,unanswered -z expert"
	rm -f "$TMP/$name.pcap"
	case $shape in
	unanswered|seqjump)
		# every call the generator wrote is decoded, and is either
		# unanswered when its connection ended (or was forgotten) or
		# expired, oldest first
		set -- $(decoder_counts "$name")
		calls=${1:-0} waiting=${2:-0} expired=${3:-0}
		want=$((conns * count))
		if [ "$calls" -eq "$want" ] && [ $((waiting + expired)) -eq "$want" ]; then
			ok "  ... $calls calls: $waiting unanswered at the end, $expired expired"
		else
			not_ok "  ... calls $calls (want $want), unanswered $waiting + expired $expired"
		fi
		# seqjump's 16384 connections are more than the decoder
		# tracks in what the report leaves it (max_flows, a fraction
		# of the budget): the least recently active go, their calls
		# unanswered, before any expires
		[ "$shape" = unanswered ] || continue
		check "  ... -z expert says the budget expired them" \
			grep -q "^Decoder: $expired requests expired, oldest first: response not seen within the memory budget" \
			"$TMP/$name.out"
		# the oldest calls listed are the expired ones
		first=$(grep -m1 ' 0x[0-9a-f]* ' "$TMP/$name.out")
		check "  ... -z rpc,unanswered marks them [expired] ($first)" \
			sh -c "echo '$first' | grep -q ' \[expired\]\$' &&
			       grep -q '^\[expired\]: [0-9]* calls given up before the end of the capture' '$TMP/$name.out'"
		;;
	esac
done

# The budget is the user's: 20 x 6200 calls all wait within the default,
# and expire, oldest first, within 4M.
"$hostile" "$TMP/small.pcap" unanswered 20 6200
decode_rss small -q -z rpc,unanswered
default_rss=$rss
set -- $(decoder_counts small)
check "unanswered 20 x 6200 within the default budget: none expired" \
	test "$1 $2 ${3:-0}" = "124000 124000 0"
decode_rss small -q -z rpc,unanswered --max-memory 4M
set -- $(decoder_counts small)
check "  ... within --max-memory 4M the oldest expire (${3:-0} of them)" \
	test "${3:-0}" -gt 0 -a $(($2 + ${3:-0})) -eq 124000
expired=${3:-0}
if [ "$sanitized" = 1 ]; then
	skip "  ... in less memory (AddressSanitizer)"
else
	check "  ... in less memory ($((rss / 1024)) MiB, $((default_rss / 1024)) MiB by default)" \
		test "$rss" -lt "$default_rss"
fi
# every protocol's report marks the same requests
decode_rss small -q -z unanswered --max-memory 4M
check "  ... -z unanswered marks the same $expired [expired]" \
	grep -q "^\[expired\]: $expired requests given up before the end of the capture: response not seen" \
	"$TMP/small.out"
done_testing
