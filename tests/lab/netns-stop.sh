# tests/lab/netns-stop.sh - sourced by the labs' scripts (tests/lab/lab.sh,
# tests/lab/ceph/lab.sh): stop_ns_processes ends every process of the
# lab's network namespace, politely first: TERM, up to 10 s for them to
# go, then KILL.  The caller defines lab_pids (the namespace's pids, one
# a word) and say (a line to stderr).
stop_ns_processes() {
	pids=$(lab_pids)
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null || true
	i=0
	while [ -n "$(lab_pids)" ] && [ "$i" -lt 50 ]; do
		sleep 0.2; i=$((i + 1))
	done
	pids=$(lab_pids)
	if [ -n "$pids" ]; then
		say "killing (KILL) $pids"
		# shellcheck disable=SC2086
		kill -KILL $pids 2>/dev/null || true
		sleep 0.5
	fi
}
