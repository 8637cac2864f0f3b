# tshark-agree.awk - where tshark's Scylla dissector is right (verbs 0-43,
# 28-byte requests, 12-byte responses: classic.pcap), its fields must be
# what the generator logged it sent.
#
#	awk -f words.awk -f tshark-agree.awk TSHARK.tsv FRAMES
#
# TSHARK.tsv: tshark -2 ... -T fields -E separator='|' with the columns of
# tests/scylla-tshark.sh; FRAMES: log-frames.awk's output (capture frame,
# index, count, then the log line).  Prints disagreements and, last,
# "checked N fields in M frames, D disagreements"; exits 1 when D > 0.
# a UUID's wire bytes: each 8-byte half little-endian
function wire_uuid(u,   h, i, s) {
	gsub(/-/, "", u)
	for (i = 15; i >= 1; i -= 2) s = s substr(u, i, 2)
	for (i = 31; i >= 17; i -= 2) s = s substr(u, i, 2)
	return s
}
function same(what, got, want) {
	checked++
	if (got != want) {
		printf "frame %s %s: tshark %s, sent %s\n", fr, what, got, want
		bad++
	}
}
BEGIN { FS = "|" }
FNR == NR { ts[$1] = $0; next }
{
	fr = $0; sub(/ .*/, "", fr)
	split($0, w, " ")
	if (w[3] != 1) next	# several frames end in this one: not here
	kind = field($0, "kind")
	if (kind != "negotiation" && kind != "request" && kind != "response")
		next
	split(ts[fr], t, "|")
	frames++
	conn = field($0, "conn")
	if (kind == "negotiation") {
		same("scylla.negotiation.size", t[7], field($0, "len"))
		next
	}
	same("scylla.msg_id", t[4], field($0, "msg_id"))
	if (kind == "request") {
		reqframe[conn, field($0, "msg_id")] = fr
		same("scylla.verb", t[3], field($0, "verb"))
		same("scylla.timeout", t[2], field($0, "timeout"))
		same("scylla.len", t[5], field($0, "len"))
		if (field($0, "name") == "MUTATION") {
			same("scylla.mut.table_id", t[11], wire_uuid(field($0, "table_id")))
			same("scylla.mut.pkey", t[12], field($0, "pkey"))
		}
		if (field($0, "name") == "READ_DATA" && field($0, "table_id") != "")
			same("scylla.read_data.table_id", t[14], wire_uuid(field($0, "table_id")))
	} else {
		same("scylla.response.size", t[6], field($0, "len"))
		same("scylla.verb (of the request)", t[3], field($0, "verb"))
		same("scylla.response.request", t[8], reqframe[conn, field($0, "msg_id")])
	}
}
END {
	printf "checked %d fields in %d frames, %d disagreements\n", checked, frames, bad
	exit bad > 0 || frames == 0
}
