/* join.c - probe events joined with the decoded messages of every
 * protocol: entry/return pairs, clock offsets between captures, and the
 * links (exact exchange id, time window with procedure fit, nesting).
 * Only the generic columns of messages are read (docs/core.md: kind,
 * exchange_id, service_code, op_code, request/response), so a protocol
 * joins as soon as its decoder fills them; GlusterFS's procedure lists
 * and file names are evidence on its own messages only.  Every link
 * records its method and a confidence; nothing is linked silently by a
 * guess. */
#include "join.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static sqlite3_stmt *prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->handle, sql, -1, &st, NULL) != SQLITE_OK) {
		db_report(db, db->doing);
		return NULL;
	}
	return st;
}

/* 1 when the query (SELECT 1 ... LIMIT 1) finds a row, 0 when it finds
 * none, -1 when it fails (said). */
static int any_row(struct db *db, const char *sql)
{
	sqlite3_stmt *st = prepare(db, sql);
	if (!st)
		return -1;
	int rc = db_row(db, st);
	sqlite3_finalize(st);
	return rc;
}

static bool column_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

static const char *column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : NULL;
}

/* ---- procedure fit ---- */

struct fit {
	const char *call;	/* after "gfapi." */
	const char *procs[6];
};

/* Which RPCs a glfs_* call sends (GlusterFS 10 client stack).  Path calls
 * also resolve the path (LOOKUP), which is not listed: a LOOKUP may come
 * from the cache-less resolve of any call. */
static const struct fit fits[] = {
	{ "utimens", { "SETATTR" } },
	{ "lutimens", { "SETATTR" } },
	{ "futimens", { "FSETATTR", "SETATTR" } },
	{ "setattr", { "SETATTR" } },
	{ "fsetattr", { "FSETATTR", "SETATTR" } },
	{ "chmod", { "SETATTR" } },
	{ "chown", { "SETATTR" } },
	{ "lchown", { "SETATTR" } },
	{ "fchmod", { "FSETATTR", "SETATTR" } },
	{ "fchown", { "FSETATTR", "SETATTR" } },
	{ "write", { "WRITE" } },
	{ "pwrite", { "WRITE" } },
	{ "writev", { "WRITE" } },
	{ "pwritev", { "WRITE" } },
	{ "read", { "READ" } },
	{ "pread", { "READ" } },
	{ "readv", { "READ" } },
	{ "preadv", { "READ" } },
	{ "creat", { "CREATE" } },
	{ "open", { "OPEN" } },
	{ "opendir", { "OPENDIR" } },
	{ "close", { "FLUSH", "RELEASE" } },
	{ "closedir", { "RELEASEDIR" } },
	{ "stat", { "LOOKUP", "STAT" } },
	{ "lstat", { "LOOKUP", "STAT" } },
	{ "fstat", { "FSTAT" } },
	{ "statvfs", { "STATFS" } },
	{ "access", { "ACCESS" } },
	{ "mkdir", { "MKDIR" } },
	{ "mknod", { "MKNOD" } },
	{ "rmdir", { "RMDIR" } },
	{ "unlink", { "UNLINK" } },
	{ "rename", { "RENAME" } },
	{ "link", { "LINK" } },
	{ "symlink", { "SYMLINK" } },
	{ "readlink", { "READLINK" } },
	{ "truncate", { "TRUNCATE" } },
	{ "ftruncate", { "FTRUNCATE" } },
	{ "fsync", { "FSYNC" } },
	{ "fdatasync", { "FSYNC" } },
	{ "fallocate", { "FALLOCATE" } },
	{ "discard", { "DISCARD" } },
	{ "zerofill", { "ZEROFILL" } },
	{ "lseek", { "SEEK" } },
	{ "getxattr", { "GETXATTR" } },
	{ "lgetxattr", { "GETXATTR" } },
	{ "fgetxattr", { "FGETXATTR" } },
	{ "listxattr", { "GETXATTR" } },
	{ "flistxattr", { "FGETXATTR" } },
	{ "setxattr", { "SETXATTR" } },
	{ "lsetxattr", { "SETXATTR" } },
	{ "fsetxattr", { "FSETXATTR" } },
	{ "removexattr", { "REMOVEXATTR" } },
	{ "lremovexattr", { "REMOVEXATTR" } },
	{ "fremovexattr", { "FREMOVEXATTR" } },
	{ "posix_lock", { "LK" } },
	{ "copy_file_range", { "COPY_FILE_RANGE" } },
	/* glfs_init fetches the volfile from glusterd, then connects to
	 * each brick: versions, port, handshake. */
	{ "init", { "GETSPEC", "DUMP", "PORTBYBRICK", "PMAP_PORTBYBRICK",
		    "SETVOLUME" } },
};

const char *const *join_fitting_procs(const char *probe)
{
	if (strncmp(probe, "gfapi.", 6))
		return NULL;
	for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++)
		if (!strcmp(probe + 6, fits[i].call))
			return fits[i].procs;
	return NULL;
}

static bool fits_proc(const char *const *procs, const char *proc)
{
	if (!procs || !proc)
		return false;
	for (; *procs; procs++)
		if (!strcmp(*procs, proc))
			return true;
	return false;
}

/* ---- entry/return pairs ---- */

#define PAIR_STACK 4096

struct open_entry {
	int64_t id, session, ts_raw;
	bool ts_known;
	int64_t ts_ns;
};

/* Pairs entries and returns per (host, pid, tid, probe) as a stack, in
 * time order; already paired events are left alone. */
static bool pair_entries(struct db *db, struct join_stats *js)
{
	db->doing = "joining: pairing entries with returns";
	sqlite3_stmt *sel = prepare(db,
		"SELECT id, host, pid, tid, probe, phase, session, ts_raw, ts_ns"
		" FROM probe_events WHERE phase <> 'event' AND entry IS NULL"
		" AND return IS NULL ORDER BY host, pid, tid, probe, ts_raw, id");
	sqlite3_stmt *set_entry = prepare(db,
		"UPDATE probe_events SET return = ?2, duration_ns = ?3 WHERE id = ?1");
	sqlite3_stmt *set_return = prepare(db,
		"UPDATE probe_events SET entry = ?2, duration_ns = ?3 WHERE id = ?1");
	struct open_entry *stack = malloc(PAIR_STACK * sizeof *stack);
	bool ok = sel && set_entry && set_return && stack;
	size_t depth = 0;
	char group[512] = "";
	int rc = 0;
	while (ok && (rc = db_row(db, sel)) == 1) {
		const char *host = column_text(sel, 1);
		char key[512];
		snprintf(key, sizeof key, "%s\x1f%lld\x1f%lld\x1f%s",
			 host ? host : "", (long long)sqlite3_column_int64(sel, 2),
			 (long long)sqlite3_column_int64(sel, 3),
			 column_text(sel, 4));
		if (strcmp(key, group)) {
			memcpy(group, key, sizeof group);
			depth = 0;
		}
		struct open_entry e = {
			.id = sqlite3_column_int64(sel, 0),
			.session = sqlite3_column_int64(sel, 6),
			.ts_raw = sqlite3_column_int64(sel, 7),
			.ts_known = !column_null(sel, 8),
			.ts_ns = sqlite3_column_int64(sel, 8),
		};
		if (!strcmp(column_text(sel, 5), "entry")) {
			if (depth < PAIR_STACK)
				stack[depth++] = e;	/* deeper: unpaired */
			continue;
		}
		if (depth == 0)
			continue;	/* a return without its entry */
		struct open_entry in = stack[--depth];
		/* Same session: one clock, raw times subtract exactly. */
		int64_t duration = in.session == e.session ? e.ts_raw - in.ts_raw :
				   e.ts_ns - in.ts_ns;
		bool have = in.session == e.session || (in.ts_known && e.ts_known);
		sqlite3_bind_int64(set_entry, 1, in.id);
		sqlite3_bind_int64(set_entry, 2, e.id);
		db_bind_opt_int(set_entry, 3, have, duration);
		sqlite3_bind_int64(set_return, 1, e.id);
		sqlite3_bind_int64(set_return, 2, in.id);
		db_bind_opt_int(set_return, 3, have, duration);
		ok = db_done(db, set_entry) && db_done(db, set_return);
		js->pairs++;
	}
	if (rc < 0)
		ok = false;
	free(stack);
	sqlite3_finalize(sel);
	sqlite3_finalize(set_entry);
	sqlite3_finalize(set_return);
	return ok;
}

/* ---- clock offsets between captures ---- */

static int compare_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* A message's body as JSON: kept as such, or made from its record. */
#define BODY_SQL(m) "coalesce(" m ".body, tapline_body(" m ".id))"

/* Request o (of the input which_input says) is request m seen again:
 * same protocol, endpoints, exchange id, service, operation and body but
 * for where and when it was captured, within ?1 ns of it. */
#define SAME_REQUEST_SQL(o, m, which_input) \
	o ".exchange_id = " m ".exchange_id" \
	" AND " o ".ts_ns BETWEEN " m ".ts_ns - ?1 AND " m ".ts_ns + ?1" \
	" AND " o ".kind = 'request' AND " o ".input " which_input \
	" AND " o ".src = " m ".src AND " o ".dst = " m ".dst" \
	" AND " o ".protocol = " m ".protocol" \
	" AND " o ".op_code IS " m ".op_code" \
	" AND " o ".service_code IS " m ".service_code" \
	" AND json_remove(" BODY_SQL(o) ", '$.frame', '$.first_frame'," \
	"  '$.time', '$.stream') = json_remove(" BODY_SQL(m) ", '$.frame'," \
	"  '$.first_frame', '$.time', '$.stream')"

#define OFFSET_SAMPLES 100000
#define OFFSET_MAX_NS (600LL * 1000000000)

/* The same request and response seen in two captures (same protocol,
 * endpoints, exchange id, service and operation):
 * offset = ((a_request - b_request) + (a_response - b_response)) / 2
 * whichever side each capture was taken on, if the two directions take as
 * long.  Clocks more than OFFSET_MAX_NS apart are not looked for:
 * exchange ids repeat, and the search must stay narrow. */
static bool estimate_offsets(struct db *db, struct join_stats *js,
			     FILE *report)
{
	db->doing = "joining: clock offsets";
	if (!db_exec(db, db->doing, "DELETE FROM clock_offsets"))
		return false;
	sqlite3_stmt *count = prepare(db,
		"SELECT count(*) FROM inputs WHERE kind = 'capture'");
	if (!count)
		return false;
	int crc = db_row(db, count);
	int64_t captures = crc == 1 ? sqlite3_column_int64(count, 0) : 0;
	sqlite3_finalize(count);
	if (crc < 0)
		return false;
	if (captures < 2)
		return true;	/* one capture has no other to compare with */
	/* The same request: same protocol, endpoints, exchange id, service,
	 * operation and decoded body (but for where and when it was
	 * captured).  Some pair must be unique to one session: an ONC-RPC
	 * call whose credential carries the client's own (non-zero) ctime
	 * is; handshakes with AUTH_NULL or a zero ctime repeat identically
	 * in every session (GlusterFS clients reuse their ports) and prove
	 * nothing alone.  The other protocols carry no such mark: their
	 * client's ephemeral port with the same body is taken as the
	 * session's.  A capture's own requests share its exchange ids
	 * (each connection counts from 0 or 1): they are told from a later
	 * input's by the row id the index entry carries, without reading
	 * their rows.  `later` is the least row id of the inputs after each
	 * (an input's rows are added in one run, after every earlier one's:
	 * that leaves out its own). */
	sqlite3_stmt *sel = prepare(db,
		"WITH spans AS (SELECT input, min(id) AS first_id"
		"  FROM messages GROUP BY input),"
		" later AS (SELECT s.input, (SELECT min(t.first_id) FROM spans t"
		"  WHERE t.input > s.input) AS first_id FROM spans s)"
		" SELECT ca.input, cb.input, ca.ts_ns - cb.ts_ns, ra.ts_ns - rb.ts_ns,"
		" CASE WHEN ca.protocol IN ('rpc', 'glusterfs') THEN"
		"  instr(" BODY_SQL("ca") ", '\"rpc.auth.ctime\"') > 0 AND"
		"  instr(" BODY_SQL("ca") ","
		"  '\"rpc.auth.ctime\",\"value\":\"0.000000000\"') = 0"
		"  ELSE 1 END"
		" FROM messages ca"
		" JOIN later x ON x.input = ca.input AND x.first_id IS NOT NULL"
		" JOIN messages cb ON cb.id >= x.first_id"
		"  AND " SAME_REQUEST_SQL("cb", "ca", "> ca.input")
		/* An id reused on one connection (CQL, Scylla, Ceph; not
		 * ONC-RPC) pairs a request sent twice with both copies:
		 * such a request proves nothing. */
		"  AND (ca.protocol IN ('rpc', 'glusterfs') OR (NOT EXISTS"
		"   (SELECT 1 FROM messages o WHERE o.id <> cb.id AND "
		SAME_REQUEST_SQL("o", "ca", "= cb.input") ") AND NOT EXISTS"
		"   (SELECT 1 FROM messages o WHERE o.id <> ca.id AND "
		SAME_REQUEST_SQL("o", "cb", "= ca.input") ")))"
		" JOIN messages ra ON ra.id = ca.response"
		" JOIN messages rb ON rb.id = cb.response"
		" WHERE ca.kind = 'request' AND ca.exchange_id IS NOT NULL"
		" ORDER BY ca.input, cb.input");
	sqlite3_stmt *ins = prepare(db,
		"INSERT INTO clock_offsets (input, reference, offset_ns, samples,"
		" spread_ns) VALUES (?1, ?2, ?3, ?4, ?5)");
	int64_t *samples = malloc(OFFSET_SAMPLES * sizeof *samples);
	bool ok = sel && ins && samples;
	if (sel)
		sqlite3_bind_int64(sel, 1, OFFSET_MAX_NS);
	int64_t a = -1, b = -1;
	size_t n = 0;
	uint64_t seen = 0;
	bool unique = false;
	int rc = 0;
	for (;;) {
		rc = ok ? db_row(db, sel) : -1;
		int64_t na = rc == 1 ? sqlite3_column_int64(sel, 0) : -1;
		int64_t nb = rc == 1 ? sqlite3_column_int64(sel, 1) : -1;
		if ((rc != 1 || na != a || nb != b) && n && !unique) {
			if (report)
				fprintf(report, "clock offset: inputs %" PRId64
					" and %" PRId64 " share %" PRIu64 " identical"
					" calls, none unique to one session: no"
					" offset estimated\n", a, b, seen);
			n = 0;
			seen = 0;
		}
		if ((rc != 1 || na != a || nb != b) && n) {
			qsort(samples, n, sizeof *samples, compare_i64);
			int64_t median = samples[n / 2];
			/* Stored as: add to b's times to get a's. */
			sqlite3_bind_int64(ins, 1, b);
			sqlite3_bind_int64(ins, 2, a);
			sqlite3_bind_int64(ins, 3, median);
			sqlite3_bind_int64(ins, 4, (int64_t)seen);
			sqlite3_bind_int64(ins, 5, samples[n - 1] - samples[0]);
			ok = db_done(db, ins);
			js->offsets++;
			if (report)
				fprintf(report, "clock offset: input %" PRId64
					" is %+.6f s from input %" PRId64
					" (%" PRIu64 " call/reply pairs seen in"
					" both, spread %.6f s)\n", b,
					-median / 1e9, a, seen,
					(samples[n - 1] - samples[0]) / 1e9);
			n = 0;
			seen = 0;
		}
		if (rc != 1)
			break;
		if (na != a || nb != b)
			unique = false;
		a = na;
		b = nb;
		unique |= sqlite3_column_int(sel, 4) != 0;
		int64_t d = (sqlite3_column_int64(sel, 2) +
			     sqlite3_column_int64(sel, 3)) / 2;
		seen++;
		if (n < OFFSET_SAMPLES)
			samples[n++] = d;
	}
	if (rc < 0)
		ok = false;
	free(samples);
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return ok;
}

/* ---- exact XID ---- */

#define MAX_CANDIDATES 256

struct candidate {
	int64_t id, other;	/* the message, and its reply or call */
	int64_t conversation, input;
	int64_t ts;		/* when it was captured */
	char tuple[160];	/* "src dst": copies in two captures agree */
	bool mine;		/* on a connection of the event's pid */
	bool guessed;		/* an earlier event took it, not surely */
	const char *method;	/* how that connection was mapped */
};

struct xid_event {
	int64_t id, input, pid, ts, xid;
	char probe[64];
	char host[256];
	bool have_host, reply;
	bool have_prog, have_vers, have_proc;
	int64_t prog, vers, proc;
	/* the window: a call from ts - before to ts + after (a reply the
	 * other way round) */
	int64_t before_ns, after_ns;
};

/* How sure the event of the same probe and record file that took message
 * m was, NULL when none did: a client encodes each call once and decodes
 * each reply once. */
#define XID_TAKEN_SQL \
	"(SELECT max(l.confidence) FROM links l JOIN probe_events p" \
	" ON p.id = l.event WHERE l.message = m.id AND l.method = 'exact-xid'" \
	" AND p.input = ?8 AND p.probe = ?9)"
/* A link at least this sure names the only connection it could be. */
#define XID_SURE 0.9

/* An event's xid, prog, vers and proc are the exchange's exchange_id,
 * service_code, service_version and op_code (docs/core.md): an rpc.call
 * names an ONC-RPC call so, and a probe of another protocol's client
 * names its request (a CQL stream id and opcode) the same way. */
static const char xid_call_sql[] =
	"SELECT m.id, m.response, m.conversation, m.src || ' ' || m.dst,"
	" c.client_pid, c.client_host, c.pid_method, m.input, " XID_TAKEN_SQL
	", m.ts_ns FROM messages m JOIN conversations c ON c.id = m.conversation"
	" WHERE m.exchange_id = ?1 AND m.kind = 'request'"
	" AND m.ts_ns BETWEEN ?2 - ?6 AND ?2 + ?7"
	" AND (?3 IS NULL OR m.service_code = ?3)"
	" AND (?4 IS NULL OR m.service_version = ?4)"
	" AND (?5 IS NULL OR m.op_code = ?5)"
	" ORDER BY abs(m.ts_ns - ?2), m.id";
static const char xid_reply_sql[] =
	"SELECT m.id, m.request, m.conversation, m.src || ' ' || m.dst,"
	" c.client_pid, c.client_host, c.pid_method, m.input, " XID_TAKEN_SQL
	", m.ts_ns FROM messages m JOIN conversations c ON c.id = m.conversation"
	" WHERE m.exchange_id = ?1 AND m.kind = 'response'"
	" AND m.ts_ns BETWEEN ?2 - ?7 AND ?2 + ?6"
	" AND (?3 IS NULL OR m.service_code = ?3)"
	" AND (?4 IS NULL OR m.service_version = ?4)"
	" AND (?5 IS NULL OR m.op_code = ?5)"
	" ORDER BY abs(m.ts_ns - ?2), m.id";

/* Candidates of an event: on its pid's connections (mine), or on
 * connections whose process is unknown.  Connections known to belong to
 * another process are not candidates, nor are messages an earlier event
 * of the same probe and record file surely took; those it took by a
 * guess are kept, marked, to weigh the guess that remains. */
static int xid_candidates(struct db *db, sqlite3_stmt *st,
			  const struct xid_event *ev, struct candidate *out,
			  size_t *nmine)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_int64(st, 1, ev->xid);
	sqlite3_bind_int64(st, 2, ev->ts);
	db_bind_opt_int(st, 3, ev->have_prog, ev->prog);
	db_bind_opt_int(st, 4, ev->have_vers, ev->vers);
	db_bind_opt_int(st, 5, ev->have_proc, ev->proc);
	sqlite3_bind_int64(st, 6, ev->before_ns);
	sqlite3_bind_int64(st, 7, ev->after_ns);
	sqlite3_bind_int64(st, 8, ev->input);
	sqlite3_bind_text(st, 9, ev->probe, -1, SQLITE_TRANSIENT);
	int n = 0, rc;
	*nmine = 0;
	while ((rc = db_row(db, st)) == 1 && n < MAX_CANDIDATES) {
		bool unknown = column_null(st, 4);
		const char *chost = column_text(st, 5);
		bool mine = !unknown && sqlite3_column_int64(st, 4) == ev->pid &&
			    (!chost || !ev->have_host || !strcmp(chost, ev->host));
		bool taken = !column_null(st, 8);
		if ((!mine && !unknown) ||
		    (taken && sqlite3_column_double(st, 8) >= XID_SURE))
			continue;
		struct candidate *c = &out[n++];
		c->guessed = taken;
		c->id = sqlite3_column_int64(st, 0);
		c->other = column_null(st, 1) ? 0 : sqlite3_column_int64(st, 1);
		c->conversation = sqlite3_column_int64(st, 2);
		c->input = sqlite3_column_int64(st, 7);
		c->ts = sqlite3_column_int64(st, 9);
		snprintf(c->tuple, sizeof c->tuple, "%s", column_text(st, 3));
		c->mine = mine;
		const char *method = column_text(st, 6);
		c->method = !method ? "exact-xid" :
			    !strcmp(method, "process-uuid") ? "SETVOLUME process-uuid" :
			    !strcmp(method, "credential") ? "the calls' credential pid" :
			    "unique XID";
		*nmine += mine && !taken;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : n;
}

static bool read_xid_event(sqlite3_stmt *sel, struct xid_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->id = sqlite3_column_int64(sel, 0);
	const char *host = column_text(sel, 1);
	ev->have_host = host != NULL;
	snprintf(ev->host, sizeof ev->host, "%s", host ? host : "");
	ev->pid = sqlite3_column_int64(sel, 2);
	ev->ts = sqlite3_column_int64(sel, 3);
	ev->xid = sqlite3_column_int64(sel, 4);
	ev->have_prog = !column_null(sel, 5);
	ev->prog = sqlite3_column_int64(sel, 5);
	ev->have_vers = !column_null(sel, 6);
	ev->vers = sqlite3_column_int64(sel, 6);
	ev->have_proc = !column_null(sel, 7);
	ev->proc = sqlite3_column_int64(sel, 7);
	const char *probe = column_text(sel, 8);
	ev->reply = probe && !strcmp(probe, "rpc.reply");
	snprintf(ev->probe, sizeof ev->probe, "%s", probe ? probe : "");
	ev->input = sqlite3_column_int64(sel, 9);
	ev->before_ns = JOIN_CLOCK_SLACK_NS;
	ev->after_ns = JOIN_XID_WINDOW_NS;
	return ev->xid >= 0 && ev->xid <= UINT32_MAX;
}

static bool insert_link(struct db *db, sqlite3_stmt *ins, int64_t event,
			int64_t message, int64_t parent, const char *method,
			double confidence, const char *note)
{
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	sqlite3_bind_int64(ins, 1, event);
	db_bind_opt_int(ins, 2, message > 0, message);
	db_bind_opt_int(ins, 3, parent > 0, parent);
	sqlite3_bind_text(ins, 4, method, -1, SQLITE_STATIC);
	sqlite3_bind_double(ins, 5, confidence);
	if (note)
		sqlite3_bind_text(ins, 6, note, -1, SQLITE_TRANSIENT);
	return db_done(db, ins);
}

static const char link_sql[] =
	"INSERT INTO links (event, message, parent, method, confidence, note)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static bool usable(const struct candidate *c, size_t nmine)
{
	return !c->guessed && (!nmine || c->mine);
}

/* The nearest usable candidate (there is one). */
static int first_usable(const struct candidate *cand, int n, size_t nmine)
{
	int i = 0;
	while (i < n - 1 && !usable(&cand[i], nmine))
		i++;
	return i;
}

/* Whether a candidate counts among an event's possible connections:
 * usable, or (with_guessed) taken from it only by an earlier guess. */
static bool counted(const struct candidate *c, size_t nmine, bool with_guessed)
{
	return usable(c, nmine) ||
	       (with_guessed && c->guessed && (!nmine || c->mine));
}

/* Distinct connections among the counted candidates: the same RPC in two
 * captures is one candidate. */
static size_t distinct_connections(const struct candidate *cand, int n,
				   size_t nmine, bool with_guessed)
{
	size_t distinct = 0;
	for (int i = 0; i < n; i++) {
		if (!counted(&cand[i], nmine, with_guessed))
			continue;
		bool dup = false;
		for (int j = 0; j < i && !dup; j++)
			dup = counted(&cand[j], nmine, with_guessed) &&
			      !strcmp(cand[i].tuple, cand[j].tuple);
		distinct += !dup;
	}
	return distinct;
}

/* The connections a call may be on: those of the pid and, beside them,
 * those of unknown process.  The pid's own are preferred, yet one of
 * unknown process may be the pid's too: its pid was never learnt
 * (libgfapi's portmap and DUMP connections to glusterd carry no
 * credential).  Counted as if the pid had none here, so that a copy of
 * one connection in two captures, its pid known in one only, counts
 * once. */
static size_t possible_connections(const struct candidate *cand, int n,
				   bool with_guessed)
{
	return distinct_connections(cand, n, 0, with_guessed);
}

/* Links an event to its nearest usable candidate, the copies of that
 * message in other captures (CQL, Scylla and Ceph reuse an id on one
 * connection, ONC-RPC hardly ever) and the other half of the exchange. */
static bool link_xid_candidate(struct db *db, sqlite3_stmt *ins,
			       const struct xid_event *ev,
			       const struct candidate *cand, int n,
			       size_t nmine, double confidence,
			       const char *why)
{
	int best = first_usable(cand, n, nmine);
	char note[512];
	snprintf(note, sizeof note, "%s%s%s",
		 nmine ? "connection of the pid, known by " :
			 "connection of unknown process",
		 nmine ? cand[best].method : "", why);
	bool ok = true;
	for (int i = 0; i < n && ok; i++) {
		if (!usable(&cand[i], nmine) ||
		    strcmp(cand[i].tuple, cand[best].tuple) ||
		    (i != best && cand[i].input == cand[best].input))
			continue;
		ok = insert_link(db, ins, ev->id, cand[i].id, 0, "exact-xid",
				 confidence, note);
		if (ok && cand[i].other)
			ok = insert_link(db, ins, ev->id, cand[i].other, 0,
					 "exact-xid", confidence,
					 ev->reply ? "the call this reply answers" :
						     "the reply to this call");
	}
	return ok;
}

/* 1 when the event already has its exact-XID link, 0 not, -1 error. */
static int xid_linked(struct db *db, sqlite3_stmt *st, int64_t event)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, event);
	int rc = db_row(db, st);
	sqlite3_reset(st);
	return rc;
}

/* The passes over the events that carry an XID.  A connection of unknown
 * process gets one where an XID names exactly one such connection
 * (XID_MAP_PIDS).  libgfrpc's thread that encodes a call writes it
 * before it records anything else, unless the socket's queue is busy:
 * among the connections that carry a call's XID, the one on which it
 * was sent between its rpc.call event and its thread's next record is
 * its connection (XID_BY_THREAD), unless that rule gives the same call to
 * another thread's event too.  Every other event goes with the candidate
 * nearest in time (XID_NEAREST). */
enum xid_pass { XID_MAP_PIDS, XID_BY_THREAD, XID_NEAREST };

/* The events that carry an XID, each with next_ts: its thread's next
 * record of the same session (one clock), of any probe.  Made once for
 * the passes below: the window sorts every probe event. */
static const char xid_events_sql[] =
	"DROP TABLE IF EXISTS temp.xid_events;"
	"CREATE TEMP TABLE xid_events AS"
	" SELECT id, host, pid, ts_ns, xid, prog, vers, proc, probe, input,"
	" next_ts FROM (SELECT *, lead(ts_ns) OVER"
	"  (PARTITION BY input, session, host, pid, tid"
	"   ORDER BY ts_raw, id) AS next_ts"
	"  FROM probe_events WHERE ts_ns IS NOT NULL)"
	" WHERE xid IS NOT NULL;"
	"CREATE INDEX temp.xid_events_by_xid ON xid_events (xid, ts_ns)";

/* The other rpc.call events of an event's process with its XID, service
 * and operation whose thread's window (from the event to that thread's
 * next record) holds time ?9. */
static const char xid_rivals_sql[] =
	"SELECT id, ts_ns, next_ts FROM temp.xid_events"
	" WHERE xid = ?1 AND ts_ns <= ?9 AND next_ts >= ?9 AND id <> ?2"
	" AND input = ?3 AND pid = ?4 AND host IS ?5 AND probe = 'rpc.call'"
	" AND prog IS ?6 AND vers IS ?7 AND proc IS ?8";

/* Whether the thread rule that gives event ev the call at time t gives
 * that call as surely to another event: another thread's call of the
 * same XID, encoded before t and whose thread recorded nothing else
 * until after t, with no other connection in its window.  One of the two
 * sends was late (a busy socket queue: another thread wrote it), and
 * time alone cannot tell which.  1 when so, 0 not, -1 error. */
static int thread_rule_contested(struct db *db, sqlite3_stmt *rivals,
				 sqlite3_stmt *calls, sqlite3_stmt *linked,
				 const struct xid_event *ev, int64_t t,
				 struct candidate *cand)
{
	sqlite3_reset(rivals);
	sqlite3_clear_bindings(rivals);
	sqlite3_bind_int64(rivals, 1, ev->xid);
	sqlite3_bind_int64(rivals, 2, ev->id);
	sqlite3_bind_int64(rivals, 3, ev->input);
	sqlite3_bind_int64(rivals, 4, ev->pid);
	if (ev->have_host)
		sqlite3_bind_text(rivals, 5, ev->host, -1, SQLITE_TRANSIENT);
	db_bind_opt_int(rivals, 6, ev->have_prog, ev->prog);
	db_bind_opt_int(rivals, 7, ev->have_vers, ev->vers);
	db_bind_opt_int(rivals, 8, ev->have_proc, ev->proc);
	sqlite3_bind_int64(rivals, 9, t);
	int rc = 0, contested = 0;
	while (!contested && (rc = db_row(db, rivals)) == 1) {
		struct xid_event rival = *ev;
		rival.id = sqlite3_column_int64(rivals, 0);
		rival.ts = sqlite3_column_int64(rivals, 1);
		rival.before_ns = 0;
		rival.after_ns = sqlite3_column_int64(rivals, 2) - rival.ts;
		/* A rival already linked took another call. */
		int done = xid_linked(db, linked, rival.id);
		if (done < 0)
			contested = -1;
		if (done)
			continue;
		size_t nmine;
		int n = xid_candidates(db, calls, &rival, cand, &nmine);
		contested = n < 0 ? -1 :
			    possible_connections(cand, n, false) == 1;
	}
	sqlite3_reset(rivals);
	return rc < 0 ? -1 : contested;
}

static bool link_exact_xid(struct db *db, struct join_stats *js)
{
	db->doing = "joining: links by XID";
	/* No event with an XID (the gfapi and vfs_glusterfs probes record
	 * none): nothing to sort.  Found by the partial index on xid. */
	int have = any_row(db, "SELECT 1 FROM probe_events"
			   " WHERE xid IS NOT NULL LIMIT 1");
	if (have <= 0)
		return have == 0;
	if (!db_exec(db, db->doing, xid_events_sql))
		return false;
	sqlite3_stmt *sel = prepare(db,
		"SELECT id, host, pid, ts_ns, xid, prog, vers, proc, probe,"
		" input, next_ts FROM temp.xid_events ORDER BY ts_ns, id");
	sqlite3_stmt *calls = prepare(db, xid_call_sql);
	sqlite3_stmt *replies = prepare(db, xid_reply_sql);
	sqlite3_stmt *map = prepare(db,
		"UPDATE conversations SET client_pid = ?2, client_host = ?3,"
		" pid_method = 'exact-xid' WHERE id = ?1 AND client_pid IS NULL");
	sqlite3_stmt *linked = prepare(db,
		"SELECT 1 FROM links WHERE event = ?1 AND method = 'exact-xid'"
		" LIMIT 1");
	sqlite3_stmt *ins = prepare(db, link_sql);
	sqlite3_stmt *rivals = prepare(db, xid_rivals_sql);
	struct candidate *cand = malloc(MAX_CANDIDATES * sizeof *cand);
	struct candidate *rival_cand = malloc(MAX_CANDIDATES * sizeof *cand);
	bool ok = sel && calls && replies && map && linked && ins && rivals &&
		  cand && rival_cand;

	for (enum xid_pass pass = XID_MAP_PIDS; ok && pass <= XID_NEAREST;
	     pass++) {
		sqlite3_reset(sel);
		int rc;
		while (ok && (rc = db_row(db, sel)) == 1) {
			struct xid_event ev;
			if (!read_xid_event(sel, &ev))
				continue;
			bool by_thread = !strcmp(ev.probe, "rpc.call") &&
					 !column_null(sel, 10);
			if (pass == XID_BY_THREAD && !by_thread)
				continue;
			if (pass == XID_NEAREST && by_thread) {
				int done = xid_linked(db, linked, ev.id);
				if (done) {
					ok = done > 0;
					js->xid_events++;
					js->xid_linked++;
					continue;
				}
			}
			size_t nmine;
			int n = xid_candidates(db, ev.reply ? replies : calls,
					       &ev, cand, &nmine);
			if (n < 0) {
				ok = false;
				break;
			}
			size_t distinct = distinct_connections(cand, n, nmine,
							       false);
			if (pass == XID_MAP_PIDS) {
				if (nmine || distinct != 1)
					continue;
				for (int i = 0; i < n && ok; i++) {
					sqlite3_reset(map);
					sqlite3_bind_int64(map, 1, cand[i].conversation);
					sqlite3_bind_int64(map, 2, ev.pid);
					if (ev.have_host)
						sqlite3_bind_text(map, 3, ev.host, -1,
								  SQLITE_TRANSIENT);
					else
						sqlite3_bind_null(map, 3);
					ok = db_done(db, map);
					js->pid_mapped += (uint64_t)
						sqlite3_changes(db->handle);
				}
				continue;
			}
			if (pass == XID_BY_THREAD) {
				if (possible_connections(cand, n, false) < 2)
					continue;
				/* Several: the window shrinks to the thread's
				 * next record. */
				int64_t next = sqlite3_column_int64(sel, 10);
				ev.before_ns = 0;
				ev.after_ns = next > ev.ts ? next - ev.ts : 0;
				n = xid_candidates(db, calls, &ev, cand, &nmine);
				if (n < 0) {
					ok = false;
					break;
				}
				if (possible_connections(cand, n, false) != 1)
					continue;
				int contested = thread_rule_contested(db, rivals,
					calls, linked, &ev,
					cand[first_usable(cand, n, nmine)].ts,
					rival_cand);
				if (contested < 0) {
					ok = false;
					break;
				}
				if (!contested)
					ok = link_xid_candidate(db, ins, &ev, cand,
								n, nmine,
								nmine ? 1.0 : 0.9,
								"; several connections"
								" carry this XID: the one"
								" it was sent on before its"
								" thread's next record");
				continue;
			}
			js->xid_events++;
			if (distinct == 0)
				continue;	/* stays unlinked, visibly */
			/* A connection an earlier guess took is still one
			 * this event's call may be on. */
			size_t possible = possible_connections(cand, n, true);
			if (possible > 1)
				js->xid_ambiguous++;
			js->xid_linked++;
			ok = link_xid_candidate(db, ins, &ev, cand, n, nmine,
						(nmine ? 1.0 : 0.9) / (double)possible,
						possible > 1 ?
						"; several connections carry this"
						" XID: nearest in time" : "");
		}
		if (rc < 0)
			ok = false;
	}
	free(cand);
	free(rival_cand);
	sqlite3_finalize(rivals);
	sqlite3_finalize(sel);
	sqlite3_finalize(calls);
	sqlite3_finalize(replies);
	sqlite3_finalize(map);
	sqlite3_finalize(linked);
	sqlite3_finalize(ins);
	return ok && db_exec(db, db->doing, "DROP TABLE temp.xid_events");
}

/* ---- time window ---- */

/* The last component of a path, NULL when there is none. */
static const char *base_name(const char *path)
{
	if (!path)
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	return *b ? b : NULL;
}

/* Which name each gfid was found under: LOOKUP, CREATE, ... calls name
 * (pargfid, bname) and their replies give the gfid.  A glfs_* call on a
 * path and an RPC on a gfid then fit by content, not only by time. */
static const char gfid_names_sql[] =
	"DROP TABLE IF EXISTS temp.gfid_names;"
	"CREATE TEMP TABLE gfid_names AS"
	" SELECT DISTINCT c.bname AS bname, (SELECT json_extract(t.value, '$.value')"
	"  FROM json_tree(" BODY_SQL("r") ") t WHERE t.type = 'object'"
	"  AND json_extract(t.value, '$.name') = 'glusterfs.ia_gfid'"
	"  LIMIT 1) AS gfid"
	" FROM messages c JOIN messages r ON r.id = c.response"
	" WHERE c.bname IS NOT NULL AND c.bname <> '' AND r.op_ret >= 0"
	" AND c.kind = 'request' AND c.protocol IN ('rpc', 'glusterfs')"
	" AND c.op IN ('LOOKUP', 'CREATE', 'MKDIR', 'MKNOD', 'SYMLINK',"
	"  'LINK');"
	"CREATE INDEX temp.gfid_names_by_gfid ON gfid_names (gfid, bname);";

/* Where a call's window ends: its return, or for a call that never
 * returned, its process's last record.  Over probe_events e and its
 * return x. */
#define CALL_END_SQL \
	"coalesce(x.ts_ns, (SELECT max(p.ts_ns) FROM probe_events p" \
	" WHERE p.host IS e.host AND p.pid = e.pid))"

/* The probes whose entry and return are a program's call into a storage
 * client library, the calls whose windows hold the requests they sent:
 * libgfapi's (gfapi.*), and those named after another protocol (cql.*,
 * ceph.*, scylla.*: the namespace docs/probes.md keeps for that
 * protocol's client library).  Over probe_events e. */
#define CLIENT_CALL_SQL \
	"(e.probe GLOB 'gfapi.*' OR e.probe GLOB 'cql.*'" \
	" OR e.probe GLOB 'ceph.*' OR e.probe GLOB 'scylla.*')"

/* The client library calls with their windows and the kind of work they
 * may leave behind (temp.window_calls), the threads that make them
 * (temp.caller_threads), and the thread that encoded each ONC-RPC call,
 * from the rpc.call event its XID links it to (temp.encoders). */
static const char window_tables_sql[] =
	"DROP TABLE IF EXISTS temp.window_calls;"
	"DROP TABLE IF EXISTS temp.caller_threads;"
	"DROP TABLE IF EXISTS temp.encoders;"
	"CREATE TEMP TABLE window_calls AS"
	" SELECT e.id, e.host, e.pid, e.tid, e.probe, e.path, e.ts_ns AS t0,"
	" x.ts_ns AS t_ret, " CALL_END_SQL " AS t1,"
	" CASE WHEN e.probe IN ('gfapi.write', 'gfapi.pwrite', 'gfapi.writev',"
	"  'gfapi.pwritev') THEN 'write' WHEN e.probe = 'gfapi.close' THEN 'close'"
	"  WHEN e.probe = 'gfapi.closedir' THEN 'closedir' END AS kind"
	" FROM probe_events e LEFT JOIN probe_events x ON x.id = e.return"
	" WHERE " CLIENT_CALL_SQL " AND e.phase = 'entry'"
	" AND e.ts_ns IS NOT NULL AND (x.id IS NULL OR x.ts_ns IS NOT NULL);"
	"CREATE INDEX temp.window_calls_by_start ON window_calls (t0);"
	"CREATE INDEX temp.window_calls_by_length ON window_calls (t1 - t0);"
	"CREATE INDEX temp.window_calls_by_return ON window_calls (kind, t_ret);"
	"CREATE INDEX temp.window_calls_by_thread ON window_calls (pid, tid, kind, t0);"
	"CREATE TEMP TABLE caller_threads AS"
	" SELECT DISTINCT host, pid, tid FROM window_calls;"
	"CREATE TEMP TABLE encoders AS"
	" SELECT l.message, min(e.host) AS host, min(e.pid) AS pid,"
	" min(e.tid) AS tid FROM links l JOIN probe_events e ON e.id = l.event"
	" WHERE l.method = 'exact-xid' AND e.probe = 'rpc.call'"
	" GROUP BY l.message HAVING count(DISTINCT e.tid) = 1;"
	"CREATE INDEX temp.encoders_by_message ON encoders (message);";

/* 1 when some client library call could be joined by time window, 0
 * none, -1 error. */
static int have_client_calls(struct db *db)
{
	return any_row(db, "SELECT 1 FROM probe_events e WHERE "
		       CLIENT_CALL_SQL " AND e.phase = 'entry' LIMIT 1");
}

/* Work a call leaves behind, sent after it returned: its RPCs belong to
 * it, not to the call in whose window they happen to fall. */
static const struct deferred_rule {
	const char *kind;	/* window_calls.kind of the calls that leave it */
	const char *procs[2];	/* the RPCs that carry it */
	const char *note;
} deferred_rules[] = {
	{ "write", { "WRITE" }, "write-behind: WRITE sent after the call returned" },
	{ "close", { "RELEASE", "FLUSH" },
	  "deferred release: sent after the call returned" },
	{ "closedir", { "RELEASEDIR" },
	  "deferred release: sent after the call returned" },
};

/* How long after its call deferred work may still come (write-behind's
 * flush on the next call or on fini, a release after the last ref). */
#define DEFERRED_WINDOW_NS (10LL * 1000000000)

/* Windows longer than this are looked up apart from the others. */
#define LONG_WINDOW_NS 1000000000LL

static const struct deferred_rule *deferred_rule_of(const char *proc)
{
	for (size_t r = 0; proc && r < sizeof deferred_rules /
					   sizeof deferred_rules[0]; r++)
		for (int i = 0; i < 2; i++)
			if (deferred_rules[r].procs[i] &&
			    !strcmp(deferred_rules[r].procs[i], proc))
				return &deferred_rules[r];
	return NULL;
}

/* A glfs_* call that may have caused an RPC. */
struct window_call {
	int64_t id, pid, tid;
	bool inside;	/* its window holds the RPC without the clock slack */
	bool pending;	/* deferred work: returned before, latest of its thread */
	bool fits;	/* a procedure the call is known to send */
	bool named;	/* fits, and the RPC is on the call's file */
	bool same_kind;	/* may leave the RPC's deferred work behind */
	char probe[64];
};

/* The request being joined. */
struct window_rpc {
	int64_t id, ts;
	const char *proc, *gfid, *bname;
	const char *protocol;	/* messages.protocol */
	bool fit_known;		/* GlusterFS's: procedure fit is evidence */
	bool known;		/* its connection's process is known */
	bool encoder_known;	/* an rpc.call event says which thread encoded it */
	bool encoder_calls;	/* ... and that thread calls glfs_* */
	int64_t encoder_pid, encoder_tid;
};

struct window_stmts {
	sqlite3_stmt *holding, *pending, *named, *ins;
};

/* A candidate's id, pid, tid and probe: the first four columns. */
static struct window_call *read_window_call(sqlite3_stmt *st,
					    struct window_call *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->pid = sqlite3_column_int64(st, 1);
	c->tid = sqlite3_column_int64(st, 2);
	snprintf(c->probe, sizeof c->probe, "%s", column_text(st, 3));
	return c;
}

/* Reads the candidates of one RPC: the calls whose window holds it (by
 * the clock slack), and the calls whose deferred work it may carry. */
static int window_candidates(struct db *db, struct window_stmts *s,
			     const struct window_rpc *m, int64_t pid,
			     const char *host, const struct deferred_rule *rule,
			     struct window_call *out)
{
	int n = 0, rc;
	sqlite3_stmt *st = s->holding;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_int64(st, 1, m->ts);
	sqlite3_bind_int64(st, 2, LONG_WINDOW_NS);
	sqlite3_bind_int64(st, 3, JOIN_CLOCK_SLACK_NS);
	db_bind_opt_int(st, 4, m->known, pid);
	if (host)
		sqlite3_bind_text(st, 5, host, -1, SQLITE_TRANSIENT);
	while ((rc = db_row(db, st)) == 1 && n < MAX_CANDIDATES) {
		struct window_call *c = read_window_call(st, &out[n++]);
		c->inside = sqlite3_column_int(st, 4);
		c->same_kind = rule && !column_null(st, 5) &&
			       !strcmp(column_text(st, 5), rule->kind);
		c->fits = m->fit_known &&
			  fits_proc(join_fitting_procs(c->probe), m->proc);
		const char *bname = base_name(column_text(st, 6));
		/* Entry calls (CREATE, MKDIR, ...) name the file; the
		 * others name its gfid. */
		c->named = c->fits && bname && m->bname && !strcmp(m->bname, bname);
		if (c->fits && !c->named && bname && m->gfid) {
			sqlite3_reset(s->named);
			sqlite3_bind_text(s->named, 1, m->gfid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s->named, 2, bname, -1, SQLITE_TRANSIENT);
			int nrc = db_row(db, s->named);
			sqlite3_reset(s->named);
			if (nrc < 0)
				return -1;
			c->named = nrc == 1;
		}
	}
	sqlite3_reset(st);
	if (rc < 0)
		return -1;
	if (!rule)
		return n;
	st = s->pending;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_int64(st, 1, m->ts);
	sqlite3_bind_int64(st, 2, DEFERRED_WINDOW_NS);
	sqlite3_bind_text(st, 3, rule->kind, -1, SQLITE_STATIC);
	db_bind_opt_int(st, 4, m->known, pid);
	if (host)
		sqlite3_bind_text(st, 5, host, -1, SQLITE_TRANSIENT);
	while ((rc = db_row(db, st)) == 1 && n < MAX_CANDIDATES) {
		struct window_call *c = read_window_call(st, &out[n++]);
		c->pending = c->same_kind = true;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : n;
}

/* The links are gathered in temp.window_links_new and stored at the end
 * call by call: work left behind first (by rule), then the windows,
 * each in the calls' order, so that a timeline's link ids follow its
 * calls. */
#define STAGE_WINDOW 100

static bool stage_link(struct db *db, sqlite3_stmt *ins, int64_t event,
		       int64_t message, int stage, double confidence,
		       const char *note)
{
	sqlite3_reset(ins);
	sqlite3_bind_int64(ins, 1, event);
	sqlite3_bind_int64(ins, 2, message);
	sqlite3_bind_int(ins, 3, stage);
	sqlite3_bind_double(ins, 4, confidence);
	sqlite3_bind_text(ins, 5, note, -1, SQLITE_TRANSIENT);
	return db_done(db, ins);
}

/* How many threads the selected candidates run on. */
static size_t thread_count(const struct window_call *cand, const bool *sel,
			   int n)
{
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		bool seen = false;
		for (int j = 0; sel[i] && j < i && !seen; j++)
			seen = sel[j] && cand[j].pid == cand[i].pid &&
			       cand[j].tid == cand[i].tid;
		k += sel[i] && !seen;
	}
	return k;
}

/* The request's operation in the notes. */
static const char *request_name(const struct window_rpc *m)
{
	return m->proc ? m->proc : m->fit_known ? "RPC" : "request";
}

/* Links one RPC call to the calls that may have sent it; returns the
 * number of links or -1.  In order:
 *   deferred work (WRITE, FLUSH/RELEASE, RELEASEDIR) goes to the calls of
 *   its kind that left it pending or were running when it was sent;
 *   an RPC encoded by a thread that calls glfs_* goes to that thread's
 *   calls running then;
 *   one encoded by a thread of the library (or by a thread no record
 *   names) goes to every call its process had running, the procedure
 *   and the file deciding the confidence. */
static int link_one_rpc(struct db *db, struct window_stmts *s,
			const struct window_rpc *m,
			const struct deferred_rule *rule,
			struct window_call *cand, int n)
{
	double base = m->known ? 1.0 : 0.5;
	const char *unknown = m->known ? "" : "; connection's process unknown";
	char note[512];
	int links = 0;
	bool any_inside = false, sel[MAX_CANDIDATES];
	for (int i = 0; i < n; i++)
		any_inside |= cand[i].inside;

	if (rule) {
		for (int i = 0; i < n; i++)
			sel[i] = cand[i].same_kind && (cand[i].pending ||
				 (cand[i].inside && (!m->encoder_calls ||
						     cand[i].tid == m->encoder_tid)));
		size_t k = thread_count(cand, sel, n);
		for (int i = 0; k && i < n; i++) {
			if (!sel[i])
				continue;
			snprintf(note, sizeof note, "%s%s%s",
				 cand[i].pending ? rule->note :
				 "sent while the call ran", unknown,
				 k > 1 ? "; calls of several threads may have left it" : "");
			/* Sent after the call returned, it may also be the
			 * work of the call then running: half as sure. */
			double confidence = (cand[i].pending ? 0.5 : 1.0) * base /
					    (double)k;
			if (!stage_link(db, s->ins, cand[i].id, m->id,
					cand[i].pending ? (int)(rule - deferred_rules) :
					STAGE_WINDOW, confidence, note))
				return -1;
			links++;
		}
		if (k)
			return links;
	}

	if (m->encoder_calls) {
		for (int i = 0; i < n; i++) {
			struct window_call *c = &cand[i];
			if (!c->inside || c->pid != m->encoder_pid ||
			    c->tid != m->encoder_tid)
				continue;
			char nofit[96];
			snprintf(nofit, sizeof nofit, "(no procedure list for"
				 " %s requests)", m->protocol);
			snprintf(note, sizeof note, "%s encoded by the call's own"
				 " thread %lld %s%s", request_name(m),
				 (long long)m->encoder_tid,
				 !m->fit_known ? nofit :
				 c->fits ? "(a procedure it sends)" :
				 "(not a procedure it is known to send)", unknown);
			if (!stage_link(db, s->ins, c->id, m->id, STAGE_WINDOW,
					base, note))
				return -1;
			links++;
		}
		return links;
	}

	/* In flight: the calls whose window holds the RPC; when none does,
	 * those that fit it by the clock slack at a window's edge. */
	bool fit[MAX_CANDIDATES], on_file[MAX_CANDIDATES];
	for (int i = 0; i < n; i++) {
		sel[i] = !cand[i].pending &&
			 (any_inside ? cand[i].inside : cand[i].fits);
		fit[i] = sel[i] && cand[i].fits;
		on_file[i] = sel[i] && cand[i].named;
	}
	/* Counted by thread: a call and the calls nested in it are one. */
	size_t inflight = thread_count(cand, sel, n);
	size_t fitting = thread_count(cand, fit, n);
	size_t named = thread_count(cand, on_file, n);
	for (int i = 0; i < n; i++) {
		struct window_call *c = &cand[i];
		if (!sel[i])
			continue;
		double confidence;
		const char *why;
		char nofit[128];
		if (!m->fit_known) {
			/* Nothing says which calls send which requests of
			 * this protocol: each call in flight as likely. */
			snprintf(nofit, sizeof nofit, "no procedure list for %s"
				 " requests: the procedure is not weighed",
				 m->protocol);
			confidence = base * 0.5 / (double)inflight;
			why = nofit;
		} else if (c->fits && (c->named || !named)) {
			confidence = base / (double)(named ? named : fitting);
			why = c->named ? "a procedure it sends, on its path's file" :
			      "a procedure it sends";
		} else if (c->fits) {
			confidence = base * 0.1 / (double)inflight;
			why = "a procedure it sends, but on another call's file";
		} else if (fitting) {
			confidence = base * 0.1 / (double)inflight;
			why = "not a procedure it is known to send; another"
			      " call in flight sends it";
		} else {
			confidence = base * 0.5 / (double)inflight;
			why = "not a procedure any call in flight is known to send";
		}
		char who[96];
		if (m->encoder_known)
			snprintf(who, sizeof who, "encoded by the library's"
				 " thread %lld", (long long)m->encoder_tid);
		else
			snprintf(who, sizeof who, "no record of the thread that"
				 " encoded it");
		snprintf(note, sizeof note, "%s %s; %s; %s%s%s",
			 request_name(m),
			 !any_inside ? "at the edge of the call's window (clock slack)" :
			 "while the call ran", who, why, unknown,
			 inflight > 1 ? "; other calls of the process in flight" :
			 "; no other call of the process in flight");
		if (!stage_link(db, s->ins, c->id, m->id, STAGE_WINDOW,
				confidence, note))
			return -1;
		links++;
	}
	return links;
}

static bool link_time_window(struct db *db, struct join_stats *js)
{
	db->doing = "joining: links by time window";
	/* Captures alone: no call to join, and the gfid names (a JSON walk
	 * of every LOOKUP/CREATE reply body) would cost a tenth of the run. */
	int calls = have_client_calls(db);
	if (calls <= 0)
		return calls == 0;
	if (!db_exec(db, "joining: the gfids of paths", gfid_names_sql) ||
	    !db_exec(db, "joining: the calls' windows", window_tables_sql) ||
	    !db_exec(db, "joining: the calls' windows",
		     "DROP TABLE IF EXISTS temp.window_links_new;"
		     " CREATE TEMP TABLE window_links_new (event, message,"
		     " stage, confidence, note)"))
		return false;
	db->doing = "joining: links by time window";
	struct window_stmts s = { 0 };
	sqlite3_stmt *count = prepare(db, "SELECT count(*) FROM temp.window_calls");
	if (!count)
		return false;
	bool ok = db_row(db, count) == 1;
	if (ok)
		js->window_calls = (uint64_t)sqlite3_column_int64(count, 0);
	sqlite3_finalize(count);
	/* The calls whose window holds ts, by the slack; column 4 says
	 * whether without it. */
	/* Short windows by the index on t0; the few long ones (glfs_init,
	 * glfs_fini, a hung call) apart, or every RPC would scan every call
	 * of the longest window's span. */
	s.holding = prepare(db,
		"SELECT id, pid, tid, probe, t0 <= ?1 AND t1 >= ?1, kind, path, t0"
		" FROM temp.window_calls"
		" WHERE t0 BETWEEN ?1 - ?2 - ?3 AND ?1 + ?3 AND t1 - t0 <= ?2"
		" AND t1 >= ?1 - ?3"
		" AND (?4 IS NULL OR (pid = ?4 AND (?5 IS NULL OR host IS NULL"
		"  OR host = ?5)))"
		" UNION ALL"
		" SELECT id, pid, tid, probe, t0 <= ?1 AND t1 >= ?1, kind, path, t0"
		" FROM temp.window_calls"
		" WHERE t1 - t0 > ?2 AND t0 <= ?1 + ?3 AND t1 >= ?1 - ?3"
		" AND (?4 IS NULL OR (pid = ?4 AND (?5 IS NULL OR host IS NULL"
		"  OR host = ?5))) ORDER BY 8, 1");
	/* Calls of a kind that returned before ts, the latest of their
	 * thread: their deferred work is still to come. */
	s.pending = prepare(db,
		"SELECT w.id, w.pid, w.tid, w.probe FROM temp.window_calls w"
		" WHERE w.kind = ?3 AND w.t_ret < ?1 AND w.t_ret >= ?1 - ?2"
		" AND (?4 IS NULL OR (w.pid = ?4 AND (?5 IS NULL OR w.host IS NULL"
		"  OR w.host = ?5)))"
		" AND NOT EXISTS (SELECT 1 FROM temp.window_calls n"
		"  WHERE n.pid = w.pid AND n.tid = w.tid AND n.kind = w.kind"
		"  AND n.host IS w.host AND n.t0 > w.t_ret AND n.t0 < ?1)"
		" ORDER BY w.t_ret, w.id");
	s.named = prepare(db,
		"SELECT 1 FROM temp.gfid_names WHERE gfid = ?1 AND bname = ?2");
	s.ins = prepare(db, "INSERT INTO temp.window_links_new"
			" VALUES (?1, ?2, ?3, ?4, ?5)");
	/* The requests of every protocol on the connections of processes
	 * that made client library calls; and the ONC-RPC calls on
	 * connections of unknown process (GlusterFS names the process of
	 * nearly every connection; another protocol's connection of unknown
	 * process would be every call's candidate, on nothing but time). */
	sqlite3_stmt *sel = prepare(db,
		"SELECT m.id, m.ts_ns, m.op, c.client_pid, c.client_host,"
		" m.gfid, m.bname, n.pid, n.tid, EXISTS (SELECT 1"
		"  FROM temp.caller_threads k WHERE k.pid = n.pid"
		"  AND k.tid = n.tid AND k.host IS n.host),"
		" m.protocol, m.protocol IN ('rpc', 'glusterfs')"
		" FROM messages m JOIN conversations c ON c.id = m.conversation"
		" LEFT JOIN temp.encoders n ON n.message = m.id"
		" AND (c.client_pid IS NULL OR n.pid = c.client_pid)"
		" WHERE m.kind = 'request' AND m.ts_ns IS NOT NULL"
		" AND ((c.client_pid IS NULL AND m.protocol IN ('rpc', 'glusterfs'))"
		"  OR c.client_pid IN (SELECT pid FROM temp.caller_threads))"
		" ORDER BY m.ts_ns, m.id");
	struct window_call *cand = malloc(MAX_CANDIDATES * sizeof *cand);
	ok = ok && s.holding && s.pending && s.named && s.ins && sel && cand;
	int rc = 0;
	while (ok && (rc = db_row(db, sel)) == 1) {
		char proc[32], gfid[64], bname[256], host[256], protocol[32];
		struct window_rpc m = {
			.id = sqlite3_column_int64(sel, 0),
			.ts = sqlite3_column_int64(sel, 1),
			.known = !column_null(sel, 3),
			.encoder_known = !column_null(sel, 8),
			.encoder_pid = sqlite3_column_int64(sel, 7),
			.encoder_tid = sqlite3_column_int64(sel, 8),
		};
		m.encoder_calls = m.encoder_known && sqlite3_column_int(sel, 9);
		snprintf(protocol, sizeof protocol, "%s", column_text(sel, 10));
		m.protocol = protocol;
		m.fit_known = sqlite3_column_int(sel, 11);
		snprintf(proc, sizeof proc, "%s", column_null(sel, 2) ? "" :
			 column_text(sel, 2));
		snprintf(gfid, sizeof gfid, "%s", column_null(sel, 5) ? "" :
			 column_text(sel, 5));
		snprintf(bname, sizeof bname, "%s", column_null(sel, 6) ? "" :
			 column_text(sel, 6));
		snprintf(host, sizeof host, "%s", column_null(sel, 4) ? "" :
			 column_text(sel, 4));
		m.proc = *proc ? proc : NULL;
		m.gfid = *gfid ? gfid : NULL;
		m.bname = *bname ? bname : NULL;
		const struct deferred_rule *rule = m.fit_known ?
			deferred_rule_of(m.proc) : NULL;
		int n = window_candidates(db, &s, &m, sqlite3_column_int64(sel, 3),
					  column_null(sel, 4) ? NULL : host, rule,
					  cand);
		int links = n < 0 ? -1 : link_one_rpc(db, &s, &m, rule, cand, n);
		if (links < 0)
			ok = false;
		else
			js->window_links += (uint64_t)links;
	}
	if (rc < 0)
		ok = false;
	free(cand);
	sqlite3_finalize(sel);
	sqlite3_finalize(s.holding);
	sqlite3_finalize(s.pending);
	sqlite3_finalize(s.named);
	sqlite3_finalize(s.ins);
	if (!ok || !db_exec(db, "joining: storing the links by time window",
			    "INSERT INTO links (event, message, method,"
			    " confidence, note) SELECT w.event, w.message,"
			    " 'time-window', w.confidence, w.note"
			    " FROM temp.window_links_new w"
			    " JOIN probe_events e ON e.id = w.event"
			    " JOIN messages m ON m.id = w.message"
			    " ORDER BY w.stage, e.ts_ns, e.id, m.ts_ns, m.id;"
			    " DROP TABLE temp.window_links_new"))
		return false;
	sqlite3_stmt *linked = prepare(db,
		"SELECT count(DISTINCT l.event) FROM links l"
		" JOIN temp.window_calls w ON w.id = l.event"
		" WHERE l.method = 'time-window'");
	if (!linked || db_row(db, linked) != 1) {
		sqlite3_finalize(linked);
		return false;
	}
	js->window_linked = (uint64_t)sqlite3_column_int64(linked, 0);
	sqlite3_finalize(linked);
	return true;
}

/* ---- replies decoded by a probe ---- */

/* gluster.*_rsp events read a reply as the client decodes it: they join
 * the reply of that procedure their process received just before. */
static const struct {
	const char *probe, *proc, *proc2;
} reply_probes[] = {
	{ "gluster.setvolume_rsp", "SETVOLUME", NULL },
	{ "gluster.dump_rsp", "DUMP", NULL },
	{ "gluster.portmap_rsp", "PORTBYBRICK", "PMAP_PORTBYBRICK" },
	{ "gluster.getspec_rsp", "GETSPEC", NULL },
};

static bool link_reply_probes(struct db *db, struct join_stats *js)
{
	db->doing = "joining: reply probes";
	sqlite3_stmt *sel = prepare(db,
		"SELECT id, host, pid, ts_ns, probe, input FROM probe_events"
		" WHERE probe GLOB 'gluster.*_rsp' AND ts_ns IS NOT NULL"
		" ORDER BY ts_ns, id");
	sqlite3_stmt *cand = prepare(db,
		"SELECT m.id, m.request, c.client_pid IS NOT NULL"
		" FROM messages m JOIN conversations c ON c.id = m.conversation"
		" WHERE m.kind = 'response' AND m.protocol IN ('rpc', 'glusterfs')"
		" AND (m.op = ?1 OR m.op = ?7)"
		" AND m.ts_ns BETWEEN ?2 - ?8 AND ?2 + ?9"
		" AND ((c.client_pid = ?3 AND (c.client_host IS NULL OR ?4 IS NULL"
		"  OR c.client_host = ?4)) OR c.client_pid IS NULL)"
		" AND NOT EXISTS (SELECT 1 FROM links l JOIN probe_events p"
		"  ON p.id = l.event WHERE l.message = m.id AND p.probe = ?5"
		"  AND p.input = ?6)"
		" ORDER BY c.client_pid IS NULL, abs(m.ts_ns - ?2), m.id");
	sqlite3_stmt *ins = prepare(db, link_sql);
	bool ok = sel && cand && ins;
	int rc = 0;
	while (ok && (rc = db_row(db, sel)) == 1) {
		const char *probe = column_text(sel, 4);
		size_t r;
		for (r = 0; r < sizeof reply_probes / sizeof reply_probes[0]; r++)
			if (!strcmp(probe, reply_probes[r].probe))
				break;
		if (r == sizeof reply_probes / sizeof reply_probes[0])
			continue;
		int64_t id = sqlite3_column_int64(sel, 0);
		sqlite3_reset(cand);
		sqlite3_clear_bindings(cand);
		sqlite3_bind_text(cand, 1, reply_probes[r].proc, -1, SQLITE_STATIC);
		sqlite3_bind_int64(cand, 2, sqlite3_column_int64(sel, 3));
		sqlite3_bind_int64(cand, 3, sqlite3_column_int64(sel, 2));
		if (!column_null(sel, 1))
			sqlite3_bind_text(cand, 4, column_text(sel, 1), -1,
					  SQLITE_TRANSIENT);
		sqlite3_bind_text(cand, 5, probe, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(cand, 6, sqlite3_column_int64(sel, 5));
		if (reply_probes[r].proc2)
			sqlite3_bind_text(cand, 7, reply_probes[r].proc2, -1,
					  SQLITE_STATIC);
		sqlite3_bind_int64(cand, 8, JOIN_XID_WINDOW_NS);
		sqlite3_bind_int64(cand, 9, JOIN_CLOCK_SLACK_NS);
		int64_t best = 0, call = 0;
		bool mine = false;
		int n = 0, crc;
		while ((crc = db_row(db, cand)) == 1) {
			bool m = sqlite3_column_int(cand, 2);
			if (n == 0) {
				best = sqlite3_column_int64(cand, 0);
				call = sqlite3_column_int64(cand, 1);
				mine = m;
			}
			if (m == mine)
				n++;
		}
		sqlite3_reset(cand);
		if (crc < 0) {
			ok = false;
			break;
		}
		if (!n)
			continue;
		char note[200];
		snprintf(note, sizeof note, "the %s reply the process received"
			 " just before%s%s", reply_probes[r].proc,
			 mine ? "" : "; connection's process unknown",
			 n > 1 ? "; several fit: nearest in time" : "");
		double confidence = (mine ? 1.0 : 0.5) / n;
		ok = insert_link(db, ins, id, best, 0, "time-window", confidence,
				 note) &&
		     (!call || insert_link(db, ins, id, call, 0, "time-window",
					   confidence, "the call this reply answers"));
		js->window_links++;
	}
	if (rc < 0)
		ok = false;
	sqlite3_finalize(sel);
	sqlite3_finalize(cand);
	sqlite3_finalize(ins);
	return ok;
}

/* ---- nesting ---- */

struct open_call {
	int64_t id, end;
};

/* An event inside another's entry..return on the same thread is nested
 * in the innermost such call (Samba's vfs_gluster_ntimes around
 * glfs_utimens). */
static bool link_nesting(struct db *db, struct join_stats *js)
{
	db->doing = "joining: nesting";
	sqlite3_stmt *sel = prepare(db,
		"SELECT e.id, e.host, e.pid, e.tid, e.phase, e.ts_ns, e.entry,"
		" x.ts_ns, e.probe"
		" FROM probe_events e LEFT JOIN probe_events x ON x.id = e.return"
		" WHERE e.ts_ns IS NOT NULL"
		" ORDER BY e.host, e.pid, e.tid, e.ts_ns, e.id");
	sqlite3_stmt *ins = prepare(db, link_sql);
	struct open_call *stack = malloc(PAIR_STACK * sizeof *stack);
	bool ok = sel && ins && stack;
	size_t depth = 0;
	char group[320] = "";
	int rc = 0;
	while (ok && (rc = db_row(db, sel)) == 1) {
		const char *host = column_text(sel, 1);
		char key[320];
		snprintf(key, sizeof key, "%s\x1f%lld\x1f%lld", host ? host : "",
			 (long long)sqlite3_column_int64(sel, 2),
			 (long long)sqlite3_column_int64(sel, 3));
		if (strcmp(key, group)) {
			memcpy(group, key, sizeof group);
			depth = 0;
		}
		int64_t id = sqlite3_column_int64(sel, 0);
		int64_t ts = sqlite3_column_int64(sel, 5);
		const char *phase = column_text(sel, 4);
		while (depth && stack[depth - 1].end < ts)
			depth--;
		if (!strcmp(phase, "return")) {
			int64_t entry = sqlite3_column_int64(sel, 6);
			if (depth && stack[depth - 1].id == entry)
				depth--;
			continue;
		}
		if (depth) {
			char note[160];
			snprintf(note, sizeof note, "inside the enclosing call"
				 " on thread %lld",
				 (long long)sqlite3_column_int64(sel, 3));
			ok = insert_link(db, ins, id, 0, stack[depth - 1].id,
					 "nesting", 1.0, note);
			js->nesting_links++;
		}
		if (!strcmp(phase, "entry") && !column_null(sel, 7) &&
		    depth < PAIR_STACK) {
			stack[depth].id = id;
			stack[depth].end = sqlite3_column_int64(sel, 7);
			depth++;
		}
	}
	if (rc < 0)
		ok = false;
	free(stack);
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return ok;
}

bool join_all(struct db *db, struct join_stats *js, FILE *report)
{
	memset(js, 0, sizeof *js);
	return pair_entries(db, js) && estimate_offsets(db, js, report) &&
	       db_exec(db, "joining: clearing the links", "DELETE FROM links;"
		       " UPDATE conversations SET client_pid = NULL,"
		       " client_host = NULL, pid_method = NULL"
		       " WHERE pid_method = 'exact-xid'") &&
	       link_exact_xid(db, js) && link_time_window(db, js) &&
	       link_reply_probes(db, js) && link_nesting(db, js);
}
