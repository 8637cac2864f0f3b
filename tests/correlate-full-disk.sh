#!/bin/sh
# correlate-full-disk.sh - a timeline on a disk that fills up while an
# input is added: the run fails with one line -- SQLite's error, what
# tapline was doing, and that the database is as it was -- and it is: no
# undo journal left behind filling the disk (SQLite keeps it after an
# I/O error in the middle of a transaction, for the next open to play
# back; tapline plays it back before it exits), the file back to its
# size, the same answers, and the timeline takes inputs again once there
# is room.  The disk is a small tmpfs mounted in a mount namespace of the
# test's own (root), so nothing outlives the test, whatever ends it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
if [ "${TAPLINE_TEST_MOUNT_NS:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] || skip_all "needs root to mount a tmpfs"
	command -v unshare >/dev/null || skip_all "no unshare (util-linux)"
	unshare -m --propagation private true 2>/dev/null ||
		skip_all "cannot make a mount namespace here"
	TAPLINE_TEST_MOUNT_NS=1 unshare -m --propagation private sh "$0" &&
		exit 0 || exit $?
fi
command -v sqlite3 >/dev/null || skip_all "sqlite3 (the CLI) not installed"
command -v cc >/dev/null || skip_all "no C compiler for bench/pcap-grow.c"
ex=$top_srcdir/examples
disk=$TMP/disk
mkdir -p "$disk"
mount -t tmpfs -o size=24m tapline-full-disk "$disk" 2>/dev/null ||
	skip_all "cannot mount a tmpfs here"
unmount() { umount "$disk"; }
at_exit unmount
q() { sqlite3 -batch -noheader "$1" "$2"; }

# A capture whose timeline (~37 MB) cannot fit: copies of the bundled
# session with new client ports.
cc -O2 -o "$TMP/pcap-grow" "$top_srcdir/bench/pcap-grow.c" -lpcap ||
	skip_all "cannot build bench/pcap-grow.c (libpcap-dev)"
"$TMP/pcap-grow" "$ex/gfapi-utimens.pcap" "$TMP/big.pcap" 40

db=$disk/t.db
"$TAPLINE" correlate -q -o "$db" "$ex/gfapi-utimens.pcap" "$ex/gfapi-utimens.rec"
answers() {
	q "$db" "PRAGMA integrity_check;
		SELECT count(*), sum(length(body)) FROM rpc_messages;
		SELECT count(*) FROM conversations;
		SELECT count(*) FROM probe_events;
		SELECT group_concat(method || ':' || confidence) FROM links;
		SELECT group_concat(file) FROM inputs"
}
before=$(answers)
size=$(stat -c %s "$db")

# try NAME: adds the big capture, checks what the run said and left.
try() {
	used=$(df -k --output=used "$disk" | tail -1)
	"$TAPLINE" correlate -q -o "$db" "$TMP/big.pcap" >"$TMP/out" 2>&1 && rc=0 || rc=$?
	[ "$rc" = 1 ] && [ "$(wc -l <"$TMP/out")" = 1 ] &&
		grep -q "^tapline correlate: $db: [^:]*: database or disk is full; $TMP/big.pcap: not added; the database is as it was\$" "$TMP/out" &&
		ok "$1: exit 1, one line: what was being done, SQLite's message, 'the database is as it was'" ||
		not_ok "$1: exit $rc: $(head -3 "$TMP/out" | cut -c1-300)"
	[ ! -e "$db-journal" ] && [ "$(df -k --output=used "$disk" | tail -1)" = "$used" ] &&
		ok "$1: no undo journal left, the disk as full as before ($used KiB)" ||
		not_ok "$1: $(ls -l "$db-journal" 2>&1); $(df -k --output=used "$disk" | tail -1) KiB used, was $used"
	[ "$(stat -c %s "$db")" = "$size" ] && [ "$(answers)" = "$before" ] &&
		ok "$1: the timeline opens as it was ($size bytes, same answers)" ||
		not_ok "$1: $(stat -c %s "$db") bytes (was $size); $(answers | head -3)"
}

# The disk fills while the rows stream in: pages spilled from the cache
# meet ENOSPC in the middle of the transaction.
try "full in the middle of the input"

# Nearly full from the start: the first pages of the transaction fail.
free=$(df -k --output=avail "$disk" | tail -1)
dd if=/dev/zero of="$disk/filler" bs=1k count=$((free - 64)) 2>/dev/null || true
try "full from the start"
rm -f "$disk/filler"

# Room again: the timeline takes inputs.
"$TAPLINE" correlate -q -o "$db" "$ex/auth-failure.pcap" "$ex/auth-failure.rec" &&
	[ "$(q "$db" "SELECT count(*) FROM inputs")" = 4 ] &&
	ok "with room again, inputs are added" ||
	not_ok "adding after the full disk failed"
done_testing
