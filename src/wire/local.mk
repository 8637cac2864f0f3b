# src/wire/local.mk - the wire decoder: capture, link, IP, TCP, reassembly,
# stream dispatch; its tests, fuzz harness and benchmark.
libtapline_a_SOURCES += src/wire/stream.h src/wire/capture.h src/wire/capture.c src/wire/pcap_file.h \
	src/wire/pcap_file.c src/wire/link.h src/wire/link.c \
	src/wire/ip.h src/wire/ip.c src/wire/icmp.h src/wire/icmp.c src/wire/tcp.h src/wire/tcp.c src/wire/reassembly.h \
	src/wire/reassembly.c src/wire/stream.c src/wire/events.c src/wire/decoder.h src/wire/decoder.c \
	src/wire/fields.h src/wire/fields.c

check_PROGRAMS += tests/unit/wire_reassembly_test
tests_unit_wire_reassembly_test_SOURCES = tests/unit/wire_reassembly_test.c \
	tests/unit/wire_pcap.h tests/unit/tap.h
tests_unit_wire_reassembly_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/wire_reassembly_test

check_PROGRAMS += tests/unit/pcap_file_test
tests_unit_pcap_file_test_SOURCES = tests/unit/pcap_file_test.c \
	tests/unit/tap.h
tests_unit_pcap_file_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/pcap_file_test

# Fuzzing.  `./configure --enable-fuzz CC=clang` compiles everything
# (libtapline.a included) with -fsanitize=fuzzer-no-link,address,undefined
# (configure.ac sets that in CFLAGS); the harnesses alone link with
# FUZZ_LDFLAGS (-fsanitize=fuzzer,...), which brings libFuzzer's main.
# `make fuzz` builds every harness in FUZZ_HARNESSES (other areas append
# theirs).  `make fuzz-run [FUZZ_SECONDS=N]` (CI) replays each harness's
# corpus, then fuzzes each for N seconds (30) with a fixed -seed, so that
# a red run reproduces; `make fuzz-long [FUZZ_SECONDS=N]` fuzzes each for
# N seconds (600) without a fixed -seed and keeps the working corpus
# between runs.  tests/fuzz/run.sh says how to reproduce a failure.
# Without libFuzzer, replay_pcap runs the pcap harness over the corpus as
# a regular test (tests/wire-fuzz-replay.sh).
FUZZ_HARNESSES =
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_pcap
noinst_PROGRAMS += tests/fuzz/fuzz_pcap
endif
tests_fuzz_fuzz_pcap_SOURCES = tests/fuzz/fuzz_pcap.c tests/fuzz/small_decoder.h
tests_fuzz_fuzz_pcap_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_pcap_LDFLAGS = $(FUZZ_LDFLAGS)
check_PROGRAMS += tests/fuzz/replay_pcap
tests_fuzz_replay_pcap_SOURCES = tests/fuzz/fuzz_pcap.c tests/fuzz/replay.c \
	tests/fuzz/small_decoder.h
tests_fuzz_replay_pcap_LDADD = $(TAPLINE_LIBS)
TESTS += tests/wire-fuzz-replay.sh
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/corpus tests/wire-fuzz-replay.sh

fuzz: $(FUZZ_HARNESSES)
fuzz-run: fuzz
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(top_srcdir)/tests/fuzz/run.sh $(FUZZ_SECONDS)
fuzz-long: fuzz
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	$(SHELL) $(top_srcdir)/tests/fuzz/run.sh --long $(FUZZ_SECONDS)
.PHONY: fuzz fuzz-run fuzz-long

# Reassembly against tshark's follow (an independent oracle).
check_PROGRAMS += tests/unit/wire_flows
tests_unit_wire_flows_SOURCES = tests/unit/wire_flows.c
tests_unit_wire_flows_LDADD = $(TAPLINE_LIBS)
TESTS += tests/wire-tshark-follow.sh tests/wire-capture-formats.sh \
	tests/wire-gap-resync.sh
EXTRA_DIST += tests/wire-tshark-follow.sh tests/wire-capture-formats.sh \
	tests/wire-gap-resync.sh

# The memory bound on captures made to cost memory (bench/hostile).
TESTS += tests/hostile-rss.sh
EXTRA_DIST += tests/hostile-rss.sh

# Benchmark (not part of make check): make bench [BENCH_SIZE=bytes].
noinst_PROGRAMS += bench/decode_bench bench/multiply bench/hostile
bench_hostile_SOURCES = bench/hostile.c
bench_hostile_LDADD = $(TAPLINE_LIBS)	# the Ceph shape's crc32c
bench_decode_bench_SOURCES = bench/decode_bench.c
bench_decode_bench_LDADD = $(TAPLINE_LIBS)
bench_multiply_SOURCES = bench/multiply.c
bench_multiply_LDADD = $(TAPLINE_LIBS)
EXTRA_DIST += bench/decode-bench.sh
BENCH_SIZE = 1073741824
bench: bench/decode_bench bench/multiply bench/hostile tapline$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	TAPLINE='$(abs_top_builddir)/tapline' BENCH_SIZE='$(BENCH_SIZE)' \
	$(SHELL) $(top_srcdir)/bench/decode-bench.sh
.PHONY: bench

# ICMP and ICMPv6 destination unreachable as connection events: real
# connect() calls refused by nft in a network namespace of the test's own,
# against tshark and the clients' errors.
TESTS += tests/decode-icmp.sh
EXTRA_DIST += tests/decode-icmp.sh
