#!/bin/sh
# correlate-upgrade.sh - a version-1 timeline (rpc_messages a table) is
# upgraded in place to version 4 (one messages table for every protocol,
# rpc_messages a view of it, bodies kept compact) and answers
# examples/queries.sql as before; so is a version-2 timeline (every body
# as JSON), and a version-3 timeline (records kept as they are); the
# bodies a new timeline renders from the records it keeps, and those of
# the upgraded version 3, are the JSON version 2 stored, byte for byte.
#
# The version-1 timeline is tests/timeline-v1.sql: the `sqlite3 .dump` of
# what tapline at commit 72ea628 (the last of schema version 1) made of the
# bundled session (examples/*.pcap, examples/*.rec); its header says how.
# The answers before the upgrade are SQLite's over that file alone (its
# own views), so they are version 1's, not this tapline's.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
ex=$top_srcdir/examples
q() { sqlite3 -batch -noheader "$1" "$2"; }

# Each statement of examples/queries.sql in a file of its own (they end
# with ';' at the end of a line).
awk -v dir="$TMP" '/^--/ || /^$/ { next }
	{ sql = sql $0 "\n" }
	/;$/ { n++; f = dir "/query" n ".sql"; printf "%s", sql > f; close(f); sql = "" }
	END { print n > (dir "/queries") }' "$top_srcdir/examples/queries.sql"
nq=$(cat "$TMP/queries")
# answers DB DIR: every query's answer (with headers) into DIR/N.
answers() {
	mkdir -p "$2"
	i=1
	while [ "$i" -le "$nq" ]; do
		sqlite3 -batch -header "$1" <"$TMP/query$i.sql" >"$2/$i" || return 1
		i=$((i + 1))
	done
}

v1=$TMP/v1.db
sqlite3 -batch "$v1" <"$top_srcdir/tests/timeline-v1.sql"
[ "$(q "$v1" 'PRAGMA user_version')" = 1 ] &&
	[ "$(q "$v1" "SELECT type FROM sqlite_master WHERE name = 'rpc_messages'")" = table ] &&
	ok "the fixture is a version-1 timeline (rpc_messages a table)" ||
	not_ok "the fixture is not version 1"
answers "$v1" "$TMP/before"
nonempty=0
for f in "$TMP"/before/*; do [ "$(wc -l <"$f")" -gt 1 ] && nonempty=$((nonempty + 1)); done
[ "$nonempty" -ge $((nq - 1)) ] && ok "version 1 answers $nonempty of the $nq queries with rows" ||
	not_ok "only $nonempty of $nq queries have rows on the fixture"
counts="SELECT (SELECT count(*) FROM rpc_messages), (SELECT count(*) FROM probe_events),
	(SELECT count(*) FROM links), (SELECT count(*) FROM conversations), (SELECT count(*) FROM inputs)"
v1_counts=$(q "$v1" "$counts")

# A reader (tapline diagnose) does not upgrade: it says what to do.
check "tapline diagnose on version 1: exit 1, says tapline correlate upgrades it" sh -c \
	'"$TAPLINE" diagnose "$0" >/dev/null 2>"$0.err"; test $? -eq 1 &&
	 grep -q "schema version 1; .*tapline correlate -o .* upgrades it" "$0.err" &&
	 test "$(sqlite3 "$0" "PRAGMA user_version")" = 1' "$v1"

# ---- opened for writing (an input already there adds nothing): upgraded ----
up=$TMP/up.db
cp "$v1" "$up"
check "tapline correlate opens it for writing and says it upgraded it" sh -c \
	'cd "$1" && "$TAPLINE" correlate --no-progress -o "$0" examples/gfapi-utimens.pcap 2>"$0.err" &&
	 grep -q "upgraded from schema version 1 to 4 (56 messages)" "$0.err"' "$up" "$top_srcdir"
[ "$(q "$up" 'PRAGMA user_version')" = 4 ] && ok "user_version is 4" ||
	not_ok "user_version $(q "$up" 'PRAGMA user_version')"
[ "$(q "$up" "SELECT type FROM sqlite_master WHERE name = 'rpc_messages'")" = view ] &&
	[ "$(q "$up" "SELECT count(*) FROM sqlite_master WHERE name LIKE 'v1_%'")" = 0 ] &&
	[ "$(q "$up" 'PRAGMA integrity_check')" = ok ] &&
	ok "rpc_messages is a view of messages; nothing of version 1 left; intact" ||
	not_ok "schema after the upgrade: $(q "$up" "SELECT type, name FROM sqlite_master")"
[ "$(q "$up" "$counts")" = "$v1_counts" ] && ok "the same rows ($v1_counts)" ||
	not_ok "rows $(q "$up" "$counts"), before $v1_counts"
answers "$up" "$TMP/upgraded"
if diff -r "$TMP/before" "$TMP/upgraded" >"$TMP/diff"; then
	ok "the $nq queries of examples/queries.sql answer the same after the upgrade"
else
	not_ok "answers differ after the upgrade"; head -20 "$TMP/diff" | sed 's/^/#   /'
fi
# The same session made by this tapline: the same answers, the same
# rpc_messages rows (version 1's columns, every one), and the generic
# columns the upgrade derived (protocol, kind, status) the decoder's own.
fresh=$TMP/fresh.db
(cd "$top_srcdir" && "$TAPLINE" correlate -q --no-progress -o "$fresh" \
	examples/gfapi-utimens.pcap examples/gfapi-utimens.rec \
	examples/auth-failure.pcap examples/auth-failure.rec \
	examples/mount-failure.pcap examples/mount-failure.rec)
answers "$fresh" "$TMP/fresh"
diff -r "$TMP/before" "$TMP/fresh" >/dev/null &&
	ok "a new (version-4) timeline of the same inputs answers the same" ||
	not_ok "version 4 answers differ from version 1's"
rows="SELECT * FROM rpc_messages ORDER BY id"
[ "$(q "$up" "$rows")" = "$(q "$fresh" "$rows")" ] &&
	ok "rpc_messages: every column of the $(q "$up" 'SELECT count(*) FROM rpc_messages') rows as version 1 stored them" ||
	not_ok "rpc_messages rows differ between the upgraded and a new timeline"
generic="SELECT id, protocol, kind, exchange_id, service, op, status, status_code, status_name,
	request, response, request_frame FROM messages ORDER BY id"
if [ "$(q "$up" "$generic")" = "$(q "$fresh" "$generic")" ]; then
	ok "messages: the generic columns of the upgraded rows are the decoder's"
else
	not_ok "generic columns differ"
	q "$up" "$generic" >"$TMP/g.up"; q "$fresh" "$generic" >"$TMP/g.fresh"
	diff "$TMP/g.up" "$TMP/g.fresh" | head | sed 's/^/#   /'
fi

# ---- a new input of another protocol: its rows visible, the rest kept ----
cql=$top_srcdir/tests/captures/cql/cql-v4-gen.pcap
if [ -f "$cql" ]; then
	check "a CQL capture added to the upgraded timeline" \
		"$TAPLINE" correlate -q --no-progress -o "$up" "$cql"
	n=$(q "$up" "SELECT count(*) FROM cql_messages")
	if command -v tshark >/dev/null; then
		# tshark's CQL messages (frame, stream), several to a frame
		tshark -r "$cql" -Y cql -T fields -e frame.number -e cql.stream 2>/dev/null |
			awk -F'\t' '{ n = split($2, s, ","); for (i = 1; i <= n; i++) print $1, s[i] }' |
			sort >"$TMP/tshark.cql"
		q "$up" "SELECT frame, stream FROM cql_messages" | tr '|' ' ' | sort >"$TMP/ours.cql"
		[ -s "$TMP/ours.cql" ] && cmp -s "$TMP/tshark.cql" "$TMP/ours.cql" &&
			ok "cql_messages: the $n (frame, stream) tshark sees" ||
			not_ok "cql_messages ($n) differ from tshark's ($(wc -l <"$TMP/tshark.cql"))"
	else
		[ "$n" -gt 0 ] && ok "cql_messages: $n rows" || not_ok "no cql_messages"
	fi
	[ "$(q "$up" "SELECT count(*) FROM unanswered_calls WHERE protocol = 'cql'")" -ge 1 ] &&
		[ "$(q "$up" "SELECT count(*) FROM slow_calls WHERE protocol = 'cql'")" -ge 1 ] &&
		ok "unanswered_calls and slow_calls read every protocol" ||
		not_ok "no CQL rows in unanswered_calls / slow_calls"
	[ "$(q "$up" "SELECT count(*) FROM rpc_messages")" = "$(q "$v1" "SELECT count(*) FROM rpc_messages")" ] &&
		[ "$(q "$up" "SELECT group_concat(event || message || method, ',') FROM links")" = \
		  "$(q "$v1" "SELECT group_concat(event || message || method, ',') FROM links")" ] &&
		ok "rpc_messages and links as before" || not_ok "rpc_messages or links changed"
	# The queries without LIMIT still give every row they gave.
	i=1
	kept=0
	while [ "$i" -le "$nq" ]; do
		sqlite3 -batch -header "$up" <"$TMP/query$i.sql" | sort >"$TMP/after.$i"
		if grep -qi limit "$TMP/query$i.sql" ||
		   [ -z "$(sort "$TMP/before/$i" | comm -23 - "$TMP/after.$i")" ]; then
			kept=$((kept + 1))
		else
			diag "query $i lost rows"
		fi
		i=$((i + 1))
	done
	[ "$kept" = "$nq" ] && ok "every answer of before is still there" ||
		not_ok "rows of $((nq - kept)) queries lost"
else
	skip "tests/captures not there"
	skip "tests/captures not there"
	skip "tests/captures not there"
	skip "tests/captures not there"
	skip "tests/captures not there"
fi

# ---- a version-2 timeline (tests/timeline-v2.sql, made by tapline at
# commit 17823db): upgraded in place, its JSON bodies kept; and the
# bodies this tapline renders from the records it keeps are the JSON
# version 2 stored for the same messages ----
v2=$TMP/v2.db
sqlite3 -batch "$v2" <"$top_srcdir/tests/timeline-v2.sql"
[ "$(q "$v2" 'PRAGMA user_version')" = 2 ] &&
	[ "$(q "$v2" "SELECT count(*) FROM messages WHERE body IS NULL")" = 0 ] &&
	ok "the fixture is a version-2 timeline (every body as JSON)" ||
	not_ok "the fixture is not version 2"
answers "$v2" "$TMP/before2"
v2_counts=$(q "$v2" "$counts")
v2_rows=$(q "$v2" "SELECT * FROM messages ORDER BY id")
# upgrade FROM FIXTURE COPY: COPY is FIXTURE opened for writing by
# tapline correlate (an input it holds already), which says it upgraded.
upgrade() {
	cp "$2" "$3"
	check "tapline correlate upgrades version $1 and says so" sh -c \
		'cd "$1" && "$TAPLINE" correlate --no-progress -o "$0" examples/gfapi-utimens.pcap 2>"$0.err" &&
		 grep -q "upgraded from schema version $2 to 4" "$0.err"' "$3" "$top_srcdir" "$1"
}
up2=$TMP/up2.db
upgrade 2 "$v2" "$up2"
[ "$(q "$up2" 'PRAGMA user_version')" = 4 ] && [ "$(q "$up2" 'PRAGMA integrity_check')" = ok ] &&
	[ "$(q "$up2" "$counts")" = "$v2_counts" ] &&
	ok "user_version 4, intact, the same rows ($v2_counts)" ||
	not_ok "after the upgrade: version $(q "$up2" 'PRAGMA user_version'), rows $(q "$up2" "$counts")"
# every column of version 2 as it was, and no record: the JSON stays
[ "$(q "$up2" "SELECT id, input, frame, first_frame, ts_ns, conversation, src, dst,
	protocol, kind, exchange_id, service, service_code, service_version, op, op_code,
	status, status_code, status_name, request, response, request_frame, latency_ns,
	length, verdict, why, info, reply_state, accept_state, op_ret, op_errno,
	errno_name, gfid, pargfid, path, bname, body FROM messages ORDER BY id")" = "$v2_rows" ] &&
	[ "$(q "$up2" "SELECT count(*) FROM messages WHERE wire IS NOT NULL")" = 0 ] &&
	[ "$(q "$up2" "SELECT count(*) FROM messages WHERE tapline_body(id) IS NOT body")" = 0 ] &&
	ok "messages: every version-2 column as it was; tapline_body() gives the stored JSON" ||
	not_ok "messages rows changed by the upgrade"
answers "$up2" "$TMP/upgraded2"
diff -r "$TMP/before2" "$TMP/upgraded2" >"$TMP/diff2" &&
	ok "the $nq queries of examples/queries.sql answer the same after the upgrade" ||
	{ not_ok "answers differ after the upgrade from version 2"; head -20 "$TMP/diff2" | sed 's/^/#   /'; }
diff -r "$TMP/before2" "$TMP/fresh" >/dev/null &&
	ok "a new timeline of the same inputs answers as version 2 did" ||
	not_ok "version 4 answers differ from version 2's"
# The new timeline keeps records, not JSON, for its ONC-RPC messages; the
# JSON it renders is version 2's (made when the capture was decoded, by
# the tapline of that commit), for every message.
nrec=$(q "$fresh" "SELECT count(*) FROM messages WHERE wire IS NOT NULL AND body IS NULL")
[ "$nrec" = "$(q "$fresh" "SELECT count(*) FROM messages WHERE protocol IN ('rpc', 'glusterfs')")" ] &&
	[ "$nrec" -gt 0 ] && ok "a new timeline keeps the records of its $nrec ONC-RPC messages, no JSON" ||
	not_ok "records kept: $nrec"
q "$fresh" "ATTACH '$v2' AS v2;
	SELECT count(*), sum(o.body = tapline_body(n.id)) FROM messages n
	JOIN v2.messages o ON o.id = n.id AND o.input = n.input AND o.frame = n.frame" >"$TMP/same"
[ "$(cat "$TMP/same")" = "$(q "$v2" 'SELECT count(*) FROM messages')|$(q "$v2" 'SELECT count(*) FROM messages')" ] &&
	ok "tapline_body(): every message's JSON is version 2's, byte for byte ($(cut -d'|' -f1 "$TMP/same"))" ||
	not_ok "rendered bodies differ from version 2's: $(cat "$TMP/same")"
# tapline_field() reads what json_tree() finds in the same JSON
q "$fresh" "ATTACH '$v2' AS v2;
	SELECT count(*) FROM messages n JOIN v2.messages o ON o.id = n.id,
	json_tree(o.body) t WHERE t.type = 'object' AND json_extract(t.value, '$.name') IS NOT NULL
	AND json_extract(t.value, '$.label') IS NULL
	AND (SELECT json_extract(u.value, '$.value') FROM json_tree(o.body) u
	     WHERE u.type = 'object' AND json_extract(u.value, '$.name') = json_extract(t.value, '$.name')
	     LIMIT 1) IS NOT tapline_field(n.id, json_extract(t.value, '$.name'))" >"$TMP/fields"
[ "$(cat "$TMP/fields")" = 0 ] &&
	ok "tapline_field(): every field of every message as json_extract() reads version 2's JSON" ||
	not_ok "tapline_field() differs from the JSON on $(cat "$TMP/fields") fields"

# ---- a version-3 timeline (tests/timeline-v3.sql, made by tapline at
# commit 93a0bc9: every record kept as it is): upgraded in place, its rows
# as they were, their bodies version 2's JSON ----
v3=$TMP/v3.db
sqlite3 -batch "$v3" <"$top_srcdir/tests/timeline-v3.sql"
[ "$(q "$v3" 'PRAGMA user_version')" = 3 ] &&
	[ "$(q "$v3" "SELECT count(*) FROM messages WHERE wire IS NOT NULL AND body IS NULL")" = 56 ] &&
	ok "the fixture is a version-3 timeline (56 records kept as they are)" ||
	not_ok "the fixture is not version 3"
v3_rows=$(q "$v3" "SELECT * FROM messages ORDER BY id")
up3=$TMP/up3.db
upgrade 3 "$v3" "$up3"
[ "$(q "$up3" 'PRAGMA user_version')" = 4 ] && [ "$(q "$up3" 'PRAGMA integrity_check')" = ok ] &&
	[ "$(q "$up3" "$counts")" = "$v1_counts" ] &&
	[ "$(q "$up3" "SELECT count(*) FROM wire_dictionaries")" = 0 ] &&
	ok "user_version 4, intact, the same rows ($v1_counts), no dictionary" ||
	not_ok "after the upgrade: version $(q "$up3" 'PRAGMA user_version'), rows $(q "$up3" "$counts")"
# every column of version 3 as it was (the new one, last, NULL)
[ "$(q "$up3" "SELECT * FROM messages ORDER BY id" | sed 's/|$//')" = "$v3_rows" ] &&
	[ "$(q "$up3" "SELECT count(*) FROM messages WHERE wire_dictionary IS NOT NULL")" = 0 ] &&
	ok "messages: every version-3 column as it was, no record packed" ||
	not_ok "messages rows changed by the upgrade from version 3"
q "$up3" "ATTACH '$v2' AS v2;
	SELECT count(*), sum(o.body = tapline_body(n.id)) FROM messages n
	JOIN v2.messages o ON o.id = n.id AND o.input = n.input AND o.frame = n.frame" >"$TMP/same3"
[ "$(cat "$TMP/same3")" = "56|56" ] &&
	ok "tapline_body() of the upgraded records: version 2's JSON, byte for byte" ||
	not_ok "bodies after the upgrade from version 3: $(cat "$TMP/same3")"
# unanswered_calls made anew: a refusal is no longer always a reset
[ "$(q "$v3" "SELECT instr(sql, 'refused (reset)') > 0 FROM sqlite_master WHERE name = 'unanswered_calls'")" = 1 ] &&
	[ "$(q "$up3" "SELECT instr(sql, 'refused (reset)') = 0 AND instr(sql, '''connection refused''') > 0
		FROM sqlite_master WHERE name = 'unanswered_calls'")" = 1 ] &&
	ok "unanswered_calls: version 3 called every refusal a reset; the upgraded view does not" ||
	not_ok "unanswered_calls after the upgrade: $(q "$up3" "SELECT sql FROM sqlite_master WHERE name = 'unanswered_calls'" | grep refused)"
answers "$up3" "$TMP/upgraded3"
diff -r "$TMP/before2" "$TMP/upgraded3" >"$TMP/diff3" &&
	ok "the $nq queries answer after the upgrade from version 3 as version 2 did" ||
	{ not_ok "answers differ after the upgrade from version 3"; head -20 "$TMP/diff3" | sed 's/^/#   /'; }

# ---- the conversation states of version 4 in upgraded timelines: a
# connection answered by ICMP host unreachable or filtered is
# 'unreachable' (tests/correlate-refused.sh checks it against tshark),
# stored as in a new timeline; the CHECK still refuses other states ----
icmp=$top_srcdir/tests/fuzz/corpus/pcap/icmp-unreachable.pcap
"$TAPLINE" correlate -q --no-progress -o "$TMP/icmp.db" "$icmp"
states='SELECT client_port, server_port, state, syn_count FROM conversations
	WHERE input = (SELECT max(id) FROM inputs) ORDER BY client_port'
for v in 1:"$up" 2:"$up2" 3:"$up3"; do
	db=${v#*:} v=${v%%:*}
	"$TAPLINE" correlate -q --no-progress -o "$db" "$icmp" 2>"$TMP/icmp.err" &&
		[ "$(q "$db" "$states")" = "$(q "$TMP/icmp.db" "$states")" ] &&
		[ "$(q "$db" "SELECT count(*) FROM unanswered_calls WHERE what LIKE 'destination unreachable (ICMP, 2 SYN)'")" = 2 ] &&
		[ "$(q "$db" 'PRAGMA integrity_check')" = ok ] &&
		ok "upgraded from version $v: 2 unreachable connections stored as in a new timeline" ||
		not_ok "upgraded from version $v: $(head -2 "$TMP/icmp.err") $(q "$db" "$states" | tr '\n' ' ')"
	! q "$db" "UPDATE conversations SET state = 'lost' WHERE id = 1" 2>/dev/null &&
		ok "upgraded from version $v: the CHECK still refuses a state it does not know" ||
		not_ok "upgraded from version $v: state 'lost' accepted"
done

# ---- two runs open the same version-1 timeline at once ----
race=$TMP/race.db
cp "$v1" "$race"
"$TAPLINE" correlate --no-progress -o "$race" "$ex/gfapi-utimens.rec" 2>"$TMP/race1.err" &
pid1=$!
"$TAPLINE" correlate --no-progress -o "$race" "$ex/auth-failure.rec" 2>"$TMP/race2.err" &
pid2=$!
rc1=0; wait "$pid1" || rc1=$?
rc2=0; wait "$pid2" || rc2=$?
upgrades=$(cat "$TMP/race1.err" "$TMP/race2.err" | grep -c "upgraded from schema version 1" || true)
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$upgrades" = 1 ] &&
	[ "$(q "$race" 'PRAGMA user_version')" = 4 ] && [ "$(q "$race" "$counts")" = "$v1_counts" ] &&
	ok "two runs at once: one upgrades, the other finds version 4; both succeed" ||
	not_ok "two runs at once: exit $rc1 $rc2, $upgrades upgrades, rows $(q "$race" "$counts")"

# ---- what cannot be upgraded is left as it was ----
bad=$TMP/bad.db
sqlite3 -batch "$bad" <"$top_srcdir/tests/timeline-v1.sql"
sqlite3 "$bad" "ALTER TABLE rpc_messages RENAME COLUMN xid TO xid_was"
before_bad=$(sqlite3 "$bad" .dump | sha256sum)
check "a version-1 timeline that does not upgrade: exit 1, it is left as it was, and what to do is said" sh -c \
	'"$TAPLINE" correlate -q -o "$0" "$1" 2>"$0.err"; test $? -eq 1 &&
	 grep -q "a version-1 timeline; upgrading it to version 4 failed, it is left as it was" "$0.err" &&
	 test "$(sqlite3 "$0" "PRAGMA user_version")" = 1' "$bad" "$ex/gfapi-utimens.rec"
[ "$(sqlite3 "$bad" .dump | sha256sum)" = "$before_bad" ] && ok "... byte for byte the same dump" ||
	not_ok "the failed upgrade changed the timeline"
done_testing
