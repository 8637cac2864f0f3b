/* sha256.h - SHA-256 (FIPS 180-4), streaming: fingerprints of inputs. */
#ifndef TAPLINE_SHA256_H
#define TAPLINE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t digest[32]);

/* Hashes a whole file in constant memory; "sha256:<64 hex>" into hex
 * (72 bytes with the NUL) and the size into *size.  -1 with errno set on a
 * read error. */
int sha256_file(const char *path, char hex[72], uint64_t *size);

#endif
