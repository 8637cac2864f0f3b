/* row_batch.c - tapline_row_batch, the virtual table of row_batch.h. */
#include "row_batch.h"

#include <stdio.h>
#include <string.h>

/* The table: SQLite's base, then the batch it reads (the module's aux). */
struct batch_table {
	sqlite3_vtab base;
	struct row_batch *batch;
};

struct batch_cursor {
	sqlite3_vtab_cursor base;
	uint64_t row;
};

static int batch_connect(sqlite3 *db, void *aux, int argc,
			 const char *const *argv, sqlite3_vtab **vtab,
			 char **err)
{
	(void)argc;
	(void)argv;
	(void)err;
	char sql[16 + ROW_BATCH_COLS * 5];
	int n = snprintf(sql, sizeof sql, "CREATE TABLE x(");
	for (int i = 1; i <= ROW_BATCH_COLS; i++)
		n += snprintf(sql + n, sizeof sql - (size_t)n, "%sc%d",
			      i > 1 ? "," : "", i);
	snprintf(sql + n, sizeof sql - (size_t)n, ")");
	int rc = sqlite3_declare_vtab(db, sql);
	if (rc != SQLITE_OK)
		return rc;
	struct batch_table *v = sqlite3_malloc(sizeof *v);
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof *v);
	v->batch = aux;
	*vtab = &v->base;
	return SQLITE_OK;
}

static struct row_batch *batch_of(sqlite3_vtab *vtab)
{
	return ((struct batch_table *)vtab)->batch;
}

static int batch_disconnect(sqlite3_vtab *vtab)
{
	sqlite3_free(vtab);
	return SQLITE_OK;
}

static int batch_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info)
{
	(void)vtab;
	info->estimatedCost = 64;
	info->estimatedRows = 64;
	return SQLITE_OK;
}

static int batch_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **cursor)
{
	(void)vtab;
	struct batch_cursor *c = sqlite3_malloc(sizeof *c);
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*cursor = &c->base;
	return SQLITE_OK;
}

static int batch_close(sqlite3_vtab_cursor *cursor)
{
	sqlite3_free(cursor);
	return SQLITE_OK;
}

static int batch_filter(sqlite3_vtab_cursor *cursor, int index,
			const char *index_str, int argc, sqlite3_value **argv)
{
	(void)index;
	(void)index_str;
	(void)argc;
	(void)argv;
	struct batch_cursor *c = (struct batch_cursor *)cursor;
	c->row = batch_of(cursor->pVtab)->from;
	return SQLITE_OK;
}

static int batch_next(sqlite3_vtab_cursor *cursor)
{
	((struct batch_cursor *)cursor)->row++;
	return SQLITE_OK;
}

static int batch_eof(sqlite3_vtab_cursor *cursor)
{
	const struct batch_cursor *c = (const struct batch_cursor *)cursor;
	return c->row >= batch_of(cursor->pVtab)->to;
}

static int batch_column(sqlite3_vtab_cursor *cursor, sqlite3_context *ctx,
			int col)
{
	const struct batch_cursor *c = (const struct batch_cursor *)cursor;
	const struct row_batch *b = batch_of(cursor->pVtab);
	if (b->column)
		b->column(b->user, c->row, col, ctx);
	return SQLITE_OK;
}

static int batch_rowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((const struct batch_cursor *)cursor)->row;
	return SQLITE_OK;
}

/* Eponymous only (no xCreate): it exists on the connection that
 * registered it, never in the timeline's schema. */
static const sqlite3_module batch_module = {
	.iVersion = 0,
	.xConnect = batch_connect,
	.xBestIndex = batch_best_index,
	.xDisconnect = batch_disconnect,
	.xOpen = batch_open,
	.xClose = batch_close,
	.xFilter = batch_filter,
	.xNext = batch_next,
	.xEof = batch_eof,
	.xColumn = batch_column,
	.xRowid = batch_rowid,
};

int row_batch_register(sqlite3 *db, struct row_batch *batch)
{
	return sqlite3_create_module(db, "tapline_row_batch", &batch_module,
				     batch);
}
