/* sqlite_extension.c - tapline's SQL functions (bodies.h) as a loadable
 * SQLite extension, for the sqlite3 shell and other programs linked with
 * the system's SQLite:
 *
 *	sqlite> .load /usr/local/lib/tapline/tapline_sql
 *
 * It calls SQLite directly (the host's shared libsqlite3, the one it is
 * linked with), not through the extension API's table: libtapline is
 * one library for the command and the extension. */
#include <sqlite3.h>

#include "bodies.h"

/* The entry point sqlite3_load_extension() looks for in a file named
 * tapline_sql.so, and the generic one. */
int sqlite3_taplinesql_init(sqlite3 *db, char **err,
			    const sqlite3_api_routines *api);
int sqlite3_extension_init(sqlite3 *db, char **err,
			   const sqlite3_api_routines *api);

int sqlite3_taplinesql_init(sqlite3 *db, char **err,
			    const sqlite3_api_routines *api)
{
	(void)api;
	/* The host closes the connection: no statement may outlive a
	 * call. */
	int rc = timeline_register_functions(db, false);
	if (rc != SQLITE_OK && err)
		*err = sqlite3_mprintf("tapline_sql: registering the"
				       " functions: %s", sqlite3_errstr(rc));
	return rc;
}

int sqlite3_extension_init(sqlite3 *db, char **err,
			   const sqlite3_api_routines *api)
{
	return sqlite3_taplinesql_init(db, err, api);
}
