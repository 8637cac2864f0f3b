#!/bin/sh
# scylla-cql-flow.sh - one CQL query's whole flow, in time order, from a
# capture that holds both the client's CQL and the nodes' traffic
# (tests/captures/scylla/cql-flow.pcap: INSERT then SELECT at CONSISTENCY
# TWO, coordinator 127.0.0.1).  For each query (a CQL QUERY and its
# RESULT, same stream id), the inter-node messages it caused (the
# generator's log says which: MUTATION x2 and MUTATION_DONE x2; READ_DATA,
# READ_DIGEST and their responses) are decoded by tapline between the two,
# in the order they were sent.  The CQL frames' times come from tapline
# when it decodes CQL, else from tshark's CQL dissector.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
cap="$top_srcdir/tests/captures/scylla/cql-flow.pcap"
log="$top_srcdir/tests/captures/scylla/cql-flow.log"
[ -f "$cap" ] || skip_all "no $cap"
if "$TAPLINE" decode -G fields 2>/dev/null | grep -q 'cql\.opcode'; then
	"$TAPLINE" decode -Y cql -T fields -e frame.number -e cql.stream \
		-e cql.opcode "$cap" >"$TMP/cql"
	source="tapline"
elif command -v tshark >/dev/null 2>&1; then
	tshark -r "$cap" -Y cql -T fields -e frame.number -e cql.stream \
		-e cql.opcode 2>/dev/null >"$TMP/cql"
	source="tshark"
else
	skip_all "neither tapline nor tshark decodes CQL here"
fi
"$TAPLINE" decode -Y scylla -T fields -e frame.number -e scylla.verb \
	-e scylla.msg_id -e scylla.response.size "$cap" >"$TMP/scylla"
plan 3
# QUERY (opcode 7) and RESULT (8) frames by stream id
q_ins=$(awk -F'\t' '$2 == 7 && $3 == 7 { print $1; exit }' "$TMP/cql")
r_ins=$(awk -F'\t' '$2 == 7 && $3 == 8 { print $1; exit }' "$TMP/cql")
q_sel=$(awk -F'\t' '$2 == 8 && $3 == 7 { print $1; exit }' "$TMP/cql")
r_sel=$(awk -F'\t' '$2 == 8 && $3 == 8 { print $1; exit }' "$TMP/cql")
check "both queries and results found ($source): $q_ins $r_ins $q_sel $r_sel" \
	test -n "$q_ins" -a -n "$r_ins" -a -n "$q_sel" -a -n "$r_sel"
# verbs (and whether answered) between QUERY and RESULT, in frame order
between() {
	awk -F'\t' -v a="$1" -v b="$2" '$1 > a && $1 < b {
		printf "%s%s", sep, ($4 != "" ? "r" : "") $2; sep = " " }' \
		"$TMP/scylla" | tr -d '\n'
}
ins=$(between "${q_ins:-0}" "${r_ins:-0}")
sel=$(between "${q_sel:-0}" "${r_sel:-0}")
# what the generator logged it sent inside each query, in order
logged() {
	awk -v from="$1" '
	/ cql / && / name=QUERY / { q++ } / cql / && / name=RESULT / { r++ }
	/ kind=(request|response)/ && !/ cql / && q == from && r == from - 1 {
		split($0, w, " "); v = ""; k = ""
		for (i in w) { if (w[i] ~ /^verb=/) v = substr(w[i], 6)
			       if (w[i] ~ /^kind=response/) k = "r" }
		printf "%s%s%s", sep, k, v; sep = " " }' "$log"
}
check "INSERT at TWO: $ins between frames $q_ins and $r_ins" \
	test "$ins" = "$(logged 1)"
check "SELECT at TWO: $sel between frames $q_sel and $r_sel" \
	test "$sel" = "$(logged 2)"
exit $tap_fail
