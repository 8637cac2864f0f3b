#!/bin/sh
# tshark-diff.sh - the differential test against tshark: for every lab
# capture, each RPC message tshark decodes must appear in tapline's output
# with the same (frame, xid, msgtyp, program, version, procedure).  A
# disagreement passes only when tests/tshark-known-bugs.txt lists it with
# the evidence that tshark is the one that is wrong.
#
# tapline's columns come from `tapline decode -T fields` when that command
# exists, else from the decoder's own test driver (tests/gluster/rpc_fields).
#
# Second, the procedure NAMES: tshark's Info column ("V400 SETATTR Call")
# against the decoder's proc_name (tests/gluster/rpc_fields -n); every
# (program, version, procedure) where the names differ must be listed in
# the fixture with the upstream source that names it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

command -v tshark >/dev/null 2>&1 || skip_all "tshark not installed"
captures=$(ls "$top_srcdir"/tests/captures/*.pcap \
	"$top_srcdir"/tests/gluster/captures/*.pcap 2>/dev/null || true)
[ -n "$captures" ] || skip_all "no lab captures in tests/captures"
known="$top_srcdir/tests/tshark-known-bugs.txt"

fields="-e frame.number -e rpc.xid -e rpc.msgtyp -e rpc.program -e rpc.programversion -e rpc.procedure"
driver="$top_builddir/tests/gluster/rpc_fields"
if "$TAPLINE" decode --help >/dev/null 2>&1; then
	ours() { "$TAPLINE" decode -T fields $fields -r "$1"; }
	diag "tapline's columns: tapline decode -T fields"
elif [ -x "$driver" ]; then
	ours() { "$driver" "$1"; }
	diag "tapline's columns: $driver (tapline decode not built)"
else
	skip_all "neither tapline decode nor tests/gluster/rpc_fields built"
fi

# One line per message: frame xid(decimal) msgtyp program version proc.
# tshark puts every message of a frame in one line, comma-separated, and
# repeats rpc.programversion once more inside GlusterFS's own subtree.
normalize_tshark() {
	awk -F'\t' '
	function hex(s,   i, c, v) {
		s = tolower(s); sub(/^0x/, "", s); v = 0
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1)) - 1
			if (c < 0) return -1
			v = v * 16 + c
		}
		return v
	}
	$2 != "" {
		n = split($2, xid, ","); split($3, typ, ",")
		np = split($4, prog, ","); nv = split($5, ver, ",")
		nc = split($6, proc, ",")
		for (i = 1; i <= n; i++) {
			v = nv == 2 * n ? ver[2 * i - 1] : (nv == n ? ver[i] : "?")
			p = np == n ? prog[i] : (n == 1 ? prog[1] : "?")
			c = nc == n ? proc[i] : (n == 1 ? proc[1] : "?")
			if (nv == 0) v = ""
			printf "%s\t%d\t%s\t%s\t%s\t%s\n", $1, hex(xid[i]), typ[i], p, v, c
		}
	}'
}
normalize_ours() {
	awk -F'\t' '
	function hex(s,   i, c, v) {
		s = tolower(s); sub(/^0x/, "", s); v = 0
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1)) - 1
			if (c < 0) return -1
			v = v * 16 + c
		}
		return v
	}
	$2 != "" { printf "%s\t%d\t%s\t%s\t%s\t%s\n", $1, hex($2), $3, $4, $5, $6 }'
}

total=0
for cap in $captures; do
	name=$(basename "$cap")
	tshark -n -r "$cap" -T fields $fields -E separator=/t 2>/dev/null |
		normalize_tshark >"$TMP/tshark.txt"
	ours "$cap" 2>"$TMP/ours.err" | normalize_ours >"$TMP/ours.txt"
	nt=$(wc -l <"$TMP/tshark.txt")
	# Every tshark row must have a row of ours with the same frame, xid
	# and type; then program, version, procedure are compared wherever
	# tshark has a value.  "?" marks a value tshark's packing made
	# ambiguous; it is not compared.
	awk -F'\t' -v cap="$name" -v known="$known" '
	BEGIN {
		while ((getline line < known) > 0) {
			if (line ~ /^#/ || line == "") continue
			split(line, k, " ")
			if (k[1] == cap) bug[k[2] " " k[3] " " k[4]] = 1
		}
	}
	FNR == NR { key = $1 " " $2 " " $3; ours[key] = $4 " " $5 " " $6; next }
	{
		key = $1 " " $2 " " $3
		if (!(key in ours)) { miss(key, "message missing"); next }
		split(ours[key], o, " ")
		names[4] = "rpc.program"; names[5] = "rpc.programversion"
		names[6] = "rpc.procedure"
		for (i = 4; i <= 6; i++) {
			if ($i == "" || $i == "?") continue
			if ($i != o[i - 3]) {
				id = $1 " " $2 " " names[i]
				if (id in bug) { printf "# known tshark bug: %s %s\n", cap, id; continue }
				printf "not-equal %s frame %s xid %s: %s tshark=%s tapline=%s\n", cap, $1, $2, names[i], $i, o[i - 3]
			}
		}
	}
	function miss(key, why,   id) {
		split(key, kk, " ")
		id = kk[1] " " kk[2] " missing"
		if (id in bug) { printf "# known tshark bug: %s %s\n", cap, id; return }
		printf "not-equal %s frame %s xid %s: %s\n", cap, kk[1], kk[2], why
	}' "$TMP/ours.txt" "$TMP/tshark.txt" >"$TMP/diff.txt"
	grep '^#' "$TMP/diff.txt" || true
	if grep -q '^not-equal' "$TMP/diff.txt"; then
		not_ok "$name: tapline agrees with tshark on $nt RPC messages"
		grep '^not-equal' "$TMP/diff.txt" | head -20 | sed 's/^/#   /'
	else
		ok "$name: tapline agrees with tshark on $nt RPC messages"
	fi
	no=$(wc -l <"$TMP/ours.txt")
	[ "$no" -le "$nt" ] ||
		diag "$name: tapline decodes $((no - nt)) RPC messages more than tshark"
	total=$((total + nt))
done
diag "$total RPC messages compared"

# ---- bodies: results and names where tshark decodes them ----
# gluster.op_ret / gluster.op_errno of replies and glusterfs.bname of
# calls, frame by frame, wherever tshark shows a value (it decodes no body
# of a call it flags malformed, nor PING's).
if "$TAPLINE" decode --help >/dev/null 2>&1; then
	body="-e frame.number -e gluster.op_ret -e gluster.op_errno -e glusterfs.bname"
	nb=0
	for cap in $captures; do
		tshark -n -r "$cap" -T fields $body -E separator=/t 2>/dev/null |
			awk -F'\t' '($2 != "" || $4 != "") && $2 !~ /,/ && $4 !~ /,/' \
			>"$TMP/tbody.txt"
		"$TAPLINE" decode -T fields $body -r "$cap" >"$TMP/obody.txt"
		awk -F'\t' -v cap="$(basename "$cap")" '
		FNR == NR { r[$1] = $2; e[$1] = $3; b[$1] = $4; next }
		{
			if ($2 != "" && (r[$1] != $2 || e[$1] != $3))
				printf "bad %s frame %s: op_ret/op_errno tshark=%s/%s tapline=%s/%s\n", cap, $1, $2, $3, r[$1], e[$1]
			else if ($4 != "" && b[$1] != $4)
				printf "bad %s frame %s: bname tshark=%s tapline=%s\n", cap, $1, $4, b[$1]
			else print "same"
		}' "$TMP/obody.txt" "$TMP/tbody.txt"
	done >"$TMP/body.txt"
	nb=$(grep -c '^same' "$TMP/body.txt" || true)
	if grep -q '^bad' "$TMP/body.txt"; then
		not_ok "op_ret/op_errno/bname: tapline differs from tshark"
		grep '^bad' "$TMP/body.txt" | head -20 | sed 's/^/#   /'
	else
		ok "op_ret/op_errno/bname: tapline agrees with tshark on $nb messages"
	fi
else
	skip "op_ret/op_errno/bname: tapline decode not built"
fi

# ---- procedure names ----
if [ -x "$driver" ]; then
	names_bad=0 names_known=0 names_same=0
	for cap in $captures; do
		tshark -n -r "$cap" -T fields -e frame.number -e rpc.msgtyp \
			-e _ws.col.Info 2>/dev/null | awk -F'\t' '
		$2 != "" && index($2, ",") == 0 &&
		match($3, /V[0-9]+ [^ ,]+ (Call|Reply)/) {
			split(substr($3, RSTART, RLENGTH), w, " ")
			print $1 "\t" $2 "\t" w[2]
		}' >"$TMP/tnames.txt"
		"$driver" -n "$cap" >"$TMP/onames.txt"
		awk -F'\t' -v cap="$(basename "$cap")" -v known="$known" '
		BEGIN {
			while ((getline line < known) > 0) {
				split(line, k, " ")
				if (k[1] == "name")
					bug[k[2] " " k[3] " " k[4] " " k[5] " " k[6]] = 1
			}
		}
		FNR == NR { ours[$1 " " $3] = $4 " " $5 " " $6 " " $7; next }
		($1 " " $2) in ours {
			split(ours[$1 " " $2], o, " ")
			if (o[4] == $3) { print "same"; next }
			id = o[1] " " o[2] " " o[3] " " $3 " " o[4]
			if (id in bug) print "known " id
			else printf "bad %s frame %s: program %s v%s proc %s tshark=%s tapline=%s\n", cap, $1, o[1], o[2], o[3], $3, o[4]
		}' "$TMP/onames.txt" "$TMP/tnames.txt"
	done >"$TMP/names.txt"
	names_same=$(grep -c '^same' "$TMP/names.txt" || true)
	names_known=$(grep -c '^known' "$TMP/names.txt" || true)
	if grep -q '^bad' "$TMP/names.txt"; then
		not_ok "procedure names: $names_same agree, $names_known known tshark bugs, and unexplained differences"
		grep '^bad' "$TMP/names.txt" | sort -u | head -20 | sed 's/^/#   /'
	else
		ok "procedure names: $names_same agree with tshark, $names_known differ where tshark is known wrong"
	fi
	grep '^known' "$TMP/names.txt" | sort | uniq -c |
		sed 's/^ *\([0-9]*\) known /# known tshark name bug (x\1): /'
else
	skip "procedure names: tests/gluster/rpc_fields not built"
fi
done_testing
