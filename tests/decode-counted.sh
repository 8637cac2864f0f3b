#!/bin/sh
# decode-counted.sh - tapline decode keeps only the stored fields a run
# names (its -T fields columns and -Y names; none when every one is
# derived from the message's header, exchange, result or verdicts) and
# counts the others.  Bodies are still decoded whole.  The output must
# be exactly what keeping every field gives:
#   - on every capture of the tests and the fuzz corpora, all the
#     derived columns at once equal the same columns of a run that also
#     asks for a stored field (glusterfs.bname), with and without a -Y
#     filter on derived names, and in packet view;
#   - every stored field -G fields lists, as the one column, equals it
#     with -Y frame (a protocol word: any field may be read, so every
#     one is kept), on the captures of its protocol.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

"$TAPLINE" decode --help >/dev/null 2>&1 ||
	skip_all "tapline has no decode command in this build"

# the derived names: the first block of --list-fields
"$TAPLINE" decode --list-fields |
	awk '/^#/ { if (n++) exit; next } { print $1 }' >"$TMP/derived"
ncols=$(wc -l <"$TMP/derived")
check "--list-fields names derived fields ($ncols)" [ "$ncols" -gt 50 ]
derived=$(sed 's/^/-e /' "$TMP/derived" | tr '\n' ' ')

# columns CAPTURE [OPTION...]: every derived column, with the error
# message if decoding stops at one (hostile captures)
columns() {
	c=$1; shift
	# shellcheck disable=SC2086 # $derived is a list of options
	"$TAPLINE" decode -T fields $derived "$@" "$c" 2>&1 || echo "exit $?"
}

n=0 same=0
for cap in "$top_srcdir"/tests/captures/*.pcap* "$top_srcdir"/tests/captures/*/*.pcap* \
	   "$top_srcdir"/tests/gluster/captures/*.pcap* \
	   "$top_srcdir"/tests/fuzz/corpus/pcap/* \
	   "$top_srcdir"/tests/fuzz/corpus/decode_output/*; do
	[ -f "$cap" ] || continue
	for opts in "" "-Y tapline.kind==2||rpc.msgtyp==1" "--packets"; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # $opts is a list of options
		columns "$cap" $opts >"$TMP/counted"
		# shellcheck disable=SC2086
		columns "$cap" $opts -e glusterfs.bname | cut -f1-"$ncols" >"$TMP/stored"
		if cmp -s "$TMP/counted" "$TMP/stored"; then
			same=$((same + 1))
		else
			echo "# differs: $(basename "$cap") $opts"
		fi
	done
done
check "derived columns, fields counted, equal them with fields stored: $same of $n runs" \
	[ "$same" -eq "$n" ]

c=$top_srcdir/tests/captures
gluster="$c/samba.pcap $c/cli-ops.pcap $c/distribute-2brick.pcap $top_srcdir/tests/gluster/captures/*.pcap"
n=0 same=0
"$TAPLINE" decode -G fields | awk -F '\t' '$5 !~ /derived/ { print $1, $3 }' |
while read -r name proto; do
	case $proto in
	glusterfs|rpc) caps=$gluster ;;
	ceph) caps="$c/ceph/daemons-msgr1.pcap $c/ceph/daemons-msgr2.pcap" ;;
	cql) caps=$(ls "$c"/cql/*.pcap*) ;;
	scylla) caps=$(ls "$c"/scylla/*.pcap*) ;;
	*) caps=$(ls "$c"/*.pcap*) ;;
	esac
	n=$((n + 1))
	# shellcheck disable=SC2086 # $caps is a list of files
	"$TAPLINE" decode -T fields -e "$name" $caps >"$TMP/named" 2>&1
	# shellcheck disable=SC2086
	"$TAPLINE" decode -T fields -e "$name" -Y frame $caps >"$TMP/all" 2>&1
	if cmp -s "$TMP/named" "$TMP/all"; then
		same=$((same + 1))
	else
		echo "# differs: -e $name ($proto)"
	fi
	echo "$same $n" >"$TMP/count"
done
read -r same n <"$TMP/count"
check "each stored column, the others counted, equals it with every field kept: $same of $n names" \
	[ "$same" -eq "$n" ]
done_testing
