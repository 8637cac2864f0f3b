#!/bin/sh
# record-errno.sh - `tapline record` writes the real errno on failing
# gfapi.* returns (docs/probes.md), on the real lab: the lab's client,
# run with --failures, makes calls that fail (stat/open/unlink/utimens of
# a missing path: ENOENT; mkdir of an existing directory: EEXIST; rmdir of
# a non-empty one: ENOTEMPTY) and logs each call's errno.  Oracles: that
# log (the errno the caller read), and tshark's op_ret/op_errno of the
# RPC replies in the capture of the same run.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

need_lab_recording

lab="$top_srcdir/tests/lab/lab.sh"
export LAB_NAME="tlerr$$" LAB_DIR="$TMP/lab"
lab_down() { "$lab" down >/dev/null 2>&1; }
at_exit lab_down

# The lab runs GFAPI_CLIENT with the scenario's arguments: record it, with
# the failing calls added.
cat >"$TMP/recorded-client" <<WRAP
#!/bin/sh
exec "$TAPLINE" record -q -o "\$REC_OUT" -- "$client" "\$@" --failures
WRAP
chmod +x "$TMP/recorded-client"
export GFAPI_CLIENT="$TMP/recorded-client"

check "lab.sh up" "$lab" up

rec="$TMP/errno.rec"
pcap="$TMP/errno.pcap"
clog="$TMP/errno.client.log"
check "lab.sh run gfapi-utimens with --failures (recorded, captured)" \
	env REC_OUT="$rec" "$lab" run gfapi-utimens --capture "$pcap"
check "the errno stores were probed (header names how many)" \
	grep -q '^# probe gfapi.errno_store event at .*libgfapi[^ ]* ([1-9][0-9]* stores)' "$rec"

# return_of CALL START END: the return record of gfapi.CALL in [START, END]
return_of() {
	awk -v p="gfapi.$1" -v s="$2" -v e="$3" \
		'$5 == p && $6 == "return" && $1 >= s && $1 <= e' "$rec"
}
field() { # LINE KEY
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# Every failing call of the client's log: its return record has the errno
# the client read, and the last failing RPC reply inside the call (if it
# made one) has that op_errno on the wire.
tshark -r "$pcap" -Y 'rpc.msgtyp == 1 && gluster.op_ret == -1' \
	-T fields -e frame.time_epoch -e rpc.xid -e rpc.procedure \
	-e gluster.op_errno 2>/dev/null |
	awk -F'\t' '{ split($1, t, "."); printf "%s%s %s %s %s\n", t[1], substr(t[2] "000000000", 1, 9), $2, $3, $4 }' \
	>"$TMP/wire-errors"
grep -c . "$TMP/wire-errors" >/dev/null || true
diag "failing RPC replies on the wire: $(wc -l <"$TMP/wire-errors")"
failures=0
grep '^start=.* ret=-1 errno=[1-9]' "$clog" >"$TMP/failed-calls" || true
while read -r line; do
	start=$(field "$line" start); end=$(field "$line" end)
	call=$(field "$line" call); call=${call#glfs_}
	errno=$(field "$line" errno); errname=$(field "$line" errname)
	ret=$(return_of "$call" "$start" "$end")
	failures=$((failures + 1))
	check "gfapi.$call failed with $errname: its return says errno=$errno ($(echo "$ret" | cut -d' ' -f7-))" \
		sh -c "test \$(echo '$ret' | grep -c .) = 1 && echo '$ret' | grep -q ' errno=$errno\$'"
	wire=$(awk -v s="$start" -v e="$end" '$1 >= s && $1 <= e' "$TMP/wire-errors" | tail -1)
	if [ -n "$wire" ]; then
		check "gfapi.$call: the last failing reply inside it on the wire (tshark: xid $(echo "$wire" | cut -d' ' -f2) proc $(echo "$wire" | cut -d' ' -f3)) has op_errno $errno" \
			test "$(echo "$wire" | cut -d' ' -f4)" = "$errno"
	else
		diag "gfapi.$call: no failing reply on the wire inside it: libgfapi's own errno"
	fi
done <"$TMP/failed-calls"
check "the client logged the 6 failing calls (stat, open, unlink, utimens, mkdir, rmdir)" \
	test "$failures" = 6
check "ENOENT, EEXIST and ENOTEMPTY among them" \
	sh -c "grep -q 'errname=ENOENT' '$TMP/failed-calls' && grep -q 'errname=EEXIST' '$TMP/failed-calls' &&
	       grep -q 'errname=ENOTEMPTY' '$TMP/failed-calls'"
check "the wire agrees where libgfapi sent the failing RPC (LOOKUP ENOENT, RMDIR ENOTEMPTY)" \
	sh -c "grep -q ' 2\$' '$TMP/wire-errors' && grep -q ' 39\$' '$TMP/wire-errors'"

# Successful calls carry no errno (docs/record-format.md); every failed
# return that got one is one the client saw fail.
check "no errno on a successful return" \
	sh -c "! awk '\$5 ~ /^gfapi\\./ && \$6 == \"return\" && / errno=/ &&
		      / ret=(0x0*[1-9a-f][0-9a-f]*|[0-9]+)( |\$)/' '$rec' | grep ."
# glfs_utimens of a missing path fails inside the glfs_setattr it calls:
# both returns say ENOENT, the inner one first (the nesting is per thread)
line=$(grep 'call=glfs_utimens path=/tapline-missing ' "$clog" || true)
start=$(field "$line" start); end=$(field "$line" end)
check "nested: the failing glfs_setattr inside glfs_utimens has errno=2 too, before the outer return" \
	sh -c "test -n '$line' && awk -v s='$start' -v e='$end' '\$1 >= s && \$1 <= e && \$6 == \"return\"' '$rec' |
	       cut -d' ' -f5- | tr '\n' '|' | grep -q '^gfapi.setattr return ret=-1 errno=2|gfapi.utimens return ret=-1 errno=2|\$'"
check "as many returns with errno as failed calls in the client log (+1 nested setattr)" \
	test "$(grep -c ' return ret=.* errno=' "$rec")" = "$((failures + 1))"
stores=$(sed -n 's/^# tapline-record: \([0-9]*\) errno store(s) seen.*/\1/p' "$rec")
calls=$(grep -c ' gfapi\.[a-z_]* entry' "$rec")
diag "errno stores seen: $stores for $calls gfapi calls ($failures failing)"
check "the errno probes fired on failures, not on every call ($stores stores, $calls calls)" \
	test -n "$stores" -a "${stores:-0}" -lt "$calls"

# Nested calls: glfs_utimens -> glfs_setattr, both succeed: no errno.
check "nested utimens/setattr pairs (success) carry no errno" \
	sh -c "grep -q ' gfapi.setattr return ret=0\$' '$rec' && grep -q ' gfapi.utimens return ret=0\$' '$rec'"

# glfs_init failing at mount time (nft REJECT on the brick port): EIO.
# glfs_fini then fails too without storing errno: the client reads the
# stale 5 left by glfs_init, the record has no errno (never made up).
cat >"$TMP/recorded-plain" <<WRAP
#!/bin/sh
exec "$TAPLINE" record -q -o "\$REC_OUT" -- "$client" "\$@"
WRAP
chmod +x "$TMP/recorded-plain"
rec="$TMP/reject.rec"
env GFAPI_CLIENT="$TMP/recorded-plain" REC_OUT="$rec" "$lab" run mount-failure-reject \
	--capture "$TMP/reject.pcap" >/dev/null 2>&1 || true
line=$(grep 'call=glfs_init returned=yes' "$TMP/reject.client.log" || true)
check "mount failure: glfs_init failed with $(field "$line" errname) ($(field "$line" errno)) in the client log; its return says so" \
	sh -c "test '$(field "$line" errno)' = 5 &&
	       awk -v s='$(field "$line" start)' -v e='$(field "$line" end)' \
		'\$5 == \"gfapi.init\" && \$6 == \"return\" && \$1 >= s && \$1 <= e' '$rec' | grep -q ' ret=-1 errno=5\$'"
check "mount failure: glfs_fini's -1 carries no errno (it stored none; the client's 5 is glfs_init's)" \
	sh -c "grep -q 'call=glfs_fini .* ret=-1 errno=5 ' '$TMP/reject.client.log' &&
	       grep -q ' gfapi.fini return ret=-1\$' '$rec'"

# Without the errno probes (TAPLINE_RECORD_ERRNO=0): the same calls fail,
# and their returns carry no errno.
rec0="$TMP/noerrno.rec"
cat >"$TMP/recorded-client0" <<WRAP
#!/bin/sh
TAPLINE_RECORD_ERRNO=0 exec "$TAPLINE" record -q -o "\$REC_OUT" -- "$client" "\$@" --failures
WRAP
chmod +x "$TMP/recorded-client0"
check "TAPLINE_RECORD_ERRNO=0: no errno probes, no errno fields" \
	sh -c "env GFAPI_CLIENT='$TMP/recorded-client0' REC_OUT='$rec0' '$lab' run gfapi-utimens --capture '$TMP/n.pcap' >/dev/null 2>&1 &&
	       grep -q ' gfapi.rmdir return ret=-1\$' '$rec0' && ! grep -q ' errno=' '$rec0' &&
	       ! grep -q '^# probe gfapi.errno_store' '$rec0'"
# The lab's -g build of libgfapi (tests/lab/build-debug-gluster.sh; used
# when present): other code, other store sites, the same errnos.
dbg=$(ls -d "$top_builddir"/tests/lab/gluster-debug/prefix-*/lib \
	"$top_srcdir"/tests/lab/work/gluster-debug/prefix-*/lib 2>/dev/null | head -1 || true)
if [ -n "$dbg" ] && [ -e "$dbg/libgfapi.so.0" ]; then
	dbg=$(cd "$dbg" && pwd -P)
	rec="$TMP/dwarf.rec"
	"$lab" exec "$TAPLINE" record -q -o "$rec" --lib "libgfapi=$dbg/libgfapi.so.0" \
		-- env LD_LIBRARY_PATH="$dbg" "$client" --server 127.0.0.2 \
		--volume single --path /dwarf.txt --failures \
		>"$TMP/dwarf.client.log" 2>/dev/null || true
	check "-g libgfapi: its errno stores probed" \
		grep -q "^# probe gfapi.errno_store event at $dbg/libgfapi.so[^ ]* ([1-9][0-9]* stores)" "$rec"
	grep '^start=.* ret=-1 errno=[1-9]' "$TMP/dwarf.client.log" >"$TMP/dwarf-failed" || true
	bad=0
	while read -r line; do
		call=$(field "$line" call); call=${call#glfs_}
		r=$(return_of "$call" "$(field "$line" start)" "$(field "$line" end)")
		echo "$r" | grep -q " errno=$(field "$line" errno)\$" || { bad=$((bad + 1)); diag "-g: $line / $r"; }
	done <"$TMP/dwarf-failed"
	check "-g libgfapi: the $(wc -l <"$TMP/dwarf-failed") failing calls' returns have the client's errno" \
		test "$bad" = 0 -a "$(wc -l <"$TMP/dwarf-failed")" = 6
else
	skip "no -g GlusterFS build (tests/lab/build-debug-gluster.sh) here"
fi
# A SIGKILLed recorder leaves its errno event behind (one line per store
# in uprobe_events): the next run removes it, and counts it once.
sleep 300 &
sleeper=$!
kill_sleeper() { kill "$sleeper" 2>/dev/null || true; }
at_exit kill_sleeper
"$TAPLINE" record -q -P gfapi.stat -o "$TMP/kill.rec" -p "$sleeper" &
killed=$!
i=0
# (its instance is made once every probe is placed)
while [ ! -d "$T/instances/tapline-$killed" ] && [ $i -lt 200 ]; do
	sleep 0.1; i=$((i + 1))
done
sleep 0.2
kill -KILL "$killed"
wait "$killed" 2>/dev/null || true
lines=$(grep -c "^p:tapline_$killed/gfapi_errno_store " "$T/uprobe_events" || true)
"$TAPLINE" record --cleanup 2>"$TMP/cleanup.err" || true
removed=$(sed -n 's/.*removed \([0-9]*\) probe(s) left by dead runs.*/\1/p' "$TMP/cleanup.err")
check "SIGKILL: its errno event ($lines probe lines) removed by the next run, counted once ($removed event(s) removed)" \
	sh -c "test '$lines' -gt 100 && ! grep -q '^[pr]:tapline_$killed/' '$T/uprobe_events' &&
	       test -n '$removed' && test '$removed' -lt '$lines'"
kill_sleeper
check "no probe left behind" sh -c "! grep -q '^p:tapline_[0-9]*/gfapi_errno_store' '$T/uprobe_events' ||
	! grep '^p:tapline_[0-9]*/gfapi_errno_store' '$T/uprobe_events' | while read -r l; do
		p=\${l#p:tapline_}; p=\${p%%/*}; kill -0 \$p 2>/dev/null || echo dead; done | grep -q dead"
done_testing
