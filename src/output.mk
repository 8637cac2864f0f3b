# src/output.mk - tapline decode's output side: renderers (text, -V, JSON,
# fields), the -Y filter, -z statistics; their unit and golden tests.
libtapline_a_SOURCES += src/output.h src/output.c src/filter.h src/filter.c \
	src/stats.h src/stats.c

check_PROGRAMS += tests/unit/output_test tests/unit/filter_test \
	tests/unit/stats_test
tests_unit_output_test_SOURCES = tests/unit/output_test.c tests/unit/tap.h
tests_unit_output_test_LDADD = $(TAPLINE_LIBS)
tests_unit_filter_test_SOURCES = tests/unit/filter_test.c tests/unit/tap.h
tests_unit_filter_test_LDADD = $(TAPLINE_LIBS)
tests_unit_stats_test_SOURCES = tests/unit/stats_test.c tests/unit/tap.h
tests_unit_stats_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/output_test tests/unit/filter_test tests/unit/stats_test
