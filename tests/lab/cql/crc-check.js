#!/usr/bin/env node
// tests/lab/cql/crc-check.js - checks the spec-built v5 segment checksums
// of cqlwire.js (used by the generator) against independent ones: zlib's
// CRC32 as node ships it, and the vectors the Apache gocql driver publishes
// in its crc_test.go, made with Cassandra's own CRC24/CRC32 code.  The
// DataStax Node.js driver 4.10 has no protocol v5 and so no CRC code of its
// own to compare with.  Prints TAP.
'use strict';
const zlib = require('zlib');
const w = require('./cqlwire.js');
let n = 0, failed = 0;
function is(got, want, what) {
	n++;
	const good = got === want;
	console.log(`${good ? 'ok' : 'not ok'} ${n} - ${what}`);
	if (!good) { failed++; console.log(`#   got ${got}, want ${want}`); }
}
// gocql crc_test.go: ChecksumIEEE (CRC32 primed with FA 2D 55 CA) and
// KoopmanChecksum (CRC24) expected values.
const CRC32_VECTORS = [[[], 1148681939], [[0, 0, 0, 0, 0], 1178391023], [[1, 2, 3, 4, 5, 6], 3536190002]];
const CRC24_VECTORS = [[[0, 0, 0], 8251255], [[0, 0, 0, 0, 0], 11185162],
	[[64, 226, 1], 5891942], [[64, 226, 1, 0, 0], 8775784]];
for (const [b, want] of CRC32_VECTORS)
	is(w.crc32(Buffer.from(b)), want, `crc32 of [${b}] is the published ${want}`);
for (const [b, want] of CRC24_VECTORS)
	is(w.crc24(Buffer.from(b)), want, `crc24 of [${b}] is the published ${want}`);
if (typeof zlib.crc32 === 'function') {
	// zlib continues a CRC from a previous value: prime, then the payload.
	const primed = zlib.crc32(w.CRC32_PRIMER);
	for (let len = 0; len < 300; len += 37) {
		const b = Buffer.alloc(len);
		for (let i = 0; i < len; i++) b[i] = (i * 131 + len) & 0xff;
		is(w.crc32(b), zlib.crc32(b, primed), `crc32 of ${len} bytes agrees with zlib`);
	}
} else {
	n++; console.log(`ok ${n} # SKIP node ${process.version} has no zlib.crc32`);
}
// A segment header as the spec lays it out: 50 bytes, self-contained.
const seg = w.segment(Buffer.alloc(50, 0x62), true);
is(seg.subarray(0, 3).toString('hex'), '320002', 'header word: length 50, self-contained bit 17');
is(seg.readUIntLE(3, 3), w.crc24(seg.subarray(0, 3)), 'header CRC24 follows the 3 bytes');
is(seg.readUInt32LE(seg.length - 4), w.crc32(Buffer.alloc(50, 0x62)), 'payload CRC32 trails the payload');
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
