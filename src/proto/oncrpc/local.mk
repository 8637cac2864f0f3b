# src/proto/oncrpc/local.mk - ONC-RPC (RFC 5531): record marking over TCP,
# XDR, call/reply headers and matching; the record layer's unit test and
# fuzz harness.
libtapline_a_SOURCES += src/proto/oncrpc/xdr.h src/proto/oncrpc/xdr.c \
	src/proto/oncrpc/rpc.h src/proto/oncrpc/rpc.c \
	src/proto/oncrpc/rpc_record.h src/proto/oncrpc/rpc_record.c \
	src/proto/oncrpc/fields.h src/proto/oncrpc/fields.c \
	src/proto/oncrpc/protocol.c

check_PROGRAMS += tests/unit/rpc_record_test
tests_unit_rpc_record_test_SOURCES = tests/unit/rpc_record_test.c \
	tests/unit/xdr_build.h tests/unit/tap.h tests/unit/gluster_result.h
tests_unit_rpc_record_test_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/rpc_record_test

# One RPC record stream -> the RPC and GlusterFS decoders (libFuzzer), and
# the same harness over its corpus without libFuzzer.
if ENABLE_FUZZ
FUZZ_HARNESSES += tests/fuzz/fuzz_rpc_record
noinst_PROGRAMS += tests/fuzz/fuzz_rpc_record
endif
tests_fuzz_fuzz_rpc_record_SOURCES = tests/fuzz/fuzz_rpc_record.c
tests_fuzz_fuzz_rpc_record_LDADD = $(TAPLINE_LIBS)
tests_fuzz_fuzz_rpc_record_LDFLAGS = $(FUZZ_LDFLAGS)
check_PROGRAMS += tests/fuzz/replay_rpc_record
tests_fuzz_replay_rpc_record_SOURCES = tests/fuzz/fuzz_rpc_record.c \
	tests/fuzz/replay.c
tests_fuzz_replay_rpc_record_LDADD = $(TAPLINE_LIBS)
