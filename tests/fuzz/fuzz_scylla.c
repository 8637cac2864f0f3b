/* fuzz_scylla.c - libFuzzer harness: the two directions of one ScyllaDB
 * inter-node RPC connection -> negotiation, framing, LZ4 and
 * LZ4_FRAGMENTED decompression, every verb's body reader, and the same
 * two directions as TCP segments through the decoder with the Scylla
 * stream protocol (requests matched to responses, the exchange, the
 * shared memory bound) (src/proto/scylla/).
 *
 * Input: a knob byte, the client direction's length (u16 little-endian),
 * the client's bytes, then the server's.  The directions are fed in
 * turns, in pieces whose size, the body kept, and a gap (its size known
 * or not) come from the knob byte, so negotiations meet the frames they
 * govern, headers are cut everywhere and hunting runs.  The payload is
 * also handed to both decompressors as it is.  Runs without libFuzzer
 * through tests/fuzz/replay.c.
 *
 * Corpus, tests/fuzz/corpus/scylla/CAPTURE-sS-kKK: knob KK, then TCP
 * stream S of a capture in tests/captures/scylla/, as
 * `tshark -q -z follow,tcp,raw,S` prints its two directions (first
 * 16 KiB each), made by tests/fuzz/make-scylla-corpus.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lab/scylla/scylla_build.h"
#include "base/budget.h"
#include "base/message.h"
#include "proto/registry.h"
#include "proto/scylla/bodies.h"
#include "proto/scylla/compress.h"
#include "proto/scylla/framing.h"
#include "wire/capture.h"
#include "wire/decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	unsigned frames;
	uint64_t bytes;
	unsigned first_verb;	/* from the knob byte */
};

static struct message msg;

/* Whether every field of m has a definition registered, of its kind
 * (registry_check_message), remembering the definitions and kinds
 * already found so: they are static, and the same few hundred come in
 * every input (looking each up again was a tenth of the time). */
static bool fields_registered(const struct message *m)
{
	static struct { const struct field_def *def; unsigned kind; } seen[4096];
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		size_t h = ((uintptr_t)f->def >> 4 ^ f->kind) % 4096;
		if (seen[h].def == f->def && seen[h].kind == f->kind)
			continue;
		static struct message one;	/* big: not on the stack */
		char why[256];
		one.nfields = 1;
		one.fields[0] = *f;
		if (!registry_check_message(&one, why, sizeof why))
			return false;
		seen[h].def = f->def;
		seen[h].kind = f->kind;
	}
	return true;
}

/* Every stored field's bytes touched, as a renderer would read them;
 * every field defined in a registered table, of its kind. */
static void touch(const struct message *m)
{
	if (!fields_registered(m))
		abort();
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		if (f->len && f->kind != FIELD_TREE_END) {
			const uint8_t *p = field_bytes(m, f);
			volatile uint8_t sink = p[0] ^ p[f->len - 1];
			(void)sink;
		}
	}
	if (m->depth)
		abort();	/* every subtree closed */
}

/* The data as a verb whose data tapline reads, both ways: the verbs
 * taken in turn, frame after frame, from where the input's knob byte
 * says.  (Every verb on every frame made an input cost twice as much;
 * the mutations reach every verb anyway.) */
static void bodies(const struct scylla_frame *f, unsigned turn)
{
	static const uint8_t requests[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					    24, 25, 39, 40, 41, 42, 43, 44 };
	static const uint8_t responses[] = { 3, 4, 5, 9, 25, 39, 40, 44 };
	msg_reset(&msg);
	scylla_decode_body(&msg, SCYLLA_BODY_REQUEST, true,
			   requests[turn % sizeof requests], f->body, f->kept,
			   f->h.body_len);
	touch(&msg);
	msg_reset(&msg);
	scylla_decode_body(&msg, SCYLLA_BODY_RESPONSE, true,
			   responses[turn % sizeof responses], f->body, f->kept,
			   f->h.body_len);
	touch(&msg);
	msg_reset(&msg);
	scylla_decode_body(&msg, SCYLLA_BODY_STREAM, false, 0, f->body,
			   f->kept, f->h.body_len);
	touch(&msg);
	msg_reset(&msg);
	scylla_decode_exception(&msg, f->body, f->kept, f->h.body_len);
	touch(&msg);
}

static void on_frame(void *vctx, const struct scylla_frame *f,
		     const struct frame_ref *last)
{
	struct ctx *ctx = vctx;
	/* touch what a decoder reads, so ASan sees a bad pointer */
	if (f->kept) {
		volatile uint8_t sink = f->body[0] ^ f->body[f->kept - 1];
		(void)sink;
	}
	if (f->kind == SCYLLA_FRAME_NEGOTIATION && f->features &&
	    !f->malformed && !f->truncated) {
		volatile size_t n = strlen(f->features->cookie) +
				    strlen(f->features->compress);
		(void)n;
	}
	if (f->first_frame > last->number)
		abort();	/* a frame cannot begin after it ended */
	if (f->kind != SCYLLA_FRAME_NEGOTIATION)
		bodies(f, ctx->first_verb + ctx->frames);
	ctx->frames++;
	ctx->bytes += f->kept;
}

/* ---- the decoder pass: IPv4 TCP segments (DLT_IPV4), a handshake
 * first, so the client is known */

#define CLIENT_PORT 40000
#define SERVER_PORT 7000

struct tcp_side {
	uint32_t seq;
};

static void on_message(void *user, const struct message *m)
{
	(void)user;
	touch(m);
	const struct exchange *ex = &m->exchange;
	/* a response's request came before it */
	if (ex->kind == EXCHANGE_RESPONSE && ex->request_frame >= m->frame)
		abort();
	if (m->info_len > sizeof m->info || m->first_frame > m->frame)
		abort();
}

/* One segment from the client (client true) or the server. */
static void segment(struct decoder *d, uint64_t *number, bool client,
		    struct tcp_side side[2], uint8_t flags,
		    const uint8_t *payload, size_t len)
{
	static uint8_t pkt[40 + 65535];
	if (len > sizeof pkt - 40)
		len = sizeof pkt - 40;
	struct tcp_side *me = &side[client], *peer = &side[!client];
	memset(pkt, 0, 40);
	pkt[0] = 0x45;
	put_be16(pkt + 2, (uint16_t)(40 + len));
	pkt[8] = 64;
	pkt[9] = 6;
	uint8_t a[4] = { 127, 0, 0, 1 }, b[4] = { 127, 0, 0, 2 };
	memcpy(pkt + 12, client ? a : b, 4);
	memcpy(pkt + 16, client ? b : a, 4);
	put_be16(pkt + 20, client ? CLIENT_PORT : SERVER_PORT);
	put_be16(pkt + 22, client ? SERVER_PORT : CLIENT_PORT);
	put_be32(pkt + 24, me->seq);
	put_be32(pkt + 28, peer->seq);
	pkt[32] = 5 << 4;
	pkt[33] = flags;
	put_be16(pkt + 34, 65535);
	if (len)
		memcpy(pkt + 40, payload, len);
	me->seq += (uint32_t)len + ((flags & 0x03) ? 1 : 0);	/* SYN, FIN */
	struct capture_frame f = {
		.number = ++*number, .ts_ns = (int64_t)*number * 1000,
		.linktype = 228, .data = pkt, .caplen = (uint32_t)(40 + len),
		.wirelen = (uint32_t)(40 + len),
	};
	decoder_frame(d, &f);
}

/* A decoder for each body limit (keeps[]) and decoding depth, made once
 * and reset after each input: making one costs more than most inputs. */
static const size_t keeps[] = { 16, 300, 4096, 1u << 20 };

static struct decoder *pass_decoder(size_t keep_index, bool header_only)
{
	static struct decoder *made[4][2];
	static const struct stream_proto *protos[1];
	struct decoder **d = &made[keep_index][header_only];
	if (*d)
		return *d;
	if (!protos[0])
		protos[0] = protocol_find("scylla")->stream;
	struct decoder_options o;
	decoder_default_options(&o);
	o.max_record = keeps[keep_index];
	o.max_flow_buffer = 64 * 1024;
	o.max_total_buffer = 256 * 1024;
	o.header_only = header_only;
	o.no_summary = header_only;
	*d = decoder_new(&o, on_message, NULL);
	if (!*d)
		abort();
	decoder_set_protocols(*d, protos, 1);
	return *d;
}

/* The size of a direction's next segment in the decoder pass, after
 * `sent` of them: `piece` bytes for the first 16, then twice as many
 * every 16 more (up to 16 KiB), as a connection's segments grow.  The
 * start of a direction (negotiation, detection, the gap and the search
 * after it) is cut as finely as the knob says; the reader itself has
 * had the whole input in pieces of `piece` bytes in the pass before,
 * where a piece costs a call and not a packet through IP, TCP and
 * reassembly (1-byte pieces made one input of 16 KiB cost 40 ms here). */
static size_t pass_piece(size_t piece, unsigned sent)
{
	for (unsigned doubled = sent / 16; doubled && piece < 16384; doubled--)
		piece *= 2;
	return piece;
}

static void decoder_pass(const uint8_t *const dir[2], const size_t len[2],
			 size_t piece, size_t keep_index, bool gap,
			 uint64_t missing, bool header_only)
{
	struct decoder *d = pass_decoder(keep_index, header_only);
	struct tcp_side side[2] = { { 1000 }, { 5000 } };	/* [1] client */
	uint64_t number = 0;
	segment(d, &number, true, side, 0x02, NULL, 0);
	segment(d, &number, false, side, 0x12, NULL, 0);
	segment(d, &number, true, side, 0x10, NULL, 0);
	size_t off[2] = { 0, 0 };
	unsigned sent[2] = { 0, 0 };
	bool gapped = false;
	while (off[0] < len[0] || off[1] < len[1]) {
		for (int i = 1; i >= 0; i--) {
			if (off[i] >= len[i])
				continue;
			size_t p = pass_piece(piece, sent[i]++);
			size_t n = len[i] - off[i] < p ? len[i] - off[i] : p;
			segment(d, &number, i == 1, side, 0x18, dir[i] + off[i],
				n);
			off[i] += n;
			if (gap && i == 1 && !gapped) {
				/* bytes that never reach the capture */
				gapped = true;
				side[1].seq += missing ? (uint32_t)missing : 13;
			}
		}
	}
	segment(d, &number, true, side, 0x11, NULL, 0);
	segment(d, &number, false, side, 0x11, NULL, 0);
	decoder_finish(d);
	decoder_reset(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint8_t knobs = data[0];
	size_t split = (size_t)data[1] | (size_t)data[2] << 8;
	data += 3;
	size -= 3;
	if (split > size)
		split = size;
	const uint8_t *dir[2] = { data + split, data };	/* [1] client */
	size_t len[2] = { size - split, split };
	/* piece 1..61 bytes or whole; keep 16 bytes .. 1 MiB; a gap in the
	 * client direction after its first piece, its size known or not */
	size_t piece = (knobs & 0x0f) ? (size_t)(knobs & 0x0f) * 4 - 3
				       : size + 1;
	size_t keep_index = (knobs & 0x30) >> 4, keep = keeps[keep_index];
	bool gap = knobs & 0x40;
	uint64_t missing = (knobs & 0x80) ? 7 : 0;

	struct memory_budget budget;
	budget_init(&budget, 2u << 20, NULL);
	struct scylla_conn conn;
	memset(&conn, 0, sizeof conn);
	struct scylla_reader rd[2];
	memset(rd, 0, sizeof rd);
	for (int d = 0; d < 2; d++)
		rd[d].budget = &budget;
	struct ctx ctx = { 0, 0, knobs };
	size_t off[2] = { 0, 0 };
	uint64_t frame_no = 1;
	bool gapped = false;
	while (off[0] < len[0] || off[1] < len[1]) {
		for (int d = 1; d >= 0; d--) {
			if (off[d] >= len[d])
				continue;
			size_t n = len[d] - off[d] < piece ? len[d] - off[d]
							  : piece;
			struct frame_ref fr = { frame_no++, 0 };
			scylla_reader_feed(&rd[d], &conn, d == 1, keep,
					   dir[d] + off[d], n, &fr, on_frame,
					   &ctx);
			off[d] += n;
			if (gap && d == 1 && !gapped) {
				gapped = true;
				scylla_reader_break(&rd[d], &conn, true, keep, &fr,
						    true, missing, on_frame,
						    &ctx);
			}
		}
	}
	struct frame_ref end = { frame_no, 0 };
	for (int d = 1; d >= 0; d--) {
		scylla_reader_break(&rd[d], &conn, d == 1, keep, &end, false, 0,
				    on_frame, &ctx);
		scylla_reader_free(&rd[d]);
	}
	if (budget.used || budget.peak > budget.limit)
		abort();	/* within the bound, every buffer given back */

	decoder_pass(dir, len, piece, keep_index, gap, missing, knobs & 1);

	/* the bytes as a compressed payload, both ways of reading it */
	static uint8_t out[1u << 16];
	struct scylla_decompressed r;
	scylla_decompress(SCYLLA_COMP_LZ4, data, size, true, out, sizeof out,
			  &r);
	if (r.len > sizeof out)
		abort();
	scylla_decompress(SCYLLA_COMP_LZ4_FRAGMENTED, data, size, !(knobs & 1),
			  out, sizeof out, &r);
	if (r.len > sizeof out)
		abort();
	return 0;
}
