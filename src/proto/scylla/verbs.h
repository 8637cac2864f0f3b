/* verbs.h - ScyllaDB's messaging verbs with today's numbering
 * (message/messaging_service.hh, 0-93) and what the IDL says of each:
 * one-way or answered, with a timeout or not, and the connection class
 * (docs/scylla.md, "Verbs").
 */
#ifndef TAPLINE_SCYLLA_VERBS_H
#define TAPLINE_SCYLLA_VERBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/field.h"

#define SCYLLA_VERB_COUNT 94	/* messaging_verb::LAST */

enum scylla_verb_flag {
	SCYLLA_VERB_ONE_WAY = 1,	/* no response is ever sent */
	SCYLLA_VERB_TIMEOUT = 2,	/* [[with_timeout]] */
	SCYLLA_VERB_UNUSED = 4,		/* number kept for compatibility */
};

/* The connection class a verb travels on (do_get_rpc_client_idx), which
 * is also what the ISOLATION cookie of the connection names. */
enum scylla_conn_class {
	SCYLLA_CLASS_NONE = 0,		/* no cookie, or not known */
	SCYLLA_CLASS_GOSSIP,		/* "gossip" */
	SCYLLA_CLASS_STREAMING,		/* "streaming" */
	SCYLLA_CLASS_STATEMENT,		/* "statement:<tenant>" */
	SCYLLA_CLASS_STATEMENT_ACK,	/* "statement-ack:<tenant>" */
	SCYLLA_CLASS_FORWARD,		/* "forward:<tenant>" (mapreduce) */
	SCYLLA_CLASS_OTHER,		/* a cookie of another kind */
};

/* Some verbs by number, for the body decoders. */
enum scylla_verb_number {
	SCYLLA_CLIENT_ID = 0,
	SCYLLA_MUTATION = 1,
	SCYLLA_MUTATION_DONE = 2,
	SCYLLA_READ_DATA = 3,
	SCYLLA_READ_MUTATION_DATA = 4,
	SCYLLA_READ_DIGEST = 5,
	SCYLLA_GOSSIP_DIGEST_SYN = 6,
	SCYLLA_GOSSIP_DIGEST_ACK = 7,
	SCYLLA_GOSSIP_DIGEST_ACK2 = 8,
	SCYLLA_GOSSIP_ECHO = 9,
	SCYLLA_GOSSIP_SHUTDOWN = 10,
	SCYLLA_MUTATION_FAILED = 24,
	SCYLLA_STREAM_MUTATION_FRAGMENTS = 25,
	SCYLLA_PAXOS_PREPARE = 39,
	SCYLLA_PAXOS_ACCEPT = 40,
	SCYLLA_PAXOS_LEARN = 41,
	SCYLLA_HINT_MUTATION = 42,
	SCYLLA_PAXOS_PRUNE = 43,
	SCYLLA_GOSSIP_GET_ENDPOINT_STATES = 44,
};

struct scylla_verb_info {
	const char *name;	/* "MUTATION", "UNUSED__DEFINITIONS_UPDATE" */
	uint8_t flags;		/* enum scylla_verb_flag */
	uint8_t conn_class;	/* enum scylla_conn_class */
};

/* scylla.verb's value names, NULL-named end */
extern const struct value_name scylla_verb_values[];

/* The verb's entry; NULL for a number past 93 (a newer node's verb). */
const struct scylla_verb_info *scylla_verb(uint64_t verb);

/* The verb's name, or NULL when unknown. */
const char *scylla_verb_name(uint64_t verb);

/* The class an ISOLATION cookie names ("statement:default" ->
 * STATEMENT); len 0 -> NONE. */
enum scylla_conn_class scylla_cookie_class(const char *cookie, size_t len);
const char *scylla_conn_class_name(unsigned conn_class);

#endif
