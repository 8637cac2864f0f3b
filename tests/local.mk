# tests/: the message unit test, the command line and the layering.
EXTRA_DIST += tests/setup.sh tests/bounded.sh tests/TESTLIST tests/layers.sh
check_PROGRAMS += tests/unit/message_test
tests_unit_message_test_SOURCES = tests/unit/message_test.c tests/unit/tap.h
tests_unit_message_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/message_test tests/cli.sh tests/layers.sh
include tests/lab/local.mk
include tests/lab/ceph/local.mk
include tests/lab/scylla/local.mk
include tapsets/local.mk
