/* stats.c - -z statistics: service response times per operation and
 * service, unanswered requests, failed responses, verdict counts; each
 * for every protocol (srt, errors, unanswered) and in ONC-RPC's and
 * GlusterFS's own words (rpc,srt, rpc,programs, rpc,unanswered,
 * gluster,errors).  They read the messages' exchanges and named fields
 * only.  Bounded memory: fixed-size tables and log-linear histograms. */
#include "stats.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "proto/registry.h"
#include "resolve.h"

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

/* One row: a service's operation (rpc,srt: a program's procedure), or a
 * service (rpc,programs). */
struct srt_row {
	const struct protocol *proto;	/* srt: the protocol; rpc,*: NULL */
	uint32_t program, version, proc;
	char program_name[24], proc_name[32];
	char *key;		/* srt,PROTO,FIELD: the field's value (its
				 * first occurrence, cut); NULL: none */
	uint64_t calls, replies, failed;
	struct histogram *h;
};

struct srt_table {
	bool on;
	bool per_proc;		/* rpc,srt vs rpc,programs */
	bool generic;		/* srt[,PROTO]: rows per protocol too */
	const struct protocol *only;	/* messages it carries, or all */
	bool want_program, want_version;
	uint32_t program, version;
	bool by_field;		/* srt,PROTO,FIELD: rows per value too */
	struct field_ref by;
	struct srt_row rows[STATS_MAX_ROWS];
	unsigned nrows;
	uint64_t other_calls, other_replies, orphan_replies;
};

struct err_row {
	const struct protocol *proto;	/* errors: the protocol; NULL */
	int64_t code;
	const char *code_name;		/* static; errors only */
	uint32_t program, version, proc;
	char label[64];		/* "GlusterFS V400 SETATTR" */
	uint64_t count;
};

struct err_table {
	bool on;
	bool generic;		/* errors[,PROTO] vs gluster,errors */
	const struct protocol *only;
	struct err_row rows[STATS_MAX_ROWS];
	unsigned nrows;
	uint64_t other, total;
};

struct pending {
	uint64_t conversation;
	uint64_t id;
	const struct protocol *proto;
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

/* Connection events by name (exchange.op of an EVENT of the TCP layer). */
#define STATS_MAX_EVENTS 16
struct event_row {
	const char *what;	/* static */
	uint64_t count, first_frame;
};

/* conv,tcp: one row per TCP connection, indexed by its number; A is
 * the sender of its first segment (tshark's). */
struct conv_row {
	struct endpoint a, b;
	uint64_t frames[2], bytes[2];	/* [0] A to B, [1] B to A */
	int64_t first_ts, last_ts;
	uint64_t id;			/* 0: no segment seen */
};

struct conv_table {
	bool on;
	struct conv_row *rows;
	size_t cap;
	uint64_t untabled;	/* segments of connections past the table */
};

/* Requests waiting for their response, by (connection, id). */
struct pending_table {
	bool on;
	bool generic;		/* unanswered[,PROTO] vs rpc,unanswered */
	const struct protocol *only;
	uint32_t *heads;
	struct pending *pool;
	uint32_t npool, cap, free_list;
	uint64_t dropped;
};

struct stats {
	char *filter;
	const struct protocol *rpc;	/* what the rpc,* reports count */
	struct field_ref op_ret, op_errno;	/* gluster,errors reads */
	struct srt_table srt, programs, srt_any, srt_by;
	struct err_table errors, errors_any;
	struct pending_table unanswered, unanswered_any;
	/* A request the decoder gave up before its message came here (no
	 * room for it at all): marked when it comes. */
	struct { uint64_t conversation, frame, id; bool set; } expired_early;
	bool expert_on;
	struct expert_row expert[STATS_MAX_ROWS];
	unsigned nexpert;
	uint64_t expert_other, messages;
	const struct protocol *tcp;
	struct event_row events[STATS_MAX_EVENTS];
	unsigned nevents;
	struct filter_regex_stops regex_stops;
	struct conv_table conv;
	const int64_t *time_base;
};

struct stats *stats_new(void)
{
	struct stats *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->rpc = protocol_find("rpc");
	s->tcp = protocol_find("tcp");
	field_ref_init(&s->op_ret, "gluster.op_ret");
	field_ref_init(&s->op_errno, "gluster.op_errno");
	return s;
}

bool stats_enabled(const struct stats *s)
{
	return s->srt.on || s->programs.on || s->srt_any.on ||
	       s->srt_by.on || s->errors.on || s->errors_any.on || s->unanswered.on ||
	       s->unanswered_any.on || s->expert_on || s->conv.on;
}

bool stats_want_segments(const struct stats *s)
{
	return s->conv.on;
}

void stats_set_time_base(struct stats *s, const int64_t *base)
{
	s->time_base = base;
}

void stats_segment(struct stats *s, const struct decoder_segment *seg)
{
	struct conv_table *t = &s->conv;
	if (!t->on || !seg->conversation)
		return;
	if (seg->conversation > STATS_MAX_CONVS) {
		t->untabled++;
		return;
	}
	size_t i = (size_t)(seg->conversation - 1);
	if (i >= t->cap) {
		size_t cap = t->cap ? t->cap : 64;
		while (cap <= i)
			cap *= 2;
		if (cap > STATS_MAX_CONVS)
			cap = STATS_MAX_CONVS;
		struct conv_row *r = realloc(t->rows, cap * sizeof *r);
		if (!r) {
			t->untabled++;
			return;
		}
		memset(r + t->cap, 0, (cap - t->cap) * sizeof *r);
		t->rows = r;
		t->cap = cap;
	}
	struct conv_row *r = &t->rows[i];
	if (!r->id) {
		r->id = seg->conversation;
		r->a = *seg->src;
		r->b = *seg->dst;
		r->first_ts = seg->ts_ns;
	}
	int dir = !(seg->src->port == r->a.port &&
		    !memcmp(seg->src->addr, r->a.addr, sizeof r->a.addr));
	r->frames[dir]++;
	r->bytes[dir] += seg->frame_len;
	r->last_ts = seg->ts_ns;
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
	      "  srt[,PROTOCOL]               requests, responses and "
	      "response times per\n"
	      "                               protocol, service and "
	      "operation\n"
	      "  srt,PROTOCOL,FIELD           the same per value of FIELD "
	      "too (-z srt,cql,cql.query:\n"
	      "                               per statement)\n"
	      "  errors[,PROTOCOL]            failed responses by status "
	      "and operation\n"
	      "  unanswered[,PROTOCOL]        requests that got no "
	      "response\n"
	      "  rpc,srt[,PROGRAM[,VERSION]]  calls, replies and response "
	      "times per procedure\n"
	      "  rpc,programs                 the same per program and "
	      "version\n"
	      "  rpc,unanswered               calls that got no reply\n"
	      "  gluster,errors               GlusterFS errors by errno and "
	      "procedure\n"
	      "  expert                       malformed, truncated, "
	      "not-decoded ... counts\n"
	      "  conv,tcp                     TCP connections: frames and "
	      "bytes each way, start,\n"
	      "                               duration\n", out);
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
	return s->errors.on || s->errors_any.on || s->expert_on ||
	       (s->srt_by.on && !name_in_header(s->srt_by.by.name));
}

static bool pending_on(struct pending_table *t, char *err, size_t errlen)
{
	if (!t->heads) {
		t->heads = malloc(PENDING_BUCKETS * sizeof *t->heads);
		if (!t->heads) {
			snprintf(err, errlen, "out of memory");
			return false;
		}
		memset(t->heads, 0xff, PENDING_BUCKETS * sizeof *t->heads);
		t->free_list = NONE;
	}
	t->on = true;
	return true;
}

/* "NAME" or "NAME,PROTOCOL": the protocol (in *only, NULL for all);
 * false when spec is not NAME or names no protocol. */
static bool generic_spec(const char *spec, const char *name,
			 const struct protocol **only, char *err,
			 size_t errlen)
{
	size_t n = strlen(name);
	if (strncmp(spec, name, n) || (spec[n] != '\0' && spec[n] != ','))
		return false;
	*only = NULL;
	if (spec[n] == ',' && !(*only = protocol_find(spec + n + 1))) {
		snprintf(err, errlen, "-z %s: '%s' is not a protocol tapline "
			 "knows (see tapline decode -G protocols)", spec,
			 spec + n + 1);
		return false;
	}
	return true;
}

bool stats_add(struct stats *s, const char *spec, char *err, size_t errlen)
{
	err[0] = '\0';
	if (!strncmp(spec, "rpc,srt", 7) && (spec[7] == '\0' || spec[7] == ',')) {
		s->srt.on = true;
		s->srt.per_proc = true;
		s->srt.only = s->rpc;
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
		s->programs.only = s->rpc;
		return true;
	}
	if (!strcmp(spec, "rpc,unanswered")) {
		s->unanswered.only = s->rpc;
		return pending_on(&s->unanswered, err, errlen);
	}
	if (!strcmp(spec, "gluster,errors") || !strcmp(spec, "glusterfs,errors")) {
		s->errors.on = true;
		return true;
	}
	if (!strcmp(spec, "expert")) {
		s->expert_on = true;
		return true;
	}
	if (!strcmp(spec, "conv,tcp")) {
		s->conv.on = true;
		return true;
	}
	if (!strncmp(spec, "conv,", 5)) {
		snprintf(err, errlen, "-z %s: tapline has conv,tcp only, "
			 "without a filter of its own", spec);
		return false;
	}
	const struct protocol *only;
	/* srt,PROTOCOL,FIELD */
	const char *second = !strncmp(spec, "srt,", 4) ? strchr(spec + 4, ',') : NULL;
	if (second) {
		char word[64];
		snprintf(word, sizeof word, "%.*s", (int)(second - spec - 4), spec + 4);
		if (!(only = protocol_find(word))) {
			snprintf(err, errlen, "-z %s: '%s' is not a protocol "
				 "tapline knows (see tapline decode -G "
				 "protocols)", spec, word);
			return false;
		}
		if (!field_ref_init(&s->srt_by.by, second + 1)) {
			const char *near = registry_nearest(second + 1);
			snprintf(err, errlen, "-z %s: '%s' is not a field name%s%s%s",
				 spec, second + 1, near ? " (did you mean " : "",
				 near ? near : "", near ? "?)" : "");
			return false;
		}
		s->srt_by.on = true;
		s->srt_by.per_proc = true;
		s->srt_by.generic = true;
		s->srt_by.by_field = true;
		s->srt_by.only = only;
		return true;
	}
	if (generic_spec(spec, "srt", &only, err, errlen)) {
		s->srt_any.on = true;
		s->srt_any.per_proc = true;
		s->srt_any.generic = true;
		s->srt_any.only = only;
		return true;
	}
	if (!err[0] && generic_spec(spec, "errors", &only, err, errlen)) {
		s->errors_any.on = true;
		s->errors_any.generic = true;
		s->errors_any.only = only;
		return true;
	}
	if (!err[0] && generic_spec(spec, "unanswered", &only, err, errlen)) {
		s->unanswered_any.generic = true;
		s->unanswered_any.only = only;
		return pending_on(&s->unanswered_any, err, errlen);
	}
	if (!err[0])
		snprintf(err, errlen, "-z %s: unknown statistic (try -z help)",
			 spec);
	return false;
}

static void copy_name(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* srt,PROTO,FIELD: the text of the field's first occurrence. */
struct key_text {
	char *buf;
	size_t cap, len;
};

static bool key_first(void *user, const struct field *f, const uint8_t *bytes)
{
	struct key_text *k = user;
	k->len = field_format(k->buf, k->cap, f, bytes);
	return false;
}

static void srt_add(struct srt_table *t, const struct message *m)
{
	const struct exchange *ex = &m->exchange;
	bool reply = ex->kind == EXCHANGE_RESPONSE;
	if (reply && !ex->request_frame) {
		t->orphan_replies++;
		return;
	}
	if (t->want_program && ex->service_code != t->program)
		return;
	if (t->want_version && ex->service_version != t->version)
		return;
	uint32_t proc = t->per_proc ? ex->op_code : 0;
	const struct protocol *proto = t->generic ? m->proto : NULL;
	char key[STATS_KEY_MAX + 1];
	size_t key_len = 0;
	if (t->by_field) {
		struct key_text kt = { key, sizeof key, 0 };
		field_ref_visit(m, &t->by, key_first, &kt);
		key_len = kt.len;
	}
	key[key_len] = '\0';
	struct srt_row *r = NULL;
	/* Few rows in practice: a linear search is cheapest. */
	for (unsigned i = 0; i < t->nrows; i++) {
		struct srt_row *x = &t->rows[i];
		if (x->program == ex->service_code &&
		    x->version == ex->service_version && x->proc == proc &&
		    x->proto == proto &&
		    (!t->by_field || !strcmp(x->key ? x->key : "", key))) {
			r = x;
			break;
		}
	}
	if (!r && t->nrows < STATS_MAX_ROWS) {
		r = &t->rows[t->nrows++];
		memset(r, 0, sizeof *r);
		r->proto = proto;
		r->program = ex->service_code;
		r->version = ex->service_version;
		r->proc = proc;
		if (key_len)
			r->key = strdup(key);
	}
	if (!r) {
		if (reply)
			t->other_replies++;
		else
			t->other_calls++;
		return;
	}
	if (!r->program_name[0] && ex->service)
		copy_name(r->program_name, sizeof r->program_name,
			  ex->service);
	if (!r->proc_name[0] && ex->op)
		copy_name(r->proc_name, sizeof r->proc_name, ex->op);
	if (!reply) {
		r->calls++;
		return;
	}
	r->replies++;
	if (ex->status == STATUS_FAILED)
		r->failed++;
	if (ex->latency_ns < 0)
		return;
	if (!r->h)
		r->h = histogram_new();
	if (r->h)
		histogram_add(r->h, ex->latency_ns);
}

/* "GlusterFS V400 SETATTR": the service, its version, the operation */
static void op_label(char *buf, size_t len, const struct exchange *ex)
{
	char proc[24];
	if (!ex->op)
		snprintf(proc, sizeof proc, "proc-%" PRIu32, ex->op_code);
	snprintf(buf, len, "%s V%" PRIu32 " %s",
		 ex->service ? ex->service : "?", ex->service_version,
		 ex->op ? ex->op : proc);
}

/* One failed response in t, by code (and protocol) and operation. */
static void err_count(struct err_table *t, const struct message *m,
		      int64_t code, const char *code_name)
{
	const struct exchange *ex = &m->exchange;
	const struct protocol *proto = t->generic ? m->proto : NULL;
	t->total++;
	for (unsigned i = 0; i < t->nrows; i++) {
		struct err_row *r = &t->rows[i];
		if (r->code == code && r->proto == proto &&
		    r->program == ex->service_code &&
		    r->version == ex->service_version &&
		    r->proc == ex->op_code) {
			r->count++;
			return;
		}
	}
	if (t->nrows == STATS_MAX_ROWS) {
		t->other++;
		return;
	}
	struct err_row *r = &t->rows[t->nrows++];
	r->proto = proto;
	r->code = code;
	r->code_name = code_name;
	r->program = ex->service_code;
	r->version = ex->service_version;
	r->proc = ex->op_code;
	r->count = 1;
	op_label(r->label, sizeof r->label, ex);
}

/* gluster,errors: GlusterFS replies whose op_ret < 0, by op_errno */
static void gluster_errors_add(struct stats *s, const struct message *m)
{
	struct field ret, err;
	if (!field_ref_first(m, &s->op_ret, &ret) || ret.v.i >= 0 ||
	    !field_ref_first(m, &s->op_errno, &err))
		return;
	err_count(&s->errors, m, err.v.i, NULL);
}

static void errors_add(struct err_table *t, const struct message *m)
{
	const struct exchange *ex = &m->exchange;
	if (ex->kind != EXCHANGE_RESPONSE || ex->status != STATUS_FAILED ||
	    (t->only && !protocol_carries(t->only, m)))
		return;
	err_count(t, m, ex->status_code, ex->status_name);
}

static uint32_t pending_hash(uint64_t conv, uint64_t id)
{
	uint64_t h = (conv * 0x9e3779b97f4a7c15ull) ^ (id * 0xff51afd7ed558ccdull);
	return (uint32_t)(h >> 48) & (PENDING_BUCKETS - 1);
}

/* Finds (conv, id); *link gets the link that points at it. */
static uint32_t pending_find(struct pending_table *t, uint64_t conv,
			     uint64_t id, uint32_t **link)
{
	uint32_t *l = &t->heads[pending_hash(conv, id)];
	while (*l != NONE) {
		struct pending *p = &t->pool[*l];
		if (p->conversation == conv && p->id == id) {
			*link = l;
			return *l;
		}
		l = &p->next;
	}
	*link = l;
	return NONE;
}

/* early: the decoder gave this request up before it came (marked). */
static void unanswered_add(struct pending_table *t, const struct message *m,
			   bool early)
{
	const struct exchange *ex = &m->exchange;
	if (!ex->has_id)
		return;
	uint32_t *link;
	uint32_t i = pending_find(t, m->conversation, ex->id, &link);
	if (ex->kind == EXCHANGE_RESPONSE) {
		if (i != NONE) {
			*link = t->pool[i].next;
			t->pool[i].next = t->free_list;
			t->pool[i].live = false;
			t->free_list = i;
		}
		return;
	}
	if (ex->kind != EXCHANGE_REQUEST)
		return;
	if (i == NONE) {
		if (t->free_list != NONE) {
			i = t->free_list;
			t->free_list = t->pool[i].next;
		} else {
			if (t->npool == t->cap) {
				if (t->cap >= STATS_MAX_PENDING) {
					t->dropped++;
					return;
				}
				uint32_t cap = t->cap ? 2 * t->cap : 1024;
				struct pending *p = realloc(t->pool,
							    cap * sizeof *p);
				if (!p) {
					t->dropped++;
					return;
				}
				t->pool = p;
				t->cap = cap;
				/* link may have pointed into the old pool */
				pending_find(t, m->conversation, ex->id, &link);
			}
			i = t->npool++;
		}
		t->pool[i].next = *link;
		t->pool[i].live = true;
		*link = i;
	}
	/* A repeated id on the connection replaces the older request, as
	 * the matching does. */
	struct pending *p = &t->pool[i];
	p->conversation = m->conversation;
	p->id = ex->id;
	p->proto = m->proto;
	p->program = ex->service_code;
	p->version = ex->service_version;
	p->proc = ex->op_code;
	p->frame = m->frame;
	p->ts_ns = m->ts_ns;
	p->proc_name = ex->op;
	p->program_name = ex->service;
	p->expired = early;
}

/* The request of that frame, if the table holds it: an older one with
 * the same id stays as it was (it expired before, or waits in the
 * report only). */
static bool pending_expired(struct pending_table *t, uint64_t conversation,
			    uint64_t id, uint64_t frame)
{
	uint32_t *link;
	uint32_t i;
	if (!t->on || (i = pending_find(t, conversation, id, &link)) == NONE ||
	    t->pool[i].frame != frame)
		return false;
	t->pool[i].expired = true;
	return true;
}

void stats_expired(struct stats *s, uint64_t conversation, uint64_t id,
		   uint64_t frame)
{
	if (!s->unanswered.on && !s->unanswered_any.on)
		return;
	bool marked = pending_expired(&s->unanswered, conversation, id,
				      frame);
	marked |= pending_expired(&s->unanswered_any, conversation, id,
				  frame);
	if (marked)
		return;
	/* Not here yet: the decoder found no room for the request it is
	 * decoding, whose message comes next (or was held by neither
	 * table: then nothing matches it). */
	s->expired_early.conversation = conversation;
	s->expired_early.id = id;
	s->expired_early.frame = frame;
	s->expired_early.set = true;
}

/* A table of waiting requests, and the order to print it in. */
static size_t pending_max_memory(const struct pending_table *t)
{
	return t->on ? PENDING_BUCKETS * sizeof *t->heads +
		       STATS_MAX_PENDING * (sizeof(struct pending) +
					    sizeof(uint32_t)) : 0;
}

size_t stats_max_memory(const struct stats *s)
{
	size_t n = pending_max_memory(&s->unanswered) +
		   pending_max_memory(&s->unanswered_any);
	const struct srt_table *srt[] = { &s->srt, &s->programs, &s->srt_any };
	for (size_t i = 0; i < sizeof srt / sizeof *srt; i++)
		if (srt[i]->on)
			n += STATS_MAX_ROWS * sizeof(struct histogram);
	if (s->conv.on)
		n += STATS_MAX_CONVS * sizeof(struct conv_row);
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

/* Whether a report limited to `only` (NULL: all) counts m. */
static bool counts(const struct protocol *only, const struct message *m)
{
	return !only || protocol_carries(only, m);
}

static void event_add(struct stats *s, const struct message *m)
{
	const char *what = m->exchange.op ? m->exchange.op : "?";
	unsigned i;
	for (i = 0; i < s->nevents; i++)
		if (!strcmp(s->events[i].what, what))
			break;
	if (i == s->nevents) {
		if (i == STATS_MAX_EVENTS)
			return;
		s->nevents++;
		s->events[i] = (struct event_row){ what, 0, m->frame };
	}
	s->events[i].count++;
}

void stats_message(struct stats *s, const struct message *m)
{
	uint8_t kind = m->exchange.kind;
	if (kind == EXCHANGE_EVENT && m->proto == s->tcp) {
		/* what the TCP layer told: counted apart from the
		 * protocols' messages */
		if (s->expert_on)
			event_add(s, m);
		return;
	}
	s->messages++;
	if (kind == EXCHANGE_REQUEST || kind == EXCHANGE_RESPONSE) {
		if (s->srt.on && counts(s->srt.only, m))
			srt_add(&s->srt, m);
		if (s->programs.on && counts(s->programs.only, m))
			srt_add(&s->programs, m);
		if (s->srt_any.on && counts(s->srt_any.only, m))
			srt_add(&s->srt_any, m);
		if (s->srt_by.on && counts(s->srt_by.only, m))
			srt_add(&s->srt_by, m);
		bool early = s->expired_early.set &&
			     kind == EXCHANGE_REQUEST &&
			     s->expired_early.frame == m->frame &&
			     s->expired_early.conversation == m->conversation &&
			     s->expired_early.id == m->exchange.id;
		if (early)
			s->expired_early.set = false;
		if (s->unanswered.on && counts(s->unanswered.only, m))
			unanswered_add(&s->unanswered, m, early);
		if (s->unanswered_any.on && counts(s->unanswered_any.only, m))
			unanswered_add(&s->unanswered_any, m, early);
	}
	if (s->errors.on)
		gluster_errors_add(s, m);
	if (s->errors_any.on)
		errors_add(&s->errors_any, m);
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

static const char *label_of(const struct protocol *p)
{
	return p ? p->label : "";
}

static int srt_cmp(const void *a, const void *b)
{
	const struct srt_row *x = a, *y = b;
	int c = strcmp(label_of(x->proto), label_of(y->proto));
	if (c)
		return c;
	if (x->program != y->program)
		return x->program < y->program ? -1 : 1;
	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	return strcmp(x->key ? x->key : "", y->key ? y->key : "");
}

/* "GlusterFS V400 SETATTR" (generic: after "GlusterFS "), "GF-DUMP V1",
 * "1298437 V330 proc-41" */
static void row_name(char *name, size_t len, const struct srt_table *t,
		     const struct srt_row *r)
{
	char prog[32], proc[40];
	if (r->program_name[0])
		snprintf(prog, sizeof prog, "%s", r->program_name);
	else
		snprintf(prog, sizeof prog, "%" PRIu32, r->program);
	if (r->proc_name[0])
		snprintf(proc, sizeof proc, "%s", r->proc_name);
	else
		snprintf(proc, sizeof proc, "proc-%" PRIu32, r->proc);
	if (t->generic)
		snprintf(name, len, "%s %s V%" PRIu32 " %s",
			 label_of(r->proto), prog, r->version, proc);
	else if (t->per_proc)
		snprintf(name, len, "%s V%" PRIu32 " %s", prog, r->version,
			 proc);
	else
		snprintf(name, len, "%s V%" PRIu32, prog, r->version);
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
	if (t->generic && t->only)
		fprintf(out, "Protocol: %s\n", t->only->label);
	fprintf(out, "Filter: %s\n", s->filter ? s->filter : "(none)");
	int w = 26;
	for (unsigned i = 0; i < t->nrows; i++) {
		int l = (int)(strlen(t->rows[i].program_name[0] ?
				     t->rows[i].program_name : "4294967295") +
			      strlen(t->rows[i].proc_name[0] ?
				     t->rows[i].proc_name : "proc-4294967295") +
			      13);
		if (t->generic)
			l += (int)strlen(label_of(t->rows[i].proto)) + 1;
		if (l > w)
			w = l;
	}
	fprintf(out, "%-*s%8s%8s%13s%13s%13s%13s%13s%13s", w,
		t->generic ? "Protocol Service Version Operation" :
		t->per_proc ? "Program Version Procedure" : "Program Version",
		t->generic ? "Reqs" : "Calls", t->generic ? "Resps" : "Replies",
		"Min SRT", "p50 SRT", "p90 SRT",
		"p99 SRT", "Max SRT", "Avg SRT");
	if (t->by_field)	/* last: values may be long */
		fprintf(out, "%8s  %s", "Failed", t->by.name);
	fputc('\n', out);
	for (unsigned i = 0; i < t->nrows; i++) {
		struct srt_row *r = &t->rows[i];
		char name[160];
		row_name(name, sizeof name, t, r);
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
		} else if (t->by_field) {
			fprintf(out, "%*s", 6 * 13, "");
		}
		if (t->by_field)
			fprintf(out, "%8" PRIu64 "  %s", r->failed,
				r->key ? r->key : "-");
		fputc('\n', out);
	}
	if (t->other_calls || t->other_replies)
		fprintf(out, "%-*s%8" PRIu64 "%8" PRIu64 "  (table full)\n",
			w, "(other)", t->other_calls, t->other_replies);
	if (t->orphan_replies)
		fprintf(out, "%s not seen: %" PRIu64 "\n",
			t->generic ? "Responses to requests" :
			"Replies to calls", t->orphan_replies);
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
			     struct pending_table *t,
			     const struct decoder_stats *ds)
{
	/* The live entries, by frame: their indexes sorted (the pool is at
	 * most as long as the requests seen, the buckets always 64 Ki). */
	uint32_t *live = malloc((t->npool ? t->npool : 1) * sizeof *live);
	size_t n = 0, expired = 0;
	for (uint32_t i = 0; live && i < t->npool; i++)
		if (t->pool[i].live)
			live[n++] = i;
	sorting = t->pool;
	if (live)
		qsort(live, n, sizeof *live, pending_cmp);
	fputs(rule, out);
	if (t->generic) {
		fputs("Unanswered Requests\n", out);
		if (t->only)
			fprintf(out, "Protocol: %s\n", t->only->label);
	} else {
		fputs("ONC-RPC Unanswered Calls\n", out);
	}
	fprintf(out, "Filter: %s\n", s->filter ? s->filter : "(none)");
	if (t->generic)
		fprintf(out, "%8s %18s %8s  %s\n", "Frame", "Id", "Stream",
			"Protocol Service Version Operation");
	else
		fprintf(out, "%8s %10s %8s  %s\n", "Frame", "XID", "Stream",
			"Program Version Procedure");
	for (size_t i = 0; i < n; i++) {
		const struct pending *p = &t->pool[live[i]];
		char prog[32], proc[32];
		if (p->program_name)
			snprintf(prog, sizeof prog, "%s", p->program_name);
		else
			snprintf(prog, sizeof prog, "%" PRIu32, p->program);
		if (p->proc_name)
			snprintf(proc, sizeof proc, "%s", p->proc_name);
		else
			snprintf(proc, sizeof proc, "proc-%" PRIu32, p->proc);
		if (t->generic)
			fprintf(out, "%8" PRIu64 " %#18" PRIx64 " %8" PRIu64
				"  %s %s V%" PRIu32 " %s%s\n", p->frame, p->id,
				p->conversation ? p->conversation - 1 : 0,
				label_of(p->proto), prog, p->version, proc,
				p->expired ? " [expired]" : "");
		else
			fprintf(out, "%8" PRIu64 " 0x%08" PRIx32 " %8" PRIu64
				"  %s V%" PRIu32 " %s%s\n", p->frame,
				(uint32_t)p->id,
				p->conversation ? p->conversation - 1 : 0,
				prog, p->version, proc,
				p->expired ? " [expired]" : "");
		expired += p->expired;
	}
	fprintf(out, "Unanswered %s: %zu", t->generic ? "requests" : "calls",
		n);
	if (t->dropped)
		fprintf(out, " (and %" PRIu64 " not remembered: table full)",
			t->dropped);
	fputc('\n', out);
	if (expired)
		fprintf(out, "[expired]: %zu %s given up before the end of the "
			"capture: %s not seen within the memory budget "
			"(--max-memory)\n", expired,
			t->generic ? "requests" : "calls",
			t->generic ? "response" : "reply");
	/* The decoder counts every message: shown only when no -Y made the
	 * report count fewer. */
	if (ds && !s->filter && (!t->generic || !t->only)) {
		fprintf(out, "Decoder: %" PRIu64 " %s, %" PRIu64 " %s, %"
			PRIu64 " unanswered", ds->requests,
			t->generic ? "requests" : "calls", ds->responses,
			t->generic ? "responses" : "replies", ds->unanswered);
		if (ds->requests_expired)
			fprintf(out, " (and %" PRIu64 " expired: %s not seen "
				"within the memory budget)",
				ds->requests_expired,
				t->generic ? "response" : "reply");
		fprintf(out, ", %" PRIu64 " %s not seen\n",
			ds->orphan_responses,
			t->generic ? "responses to requests" :
			"replies to calls");
	}
	fputs(rule, out);
	free(live);
}

static int err_cmp(const void *a, const void *b)
{
	const struct err_row *x = a, *y = b;
	int c = strcmp(label_of(x->proto), label_of(y->proto));
	if (c)
		return c;
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->label, y->label);
}

static void print_errors(struct stats *s, FILE *out, struct err_table *t)
{
	qsort(t->rows, t->nrows, sizeof *t->rows, err_cmp);
	fputs(rule, out);
	if (t->generic) {
		fputs("Errors (failed responses) by status\n", out);
		if (t->only)
			fprintf(out, "Protocol: %s\n", t->only->label);
	} else {
		fputs("GlusterFS Errors (replies with op_ret < 0) by errno\n",
		      out);
	}
	fprintf(out, "Filter: %s\n", s->filter ? s->filter : "(none)");
	fprintf(out, "%-22s%8s  %s\n", t->generic ? "Status" : "Errno",
		"Count", t->generic ? "Operations" : "Procedures");
	for (unsigned i = 0; i < t->nrows;) {
		unsigned j = i;
		uint64_t total = 0;
		while (j < t->nrows && t->rows[j].code == t->rows[i].code &&
		       t->rows[j].proto == t->rows[i].proto)
			total += t->rows[j++].count;
		const char *en = t->generic ? t->rows[i].code_name :
			(t->rows[i].code >= INT32_MIN &&
			 t->rows[i].code <= INT32_MAX ?
			 errno_name(t->rows[i].code) : NULL);
		char label[64];
		if (t->generic)
			snprintf(label, sizeof label, "%s %s (%" PRId64 ")",
				 label_of(t->rows[i].proto), en ? en : "?",
				 t->rows[i].code);
		else
			snprintf(label, sizeof label, "%s (%" PRId32 ")",
				 en ? en : "?", (int32_t)t->rows[i].code);
		fprintf(out, "%-22s%8" PRIu64 "  ", label, total);
		for (unsigned k = i; k < j; k++)
			fprintf(out, "%s%s: %" PRIu64, k > i ? ", " : "",
				t->rows[k].label, t->rows[k].count);
		fputc('\n', out);
		i = j;
	}
	if (t->other)
		fprintf(out, "%-22s%8" PRIu64 "  (table full)\n", "(other)",
			t->other);
	fprintf(out, "Total errors: %" PRIu64 "\n", t->total);
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
	if (s->nevents) {
		fprintf(out, "Connection events\n%-22s%8s%12s\n", "Event",
			"Count", "First frame");
		for (unsigned i = 0; i < s->nevents; i++)
			fprintf(out, "%-22s%8" PRIu64 "%12" PRIu64 "\n",
				s->events[i].what, s->events[i].count,
				s->events[i].first_frame);
	}
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
	if (ds && !s->filter && ds->tcp_lost_segments)
		fprintf(out, "Decoder: %" PRIu64 " segment%s after bytes the "
			"capture missed (tcp.analysis.lost_segment, first in "
			"frame %" PRIu64 ")\n", ds->tcp_lost_segments,
			ds->tcp_lost_segments == 1 ? "" : "s",
			ds->tcp_lost_first_frame);
	/* The decoder's share, not --max-memory: the reports asked for
	 * took theirs off first. */
	if (ds && !s->filter && ds->requests_expired)
		fprintf(out, "Decoder: %" PRIu64 " requests expired, oldest "
			"first: response not seen within the memory budget (the "
			"decoder's %.1f MiB of --max-memory)\n",
			ds->requests_expired,
			(double)ds->memory_limit / (1 << 20));
	fputs(rule, out);
}

/* A byte count as tshark's conversation tables print it: exact below
 * 10,000, else in whole kB, MB, GB (powers of 1000, truncated). */
static void put_size(char *buf, size_t len, uint64_t n)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB" };
	if (n < 10000) {
		snprintf(buf, len, "%" PRIu64 " bytes", n);
		return;
	}
	unsigned u = 0;
	n /= 1000;
	while (n >= 10000 && u + 1 < sizeof units / sizeof *units) {
		n /= 1000;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", n, units[u]);
}

static void put_endpoint(char *buf, size_t len, const struct endpoint *e)
{
	size_t n = endpoint_address_text(buf, len, e);
	if (n < len)
		snprintf(buf + n, len - n, ":%u", e->port);
}

/* Most frames first; ties in the order the connections began. */
static int conv_cmp(const void *a, const void *b)
{
	const struct conv_row *x = *(const struct conv_row *const *)a;
	const struct conv_row *y = *(const struct conv_row *const *)b;
	uint64_t fx = x->frames[0] + x->frames[1];
	uint64_t fy = y->frames[0] + y->frames[1];
	if (fx != fy)
		return fx < fy ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* tshark's -z conv,tcp layout: "<-" is B to A, "->" A to B. */
static void print_conv(struct stats *s, FILE *out)
{
	struct conv_table *t = &s->conv;
	fputs("================================================================"
	      "================\nTCP Conversations\nFilter:<No Filter>\n",
	      out);
	fprintf(out, "%59s|       <-      | |       ->      | |     Total     "
		"|    Relative    |   Duration   |\n", "");
	fprintf(out, "%59s| Frames  Bytes | | Frames  Bytes | | Frames  Bytes "
		"|      Start     |              |\n", "");
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++)
		n += t->rows[i].id != 0;
	const struct conv_row **order = malloc((n ? n : 1) * sizeof *order);
	if (order) {
		n = 0;
		for (size_t i = 0; i < t->cap; i++)
			if (t->rows[i].id)
				order[n++] = &t->rows[i];
		qsort(order, n, sizeof *order, conv_cmp);
	} else {
		n = 0;
	}
	int64_t base = s->time_base ? *s->time_base : 0;
	for (size_t i = 0; i < n; i++) {
		const struct conv_row *r = order[i];
		/* the duration as a difference of relative times in
		 * seconds, rounded as tshark rounds it */
		double start = (double)(r->first_ts - base) / 1e9;
		double stop = (double)(r->last_ts - base) / 1e9;
		char a[64], b[64], rx[32], tx[32], all[32];
		put_endpoint(a, sizeof a, &r->a);
		put_endpoint(b, sizeof b, &r->b);
		put_size(rx, sizeof rx, r->bytes[1]);
		put_size(tx, sizeof tx, r->bytes[0]);
		put_size(all, sizeof all, r->bytes[0] + r->bytes[1]);
		fprintf(out, "%-26s <-> %-26s  %6" PRIu64 " %-9s  %6" PRIu64
			" %-9s  %6" PRIu64 " %-9s  %14.9f   %12.4f\n", a, b,
			r->frames[1], rx, r->frames[0], tx,
			r->frames[0] + r->frames[1], all,
			start, stop - start);
	}
	free(order);
	if (t->untabled)
		fprintf(out, "(%" PRIu64 " segments of connections past the "
			"first %u not tabled)\n", t->untabled,
			STATS_MAX_CONVS);
	fputs("================================================================"
	      "================\n", out);
}

void stats_print(struct stats *s, FILE *out, const struct decoder_stats *ds)
{
	if (s->conv.on)
		print_conv(s, out);
	if (s->srt_any.on)
		print_srt(s, out, &s->srt_any,
			  "Service Response Time Statistics (SRT: seconds "
			  "from request to response)");
	if (s->srt_by.on)
		print_srt(s, out, &s->srt_by,
			  "Service Response Time Statistics per value "
			  "(SRT: seconds from request to response)");
	if (s->srt.on)
		print_srt(s, out, &s->srt,
			  "ONC-RPC Service Response Time Statistics "
			  "(SRT: seconds from call to reply)");
	if (s->programs.on)
		print_srt(s, out, &s->programs,
			  "ONC-RPC Program Statistics");
	if (s->unanswered_any.on)
		print_unanswered(s, out, &s->unanswered_any, ds);
	if (s->unanswered.on)
		print_unanswered(s, out, &s->unanswered, ds);
	if (s->errors_any.on)
		print_errors(s, out, &s->errors_any);
	if (s->errors.on)
		print_errors(s, out, &s->errors);
	if (s->expert_on)
		print_expert(s, out, ds);
}

static void free_rows(struct srt_table *t)
{
	for (unsigned i = 0; i < t->nrows; i++) {
		histogram_free(t->rows[i].h);
		free(t->rows[i].key);
	}
}

static void srt_reset(struct srt_table *t)
{
	free_rows(t);
	t->nrows = 0;
	t->other_calls = t->other_replies = t->orphan_replies = 0;
}

static void err_reset(struct err_table *t)
{
	t->nrows = 0;
	t->other = t->total = 0;
}

static void pending_reset(struct pending_table *t)
{
	/* Empty only the buckets in use: 64 Ki of them. */
	for (uint32_t i = 0; i < t->npool; i++)
		t->heads[pending_hash(t->pool[i].conversation,
				      t->pool[i].id)] = NONE;
	t->npool = 0;
	t->free_list = NONE;
	t->dropped = 0;
}

void stats_reset(struct stats *s)
{
	srt_reset(&s->srt);
	srt_reset(&s->programs);
	srt_reset(&s->srt_any);
	err_reset(&s->errors);
	err_reset(&s->errors_any);
	pending_reset(&s->unanswered);
	pending_reset(&s->unanswered_any);
	s->expired_early.set = false;
	s->nexpert = 0;
	s->nevents = 0;
	s->expert_other = s->messages = 0;
	memset(&s->regex_stops, 0, sizeof s->regex_stops);
	if (s->conv.rows)
		memset(s->conv.rows, 0, s->conv.cap * sizeof *s->conv.rows);
	s->conv.untabled = 0;
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	free_rows(&s->srt);
	free_rows(&s->programs);
	free_rows(&s->srt_any);
	free_rows(&s->srt_by);
	free(s->unanswered.heads);
	free(s->unanswered.pool);
	free(s->unanswered_any.heads);
	free(s->unanswered_any.pool);
	free(s->conv.rows);
	free(s->filter);
	free(s);
}
