/* stream.h - the contract between TCP reassembly and the protocols that
 * run over a byte stream (ONC-RPC record marking, CQL, Scylla RPC, Ceph
 * messenger).
 *
 * Reassembly delivers each direction of a connection as in-order bytes,
 * in pieces as they arrive, each piece tagged with the frame that carried
 * it.  A protocol is chosen per connection by content (detect), never by
 * port alone.  A protocol parser keeps its own per-direction state in
 * proto_state (state_size bytes, zeroed at creation, freed by reassembly
 * after close), and emits messages through stream_emit().
 */
#ifndef TAPLINE_STREAM_H
#define TAPLINE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/message.h"

struct decoder;
struct memory_budget;
struct waiting_set;

/* The frame that carried a piece of stream data. */
struct frame_ref {
	uint64_t number;	/* 1-based, counted across all input files */
	int64_t ts_ns;		/* realtime ns */
};

/* One direction of one TCP connection, as a protocol parser sees it. */
struct stream_dir {
	struct decoder *decoder;	/* for stream_emit() */
	uint64_t conversation;		/* 1-based connection id */
	struct endpoint src, dst;	/* of this direction */
	bool client_to_server;		/* SYN sender -> listener (or guessed) */
	struct stream_dir *peer;	/* the other direction */
	void *proto_state;		/* parser's state, state_size bytes */
	void *conn_state;		/* per-connection state shared by both
					 * directions (conn_state_size bytes),
					 * e.g. the XID table of ONC-RPC */
	uint64_t bytes_seen;		/* stream offset of the next byte */
};

enum detect_verdict {
	DETECT_NO = 0,		/* certainly not this protocol */
	DETECT_MAYBE = 1,	/* need more bytes */
	DETECT_YES = 2,
};

struct stream_proto {
	const char *name;	/* "rpc", "cql", "ceph", ... */
	/* Looks at the first bytes of a direction (or the bytes after a
	 * gap, with at_start false) and says whether they are this
	 * protocol.  Must be cheap and read only data[0..len). */
	enum detect_verdict (*detect)(const uint8_t *data, size_t len,
				      bool at_start);
	size_t state_size;
	size_t conn_state_size;
	/* Sets up a connection's state (zeroed) when the protocol is
	 * found on it, e.g. joins its table of waiting requests to the
	 * decoder's (stream_waiting); may be NULL. */
	void (*conn_init)(struct stream_dir *dir, void *conn_state);
	/* In-order bytes of one direction.  The parser must copy what it
	 * keeps: data is valid only during the call. */
	void (*feed)(struct stream_dir *dir, const uint8_t *data, size_t len,
		     const struct frame_ref *frame);
	/* `missing` bytes are lost before the next feed (0 = unknown). */
	void (*gap)(struct stream_dir *dir, uint64_t missing,
		    const struct frame_ref *frame);
	/* The direction ended (FIN, RST, or end of capture). */
	void (*close)(struct stream_dir *dir, const struct frame_ref *frame);
	/* Frees what state holds beyond its fixed bytes (may be NULL). */
	void (*destroy)(struct stream_dir *dir);
	void (*conn_destroy)(void *conn_state);
};

/* Fills the message's frame/endpoint/conversation header from dir and
 * frame, for a message that began in first_frame. */
void stream_message_begin(struct message *m, const struct stream_dir *dir,
			  uint64_t first_frame, const struct frame_ref *frame);

/* Hands a finished message to the decoder's consumer (output, filter,
 * statistics, correlator). */
void stream_emit(struct stream_dir *dir, struct message *m);

/* A scratch message owned by the decoder, for parsers to fill and emit
 * (one at a time). */
struct message *stream_scratch_message(struct stream_dir *dir);

/* What the decoder lends its protocols: the table of waiting requests
 * of every connection (base/waiting.h: a protocol's per-connection table
 * joins it), the budget of buffered bytes (record heads and the like
 * charge it, base/budget.h), and the bytes kept of one message at most
 * (decoder_options.max_record). */
struct waiting_set *stream_waiting(struct stream_dir *dir);
struct memory_budget *stream_buffer_budget(struct stream_dir *dir);
size_t stream_max_record(const struct stream_dir *dir);

/* Which direction of its connection dir is: 0 or 1, the same for the
 * connection's life, the peer's the other (whatever the roles turn out
 * to be): the direction a protocol keys its waiting requests by. */
uint8_t stream_direction(const struct stream_dir *dir);

/* The decoder's statistics, for what only a protocol
 * knows (unanswered requests). */
struct decoder_stats;
struct decoder_stats *stream_stats(struct stream_dir *dir);

/* In a capture that began mid-connection the client is a
 * guess; a protocol that knows better (an RPC call went this way) says
 * so, and the guess is fixed for both directions.  No effect when a SYN
 * showed the roles. */
void stream_set_client(struct stream_dir *dir, bool client_to_server);

#endif
