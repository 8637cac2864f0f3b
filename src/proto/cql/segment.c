/* segment.c - protocol v5 segment headers and their checksums. */
#include "proto/cql/segment.h"

#include <zlib.h>

/* CRC24 as the spec states it (MSB first, polynomial 0x1974f0b), a
 * byte at a time: table[h] is what the eight bit steps make of h << 16;
 * the 16 bits below h only move up 8.  Bit by bit cost 64 steps for each
 * offset that looking for a segment header after a gap tries. */
static uint32_t crc24_table[256];

static void crc24_table_init(void)
{
	for (uint32_t h = 0; h < 256; h++) {
		uint32_t crc = h << 16;
		for (int b = 0; b < 8; b++) {
			crc <<= 1;
			if (crc & 0x1000000)
				crc ^= 0x1974f0b;
		}
		crc24_table[h] = crc;
	}
}

#define CRC24_INIT 0x875060

static uint32_t crc24_step(uint32_t crc, uint8_t byte)
{
	return ((crc << 8) & 0xffffff) ^ crc24_table[(crc >> 16 ^ byte) & 0xff];
}

uint32_t cql_crc24(const uint8_t *p, size_t n)
{
	if (!crc24_table[1])
		crc24_table_init();
	uint32_t crc = CRC24_INIT;
	for (size_t i = 0; i < n; i++)
		crc = crc24_step(crc, p[i]);
	return crc;
}

uint32_t cql_crc32(const uint8_t *p, size_t n)
{
	static const uint8_t primer[4] = { 0xfa, 0x2d, 0x55, 0xca };
	uLong crc = crc32(0L, primer, sizeof primer);
	/* zlib takes lengths as uInt: feed large inputs in pieces. */
	while (n > 0) {
		uInt piece = n > 0x40000000u ? 0x40000000u : (uInt)n;
		crc = crc32(crc, p, piece);
		p += piece;
		n -= piece;
	}
	return (uint32_t)crc;
}

enum cql_segment_verdict cql_segment_header_parse(const uint8_t *p, size_t n, bool lz4,
						  struct cql_segment_header *h)
{
	unsigned words = lz4 ? 5 : 3;
	if (n < words + 3u)
		return CQL_SEGMENT_SHORT;
	/* Written out, not looped: looking for a header after a gap parses
	 * one at every offset. */
	if (!crc24_table[1])
		crc24_table_init();
	uint64_t w = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16;
	uint32_t crc = crc24_step(crc24_step(crc24_step(CRC24_INIT, p[0]), p[1]), p[2]);
	if (lz4) {
		w |= (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32;
		crc = crc24_step(crc24_step(crc, p[3]), p[4]);
	}
	h->lz4 = lz4;
	h->header_len = (uint8_t)(words + 3);
	h->payload_length = (uint32_t)(w & 0x1ffff);
	if (lz4) {
		h->uncompressed_length = (uint32_t)(w >> 17 & 0x1ffff);
		h->self_contained = (w >> 34 & 1) != 0;
	} else {
		h->uncompressed_length = 0;
		h->self_contained = (w >> 17 & 1) != 0;
	}
	h->crc24_wire = (uint32_t)p[words] | (uint32_t)p[words + 1] << 8 |
			(uint32_t)p[words + 2] << 16;
	h->crc24_computed = crc;
	return h->crc24_wire == h->crc24_computed ? CQL_SEGMENT_OK : CQL_SEGMENT_BAD_HEADER_CRC;
}

bool cql_segment_payload_ok(const uint8_t *payload, size_t n, const uint8_t trailer[4])
{
	uint32_t want = (uint32_t)trailer[0] | (uint32_t)trailer[1] << 8 |
			(uint32_t)trailer[2] << 16 | (uint32_t)trailer[3] << 24;
	return cql_crc32(payload, n) == want;
}
