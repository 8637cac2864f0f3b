/* view.h - how a protocol shows its own header in the detail tree (-V)
 * and in a JSON line, without knowing either renderer: it writes lines
 * and members through these calls, which the renderers implement
 * (src/present/output.c).  Protocols hook in through their registry
 * entry (src/proto/registry.h); most need none, the field list shows
 * their fields. */
#ifndef TAPLINE_VIEW_H
#define TAPLINE_VIEW_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct view {
	/* -V: one line, indented by the protocol as it wants, without its
	 * newline */
	void (*line)(struct view *v, const char *text, size_t len);
	/* the same, printf-formatted; NULL: view_linef formats into a
	 * buffer and calls line (a stream renderer formats in place) */
	void (*vlinef)(struct view *v, const char *fmt, va_list ap);
	/* -T json: the protocol's header object and its members.  A key
	 * comes as its JSON text, `,"name":` and that text's length (the
	 * renderer drops the comma before a first member): call through
	 * the view_json_* macros below, which make it from a literal
	 * identifier at compile time. */
	void (*json_open)(struct view *v, const char *key, size_t keylen);
	void (*json_close)(struct view *v);
	void (*json_uint)(struct view *v, const char *key, size_t keylen,
			  uint64_t value);
	void (*json_int)(struct view *v, const char *key, size_t keylen,
			 int64_t value);
	void (*json_str)(struct view *v, const char *key, size_t keylen,
			 const char *s, size_t len);
	/* a "SEC.NSEC" string, as -T json writes every time */
	void (*json_time)(struct view *v, const char *key, size_t keylen,
			  int64_t sec, uint32_t nsec);
};

/* A printf-formatted line (cut at 1 KiB). */
void view_linef(struct view *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A response's "[Request In: N]" (or "[The request was not seen]") and,
 * when known, "[Response time: S seconds]" lines. */
void view_response_lines(struct view *v, uint64_t request_frame,
			 int64_t latency_ns);

/* Members with a literal key ("program"): `,"program":`, 12 */
#define VIEW_KEY_(key) (",\"" key "\":"), (sizeof(key) + 3)
#define view_json_open(v, key) (v)->json_open((v), VIEW_KEY_(key))
#define view_json_uint(v, key, x) (v)->json_uint((v), VIEW_KEY_(key), (x))
#define view_json_int(v, key, x) (v)->json_int((v), VIEW_KEY_(key), (x))
#define view_json_str(v, key, s, n) \
	(v)->json_str((v), VIEW_KEY_(key), (s), (n))
#define view_json_time(v, key, sec, nsec) \
	(v)->json_time((v), VIEW_KEY_(key), (sec), (nsec))
/* a NUL-terminated string */
#define view_json_cstr(v, key, s) view_json_cstr_((v), VIEW_KEY_(key), (s))
void view_json_cstr_(struct view *v, const char *key, size_t keylen,
		     const char *s);

#endif
