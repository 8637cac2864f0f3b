/* fuzz_scylla.c - libFuzzer harness: the two directions of one ScyllaDB
 * inter-node RPC connection -> negotiation, framing, LZ4 and
 * LZ4_FRAGMENTED decompression (src/proto/scylla/).
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

#include "base/budget.h"
#include "proto/scylla/compress.h"
#include "proto/scylla/framing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	unsigned frames;
	uint64_t bytes;
};

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
	ctx->frames++;
	ctx->bytes += f->kept;
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
	size_t keep = (knobs & 0x30) == 0x00 ? 16 :
		      (knobs & 0x30) == 0x10 ? 300 :
		      (knobs & 0x30) == 0x20 ? 4096 : 1u << 20;
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
	struct ctx ctx = { 0, 0 };
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
