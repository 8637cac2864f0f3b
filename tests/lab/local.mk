# tests/lab: the GlusterFS lab (lab.sh), its libgfapi client and smoke test.
EXTRA_DIST += tests/lab/lab.sh tests/lab/netns-stop.sh tests/lab/regen-captures.sh \
	tests/lab/metadata-load.sh tests/lab/session.sh \
	tests/lab/call-windows.sql
if HAVE_GFAPI
check_PROGRAMS += tests/lab/gfapi-client
tests_lab_gfapi_client_SOURCES = tests/lab/gfapi-client.c
tests_lab_gfapi_client_CPPFLAGS = $(AM_CPPFLAGS) $(GFAPI_CFLAGS)
tests_lab_gfapi_client_LDADD = $(GFAPI_LIBS) -lpthread
endif
if HAVE_GFAPI_TIRPC
check_PROGRAMS += tests/lab/gfapi-busy
tests_lab_gfapi_busy_SOURCES = tests/lab/gfapi-busy.c
tests_lab_gfapi_busy_CPPFLAGS = $(AM_CPPFLAGS) $(GFAPI_CFLAGS) $(TIRPC_CFLAGS)
tests_lab_gfapi_busy_LDADD = $(GFAPI_LIBS) $(TIRPC_LIBS) -lpthread
endif
EXTRA_DIST += tests/lab/README.md tests/lab/lab-smoke.sh tests/captures \
	tests/lab/build-debug-gluster.sh tests/lab/debug-gluster.sh \
	tests/lab/captures-check.sh
TESTS += tests/lab/captures-check.sh
if HAVE_GFAPI
TESTS += tests/lab/lab-smoke.sh tests/lab/debug-gluster.sh
endif
include tests/lab/cql/local.mk
