/* compress.c - bounded lz4 / snappy decompression (see compress.h). */
#include "proto/cql/compress.h"

#include <limits.h>
#include <lz4.h>
#include <snappy-c.h>
#include <strings.h>

enum cql_decompress_verdict cql_decompress_lz4_block(const uint8_t *in, size_t n,
						     uint8_t *out, size_t want)
{
	if (n > INT_MAX || want > INT_MAX)
		return CQL_DECOMPRESS_TOO_BIG;
	int got = LZ4_decompress_safe((const char *)in, (char *)out, (int)n, (int)want);
	return got >= 0 && (size_t)got == want ? CQL_DECOMPRESS_OK : CQL_DECOMPRESS_CORRUPT;
}

enum cql_decompress_verdict cql_decompress_body(enum cql_compression algo,
						const uint8_t *in, size_t n,
						uint8_t *out, size_t cap, size_t *out_len,
						uint64_t *claimed)
{
	*out_len = 0;
	*claimed = 0;
	if (algo == CQL_COMPRESSION_LZ4) {
		if (n < 4)
			return CQL_DECOMPRESS_CORRUPT;
		uint32_t want = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
				(uint32_t)in[2] << 8 | in[3];
		*claimed = want;
		if (want > cap)
			return CQL_DECOMPRESS_TOO_BIG;
		if (want == 0)
			return n == 4 || (n == 5 && in[4] == 0) ? CQL_DECOMPRESS_OK :
			       CQL_DECOMPRESS_CORRUPT;
		enum cql_decompress_verdict v = cql_decompress_lz4_block(in + 4, n - 4, out, want);
		if (v == CQL_DECOMPRESS_OK)
			*out_len = want;
		return v;
	}
	if (algo == CQL_COMPRESSION_SNAPPY) {
		size_t want;
		if (snappy_uncompressed_length((const char *)in, n, &want) != SNAPPY_OK)
			return CQL_DECOMPRESS_CORRUPT;
		*claimed = want;
		if (want > cap)
			return CQL_DECOMPRESS_TOO_BIG;
		size_t got = cap;
		if (snappy_uncompress((const char *)in, n, (char *)out, &got) != SNAPPY_OK ||
		    got != want)
			return CQL_DECOMPRESS_CORRUPT;
		*out_len = got;
		return CQL_DECOMPRESS_OK;
	}
	return CQL_DECOMPRESS_CORRUPT;
}

enum cql_compression cql_compression_from_name(const uint8_t *name, size_t n)
{
	if (n == 3 && !strncasecmp((const char *)name, "lz4", 3))
		return CQL_COMPRESSION_LZ4;
	if (n == 6 && !strncasecmp((const char *)name, "snappy", 6))
		return CQL_COMPRESSION_SNAPPY;
	return CQL_COMPRESSION_NONE;
}
