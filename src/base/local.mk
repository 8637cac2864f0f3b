# src/base/local.mk - what every layer reads: bounds-checked cursors, the
# decoded message and its fields, errno names, the memory budget and the
# table of requests waiting for their responses.
libtapline_a_SOURCES += src/base/cursor.h src/base/message.h \
	src/base/message.c src/base/errno_names.c src/base/field.h \
	src/base/field.c src/base/view.h src/base/view.c src/base/budget.h \
	src/base/budget.c src/base/waiting.h src/base/waiting.c \
	src/base/nearest.h src/base/nearest.c

check_PROGRAMS += tests/unit/waiting_test
tests_unit_waiting_test_SOURCES = tests/unit/waiting_test.c tests/unit/tap.h
tests_unit_waiting_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/waiting_test
