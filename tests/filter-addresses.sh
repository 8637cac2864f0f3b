#!/bin/sh
# filter-addresses.sh - -Y compares every protocol's address fields as
# addresses (binary, with prefixes), not only IP's: Ceph's entity
# addresses and Scylla's endpoints select the same messages as their text
# in -T fields says they should.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

"$TAPLINE" decode --help >/dev/null 2>&1 ||
	skip_all "tapline has no decode command in this build"
captures=$top_srcdir/tests/captures

# count_text CAPTURE FIELD VALUE: messages with an occurrence of FIELD whose
# text is VALUE, from -T fields (occurrences separated by commas).
count_text() {
	"$TAPLINE" decode -T fields -e "$2" "$1" |
		awk -F, -v v="$3" '{ for (i = 1; i <= NF; i++) if ($i == v) { n++; break } }
			END { print n + 0 }'
}
count_filter() {
	"$TAPLINE" decode -Y "$2" -T fields -e frame.number "$1" | wc -l
}

for spec in "ceph/msgr2-crc.pcap ceph.addr.ip" "ceph/msgr1.pcap ceph.addr.ip" \
	    "scylla/gossip.pcap scylla.gossip.endpoint"; do
	set -- $spec
	capture=$captures/$1 field=$2
	[ -f "$capture" ] || { skip "$1: capture missing"; continue; }
	value=$("$TAPLINE" decode -T fields -e "$field" "$capture" | tr ',' '\n' |
		grep -m1 .)
	[ -n "$value" ] || { not_ok "$1: no $field in the capture"; continue; }
	want=$(count_text "$capture" "$field" "$value")
	got=$(count_filter "$capture" "$field == $value")
	[ "$want" -gt 0 ] && [ "$got" = "$want" ] &&
		ok "$1: $field == $value selects the $want messages its text names" ||
		not_ok "$1: $field == $value selects $got messages, its text names $want"
	prefix=${value%.*}.0/24
	all=$(count_filter "$capture" "$field")
	inside=$(count_filter "$capture" "$field == $prefix")
	[ "$inside" -ge "$want" ] && [ "$inside" -le "$all" ] &&
		ok "$1: $field == $prefix selects $inside of the $all messages with the field" ||
		not_ok "$1: $field == $prefix selects $inside (want $want to $all)"
	got=$(count_filter "$capture" "$field == 192.0.2.1")
	[ "$got" = 0 ] && ok "$1: an address not in the capture selects nothing" ||
		not_ok "$1: $field == 192.0.2.1 selects $got messages"
done
done_testing
