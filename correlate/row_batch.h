/* row_batch.h - a run of rows stored by one statement.
 *
 * The correlator's rows are made in memory (ingest_capture.c's ring);
 * binding each value and stepping an INSERT per row spent a third of a
 * message row's cost in SQLite's statement start and finish and the
 * bindings.  tapline_row_batch is an eponymous virtual table on the
 * correlator's connection whose rows are the owner's rows [from, to),
 * read through a callback, so that
 *
 *	INSERT INTO messages (...) SELECT c1, ..., cN FROM tapline_row_batch
 *
 * stores the whole run with one step, every value handed over in place.
 * Its columns are c1 .. c64, all of them NULL unless the callback sets a
 * result. */
#ifndef TAPLINE_ROW_BATCH_H
#define TAPLINE_ROW_BATCH_H

#include <sqlite3.h>
#include <stdint.h>

#define ROW_BATCH_COLS 64

/* Sets ctx's result to the value of column `col` (0-based) of `row`;
 * setting none is NULL.  Texts and blobs stay where they are until the
 * statement's step returns (SQLITE_STATIC). */
typedef void row_batch_column_fn(void *user, uint64_t row, int col,
				 sqlite3_context *ctx);

struct row_batch {
	uint64_t from, to;		/* the rows of the next step */
	row_batch_column_fn *column;
	void *user;
};

/* Makes tapline_row_batch on db, its rows those `batch` names when a
 * statement reading it is stepped (batch must outlive db's
 * statements).  An SQLite result code. */
int row_batch_register(sqlite3 *db, struct row_batch *batch);

#endif
