/* memory.c - the correlator's memory budget split among its tables
 * (memory.h says which, and why). */
#include "memory.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

#define MiB ((size_t)1 << 20)

bool memory_plan(struct memory_plan *p, size_t total)
{
	if (total < MEMORY_MIN)
		return false;
	memset(p, 0, sizeof *p);
	p->total = total;
	p->connections = ingest_capture_fixed_bytes();
	/* 8 Mi streams without asking SQL. */
	p->stream_bitmap = 1 * MiB;
	size_t rest = total - MEMORY_PROGRAM - MEMORY_ROW - p->connections -
		      p->stream_bitmap;
	/* A few MiB hold the ring's 1024 rows of any real capture; more
	 * only helps rows of hundreds of KiB. */
	p->rows = rest / 5;
	if (p->rows > 16 * MiB)
		p->rows = 16 * MiB;
	rest -= p->rows;
	/* The decoder's tables are what hostile captures fill; SQLite's
	 * cache beyond a dozen MiB was not measured faster (the rows are
	 * appended in id order; bench/correlate-bench.sh). */
	p->decoder = rest / 20 * 11;
	p->sqlite = rest - p->decoder;
	/* Besides its cache SQLite holds the schema, the prepared
	 * statements and the joins' sorter runs. */
	p->page_cache = p->sqlite / 4 * 3;
	return true;
}

bool memory_parse_size(const char *s, size_t *bytes)
{
	if (!s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (shift && (!strcmp(end, "iB") || !strcmp(end, "B")))
		end += strlen(end);
	if (*end || v == 0 || v > (SIZE_MAX >> shift))
		return false;
	*bytes = (size_t)v << shift;
	return true;
}
