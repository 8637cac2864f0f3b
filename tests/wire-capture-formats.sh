#!/bin/sh
# One lab capture in every form it travels in must reassemble to the
# same bytes: pcapng (editcap -F pcapng), gzip (gzip), a rotated set
# (editcap -c, as tcpdump -C leaves it, given in shell-glob order),
# concatenated gzip members; and errors name the file.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"
flows="$top_builddir/tests/unit/wire_flows"
[ -x "$flows" ] || skip_all "wire_flows not built"
command -v editcap >/dev/null || skip_all "editcap (wireshark-common) not installed"
cap=$(ls -S "$top_srcdir"/tests/captures/*.pcap 2>/dev/null | head -1)
[ -n "$cap" ] || skip_all "no lab capture yet"
diag "capture: $(basename "$cap")"

"$flows" "$cap" | sort >"$TMP/want"
check "the original has TCP data" test -s "$TMP/want"

editcap -F pcapng "$cap" "$TMP/c.pcapng"
"$flows" "$TMP/c.pcapng" | sort >"$TMP/got"
check "pcapng gives the same bytes" cmp "$TMP/want" "$TMP/got"

gzip -c "$cap" >"$TMP/c.cap"	# no .gz suffix: found by magic
"$flows" "$TMP/c.cap" | sort >"$TMP/got"
check "gzip gives the same bytes" cmp "$TMP/want" "$TMP/got"

gzip -c "$TMP/c.pcapng" >"$TMP/c.pcapng.gz"
"$flows" "$TMP/c.pcapng.gz" | sort >"$TMP/got"
check "gzipped pcapng gives the same bytes" cmp "$TMP/want" "$TMP/got"

# A rotated set: rot_00000_..., renamed the way tcpdump -C names them
# (rot, rot1, rot2, ... rot10, ...) so the shell glob sorts them wrongly.
editcap -c 7 "$cap" "$TMP/split.pcap"
i=0
for f in $(ls "$TMP"/split_*.pcap | sort); do
	if [ $i -eq 0 ]; then mv "$f" "$TMP/rot"; else mv "$f" "$TMP/rot$i"; fi
	i=$((i + 1))
done
diag "$i files in the rotated set"
"$flows" "$TMP"/rot* | sort >"$TMP/got"
check "a rotated set in glob order gives the same bytes" cmp "$TMP/want" "$TMP/got"

# Two gzip members in one file (gzip -c a >x; gzip -c b >>x): the
# second member continues the bytes of the first.
head -c 24 "$cap" >"$TMP/hdr.pcap"
tail -c +25 "$cap" >"$TMP/body"
gzip -c "$TMP/hdr.pcap" >"$TMP/two.gz"
gzip -c "$TMP/body" >>"$TMP/two.gz"
"$flows" "$TMP/two.gz" | sort >"$TMP/got"
check "a gzip file of two members reads as one" cmp "$TMP/want" "$TMP/got"

# Errors name the file.
head -c 1000 "$cap" >"$TMP/cut.pcap"
"$flows" "$TMP/cut.pcap" >/dev/null 2>"$TMP/err" || true
check "a capture cut short is reported with its name" grep -q "cut.pcap: truncated" "$TMP/err"
echo "not a capture" >"$TMP/text.pcap"
if "$flows" "$TMP/text.pcap" >/dev/null 2>"$TMP/err"; then
	not_ok "a non-capture fails"
else
	check "a non-capture is named" grep -q "text.pcap: not a pcap or pcapng" "$TMP/err"
fi
if "$flows" "$TMP/missing.pcap" >/dev/null 2>"$TMP/err"; then
	not_ok "a missing file fails"
else
	check "a missing file is named" grep -q "missing.pcap: No such file" "$TMP/err"
fi
done_testing
