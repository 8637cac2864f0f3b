/* cursor.h - bounds-checked reading of untrusted bytes.
 *
 * Every byte read from a packet or a record goes through a cursor.  A read
 * past the end never touches memory: it sets the cursor's TRUNCATED flag and
 * yields 0, so decoders can read a whole header and check once.  A decoder
 * that finds an impossible value calls cursor_malformed(); the two verdicts
 * stay distinct (truncated = the capture ended, malformed = the bytes lie).
 */
#ifndef TAPLINE_CURSOR_H
#define TAPLINE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum cursor_status {
	CURSOR_OK = 0,
	CURSOR_TRUNCATED = 1,	/* ran past the captured bytes */
	CURSOR_MALFORMED = 2,	/* a value that cannot be right */
};

struct cursor {
	const uint8_t *pos;
	const uint8_t *end;
	const uint8_t *start;
	unsigned status;	/* bit set of enum cursor_status */
	const char *why;	/* first reason for MALFORMED, static string */
};

static inline struct cursor cursor_init(const void *data, size_t len)
{
	/* No bytes at all may come as NULL (an empty SQLite blob): NULL
	 * plus 0 is undefined in C, so an empty cursor points elsewhere. */
	const uint8_t *p = data ? data : (const uint8_t *)"";
	if (!data)
		len = 0;
	struct cursor c = { p, p + len, p, CURSOR_OK, NULL };
	return c;
}

static inline size_t cursor_left(const struct cursor *c)
{
	return (size_t)(c->end - c->pos);
}

static inline size_t cursor_offset(const struct cursor *c)
{
	return (size_t)(c->pos - c->start);
}

static inline bool cursor_ok(const struct cursor *c)
{
	return c->status == CURSOR_OK;
}

static inline void cursor_malformed(struct cursor *c, const char *why)
{
	if (!(c->status & CURSOR_MALFORMED))
		c->why = why;
	c->status |= CURSOR_MALFORMED;
}

/* Claims n bytes; returns a pointer to them or NULL (and TRUNCATED). */
static inline const uint8_t *cursor_take(struct cursor *c, size_t n)
{
	if (c->status != CURSOR_OK)
		return NULL;	/* the first failure is the one reported */
	if (cursor_left(c) < n) {
		c->status |= CURSOR_TRUNCATED;
		c->pos = c->end;
		return NULL;
	}
	const uint8_t *p = c->pos;
	c->pos += n;
	return p;
}

static inline bool cursor_skip(struct cursor *c, size_t n)
{
	return cursor_take(c, n) != NULL;
}

static inline uint8_t cursor_u8(struct cursor *c)
{
	const uint8_t *p = cursor_take(c, 1);
	return p ? p[0] : 0;
}

static inline uint16_t cursor_be16(struct cursor *c)
{
	const uint8_t *p = cursor_take(c, 2);
	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static inline uint32_t cursor_be32(struct cursor *c)
{
	const uint8_t *p = cursor_take(c, 4);
	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		   (uint32_t)p[2] << 8 | p[3] : 0;
}

static inline uint64_t cursor_be64(struct cursor *c)
{
	uint64_t hi = cursor_be32(c);
	return hi << 32 | cursor_be32(c);
}

static inline uint16_t cursor_le16(struct cursor *c)
{
	const uint8_t *p = cursor_take(c, 2);
	return p ? (uint16_t)(p[1] << 8 | p[0]) : 0;
}

static inline uint32_t cursor_le32(struct cursor *c)
{
	const uint8_t *p = cursor_take(c, 4);
	return p ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
		   (uint32_t)p[1] << 8 | p[0] : 0;
}

static inline uint64_t cursor_le64(struct cursor *c)
{
	uint64_t lo = cursor_le32(c);
	return lo | (uint64_t)cursor_le32(c) << 32;
}

/* Reads at a fixed offset without moving; 0 and TRUNCATED when out of range. */
static inline uint32_t peek_be32(const uint8_t *p, size_t len, size_t off)
{
	if (off > len || len - off < 4)
		return 0;
	return (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
	       (uint32_t)p[off + 2] << 8 | p[off + 3];
}

#endif
