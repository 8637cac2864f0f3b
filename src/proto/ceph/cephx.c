/* cephx.c - keyrings, cephx's encrypted blobs, tickets and connection
 * secrets (cephx.h).  AES through OpenSSL's libcrypto. */
#include "proto/ceph/cephx.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "base/cursor.h"

/* Ceph's fixed CBC initialisation vector (CEPH_AES_IV). */
static const uint8_t cephx_iv[16] = "cephsageyudagreg";
/* The plaintext of every encrypted blob starts with a version byte and
 * this le64 (AUTH_ENC_MAGIC). */
#define CEPHX_ENC_MAGIC 0xff009cad8826aa55ull
#define CEPHX_CRYPTO_AES 1
/* Plaintexts we decrypt: a session key with its validity, a connection
 * secret, an authorizer reply.  Anything longer is not ours. */
#define CEPHX_PLAINTEXT_MAX 256

const char *cephx_verdict_name(enum cephx_verdict v)
{
	switch (v) {
	case CEPHX_OK: return "ok";
	case CEPHX_TRUNCATED: return "truncated";
	case CEPHX_MALFORMED: return "malformed";
	case CEPHX_WRONG_KEY: return "wrong key";
	case CEPHX_NO_KEY: return "no key";
	}
	return "?";
}

static const struct { unsigned type; const char *name; } entity_types[] = {
	{ CEPH_ENTITY_TYPE_MON, "mon" },
	{ CEPH_ENTITY_TYPE_MDS, "mds" },
	{ CEPH_ENTITY_TYPE_OSD, "osd" },
	{ CEPH_ENTITY_TYPE_CLIENT, "client" },
	{ CEPH_ENTITY_TYPE_MGR, "mgr" },
	{ CEPH_ENTITY_TYPE_AUTH, "auth" },
};

const char *ceph_entity_type_name(unsigned type)
{
	for (size_t i = 0; i < sizeof entity_types / sizeof entity_types[0]; i++)
		if (entity_types[i].type == type)
			return entity_types[i].name;
	return NULL;
}

unsigned ceph_entity_type_from_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof entity_types / sizeof entity_types[0]; i++)
		if (strlen(entity_types[i].name) == len &&
		    !memcmp(entity_types[i].name, name, len))
			return entity_types[i].type;
	return 0;
}

/* --- keyrings ------------------------------------------------------------ */

bool cephx_key_from_base64(const char *b64, size_t len, uint8_t key[CEPHX_KEY_LEN])
{
	/* An encoded AES key is 12 + 16 = 28 bytes, 40 in base64. */
	uint8_t raw[64];
	if (len == 0 || len > 4 * sizeof raw / 3)
		return false;
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	if (!ctx)
		return false;
	int n = 0, fin = 0;
	EVP_DecodeInit(ctx);
	bool ok = EVP_DecodeUpdate(ctx, raw, &n, (const unsigned char *)b64, (int)len) >= 0 &&
		  EVP_DecodeFinal(ctx, raw + n, &fin) == 1;
	EVP_ENCODE_CTX_free(ctx);
	if (!ok)
		return false;
	n += fin;
	struct cursor c = cursor_init(raw, (size_t)n);
	uint16_t type = cursor_le16(&c);
	cursor_skip(&c, 8);	/* created */
	uint16_t klen = cursor_le16(&c);
	const uint8_t *k = cursor_take(&c, klen);
	if (!k || type != CEPHX_CRYPTO_AES || klen != CEPHX_KEY_LEN || cursor_left(&c))
		return false;
	memcpy(key, k, CEPHX_KEY_LEN);
	return true;
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

bool cephx_keyring_parse(const char *text, size_t len, struct cephx_keyring *out,
			 char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *p = text, *end = text + len;
	int line = 0;
	bool in_section = false;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		const char *s = skip_blank(p, eol);
		const char *e = eol;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (s == e || *s == '#' || *s == ';') {
			/* blank or comment */
		} else if (*s == '[') {
			if (e[-1] != ']' || e - s < 3 || (size_t)(e - s - 2) >= CEPHX_NAME_MAX) {
				snprintf(err, errlen, "line %d: bad section name", line);
				return false;
			}
			if (out->n >= CEPHX_KEYRING_MAX) {
				snprintf(err, errlen, "line %d: more than %d entities",
					 line, CEPHX_KEYRING_MAX);
				return false;
			}
			memcpy(out->entry[out->n].name, s + 1, (size_t)(e - s - 2));
			out->entry[out->n].name[e - s - 2] = 0;
			in_section = true;
			out->n++;
		} else {
			const char *eq = memchr(s, '=', (size_t)(e - s));
			if (!eq) {
				snprintf(err, errlen, "line %d: expected NAME = VALUE", line);
				return false;
			}
			const char *ke = eq;
			while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			if (ke - s == 3 && !memcmp(s, "key", 3)) {
				if (!in_section) {
					snprintf(err, errlen, "line %d: key outside a [section]", line);
					return false;
				}
				const char *v = skip_blank(eq + 1, e);
				if (!cephx_key_from_base64(v, (size_t)(e - v),
							   out->entry[out->n - 1].key)) {
					snprintf(err, errlen, "line %d: not an AES-128 key", line);
					return false;
				}
				in_section = false;	/* one key per entity */
			}
			/* caps and other settings: not needed to decrypt */
		}
		p = eol < end ? eol + 1 : end;
	}
	/* An entity without a key cannot decrypt anything: drop it. */
	unsigned kept = 0;
	for (unsigned i = 0; i < out->n; i++) {
		static const uint8_t zero[CEPHX_KEY_LEN];
		if (memcmp(out->entry[i].key, zero, CEPHX_KEY_LEN))
			out->entry[kept++] = out->entry[i];
	}
	out->n = kept;
	if (!kept) {
		snprintf(err, errlen, "no key in the keyring");
		return false;
	}
	return true;
}

const uint8_t *cephx_keyring_find(const struct cephx_keyring *k, const char *name)
{
	for (unsigned i = 0; i < k->n; i++)
		if (!strcmp(k->entry[i].name, name))
			return k->entry[i].key;
	return NULL;
}

/* --- encrypted blobs ------------------------------------------------------ */

enum cephx_verdict cephx_decrypt(const uint8_t key[CEPHX_KEY_LEN],
				 const uint8_t *ct, size_t ct_len,
				 uint8_t *out, size_t cap,
				 const uint8_t **payload, size_t *payload_len)
{
	if (ct_len == 0 || ct_len % 16 || ct_len > cap || ct_len > INT32_MAX)
		return CEPHX_MALFORMED;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return CEPHX_MALFORMED;
	int n = 0, fin = 0;
	/* A wrong key fails the PKCS#7 padding check 255 times in 256; the
	 * magic number catches the rest. */
	bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, cephx_iv) == 1 &&
		  EVP_DecryptUpdate(ctx, out, &n, ct, (int)ct_len) == 1 &&
		  EVP_DecryptFinal_ex(ctx, out + n, &fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return CEPHX_WRONG_KEY;
	struct cursor c = cursor_init(out, (size_t)(n + fin));
	cursor_u8(&c);		/* struct_v */
	uint64_t magic = cursor_le64(&c);
	if (!cursor_ok(&c) || magic != CEPHX_ENC_MAGIC)
		return CEPHX_WRONG_KEY;
	*payload = c.pos;
	*payload_len = cursor_left(&c);
	return CEPHX_OK;
}

/* Takes an le32-length-prefixed blob (a bufferlist or string). */
static const uint8_t *take_blob(struct cursor *c, uint32_t *len)
{
	*len = cursor_le32(c);
	return cursor_take(c, *len);
}

static enum cephx_verdict cursor_verdict(const struct cursor *c)
{
	if (c->status & CURSOR_MALFORMED)
		return CEPHX_MALFORMED;
	return c->status ? CEPHX_TRUNCATED : CEPHX_OK;
}

/* An encode_encrypt()ed object at c: le32 length, ciphertext. */
static enum cephx_verdict decrypt_at(struct cursor *c, const uint8_t *key,
				     uint8_t *buf, const uint8_t **pt, size_t *pt_len)
{
	uint32_t len;
	const uint8_t *ct = take_blob(c, &len);
	if (!ct)
		return cursor_verdict(c);
	if (!key)
		return CEPHX_NO_KEY;
	return cephx_decrypt(key, ct, len, buf, CEPHX_PLAINTEXT_MAX, pt, pt_len);
}

/* A CryptoKey: le16 type, utime created, le16 length, the secret. */
static bool read_crypto_key(struct cursor *c, uint8_t key[CEPHX_KEY_LEN])
{
	uint16_t type = cursor_le16(c);
	cursor_skip(c, 8);
	uint16_t len = cursor_le16(c);
	const uint8_t *k = cursor_take(c, len);
	if (!k)
		return false;
	if (type != CEPHX_CRYPTO_AES || len != CEPHX_KEY_LEN) {
		cursor_malformed(c, "not an AES-128 key");
		return false;
	}
	memcpy(key, k, CEPHX_KEY_LEN);
	return true;
}

/* One CephXServiceTicket reply: service id, {session key, validity}
 * encrypted with key, the ticket blob (plain or encrypted). */
static enum cephx_verdict read_ticket(struct cursor *c, const uint8_t *key,
				      struct cephx_ticket *t)
{
	memset(t, 0, sizeof *t);
	t->service_id = cursor_le32(c);
	cursor_u8(c);		/* version */
	uint8_t buf[CEPHX_PLAINTEXT_MAX];
	const uint8_t *pt;
	size_t pt_len;
	enum cephx_verdict v = decrypt_at(c, key, buf, &pt, &pt_len);
	if (v != CEPHX_OK)
		return v;
	struct cursor s = cursor_init(pt, pt_len);
	cursor_u8(&s);		/* version */
	read_crypto_key(&s, t->session_key);
	t->validity_sec = cursor_le32(&s);
	cursor_le32(&s);	/* nanoseconds */
	if (!cursor_ok(&s))
		return CEPHX_MALFORMED;
	t->blob_encrypted = cursor_u8(c) != 0;
	uint32_t bl_len;
	const uint8_t *bl = take_blob(c, &bl_len);
	if (!bl)
		return cursor_verdict(c);
	if (!t->blob_encrypted) {
		/* CephXTicketBlob: version, secret id, blob. */
		struct cursor b = cursor_init(bl, bl_len);
		cursor_u8(&b);
		t->secret_id = cursor_le64(&b);
		t->blob = take_blob(&b, &t->blob_len);
		if (!t->blob)
			return CEPHX_MALFORMED;
	}
	return CEPHX_OK;
}

/* A service ticket reply: version, count, tickets. */
static enum cephx_verdict read_ticket_reply(struct cursor *c, const uint8_t *key,
					    struct cephx_ticket *t, unsigned *n)
{
	cursor_u8(c);		/* version */
	uint32_t num = cursor_le32(c);
	if (!cursor_ok(c))
		return cursor_verdict(c);
	if (num > CEPHX_TICKETS_MAX)
		return CEPHX_MALFORMED;
	*n = 0;
	for (uint32_t i = 0; i < num; i++) {
		enum cephx_verdict v = read_ticket(c, key, &t[i]);
		if (v != CEPHX_OK)
			return v;
		*n = i + 1;
	}
	return CEPHX_OK;
}

enum cephx_verdict cephx_read_response_header(const uint8_t *p, size_t len,
					      uint16_t *type, int32_t *status)
{
	struct cursor c = cursor_init(p, len);
	*type = cursor_le16(&c);
	*status = (int32_t)cursor_le32(&c);
	return cursor_verdict(&c);
}

enum cephx_verdict cephx_read_session_reply(const uint8_t *p, size_t len,
					    const uint8_t entity_key[CEPHX_KEY_LEN],
					    struct cephx_session_reply *out)
{
	memset(out, 0, sizeof *out);
	struct cursor c = cursor_init(p, len);
	out->request_type = cursor_le16(&c);
	out->status = (int32_t)cursor_le32(&c);
	if (!cursor_ok(&c))
		return cursor_verdict(&c);
	if (out->request_type != CEPHX_GET_AUTH_SESSION_KEY)
		return CEPHX_MALFORMED;
	if (out->status < 0)
		return CEPHX_OK;	/* refused: nothing more */
	enum cephx_verdict v = read_ticket_reply(&c, entity_key, out->ticket,
						 &out->nticket);
	if (v != CEPHX_OK)
		return v;
	const uint8_t *session_key = NULL;
	for (unsigned i = 0; i < out->nticket; i++)
		if (out->ticket[i].service_id == CEPH_ENTITY_TYPE_AUTH)
			session_key = out->ticket[i].session_key;
	if (cursor_left(&c) == 0)
		return CEPHX_OK;	/* a client that asked for no more */
	/* The connection secret, encrypted with the AUTH session key. */
	uint32_t cbl_len;
	const uint8_t *cbl = take_blob(&c, &cbl_len);
	if (!cbl)
		return cursor_verdict(&c);
	if (cbl_len) {
		struct cursor s = cursor_init(cbl, cbl_len);
		uint8_t buf[CEPHX_PLAINTEXT_MAX];
		const uint8_t *pt;
		size_t pt_len;
		v = decrypt_at(&s, session_key, buf, &pt, &pt_len);
		if (v != CEPHX_OK)
			return v;
		struct cursor sc = cursor_init(pt, pt_len);
		uint32_t slen;
		const uint8_t *secret = take_blob(&sc, &slen);
		if (!secret || slen > CEPHX_SECRET_MAX)
			return CEPHX_MALFORMED;
		memcpy(out->secret, secret, slen);
		out->secret_len = slen;
		out->has_secret = true;
	}
	/* The other services' tickets, their keys encrypted with it too. */
	uint32_t extra_len;
	const uint8_t *extra = take_blob(&c, &extra_len);
	if (!extra)
		return cursor_verdict(&c);
	if (extra_len) {
		struct cursor s = cursor_init(extra, extra_len);
		v = read_ticket_reply(&s, session_key, out->extra, &out->nextra);
		if (v != CEPHX_OK)
			return v;
	}
	return CEPHX_OK;
}

enum cephx_verdict cephx_read_mon_request(const uint8_t *p, size_t len,
					  struct cephx_mon_request *out)
{
	memset(out, 0, sizeof *out);
	struct cursor c = cursor_init(p, len);
	out->auth_mode = cursor_u8(&c);
	out->entity_type = cursor_le32(&c);
	uint32_t id_len;
	const uint8_t *id = take_blob(&c, &id_len);
	out->global_id = cursor_le64(&c);
	if (!cursor_ok(&c))
		return cursor_verdict(&c);
	const char *tname = ceph_entity_type_name(out->entity_type);
	if (out->auth_mode != CEPH_AUTH_MODE_MON || !tname)
		return CEPHX_MALFORMED;
	size_t tlen = strlen(tname);
	if (tlen + 1 + id_len >= CEPHX_NAME_MAX)
		return CEPHX_MALFORMED;
	memcpy(out->entity_name, tname, tlen);
	out->entity_name[tlen] = '.';
	memcpy(out->entity_name + tlen + 1, id, id_len);
	out->entity_name[tlen + 1 + id_len] = 0;
	return CEPHX_OK;
}

enum cephx_verdict cephx_read_authorizer(const uint8_t *p, size_t len,
					 struct cephx_authorizer *out)
{
	memset(out, 0, sizeof *out);
	struct cursor c = cursor_init(p, len);
	uint8_t v = cursor_u8(&c);
	out->global_id = cursor_le64(&c);
	out->service_id = cursor_le32(&c);
	cursor_u8(&c);		/* CephXTicketBlob version */
	out->secret_id = cursor_le64(&c);
	out->blob = take_blob(&c, &out->blob_len);
	if (!cursor_ok(&c))
		return cursor_verdict(&c);
	if (v != 1 || !ceph_entity_type_name(out->service_id))
		return CEPHX_MALFORMED;
	return CEPHX_OK;
}

enum cephx_verdict cephx_read_authorizer_reply(const uint8_t *p, size_t len,
					       const uint8_t session_key[CEPHX_KEY_LEN],
					       uint8_t secret[CEPHX_SECRET_MAX],
					       uint32_t *secret_len)
{
	*secret_len = 0;
	struct cursor c = cursor_init(p, len);
	uint8_t buf[CEPHX_PLAINTEXT_MAX];
	const uint8_t *pt;
	size_t pt_len;
	enum cephx_verdict v = decrypt_at(&c, session_key, buf, &pt, &pt_len);
	if (v != CEPHX_OK)
		return v;
	struct cursor s = cursor_init(pt, pt_len);
	uint8_t sv = cursor_u8(&s);
	cursor_le64(&s);	/* nonce + 1 */
	if (sv >= 2) {
		uint32_t slen;
		const uint8_t *sec = take_blob(&s, &slen);
		if (!sec)
			return CEPHX_MALFORMED;
		if (slen > CEPHX_SECRET_MAX)
			return CEPHX_MALFORMED;
		memcpy(secret, sec, slen);
		*secret_len = slen;
	}
	return cursor_ok(&s) ? CEPHX_OK : CEPHX_MALFORMED;
}

/* --- tickets learned ------------------------------------------------------ */

void cephx_store_learn(struct cephx_store *s, const struct cephx_ticket *t)
{
	if (t->blob_encrypted || !t->blob || t->blob_len > CEPHX_BLOB_MAX)
		return;
	if (cephx_store_ticket_key(s, &(struct cephx_authorizer){
			.service_id = t->service_id, .secret_id = t->secret_id,
			.blob = t->blob, .blob_len = t->blob_len }))
		return;
	unsigned i = s->next;
	s->next = (s->next + 1) % CEPHX_STORE_TICKETS;
	if (s->n < CEPHX_STORE_TICKETS)
		s->n++;
	s->ticket[i].service_id = t->service_id;
	s->ticket[i].secret_id = t->secret_id;
	s->ticket[i].blob_len = t->blob_len;
	memcpy(s->ticket[i].blob, t->blob, t->blob_len);
	memcpy(s->ticket[i].session_key, t->session_key, CEPHX_KEY_LEN);
}

const uint8_t *cephx_store_ticket_key(const struct cephx_store *s,
				      const struct cephx_authorizer *a)
{
	/* The blob is the ticket itself (encrypted with the service's secret):
	 * equal blobs, equal tickets. */
	for (unsigned i = 0; i < s->n; i++)
		if (s->ticket[i].service_id == a->service_id &&
		    s->ticket[i].secret_id == a->secret_id &&
		    s->ticket[i].blob_len == a->blob_len &&
		    !memcmp(s->ticket[i].blob, a->blob, a->blob_len))
			return s->ticket[i].session_key;
	return NULL;
}
