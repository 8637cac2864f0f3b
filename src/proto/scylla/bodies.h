/* bodies.h - the data of ScyllaDB's verbs (docs/scylla.md, "Bodies"):
 * ScyllaDB's IDL serializer read field by field into the message.
 */
#ifndef TAPLINE_SCYLLA_BODIES_H
#define TAPLINE_SCYLLA_BODIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/message.h"

enum scylla_body_kind {
	SCYLLA_BODY_REQUEST,
	SCYLLA_BODY_RESPONSE,	/* of a request with `verb` */
	SCYLLA_BODY_STREAM,	/* a stream frame's data */
};

/* Decodes body[0..kept) (of body_len bytes on the wire: elided when
 * more) as the data of `verb`'s request or response.  Marks the message
 * malformed when the bytes contradict the IDL, not decoded when tapline
 * does not read this verb's data (or, for a response, its request was
 * not seen: has_verb false). */
void scylla_decode_body(struct message *m, enum scylla_body_kind kind,
			bool has_verb, uint64_t verb, const uint8_t *body,
			size_t kept, uint64_t body_len);

/* The exception's type (0 USER, 1 UNKNOWN_VERB; -1 when its 4 bytes
 * were not kept) and its name (static, NULL if unknown), read even when
 * the body is not decoded: it is the exchange's status. */
int64_t scylla_exception_type(const uint8_t *body, size_t kept,
			      const char **name);

/* The exception's data (type, len, payload) into fields; a summary word
 * for the message (static). */
const char *scylla_decode_exception(struct message *m, const uint8_t *body,
				    size_t kept, uint64_t body_len);

/* A UUID's wire form (msb i64 LE, lsb i64 LE) as its 16 bytes in text
 * order. */
void scylla_uuid_bytes(const uint8_t wire[16], uint8_t out[16]);

#endif
