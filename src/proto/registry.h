/* registry.h - the one list of protocols tapline knows: their names (the
 * filter words of -Y and the prefixes of their fields), their labels
 * (the protocol column), their field tables, and how they are found on
 * the wire.  Renderers, the -Y compiler, -e, -G, the statistics and the
 * correlator read protocols only through this list.
 *
 * Adding a protocol: its folder (src/proto/NAME/: decoders, fields.h
 * with its X-macro list, a `struct protocol NAME_protocol` entry) and
 * one line in registry.c.
 */
#ifndef TAPLINE_REGISTRY_H
#define TAPLINE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/field.h"

struct protocol {
	const char *name;	/* filter word, field prefix: "glusterfs" */
	const char *label;	/* summary column: "GlusterFS" */
	const char *meaning;	/* one line, for -G protocols */
	const struct field_def *const *fields;	/* its table, NULL-ended */
	/* Other filter words its fields use as prefix ("gluster",
	 * "glusterd"), NULL-ended; NULL: none. */
	const char *const *words;
};

/* The protocols, NULL-ended, in the order -G lists them. */
extern const struct protocol *const protocols[];

/* The protocol a filter word names: its name, one of its words, or its
 * label (any case); NULL if none. */
const struct protocol *protocol_find(const char *word);

/* The definition of a field name, from every table; NULL if none. */
const struct field_def *field_find(const char *name);

/* The protocol whose table holds def; NULL if none. */
const struct protocol *field_protocol(const struct field_def *def);

/* The known field name or protocol word nearest to word (by edit
 * distance, for "did you mean"); NULL when none is near. */
const char *registry_nearest(const char *word);

/* Whether every stored field of m has its definition from a registered
 * table and one of that definition's kinds; false with the first
 * culprit in why.  (Tests and fuzz harnesses call it on every message.) */
struct message;
bool registry_check_message(const struct message *m, char *why,
			    size_t len);

/* Whether the tables are sound: every name unique and named with its
 * protocol's name or words, a meaning for each, and derive functions
 * only where occurrences are computed; false with why. */
bool registry_check_tables(char *why, size_t len);

#endif
