/* partitions.h - the files of an export: one NDJSON file per table,
 * partition (host and hour) and timeline, written under names no reader
 * globs (NAME.ndjson.partial) and put in place only when the whole
 * export succeeded, replacing what an earlier export of the same
 * timeline left.  A few files are kept open at once, so memory stays the
 * same however many hours a capture spans. */
#ifndef TAPLINE_EXPORT_PARTITIONS_H
#define TAPLINE_EXPORT_PARTITIONS_H

#include <stdbool.h>
#include <stdio.h>

struct partitions;

/* Files go under `dir` (created if missing), each named `timeline`.ndjson.
 * NULL with a message on stderr. */
struct partitions *partitions_new(const char *dir, const char *timeline);

/* The stream for rows of `table`; `host` and `hour` NULL for a table that
 * is not partitioned (TABLE/TIMELINE.ndjson), else
 * TABLE/host=HOST/hour=HOUR/TIMELINE.ndjson.  NULL with a message. */
FILE *partitions_file(struct partitions *p, const char *table,
		      const char *host, const char *hour);

/* Puts every file in place (an earlier export of this timeline is
 * removed first), or on failure removes what this export wrote.  Frees
 * p.  False with a message. */
bool partitions_finish(struct partitions *p, bool success);

/* A partition value as a directory name: bytes other than letters,
 * digits and "-._" become %XX, as Hive-style readers expect. */
void partition_escape(char *out, size_t size, const char *value);

#endif
