#!/bin/sh
# export-duckdb.sh - a real engine reads tapline export's files: DuckDB
# (npm @duckdb/node-api, installed here) opens the export of three
# timelines (the bundled sessions) with the export's duckdb.sql and
# answers each question of examples/queries-duckdb.sql; SQLite answers
# examples/queries.sql on each timeline.  Row for row the same, the
# timeline's name in front (LIMITs dropped on both sides: DuckDB sees
# the three timelines at once).  Then DuckDB writes the tables as
# Parquet and reads them back, the route tapline-export(1) documents.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
command -v npm >/dev/null || skip_all "npm not installed (scripts/deps.sh)"
ex=$top_srcdir/examples

# DuckDB pinned: its SQL is what queries-duckdb.sql is written for.
DUCKDB_PACKAGE=@duckdb/node-api@1.5.6-r.1
node_dir=${TAPLINE_DUCKDB_DIR:-$top_builddir/tests/duckdb-node}
if [ "$(cat "$node_dir/.installed" 2>/dev/null)" != "$DUCKDB_PACKAGE" ]; then
	mkdir -p "$node_dir"
	(cd "$node_dir" && npm install --no-audit --no-fund --no-save \
		--prefix "$node_dir" "$DUCKDB_PACKAGE" >"$node_dir/npm.log" 2>&1) || {
		not_ok "npm install $DUCKDB_PACKAGE"; sed 's/^/#   /' "$node_dir/npm.log" | tail -20
		done_testing; exit; }
	echo "$DUCKDB_PACKAGE" >"$node_dir/.installed"
fi

names=""
for s in auth-failure mount-failure gfapi-utimens; do
	"$TAPLINE" correlate -q -o "$TMP/$s.db" "$ex/$s.pcap" "$ex/$s.rec" ||
		not_ok "correlate $s"
	names="$names $s"
done
check "export the three timelines" "$TAPLINE" export -o "$TMP/export" \
	"$TMP/auth-failure.db" "$TMP/mount-failure.db" "$TMP/gfapi-utimens.db"

# Statements one per file, in order; LIMIT n dropped.
split_sql() {
	awk -v out="$2" '
		/^--/ || /^[ \t]*$/ && stmt == "" { next }
		{ stmt = stmt $0 "\n" }
		/;[ \t]*$/ { n++; f = out "." n; gsub(/ LIMIT [0-9]+;/, ";", stmt)
			     printf "%s", stmt > f; close(f); stmt = "" }
		END { print n }' "$1"
}
n_sqlite=$(split_sql "$ex/queries.sql" "$TMP/q-sqlite")
n_duck=$(split_sql "$ex/queries-duckdb.sql" "$TMP/q-duckdb")
[ "$n_sqlite" -gt 0 ] && [ "$n_sqlite" = "$n_duck" ] &&
	ok "queries-duckdb.sql asks as many questions as queries.sql ($n_sqlite)" ||
	not_ok "questions: queries.sql $n_sqlite, queries-duckdb.sql $n_duck"

# Every value as text: integers as they are (ns times need all 64 bits),
# reals to 12 significant digits, NULL as \N; fields split by \037.
cat >"$TMP/duck.js" <<'EOF'
const { DuckDBInstance } = require(process.env.NODE_DIR + '/node_modules/@duckdb/node-api');
const fs = require('fs');
const cell = v => {
	if (v === null || v === undefined) return '\\N';
	let s = typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
	if (/^-?\d+\.\d+(e[-+]?\d+)?$/i.test(s) || /^-?\d+e[-+]?\d+$/i.test(s)) {
		const x = Number(Number(s).toPrecision(12));
		s = Number.isInteger(x) && Math.abs(x) < 2 ** 53 ? String(x) : String(x);
	}
	return s;
};
(async () => {
	const db = await DuckDBInstance.create(':memory:');
	const c = await db.connect();
	process.chdir(process.argv[2]);
	await c.run(fs.readFileSync('duckdb.sql', 'utf8'));
	for (const q of process.argv.slice(3)) {
		const sql = fs.readFileSync(q, 'utf8');
		if (sql.startsWith('COPY')) { await c.run(sql); continue; }
		const r = await c.runAndReadAll(sql);
		const out = r.getRowsJson().map(row => row.map(cell).join('\x1f'));
		fs.writeFileSync(q + '.rows', out.map(l => l + '\n').join(''));
	}
})().catch(e => { console.error(e.message); process.exit(1); });
EOF
# The same canonical text from sqlite3's list output.
canon_sqlite() {
	awk -F '\037' -v OFS='\037' -v name="$1" '{
		for (i = 1; i <= NF; i++)
			if ($i ~ /^-?[0-9]+\.[0-9]+(e[-+]?[0-9]+)?$/) {
				x = sprintf("%.12g", $i + 0); if (x ~ /^-?[0-9]+$/) x = x + 0
				$i = x
			}
		print name, $0 }'
}

qfiles=""
i=1
while [ "$i" -le "$n_duck" ]; do qfiles="$qfiles $TMP/q-duckdb.$i"; i=$((i + 1)); done
# shellcheck disable=SC2086
if NODE_DIR="$node_dir" node "$TMP/duck.js" "$TMP/export" $qfiles 2>"$TMP/duck.err"; then
	ok "DuckDB reads the export and runs every question"
else
	not_ok "DuckDB failed"; sed 's/^/#   /' "$TMP/duck.err"
fi

i=1
while [ "$i" -le "$n_sqlite" ]; do
	: >"$TMP/sqlite.$i.rows"
	for s in $names; do
		sqlite3 -list -separator "$(printf '\037')" -nullvalue '\N' \
			"$TMP/$s.db" <"$TMP/q-sqlite.$i" | canon_sqlite "$s" >>"$TMP/sqlite.$i.rows"
	done
	sort "$TMP/sqlite.$i.rows" >"$TMP/a"; sort "$TMP/q-duckdb.$i.rows" >"$TMP/b" 2>/dev/null
	rows=$(wc -l <"$TMP/a")
	if [ "$rows" -gt 0 ] && cmp -s "$TMP/a" "$TMP/b"; then
		ok "statement $i: DuckDB and SQLite give the same $rows rows"
	else
		not_ok "statement $i: DuckDB and SQLite differ ($rows rows in SQLite)"
		diff "$TMP/a" "$TMP/b" | head -10 | tr '\037' '|' | sed 's/^/#   /'
	fi
	i=$((i + 1))
done

# Parquet, written and read by the engine.
printf "COPY messages TO 'messages.parquet' (FORMAT parquet);" >"$TMP/copy.sql"
printf "SELECT count(*), count(DISTINCT timeline) FROM read_parquet('messages.parquet');" >"$TMP/parquet.sql"
want=0
for s in $names; do want=$((want + $(sqlite3 "$TMP/$s.db" "SELECT count(*) FROM messages"))); done
NODE_DIR="$node_dir" node "$TMP/duck.js" "$TMP/export" "$TMP/copy.sql" "$TMP/parquet.sql" 2>"$TMP/duck.err" &&
	[ "$(tr '\037' ' ' <"$TMP/parquet.sql.rows")" = "$want 3" ] &&
	ok "DuckDB turns the messages into Parquet: $want rows of 3 timelines" ||
	{ not_ok "Parquet: $(cat "$TMP/parquet.sql.rows" "$TMP/duck.err" 2>/dev/null), want $want"; }

done_testing
