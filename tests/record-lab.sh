#!/bin/sh
# record-lab.sh - `tapline record` on the real GlusterFS lab.  The lab's
# client runs under the recorder (GFAPI_CLIENT is a wrapper) while the lab
# captures the traffic.  Independent oracles: the client's own log (what
# it passed and got), tshark on the capture (XIDs on the wire, the
# SETVOLUME reply's op_ret/op_errno).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

need_lab_recording

lab="$top_srcdir/tests/lab/lab.sh"
export LAB_NAME="tlrec$$" LAB_DIR="$TMP/lab"
lab_down() { "$lab" down >/dev/null 2>&1; }
at_exit lab_down

# The lab runs GFAPI_CLIENT with the scenario's arguments: record it.
cat >"$TMP/recorded-client" <<WRAP
#!/bin/sh
exec "$TAPLINE" record -q -o "\$REC_OUT" -- "$client" "\$@"
WRAP
chmod +x "$TMP/recorded-client"
export GFAPI_CLIENT="$TMP/recorded-client"

check "lab.sh up" "$lab" up

valid_lines() { # FILE: every line is a header, a comment or an event
	# line, and the events are in time order (merged across CPUs)
	awk 'NR == 1 && !/^tapline-records 1 / { bad = 1 }
	     /^#/ || NR == 1 { next }
	     $1 < prev { print "out of order at line " NR; bad = 1 }
	     { prev = $1 }
	     !/^[0-9]+ [0-9]+ [0-9]+ "[^"]*" [a-z0-9_]+(\.[a-z0-9_]+)* (entry|return|event)( [a-z_][a-z0-9_]*=(-?[0-9]+|0x[0-9a-f]+|"([^"\\]|\\.)*"))*$/ {
		print "bad line " NR ": " $0; bad = 1 }
	     END { exit bad }' "$1"
}
leftover_dead() { # probes of recorders that are gone
	grep '^[pr]:tapline_' "$T/uprobe_events" | while read -r l; do
		p=${l#*tapline_}; p=${p%%/*}
		kill -0 "$p" 2>/dev/null || echo "$l"
	done
}

# --- gfapi-utimens: atime -1 and the XIDs ------------------------------
rec="$TMP/utimens.rec"
pcap="$TMP/utimens.pcap"
clog="$TMP/utimens.client.log"
REC_OUT="$rec" check "lab.sh run gfapi-utimens (recorded)" \
	env REC_OUT="$rec" "$lab" run gfapi-utimens --capture "$pcap"
check "records parse (docs/record-format.md)" valid_lines "$rec"

# The client's log line of the atime -1 call, and the records' pair.
line=$(grep 'call=glfs_utimens .*atime=-1\.' "$clog" | head -1)
start=$(echo "$line" | sed 's/^start=\([0-9]*\) .*/\1/')
end=$(echo "$line" | sed 's/.* end=\([0-9]*\) .*/\1/')
path=$(echo "$line" | sed 's/.* path=\([^ ]*\) .*/\1/')
mtime=$(echo "$line" | sed 's/.* mtime=\([0-9]*\)\.\([0-9]*\) .*/\1 \2/')
check "client log has the atime -1 call" test -n "$line"
awk -v s="$start" -v e="$end" '$5 == "gfapi.utimens" && $6 == "entry" &&
	$1 >= s && $1 <= e' "$rec" >"$TMP/entry"
check "one gfapi.utimens entry inside the client's [start, end]" \
	test "$(wc -l <"$TMP/entry")" = 1
set -- $mtime
check "it says path=\"$path\" atime_sec=-1 atime_nsec=0 mtime $1.$2" \
	grep -q " path=\"$path\" times=0x[0-9a-f]* atime_sec=-1 atime_nsec=0 mtime_sec=$1 mtime_nsec=$(echo "$2" | sed 's/^0*\(.\)/\1/')\$" "$TMP/entry"
check "its return says ret=0 like the client log" \
	sh -c "echo '$line' | grep -q ' ret=0 ' &&
	       awk -v s='$start' -v e='$end' '\$5 == \"gfapi.utimens\" && \$6 == \"return\" && \$1 >= s && \$1 <= e' '$rec' | grep -q ' ret=0\$'"
first=$(grep 'call=glfs_utimens .*atime=1700000000\.123456789' "$clog" | head -1)
check "the first utimens: atime 1700000000.123456789 as logged" \
	sh -c "test -n '$first' && grep -q ' gfapi.utimens entry .* atime_sec=1700000000 atime_nsec=123456789 mtime_sec=1700000001 mtime_nsec=987654321\$' '$rec'"
cpid=$(sed -n 's/.* pid=\([0-9]*\) .*call=glfs_init.*/\1/p' "$clog")
check "every record is the client's process ($cpid)" \
	sh -c "test -n '$cpid' && ! awk '!/^#/ && NR > 1 && \$2 != $cpid' '$rec' | grep -q ."

# XIDs: the rpc.call records vs the calls tshark sees going to glusterd
# and the bricks (the client is the only RPC client in the lab).
# (tshark prints XIDs in hex: the records' decimal ones are converted)
awk '$5 == "rpc.call" { for (i = 7; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	printf "0x%08x %s %s %s\n", v["xid"], v["prog"], v["vers"], v["proc"] }' "$rec" | sort >"$TMP/rec-calls"
tshark -r "$pcap" -Y 'rpc.msgtyp == 0 && (tcp.dstport == 24007 || (tcp.dstport >= 49152 && tcp.dstport <= 49171))' \
	-T fields -e rpc.xid -e rpc.program -e rpc.programversion -e rpc.procedure \
	2>/dev/null | awk -F'\t' '{ split($3, v, ","); print $1, $2, v[1], $4 }' |
	sort >"$TMP/wire-calls"
check "rpc.call: XID, program, version, procedure = tshark's ($(wc -l <"$TMP/wire-calls") calls)" \
	sh -c "test -s '$TMP/wire-calls' && diff '$TMP/wire-calls' '$TMP/rec-calls'"
awk '$5 == "rpc.reply" { sub(/.*xid=/, ""); sub(/ .*/, ""); printf "0x%08x\n", $0 }' "$rec" | sort >"$TMP/rec-replies"
tshark -r "$pcap" -Y 'rpc.msgtyp == 1 && (tcp.srcport == 24007 || (tcp.srcport >= 49152 && tcp.srcport <= 49171))' \
	-T fields -e rpc.xid 2>/dev/null | sort >"$TMP/wire-replies"
check "rpc.reply: the XIDs of the replies on the wire" \
	sh -c "test -s '$TMP/wire-replies' && diff '$TMP/wire-replies' '$TMP/rec-replies'"
check "no probe left behind" test -z "$(leftover_dead)"
# the correlator (docs/record-format.md's reader) takes every line
if "$TAPLINE" correlate --help >/dev/null 2>&1; then
	check "tapline correlate reads the records: 0 malformed lines" \
		sh -c "'$TAPLINE' correlate -o '$TMP/t.db' '$TMP/utimens.rec' '$pcap' 2>&1 |
		       grep -q 'utimens.rec: records .* 0 malformed'"
fi

# --- auth-failure: SETVOLUME rejected with op_errno 13 ------------------
rec="$TMP/auth.rec"
pcap="$TMP/auth.pcap"
check "lab.sh run auth-failure (recorded)" \
	env REC_OUT="$rec" "$lab" run auth-failure --capture "$pcap"
check "records parse" valid_lines "$rec"
check "gluster.setvolume_rsp op_ret=-1 op_errno=13" \
	grep -q ' gluster.setvolume_rsp event op_ret=-1 op_errno=13$' "$rec"
# tshark: the SETVOLUME reply (GF-HNDSK 14398633, proc 1) and its errno
wire=$(tshark -r "$pcap" -Y 'rpc.msgtyp == 1 && rpc.program == 14398633 && rpc.procedure == 1' \
	-T fields -e rpc.xid -e gluster.op_ret -e gluster.op_errno 2>/dev/null | head -1)
xid=$(printf '%d' "$(echo "$wire" | awk '{ print $1 }')" 2>/dev/null || true)
check "tshark: the SETVOLUME reply says -1/13 ($wire)" \
	sh -c "echo '$wire' | awk '{ exit !(\$2 == -1 && \$3 == 13) }'"
check "rpc.call and rpc.reply with that XID ($xid), SETVOLUME before the verdict" \
	sh -c "awk '\$5 == \"rpc.call\" && / xid=$xid prog=14398633 vers=2 proc=1\$/ { c = NR }
		    \$5 == \"rpc.reply\" && / xid=$xid / && c { r = NR }
		    \$5 == \"gluster.setvolume_rsp\" && r { ok = 1 }
		    END { exit !ok }' '$rec'"
check "no probe left behind" test -z "$(leftover_dead)"

# --- samba: smbd (vfs_glusterfs) recorded from its start ----------------
# The scenario runs `smbd` from PATH: a wrapper records it and the
# per-client smbd it forks (followed through its fork); smbclient sets the write time to
# 2023-11-14 22:13:20 UTC with the access time omitted (-1).
if command -v smbd >/dev/null && command -v smbclient >/dev/null; then
	mkdir "$TMP/bin"
	cat >"$TMP/bin/smbd" <<WRAP
#!/bin/sh
exec "$TAPLINE" record -q -P 'gfapi.*' -o "$TMP/smbd.rec" -- "$(command -v smbd)" "\$@"
WRAP
	chmod +x "$TMP/bin/smbd"
	check "lab.sh run samba (smbd recorded)" \
		env PATH="$TMP/bin:$PATH" "$lab" run samba --capture "$TMP/samba.pcap"
	rec="$TMP/smbd.rec"
	check "records parse" valid_lines "$rec"
	mtime=$(date -u -d '2023-11-14 22:13:20' +%s)
	start=$(sed -n 's/^start=\([0-9]*\) .*op=smbclient .*/\1/p' "$TMP/samba.client.log")
	end=$(sed -n 's/^start=[0-9]* end=\([0-9]*\) .*op=smbclient .*/\1/p' "$TMP/samba.client.log")
	awk -v s="$start" -v e="$end" '$5 == "gfapi.utimens" && $6 == "entry" &&
		$1 >= s && $1 <= e' "$rec" >"$TMP/smb-utimens"
	check "smbd's glfs_utimens during smbclient's run: path=\"smb.txt\" mtime_sec=$mtime" \
		grep -q "^[0-9]* [0-9]* [0-9]* \"smbd[^\"]*\" gfapi.utimens entry .*path=\"smb.txt\" .*mtime_sec=$mtime mtime_nsec=0\$" "$TMP/smb-utimens"
	# Samba 4.17 fills the omitted atime in (ENV.md): not -1 any more
	check "Samba 4.17 no longer passes atime -1" \
		sh -c "test -s '$TMP/smb-utimens' && ! grep -q ' atime_sec=-1 ' '$TMP/smb-utimens'"
	check "smbd wrote the file through glfs_creat and glfs_pwrite" \
		sh -c "grep -q ' gfapi.creat entry .*path=\"smb.txt\"' '$rec' && grep -q ' gfapi.pwrite entry .* size=14 ' '$rec'"
	check "no probe left behind" test -z "$(leftover_dead)"
else
	skip "smbd or smbclient not installed"
fi

# --- DWARF: the client on the lab's -g GlusterFS build ------------------
# (tests/lab/build-debug-gluster.sh; not built here, used when present)
dbg=$(ls -d "$top_builddir"/tests/lab/gluster-debug/prefix-*/lib \
	"$top_srcdir"/tests/lab/work/gluster-debug/prefix-*/lib 2>/dev/null | head -1 || true)
if [ -n "$dbg" ] && [ -e "$dbg/libgfapi.so.0" ]; then
	dbg=$(cd "$dbg" && pwd -P)	# as the recorder names it (realpath)
	rec="$TMP/dwarf.rec"
	"$lab" exec "$TAPLINE" record -q -o "$rec" --lib "libgfapi=$dbg/libgfapi.so.0" \
		--lib "libgfxdr=$dbg/libgfxdr.so.0" -- env LD_LIBRARY_PATH="$dbg" \
		"$client" --server 127.0.0.2 --volume single --path /dwarf.txt \
		>"$TMP/dwarf.client.log" 2>/dev/null || true
	check "probes placed with DWARF argument locations" \
		grep -q "^# probe gfapi.utimens entry at $dbg/libgfapi.so.*arguments by DWARF of pub_glfs_utimens: 7 of 7 by name)\$" "$rec"
	line=$(grep 'call=glfs_utimens .*atime=-1\.' "$TMP/dwarf.client.log" | head -1)
	start=$(echo "$line" | sed 's/^start=\([0-9]*\) .*/\1/')
	end=$(echo "$line" | sed 's/.* end=\([0-9]*\) .*/\1/')
	check "the -g build's glfs_utimens: atime_sec=-1 inside the client's window" \
		sh -c "test -n '$line' && awk -v s='$start' -v e='$end' '\$5 == \"gfapi.utimens\" && \$6 == \"entry\" && \$1 >= s && \$1 <= e' '$rec' |
		       grep -q ' path=\"/dwarf.txt\" .* atime_sec=-1 atime_nsec=0 '"
	check "handshake verdict from the -g libgfxdr: op_ret=0" \
		grep -q ' gluster.setvolume_rsp event op_ret=0 ' "$rec"
	check "no probe left behind" test -z "$(leftover_dead)"
else
	skip "no -g GlusterFS build (tests/lab/build-debug-gluster.sh) here"
fi
done_testing
