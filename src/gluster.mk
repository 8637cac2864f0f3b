# src/gluster.mk - ONC-RPC record marking and messages, XDR, and the
# GlusterFS programs; their unit tests, the tshark differential test and
# the RPC-record fuzz harness.
libtapline_a_SOURCES += src/xdr.h src/xdr.c src/rpc.h src/rpc.c \
	src/rpc_record.h src/rpc_record.c src/gluster.h src/gluster_dict.c \
	src/gluster_fops.c src/gluster_mgmt.c

# Unit tests: bytes built from the RFCs and GlusterFS's .x files, and the
# lab's real captures checked against the client logs and tshark.
check_PROGRAMS += tests/unit/rpc_record_test tests/unit/gluster_xdr_test \
	tests/unit/gluster_lab_test tests/gluster/rpc_fields
tests_unit_rpc_record_test_SOURCES = tests/unit/rpc_record_test.c \
	tests/unit/xdr_build.h tests/unit/tap.h
tests_unit_rpc_record_test_LDADD = $(TAPLINE_LIBS)
tests_unit_gluster_xdr_test_SOURCES = tests/unit/gluster_xdr_test.c \
	tests/unit/xdr_build.h tests/unit/tap.h
tests_unit_gluster_xdr_test_LDADD = $(TAPLINE_LIBS)
tests_unit_gluster_lab_test_SOURCES = tests/unit/gluster_lab_test.c \
	tests/unit/tap.h
tests_unit_gluster_lab_test_LDADD = $(TAPLINE_LIBS)
# The decoder's own column printer, for the tshark differential test.
tests_gluster_rpc_fields_SOURCES = tests/gluster/rpc_fields.c
tests_gluster_rpc_fields_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/rpc_record_test tests/unit/gluster_xdr_test \
	tests/unit/gluster_lab_test tests/tshark-diff.sh \
	tests/gluster-fuzz-replay.sh tests/gluster-gap.sh
EXTRA_DIST += tests/tshark-diff.sh tests/tshark-known-bugs.txt \
	tests/gluster-gap.sh tests/gluster/captures \
	tests/gluster/make-v330-capture.sh \
	tests/gluster-fuzz-replay.sh tests/fuzz/corpus/rpc_record

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
