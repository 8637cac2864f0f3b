/* records_test.c - the probe record reader against well-formed and
 * hostile lines (docs/record-format.md), and the SHA-256 used for input
 * fingerprints against FIPS 180-4's published vectors. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "records.h"
#include "sha256.h"
#include "tap.h"

static struct record_reader *reader;

/* Parses text (copied: the parser works in place). */
static int parse(const char *text, struct record *rec, const char **why)
{
	static char line[RECORD_MAX_LINE + 1];
	size_t len = strlen(text);
	memcpy(line, text, len + 1);
	return records_parse_line(reader, line, len, rec, why);
}

static const char *why_of(const char *text)
{
	struct record rec;
	const char *why;
	int n = parse(text, &rec, &why);
	return n < 0 ? why : "(parsed)";
}

static void test_header_and_event(void)
{
	struct record rec;
	const char *why;
	is_int(parse("tapline-records 1 host=gl1 clock=realtime "
		     "clock_offset_ns=0 boot_id=5d1c recorder=tapline-record/0.1.0"
		     " start_ns=1763762400123456789 future_key=\"a b\"",
		     &rec, &why), 1, "header parses");
	is_int(rec.kind, RECORD_HEADER, "header kind");
	is_str(rec.session->host, "gl1", "header host");
	is_str(rec.session->clock_name, "realtime", "header clock");
	is_str(rec.session->recorder, "tapline-record/0.1.0", "header recorder");
	ok(rec.session->offset_known && rec.session->clock_offset_ns == 0,
	   "realtime offset known, 0");
	ok(rec.session->has_start &&
	   rec.session->start_ns == 1763762400123456789ULL, "start_ns kept");

	is_int(parse("1763762400200000123 4242 4250 \"gfapi-client\" "
		     "gfapi.utimens entry fs=0x7f00 path=\"/dir/f\\t\\\"q\\\"\\x41\""
		     " atime_sec=-1 atime_nsec=0 mtime_sec=1700000000",
		     &rec, &why), 1, "event parses");
	const struct record_event *ev = &rec.event;
	ok(ev->ts_known && ev->ts_ns == 1763762400200000123LL, "event time");
	is_int(ev->pid, 4242, "pid");
	is_int(ev->tid, 4250, "tid");
	is_str(ev->comm, "gfapi-client", "comm unquoted");
	is_str(ev->probe, "gfapi.utimens", "probe");
	is_int(ev->phase, PHASE_ENTRY, "phase");
	is_int(ev->nvalues, 5, "five values");
	const struct record_value *v = record_find(ev, "path");
	ok(v && v->kind == VALUE_STR && v->len == 11 &&
	   !memcmp(v->s, "/dir/f\t\"q\"A", 11), "C escapes unquoted");
	v = record_find(ev, "atime_sec");
	ok(v && v->kind == VALUE_INT && v->i == -1, "negative decimal");
	v = record_find(ev, "fs");
	ok(v && v->kind == VALUE_HEX && v->u == 0x7f00, "hex value");

	is_int(parse("5 1 1 \"a\\x00b\" x return ret=0", &rec, &why), 1,
	       "\\x00 in a string is kept");
	ok(rec.event.comm_len == 3 && rec.event.comm[1] == '\0', "NUL kept");
	is_int(parse("   # a comment", &rec, &why), 0, "comment skipped");
	is_int(parse("", &rec, &why), 0, "blank skipped");
	is_int(parse("\t ", &rec, &why), 0, "white space skipped");
	is_int(parse("1  2\t3 \"c\"  p.q   event   k=1   ", &rec, &why), 1,
	       "runs of blanks between columns");
	is_int(parse("18446744073709551615 1 1 \"c\" p event", &rec, &why), -1,
	       "ts above INT64_MAX refused");
}

static void test_clocks(void)
{
	struct record rec;
	const char *why;
	is_int(parse("tapline-records 1 host=h clock=tai "
		     "clock_offset_ns=-37000000000", &rec, &why), 1, "tai header");
	is_int(parse("100000000000 1 1 \"c\" p event", &rec, &why), 1, "tai event");
	ok(rec.event.ts_known && rec.event.ts_ns == 63000000000LL,
	   "tai converted with the offset");
	is_str(why_of("1000 1 1 \"c\" p event"),
	       "timestamp out of range after the clock offset",
	       "negative realtime refused");
	is_int(parse("tapline-records 1 clock=monotonic clock_offset_ns=?",
		     &rec, &why), 1, "unknown offset header");
	ok(!rec.session->offset_known, "offset unknown");
	ok(rec.session->host == NULL, "no host");
	is_int(parse("5 1 1 \"c\" p event", &rec, &why), 1, "event parses");
	ok(!rec.event.ts_known && rec.event.ts_raw == 5, "kept raw");
	is_int(parse("tapline-records 1 clock=boottime", &rec, &why), 1,
	       "boottime without offset");
	ok(!rec.session->offset_known, "boottime offset unknown when absent");
	is_str(why_of("tapline-records 2 clock=realtime"),
	       "unsupported record format version (this reads 1)", "version 2");
	is_str(why_of("5 1 1 \"c\" p event"), "event after a malformed header",
	       "events after a bad header are refused");
	is_str(why_of("tapline-records 1 clock=sundial"),
	       "unknown clock (realtime, tai, monotonic, boottime)",
	       "unknown clock");
	is_str(why_of("tapline-records 1 host=x"), "header without clock=",
	       "clock required");
	is_str(why_of("tapline-records 1 clock=realtime clock_offset_ns=abc"),
	       "clock_offset_ns is not an integer or ?", "bad offset");
	is_str(why_of("tapline-records"), "header without a format version",
	       "bare magic is a bad header");
	is_int(parse("tapline-records 1 clock=realtime", &rec, &why), 1,
	       "back to a good session");
}

static void test_hostile(void)
{
	static const struct {
		const char *line, *why;
	} cases[] = {
		{ "x 1 1 \"c\" p event", "timestamp is not an unsigned decimal" },
		{ "-5 1 1 \"c\" p event", "timestamp is not an unsigned decimal" },
		{ "99999999999999999999 1 1 \"c\" p event",
		  "timestamp is not an unsigned decimal" },
		{ "5 4294967296 1 \"c\" p event", "pid is not a decimal number" },
		{ "5 1 x \"c\" p event", "tid is not a decimal number" },
		{ "5 1 1 c p event", "comm is not a quoted string" },
		{ "5 1 1 \"c p event", "unterminated string" },
		{ "5 1 1 \"c\\", "unterminated string" },
		{ "5 1 1 \"c\\q\" p event", "unknown escape in string" },
		{ "5 1 1 \"c\\x4\" p event", "\\x needs two hex digits" },
		{ "5 1 1 \"c\\xg1\" p event", "\\x needs two hex digits" },
		{ "5 1 1 \"c\"x p event", "text after closing quote" },
		{ "5 1 1 \"c\" Gfapi.x event", "bad probe name" },
		{ "5 1 1 \"c\" gfapi..x event", "bad probe name" },
		{ "5 1 1 \"c\" .x event", "bad probe name" },
		{ "5 1 1 \"c\" x. event", "bad probe name" },
		{ "5 1 1 \"c\"", "bad probe name" },
		{ "5 1 1 \"c\" p", "phase is not entry, return or event" },
		{ "5 1 1 \"c\" p exit", "phase is not entry, return or event" },
		{ "5 1 1 \"c\" p entry k", "expected key=value" },
		{ "5 1 1 \"c\" p entry K=1", "bad key" },
		{ "5 1 1 \"c\" p entry 1k=1", "bad key" },
		{ "5 1 1 \"c\" p entry =1", "bad key" },
		{ "5 1 1 \"c\" p entry k=", "empty value" },
		{ "5 1 1 \"c\" p entry k=abc",
		  "value is not a number or a quoted string" },
		{ "5 1 1 \"c\" p entry k=0x", "value is not a number or a quoted string" },
		{ "5 1 1 \"c\" p entry k=--1",
		  "value is not a number or a quoted string" },
		{ "5 1 1 \"c\" p entry k=\"a\"b",
		  "text after closing quote" },
		{ "5 1 1 \"c\" p entry k=\"a", "unterminated string" },
		{ "5 1 1 \"c\" p entry k=1 j=2 k=3", "duplicate key" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_str(why_of(cases[i].line), cases[i].why, "refused: %s",
		       cases[i].line);
	is_str(why_of("5 1 1 \"c\" p entry k=-9223372036854775808"),
	       "(parsed)", "INT64_MIN accepted");
	is_str(why_of("5 1 1 \"c\" p entry k=0xffffffffffffffff"), "(parsed)",
	       "64-bit hex accepted");
	struct record wide;
	const char *wwhy;
	is_int(parse("5 1 1 \"c\" p entry k=0x12345678123456789 j=9223372036854775808",
		     &wide, &wwhy), 1, "numbers wider than 64 bits: the line is kept");
	const struct record_value *wk = record_find(&wide.event, "k");
	const struct record_value *wj = record_find(&wide.event, "j");
	ok(wk && wk->kind == VALUE_STR && !strcmp(wk->s, "0x12345678123456789") &&
	   wj && wj->kind == VALUE_STR && !strcmp(wj->s, "9223372036854775808"),
	   "and the values as their text");

	/* A NUL byte inside a line. */
	struct record rec;
	const char *why;
	char nul[] = "5 1 1 \"c\" p event k=\"a\0b\"";
	is_int(records_parse_line(reader, nul, sizeof nul - 1, &rec, &why), -1,
	       "NUL byte refused");
	is_str(why, "NUL byte in line", "NUL reason");

	/* Many distinct keys fit; one repeated at the end does not. */
	static char many[RECORD_MAX_LINE + 1];
	size_t n = (size_t)snprintf(many, sizeof many, "5 1 1 \"c\" p event");
	unsigned keys = 0;
	while (n + 16 < 60000)
		n += (size_t)snprintf(many + n, sizeof many - n, " k%u=%u",
				      keys, keys), keys++;
	is_int(parse(many, &rec, &why), 1, "%u distinct keys parse", keys);
	is_int(rec.event.nvalues, keys, "all kept");
	snprintf(many + n, sizeof many - n, " k0=1");
	is_str(why_of(many), "duplicate key", "repeat among thousands found");
}

/* Random and mutated lines: whatever the verdict, no crash (ASan and
 * UBSan watch this under the sanitizer build). */
static void test_fuzz(void)
{
	static const char valid[] = "1763762400200000123 4242 4250 \"gfapi\\x41\" "
		"gfapi.utimens entry path=\"/d\\\"f\" atime_sec=-1 fs=0x7f";
	static const char alphabet[] = "0123456789 \"\\xax=-._\tpentryk#";
	char line[256];
	struct record rec;
	const char *why;
	unsigned parsed = 0, refused = 0;
	srand(12345);
	for (int i = 0; i < 20000; i++) {
		size_t len;
		if (i % 2) {
			len = strlen(valid);
			memcpy(line, valid, len);
			for (int k = 0; k < 1 + rand() % 4; k++)
				line[rand() % len] =
					alphabet[rand() % (sizeof alphabet - 1)];
		} else {
			len = (size_t)(rand() % 80);
			for (size_t k = 0; k < len; k++)
				line[k] = (char)(rand() % 256);
		}
		line[len] = '\0';
		int r = records_parse_line(reader, line, len, &rec, &why);
		if (r < 0)
			refused += why != NULL;
		else
			parsed++;
	}
	ok(parsed + refused == 20000, "20000 random lines: every one parsed "
	   "or refused with a reason (%u parsed)", parsed);
}

static void test_file(void)
{
	char path[] = "/tmp/records_test.XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0, "temp file");
	FILE *f = fdopen(fd, "w");
	fputs("1 1 1 \"c\" p event\n", f);		/* 1: before a header */
	fputs("# produced by hand\n", f);		/* 2 */
	fputs("tapline-records 1 host=h clock=realtime\r\n", f);	/* 3 */
	fputs("10 7 8 \"c\" a.b entry x=1\n", f);	/* 4 */
	fputs("11 7 8 \"c\" a.b entry", f);		/* 5: over-long */
	for (int i = 0; i < 70000; i++)
		fputc('x', f);
	fputc('\n', f);
	fputs("12 7 8 \"c\" a.b return ret=0\n", f);	/* 6 */
	fputs("13 7 8 \"c\" a.b whatever\n", f);	/* 7 */
	fputs("14 7 8 \"c\" a.b event", f);		/* 8: no newline at EOF */
	fclose(f);

	char err[256];
	FILE *report = tmpfile();
	struct record_reader *r = records_open(path, report, err, sizeof err);
	ok(r != NULL, "records_open");
	struct record rec;
	unsigned long lines[8];
	int kinds[8], n = 0, got;
	while ((got = records_next(r, &rec)) == 1 && n < 8) {
		lines[n] = rec.kind == RECORD_HEADER ? rec.session->line :
						       rec.event.line;
		kinds[n++] = rec.kind;
	}
	is_int(got, 0, "end of file");
	is_int(n, 4, "header + three events");
	ok(n == 4 && kinds[0] == RECORD_HEADER && lines[0] == 3 &&
	   lines[1] == 4 && lines[2] == 6 && lines[3] == 8,
	   "records at lines 3, 4, 6, 8");
	is_int(records_malformed(r), 3, "three malformed lines counted");
	is_int(records_lines(r), 8, "eight lines read");

	/* records_reopen: the reader forgets the first file, its session
	 * included (the event before the header is malformed again) */
	char path2[] = "/tmp/records_test.XXXXXX";
	fd = mkstemp(path2);
	f = fdopen(fd, "w");
	fputs("1 1 1 \"c\" p event\n", f);
	fputs("tapline-records 1 host=h2 clock=realtime\n", f);
	fputs("10 7 8 \"c\" a.b entry x=1\n", f);
	fclose(f);
	ok(records_reopen(r, path2, NULL, err, sizeof err), "records_reopen");
	n = 0;
	while ((got = records_next(r, &rec)) == 1 && n < 8) {
		lines[n] = rec.kind == RECORD_HEADER ? rec.session->line :
						       rec.event.line;
		kinds[n++] = rec.kind;
	}
	ok(got == 0 && n == 2 && kinds[0] == RECORD_HEADER && lines[0] == 2 &&
	   lines[1] == 3 && !strcmp(rec.session->host, "h2"),
	   "  the second file's records, at lines 2 and 3");
	ok(records_malformed(r) == 1 && records_lines(r) == 3 &&
	   !records_error(r), "  counts start again");
	unlink(path2);
	ok(!records_reopen(r, "/nonexistent/records", NULL, err, sizeof err) &&
	   strstr(err, "/nonexistent/records: "), "  a missing file named");
	records_close(r);

	char text[1024] = "";
	rewind(report);
	size_t len = fread(text, 1, sizeof text - 1, report);
	text[len] = '\0';
	fclose(report);
	char want[1024];
	snprintf(want, sizeof want,
		 "%s:1: malformed record: event before any header (no clock domain)\n"
		 "%s:5: malformed record: line longer than 64 KiB\n"
		 "%s:7: malformed record: phase is not entry, return or event\n",
		 path, path, path);
	is_str(text, want, "FILE:LINE: malformed record: WHY reports");
	unlink(path);

	r = records_open("/nonexistent/records", NULL, err, sizeof err);
	ok(!r && strstr(err, "/nonexistent/records: "), "missing file named");
}

static void test_sniff(void)
{
	static const char a[] = "\n# c\n  tapline-records 1 clock=realtime\n";
	ok(records_sniff((const uint8_t *)a, sizeof a - 1), "sniff: header");
	static const char b[] = "\xd4\xc3\xb2\xa1";
	ok(!records_sniff((const uint8_t *)b, 4), "sniff: pcap is not records");
	static const char c[] = "tapline-records";
	ok(!records_sniff((const uint8_t *)c, sizeof c - 1), "sniff: cut magic");
	static const char d[] = "5 1 1 \"c\" p event\ntapline-records 1 clock=tai\n";
	ok(records_sniff((const uint8_t *)d, sizeof d - 1),
	   "sniff: a header after an event line");
	static const char e[] = "some text tapline-records 1\n";
	ok(!records_sniff((const uint8_t *)e, sizeof e - 1),
	   "sniff: the magic inside a line is not a header");
}

static void hex(const uint8_t d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void test_sha256(void)
{
	struct sha256 s;
	uint8_t d[32];
	char h[65];
	ok(sha256_init(&s), "sha256_init");
	sha256_update(&s, "abc", 3);
	sha256_final(&s, d);
	hex(d, h);
	is_str(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "sha256(abc), FIPS 180-4 example");
	sha256_init(&s);
	sha256_final(&s, d);
	hex(d, h);
	is_str(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "sha256 of nothing");
	sha256_init(&s);
	static const char two[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	/* Fed in odd pieces, to cross block boundaries. */
	for (size_t i = 0; i < sizeof two - 1; i += 7)
		sha256_update(&s, two + i, sizeof two - 1 - i < 7 ?
			      sizeof two - 1 - i : 7);
	sha256_final(&s, d);
	hex(d, h);
	is_str(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	       "sha256 of the two-block example");
	sha256_init(&s);
	static char million[1000000];
	memset(million, 'a', sizeof million);
	sha256_update(&s, million, sizeof million);
	sha256_final(&s, d);
	hex(d, h);
	is_str(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "sha256 of a million 'a'");
}

int main(void)
{
	reader = records_new();
	is_str(why_of("5 1 1 \"c\" p event"),
	       "event before any header (no clock domain)", "no header yet");
	test_header_and_event();
	test_clocks();
	test_hostile();
	test_fuzz();
	test_file();
	test_sniff();
	test_sha256();
	records_close(reader);
	return tap_done();
}
