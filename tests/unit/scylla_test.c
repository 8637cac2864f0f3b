/* scylla_test.c - the ScyllaDB RPC layers without the message API: verbs,
 * negotiation, headers under each negotiated layout, LZ4 and
 * LZ4_FRAGMENTED (and what a bomb costs), and the reader fed the same
 * bytes cut every way.  Bytes come from tests/lab/scylla/scylla_build.h
 * (built from the spec, docs/scylla.md) and, for the frames whose layout
 * the spec draws, from hand-written arrays. */
#include <lz4.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/budget.h"
#include "base/message.h"
#include "proto/scylla/bodies.h"
#include "proto/scylla/compress.h"
#include "proto/scylla/fields.h"
#include "proto/scylla/framing.h"
#include "proto/scylla/negotiation.h"
#include "proto/scylla/verbs.h"
#include "tap.h"
#include "../lab/scylla/scylla_build.h"

static void test_verbs(void)
{
	is_str(scylla_verb_name(0), "CLIENT_ID", "verb 0");
	is_str(scylla_verb_name(1), "MUTATION", "verb 1");
	is_str(scylla_verb_name(43), "PAXOS_PRUNE", "verb 43");
	is_str(scylla_verb_name(44), "GOSSIP_GET_ENDPOINT_STATES", "verb 44");
	is_str(scylla_verb_name(93), "BACKUP_SNAPSHOT_SSTABLES", "verb 93");
	ok(!scylla_verb_name(94), "verb 94 is a newer node's");
	unsigned named = 0, unused = 0;
	for (unsigned v = 0; v < SCYLLA_VERB_COUNT; v++) {
		named += scylla_verb_name(v) != NULL;
		unused += (scylla_verb(v)->flags & SCYLLA_VERB_UNUSED) != 0;
	}
	is_int(named, 94, "every number 0-93 named");
	is_int(unused, 4, "four numbers unused (11, 13, 17, 20)");
	ok(scylla_verb(SCYLLA_MUTATION)->flags & SCYLLA_VERB_ONE_WAY,
	   "MUTATION is one-way");
	ok(!(scylla_verb(SCYLLA_READ_DATA)->flags & SCYLLA_VERB_ONE_WAY),
	   "READ_DATA is answered");
	ok(scylla_verb(SCYLLA_PAXOS_LEARN)->flags & SCYLLA_VERB_ONE_WAY,
	   "PAXOS_LEARN is one-way (MUTATION_DONE answers it)");
	is_int(scylla_verb(SCYLLA_MUTATION_DONE)->conn_class,
	       SCYLLA_CLASS_STATEMENT_ACK, "MUTATION_DONE on statement-ack");
	is_int(scylla_cookie_class("gossip", 6), SCYLLA_CLASS_GOSSIP,
	       "cookie gossip");
	is_int(scylla_cookie_class("statement:default", 17),
	       SCYLLA_CLASS_STATEMENT, "cookie statement:default");
	is_int(scylla_cookie_class("statement-ack:$user", 19),
	       SCYLLA_CLASS_STATEMENT_ACK, "cookie statement-ack:$user");
	is_int(scylla_cookie_class("forward:sl1", 11), SCYLLA_CLASS_FORWARD,
	       "cookie forward:");
	is_int(scylla_cookie_class("sl1", 3), SCYLLA_CLASS_OTHER,
	       "an old node's bare service level");
	is_int(scylla_cookie_class("", 0), SCYLLA_CLASS_NONE, "no cookie");
}

/* A client's offer as doc/rpc.md draws it, by hand. */
static const uint8_t OFFER[] = {
	'S', 'S', 'T', 'A', 'R', 'R', 'P', 'C',
	0x1e, 0, 0, 0,			/* 30 bytes of records */
	1, 0, 0, 0, 0, 0, 0, 0,		/* TIMEOUT, no data */
	4, 0, 0, 0, 6, 0, 0, 0, 'g', 'o', 's', 's', 'i', 'p',
	5, 0, 0, 0, 0, 0, 0, 0,		/* HANDLER_DURATION */
};

static void test_negotiation(void)
{
	struct scylla_features f;
	const char *why = NULL;
	size_t flen;
	is_int(scylla_negotiation_length(OFFER, 5, &flen), SCYLLA_NEG_MORE,
	       "a prefix of the magic: more");
	is_int(scylla_negotiation_length((const uint8_t *)"SSTX", 4, &flen),
	       SCYLLA_NEG_NOT, "not the magic");
	is_int(scylla_negotiation_length(OFFER, sizeof OFFER, &flen),
	       SCYLLA_NEG_OK, "the magic and a length");
	is_int(flen, sizeof OFFER, "frame length 12 + len");
	is_int(scylla_negotiation_parse(OFFER, sizeof OFFER, &f, &why),
	       SCYLLA_NEG_OK, "the offer parses");
	is_int(f.records, 3, "three records");
	ok(f.mask == (SCYLLA_FEAT_BIT(SCYLLA_FEAT_TIMEOUT) |
		      SCYLLA_FEAT_BIT(SCYLLA_FEAT_ISOLATION) |
		      SCYLLA_FEAT_BIT(SCYLLA_FEAT_HANDLER_DURATION)),
	   "TIMEOUT, ISOLATION, HANDLER_DURATION");
	is_str(f.cookie, "gossip", "the cookie");

	/* a server's answer with CONNECTION_ID and a compressor */
	struct bbuf b = { 0 };
	neg_begin(&b);
	neg_feature(&b, FEAT_COMPRESS, "LZ4_FRAGMENTED", 14);
	neg_feature(&b, FEAT_TIMEOUT, NULL, 0);
	neg_feature_u64(&b, FEAT_CONNECTION_ID, 3u << 16 | 1);
	neg_feature(&b, 77, "x", 1);			/* unknown number */
	neg_feature(&b, FEAT_TIMEOUT, "dup", 3);	/* given twice */
	neg_end(&b, 0);
	is_int(scylla_negotiation_parse(b.p, b.len, &f, &why), SCYLLA_NEG_OK,
	       "the answer parses");
	is_int(f.unknown, 1, "an unknown feature counted");
	is_int(f.connection_id, 3u << 16 | 1, "CONNECTION_ID (id << 16 | shard)");
	is_str(f.compress, "LZ4_FRAGMENTED", "the chosen compressor");
	/* a record running past the frame */
	b.p[b.len - 4] = 9;
	b.p[b.len - 5] = 0;
	bb_put_le32_at(&b, b.len - 7, 200);
	is_int(scylla_negotiation_parse(b.p, b.len, &f, &why),
	       SCYLLA_NEG_MALFORMED, "record data past the frame: malformed");
	ok(why != NULL, "with a reason");
	bb_free(&b);

	/* layouts the connection state gives */
	struct scylla_conn c = { 0 };
	struct scylla_layout l;
	scylla_conn_layout(&c, true, &l);
	ok(!l.known, "nothing negotiated: unknown");
	scylla_negotiation_parse(OFFER, sizeof OFFER, &f, &why);
	scylla_conn_negotiated(&c, true, &f);
	scylla_conn_layout(&c, true, &l);
	ok(l.known && l.requests && l.timeout, "offer only: timeout assumed");
	scylla_conn_layout(&c, false, &l);
	ok(l.known && !l.requests && l.duration,
	   "offer only: handler duration assumed");
	is_int(scylla_conn_role(&c), SCYLLA_CLASS_GOSSIP, "role from cookie");
	/* an older server that ignored HANDLER_DURATION */
	struct bbuf a = { 0 };
	neg_begin(&a);
	neg_feature(&a, FEAT_TIMEOUT, NULL, 0);
	neg_feature_u64(&a, FEAT_CONNECTION_ID, 1u << 16);
	neg_feature(&a, FEAT_ISOLATION, "gossip", 6);
	neg_end(&a, 0);
	scylla_negotiation_parse(a.p, a.len, &f, &why);
	scylla_conn_negotiated(&c, false, &f);
	scylla_conn_layout(&c, false, &l);
	ok(!l.duration, "the answer rules: no handler duration");
	ok(!l.compression, "no COMPRESS answered: not compressed");
	bb_free(&a);
	/* a stream connection */
	struct scylla_conn s = { 0 };
	neg_begin(&a);
	neg_feature_u64(&a, FEAT_STREAM_PARENT, 1u << 16);
	neg_feature(&a, FEAT_ISOLATION, "streaming", 9);
	neg_feature(&a, FEAT_HANDLER_DURATION, NULL, 0);
	neg_end(&a, 0);
	scylla_negotiation_parse(a.p, a.len, &f, &why);
	is_int(f.stream_parent, 1u << 16, "STREAM_PARENT");
	scylla_conn_negotiated(&s, true, &f);
	scylla_conn_layout(&s, true, &l);
	ok(l.stream && !l.timeout, "a stream: stream frames, no timeout");
	scylla_conn_layout(&s, false, &l);
	ok(l.stream, "both ways");
	bb_free(&a);
}

static void test_headers(void)
{
	/* request, 28 bytes: timeout 2000, verb 1, msg_id 2, len 276 */
	static const uint8_t req28[] = {
		0xd0, 0x07, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0, 0, 0, 0, 0, 0, 0x14, 0x01, 0, 0 };
	struct scylla_layout l = { .known = true, .requests = true,
				   .timeout = true };
	struct scylla_header h;
	is_int(scylla_header_size(&l), 28, "request with timeout: 28 bytes");
	scylla_header_parse(&l, req28, &h);
	ok(h.kind == SCYLLA_FRAME_REQUEST && h.timeout_ms == 2000 &&
	   h.verb == 1 && h.msg_id == 2 && h.body_len == 276,
	   "request fields");
	ok(scylla_header_plausible(&h, NULL), "plausible");
	l.timeout = false;
	is_int(scylla_header_size(&l), 20, "without timeout: 20 bytes");
	scylla_header_parse(&l, req28 + 8, &h);
	ok(h.verb == 1 && h.msg_id == 2 && !h.has_timeout,
	   "the same request without the timeout");
	/* response with handler duration: msg_id -3 (exception), 16 bytes */
	static const uint8_t resp16[] = {
		0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0xff };
	struct scylla_layout r = { .known = true, .duration = true };
	is_int(scylla_header_size(&r), 16, "response with duration: 16");
	scylla_header_parse(&r, resp16, &h);
	ok(h.kind == SCYLLA_FRAME_EXCEPTION && h.msg_id == -3 &&
	   h.body_len == 16 && h.duration_us == SCYLLA_DURATION_NONE,
	   "an exception to request 3, duration not measured");
	r.duration = false;
	is_int(scylla_header_size(&r), 12, "without: 12");
	struct scylla_layout st = { .known = true, .stream = true };
	static const uint8_t eos[] = { 0xff, 0xff, 0xff, 0xff };
	scylla_header_parse(&st, eos, &h);
	is_int(h.kind, SCYLLA_FRAME_STREAM_EOS, "stream len 0xffffffff: EOS");
	struct scylla_header bad = { .kind = SCYLLA_FRAME_REQUEST, .verb = 5,
				     .msg_id = 0 };
	ok(!scylla_header_plausible(&bad, NULL), "msg id 0: implausible");
	bad.msg_id = 1;
	bad.verb = 100000;
	ok(!scylla_header_plausible(&bad, NULL), "verb 100000: implausible");
	bad.verb = 94;
	ok(scylla_header_plausible(&bad, NULL), "verb 94: a newer node's");
	bad.body_len = SCYLLA_MAX_FRAME + 1;
	ok(!scylla_header_plausible(&bad, NULL), "over 256 MiB: implausible");
}

static void test_lz4(void)
{
	/* LZ4: size u32 | block */
	char src[5000];
	for (unsigned i = 0; i < sizeof src; i++)
		src[i] = (char)("scylla rpc "[i % 11] + (i % 97 == 0));
	struct bbuf b = { 0 };
	bb_u32(&b, sizeof src);
	bb_reserve(&b, (size_t)LZ4_compressBound(sizeof src));
	int n = LZ4_compress_default(src, (char *)b.p + 4, sizeof src,
				     LZ4_compressBound(sizeof src));
	b.len += (size_t)n;
	uint8_t out[8192];
	struct scylla_decompressed d;
	ok(scylla_decompress(SCYLLA_COMP_LZ4, b.p, b.len, true, out,
			     sizeof out, &d) && d.len == sizeof src &&
		   !memcmp(out, src, sizeof src) && !d.elided,
	   "LZ4 block decompresses");
	ok(scylla_decompress(SCYLLA_COMP_LZ4, b.p, b.len, true, out, 100, &d) &&
		   d.len == 100 && d.elided && d.declared == sizeof src &&
		   !memcmp(out, src, 100),
	   "room 100: the first 100 bytes, the rest elided");
	ok(scylla_decompress(SCYLLA_COMP_LZ4, b.p, b.len / 2, false, out,
			     sizeof out, &d) || d.why,
	   "half the payload kept: what it gives, or why not");
	b.p[b.len - 3] ^= 0x55;
	b.p[b.len / 2] ^= 0xff;
	bool got = scylla_decompress(SCYLLA_COMP_LZ4, b.p, b.len, true, out,
				     sizeof out, &d);
	ok(!got ? d.malformed : memcmp(out, src, sizeof src) != 0 || 1,
	   "corrupt block: malformed (or different bytes), never a crash");
	/* the bomb: a tiny payload declaring 4 GiB */
	static const uint8_t bomb[] = { 0xff, 0xff, 0xff, 0xff, 0x1f, 'a',
					0x01, 0x00, 0xff, 0xff, 0xff, 0xff };
	got = scylla_decompress(SCYLLA_COMP_LZ4, bomb, sizeof bomb, true, out,
				sizeof out, &d);
	ok(d.declared == 0xffffffffu && d.len <= sizeof out,
	   "declared 4 GiB: at most the room produced");
	(void)got;
	static const uint8_t zero[] = { 0, 0, 0, 0, 0 };
	ok(!scylla_decompress(SCYLLA_COMP_LZ4, zero, sizeof zero, true, out,
			      sizeof out, &d) && d.malformed,
	   "declared size 0: malformed (Seastar refuses it)");
	ok(scylla_decompress(SCYLLA_COMP_LZ4, zero, 2, true, out, sizeof out,
			     &d) && d.noop,
	   "under 4 bytes: a no-op frame");
	bb_free(&b);

	/* LZ4_FRAGMENTED: 80 KiB in 32 KiB chunks of one stream */
	size_t big = 80 * 1024 + 17;
	char *text = malloc(big);
	uint32_t x = 7;
	for (size_t i = 0; i < big; i++) {
		x = x * 1103515245u + 12345u;
		text[i] = i % 300 < 150 ? (char)('a' + (x >> 16) % 20)
					: text[i - 150];
	}
	LZ4_stream_t *s = LZ4_createStream();
	size_t off = 0;
	unsigned chunks = 0;
	while (big - off > SCYLLA_LZ4_CHUNK) {
		size_t h = b.len;
		bb_u32(&b, 0);
		bb_reserve(&b, (size_t)LZ4_compressBound(SCYLLA_LZ4_CHUNK));
		int c = LZ4_compress_fast_continue(s, text + off,
						   (char *)b.p + b.len,
						   SCYLLA_LZ4_CHUNK,
						   LZ4_compressBound(
							   SCYLLA_LZ4_CHUNK),
						   1);
		b.len += (size_t)c;
		bb_put_le32_at(&b, h, (uint32_t)c);
		off += SCYLLA_LZ4_CHUNK;
		chunks++;
	}
	bb_u32(&b, SCYLLA_LZ4_LAST_CHUNK | (uint32_t)(big - off));
	bb_reserve(&b, (size_t)LZ4_compressBound((int)(big - off)));
	int c = LZ4_compress_fast_continue(s, text + off, (char *)b.p + b.len,
					   (int)(big - off),
					   LZ4_compressBound((int)(big - off)),
					   1);
	b.len += (size_t)c;
	chunks++;
	LZ4_freeStream(s);
	uint8_t *o = malloc(big + 100);
	ok(scylla_decompress(SCYLLA_COMP_LZ4_FRAGMENTED, b.p, b.len, true, o,
			     big + 100, &d) && d.len == big &&
		   !memcmp(o, text, big) && d.chunks == chunks,
	   "LZ4_FRAGMENTED: %u chunks back to 80 KiB", chunks);
	ok(scylla_decompress(SCYLLA_COMP_LZ4_FRAGMENTED, b.p, b.len, true, o,
			     40000, &d) && d.len == 40000 && d.elided &&
		   d.declared == big && !memcmp(o, text, 40000),
	   "room 40000: stops inside the second chunk, size still known");
	ok(scylla_decompress(SCYLLA_COMP_LZ4_FRAGMENTED, b.p, b.len - 100,
			     false, o, big + 100, &d) &&
		   d.len >= 2 * SCYLLA_LZ4_CHUNK && d.elided,
	   "the payload's tail not kept: the whole chunks before it");
	ok(!scylla_decompress(SCYLLA_COMP_LZ4_FRAGMENTED, b.p, b.len - 100,
			      true, o, big + 100, &d) && d.malformed,
	   "complete but short: malformed");
	bb_put_le32_at(&b, 0, 0x7ffffff0u);	/* first chunk past the end */
	ok(!scylla_decompress(SCYLLA_COMP_LZ4_FRAGMENTED, b.p, b.len, true, o,
			      big + 100, &d) && d.malformed,
	   "a chunk running past the frame: malformed");
	free(o);
	free(text);
	bb_free(&b);
	static const uint8_t v3[] = { 0x81, 1, 2, 3 };
	ok(!scylla_decompress(SCYLLA_COMP_SCYLLA_V3, v3, sizeof v3, true, out,
			      sizeof out, &d) && !d.malformed && d.why,
	   "SCYLLA_V3: not decoded, said why");
	struct scylla_v3_info vi;
	ok(scylla_v3_describe(v3, sizeof v3, &vi) && vi.algorithm == 1 &&
		   vi.control && !vi.checksum,
	   "SCYLLA_V3 byte: LZ4 with dictionary, a control header");
	is_int(scylla_compression_named("LZ4", 3), SCYLLA_COMP_LZ4, "LZ4");
	is_int(scylla_compression_named("ZSTD", 4), SCYLLA_COMP_UNKNOWN,
	       "an unknown name");
}

/* ---- the reader ---- */

struct seen {
	char lines[64][160];
	unsigned n;
};

static void record(void *ctx, const struct scylla_frame *f,
		   const struct frame_ref *last)
{
	struct seen *s = ctx;
	if (s->n >= 64)
		return;
	snprintf(s->lines[s->n++], sizeof s->lines[0],
		 "k=%u verb=%llu id=%lld len=%u to=%llu hd=%u kept=%zu "
		 "wire=%llu c=%u m=%d t=%d e=%d g=%d skip=%llu f=%llu",
		 f->kind, (unsigned long long)f->h.verb,
		 (long long)f->h.msg_id, f->h.body_len,
		 (unsigned long long)f->h.timeout_ms, f->h.duration_us,
		 f->kept, (unsigned long long)f->wire_len, f->compression,
		 f->malformed, f->truncated, f->elided, f->after_gap,
		 (unsigned long long)f->skipped,
		 (unsigned long long)f->first_frame);
}

/* One connection's bytes, both ways, in the order they would travel. */
struct convo {
	struct bbuf dir[2];	/* [1] client -> server, [0] back */
	size_t order[32][2];	/* (direction, end offset) pieces */
	unsigned pieces;
};

static void piece(struct convo *cv, int d)
{
	cv->order[cv->pieces][0] = (size_t)d;
	cv->order[cv->pieces][1] = cv->dir[d].len;
	cv->pieces++;
}

static void build_convo(struct convo *cv, const char *compress)
{
	memset(cv, 0, sizeof *cv);
	struct bbuf *c = &cv->dir[1], *s = &cv->dir[0];
	neg_begin(c);
	if (compress)
		neg_feature(c, FEAT_COMPRESS, compress, strlen(compress));
	neg_feature(c, FEAT_TIMEOUT, NULL, 0);
	neg_feature(c, FEAT_ISOLATION, "statement:default", 17);
	neg_feature(c, FEAT_HANDLER_DURATION, NULL, 0);
	neg_end(c, 0);
	piece(cv, 1);
	size_t st = s->len;
	neg_begin(s);
	if (compress)
		neg_feature(s, FEAT_COMPRESS, compress, strlen(compress));
	neg_feature(s, FEAT_TIMEOUT, NULL, 0);
	neg_feature_u64(s, FEAT_CONNECTION_ID, 1u << 16);
	neg_feature(s, FEAT_ISOLATION, "statement:default", 17);
	neg_feature(s, FEAT_HANDLER_DURATION, NULL, 0);
	neg_end(s, st);
	piece(cv, 0);
	/* request 1 (verb 3, 40 bytes), its response, then request 2 */
	struct bbuf body = { 0 }, fr = { 0 };
	for (unsigned i = 0; i < 40; i++)
		bb_u8(&body, (uint8_t)i);
	rpc_request_header(&fr, true, 5000, 3, 1, 40);
	bb_raw(&fr, body.p, body.len);
	if (compress) {	/* LZ4 */
		bb_u32(c, (uint32_t)(4 + LZ4_compressBound((int)fr.len)));
		size_t at = c->len - 4;
		bb_u32(c, (uint32_t)fr.len);
		bb_reserve(c, (size_t)LZ4_compressBound((int)fr.len));
		int n = LZ4_compress_default((const char *)fr.p,
					     (char *)c->p + c->len,
					     (int)fr.len,
					     LZ4_compressBound((int)fr.len));
		c->len += (size_t)n;
		bb_put_le32_at(c, at, (uint32_t)(c->len - at - 4));
	} else {
		bb_raw(c, fr.p, fr.len);
	}
	piece(cv, 1);
	fr.len = 0;
	rpc_response_header(&fr, true, 1, 7, 250);
	bb_raw(&fr, "abcdefg", 7);
	if (compress) {
		bb_u32(s, 0);
		size_t lp = s->len - 4;
		bb_u32(s, (uint32_t)fr.len);
		bb_reserve(s, (size_t)LZ4_compressBound((int)fr.len));
		int n = LZ4_compress_default((const char *)fr.p,
					     (char *)s->p + s->len,
					     (int)fr.len,
					     LZ4_compressBound((int)fr.len));
		s->len += (size_t)n;
		bb_put_le32_at(s, lp, (uint32_t)(s->len - lp - 4));
	} else {
		bb_raw(s, fr.p, fr.len);
	}
	piece(cv, 0);
	if (!compress) {
		rpc_request_header(c, true, 0, 6, 2, 3);
		bb_raw(c, "xyz", 3);
		rpc_request_header(c, true, 2000, 1, 3, 0);
		piece(cv, 1);
		/* request 2 answered by UNKNOWN_VERB (type, len, verb) */
		rpc_response_header(s, true, -2, 16, SCYLLA_DURATION_NONE);
		rpc_exception_unknown_verb(s, 6);
		piece(cv, 0);
	}
	bb_free(&body);
	bb_free(&fr);
}

/* Feeds the conversation with every piece cut into `step`-byte feeds. */
static void run_convo(const struct convo *cv, size_t step, size_t keep,
		      struct seen *out)
{
	struct scylla_conn conn = { 0 };
	struct scylla_reader rd[2] = { { 0 }, { 0 } };
	size_t done[2] = { 0, 0 };
	memset(out, 0, sizeof *out);
	uint64_t number = 1;
	for (unsigned p = 0; p < cv->pieces; p++) {
		int d = (int)cv->order[p][0];
		size_t end = cv->order[p][1];
		while (done[d] < end) {
			size_t n = end - done[d];
			if (step && n > step)
				n = step;
			struct frame_ref fr = { number++, 0 };
			scylla_reader_feed(&rd[d], &conn, d == 1, keep,
					   cv->dir[d].p + done[d], n, &fr,
					   record, out);
			done[d] += n;
		}
	}
	struct frame_ref fr = { number, 0 };
	scylla_reader_break(&rd[1], &conn, true, keep, &fr, false, 0, record,
			    out);
	scylla_reader_break(&rd[0], &conn, false, keep, &fr, false, 0, record,
			    out);
	scylla_reader_free(&rd[0]);
	scylla_reader_free(&rd[1]);
}

static void diag_fail(size_t step, const struct seen *s)
{
	printf("# fed %zu bytes at a time, %u frames:\n", step, s->n);
	for (unsigned i = 0; i < s->n; i++)
		printf("#   %s\n", s->lines[i]);
}

/* The frames' lines without the frame numbers (those depend on cuts). */
static void strip_frames(struct seen *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		char *f = strstr(s->lines[i], " f=");
		if (f)
			*f = 0;
	}
}

static void test_reader(void)
{
	struct convo cv;
	build_convo(&cv, NULL);
	struct seen whole, cut;
	run_convo(&cv, 0, 1 << 20, &whole);
	is_int(whole.n, 7, "2 negotiations, 3 requests, 2 responses");
	ok(strstr(whole.lines[2], "k=1 verb=3 id=1 len=40 to=5000") != NULL,
	   "request 1: %s", whole.lines[2]);
	ok(strstr(whole.lines[3], "k=2 verb=0 id=1 len=7 to=0 hd=250") != NULL,
	   "its response with the handler duration: %s", whole.lines[3]);
	ok(strstr(whole.lines[6], "k=3 verb=0 id=-2 len=16") != NULL,
	   "an exception to request 2: %s", whole.lines[6]);
	strip_frames(&whole);
	bool same = true;
	for (size_t step = 1; step <= 29; step++) {
		run_convo(&cv, step, 1 << 20, &cut);
		strip_frames(&cut);
		if (cut.n != whole.n)
			same = false;
		for (unsigned i = 0; same && i < cut.n; i++)
			if (strcmp(cut.lines[i], whole.lines[i]))
				same = false;
		if (!same) {
			diag_fail(step, &cut);
			break;
		}
	}
	ok(same, "the same frames fed 1..29 bytes at a time");
	run_convo(&cv, 0, 10, &cut);
	ok(strstr(cut.lines[2], "len=40") && strstr(cut.lines[2], "kept=10") &&
		   strstr(cut.lines[2], "e=1"),
	   "body over the keep limit: kept 10, elided: %s", cut.lines[2]);
	bb_free(&cv.dir[0]);
	bb_free(&cv.dir[1]);

	build_convo(&cv, "LZ4");
	run_convo(&cv, 0, 1 << 20, &whole);
	is_int(whole.n, 4, "compressed: 2 negotiations, request, response");
	ok(strstr(whole.lines[2], "k=1 verb=3 id=1 len=40 to=5000") &&
		   strstr(whole.lines[2], "c=1"),
	   "LZ4 request decompressed: %s", whole.lines[2]);
	ok(strstr(whole.lines[3], "k=2 verb=0 id=1 len=7") &&
		   strstr(whole.lines[3], "kept=7"),
	   "LZ4 response: %s", whole.lines[3]);
	strip_frames(&whole);
	same = true;
	for (size_t step = 1; step <= 9 && same; step++) {
		run_convo(&cv, step, 1 << 20, &cut);
		strip_frames(&cut);
		same = cut.n == whole.n;
		for (unsigned i = 0; same && i < cut.n; i++)
			same = !strcmp(cut.lines[i], whole.lines[i]);
	}
	ok(same, "compressed frames fed 1..9 bytes at a time");
	bb_free(&cv.dir[0]);
	bb_free(&cv.dir[1]);
}

static void test_resync(void)
{
	/* a direction already running (no negotiation): 5 requests with the
	 * timeout; the reader guesses the layout, then a gap inside the
	 * third is followed by the rest of it and two more */
	struct bbuf b = { 0 };
	size_t ends[6];
	for (int i = 0; i < 5; i++) {
		rpc_request_header(&b, true, 2000, 1, 10 + i, 50);
		for (int k = 0; k < 50; k++)
			bb_u8(&b, (uint8_t)(k * 3 + i));
		ends[i] = b.len;
	}
	struct scylla_conn conn = { 0 };
	struct scylla_reader rd = { 0 };
	struct seen s = { .n = 0 };
	struct frame_ref f1 = { 1, 0 }, f2 = { 2, 0 }, f3 = { 3, 0 };
	scylla_reader_feed(&rd, &conn, true, 1 << 20, b.p, ends[1] + 30, &f1,
			   record, &s);
	is_int(s.n, 2, "mid-connection: the layout guessed, 2 frames");
	ok(s.n >= 1 && strstr(s.lines[0], "verb=1 id=10 len=50 to=2000"),
	   "first: %s", s.n ? s.lines[0] : "");
	/* 40 bytes lost, the count unknown: the cut request is handed over
	 * truncated, the next found by its header */
	scylla_reader_break(&rd, &conn, true, 1 << 20, &f2, true, 0, record,
			    &s);
	scylla_reader_feed(&rd, &conn, true, 1 << 20, b.p + ends[1] + 70,
			   b.len - ends[1] - 70, &f3, record, &s);
	is_int(s.n, 5, "after the gap: the cut request, then the last two");
	ok(s.n >= 3 && strstr(s.lines[2], "id=12") && strstr(s.lines[2], "t=1"),
	   "the cut one truncated: %s", s.n >= 3 ? s.lines[2] : "");
	ok(s.n >= 4 && strstr(s.lines[3], "id=13") && strstr(s.lines[3], "g=1"),
	   "found again, marked after the gap: %s", s.n >= 4 ? s.lines[3] : "");
	ok(s.n >= 4 && strstr(s.lines[3], "skip=8"),
	   "the rest of the cut request skipped (8 bytes)");
	scylla_reader_free(&rd);

	/* the same with the count known: the framing holds */
	struct scylla_reader rk = { 0 };
	struct scylla_conn ck = { 0 };
	struct seen sk = { .n = 0 };
	scylla_reader_feed(&rk, &ck, true, 1 << 20, b.p, ends[1] + 30, &f1,
			   record, &sk);
	scylla_reader_break(&rk, &ck, true, 1 << 20, &f2, true, 40, record,
			    &sk);
	scylla_reader_feed(&rk, &ck, true, 1 << 20, b.p + ends[1] + 70,
			   b.len - ends[1] - 70, &f3, record, &sk);
	is_int(sk.n, 5, "a 40-byte hole inside a body: every frame");
	ok(sk.n >= 4 && strstr(sk.lines[2], "id=12") &&
		   strstr(sk.lines[2], "t=1") && strstr(sk.lines[2], "g=1") &&
		   strstr(sk.lines[3], "id=13") &&
		   strstr(sk.lines[3], "skip=0") &&
		   strstr(sk.lines[3], "g=0"),
	   "the one with the hole truncated, the next read as usual");
	scylla_reader_free(&rk);
	scylla_reader_free(&rd);

	/* hostile: random bytes never make frames out of nothing */
	struct scylla_reader r2 = { 0 };
	struct scylla_conn c2 = { 0 };
	struct seen s2 = { .n = 0 };
	uint8_t junk[20000];
	uint32_t x = 99;
	for (size_t i = 0; i < sizeof junk; i++) {
		x = x * 1664525u + 1013904223u;
		junk[i] = (uint8_t)(x >> 24);
	}
	scylla_reader_feed(&r2, &c2, true, 1 << 20, junk, sizeof junk, &f1,
			   record, &s2);
	is_int(s2.n, 0, "20000 random bytes: no frame");
	ok(r2.hunt == NULL || r2.hunt_len <= SCYLLA_HUNT_WINDOW,
	   "the search window stays bounded");
	scylla_reader_free(&r2);
	bb_free(&b);
}

static void test_budget(void)
{
	/* a shared budget of 10000 bytes: a 50000-byte body is counted,
	 * not kept past what the budget allows */
	struct bbuf b = { 0 };
	rpc_request_header(&b, true, 0, 1, 1, 50000);
	for (int i = 0; i < 50000; i++)
		bb_u8(&b, (uint8_t)i);
	struct memory_budget budget;
	budget_init(&budget, 10000, NULL);
	struct scylla_reader rd = { .budget = &budget };
	struct scylla_conn conn = { 0 };
	struct seen s = { .n = 0 };
	struct frame_ref f = { 1, 0 };
	struct scylla_layout l = { .known = true, .guessed = true,
				   .requests = true, .timeout = true };
	rd.guess = l;
	rd.state = SCYLLA_HEADER;
	/* in two pieces: the body is copied, within the budget (a body
	 * that comes whole in one piece is read in place) */
	scylla_reader_feed(&rd, &conn, true, 1 << 20, b.p, 1000, &f, record,
			   &s);
	scylla_reader_feed(&rd, &conn, true, 1 << 20, b.p + 1000,
			   b.len - 1000, &f, record, &s);
	is_int(s.n, 1, "one frame");
	ok(s.n && strstr(s.lines[0], "e=1") && strstr(s.lines[0], "len=50000"),
	   "elided under the budget: %s", s.n ? s.lines[0] : "");
	ok(budget.peak <= 10000, "the budget held (peak %zu)", budget.peak);
	is_int(budget.used, 0, "the budget given back after the frame");
	scylla_reader_free(&rd);
	bb_free(&b);
}

/* The verbs no generated capture carries (a hint replayed, a replica's
 * failed write, a read of mutations for repair): their bodies as the
 * IDL gives them, decoded with nothing left over and nothing wrong. */
static struct message *decode_body(struct message *m, bool request,
				   uint64_t verb, const struct bbuf *b)
{
	msg_reset(m);
	scylla_decode_body(m, request ? SCYLLA_BODY_REQUEST :
			   SCYLLA_BODY_RESPONSE, true, verb, b->p, b->len,
			   b->len);
	return m;
}

static uint64_t field_u(const struct message *m, const struct field_def *d)
{
	const struct field *f = msg_find(m, d);
	return f ? f->v.u : UINT64_MAX;
}

static void test_rare_bodies(void)
{
	static const uint8_t pk[4] = { 0, 0, 0, 7 };
	const struct uuid table = { 0x7a1c0e308f4211efull,
				    0xb5c60a1b2c3d4e5full };
	const struct uuid schema = { 0x3b2c6d1e5f7a3c8dull,
				     0x9e0f1a2b3c4d5e6full };
	struct message *m = malloc(sizeof *m);
	struct bbuf b = { 0 };

	/* HINT_MUTATION (42): MUTATION's arguments without the rate limit */
	struct mutation_spec ms = { table, schema, pk, 4, true, 1,
				    1700000000000000, "hinted" };
	idl_frozen_mutation(&b, &ms);
	bb_u32(&b, 0);			/* forward: none */
	idl_inet4(&b, 0x7f000001u);	/* reply_to */
	bb_u32(&b, 3);			/* shard */
	bb_u64(&b, 77);			/* response_id */
	idl_absent(&b);			/* trace_info */
	idl_fencing_token(&b, 9);
	decode_body(m, true, SCYLLA_HINT_MUTATION, &b);
	is_int(m->verdict, 0, "HINT_MUTATION: decoded, no verdict");
	const struct field *k = msg_find(m, &hf_scylla_mut_pkey);
	ok(k && k->len == 4 && !memcmp(field_bytes(m, k), pk, 4),
	   "  its partition key");
	ok(msg_find(m, &hf_scylla_mut_table_id), "  its table");
	is_int(field_u(m, &hf_scylla_shard), 3, "  shard");
	is_int(field_u(m, &hf_scylla_response_id), 77, "  response id");
	is_int(field_u(m, &hf_scylla_fence), 9, "  fencing token");
	ok(!msg_find(m, &hf_scylla_rate_limit), "  no rate limit read");
	bb_free(&b);

	/* MUTATION_FAILED (24): shard, response id, failed count, backlog,
	 * the replica's exception */
	bb_u32(&b, 1);
	bb_u64(&b, 78);
	bb_u64(&b, 2);			/* num_failed */
	size_t f = idl_begin(&b);
	bb_u64(&b, 5);			/* backlog current */
	bb_u64(&b, 100);		/* max */
	idl_end(&b, f);
	f = idl_begin(&b);
	bb_u8(&b, 3);			/* stale_topology_exception */
	size_t e = idl_begin(&b);
	idl_end(&b, e);
	idl_end(&b, f);
	decode_body(m, true, SCYLLA_MUTATION_FAILED, &b);
	is_int(m->verdict, 0, "MUTATION_FAILED: decoded, no verdict");
	is_int(field_u(m, &hf_scylla_response_id), 78, "  response id");
	is_int(field_u(m, &hf_scylla_num_failed), 2, "  two replicas failed");
	is_int(field_u(m, &hf_scylla_backlog_max), 100, "  backlog");
	is_int(field_u(m, &hf_scylla_replica_exception), 3,
	       "  stale_topology_exception");
	/* cut after the count: the newer members absent, as an older node
	 * sends; cut inside the backlog: malformed */
	struct bbuf cut = { b.p, 20, 20 };
	decode_body(m, true, SCYLLA_MUTATION_FAILED, &cut);
	ok(!m->verdict && !msg_find(m, &hf_scylla_backlog_max),
	   "  an older node's (no backlog): no verdict");
	cut.len = 26;
	decode_body(m, true, SCYLLA_MUTATION_FAILED, &cut);
	ok(m->verdict & MSG_MALFORMED, "  cut inside the backlog: malformed");
	bb_free(&b);

	/* READ_MUTATION_DATA (4): the read command, the range, the fencing
	 * token; its answer a reconcilable_result (skipped whole), then
	 * what READ_DATA's has */
	struct read_spec rs = { table, schema, { 1, 2 }, 1, 0x103, 10,
				1700000000, pk, 4, -42 };
	idl_read_command(&b, &rs);
	idl_partition_range(&b, rs.token, pk, 4);
	idl_fencing_token(&b, 4);
	decode_body(m, true, SCYLLA_READ_MUTATION_DATA, &b);
	is_int(m->verdict, 0, "READ_MUTATION_DATA: decoded, no verdict");
	ok(msg_find(m, &hf_scylla_read_table_id), "  its table");
	const struct field *t = msg_find(m, &hf_scylla_read_token);
	ok(t && t->v.i == -42, "  its token");
	is_int(field_u(m, &hf_scylla_read_row_limit), 10, "  row limit");
	is_int(field_u(m, &hf_scylla_fence), 4, "  fencing token");
	ok(!msg_find(m, &hf_scylla_read_digest_algorithm),
	   "  no digest algorithm (READ_DATA's only)");
	bb_free(&b);
	f = idl_begin(&b);		/* reconcilable_result */
	bb_u32(&b, 0);
	idl_end(&b, f);
	bb_u8(&b, 200);			/* cache temperature */
	idl_no_exception(&b);
	decode_body(m, false, SCYLLA_READ_MUTATION_DATA, &b);
	is_int(m->verdict, 0, "  its response: no verdict");
	is_int(field_u(m, &hf_scylla_cache_temperature), 200,
	       "  cache temperature after the skipped result");
	is_int(field_u(m, &hf_scylla_replica_exception), 1, "  no_exception");
	bb_free(&b);
	free(m);
}

int main(void)
{
	test_verbs();
	test_negotiation();
	test_headers();
	test_lz4();
	test_reader();
	test_resync();
	test_budget();
	test_rare_bodies();
	return tap_done();
}
