# src/record.mk - `tapline record`: tracefs uprobes (owner: recorder).
libtapline_a_SOURCES += src/elfsym.c src/elfsym.h src/probe_defs.c \
	src/probe_defs.h src/recorder.c src/recorder.h src/cmd_record.c \
	src/gfapi_probe_defs.c
# The gfapi.* probe table is generated from the spec that the tapsets are
# generated from too: one definition of names, fields and ABI positions.
EXTRA_DIST += src/gen-probe-defs.awk
src/gfapi_probe_defs.c: $(top_srcdir)/tapsets/gfapi.spec $(top_srcdir)/src/gen-probe-defs.awk
	@$(MKDIR_P) src
	$(AM_V_GEN)$(AWK) -f $(top_srcdir)/src/gen-probe-defs.awk \
		$(top_srcdir)/tapsets/gfapi.spec > $@.tmp && mv $@.tmp $@
check_PROGRAMS += tests/unit/record_test
tests_unit_record_test_SOURCES = tests/unit/record_test.c tests/unit/tap.h
tests_unit_record_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/record_test tests/record-cli.sh tests/record-cleanup.sh \
	tests/record-lab.sh
EXTRA_DIST += tests/record-cli.sh tests/record-cleanup.sh tests/record-lab.sh \
	bench/record-overhead.sh
dist_man_MANS += man/tapline-record.1
