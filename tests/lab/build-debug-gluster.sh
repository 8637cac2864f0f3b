#!/bin/sh
# tests/lab/build-debug-gluster.sh - build GlusterFS's client libraries
# (libglusterfs, libgfrpc, libgfxdr, libgfapi, the socket transport and the
# protocol/client xlator) with -g from Debian's own source package, into a
# private prefix, so that DWARF-based probing (stap $vars, static functions
# such as client_setvolume_cbk) can be tested: Debian's binaries are
# stripped and its debug-symbol archive is not reachable here.
#
# usage: build-debug-gluster.sh [CACHE_DIR]
#
# Prints the prefix on stdout.  Exit status 3: Debian's archive was not
# reachable (no source); 1: any other failure.  The build is cached in CACHE_DIR (default
# $top_builddir/tests/lab/gluster-debug, else tests/lab/work/gluster-debug)
# and reused while Debian's installed libgfapi0 has the same version.
# Takes ~2-3 min on 2 cores the first time; needs root only for nothing
# (apt-get runs with private state directories), plus the build tools
# flex bison liburcu-dev libaio-dev (scripts/deps.sh installs them).
#
# The source comes from Debian's archive with `apt-get source` (a private
# sources.list with a deb-src line; the host's apt configuration is not
# touched).  Debian's debian.tar.xz for 10.3-5 is gone from the mirror (404),
# so apt-get source fails after fetching the .dsc and the upstream
# orig.tar.gz; only the latter is needed, and its SHA256 is checked against
# the one apt prints.
#
# Use it by running the traced client against these libraries, e.g.
#   prefix=$(tests/lab/build-debug-gluster.sh)
#   tests/lab/lab.sh exec env LD_LIBRARY_PATH=$prefix/lib gfapi-client ...
# The other xlators of the client graph (distribute, performance/*, ...) are
# symlinks to Debian's (same 10.3 ABI, no DWARF).  Build IDs differ from
# Debian's.
set -eu
lab_src=$(cd "$(dirname "$0")" && pwd)
if [ $# -ge 1 ]; then
	cache=$1
elif [ -n "${top_builddir:-}" ]; then
	cache=$top_builddir/tests/lab/gluster-debug
else
	cache=$lab_src/work/gluster-debug
fi
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

say() { printf 'build-debug-gluster: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

version=$(dpkg-query -W -f='${Version}' libgfapi0 2>/dev/null) ||
	die "libgfapi0 is not installed (apt-get install glusterfs-client)"
upstream=${version#*:}
upstream=${upstream%-*}
prefix=$cache/prefix-$version
# Tests that need the build may ask for it at once (make -j check): one
# builds, the others wait for it and reuse it.
exec 9>"$cache/.lock"
flock 9
if [ -f "$prefix/.complete" ]; then
	echo "$prefix"
	exit 0
fi

for tool in flex bison make cc; do
	command -v "$tool" >/dev/null || die "$tool missing (scripts/deps.sh)"
done
for pc in liburcu; do
	pkg-config --exists "$pc" || die "$pc missing (apt-get install liburcu-dev)"
done
[ -f /usr/include/libaio.h ] || die "libaio.h missing (apt-get install libaio-dev)"
automake_dir=$(ls -d /usr/share/automake-1.* 2>/dev/null | tail -1)
[ -n "$automake_dir" ] || die "automake missing (its config.guess is needed)"

# 1. The source, through apt with private state.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
apt_dir=$cache/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
	"$apt_dir/parts" "$apt_dir/src"
echo "deb-src http://deb.debian.org/debian $codename main" >"$apt_dir/sources.list"
set -- -o Dir::Etc::SourceList="$apt_dir/sources.list" \
	-o Dir::Etc::SourceParts="$apt_dir/parts" \
	-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache"
orig=glusterfs_$upstream.orig.tar.gz
if ! ls "$apt_dir/lists/"*Sources* >/dev/null 2>&1; then
	apt-get "$@" -q update >"$apt_dir/update.log" 2>&1 || {
		say "apt-get update failed (see $apt_dir/update.log)"
		exit 3
	}
fi
# The checksum Debian publishes (printed only for files not yet in the
# current directory, hence the empty one).
want=$(cd "$apt_dir/parts" && apt-get "$@" -q source --print-uris \
	"glusterfs=$version" 2>/dev/null | awk -v f="$orig" '$2 == f {print $4}')
want=${want#SHA256:}
[ -n "$want" ] || die "glusterfs=$version not in Debian's source index"
if [ ! -f "$apt_dir/src/$orig" ]; then
	say "fetching glusterfs $version source from Debian's archive"
	(cd "$apt_dir/src" && apt-get "$@" -q source --download-only \
		"glusterfs=$version") >"$apt_dir/source.log" 2>&1 || true
fi
[ -f "$apt_dir/src/$orig" ] || {
	say "apt-get source did not fetch $orig (see $apt_dir/source.log)"
	exit 3
}
have=$(sha256sum "$apt_dir/src/$orig" | cut -d' ' -f1)
[ "$want" = "$have" ] ||
	die "$orig: SHA256 $have does not match Debian's $want"

# 2. Configure and build only the client side, with -g.
build=$cache/build-$version
rm -rf "$build" "$prefix"
mkdir -p "$build"
tar -xzf "$apt_dir/src/$orig" -C "$build"
src=$build/glusterfs-$upstream
# The tarball's config.guess/config.sub are empty placeholders.
cp "$automake_dir/config.guess" "$automake_dir/config.sub" "$src/"
say "configuring (log: $build/configure.log)"
# Events stay enabled: Debian's xlators, used for the rest of the graph,
# need libglusterfs's _gf_event.
(cd "$src" && ./configure --prefix="$prefix" CFLAGS="-g -O2" \
	--without-server --disable-fuse-client --disable-georeplication \
	--disable-xml-output --disable-linux-io_uring --without-tcmalloc \
	--disable-ec-dynamic --disable-lto --without-ocf --disable-selinux) \
	>"$build/configure.log" 2>&1 || die "configure failed (see $build/configure.log)"
jobs=$(nproc 2>/dev/null || echo 2)
for dir in libglusterfs rpc api xlators/protocol/client; do
	say "building $dir"
	make -C "$src/$dir" -j"$jobs" >>"$build/make.log" 2>&1 &&
		make -C "$src/$dir" install >>"$build/make.log" 2>&1 ||
		die "building $dir failed (see $build/make.log)"
done

# 3. The rest of the client graph from Debian's build.
debian_libdir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null ||
	gcc -print-multiarch)/glusterfs/$upstream
ours=$prefix/lib/glusterfs/$upstream
[ -d "$debian_libdir/xlator" ] || die "no $debian_libdir/xlator"
(cd "$debian_libdir" && find xlator rpc-transport auth -name '*.so' 2>/dev/null) |
while read -r so; do
	[ -e "$ours/$so" ] && continue
	mkdir -p "$ours/$(dirname "$so")"
	ln -s "$debian_libdir/$so" "$ours/$so"
done
readelf -S "$prefix/lib/libgfapi.so.0" | grep -q '\.debug_info' ||
	die "$prefix/lib/libgfapi.so.0 has no DWARF"
touch "$prefix/.complete"
rm -rf "$build"
say "done: $prefix"
echo "$prefix"
