# errno-sites-objdump.awk - the independent side of record-errno-sites.sh:
# from `objdump -d` text (not our decoder), every call of __errno_location
# and the first thing done through %rax on the straight line after it.
# Prints "calls=N sites=N reads=N undecoded=N jumped_into=N", then one
# "site call=ADDR store=ADDR fetch=F" per `errno = x` store, F as tracefs
# writes it ("\N" for a constant, "%REG" for a register); "jumped_into"
# counts sites whose window (call, store] some jump or call lands in.
BEGIN { FS = "\t" }
/^ *[0-9a-f]+:\t/ && NF >= 3 {
	a = $1; gsub(/[ :]/, "", a)
	t = $3; gsub(/ +/, " ", t)
	n++; addr[n] = a
	# a PLT call names the stub; a -fno-plt call names the GOT slot's symbol
	errcall[n] = t ~ /^call [0-9a-f]+ <__errno_location@plt>/ ||
		     t ~ /^call \*0x[0-9a-f]+\(%rip\) *# [0-9a-f]+ <__errno_location@/
	sub(/ *#.*/, "", t); sub(/ $/, "", t)
	text[n] = t
	if (t ~ /^(j[a-z]*|call|bnd jmp|notrack jmp) [0-9a-f]+ </) {
		split(t, w, " "); target[w[w[1] == "bnd" || w[1] == "notrack" ? 3 : 2]] = 1
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
END {
	for (i = 1; i <= n; i++) {
		if (!errcall[i])
			continue
		calls++
		verdict = "undecoded"; read = 0
		for (j = i + 1; j <= n && j <= i + 10; j++) {
			t = text[j]
			if (t ~ /^movl \$0x[0-9a-f]+,\(%rax\)$/) {
				v = t; sub(/^movl \$/, "", v); sub(/,.*/, "", v)
				fetch = "\\" signed32(v); verdict = "store"; break
			}
			if (t ~ /^mov %(e[a-ds][xip]|e[bs]p|r[0-9]+d),\(%rax\)$/) {
				r = t; sub(/^mov /, "", r); sub(/,.*/, "", r)
				if (r == "%eax" || r == "%esp") break
				fetch = reg32(r); verdict = "store"; break
			}
			if (t ~ /^(j|call|ret|jmp|bnd|notrack|hlt|ud2|int3|syscall)/) break
			if (t ~ /^nop/) continue
			m = t; sub(/ .*/, "", m)
			ops = t; sub(/^[^ ]* ?/, "", ops)
			last = ops; sub(/.*,/, "", last)
			reads_only = m ~ /^(cmp|test|bt|push)/
			if (!reads_only && ops ~ /,.*\(%rax[,)]/) break	# written through %rax otherwise
			if (!reads_only && last ~ /\(.*%rax.*\)/) break
			if (ops ~ /\(%rax\)/) read = 1
			if (m ~ /^(cltq|cqto|cltd|cwtl|mul[bwlq]?|div[bwlq]?|idiv[bwlq]?|xchg[bwlq]?|lods[bwlq]?|stos[bwlq]?|scas[bwlq]?|cmpxchg[bwlq]?|rep[a-z]*|movs[bwlq]?|cpuid|rdtsc)$/) break
			if (m ~ /^imul/ && ops !~ /,/) break
			if (!reads_only && (last ~ /^%(rax|eax|ax|al|ah)$/)) break
			if (m ~ /^pop/ && ops ~ /^%rax$/) break
		}
		if (verdict == "store") {
			sites++
			line[sites] = sprintf("site call=%s store=%s fetch=%s", addr[i], addr[j], fetch)
			for (k = i + 1; k <= j; k++)
				if (addr[k] in target) { jumped++; break }
		} else if (read) {
			reads++
		} else {
			undecoded++
		}
	}
	printf "calls=%d sites=%d reads=%d undecoded=%d jumped_into=%d\n",
		calls, sites, reads, undecoded, jumped
	for (s = 1; s <= sites; s++) print line[s]
}
