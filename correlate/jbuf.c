/* jbuf.c - growable text buffer and JSON string escaping. */
#include "jbuf.h"

#include "present/output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jbuf_reset(struct jbuf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->p)
		b->p[0] = '\0';
}

void jbuf_free(struct jbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

static bool reserve(struct jbuf *b, size_t more)
{
	if (b->failed)
		return false;
	if (more < b->cap - b->len)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len <= more) {
		if (cap > SIZE_MAX / 2) {
			b->failed = true;
			return false;
		}
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void jbuf_put(struct jbuf *b, const char *s, size_t len)
{
	if (!reserve(b, len))
		return;
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

void jbuf_puts(struct jbuf *b, const char *s)
{
	jbuf_put(b, s, strlen(s));
}

void jbuf_printf(struct jbuf *b, const char *fmt, ...)
{
	char small[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		jbuf_put(b, small, (size_t)n);
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void jbuf_json_string(struct jbuf *b, const char *s, size_t len)
{
	/* Worst case: every byte as \u00XX. */
	if (len > (SIZE_MAX - 2) / 6 || !reserve(b, json_string_max(len)))
		return;
	b->len = (size_t)(json_put_string(b->p + b->len, s, len) - b->p);
	b->p[b->len] = '\0';
}
