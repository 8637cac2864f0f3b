# src/wire.mk - the wire decoder: capture, link, IP, TCP, reassembly,
# stream dispatch; its tests, fuzz harness and benchmark.
libtapline_a_SOURCES += src/capture.h src/capture.c src/link.h src/link.c \
	src/ip.h src/ip.c src/tcp.h src/tcp.c src/reassembly.h \
	src/reassembly.c src/stream.c src/decoder.h src/decoder.c

check_PROGRAMS += tests/unit/wire_reassembly_test
tests_unit_wire_reassembly_test_SOURCES = tests/unit/wire_reassembly_test.c \
	tests/unit/wire_pcap.h tests/unit/tap.h
tests_unit_wire_reassembly_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/wire_reassembly_test
