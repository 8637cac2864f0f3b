/* ceph_wire_test.c - the Ceph messenger's crc32c, msgr1 and msgr2
 * framing, cephx and secure-mode layers, on published vectors (RFC 3720's
 * CRC-32C values; the frame layouts and the AES-GCM sample of Ceph's own
 * tests, src/test/msgr/test_frames_v2.cc and test_crypto_onwire.cc) and on
 * frames of the lab's real captures (ceph_vectors.h) with the lab's keys
 * (tests/captures/ceph/lab.keyring). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cursor.h"
#include "proto/ceph/cephx.h"
#include "proto/ceph/crc32c.h"
#include "proto/ceph/msgr1.h"
#include "proto/ceph/msgr2.h"
#include "proto/ceph/secure.h"
#include "ceph_vectors.h"
#include "tap.h"

static uint32_t crc32c_standard(const void *p, size_t n)
{
	return ~crc32c_update(0xffffffffu, p, n);
}

static void test_crc32c(void)
{
	is_int(crc32c_standard("123456789", 9), 0xe3069283u,
	       "CRC-32C check value of \"123456789\"");
	uint8_t b[32];
	memset(b, 0, sizeof b);
	is_int(crc32c_standard(b, 32), 0x8a9136aau, "RFC 3720 B.4: 32 zero bytes");
	memset(b, 0xff, sizeof b);
	is_int(crc32c_standard(b, 32), 0x62a8ab43u, "RFC 3720 B.4: 32 bytes 0xff");
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	is_int(crc32c_standard(b, 32), 0x46dd794eu, "RFC 3720 B.4: 0..31");
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	is_int(crc32c_standard(b, 32), 0x113fdb5cu, "RFC 3720 B.4: 31..0");

	/* Pieces, alignments, both implementations: one function. */
	uint8_t buf[1031];
	srand(7);
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)rand();
	int same = 1;
	for (size_t off = 0; off < 9; off++)
		for (size_t len = 0; len + off <= sizeof buf; len += 37) {
			uint32_t a = crc32c_update(0x12345678u, buf + off, len);
			uint32_t p = crc32c_update_portable(0x12345678u, buf + off, len);
			size_t cut = len / 3;
			uint32_t c = crc32c_update(crc32c_update(0x12345678u, buf + off, cut),
						   buf + off + cut, len - cut);
			same &= a == p && a == c;
		}
	ok(same, "table and processor crc32c agree on any alignment, in pieces too");
}

static void test_banner(void)
{
	struct msgr2_banner b;
	is_int(msgr2_banner_read(crc_client_banner, sizeof crc_client_banner, &b),
	       26, "msgr2 banner: 10 bytes + 16 of features");
	ok(b.supported == MSGR2_FEATURE_REVISION_1 && b.required == 0,
	   "Ceph 16.2 supports msgr2.1, requires nothing");
	is_int(msgr2_banner_read(crc_client_banner, 20, &b), 0,
	       "a banner cut short needs more bytes");
	is_int(msgr2_banner_read((const uint8_t *)"ceph v027", 9, &b), -1,
	       "a msgr1 banner is no msgr2 banner");
	uint8_t shortpay[] = { 'c', 'e', 'p', 'h', ' ', 'v', '2', '\n', 8, 0 };
	is_int(msgr2_banner_read(shortpay, sizeof shortpay, &b), -1,
	       "a feature payload shorter than 16 bytes is refused");
}

static void test_preamble(void)
{
	struct msgr2_preamble p;
	is_int(msgr2_preamble_read(crc_hello, &p), MSGR2_PREAMBLE_OK, "HELLO preamble crc32c");
	ok(p.tag == MSGR2_TAG_HELLO && p.num_segments == 1 && p.seg_len[0] == 36 &&
	   p.seg_align[0] == 8, "HELLO: one 36-byte segment, alignment 8");
	is_str(msgr2_tag_name(p.tag), "HELLO", "tag name");
	ok(!msgr2_tag_name(0) && !msgr2_tag_name(23), "tags 0 and 23 have no name");

	uint8_t b[32];
	memcpy(b, crc_hello, 32);
	b[5] ^= 1;
	is_int(msgr2_preamble_read(b, &p), MSGR2_PREAMBLE_BAD_CRC, "one bit off: bad crc");

	/* crc right, segments impossible */
	memcpy(b, crc_hello, 32);
	b[1] = 0;
	uint32_t crc = crc32c_update(0, b, 28);
	for (int i = 0; i < 4; i++)
		b[28 + i] = (uint8_t)(crc >> (8 * i));
	is_int(msgr2_preamble_read(b, &p), MSGR2_PREAMBLE_BAD_SEGMENTS,
	       "no segment at all: refused though the crc is right");
	b[1] = 2;	/* second segment empty */
	crc = crc32c_update(0, b, 28);
	for (int i = 0; i < 4; i++)
		b[28 + i] = (uint8_t)(crc >> (8 * i));
	is_int(msgr2_preamble_read(b, &p), MSGR2_PREAMBLE_BAD_SEGMENTS,
	       "an empty last segment is refused");
}

static void test_crc_frames(void)
{
	struct msgr2_preamble p;
	struct msgr2_layout l;
	struct msgr2_crc_frame f;
	msgr2_preamble_read(crc_hello, &p);
	msgr2_layout(&p, true, false, &l);
	is_int(l.total, sizeof crc_hello, "HELLO: 32 + 36 + crc, no epilogue in msgr2.1");
	ok(msgr2_crc_frame_check(&p, true, crc_hello + 32, sizeof crc_hello - 32, &f) &&
	   f.crc_present == 1 && !f.crc_bad && !f.has_epilogue,
	   "HELLO: its segment's crc32c is right");
	ok(!msgr2_crc_frame_check(&p, false, crc_hello + 32, sizeof crc_hello - 32, &f),
	   "read as msgr2.0 it has not the length its preamble says");
	uint8_t h[sizeof crc_hello];
	memcpy(h, crc_hello, sizeof h);
	h[40] ^= 0x80;
	ok(msgr2_crc_frame_check(&p, true, h + 32, sizeof h - 32, &f) && f.crc_bad == 1,
	   "a changed payload byte: the segment crc says so");

	is_int(msgr2_preamble_read(crc_subscribe, &p), MSGR2_PREAMBLE_OK, "MESSAGE preamble");
	msgr2_layout(&p, true, false, &l);
	ok(p.num_segments == 2 && p.seg_len[0] == 41 && l.epilogue == 13 &&
	   l.total == sizeof crc_subscribe, "MESSAGE: header (41) + front, 13-byte epilogue");
	ok(msgr2_crc_frame_check(&p, true, crc_subscribe + 32, sizeof crc_subscribe - 32, &f) &&
	   f.crc_present == 3 && !f.crc_bad && f.has_epilogue &&
	   f.late == MSGR2_LATE_STATUS_COMPLETE && !f.aborted && !f.late_invalid,
	   "MESSAGE: both crcs right, late status complete");
	uint8_t m[sizeof crc_subscribe];
	memcpy(m, crc_subscribe, sizeof m);
	size_t ep = sizeof m - 13;
	m[ep] = 0x05;
	ok(msgr2_crc_frame_check(&p, true, m + 32, sizeof m - 32, &f) && f.late_invalid,
	   "late status 0x05 is neither complete nor aborted");
	m[ep] = 0x01;
	ok(msgr2_crc_frame_check(&p, true, m + 32, sizeof m - 32, &f) && f.aborted &&
	   !f.late_invalid, "late status 0x01: aborted by the sender");
	m[ep] = 0x0e;
	m[ep + 2] ^= 1;
	ok(msgr2_crc_frame_check(&p, true, m + 32, sizeof m - 32, &f) && f.crc_bad == 2,
	   "a changed epilogue crc: the front segment's crc fails");
}

/* Ceph's src/test/msgr/test_frames_v2.cc, round_trip_instances: segment
 * lengths and the on-wire lengths of preamble, segments, epilogue in
 * msgr2.0 crc, msgr2.0 secure, msgr2.1 crc, msgr2.1 secure. */
static const struct {
	uint32_t len[4];
	unsigned nseg;
	uint32_t onwire[4][6];
} layout_vectors[] = {
	{ { 0, 0, 0, 0 }, 1, { { 32, 0, 17, 0, 0, 0 }, { 32, 0, 32, 0, 0, 0 },
			       { 32, 0, 0, 0, 0, 0 }, { 96, 0, 0, 0, 0, 0 } } },
	{ { 0, 0, 0, 303 }, 4, { { 32, 0, 0, 0, 303, 17 }, { 32, 0, 0, 0, 304, 32 },
				 { 32, 0, 0, 0, 303, 13 }, { 96, 0, 0, 0, 304, 32 } } },
	{ { 0, 101, 202, 303 }, 4, { { 32, 0, 101, 202, 303, 17 }, { 32, 0, 112, 208, 304, 32 },
				     { 32, 0, 101, 202, 303, 13 }, { 96, 0, 112, 208, 304, 32 } } },
	{ { 1, 0, 0, 0 }, 1, { { 32, 1, 17, 0, 0, 0 }, { 32, 16, 32, 0, 0, 0 },
			       { 32, 5, 0, 0, 0, 0 }, { 96, 0, 0, 0, 0, 0 } } },
	{ { 1, 101, 202, 303 }, 4, { { 32, 1, 101, 202, 303, 17 }, { 32, 16, 112, 208, 304, 32 },
				     { 32, 5, 101, 202, 303, 13 }, { 96, 0, 112, 208, 304, 32 } } },
	{ { 48, 101, 0, 0 }, 2, { { 32, 48, 101, 17, 0, 0 }, { 32, 48, 112, 32, 0, 0 },
				  { 32, 52, 101, 13, 0, 0 }, { 96, 0, 112, 32, 0, 0 } } },
	{ { 49, 0, 0, 0 }, 1, { { 32, 49, 17, 0, 0, 0 }, { 32, 64, 32, 0, 0, 0 },
				{ 32, 53, 0, 0, 0, 0 }, { 96, 32, 0, 0, 0, 0 } } },
	{ { 49, 101, 202, 303 }, 4, { { 32, 49, 101, 202, 303, 17 }, { 32, 64, 112, 208, 304, 32 },
				      { 32, 53, 101, 202, 303, 13 }, { 96, 32, 112, 208, 304, 32 } } },
};

static void test_layouts(void)
{
	int bad = 0, n = 0;
	for (size_t v = 0; v < sizeof layout_vectors / sizeof layout_vectors[0]; v++) {
		struct msgr2_preamble p;
		memset(&p, 0, sizeof p);
		p.num_segments = (uint8_t)layout_vectors[v].nseg;
		memcpy(p.seg_len, layout_vectors[v].len, sizeof p.seg_len);
		for (int mode = 0; mode < 4; mode++) {
			bool rev1 = mode >> 1, secure = mode & 1;
			struct msgr2_layout l;
			msgr2_layout(&p, rev1, secure, &l);
			const uint32_t *w = layout_vectors[v].onwire[mode];
			unsigned ns = p.num_segments;
			uint64_t sum = 0;
			int ok_ = l.preamble == w[0] && l.epilogue == w[ns + 1];
			for (unsigned i = 0; i < ns; i++)
				ok_ &= l.segment[i] == w[i + 1];
			for (int i = 0; i < 6; i++)
				sum += w[i];
			ok_ &= l.total == sum;
			if (!ok_) {
				bad++;
				printf("# vector %zu mode %d: preamble %u epilogue %u total %llu\n",
				       v, mode, l.preamble, l.epilogue,
				       (unsigned long long)l.total);
			}
			n++;
		}
	}
	ok(!bad, "frame layouts: %d cases of Ceph's table, each revision and mode", n);
}

/* Ceph's src/test/msgr/test_crypto_onwire.cc, aes_gcm_sample_t: the
 * secret's first 16 bytes are the key, the next 12 the nonce (msgr2.0). */
static const char gcm_secret[] = "mock of crypto material for deriving key and nonce for AES GCM";
static const char gcm_plain[] = "mock of plain text for AES GCM cipher";
static const uint8_t gcm_cipher_tag[37 + 16] = {
	0x4d, 0xa2, 0xa6, 0x1b, 0xa5, 0x2e, 0x20, 0x0d, 0xa3, 0x3e, 0x56, 0x6f,
	0x36, 0x8c, 0xf3, 0x43, 0x1a, 0xe5, 0x81, 0x55, 0xb2, 0x31, 0x8c, 0x79,
	0xe5, 0x16, 0xae, 0xab, 0x80, 0xab, 0xd9, 0xe4, 0x13, 0x91, 0xad, 0x44,
	0x7d,
	0xf4, 0x91, 0x9e, 0x37, 0x0e, 0xdc, 0xa8, 0xb2, 0xc6, 0xeb, 0xf8, 0x03,
	0xe9, 0x62, 0x42, 0xc5,
};

static void test_gcm(void)
{
	struct secure_dir d;
	uint8_t out[64];
	ok(secure_dir_init(&d, (const uint8_t *)gcm_secret, sizeof gcm_secret - 1,
			   false, false), "AES-128-GCM set up from a secret");
	ok(secure_open(&d, gcm_cipher_tag, sizeof gcm_cipher_tag, out) &&
	   !memcmp(out, gcm_plain, 37), "Ceph's AES-GCM sample decrypts and its tag verifies");
	ok(d.nonce[0] == (uint8_t)(gcm_secret[16] + 1) && !memcmp(d.nonce + 1, gcm_secret + 17, 11),
	   "msgr2.0: the nonce's first le32 counts");
	ok(!secure_open(&d, gcm_cipher_tag, sizeof gcm_cipher_tag, out),
	   "the same bytes do not verify under the next nonce");
	secure_dir_free(&d);

	secure_dir_init(&d, (const uint8_t *)gcm_secret, sizeof gcm_secret - 1, false, false);
	uint8_t bad[sizeof gcm_cipher_tag];
	memcpy(bad, gcm_cipher_tag, sizeof bad);
	memset(bad + 37, 0, 16);
	ok(!secure_open(&d, bad, sizeof bad, out), "a zero tag does not verify");
	secure_dir_free(&d);

	uint8_t secret[40];
	memset(secret, 0, sizeof secret);
	memset(secret + 28 + 4, 0xff, 4);	/* client nonce counter 0x00000000ffffffff */
	secure_dir_init(&d, secret, sizeof secret, true, true);
	secure_open(&d, gcm_cipher_tag, sizeof gcm_cipher_tag, out);
	static const uint8_t want[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
	ok(!memcmp(d.nonce, want, 12),
	   "msgr2.1: the client's nonce (the secret's second) counts in its last le64, carrying");
	secure_dir_free(&d);
	ok(!secure_dir_init(&d, secret, 39, true, true), "a secret shorter than 40 bytes is refused");
}

static char *read_file(const char *rel, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 16);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

static void test_keyring(struct cephx_keyring *k)
{
	size_t len = 0;
	char err[160];
	char *text = read_file("tests/captures/ceph/lab.keyring", &len);
	ok(text && cephx_keyring_parse(text, len, k, err, sizeof err),
	   "the lab's keyring reads");
	free(text);
	ok(k->n == 3 && cephx_keyring_find(k, "client.admin") &&
	   cephx_keyring_find(k, "mon.") && cephx_keyring_find(k, "osd.0") &&
	   !cephx_keyring_find(k, "osd.1"), "three entities: client.admin, mon., osd.0");

	struct cephx_keyring t;
	static const char nokey[] = "[client.x]\n\tcaps mon = \"allow *\"\n";
	ok(!cephx_keyring_parse(nokey, sizeof nokey - 1, &t, err, sizeof err),
	   "a keyring without a key is refused: %s", err);
	static const char badkey[] = "[client.x]\n\tkey = AQAAAA==\n";
	ok(!cephx_keyring_parse(badkey, sizeof badkey - 1, &t, err, sizeof err) &&
	   strstr(err, "line 2"), "a key that is no AES-128 key: %s", err);
	static const char noeq[] = "[client.x]\n\tkey AQC3\n";
	ok(!cephx_keyring_parse(noeq, sizeof noeq - 1, &t, err, sizeof err),
	   "a line without '=' is refused: %s", err);
	/* `ceph auth get-key`-style: the key alone decodes too. */
	uint8_t key[16];
	static const char admin[] = "AQBavRRroWjdJxAADPAoaqtppfeLXOOePzvkSQ==";
	ok(cephx_key_from_base64(admin, 40, key) &&
	   !memcmp(key, cephx_keyring_find(k, "client.admin"), 16),
	   "a base64 key alone (as `ceph auth get-key` prints it)");
	ok(!cephx_key_from_base64(admin, 38, key), "a base64 key cut short is refused");
}

/* The segment-0 payload of a crc-mode msgr2.1 frame (its bytes after the
 * preamble, crc excluded). */
static struct cursor payload(const uint8_t *frame)
{
	struct msgr2_preamble p;
	msgr2_preamble_read(frame, &p);
	return cursor_init(frame + 32, p.seg_len[0]);
}

static const uint8_t *blob(struct cursor *c, uint32_t *len)
{
	*len = cursor_le32(c);
	return cursor_take(c, *len);
}

static void test_cephx(const struct cephx_keyring *k)
{
	/* AUTH_REQUEST to a monitor: method, preferred modes, payload. */
	struct cursor c = payload(sec_mon_auth_request);
	uint32_t method = cursor_le32(&c), nmodes = cursor_le32(&c), mode = cursor_le32(&c);
	uint32_t plen;
	const uint8_t *pl = blob(&c, &plen);
	ok(method == CEPH_AUTH_CEPHX && nmodes == 1 && mode == MSGR2_MODE_SECURE,
	   "AUTH_REQUEST: cephx, secure mode only");
	struct cephx_mon_request mr;
	ok(cephx_read_mon_request(pl, plen, &mr) == CEPHX_OK &&
	   !strcmp(mr.entity_name, "client.admin") && mr.global_id == 0,
	   "who authenticates: client.admin, no global id yet");

	/* AUTH_DONE: global id, connection mode, cephx reply. */
	c = payload(sec_mon_auth_done);
	uint64_t gid = cursor_le64(&c);
	uint32_t con_mode = cursor_le32(&c);
	pl = blob(&c, &plen);
	ok(gid > 0 && con_mode == MSGR2_MODE_SECURE, "AUTH_DONE: a global id, secure mode");
	struct cephx_session_reply r;
	const uint8_t *admin = cephx_keyring_find(k, "client.admin");
	is_int(cephx_read_session_reply(pl, plen, admin, &r), CEPHX_OK,
	       "the reply decrypts with client.admin's key");
	ok(r.request_type == CEPHX_GET_AUTH_SESSION_KEY && r.status == 0 &&
	   r.nticket == 1 && r.ticket[0].service_id == CEPH_ENTITY_TYPE_AUTH &&
	   r.has_secret && r.secret_len == 64,
	   "the AUTH ticket and a 64-byte connection secret");
	const struct cephx_ticket *osd_ticket = NULL;
	for (unsigned i = 0; i < r.nextra; i++)
		if (r.extra[i].service_id == CEPH_ENTITY_TYPE_OSD)
			osd_ticket = &r.extra[i];
	ok(r.nextra == 3 && osd_ticket && !osd_ticket->blob_encrypted && osd_ticket->blob_len > 0,
	   "and the MON, OSD and MGR tickets the client asked for");
	struct cephx_session_reply wrong;
	is_int(cephx_read_session_reply(pl, plen, cephx_keyring_find(k, "osd.0"), &wrong),
	       CEPHX_WRONG_KEY, "osd.0's key is the wrong key");
	uint16_t rt;
	int32_t st;
	ok(cephx_read_response_header(pl, plen, &rt, &st) == CEPHX_OK && rt == 0x100 && st == 0,
	   "the reply's header needs no key");
	is_int(cephx_read_session_reply(pl, 40, admin, &wrong), CEPHX_TRUNCATED,
	       "a reply cut short is truncated");

	/* The first encrypted frames, both ways (msgr2.1: both banners
	 * offer revision 1). */
	struct secure_dir to_server, to_client;
	uint8_t pt[96];
	struct msgr2_preamble p;
	ok(secure_dir_init(&to_server, r.secret, r.secret_len, true, true) &&
	   secure_dir_init(&to_client, r.secret, r.secret_len, false, true), "secure mode set up");
	ok(secure_open(&to_server, sec_mon_client_first, 96, pt) &&
	   msgr2_preamble_read(pt, &p) == MSGR2_PREAMBLE_OK && p.tag == MSGR2_TAG_AUTH_SIGNATURE &&
	   p.seg_len[0] == 32, "the client's first encrypted frame: AUTH_SIGNATURE, 32 bytes inlined");
	ok(secure_open(&to_client, sec_mon_server_first, 96, pt) &&
	   msgr2_preamble_read(pt, &p) == MSGR2_PREAMBLE_OK && p.tag == MSGR2_TAG_AUTH_SIGNATURE,
	   "the monitor's first encrypted frame: AUTH_SIGNATURE");
	secure_dir_free(&to_server);
	secure_dir_init(&to_server, r.secret, r.secret_len, false, true);
	ok(!secure_open(&to_server, sec_mon_client_first, 96, pt),
	   "the other direction's nonce does not open it");
	secure_dir_free(&to_server);
	secure_dir_free(&to_client);

	/* The OSD connection: the authorizer carries the ticket the monitor
	 * gave; the OSD's AUTH_DONE is opened with that ticket's key. */
	c = payload(sec_osd_auth_request);
	cursor_le32(&c);
	nmodes = cursor_le32(&c);
	cursor_skip(&c, 4 * (size_t)nmodes);
	pl = blob(&c, &plen);
	struct cephx_authorizer a;
	ok(cephx_read_authorizer(pl, plen, &a) == CEPHX_OK &&
	   a.service_id == CEPH_ENTITY_TYPE_OSD && a.global_id == gid &&
	   osd_ticket && a.blob_len == osd_ticket->blob_len &&
	   !memcmp(a.blob, osd_ticket->blob, a.blob_len) &&
	   a.secret_id == osd_ticket->secret_id,
	   "the authorizer shows the OSD ticket of that monitor session");
	c = payload(sec_osd_auth_done);
	cursor_le64(&c);
	con_mode = cursor_le32(&c);
	pl = blob(&c, &plen);
	uint8_t secret[CEPHX_SECRET_MAX];
	uint32_t slen = 0;
	ok(con_mode == MSGR2_MODE_SECURE && osd_ticket &&
	   cephx_read_authorizer_reply(pl, plen, osd_ticket->session_key, secret, &slen) == CEPHX_OK &&
	   slen == 64, "the OSD's AUTH_DONE gives the connection secret");
	is_int(cephx_read_authorizer_reply(pl, plen, r.ticket[0].session_key, secret, &slen),
	       CEPHX_WRONG_KEY, "the AUTH session key is the wrong key for it");
	cephx_read_authorizer_reply(pl, plen, osd_ticket ? osd_ticket->session_key : admin,
				    secret, &slen);
	ok(secure_dir_init(&to_client, secret, slen, false, true) &&
	   secure_open(&to_client, sec_osd_server_first, 96, pt) &&
	   msgr2_preamble_read(pt, &p) == MSGR2_PREAMBLE_OK && p.tag == MSGR2_TAG_AUTH_SIGNATURE,
	   "the OSD's first encrypted frame opens: AUTH_SIGNATURE");
	secure_dir_free(&to_client);
}

static void test_msgr1(void)
{
	ok(!memcmp(v1_osd_client_head, MSGR1_BANNER, MSGR1_BANNER_LEN), "v1 banner");
	struct ceph_addr addr;
	msgr1_addr_read(v1_osd_client_head + 9, &addr);
	static const uint8_t lo[4] = { 127, 0, 0, 1 };
	ok(addr.family == 2 && !memcmp(addr.ip, lo, 4), "the client's address: 127.0.0.1");
	struct msgr1_connect cn;
	msgr1_connect_read(v1_osd_client_head + 9 + MSGR1_ADDR_LEN, &cn);
	ok(cn.host_type == CEPH_ENTITY_TYPE_CLIENT && cn.protocol_version == 24 &&
	   cn.authorizer_protocol == CEPH_AUTH_CEPHX && cn.authorizer_len == 174 &&
	   (cn.features & CEPH_FEATURE_MSG_AUTH),
	   "CONNECT to an OSD: client, protocol 24, a 174-byte cephx authorizer");
	struct cephx_authorizer a;
	ok(cephx_read_authorizer(v1_osd_client_head + 9 + MSGR1_ADDR_LEN + MSGR1_CONNECT_LEN,
				 cn.authorizer_len, &a) == CEPHX_OK &&
	   a.service_id == CEPH_ENTITY_TYPE_OSD, "the authorizer is for the OSD service");

	msgr1_addr_read(v1_osd_server_head + 9, &addr);
	ok(addr.family == 2 && addr.port == 6800, "the OSD's address: port 6800");
	struct msgr1_connect_reply rp;
	msgr1_connect_reply_read(v1_osd_server_head + 9 + 2 * MSGR1_ADDR_LEN, &rp);
	ok(rp.tag == MSGR1_TAG_CHALLENGE_AUTHORIZER && rp.authorizer_len == 32 &&
	   msgr1_tag_is_connect_reply(rp.tag),
	   "the OSD answers CHALLENGE_AUTHORIZER (tag 16) with a 32-byte challenge");
	is_str(msgr1_tag_name(rp.tag), "CHALLENGE_AUTHORIZER", "tag 16's name");

	struct msgr1_header h;
	ok(v1_mon_msg[0] == MSGR1_TAG_MSG && msgr1_header_read(v1_mon_msg + 1, &h),
	   "a monitor's MSG: header crc32c right");
	ok(1 + MSGR1_HEADER_LEN + h.front_len + h.middle_len + h.data_len + MSGR1_FOOTER_LEN ==
	   sizeof v1_mon_msg && h.src_type == CEPH_ENTITY_TYPE_MON, "lengths tile the message");
	struct msgr1_footer f;
	struct msgr1_body_check bc;
	const uint8_t *front = v1_mon_msg + 1 + MSGR1_HEADER_LEN;
	msgr1_footer_read(front + h.front_len + h.middle_len + h.data_len, MSGR1_FOOTER_LEN, &f);
	msgr1_body_check(&f, front, h.front_len, NULL, 0, NULL, 0, &bc);
	ok(!bc.front_bad && !bc.middle_bad && !bc.data_bad &&
	   (f.flags & MSGR1_FOOTER_COMPLETE), "its footer's crcs are right");
	uint8_t m[sizeof v1_mon_msg];
	memcpy(m, v1_mon_msg, sizeof m);
	m[1 + 16] ^= 1;
	ok(!msgr1_header_read(m + 1, &h), "a changed type: the header crc fails");
	m[1 + 16] ^= 1;
	m[1 + MSGR1_HEADER_LEN + 2] ^= 4;
	msgr1_header_read(m + 1, &h);
	msgr1_body_check(&f, m + 1 + MSGR1_HEADER_LEN, h.front_len, NULL, 0, NULL, 0, &bc);
	ok(bc.front_bad, "a changed front byte: the front crc fails");
}

int main(void)
{
	struct cephx_keyring *k = calloc(1, sizeof *k);
	test_crc32c();
	test_banner();
	test_preamble();
	test_crc_frames();
	test_layouts();
	test_gcm();
	test_keyring(k);
	test_cephx(k);
	test_msgr1();
	free(k);
	return tap_done();
}
