/* notation.h - the CQL native protocol's notations (section 3 of
 * native_protocol_v*.spec) over a bounds-checked cursor.
 *
 * Every reader yields an empty/zero result once the cursor has failed, so a
 * body can be read through and checked once.  A length that runs past the
 * body is TRUNCATED when the body itself was cut by the capture, and the
 * caller turns it into MALFORMED when the body was whole (the frame's
 * length said so); a negative length where none is allowed is MALFORMED.
 */
#ifndef TAPLINE_CQL_NOTATION_H
#define TAPLINE_CQL_NOTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/cursor.h"

/* A run of bytes inside the body ([string], [bytes], ...).  For [bytes]
 * and [value]: len < 0 is null (-1) or not set (-2), ptr NULL. */
struct cql_span {
	const uint8_t *ptr;
	int32_t len;
};

/* [short] / [int] / [long] / [byte]: big-endian. */
static inline uint16_t cql_short(struct cursor *c) { return cursor_be16(c); }
static inline int32_t cql_int(struct cursor *c) { return (int32_t)cursor_be32(c); }
static inline int64_t cql_long(struct cursor *c) { return (int64_t)cursor_be64(c); }
static inline uint8_t cql_byte(struct cursor *c) { return cursor_u8(c); }

/* [string]: [short] n + n bytes. */
struct cql_span cql_string(struct cursor *c);
/* [long string]: [int] n + n bytes; n < 0 is MALFORMED. */
struct cql_span cql_long_string(struct cursor *c);
/* [bytes]: [int] n + n bytes, n < 0 null. */
struct cql_span cql_bytes(struct cursor *c);
/* [value]: like [bytes], -2 "not set", below -2 MALFORMED. */
struct cql_span cql_value(struct cursor *c);
/* [short bytes]: [short] n + n bytes. */
struct cql_span cql_short_bytes(struct cursor *c);
/* [uuid]: 16 bytes (NULL when they are not there). */
const uint8_t *cql_uuid(struct cursor *c);

/* [inet] (with_port) and [inetaddr]: a 1-byte size that must be 4 or 16,
 * the address, and for [inet] an [int] port. */
struct cql_inet {
	uint8_t family;		/* 4 or 6; 0 when unread */
	uint8_t addr[16];
	int32_t port;		/* [inet] only; -1 for [inetaddr] */
};
bool cql_inet(struct cursor *c, struct cql_inet *out, bool with_port);
/* "192.0.2.7:9042", "[::1]:9042", "::1"; returns the length written. */
size_t cql_inet_format(const struct cql_inet *in, char *out, size_t cap);

/* [unsigned vint] and zig-zag [vint] (v5): the first byte's leading 1 bits
 * count the bytes that follow (0..8). */
uint64_t cql_unsigned_vint(struct cursor *c);
int64_t cql_vint(struct cursor *c);

/* Lists and maps are walked by their count: [string list], [string map],
 * [string multimap] and [bytes map] start with a [short] n. */
static inline uint16_t cql_count(struct cursor *c) { return cursor_be16(c); }

/* [consistency] names: "ONE", "LOCAL_QUORUM", ...; NULL when unknown. */
const char *cql_consistency_name(uint16_t level);

/* Copies a span into out as printable text (bytes outside printable ASCII
 * and invalid UTF-8 escaped as \xNN), NUL-terminated, at most cap - 1
 * bytes; returns the length written.  Used wherever a protocol string is
 * shown: the bytes come from the network. */
size_t cql_text(const uint8_t *p, size_t n, char *out, size_t cap);

/* Bytes from p on that are printable ASCII (0x20-0x7e), eight at a time:
 * a multiple of 8, at most n.  The text writers' common case. */
static inline size_t cql_printable_run(const uint8_t *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = ones << 7;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, sizeof x);
		/* a byte below 0x20, or above 0x7e (0x7e + 1 sets its top bit) */
		if ((((x - ones * 0x20) & ~x) | ((x + ones) | x)) & highs)
			break;
	}
	return i;
}

/* A cursor over a span's bytes (none for null or not set). */
static inline struct cursor cql_span_cursor(struct cql_span s)
{
	static const uint8_t none[1];
	return s.ptr && s.len > 0 ? cursor_init(s.ptr, (size_t)s.len) : cursor_init(none, 0);
}

/* Equal to a C string? */
static inline bool cql_span_is(struct cql_span s, const char *want)
{
	size_t n = strlen(want);
	return s.ptr && s.len >= 0 && (size_t)s.len == n && memcmp(s.ptr, want, n) == 0;
}

#endif
