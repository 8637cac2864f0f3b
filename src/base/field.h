/* field.h - field definitions: every name a decoder may emit, a renderer
 * show, -e print or -Y test is one `struct field_def`, with its type and
 * a one-line meaning, in its protocol's table.
 *
 * A protocol's fields are one X-macro list in its folder (fields.h), the
 * single source of the hf_* objects its decoders pass, of its table (the
 * registry's), of `tapline decode -G fields` and of docs/fields.md:
 *
 *	#define CQL_FIELDS(X) \
 *		X(cql_opcode, "cql.opcode", ENUM, 0, "operation of the frame") \
 *		X(cql_stream, "cql.stream", UINT, FIELD_DEF_HEADER, \
 *		  "stream id: matches a response to its request", \
 *		  .derive = cql_derive_stream)
 *	FIELD_TABLE_DECLARE(cql_fields, CQL_FIELDS)	// in fields.h
 *	FIELD_TABLE_DEFINE(cql_fields, CQL_FIELDS)	// in fields.c
 *
 * The table (cql_fields[], NULL-terminated) goes into the protocol's
 * registry entry (src/proto/registry.h).
 *
 * X(id, name, KIND, flags, meaning[, .member = value ...]): the optional
 * tail sets further members (.values, .derive, .also, .occurrences).
 * Decoders then write msg_add_uint(m, &hf_cql_stream, v): a name that is
 * in no table cannot be emitted (it does not compile).
 */
#ifndef TAPLINE_FIELD_H
#define TAPLINE_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum field_kind {
	FIELD_UINT,	/* u: unsigned integer, shown in decimal */
	FIELD_HEX,	/* u: unsigned integer, shown as 0x... */
	FIELD_INT,	/* i: signed integer */
	FIELD_BOOL,	/* u: 0 or 1 */
	FIELD_STR,	/* text (arena), shown C-escaped */
	FIELD_BYTES,	/* bytes (arena), shown as hex */
	FIELD_GFID,	/* 16 bytes (arena), shown as a UUID */
	FIELD_TIME,	/* t: seconds (signed) + nanoseconds */
	FIELD_ENUM,	/* u: value with a name in text (static) */
	FIELD_ERRNO,	/* i: errno value with its name in text (static) */
	FIELD_FLAGS,	/* u: bit set with names in text (arena) */
	FIELD_TREE,	/* opens a subtree; text is its label (arena) */
	FIELD_TREE_END,	/* closes the innermost subtree (no def) */
	FIELD_ADDR,	/* an IP address as text (arena), shown as is, and
			 * in v.addr */
	FIELD_KINDS
};

/* "uint", "hex", ... as -G fields and docs/fields.md name the kinds. */
const char *field_kind_name(unsigned kind);

/* A value and its name, for ENUM fields (-G values, and later -Y
 * checking names). */
struct value_name {
	uint64_t value;
	const char *name;
};

struct message;
struct field;

/* What a derived field may need beyond the message. */
struct field_context {
	const int64_t *time_base;	/* frame.time_relative counts from
					 * here; NULL: that field is absent */
};

struct field_def {
	const char *name;		/* "glusterfs.gfid" */
	uint8_t kind;			/* enum field_kind */
	uint16_t flags;			/* FIELD_DEF_* */
	const char *meaning;		/* one line, for -G fields and docs */
	const struct value_name *values;/* ENUM names, NULL-named end; NULL */
	/* Other kinds some occurrences have (1u << FIELD_x bits): a 4.x
	 * dict value keeps its type; a value whose wire type differs
	 * between program versions.  0 for nearly every field. */
	uint16_t also;
	/* Derived fields are computed from the message (its header, its
	 * exchange, its protocol's proto_header) rather than looked up in
	 * its field list: out gets the value (bytes, if any, in buf).
	 * false: the message has none (at that index).  A derived field
	 * may also be stored (rpc.replystat): -V and JSON show the stored
	 * occurrences, -e and -Y the derived one. */
	bool (*derive)(const struct message *m, const struct field_context *ctx,
		       unsigned index, struct field *out, uint8_t *buf,
		       size_t buflen);
	uint8_t occurrences;	/* derived: indices 0..n-1 (0 means 1):
				 * ip.addr is source then destination */
};

#define FIELD_DEF_HEADER 1	/* complete when the decoder decodes the
				 * header only (decoder_options.header_only) */
#define FIELD_DEF_PER_PACKET 2	/* a packet-level name (tcp.len): usable
				 * by -Y, filled once packets are messages */
#define FIELD_DEF_IPV4 4	/* ADDR: IPv4 addresses only (-Y refuses */
#define FIELD_DEF_IPV6 8	/* an IPv6 value, and the other way) */

/* The X-macro helpers. */
#define FIELD_DEF_EXTERN_(id, name, KIND, flags, meaning, ...) \
	extern const struct field_def hf_##id;
#define FIELD_DEF_OBJECT_(id, name_, KIND, flags_, meaning_, ...)          \
	const struct field_def hf_##id = {                                 \
		.name = name_, .kind = FIELD_##KIND, .flags = (flags_),    \
		.meaning = meaning_, __VA_ARGS__                           \
	};
#define FIELD_DEF_POINTER_(id, ...) &hf_##id,

/* In fields.h: the hf_* objects and the table, declared. */
#define FIELD_TABLE_DECLARE(table, LIST)                                   \
	LIST(FIELD_DEF_EXTERN_)                                            \
	extern const struct field_def *const table[];

/* In fields.c: the objects and the table (in list order, NULL ends it). */
#define FIELD_TABLE_DEFINE(table, LIST)                                    \
	LIST(FIELD_DEF_OBJECT_)                                            \
	const struct field_def *const table[] = {                          \
		LIST(FIELD_DEF_POINTER_) NULL                              \
	};

/* A derive function's head, so that tables' files declare them alike:
 *	FIELD_DERIVE(cql_derive_stream) { f->kind = ...; return ...; } */
#define FIELD_DERIVE(fn)                                                   \
	static bool fn(const struct message *m,                            \
		       const struct field_context *ctx, unsigned index,    \
		       struct field *f, uint8_t *buf, size_t buflen)

/* Kind bits for .also */
#define FIELD_KIND_BIT(KIND) (1u << FIELD_##KIND)

/* The name of value v in def's values, or NULL. */
const char *field_value_name(const struct field_def *def, uint64_t v);

#endif
