/* recorder.h - `tapline record`: kernel uprobes through tracefs, written
 * as tapline probe records (docs/record-format.md).
 *
 * Probes go into a private tracefs instance (instances/tapline-PID) with
 * events in the group tapline_PID, so the global buffer is never touched
 * and leftovers of a crashed run can be told apart and removed.  Events
 * are read from the per-CPU binary buffers (trace_pipe_raw) with their
 * full-resolution timestamps and decoded with each event's `format`.
 */
#ifndef TAPLINE_RECORDER_H
#define TAPLINE_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define RECORDER_MAX_LIST 32

struct recorder_options {
	const char *output;		/* NULL or "-": stdout */
	const char *patterns[RECORDER_MAX_LIST];	/* globs on probe names */
	size_t npatterns;		/* 0: the default set */
	const char *libs[RECORDER_MAX_LIST];	/* [PREFIX=]PATH overrides */
	size_t nlibs;
	pid_t pid;			/* -p; 0 when a command is run */
	char **command;			/* -- COMMAND ARGS... or NULL */
	unsigned buffer_kb;		/* per-CPU ring size; 0: default */
	const char *tracefs;		/* mount point override, or NULL */
	bool quiet;
};

/* Records until the target exits or a signal arrives; returns the exit
 * status (the command's own status when one was run). */
int recorder_run(const struct recorder_options *opt);

/* Prints the probe table and where each probe would go on this machine. */
int recorder_list(const struct recorder_options *opt, FILE *out);

/* Removes tapline_PID groups and tapline-PID instances whose owner is no
 * longer running; returns how many event definitions were removed, or -1
 * when tracefs is unusable. */
int recorder_cleanup_stale(const char *tracefs_dir, bool quiet);

/* --- the pieces below are exposed for unit tests --- */

/* One field of an event's tracefs `format` file. */
struct tf_field {
	char name[64];
	uint16_t offset, size;
	bool data_loc;		/* __data_loc: u32 = len << 16 | offset */
	bool is_signed;
};

#define TF_MAX_FIELDS 24

struct tf_format {
	int id;			/* -1 until an "ID:" line is seen */
	unsigned nfields;
	struct tf_field fields[TF_MAX_FIELDS];
};

/* Parses a format file's text; returns 0 or -1 (no ID, no fields). */
int tf_parse_format(const char *text, struct tf_format *fmt);
const struct tf_field *tf_find(const struct tf_format *fmt,
			       const char *name);

/* One event found in a ring-buffer page: raw record bytes (starting with
 * common_type) and the absolute timestamp in the trace clock. */
struct rb_event {
	uint64_t ts;
	const uint8_t *data;
	size_t len;
};

typedef void (*rb_event_fn)(void *ctx, const struct rb_event *ev);

struct rb_page_info {
	unsigned events;
	bool missed;		/* the kernel flagged lost events before it */
	uint64_t missed_count;	/* when the kernel stored the count */
	bool malformed;		/* the page lied about its own layout */
};

/* Walks one page read from trace_pipe_raw (header: u64 timestamp, long
 * commit; then compressed event headers) and calls fn per data event.
 * Never reads outside page[0..len). */
void rb_parse_page(const uint8_t *page, size_t len, rb_event_fn fn,
		   void *ctx, struct rb_page_info *info);

/* Reads a field of a raw record: numbers sign- or zero-extended, strings
 * as a pointer and length (without the NUL).  -1 when out of bounds. */
int tf_read_int(const struct tf_field *f, const uint8_t *rec, size_t len,
		uint64_t *out);
int tf_read_str(const struct tf_field *f, const uint8_t *rec, size_t len,
		const char **s, size_t *slen);

/* Appends a C-escaped quoted string to buf; returns the length needed
 * (like snprintf). */
size_t record_quote(char *buf, size_t size, const char *s, size_t len);

#endif
