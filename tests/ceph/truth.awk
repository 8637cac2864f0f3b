# tests/ceph/truth.awk - the checks of tests/ceph/truth.sh: reads a CLI
# transcript, then tapline decode's -T fields lines (columns in the order
# of ceph_truth_fields), prints "ok|not ok <TAB> what <TAB> got <TAB> want".
function say(good, what, got, want) {
	printf "%s\t%s: %s\t%s\t%s\n", good ? "ok" : "not ok", label, what, got, want
}
# the CLI's text as tapline's -T fields writes a string
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/\t/, "\\t", s); return s }
function inwin(i, t) { return t + 0 >= start[i] / 1e9 && t + 0 <= end[i] / 1e9 }
function word(i, k,    w) { split(cmd[i], w, " "); return w[k] }

FNR == NR {
	if ($0 ~ /^start=/) {
		n++
		split($0, w, " ")
		for (k in w) {
			split(w[k], kv, "=")
			if (kv[1] == "start") start[n] = kv[2]
			else if (kv[1] == "end") end[n] = kv[2]
			else if (kv[1] == "op") op[n] = kv[2]
			else if (kv[1] == "ret") ret[n] = kv[2]
		}
		cmd[n] = substr($0, index($0, " cmd=") + 5)
	} else if (n && /^#! /) {
		err[n] = err[n] (err[n] == "" ? "" : "\\n") esc(substr($0, 4))
	} else if (n && /^# /) {
		out[n] = out[n] (nout[n]++ ? "\\n" : "") esc(substr($0, 3))
	} else if (n && /^#$/) {
		out[n] = out[n] (nout[n]++ ? "\\n" : "")
	}
	next
}
{
	m++
	for (k = 1; k <= NF; k++) F[m, k] = $k
}
# columns
BEGIN {
	FRAME = 1; TIME = 2; STREAM = 3; TYPE = 4; TID = 5; PREFIX = 6
	ACK_CODE = 7; ACK_RESULT = 8; ACK_DATA = 9; OID = 10; OPS = 11
	REPLY_RESULT = 12; STATUS_NAME = 13; XATTR_NAME = 14; XATTR_VALUE = 15
	OMAP_KEY = 16; OMAP_VALUE = 17; OBJECT_SIZE = 18; LISTED = 19
	EXTENT_SIZE = 20; KIND = 21; REQUEST_FRAME = 22; MONMAP_EPOCH = 23
	FSID = 24; PING_STATUS = 25; REPLY_OID = 26; OP = 27
	want_op["put"] = "WRITEFULL"; want_op["stat"] = "STAT"
	want_op["get"] = "READ"; want_op["get-missing"] = "READ"
	want_op["setxattr"] = "SETXATTR"; want_op["getxattr"] = "GETXATTR"
	want_op["listxattr"] = "GETXATTRS"; want_op["setomapval"] = "OMAPSETVALS"
	want_op["getomapval"] = "OMAPGETVALSBYKEYS"
	want_op["listomapkeys"] = "OMAPGETKEYS"; want_op["ls"] = "PGNLS"
	want_op["rm"] = "DELETE"
}
# hex of a plain string (the CLI prints xattr and omap values as text)
function hex(s,    i, h) {
	h = ""
	for (i = 1; i <= length(s); i++)
		h = h sprintf("%02x", index(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~", substr(s, i, 1)) + 31)
	return h
}
END {
	nreq = nunmatched = 0
	for (j = 1; j <= m; j++)
		if (F[j, TYPE] == 43 || F[j, TYPE] == 51 || F[j, TYPE] == 20) {
			nreq++
			if (F[j, REQUEST_FRAME] == "") nunmatched++
		}
	say(nreq > 0 && nunmatched == 0,
	    "every OSD_OPREPLY, MON_COMMAND_ACK and MON_GET_VERSION_REPLY matched to its request (" nreq ")",
	    nunmatched " unmatched", 0)
	for (i = 1; i <= n; i++) {
		what = op[i] " (" cmd[i] ")"
		if (op[i] ~ /^mon-command/) {
			acks = ""; na = 0
			for (j = 1; j <= m; j++)
				if (F[j, TYPE] == 51 && inwin(i, F[j, TIME]) &&
				    F[j, PREFIX] != "get_command_descriptions") {
					na++; a = j
				}
			if (na != 1) { say(0, what ": one MON_COMMAND_ACK", na, 1); continue }
			code = F[a, ACK_CODE] + 0
			say((code < 0 ? -code : code) == ret[i] + 0,
			    what ": exit code " ret[i] " is the ACK's result", code, "-" ret[i])
			split(cmd[i], w, " ")
			say(index(cmd[i] " ", " " F[a, PREFIX] " ") > 0,
			    what ": the ACK answers the command", F[a, PREFIX], cmd[i])
			if (ret[i] + 0) {
				# "Error ENOENT: unrecognized pool 'nosuchpool'"
				got = "Error " F[a, STATUS_NAME] ": " F[a, ACK_RESULT]
				say(got == err[i], what ": its error as the CLI printed it", got, err[i])
			} else {
				got = F[a, ACK_DATA]; sub(/\\n$/, "", got)
				say(got == out[i], what ": its output is the ACK's data", got, out[i])
			}
			continue
		}
		if (op[i] == "ping") {
			got = ""; epoch = fsid = ""
			for (j = 1; j <= m; j++) {
				if (F[j, TYPE] == 2 && inwin(i, F[j, TIME]) && F[j, PING_STATUS] != "")
					got = F[j, PING_STATUS]
				if (F[j, TYPE] == 4 && epoch == "") {
					epoch = F[j, MONMAP_EPOCH]; fsid = F[j, FSID]
				}
			}
			say(got == out[i], what ": the monitor's PING status is what the CLI printed",
			    substr(got, 1, 80) "...", substr(out[i], 1, 80) "...")
			want = out[i]
			sub(/.*"monmap": \{\\n *"epoch": /, "", want)
			wepoch = want; sub(/,.*/, "", wepoch)
			sub(/^[^"]*"fsid": "/, "", want); sub(/".*/, "", want)
			say(epoch == wepoch && fsid == want,
			    what ": MON_MAP's epoch and fsid are the status's monmap",
			    epoch " " fsid, wepoch " " want)
			continue
		}
		if (op[i] == "pool-missing") {
			nop = nver = 0
			for (j = 1; j <= m; j++) {
				if (!inwin(i, F[j, TIME])) continue
				if (F[j, TYPE] == 42) nop++
				if (F[j, TYPE] == 20 && F[j, REQUEST_FRAME] != "") nver++
			}
			say(nop == 0 && nver > 0,
			    what ": no OSD_OP, a MON_GET_VERSION answered (no such pool in the map)",
			    nop " OSD_OP, " nver " versions", "0 OSD_OP, >0 versions")
			continue
		}
		if (!(op[i] in want_op)) continue
		obj = op[i] == "ls" ? "" : word(i, 5)
		ops = ""; nrep = 0; bad = ""
		for (j = 1; j <= m; j++) {
			if (!inwin(i, F[j, TIME])) continue
			if (F[j, TYPE] == 42) {
				if (F[j, OPS] ~ /,/ || F[j, OP] != want_op[op[i]] || F[j, OID] != obj)
					bad = bad " " F[j, OP] ":" F[j, OID]
				ops = ops " " F[j, OP]
			}
			if (F[j, TYPE] == 43) {
				nrep++; r = F[j, REPLY_RESULT] + 0
				rep[nrep] = j
				if (ret[i] == 0 ? r < 0 : r >= 0)
					bad = bad " result " r
			}
		}
		say(ops != "" && bad == "", what ": OSD_OP " want_op[op[i]] " of '" obj "', answered as the exit code says",
		    ops " /" bad, want_op[op[i]])
		if (nrep == 0) continue
		r1 = rep[1]
		if (op[i] == "get-missing") {
			# "error getting lab/nosuchobject: (2) No such file or directory"
			e = err[i]; sub(/.*\(/, "", e); sub(/\).*/, "", e)
			say(F[r1, REPLY_RESULT] == -e && F[r1, STATUS_NAME] == "ENOENT",
			    what ": the reply's result is the CLI's error",
			    F[r1, REPLY_RESULT] " " F[r1, STATUS_NAME], "-" e " ENOENT")
		} else if (op[i] == "stat") {
			want = out[i]; sub(/.*size /, "", want)
			say(F[r1, OBJECT_SIZE] == want, what ": the size the CLI printed", F[r1, OBJECT_SIZE], want)
		} else if (op[i] == "get") {
			# rados get's file, as the lab printed it: "got: CONTENT"
			want = out[i]; sub(/^got: /, "", want)
			say(F[r1, EXTENT_SIZE] == length(want) + 1,
			    what ": the bytes read are the file's (with its newline)",
			    F[r1, EXTENT_SIZE], length(want) + 1)
		} else if (op[i] == "getxattr") {
			say(F[r1, XATTR_VALUE] == hex(out[i]), what ": the value the CLI printed",
			    F[r1, XATTR_VALUE], hex(out[i]))
		} else if (op[i] == "listxattr") {
			say(F[r1, XATTR_NAME] == out[i], what ": the name the CLI printed",
			    F[r1, XATTR_NAME], out[i])
		} else if (op[i] == "getomapval") {
			# "00000000  76 61 6c 75 65 31   |value1|"
			w2 = out[i]; sub(/^[^|]*\|/, "", w2); sub(/\|.*/, "", w2)
			say(F[r1, OMAP_VALUE] == hex(w2), what ": the value the CLI dumped",
			    F[r1, OMAP_VALUE], hex(w2))
		} else if (op[i] == "listomapkeys") {
			say(F[r1, OMAP_KEY] == out[i], what ": the key the CLI printed",
			    F[r1, OMAP_KEY], out[i])
		} else if (op[i] == "ls") {
			listed = ""
			for (k = 1; k <= nrep; k++)
				if (F[rep[k], LISTED] != "")
					listed = listed (listed == "" ? "" : "\\n") F[rep[k], LISTED]
			say(listed == out[i], what ": the objects the CLI listed", listed, out[i])
		}
	}
}
