/* types.h - CQL data types: the [option] type specifications of Rows and
 * Prepared metadata, and every cell formatted by its type.
 *
 * A result's column types are parsed into one tree of nodes (pre-order:
 * a node's first child follows it, siblings are linked), bounded in nodes
 * and depth so a hostile metadata block cannot grow it.  Names inside the
 * tree (custom class names, UDT keyspace/name/field names) point into the
 * bytes parsed and live as long as those bytes do.
 *
 * Cells are written the way CQL writes literals: 'text' (quoted inside
 * collections, bare at the top), 0x blobs, true/false, ISO 8601 times
 * (2024-02-29T12:34:56.789Z, 2024-02-29, 12:34:56.789012345), durations
 * (1y2mo3d4h5m6s7ms8us9ns), [list], {set}, {key: value}, (tuple),
 * {field: value}; null is null, an empty value of a fixed-size type is
 * <empty>, a custom type's bytes are 0x hex.
 */
#ifndef TAPLINE_CQL_TYPES_H
#define TAPLINE_CQL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/cursor.h"
#include "proto/cql/notation.h"

enum cql_type_id {
	CQL_TYPE_CUSTOM = 0x00, CQL_TYPE_ASCII = 0x01, CQL_TYPE_BIGINT = 0x02,
	CQL_TYPE_BLOB = 0x03, CQL_TYPE_BOOLEAN = 0x04, CQL_TYPE_COUNTER = 0x05,
	CQL_TYPE_DECIMAL = 0x06, CQL_TYPE_DOUBLE = 0x07, CQL_TYPE_FLOAT = 0x08,
	CQL_TYPE_INT = 0x09, CQL_TYPE_TEXT = 0x0a /* v1 only */,
	CQL_TYPE_TIMESTAMP = 0x0b, CQL_TYPE_UUID = 0x0c, CQL_TYPE_VARCHAR = 0x0d,
	CQL_TYPE_VARINT = 0x0e, CQL_TYPE_TIMEUUID = 0x0f, CQL_TYPE_INET = 0x10,
	CQL_TYPE_DATE = 0x11, CQL_TYPE_TIME = 0x12, CQL_TYPE_SMALLINT = 0x13,
	CQL_TYPE_TINYINT = 0x14, CQL_TYPE_DURATION = 0x15,
	CQL_TYPE_LIST = 0x20, CQL_TYPE_MAP = 0x21, CQL_TYPE_SET = 0x22,
	CQL_TYPE_UDT = 0x30, CQL_TYPE_TUPLE = 0x31,
};

#define CQL_TYPE_MAX_NODES 1024
#define CQL_TYPE_MAX_DEPTH 16
#define CQL_TYPE_NONE 0xffff

struct cql_type_node {
	uint16_t id;		/* enum cql_type_id */
	uint16_t first_child;	/* CQL_TYPE_NONE when none */
	uint16_t next_sibling;	/* CQL_TYPE_NONE when last */
	uint16_t nchildren;
	struct cql_span name;	/* custom: class name; UDT: its name;
				 * a UDT's child: the field name */
	struct cql_span keyspace;	/* UDT */
};

struct cql_type_tree {
	unsigned n;
	bool overflow;		/* more nodes or depth than the bounds */
	struct cql_type_node nodes[CQL_TYPE_MAX_NODES];
};

static inline void cql_type_tree_reset(struct cql_type_tree *t)
{
	t->n = 0;
	t->overflow = false;
}

/* Reads one [option] type spec; returns its root node or CQL_TYPE_NONE
 * (the cursor says why: MALFORMED for an unknown type id, TRUNCATED; the
 * tree's overflow flag when the bounds were hit, the cursor then moved
 * past the spec as far as it could be read). */
uint16_t cql_type_parse(struct cursor *c, struct cql_type_tree *t);

/* "int", "list<int>", "map<varchar, int>", "lab.address",
 * "'org.apache...'"; returns the length written (NUL-terminated). */
size_t cql_type_name(const struct cql_type_tree *t, uint16_t node, char *out, size_t cap);

/* Formats one cell (a [bytes] value: len < 0 is null) of type node for
 * protocol version (collections use [short] lengths before v3).  Writes
 * at most cap - 1 bytes and a NUL; a value cut by cap ends in "...".
 * Returns the length written; *why gets a static reason when the value
 * does not fit its type (then the cell is shown as 0x hex), else NULL. */
size_t cql_format_cell(const struct cql_type_tree *t, uint16_t node, const uint8_t *v,
		       int32_t len, unsigned version, char *out, size_t cap, const char **why);

/* The same for a cell whose type is unknown (no metadata): 0x hex. */
size_t cql_format_bytes(const uint8_t *v, int32_t len, char *out, size_t cap);

/* Calendar helpers, exported for their tests. */
size_t cql_format_timestamp_ms(int64_t ms, char *out, size_t cap);
size_t cql_format_date_days(int64_t days_since_epoch, char *out, size_t cap);
/* Two's complement big-endian integer of any length in decimal. */
size_t cql_format_varint(const uint8_t *p, size_t n, char *out, size_t cap);

#endif
