/* tapline_fields.c - the fields every message has, derived from it. */
#include "tapline_fields.h"

#include <string.h>

#include "base/message.h"

#define DERIVE(fn)                                                         \
	static bool fn(const struct message *m,                            \
		       const struct field_context *ctx, unsigned index,    \
		       struct field *f, uint8_t *buf, size_t buflen)

DERIVE(tapline_derive_first_frame)
{
	f->kind = FIELD_UINT;
	f->v.u = m->first_frame;
	return true;
}

DERIVE(tapline_derive_length)
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

DERIVE(tapline_derive_protocol)
{
	return name(m->protocol, f, buf, buflen);
}

DERIVE(tapline_derive_program)
{
	return m->has_rpc && name(m->program_name, f, buf, buflen);
}

DERIVE(tapline_derive_procedure)
{
	return m->has_rpc && name(m->proc_name, f, buf, buflen);
}

DERIVE(tapline_derive_verdict)
{
	if (!m->verdict)
		return false;
	f->kind = FIELD_STR;
	f->len = (uint32_t)msg_verdict_text((char *)buf, buflen, m->verdict);
	return true;
}

DERIVE(ws_derive_malformed)
{
	f->kind = FIELD_BOOL;
	f->v.u = 1;
	return m->verdict & MSG_MALFORMED;
}

FIELD_TABLE_DEFINE(tapline_fields, TAPLINE_FIELDS)
