/* fields.c - ONC-RPC's field table, its value names and the derived
 * header fields. */
#include "fields.h"

#include "base/message.h"
#include "rpc.h"

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

/* RFC 5531's flavours; carried protocols register theirs (struct
 * rpc_flavor). */
static const struct value_name rpc_flavor_names[] = {
	{ 0, "AUTH_NULL" }, { 1, "AUTH_UNIX" }, { 2, "AUTH_SHORT" },
	{ 3, "AUTH_DES" }, { 6, "RPCSEC_GSS" }, { 0, NULL },
};

/* ---- derived: the header */

static bool is_reply(const struct message *m)
{
	return rpc_message(m) && rpc_header(m, RPC_H_TYPE) == RPC_REPLY;
}

/* program, version, procedure: known for calls and matched replies */
static bool identity_known(const struct message *m)
{
	return rpc_message(m) && (rpc_header(m, RPC_H_TYPE) != RPC_REPLY ||
				  m->exchange.request_frame);
}

FIELD_DERIVE(rpc_derive_xid)
{
	f->kind = FIELD_HEX;
	f->v.u = rpc_header(m, RPC_H_XID);
	return rpc_message(m);
}

FIELD_DERIVE(rpc_derive_msgtyp)
{
	f->kind = FIELD_ENUM;
	f->v.u = rpc_header(m, RPC_H_TYPE);
	f->text = field_value_name(&hf_rpc_msgtyp, f->v.u);
	return rpc_message(m);
}

FIELD_DERIVE(rpc_derive_program)
{
	f->kind = FIELD_ENUM;
	f->v.u = m->exchange.service_code;
	f->text = m->exchange.service;
	return identity_known(m);
}

FIELD_DERIVE(rpc_derive_programversion)
{
	f->kind = FIELD_UINT;
	f->v.u = m->exchange.service_version;
	return identity_known(m);
}

FIELD_DERIVE(rpc_derive_procedure)
{
	f->kind = FIELD_ENUM;
	f->v.u = m->exchange.op_code;
	f->text = m->exchange.op;
	return identity_known(m);
}

FIELD_DERIVE(rpc_derive_repframe)
{
	f->kind = FIELD_UINT;
	f->v.u = m->exchange.request_frame;
	return is_reply(m) && m->exchange.request_frame;
}

FIELD_DERIVE(rpc_derive_time)
{
	int64_t ns = m->exchange.latency_ns;
	f->kind = FIELD_TIME;
	f->v.t.sec = ns / 1000000000;
	f->v.t.nsec = (uint32_t)(ns % 1000000000);
	return is_reply(m) && ns >= 0;
}

FIELD_DERIVE(rpc_derive_replystat)
{
	f->kind = FIELD_UINT;
	f->v.u = rpc_header(m, RPC_H_REPLY_STATE);
	return is_reply(m);
}

FIELD_DERIVE(rpc_derive_state_accept)
{
	f->kind = FIELD_ENUM;
	f->v.u = rpc_header(m, RPC_H_ACCEPT_STATE);
	f->text = field_value_name(&hf_rpc_state_accept, f->v.u);
	return is_reply(m) && rpc_header(m, RPC_H_REPLY_STATE) == 0;
}

FIELD_TABLE_DEFINE(rpc_fields, RPC_FIELDS)
