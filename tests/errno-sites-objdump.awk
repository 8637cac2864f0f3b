# errno-sites-objdump.awk - the independent side of record-errno-sites.sh:
# from `objdump -d` text (not our decoder), every call of __errno_location
# and the first thing done through %rax on each path after it (direct
# jumps followed, both ways for a conditional one, at most 2 jumps and 12
# instructions on a path: the limits of src/record/errno_sites.c).
# Prints "calls=N sites=N reads=N undecoded=N jumped_into=N", then one
# "site call=ADDR store=ADDR fetch=F" per distinct store (F as tracefs
# writes it: "\N" for a constant, "%REG" for a register); jumped_into
# counts the stores that some jump or call of the file lands on.
BEGIN { FS = "\t" }
/^ *[0-9a-f]+:\t/ && NF >= 3 {
	a = $1; gsub(/[ :]/, "", a)
	t = $3; gsub(/ +/, " ", t)
	n++; addr[n] = a; at[a] = n
	# a PLT call names the stub; a -fno-plt call names the GOT slot's symbol
	errcall[n] = t ~ /^call [0-9a-f]+ <__errno_location@plt>/ ||
		     t ~ /^call \*0x[0-9a-f]+\(%rip\) *# [0-9a-f]+ <__errno_location@/
	sub(/ *#.*/, "", t); sub(/ $/, "", t)
	text[n] = t
	if (t ~ /^(j[a-z]*|call) [0-9a-f]+ </) {
		split(t, w, " "); target[w[2]] = 1
	}
}
function signed32(h,   v, i) {	# "0x..." (mawk has no strtonum)
	v = 0
	for (i = 3; i <= length(h); i++)
		v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return v >= 2147483648 ? v - 4294967296 : v
}
function reg32(r) {
	if (r ~ /^%r[0-9]+d$/) { sub(/d$/, "", r); return r }
	sub(/^%e/, "%", r); return r
}
# follow(J, LEFT, JUMPS): the path from instruction J; sets found[store]
function follow(j, left, jumps,   t, v, r, m, ops, last, reads_only, w) {
	for (; left > 0 && j <= n; left--) {
		t = text[j]
		if (t ~ /^movl \$0x[0-9a-f]+,\(%rax\)$/) {
			v = t; sub(/^movl \$/, "", v); sub(/,.*/, "", v)
			if (!(addr[j] in found)) { found[addr[j]] = "\\" signed32(v); order[++nfound] = addr[j] }
			reached = 1
			return
		}
		if (t ~ /^mov %(e[a-ds][xip]|e[bs]p|r[0-9]+d),\(%rax\)$/) {
			r = t; sub(/^mov /, "", r); sub(/,.*/, "", r)
			if (r == "%eax" || r == "%esp") return
			if (!(addr[j] in found)) { found[addr[j]] = reg32(r); order[++nfound] = addr[j] }
			reached = 1
			return
		}
		if (t ~ /^j[a-z]* [0-9a-f]+ </) {	# a direct jump
			if (!jumps) return
			split(t, w, " ")
			if (w[1] != "jmp") follow(j + 1, left - 1, jumps - 1)
			if (!(w[2] in at)) return
			j = at[w[2]]; jumps--
			continue
		}
		if (t ~ /^(j|call|ret|bnd|notrack|hlt|ud2|int3|syscall)/) return
		if (t ~ /^nop/) { j++; continue }
		m = t; sub(/ .*/, "", m)
		ops = t; sub(/^[^ ]* ?/, "", ops)
		last = ops; sub(/.*,/, "", last)
		reads_only = m ~ /^(cmp|test|bt|push)/
		if (!reads_only && ops ~ /,.*\(%rax[,)]/) return	# written through %rax otherwise
		if (!reads_only && last ~ /\(.*%rax.*\)/) return
		if (ops ~ /\(%rax\)/) read = 1
		if (m ~ /^(cltq|cqto|cltd|cwtl|mul[bwlq]?|div[bwlq]?|idiv[bwlq]?|xchg[bwlq]?|lods[bwlq]?|stos[bwlq]?|scas[bwlq]?|cmpxchg[bwlq]?|rep[a-z]*|movs[bwlq]?|cpuid|rdtsc)$/) return
		if (m ~ /^imul/ && ops !~ /,/) return
		if (!reads_only && (last ~ /^%(rax|eax|ax|al|ah)$/)) return
		if (m ~ /^pop/ && ops ~ /^%rax$/) return
		j++
	}
}
END {
	for (i = 1; i <= n; i++) {
		if (!errcall[i])
			continue
		calls++
		read = 0; reached = 0; before = nfound
		follow(i + 1, 12, 2)
		for (k = before + 1; k <= nfound; k++)
			line[k] = sprintf("site call=%s store=%s fetch=%s", addr[i], order[k], found[order[k]])
		# a store another call reached first makes this a store too
		if (!reached && read) reads++
		else if (!reached) undecoded++
	}
	for (k = 1; k <= nfound; k++)
		if (order[k] in target) jumped++
	printf "calls=%d sites=%d reads=%d undecoded=%d jumped_into=%d\n",
		calls, nfound, reads, undecoded, jumped
	for (k = 1; k <= nfound; k++) print line[k]
}
