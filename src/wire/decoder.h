/* decoder.h - the wire decoder: frames in, messages out.
 *
 *	struct decoder *d = decoder_new(&opts, on_message, user);
 *	while (capture_next(cap, &f) == 1)
 *		decoder_frame(d, &f);
 *	decoder_finish(d);	// flushes streams; unanswered calls counted
 *	decoder_free(d);
 *
 * Memory is bounded by one budget, max_memory, whatever the input: every
 * table of the decoder charges it (base/budget.h) -- flows (about 0.5 KiB
 * each, live or recently closed) and each live connection's protocol
 * state (about 0.3 KiB); buffered bytes (out of order, kept while a
 * protocol is detected, heads of records still arriving), at most
 * max_total_buffer of it; requests waiting for their responses
 * (base/waiting.h), at most half of it.  When a table finds no room:
 *   - the oldest waiting requests expire first, as "unanswered: reply
 *     not seen within the memory budget" (requests_expired, and the
 *     on_expired callback);
 *   - then a new connection makes the least recently active one go
 *     (flows_evicted, as max_flows does);
 *   - buffered bytes give way as their own caps make them: a hole is
 *     given up (tcp_gaps), a record's tail counted, not kept (elided).
 * The default, 40 MiB, keeps `tapline decode` under 64 MiB resident on
 * every hostile capture of bench/hostile.c (tests/hostile-rss.sh: 47 MiB
 * at most).
 */
#ifndef TAPLINE_DECODER_H
#define TAPLINE_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "base/message.h"

struct stream_proto;
struct protocol;

/* Connection events (decoder_options.events): messages of the TCP
 * protocol, exchange kind EVENT, exchange.op the event's name. */
#define EVENT_SYN_UNANSWERED 1	/* "SYN unanswered": SYNs (retries
				 * counted) that got no SYN-ACK nor RST;
				 * told when the connection ends */
#define EVENT_REFUSED 2		/* "connection refused": a RST or an
				 * ICMP port unreachable answered the SYN */
#define EVENT_RESET 4		/* "reset": a RST after the handshake */
#define EVENT_UNREACHABLE 8	/* "unreachable": ICMP destination
				 * unreachable (not "port unreachable",
				 * which refuses: EVENT_REFUSED) answered
				 * the SYNs, or hit an open connection */
#define EVENT_PROBLEMS (EVENT_SYN_UNANSWERED | EVENT_REFUSED | EVENT_RESET | \
			EVENT_UNREACHABLE)
/* The opening handshake as it happens, for a consumer that follows each
 * connection from its first SYN (the correlator's conversations): */
#define EVENT_SYN 16		/* "SYN": a SYN (without ACK) that opens a
				 * connection or retries it, told at once;
				 * tcp.connection.syns counts them so far.
				 * In packet view it stands for the SYN's
				 * own line. */
#define EVENT_ESTABLISHED 32	/* "established": the first SYN-ACK that
				 * answers the SYNs, its sender as source */
#define EVENT_HANDSHAKE (EVENT_SYN | EVENT_ESTABLISHED)

#define DECODER_DEFAULT_MEMORY (40u << 20)

struct decoder_options {
	size_t max_memory;	/* the budget of every table (40 MiB) */
	size_t max_record;	/* bytes kept of one message (1 MiB) */
	/* Finer caps within max_memory; 0 (the default): the fraction */
	size_t max_flow_buffer;	/* out-of-order bytes per direction (1/10) */
	size_t max_total_buffer;/* buffered bytes in all flows (1/2) */
	size_t max_flows;	/* connections tracked (one per 2.5 KiB:
				 * 16384 in 40 MiB) */
	bool no_summary;	/* messages carry no info text: the consumer
				 * never reads it (false) */
	bool header_only;	/* messages carry the header only: the
				 * consumer reads no body field, result or
				 * verdict (false; message.h says what is
				 * kept) */
	bool no_fields;		/* messages carry no field: the consumer
				 * reads none (false; message.h says what
				 * is counted) */
	const struct field_wants *wants;	/* the stored fields the
				 * consumer reads, the others counted (NULL:
				 * any); must outlive the decoder */
	/* The stream protocols tried on each new connection, in order (the
	 * caller's: src/proto/registry.h's registry_decoder_options() gives
	 * every registered one).  Default none: every connection is
	 * reassembled, none decoded.  The array must outlive the decoder. */
	const struct stream_proto *const *protocols;
	size_t nprotocols;
	/* EVENT_* bits: the connection events emitted (default none), as
	 * messages of tcp_protocol (the registry's TCP entry; no events
	 * without it). */
	unsigned events;
	const struct protocol *tcp_protocol;
	/* Packet view: every TCP frame reaches the consumer once, as the
	 * messages that completed in it or, when none did, as a message of
	 * tcp_protocol (exchange kind NONE, its summary the segment as
	 * tshark shows it: "49152 → 24007 [SYN] Seq=0 Win=65495 Len=0").
	 * Default false. */
	bool packets;
};

/* Defaults as documented above. */
void decoder_default_options(struct decoder_options *opts);

struct decoder_stats {
	uint64_t frames, bytes;
	uint64_t non_ip, non_tcp, ip_fragments, bad_frames;
	uint64_t icmp_unreachable;	/* about a connection of the capture */
	uint64_t tcp_segments, tcp_retransmits, tcp_out_of_order, tcp_gaps;
	uint64_t tcp_lost_segments;	/* tcp.analysis.lost_segment */
	uint64_t tcp_lost_first_frame;	/* the first of them */
	uint64_t tcp_gap_bytes, flows, flows_evicted, buffer_drops;
	uint64_t messages, malformed, truncated;
	/* exchanges: requests and responses emitted, requests never
	 * answered (counted by the protocols when a connection ends),
	 * responses whose request was not seen */
	uint64_t requests, responses, unanswered, orphan_responses;
	/* What the wire layers met */
	uint64_t truncated_frames;	/* headers or payload cut by snaplen */
	uint64_t tcp_overlaps;		/* segments partly seen before */
	uint64_t resync_skipped_bytes;	/* scanned past to find a message */
	uint64_t link_types_unknown;	/* frames of an unsupported DLT */
	/* The memory budget */
	uint64_t requests_expired;	/* waiting requests given up */
	uint64_t memory_peak;		/* bytes charged at most */
	uint64_t memory_limit;		/* max_memory */
	uint64_t memory_refusals;	/* charges that did not fit */
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
 * decoder_new (the message and flow table stay allocated; the waiting
 * requests' ring is given back). */
void decoder_reset(struct decoder *d);

/* A waiting request that expired (see above), for a consumer that
 * reports requests without responses (-z unanswered). */
struct decoder_expiry {
	uint64_t conversation;	/* of the message that made the request */
	uint64_t exchange_id;	/* its exchange.id (rpc.xid, stream id) */
	uint64_t frame;		/* the request's */
	int64_t ts_ns;
};
typedef void (*decoder_expired_fn)(void *user,
				   const struct decoder_expiry *e);

/* Called with the user of decoder_new for each expired request, in the
 * order they expire (oldest first); may be NULL. */
void decoder_on_expired(struct decoder *d, decoder_expired_fn fn);

/* Every TCP segment, for a consumer that counts per connection (-z
 * conv,tcp): called before the segment's messages. */
struct decoder_segment {
	uint64_t conversation;	/* 1-based, as messages' */
	uint64_t frame;
	int64_t ts_ns;
	uint32_t frame_len;	/* bytes on the wire (frame.len) */
	const struct endpoint *src, *dst;
};
typedef void (*decoder_segment_fn)(void *user,
				   const struct decoder_segment *s);
/* fn may be NULL. */
void decoder_on_segment(struct decoder *d, decoder_segment_fn fn);

/* messages, malformed, truncated, requests, responses and
 * orphan_responses are counted from the emitted messages; protocols count
 * the rest through stream_stats().  Sets the protocols tried by detect,
 * in order (as decoder_options.protocols); the array must outlive the
 * decoder.  For tests and tools that want one protocol only. */
void decoder_set_protocols(struct decoder *d,
			   const struct stream_proto *const *protos, size_t n);

/* Prints the statistics, one "name value" per line. */
void decoder_print_stats(const struct decoder_stats *s, FILE *out);

#endif
