# log-compare.awk - compares the frames tapline found in a capture with
# what the traffic generator logged it sent (the ground truth): per
# direction (src>dst), the k-th frame found against the k-th logged.
#
#	awk -f words.awk -f log-compare.awk FOUND GENERATOR.log [FRAMES]
#
# FOUND: lines "FRAME first=F conv=N src=A dst=B kind=K key=value..."
# (tests/scylla/scylla_frames).  FRAMES (optional): log-frames.awk's
# output, to check that each frame completed in the capture frame that
# carried its last byte.  Prints one line per disagreement and, last,
# "compared N frames, M disagreements"; exits 1 when M > 0.
function has(line, word,   i, n, w) {
	n = split(line, w, " ")
	for (i = 1; i <= n; i++)
		if (w[i] == word)
			return 1
	return 0
}
function bad(what) {
	printf "%s: %s\n", what, FILENAME
	problems++
}
FILENAME == ARGV[1] {
	key = field($0, "src") ">" field($0, "dst")
	found[key, ++nfound[key]] = $0
	next
}
ARGC > 3 && FILENAME == ARGV[3] {
	# frame index count t=... conn=... (log-frames.awk's output)
	key = field($0, "src") ">" field($0, "dst")
	expect_frame[key, ++nmap[key]] = $1
	next
}
/^capture-starts-here/ {
	for (k in nlog) delete nlog[k]
	for (k in logged) delete logged[k]
	next
}
/ kind=/ && / src=/ && !/ cql / {
	key = field($0, "src") ">" field($0, "dst")
	logged[key, ++nlog[key]] = $0
}
END {
	for (kk in nlog) {
		if (nfound[kk] != nlog[kk])
			bad(sprintf("%s: %d frames logged, %d found", kk,
				    nlog[kk], nfound[kk] + 0))
		for (i = 1; i <= nlog[kk]; i++) {
			l = logged[kk, i]; f = found[kk, i]
			compared++
			if (f == "") continue
			what = sprintf("%s #%d (%s)", kk, i, field(l, "t"))
			kind = field(l, "kind"); fk = field(f, "kind")
			comp = field(l, "compress")
			if (comp == "SCYLLA_V3") {
				if (fk != "compressed" || index(f, "not-decoded=") == 0)
					bad(what " SCYLLA_V3 frame not flagged: " f)
			} else {
				want = kind
				if (kind == "stream" && field(l, "eos") == 1)
					want = "stream-eos"
				if (fk != want)
					bad(what " kind " fk " != " want)
				if (kind == "negotiation") {
					if (field(f, "features") != field(l, "features"))
						bad(what " features " field(f, "features") " != " field(l, "features"))
				}
				if (kind == "request") {
					if (field(f, "verb") != field(l, "verb"))
						bad(what " verb " field(f, "verb") " != " field(l, "verb"))
					t = field(l, "timeout")
					if (t ~ /^none/) t = "none"
					if (field(f, "timeout") != t)
						bad(what " timeout " field(f, "timeout") " != " t)
				}
				if (kind == "response" || kind == "exception") {
					if (field(f, "handler_duration") != field(l, "handler_duration"))
						bad(what " handler_duration " field(f, "handler_duration") " != " field(l, "handler_duration"))
				}
				if (kind != "negotiation" && !(kind == "stream" && field(l, "eos") == 1)) {
					if (field(f, "msg_id") != field(l, "msg_id"))
						bad(what " msg_id " field(f, "msg_id") " != " field(l, "msg_id"))
				}
				if (field(f, "len") != field(l, "len") && !(kind == "stream" && field(l, "eos") == 1))
					bad(what " len " field(f, "len") " != " field(l, "len"))
				if (comp != "-" && comp != "" && field(f, "compress") != comp)
					bad(what " compress " field(f, "compress") " != " comp)
				if (index(f, "malformed=") || has(f, "truncated"))
					bad(what " not clean: " f)
			}
			if (field(f, "wire") != field(l, "wire"))
				bad(what " wire " field(f, "wire") " != " field(l, "wire"))
			if (ARGC > 3 && expect_frame[kk, i] != "" && \
			    (split(f, w, " ") && w[1] != expect_frame[kk, i]))
				bad(what " completed in frame " w[1] " != " expect_frame[kk, i])
		}
	}
	for (kk in nfound)
		if (!(kk in nlog))
			bad(sprintf("%s: %d frames found, none logged", kk, nfound[kk]))
	printf "compared %d frames, %d disagreements\n", compared, problems
	exit problems > 0
}
