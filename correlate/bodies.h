/* bodies.h - message bodies of the timeline, stored compact and rendered
 * on demand.
 *
 * An ONC-RPC (and GlusterFS) row keeps the record the decoder decoded in
 * messages.wire (a BLOB: one varint, the decoder's connection number,
 * then the record's bytes as kept); its body JSON -- the same object as
 * `tapline decode -T json` prints -- is made again from those bytes when
 * asked, by decoding the record (a reply after the record of its
 * request, which names its program and procedure).  Rows of the other
 * protocols, and rows of older timelines, keep their JSON in
 * messages.body.
 *
 * SQL functions, registered on a connection by
 * timeline_register_functions():
 *   tapline_body(ID)          the message's body JSON; NULL for no row
 *   tapline_field(ID, NAME)   the value of the message's first field NAME
 *                             ('glusterfs.ia_atime'), as json_extract()
 *                             of that field's "value" gives it; NULL when
 *                             the message has none
 * `tapline correlate`, `tapline diagnose`, `tapline sql` and the loadable
 * extension (sqlite3's .load) share them.
 */
#ifndef TAPLINE_BODIES_H
#define TAPLINE_BODIES_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Registers the functions on db; SQLITE_OK or an SQLite error code.
 * keep_statements: the functions keep their statements prepared between
 * calls, and the caller calls timeline_release_functions(db) before it
 * closes db (else sqlite3_close() refuses); false: they prepare them for
 * each call (a connection the caller does not close itself). */
int timeline_register_functions(sqlite3 *db, bool keep_statements);
void timeline_release_functions(sqlite3 *db);

/* The wire column's bytes of a record: the connection number as a
 * varint, then rec[0..kept).  Returns the bytes written to out, which has
 * room for BODIES_WIRE_HEAD + kept. */
#define BODIES_WIRE_HEAD 10
size_t bodies_wire_encode(uint8_t *out, uint64_t stream,
			  const uint8_t *rec, size_t kept);

/* What a row says about its record, besides the wire bytes. */
struct body_row {
	const uint8_t *wire;	/* messages.wire */
	size_t wire_len;
	int64_t frame, first_frame, ts_ns;
	const char *src, *dst;	/* 'addr:port', '[v6]:port' */
	int64_t length;
	const char *verdict;	/* NULL or 'truncated,after-gap,...' */
};

/* Renders the JSON of a stored record: `row` the message, `request` its
 * request (a response's; NULL for none).  Bytes from the database are
 * hostile: every read is bounded, and bad bytes make a message whose
 * verdict says so.  Returns the JSON's length in *json (owned by the
 * renderer, valid until the next call), 0 when the row holds no record
 * or memory ran out. */
struct body_renderer;
struct body_renderer *body_renderer_new(void);
void body_renderer_free(struct body_renderer *r);
size_t body_render(struct body_renderer *r, const struct body_row *row,
		   const struct body_row *request, const char **json);

#endif
