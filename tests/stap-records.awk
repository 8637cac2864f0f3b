# tests/stap-records.awk - check that a file is tapline probe records
# (docs/record-format.md, version 1), independently of tapline's own
# reader: the stap tests' oracle for "its output parses as records".
#
#   awk -f tests/stap-records.awk FILE...
#
# Prints every malformed line as FILE:LINE: malformed record: WHY on
# stderr, and on stdout one line per good event with its columns split by
# tabs and its fields as key=value (strings unescaped), for the tests to
# grep:
#   ts<TAB>pid<TAB>tid<TAB>comm<TAB>probe<TAB>phase<TAB>k=v<TAB>k=v...
# Exit status: 0 when every line was good and there was at least one
# header, 1 otherwise.  POSIX awk.

BEGIN { bad = 0; headers = 0; events = 0 }

FNR == 1 { have_header = 0 }

function malformed(why) {
	printf "%s:%d: malformed record: %s\n", FILENAME, FNR, why > "/dev/stderr"
	bad++
}

# parse_string(s, i): s[i] is '"'; sets STR (unescaped) and returns the
# index after the closing quote, or 0 when the string is malformed.
function parse_string(s, i,    c, n, h) {
	STR = ""
	n = length(s)
	for (i++; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\"")
			return i + 1
		if (c != "\\") {
			STR = STR c
			continue
		}
		i++
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"") STR = STR c
		else if (c == "n") STR = STR "\n"
		else if (c == "t") STR = STR "\t"
		else if (c == "r") STR = STR "\r"
		else if (c == "x") {
			h = substr(s, i + 1, 2)
			if (h !~ /^[0-9a-fA-F][0-9a-fA-F]$/)
				return 0
			STR = STR "\\x" h	# kept escaped: awk has no chr()
			i += 2
		} else
			return 0
	}
	return 0
}

# parse_fields(s, i, out): key=value pairs from s[i]; returns "" or why.
function parse_fields(s, i, unique, header,    n, key, val, j, m) {
	n = length(s)
	FIELDS = ""
	while (i <= n) {
		if (substr(s, i, 1) != " ")
			return "fields must be separated by one space"
		i++
		m = substr(s, i)
		if (!match(m, /^[a-z_][a-z0-9_]*=/))
			return "bad key at column " i
		key = substr(m, 1, RLENGTH - 1)
		if (key in unique)
			return "duplicate key " key
		unique[key] = 1
		i += RLENGTH
		if (substr(s, i, 1) == "\"") {
			j = parse_string(s, i)
			if (!j)
				return "bad string value of " key
			val = STR
			i = j
		} else {
			m = substr(s, i)
			if (header && match(m, /^[^ "]+/)) {
				# header values: any token without spaces
				val = substr(m, 1, RLENGTH)
				i += RLENGTH
			} else if (match(m, /^0x[0-9a-fA-F]+/) || match(m, /^-?[0-9]+/)) {
				val = substr(m, 1, RLENGTH)
				i += RLENGTH
			} else
				return "bad value of " key
			if (i <= n && substr(s, i, 1) != " ")
				return "bad value of " key
		}
		FIELDS = FIELDS "\t" key "=" val
	}
	return ""
}

{
	line = $0
	if (length(line) > 65536) { malformed("line over 64 KiB"); next }
	if (line ~ /^[ \t]*$/ || line ~ /^#/)
		next
	if (line ~ /^tapline-records /) {
		if (line !~ /^tapline-records 1( |$)/) { malformed("unknown format version"); next }
		if (line ~ /^tapline-records 1$/) { malformed("header without keys"); next }
		delete hk
		why = parse_fields(substr(line, 18), 1, hk, 1)
		if (why != "") { malformed("header: " why); next }
		if (!("clock" in hk)) { malformed("header without clock"); next }
		if (FIELDS !~ /\tclock=(realtime|tai|monotonic|boottime)(\t|$)/) {
			malformed("header: unknown clock"); next
		}
		for (k in req)
			if (!(k in hk)) { malformed("header without " k); next }
		have_header = 1
		headers++
		next
	}
	if (!have_header) { malformed("event before any header"); next }
	if (!match(line, /^[0-9]+ [0-9]+ [0-9]+ /)) { malformed("bad ts pid tid"); next }
	split(substr(line, 1, RLENGTH - 1), num, " ")
	i = RLENGTH + 1
	if (substr(line, i, 1) != "\"") { malformed("comm not quoted"); next }
	j = parse_string(line, i)
	if (!j) { malformed("bad comm string"); next }
	comm = STR
	m = substr(line, j)
	if (!match(m, /^ [a-z0-9_]+(\.[a-z0-9_]+)* (entry|return|event)/)) {
		malformed("bad probe or phase"); next
	}
	split(substr(m, 2, RLENGTH - 1), pp, " ")
	delete uk
	why = parse_fields(line, j + RLENGTH, uk, 0)
	if (why != "") { malformed(why); next }
	events++
	printf "%s\t%s\t%s\t%s\t%s\t%s%s\n", num[1], num[2], num[3], comm, pp[1], pp[2], FIELDS
}

BEGIN {
	req["host"]; req["clock"]; req["clock_offset_ns"]; req["boot_id"]
	req["recorder"]; req["start_ns"]
}

END {
	printf "# %d header(s), %d event(s), %d malformed\n", headers, events, bad > "/dev/stderr"
	exit (bad == 0 && headers > 0) ? 0 : 1
}
