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
#include <stdio.h>

#include "base/field.h"

struct message;
struct view;
struct stream_proto;
struct decoder_options;

/* What a message may tell the correlator about the process behind its
 * connection (GlusterFS: SETVOLUME's process-uuid names the client's
 * pid and host).  Pointers are into the message or into id. */
struct process_hint {
	int64_t pid;		/* > 0 */
	char id[512];		/* the identity text as sent, cut to fit */
	size_t id_len;
	const char *host;	/* in id; NULL when not said */
	size_t host_len;
	const char *name;	/* the process's name; NULL when not said */
	size_t name_len;
	const char *method;	/* static: how it was learnt, "process-uuid" */
};

/* An option of a protocol (tshark's preferences), set before decoding:
 * tapline decode -o PROTO.NAME:VALUE (and --keyring FILE for every
 * protocol with a "keyring" option). */
struct protocol_option {
	const char *name;	/* "keyring" */
	const char *arg;	/* what the value is: "FILE" */
	const char *meaning;	/* one line, for --help and -G protocols */
	/* Sets it; false with why in err. */
	bool (*set)(const char *value, char *err, size_t errlen);
};

struct protocol {
	const char *name;	/* filter word, field prefix: "glusterfs" */
	const char *label;	/* summary column: "GlusterFS" */
	const char *meaning;	/* one line, for -G protocols */
	const struct field_def *const *fields;	/* its table, NULL-ended */
	/* Other filter words its fields use as prefix ("gluster",
	 * "glusterd"), NULL-ended; NULL: none. */
	const char *const *words;

	/* How it is found and framed over TCP (detect, feed, ...); NULL
	 * when another protocol carries it. */
	const struct stream_proto *stream;
	/* The protocol that carries it (GlusterFS: ONC-RPC), and what it
	 * registers there (for ONC-RPC: a struct rpc_registration, its
	 * programs and credential flavours); NULL for none.  Its fields may
	 * also be named with the carrier's name (rpc.auth.pid). */
	const struct protocol *carrier;
	const void *carried;

	/* Optional: its header in -V (head: the lines before the summary
	 * line; lead: lines between the summary line and the fields) and
	 * in -T json (an object of its own), through src/base/view.h. */
	void (*tree_head)(const struct message *m, struct view *v);
	void (*tree_lead)(const struct message *m, struct view *v);
	void (*json_head)(const struct message *m, struct view *v);

	/* Optional: what the correlator may learn from a message about the
	 * process behind its connection; false when nothing. */
	bool (*connection_process)(const struct message *m,
				   struct process_hint *out);
	/* Optional: its options, ended by one without a name. */
	const struct protocol_option *options;

	/* Optional: names of values that no table's .values holds, for
	 * fields of its own or of the protocols it carries (ONC-RPC: the
	 * procedure names of the programs registered into it).  Calls fn
	 * with each (value, name) of def. */
	void (*value_names)(const struct field_def *def,
			    void (*fn)(void *user, uint64_t value,
				       const char *name),
			    void *user);
};

/* Sets a protocol's option from "PROTO.NAME:VALUE"; false with why in
 * err (no such protocol or option: the names it has; a bad value: the
 * option's own reason). */
bool registry_set_option(const char *spec, char *err, size_t errlen);
/* Sets option NAME of every protocol that has one; false with why in err
 * when none has it or one refuses the value. */
bool registry_set_named_option(const char *name, const char *value,
			       char *err, size_t errlen);
/* The options, one "  -o PROTO.NAME:ARG  meaning" line each. */
void registry_print_options(FILE *out);

/* The protocols, NULL-ended, in the order -G lists them. */
extern const struct protocol *const protocols[];

/* Whether m is of protocol p or of a protocol p carries (an ONC-RPC
 * message: rpc, and GlusterFS's messages, which rpc carries). */
bool protocol_carries(const struct protocol *p, const struct message *m);

/* The stream protocols, in the order they are tried on a new
 * connection (NULL-ended; *n gets their number). */
const struct stream_proto *const *registry_stream_protocols(size_t *n);

/* decoder_default_options() with the registry's stream protocols: what
 * tapline decode and correlate decode with. */
void registry_decoder_options(struct decoder_options *opts);

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

/* Every named value of def: its table's .values, then what the
 * protocols' value_names hooks know.  Returns how many. */
unsigned registry_value_names(const struct field_def *def,
			      void (*fn)(void *user, uint64_t value,
					 const char *name),
			      void *user);

/* Whether every stored field of m has its definition from a registered
 * table and one of that definition's kinds, and its frames are in
 * order (it began no later than it ended; a response's request came
 * before it); false with the first culprit in why.  (Tests and fuzz
 * harnesses call it on every message.) */
struct message;
bool registry_check_message(const struct message *m, char *why,
			    size_t len);

/* Whether the tables are sound: every name unique and named with its
 * protocol's name or words, a meaning for each, and derive functions
 * only where occurrences are computed; false with why. */
bool registry_check_tables(char *why, size_t len);

#endif
