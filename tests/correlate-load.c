/* correlate-load.c - a libgfapi client with several threads calling
 * glfs_utimens, glfs_write and glfs_stat at once on one volume: the hard
 * case for the correlator (RPCs of overlapping calls in flight together,
 * sent by the same epoll/io threads).  Every glfs_utimens sets a distinct
 * atime (thread * 1000 + call), so the SETATTR that carried each call is
 * known from the wire itself.
 *
 *	correlate-load SERVER VOLUME THREADS CALLS [WRITE_BYTES]
 *
 * WRITE_BYTES (default 4096, at most 4096) is each glfs_write's size: 64
 * makes a metadata-heavy load (bench/correlate-bench.sh).
 *
 * Its own log on stdout: one line per call, CLOCK_REALTIME ns before and
 * after: "start=NS end=NS tid=N call=glfs_utimens path=P atime=S ret=R".
 */
#include <glusterfs/api/glfs.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static glfs_t *fs;
static int calls;
static size_t write_bytes = 4096;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void log_call(long long start, long long end, const char *call,
		     const char *path, long long atime, long ret)
{
	pthread_mutex_lock(&log_lock);
	printf("start=%lld end=%lld tid=%ld call=%s path=%s atime=%lld ret=%ld\n",
	       start, end, (long)syscall(SYS_gettid), call, path, atime, ret);
	pthread_mutex_unlock(&log_lock);
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/load-%d.txt", id);
	memset(buf, 'a' + id % 26, sizeof buf);
	long long t0 = now_ns();
	glfs_fd_t *fd = glfs_creat(fs, path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	log_call(t0, now_ns(), "glfs_creat", path, 0, fd ? 0 : -1);
	if (!fd)
		return NULL;
	for (int k = 0; k < calls; k++) {
		t0 = now_ns();
		long r = (long)glfs_write(fd, buf, write_bytes, 0);
		log_call(t0, now_ns(), "glfs_write", path, 0, r);
		struct timespec times[2] = {
			{ .tv_sec = (id + 1) * 1000 + k, .tv_nsec = 0 },
			{ .tv_sec = 1700000000, .tv_nsec = 0 },
		};
		t0 = now_ns();
		r = glfs_utimens(fs, path, times);
		log_call(t0, now_ns(), "glfs_utimens", path, times[0].tv_sec, r);
		struct stat st;
		t0 = now_ns();
		r = glfs_stat(fs, path, &st);
		log_call(t0, now_ns(), "glfs_stat", path, 0, r);
	}
	t0 = now_ns();
	long r = glfs_close(fd);
	log_call(t0, now_ns(), "glfs_close", path, 0, r);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: correlate-load SERVER VOLUME THREADS CALLS"
			" [WRITE_BYTES]\n");
		return 2;
	}
	int threads = atoi(argv[3]);
	calls = atoi(argv[4]);
	if (argc == 6)
		write_bytes = (size_t)atoi(argv[5]);
	if (threads < 1 || threads > 64 || calls < 1 || write_bytes < 1 ||
	    write_bytes > 4096)
		return 2;
	fs = glfs_new(argv[2]);
	if (!fs || glfs_set_volfile_server(fs, "tcp", argv[1], 24007) ||
	    glfs_set_logging(fs, "/dev/null", 0) || glfs_init(fs)) {
		fprintf(stderr, "correlate-load: cannot mount %s from %s\n",
			argv[2], argv[1]);
		return 1;
	}
	printf("# correlate-load pid=%ld threads=%d calls=%d\n", (long)getpid(),
	       threads, calls);
	pthread_t t[64];
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, (void *)(long)i);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	fflush(stdout);
	glfs_fini(fs);
	return 0;
}
