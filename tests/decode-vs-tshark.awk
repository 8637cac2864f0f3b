# decode-vs-tshark.awk - compares tapline's rows with tshark's, frame by
# frame, for the frames tshark decodes as ONC-RPC.
#
#   awk -F'\t' -v mode=fields  -f decode-vs-tshark.awk OURS THEIRS
#   awk -F'\t' -v mode=summary -f decode-vs-tshark.awk OURS THEIRS
#
# fields: OURS is `tapline decode -T fields` and THEIRS `tshark -Y rpc -T
# fields` with the same -e list (frame.number first, rpc.xid eighth).
# tapline writes one row per message, tshark one per frame with several
# messages' values joined by ','; so tapline's rows are grouped by frame
# and joined the same way.  Per-frame columns (2-7, 15) and
# rpc.programversion (11, which tshark repeats: once in the RPC header,
# once more in its GlusterFS subtree) compare as distinct values.
#
# summary: OURS is tapline's default output; THEIRS is tshark -Y rpc -T
# fields -e frame.number -e frame.time_relative -e ip.src -e tcp.srcport
# -e ip.dst -e tcp.dstport -e rpc.fraglen -e rpc.msgtyp -e rpc.repframe.
# Checked per frame: relative time (to the microsecond), endpoints, the
# length column (= the RPC fragment length), Call/Reply and "Call In N".
#
# Prints one line per disagreement: "FRAME COLUMN tshark 'X' tapline 'Y'",
# then a "# compared N frames" line.
function distinct(s,   n, a, i, out, seen) {
	n = split(s, a, ",")
	out = ""
	delete seen
	for (i = 1; i <= n; i++)
		if (!(a[i] in seen)) {
			seen[a[i]] = 1
			out = out (out == "" ? "" : ",") a[i]
		}
	return out
}
function add(f, i, v,   k) {
	k = f SUBSEP i
	if (k in o)
		o[k] = o[k] "," v
	else
		o[k] = v
}
function endpoint(s, col, f,   p) {
	p = match(s, /:[0-9]+$/)
	add(f, col, substr(s, 1, p - 1))
	add(f, col + 1, substr(s, p + 1))
}
BEGIN {
	if (mode == "summary")
		n = split("frame.number frame.time_relative ip.src tcp.srcport " \
			  "ip.dst tcp.dstport rpc.fraglen rpc.msgtyp rpc.repframe",
			  name, " ")
	else
		n = split("frame.number frame.time_epoch ip.src ip.dst " \
			  "tcp.srcport tcp.dstport tcp.stream rpc.xid rpc.msgtyp " \
			  "rpc.program rpc.programversion rpc.procedure " \
			  "rpc.repframe rpc.time frame.time_relative", name, " ")
}
# tapline's rows
NR == FNR && mode == "summary" {
	split($0, w, " ")
	f = w[1]
	ours[f] = 1
	add(f, 2, w[2])
	endpoint(w[3], 3, f)
	endpoint(w[5], 5, f)
	add(f, 7, w[7])
	if (match($0, /Reply \(Call In [0-9]+\)/)) {
		add(f, 8, 1)
		s = substr($0, RSTART + 15, RLENGTH - 16)
		add(f, 9, s)
	} else if ($0 ~ / Reply/) {
		add(f, 8, 1)
	} else {
		add(f, 8, 0)
	}
	next
}
NR == FNR {
	f = $1
	ours[f] = 1
	for (i = 2; i <= NF; i++)
		if ($i != "")
			add(f, i, $i)
	next
}
# tshark's rows
mode == "summary" && $8 == "" { next }
mode != "summary" && $8 == "" { next }
{
	f = $1
	rows++
	if (!(f in ours)) {
		print f " message tshark 'RPC' tapline ''"
		next
	}
	for (i = 2; i <= NF && i <= n; i++) {
		want = $i
		got = o[f SUBSEP i]
		if (mode == "summary") {
			if (i == 2) {	# microseconds, as the summary shows
				want = distinct(want)
				sub(/[0-9][0-9][0-9]$/, "", want)
				got = distinct(got)
			} else if (i != 7 && i != 8 && i != 9) {
				want = distinct(want)
				got = distinct(got)
			}
		} else if (i <= 7 || i == 11 || i == 15) {
			want = distinct(want)
			got = distinct(got)
		}
		if (want != got)
			print f " " name[i] " tshark '" want "' tapline '" got "'"
	}
}
END { print "# compared " rows + 0 " frames" }
