/* resolve.h - field names and protocol words resolved once, through the
 * registry's tables, and looked up per message: the one resolution the
 * renderers (-e), the -Y filter and the statistics share.
 *
 * A field is either derived (its definition computes it from the
 * message: frame.number, ip.src, rpc.xid, ...) or stored in the
 * message's field list, where it may occur several times.  A protocol
 * word (rpc, glusterfs, tcp, ...) is present in a message whose protocol
 * column it names or which has a field named with it (word.*).
 */
#ifndef TAPLINE_RESOLVE_H
#define TAPLINE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/message.h"

struct field_ref {
	const char *name;		/* as given (not copied) */
	const struct field_def *def;	/* NULL: no such field */
	struct field_context ctx;	/* frame.time_relative's base */
};

/* Resolves name; false (def NULL) when no table has it. */
bool field_ref_init(struct field_ref *ref, const char *name);

/* Calls fn for each occurrence of the field in m, in order, with a
 * field that may be synthesized (derived names; its bytes, if any, are
 * in `bytes`).  fn returns false to stop.  Returns the number of
 * occurrences visited. */
typedef bool (*field_visit_fn)(void *user, const struct field *f,
			       const uint8_t *bytes);
unsigned field_ref_visit(const struct message *m, const struct field_ref *ref,
			 field_visit_fn fn, void *user);

/* The first occurrence of the field in m into *out, for its value
 * (numbers, times: a derived field's bytes are gone); false when m has
 * none. */
bool field_ref_first(const struct message *m, const struct field_ref *ref,
		     struct field *out);

/* A protocol word as -Y tests it. */
#define WORD_MAX_DERIVED 32
struct word_ref {
	const char *word;		/* as given (not copied) */
	size_t len;
	const struct protocol *proto;	/* NULL: no such protocol */
	/* its derived fields (word.*), tried in turn */
	const struct field_def *derived[WORD_MAX_DERIVED];
	unsigned nderived;
	bool in_header;			/* decided by the header alone */
};

/* Resolves word; false (proto NULL) when no protocol has it. */
bool word_ref_init(struct word_ref *ref, const char *word);
bool word_present(const struct message *m, const struct word_ref *ref);

/* True when the name (a field or a protocol word) is complete in a
 * message decoded header-only (decoder_options.header_only): fields
 * marked FIELD_DEF_HEADER, and the words whose presence a header field
 * decides (frame, tapline, ip, ipv6, tcp, rpc). */
bool name_in_header(const char *name);

#endif
