/* cmd_decode.c - `tapline decode`: captures in, decoded messages out, with
 * tshark's options where tshark has them (-r -c -V -T -e -E -Y -z -q -t). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/capture.h"
#include "commands.h"
#include "wire/decoder.h"
#include "present/filter.h"
#include "present/output.h"
#include "present/stats.h"
#include "proto/registry.h"

/* Below this the decoder's fixed tables would not fit. */
#define MIN_MEMORY (4u << 20)

static void usage(FILE *out)
{
	fputs(
"usage: tapline decode [OPTIONS] [-r] FILE...\n"
"       tapline decode -G fields|protocols|values\n"
"       tapline decode --list-fields [FILE...]\n"
"\n"
"Decodes GlusterFS (every program: FOPs v3.3 and v4.x, handshake, dump,\n"
"portmap, callbacks, glusterd management, CLI), other ONC-RPC traffic and\n"
"the CQL native protocol v1-v5 (Cassandra, ScyllaDB) from packet captures:\n"
"pcap or pcapng, gzip-compressed or not, several files read as one\n"
"capture (tcpdump's -C/-G rotations) with frames numbered across them.\n"
"TCP streams are reassembled and RPC records and CQL frames found by\n"
"content, never by port; a message that spans frames is shown at the\n"
"frame where it completed, like tshark.\n"
"\n"
"Input:\n"
"  -r, --read-file FILE  a capture to read (may be repeated; FILE\n"
"                        arguments without -r are read too; - is the\n"
"                        standard input).  Several files are read as one\n"
"                        capture, in the order of their first timestamps\n"
"  -c, --count N         stop after N messages shown (tshark counts\n"
"                        frames read; tapline counts messages after -Y)\n"
"      --packets         packet view: every TCP frame once, as the\n"
"                        messages that completed in it or, when none\n"
"                        did, as a TCP line like tshark's (also when -Y\n"
"                        names tcp, ip, ipv6 or a segment field such as\n"
"                        tcp.len, tcp.flags.syn)\n"
"      --max-memory SIZE the memory the decoder's tables and the -z\n"
"                        reports may hold together (default 40M; K, M\n"
"                        and G multiply by 1024, 1024^2, 1024^3; at\n"
"                        least 4M).  At the bound the oldest requests\n"
"                        still waiting for responses expire first, then\n"
"                        the least recently active connections are\n"
"                        forgotten: see RESOURCE LIMITS in\n"
"                        tapline-decode(1)\n"
"\n"
"Output (one of; default: one summary line per message):\n"
"  -V, --verbose         a detail tree per message: frame, IP, TCP, RPC\n"
"                        header lines, then every decoded field\n"
"  -T, --format FORMAT   text (default), json (one JSON object per\n"
"                        message, one per line), or fields (see -e)\n"
"  -e, --field NAME      a column for -T fields (repeatable; -e alone\n"
"                        implies -T fields).  Several occurrences are\n"
"                        joined with ','\n"
"  -E, --field-option OPTION\n"
"                        for -T fields: separator=C (/t tab, /s space),\n"
"                        aggregator=C, header=y|n, quote=d|s|n,\n"
"                        occurrence=f|l|a (first, last, all)\n"
"  -t FORMAT             time column, as tshark: r relative to the first\n"
"                        frame (default), d delta to the previous message\n"
"                        shown, a local time, ad local date and time,\n"
"                        u UTC time, ud UTC date and time, e epoch\n"
"  -q, --quiet           no per-message output (with -z: only reports)\n"
"  -n                    accepted for tshark habits (tapline never\n"
"                        resolves names)\n"
"\n"
"Selection and statistics:\n"
"  -Y, --display-filter EXPR\n"
"                        show only messages matching EXPR, e.g.\n"
"                          -Y 'glusterfs.proc == SETATTR'\n"
"                          -Y 'gluster.op_errno == EACCES || rpc.time > 0.5'\n"
"                          -Y 'rpc.msgtyp == 0 and not glusterfs.gfid'\n"
"                        Names are checked: an unknown field or protocol\n"
"                        is an error (exit 2) with the nearest known name.\n"
"                        Operators: == != < <= > >= (eq ne lt le gt ge),\n"
"                        contains, matches (PCRE2 regex), in {A B ...};\n"
"                        and/&&, or/||, not/!, parentheses.  A bare name\n"
"                        tests presence of a field or protocol (rpc,\n"
"                        glusterfs, gluster, tcp, ip, ipv6).  Values:\n"
"                        numbers (decimal, 0x hex, -1, 0.5), \"strings\",\n"
"                        bare words (127.0.0.1, EACCES, SETATTR), another\n"
"                        field (tcp.srcport > tcp.dstport); addresses with\n"
"                        a prefix (ip.src == 10.9.9.0/24); errnos by name\n"
"                        or description (\"Permission denied\").  Values\n"
"                        are checked against the field's type and names\n"
"                        (exit 2).  PROTOCOL contains|matches VALUE tests\n"
"                        the message's bytes (frame contains \"abc\",\n"
"                        rpc contains 00:00:00:01).  See tapline-decode(1)\n"
"                        for the exact rules\n"
"  -z, --statistics SPEC print a report at the end (repeatable):\n"
"                        srt[,PROTOCOL]  requests, responses and response\n"
"                          times per protocol, service and operation\n"
"                        srt,PROTOCOL,FIELD  the same per value of FIELD\n"
"                          (srt,cql,cql.query: per statement)\n"
"                        errors[,PROTOCOL]  failed responses by status\n"
"                        unanswered[,PROTOCOL]  requests never answered\n"
"                        rpc,srt[,PROGRAM[,VERSION]]  calls, replies and\n"
"                          response time min/p50/p90/p99/max/avg per\n"
"                          procedure\n"
"                        rpc,programs    the same per program and version\n"
"                        rpc,unanswered  calls that got no reply\n"
"                        gluster,errors  replies with op_ret < 0, by errno\n"
"                        expert          malformed/truncated/... counts\n"
"                        conv,tcp        TCP connections: frames and\n"
"                          bytes each way, start, duration (tshark's)\n"
"                        help            this list\n"
"  -G, --glossary fields|protocols|values\n"
"                        what the field tables hold, as tshark -G: every\n"
"                        field (name, type, protocol, meaning, derived/\n"
"                        header), the protocols and filter words, or the\n"
"                        names of enum values\n"
"      --list-fields     the older form of -G fields; with FILEs, the\n"
"                        names those captures produce, with counts\n"
"  -h, --help            this help\n"
"\n"
"Protocol options (tshark's -o):\n"
"  -o, --option PROTO.NAME:VALUE\n"
"                        sets an option of a protocol (listed below)\n"
"      --keyring FILE    the keyring option of every protocol that has\n"
"                        one: Ceph's opens msgr2 secure mode, when the\n"
"                        capture holds the connection's authentication\n"
"\n"
"Field names follow Wireshark's where Wireshark has one (frame.number,\n"
"frame.time_epoch, ip.src, tcp.srcport, tcp.stream, rpc.xid, rpc.msgtyp,\n"
"rpc.program, rpc.programversion, rpc.procedure, rpc.time,\n"
"gluster.op_errno, glusterfs.proc ...), so tshark habits and filters\n"
"carry over; -G fields lists them all, see also docs/fields.md.\n"
"\n"
"Summary line columns: frame, time, source -> destination, protocol,\n"
"message length, info.  Verdicts follow the info in brackets:\n"
"[Malformed: why] (an impossible value), [Truncated] (the capture ended\n"
"inside the message), [Not decoded] (valid framing, body not decoded),\n"
"[After gap], [Elided], [Fields full].\n"
"\n"
"Exit status: 0 success; 1 a capture could not be read (the message\n"
"names the file and why; messages decoded before the error are still\n"
"shown); 2 usage error (bad option, filter, field name or statistic).\n"
"\n"
"Examples:\n"
"  tapline decode mount-failure.pcap.gz\n"
"  tapline decode -Y 'gluster.op_ret == -1' -V capture.pcapng\n"
"  tapline decode -T fields -e frame.number -e rpc.xid -e glusterfs.proc \\\n"
"      -E header=y -E separator=, trace-*.pcap\n"
"  tapline decode -q -z rpc,srt -z gluster,errors capture.pcap\n"
"\n"
"See tapline-decode(1), tapline(1), docs/fields.md.\n"
"\n"
"The protocols' options:\n",
	      out);
	registry_print_options(out);
}

/* The stored fields a run reads, when it names every one. */
#define WANTS_MAX (OUTPUT_MAX_FIELDS + 64)
struct wants_build {
	const struct field_def *defs[WANTS_MAX];
	struct field_wants wants;	/* defs[0..wants.n) */
	bool any;		/* a name that may read any field */
};

struct decode_run {
	struct output out;
	struct filter *filter;
	struct stats *stats;
	uint64_t limit;		/* -c, 0 = none */
	bool done;
	bool stats_on;		/* a -z report was asked for */
	/* --list-fields with files */
	bool listing;
	const char **seen_names;
	uint64_t *seen_counts;
	size_t nseen, capseen;
	struct wants_build wanted;	/* what the decoder is told to keep */
};

static void note_names(struct decode_run *r, const struct message *m)
{
	for (unsigned i = 0; i < m->nfields; i++) {
		if (!m->fields[i].def)
			continue;
		const char *name = m->fields[i].def->name;
		size_t j;
		for (j = 0; j < r->nseen; j++)
			if (r->seen_names[j] == name ||
			    !strcmp(r->seen_names[j], name))
				break;
		if (j == r->nseen) {
			if (r->nseen == r->capseen) {
				size_t cap = r->capseen ? 2 * r->capseen : 64;
				const char **n = realloc(r->seen_names,
							 cap * sizeof *n);
				if (!n)
					return;
				r->seen_names = n;
				uint64_t *c = realloc(r->seen_counts,
						      cap * sizeof *c);
				if (!c)
					return;
				r->seen_counts = c;
				r->capseen = cap;
			}
			/* names are static strings of the decoders */
			r->seen_names[j] = name;
			r->seen_counts[j] = 0;
			r->nseen++;
		}
		r->seen_counts[j]++;
	}
}

static void on_message(void *user, const struct message *m)
{
	struct decode_run *r = user;
	if (r->done)
		return;
	if (r->filter && !filter_match(r->filter, m))
		return;
	if (r->listing) {
		note_names(r, m);
		return;
	}
	output_message(&r->out, m);
	if (r->stats_on)
		stats_message(r->stats, m);
	if (r->limit && r->out.shown >= r->limit)
		r->done = true;
}

/* The decoder gave up waiting for a request's response (its memory
 * budget). */
static void on_expired(void *user, const struct decoder_expiry *e)
{
	struct decode_run *r = user;
	if (r->stats_on)
		stats_expired(r->stats, e->conversation, e->exchange_id,
			      e->frame);
}

/* Every TCP segment, for -z conv,tcp. */
static void on_segment(void *user, const struct decoder_segment *seg)
{
	struct decode_run *r = user;
	stats_segment(r->stats, seg);
}

/* The decoder's share of --max-memory: what the reports may hold comes
 * off first, but the decoder keeps at least half. */
static size_t decoder_share(size_t max_memory, const struct stats *stats)
{
	size_t reports = stats_max_memory(stats);
	if (reports > max_memory / 2)
		reports = max_memory / 2;
	return max_memory - reports;
}

static void check_in_header(void *user, const char *name)
{
	if (!name_in_header(name))
		*(bool *)user = false;
}

/* True when nothing this run shows reads a message body: the -T fields
 * columns, the -Y names and the -z reports all come from the header.
 * Then the decoder skips bodies: the same output, much sooner. */
static bool header_is_enough(const struct decode_run *r)
{
	if (r->listing || stats_need_body(r->stats))
		return false;
	if (r->out.format != OUTPUT_FIELDS && r->out.format != OUTPUT_NONE)
		return false;
	bool enough = true;
	for (unsigned i = 0; i < r->out.nfields; i++)
		check_in_header(&enough, r->out.fields[i].name);
	if (r->filter)
		filter_names(r->filter, check_in_header, &enough);
	return enough;
}

/* A -e or -Y name: a derived field reads no stored one (derive
 * functions read the header words, the exchange and the verdicts); a
 * protocol word (-Y gluster) may read any. */
static void want_name(void *user, const char *name)
{
	struct wants_build *w = user;
	const struct field_def *def = field_find(name);
	if (!def || w->wants.n == WANTS_MAX) {
		w->any = true;
		return;
	}
	if (!def->derive)
		w->defs[w->wants.n++] = def;
}

/* Whether this run names every stored field it reads (into r->wanted):
 * with the summary lines, -q or -T fields, and no report, they are the
 * columns' and the -Y names' that are not derived.  Then the decoder
 * keeps only those and counts the others (none kept when there are
 * none); bodies are still decoded whole, so results, verdicts and
 * summaries are as ever. */
static bool names_every_field(struct decode_run *r)
{
	struct wants_build *w = &r->wanted;
	bool lines = r->out.format == OUTPUT_TEXT && !r->out.verbose;
	if (r->listing || stats_enabled(r->stats) ||
	    (!lines && r->out.format != OUTPUT_NONE &&
	     r->out.format != OUTPUT_FIELDS))
		return false;
	w->wants = (struct field_wants){ w->defs, 0 };
	w->any = false;
	for (unsigned i = 0; r->out.format == OUTPUT_FIELDS &&
			     i < r->out.nfields; i++)
		want_name(w, r->out.fields[i].name);
	if (r->filter)
		filter_names(r->filter, want_name, w);
	return !w->any;
}

/* A -Y name that asks for packet view: the tcp, ip or ipv6 layer
 * itself, or a field of the segment (tcp.len, tcp.flags.syn, ...). */
static void check_packet_name(void *user, const char *name)
{
	static const char *const layers[] = { "tcp", "ip", "ipv6" };
	if (!strchr(name, '.')) {
		const struct protocol *p = protocol_find(name);
		for (size_t i = 0; p && i < sizeof layers / sizeof *layers; i++)
			if (p == protocol_find(layers[i]))
				*(bool *)user = true;
		return;
	}
	const struct field_def *def = field_find(name);
	if (def && (def->flags & FIELD_DEF_PER_PACKET))
		*(bool *)user = true;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --list-fields without captures: the derived names with their types
 * and meanings, then the stored ones (the form -G fields replaced; kept
 * for scripts that read it). */
static void list_static_fields(FILE *out)
{
	fputs("# Derived from the message header (docs/fields.md):\n", out);
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++)
			if ((*f)->derive)
				fprintf(out, "%-24s %-8s %s\n", (*f)->name,
					field_kind_name((*f)->kind),
					(*f)->meaning);
	fputs("# Stored by the decoders (their field tables):\n", out);
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++)
			if (!(*f)->derive)
				fprintf(out, "%s\n", (*f)->name);
}

/* -G fields: one line per field, tab-separated as tshark's -G fields:
 * name, type, protocol, meaning, and what it is besides stored:
 * "derived" (computed from the message), "header" (complete when only
 * headers are decoded), "packet" (a packet-level name).  A type with
 * '|' lists the kinds some occurrences have besides the first. */
static void glossary_fields(FILE *out)
{
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++) {
			const struct field_def *d = *f;
			fprintf(out, "%s\t%s", d->name, field_kind_name(d->kind));
			for (unsigned k = 0; k < FIELD_KINDS; k++)
				if (d->also & 1u << k)
					fprintf(out, "|%s", field_kind_name(k));
			fprintf(out, "\t%s\t%s\t%s%s%s%s%s\n", (*p)->name,
				d->meaning, d->derive ? "derived" : "",
				d->derive && d->flags ? "," : "",
				d->flags & FIELD_DEF_HEADER ? "header" : "",
				(d->flags & FIELD_DEF_HEADER) &&
				(d->flags & FIELD_DEF_PER_PACKET) ? "," : "",
				d->flags & FIELD_DEF_PER_PACKET ? "packet" : "");
		}
}

struct glossary_value {
	FILE *out;
	const char *field;
	/* what was printed for this field: programs that share names
	 * (GlusterFS FOPs v3.3 and v4.x) name a value once */
	struct { uint64_t value; const char *name; } seen[512];
	unsigned nseen;
};

static void print_value_name(void *user, uint64_t value, const char *name)
{
	struct glossary_value *g = user;
	for (unsigned i = 0; i < g->nseen; i++)
		if (g->seen[i].value == value && !strcmp(g->seen[i].name, name))
			return;
	if (g->nseen < sizeof g->seen / sizeof g->seen[0]) {
		g->seen[g->nseen].value = value;
		g->seen[g->nseen++].name = name;
	}
	fprintf(g->out, "%s\t%llu\t%s\n", g->field,
		(unsigned long long)value, name);
}

/* -G values: the names of enum values, one per line: field, value,
 * name.  What -Y accepts: the tables' own names and those the protocols
 * know (procedure names of every ONC-RPC program, Ceph message types,
 * ...). */
static void glossary_values(FILE *out)
{
	for (const struct protocol *const *p = protocols; *p; p++)
		for (const struct field_def *const *f = (*p)->fields; *f; f++) {
			struct glossary_value g = { .out = out,
						    .field = (*f)->name };
			registry_value_names(*f, print_value_name, &g);
		}
}

/* -G protocols: name, label, filter words, meaning. */
static void glossary_protocols(FILE *out)
{
	for (const struct protocol *const *p = protocols; *p; p++) {
		fprintf(out, "%s\t%s\t", (*p)->name, (*p)->label);
		for (const char *const *w = (*p)->words; w && *w; w++)
			fprintf(out, "%s%s", w == (*p)->words ? "" : ",", *w);
		fprintf(out, "\t%s\n", (*p)->meaning);
	}
}

static void list_seen_fields(FILE *out, struct decode_run *r)
{
	/* sort names with their counts: pair them up first */
	struct pair { const char *name; uint64_t count; } *p =
		malloc((r->nseen ? r->nseen : 1) * sizeof *p);
	if (!p)
		return;
	for (size_t i = 0; i < r->nseen; i++) {
		p[i].name = r->seen_names[i];
		p[i].count = r->seen_counts[i];
	}
	qsort(p, r->nseen, sizeof *p, cmp_names);
	fputs("# Field names in these captures, with occurrences:\n", out);
	for (size_t i = 0; i < r->nseen; i++)
		fprintf(out, "%-40s %" PRIu64 "\n", p[i].name, p[i].count);
	free(p);
}

/* -e NAME: a name no table has would print nothing; refused, as tshark
 * does, with the nearest known name. */
static bool field_known(const char *name)
{
	if (field_find(name))
		return true;
	const char *near = registry_nearest(name);
	fprintf(stderr, "tapline decode: -e %s: not a field name tapline "
		"knows", name);
	if (near)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fputs("; see 'tapline decode -G fields'\n", stderr);
	return false;
}

/* Shows where a -Y expression went wrong, with a caret under the
 * column the compiler named. */
static void filter_error(const char *expr, const char *err)
{
	fprintf(stderr, "tapline decode: -Y: %s\n", err);
	unsigned col;
	if (sscanf(err, "column %u:", &col) == 1 && col >= 1) {
		fprintf(stderr, "  %s\n  %*s^\n", expr, (int)col - 1, "");
	}
}

static bool parse_count(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-' || x == 0)
		return false;
	*v = x;
	return true;
}

int cmd_decode(int argc, char **argv)
{
	enum { OPT_LIST_FIELDS = 256, OPT_MAX_MEMORY, OPT_KEYRING,
	       OPT_PACKETS };
	static const struct option longopts[] = {
		{ "read-file", required_argument, NULL, 'r' },
		{ "count", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "format", required_argument, NULL, 'T' },
		{ "field", required_argument, NULL, 'e' },
		{ "field-option", required_argument, NULL, 'E' },
		{ "display-filter", required_argument, NULL, 'Y' },
		{ "statistics", required_argument, NULL, 'z' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "list-fields", no_argument, NULL, OPT_LIST_FIELDS },
		{ "glossary", required_argument, NULL, 'G' },
		{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
		{ "option", required_argument, NULL, 'o' },
		{ "keyring", required_argument, NULL, OPT_KEYRING },
		{ "packets", no_argument, NULL, OPT_PACKETS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct decode_run run;
	memset(&run, 0, sizeof run);
	output_init(&run.out, stdout);
	const char **paths = calloc((size_t)argc + 1, sizeof *paths);
	size_t npaths = 0;
	const char *format = NULL, *filter_text = NULL;
	bool quiet = false, list_fields = false, want_fields = false;
	bool packets = false;
	struct decoder_options opts;
	registry_decoder_options(&opts);
	size_t max_memory = opts.max_memory;
	char err[512];
	int status = 2, c;

	run.stats = stats_new();
	if (!paths || !run.stats) {
		fprintf(stderr, "tapline decode: out of memory\n");
		status = 1;
		goto out;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:c:VT:e:E:Y:z:qt:nhG:o:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'r':
			paths[npaths++] = optarg;
			break;
		case 'c':
			if (!parse_count(optarg, &run.limit)) {
				fprintf(stderr, "tapline decode: -c %s: expected "
					"a positive count\n", optarg);
				goto out;
			}
			break;
		case 'V':
			run.out.verbose = true;
			break;
		case 'T':
			format = optarg;
			break;
		case 'e':
			want_fields = true;
			if (!output_add_field(&run.out, optarg)) {
				fprintf(stderr, "tapline decode: too many -e "
					"fields (at most %d)\n",
					OUTPUT_MAX_FIELDS);
				goto out;
			}
			break;
		case 'E':
			if (!output_set_option(&run.out, optarg, err,
					       sizeof err)) {
				fprintf(stderr, "tapline decode: %s\n", err);
				goto out;
			}
			break;
		case 'Y':
			filter_text = optarg;
			break;
		case 'z':
			if (!strcmp(optarg, "help")) {
				stats_help(stdout);
				status = 0;
				goto out;
			}
			if (!stats_add(run.stats, optarg, err, sizeof err)) {
				fprintf(stderr, "tapline decode: %s\n", err);
				goto out;
			}
			break;
		case 'q':
			quiet = true;
			break;
		case 't':
			if (!strcmp(optarg, "r"))
				run.out.time_format = TIME_RELATIVE;
			else if (!strcmp(optarg, "d"))
				run.out.time_format = TIME_DELTA;
			else if (!strcmp(optarg, "a"))
				run.out.time_format = TIME_ABSOLUTE;
			else if (!strcmp(optarg, "ad"))
				run.out.time_format = TIME_DATE;
			else if (!strcmp(optarg, "u"))
				run.out.time_format = TIME_UTC_ABSOLUTE;
			else if (!strcmp(optarg, "ud"))
				run.out.time_format = TIME_UTC_DATE;
			else if (!strcmp(optarg, "e"))
				run.out.time_format = TIME_EPOCH;
			else {
				fprintf(stderr, "tapline decode: -t %s: expected "
					"r, d, a, ad, u, ud or e\n", optarg);
				goto out;
			}
			break;
		case 'n':
			break;
		case OPT_LIST_FIELDS:
			list_fields = true;
			break;
		case OPT_PACKETS:
			packets = true;
			break;
		case 'o':
			if (!registry_set_option(optarg, err, sizeof err)) {
				fprintf(stderr, "tapline decode: %s\n", err);
				goto out;
			}
			break;
		case OPT_KEYRING:
			if (!registry_set_named_option("keyring", optarg, err,
						       sizeof err)) {
				fprintf(stderr, "tapline decode: --keyring: %s\n",
					err);
				goto out;
			}
			break;
		case 'G':
			if (!strcmp(optarg, "fields")) {
				glossary_fields(stdout);
			} else if (!strcmp(optarg, "protocols")) {
				glossary_protocols(stdout);
			} else if (!strcmp(optarg, "values")) {
				glossary_values(stdout);
			} else {
				fprintf(stderr, "tapline decode: -G %s: expected "
					"fields, protocols or values\n", optarg);
				goto out;
			}
			status = 0;
			goto out;
		case OPT_MAX_MEMORY:
			if (!parse_size(optarg, &max_memory) ||
			    max_memory < MIN_MEMORY) {
				fprintf(stderr, "tapline decode: --max-memory %s: "
					"expected a size of at least 4M (K, M, G "
					"suffixes)\n", optarg);
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			status = 0;
			goto out;
		case ':':
			fprintf(stderr, "tapline decode: option '%s' needs a "
				"value; see 'tapline decode --help'\n",
				argv[optind - 1]);
			goto out;
		default:
			if (optopt)
				fprintf(stderr, "tapline decode: unknown option "
					"'-%c'; see 'tapline decode --help'\n",
					optopt);
			else
				fprintf(stderr, "tapline decode: unknown option "
					"'%s'; see 'tapline decode --help'\n",
					argv[optind - 1]);
			goto out;
		}
	}
	for (int i = optind; i < argc; i++)
		paths[npaths++] = argv[i];

	if (format) {
		if (!strcmp(format, "text"))
			run.out.format = OUTPUT_TEXT;
		else if (!strcmp(format, "json"))
			run.out.format = OUTPUT_JSON;
		else if (!strcmp(format, "fields"))
			run.out.format = OUTPUT_FIELDS;
		else {
			fprintf(stderr, "tapline decode: -T %s: expected text, "
				"json or fields\n", format);
			goto out;
		}
	} else if (want_fields) {
		run.out.format = OUTPUT_FIELDS;
	}
	if (run.out.format == OUTPUT_FIELDS && !run.out.nfields) {
		fprintf(stderr, "tapline decode: -T fields needs at least one "
			"-e NAME (see --list-fields)\n");
		goto out;
	}
	if (want_fields && run.out.format != OUTPUT_FIELDS) {
		fprintf(stderr, "tapline decode: -e needs -T fields\n");
		goto out;
	}
	for (unsigned i = 0; i < run.out.nfields; i++)
		if (!field_known(run.out.fields[i].name))
			goto out;
	if (quiet)
		run.out.format = OUTPUT_NONE;
	if (filter_text) {
		run.filter = filter_compile(filter_text, err, sizeof err);
		if (!run.filter) {
			filter_error(filter_text, err);
			goto out;
		}
		filter_set_time_base(run.filter, &run.out.first_ts_ns);
		stats_set_filter_text(run.stats, filter_text);
	}
	if (list_fields && !npaths) {
		list_static_fields(stdout);
		status = 0;
		goto out;
	}
	if (!npaths) {
		fprintf(stderr, "tapline decode: no capture file given; see "
			"'tapline decode --help'\n");
		goto out;
	}
	run.listing = list_fields;

	struct capture *cap = capture_open(paths, npaths, err, sizeof err);
	if (!cap) {
		fprintf(stderr, "tapline decode: %s\n", err);
		status = 1;
		goto out;
	}
	opts.max_memory = decoder_share(max_memory, run.stats);
	/* fields, -q and --list-fields never show the summary text */
	opts.no_summary = run.out.format == OUTPUT_FIELDS ||
			  run.out.format == OUTPUT_NONE || list_fields;
	opts.header_only = header_is_enough(&run);
	if (names_every_field(&run)) {
		opts.no_fields = run.wanted.wants.n == 0;
		opts.wants = run.wanted.wants.n ? &run.wanted.wants : NULL;
	}
	/* what the TCP layer alone tells of a connection's trouble */
	opts.events = EVENT_PROBLEMS;
	/* packet view: asked for, or a filter about packets */
	if (run.filter)
		filter_names(run.filter, check_packet_name, &packets);
	opts.packets = packets && !list_fields;
	run.stats_on = stats_enabled(run.stats);
	struct decoder *dec = decoder_new(&opts, on_message, &run);
	if (!dec) {
		fprintf(stderr, "tapline decode: out of memory\n");
		capture_close(cap);
		status = 1;
		goto out;
	}
	decoder_on_expired(dec, on_expired);
	if (stats_want_segments(run.stats))
		decoder_on_segment(dec, on_segment);
	stats_set_time_base(run.stats, &run.out.first_ts_ns);
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	if (!list_fields)
		output_begin(&run.out);
	struct capture_frame frame;
	int rc = 0;
	status = 0;
	while (!run.done && (rc = capture_next(cap, &frame)) == 1) {
		output_set_first_time(&run.out, frame.ts_ns);
		decoder_frame(dec, &frame);
	}
	if (!run.done && rc < 0) {
		fflush(stdout);
		fprintf(stderr, "tapline decode: %s\n", capture_error(cap));
		status = 1;
	}
	decoder_finish(dec);
	struct filter_regex_stops stops;
	filter_regex_stops(run.filter, &stops);
	stats_set_regex_stops(run.stats, &stops);
	if (list_fields)
		list_seen_fields(stdout, &run);
	else if (stats_enabled(run.stats))
		stats_print(run.stats, stdout, decoder_stats(dec));
	decoder_free(dec);
	capture_close(cap);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "tapline decode: writing the output: %s\n",
			strerror(errno));
		status = 1;
	}
	if (stops.total)
		fprintf(stderr, "tapline decode: -Y: %" PRIu64 " value%s "
			"stopped at a regular-expression limit, counted as "
			"not matching (first in frame %" PRIu64 "; -z expert "
			"says which limits)\n", stops.total,
			stops.total == 1 ? "" : "s", stops.first_frame);
out:
	filter_free(run.filter);
	stats_free(run.stats);
	free(run.seen_names);
	free(run.seen_counts);
	free(paths);
	return status;
}
