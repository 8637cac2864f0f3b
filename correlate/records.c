/* records.c - the probe record reader: bounded lines, C-escape unquoting,
 * malformed lines reported and skipped (docs/record-format.md). */
#include "records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_BUFFER (256 * 1024)

struct record_reader {
	FILE *in;
	bool own_in;
	char *path;
	FILE *report;
	char err[512];

	unsigned long line_no, malformed;
	uint64_t bytes;		/* read from the file */
	bool at_eof;

	/* Input buffer: lines are cut out of it into line. */
	char *ibuf;
	size_t ipos, ilen;

	/* The current line, NUL-terminated; parsed (and unescaped) in place. */
	char line[RECORD_MAX_LINE + 1];
	size_t line_len;

	/* The current session: its strings copied out of its header line. */
	bool has_session;
	bool session_bad;	/* the last header was malformed */
	struct record_session session;
	/* The header line, then the session's strings after it. */
	char session_text[2 * (RECORD_MAX_LINE + 1)];

	struct record_value values[RECORD_MAX_VALUES];
	const char *sort_keys[RECORD_MAX_VALUES];
};

struct record_reader *records_new(void)
{
	struct record_reader *r = calloc(1, sizeof *r);
	return r;
}

/* Opens path for a reader with no file. */
static bool records_attach(struct record_reader *r, const char *path,
			   FILE *report, char *err, size_t errlen)
{
	if (!r->ibuf)
		r->ibuf = malloc(INPUT_BUFFER);
	r->path = strdup(path);
	if (!r->ibuf || !r->path) {
		snprintf(err, errlen, "%s: out of memory", path);
		return false;
	}
	if (!strcmp(path, "-")) {
		r->in = stdin;
	} else {
		r->in = fopen(path, "rb");
		r->own_in = true;
		if (!r->in) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			r->own_in = false;
			return false;
		}
	}
	r->report = report;
	return true;
}

struct record_reader *records_open(const char *path, FILE *report, char *err,
				   size_t errlen)
{
	struct record_reader *r = records_new();
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (!records_attach(r, path, report, err, errlen)) {
		records_close(r);
		return NULL;
	}
	return r;
}

bool records_reopen(struct record_reader *r, const char *path, FILE *report,
		    char *err, size_t errlen)
{
	if (r->own_in)
		fclose(r->in);
	free(r->path);
	r->in = NULL;
	r->own_in = false;
	r->path = NULL;
	r->err[0] = '\0';
	r->line_no = r->malformed = 0;
	r->bytes = 0;
	r->at_eof = false;
	r->ipos = r->ilen = 0;
	r->line_len = 0;
	r->has_session = r->session_bad = false;
	memset(&r->session, 0, sizeof r->session);
	/* line, session_text, values and sort_keys are scratch, written
	 * before they are read: not cleared (they are most of r). */
	return records_attach(r, path, report, err, errlen);
}

void records_close(struct record_reader *r)
{
	if (!r)
		return;
	if (r->own_in)
		fclose(r->in);
	free(r->ibuf);
	free(r->path);
	free(r);
}

uint64_t records_bytes(const struct record_reader *r)
{
	return r->bytes - (r->ilen - r->ipos);
}

unsigned long records_malformed(const struct record_reader *r)
{
	return r->malformed;
}

unsigned long records_lines(const struct record_reader *r)
{
	return r->line_no;
}

const char *records_error(const struct record_reader *r)
{
	return r->err[0] ? r->err : NULL;
}

/* Cuts the next line into r->line.  1: a line (overlong set if it did not
 * fit); 0: end of file; -1: read error. */
static int read_line(struct record_reader *r, bool *overlong)
{
	*overlong = false;
	r->line_len = 0;
	bool any = false;
	for (;;) {
		if (r->ipos == r->ilen) {
			if (r->at_eof)
				break;
			r->ilen = fread(r->ibuf, 1, INPUT_BUFFER, r->in);
			r->ipos = 0;
			r->bytes += r->ilen;
			if (r->ilen == 0) {
				if (ferror(r->in)) {
					snprintf(r->err, sizeof r->err,
						 "%s: read error: %s", r->path,
						 strerror(errno));
					return -1;
				}
				r->at_eof = true;
				break;
			}
		}
		any = true;
		const char *start = r->ibuf + r->ipos;
		size_t avail = r->ilen - r->ipos;
		const char *nl = memchr(start, '\n', avail);
		size_t n = nl ? (size_t)(nl - start) : avail;
		if (!*overlong) {
			if (n > RECORD_MAX_LINE - r->line_len) {
				*overlong = true;
			} else {
				memcpy(r->line + r->line_len, start, n);
				r->line_len += n;
			}
		}
		r->ipos += n + (nl ? 1 : 0);
		if (nl)
			break;
	}
	if (!any)
		return 0;
	r->line_no++;
	if (r->line_len && r->line[r->line_len - 1] == '\r')
		r->line_len--;	/* a file that went through Windows */
	r->line[r->line_len] = '\0';
	return 1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char *skip_spaces(char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* The end of a bare token. */
static char *token_end(char *p)
{
	while (*p && !is_space(*p))
		p++;
	return p;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unquotes the C-escaped string at *pp (which starts at '"') in place.
 * On success *out and *len hold it (NUL-terminated) and *pp points after the
 * closing quote. */
static const char *unquote(char **pp, const char *end, const char **out,
			   size_t *len)
{
	char *p = *pp + 1, *w = *pp + 1;
	*out = w;
	while (p < end && *p != '"') {
		if (*p != '\\') {
			*w++ = *p++;
			continue;
		}
		if (p + 1 >= end)
			return "unterminated string";
		switch (p[1]) {
		case '\\': *w++ = '\\'; p += 2; break;
		case '"': *w++ = '"'; p += 2; break;
		case 'n': *w++ = '\n'; p += 2; break;
		case 't': *w++ = '\t'; p += 2; break;
		case 'r': *w++ = '\r'; p += 2; break;
		case 'x': {
			int hi = p + 2 < end ? hex_digit(p[2]) : -1;
			int lo = p + 3 < end ? hex_digit(p[3]) : -1;
			if (hi < 0 || lo < 0)
				return "\\x needs two hex digits";
			*w++ = (char)(hi << 4 | lo);
			p += 4;
			break;
		}
		default:
			return "unknown escape in string";
		}
	}
	if (p >= end)
		return "unterminated string";
	*len = (size_t)(w - *out);
	*w = '\0';	/* w <= p: the closing quote's place at the latest */
	*pp = p + 1;
	if (**pp && !is_space(**pp))
		return "text after closing quote";
	return NULL;
}

/* Unsigned decimal that fits in max; digits only. */
static bool parse_udec(const char *s, const char *e, uint64_t max,
		       uint64_t *v)
{
	if (s == e)
		return false;
	uint64_t x = 0;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (x > (max - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

static bool parse_sdec(const char *s, const char *e, int64_t *v)
{
	bool neg = s < e && *s == '-';
	uint64_t x;
	if (!parse_udec(s + neg, e, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX,
			&x))
		return false;
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	return true;
}

static bool parse_hex(const char *s, const char *e, uint64_t *v)
{
	if (e - s < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
	    e - s > 18)
		return false;
	uint64_t x = 0;
	for (s += 2; s < e; s++) {
		int d = hex_digit(*s);
		if (d < 0)
			return false;
		x = x << 4 | (unsigned)d;
	}
	*v = x;
	return true;
}

/* -?[0-9]+ or 0x[0-9a-fA-F]+ of any length. */
static bool looks_numeric(const char *s, const char *e)
{
	if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (s += 2; s < e; s++)
			if (hex_digit(*s) < 0)
				return false;
		return true;
	}
	if (s < e && *s == '-')
		s++;
	if (s == e)
		return false;
	for (; s < e; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* [a-z_][a-z0-9_]* */
static bool valid_key(const char *s, const char *e)
{
	if (s == e || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (; s < e; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

/* [a-z0-9_]+(\.[a-z0-9_]+)* */
static bool valid_probe(const char *s, const char *e)
{
	bool need = true;	/* a name character must come next */
	for (; s < e; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_')
			need = false;
		else if (*s == '.' && !need)
			need = true;
		else
			return false;
	}
	return !need;
}

static int compare_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Parses key=value pairs from p to end into r->values. */
static const char *parse_pairs(struct record_reader *r, char *p, char *end,
			       size_t *nvalues, bool bare_values)
{
	size_t n = 0;
	for (p = skip_spaces(p); p < end; p = skip_spaces(p)) {
		char *eq = p;
		while (eq < end && *eq != '=' && !is_space(*eq))
			eq++;
		if (eq == end || *eq != '=')
			return "expected key=value";
		if (!valid_key(p, eq))
			return "bad key";
		if (n == RECORD_MAX_VALUES)
			return "too many values";
		struct record_value *v = &r->values[n];
		memset(v, 0, sizeof *v);
		v->key = p;
		*eq = '\0';
		char *val = eq + 1;
		if (*val == '"') {
			const char *why = unquote(&val, end, &v->s, &v->len);
			if (why)
				return why;
			v->kind = VALUE_STR;
			p = val;
		} else {
			char *ve = token_end(val);
			if (parse_sdec(val, ve, &v->i)) {
				v->kind = VALUE_INT;
			} else if (parse_hex(val, ve, &v->u)) {
				v->kind = VALUE_HEX;
			} else if ((bare_values && ve > val) ||
				   looks_numeric(val, ve)) {
				/* A number too wide for 64 bits is kept as
				 * its text rather than dropped. */
				v->kind = VALUE_STR;
				v->s = val;
				v->len = (size_t)(ve - val);
			} else {
				return ve == val ? "empty value" :
				       "value is not a number or a quoted string";
			}
			p = ve;
			if (*ve) {
				*ve = '\0';
				p = ve + 1;
			}
		}
		n++;
	}
	/* Keys are unique within a line. */
	if (n > 1) {
		for (size_t i = 0; i < n; i++)
			r->sort_keys[i] = r->values[i].key;
		qsort(r->sort_keys, n, sizeof r->sort_keys[0], compare_keys);
		for (size_t i = 1; i < n; i++)
			if (!strcmp(r->sort_keys[i - 1], r->sort_keys[i]))
				return "duplicate key";
	}
	*nvalues = n;
	return NULL;
}

static const struct record_value *find_value(const struct record_value *v,
					     size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return &v[i];
	return NULL;
}

const struct record_value *record_find(const struct record_event *ev,
				       const char *key)
{
	return find_value(ev->values, ev->nvalues, key);
}

static const char *parse_header(struct record_reader *r, char *line,
				size_t len)
{
	/* Keep the text first: parsing cuts the line into pieces. */
	memcpy(r->session_text, line, len + 1);
	char *end = line + len;
	char *p = skip_spaces(line + strlen("tapline-records"));
	char *ve = token_end(p);
	uint64_t version;
	if (!parse_udec(p, ve, 1000000, &version))
		return "header without a format version";
	if (version != 1)
		return "unsupported record format version (this reads 1)";
	size_t n;
	const char *why = parse_pairs(r, ve, end, &n, true);
	if (why)
		return why;

	struct record_session s = { .line = r->line_no };
	const struct record_value *v = find_value(r->values, n, "clock");
	if (!v || v->kind != VALUE_STR)
		return "header without clock=";
	static const char *const clocks[] = {
		[RCLOCK_REALTIME] = "realtime", [RCLOCK_TAI] = "tai",
		[RCLOCK_MONOTONIC] = "monotonic", [RCLOCK_BOOTTIME] = "boottime",
	};
	bool found = false;
	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++)
		if (!strcmp(v->s, clocks[i])) {
			s.clock = (enum record_clock)i;
			s.clock_name = clocks[i];
			found = true;
		}
	if (!found)
		return "unknown clock (realtime, tai, monotonic, boottime)";
	v = find_value(r->values, n, "clock_offset_ns");
	if (v && v->kind == VALUE_INT) {
		s.offset_known = true;
		s.clock_offset_ns = v->i;
	} else if (v && !(v->kind == VALUE_STR && !strcmp(v->s, "?"))) {
		return "clock_offset_ns is not an integer or ?";
	} else if (!v && s.clock == RCLOCK_REALTIME) {
		s.offset_known = true;	/* realtime needs none */
	}
	v = find_value(r->values, n, "start_ns");
	if (v) {
		if (v->kind != VALUE_INT || v->i < 0)
			return "start_ns is not an unsigned integer";
		s.has_start = true;
		s.start_ns = (uint64_t)v->i;
	}

	/* The values point into the line, which the next line overwrites:
	 * the strings the session keeps go after the saved header text. */
	char *base = r->session_text;
	const char *keys[] = { "host", "boot_id", "recorder" };
	const char **dest[] = { &s.host, &s.boot_id, &s.recorder };
	size_t used = len + 1;
	for (size_t i = 0; i < 3; i++) {
		v = find_value(r->values, n, keys[i]);
		if (!v)
			continue;
		char tmp[64];
		const char *src = v->s;
		size_t l = v->len;
		if (v->kind != VALUE_STR) {
			snprintf(tmp, sizeof tmp, v->kind == VALUE_INT ?
				 "%lld" : "0x%llx", v->kind == VALUE_INT ?
				 (long long)v->i : (long long)v->u);
			src = tmp;
			l = strlen(tmp);
		}
		/* Unescaped values are never longer than their source:
		 * this holds unless the buffer is too small. */
		if (used + l + 1 > sizeof r->session_text)
			return "header too long";
		memcpy(base + used, src, l);
		base[used + l] = '\0';
		*dest[i] = base + used;
		used += l + 1;
	}
	s.text = base;
	r->session = s;
	return NULL;
}

static const char *parse_event(struct record_reader *r, char *line,
			       size_t len, struct record_event *ev)
{
	char *end = line + len;
	char *p = line, *e;
	memset(ev, 0, sizeof *ev);
	ev->line = r->line_no;

	e = token_end(p);
	if (!parse_udec(p, e, UINT64_MAX, &ev->ts_raw))
		return "timestamp is not an unsigned decimal";
	p = skip_spaces(e);
	uint64_t id;
	e = token_end(p);
	if (!parse_udec(p, e, UINT32_MAX, &id))
		return "pid is not a decimal number";
	ev->pid = (uint32_t)id;
	p = skip_spaces(e);
	e = token_end(p);
	if (!parse_udec(p, e, UINT32_MAX, &id))
		return "tid is not a decimal number";
	ev->tid = (uint32_t)id;
	p = skip_spaces(e);
	if (*p != '"')
		return "comm is not a quoted string";
	const char *why = unquote(&p, end, &ev->comm, &ev->comm_len);
	if (why)
		return why;
	p = skip_spaces(p);
	e = token_end(p);
	if (!valid_probe(p, e))
		return "bad probe name";
	ev->probe = p;
	char *after = *e ? e + 1 : e;
	*e = '\0';
	p = skip_spaces(after);
	e = token_end(p);
	size_t plen = (size_t)(e - p);
	if (plen == 5 && !memcmp(p, "entry", 5))
		ev->phase = PHASE_ENTRY;
	else if (plen == 6 && !memcmp(p, "return", 6))
		ev->phase = PHASE_RETURN;
	else if (plen == 5 && !memcmp(p, "event", 5))
		ev->phase = PHASE_EVENT;
	else
		return "phase is not entry, return or event";
	why = parse_pairs(r, e, end, &ev->nvalues, false);
	if (why)
		return why;
	ev->values = r->values;

	if (ev->ts_raw > (uint64_t)INT64_MAX)
		return "timestamp out of range";
	if (!r->has_session)
		return r->session_bad ? "event after a malformed header" :
		       "event before any header (no clock domain)";
	if (r->session.offset_known) {
		int64_t off = r->session.clock_offset_ns;
		int64_t t = (int64_t)ev->ts_raw;
		if ((off > 0 && t > INT64_MAX - off) ||
		    (off < 0 && t + off < 0))
			return "timestamp out of range after the clock offset";
		ev->ts_ns = t + off;
		ev->ts_known = true;
	}
	return NULL;
}

int records_parse_line(struct record_reader *r, char *line, size_t len,
		       struct record *rec, const char **why)
{
	*why = NULL;
	if (memchr(line, '\0', len)) {
		*why = "NUL byte in line";
		return -1;
	}
	char *p = skip_spaces(line);
	if (*p == '\0' || *p == '#')
		return 0;
	size_t rest = len - (size_t)(p - line);
	if (rest >= 15 && !memcmp(p, "tapline-records", 15) &&
	    (rest == 15 || is_space(p[15]))) {
		*why = parse_header(r, p, rest);
		if (*why) {
			r->has_session = false;
			r->session_bad = true;
			return -1;
		}
		r->has_session = true;
		r->session_bad = false;
		rec->kind = RECORD_HEADER;
		rec->session = &r->session;
		return 1;
	}
	*why = parse_event(r, p, rest, &rec->event);
	if (*why)
		return -1;
	rec->kind = RECORD_EVENT;
	rec->session = &r->session;
	return 1;
}

static void report(struct record_reader *r, const char *why)
{
	r->malformed++;
	if (!r->report)
		return;
	if (r->malformed <= RECORD_MAX_REPORTS)
		fprintf(r->report, "%s:%lu: malformed record: %s\n", r->path,
			r->line_no, why);
	else if (r->malformed == RECORD_MAX_REPORTS + 1)
		fprintf(r->report,
			"%s: more malformed records: counted, not shown\n",
			r->path);
}

int records_next(struct record_reader *r, struct record *rec)
{
	for (;;) {
		bool overlong;
		int got = read_line(r, &overlong);
		if (got <= 0)
			return got;
		if (overlong) {
			report(r, "line longer than 64 KiB");
			continue;
		}
		const char *why;
		int n = records_parse_line(r, r->line, r->line_len, rec, &why);
		if (n == 1)
			return 1;
		if (n < 0)
			report(r, why);
	}
}

bool records_sniff(const uint8_t *head, size_t len)
{
	/* A header at the start of any line of the head: event lines before
	 * it are malformed, but the file is a record file. */
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && (head[j] == ' ' || head[j] == '\t'))
			j++;
		if (len - j >= 16 && !memcmp(head + j, "tapline-records", 15) &&
		    (head[j + 15] == ' ' || head[j + 15] == '\t'))
			return true;
		const uint8_t *nl = memchr(head + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - head) + 1;
	}
	return false;
}
