/* framing.c - a Ceph messenger connection's byte streams cut into units
 * (framing.h).
 *
 * Each direction is a small machine over parts: a fixed-size part is
 * collected into fix[] and then read; a frame's or message's body is a
 * list of pieces (segments, padding, crcs, epilogue, AES-GCM tags) that
 * stream by, decrypted when secure, checked, and kept up to a bound.
 * A direction that lost its place hunts: it tests each position for a
 * msgr2 preamble or a msgr1 MSG header whose crc32c matches.
 */
#include "proto/ceph/framing.h"

#include <stdlib.h>
#include <string.h>

#include "base/budget.h"
#include "base/cursor.h"
#include "proto/ceph/crc32c.h"

/* A msgr2 segment or msgr1 payload longer than this is not believed. */
#define CEPH_MAX_SEGMENT (256u << 20)
/* msgr1 authorizers and msgr2 banner payloads kept at most. */
#define AUTH_KEEP 4096
#define BANNER_PAYLOAD_MAX 256
/* What hunting tests at each position: a msgr2 preamble (32 bytes) or
 * a msgr1 tag + header (54). */
#define HUNT_NEED (1 + MSGR1_HEADER_LEN)
#define HUNT_WIN 128
#define PEND_MAX 512
#define FIX_MAX (MSGR1_BANNER_LEN + 2 * MSGR1_ADDR_LEN + 8)
#define PIECES_MAX 16

enum part {
	PART_SNIFF = 0,		/* the first bytes: a banner? */
	PART_V1_BANNER,
	PART_V1_CONNECT,
	PART_V1_AFTER_CONNECT,	/* client: decided by the server's reply */
	PART_V1_REPLY,
	PART_V1_AUTH,		/* authorizer after CONNECT or reply */
	PART_V1_SEQ,
	PART_V1_TAG,
	PART_V1_U64,
	PART_V1_HEADER,
	PART_V1_FOOTER,
	PART_V2_BANNER,
	PART_V2_PREAMBLE,
	PART_BODY,		/* pieces of a frame or message */
	PART_HUNT,
	PART_ENCRYPTED,
};

enum piece_what {
	PC_SEG,		/* segment bytes: kept, crc'ed */
	PC_PAD,		/* secure padding: dropped */
	PC_CRC0,	/* msgr2.1 crc mode: the first segment's crc */
	PC_EPILOGUE,
	PC_BEGIN,	/* a new AES-GCM message starts (no bytes) */
	PC_TAG,		/* an AES-GCM message's tag */
};

struct piece {
	uint8_t what, seg;
	uint32_t len;
};

struct ceph_dir {
	bool to_server;
	uint8_t part;
	uint8_t fix[FIX_MAX];
	size_t fix_have, need;

	/* the unit under way */
	struct ceph_unit u;
	bool in_unit, after_gap;
	uint64_t unit_bytes;
	uint8_t *buf;
	size_t buf_len, buf_cap, max_keep;
	uint32_t seg_off[4];

	/* body pieces */
	struct piece piece[PIECES_MAX];
	unsigned npieces, pi;
	uint32_t pleft;
	uint32_t crc[4];
	uint8_t small[32];	/* crc0, epilogue or tag being collected */
	unsigned small_have;
	uint32_t crc0;
	uint8_t epilogue[MSGR2_EPILOGUE_CRC_REV0_LEN];

	struct secure_dir cipher;
	bool cipher_on;		/* frames of this direction are encrypted */
	bool in_gcm;		/* inside an AES-GCM message */

	/* hunting */
	uint8_t win[HUNT_WIN];
	size_t win_len;
	uint64_t skipped, skip_first_frame;
	uint8_t pend[PEND_MAX];
	size_t pend_off, pend_len;
	uint8_t secure_why;	/* PART_ENCRYPTED */
	uint8_t next_part;	/* after a msgr1 authorizer */
};

const char *ceph_secure_why_text(enum ceph_secure_why why)
{
	switch (why) {
	case CEPH_SECURE_NO_KEYRING:
		return "encrypted (secure mode): no keyring given";
	case CEPH_SECURE_NO_ENTITY_KEY:
		return "encrypted (secure mode): the keyring has no key for the entity that authenticated";
	case CEPH_SECURE_NO_TICKET:
		return "encrypted (secure mode): the monitor session that issued the ticket was not captured";
	case CEPH_SECURE_NO_START:
		return "encrypted (secure mode): the connection's authentication was not captured";
	case CEPH_SECURE_WRONG_KEY:
		return "encrypted (secure mode): the keyring's key does not open it";
	case CEPH_SECURE_LOST:
		return "encrypted (secure mode): a frame did not decrypt, the rest cannot be followed";
	}
	return "encrypted (secure mode)";
}

void ceph_conn_init(struct ceph_conn *c, struct cephx_store *keys)
{
	memset(c, 0, sizeof *c);
	c->keys = keys;
}

static bool charge(struct ceph_conn *c, size_t n)
{
	return budget_charge(c->budget, n);
}

static void refund(struct ceph_conn *c, size_t n)
{
	budget_release(c->budget, n);
}

static void release_buf(struct ceph_conn *c, struct ceph_dir *d)
{
	refund(c, d->buf_cap);
	free(d->buf);
	d->buf = NULL;
	d->buf_cap = 0;
}

void ceph_conn_free(struct ceph_conn *c)
{
	for (int i = 0; i < 2; i++) {
		struct ceph_dir *d = c->dir[i];
		if (!d)
			continue;
		secure_dir_free(&d->cipher);
		release_buf(c, d);
		refund(c, sizeof *d);
		free(d);
		c->dir[i] = NULL;
	}
}

static struct ceph_dir *dir_of(struct ceph_conn *c, bool to_server)
{
	struct ceph_dir **p = &c->dir[to_server ? 0 : 1];
	if (!*p && charge(c, sizeof **p)) {
		*p = calloc(1, sizeof **p);
		if (*p)
			(*p)->to_server = to_server;
		else
			refund(c, sizeof **p);
	}
	return *p;
}

/* --- units ---------------------------------------------------------------- */

struct feed_ctx {
	struct ceph_conn *c;
	uint64_t frame;
	ceph_unit_fn fn;
	void *ctx;
};

static void unit_start(struct ceph_dir *d, const struct feed_ctx *f)
{
	if (d->in_unit)
		return;
	memset(&d->u, 0, sizeof d->u);
	d->u.first_frame = f->frame;
	d->u.from_client = d->to_server;
	d->u.msgr = f->c->msgr;
	d->u.rev1 = f->c->rev1;
	d->in_unit = true;
	d->unit_bytes = 0;
	d->buf_len = 0;
	memset(d->seg_off, 0, sizeof d->seg_off);
}

/* Keeps bytes of segment i (segments are kept in order). */
static void keep(struct ceph_conn *c, struct ceph_dir *d, unsigned i,
		 const uint8_t *p, size_t n)
{
	if (d->u.seg_kept[i] == 0 && i > 0 && d->u.seg_len[i])
		d->seg_off[i] = (uint32_t)d->buf_len;
	size_t room = d->buf_len < d->max_keep ? d->max_keep - d->buf_len : 0;
	if (n > room) {
		d->u.flags |= CEPH_U_ELIDED;
		n = room;
	}
	if (!n)
		return;
	if (d->buf_len + n > d->buf_cap) {
		size_t cap = d->buf_cap ? d->buf_cap : 4096;
		while (cap < d->buf_len + n)
			cap *= 2;
		if (cap > d->max_keep)
			cap = d->max_keep;
		if (!charge(c, cap - d->buf_cap)) {
			d->u.flags |= CEPH_U_ELIDED;
			return;
		}
		uint8_t *nb = realloc(d->buf, cap);
		if (!nb) {
			refund(c, cap - d->buf_cap);
			d->u.flags |= CEPH_U_ELIDED;
			return;
		}
		d->buf = nb;
		d->buf_cap = cap;
	}
	memcpy(d->buf + d->buf_len, p, n);
	d->buf_len += n;
	d->u.seg_kept[i] += (uint32_t)n;
}

static void unit_emit(struct ceph_dir *d, const struct feed_ctx *f)
{
	struct ceph_unit *u = &d->u;
	u->frame = f->frame;
	u->wire_len = d->unit_bytes;
	if (d->after_gap) {
		u->flags |= CEPH_U_AFTER_GAP;
		d->after_gap = false;
	}
	for (int i = 0; i < 4; i++)
		u->seg[i] = u->seg_kept[i] ? d->buf + d->seg_off[i] : NULL;
	if (u->kind == CEPH_UNIT_CONNECT || u->kind == CEPH_UNIT_CONNECT_REPLY) {
		u->auth = u->seg[0];
		u->auth_kept = u->seg_kept[0];
	}
	d->in_unit = false;
	f->fn(f->ctx, u);
	/* A large frame's buffer is not kept for the small ones after it;
	 * under a shared budget none is, so idle connections hold no bytes. */
	if (d->buf_cap > 65536 || (f->c->budget && d->buf_cap))
		release_buf(f->c, d);
	d->buf_len = 0;
}

static void emit_skipped(struct ceph_dir *d, const struct feed_ctx *f)
{
	if (!d->skipped)
		return;
	struct ceph_unit u;
	memset(&u, 0, sizeof u);
	u.kind = CEPH_UNIT_SKIPPED;
	u.msgr = f->c->msgr;
	u.from_client = d->to_server;
	u.first_frame = d->skip_first_frame;
	u.frame = f->frame;
	u.wire_len = d->skipped;
	u.why = "bytes passed over to find the next frame";
	if (d->after_gap) {
		u.flags |= CEPH_U_AFTER_GAP;
		d->after_gap = false;
	}
	d->skipped = 0;
	f->fn(f->ctx, &u);
}

static void skip_bytes(struct ceph_dir *d, const struct feed_ctx *f, size_t n)
{
	if (!n)
		return;
	if (!d->skipped)
		d->skip_first_frame = f->frame;
	d->skipped += n;
}

/* --- hunting -------------------------------------------------------------- */

static bool plausible_v2(const uint8_t *p)
{
	/* Cheap tests first: this runs at every position while hunting. */
	if (p[0] < 1 || p[0] > MSGR2_TAG_MAX || p[1] < 1 || p[1] > MSGR2_MAX_SEGMENTS ||
	    p[27] != 0)
		return false;
	struct msgr2_preamble pre;
	if (msgr2_preamble_read(p, &pre) != MSGR2_PREAMBLE_OK)
		return false;
	for (int i = 0; i < MSGR2_MAX_SEGMENTS; i++)
		if (pre.seg_len[i] > CEPH_MAX_SEGMENT)
			return false;
	return true;
}

static bool plausible_v1(const uint8_t *p)
{
	if (p[0] != MSGR1_TAG_MSG)
		return false;
	struct msgr1_header h;
	if (!msgr1_header_read(p + 1, &h))
		return false;
	return h.front_len <= CEPH_MAX_SEGMENT && h.middle_len <= CEPH_MAX_SEGMENT &&
	       h.data_len <= CEPH_MAX_SEGMENT;
}

/* Which frame start is at p (n bytes there): 2, 1, or 0. */
static int frame_start_at(const uint8_t *p, size_t n, uint8_t msgr)
{
	if (msgr != 1 && n >= MSGR2_PREAMBLE_LEN && plausible_v2(p))
		return 2;
	if (msgr != 2 && n >= HUNT_NEED && plausible_v1(p))
		return 1;
	return 0;
}

static void set_part(struct ceph_dir *d, uint8_t part, size_t need)
{
	d->part = part;
	d->need = need;
	d->fix_have = 0;
}

static void start_hunt(struct ceph_dir *d)
{
	set_part(d, PART_HUNT, 0);
	d->win_len = 0;
	d->in_unit = false;
	d->in_gcm = false;
}

/* Bytes that must be read again (in front of what follows). */
static void push_back(struct ceph_dir *d, const struct feed_ctx *f,
		      const uint8_t *p, size_t n)
{
	size_t rest = d->pend_len - d->pend_off;
	if (n + rest > PEND_MAX) {
		/* Not with the sizes above; but never overflow. */
		size_t drop = n + rest - PEND_MAX;
		if (drop > n)
			drop = n;
		skip_bytes(d, f, drop);
		p += drop;
		n -= drop;
	}
	uint8_t tmp[PEND_MAX];
	memcpy(tmp, p, n);
	memcpy(tmp + n, d->pend + d->pend_off, rest);
	memcpy(d->pend, tmp, n + rest);
	d->pend_off = 0;
	d->pend_len = n + rest;
}

/* Tests the window's positions; true when a frame starts at one (the
 * window's bytes from there are pushed back to be read).  A position is
 * left for later while it could still be a msgr1 header that needs more
 * bytes, unless `final` (the stream ends). */
static bool hunt_scan(struct ceph_dir *d, const struct feed_ctx *f, bool final)
{
	uint8_t msgr = f->c->msgr;
	size_t p = 0;
	for (; p + MSGR2_PREAMBLE_LEN <= d->win_len; p++) {
		size_t avail = d->win_len - p;
		int g = frame_start_at(d->win + p, avail, msgr);
		if (!g) {
			if (avail < HUNT_NEED && msgr != 2 && !final)
				break;	/* a msgr1 header may still start here */
			continue;
		}
		skip_bytes(d, f, p);
		emit_skipped(d, f);
		if (!msgr) {
			/* Found mid-connection: the revision is a guess. */
			f->c->msgr = (uint8_t)g;
			if (g == 2)
				f->c->rev1 = true;
		}
		uint8_t tmp[HUNT_WIN];
		size_t left = d->win_len - p;
		memcpy(tmp, d->win + p, left);
		d->win_len = 0;
		set_part(d, g == 2 ? PART_V2_PREAMBLE : PART_V1_TAG,
			 g == 2 ? MSGR2_PREAMBLE_LEN : 1);
		push_back(d, f, tmp, left);
		return true;
	}
	skip_bytes(d, f, p);
	memmove(d->win, d->win + p, d->win_len - p);
	d->win_len -= p;
	return false;
}

static size_t hunt_step(struct ceph_dir *d, const struct feed_ctx *f,
			const uint8_t *src, size_t n)
{
	size_t take = HUNT_WIN - d->win_len;
	if (take > n)
		take = n;
	memcpy(d->win + d->win_len, src, take);
	d->win_len += take;
	hunt_scan(d, f, false);
	return take;
}

/* --- secure mode ---------------------------------------------------------- */

static void go_encrypted(struct ceph_dir *d, uint8_t why)
{
	set_part(d, PART_ENCRYPTED, 0);
	d->secure_why = why;
	d->in_unit = false;
	d->in_gcm = false;
}

/* The direction's next frame is its first encrypted one. */
static void secure_turn(struct ceph_conn *c, struct ceph_dir *d)
{
	c->secure_next[d->to_server ? 0 : 1] = false;
	if (!c->have_secret) {
		go_encrypted(d, c->secure_why ? c->secure_why : CEPH_SECURE_NO_START);
		return;
	}
	secure_dir_free(&d->cipher);
	if (!secure_dir_init(&d->cipher, c->secret, c->secret_len, d->to_server, c->rev1)) {
		go_encrypted(d, CEPH_SECURE_WRONG_KEY);
		return;
	}
	d->cipher_on = true;
}

/* What the authentication frames tell: who authenticates, with which
 * ticket, and (AUTH_DONE) the mode and the connection secret. */
static void auth_learn(struct ceph_conn *c, const struct ceph_unit *u,
		       const uint8_t *seg0)
{
	if (u->seg_kept[0] != u->pre.seg_len[0] || !seg0)
		return;
	struct cursor k = cursor_init(seg0, u->seg_kept[0]);
	if (u->from_client && (u->tag == MSGR2_TAG_AUTH_REQUEST ||
			       u->tag == MSGR2_TAG_AUTH_REQUEST_MORE)) {
		if (u->tag == MSGR2_TAG_AUTH_REQUEST) {
			uint32_t method = cursor_le32(&k);
			uint32_t nmodes = cursor_le32(&k);
			if (method != CEPH_AUTH_CEPHX || nmodes > 16)
				return;
			cursor_skip(&k, 4 * (size_t)nmodes);
		}
		uint32_t plen = cursor_le32(&k);
		const uint8_t *pl = cursor_take(&k, plen);
		if (!pl || !plen)
			return;
		struct cephx_mon_request mr;
		struct cephx_authorizer a;
		if (pl[0] == CEPH_AUTH_MODE_MON &&
		    cephx_read_mon_request(pl, plen, &mr) == CEPHX_OK) {
			memcpy(c->entity, mr.entity_name, sizeof c->entity);
		} else if (cephx_read_authorizer(pl, plen, &a) == CEPHX_OK) {
			c->have_authorizer = true;
			const uint8_t *key = c->keys ? cephx_store_ticket_key(c->keys, &a) : NULL;
			if (key) {
				memcpy(c->ticket_key, key, CEPHX_KEY_LEN);
				c->have_ticket_key = true;
			}
		}
		return;
	}
	if (u->from_client || u->tag != MSGR2_TAG_AUTH_DONE)
		return;
	cursor_le64(&k);	/* global id */
	c->con_mode = cursor_le32(&k);
	uint32_t plen = cursor_le32(&k);
	const uint8_t *pl = cursor_take(&k, plen);
	bool secure = c->con_mode == MSGR2_MODE_SECURE;
	c->have_secret = false;
	c->secure_why = 0;
	if (!c->keys) {
		c->secure_why = CEPH_SECURE_NO_KEYRING;
	} else if (!pl) {
		c->secure_why = CEPH_SECURE_NO_START;
	} else if (c->entity[0]) {
		const uint8_t *key = cephx_keyring_find(&c->keys->keyring, c->entity);
		struct cephx_session_reply *r = calloc(1, sizeof *r);
		enum cephx_verdict v = CEPHX_NO_KEY;
		if (key && r)
			v = cephx_read_session_reply(pl, plen, key, r);
		if (!key) {
			c->secure_why = CEPH_SECURE_NO_ENTITY_KEY;
		} else if (v != CEPHX_OK) {
			c->secure_why = CEPH_SECURE_WRONG_KEY;
		} else {
			/* Learnt in crc mode too: a later secure service
			 * session may show one of these tickets. */
			for (unsigned i = 0; i < r->nticket; i++)
				cephx_store_learn(c->keys, &r->ticket[i]);
			for (unsigned i = 0; i < r->nextra; i++)
				cephx_store_learn(c->keys, &r->extra[i]);
			if (r->has_secret) {
				memcpy(c->secret, r->secret, r->secret_len);
				c->secret_len = r->secret_len;
				c->have_secret = true;
			} else {
				c->secure_why = CEPH_SECURE_NO_START;
			}
		}
		free(r);
	} else if (c->have_authorizer) {
		if (!c->have_ticket_key)
			c->secure_why = CEPH_SECURE_NO_TICKET;
		else if (cephx_read_authorizer_reply(pl, plen, c->ticket_key, c->secret,
						     &c->secret_len) == CEPHX_OK &&
			 c->secret_len)
			c->have_secret = true;
		else
			c->secure_why = CEPH_SECURE_WRONG_KEY;
	} else {
		c->secure_why = CEPH_SECURE_NO_START;
	}
	if (secure) {
		c->secure_next[0] = true;	/* the client, after reading this */
		c->secure_next[1] = true;	/* the server, from its next frame */
	}
}

/* --- msgr2 frames --------------------------------------------------------- */

static void add_piece(struct ceph_dir *d, uint8_t what, uint8_t seg, uint32_t len)
{
	if (d->npieces < PIECES_MAX)
		d->piece[d->npieces++] = (struct piece){ what, seg, len };
}

static uint32_t pad16(uint32_t n) { return (n + 15) & ~15u; }

static void v2_frame_done(struct ceph_dir *d, const struct feed_ctx *f);

/* The preamble is read (decrypted when secure): lay out the rest. */
static void v2_body_begin(struct ceph_dir *d, const struct feed_ctx *f,
			  const uint8_t *inline_bytes)
{
	struct ceph_conn *c = f->c;
	struct ceph_unit *u = &d->u;
	const struct msgr2_preamble *p = &u->pre;
	unsigned n = p->num_segments;
	bool rev1 = c->rev1, secure = d->cipher_on;
	u->kind = CEPH_UNIT_FRAME;
	u->msgr = 2;
	u->tag = p->tag;
	u->rev1 = rev1;
	u->secure = secure;
	if (p->flags & MSGR2_FLAG_COMPRESSED)
		u->flags |= CEPH_U_COMPRESSED;
	for (unsigned i = 0; i < n; i++)
		u->seg_len[i] = p->seg_len[i];
	for (int i = 0; i < 4; i++)
		d->crc[i] = 0xffffffffu;
	d->npieces = d->pi = 0;
	d->small_have = 0;
	if (!secure) {
		add_piece(d, PC_SEG, 0, p->seg_len[0]);
		if (rev1 && p->seg_len[0])
			add_piece(d, PC_CRC0, 0, MSGR2_CRC_LEN);
		for (unsigned i = 1; i < n; i++)
			add_piece(d, PC_SEG, (uint8_t)i, p->seg_len[i]);
		if (!rev1 || n > 1)
			add_piece(d, PC_EPILOGUE, 0, rev1 ? MSGR2_EPILOGUE_CRC_REV1_LEN :
							    MSGR2_EPILOGUE_CRC_REV0_LEN);
	} else if (rev1) {
		uint32_t in = p->seg_len[0] < MSGR2_INLINE_LEN ? p->seg_len[0] : MSGR2_INLINE_LEN;
		keep(f->c, d, 0, inline_bytes, in);
		if (pad16(p->seg_len[0]) > MSGR2_INLINE_LEN) {
			add_piece(d, PC_BEGIN, 0, 0);
			add_piece(d, PC_SEG, 0, p->seg_len[0] - MSGR2_INLINE_LEN);
			add_piece(d, PC_PAD, 0, pad16(p->seg_len[0]) - p->seg_len[0]);
			add_piece(d, PC_TAG, 0, MSGR2_TAG_LEN);
		}
		if (n > 1) {
			add_piece(d, PC_BEGIN, 0, 0);
			for (unsigned i = 1; i < n; i++) {
				add_piece(d, PC_SEG, (uint8_t)i, p->seg_len[i]);
				add_piece(d, PC_PAD, 0, pad16(p->seg_len[i]) - p->seg_len[i]);
			}
			add_piece(d, PC_EPILOGUE, 0, MSGR2_EPILOGUE_SECURE_LEN);
			add_piece(d, PC_TAG, 0, MSGR2_TAG_LEN);
		}
	} else {
		/* msgr2.0: the preamble began one AES-GCM message. */
		for (unsigned i = 0; i < n; i++) {
			add_piece(d, PC_SEG, (uint8_t)i, p->seg_len[i]);
			add_piece(d, PC_PAD, 0, pad16(p->seg_len[i]) - p->seg_len[i]);
		}
		add_piece(d, PC_EPILOGUE, 0, MSGR2_EPILOGUE_SECURE_LEN);
		add_piece(d, PC_TAG, 0, MSGR2_TAG_LEN);
	}
	set_part(d, PART_BODY, 0);
	d->pleft = d->npieces ? d->piece[0].len : 0;
	/* Pieces without bytes (BEGIN, empty segments) are taken at once. */
	while (d->pi < d->npieces && d->pleft == 0) {
		if (d->piece[d->pi].what == PC_BEGIN && !secure_begin(&d->cipher))
			u->flags |= CEPH_U_AUTH_FAILED;
		if (d->piece[d->pi].what == PC_BEGIN)
			d->in_gcm = true;
		if (++d->pi < d->npieces)
			d->pleft = d->piece[d->pi].len;
	}
	if (d->pi >= d->npieces)
		v2_frame_done(d, f);
}

static void v2_preamble_read(struct ceph_dir *d, const struct feed_ctx *f)
{
	struct ceph_conn *c = f->c;
	uint8_t pt[MSGR2_PREAMBLE_LEN + MSGR2_INLINE_LEN];
	const uint8_t *pre = d->fix;
	if (d->cipher_on) {
		bool ok;
		if (c->rev1) {
			ok = secure_open(&d->cipher, d->fix, d->fix_have, pt);
		} else {
			ok = secure_begin(&d->cipher) &&
			     secure_update(&d->cipher, d->fix, MSGR2_PREAMBLE_LEN, pt);
			d->in_gcm = ok;
		}
		pre = pt;
		if (!ok || msgr2_preamble_read(pt, &d->u.pre) != MSGR2_PREAMBLE_OK) {
			/* Not the key, or a lost position: nothing after can
			 * be framed. */
			uint64_t n = d->unit_bytes;
			go_encrypted(d, d->cipher.messages <= 1 ? CEPH_SECURE_WRONG_KEY
							       : CEPH_SECURE_LOST);
			struct ceph_unit *u = &d->u;
			memset(u, 0, sizeof *u);
			u->kind = CEPH_UNIT_ENCRYPTED;
			u->msgr = 2;
			u->from_client = d->to_server;
			u->first_frame = u->frame = f->frame;
			u->wire_len = n;
			u->secure = true;
			u->secure_why = d->secure_why;
			u->flags = CEPH_U_AUTH_FAILED;
			u->why = ceph_secure_why_text(d->secure_why);
			f->fn(f->ctx, u);
			return;
		}
		d->u.flags |= CEPH_U_DECRYPTED;
	} else if (msgr2_preamble_read(pre, &d->u.pre) != MSGR2_PREAMBLE_OK) {
		/* Lost: these bytes are searched again from their second. */
		d->in_unit = false;
		uint8_t tmp[MSGR2_PREAMBLE_LEN];
		memcpy(tmp, d->fix, sizeof tmp);
		start_hunt(d);
		skip_bytes(d, f, 1);
		push_back(d, f, tmp + 1, sizeof tmp - 1);
		return;
	}
	for (int i = 0; i < MSGR2_MAX_SEGMENTS; i++)
		if (d->u.pre.seg_len[i] > CEPH_MAX_SEGMENT) {
			d->u.flags |= CEPH_U_MALFORMED;
			d->u.why = "a segment longer than 256 MiB";
			if (d->cipher_on) {
				go_encrypted(d, CEPH_SECURE_LOST);
			} else {
				d->in_unit = false;
				start_hunt(d);
				skip_bytes(d, f, MSGR2_PREAMBLE_LEN);
			}
			return;
		}
	v2_body_begin(d, f, pre + MSGR2_PREAMBLE_LEN);
}

/* A MESSAGE frame's header, once its first segment is in. */
static void v2_fill_head(struct ceph_dir *d)
{
	struct ceph_unit *u = &d->u;
	if (u->tag != MSGR2_TAG_MESSAGE || u->seg_kept[0] < MSGR2_MSG_HEADER_LEN)
		return;
	struct msgr2_msg_head h;
	msgr2_msg_head_read(d->buf + d->seg_off[0], &h);
	u->head.seq = h.seq;
	u->head.tid = h.tid;
	u->head.ack_seq = h.ack_seq;
	u->head.type = h.type;
	u->head.priority = h.priority;
	u->head.version = h.version;
	u->head.compat_version = h.compat_version;
	u->head.flags = h.flags;
	u->head.data_off = h.data_off;
}

static void v2_frame_done(struct ceph_dir *d, const struct feed_ctx *f)
{
	struct ceph_conn *c = f->c;
	struct ceph_unit *u = &d->u;
	unsigned n = u->pre.num_segments;
	if (!u->secure) {
		uint32_t sent[4] = { 0 };
		uint8_t present = 0;
		if (c->rev1 && u->pre.seg_len[0]) {
			sent[0] = d->crc0;
			present = 1;
		}
		if (!c->rev1 || n > 1) {
			uint32_t e[4];
			uint8_t ep;
			msgr2_epilogue_read(d->epilogue, c->rev1, n, &u->late, e, &ep);
			for (unsigned i = 0; i < 4; i++)
				if (ep >> i & 1)
					sent[i] = e[i];
			present |= ep;
		}
		for (unsigned i = 0; i < n; i++)
			if ((present >> i & 1) && sent[i] != d->crc[i])
				u->crc_bad |= (uint8_t)(1u << i);
		u->crc_sent = present;
		memcpy(u->seg_crc, sent, sizeof u->seg_crc);
		if (u->crc_bad) {
			u->flags |= CEPH_U_CRC_BAD;
			u->why = "segment crc32c does not match";
		}
	} else if (!c->rev1 || n > 1) {
		u->late = d->epilogue[0];
	}
	if (!c->rev1 || n > 1) {
		bool invalid;
		if (msgr2_secure_late_aborted(u->late, c->rev1, &invalid))
			u->flags |= CEPH_U_ABORTED;
		if (invalid) {
			u->flags |= CEPH_U_MALFORMED;
			u->why = "epilogue late status is neither complete nor aborted";
		}
	}
	if (u->flags & CEPH_U_AUTH_FAILED)
		u->why = "AES-GCM tag does not verify";
	v2_fill_head(d);
	if (u->tag >= MSGR2_TAG_AUTH_REQUEST && u->tag <= MSGR2_TAG_AUTH_DONE &&
	    !(u->flags & (CEPH_U_CRC_BAD | CEPH_U_AUTH_FAILED)))
		auth_learn(c, u, u->seg_kept[0] ? d->buf + d->seg_off[0] : NULL);
	/* A secure direction turns at its next preamble (step). */
	set_part(d, PART_V2_PREAMBLE, MSGR2_PREAMBLE_LEN);
	unit_emit(d, f);
}

/* --- msgr1 ---------------------------------------------------------------- */

static bool v1_footer_new(const struct ceph_conn *c)
{
	/* Without a handshake in the capture: every release since 2015. */
	return !c->v1_features || (c->v1_features & CEPH_FEATURE_MSG_AUTH);
}

static void v1_body_begin(struct ceph_dir *d, const struct feed_ctx *f)
{
	struct ceph_unit *u = &d->u;
	d->npieces = d->pi = 0;
	for (int i = 0; i < 3; i++) {
		d->crc[i] = 0;
		add_piece(d, PC_SEG, (uint8_t)i, u->seg_len[i]);
	}
	set_part(d, PART_BODY, 0);
	d->pleft = d->piece[0].len;
	while (d->pi < d->npieces && d->pleft == 0)
		if (++d->pi < d->npieces)
			d->pleft = d->piece[d->pi].len;
	if (d->pi >= d->npieces)
		set_part(d, PART_V1_FOOTER, v1_footer_new(f->c) ? MSGR1_FOOTER_LEN
							      : MSGR1_FOOTER_OLD_LEN);
}

static void v1_header_read(struct ceph_dir *d, const struct feed_ctx *f)
{
	struct ceph_unit *u = &d->u;
	struct msgr1_header h;
	if (!msgr1_header_read(d->fix, &h) || h.front_len > CEPH_MAX_SEGMENT ||
	    h.middle_len > CEPH_MAX_SEGMENT || h.data_len > CEPH_MAX_SEGMENT) {
		/* The lengths cannot be believed: find the next message. */
		uint8_t tmp[MSGR1_HEADER_LEN];
		memcpy(tmp, d->fix, sizeof tmp);
		d->in_unit = false;
		start_hunt(d);
		skip_bytes(d, f, 1);	/* the MSG tag */
		push_back(d, f, tmp, sizeof tmp);
		return;
	}
	u->kind = CEPH_UNIT_MESSAGE;
	u->msgr = 1;
	u->tag = MSGR1_TAG_MSG;
	u->head.seq = h.seq;
	u->head.tid = h.tid;
	u->head.type = h.type;
	u->head.priority = h.priority;
	u->head.version = h.version;
	u->head.compat_version = h.compat_version;
	u->head.src_type = h.src_type;
	u->head.src_num = h.src_num;
	u->head.data_off = h.data_off;
	u->head.crc = h.crc;
	u->seg_len[0] = h.front_len;
	u->seg_len[1] = h.middle_len;
	u->seg_len[2] = h.data_len;
	v1_body_begin(d, f);
}

static void v1_footer_read(struct ceph_dir *d, const struct feed_ctx *f)
{
	struct ceph_unit *u = &d->u;
	msgr1_footer_read(d->fix, d->need, &u->footer);
	const struct msgr1_footer *ft = &u->footer;
	if (ft->front_crc != d->crc[0])
		u->crc_bad |= 1;
	if (ft->middle_crc != d->crc[1])
		u->crc_bad |= 2;
	if (!(ft->flags & MSGR1_FOOTER_NOCRC) && ft->data_crc != d->crc[2])
		u->crc_bad |= 4;
	if (u->crc_bad) {
		u->flags |= CEPH_U_CRC_BAD;
		u->why = "payload crc32c does not match";
	}
	if (!(ft->flags & MSGR1_FOOTER_COMPLETE))
		u->flags |= CEPH_U_ABORTED;
	set_part(d, PART_V1_TAG, 1);
	unit_emit(d, f);
}

/* A fixed part is complete: read it and choose the next. */
static void fixed_done(struct ceph_dir *d, const struct feed_ctx *f)
{
	struct ceph_conn *c = f->c;
	struct ceph_unit *u = &d->u;
	switch (d->part) {
	case PART_SNIFF:
		/* (handled in step) */
		break;
	case PART_V1_BANNER:
		u->kind = CEPH_UNIT_BANNER;
		u->msgr = 1;
		msgr1_addr_read(d->fix + MSGR1_BANNER_LEN, &u->addr[0]);
		u->naddr = 1;
		if (!d->to_server) {
			msgr1_addr_read(d->fix + MSGR1_BANNER_LEN + MSGR1_ADDR_LEN, &u->addr[1]);
			u->naddr = 2;
		}
		c->have_banner[d->to_server ? 0 : 1] = true;
		if (d->to_server)
			set_part(d, PART_V1_CONNECT, MSGR1_CONNECT_LEN);
		else
			set_part(d, PART_V1_REPLY, MSGR1_CONNECT_REPLY_LEN);
		unit_emit(d, f);
		break;
	case PART_V1_CONNECT:
	case PART_V1_REPLY: {
		uint32_t alen;
		if (d->part == PART_V1_CONNECT) {
			u->kind = CEPH_UNIT_CONNECT;
			msgr1_connect_read(d->fix, &u->connect);
			alen = u->connect.authorizer_len;
		} else {
			u->kind = CEPH_UNIT_CONNECT_REPLY;
			msgr1_connect_reply_read(d->fix, &u->reply);
			u->tag = u->reply.tag;
			alen = u->reply.authorizer_len;
			c->v1_last_reply = u->reply.tag;
			if (u->reply.tag == MSGR1_TAG_READY || u->reply.tag == MSGR1_TAG_SEQ)
				c->v1_features = u->reply.features;
			if (!msgr1_tag_is_connect_reply(u->reply.tag)) {
				u->flags |= CEPH_U_MALFORMED;
				u->why = "not a connect reply tag";
			}
		}
		u->msgr = 1;
		u->auth_len = alen;
		u->seg_len[0] = alen;
		uint8_t next_part = d->part == PART_V1_CONNECT ? PART_V1_AFTER_CONNECT :
				    u->reply.tag == MSGR1_TAG_SEQ ? PART_V1_SEQ :
				    u->reply.tag == MSGR1_TAG_READY ? PART_V1_TAG : PART_V1_REPLY;
		if (alen > CEPH_MAX_SEGMENT) {
			u->flags |= CEPH_U_MALFORMED;
			u->why = "an authorizer longer than 256 MiB";
			unit_emit(d, f);
			start_hunt(d);
			break;
		}
		if (alen) {
			d->pleft = alen;
			d->next_part = next_part;
			set_part(d, PART_V1_AUTH, 0);
			break;
		}
		unit_emit(d, f);
		set_part(d, next_part, next_part == PART_V1_SEQ ? 8 : next_part == PART_V1_TAG ? 1 :
			 next_part == PART_V1_REPLY ? MSGR1_CONNECT_REPLY_LEN : 0);
		break;
	}
	case PART_V1_SEQ:
		u->kind = CEPH_UNIT_SEQ;
		u->msgr = 1;
		u->tag = MSGR1_TAG_SEQ;
		u->value = cursor_le64(&(struct cursor){ d->fix, d->fix + 8, d->fix, 0, NULL });
		set_part(d, PART_V1_TAG, 1);
		unit_emit(d, f);
		break;
	case PART_V1_TAG: {
		uint8_t tag = d->fix[0];
		u->msgr = 1;
		u->tag = tag;
		switch (tag) {
		case MSGR1_TAG_MSG:
			set_part(d, PART_V1_HEADER, MSGR1_HEADER_LEN);
			break;
		case MSGR1_TAG_ACK: case MSGR1_TAG_SEQ:
		case MSGR1_TAG_KEEPALIVE2: case MSGR1_TAG_KEEPALIVE2_ACK:
			set_part(d, PART_V1_U64, 8);
			break;
		case MSGR1_TAG_KEEPALIVE: case MSGR1_TAG_CLOSE:
			u->kind = CEPH_UNIT_TAG;
			set_part(d, PART_V1_TAG, 1);
			unit_emit(d, f);
			break;
		default:
			/* Not a tag: lost.  Hunt from the next byte. */
			d->in_unit = false;
			start_hunt(d);
			skip_bytes(d, f, 1);
			break;
		}
		break;
	}
	case PART_V1_U64: {
		struct cursor k = cursor_init(d->fix, 8);
		u->kind = CEPH_UNIT_TAG;
		if (u->tag == MSGR1_TAG_KEEPALIVE2 || u->tag == MSGR1_TAG_KEEPALIVE2_ACK) {
			uint64_t sec = cursor_le32(&k);
			u->value = sec << 32 | cursor_le32(&k);
		} else {
			u->value = cursor_le64(&k);
		}
		set_part(d, PART_V1_TAG, 1);
		unit_emit(d, f);
		break;
	}
	case PART_V1_HEADER:
		v1_header_read(d, f);
		break;
	case PART_V1_FOOTER:
		v1_footer_read(d, f);
		break;
	case PART_V2_BANNER: {
		if (d->need == MSGR2_BANNER_PREFIX_LEN) {
			uint16_t n = (uint16_t)(d->fix[8] | d->fix[9] << 8);
			if (n < MSGR2_BANNER_FEATURES_LEN || n > BANNER_PAYLOAD_MAX) {
				u->kind = CEPH_UNIT_BANNER;
				u->msgr = 2;
				u->flags |= CEPH_U_MALFORMED;
				u->why = "banner payload length impossible";
				unit_emit(d, f);
				start_hunt(d);
				break;
			}
			d->need += n;
			break;
		}
		u->kind = CEPH_UNIT_BANNER;
		u->msgr = 2;
		msgr2_banner_read(d->fix, d->fix_have, &u->banner);
		int i = d->to_server ? 0 : 1;
		c->have_banner[i] = true;
		c->features[i] = u->banner.supported;
		bool other = c->have_banner[1 - i];
		c->rev1 = (u->banner.supported & MSGR2_FEATURE_REVISION_1) &&
			  (!other || (c->features[1 - i] & MSGR2_FEATURE_REVISION_1));
		u->rev1 = c->rev1;
		set_part(d, PART_V2_PREAMBLE, MSGR2_PREAMBLE_LEN);
		unit_emit(d, f);
		break;
	}
	case PART_V2_PREAMBLE:
		v2_preamble_read(d, f);
		break;
	default:
		break;
	}
}

/* --- the machine ---------------------------------------------------------- */

/* Body pieces: consumes what belongs to the current piece. */
static size_t body_step(struct ceph_dir *d, const struct feed_ctx *f,
			const uint8_t *src, size_t n)
{
	struct piece *pc = &d->piece[d->pi];
	size_t take = n < d->pleft ? n : d->pleft;
	uint8_t plain[4096];
	if (take > sizeof plain)
		take = sizeof plain;
	const uint8_t *p = src;
	bool encrypted = d->in_gcm && pc->what != PC_TAG;
	if (encrypted) {
		if (!secure_update(&d->cipher, src, take, plain))
			d->u.flags |= CEPH_U_AUTH_FAILED;
		p = plain;
	}
	switch (pc->what) {
	case PC_SEG:
		if (!d->u.secure)
			d->crc[pc->seg] = crc32c_update(d->crc[pc->seg], p, take);
		keep(f->c, d, pc->seg, p, take);
		break;
	case PC_CRC0: case PC_EPILOGUE: case PC_TAG:
		memcpy(d->small + d->small_have, p, take);
		d->small_have += (unsigned)take;
		break;
	default:
		break;
	}
	d->pleft -= (uint32_t)take;
	d->unit_bytes += take;
	while (d->pleft == 0 && d->pi < d->npieces) {
		pc = &d->piece[d->pi];
		if (pc->what == PC_CRC0) {
			struct cursor k = cursor_init(d->small, 4);
			d->crc0 = cursor_le32(&k);
		} else if (pc->what == PC_EPILOGUE) {
			memcpy(d->epilogue, d->small, d->small_have < sizeof d->epilogue ?
			       d->small_have : sizeof d->epilogue);
		} else if (pc->what == PC_TAG) {
			if (!secure_finish(&d->cipher, d->small))
				d->u.flags |= CEPH_U_AUTH_FAILED;
			d->in_gcm = false;
		}
		d->small_have = 0;
		if (++d->pi >= d->npieces)
			break;
		pc = &d->piece[d->pi];
		d->pleft = pc->len;
		if (pc->what == PC_BEGIN) {
			if (!secure_begin(&d->cipher))
				d->u.flags |= CEPH_U_AUTH_FAILED;
			d->in_gcm = true;
		}
	}
	if (d->pi >= d->npieces) {
		if (d->u.msgr == 1 && d->part == PART_BODY && d->u.kind == CEPH_UNIT_MESSAGE) {
			set_part(d, PART_V1_FOOTER, v1_footer_new(f->c) ? MSGR1_FOOTER_LEN
								      : MSGR1_FOOTER_OLD_LEN);
		} else {
			v2_frame_done(d, f);
		}
	}
	return take;
}

static size_t auth_step(struct ceph_dir *d, const struct feed_ctx *f,
			const uint8_t *src, size_t n)
{
	size_t take = n < d->pleft ? n : d->pleft;
	size_t room = d->u.seg_kept[0] < AUTH_KEEP ? AUTH_KEEP - d->u.seg_kept[0] : 0;
	keep(f->c, d, 0, src, take < room ? take : room);
	d->pleft -= (uint32_t)take;
	d->unit_bytes += take;
	if (d->pleft == 0) {
		uint8_t next = d->next_part;
		unit_emit(d, f);
		set_part(d, next, next == PART_V1_SEQ ? 8 : next == PART_V1_TAG ? 1 :
			 next == PART_V1_REPLY ? MSGR1_CONNECT_REPLY_LEN : 0);
	}
	return take;
}

static size_t step(struct ceph_dir *d, const struct feed_ctx *f,
		   const uint8_t *src, size_t n)
{
	struct ceph_conn *c = f->c;
	switch (d->part) {
	case PART_HUNT:
		return hunt_step(d, f, src, n);
	case PART_ENCRYPTED: {
		struct ceph_unit u;
		memset(&u, 0, sizeof u);
		u.kind = CEPH_UNIT_ENCRYPTED;
		u.msgr = 2;
		u.from_client = d->to_server;
		u.first_frame = u.frame = f->frame;
		u.wire_len = n;
		u.secure = true;
		u.secure_why = d->secure_why;
		u.why = ceph_secure_why_text(d->secure_why);
		f->fn(f->ctx, &u);
		return n;
	}
	case PART_BODY:
		return body_step(d, f, src, n);
	case PART_V1_AUTH:
		return auth_step(d, f, src, n);
	case PART_V1_AFTER_CONNECT: {
		/* What the client sends after a CONNECT depends on the reply. */
		uint8_t r = c->v1_last_reply;
		c->v1_last_reply = 0;
		if (r == MSGR1_TAG_SEQ)
			set_part(d, PART_V1_SEQ, 8);
		else if (r == MSGR1_TAG_READY || (!r && msgr1_tag_is_session(src[0])))
			set_part(d, PART_V1_TAG, 1);
		else
			set_part(d, PART_V1_CONNECT, MSGR1_CONNECT_LEN);
		return 0;
	}
	case PART_V2_PREAMBLE:
		if (!d->fix_have) {
			if (c->secure_next[d->to_server ? 0 : 1])
				secure_turn(c, d);
			if (d->part == PART_ENCRYPTED)
				return 0;
			d->need = d->cipher_on && c->rev1 ?
				  MSGR2_PREAMBLE_LEN + MSGR2_INLINE_LEN + MSGR2_TAG_LEN :
				  MSGR2_PREAMBLE_LEN;
		}
		break;
	default:
		break;
	}
	/* A fixed part. */
	unit_start(d, f);
	if (d->part == PART_SNIFF) {
		/* Up to 9 bytes: "ceph v027" or "ceph v2\n"? */
		size_t want = MSGR1_BANNER_LEN - d->fix_have;
		size_t take = n < want ? n : want;
		memcpy(d->fix + d->fix_have, src, take);
		d->fix_have += take;
		bool v1 = !memcmp(d->fix, MSGR1_BANNER, d->fix_have);
		bool v2 = !memcmp(d->fix, MSGR2_BANNER, d->fix_have < MSGR2_BANNER_LEN ?
				  d->fix_have : MSGR2_BANNER_LEN);
		if (v2 && d->fix_have >= MSGR2_BANNER_LEN) {
			c->msgr = 2;
			d->u.msgr = 2;
			d->part = PART_V2_BANNER;
			d->need = MSGR2_BANNER_PREFIX_LEN;
		} else if (v1 && d->fix_have == MSGR1_BANNER_LEN) {
			c->msgr = 1;
			d->u.msgr = 1;
			d->part = PART_V1_BANNER;
			d->need = MSGR1_BANNER_LEN + MSGR1_ADDR_LEN * (d->to_server ? 1 : 2);
		} else if (!v1 && !v2) {
			/* No banner: the capture began mid-connection (or
			 * after a gap).  Look for a frame in these bytes. */
			uint8_t tmp[MSGR1_BANNER_LEN];
			size_t have = d->fix_have;
			memcpy(tmp, d->fix, have);
			d->in_unit = false;
			start_hunt(d);
			push_back(d, f, tmp, have);
			return take;
		}
		d->unit_bytes += take;
		return take;
	}
	size_t want = d->need - d->fix_have;
	size_t take = n < want ? n : want;
	memcpy(d->fix + d->fix_have, src, take);
	d->fix_have += take;
	d->unit_bytes += take;
	if (d->fix_have == d->need)
		fixed_done(d, f);
	return take;
}

static void run(struct ceph_conn *c, struct ceph_dir *d, const uint8_t *data,
		size_t len, const struct feed_ctx *f)
{
	for (;;) {
		size_t used;
		if (d->pend_off < d->pend_len) {
			size_t n = d->pend_len - d->pend_off;
			/* step may push back in front of what is pending */
			uint8_t tmp[PEND_MAX];
			memcpy(tmp, d->pend + d->pend_off, n);
			d->pend_off = d->pend_len = 0;
			size_t off = 0;
			while (off < n) {
				used = step(d, f, tmp + off, n - off);
				off += used;
				if (d->pend_off < d->pend_len) {
					/* new bytes pushed back: they go first,
					 * the rest of tmp after them */
					size_t rest = n - off;
					size_t have = d->pend_len - d->pend_off;
					if (have + rest > PEND_MAX) {
						skip_bytes(d, f, have + rest - PEND_MAX);
						rest = PEND_MAX - have;
					}
					memmove(d->pend, d->pend + d->pend_off, have);
					memcpy(d->pend + have, tmp + off, rest);
					d->pend_off = 0;
					d->pend_len = have + rest;
					break;
				}
			}
			continue;
		}
		if (!len)
			break;
		used = step(d, f, data, len);
		data += used;
		len -= used;
	}
	(void)c;
}

bool ceph_feed(struct ceph_conn *c, bool to_server, const uint8_t *data,
	       size_t len, uint64_t frame, size_t max_keep, ceph_unit_fn fn,
	       void *ctx)
{
	struct ceph_dir *d = dir_of(c, to_server);
	if (!d)
		return false;
	if (!len)
		return true;
	d->max_keep = max_keep ? max_keep : CEPH_DEFAULT_KEEP;
	struct feed_ctx f = { c, frame, fn, ctx };
	run(c, d, data, len, &f);
	return true;
}

static void run(struct ceph_conn *c, struct ceph_dir *d, const uint8_t *data,
		size_t len, const struct feed_ctx *f);

/* A unit begun is handed over as it is. */
static void flush(struct ceph_dir *d, const struct feed_ctx *f)
{
	/* The last bytes of a hunt may hold a short frame. */
	while (d->part == PART_HUNT && d->win_len && hunt_scan(d, f, true))
		run(f->c, d, NULL, 0, f);
	if (d->part == PART_HUNT) {
		skip_bytes(d, f, d->win_len);
		d->win_len = 0;
	}
	if (d->pend_len > d->pend_off) {
		skip_bytes(d, f, d->pend_len - d->pend_off);
		d->pend_off = d->pend_len = 0;
	}
	emit_skipped(d, f);
	if (d->in_unit && d->unit_bytes) {
		if (!d->u.kind) {
			d->u.kind = d->part == PART_V2_PREAMBLE ? CEPH_UNIT_FRAME :
				    d->part == PART_V1_HEADER ? CEPH_UNIT_MESSAGE :
				    d->part == PART_V1_CONNECT ? CEPH_UNIT_CONNECT :
				    d->part == PART_V1_REPLY ? CEPH_UNIT_CONNECT_REPLY :
				    d->part == PART_V1_SEQ ? CEPH_UNIT_SEQ :
				    d->part == PART_V1_U64 ? CEPH_UNIT_TAG : CEPH_UNIT_BANNER;
			if (d->u.kind == CEPH_UNIT_FRAME && d->cipher_on) {
				d->u.kind = CEPH_UNIT_ENCRYPTED;
				d->u.secure = true;
			}
		}
		if (d->u.kind == CEPH_UNIT_FRAME)
			v2_fill_head(d);
		d->u.flags |= CEPH_U_TRUNCATED;
		if (!d->u.why)
			d->u.why = "the stream ends inside it";
		unit_emit(d, f);
	}
	d->in_unit = false;
	d->in_gcm = false;
}

void ceph_gap(struct ceph_conn *c, bool to_server, uint64_t frame,
	      ceph_unit_fn fn, void *ctx)
{
	struct ceph_dir *d = dir_of(c, to_server);
	if (!d)
		return;
	struct feed_ctx f = { c, frame, fn, ctx };
	flush(d, &f);
	d->after_gap = true;
	/* Secure mode cannot resume: its nonce counts the frames lost. */
	if (d->cipher_on || d->part == PART_ENCRYPTED)
		go_encrypted(d, CEPH_SECURE_LOST);
	else
		start_hunt(d);
}

void ceph_close(struct ceph_conn *c, bool to_server, uint64_t frame,
		ceph_unit_fn fn, void *ctx)
{
	struct ceph_dir *d = dir_of(c, to_server);
	if (!d)
		return;
	struct feed_ctx f = { c, frame, fn, ctx };
	flush(d, &f);
}

int ceph_detect_at(const uint8_t *p, size_t len)
{
	if (!len)
		return 1;
	/* msgr2 preamble: tag 1-22, 1-4 segments, then its crc32c */
	if (p[0] >= 1 && p[0] <= MSGR2_TAG_MAX &&
	    (len < 2 || (p[1] >= 1 && p[1] <= MSGR2_MAX_SEGMENTS))) {
		if (len < MSGR2_PREAMBLE_LEN)
			return 1;
		if (plausible_v2(p))
			return 2;
	}
	/* msgr1: the MSG tag and a header with its crc32c */
	if (p[0] == MSGR1_TAG_MSG) {
		if (len < HUNT_NEED)
			return 1;
		if (plausible_v1(p))
			return 2;
	}
	return 0;
}
