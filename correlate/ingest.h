/* ingest.h - loading one input into the timeline database: a record file
 * (records.c) or a capture (through the decoder).  The caller wraps each
 * input in one transaction. */
#ifndef TAPLINE_INGEST_H
#define TAPLINE_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"

struct input_summary {
	int64_t id;		/* inputs.id */
	const char *path;
	uint64_t size;
	bool have_ts;
	int64_t first_ts_ns, last_ts_ns;
	uint64_t frames, messages, events, malformed;
	uint64_t conversations, unanswered_syns;
	/* Captures: what the decoder gave up at its share of the memory
	 * budget (memory.h): connections it stopped following before
	 * their end (a later message of one starts a new conversation),
	 * held pieces of stream it dropped. */
	uint64_t connections_given_up, buffers_given_up;
	char host[256];
	char clock[16];
	bool have_offset;
	int64_t clock_offset_ns;
	char error[512];	/* a read error that ended the input early */
	bool unreadable;	/* it could not be opened at all */
};

/* Widens the input's first/last timestamps to take t in. */
static inline void input_note_time(struct input_summary *sum, int64_t t)
{
	if (!sum->have_ts || t < sum->first_ts_ns)
		sum->first_ts_ns = t;
	if (!sum->have_ts || t > sum->last_ts_ns)
		sum->last_ts_ns = t;
	sum->have_ts = true;
}

/* Progress on a terminal: called now and then with the bytes read. */
struct progress {
	FILE *out;		/* NULL: no progress shown */
	const char *label;
	uint64_t total;		/* bytes, 0 if unknown */
	int64_t last_ns;
};
void progress_update(struct progress *p, uint64_t done, uint64_t items,
		     const char *unit);
void progress_end(struct progress *p);

/* Both return false on a database error (the transaction must be rolled
 * back); read errors are kept in sum->error and are not fatal.
 * ingest_capture() steps its rows on a thread of its own, joined before
 * it returns. */
bool ingest_records(struct db *db, struct input_summary *sum,
		    struct progress *prog, FILE *report);
struct memory_plan;
bool ingest_capture(struct db *db, struct input_summary *sum,
		    struct progress *prog, const struct memory_plan *mem);

/* The capture ingest's fixed tables, in bytes (the memory plan counts
 * them). */
size_t ingest_capture_fixed_bytes(void);

/* Writes the summary's counts to its inputs row. */
bool ingest_finish(struct db *db, const struct input_summary *sum);

#endif
