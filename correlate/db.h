/* db.h - the timeline database: open (creating the schema of
 * schema.sql), prepared statements kept in an enum-indexed table,
 * transactions, and errors that say what failed in a few words
 * ("storing an RPC message: database or disk is full"). */
#ifndef TAPLINE_DB_H
#define TAPLINE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "row_batch.h"

#define DB_SCHEMA_VERSION 4

/* The hot statements, prepared once (on first use) and reused with
 * bind/step/reset inside one transaction per input. */
enum db_stmt {
	ST_INPUT_BY_FINGERPRINT,
	ST_INPUT_BY_SIZE,
	ST_INPUT_FINGERPRINT,
	ST_INPUT_INSERT,
	ST_INPUT_FINISH,
	ST_SESSION_INSERT,
	ST_EVENT_INSERT,
	ST_CONV_INSERT,
	ST_CONV_NEXT_ID,
	ST_CONV_BY_TUPLE,
	ST_CONV_BY_STREAM,
	ST_CONV_SET_STREAM,
	ST_CONV_SEEN,
	ST_CONV_STATE,
	ST_CONV_PROCESS,
	ST_MESSAGE_INSERT,
	ST_MESSAGE_NEXT_ID,
	ST_CONV_COUNTS,
	ST_CALL_OF_REPLY,
	ST_SET_REPLY,
	ST_CONV_CREDENTIAL,
	ST_CONV_CRED_CONFLICT,
	ST_WIRE_DICTIONARY_INSERT,
	ST_WIRE_DICTIONARY_NEXT_ID,
	ST_COUNT
};

struct db {
	sqlite3 *handle;
	const char *path;
	sqlite3_stmt *stmts[ST_COUNT];
	/* What the statements outside stmts[] are for, in error messages
	 * ("joining: links by XID"); set by their callers. */
	const char *doing;
	/* While set, the first error is kept in `failure` instead of being
	 * printed, for the caller to say in one line with what it cost
	 * (the full disk's error and "not added; the database is as it
	 * was"); db_flush_failure() prints what nobody said. */
	bool hold_failure;
	char failure[512];
	bool quiet;		/* no note while waiting for another writer */
	int64_t busy_since_ns;	/* when the current wait began */
	bool busy_noted;
	/* The rows tapline_row_batch yields (row_batch.h): its owner sets
	 * them before stepping ST_MESSAGE_INSERT. */
	struct row_batch batch;
};

/* How long a run waits for another writer of the same timeline (another
 * tapline correlate adding an input, a sqlite3 shell in a transaction)
 * before it gives up with "database is locked". */
#define DB_BUSY_WAIT_MS (10 * 60 * 1000)

/* Opens (creates) the database and its schema; upgrades a version-1
 * timeline in place; refuses another schema version.  The check and the
 * creation (or upgrade) are one write transaction, so that runs opening
 * the same timeline at once each find it either missing or whole, and
 * either of version 1 or upgraded.  False with a message on stderr. */
bool db_open(struct db *db, const char *path, bool quiet);
void db_close(struct db *db);

/* Opens a timeline to read only (tapline diagnose, tapline export): it
 * must exist and be of DB_SCHEMA_VERSION; never created or upgraded.
 * tapline's SQL functions (bodies.h) are registered on it, preparing
 * their statements for each call (sqlite3_close() needs no release).
 * NULL with "tapline COMMAND: PATH: why" on stderr. */
sqlite3 *db_open_readonly(const char *command, const char *path);

/* SQLite's heap (all of the process's connections) at most about `heap`
 * bytes, of which the page cache `page_cache`: the correlator's memory
 * plan gives both (memory.h).  False with a message. */
bool db_limit_memory(struct db *db, size_t heap, size_t page_cache);

/* The prepared statement, reset and with its bindings cleared; NULL (and
 * a message) if it does not prepare. */
sqlite3_stmt *db_stmt(struct db *db, enum db_stmt id);

/* Steps a statement that returns no row (or whose row is ignored), then
 * resets it.  False with sqlite3_errmsg and the statement's purpose on
 * stderr. */
bool db_done(struct db *db, sqlite3_stmt *st);

/* Steps once: 1 a row, 0 none, -1 error (reported).  Callers reset. */
int db_row(struct db *db, sqlite3_stmt *st);

/* Runs SQL text (several statements); false with the message and what
 * it was for (`purpose`, a few words). */
bool db_exec(struct db *db, const char *purpose, const char *sql);

/* Reports the last error of the handle: "PATH: PURPOSE: message". */
void db_report(struct db *db, const char *purpose);

/* Prints the error held (hold_failure) if any, and stops holding. */
void db_flush_failure(struct db *db);

bool db_begin(struct db *db);
bool db_commit(struct db *db);

/* Ends the transaction, undoing it.  After an I/O error (a full disk)
 * SQLite leaves the undo journal on disk for the next open to play
 * back; this plays it back now.  True when the database is as it was
 * before the transaction and no journal is left; false (and *journal_bytes
 * the size of what remains) when the journal could not be played back. */
bool db_rollback(struct db *db, int64_t *journal_bytes);

/* The undo journal's file name (PATH-journal). */
const char *db_journal_path(const struct db *db);

/* Binding helpers: NULL when absent. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s, size_t len);
void db_bind_opt_int(sqlite3_stmt *st, int i, bool have, int64_t v);

/* The schema text (schema.sql, compiled in). */
extern const char tapline_schema_sql[];

#endif
