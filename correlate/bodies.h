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
 * Those bytes are kept compressed (LZ4) where that makes them smaller:
 * then messages.wire_dictionary names a row of wire_dictionaries, whose
 * bytes are the records that came before it in the capture (the last
 * WIRE_DICTIONARY_BYTES; a new one every WIRE_DICTIONARY_ROWS records),
 * and wire holds a varint, the length of the bytes above, then their LZ4
 * block compressed against that dictionary.  Records of one capture
 * repeat each other (the same identifiers, dictionary keys and XDR
 * padding, message after message): a tenth of their size, each row still
 * readable alone.
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

/* The dictionaries of a capture's records: the records' last bytes
 * before it, renewed every so many records. */
#define WIRE_DICTIONARY_BYTES 65536
#define WIRE_DICTIONARY_ROWS 8192
/* A record longer than this is kept as it is. */
#define WIRE_PACK_MAX (1u << 20)

/* Packs the wire column's bytes of a capture's records, one after the
 * other, against dictionaries made from the records before them. */
struct wire_packer;
struct wire_packer *wire_packer_new(void);
void wire_packer_free(struct wire_packer *p);
size_t wire_packer_bytes(void);		/* what one takes */
/* When a new dictionary is due (before the next record): its bytes, to
 * be stored, and from now on the one the records are packed against
 * (*len its length); else NULL. */
const uint8_t *wire_packer_renew(struct wire_packer *p, size_t *len);
/* Writes the wire column of one record (raw: what bodies_wire_encode()
 * made) to out, which has room for raw_len bytes; returns its length,
 * and sets *packed when it is compressed against the dictionary (else
 * it is raw's bytes as they are). */
size_t wire_packer_pack(struct wire_packer *p, uint8_t *out,
			const uint8_t *raw, size_t raw_len, bool *packed);

/* What a row says about its record, besides the wire bytes. */
struct body_row {
	const uint8_t *wire;	/* messages.wire */
	size_t wire_len;
	bool packed;		/* wire_dictionary set: wire is compressed */
	const uint8_t *dict;	/* that dictionary's bytes (NULL: none) */
	size_t dict_len;
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
