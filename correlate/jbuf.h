/* jbuf.h - a growable text buffer with JSON string escaping, for the
 * JSON columns of the timeline (probe events' args). */
#ifndef TAPLINE_JBUF_H
#define TAPLINE_JBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jbuf {
	char *p;
	size_t len, cap;
	bool failed;	/* out of memory: the text is incomplete */
};

void jbuf_reset(struct jbuf *b);
void jbuf_free(struct jbuf *b);
void jbuf_put(struct jbuf *b, const char *s, size_t len);
void jbuf_puts(struct jbuf *b, const char *s);
void jbuf_printf(struct jbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s[0..len) as a JSON string literal: valid UTF-8 kept, control
 * characters escaped, other bytes as \u00XX (Latin-1), so the result is
 * always valid JSON whatever the bytes. */
void jbuf_json_string(struct jbuf *b, const char *s, size_t len);

#endif
