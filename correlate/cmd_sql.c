/* cmd_sql.c - tapline sql: SQL on a timeline, with the functions that
 * render its message bodies (bodies.h) loaded.  A thin shell: the
 * statements of the command line (or of standard input) in order, each
 * row on one line, as sqlite3's list mode prints them. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cmd/commands.h"
#include "bodies.h"
#include "db.h"

static void usage(FILE *out)
{
	fputs(
"Usage: tapline sql [OPTION]... TIMELINE.db [SQL]\n"
"Run SQL on a timeline made by tapline correlate, with tapline's functions\n"
"loaded: tapline_body(ID) gives a message's body as JSON (the views'\n"
"body column uses it), tapline_field(ID, NAME) one field's value\n"
"(tapline_field(id, 'glusterfs.ia_atime')).  Without SQL, the statements\n"
"are read from standard input.  Rows are printed one per line, columns\n"
"separated by '|' (NULL as nothing), as sqlite3 prints them.\n"
"\n"
"  -H, --header           print the column names first\n"
"  -s, --separator SEP    between columns (default '|')\n"
"  -w, --write            open the timeline for writing (default: read only)\n"
"  -h, --help             this help\n"
"\n"
"Exit status: 0 done, 1 an SQL or database error, 2 a usage error.\n"
"See tapline-sql(1) and tapline-correlate(1) for the tables and views.\n",
	      out);
}

/* The whole of standard input, NUL-terminated; NULL on a read error. */
static char *read_all(FILE *in)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	while (buf) {
		len += fread(buf + len, 1, cap - len - 1, in);
		if (ferror(in)) {
			free(buf);
			return NULL;
		}
		if (feof(in))
			break;
		if (cap - len < 2) {
			char *grown = realloc(buf, cap * 2);
			if (!grown)
				free(buf);
			buf = grown;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* Runs every statement of sql, printing rows; false after the first
 * error (said on stderr). */
static bool run(sqlite3 *db, const char *path, const char *sql, bool header,
		const char *sep)
{
	const char *tail = sql;
	while (tail && *tail) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK) {
			fprintf(stderr, "tapline sql: %s: %s\n", path,
				sqlite3_errmsg(db));
			return false;
		}
		if (!st)
			continue;	/* blanks or a comment */
		int ncols = sqlite3_column_count(st);
		bool first = true;
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (first && header) {
				for (int i = 0; i < ncols; i++)
					printf("%s%s", i ? sep : "",
					       sqlite3_column_name(st, i));
				putchar('\n');
			}
			first = false;
			for (int i = 0; i < ncols; i++) {
				const unsigned char *v =
					sqlite3_column_text(st, i);
				if (i)
					fputs(sep, stdout);
				if (v)
					fwrite(v, 1, (size_t)
					       sqlite3_column_bytes(st, i),
					       stdout);
			}
			putchar('\n');
		}
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "tapline sql: %s: %s\n", path,
				sqlite3_errmsg(db));
			sqlite3_finalize(st);
			return false;
		}
		sqlite3_finalize(st);
	}
	return true;
}

int cmd_sql(int argc, char **argv)
{
	static const struct option options[] = {
		{ "header", no_argument, NULL, 'H' },
		{ "separator", required_argument, NULL, 's' },
		{ "write", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool header = false, write = false;
	const char *sep = "|";
	int opt;
	while ((opt = getopt_long(argc, argv, "Hs:wh", options, NULL)) != -1) {
		switch (opt) {
		case 'H':
			header = true;
			break;
		case 's':
			sep = optarg;
			break;
		case 'w':
			write = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		fprintf(stderr, "tapline sql: %s\n", argc == optind ?
			"which timeline? (tapline sql TIMELINE.db [SQL])" :
			"one timeline and one SQL text (quote the SQL)");
		usage(stderr);
		return 2;
	}
	const char *path = argv[optind];
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, write ? SQLITE_OPEN_READWRITE :
			    SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "tapline sql: %s: %s\n", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return 1;
	}
	sqlite3_busy_timeout(db, 10000);
	if (timeline_register_functions(db, true) != SQLITE_OK) {
		fprintf(stderr, "tapline sql: %s: registering tapline's"
			" functions: %s\n", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	char *sql = argc - optind == 2 ? NULL : read_all(stdin);
	if (argc - optind == 1 && !sql) {
		fprintf(stderr, "tapline sql: reading standard input failed\n");
		timeline_release_functions(db);
		sqlite3_close(db);
		return 1;
	}
	bool ok = run(db, path, sql ? sql : argv[optind + 1], header, sep);
	free(sql);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "tapline sql: writing the rows failed\n");
		ok = false;
	}
	timeline_release_functions(db);
	sqlite3_close(db);
	return ok ? 0 : 1;
}
