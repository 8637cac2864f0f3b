/* framing.h - Seastar RPC frames over one direction of a TCP connection
 * (docs/scylla.md, "Frames after negotiation"):
 *
 *	request   [timeout u64] verb u64 | msg_id i64 | len u32 | data
 *	response  msg_id i64 | len u32 | [handler_duration u32] | data
 *	          (msg_id < 0: an exception answering -msg_id)
 *	stream    len u32 | data            (len 0xffffffff: end of stream)
 *	compressed  len u32 | payload -> one of the above
 *
 * The reader turns a direction's bytes, in pieces as they come, into
 * whole frames: it keeps a header cut across segments, bounds the body
 * it keeps, decompresses, and after a gap (or at the start of a capture
 * that began mid-connection) finds the next header by a run of plausible
 * ones.  It knows nothing of messages: the protocol glue (scylla.c) turns
 * frames into them, the unit tests and the fuzz harness drive it alone.
 */
#ifndef TAPLINE_SCYLLA_FRAMING_H
#define TAPLINE_SCYLLA_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "negotiation.h"
#include "wire/stream.h"

#define SCYLLA_REQUEST_HEADER 20
#define SCYLLA_TIMEOUT_BYTES 8
#define SCYLLA_RESPONSE_HEADER 12
#define SCYLLA_DURATION_BYTES 4
#define SCYLLA_STREAM_HEADER 4
#define SCYLLA_COMPRESSED_HEADER 4
#define SCYLLA_HEADER_MAX 28
#define SCYLLA_STREAM_EOS 0xffffffffu
#define SCYLLA_DURATION_NONE 0xffffffffu	/* "not measured" */

/* Bounds of what a peer would send: larger is taken for lost framing. */
#define SCYLLA_MAX_FRAME (256u << 20)
#define SCYLLA_MAX_VERB 1023u		/* 94 today; room for newer nodes */
#define SCYLLA_MAX_MSG_ID (1ull << 48)	/* ids count up from 1 */
#define SCYLLA_MAX_TIMEOUT_MS 86400000u	/* a day */
/* Bytes looked at to find headers after a gap or mid-connection. */
#define SCYLLA_HUNT_WINDOW 4096
/* Offsets of the window a search left undecided and the next one looks
 * at again (more are looked at again from the first one left out). */
#define SCYLLA_HUNT_MORE 32

enum scylla_frame_kind {
	SCYLLA_FRAME_NEGOTIATION,
	SCYLLA_FRAME_REQUEST,
	SCYLLA_FRAME_RESPONSE,
	SCYLLA_FRAME_EXCEPTION,
	SCYLLA_FRAME_STREAM,
	SCYLLA_FRAME_STREAM_EOS,
	SCYLLA_FRAME_COMPRESSED,	/* compressed and not readable */
};

struct scylla_header {
	uint8_t kind;		/* enum scylla_frame_kind */
	uint8_t size;		/* header bytes */
	bool has_timeout, has_duration;
	uint32_t body_len;	/* data bytes after the header */
	uint64_t timeout_ms;
	uint64_t verb;
	int64_t msg_id;		/* as sent: negative on exceptions */
	uint32_t duration_us;	/* SCYLLA_DURATION_NONE: not measured */
};

/* Header bytes of a direction's frames (the compressed envelope's 4 when
 * compressed). */
size_t scylla_header_size(const struct scylla_layout *l);

/* The header at p (scylla_header_size(l) bytes; no compression). */
void scylla_header_parse(const struct scylla_layout *l, const uint8_t *p,
			 struct scylla_header *h);

/* The request id a response answers: msg_id, or -msg_id for an
 * exception, as unsigned (a header from the wire may hold INT64_MIN,
 * whose negation is no int64_t). */
static inline uint64_t scylla_answered_id(int64_t msg_id)
{
	return msg_id < 0 ? 0 - (uint64_t)msg_id : (uint64_t)msg_id;
}

/* Would a peer send this header?  (Bounds above.)  why: why not. */
bool scylla_header_plausible(const struct scylla_header *h,
			     const char **why);

/* How a search for frames at some offset ended. */
enum scylla_sync {
	SCYLLA_SYNC_NO = 0,	/* not frames: an implausible header */
	SCYLLA_SYNC_MORE,	/* plausible so far: more bytes would tell */
	SCYLLA_SYNC_YES,	/* two headers in a row, or one frame that
				 * fills exactly what was seen */
};

/* Reads plausible headers laid out as l from the start of p, frame after
 * frame: how many (*run), and whether that is frames (`want` headers in
 * a row, or one frame that fills exactly what was seen). */
enum scylla_sync scylla_header_run(const struct scylla_layout *l,
				   const uint8_t *p, size_t len,
				   unsigned want, unsigned *run);

/* Guesses an uncompressed direction's layout from its first bytes:
 * requests with or without the timeout, responses with or without the
 * handler duration (the longest convincing run wins).  *requests or
 * *duration true on entry: only requests / only responses are tried.
 * strict: two headers in a row, never one frame alone (for telling an
 * unknown connection's protocol, where a lone frame proves little). */
enum scylla_sync scylla_guess_layout(const uint8_t *p, size_t len,
				     bool strict, bool *requests,
				     bool *timeout, bool *duration);

/* A finished frame, as the reader hands it over. */
struct scylla_frame {
	uint8_t kind;			/* enum scylla_frame_kind */
	struct scylla_header h;
	const struct scylla_features *features;	/* NEGOTIATION */
	const uint8_t *body;		/* data kept (decompressed) */
	size_t kept;
	uint64_t wire_len;		/* bytes on the wire, header included */
	uint8_t compression;		/* enum scylla_compression in force */
	uint64_t decompressed_len;	/* compressed: the inner frame's size */
	bool truncated;			/* the direction ended inside it */
	bool elided;			/* more data than kept */
	bool malformed;
	const char *why;		/* malformed, or why not decoded */
	bool not_decoded;		/* compressed beyond reading */
	bool after_gap;
	bool guessed;			/* layout from headers, not negotiation */
	uint64_t first_frame;		/* capture frame where it began */
	uint64_t skipped;		/* bytes passed over just before it */
};

typedef void (*scylla_frame_fn)(void *ctx, const struct scylla_frame *f,
				const struct frame_ref *last);

enum scylla_reader_state {
	SCYLLA_START = 0,	/* nothing read yet */
	SCYLLA_NEGOTIATION,	/* inside the negotiation frame */
	SCYLLA_HEADER,		/* reading a frame's header */
	SCYLLA_BODY,		/* reading its body */
	SCYLLA_HUNT,		/* looking for a header (gap, no negotiation) */
	SCYLLA_LOST,		/* gave up on this direction */
};

struct scylla_reader {
	uint8_t state;
	bool compressed;	/* this frame is a compressed envelope */
	bool after_gap;
	uint8_t have;		/* header bytes read so far */
	uint8_t need;
	uint8_t head[SCYLLA_HEADER_MAX];
	struct scylla_header h;
	uint64_t left;		/* body bytes still to come */
	uint64_t wire_len;
	uint64_t first_frame;
	uint64_t skipped;
	/* the frame's body (or compressed payload) as kept */
	uint8_t *buf;
	size_t buf_len, buf_cap;
	bool elided;
	bool hole;		/* bytes of this frame were lost */
	/* bytes being searched (HUNT), SCYLLA_HUNT_WINDOW at most */
	uint8_t *hunt;
	size_t hunt_len;
	uint64_t hunt_first_frame;
	/* offsets before hunt_scan are not frames, except those in
	 * hunt_more (ascending), which wanted more bytes when the layout
	 * was the one hunt_key names */
	size_t hunt_scan;
	uint16_t hunt_more[SCYLLA_HUNT_MORE];
	unsigned hunt_nmore;
	uint32_t hunt_key;
	size_t hunt_next;	/* search again when the window holds this */
	bool flush;		/* search now, whatever the window holds */
	/* this direction's layout guessed from its headers (no
	 * negotiation seen) */
	struct scylla_layout guess;
	/* Optional shared bound on every reader's buffers (as the ONC-RPC
	 * record reader's, base/budget.h): blocks are charged to it; what
	 * does not fit is counted, not kept. */
	struct memory_budget *budget;
	uint64_t frames, resyncs, skipped_total;
};

/* In-order bytes of one direction.  max_keep bounds the data kept of one
 * frame (and its decompressed form). */
void scylla_reader_feed(struct scylla_reader *r, struct scylla_conn *c,
			bool client_to_server, size_t max_keep,
			const uint8_t *data, size_t len,
			const struct frame_ref *frame, scylla_frame_fn fn,
			void *ctx);

/* Bytes were lost (gap: `missing` of them, 0 if unknown) or the
 * direction ended.  A gap that ends inside the body of the frame being
 * read keeps the framing: the frame is handed over at its end, marked
 * truncated (a hole in it), and the next one is read as usual.
 * Otherwise a frame begun is handed over truncated now, and after a gap
 * the reader hunts for the next header. */
void scylla_reader_break(struct scylla_reader *r, struct scylla_conn *c,
			 bool client_to_server, size_t max_keep,
			 const struct frame_ref *frame, bool gap,
			 uint64_t missing, scylla_frame_fn fn, void *ctx);

void scylla_reader_free(struct scylla_reader *r);

#endif
