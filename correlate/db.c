/* db.c - the timeline database: schema, prepared statements, errors. */
#include "db.h"
#include "bodies.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Indexed by enum db_stmt. */
static const char *const stmt_sql[ST_COUNT] = {
	[ST_INPUT_BY_FINGERPRINT] =
		"SELECT id, file FROM inputs WHERE fingerprint = ?1",
	[ST_INPUT_BY_SIZE] =
		"SELECT 1 FROM inputs WHERE size = ?1 LIMIT 1",
	[ST_INPUT_FINGERPRINT] =
		"UPDATE inputs SET fingerprint = ?2 WHERE id = ?1",
	[ST_INPUT_INSERT] =
		"INSERT INTO inputs (file, kind, fingerprint, size, ingested_ns,"
		" clock, clock_offset_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_INPUT_FINISH] =
		"UPDATE inputs SET host = ?2, clock = ?3, clock_offset_ns = ?4,"
		" first_ts_ns = ?5, last_ts_ns = ?6, frames = ?7, messages = ?8,"
		" events = ?9, malformed = ?10, error = ?11 WHERE id = ?1",
	[ST_SESSION_INSERT] =
		"INSERT INTO record_sessions (input, line, host, clock,"
		" clock_offset_ns, boot_id, recorder, start_ns, header)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_EVENT_INSERT] =
		"INSERT INTO probe_events (input, session, line, ts_ns, ts_raw,"
		" host, pid, tid, comm, probe, phase, args, ret, errno, xid,"
		" prog, vers, proc, path) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
	[ST_CONV_INSERT] =
		"INSERT INTO conversations (input, stream, client_addr,"
		" client_port, server_addr, server_port, state, syn_count,"
		" first_ts_ns, last_ts_ns, protocol, id, calls, replies,"
		" client_host, client_pid, process_name, process_uuid,"
		" pid_method) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		" ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
	[ST_CONV_NEXT_ID] =
		"SELECT coalesce(max(id), 0) + 1 FROM conversations",
	/* The latest connection of a 4-tuple, either way round; column 1
	 * says whether ?2:?3 is its client. */
	[ST_CONV_BY_TUPLE] =
		"SELECT id, is_client, state, stream FROM ("
		" SELECT id, 1 AS is_client, state, stream FROM conversations"
		"  WHERE input = ?1 AND client_addr = ?2 AND client_port = ?3"
		"  AND server_addr = ?4 AND server_port = ?5"
		" UNION ALL"
		" SELECT id, 0, state, stream FROM conversations"
		"  WHERE input = ?1 AND client_addr = ?4 AND client_port = ?5"
		"  AND server_addr = ?2 AND server_port = ?3)"
		" ORDER BY id DESC LIMIT 1",
	[ST_CONV_BY_STREAM] =
		"SELECT id FROM conversations WHERE input = ?1 AND stream = ?2",
	[ST_CONV_SET_STREAM] =
		"UPDATE conversations SET stream = ?2,"
		" protocol = coalesce(protocol, ?3) WHERE id = ?1",
	[ST_CONV_SEEN] =
		"UPDATE conversations SET syn_count = syn_count + ?2,"
		" last_ts_ns = max(last_ts_ns, ?3) WHERE id = ?1",
	[ST_CONV_STATE] =
		"UPDATE conversations SET state = ?2,"
		" last_ts_ns = max(last_ts_ns, ?3) WHERE id = ?1",
	[ST_CONV_PROCESS] =
		"UPDATE conversations SET client_host = ?2, client_pid = ?3,"
		" process_name = coalesce(?4, process_name), process_uuid = ?5,"
		" pid_method = 'process-uuid' WHERE id = ?1",
	/* A run of message rows (row_batch.h).  OR FAIL: a statement that
	 * may stop half-way keeps what it wrote, so SQLite keeps no
	 * statement journal of the pages it changes (with ABORT it copied
	 * every index page of every run to a temporary file: 1.2 GB for a
	 * 130 MB timeline).  A failed run fails the whole input, which is
	 * rolled back. */
	[ST_MESSAGE_INSERT] =
		"INSERT OR FAIL INTO messages (input, frame, first_frame, ts_ns,"
		" conversation, src, dst, length, exchange_id, kind, protocol,"
		" service_code, service, service_version, op_code, op, status,"
		" status_code, status_name, reply_state, accept_state,"
		" request_frame, latency_ns, op_ret, op_errno, errno_name, gfid,"
		" pargfid, path, bname, verdict, why, info, body, request,"
		" response, wire, wire_dictionary, id) SELECT c1, c2, c3, c4,"
		" c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17,"
		" c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29,"
		" c30, c31, c32, c33, c34, c35, c36, c37, c38, c39"
		" FROM tapline_row_batch",
	[ST_MESSAGE_NEXT_ID] =
		"SELECT coalesce(max(id), 0) + 1 FROM messages",
	/* A connection's messages, counted while they stream in. */
	[ST_CONV_COUNTS] =
		"UPDATE conversations SET calls = calls + ?2,"
		" replies = replies + ?3, first_ts_ns = min(first_ts_ns, ?4),"
		" last_ts_ns = max(last_ts_ns, ?5) WHERE id = ?1",
	/* A response's request: the request of that exchange id that
	 * completed in the frame the decoder matched it to, on the same
	 * connection. */
	[ST_CALL_OF_REPLY] =
		"SELECT id FROM messages WHERE input = ?1 AND frame = ?2"
		" AND exchange_id = ?3 AND kind = 'request'"
		" AND conversation = ?4 ORDER BY id DESC LIMIT 1",
	/* A response whose request was inserted already (it waited too
	 * long). */
	[ST_SET_REPLY] =
		"UPDATE messages SET response = ?2 WHERE id = ?1"
		" AND response IS NULL",
	[ST_CONV_CREDENTIAL] =
		"UPDATE conversations SET client_pid = ?2, pid_method = 'credential'"
		" WHERE id = ?1 AND client_pid IS NULL",
	[ST_CONV_CRED_CONFLICT] =
		"UPDATE conversations SET client_pid = NULL, pid_method = NULL"
		" WHERE id = ?1 AND pid_method = 'credential'",
	[ST_WIRE_DICTIONARY_INSERT] =
		"INSERT INTO wire_dictionaries (id, input, bytes)"
		" VALUES (?1, ?2, ?3)",
	[ST_WIRE_DICTIONARY_NEXT_ID] =
		"SELECT coalesce(max(id), 0) + 1 FROM wire_dictionaries",
};

/* What each statement is for, in error messages. */
static const char *const stmt_purpose[ST_COUNT] = {
	[ST_INPUT_BY_FINGERPRINT] = "looking for the input by its fingerprint",
	[ST_INPUT_BY_SIZE] = "looking for inputs of the same size",
	[ST_INPUT_FINGERPRINT] = "storing the input's fingerprint",
	[ST_INPUT_INSERT] = "recording the input",
	[ST_INPUT_FINISH] = "storing the input's counts",
	[ST_SESSION_INSERT] = "storing a record session",
	[ST_EVENT_INSERT] = "storing a probe event",
	[ST_CONV_INSERT] = "storing a connection",
	[ST_CONV_NEXT_ID] = "numbering connections",
	[ST_CONV_BY_TUPLE] = "finding a connection by its addresses",
	[ST_CONV_BY_STREAM] = "finding a connection by its stream",
	[ST_CONV_SET_STREAM] = "updating a connection's stream",
	[ST_CONV_SEEN] = "updating a connection's handshake",
	[ST_CONV_STATE] = "updating a connection's state",
	[ST_CONV_PROCESS] = "storing a connection's process",
	[ST_MESSAGE_INSERT] = "storing a message",
	[ST_MESSAGE_NEXT_ID] = "numbering messages",
	[ST_CONV_COUNTS] = "counting a connection's messages",
	[ST_CALL_OF_REPLY] = "finding a response's request",
	[ST_SET_REPLY] = "linking a request to its response",
	[ST_CONV_CREDENTIAL] = "storing a connection's pid",
	[ST_CONV_CRED_CONFLICT] = "clearing a connection's pid",
	[ST_WIRE_DICTIONARY_INSERT] = "storing a dictionary of the records",
	[ST_WIRE_DICTIONARY_NEXT_ID] = "numbering the records' dictionaries",
};

/* Short on purpose: the SQL itself (up to the whole schema) would bury
 * the one line that matters. */
static void db_say(struct db *db, const char *purpose, const char *message)
{
	if (!purpose)
		purpose = "running a query";
	if (!db->hold_failure)
		fprintf(stderr, "tapline correlate: %s: %s: %s\n", db->path,
			purpose, message);
	else if (!db->failure[0])	/* the rest follow from the first */
		snprintf(db->failure, sizeof db->failure, "%s: %s: %s",
			 db->path, purpose, message);
}

void db_report(struct db *db, const char *purpose)
{
	db_say(db, purpose, sqlite3_errmsg(db->handle));
}

void db_flush_failure(struct db *db)
{
	if (db->failure[0])
		fprintf(stderr, "tapline correlate: %s\n", db->failure);
	db->failure[0] = '\0';
	db->hold_failure = false;
}

static const char *purpose_of(const struct db *db, sqlite3_stmt *st)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (db->stmts[i] == st)
			return stmt_purpose[i];
	return db->doing;
}

bool db_exec(struct db *db, const char *purpose, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->handle, sql, NULL, NULL, &msg) == SQLITE_OK)
		return true;
	db_say(db, purpose, msg ? msg : sqlite3_errmsg(db->handle));
	sqlite3_free(msg);
	return false;
}

sqlite3_stmt *db_stmt(struct db *db, enum db_stmt id)
{
	sqlite3_stmt *st = db->stmts[id];
	if (!st) {
		if (sqlite3_prepare_v3(db->handle, stmt_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &st,
				       NULL) != SQLITE_OK) {
			db_report(db, stmt_purpose[id]);
			return NULL;
		}
		db->stmts[id] = st;
		return st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

bool db_done(struct db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_report(db, purpose_of(db, st));
		sqlite3_reset(st);
		return false;
	}
	sqlite3_reset(st);
	return true;
}

int db_row(struct db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_report(db, purpose_of(db, st));
	return -1;
}

bool db_begin(struct db *db)
{
	return db_exec(db, "starting a transaction", "BEGIN IMMEDIATE");
}

bool db_commit(struct db *db)
{
	return db_exec(db, "committing", "COMMIT");
}

const char *db_journal_path(const struct db *db)
{
	const char *name = sqlite3_db_filename(db->handle, "main");
	return name && *name ? sqlite3_filename_journal(name) : NULL;
}

/* The size of the undo journal left on disk, 0 when there is none. */
static int64_t journal_left(const struct db *db)
{
	const char *journal = db_journal_path(db);
	struct stat sb;
	if (!journal || stat(journal, &sb) < 0)
		return 0;
	return sb.st_size > 0 ? (int64_t)sb.st_size : 1;
}

bool db_rollback(struct db *db, int64_t *journal_bytes)
{
	if (!sqlite3_get_autocommit(db->handle))
		sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
	/* After an I/O error during the transaction (a page spilled to a
	 * full disk) SQLite rolls back by itself but leaves the journal:
	 * the database file is not as it was until the journal is played
	 * back, which the next read does -- this one. */
	int64_t left = journal_left(db);
	if (left) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db->handle, "SELECT count(*) FROM"
				       " sqlite_master", -1, &st,
				       NULL) == SQLITE_OK) {
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
		left = journal_left(db);
	}
	if (journal_bytes)
		*journal_bytes = left;
	return left == 0;
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s, size_t len)
{
	if (s)
		sqlite3_bind_text(st, i, s, (int)len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void db_bind_opt_int(sqlite3_stmt *st, int i, bool have, int64_t v)
{
	if (have)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int single_int(struct db *db, const char *sql, int64_t *v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->handle, sql, -1, &st, NULL) != SQLITE_OK) {
		db_report(db, db->doing);
		return -1;
	}
	int rc = db_row(db, st);
	if (rc == 1)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Another writer holds the timeline: wait for it (a run adding a big
 * capture holds it for as long as that takes), saying so once. */
static int busy_wait(void *arg, int count)
{
	struct db *db = arg;
	int64_t now = monotonic_ns();
	if (count == 0) {
		db->busy_since_ns = now;
		db->busy_noted = false;
	}
	int64_t waited_ms = (now - db->busy_since_ns) / 1000000;
	if (waited_ms >= DB_BUSY_WAIT_MS)
		return 0;
	if (waited_ms >= 2000 && !db->busy_noted && !db->quiet) {
		fprintf(stderr, "tapline correlate: %s: waiting for another"
			" writer of the timeline to finish\n", db->path);
		db->busy_noted = true;
	}
	/* 1 ms at first, then up to 100 ms between tries. */
	int ms = count < 100 ? 1 + count : 100;
	struct timespec ts = { 0, (long)ms * 1000000 };
	nanosleep(&ts, NULL);
	return 1;
}

/* Version 1 to 2: rpc_messages (a table of ONC-RPC messages) becomes
 * messages (every protocol's, with the generic exchange), and
 * rpc_messages a view of it.  The objects that changed are moved aside
 * (links: its message column now refers to messages), the schema
 * creates what is missing, the rows are copied over, the old objects
 * dropped.  Ids are kept, so links and the copies' request/response
 * columns stay right.  The protocol of a v1 row is its body's
 * (GlusterFS programs: glusterfs; the others: rpc), its status what
 * its columns say. */
static const char upgrade_1_aside[] =
	"DROP VIEW IF EXISTS timeline;"
	"DROP VIEW IF EXISTS unanswered_calls;"
	"DROP VIEW IF EXISTS failed_calls;"
	"DROP VIEW IF EXISTS slow_calls;"
	"DROP VIEW IF EXISTS gfapi_calls;"
	"DROP INDEX IF EXISTS rpc_messages_by_xid;"
	"DROP INDEX IF EXISTS rpc_messages_by_conversation;"
	"DROP INDEX IF EXISTS rpc_messages_by_time;"
	"DROP INDEX IF EXISTS rpc_messages_by_frame;"
	"DROP INDEX IF EXISTS links_by_event;"
	"DROP INDEX IF EXISTS links_by_message;"
	"ALTER TABLE rpc_messages RENAME TO v1_rpc_messages;"
	"ALTER TABLE links RENAME TO v1_links;";

static const char upgrade_1_copy[] =
	"INSERT INTO messages (id, input, frame, first_frame, ts_ns,"
	" conversation, src, dst, protocol, kind, exchange_id, service,"
	" service_code, service_version, op, op_code, status, status_code,"
	" status_name, request, response, request_frame, latency_ns, length,"
	" verdict, why, info, reply_state, accept_state, op_ret, op_errno,"
	" errno_name, gfid, pargfid, path, bname, body)"
	" SELECT id, input, frame, first_frame, ts_ns, conversation, src, dst,"
	"  CASE WHEN instr(substr(body, 1, 512), '\"protocol\":\"GlusterFS\"')"
	"   THEN 'glusterfs' ELSE 'rpc' END,"
	"  CASE msg_type WHEN 'call' THEN 'request' ELSE 'response' END,"
	"  xid, program_name, program, version, proc_name, proc,"
	"  CASE WHEN msg_type = 'call' THEN NULL"
	"   WHEN op_ret < 0 OR reply_state <> 0 OR accept_state <> 0"
	"   THEN 'failed' ELSE 'ok' END,"
	"  CASE WHEN msg_type = 'call' THEN NULL WHEN op_ret < 0 THEN op_errno"
	"   WHEN reply_state <> 0 THEN NULL WHEN accept_state <> 0"
	"   THEN accept_state END,"
	"  CASE WHEN msg_type = 'reply' AND op_ret < 0 THEN errno_name END,"
	"  call, reply, call_frame, latency_ns, length, verdict, why, info,"
	"  reply_state, accept_state, op_ret, op_errno, errno_name, gfid,"
	"  pargfid, path, bname, body"
	" FROM v1_rpc_messages ORDER BY id;"
	"INSERT INTO links (id, event, message, parent, method, confidence,"
	" note) SELECT id, event, message, parent, method, confidence, note"
	" FROM v1_links ORDER BY id;"
	"DROP TABLE v1_links;"
	"DROP TABLE v1_rpc_messages;";

/* PRAGMA user_version = this version. */
static bool set_version(struct db *db)
{
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
		 DB_SCHEMA_VERSION);
	return db_exec(db, "setting the schema version", pragma);
}

/* Says how the upgrade from version `from` went (`detail`: after the
 * versions, when it worked); returns ok. */
static bool upgrade_said(struct db *db, int from, bool ok, const char *detail)
{
	if (!ok) {
		fprintf(stderr, "tapline correlate: %s: a version-%d timeline;"
			" upgrading it to version %d failed, it is left as it"
			" was (tapline correlate -o %s upgrades it when it can"
			" write it)\n", db->path, from, DB_SCHEMA_VERSION,
			db->path);
		return false;
	}
	if (!db->quiet)
		fprintf(stderr, "tapline correlate: %s: timeline upgraded from"
			" schema version %d to %d%s\n", db->path, from,
			DB_SCHEMA_VERSION, detail);
	return true;
}

/* Versions 1 to 3 to 4: conversations.state may also be 'unreachable'.
 * SQLite cannot alter a CHECK constraint; a looser one changes no row
 * (every state stored already passes it), so its text in the schema is
 * edited in place, as SQLite's documentation describes for such changes,
 * and the schema cookie moves so every connection reads it again. */
static bool allow_unreachable(struct db *db)
{
	int64_t cookie = 0;
	char bump[64];
	db->doing = "upgrading: the conversation states";
	if (single_int(db, "PRAGMA schema_version", &cookie) < 0)
		return false;
	snprintf(bump, sizeof bump, "PRAGMA schema_version = %lld",
		 (long long)cookie + 1);
	return db_exec(db, db->doing, "PRAGMA writable_schema = ON;"
		       "UPDATE sqlite_master SET sql = replace(sql,"
		       " '''refused'', ''established''',"
		       " '''refused'', ''unreachable'', ''established''')"
		       " WHERE type = 'table' AND name = 'conversations';") &&
	       db_exec(db, db->doing, bump) &&
	       db_exec(db, db->doing, "PRAGMA writable_schema = OFF");
}

static bool upgrade_from_1(struct db *db)
{
	int64_t messages = 0;
	bool ok = db_exec(db, "upgrading from version 1: the old tables",
			  upgrade_1_aside) &&
		  allow_unreachable(db) &&
		  db_exec(db, "upgrading from version 1: the new schema",
			  tapline_schema_sql) &&
		  db_exec(db, "upgrading from version 1: copying the rows",
			  upgrade_1_copy) &&
		  single_int(db, "SELECT count(*) FROM messages",
			     &messages) >= 0 &&
		  set_version(db);
	char detail[64];
	snprintf(detail, sizeof detail, " (%lld messages)",
		 (long long)messages);
	return upgrade_said(db, 1, ok, detail);
}

/* Version 2 to 3: messages gets the wire column (a version-2 row keeps
 * its JSON in body), and the views that show the body make it with
 * tapline_body() where wire holds the record. */
static const char upgrade_2_alter[] =
	"DROP VIEW IF EXISTS rpc_messages;"
	"DROP VIEW IF EXISTS cql_messages;"
	"DROP VIEW IF EXISTS ceph_messages;"
	"DROP VIEW IF EXISTS scylla_messages;"
	"ALTER TABLE messages ADD COLUMN wire BLOB;";

/* Version 3 to 4: messages gets wire_dictionary (NULL: a version-3 row
 * keeps its record as it is), the schema creates wire_dictionaries, and
 * unanswered_calls no longer calls every refusal a reset and tells
 * unreachable destinations apart. */
static const char upgrade_3_alter[] =
	"DROP VIEW IF EXISTS unanswered_calls;"
	"ALTER TABLE messages ADD COLUMN wire_dictionary INTEGER"
	" REFERENCES wire_dictionaries(id);";

static bool upgrade_from(struct db *db, int from)
{
	bool ok = (from > 2 ||
		   db_exec(db, "upgrading from version 2: the messages table",
			   upgrade_2_alter)) &&
		  db_exec(db, "upgrading from version 3: the messages table",
			  upgrade_3_alter) &&
		  allow_unreachable(db) &&
		  db_exec(db, "upgrading: the new schema",
			  tapline_schema_sql) &&
		  set_version(db);
	return upgrade_said(db, from, ok, "");
}

/* In the open write transaction: a new file gets the schema; a
 * timeline of versions 1 to 3 is upgraded; anything else must be a
 * timeline of this version. */
static bool check_or_create(struct db *db)
{
	int64_t version = 0, tables = 0;
	db->doing = "reading the timeline's version";
	if (single_int(db, "PRAGMA user_version", &version) < 0 ||
	    single_int(db, "SELECT count(*) FROM sqlite_master", &tables) < 0)
		return false;
	if (version == 0 && tables == 0) {
		/* A new file: the whole schema, or nothing. */
		return db_exec(db, "creating the schema", tapline_schema_sql) &&
		       set_version(db);
	}
	if (version == 0) {
		fprintf(stderr, "tapline correlate: %s: an SQLite database, but"
			" not a tapline timeline (user_version 0)\n",
			db->path);
		return false;
	}
	if (version == 1)
		return upgrade_from_1(db);
	if (version == 2 || version == 3)
		return upgrade_from(db, (int)version);
	if (version != DB_SCHEMA_VERSION) {
		fprintf(stderr, "tapline correlate: %s: timeline schema version"
			" %lld; this tapline reads versions 1 to 3 (upgraded to"
			" %d) and %d\n", db->path, (long long)version,
			DB_SCHEMA_VERSION, DB_SCHEMA_VERSION);
		return false;
	}
	return true;
}

bool db_open(struct db *db, const char *path, bool quiet)
{
	memset(db, 0, sizeof *db);
	db->path = path;
	db->quiet = quiet;
	/* One thread at a time uses the connection (a capture's writer
	 * thread hands it back before the caller's uses it; the
	 * fingerprinting thread never does): no mutex around every call, a
	 * tenth of the bind costs. */
	if (sqlite3_open_v2(path, &db->handle,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fprintf(stderr, "tapline correlate: %s: opening the timeline:"
			" %s\n", path, db->handle ?
			sqlite3_errmsg(db->handle) : "out of memory");
		db_close(db);
		return false;
	}
	sqlite3_busy_handler(db->handle, busy_wait, db);
	sqlite3_extended_result_codes(db->handle, 1);
	if (timeline_register_functions(db->handle, true) != SQLITE_OK ||
	    row_batch_register(db->handle, &db->batch) != SQLITE_OK) {
		db_report(db, "registering the timeline's functions");
		db_close(db);
		return false;
	}
	/* A new file gets pages of 16 KiB (an existing one keeps its own):
	 * for rows of a few hundred bytes, a quarter of the page writes (a
	 * system call each) and shallower B-trees than 4 KiB pages. */
	if (!db_exec(db, "opening the timeline", "PRAGMA page_size = 16384")) {
		db_close(db);
		return false;
	}
	/* Checked and created in one write transaction: a run that finds
	 * the file empty creates the schema before any other looks. */
	if (!db_exec(db, "opening the timeline", "BEGIN IMMEDIATE") ||
	    !check_or_create(db) || !db_commit(db)) {
		db_rollback(db, NULL);
		db_close(db);
		return false;
	}
	db->doing = NULL;
	return true;
}

bool db_limit_memory(struct db *db, size_t heap, size_t page_cache)
{
	/* The soft limit: past it SQLite gives back cache pages before it
	 * allocates more (a hard limit would fail statements instead). */
	sqlite3_soft_heap_limit64((sqlite3_int64)heap);
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%zu",
		 page_cache >> 10 ? page_cache >> 10 : 1);
	return db_exec(db, "sizing the page cache", pragma);
}

sqlite3 *db_open_readonly(const char *command, const char *path)
{
	sqlite3 *handle = NULL;
	sqlite3_stmt *st = NULL;
	int64_t version = -1;
	if (sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(handle, 10000);
		if (sqlite3_prepare_v2(handle, "PRAGMA user_version", -1, &st,
				       NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			version = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (version < 0)
		fprintf(stderr, "tapline %s: %s: %s\n", command, path,
			handle ? sqlite3_errmsg(handle) : "out of memory");
	else if (version == 0)
		fprintf(stderr, "tapline %s: %s: not a tapline timeline"
			" (user_version 0)\n", command, path);
	else if (version != DB_SCHEMA_VERSION)
		fprintf(stderr, "tapline %s: %s: timeline schema version"
			" %lld; this tapline reads version %d (tapline correlate"
			" -o %s INPUT upgrades it; an input it already holds"
			" will do)\n", command, path, (long long)version,
			DB_SCHEMA_VERSION, path);
	if (version == DB_SCHEMA_VERSION &&
	    timeline_register_functions(handle, false) != SQLITE_OK) {
		fprintf(stderr, "tapline %s: %s: registering the timeline's"
			" functions: %s\n", command, path,
			sqlite3_errmsg(handle));
		version = -1;
	}
	if (version != DB_SCHEMA_VERSION) {
		sqlite3_close(handle);
		return NULL;
	}
	return handle;
}

void db_close(struct db *db)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (db->stmts[i])
			sqlite3_finalize(db->stmts[i]);
	memset(db->stmts, 0, sizeof db->stmts);
	if (db->handle) {
		timeline_release_functions(db->handle);
		sqlite3_close(db->handle);
	}
	db->handle = NULL;
}
