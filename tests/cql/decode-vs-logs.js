#!/usr/bin/env node
// tests/cql/decode-vs-logs.js - tapline's CQL decoding of the lab's
// captures checked against the clients' own logs (tests/captures/cql/
// *.client.log): what the DataStax driver sent and decoded, what the raw
// client and the v4/v5 generator sent and meant.  The expected text of a
// value is made here from the log's value and the column's type (CQL
// literals, as types.h writes them), never from tapline's output.
// Prints TAP.
//
// usage: node decode-vs-logs.js TAPLINE CAPTURE_DIR [NAME...]
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const {
	parseType, literal, schemaOf, markerTypes, boundLiteral, rawValue, genLiteral, genTypes,
} = require('./log-values.js');

const [tapline, dir, ...only] = process.argv.slice(2);
const { ok, done } = require('../lab/cql/tap.js');

const OPCODES = ['ERROR', 'STARTUP', 'READY', 'AUTHENTICATE', 'CREDENTIALS', 'OPTIONS', 'SUPPORTED', 'QUERY',
	'RESULT', 'PREPARE', 'EXECUTE', 'REGISTER', 'EVENT', 'BATCH', 'AUTH_CHALLENGE', 'AUTH_RESPONSE', 'AUTH_SUCCESS'];
// Every message as JSON, with its header fields (derived, so asked for
// with -e) beside: the same messages in the same order.
function decode(pcap) {
	const run = args => execFileSync(tapline, ['decode', ...args, pcap], { maxBuffer: 1 << 28 }).toString();
	const msgs = run(['-T', 'json']).trim().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l));
	const hdrs = run(['-T', 'fields', '-e', 'cql.opcode', '-e', 'cql.stream', '-e', 'cql.message_length',
		'-e', 'cql.flags', '-e', 'cql.protocol_version']).split('\n').slice(0, msgs.length);
	msgs.forEach((m, i) => {
		const [op, stream, length, flags, version] = (hdrs[i] || '').split('\t');
		m.hdr = op === '' || op === undefined ? {} : { opcode: OPCODES[Number(op)], stream: Number(stream),
			length: Number(length), flags: Number(flags), version: Number(version) };
	});
	return msgs;
}
// Flattens a message's field tree: name -> [values] (in order), and the
// rows as arrays of cell texts.
function flat(msg) {
	const f = {}, rows = [];
	(function walk(list, row) {
		for (const x of list || []) {
			if (x.name === 'cql.row') {
				const r = [];
				rows.push(r);
				walk(x.fields, r);
				continue;
			}
			if (x.name === 'cql.cell' && row) row.push(x.value);
			(f[x.name] = f[x.name] || []).push(x.text !== undefined ? { value: x.value, text: x.text } : x.value);
			if (x.fields) walk(x.fields, row);
		}
	})(msg.fields, null);
	return { f, rows };
}
const first = (m, name) => (m.f[name] || [])[0];
const val = v => (v && typeof v === 'object' && 'value' in v ? v.value : v);
const read = f => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map(l => JSON.parse(l));

// ---- the DataStax driver's logs ----
function driverCapture(name, version) {
	const log = read(name + '.client.log');
	const msgs = decode(path.join(dir, name + '.pcap')).map(m => Object.assign(m, flat(m)));
	const cql = msgs.filter(m => m.protocol === 'CQL');
	ok(cql.length > 0 && cql.every(m => !/Malformed|Truncated|Not decoded/.test(m.info)),
		`${name}: ${cql.length} CQL messages, none malformed, truncated or undecoded`,
		cql.filter(m => /\[/.test(m.info) && /Malformed|Truncated|Not decoded/.test(m.info)).map(m => m.info).slice(0, 3));
	const responses = cql.filter(m => val(first(m, 'cql.opcode')) !== undefined || true)
		.filter(m => /^v\d (RESULT|ERROR) /.test(m.info));
	// The driver's data connection: results in the order the log has them.
	const used = new Set();
	let matched = 0;
	for (const e of log.filter(x => x.cql)) {
		// The answer names its request's statement (cut when long).
		const same = q => q === e.cql || (q && q.length >= 100 && e.cql.startsWith(q.replace(/\.\.\.$/, '')));
		// (The driver prepares on its own: skip the Prepared results.)
		const r = responses.find(m => !used.has(m) && same(first(m, 'cql.query')) &&
			!(first(m, 'cql.result.kind') && first(m, 'cql.result.kind').text === 'Prepared'));
		if (!r) { ok(false, `${name} #${e.seq}: an answer to "${e.cql.slice(0, 60)}"`); continue; }
		used.add(r);
		matched++;
		if (!e.ok) {
			const code = val(first(r, 'cql.error_code'));
			if (e.error.code !== undefined)
				ok(code === e.error.code, `${name} #${e.seq}: error 0x${(e.error.code || 0).toString(16)} (${first(r, 'cql.error_code') && first(r, 'cql.error_code').text})`, { code, want: e.error.code });
			else
				ok(true, `${name} #${e.seq}: the driver refused to send it (${e.error.message.slice(0, 40)}), the server answered`);
			continue;
		}
		if (!e.rows) continue;
		const cols = e.columns.map(c => parseType(c.type));
		const want = e.rows.map(row => row.map((v, i) => literal(cols[i], v, false)));
		const bad = [];
		want.forEach((row, i) => row.forEach((w, j) => {
			const got = r.rows[i] && r.rows[i][j];
			if (got !== w) bad.push({ row: i, column: e.columns[j].name, type: e.columns[j].type, got, want: w });
		}));
		ok(bad.length === 0 && r.rows.length === want.length,
			`${name} #${e.seq}: ${want.length} rows x ${cols.length} columns as the driver read them ("${e.cql.slice(0, 50)}")`, bad.slice(0, 3));
	}
	ok(matched === log.filter(x => x.cql).length, `${name}: every request of the log found its answer (${matched})`);
	// -z srt,cql,cql.query: per statement, as many requests and failures
	// as the log has (a prepared one under EXECUTE).
	const report = execFileSync(tapline, ['decode', '-q', '-z', 'srt,cql,cql.query', path.join(dir, name + '.pcap')])
		.toString().split('\n');
	const rows = report.map(l => l.match(/^CQL \S+ V\d+ (\S+)\s+(\d+)\s+(\d+)(?:\s+[\d.]+){6}\s+(\d+)  (.*)$/)).filter(Boolean)
		.map(([, op, reqs, resps, failed, key]) => ({ op, reqs: +reqs, resps: +resps, failed: +failed, key }));
	const perStatement = new Map();
	for (const e of log.filter(x => x.cql)) {
		const k = (e.prepared ? 'EXECUTE ' : 'QUERY ') + e.cql;
		const c = perStatement.get(k) || { op: e.prepared ? 'EXECUTE' : 'QUERY', cql: e.cql, n: 0, failed: 0 };
		c.n++;
		c.failed += !e.ok && e.error.code !== undefined;	/* refused by the driver: never sent */
		c.sent = (c.sent || 0) + (e.ok || e.error.code !== undefined);
		perStatement.set(k, c);
	}
	const wrong = [];
	for (const c of perStatement.values()) {
		if (!c.sent) continue;
		const r = rows.find(x => x.op === c.op && (x.key === c.cql || (x.key.length >= 150 && c.cql.startsWith(x.key))));
		if (!r || r.reqs !== c.sent || r.resps !== c.sent || r.failed !== c.failed)
			wrong.push({ statement: c.cql.slice(0, 60), op: c.op, want: { reqs: c.sent, failed: c.failed }, got: r });
	}
	ok(wrong.length === 0, `${name}: -z srt,cql,cql.query counts each of the log's ${perStatement.size} statements and its failures`, wrong.slice(0, 3));
	// EXECUTE shows the prepared statement and its values by type; BATCH
	// each statement and its values (the driver's params, typed by the
	// schema the log made).
	const tables = schemaOf(log);
	const requests = cql.filter(m => /^v\d (EXECUTE|BATCH) /.test(m.info));
	const usedReq = new Set();
	for (const e of log.filter(x => x.prepared || x.what === 'batch')) {
		const stmts = e.what === 'batch' ? e.queries : [{ cql: e.cql, params: e.params }];
		const queries = stmts.map(q => q.cql);
		// A statement never prepared on the capture goes as text: its
		// values carry no types on the wire, tapline shows their bytes.
		const prepared = q => cql.some(m => /^v\d PREPARE /.test(m.info) && first(m, 'cql.query') === q);
		const want = [].concat(...stmts.map(q => {
			const types = markerTypes(tables, q.cql) || [];
			return (q.params || []).map((v, i) => prepared(q.cql) ? boundLiteral(types[i], v) : rawValue(types[i], v));
		}));
		const r = requests.find(m => !usedReq.has(m) && JSON.stringify(m.f['cql.query'] || []) === JSON.stringify(queries));
		if (!ok(!!r, `${name} #${e.seq}: the ${e.what === 'batch' ? 'BATCH' : 'EXECUTE'} shows its statement${queries.length > 1 ? 's' : ''} ("${queries[0].slice(0, 50)}")`))
			continue;
		usedReq.add(r);
		ok(JSON.stringify(r.f['cql.value'] || []) === JSON.stringify(want),
			`${name} #${e.seq}: its ${want.length} bound values by type`, { got: r.f['cql.value'], want });
	}
	const versions = new Set(cql.map(m => m.info.slice(0, 2)).filter(x => /^v\d$/.test(x)));
	ok(versions.has('v' + version), `${name}: frames at v${version}`);
	if (name === 'cql-v3')
		ok(cql.some(m => /^0x42 probe STARTUP/.test(m.info)) &&
			cql.some(m => /unsupported protocol version: 66$/.test(first(m, 'cql.error_message') || '')),
			`${name}: the 0x42 probe and its answer`);
}

function authCapture(name, version) {
	const msgs = decode(path.join(dir, name + '.pcap')).map(m => Object.assign(m, flat(m)));
	const bad = msgs.find(m => val(first(m, 'cql.error_code')) === 0x100);
	ok(!!bad && first(bad, 'cql.error_code').text === 'Bad_credentials', `${name}: the wrong password answered Bad_credentials`);
	ok(!JSON.stringify(msgs).includes('wrong-password') && !JSON.stringify(msgs).includes('\\u0000cassandra'),
		`${name}: no password in the output`);
	if (version === 1)
		ok(msgs.some(m => first(m, 'cql.credentials.username') === 'cassandra'), `${name}: CREDENTIALS shows the user`);
	else
		ok(msgs.some(m => /AUTH_SUCCESS/.test(m.info)) && msgs.some(m => val(first(m, 'cql.auth_token_length')) > 0),
			`${name}: SASL login, token lengths only`);
}

// ---- the raw client's logs (compressed frames) ----
function rawCapture(name) {
	const log = read(name + '.client.log').filter(e => e.dir);
	const msgs = decode(path.join(dir, name + '.pcap')).filter(m => m.protocol === 'CQL').map(m => Object.assign(m, flat(m)));
	ok(msgs.length === log.length, `${name}: one message per logged frame (${msgs.length})`);
	log.forEach((e, i) => {
		const m = msgs[i];
		if (!m) return;
		const got = {
			opcode: m.hdr.opcode,
			stream: m.hdr.stream,
			length: m.hdr.length,
			body: val(first(m, 'cql.uncompressed_length')),
		};
		const want = { opcode: e.opcode, stream: e.stream, length: e.wire_body_length,
			body: e.flags & 1 && e.body.length ? e.body.length / 2 : undefined };
		const decoded = !/Not decoded|Malformed/.test(m.info);
		ok(JSON.stringify(got) === JSON.stringify(want) && decoded,
			`${name}: ${e.dir} ${e.opcode} stream ${e.stream}${e.flags & 1 ? ` decompressed to ${want.body} bytes` : ''}`, { got, want, info: m.info });
	});
	const rows = msgs.find(m => m.rows.length === 2 && /tapline compressed frame body/.test(m.rows[0][1] || ''));
	ok(rows && rows.rows[0][1] === 'tapline compressed frame body; '.repeat(200) && rows.rows[1][1] === 'short',
		`${name}: the 6 KB text read back from the compressed Rows`);
}

function genCapture(name) {
	const log = read(name + '.client.log');
	const msgs = decode(path.join(dir, name + '.pcap')).filter(m => m.protocol === 'CQL').map(m => Object.assign(m, flat(m)));
	const entries = log.filter(e => e.dir);
	// Messages in capture order per direction and stream: match by
	// (opcode, stream) in order.
	const used = new Set();
	let matched = 0;
	for (const e of entries) {
		if (e.bad_header_crc) {
			// No length to trust after it: one message says so.
			const m = msgs.find(x => !used.has(x) && /segment header CRC24 mismatch/.test(x.info));
			if (m) used.add(m);
			matched += !!m;
			ok(!!m && /Malformed/.test(m.info), `${name} #${e.seq}: the segment with a bad header CRC24 is named, nothing after it`);
			continue;
		}
		const m = msgs.find(x => !used.has(x) && x.hdr.opcode === e.opcode && x.hdr.stream === e.stream &&
			x.hdr.version === e.version);
		if (!m) { ok(false, `${name} #${e.seq}: ${e.dir} ${e.opcode} stream ${e.stream} decoded`); continue; }
		used.add(m);
		matched++;
		const want = [];
		const got = [];
		if (e.cql) { want.push(e.cql); got.push(first(m, 'cql.query')); }
		if (e.error_code !== undefined) {
			want.push(e.error_code); got.push(val(first(m, 'cql.error_code')));
			if (e.cl) { want.push(e.cl); got.push(first(m, 'cql.error.consistency') && first(m, 'cql.error.consistency').text); }
			for (const [k, f] of [['required', 'cql.error.required'], ['alive', 'cql.error.alive'], ['received', 'cql.error.received'],
				['blockfor', 'cql.error.block_for'], ['write_type', 'cql.error.write_type'], ['numfailures', 'cql.error.num_failures'],
				['contentions', 'cql.error.contentions'], ['keyspace', 'cql.error.keyspace'], ['table', 'cql.error.table'],
				['function', 'cql.error.function'], ['data_present', 'cql.error.data_present'],
				['rejected_by_coordinator', 'cql.error.rejected_by_coordinator'], ['op_type', 'cql.error.rate_limit_op']])
				if (e[k] !== undefined) { want.push(e[k]); got.push(val(first(m, f))); }
			if (e.reasonmap) { want.push(Object.entries(e.reasonmap).map(([a, c]) => `${a} ${c}`)); got.push(m.f['cql.error.reason']); }
			if (e.arg_types) { want.push(e.arg_types); got.push(m.f['cql.error.arg_type']); }
		}
		if (e.kind) { want.push(e.kind); got.push(first(m, 'cql.result.kind') && first(m, 'cql.result.kind').text); }
		if (e.rows !== undefined && e.kind === 'Rows') { want.push(e.rows); got.push(val(first(m, 'cql.result.rows.row_count'))); }
		if (e.values && e.kind === 'Rows' && !e.no_metadata && e.type === undefined) {
			const cols = (m.f['cql.column_type'] || []).length;
			want.push(e.values.map(r => r.slice(0, cols).map((v, i) => genLiteral(genTypes(name, e)[i], v, false))));
			got.push(m.rows);
		}
		if (e.type !== undefined && e.values) {
			want.push(e.values.map(([v, mk]) => [genLiteral(e.type, v, false), String(mk)]));
			got.push(m.rows);
		}
		if (e.values && e.no_metadata) {	/* typed from the Prepared result */
			want.push(e.values.map(r => r.map(String))); got.push(m.rows);
		}
		if (e.tracing_id) { want.push(e.tracing_id); got.push(first(m, 'cql.tracing_id')); }
		if (e.warnings) { want.push(e.warnings); got.push(m.f['cql.warning']); }
		if (e.custom_payload) { want.push(e.custom_payload); got.push(m.f['cql.custom_payload.key']); }
		if (e.event) { want.push(e.event); got.push(first(m, 'cql.event_type')); }
		if (e.address) { want.push(e.address); got.push(first(m, 'cql.event.address')); }
		if (e.keyspace && e.kind === 'Set_keyspace') { want.push(e.keyspace); got.push(first(m, 'cql.keyspace')); }
		if (e.token_length !== undefined) { want.push(e.token_length); got.push(val(first(m, 'cql.auth_token_length'))); }
		if (e.segments && e.segments !== 'ok') { want.push(true); got.push(/Malformed/.test(m.info)); }
		else if (e.framed) { want.push(false); got.push(/Malformed|Truncated/.test(m.info)); }
		ok(JSON.stringify(got) === JSON.stringify(want), `${name} #${e.seq}: ${e.dir} ${e.opcode} stream ${e.stream}` +
			(e.cql ? ` "${e.cql.slice(0, 40)}"` : e.kind ? ` ${e.kind}` : e.error_code !== undefined ? ` 0x${e.error_code.toString(16)}` : ''),
			{ got, want });
	}
	ok(matched === entries.length, `${name}: every logged message decoded (${matched} of ${entries.length})`);
}

const want = name => !only.length || only.includes(name);
for (const [name, v] of [['cql-v3', 3], ['cql-v2', 2], ['cql-v1', 1]])
	if (want(name) && fs.existsSync(path.join(dir, name + '.client.log'))) driverCapture(name, v);
for (const [name, v] of [['cql-auth-v3', 3], ['cql-auth-v2', 2], ['cql-auth-v1', 1]])
	if (want(name) && fs.existsSync(path.join(dir, name + '.client.log'))) authCapture(name, v);
for (const name of ['cql-lz4-v3', 'cql-snappy-v2', 'cql-lz4-v1'])
	if (want(name) && fs.existsSync(path.join(dir, name + '.client.log'))) rawCapture(name);
for (const name of ['cql-v4-gen', 'cql-v5-gen'])
	if (want(name) && fs.existsSync(path.join(dir, name + '.client.log'))) genCapture(name);
done();
