// tests/lab/cql/cqlwire.js - CQL native protocol bytes built from the specs
// (native_protocol_v1..v5.spec): notations, frame (envelope) headers, type
// serialisation, v5 segments with their CRC24 header and CRC32 payload
// checks.  Used by the raw-socket client (compressed frames to a real
// Cassandra) and by the v4/v5 generator.  Nothing here decodes for tapline:
// it writes what the specs say, so that tapline's decoder can be checked
// against it.
'use strict';

const { execFileSync } = require('child_process');

const OPCODES = {
	ERROR: 0x00, STARTUP: 0x01, READY: 0x02, AUTHENTICATE: 0x03, CREDENTIALS: 0x04,
	OPTIONS: 0x05, SUPPORTED: 0x06, QUERY: 0x07, RESULT: 0x08, PREPARE: 0x09,
	EXECUTE: 0x0A, REGISTER: 0x0B, EVENT: 0x0C, BATCH: 0x0D, AUTH_CHALLENGE: 0x0E,
	AUTH_RESPONSE: 0x0F, AUTH_SUCCESS: 0x10,
};
const CONSISTENCY = {
	ANY: 0, ONE: 1, TWO: 2, THREE: 3, QUORUM: 4, ALL: 5, LOCAL_QUORUM: 6,
	EACH_QUORUM: 7, SERIAL: 8, LOCAL_SERIAL: 9, LOCAL_ONE: 10,
};
const TYPES = {
	custom: 0x00, ascii: 0x01, bigint: 0x02, blob: 0x03, boolean: 0x04, counter: 0x05,
	decimal: 0x06, double: 0x07, float: 0x08, int: 0x09, timestamp: 0x0B, uuid: 0x0C,
	varchar: 0x0D, varint: 0x0E, timeuuid: 0x0F, inet: 0x10, date: 0x11, time: 0x12,
	smallint: 0x13, tinyint: 0x14, duration: 0x15, list: 0x20, map: 0x21, set: 0x22,
	udt: 0x30, tuple: 0x31,
};

// --- notations (section 3) ---
const u8 = n => Buffer.from([n & 0xff]);
function be16(n) { const b = Buffer.alloc(2); b.writeUInt16BE(n & 0xffff); return b; }
function be32(n) { const b = Buffer.alloc(4); b.writeInt32BE(n | 0); return b; }
function be64(n) { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; }
function string(s) { const b = Buffer.from(s, 'utf8'); return Buffer.concat([be16(b.length), b]); }
function longString(s) { const b = Buffer.from(s, 'utf8'); return Buffer.concat([be32(b.length), b]); }
function bytes(b) { return b === null ? be32(-1) : Buffer.concat([be32(b.length), b]); }
function shortBytes(b) { return Buffer.concat([be16(b.length), b]); }
function stringList(list) { return Buffer.concat([be16(list.length), ...list.map(string)]); }
function stringMap(map) {
	const e = Object.entries(map);
	return Buffer.concat([be16(e.length), ...e.flatMap(([k, v]) => [string(k), string(v)])]);
}
function stringMultimap(map) {
	const e = Object.entries(map);
	return Buffer.concat([be16(e.length), ...e.flatMap(([k, v]) => [string(k), stringList(v)])]);
}
function bytesMap(map) {
	const e = Object.entries(map);
	return Buffer.concat([be16(e.length), ...e.flatMap(([k, v]) => [string(k), bytes(v)])]);
}
function inet(addr, port) {
	const a = ipBytes(addr);
	return Buffer.concat([u8(a.length), a, be32(port)]);
}
function inetaddr(addr) { const a = ipBytes(addr); return Buffer.concat([u8(a.length), a]); }
function ipBytes(addr) {
	if (addr.includes(':')) {
		const [head, tail] = addr.split('::');
		const h = head ? head.split(':') : [];
		const t = tail !== undefined && tail ? tail.split(':') : [];
		const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
		return Buffer.concat(groups.map(g => be16(parseInt(g, 16))));
	}
	return Buffer.from(addr.split('.').map(Number));
}
// [unsigned vint] and zig-zag [vint] (v5 section 3).
function uvint(v) {
	v = BigInt(v);
	if (v < 0x80n) return Buffer.from([Number(v)]);
	let extra = 1;
	while (extra < 8 && v >= (1n << BigInt(7 * (extra + 1)))) extra++;
	const out = Buffer.alloc(extra + 1);
	let x = v;
	for (let i = extra; i >= 1; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
	const prefix = (0xff << (8 - extra)) & 0xff;
	out[0] = extra === 8 ? 0xff : prefix | Number(x);
	return out;
}
function vint(v) {
	v = BigInt(v);
	return uvint(v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
}

// --- type options (Rows metadata) ---
// t: 'int' | { list: t } | { map: [k, v] } | { set: t } | { tuple: [..] } |
//    { udt: { ks, name, fields: [[name, t], ...] } } | { custom: 'class' }
function typeOption(t) {
	if (typeof t === 'string') return be16(TYPES[t]);
	if (t.custom !== undefined) return Buffer.concat([be16(0), string(t.custom)]);
	if (t.list) return Buffer.concat([be16(TYPES.list), typeOption(t.list)]);
	if (t.set) return Buffer.concat([be16(TYPES.set), typeOption(t.set)]);
	if (t.map) return Buffer.concat([be16(TYPES.map), typeOption(t.map[0]), typeOption(t.map[1])]);
	if (t.tuple) return Buffer.concat([be16(TYPES.tuple), be16(t.tuple.length), ...t.tuple.map(typeOption)]);
	if (t.udt) return Buffer.concat([be16(TYPES.udt), string(t.udt.ks), string(t.udt.name),
		be16(t.udt.fields.length), ...t.udt.fields.flatMap(([n, ft]) => [string(n), typeOption(ft)])]);
	throw new Error('unknown type ' + JSON.stringify(t));
}

// --- values (section "Data Type Serialization Formats"), v3+ collections ---
function varintBytes(v) {
	v = BigInt(v);
	const out = [];
	for (;;) {
		out.unshift(Number(v & 0xffn));
		const rest = v >> 8n;
		const sign = (out[0] & 0x80) !== 0;
		if ((rest === 0n && !sign) || (rest === -1n && sign)) break;
		v = rest;
	}
	return Buffer.from(out);
}
function serialize(t, v, protocol = 4) {
	if (v === null) return null;
	const collLen = n => (protocol >= 3 ? be32(n) : be16(n));
	const elem = b => (protocol >= 3 ? bytes(b) : shortBytes(b));
	if (typeof t === 'string') {
		switch (t) {
		case 'ascii': case 'varchar': return Buffer.from(v, 'utf8');
		case 'bigint': case 'counter': case 'timestamp': case 'time': return be64(v);
		case 'blob': return Buffer.from(v, 'hex');
		case 'boolean': return u8(v ? 1 : 0);
		case 'int': return be32(v);
		case 'smallint': return be16(v);
		case 'tinyint': return u8(v);
		case 'date': { const b = Buffer.alloc(4); b.writeUInt32BE(((v + 2 ** 31) >>> 0)); return b; }
		case 'double': { const b = Buffer.alloc(8); b.writeDoubleBE(v); return b; }
		case 'float': { const b = Buffer.alloc(4); b.writeFloatBE(v); return b; }
		case 'uuid': case 'timeuuid': return Buffer.from(v.replace(/-/g, ''), 'hex');
		case 'inet': return ipBytes(v);
		case 'varint': return varintBytes(v);
		case 'decimal': return Buffer.concat([be32(v.scale), varintBytes(v.unscaled)]);
		case 'duration': return Buffer.concat([vint(v.months), vint(v.days), vint(v.nanos)]);
		}
		throw new Error('no serializer for ' + t);
	}
	if (t.custom !== undefined) return Buffer.from(v, 'hex');
	if (t.list || t.set) {
		const et = t.list || t.set;
		return Buffer.concat([collLen(v.length), ...v.map(x => elem(serialize(et, x, protocol)))]);
	}
	if (t.map) return Buffer.concat([collLen(v.length),
		...v.flatMap(([k, x]) => [elem(serialize(t.map[0], k, protocol)), elem(serialize(t.map[1], x, protocol))])]);
	if (t.tuple) return Buffer.concat(t.tuple.map((et, i) => bytes(serialize(et, v[i], protocol))));
	if (t.udt) return Buffer.concat(t.udt.fields.map(([n, ft]) => bytes(serialize(ft, v[n] === undefined ? null : v[n], protocol))));
	throw new Error('no serializer for ' + JSON.stringify(t));
}

// --- frame (envelope) header ---
function headerLength(version) { return (version & 0x7f) <= 2 ? 8 : 9; }
function frame(version, flags, stream, opcode, body) {
	const h = Buffer.alloc(headerLength(version));
	h[0] = version; h[1] = flags;
	let o = 2;
	if ((version & 0x7f) <= 2) h.writeInt8(stream, o++);
	else { h.writeInt16BE(stream, o); o += 2; }
	h[o++] = opcode;
	h.writeUInt32BE(body.length, o);
	return Buffer.concat([h, body]);
}
// Splits complete frames off buf for `version`; returns { frames, rest }.
function parseFrames(buf, version) {
	const frames = [];
	const hl = headerLength(version);
	while (buf.length >= hl) {
		const len = buf.readUInt32BE(hl - 4);
		if (buf.length < hl + len) break;
		const f = { version: buf[0], flags: buf[1], opcode: buf[hl - 5], body: buf.subarray(hl, hl + len) };
		f.stream = hl === 8 ? buf.readInt8(2) : buf.readInt16BE(2);
		frames.push(f);
		buf = buf.subarray(hl + len);
	}
	return { frames, rest: buf };
}

// --- compression through cql-compress (Debian liblz4 / libsnappy) ---
let compressor = process.env.CQL_COMPRESS || 'cql-compress';
function setCompressor(path) { compressor = path; }
function compress(algo, body) { return execFileSync(compressor, [algo], { input: body }); }
function decompress(algo, body) { return execFileSync(compressor, [algo, '-d'], { input: body }); }

// --- v5 segments (native_protocol_v5.spec section 2) ---
// CRC24 over the header bytes as written (little-endian), bit by bit:
// initial value 0x875060, polynomial 0x1974F0B.
function crc24(buf) {
	let crc = 0x875060;
	for (const byte of buf) {
		crc ^= byte << 16;
		for (let i = 0; i < 8; i++) {
			crc <<= 1;
			if (crc & 0x1000000) crc ^= 0x1974F0B;
		}
	}
	return crc & 0xffffff;
}
// CRC32 (IEEE, reflected, as zlib) primed with the bytes FA 2D 55 CA.
const CRC32_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();
function crc32Update(crc, buf) {
	crc = ~crc >>> 0;
	for (const byte of buf) crc = CRC32_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return ~crc >>> 0;
}
const CRC32_PRIMER = Buffer.from([0xfa, 0x2d, 0x55, 0xca]);
function crc32(buf) { return crc32Update(crc32Update(0, CRC32_PRIMER), buf); }

const SEGMENT_MAX_PAYLOAD = 128 * 1024 - 1;
// segment(payload, selfContained, { corruptHeader, corruptPayload }):
// an uncompressed segment.
function segment(payload, selfContained, damage = {}) {
	if (payload.length > SEGMENT_MAX_PAYLOAD) throw new Error('segment payload too long');
	const word = payload.length | (selfContained ? 1 << 17 : 0);
	const h = Buffer.from([word & 0xff, (word >> 8) & 0xff, (word >> 16) & 0xff]);
	let c = crc24(h);
	if (damage.corruptHeader) c ^= 0x000100;
	let p = crc32(payload);
	if (damage.corruptPayload) p = (p ^ 0x01000000) >>> 0;
	const tail = Buffer.alloc(4); tail.writeUInt32LE(p);
	return Buffer.concat([h, Buffer.from([c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff]), payload, tail]);
}
// An lz4 segment: 5 header bytes (17-bit compressed length, 17-bit
// uncompressed length, self-contained bit), CRC24 over them, the LZ4 block,
// CRC32 of the compressed bytes.  uncompressed length 0: payload as is.
function lz4Segment(payload, selfContained, { storeRaw = false } = {}) {
	let body = payload;
	let ulen = 0;
	if (!storeRaw) {
		body = compress('lz4', payload).subarray(4);	// drop the v4 length prefix
		ulen = payload.length;
	}
	const word = BigInt(body.length) | (BigInt(ulen) << 17n) | (selfContained ? 1n << 34n : 0n);
	const h = Buffer.alloc(5);
	for (let i = 0; i < 5; i++) h[i] = Number((word >> BigInt(8 * i)) & 0xffn);
	const c = crc24(h);
	const tail = Buffer.alloc(4); tail.writeUInt32LE(crc32(body));
	return Buffer.concat([h, Buffer.from([c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff]), body, tail]);
}
// Envelopes into segments: self-contained ones hold whole envelopes; an
// envelope larger than one segment goes into a run of non-self-contained.
function segmentsFor(envelopes, make = segment) {
	const out = [];
	let pending = [];
	let pendingLen = 0;
	const flush = () => {
		if (pending.length) out.push(make(Buffer.concat(pending), true));
		pending = []; pendingLen = 0;
	};
	for (const e of envelopes) {
		if (e.length > SEGMENT_MAX_PAYLOAD) {
			flush();
			for (let o = 0; o < e.length; o += SEGMENT_MAX_PAYLOAD)
				out.push(make(e.subarray(o, o + SEGMENT_MAX_PAYLOAD), false));
			continue;
		}
		if (pendingLen + e.length > SEGMENT_MAX_PAYLOAD) flush();
		pending.push(e); pendingLen += e.length;
	}
	flush();
	return out;
}

module.exports = {
	OPCODES, CONSISTENCY, TYPES, u8, be16, be32, be64, string, longString, bytes, shortBytes,
	stringList, stringMap, stringMultimap, bytesMap, inet, inetaddr, ipBytes, uvint, vint,
	typeOption, serialize, varintBytes, headerLength, frame, parseFrames, setCompressor,
	compress, decompress, crc24, crc32, crc32Update, CRC32_PRIMER, segment, lz4Segment,
	segmentsFor, SEGMENT_MAX_PAYLOAD,
};
