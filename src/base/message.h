/* message.h - one decoded protocol message, the contract between decoders,
 * the output formats (text, -V, JSON, fields), the filter, the statistics
 * and the correlator.
 *
 * Decoders fill a message with typed fields, each pointing at its
 * definition in its protocol's field table (src/base/field.h; Wireshark's
 * names where they exist: docs/fields.md).  The message owns
 * fixed-size storage, so decoding one message never allocates and a hostile
 * message can at worst fill it: overflow is marked, never unbounded.
 * Strings are copied into the message's arena (packet buffers move).
 */
#ifndef TAPLINE_MESSAGE_H
#define TAPLINE_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "field.h"

struct protocol;	/* src/proto/registry.h */

struct field {
	const struct field_def *def;	/* its name, type, meaning; NULL
					 * only for FIELD_TREE_END */
	uint8_t kind;		/* enum field_kind */
	uint8_t depth;		/* nesting level, 0 = top */
	uint32_t len;		/* STR/BYTES/GFID/FLAGS/TREE: bytes in arena */
	uint32_t off;		/* offset of those bytes in the arena */
	const char *text;	/* ENUM/ERRNO: static name, NULL if unknown */
	union {
		uint64_t u;
		int64_t i;
		struct {
			int64_t sec;
			uint32_t nsec;
		} t;
		/* ADDR: the address, an IPv4 one as ::ffff:a.b.c.d (RFC
		 * 4291's mapped form), so that -Y compares it as bytes */
		uint8_t addr[16];
	} v;
};

/* Verdicts on a message; bits, several may hold. */
enum msg_verdict {
	MSG_OK = 0,
	MSG_MALFORMED = 1,	/* an impossible value: bytes lie */
	MSG_TRUNCATED = 2,	/* the capture ended inside the message */
	MSG_NOT_DECODED = 4,	/* valid framing, body not decoded (yet) */
	MSG_AFTER_GAP = 8,	/* first message after missing stream bytes */
	MSG_ELIDED = 16,	/* record larger than kept: tail not stored */
	MSG_FIELDS_FULL = 32,	/* field table or arena overflowed */
};

/* The few facts every protocol reports the same way (docs/core.md): what
 * renderers, statistics and the correlator read, whatever the protocol. */
enum exchange_kind {
	EXCHANGE_NONE = 0,	/* not part of a request/response exchange */
	EXCHANGE_REQUEST,	/* expects a response: an RPC call, a CQL
				 * request, a Ceph OSD_OP, ... */
	EXCHANGE_RESPONSE,	/* answers a request */
	EXCHANGE_EVENT,		/* one-way: a CQL EVENT, a Ceph map, ... */
};

enum exchange_status {
	STATUS_NONE = 0,	/* not a response, or no status in it */
	STATUS_OK,
	STATUS_FAILED,		/* status_code and status_name say why */
};

struct exchange {
	uint8_t kind;		/* enum exchange_kind */
	uint8_t status;		/* enum exchange_status */
	bool has_id;
	bool has_op_code;
	uint64_t id;		/* XID, CQL stream id, Scylla msg id, Ceph tid */
	const char *service;	/* static: "GlusterFS", "GF-HNDSK"; NULL */
	uint32_t service_code;	/* RPC program number; 0 */
	uint32_t service_version;
	const char *op;		/* static operation name ("SETATTR",
				 * "QUERY"); NULL if unknown, then op_code
				 * is shown */
	uint32_t op_code;	/* procedure, opcode, verb, message type */
	int64_t status_code;	/* errno, CQL error code, RPC accept or
				 * reject state */
	const char *status_name;/* static: "EACCES", "PROG_UNAVAIL"; NULL */
	uint64_t request_frame;	/* responses: frame of the matched request,
				 * 0 when it was not seen */
	int64_t latency_ns;	/* responses: ts - request ts; -1 unknown */
};

/* The TCP segment of the frame where a message completed (filled by the
 * TCP layer; valid false until it is). */
struct packet_info {
	bool valid;
	uint8_t flags;		/* the header's bits: FIN 0x01, SYN 0x02, RST
				 * 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE
				 * 0x40, CWR 0x80 */
	uint16_t window;	/* the header's window value, unscaled */
	uint16_t analysis;	/* PACKET_* bits below */
	uint32_t seq, ack;	/* relative to the direction's ISN (tshark) */
	uint32_t len;		/* TCP payload bytes */
};
#define PACKET_RETRANSMISSION 1	/* bytes seen before */
#define PACKET_LOST_SEGMENT 2	/* bytes before it never seen */
#define PACKET_OUT_OF_ORDER 4	/* bytes that came before earlier ones */

#define MSG_PROTO_HEADER_WORDS 8

struct endpoint {
	uint8_t family;		/* 4 or 6 */
	uint8_t addr[16];	/* IPv4 in the first 4 bytes */
	uint16_t port;
};

#define MSG_MAX_FIELDS 2048
#define MSG_ARENA_SIZE (128 * 1024)
#define MSG_INFO_SIZE 1024

/* The stored fields a consumer reads: defs[0..n). */
struct field_wants {
	const struct field_def *const *defs;
	size_t n;
};

struct message {
	/* Where and when: the frame in which the message completed (tshark's
	 * habit), and the frame where it began. */
	uint64_t frame;
	uint64_t first_frame;
	int64_t ts_ns;		/* realtime, ns since the epoch */
	struct endpoint src, dst;
	uint64_t conversation;	/* 1-based id of the TCP connection */
	struct packet_info packet;	/* TCP segment of `frame` */
	/* The message's own bytes as kept (its head when elided); valid
	 * during the consumer's callback only. */
	const uint8_t *pdu;
	size_t pdu_len;

	/* What: the protocol (its registry entry: name, label; readers go
	 * through src/proto/registry.h), the verdicts, the exchange. */
	const struct protocol *proto;
	unsigned verdict;	/* enum msg_verdict bits */
	const char *why;	/* static reason for the first bad verdict */
	uint32_t length;	/* message length on the wire, bytes */
	struct exchange exchange;
	/* The protocol's own header facts (ONC-RPC: xid, message type,
	 * reply and accept states), read only by its field table's derive
	 * functions and its views. */
	uint64_t proto_header[MSG_PROTO_HEADER_WORDS];

	/* Set by the decoder when no consumer reads the summary: then the
	 * msg_info* calls do nothing (info stays empty), a saving, since
	 * formatting the summary is most of the decoding work. */
	bool no_info;

	/* Set by the decoder when no consumer reads a body field: protocols
	 * then decode the header (the exchange; RPC: xid, type, program,
	 * version, procedure and their names, the call/reply match, reply
	 * and accept states) and skip credentials and bodies, so results
	 * (op_ret, op_errno), body fields and body verdicts stay unset. */
	bool header_only;

	/* Set by the decoder when no consumer reads a field (the summary
	 * lines, -q): fields are counted, and their bytes in the arena, so
	 * that "Fields full" is as when they are stored, but neither is
	 * kept.  A decoder that reads its own fields back calls
	 * msg_keep_fields() first: those added after are kept. */
	bool no_fields;
	/* Set by the decoder when consumers read only some stored fields
	 * (-T fields columns, -Y names): the others are counted as above,
	 * not kept.  NULL: any may be read. */
	const struct field_wants *wants;

	/* One-line summary after the protocol and program names. */
	char info[MSG_INFO_SIZE];
	size_t info_len;

	unsigned nfields;	/* kept in fields[] */
	unsigned skipped;	/* counted, not kept */
	uint8_t depth;
	struct field scratch;	/* what a field counted, not kept, is set in */
	struct field fields[MSG_MAX_FIELDS];
	size_t arena_used;
	uint8_t arena[MSG_ARENA_SIZE];
};

void msg_reset(struct message *m);
void msg_mark(struct message *m, unsigned verdict, const char *why);

/* Appends printf-style text to the summary; silently bounded. */
void msg_info(struct message *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* printf-free appenders for hot paths; the same bounds as msg_info
 * (text past the summary's room is dropped, never overflows). */
void msg_info_put_cut(struct message *m, const char *s, size_t n);
static inline void msg_info_put(struct message *m, const char *s, size_t n)
{
	size_t at = m->info_len;
	if (m->no_info || n >= sizeof m->info - at) {
		msg_info_put_cut(m, s, n);	/* nothing, or what fits */
		return;
	}
	memcpy(m->info + at, s, n);
	m->info_len = at + n;
	m->info[at + n] = '\0';
}
/* s up to its first NUL or n bytes, as printf's "%.*s" does. */
void msg_info_strn(struct message *m, const char *s, size_t n);
void msg_info_str(struct message *m, const char *s);
void msg_info_uint(struct message *m, uint64_t v);	/* "%llu" */
void msg_info_int(struct message *m, int64_t v);	/* "%lld" */
void msg_info_hex(struct message *m, uint64_t v);	/* "%llx" */
void msg_info_oct(struct message *m, uint64_t v);	/* "%llo" */
/* " label=" */
void msg_info_label(struct message *m, const char *label);

/* Whether a consumer may read fields of def. */
static inline bool msg_keeps(const struct message *m,
			     const struct field_def *def)
{
	if (m->no_fields)
		return false;
	if (!m->wants)
		return true;
	for (size_t i = 0; i < m->wants->n; i++)
		if (m->wants->defs[i] == def)
			return true;
	return false;
}

/* Whether no consumer reads a part: its subtree def and the n defs of
 * what it holds. */
static inline bool msg_part_unread(const struct message *m,
				   const struct field_def *tree,
				   const struct field_def *const *defs,
				   size_t n)
{
	if (m->no_fields)
		return true;
	if (!m->wants || msg_keeps(m, tree))
		return false;
	for (size_t i = 0; i < n; i++)
		if (msg_keeps(m, defs[i]))
			return false;
	return true;
}

/* From here on every field is kept: for a decoder that reads its own
 * fields back. */
static inline void msg_keep_fields(struct message *m)
{
	m->no_fields = false;
	m->wants = NULL;
}

/* Field adders return the field, or NULL when the message is full (then
 * MSG_FIELDS_FULL is marked; callers need not check).  The next field
 * slot: the scratch slot, counted, for a field nobody reads; inline with
 * the scalar adders below, which run for nearly every word a decoder
 * reads. */
static inline struct field *msg_field_slot(struct message *m,
					   const struct field_def *def,
					   enum field_kind kind)
{
	if (m->nfields + m->skipped >= MSG_MAX_FIELDS) {
		m->verdict |= MSG_FIELDS_FULL;
		return NULL;
	}
	if (!msg_keeps(m, def)) {	/* counted: set, never read */
		m->skipped++;
		return &m->scratch;
	}
	struct field *f = &m->fields[m->nfields++];
	*f = (struct field){ .def = def, .kind = (uint8_t)kind,
			     .depth = m->depth };
	return f;
}

/* For a part of fixed shape that nobody reads (msg_part_unread):
 * counts its nfields fields and arena bytes as adding them would,
 * without reading them; true then.  False when they might not fit: then
 * the caller adds them one by one, so that "Fields full" falls where it
 * always did. */
static inline bool msg_count_only(struct message *m, unsigned nfields,
				  size_t arena)
{
	if (nfields > MSG_MAX_FIELDS - m->nfields - m->skipped ||
	    arena > MSG_ARENA_SIZE - m->arena_used)
		return false;
	m->skipped += nfields;
	m->arena_used += arena;
	return true;
}

static inline struct field *msg_add_uint(struct message *m,
					 const struct field_def *def,
					 uint64_t v)
{
	struct field *f = msg_field_slot(m, def, FIELD_UINT);
	if (f)
		f->v.u = v;
	return f;
}

static inline struct field *msg_add_hex(struct message *m,
					const struct field_def *def,
					uint64_t v)
{
	struct field *f = msg_field_slot(m, def, FIELD_HEX);
	if (f)
		f->v.u = v;
	return f;
}

static inline struct field *msg_add_int(struct message *m,
					const struct field_def *def,
					int64_t v)
{
	struct field *f = msg_field_slot(m, def, FIELD_INT);
	if (f)
		f->v.i = v;
	return f;
}

static inline struct field *msg_add_bool(struct message *m,
					 const struct field_def *def, bool v)
{
	struct field *f = msg_field_slot(m, def, FIELD_BOOL);
	if (f)
		f->v.u = v;
	return f;
}

/* Makes f an address field: family 4 (addr: 4 bytes) or 6 (16 bytes),
 * kept in binary beside the text f already has, for -Y to compare. */
void field_set_address(struct field *f, uint8_t family, const uint8_t *addr);
struct field *msg_add_str(struct message *m, const struct field_def *def,
			  const void *s, size_t len);
struct field *msg_add_bytes(struct message *m, const struct field_def *def,
			    const void *p, size_t len);
struct field *msg_add_gfid(struct message *m, const struct field_def *def,
			   const uint8_t gfid[16]);
static inline struct field *msg_add_time(struct message *m,
					 const struct field_def *def,
					 int64_t sec, uint32_t nsec)
{
	struct field *f = msg_field_slot(m, def, FIELD_TIME);
	if (f) {
		f->v.t.sec = sec;
		f->v.t.nsec = nsec;
	}
	return f;
}
static inline struct field *msg_add_enum(struct message *m,
					 const struct field_def *def,
					 uint64_t v, const char *value_name)
{
	struct field *f = msg_field_slot(m, def, FIELD_ENUM);
	if (f) {
		f->v.u = v;
		f->text = value_name;
	}
	return f;
}
struct field *msg_add_errno(struct message *m, const struct field_def *def,
			    int64_t e);
struct field *msg_add_flags(struct message *m, const struct field_def *def,
			    uint64_t v, const char *names);
/* Opens a subtree labelled label (len bytes; NULL: none), closed by
 * msg_close.  Inline, so that a constant label's length is too. */
struct field *msg_open_n(struct message *m, const struct field_def *def,
			 const char *label, size_t len);
static inline struct field *msg_open(struct message *m,
				     const struct field_def *def,
				     const char *label)
{
	return msg_open_n(m, def, label, label ? strlen(label) : 0);
}
static inline void msg_close(struct message *m)
{
	if (m->depth == 0)
		return;
	m->depth--;
	msg_field_slot(m, NULL, FIELD_TREE_END);
}

/* The field's dotted name ("" for a subtree's end). */
static inline const char *field_name(const struct field *f)
{
	return f->def ? f->def->name : "";
}

/* Field access for renderers, the filter and the correlator: the first
 * stored occurrence of def, or NULL. */
const struct field *msg_find(const struct message *m,
			     const struct field_def *def);
const uint8_t *field_bytes(const struct message *m, const struct field *f);

/* The address of e as text (dotted quad, RFC 5952), terminated; its
 * length.  len >= INET6_ADDRSTRLEN (46) holds any. */
size_t endpoint_address_text(char *buf, size_t len, const struct endpoint *e);

/* "a.b.c.d:port" or "[v6]:port" into buf (ENDPOINT_TEXT_SIZE bytes),
 * not terminated; its length. */
#define ENDPOINT_TEXT_SIZE 64
size_t endpoint_text(char *buf, const struct endpoint *e);

/* The verdict bits as "malformed,truncated,..." (those that hold), cut
 * to fit len; its length. */
size_t msg_verdict_text(char *buf, size_t len, unsigned verdict);

/* A gfid (or any UUID) as 8-4-4-4-12 lower-case hex, NUL-terminated. */
void gfid_text(const uint8_t g[16], char out[37]);

/* Errno value -> "EACCES" (Linux numbering, as GlusterFS sends); NULL if
 * unknown. */
const char *errno_name(int64_t e);

/* The errno a name ("EACCES", "OK" for 0) or a description ("Permission
 * denied") names, any case; false when none does. */
bool errno_from_text(const char *text, int64_t *out);
/* The errno name or description nearest to text ("did you mean"); NULL
 * when none is near. */
const char *errno_nearest(const char *text);

#endif
