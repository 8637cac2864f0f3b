# src/proto/gluster/local.mk - the GlusterFS programs (FOPs, handshake,
# glusterd, portmap, CLI, callbacks) over ONC-RPC; their unit tests and the
# tshark differential test.
libtapline_a_SOURCES += src/proto/gluster/gluster.h src/proto/gluster/dict.c \
	src/proto/gluster/fields.h src/proto/gluster/fields.c \
	src/proto/gluster/protocol.c src/proto/gluster/credentials.c \
	src/proto/gluster/fops.c src/proto/gluster/mgmt.c

# Unit tests: bytes built from the RFCs and GlusterFS's .x files, and the
# lab's real captures checked against the client logs and tshark.
check_PROGRAMS += tests/unit/gluster_xdr_test tests/unit/gluster_lab_test \
	tests/gluster/rpc_fields
tests_unit_gluster_xdr_test_SOURCES = tests/unit/gluster_xdr_test.c \
	tests/unit/xdr_build.h tests/unit/tap.h tests/unit/gluster_result.h
tests_unit_gluster_xdr_test_LDADD = $(TAPLINE_LIBS)
tests_unit_gluster_lab_test_SOURCES = tests/unit/gluster_lab_test.c \
	tests/unit/gluster_result.h \
	tests/unit/tap.h
tests_unit_gluster_lab_test_LDADD = $(TAPLINE_LIBS)
# The decoder's own column printer, for the tshark differential test.
tests_gluster_rpc_fields_SOURCES = tests/gluster/rpc_fields.c
tests_gluster_rpc_fields_LDADD = $(TAPLINE_LIBS)
TESTS += tests/unit/gluster_xdr_test tests/unit/gluster_lab_test tests/tshark-diff.sh \
	tests/gluster-fuzz-replay.sh tests/gluster-gap.sh
EXTRA_DIST += tests/tshark-diff.sh tests/tshark-known-bugs.txt \
	tests/gluster-gap.sh tests/gluster/captures \
	tests/gluster/make-v330-capture.sh \
	tests/gluster-fuzz-replay.sh tests/fuzz/corpus/rpc_record

