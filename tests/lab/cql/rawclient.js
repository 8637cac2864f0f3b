#!/usr/bin/env node
// tests/lab/cql/rawclient.js - a CQL client written from the spec, for what
// the DataStax driver does not do: compressed frames (lz4, snappy).  It
// negotiates COMPRESSION in STARTUP with a real Cassandra, sends compressed
// and plain QUERY frames and logs every frame both ways with its body as
// sent / after decompression (JSON lines): the server accepting them and
// answering in kind is the check, the log is the ground truth.
//
// usage: node rawclient.js --compression lz4|snappy --version 1|2|3
//        --log FILE [--host 127.0.0.1] [--port 9042] [--compressor cql-compress]
//        [--auth USER:PASS]   (when the server asks; default cassandra:cassandra)
'use strict';

const net = require('net');
const fs = require('fs');
const w = require('./cqlwire.js');

const args = {};
for (let i = 2; i < process.argv.length; i += 2)
	args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const algo = args.compression || 'lz4';
const version = Number(args.version || 3);
const ks = 'tapline_' + algo + '_v' + version;
if (args.compressor) w.setCompressor(args.compressor);
const logFd = fs.openSync(args.log || '/dev/stdout', 'w');
let seq = 0;
const opName = Object.fromEntries(Object.entries(w.OPCODES).map(([k, v]) => [v, k]));
function log(e) { e.seq = ++seq; e.ts = new Date().toISOString(); fs.writeSync(logFd, JSON.stringify(e) + '\n'); }

const sock = net.connect({ host: args.host || '127.0.0.1', port: Number(args.port || 9042) });
sock.setNoDelay(true);
let inbuf = Buffer.alloc(0);
const waiting = new Map();
let compressed = false;

sock.on('data', d => {
	inbuf = Buffer.concat([inbuf, d]);
	const { frames, rest } = w.parseFrames(inbuf, version);
	inbuf = rest;
	for (const f of frames) {
		let body = f.body;
		if (f.flags & 0x01) body = w.decompress(algo, f.body);
		const e = { dir: 'in', version: f.version, flags: f.flags, stream: f.stream,
			opcode: opName[f.opcode], wire_body_length: f.body.length, body: body.toString('hex') };
		if (f.opcode === w.OPCODES.ERROR) {
			e.error_code = body.readInt32BE(0);
			e.error_message = body.subarray(6, 6 + body.readUInt16BE(4)).toString();
		}
		if (f.opcode === w.OPCODES.RESULT) e.result_kind = body.readInt32BE(0);
		log(e);
		const cb = waiting.get(f.stream);
		if (cb) { waiting.delete(f.stream); cb(f, body); }
	}
});

let nextStream = 1;
function send(opcode, body, compress) {
	const stream = nextStream++;
	let wire = body;
	let flags = 0;
	if (compress) { wire = w.compress(algo, body); flags |= 0x01; }
	log({ dir: 'out', version, flags, stream, opcode: opName[opcode], wire_body_length: wire.length,
		body: body.toString('hex'), ...(opcode === w.OPCODES.QUERY ? { cql: body.subarray(4, 4 + body.readInt32BE(0)).toString() } : {}) });
	return new Promise(resolve => {
		waiting.set(stream, (f, b) => resolve({ f, body: b }));
		sock.write(w.frame(version, flags, stream, opcode, wire));
	});
}

// QUERY body for this protocol version: v1 <query><consistency>, v2+ with
// a flags byte (and nothing behind it here).
function queryBody(cql) {
	const q = w.longString(cql);
	const cl = w.be16(w.CONSISTENCY.ONE);
	return version === 1 ? Buffer.concat([q, cl]) : Buffer.concat([q, cl, w.u8(0)]);
}

async function main() {
	await new Promise((res, rej) => { sock.once('connect', res); sock.once('error', rej); });
	const sup = await send(w.OPCODES.OPTIONS, Buffer.alloc(0), false);
	if (sup.f.opcode !== w.OPCODES.SUPPORTED) throw new Error('no SUPPORTED');
	let ready = await send(w.OPCODES.STARTUP, w.stringMap({ CQL_VERSION: '3.0.0', COMPRESSION: algo }), false);
	compressed = true;
	if (ready.f.opcode === w.OPCODES.AUTHENTICATE) {
		// PasswordAuthenticator: v1 CREDENTIALS, v2+ SASL PLAIN.
		const [user, pass] = (args.auth || 'cassandra:cassandra').split(':');
		ready = version === 1 ?
			await send(w.OPCODES.CREDENTIALS, w.stringMap({ username: user, password: pass }), true) :
			await send(w.OPCODES.AUTH_RESPONSE, w.bytes(Buffer.from(`\0${user}\0${pass}`)), true);
	}
	if (ready.f.opcode !== w.OPCODES.READY && ready.f.opcode !== w.OPCODES.AUTH_SUCCESS)
		throw new Error('STARTUP refused: ' + ready.body.toString());
	const q = cql => send(w.OPCODES.QUERY, queryBody(cql), compressed);
	await q('SELECT cluster_name, release_version, native_protocol_version FROM system.local');
	await q(`CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
	await q(`CREATE TABLE IF NOT EXISTS ${ks}.docs (k int PRIMARY KEY, body text)`);
	// Repetitive text: compresses to a fraction, so back-references are on
	// the wire both ways.
	const text = 'tapline compressed frame body; '.repeat(200);
	await q(`INSERT INTO ${ks}.docs (k, body) VALUES (1, '${text}')`);
	await q(`INSERT INTO ${ks}.docs (k, body) VALUES (2, 'short')`);
	await q(`SELECT k, body FROM ${ks}.docs`);
	// A plain frame in a compressed connection (the flag is per frame).
	await send(w.OPCODES.QUERY, queryBody(`SELECT k FROM ${ks}.docs WHERE k = 2`), false);
	await q('SELEC nothing');	// Syntax_error, compressed
	sock.end();
	log({ what: 'done', ok: true });
}

main().then(() => process.exit(0), err => {
	log({ what: 'crash', ok: false, message: String(err && err.stack) });
	process.exit(1);
});
