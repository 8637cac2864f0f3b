/* stream.c - CQL over TCP: each direction's bytes into envelopes, and
 * cql_stream_proto.
 *
 *   v1-v4, and v5 before its handshake ends: frames back to back, a
 *     header (8 or 9 bytes) and its body; a compressed body (flag 0x01)
 *     is decompressed with STARTUP's algorithm (lz4 or snappy).
 *   v5 after the server's answer to STARTUP: segments (segment.h), each
 *     checked (CRC24 header, CRC32 payload) and, with lz4, decompressed;
 *     their payloads carry the envelopes, one that spans segments is
 *     joined again.
 *
 * Found by content (a header that only CQL writes: frame.h), on any port.
 * After a gap, or bytes that are no header, the reader hunts for the next
 * header that is followed by another one (v5: a segment header whose
 * CRC24 holds).  A segment header whose CRC24 fails leaves no length to
 * trust: the direction is not decoded further.  Bodies are kept up to
 * the decoder's max_record (the rest counted), and buffers share the
 * decoder's budget of buffered bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "proto/cql/cql.h"
#include "wire/decoder.h"	/* struct decoder_stats */
#include "wire/stream.h"

#define HUNT_MAX (64u << 10)
/* Offsets of the hunt buffer still undecided after a search, kept so
 * that the next search looks at them and at the new bytes only. */
#define HUNT_MAYBE_MAX 32
#define SEGMENT_BUF (CQL_SEGMENT_MAX_PAYLOAD + CQL_SEGMENT_TRAILER)
#define DEFAULT_KEEP (1u << 20)

enum framing {
	FRAMING_PLAIN = 0,	/* frames back to back */
	FRAMING_PENDING,	/* after a v5 STARTUP: segments if the server agreed */
	FRAMING_SEGMENTS,	/* v5 segments */
	FRAMING_DEAD,		/* a segment header lied: nothing more */
};

struct cql_reader {
	/* the envelope being read */
	uint8_t hdr[CQL_HEADER_MAX];
	unsigned hdr_have;
	bool in_body;
	struct cql_frame_header h;
	uint64_t body_have;
	uint8_t *buf;
	size_t buf_len, buf_cap;
	bool elided;
	uint64_t first_frame;
	bool after_gap;
	/* lost framing */
	bool hunting;
	uint8_t *hunt;
	size_t hunt_len;
	/* What the searches so far learnt of the hunt buffer: below
	 * hunt_scanned every offset is no envelope start, except those in
	 * hunt_maybe (ascending), which want more bytes; true while the
	 * connection's version is hunt_version. */
	size_t hunt_scanned;
	uint32_t hunt_maybe[HUNT_MAYBE_MAX];
	unsigned hunt_nmaybe;
	uint8_t hunt_version;
	uint64_t skipped;
	bool fed;		/* bytes came before */
	/* v5 */
	uint8_t framing;	/* enum framing */
	uint8_t seg_hdr[CQL_SEGMENT_HEADER_LZ4];
	unsigned seg_hdr_have;
	bool in_seg;
	struct cql_segment_header sh;
	uint8_t *seg;		/* payload + CRC32, SEGMENT_BUF at most */
	size_t seg_cap;
	size_t seg_have;
	bool seg_crc_bad;
	uint32_t seg_crc_wire;
	struct cql_segment_note note;
	/* decompressed bodies and segments */
	uint8_t *plain;
	size_t plain_cap;
	/* the decoder's budget of buffered bytes (NULL: no bound) */
	struct memory_budget *budget;
};

/* ---- buffers under the shared budget ---- */

static bool charge(struct cql_reader *r, size_t more)
{
	return budget_charge(r->budget, more);
}

static void refund(struct cql_reader *r, size_t less)
{
	budget_release(r->budget, less);
}

/* Grows *p to at least need bytes (at most limit); false when the budget
 * or memory says no. */
static bool grow(struct cql_reader *r, uint8_t **p, size_t *cap, size_t need, size_t limit)
{
	if (need <= *cap)
		return true;
	if (need > limit)
		return false;
	size_t n = *cap ? *cap : 4096;
	while (n < need)
		n *= 2;
	if (n > limit)
		n = limit;
	if (!charge(r, n - *cap))
		return false;
	uint8_t *q = realloc(*p, n);
	if (!q) {
		refund(r, n - *cap);
		return false;
	}
	*p = q;
	*cap = n;
	return true;
}

static void drop(struct cql_reader *r, uint8_t **p, size_t *cap)
{
	refund(r, *cap);
	free(*p);
	*p = NULL;
	*cap = 0;
}

static size_t max_keep(const struct stream_dir *dir)
{
	size_t k = stream_max_record(dir);
	return k ? k : DEFAULT_KEEP;
}

/* ---- envelopes ---- */

static void reset_envelope(struct cql_reader *r)
{
	r->hdr_have = 0;
	r->in_body = false;
	r->body_have = 0;
	r->buf_len = 0;
	r->elided = false;
	r->first_frame = 0;
	/* A buffer grown for one big body is not kept for the next. */
	if (r->buf_cap > (64u << 10))
		drop(r, &r->buf, &r->buf_cap);
}

/* Decompresses e's body into r->plain when the frame says it is
 * compressed; fills e's compression facts. */
static void decompress_envelope(struct cql_reader *r, struct cql_conn *conn,
				struct cql_envelope *e, size_t keep)
{
	if (!(e->h.flags & CQL_FLAG_COMPRESSION) || (e->h.version & 0x7f) >= 5)
		return;	/* v5: the segments carried the compression */
	enum cql_compression algo = conn->compression;
	e->compressed = algo;
	if (e->elided) {
		e->decompress_problem = "compressed body longer than kept (max_record)";
		return;
	}
	enum cql_compression try[2] = { algo, CQL_COMPRESSION_NONE };
	if (algo == CQL_COMPRESSION_NONE) {
		/* The STARTUP was not seen: lz4's length prefix is checked
		 * before anything is written, so lz4 first, then snappy. */
		try[0] = CQL_COMPRESSION_LZ4;
		try[1] = CQL_COMPRESSION_SNAPPY;
	}
	/* The buffer grows to the size the body announces (keep at most),
	 * not to keep at once: 1 MiB for each connection's first small
	 * body cost more than decoding it. */
	if (!grow(r, &r->plain, &r->plain_cap, 1, keep)) {
		e->decompress_problem = "no room to decompress the body (memory budget)";
		return;
	}
	for (int i = 0; i < 2 && try[i] != CQL_COMPRESSION_NONE; i++) {
		size_t got;
		uint64_t claimed;
		enum cql_decompress_verdict v = cql_decompress_body(try[i], e->body, e->kept,
								    r->plain, r->plain_cap,
								    &got, &claimed);
		if (v == CQL_DECOMPRESS_TOO_BIG && claimed <= keep) {
			if (!grow(r, &r->plain, &r->plain_cap, (size_t)claimed, keep)) {
				e->decompress_problem = "no room to decompress the body (memory budget)";
				return;
			}
			v = cql_decompress_body(try[i], e->body, e->kept, r->plain,
						r->plain_cap, &got, &claimed);
		}
		if (v == CQL_DECOMPRESS_OK) {
			e->compressed = try[i];
			e->body = r->plain;
			e->kept = got;
			e->uncompressed_length = got;
			e->decompress_problem = NULL;
			return;
		}
		e->compressed = try[i];
		e->decompress_problem = v == CQL_DECOMPRESS_TOO_BIG ?
			"decompressed body larger than kept (max_record)" :
			"compressed body does not decompress";
	}
}

static void emit(struct stream_dir *dir, struct cql_envelope *e, bool truncated,
		 const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	struct cql_conn *conn = dir->conn_state;
	struct message *m = stream_scratch_message(dir);
	stream_message_begin(m, dir, e->first_frame ? e->first_frame : frame->number, frame);
	e->direction = stream_direction(dir);
	cql_decode_envelope(conn, m, e, frame);
	if (truncated)
		msg_mark(m, MSG_TRUNCATED, "the stream ended inside the envelope");
	if (r->after_gap) {
		msg_mark(m, MSG_AFTER_GAP, NULL);
		r->after_gap = false;
	}
	if (!e->h.response && e->h.version)
		stream_set_client(dir, true);
	stream_emit(dir, m);
}

/* The v5 handshake's end switches the framing: the client's bytes after
 * its v5 STARTUP, the server's after its answer to it. */
static void after_envelope(struct cql_reader *r, const struct cql_conn *conn, bool truncated)
{
	uint8_t v = r->h.version;
	if (!truncated && v == 5 && !r->h.response && r->h.opcode == CQL_STARTUP)
		r->framing = FRAMING_PENDING;
	if (!truncated && v == 5 && r->h.response && conn->v5_framing &&
	    r->framing == FRAMING_PLAIN)
		r->framing = FRAMING_SEGMENTS;
}

/* The envelope being read is whole (or cut: truncated). */
static void finish_envelope(struct stream_dir *dir, bool truncated,
			    const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	struct cql_conn *conn = dir->conn_state;
	static const uint8_t none[1];
	struct cql_envelope e = {
		.h = r->h,
		.body = r->buf ? r->buf : none,
		.kept = r->buf_len,
		.wire_length = r->h.length,
		.elided = r->elided,
		.from_client = !r->h.response,
		.segments = r->framing == FRAMING_SEGMENTS ? &r->note : NULL,
		.first_frame = r->first_frame,
	};
	if (!truncated)
		decompress_envelope(r, conn, &e, max_keep(dir));
	emit(dir, &e, truncated, frame);
	after_envelope(r, conn, truncated);
	reset_envelope(r);
}

/* An envelope whose body lies whole in the bytes fed (r->h read). */
static void finish_direct(struct stream_dir *dir, const uint8_t *body,
			  const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	struct cql_conn *conn = dir->conn_state;
	struct cql_envelope e = {
		.h = r->h,
		.body = body,
		.kept = r->h.length,
		.wire_length = r->h.length,
		.from_client = !r->h.response,
		.segments = r->framing == FRAMING_SEGMENTS ? &r->note : NULL,
		.first_frame = r->first_frame,
	};
	decompress_envelope(r, conn, &e, max_keep(dir));
	emit(dir, &e, false, frame);
	after_envelope(r, conn, false);
	r->first_frame = 0;
}

/* The segment just read carries the start of the next envelope (or
 * more of the one open: note_add). */
static void note_add(struct cql_reader *r)
{
	struct cql_segment_note *n = &r->note;
	if (n->count < CQL_NOTE_SEGMENTS)
		n->seen[n->count] = (struct cql_segment_seen){
			.h = r->sh, .payload_crc = r->seg_crc_wire,
			.payload_ok = !r->seg_crc_bad,
		};
	n->count++;
	n->crc_bad |= r->seg_crc_bad || r->sh.crc24_wire != r->sh.crc24_computed;
}

static void note_start(struct cql_reader *r)
{
	r->note.count = 0;
	r->note.crc_bad = false;
	note_add(r);
}

/* Keeps body bytes up to max_record; the rest is counted. */
static void keep_body(struct cql_reader *r, size_t keep, const uint8_t *p, size_t n)
{
	size_t room = keep > r->buf_len ? keep - r->buf_len : 0;
	size_t take = n < room ? n : room;
	if (take < n)
		r->elided = true;
	if (!take)
		return;
	size_t want = r->h.length < keep ? r->h.length : keep;
	if (!grow(r, &r->buf, &r->buf_cap, r->buf_len + take,
		  want > r->buf_len + take ? want : r->buf_len + take)) {
		r->elided = true;
		return;
	}
	memcpy(r->buf + r->buf_len, p, take);
	r->buf_len += take;
}

/* Collects up to want bytes of a header into buf (have so far); returns
 * the bytes of data taken. */
static size_t collect(uint8_t *buf, unsigned *have, unsigned want, const uint8_t *data, size_t len)
{
	size_t take = want > *have ? want - *have : 0;
	if (take > len)
		take = len;
	memcpy(buf + *have, data, take);
	*have += (unsigned)take;
	return take;
}

/* The hunt buffer is empty or replaced: nothing of it is known. */
static void hunt_forget_all(struct cql_reader *r)
{
	r->hunt_scanned = 0;
	r->hunt_nmaybe = 0;
}

/* The first n bytes of the hunt buffer are gone: what was learnt of the
 * rest moves with it. */
static void hunt_forget(struct cql_reader *r, size_t n)
{
	unsigned keep = 0;
	for (unsigned i = 0; i < r->hunt_nmaybe; i++)
		if (r->hunt_maybe[i] >= n)
			r->hunt_maybe[keep++] = (uint32_t)(r->hunt_maybe[i] - n);
	r->hunt_nmaybe = keep;
	r->hunt_scanned = r->hunt_scanned > n ? r->hunt_scanned - n : 0;
}

/* Bytes into the hunt buffer (at most HUNT_MAX: the oldest go). */
static void hunt_push(struct cql_reader *r, const uint8_t *p, size_t n)
{
	if (!n)
		return;
	size_t cap = r->hunt ? HUNT_MAX : 0;
	if (!grow(r, &r->hunt, &cap, HUNT_MAX, HUNT_MAX)) {
		r->skipped += n;
		return;
	}
	if (n >= HUNT_MAX) {
		r->skipped += r->hunt_len + n - HUNT_MAX;
		memcpy(r->hunt, p + n - HUNT_MAX, HUNT_MAX);
		r->hunt_len = HUNT_MAX;
		hunt_forget_all(r);
		return;
	}
	if (r->hunt_len + n > HUNT_MAX) {
		size_t drop_n = r->hunt_len + n - HUNT_MAX;
		r->skipped += drop_n;
		memmove(r->hunt, r->hunt + drop_n, r->hunt_len - drop_n);
		r->hunt_len -= drop_n;
		hunt_forget(r, drop_n);
	}
	memcpy(r->hunt + r->hunt_len, p, n);
	r->hunt_len += n;
}

/* Reads envelope bytes; returns the bytes consumed (all, unless a header
 * is no CQL: then hunting is set and the rest is left). */
static size_t envelopes(struct stream_dir *dir, const uint8_t *data, size_t len,
			const struct frame_ref *frame, bool strict_first)
{
	struct cql_reader *r = dir->proto_state;
	struct cql_conn *conn = dir->conn_state;
	size_t used = 0;
	while (used < len) {
		/* A whole envelope in the bytes at hand: decoded in place, not
		 * copied (the common case). */
		if (!r->in_body && !r->hdr_have && !strict_first && conn->version &&
		    len - used >= CQL_HEADER_MAX) {
			const char *why;
			struct cql_frame_header h;
			if (cql_header_parse(data + used, len - used, false, &h, &why) == CQL_HEADER_OK &&
			    (h.version == conn->version || h.version >= 0x41) && h.length <= CQL_MAX_BODY &&
			    h.header_len + (uint64_t)h.length <= len - used &&
			    h.length <= max_keep(dir)) {
				if (r->framing == FRAMING_SEGMENTS)
					note_start(r);
				r->h = h;
				r->first_frame = frame->number;
				finish_direct(dir, data + used + h.header_len, frame);
				used += h.header_len + (size_t)h.length;
				continue;
			}
		}
		if (!r->in_body) {
			if (!r->hdr_have) {
				r->first_frame = frame->number;
				if (r->framing == FRAMING_SEGMENTS)
					note_start(r);
			}
			unsigned hl = r->hdr_have ? cql_header_length(r->hdr[0]) :
				      cql_header_length(data[used]);
			if (!hl)
				hl = CQL_HEADER_MAX;
			used += collect(r->hdr, &r->hdr_have, hl, data + used, len - used);
			if (r->hdr_have < hl)
				return used;
			const char *why;
			/* Strict checks until the connection's version is
			 * known (and after a resync point); then a known
			 * connection keeps its framing over an odd flag, not
			 * over another version or an absurd length. */
			bool strict = strict_first || !conn->version;
			enum cql_header_verdict hv = cql_header_parse(r->hdr, r->hdr_have, strict, &r->h, &why);
			if (hv == CQL_HEADER_OK && !strict &&
			    ((r->h.version != conn->version && r->h.version < 0x41) ||
			     r->h.length > CQL_MAX_BODY))
				hv = CQL_HEADER_NOT_CQL;
			if (hv != CQL_HEADER_OK) {
				/* Lost: the bytes after this header's first
				 * may still start one. */
				r->hunting = true;
				r->skipped++;
				hunt_push(r, r->hdr + 1, r->hdr_have - 1);
				r->hdr_have = 0;
				return used;
			}
			strict_first = false;
			r->in_body = true;
			r->body_have = 0;
			if (r->h.length == 0) {
				finish_envelope(dir, false, frame);
				continue;
			}
		}
		uint64_t left = r->h.length - r->body_have;
		size_t n = len - used < left ? len - used : (size_t)left;
		keep_body(r, max_keep(dir), data + used, n);
		r->body_have += n;
		used += n;
		if (r->body_have == r->h.length)
			finish_envelope(dir, false, frame);
	}
	return used;
}

/* ---- hunting for the next header after lost framing ---- */

/* Whether a header at p (n bytes) starts a plausible envelope: strict, of
 * the connection's version when known, and when its end lies in the bytes
 * at hand, followed by another header.  At the start of a direction a
 * frame that ends exactly there, or an opening request or answer
 * (STARTUP, OPTIONS; READY, SUPPORTED, AUTHENTICATE, ERROR), suffices. */
static enum detect_verdict plausible(const struct cql_conn *conn, const uint8_t *p, size_t n,
				     bool at_start)
{
	struct cql_frame_header h, next;
	const char *why;
	enum cql_header_verdict v = cql_header_parse(p, n, true, &h, &why);
	if (v == CQL_HEADER_SHORT)
		return DETECT_MAYBE;
	if (v != CQL_HEADER_OK)
		return DETECT_NO;
	if (conn && conn->version && (h.version & 0x7f) != conn->version && h.version < 0x41)
		return DETECT_NO;
	size_t end = h.header_len + (size_t)h.length;
	bool opening = h.response ?
		h.opcode == CQL_READY || h.opcode == CQL_SUPPORTED ||
		h.opcode == CQL_AUTHENTICATE || h.opcode == CQL_ERROR :
		h.opcode == CQL_STARTUP || h.opcode == CQL_OPTIONS;
	if (end > n)
		return at_start && opening ? DETECT_YES :
		       h.length <= HUNT_MAX ? DETECT_MAYBE : DETECT_YES;
	/* A strict header whose length ends exactly where the bytes end:
	 * strong enough, at a start or mid-connection (a capture that began
	 * there sees whole messages per packet). */
	if (end == n)
		return DETECT_YES;
	v = cql_header_parse(p + end, n - end, true, &next, &why);
	if (v == CQL_HEADER_SHORT)
		return DETECT_MAYBE;
	return v == CQL_HEADER_OK && (next.version_byte & 0x7f) == (h.version_byte & 0x7f) ?
	       DETECT_YES : DETECT_NO;
}

/* Whether the verdict on offset i (of n hunt bytes) makes it the resync
 * point: a full buffer takes a whole header that still wants its body. */
static bool resync_point(enum detect_verdict v, const uint8_t *p, size_t i, size_t n, bool full)
{
	return v == DETECT_YES || (v == DETECT_MAYBE && full && cql_header_length(p[i]) &&
				   n - i >= CQL_HEADER_MAX);
}

/* Scans the hunt buffer for a resync point; returns its offset, or -1
 * with *keep_from the first offset still worth waiting on.  An offset
 * found to be no envelope start stays one with more bytes (the checks
 * look only at bytes present), so a search looks again only at the
 * offsets that wanted more and at the bytes added since: a buffer that
 * grows a packet at a time costs its length, not its length squared. */
static long hunt_scan(struct cql_reader *r, const struct cql_conn *conn, size_t *keep_from)
{
	const uint8_t *p = r->hunt;
	size_t n = r->hunt_len;
	bool full = n == HUNT_MAX;
	uint8_t version = conn ? conn->version : 0;
	if (version != r->hunt_version) {	/* other verdicts now */
		r->hunt_version = version;
		hunt_forget_all(r);
	}
	*keep_from = n;
	unsigned listed = r->hunt_nmaybe;
	size_t scanned = r->hunt_scanned;
	r->hunt_nmaybe = 0;
	r->hunt_scanned = n;
	for (unsigned k = 0; k < listed; k++) {
		size_t i = r->hunt_maybe[k];
		enum detect_verdict v = plausible(conn, p + i, n - i, false);
		if (resync_point(v, p, i, n, full))
			return (long)i;
		if (v == DETECT_MAYBE) {
			if (*keep_from == n)
				*keep_from = i;
			r->hunt_maybe[r->hunt_nmaybe++] = (uint32_t)i;
		}
	}
	for (size_t i = scanned; i < n; i++) {
		if (!cql_header_length(p[i]))
			continue;	/* no version byte: plausible says no */
		enum detect_verdict v = plausible(conn, p + i, n - i, false);
		if (resync_point(v, p, i, n, full))
			return (long)i;
		if (v != DETECT_MAYBE)
			continue;
		if (*keep_from == n)
			*keep_from = i;
		/* more undecided offsets than the list holds: the next
		 * search starts again from the first one left out */
		if (r->hunt_scanned == n && r->hunt_nmaybe < HUNT_MAYBE_MAX)
			r->hunt_maybe[r->hunt_nmaybe++] = (uint32_t)i;
		else if (r->hunt_scanned == n)
			r->hunt_scanned = i;
	}
	return -1;
}

/* Looks for a resync point in the hunt buffer; from there the bytes are
 * envelopes again (and if they lose the framing once more, what is left
 * is hunted anew). */
static void hunt_rescan(struct stream_dir *dir, const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	struct cql_conn *conn = dir->conn_state;
	while (r->hunting && r->hunt_len) {
		size_t keep_from;
		long at = hunt_scan(r, conn, &keep_from);
		if (at < 0) {
			/* Drop what cannot start an envelope any more. */
			r->skipped += keep_from;
			memmove(r->hunt, r->hunt + keep_from, r->hunt_len - keep_from);
			r->hunt_len -= keep_from;
			hunt_forget(r, keep_from);
			if (r->hunt_len == HUNT_MAX) {	/* nothing in 64 KiB */
				r->skipped += r->hunt_len;
				r->hunt_len = 0;
				hunt_forget_all(r);
			}
			return;
		}
		r->skipped += (size_t)at;
		r->hunting = false;
		r->after_gap = true;
		uint8_t *copy = r->hunt;
		size_t n = r->hunt_len - (size_t)at;
		r->hunt = NULL;
		r->hunt_len = 0;
		hunt_forget_all(r);
		size_t used = envelopes(dir, copy + at, n, frame, true);
		if (r->hunting)
			hunt_push(r, copy + at + used, n - used);
		refund(r, HUNT_MAX);
		free(copy);
	}
}

/* Feeds bytes while hunting; consumes all of data. */
static size_t hunt(struct stream_dir *dir, const uint8_t *data, size_t len,
		   const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	size_t take = len < HUNT_MAX ? len : HUNT_MAX;
	if (take < len)
		r->skipped += len - take;	/* only the last 64 KiB can matter */
	hunt_push(r, data + len - take, take);
	hunt_rescan(dir, frame);
	return len;
}

/* ---- v5 segments ---- */

/* A segment header lied: emit one message that says so; nothing more of
 * this direction is decoded. */
static void framing_dead(struct stream_dir *dir, const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	r->framing = FRAMING_DEAD;
	struct cql_envelope e = {
		.from_client = dir->client_to_server,
		.segments = &r->note,
		.first_frame = frame->number,
		.direction = stream_direction(dir),
	};
	r->seg_crc_bad = true;
	note_start(r);
	static const uint8_t none[1];
	e.body = none;
	struct message *m = stream_scratch_message(dir);
	stream_message_begin(m, dir, frame->number, frame);
	cql_decode_envelope(dir->conn_state, m, &e, frame);
	msg_mark(m, MSG_MALFORMED, "v5 segment header CRC24 mismatch: no length to trust");
	stream_emit(dir, m);
}

/* One whole segment: its payload into the envelope reader. */
static void segment_done(struct stream_dir *dir, const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	const uint8_t *payload = r->seg;
	size_t n = r->sh.payload_length;
	r->seg_crc_bad = !cql_segment_payload_ok(payload, n, r->seg + n);
	r->seg_crc_wire = (uint32_t)r->seg[n] | (uint32_t)r->seg[n + 1] << 8 |
			  (uint32_t)r->seg[n + 2] << 16 | (uint32_t)r->seg[n + 3] << 24;
	if (r->sh.lz4 && r->sh.uncompressed_length) {
		if (!grow(r, &r->plain, &r->plain_cap, r->sh.uncompressed_length,
			  CQL_SEGMENT_MAX_PAYLOAD) ||
		    cql_decompress_lz4_block(payload, n, r->plain, r->sh.uncompressed_length) !=
		    CQL_DECOMPRESS_OK) {
			/* The envelopes in it are lost; the next segment
			 * starts afresh. */
			r->skipped += n;
			if (r->hdr_have || r->in_body)
				finish_envelope(dir, true, frame);
			return;
		}
		payload = r->plain;
		n = r->sh.uncompressed_length;
	}
	/* A self-contained segment starts with an envelope: one left open
	 * by the segments before was cut. */
	if (r->sh.self_contained && (r->hdr_have || r->in_body))
		finish_envelope(dir, true, frame);
	else if (r->hdr_have || r->in_body)
		note_add(r);
	size_t used = envelopes(dir, payload, n, frame, false);
	if (used < n || r->hunting) {
		/* An envelope header inside a segment that is no header: the
		 * rest of the segment is lost; the next one starts afresh. */
		r->hunting = false;
		r->skipped += n - used;
		reset_envelope(r);
	}
}

static size_t segments(struct stream_dir *dir, const uint8_t *data, size_t len,
		       const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	struct cql_conn *conn = dir->conn_state;
	size_t used = 0;
	bool lz4 = conn->compression == CQL_COMPRESSION_LZ4;
	unsigned hl = lz4 ? CQL_SEGMENT_HEADER_LZ4 : CQL_SEGMENT_HEADER;
	while (used < len && r->framing == FRAMING_SEGMENTS) {
		if (!r->in_seg) {
			used += collect(r->seg_hdr, &r->seg_hdr_have, hl, data + used, len - used);
			if (r->seg_hdr_have < hl)
				break;
			r->seg_hdr_have = 0;
			if (cql_segment_header_parse(r->seg_hdr, hl, lz4, &r->sh) != CQL_SEGMENT_OK) {
				framing_dead(dir, frame);
				r->skipped += len - used;
				return len;
			}
			/* as long as this segment needs (grown, never
			 * shrunk, up to SEGMENT_BUF) */
			if (!grow(r, &r->seg, &r->seg_cap,
				  r->sh.payload_length + CQL_SEGMENT_TRAILER, SEGMENT_BUF)) {
				r->skipped += len - used;
				return len;
			}
			r->in_seg = true;
			r->seg_have = 0;
		}
		size_t need = r->sh.payload_length + CQL_SEGMENT_TRAILER - r->seg_have;
		size_t take = len - used < need ? len - used : need;
		memcpy(r->seg + r->seg_have, data + used, take);
		r->seg_have += take;
		used += take;
		if (r->seg_have == r->sh.payload_length + CQL_SEGMENT_TRAILER) {
			r->in_seg = false;
			segment_done(dir, frame);
		}
	}
	return used;
}

/* After a v5 STARTUP: does the client's next byte start a segment? */
static bool looks_like_segment(const struct cql_conn *conn, const uint8_t *p, size_t n)
{
	struct cql_segment_header h;
	bool lz4 = conn->compression == CQL_COMPRESSION_LZ4;
	return cql_segment_header_parse(p, n, lz4, &h) == CQL_SEGMENT_OK;
}

/* ---- the stream protocol ---- */

static enum detect_verdict cql_detect(const uint8_t *data, size_t len, bool at_start)
{
	if (!len)
		return DETECT_MAYBE;
	/* Inside v5 framing (a capture that began there, whose first bytes
	 * the wire layer may still call a start): a segment header whose
	 * CRC24 holds (2^-24 by chance), the uncompressed one around an
	 * envelope of version 5.  Tried first: it is the stronger sign. */
	struct cql_segment_header h;
	/* the envelope's version byte first: cheaper than the CRC24 */
	if (len > CQL_SEGMENT_HEADER && (data[CQL_SEGMENT_HEADER] & 0x7f) == 5 &&
	    cql_segment_header_parse(data, len, false, &h) == CQL_SEGMENT_OK)
		return DETECT_YES;
	if (cql_segment_header_parse(data, len, true, &h) == CQL_SEGMENT_OK)
		return DETECT_YES;
	return plausible(NULL, data, len, at_start);
}

static void cql_feed(struct stream_dir *dir, const uint8_t *data, size_t len,
		     const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	struct cql_conn *conn = dir->conn_state;
	if (!r->budget)
		r->budget = stream_buffer_budget(dir);
	uint64_t skipped = r->skipped;
	if (!r->fed && len) {
		/* Found mid-connection inside v5 framing (detect saw a segment
		 * header whose CRC24 holds): start there in segments. */
		r->fed = true;
		struct cql_frame_header h;
		const char *why;
		struct cql_segment_header sh;
		if (r->framing == FRAMING_PLAIN &&
		    cql_header_parse(data, len, true, &h, &why) != CQL_HEADER_OK) {
			for (int lz4 = 0; lz4 < 2; lz4++) {
				if (cql_segment_header_parse(data, len, lz4, &sh) == CQL_SEGMENT_OK) {
					r->framing = FRAMING_SEGMENTS;
					conn->version = 5;
					conn->v5_framing = true;
					if (lz4)
						conn->compression = CQL_COMPRESSION_LZ4;
					break;
				}
			}
		}
	}
	while (len) {
		size_t used;
		if (r->framing == FRAMING_DEAD) {
			r->skipped += len;
			break;
		}
		if (r->framing == FRAMING_PENDING && !r->hdr_have && !r->in_body) {
			size_t hl = conn->compression == CQL_COMPRESSION_LZ4 ?
				    CQL_SEGMENT_HEADER_LZ4 : CQL_SEGMENT_HEADER;
			/* The server agreed (its READY came first), or, its
			 * answer unseen, the bytes are a segment. */
			if (conn->v5_framing || (len >= hl && looks_like_segment(conn, data, len)))
				r->framing = FRAMING_SEGMENTS;
			else
				r->framing = FRAMING_PLAIN;
		}
		if (r->framing == FRAMING_SEGMENTS)
			used = segments(dir, data, len, frame);
		else if (r->hunting)
			used = hunt(dir, data, len, frame);
		else
			used = envelopes(dir, data, len, frame, !conn->version);
		if (!used && !r->hunting)
			break;
		data += used;
		len -= used;
	}
	if (r->skipped != skipped)
		stream_stats(dir)->resync_skipped_bytes += r->skipped - skipped;
}

static void cql_gap(struct stream_dir *dir, uint64_t missing, const struct frame_ref *frame)
{
	(void)missing;
	struct cql_reader *r = dir->proto_state;
	if (r->framing == FRAMING_SEGMENTS) {
		/* The lost bytes may hold segment boundaries: no length to
		 * trust any more. */
		if (r->hdr_have || r->in_body)
			finish_envelope(dir, true, frame);
		r->in_seg = false;
		r->seg_hdr_have = 0;
		r->framing = FRAMING_DEAD;
		return;
	}
	if (r->hdr_have || r->in_body)
		finish_envelope(dir, true, frame);
	r->hunting = true;
	r->after_gap = true;
}

static void cql_close(struct stream_dir *dir, const struct frame_ref *frame)
{
	struct cql_reader *r = dir->proto_state;
	if (r->framing != FRAMING_DEAD && (r->hdr_have >= 1 || r->in_body))
		finish_envelope(dir, true, frame);
	if (r->hunt_len) {
		r->skipped += r->hunt_len;
		stream_stats(dir)->resync_skipped_bytes += r->hunt_len;
		r->hunt_len = 0;
		hunt_forget_all(r);
	}
	/* Unanswered requests are known once both directions are done. */
	struct cql_conn *conn = dir->conn_state;
	if (conn && ++conn->closed == 2)
		stream_stats(dir)->unanswered += waiting_table_close(&conn->requests);
}

static void cql_conn_init(struct stream_dir *dir, void *conn_state)
{
	struct cql_conn *conn = conn_state;
	conn->budget = stream_buffer_budget(dir);
	waiting_table_init(&conn->requests, stream_waiting(dir), dir->conversation);
}

static void cql_destroy(struct stream_dir *dir)
{
	struct cql_reader *r = dir->proto_state;
	drop(r, &r->buf, &r->buf_cap);
	size_t cap = r->hunt ? HUNT_MAX : 0;
	drop(r, &r->hunt, &cap);
	drop(r, &r->seg, &r->seg_cap);
	drop(r, &r->plain, &r->plain_cap);
}

static void cql_conn_destroy(void *conn_state)
{
	cql_conn_release(conn_state);	/* counted at close, or not wanted */
}

const struct stream_proto cql_stream_proto = {
	.name = "cql",
	.detect = cql_detect,
	.state_size = sizeof(struct cql_reader),
	.conn_state_size = sizeof(struct cql_conn),
	.conn_init = cql_conn_init,
	.feed = cql_feed,
	.gap = cql_gap,
	.close = cql_close,
	.destroy = cql_destroy,
	.conn_destroy = cql_conn_destroy,
};
