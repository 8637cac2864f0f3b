/* stats_test.c - -z statistics on messages built by hand: percentiles
 * against values computed here by sorting, the report rows, unanswered
 * calls and errors by errno, and a reset. */
#include <stdlib.h>

#include "present/stats.h"
#include "proto/gluster/gluster.h"
#include "proto/oncrpc/rpc.h"
#include "tap.h"

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static struct message *call(struct message *m, uint64_t frame, uint32_t xid,
			    uint32_t proc, const char *name)
{
	msg_reset(m);
	m->frame = frame;
	m->conversation = 1;
	m->proto = &glusterfs_protocol;
	rpc_set_header(m, xid, RPC_CALL);
	m->exchange.service_code = 1298437;
	m->exchange.service_version = 400;
	m->exchange.op_code = proc;
	m->exchange.service = "GlusterFS";
	m->exchange.op = name;
	return m;
}

static struct message *reply(struct message *m, uint64_t frame, uint32_t xid,
			     uint32_t proc, const char *name, int64_t lat,
			     int op_ret, int op_errno)
{
	call(m, frame, xid, proc, name);
	rpc_set_header(m, (uint32_t)m->exchange.id, RPC_REPLY);
	m->exchange.request_frame = frame - 1;
	m->exchange.latency_ns = lat;
	gluster_set_result(m, op_ret, op_errno);
	return m;
}

/* 3 LOOKUPs answered in 1, 2, 3 ms; 1 SETATTR answered EACCES; one STAT
 * never answered; one STAT whose xid is re-used after its reply; a
 * malformed SETATTR; a reply with no call seen. */
/* 3 LOOKUPs answered in 1, 2, 3 ms; 1 SETATTR answered EACCES; one STAT
 * never answered; one STAT whose xid is re-used after its reply; a
 * malformed call; a reply with no call seen. */
static void feed_sample(struct stats *s, struct message *m)
{
	stats_message(s, call(m, 1, 100, 27, "LOOKUP"));
	stats_message(s, reply(m, 2, 100, 27, "LOOKUP", 1000000, 0, 0));
	stats_message(s, call(m, 3, 101, 27, "LOOKUP"));
	stats_message(s, reply(m, 4, 101, 27, "LOOKUP", 2000000, -1, 2));
	stats_message(s, call(m, 5, 102, 27, "LOOKUP"));
	stats_message(s, reply(m, 6, 102, 27, "LOOKUP", 3000000, 0, 0));
	stats_message(s, call(m, 7, 103, 38, "SETATTR"));
	stats_message(s, reply(m, 8, 103, 38, "SETATTR", 500000, -1, 13));
	stats_message(s, call(m, 9, 104, 1, "STAT"));
	stats_message(s, call(m, 10, 100, 1, "STAT"));
	stats_message(s, reply(m, 11, 100, 1, "STAT", 4000, -1, 2));
	msg_mark(call(m, 12, 105, 38, "SETATTR"), MSG_MALFORMED, "bad");
	stats_message(s, m);
	reply(m, 13, 999, 0, NULL, -1, 0, 0);
	m->exchange.request_frame = 0;
	stats_message(s, m);
}

/* 2 LOOKUPs (one ENOENT), a SETATTR answered EACCES, a STAT unanswered. */
static void feed_generic_sample(struct stats *s, struct message *m)
{
	stats_message(s, call(m, 1, 100, 27, "LOOKUP"));
	stats_message(s, reply(m, 2, 100, 27, "LOOKUP", 1000000, 0, 0));
	stats_message(s, call(m, 3, 101, 27, "LOOKUP"));
	stats_message(s, reply(m, 4, 101, 27, "LOOKUP", 2000000, -1, 2));
	stats_message(s, call(m, 5, 103, 38, "SETATTR"));
	stats_message(s, reply(m, 6, 103, 38, "SETATTR", 500000, -1, 13));
	stats_message(s, call(m, 7, 104, 1, "STAT"));
}

static char *report(struct stats *s)
{
	static char buf[1 << 16];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	stats_print(s, f, NULL);
	fclose(f);
	return buf;
}

int main(void)
{
	char err[128];

	/* histogram percentiles: exact below 64 ns, within 1/64 above */
	struct histogram *h = histogram_new();
	enum { N = 10000 };
	static int64_t v[N];
	srand(7);
	for (int i = 0; i < N; i++) {
		v[i] = (int64_t)(rand() % 5000000) + (i % 3 ? 0 : 40);
		histogram_add(h, v[i]);
	}
	qsort(v, N, sizeof *v, cmp64);
	static const double pcts[] = { 1, 50, 90, 99, 99.9, 100 };
	for (size_t i = 0; i < sizeof pcts / sizeof *pcts; i++) {
		int64_t want = v[(size_t)(pcts[i] / 100 * N + 0.999999) - 1];
		int64_t got = histogram_percentile(h, pcts[i]);
		ok(got >= want && got - want <= want / 64 + 1,
		   "p%g: %lld within 1/64 above the exact %lld", pcts[i],
		   (long long)got, (long long)want);
	}
	histogram_free(h);
	h = histogram_new();
	for (int i = 1; i <= 10; i++)
		histogram_add(h, i);
	is_int(histogram_percentile(h, 50), 5, "small values exact: p50 of 1..10");
	is_int(histogram_percentile(h, 90), 9, "p90 of 1..10");
	is_int(histogram_percentile(h, 100), 10, "p100 is the max");
	histogram_add(h, (int64_t)1 << 50);
	is_int(histogram_percentile(h, 100), (int64_t)1 << 50,
	       "huge value: max stays exact");
	histogram_free(h);

	struct message *m = malloc(sizeof *m);
	struct stats *s = stats_new();
	ok(!stats_enabled(s), "nothing enabled at first");
	ok(stats_add(s, "rpc,srt", err, sizeof err), "rpc,srt");
	ok(stats_add(s, "rpc,programs", err, sizeof err), "rpc,programs");
	ok(stats_add(s, "rpc,unanswered", err, sizeof err), "rpc,unanswered");
	ok(stats_add(s, "gluster,errors", err, sizeof err), "gluster,errors");
	ok(stats_add(s, "expert", err, sizeof err), "expert");
	ok(!stats_add(s, "rpc,bogus", err, sizeof err) &&
	   strstr(err, "unknown statistic"), "unknown -z: %s", err);
	ok(!stats_add(s, "rpc,srt,abc", err, sizeof err), "bad rpc,srt args: %s",
	   err);
	stats_set_filter_text(s, "glusterfs");

	feed_sample(s, m);

	const char *r = report(s);
	if (getenv("SHOW")) fputs(r, stdout);
	ok(strstr(r, "Filter: glusterfs\n"), "filter text shown");
	ok(strstr(r, "GlusterFS V400 LOOKUP               3       3     0.001000"
		  "     0.002000     0.003000     0.003000     0.003000"
		  "     0.002000\n"),
	   "srt: LOOKUP calls, replies, min/p50/p90/p99/max/avg");
	ok(strstr(r, "GlusterFS V400 SETATTR              2       1     0.000500"),
	   "srt: SETATTR 2 calls 1 reply");
	ok(strstr(r, "Replies to calls not seen: 1\n"), "srt: orphan reply");
	/* 7 calls; 5 replies matched (one more is an orphan); latencies
	 * 0.004, 0.5, 1, 2, 3 ms: p50 (rank 3) 1 ms, average 1.3008 ms,
	 * shown rounded to the microsecond */
	ok(strstr(r, "GlusterFS V400                     7       5     0.000004"
		  "     0.001000     0.003000     0.003000     0.003000"
		  "     0.001301\n"),
	   "programs: totals per program/version");
	ok(strstr(r, "       9 0x00000068        0  GlusterFS V400 STAT\n") &&
	   strstr(r, "      12 0x00000069        0  GlusterFS V400 SETATTR\n") &&
	   strstr(r, "Unanswered calls: 2\n"),
	   "unanswered: frames 9 and 12, by frame");
	ok(strstr(r, "ENOENT (2)                   2  GlusterFS V400 LOOKUP: 1, "
		  "GlusterFS V400 STAT: 1\n") &&
	   strstr(r, "EACCES (13)                  1  GlusterFS V400 SETATTR: 1\n") &&
	   strstr(r, "Total errors: 3\n"), "errors by errno and procedure");
	ok(strstr(r, "Malformed          1          12  bad\n"),
	   "expert: malformed count, first frame, reason");
	ok(r[0] == '=', "reports start with a rule");

	/* stats_reset: the same messages again give the same reports */
	static char first[1 << 16];
	snprintf(first, sizeof first, "%s", r);
	stats_reset(s);
	r = report(s);
	ok(strstr(r, "Unanswered calls: 0\n") && strstr(r, "Messages: 0\n") &&
	   strstr(r, "Total errors: 0\n") && !strstr(r, "LOOKUP"),
	   "after a reset: nothing counted");
	feed_sample(s, m);
	is_str(report(s), first, "after a reset, the same messages: the same "
	       "reports");
	stats_free(s);

	/* the same messages in the reports every protocol has */
	s = stats_new();
	ok(stats_add(s, "srt", err, sizeof err), "srt");
	ok(stats_add(s, "errors,glusterfs", err, sizeof err), "errors,glusterfs");
	ok(stats_add(s, "unanswered,rpc", err, sizeof err), "unanswered,rpc");
	ok(!stats_add(s, "errors,smb2", err, sizeof err) &&
	   strstr(err, "'smb2' is not a protocol"), "unknown protocol: %s",
	   err);
	feed_generic_sample(s, m);
	r = report(s);
	if (getenv("SHOW")) fputs(r, stdout);
	ok(strstr(r, "GlusterFS GlusterFS V400 LOOKUP               2       2     "
		  "0.001000     0.001000     0.002000     0.002000     0.002000"
		  "     0.001500\n"), "srt: per protocol, service, operation");
	ok(strstr(r, "GlusterFS ENOENT (2)         1  GlusterFS V400 LOOKUP: 1\n")
	   && strstr(r, "GlusterFS EACCES (13)        1  GlusterFS V400 "
		     "SETATTR: 1\n") && strstr(r, "Total errors: 2\n"),
	   "errors: by protocol and status");
	ok(strstr(r, "Protocol: ONC-RPC\n") &&
	   strstr(r, "       7               0x68        0  GlusterFS GlusterFS "
		  "V400 STAT\n") && strstr(r, "Unanswered requests: 1\n"),
	   "unanswered,rpc: GlusterFS's, which ONC-RPC carries");
	snprintf(first, sizeof first, "%s", r);
	stats_reset(s);
	r = report(s);
	ok(strstr(r, "Unanswered requests: 0\n") &&
	   strstr(r, "Total errors: 0\n") && !strstr(r, "LOOKUP"),
	   "generic reports after a reset: nothing counted");
	feed_generic_sample(s, m);
	is_str(report(s), first, "generic reports after a reset, the same "
	       "messages: the same reports");
	stats_free(s);

	/* rpc,srt,PROGRAM,VERSION keeps only that program */
	s = stats_new();
	ok(stats_add(s, "rpc,srt,1298437,330", err, sizeof err),
	   "rpc,srt,1298437,330");
	stats_message(s, call(m, 1, 1, 27, "LOOKUP"));
	r = report(s);
	ok(strstr(r, "Program: 1298437 Version: 330\n") &&
	   !strstr(r, "LOOKUP"), "version filter drops V400 rows");
	stats_free(s);

	/* a hostile stream of distinct procedures cannot grow the table */
	s = stats_new();
	stats_add(s, "rpc,srt", err, sizeof err);
	for (uint32_t p = 0; p < STATS_MAX_ROWS + 100; p++)
		stats_message(s, call(m, p + 1, p, p, NULL));
	r = report(s);
	ok(strstr(r, "(other) ") && strstr(r, "     100       0  (table full)"),
	   "table bounded, rest counted as other");
	stats_free(s);

	/* More calls than buckets, then more than the table holds: chains
	 * end in the pool while it grows (a chain's link once pointed into
	 * the pool it had left: ASan saw it, a large capture crashed), and
	 * the calls the decoder gave up are marked. */
	s = stats_new();
	stats_add(s, "rpc,unanswered", err, sizeof err);
	uint32_t n = STATS_MAX_PENDING + 1000;
	for (uint32_t x = 0; x < n; x++)
		stats_message(s, call(m, (uint64_t)x + 1, x, 1, "STAT"));
	for (uint32_t x = 0; x < 3; x++)
		stats_expired(s, 1, x, x + 1);
	stats_expired(s, 1, n - 1, n);	/* not remembered: nothing to mark */
	stats_expired(s, 2, 4, 5);	/* another connection's */
	static char big[16 << 20];
	FILE *f = fmemopen(big, sizeof big, "w");
	stats_print(s, f, NULL);
	fclose(f);
	char want[128];
	snprintf(want, sizeof want, "Unanswered calls: %u (and 1000 not "
		 "remembered: table full)\n", STATS_MAX_PENDING);
	ok(strstr(big, want) != NULL, "a full table counts the rest");
	ok(strstr(big, "       1 0x00000000        0  GlusterFS V400 STAT "
		  "[expired]\n") &&
	   strstr(big, "       3 0x00000002        0  GlusterFS V400 STAT "
		  "[expired]\n") &&
	   strstr(big, "       4 0x00000003        0  GlusterFS V400 STAT\n") &&
	   strstr(big, "       5 0x00000004        0  GlusterFS V400 STAT\n") &&
	   strstr(big, "  131072 0x0001ffff        0  GlusterFS V400 STAT\n") &&
	   strstr(big, "[expired]: 3 calls given up before the end of the "
		  "capture: reply not seen within the memory budget"),
	   "expired calls are marked, the others not");
	ok(stats_max_memory(s) > STATS_MAX_PENDING * 60 &&
	   stats_max_memory(s) < 16u << 20, "its memory is known (%zu)",
	   stats_max_memory(s));
	stats_free(s);

	/* The decoder gives a call up before its message comes here when it
	 * finds no room for it at all: the call is marked as it comes, not
	 * the older call with its XID that the report still holds; in both
	 * reports of unanswered requests. */
	s = stats_new();
	stats_add(s, "rpc,unanswered", err, sizeof err);
	stats_add(s, "unanswered", err, sizeof err);
	stats_add(s, "expert", err, sizeof err);
	stats_message(s, call(m, 10, 7, 1, "STAT"));
	stats_expired(s, 1, 7, 20);
	stats_message(s, call(m, 20, 7, 1, "STAT"));
	stats_message(s, call(m, 30, 8, 1, "STAT"));
	stats_expired(s, 1, 8, 29);	/* an older call's, gone before */
	stats_message(s, call(m, 31, 8, 1, "STAT"));
	stats_message(s, call(m, 40, 9, 1, "STAT"));
	stats_expired(s, 1, 9, 40);
	struct decoder_stats ds = { .requests = 5, .unanswered = 1,
				    .requests_expired = 2,
				    .memory_limit = 3u << 19 };
	f = fmemopen(big, sizeof big, "w");
	stats_print(s, f, &ds);
	fclose(f);
	ok(strstr(big, "      20 0x00000007        0  GlusterFS V400 STAT "
		  "[expired]\n") &&
	   strstr(big, "      31 0x00000008        0  GlusterFS V400 STAT\n") &&
	   strstr(big, "      40 0x00000009        0  GlusterFS V400 STAT "
		  "[expired]\n") &&
	   strstr(big, "Unanswered calls: 3\n[expired]: 2 calls given up"),
	   "a call given up before its message came is marked as it comes, "
	   "an older one with its XID is not");
	ok(strstr(big, "      20                0x7        0  GlusterFS GlusterFS "
		  "V400 STAT [expired]\n") &&
	   strstr(big, "      31                0x8        0  GlusterFS GlusterFS "
		  "V400 STAT\n") &&
	   strstr(big, "      40                0x9        0  GlusterFS GlusterFS "
		  "V400 STAT [expired]\n") &&
	   strstr(big, "Unanswered requests: 3\n[expired]: 2 requests given "
		  "up before the end of the capture: response not seen"),
	   "  ... in the report of every protocol's requests too");
	ok(strstr(big, "Decoder: 5 calls, 0 replies, 1 unanswered (and 2 "
		  "expired: reply not seen within the memory budget), 0 "
		  "replies to calls not seen\n") != NULL,
	   "the decoder's line counts the expired apart");
	ok(strstr(big, "Decoder: 2 requests expired, oldest first: response not "
		  "seen within the memory budget (the decoder's 1.5 MiB of "
		  "--max-memory)\n") != NULL,
	   "-z expert names the decoder's share of the budget, not the "
	   "whole as if it were --max-memory");
	stats_free(s);
	free(m);
	return tap_done();
}
