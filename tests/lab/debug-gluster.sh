#!/bin/sh
# debug-gluster.sh - the GlusterFS client libraries built with -g from
# Debian's source (build-debug-gluster.sh, cached in the build tree) carry
# DWARF for what DWARF probing needs, and a real libgfapi client runs on
# them against the lab: the same call sequence, the same results.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/setup.sh"
need_lab

[ "$(id -u)" -eq 0 ] || skip_all "needs root (the lab)"
unshare --net true 2>/dev/null ||
	skip_all "cannot create network namespaces here (needs CAP_SYS_ADMIN)"
for tool in glusterd readelf dpkg-query apt-get; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
client="$top_builddir/tests/lab/gfapi-client"
[ -x "$client" ] || skip_all "no $client (configure found no glusterfs-api)"

cache="$top_builddir/tests/lab/gluster-debug"
rc=0
prefix=$("$top_srcdir/tests/lab/build-debug-gluster.sh" "$cache" 2>"$TMP/build.err") || rc=$?
if [ "$rc" -eq 3 ]; then
	skip_all "Debian's source archive not reachable: $(tail -1 "$TMP/build.err")"
fi
if [ "$rc" -ne 0 ]; then
	not_ok "build-debug-gluster.sh"
	sed 's/^/#   /' "$TMP/build.err"
	done_testing
	exit 1
fi
ok "build-debug-gluster.sh -> $prefix"
lib="$prefix/lib/libgfapi.so.0"
upstream=$(dpkg-query -W -f='${Version}' libgfapi0 | sed 's/^[0-9]*://; s/-[^-]*$//')
xl="$prefix/lib/glusterfs/$upstream/xlator/protocol/client.so"

# DWARF, read with binutils' readelf (not our ELF code).
readelf --debug-dump=info "$lib" 2>/dev/null >"$TMP/gfapi.dwarf"
check "libgfapi DWARF has pub_glfs_utimens" \
	grep -q 'DW_AT_name.*: pub_glfs_utimens$' "$TMP/gfapi.dwarf"
check "libgfapi DWARF has struct glfs_fd" \
	grep -q 'DW_AT_name.*: glfs_fd$' "$TMP/gfapi.dwarf"
readelf --debug-dump=info "$xl" 2>/dev/null >"$TMP/client.dwarf"
check "protocol/client DWARF has static client_setvolume_cbk" \
	grep -q 'DW_AT_name.*: client_setvolume_cbk$' "$TMP/client.dwarf"
debian_lib=$(ldconfig -p | awk '/libgfapi\.so\.0 .*x86-64/ {print $NF; exit}')
ours_id=$(readelf -n "$lib" | awk '/Build ID/ {print $3}')
theirs_id=$(readelf -n "$debian_lib" | awk '/Build ID/ {print $3}')
[ -n "$ours_id" ] && [ "$ours_id" != "$theirs_id" ] &&
	ok "build ID differs from Debian's ($ours_id vs $theirs_id)" ||
	not_ok "build ID differs from Debian's ($ours_id vs $theirs_id)"
check "the client resolves libgfapi to the debug build" \
	sh -c "LD_LIBRARY_PATH='$prefix/lib' ldd '$client' | grep -q '$lib'"

# The client on the debug libraries against a real volume.
lab="$top_srcdir/tests/lab/lab.sh"
export LAB_NAME="tldebug$$" LAB_DIR="$TMP/lab"
lab_down() { "$lab" down >/dev/null 2>&1; }
at_exit lab_down
check "lab.sh up" "$lab" up
"$lab" exec env LD_LIBRARY_PATH="$prefix/lib" \
	ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" "$client" \
	--volume single --path /debug-build.txt --gf-log "$TMP/gfapi.log" \
	>"$TMP/client.log" 2>"$TMP/client.err" || true
check "client on debug build: glfs_init ret 0" \
	grep -q 'call=glfs_init returned=yes ret=0 ' "$TMP/client.log"
check "client on debug build: glfs_utimens atime -1 ret 0" \
	grep -q 'call=glfs_utimens .*atime=-1\.000000000 .*ret=0 ' "$TMP/client.log"
check "client on debug build: glfs_stat atime -1" \
	grep -q 'call=glfs_stat .*atime=-1\.000000000 .*ret=0 ' "$TMP/client.log"
check "lab.sh down" "$lab" down
done_testing
