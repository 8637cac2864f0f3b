#!/bin/sh
# scripts/deps.sh - installs exactly what tapline needs to build, test and
# run its lab on Debian 12 (idempotent; run as root).
set -eu
PACKAGES="
build-essential autoconf automake libtool pkg-config
libpcap-dev libelf-dev libdw-dev libsqlite3-dev zlib1g-dev libpcre2-dev sqlite3
tcpdump tshark
glusterfs-server glusterfs-client libglusterfs-dev libtirpc-dev
systemtap iproute2 nftables procps psmisc
clang
libclang-rt-14-dev time
samba samba-vfs-modules smbclient qemu-utils qemu-block-extra util-linux gzip
flex bison liburcu-dev libaio-dev dpkg-dev binutils
liblz4-dev libsnappy-dev openjdk-17-jre-headless
libssl-dev ceph-mon ceph-osd ceph-common uuid-runtime
"
# The CQL lab runs Cassandra and the DataStax driver from npm packages: a
# node and npm from wherever they came (Debian's nodejs and npm if none).
command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs"
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
