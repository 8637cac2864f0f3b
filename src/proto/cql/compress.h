/* compress.h - decompression of CQL bodies and v5 segments through
 * Debian's liblz4 and libsnappy, bounded: the caller's buffer is the
 * limit, a size claimed beyond it is refused before any work (a 20-byte
 * frame that claims 4 GiB costs nothing), and the libraries' safe
 * decoders never write past it.
 *
 *   v1-v4 lz4:    [4] uncompressed length (big-endian) + one LZ4 block
 *   v1-v4 snappy: one raw snappy buffer (its varint length first)
 *   v5 lz4:       one LZ4 block, the length in the segment header
 */
#ifndef TAPLINE_CQL_COMPRESS_H
#define TAPLINE_CQL_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum cql_compression {
	CQL_COMPRESSION_NONE = 0,
	CQL_COMPRESSION_LZ4,
	CQL_COMPRESSION_SNAPPY,
};

enum cql_decompress_verdict {
	CQL_DECOMPRESS_OK = 0,
	CQL_DECOMPRESS_TOO_BIG,		/* claims more than the buffer holds */
	CQL_DECOMPRESS_CORRUPT,		/* the compressed bytes lie */
};

/* A frame body (v1-v4) into out[0..cap); *out_len gets the length.
 * *claimed gets the uncompressed size the body announces (0 if unread),
 * so TOO_BIG can say how much was claimed. */
enum cql_decompress_verdict cql_decompress_body(enum cql_compression algo,
						const uint8_t *in, size_t n,
						uint8_t *out, size_t cap, size_t *out_len,
						uint64_t *claimed);

/* A v5 lz4 segment payload of known uncompressed length. */
enum cql_decompress_verdict cql_decompress_lz4_block(const uint8_t *in, size_t n,
						     uint8_t *out, size_t want);

/* "lz4", "snappy" (as STARTUP's COMPRESSION option says them, any case)
 * -> the algorithm; NONE when unknown. */
enum cql_compression cql_compression_from_name(const uint8_t *name, size_t n);

#endif
