#!/bin/sh
# record-cleanup.sh - `tapline record` for real with tracefs, no lab: it
# leaves nothing behind on SIGTERM, a SIGKILLed run's leftovers are removed
# by the next run, clear errors, and `-- COMMAND` records a real libgfapi
# client from its first call (checked against the client's own log).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

need_uprobes

leftovers() { # PID: what a recorder with that pid left in tracefs
	grep "^[pr]:tapline_$1/" "$T/uprobe_events" || true
	[ ! -d "$T/instances/tapline-$1" ] || echo "instance tapline-$1"
}
wait_placed() { # PID: until its probes are defined (max 10 s)
	i=0
	while [ -z "$(leftovers "$1")" ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ -n "$(leftovers "$1")" ]
}

sleep 300 &
target=$!
kill_target() { kill "$target" 2>/dev/null || true; }
at_exit kill_target

# SIGTERM: everything goes.
"$TAPLINE" record -q -P 'rpc.*' -o "$TMP/term.rec" -p "$target" &
rec=$!
check "probes placed (pid $rec)" wait_placed "$rec"
sleep 0.3
kill -TERM "$rec"
st=0; wait "$rec" || st=$?
check "SIGTERM: exit 0" test "$st" = 0
check "SIGTERM: no probe or instance left" test -z "$(leftovers "$rec")"
check "SIGTERM: output has the header" \
	grep -q "^tapline-records 1 .*clock=realtime .*recorder_pid=$rec" "$TMP/term.rec"

# SIGINT (Ctrl-C) likewise.
"$TAPLINE" record -q -P 'gluster.*' -o "$TMP/int.rec" -p "$target" &
rec=$!
check "probes placed (pid $rec)" wait_placed "$rec"
sleep 0.3
kill -INT "$rec"
st=0; wait "$rec" || st=$?
check "SIGINT: exit 0, no probe or instance left" \
	sh -c "test $st = 0 && test -z '$(leftovers "$rec")'"

# SIGKILL leaves them; the next run (here --cleanup) removes them.
"$TAPLINE" record -q -P 'rpc.*' -o "$TMP/kill.rec" -p "$target" &
rec=$!
check "probes placed (pid $rec)" wait_placed "$rec"
sleep 0.3
kill -KILL "$rec"
wait "$rec" 2>/dev/null || true
check "SIGKILL: leftovers exist" test -n "$(leftovers "$rec")"
check "--cleanup succeeds" "$TAPLINE" record --cleanup -q
check "--cleanup: the dead run's probes and instance are gone" \
	test -z "$(leftovers "$rec")"

# Clear errors.
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TAPLINE" record -p 1 -o /dev/null 2>"$TMP/err" && st=0 || st=$?
	check "not root: exit 1, 'permission denied'" \
		sh -c "test $st = 1 && grep -q 'permission denied' '$TMP/err'"
fi
"$TAPLINE" record -q -p 999999999 -o /dev/null 2>"$TMP/err" && st=0 || st=$?
check "no such process: exit 1 with a message" \
	sh -c "test $st = 1 && grep -q 'no process' '$TMP/err'"
"$TAPLINE" record -q -P gfapi.utimens -p "$target" -o /dev/null \
	--lib "libgfapi=$(ls /usr/lib/*/libtirpc.so.3 /lib/*/libtirpc.so.3 2>/dev/null | head -1)" \
	2>"$TMP/err" && st=0 || st=$?
check "library without the symbol: exit 1 naming it" \
	sh -c "test $st = 1 && grep -q \"no function symbol 'glfs_utimens'\" '$TMP/err'"
check "nothing left after the errors" \
	test -z "$(grep '^[pr]:tapline_' "$T/uprobe_events" | while read -r l; do
		p=${l#*tapline_}; p=${p%%/*}; kill -0 "$p" 2>/dev/null || echo "$l"; done)"

# -- COMMAND: the lab's libgfapi client against an address where nothing
# listens: glfs_new and glfs_set_volfile_server run, glfs_init fails.
client="$top_builddir/tests/lab/gfapi-client"
if [ -x "$client" ]; then
	"$TAPLINE" record -q -o "$TMP/cmd.rec" -- "$client" --server 127.0.0.9 \
		--volume novol --timeout 5 --path /x >"$TMP/client.log" 2>/dev/null &&
		st=0 || st=$?
	cst=$(grep -c 'call=glfs_init.* ret=0 ' "$TMP/client.log" || true)
	check "COMMAND's exit status is the client's (init failed: not 0)" \
		sh -c "test $st != 0 && test $cst = 0"
	cpid=$(sed -n 's/.* pid=\([0-9]*\) .*call=glfs_new .*/\1/p' "$TMP/client.log")
	fs=$(sed -n 's/.*call=glfs_new .*fs=\(0x[0-9a-f]*\).*/\1/p' "$TMP/client.log")
	check "gfapi.new entry: the client's pid and volume" \
		grep -q "^[0-9]* $cpid $cpid \"gfapi-client\" gfapi.new entry volname=\"novol\"\$" "$TMP/cmd.rec"
	check "gfapi.new return: the client's fs pointer ($fs)" \
		grep -q " gfapi.new return ret=$fs\$" "$TMP/cmd.rec"
	check "gfapi.set_volfile_server: host and port" \
		grep -q " gfapi.set_volfile_server entry fs=$fs host=\"127.0.0.9\" port=24007 transport=\"tcp\"\$" "$TMP/cmd.rec"
	# times inside the client's own [start, end] of the call
	start=$(sed -n 's/^start=\([0-9]*\) .*call=glfs_new .*/\1/p' "$TMP/client.log")
	end=$(sed -n 's/^start=[0-9]* end=\([0-9]*\) .*call=glfs_new .*/\1/p' "$TMP/client.log")
	ts=$(awk '$5 == "gfapi.new" && $6 == "entry" { print $1 }' "$TMP/cmd.rec")
	check "gfapi.new entry time is within the client's window" \
		sh -c "[ -n '$ts' ] && [ '$ts' -ge '$start' ] && [ '$ts' -le '$end' ]"
	check "COMMAND run leaves nothing" \
		test -z "$(grep '^[pr]:tapline_' "$T/uprobe_events" | while read -r l; do
			p=${l#*tapline_}; p=${p%%/*}; kill -0 "$p" 2>/dev/null || echo "$l"; done)"
else
	skip "no tests/lab/gfapi-client built (libgfapi missing)"
fi
done_testing
