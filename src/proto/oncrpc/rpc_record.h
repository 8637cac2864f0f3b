/* rpc_record.h - ONC-RPC record marking over TCP (RFC 5531 section 11):
 * each record is one or more fragments, each behind a 4-byte mark
 * (bit 31: last fragment; bits 0-30: fragment length).
 *
 * The reader is the record layer without the stream plumbing, so tests
 * and the fuzz harness drive it directly; rpc_stream_proto wraps it.
 */
#ifndef TAPLINE_RPC_RECORD_H
#define TAPLINE_RPC_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/budget.h"
#include "rpc.h"
#include "wire/stream.h"

/* Records beyond this are not RPC (the largest seen, directory listings
 * and volfiles, are a few MiB): the mark is taken as a lost frame. */
#define RPC_MAX_RECORD (256u << 20)
/* Bytes kept of a record when the decoder gives no max_record. */
#define RPC_DEFAULT_KEEP (1u << 20)
/* Bytes looked at while hunting for the next record after bad framing. */
#define RPC_HUNT_WINDOW 512

/* A finished record: rec[0..kept) is its head (all of it unless
 * info->elided or info->truncated). */
typedef void (*rpc_record_fn)(void *ctx, const uint8_t *rec, size_t kept,
			      const struct rpc_record_info *info,
			      uint64_t first_frame, bool after_gap);

struct rpc_reader {
	uint8_t mark[4];
	unsigned mark_have;	/* bytes of a mark read so far */
	bool in_frag;		/* inside a fragment's bytes */
	bool last;		/* that fragment ends the record */
	bool in_record;
	uint32_t frag_left;
	uint64_t rec_len;	/* record bytes so far, marks excluded */
	uint64_t first_frame;
	bool elided, after_gap;
	uint8_t *buf;		/* the record's head */
	size_t buf_len, buf_cap;
	/* after a mark that cannot be right: look for the next record */
	bool hunting;
	uint8_t *hunt;		/* RPC_HUNT_WINDOW bytes, allocated on the
				 * first hunt: most connections never hunt,
				 * and thousands are tracked at once */
	size_t hunt_len;
	uint64_t skipped;	/* bytes passed over while hunting */
	/* Optional shared bound on the record heads and hunt windows of
	 * every reader: what they allocate is charged to it (the rest of a
	 * record is then counted, not stored: elided).  NULL: no bound but
	 * max_keep. */
	struct memory_budget *budget;
	size_t keep;		/* rpc_stream_proto's max_keep, from the
				 * decoder at the first bytes */
};

/* Bytes of one direction, in order.  max_keep bounds the head kept. */
void rpc_reader_feed(struct rpc_reader *r, uint8_t direction,
		     size_t max_keep, const uint8_t *data, size_t len,
		     const struct frame_ref *frame, rpc_record_fn fn,
		     void *ctx);

/* Bytes are lost (gap) or the direction ends (close): a record begun is
 * handed over as truncated; after a gap the next record is marked. */
void rpc_reader_break(struct rpc_reader *r, uint8_t direction,
		      const struct frame_ref *frame, bool gap,
		      rpc_record_fn fn, void *ctx);

void rpc_reader_free(struct rpc_reader *r);

/* ONC-RPC's stream protocol (its registry entry's .stream). */
extern const struct stream_proto rpc_stream_proto;

/* The detect() of rpc_stream_proto: a plausible record mark followed by
 * a call to a known program or a successful reply. */
enum detect_verdict rpc_record_detect(const uint8_t *data, size_t len,
				      bool at_start);

#endif
