#!/usr/bin/env node
// tests/cql/golden-check.js - checks the expected outputs of the CQL golden
// tests (tests/cql/TESTLIST) against the captures themselves, without
// tapline: tshark gives each frame's TCP payload, and the CQL frames, v5
// segments (their CRCs) and the bodies' leading facts are read here, in
// JavaScript, from the specs (native_protocol_v1..v5.spec; the lab's
// cqlwire.js for the CRCs and the compressor for lz4/snappy).  So an
// expected output can never be a copy of tapline's output that nothing
// else has confirmed.  Checked per golden kind:
//   summary lines (no options): every CQL message of the capture, in
//     order, with its frame, relative time, endpoints, length, version,
//     opcode, stream, the frame of its request, and the summary's tail
//     (statement, consistency, result kind, columns and rows, schema
//     change, event, error name and message, token length, batch);
//   -T fields of v5 segments: each segment's length, flag and CRC verdict;
//   -V: each message's header block (version byte, flags, stream, opcode,
//     length, request frame, response time) and every field line, from
//     the bytes or, for cells and typed bound values, from the clients'
//     logs (log-values.js); a field line neither states fails;
//   -z srt,cql,cql.query: per statement, requests, responses, failures
//     and min/max/average response time;
//   -z unanswered,cql: the requests no response answered.
// Prints TAP.
//
// usage: node golden-check.js TESTLIST GOLDEN_DIR CAPTURE_DIR COMPRESSOR
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const wire = require('../lab/cql/cqlwire.js');
const logValues = require('./log-values.js');

const [testlist, goldenDir, captureDir, compressor] = process.argv.slice(2);
wire.setCompressor(compressor);
const { ok, skip, done } = require('../lab/cql/tap.js');

// ---- names from the specs ----
const OPCODE = Object.fromEntries(Object.entries(wire.OPCODES).map(([k, v]) => [v, k]));
const CONSISTENCY = Object.fromEntries(Object.entries(wire.CONSISTENCY).map(([k, v]) => [v, k]));
const RESULT_KIND = { 1: 'Void', 2: 'Rows', 3: 'Set_keyspace', 4: 'Prepared', 5: 'Schema_change' };
const ERROR = {
	0x0000: 'Server_error', 0x000a: 'Protocol_error', 0x0100: 'Bad_credentials', 0x1000: 'Unavailable',
	0x1001: 'Overloaded', 0x1002: 'Is_bootstrapping', 0x1003: 'Truncate_error', 0x1100: 'Write_timeout',
	0x1200: 'Read_timeout', 0x1300: 'Read_failure', 0x1400: 'Function_failure', 0x1500: 'Write_failure',
	0x1600: 'CDC_write_failure', 0x1700: 'CAS_write_unknown', 0x2000: 'Syntax_error', 0x2100: 'Unauthorized',
	0x2200: 'Invalid', 0x2300: 'Config_error', 0x2400: 'Already_exists', 0x2500: 'Unprepared',
};
const BATCH = { 0: 'LOGGED', 1: 'UNLOGGED', 2: 'COUNTER' };
const TYPE = Object.fromEntries(Object.entries(wire.TYPES).map(([k, v]) => [v, k]));
// tapline's own numbering of the COMPRESSION option (fields.c)
const COMPRESSION = { lz4: 1, snappy: 2 };

// ---- field texts as tapline's -V writes them (docs/fields.md) ----
const str = s => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
const named = (v, names) => `${v} (${names[v]})`;
const hex32 = v => '0x' + (v >>> 0).toString(16).padStart(8, '0');
const uuidText = b => b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
function timeText(us) {	/* microseconds since 1970 as seconds.nanoseconds */
	const ns = BigInt(us) * 1000n, sec = ns / 1000000000n, frac = ns % 1000000000n;
	return `${sec}.${String(frac < 0n ? -frac : frac).padStart(9, '0')}`;
}
// Facts: field name -> its texts in order, for one message.
function fact(m, name, text) {
	if (!m.facts) m.facts = new Map();
	if (!m.facts.has(name)) m.facts.set(name, []);
	m.facts.get(name).push(String(text));
}

// ---- the capture's TCP payloads, from tshark ----
function packets(pcap) {
	const out = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_relative',
		'-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport', '-e', 'tcp.stream',
		'-e', 'tcp.flags', '-e', 'tcp.payload'], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
	return out.split('\n').filter(Boolean).map(l => {
		const [frame, time, src, sport, dst, dport, stream, flags, payload] = l.split('\t');
		return { frame: +frame, time: +time, src: `${src}:${sport}`, dst: `${dst}:${dport}`, stream: +stream,
			syn: (parseInt(flags, 16) & 0x12) === 0x02, payload: Buffer.from(payload || '', 'hex') };
	});
}

// ---- a body reader ----
class Reader {
	constructor(b) { this.b = b; this.o = 0; }
	need(k) { if (this.o + k > this.b.length) throw new Error('short body'); }
	byte() { this.need(1); return this.b[this.o++]; }
	short() { this.need(2); const v = this.b.readUInt16BE(this.o); this.o += 2; return v; }
	int() { this.need(4); const v = this.b.readInt32BE(this.o); this.o += 4; return v; }
	raw(k) { this.need(k); const v = this.b.subarray(this.o, this.o + k); this.o += k; return v; }
	string() { return this.raw(this.short()).toString('utf8'); }
	longString() { const k = this.int(); return k < 0 ? null : this.raw(k).toString('utf8'); }
	bytes() { const k = this.int(); return k < 0 ? null : this.raw(k); }
	shortBytes() { return this.raw(this.short()); }
	stringList() { const k = this.short(), l = []; for (let i = 0; i < k; i++) l.push(this.string()); return l; }
	inet() { const k = this.byte(); const a = this.raw(k); const port = this.int(); return { a, port }; }
	long() { this.need(8); const v = this.b.readBigInt64BE(this.o); this.o += 8; return v; }
	// A type option as a tree: { id, name, args } (docs/cql.md's types)
	optionTree() {
		const id = this.short(), t = { id, args: [] };
		if (id === 0x00) t.custom = this.string();
		else if (id === 0x20 || id === 0x22) t.args.push(this.optionTree());
		else if (id === 0x21) t.args.push(this.optionTree(), this.optionTree());
		else if (id === 0x30) {
			t.ks = this.string(); t.name = this.string();
			for (let k = this.short(); k > 0; k--) { this.string(); t.args.push(this.optionTree()); }
		} else if (id === 0x31) for (let k = this.short(); k > 0; k--) t.args.push(this.optionTree());
		return t;
	}
}
// A type as CQL writes it: list<int>, map<varchar, int>, ks.udt, a custom
// class quoted.
function typeText(t) {
	if (t.id === 0x00) return `'${t.custom}'`;
	if (t.id === 0x30) return `${t.ks}.${t.name}`;
	if (t.args.length) return `${TYPE[t.id]}<${t.args.map(typeText).join(', ')}>`;
	return TYPE[t.id];
}
function ipText(a) {
	if (a.length === 4) return [...a].join('.');
	const g = []; for (let i = 0; i < 16; i += 2) g.push(a.readUInt16BE(i));
	let best = -1, len = 0;
	for (let i = 0; i < 8;) { if (g[i]) { i++; continue; } let j = i; while (j < 8 && !g[j]) j++; if (j - i > len && j - i >= 2) { best = i; len = j - i; } i = j; }
	let s = '';
	for (let i = 0; i < 8; i++) { if (i === best) { s += '::'; i += len - 1; continue; } s += (i && i !== best + len ? ':' : '') + g[i].toString(16); }
	return s;
}
// Text as the summary quotes it: the first `max` bytes, "..." when cut
// (control characters do not occur in the lab's statements).
function cut(s, max) {
	const b = Buffer.from(s, 'utf8');
	return b.length > max ? b.subarray(0, max).toString('utf8').replace(/\uFFFD$/, '') + '...' : s;
}

// A statement as a response (or an EXECUTE) names it: tapline keeps the
// request's first 1023 bytes, whole characters (cql.h, CQL_QUERY_KEEP).
function kept(s) {
	const b = Buffer.from(s, 'utf8');
	return b.length > 1023 ? b.subarray(0, 1023).toString('utf8').replace(/\uFFFD$/, '') : s;
}

// ---- frames, segments, exchanges ----
// Every CQL message of the capture in tapline's order (the frame that
// completed it, then the order in the stream), with what the summary
// says about it.
function messages(pcap) {
	const conns = new Map(), out = [];
	for (const p of packets(pcap)) {
		let c = conns.get(p.stream);
		if (!c) {
			c = { client: null, waiting: new Map(), prepared: new Map(), compression: null, segments: false,
				v5startup: null, dirs: {} };
			conns.set(p.stream, c);
		}
		if (p.syn) c.client = p.src;
		if (!c.client) c.client = p.src;
		if (!p.payload.length) continue;
		const d = c.dirs[p.src] || (c.dirs[p.src] = { buf: Buffer.alloc(0), env: Buffer.alloc(0), dead: false, open: null });
		if (d.dead) continue;
		d.buf = Buffer.concat([d.buf, p.payload]);
		const fromClient = p.src === c.client;
		const emit = (h, body, segs) => out.push(describe(c, p, h, body, fromClient, segs));
		// frames back to back until the v5 handshake ends
		while (!c.segments && d.buf.length) {
			const hl = (d.buf[0] & 0x7f) <= 2 ? 8 : 9;
			if (d.buf.length < hl) break;
			const len = d.buf.readUInt32BE(hl - 4);
			if (d.buf.length < hl + len) break;
			const h = { vbyte: d.buf[0], flags: d.buf[1], stream: hl === 8 ? d.buf.readInt8(2) : d.buf.readInt16BE(2),
				opcode: d.buf[hl - 5], length: len, hl };
			const body = d.buf.subarray(hl, hl + len);
			d.buf = d.buf.subarray(hl + len);
			emit(h, body, null);
		}
		if (!c.segments)
			continue;
		// v5 segments
		const lz4 = c.compression === 'lz4';
		const shl = lz4 ? 5 : 3;
		while (d.buf.length >= shl + 3) {
			const hdr = d.buf.subarray(0, shl);
			const crc = d.buf[shl] | d.buf[shl + 1] << 8 | d.buf[shl + 2] << 16;
			let word = 0n;
			for (let i = 0; i < shl; i++) word |= BigInt(hdr[i]) << BigInt(8 * i);
			const plen = Number(word & 0x1ffffn);
			const ulen = lz4 ? Number((word >> 17n) & 0x1ffffn) : 0;
			const self = ((word >> BigInt(lz4 ? 34 : 17)) & 1n) === 1n;
			if (crc !== wire.crc24(hdr)) {
				const bad = { frame: p.frame, time: p.time, src: p.src, dst: p.dst, length: 0, badHeader: true,
					segment: { length: plen, self, crcOk: false, lz4, ulen, headerCrc: crc } };
				segmentFacts(bad, [bad.segment]);
				out.push(bad);
				d.dead = true;
				break;
			}
			if (d.buf.length < shl + 3 + plen + 4) break;
			let payload = d.buf.subarray(shl + 3, shl + 3 + plen);
			const payloadCrc = d.buf.readUInt32LE(shl + 3 + plen);
			const crcOk = payloadCrc === wire.crc32(payload);
			d.buf = d.buf.subarray(shl + 3 + plen + 4);
			if (ulen) {
				const prefix = Buffer.alloc(4); prefix.writeUInt32BE(ulen);
				payload = wire.decompress('lz4', Buffer.concat([prefix, payload]));
			}
			// the segments that carried an envelope: the one its header
			// began in, and those that went on with it
			const seg = { length: plen, self, crcOk, lz4, ulen, headerCrc: crc, payloadCrc };
			if (d.env.length) d.open.push(seg);
			else d.open = [seg];
			d.env = Buffer.concat([d.env, payload]);
			while (d.env.length >= 9 && d.env.length >= 9 + d.env.readUInt32BE(5)) {
				const len = d.env.readUInt32BE(5);
				const h = { vbyte: d.env[0], flags: d.env[1], stream: d.env.readInt16BE(2), opcode: d.env[4], length: len, hl: 9 };
				const body = d.env.subarray(9, 9 + len);
				d.env = d.env.subarray(9 + len);
				emit(h, body, d.open);
				d.open = [seg];
			}
		}
	}
	// the requests no response answered by the end
	out.unanswered = [].concat(...[...conns.values()].map(c => [...c.waiting.values()])).sort((a, b) => a.frame - b.frame);
	return out;
}

// The segments that carried a message: each one's subtree (the first 8)
// and their count when more than one.
function segmentFacts(m, segs) {
	if (segs.length > 1) fact(m, 'cql.segment.count', segs.length);
	for (const g of segs.slice(0, 8)) {
		fact(m, 'cql.segment.length', g.length);
		if (g.lz4) fact(m, 'cql.segment.uncompressed_length', g.ulen);
		fact(m, 'cql.segment.self_contained', g.self ? 1 : 0);
		fact(m, 'cql.segment.header_crc', hex32(g.headerCrc));
		if (g.payloadCrc !== undefined) fact(m, 'cql.segment.payload_crc', hex32(g.payloadCrc));
		fact(m, 'cql.segment.crc_ok', g.crcOk ? 1 : 0);
	}
}

// The summary of one message: what tapline's line must say.
function describe(c, p, h, wireBody, fromClient, segs) {
	const m = { frame: p.frame, time: p.time, src: p.src, dst: p.dst, length: h.hl + h.length, stream: h.stream,
		opcode: OPCODE[h.opcode], vbyte: h.vbyte, flags: h.flags, segments: segs };
	const v = h.vbyte & 0x7f;
	const probe = v === 0x41 || v === 0x42;
	const version = probe ? 4 : v;
	m.head = (probe ? `0x${v.toString(16)} probe` : `v${v}`) + ` ${m.opcode} stream=${h.stream}`;
	const response = (h.vbyte & 0x80) !== 0;
	let tail = '';
	let w = null;
	if (h.opcode === 0x0c) {
		/* an event */
	} else if (!response) {
		w = { frame: p.frame, time: p.time, opcode: m.opcode, version, query: null, id: h.stream, tcpStream: p.stream };
		c.waiting.set(h.stream, w);
		m.waiting = w;
	} else {
		w = c.waiting.get(h.stream) || null;
		if (w) { tail += ` (Request In ${w.frame})`; m.request = w; c.waiting.delete(h.stream); }
	}
	if (segs) segmentFacts(m, segs);
	let body = wireBody;
	if (h.flags & 0x01 && version <= 4) {
		fact(m, 'cql.compression', named(COMPRESSION[c.compression || 'lz4'], { 1: 'lz4', 2: 'snappy' }));
		try { body = wire.decompress(c.compression || 'lz4', wireBody); } catch (e) { m.tail = tail + ' (compressed)'; return m; }
		if (body.length) fact(m, 'cql.uncompressed_length', body.length);
	}
	const r = new Reader(body);
	try {
		if (response && h.flags & 0x02) fact(m, 'cql.tracing_id', uuidText(r.raw(16)));
		if (response && h.flags & 0x08 && version >= 4) for (const x of r.stringList()) fact(m, 'cql.warning', str(x));
		if (h.flags & 0x04 && version >= 4) {
			for (let k = r.short(); k > 0; k--) {
				const key = r.string(), value = r.bytes();
				fact(m, 'cql.custom_payload.key', str(key));
				fact(m, 'cql.custom_payload.value', value ? value.toString('hex') : 'null');
				if (key === 'tablets-routing-v1' && value) tabletFacts(m, new Reader(value));
			}
		}
		if (w && response && w.query) fact(m, 'cql.query', str(kept(w.query)));
		tail += bodyTail(c, m, r, h, version, w, response);
	} catch (e) {
		m.problem = e.message;
	}
	if (c.v5startup === h.stream && response && v === 5 && (m.opcode === 'READY' || m.opcode === 'AUTHENTICATE'))
		c.segments = true;	/* both ways */
	m.tail = tail;
	return m;
}

// ScyllaDB's tablets routing: a tuple (first token bigint, last token
// bigint, list of (host uuid, shard int)), each element a [bytes].
function tabletFacts(m, r) {
	fact(m, 'cql.tablets.first_token', new Reader(r.bytes()).long());
	fact(m, 'cql.tablets.last_token', new Reader(r.bytes()).long());
	const list = new Reader(r.bytes());
	for (let k = list.int(); k > 0; k--) {
		const t = new Reader(list.bytes());
		const host = uuidText(t.bytes()), shard = new Reader(t.bytes()).int();
		fact(m, 'cql.tablets.replica', str(`${host}/${shard}`));
	}
}

// QUERY's and EXECUTE's parameters (v2+), and BATCH's (no values, page
// size or paging state); `typed`: the values are a prepared statement's,
// their texts come from a log.
function parameters(m, r, version, typed, batch) {
	const cl = r.short();
	fact(m, 'cql.consistency', named(cl, CONSISTENCY));
	if (batch && version === 2) return { cl, flags: 0 };
	const flags = version >= 5 ? r.int() : r.byte();
	fact(m, 'cql.query.flags', hex32(flags));
	if (!batch && flags & 0x01) boundValues(m, r, flags & 0x40, typed);
	if (!batch && flags & 0x04) fact(m, 'cql.page_size', r.int());
	if (!batch && flags & 0x08) { const p = r.bytes(); fact(m, 'cql.paging_state', p ? p.toString('hex') : 'null'); }
	if (flags & 0x10) fact(m, 'cql.serial_consistency', named(r.short(), CONSISTENCY));
	if (flags & 0x20) fact(m, 'cql.timestamp', timeText(r.long()));
	if (version >= 5 && flags & 0x80) fact(m, 'cql.keyspace', str(r.string()));
	if (version >= 5 && flags & 0x100) fact(m, 'cql.now_in_seconds', r.int());
	return { cl, flags };
}
// [short] n values ([value]: -1 null, -2 not set: "unset"); named ones have their
// name first.  `types`: a prepared statement's bind types (its values are
// typed), else null (shown as their bytes).  m.valueSlots: each value's
// text read here (bytes, null, not set, the simple types), or null where
// only a client's log can say it (logFacts fills m.values in order of the
// typed values).
function boundValues(m, r, namedValues, types) {
	const k = r.short();
	fact(m, 'cql.value_count', k);
	if (!m.valueSlots) m.valueSlots = [];
	for (let i = 0; i < k; i++) {
		if (namedValues) fact(m, 'cql.value.name', str(r.string()));
		const n = r.int();
		const raw = n >= 0 ? r.raw(n) : null;
		const t = types && types[i];
		const text = n === -1 ? 'null' : n === -2 ? 'unset' : !types ? '0x' + raw.toString('hex') :
			t && SIMPLE[t.id] ? SIMPLE[t.id](raw) : null;
		m.valueSlots.push({ text, typed: !!types });
	}
}

function bodyTail(c, m, r, h, version, w, response) {
	switch (m.opcode) {
	case 'STARTUP': {
		const opts = {};
		for (let k = r.short(); k > 0; k--) {
			const key = r.string(), value = r.string();
			opts[key] = value;
			fact(m, 'cql.option', str(`${key}=${value}`));
		}
		if (opts.COMPRESSION) c.compression = opts.COMPRESSION;
		if (version === 5) c.v5startup = h.stream;
		return opts.COMPRESSION ? ` compression=${opts.COMPRESSION}` : '';
	}
	case 'QUERY': {
		const q = r.longString();
		w.query = q;
		fact(m, 'cql.query', str(q));
		if (version === 1) {
			fact(m, 'cql.consistency', named(r.short(), CONSISTENCY));
			return ` "${cut(q, 120)}"`;
		}
		return ` "${cut(q, 120)}" consistency=${CONSISTENCY[parameters(m, r, version, null).cl]}`;
	}
	case 'PREPARE': {
		const q = r.longString();
		w.query = q;
		fact(m, 'cql.query', str(q));
		if (version >= 5 && r.int() & 0x01) fact(m, 'cql.keyspace', str(r.string()));
		return ` "${cut(q, 120)}"`;
	}
	case 'EXECUTE': {
		const id = r.shortBytes().toString('hex');
		fact(m, 'cql.query_id', id);
		if (version >= 5) fact(m, 'cql.result_metadata_id', r.shortBytes().toString('hex'));
		const p = c.prepared.get(id);
		const q = p ? p.query : null;
		w.query = q;
		if (q) fact(m, 'cql.query', str(kept(q)));
		/* a known statement's values are typed: their texts come from a log */
		m.typedValues = p ? p.types || [] : null;
		let t = q ? ` "${cut(q, 120)}"` : ` id=${id.slice(0, 16)}`;
		if (version === 1) {
			boundValues(m, r, false, m.typedValues);
			fact(m, 'cql.consistency', named(r.short(), CONSISTENCY));
		} else {
			t += ` consistency=${CONSISTENCY[parameters(m, r, version, m.typedValues).cl]}`;
		}
		return t;
	}
	case 'BATCH': {
		const type = r.byte(), k = r.short();
		fact(m, 'cql.batch_type', named(type, BATCH));
		fact(m, 'cql.batch_query_size', k);
		m.batchTyped = [];
		for (let i = 0; i < k; i++) {
			let q, typed = null;
			if (r.byte() === 0) {
				q = r.longString();
				fact(m, 'cql.query', str(q));
			} else {
				const id = r.shortBytes().toString('hex');
				fact(m, 'cql.query_id', id);
				const p = c.prepared.get(id);
				q = p ? p.query : null;
				if (q) fact(m, 'cql.query', str(kept(q)));
				typed = p ? p.types || [] : null;	/* a known prepared statement's values are typed */
			}
			if (i === 0) w.query = q;	/* the first statement names the batch */
			m.batchTyped.push(!!typed);
			boundValues(m, r, false, typed);
		}
		parameters(m, r, version, false, true);
		return ` ${BATCH[type]} statements=${k}`;
	}
	case 'AUTH_RESPONSE': case 'AUTH_CHALLENGE': case 'AUTH_SUCCESS': {
		const n = r.int();
		fact(m, 'cql.auth_token_length', n);
		return ` token_length=${n}`;
	}
	case 'AUTHENTICATE':
		fact(m, 'cql.authenticator', str(r.string()));
		return '';
	case 'ERROR': {
		const code = r.int(), msg = r.string();
		m.failed = true;
		const name = ERROR[code] || (c.rateLimit === code ? 'Rate_limit_error' : 'error');
		fact(m, 'cql.error_code', `${code} (${name})`);
		fact(m, 'cql.error_message', str(msg));
		errorFacts(m, r, code, version, c);
		return ` ${name} "${cut(msg, 120)}"`;
	}
	case 'SUPPORTED': {
		for (let k = r.short(); k > 0; k--) {
			const key = r.string(), vals = r.stringList();
			fact(m, 'cql.supported', str(`${key}=${vals.join(',')}`));
			if (/^(SCYLLA_|TABLETS_)/.test(key)) fact(m, 'cql.scylla.extension', str(key));
			if (key === 'SCYLLA_SHARD') fact(m, 'cql.scylla.shard', +vals[0]);
			if (key === 'SCYLLA_NR_SHARDS') fact(m, 'cql.scylla.nr_shards', +vals[0]);
			const rl = key === 'SCYLLA_RATE_LIMIT_ERROR' && vals[0] && vals[0].match(/^ERROR_CODE=(-?\d+)$/);
			if (rl) { c.rateLimit = +rl[1]; fact(m, 'cql.scylla.rate_limit_error_code', +rl[1]); }
		}
		return '';
	}
	case 'EVENT': {
		const type = r.string();
		fact(m, 'cql.event_type', str(type));
		let t = ` ${type}`;
		if (type === 'SCHEMA_CHANGE') {
			const change = r.string();
			fact(m, 'cql.schema.change', str(change));
			t += ` ${change}`;
			if (version <= 2) {
				const ks = r.string(), table = r.string();
				fact(m, 'cql.schema.keyspace', str(ks));
				if (table) fact(m, 'cql.schema.name', str(table));
				return t;
			}
			const target = r.string(), ks = r.string();
			fact(m, 'cql.schema.target', str(target));
			fact(m, 'cql.schema.keyspace', str(ks));
			t += ` ${target} ${ks}`;
			if (target !== 'KEYSPACE') {
				const name = r.string();
				fact(m, 'cql.schema.name', str(name));
				t += `.${name}`;
				if (target === 'FUNCTION' || target === 'AGGREGATE')
					for (const a of r.stringList()) fact(m, 'cql.schema.arg_type', str(a));
			}
			return t;
		}
		const change = r.string(), a = r.inet();
		const addr = `${a.a.length === 4 ? ipText(a.a) : `[${ipText(a.a)}]`}:${a.port}`;
		fact(m, 'cql.event.change', str(change));
		fact(m, 'cql.event.address', str(addr));
		return t + ` ${change} ${addr}`;
	}
	case 'RESULT': {
		const kind = r.int();
		fact(m, 'cql.result.kind', named(kind, RESULT_KIND));
		let t = ` ${RESULT_KIND[kind]}`;
		if (kind === 2) {
			const types = metadata(m, r, version, false);
			const rows = r.int();
			fact(m, 'cql.result.rows.row_count', rows);
			m.rowsBody = rows > 0;	/* the cells: from a log, or below */
			if (types && types.every(t => SIMPLE[t.id])) {
				m.byteCells = [];
				for (let i = 0; i < rows; i++)
					for (const t of types) { const b = r.bytes(); m.byteCells.push(b === null ? 'null' : SIMPLE[t.id](b)); }
			}
			t += ` columns=${m.facts.get('cql.result.rows.column_count')[0]} rows=${rows}`;
		} else if (kind === 3) {
			const ks = r.string();
			fact(m, 'cql.keyspace', str(ks));
			t += ` ${ks}`;
		} else if (kind === 4) {
			const id = r.shortBytes().toString('hex');
			fact(m, 'cql.query_id', id);
			if (version >= 5) fact(m, 'cql.result_metadata_id', r.shortBytes().toString('hex'));
			const types = metadata(m, r, version, true);	/* the bind markers */
			if (w && w.query) c.prepared.set(id, { query: w.query, types });
			if (version >= 2) metadata(m, r, version, false);	/* the result's columns */
		} else if (kind === 5) {
			const change = r.string();
			fact(m, 'cql.schema.change', str(change));
			t += ` ${change}`;
			if (version >= 3) {
				const target = r.string();
				fact(m, 'cql.schema.target', str(target));
				t += ` ${target}`;
				fact(m, 'cql.schema.keyspace', str(r.string()));
				if (target !== 'KEYSPACE') fact(m, 'cql.schema.name', str(r.string()));
			} else {
				fact(m, 'cql.schema.keyspace', str(r.string()));
				const table = r.string();
				if (table) fact(m, 'cql.schema.name', str(table));
			}
		}
		return t;
	}
	default:
		return '';
	}
}

// Rows metadata (and a Prepared result's bind markers, with v4's
// partition key indexes): flags, columns, their specs; the column types
// (null with no metadata).
function metadata(m, r, version, bind) {
	const flags = r.int(), cols = r.int();
	fact(m, 'cql.result.rows.flags', hex32(flags));
	fact(m, 'cql.result.rows.column_count', cols);
	if (bind && version >= 4) for (let k = r.int(); k > 0; k--) fact(m, 'cql.prepared.pk_index', r.short());
	if (!bind && flags & 0x02) { const p = r.bytes(); fact(m, 'cql.paging_state', p ? p.toString('hex') : 'null'); }
	if (!bind && flags & 0x08 && version >= 5) fact(m, 'cql.result.new_metadata_id', r.shortBytes().toString('hex'));
	if (flags & 0x04) return null;
	const spec = () => {
		fact(m, 'cql.result.rows.keyspace_name', str(r.string()));
		fact(m, 'cql.result.rows.table_name', str(r.string()));
	};
	if (flags & 0x01) spec();
	const types = [];
	for (let i = 0; i < cols; i++) {
		if (!(flags & 0x01)) spec();
		fact(m, 'cql.result.rows.column_name', str(r.string()));
		const type = r.optionTree();
		fact(m, 'cql.data_type', named(type.id, TYPE));
		fact(m, 'cql.column_type', str(typeText(type)));
		types.push(type);
	}
	return types;
}
// Cells of the fixed-size and text types, read from their bytes as the
// spec lays them out (section 6).
const SIMPLE = {
	0x01: b => b.toString('utf8'), 0x0d: b => b.toString('utf8'),
	0x02: b => String(b.readBigInt64BE()), 0x05: b => String(b.readBigInt64BE()),
	0x04: b => (b[0] ? 'true' : 'false'), 0x09: b => String(b.readInt32BE()),
	0x13: b => String(b.readInt16BE()), 0x14: b => String(b.readInt8()),
};

// ERROR's details by code (native_protocol_v5.spec section 9; v4's
// numfailures, v5's reason map).
function errorFacts(m, r, code, version, c) {
	const cl = () => fact(m, 'cql.error.consistency', named(r.short(), CONSISTENCY));
	const int = name => fact(m, name, r.int());
	const failures = () => {
		if (version >= 5) {
			for (let k = r.int(); k > 0; k--) {
				const a = r.raw(r.byte());
				fact(m, 'cql.error.reason', str(`${ipText(a)} ${r.short()}`));
			}
		} else if (version >= 4) int('cql.error.num_failures');
	};
	switch (code) {
	case 0x1000: cl(); int('cql.error.required'); int('cql.error.alive'); break;
	case 0x1100:
		cl(); int('cql.error.received'); int('cql.error.block_for');
		{
			const type = r.string();
			fact(m, 'cql.error.write_type', str(type));
			if (type === 'CAS' && version >= 5) fact(m, 'cql.error.contentions', r.short());
		}
		break;
	case 0x1200: cl(); int('cql.error.received'); int('cql.error.block_for'); fact(m, 'cql.error.data_present', r.byte() ? 1 : 0); break;
	case 0x1300:
		cl(); int('cql.error.received'); int('cql.error.block_for'); failures();
		fact(m, 'cql.error.data_present', r.byte() ? 1 : 0);
		break;
	case 0x1400:
		fact(m, 'cql.error.keyspace', str(r.string())); fact(m, 'cql.error.function', str(r.string()));
		for (const a of r.stringList()) fact(m, 'cql.error.arg_type', str(a));
		break;
	case 0x1500:
		cl(); int('cql.error.received'); int('cql.error.block_for'); failures();
		fact(m, 'cql.error.write_type', str(r.string()));
		break;
	case 0x1700: cl(); int('cql.error.received'); int('cql.error.block_for'); break;
	case 0x2400: fact(m, 'cql.error.keyspace', str(r.string())); fact(m, 'cql.error.table', str(r.string())); break;
	case 0x2500: fact(m, 'cql.error.unprepared_id', r.shortBytes().toString('hex')); break;
	default:
		if (code === c.rateLimit) {	/* ScyllaDB: operation, refused by the coordinator */
			fact(m, 'cql.error.rate_limit_op', str(r.byte() ? 'write' : 'read'));
			fact(m, 'cql.error.rejected_by_coordinator', r.byte() ? 1 : 0);
		}
	}
}

// ---- the goldens ----
const rows = fs.readFileSync(testlist, 'utf8').split('\n').filter(l => l.trim() && !l.startsWith('#'))
	.map(l => { const [name, capture, expected, ...opts] = l.trim().split(/\s+/); return { name, capture, expected, opts: opts.join(' ') }; });
const cache = new Map();
const oracle = cap => cache.get(cap) || (cache.set(cap, messages(path.join(captureDir, cap))), cache.get(cap));
const goldenLines = file => fs.readFileSync(path.join(goldenDir, file), 'utf8').split('\n').filter(Boolean);

function checkSummary(row) {
	const want = oracle(row.capture);
	const got = goldenLines(row.expected);
	const bad = [];
	want.forEach((m, i) => {
		const g = got[i];
		const re = /^\s*(\d+) (\d+\.\d+) (\S+) → (\S+) CQL (\d+) (.*)$/;
		const x = g && g.match(re);
		if (!x) { bad.push(`line ${i + 1}: no summary line (want frame ${m.frame})`); return; }
		const [, frame, time, src, dst, length, rest] = x;
		const expect = m.badHeader ? 'v5 segment header CRC24 mismatch' : m.head + m.tail;
		const problems = [];
		if (+frame !== m.frame) problems.push(`frame ${frame} != ${m.frame}`);
		if (Math.abs(+time - m.time) > 1e-6) problems.push(`time ${time} != ${m.time}`);
		if (src !== m.src || dst !== m.dst) problems.push(`endpoints ${src} → ${dst} != ${m.src} → ${m.dst}`);
		if (+length !== m.length) problems.push(`length ${length} != ${m.length}`);
		// the rest up to the verdicts, which a golden may add ([Malformed: ...])
		const text = rest.replace(/ \[(Malformed|Truncated|Not decoded)[^\]]*\]$/, '');
		if (text !== expect) problems.push(`text\n#     got:  ${text}\n#     want: ${expect}`);
		const segBad = !!(m.badHeader || (m.segments && m.segments.some(s => !s.crcOk)));
		if (segBad !== /\[Malformed: v5 segment/.test(rest)) problems.push(`segment CRC verdict: ${rest}`);
		if (problems.length) bad.push(`line ${i + 1} (frame ${m.frame}): ${problems.join('; ')}`);
	});
	ok(bad.length === 0 && got.length === want.length,
		`${row.name}: ${got.length} summary lines, each as the capture's bytes say (${want.length} CQL messages)`,
		[got.length !== want.length ? `${got.length} lines, ${want.length} messages` : '', ...bad.slice(0, 5)].join('\n'));
}

function checkSegments(row) {
	// -T fields -e frame.number -e cql.stream -e cql.segment.count
	//   -e cql.segment.length -e cql.segment.self_contained
	//   -e cql.segment.crc_ok -E occurrence=a -Y cql.segment
	const list = oracle(row.capture).filter(m => m.segments || m.badHeader);
	const got = goldenLines(row.expected).map(l => l.split('\t'));
	const bad = [];
	list.forEach((m, i) => {
		const g = got[i] || [];
		const segs = m.segments || [m.segment];
		const w = [String(m.frame), m.badHeader ? '' : String(m.stream), segs.length > 1 ? String(segs.length) : '',
			segs.map(s => s.length).join(','), segs.map(s => (s.self ? '1' : '0')).join(','),
			segs.map(s => (s.crcOk ? '1' : '0')).join(',')];
		if (JSON.stringify(g) !== JSON.stringify(w)) bad.push(`${g.join(' ')} != ${w.join(' ')}`);
	});
	ok(bad.length === 0 && got.length === list.length, `${row.name}: ${got.length} envelopes' segments as the bytes say`,
		bad.slice(0, 5).join('\n'));
}

// What the clients' logs say a message's cells and bound values are (the
// texts log-values.js makes from the logged values and their types):
// m.cells and m.values on the capture's messages.
function logFacts(capture, all) {
	const file = path.join(captureDir, capture.replace(/\.pcap$/, '.client.log'));
	if (!fs.existsSync(file)) return;
	const log = fs.readFileSync(file, 'utf8').trim().split('\n').map(l => JSON.parse(l));
	const used = new Set();
	const take = pred => { const m = all.find(x => !used.has(x) && pred(x)); if (m) used.add(m); return m; };
	if (log.some(e => e.dir && e.version >= 4)) {
		// the v4/v5 generator: its messages in order by version, opcode, stream
		const typesEntry = log.find(e => e.kind === 'Rows' && e.values && e.columns && e.columns.length >= 27);
		const allTypes = typesEntry ? typesEntry.columns.map(c => str(c)) : [], allTypesValues = typesEntry && typesEntry.values;
		for (const e of log.filter(x => x.dir && !x.bad_header_crc)) {
			const m = take(x => !x.badHeader && x.opcode === e.opcode && x.stream === e.stream && (x.vbyte & 0x7f) === e.version);
			if (!m) continue;
			if (e.opcode === 'EXECUTE' && e.values)
				m.values = e.values.map(v => (v === null ? 'null' : String(v)));	/* logged as their text */
			if (e.opcode === 'BATCH' && m.batchTyped)
				m.values = [].concat(...e.queries.filter((q, i) => m.batchTyped[i])
					.map(q => q.values.map(v => (v === null ? 'null' : String(v)))));
			if (e.kind === 'Rows' && !e.values && m.facts && (m.facts.get('cql.result.rows.column_name') || []).join() === allTypes.join())
				e.values = allTypesValues;	/* typesRows() unlogged (compressed connections): gen.js's same three rows */
			if (e.kind !== 'Rows' || !e.values) continue;
			const cols = (m.facts && m.facts.get('cql.column_type') || []).length;
			if (e.type !== undefined)
				m.cells = e.values.map(([v, mk]) => [logValues.genLiteral(e.type, v, false), String(mk)]).flat();
			else if (e.no_metadata)
				m.cells = e.values.map(r => r.map(String)).flat();
			else
				m.cells = e.values.map(r => r.slice(0, cols).map((v, i) => logValues.genLiteral(logValues.genTypes()[i], v, false))).flat();
		}
		return;
	}
	// the DataStax driver: its statements in order, each with its answer
	const tables = logValues.schemaOf(log);
	for (const e of log.filter(x => x.cql || x.what === 'batch')) {
		if (e.prepared && e.params) {
			const m = take(x => x.opcode === 'EXECUTE' && x.typedValues && x.waiting.query === e.cql);
			const types = logValues.markerTypes(tables, e.cql) || [];
			if (m) m.values = e.params.map((v, i) => logValues.boundLiteral(types[i], v));
		}
		if (e.what === 'batch') {
			const m = take(x => x.opcode === 'BATCH' && x.batchTyped);
			if (m) m.values = [].concat(...e.queries.filter((q, i) => m.batchTyped[i]).map(q => {
				const types = logValues.markerTypes(tables, q.cql) || [];
				return (q.params || []).map((v, i) => logValues.boundLiteral(types[i], v));
			}));
		}
		if (e.rows) {
			const m = take(x => x.opcode === 'RESULT' && x.request && x.request.query === e.cql && x.rowsBody !== undefined);
			const types = e.columns.map(c => logValues.parseType(c.type));
			if (m) m.cells = e.rows.map(row => row.map((v, i) => logValues.literal(types[i], v, false))).flat();
		}
	}
}

// -V: each message's header block, and every field line against what the
// bytes (the facts above) and the clients' logs (cells, typed values) say;
// a field line nothing here states fails as unchecked.
function checkTree(row) {
	const lines = goldenLines(row.expected).concat(['Frame 0:']);
	const all = oracle(row.capture);
	if (!all.logged) { logFacts(row.capture, all); all.logged = true; }
	const bad = [];
	let shown = 0, fields = 0;
	let block = [];
	for (const line of lines) {
		if (!/^Frame \d+:/.test(line)) { block.push(line); continue; }
		if (block.length) checkBlock(block);
		block = [line];
	}
	function checkBlock(block) {
		const frame = +block[0].match(/^Frame (\d+)/)[1];
		const at = block.indexOf('Cassandra CQL Protocol');
		const head = [];
		if (at >= 0) for (let j = at + 1; j < block.length && /^    /.test(block[j]); j++) head.push(block[j].trim());
		const stream = +((head.find(l => l.startsWith('Stream: ')) || '').slice(8));
		const m = all.find(x => x.frame === frame && !x.used && (at < 0 ? x.badHeader : x.stream === stream));
		if (!m) { bad.push(`frame ${frame} stream ${stream}: no such message`); return; }
		if (m.problem) bad.push(`frame ${frame}: the body could not be read here: ${m.problem}`);
		m.used = true;
		shown++;
		if (at >= 0) checkHeader(m, frame, head);
		// every field line against the facts, name by name in order
		const got = new Map();
		for (const l of block) {
			const x = l.match(/^\s+(cql\.[\w.]+): (.*)$/);
			if (!x) continue;
			fields++;
			if (!got.has(x[1])) got.set(x[1], []);
			got.get(x[1]).push(x[2]);
		}
		const want = new Map(m.facts || []);
		if (m.cells || m.byteCells) want.set('cql.cell', (m.cells || m.byteCells).map(str));
		if (m.valueSlots) {	/* typed values not read here take the log's texts */
			const fromLog = m.values || [];
			let k = 0;
			const texts = m.valueSlots.map(v => {
				const logged = v.typed ? fromLog[k++] : undefined;
				return v.text !== null ? v.text : logged;
			});
			if (texts.includes(undefined))
				bad.push(`frame ${frame}: a typed value neither its bytes nor the log state (${fromLog.length} logged)`);
			else
				want.set('cql.value', texts.map(str));
		}
		for (const name of new Set([...got.keys(), ...want.keys()])) {
			const g = got.get(name) || [], w = want.get(name);
			if (!w) bad.push(`frame ${frame}: ${name} (${g[0]}) has no independent source here`);
			else if (JSON.stringify(g) !== JSON.stringify(w))
				bad.push(`frame ${frame}: ${name}\n#     got:  ${g.join(' | ').slice(0, 300)}\n#     want: ${w.join(' | ').slice(0, 300)}`);
		}
	}
	function checkHeader(m, frame, block) {
		const v = m.vbyte;
		const want = [`Version: 0x${v.toString(16).padStart(2, '0')} (protocol ${v & 0x7f}, ${v & 0x80 ? 'response' : 'request'})`,
			`Flags: 0x${m.flags.toString(16).padStart(2, '0')}` + ['compression', 'tracing', 'custom-payload', 'warning', 'beta']
				.filter((f, k) => m.flags & (1 << k)).map(f => ' ' + f).join(''),
			`Stream: ${m.stream}`, `Opcode: ${m.opcode} (${wire.OPCODES[m.opcode]})`,
			`Length: ${m.length - ((v & 0x7f) <= 2 ? 8 : 9)}`];
		if (v & 0x80 && m.opcode !== 'EVENT') {
			if (m.request) {
				want.push(`[Request In: ${m.request.frame}]`);
				want.push(`[Response time: ${(m.time - m.request.time).toFixed(9)} seconds]`);
			} else {
				want.push('[The request was not seen]');
			}
		}
		const gotBlock = block.slice(0, want.length);
		for (let k = 0; k < want.length; k++) {
			if (/^\[Response time/.test(want[k])) {
				const a = +(gotBlock[k] || '').replace(/[^\d.]/g, ''), b = +want[k].replace(/[^\d.]/g, '');
				if (Math.abs(a - b) > 2e-6) bad.push(`frame ${frame}: ${gotBlock[k]} != ${want[k]}`);
			} else if (gotBlock[k] !== want[k]) {
				bad.push(`frame ${frame}: ${gotBlock[k]} != ${want[k]}`);
			}
		}
	}
	all.forEach(m => delete m.used);
	ok(bad.length === 0 && shown > 0,
		`${row.name}: ${shown} messages' header blocks and ${fields} field lines as the bytes and the clients' logs say`,
		bad.slice(0, 6).join('\n'));
}

function checkSrt(row) {
	const all = oracle(row.capture).filter(m => m.request);
	const groups = new Map();
	for (const m of all) {
		const q = m.request.query;
		const key = `${m.request.opcode}\tV${m.request.version}\t${q === null || q === undefined ? '-' : q}`;
		const g = groups.get(key) || { n: 0, failed: 0, t: [] };
		g.n++;
		g.failed += !!m.failed;
		g.t.push(m.time - m.request.time);
		groups.set(key, g);
	}
	const bad = [];
	let seen = 0;
	for (const l of goldenLines(row.expected)) {
		const x = l.match(/^CQL \S+ (V\d+) (\S+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s+(\d+)  (.*)$/);
		if (!x) continue;
		seen++;
		const [, version, op, reqs, resps, min, max, avg, fails, key] = x;
		const head = `${op}\t${version}\t`;
		const full = [...groups.keys()].find(k => k === head + key || (key.length >= 150 && k.startsWith(head + key)));
		const g = groups.get(full);
		if (!g) { bad.push(`${op} ${key.slice(0, 50)}: no such statement`); continue; }
		const mean = g.t.reduce((a, b) => a + b, 0) / g.t.length;
		const near = (a, b) => Math.abs(a - b) <= 1.5e-6;
		if (+reqs !== g.n || +resps !== g.n || +fails !== g.failed || !near(+min, Math.min(...g.t)) ||
		    !near(+max, Math.max(...g.t)) || !near(+avg, mean))
			bad.push(`${op} ${key.slice(0, 50)}: ${reqs}/${resps}/${fails} ${min} ${max} ${avg} != ${g.n}/${g.n}/${g.failed} ` +
				`${Math.min(...g.t).toFixed(6)} ${Math.max(...g.t).toFixed(6)} ${mean.toFixed(6)}`);
	}
	ok(bad.length === 0 && seen === groups.size, `${row.name}: ${seen} statements' requests, failures and response times as the bytes say (${groups.size})`,
		bad.slice(0, 5).join('\n'));
}

function checkUnanswered(row) {
	// -q -z unanswered,cql: one row per request never answered
	const want = oracle(row.capture).unanswered.map(w =>
		`${String(w.frame).padStart(8)} ${('0x' + (w.id & 0xffff).toString(16)).padStart(18)} ${String(w.tcpStream).padStart(8)}  CQL CQL V${w.version} ${w.opcode}`);
	const got = goldenLines(row.expected).filter(l => /^ +\d+ +0x/.test(l));
	const total = goldenLines(row.expected).find(l => /^Unanswered requests: /.test(l));
	ok(JSON.stringify(got) === JSON.stringify(want) && total === `Unanswered requests: ${want.length}`,
		`${row.name}: the ${want.length} requests no response answered`, `got:\n${got.join('\n')}\nwant:\n${want.join('\n')}`);
}

for (const row of rows) {
	if (!fs.existsSync(path.join(captureDir, row.capture))) { skip(`${row.name}: no capture`); continue; }
	if (!row.opts) checkSummary(row);
	else if (/-T fields .*cql\.segment/.test(row.opts)) checkSegments(row);
	else if (/(^| )-V( |$)/.test(row.opts)) checkTree(row);
	else if (/srt,cql,cql\.query/.test(row.opts)) checkSrt(row);
	else if (/unanswered,cql/.test(row.opts)) checkUnanswered(row);
	else ok(false, `${row.name}: no check for options ${row.opts}`);
}
done();
