# src/proto/scylla/local.mk - ScyllaDB's inter-node RPC (Seastar RPC):
# negotiation, framing, LZ4 compression, verbs; their unit tests, the
# framing driver and its test against the traffic generator's logs, and
# the tshark differential (docs/scylla.md).
libtapline_a_SOURCES += src/proto/scylla/verbs.h src/proto/scylla/verbs.c \
	src/proto/scylla/negotiation.h src/proto/scylla/negotiation.c \
	src/proto/scylla/compress.h src/proto/scylla/compress.c \
	src/proto/scylla/framing.h src/proto/scylla/framing.c \
	src/proto/scylla/fields.h src/proto/scylla/fields.c \
	src/proto/scylla/bodies.h src/proto/scylla/bodies.c \
	src/proto/scylla/protocol.c

check_PROGRAMS += tests/unit/scylla_test tests/scylla/scylla_frames
tests_unit_scylla_test_SOURCES = tests/unit/scylla_test.c tests/unit/tap.h \
	tests/lab/scylla/scylla_build.h
tests_unit_scylla_test_LDADD = $(TAPLINE_LIBS)
tests_scylla_scylla_frames_SOURCES = tests/scylla/scylla_frames.c
tests_scylla_scylla_frames_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/scylla_test tests/scylla-frames.sh tests/scylla-tshark.sh \
	tests/scylla-decode.sh tests/scylla-cql-flow.sh tests/scylla-memory.sh
EXTRA_DIST += tests/scylla-frames.sh tests/scylla-tshark.sh \
	tests/scylla-decode.sh tests/scylla-cql-flow.sh tests/scylla-memory.sh \
	tests/scylla/decode-compare.awk \
	tests/scylla/log-frames.awk tests/scylla/log-compare.awk \
	tests/scylla/words.awk \
	tests/scylla/tshark-known.txt docs/scylla.md

# Both directions of a connection -> the framing layer (libFuzzer), and
# the same harness over its corpus without libFuzzer.
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_scylla
noinst_PROGRAMS += tests/fuzz/fuzz_scylla
endif
tests_fuzz_fuzz_scylla_SOURCES = tests/fuzz/fuzz_scylla.c \
	tests/lab/scylla/scylla_build.h
tests_fuzz_fuzz_scylla_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_scylla_LDFLAGS = $(FUZZ_LDFLAGS)
check_PROGRAMS += tests/fuzz/replay_scylla
tests_fuzz_replay_scylla_SOURCES = tests/fuzz/fuzz_scylla.c tests/fuzz/replay.c \
	tests/lab/scylla/scylla_build.h
tests_fuzz_replay_scylla_LDADD = $(TAPLINE_LIBS)
TESTS += tests/scylla-fuzz-replay.sh
EXTRA_DIST += tests/scylla-fuzz-replay.sh tests/fuzz/corpus/scylla \
	tests/fuzz/make-scylla-corpus.sh tests/scylla/tshark-agree.awk

# Benchmark (not part of make check): make bench-scylla [BENCH_SIZE=bytes].
noinst_PROGRAMS += tests/scylla/scylla_hostile
tests_scylla_scylla_hostile_SOURCES = tests/scylla/scylla_hostile.c \
	tests/lab/scylla/scylla_build.h
EXTRA_DIST += bench/scylla-bench.sh
bench-scylla: bench/decode_bench bench/multiply tests/scylla/scylla_hostile \
		tapline$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	TAPLINE='$(abs_top_builddir)/tapline' \
	$(SHELL) $(top_srcdir)/bench/scylla-bench.sh
.PHONY: bench-scylla
