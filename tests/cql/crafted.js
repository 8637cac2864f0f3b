#!/usr/bin/env node
// tests/cql/crafted.js - CQL where the lab's captures cannot show it:
//   any port: the real Cassandra capture cql-v3.pcap with the server's
//     port 9042 rewritten to 7777 must decode to the same messages (CQL is
//     found by content, never by port);
//   bodies that cannot be decompressed: a v4 connection that agreed on lz4
//     sends a QUERY whose lz4 block copies from before its start and gets
//     a RESULT claiming 200 MiB uncompressed; both must say "not decoded"
//     with the reason and still be matched (Request In); a snappy
//     connection likewise.
// Frames from the spec (the lab's cqlwire.js), written here as a pcap.
// Prints TAP.
//
// usage: node crafted.js TAPLINE CAPTURE_DIR TMPDIR COMPRESSOR
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const wire = require('../lab/cql/cqlwire.js');

const [tapline, captures, tmp, compressor] = process.argv.slice(2);
wire.setCompressor(compressor);
const { ok, done } = require('../lab/cql/tap.js');
const decode = (file, ...args) => execFileSync(tapline, ['decode', ...args, file], { maxBuffer: 1 << 28 }).toString();

// ---- any port ----
// Classic pcap, Ethernet, IPv4: the TCP ports of every packet.
function rewritePort(from, to, input, output) {
	const b = Buffer.from(fs.readFileSync(input));
	if (b.readUInt32LE(0) !== 0xa1b2c3d4 || b.readUInt32LE(20) !== 1) throw new Error('not a little-endian Ethernet pcap');
	for (let o = 24; o + 16 <= b.length;) {
		const caplen = b.readUInt32LE(o + 8);
		const pkt = o + 16;
		if (b.readUInt16BE(pkt + 12) === 0x0800 && b[pkt + 14 + 9] === 6) {
			const tcp = pkt + 14 + (b[pkt + 14] & 15) * 4;
			for (const at of [tcp, tcp + 2])
				if (b.readUInt16BE(at) === from) b.writeUInt16BE(to, at);
		}
		o = pkt + caplen;
	}
	fs.writeFileSync(output, b);
}
const original = path.join(captures, 'cql-v3.pcap');
const moved = path.join(tmp, 'cql-v3-port7777.pcap');
rewritePort(9042, 7777, original, moved);
const before = decode(original).split('\n').filter(l => / CQL /.test(l));
const after = decode(moved).split('\n').filter(l => / CQL /.test(l));
ok(before.length === 128 && JSON.stringify(after) === JSON.stringify(before.map(l => l.replace(/:9042\b/g, ':7777'))),
	`cql-v3.pcap on port 7777: the same ${before.length} CQL messages as on 9042`,
	`${after.length} messages; first difference: ${after.find((l, i) => l !== (before[i] || '').replace(/:9042\b/g, ':7777'))}`);

// ---- bodies that cannot be decompressed ----
function pcap(packets) {
	const out = [];
	const head = Buffer.alloc(24);
	head.writeUInt32LE(0xa1b2c3d4, 0); head.writeUInt16LE(2, 4); head.writeUInt16LE(4, 6);
	head.writeUInt32LE(65535, 16); head.writeUInt32LE(101, 20);	/* raw IPv4 */
	out.push(head);
	packets.forEach((p, i) => {
		const ip = Buffer.alloc(20), tcp = Buffer.alloc(20);
		ip[0] = 0x45; ip.writeUInt16BE(40 + p.payload.length, 2); ip[8] = 64; ip[9] = 6;
		Buffer.from(p.src).copy(ip, 12); Buffer.from(p.dst).copy(ip, 16);
		tcp.writeUInt16BE(p.sport, 0); tcp.writeUInt16BE(p.dport, 2);
		tcp.writeUInt32BE(p.seq >>> 0, 4); tcp.writeUInt32BE(p.ack >>> 0, 8);
		tcp[12] = 5 << 4; tcp[13] = p.flags; tcp.writeUInt16BE(65535, 14);
		const rec = Buffer.alloc(16);
		rec.writeUInt32LE(1000 + i, 0);
		rec.writeUInt32LE(40 + p.payload.length, 8); rec.writeUInt32LE(40 + p.payload.length, 12);
		out.push(rec, ip, tcp, p.payload);
	});
	return Buffer.concat(out);
}
// One connection: the handshake, then each [fromClient, bytes] in turn.
function connection(port, messages) {
	const cli = [10, 0, 0, 1], srv = [10, 0, 0, 2], cport = 40000;
	let cs = 1000, ss = 5000;
	const pk = [
		{ src: cli, dst: srv, sport: cport, dport: port, seq: cs - 1, ack: 0, flags: 0x02, payload: Buffer.alloc(0) },
		{ src: srv, dst: cli, sport: port, dport: cport, seq: ss - 1, ack: cs, flags: 0x12, payload: Buffer.alloc(0) },
	];
	for (const [fromClient, payload] of messages) {
		if (fromClient) { pk.push({ src: cli, dst: srv, sport: cport, dport: port, seq: cs, ack: ss, flags: 0x18, payload }); cs += payload.length; }
		else { pk.push({ src: srv, dst: cli, sport: port, dport: cport, seq: ss, ack: cs, flags: 0x18, payload }); ss += payload.length; }
	}
	return pcap(pk);
}
const V = 4, RESP = 0x80 | V, OP = wire.OPCODES;
for (const algo of ['lz4', 'snappy']) {
	const startup = wire.frame(V, 0, 1, OP.STARTUP, wire.stringMap({ CQL_VERSION: '3.0.0', COMPRESSION: algo }));
	const ready = wire.frame(RESP, 0, 1, OP.READY, Buffer.alloc(0));
	// a QUERY whose compressed block copies from before its start: lz4, 40
	// bytes promised, a sequence of no literal and a match at offset 65535;
	// snappy, 40 bytes promised, a copy with a 1-byte offset of 255
	const packed = algo === 'lz4' ? Buffer.concat([wire.be32(40), Buffer.from([0x0f, 0xff, 0xff])]) :
		Buffer.from([40, 0x01 | (7 << 2), 0xff]);
	// (checked here: the compressor refuses it too)
	let refused = false;
	try {
		execFileSync(compressor, [algo, '-d'], { input: packed, stdio: ['pipe', 'pipe', 'ignore'] });
	} catch (e) {
		refused = true;
	}
	ok(refused, `${algo}: Debian's lib${algo} refuses the block too`);
	const query = wire.frame(V, 0x01, 2, OP.QUERY, packed);
	// a RESULT that claims 200 MiB once decompressed
	const bomb = algo === 'lz4' ?
		Buffer.concat([wire.be32(200 << 20), Buffer.from([0x1f, 0x00, 0x01, 0x00])]) :
		Buffer.from([0x80, 0x80, 0x80, 0x64, 0x00, 0x00]);	/* varint 200 MiB, then nothing */
	const result = wire.frame(RESP, 0x01, 2, OP.RESULT, bomb);
	const file = path.join(tmp, `cql-${algo}-undecompressible.pcap`);
	fs.writeFileSync(file, connection(7777, [[1, startup], [0, ready], [1, query], [0, result]]));
	const lines = decode(file).split('\n').filter(Boolean);
	const q = lines.find(l => / v4 QUERY stream=2/.test(l)) || '', r = lines.find(l => / v4 RESULT stream=2/.test(l)) || '';
	ok(/\[Not decoded: compressed body does not decompress\]$/.test(q),
		`${algo}: the damaged QUERY is not decoded, and says why`, q);
	ok(/\(Request In 5\)/.test(r) && /\[Not decoded: (decompressed body larger than kept \(max_record\)|compressed body does not decompress)\]$/.test(r),
		`${algo}: the RESULT claiming 200 MiB is matched to its request and not decoded`, r);
	const json = decode(file, '-T', 'json').split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l));
	const compression = json.map(m => (m.fields || []).find(f => f.name === 'cql.compression')).filter(Boolean);
	ok(compression.length === 2 && compression.every(f => f.value === (algo === 'lz4' ? 1 : 2)),
		`${algo}: both say how they came compressed (cql.compression)`, JSON.stringify(compression));
}
done();
