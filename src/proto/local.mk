# src/proto/local.mk - the protocol registry (the one list of protocols)
# and the fields every message has.
libtapline_a_SOURCES += src/proto/registry.h src/proto/registry.c \
	src/proto/tapline_fields.h src/proto/tapline_fields.c

# The tables against what the decoders emit, on every lab capture and
# fuzz corpus capture; docs/fields.md against the tables.
check_PROGRAMS += tests/unit/fields_test
tests_unit_fields_test_SOURCES = tests/unit/fields_test.c tests/unit/tap.h
tests_unit_fields_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/fields.sh
EXTRA_DIST += tests/fields.sh scripts/fields-doc.sh
# Renews the generated part of docs/fields.md from the tables.
fields-doc: tapline$(EXEEXT)
	$(SHELL) $(top_srcdir)/scripts/fields-doc.sh ./tapline$(EXEEXT) \
	  $(top_srcdir)/docs/fields.md >docs-fields.md.tmp && \
	  mv docs-fields.md.tmp $(top_srcdir)/docs/fields.md
.PHONY: fields-doc
