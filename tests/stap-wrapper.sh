#!/bin/sh
# tests/stap-wrapper.sh - scripts/tapline-stap tells the user when stapbpf
# lost perf events: on standard error and as a comment line at the end of
# the records (when they go to standard output), with stap's exit status
# and everything stap printed passed on unchanged; and it runs stap at the
# niceness TAPLINE_STAP_NICE says.
# Pure (no lab lock): no stap runs here (tests/stap-lab.sh and
# bench/stap-flood.sh run the real one).  STAP is a program that prints,
# on its standard error, the lines stapbpf 4.8 printed when a flood of
# another process's calls overflowed its buffers (tests/stap-lab.sh's log
# of stp/rpc-xid.stp without the session filter), between records on its
# standard output.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

WRAPPER=$top_srcdir/scripts/tapline-stap
# What tapline-stap prepares, made here so that neither root nor
# /proc/config.gz is needed: a kernel build dir it takes as ready, and the
# shim (make check builds it; any file will do for a stap that loads
# nothing).
TAPLINE_KBUILD=$TMP/kbuild
mkdir -p "$TAPLINE_KBUILD/include/config"
uname -r >"$TAPLINE_KBUILD/include/config/kernel.release"
echo "ffffffff81000000 T _stext" >"$TAPLINE_KBUILD/System.map"
TAPLINE_STAP_SHIM=$top_builddir/scripts/stap-memlock-shim.so
[ -f "$TAPLINE_STAP_SHIM" ] ||
	skip_all "no scripts/stap-memlock-shim.so (make check builds it)"
TAPLINE_TAPSETS=$top_srcdir/tapsets
# its FIFO's directory, to see that none is left
TMPDIR=$TMP
export TAPLINE_KBUILD TAPLINE_STAP_SHIM TAPLINE_TAPSETS TMPDIR

# The stap: its arguments to $TMP/args; LOST=yes prints the flood's lines.
cat >"$TMP/stap" <<'EOF'
#!/bin/sh
printf '%s\n' "$@" >"$STAP_ARGS"
nice >"$STAP_ARGS.nice"
echo 'tapline-records 1 host=h clock=realtime clock_offset_ns=0 boot_id=b recorder=stap/rpc-xid.stp start_ns=1700000000000000000'
echo '1700000000000000001 42 42 "client" rpc.call event xid=1 prog=1298437 vers=330 proc=14'
if [ "${LOST:-}" = yes ]; then
	echo 'WARNING: lost 935 perf_events on cpu 0' >&2
	echo 'WARNING: lost 781 perf_events on cpu 0' >&2
	echo '1700000000000000002 42 42 "client" rpc.call event xid=2 prog=1298437 vers=330 proc=27'
	echo 'WARNING: lost 1750 perf_events on cpu 1' >&2
	echo 'bpfinterp.cxx:741: printf already started' >&2
	echo 'WARNING: /usr/bin/stapbpf exited with signal: 6 (Aborted)' >&2
	echo 'Pass 5: run failed.  [man error::pass5]' >&2
	exit 1
fi
echo 'Pass 5: done' >&2
exit 0
EOF
chmod +x "$TMP/stap"
STAP=$TMP/stap STAP_ARGS=$TMP/args
export STAP STAP_ARGS

# run NAME ARGS...: the wrapper into $TMP/NAME.out, .err, .status.  The
# command substitution waits for every writer of standard output, the
# filter of standard error included.
run() {
	name=$1; shift
	out=$("$WRAPPER" "$@" 2>"$TMP/$name.err") && st=0 || st=$?
	printf '%s\n' "$out" >"$TMP/$name.out"
	echo "$st" >"$TMP/$name.status"
}

# --- stapbpf lost 935 + 781 + 1750 = 3466 events and aborted.
LOST=yes run lost -x 42 stp/rpc-xid.stp
check "losses: stap's exit status is kept (1)" test "$(cat "$TMP/lost.status")" = 1
check "losses: standard error says how many events stapbpf lost, once, at the end" \
	sh -c "tail -1 '$TMP/lost.err' | grep -q '^tapline-stap: error: stapbpf lost 3466 perf event(s): records are missing' &&
	       test \$(grep -c 'tapline-stap:' '$TMP/lost.err') = 1"
cat >"$TMP/lost.want" <<'EOF'
WARNING: lost 935 perf_events on cpu 0
WARNING: lost 781 perf_events on cpu 0
WARNING: lost 1750 perf_events on cpu 1
bpfinterp.cxx:741: printf already started
WARNING: /usr/bin/stapbpf exited with signal: 6 (Aborted)
Pass 5: run failed.  [man error::pass5]
EOF
check "losses: stap's own lines passed on unchanged and in order" \
	sh -c "head -n -1 '$TMP/lost.err' | cmp - '$TMP/lost.want'"
check "losses: the records end with the comment line saying so" \
	sh -c "tail -1 '$TMP/lost.out' | grep -q '^# tapline-stap: lost 3466 perf event(s): '"
check "losses: the records with that line still parse as records" \
	awk -f "$top_srcdir/tests/stap-records.awk" "$TMP/lost.out"
check "losses: stap got the BPF runtime, the tapsets, -x and the host and boot id arguments" \
	sh -c "grep -qx -- '--runtime=bpf' '$TMP/args' && grep -qx -- '$TAPLINE_TAPSETS' '$TMP/args' &&
	       grep -qx -- '-x' '$TMP/args' && test \$(tail -3 '$TMP/args' | head -1) = stp/rpc-xid.stp"

# --- the same with -o FILE: the records are not on standard output.
LOST=yes run lost-o -o "$TMP/x.rec" stp/rpc-xid.stp
check "losses with -o: said on standard error" \
	grep -q '^tapline-stap: error: stapbpf lost 3466 perf event(s)' "$TMP/lost-o.err"
check "losses with -o: nothing added to standard output" \
	sh -c "! grep -q 'tapline-stap' '$TMP/lost-o.out'"

# --- nothing lost: nothing added, status 0.
run quiet -x 42 stp/rpc-xid.stp
check "no loss: exit status 0" test "$(cat "$TMP/quiet.status")" = 0
check "no loss: standard error is stap's only" \
	sh -c "test \"\$(cat '$TMP/quiet.err')\" = 'Pass 5: done'"
check "no loss: the records are stap's only" \
	sh -c "test \$(wc -l <'$TMP/quiet.out') = 2 && ! grep -q '^#' '$TMP/quiet.out'"

# --- the module runtime has no stapbpf: no filter at all.
LOST=yes run module --runtime=kernel -p4 stp/rpc-xid.stp
check "--runtime=kernel: no summary (no stapbpf)" \
	sh -c "! grep -q 'tapline-stap' '$TMP/module.err' '$TMP/module.out'"
check "--runtime=kernel: passed on, without --runtime=bpf" \
	sh -c "grep -qx -- '--runtime=kernel' '$TMP/args' && ! grep -qx -- '--runtime=bpf' '$TMP/args'"

# --- the niceness stap (and stapbpf) run at: 10 levels above the
# caller's for root (lowering it needs root), TAPLINE_STAP_NICE otherwise.
mine=$(nice)
run nice-default -x 42 stp/rpc-xid.stp
if [ "$(id -u)" = 0 ]; then want=$((mine - 10)); [ $want -ge -20 ] || want=-20
else want=$mine; fi
check "niceness: stap runs at $want by default, the caller at $mine" \
	test "$(cat "$TMP/args.nice")" = "$want"
TAPLINE_STAP_NICE=0 run nice-0 -x 42 stp/rpc-xid.stp
check "niceness: TAPLINE_STAP_NICE=0 keeps the caller's ($mine)" \
	test "$(cat "$TMP/args.nice")" = "$mine"
TAPLINE_STAP_NICE=5 run nice-5 -x 42 stp/rpc-xid.stp
check "niceness: TAPLINE_STAP_NICE=5 adds 5" \
	test "$(cat "$TMP/args.nice")" = "$((mine + 5 > 19 ? 19 : mine + 5))"
TAPLINE_STAP_NICE=fast run nice-bad -x 42 stp/rpc-xid.stp
check "niceness: TAPLINE_STAP_NICE=fast is refused, exit 1, and stap does not run" \
	sh -c "test \"\$(cat '$TMP/nice-bad.status')\" = 1 &&
	       grep -q \"^tapline-stap: error: TAPLINE_STAP_NICE must be a number\" '$TMP/nice-bad.err' &&
	       test -z \"\$(cat '$TMP/nice-bad.out')\""

check "no FIFO directory left behind" \
	sh -c "! ls -d '$TMP'/tapline-stap.* 2>/dev/null | grep -q ."
done_testing
