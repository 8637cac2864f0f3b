/* sha256.h - SHA-256 fingerprints of inputs, computed by OpenSSL's
 * libcrypto. */
#ifndef TAPLINE_SHA256_H
#define TAPLINE_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evp_md_ctx_st;

struct sha256 {
	struct evp_md_ctx_st *ctx;
	uint64_t bytes;
	bool failed;
};

/* false when libcrypto cannot begin a digest (out of memory) */
bool sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest; false when libcrypto failed on the way.  The context is
 * freed either way. */
bool sha256_final(struct sha256 *s, uint8_t digest[32]);

/* Hashes a whole file in constant memory; "sha256:<64 hex>" into hex
 * (72 bytes with the NUL) and the size into *size.  -1 with errno set on a
 * read error. */
int sha256_file(const char *path, char hex[72], uint64_t *size);

#endif
