/* cephx.h - what a decoder needs of cephx, Ceph's authentication, to
 * follow a connection: the names and results of its exchanges, and,
 * given the keyring of the entity that authenticated, the keys that
 * protect the connection.
 *
 * The key chain (docs/ceph.md):
 *   keyring            entity -> secret (AES-128)
 *   monitor AUTH_DONE  the AUTH ticket's session key, encrypted with the
 *                      entity's secret; the connection secret, encrypted
 *                      with that session key; the other services' tickets
 *                      (OSD, MGR, MON) and their session keys, encrypted
 *                      with it too
 *   service AUTH_DONE  the connection secret, encrypted with the session
 *                      key of the ticket the client's authorizer carried
 *   connection secret  AES-128-GCM key and the two nonces of msgr2's
 *                      secure mode (secure.h)
 * Every encrypted piece is AES-128-CBC with Ceph's fixed IV and PKCS#7
 * padding, through OpenSSL's libcrypto; its plaintext starts with a
 * version byte and a magic number, which tells a wrong key.
 */
#ifndef TAPLINE_CEPH_CEPHX_H
#define TAPLINE_CEPH_CEPHX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CEPHX_KEY_LEN 16
#define CEPHX_SECRET_MAX 64	/* connection secrets are 64 bytes today */
#define CEPHX_TICKETS_MAX 8	/* tickets in one reply */

/* Request types (CephXRequestHeader / CephXResponseHeader). */
#define CEPHX_GET_AUTH_SESSION_KEY 0x0100
#define CEPHX_GET_PRINCIPAL_SESSION_KEY 0x0200
#define CEPHX_GET_ROTATING_KEY 0x0400

/* Authentication methods (msgr2 AUTH_REQUEST, msgr1 connect, MAuth). */
#define CEPH_AUTH_NONE 1
#define CEPH_AUTH_CEPHX 2

/* The first byte of a monitor AUTH_REQUEST payload. */
#define CEPH_AUTH_MODE_MON 10

/* Entity types, also the service ids of tickets. */
#define CEPH_ENTITY_TYPE_MON 0x01
#define CEPH_ENTITY_TYPE_MDS 0x02
#define CEPH_ENTITY_TYPE_OSD 0x04
#define CEPH_ENTITY_TYPE_CLIENT 0x08
#define CEPH_ENTITY_TYPE_MGR 0x10
#define CEPH_ENTITY_TYPE_AUTH 0x20

enum cephx_verdict {
	CEPHX_OK = 0,
	CEPHX_TRUNCATED,	/* the bytes end early */
	CEPHX_MALFORMED,	/* impossible lengths or versions */
	CEPHX_WRONG_KEY,	/* decrypts to garbage: not this key */
	CEPHX_NO_KEY,		/* the key needed is not known */
};

const char *cephx_verdict_name(enum cephx_verdict v);

/* "mon", "osd", "client", ...; NULL when unknown. */
const char *ceph_entity_type_name(unsigned type);
/* The type of "client" etc.; 0 when unknown. */
unsigned ceph_entity_type_from_name(const char *name, size_t len);

/* A keyring: entity names ("client.admin", "osd.0", "mon.") with their
 * secrets, read from Ceph's keyring file format. */
#define CEPHX_KEYRING_MAX 64
#define CEPHX_NAME_MAX 96
struct cephx_keyring {
	unsigned n;
	struct {
		char name[CEPHX_NAME_MAX];
		uint8_t key[CEPHX_KEY_LEN];
	} entry[CEPHX_KEYRING_MAX];
};

/* Parses keyring text ("[client.admin]\n\tkey = AQ...==\n"); false with a
 * message in err (line number and reason) on anything it cannot read. */
bool cephx_keyring_parse(const char *text, size_t len, struct cephx_keyring *out,
			 char *err, size_t errlen);
/* The secret of an encoded key (base64 of le16 type, utime created, le16
 * length, secret), as keyrings and `ceph auth get-key` print it. */
bool cephx_key_from_base64(const char *b64, size_t len,
			   uint8_t key[CEPHX_KEY_LEN]);
const uint8_t *cephx_keyring_find(const struct cephx_keyring *k,
				  const char *name);

/* Decrypts one encrypted blob (the ciphertext of Ceph's encode_encrypt,
 * without its length prefix) with key into out[0..cap), checks the
 * version byte and magic number and points payload (payload_len bytes) at what
 * follows them (inside out). */
enum cephx_verdict cephx_decrypt(const uint8_t key[CEPHX_KEY_LEN],
				 const uint8_t *ct, size_t ct_len,
				 uint8_t *out, size_t cap,
				 const uint8_t **payload, size_t *payload_len);

/* A ticket a monitor handed out: for service_id, the session key to use
 * with it and the opaque blob the client shows the service. */
struct cephx_ticket {
	uint32_t service_id;
	uint8_t session_key[CEPHX_KEY_LEN];
	uint32_t validity_sec;
	bool blob_encrypted;	/* then blob is not known */
	uint64_t secret_id;
	const uint8_t *blob;	/* into the reply's bytes */
	uint32_t blob_len;
};

/* A monitor's CEPHX_GET_AUTH_SESSION_KEY reply (msgr2 AUTH_DONE
 * payload, msgr1 MAuthReply result), decrypted with the entity's secret. */
struct cephx_session_reply {
	uint16_t request_type;
	int32_t status;
	unsigned nticket;
	struct cephx_ticket ticket[CEPHX_TICKETS_MAX];	/* AUTH first */
	bool has_secret;
	uint32_t secret_len;
	uint8_t secret[CEPHX_SECRET_MAX];	/* the connection secret */
	unsigned nextra;
	struct cephx_ticket extra[CEPHX_TICKETS_MAX];	/* MON, OSD, MGR */
};

/* Reads the reply's header only (request type, status): no key needed. */
enum cephx_verdict cephx_read_response_header(const uint8_t *p, size_t len,
					      uint16_t *type, int32_t *status);

enum cephx_verdict cephx_read_session_reply(const uint8_t *p, size_t len,
					    const uint8_t entity_key[CEPHX_KEY_LEN],
					    struct cephx_session_reply *out);

/* The first AUTH_REQUEST payload to a monitor: who authenticates. */
struct cephx_mon_request {
	uint8_t auth_mode;	/* CEPH_AUTH_MODE_MON */
	uint32_t entity_type;
	char entity_name[CEPHX_NAME_MAX];	/* "client.admin" */
	uint64_t global_id;
};
enum cephx_verdict cephx_read_mon_request(const uint8_t *p, size_t len,
					  struct cephx_mon_request *out);

/* The authorizer a client shows a service (AUTH_REQUEST payload to an
 * OSD or MGR, msgr1 connect authorizer). */
struct cephx_authorizer {
	uint64_t global_id;
	uint32_t service_id;
	uint64_t secret_id;
	const uint8_t *blob;	/* the ticket blob, into p */
	uint32_t blob_len;
};
enum cephx_verdict cephx_read_authorizer(const uint8_t *p, size_t len,
					 struct cephx_authorizer *out);

/* A service's AUTH_DONE payload: the authorizer reply, decrypted with the
 * ticket's session key, and the connection secret in it. */
enum cephx_verdict cephx_read_authorizer_reply(const uint8_t *p, size_t len,
					       const uint8_t session_key[CEPHX_KEY_LEN],
					       uint8_t secret[CEPHX_SECRET_MAX],
					       uint32_t *secret_len);

/* What a decoder keeps across connections: the keyring the user gave and
 * the tickets monitors handed out in the captured sessions (bounded: the
 * oldest go first), so that a later service connection that shows one of
 * them can be opened. */
#define CEPHX_STORE_TICKETS 256
#define CEPHX_BLOB_MAX 512
struct cephx_store {
	struct cephx_keyring keyring;
	unsigned n, next;
	struct {
		uint32_t service_id;
		uint64_t secret_id;
		uint32_t blob_len;
		uint8_t blob[CEPHX_BLOB_MAX];
		uint8_t session_key[CEPHX_KEY_LEN];
	} ticket[CEPHX_STORE_TICKETS];
};

void cephx_store_learn(struct cephx_store *s, const struct cephx_ticket *t);
/* The session key of the ticket an authorizer shows; NULL when no
 * captured monitor session handed it out. */
const uint8_t *cephx_store_ticket_key(const struct cephx_store *s,
				      const struct cephx_authorizer *a);

#endif
