#!/bin/sh
# decode-icmp.sh - connections a firewall REJECTs with ICMP (nftables'
# default reject, not "with tcp reset"): real connect() calls in a
# private network namespace, refused by nft with ICMP port unreachable,
# host unreachable, administratively filtered and ICMPv6 port
# unreachable, and one with a RST, captured by tcpdump on loopback.
# tapline decode's connection events against tshark's reading of the same
# frames and against what each client's connect() said.
. "${top_srcdir:-$(dirname "$0")/..}/tests/setup.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (network namespace, nft)"
for tool in ip nft tcpdump tshark bash; do
	command -v "$tool" >/dev/null || skip_all "$tool not installed (scripts/deps.sh)"
done
"$TAPLINE" decode --help >/dev/null 2>&1 || skip_all "no decode command"

ns=tapline-icmp-$$
remove_ns() { ip netns del "$ns" 2>/dev/null || true; }
tap_cleanup_hooks="$tap_cleanup_hooks remove_ns"
ip netns add "$ns" || skip_all "cannot make a network namespace"
ip -n "$ns" link set lo up
ip netns exec "$ns" nft -f - <<'EOF' || { remove_ns; skip_all "nft refused the rules"; }
table inet tapline_reject {
	chain input {
		type filter hook input priority 0;
		tcp dport 40001 reject
		tcp dport 40002 reject with icmp type host-unreachable
		tcp dport 40003 reject with icmpx type admin-prohibited
		tcp dport 40004 reject with tcp reset
	}
}
EOF

cap=$TMP/reject.pcap
ip netns exec "$ns" tcpdump -q -n -U -i lo -w "$cap" 2>"$TMP/tcpdump.err" &
tcpdump_pid=$!
i=0
until grep -q "listening on" "$TMP/tcpdump.err" 2>/dev/null || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1))
done
# Each client tries once, one after the other; connect() retries the SYN
# itself.  Its own words are the oracle for what the event must say.  No
# rate limit on the namespace's ICMP errors (one a second by default).
ip netns exec "$ns" sysctl -q -w net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 || true
for target in 127.0.0.2/40001 127.0.0.2/40002 127.0.0.2/40003 127.0.0.2/40004 ::1/40001; do
	name=$(echo "$target" | tr ':/' '__')
	ip netns exec "$ns" timeout 10 bash -c "exec 3<>/dev/tcp/$target" \
		>"$TMP/client.$name" 2>&1 || true
done
sleep 0.3
kill "$tcpdump_pid" 2>/dev/null; wait "$tcpdump_pid" 2>/dev/null || true
remove_ns
for f in "$TMP"/client.*; do diag "client ${f##*/client.}: $(tail -1 "$f")"; done

said() { tail -1 "$TMP/client.$1"; }
check "the clients: refused, no route to host, no route, refused (RST), refused (v6)" sh -c \
	'case "$0|$1|$2|$3|$4" in
	 *"Connection refused"*"|"*"No route to host"*"|"*"No route to host"*"|"*"Connection refused"*"|"*"Connection refused"*) ;;
	 *) exit 1 ;; esac' "$(said 127.0.0.2_40001)" "$(said 127.0.0.2_40002)" \
	"$(said 127.0.0.2_40003)" "$(said 127.0.0.2_40004)" "$(said __1_40001)"

"$TAPLINE" decode "$cap" >"$TMP/decode.txt" 2>"$TMP/decode.err"
sed 's/^/#   /' "$TMP/decode.txt"

# tshark: each ICMP error with its code and the quoted segment's source
# port (the client's), and the SYNs of that port.
tshark -r "$cap" -n -Y 'icmp.type == 3 || icmpv6.type == 1' -T fields \
	-e frame.number -e icmp.code -e icmpv6.code -e tcp.srcport 2>/dev/null >"$TMP/icmp.tsv"
tshark -r "$cap" -n -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && !icmp && !icmpv6' \
	-T fields -e frame.number -e tcp.srcport 2>/dev/null >"$TMP/syns.tsv"
[ -s "$TMP/icmp.tsv" ] && ok "tshark: $(wc -l <"$TMP/icmp.tsv") ICMP destination unreachable frames" ||
	not_ok "tshark sees no ICMP error in the capture"
# One event per connection, at its last ICMP frame, naming its first SYN.
for want in "3 Connection refused: ICMP Port unreachable (code 3)" \
	    "1 Unreachable: ICMP Host unreachable (code 1)" \
	    "13 Unreachable: ICMP Communication administratively filtered (code 13)" \
	    "v6-4 Connection refused: ICMPv6 Port unreachable (code 4)"; do
	code=${want%% *} text=${want#* }
	case $code in
	v6-*) code=${code#v6-}; rows=$(awk -F '\t' -v c="$code" '$3 == c' "$TMP/icmp.tsv") ;;
	*) rows=$(awk -F '\t' -v c="$code" '$2 == c' "$TMP/icmp.tsv") ;;
	esac
	last=$(echo "$rows" | tail -1 | cut -f1)
	port=$(echo "$rows" | tail -1 | cut -f4 | cut -d, -f1)
	syns=$(awk -F '\t' -v p="$port" '$2 == p { print $1 }' "$TMP/syns.tsv" | tr '\n' ' ')
	set -- $syns
	first=${1:-?} n=$#
	if [ "$n" = 1 ]; then syn_text="1 SYN (frame $first)"
	else eval "lastsyn=\${$n}"; syn_text="$n SYNs (frames $first to $lastsyn)"; fi
	if grep -q "^ *$last [0-9.]* [^ ]* → [^ ]*:$port TCP 0 $text answered $syn_text\$" "$TMP/decode.txt"; then
		ok "code $code: '$text' at tshark's last ICMP frame $last, for port $port's $syn_text"
	else
		not_ok "code $code: no '$text' line at frame $last for port $port ($syn_text)"
	fi
done
rst=$(tshark -r "$cap" -n -Y 'tcp.srcport == 40004 && tcp.flags.reset == 1' -T fields -e frame.number 2>/dev/null | head -1)
check "the RST refusal is told as before, at tshark's RST frame $rst" \
	grep -q "^ *$rst .*TCP 0 Connection refused: \[RST, ACK\] answers the SYN" "$TMP/decode.txt"
check "no connection is said to be unanswered (each was answered)" sh -c '! grep -q "SYN unanswered" "$0"' "$TMP/decode.txt"

"$TAPLINE" decode -q -z expert "$cap" >"$TMP/expert.txt"
check "-z expert: 3 connections refused (ICMP, ICMPv6, RST), 2 unreachable" sh -c \
	'grep -q "^connection refused  *3 " "$0" && grep -q "^unreachable  *2 " "$0"' "$TMP/expert.txt"
check "-Y 'icmp.code == 13' picks the filtered one; -e icmp.type, icmp.code" sh -c \
	'test "$("$TAPLINE" decode -Y "icmp.code == 13" -T fields -e icmp.type -e icmp.code "$0")" = "$(printf "3\t13")"' "$cap"
check "-Y icmp picks the four ICMP-answered connections" sh -c \
	'test "$("$TAPLINE" decode -Y icmp "$0" | wc -l)" = 4' "$cap"
check "-G fields lists icmp.type and icmp.code" sh -c \
	'"$TAPLINE" decode -G fields | grep -q "^icmp\.type" && "$TAPLINE" decode -G fields | grep -q "^icmp\.code"'
check "nothing on stderr" test ! -s "$TMP/decode.err"

done_testing
