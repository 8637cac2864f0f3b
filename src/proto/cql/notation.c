/* notation.c - the CQL notations over a cursor (see notation.h). */
#include "proto/cql/notation.h"

#include <stdio.h>

static struct cql_span span_of(struct cursor *c, int64_t n)
{
	struct cql_span s = { NULL, 0 };
	if (n < 0 || !cursor_ok(c))
		return s;
	if ((uint64_t)n > cursor_left(c)) {
		cursor_take(c, (size_t)n);	/* marks TRUNCATED */
		return s;
	}
	s.ptr = cursor_take(c, (size_t)n);
	s.len = (int32_t)n;
	return s;
}

struct cql_span cql_string(struct cursor *c)
{
	uint16_t n = cursor_be16(c);
	return span_of(c, n);
}

struct cql_span cql_long_string(struct cursor *c)
{
	int32_t n = (int32_t)cursor_be32(c);
	if (n < 0 && cursor_ok(c))
		cursor_malformed(c, "negative [long string] length");
	return span_of(c, n);
}

struct cql_span cql_bytes(struct cursor *c)
{
	int32_t n = (int32_t)cursor_be32(c);
	if (n < 0) {
		struct cql_span null = { NULL, cursor_ok(c) ? -1 : 0 };
		return null;
	}
	return span_of(c, n);
}

struct cql_span cql_value(struct cursor *c)
{
	int32_t n = (int32_t)cursor_be32(c);
	if (n < 0) {
		struct cql_span s = { NULL, 0 };
		if (!cursor_ok(c))
			return s;
		if (n < -2)
			cursor_malformed(c, "[value] length below -2");
		else
			s.len = n;
		return s;
	}
	return span_of(c, n);
}

struct cql_span cql_short_bytes(struct cursor *c)
{
	uint16_t n = cursor_be16(c);
	return span_of(c, n);
}

const uint8_t *cql_uuid(struct cursor *c)
{
	return cursor_take(c, 16);
}

bool cql_inet(struct cursor *c, struct cql_inet *out, bool with_port)
{
	memset(out, 0, sizeof *out);
	out->port = -1;
	uint8_t size = cursor_u8(c);
	if (!cursor_ok(c))
		return false;
	if (size != 4 && size != 16) {
		cursor_malformed(c, "[inet] address size neither 4 nor 16");
		return false;
	}
	const uint8_t *a = cursor_take(c, size);
	if (!a)
		return false;
	memcpy(out->addr, a, size);
	out->family = size == 4 ? 4 : 6;
	if (with_port) {
		out->port = (int32_t)cursor_be32(c);
		if (!cursor_ok(c))
			return false;
	}
	return true;
}

/* IPv6 text per RFC 5952: the longest run (>= 2) of zero groups as "::". */
static size_t ipv6_format(const uint8_t *a, char *out, size_t cap)
{
	uint16_t g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	int best = -1, best_len = 0;
	for (int i = 0; i < 8;) {
		if (g[i]) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && !g[j])
			j++;
		if (j - i > best_len && j - i >= 2) {
			best = i;
			best_len = j - i;
		}
		i = j;
	}
	size_t n = 0;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "::");
			i += best_len - 1;
			continue;
		}
		bool colon = i > 0 && i != best + best_len;
		n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%x",
				      colon ? ":" : "", g[i]);
	}
	return n < cap ? n : (cap ? cap - 1 : 0);
}

size_t cql_inet_format(const struct cql_inet *in, char *out, size_t cap)
{
	char addr[48];
	if (!cap)
		return 0;
	if (in->family == 4) {
		/* dotted quad without printf: every inet cell comes here */
		size_t at = 0;
		for (int i = 0; i < 4; i++) {
			unsigned b = in->addr[i];
			if (i)
				addr[at++] = '.';
			if (b >= 100)
				addr[at++] = (char)('0' + b / 100);
			if (b >= 10)
				addr[at++] = (char)('0' + b / 10 % 10);
			addr[at++] = (char)('0' + b % 10);
		}
		addr[at] = '\0';
		if (in->port < 0) {
			size_t n = at < cap ? at : cap - 1;
			memcpy(out, addr, n);
			out[n] = '\0';
			return n;
		}
	} else if (in->family == 6)
		ipv6_format(in->addr, addr, sizeof addr);
	else
		snprintf(addr, sizeof addr, "?");
	int n;
	if (in->port < 0)
		n = snprintf(out, cap, "%s", addr);
	else if (in->family == 6)
		n = snprintf(out, cap, "[%s]:%d", addr, in->port);
	else
		n = snprintf(out, cap, "%s:%d", addr, in->port);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

uint64_t cql_unsigned_vint(struct cursor *c)
{
	uint8_t first = cursor_u8(c);
	if (!cursor_ok(c))
		return 0;
	int extra = 0;
	while (extra < 8 && (first & (0x80 >> extra)))
		extra++;
	uint64_t v = extra == 8 ? 0 : (uint64_t)(first & (0xff >> (extra + 1)));
	const uint8_t *p = cursor_take(c, (size_t)extra);
	if (!p)
		return 0;
	for (int i = 0; i < extra; i++)
		v = v << 8 | p[i];
	return v;
}

int64_t cql_vint(struct cursor *c)
{
	uint64_t u = cql_unsigned_vint(c);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

const char *cql_consistency_name(uint16_t level)
{
	static const char *const names[] = {
		"ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM",
		"EACH_QUORUM", "SERIAL", "LOCAL_SERIAL", "LOCAL_ONE",
	};
	return level < sizeof names / sizeof names[0] ? names[level] : NULL;
}

/* Length of the valid UTF-8 sequence at p (1..4), 0 when invalid. */
static size_t utf8_seq(const uint8_t *p, size_t n)
{
	uint8_t b = p[0];
	size_t len;
	uint32_t cp;
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		cp = b & 0x0f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		cp = b & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t cql_text(const uint8_t *p, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (!cap)
		return 0;
	for (size_t i = 0; i < n;) {
		/* Runs of printable ASCII, the common case, copied at once. */
		size_t run = i + cql_printable_run(p + i, n - i);
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f)
			run++;
		if (run > i) {
			size_t take = run - i;
			if (o + take >= cap)
				take = cap - 1 - o;
			memcpy(out + o, p + i, take);
			o += take;
			i += take;
			if (i < run)
				break;
			continue;
		}
		size_t len = utf8_seq(p + i, n - i);
		if (len && p[i] >= 0x20 && p[i] != 0x7f) {
			if (o + len >= cap)
				break;
			memcpy(out + o, p + i, len);
			o += len;
			i += len;
			continue;
		}
		if (o + 4 >= cap)
			break;
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[p[i] >> 4];
		out[o++] = hex[p[i] & 15];
		i++;
	}
	out[o] = '\0';
	return o;
}
