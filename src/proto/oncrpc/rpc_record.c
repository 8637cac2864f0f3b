/* rpc_record.c - ONC-RPC record marking over TCP, and rpc_stream_proto:
 * the stream protocol that turns each direction's bytes into records,
 * decodes them (rpc.c) and emits one message per record.
 *
 *	+-+-------------------------------+----------------------+
 *	|L| fragment length (31 bits)     | fragment bytes ...   |  ...
 *	+-+-------------------------------+----------------------+
 *	L = 1 on the record's last fragment
 */
#include "rpc_record.h"

#include <stdlib.h>
#include <string.h>

#include "wire/decoder.h"

enum detect_verdict rpc_record_detect(const uint8_t *data, size_t len,
				      bool at_start)
{
	(void)at_start;	/* the same test fits a start and a resync */
	return rpc_detect_header(data, len);
}

/* What a block of n bytes is charged (none: nothing). */
static size_t block_cost(size_t n)
{
	return n ? budget_alloc_size(n) : 0;
}

static void release_buf(struct rpc_reader *r)
{
	budget_release(r->budget, block_cost(r->buf_cap));
	free(r->buf);
	r->buf = NULL;
	r->buf_cap = 0;
}

static void reset_record(struct rpc_reader *r)
{
	r->mark_have = 0;
	r->in_frag = r->last = r->in_record = false;
	r->frag_left = 0;
	r->rec_len = 0;
	r->first_frame = 0;
	r->elided = false;
	r->buf_len = 0;
	/* A buffer grown for one big record is not kept for the next; under
	 * a shared budget none is, so idle connections hold no bytes. */
	if (r->buf_cap > (64u << 10) || (r->budget && r->buf_cap))
		release_buf(r);
}

static void finish(struct rpc_reader *r, uint8_t direction, bool truncated,
		   const struct frame_ref *frame, rpc_record_fn fn, void *ctx)
{
	struct rpc_record_info info = {
		.direction = direction,
		.length = r->rec_len,
		.elided = r->elided,
		.truncated = truncated,
		.frame = frame->number,
		.ts_ns = frame->ts_ns,
	};
	static const uint8_t none[1];
	bool after_gap = r->after_gap;
	r->after_gap = false;
	/* never a NULL buffer: a record may have kept no byte */
	fn(ctx, r->buf ? r->buf : none, r->buf_len, &info, r->first_frame,
	   after_gap);
	reset_record(r);
}

/* Keeps up to max_keep bytes of the record; the rest is counted. */
static void keep(struct rpc_reader *r, size_t max_keep, const uint8_t *p,
		 size_t n)
{
	size_t room = max_keep > r->buf_len ? max_keep - r->buf_len : 0;
	size_t take = n < room ? n : room;
	if (take < n)
		r->elided = true;
	if (!take)
		return;
	if (r->buf_len + take > r->buf_cap) {
		size_t cap = r->buf_cap ? r->buf_cap : 4096;
		while (cap < r->buf_len + take)
			cap *= 2;
		if (cap > max_keep)
			cap = max_keep;
		size_t more = block_cost(cap) - block_cost(r->buf_cap);
		if (!budget_charge(r->budget, more)) {
			/* grow only as far as the shared budget allows */
			size_t avail = budget_room(r->budget) +
				       block_cost(r->buf_cap);
			size_t spare = avail > 32 ? avail - 32 : 0;
			spare = spare > r->buf_cap ? spare - r->buf_cap : 0;
			if (r->buf_len + take > r->buf_cap + spare) {
				r->elided = true;
				take = r->buf_cap + spare > r->buf_len ?
				       r->buf_cap + spare - r->buf_len : 0;
				if (!take)
					return;
			}
			cap = r->buf_len + take;
			more = block_cost(cap) - block_cost(r->buf_cap);
			if (!budget_try(r->budget, more)) {
				r->elided = true;
				return;
			}
		}
		uint8_t *nb = realloc(r->buf, cap);
		if (!nb) {	/* keep what we have; the rest is elided */
			budget_release(r->budget, more);
			r->elided = true;
			return;
		}
		r->buf = nb;
		r->buf_cap = cap;
	}
	memcpy(r->buf + r->buf_len, p, take);
	r->buf_len += take;
}

/* A record that lies whole in the bytes fed. */
static void direct(struct rpc_reader *r, uint8_t direction, size_t max_keep,
		   const uint8_t *rec, size_t len,
		   const struct frame_ref *frame, rpc_record_fn fn, void *ctx)
{
	static const uint8_t none[1];
	struct rpc_record_info info = {
		.direction = direction,
		.length = len,
		.elided = len > max_keep,
		.truncated = false,
		.frame = frame->number,
		.ts_ns = frame->ts_ns,
	};
	bool after_gap = r->after_gap;
	r->after_gap = false;
	fn(ctx, len ? rec : none, len > max_keep ? max_keep : len, &info,
	   frame->number, after_gap);
}

/* Reads framed bytes until they end or a mark cannot be right (then
 * r->hunting is set); returns the bytes consumed. */
static size_t framed(struct rpc_reader *r, uint8_t direction,
		     size_t max_keep, const uint8_t *data, size_t len,
		     const struct frame_ref *frame, rpc_record_fn fn,
		     void *ctx)
{
	size_t used = 0;
	while (used < len) {
		/* Fast path: a whole single-fragment record in this piece is
		 * decoded where it lies, without a copy. */
		if (!r->in_record && !r->mark_have && len - used >= 4) {
			uint32_t mark = peek_be32(data + used, 4, 0);
			size_t frag = mark & 0x7fffffffu;
			if ((mark >> 31) && frag <= len - used - 4 &&
			    frag <= RPC_MAX_RECORD) {
				direct(r, direction, max_keep, data + used + 4,
				       frag, frame, fn, ctx);
				used += 4 + frag;
				continue;
			}
		}
		if (!r->in_frag) {
			if (!r->in_record)
				r->first_frame = frame->number;
			r->in_record = true;
			while (r->mark_have < 4 && used < len)
				r->mark[r->mark_have++] = data[used++];
			if (r->mark_have < 4)
				break;
			uint32_t mark = peek_be32(r->mark, 4, 0);
			r->mark_have = 0;
			r->last = mark >> 31;
			r->frag_left = mark & 0x7fffffffu;
			if (r->frag_left > RPC_MAX_RECORD ||
			    r->rec_len + r->frag_left > RPC_MAX_RECORD) {
				/* Not a record mark: what came before is
				 * all there is of that record. */
				if (r->rec_len)
					finish(r, direction, true, frame, fn,
					       ctx);
				else
					reset_record(r);
				r->hunting = true;
				r->hunt_len = 0;
				return used;
			}
			r->in_frag = true;
		}
		size_t n = len - used < r->frag_left ? len - used : r->frag_left;
		keep(r, max_keep, data + used, n);
		r->rec_len += n;
		r->frag_left -= (uint32_t)n;
		used += n;
		if (r->frag_left == 0) {
			r->in_frag = false;
			if (r->last)
				finish(r, direction, false, frame, fn, ctx);
		}
	}
	return used;
}

/* Bad framing: looks for a record start in a small window, byte by byte,
 * with the test detect() uses.  Appends what fits of data, returns the
 * bytes taken; when a start is found, r->hunting is cleared and the
 * window from that start is left in r->hunt to be read as framed. */
static size_t hunt_step(struct rpc_reader *r, const uint8_t *data,
			size_t len)
{
	if (!r->hunt) {
		if (!budget_charge(r->budget, budget_alloc_size(RPC_HUNT_WINDOW)))
			r->hunt = NULL;
		else if (!(r->hunt = malloc(RPC_HUNT_WINDOW)))
			budget_release(r->budget,
				       budget_alloc_size(RPC_HUNT_WINDOW));
		if (!r->hunt) {
			/* no room: pass over, still hunting */
			r->skipped += len;
			return len;
		}
	}
	size_t n = RPC_HUNT_WINDOW - r->hunt_len;
	if (n > len)
		n = len;
	memcpy(r->hunt + r->hunt_len, data, n);
	r->hunt_len += n;
	size_t k;
	for (k = 0; k < r->hunt_len; k++) {
		enum detect_verdict v = rpc_detect_header(r->hunt + k,
							  r->hunt_len - k);
		if (v == DETECT_YES) {
			r->hunting = false;
			break;
		}
		/* Too few bytes to tell yet: wait for more.  A full window
		 * always tells, so a full buffer never stalls here. */
		if (v == DETECT_MAYBE)
			break;
	}
	r->skipped += k;
	memmove(r->hunt, r->hunt + k, r->hunt_len - k);
	r->hunt_len -= k;
	return n;
}

void rpc_reader_feed(struct rpc_reader *r, uint8_t direction,
		     size_t max_keep, const uint8_t *data, size_t len,
		     const struct frame_ref *frame, rpc_record_fn fn, void *ctx)
{
	for (;;) {
		if (r->hunting) {
			if (!len)
				return;
			size_t n = hunt_step(r, data, len);
			data += n;
			len -= n;
			if (r->hunting)
				continue;
			/* Found: read the window as framed bytes; what a
			 * bad mark in it leaves goes back to hunting. */
			uint8_t window[RPC_HUNT_WINDOW];
			size_t wl = r->hunt_len;
			memcpy(window, r->hunt, wl);
			r->hunt_len = 0;
			r->after_gap = true;
			size_t used = framed(r, direction, max_keep, window, wl,
					     frame, fn, ctx);
			if (r->hunting) {
				memcpy(r->hunt, window + used, wl - used);
				r->hunt_len = wl - used;
			}
			continue;
		}
		if (!len)
			return;
		size_t used = framed(r, direction, max_keep, data, len, frame,
				     fn, ctx);
		data += used;
		len -= used;
	}
}

void rpc_reader_break(struct rpc_reader *r, uint8_t direction,
		      const struct frame_ref *frame, bool gap,
		      rpc_record_fn fn, void *ctx)
{
	if (r->in_record && (r->rec_len || r->in_frag))
		finish(r, direction, true, frame, fn, ctx);
	else
		reset_record(r);
	r->hunting = false;
	r->hunt_len = 0;
	if (gap)
		r->after_gap = true;
}

void rpc_reader_free(struct rpc_reader *r)
{
	release_buf(r);
	r->buf_len = 0;
	if (r->hunt)
		budget_release(r->budget, budget_alloc_size(RPC_HUNT_WINDOW));
	free(r->hunt);
	r->hunt = NULL;
	r->hunt_len = 0;
}

/* ---- the stream protocol ---- */

struct emit_ctx {
	struct stream_dir *dir;
	const struct frame_ref *frame;
};

/* A stable 0/1 per direction of the connection: calls and replies are
 * matched across it whatever the client/server guess says. */
static void emit_record(void *vctx, const uint8_t *rec, size_t kept,
			const struct rpc_record_info *info,
			uint64_t first_frame, bool after_gap)
{
	struct emit_ctx *ctx = vctx;
	struct stream_dir *dir = ctx->dir;
	struct message *m = stream_scratch_message(dir);
	stream_message_begin(m, dir, first_frame, ctx->frame);
	rpc_decode(dir->conn_state, m, rec, kept, info);
	if (after_gap)
		msg_mark(m, MSG_AFTER_GAP, NULL);
	/* a call's sender is the client, but for programs whose calls go
	 * server -> client (callbacks) */
	if (m->exchange.kind == EXCHANGE_REQUEST &&
	    !(m->proto_header[RPC_H_FLAGS] & RPC_FROM_SERVER))
		stream_set_client(dir, true);
	stream_emit(dir, m);
}

static size_t max_keep(const struct stream_dir *dir)
{
	size_t k = stream_max_record(dir);
	return k ? k : RPC_DEFAULT_KEEP;
}

static void rpc_feed(struct stream_dir *dir, const uint8_t *data, size_t len,
		     const struct frame_ref *frame)
{
	struct rpc_reader *r = dir->proto_state;
	struct emit_ctx ctx = { dir, frame };
	uint64_t skipped = r->skipped;
	if (!r->keep) {
		/* record heads share the bound on buffered bytes */
		r->budget = stream_buffer_budget(dir);
		r->keep = max_keep(dir);
	}
	rpc_reader_feed(r, stream_direction(dir), r->keep, data, len, frame,
			emit_record, &ctx);
	if (r->skipped != skipped)
		stream_stats(dir)->resync_skipped_bytes += r->skipped - skipped;
}

static void rpc_gap(struct stream_dir *dir, uint64_t missing,
		    const struct frame_ref *frame)
{
	(void)missing;	/* the stream layer finds the next record */
	struct emit_ctx ctx = { dir, frame };
	rpc_reader_break(dir->proto_state, stream_direction(dir), frame, true,
			 emit_record, &ctx);
}

static void rpc_close(struct stream_dir *dir, const struct frame_ref *frame)
{
	struct emit_ctx ctx = { dir, frame };
	rpc_reader_break(dir->proto_state, stream_direction(dir), frame, false,
			 emit_record, &ctx);
	/* Unanswered calls are known once both directions are done. */
	struct rpc_conn *conn = dir->conn_state;
	if (conn && ++conn->closed == 2)
		stream_stats(dir)->unanswered += rpc_conn_free(conn);
}

static void rpc_conn_setup(struct stream_dir *dir, void *conn_state)
{
	rpc_conn_init(conn_state, stream_waiting(dir), dir->conversation);
}

static void rpc_destroy(struct stream_dir *dir)
{
	rpc_reader_free(dir->proto_state);
}

static void rpc_conn_destroy(void *conn_state)
{
	rpc_conn_free(conn_state);	/* counted at close, or not wanted */
}

const struct stream_proto rpc_stream_proto = {
	.name = "rpc",
	.detect = rpc_record_detect,
	.state_size = sizeof(struct rpc_reader),
	.conn_state_size = sizeof(struct rpc_conn),
	.conn_init = rpc_conn_setup,
	.feed = rpc_feed,
	.gap = rpc_gap,
	.close = rpc_close,
	.destroy = rpc_destroy,
	.conn_destroy = rpc_conn_destroy,
};
