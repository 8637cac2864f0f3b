# tests/lab/cql: the CQL lab - a real Cassandra 2.1 and the DataStax
# Node.js driver (cassandra.sh, workload.js), a spec-built client for
# compressed frames (rawclient.js, cql-compress) and the protocol v4/v5
# generator (gen.js); cql-lab.sh makes tests/captures/cql.
check_PROGRAMS += tests/lab/cql/cql-compress
tests_lab_cql_cql_compress_SOURCES = tests/lab/cql/cql-compress.c
tests_lab_cql_cql_compress_CFLAGS = $(AM_CFLAGS) $(LZ4_CFLAGS) $(SNAPPY_CFLAGS)
tests_lab_cql_cql_compress_LDADD = $(LZ4_LIBS) $(SNAPPY_LIBS)
TESTS += tests/lab/cql/spec-builder.sh tests/lab/cql/cql-live.sh
EXTRA_DIST += tests/lab/cql/README.md tests/lab/cql/cassandra.sh \
	tests/lab/cql/cql-lab.sh tests/lab/cql/workload.js tests/lab/cql/rawclient.js \
	tests/lab/cql/cqlwire.js tests/lab/cql/tap.js tests/lab/cql/gen.js tests/lab/cql/check-logs.js \
	tests/lab/cql/crc-check.js tests/lab/cql/spec-builder.sh \
	tests/lab/cql/cql-live.sh tests/captures/cql
