/* jbuf_test.c - JSON strings made by correlate/jbuf.c from hostile bytes
 * are always valid JSON, and say what the bytes said: checked by SQLite's
 * own JSON parser (json_valid, json_extract), not by our code. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "jbuf.h"
#include "tap.h"

static sqlite3 *db;

/* json_valid of text, and the string it decodes to (in *out). */
static int check(const char *json, size_t len, char *out, size_t outlen,
		 size_t *got)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT json_valid(?1), json_extract(?1, '$')",
			   -1, &st, NULL);
	sqlite3_bind_text(st, 1, json, (int)len, SQLITE_STATIC);
	int valid = 0;
	*got = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		valid = sqlite3_column_int(st, 0);
		const void *t = sqlite3_column_text(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		if (t && n <= outlen) {
			memcpy(out, t, n);
			*got = n;
		}
	}
	sqlite3_finalize(st);
	return valid;
}

int main(void)
{
	sqlite3_open(":memory:", &db);
	struct jbuf b = { 0 };
	char out[4096];
	size_t got;

	static const char plain[] = "path \"/a\\b\"\n\ttab\r\x01\x7f é ✓ 😀";
	jbuf_json_string(&b, plain, sizeof plain - 1);
	ok(check(b.p, b.len, out, sizeof out, &got), "escapes: valid JSON");
	ok(got == sizeof plain - 1 && !memcmp(out, plain, got),
	   "escapes: SQLite reads back the same bytes");

	jbuf_reset(&b);
	static const char nul[] = "a\0b";
	jbuf_json_string(&b, nul, 3);
	is_str(b.p, "\"a\\u0000b\"", "NUL as \\u0000");

	/* Invalid UTF-8: lone continuation, overlong, surrogate, truncated,
	 * above U+10FFFF. */
	static const char *const bad[] = {
		"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\xf4\x90\x80\x80",
		"\xff\xfe",
	};
	int all = 1;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		jbuf_reset(&b);
		jbuf_json_string(&b, bad[i], strlen(bad[i]));
		all &= check(b.p, b.len, out, sizeof out, &got) &&
		       strstr(b.p, "\\u00") != NULL;
	}
	ok(all, "invalid UTF-8 bytes become \\u00XX and stay valid JSON");

	srand(7);
	int valid = 0;
	for (int i = 0; i < 5000; i++) {
		char s[64];
		size_t n = (size_t)(rand() % 64);
		for (size_t k = 0; k < n; k++)
			s[k] = (char)(rand() % 256);
		jbuf_reset(&b);
		jbuf_json_string(&b, s, n);
		valid += check(b.p, b.len, out, sizeof out, &got);
	}
	is_int(valid, 5000, "5000 random byte strings: all valid JSON");

	jbuf_reset(&b);
	for (int i = 0; i < 100000; i++)
		jbuf_printf(&b, "%d,", i);
	ok(!b.failed && b.len == 588890 && !strncmp(b.p + b.len - 6, "99999,", 6),
	   "the buffer grows (%zu bytes)", b.len);
	jbuf_free(&b);
	sqlite3_close(db);
	return tap_done();
}
