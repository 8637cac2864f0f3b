# tests/lab/scylla: ScyllaDB inter-node RPC traffic built from the spec
# (no ScyllaDB server is installable here): the generator that plays the
# nodes over real loopback TCP, and the script that captures it.
check_PROGRAMS += tests/lab/scylla/scylla-gen
tests_lab_scylla_scylla_gen_SOURCES = tests/lab/scylla/scylla-gen.c \
	tests/lab/scylla/scylla_build.h
tests_lab_scylla_scylla_gen_LDADD = $(LZ4_LIBS)
EXTRA_DIST += tests/lab/scylla/lab.sh tests/lab/scylla/regen-captures.sh
