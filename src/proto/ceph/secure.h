/* secure.h - msgr2 secure mode: AES-128-GCM over the frames that follow
 * AUTH_DONE, through OpenSSL's libcrypto.
 *
 * The connection secret (cephx.h) holds the key and two 12-byte nonces:
 *   bytes  0-15  AES-128 key
 *   bytes 16-27  the nonce of what the server sends
 *   bytes 28-39  the nonce of what the client sends
 * Each direction encrypts a series of AES-GCM messages (no additional
 * data, 16-byte tags), advancing its nonce after each one:
 *   msgr2.0: the first le32 of the nonce counts (the last 8 bytes fixed)
 *   msgr2.1: the last le64 counts (the first 4 bytes fixed)
 * A msgr2.0 frame is one message (preamble, segments, epilogue, tag); a
 * msgr2.1 frame is up to three: the preamble with 48 inline bytes of its
 * first segment, the rest of the first segment, the other segments with
 * the epilogue (msgr2.h, msgr2_layout).
 */
#ifndef TAPLINE_CEPH_SECURE_H
#define TAPLINE_CEPH_SECURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SECURE_KEY_LEN 16
#define SECURE_NONCE_LEN 12
#define SECURE_SECRET_MIN (SECURE_KEY_LEN + 2 * SECURE_NONCE_LEN)

/* One direction's cipher state. */
struct secure_dir {
	void *ctx;		/* EVP_CIPHER_CTX, NULL when not set up */
	uint8_t nonce[SECURE_NONCE_LEN];
	bool rev1;
	uint64_t messages;	/* AES-GCM messages opened so far */
};

/* Sets d up for the direction client_to_server of a connection with this
 * secret; false if the secret is too short or libcrypto fails. */
bool secure_dir_init(struct secure_dir *d, const uint8_t *secret, size_t len,
		     bool client_to_server, bool rev1);
void secure_dir_free(struct secure_dir *d);

/* One AES-GCM message in pieces, as it streams by: begin (takes the next
 * nonce, which advances whatever the tag says: the sender's did, so one
 * damaged frame does not lose the rest), update with ciphertext (out
 * receives as many bytes; out may be in), finish with the 16-byte tag:
 * false when it does not verify (wrong secret, or damaged bytes). */
bool secure_begin(struct secure_dir *d);
bool secure_update(struct secure_dir *d, const uint8_t *in, size_t len,
		   uint8_t *out);
bool secure_finish(struct secure_dir *d, const uint8_t *tag);

/* A whole message: in[0..len) is the ciphertext followed by its tag; out
 * receives len - 16 bytes. */
bool secure_open(struct secure_dir *d, const uint8_t *in, size_t len,
		 uint8_t *out);

#endif
