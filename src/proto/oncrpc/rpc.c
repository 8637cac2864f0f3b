/* rpc.c - ONC-RPC messages (RFC 5531): call and reply headers, the
 * credentials GlusterFS sends, and call/reply matching by XID.
 *
 *	call:  xid | 0 | rpcvers=2 | prog | vers | proc | cred | verf | args
 *	reply: xid | 1 | 0 MSG_ACCEPTED | verf | accept_stat | results...
 *	       xid | 1 | 1 MSG_DENIED   | reject_stat | ...
 *	cred, verf: flavor | opaque body<400>
 */
#include "rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "xdr.h"

/* ---- the program registry ---- */

const struct rpc_program *rpc_find_program(uint32_t number, uint32_t version)
{
	if (number == gluster_fop_v400_program.number) {
		if (version == gluster_fop_v400_program.version)
			return &gluster_fop_v400_program;
		if (version == gluster_fop_v330_program.version)
			return &gluster_fop_v330_program;
		return NULL;
	}
	for (const struct rpc_program *const *p = gluster_mgmt_programs; *p;
	     p++)
		if ((*p)->number == number && (*p)->version == version)
			return *p;
	return NULL;
}

const struct rpc_proc *rpc_find_proc(const struct rpc_program *prog,
				     uint32_t proc)
{
	if (!prog || proc >= prog->nprocs || !prog->procs[proc].name)
		return NULL;
	return &prog->procs[proc];
}

void rpc_body_empty(struct message *m, struct cursor *c,
		    const struct rpc_proc *proc)
{
	(void)m;
	(void)proc;
	if (cursor_left(c))
		cursor_malformed(c, "bytes where the procedure has none");
}

/* ---- per-connection calls waiting for replies ---- */

/* A waiting call keeps program, version and procedure as payload
 * u32[0..2]. */

void rpc_conn_init(struct rpc_conn *conn, struct waiting_set *set,
		   uint64_t conversation)
{
	memset(conn, 0, sizeof *conn);
	waiting_table_init(&conn->calls, set, conversation);
}

uint64_t rpc_conn_free(struct rpc_conn *conn)
{
	return conn ? waiting_table_close(&conn->calls) : 0;
}

uint64_t rpc_conn_unanswered(const struct rpc_conn *conn)
{
	return conn ? waiting_count(&conn->calls) : 0;
}

/* ---- credentials ---- */

static const char *flavor_name(uint32_t f)
{
	switch (f) {
	case RPC_AUTH_NULL: return "AUTH_NULL";
	case RPC_AUTH_UNIX: return "AUTH_UNIX";
	case RPC_AUTH_SHORT: return "AUTH_SHORT";
	case 3: return "AUTH_DES";
	case RPC_AUTH_GLUSTERFS: return "AUTH_GLUSTERFS";
	case 6: return "RPCSEC_GSS";
	case RPC_AUTH_GLUSTERFS_V2: return "AUTH_GLUSTERFS-v2";
	case RPC_AUTH_GLUSTERFS_V3: return "AUTH_GLUSTERFS-v3";
	}
	return NULL;
}

static void auth_groups(struct message *m, struct cursor *c, uint32_t max)
{
	uint32_t n = xdr_u32(c);
	if (n > max) {
		cursor_malformed(c, "credential with too many groups");
		return;
	}
	for (uint32_t i = 0; i < n && cursor_ok(c); i++)
		msg_add_uint(m, &hf_rpc_auth_gids, xdr_u32(c));
}

/* The credential body: AUTH_UNIX (RFC 5531), and GlusterFS's three
 * layouts from rpc/xdr/src/rpc-common-xdr.x and glusterfs4-xdr.x. */
static void decode_cred(struct message *m, struct cursor *c, uint32_t flavor)
{
	uint32_t len;
	switch (flavor) {
	case RPC_AUTH_UNIX: {
		msg_add_uint(m, &hf_rpc_auth_stamp, xdr_u32(c));
		const char *s = xdr_string(c, 255, &len);
		if (s)
			msg_add_str(m, &hf_rpc_auth_machinename, s, len);
		msg_add_uint(m, &hf_rpc_auth_uid, xdr_u32(c));
		msg_add_uint(m, &hf_rpc_auth_gid, xdr_u32(c));
		auth_groups(m, c, 16);
		break;
	}
	case RPC_AUTH_GLUSTERFS: {
		uint64_t owner = xdr_u64(c);
		msg_add_hex(m, &hf_rpc_auth_lk_owner, owner);
		msg_add_uint(m, &hf_rpc_auth_pid, xdr_u32(c));
		msg_add_uint(m, &hf_rpc_auth_uid, xdr_u32(c));
		msg_add_uint(m, &hf_rpc_auth_gid, xdr_u32(c));
		uint32_t n = xdr_u32(c);
		if (n > 16)
			cursor_malformed(c, "AUTH_GLUSTERFS with over 16 groups");
		for (uint32_t i = 0; i < 16 && cursor_ok(c); i++) {
			uint32_t g = xdr_u32(c);
			if (i < n)
				msg_add_uint(m, &hf_rpc_auth_gids, g);
		}
		break;
	}
	case RPC_AUTH_GLUSTERFS_V2:
	case RPC_AUTH_GLUSTERFS_V3: {
		msg_add_int(m, &hf_rpc_auth_pid, xdr_i32(c));
		msg_add_uint(m, &hf_rpc_auth_uid, xdr_u32(c));
		msg_add_uint(m, &hf_rpc_auth_gid, xdr_u32(c));
		if (flavor == RPC_AUTH_GLUSTERFS_V3) {
			/* flags, then ctime as nsec (u32) BEFORE sec (u64):
			 * struct auth_glusterfs_params_v3. */
			msg_add_hex(m, &hf_rpc_auth_flags, xdr_u32(c));
			uint32_t nsec = xdr_u32(c);
			int64_t sec = (int64_t)xdr_u64(c);
			if (nsec >= 1000000000u)
				cursor_malformed(c, "credential ctime nsec >= 1e9");
			msg_add_time(m, &hf_rpc_auth_ctime, sec, nsec);
		}
		auth_groups(m, c, RPC_MAX_AUTH_BYTES / 4);
		const uint8_t *owner = xdr_opaque(c, RPC_MAX_AUTH_BYTES, &len);
		if (owner)
			msg_add_bytes(m, &hf_rpc_auth_lk_owner, owner, len);
		break;
	}
	default:
		if (cursor_left(c))
			msg_add_bytes(m, &hf_rpc_auth_body, c->pos, cursor_left(c));
		return;
	}
	if (cursor_ok(c) && cursor_left(c))
		cursor_malformed(c, "bytes after the credential");
}

/* flavor | opaque<400>; the credential's body is decoded in a cursor of
 * its own, so a bad credential cannot misplace the arguments.  Header-
 * only messages just step over it. */
static void decode_auth(struct message *m, struct cursor *c, bool cred)
{
	uint32_t flavor = xdr_u32(c);
	uint32_t len;
	const uint8_t *body = xdr_opaque(c, RPC_MAX_AUTH_BYTES, &len);
	if (!cursor_ok(c) || m->header_only)
		return;
	msg_open(m, cred ? &hf_rpc_cred : &hf_rpc_verf,
		 cred ? "Credentials" : "Verifier");
	msg_add_enum(m, &hf_rpc_auth_flavor, flavor, flavor_name(flavor));
	msg_add_uint(m, &hf_rpc_auth_length, len);
	if (cred) {
		struct cursor body_c = cursor_init(body, len);
		decode_cred(m, &body_c, flavor);
		if (!cursor_ok(&body_c))
			msg_mark(m, MSG_MALFORMED, body_c.why ? body_c.why :
				 "credential shorter than its flavour");
	} else if (len) {
		msg_add_bytes(m, &hf_rpc_auth_body, body, len);
	}
	msg_close(m);
}

/* ---- call and reply ---- */

static void info_head(struct message *m, const struct rpc_program *prog,
		      const struct rpc_proc *row, uint32_t program,
		      uint32_t version, uint32_t proc)
{
	if (m->no_info)
		return;
	if (prog && row) {
		msg_info_str(m, prog->tag);
		msg_info_put(m, " ", 1);
		msg_info_str(m, row->name);
	}
	else if (prog)
		msg_info(m, "%s proc-%u", prog->tag, proc);
	else
		msg_info(m, "Program %u V%u proc-%u", program, version, proc);
}

/* Names the message with the program and procedure and runs the body
 * decoder, or says why the body is not decoded. */
static void decode_body(struct message *m, struct cursor *c, bool reply)
{
	const struct rpc_program *prog = rpc_find_program(m->program,
							  m->version);
	const struct rpc_proc *row = rpc_find_proc(prog, m->proc);
	if (prog) {
		m->protocol = "GlusterFS";
		m->program_name = prog->name;
		msg_add_enum(m, prog->proc_field, m->proc,
			     row ? row->name : NULL);
	}
	if (row)
		m->proc_name = row->name;
	if (m->header_only)
		return;
	rpc_body_fn fn = row ? (reply ? row->reply : row->call) : NULL;
	if (fn)
		fn(m, c, row);
	else if (!prog)
		msg_mark(m, MSG_NOT_DECODED, "program not known");
	else if (!row)
		msg_mark(m, MSG_NOT_DECODED, "procedure not known");
	else
		msg_mark(m, MSG_NOT_DECODED, "body not decoded");
}

static void decode_call(struct rpc_conn *conn, struct message *m,
			struct cursor *c, const struct rpc_record_info *info)
{
	uint32_t rpcvers = xdr_u32(c);
	m->program = xdr_u32(c);
	m->version = xdr_u32(c);
	m->proc = xdr_u32(c);
	if (!cursor_ok(c))
		return;
	msg_add_uint(m, &hf_rpc_version, rpcvers);
	if (rpcvers != 2) {
		cursor_malformed(c, "RPC version is not 2");
		msg_info(m, "Call RPC version %u", rpcvers);
		return;
	}
	const struct rpc_program *prog = rpc_find_program(m->program,
							  m->version);
	info_head(m, prog, rpc_find_proc(prog, m->proc), m->program,
		  m->version, m->proc);
	if (!m->no_info)
		msg_info_put(m, " Call", 5);
	if (conn) {
		union waiting_payload p = {
			.u32 = { m->program, m->version, m->proc } };
		waiting_insert(&conn->calls, m->xid, info->direction,
			       info->frame, info->ts_ns, &p);
		conn->ncalls++;
	}
	/* header-only: the credentials are only stepped over, but a call
	 * cut inside them stays unnamed, as when decoded whole */
	decode_auth(m, c, true);
	decode_auth(m, c, false);
	if (!cursor_ok(c))
		return;
	decode_body(m, c, false);
}

static const char *accept_name(uint32_t s)
{
	static const char *const names[] = {
		"SUCCESS", "PROG_UNAVAIL", "PROG_MISMATCH", "PROC_UNAVAIL",
		"GARBAGE_ARGS", "SYSTEM_ERR",
	};
	return s < sizeof names / sizeof names[0] ? names[s] : NULL;
}

static const char *auth_stat_name(uint32_t s)
{
	static const char *const names[] = {
		"AUTH_OK", "AUTH_BADCRED", "AUTH_REJECTEDCRED",
		"AUTH_BADVERF", "AUTH_REJECTEDVERF", "AUTH_TOOWEAK",
		"AUTH_INVALIDRESP", "AUTH_FAILED",
	};
	return s < sizeof names / sizeof names[0] ? names[s] : NULL;
}

static void decode_reply(struct rpc_conn *conn, struct message *m,
			 struct cursor *c, const struct rpc_record_info *info)
{
	bool matched = false;
	struct waiting_request call;
	if (conn && waiting_take(&conn->calls, m->xid, !info->direction,
				 &call)) {
		m->program = call.payload.u32[0];
		m->version = call.payload.u32[1];
		m->proc = call.payload.u32[2];
		m->call_frame = call.frame;
		m->latency_ns = info->ts_ns - call.ts_ns;
		matched = true;
	}
	if (conn) {
		conn->replies++;
		if (!matched)
			conn->orphan_replies++;
	}
	if (matched) {
		const struct rpc_program *prog =
			rpc_find_program(m->program, m->version);
		info_head(m, prog, rpc_find_proc(prog, m->proc), m->program,
			  m->version, m->proc);
		msg_info_put(m, " Reply (Call In ", 16);
		msg_info_uint(m, m->call_frame);
		msg_info_put(m, ")", 1);
	} else {
		msg_info(m, "Reply (call not seen)");
	}

	m->reply_state = xdr_u32(c);
	if (!cursor_ok(c))
		return;
	msg_add_uint(m, &hf_rpc_replystat, m->reply_state);
	if (m->reply_state == 1) {	/* MSG_DENIED */
		uint32_t reject = xdr_u32(c);
		msg_add_uint(m, &hf_rpc_state_reject, reject);
		if (reject == 0) {
			msg_add_uint(m, &hf_rpc_version_min, xdr_u32(c));
			msg_add_uint(m, &hf_rpc_version_max, xdr_u32(c));
			msg_info(m, " denied RPC_MISMATCH");
		} else if (reject == 1) {
			uint32_t why = xdr_u32(c);
			msg_add_enum(m, &hf_rpc_state_auth, why,
				     auth_stat_name(why));
			msg_info(m, " denied AUTH_ERROR %s",
				 auth_stat_name(why) ? auth_stat_name(why)
						     : "?");
		} else {
			cursor_malformed(c, "reject_stat neither 0 nor 1");
		}
		return;
	}
	if (m->reply_state != 0) {
		cursor_malformed(c, "reply_stat neither accepted nor denied");
		return;
	}
	decode_auth(m, c, false);
	m->accept_state = xdr_u32(c);
	if (!cursor_ok(c))
		return;
	msg_add_enum(m, &hf_rpc_state_accept, m->accept_state,
		     accept_name(m->accept_state));
	switch (m->accept_state) {
	case 0:
		break;
	case 2:
		msg_add_uint(m, &hf_rpc_programversion_min, xdr_u32(c));
		msg_add_uint(m, &hf_rpc_programversion_max, xdr_u32(c));
		/* fall through */
	case 1: case 3: case 4: case 5: {
		msg_info(m, " %s", accept_name(m->accept_state));
		/* named as the call was, though there is no body */
		const struct rpc_program *prog = matched ?
			rpc_find_program(m->program, m->version) : NULL;
		if (prog) {
			const struct rpc_proc *row = rpc_find_proc(prog, m->proc);
			m->protocol = "GlusterFS";
			m->program_name = prog->name;
			m->proc_name = row ? row->name : NULL;
		}
		return;
	}
	default:
		cursor_malformed(c, "accept_stat out of range");
		return;
	}
	if (!matched) {
		msg_mark(m, MSG_NOT_DECODED, "reply to a call not seen");
		return;
	}
	decode_body(m, c, true);
}

void rpc_decode(struct rpc_conn *conn, struct message *m,
		const uint8_t *rec, size_t kept,
		const struct rpc_record_info *info)
{
	struct cursor c = cursor_init(rec, kept);
	bool complete = !info->elided && !info->truncated;

	m->protocol = "ONC-RPC";
	m->length = (uint32_t)(info->length > UINT32_MAX ? UINT32_MAX
							 : info->length);
	if (info->elided)
		msg_mark(m, MSG_ELIDED, "record larger than kept");
	if (info->truncated)
		msg_mark(m, MSG_TRUNCATED, "bytes of the record are missing");

	m->xid = xdr_u32(&c);
	uint32_t type = xdr_u32(&c);
	if (cursor_ok(&c)) {
		m->has_rpc = true;
		if (type == 0) {
			m->msg_type = MSG_CALL;
			decode_call(conn, m, &c, info);
		} else if (type == 1) {
			m->msg_type = MSG_REPLY;
			decode_reply(conn, m, &c, info);
		} else {
			m->msg_type = MSG_OTHER;
			msg_info(m, "message type %u", type);
			cursor_malformed(&c, "message type neither call nor reply");
		}
	}
	if (c.status & CURSOR_MALFORMED)
		msg_mark(m, MSG_MALFORMED, c.why);
	else if ((c.status & CURSOR_TRUNCATED) && complete)
		msg_mark(m, MSG_MALFORMED, "a field runs past the end of the record");
	/* else: decoding stopped at the end of the bytes kept, which the
	 * ELIDED or TRUNCATED verdict already says */
}

/* ---- detection ---- */

/* A first fragment larger than this is not a GlusterFS record (their
 * largest, volfiles and READDIRP replies, are a few MiB); it keeps
 * text protocols ("ceph v027" reads as a 1.6 GB fragment) out. */
#define RPC_DETECT_MAX_FRAGMENT (64u << 20)

enum detect_verdict rpc_detect_header(const uint8_t *p, size_t len)
{
	/* record mark, xid, type */
	if (len < 12)
		return DETECT_MAYBE;
	uint32_t frag = peek_be32(p, len, 0) & 0x7fffffffu;
	if (frag < 24 || frag > RPC_DETECT_MAX_FRAGMENT)
		return DETECT_NO;
	uint32_t type = peek_be32(p, len, 8);
	if (type == 1) {
		if (len < 28)
			return DETECT_MAYBE;
		uint32_t stat = peek_be32(p, len, 12);
		/* MSG_ACCEPTED with an AUTH_NULL verifier (what GlusterFS
		 * servers send) and a defined accept_stat ... */
		if (stat == 0 && peek_be32(p, len, 16) == 0 &&
		    peek_be32(p, len, 20) == 0 && peek_be32(p, len, 24) <= 5)
			return DETECT_YES;
		/* ... or MSG_DENIED: RPC_MISMATCH or AUTH_ERROR. */
		if (stat == 1 && peek_be32(p, len, 16) <= 1 &&
		    (peek_be32(p, len, 16) == 0 ? peek_be32(p, len, 20) <= 2
						: peek_be32(p, len, 20) <= 7))
			return DETECT_YES;
		return DETECT_NO;
	}
	if (type != 0)
		return DETECT_NO;
	if (len < 36)
		return DETECT_MAYBE;
	if (frag < 40 || peek_be32(p, len, 12) != 2)
		return DETECT_NO;
	const struct rpc_program *prog = rpc_find_program(peek_be32(p, len, 16),
							  peek_be32(p, len, 20));
	if (!rpc_find_proc(prog, peek_be32(p, len, 24)))
		return DETECT_NO;
	uint32_t flavor = peek_be32(p, len, 28);
	if (!flavor_name(flavor))
		return DETECT_NO;
	uint32_t cred_len = peek_be32(p, len, 32);
	if (cred_len > RPC_MAX_AUTH_BYTES || frag < 40 + cred_len)
		return DETECT_NO;
	size_t verf = 36 + cred_len + xdr_pad(cred_len);
	if (len < verf + 8)
		return DETECT_MAYBE;
	if (!flavor_name(peek_be32(p, len, verf)) ||
	    peek_be32(p, len, verf + 4) > RPC_MAX_AUTH_BYTES)
		return DETECT_NO;
	return DETECT_YES;
}
