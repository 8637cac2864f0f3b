#!/bin/sh
# tests/stap-dwarf.sh - the DWARF variants of the tapsets resolve against
# a -g build of GlusterFS 10.3's client libraries (the lab's
# tests/lab/build-debug-gluster.sh, from Debian's own source package):
# every gfapi.* alias on pub_glfs_* with the parameter names of
# tapsets/gfapi.spec, and the static callbacks of gluster_client.stp.
# SKIPs when the debug build cannot be made here (no Debian archive).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
need_lab
. "$top_srcdir/tests/stap-lib.sh"

build=$top_srcdir/tests/lab/build-debug-gluster.sh
[ -f "$build" ] || skip_all "no tests/lab/build-debug-gluster.sh"
# Reuse a finished build (the lab's test makes one in the build tree, a
# developer's lab in tests/lab/work): the first build takes minutes.
cache=$top_builddir/tests/lab/gluster-debug
for c in "$top_builddir/tests/lab/gluster-debug" "$top_srcdir/tests/lab/work/gluster-debug"; do
	if ls "$c"/prefix-*/.complete >/dev/null 2>&1; then cache=$c; break; fi
done
prefix=$(sh "$build" "$cache" 2>"$TMP/build.err") && st=0 || st=$?
if [ "$st" = 3 ]; then skip_all "Debian's source archive is not reachable: no debug build"; fi
if [ "$st" != 0 ] || [ ! -f "$prefix/lib/libgfapi.so.0" ]; then
	sed 's/^/# /' "$TMP/build.err" | tail -5
	skip_all "the debug GlusterFS build failed here (see above)"
fi
diag "debug build: $prefix"
xlator=$(ls "$prefix"/lib/glusterfs/*/xlator/protocol/client.so 2>/dev/null | head -1)

# The tapsets, pointed at the debug build (tapline.stpm names the paths).
mkdir "$TMP/ts"
cp "$TAPSETS"/*.stp "$TMP/ts/"
sed -e "s|\"/usr/lib/x86_64-linux-gnu/libgfapi.so.0\"|\"$prefix/lib/libgfapi.so.0\"|" \
    -e "s|\"/usr/lib/x86_64-linux-gnu/libgfxdr.so.0\"|\"$prefix/lib/libgfxdr.so.0\"|" \
    -e "s|\"/usr/lib/x86_64-linux-gnu/glusterfs/[^\"]*/client.so\"|\"$xlator\"|" \
    "$TAPSETS/tapline.stpm" >"$TMP/ts/tapline.stpm"
dw() { "$STAP" -r "$KBUILD" -I "$TMP/ts" "$@"; }

check "the debug libgfapi has DWARF" sh -c "readelf -S '$prefix/lib/libgfapi.so.0' | grep -q debug_info"

ncalls=$(awk '!/^#/ && NF' "$top_srcdir/tapsets/gfapi.spec" | wc -l)
printf 'probe gfapi.*, gfapi.*.return { if (pid() < 0) println(name) }\n' >"$TMP/all.stp"
check "stap -p2: every gfapi.* alias against the debug build" dw -p2 "$TMP/all.stp"
dw -p2 "$TMP/all.stp" 2>/dev/null >"$TMP/all.out" || true
n=$(grep -o 'function("pub_glfs_[a-z_0-9]*@' "$TMP/all.out" | sed 's/34@$/@/' | sort -u | wc -l)
check "all $ncalls gfapi calls resolve to their DWARF pub_glfs_* function ($n)" test "$n" -eq "$ncalls"
check "no symbol-only glfs_* point is used when DWARF exists" \
	sh -c "! grep -q 'function(\"glfs_' '$TMP/all.out'"

# Every DWARF parameter name of the spec exists in the debug build.
missing=""
awk '!/^#/ && NF { sub(/#:.*/, ""); print }' "$top_srcdir/tapsets/gfapi.spec" >"$TMP/calls"
while read -r call ret fields; do
	dw -L "gfapi.$call" >"$TMP/L" 2>/dev/null || true
	for f in $fields; do
		name=${f%%=*}
		rest=${f#*=}
		case $rest in *:*:*) name=${rest##*:} ;; esac
		grep -q " \\\$$name:" "$TMP/L" || missing="$missing $call:\$$name"
	done
done <"$TMP/calls"
check "every DWARF parameter name of gfapi.spec exists in pub_glfs_*${missing:+ (missing:$missing)}" \
	test -z "$missing"

# The static callbacks of the client xlator and of libgfapi.
for p in client_setvolume_cbk client_dump_version_cbk client_query_portmap_cbk mgmt_getspec_cbk; do
	check "gluster.$p resolves (DWARF, static)" \
		test "$(dw -l "gluster.$p" 2>/dev/null | wc -l)" -ge 1
done
check "gluster.client_setvolume_cbk reads \$req->xid and rpc_status" \
	dw -p2 -e 'probe gluster.client_setvolume_cbk { printf("%d %d %d\n", xid, rpc_status, op_errno) }'

# The scripts, both runtimes, against the debug build.
for s in gfapi-utimens handshake gfapi-trace; do
	check "stap -p2 stp/$s.stp against the debug build" dw -p2 "$STP/$s.stp" h b
	check "stap -p4 --runtime=bpf stp/$s.stp against the debug build" \
		env LD_PRELOAD="$SHIM" "$STAP" -r "$KBUILD" -I "$TMP/ts" --runtime=bpf -p4 "$STP/$s.stp" h b
done
done_testing
