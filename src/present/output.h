/* output.h - rendering decoded messages the way tshark users expect:
 * one summary line, a -V detail tree, JSON lines, or -T fields columns.
 *
 * Field names are resolved by resolve.h, through the registry's tables.
 */
#ifndef TAPLINE_OUTPUT_H
#define TAPLINE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/message.h"
#include "resolve.h"

/* Formats one value as -T fields and the filter see it (no quoting):
 * numbers in decimal, hex as 0x%08x, times as sec.nsec, gfids as UUIDs,
 * bytes as hex, strings with control characters C-escaped.  Returns the
 * length written (the text is cut to fit len, always terminated). */
size_t field_format(char *buf, size_t len, const struct field *f,
		    const uint8_t *bytes);

enum output_format {
	OUTPUT_TEXT,	/* summary lines (and -V trees) */
	OUTPUT_JSON,	/* one JSON object per message */
	OUTPUT_FIELDS,	/* -T fields -e ... */
	OUTPUT_NONE,	/* -q: nothing per message */
};

enum time_format {
	TIME_RELATIVE,	/* -t r: seconds since the first frame (default) */
	TIME_ABSOLUTE,	/* -t a: hh:mm:ss.ffffff local time */
	TIME_DATE,	/* -t ad: yyyy-mm-dd hh:mm:ss.ffffff local time */
	TIME_UTC_ABSOLUTE,	/* -t u: hh:mm:ss.ffffff UTC */
	TIME_UTC_DATE,	/* -t ud: yyyy-mm-dd hh:mm:ss.ffffff UTC */
	TIME_EPOCH,	/* -t e: seconds since the epoch */
	TIME_DELTA,	/* -t d: since the previous message shown */
};

#define OUTPUT_MAX_FIELDS 64

/* The summary's "src → dst" text of a pair of endpoints, kept for the
 * next message between them. */
#define OUTPUT_PAIRS 16
struct output_pair {
	struct endpoint src, dst;
	bool used;
	uint8_t len;
	char text[2 * ENDPOINT_TEXT_SIZE + 8];
};

struct output {
	FILE *out;
	enum output_format format;
	enum time_format time_format;
	bool verbose;		/* -V: the detail tree after the summary */
	/* -T fields */
	unsigned nfields;
	struct field_ref fields[OUTPUT_MAX_FIELDS];
	char separator;		/* -E separator= (default tab) */
	char aggregator;	/* -E aggregator= (default ',') */
	char quote;		/* -E quote=d|s|n: '"', '\'' or 0 */
	bool header;		/* -E header=y */
	char occurrence;	/* -E occurrence=f|l|a */
	/* state */
	bool have_first;
	int64_t first_ts_ns;	/* relative times count from here */
	int64_t prev_ts_ns;
	bool header_done;
	uint64_t shown;
	struct output_pair pairs[OUTPUT_PAIRS];
};

/* Defaults: text, relative times, tab separator, ',' aggregator,
 * no quotes, all occurrences. */
void output_init(struct output *o, FILE *out);

/* Adds a -T fields column; false when there are too many.  Its
 * frame.time_relative counts from the output's first frame.  A name no
 * table has gives an empty column (tapline decode refuses it before). */
bool output_add_field(struct output *o, const char *name);

/* Parses one -E option ("separator=,", "header=y", "quote=d",
 * "occurrence=f", "aggregator=;"); false and a message when wrong. */
bool output_set_option(struct output *o, const char *opt, char *err,
		       size_t errlen);

/* The time relative times count from (tshark: the first frame read). */
void output_set_first_time(struct output *o, int64_t ts_ns);

/* Writes what comes before the first message: the -E header=y line of
 * -T fields, even when no message follows (as tshark). */
void output_begin(struct output *o);

/* Writes one message in the chosen format. */
void output_message(struct output *o, const struct message *m);

/* The individual renderers, for tests and other commands. */
void output_summary(struct output *o, const struct message *m);
void output_tree(struct output *o, const struct message *m);
void output_json(struct output *o, const struct message *m);

/* The JSON line output_json() writes (newline included), rendered into
 * *buf, which is grown with realloc as needed (*cap its size; NULL and 0
 * to start).  Returns its length; 0 when out of memory. */
size_t output_json_render(const struct message *m, char **buf, size_t *cap);
void output_fields(struct output *o, const struct message *m);

/* s[0..len) as a JSON string literal, quotes included: valid UTF-8
 * kept, \" \\ \n \t \r escaped, any other control character, DEL or
 * invalid byte as \u00XX (its Latin-1 code point), so the result is
 * always valid JSON.  Writes at o, which has json_string_max(len) bytes
 * of room; returns the end. */
char *json_put_string(char *o, const char *s, size_t len);
static inline size_t json_string_max(size_t len)
{
	return 6 * len + 2;
}

#endif
