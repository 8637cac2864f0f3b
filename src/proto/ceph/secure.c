/* secure.c - msgr2 secure mode's AES-128-GCM (secure.h). */
#include "proto/ceph/secure.h"

#include <openssl/evp.h>
#include <string.h>

#define SECURE_TAG_LEN 16

bool secure_dir_init(struct secure_dir *d, const uint8_t *secret, size_t len,
		     bool client_to_server, bool rev1)
{
	memset(d, 0, sizeof *d);
	if (len < SECURE_SECRET_MIN)
		return false;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return false;
	if (EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SECURE_NONCE_LEN, NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, secret, NULL) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return false;
	}
	d->ctx = ctx;
	/* The client's receive nonce comes first (what the server sends). */
	memcpy(d->nonce, secret + SECURE_KEY_LEN +
		       (client_to_server ? SECURE_NONCE_LEN : 0), SECURE_NONCE_LEN);
	d->rev1 = rev1;
	return true;
}

void secure_dir_free(struct secure_dir *d)
{
	if (d->ctx)
		EVP_CIPHER_CTX_free(d->ctx);
	memset(d, 0, sizeof *d);
}

static void nonce_advance(struct secure_dir *d)
{
	/* Little-endian counters: 32 bits at offset 0 (msgr2.0), 64 bits at
	 * offset 4 (msgr2.1), wrapping as the sender's do. */
	size_t off = d->rev1 ? 4 : 0, n = d->rev1 ? 8 : 4;
	for (size_t i = 0; i < n; i++)
		if (++d->nonce[off + i] != 0)
			break;
	d->messages++;
}

bool secure_begin(struct secure_dir *d)
{
	if (!d->ctx)
		return false;
	bool ok = EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, d->nonce) == 1;
	nonce_advance(d);
	return ok;
}

bool secure_update(struct secure_dir *d, const uint8_t *in, size_t len,
		   uint8_t *out)
{
	int n = 0;
	if (!d->ctx || len > INT32_MAX)
		return false;
	return len == 0 || EVP_DecryptUpdate(d->ctx, out, &n, in, (int)len) == 1;
}

bool secure_finish(struct secure_dir *d, const uint8_t *tag)
{
	uint8_t t[SECURE_TAG_LEN], rest[16];
	int fin = 0;
	if (!d->ctx)
		return false;
	memcpy(t, tag, sizeof t);	/* the ctrl call wants it writable */
	if (EVP_CIPHER_CTX_ctrl(d->ctx, EVP_CTRL_GCM_SET_TAG, SECURE_TAG_LEN, t) != 1)
		return false;
	return EVP_DecryptFinal_ex(d->ctx, rest, &fin) == 1;
}

bool secure_open(struct secure_dir *d, const uint8_t *in, size_t len,
		 uint8_t *out)
{
	if (len < SECURE_TAG_LEN || !d->ctx)
		return false;
	bool ok = secure_begin(d);
	ok = secure_update(d, in, len - SECURE_TAG_LEN, out) && ok;
	return secure_finish(d, in + len - SECURE_TAG_LEN) && ok;
}
