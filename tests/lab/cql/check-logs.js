#!/usr/bin/env node
// tests/lab/cql/check-logs.js - checks the lab's client logs for what a
// real Cassandra must have done: the protocol version asked for, the error
// codes of the failing requests, values read back as written, counters
// summed, pages in order, wrong passwords refused, compressed frames
// accepted and answered compressed.  Prints TAP.
//
// usage: node check-logs.js DIR   (the *.client.log files of one run)
'use strict';

const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const { ok, done } = require('./tap.js');
const read = f => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map(l => JSON.parse(l));
const exists = f => fs.existsSync(path.join(dir, f));

function driverRun(file, want) {
	const log = read(file);
	const connect = log.find(e => e.what === 'connect');
	ok(connect && connect.ok && connect.protocol_version === want, `${file}: connected at v${want}`, connect);
	ok(!log.some(e => e.what === 'crash') && log[log.length - 1].what === 'shutdown', `${file}: ran to the end`);
	const find = cql => log.find(e => e.cql === cql);
	const code = cql => { const e = find(cql); return e && e.error && e.error.code; };
	ok(code('SELEC * FROM all_types') === 0x2000, `${file}: syntax error is 0x2000`);
	ok(code('SELECT * FROM no_such_table') === 0x2200, `${file}: unknown table is Invalid 0x2200`);
	ok(code('CREATE TABLE pages (p int PRIMARY KEY)') === 0x2400, `${file}: existing table is 0x2400`);
	const failures = log.filter(e => e.ok === false).length;
	ok(failures === 5, `${file}: exactly the 5 expected failures`, log.filter(e => e.ok === false).map(e => e.cql));
	// Values written by the prepared insert come back the same.
	const sel = log.find(e => e.cql === 'SELECT * FROM all_types WHERE id = ?');
	const ins = log.find(e => e.what === 'execute' && /^INSERT INTO all_types/.test(e.cql) && e.params && e.params[0] === 3);
	if (sel && ins && sel.rows && sel.rows.length === 1) {
		const names = ins.cql.match(/\(([^)]*)\)/)[1].split(', ');
		const row = Object.fromEntries(sel.columns.map((c, i) => [c.name, sel.rows[0][i]]));
		const diff = names.filter((c, i) => JSON.stringify(row[c]) !== JSON.stringify(ins.params[i]) &&
			!(c === 'ma' && JSON.stringify(row[c]) === '[["one",1],["two",2]]'));
		ok(diff.length === 0, `${file}: every type read back as written`, diff.map(c => [c, row[c]]));
	} else {
		ok(false, `${file}: the all-types row was written and read`, { sel, ins });
	}
	const counters = log.find(e => e.cql === 'SELECT id, hits FROM counters');
	ok(counters && JSON.stringify(counters.rows) === '[[1,"12"],[2,"-3"],[3,"1"]]', `${file}: counters summed`, counters && counters.rows);
	if (want >= 2) {
		const pages = log.filter(e => e.cql === 'SELECT p, c, v FROM pages WHERE p = ?');
		const cs = pages.flatMap(p => p.rows.map(r => r[1]));
		ok(pages.length === 3 && cs.length === 25 && cs.every((c, i) => c === i), `${file}: 3 pages of 25 rows in order`, cs);
		ok(pages[0].page_state && pages[1].page_state && !pages[2].page_state, `${file}: paging state on all but the last page`);
		ok(log.filter(e => e.what === 'batch').every(e => e.ok), `${file}: the batches applied`);
	}
}

function authRun(file, want) {
	const log = read(file);
	const good = log.find(e => e.what === 'connect' && !e.credentials);
	const bad = log.find(e => e.what === 'connect' && e.credentials === 'wrong');
	ok(good && good.ok && good.protocol_version === want, `${file}: login at v${want}`);
	ok(bad && !bad.ok && bad.error && bad.error.name === 'AuthenticationError', `${file}: wrong password refused`, bad);
}

function rawRun(file) {
	const log = read(file);
	const ins = log.filter(e => e.dir === 'in');
	const outs = log.filter(e => e.dir === 'out');
	ok(log[log.length - 1].what === 'done', `${file}: ran to the end`);
	ok(ins.length === outs.length, `${file}: every frame answered`);
	const auth = ins[1].opcode === 'AUTHENTICATE';
	const after = ins.slice(auth ? 3 : 2);	// after SUPPORTED and READY (or the login)
	ok((auth ? ins[2].opcode === 'AUTH_SUCCESS' || ins[2].opcode === 'READY' : ins[1].opcode === 'READY') &&
		after.every(e => e.flags & 1), `${file}: the server compressed every answer after STARTUP`);
	ok(after.slice(0, -1).every(e => e.opcode === 'RESULT'), `${file}: compressed requests accepted`);
	const last = ins[ins.length - 1];
	ok(last.opcode === 'ERROR' && last.error_code === 0x2000, `${file}: compressed syntax error answered 0x2000`);
	const big = outs.find(e => e.cql && e.cql.includes("VALUES (1, 'tapline compressed"));
	ok(big && big.flags === 1 && big.wire_body_length * 10 < big.body.length / 2, `${file}: the large insert went compressed (<10%)`);
	const plain = outs.find(e => e.flags === 0 && e.opcode === 'QUERY');
	ok(!!plain, `${file}: a plain frame in the compressed connection`);
}

function genRun(file, version) {
	const log = read(file);
	ok(!log.some(e => e.what === 'crash'), `${file}: the listener received every byte as sent`);
	const conns = log.filter(e => e.what === 'connect').length;
	ok(conns > 0 && conns === log.filter(e => e.what === 'close').length, `${file}: ${conns} conversations closed`);
	ok(log.filter(e => e.dir).every(e => e.version === version), `${file}: every message at v${version}`);
}

for (const [f, v] of [['cql-v3.client.log', 3], ['cql-v2.client.log', 2], ['cql-v1.client.log', 1]])
	if (exists(f)) driverRun(f, v);
for (const [f, v] of [['cql-auth-v3.client.log', 3], ['cql-auth-v2.client.log', 2], ['cql-auth-v1.client.log', 1]])
	if (exists(f)) authRun(f, v);
for (const f of ['cql-lz4-v3.client.log', 'cql-snappy-v2.client.log', 'cql-lz4-v1.client.log'])
	if (exists(f)) rawRun(f);
for (const [f, v] of [['cql-v4-gen.client.log', 4], ['cql-v5-gen.client.log', 5]])
	if (exists(f)) genRun(f, v);
done();
