/* memory.h - the correlator's memory budget: one figure (tapline correlate
 * --max-memory, default 64 MiB) that the run's peak resident memory stays
 * under whatever the input, split among everything that takes memory:
 *
 *   program      code, libraries, thread stacks, the heap's own slack:
 *                not sized by tapline (MEMORY_PROGRAM, measured)
 *   connections  the capture ingest's fixed tables (connection memo,
 *                stream cache, Bloom filter, the ring's slots) and the
 *                bitmap of streams given a row (stream_bitmap)
 *   row          the row being made: its text columns and JSON body, up
 *                to the decoder's largest message (MEMORY_ROW)
 *   rows         the bytes of the rows between the decoding thread and
 *                the writer thread (held for their replies, or not yet
 *                stepped)
 *   decoder      the wire decoder inside (decoder_options)
 *   sqlite       SQLite's heap (its soft heap limit): the page cache,
 *                statements, the sorter and temporary tables of the
 *                joins
 *
 * What happens at each bound is a matter of speed, never of what the
 * timeline holds -- except in the decoder, whose own policy (flows and
 * buffered bytes given up, counted) is that of tapline decode:
 *   rows         a call held for its reply goes on without it once its
 *                share is full (its reply column is then set by an
 *                UPDATE); a new row waits for the writer to step older
 *                ones;
 *   stream_bitmap  streams beyond it are looked up in SQL;
 *   sqlite       pages are written out of the cache sooner.
 * tapline-correlate(1) says the same under MEMORY.
 */
#ifndef TAPLINE_CORRELATE_MEMORY_H
#define TAPLINE_CORRELATE_MEMORY_H

#include <stdbool.h>
#include <stddef.h>

#define MEMORY_DEFAULT ((size_t)64 << 20)
/* Below this the shares are too small to be worth running. */
#define MEMORY_MIN ((size_t)24 << 20)
/* Code, libraries (libsqlite3, libpcap, zlib), three threads' stacks and
 * what the heap keeps of freed memory: `tapline correlate --help` alone
 * is 4 MiB resident here. */
#define MEMORY_PROGRAM ((size_t)8 << 20)
/* The largest row: a message's 2048 fields and 128 KiB of values as JSON
 * (up to 6 bytes a value byte), with the renderer's room to grow. */
#define MEMORY_ROW ((size_t)2 << 20)

struct memory_plan {
	size_t total;
	size_t connections;	/* the ingest's fixed tables */
	size_t stream_bitmap;	/* streams given a row, one bit each */
	size_t rows;		/* the ring's bytes */
	size_t decoder;		/* decoder_options */
	size_t sqlite;		/* SQLite's soft heap limit */
	size_t page_cache;	/* of which its page cache (cache_size) */
};

/* Splits `total` bytes; false when it is below MEMORY_MIN. */
bool memory_plan(struct memory_plan *p, size_t total);

/* A size: a number of bytes, or with a suffix K, M, G (KiB, MiB, GiB;
 * "64M", "64MiB", "1g").  False when it is not one. */
bool memory_parse_size(const char *s, size_t *bytes);

#endif
