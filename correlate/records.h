/* records.h - reading probe record files (docs/record-format.md).
 *
 *	struct record_reader *r = records_open(path, stderr, err, sizeof err);
 *	struct record rec;
 *	while ((n = records_next(r, &rec)) == 1)
 *		... rec.kind is RECORD_HEADER or RECORD_EVENT ...
 *	records_close(r);
 *
 * Record files are untrusted: a line is at most RECORD_MAX_LINE bytes, and
 * a line that does not parse is reported on the report stream as
 * "FILE:LINE: malformed record: WHY", counted, and skipped.  Memory is
 * fixed at open whatever the input.  Everything a record points to is
 * valid until the next records_next().
 */
#ifndef TAPLINE_RECORDS_H
#define TAPLINE_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RECORD_MAX_LINE (64 * 1024)
/* A key=value pair takes at least 4 bytes with its separator. */
#define RECORD_MAX_VALUES (RECORD_MAX_LINE / 4 + 1)
/* Malformed lines reported one by one; the rest are only counted. */
#define RECORD_MAX_REPORTS 100

enum record_clock {
	RCLOCK_REALTIME, RCLOCK_TAI, RCLOCK_MONOTONIC, RCLOCK_BOOTTIME,
};

enum value_kind { VALUE_INT, VALUE_HEX, VALUE_STR };

struct record_value {
	const char *key;	/* NUL-terminated */
	uint8_t kind;		/* enum value_kind */
	int64_t i;		/* VALUE_INT */
	uint64_t u;		/* VALUE_HEX */
	const char *s;		/* VALUE_STR: unescaped, may hold NULs; */
	size_t len;		/* s[len] is NUL */
};

/* The session a header line starts. */
struct record_session {
	unsigned long line;	/* of the header */
	const char *host;	/* NULL when absent */
	enum record_clock clock;
	const char *clock_name;
	bool offset_known;	/* false when clock_offset_ns=? (or absent) */
	int64_t clock_offset_ns;
	const char *boot_id, *recorder;
	bool has_start;
	uint64_t start_ns;
	const char *text;	/* the whole header line */
};

enum record_phase { PHASE_ENTRY, PHASE_RETURN, PHASE_EVENT };

struct record_event {
	unsigned long line;
	uint64_t ts_raw;	/* as written */
	bool ts_known;		/* false when the session's offset is unknown */
	int64_t ts_ns;		/* realtime ns, when ts_known */
	uint32_t pid, tid;
	const char *comm;	/* unescaped; comm[comm_len] is NUL */
	size_t comm_len;
	const char *probe;
	enum record_phase phase;
	size_t nvalues;
	const struct record_value *values;
};

enum record_kind { RECORD_HEADER, RECORD_EVENT };

struct record {
	enum record_kind kind;
	const struct record_session *session;	/* the current one */
	struct record_event event;		/* RECORD_EVENT */
};

struct record_reader;

/* Opens a record file; "-" is stdin.  report receives the malformed-line
 * messages (NULL: not shown, only counted).  NULL and a message in err on
 * failure. */
struct record_reader *records_open(const char *path, FILE *report,
				   char *err, size_t errlen);

/* 1: a record in *rec; 0: end of file; -1: read error (records_error()). */
int records_next(struct record_reader *r, struct record *rec);

/* Bytes of the file consumed so far (for progress). */
uint64_t records_bytes(const struct record_reader *r);
unsigned long records_malformed(const struct record_reader *r);
unsigned long records_lines(const struct record_reader *r);
const char *records_error(const struct record_reader *r);
void records_close(struct record_reader *r);
/* Reads path with a reader that read another file: as records_close then
 * records_open, but the reader's memory (about 1 MiB) is kept.  False
 * and a message in err on failure (then only records_close is valid). */
bool records_reopen(struct record_reader *r, const char *path, FILE *report,
		    char *err, size_t errlen);

/* A value of the current event by key, or NULL. */
const struct record_value *record_find(const struct record_event *ev,
				       const char *key);

/* Whether the first bytes of a file look like a record file: a line of
 * them starts with "tapline-records " (blanks before it allowed). */
bool records_sniff(const uint8_t *head, size_t len);

/* For tests: parses one line as the reader would (header or event),
 * without a file.  Returns 1 (rec filled), 0 (blank or comment) or -1
 * (malformed, *why says why). */
int records_parse_line(struct record_reader *r, char *line, size_t len,
		       struct record *rec, const char **why);

/* For tests: a reader with no file. */
struct record_reader *records_new(void);

#endif
