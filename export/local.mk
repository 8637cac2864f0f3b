# export/local.mk - tapline export: timelines as NDJSON partitioned by
# host and hour, with the views for DuckDB (export/duckdb-views.sql).
libtapline_a_SOURCES += export/cmd_export.c export/partitions.h \
	export/partitions.c export/duckdb-views.sql
nodist_libtapline_a_SOURCES += export/duckdb-views.c
CLEANFILES += export/duckdb-views.c
dist_man_MANS += man/tapline-export.1

# The DuckDB views are kept as SQL and compiled in as one C string,
# written into each export's duckdb.sql.
export/duckdb-views.c: $(srcdir)/export/duckdb-views.sql
	$(AM_V_GEN)$(MKDIR_P) export && { \
	  echo '/* Generated from export/duckdb-views.sql: do not edit. */'; \
	  echo 'extern const char tapline_duckdb_views_sql[];'; \
	  echo 'const char tapline_duckdb_views_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    $(srcdir)/export/duckdb-views.sql; \
	  echo ';'; } > $@-t && mv $@-t $@

# The files and their rows against the timeline's own (sqlite3); the
# questions of examples/queries.sql answered by DuckDB (npm) over the
# export of three timelines, row for row as SQLite answers them.
TESTS += tests/export.sh tests/export-duckdb.sh
EXTRA_DIST += tests/export.sh tests/export-duckdb.sh examples/queries-duckdb.sql
