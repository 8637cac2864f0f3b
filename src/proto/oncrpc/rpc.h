/* rpc.h - ONC-RPC (RFC 5531) messages: the call/reply header, the
 * credential flavours GlusterFS uses, call/reply matching per connection,
 * and the table of programs the decoder knows.
 *
 * Programs are tables, {program, version} -> rows of {procedure, NAME,
 * call decoder, reply decoder}; programs are found by number, never by
 * port.  A reply is decoded with the program, version and procedure of
 * the call it answers (matched by XID within the connection), and gets
 * call_frame and latency_ns.
 */
#ifndef TAPLINE_RPC_H
#define TAPLINE_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/cursor.h"
#include "base/message.h"
#include "base/waiting.h"
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
	const char *name;	/* message program_name, "GlusterFS", "GF-HNDSK" */
	const char *tag;	/* first word of the summary, "V400", "GF-HNDSK" */
	const struct field_def *proc_field;	/* Wireshark's name for
						 * the procedure */
	const struct rpc_proc *procs;
	uint32_t nprocs;
};

/* The programs of gluster_fops.c and gluster_mgmt.c. */
extern const struct rpc_program gluster_fop_v330_program;
extern const struct rpc_program gluster_fop_v400_program;
extern const struct rpc_program *const gluster_mgmt_programs[];

/* {program, version} -> table, NULL if unknown. */
const struct rpc_program *rpc_find_program(uint32_t number,
					   uint32_t version);

/* The procedure's row, NULL if the program has no such procedure. */
const struct rpc_proc *rpc_find_proc(const struct rpc_program *prog,
				     uint32_t proc);

/* Body decoder for procedures whose arguments or results are empty. */
void rpc_body_empty(struct message *m, struct cursor *c,
		    const struct rpc_proc *proc);

/* Auth flavours (RFC 5531 and GlusterFS's rpc/rpc-lib/src/xdr-rpc.h). */
enum {
	RPC_AUTH_NULL = 0,
	RPC_AUTH_UNIX = 1,
	RPC_AUTH_SHORT = 2,
	RPC_AUTH_GLUSTERFS = 5,		/* fixed layout, 3.x */
	RPC_AUTH_GLUSTERFS_V2 = 390039,	/* groups<>, lk_owner<> */
	RPC_AUTH_GLUSTERFS_V3 = 390040,	/* + flags, ctime (4.x and later) */
};
#define RPC_MAX_AUTH_BYTES 400

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
