#!/bin/sh
# correlate-bodies.sh - the bodies a timeline keeps compact (the records
# of its ONC-RPC messages, correlate/bodies.h) give, through tapline_body(),
# the JSON `tapline decode -T json` prints while it decodes the capture,
# message for message; tapline_field() reads the same values; bytes that
# are not a record give a verdict, never a crash; and tapline sql, the
# thin shell that opens a timeline with the functions loaded, behaves as
# its man page says.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
caps=$top_srcdir/tests/captures

# ---- every GlusterFS capture of tests/captures: stored, then rendered ----
# (The decoder's connection events -- a reset, a SYN unanswered -- are
# conversations' state in a timeline, not messages: left out of decode's.)
n=0
for cap in "$caps"/*.pcap; do
	name=$(basename "$cap" .pcap)
	db=$TMP/$name.db
	"$TAPLINE" correlate -q --no-progress -o "$db" "$cap" 2>/dev/null || true
	"$TAPLINE" decode -T json -r "$cap" 2>/dev/null |
		grep -v '^{[^{]*"protocol":"TCP"' >"$TMP/$name.decode" || true
	"$TAPLINE" sql "$db" "SELECT tapline_body(id) FROM messages ORDER BY id" \
		>"$TMP/$name.body"
	records=$("$TAPLINE" sql "$db" "SELECT count(*) FROM messages WHERE wire IS NOT NULL AND body IS NULL")
	if [ -s "$TMP/$name.decode" ] && cmp -s "$TMP/$name.decode" "$TMP/$name.body"; then
		ok "$name: tapline_body() of the $(wc -l <"$TMP/$name.body") messages is decode -T json's ($records from records)"
	else
		not_ok "$name: rendered bodies differ from decode -T json's"
		diff "$TMP/$name.decode" "$TMP/$name.body" | head -4 | cut -c1-300 | sed 's/^/#   /'
	fi
	n=$((n + 1))
done
[ "$n" -ge 10 ] && ok "$n captures compared" || not_ok "only $n captures in $caps"

# ---- the timeline holds records, not JSON; smaller ----
db=$TMP/samba.db
[ "$("$TAPLINE" sql "$db" "SELECT count(*) FROM messages WHERE body IS NOT NULL
	AND protocol IN ('rpc', 'glusterfs')")" = 0 ] &&
	[ "$("$TAPLINE" sql "$db" "SELECT sum(length(wire)) < sum(length(tapline_body(id))) / 4
	FROM messages")" = 1 ] &&
	ok "samba: ONC-RPC bodies as records, under a quarter of their JSON" ||
	not_ok "samba: bodies stored as $("$TAPLINE" sql "$db" "SELECT sum(length(wire)), sum(length(body)) FROM messages")"

# ---- the data of WRITE calls and READ replies is not kept ----
# Only the head before it: the bodies above render the same from it.
# The records' lengths and the READ replies' data lengths come from
# tshark (rpc.fraglen, glusterfs.size; it calls these WRITE calls
# malformed, tshark-known-bugs.txt).
db=$TMP/qemu-img.db
# (The wire column: the connection number, one byte here, then the head.)
heads=$("$TAPLINE" sql "$db" "SELECT count(*), sum(length(wire) = 1 + length
	- tapline_field(id, 'glusterfs.data_length')), sum(length + 1 - length(wire)),
	sum(tapline_field(id, 'glusterfs.data_length'))
	FROM messages WHERE tapline_field(id, 'glusterfs.data_length') > 0")
case $heads in
*"|"*) set -- $(echo "$heads" | tr '|' ' ') ;;
*) set -- 0 0 0 1 ;;
esac
[ "$1" -ge 10 ] && [ "$1" = "$2" ] && [ "$3" = "$4" ] &&
	ok "qemu-img: the $1 WRITE calls and READ replies with data keep their heads only ($3 bytes left out)" ||
	not_ok "qemu-img: messages with data, heads only, bytes left out: $heads"
tshark -r "$caps/qemu-img.pcap" -Y 'rpc.msgtyp == 1 && glusterfs.proc == 12' \
	-T fields -e frame.number -e rpc.fraglen -e glusterfs.size 2>/dev/null |
	sort >"$TMP/reads.tshark"
"$TAPLINE" sql "$db" "SELECT frame || '	' || length || '	' ||
	tapline_field(id, 'glusterfs.data_length') FROM messages
	WHERE op = 'READ' AND kind = 'response'" | sort >"$TMP/reads.tapline"
[ -s "$TMP/reads.tshark" ] && cmp -s "$TMP/reads.tshark" "$TMP/reads.tapline" &&
	ok "qemu-img: $(wc -l <"$TMP/reads.tshark") READ replies: record length and data length as tshark's" ||
	{ not_ok "qemu-img: READ replies differ from tshark's (frame, fraglen, size)"
	  diff "$TMP/reads.tshark" "$TMP/reads.tapline" | head -4 | sed 's/^/#   /'; }

# ---- records packed against the ones before them ----
# The real distribute session, its connections copied 100 times with new
# addresses and ports (bench/multiply): once 64 KiB of records came by,
# each record is kept compressed against the last 64 KiB before it (a
# new dictionary every 8192 records).
multiply=$top_builddir/bench/multiply
if [ -x "$multiply" ]; then
	copies=$("$multiply" "$caps/distribute-2brick.pcap" "$TMP/many.pcap" 6000000 2>&1 >/dev/null |
		sed -n 's/^multiply: \([0-9]*\) copies.*/\1/p')
	many=$TMP/many.db
	"$TAPLINE" correlate -q --no-progress -o "$many" "$TMP/many.pcap"
	"$TAPLINE" decode -T json -r "$TMP/many.pcap" | grep -v '^{[^{]*"protocol":"TCP"' >"$TMP/many.decode"
	"$TAPLINE" sql "$many" "SELECT tapline_body(id) FROM messages ORDER BY id" >"$TMP/many.body"
	set -- $("$TAPLINE" sql -s ' ' "$many" "SELECT count(*), count(wire_dictionary),
		(SELECT count(*) FROM wire_dictionaries), sum(length(wire)) FROM messages")
	rows=$1 packed=$2 dictionaries=$3 kept=$4
	one=$("$TAPLINE" sql "$TMP/distribute-2brick.db" "SELECT sum(length(wire)) FROM messages")
	cmp -s "$TMP/many.decode" "$TMP/many.body" && [ "$packed" -ge $(( rows * 9 / 10 )) ] &&
		ok "$copies copies: tapline_body() of the $rows messages is decode -T json's ($packed packed)" ||
		not_ok "$copies copies: $packed of $rows packed; bodies $(cmp "$TMP/many.decode" "$TMP/many.body" 2>&1 | head -1)"
	# Asked in any order (a reply and its request each with their own
	# dictionary, neither left from the row before): the same.
	"$TAPLINE" sql "$many" "SELECT id || '|' || tapline_body(id) FROM messages ORDER BY random()" |
		sort -t '|' -k 1,1n | cut -d '|' -f 2- >"$TMP/many.random"
	cmp -s "$TMP/many.decode" "$TMP/many.random" && [ "$dictionaries" -ge 2 ] &&
		ok "$copies copies: the bodies asked in random order, across $dictionaries dictionaries: the same" ||
		not_ok "$copies copies: bodies in random order differ ($dictionaries dictionaries)"
	# Bytes kept (dictionaries included) against the same records as
	# they are, and the timeline against the capture.
	dict_bytes=$((dictionaries * 65536))
	[ "$dictionaries" -ge 1 ] && [ $(( (kept + dict_bytes) * 4 )) -lt $(( one * copies )) ] &&
		[ "$(stat -c %s "$many")" -lt "$(stat -c %s "$TMP/many.pcap")" ] &&
		ok "$copies copies: records in $((kept + dict_bytes)) bytes ($dictionaries dictionaries), under a quarter of $((one * copies)); the timeline smaller than the capture" ||
		not_ok "$copies copies: records in $kept bytes + $dictionaries dictionaries, $((one * copies)) as they are; timeline $(stat -c %s "$many"), capture $(stat -c %s "$TMP/many.pcap")"
	# Hostile: the dictionary replaced by random bytes, too long, gone;
	# a length that lies: every row still renders; rows whose record
	# does not unpack say so.
	for damage in "UPDATE wire_dictionaries SET bytes = randomblob(65536)" \
		      "UPDATE wire_dictionaries SET bytes = zeroblob(65537)" \
		      "DELETE FROM wire_dictionaries" \
		      "UPDATE messages SET wire = x'ffffffffffffffffff7f' || wire WHERE wire_dictionary IS NOT NULL"; do
		cp "$many" "$TMP/damaged.db"
		"$TAPLINE" sql -w "$TMP/damaged.db" "$damage"
		if "$TAPLINE" sql "$TMP/damaged.db" "SELECT tapline_body(id) FROM messages ORDER BY id" \
			>"$TMP/damaged.out" 2>"$TMP/damaged.err"; then
			unpack=$(grep -c 'stored record that does not unpack' "$TMP/damaged.out" || true)
			bad=$(grep -c '"verdict":"[^"]*malformed' "$TMP/damaged.out" || true)
			case $damage in *randomblob*) want=$bad ;; *) want=$unpack ;; esac
			[ "$(wc -l <"$TMP/damaged.out")" = "$rows" ] && [ "$want" -ge $((packed / 2)) ] &&
				ok "$damage: all $rows rows rendered, $bad malformed ($unpack do not unpack)" ||
				not_ok "$damage: $(wc -l <"$TMP/damaged.out") of $rows rendered, $bad malformed, $unpack do not unpack"
		else
			not_ok "$damage: tapline_body() failed: $(head -3 "$TMP/damaged.err")"
		fi
	done
else
	for i in 1 2 3 4 5 6 7; do skip "bench/multiply not built"; done
fi

# ---- tapline_field(): the value json_extract() reads in the JSON ----
db=$TMP/gfapi-utimens.db
[ "$("$TAPLINE" sql "$db" "SELECT tapline_field(id, 'glusterfs.ia_atime') FROM messages
	WHERE op = 'SETATTR' AND kind = 'request' ORDER BY id")" = \
  "$("$TAPLINE" sql "$db" "SELECT (SELECT json_extract(t.value, '\$.value')
	FROM json_tree(tapline_body(m.id)) t WHERE t.type = 'object'
	AND json_extract(t.value, '\$.name') = 'glusterfs.ia_atime')
	FROM messages m WHERE op = 'SETATTR' AND kind = 'request' ORDER BY id")" ] &&
	"$TAPLINE" sql "$db" "SELECT tapline_field(id, 'glusterfs.ia_atime') FROM messages
	WHERE op = 'SETATTR'" | grep -qx -- '-1.000000000' &&
	ok "tapline_field(id, 'glusterfs.ia_atime'): the atime -1 SETATTR as the JSON says" ||
	not_ok "tapline_field() and the JSON disagree on glusterfs.ia_atime"
[ "$("$TAPLINE" sql "$db" "SELECT typeof(tapline_field(id, 'gluster.op_ret')) FROM messages
	WHERE op = 'SETATTR' AND kind = 'response' LIMIT 1")" = integer ] &&
	[ "$("$TAPLINE" sql "$db" "SELECT typeof(tapline_field(id, 'glusterfs.bname')) FROM messages
	WHERE op = 'SETATTR' AND kind = 'request' LIMIT 1")" = null ] &&
	ok "tapline_field(): integers as integers, a field the message has not NULL" ||
	not_ok "tapline_field(): gluster.op_ret or glusterfs.bname of SETATTR wrong"
check "tapline_field() of a name that no protocol has: an error naming it, exit 1" sh -c \
	'"$0" sql "$1" "SELECT tapline_field(1, '"'"'glusterfs.no_such'"'"')" 2>"$1.err"; test $? -eq 1 &&
	 grep -q "no field named .glusterfs.no_such." "$1.err"' "$TAPLINE" "$db"
[ "$("$TAPLINE" sql "$db" "SELECT tapline_body(-1) IS NULL AND tapline_body(NULL) IS NULL
	AND tapline_field(NULL, 'rpc.xid') IS NULL")" = 1 ] &&
	ok "tapline_body() of no message is NULL" || not_ok "tapline_body(-1) is not NULL"

# ---- hostile bytes in the wire column: a verdict, never a crash ----
bad=$TMP/bad.db
cp "$TMP/samba.db" "$bad"
"$TAPLINE" sql -w "$bad" "UPDATE messages SET wire = substr(wire, 1, length(wire) / 2) WHERE id % 3 = 0;
	UPDATE messages SET wire = randomblob(abs(random()) % 200) WHERE id % 3 = 1 AND wire IS NOT NULL;
	UPDATE messages SET wire = x'ffffffffffffffffffffff' WHERE id = 2;
	UPDATE messages SET wire = x'' WHERE id = 5;
	UPDATE messages SET src = 'not an address', dst = '[::1', verdict = 'elided,after-gap', length = -5 WHERE id = 8"
if "$TAPLINE" sql "$bad" "SELECT id, length(tapline_body(id)) FROM messages" >"$TMP/bad.out" 2>"$TMP/bad.err"; then
	all=$("$TAPLINE" sql "$bad" "SELECT count(*) FROM messages")
	cut=$("$TAPLINE" sql "$bad" "SELECT tapline_body(id) FROM messages
		WHERE id % 3 = 0 AND wire IS NOT NULL" | grep -c '"verdict":"[^"]*truncated\|"verdict":"[^"]*malformed' || true)
	[ "$(wc -l <"$TMP/bad.out")" = "$all" ] && [ "$cut" -gt 0 ] &&
		ok "records cut or replaced by random bytes: all $all rows rendered, $cut cut ones malformed or truncated" ||
		not_ok "hostile records: $(wc -l <"$TMP/bad.out") of $all rendered, $cut with a verdict"
else
	not_ok "tapline_body() on hostile records failed: $(head -3 "$TMP/bad.err")"
fi

# ---- tapline sql ----
check "tapline sql --help: exit 0, names the functions" sh -c \
	'"$0" sql --help | grep -q "tapline_body(ID)"' "$TAPLINE"
for args in "" "--no-such" "a.db b.db c.db"; do
	# shellcheck disable=SC2086
	check "tapline sql $args: usage error, exit 2" sh -c \
		'"$0" sql $1 >/dev/null 2>&1; test $? -eq 2' "$TAPLINE" "$args"
done
check "a timeline that is not there: exit 1, nothing created" sh -c \
	'"$0" sql "$1/none.db" "SELECT 1" 2>/dev/null; test $? -eq 1 && test ! -e "$1/none.db"' \
	"$TAPLINE" "$TMP"
check "bad SQL: exit 1, SQLite's message" sh -c \
	'"$0" sql "$1" "SELEC 1" 2>&1 >/dev/null | grep -q "syntax error"' "$TAPLINE" "$db"
check "read only unless -w" sh -c \
	'! "$0" sql "$1" "DELETE FROM messages" 2>/dev/null && "$0" sql "$1" "SELECT count(*) FROM messages" | grep -qx 36' \
	"$TAPLINE" "$db"
check "statements from standard input, -H and -s" sh -c \
	'printf "SELECT 1 AS a, NULL AS b;\n-- a comment\nSELECT 2 AS c, 3;\n" |
	 "$0" sql -H -s , "$1" >"$1.out" && printf "a,b\n1,\nc,3\n2,3\n" | cmp -s - "$1.out"' "$TAPLINE" "$db"
done_testing
