/* xdr.c - XDR primitives over a bounds-checked cursor. */
#include "xdr.h"

bool xdr_bool(struct cursor *c)
{
	uint32_t v = cursor_be32(c);
	if (v > 1)
		cursor_malformed(c, "XDR bool neither 0 nor 1");
	return v == 1;
}

const uint8_t *xdr_fixed(struct cursor *c, size_t n)
{
	const uint8_t *p = cursor_take(c, n);
	if (p && !cursor_skip(c, xdr_pad(n)))
		return NULL;
	return p;
}

const uint8_t *xdr_opaque(struct cursor *c, uint32_t max, uint32_t *len)
{
	*len = 0;
	uint32_t n = cursor_be32(c);
	if (!cursor_ok(c))
		return NULL;
	if (n > max) {
		cursor_malformed(c, "XDR length beyond its cap");
		return NULL;
	}
	const uint8_t *p = xdr_fixed(c, n);
	if (p)
		*len = n;
	return p;
}

const char *xdr_string(struct cursor *c, uint32_t max, uint32_t *len)
{
	const char *s = (const char *)xdr_opaque(c, max, len);
	if (s && *len && s[*len - 1] == '\0')
		(*len)--;
	return s;
}
