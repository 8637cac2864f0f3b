/* tapline_fields.c - the fields every message has, derived from it. */
#include "tapline_fields.h"

#include <string.h>

#include "base/message.h"
#include "registry.h"

FIELD_DERIVE(tapline_derive_first_frame)
{
	f->kind = FIELD_UINT;
	f->v.u = m->first_frame;
	return true;
}

FIELD_DERIVE(tapline_derive_length)
{
	f->kind = FIELD_UINT;
	f->v.u = m->length;
	return true;
}

/* A static name as a STR field (its bytes in buf). */
static bool name(const char *s, struct field *f, uint8_t *buf, size_t buflen)
{
	if (!s)
		return false;
	f->kind = FIELD_STR;
	f->len = (uint32_t)strnlen(s, buflen);
	memcpy(buf, s, f->len);
	return true;
}

FIELD_DERIVE(tapline_derive_protocol)
{
	return m->proto && name(m->proto->label, f, buf, buflen);
}

/* RPC's names for the exchange's service and operation */
FIELD_DERIVE(tapline_derive_program)
{
	return name(m->exchange.service, f, buf, buflen);
}

FIELD_DERIVE(tapline_derive_procedure)
{
	return name(m->exchange.op, f, buf, buflen);
}

static const struct value_name tapline_kind_names[] = {
	{ EXCHANGE_REQUEST, "request" }, { EXCHANGE_RESPONSE, "response" },
	{ EXCHANGE_EVENT, "event" }, { 0, NULL },
};

static const struct value_name tapline_status_names[] = {
	{ STATUS_OK, "ok" }, { STATUS_FAILED, "failed" }, { 0, NULL },
};

FIELD_DERIVE(tapline_derive_kind)
{
	f->kind = FIELD_ENUM;
	f->v.u = m->exchange.kind;
	f->text = field_value_name(&hf_tapline_kind, f->v.u);
	return m->exchange.kind != EXCHANGE_NONE;
}

FIELD_DERIVE(tapline_derive_id)
{
	f->kind = FIELD_UINT;
	f->v.u = m->exchange.id;
	return m->exchange.has_id;
}

FIELD_DERIVE(tapline_derive_service)
{
	return name(m->exchange.service, f, buf, buflen);
}

FIELD_DERIVE(tapline_derive_op)
{
	return name(m->exchange.op, f, buf, buflen);
}

FIELD_DERIVE(tapline_derive_status)
{
	f->kind = FIELD_ENUM;
	f->v.u = m->exchange.status;
	f->text = field_value_name(&hf_tapline_status, f->v.u);
	return m->exchange.status != STATUS_NONE;
}

FIELD_DERIVE(tapline_derive_status_code)
{
	f->kind = FIELD_INT;
	f->v.i = m->exchange.status_code;
	return m->exchange.status == STATUS_FAILED;
}

FIELD_DERIVE(tapline_derive_status_name)
{
	return m->exchange.status == STATUS_FAILED &&
	       name(m->exchange.status_name, f, buf, buflen);
}

FIELD_DERIVE(tapline_derive_request_frame)
{
	f->kind = FIELD_UINT;
	f->v.u = m->exchange.request_frame;
	return m->exchange.kind == EXCHANGE_RESPONSE &&
	       m->exchange.request_frame;
}

FIELD_DERIVE(tapline_derive_latency)
{
	int64_t ns = m->exchange.latency_ns;
	f->kind = FIELD_TIME;
	f->v.t.sec = ns / 1000000000;
	f->v.t.nsec = (uint32_t)(ns % 1000000000);
	return m->exchange.kind == EXCHANGE_RESPONSE && ns >= 0;
}

FIELD_DERIVE(tapline_derive_verdict)
{
	if (!m->verdict)
		return false;
	f->kind = FIELD_STR;
	f->len = (uint32_t)msg_verdict_text((char *)buf, buflen, m->verdict);
	return true;
}

FIELD_DERIVE(ws_derive_malformed)
{
	f->kind = FIELD_BOOL;
	f->v.u = 1;
	return m->verdict & MSG_MALFORMED;
}

FIELD_TABLE_DEFINE(tapline_fields, TAPLINE_FIELDS)
