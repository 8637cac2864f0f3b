#!/bin/sh
# decode-derived.sh - when every -T fields column and every -Y name is a
# derived field (from the message's header, exchange, result or
# verdicts), tapline decode still decodes every body but keeps none of
# its fields, only counts them.  The output must be exactly what storing
# them gives: on every capture of the tests and the fuzz corpora, all
# the derived columns at once equal the same columns of a run that also
# asks for a stored field (glusterfs.bname makes the decoder keep every
# field), with and without a -Y filter on derived names, and in packet
# view.
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
done_testing
