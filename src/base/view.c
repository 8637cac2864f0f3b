/* view.c - helpers for the protocols' header views. */
#include "view.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void view_linef(struct view *v, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	if (v->vlinef) {
		v->vlinef(v, fmt, ap);
		va_end(ap);
		return;
	}
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	v->line(v, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void view_response_lines(struct view *v, uint64_t request_frame,
			 int64_t latency_ns)
{
	if (request_frame)
		view_linef(v, "    [Request In: %" PRIu64 "]", request_frame);
	else
		view_linef(v, "    [The request was not seen]");
	if (latency_ns >= 0)
		view_linef(v, "    [Response time: %" PRId64 ".%09" PRId64
			   " seconds]", latency_ns / 1000000000,
			   latency_ns % 1000000000);
}

void view_json_cstr_(struct view *v, const char *key, size_t keylen,
		     const char *s)
{
	v->json_str(v, key, keylen, s, strlen(s));
}
