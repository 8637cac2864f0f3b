/* gfapi-client.c - the lab's libgfapi client: the call sequence of a Samba
 * share that sets file times, including the atime tv_sec = -1 that Samba's
 * vfs_glusterfs once passed to glfs_utimens.
 *
 * Its own log (stdout, one line per libgfapi call) is the ground truth that
 * tests check probe records and decoded captures against:
 *
 *   start=NS end=NS pid=N tid=N call=NAME [ARG=VALUE...] ret=R errno=E errname=NAME
 *
 * NS are CLOCK_REALTIME nanoseconds taken just before and just after the
 * call; times print as SECONDS.NANOSECONDS; errno is read only when the call
 * failed (0 otherwise).  Lines starting with '#' are comments.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <glusterfs/api/glfs.h>

#define MAX_PATHS 16

struct options {
	const char *server;
	int port;
	const char *transport;
	const char *volume;
	const char *volfile;	/* glfs_set_volfile instead of a server */
	const char *gf_log;
	int gf_log_level;
	int timeout;		/* seconds glfs_init may take; 0: forever */
	int failures;		/* --failures: calls that fail on purpose */
	const char *paths[MAX_PATHS];
	int npaths;
};

/* The two glfs_utimens calls: ordinary times, then Samba's atime -1. */
static const struct timespec normal_times[2] = {
	{ .tv_sec = 1700000000, .tv_nsec = 123456789 },
	{ .tv_sec = 1700000001, .tv_nsec = 987654321 },
};
static const struct timespec samba_bug_times[2] = {
	{ .tv_sec = -1, .tv_nsec = 0 },
	{ .tv_sec = 1700000002, .tv_nsec = 500000000 },
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char *errname(int e)
{
	const char *name = e ? strerrorname_np(e) : NULL;
	return name ? name : "-";
}

/* log_call START RET ERR CALL FMT...: one line of ground truth. */
static void log_call(int64_t start, long ret, int err, const char *call,
		     const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void log_call(int64_t start, long ret, int err, const char *call,
		     const char *fmt, ...)
{
	int64_t end = now_ns();
	va_list ap;

	pthread_mutex_lock(&log_lock);
	printf("start=%" PRId64 " end=%" PRId64 " pid=%ld tid=%ld call=%s",
	       start, end, (long)getpid(), (long)syscall(SYS_gettid), call);
	putchar(' ');
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" ret=%ld errno=%d errname=%s\n", ret, err, errname(err));
	fflush(stdout);
	pthread_mutex_unlock(&log_lock);
}

/* SECONDS.NANOSECONDS, correct for negative seconds (-1.000000000). */
static const char *fmt_time(char *buf, size_t len, const struct timespec *t)
{
	snprintf(buf, len, "%lld.%09ld", (long long)t->tv_sec, t->tv_nsec);
	return buf;
}

/* glfs_init does not return after a SETVOLUME "Authentication failed" (it
 * waits for a volfile forever): a watchdog logs that and ends the process. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done;
	int64_t start;
	int seconds;
} watchdog = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0 };

static void *watchdog_main(void *arg)
{
	struct timespec deadline;
	int expired = 0;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += watchdog.seconds;
	pthread_mutex_lock(&watchdog.lock);
	while (!watchdog.done && !expired)
		expired = pthread_cond_timedwait(&watchdog.cond, &watchdog.lock,
						 &deadline) == ETIMEDOUT;
	pthread_mutex_unlock(&watchdog.lock);
	if (!expired)
		return NULL;
	log_call(watchdog.start, -1, ETIMEDOUT, "glfs_init",
		 "returned=no timeout=%d", watchdog.seconds);
	_exit(3);
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: gfapi-client --volume VOL [--server HOST] [--port PORT]\n"
"                    [--volfile FILE] [--path PATH]... [--gf-log FILE]\n"
"                    [--gf-log-level N] [--timeout SECONDS]\n"
"\n"
"Runs, for each PATH (default /tapline-utimens.txt), the call sequence\n"
"glfs_creat, glfs_write, glfs_utimens (atime 1700000000.123456789,\n"
"mtime 1700000001.987654321), glfs_utimens (atime tv_sec = -1, mtime\n"
"1700000002.500000000), glfs_stat, glfs_close; then glfs_fini.\n"
"Each libgfapi call is logged on stdout, one line per call:\n"
"  start=NS end=NS pid=N tid=N call=NAME ARG=VALUE... ret=R errno=E errname=NAME\n"
"\n"
"  --server HOST       volfile server (default 127.0.0.2)\n"
"  --port PORT         its port (default 24007)\n"
"  --volume VOL        volume name (required)\n"
"  --volfile FILE      use this volfile (glfs_set_volfile), e.g. the\n"
"                      non-trusted VOL.tcp-fuse.vol, instead of a server\n"
"  --path PATH         file to create (repeatable, at most %d)\n"
"  --gf-log FILE       libgfapi's own log (default /dev/stderr)\n"
"  --gf-log-level N    its level, 0 (none) to 9 (trace) (default 4: warning)\n"
"  --timeout SECONDS   give up on glfs_init after SECONDS, log it, exit 3\n"
"                      (default 0: wait forever)\n"
"  --failures          then make calls that fail on purpose, each logged\n"
"                      with its errno (not counted in the exit status):\n"
"                      glfs_stat, glfs_open, glfs_unlink, glfs_utimens of a\n"
"                      missing path (ENOENT), glfs_mkdir of an existing\n"
"                      directory\n"
"                      (EEXIST), glfs_rmdir of a non-empty one (ENOTEMPTY)\n"
"\n"
"Exit status: 0 when every call succeeded, 1 when one failed, 2 on usage\n"
"errors, 3 when glfs_init timed out.\n", MAX_PATHS);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "volume", required_argument, NULL, 'v' },
		{ "volfile", required_argument, NULL, 'f' },
		{ "path", required_argument, NULL, 'P' },
		{ "gf-log", required_argument, NULL, 'l' },
		{ "gf-log-level", required_argument, NULL, 'L' },
		{ "timeout", required_argument, NULL, 't' },
		{ "failures", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct options){ .server = "127.0.0.2", .port = 24007,
			       .transport = "tcp", .gf_log = "/dev/stderr",
			       .gf_log_level = 4 };
	while ((c = getopt_long(argc, argv, "s:p:v:f:P:l:L:t:Fh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 's': o->server = optarg; break;
		case 'p': o->port = atoi(optarg); break;
		case 'v': o->volume = optarg; break;
		case 'f': o->volfile = optarg; break;
		case 'P':
			if (o->npaths == MAX_PATHS) {
				fprintf(stderr, "gfapi-client: at most %d paths\n",
					MAX_PATHS);
				return -1;
			}
			o->paths[o->npaths++] = optarg;
			break;
		case 'l': o->gf_log = optarg; break;
		case 'L': o->gf_log_level = atoi(optarg); break;
		case 't': o->timeout = atoi(optarg); break;
		case 'F': o->failures = 1; break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (optind != argc || !o->volume) {
		fprintf(stderr, "gfapi-client: %s\n", optind != argc ?
			"unexpected argument" : "--volume is required");
		return -1;
	}
	if (o->npaths == 0)
		o->paths[o->npaths++] = "/tapline-utimens.txt";
	return 0;
}

/* The per-file sequence; returns the number of failed calls. */
static int file_sequence(glfs_t *fs, const char *path)
{
	char a[32], m[32], buf[128];
	struct stat st;
	int64_t t;
	int ret, failed = 0;
	ssize_t n;

	t = now_ns();
	glfs_fd_t *fd = glfs_creat(fs, path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	log_call(t, fd ? 0 : -1, fd ? 0 : errno, "glfs_creat",
		 "path=%s flags=O_RDWR|O_CREAT|O_TRUNC mode=0644 fd=%p",
		 path, (void *)fd);
	if (!fd)
		return 1;

	int len = snprintf(buf, sizeof buf, "tapline lab: %s\n", path);
	t = now_ns();
	n = glfs_write(fd, buf, (size_t)len, 0);
	log_call(t, (long)n, n < 0 ? errno : 0, "glfs_write",
		 "fd=%p size=%d flags=0", (void *)fd, len);
	failed += n != len;

	t = now_ns();
	ret = glfs_utimens(fs, path, normal_times);
	log_call(t, ret, ret ? errno : 0, "glfs_utimens", "path=%s atime=%s mtime=%s",
		 path, fmt_time(a, sizeof a, &normal_times[0]),
		 fmt_time(m, sizeof m, &normal_times[1]));
	failed += ret != 0;

	t = now_ns();
	ret = glfs_utimens(fs, path, samba_bug_times);
	log_call(t, ret, ret ? errno : 0, "glfs_utimens", "path=%s atime=%s mtime=%s",
		 path, fmt_time(a, sizeof a, &samba_bug_times[0]),
		 fmt_time(m, sizeof m, &samba_bug_times[1]));
	failed += ret != 0;

	t = now_ns();
	ret = glfs_stat(fs, path, &st);
	if (ret == 0)
		log_call(t, ret, 0, "glfs_stat", "path=%s size=%lld atime=%s mtime=%s",
			 path, (long long)st.st_size,
			 fmt_time(a, sizeof a, &st.st_atim),
			 fmt_time(m, sizeof m, &st.st_mtim));
	else
		log_call(t, ret, errno, "glfs_stat", "path=%s", path);
	failed += ret != 0;

	t = now_ns();
	ret = glfs_close(fd);
	log_call(t, ret, ret ? errno : 0, "glfs_close", "fd=%p", (void *)fd);
	failed += ret != 0;
	return failed;
}

/* --failures: calls that fail with a known errno, logged as they return
 * (the ground truth for the errno that tapline record writes); the
 * directory and its file are removed afterwards. */
static void failing_calls(glfs_t *fs)
{
	const char *missing = "/tapline-missing", *dir = "/tapline-errno-dir",
		   *file = "/tapline-errno-dir/f";
	struct stat st;
	int64_t t;
	int ret;

	t = now_ns();
	ret = glfs_stat(fs, missing, &st);
	log_call(t, ret, ret ? errno : 0, "glfs_stat", "path=%s", missing);
	t = now_ns();
	glfs_fd_t *fd = glfs_open(fs, missing, O_RDONLY);
	log_call(t, fd ? 0 : -1, fd ? 0 : errno, "glfs_open", "path=%s fd=%p",
		 missing, (void *)fd);
	if (fd)
		glfs_close(fd);
	t = now_ns();
	ret = glfs_unlink(fs, missing);
	log_call(t, ret, ret ? errno : 0, "glfs_unlink", "path=%s", missing);
	t = now_ns();	/* glfs_utimens calls glfs_setattr, which fails */
	ret = glfs_utimens(fs, missing, normal_times);
	log_call(t, ret, ret ? errno : 0, "glfs_utimens", "path=%s", missing);
	t = now_ns();
	ret = glfs_mkdir(fs, dir, 0755);
	log_call(t, ret, ret ? errno : 0, "glfs_mkdir", "path=%s", dir);
	t = now_ns();
	ret = glfs_mkdir(fs, dir, 0755);
	log_call(t, ret, ret ? errno : 0, "glfs_mkdir", "path=%s", dir);
	t = now_ns();
	fd = glfs_creat(fs, file, O_RDWR | O_CREAT, 0644);
	log_call(t, fd ? 0 : -1, fd ? 0 : errno, "glfs_creat", "path=%s fd=%p",
		 file, (void *)fd);
	if (fd)
		glfs_close(fd);
	t = now_ns();
	ret = glfs_rmdir(fs, dir);
	log_call(t, ret, ret ? errno : 0, "glfs_rmdir", "path=%s", dir);
	t = now_ns();
	ret = glfs_unlink(fs, file);
	log_call(t, ret, ret ? errno : 0, "glfs_unlink", "path=%s", file);
	t = now_ns();
	ret = glfs_rmdir(fs, dir);
	log_call(t, ret, ret ? errno : 0, "glfs_rmdir", "path=%s", dir);
}

int main(int argc, char **argv)
{
	struct options o;
	pthread_t watchdog_thread;
	int64_t t;
	int ret, failed = 0;

	if (parse_options(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# gfapi-client pid=%ld volume=%s %s=%s\n", (long)getpid(),
	       o.volume, o.volfile ? "volfile" : "server",
	       o.volfile ? o.volfile : o.server);

	t = now_ns();
	glfs_t *fs = glfs_new(o.volume);
	log_call(t, fs ? 0 : -1, fs ? 0 : errno, "glfs_new", "volume=%s fs=%p",
		 o.volume, (void *)fs);
	if (!fs)
		return 1;

	t = now_ns();
	if (o.volfile) {
		ret = glfs_set_volfile(fs, o.volfile);
		log_call(t, ret, ret ? errno : 0, "glfs_set_volfile", "volfile=%s",
			 o.volfile);
	} else {
		ret = glfs_set_volfile_server(fs, o.transport, o.server, o.port);
		log_call(t, ret, ret ? errno : 0, "glfs_set_volfile_server",
			 "transport=%s host=%s port=%d", o.transport, o.server,
			 o.port);
	}
	if (ret)
		return 1;

	t = now_ns();
	ret = glfs_set_logging(fs, o.gf_log, o.gf_log_level);
	log_call(t, ret, ret ? errno : 0, "glfs_set_logging", "logfile=%s level=%d",
		 o.gf_log, o.gf_log_level);

	if (o.timeout > 0) {
		watchdog.seconds = o.timeout;
		watchdog.start = now_ns();
		if (pthread_create(&watchdog_thread, NULL, watchdog_main, NULL)) {
			fprintf(stderr, "gfapi-client: cannot start the watchdog\n");
			return 1;
		}
	}
	t = now_ns();
	ret = glfs_init(fs);
	int init_errno = ret ? errno : 0;
	if (o.timeout > 0) {
		pthread_mutex_lock(&watchdog.lock);
		watchdog.done = 1;
		pthread_cond_signal(&watchdog.cond);
		pthread_mutex_unlock(&watchdog.lock);
		pthread_join(watchdog_thread, NULL);
	}
	log_call(t, ret, init_errno, "glfs_init", "returned=yes");

	if (ret == 0) {
		for (int i = 0; i < o.npaths; i++)
			failed += file_sequence(fs, o.paths[i]);
		if (o.failures)
			failing_calls(fs);
	} else {
		failed++;
	}

	t = now_ns();
	ret = glfs_fini(fs);
	log_call(t, ret, ret ? errno : 0, "glfs_fini", "fs=%p", (void *)fs);
	failed += ret != 0;
	return failed ? 1 : 0;
}
