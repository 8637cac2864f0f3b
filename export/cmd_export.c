/* cmd_export.c - tapline export: timelines as NDJSON files partitioned
 * by host and hour, for engines that read many files at once (DuckDB,
 * Spark, Trino, Elasticsearch/OpenSearch); tapline-export(1) and
 * docs/export.md.  Each timeline is read once, row by row, so memory
 * does not grow with its size. */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cmd/commands.h"
#include "correlate/db.h"
#include "correlate/jbuf.h"
#include "partitions.h"

static void usage(FILE *out)
{
	fputs(
"usage: tapline export -o DIR [-f ndjson] [--host NAME] TIMELINE.db...\n"
"\n"
"Writes the timelines made by 'tapline correlate' as NDJSON (one JSON\n"
"object per line, one line per row) under DIR, one folder per table:\n"
"  DIR/TABLE/host=HOST/hour=YYYY-MM-DDTHH/TIMELINE.ndjson\n"
"for messages, conversations, probe_events and links, and\n"
"  DIR/TABLE/TIMELINE.ndjson\n"
"for inputs, record_sessions and clock_offsets.  Columns are the\n"
"timeline's (tapline-correlate(1)), with two in front: timeline (the\n"
"file's name without .db) and aligned_ts_ns (the row's time on the\n"
"clock of the timeline's reference capture, which picks its hour); host\n"
"and hour are the folders' names, as Hive-style readers expect.\n"
"Message bodies are JSON text.  DIR/duckdb.sql makes every table and the\n"
"timeline's views in DuckDB ('cd DIR && duckdb -init duckdb.sql').\n"
"\n"
"Exporting a timeline again replaces what the last export of it wrote,\n"
"and nothing else: timelines of several hosts go into one DIR.  Files\n"
"are written aside and put in place at the end, so a failed export\n"
"leaves DIR as it was.  Timelines are opened read-only.\n"
"\n"
"Options:\n"
"  -o, --output DIR    where the files go (created if missing; required)\n"
"  -f, --format FMT    ndjson (the only one; engines turn it into\n"
"                      Parquet, see tapline-export(1))\n"
"      --host NAME     the host of captures that do not say theirs\n"
"                      (default: the records' host when the timeline has\n"
"                      one, else the timeline's name)\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 0 every timeline exported, 1 one could not be read or\n"
"written (the others are), 2 usage error.\n", out);
}

/* How the rows of a table are read: the statement puts timeline, host
 * and aligned_ts_ns first for partitioned tables (?1 the timeline's
 * name, ?2 its default host); a column named twice is written once, the
 * first time. */
struct table {
	const char *name;
	bool partitioned;
	const char *sql;
};

/* An input's offset to the timeline's reference capture (0 for it and
 * for inputs without one: records are realtime already). */
#define OFFSET_SQL(input) \
	"coalesce((SELECT o.offset_ns FROM clock_offsets o WHERE o.input = " \
	input " ORDER BY o.reference LIMIT 1), 0)"

static const struct table tables[] = {
	{ "inputs", false, "SELECT ?1 AS timeline, t.* FROM inputs t ORDER BY t.id" },
	{ "record_sessions", false,
	  "SELECT ?1 AS timeline, t.* FROM record_sessions t ORDER BY t.id" },
	{ "clock_offsets", false, "SELECT ?1 AS timeline, t.* FROM clock_offsets t" },
	{ "conversations", true,
	  "SELECT ?1 AS timeline, coalesce(nullif(i.host, ''), ?2) AS host,"
	  " c.first_ts_ns + " OFFSET_SQL("c.input") " AS aligned_ts_ns, c.*"
	  " FROM conversations c JOIN inputs i ON i.id = c.input ORDER BY c.id" },
	{ "messages", true,
	  "SELECT ?1 AS timeline, coalesce(nullif(i.host, ''), ?2) AS host,"
	  " m.ts_ns + " OFFSET_SQL("m.input") " AS aligned_ts_ns,"
	  /* the body as JSON, rendered from the record where the row keeps
	   * one (correlate/bodies.h); m.body after it is the same name,
	   * left out */
	  " coalesce(m.body, tapline_body(m.id)) AS body, m.*"
	  " FROM messages m JOIN inputs i ON i.id = m.input ORDER BY m.id" },
	{ "probe_events", true,
	  "SELECT ?1 AS timeline, coalesce(nullif(e.host, ''), ?2) AS host,"
	  " e.ts_ns AS aligned_ts_ns, e.* FROM probe_events e ORDER BY e.id" },
	{ "links", true,
	  "SELECT ?1 AS timeline, coalesce(nullif(e.host, ''), ?2) AS host,"
	  " e.ts_ns AS aligned_ts_ns, l.*"
	  " FROM links l JOIN probe_events e ON e.id = l.event ORDER BY l.id" },
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* The DuckDB views of the timeline's own views (export/duckdb-views.sql). */
extern const char tapline_duckdb_views_sql[];

struct export {
	const char *dir;
	const char *host_option;
	const char *path;	/* the timeline being written */
	const char *timeline;	/* its name */
	sqlite3 *db;
	struct partitions *files;
	struct jbuf row;
	/* Each table's columns and their DuckDB types, from the first
	 * timeline; the same for the others (one schema version). */
	struct jbuf columns[NTABLES];
};

static const char *duckdb_type(const char *name, const char *decltype)
{
	if (!decltype)	/* timeline, host: text; aligned_ts_ns: a time */
		return strcmp(name, "aligned_ts_ns") == 0 ? "BIGINT" : "VARCHAR";
	if (sqlite3_stricmp(decltype, "INTEGER") == 0)
		return "BIGINT";
	if (sqlite3_stricmp(decltype, "REAL") == 0)
		return "DOUBLE";
	return "VARCHAR";	/* TEXT; BLOB is written as hex text */
}

/* One row as a JSON object on one line. */
static void put_row(struct jbuf *b, sqlite3_stmt *st, const bool *skip, int n)
{
	static const char hex[] = "0123456789abcdef";
	jbuf_reset(b);
	jbuf_put(b, "{", 1);
	bool first = true;
	for (int i = 0; i < n; i++) {
		if (skip[i])
			continue;
		if (!first)
			jbuf_put(b, ",", 1);
		first = false;
		const char *name = sqlite3_column_name(st, i);
		jbuf_json_string(b, name, strlen(name));
		jbuf_put(b, ":", 1);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			jbuf_printf(b, "%lld", (long long)sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT: {
			double v = sqlite3_column_double(st, i);
			if (isfinite(v))
				jbuf_printf(b, "%.17g", v);
			else
				jbuf_put(b, "null", 4);
			break;
		}
		case SQLITE_TEXT:
			jbuf_json_string(b, (const char *)sqlite3_column_text(st, i),
					 (size_t)sqlite3_column_bytes(st, i));
			break;
		case SQLITE_BLOB: {
			const unsigned char *p = sqlite3_column_blob(st, i);
			int len = sqlite3_column_bytes(st, i);
			jbuf_put(b, "\"", 1);
			for (int k = 0; k < len; k++) {
				char two[2] = { hex[p[k] >> 4], hex[p[k] & 15] };
				jbuf_put(b, two, 2);
			}
			jbuf_put(b, "\"", 1);
			break;
		}
		default:
			jbuf_put(b, "null", 4);
		}
	}
	jbuf_put(b, "}\n", 2);
}

static void hour_of(char *out, size_t size, sqlite3_stmt *st, int column)
{
	if (sqlite3_column_type(st, column) == SQLITE_NULL) {
		snprintf(out, size, "unknown");
		return;
	}
	int64_t ns = sqlite3_column_int64(st, column);
	time_t s = (time_t)(ns / 1000000000 - (ns % 1000000000 < 0));
	struct tm tm;
	if (!gmtime_r(&s, &tm) || !strftime(out, size, "%Y-%m-%dT%H", &tm))
		snprintf(out, size, "unknown");
}

static bool export_table(struct export *x, size_t t, const char *default_host)
{
	const struct table *tab = &tables[t];
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(x->db, tab->sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "tapline export: %s: reading %s: %s\n", x->path,
			tab->name, sqlite3_errmsg(x->db));
		return false;
	}
	sqlite3_bind_text(st, 1, x->timeline, -1, SQLITE_STATIC);
	if (tab->partitioned)
		sqlite3_bind_text(st, 2, default_host, -1, SQLITE_STATIC);

	int n = sqlite3_column_count(st);
	bool skip[n > 0 ? n : 1];
	struct jbuf *cols = &x->columns[t];
	bool describe = cols->len == 0;
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		/* A partition's host is its folder's name, not a column of
		 * its rows: Hive-style readers (Spark, Trino) refuse a column
		 * that is both. */
		skip[i] = tab->partitioned && i == 1;
		/* A message's record: its body is there as JSON. */
		skip[i] |= strcmp(name, "wire") == 0 ||
			   strcmp(name, "wire_dictionary") == 0;
		for (int k = 0; k < i && !skip[i]; k++)
			skip[i] = strcmp(name, sqlite3_column_name(st, k)) == 0;
		if (describe && !skip[i]) {
			jbuf_printf(cols, "%s'%s': '%s'", cols->len ? ", " : "",
				    name, duckdb_type(name, sqlite3_column_decltype(st, i)));
		}
	}

	char hour[32] = "";
	const char *host = NULL;
	FILE *f = NULL;
	bool ok = true;
	uint64_t rows = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (tab->partitioned) {
			host = (const char *)sqlite3_column_text(st, 1);
			hour_of(hour, sizeof hour, st, 2);
		}
		if (!(f = partitions_file(x->files, tab->name, host, hour))) {
			ok = false;
			break;
		}
		put_row(&x->row, st, skip, n);
		if (x->row.failed) {
			fprintf(stderr, "tapline export: out of memory\n");
			ok = false;
			break;
		}
		fwrite(x->row.p, 1, x->row.len, f);
		rows++;
	}
	if (ok && rc != SQLITE_DONE) {
		fprintf(stderr, "tapline export: %s: reading %s: %s\n", x->path,
			tab->name, sqlite3_errmsg(x->db));
		ok = false;
	}
	sqlite3_finalize(st);
	/* An empty table still gets its (empty) file: readers given a
	 * folder's files then find the table, with no row. */
	if (ok && rows == 0)
		ok = partitions_file(x->files, tab->name,
				     tab->partitioned ? default_host : NULL,
				     "unknown") != NULL;
	return ok;
}

/* Captures say no host: the records' one when there is a single one. */
static char *default_host(struct export *x)
{
	if (x->host_option)
		return strdup(x->host_option);
	sqlite3_stmt *st = NULL;
	char *host = NULL;
	if (sqlite3_prepare_v2(x->db, "SELECT DISTINCT host FROM record_sessions"
			       " WHERE host IS NOT NULL LIMIT 2", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);
		host = h ? strdup(h) : NULL;
		if (sqlite3_step(st) != SQLITE_DONE) {	/* several hosts */
			free(host);
			host = NULL;
		}
	}
	sqlite3_finalize(st);
	return host ? host : strdup(x->timeline);
}

static bool export_timeline(struct export *x)
{
	if (!(x->db = db_open_readonly("export", x->path)))
		return false;
	char *host = default_host(x);
	bool ok = host != NULL;
	/* One read transaction: every table of the same state of the file,
	 * even while tapline correlate adds to it. */
	ok = ok && sqlite3_exec(x->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	ok = ok && (x->files = partitions_new(x->dir, x->timeline)) != NULL;
	for (size_t t = 0; ok && t < NTABLES; t++)
		ok = export_table(x, t, host);
	if (x->files)
		ok = partitions_finish(x->files, ok) && ok;
	x->files = NULL;
	free(host);
	sqlite3_close(x->db);
	x->db = NULL;
	return ok;
}

/* DIR/duckdb.sql: a view per table over its files, then the timeline's
 * views written for DuckDB. */
static bool write_duckdb_sql(struct export *x)
{
	size_t len = strlen(x->dir) + sizeof "/duckdb.sql";
	char path[len], partial[len + sizeof ".partial"];
	snprintf(path, sizeof path, "%s/duckdb.sql", x->dir);
	snprintf(partial, sizeof partial, "%s.partial", path);
	FILE *f = fopen(partial, "w");
	if (!f) {
		fprintf(stderr, "tapline export: %s: %m\n", partial);
		return false;
	}
	fputs("-- duckdb.sql - the tables and views of the timelines exported"
	      " here by\n-- tapline export (tapline-export(1)), for DuckDB run"
	      " in this folder:\n--   cd DIR && duckdb -init duckdb.sql\n\n", f);
	for (size_t t = 0; t < NTABLES; t++)
		fprintf(f, "CREATE OR REPLACE VIEW %s AS SELECT * FROM read_ndjson(\n"
			"\t'%s/%s*.ndjson', %s,\n\tcolumns = {%s});\n",
			tables[t].name, tables[t].name,
			tables[t].partitioned ? "*/*/" : "",
			tables[t].partitioned ? "hive_partitioning = true,"
			" hive_types = {'host': 'VARCHAR', 'hour': 'VARCHAR'}" :
			"hive_partitioning = false",
			x->columns[t].p ? x->columns[t].p : "");
	fputs("\n", f);
	fputs(tapline_duckdb_views_sql, f);
	if (fclose(f) != 0 || rename(partial, path) != 0) {
		fprintf(stderr, "tapline export: %s: %m\n", path);
		unlink(partial);
		return false;
	}
	return true;
}

/* The timeline's name: its file name without directories and ".db". */
static char *timeline_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".db") == 0)
		len -= 3;
	char raw[len + 1];
	memcpy(raw, base, len);
	raw[len] = '\0';
	char name[3 * len + 4];
	partition_escape(name, sizeof name, raw);
	return strdup(name);
}

int cmd_export(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "host", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export x = { 0 };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:f:h", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			x.dir = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "ndjson") != 0) {
				fprintf(stderr, "tapline export: format '%s': only"
					" ndjson is written (DuckDB, Spark and Trino"
					" turn it into Parquet: tapline-export(1))\n",
					optarg);
				return 2;
			}
			break;
		case 'H':
			if (!*optarg) {
				fprintf(stderr, "tapline export: --host: empty name\n");
				return 2;
			}
			x.host_option = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!x.dir || !*x.dir) {
		fprintf(stderr, "tapline export: where to? (-o DIR)\n");
		usage(stderr);
		return 2;
	}
	if (optind == argc) {
		fprintf(stderr, "tapline export: which timeline? (TIMELINE.db...)\n");
		usage(stderr);
		return 2;
	}
	int count = argc - optind;
	char **names = calloc((size_t)count, sizeof *names);
	if (!names) {
		fprintf(stderr, "tapline export: out of memory\n");
		return 1;
	}
	int status = 0;
	for (int i = 0; i < count && !status; i++) {
		if (!(names[i] = timeline_name(argv[optind + i]))) {
			fprintf(stderr, "tapline export: out of memory\n");
			status = 1;
		}
		for (int k = 0; k < i && !status; k++)
			if (strcmp(names[k], names[i]) == 0) {
				fprintf(stderr, "tapline export: %s and %s: two"
					" timelines named '%s' (the file name"
					" names a timeline's files): rename one\n",
					argv[optind + k], argv[optind + i], names[i]);
				status = 2;
			}
	}
	bool any = false;
	for (int i = 0; i < count && status != 2; i++) {
		x.path = argv[optind + i];
		x.timeline = names[i];
		if (export_timeline(&x))
			any = true;
		else
			status = 1;
	}
	if (any && !write_duckdb_sql(&x))
		status = 1;
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
	jbuf_free(&x.row);
	for (size_t t = 0; t < NTABLES; t++)
		jbuf_free(&x.columns[t]);
	return status;
}
