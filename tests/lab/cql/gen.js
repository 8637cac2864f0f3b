#!/usr/bin/env node
// tests/lab/cql/gen.js - CQL protocol v4 and v5 conversations built from
// the specs (no server here speaks them), played over real loopback TCP
// between a client socket and a small listener in this process, so that
// tcpdump captures real TCP.  Each scripted step is: the client writes a
// request (possibly split over several TCP segments), the listener checks
// it received exactly those bytes and writes the answer.  Every message is
// logged as a JSON line with what it means: the ground truth for tapline's
// decoder and for the study of tshark.
//
// usage: node gen.js --version 4|5 --log FILE [--port 9042] [--compressor cql-compress]
'use strict';

const net = require('net');
const fs = require('fs');
const w = require('./cqlwire.js');

const args = {};
for (let i = 2; i < process.argv.length; i += 2)
	args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const VERSION = Number(args.version || 4);
const PORT = Number(args.port || 9042);
if (args.compressor) w.setCompressor(args.compressor);
const logFd = fs.openSync(args.log || '/dev/stdout', 'w');
let seq = 0;
const opName = Object.fromEntries(Object.entries(w.OPCODES).map(([k, v]) => [v, k]));
function log(e) { e.seq = ++seq; fs.writeSync(logFd, JSON.stringify(e) + '\n'); }
const sleep = ms => new Promise(r => setTimeout(r, ms));
const { be16, be32, be64, u8, string, longString, bytes, shortBytes, stringList, stringMap,
	stringMultimap, bytesMap, inet, inetaddr, typeOption, serialize, OPCODES: OP, CONSISTENCY: CL } = w;

// --- message bodies ---
// QUERY / EXECUTE parameters; v4: flags [byte], v5: flags [int].
function queryParams(version, p) {
	let flags = 0;
	const parts = [be16(p.consistency)];
	const tail = [];
	if (p.values) {
		flags |= 0x01;
		const vals = [be16(p.values.length)];
		for (const v of p.values) {
			if (p.names) { flags |= 0x40; vals.push(string(v.name)); }
			if (v.unset) vals.push(be32(-2));
			else vals.push(bytes(serialize(v.type, v.value, version)));
		}
		tail.push(...vals);
	}
	if (p.skipMetadata) flags |= 0x02;
	if (p.pageSize !== undefined) { flags |= 0x04; tail.push(be32(p.pageSize)); }
	if (p.pagingState) { flags |= 0x08; tail.push(bytes(p.pagingState)); }
	if (p.serial !== undefined) { flags |= 0x10; tail.push(be16(p.serial)); }
	if (p.timestamp !== undefined) { flags |= 0x20; tail.push(be64(p.timestamp)); }
	if (p.keyspace) { flags |= 0x80; tail.push(string(p.keyspace)); }
	if (p.nowInSeconds !== undefined) { flags |= 0x100; tail.push(be32(p.nowInSeconds)); }
	parts.push(version >= 5 ? be32(flags) : u8(flags));
	return Buffer.concat([...parts, ...tail]);
}
const query = (version, cql, p) => Buffer.concat([longString(cql), queryParams(version, p)]);

// Rows / Prepared metadata.  cols: [[name, type]], ks/table global.
function rowsMetadata(version, m) {
	let flags = 0;
	const out = [];
	if (m.global) flags |= 0x01;
	if (m.pagingState) flags |= 0x02;
	if (m.noMetadata) flags |= 0x04;
	if (m.newMetadataId) flags |= 0x08;
	out.push(be32(flags), be32(m.columns.length));
	if (m.pagingState) out.push(bytes(m.pagingState));
	if (m.newMetadataId) out.push(shortBytes(m.newMetadataId));
	if (!m.noMetadata) {
		if (m.global) out.push(string(m.global[0]), string(m.global[1]));
		for (const [name, type, ks, table] of m.columns) {
			if (!m.global) out.push(string(ks), string(table));
			out.push(string(name), typeOption(type));
		}
	}
	return Buffer.concat(out);
}
function rows(version, m, data) {
	const cells = [];
	for (const r of data)
		m.columns.forEach(([, type], i) => cells.push(bytes(r[i] === null ? null :
			Buffer.isBuffer(r[i]) ? r[i] : serialize(type, r[i], version))));
	return Buffer.concat([be32(2), rowsMetadata(version, m), be32(data.length), ...cells]);
}
function prepared(version, id, resultMetadataId, bind, pkIndexes, result) {
	const parts = [be32(4), shortBytes(id)];
	if (version >= 5) parts.push(shortBytes(resultMetadataId));
	const global = bind.global;
	parts.push(be32(global ? 1 : 0), be32(bind.columns.length));
	if (version >= 4) parts.push(be32(pkIndexes.length), ...pkIndexes.map(be16));
	if (global) parts.push(string(global[0]), string(global[1]));
	for (const [name, type] of bind.columns) parts.push(string(name), typeOption(type));
	parts.push(rowsMetadata(version, result));
	return Buffer.concat(parts);
}
const errorBody = (code, msg, ...rest) => Buffer.concat([be32(code), string(msg), ...rest]);

// --- the values every type takes in the generated Rows ---
const UDT = { udt: { ks: 'lab', name: 'address', fields: [['street', 'varchar'], ['zip', 'int']] } };
const ALL_TYPES = [
	['k', 'int'], ['a', 'ascii'], ['b', 'bigint'], ['bl', 'blob'], ['bo', 'boolean'],
	['cn', 'counter'], ['de', 'decimal'], ['do', 'double'], ['fl', 'float'], ['i', 'int'],
	['ts', 'timestamp'], ['u', 'uuid'], ['vc', 'varchar'], ['vi', 'varint'], ['tu', 'timeuuid'],
	['ip4', 'inet'], ['ip6', 'inet'], ['d', 'date'], ['t', 'time'], ['si', 'smallint'],
	['ti', 'tinyint'], ['li', { list: 'int' }], ['se', { set: 'varchar' }],
	['ma', { map: ['varchar', 'int'] }], ['tup', { tuple: ['int', 'varchar', 'boolean'] }],
	['addr', UDT], ['cu', { custom: 'org.apache.cassandra.db.marshal.DynamicCompositeType' }],
];
const ALL_TYPES_V5 = [...ALL_TYPES, ['du', 'duration']];
const ROW1 = [
	1, 'ascii', '-9223372036854775808', '00ff10', false,
	'12', { scale: 4, unscaled: '-1234567' }, -1.5e300, 3.5, -2147483648,
	'1709210096789', '01234567-89ab-cdef-0123-456789abcdef', 'tëxt ✓', '-170141183460469231731687303715884105729',
	'50554d6e-29bb-11e5-b345-feff819cdc9f', '192.0.2.7', '2001:db8::ff00:42:8329', 19782, '45296789012345', -32768,
	-128, [1, -2, 3], ['a', 'b'], [['one', 1], ['two', 2]], [7, 'seven', true],
	{ street: 'Main St', zip: 12345 }, 'cafe01', { months: 1, days: -0, nanos: 3 },
];
const ROW2 = [
	2, '', '42', '', true,
	'-3', { scale: 0, unscaled: '0' }, 0, -0.25, 7,
	'-1000', 'ffffffff-0000-4000-8000-000000000001', '', '128',
	'd2177dd0-eaa2-11de-a572-001b779c76e3', '0.0.0.0', '::1', 0, '0', 1,
	127, [], [], [], [null, 'x', false],
	{ street: null, zip: -1 }, '', { months: 0, days: 2, nanos: '-0' },
];
// ROW2's last cell: months 0, days 2: a positive duration.
ROW2[ROW2.length - 1] = { months: 0, days: 2, nanos: 0 };
const NULL_ROW = ALL_TYPES_V5.map((c, i) => (i === 0 ? 3 : null));

function typesRows(version, extra = {}) {
	const cols = version >= 5 ? ALL_TYPES_V5 : ALL_TYPES;
	const data = [ROW1, ROW2, NULL_ROW].map(r => r.slice(0, cols.length));
	return rows(version, { global: ['lab', 'all_types'], columns: cols, ...extra }, data);
}

// --- conversation machinery ---
let connNo = 0;
function envelope(version, dir, flags, stream, opcode, body) {
	return w.frame(dir === 'resp' ? version | 0x80 : version, flags, stream, opcode, body);
}

// One connection: steps run in order.  A step: { req: [msg...], resp:
// [msg...], split: [n...], compress }.  msg: { flags, stream, opcode, body,
// about }.  v5 after the handshake: messages go into segments.
async function conversation(name, version, steps, opts = {}) {
	const id = ++connNo;
	const server = net.createServer();
	await new Promise(r => server.listen(PORT, '127.0.0.1', r));
	const accepted = new Promise(r => server.once('connection', r));
	const client = net.connect({ host: '127.0.0.1', port: PORT });
	client.setNoDelay(true);
	const srv = await accepted;
	srv.setNoDelay(true);
	log({ conn: id, name, version, what: 'connect', client_port: client.localPort, server_port: PORT,
		compression: opts.compression || null });
	const inbox = { client: Buffer.alloc(0), server: Buffer.alloc(0) };
	const waiters = { client: null, server: null };
	for (const [side, sock] of [['client', client], ['server', srv]]) {
		sock.on('data', d => {
			inbox[side] = Buffer.concat([inbox[side], d]);
			if (waiters[side] && inbox[side].length >= waiters[side].n) {
				const wt = waiters[side]; waiters[side] = null; wt.resolve();
			}
		});
	}
	const receive = (side, n) => new Promise(resolve => {
		const done = () => { const b = inbox[side].subarray(0, n); inbox[side] = inbox[side].subarray(n); resolve(b); };
		if (inbox[side].length >= n) done();
		else waiters[side] = { n, resolve: done };
	});
	// Writes bytes in pieces (separate TCP segments: Nagle is off and the
	// pieces are apart in time).
	async function write(sock, buf, split) {
		if (!split) { sock.write(buf); return; }
		let o = 0;
		for (const n of split) {
			if (o >= buf.length) break;
			sock.write(buf.subarray(o, o + n)); o += n;
			await sleep(15);
		}
		if (o < buf.length) sock.write(buf.subarray(o));
	}
	let framed = false;	// v5: segments after STARTUP's answer
	for (const step of steps) {
		for (const phase of ['req', 'resp']) {
			const msgs = step[phase] || [];
			if (!msgs.length) continue;
			const envs = msgs.map(m => {
				let body = m.body;
				let flags = m.flags || 0;
				if (opts.compression && version < 5 && m.compress) {
					body = w.compress(opts.compression, body); flags |= 0x01;
				}
				return envelope(version, phase, flags, m.stream, m.opcode, body);
			});
			let wire;
			if (version >= 5 && framed) {
				const make = opts.compression === 'lz4' ?
					(p, sc) => w.lz4Segment(p, sc, { storeRaw: step.storeRaw }) :
					(p, sc) => w.segment(p, sc, step.damage || {});
				wire = Buffer.concat(w.segmentsFor(envs, make));
			} else {
				wire = Buffer.concat(envs);
			}
			msgs.forEach((m, i) => log({ conn: id, dir: phase === 'req' ? 'request' : 'response',
				version, stream: m.stream, opcode: opName[m.opcode], flags: envs[i][1],
				body_length: envs[i].length - w.headerLength(version), framed: version >= 5 && framed,
				segments: version >= 5 && framed ? (step.damage ? Object.keys(step.damage) : 'ok') : undefined,
				compressed: !!(opts.compression && (version >= 5 ? framed : m.compress)),
				...m.about }));
			const [from, to] = phase === 'req' ? [client, 'server'] : [srv, 'client'];
			await write(from, wire, step.split && step.split[phase]);
			const got = await receive(to, wire.length);
			if (!got.equals(wire)) throw new Error(`conn ${id}: bytes differ on the ${to} side`);
			if (step.unanswered && phase === 'req') break;
		}
		if (step.handshakeDone) framed = true;
	}
	await sleep(20);
	client.end(); srv.end();
	await sleep(20);
	await new Promise(r => server.close(r));
	log({ conn: id, what: 'close' });
}

// --- the v4 conversations ---
function m(stream, opcode, body, about = {}, extra = {}) { return { stream, opcode, body, about, ...extra }; }
const V = VERSION;
const SUPPORTED = stringMultimap({
	CQL_VERSION: ['3.4.5'], COMPRESSION: ['lz4', 'snappy'],
	PROTOCOL_VERSIONS: ['3/v3', '4/v4', '5/v5'],
	SCYLLA_SHARD: ['1'], SCYLLA_NR_SHARDS: ['2'],
	SCYLLA_PARTITIONER: ['org.apache.cassandra.dht.Murmur3Partitioner'],
	SCYLLA_SHARDING_ALGORITHM: ['biased-token-round-robin'], SCYLLA_SHARDING_IGNORE_MSB: ['12'],
	SCYLLA_SHARD_AWARE_PORT: ['19042'], SCYLLA_LWT_ADD_METADATA_MARK: ['LWT_OPTIMIZATION_META_BIT_MASK=2147483648'],
	SCYLLA_RATE_LIMIT_ERROR: ['ERROR_CODE=61440'], TABLETS_ROUTING_V1: [],
});
const PREP_ID = Buffer.from('8a1c0e5fd2b34c7e9f0a1b2c3d4e5f60', 'hex');
const PREP_ID2 = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const RESULT_MD_ID = Buffer.from('5eed0000feedbeef', 'hex');
const RESULT_MD_ID2 = Buffer.from('0badcafe0badcafe', 'hex');
const PAGING = Buffer.from('0004000000010000000100f07ffffffe', 'hex');
const TABLETS = serialize({ tuple: ['bigint', 'bigint', { list: { tuple: ['uuid', 'int'] } }] },
	['-6917529027641081857', '-4611686018427387905',
		[['b2d7a3a0-0000-4000-8000-00000000000a', 0], ['c3e8b4b1-0000-4000-8000-00000000000b', 1]]], V);

function handshake(version, { auth = false, compression = null } = {}) {
	const startup = { CQL_VERSION: '3.0.0', DRIVER_NAME: 'tapline-gen', DRIVER_VERSION: '1' };
	if (compression) startup.COMPRESSION = compression;
	const steps = [
		{ req: [m(0, OP.OPTIONS, Buffer.alloc(0))], resp: [m(0, OP.SUPPORTED, SUPPORTED, { scylla: true })] },
	];
	if (!auth) {
		steps.push({ req: [m(1, OP.STARTUP, stringMap(startup), { options: startup })],
			resp: [m(1, OP.READY, Buffer.alloc(0), {}, { compress: true })], handshakeDone: true });
		return steps;
	}
	steps.push({ req: [m(1, OP.STARTUP, stringMap(startup), { options: startup })],
		resp: [m(1, OP.AUTHENTICATE, string('org.apache.cassandra.auth.PasswordAuthenticator'),
			{ authenticator: 'org.apache.cassandra.auth.PasswordAuthenticator' })], handshakeDone: true });
	const token = Buffer.from('\0cassandra\0not-printed', 'utf8');
	steps.push({ req: [m(2, OP.AUTH_RESPONSE, bytes(token), { token_length: token.length }, { compress: true })],
		resp: [m(2, OP.AUTH_CHALLENGE, bytes(Buffer.from('6368616c6c656e6765', 'hex')), { token_length: 9 }, { compress: true })] });
	steps.push({ req: [m(3, OP.AUTH_RESPONSE, bytes(Buffer.alloc(0)), { token_length: 0 }, { compress: true })],
		resp: [m(3, OP.AUTH_SUCCESS, bytes(null), { token_length: -1 }, { compress: true })] });
	return steps;
}

function v4Main() {
	const steps = handshake(V, { auth: true });
	steps.push({ req: [m(4, OP.REGISTER, stringList(['TOPOLOGY_CHANGE', 'STATUS_CHANGE', 'SCHEMA_CHANGE']),
		{ events: ['TOPOLOGY_CHANGE', 'STATUS_CHANGE', 'SCHEMA_CHANGE'] })], resp: [m(4, OP.READY, Buffer.alloc(0))] });
	steps.push({ resp: [
		m(-1, OP.EVENT, Buffer.concat([string('STATUS_CHANGE'), string('UP'), inet('127.0.0.2', 9042)]),
			{ event: 'STATUS_CHANGE', change: 'UP', address: '127.0.0.2:9042' }),
		m(-1, OP.EVENT, Buffer.concat([string('TOPOLOGY_CHANGE'), string('NEW_NODE'), inet('::1', 9042)]),
			{ event: 'TOPOLOGY_CHANGE', change: 'NEW_NODE', address: '[::1]:9042' }),
		m(-1, OP.EVENT, Buffer.concat([string('SCHEMA_CHANGE'), string('CREATED'), string('TABLE'), string('lab'), string('all_types')]),
			{ event: 'SCHEMA_CHANGE', change: 'CREATED', target: 'TABLE', keyspace: 'lab', name: 'all_types' }),
		m(-1, OP.EVENT, Buffer.concat([string('SCHEMA_CHANGE'), string('UPDATED'), string('FUNCTION'), string('lab'),
			string('plus'), stringList(['int', 'int'])]),
			{ event: 'SCHEMA_CHANGE', change: 'UPDATED', target: 'FUNCTION', keyspace: 'lab', name: 'plus', args: ['int', 'int'] }),
	] });
	// A SELECT with every query parameter; its answer has every v4 type,
	// more pages, and a custom payload with tablets routing information.
	const sel = 'SELECT * FROM lab.all_types WHERE k IN (?, ?, ?)';
	steps.push({
		req: [m(5, OP.QUERY, query(V, sel, { consistency: CL.LOCAL_QUORUM,
			values: [{ type: 'int', value: 1 }, { type: 'int', value: 2 }, { type: 'int', value: 3 }],
			pageSize: 3, serial: CL.LOCAL_SERIAL, timestamp: '1709210096789000' }),
		{ cql: sel, consistency: 'LOCAL_QUORUM', values: [1, 2, 3], page_size: 3, serial_consistency: 'LOCAL_SERIAL', timestamp: '1709210096789000' })],
		resp: [m(5, OP.RESULT, Buffer.concat([bytesMap({ 'tablets-routing-v1': TABLETS }), typesRows(V, { pagingState: PAGING })]),
			{ kind: 'Rows', columns: ALL_TYPES.map(c => c[0]), rows: 3, has_more_pages: true,
				custom_payload: ['tablets-routing-v1'], values: [ROW1, ROW2, NULL_ROW].map(r => r.slice(0, ALL_TYPES.length)) }, { flags: 0x04 })],
		split: { resp: [5, 4, 300] },	// the header over two TCP segments, the body over more
	});
	steps.push({
		req: [m(6, OP.QUERY, query(V, sel, { consistency: CL.LOCAL_QUORUM,
			values: [{ type: 'int', value: 1 }, { type: 'int', value: 2 }, { type: 'int', value: 3 }],
			skipMetadata: true, pageSize: 3, pagingState: PAGING }), { cql: sel, skip_metadata: true, paging_state: PAGING.toString('hex') })],
		resp: [m(6, OP.RESULT, rows(V, { noMetadata: true, columns: [['k', 'int'], ['v', 'varchar']] }, [[4, 'cafe']]),
			{ kind: 'Rows', no_metadata: true, rows: 1 })],
	});
	// Prepared statements: the id comes back in EXECUTE.
	const ins = 'INSERT INTO lab.v4 (k, d, t, si, ti, txt) VALUES (?, ?, ?, ?, ?, ?)';
	const bind = { global: ['lab', 'v4'], columns: [['k', 'int'], ['d', 'date'], ['t', 'time'], ['si', 'smallint'], ['ti', 'tinyint'], ['txt', 'varchar']] };
	steps.push({ req: [m(7, OP.PREPARE, longString(ins), { cql: ins })],
		resp: [m(7, OP.RESULT, prepared(V, PREP_ID, null, bind, [0], { noMetadata: true, columns: [] }),
			{ kind: 'Prepared', id: PREP_ID.toString('hex'), bind: bind.columns, pk_indexes: [0] })] });
	steps.push({ req: [m(8, OP.EXECUTE, Buffer.concat([shortBytes(PREP_ID), queryParams(V, { consistency: CL.ONE,
		values: [{ type: 'int', value: 9 }, { type: 'date', value: -1 }, { type: 'time', value: '86399999999999' },
			{ type: 'smallint', value: 32767 }, { type: 'tinyint', value: -1 }, { unset: true }] })]),
	{ id: PREP_ID.toString('hex'), query: ins, values: [9, '1969-12-31', '23:59:59.999999999', 32767, -1, 'unset'] })],
	resp: [m(8, OP.RESULT, be32(1), { kind: 'Void' })] });
	const sel2 = 'SELECT cn, flag, d FROM lab.counts WHERE k = ?';
	const resultMd = { global: ['lab', 'counts'], columns: [['cn', 'counter'], ['flag', 'boolean'], ['d', 'date']] };
	steps.push({ req: [m(9, OP.PREPARE, longString(sel2), { cql: sel2 })],
		resp: [m(9, OP.RESULT, prepared(V, PREP_ID2, null, { global: ['lab', 'counts'], columns: [['k', 'int']] }, [0], resultMd),
			{ kind: 'Prepared', id: PREP_ID2.toString('hex'), bind: [['k', 'int']], result: resultMd.columns })] });
	// Executed without metadata: the answer's cells take their types from
	// the Prepared result above.
	steps.push({ req: [m(10, OP.EXECUTE, Buffer.concat([shortBytes(PREP_ID2), queryParams(V, { consistency: CL.ONE,
		values: [{ type: 'int', value: 1 }], skipMetadata: true })]), { id: PREP_ID2.toString('hex'), query: sel2, values: [1], skip_metadata: true })],
	resp: [m(10, OP.RESULT, rows(V, { noMetadata: true, columns: resultMd.columns }, [['5', false, 19782], ['-2', true, 0]]),
		{ kind: 'Rows', no_metadata: true, rows: 2, values: [['5', false, '2024-02-29'], ['-2', true, '1970-01-01']] })] });
	// BATCH: a statement and a prepared id.
	const b1 = "UPDATE lab.counts SET cn = cn + ? WHERE k = ?";
	steps.push({ req: [m(11, OP.BATCH, Buffer.concat([u8(2), be16(2),
		u8(0), longString(b1), be16(2), bytes(serialize('bigint', '5')), bytes(serialize('int', 1)),
		u8(1), shortBytes(PREP_ID2), be16(1), bytes(serialize('int', 2)),
		be16(CL.QUORUM), u8(0x30), be16(CL.SERIAL), be64('1709210096789001')]),
	{ type: 'COUNTER', queries: [{ cql: b1, values: ['5', 1] }, { id: PREP_ID2.toString('hex'), values: [2] }], consistency: 'QUORUM' })],
	resp: [m(11, OP.RESULT, be32(1), { kind: 'Void' })] });
	// Tracing and warnings on the answer.
	const traced = 'SELECT k FROM lab.all_types LIMIT 1';
	steps.push({ req: [m(12, OP.QUERY, query(V, traced, { consistency: CL.ONE }), { cql: traced, tracing: true }, { flags: 0x02 })],
		resp: [m(12, OP.RESULT, Buffer.concat([Buffer.from('a1b2c3d4e5f6478899aabbccddeeff00', 'hex'),
			stringList(['Aggregation query used without partition key']),
			rows(V, { global: ['lab', 'all_types'], columns: [['k', 'int']] }, [[1]])]),
		{ kind: 'Rows', tracing_id: 'a1b2c3d4-e5f6-4788-99aa-bbccddeeff00', warnings: ['Aggregation query used without partition key'], rows: 1 },
		{ flags: 0x0a })] });
	// Schema change results and keyspace.
	steps.push({ req: [m(13, OP.QUERY, query(V, 'USE lab', { consistency: CL.ONE }), { cql: 'USE lab' })],
		resp: [m(13, OP.RESULT, Buffer.concat([be32(3), string('lab')]), { kind: 'Set_keyspace', keyspace: 'lab' })] });
	const ct = 'CREATE TYPE lab.pt (x int, y int)';
	steps.push({ req: [m(14, OP.QUERY, query(V, ct, { consistency: CL.ONE }), { cql: ct })],
		resp: [m(14, OP.RESULT, Buffer.concat([be32(5), string('CREATED'), string('TYPE'), string('lab'), string('pt')]),
			{ kind: 'Schema_change', change: 'CREATED', target: 'TYPE', keyspace: 'lab', name: 'pt' })] });
	// Out of order: two requests, the second answered first; stream ids
	// come back in another order.
	steps.push({ req: [m(15, OP.QUERY, query(V, 'SELECT now() FROM system.local', { consistency: CL.ONE }), { cql: 'SELECT now() FROM system.local' }),
		m(16, OP.OPTIONS, Buffer.alloc(0))],
	resp: [m(16, OP.SUPPORTED, stringMultimap({ CQL_VERSION: ['3.4.5'], COMPRESSION: [] })),
		m(15, OP.RESULT, rows(V, { global: ['system', 'local'], columns: [['system.now()', 'timeuuid']] }, [['d2177dd0-eaa2-11de-a572-001b779c76e3']]),
			{ kind: 'Rows', rows: 1 })] });
	return steps;
}

// Every error code with its details, each answering one QUERY.
function errorSteps(version) {
	const v5 = version >= 5;
	const reasonmap = Buffer.concat([be32(2), inetaddr('127.0.0.2'), be16(0), inetaddr('::1'), be16(1)]);
	const errors = [
		[0x0000, 'Server error', []], [0x000A, 'Protocol error', []], [0x0100, 'Bad credentials', []],
		[0x1000, 'Unavailable', [be16(CL.QUORUM), be32(2), be32(1)], { cl: 'QUORUM', required: 2, alive: 1 }],
		[0x1001, 'Overloaded', []], [0x1002, 'Is bootstrapping', []], [0x1003, 'Truncate failed', []],
		[0x1100, 'Write timeout', [be16(CL.LOCAL_QUORUM), be32(1), be32(2), string('BATCH_LOG')],
			{ cl: 'LOCAL_QUORUM', received: 1, blockfor: 2, write_type: 'BATCH_LOG' }],
		[0x1100, 'CAS write timeout', [be16(CL.SERIAL), be32(0), be32(2), string('CAS'), ...(v5 ? [be16(3)] : [])],
			{ cl: 'SERIAL', received: 0, blockfor: 2, write_type: 'CAS', ...(v5 ? { contentions: 3 } : {}) }],
		[0x1200, 'Read timeout', [be16(CL.ONE), be32(0), be32(1), u8(0)], { cl: 'ONE', received: 0, blockfor: 1, data_present: false }],
		[0x1300, 'Read failure', [be16(CL.ALL), be32(1), be32(3), v5 ? reasonmap : be32(2), u8(1)],
			{ cl: 'ALL', received: 1, blockfor: 3, ...(v5 ? { reasonmap: { '127.0.0.2': 0, '::1': 1 } } : { numfailures: 2 }), data_present: true }],
		[0x1400, 'Function failure', [string('lab'), string('plus'), stringList(['int', 'int'])],
			{ keyspace: 'lab', function: 'plus', arg_types: ['int', 'int'] }],
		[0x1500, 'Write failure', [be16(CL.TWO), be32(1), be32(2), v5 ? reasonmap : be32(1), string('SIMPLE')],
			{ cl: 'TWO', received: 1, blockfor: 2, ...(v5 ? { reasonmap: { '127.0.0.2': 0, '::1': 1 } } : { numfailures: 1 }), write_type: 'SIMPLE' }],
		...(v5 ? [[0x1600, 'CDC space full', []],
			[0x1700, 'CAS unknown', [be16(CL.SERIAL), be32(1), be32(2)], { cl: 'SERIAL', received: 1, blockfor: 2 }]] : []),
		[0x2000, 'line 1:0 no viable alternative', []], [0x2100, 'Unauthorized', []], [0x2200, 'Invalid', []],
		[0x2300, 'Config error', []], [0x2400, 'Already exists', [string('lab'), string('all_types')], { keyspace: 'lab', table: 'all_types' }],
		[0x2500, 'Unprepared', [shortBytes(PREP_ID)], { id: PREP_ID.toString('hex') }],
		[0xF000, 'Per-partition rate limit reached', [u8(1), u8(1)], { scylla_rate_limit: true, op_type: 'write', rejected_by_coordinator: true }],
	];
	const steps = [];
	let stream = 100;
	for (const [code, msg, rest, details] of errors) {
		const cql = `SELECT error 0x${code.toString(16).padStart(4, '0')}`;
		steps.push({ req: [m(stream, OP.QUERY, query(version, cql, { consistency: CL.ONE }), { cql })],
			resp: [m(stream, OP.ERROR, errorBody(code, msg, ...rest), { error_code: code, message: msg, ...(details || {}) })] });
		stream++;
	}
	// Stream id reused once its request was answered; the last one is left
	// without an answer.
	steps.push({ req: [m(100, OP.QUERY, query(version, 'SELECT 1 FROM again', { consistency: CL.ONE }), { cql: 'SELECT 1 FROM again' })],
		resp: [m(100, OP.RESULT, be32(1), { kind: 'Void' })] });
	steps.push({ req: [m(200, OP.QUERY, query(version, 'SELECT never FROM answered', { consistency: CL.ONE }), { cql: 'SELECT never FROM answered' })],
		unanswered: true });
	return steps;
}

function compressedSteps(version, algo) {
	const steps = handshake(version, { compression: algo });
	const cql = 'SELECT * FROM lab.all_types';
	steps.push({ req: [m(2, OP.QUERY, query(version, cql, { consistency: CL.ONE }), { cql }, { compress: true })],
		resp: [m(2, OP.RESULT, typesRows(version), { kind: 'Rows', rows: 3 }, { compress: true })] });
	const big = 'INSERT INTO lab.docs (k, body) VALUES (1, \'' + 'compressible '.repeat(500) + '\')';
	steps.push({ req: [m(3, OP.QUERY, query(version, big, { consistency: CL.ONE }), { cql_length: big.length }, { compress: true })],
		resp: [m(3, OP.RESULT, be32(1), { kind: 'Void' }, { compress: true })] });
	// Flag clear: a plain frame on a compressed connection.
	steps.push({ req: [m(4, OP.QUERY, query(version, 'SELECT k FROM lab.docs', { consistency: CL.ONE }), { cql: 'SELECT k FROM lab.docs' })],
		resp: [m(4, OP.RESULT, be32(1), { kind: 'Void' })] });
	return steps;
}

// --- v5 ---
function v5Main() {
	const steps = handshake(5);
	// Two requests in one self-contained segment; the answers likewise.
	const q1 = 'SELECT * FROM all_types';
	const q2 = 'SELECT k FROM all_types WHERE k = ?';
	steps.push({
		req: [m(2, OP.QUERY, query(5, q1, { consistency: CL.LOCAL_ONE, keyspace: 'lab', nowInSeconds: 1709210096, pageSize: 100 }),
			{ cql: q1, keyspace: 'lab', now_in_seconds: 1709210096, page_size: 100 }),
		m(3, OP.QUERY, query(5, q2, { consistency: CL.ONE, values: [{ name: 'k', type: 'int', value: 2 }], names: true, keyspace: 'lab' }),
			{ cql: q2, named_values: { k: 2 }, keyspace: 'lab' })],
		resp: [m(2, OP.RESULT, typesRows(5), { kind: 'Rows', rows: 3, columns: ALL_TYPES_V5.map(c => c[0]), values: [ROW1, ROW2, NULL_ROW] }),
			m(3, OP.RESULT, rows(5, { global: ['lab', 'all_types'], columns: [['k', 'int']] }, [[2]]), { kind: 'Rows', rows: 1 })],
		split: { req: [2, 5, 20] },	// the segment header itself over two TCP segments
	});
	const ins = 'INSERT INTO all_types (k, du) VALUES (?, ?)';
	const bind = { global: ['lab', 'all_types'], columns: [['k', 'int'], ['du', 'duration']] };
	steps.push({ req: [m(4, OP.PREPARE, Buffer.concat([longString(ins), be32(1), string('lab')]), { cql: ins, keyspace: 'lab' })],
		resp: [m(4, OP.RESULT, prepared(5, PREP_ID, RESULT_MD_ID, bind, [0], { noMetadata: true, columns: [] }),
			{ kind: 'Prepared', id: PREP_ID.toString('hex'), result_metadata_id: RESULT_MD_ID.toString('hex') })] });
	steps.push({ req: [m(5, OP.EXECUTE, Buffer.concat([shortBytes(PREP_ID), shortBytes(RESULT_MD_ID),
		queryParams(5, { consistency: CL.ONE, values: [{ type: 'int', value: 7 }, { type: 'duration', value: { months: -14, days: -3, nanos: '-3600000000000' } }],
			timestamp: '1709210096789002', nowInSeconds: 1709210097 })]),
	{ id: PREP_ID.toString('hex'), query: ins, values: [7, '-1y2mo3d1h'] })],
	resp: [m(5, OP.RESULT, be32(1), { kind: 'Void' })] });
	const sel = 'SELECT k, du FROM all_types WHERE k = ?';
	const resultMd = { global: ['lab', 'all_types'], columns: [['k', 'int'], ['du', 'duration']] };
	steps.push({ req: [m(6, OP.PREPARE, Buffer.concat([longString(sel), be32(0)]), { cql: sel })],
		resp: [m(6, OP.RESULT, prepared(5, PREP_ID2, RESULT_MD_ID, { global: ['lab', 'all_types'], columns: [['k', 'int']] }, [0], resultMd),
			{ kind: 'Prepared', id: PREP_ID2.toString('hex'), result_metadata_id: RESULT_MD_ID.toString('hex') })] });
	// The table changed: the answer carries Metadata_changed and the new id.
	steps.push({ req: [m(7, OP.EXECUTE, Buffer.concat([shortBytes(PREP_ID2), shortBytes(RESULT_MD_ID),
		queryParams(5, { consistency: CL.ONE, values: [{ type: 'int', value: 7 }], skipMetadata: true })]), { id: PREP_ID2.toString('hex'), query: sel })],
	resp: [m(7, OP.RESULT, rows(5, { global: ['lab', 'all_types'], newMetadataId: RESULT_MD_ID2,
		columns: [['k', 'int'], ['du', 'duration'], ['extra', 'varchar']] },
	[[7, { months: -14, days: -3, nanos: '-3600000000000' }, null]]),
	{ kind: 'Rows', metadata_changed: true, new_metadata_id: RESULT_MD_ID2.toString('hex'), rows: 1 })] });
	// A result larger than a segment: one envelope over three
	// non-self-contained segments.
	const many = [];
	for (let i = 0; i < 3000; i++) many.push([i, 'row ' + String(i).padStart(4, '0') + ' '.repeat(40) + '|']);
	steps.push({ req: [m(8, OP.QUERY, query(5, 'SELECT k, v FROM big', { consistency: CL.ONE, keyspace: 'lab' }), { cql: 'SELECT k, v FROM big' })],
		resp: [m(8, OP.RESULT, rows(5, { global: ['lab', 'big'], columns: [['k', 'int'], ['v', 'varchar']] }, many),
			{ kind: 'Rows', rows: many.length, multi_segment: true })] });
	const b = 'INSERT INTO big (k, v) VALUES (?, ?)';
	steps.push({ req: [m(9, OP.BATCH, Buffer.concat([u8(1), be16(1), u8(0), longString(b), be16(2),
		bytes(serialize('int', 1)), bytes(serialize('varchar', 'x')), be16(CL.ONE), be32(0x0180), string('lab'), be32(1709210098)]),
	{ type: 'UNLOGGED', queries: [{ cql: b, values: [1, 'x'] }], keyspace: 'lab', now_in_seconds: 1709210098 })],
	resp: [m(9, OP.RESULT, be32(1), { kind: 'Void' })] });
	steps.push(...errorSteps(5).filter(s => !s.unanswered));
	// A segment whose payload CRC32 is wrong (the header is intact, so the
	// framing goes on), then one whose header CRC24 is wrong: after it the
	// stream cannot be framed; the connection ends there.
	steps.push({ req: [m(50, OP.OPTIONS, Buffer.alloc(0), { bad_payload_crc: true })],
		resp: [m(50, OP.SUPPORTED, stringMultimap({ CQL_VERSION: ['3.4.5'] }))], damage: { corruptPayload: true } });
	steps.push({ req: [m(51, OP.OPTIONS, Buffer.alloc(0), { bad_header_crc: true })], damage: { corruptHeader: true }, unanswered: true });
	return steps;
}

function v5Lz4() {
	const steps = handshake(5, { compression: 'lz4' });
	steps.push({ req: [m(2, OP.QUERY, query(5, 'SELECT * FROM lab.all_types', { consistency: CL.ONE }), { cql: 'SELECT * FROM lab.all_types' })],
		resp: [m(2, OP.RESULT, typesRows(5), { kind: 'Rows', rows: 3 })] });
	// An lz4 segment stored as is (uncompressed length 0).
	steps.push({ req: [m(3, OP.OPTIONS, Buffer.alloc(0), { stored_raw: true })],
		resp: [m(3, OP.SUPPORTED, stringMultimap({ CQL_VERSION: ['3.4.5'], COMPRESSION: ['lz4'] }), { stored_raw: true })], storeRaw: true });
	const many = [];
	for (let i = 0; i < 6000; i++) many.push([i, 'compressible row ' + i]);
	steps.push({ req: [m(4, OP.QUERY, query(5, 'SELECT k, v FROM lab.big', { consistency: CL.ONE }), { cql: 'SELECT k, v FROM lab.big' })],
		resp: [m(4, OP.RESULT, rows(5, { global: ['lab', 'big'], columns: [['k', 'int'], ['v', 'varchar']] }, many),
			{ kind: 'Rows', rows: many.length, multi_segment: true })],
		split: { resp: [3, 3, 2, 1000] } });	// an lz4 segment header over three TCP segments
	return steps;
}

// One Rows answer per type: two rows of (that type, an int marker), the
// marker 1111 then 2222.  A reader that gets a type's length wrong shows a
// wrong marker: the experiment that tells which types a decoder handles.
function perTypeSteps(version) {
	const steps = handshake(version);
	const cols = (version >= 5 ? ALL_TYPES_V5 : ALL_TYPES).slice(1);
	let stream = 300;
	cols.forEach(([name, type]) => {
		const i = ALL_TYPES_V5.findIndex(c => c[0] === name);
		const v1 = ROW1[i], v2 = ROW2[i];
		const cql = `SELECT ${name}, marker FROM lab.all_types`;
		steps.push({ req: [m(stream, OP.QUERY, query(version, cql, { consistency: CL.ONE }), { cql })],
			resp: [m(stream, OP.RESULT, rows(version, { global: ['lab', 'all_types'], columns: [[name, type], ['marker', 'int']] },
				[[v1, 1111], [v2, 2222]]), { kind: 'Rows', type, rows: 2, global_table_spec: true, values: [[v1, 1111], [v2, 2222]] })] });
		// The same without the global table spec: keyspace and table
		// before each column.
		steps.push({ req: [m(stream + 100, OP.QUERY, query(version, cql, { consistency: CL.ONE }), { cql })],
			resp: [m(stream + 100, OP.RESULT, rows(version, { columns: [[name, type, 'lab', 'all_types'], ['marker', 'int', 'lab', 'all_types']] },
				[[v1, 1111], [v2, 2222]]), { kind: 'Rows', type, rows: 2, global_table_spec: false, values: [[v1, 1111], [v2, 2222]] })] });
		stream++;
	});
	return steps;
}

async function main() {
	if (VERSION === 4) {
		await conversation('v4 main', 4, v4Main());
		await conversation('v4 per type', 4, perTypeSteps(4));
		await conversation('v4 errors', 4, [...handshake(4), ...errorSteps(4)]);
		await conversation('v4 lz4', 4, compressedSteps(4, 'lz4'), { compression: 'lz4' });
		await conversation('v4 snappy', 4, compressedSteps(4, 'snappy'), { compression: 'snappy' });
	} else {
		await conversation('v5 main', 5, v5Main());
		await conversation('v5 lz4', 5, v5Lz4(), { compression: 'lz4' });
	}
}

main().then(() => process.exit(0), err => {
	log({ what: 'crash', message: String(err && err.stack) });
	process.stderr.write(String(err && err.stack) + '\n');
	process.exit(1);
});
