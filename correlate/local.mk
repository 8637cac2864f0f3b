# correlate/local.mk - tapline correlate: probe records and decoded
# captures joined into one SQLite timeline (correlate/schema.sql).
libtapline_a_SOURCES += correlate/schema.sql correlate/db.h correlate/db.c \
	correlate/sha256.h correlate/sha256.c correlate/jbuf.h \
	correlate/jbuf.c correlate/records.h correlate/records.c \
	correlate/ingest.h correlate/ingest_records.c \
	correlate/ingest_capture.c correlate/row_batch.h \
	correlate/row_batch.c correlate/join.h correlate/join.c \
	correlate/memory.h correlate/memory.c correlate/cmd_correlate.c \
	correlate/bodies.h correlate/bodies.c correlate/cmd_sql.c
nodist_libtapline_a_SOURCES += correlate/schema.c

# tapline's SQL functions (correlate/bodies.h) as a loadable SQLite
# extension, installed as $(pkglibdir)/tapline_sql.so for sqlite3's .load.
# It links libtapline.a, whose code must then be position-independent; in
# the tapline program that costs nothing measurable (the linker makes the
# calls and data references direct again).
AM_CFLAGS += -fPIC
tapline_extdir = $(pkglibdir)
tapline_ext_PROGRAMS = tapline_sql.so
tapline_sql_so_SOURCES = correlate/sqlite_extension.c
# Its own code binds to itself (libtapline has names such as xdr_opaque
# that the host process may also have) and it exports its entry points
# only.
tapline_sql_so_LDFLAGS = -shared -Wl,-Bsymbolic -Wl,--exclude-libs,ALL
tapline_sql_so_LDADD = $(TAPLINE_LIBS) -lpthread
CLEANFILES += correlate/schema.c
# New inputs are fingerprinted on a second thread while they are read.
tapline_LDADD += -lpthread
dist_man_MANS += man/tapline-correlate.1 man/tapline-sql.1

# The schema is kept as commented SQL and compiled in as one C string
# (comments included: sqlite_master keeps them, so .schema shows them).
correlate/schema.c: $(srcdir)/correlate/schema.sql
	$(AM_V_GEN)$(MKDIR_P) correlate && { \
	  echo '/* Generated from correlate/schema.sql: do not edit. */'; \
	  echo '#include "db.h"'; \
	  echo 'const char tapline_schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    $(srcdir)/correlate/schema.sql; \
	  echo ';'; } > $@-t && mv $@-t $@

# Version-1 and -2 timelines (made by the last tapline of each schema, kept as
# their .dump) upgraded in place, answering examples/queries.sql the same;
# the bodies rendered from records byte for byte version 2's JSON.
TESTS += tests/correlate-upgrade.sh tests/correlate-bodies.sh
EXTRA_DIST += tests/correlate-upgrade.sh tests/timeline-v1.sql tests/timeline-v2.sql tests/timeline-v3.sql \
	tests/correlate-bodies.sh

# Unit tests: the record reader against hostile lines, JSON strings.
check_PROGRAMS += tests/unit/records_test tests/unit/jbuf_test
tests_unit_records_test_SOURCES = tests/unit/records_test.c tests/unit/tap.h
tests_unit_records_test_LDADD = $(TAPLINE_LIBS)
tests_unit_jbuf_test_SOURCES = tests/unit/jbuf_test.c tests/unit/tap.h
tests_unit_jbuf_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/records_test tests/unit/jbuf_test

# The command on the bundled session; end to end on the lab (real
# glusterd, libgfapi, tapline record, tcpdump); under concurrency; runs
# on the same timeline at once; a disk that fills (a tmpfs in a mount
# namespace of its own: root).
TESTS += tests/correlate-cli.sh tests/correlate-lab.sh tests/correlate-load.sh \
	tests/correlate-race.sh tests/correlate-full-disk.sh \
	tests/correlate-two-hosts.sh tests/correlate-oracle.sh \
	tests/correlate-oracle-replay.sh \
	tests/correlate-cql-window.sh tests/correlate-xid-thread.sh
EXTRA_DIST += tests/correlate-cli.sh tests/correlate-hostile.rec \
	tests/correlate-cql-window.sh tests/correlate-xid-thread.sh \
	tests/correlate-lab.sh tests/correlate-load.sh tests/correlate-load.c \
	tests/correlate-race.sh tests/correlate-full-disk.sh \
	tests/correlate-two-hosts.sh tests/correlate-oracle.sh \
	tests/correlate-oracle.sql tests/correlate-oracle-check.sh \
	tests/correlate-oracle-replay.sh

# tapline with the capture ingest's memories made tiny, which must store
# the same timeline (tests/correlate-small.sh).
check_PROGRAMS += tests/tapline-small
tests_tapline_small_SOURCES = src/cmd/main.c correlate/ingest_capture.c
tests_tapline_small_CPPFLAGS = $(AM_CPPFLAGS) -DQUEUE_ROWS=2 -DRING_ROWS=8 \
	-DWRITER_BATCH=2 -DCONN_MEMO=4 -DSTREAM_CACHE=4 -DROWS_BYTES=4096
tests_tapline_small_LDADD = $(TAPLINE_LIBS) -lpthread
TESTS += tests/correlate-small.sh
EXTRA_DIST += tests/correlate-small.sh

# Connections refused by a reset or an ICMP port unreachable: state and
# SYN count against tshark, and diagnose's words.
TESTS += tests/correlate-refused.sh
EXTRA_DIST += tests/correlate-refused.sh

# The memory bound on captures made to cost memory (bench/hostile), and
# on a real metadata-heavy load (the lab).
TESTS += tests/correlate-rss.sh tests/correlate-lab-rss.sh
EXTRA_DIST += tests/correlate-rss.sh tests/correlate-lab-rss.sh

EXTRA_DIST += examples/README.md examples/queries.sql examples/run.sh \
	examples/gfapi-utimens.pcap examples/gfapi-utimens.rec \
	examples/gfapi-utimens.client.log examples/auth-failure.pcap \
	examples/auth-failure.rec examples/auth-failure.client.log \
	examples/mount-failure.pcap examples/mount-failure.rec \
	examples/mount-failure.client.log

# Not in make check: bench/correlate-bench.sh (ratio to a bare INSERT loop).
EXTRA_DIST += bench/correlate-bench.sh bench/pcap-grow.c bench/insert-peer.c

# The record reader under libFuzzer (make fuzz) and, replayed over its
# corpus without libFuzzer, in every build (tests/records-fuzz-replay.sh).
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_records
noinst_PROGRAMS += tests/fuzz/fuzz_records
tests_fuzz_fuzz_records_SOURCES = tests/fuzz/fuzz_records.c
tests_fuzz_fuzz_records_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_records_LDFLAGS = $(FUZZ_LDFLAGS)
endif
check_PROGRAMS += tests/fuzz/replay_records
tests_fuzz_replay_records_SOURCES = tests/fuzz/fuzz_records.c tests/fuzz/replay.c
tests_fuzz_replay_records_LDADD = $(TAPLINE_LIBS)
TESTS += tests/records-fuzz-replay.sh
EXTRA_DIST += tests/records-fuzz-replay.sh tests/fuzz/corpus/records

# What tapline_body() reads from a timeline, hostile (a database edited by
# hand), under libFuzzer (make fuzz) and, replayed over its corpus without
# libFuzzer, in every build (tests/timeline-body-fuzz-replay.sh).
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_timeline_body
noinst_PROGRAMS += tests/fuzz/fuzz_timeline_body
tests_fuzz_fuzz_timeline_body_SOURCES = tests/fuzz/fuzz_timeline_body.c
tests_fuzz_fuzz_timeline_body_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_timeline_body_LDFLAGS = $(FUZZ_LDFLAGS)
endif
check_PROGRAMS += tests/fuzz/replay_timeline_body
tests_fuzz_replay_timeline_body_SOURCES = tests/fuzz/fuzz_timeline_body.c \
	tests/fuzz/replay.c
tests_fuzz_replay_timeline_body_LDADD = $(TAPLINE_LIBS)
TESTS += tests/timeline-body-fuzz-replay.sh
EXTRA_DIST += tests/timeline-body-fuzz-replay.sh \
	tests/fuzz/timeline-body-corpus.sh tests/fuzz/corpus/timeline_body
