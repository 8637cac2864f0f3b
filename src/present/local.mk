# src/present/local.mk - tapline decode's output side: renderers (text, -V, JSON,
# fields), the -Y filter, -z statistics; their unit and golden tests.
libtapline_a_SOURCES += src/present/resolve.h src/present/resolve.c \
	src/present/output.h src/present/output.c src/present/filter.h src/present/filter.c \
	src/present/stats.h src/present/stats.c

check_PROGRAMS += tests/unit/output_test tests/unit/filter_test \
	tests/unit/stats_test
tests_unit_output_test_SOURCES = tests/unit/output_test.c tests/unit/tap.h
tests_unit_output_test_LDADD = $(TAPLINE_LIBS)
tests_unit_filter_test_SOURCES = tests/unit/filter_test.c tests/unit/tap.h
tests_unit_filter_test_LDADD = $(TAPLINE_LIBS)
tests_unit_stats_test_SOURCES = tests/unit/stats_test.c tests/unit/tap.h
tests_unit_stats_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/output_test tests/unit/filter_test tests/unit/stats_test

# Golden tests (tests/TESTLIST rows, expected outputs in tests/golden/) and
# the differential test against tshark; `make accept` re-blesses the
# golden outputs - only after a human checked the printed differences.
TESTS += tests/golden.sh tests/decode-vs-tshark.sh tests/decode-cli.sh \
	tests/decode-header-only.sh tests/decode-counted.sh tests/decode-tcp.sh \
	tests/decode-packets.sh tests/filter-addresses.sh
EXTRA_DIST += tests/golden.sh tests/golden tests/decode-vs-tshark.sh \
	tests/decode-vs-tshark.awk tests/decode-vs-tshark.known \
	tests/decode-cli.sh tests/decode-header-only.sh tests/decode-counted.sh \
	tests/decode-tcp.sh tests/decode-packets.sh tests/filter-addresses.sh
accept: tapline$(EXEEXT)
	GOLDEN_ACCEPT=1 top_srcdir='$(abs_top_srcdir)' \
	  top_builddir='$(abs_top_builddir)' \
	  TAPLINE='$(abs_top_builddir)/tapline$(EXEEXT)' \
	  $(SHELL) $(top_srcdir)/tests/golden.sh
.PHONY: accept

dist_man_MANS += man/tapline-decode.1 man/tapline.1

# Fuzz harnesses: capture bytes -> decoder -> every renderer, filter and
# report; -Y text -> the filter compiler.  Replayed over their corpora (and
# the lab captures) without libFuzzer in every build.
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_decode_output tests/fuzz/fuzz_filter
noinst_PROGRAMS += tests/fuzz/fuzz_decode_output tests/fuzz/fuzz_filter
endif
tests_fuzz_fuzz_decode_output_SOURCES = tests/fuzz/fuzz_decode_output.c \
	tests/fuzz/small_decoder.h
tests_fuzz_fuzz_decode_output_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_decode_output_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_filter_SOURCES = tests/fuzz/fuzz_filter.c
tests_fuzz_fuzz_filter_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_filter_LDFLAGS = $(FUZZ_LDFLAGS)
check_PROGRAMS += tests/fuzz/replay_decode_output tests/fuzz/replay_filter
tests_fuzz_replay_decode_output_SOURCES = tests/fuzz/fuzz_decode_output.c \
	tests/fuzz/replay.c tests/fuzz/small_decoder.h
tests_fuzz_replay_decode_output_LDADD = $(TAPLINE_LIBS)
tests_fuzz_replay_filter_SOURCES = tests/fuzz/fuzz_filter.c tests/fuzz/replay.c
tests_fuzz_replay_filter_LDADD = $(TAPLINE_LIBS)
TESTS += tests/output-fuzz-replay.sh
EXTRA_DIST += tests/output-fuzz-replay.sh
