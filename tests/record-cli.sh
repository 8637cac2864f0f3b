#!/bin/sh
# record-cli.sh - `tapline record` without tracing: its help and usage
# errors, that --list places every probe of docs/probes.md and
# tapsets/gfapi.spec with their fields, and that its file offsets are the
# ones binutils' readelf gives (st_value - p_vaddr + p_offset).
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

check "--help exits 0" "$TAPLINE" record --help
"$TAPLINE" record --help >"$TMP/help"
check "--help documents -p, --, -o, -P, --list, --lib" \
	sh -c "grep -q -- '-p, --pid' '$TMP/help' && grep -q -- '-- COMMAND' '$TMP/help' &&
	       grep -q -- '-o, --output' '$TMP/help' && grep -q -- '-P, --probes' '$TMP/help' &&
	       grep -q -- '-l, --list' '$TMP/help' && grep -q -- '--lib' '$TMP/help'"
status() { "$@" >/dev/null 2>"$TMP/err" && echo 0 || echo $?; }
check "no target: usage error 2" test "$(status "$TAPLINE" record)" = 2
check "-p and COMMAND: usage error 2" \
	test "$(status "$TAPLINE" record -p 1 -- true)" = 2
check "-p abc: usage error 2" test "$(status "$TAPLINE" record -p abc)" = 2
check "unknown option: usage error 2" \
	test "$(status "$TAPLINE" record --frobnicate)" = 2
check "tracefs elsewhere: clear error, 1" \
	sh -c "test \"\$('$TAPLINE' record --tracefs '$TMP/none' -p 1 \
		>/dev/null 2>'$TMP/err'; echo \$?)\" = 1 &&
	       grep -q 'no uprobe_events' '$TMP/err'"

"$TAPLINE" record --list >"$TMP/list"

# Every probe named in docs/probes.md's gfapi/rpc/gluster tables that a
# symbol-only producer can place is in the list.
sed -n 's/^| `\(gfapi\.[a-z_]*\)`.*/\1/p; s/^| `\(rpc\.[a-z_]*\)`.*/\1/p;
	s/^| `\(gluster\.[a-z_]*_rsp\)`.*/\1/p' \
	"$top_srcdir/docs/probes.md" | sort -u >"$TMP/doc-probes"
awk '/^[a-z]/ { print $1 }' "$TMP/list" | sort -u >"$TMP/list-probes"
check "docs/probes.md probes are all listed" \
	sh -c "test -s '$TMP/doc-probes' && comm -23 '$TMP/doc-probes' '$TMP/list-probes' | tee '$TMP/missing' | (! grep .)"

# gfapi entry fields, in spec order (ts2/gstat expanded as docs/probes.md
# says), and every return has ret.
awk '/^[ \t]*(#|$)/ { next }
	{ sub(/#:.*/, ""); out = "gfapi." $1 ":"
	  for (i = 3; i <= NF; i++) { split($i, kv, "="); split(kv[2], t, ":")
		out = out " " kv[1]
		if (t[2] == "ts2") out = out " atime_sec atime_nsec mtime_sec mtime_nsec"
		if (t[2] == "gstat") out = out " mask atime_sec atime_nsec mtime_sec mtime_nsec mode uid gid" }
	  print out }' "$top_srcdir/tapsets/gfapi.spec" | sort >"$TMP/spec-fields"
awk '/^gfapi\./ { name = $1 } /^    entry:/ && name { sub(/^    entry:/, ""); print name ":" $0; name = "" }' \
	"$TMP/list" | sort >"$TMP/list-fields"
check "gfapi entry fields follow tapsets/gfapi.spec" \
	diff "$TMP/spec-fields" "$TMP/list-fields"
check "every gfapi probe has a return with ret" \
	test "$(grep -c '^gfapi\.' "$TMP/list")" = "$(grep -c '^    return: ret$' "$TMP/list")"

# rpc.* and gluster.*_rsp fields as docs/probes.md's tables list them.
for p in rpc.call rpc.reply gluster.setvolume_rsp gluster.dump_rsp \
	gluster.portmap_rsp gluster.getspec_rsp; do
	want=$(grep "^| \`$p\` | event |" "$top_srcdir/docs/probes.md" |
		awk -F'|' '{ print $4 }' | grep -o '`[a-z_]*`' | tr -d '`' | xargs)
	got=$(awk -v p="$p" '$1 == p { f = 1; next } f && /^    event:/ { sub(/^    event: /, ""); print; exit }' "$TMP/list")
	check "$p fields are docs/probes.md's ($want)" test "$want" = "$got"
done

# File offsets against readelf.
lib=$(sed -n 's/^    at: \(.*libgfapi[^:]*\):0x.* glfs_utimens@.*/\1/p' "$TMP/list")
if [ -n "$lib" ] && command -v readelf >/dev/null; then
	readelf -lW "$lib" | awk '$1 == "LOAD" { print $2, $3, $5 }' >"$TMP/loads"
	for sym in glfs_utimens glfs_pwrite glfs_init; do
		readelf -W --dyn-syms "$lib" |
			awk -v s="$sym" '$8 ~ "^" s "@" { print $2, $8 }' |
			while read -r value name; do
				v=$((0x$value))
				while read -r off vaddr filesz; do
					if [ "$v" -ge $((vaddr)) ] && [ "$v" -lt $((vaddr + filesz)) ]; then
						printf '%s 0x%x\n' "$(echo "$name" | sed 's/@@*/@/')" \
							$((v - vaddr + off))
					fi
				done <"$TMP/loads"
			done
	done | sort >"$TMP/readelf-off"
	sed -n 's/^    at: .*libgfapi[^:]*:\(0x[0-9a-f]*\) \(glfs_\(utimens\|pwrite\|init\)@.*\)/\2 \1/p' \
		"$TMP/list" | sort >"$TMP/list-off"
	check "glfs_utimens/pwrite/init offsets (all versions) match readelf" \
		sh -c "test \$(wc -l <'$TMP/readelf-off') -ge 4 && diff '$TMP/readelf-off' '$TMP/list-off'"
else
	skip "no libgfapi or readelf here"
fi

# Where the lab's -g build of libgfapi exists (tests/lab/build-debug-
# gluster.sh), its DWARF must name every parameter the spec names, at the
# ABI position the spec gives (what the stripped libraries rely on).
dbg=$(ls -d "$top_builddir"/tests/lab/gluster-debug/prefix-*/lib/libgfapi.so.0 \
	"$top_srcdir"/tests/lab/work/gluster-debug/prefix-*/lib/libgfapi.so.0 2>/dev/null | head -1 || true)
if [ -n "$dbg" ]; then
	"$TAPLINE" record --list -P 'gfapi.*' --lib "libgfapi=$dbg" >"$TMP/dwarf"
	check "DWARF of the -g libgfapi: every gfapi probe's arguments found by name" \
		sh -c "test \$(grep -c '^gfapi\.' '$TMP/dwarf') -gt 50 &&
		       ! grep '^    args:' '$TMP/dwarf' | grep -v 'by DWARF of pub_glfs_'"
	check "... all of them (N of N) and each at its ABI position" \
		sh -c "! grep -o ' [0-9]* of [0-9]* by name' '$TMP/dwarf' | awk '\$1 != \$3' | grep . &&
		       ! grep -q 'NOT at their ABI' '$TMP/dwarf'"
else
	skip "no -g libgfapi (tests/lab/build-debug-gluster.sh) here"
fi

check "an exact probe that does not exist is an error" \
	sh -c "! '$TAPLINE' record -q -P gfapi.nosuch -p $$ -o /dev/null 2>'$TMP/err'"
done_testing
