/* reassembly.h - wire internals: the decoder object, the TCP flow table
 * and per-direction reassembly, and the stream dispatch (stream.c) that
 * reassembly hands in-order bytes to.  Not a contract: protocols see
 * only stream.h. */
#ifndef TAPLINE_REASSEMBLY_H
#define TAPLINE_REASSEMBLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/budget.h"
#include "base/waiting.h"
#include "decoder.h"
#include "stream.h"
#include "tcp.h"

/* Room kept for what a new flow soon allocates (protocol state,
 * detection bytes), so that it rarely finds none. */
#define FLOW_HEADROOM 1024

/* Bytes kept to decide which protocol a direction speaks. */
#define DETECT_WINDOW 1024
#define DETECT_CHUNKS 8
/* After a gap, give up looking for a message start after this many. */
#define DETECT_SCAN_LIMIT (8u << 20)

struct ooo_segment {
	struct ooo_segment *next;
	uint64_t off;		/* stream offset of data[0] */
	uint32_t len;
	struct frame_ref frame;
	uint8_t data[];
};

enum detect_state { DETECTING = 0, DETECTED, UNDETECTABLE };

/* The undecided bytes of a direction (grown as needed up to
 * DETECT_WINDOW, counted in the total buffer). */
struct detect_buffer {
	size_t len, cap;
	unsigned nchunks;
	struct {
		size_t end;	/* bytes of buf that came with frame */
		struct frame_ref frame;
	} chunks[DETECT_CHUNKS];
	uint8_t buf[];
};

struct tcp_dir {
	struct stream_dir sd;	/* what protocols see; first member */
	struct flow *flow;
	bool have_seq;		/* base_seq is known */
	bool closed;
	bool fin_seen;
	uint32_t base_seq;	/* sequence number of stream offset 0 */
	uint64_t offset;	/* stream offset of the next byte due */
	uint64_t fin_off;	/* stream offset of the FIN */
	/* tcp.analysis.lost_segment: the sequence number after the
	 * furthest byte (or SYN, FIN) seen, once one was */
	bool have_next_seq;
	uint32_t next_seq;
	struct ooo_segment *ooo;/* ahead of offset, sorted, disjoint */
	struct ooo_segment *ooo_last;	/* the one queued last, or NULL */
	struct frame_ref latest;	/* the latest frame of bytes delivered */
	size_t ooo_bytes;	/* what they are charged */
	/* protocol detection */
	uint8_t detect;		/* enum detect_state */
	bool at_start;		/* the next byte is stream offset 0 after SYN */
	uint64_t scanned;	/* bytes scanned without finding a start */
	struct detect_buffer *dbuf;
};

struct flow_key {
	uint8_t family;
	uint16_t port[2];
	uint8_t addr[2][16];
};

struct flow {
	/* A retired flow (closed, kept only to recognise its 4-tuple) is
	 * shrunk to these first members. */
	struct flow *hash_next;
	struct flow *lru_prev, *lru_next;	/* most recent first */
	struct flow_key key;	/* endpoint 0 = sender of dir[0] */
	uint32_t hash;
	bool retired;
	/* What segments after the close still need (packet view, -z
	 * conv,tcp): the connection's number, and per direction the
	 * number tshark counts relative sequence numbers from (the SYN's;
	 * else one before the first seen, in a segment or in the peer's
	 * acknowledgement) and the window scale its SYN offered (-1: none,
	 * -2: its SYN not seen). */
	uint64_t conversation;
	uint32_t isn[2];
	bool isn_known[2];
	int8_t syn_shift[2];
	/* live flows only */
	const struct stream_proto *proto;	/* of the connection */
	void *conn_state;
	bool roles_guessed;
	/* The opening handshake, for the connection events. */
	uint32_t syns;		/* SYNs (without ACK) dir[syn_dir] sent */
	uint8_t syn_dir;
	bool answered;		/* the other direction sent anything */
	struct frame_ref first_syn, last_syn;
	struct packet_info last_syn_packet;
	/* ICMP destination unreachable about the SYNs, instead of a
	 * SYN-ACK or RST: how many, the last one's code and sender. */
	uint32_t unreachables;
	uint8_t unreachable_type, unreachable_code;
	uint8_t unreachable_from[16];
	struct frame_ref last_unreachable;
	struct tcp_dir dir[2];
};
#define FLOW_RETIRED_SIZE offsetof(struct flow, proto)

struct reassembly {
	struct flow **buckets;
	size_t nbuckets;	/* power of two */
	size_t nflows;		/* entries, retired ones included */
	size_t nlive;		/* not yet closed */
	struct flow *lru_head, *lru_tail;
	/* listeners seen (receivers of a SYN), to guess roles mid-stream */
	struct listener {
		uint8_t family;
		uint16_t port;
		uint8_t addr[16];
	} listeners[256];
	unsigned nlisteners;
};

struct decoder {
	struct decoder_options opts;	/* the fractions resolved */
	/* Every table charges budget; buffered bytes (out of order,
	 * detection, record heads) charge buffers, waiting requests
	 * waiting_budget, both shares of it.  budget's reclaim hook
	 * expires the oldest waiting requests. */
	struct memory_budget budget, buffers, waiting_budget;
	struct waiting_set *waiting;
	decoder_expired_fn on_expired;
	decoder_message_fn on_message;
	void *user;
	struct decoder_stats stats;
	struct reassembly ra;
	uint64_t conversations;
	const struct stream_proto *const *protos;
	size_t nprotos;
	struct message *scratch;
	struct frame_ref last;	/* the latest frame that reached TCP */
	/* The segment of the frame being decoded: messages that complete
	 * in it carry it (valid false outside reassembly_segment). */
	struct packet_info packet;
	uint64_t packet_frame;
	/* Packet view and -z conv,tcp: the segment's endpoints and
	 * connection (conversation 0: none), the window scale shift of its
	 * sender (-1: unknown), whether a message completed in the frame
	 * (then it shows as that message). */
	struct endpoint seg_src, seg_dst;
	uint64_t seg_conversation;
	int seg_shift;
	bool seg_decoded;	/* its connection speaks a known protocol */
	bool frame_shown;
	decoder_segment_fn on_segment;
};

/* reassembly.c */
bool reassembly_init(struct reassembly *ra, const struct decoder_options *o);
void reassembly_segment(struct decoder *d, const uint8_t src[16],
			const uint8_t dst[16], int family,
			const struct tcp_segment *seg,
			const struct frame_ref *frame, uint32_t frame_len);
/* An ICMP destination unreachable about a segment of a known
 * connection (icmp.h): kept with its SYNs and told when the connection
 * ends, or told now when the connection was open.  False when it is
 * about no connection the capture showed. */
struct icmp_unreachable;
bool reassembly_unreachable(struct decoder *d, int family,
			    const uint8_t from[16],
			    const struct icmp_unreachable *u,
			    const struct frame_ref *frame);
/* Flushes and closes every flow (end of capture), then frees them. */
void reassembly_finish(struct decoder *d, const struct frame_ref *last);
void reassembly_free(struct decoder *d);
/* Frees every flow without closing it; the table stays, empty. */
void reassembly_reset(struct decoder *d);

/* stream.c: the protocol side of one direction. */
void stream_data(struct tcp_dir *t, const uint8_t *data, size_t len,
		 const struct frame_ref *frame);
void stream_gap(struct tcp_dir *t, uint64_t missing,
		const struct frame_ref *frame);
void stream_close(struct tcp_dir *t, const struct frame_ref *frame);
void stream_destroy_flow(struct flow *f);

/* events.c: connection events, emitted when decoder_options.events
 * asks for them. */
void event_reset(struct decoder *d, struct flow *f, int sender,
		 const struct frame_ref *frame);
/* The handshake: a SYN of the connection's opener was counted; the
 * first SYN-ACK answered it. */
void event_syn(struct decoder *d, struct flow *f, int sender,
	       const struct frame_ref *frame);
void event_established(struct decoder *d, struct flow *f, int sender,
		       const struct frame_ref *frame);
/* Packet view: the frame's segment, when no message completed in it. */
void event_packet(struct decoder *d, const struct tcp_segment *seg);
/* The flow ends (end of capture, eviction, its tuple reused): an
 * unanswered SYN is told now, or the ICMP errors that answered it. */
void event_flow_end(struct decoder *d, struct flow *f);
/* ICMP said an open connection's segment could not be delivered. */
void event_unreachable(struct decoder *d, struct flow *f, int sender,
		       const struct icmp_unreachable *u, int family,
		       const uint8_t from[16], const struct frame_ref *frame);

#endif
