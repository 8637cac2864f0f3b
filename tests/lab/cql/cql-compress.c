/* cql-compress.c - compresses (or with -d decompresses) one CQL frame body
 * from stdin to stdout, the way protocol v1-v4 frames carry it: lz4 as a
 * 4-byte big-endian uncompressed length and an LZ4 block, snappy as a raw
 * snappy buffer.  The lab's raw-socket client uses it to send compressed
 * frames to a real Cassandra and to read its compressed answers; Debian's
 * liblz4 and libsnappy do the work.
 *
 * usage: cql-compress lz4|snappy [-d] <in >out
 */
#include <lz4.h>
#include <snappy-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BODY (256u << 20)	/* the protocol's frame limit */

static unsigned char *read_all(size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= MAX_BODY) {
				free(buf);
				return NULL;
			}
			unsigned char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	*len = n;
	return buf;
}

static int usage(void)
{
	fprintf(stderr, "usage: cql-compress lz4|snappy [-d] <in >out\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3)
		return usage();
	int lz4 = !strcmp(argv[1], "lz4");
	if (!lz4 && strcmp(argv[1], "snappy"))
		return usage();
	int decompress = argc == 3 && !strcmp(argv[2], "-d");
	if (argc == 3 && !decompress)
		return usage();

	size_t in_len;
	unsigned char *in = read_all(&in_len);
	if (!in) {
		fprintf(stderr, "cql-compress: input too large or out of memory\n");
		return 1;
	}
	unsigned char *out = NULL;
	size_t out_len = 0;
	if (lz4 && !decompress) {
		int bound = LZ4_compressBound((int)in_len);
		out = malloc(4 + (size_t)bound);
		int n = out ? LZ4_compress_default((const char *)in, (char *)out + 4,
						   (int)in_len, bound) : 0;
		if (n <= 0 && in_len > 0)
			goto fail;
		out[0] = (unsigned char)(in_len >> 24);
		out[1] = (unsigned char)(in_len >> 16);
		out[2] = (unsigned char)(in_len >> 8);
		out[3] = (unsigned char)in_len;
		out_len = 4 + (size_t)n;
	} else if (lz4) {
		if (in_len < 4)
			goto fail;
		uint32_t want = (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
				(uint32_t)in[2] << 8 | in[3];
		if (want > MAX_BODY)
			goto fail;
		out = malloc(want ? want : 1);
		int n = out ? LZ4_decompress_safe((const char *)in + 4, (char *)out,
						  (int)(in_len - 4), (int)want) : -1;
		if (n < 0 || (uint32_t)n != want)
			goto fail;
		out_len = want;
	} else if (!decompress) {
		out_len = snappy_max_compressed_length(in_len);
		out = malloc(out_len);
		if (!out || snappy_compress((const char *)in, in_len, (char *)out,
					    &out_len) != SNAPPY_OK)
			goto fail;
	} else {
		if (snappy_uncompressed_length((const char *)in, in_len, &out_len) != SNAPPY_OK ||
		    out_len > MAX_BODY)
			goto fail;
		out = malloc(out_len ? out_len : 1);
		if (!out || snappy_uncompress((const char *)in, in_len, (char *)out,
					      &out_len) != SNAPPY_OK)
			goto fail;
	}
	if (fwrite(out, 1, out_len, stdout) != out_len)
		goto fail;
	free(in);
	free(out);
	return 0;
fail:
	fprintf(stderr, "cql-compress: %s %s failed\n", argv[1],
		decompress ? "decompression" : "compression");
	free(in);
	free(out);
	return 1;
}
