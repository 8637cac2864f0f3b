/* record_test.c - the recorder's parsers of kernel data: event formats,
 * ring-buffer pages (hostile: never read outside the page), record
 * quoting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record/recorder.h"
#include "tap.h"

/* The format file of a uprobe as Linux 6.18 writes it (tracefs). */
static const char format_text[] =
	"name: utimens_entry\n"
	"ID: 2326\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:__data_loc char[] path;\toffset:16;\tsize:4;\tsigned:1;\n"
	"\tfield:s64 atime_sec;\toffset:20;\tsize:8;\tsigned:1;\n"
	"\tfield:__data_loc char[] comm;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"(%lx) path=\\\"%s\\\"\", REC->__probe_ip\n";

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

struct seen {
	unsigned n;
	uint64_t ts[16];
	size_t len[16];
	int pid[16];
};

static void collect(void *ctx, const struct rb_event *ev)
{
	struct seen *s = ctx;
	if (s->n < 16) {
		s->ts[s->n] = ev->ts;
		s->len[s->n] = ev->len;
		s->pid[s->n] = ev->len >= 8 ? (int)(ev->data[4] | ev->data[5] << 8) : -1;
	}
	s->n++;
}

/* A compressed event header: type_len (5 bits), time_delta (27). */
static uint32_t hdr(unsigned type_len, uint32_t delta)
{
	return type_len | delta << 5;
}

static void test_format(void)
{
	struct tf_format f;
	is_int(tf_parse_format(format_text, &f), 0, "format parses");
	is_int(f.id, 2326, "format id");
	is_int(f.nfields, 8, "8 fields");
	const struct tf_field *path = tf_find(&f, "path");
	ok(path && path->data_loc && path->offset == 16 && path->size == 4,
	   "path is a __data_loc at 16");
	const struct tf_field *at = tf_find(&f, "atime_sec");
	ok(at && !at->data_loc && at->offset == 20 && at->size == 8 &&
	   at->is_signed, "atime_sec is s64 at 20");
	const struct tf_field *pid = tf_find(&f, "common_pid");
	ok(pid && pid->offset == 4 && pid->size == 4, "common_pid");
	ok(!tf_find(&f, "nope"), "unknown field");
	is_int(tf_parse_format("garbage\n\tfield:;offset:;\n", &f), -1,
	       "garbage is refused");
	is_int(tf_parse_format("", &f), -1, "empty is refused");

	/* field reads on a record: path "/a" at 36, atime -1 */
	uint8_t rec[40] = { 0 };
	put_le(rec + 4, 4242, 4);
	put_le(rec + 16, (3u << 16) | 36, 4);
	put_le(rec + 20, (uint64_t)-1, 8);
	memcpy(rec + 36, "/a", 3);
	tf_parse_format(format_text, &f);
	uint64_t v;
	const char *s;
	size_t sl;
	ok(tf_read_int(tf_find(&f, "atime_sec"), rec, sizeof(rec), &v) == 0 &&
	   (int64_t)v == -1, "s64 -1 read");
	ok(tf_read_str(tf_find(&f, "path"), rec, sizeof(rec), &s, &sl) == 0 &&
	   sl == 2 && !memcmp(s, "/a", 2), "string read");
	put_le(rec + 16, (30u << 16) | 36, 4);
	is_int(tf_read_str(tf_find(&f, "path"), rec, sizeof(rec), &s, &sl), -1,
	       "string past the record is refused");
	put_le(rec + 16, (0u << 16) | 36, 4);
	is_int(tf_read_str(tf_find(&f, "path"), rec, sizeof(rec), &s, &sl), -1,
	       "empty data_loc (a fault) is refused");
	is_int(tf_read_int(tf_find(&f, "atime_sec"), rec, 24, &v), -1,
	       "number past the record is refused");
	put_le(rec + 4, (uint32_t)-5, 4);
	ok(tf_read_int(tf_find(&f, "common_pid"), rec, sizeof(rec), &v) == 0 &&
	   (int64_t)v == -5, "s32 sign-extends");
}

static void test_pages(void)
{
	uint8_t page[4096];
	struct seen s;
	struct rb_page_info info;

	/* two small events, a time extend, a long (type 0) event, padding */
	memset(page, 0, sizeof(page));
	put_le(page, 1000, 8);
	size_t p = 16;
	put_le(page + p, hdr(2, 5), 4);		/* 8-byte event at 1005 */
	put_le(page + p + 4, 7ull << 32, 8);	/* pid 7 at byte 4..7 */
	p += 12;
	put_le(page + p, hdr(30, 3), 4);	/* extend: +((1<<27)*1+3) */
	put_le(page + p + 4, 1, 4);
	p += 8;
	put_le(page + p, hdr(3, 10), 4);	/* 12-byte event */
	p += 16;
	put_le(page + p, hdr(0, 1), 4);		/* type 0: 20 data bytes */
	put_le(page + p + 4, 24, 4);
	p += 8 + 20;
	put_le(page + p, hdr(29, 0), 4);	/* padding: end of data */
	p += 4;
	put_le(page + 8, p - 16, 8);
	memset(&s, 0, sizeof(s));
	rb_parse_page(page, sizeof(page), collect, &s, &info);
	is_int(s.n, 3, "3 events");
	is_int(s.ts[0], 1005, "first ts: page ts + delta");
	is_int(s.pid[0], 7, "first event's bytes");
	is_int(s.ts[1], 1005 + (1ull << 27) + 3 + 10, "time extend applies");
	is_int(s.ts[2], 1005 + (1ull << 27) + 3 + 10 + 1, "type 0 ts");
	is_int(s.len[2], 20, "type 0 length");
	ok(!info.malformed && !info.missed, "clean page");

	/* an absolute time stamp */
	memset(page, 0, sizeof(page));
	put_le(page, 5, 8);
	put_le(page + 16, hdr(31, 100), 4);
	put_le(page + 20, 2, 4);
	put_le(page + 24, hdr(1, 1), 4);
	put_le(page + 8, 16, 8);
	memset(&s, 0, sizeof(s));
	rb_parse_page(page, sizeof(page), collect, &s, &info);
	ok(s.n == 1 && s.ts[0] == (2ull << 27) + 100 + 1, "time stamp");

	/* the kernel flagged lost events */
	put_le(page + 8, 16 | (1ull << 31), 8);
	rb_parse_page(page, sizeof(page), collect, &s, &info);
	ok(info.missed, "missed events flag");

	/* commit beyond the page, type 0 length beyond the data, short
	 * pages: never read outside */
	memset(page, 0, sizeof(page));
	put_le(page + 8, 100000, 8);
	memset(&s, 0, sizeof(s));
	rb_parse_page(page, 64, collect, &s, &info);
	ok(info.malformed, "commit past the page is malformed");
	memset(page, 0, sizeof(page));
	put_le(page + 16, hdr(0, 1), 4);
	put_le(page + 20, 0xffffff00u, 4);
	put_le(page + 8, 32, 8);
	memset(&s, 0, sizeof(s));
	rb_parse_page(page, 48, collect, &s, &info);
	ok(info.malformed && s.n == 0, "huge type 0 length is malformed");
	put_le(page + 16, hdr(28, 1), 4);	/* 112 bytes claimed, 12 left */
	rb_parse_page(page, 48, collect, &s, &info);
	ok(info.malformed && s.n == 0, "small event past the data");
	put_le(page + 16, hdr(29, 5), 4);	/* discarded event */
	put_le(page + 20, 0xfffffff0u, 4);
	rb_parse_page(page, 48, collect, &s, &info);
	ok(info.malformed, "padding past the data");
	rb_parse_page(page, 10, collect, &s, &info);
	ok(info.malformed && s.n == 0, "page shorter than its header");
	rb_parse_page(page, 0, collect, &s, &info);
	ok(!info.malformed && s.n == 0, "empty read");

	/* random pages: must not crash (ASan/UBSan run checks reads) */
	srand(42);
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(rand() % 512);
		uint8_t *buf = malloc(len ? len : 1);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rand();
		if (len >= 16)
			put_le(buf + 8, (uint64_t)(rand() % 600), 8);
		rb_parse_page(buf, len, collect, &s, &info);
		free(buf);
	}
	ok(1, "2000 random pages survived");
}

static void test_quote(void)
{
	char buf[64];
	size_t n = record_quote(buf, sizeof(buf), "a\"b\\c\n\t\r\x01\xff", 10);
	is_str(buf, "\"a\\\"b\\\\c\\n\\t\\r\\x01\\xff\"", "escapes");
	is_int(n, strlen(buf), "length");
	n = record_quote(buf, 4, "abcdef", 6);
	is_int(n, 8, "needed length when cut");
	is_int(strlen(buf), 3, "cut and terminated");
}

/* A page the kernel (Linux 6.18, this machine) wrote for a uprobe pair
 * on glfs_utimens, called by a program with path "/p", atime {-1, 0} and
 * mtime {1, 2}: tests/fuzz/corpus/record_page/utimens-entry-return-page
 * (format IDs 2619 entry, 2620 return; the layouts below are the ones
 * tracefs gave for those fetchargs). */
struct real_ctx {
	struct tf_format entry, ret;
	unsigned entries, returns, bad_values, disorder;
	uint64_t last_ts;
};

static void on_real(void *vctx, const struct rb_event *ev)
{
	struct real_ctx *c = vctx;
	if (ev->ts < c->last_ts)
		c->disorder++;
	c->last_ts = ev->ts;
	unsigned type = ev->data[0] | ev->data[1] << 8;
	uint64_t v;
	const char *s;
	size_t n;
	if ((int)type == c->entry.id) {
		c->entries++;
		if (tf_read_str(tf_find(&c->entry, "path"), ev->data, ev->len, &s, &n) ||
		    n != 2 || memcmp(s, "/p", 2))
			c->bad_values++;
		if (tf_read_int(tf_find(&c->entry, "atime_sec"), ev->data, ev->len, &v) ||
		    (int64_t)v != -1)
			c->bad_values++;
		if (tf_read_int(tf_find(&c->entry, "mtime_nsec"), ev->data, ev->len, &v) ||
		    v != 2)
			c->bad_values++;
	} else if ((int)type == c->ret.id) {
		c->returns++;
		if (tf_read_int(tf_find(&c->ret, "ret"), ev->data, ev->len, &v) || v != 0)
			c->bad_values++;
	}
}

static void test_real_page(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/record_page/"
		 "utimens-entry-return-page", top ? top : ".");
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("ok %d # SKIP %s not found\n", ++tap_count, path);
		return;
	}
	static uint8_t page[4096];
	size_t len = fread(page, 1, sizeof(page), f);
	fclose(f);
	struct real_ctx c;
	memset(&c, 0, sizeof(c));
	tf_parse_format(
		"ID: 2619\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
		"\tfield:u64 fs;\toffset:16;\tsize:8;\tsigned:0;\n"
		"\tfield:__data_loc char[] path;\toffset:24;\tsize:4;\tsigned:1;\n"
		"\tfield:u64 times;\toffset:28;\tsize:8;\tsigned:0;\n"
		"\tfield:s64 atime_sec;\toffset:36;\tsize:8;\tsigned:1;\n"
		"\tfield:s64 mtime_nsec;\toffset:60;\tsize:8;\tsigned:1;\n",
		&c.entry);
	tf_parse_format(
		"ID: 2620\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:s32 ret;\toffset:24;\tsize:4;\tsigned:1;\n", &c.ret);
	struct rb_page_info info;
	rb_parse_page(page, len, on_real, &c, &info);
	ok(!info.malformed && !info.missed, "the kernel's page is well formed");
	is_int(info.events, 75, "75 events on it");
	ok(c.entries == 38 && c.returns == 37, "38 entries, 37 returns");
	is_int(c.bad_values, 0, "every path, atime_sec, mtime_nsec, ret as called");
	is_int(c.disorder, 0, "timestamps never go back");
}

int main(void)
{
	test_format();
	test_pages();
	test_quote();
	test_real_page();
	return tap_done();
}
