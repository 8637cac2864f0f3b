/* segment.h - protocol v5 framing: after the handshake, every byte both
 * ways travels in segments (native_protocol_v5.spec section 2; all
 * integers little-endian).
 *
 *  uncompressed: [3] payload length (17 bits) | self-contained (bit 17)
 *                [3] CRC24 of those 3 bytes
 *                payload (<= 131071 bytes), [4] CRC32 of the payload
 *  lz4:          [5] compressed length (17) | uncompressed length (17)
 *                    | self-contained (bit 34)
 *                [3] CRC24 of those 5 bytes
 *                payload (an LZ4 block; uncompressed length 0: stored),
 *                [4] CRC32 of the payload as sent
 *
 * CRC24: initial value 0x875060, polynomial 0x1974F0B, over the header
 * bytes as sent.  CRC32: IEEE (zlib's), over FA 2D 55 CA then the payload.
 */
#ifndef TAPLINE_CQL_SEGMENT_H
#define TAPLINE_CQL_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CQL_SEGMENT_MAX_PAYLOAD 131071u
#define CQL_SEGMENT_HEADER 6u
#define CQL_SEGMENT_HEADER_LZ4 8u
#define CQL_SEGMENT_TRAILER 4u

struct cql_segment_header {
	uint32_t payload_length;	/* bytes on the wire after the header */
	uint32_t uncompressed_length;	/* lz4: 0 = stored as is */
	bool self_contained;
	bool lz4;
	uint32_t crc24_wire, crc24_computed;
	uint8_t header_len;		/* 6 or 8 */
};

enum cql_segment_verdict {
	CQL_SEGMENT_OK = 0,
	CQL_SEGMENT_SHORT,		/* fewer bytes than a header */
	CQL_SEGMENT_BAD_HEADER_CRC,	/* the length cannot be trusted */
};

/* Reads a segment header (lz4: the compressed layout) at p. */
enum cql_segment_verdict cql_segment_header_parse(const uint8_t *p, size_t n, bool lz4,
						  struct cql_segment_header *h);

/* Bytes of the whole segment: header + payload + CRC32. */
static inline size_t cql_segment_size(const struct cql_segment_header *h)
{
	return h->header_len + (size_t)h->payload_length + CQL_SEGMENT_TRAILER;
}

/* Is the CRC32 trailer right for this payload? */
bool cql_segment_payload_ok(const uint8_t *payload, size_t n, const uint8_t trailer[4]);

uint32_t cql_crc24(const uint8_t *p, size_t n);
uint32_t cql_crc32(const uint8_t *p, size_t n);

#endif
