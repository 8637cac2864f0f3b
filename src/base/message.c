/* message.c - filling a decoded message with typed fields. */
#include "message.h"

#include <errno.h>
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void msg_reset(struct message *m)
{
	/* The arrays are large: clear only the header, never the storage.
	 * In 32-byte pieces: one memset of this size becomes `rep stos`,
	 * whose start-up cost is most of a message's reset. */
	enum { HEAD = offsetof(struct message, info), PIECE = 32 };
	for (size_t o = 0; o + PIECE <= HEAD; o += PIECE)
		memset((char *)m + o, 0, PIECE);
	memset((char *)m + HEAD / PIECE * PIECE, 0, HEAD % PIECE);
	m->exchange.latency_ns = -1;
	m->info[0] = '\0';
	m->info_len = 0;
	m->nfields = 0;
	m->skipped = 0;
	m->depth = 0;
	m->arena_used = 0;
}

void msg_mark(struct message *m, unsigned verdict, const char *why)
{
	if (why && !m->why)
		m->why = why;
	m->verdict |= verdict;
}

void msg_info(struct message *m, const char *fmt, ...)
{
	size_t room = sizeof m->info - m->info_len;
	if (room <= 1 || m->no_info)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(m->info + m->info_len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	m->info_len += (size_t)n < room ? (size_t)n : room - 1;
}

void msg_info_put_cut(struct message *m, const char *s, size_t n)
{
	size_t room = sizeof m->info - m->info_len;
	if (room <= 1 || m->no_info)
		return;
	if (n > room - 1)
		n = room - 1;
	memcpy(m->info + m->info_len, s, n);
	m->info_len += n;
	m->info[m->info_len] = '\0';
}

void msg_info_strn(struct message *m, const char *s, size_t n)
{
	if (m->no_info)
		return;
	msg_info_put(m, s, strnlen(s, n));
}

void msg_info_str(struct message *m, const char *s)
{
	if (m->no_info)
		return;
	msg_info_put(m, s, strlen(s));
}

/* v in base 8, 10 or 16 (lower case), written backwards from end. */
static char *digits(char *end, uint64_t v, unsigned base)
{
	static const char hex[] = "0123456789abcdef";
	do {
		*--end = hex[v % base];
		v /= base;
	} while (v);
	return end;
}

void msg_info_uint(struct message *m, uint64_t v)
{
	if (m->no_info)
		return;
	char buf[24], *end = buf + sizeof buf;
	char *p = digits(end, v, 10);
	msg_info_put(m, p, (size_t)(end - p));
}

void msg_info_int(struct message *m, int64_t v)
{
	if (m->no_info)
		return;
	char buf[24], *end = buf + sizeof buf;
	char *p = digits(end, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10);
	if (v < 0)
		*--p = '-';
	msg_info_put(m, p, (size_t)(end - p));
}

void msg_info_hex(struct message *m, uint64_t v)
{
	if (m->no_info)
		return;
	char buf[24], *end = buf + sizeof buf;
	char *p = digits(end, v, 16);
	msg_info_put(m, p, (size_t)(end - p));
}

void msg_info_oct(struct message *m, uint64_t v)
{
	if (m->no_info)
		return;
	char buf[24], *end = buf + sizeof buf;
	char *p = digits(end, v, 8);
	msg_info_put(m, p, (size_t)(end - p));
}

void msg_info_label(struct message *m, const char *label)
{
	if (m->no_info)
		return;
	size_t n = strlen(label);
	char buf[64];
	if (n > sizeof buf - 2) {
		msg_info_put(m, " ", 1);
		msg_info_put(m, label, n);
		msg_info_put(m, "=", 1);
		return;
	}
	buf[0] = ' ';
	memcpy(buf + 1, label, n);
	buf[n + 1] = '=';
	msg_info_put(m, buf, n + 2);
}

static struct field *add_field(struct message *m,
			       const struct field_def *def,
			       enum field_kind kind)
{
	return msg_field_slot(m, def, kind);
}

/* Copies len bytes into the arena; false (and FIELDS_FULL) when no room. */
static inline bool arena_copy(struct message *m, struct field *f,
			      const void *p, size_t len)
{
	bool kept = f != &m->scratch;
	if (len > sizeof m->arena - m->arena_used) {
		m->verdict |= MSG_FIELDS_FULL;
		if (kept)
			m->nfields--;
		else
			m->skipped--;
		return false;
	}
	f->off = (uint32_t)m->arena_used;
	f->len = (uint32_t)len;
	if (len && kept)
		memcpy(m->arena + m->arena_used, p, len);
	m->arena_used += len;
	return true;
}

static inline struct field *add_blob(struct message *m,
				     const struct field_def *def,
				     enum field_kind kind, const void *p,
				     size_t len)
{
	struct field *f = add_field(m, def, kind);
	if (f && !arena_copy(m, f, p, len))
		return NULL;
	return f;
}

void field_set_address(struct field *f, uint8_t family, const uint8_t *addr)
{
	f->kind = FIELD_ADDR;
	if (family == 4) {
		/* RFC 4291's IPv4-mapped form: one compare for both */
		memset(f->v.addr, 0, 10);
		f->v.addr[10] = f->v.addr[11] = 0xff;
		memcpy(f->v.addr + 12, addr, 4);
	} else {
		memcpy(f->v.addr, addr, 16);
	}
}

struct field *msg_add_str(struct message *m, const struct field_def *def,
			  const void *s, size_t len)
{
	return add_blob(m, def, FIELD_STR, s, len);
}

struct field *msg_add_bytes(struct message *m, const struct field_def *def,
			    const void *p, size_t len)
{
	return add_blob(m, def, FIELD_BYTES, p, len);
}

struct field *msg_add_gfid(struct message *m, const struct field_def *def,
			   const uint8_t gfid[16])
{
	return add_blob(m, def, FIELD_GFID, gfid, 16);
}

struct field *msg_add_errno(struct message *m, const struct field_def *def,
			    int64_t e)
{
	struct field *f = add_field(m, def, FIELD_ERRNO);
	if (f) {
		f->v.i = e;
		f->text = errno_name(e);
	}
	return f;
}

struct field *msg_add_flags(struct message *m, const struct field_def *def,
			    uint64_t v, const char *names)
{
	struct field *f = add_blob(m, def, FIELD_FLAGS, names,
				   names ? strlen(names) : 0);
	if (f)
		f->v.u = v;
	return f;
}

struct field *msg_open_n(struct message *m, const struct field_def *def,
			 const char *label, size_t len)
{
	struct field *f = add_blob(m, def, FIELD_TREE, label, len);
	/* Depth follows open/close even when the field did not fit, so
	 * that every close matches its open. */
	if (m->depth < UINT8_MAX)
		m->depth++;
	return f;
}

const struct field *msg_find(const struct message *m,
			     const struct field_def *def)
{
	for (unsigned i = 0; i < m->nfields; i++)
		if (m->fields[i].def == def)
			return &m->fields[i];
	return NULL;
}

const uint8_t *field_bytes(const struct message *m, const struct field *f)
{
	return m->arena + f->off;
}

size_t endpoint_address_text(char *buf, size_t len, const struct endpoint *e)
{
	if (e->family != 6 && len >= 16) {
		/* dotted quad without inet_ntop's sprintf: one per message */
		size_t n = 0;
		for (int i = 0; i < 4; i++) {
			unsigned v = e->addr[i];
			if (v >= 100)
				buf[n++] = (char)('0' + v / 100);
			if (v >= 10)
				buf[n++] = (char)('0' + v / 10 % 10);
			buf[n++] = (char)('0' + v % 10);
			if (i < 3)
				buf[n++] = '.';
		}
		buf[n] = '\0';
		return n;
	}
	if (!inet_ntop(e->family == 6 ? AF_INET6 : AF_INET, e->addr, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
	return strlen(buf);
}

size_t endpoint_text(char *buf, const struct endpoint *e)
{
	size_t n = 0;
	if (e->family == 6)
		buf[n++] = '[';
	n += endpoint_address_text(buf + n, INET6_ADDRSTRLEN, e);
	if (e->family == 6)
		buf[n++] = ']';
	buf[n++] = ':';
	char digits[8], *p = digits + sizeof digits;
	unsigned port = e->port;
	do
		*--p = (char)('0' + port % 10);
	while (port /= 10);
	size_t d = (size_t)(digits + sizeof digits - p);
	memcpy(buf + n, p, d);
	return n + d;
}

size_t msg_verdict_text(char *buf, size_t len, unsigned verdict)
{
	static const char *const names[] = {
		"malformed", "truncated", "not-decoded", "after-gap", "elided",
		"fields-full",
	};
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
		if (!(verdict & 1u << i))
			continue;
		int w = snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				 names[i]);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
	return n;
}

/* Two bytes as four lower-case hex digits, eight bits a step wide
 * (SWAR): one nibble to each byte of a word, then '0' + nibble, and
 * 'a' - '0' - 10 more where the nibble is above 9. */
static void hex4(char *out, const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] << 8 | p[1];
	v = (v | v << 8) & 0x00ff00ffu;
	v = (v | v << 4) & 0x0f0f0f0fu;
	uint32_t above9 = ((v + 0x06060606u) >> 4) & 0x01010101u;
	v += 0x30303030u + above9 * ('a' - '0' - 10);
	out[0] = (char)(v >> 24);
	out[1] = (char)(v >> 16);
	out[2] = (char)(v >> 8);
	out[3] = (char)v;
}

void gfid_text(const uint8_t g[16], char out[37])
{
	/* Not printf: this runs for every gfid a summary shows. */
	static const uint8_t at[8] = { 0, 4, 9, 14, 19, 24, 28, 32 };
	for (unsigned i = 0; i < 8; i++)
		hex4(out + at[i], g + 2 * i);
	out[8] = out[13] = out[18] = out[23] = '-';
	out[36] = '\0';
}
