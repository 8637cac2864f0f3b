#!/bin/sh
# tests/stap-probes.sh - the one definition of the gfapi probes agrees
# with what is generated and documented: tapsets/gfapi.stp is exactly
# what tapsets/gen-gfapi.awk makes of tapsets/gfapi.spec, and every
# probe and field of the spec and of the hand-written tapsets is in
# docs/probes.md.  Needs no stap.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
spec=$top_srcdir/tapsets/gfapi.spec
doc=$top_srcdir/docs/probes.md

awk -f "$top_srcdir/tapsets/gen-gfapi.awk" "$spec" >"$TMP/gfapi.stp"
check "tapsets/gfapi.stp is generated from gfapi.spec (make regen-tapsets)" \
	cmp "$TMP/gfapi.stp" "$top_srcdir/tapsets/gfapi.stp"

# Every call: a table row `gfapi.CALL` listing each of its keys.
missing=""
awk '!/^#/ && NF { print }' "$spec" | sed 's/#:.*//' >"$TMP/calls"
ncalls=0
while read -r call ret fields; do
	ncalls=$((ncalls + 1))
	row=$(grep -E "^\| \`gfapi\.$call\` \|" "$doc" || true)
	if [ -z "$row" ]; then missing="$missing gfapi.$call"; continue; fi
	for f in $fields; do
		key=${f%%=*}
		type=${f#*:}; type=${type%%:*}
		case $type in
		ts2) keys="$key atime_sec atime_nsec mtime_sec mtime_nsec" ;;
		gstat) keys="$key mask atime_sec atime_nsec mtime_sec mtime_nsec mode uid gid" ;;
		*) keys=$key ;;
		esac
		case $row in *"as \`gfapi."*|*"as in \`gfapi."*) continue ;; esac
		for k in $keys; do
			case $row in
			*"\`$k\`"*) ;;
			*) missing="$missing gfapi.$call:$k" ;;
			esac
		done
	done
done <"$TMP/calls"
if [ -z "$missing" ]; then ok "docs/probes.md lists all $ncalls gfapi calls and their fields"
else not_ok "docs/probes.md lacks:$missing"; fi

# Every record name the tapsets print is documented.
grep -ho '"[a-z0-9_]*\.[a-z0-9_.]*"' "$top_srcdir"/tapsets/*.stp |
	tr -d '"' | grep -E '^(gfapi|samba|gluster|rpc)\.' | grep -v '\.stp$' |
	sort -u >"$TMP/names"
undoc=""
while read -r name; do
	grep -q "\`$name\`" "$doc" || undoc="$undoc $name"
done <"$TMP/names"
if [ -z "$undoc" ]; then ok "every record name in tapsets/ ($(wc -l <"$TMP/names")) is in docs/probes.md"
else not_ok "undocumented record names:$undoc"; fi

# Every tapset probe alias has a /** probe NAME doc comment.
nodoc=""
for f in "$top_srcdir"/tapsets/*.stp; do
	for a in $(sed -n 's/^probe \([a-z0-9_.]*\) +\{0,1\}=.*/\1/p' "$f" | sort -u); do
		grep -q "^ \* probe $a - \|^/\*\* probe $a - " "$f" || nodoc="$nodoc $a"
	done
done
if [ -z "$nodoc" ]; then ok "every tapset alias has a /** probe doc comment"
else not_ok "aliases without docs:$nodoc"; fi

# The record validator rejects what the format rejects.
cat >"$TMP/bad.rec" <<'REC'
1 2 3 "early" gfapi.new entry
tapline-records 1 host=h clock=realtime clock_offset_ns=0 boot_id=b recorder=r start_ns=1
1 2 3 "c" gfapi.utimens entry path="/a \"q\"" atime_sec=-1 times=0x7f
1 2 3 c gfapi.new entry
1 2 3 "c" gfapi.new entry x=1 x=2
1 2 3 "c" Gfapi.new entry
1 2 3 "c" gfapi.new start
1 2 3 "c" gfapi.new entry x=abc
REC
awk -f "$top_srcdir/tests/stap-records.awk" "$TMP/bad.rec" >"$TMP/bad.out" 2>"$TMP/bad.err" && st=0 || st=$?
check "validator: exit 1 on malformed lines" test "$st" = 1
check "validator: 6 malformed lines reported with line numbers" \
	test "$(grep -c 'bad.rec:[0-9]*: malformed record' "$TMP/bad.err")" = 6
check "validator: the good event parsed, string unescaped" \
	grep -q "	path=/a \"q\"	atime_sec=-1	times=0x7f$" "$TMP/bad.out"
done_testing
