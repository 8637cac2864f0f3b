# words.awk - the value of key=value words in a line of the traffic
# generator's log (tests/lab/scylla/scylla-gen.c) or of the frame lists
# built from it; "" when the key is not there.  Loaded before the
# comparing scripts: awk -f words.awk -f log-compare.awk ...
function field(line, key,   i, n, w) {
	n = split(line, w, " ")
	for (i = 1; i <= n; i++)
		if (index(w[i], key "=") == 1)
			return substr(w[i], length(key) + 2)
	return ""
}
