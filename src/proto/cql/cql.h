/* cql.h - the CQL decoder's own state, shared by its layers: the stream
 * layer (stream.c: frames, v5 segments, decompression, resync) hands each
 * whole envelope to the body layer (bodies.c), which fills the message and
 * keeps what later messages of the connection need (the negotiated
 * version and compression, prepared statements, waiting requests).
 */
#ifndef TAPLINE_CQL_H
#define TAPLINE_CQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/budget.h"
#include "base/message.h"
#include "base/waiting.h"
#include "proto/cql/compress.h"
#include "proto/cql/frame.h"
#include "proto/cql/segment.h"

/* What a message's proto_header words hold (its header fields are
 * derived from them: fields.c). */
enum cql_header_word {
	CQL_H_VERSION_BYTE,	/* low byte; bit 8: this is a CQL frame */
	CQL_H_FLAGS,
	CQL_H_STREAM,		/* int16 as int64 */
	CQL_H_OPCODE,
	CQL_H_LENGTH,
};
#define CQL_H_PRESENT 0x100

/* Prepared statements a connection saw, so that EXECUTE shows the query
 * and typed values, and its Rows without metadata get their types.  The
 * id is the server's (node-wide); a driver prepares on the connection it
 * executes on, or again after Unprepared. */
#define CQL_PREPARED_MAX 64
#define CQL_PREPARED_BYTES (256u * 1024)	/* per connection, at most */
struct cql_prepared {
	uint8_t id_len;
	uint8_t id[32];
	uint8_t version;
	char *query;		/* NUL-terminated, at most CQL_QUERY_KEEP */
	uint8_t *bind;		/* raw bind metadata (col specs), bind_len */
	uint8_t *result;	/* raw result metadata, result_len */
	uint32_t bind_len, result_len;
	uint32_t bind_flags;	/* the metadata's flags */
	uint32_t bind_count;
	uint64_t last_use;
};
#define CQL_QUERY_KEEP 1024

/* A request as its body readers fill it, and as its response sees it
 * again: the opcode and version from the payload of the decoder's table
 * of waiting requests (base/waiting.h), the rest from the connection's
 * note.  Stream ids are reused as soon as answered: a newer request on
 * an id replaces the older. */
struct cql_waiting {
	uint8_t opcode;
	uint8_t version;	/* as the request said it (a probe: 4) */
	uint8_t id_len;		/* EXECUTE: the prepared id */
	uint8_t id[32];
	const char *query;	/* the statement as cql_text writes it
				 * (up to CQL_QUERY_KEEP), or "" */
	size_t query_len;
};

/* What a waiting request keeps beyond the table's payload, by stream id
 * (one slot per id, direct-mapped), naming its request by frame. */
#define CQL_NOTES_MIN 16
#define CQL_NOTES_MAX 256	/* powers of two */
struct cql_note {
	uint64_t frame;		/* the request's; 0: free */
	int16_t stream;
	uint8_t direction;
	uint8_t id_len;
	uint8_t id[32];
	uint32_t text_len, text_cap;
	char *text;		/* text_cap bytes (charged), NUL-terminated */
};

/* Memory a connection holds beyond its fixed state (notes, prepared
 * statements) is charged to the decoder's budget of buffered bytes, so a
 * hostile capture cannot grow it past the decoder's bound; its waiting
 * requests are the decoder's (charged to its budget too). */
struct cql_conn {
	uint8_t version;		/* agreed by STARTUP/first frames; 0 */
	enum cql_compression compression;
	bool compression_from_startup;
	bool startup_waiting;		/* a STARTUP awaits its answer */
	int16_t startup_stream;
	uint8_t startup_version;
	bool v5_framing;		/* the server answered a v5 STARTUP */
	bool has_rate_limit_code;
	int32_t rate_limit_code;	/* ScyllaDB's, from SUPPORTED */
	uint8_t closed;			/* directions that ended */
	struct memory_budget *budget;	/* the decoder's, or NULL */
	uint64_t use_clock;
	unsigned nprepared, prepared_cap;
	size_t prepared_bytes;
	struct cql_prepared *prepared;	/* prepared_cap entries */
	struct waiting_table requests;	/* joined to the decoder's set */
	unsigned notes_cap;		/* a power of two, or 0 */
	struct cql_note *notes;		/* notes_cap entries */
};

/* Where an envelope came from in v5: the segments that carried it (the
 * first CQL_NOTE_SEGMENTS of them kept for -V; all counted). */
#define CQL_NOTE_SEGMENTS 8
struct cql_segment_seen {
	struct cql_segment_header h;
	uint32_t payload_crc;		/* as sent */
	bool payload_ok;
};
struct cql_segment_note {
	unsigned count;
	bool crc_bad;			/* a CRC failed */
	struct cql_segment_seen seen[CQL_NOTE_SEGMENTS];
};

/* One whole envelope (its body kept up to the decoder's max_record) for
 * the body layer. */
struct cql_envelope {
	struct cql_frame_header h;
	const uint8_t *body;		/* decompressed when it was compressed */
	size_t kept;			/* bytes of body present */
	size_t wire_length;		/* body bytes on the wire */
	bool elided;			/* body longer than kept */
	bool from_client;
	enum cql_compression compressed;	/* how it came; NONE */
	const char *decompress_problem;	/* why the body could not be
					 * decompressed; NULL */
	size_t uncompressed_length;
	const struct cql_segment_note *segments;	/* v5 framed; NULL */
	uint64_t first_frame;
	uint8_t direction;		/* stream_direction(): requests wait
					 * by it, responses come the other way */
};

struct stream_dir;
struct frame_ref;

/* Fills m from one envelope: fields, summary, exchange; updates conn.
 * m's place (frames, endpoints) is already set. */
void cql_decode_envelope(struct cql_conn *conn, struct message *m,
			 const struct cql_envelope *e, const struct frame_ref *frame);

/* The connection's memory, freed; returns its requests that never got
 * an answer (the decoder counts them unanswered at the connection's end). */
uint32_t cql_conn_release(struct cql_conn *conn);

/* The protocol entry's message label. */
extern const char cql_label[];

#endif
