/* compress.c - LZ4 and LZ4_FRAGMENTED payloads of Seastar's compressed
 * RPC frames (docs/scylla.md, "Compression"):
 *
 *	LZ4:            decompressed size u32 | one LZ4 block
 *	LZ4_FRAGMENTED: { header u32 | chunk }...   header bit 31 clear:
 *	                an intermediate chunk of `header` compressed bytes
 *	                giving exactly 32 KiB; bit 31 set: the last chunk,
 *	                bits 0-30 its decompressed size, its compressed
 *	                bytes the rest of the payload.  One LZ4 stream: a
 *	                chunk may copy from the 64 KiB decoded before it.
 *
 * Output never passes `room`: decoding stops there (LZ4's partial
 * decoders), so declared sizes cost nothing.
 */
#include <limits.h>
#include <lz4.h>
#include <string.h>

#include "compress.h"

enum scylla_compression scylla_compression_named(const char *name,
						 size_t len)
{
	if (!len)
		return SCYLLA_COMP_NONE;
	if (len == 3 && !memcmp(name, "LZ4", 3))
		return SCYLLA_COMP_LZ4;
	if (len == 14 && !memcmp(name, "LZ4_FRAGMENTED", 14))
		return SCYLLA_COMP_LZ4_FRAGMENTED;
	if (len == 9 && !memcmp(name, "SCYLLA_V3", 9))
		return SCYLLA_COMP_SCYLLA_V3;
	return SCYLLA_COMP_UNKNOWN;
}

const char *scylla_compression_name(unsigned algo)
{
	switch (algo) {
	case SCYLLA_COMP_NONE: return "none";
	case SCYLLA_COMP_LZ4: return "LZ4";
	case SCYLLA_COMP_LZ4_FRAGMENTED: return "LZ4_FRAGMENTED";
	case SCYLLA_COMP_SCYLLA_V3: return "SCYLLA_V3";
	default: return "unknown";
	}
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* liblz4 counts in int: the buffers here are bounded by the decoder's
 * per-message limit, far below, but a caller could pass more. */
static int as_int(size_t n)
{
	return n > INT_MAX ? INT_MAX : (int)n;
}

static bool fail(struct scylla_decompressed *r, const char *why)
{
	r->malformed = true;
	r->why = why;
	return false;
}

static bool lz4_block(const uint8_t *in, size_t in_len, bool in_complete,
		      uint8_t *out, size_t room, struct scylla_decompressed *r)
{
	uint32_t declared = le32(in);
	r->declared = declared;
	if (!declared)	/* lz4_compressor.cc refuses it too */
		return fail(r, "LZ4 frame declares 0 decompressed bytes");
	const char *src = (const char *)in + 4;
	int src_len = as_int(in_len - 4);
	if (in_complete && declared <= room) {
		int n = LZ4_decompress_safe(src, (char *)out, src_len,
					    (int)declared);
		if (n < 0 || (uint32_t)n != declared)
			return fail(r, "LZ4 data does not decompress to its "
				       "declared size");
		r->len = declared;
		return true;
	}
	size_t target = declared < room ? declared : room;
	int n = LZ4_decompress_safe_partial(src, (char *)out, src_len,
					    as_int(target), as_int(room));
	if (n < 0) {
		if (in_complete)
			return fail(r, "LZ4 data is corrupt");
		r->why = "LZ4 frame longer than kept";
		return false;
	}
	r->len = (size_t)n < target ? (size_t)n : target;
	r->elided = r->len < declared;
	return true;
}

/* Declared size of a fragmented payload, from its chunk headers alone.
 * false: the headers run past the payload (only an error when it is
 * complete). */
static bool fragmented_size(const uint8_t *in, size_t in_len,
			    uint64_t *declared)
{
	size_t off = 0;
	uint64_t total = 0;
	while (in_len - off >= 4) {
		uint32_t h = le32(in + off);
		off += 4;
		if (h & SCYLLA_LZ4_LAST_CHUNK) {
			*declared = total + (h & ~SCYLLA_LZ4_LAST_CHUNK);
			return true;
		}
		total += SCYLLA_LZ4_CHUNK;
		if (h > in_len - off)
			break;
		off += h;
	}
	*declared = total;
	return false;
}

static bool lz4_fragmented(const uint8_t *in, size_t in_len,
			   bool in_complete, uint8_t *out, size_t room,
			   struct scylla_decompressed *r)
{
	uint64_t declared;
	bool whole = fragmented_size(in, in_len, &declared);
	r->declared = declared;
	if (!whole && in_complete)
		return fail(r, "LZ4_FRAGMENTED chunk runs past the frame");
	size_t off = 0;
	while (in_len - off >= 4) {
		uint32_t h = le32(in + off);
		off += 4;
		bool last = h & SCYLLA_LZ4_LAST_CHUNK;
		size_t size = last ? (h & ~SCYLLA_LZ4_LAST_CHUNK)
				   : SCYLLA_LZ4_CHUNK;
		size_t comp = last ? in_len - off : h;
		/* a chunk cut by what was kept (the payload is complete
		 * otherwise: checked above): decode what its head gives */
		bool cut = comp > in_len - off;
		if (cut)
			comp = in_len - off;
		/* the 64 KiB decoded just before this chunk is its
		 * dictionary (one stream, contiguous output) */
		size_t dict = r->len < 65536 ? r->len : 65536;
		const char *dict_start = (const char *)out + r->len - dict;
		size_t space = room - r->len;
		r->chunks++;
		if (size <= space && !cut && (in_complete || !last) && size) {
			int n = LZ4_decompress_safe_usingDict(
				(const char *)in + off, (char *)out + r->len,
				as_int(comp), as_int(size), dict_start,
				as_int(dict));
			if (n < 0 || (size_t)n != size)
				return fail(r, last ? "LZ4_FRAGMENTED last "
						      "chunk is corrupt"
						    : "LZ4_FRAGMENTED chunk is "
						      "corrupt");
			r->len += size;
		} else if (size) {
			size_t target = size < space ? size : space;
			if (target) {
				int n = LZ4_decompress_safe_partial_usingDict(
					(const char *)in + off,
					(char *)out + r->len, as_int(comp),
					as_int(target), as_int(space),
					dict_start, as_int(dict));
				if (n < 0) {
					if (in_complete)
						return fail(r, "LZ4_FRAGMENTED "
							       "chunk is corrupt");
					r->why = "LZ4_FRAGMENTED frame longer "
						 "than kept";
					r->elided = true;
					return r->len > 0;
				}
				r->len += (size_t)n < target ? (size_t)n
							     : target;
			}
			r->elided = true;
			return true;
		}
		if (last)
			return true;
		off += comp;
		if (r->len >= room) {
			r->elided = true;
			return true;
		}
	}
	if (in_complete)
		return fail(r, "LZ4_FRAGMENTED frame ends inside a chunk "
			       "header");
	r->elided = true;
	return r->len > 0;
}

bool scylla_declared_size(unsigned algo, const uint8_t *in, size_t in_len,
			  uint64_t *declared)
{
	if (in_len < 4)
		return false;
	if (algo == SCYLLA_COMP_LZ4) {
		*declared = le32(in);
		return true;
	}
	return algo == SCYLLA_COMP_LZ4_FRAGMENTED &&
	       fragmented_size(in, in_len, declared);
}

bool scylla_decompress(unsigned algo, const uint8_t *in, size_t in_len,
		       bool in_complete, uint8_t *out, size_t room,
		       struct scylla_decompressed *r)
{
	*r = (struct scylla_decompressed){ 0 };
	switch (algo) {
	case SCYLLA_COMP_LZ4:
	case SCYLLA_COMP_LZ4_FRAGMENTED:
		/* both compressors return an empty buffer, which the RPC
		 * layer skips, for fewer than 4 bytes */
		if (in_len < 4) {
			if (!in_complete) {
				r->why = "compressed frame longer than kept";
				return false;
			}
			r->noop = true;
			return true;
		}
		return algo == SCYLLA_COMP_LZ4
			       ? lz4_block(in, in_len, in_complete, out, room,
					   r)
			       : lz4_fragmented(in, in_len, in_complete, out,
						room, r);
	case SCYLLA_COMP_SCYLLA_V3:
		if (!in_len && in_complete) {
			r->noop = true;
			return true;
		}
		r->why = "SCYLLA_V3: dictionary-trained compression, the "
			 "dictionary never crosses the connection";
		return false;
	default:
		r->why = "compressed with an algorithm tapline does not know";
		return false;
	}
}

bool scylla_v3_describe(const uint8_t *in, size_t in_len,
			struct scylla_v3_info *out)
{
	static const char *const names[] = { "RAW", "LZ4+dictionary",
					     "ZSTD+dictionary" };
	if (!in_len)
		return false;
	out->algorithm = in[0] & 0x3f;
	out->checksum = in[0] & 0x40;
	out->control = in[0] & 0x80;
	out->algorithm_name = out->algorithm < 3 ? names[out->algorithm]
						 : NULL;
	return true;
}
