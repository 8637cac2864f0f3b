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
#   - every stored field -G fields lists equals its column in a run
#     with -Y frame (a protocol word: any field may be read, so every
#     one is kept), on the captures of its protocol: alone, for the
#     GlusterFS and ONC-RPC fields, whose decoders step over parts no
#     name reads; 64 columns a run for the others.
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
# captures CLASS: the captures of a protocol's fields
captures() {
	case $1 in
	glusterfs|rpc) echo "$c/samba.pcap $c/cli-ops.pcap $c/distribute-2brick.pcap" \
		"$top_srcdir"/tests/gluster/captures/*.pcap ;;
	ceph) echo "$c/ceph/daemons-msgr1.pcap $c/ceph/daemons-msgr2.pcap" ;;
	cql|scylla) echo "$c/$1"/*.pcap* ;;
	*) echo "$c"/*.pcap* ;;
	esac
}

# The stored names by protocol, in chunks of at most 64 (the columns one
# run takes).  Each chunk's columns with -Y frame (a protocol word: every
# field kept) are the reference.  GlusterFS and ONC-RPC step over whole
# parts that no name reads (iatt, verifier): there each name is alone
# the one column, and must equal its column of the reference; elsewhere
# the chunk's columns together must.
"$TAPLINE" decode -G fields | awk -F '\t' '$5 !~ /derived/ { print $3, $1 }' |
	sort -s -k1,1 | awk '{ if ($1 != p || n == 64) { p = $1; n = 0; k++ }
		n++; print k, $1, $2 }' >"$TMP/chunks"
n=0 same=0
for k in $(cut -d' ' -f1 "$TMP/chunks" | uniq); do
	proto=$(awk -v k="$k" '$1 == k { print $2; exit }' "$TMP/chunks")
	names=$(awk -v k="$k" '$1 == k { print $3 }' "$TMP/chunks")
	cols=$(printf '%s\n' $names | sed 's/^/-e /' | tr '\n' ' ')
	caps=$(captures "$proto")
	# shellcheck disable=SC2086 # lists of options and files
	"$TAPLINE" decode -T fields $cols -Y frame $caps >"$TMP/all" 2>&1
	case $proto in
	glusterfs|rpc)
		i=0
		for name in $names; do
			i=$((i + 1)) n=$((n + 1))
			# shellcheck disable=SC2086
			"$TAPLINE" decode -T fields -e "$name" $caps >"$TMP/named" 2>&1
			if cut -f$i "$TMP/all" | cmp -s - "$TMP/named"; then
				same=$((same + 1))
			else
				echo "# differs: -e $name ($proto)"
			fi
		done ;;
	*)
		n=$((n + $(printf '%s\n' $names | wc -l)))
		# shellcheck disable=SC2086
		"$TAPLINE" decode -T fields $cols $caps >"$TMP/named" 2>&1
		if cmp -s "$TMP/all" "$TMP/named"; then
			same=$((same + $(printf '%s\n' $names | wc -l)))
		else
			echo "# differs: the $proto names of chunk $k"
		fi ;;
	esac
done
check "stored columns, the others counted, equal them with every field kept: $same of $n names" \
	[ "$same" -eq "$n" -a "$n" -gt 500 ]
done_testing
