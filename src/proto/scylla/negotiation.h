/* negotiation.h - the first frame each way of a Seastar RPC connection
 * and what it puts in force (docs/scylla.md, "Negotiation"):
 *
 *	"SSTARRPC" | len u32 | { feature u32 | len u32 | data[len] }...
 *
 * The client offers, the server answers with what it accepts; the answer
 * decides the layout of every later frame, both ways: the request's
 * timeout (TIMEOUT), the response's handler duration (HANDLER_DURATION),
 * compression (COMPRESS), and whether this is a stream connection
 * (STREAM_PARENT in the offer).
 */
#ifndef TAPLINE_SCYLLA_NEGOTIATION_H
#define TAPLINE_SCYLLA_NEGOTIATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCYLLA_MAGIC "SSTARRPC"
#define SCYLLA_MAGIC_LEN 8
#define SCYLLA_NEG_HEADER 12
/* Real negotiation frames are a few dozen bytes: larger is not one. */
#define SCYLLA_NEG_MAX 4096u
#define SCYLLA_TEXT_MAX 63	/* bytes kept of a cookie or algorithm list */

enum scylla_feature_number {
	SCYLLA_FEAT_COMPRESS = 0,
	SCYLLA_FEAT_TIMEOUT = 1,
	SCYLLA_FEAT_CONNECTION_ID = 2,
	SCYLLA_FEAT_STREAM_PARENT = 3,
	SCYLLA_FEAT_ISOLATION = 4,
	SCYLLA_FEAT_HANDLER_DURATION = 5,
	SCYLLA_FEAT_KNOWN = 6,
};

#define SCYLLA_FEAT_BIT(n) (1u << (n))

const char *scylla_feature_name(uint32_t number);

struct scylla_features {
	uint32_t mask;		/* SCYLLA_FEAT_BIT(n): feature n present */
	uint16_t records;	/* feature records in the frame */
	uint16_t unknown;	/* of them, numbers tapline does not know */
	uint64_t connection_id;	/* CONNECTION_ID */
	uint64_t stream_parent;	/* STREAM_PARENT */
	uint32_t compress_len;	/* COMPRESS data length on the wire */
	uint32_t cookie_len;	/* ISOLATION data length on the wire */
	/* the first SCYLLA_TEXT_MAX bytes of each, NUL-terminated */
	char compress[SCYLLA_TEXT_MAX + 1];
	char cookie[SCYLLA_TEXT_MAX + 1];
};

enum scylla_neg_status {
	SCYLLA_NEG_OK = 0,
	SCYLLA_NEG_MORE,	/* not enough bytes yet */
	SCYLLA_NEG_NOT,		/* not a negotiation frame */
	SCYLLA_NEG_MALFORMED,	/* the magic, but the records lie */
};

/* The first bytes of a direction: is it a negotiation frame, and how
 * long (12 + len)?  A prefix of the magic is MORE. */
enum scylla_neg_status scylla_negotiation_length(const uint8_t *p,
						 size_t len,
						 size_t *frame_len);

/* A whole frame (from the magic, frame_len bytes) into *out.  Records
 * that run past the frame are MALFORMED (Seastar drops the connection:
 * "bad feature data format"); a feature given twice keeps its first
 * data, as Seastar's std::map::emplace does. */
enum scylla_neg_status scylla_negotiation_parse(const uint8_t *p,
						size_t len,
						struct scylla_features *out,
						const char **why);

/* What a connection negotiated: the client's offer, the server's answer. */
struct scylla_conn {
	struct scylla_features offer, answer;
	bool have_offer, have_answer;
	/* Without a negotiation (a capture that began mid-connection) each
	 * direction's reader guesses its layout from its headers; the first
	 * to find requests says which direction carries them (1 + the
	 * client_to_server value it was fed with; 0: none yet), so the
	 * other looks for responses.  All zero: nothing read yet. */
	uint8_t requests_dir;
};

/* How the frames of one direction are laid out. */
struct scylla_layout {
	bool known;		/* negotiated, or guessed from headers */
	bool guessed;		/* from headers, not from a negotiation
				 * (set by the reader) */
	bool requests;		/* client -> server: requests; else responses */
	bool stream;		/* a stream connection: stream frames */
	bool timeout;		/* requests carry the timeout (28 bytes) */
	bool duration;		/* responses carry the handler duration */
	uint8_t compression;	/* enum scylla_compression */
};

void scylla_conn_layout(const struct scylla_conn *c, bool client_to_server,
			struct scylla_layout *out);

/* Records a direction's negotiation frame. */
void scylla_conn_negotiated(struct scylla_conn *c, bool client_to_server,
			    const struct scylla_features *f);

/* The connection's role: its ISOLATION cookie's class
 * (enum scylla_conn_class), and whether it is a stream. */
unsigned scylla_conn_role(const struct scylla_conn *c);

#endif
