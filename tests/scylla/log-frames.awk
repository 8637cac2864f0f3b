# log-frames.awk - finds, for every frame scylla-gen logged, the capture
# frame in which its last byte travelled (where a decoder reports it).
#
#	awk -f log-frames.awk SEGMENTS GENERATOR.log
#
# SEGMENTS: one line per TCP segment with payload, tab-separated:
#	frame src_ip src_port dst_ip dst_port seq(relative) len
# (tshark -T fields -e frame.number -e ip.src -e tcp.srcport -e ip.dst
#  -e tcp.dstport -e tcp.seq -e tcp.len -Y 'tcp.len > 0').
# Output, one line per logged frame: frame index_in_frame count_in_frame
# then the log line's key=value words (index counts the logged frames
# that end in the same capture frame, from 1).
BEGIN { FS = "\t" }
FNR == NR {
	key = $2 ":" $3 ">" $4 ":" $5
	n = ++nseg[key]
	sframe[key, n] = $1; sseq[key, n] = $6; slen[key, n] = $7
	next
}
# A capture begun after the generator's first frames (scenario midstream):
# only what follows the mark was captured, counted from its first byte.
/^capture-starts-here/ {
	for (k in cum) delete cum[k]
	for (k in at) delete at[k]
	nl = 0; delete cnt
	next
}
{
	FS = " "; $0 = $0
	src = ""; dst = ""; wire = ""; cql = 0
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^src=/) src = substr($i, 5)
		else if ($i ~ /^dst=/) dst = substr($i, 5)
		else if ($i ~ /^wire=/) wire = substr($i, 6)
		else if ($i == "cql") cql = 1
		else if (cql && $i ~ /^len=/) wire = substr($i, 5) + 9
	}
	if (src == "" || wire == "") next
	key = src ">" dst
	start = cum[key] + 1; end = cum[key] + wire; cum[key] = end
	f = ""
	for (k = (at[key] ? at[key] : 1); k <= nseg[key]; k++)
		if (sseq[key, k] <= end && end < sseq[key, k] + slen[key, k]) {
			f = sframe[key, k]; at[key] = k; break
		}
	if (f == "") f = "?"
	line[++nl] = $0; lf[nl] = f; cnt[f]++; idx[nl] = cnt[f]
}
END {
	for (i = 1; i <= nl; i++)
		print lf[i], idx[i], cnt[lf[i]], line[i]
}
