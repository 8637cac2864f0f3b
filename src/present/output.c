/* output.c - the renderers of tapline decode: summary lines, the -V tree,
 * JSON lines and -T fields columns. */
#include "output.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <arpa/inet.h>

#include "base/view.h"
#include "proto/registry.h"

/* The protocol column. */
static const char *protocol_label(const struct message *m)
{
	return m->proto ? m->proto->label : "?";
}

/* ---- formatting values */

/* The word x (eight bytes) holds none that put_escaped changes: none
 * below 0x20, no 0x7f, backslash or quote (`quotes`: the quote in every
 * byte).  Bytes from 0x80 go as they are. */
static inline bool plain_word(uint64_t x, uint64_t quotes)
{
	const uint64_t ones = 0x0101010101010101ull, highs = ones << 7;
	uint64_t del = x ^ (ones * 0x7f), bs = x ^ (ones * '\\'), q = x ^ quotes;
	uint64_t special = ((x - ones * 0x20) & ~x) |
			   ((del - ones) & ~del) | ((bs - ones) & ~bs) |
			   ((q - ones) & ~q);
	return !(special & highs);
}

/* k bytes (1 to 8) of p as one word to check, without a byte loop:
 * overlapping halves, or for fewer than 4 the first, middle and last
 * with plain bytes around them. */
static inline uint64_t load_upto8(const uint8_t *p, size_t k)
{
	uint64_t x;
	if (k == 8) {
		memcpy(&x, p, 8);
		return x;
	}
	if (k >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + k - 4, 4);
		return a | (uint64_t)b << 32;
	}
	return 0x6161616161000000ull | p[0] | (uint64_t)p[k / 2] << 8 |
	       (uint64_t)p[k - 1] << 16;
}

static inline void copy_upto8(char *d, const uint8_t *p, size_t k)
{
	if (k == 8) {
		memcpy(d, p, 8);
	} else if (k >= 4) {
		memcpy(d, p, 4);
		memcpy(d + k - 4, p + k - 4, 4);
	} else {
		d[0] = (char)p[0];
		d[k / 2] = (char)p[k / 2];
		d[k - 1] = (char)p[k - 1];
	}
}

static size_t put_escaped(char *buf, size_t len, const uint8_t *s, size_t n,
			  char quote)
{
	size_t o = 0;
	/* Without a quote, backslash stands in for it (never plain). */
	uint64_t quotes = 0x0101010101010101ull * (uint8_t)(quote ? quote : '\\');
	for (size_t i = 0; i < n && o + 5 < len; i++) {
		/* Text is mostly plain: up to eight bytes at a time while
		 * they are, where the byte loop would have had room for
		 * each. */
		for (;;) {
			size_t k = n - i < 8 ? n - i : 8;
			if (!k || o + k + 5 >= len ||
			    !plain_word(load_upto8(s + i, k), quotes))
				break;
			copy_upto8(buf + o, s + i, k);
			o += k;
			i += k;
		}
		if (i >= n || o + 5 >= len)
			break;
		uint8_t c = s[i];
		const char *esc = NULL;
		switch (c) {
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default: break;
		}
		if (esc) {
			memcpy(buf + o, esc, 2);
			o += 2;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		} else if (quote && c == (uint8_t)quote) {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return o;
}

static size_t put_hex(char *buf, size_t len, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < n && o + 2 < len; i++) {
		buf[o++] = digits[p[i] >> 4];
		buf[o++] = digits[p[i] & 15];
	}
	buf[o] = '\0';
	return o;
}

static size_t put_uuid(char *buf, size_t len, const uint8_t *g)
{
	char tmp[37];
	gfid_text(g, tmp);
	size_t o = 36;
	if (o >= len)
		o = len - 1;
	memcpy(buf, tmp, o);
	buf[o] = '\0';
	return o;
}

/* Number formatting without printf: the renderers spend most of their
 * time here on big captures. */
static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930"
	"31323334353637383940414243444546474849505152535455565758596061"
	"62636465666768697071727374757677787980818283848586878889909192"
	"93949596979899";

static size_t u64_dec(char *buf, uint64_t v)
{
	/* Count the digits (from the highest bit set: log10(2) ~ 1233 /
	 * 4096), then write them in place from the end: the copy out of a
	 * scratch buffer cost as much as the digits. */
	static const uint64_t pow10[20] = {
		1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
		10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
		100000000000ull, 1000000000000ull, 10000000000000ull,
		100000000000000ull, 1000000000000000ull,
		10000000000000000ull, 100000000000000000ull,
		1000000000000000000ull, 10000000000000000000ull,
	};
	unsigned t = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;
	size_t len = v < 10 ? 1 : t + 1 - (v < pow10[t]);
	char *o = buf + len;
	while (v >= 100) {	/* two digits a division */
		unsigned d = (unsigned)(v % 100);
		v /= 100;
		*--o = pairs[2 * d + 1];
		*--o = pairs[2 * d];
	}
	if (v >= 10) {
		*--o = pairs[2 * v + 1];
		*--o = pairs[2 * v];
	} else {
		*--o = (char)('0' + v);
	}
	return len;
}

static size_t i64_dec(char *buf, int64_t v)
{
	if (v < 0) {
		buf[0] = '-';
		return 1 + u64_dec(buf + 1, (uint64_t)0 - (uint64_t)v);
	}
	return u64_dec(buf, (uint64_t)v);
}

/* 0x and at least `width` lowercase hex digits */
static size_t hex_pad(char *buf, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	int n = 1;
	while (n < 16 && v >> (4 * n))
		n++;
	if (n < width)
		n = width;
	buf[0] = '0';
	buf[1] = 'x';
	for (int i = 0; i < n; i++)
		buf[2 + i] = digits[(v >> (4 * (n - 1 - i))) & 15];
	return (size_t)n + 2;
}

/* sec "." nsec with nine digits */
static size_t time_dec(char *buf, int64_t sec, uint32_t nsec)
{
	size_t n = i64_dec(buf, sec);
	buf[n++] = '.';
	/* the nine low digits, two a division */
	char *o = buf + n + 9;
	for (int i = 0; i < 4; i++) {
		unsigned d = nsec % 100;
		nsec /= 100;
		*--o = pairs[2 * d + 1];
		*--o = pairs[2 * d];
	}
	*--o = (char)('0' + nsec % 10);
	return n + 9;
}

static size_t clamp(int n, size_t len)
{
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

static bool numeric_kind_for_format(uint8_t kind)
{
	return kind == FIELD_UINT || kind == FIELD_BOOL || kind == FIELD_ENUM ||
	       kind == FIELD_HEX || kind == FIELD_FLAGS || kind == FIELD_INT ||
	       kind == FIELD_ERRNO || kind == FIELD_TIME;
}

static size_t format_value(char *buf, size_t len, const struct field *f,
			   const uint8_t *bytes, char quote)
{
	size_t n;
	if (len == 0)
		return 0;
	if (len < 48 && numeric_kind_for_format(f->kind)) {
		char tmp[48];
		n = format_value(tmp, sizeof tmp, f, bytes, quote);
		if (n >= len)
			n = len - 1;
		memcpy(buf, tmp, n);
		buf[n] = '\0';
		return n;
	}
	switch ((enum field_kind)f->kind) {
	case FIELD_UINT:
	case FIELD_BOOL:
	case FIELD_ENUM:
		n = u64_dec(buf, f->v.u);
		break;
	case FIELD_HEX:
	case FIELD_FLAGS:
		n = hex_pad(buf, f->v.u, f->v.u > UINT32_MAX ? 16 : 8);
		break;
	case FIELD_INT:
	case FIELD_ERRNO:
		n = i64_dec(buf, f->v.i);
		break;
	case FIELD_TIME:
		if (f->v.t.nsec >= 1000000000u)	/* impossible, shown as is */
			return clamp(snprintf(buf, len, "%" PRId64 ".%" PRIu32,
					      f->v.t.sec, f->v.t.nsec), len);
		n = time_dec(buf, f->v.t.sec, f->v.t.nsec);
		break;
	case FIELD_STR:
	case FIELD_ADDR:
	case FIELD_TREE:
		return put_escaped(buf, len, bytes, f->len, quote);
	case FIELD_BYTES:
		return put_hex(buf, len, bytes, f->len);
	case FIELD_GFID:
		if (f->len != 16)
			return put_hex(buf, len, bytes, f->len);
		return clamp((int)put_uuid(buf, len, bytes), len);
	case FIELD_TREE_END:
	default:
		buf[0] = '\0';
		return 0;
	}
	buf[n] = '\0';
	return n;
}

size_t field_format(char *buf, size_t len, const struct field *f,
		    const uint8_t *bytes)
{
	return format_value(buf, len, f, bytes, 0);
}

/* ---- the output object */

void output_init(struct output *o, FILE *out)
{
	memset(o, 0, sizeof *o);
	o->out = out;
	o->format = OUTPUT_TEXT;
	o->time_format = TIME_RELATIVE;
	o->separator = '\t';
	o->aggregator = ',';
	o->occurrence = 'a';
}

bool output_add_field(struct output *o, const char *name)
{
	if (o->nfields >= OUTPUT_MAX_FIELDS)
		return false;
	field_ref_init(&o->fields[o->nfields], name);
	o->fields[o->nfields++].ctx.time_base = &o->first_ts_ns;
	return true;
}

static bool parse_sep_char(const char *v, char *c)
{
	if (!strcmp(v, "/t") || !strcmp(v, "\\t"))
		*c = '\t';
	else if (!strcmp(v, "/s"))
		*c = ' ';
	else if (strlen(v) == 1)
		*c = v[0];
	else
		return false;
	return true;
}

bool output_set_option(struct output *o, const char *opt, char *err,
		       size_t errlen)
{
	const char *eq = strchr(opt, '=');
	if (!eq) {
		snprintf(err, errlen, "-E %s: expected NAME=VALUE", opt);
		return false;
	}
	size_t k = (size_t)(eq - opt);
	const char *v = eq + 1;
	if (k == 9 && !strncmp(opt, "separator", k)) {
		if (parse_sep_char(v, &o->separator))
			return true;
	} else if (k == 10 && !strncmp(opt, "aggregator", k)) {
		if (parse_sep_char(v, &o->aggregator))
			return true;
	} else if (k == 6 && !strncmp(opt, "header", k)) {
		if (!strcmp(v, "y") || !strcmp(v, "n")) {
			o->header = v[0] == 'y';
			return true;
		}
	} else if (k == 5 && !strncmp(opt, "quote", k)) {
		if (!strcmp(v, "d") || !strcmp(v, "s") || !strcmp(v, "n")) {
			o->quote = v[0] == 'd' ? '"' : v[0] == 's' ? '\'' : 0;
			return true;
		}
	} else if (k == 10 && !strncmp(opt, "occurrence", k)) {
		if (!strcmp(v, "f") || !strcmp(v, "l") || !strcmp(v, "a")) {
			o->occurrence = v[0];
			return true;
		}
	} else {
		snprintf(err, errlen,
			 "-E %s: unknown option (separator, aggregator, "
			 "header, quote, occurrence)", opt);
		return false;
	}
	snprintf(err, errlen, "-E %s: bad value '%s'", opt, v);
	return false;
}

void output_set_first_time(struct output *o, int64_t ts_ns)
{
	if (o->have_first)
		return;
	o->have_first = true;
	o->first_ts_ns = ts_ns;
	o->prev_ts_ns = ts_ns;
}

/* The info column: the decoder's own summary (rpc.c writes "V400
 * SETATTR Call ..."), then the verdicts in brackets (tcpdump's [|proto]
 * habit, in words). */
static size_t compose_info(char *buf, size_t len, const struct message *m)
{
	static const char *const words[] = {
		"Malformed", "Truncated", "Not decoded", "After gap", "Elided",
		"Fields full",
	};
	size_t n = 0;
#define PUT(...) (n += clamp(snprintf(buf + n, len - n, __VA_ARGS__), len - n))
	buf[0] = '\0';
	if (m->info_len) {
		/* as "%.*s" would, without printf */
		n = strnlen(m->info, m->info_len);
		if (n >= len)
			n = len - 1;
		memcpy(buf, m->info, n);
		buf[n] = '\0';
	}
	if (m->verdict) {
		PUT(" [");
		bool first = true;
		for (unsigned i = 0; i < sizeof words / sizeof *words; i++) {
			if (!(m->verdict & 1u << i))
				continue;
			PUT("%s%s", first ? "" : ", ", words[i]);
			first = false;
		}
		if (m->why)
			PUT(": %s", m->why);
		PUT("]");
	}
#undef PUT
	/* No leading blank when the decoder gave nothing but a verdict. */
	if (n && buf[0] == ' ') {
		memmove(buf, buf + 1, n);
		n--;
	}
	return n;
}

static void split_ns(int64_t ns, int64_t *sec, int64_t *frac)
{
	*sec = ns / 1000000000;
	*frac = ns % 1000000000;
	if (*frac < 0) {
		*frac += 1000000000;
		(*sec)--;
	}
}

static void put_time(struct output *o, const struct message *m)
{
	int64_t sec, frac;
	switch (o->time_format) {
	case TIME_RELATIVE:
	case TIME_DELTA: {
		int64_t base = o->time_format == TIME_RELATIVE ?
			o->first_ts_ns : o->prev_ts_ns;
		int64_t d = m->ts_ns - base;
		const char *sign = d < 0 ? "-" : "";
		if (d < 0)
			d = -d;
		fprintf(o->out, "%s%" PRId64 ".%06" PRId64, sign,
			d / 1000000000, d % 1000000000 / 1000);
		break;
	}
	case TIME_EPOCH:
		split_ns(m->ts_ns, &sec, &frac);
		fprintf(o->out, "%" PRId64 ".%06" PRId64, sec, frac / 1000);
		break;
	case TIME_ABSOLUTE:
	case TIME_DATE:
	case TIME_UTC_ABSOLUTE:
	case TIME_UTC_DATE: {
		split_ns(m->ts_ns, &sec, &frac);
		time_t t = (time_t)sec;
		struct tm tm;
		char date[64];
		bool utc = o->time_format == TIME_UTC_ABSOLUTE ||
			   o->time_format == TIME_UTC_DATE;
		bool with_date = o->time_format == TIME_DATE ||
				 o->time_format == TIME_UTC_DATE;
		if (utc)
			gmtime_r(&t, &tm);
		else
			localtime_r(&t, &tm);
		strftime(date, sizeof date, with_date ? "%Y-%m-%d %H:%M:%S" :
			 "%H:%M:%S", &tm);
		fprintf(o->out, "%s.%06" PRId64, date, frac / 1000);
		break;
	}
	}
}

static bool same_endpoint(const struct endpoint *a, const struct endpoint *b)
{
	return a->port == b->port && a->family == b->family &&
	       !memcmp(a->addr, b->addr, sizeof a->addr);
}

/* "src → dst" into buf; its length.  A capture's messages come from a
 * few connections, and writing two addresses was a fifth of a summary
 * line's cost: the text is kept by pair, in a small table by ports. */
static size_t pair_text(struct output *o, char *buf, const struct message *m)
{
	static const char arrow[] = " \u2192 ";
	struct output_pair *p = &o->pairs[(m->src.port * 7u + m->dst.port) %
					  OUTPUT_PAIRS];
	if (!p->used || !same_endpoint(&p->src, &m->src) ||
	    !same_endpoint(&p->dst, &m->dst)) {
		size_t n = endpoint_text(p->text, &m->src);
		memcpy(p->text + n, arrow, sizeof arrow - 1);
		n += sizeof arrow - 1;
		n += endpoint_text(p->text + n, &m->dst);
		p->len = (uint8_t)n;
		p->src = m->src;
		p->dst = m->dst;
		p->used = true;
	}
	memcpy(buf, p->text, p->len);
	return p->len;
}

/* One line per message, put together without printf and written at
 * once: on big captures this is most of the summary's cost. */
void output_summary(struct output *o, const struct message *m)
{
	enum { INFO_ROOM = MSG_INFO_SIZE + 256, LABEL_ROOM = 64 };
	char line[2 * ENDPOINT_TEXT_SIZE + LABEL_ROOM + 128 + INFO_ROOM];
	size_t n = 0, k;
	char num[24];
	k = u64_dec(num, m->frame);	/* "%5" PRIu64 */
	for (; k + n < 5; n++)
		line[n] = ' ';
	memcpy(line + n, num, k);
	n += k;
	line[n++] = ' ';
	if (o->time_format == TIME_RELATIVE || o->time_format == TIME_DELTA) {
		int64_t d = m->ts_ns - (o->time_format == TIME_RELATIVE ?
					o->first_ts_ns : o->prev_ts_ns);
		if (d < 0) {
			line[n++] = '-';
			d = -d;
		}
		n += u64_dec(line + n, (uint64_t)(d / 1000000000));
		line[n++] = '.';
		unsigned us = (unsigned)(d % 1000000000 / 1000);  /* "%06" */
		for (int i = 4; i >= 0; i -= 2, us /= 100)
			memcpy(line + n + i, pairs + 2 * (us % 100), 2);
		n += 6;
	} else {
		fwrite_unlocked(line, 1, n, o->out);
		n = 0;
		put_time(o, m);
	}
	line[n++] = ' ';
	n += pair_text(o, line + n, m);
	line[n++] = ' ';
	const char *label = protocol_label(m);
	k = strnlen(label, LABEL_ROOM);
	memcpy(line + n, label, k);
	n += k;
	line[n++] = ' ';
	n += u64_dec(line + n, m->length);
	line[n++] = ' ';
	n += compose_info(line + n, INFO_ROOM, m);
	line[n++] = '\n';
	fwrite_unlocked(line, 1, n, o->out);
}

/* ---- -V: the detail tree */

static void tree_line(struct output *o, unsigned depth, const struct field *f,
		      const uint8_t *bytes)
{
	/* a value escapes to at most 4 bytes per byte (\xNN) */
	static char val[4 * MSG_ARENA_SIZE + 8];
	static const char spaces[] = "                                        ";
	FILE *out = o->out;
	size_t indent = 4 * ((size_t)depth + 1);
	while (indent) {
		size_t k = indent < sizeof spaces - 1 ? indent : sizeof spaces - 1;
		fwrite_unlocked(spaces, 1, k, out);
		indent -= k;
	}
	size_t n;
	if (f->kind == FIELD_TREE) {
		if (f->len) {
			n = format_value(val, sizeof val, f, bytes, 0);
			fwrite_unlocked(val, 1, n, out);
		} else {
			fputs_unlocked(f->def ? f->def->name : "", out);
		}
		putc_unlocked('\n', out);
		return;
	}
	n = format_value(val, sizeof val, f, bytes, '"');
	fputs_unlocked(f->def ? f->def->name : "?", out);
	fputs_unlocked(": ", out);
	if (f->kind == FIELD_STR)
		putc_unlocked('"', out);
	fwrite_unlocked(val, 1, n, out);
	if (f->kind == FIELD_STR)
		putc_unlocked('"', out);
	if ((f->kind == FIELD_ENUM || f->kind == FIELD_ERRNO) && f->text) {
		fputs_unlocked(" (", out);
		fputs_unlocked(f->text, out);
		putc_unlocked(')', out);
	} else if (f->kind == FIELD_FLAGS && f->len) {
		fputs_unlocked(" (", out);
		fwrite_unlocked(bytes, 1, f->len, out);
		putc_unlocked(')', out);
	}
	putc_unlocked('\n', out);
}

/* The protocol's header lines (src/base/view.h) go straight out. */
struct tree_view {
	struct view v;
	FILE *out;
};

static void tree_view_line(struct view *v, const char *text, size_t len)
{
	struct tree_view *tv = (struct tree_view *)v;
	fwrite_unlocked(text, 1, len, tv->out);
	putc_unlocked('\n', tv->out);
}

__attribute__((format(printf, 2, 0)))
static void tree_view_vlinef(struct view *v, const char *fmt, va_list ap)
{
	struct tree_view *tv = (struct tree_view *)v;
	vfprintf(tv->out, fmt, ap);
	putc_unlocked('\n', tv->out);
}

void output_tree(struct output *o, const struct message *m)
{
	FILE *out = o->out;
	char info[MSG_INFO_SIZE + 256];
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int64_t sec, frac;
	struct tm tm;
	char date[64];

	split_ns(m->ts_ns, &sec, &frac);
	time_t t = (time_t)sec;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(out, "Frame %" PRIu64 ": %" PRIu32 " bytes of %s", m->frame,
		m->length, protocol_label(m));
	if (m->first_frame && m->first_frame != m->frame)
		fprintf(out, ", began in frame %" PRIu64, m->first_frame);
	putc_unlocked('\n', out);
	fprintf(out, "    Arrival Time: %s.%09" PRId64 " UTC\n", date, frac);
	fprintf(out, "    Epoch Time: %" PRId64 ".%09" PRId64 " seconds\n",
		sec, frac);
	if (o->have_first) {
		int64_t d = m->ts_ns - o->first_ts_ns;
		fprintf(out, "    [Time since first frame: %s%" PRId64 ".%09"
			PRId64 " seconds]\n", d < 0 ? "-" : "",
			(d < 0 ? -d : d) / 1000000000,
			(d < 0 ? -d : d) % 1000000000);
	}
	endpoint_address_text(a, sizeof a, &m->src);
	endpoint_address_text(b, sizeof b, &m->dst);
	fprintf(out, "Internet Protocol Version %d, Src: %s, Dst: %s\n",
		m->src.family == 6 ? 6 : 4, a, b);
	fprintf(out, "Transmission Control Protocol, Src Port: %u, "
		"Dst Port: %u", m->src.port, m->dst.port);
	if (m->conversation)
		fprintf(out, ", Stream: %" PRIu64, m->conversation - 1);
	putc_unlocked('\n', out);
	struct tree_view tv = {
		{ .line = tree_view_line, .vlinef = tree_view_vlinef }, out,
	};
	if (m->proto && m->proto->tree_head)
		m->proto->tree_head(m, &tv.v);
	compose_info(info, sizeof info, m);
	fprintf(out, "%s: %s\n", protocol_label(m), info);
	if (m->proto && m->proto->tree_lead)
		m->proto->tree_lead(m, &tv.v);
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		if (f->kind == FIELD_TREE_END)
			continue;
		tree_line(o, f->depth, f, field_bytes(m, f));
	}
	if (m->verdict) {
		char v[128];
		msg_verdict_text(v, sizeof v, m->verdict);
		fprintf(out, "    [Verdict: %s%s%s]\n", v, m->why ? ": " : "",
			m->why ? m->why : "");
	}
	putc_unlocked('\n', out);
}

/* ---- JSON lines */

/* Length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t want;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		want = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		want = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		want = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < want)
		return 0;
	for (size_t i = 1; i < want; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((want == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (want == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return want;
}

/* The JSON line is built in memory, then written with one call: stdio's
 * per-call costs (printf parsing, the locks and copies of small writes)
 * were most of the time the correlator spent on a message body. */
struct jout {
	char *p;
	size_t len, cap;
	bool oom;
};

static bool jout_grow(struct jout *j, size_t need)
{
	if (j->oom)
		return false;
	size_t cap = j->cap ? j->cap : 4096;
	while (cap - j->len < need) {
		if (cap > SIZE_MAX / 2) {
			j->oom = true;
			return false;
		}
		cap *= 2;
	}
	char *p = realloc(j->p, cap);
	if (!p) {
		j->oom = true;
		return false;
	}
	j->p = p;
	j->cap = cap;
	return true;
}

/* Room for n more bytes (or oom set, and false). */
static inline bool jout_room(struct jout *j, size_t n)
{
	return j->cap - j->len >= n || jout_grow(j, n);
}

static inline void jout_put(struct jout *j, const char *s, size_t n)
{
	if (!jout_room(j, n))
		return;
	memcpy(j->p + j->len, s, n);
	j->len += n;
}

#define JOUT_LIT(j, s) jout_put((j), (s), sizeof(s) - 1)

static inline void jout_c(struct jout *j, char c)
{
	if (jout_room(j, 1))
		j->p[j->len++] = c;
}

static void jout_u64(struct jout *j, uint64_t v)
{
	if (jout_room(j, 24))
		j->len += u64_dec(j->p + j->len, v);
}

static void jout_i64(struct jout *j, int64_t v)
{
	if (jout_room(j, 24))
		j->len += i64_dec(j->p + j->len, v);
}

/* sec "." nine digits, quoted */
static void jout_time(struct jout *j, int64_t sec, int64_t frac)
{
	if (!jout_room(j, 40))
		return;
	j->p[j->len++] = '"';
	j->len += time_dec(j->p + j->len, sec, (uint32_t)frac);
	j->p[j->len++] = '"';
}

char *json_put_string(char *o, const char *str, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *s = (const uint8_t *)str;
	size_t i = 0;
	*o++ = '"';
	while (i < len) {
		/* Eight plain bytes at a time (no control, quote, backslash,
		 * DEL or non-ASCII byte among them): most of a body. */
		while (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			const uint64_t ones = 0x0101010101010101u;
			const uint64_t high = 0x8080808080808080u;
			uint64_t quote = w ^ (ones * '"');
			uint64_t bslash = w ^ (ones * '\\');
			uint64_t del = w ^ (ones * 0x7f);
			uint64_t special = ((w - ones * 0x20) |
					    (quote - ones) | (bslash - ones) |
					    (del - ones) | w) & high;
			if (special)
				break;
			memcpy(o, s + i, 8);
			o += 8;
			i += 8;
		}
		if (i >= len)
			break;
		uint8_t c = s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*o++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t u = utf8_len(s + i, len - i);
			if (u) {
				memcpy(o, s + i, u);
				o += u;
				i += u;
				continue;
			}
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\t': *o++ = 't'; break;
		case '\r': *o++ = 'r'; break;
		default:
			memcpy(o, "u00", 3);
			o[3] = digits[c >> 4];
			o[4] = digits[c & 15];
			o += 5;
			break;
		}
		i++;
	}
	*o++ = '"';
	return o;
}

static void jout_string(struct jout *j, const char *str, size_t len)
{
	if (len > (SIZE_MAX - 2) / 6 || !jout_room(j, json_string_max(len)))
		return;
	j->len = (size_t)(json_put_string(j->p + j->len, str, len) - j->p);
}

static void jout_jcstr(struct jout *j, const char *s)
{
	jout_string(j, s, strlen(s));
}

/* Field names are the tables' definitions: a few hundred, each met
 * again and again.  Their quoted form is kept by definition (one slot
 * each while there are fewer than NAME_CACHE), so most names are one
 * copy. */
#define NAME_CACHE 1024
static struct {
	const struct field_def *def;
	char *quoted;
	size_t len;
} name_cache[NAME_CACHE];

/* The quoted name, from the cache (or put there); NULL when memory is
 * short, then the caller quotes it itself. */
static const char *quoted_name(const struct field_def *def, size_t *len)
{
	size_t slot = (uintptr_t)def / sizeof *def % NAME_CACHE;
	if (name_cache[slot].def == def) {
		*len = name_cache[slot].len;
		return name_cache[slot].quoted;
	}
	const char *name = def->name;
	size_t n = strlen(name);
	char *quoted = n < SIZE_MAX / 8 ? malloc(json_string_max(n)) : NULL;
	if (!quoted)
		return NULL;
	free(name_cache[slot].quoted);
	name_cache[slot].def = def;
	name_cache[slot].quoted = quoted;
	name_cache[slot].len = (size_t)(json_put_string(quoted, name, n) -
					quoted);
	*len = name_cache[slot].len;
	return quoted;
}

/* Freed when the code is unloaded too: tapline_sql.so, once sqlite3
 * closes it, would otherwise lose what the cache holds. */
__attribute__((destructor)) static void name_cache_free(void)
{
	for (size_t i = 0; i < NAME_CACHE; i++) {
		free(name_cache[i].quoted);
		name_cache[i].quoted = NULL;
		name_cache[i].def = NULL;
	}
}

#define PUT_LIT(o, s) (memcpy((o), (s), sizeof(s) - 1), (o) += sizeof(s) - 1)

/* Whether the field's -T fields text needs no JSON escape (hex digits,
 * a gfid, seconds.nanoseconds): then it is written in place. */
static bool plain_value(const struct field *f)
{
	switch ((enum field_kind)f->kind) {
	case FIELD_HEX:
	case FIELD_FLAGS:
		return true;
	case FIELD_TIME:
		return f->v.t.nsec < 1000000000u;
	case FIELD_GFID:
		return f->len == 16;
	default:
		return false;
	}
}

/* One entry of "fields" (a TREE opens its own "fields" list): the room
 * it can take is reserved once, then written through a plain pointer --
 * this runs some fifty times a message. */
static void jout_field(struct jout *j, const struct field *f,
		       const uint8_t *bytes, bool comma)
{
	enum { PLAIN_ROOM = 48 };	/* a plain value's text and its NUL */
	static char val[2 * MSG_ARENA_SIZE + 8];
	const char *name = f->def ? f->def->name : "";
	size_t name_len, val_len = 0, val_n = 0, text_len = 0;
	const char *qname = f->def ? quoted_name(f->def, &name_len) : NULL;
	if (!qname)
		name_len = json_string_max(strlen(name));
	const char *text = NULL;
	switch ((enum field_kind)f->kind) {
	case FIELD_UINT: case FIELD_ENUM: case FIELD_INT: case FIELD_ERRNO:
	case FIELD_BOOL:
		val_len = 24;
		break;
	case FIELD_STR: case FIELD_TREE:
		val_len = json_string_max(f->len);
		break;
	default:
		if (plain_value(f)) {
			val_len = PLAIN_ROOM + 2;
			break;
		}
		val_n = format_value(val, sizeof val, f, bytes, 0);
		val_len = json_string_max(val_n);
		break;
	}
	if ((f->kind == FIELD_ENUM || f->kind == FIELD_ERRNO) && f->text) {
		text = f->text;
		text_len = strlen(text);
	} else if (f->kind == FIELD_FLAGS) {
		text = (const char *)bytes;
		text_len = f->len;
	}
	/* ,{"name": ,"value": ,"text": } or ,"label": ,"fields":[ */
	if (!jout_room(j, 64 + name_len + val_len + json_string_max(text_len)))
		return;
	char *o = j->p + j->len;
	if (comma)
		*o++ = ',';
	PUT_LIT(o, "{\"name\":");
	if (qname) {
		memcpy(o, qname, name_len);
		o += name_len;
	} else {
		o = json_put_string(o, name, strlen(name));
	}
	switch ((enum field_kind)f->kind) {
	case FIELD_TREE:
		PUT_LIT(o, ",\"label\":");
		o = json_put_string(o, (const char *)bytes, f->len);
		PUT_LIT(o, ",\"fields\":[");
		j->len = (size_t)(o - j->p);
		return;
	case FIELD_UINT:
	case FIELD_ENUM:
		PUT_LIT(o, ",\"value\":");
		o += u64_dec(o, f->v.u);
		break;
	case FIELD_INT:
	case FIELD_ERRNO:
		PUT_LIT(o, ",\"value\":");
		o += i64_dec(o, f->v.i);
		break;
	case FIELD_BOOL:
		if (f->v.u)
			PUT_LIT(o, ",\"value\":true");
		else
			PUT_LIT(o, ",\"value\":false");
		break;
	case FIELD_STR:
		PUT_LIT(o, ",\"value\":");
		o = json_put_string(o, (const char *)bytes, f->len);
		break;
	default:
		PUT_LIT(o, ",\"value\":");
		if (plain_value(f)) {
			*o++ = '"';
			o += format_value(o, PLAIN_ROOM, f, bytes, 0);
			*o++ = '"';
			break;
		}
		o = json_put_string(o, val, val_n);
		break;
	}
	if (text) {
		PUT_LIT(o, ",\"text\":");
		o = json_put_string(o, text, text_len);
	}
	*o++ = '}';
	j->len = (size_t)(o - j->p);
}

/* The protocol's header object (src/base/view.h), into the line. */
struct json_view {
	struct view v;
	struct jout *j;
	bool members;		/* a member written: the next needs a comma */
};

/* ,"key": as the view gives it (view.h: VIEW_KEY_), without its comma
 * before the object's first member */
static void json_key(struct json_view *jv, const char *key, size_t n)
{
	if (!jv->members) {
		key++;
		n--;
	}
	jv->members = true;
	jout_put(jv->j, key, n);
}

static void json_view_open(struct view *v, const char *key, size_t n)
{
	struct json_view *jv = (struct json_view *)v;
	jv->members = true;	/* the comma after the members before */
	json_key(jv, key, n);
	jout_c(jv->j, '{');
	jv->members = false;
}

static void json_view_close(struct view *v)
{
	jout_c(((struct json_view *)v)->j, '}');
}

static void json_view_uint(struct view *v, const char *key, size_t n,
			   uint64_t value)
{
	json_key((struct json_view *)v, key, n);
	jout_u64(((struct json_view *)v)->j, value);
}

static void json_view_int(struct view *v, const char *key, size_t n,
			  int64_t value)
{
	json_key((struct json_view *)v, key, n);
	jout_i64(((struct json_view *)v)->j, value);
}

static void json_view_str(struct view *v, const char *key, size_t n,
			  const char *s, size_t len)
{
	json_key((struct json_view *)v, key, n);
	jout_string(((struct json_view *)v)->j, s, len);
}

static void json_view_time(struct view *v, const char *key, size_t n,
			   int64_t sec, uint32_t nsec)
{
	json_key((struct json_view *)v, key, n);
	jout_time(((struct json_view *)v)->j, sec, nsec);
}

#define JSON_VIEW_CALLS                                                    \
	{ .json_open = json_view_open, .json_close = json_view_close,      \
	  .json_uint = json_view_uint, .json_int = json_view_int,          \
	  .json_str = json_view_str, .json_time = json_view_time }

static void render_json(struct jout *j, const struct message *m)
{
	char info[MSG_INFO_SIZE + 256], a[INET6_ADDRSTRLEN];
	int64_t sec, frac;

	split_ns(m->ts_ns, &sec, &frac);
	JOUT_LIT(j, "{\"frame\":");
	jout_u64(j, m->frame);
	JOUT_LIT(j, ",\"first_frame\":");
	jout_u64(j, m->first_frame);
	JOUT_LIT(j, ",\"time\":");
	jout_time(j, sec, frac);
	JOUT_LIT(j, ",\"src\":\"");
	jout_put(j, a, endpoint_address_text(a, sizeof a, &m->src));
	JOUT_LIT(j, "\",\"srcport\":");
	jout_u64(j, m->src.port);
	JOUT_LIT(j, ",\"dst\":\"");
	jout_put(j, a, endpoint_address_text(a, sizeof a, &m->dst));
	JOUT_LIT(j, "\",\"dstport\":");
	jout_u64(j, m->dst.port);
	if (m->conversation) {
		JOUT_LIT(j, ",\"stream\":");
		jout_u64(j, m->conversation - 1);
	}
	JOUT_LIT(j, ",\"protocol\":");
	jout_jcstr(j, m->proto ? m->proto->label : "");
	JOUT_LIT(j, ",\"length\":");
	jout_u64(j, m->length);
	if (m->verdict) {
		char v[128];
		JOUT_LIT(j, ",\"verdict\":");
		jout_string(j, v, msg_verdict_text(v, sizeof v, m->verdict));
		if (m->why) {
			JOUT_LIT(j, ",\"why\":");
			jout_jcstr(j, m->why);
		}
	}
	size_t n = compose_info(info, sizeof info, m);
	JOUT_LIT(j, ",\"info\":");
	jout_string(j, info, n);
	if (m->proto && m->proto->json_head) {
		struct json_view jv = { JSON_VIEW_CALLS, j, false };
		m->proto->json_head(m, &jv.v);
	}
	/* The field list as a tree: subtrees hold their children in
	 * "fields"; repeated names stay separate entries, in order. */
	JOUT_LIT(j, ",\"fields\":[");
	unsigned depth = 0;
	bool first = true;
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		const uint8_t *bytes = field_bytes(m, f);
		if (f->kind == FIELD_TREE_END) {
			if (depth) {
				JOUT_LIT(j, "]}");
				depth--;
			}
			first = false;
			continue;
		}
		jout_field(j, f, bytes, !first);
		first = f->kind == FIELD_TREE;
		if (first)
			depth++;
	}
	/* A tree the decoder left open (full message) is closed here. */
	while (depth--)
		JOUT_LIT(j, "]}");
	JOUT_LIT(j, "]}\n");
}

size_t output_json_render(const struct message *m, char **buf, size_t *cap)
{
	struct jout j = { *buf, 0, *buf ? *cap : 0, false };
	render_json(&j, m);
	*buf = j.p;
	*cap = j.cap;
	return j.oom ? 0 : j.len;
}

void output_json(struct output *o, const struct message *m)
{
	static char *buf;
	static size_t cap;
	size_t n = output_json_render(m, &buf, &cap);
	if (n)
		fwrite_unlocked(buf, 1, n, o->out);
}

/* ---- -T fields */

struct fields_cell {
	struct output *o;
	unsigned n;
	char *buf;
	size_t len, used;
};

static bool cell_add(void *user, const struct field *f, const uint8_t *bytes)
{
	struct fields_cell *c = user;
	if (c->o->occurrence == 'l')
		c->used = 0;	/* keep only the last */
	else if (c->n && c->used + 1 < c->len)
		c->buf[c->used++] = c->o->aggregator;
	c->used += format_value(c->buf + c->used, c->len - c->used, f, bytes,
				c->o->quote);
	c->n++;
	return c->o->occurrence != 'f';
}

void output_begin(struct output *o)
{
	if (o->format != OUTPUT_FIELDS || !o->header || o->header_done)
		return;
	for (unsigned i = 0; i < o->nfields; i++) {
		if (i)
			putc_unlocked(o->separator, o->out);
		fputs_unlocked(o->fields[i].name, o->out);
	}
	putc_unlocked('\n', o->out);
	o->header_done = true;
}

void output_fields(struct output *o, const struct message *m)
{
	/* all occurrences escaped (4 bytes per byte at most), separators */
	static char cell[4 * MSG_ARENA_SIZE + 4 * MSG_MAX_FIELDS + 8];
	FILE *out = o->out;
	output_begin(o);
	for (unsigned i = 0; i < o->nfields; i++) {
		struct fields_cell c = { o, 0, cell, sizeof cell, 0 };
		if (i)
			putc_unlocked(o->separator, out);
		cell[0] = '\0';
		field_ref_visit(m, &o->fields[i], cell_add, &c);
		if (!c.n)
			continue;	/* absent: empty, unquoted, like tshark */
		if (o->quote)
			putc_unlocked(o->quote, out);
		fwrite_unlocked(cell, 1, c.used, out);
		if (o->quote)
			putc_unlocked(o->quote, out);
	}
	putc_unlocked('\n', out);
}

void output_message(struct output *o, const struct message *m)
{
	o->shown++;
	switch (o->format) {
	case OUTPUT_TEXT:
		if (o->verbose)
			output_tree(o, m);
		else
			output_summary(o, m);
		break;
	case OUTPUT_JSON:
		output_json(o, m);
		break;
	case OUTPUT_FIELDS:
		output_fields(o, m);
		break;
	case OUTPUT_NONE:
		break;
	}
	o->prev_ts_ns = m->ts_ns;
}
