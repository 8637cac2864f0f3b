#!/bin/sh
# record-errno-sites.sh - the errno store scanner (src/record/errno_sites.c) on
# real machine code: a small C file compiled here (PLT, -fno-plt and IBT
# .plt.sec calls), Debian's stripped libgfapi and the lab's -g build.
# Oracles: objdump's own disassembly, read by tests/errno-sites-objdump.awk
# (every call of __errno_location and the first access through %rax on
# the straight line after it), and the C source's own count of
# `errno = x` statements.  No root, no lab: runs in every configuration.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

dump="$top_builddir/tests/unit/errno_sites_test"
oracle="$top_srcdir/tests/errno-sites-objdump.awk"
[ -x "$dump" ] || skip_all "no $dump"
command -v objdump >/dev/null || skip_all "objdump not installed (binutils)"

# compare FILE WHAT: the scanner's sites and counts against objdump's
compare() {
	"$dump" --dump "$1" >"$TMP/ours" || return 1
	objdump -d "$1" | awk -f "$oracle" >"$TMP/theirs" || return 1
	ours=$(head -1 "$TMP/ours")
	theirs=$(head -1 "$TMP/theirs")
	diag "$2: scanner: $ours"
	diag "$2: objdump: $theirs"
	get() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
	zeroes=$(grep -c 'fetch=\\0$' "$TMP/theirs" || true)
	check "$2: calls of __errno_location: $(get "$ours" calls) = objdump's" \
		test "$(get "$ours" calls)" = "$(get "$theirs" calls)"
	check "$2: errno = 0 stores (not probed): $(get "$ours" zeroes) = objdump's" \
		test "$(get "$ours" zeroes)" = "$zeroes"
	check "$2: reads $(get "$ours" reads), not followed $(get "$ours" undecoded) = objdump's" \
		test "$(get "$ours" reads) $(get "$ours" undecoded)" = \
		     "$(get "$theirs" reads) $(get "$theirs" undecoded)"
	sed -n 's/^site \(call=[^ ]* store=[^ ]*\) offset=[^ ]* \(fetch=.*\)/\1 \2/p' \
		"$TMP/ours" | sort >"$TMP/ours-sites"
	grep '^site ' "$TMP/theirs" | grep -v 'fetch=\\0$' | sed 's/^site //' |
		sort >"$TMP/theirs-sites"
	check "$2: every store site (call, store, value or register) as objdump shows it ($(wc -l <"$TMP/ours-sites"))" \
		diff "$TMP/theirs-sites" "$TMP/ours-sites"
	# the uprobe goes at the file offset: the bytes there are the store
	sed -n 's/^site .* offset=\(0x[0-9a-f]*\) fetch=\(.\).*/\1 \2/p' "$TMP/ours" |
	while read -r off kind; do
		b=$(od -An -tx1 -j "$((off))" -N3 "$1" | tr -d ' \n')
		case $kind$b in
		\\c700*|%89*|%4[0-7]89*) ;;
		*) echo "offset $off: $b is not the store"; exit 1 ;;
		esac
	done >"$TMP/offsets" 2>&1
	check "$2: the bytes at each site's file offset are its store (od)" \
		test ! -s "$TMP/offsets"
}

# --- a small C file with known errno stores ---------------------------
if command -v gcc >/dev/null; then
	cat >"$TMP/e.c" <<'EOF'
#include <errno.h>
#include <stdio.h>
#define F __attribute__((noinline))
F int set_const(int x) { if (x) { errno = 5; return -1; } return 0; }
F int set_neg(int r) { if (r < 0) { errno = -r; return -1; } return 0; }
F void clear(void) { errno = 0; }
/* DECODE_SYNCOP_ERR's shape: gcc -O2 merges both stores into one after a
 * jump (that one site also fires on success, storing 0) */
F int syncop_like(int r) { if (r < 0) { errno = -r; r = -1; } else { errno = 0; } return r; } /* merged */
F int set_two(int x) { if (x == 1) { errno = 22; return -1; } if (x == 2) { errno = 107; return -1; } return 0; }
F int read_only(void) { return errno == 4 ? -1 : 0; }
F void print_err(void) { perror("x"); fprintf(stderr, "%d\n", errno); }
F long set_big(long r, int e) { if (r) { errno = e + 1000; return -1; } return r; }
int main(int argc, char **argv)
{
	(void)argv;
	print_err();
	clear();
	return set_const(argc) + set_neg(-argc) + syncop_like(argc) +
	       set_two(argc) + read_only() + (int)set_big(argc, argc);
}
EOF
	# `errno = x` statements with x not 0, and `errno = 0` ones (but the
	# merged function's: a site and a zero, or neither, by the optimizer)
	want=$(grep -v merged "$TMP/e.c" | grep -o 'errno = [^;]*;' | grep -vc 'errno = 0;')
	wantz=$(grep -v merged "$TMP/e.c" | grep -c 'errno = 0;')
	for flags in "-O2" "-O2 -fno-plt" "-O1" "-O2 -fcf-protection=full -Wl,-z,ibtplt"; do
		name="gcc $flags"
		if ! gcc $flags -o "$TMP/e" "$TMP/e.c" 2>"$TMP/gcc.err"; then
			skip "$name: cannot compile here"
			continue
		fi
		compare "$TMP/e" "$name"
		# syncop_like: one site (errno = -r; with -O2 one store shared
		# with errno = 0 after a jump), and maybe an errno = 0 of its own
		sites=$(grep -c '^site ' "$TMP/ours")
		zeroes=$(sed -n 's/.* zeroes=\([0-9]*\) .*/\1/p' "$TMP/ours")
		check "$name: the $want nonzero errno assignments of the source (+1 of syncop_like) are the sites" \
			test "$sites" = "$((want + 1))"
		check "$name: its errno = 0 ones ($wantz, +1 if syncop_like's is not shared) are counted, not sites" \
			test "$zeroes" = "$wantz" -o "$zeroes" = "$((wantz + 1))"
		case $flags in
		*-fno-plt*)
			check "$name: the calls go through the GOT (call *slot(%rip))" \
				sh -c "objdump -d '$TMP/e' | grep -q 'call  *\*0x[0-9a-f]*(%rip) .*<__errno_location@'" ;;
		*ibtplt*)
			if readelf -SW "$TMP/e" | grep -q '\.plt\.sec'; then
				check "$name: the PLT stub found in .plt.sec" \
					sh -c "stub=\$(sed -n 's/.* stubs=\\([0-9a-f]*\\).*/\\1/p' '$TMP/ours');
					       objdump -d -j .plt.sec '$TMP/e' | grep -q \"^0*\$stub <__errno_location@plt>:\""
			fi ;;
		esac
	done
else
	skip "no gcc here"
fi

# --- the real libgfapi: Debian's (stripped) and the lab's -g build ------
deb=/usr/lib/x86_64-linux-gnu/libgfapi.so.0
if [ -e "$deb" ]; then
	compare "$(readlink -f "$deb")" "Debian's libgfapi"
	check "Debian's libgfapi: hundreds of errno stores (glfs_* failures)" \
		test "$(grep -c '^site ' "$TMP/ours")" -gt 300
else
	skip "no libgfapi here"
fi
dbg=$(ls -d "$top_builddir"/tests/lab/gluster-debug/prefix-*/lib/libgfapi.so.0 \
	"$top_srcdir"/tests/lab/work/gluster-debug/prefix-*/lib/libgfapi.so.0 2>/dev/null | head -1 || true)
if [ -n "$dbg" ]; then
	compare "$(readlink -f "$dbg")" "-g libgfapi"
else
	skip "no -g libgfapi (tests/lab/build-debug-gluster.sh) here"
fi
done_testing
