/* fields.c - ONC-RPC's field table, its value names and the derived
 * header fields. */
#include "fields.h"

#include "base/message.h"

static const struct value_name rpc_msgtyp_names[] = {
	{ 0, "Call" }, { 1, "Reply" }, { 0, NULL },
};

static const struct value_name rpc_accept_names[] = {
	{ 0, "SUCCESS" }, { 1, "PROG_UNAVAIL" }, { 2, "PROG_MISMATCH" },
	{ 3, "PROC_UNAVAIL" }, { 4, "GARBAGE_ARGS" }, { 5, "SYSTEM_ERR" },
	{ 0, NULL },
};

static const struct value_name rpc_auth_stat_names[] = {
	{ 0, "AUTH_OK" }, { 1, "AUTH_BADCRED" }, { 2, "AUTH_REJECTEDCRED" },
	{ 3, "AUTH_BADVERF" }, { 4, "AUTH_REJECTEDVERF" },
	{ 5, "AUTH_TOOWEAK" }, { 6, "AUTH_INVALIDRESP" },
	{ 7, "AUTH_FAILED" }, { 0, NULL },
};

static const struct value_name rpc_flavor_names[] = {
	{ 0, "AUTH_NULL" }, { 1, "AUTH_UNIX" }, { 2, "AUTH_SHORT" },
	{ 3, "AUTH_DES" }, { 5, "AUTH_GLUSTERFS" }, { 6, "RPCSEC_GSS" },
	{ 390039, "AUTH_GLUSTERFS-v2" }, { 390040, "AUTH_GLUSTERFS-v3" },
	{ 0, NULL },
};

/* ---- derived: the header */

static bool is_reply(const struct message *m)
{
	return m->has_rpc && m->msg_type == MSG_REPLY;
}

/* program, version, procedure: known for calls and matched replies */
static bool identity_known(const struct message *m)
{
	return m->has_rpc && (m->msg_type != MSG_REPLY || m->call_frame);
}

static bool rpc_derive_xid(const struct message *m,
			   const struct field_context *ctx, unsigned index,
			   struct field *f, uint8_t *buf, size_t buflen)
{
	f->kind = FIELD_HEX;
	f->v.u = m->xid;
	return m->has_rpc;
}

static bool rpc_derive_msgtyp(const struct message *m,
			      const struct field_context *ctx, unsigned index,
			      struct field *f, uint8_t *buf, size_t buflen)
{
	f->kind = FIELD_ENUM;
	f->v.u = m->msg_type;
	f->text = m->msg_type == MSG_CALL ? "Call" :
		  m->msg_type == MSG_REPLY ? "Reply" : NULL;
	return m->has_rpc;
}

static bool rpc_derive_program(const struct message *m,
			       const struct field_context *ctx, unsigned index,
			       struct field *f, uint8_t *buf, size_t buflen)
{
	f->kind = FIELD_ENUM;
	f->v.u = m->program;
	f->text = m->program_name;
	return identity_known(m);
}

static bool rpc_derive_programversion(const struct message *m,
				      const struct field_context *ctx,
				      unsigned index, struct field *f,
				      uint8_t *buf, size_t buflen)
{
	f->kind = FIELD_UINT;
	f->v.u = m->version;
	return identity_known(m);
}

static bool rpc_derive_procedure(const struct message *m,
				 const struct field_context *ctx,
				 unsigned index, struct field *f, uint8_t *buf,
				 size_t buflen)
{
	f->kind = FIELD_ENUM;
	f->v.u = m->proc;
	f->text = m->proc_name;
	return identity_known(m);
}

static bool rpc_derive_repframe(const struct message *m,
				const struct field_context *ctx, unsigned index,
				struct field *f, uint8_t *buf, size_t buflen)
{
	f->kind = FIELD_UINT;
	f->v.u = m->call_frame;
	return is_reply(m) && m->call_frame;
}

static bool rpc_derive_time(const struct message *m,
			    const struct field_context *ctx, unsigned index,
			    struct field *f, uint8_t *buf, size_t buflen)
{
	f->kind = FIELD_TIME;
	f->v.t.sec = m->latency_ns / 1000000000;
	f->v.t.nsec = (uint32_t)(m->latency_ns % 1000000000);
	return is_reply(m) && m->latency_ns >= 0;
}

static bool rpc_derive_replystat(const struct message *m,
				 const struct field_context *ctx,
				 unsigned index, struct field *f, uint8_t *buf,
				 size_t buflen)
{
	f->kind = FIELD_UINT;
	f->v.u = m->reply_state;
	return is_reply(m);
}

static bool rpc_derive_state_accept(const struct message *m,
				    const struct field_context *ctx,
				    unsigned index, struct field *f,
				    uint8_t *buf, size_t buflen)
{
	f->kind = FIELD_ENUM;
	f->v.u = m->accept_state;
	f->text = field_value_name(&hf_rpc_state_accept, m->accept_state);
	return is_reply(m) && m->reply_state == 0;
}

FIELD_TABLE_DEFINE(rpc_fields, RPC_FIELDS)
