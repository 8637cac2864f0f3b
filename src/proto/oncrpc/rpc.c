/* rpc.c - ONC-RPC messages (RFC 5531): call and reply headers,
 * credentials, and call/reply matching by XID.
 *
 *	call:  xid | 0 | rpcvers=2 | prog | vers | proc | cred | verf | args
 *	reply: xid | 1 | 0 MSG_ACCEPTED | verf | accept_stat | results...
 *	       xid | 1 | 1 MSG_DENIED   | reject_stat | ...
 *	cred, verf: flavor | opaque body<400>
 */
#include "rpc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "proto/registry.h"
#include "xdr.h"

/* ---- what the carried protocols register ---- */

/* Every registered program, gathered once from the registry into one
 * flat table: looked up for nearly every message. */
#define RPC_MAX_PROGRAMS 256
static struct registered {
	uint32_t number, version;
	const struct rpc_program *program;
	const struct protocol *protocol;
} programs[RPC_MAX_PROGRAMS];
static size_t nprograms;
/* and the credential flavours: RFC 5531's (the names of the
 * rpc.auth.flavor field), then theirs */
#define RPC_MAX_FLAVORS 64
static struct rpc_flavor flavors[RPC_MAX_FLAVORS];
static size_t nflavors;
static pthread_once_t programs_once = PTHREAD_ONCE_INIT;
static atomic_bool programs_ready;	/* skips pthread_once once done */

static void gather_programs(void)
{
	for (const struct value_name *v = hf_rpc_auth_flavor.values;
	     v && v->name && nflavors < RPC_MAX_FLAVORS; v++)
		flavors[nflavors++] = (struct rpc_flavor){
			(uint32_t)v->value, v->name, NULL,
		};
	for (const struct protocol *const *p = protocols; *p; p++) {
		const struct rpc_registration *r = (*p)->carried;
		if ((*p)->carrier != &rpc_protocol || !r)
			continue;
		for (const struct rpc_program *const *g = r->programs;
		     g && *g && nprograms < RPC_MAX_PROGRAMS; g++)
			programs[nprograms++] = (struct registered){
				(*g)->number, (*g)->version, *g, *p,
			};
		for (const struct rpc_flavor *f = r->flavors;
		     f && f->name && nflavors < RPC_MAX_FLAVORS; f++)
			flavors[nflavors++] = *f;
	}
	atomic_store_explicit(&programs_ready, true, memory_order_release);
}

static inline void gather_once(void)
{
	if (!atomic_load_explicit(&programs_ready, memory_order_acquire))
		pthread_once(&programs_once, gather_programs);
}

static const struct registered *find_registered(uint32_t number,
						 uint32_t version)
{
	/* a connection talks to one program at a time, mostly */
	static _Thread_local const struct registered *last;
	if (last && last->number == number && last->version == version)
		return last;
	gather_once();
	for (size_t i = 0; i < nprograms; i++)
		if (programs[i].number == number &&
		    programs[i].version == version)
			return last = &programs[i];
	return NULL;
}

const struct rpc_program *rpc_find_program(uint32_t number, uint32_t version,
					   const struct protocol **proto)
{
	const struct registered *r = find_registered(number, version);
	if (proto)
		*proto = r ? r->protocol : NULL;
	return r ? r->program : NULL;
}

void rpc_value_names(const struct field_def *def,
		     void (*fn)(void *user, uint64_t value, const char *name),
		     void *user)
{
	gather_once();
	for (size_t i = 0; i < nprograms; i++) {
		const struct rpc_program *g = programs[i].program;
		if (def == &hf_rpc_program) {
			fn(user, g->number, g->name);
			continue;
		}
		if (def != &hf_rpc_procedure && def != g->proc_field)
			continue;
		for (uint32_t n = 0; n < g->nprocs; n++)
			if (g->procs[n].name)
				fn(user, n, g->procs[n].name);
	}
}

/* Whether calls of this program number go server -> client (in any
 * version registered: a callback program's other versions too). */
static bool calls_from_server(uint32_t number)
{
	gather_once();
	for (size_t i = 0; i < nprograms; i++)
		if (programs[i].number == number &&
		    programs[i].program->server_calls)
			return true;
	return false;
}

/* A flavour RFC 5531 or a carried protocol defines, or NULL. */
static const struct rpc_flavor *find_flavor(uint32_t number)
{
	gather_once();
	for (size_t i = 0; i < nflavors; i++)
		if (flavors[i].number == number)
			return &flavors[i];
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

/* Its name, NULL if unknown. */
static const char *flavor_name(uint32_t number)
{
	const struct rpc_flavor *f = find_flavor(number);
	return f ? f->name : NULL;
}

void rpc_auth_groups(struct message *m, struct cursor *c, uint32_t max)
{
	uint32_t n = xdr_u32(c);
	if (n > max) {
		cursor_malformed(c, "credential with too many groups");
		return;
	}
	for (uint32_t i = 0; i < n && cursor_ok(c); i++)
		msg_add_uint(m, &hf_rpc_auth_gids, xdr_u32(c));
}

/* The credential body: AUTH_UNIX (RFC 5531), or a registered flavour's
 * decoder. */
static void decode_cred(struct message *m, struct cursor *c, uint32_t flavor,
			const struct rpc_flavor *known)
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
		rpc_auth_groups(m, c, 16);
		break;
	}
	default:
		if (known && known->decode) {
			known->decode(m, c, flavor);
			break;
		}
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
	/* An empty verifier that nobody reads: the tree, flavour, length
	 * and the tree's end, counted. */
	static const struct field_def *const verifier[] = {
		&hf_rpc_auth_flavor, &hf_rpc_auth_length,
	};
	if (!cred && !len &&
	    msg_part_unread(m, &hf_rpc_verf, verifier,
			    sizeof verifier / sizeof *verifier) &&
	    msg_count_only(m, 4, sizeof "Verifier" - 1))
		return;
	msg_open(m, cred ? &hf_rpc_cred : &hf_rpc_verf,
		 cred ? "Credentials" : "Verifier");
	const struct rpc_flavor *known = find_flavor(flavor);
	msg_add_enum(m, &hf_rpc_auth_flavor, flavor, known ? known->name : NULL);
	msg_add_uint(m, &hf_rpc_auth_length, len);
	if (cred) {
		struct cursor body_c = cursor_init(body, len);
		decode_cred(m, &body_c, flavor, known);
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

/* Names the message with its program's protocol, the program and the
 * procedure (the exchange's service and operation). */
static void name_message(struct message *m, const struct rpc_program *prog,
			 const struct protocol *proto,
			 const struct rpc_proc *row)
{
	m->proto = proto;
	m->exchange.service = prog->name;
	m->exchange.op = row ? row->name : NULL;
}

/* Names the message with the program and procedure and runs the body
 * decoder, or says why the body is not decoded. */
static void decode_body(struct message *m, struct cursor *c, bool reply,
			const struct registered *reg)
{
	const struct exchange *ex = &m->exchange;
	const struct rpc_program *prog = reg ? reg->program : NULL;
	const struct protocol *proto = reg ? reg->protocol : NULL;
	const struct rpc_proc *row = rpc_find_proc(prog, ex->op_code);
	if (prog) {
		name_message(m, prog, proto, row);
		msg_add_enum(m, prog->proc_field, ex->op_code,
			     row ? row->name : NULL);
	}
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
	struct exchange *ex = &m->exchange;
	uint32_t rpcvers = xdr_u32(c);
	ex->service_code = xdr_u32(c);
	ex->service_version = xdr_u32(c);
	ex->op_code = xdr_u32(c);
	ex->has_op_code = true;
	const struct registered *reg = find_registered(ex->service_code,
						       ex->service_version);
	if (reg ? reg->program->server_calls
		: calls_from_server(ex->service_code))
		m->proto_header[RPC_H_FLAGS] |= RPC_FROM_SERVER;
	if (!cursor_ok(c))
		return;
	msg_add_uint(m, &hf_rpc_version, rpcvers);
	if (rpcvers != 2) {
		cursor_malformed(c, "RPC version is not 2");
		msg_info(m, "Call RPC version %u", rpcvers);
		return;
	}
	const struct rpc_program *prog = reg ? reg->program : NULL;
	info_head(m, prog, rpc_find_proc(prog, ex->op_code), ex->service_code,
		  ex->service_version, ex->op_code);
	if (!m->no_info)
		msg_info_put(m, " Call", 5);
	if (conn) {
		union waiting_payload p = { .u32 = {
			ex->service_code, ex->service_version, ex->op_code } };
		waiting_insert(&conn->calls, ex->id, info->direction,
			       info->frame, info->ts_ns, &p);
		conn->ncalls++;
	}
	/* header-only: the credentials are only stepped over, but a call
	 * cut inside them stays unnamed, as when decoded whole */
	decode_auth(m, c, true);
	decode_auth(m, c, false);
	if (!cursor_ok(c))
		return;
	decode_body(m, c, false, reg);
}

static const char *accept_name(uint32_t s)
{
	return field_value_name(&hf_rpc_state_accept, s);
}

static const char *auth_stat_name(uint32_t s)
{
	return field_value_name(&hf_rpc_state_auth, s);
}

/* A reply that failed in RPC itself: the exchange says how. */
static void reply_failed(struct message *m, int64_t code, const char *name)
{
	m->exchange.status = STATUS_FAILED;
	m->exchange.status_code = code;
	m->exchange.status_name = name;
}

static void decode_reply(struct rpc_conn *conn, struct message *m,
			 struct cursor *c, const struct rpc_record_info *info)
{
	struct exchange *ex = &m->exchange;
	uint64_t *h = m->proto_header;
	bool matched = false;
	struct waiting_request call;
	if (conn && waiting_take(&conn->calls, ex->id, !info->direction,
				 info->frame, &call)) {
		ex->service_code = call.payload.u32[0];
		ex->service_version = call.payload.u32[1];
		ex->op_code = call.payload.u32[2];
		ex->has_op_code = true;
		ex->request_frame = call.frame;
		ex->latency_ns = info->ts_ns - call.ts_ns;
		matched = true;
	}
	if (conn) {
		conn->replies++;
		if (!matched)
			conn->orphan_replies++;
	}
	const struct registered *reg = matched ?
		find_registered(ex->service_code, ex->service_version) : NULL;
	if (matched) {
		const struct rpc_program *prog = reg ? reg->program : NULL;
		info_head(m, prog, rpc_find_proc(prog, ex->op_code),
			  ex->service_code, ex->service_version, ex->op_code);
		msg_info_put(m, " Reply (Call In ", 16);
		msg_info_uint(m, ex->request_frame);
		msg_info_put(m, ")", 1);
	} else {
		msg_info(m, "Reply (call not seen)");
	}

	uint32_t reply_state = xdr_u32(c);
	h[RPC_H_REPLY_STATE] = reply_state;
	if (!cursor_ok(c))
		return;
	msg_add_uint(m, &hf_rpc_replystat, reply_state);
	if (reply_state == 1) {	/* MSG_DENIED */
		uint32_t reject = xdr_u32(c);
		msg_add_uint(m, &hf_rpc_state_reject, reject);
		if (reject == 0) {
			msg_add_uint(m, &hf_rpc_version_min, xdr_u32(c));
			msg_add_uint(m, &hf_rpc_version_max, xdr_u32(c));
			msg_info(m, " denied RPC_MISMATCH");
			reply_failed(m, reject, "RPC_MISMATCH");
		} else if (reject == 1) {
			uint32_t why = xdr_u32(c);
			msg_add_enum(m, &hf_rpc_state_auth, why,
				     auth_stat_name(why));
			msg_info(m, " denied AUTH_ERROR %s",
				 auth_stat_name(why) ? auth_stat_name(why)
						     : "?");
			reply_failed(m, reject, "AUTH_ERROR");
		} else {
			cursor_malformed(c, "reject_stat neither 0 nor 1");
		}
		return;
	}
	if (reply_state != 0) {
		cursor_malformed(c, "reply_stat neither accepted nor denied");
		return;
	}
	decode_auth(m, c, false);
	uint32_t accept_state = xdr_u32(c);
	h[RPC_H_ACCEPT_STATE] = accept_state;
	if (!cursor_ok(c))
		return;
	msg_add_enum(m, &hf_rpc_state_accept, accept_state,
		     accept_name(accept_state));
	switch (accept_state) {
	case 0:
		ex->status = STATUS_OK;
		break;
	case 2:
		msg_add_uint(m, &hf_rpc_programversion_min, xdr_u32(c));
		msg_add_uint(m, &hf_rpc_programversion_max, xdr_u32(c));
		/* fall through */
	case 1: case 3: case 4: case 5: {
		msg_info(m, " %s", accept_name(accept_state));
		reply_failed(m, accept_state, accept_name(accept_state));
		/* named as the call was, though there is no body */
		if (reg)
			name_message(m, reg->program, reg->protocol,
				     rpc_find_proc(reg->program, ex->op_code));
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
	decode_body(m, c, true, reg);
}

/* The summary of a message whose decoder wrote none (a call cut before
 * its procedure): what it is known to be. */
static void info_fallback(struct message *m)
{
	const struct exchange *ex = &m->exchange;
	uint64_t type = m->proto_header[RPC_H_TYPE];
	if (type != RPC_REPLY || ex->request_frame) {
		if (ex->service)
			msg_info(m, "%s ", ex->service);
		else
			msg_info(m, "Program %u ", ex->service_code);
		msg_info(m, "V%u ", ex->service_version);
		if (ex->op)
			msg_info(m, "%s ", ex->op);
		else
			msg_info(m, "proc-%u ", ex->op_code);
	}
	if (type == RPC_CALL)
		msg_info(m, "Call");
	else if (type == RPC_OTHER)
		msg_info(m, "xid=0x%08x", (uint32_t)ex->id);
	else if (ex->request_frame)
		msg_info(m, "Reply (Call In %llu)",
			 (unsigned long long)ex->request_frame);
	else
		msg_info(m, "Reply (call not seen)");
}

void rpc_decode(struct rpc_conn *conn, struct message *m,
		const uint8_t *rec, size_t kept,
		const struct rpc_record_info *info)
{
	struct cursor c = cursor_init(rec, kept);
	bool complete = !info->elided && !info->truncated;

	m->proto = &rpc_protocol;
	m->pdu = rec;
	m->pdu_len = kept;
	m->length = (uint32_t)(info->length > UINT32_MAX ? UINT32_MAX
							 : info->length);
	if (info->elided)
		msg_mark(m, MSG_ELIDED, "record larger than kept");
	if (info->truncated)
		msg_mark(m, MSG_TRUNCATED, "bytes of the record are missing");

	uint32_t xid = xdr_u32(&c);
	uint32_t type = xdr_u32(&c);
	if (cursor_ok(&c)) {
		rpc_set_header(m, xid, type == 0 ? RPC_CALL :
				       type == 1 ? RPC_REPLY : RPC_OTHER);
		if (type == 0) {
			decode_call(conn, m, &c, info);
		} else if (type == 1) {
			decode_reply(conn, m, &c, info);
		} else {
			msg_info(m, "message type %u", type);
			cursor_malformed(&c, "message type neither call nor reply");
		}
		if (!m->info_len && !m->no_info)
			info_fallback(m);
	}
	if (c.status & CURSOR_MALFORMED)
		msg_mark(m, MSG_MALFORMED, c.why);
	else if ((c.status & CURSOR_TRUNCATED) && complete)
		msg_mark(m, MSG_MALFORMED, "a field runs past the end of the record");
	/* else: decoding stopped at the end of the bytes kept, which the
	 * ELIDED or TRUNCATED verdict already says */
}

void rpc_set_header(struct message *m, uint32_t xid, enum rpc_type type)
{
	m->proto_header[RPC_H_VALID] = 1;
	m->proto_header[RPC_H_XID] = xid;
	m->proto_header[RPC_H_TYPE] = type;
	m->exchange.has_id = true;
	m->exchange.id = xid;
	m->exchange.kind = type == RPC_CALL ? EXCHANGE_REQUEST :
			   type == RPC_REPLY ? EXCHANGE_RESPONSE :
			   EXCHANGE_NONE;
}



/* ---- detection ---- */

/* A first fragment larger than this is not an RPC record (the largest
 * seen, volfiles and directory listings, are a few MiB); it keeps text
 * protocols ("ceph v027" reads as a 1.6 GB fragment) out. */
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
		/* MSG_ACCEPTED with an AUTH_NULL verifier (what servers
		 * send) and a defined accept_stat ... */
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
							  peek_be32(p, len, 20),
							  NULL);
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
