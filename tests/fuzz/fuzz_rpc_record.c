/* fuzz_rpc_record.c - libFuzzer harness: bytes of an RPC-over-TCP stream
 * -> record marking -> ONC-RPC -> GlusterFS decoders.
 *
 * The same bytes are fed as both directions of one connection (sharing
 * the XID table), so every reply in the input meets the calls in it, in
 * pieces whose sizes and the record head kept come from the first byte:
 * partial marks, elided records, matching and the body decoders all get
 * exercised.  Runs without libFuzzer through tests/fuzz/replay.c.
 *
 * Corpus entries, tests/fuzz/corpus/rpc_record/CAPTURE-sS-dD-kKK: the knob byte KK
 * then direction D of TCP stream S of a lab capture, as
 * `tshark -r CAPTURE -q -z follow,tcp,raw,S` prints it (first 64 KiB).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/message.h"
#include "proto/oncrpc/rpc.h"
#include "proto/oncrpc/rpc_record.h"
#include "proto/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct message msg;

struct ctx {
	struct rpc_conn *conn;
	unsigned records;
};

static void on_record(void *vctx, const uint8_t *rec, size_t kept,
		      const struct rpc_record_info *info, uint64_t first_frame,
		      bool after_gap)
{
	struct ctx *ctx = vctx;
	msg_reset(&msg);
	msg.frame = info->frame;	/* as the decoder's stream layer does */
	msg.first_frame = first_frame;
	rpc_decode(ctx->conn, &msg, rec, kept, info);
	if (after_gap)
		msg_mark(&msg, MSG_AFTER_GAP, NULL);
	/* Touch what a renderer reads, so ASan sees any bad field. */
	for (unsigned i = 0; i < msg.nfields; i++) {
		const struct field *f = &msg.fields[i];
		if (f->len && f->kind != FIELD_TREE_END) {
			const uint8_t *p = field_bytes(&msg, f);
			volatile uint8_t sink = p[0] ^ p[f->len - 1];
			(void)sink;
		}
	}
	if (msg.info_len >= sizeof msg.info)
		abort();
	/* every field defined in a registered table, of its kind */
	char why[256];
	if (!registry_check_message(&msg, why, sizeof why))
		abort();
	ctx->records++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t knobs = data[0];
	data++;
	size--;
	/* piece size 1..64 or whole; keep 64 bytes..1 MiB */
	size_t piece = (knobs & 0x0f) ? (size_t)(knobs & 0x0f) * 4 - 3 : size;
	size_t keep = (knobs & 0x30) == 0x00 ? 64 :
		      (knobs & 0x30) == 0x10 ? 512 :
		      (knobs & 0x30) == 0x20 ? 4096 : RPC_DEFAULT_KEEP;
	bool gap = knobs & 0x40;

	/* One set for every input, under a small budget, so that long
	 * inputs make the oldest calls expire. */
	static struct memory_budget budget;
	static struct waiting_set *calls;
	if (!calls) {
		budget_init(&budget, 16u << 10, NULL);
		calls = waiting_set_new(&budget, NULL, NULL);
	}
	struct rpc_conn conn;
	rpc_conn_init(&conn, calls, 1);
	struct ctx ctx = { &conn, 0 };
	struct rpc_reader dir[2];
	memset(dir, 0, sizeof dir);
	for (int d = 0; d < 2; d++) {
		uint64_t frame_no = 1;
		for (size_t off = 0; off < size; off += piece) {
			size_t n = size - off < piece ? size - off : piece;
			struct frame_ref frame = { frame_no++,
						   (int64_t)off * 1000 };
			rpc_reader_feed(&dir[d], (uint8_t)d, keep, data + off, n,
					&frame, on_record, &ctx);
			if (gap && d == 1 && off == 0) {
				rpc_reader_break(&dir[d], (uint8_t)d, &frame,
						 true, on_record, &ctx);
			}
		}
		struct frame_ref end = { frame_no, (int64_t)size * 1000 };
		rpc_reader_break(&dir[d], (uint8_t)d, &end, false, on_record,
				 &ctx);
		rpc_reader_free(&dir[d]);
	}
	uint64_t waiting = rpc_conn_unanswered(&conn);
	if (rpc_conn_free(&conn) != waiting || waiting_set_count(calls) ||
	    budget.used > budget.limit)
		abort();
	return 0;
}
