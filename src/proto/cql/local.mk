# src/proto/cql/local.mk - the CQL native protocol v1-v5 (Cassandra,
# ScyllaDB): frame headers and detection, v5 segments and their CRCs,
# bounded lz4/snappy decompression, notations, types and cells, the stream
# layer, bodies and exchanges, the field table and registry entry; their
# unit tests, fuzz harnesses and the tests against the clients' logs and
# tshark.
libtapline_a_SOURCES += src/proto/cql/notation.h src/proto/cql/notation.c \
	src/proto/cql/frame.h src/proto/cql/frame.c \
	src/proto/cql/segment.h src/proto/cql/segment.c \
	src/proto/cql/compress.h src/proto/cql/compress.c \
	src/proto/cql/types.h src/proto/cql/types.c \
	src/proto/cql/cql.h src/proto/cql/stream.c src/proto/cql/bodies.c \
	src/proto/cql/fields.h src/proto/cql/fields.c src/proto/cql/protocol.c
AM_CFLAGS += $(LZ4_CFLAGS) $(SNAPPY_CFLAGS)
TAPLINE_LIBS += $(LZ4_LIBS) $(SNAPPY_LIBS)

# Bytes built from the specs; vectors from gocql and zlib; the lab's real
# lz4 and snappy bodies.
check_PROGRAMS += tests/unit/cql_layers_test
tests_unit_cql_layers_test_SOURCES = tests/unit/cql_layers_test.c tests/unit/tap.h
tests_unit_cql_layers_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/cql_layers_test

# The layers under libFuzzer (make fuzz), and the same harness over its
# corpus without libFuzzer (tests/cql-fuzz-replay.sh).
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_cql_layers
noinst_PROGRAMS += tests/fuzz/fuzz_cql_layers
endif
tests_fuzz_fuzz_cql_layers_SOURCES = tests/fuzz/fuzz_cql_layers.c
tests_fuzz_fuzz_cql_layers_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_cql_layers_LDFLAGS = $(FUZZ_LDFLAGS)
check_PROGRAMS += tests/fuzz/replay_cql_layers
tests_fuzz_replay_cql_layers_SOURCES = tests/fuzz/fuzz_cql_layers.c tests/fuzz/replay.c
tests_fuzz_replay_cql_layers_LDADD = $(TAPLINE_LIBS)
TESTS += tests/cql-fuzz-replay.sh
EXTRA_DIST += tests/cql-fuzz-replay.sh tests/fuzz/corpus/cql_layers

# The whole decoder from TCP on (frames, segments, bodies, rows, bombs).
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_cql_stream
noinst_PROGRAMS += tests/fuzz/fuzz_cql_stream
endif
tests_fuzz_fuzz_cql_stream_SOURCES = tests/fuzz/fuzz_cql_stream.c
tests_fuzz_fuzz_cql_stream_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_cql_stream_LDFLAGS = $(FUZZ_LDFLAGS)
check_PROGRAMS += tests/fuzz/replay_cql_stream
tests_fuzz_replay_cql_stream_SOURCES = tests/fuzz/fuzz_cql_stream.c tests/fuzz/replay.c
tests_fuzz_replay_cql_stream_LDADD = $(TAPLINE_LIBS)
EXTRA_DIST += tests/fuzz/corpus/cql_stream tests/fuzz/cql-corpus.sh

# The lab's captures against the clients' logs and against tshark; cuts
# that begin mid-connection.
TESTS += tests/cql/decode-vs-logs.sh tests/cql/cql-vs-tshark.sh tests/cql/mid-stream.sh
EXTRA_DIST += tests/cql/decode-vs-logs.sh tests/cql/decode-vs-logs.js \
	tests/cql/cql-vs-tshark.sh tests/cql/cql-vs-tshark.js tests/cql/cql-vs-tshark.known \
	tests/cql/mid-stream.sh tests/cql/log-values.js

# Waiting requests under the decoder's memory budget (bench/hostile cql).
TESTS += tests/cql/budget.sh
EXTRA_DIST += tests/cql/budget.sh

# The real capture on another port; compressed bodies that do not
# decompress.
TESTS += tests/cql/crafted.sh
EXTRA_DIST += tests/cql/crafted.sh tests/cql/crafted.js

# Golden outputs of every capture (summary, -V, -T fields, -z srt), each
# checked against the captures' bytes and the clients' logs without
# tapline (golden-check.js).
TESTS += tests/cql/golden.sh tests/cql/golden-check.sh
EXTRA_DIST += tests/cql/TESTLIST tests/cql/golden tests/cql/golden.sh \
	tests/cql/golden-check.sh tests/cql/golden-check.js
# `make accept-cql` re-blesses them (after a human read the printed
# differences) and checks the new ones at once.
accept-cql: tapline$(EXEEXT) tests/lab/cql/cql-compress$(EXEEXT)
	GOLDEN_ACCEPT=1 top_srcdir='$(abs_top_srcdir)' \
	  top_builddir='$(abs_top_builddir)' \
	  TAPLINE='$(abs_top_builddir)/tapline$(EXEEXT)' \
	  $(SHELL) $(top_srcdir)/tests/cql/golden.sh
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(top_srcdir)/tests/cql/golden-check.sh
.PHONY: accept-cql
