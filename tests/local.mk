# tests/: the unit tests and shell tests of the foundation.
EXTRA_DIST += tests/setup.sh tests/TESTLIST
check_PROGRAMS += tests/unit/message_test
tests_unit_message_test_SOURCES = tests/unit/message_test.c tests/unit/tap.h
tests_unit_message_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/message_test tests/cli.sh
include tests/lab/local.mk
include tapsets/local.mk
