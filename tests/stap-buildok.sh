#!/bin/sh
# tests/stap-buildok.sh - every tapset alias and every stp/ script
# resolves against the real (Debian, stripped) libraries: stap -p2 for the
# kernel-module runtime (which cannot load here, but whose translation
# checks every probe point and variable), stap -p4 --runtime=bpf (compiled
# and assembled into BPF programs: the real check for the runtime that
# runs here), and stap -l counts against tapsets/gfapi.spec.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
. "$top_srcdir/tests/stap-lib.sh"

ncalls=$(awk '!/^#/ && NF' "$top_srcdir/tapsets/gfapi.spec" | wc -l)

# buildok NAME PROBES...: -p2 of a script probing PROBES (wildcards).
buildok() {
	name=$1; shift
	printf 'probe %s {}\n' "$*" >"$TMP/b.stp"
	check "stap -p2 (module runtime): $name" stap_module -p2 "$TMP/b.stp"
}
buildok "every gfapi.* alias and its .return" "gfapi.*, gfapi.*.return"
buildok "every tapline.gfapi.* printer" "tapline.gfapi.*, tapline.gfapi.*.return"
buildok "every samba.gfapi.* alias (smbd's calls)" "samba.gfapi.*, samba.gfapi.*.return"
buildok "rpc.* and tapline.rpc.*" "rpc.*, tapline.rpc.*"
buildok "gluster.* (symbol-only and optional DWARF) and tapline.gluster.*" \
	"gluster.*, tapline.gluster.*"
# DWARF-only aliases: optional, so they translate without debug info; stap
# must still find the module they name (it then only lacks DWARF).
printf 'probe samba.* ?, samba.*.return ?, gluster.client_setvolume_cbk ? {}\nprobe begin { exit() }\n' >"$TMP/dw.stp"
check "stap -p2: samba.vfs_gluster_* and gluster.*_cbk (DWARF) translate as optional" \
	stap_module -p2 "$TMP/dw.stp"
stap_module -p2 "$TMP/dw.stp" >/dev/null 2>"$TMP/dw.err" || true
if [ -f /usr/lib/x86_64-linux-gnu/samba/vfs/glusterfs.so ]; then
	check "Samba's vfs/glusterfs.so is found, only its DWARF is missing" \
		grep -q 'samba/vfs/glusterfs.so debuginfo' "$TMP/dw.err"
else
	skip "samba-vfs-modules not installed (scripts/deps.sh installs it)"
fi
check "the client xlator is found, only its DWARF is missing" \
	grep -q 'xlator/protocol/client.so debuginfo' "$TMP/dw.err"

# stap -l lists the aliases that resolved to at least one probe point.
count() { stap_module -l "$1" 2>/dev/null | wc -l; }
check "all $ncalls gfapi calls resolve (entry)" test "$(count 'gfapi.*')" -eq "$ncalls"
check "all $ncalls gfapi calls resolve (return)" test "$(count 'gfapi.*.return')" -eq "$ncalls"
for p in rpc.call rpc.reply gluster.setvolume_rsp gluster.dump_rsp \
	 gluster.portmap_rsp gluster.getspec_rsp; do
	check "$p resolves on Debian's stripped libraries" test "$(count "$p")" -ge 1
done
# Both symbol versions of glfs_pwrite (GFAPI_3.4.0 and 6.0) are probed.
stap_module -p2 -e 'probe gfapi.pwrite {}' >"$TMP/pw.out" 2>/dev/null || true
check "gfapi.pwrite probes both symbol versions" \
	test "$(grep -c '^process.*function("glfs_pwrite")' "$TMP/pw.out")" -eq 2
# DWARF-only aliases resolve to nothing without debug info: say so.
n=$(count 'gluster.client_setvolume_cbk')
diag "gluster.client_setvolume_cbk (DWARF) resolves to $n probe(s) here (0 on Debian: see tests/stap-dwarf.sh)"

# The BPF runtime: every printer, with a user filter (the tightest case).
printf 'probe tapline.gfapi.*, tapline.gfapi.*.return { if (!tapline_traced()) next }\n' >"$TMP/bpf.stp"
check "stap -p4 --runtime=bpf: every tapline.gfapi.* printer with a pid filter" \
	stap_bpf -p4 "$TMP/bpf.stp"
printf 'probe tapline.rpc.*, tapline.gluster.* ? { if (!tapline_traced()) next }\n' >"$TMP/bpf2.stp"
check "stap -p4 --runtime=bpf: tapline.rpc.* and tapline.gluster.*" stap_bpf -p4 "$TMP/bpf2.stp"

# The tapsets and `tapline record` write the same probes with the same
# fields (docs/probes.md): compare the tapsets' variables (stap -L, minus
# internals) with `tapline record --list`.
if [ -x "$TAPLINE" ] && "$TAPLINE" record --list >"$TMP/list" 2>/dev/null; then
	awk '/^[a-z]/ { p = $1 } /^    (entry|event|return):/ {
		k = $1; sub(/:$/, "", k); $1 = ""; n = split($0, f, " ")
		s = ""; for (i = 1; i <= n; i++) s = s " " f[i]
		print p, k, s }' "$TMP/list" |
		while read -r p k rest; do
			printf '%s %s %s\n' "$p" "$k" "$(printf '%s\n' $rest | sort | tr '\n' ' ')"
		done | sort >"$TMP/rec-fields"
	for pat in 'gfapi.*' 'gfapi.*.return' 'rpc.*' 'gluster.*'; do
		stap_module -L "$pat" 2>/dev/null
	done | while read -r alias vars; do
		case $alias in
		*.return) p=${alias%.return}; k=return ;;
		rpc.*|gluster.*) p=$alias; k=event ;;
		*) p=$alias; k=entry ;;
		esac
		case $alias in gluster.client_*|gluster.mgmt_*) continue ;; esac
		f=$(printf '%s\n' $vars | sed 's/:.*//' |
			grep -Ev '^(_.*|.*_ptr|name|argstr|retstr|\$.*)$' | sort | tr '\n' ' ')
		printf '%s %s %s\n' "$p" "$k" "$f"
	done | sort >"$TMP/tap-fields"
	if diff "$TMP/tap-fields" "$TMP/rec-fields" >"$TMP/fields.diff"; then
		ok "tapsets and tapline record --list: same $(wc -l <"$TMP/rec-fields") probe phases, same fields"
	else
		not_ok "tapsets and tapline record --list disagree (< tapsets, > record)"
		sed 's/^/#   /' "$TMP/fields.diff" | head -20
	fi
else
	skip "no built tapline with record --list: tapsets not compared with tapline record"
fi

# Every ready-to-run script, in both runtimes.
for s in "$STP"/*.stp; do
	b=$(basename "$s")
	check "stap -p2 (module runtime): stp/$b" stap_module -p2 "$s" host boot
	check "stap -p4 --runtime=bpf: stp/$b" stap_bpf -p4 "$s" host boot
	check "stp/$b has a .meta with its check" \
		grep -q '^test_check:' "${s%.stp}.meta"
done
done_testing
