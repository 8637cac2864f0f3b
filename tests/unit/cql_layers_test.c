/* cql_layers_test.c - the CQL layers that need no message: notations,
 * frame headers and detection, v5 segments and CRCs, bounded lz4/snappy
 * decompression, types and cells.  Bytes are built from the specs or taken
 * from the lab's captures (tests/captures/cql); expected values come from
 * the specs' examples, the DataStax driver's logs (the values it wrote and
 * read back) and the CRC vectors published with the Apache gocql driver. */
#include <lz4.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "proto/cql/compress.h"
#include "proto/cql/frame.h"
#include "proto/cql/notation.h"
#include "proto/cql/segment.h"
#include "proto/cql/types.h"
#include "tap.h"

/* cql-lz4-v3.pcap frame 32: the RESULT of 'SELECT k, body FROM
 * tapline_lz4_v3.docs' as Cassandra 2.1 (lz4-java) compressed it. */
static const char LZ4_BODY_HEX[] =
	"000018888100000002000000010800f1130e7461706c696e655f6c7a345f7633"
	"0004646f637300016b00090004626f6479000d27003200000433002318383100"
	"f00320636f6d70726573736564206672616d65202f002f3b201f00ffffffffff"
	"ffffffffffffffffffffffffffffffffffffff1e034418a0020000000573686f"
	"7274";
/* cql-snappy-v2.pcap frame 30: the same query's RESULT (snappy-java). */
static const char SNAPPY_BODY_HEX[] =
	"8b311c0000000200000001050890117461706c696e655f736e617070795f7632"
	"0004646f637300016b00090004626f6479000d052a0800000409360418380d34"
	"4420636f6d70726573736564206672616d6520012f043b20fe1f00fe1f00fe1f"
	"00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe"
	"1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00"
	"fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f"
	"00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe"
	"1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00"
	"fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f"
	"00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe"
	"1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00"
	"fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00fe1f00621f001a44182402"
	"0000000573686f7274";

/* Hex text (whitespace ignored) into buf; returns the byte count. */
static size_t unhex(const char *s, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9') v = *s - '0';
		else if (*s >= 'a' && *s <= 'f') v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F') v = *s - 'A' + 10;
		else continue;
		if (hi < 0) { hi = v; continue; }
		if (n < cap) buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return n;
}

static void test_notations(void)
{
	uint8_t b[256];
	size_t n = unhex("0003 616263  00000002 6869  ffffffff  fffffffe  00000000"
			 "0001 7a", b, sizeof b);
	struct cursor c = cursor_init(b, n);
	struct cql_span s = cql_string(&c);
	ok(s.len == 3 && !memcmp(s.ptr, "abc", 3), "[string]");
	s = cql_long_string(&c);
	ok(s.len == 2 && !memcmp(s.ptr, "hi", 2), "[long string]");
	s = cql_bytes(&c);
	ok(s.len == -1 && !s.ptr, "[bytes] null");
	s = cql_value(&c);
	ok(s.len == -2 && !s.ptr && cursor_ok(&c), "[value] not set (-2)");
	s = cql_bytes(&c);
	ok(s.len == 0 && cursor_ok(&c), "[bytes] empty");
	s = cql_short_bytes(&c);
	ok(s.len == 1 && s.ptr[0] == 'z' && !cursor_left(&c), "[short bytes]");

	n = unhex("fffffffd", b, sizeof b);
	c = cursor_init(b, n);
	cql_value(&c);
	ok(c.status & CURSOR_MALFORMED, "[value] below -2 is malformed");
	n = unhex("ffffffff", b, sizeof b);
	c = cursor_init(b, n);
	cql_long_string(&c);
	ok(c.status & CURSOR_MALFORMED, "negative [long string] is malformed");
	n = unhex("0005 6162", b, sizeof b);
	c = cursor_init(b, n);
	cql_string(&c);
	ok(c.status == CURSOR_TRUNCATED, "[string] past the end is truncated");

	/* [inet]: 127.0.0.2:9042 and [::1]:9042 (the v4 generator's events). */
	char text[128];
	struct cql_inet in;
	n = unhex("04 7f000002 00002352  10 00000000000000000000000000000001 00002352"
		  "10 20010db8000000000000ff0000428329  03 010203", b, sizeof b);
	c = cursor_init(b, n);
	ok(cql_inet(&c, &in, true), "[inet] v4 read");
	cql_inet_format(&in, text, sizeof text);
	is_str(text, "127.0.0.2:9042", "[inet] v4 text");
	ok(cql_inet(&c, &in, true), "[inet] v6 read");
	cql_inet_format(&in, text, sizeof text);
	is_str(text, "[::1]:9042", "[inet] v6 text");
	ok(cql_inet(&c, &in, false), "[inetaddr] read");
	cql_inet_format(&in, text, sizeof text);
	is_str(text, "2001:db8::ff00:42:8329", "RFC 5952 text: the longest zero run");
	ok(!cql_inet(&c, &in, false) && (c.status & CURSOR_MALFORMED), "[inetaddr] of 3 bytes is malformed");

	/* [unsigned vint]: the spec's example, 256000 = 110 00011 11101000 00000000. */
	n = unhex("c3e800  00  01  02  03  ff ffffffffffffffff  7f", b, sizeof b);
	c = cursor_init(b, n);
	is_int(cql_unsigned_vint(&c), 256000, "[unsigned vint] 256000 (the spec's example)");
	is_int(cql_vint(&c), 0, "[vint] 0");
	is_int(cql_vint(&c), -1, "[vint] zig-zag 1 = -1");
	is_int(cql_vint(&c), 1, "[vint] zig-zag 2 = 1");
	is_int(cql_vint(&c), -2, "[vint] zig-zag 3 = -2");
	ok(cql_unsigned_vint(&c) == UINT64_MAX, "[unsigned vint] 9 bytes: the whole 64 bits");
	is_int(cql_unsigned_vint(&c), 127, "[unsigned vint] one byte");
	n = unhex("e0 01", b, sizeof b);
	c = cursor_init(b, n);
	cql_unsigned_vint(&c);
	ok(c.status == CURSOR_TRUNCATED, "[unsigned vint] cut short is truncated");

	is_str(cql_consistency_name(6), "LOCAL_QUORUM", "consistency 6");
	is_str(cql_consistency_name(10), "LOCAL_ONE", "consistency 10");
	ok(cql_consistency_name(11) == NULL, "consistency 11 has no name");

	static const uint8_t odd[] = { 't', 0xc3, 0xab, 'x', 0xff, 0x01, 0xe2, 0x9c, 0x93 };
	cql_text(odd, sizeof odd, text, sizeof text);
	is_str(text, "t\xc3\xabx\\xff\\x01\xe2\x9c\x93", "text: UTF-8 kept, invalid and control bytes escaped");
	cql_text((const uint8_t *)"abcdef", 6, text, 4);
	is_str(text, "abc", "text: bounded by the buffer");
}

static void test_headers(void)
{
	struct cql_frame_header h;
	const char *why;
	uint8_t b[32];
	/* cql-v3.pcap frame 4: the driver's probe, version byte 0x42. */
	size_t n = unhex("42 00 0000 01 0000008d", b, sizeof b);
	ok(cql_header_parse(b, n, true, &h, &why) == CQL_HEADER_OK, "0x42 probe detected");
	ok(h.version == 0x42 && !h.response && h.opcode == CQL_STARTUP && h.length == 0x8d &&
	   h.header_len == 9, "0x42 probe: STARTUP, 9-byte header");
	/* cql-v3.pcap frame 6: the answer at v3. */
	n = unhex("83 00 0000 00 0000008c", b, sizeof b);
	ok(cql_header_parse(b, n, true, &h, &why) == CQL_HEADER_OK && h.response &&
	   h.version == 3 && h.opcode == CQL_ERROR && h.stream == 0, "v3 ERROR response");
	/* cql-v1.pcap frame 4/6: v1 STARTUP and READY (8-byte headers). */
	n = unhex("01 00 00 01 0000008d", b, sizeof b);
	ok(cql_header_parse(b, n, true, &h, &why) == CQL_HEADER_OK && h.header_len == 8 &&
	   h.version == 1 && h.opcode == CQL_STARTUP && h.length == 0x8d, "v1 STARTUP, 8-byte header");
	n = unhex("81 00 ff 0c 00000010", b, sizeof b);
	ok(cql_header_parse(b, n, true, &h, &why) == CQL_HEADER_OK && h.stream == -1 &&
	   h.opcode == CQL_EVENT, "v1 EVENT on stream -1 (signed byte)");
	/* cql-lz4-v1.pcap frame 9: READY compressed (5 bytes of lz4). */
	n = unhex("81 01 02 02 00000005", b, sizeof b);
	ok(cql_header_parse(b, n, true, &h, &why) == CQL_HEADER_OK && (h.flags & CQL_FLAG_COMPRESSION),
	   "v1 compressed READY with a body");
	n = unhex("05 00 0000 05 00000000", b, sizeof b);
	ok(cql_header_parse(b, n, true, &h, &why) == CQL_HEADER_OK && h.version == 5 &&
	   h.opcode == CQL_OPTIONS, "v5 OPTIONS (unframed handshake)");
	n = unhex("84 0a 000c 08 00000010", b, sizeof b);
	ok(cql_header_parse(b, n, true, &h, &why) == CQL_HEADER_OK, "v4 tracing+warning flags");
	ok(cql_header_parse(b, 8, true, &h, &why) == CQL_HEADER_SHORT, "8 bytes of a 9-byte header: wait");

	static const struct { const char *hex; const char *what; } bad[] = {
		{ "06 00 0000 07 00000000", "version 6" },
		{ "16 03 0301 00 2d0100", "a TLS record" },
		{ "03 04 0000 07 00000010", "custom payload flag in v3" },
		{ "04 20 0000 07 00000010", "flag 0x20 in v4" },
		{ "04 00 0000 08 00000010", "RESULT as a request" },
		{ "84 00 0000 07 00000010", "QUERY as a response" },
		{ "02 00 00 04 00000010", "CREDENTIALS in v2" },
		{ "01 00 00 0d 00000010", "BATCH in v1" },
		{ "04 00 0000 07 10000001", "a body over 256 MiB" },
		{ "04 00 8000 07 00000010", "a request on stream -32768" },
		{ "84 00 0001 0c 00000010", "EVENT on stream 1" },
		{ "04 00 0001 05 00000004", "OPTIONS with a body" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = unhex(bad[i].hex, b, sizeof b);
		ok(cql_header_parse(b, n, true, &h, &why) == CQL_HEADER_NOT_CQL && why,
		   "not CQL: %s (%s)", bad[i].what, why ? why : "?");
	}
	n = unhex("04 20 0000 07 00000010", b, sizeof b);
	ok(cql_header_parse(b, n, false, &h, &why) == CQL_HEADER_OK,
	   "without strict, an odd flag keeps the framing");
	/* Every byte: the versions of the spec (v1, v2: 8-byte headers; v3
	 * to v5 and the DSE probes 0x41, 0x42: 9), with or without the
	 * response bit; nothing else. */
	unsigned wrong = 0;
	for (unsigned byte = 0; byte < 256; byte++) {
		unsigned v = byte & 0x7f, want = 0;
		if (v == 1 || v == 2)
			want = 8;
		else if (v == 3 || v == 4 || v == 5 || v == 0x41 || v == 0x42)
			want = 9;
		wrong += cql_header_length((uint8_t)byte) != want;
	}
	ok(wrong == 0, "header length of each of the 256 version bytes (%u wrong)", wrong);
	is_str(cql_opcode_name(CQL_AUTH_SUCCESS), "AUTH_SUCCESS", "opcode name");
	ok(cql_opcode_name(0x11) == NULL, "opcode 0x11 has no name");
}

static void test_segments(void)
{
	/* gocql's crc_test.go, made with Cassandra's own CRC code. */
	static const struct { const char *hex; uint32_t crc; } crc32v[] = {
		{ "", 1148681939u }, { "0000000000", 1178391023u }, { "010203040506", 3536190002u },
	};
	static const struct { const char *hex; uint32_t crc; } crc24v[] = {
		{ "000000", 8251255 }, { "0000000000", 11185162 },
		{ "40e201", 5891942 }, { "40e2010000", 8775784 },
	};
	uint8_t b[64];
	for (size_t i = 0; i < 3; i++) {
		size_t n = unhex(crc32v[i].hex, b, sizeof b);
		is_int(cql_crc32(b, n), crc32v[i].crc, "CRC32 of [%s]: the published value", crc32v[i].hex);
	}
	for (size_t i = 0; i < 4; i++) {
		size_t n = unhex(crc24v[i].hex, b, sizeof b);
		is_int(cql_crc24(b, n), crc24v[i].crc, "CRC24 of [%s]: the published value", crc24v[i].hex);
	}
	/* cql-v5-gen.pcap frames 10-11: a segment header split over two TCP
	 * segments: 127 bytes, self-contained. */
	struct cql_segment_header h;
	size_t n = unhex("7f0002 a6a69f", b, sizeof b);
	ok(cql_segment_header_parse(b, n, false, &h) == CQL_SEGMENT_OK, "v5 segment header, CRC24 right");
	ok(h.payload_length == 127 && h.self_contained && h.header_len == 6 &&
	   cql_segment_size(&h) == 137, "127 bytes, self-contained, 137 in all");
	b[3] ^= 1;
	ok(cql_segment_header_parse(b, n, false, &h) == CQL_SEGMENT_BAD_HEADER_CRC, "a flipped CRC bit is caught");
	ok(cql_segment_header_parse(b, 5, false, &h) == CQL_SEGMENT_SHORT, "5 bytes: wait");
	/* The largest payload, not self-contained. */
	uint8_t hdr[8] = { 0xff, 0xff, 0x01 };
	uint32_t crc = cql_crc24(hdr, 3);
	hdr[3] = (uint8_t)crc; hdr[4] = (uint8_t)(crc >> 8); hdr[5] = (uint8_t)(crc >> 16);
	ok(cql_segment_header_parse(hdr, 6, false, &h) == CQL_SEGMENT_OK &&
	   h.payload_length == CQL_SEGMENT_MAX_PAYLOAD && !h.self_contained, "131071 bytes, not self-contained");
	/* lz4 layout: compressed 100, uncompressed 300, self-contained. */
	uint64_t w = 100 | (uint64_t)300 << 17 | (uint64_t)1 << 34;
	for (int i = 0; i < 5; i++)
		hdr[i] = (uint8_t)(w >> (8 * i));
	crc = cql_crc24(hdr, 5);
	hdr[5] = (uint8_t)crc; hdr[6] = (uint8_t)(crc >> 8); hdr[7] = (uint8_t)(crc >> 16);
	ok(cql_segment_header_parse(hdr, 8, true, &h) == CQL_SEGMENT_OK && h.payload_length == 100 &&
	   h.uncompressed_length == 300 && h.self_contained && h.header_len == 8, "lz4 segment header");
	/* Payload CRC32, little-endian trailer. */
	static const uint8_t payload[] = { 1, 2, 3, 4, 5, 6 };
	uint8_t trailer[4] = { 0x32, 0xfa, 0xc5, 0xd2 };	/* 3536190002 */
	ok(cql_segment_payload_ok(payload, sizeof payload, trailer), "payload CRC32 right");
	trailer[0] ^= 0x80;
	ok(!cql_segment_payload_ok(payload, sizeof payload, trailer), "payload CRC32 wrong");
}

static void test_decompression(void)
{
	static uint8_t in[8192], out[1 << 20];
	size_t n = unhex(LZ4_BODY_HEX, in, sizeof in), got;
	uint64_t claimed;
	ok(cql_decompress_body(CQL_COMPRESSION_LZ4, in, n, out, sizeof out, &got, &claimed) ==
	   CQL_DECOMPRESS_OK, "Cassandra's lz4 body (%zu bytes)", n);
	/* The raw client's log: 6280 bytes, CRC32 2257647469, a Rows result
	 * with the 200-fold text. */
	is_int(got, 6280, "lz4: 6280 bytes as the client logged");
	is_int(crc32(0, out, (uInt)got), 2257647469u, "lz4: the bytes the client logged");
	ok(!memcmp(out, "\0\0\0\2", 4), "lz4: a Rows result");
	n = unhex(SNAPPY_BODY_HEX, in, sizeof in);
	ok(cql_decompress_body(CQL_COMPRESSION_SNAPPY, in, n, out, sizeof out, &got, &claimed) ==
	   CQL_DECOMPRESS_OK, "Cassandra's snappy body (%zu bytes)", n);
	is_int(got, 6283, "snappy: 6283 bytes as the client logged");
	is_int(crc32(0, out, (uInt)got), 2051834931u, "snappy: the bytes the client logged");
	/* cql-lz4-v1.pcap frame 9: READY's empty body, 5 bytes. */
	n = unhex("00000000 00", in, sizeof in);
	ok(cql_decompress_body(CQL_COMPRESSION_LZ4, in, n, out, sizeof out, &got, &claimed) ==
	   CQL_DECOMPRESS_OK && got == 0, "lz4: Cassandra's empty body");

	/* Bombs: sizes claimed beyond the buffer are refused before work. */
	n = unhex("ffffffff 1f00", in, sizeof in);
	ok(cql_decompress_body(CQL_COMPRESSION_LZ4, in, n, out, sizeof out, &got, &claimed) ==
	   CQL_DECOMPRESS_TOO_BIG && claimed == 0xffffffffu, "lz4 claiming 4 GiB: too big, nothing done");
	n = unhex("ffffffff0f 00", in, sizeof in);	/* snappy varint 2^32-1 */
	ok(cql_decompress_body(CQL_COMPRESSION_SNAPPY, in, n, out, sizeof out, &got, &claimed) ==
	   CQL_DECOMPRESS_TOO_BIG, "snappy claiming 4 GiB: too big");
	/* A real bomb: 1 MiB of zeros compresses to ~4 KiB. */
	static uint8_t zeros[1 << 20], packed[1 << 16];
	int plen = LZ4_compress_default((const char *)zeros, (char *)packed + 4, sizeof zeros,
					(int)sizeof packed - 4);
	packed[0] = 0; packed[1] = 0x10; packed[2] = 0; packed[3] = 0;
	ok(plen > 0 && plen < 8192, "1 MiB of zeros in %d bytes of lz4", plen);
	ok(cql_decompress_body(CQL_COMPRESSION_LZ4, packed, (size_t)plen + 4, out, 65536, &got,
			       &claimed) == CQL_DECOMPRESS_TOO_BIG, "... refused with a 64 KiB buffer");
	ok(cql_decompress_body(CQL_COMPRESSION_LZ4, packed, (size_t)plen + 4, out, sizeof out, &got,
			       &claimed) == CQL_DECOMPRESS_OK && got == sizeof zeros, "... fits 1 MiB");
	/* A body that lies about its length. */
	packed[1] = 0x0f;
	ok(cql_decompress_body(CQL_COMPRESSION_LZ4, packed, (size_t)plen + 4, out, sizeof out, &got,
			       &claimed) == CQL_DECOMPRESS_CORRUPT, "lz4 longer than it claims: corrupt");
	n = unhex(LZ4_BODY_HEX, in, sizeof in);
	ok(cql_decompress_body(CQL_COMPRESSION_LZ4, in, n - 10, out, sizeof out, &got, &claimed) ==
	   CQL_DECOMPRESS_CORRUPT, "lz4 cut short: corrupt");
	n = unhex(SNAPPY_BODY_HEX, in, sizeof in);
	in[40] ^= 0xff;
	ok(cql_decompress_body(CQL_COMPRESSION_SNAPPY, in, n, out, sizeof out, &got, &claimed) !=
	   CQL_DECOMPRESS_OK || got == 6283, "snappy with a flipped byte: refused or bounded");
	ok(cql_compression_from_name((const uint8_t *)"LZ4", 3) == CQL_COMPRESSION_LZ4 &&
	   cql_compression_from_name((const uint8_t *)"snappy", 6) == CQL_COMPRESSION_SNAPPY &&
	   cql_compression_from_name((const uint8_t *)"zstd", 4) == CQL_COMPRESSION_NONE,
	   "COMPRESSION option names");
}

/* Formats hex cell bytes with the type spec in spec_hex. */
static const char *cell(const char *spec_hex, const char *value_hex, unsigned version,
			const char **why)
{
	static struct cql_type_tree t;
	static char text[512];
	uint8_t spec[256], v[256];
	size_t sn = unhex(spec_hex, spec, sizeof spec);
	size_t vn = unhex(value_hex, v, sizeof v);
	struct cursor c = cursor_init(spec, sn);
	cql_type_tree_reset(&t);
	uint16_t root = cql_type_parse(&c, &t);
	if (root == CQL_TYPE_NONE)
		return "(type not parsed)";
	cql_format_cell(&t, root, v, strcmp(value_hex, "null") ? (int32_t)vn : -1, version,
			text, sizeof text, why);
	return text;
}

static void test_types(void)
{
	const char *why;
	/* Expected text: the values the DataStax driver wrote and read back
	 * (cql-v3.client.log) and the generator's (gen.js ROW1/ROW2), the
	 * specs' examples; cell bytes as the spec lays them out (those of
	 * double, timestamp, time and duration serialised by cqlwire.js). */
	static const struct { const char *spec, *value, *want, *what; } cells[] = {
		{ "0001", "6173636969", "ascii", "ascii" },
		{ "0002", "8000000000000000", "-9223372036854775808", "bigint min" },
		{ "0003", "00ff10", "0x00ff10", "blob" },
		{ "0004", "00", "false", "boolean false" },
		{ "0004", "01", "true", "boolean true" },
		{ "0005", "000000000000000c", "12", "counter" },
		{ "0006", "00000004 ed2979", "-123.4567", "decimal (scale 4, unscaled -1234567)" },
		{ "0006", "00000000 00", "0", "decimal 0" },
		{ "0006", "fffffffd 0c", "12000", "decimal negative scale" },
		{ "0006", "00000005 7b", "0.00123", "decimal below 1" },
		{ "0007", "fe41eb2d66005835", "-1.5e+300", "double" },
		/* Whole but outside int64_t: printed as a double (Python's
		 * repr(2.0**65) and repr(-2.0**63)), never cast. */
		{ "0007", "4400000000000000", "3.6893488147419103e+19", "double 2^65" },
		{ "0007", "c3e0000000000000", "-9.223372036854776e+18", "double -2^63" },
		{ "0008", "40600000", "3.5", "float" },
		{ "0008", "be800000", "-0.25", "float negative" },
		{ "0008", "7fc00000", "NaN", "float NaN" },
		{ "0009", "80000000", "-2147483648", "int min" },
		{ "000b", "0000018df4dc5495", "2024-02-29T12:34:56.789Z", "timestamp (the driver's value)" },
		{ "000b", "fffffffffffffc18", "1969-12-31T23:59:59.000Z", "timestamp -1000 ms" },
		{ "000c", "0123456789abcdef0123456789abcdef", "01234567-89ab-cdef-0123-456789abcdef", "uuid in wire order" },
		{ "000d", "74c3ab787420e29c93", "t\xc3\xabxt \xe2\x9c\x93", "varchar UTF-8" },
		{ "000e", "ff7fffffffffffffffffffffffffffffff", "-170141183460469231731687303715884105729", "varint of 17 bytes" },
		{ "000e", "0080", "128", "varint 128 (the spec's example)" },
		{ "000e", "ff7f", "-129", "varint -129 (the spec's example)" },
		{ "000e", "01000000000000000000", "4722366482869645213696", "varint 2^72" },
		{ "000f", "50554d6e29bb11e5b345feff819cdc9f", "50554d6e-29bb-11e5-b345-feff819cdc9f", "timeuuid" },
		{ "0010", "c0000207", "192.0.2.7", "inet v4" },
		{ "0010", "20010db8000000000000ff0000428329", "2001:db8::ff00:42:8329", "inet v6" },
		{ "0011", "80004d46", "2024-02-29", "date (days 19782)" },
		{ "0011", "00000000", "-5877641-06-23", "date 0 (the spec's example)" },
		{ "0011", "80000000", "1970-01-01", "date 2^31 (the spec's example)" },
		{ "0012", "000029327b04bf79", "12:34:56.789012345", "time" },
		{ "0012", "00004e94914effff", "23:59:59.999999999", "time, last nanosecond" },
		{ "0013", "8000", "-32768", "smallint" },
		{ "0014", "80", "-128", "tinyint" },
		{ "0015", "02 00 06", "1mo3ns", "duration 1 month 3 ns" },
		{ "0015", "1b 05 fc068c61713fff", "-1y2mo3d1h", "duration negative" },
		{ "0015", "00 00 00", "0s", "duration zero" },
		{ "0020 0009", "00000003 00000004 00000001 00000004 fffffffe 00000004 00000003", "[1, -2, 3]", "list<int>" },
		{ "0022 000d", "00000002 00000001 61 00000001 62", "{'a', 'b'}", "set<varchar>" },
		{ "0021 000d 0009", "00000002 00000003 6f6e65 00000004 00000001 00000003 74776f 00000004 00000002",
		  "{'one': 1, 'two': 2}", "map<varchar, int>" },
		{ "0031 0003 0009 000d 0004", "00000004 00000007 00000005 736576656e 00000001 01",
		  "(7, 'seven', true)", "tuple<int, varchar, boolean>" },
		{ "0031 0003 0009 000d 0004", "ffffffff 00000001 78 00000001 00", "(null, 'x', false)", "tuple with a null" },
		{ "0030 0003 6c6162 0007 61646472657373 0002 0006 737472656574 000d 0003 7a6970 0009",
		  "00000007 4d61696e205374 00000004 00003039", "{street: 'Main St', zip: 12345}", "UDT" },
		{ "0030 0003 6c6162 0007 61646472657373 0002 0006 737472656574 000d 0003 7a6970 0009",
		  "00000007 4d61696e205374", "{street: 'Main St'}", "UDT with fewer values than fields" },
		{ "0000 0034 6f72672e6170616368652e63617373616e6472612e64622e6d61727368616c2e44796e616d6963436f6d706f7369746554797065",
		  "cafe01", "0xcafe01", "custom type: bytes" },
		{ "0009", "", "<empty>", "int empty (legacy)" },
		{ "0009", "null", "null", "int null" },
		{ "000d", "27", "'", "a quote at the top stays bare" },
		{ "0020 000d", "00000001 00000003 6927 73", "['i''s']", "a quote in a list is doubled" },
	};
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		const char *got = cell(cells[i].spec, cells[i].value, 4, &why);
		is_str(got, cells[i].want, "%s", cells[i].what);
		ok(!why, "%s: no complaint", cells[i].what);
	}
	/* v1/v2 collections: [short] counts, [short bytes] elements (Cassandra
	 * 2.1's answer at v2: li [10, 20] in cql-v2.client.log). */
	is_str(cell("0020 0009", "0002 0004 0000000a 0004 00000014", 2, &why), "[10, 20]", "v2 list<int>");
	is_str(cell("0021 000d 0009", "0001 0001 6b 0004 00000003", 1, &why), "{'k': 3}", "v1 map<varchar, int>");

	static const struct { const char *spec, *value, *what; } bad[] = {
		{ "0009", "000001", "int of 3 bytes" },
		{ "0004", "0101", "boolean of 2 bytes" },
		{ "000c", "0011", "uuid of 2 bytes" },
		{ "0010", "010203", "inet of 3 bytes" },
		{ "0012", "0000f0e8b0fc1000", "time past a day" },
		{ "0015", "02 01", "duration of two vints" },
		{ "0015", "02 01 03", "duration with mixed signs" },
		{ "0006", "0001", "decimal shorter than its scale" },
		{ "0020 0009", "7fffffff", "list claiming 2^31 elements" },
		{ "0020 0009", "00000001 00000008 00000001", "element past the list" },
		{ "0020 0009", "00000000 00", "bytes after the list" },
		{ "0031 0001 0009", "00000004 00000001 00", "bytes after the tuple" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *got = cell(bad[i].spec, bad[i].value, 4, &why);
		ok(why != NULL && !strncmp(got, "0x", 2), "%s: malformed (%s), shown as %s", bad[i].what,
		   why ? why : "-", got);
	}

	/* Type names as columns show them. */
	static struct cql_type_tree t;
	uint8_t spec[128];
	char name[256];
	size_t n = unhex("0021 000d 0020 0031 0002 000c 0009", spec, sizeof spec);
	struct cursor c = cursor_init(spec, n);
	cql_type_tree_reset(&t);
	uint16_t root = cql_type_parse(&c, &t);
	cql_type_name(&t, root, name, sizeof name);
	is_str(name, "map<varchar, list<tuple<uuid, int>>>", "nested type name");
	ok(!cursor_left(&c), "the whole spec consumed");

	/* Hostile specs: unknown id, nesting past the bound, a node bomb. */
	n = unhex("0016", spec, sizeof spec);
	c = cursor_init(spec, n);
	cql_type_tree_reset(&t);
	ok(cql_type_parse(&c, &t) == CQL_TYPE_NONE && (c.status & CURSOR_MALFORMED), "type id 0x16 is malformed");
	uint8_t deep[2 * 40 + 2];
	for (int i = 0; i < 40; i++) { deep[2 * i] = 0; deep[2 * i + 1] = 0x20; }
	deep[80] = 0; deep[81] = 9;
	c = cursor_init(deep, sizeof deep);
	cql_type_tree_reset(&t);
	ok(cql_type_parse(&c, &t) == CQL_TYPE_NONE && t.overflow, "40 nested lists: refused at depth 16");
	/* A tuple of 65535 tuples of ... is bounded by the node table. */
	static uint8_t wide[2 + 2 + 2 * 65535];
	wide[0] = 0; wide[1] = 0x31; wide[2] = 0xff; wide[3] = 0xff;
	for (size_t i = 0; i < 65535; i++) { wide[4 + 2 * i] = 0; wide[5 + 2 * i] = 9; }
	c = cursor_init(wide, sizeof wide);
	cql_type_tree_reset(&t);
	cql_type_parse(&c, &t);
	ok(t.overflow && t.n == CQL_TYPE_MAX_NODES && cursor_ok(&c) && !cursor_left(&c),
	   "a tuple of 65535 ints: %u nodes kept, the spec read through", t.n);

	char buf[16];
	cql_format_timestamp_ms(INT64_MIN, buf, sizeof buf);
	ok(strlen(buf) == 15 && !strcmp(buf + 12, "..."), "a cut value ends in ...");
	char big[64];
	cql_format_timestamp_ms(INT64_MAX, big, sizeof big);
	is_str(big, "292278994-08-17T07:12:55.807Z", "timestamp at the int64 end");
	cql_format_date_days(-1, big, sizeof big);
	is_str(big, "1969-12-31", "day -1");
}

int main(void)
{
	test_notations();
	test_headers();
	test_segments();
	test_decompression();
	test_types();
	return tap_done();
}
