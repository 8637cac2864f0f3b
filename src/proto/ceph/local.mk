# src/proto/ceph/local.mk - the Ceph messenger, msgr v1 and v2: crc32c,
# the two generations' framing, cephx and secure mode (AES-GCM through
# libcrypto); their unit tests on published vectors and the lab's
# captures (tests/captures/ceph).
libtapline_a_SOURCES += src/proto/ceph/crc32c.h src/proto/ceph/crc32c.c \
	src/proto/ceph/msgr1.h src/proto/ceph/msgr1.c \
	src/proto/ceph/msgr2.h src/proto/ceph/msgr2.c \
	src/proto/ceph/cephx.h src/proto/ceph/cephx.c \
	src/proto/ceph/secure.h src/proto/ceph/secure.c
AM_CFLAGS += $(CRYPTO_CFLAGS)
TAPLINE_LIBS += $(CRYPTO_LIBS)

check_PROGRAMS += tests/unit/ceph_wire_test
tests_unit_ceph_wire_test_SOURCES = tests/unit/ceph_wire_test.c \
	tests/unit/ceph_vectors.h tests/unit/tap.h
tests_unit_ceph_wire_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/ceph_wire_test
EXTRA_DIST += tests/captures/ceph
