# src/record/local.mk - `tapline record`: tracefs uprobes.
libtapline_a_SOURCES += src/record/elfsym.c src/record/elfsym.h src/record/probe_defs.c \
	src/record/probe_defs.h src/record/recorder.c src/record/recorder.h
# errno on failing returns: the library's `errno = x` stores
libtapline_a_SOURCES += src/record/errno_sites.c src/record/errno_sites.h \
	src/record/errno_track.c src/record/errno_track.h
check_PROGRAMS += tests/unit/errno_sites_test
tests_unit_errno_sites_test_SOURCES = tests/unit/errno_sites_test.c tests/unit/tap.h
tests_unit_errno_sites_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/errno_sites_test tests/record-errno-sites.sh \
	tests/record-errno.sh
EXTRA_DIST += tests/record-errno-sites.sh tests/errno-sites-objdump.awk \
	tests/record-errno.sh bench/record-errno-cost.sh
# after record-cleanup.sh, like record-lab.sh (its SIGKILLed recorder's
# leftovers)
tests/record-errno.log: tests/record-cleanup.log
nodist_libtapline_a_SOURCES += src/record/gfapi_probe_defs.c
CLEANFILES += src/record/gfapi_probe_defs.c
# The gfapi.* probe table is generated from the spec that the tapsets are
# generated from too: one definition of names, fields and ABI positions.
EXTRA_DIST += src/record/gen-probe-defs.awk
src/record/gfapi_probe_defs.c: $(top_srcdir)/tapsets/gfapi.spec $(top_srcdir)/src/record/gen-probe-defs.awk
	@$(MKDIR_P) src
	$(AM_V_GEN)$(AWK) -f $(top_srcdir)/src/record/gen-probe-defs.awk \
		$(top_srcdir)/tapsets/gfapi.spec > $@.tmp && mv $@.tmp $@
check_PROGRAMS += tests/unit/record_test
tests_unit_record_test_SOURCES = tests/unit/record_test.c tests/unit/tap.h
tests_unit_record_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/record_test tests/record-cli.sh tests/record-cleanup.sh \
	tests/record-lab.sh
EXTRA_DIST += tests/record-cli.sh tests/record-cleanup.sh tests/record-lab.sh \
	bench/record-overhead.sh
# array-fetched struct fields, value by value (no lab: sanitizers run it too)
TESTS += tests/record-values.sh
EXTRA_DIST += tests/record-values.sh
TESTS += tests/record-filter.sh
EXTRA_DIST += tests/record-filter.sh
dist_man_MANS += man/tapline-record.1
# The recorder's parsers under libFuzzer (make fuzz) and, replayed over
# the corpus, as a test.
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_record_page
noinst_PROGRAMS += tests/fuzz/fuzz_record_page
endif
tests_fuzz_fuzz_record_page_SOURCES = tests/fuzz/fuzz_record_page.c
tests_fuzz_fuzz_record_page_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_record_page_LDFLAGS = $(FUZZ_LDFLAGS)
check_PROGRAMS += tests/fuzz/replay_record_page
tests_fuzz_replay_record_page_SOURCES = tests/fuzz/fuzz_record_page.c \
	tests/fuzz/replay.c
tests_fuzz_replay_record_page_LDADD = $(TAPLINE_LIBS)
TESTS += tests/record-fuzz-replay.sh
EXTRA_DIST += tests/record-fuzz-replay.sh

# record-cleanup.sh and record-errno.sh SIGKILL a recorder on purpose, and
# its leftovers live until the next run removes them; record-lab.sh checks
# that no dead recorder left probes behind, so it runs after both, never
# beside them (make check -j2 once ran record-errno.sh beside it).
tests/record-lab.log: tests/record-cleanup.log tests/record-errno.log
