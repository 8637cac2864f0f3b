/* xdr.h - XDR (RFC 4506) primitives over a bounds-checked cursor.
 *
 * Every reader yields 0/NULL once the cursor has failed, so a decoder can
 * read a whole structure and check the cursor once.  Lengths are checked
 * against the caller's cap (an impossible value: MALFORMED) and against the
 * bytes left (the record ends: TRUNCATED); the caller decides whether a
 * truncation inside a complete record means the bytes lie.
 */
#ifndef TAPLINE_XDR_H
#define TAPLINE_XDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/cursor.h"

/* Caps on variable-length items: far above anything real, far below
 * what would let a hostile length pass for plausible. */
#define XDR_MAX_OPAQUE (64u * 1024 * 1024)
#define XDR_MAX_NAME 4096u		/* names and paths */
#define XDR_MAX_LIST 65536u		/* entries of one linked list */

/* Inline: they run for every word of every message. */
static inline uint32_t xdr_u32(struct cursor *c)
{
	return cursor_be32(c);
}

static inline int32_t xdr_i32(struct cursor *c)
{
	return (int32_t)cursor_be32(c);
}

static inline uint64_t xdr_u64(struct cursor *c)
{
	uint64_t v = cursor_be64(c);
	return cursor_ok(c) ? v : 0;	/* not half a value */
}

static inline int64_t xdr_i64(struct cursor *c)
{
	return (int64_t)xdr_u64(c);
}

/* An XDR bool (also the "more entries" flag of optional-data lists):
 * anything but 0 or 1 is malformed. */
bool xdr_bool(struct cursor *c);

/* Fixed-length opaque of n bytes plus padding to 4. */
const uint8_t *xdr_fixed(struct cursor *c, size_t n);

/* Variable-length opaque<> / string<>: *len gets the length; the bytes
 * (without padding) are returned, or NULL when the length exceeds max
 * (MALFORMED) or the bytes left (TRUNCATED).  Padding is skipped. */
const uint8_t *xdr_opaque(struct cursor *c, uint32_t max, uint32_t *len);

/* Like xdr_opaque, but a string: a trailing NUL that C senders count in
 * the length (GlusterFS's do) is dropped from *len. */
const char *xdr_string(struct cursor *c, uint32_t max, uint32_t *len);

/* Bytes needed to pad n to a multiple of 4. */
static inline size_t xdr_pad(size_t n)
{
	return (4 - (n & 3)) & 3;
}

#endif
