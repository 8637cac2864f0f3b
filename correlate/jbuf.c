/* jbuf.c - growable text buffer and JSON string escaping. */
#include "jbuf.h"

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

/* Length of the valid UTF-8 sequence at s (shortest form, no surrogates,
 * at most U+10FFFF), or 0. */
static size_t utf8_sequence(const uint8_t *s, size_t left)
{
	uint8_t c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void jbuf_json_string(struct jbuf *b, const char *str, size_t len)
{
	const uint8_t *s = (const uint8_t *)str;
	/* Worst case: every byte as \u00XX. */
	if (len > (SIZE_MAX - 2) / 6 || !reserve(b, 6 * len + 2))
		return;
	char *w = b->p + b->len;
	*w++ = '"';
	for (size_t i = 0; i < len;) {
		uint8_t c = s[i];
		size_t u;
		if (c == '"' || c == '\\') {
			*w++ = '\\';
			*w++ = (char)c;
			i++;
		} else if (c == '\n' || c == '\t' || c == '\r') {
			*w++ = '\\';
			*w++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			i++;
		} else if (c < 0x20 || c == 0x7f ||
			   !(u = utf8_sequence(s + i, len - i))) {
			static const char hex[] = "0123456789abcdef";
			memcpy(w, "\\u00", 4);
			w[4] = hex[c >> 4];
			w[5] = hex[c & 15];
			w += 6;
			i++;
		} else {
			memcpy(w, s + i, u);
			w += u;
			i += u;
		}
	}
	*w++ = '"';
	b->len = (size_t)(w - b->p);
	b->p[b->len] = '\0';
}
