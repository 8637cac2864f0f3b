/* output.h - rendering decoded messages the way tshark users expect:
 * one summary line, a -V detail tree, JSON lines, or -T fields columns.
 *
 * Field names are resolved here for everyone (the renderers, the -Y
 * filter, the -z statistics): a name is either *derived* from the
 * message header (frame.number, ip.src, rpc.xid, ... as listed in
 * docs/fields.md) or looked up in the message's field list, where it may
 * occur several times.
 */
#ifndef TAPLINE_OUTPUT_H
#define TAPLINE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/message.h"

/* A resolved field name: derived (index into the derived table) or a
 * name to look for in the field list.  Resolve once, use per message. */
struct field_ref {
	int derived;		/* -1: from the field list */
	const char *name;	/* the name as given (not copied) */
	/* frame.time_relative counts from *time_base (the first frame's
	 * time, owned by the caller); NULL: the name is absent. */
	const int64_t *time_base;
};

void field_ref_init(struct field_ref *ref, const char *name);

/* Calls fn for each occurrence of the field in m, in order, with a
 * field that may be synthesized (derived names; its bytes, if any, are
 * in `bytes`).  fn returns false to stop.  Returns the number of
 * occurrences visited. */
typedef bool (*field_visit_fn)(void *user, const struct field *f,
			       const uint8_t *bytes);
unsigned field_ref_visit(const struct message *m, const struct field_ref *ref,
			 field_visit_fn fn, void *user);

/* True when the name is derived, or when a protocol of that name is
 * present in m (bare-word filters: "rpc", "glusterfs", "tcp", ...). */
bool derived_name_known(const char *name);
bool msg_has_protocol(const struct message *m, const char *proto);

/* True when the name (a field or a bare protocol word) is complete in a
 * message decoded header-only (decoder_options.header_only): the derived
 * names but op_ret, op_errno and the verdicts, and the words frame,
 * tapline, ip, ipv6, tcp and rpc. */
bool field_name_in_header(const char *name);

/* The derived names with their types and meanings, for --list-fields. */
struct derived_info {
	const char *name;
	const char *type;
	const char *meaning;
};
const struct derived_info *derived_fields(size_t *count);

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
};

/* Defaults: text, relative times, tab separator, ',' aggregator,
 * no quotes, all occurrences. */
void output_init(struct output *o, FILE *out);

/* Adds a -T fields column; false when there are too many.  Its
 * frame.time_relative counts from the output's first frame. */
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
