/* compress.h - the compressors of Seastar's RPC (docs/scylla.md,
 * "Compression"): LZ4 (one block behind its decompressed size) and
 * LZ4_FRAGMENTED (32 KiB chunks of one LZ4 stream), decompressed with
 * Debian's liblz4 into a bounded buffer; ScyllaDB's dictionary-trained
 * SCYLLA_V3 is recognised and described, never decompressed (its
 * dictionaries do not cross the connection).
 */
#ifndef TAPLINE_SCYLLA_COMPRESS_H
#define TAPLINE_SCYLLA_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum scylla_compression {
	SCYLLA_COMP_NONE = 0,
	SCYLLA_COMP_LZ4,
	SCYLLA_COMP_LZ4_FRAGMENTED,
	SCYLLA_COMP_SCYLLA_V3,
	SCYLLA_COMP_UNKNOWN,	/* a name tapline does not know */
};

/* The algorithm a COMPRESS feature's data names (the server's choice). */
enum scylla_compression scylla_compression_named(const char *name,
						 size_t len);
const char *scylla_compression_name(unsigned algo);

/* LZ4_FRAGMENTED's chunk (lz4_fragmented_compressor.cc) */
#define SCYLLA_LZ4_CHUNK 32768u
#define SCYLLA_LZ4_LAST_CHUNK 0x80000000u

struct scylla_decompressed {
	size_t len;		/* bytes produced into out */
	uint64_t declared;	/* decompressed size the frame declares */
	bool elided;		/* declared > the room given: out holds the
				 * first `len` bytes only */
	bool noop;		/* a no-op frame (Seastar skips it) */
	bool malformed;		/* the bytes cannot be right */
	const char *why;	/* static, for malformed or not decoded */
	unsigned chunks;	/* LZ4_FRAGMENTED: chunks read */
};

/* Decompresses one compressed frame's payload (the bytes after its len
 * u32).  in_complete false: `in` is the head of a longer payload (the
 * rest was not kept); then only what those bytes give is produced.  At
 * most `room` bytes are written to out, whatever the frame declares: a
 * frame claiming gigabytes costs no more than `room`.  Returns false
 * when nothing usable came out (malformed, or not decodable: why says
 * which). */
bool scylla_decompress(unsigned algo, const uint8_t *in, size_t in_len,
		       bool in_complete, uint8_t *out, size_t room,
		       struct scylla_decompressed *r);

/* The decompressed size a payload declares, read from its head alone
 * (LZ4's size u32; LZ4_FRAGMENTED's chunk headers, all of them
 * present); false when it does not say. */
bool scylla_declared_size(unsigned algo, const uint8_t *in, size_t in_len,
			  uint64_t *declared);

/* SCYLLA_V3's first byte (advanced_rpc_compressor.cc) */
struct scylla_v3_info {
	uint8_t algorithm;	/* 0 RAW, 1 LZ4 + dictionary, 2 ZSTD + dict. */
	bool checksum;		/* a CRC32 u32 follows */
	bool control;		/* a 132-byte dictionary negotiation header */
	const char *algorithm_name;
};
bool scylla_v3_describe(const uint8_t *in, size_t in_len,
			struct scylla_v3_info *out);

#endif
