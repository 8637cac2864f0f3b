/* stats.c - -z statistics: service response times per RPC procedure and
 * program, unanswered calls, GlusterFS errors by errno, verdict counts.
 * Bounded memory: fixed-size tables and log-linear histograms. */
#include "stats.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- histogram: exact below 64 ns, then 64 linear sub-buckets per power
 * of two (relative error <= 1/64); values beyond 2^44 ns (~4.9 h) share
 * the top bucket (max stays exact). */
#define SUB_BITS 6
#define SUB (1 << SUB_BITS)
#define TOP_EXP 44
#define NBUCKETS (SUB + (TOP_EXP - SUB_BITS + 1) * SUB)

/* The first EXACT values are also kept as they are, so that small
 * captures get exact percentiles. */
#define EXACT 256

struct histogram {
	uint64_t n;
	int64_t exact[EXACT];
	int64_t min, max;
	long double sum;
	uint32_t count[NBUCKETS];	/* saturating: 4e9 in one bucket */
};

static unsigned bucket_of(int64_t v)
{
	if (v < SUB)
		return v < 0 ? 0 : (unsigned)v;
	unsigned e = 63 - (unsigned)__builtin_clzll((unsigned long long)v);
	if (e > TOP_EXP)
		return NBUCKETS - 1;
	unsigned sub = (unsigned)((uint64_t)v >> (e - SUB_BITS)) & (SUB - 1);
	return SUB + (e - SUB_BITS) * SUB + sub;
}

/* The largest value that falls in bucket b. */
static int64_t bucket_top(unsigned b)
{
	if (b < SUB)
		return b;
	unsigned e = (b - SUB) / SUB + SUB_BITS, sub = (b - SUB) % SUB;
	uint64_t lo = (uint64_t)1 << e | (uint64_t)sub << (e - SUB_BITS);
	return (int64_t)(lo + ((uint64_t)1 << (e - SUB_BITS)) - 1);
}

struct histogram *histogram_new(void)
{
	return calloc(1, sizeof(struct histogram));
}

void histogram_add(struct histogram *h, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	if (!h->n || ns < h->min)
		h->min = ns;
	if (!h->n || ns > h->max)
		h->max = ns;
	if (h->n < EXACT)
		h->exact[h->n] = ns;
	h->n++;
	h->sum += ns;
	unsigned b = bucket_of(ns);
	if (h->count[b] != UINT32_MAX)
		h->count[b]++;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int64_t histogram_percentile(const struct histogram *h, double pct)
{
	if (!h->n)
		return 0;
	/* nearest rank: the smallest value with at least pct% at or below */
	uint64_t rank = (uint64_t)((long double)pct / 100 * h->n);
	if ((long double)rank < (long double)pct / 100 * h->n)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > h->n)
		rank = h->n;
	if (h->n <= EXACT) {
		int64_t sorted[EXACT];
		memcpy(sorted, h->exact, h->n * sizeof *sorted);
		qsort(sorted, h->n, sizeof *sorted, cmp_i64);
		return sorted[rank - 1];
	}
	uint64_t seen = 0;
	for (unsigned b = 0; b < NBUCKETS; b++) {
		seen += h->count[b];
		if (seen >= rank) {
			int64_t v = b == NBUCKETS - 1 ? h->max : bucket_top(b);
			if (v > h->max)
				v = h->max;
			if (v < h->min)
				v = h->min;
			return v;
		}
	}
	return h->max;
}

void histogram_free(struct histogram *h)
{
	free(h);
}

/* ---- tables */

struct srt_row {
	uint32_t program, version, proc;
	bool per_proc;
	char program_name[24], proc_name[32];
	uint64_t calls, replies;
	struct histogram *h;
};

struct srt_table {
	bool on;
	bool per_proc;		/* rpc,srt vs rpc,programs */
	bool want_program, want_version;
	uint32_t program, version;
	struct srt_row rows[STATS_MAX_ROWS];
	unsigned nrows;
	uint64_t other_calls, other_replies, orphan_replies;
};

struct err_row {
	int32_t op_errno;
	uint32_t program, version, proc;
	char label[64];		/* "GlusterFS V400 SETATTR" */
	uint64_t count;
};

struct pending {
	uint64_t conversation;
	uint32_t xid;
	uint32_t program, version, proc;
	uint64_t frame;
	int64_t ts_ns;
	const char *proc_name;	/* static (decoder tables) */
	const char *program_name;
	uint32_t next;		/* chain, UINT32_MAX ends */
	bool live;		/* false: on the free list */
	bool expired;		/* the decoder gave it up (memory budget) */
};

#define PENDING_BUCKETS (1u << 16)
#define NONE UINT32_MAX

struct expert_row {
	unsigned bit;
	const char *why;	/* static */
	uint64_t count, first_frame;
};

struct stats {
	char *filter;
	struct srt_table srt, programs;
	bool errors_on;
	struct err_row errs[STATS_MAX_ROWS];
	unsigned nerrs;
	uint64_t err_other, err_total;
	bool unanswered_on;
	uint32_t *heads;
	struct pending *pool;
	uint32_t npool, cap, free_list;
	uint64_t pending_dropped;
	/* A call the decoder gave up before its message came here (no room
	 * for it at all): marked when it comes. */
	struct { uint64_t conversation, frame; uint32_t xid; bool set; }
		expired_early;
	bool expert_on;
	struct expert_row expert[STATS_MAX_ROWS];
	unsigned nexpert;
	uint64_t expert_other, messages;
	struct filter_regex_stops regex_stops;
};

struct stats *stats_new(void)
{
	struct stats *s = calloc(1, sizeof *s);
	if (s)
		s->free_list = NONE;
	return s;
}

bool stats_enabled(const struct stats *s)
{
	return s->srt.on || s->programs.on || s->errors_on ||
	       s->unanswered_on || s->expert_on;
}

void stats_set_filter_text(struct stats *s, const char *filter)
{
	free(s->filter);
	s->filter = filter ? strdup(filter) : NULL;
}

void stats_set_regex_stops(struct stats *s,
			   const struct filter_regex_stops *stops)
{
	s->regex_stops = *stops;
}

void stats_help(FILE *out)
{
	fputs("Statistics (-z):\n"
	      "  rpc,srt[,PROGRAM[,VERSION]]  calls, replies and response "
	      "times per procedure\n"
	      "  rpc,programs                 the same per program and "
	      "version\n"
	      "  rpc,unanswered               calls that got no reply\n"
	      "  gluster,errors               GlusterFS errors by errno and "
	      "procedure\n"
	      "  expert                       malformed, truncated, "
	      "not-decoded ... counts\n", out);
}

static bool parse_u32(const char *t, uint32_t *v)
{
	char *end;
	unsigned long long x = strtoull(t, &end, 0);
	if (!*t || *end || x > UINT32_MAX || *t == '-')
		return false;
	*v = (uint32_t)x;
	return true;
}

bool stats_need_body(const struct stats *s)
{
	return s->errors_on || s->expert_on;
}

bool stats_add(struct stats *s, const char *spec, char *err, size_t errlen)
{
	if (!strncmp(spec, "rpc,srt", 7) && (spec[7] == '\0' || spec[7] == ',')) {
		s->srt.on = true;
		s->srt.per_proc = true;
		if (spec[7] == ',') {
			char buf[64];
			snprintf(buf, sizeof buf, "%s", spec + 8);
			char *comma = strchr(buf, ',');
			if (comma)
				*comma = '\0';
			if (!parse_u32(buf, &s->srt.program) ||
			    (comma && !parse_u32(comma + 1, &s->srt.version))) {
				snprintf(err, errlen, "-z %s: expected "
					 "rpc,srt[,PROGRAM[,VERSION]] with numbers",
					 spec);
				return false;
			}
			s->srt.want_program = true;
			s->srt.want_version = comma != NULL;
		}
		return true;
	}
	if (!strcmp(spec, "rpc,programs")) {
		s->programs.on = true;
		return true;
	}
	if (!strcmp(spec, "rpc,unanswered")) {
		if (!s->heads) {
			s->heads = malloc(PENDING_BUCKETS * sizeof *s->heads);
			if (!s->heads) {
				snprintf(err, errlen, "out of memory");
				return false;
			}
			memset(s->heads, 0xff, PENDING_BUCKETS * sizeof *s->heads);
		}
		s->unanswered_on = true;
		return true;
	}
	if (!strcmp(spec, "gluster,errors") || !strcmp(spec, "glusterfs,errors")) {
		s->errors_on = true;
		return true;
	}
	if (!strcmp(spec, "expert")) {
		s->expert_on = true;
		return true;
	}
	snprintf(err, errlen, "-z %s: unknown statistic (try -z help)", spec);
	return false;
}

static void copy_name(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

static void srt_add(struct srt_table *t, const struct message *m)
{
	bool reply = m->msg_type == MSG_REPLY;
	if (reply && !m->call_frame) {
		t->orphan_replies++;
		return;
	}
	if (t->want_program && m->program != t->program)
		return;
	if (t->want_version && m->version != t->version)
		return;
	uint32_t proc = t->per_proc ? m->proc : 0;
	struct srt_row *r = NULL;
	/* Few rows in practice: a linear search is cheapest. */
	for (unsigned i = 0; i < t->nrows; i++) {
		struct srt_row *x = &t->rows[i];
		if (x->program == m->program && x->version == m->version &&
		    x->proc == proc) {
			r = x;
			break;
		}
	}
	if (!r && t->nrows < STATS_MAX_ROWS) {
		r = &t->rows[t->nrows++];
		memset(r, 0, sizeof *r);
		r->program = m->program;
		r->version = m->version;
		r->proc = proc;
	}
	if (!r) {
		if (reply)
			t->other_replies++;
		else
			t->other_calls++;
		return;
	}
	if (!r->program_name[0] && m->program_name)
		copy_name(r->program_name, sizeof r->program_name,
			  m->program_name);
	if (!r->proc_name[0] && m->proc_name)
		copy_name(r->proc_name, sizeof r->proc_name, m->proc_name);
	if (!reply) {
		r->calls++;
		return;
	}
	r->replies++;
	if (m->latency_ns < 0)
		return;
	if (!r->h)
		r->h = histogram_new();
	if (r->h)
		histogram_add(r->h, m->latency_ns);
}

static void errors_add(struct stats *s, const struct message *m)
{
	if (!m->has_op || m->op_ret >= 0)
		return;
	s->err_total++;
	for (unsigned i = 0; i < s->nerrs; i++) {
		struct err_row *r = &s->errs[i];
		if (r->op_errno == m->op_errno && r->program == m->program &&
		    r->version == m->version && r->proc == m->proc) {
			r->count++;
			return;
		}
	}
	if (s->nerrs == STATS_MAX_ROWS) {
		s->err_other++;
		return;
	}
	struct err_row *r = &s->errs[s->nerrs++];
	r->op_errno = m->op_errno;
	r->program = m->program;
	r->version = m->version;
	r->proc = m->proc;
	r->count = 1;
	char proc[24];
	if (!m->proc_name)
		snprintf(proc, sizeof proc, "proc-%" PRIu32, m->proc);
	snprintf(r->label, sizeof r->label, "%s V%" PRIu32 " %s",
		 m->program_name ? m->program_name : "?", m->version,
		 m->proc_name ? m->proc_name : proc);
}

static uint32_t pending_hash(uint64_t conv, uint32_t xid)
{
	uint64_t h = (conv * 0x9e3779b97f4a7c15ull) ^ (xid * 0xff51afd7ed558ccdull);
	return (uint32_t)(h >> 48) & (PENDING_BUCKETS - 1);
}

/* Finds (conv, xid); *prev gets the link that points at it. */
static uint32_t pending_find(struct stats *s, uint64_t conv, uint32_t xid,
			     uint32_t **link)
{
	uint32_t *l = &s->heads[pending_hash(conv, xid)];
	while (*l != NONE) {
		struct pending *p = &s->pool[*l];
		if (p->conversation == conv && p->xid == xid) {
			*link = l;
			return *l;
		}
		l = &p->next;
	}
	*link = l;
	return NONE;
}

static void unanswered_add(struct stats *s, const struct message *m)
{
	uint32_t *link;
	uint32_t i = pending_find(s, m->conversation, m->xid, &link);
	if (m->msg_type == MSG_REPLY) {
		if (i != NONE) {
			*link = s->pool[i].next;
			s->pool[i].next = s->free_list;
			s->pool[i].live = false;
			s->free_list = i;
		}
		return;
	}
	if (m->msg_type != MSG_CALL)
		return;
	if (i == NONE) {
		if (s->free_list != NONE) {
			i = s->free_list;
			s->free_list = s->pool[i].next;
		} else {
			if (s->npool == s->cap) {
				if (s->cap >= STATS_MAX_PENDING) {
					s->pending_dropped++;
					return;
				}
				uint32_t cap = s->cap ? 2 * s->cap : 1024;
				struct pending *p = realloc(s->pool,
							    cap * sizeof *p);
				if (!p) {
					s->pending_dropped++;
					return;
				}
				s->pool = p;
				s->cap = cap;
				/* link may have pointed into the old pool */
				pending_find(s, m->conversation, m->xid, &link);
			}
			i = s->npool++;
		}
		s->pool[i].next = *link;
		s->pool[i].live = true;
		*link = i;
	}
	/* A repeated XID on the connection replaces the older call, as the
	 * reply matching does. */
	struct pending *p = &s->pool[i];
	p->conversation = m->conversation;
	p->xid = m->xid;
	p->program = m->program;
	p->version = m->version;
	p->proc = m->proc;
	p->frame = m->frame;
	p->ts_ns = m->ts_ns;
	p->proc_name = m->proc_name;
	p->program_name = m->program_name;
	p->expired = s->expired_early.set &&
		     s->expired_early.conversation == m->conversation &&
		     s->expired_early.xid == m->xid &&
		     s->expired_early.frame == m->frame;
	if (p->expired)
		s->expired_early.set = false;
}

void stats_expired(struct stats *s, uint64_t conversation, uint32_t xid,
		   uint64_t frame)
{
	if (!s->unanswered_on)
		return;
	uint32_t *link;
	uint32_t i = pending_find(s, conversation, xid, &link);
	/* The call of that frame: an older one with the same XID stays as
	 * it was (it expired before, or waits in the report only). */
	if (i != NONE && s->pool[i].frame == frame) {
		s->pool[i].expired = true;
		return;
	}
	/* Not here yet: the decoder found no room for the call it is
	 * decoding, whose message comes next. */
	s->expired_early.conversation = conversation;
	s->expired_early.xid = xid;
	s->expired_early.frame = frame;
	s->expired_early.set = true;
}

size_t stats_max_memory(const struct stats *s)
{
	size_t n = 0;
	if (s->unanswered_on)	/* the table, and the order to print it in */
		n += PENDING_BUCKETS * sizeof *s->heads +
		     STATS_MAX_PENDING * (sizeof(struct pending) +
					  sizeof(uint32_t));
	if (s->srt.on)
		n += STATS_MAX_ROWS * sizeof(struct histogram);
	if (s->programs.on)
		n += STATS_MAX_ROWS * sizeof(struct histogram);
	return n;
}

static void expert_add(struct stats *s, const struct message *m)
{
	for (unsigned bit = 0; bit < 6; bit++) {
		if (!(m->verdict & 1u << bit))
			continue;
		unsigned i;
		for (i = 0; i < s->nexpert; i++)
			if (s->expert[i].bit == bit &&
			    (s->expert[i].why == m->why ||
			     (s->expert[i].why && m->why &&
			      !strcmp(s->expert[i].why, m->why))))
				break;
		if (i == s->nexpert) {
			if (s->nexpert == STATS_MAX_ROWS) {
				s->expert_other++;
				continue;
			}
			s->nexpert++;
			s->expert[i].bit = bit;
			s->expert[i].why = m->why;
			s->expert[i].count = 0;
			s->expert[i].first_frame = m->frame;
		}
		s->expert[i].count++;
	}
}

void stats_message(struct stats *s, const struct message *m)
{
	s->messages++;
	if (m->has_rpc && m->msg_type != MSG_OTHER) {
		if (s->srt.on)
			srt_add(&s->srt, m);
		if (s->programs.on)
			srt_add(&s->programs, m);
		if (s->unanswered_on)
			unanswered_add(s, m);
	}
	if (s->errors_on)
		errors_add(s, m);
	if (s->expert_on)
		expert_add(s, m);
}

/* ---- reports */

static const char rule[] =
	"========================================================================"
	"==========================\n";

/* Seconds rounded to the microsecond, 13 columns (as tshark's SRT). */
static void put_secs(FILE *out, int64_t ns)
{
	int64_t us = (ns + 500) / 1000;
	fprintf(out, " %5" PRId64 ".%06" PRId64, us / 1000000, us % 1000000);
}

static int srt_cmp(const void *a, const void *b)
{
	const struct srt_row *x = a, *y = b;
	if (x->program != y->program)
		return x->program < y->program ? -1 : 1;
	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	return x->proc < y->proc ? -1 : x->proc > y->proc;
}

static void print_srt(struct stats *s, FILE *out, struct srt_table *t,
		      const char *title)
{
	qsort(t->rows, t->nrows, sizeof *t->rows, srt_cmp);
	fputs(rule, out);
	fprintf(out, "%s\n", title);
	if (t->want_program) {
		fprintf(out, "Program: %" PRIu32, t->program);
		if (t->want_version)
			fprintf(out, " Version: %" PRIu32, t->version);
		fputc('\n', out);
	}
	fprintf(out, "Filter: %s\n", s->filter ? s->filter : "(none)");
	int w = 26;
	for (unsigned i = 0; i < t->nrows; i++) {
		int l = (int)(strlen(t->rows[i].program_name[0] ?
				     t->rows[i].program_name : "4294967295") +
			      strlen(t->rows[i].proc_name[0] ?
				     t->rows[i].proc_name : "proc-4294967295") +
			      13);
		if (l > w)
			w = l;
	}
	fprintf(out, "%-*s%8s%8s%13s%13s%13s%13s%13s%13s\n", w,
		t->per_proc ? "Program Version Procedure" : "Program Version",
		"Calls", "Replies", "Min SRT", "p50 SRT", "p90 SRT",
		"p99 SRT", "Max SRT", "Avg SRT");
	for (unsigned i = 0; i < t->nrows; i++) {
		struct srt_row *r = &t->rows[i];
		char name[96], prog[32], proc[40];
		if (r->program_name[0])
			snprintf(prog, sizeof prog, "%s", r->program_name);
		else
			snprintf(prog, sizeof prog, "%" PRIu32, r->program);
		if (r->proc_name[0])
			snprintf(proc, sizeof proc, "%s", r->proc_name);
		else
			snprintf(proc, sizeof proc, "proc-%" PRIu32, r->proc);
		if (t->per_proc)
			snprintf(name, sizeof name, "%s V%" PRIu32 " %s", prog,
				 r->version, proc);
		else
			snprintf(name, sizeof name, "%s V%" PRIu32, prog,
				 r->version);
		uint64_t n = r->h ? r->h->n : 0;
		fprintf(out, "%-*s%8" PRIu64 "%8" PRIu64, w, name, r->calls,
			r->replies);
		if (n) {
			put_secs(out, r->h->min);
			put_secs(out, histogram_percentile(r->h, 50));
			put_secs(out, histogram_percentile(r->h, 90));
			put_secs(out, histogram_percentile(r->h, 99));
			put_secs(out, r->h->max);
			put_secs(out, (int64_t)(r->h->sum / n));
		}
		fputc('\n', out);
	}
	if (t->other_calls || t->other_replies)
		fprintf(out, "%-*s%8" PRIu64 "%8" PRIu64 "  (table full)\n",
			w, "(other)", t->other_calls, t->other_replies);
	if (t->orphan_replies)
		fprintf(out, "Replies to calls not seen: %" PRIu64 "\n",
			t->orphan_replies);
	fputs(rule, out);
}

/* qsort has no context argument: the pool being sorted. */
static const struct pending *sorting;

static int pending_cmp(const void *a, const void *b)
{
	const struct pending *x = &sorting[*(const uint32_t *)a];
	const struct pending *y = &sorting[*(const uint32_t *)b];
	return x->frame < y->frame ? -1 : x->frame > y->frame;
}

static void print_unanswered(struct stats *s, FILE *out,
			     const struct decoder_stats *ds)
{
	/* The live entries, by frame: their indexes sorted (the pool is at
	 * most as long as the calls seen, the buckets always 64 Ki). */
	uint32_t *live = malloc((s->npool ? s->npool : 1) * sizeof *live);
	size_t n = 0, expired = 0;
	for (uint32_t i = 0; live && i < s->npool; i++)
		if (s->pool[i].live)
			live[n++] = i;
	sorting = s->pool;
	if (live)
		qsort(live, n, sizeof *live, pending_cmp);
	fputs(rule, out);
	fputs("ONC-RPC Unanswered Calls\n", out);
	fprintf(out, "Filter: %s\n", s->filter ? s->filter : "(none)");
	fprintf(out, "%8s %10s %8s  %s\n", "Frame", "XID", "Stream",
		"Program Version Procedure");
	for (size_t i = 0; i < n; i++) {
		const struct pending *p = &s->pool[live[i]];
		char prog[32], proc[32];
		if (p->program_name)
			snprintf(prog, sizeof prog, "%s", p->program_name);
		else
			snprintf(prog, sizeof prog, "%" PRIu32, p->program);
		if (p->proc_name)
			snprintf(proc, sizeof proc, "%s", p->proc_name);
		else
			snprintf(proc, sizeof proc, "proc-%" PRIu32, p->proc);
		fprintf(out, "%8" PRIu64 " 0x%08" PRIx32 " %8" PRIu64
			"  %s V%" PRIu32 " %s%s\n", p->frame, p->xid,
			p->conversation ? p->conversation - 1 : 0, prog,
			p->version, proc, p->expired ? " [expired]" : "");
		expired += p->expired;
	}
	fprintf(out, "Unanswered calls: %zu", n);
	if (s->pending_dropped)
		fprintf(out, " (and %" PRIu64 " not remembered: table full)",
			s->pending_dropped);
	fputc('\n', out);
	if (expired)
		fprintf(out, "[expired]: %zu calls given up before the end of "
			"the capture: reply not seen within the memory budget "
			"(--max-memory)\n", expired);
	/* The decoder counts every message: shown only when no -Y made the
	 * report count fewer. */
	if (ds && !s->filter) {
		fprintf(out, "Decoder: %" PRIu64 " calls, %" PRIu64
			" replies, %" PRIu64 " unanswered", ds->rpc_calls,
			ds->rpc_replies, ds->rpc_unanswered);
		if (ds->requests_expired)
			fprintf(out, " (and %" PRIu64 " expired: reply not "
				"seen within the memory budget)",
				ds->requests_expired);
		fprintf(out, ", %" PRIu64 " replies to calls not seen\n",
			ds->rpc_orphan_replies);
	}
	fputs(rule, out);
	free(live);
}

static int err_cmp(const void *a, const void *b)
{
	const struct err_row *x = a, *y = b;
	if (x->op_errno != y->op_errno)
		return x->op_errno < y->op_errno ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->label, y->label);
}

static void print_errors(struct stats *s, FILE *out)
{
	qsort(s->errs, s->nerrs, sizeof *s->errs, err_cmp);
	fputs(rule, out);
	fputs("GlusterFS Errors (replies with op_ret < 0) by errno\n", out);
	fprintf(out, "Filter: %s\n", s->filter ? s->filter : "(none)");
	fprintf(out, "%-22s%8s  %s\n", "Errno", "Count", "Procedures");
	for (unsigned i = 0; i < s->nerrs;) {
		unsigned j = i;
		uint64_t total = 0;
		while (j < s->nerrs && s->errs[j].op_errno == s->errs[i].op_errno)
			total += s->errs[j++].count;
		const char *en = errno_name(s->errs[i].op_errno);
		char label[40];
		snprintf(label, sizeof label, "%s (%" PRId32 ")", en ? en : "?",
			 s->errs[i].op_errno);
		fprintf(out, "%-22s%8" PRIu64 "  ", label, total);
		for (unsigned k = i; k < j; k++)
			fprintf(out, "%s%s: %" PRIu64, k > i ? ", " : "",
				s->errs[k].label, s->errs[k].count);
		fputc('\n', out);
		i = j;
	}
	if (s->err_other)
		fprintf(out, "%-22s%8" PRIu64 "  (table full)\n", "(other)",
			s->err_other);
	fprintf(out, "Total errors: %" PRIu64 "\n", s->err_total);
	fputs(rule, out);
}

static void print_expert(struct stats *s, FILE *out,
			 const struct decoder_stats *ds)
{
	static const char *const words[] = {
		"Malformed", "Truncated", "Not decoded", "After gap", "Elided",
		"Fields full",
	};
	fputs(rule, out);
	fputs("Expert Information (message verdicts)\n", out);
	fprintf(out, "Filter: %s\n", s->filter ? s->filter : "(none)");
	fprintf(out, "%-12s%8s%12s  %s\n", "Verdict", "Count", "First frame",
		"Reason");
	for (unsigned bit = 0; bit < 6; bit++)
		for (unsigned i = 0; i < s->nexpert; i++) {
			const struct expert_row *r = &s->expert[i];
			if (r->bit != bit)
				continue;
			fprintf(out, "%-12s%8" PRIu64 "%12" PRIu64 "  %s\n",
				words[bit], r->count, r->first_frame,
				r->why ? r->why : "");
		}
	if (s->expert_other)
		fprintf(out, "(other)     %8" PRIu64 "\n", s->expert_other);
	fprintf(out, "Messages: %" PRIu64 "\n", s->messages);
	const struct filter_regex_stops *rs = &s->regex_stops;
	if (rs->total)
		fprintf(out, "Filter limits: %" PRIu64 " value%s stopped at a "
			"'matches' limit, counted as not matching (match "
			"limit %" PRIu64 ", depth limit %" PRIu64 ", heap "
			"limit %" PRIu64 ", step limit %" PRIu64 ", other %"
			PRIu64 "); first in frame %" PRIu64 "\n", rs->total,
			rs->total == 1 ? "" : "s", rs->match_limit,
			rs->depth_limit, rs->heap_limit, rs->step_limit,
			rs->other, rs->first_frame);
	if (ds && !s->filter)
		fprintf(out, "Decoder: %" PRIu64 " frames, %" PRIu64
			" TCP gaps (%" PRIu64 " bytes), %" PRIu64
			" retransmissions, %" PRIu64 " out of order, %"
			PRIu64 " buffer drops, %" PRIu64 " flows evicted\n",
			ds->frames, ds->tcp_gaps, ds->tcp_gap_bytes,
			ds->tcp_retransmits, ds->tcp_out_of_order,
			ds->buffer_drops, ds->flows_evicted);
	/* The decoder's share, not --max-memory: the reports asked for
	 * took theirs off first. */
	if (ds && !s->filter && ds->requests_expired)
		fprintf(out, "Decoder: %" PRIu64 " requests expired, oldest "
			"first: reply not seen within the memory budget (the "
			"decoder's %.1f MiB of --max-memory)\n",
			ds->requests_expired,
			(double)ds->memory_limit / (1 << 20));
	fputs(rule, out);
}

void stats_print(struct stats *s, FILE *out, const struct decoder_stats *ds)
{
	if (s->srt.on)
		print_srt(s, out, &s->srt,
			  "ONC-RPC Service Response Time Statistics "
			  "(SRT: seconds from call to reply)");
	if (s->programs.on)
		print_srt(s, out, &s->programs,
			  "ONC-RPC Program Statistics");
	if (s->unanswered_on)
		print_unanswered(s, out, ds);
	if (s->errors_on)
		print_errors(s, out);
	if (s->expert_on)
		print_expert(s, out, ds);
}

static void free_rows(struct srt_table *t)
{
	for (unsigned i = 0; i < t->nrows; i++)
		histogram_free(t->rows[i].h);
}

static void srt_reset(struct srt_table *t)
{
	free_rows(t);
	t->nrows = 0;
	t->other_calls = t->other_replies = t->orphan_replies = 0;
}

void stats_reset(struct stats *s)
{
	srt_reset(&s->srt);
	srt_reset(&s->programs);
	s->nerrs = 0;
	s->err_other = s->err_total = 0;
	/* Empty only the buckets in use: 64 Ki of them. */
	for (uint32_t i = 0; i < s->npool; i++)
		s->heads[pending_hash(s->pool[i].conversation,
				      s->pool[i].xid)] = NONE;
	s->npool = 0;
	s->free_list = NONE;
	s->pending_dropped = 0;
	s->expired_early.set = false;
	s->nexpert = 0;
	s->expert_other = s->messages = 0;
	memset(&s->regex_stops, 0, sizeof s->regex_stops);
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	free_rows(&s->srt);
	free_rows(&s->programs);
	free(s->heads);
	free(s->pool);
	free(s->filter);
	free(s);
}
