/* stream.c - from in-order bytes to protocol parsers: which protocol a
 * direction speaks is decided by content (each registered protocol's
 * detect), never by port, both at the start of a stream and again after
 * a gap, where the bytes are scanned for the next message start.
 *
 * A connection speaks one protocol: once one direction is detected, its
 * peer is only offered that protocol, and both share conn_state.
 */
#include "reassembly.h"

#include <stdlib.h>
#include <string.h>

static struct tcp_dir *tcp_dir_of(struct stream_dir *dir)
{
	return (struct tcp_dir *)dir;	/* sd is the first member */
}

void stream_message_begin(struct message *m, const struct stream_dir *dir,
			  uint64_t first_frame, const struct frame_ref *frame)
{
	m->frame = frame->number;
	m->first_frame = first_frame ? first_frame : frame->number;
	m->ts_ns = frame->ts_ns;
	m->src = dir->src;
	m->dst = dir->dst;
	m->conversation = dir->conversation;
}

void stream_emit(struct stream_dir *dir, struct message *m)
{
	struct decoder *d = dir->decoder;
	struct decoder_stats *s = &d->stats;
	s->messages++;
	if (m->verdict & MSG_MALFORMED)
		s->malformed++;
	if (m->verdict & MSG_TRUNCATED)
		s->truncated++;
	if (m->exchange.kind == EXCHANGE_REQUEST) {
		s->requests++;
	} else if (m->exchange.kind == EXCHANGE_RESPONSE) {
		s->responses++;
		if (!m->exchange.request_frame)
			s->orphan_responses++;
	}
	/* The segment of the frame it completed in, when that is the frame
	 * being decoded (not at the end of the capture). */
	if (d->packet.valid && m->frame == d->packet_frame) {
		m->packet = d->packet;
		d->frame_shown = true;
	}
	if (d->on_message)
		d->on_message(d->user, m);
}

struct message *stream_scratch_message(struct stream_dir *dir)
{
	struct message *m = dir->decoder->scratch;
	msg_reset(m);
	m->no_info = dir->decoder->opts.no_summary;
	m->header_only = dir->decoder->opts.header_only;
	m->no_fields = dir->decoder->opts.no_fields;
	m->wants = dir->decoder->opts.wants;
	return m;
}

struct decoder_stats *stream_stats(struct stream_dir *dir)
{
	return &dir->decoder->stats;
}

struct waiting_set *stream_waiting(struct stream_dir *dir)
{
	return dir->decoder ? dir->decoder->waiting : NULL;
}

struct memory_budget *stream_buffer_budget(struct stream_dir *dir)
{
	return dir->decoder ? &dir->decoder->buffers : NULL;
}

uint8_t stream_direction(const struct stream_dir *dir)
{
	/* the two directions of a connection live in one flow: their
	 * order there does not change */
	return dir->peer && (uintptr_t)dir > (uintptr_t)dir->peer;
}

size_t stream_max_record(const struct stream_dir *dir)
{
	return dir->decoder ? dir->decoder->opts.max_record : 0;
}

/* What a protocol's state of n bytes is charged (calloc of at least 1). */
static size_t state_cost(size_t n)
{
	return budget_alloc_size(n ? n : 1);
}

static size_t dbuf_cost(size_t cap)
{
	return budget_alloc_size(sizeof(struct detect_buffer) + cap);
}

void stream_set_client(struct stream_dir *dir, bool client_to_server)
{
	struct tcp_dir *t = tcp_dir_of(dir);
	if (!t->flow->roles_guessed)
		return;
	dir->client_to_server = client_to_server;
	dir->peer->client_to_server = !client_to_server;
	t->flow->roles_guessed = false;
}

/* calloc(n) charged to the decoder's budget; NULL when it has no room. */
static void *state_new(struct decoder *d, size_t n)
{
	if (!budget_charge(&d->budget, state_cost(n)))
		return NULL;
	void *p = calloc(1, n ? n : 1);
	if (!p)
		budget_release(&d->budget, state_cost(n));
	return p;
}

/* Binds the direction to proto, creating the states it needs. */
static bool bind_proto(struct tcp_dir *t, const struct stream_proto *p)
{
	struct flow *f = t->flow;
	struct decoder *d = t->sd.decoder;
	if (!f->proto) {
		f->conn_state = state_new(d, p->conn_state_size);
		if (!f->conn_state)
			return false;
		f->proto = p;
		t->sd.peer->conn_state = f->conn_state;
		if (p->conn_init)
			p->conn_init(&t->sd, f->conn_state);
	}
	t->sd.conn_state = f->conn_state;
	/* Both directions get state, so both see close() even if one
	 * never sends a byte (its parser may count unanswered calls). */
	for (int i = 0; i < 2; i++) {
		struct stream_dir *sd = i ? t->sd.peer : &t->sd;
		if (!sd->proto_state &&
		    !(sd->proto_state = state_new(d, p->state_size)))
			return false;
	}
	t->detect = DETECTED;
	return true;
}

/* Feeds bytes that begin at stream offset `off`. */
static void feed(struct tcp_dir *t, const uint8_t *data, size_t len,
		 const struct frame_ref *frame, uint64_t off)
{
	t->sd.bytes_seen = off;
	t->flow->proto->feed(&t->sd, data, len, frame);
	t->sd.bytes_seen = off + len;
}

/* Drops the first n bytes of the detection buffer. */
static void dbuf_consume(struct detect_buffer *b, size_t n)
{
	memmove(b->buf, b->buf + n, b->len - n);
	b->len -= n;
	unsigned keep = 0;
	for (unsigned i = 0; i < b->nchunks; i++) {
		if (b->chunks[i].end <= n)
			continue;
		b->chunks[keep] = b->chunks[i];
		b->chunks[keep].end -= n;
		keep++;
	}
	b->nchunks = keep;
}

static void dbuf_free(struct tcp_dir *t)
{
	if (t->dbuf) {
		budget_release(&t->sd.decoder->buffers, dbuf_cost(t->dbuf->cap));
		free(t->dbuf);
		t->dbuf = NULL;
	}
}

/* Appends to the detection buffer, grown as needed and counted in the
 * total buffer; false when that cap leaves no room. */
static bool dbuf_append(struct tcp_dir *t, const uint8_t *data, size_t n,
			const struct frame_ref *frame)
{
	struct decoder *d = t->sd.decoder;
	struct detect_buffer *b = t->dbuf;
	size_t len = b ? b->len : 0, cap = b ? b->cap : 0;
	if (len + n > cap) {
		size_t want = cap ? cap * 2 : 64;
		if (want < len + n)
			want = len + n;
		if (want > DETECT_WINDOW)
			want = DETECT_WINDOW;
		size_t more = dbuf_cost(want) - (b ? dbuf_cost(cap) : 0);
		if (!budget_charge(&d->buffers, more)) {
			d->stats.buffer_drops++;
			return false;
		}
		b = realloc(b, sizeof *b + want);
		if (!b) {
			budget_release(&d->buffers, more);
			return false;
		}
		if (!t->dbuf)
			b->len = b->nchunks = 0;
		b->cap = want;
		t->dbuf = b;
	}
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	if (b->nchunks == DETECT_CHUNKS)
		b->nchunks--;	/* merged into the newest frame */
	b->chunks[b->nchunks].end = b->len;
	b->chunks[b->nchunks].frame = *frame;
	b->nchunks++;
	return true;
}

enum scan_result { SCAN_FOUND, SCAN_MORE, SCAN_NEVER };

/* Looks for a message start in buf: *at is its offset, or where to go
 * on looking when more bytes come. */
static enum scan_result scan(struct tcp_dir *t, const uint8_t *buf,
			     size_t len, const struct stream_proto **found,
			     size_t *at)
{
	struct decoder *d = t->sd.decoder;
	const struct stream_proto *only = t->flow->proto;
	size_t nprotos = only ? 1 : d->nprotos;
	for (size_t k = 0; k < len; k++) {
		bool at_start = t->at_start && k == 0;
		bool maybe = false;
		for (size_t i = 0; i < nprotos; i++) {
			const struct stream_proto *p = only ? only : d->protos[i];
			enum detect_verdict v = p->detect(buf + k, len - k,
							  at_start);
			if (v == DETECT_YES) {
				*found = p;
				*at = k;
				return SCAN_FOUND;
			}
			if (v == DETECT_MAYBE)
				maybe = true;
		}
		/* A full window that still says maybe is a no. */
		if (maybe && len - k < DETECT_WINDOW) {
			*at = k;
			return SCAN_MORE;
		}
		if (at_start)
			return SCAN_NEVER;	/* a stream starts with its protocol */
	}
	*at = len;
	return SCAN_MORE;
}

/* Bytes of a direction whose protocol is not known (yet, or again after
 * a gap).  Scans the arriving bytes in place; only an undecided tail
 * (shorter than DETECT_WINDOW) is buffered until more come. */
static void detect(struct tcp_dir *t, const uint8_t *data, size_t len,
		   const struct frame_ref *frame)
{
	struct decoder *d = t->sd.decoder;
	if (!t->flow->proto && d->nprotos == 0) {
		t->detect = UNDETECTABLE;
		return;
	}
	uint64_t data_off = t->offset;	/* stream offset of data[0] */
	while (len > 0 && t->detect == DETECTING) {
		bool buffered = t->dbuf && t->dbuf->len > 0;
		const uint8_t *buf = data;
		size_t blen = len, took = len;
		uint64_t buf_off = data_off;
		if (buffered) {
			took = DETECT_WINDOW - t->dbuf->len;
			if (took > len)
				took = len;
			if (!dbuf_append(t, data, took, frame)) {
				/* No room to wait for more: pass over what
				 * is held and look again in what comes. */
				d->stats.resync_skipped_bytes += t->dbuf->len;
				t->at_start = false;
				dbuf_free(t);
				continue;
			}
			buf = t->dbuf->buf;
			blen = t->dbuf->len;
			buf_off = data_off + took - blen;
		}
		data += took;
		len -= took;
		data_off += took;

		const struct stream_proto *p = NULL;
		size_t at = 0;
		enum scan_result r = scan(t, buf, blen, &p, &at);
		if (r == SCAN_NEVER) {
			t->detect = UNDETECTABLE;
			break;
		}
		if (at > 0) {
			d->stats.resync_skipped_bytes += at;
			t->scanned += at;
			t->at_start = false;
			buf_off += at;
			if (buffered)
				dbuf_consume(t->dbuf, at);
		}
		if (r == SCAN_FOUND) {
			if (!bind_proto(t, p)) {
				t->detect = UNDETECTABLE;
				break;
			}
			if (buffered) {
				/* each buffered piece with its own frame */
				struct detect_buffer *b = t->dbuf;
				size_t from = 0;
				for (unsigned i = 0; i < b->nchunks; i++) {
					size_t end = b->chunks[i].end;
					if (end > from)
						feed(t, b->buf + from, end - from,
						     &b->chunks[i].frame,
						     buf_off + from);
					from = end;
				}
				b->len = 0;
				b->nchunks = 0;
			} else {
				feed(t, buf + at, blen - at, frame, buf_off);
			}
			if (len > 0 && t->detect == DETECTED)
				feed(t, data, len, frame, data_off);
			break;
		}
		if (!buffered && at < blen &&
		    !dbuf_append(t, buf + at, blen - at, frame)) {
			d->stats.resync_skipped_bytes += blen - at;
			t->at_start = false;
		}
		if (t->scanned > DETECT_SCAN_LIMIT) {
			t->detect = UNDETECTABLE;
			break;
		}
	}
	if (t->detect != DETECTING || (t->dbuf && t->dbuf->len == 0))
		dbuf_free(t);
}

void stream_data(struct tcp_dir *t, const uint8_t *data, size_t len,
		 const struct frame_ref *frame)
{
	switch (t->detect) {
	case DETECTED:
		feed(t, data, len, frame, t->offset);
		t->at_start = false;
		break;
	case DETECTING:
		detect(t, data, len, frame);
		break;
	default:
		break;
	}
}

void stream_gap(struct tcp_dir *t, uint64_t missing,
		const struct frame_ref *frame)
{
	t->at_start = false;
	if (t->detect == DETECTED) {
		const struct stream_proto *p = t->flow->proto;
		if (p->gap)
			p->gap(&t->sd, missing, frame);
		t->detect = DETECTING;	/* resync on the next message */
		t->scanned = 0;
	} else if (t->detect == DETECTING) {
		dbuf_free(t);
	}
}

void stream_close(struct tcp_dir *t, const struct frame_ref *frame)
{
	const struct stream_proto *p = t->flow->proto;
	if (p && t->sd.proto_state && p->close)
		p->close(&t->sd, frame);
}

void stream_destroy_flow(struct flow *f)
{
	const struct stream_proto *p = f->proto;
	struct decoder *d = f->dir[0].sd.decoder;
	for (int i = 0; i < 2; i++) {
		struct tcp_dir *t = &f->dir[i];
		if (t->sd.proto_state) {
			if (p && p->destroy)
				p->destroy(&t->sd);
			/* only a bound flow's directions have state */
			budget_release(&d->budget, state_cost(p->state_size));
		}
		free(t->sd.proto_state);
		t->sd.proto_state = NULL;
		dbuf_free(t);
	}
	if (f->conn_state) {
		if (p->conn_destroy)
			p->conn_destroy(f->conn_state);
		budget_release(&d->budget, state_cost(p->conn_state_size));
	}
	free(f->conn_state);
	f->conn_state = NULL;
}
