/* rpc.h - ONC-RPC (RFC 5531) messages: the call/reply header, the
 * credentials, call/reply matching per connection, and the programs and
 * credential flavours that protocols carried by ONC-RPC register.
 *
 * ONC-RPC names no program: a protocol it carries (GlusterFS) says in its
 * registry entry (src/proto/registry.h: .carrier = &rpc_protocol,
 * .carried = a struct rpc_registration) which programs and flavours are
 * its.  Programs are tables, {program, version} -> rows of {procedure,
 * NAME, call decoder, reply decoder}, found by number, never by port; a
 * message of a registered program gets that protocol's entry (its label
 * in the protocol column).  A reply is decoded with the program, version
 * and procedure of the call it answers (matched by XID within the
 * connection), and gets the call's frame and the latency in its
 * exchange.
 */
#ifndef TAPLINE_RPC_H
#define TAPLINE_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/cursor.h"
#include "base/message.h"
#include "base/waiting.h"
#include "proto/registry.h"
#include "wire/stream.h"

struct rpc_proc;

/* A body decoder reads the procedure's arguments or results from c into
 * m (fields and the info summary).  It need not check the cursor: the
 * caller turns a failed cursor into the message's verdict. */
typedef void (*rpc_body_fn)(struct message *m, struct cursor *c,
			    const struct rpc_proc *proc);

struct rpc_proc {
	const char *name;	/* "SETATTR"; NULL: no such procedure */
	rpc_body_fn call;	/* NULL: body not decoded */
	rpc_body_fn reply;
	const void *arg;	/* data for decoders shared by procedures */
};

struct rpc_program {
	uint32_t number, version;
	const char *name;	/* the exchange's service: "GF-HNDSK" */
	const char *tag;	/* first word of the summary, "V400", "GF-HNDSK" */
	const struct field_def *proc_field;	/* Wireshark's name for
						 * the procedure */
	const struct rpc_proc *procs;
	uint32_t nprocs;
	bool server_calls;	/* its calls go server -> client (callbacks):
				 * a call does not tell who the client is */
};

/* A credential flavour a carried protocol defines: its name, and the
 * decoder of its body (the cursor holds the body only). */
struct rpc_flavor {
	uint32_t number;
	const char *name;	/* "AUTH_GLUSTERFS-v2"; NULL ends a list */
	void (*decode)(struct message *m, struct cursor *c, uint32_t number);
};

/* What a protocol registers into ONC-RPC (its registry entry's
 * .carried). */
struct rpc_registration {
	const struct rpc_program *const *programs;	/* NULL-ended */
	const struct rpc_flavor *flavors;	/* name NULL ends; or NULL */
};

/* ONC-RPC's registry entry. */
struct protocol;
extern const struct protocol rpc_protocol;

/* {program, version} -> table, NULL if no registered protocol has it;
 * *proto (may be NULL) gets the protocol that registered it. */
const struct rpc_program *rpc_find_program(uint32_t number, uint32_t version,
					   const struct protocol **proto);

/* The procedure's row, NULL if the program has no such procedure. */
const struct rpc_proc *rpc_find_proc(const struct rpc_program *prog,
				     uint32_t proc);

/* Body decoder for procedures whose arguments or results are empty. */
/* The program names of rpc.program and the procedure names of
 * rpc.procedure and of each program's procedure field, from the
 * registered programs (the registry entry's value_names). */
void rpc_value_names(const struct field_def *def,
		     void (*fn)(void *user, uint64_t value, const char *name),
		     void *user);

void rpc_body_empty(struct message *m, struct cursor *c,
		    const struct rpc_proc *proc);

/* Auth flavours of RFC 5531. */
enum {
	RPC_AUTH_NULL = 0,
	RPC_AUTH_UNIX = 1,
	RPC_AUTH_SHORT = 2,
};
#define RPC_MAX_AUTH_BYTES 400

/* The caller's groups, gids<max> (AUTH_UNIX and others' layouts). */
void rpc_auth_groups(struct message *m, struct cursor *c, uint32_t max);

/* The header facts of an ONC-RPC message, in m->proto_header (read
 * through rpc_header(); derived fields and views read them). */
enum rpc_header_word {
	RPC_H_VALID,		/* 1: xid and message type were read */
	RPC_H_XID,
	RPC_H_TYPE,		/* RPC_CALL, RPC_REPLY, RPC_OTHER */
	RPC_H_REPLY_STATE,	/* replies: 0 accepted, 1 denied */
	RPC_H_ACCEPT_STATE,	/* accepted replies: 0 success, ... */
	RPC_H_FLAGS,		/* RPC_FROM_SERVER */
	RPC_H_PROGRAM,		/* the words from here on are the program's
				 * protocol's (GlusterFS: its result) */
};
#define RPC_FROM_SERVER 1	/* a call of a program whose calls go server
				 * -> client: it does not tell the roles */
enum rpc_type { RPC_CALL = 0, RPC_REPLY = 1, RPC_OTHER = 2 };

/* Sets the header of an ONC-RPC message: xid and type, and the
 * exchange's id and kind (rpc_decode does it from the bytes; tests build
 * messages with it). */
void rpc_set_header(struct message *m, uint32_t xid, enum rpc_type type);

/* Whether m is an ONC-RPC message whose xid and type were read (of
 * ONC-RPC or a protocol it carries).  Inline: every derived rpc.* field
 * asks. */
static inline bool rpc_message(const struct message *m)
{
	const struct protocol *p = m->proto;
	return m->proto_header[RPC_H_VALID] && p &&
	       (p == &rpc_protocol || p->carrier == &rpc_protocol);
}

static inline uint64_t rpc_header(const struct message *m,
				  enum rpc_header_word w)
{
	return m->proto_header[w];
}

/* The views of the RPC header: -V lines, and the members of -T json's
 * "rpc" object (rpc_json_members; rpc_json_head wraps them), for the
 * protocols it carries to use in theirs. */
struct view;
void rpc_tree_head(const struct message *m, struct view *v);
void rpc_json_members(const struct message *m, struct view *v);
void rpc_json_head(const struct message *m, struct view *v);

/* Per-connection state (stream_dir.conn_state): the calls not answered
 * yet, in a table of waiting requests (base/waiting.h) keyed by XID and
 * the direction they were sent in, with program, version and procedure
 * as the payload.  Its memory is the decoder's budget's: when that is
 * reached the oldest calls of all connections expire first. */
struct rpc_conn {
	struct waiting_table calls;
	uint64_t ncalls, replies, orphan_replies;
	unsigned closed;	/* directions closed (rpc_record.c) */
};

/* A connection whose calls wait in set (NULL: no matching).  A zeroed
 * rpc_conn matches nothing either. */
void rpc_conn_init(struct rpc_conn *conn, struct waiting_set *set,
		   uint64_t conversation);

/* Forgets the calls still waiting; returns how many there were: the
 * unanswered calls of the connection, once it is closed. */
uint64_t rpc_conn_free(struct rpc_conn *conn);

/* Calls still waiting for a reply. */
uint64_t rpc_conn_unanswered(const struct rpc_conn *conn);

/* Where a record came from and how much of it there is. */
struct rpc_record_info {
	uint8_t direction;	/* 0 or 1: which direction of the connection
				 * (any stable choice; a reply matches a call
				 * sent the other way) */
	size_t length;		/* the whole record on the wire */
	bool elided;		/* kept only a head of it (MSG_ELIDED) */
	bool truncated;		/* bytes of it are missing (MSG_TRUNCATED) */
	uint64_t frame;		/* frame where it completed */
	int64_t ts_ns;
};

/* Decodes one record (rec[0..kept)) into m, whose frame and endpoint
 * header the caller has filled.  conn may be NULL (no matching). */
void rpc_decode(struct rpc_conn *conn, struct message *m,
		const uint8_t *rec, size_t kept,
		const struct rpc_record_info *info);

/* Does p[0..len) begin with an RPC call to a known program and version
 * with a known procedure, or with a successful reply?  MAYBE when it needs
 * more bytes.  Reads only p[0..len). */
enum detect_verdict rpc_detect_header(const uint8_t *p, size_t len);

#endif
