# tests/lab/session.sh - sourced by the tests that record real libgfapi
# sessions on the GlusterFS lab (after tests/setup.sh): the lab brought
# up for the test and taken down at exit, and sessions recorded with
# `tapline record` while tcpdump captures the lab's loopback.
#
#   session_lab_up PREFIX   the lab in namespace PREFIX$$; sets LAB, CLIENT,
#                           FILTER and out (CORRELATE_LAB_KEEP or $TMP/out)
#   record NAME ARGS...     the lab's gfapi-client with ARGS
#   record_command NAME CMD...  any client program
#   record_auth_failure NAME    the client refused by auth.allow (SETVOLUME
#                           -1/13): its glfs_init never returns, 8 s
#
# Each writes $out/NAME.pcap, NAME.rec and NAME.client.log.  A test that
# defines session_tracer gets "session_tracer start NAME" just before the
# client starts and "session_tracer stop NAME" just after it ended.

session_lab_up() {
	LAB=$top_srcdir/tests/lab/lab.sh
	export LAB_NAME="$1$$"
	export LAB_DIR="$TMP/lab"
	out=${CORRELATE_LAB_KEEP:-$TMP/out}
	mkdir -p "$out"
	at_exit session_lab_down
	"$LAB" up >"$TMP/lab-up.log" 2>&1 || {
		sed 's/^/# /' "$TMP/lab-up.log" | tail -20
		skip_all "the lab did not come up"
	}
	CLIENT=${GFAPI_CLIENT:-$top_builddir/tests/lab/gfapi-client}
	[ -x "$CLIENT" ] || CLIENT=$top_srcdir/tests/lab/work/bin/gfapi-client
	[ -x "$CLIENT" ] || skip_all "no gfapi-client built"
	FILTER='tcp and (port 24007 or portrange 49152-49171)'
}

session_lab_down() { "$LAB" down >/dev/null 2>&1 || true; }

record_command() {
	name=$1; shift
	# A buffer of 32 MiB: on a loaded machine the default 2 MiB drops packets.
	ip netns exec "$LAB_NAME" tcpdump -i lo -s 0 -B 32768 -U -Z root \
		-w "$out/$name.pcap" "$FILTER" 2>"$TMP/$name.tcpdump" &
	tcpdump_pid=$!
	i=0
	until grep -q listening "$TMP/$name.tcpdump" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || break; sleep 0.1
	done
	! command -v session_tracer >/dev/null || session_tracer start "$name"
	ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
	ip netns exec "$LAB_NAME" "$TAPLINE" record -q -o "$out/$name.rec" -- \
		"$@" >"$out/$name.client.log" 2>"$TMP/$name.record.err" || true
	sleep 0.5
	! command -v session_tracer >/dev/null || session_tracer stop "$name"
	kill -INT "$tcpdump_pid" 2>/dev/null || true
	wait "$tcpdump_pid" 2>/dev/null || true
}

record() {
	name=$1; shift
	record_command "$name" "$CLIENT" --gf-log "$TMP/$name.gfapi.log" "$@"
}

record_auth_failure() {
	# A client on the server host gets the trusted volfile and is never
	# refused: it is handed the non-trusted one.
	"$LAB" gl volume set single auth.allow 192.0.2.1 >/dev/null
	sleep 2	# the brick reloads its volfile
	record "$1" --volfile "$LAB_DIR/glusterd/vols/single/single.tcp-fuse.vol" \
		--volume single --timeout 8 --path /never.txt
	"$LAB" gl volume reset single auth.allow >/dev/null || true
}
