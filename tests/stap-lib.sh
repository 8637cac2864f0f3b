# tests/stap-lib.sh - sourced by the stap-*.sh tests after tests/setup.sh:
# finds stap, prepares the fake kernel build dir and the memlock shim
# (scripts/tapline-stap), and runs stap the way this machine allows.
STAP=${STAP:-stap}
TAPSETS=$top_srcdir/tapsets
STP=$top_srcdir/stp
TAPLINE_STAP=$top_srcdir/scripts/tapline-stap

command -v "$STAP" >/dev/null 2>&1 || skip_all "stap not installed (apt-get install systemtap)"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (System.map from /proc/kallsyms, uprobes)"
[ -r /proc/config.gz ] || skip_all "no /proc/config.gz: cannot make a kernel build dir for stap -r"

# The shim built by make, or one tapline-stap builds in its cache.
if [ -f "$top_builddir/scripts/stap-memlock-shim.so" ]; then
	TAPLINE_STAP_SHIM=$top_builddir/scripts/stap-memlock-shim.so
	export TAPLINE_STAP_SHIM
fi
stap_env=$("$TAPLINE_STAP" --env) || skip_all "tapline-stap cannot prepare stap's environment"
KBUILD=$(printf '%s\n' "$stap_env" | sed -n 's/^KBUILD=//p')
SHIM=$(printf '%s\n' "$stap_env" | sed -n 's/^SHIM=//p')

# stap_module ARGS...: the kernel-module runtime (translation only here).
stap_module() { "$STAP" -r "$KBUILD" -I "$TAPSETS" "$@"; }
# stap_bpf ARGS...: the BPF runtime, with the shim.
stap_bpf() { LD_PRELOAD=$SHIM "$STAP" -r "$KBUILD" -I "$TAPSETS" --runtime=bpf "$@"; }

# records FILE: the parsed events of FILE (tests/stap-records.awk), or
# failure when a line is malformed.
records() { awk -f "$top_srcdir/tests/stap-records.awk" "$1"; }
