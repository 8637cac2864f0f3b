/* sha256.c - SHA-256 fingerprints of inputs: libcrypto's digest (which
 * uses the CPU's SHA instructions where it has them), read in pieces. */
#include "sha256.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

bool sha256_init(struct sha256 *s)
{
	s->bytes = 0;
	s->failed = false;
	s->ctx = EVP_MD_CTX_new();
	if (s->ctx && EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) == 1)
		return true;
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
	return false;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	s->bytes += len;
	if (!s->failed && EVP_DigestUpdate(s->ctx, data, len) != 1)
		s->failed = true;
}

bool sha256_final(struct sha256 *s, uint8_t digest[32])
{
	unsigned n = 0;
	bool ok = !s->failed && EVP_DigestFinal_ex(s->ctx, digest, &n) == 1 &&
		  n == 32;
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
	return ok;
}

int sha256_file(const char *path, char hex[72], uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct sha256 s;
	if (!sha256_init(&s)) {
		fclose(f);
		errno = ENOMEM;
		return -1;
	}
	uint8_t buf[1 << 16];	/* per call: hashing runs on its own thread */
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sha256_update(&s, buf, n);
	int failed = ferror(f);
	int saved = errno;
	fclose(f);
	uint8_t d[32];
	bool digested = sha256_final(&s, d);
	if (failed || !digested) {
		errno = failed && saved ? saved : EIO;
		return -1;
	}
	*size = s.bytes;
	memcpy(hex, "sha256:", 7);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 7 + 2 * i, 3, "%02x", d[i]);
	return 0;
}
