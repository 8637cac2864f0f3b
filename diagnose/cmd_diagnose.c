/* cmd_diagnose.c - tapline diagnose: the classic problems a timeline
 * holds, said in words (tapline-diagnose(1)).  It reads only the
 * timeline's views (gfapi_calls, failed_calls, unanswered_calls,
 * slow_calls) and the inputs table, never writes. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "base/message.h"
#include "cmd/commands.h"
#include "correlate/db.h"

static void usage(FILE *out)
{
	fputs(
"usage: tapline diagnose [--slow SECONDS] [--limit N] TIMELINE.db\n"
"\n"
"Reads a timeline made by 'tapline correlate' and says what went wrong,\n"
"worst first:\n"
"  calls that never returned   a glfs_* call still running at the end of\n"
"                              its process's records, with every RPC it\n"
"                              sent and the replies it got\n"
"  connections that failed     SYNs never answered, refused by a reset or\n"
"                              an ICMP port unreachable, or answered by\n"
"                              another ICMP destination unreachable\n"
"  calls that returned an error a glfs_* call's -1 and errno, with its RPCs\n"
"  failed calls                replies with an error, by procedure and\n"
"                              error, with the glfs_* call that sent them\n"
"  calls without a reply       requests the captures never saw answered\n"
"  slow calls                  replies later than --slow seconds\n"
"Each line names the frame and capture, so 'tapline decode -V -Y\n"
"frame.number==N CAPTURE' shows the message.  The timeline is opened\n"
"read-only.\n"
"\n"
"Options:\n"
"      --slow SECONDS  a reply this late is slow (default 1; 0 lists none)\n"
"      --limit N       lines per kind of problem (default 10; 0: all)\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 0 the report was printed (whatever it found), 1 the\n"
"timeline could not be read, 2 usage error.\n", out);
}

struct report {
	sqlite3 *db;
	const char *path;
	long limit;		/* 0: no limit */
	int64_t slow_ns;	/* 0: none */
	unsigned problems;
	bool failed;
};

/* inputs.file (i.file) without its directories, in SQL: what is left
 * once everything up to the last '/' is trimmed. */
#define FILE_NAME_SQL \
	"replace(i.file, rtrim(i.file, replace(i.file, '/', '')), '')"

static sqlite3_stmt *prepare(struct report *r, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "tapline diagnose: %s: %s\n", r->path,
			sqlite3_errmsg(r->db));
		r->failed = true;
		return NULL;
	}
	return st;
}

/* The next row: true with a row, false at the end or on an error. */
static bool next_row(struct report *r, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "tapline diagnose: %s: %s\n", r->path,
			sqlite3_errmsg(r->db));
		r->failed = true;
	}
	return false;
}

static const char *text(sqlite3_stmt *st, int i, const char *absent)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : absent;
}

static bool null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

/* "2026-12-06 10:02:20.969322450" (UTC) */
static void format_time(char *buf, size_t size, int64_t ns)
{
	time_t s = (time_t)(ns / 1000000000);
	struct tm tm;
	if (ns < 0 || !gmtime_r(&s, &tm)) {
		snprintf(buf, size, "?");
		return;
	}
	size_t n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%09" PRId64, ns % 1000000000);
}

/* "8.003 s", "412 us" */
static void format_duration(char *buf, size_t size, int64_t ns)
{
	if (ns >= 1000000000)
		snprintf(buf, size, "%.3f s", (double)ns / 1e9);
	else if (ns >= 1000000)
		snprintf(buf, size, "%.3f ms", (double)ns / 1e6);
	else
		snprintf(buf, size, "%" PRId64 " us", ns / 1000);
}

/* ", op_ret -1 op_errno 13 (EACCES)" from a reply's columns. */
static void format_result(char *buf, size_t size, sqlite3_stmt *st,
			  int op_ret, int op_errno, int errno_name)
{
	buf[0] = '\0';
	if (null(st, op_ret))
		return;
	int n = snprintf(buf, size, ": op_ret %lld",
			 (long long)sqlite3_column_int64(st, op_ret));
	if (sqlite3_column_int64(st, op_ret) < 0 && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " op_errno %lld%s%s%s",
			 (long long)sqlite3_column_int64(st, op_errno),
			 null(st, errno_name) ? "" : " (",
			 text(st, errno_name, ""),
			 null(st, errno_name) ? "" : ")");
}

/* "glfs_init" for the probe "gfapi.init" (the function's name). */
static void print_call(const char *probe)
{
	if (!strncmp(probe, "gfapi.", 6))
		printf("glfs_%s", probe + 6);
	else
		fputs(probe, stdout);
}

static void heading(struct report *r, const char *title, long count)
{
	printf("\n%s (%ld):\n", title, count);
	r->problems += (unsigned)count;
}

static void more(struct report *r, long shown, long count)
{
	if (r->limit && count > shown)
		printf("  ... and %ld more (--limit 0 lists all)\n", count - shown);
}

/* How many rows a query gives: the count(*) of its first column. */
static long count_of(struct report *r, const char *sql)
{
	sqlite3_stmt *st = prepare(r, sql);
	long n = st && next_row(r, st) ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return n;
}

static void overview(struct report *r)
{
	sqlite3_stmt *st = prepare(r,
		"SELECT (SELECT count(*) FROM inputs WHERE kind = 'capture'),"
		" (SELECT count(*) FROM inputs WHERE kind = 'records'),"
		" (SELECT count(*) FROM rpc_messages),"
		" (SELECT count(*) FROM probe_events),"
		" (SELECT min(first_ts_ns) FROM inputs),"
		" (SELECT max(last_ts_ns) FROM inputs)");
	if (st && next_row(r, st)) {
		char from[48], to[48];
		format_time(from, sizeof from, sqlite3_column_int64(st, 4));
		format_time(to, sizeof to, sqlite3_column_int64(st, 5));
		printf("%s: %lld capture(s), %lld record file(s); %lld RPC"
		       " messages, %lld probe events; %s to %s UTC\n", r->path,
		       (long long)sqlite3_column_int64(st, 0),
		       (long long)sqlite3_column_int64(st, 1),
		       (long long)sqlite3_column_int64(st, 2),
		       (long long)sqlite3_column_int64(st, 3),
		       null(st, 4) ? "?" : from, null(st, 5) ? "?" : to);
	}
	sqlite3_finalize(st);
}

/* The RPCs a call is linked to, one line each. */
static void call_rpcs(struct report *r, sqlite3_stmt *rpcs, int64_t event)
{
	sqlite3_reset(rpcs);
	sqlite3_bind_int64(rpcs, 1, event);
	while (next_row(r, rpcs)) {
		char result[96];
		format_result(result, sizeof result, rpcs, 4, 5, 6);
		printf("    sent %-12s frame %lld (%s)", text(rpcs, 0, "?"),
		       (long long)sqlite3_column_int64(rpcs, 1),
		       text(rpcs, 2, "?"));
		if (null(rpcs, 3))
			printf(", no reply\n");
		else
			printf(", reply frame %lld%s\n",
			       (long long)sqlite3_column_int64(rpcs, 3), result);
	}
}

/* Calls of the programs (gfapi_calls' events), one paragraph each: the
 * call, then every RPC linked to it.  The query's columns: event, probe,
 * comm, pid, tid, host, entry ts, then what tail() prints. */
static void calls_with_rpcs(struct report *r, const char *title,
			    const char *count_sql, const char *calls_sql,
			    void (*tail)(sqlite3_stmt *st))
{
	long count = count_of(r, count_sql);
	if (!count)
		return;
	heading(r, title, count);
	sqlite3_stmt *calls = prepare(r, calls_sql);
	sqlite3_stmt *rpcs = prepare(r,
		"SELECT g.proc_name, g.call_frame, " FILE_NAME_SQL ","
		" g.reply_frame, g.op_ret,"
		" g.op_errno, g.errno_name"
		" FROM gfapi_calls g JOIN rpc_messages m ON m.id = g.call"
		" JOIN inputs i ON i.id = m.input"
		" WHERE g.event = ?1 ORDER BY m.ts_ns, m.id");
	long shown = 0;
	while (calls && rpcs && (!r->limit || shown < r->limit) &&
	       next_row(r, calls)) {
		char at[48];
		format_time(at, sizeof at, sqlite3_column_int64(calls, 6));
		fputs("  ", stdout);
		print_call(text(calls, 1, "?"));
		printf(" in %s[%lld/%lld]%s%s, entered %s UTC: ",
		       text(calls, 2, "?"),
		       (long long)sqlite3_column_int64(calls, 3),
		       (long long)sqlite3_column_int64(calls, 4),
		       null(calls, 5) ? "" : " on ", text(calls, 5, ""), at);
		tail(calls);
		call_rpcs(r, rpcs, sqlite3_column_int64(calls, 0));
		shown++;
	}
	more(r, shown, count);
	sqlite3_finalize(calls);
	sqlite3_finalize(rpcs);
}

/* column 7: elapsed_ns (to the end of the process's records) */
static void still_running(sqlite3_stmt *st)
{
	char running[32];
	format_duration(running, sizeof running, sqlite3_column_int64(st, 7));
	printf("still running %s later, at the end of its process's"
	       " records\n", running);
}

static void never_returned(struct report *r)
{
	calls_with_rpcs(r, "Calls that never returned",
		"SELECT count(DISTINCT event) FROM gfapi_calls"
		" WHERE returned = 0",
		"SELECT event, probe, comm, pid, tid, host, ts_ns, elapsed_ns"
		" FROM gfapi_calls WHERE returned = 0 GROUP BY event"
		" ORDER BY elapsed_ns DESC, event", still_running);
}

/* columns 7-9: ret, errno, duration_ns */
static void returned_error(sqlite3_stmt *st)
{
	printf("returned %lld", (long long)sqlite3_column_int64(st, 7));
	if (!null(st, 8)) {
		int64_t e = sqlite3_column_int64(st, 8);
		const char *name = errno_name(e);
		printf(" errno %lld%s%s%s", (long long)e, name ? " (" : "",
		       name ? name : "", name ? ")" : "");
	}
	char took[32] = "?";
	if (!null(st, 9))
		format_duration(took, sizeof took, sqlite3_column_int64(st, 9));
	printf(" after %s\n", took);
}

static void returned_errors(struct report *r)
{
	calls_with_rpcs(r, "Calls that returned an error",
		"SELECT count(DISTINCT event) FROM gfapi_calls"
		" WHERE returned = 1 AND ret < 0",
		"SELECT event, probe, comm, pid, tid, host, ts_ns, ret, errno,"
		" duration_ns FROM gfapi_calls WHERE returned = 1 AND ret < 0"
		" GROUP BY event ORDER BY ts_ns, event", returned_error);
}

static void failed_connections(struct report *r)
{
	long count = count_of(r, "SELECT count(*) FROM unanswered_calls"
			      " WHERE message IS NULL");
	if (!count)
		return;
	heading(r, "Connections that failed", count);
	sqlite3_stmt *st = prepare(r,
		"SELECT u.dst, u.what, u.src, u.client_pid, u.ts_ns,"
		" " FILE_NAME_SQL
		" FROM unanswered_calls u JOIN inputs i ON i.id = u.input"
		" WHERE u.message IS NULL ORDER BY u.ts_ns");
	long shown = 0;
	while (st && (!r->limit || shown < r->limit) && next_row(r, st)) {
		char at[48];
		format_time(at, sizeof at, sqlite3_column_int64(st, 4));
		printf("  %s: %s, from %s", text(st, 0, "?"), text(st, 1, "?"),
		       text(st, 2, "?"));
		if (!null(st, 3))
			printf(" (pid %lld)", (long long)sqlite3_column_int64(st, 3));
		printf(", at %s UTC (%s)\n", at, text(st, 5, "?"));
		shown++;
	}
	more(r, shown, count);
	sqlite3_finalize(st);
	/* What "unanswered" can hide: ICMP errors are on no port, and a
	 * capture filtered by ports leaves them out. */
	if (count_of(r, "SELECT count(*) FROM conversations"
			" WHERE state = 'syn-sent'"))
		printf("  (unanswered: no SYN-ACK, reset or ICMP error in the"
		       " capture -- a firewall that drops, a host that is"
		       " down, or ICMP errors a capture filter of ports left"
		       " out; capture with 'or icmp or icmp6')\n");
}

static void failed_calls(struct report *r)
{
	static const char groups[] =
		" FROM failed_calls f JOIN inputs i ON i.id = f.input"
		" GROUP BY f.program_name, f.proc_name, f.op_errno,"
		" f.reply_state, f.accept_state";
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1%s)", groups);
	long count = count_of(r, sql);
	if (!count)
		return;
	heading(r, "Failed calls, by procedure and error", count);
	snprintf(sql, sizeof sql,
		 "WITH g AS (SELECT coalesce(f.program_name, '?') AS program,"
		 " coalesce(f.proc_name, '?') AS proc, count(*) AS n,"
		 " min(f.frame) AS frame, f.op_ret, f.op_errno, f.errno_name,"
		 " f.reply_state, f.accept_state, " FILE_NAME_SQL " AS file,"
		 " min(f.call) AS call,"
		 " min(f.ts_ns) AS ts_ns%s)"
		 " SELECT program, proc, n, frame, op_ret, op_errno, errno_name,"
		 " reply_state, accept_state, file,"
		 " (SELECT e.probe FROM links l JOIN probe_events e ON"
		 "  e.id = l.event WHERE l.message = g.call"
		 "  AND e.probe GLOB 'gfapi.*' ORDER BY l.confidence DESC"
		 "  LIMIT 1) FROM g ORDER BY n DESC, ts_ns", groups);
	sqlite3_stmt *st = prepare(r, sql);
	long shown = 0;
	while (st && (!r->limit || shown < r->limit) && next_row(r, st)) {
		char result[96] = "";
		if (!null(st, 4))
			format_result(result, sizeof result, st, 4, 5, 6);
		else
			snprintf(result, sizeof result, ": reply state %lld,"
				 " accept state %lld",
				 (long long)sqlite3_column_int64(st, 7),
				 (long long)sqlite3_column_int64(st, 8));
		long long n = (long long)sqlite3_column_int64(st, 2);
		printf("  %s %s%s: %lld repl%s, first at frame %lld (%s)",
		       text(st, 0, "?"), text(st, 1, "?"), result, n,
		       n == 1 ? "y" : "ies",
		       (long long)sqlite3_column_int64(st, 3), text(st, 9, "?"));
		if (!null(st, 10)) {
			fputs(", sent by ", stdout);
			print_call(text(st, 10, "?"));
		}
		putchar('\n');
		shown++;
	}
	more(r, shown, count);
	sqlite3_finalize(st);
}

static void unanswered(struct report *r)
{
	static const char groups[] =
		" FROM unanswered_calls u JOIN inputs i ON i.id = u.input"
		" WHERE u.message IS NOT NULL"
		" GROUP BY u.program_name, u.proc_name, u.dst";
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1%s)", groups);
	long count = count_of(r, sql);
	if (!count)
		return;
	heading(r, "Calls without a reply, by procedure and server", count);
	snprintf(sql, sizeof sql,
		 "SELECT coalesce(u.program_name, '?'), coalesce(u.proc_name,"
		 " '?'), u.dst, count(*), min(u.frame),"
		 " " FILE_NAME_SQL
		 "%s ORDER BY count(*) DESC, min(u.ts_ns)", groups);
	sqlite3_stmt *st = prepare(r, sql);
	long shown = 0;
	while (st && (!r->limit || shown < r->limit) && next_row(r, st)) {
		long long n = (long long)sqlite3_column_int64(st, 3);
		printf("  %s %s to %s: %lld call%s, first at frame %lld (%s)\n",
		       text(st, 0, "?"), text(st, 1, "?"), text(st, 2, "?"), n,
		       n == 1 ? "" : "s", (long long)sqlite3_column_int64(st, 4),
		       text(st, 5, "?"));
		shown++;
	}
	more(r, shown, count);
	sqlite3_finalize(st);
}

static void slow(struct report *r)
{
	if (!r->slow_ns)
		return;
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM slow_calls"
		 " WHERE latency_ns >= %" PRId64, r->slow_ns);
	long count = count_of(r, sql);
	if (!count)
		return;
	char limit[32];
	format_duration(limit, sizeof limit, r->slow_ns);
	char title[96];
	snprintf(title, sizeof title, "Calls answered after %s or more", limit);
	heading(r, title, count);
	snprintf(sql, sizeof sql,
		 "SELECT coalesce(s.program_name, '?'), coalesce(s.proc_name,"
		 " '?'), s.latency_ns, s.frame, s.reply_frame,"
		 " " FILE_NAME_SQL
		 " FROM slow_calls s JOIN inputs i ON i.id = s.input"
		 " WHERE s.latency_ns >= %" PRId64
		 " ORDER BY s.latency_ns DESC, s.call", r->slow_ns);
	sqlite3_stmt *st = prepare(r, sql);
	long shown = 0;
	while (st && (!r->limit || shown < r->limit) && next_row(r, st)) {
		char took[32];
		format_duration(took, sizeof took, sqlite3_column_int64(st, 2));
		printf("  %s %s: %s, frame %lld answered at frame %lld (%s)\n",
		       text(st, 0, "?"), text(st, 1, "?"), took,
		       (long long)sqlite3_column_int64(st, 3),
		       (long long)sqlite3_column_int64(st, 4), text(st, 5, "?"));
		shown++;
	}
	more(r, shown, count);
	sqlite3_finalize(st);
}

int cmd_diagnose(int argc, char **argv)
{
	static const struct option options[] = {
		{ "slow", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report r = { .limit = 10, .slow_ns = 1000000000 };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		char *end;
		switch (c) {
		case 's': {
			double s = strtod(optarg, &end);
			if (end == optarg || *end || !(s >= 0) || s > 1e9) {
				fprintf(stderr, "tapline diagnose: --slow: '%s' is"
					" not a number of seconds\n", optarg);
				return 2;
			}
			r.slow_ns = (int64_t)(s * 1e9);
			break;
		}
		case 'l':
			r.limit = strtol(optarg, &end, 10);
			if (end == optarg || *end || r.limit < 0) {
				fprintf(stderr, "tapline diagnose: --limit: '%s' is"
					" not a count\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "tapline diagnose: %s\n", argc == optind ?
			"which timeline? (tapline diagnose TIMELINE.db)" :
			"one timeline at a time");
		usage(stderr);
		return 2;
	}
	r.path = argv[optind];
	if (!(r.db = db_open_readonly("diagnose", r.path)))
		return 1;
	overview(&r);
	never_returned(&r);
	failed_connections(&r);
	returned_errors(&r);
	failed_calls(&r);
	unanswered(&r);
	slow(&r);
	if (!r.failed && !r.problems)
		printf("\nNo problem found: every call returned, every"
		       " connection was answered, every reply succeeded.\n");
	sqlite3_close(r.db);
	return r.failed ? 1 : 0;
}
