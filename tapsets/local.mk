# tapsets/ and stp/: SystemTap tapsets (installed where stap finds them
# without -I), ready-to-run scripts, the BPF-runtime helpers and their tests.
tapset_DATA += tapsets/tapline.stpm tapsets/tapline_emit.stp \
	tapsets/gfapi.stp tapsets/rpc.stp tapsets/gluster_client.stp \
	tapsets/samba_vfs_glusterfs.stp
stp_DATA += stp/gfapi-utimens.stp stp/gfapi-utimens.meta \
	stp/gfapi-trace.stp stp/gfapi-trace.meta \
	stp/gfapi-latency.stp stp/gfapi-latency.meta \
	stp/handshake.stp stp/handshake.meta \
	stp/samba-gluster.stp stp/samba-gluster.meta \
	stp/rpc-xid.stp stp/rpc-xid.meta

# scripts/tapline-stap runs stap --runtime=bpf with the workarounds this
# kind of machine needs; the shim it preloads is built here with fixed
# flags (never the sanitizers of a test build: it is preloaded into stap).
dist_bin_SCRIPTS = scripts/tapline-stap
dist_man_MANS += man/tapline-stap.1
stapshimdir = $(pkglibdir)
stapshim_DATA = scripts/stap-memlock-shim.so
check_DATA = scripts/stap-memlock-shim.so
scripts/stap-memlock-shim.so: $(srcdir)/scripts/stap-memlock-shim.c
	$(AM_V_CC)$(MKDIR_P) scripts && \
	$(CC) -std=c11 -O2 -Wall -Wextra -shared -fPIC -o $@ \
		$(srcdir)/scripts/stap-memlock-shim.c -ldl
CLEANFILES += scripts/stap-memlock-shim.so

EXTRA_DIST += $(tapset_DATA) $(stp_DATA) tapsets/gfapi.spec \
	tapsets/gen-gfapi.awk scripts/stap-memlock-shim.c \
	tests/stap-records.awk tests/stap-lib.sh

# tapsets/gfapi.stp is generated from tapsets/gfapi.spec and committed
# (stap and the tests need no awk run); regenerate after editing the spec.
regen-tapsets:
	$(AWK) -f $(srcdir)/tapsets/gen-gfapi.awk $(srcdir)/tapsets/gfapi.spec \
		>$(srcdir)/tapsets/gfapi.stp.tmp && \
	mv $(srcdir)/tapsets/gfapi.stp.tmp $(srcdir)/tapsets/gfapi.stp
.PHONY: regen-tapsets

TESTS += tests/stap-probes.sh tests/stap-wrapper.sh tests/stap-buildok.sh tests/stap-lab.sh \
	tests/stap-dwarf.sh
EXTRA_DIST += tests/stap-probes.sh tests/stap-wrapper.sh tests/stap-buildok.sh tests/stap-lab.sh \
	tests/stap-dwarf.sh
# Not in make check: bench/stap-flood.sh (the tracers under a flood of
# another process's libgfapi calls, ratios to the same flood untraced).
EXTRA_DIST += bench/stap-flood.sh
