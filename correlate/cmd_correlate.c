/* cmd_correlate.c - tapline correlate: captures and probe records into one
 * SQLite timeline (tapline-correlate(1)). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "db.h"
#include "ingest.h"
#include "join.h"
#include "memory.h"
#include "records.h"
#include "sha256.h"

static void usage(FILE *out)
{
	fputs(
"usage: tapline correlate -o TIMELINE.db [-q] [--progress|--no-progress]\n"
"                         [--max-memory SIZE] INPUT...\n"
"\n"
"Joins what programs did (probe records from the SystemTap scripts or\n"
"'tapline record') with what went over the wire (pcap/pcapng captures,\n"
"gzip-compressed or not, from any number of hosts) into one SQLite\n"
"database: every RPC message and probe event on one realtime axis, with\n"
"links between them that say how they were found and how sure they are.\n"
"\n"
"Inputs are told apart by content: a capture starts with a pcap, pcapng\n"
"or gzip magic; a record file's first line is a 'tapline-records'\n"
"header.  Each input is added in one transaction: an interrupted run\n"
"leaves the database as it was.  Inputs are fingerprinted (SHA-256 of\n"
"their bytes), so running again with more inputs adds only the new ones;\n"
"the links are then recomputed over everything.\n"
"\n"
"Options:\n"
"  -o, --output FILE   the timeline database; created if missing, added\n"
"                      to if it exists (required)\n"
"  -q, --quiet         no summary on stderr (errors, malformed record\n"
"                      lines and what the memory budget gave up are\n"
"                      still reported)\n"
"      --progress      show progress even when stderr is not a terminal\n"
"      --no-progress   never show progress (default: on a terminal)\n"
"      --max-memory SIZE\n"
"                      the most memory the run takes (peak resident),\n"
"                      whatever the inputs: bytes, or with K, M, G\n"
"                      (default 64M, at least 24M).  The decoder, the\n"
"                      rows between the threads, the connection tables\n"
"                      and SQLite's cache each get a share; at a share's\n"
"                      end the run slows down (rows wait, pages are\n"
"                      written out sooner) and, in the decoder only,\n"
"                      gives up what tapline decode would (counted and\n"
"                      said on stderr)\n"
"  -h, --help          this text\n"
"\n"
"Joins (the links table; method and confidence on every row):\n"
"  exact-xid    a probe event with an XID (rpc.call, rpc.reply) and the\n"
"               call/reply with that XID on its process's connection\n"
"  time-window  a glfs_* call and the RPCs its process sent between entry\n"
"               and return (a call that never returned: to the process's\n"
"               last record); a fitting procedure (glfs_utimens: SETATTR)\n"
"               on the gfid of the call's path first, any other when no\n"
"               call that fits and no other thread's call was in flight;\n"
"               work left behind after return is its call's (write-behind\n"
"               WRITEs, RELEASE after glfs_close)\n"
"  nesting      a probe event inside another's entry..return on the same\n"
"               thread\n"
"A process's connections are known from the SETVOLUME call's\n"
"process-uuid (PID:, HOST:), from the pid in its calls' GlusterFS\n"
"credentials, or from XIDs that only one connection carries.\n"
"\n"
"Tables: inputs, record_sessions, clock_offsets, conversations,\n"
"messages (every protocol), probe_events, links.  Views: rpc_messages,\n"
"cql_messages, ceph_messages, scylla_messages, timeline, unanswered_calls,\n"
"failed_calls, slow_calls, gfapi_calls (bodies: tapline sql).  Version-1\n"
"and -2 timelines are upgraded in place.  See tapline-correlate(1).\n"
"\n"
"Example:\n"
"  tapline correlate -o t.db client.pcap client.records\n"
"  sqlite3 t.db \"SELECT time, summary FROM timeline ORDER BY ts_ns\"\n"
"\n"
"Exit status: 0 all inputs added (or already there), 1 an input could not\n"
"be read or the database failed, 2 usage error.\n", out);
}

enum input_kind { KIND_UNKNOWN, KIND_CAPTURE, KIND_RECORDS };

static enum input_kind sniff(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return KIND_UNKNOWN;
	}
	uint8_t head[4096];
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	static const uint8_t magics[][4] = {
		{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },
		{ 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },
		{ 0x0a, 0x0d, 0x0d, 0x0a },
	};
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (n >= 4 && !memcmp(head, magics[i], 4))
			return KIND_CAPTURE;
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return KIND_CAPTURE;	/* gzip: capture.c inflates it */
	if (records_sniff(head, n))
		return KIND_RECORDS;
	snprintf(err, errlen, "%s: neither a capture (pcap, pcapng, gzip) nor"
		 " a record file (first line 'tapline-records 1 ...')", path);
	return KIND_UNKNOWN;
}

static int64_t realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Fingerprinting a new input runs beside its ingest, on another core. */
struct hash_job {
	const char *path;
	char fingerprint[72];
	uint64_t size;
	int rc, err;
};

static void *hash_thread(void *arg)
{
	struct hash_job *j = arg;
	j->rc = sha256_file(j->path, j->fingerprint, &j->size);
	j->err = errno;
	return NULL;
}

/* Whether an input of that size is in the database: only then can this
 * one be a duplicate, and its fingerprint is needed before ingesting. */
static int size_known(struct db *db, uint64_t size)
{
	sqlite3_stmt *st = db_stmt(db, ST_INPUT_BY_SIZE);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)size);
	int rc = db_row(db, st);
	sqlite3_reset(st);
	return rc;
}

/* After a failed transaction: "SUBJECT: FAILED; AS_BEFORE" when the
 * database is as it was, else what remains.  (After a full disk SQLite
 * may keep the undo journal when it cannot play it back at once.) */
static void undone(struct db *db, const char *subject, const char *failed,
		   const char *as_before)
{
	/* The error that caused it, held (db.h), and what it cost: one
	 * line. */
	char why[sizeof db->failure + 2] = "";
	if (db->failure[0])
		snprintf(why, sizeof why, "%s; ", db->failure);
	db->failure[0] = '\0';
	int64_t left = 0;
	if (db_rollback(db, &left)) {
		fprintf(stderr, "tapline correlate: %s%s: %s; %s\n", why,
			subject, failed, as_before);
		return;
	}
	const char *journal = db_journal_path(db);
	fprintf(stderr, "tapline correlate: %s%s: %s; %s (%lld bytes) still"
		" holds the pages that undo it: the next tapline correlate or"
		" sqlite3 that opens %s with room to write plays it back\n",
		why, subject, failed, journal ? journal : "the journal",
		(long long)left, db->path);
}

/* 1 added, 0 already there, -1 read error (reported), -2 database error. */
static int add_input(struct db *db, const char *path, bool quiet,
		     bool progress, const struct memory_plan *mem)
{
	char err[600];
	enum input_kind kind = sniff(path, err, sizeof err);
	if (kind == KIND_UNKNOWN) {
		fprintf(stderr, "tapline correlate: %s\n", err);
		return -1;
	}
	struct hash_job job = { .path = path };
	struct stat sb;
	if (stat(path, &sb) < 0) {
		fprintf(stderr, "tapline correlate: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	uint64_t size = (uint64_t)sb.st_size;
	/* From the look for the same input to the commit, one transaction:
	 * runs adding the same file at once add it once. */
	if (!db_begin(db))
		return -2;
	pthread_t hasher;
	bool hashing = false;
	int same_size = size_known(db, size);
	if (same_size < 0)
		goto db_failed;
	if (!same_size && S_ISREG(sb.st_mode) &&
	    pthread_create(&hasher, NULL, hash_thread, &job) == 0) {
		hashing = true;	/* new for sure: no input has its size */
	} else {
		if (progress) {
			fprintf(stderr, "%s: fingerprinting...", path);
			fflush(stderr);
		}
		hash_thread(&job);
		if (progress)
			fputs("\r\033[K", stderr);
		if (job.rc < 0) {
			db_rollback(db, NULL);
			fprintf(stderr, "tapline correlate: %s: %s\n", path,
				strerror(job.err));
			return -1;
		}
		size = job.size;
		sqlite3_stmt *st = db_stmt(db, ST_INPUT_BY_FINGERPRINT);
		if (!st)
			goto db_failed;
		sqlite3_bind_text(st, 1, job.fingerprint, -1, SQLITE_STATIC);
		int rc = db_row(db, st);
		if (rc == 1 && !quiet)
			fprintf(stderr, "%s: already in %s as input %lld (%s):"
				" nothing added\n", path, db->path,
				(long long)sqlite3_column_int64(st, 0),
				sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		if (rc < 0)
			goto db_failed;
		if (rc == 1) {
			db_rollback(db, NULL);	/* nothing was written */
			return 0;
		}
	}
	sqlite3_stmt *st;

	struct input_summary sum = { .path = path, .size = size };
	struct progress prog = {
		.out = progress ? stderr : NULL, .label = path, .total = size,
	};
	bool ok;
	st = db_stmt(db, ST_INPUT_INSERT);
	if (!st)
		goto db_failed;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind == KIND_CAPTURE ? "capture" : "records",
			  -1, SQLITE_STATIC);
	/* Unique meanwhile: one input at a time is being added. */
	sqlite3_bind_text(st, 3, hashing ? "sha256:pending" : job.fingerprint,
			  -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)size);
	sqlite3_bind_int64(st, 5, realtime_ns());
	if (kind == KIND_CAPTURE) {
		sqlite3_bind_text(st, 6, "realtime", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, 0);
	}
	if (!db_done(db, st))
		goto db_failed;
	sum.id = sqlite3_last_insert_rowid(db->handle);
	ok = kind == KIND_CAPTURE ? ingest_capture(db, &sum, &prog, mem) :
	     ingest_records(db, &sum, &prog, stderr);
	if (hashing) {
		pthread_join(hasher, NULL);
		hashing = false;
		if (job.rc < 0) {
			db_rollback(db, NULL);
			fprintf(stderr, "tapline correlate: %s: %s\n", path,
				strerror(job.err));
			return -1;
		}
		if (ok) {
			st = db_stmt(db, ST_INPUT_FINGERPRINT);
			ok = st != NULL;
			if (st) {
				sqlite3_bind_int64(st, 1, sum.id);
				sqlite3_bind_text(st, 2, job.fingerprint, -1,
						  SQLITE_STATIC);
				ok = db_done(db, st);
			}
		}
	}
	if (ok && sum.unreadable) {
		/* Nothing was read: no trace of it, so a fixed file can come. */
		db_rollback(db, NULL);
		fprintf(stderr, "tapline correlate: %s\n", sum.error);
		return -1;
	}
	if (!ok || !ingest_finish(db, &sum) || !db_commit(db))
		goto db_failed;
	if (sum.error[0])
		fprintf(stderr, "tapline correlate: %s\n", sum.error);
	if (!quiet) {
		if (kind == KIND_CAPTURE)
			fprintf(stderr, "%s: capture, %" PRIu64 " frames, %"
				PRIu64 " messages (%" PRIu64 " with a bad"
				" verdict), %" PRIu64 " connections\n", path,
				sum.frames, sum.messages, sum.malformed,
				sum.conversations);
		else
			fprintf(stderr, "%s: records (host %s, clock %s), %"
				PRIu64 " events, %" PRIu64 " malformed lines"
				" skipped\n", path, sum.host[0] ? sum.host : "?",
				sum.clock[0] ? sum.clock : "?", sum.events,
				sum.malformed);
	}
	/* What the budget cost the timeline is said even under -q, as
	 * malformed record lines are. */
	if (sum.connections_given_up || sum.buffers_given_up)
		fprintf(stderr, "tapline correlate: %s: at the decoder's share"
			" of --max-memory %zuM: %" PRIu64 " connections given"
			" up before their end (a later message of one starts a"
			" new connection row), %" PRIu64 " held pieces of"
			" stream given up (bytes behind a hole, or kept to"
			" detect the protocol); a bigger --max-memory keeps"
			" more\n", path, mem->total >> 20,
			sum.connections_given_up, sum.buffers_given_up);
	/* A file that stopped early is kept with what it held, and says so
	 * in inputs.error; the run still fails. */
	return sum.error[0] ? -1 : 1;

db_failed:
	if (hashing)
		pthread_join(hasher, NULL);
	undone(db, path, "not added", "the database is as it was");
	return -2;
}

int cmd_correlate(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, 'P' },
		{ "no-progress", no_argument, NULL, 'N' },
		{ "max-memory", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL;
	bool quiet = false;
	int progress = -1;	/* -1: on a terminal */
	size_t max_memory = MEMORY_DEFAULT;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", options, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'q': quiet = true; break;
		case 'P': progress = 1; break;
		case 'N': progress = 0; break;
		case 'M':
			if (!memory_parse_size(optarg, &max_memory)) {
				fprintf(stderr, "tapline correlate: --max-memory"
					" %s: not a size (bytes, or a number"
					" with K, M or G)\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default:
			fputs("Try 'tapline correlate --help'.\n", stderr);
			return 2;
		}
	}
	if (!output) {
		fputs("tapline correlate: -o TIMELINE.db is required\n"
		      "Try 'tapline correlate --help'.\n", stderr);
		return 2;
	}
	if (optind == argc) {
		fputs("tapline correlate: no INPUT (captures or record files)\n"
		      "Try 'tapline correlate --help'.\n", stderr);
		return 2;
	}
	bool show_progress = progress < 0 ? !quiet && isatty(2) : progress;
	struct memory_plan mem;
	if (!memory_plan(&mem, max_memory)) {
		fprintf(stderr, "tapline correlate: --max-memory %zu MiB: at"
			" least %zu MiB\n", max_memory >> 20, MEMORY_MIN >> 20);
		return 2;
	}

	/* One thread at a time uses SQLite (the writer hands the
	 * connection back before the caller's thread uses it): no mutex
	 * around every allocation and page, which cost the writer a tenth
	 * of its time.  The memory accounting the soft limit needs stays. */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	struct db db;
	if (!db_open(&db, output, quiet))
		return 1;
	if (!db_limit_memory(&db, mem.sqlite, mem.page_cache)) {
		db_close(&db);
		return 1;
	}
	int status = 0;
	for (int i = optind; i < argc; i++) {
		db.hold_failure = true;
		int rc = add_input(&db, argv[i], quiet, show_progress, &mem);
		db_flush_failure(&db);
		if (rc == -2) {
			db_close(&db);
			return 1;
		}
		if (rc < 0)
			status = 1;
	}

	struct join_stats js;
	db.hold_failure = true;
	if (!db_begin(&db) || !join_all(&db, &js, quiet ? NULL : stderr) ||
	    !db_commit(&db)) {
		undone(&db, output, "joining failed", "the links are as"
		       " before");
		db_flush_failure(&db);
		db_close(&db);
		return 1;
	}
	db_flush_failure(&db);
	if (!quiet)
		fprintf(stderr, "%s: %" PRIu64 " of %" PRIu64 " probe events with"
			" an XID linked (%" PRIu64 " ambiguous), %" PRIu64
			" of %" PRIu64 " library calls linked by time window"
			" (%" PRIu64 " links), %" PRIu64 " nested events\n",
			output, js.xid_linked, js.xid_events,
			js.xid_ambiguous, js.window_linked, js.window_calls,
			js.window_links, js.nesting_links);
	db_close(&db);
	return status;
}
