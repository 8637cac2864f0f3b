/* framing.c - frames of one direction of a Seastar RPC connection:
 * header parsing under the negotiated layout, plausibility, layout
 * guessing, and the reader (framing.h says what each frame looks like).
 */
#include <stdlib.h>
#include <string.h>

#include "base/budget.h"
#include "compress.h"
#include "framing.h"
#include "verbs.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

size_t scylla_header_size(const struct scylla_layout *l)
{
	if (l->compression != 0)
		return SCYLLA_COMPRESSED_HEADER;
	if (l->stream)
		return SCYLLA_STREAM_HEADER;
	if (l->requests)
		return SCYLLA_REQUEST_HEADER +
		       (l->timeout ? SCYLLA_TIMEOUT_BYTES : 0);
	return SCYLLA_RESPONSE_HEADER + (l->duration ? SCYLLA_DURATION_BYTES : 0);
}

/* The header of an uncompressed frame under l (compression ignored). */
static size_t plain_header_size(const struct scylla_layout *l)
{
	struct scylla_layout p = *l;
	p.compression = 0;
	return scylla_header_size(&p);
}

void scylla_header_parse(const struct scylla_layout *l, const uint8_t *p,
			 struct scylla_header *h)
{
	*h = (struct scylla_header){ 0 };
	h->size = (uint8_t)plain_header_size(l);
	if (l->stream) {
		uint32_t n = le32(p);
		h->kind = n == SCYLLA_STREAM_EOS ? SCYLLA_FRAME_STREAM_EOS
						 : SCYLLA_FRAME_STREAM;
		h->body_len = n == SCYLLA_STREAM_EOS ? 0 : n;
		return;
	}
	if (l->requests) {
		if (l->timeout) {
			h->has_timeout = true;
			h->timeout_ms = le64(p);
			p += SCYLLA_TIMEOUT_BYTES;
		}
		h->kind = SCYLLA_FRAME_REQUEST;
		h->verb = le64(p);
		h->msg_id = (int64_t)le64(p + 8);
		h->body_len = le32(p + 16);
		return;
	}
	h->msg_id = (int64_t)le64(p);
	h->body_len = le32(p + 8);
	h->kind = h->msg_id < 0 ? SCYLLA_FRAME_EXCEPTION
				: SCYLLA_FRAME_RESPONSE;
	if (l->duration) {
		h->has_duration = true;
		h->duration_us = le32(p + 12);
	}
}

bool scylla_header_plausible(const struct scylla_header *h,
			     const char **why)
{
	const char *w = NULL;
	if (h->body_len > SCYLLA_MAX_FRAME)
		w = "frame longer than 256 MiB";
	else if (h->kind == SCYLLA_FRAME_REQUEST) {
		if (h->verb > SCYLLA_MAX_VERB)
			w = "verb number out of range";
		else if (h->msg_id <= 0 ||
			 (uint64_t)h->msg_id >= SCYLLA_MAX_MSG_ID)
			w = "request message id out of range";
		else if (h->has_timeout && h->timeout_ms > SCYLLA_MAX_TIMEOUT_MS)
			w = "timeout longer than a day";
	} else if (h->kind == SCYLLA_FRAME_RESPONSE ||
		   h->kind == SCYLLA_FRAME_EXCEPTION) {
		uint64_t id = scylla_answered_id(h->msg_id);
		if (!id || id >= SCYLLA_MAX_MSG_ID)
			w = "response message id out of range";
		else if (h->kind == SCYLLA_FRAME_EXCEPTION && h->body_len < 8)
			w = "exception shorter than its type and length";
	}
	if (why)
		*why = w;
	return !w;
}

/* Whether the whole header of a request or response at p could be
 * plausible, from two bytes: its first 8-byte number (the timeout under
 * a day, the verb under 1024, or the message id under 2^48 either sign)
 * has bytes 6 and 7 both 0, or for a response both 0xff.  Most offsets
 * of a window fail it, for the price of two compares. */
static bool header_may_fit(bool requests, const uint8_t *p)
{
	return p[6] == p[7] && (p[7] == 0 || (!requests && p[7] == 0xff));
}

/* Whether no run of frames laid out as l begins at p (len bytes there,
 * `need` of them a header), by the leading bytes of its first header
 * alone: a length over 256 MiB (a compressed envelope, or a stream frame
 * other than the end of a stream), or a first number no header holds.
 * scylla_header_run says NO there; a hunt passes over such offsets
 * without calling it. */
static bool header_ruled_out(const struct scylla_layout *l, size_t need,
			     const uint8_t *p, size_t len)
{
	if (len < need)
		return false;
	if (l->compression || l->stream) {
		uint32_t n = le32(p);
		return n > SCYLLA_MAX_FRAME &&
		       (l->compression || n != SCYLLA_STREAM_EOS);
	}
	return !header_may_fit(l->requests, p);
}

/* The same for every layout scylla_guess_layout may pick. */
static bool any_header_ruled_out(const uint8_t *p, size_t len)
{
	return len >= SCYLLA_HEADER_MAX && !header_may_fit(false, p);
}

enum scylla_sync scylla_header_run(const struct scylla_layout *l,
				   const uint8_t *p, size_t len,
				   unsigned want, unsigned *run)
{
	size_t need = scylla_header_size(l);
	size_t off = 0;
	int64_t last_id = 0;
	*run = 0;
	if (header_ruled_out(l, need, p, len))
		return SCYLLA_SYNC_NO;
	while (len - off >= need) {
		uint64_t frame;
		if (l->compression) {
			uint32_t n = le32(p + off);
			if (n > SCYLLA_MAX_FRAME)
				break;
			frame = need + (uint64_t)n;
		} else {
			struct scylla_header h;
			scylla_header_parse(l, p + off, &h);
			if (!scylla_header_plausible(&h, NULL))
				break;
			/* a client numbers its requests 1, 2, 3, ... */
			if (h.kind == SCYLLA_FRAME_REQUEST) {
				if (*run && h.msg_id <= last_id)
					break;
				last_id = h.msg_id;
			}
			frame = need + (uint64_t)h.body_len;
		}
		++*run;
		if (*run >= want)
			return SCYLLA_SYNC_YES;
		if (frame >= len - off)
			return frame == len - off ? SCYLLA_SYNC_YES
						  : SCYLLA_SYNC_MORE;
		off += (size_t)frame;
	}
	if (len - off < need)
		return SCYLLA_SYNC_MORE;	/* a header cut by the end */
	return SCYLLA_SYNC_NO;
}

/* A lone frame's header (at p, laid out as l) with values a peer sends
 * every day: a known verb, ids and sizes of a running connection, a
 * timeout and a handler duration under ten minutes. */
static bool tight(const struct scylla_layout *l, const uint8_t *p)
{
	struct scylla_header h;
	scylla_header_parse(l, p, &h);
	if (h.body_len >= (16u << 20))
		return false;
	if (h.kind == SCYLLA_FRAME_REQUEST)
		return h.verb < SCYLLA_VERB_COUNT && h.msg_id < (1ll << 32) &&
		       (!h.has_timeout || h.timeout_ms <= 600000);
	return scylla_answered_id(h.msg_id) < (1ull << 32) &&
	       (!h.has_duration || h.duration_us <= 600000000u ||
		h.duration_us == SCYLLA_DURATION_NONE);
}

enum scylla_sync scylla_guess_layout(const uint8_t *p, size_t len,
				     bool strict, bool *requests,
				     bool *timeout, bool *duration)
{
	static const struct scylla_layout candidates[] = {
		{ .requests = true, .timeout = true },
		{ .requests = true },
		{ .requests = false, .duration = true },
		{ .requests = false },
	};
	unsigned best = 0;
	int pick = -1;
	bool more = false;
	/* every candidate's header whole and none plausible */
	if (any_header_ruled_out(p, len))
		return SCYLLA_SYNC_NO;
	for (unsigned i = 0; i < sizeof candidates / sizeof *candidates; i++) {
		if ((*requests && !candidates[i].requests) ||
		    (*duration && candidates[i].requests))
			continue;	/* the caller knows it is not this */
		unsigned run;
		enum scylla_sync s = scylla_header_run(&candidates[i], p, len,
						       2, &run);
		if (s == SCYLLA_SYNC_YES && strict && run < 2 &&
		    !tight(&candidates[i], p))
			s = SCYLLA_SYNC_MORE;	/* one frame: wait for more */
		if (s == SCYLLA_SYNC_MORE)
			more = true;
		if (s == SCYLLA_SYNC_YES && run > best) {
			best = run;
			pick = (int)i;
		}
	}
	if (pick < 0)
		return more ? SCYLLA_SYNC_MORE : SCYLLA_SYNC_NO;
	*requests = candidates[pick].requests;
	*timeout = candidates[pick].timeout;
	*duration = candidates[pick].duration;
	return SCYLLA_SYNC_YES;
}

/* ---- the reader ---- */

/* What a block of n bytes is charged (none: nothing). */
static size_t block_cost(size_t n)
{
	return n ? budget_alloc_size(n) : 0;
}

static void release(struct scylla_reader *r, uint8_t **buf, size_t *cap)
{
	budget_release(r->budget, block_cost(*cap));
	free(*buf);
	*buf = NULL;
	*cap = 0;
}

/* Grows *buf to hold want bytes within the shared budget; returns the
 * capacity it got (may be less). */
static size_t grow(struct scylla_reader *r, uint8_t **buf, size_t *cap,
		   size_t want)
{
	if (want <= *cap)
		return *cap;
	size_t c = *cap ? *cap : 4096;
	while (c < want)
		c *= 2;
	if (c > want && want > (64u << 10))
		c = want;	/* big frames: exactly what they need */
	size_t more = block_cost(c) - block_cost(*cap);
	if (!budget_charge(r->budget, more)) {
		/* grow only as far as the shared budget allows */
		size_t avail = budget_room(r->budget) + block_cost(*cap);
		size_t spare = avail > 32 ? avail - 32 : 0;
		c = spare < c ? spare : c;
		if (c <= *cap)
			return *cap;
		more = block_cost(c) - block_cost(*cap);
		if (!budget_try(r->budget, more))
			return *cap;
	}
	uint8_t *nb = realloc(*buf, c);
	if (!nb) {
		budget_release(r->budget, more);
		return *cap;
	}
	*buf = nb;
	*cap = c;
	return c;
}

/* Keeps up to max_keep bytes of the frame's body; the rest is counted. */
static void keep(struct scylla_reader *r, size_t max_keep, const uint8_t *p,
		 size_t n)
{
	if (r->hole) {	/* what follows a hole would not line up */
		r->elided = true;
		return;
	}
	size_t room = max_keep > r->buf_len ? max_keep - r->buf_len : 0;
	size_t take = n < room ? n : room;
	if (take < n)
		r->elided = true;
	if (!take)
		return;
	size_t cap = grow(r, &r->buf, &r->buf_cap, r->buf_len + take);
	if (cap < r->buf_len + take) {
		r->elided = true;
		take = cap - r->buf_len;
		if (!take)
			return;
	}
	memcpy(r->buf + r->buf_len, p, take);
	r->buf_len += take;
}

static void reset_frame(struct scylla_reader *r)
{
	r->have = r->need = 0;
	r->compressed = false;
	r->left = r->wire_len = 0;
	r->buf_len = 0;
	r->elided = r->hole = false;
	r->first_frame = 0;
	/* a buffer grown for one big frame is not kept for the next;
	 * under a shared budget none is: idle connections hold nothing */
	if (r->buf_cap > (64u << 10) || (r->budget && r->buf_cap))
		release(r, &r->buf, &r->buf_cap);
}

static void layout_now(const struct scylla_reader *r,
		       const struct scylla_conn *c, bool c2s,
		       struct scylla_layout *l)
{
	scylla_conn_layout(c, c2s, l);
	if (!l->known && r->guess.known)
		*l = r->guess;
}

static void deliver(struct scylla_reader *r, struct scylla_frame *f,
		    const struct frame_ref *frame, scylla_frame_fn fn,
		    void *ctx)
{
	f->after_gap = r->after_gap;
	f->skipped = r->skipped;
	f->first_frame = r->first_frame ? r->first_frame : frame->number;
	r->after_gap = false;
	r->skipped = 0;
	r->frames++;
	fn(ctx, f, frame);
}

/* A frame whose bytes are all here (or that ended early: truncated).
 * direct: its body is these bytes of the input, not copied (the body
 * came whole in one piece, the usual case); NULL: the kept copy. */
static void finish(struct scylla_reader *r, struct scylla_conn *c, bool c2s,
		   size_t max_keep, bool truncated, const uint8_t *direct,
		   size_t direct_len, const struct frame_ref *frame,
		   scylla_frame_fn fn, void *ctx)
{
	struct scylla_layout l;
	layout_now(r, c, c2s, &l);
	truncated = truncated || r->hole;
	struct scylla_frame f = { .kind = r->h.kind, .h = r->h,
				  .wire_len = r->wire_len,
				  .truncated = truncated,
				  .elided = r->elided && !truncated,
				  .guessed = l.guessed };
	static const uint8_t none[1];
	f.body = r->buf ? r->buf : none;
	f.kept = r->buf_len;
	if (direct) {
		size_t limit = r->compressed ? max_keep + max_keep / 128 + 128
					     : max_keep;
		f.body = direct;
		f.kept = direct_len < limit ? direct_len : limit;
		f.elided = r->elided = f.kept < direct_len;
	}
	if (!r->compressed) {
		deliver(r, &f, frame, fn, ctx);
		reset_frame(r);
		return;
	}
	/* a compressed envelope: its payload holds one whole frame */
	f.compression = l.compression;
	uint8_t *out = NULL;
	size_t out_cap = 0;
	struct scylla_decompressed d = { .why = "no memory left to "
						"decompress into" };
	/* room for the inner header and max_keep bytes of its body, or
	 * for what the frame declares (and a byte) when that is less: a
	 * frame of a few bytes does not take max_keep (1 MiB by default)
	 * from the budget, nor a fresh mapping from the allocator */
	size_t want = max_keep + SCYLLA_HEADER_MAX;
	uint64_t declared;
	if (scylla_declared_size(l.compression, f.body, f.kept, &declared) &&
	    declared < want)
		want = (size_t)declared + 1;
	size_t room = grow(r, &out, &out_cap, want);
	bool got = room && scylla_decompress(l.compression, f.body, f.kept,
					     !r->elided && !truncated, out,
					     room, &d);
	if (got && d.noop) {	/* Seastar skips it: so do we */
		release(r, &out, &out_cap);
		reset_frame(r);
		return;
	}
	size_t hsz = plain_header_size(&l);
	if (!got || d.len < hsz) {
		bool cut = r->elided || truncated || (got && d.elided);
		f.kind = SCYLLA_FRAME_COMPRESSED;
		f.malformed = got ? !cut : d.malformed;
		f.not_decoded = !f.malformed;
		f.why = !got ? (d.why ? d.why : "compressed frame not readable")
		      : cut ? "compressed frame longer than kept"
			    : "compressed frame shorter than a header";
		f.decompressed_len = got ? d.declared : 0;
		deliver(r, &f, frame, fn, ctx);
		release(r, &out, &out_cap);
		reset_frame(r);
		return;
	}
	scylla_header_parse(&l, out, &f.h);
	f.kind = f.h.kind;
	f.decompressed_len = d.declared;
	f.body = out + hsz;
	f.kept = d.len - hsz;
	f.elided = d.elided || f.elided;
	if (!scylla_header_plausible(&f.h, &f.why))
		f.malformed = true;
	else if (!d.elided && f.h.body_len != d.len - hsz) {
		f.malformed = true;
		f.why = "compressed frame's header disagrees with its size";
	}
	deliver(r, &f, frame, fn, ctx);
	release(r, &out, &out_cap);
	reset_frame(r);
}

static size_t hunt_append(struct scylla_reader *r, const uint8_t *data,
			  size_t len);

/* The search window, counted in the shared budget like the bodies: a
 * hostile capture may make every connection search at once. */
static uint8_t *hunt_alloc(struct scylla_reader *r)
{
	size_t cost = budget_alloc_size(SCYLLA_HUNT_WINDOW);
	if (!budget_charge(r->budget, cost))
		return NULL;
	uint8_t *p = malloc(SCYLLA_HUNT_WINDOW);
	if (!p)
		budget_release(r->budget, cost);
	return p;
}

static void hunt_release(struct scylla_reader *r, uint8_t *p)
{
	if (!p)
		return;
	free(p);
	budget_release(r->budget, budget_alloc_size(SCYLLA_HUNT_WINDOW));
}

static void start_hunt(struct scylla_reader *r, uint64_t frame_number)
{
	r->state = SCYLLA_HUNT;
	r->hunt_len = 0;
	r->hunt_scan = 0;
	r->hunt_nmore = 0;
	r->hunt_next = 0;
	r->hunt_first_frame = frame_number;
}

/* Bytes of a frame's header; once whole, decides what follows. */
static size_t step_header(struct scylla_reader *r, struct scylla_conn *c,
			  bool c2s, size_t max_keep, const uint8_t *data,
			  size_t len, const struct frame_ref *frame,
			  scylla_frame_fn fn, void *ctx)
{
	struct scylla_layout l;
	if (!r->have) {
		layout_now(r, c, c2s, &l);
		if (!l.known) {
			start_hunt(r, frame->number);
			return 0;
		}
		r->need = (uint8_t)scylla_header_size(&l);
		r->compressed = l.compression != 0;
		r->first_frame = frame->number;
	}
	size_t take = r->need - r->have;
	if (take > len)
		take = len;
	memcpy(r->head + r->have, data, take);
	r->have = (uint8_t)(r->have + take);
	if (r->have < r->need)
		return take;
	layout_now(r, c, c2s, &l);
	if (r->compressed) {
		uint32_t n = le32(r->head);
		if (n > SCYLLA_MAX_FRAME) {
			r->skipped += r->have;
			r->resyncs++;
			r->have = 0;
			start_hunt(r, frame->number);
			return take;
		}
		r->h = (struct scylla_header){ .kind = SCYLLA_FRAME_COMPRESSED,
					       .size = SCYLLA_COMPRESSED_HEADER,
					       .body_len = n };
	} else {
		scylla_header_parse(&l, r->head, &r->h);
		if (!scylla_header_plausible(&r->h, NULL)) {
			/* the framing is lost: look for the next header
			 * from the byte after this one's start */
			size_t n = r->have - 1u;
			uint8_t again[SCYLLA_HEADER_MAX];
			memcpy(again, r->head + 1, n);
			r->skipped += 1;
			r->skipped_total += 1;
			r->resyncs++;
			r->have = 0;
			start_hunt(r, frame->number);
			hunt_append(r, again, n);
			return take;
		}
	}
	r->wire_len = r->have + (uint64_t)r->h.body_len;
	r->left = r->h.body_len;
	if (!r->left) {
		finish(r, c, c2s, max_keep, false, NULL, 0, frame, fn, ctx);
		r->state = SCYLLA_HEADER;
	} else {
		r->state = SCYLLA_BODY;
	}
	return take;
}

/* What a verdict on an offset depends on besides the window's bytes:
 * the layout, or when none is known what the connection tells of its
 * requests' direction. */
static uint32_t hunt_key(const struct scylla_layout *l, const struct scylla_conn *c)
{
	if (!l->known)
		return (uint32_t)(c->requests_dir + 1u) << 16;
	return 1u | (uint32_t)l->requests << 1 | (uint32_t)l->stream << 2 |
	       (uint32_t)l->timeout << 3 | (uint32_t)l->duration << 4 |
	       (uint32_t)l->compression << 8;
}

/* Whether frames begin at offset i of the window; on YES without a
 * layout, the one guessed is in *g. */
static enum scylla_sync hunt_try(const struct scylla_reader *r, const struct scylla_conn *c,
				 bool c2s, const struct scylla_layout *l, size_t i,
				 struct scylla_layout *g)
{
	if (l->known) {
		/* 4-byte stream or envelope lengths say little: three of
		 * them in a row */
		unsigned run;
		return scylla_header_run(l, r->hunt + i, r->hunt_len - i,
					 l->stream || l->compression ? 3 : 2, &run);
	}
	bool requests = c->requests_dir == 1u + c2s;
	bool duration = c->requests_dir && !requests;
	bool timeout = false;
	enum scylla_sync s = scylla_guess_layout(r->hunt + i, r->hunt_len - i, false,
						 &requests, &timeout, &duration);
	*g = (struct scylla_layout){ .known = true, .guessed = true,
				     .requests = requests, .timeout = timeout,
				     .duration = duration };
	return s;
}

/* The first j in [from, end) where p[j - 1] and p[j] are both b (from
 * at least 1), else end; memchr passes over the bytes between. */
static size_t byte_pair(const uint8_t *p, size_t from, size_t end, uint8_t b)
{
	while (from < end) {
		const uint8_t *q = memchr(p + from, b, end - from);
		if (!q)
			return end;
		size_t j = (size_t)(q - p);
		if (p[j - 1] == b)
			return j;
		from = j + 1;
	}
	return end;
}

/* The first offset from i not ruled out by header_may_fit (for a header
 * of `need` bytes, in len): one whose bytes 6 and 7 are both 0, or for a
 * response both 0xff, or the first too near the end to judge. */
static size_t fit_skip(const uint8_t *p, size_t len, size_t need,
		       bool requests, size_t i)
{
	if (len < need || i > len - need)
		return i;
	size_t end = len - need + 8;	/* past byte 7 of the last offset */
	size_t j = byte_pair(p, i + 7, end, 0);
	if (!requests)
		j = byte_pair(p, i + 7, j, 0xff);
	return j - 7;
}

/* The first offset from i at which hunt_try could say other than NO:
 * those before it are ruled out by their first bytes, the test that
 * scylla_header_run and scylla_guess_layout begin with, made here
 * without two calls per byte.  Most of a window is passed over so. */
static size_t hunt_skip(const struct scylla_reader *r,
			const struct scylla_layout *l, size_t i)
{
	const uint8_t *p = r->hunt;
	size_t len = r->hunt_len;
	if (!l->known)
		return fit_skip(p, len, SCYLLA_HEADER_MAX, false, i);
	size_t need = scylla_header_size(l);
	if (!l->compression && !l->stream)
		return fit_skip(p, len, need, l->requests, i);
	while (header_ruled_out(l, need, p + i, len - i))
		i++;
	return i;
}

/* Looks for where frames begin again in the hunt window; true and *at
 * when found (the layout is then known: negotiated, or guessed now).
 * An offset whose headers could still turn out to be frames with more
 * bytes does not stop the search: a later offset with its frames all
 * seen wins (the earlier one's frame would hold it).  An offset found
 * not to be frames stays so with more bytes (only bytes present are
 * judged): a search looks again only at the offsets that wanted more
 * (hunt_more) and at the bytes added since (from hunt_scan). */
static bool hunt_search(struct scylla_reader *r, struct scylla_conn *c,
			bool c2s, size_t *at)
{
	struct scylla_layout l, g;
	layout_now(r, c, c2s, &l);
	uint32_t key = hunt_key(&l, c);
	if (key != r->hunt_key) {
		/* other verdicts now: all from the first undecided one */
		if (r->hunt_nmore)
			r->hunt_scan = r->hunt_more[0];
		r->hunt_nmore = 0;
		r->hunt_key = key;
	}
	unsigned listed = r->hunt_nmore;
	size_t scanned = r->hunt_scan;
	r->hunt_nmore = 0;
	r->hunt_scan = r->hunt_len;
	bool found = false;
	for (unsigned k = 0; k < listed && !found; k++) {
		size_t i = r->hunt_more[k];
		enum scylla_sync s = hunt_try(r, c, c2s, &l, i, &g);
		if (s == SCYLLA_SYNC_YES) {
			*at = i;
			found = true;
		} else if (s == SCYLLA_SYNC_MORE) {
			r->hunt_more[r->hunt_nmore++] = (uint16_t)i;
		}
	}
	for (size_t i = scanned; i < r->hunt_len && !found; i++) {
		i = hunt_skip(r, &l, i);
		if (i == r->hunt_len)
			break;
		enum scylla_sync s = hunt_try(r, c, c2s, &l, i, &g);
		if (s == SCYLLA_SYNC_YES) {
			*at = i;
			found = true;
		} else if (s == SCYLLA_SYNC_MORE && r->hunt_scan == r->hunt_len) {
			if (r->hunt_nmore < SCYLLA_HUNT_MORE)
				r->hunt_more[r->hunt_nmore++] = (uint16_t)i;
			else	/* the list is full: from here next time */
				r->hunt_scan = i;
		}
	}
	if (found) {
		if (!l.known) {
			r->guess = g;
			if (g.requests && !c->requests_dir)
				c->requests_dir = (uint8_t)(1u + c2s);
		}
		return true;
	}
	/* the next search when the window has grown by half again: a
	 * window filled a byte at a time costs a few searches, not one a
	 * byte */
	size_t step = r->hunt_len / 2 > 64 ? r->hunt_len / 2 : 64;
	r->hunt_next = r->hunt_len + step;
	return false;
}

/* Appends to the hunt window what fits; returns the bytes taken. */
static size_t hunt_append(struct scylla_reader *r, const uint8_t *data,
			  size_t len)
{
	if (!r->hunt) {
		r->hunt = hunt_alloc(r);
		if (!r->hunt) {	/* no memory left to search: give up */
			r->state = SCYLLA_LOST;
			return 0;
		}
	}
	if (r->hunt_len == SCYLLA_HUNT_WINDOW) {
		/* nothing found in a full window: drop its older half */
		size_t half = SCYLLA_HUNT_WINDOW / 2;
		memmove(r->hunt, r->hunt + half, SCYLLA_HUNT_WINDOW - half);
		r->hunt_len -= half;
		r->hunt_scan = r->hunt_scan > half ? r->hunt_scan - half : 0;
		unsigned keep = 0;
		for (unsigned k = 0; k < r->hunt_nmore; k++)
			if (r->hunt_more[k] >= half)
				r->hunt_more[keep++] = (uint16_t)(r->hunt_more[k] - half);
		r->hunt_nmore = keep;
		r->skipped += half;
		r->skipped_total += half;
	}
	size_t take = SCYLLA_HUNT_WINDOW - r->hunt_len;
	if (take > len)
		take = len;
	memcpy(r->hunt + r->hunt_len, data, take);
	r->hunt_len += take;
	return take;
}

void scylla_reader_feed(struct scylla_reader *r, struct scylla_conn *c,
			bool c2s, size_t max_keep, const uint8_t *data,
			size_t len, const struct frame_ref *frame,
			scylla_frame_fn fn, void *ctx)
{
	/* A window that found the framing again is read before the rest of
	 * the input: `owned` holds it, `rest` what the input still has. */
	uint8_t *owned = NULL;
	const uint8_t *rest = NULL;
	size_t rest_len = 0;
	/* a last search over the window (reader_break): no bytes to add */
	static const uint8_t nothing[1];
	if (!len && r->flush && r->state == SCYLLA_HUNT) {
		data = nothing;
		len = 0;
		size_t at;
		r->flush = false;
		if (hunt_search(r, c, c2s, &at)) {
			r->skipped += at;
			r->skipped_total += at;
			r->resyncs++;
			owned = r->hunt;
			data = owned + at;
			len = r->hunt_len - at;
			r->hunt = NULL;
			r->hunt_len = r->hunt_scan = 0;
			r->hunt_nmore = 0;
			r->state = SCYLLA_HEADER;
			r->have = 0;
		}
	}
	for (;;) {
		if (!len) {
			if (!rest)
				break;
			data = rest;
			len = rest_len;
			rest = NULL;
			continue;
		}
		size_t used = 0;
		switch (r->state) {
		case SCYLLA_START: {
			/* the negotiation frame, or (a capture begun later)
			 * frames: look at up to 12 bytes first */
			size_t take = SCYLLA_NEG_HEADER - r->have;
			if (take > len)
				take = len;
			memcpy(r->head + r->have, data, take);
			r->have = (uint8_t)(r->have + take);
			if (!r->first_frame)
				r->first_frame = frame->number;
			used = take;
			size_t flen;
			enum scylla_neg_status s =
				scylla_negotiation_length(r->head, r->have,
							  &flen);
			if (s == SCYLLA_NEG_MORE)
				break;
			if (s == SCYLLA_NEG_OK) {
				r->state = SCYLLA_NEGOTIATION;
				r->buf_len = 0;
				keep(r, SCYLLA_NEG_HEADER + SCYLLA_NEG_MAX,
				     r->head, r->have);
				r->left = flen - r->have;
				r->wire_len = flen;
				r->have = 0;
				if (!r->left)
					goto negotiated;
				break;
			}
			/* no negotiation here: hunt from these bytes on */
			uint8_t head[SCYLLA_NEG_HEADER];
			size_t n = r->have;
			memcpy(head, r->head, n);
			r->have = 0;
			start_hunt(r, r->first_frame);
			hunt_append(r, head, n);
			break;
		}
		case SCYLLA_NEGOTIATION: {
			used = len < r->left ? len : (size_t)r->left;
			keep(r, SCYLLA_NEG_HEADER + SCYLLA_NEG_MAX, data, used);
			r->left -= used;
			if (r->left)
				break;
negotiated:;
			struct scylla_features feat;
			const char *why = NULL;
			enum scylla_neg_status s = scylla_negotiation_parse(
				r->buf, r->buf_len, &feat, &why);
			struct scylla_frame f = {
				.kind = SCYLLA_FRAME_NEGOTIATION,
				.features = &feat, .body = r->buf,
				.kept = r->buf_len, .wire_len = r->wire_len,
				.malformed = s != SCYLLA_NEG_OK, .why = why };
			if (s == SCYLLA_NEG_OK)
				scylla_conn_negotiated(c, c2s, &feat);
			deliver(r, &f, frame, fn, ctx);
			reset_frame(r);
			r->state = SCYLLA_HEADER;
			break;
		}
		case SCYLLA_HEADER:
			used = step_header(r, c, c2s, max_keep, data, len,
					   frame, fn, ctx);
			break;
		case SCYLLA_BODY:
			if (!r->buf_len && !r->hole && len >= r->left) {
				/* the whole body is in this piece: read in
				 * place, nothing copied */
				used = (size_t)r->left;
				r->left = 0;
				finish(r, c, c2s, max_keep, false, data, used,
				       frame, fn, ctx);
				r->state = SCYLLA_HEADER;
				break;
			}
			used = len < r->left ? len : (size_t)r->left;
			/* a compressed payload: what max_keep bytes of the
			 * inner frame need, at LZ4's worst expansion */
			keep(r, r->compressed ? max_keep + max_keep / 128 + 128
					      : max_keep,
			     data, used);
			r->left -= used;
			if (!r->left) {
				finish(r, c, c2s, max_keep, false, NULL, 0, frame,
				       fn, ctx);
				r->state = SCYLLA_HEADER;
			}
			break;
		case SCYLLA_HUNT: {
			used = hunt_append(r, data, len);
			size_t at;
			bool due = r->hunt_len >= r->hunt_next ||
				   r->hunt_len == SCYLLA_HUNT_WINDOW ||
				   r->flush;
			r->flush = false;
			if (r->state == SCYLLA_HUNT && due &&
			    hunt_search(r, c, c2s, &at)) {
				/* the window's bytes from `at` are frames: read
				 * them next, then what is left of the input */
				r->skipped += at;
				r->skipped_total += at;
				r->resyncs++;
				uint8_t *w = r->hunt;
				size_t wlen = r->hunt_len;
				r->hunt = NULL;
				r->hunt_len = r->hunt_scan = 0;
				r->hunt_nmore = 0;
				r->state = SCYLLA_HEADER;
				r->have = 0;
				if (!rest) {
					rest = data + used;
					rest_len = len - used;
				}
				/* (an earlier window is all in this one: it
				 * fitted, the window started empty) */
				hunt_release(r, owned);
				owned = w;
				data = w + at;
				len = wlen - at;
				continue;
			}
			break;
		}
		default:	/* LOST */
			r->skipped_total += len;
			used = len;
			break;
		}
		data += used;
		len -= used;
	}
	hunt_release(r, owned);
}

void scylla_reader_break(struct scylla_reader *r, struct scylla_conn *c,
			 bool c2s, size_t max_keep,
			 const struct frame_ref *frame, bool gap,
			 uint64_t missing, scylla_frame_fn fn, void *ctx)
{
	/* frames in the bytes still being searched: found now or never */
	if (r->state == SCYLLA_HUNT && r->hunt_len) {
		r->flush = true;
		scylla_reader_feed(r, c, c2s, max_keep, NULL, 0, frame, fn,
				   ctx);
	}
	if (gap && missing && r->state == SCYLLA_BODY && missing < r->left) {
		/* the hole ends inside this frame: the framing holds */
		r->left -= missing;
		r->hole = true;
		r->after_gap = true;
		return;
	}
	if (r->state == SCYLLA_BODY ||
	    (r->state == SCYLLA_NEGOTIATION && r->buf_len)) {
		if (r->state == SCYLLA_NEGOTIATION) {
			struct scylla_frame f = {
				.kind = SCYLLA_FRAME_NEGOTIATION,
				.body = r->buf, .kept = r->buf_len,
				.wire_len = r->wire_len, .truncated = true };
			deliver(r, &f, frame, fn, ctx);
			reset_frame(r);
		} else {
			finish(r, c, c2s, max_keep, true, NULL, 0, frame, fn,
			       ctx);
		}
	} else if (r->state == SCYLLA_HEADER && r->have) {
		/* a header cut short: its bytes are lost with the gap */
		r->skipped += r->have;
		r->skipped_total += r->have;
		r->have = 0;
	}
	if (r->state == SCYLLA_HUNT) {
		r->skipped += r->hunt_len;
		r->skipped_total += r->hunt_len;
		r->hunt_len = r->hunt_scan = 0;
		r->hunt_nmore = 0;
	}
	if (gap) {
		r->after_gap = true;
		r->have = 0;
		/* before the negotiation's end: nothing known of the
		 * layout; after it, hunt with what was negotiated */
		start_hunt(r, frame->number);
	}
}

void scylla_reader_free(struct scylla_reader *r)
{
	if (r->buf_cap)
		release(r, &r->buf, &r->buf_cap);
	hunt_release(r, r->hunt);
	r->hunt = NULL;
}
