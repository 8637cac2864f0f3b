# src/proto/ceph/local.mk - the Ceph messenger, msgr v1 and v2: crc32c,
# the two generations' framing, cephx and secure mode (AES-GCM through
# libcrypto), frames and message bodies into fields, the stream protocol
# and its registry entry; their unit tests on published vectors and the
# lab's captures (tests/captures/ceph).
libtapline_a_SOURCES += src/proto/ceph/crc32c.h src/proto/ceph/crc32c.c \
	src/proto/ceph/msgr1.h src/proto/ceph/msgr1.c \
	src/proto/ceph/msgr2.h src/proto/ceph/msgr2.c \
	src/proto/ceph/cephx.h src/proto/ceph/cephx.c \
	src/proto/ceph/secure.h src/proto/ceph/secure.c \
	src/proto/ceph/framing.h src/proto/ceph/framing.c \
	src/proto/ceph/ceph.h src/proto/ceph/fields.h src/proto/ceph/fields.c \
	src/proto/ceph/frames.c src/proto/ceph/bodies.c \
	src/proto/ceph/stream.c src/proto/ceph/protocol.c
AM_CFLAGS += $(CRYPTO_CFLAGS)
TAPLINE_LIBS += $(CRYPTO_LIBS)

check_PROGRAMS += tests/unit/ceph_wire_test
tests_unit_ceph_wire_test_SOURCES = tests/unit/ceph_wire_test.c \
	tests/unit/ceph_vectors.h tests/unit/tap.h
tests_unit_ceph_wire_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/ceph_wire_test
EXTRA_DIST += tests/captures/ceph

# The framing layer's units of a capture, one line each (tests/ceph-*.sh).
check_PROGRAMS += tests/ceph/ceph_frames
tests_ceph_ceph_frames_SOURCES = tests/ceph/ceph_frames.c
tests_ceph_ceph_frames_LDADD = $(TAPLINE_LIBS)

# Fuzzing: a connection's two streams -> framing; and the replay of its
# corpus (lab connections and past findings) as a test.
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_ceph_stream
noinst_PROGRAMS += tests/fuzz/fuzz_ceph_stream
endif
tests_fuzz_fuzz_ceph_stream_SOURCES = tests/fuzz/fuzz_ceph_stream.c
tests_fuzz_fuzz_ceph_stream_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_ceph_stream_LDFLAGS = $(FUZZ_LDFLAGS)
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_ceph_message
noinst_PROGRAMS += tests/fuzz/fuzz_ceph_message
endif
tests_fuzz_fuzz_ceph_message_SOURCES = tests/fuzz/fuzz_ceph_message.c
tests_fuzz_fuzz_ceph_message_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_ceph_message_LDFLAGS = $(FUZZ_LDFLAGS)
check_PROGRAMS += tests/fuzz/replay_ceph_message
tests_fuzz_replay_ceph_message_SOURCES = tests/fuzz/fuzz_ceph_message.c \
	tests/fuzz/replay.c
tests_fuzz_replay_ceph_message_LDADD = $(TAPLINE_LIBS)
check_PROGRAMS += tests/fuzz/replay_ceph_stream
tests_fuzz_replay_ceph_stream_SOURCES = tests/fuzz/fuzz_ceph_stream.c \
	tests/fuzz/replay.c
tests_fuzz_replay_ceph_stream_LDADD = $(TAPLINE_LIBS)
TESTS += tests/ceph-fuzz-replay.sh tests/ceph-framing.sh tests/ceph-decode.sh \
	tests/ceph-memory.sh
EXTRA_DIST += tests/ceph-fuzz-replay.sh tests/ceph-framing.sh \
	tests/ceph-decode.sh tests/ceph-memory.sh tests/ceph/truth.sh tests/ceph/truth.awk \
	tests/fuzz/corpus/ceph_stream tests/fuzz/corpus/ceph_message
