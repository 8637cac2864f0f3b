#!/usr/bin/env node
// tests/cql/cql-vs-tshark.js - differential test of tapline's CQL decoding
// against tshark (the independent oracle) on every CQL capture.  Per frame,
// the CQL messages each side finds must agree on: opcode, stream, body
// length, result kind, row and column counts, error code, and the int
// cells (cql.int) where tshark decodes them.  A disagreement fails unless
// tests/cql/cql-vs-tshark.known lists it (CAPTURE FRAME COLUMN REASON,
// FRAME "*" for every frame of the capture) with the reason tshark is
// wrong (docs/cql.md, "tshark 4.0.17 on the lab's captures").
// Prints TAP.
//
// usage: node cql-vs-tshark.js TAPLINE CAPTURE_DIR KNOWN_FILE
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [tapline, dir, knownFile] = process.argv.slice(2);
const { ok, done } = require('../lab/cql/tap.js');

const known = new Map();
for (const line of fs.readFileSync(knownFile, 'utf8').split('\n')) {
	if (!line.trim() || line.startsWith('#')) continue;
	const [cap, frame, column, ...why] = line.split(/\s+/);
	known.set(`${cap} ${frame} ${column}`, why.join(' '));
}
const knownWhy = (cap, frame, column) =>
	known.get(`${cap} ${frame} ${column}`) || known.get(`${cap} * ${column}`);

const COLUMNS = ['cql.opcode', 'cql.stream', 'cql.message_length', 'cql.result.kind',
	'cql.result.rows.row_count', 'cql.result.rows.column_count', 'cql.error_code'];

// frame -> column -> list of values, over all CQL messages of the frame.
function columns(cmd, args, list = COLUMNS) {
	const e = [];
	for (const c of ['frame.number', ...list]) e.push('-e', c);
	const out = execFileSync(cmd, [...args, '-T', 'fields', ...e, '-E', 'occurrence=a', '-E', 'aggregator=,'],
		{ maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
	const frames = new Map();
	for (const line of out.split('\n')) {
		if (!line) continue;
		const [frame, ...vals] = line.split('\t');
		if (!vals[0]) continue;	/* no CQL message in this row */
		const f = frames.get(frame) || Object.fromEntries(list.map(c => [c, []]));
		list.forEach((c, i) => { if (vals[i] !== undefined && vals[i] !== '') f[c].push(...vals[i].split(',')); });
		frames.set(frame, f);
	}
	return frames;
}

// tapline writes hex for flag-like kinds; tshark decimals: numbers compared
// as numbers.
const norm = v => (/^-?(0x)?[0-9a-f]+$/i.test(v) ? String(Number(v)) : v);

const captures = fs.readdirSync(dir).filter(f => /\.pcap$/.test(f)).sort();
for (const file of captures) {
	const cap = file.replace(/\.pcap$/, '');
	const pcap = path.join(dir, file);
	const ours = columns(tapline, ['decode', pcap]);
	// Every port: tshark takes 9042 as CQL by itself.
	const theirs = columns('tshark', ['-r', pcap, '-Y', 'cql']);
	let compared = 0, agreed = 0, knownCount = 0;
	const unexpected = [];
	const frames = new Set([...ours.keys(), ...theirs.keys()]);
	for (const frame of [...frames].sort((a, b) => a - b)) {
		const a = ours.get(frame), b = theirs.get(frame);
		const judge = (column, detail) => {
			const why = knownWhy(cap, frame, column);
			if (why) knownCount++;
			else unexpected.push(`frame ${frame} ${column}: ${detail}`);
		};
		if (!a || !b) {
			judge('message', a ? 'only tapline decodes CQL here' : 'only tshark decodes CQL here');
			continue;
		}
		compared++;
		let same = true;
		for (const c of COLUMNS) {
			const x = a[c].map(norm), y = b[c].map(norm);
			if (!y.length && c !== 'cql.opcode' && c !== 'cql.stream')
				continue;	/* tshark did not get that far: judged by its own verdict */
			if (JSON.stringify(x) === JSON.stringify(y)) continue;
			same = false;
			judge(c, `tapline [${x.join(',')}] tshark [${y.join(',')}]`);
		}
		if (same) agreed++;
	}
	ok(unexpected.length === 0, `${cap}: ${compared} frames compared, ${agreed} agree, ${knownCount} known disagreements`,
		unexpected.slice(0, 8).join('\n#   '));
}
// The per-type Rows of cql-v4-gen.pcap (streams 400-425: a cell of the
// type, then an int marker, 1111 in the first row, 2222 in the second;
// keyspace and table per column, which tshark walks right): whether
// tshark's ints end in the markers tells which types it reads wrongly.
const gen = path.join(dir, 'cql-v4-gen.pcap');
if (fs.existsSync(gen)) {
	const ints = columns('tshark', ['-r', gen, '-Y', 'cql.stream >= 400 && cql.stream < 500 && cql.result.kind == 2'],
		['cql.stream', 'cql.int', '_ws.malformed']);
	const ourRows = execFileSync(tapline, ['decode', '-T', 'json', '-Y', 'cql.opcode == 8', gen], { maxBuffer: 1 << 28 })
		.toString().trim().split('\n').map(l => JSON.parse(l));
	const oursByFrame = new Map(ourRows.map(m => [String(m.frame), m]));
	for (const [frame, f] of ints) {
		const stream = f['cql.stream'][0];
		const got = f['cql.int'].map(Number);
		const right = !f['_ws.malformed'].length && got.length >= 2 &&
			got.indexOf(1111) >= 0 && got[got.length - 1] === 2222 &&
			got.filter(x => x === 1111 || x === 2222).length === 2;
		const m = oursByFrame.get(frame);
		const cells = m ? JSON.stringify(m.fields).match(/"cql.cell","value":"[^"]*"/g) || [] : [];
		const oursRight = cells.length === 4 && /"1111"/.test(cells[1]) && /"2222"/.test(cells[3]);
		ok(oursRight, `cql-v4-gen stream ${stream}: tapline reads both markers`);
		const why = knownWhy('cql-v4-gen', frame, 'cql.int');
		if (right)
			ok(!why, `cql-v4-gen stream ${stream}: tshark reads both markers too`,
				why ? `listed as known (${why}) but tshark is right: update the list` : undefined);
		else
			ok(!!why, `cql-v4-gen stream ${stream}: tshark's ints [${got}]${f['_ws.malformed'].length ? ' [Malformed]' : ''}: known: ${why || 'NOT LISTED'}`);
	}
}
done();
