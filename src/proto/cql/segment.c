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

uint32_t cql_crc24(const uint8_t *p, size_t n)
{
	if (!crc24_table[1])
		crc24_table_init();
	uint32_t crc = 0x875060;
	for (size_t i = 0; i < n; i++)
		crc = ((crc << 8) & 0xffffff) ^ crc24_table[(crc >> 16 ^ p[i]) & 0xff];
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
	uint64_t w = 0;
	for (unsigned i = 0; i < words; i++)
		w |= (uint64_t)p[i] << (8 * i);
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
	h->crc24_computed = cql_crc24(p, words);
	return h->crc24_wire == h->crc24_computed ? CQL_SEGMENT_OK : CQL_SEGMENT_BAD_HEADER_CRC;
}

bool cql_segment_payload_ok(const uint8_t *payload, size_t n, const uint8_t trailer[4])
{
	uint32_t want = (uint32_t)trailer[0] | (uint32_t)trailer[1] << 8 |
			(uint32_t)trailer[2] << 16 | (uint32_t)trailer[3] << 24;
	return cql_crc32(payload, n) == want;
}
