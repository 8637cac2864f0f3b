/* insert-peer.c - the benchmark's peer: the same rows tapline correlate
 * stored (messages and conversations of a timeline), inserted again
 * into a fresh timeline (same schema, same indexes, same connection
 * settings as correlate/db.c) by a bare prepared INSERT loop in one
 * transaction.  The rows are loaded into memory first;
 * only the insert loop is timed.
 *
 *	insert-peer FROM.db TO.db   ->  "ROWS SECONDS CPU_SECONDS" on stdout
 *
 * (CPU seconds: user + system time of the loop, for a loaded machine.)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

extern const char tapline_schema_sql[];

struct table {
	const char *name;
	int ncols;
	size_t nrows;
	sqlite3_value **v;	/* nrows * ncols */
};

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "insert-peer: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void load(sqlite3 *db, struct table *t)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY id", t->name);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		die(db, sql);
	t->ncols = sqlite3_column_count(st);
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (t->nrows == cap) {
			cap = cap ? 2 * cap : 4096;
			t->v = realloc(t->v, cap * t->ncols * sizeof *t->v);
		}
		for (int c = 0; c < t->ncols; c++)
			t->v[t->nrows * t->ncols + c] =
				sqlite3_value_dup(sqlite3_column_value(st, c));
		t->nrows++;
	}
	sqlite3_finalize(st);
}

/* Values are bound in place, not copied (sqlite3_bind_value would copy
 * every text): tapline binds its rows that way too. */
static void bind(sqlite3_stmt *st, int i, sqlite3_value *v)
{
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
		sqlite3_bind_int64(st, i, sqlite3_value_int64(v));
		break;
	case SQLITE_FLOAT:
		sqlite3_bind_double(st, i, sqlite3_value_double(v));
		break;
	case SQLITE_TEXT:
		sqlite3_bind_text(st, i, (const char *)sqlite3_value_text(v),
				  sqlite3_value_bytes(v), SQLITE_STATIC);
		break;
	case SQLITE_BLOB:
		sqlite3_bind_blob(st, i, sqlite3_value_blob(v),
				  sqlite3_value_bytes(v), SQLITE_STATIC);
		break;
	default:
		sqlite3_bind_null(st, i);
		break;
	}
}

static void insert(sqlite3 *db, const struct table *t)
{
	char sql[1024];
	int n = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?", t->name);
	for (int c = 1; c < t->ncols; c++)
		n += snprintf(sql + n, sizeof sql - n, ", ?");
	snprintf(sql + n, sizeof sql - n, ")");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		die(db, sql);
	for (size_t r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++)
			bind(st, c + 1, t->v[r * t->ncols + c]);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(db, "insert");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: insert-peer FROM.db TO.db\n");
		return 2;
	}
	sqlite3 *from, *to;
	if (sqlite3_open_v2(argv[1], &from, SQLITE_OPEN_READONLY, NULL))
		die(from, argv[1]);
	struct table tables[] = { { .name = "conversations" },
				  { .name = "messages" } };
	size_t rows = 0;
	for (int i = 0; i < 2; i++) {
		load(from, &tables[i]);
		rows += tables[i].nrows;
	}
	sqlite3_close(from);
	remove(argv[2]);
	if (sqlite3_open_v2(argv[2], &to, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) ||
	    sqlite3_exec(to, "PRAGMA page_size = 16384", NULL, NULL, NULL) ||
	    sqlite3_exec(to, tapline_schema_sql, NULL, NULL, NULL) ||
	    sqlite3_exec(to, "PRAGMA cache_size = -32768", NULL, NULL, NULL))
		die(to, argv[2]);
	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	if (sqlite3_exec(to, "BEGIN", NULL, NULL, NULL))
		die(to, "BEGIN");
	for (int i = 0; i < 2; i++)
		insert(to, &tables[i]);
	if (sqlite3_exec(to, "COMMIT", NULL, NULL, NULL))
		die(to, "COMMIT");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	printf("%zu %.3f %.3f\n", rows, (t1.tv_sec - t0.tv_sec) +
	       (t1.tv_nsec - t0.tv_nsec) / 1e9, (c1.tv_sec - c0.tv_sec) +
	       (c1.tv_nsec - c0.tv_nsec) / 1e9);
	sqlite3_close(to);
	return 0;
}
