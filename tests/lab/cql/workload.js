#!/usr/bin/env node
// tests/lab/cql/workload.js - drives a real Cassandra with the real DataStax
// Node.js driver and writes, one JSON object a line, what it asked and what
// the driver decoded from the answers: the ground truth the captures are
// checked against.
//
// usage: node workload.js --version 1|2|3|auto --log FILE [--auth USER:PASS]
//        [--keyspace NAME] [--host 127.0.0.1] [--steps all|auth]
// NODE_PATH must reach the driver (cassandra.sh install puts it in
// $CQL_LAB_DIR/node/node_modules).
'use strict';

const cassandra = require('cassandra-driver');
const fs = require('fs');

const args = {};
for (let i = 2; i < process.argv.length; i += 2)
	args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const version = args.version || 'auto';
const host = args.host || '127.0.0.1';
const ks = args.keyspace || ('tapline_v' + (version === 'auto' ? '3' : version));
const steps = args.steps || 'all';
const logFd = fs.openSync(args.log || '/dev/stdout', 'w');

let seq = 0;
// Values as JSON: the driver's own types written the way tapline prints
// them (big numbers and decimals as strings, blobs as hex, dates as ISO).
function plain(v) {
	if (v === null || v === undefined) return null;
	if (Buffer.isBuffer(v)) return '0x' + v.toString('hex');
	if (v instanceof Date) return v.toISOString();
	if (v instanceof cassandra.types.Long) return v.toString();
	if (v instanceof cassandra.types.BigDecimal) return v.toString();
	if (v instanceof cassandra.types.Integer) return v.toString();
	if (v instanceof cassandra.types.Uuid) return v.toString();
	if (v instanceof cassandra.types.InetAddress) return v.toString();
	if (v instanceof cassandra.types.Tuple) return v.values().map(plain);
	if (v instanceof cassandra.types.LocalDate || v instanceof cassandra.types.LocalTime) return v.toString();
	if (v instanceof Map) return Array.from(v.entries()).map(([k, x]) => [plain(k), plain(x)]);
	if (v instanceof Set) return Array.from(v).map(plain);
	if (Array.isArray(v)) return v.map(plain);
	if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
	if (typeof v === 'object') {
		const o = {};
		for (const k of Object.keys(v)) o[k] = plain(v[k]);
		return o;
	}
	return v;
}

function typeName(t) {
	if (!t) return null;
	const names = {};
	for (const [k, v] of Object.entries(cassandra.types.dataTypes)) if (typeof v === 'number') names[v] = k;
	let s = names[t.code] || ('0x' + t.code.toString(16));
	if (t.code === 0 && t.info) s = 'custom(' + t.info + ')';
	else if (t.info && Array.isArray(t.info)) s += '<' + t.info.map(typeName).join(',') + '>';
	else if (t.info && t.info.code !== undefined) s += '<' + typeName(t.info) + '>';
	else if (t.info && t.info.fields) s += '<' + t.info.name + ':' + t.info.fields.map(f => f.name + ' ' + typeName(f.type)).join(',') + '>';
	else if (t.info && t.info.elements) s += '<' + t.info.elements.map(typeName).join(',') + '>';
	return s;
}

function log(entry) {
	entry.seq = ++seq;
	entry.ts = new Date().toISOString();
	fs.writeSync(logFd, JSON.stringify(entry) + '\n');
}

function resultEntry(rs) {
	const e = {};
	if (rs.columns) e.columns = rs.columns.map(c => ({ name: c.name, type: typeName(c.type) }));
	if (rs.rows) e.rows = rs.rows.map(r => rs.columns.map(c => plain(r[c.name])));
	if (rs.pageState) e.page_state = '0x' + rs.pageState;
	if (rs.info && rs.info.warnings) e.warnings = rs.info.warnings;
	return e;
}

function errorEntry(err) {
	return { code: err.code, name: err.name, message: err.message };
}

// run(what, cql, params, options): one request, logged with its outcome.
async function run(client, what, cql, params, options) {
	const entry = { what, cql };
	if (params) entry.params = plain(params);
	if (options && options.hints) entry.hints = JSON.parse(JSON.stringify(options.hints));
	if (options && options.prepare) entry.prepared = true;
	if (options && options.fetchSize) entry.fetch_size = options.fetchSize;
	try {
		const rs = await client.execute(cql, params, options);
		Object.assign(entry, { ok: true }, resultEntry(rs));
		log(entry);
		return rs;
	} catch (err) {
		Object.assign(entry, { ok: false, error: errorEntry(err) });
		log(entry);
		return null;
	}
}

async function batch(client, kind, queries, options) {
	const entry = { what: 'batch', kind, queries: queries.map(q => ({ cql: q.query, params: plain(q.params) })) };
	try {
		await client.batch(queries, options);
		entry.ok = true;
	} catch (err) {
		Object.assign(entry, { ok: false, error: errorEntry(err) });
	}
	log(entry);
}

const T = cassandra.types;
// One row of every type Cassandra 2.1 knows, edge values included.
function allTypesRow(id) {
	return [
		id,
		'ascii text',				// ascii
		T.Long.fromString('-9223372036854775808'),	// bigint
		Buffer.from('00ff10', 'hex'),		// blob
		false,					// boolean
		T.BigDecimal.fromString('-123.4567'),	// decimal
		-1.5e300,				// double
		3.5,					// float
		T.InetAddress.fromString('2001:db8::ff00:42:8329'), // inet
		-2147483648,				// int
		'tëxt ✓',				// text
		new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)), // timestamp
		T.TimeUuid.fromString('50554d6e-29bb-11e5-b345-feff819cdc9f'), // timeuuid
		T.Uuid.fromString('01234567-89ab-cdef-0123-456789abcdef'), // uuid
		'varchar',				// varchar
		T.Integer.fromString('-170141183460469231731687303715884105729'), // varint
		[1, -2, 3],				// list<int>
		['a', 'b'],				// set<text>
		{ one: 1, two: 2 },			// map<text,int>
		new T.Tuple(7, 'seven', true),		// tuple<int,text,boolean>
		{ street: 'Main St', zip: 12345 },	// address
		T.InetAddress.fromString('192.0.2.7'),	// inet (v4)
	];
}
const ALL_TYPES_COLUMNS = 'id, a, b, bl, bo, de, do, fl, ip, i, t, ts, tu, u, vc, vi, li, se, ma, tup, addr, ip4';
const ALL_TYPES_HINTS = ['int', 'ascii', 'bigint', 'blob', 'boolean', 'decimal', 'double', 'float', 'inet', 'int',
	'text', 'timestamp', 'timeuuid', 'uuid', 'varchar', 'varint', 'list<int>', 'set<text>', 'map<text,int>',
	'tuple<int,text,boolean>', 'udt<address>', 'inet'];

async function schema(client) {
	await run(client, 'query', `DROP KEYSPACE IF EXISTS ${ks}`);
	await run(client, 'query', `CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
	await run(client, 'query', `USE ${ks}`);
	await run(client, 'query', 'CREATE TYPE address (street text, zip int)');
	await run(client, 'query', 'CREATE TABLE all_types (id int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, ' +
		'de decimal, do double, fl float, ip inet, i int, t text, ts timestamp, tu timeuuid, u uuid, vc varchar, ' +
		'vi varint, li list<int>, se set<text>, ma map<text,int>, tup frozen<tuple<int,text,boolean>>, ' +
		'addr frozen<address>)');
	await run(client, 'query', 'ALTER TABLE all_types ADD ip4 inet');
	await run(client, 'query', 'CREATE TABLE counters (id int PRIMARY KEY, hits counter)');
	await run(client, 'query', 'CREATE TABLE pages (p int, c int, v text, PRIMARY KEY (p, c))');
	await run(client, 'query', 'CREATE TABLE scratch (k int PRIMARY KEY)');
	// Already exists (error 0x2400 with keyspace and table).
	await run(client, 'query', 'CREATE TABLE pages (p int PRIMARY KEY)');
	await run(client, 'query', 'DROP TABLE scratch');
}

async function data(client, v) {
	const insert = `INSERT INTO all_types (${ALL_TYPES_COLUMNS}) VALUES (${ALL_TYPES_COLUMNS.split(',').map(() => '?').join(',')})`;
	// Literal values: the only kind v1 carries in QUERY.
	await run(client, 'query', "INSERT INTO all_types (id, a, b, bo, i, t, fl, do, li, ma) VALUES (1, 'lit', 42, true, 7, 'literal', 0.25, 2.5, [10, 20], {'k': 3})");
	await run(client, 'query', 'INSERT INTO all_types (id, bo, i) VALUES (2, false, -1)');
	// Prepared insert with every type; and one with nulls.
	if (v >= 3) {
		await run(client, 'execute', insert, allTypesRow(3), { prepare: true });
	} else {
		// Tuples and user types travel only from v3 on: the driver cannot
		// bind them at v1/v2 (the server still returns them, as custom types).
		const cols = ALL_TYPES_COLUMNS.split(', ');
		const keep = cols.map((c, i) => i).filter(i => cols[i] !== 'tup' && cols[i] !== 'addr');
		const row = allTypesRow(3);
		await run(client, 'execute', `INSERT INTO all_types (${keep.map(i => cols[i]).join(', ')}) VALUES (${keep.map(() => '?').join(',')})`,
			keep.map(i => row[i]), { prepare: true });
		await run(client, 'query', "UPDATE all_types SET tup = (7, 'seven', true), addr = {street: 'Main St', zip: 12345} WHERE id = 3");
	}
	const nulls = allTypesRow(4).map((x, i) => (i === 0 ? x : null));
	await run(client, 'execute', v >= 3 ? insert : 'INSERT INTO all_types (id, a, b, i, t, li) VALUES (?, ?, ?, ?, ?, ?)',
		v >= 3 ? nulls : nulls.slice(0, 6), { prepare: true });
	if (v >= 2) {
		// QUERY with bound values (v2+), hints give the types.
		await run(client, 'query', 'INSERT INTO all_types (id, t, bo, b, u) VALUES (?, ?, ?, ?, ?)',
			[5, 'bound', true, T.Long.fromNumber(5000000000), T.Uuid.fromString('ffffffff-0000-4000-8000-000000000001')],
			{ hints: ['int', 'text', 'boolean', 'bigint', 'uuid'] });
	}
	await run(client, 'query', 'SELECT * FROM all_types');
	await run(client, 'execute', 'SELECT * FROM all_types WHERE id = ?', [3], { prepare: true });
	await run(client, 'execute', `SELECT ${ALL_TYPES_COLUMNS} FROM all_types WHERE id = ?`, [4], { prepare: true });
	// Counters: increments, a decrement, the totals.
	for (const [id, d] of [[1, 5], [1, 7], [2, -3], [3, 1]])
		await run(client, 'query', `UPDATE counters SET hits = hits + ${d} WHERE id = ${id}`);
	await run(client, 'query', 'SELECT id, hits FROM counters');
	await run(client, 'execute', 'UPDATE counters SET hits = hits + ? WHERE id = ?', [T.Long.fromNumber(100), 4], { prepare: true });
	await run(client, 'execute', 'SELECT hits, id FROM counters WHERE id = ?', [4], { prepare: true });
}

async function batches(client, v) {
	const ins = 'INSERT INTO pages (p, c, v) VALUES (?, ?, ?)';
	if (v >= 2) {
		const rows = [];
		for (let c = 0; c < 25; c++) rows.push({ query: ins, params: [1, c, 'row ' + c] });
		await batch(client, 'logged', rows.slice(0, 10), { prepare: true });
		await batch(client, 'unlogged', rows.slice(10, 25), { prepare: true, logged: false });
		await batch(client, 'counter', [
			{ query: 'UPDATE counters SET hits = hits + 1 WHERE id = 1' },
			{ query: 'UPDATE counters SET hits = hits + 2 WHERE id = 2' },
		], { counter: true });
		// Not prepared: the statement text travels in the BATCH.
		await batch(client, 'logged', [
			{ query: "INSERT INTO pages (p, c, v) VALUES (2, 0, 'text batch')" },
			{ query: 'INSERT INTO pages (p, c, v) VALUES (2, 1, ?)', params: ['bound in batch'] },
		], { hints: [[], ['text']] });
	} else {
		// v1 has no BATCH message: the CQL statement.
		let q = 'BEGIN BATCH ';
		for (let c = 0; c < 25; c++) q += `INSERT INTO pages (p, c, v) VALUES (1, ${c}, 'row ${c}'); `;
		await run(client, 'query', q + 'APPLY BATCH');
		await run(client, 'query', 'BEGIN COUNTER BATCH UPDATE counters SET hits = hits + 1 WHERE id = 1; APPLY BATCH');
	}
}

async function paging(client, v) {
	if (v < 2) {
		await run(client, 'query', 'SELECT * FROM pages WHERE p = 1');
		return;
	}
	// Manual paging: each page logged with its paging state.
	let pageState;
	let page = 0;
	do {
		const opts = { prepare: true, fetchSize: 10, autoPage: false };
		if (pageState) opts.pageState = pageState;
		const rs = await run(client, 'execute', 'SELECT p, c, v FROM pages WHERE p = ?', [1], opts);
		pageState = rs && rs.pageState;
		page++;
	} while (pageState && page < 5);
	await run(client, 'query', 'SELECT c, v FROM pages WHERE p = 1', null, { fetchSize: 20, autoPage: false });
}

async function errors(client) {
	await run(client, 'query', 'SELEC * FROM all_types');		// Syntax_error
	await run(client, 'query', 'SELECT * FROM no_such_table');	// Invalid (unconfigured table)
	await run(client, 'query', 'SELECT * FROM all_types WHERE t = 1');	// Invalid (not a key)
	await run(client, 'query', 'INSERT INTO counters (id, hits) VALUES (9, 1)');	// Invalid (counter insert)
}

async function main() {
	const opts = {
		contactPoints: [host],
		localDataCenter: 'datacenter1',
		protocolOptions: { port: 9042 },
		pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: 1 } },
		// No pause between retries of the version probe.
		socketOptions: { connectTimeout: 10000, readTimeout: 20000 },
	};
	if (version !== 'auto') opts.protocolOptions.maxVersion = Number(version);
	if (args.auth) {
		const [user, pass] = args.auth.split(':');
		opts.authProvider = new cassandra.auth.PlainTextAuthProvider(user, pass);
	}
	const client = new cassandra.Client(opts);
	try {
		await client.connect();
		log({ what: 'connect', ok: true, protocol_version: client.controlConnection.protocolVersion,
			keyspace: ks });
	} catch (err) {
		log({ what: 'connect', ok: false, error: errorEntry(err),
			inner: err.innerErrors ? Object.values(err.innerErrors).map(e => e.message) : undefined });
		await client.shutdown();
		return 1;
	}
	const v = client.controlConnection.protocolVersion;
	if (steps === 'auth') {
		await run(client, 'query', 'SELECT release_version FROM system.local');
		// The same login with a wrong password: refused (Bad credentials).
		const [user] = args.auth.split(':');
		const bad = new cassandra.Client(Object.assign({}, opts,
			{ authProvider: new cassandra.auth.PlainTextAuthProvider(user, 'wrong-password') }));
		try {
			await bad.connect();
			log({ what: 'connect', credentials: 'wrong', ok: true });
		} catch (err) {
			const inner = err.innerErrors ? Object.values(err.innerErrors)[0] : err;
			log({ what: 'connect', credentials: 'wrong', ok: false, error: errorEntry(inner) });
		}
		await bad.shutdown();
	} else {
		await schema(client);
		await data(client, v);
		await batches(client, v);
		await paging(client, v);
		await errors(client);
	}
	await client.shutdown();
	log({ what: 'shutdown', ok: true });
	return 0;
}

main().then(code => process.exit(code), err => {
	log({ what: 'crash', ok: false, message: String(err && err.stack) });
	process.exit(1);
});
