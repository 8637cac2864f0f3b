/* types.c - CQL type specifications and cell formatting (see types.h). */
#include "proto/cql/types.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* --- type specifications --- */

static uint16_t parse_node(struct cursor *c, struct cql_type_tree *t, unsigned depth)
{
	uint16_t id = cursor_be16(c);
	if (!cursor_ok(c))
		return CQL_TYPE_NONE;
	if (depth >= CQL_TYPE_MAX_DEPTH) {
		t->overflow = true;
		cursor_malformed(c, "type nested deeper than 16");
		return CQL_TYPE_NONE;
	}
	uint16_t self = CQL_TYPE_NONE;
	if (t->n < CQL_TYPE_MAX_NODES) {
		self = (uint16_t)t->n++;
		struct cql_type_node *nd = &t->nodes[self];
		memset(nd, 0, sizeof *nd);
		nd->id = id;
		nd->first_child = nd->next_sibling = CQL_TYPE_NONE;
	} else {
		t->overflow = true;
	}
	struct cql_type_node *nd = self == CQL_TYPE_NONE ? NULL : &t->nodes[self];
	uint16_t nchildren = 0;
	struct cql_span keyspace = { NULL, 0 }, name = { NULL, 0 };
	bool udt = false;
	switch (id) {
	case CQL_TYPE_CUSTOM:
		name = cql_string(c);
		break;
	case CQL_TYPE_ASCII: case CQL_TYPE_BIGINT: case CQL_TYPE_BLOB:
	case CQL_TYPE_BOOLEAN: case CQL_TYPE_COUNTER: case CQL_TYPE_DECIMAL:
	case CQL_TYPE_DOUBLE: case CQL_TYPE_FLOAT: case CQL_TYPE_INT:
	case CQL_TYPE_TEXT: case CQL_TYPE_TIMESTAMP: case CQL_TYPE_UUID:
	case CQL_TYPE_VARCHAR: case CQL_TYPE_VARINT: case CQL_TYPE_TIMEUUID:
	case CQL_TYPE_INET: case CQL_TYPE_DATE: case CQL_TYPE_TIME:
	case CQL_TYPE_SMALLINT: case CQL_TYPE_TINYINT: case CQL_TYPE_DURATION:
		break;
	case CQL_TYPE_LIST: case CQL_TYPE_SET:
		nchildren = 1;
		break;
	case CQL_TYPE_MAP:
		nchildren = 2;
		break;
	case CQL_TYPE_UDT:
		keyspace = cql_string(c);
		name = cql_string(c);
		nchildren = cursor_be16(c);
		udt = true;
		break;
	case CQL_TYPE_TUPLE:
		nchildren = cursor_be16(c);
		break;
	default:
		cursor_malformed(c, "unknown type id");
		return CQL_TYPE_NONE;
	}
	if (nd) {
		nd->name = name;
		nd->keyspace = keyspace;
		nd->nchildren = nchildren;
	}
	uint16_t prev = CQL_TYPE_NONE;
	for (unsigned i = 0; i < nchildren && cursor_ok(c); i++) {
		struct cql_span field = { NULL, 0 };
		if (udt)
			field = cql_string(c);
		uint16_t child = parse_node(c, t, depth + 1);
		if (child == CQL_TYPE_NONE)
			continue;
		if (udt)
			t->nodes[child].name = field;
		if (prev == CQL_TYPE_NONE) {
			if (nd)
				nd->first_child = child;
		} else {
			t->nodes[prev].next_sibling = child;
		}
		prev = child;
	}
	if (!cursor_ok(c))
		return CQL_TYPE_NONE;
	return self;
}

uint16_t cql_type_parse(struct cursor *c, struct cql_type_tree *t)
{
	return parse_node(c, t, 0);
}

/* --- a bounded text builder --- */

struct out {
	char *p;
	size_t cap, n;
	bool cut;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->cut)
		return;
	if (o->n + n + 1 > o->cap) {
		size_t room = o->cap > o->n + 1 ? o->cap - o->n - 1 : 0;
		memcpy(o->p + o->n, s, room);
		o->n += room;
		o->cut = true;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void putf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct out *o, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static size_t finish(struct out *o)
{
	if (!o->cap)
		return 0;
	if (o->cut && o->cap >= 4) {
		size_t at = o->n > o->cap - 4 ? o->cap - 4 : o->n;
		memcpy(o->p + at, "...", 3);
		o->n = at + 3;
	}
	o->p[o->n] = '\0';
	return o->n;
}

static void put_hex(struct out *o, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	puts_(o, "0x");
	for (size_t i = 0; i < n && !o->cut; i++) {
		char two[2] = { hex[p[i] >> 4], hex[p[i] & 15] };
		put(o, two, 2);
	}
}

/* Text from the network: valid UTF-8 kept, the rest escaped; quoted
 * inside collections with ' doubled as CQL does. */
static void put_text(struct out *o, const uint8_t *p, size_t n, bool quoted)
{
	char buf[64];
	if (quoted)
		put(o, "'", 1);
	size_t i = 0;
	while (i < n && !o->cut) {
		/* Printable ASCII (but a quote when quoted) goes as it is. */
		size_t run = quoted ? i : i + cql_printable_run(p + i, n - i);
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f && !(quoted && p[run] == '\''))
			run++;
		if (run > i) {
			put(o, (const char *)p + i, run - i);
			i = run;
			continue;
		}
		if (p[i] == '\'') {
			put(o, "''", 2);
			i++;
			continue;
		}
		/* One UTF-8 sequence (up to 4 bytes) or one escaped byte. */
		size_t take = n - i < 4 ? n - i : 4;
		size_t len = cql_text(p + i, take, buf, sizeof buf);
		/* cql_text keeps a whole valid sequence or escapes the first
		 * byte: advance by what it consumed. */
		size_t used = len >= 4 && buf[0] == '\\' && buf[1] == 'x' ? 1 : 0;
		if (!used) {
			size_t k = 1;
			while (k < take && (p[i + k] & 0xc0) == 0x80)
				k++;
			used = k;
			len = cql_text(p + i, used, buf, sizeof buf);
		} else {
			len = 4;
		}
		put(o, buf, len);
		i += used;
	}
	if (quoted)
		put(o, "'", 1);
}

/* Decimal text of v (faster than printf on this hot path). */
static void put_int(struct out *o, int64_t v)
{
	char buf[24];
	size_t n = sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		buf[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--n] = '-';
	put(o, buf + n, sizeof buf - n);
}

/* --- numbers and times --- */

static int64_t be_signed(const uint8_t *p, size_t n)
{
	uint64_t v = (p[0] & 0x80) ? ~UINT64_C(0) : 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

/* A double that is a decimal of at most 15 significant digits and 9
 * places, written as printf's %.15g writes it (what put_double's first
 * try gives, then kept since it reads back) without printf: 0.1, -2.5,
 * 1234.5678.  False when d is not one (nothing written).
 *
 * m / 10^k == d in double arithmetic is exact proof that the decimal
 * reads back as d (the division rounds correctly, as strtod does).  With
 * at most 15 significant digits only one decimal of k places can round
 * to d, so a last digit other than 0 means no shorter k worked: the
 * digits are %.15g's with its trailing zeros dropped. */
static bool put_short_decimal(struct out *o, double d)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
	double a = fabs(d);
	if (!(a >= 1e-4 && a < 1e15))	/* %g's fixed notation only */
		return false;
	for (int k = 1; k <= 9; k++) {
		double scaled = a * p10[k];
		if (scaled >= 1e15)
			return false;
		int64_t m = llround(scaled);
		if ((double)m / p10[k] != a)
			continue;
		if (m % 10 == 0)
			return false;
		char buf[32];
		size_t n = sizeof buf;
		for (int i = 0; i < k; i++, m /= 10)
			buf[--n] = (char)('0' + m % 10);
		buf[--n] = '.';
		do {
			buf[--n] = (char)('0' + m % 10);
			m /= 10;
		} while (m);
		if (d < 0)
			buf[--n] = '-';
		put(o, buf + n, sizeof buf - n);
		return true;
	}
	return false;
}

/* Shortest text that reads back as the same double (or float). */
static void put_double(struct out *o, double d, bool single)
{
	if (isnan(d)) {
		puts_(o, "NaN");
		return;
	}
	if (isinf(d)) {
		puts_(o, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	/* Whole numbers, the common case, without printf. */
	/* Range first: casting a double outside int64_t's range is undefined. */
	if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(int64_t)d &&
	    !(d == 0 && signbit(d))) {
		put_int(o, (int64_t)d);
		return;
	}
	if (!single && put_short_decimal(o, d))
		return;
	char buf[40];
	for (int prec = single ? 6 : 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, d);
		if (single ? strtof(buf, NULL) == (float)d : strtod(buf, NULL) == d)
			break;
	}
	puts_(o, buf);
}

/* Days since 1970-01-01 -> civil date (proleptic Gregorian, any int64
 * range the protocol can express; H. Hinnant's days_from_civil inverse). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	uint64_t doe = (uint64_t)(z - era * 146097);
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t year = (int64_t)yoe + era * 400;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = year + (*m <= 2);
}

static void put_date(struct out *o, int64_t days)
{
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y >= 0 && y <= 9999) {
		char t[10] = { (char)('0' + y / 1000), (char)('0' + y / 100 % 10),
			       (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
			       (char)('0' + m / 10), (char)('0' + m % 10), '-',
			       (char)('0' + d / 10), (char)('0' + d % 10) };
		put(o, t, sizeof t);
		return;
	}
	putf(o, "%" PRId64 "-%02u-%02u", y, m, d);
}

static void put_timestamp(struct out *o, int64_t ms)
{
	int64_t days = ms / 86400000, rest = ms % 86400000;
	if (rest < 0) {	/* floor, without ms - rest overflowing */
		rest += 86400000;
		days--;
	}
	put_date(o, days);
	int v[4] = { (int)(rest / 3600000), (int)(rest / 60000 % 60), (int)(rest / 1000 % 60),
		     (int)(rest % 1000) };
	char t[14] = { 'T', (char)('0' + v[0] / 10), (char)('0' + v[0] % 10), ':',
		       (char)('0' + v[1] / 10), (char)('0' + v[1] % 10), ':',
		       (char)('0' + v[2] / 10), (char)('0' + v[2] % 10), '.',
		       (char)('0' + v[3] / 100), (char)('0' + v[3] / 10 % 10),
		       (char)('0' + v[3] % 10), 'Z' };
	put(o, t, sizeof t);
}

size_t cql_format_timestamp_ms(int64_t ms, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, false };
	put_timestamp(&o, ms);
	return finish(&o);
}

size_t cql_format_date_days(int64_t days, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, false };
	put_date(&o, days);
	return finish(&o);
}

/* Decimal digits of a two's complement big-endian integer, at most
 * VARINT_MAX bytes (longer ones are shown in hex by the caller). */
#define VARINT_MAX 512
static void put_varint(struct out *o, const uint8_t *p, size_t n)
{
	if (n == 0) {
		puts_(o, "0");
		return;
	}
	if (n <= 8) {
		put_int(o, be_signed(p, n));
		return;
	}
	uint8_t mag[VARINT_MAX];
	bool neg = p[0] & 0x80;
	memcpy(mag, p, n);
	if (neg) {	/* magnitude = two's complement negation */
		unsigned carry = 1;
		for (size_t i = n; i-- > 0;) {
			unsigned b = (uint8_t)~mag[i] + carry;
			mag[i] = (uint8_t)b;
			carry = b >> 8;
		}
	}
	/* Repeated division by 10^9: base-256 digits -> base-10^9 chunks. */
	uint32_t chunks[VARINT_MAX * 8 / 29 + 2];
	size_t nchunks = 0, start = 0;
	while (start < n) {
		uint64_t rem = 0;
		for (size_t i = start; i < n; i++) {
			uint64_t cur = rem << 8 | mag[i];
			mag[i] = (uint8_t)(cur / 1000000000u);
			rem = cur % 1000000000u;
		}
		chunks[nchunks++] = (uint32_t)rem;
		while (start < n && mag[start] == 0)
			start++;
	}
	if (neg)
		puts_(o, "-");
	putf(o, "%" PRIu32, chunks[nchunks - 1]);
	for (size_t i = nchunks - 1; i-- > 0;)
		putf(o, "%09" PRIu32, chunks[i]);
}

size_t cql_format_varint(const uint8_t *p, size_t n, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, false };
	if (n > VARINT_MAX)
		put_hex(&o, p, n);
	else
		put_varint(&o, p, n);
	return finish(&o);
}

/* decimal: unscaled * 10^-scale, written out plainly (Java's
 * toPlainString); absurd scales in exponent form. */
static void put_decimal(struct out *o, int32_t scale, const uint8_t *p, size_t n)
{
	char digits[VARINT_MAX * 3];
	struct out d = { digits, sizeof digits, 0, false };
	put_varint(&d, p, n);
	finish(&d);
	const char *mag = digits[0] == '-' ? digits + 1 : digits;
	size_t len = strlen(mag);
	if (scale > 1000 || scale < -1000) {
		putf(o, "%sE%" PRId64, digits, -(int64_t)scale);
		return;
	}
	if (digits[0] == '-')
		puts_(o, "-");
	if (scale <= 0) {
		puts_(o, mag);
		if (strcmp(mag, "0") != 0)
			for (int32_t i = 0; i < -scale; i++)
				put(o, "0", 1);
		return;
	}
	if ((size_t)scale >= len) {
		puts_(o, "0.");
		for (size_t i = 0; i < (size_t)scale - len; i++)
			put(o, "0", 1);
		puts_(o, mag);
		return;
	}
	put(o, mag, len - (size_t)scale);
	put(o, ".", 1);
	puts_(o, mag + len - (size_t)scale);
}

static void put_uuid(struct out *o, const uint8_t *p)
{
	static const char hex[] = "0123456789abcdef";
	char text[36];
	size_t n = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			text[n++] = '-';
		text[n++] = hex[p[i] >> 4];
		text[n++] = hex[p[i] & 15];
	}
	put(o, text, n);
}

/* duration: months, days, nanoseconds as [vint]s, all of one sign. */
static const char *put_duration(struct out *o, const uint8_t *p, size_t n)
{
	struct cursor c = cursor_init(p, n);
	int64_t months = cql_vint(&c), days = cql_vint(&c), nanos = cql_vint(&c);
	if (!cursor_ok(&c) || cursor_left(&c))
		return "duration not three vints";
	if (months < INT32_MIN || months > INT32_MAX || days < INT32_MIN || days > INT32_MAX)
		return "duration months or days beyond 32 bits";
	bool neg = months < 0 || days < 0 || nanos < 0;
	if (neg && (months > 0 || days > 0 || nanos > 0))
		return "duration with mixed signs";
	if (!months && !days && !nanos) {
		puts_(o, "0s");
		return NULL;
	}
	uint64_t um = (uint64_t)(months < 0 ? -months : months);
	uint64_t ud = (uint64_t)(days < 0 ? -days : days);
	uint64_t un = nanos < 0 ? (uint64_t)0 - (uint64_t)nanos : (uint64_t)nanos;
	if (neg)
		puts_(o, "-");
	if (um / 12)
		putf(o, "%" PRIu64 "y", um / 12);
	if (um % 12)
		putf(o, "%" PRIu64 "mo", um % 12);
	if (ud)
		putf(o, "%" PRIu64 "d", ud);
	static const struct { uint64_t ns; const char *unit; } units[] = {
		{ UINT64_C(3600000000000), "h" }, { UINT64_C(60000000000), "m" },
		{ 1000000000, "s" }, { 1000000, "ms" }, { 1000, "us" }, { 1, "ns" },
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (un >= units[i].ns) {
			putf(o, "%" PRIu64 "%s", un / units[i].ns, units[i].unit);
			un %= units[i].ns;
		}
	}
	return NULL;
}

static const char *put_inet_cell(struct out *o, const uint8_t *p, size_t n)
{
	struct cql_inet in = { 0 };
	in.port = -1;
	if (n == 4)
		in.family = 4;
	else if (n == 16)
		in.family = 6;
	else
		return "inet neither 4 nor 16 bytes";
	memcpy(in.addr, p, n);
	char buf[64];
	cql_inet_format(&in, buf, sizeof buf);
	puts_(o, buf);
	return NULL;
}

/* --- cells --- */

static const char *put_cell(struct out *o, const struct cql_type_tree *t, uint16_t node,
			    const uint8_t *v, int32_t len, unsigned version, bool nested,
			    unsigned depth);

/* Collections: [int] counts and [bytes] elements from v3, [short] and
 * [short bytes] before. */
static const char *put_collection(struct out *o, const struct cql_type_tree *t,
				  const struct cql_type_node *nd, const uint8_t *v,
				  int32_t len, unsigned version, unsigned depth)
{
	struct cursor c = cursor_init(v, (size_t)len);
	bool wide = version >= 3;
	int64_t count = wide ? (int32_t)cursor_be32(&c) : cursor_be16(&c);
	if (!cursor_ok(&c))
		return "collection without its count";
	if (count < 0)
		return "negative collection count";
	bool map = nd->id == CQL_TYPE_MAP;
	/* Each element takes at least its length prefix. */
	if ((uint64_t)count * (map ? 2u : 1u) * (wide ? 4u : 2u) > cursor_left(&c))
		return "collection count beyond its bytes";
	uint16_t key = nd->first_child;
	uint16_t val = map && key != CQL_TYPE_NONE ? t->nodes[key].next_sibling : CQL_TYPE_NONE;
	puts_(o, nd->id == CQL_TYPE_LIST ? "[" : "{");
	for (int64_t i = 0; i < count && !o->cut; i++) {
		if (i)
			puts_(o, ", ");
		for (int part = 0; part < (map ? 2 : 1); part++) {
			struct cql_span e = wide ? cql_bytes(&c) : cql_short_bytes(&c);
			if (!cursor_ok(&c))
				return "collection element beyond its bytes";
			if (part)
				puts_(o, ": ");
			const char *why = put_cell(o, t, part ? val : key, e.ptr, e.len, version,
						   true, depth + 1);
			if (why)
				return why;
		}
	}
	puts_(o, nd->id == CQL_TYPE_LIST ? "]" : "}");
	if (cursor_left(&c))
		return "bytes after the collection's elements";
	return NULL;
}

/* Tuples and UDTs: a [bytes] per component; a UDT may stop early. */
static const char *put_components(struct out *o, const struct cql_type_tree *t,
				  const struct cql_type_node *nd, const uint8_t *v,
				  int32_t len, unsigned version, unsigned depth)
{
	struct cursor c = cursor_init(v, (size_t)len);
	bool udt = nd->id == CQL_TYPE_UDT;
	puts_(o, udt ? "{" : "(");
	unsigned i = 0;
	for (uint16_t ch = nd->first_child; ch != CQL_TYPE_NONE && cursor_left(&c) && !o->cut;
	     ch = t->nodes[ch].next_sibling, i++) {
		struct cql_span e = cql_bytes(&c);
		if (!cursor_ok(&c))
			return udt ? "UDT field beyond its bytes" : "tuple element beyond its bytes";
		if (i)
			puts_(o, ", ");
		if (udt) {
			const struct cql_span *fn = &t->nodes[ch].name;
			put_text(o, fn->ptr, fn->len > 0 ? (size_t)fn->len : 0, false);
			puts_(o, ": ");
		}
		const char *why = put_cell(o, t, ch, e.ptr, e.len, version, true, depth + 1);
		if (why)
			return why;
	}
	puts_(o, udt ? "}" : ")");
	if (cursor_left(&c))
		return udt ? "bytes after the UDT's fields" : "bytes after the tuple's elements";
	return NULL;
}

static const char *put_cell(struct out *o, const struct cql_type_tree *t, uint16_t node,
			    const uint8_t *v, int32_t len, unsigned version, bool nested,
			    unsigned depth)
{
	if (len < 0) {
		puts_(o, "null");
		return NULL;
	}
	if (node == CQL_TYPE_NONE || node >= t->n || depth > CQL_TYPE_MAX_DEPTH) {
		put_hex(o, v, (size_t)len);
		return NULL;
	}
	const struct cql_type_node *nd = &t->nodes[node];
	size_t n = (size_t)len;
	/* Fixed-size types: the exact size, or empty (legacy, allowed). */
	size_t want = 0;
	switch (nd->id) {
	case CQL_TYPE_BIGINT: case CQL_TYPE_COUNTER: case CQL_TYPE_DOUBLE:
	case CQL_TYPE_TIMESTAMP: case CQL_TYPE_TIME:
		want = 8; break;
	case CQL_TYPE_INT: case CQL_TYPE_FLOAT: case CQL_TYPE_DATE:
		want = 4; break;
	case CQL_TYPE_SMALLINT: want = 2; break;
	case CQL_TYPE_TINYINT: case CQL_TYPE_BOOLEAN: want = 1; break;
	case CQL_TYPE_UUID: case CQL_TYPE_TIMEUUID: want = 16; break;
	default: break;
	}
	if (want && n == 0) {
		puts_(o, "<empty>");
		return NULL;
	}
	if (want && n != want)
		return "value size wrong for its type";
	switch (nd->id) {
	case CQL_TYPE_ASCII: case CQL_TYPE_VARCHAR: case CQL_TYPE_TEXT:
		put_text(o, v, n, nested);
		return NULL;
	case CQL_TYPE_BLOB: case CQL_TYPE_CUSTOM:
		put_hex(o, v, n);
		return NULL;
	case CQL_TYPE_BOOLEAN:
		puts_(o, v[0] ? "true" : "false");
		return NULL;
	case CQL_TYPE_BIGINT: case CQL_TYPE_COUNTER: case CQL_TYPE_INT:
	case CQL_TYPE_SMALLINT: case CQL_TYPE_TINYINT:
		put_int(o, be_signed(v, n));
		return NULL;
	case CQL_TYPE_DOUBLE: {
		uint64_t bits = (uint64_t)be_signed(v, 8);
		double d;
		memcpy(&d, &bits, sizeof d);
		put_double(o, d, false);
		return NULL;
	}
	case CQL_TYPE_FLOAT: {
		uint32_t bits = (uint32_t)be_signed(v, 4);
		float f;
		memcpy(&f, &bits, sizeof f);
		put_double(o, f, true);
		return NULL;
	}
	case CQL_TYPE_TIMESTAMP:
		put_timestamp(o, be_signed(v, 8));
		return NULL;
	case CQL_TYPE_DATE: {
		uint32_t u = (uint32_t)be_signed(v, 4);
		put_date(o, (int64_t)u - (INT64_C(1) << 31));
		return NULL;
	}
	case CQL_TYPE_TIME: {
		int64_t ns = be_signed(v, 8);
		if (ns < 0 || ns >= INT64_C(86400000000000))
			return "time outside one day";
		putf(o, "%02d:%02d:%02d.%09d", (int)(ns / INT64_C(3600000000000)),
		     (int)(ns / INT64_C(60000000000) % 60), (int)(ns / 1000000000 % 60),
		     (int)(ns % 1000000000));
		return NULL;
	}
	case CQL_TYPE_UUID: case CQL_TYPE_TIMEUUID:
		put_uuid(o, v);
		return NULL;
	case CQL_TYPE_VARINT:
		if (n > VARINT_MAX)
			put_hex(o, v, n);
		else
			put_varint(o, v, n);
		return NULL;
	case CQL_TYPE_DECIMAL:
		if (n == 0) {
			puts_(o, "<empty>");
			return NULL;
		}
		if (n < 4)
			return "decimal shorter than its scale";
		if (n - 4 > VARINT_MAX) {
			put_hex(o, v, n);
			return NULL;
		}
		put_decimal(o, (int32_t)be_signed(v, 4), v + 4, n - 4);
		return NULL;
	case CQL_TYPE_INET:
		if (n == 0) {
			puts_(o, "<empty>");
			return NULL;
		}
		return put_inet_cell(o, v, n);
	case CQL_TYPE_DURATION:
		if (n == 0) {
			puts_(o, "<empty>");
			return NULL;
		}
		return put_duration(o, v, n);
	case CQL_TYPE_LIST: case CQL_TYPE_SET: case CQL_TYPE_MAP:
		return put_collection(o, t, nd, v, len, version, depth);
	case CQL_TYPE_UDT: case CQL_TYPE_TUPLE:
		return put_components(o, t, nd, v, len, version, depth);
	default:
		put_hex(o, v, n);
		return NULL;
	}
}

size_t cql_format_cell(const struct cql_type_tree *t, uint16_t node, const uint8_t *v,
		       int32_t len, unsigned version, char *buf, size_t cap, const char **why)
{
	static const uint8_t none[1];
	struct out o = { buf, cap, 0, false };
	if (!v)
		v = none, len = len > 0 ? 0 : len;
	*why = put_cell(&o, t, node, v, len, version, false, 0);
	if (*why) {	/* the bytes as they are, and the reason elsewhere */
		o.n = 0;
		o.cut = false;
		put_hex(&o, v, len > 0 ? (size_t)len : 0);
	}
	return finish(&o);
}

size_t cql_format_bytes(const uint8_t *v, int32_t len, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, false };
	if (!v && len > 0)
		len = 0;
	if (len < 0)
		puts_(&o, "null");
	else
		put_hex(&o, v, (size_t)len);
	return finish(&o);
}

/* --- type names --- */

static const char *native_name(uint16_t id)
{
	switch (id) {
	case CQL_TYPE_ASCII: return "ascii";
	case CQL_TYPE_BIGINT: return "bigint";
	case CQL_TYPE_BLOB: return "blob";
	case CQL_TYPE_BOOLEAN: return "boolean";
	case CQL_TYPE_COUNTER: return "counter";
	case CQL_TYPE_DECIMAL: return "decimal";
	case CQL_TYPE_DOUBLE: return "double";
	case CQL_TYPE_FLOAT: return "float";
	case CQL_TYPE_INT: return "int";
	case CQL_TYPE_TEXT: return "text";
	case CQL_TYPE_TIMESTAMP: return "timestamp";
	case CQL_TYPE_UUID: return "uuid";
	case CQL_TYPE_VARCHAR: return "varchar";
	case CQL_TYPE_VARINT: return "varint";
	case CQL_TYPE_TIMEUUID: return "timeuuid";
	case CQL_TYPE_INET: return "inet";
	case CQL_TYPE_DATE: return "date";
	case CQL_TYPE_TIME: return "time";
	case CQL_TYPE_SMALLINT: return "smallint";
	case CQL_TYPE_TINYINT: return "tinyint";
	case CQL_TYPE_DURATION: return "duration";
	default: return NULL;
	}
}

static void put_type(struct out *o, const struct cql_type_tree *t, uint16_t node, unsigned depth)
{
	if (node == CQL_TYPE_NONE || node >= t->n || depth > CQL_TYPE_MAX_DEPTH) {
		puts_(o, "?");
		return;
	}
	const struct cql_type_node *nd = &t->nodes[node];
	const char *native = native_name(nd->id);
	if (native) {
		puts_(o, native);
		return;
	}
	switch (nd->id) {
	case CQL_TYPE_CUSTOM:
		put_text(o, nd->name.ptr, nd->name.len > 0 ? (size_t)nd->name.len : 0, true);
		return;
	case CQL_TYPE_UDT:
		put_text(o, nd->keyspace.ptr, nd->keyspace.len > 0 ? (size_t)nd->keyspace.len : 0, false);
		puts_(o, ".");
		put_text(o, nd->name.ptr, nd->name.len > 0 ? (size_t)nd->name.len : 0, false);
		return;
	case CQL_TYPE_LIST: puts_(o, "list<"); break;
	case CQL_TYPE_SET: puts_(o, "set<"); break;
	case CQL_TYPE_MAP: puts_(o, "map<"); break;
	case CQL_TYPE_TUPLE: puts_(o, "tuple<"); break;
	default:
		putf(o, "0x%04x", nd->id);
		return;
	}
	unsigned i = 0;
	for (uint16_t ch = nd->first_child; ch != CQL_TYPE_NONE && !o->cut;
	     ch = t->nodes[ch].next_sibling, i++) {
		if (i)
			puts_(o, ", ");
		put_type(o, t, ch, depth + 1);
	}
	puts_(o, ">");
}

size_t cql_type_name(const struct cql_type_tree *t, uint16_t node, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, false };
	put_type(&o, t, node, 0);
	return finish(&o);
}
