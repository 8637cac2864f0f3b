/* decoder.h - the wire decoder: frames in, messages out.
 *
 *	struct decoder *d = decoder_new(&opts, on_message, user);
 *	while (capture_next(cap, &f) == 1)
 *		decoder_frame(d, &f);
 *	decoder_finish(d);	// flushes streams; unanswered calls counted
 *	decoder_free(d);
 *
 * Memory is bounded by the options whatever the input.  (wire: the flow
 * table holds at most max_flows entries of about 0.5 KiB each, live or
 * recently closed; out-of-order bytes, the bytes kept while a protocol
 * is being detected and the heads of RPC records still arriving share
 * max_total_buffer; each live connection's protocol state, up to about
 * 1.5 KiB, comes on top.  With the defaults, hostile input -- 200,000
 * connections each holding bytes behind a hole, or each in the middle
 * of a 1 MB record -- peaks under 64 MiB resident.)
 */
#ifndef TAPLINE_DECODER_H
#define TAPLINE_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "base/message.h"

struct stream_proto;

struct decoder_options {
	size_t max_record;	/* bytes kept of one message (default 1 MiB) */
	size_t max_flow_buffer;	/* out-of-order bytes per direction (4 MiB) */
	size_t max_total_buffer;/* buffered bytes in all flows (24 MiB) */
	size_t max_flows;	/* live connections tracked (16384) */
	bool no_summary;	/* messages carry no info text: the consumer
				 * never reads it (false) */
	bool header_only;	/* messages carry the header only: the
				 * consumer reads no body field, op_ret or
				 * verdict (false; message.h says what is
				 * kept) */
};

/* Defaults as documented above. */
void decoder_default_options(struct decoder_options *opts);

struct decoder_stats {
	uint64_t frames, bytes;
	uint64_t non_ip, non_tcp, ip_fragments, bad_frames;
	uint64_t tcp_segments, tcp_retransmits, tcp_out_of_order, tcp_gaps;
	uint64_t tcp_gap_bytes, flows, flows_evicted, buffer_drops;
	uint64_t messages, malformed, truncated;
	uint64_t rpc_calls, rpc_replies, rpc_unanswered, rpc_orphan_replies;
	/* What the wire layers met */
	uint64_t truncated_frames;	/* headers or payload cut by snaplen */
	uint64_t tcp_overlaps;		/* segments partly seen before */
	uint64_t resync_skipped_bytes;	/* scanned past to find a message */
	uint64_t link_types_unknown;	/* frames of an unsupported DLT */
};

/* Called once per decoded message, in the order the messages completed.
 * The message is valid only during the call. */
typedef void (*decoder_message_fn)(void *user, const struct message *m);

struct decoder *decoder_new(const struct decoder_options *opts,
			    decoder_message_fn on_message, void *user);
void decoder_frame(struct decoder *d, const struct capture_frame *frame);
void decoder_finish(struct decoder *d);
const struct decoder_stats *decoder_stats(const struct decoder *d);
void decoder_free(struct decoder *d);
/* Forgets everything the decoder saw, without closing its flows (the
 * consumer is not called) and without giving back its memory: the next
 * frame starts a new capture, as after decoder_new with the same
 * options, consumer and protocols.  Cheaper than decoder_free and
 * decoder_new (the message and flow table stay allocated). */
void decoder_reset(struct decoder *d);

/* messages, malformed, truncated, rpc_calls and
 * rpc_replies are counted from the emitted messages; protocols count the
 * rest through stream_stats().  The protocols tried by detect, in order
 * (default: every registered one); the array must outlive the decoder.
 * For tests and tools that want one protocol only. */
void decoder_set_protocols(struct decoder *d,
			   const struct stream_proto *const *protos, size_t n);

/* Prints the statistics, one "name value" per line. */
void decoder_print_stats(const struct decoder_stats *s, FILE *out);

#endif
