/* gfapi-busy.c - another libgfapi application on the same host, as busy as
 * it can be.  Uprobes on a library fire in every process that maps it, so
 * a tracer of one process sees this one's calls too: the busy host that
 * the lab's tracing tests must withstand.
 *
 *   gfapi-busy --server HOST --volume VOL [--threads N] [--seconds S]
 *     a real session: N threads call glfs_stat and glfs_utimens on one file
 *     (a LOOKUP or STAT and a SETATTR on the wire each) until S seconds
 *     have passed or SIGTERM/SIGINT comes; no glfs_fini (~10 s)
 *   gfapi-busy [--rounds N] [--seconds S] [--pause-us U]
 *     no volume: each round calls glfs_utimens, glfs_set_volfile_server
 *     and glfs_fini on a NULL glfs_t (each fails with EINVAL at once) and
 *     encodes one RPC call header with libtirpc's xdr_callmsg: the entry
 *     points of every stp/ script, at the cost of the probes alone.
 *     One round (the default) is the lab's check that a tracer's uprobes
 *     are in place (their hit counts in uprobe_profile grow).  --pause-us
 *     sleeps U microseconds after each round or loop: a traced process
 *     at a rate its tracer can print.
 *
 * On stdout, when the calls begin (after glfs_init), and at the end:
 *   # gfapi-busy pid=N ready
 *   busy pid=N calls=N seconds=S.SSS calls_per_s=N
 * where calls counts libgfapi and libtirpc calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glusterfs/api/glfs.h>
#include <rpc/rpc.h>

#define MAX_THREADS 64

struct options {
	const char *server;
	const char *volume;
	const char *path;
	const char *gf_log;
	int threads;
	double seconds;		/* 0: no time limit */
	long rounds;		/* no volume: 0 = no limit */
	long pause_us;		/* after each round or loop */
};

static struct options opt;
static glfs_t *session;
static atomic_long calls;
static volatile sig_atomic_t stop;
static struct timespec started;

static double elapsed(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - started.tv_sec) +
	       (double)(now.tv_nsec - started.tv_nsec) / 1e9;
}

static int should_stop(void)
{
	return stop || (opt.seconds > 0 && elapsed() >= opt.seconds);
}

static void pause_a_while(void)
{
	if (opt.pause_us > 0)
		usleep((useconds_t)opt.pause_us);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* One round without a volume: every call fails at its argument check. */
static void probe_round(void)
{
	static const struct timespec times[2] = { { 1, 0 }, { 2, 0 } };
	struct rpc_msg msg;
	char buf[128];
	XDR xdrs;

	(void)glfs_utimens(NULL, "/gfapi-busy", times);
	(void)glfs_set_volfile_server(NULL, "tcp", "127.0.0.2", 24007);
	(void)glfs_fini(NULL);
	memset(&msg, 0, sizeof msg);
	msg.rm_xid = 0x7a9b;
	msg.rm_direction = CALL;
	msg.rm_call.cb_rpcvers = 2;
	msg.rm_call.cb_prog = 100000;	/* portmapper NULL: nothing real */
	msg.rm_call.cb_vers = 2;
	msg.rm_call.cb_cred.oa_flavor = AUTH_NULL;
	msg.rm_call.cb_verf.oa_flavor = AUTH_NULL;
	xdrmem_create(&xdrs, buf, sizeof buf, XDR_ENCODE);
	(void)xdr_callmsg(&xdrs, &msg);
	xdr_destroy(&xdrs);
	atomic_fetch_add(&calls, 4);
}

static void *session_loop(void *arg)
{
	struct timespec times[2] = { { 1700000000, 0 }, { 1700000000, 0 } };
	struct stat st;
	long n = 0;

	(void)arg;
	while (!should_stop()) {
		times[0].tv_nsec = times[1].tv_nsec = n++ % 1000000000;
		(void)glfs_stat(session, opt.path, &st);
		(void)glfs_utimens(session, opt.path, times);
		atomic_fetch_add(&calls, 2);
		pause_a_while();
	}
	return NULL;
}

static int open_session(void)
{
	session = glfs_new(opt.volume);
	if (!session ||
	    glfs_set_volfile_server(session, "tcp", opt.server, 24007) ||
	    glfs_set_logging(session, opt.gf_log, 4) || glfs_init(session)) {
		fprintf(stderr, "gfapi-busy: cannot open volume %s on %s: %s\n",
			opt.volume, opt.server, strerror(errno));
		return -1;
	}
	glfs_fd_t *fd = glfs_creat(session, opt.path, O_RDWR | O_CREAT, 0644);
	if (!fd) {
		fprintf(stderr, "gfapi-busy: cannot create %s: %s\n", opt.path,
			strerror(errno));
		return -1;
	}
	glfs_close(fd);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: gfapi-busy --server HOST --volume VOL [--threads N] [--seconds S]\n"
"                  [--path PATH] [--gf-log FILE]\n"
"       gfapi-busy [--rounds N] [--seconds S] [--pause-us U]\n"
"\n"
"With a volume: N threads (default 2) call glfs_stat and glfs_utimens on\n"
"PATH (default /gfapi-busy.txt) until S seconds passed (default 0: until\n"
"SIGTERM or SIGINT).  Without: N rounds (default 1; 0: until S seconds or\n"
"a signal) of glfs_utimens, glfs_set_volfile_server, glfs_fini on a NULL\n"
"glfs_t and one xdr_callmsg.  --pause-us: sleep U us after each round or\n"
"loop.  Prints when the calls begin and at the end:\n"
"  # gfapi-busy pid=N ready\n"
"  busy pid=N calls=N seconds=S calls_per_s=N\n"
"Exit status 0, 1 when the volume cannot be used, 2 on usage errors.\n");
}

static int parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "volume", required_argument, NULL, 'v' },
		{ "threads", required_argument, NULL, 't' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "path", required_argument, NULL, 'P' },
		{ "pause-us", required_argument, NULL, 'u' },
		{ "gf-log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opt = (struct options){ .path = "/gfapi-busy.txt", .threads = 2,
				.gf_log = "/dev/null", .rounds = 1 };
	while ((c = getopt_long(argc, argv, "s:v:t:S:r:P:u:l:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 's': opt.server = optarg; break;
		case 'v': opt.volume = optarg; break;
		case 't': opt.threads = atoi(optarg); break;
		case 'S': opt.seconds = atof(optarg); break;
		case 'r': opt.rounds = atol(optarg); break;
		case 'P': opt.path = optarg; break;
		case 'u': opt.pause_us = atol(optarg); break;
		case 'l': opt.gf_log = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "gfapi-busy: unexpected argument %s\n", argv[optind]);
		return -1;
	}
	if (!opt.volume != !opt.server) {
		fprintf(stderr, "gfapi-busy: --server and --volume go together\n");
		return -1;
	}
	if (opt.threads < 1 || opt.threads > MAX_THREADS || opt.seconds < 0 ||
	    opt.rounds < 0 || opt.pause_us < 0) {
		fprintf(stderr, "gfapi-busy: --threads is 1 to %d, --seconds, "
			"--rounds and --pause-us are >= 0\n", MAX_THREADS);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t threads[MAX_THREADS];
	struct sigaction sa;

	if (parse_options(argc, argv) < 0) {
		usage(stderr);
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (opt.volume && open_session() < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &started);
	printf("# gfapi-busy pid=%ld ready\n", (long)getpid());
	fflush(stdout);
	if (opt.volume) {
		int n = 0;
		for (; n < opt.threads; n++)
			if (pthread_create(&threads[n], NULL, session_loop, NULL))
				break;
		if (n == 0) {
			fprintf(stderr, "gfapi-busy: cannot start a thread\n");
			return 1;
		}
		for (int i = 0; i < n; i++)
			pthread_join(threads[i], NULL);
	} else {
		for (long r = 0; (opt.rounds == 0 || r < opt.rounds) && !should_stop(); r++) {
			probe_round();
			pause_a_while();
		}
	}
	double s = elapsed();
	long n = atomic_load(&calls);
	printf("busy pid=%ld calls=%ld seconds=%.3f calls_per_s=%.0f\n",
	       (long)getpid(), n, s, s > 0 ? (double)n / s : 0.0);
	fflush(stdout);
	/* glfs_fini takes ~10 s and this process has nothing to keep. */
	_exit(0);
}
