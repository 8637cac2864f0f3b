# decode-compare.awk - `tapline decode -T fields` of a capture against
# what the traffic generator logged it sent (the ground truth), message by
# message per direction (src>dst): header fields, negotiated features and
# the body values the log names (table ids, keys, values, ballots, gossip
# digests, exceptions, ...).
#
#	awk -f decode-compare.awk DECODED GENERATOR.log
#
# DECODED: tab-separated, the -e fields in the order of FIELDS below
# (tests/scylla-decode.sh passes them).  Prints one line per disagreement
# and, last, "compared N messages (C values), D disagreements"; exits 1
# when D > 0 or nothing was compared.
BEGIN {
	FIELDS = "frame.number ip.src tcp.srcport ip.dst tcp.dstport " \
		"scylla.feature scylla.isolation scylla.compress " \
		"scylla.connection_id scylla.stream_parent scylla.verb " \
		"scylla.msg_id scylla.timeout scylla.len scylla.response.size " \
		"scylla.handler_duration scylla.stream.len scylla.stream.eos " \
		"scylla.compression scylla.exception scylla.exception.message " \
		"scylla.exception.verb scylla.mut.table_id scylla.mut.schema_id " \
		"scylla.mut.pkey scylla.mut.rows scylla.mut.value " \
		"scylla.response_id scylla.read_data.table_id scylla.read_data.pkey " \
		"scylla.read_data.token scylla.read_data.row_limit scylla.result.rows " \
		"scylla.result.partitions scylla.result.value " \
		"scylla.result.digest scylla.client_id.broadcast " \
		"scylla.client_id.host_id scylla.client_id.dst_host_id " \
		"scylla.client_id.generation scylla.gossip.cluster_id " \
		"scylla.gossip.endpoint scylla.gossip.generation " \
		"scylla.gossip.max_version scylla.gossip.heart_beat " \
		"scylla.gossip.app_state scylla.gossip.notify_up " \
		"scylla.paxos.ballot scylla.paxos.only_digest " \
		"scylla.paxos.promised scylla.paxos.newer_ballot " \
		"scylla.paxos.accepted scylla.stream.sink scylla.stream.reason " \
		"scylla.stream.estimated_partitions scylla.stream.source " \
		"scylla.stream.cmd scylla.stream.fragment_len " \
		"scylla.stream.status tapline.verdict"
	nf = split(FIELDS, fname, " ")
	for (i = 1; i <= nf; i++) col[fname[i]] = i
	split("COMPRESS TIMEOUT CONNECTION_ID STREAM_PARENT ISOLATION " \
	      "HANDLER_DURATION", fnames, " ")
	for (i = 1; i <= 6; i++) featnum[fnames[i]] = i - 1
	comp["LZ4"] = 1; comp["LZ4_FRAGMENTED"] = 2; comp["SCYLLA_V3"] = 3
	exc["USER"] = 0; exc["UNKNOWN_VERB"] = 1
	n = split("0 1 2 3 4 5 6 7 8 9 24 25 39 40 41 42 43 44", w, " ")
	for (i = 1; i <= n; i++) decoded_request[w[i]] = 1
	n = split("3 4 5 9 25 39 40 44", w, " ")
	for (i = 1; i <= n; i++) decoded_response[w[i]] = 1
}
function logf(line, key,   i, n, w) {
	n = split(line, w, " ")
	for (i = 1; i <= n; i++)
		if (index(w[i], key "=") == 1)
			return substr(w[i], length(key) + 2)
	return ""
}
function v(name) { return d[col[name]] }
function first(name,   x) { x = v(name); sub(/,.*/, "", x); return x }
function count(name,   x) { x = v(name); return x == "" ? 0 : split(x, junk, ",") }
function hex(s,   i, h) {
	for (i = 1; i <= length(s); i++)
		h = h sprintf("%02x", ord[substr(s, i, 1)])
	return h
}
function same(what, got, want) {
	checked++
	if (got != want) {
		printf "%s %s: decoded '%s', sent '%s'\n", where, what, got, want
		bad++
	}
}
FILENAME == ARGV[1] {
	FS = "\t"; $0 = $0
	key = $2 ":" $3 ">" $4 ":" $5
	got[key, ++ngot[key]] = $0
	next
}
/^capture-starts-here/ {
	for (k in nlog) delete nlog[k]
	next
}
/ kind=/ && / src=/ && !/ cql / {
	FS = " "; $0 = $0
	key = logf($0, "src") ">" logf($0, "dst")
	logged[key, ++nlog[key]] = $0
}
END {
	for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i
	for (kk in nlog) {
		if (ngot[kk] != nlog[kk]) {
			printf "%s: %d frames logged, %d messages decoded\n", kk, nlog[kk], ngot[kk]
			bad++
		}
		for (i = 1; i <= nlog[kk] && i <= ngot[kk]; i++) {
			l = logged[kk, i]
			split(got[kk, i], d, "\t")
			where = sprintf("frame %s (%s #%d)", d[1], kk, i)
			msgs++
			check(l)
		}
	}
	printf "compared %d messages (%d values), %d disagreements\n", msgs, checked, bad
	exit bad > 0 || msgs == 0
}
function check(l,   kind, c, feats, n, w, i, want, s, name, ex, msg, hd, x) {
	kind = logf(l, "kind")
	c = logf(l, "compress")
	if (c != "" && c != "-")
		same("scylla.compression", v("scylla.compression"), comp[c])
	if (c == "SCYLLA_V3") {
		same("tapline.verdict", v("tapline.verdict"), "not-decoded")
		return
	}
	# the verbs whose data tapline reads (requests; responses)
	name = logf(l, "name")
	if ((kind == "request" && !(logf(l, "verb") in decoded_request)) ||
	    (kind == "response" && !(logf(l, "verb") in decoded_response)))
		same("tapline.verdict", v("tapline.verdict"), "not-decoded")
	else
		same("tapline.verdict (clean)", v("tapline.verdict"), "")
	if (kind == "negotiation") {
		x = logf(l, "features")
		gsub(/\([^)]*\)/, "", x)	# (data) may hold commas
		n = split(x, w, ",")
		want = ""
		for (i = 1; i <= n; i++) {
			name = w[i]
			if (name == "-") continue
			want = want (want == "" ? "" : ",") featnum[name]
		}
		n = split(logf(l, "features"), w, ",")
		for (i = 1; i <= n; i++) {
			x = w[i]
			if (x ~ /^ISOLATION\(/) { sub(/^ISOLATION\(/, "", x); sub(/\)$/, "", x); same("scylla.isolation", v("scylla.isolation"), x) }
			if (x ~ /^CONNECTION_ID\(/) { sub(/^CONNECTION_ID\(/, "", x); sub(/\)$/, "", x); same("scylla.connection_id", v("scylla.connection_id"), x) }
			if (x ~ /^STREAM_PARENT\(/) { sub(/^STREAM_PARENT\(/, "", x); sub(/\)$/, "", x); same("scylla.stream_parent", v("scylla.stream_parent"), x) }
		}
		# COMPRESS's data has commas: compare it whole
		if (match(l, /COMPRESS\([^)]*\)/)) {
			x = substr(l, RSTART + 9, RLENGTH - 10)
			same("scylla.compress", v("scylla.compress"), x)
		}
		same("scylla.feature", v("scylla.feature"), want)
		return
	}
	if (kind == "stream") {
		if (logf(l, "eos") == 1) {
			same("scylla.stream.eos", v("scylla.stream.eos"), 1)
			return
		}
		same("scylla.stream.len", v("scylla.stream.len"), logf(l, "len"))
		if (logf(l, "cmd") != "") same("scylla.stream.cmd", v("scylla.stream.cmd"), logf(l, "cmd"))
		if (logf(l, "fragment_len") != "") same("scylla.stream.fragment_len", v("scylla.stream.fragment_len"), logf(l, "fragment_len"))
		if (logf(l, "status") != "") same("scylla.stream.status", v("scylla.stream.status"), logf(l, "status"))
		return
	}
	same("scylla.msg_id", v("scylla.msg_id"), logf(l, "msg_id"))
	if (kind == "request") {
		same("scylla.verb", v("scylla.verb"), logf(l, "verb"))
		same("scylla.len", v("scylla.len"), logf(l, "len"))
		x = logf(l, "timeout")
		same("scylla.timeout", v("scylla.timeout"), x ~ /^none/ ? "" : x)
	} else {
		same("scylla.verb (of the request)", v("scylla.verb"), logf(l, "verb"))
		same("scylla.response.size", v("scylla.response.size"), logf(l, "len"))
		# 4294967295: "not measured" (Seastar sends it for UNKNOWN_VERB)
		hd = logf(l, "handler_duration")
		want = hd == "none" || hd == "4294967295" ? "" : sprintf("%d.%09d", int(hd / 1000000), (hd % 1000000) * 1000)
		same("scylla.handler_duration", v("scylla.handler_duration"), want)
	}
	if (kind == "exception") {
		ex = logf(l, "exception")
		same("scylla.exception", v("scylla.exception"), exc[ex])
		if (match(l, /message="[^"]*"/)) {
			msg = substr(l, RSTART + 9, RLENGTH - 10)
			same("scylla.exception.message", v("scylla.exception.message"), msg)
		}
		if (ex == "UNKNOWN_VERB")
			same("scylla.exception.verb", v("scylla.exception.verb"), logf(l, "verb"))
		return
	}
	body(l, kind, logf(l, "name"))
}
function opt(what, logkey, field,   x) {
	x = logf(L, logkey)
	if (x != "") same(what, v(field), x)
}
function body(l, kind, name,   x, p, n) {
	L = l
	if (name == "CLIENT_ID" && kind == "request") {
		opt("broadcast", "broadcast", "scylla.client_id.broadcast")
		opt("host_id", "host_id", "scylla.client_id.host_id")
		opt("dst_host_id", "dst_host_id", "scylla.client_id.dst_host_id")
		opt("generation", "generation", "scylla.client_id.generation")
	}
	if ((name == "MUTATION" || name == "PAXOS_ACCEPT" || name == "PAXOS_LEARN") && kind == "request") {
		opt("table_id", "table_id", "scylla.mut.table_id")
		opt("schema_version", "schema_version", "scylla.mut.schema_id")
		opt("pkey", "pkey", "scylla.mut.pkey")
		opt("rows", "rows", "scylla.mut.rows")
		x = logf(l, "value")
		if (x != "" && x != "-") same("scylla.mut.value", v("scylla.mut.value"), hex(x))
		x = logf(l, "value_len")
		if (x != "") same("scylla.mut.value length", length(v("scylla.mut.value")) / 2, x)
	}
	if (name == "MUTATION" || name == "MUTATION_DONE" || name == "PAXOS_LEARN")
		opt("response_id", "response_id", "scylla.response_id")
	if ((name == "READ_DATA" || name == "READ_DIGEST") && kind == "request") {
		opt("read.table_id", "table_id", "scylla.read_data.table_id")
		opt("read.pkey", "pkey", "scylla.read_data.pkey")
		opt("read.token", "token", "scylla.read_data.token")
		opt("read.row_limit", "row_limit", "scylla.read_data.row_limit")
	}
	if (kind == "response" && (name == "READ_DATA" || name == "PAXOS_PREPARE")) {
		opt("result.rows", "rows", "scylla.result.rows")
		opt("result.rows", "data_rows", "scylla.result.rows")
		opt("result.partitions", "partitions", "scylla.result.partitions")
		x = logf(l, "value")
		if (x != "") same("scylla.result.value", v("scylla.result.value"), hex(x))
	}
	if (kind == "response" && name == "READ_DIGEST")
		opt("result.digest", "digest", "scylla.result.digest")
	if (name == "GOSSIP_DIGEST_SYN") {
		x = logf(l, "cluster_id"); gsub(/_/, " ", x)
		same("gossip.cluster_id", v("scylla.gossip.cluster_id"), x)
		same("gossip digests", count("scylla.gossip.endpoint"), logf(l, "digests"))
		split(logf(l, "digest0"), p, "/")
		same("gossip digest 0 endpoint", first("scylla.gossip.endpoint"), p[1])
		same("gossip digest 0 generation", first("scylla.gossip.generation"), p[2])
		same("gossip digest 0 version", first("scylla.gossip.max_version"), p[3])
	}
	if (name == "GOSSIP_DIGEST_ACK" || name == "GOSSIP_DIGEST_ACK2") {
		n = split(v("scylla.gossip.endpoint"), p, ",")
		same("gossip endpoints (digests + states)", n, logf(l, "digests") + logf(l, "states"))
		split(logf(l, "state0"), p, "/")
		x = v("scylla.gossip.endpoint"); sub(/.*,/, "", x)
		same("gossip state endpoint", x, p[1])
		same("gossip heart beat", first("scylla.gossip.heart_beat"), p[3])
		same("gossip app states", count("scylla.gossip.app_state"), logf(l, "app_states"))
	}
	if (name == "GOSSIP_ECHO" && kind == "request") {
		opt("gossip.generation", "generation", "scylla.gossip.generation")
		opt("gossip.notify_up", "notify_up", "scylla.gossip.notify_up")
	}
	if (name ~ /^PAXOS_/ && kind == "request")
		opt("paxos.ballot", "ballot", "scylla.paxos.ballot")
	if (name == "PAXOS_PREPARE") {
		opt("paxos.only_digest", "only_digest", "scylla.paxos.only_digest")
		opt("paxos.promised", "promise", "scylla.paxos.promised")
		opt("paxos.newer_ballot", "newer_ballot", "scylla.paxos.newer_ballot")
		if (logf(l, "digest") == 1)
			same("result.digest present", v("scylla.result.digest") != "", 1)
	}
	if (name == "PAXOS_ACCEPT" && kind == "response")
		opt("paxos.accepted", "accepted", "scylla.paxos.accepted")
	if (name == "STREAM_MUTATION_FRAGMENTS") {
		opt("stream.sink", "sink", "scylla.stream.sink")
		opt("stream.reason", "reason", "scylla.stream.reason")
		opt("stream.estimated", "estimated", "scylla.stream.estimated_partitions")
		opt("stream.source", "source", "scylla.stream.source")
	}
}
