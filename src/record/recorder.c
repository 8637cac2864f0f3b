/* recorder.c - `tapline record`: kernel uprobes through tracefs.
 *
 * The life of a recording:
 *   1. find tracefs (mount it if needed) and remove what dead earlier runs
 *      left behind (groups tapline_PID, instances tapline-PID);
 *   2. resolve every selected probe to LIB:OFFSET (elfsym.c) and add its
 *      uprobe events to uprobe_events, in our own group;
 *   3. make a private instance, set its clock, event filters, and enable
 *      our events there, with the scheduler's fork and exit events that
 *      tell which threads and processes are the target's (the pid filter
 *      is applied when events are written; TAPLINE_RECORD_KERNEL_PID_FILTER=1
 *      has the kernel apply it, set_event_pid + event-fork);
 *   4. read the instance's per-CPU binary buffers, decode each record with
 *      its event's `format`, order them by time across CPUs and write
 *      record lines;
 *   5. on exit, Ctrl-C or SIGTERM: remove the instance and every event.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "elfsym.h"
#include "errno_sites.h"
#include "errno_track.h"
#include "probe_defs.h"
#include "recorder.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define DEFAULT_PATTERNS "gfapi.*", "rpc.*", "gluster.*"
#define DEFAULT_BUFFER_KB 4096
/* An event is stamped when its slot is reserved and becomes readable when
 * committed, after its arguments were fetched: a reader may see a later
 * event of another CPU first.  Events are held back by this much. */
#define COMMIT_MARGIN_NS (20 * 1000000ull)
#define MAX_EVENTS 512

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tapline record: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int path_printf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int path_printf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Writes text to a tracefs file in one write(); append keeps the other
 * definitions in uprobe_events (a plain open would erase them all). */
static int write_file(const char *path, const char *text, bool append)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	ssize_t n = write(fd, text, len);
	int saved = errno;
	close(fd);
	if (n != (ssize_t)len) {
		errno = n < 0 ? saved : EIO;
		return -1;
	}
	return 0;
}

/* Reads a whole small file (format, uprobe_events) into a new buffer. */
static char *read_file(const char *path, size_t limit)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (len == cap) {
			if (cap >= limit)
				break;
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------ */
/* Record text                                                         */

size_t record_quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t n = 0;
#define PUT(c) do { if (n + 1 < size) buf[n] = (c); n++; } while (0)
	PUT('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\\': PUT('\\'); PUT('\\'); break;
		case '"': PUT('\\'); PUT('"'); break;
		case '\n': PUT('\\'); PUT('n'); break;
		case '\t': PUT('\\'); PUT('t'); break;
		case '\r': PUT('\\'); PUT('r'); break;
		default:
			if (c < 0x20 || c >= 0x7f) {
				static const char hex[] = "0123456789abcdef";
				PUT('\\'); PUT('x');
				PUT(hex[c >> 4]); PUT(hex[c & 15]);
			} else {
				PUT((char)c);
			}
		}
	}
	PUT('"');
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

/* ------------------------------------------------------------------ */
/* Event formats                                                       */

static void copy_token(char *dst, size_t size, const char *s, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static long number_after(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	if (!p)
		return -1;
	p += strlen(key);
	char *end;
	long v = strtol(p, &end, 10);
	return end == p ? -1 : v;
}

int tf_parse_format(const char *text, struct tf_format *fmt)
{
	memset(fmt, 0, sizeof(*fmt));
	fmt->id = -1;
	const char *line = text;
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char buf[512];
		copy_token(buf, sizeof(buf), line, len);
		if (!strncmp(buf, "ID:", 3)) {
			long id = strtol(buf + 3, NULL, 10);
			if (id >= 0 && id <= 65535)
				fmt->id = (int)id;
		}
		char *f = strstr(buf, "field:");
		if (f && fmt->nfields < TF_MAX_FIELDS) {
			char *decl = f + 6;
			char *semi = strchr(decl, ';');
			long off = number_after(buf, "offset:");
			long size = number_after(buf, "size:");
			long sgn = number_after(buf, "signed:");
			if (semi && off >= 0 && off <= 65535 && size > 0 &&
			    size <= 65535) {
				*semi = '\0';
				struct tf_field *fld = &fmt->fields[fmt->nfields];
				/* the name is the last identifier of the decl */
				char *end = semi;
				while (end > decl && (end[-1] == ' ' ||
						      end[-1] == ']' ||
						      (end[-1] >= '0' && end[-1] <= '9' &&
						       strchr(decl, '['))))
					end--;
				char *br = strrchr(decl, '[');
				if (br && br > decl && strchr(br, ']') &&
				    !strstr(decl, "__data_loc"))
					end = br;
				char *start = end;
				while (start > decl && (start[-1] == '_' ||
				       (start[-1] >= 'a' && start[-1] <= 'z') ||
				       (start[-1] >= 'A' && start[-1] <= 'Z') ||
				       (start[-1] >= '0' && start[-1] <= '9')))
					start--;
				if (end > start) {
					copy_token(fld->name, sizeof(fld->name),
						   start, (size_t)(end - start));
					fld->offset = (uint16_t)off;
					fld->size = (uint16_t)size;
					fld->data_loc = strstr(decl, "__data_loc") != NULL;
					fld->is_signed = sgn == 1;
					fmt->nfields++;
				}
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return fmt->id >= 0 && fmt->nfields ? 0 : -1;
}

const struct tf_field *tf_find(const struct tf_format *fmt, const char *name)
{
	for (unsigned i = 0; i < fmt->nfields; i++)
		if (!strcmp(fmt->fields[i].name, name))
			return &fmt->fields[i];
	return NULL;
}

static uint64_t get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int tf_read_int(const struct tf_field *f, const uint8_t *rec, size_t len,
		uint64_t *out)
{
	if (f->data_loc || (size_t)f->offset + f->size > len)
		return -1;
	if (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)
		return -1;
	uint64_t v = get_le(rec + f->offset, f->size);
	if (f->is_signed && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
		v |= ~0ull << (f->size * 8);
	*out = v;
	return 0;
}

int tf_read_str(const struct tf_field *f, const uint8_t *rec, size_t len,
		const char **s, size_t *slen)
{
	if (!f->data_loc || f->size != 4 || (size_t)f->offset + 4 > len)
		return -1;
	uint32_t loc = (uint32_t)get_le(rec + f->offset, 4);
	size_t off = loc & 0xffff, n = loc >> 16;
	if (n == 0 || off > len || n > len - off)
		return -1;	/* the kernel could not read it (fault) */
	const char *p = (const char *)rec + off;
	const char *nul = memchr(p, '\0', n);
	*s = p;
	*slen = nul ? (size_t)(nul - p) : n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Ring-buffer pages (include/linux/ring_buffer.h's compressed headers) */

#define RB_TYPE_PADDING 29
#define RB_TYPE_TIME_EXTEND 30
#define RB_TYPE_TIME_STAMP 31
#define RB_COMMIT_MASK ((1u << 27) - 1)
#define RB_MISSED_EVENTS (1ull << 31)
#define RB_MISSED_STORED (1ull << 30)
#define RB_PAGE_HEADER 16	/* u64 timestamp + long commit (64-bit) */
#define RB_TS_MSB (~((1ull << 59) - 1))

void rb_parse_page(const uint8_t *page, size_t len, rb_event_fn fn,
		   void *ctx, struct rb_page_info *info)
{
	memset(info, 0, sizeof(*info));
	if (len < RB_PAGE_HEADER) {
		info->malformed = len != 0;
		return;
	}
	uint64_t ts = get_le(page, 8);
	uint64_t commit = get_le(page + 8, 8);
	size_t size = commit & RB_COMMIT_MASK;
	info->missed = (commit & RB_MISSED_EVENTS) != 0;
	if (size > len - RB_PAGE_HEADER) {
		info->malformed = true;
		size = len - RB_PAGE_HEADER;
	}
	if ((commit & RB_MISSED_STORED) &&
	    RB_PAGE_HEADER + size + 8 <= len)
		info->missed_count = get_le(page + RB_PAGE_HEADER + size, 8);
	const uint8_t *p = page + RB_PAGE_HEADER;
	const uint8_t *end = p + size;
	while (end - p >= 4) {
		uint32_t hdr = (uint32_t)get_le(p, 4);
		unsigned type_len = hdr & 31;
		uint64_t delta = hdr >> 5;
		const uint8_t *body = p + 4;
		size_t left = (size_t)(end - body);
		switch (type_len) {
		case RB_TYPE_PADDING:
			if (delta == 0)
				return;	/* the rest of the page is unused */
			if (left < 4) {
				info->malformed = true;
				return;
			}
			/* a discarded event: skip it, keep its delta */
			ts += delta;
			{
				uint32_t skip = (uint32_t)get_le(body, 4);
				if (skip > left) {
					info->malformed = true;
					return;
				}
				p = body + (skip < 4 ? 4 : skip);
			}
			continue;
		case RB_TYPE_TIME_EXTEND:
			if (left < 4) {
				info->malformed = true;
				return;
			}
			ts += (get_le(body, 4) << 27) + delta;
			p = body + 4;
			continue;
		case RB_TYPE_TIME_STAMP: {
			if (left < 4) {
				info->malformed = true;
				return;
			}
			/* an absolute stamp of 59 bits; the top comes from
			 * the running time */
			uint64_t abs = (get_le(body, 4) << 27) + delta;
			if (ts & RB_TS_MSB) {
				abs |= ts & RB_TS_MSB;
				if (abs < ts)
					abs += 1ull << 59;
			}
			ts = abs;
			p = body + 4;
			continue;
		}
		case 0: {
			if (left < 4) {
				info->malformed = true;
				return;
			}
			uint32_t n = (uint32_t)get_le(body, 4);
			if (n < 4 || n - 4 > left - 4) {
				info->malformed = true;
				return;
			}
			ts += delta;
			struct rb_event ev = { ts, body + 4, n - 4 };
			info->events++;
			fn(ctx, &ev);
			p = body + 4 + ((n - 4 + 3) & ~3u);
			if (p > end)
				return;
			continue;
		}
		default: {
			size_t n = (size_t)type_len * 4;
			if (n > left) {
				info->malformed = true;
				return;
			}
			ts += delta;
			struct rb_event ev = { ts, body, n };
			info->events++;
			fn(ctx, &ev);
			p = body + n;
			continue;
		}
		}
	}
}

/* ------------------------------------------------------------------ */
/* The recorder's state                                                */

struct rec_field {
	const struct probe_arg *arg;	/* NULL: the return value */
	struct tf_field f;
};

struct rec_event {
	const struct probe_def *def;
	const char *phase;		/* "entry", "return", "event" */
	char event[64];			/* tracefs event name */
	char where[4200];		/* "LIB:0xOFF" */
	char symbol[160];		/* symbol@version, for the header */
	char fetch[PROBE_MAX_ARGS][96];	/* the entry's fetchargs */
	char argsrc[200];		/* where the arguments come from */
	bool created;
	int id;
	struct tf_field pid;		/* common_pid: the thread */
	unsigned nfields;
	struct rec_field fields[PROBE_MAX_ARGS + 1];
	bool errno_store;		/* the library's errno stores: no line */
	bool errno_tracked;		/* a call whose return may get errno */
};

/* The scheduler's events that make the pid filter: tid forked value
 * (a thread or a process), tid exited. */
enum task_op { TASK_NONE, TASK_FORK, TASK_EXIT };

/* An event's part in the errno of failing returns (errno_track.h). */
enum errno_role { ER_NONE, ER_ENTRY, ER_RETURN, ER_RETURN_FAILED, ER_STORE };

struct pending {
	uint64_t ts, seq;
	size_t off, len;
	uint8_t errno_role;		/* enum errno_role */
	uint8_t task_op;		/* enum task_op: a fork or an exit */
	int tid;
	int value;			/* ER_STORE: what was stored */
	const void *call;		/* ER_ENTRY/RETURN*: the probe */
};

/* What we know of a thread: its process and name, read from /proc when
 * first seen and again when over a second old (tids are reused). */
struct task_slot {
	int tid, tgid;
	uint64_t read_ns;
	char comm[32];
};
#define TASK_SLOTS 4096

struct recorder {
	const struct recorder_options *opt;
	char tracefs[256];
	char group[32];			/* tapline_PID */
	char instance[512];		/* .../instances/tapline-PID */
	bool instance_made;
	struct rec_event events[MAX_EVENTS];
	unsigned nevents;
	int16_t by_id[65536];		/* event id -> index in events */
	pid_t target;
	pid_t child;			/* -- COMMAND */
	int go_pipe;			/* child waits on it before exec */

	/* clock */
	const char *trace_clock;	/* "tai" or "mono" */
	clockid_t clock_id;
	int64_t to_realtime_ns;

	/* reading */
	int ncpus;
	int cpu_fd[1024];
	int cpu_num[1024];
	uint8_t *page;
	size_t page_size;
	uint64_t missed_pages, missed_events, malformed_pages, unknown_events;
	uint64_t recorded, tgid_unknown;

	/* output ordering */
	FILE *out;
	struct pending *pend;
	size_t npend, cap_pend;
	char *arena;
	size_t arena_len, arena_cap;
	uint64_t seq;
	uint64_t last_ts;		/* of the last event read from a CPU */
	uint64_t frontier;		/* see read_buffers() */
	bool out_failed;

	uint64_t now_ns;		/* CLOCK_MONOTONIC at this read round */
	struct task_slot tasks[TASK_SLOTS];
	struct errno_track *errno_track;	/* NULL: no errno stores probed */
	uint64_t errno_stores, errno_zero_stores;

	/* the pid filter, applied here in time order: the threads whose
	 * events are written, the target's at the start and every thread
	 * or process one of them forks, until it exits (what event-fork
	 * does in the kernel).  NULL: the kernel filters (set_event_pid). */
	uint8_t *targets;		/* bitmap by tid */
	int fork_id, exit_id;		/* sched_process_fork/_exit */
	struct tf_field fork_parent, fork_child, exit_pid;
	uint64_t dropped, followed;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* ------------------------------------------------------------------ */
/* tracefs                                                             */

static bool has_uprobe_events(const char *dir)
{
	char p[512];
	if (path_printf(p, sizeof(p), "%s/uprobe_events", dir))
		return false;
	return access(p, F_OK) == 0;
}

/* Finds (or mounts) tracefs; 0, or -1 after a clear message. */
static int find_tracefs(const char *want, char *out, size_t outlen)
{
	if (want) {
		if (!has_uprobe_events(want)) {
			warnx("%s: no uprobe_events there (not tracefs, or a "
			      "kernel without CONFIG_UPROBE_EVENTS)", want);
			return -1;
		}
		snprintf(out, outlen, "%s", want);
		return 0;
	}
	const char *dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	for (size_t i = 0; i < 2; i++) {
		if (has_uprobe_events(dirs[i])) {
			snprintf(out, outlen, "%s", dirs[i]);
			return 0;
		}
		if (errno == EACCES || errno == EPERM) {
			warnx("%s: permission denied: recording uprobes needs "
			      "root (CAP_SYS_ADMIN)", dirs[i]);
			return -1;
		}
	}
	if (mount("nodev", dirs[0], "tracefs", 0, NULL) == 0 &&
	    has_uprobe_events(dirs[0])) {
		snprintf(out, outlen, "%s", dirs[0]);
		return 0;
	}
	int saved = errno;
	if (access(dirs[0], F_OK) == 0 && has_uprobe_events(dirs[0])) {
		snprintf(out, outlen, "%s", dirs[0]);
		return 0;
	}
	if (saved == EPERM || saved == EACCES)
		warnx("tracefs is not mounted and mounting it was refused "
		      "(%s): run as root, or mount it with 'mount -t tracefs "
		      "nodev /sys/kernel/tracing'", strerror(saved));
	else if (saved == ENODEV)
		warnx("this kernel has no tracefs (CONFIG_TRACING is off): "
		      "uprobes cannot be recorded");
	else
		warnx("tracefs not found at /sys/kernel/tracing and mounting "
		      "it failed: %s", strerror(saved));
	return -1;
}

/* Explains a failed write to a tracefs file, with the kernel's own
 * error_log line when there is one. */
static void explain_write(const struct recorder *r, const char *what,
			  const char *text, int err)
{
	if (err == EACCES || err == EPERM) {
		warnx("%s: permission denied: recording uprobes needs root "
		      "(CAP_SYS_ADMIN)", what);
		return;
	}
	warnx("%s: writing '%s' failed: %s", what, text, strerror(err));
	char p[512];
	if (path_printf(p, sizeof(p), "%s/error_log", r->tracefs))
		return;
	char *log = read_file(p, 1 << 16);
	if (!log || !*log) {
		free(log);
		return;
	}
	/* the last two lines are the newest entry: message and caret */
	size_t n = strlen(log);
	while (n && log[n - 1] == '\n')
		log[--n] = '\0';
	int lines = 0;
	char *s = log + n;
	while (s > log && lines < 3) {
		s--;
		if (*s == '\n')
			lines++;
	}
	if (*s == '\n')
		s++;
	fprintf(stderr, "  kernel error_log:\n%s\n", s);
	free(log);
}

/* Only a dead owner's probes are stale: a live pid is left alone even if
 * it was reused by another program (its leftovers go when it dies). */
static bool owner_is_running(long pid)
{
	if (pid <= 0 || pid > INT_MAX)
		return false;
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

static int remove_instance(const char *tracefs, long pid)
{
	char p[512];
	if (path_printf(p, sizeof(p), "%s/instances/tapline-%ld", tracefs, pid))
		return -1;
	if (rmdir(p) != 0 && errno != ENOENT)
		return -1;
	return 0;
}

/* Removes one event definition; busy while a reader still holds it. */
static int remove_event(const char *tracefs, const char *group,
			const char *event)
{
	char p[512], cmd[256];
	if (path_printf(p, sizeof(p), "%s/uprobe_events", tracefs))
		return -1;
	snprintf(cmd, sizeof(cmd), "-:%s/%s", group, event);
	for (int tries = 0; tries < 50; tries++) {
		if (write_file(p, cmd, true) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -1;
		usleep(20000);
	}
	return -1;
}

int recorder_cleanup_stale(const char *tracefs_dir, bool quiet)
{
	char dir[256];
	if (find_tracefs(tracefs_dir, dir, sizeof(dir)))
		return -1;
	int removed = 0;
	/* instances first: an event enabled in one cannot be removed */
	char p[512];
	if (path_printf(p, sizeof(p), "%s/instances", dir))
		return -1;
	DIR *d = opendir(p);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			char *end;
			if (strncmp(de->d_name, "tapline-", 8))
				continue;
			long pid = strtol(de->d_name + 8, &end, 10);
			if (*end || owner_is_running(pid))
				continue;
			if (remove_instance(dir, pid) == 0 && !quiet)
				warnx("removed the instance of a dead run "
				      "(pid %ld)", pid);
		}
		closedir(d);
	}
	if (path_printf(p, sizeof(p), "%s/uprobe_events", dir))
		return -1;
	char *defs = read_file(p, 1 << 22);
	if (!defs) {
		if (errno == EACCES || errno == EPERM)
			warnx("%s: permission denied: recording uprobes needs "
			      "root (CAP_SYS_ADMIN)", p);
		return -1;
	}
	char last[160] = "";	/* a multi-probe event has a line per probe */
	for (char *line = strtok(defs, "\n"); line; line = strtok(NULL, "\n")) {
		/* "p:tapline_123/gfapi_init_entry /lib...:0x... args" */
		if (line[0] == '\0' || line[1] != ':' ||
		    strncmp(line + 2, "tapline_", 8))
			continue;
		char *slash = strchr(line + 2, '/');
		char *space = strchr(line + 2, ' ');
		if (!slash || !space || space < slash)
			continue;
		*slash = '\0';
		*space = '\0';
		char *end;
		long pid = strtol(line + 10, &end, 10);
		if (*end || owner_is_running(pid))
			continue;
		char name[160];
		snprintf(name, sizeof(name), "%s/%s", line + 2, slash + 1);
		if (!strcmp(name, last))
			continue;	/* removed with its first line */
		snprintf(last, sizeof(last), "%s", name);
		remove_instance(dir, pid);
		if (remove_event(dir, line + 2, slash + 1) == 0)
			removed++;
		else if (!quiet)
			warnx("could not remove stale probe %s/%s: %s",
			      line + 2, slash + 1, strerror(errno));
	}
	free(defs);
	if (removed && !quiet)
		warnx("removed %d probe(s) left by dead runs", removed);
	return removed;
}

/* ------------------------------------------------------------------ */
/* Choosing and placing probes                                         */

static bool selected(const struct recorder_options *opt, const char *name,
		     bool *exact)
{
	static const char *defaults[] = { DEFAULT_PATTERNS };
	const char *const *pats = opt->npatterns ? opt->patterns : defaults;
	size_t n = opt->npatterns ? opt->npatterns :
		sizeof(defaults) / sizeof(defaults[0]);
	*exact = false;
	for (size_t i = 0; i < n; i++) {
		/* a pattern may list several, comma-separated */
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", pats[i]);
		for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (fnmatch(tok, name, 0) == 0) {
				*exact = !strpbrk(tok, "*?[");
				return true;
			}
		}
	}
	return false;
}

static bool file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool basename_matches(const char *path, const char *prefix)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	return !strncmp(b, prefix, strlen(prefix));
}

/* Where library PREFIX (e.g. "libgfapi.so") is: --lib, then what the
 * target process has mapped, then the usual directories. */
static int find_library(const struct recorder_options *opt, pid_t pid,
			const char *prefix, char *out, size_t outlen)
{
	for (size_t i = 0; i < opt->nlibs; i++) {
		const char *eq = strchr(opt->libs[i], '=');
		const char *path = eq ? eq + 1 : opt->libs[i];
		bool match;
		if (eq) {
			size_t klen = (size_t)(eq - opt->libs[i]);
			match = !strncmp(prefix, opt->libs[i], klen) ||
				(klen > 3 && !strncmp(prefix + 3, opt->libs[i], klen));
		} else {
			match = basename_matches(path, prefix);
		}
		if (match) {
			if (!realpath(path, out)) {
				warnx("--lib %s: %s", path, strerror(errno));
				return -1;
			}
			return 0;
		}
	}
	if (pid > 0) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/maps", (int)pid);
		FILE *f = fopen(p, "re");
		char line[4608];
		while (f && fgets(line, sizeof(line), f)) {
			char *slash = strchr(line, '/');
			if (!slash)
				continue;
			slash[strcspn(slash, "\n")] = '\0';
			if (basename_matches(slash, prefix) && file_exists(slash)) {
				snprintf(out, outlen, "%s", slash);
				fclose(f);
				return 0;
			}
		}
		if (f)
			fclose(f);
	}
	static const char *dirs[] = {
		"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
		"/usr/lib64", "/lib64", "/usr/local/lib", "/usr/lib", "/lib",
	};
	const char *soname = probe_library_soname(prefix);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", dirs[i], soname);
		if (file_exists(p) && realpath(p, out))
			return 0;
	}
	errno = ENOENT;
	return -1;
}

static void event_name(char *out, size_t size, const char *probe,
		       const char *phase, unsigned variant)
{
	size_t n = 0;
	for (const char *s = probe; *s && n + 1 < size; s++)
		out[n++] = *s == '.' ? '_' : *s;
	out[n] = '\0';
	char suffix[24];
	if (variant)
		snprintf(suffix, sizeof(suffix), "_%s%u", phase, variant);
	else
		snprintf(suffix, sizeof(suffix), "_%s", phase);
	if (n + strlen(suffix) < size)
		strcat(out, suffix);
}

/* Element elem of the array field arr, fetched as fetch ("...:s64[4]"):
 * the format says only "s64 name[]" and the whole size. */
static int array_element(const struct tf_field *arr, const char *fetch,
			 unsigned elem, struct tf_field *out)
{
	const char *type = fetch ? strrchr(fetch, ':') : NULL;
	const char *br = fetch ? strrchr(fetch, '[') : NULL;
	if (!type || !br || br < type || !type[1])
		return -1;
	size_t esize = strtoul(type + 2, NULL, 10) / 8;
	size_t count = strtoul(br + 1, NULL, 10);
	if ((esize != 1 && esize != 2 && esize != 4 && esize != 8) ||
	    elem >= count || arr->data_loc || arr->size != esize * count)
		return -1;
	*out = *arr;
	out->offset = (uint16_t)(arr->offset + elem * esize);
	out->size = (uint16_t)esize;
	return 0;
}

/* Adds one uprobe definition and learns its format. */
static int create_event(struct recorder *r, struct rec_event *ev,
			bool is_return)
{
	char def[2048];
	int n = snprintf(def, sizeof(def), "%c:%s/%s %s", is_return ? 'r' : 'p',
			 r->group, ev->event, ev->where);
	const struct probe_def *pd = ev->def;
	if (is_return) {
		n += snprintf(def + n, sizeof(def) - (size_t)n, " ret=%s",
			      pd->ret_fetch);
	} else {
		for (unsigned i = 0; i < PROBE_MAX_ARGS && pd->args[i].name; i++)
			if (pd->args[i].fetch)	/* not an array's element */
				n += snprintf(def + n, sizeof(def) - (size_t)n,
					      " %s=%s", pd->args[i].name,
					      ev->fetch[i]);
	}
	char p[512];
	if (path_printf(p, sizeof(p), "%s/uprobe_events", r->tracefs))
		return -1;
	if (write_file(p, def, true)) {
		explain_write(r, "uprobe_events", def, errno);
		return -1;
	}
	ev->created = true;
	if (path_printf(p, sizeof(p), "%s/events/%s/%s/format", r->tracefs,
			r->group, ev->event))
		return -1;
	char *text = read_file(p, 1 << 16);
	struct tf_format fmt;
	if (!text || tf_parse_format(text, &fmt)) {
		warnx("%s: unreadable event format", p);
		free(text);
		return -1;
	}
	free(text);
	ev->id = fmt.id;
	const struct tf_field *f;
	if (!(f = tf_find(&fmt, "common_pid"))) {
		warnx("%s: no common_pid field", p);
		return -1;
	}
	ev->pid = *f;
	ev->nfields = 0;
	if (is_return) {
		if (!(f = tf_find(&fmt, "ret")))
			return -1;
		ev->fields[ev->nfields].arg = NULL;
		ev->fields[ev->nfields++].f = *f;
		return 0;
	}
	for (unsigned i = 0; i < PROBE_MAX_ARGS && pd->args[i].name; i++) {
		const struct probe_arg *a = &pd->args[i];
		struct tf_field elem;
		if (a->array) {
			/* a slice of the array field fetched before it */
			unsigned c = a->array - 1u;
			if (c >= i || array_element(&ev->fields[c].f,
						    pd->args[c].fetch, a->elem,
						    &elem)) {
				warnx("%s: no element %u of %s for %s", p,
				      a->elem, c < i ? pd->args[c].name : "?",
				      a->name);
				return -1;
			}
			f = &elem;
		} else if (!(f = tf_find(&fmt, a->name))) {
			warnx("%s: no field %s", p, a->name);
			return -1;
		}
		ev->fields[ev->nfields].arg = a;
		ev->fields[ev->nfields++].f = *f;
	}
	return 0;
}

/* Replaces the register of a fetcharg ("+0(%si):string") with reg. */
static void swap_register(char *out, size_t size, const char *fetch,
			  const char *reg)
{
	const char *pct = strchr(fetch, '%');
	if (!pct) {
		snprintf(out, size, "%s", fetch);
		return;
	}
	size_t end = 1;
	while (pct[end] && ((pct[end] >= 'a' && pct[end] <= 'z') ||
			    (pct[end] >= '0' && pct[end] <= '9')))
		end++;
	snprintf(out, size, "%.*s%s%s", (int)(pct - fetch), fetch, reg,
		 pct + end);
}

/* The entry's fetchargs of pd at the function at addr: where the library
 * has DWARF for it, each parameter's register at entry by its name; else
 * (Debian's stripped libraries) the ABI position.  Returns how many
 * parameters DWARF placed somewhere else than the ABI position says. */
static unsigned resolve_fetchargs(struct elfsym_file *ef,
				  const struct probe_def *pd, uint64_t addr,
				  char fetch[][96], char *note, size_t notelen)
{
	unsigned found = 0, asked = 0, moved = 0;
	char sub[128] = "";
	/* per arg: 1 asked DWARF, 2 found there; the counts are of the
	 * values written (an array's elements, not the array) */
	unsigned char dwarf[PROBE_MAX_ARGS] = { 0 };
	note[0] = '\0';
	for (unsigned i = 0; i < PROBE_MAX_ARGS && pd->args[i].name; i++) {
		const struct probe_arg *a = &pd->args[i];
		snprintf(fetch[i], 96, "%s", a->fetch ? a->fetch : "");
		if (a->array && a->array <= i && dwarf[a->array - 1]) {
			asked++;
			found += dwarf[a->array - 1] == 2;
		}
		if (!a->fetch || !a->param || !elfsym_has_dwarf(ef))
			continue;
		dwarf[i] = 1;
		asked += a->fmt != PF_HIDDEN;
		char reg[16];
		if (elfsym_dwarf_param(ef, addr, a->param, reg, sizeof(reg), sub,
				       sizeof(sub)) != 0)
			continue;
		dwarf[i] = 2;
		found += a->fmt != PF_HIDDEN;
		char abi[96];
		snprintf(abi, sizeof(abi), "%s", a->fetch);
		swap_register(fetch[i], 96, a->fetch, reg);
		if (strcmp(abi, fetch[i]))
			moved++;
	}
	if (found)
		snprintf(note, notelen, "arguments by DWARF of %s: %u of %u "
			 "by name%s", sub, found, asked, moved ?
			 ", some NOT at their ABI position" : "");
	else
		snprintf(note, notelen, "arguments by ABI position");
	return moved;
}

/* ------------------------------------------------------------------ */
/* errno of failing returns (errno_sites.h, errno_track.h)            */

/* Not a probe of docs/probes.md: its events are never written, they give
 * the errno of the failing gfapi.* returns of the same thread. */
static const struct probe_def errno_store_def = {
	.name = "gfapi.errno_store",
	.library = "libgfapi.so",
	.summary = "errno = x in libgfapi (gives failing returns their errno)",
};

#define ERRNO_EVENT "gfapi_errno_store"

/* One event for every errno store of lib: a multi-probe uprobe event
 * (Linux >= 5.2), each definition at its own store with one field,
 * value, the constant or the register about to be stored.  Not fatal:
 * without it, returns carry no errno. */
static void place_errno_sites(struct recorder *r, const char *lib)
{
	char err[512], p[512];
	if (r->nevents >= MAX_EVENTS ||
	    path_printf(p, sizeof(p), "%s/uprobe_events", r->tracefs))
		return;
	struct elfsym_file *ef = elfsym_open(lib, err, sizeof(err));
	struct errno_scan scan;
	if (!ef || errno_scan_file(ef, &scan, err, sizeof(err))) {
		warnx("%s: returns get no errno", err);
		elfsym_close(ef);
		return;
	}
	elfsym_close(ef);
	if (!scan.nsites) {
		if (!r->opt->quiet)
			warnx("%s: no errno stores found (%zu calls of "
			      "__errno_location): returns get no errno", lib,
			      scan.calls);
		errno_scan_free(&scan);
		return;
	}
	struct rec_event *ev = &r->events[r->nevents];
	memset(ev, 0, sizeof(*ev));
	ev->def = &errno_store_def;
	ev->phase = "event";
	ev->errno_store = true;
	snprintf(ev->event, sizeof(ev->event), ERRNO_EVENT);
	snprintf(ev->where, sizeof(ev->where), "%s (%zu stores)", lib,
		 scan.nsites);
	snprintf(ev->symbol, sizeof(ev->symbol), "errno = x");
	snprintf(ev->argsrc, sizeof(ev->argsrc), "%zu calls of "
		 "__errno_location: %zu stores probed, %zu errno = 0 not, "
		 "%zu only read, %zu not followed", scan.calls, scan.nsites,
		 scan.zeroes, scan.reads, scan.undecoded);
	/* many definitions per write(); the kernel takes whole lines */
	char batch[3072];
	size_t used = 0;
	int failed = 0;
	for (size_t i = 0; i <= scan.nsites && !failed; i++) {
		char line[4400] = "";
		if (i < scan.nsites)
			snprintf(line, sizeof(line), "p:%s/%s %s:0x%llx value=%s:s32\n",
				 r->group, ERRNO_EVENT, lib, (unsigned long long)
				 scan.sites[i].file_offset, scan.sites[i].fetch);
		size_t n = strlen(line);
		if (used && (used + n >= sizeof(batch) || i == scan.nsites)) {
			failed = write_file(p, batch, true);
			if (failed)
				explain_write(r, "uprobe_events", batch, errno);
			else
				ev->created = true;
			used = 0;
		}
		if (n >= sizeof(batch)) {
			failed = -1;	/* a path too long for one write */
			break;
		}
		memcpy(batch + used, line, n + 1);
		used += n;
	}
	errno_scan_free(&scan);
	char *text = NULL;
	struct tf_format fmt;
	const struct tf_field *f = NULL, *pid = NULL;
	if (!failed && path_printf(p, sizeof(p), "%s/events/%s/%s/format",
				   r->tracefs, r->group, ERRNO_EVENT) == 0 &&
	    (text = read_file(p, 1 << 16)) && tf_parse_format(text, &fmt) == 0) {
		f = tf_find(&fmt, "value");
		pid = tf_find(&fmt, "common_pid");
	}
	free(text);
	if (!f || !pid || !(r->errno_track = errno_track_new())) {
		warnx("the errno stores of %s could not be probed: returns get "
		      "no errno", lib);
		/* a batch the kernel refused may have added some of its lines */
		remove_event(r->tracefs, r->group, ERRNO_EVENT);
		return;
	}
	ev->id = fmt.id;
	ev->pid = *pid;
	ev->nfields = 1;
	ev->fields[0].f = *f;
	r->by_id[ev->id] = (int16_t)r->nevents++;
	for (unsigned i = 0; i < r->nevents; i++)
		if (r->events[i].def->ret_fetch &&
		    !strcmp(r->events[i].def->library, errno_store_def.library))
			r->events[i].errno_tracked = true;
}

/* Resolves the selected probes and creates their events. */
static int place_probes(struct recorder *r)
{
	const struct recorder_options *opt = r->opt;
	unsigned placed = 0, missing = 0;
	char missing_list[512] = "";
	char errno_lib[4096] = "";	/* where gfapi.* returns were placed */
	for (size_t i = 0; i < probe_def_count(); i++) {
		const struct probe_def *pd = probe_def_at(i);
		bool exact;
		if (!selected(opt, pd->name, &exact))
			continue;
		char lib[4096], err[512];
		if (find_library(opt, r->target, pd->library, lib, sizeof(lib))) {
			if (exact) {
				warnx("%s: library %s not found (give it with "
				      "--lib PATH)", pd->name, pd->library);
				return -1;
			}
			if (!opt->quiet)
				warnx("skipping %s: library %s not found",
				      pd->name, pd->library);
			continue;
		}
		struct elfsym_file *ef = elfsym_open(lib, err, sizeof(err));
		if (!ef) {
			warnx("%s", err);
			return -1;
		}
		unsigned variant = 0;
		for (unsigned s = 0; s < PROBE_MAX_SYMBOLS && pd->symbols[s]; s++) {
			struct elfsym syms[4];
			size_t nsyms = elfsym_find_all(ef, pd->symbols[s], syms,
						       4, err, sizeof(err));
			if (!nsyms && exact && !pd->symbols[1]) {
				warnx("%s: %s", pd->name, err);
				elfsym_close(ef);
				return -1;
			}
			if (!nsyms && !pd->symbols[1]) {
				missing++;
				size_t ml = strlen(missing_list);
				if (ml < sizeof(missing_list) - 64)
					snprintf(missing_list + ml,
						 sizeof(missing_list) - ml,
						 "%s%s", ml ? " " : "",
						 pd->symbols[s]);
			}
			for (size_t v = 0; v < nsyms; v++, variant++) {
				const struct elfsym *sym = &syms[v];
				const char *phases[2] = {
					pd->ret_fetch ? "entry" : "event",
					pd->ret_fetch ? "return" : NULL };
				for (unsigned ph = 0; ph < 2 && phases[ph]; ph++) {
					if (r->nevents >= MAX_EVENTS) {
						warnx("too many probes");
						elfsym_close(ef);
						return -1;
					}
					struct rec_event *ev =
						&r->events[r->nevents++];
					memset(ev, 0, sizeof(*ev));
					ev->def = pd;
					ev->phase = phases[ph];
					event_name(ev->event, sizeof(ev->event),
						   pd->name, ph ? "return" : "entry",
						   variant);
					snprintf(ev->where, sizeof(ev->where),
						 "%s:0x%llx", lib, (unsigned long long)
						 sym->file_offset);
					snprintf(ev->symbol, sizeof(ev->symbol),
						 "%s%s%s", pd->symbols[s],
						 sym->version[0] ? "@" : "",
						 sym->version);
					resolve_fetchargs(ef, pd, sym->value,
							  ev->fetch, ev->argsrc,
							  sizeof(ev->argsrc));
					if (create_event(r, ev, ph == 1)) {
						elfsym_close(ef);
						return -1;
					}
					r->by_id[ev->id] = (int16_t)(r->nevents - 1);
				}
				placed++;
				if (pd->ret_fetch && !strcmp(pd->library,
							     errno_store_def.library))
					snprintf(errno_lib, sizeof(errno_lib),
						 "%s", lib);
			}
		}
		elfsym_close(ef);
	}
	if (missing && !opt->quiet)
		warnx("%u probe(s) skipped, not in the library: %s%s", missing,
		      missing_list, strlen(missing_list) >= sizeof(missing_list)
		      - 64 ? " ..." : "");
	if (!placed) {
		warnx("no probe matched%s", opt->npatterns ?
		      " (see 'tapline record --list')" : "");
		return -1;
	}
	/* TAPLINE_RECORD_ERRNO=0: no errno probes (to measure their cost) */
	const char *want_errno = getenv("TAPLINE_RECORD_ERRNO");
	if (errno_lib[0] && !(want_errno && !strcmp(want_errno, "0")))
		place_errno_sites(r, errno_lib);
	return 0;
}

static int instance_write(struct recorder *r, const char *file,
			  const char *text, bool quiet_fail)
{
	char p[1024];
	if (path_printf(p, sizeof(p), "%s/%s", r->instance, file))
		return -1;
	if (write_file(p, text, false)) {
		if (!quiet_fail)
			explain_write(r, p, text, errno);
		return -1;
	}
	return 0;
}

/* PID_MAX_LIMIT of 64-bit Linux: no tid is larger (a 512 KiB bitmap) */
#define TID_LIMIT (4 * 1024 * 1024)

static bool is_target(const struct recorder *r, long tid)
{
	return tid > 0 && tid < TID_LIMIT &&
	       (r->targets[tid / 8] >> (tid % 8) & 1);
}

static void set_target(struct recorder *r, long tid, bool on)
{
	if (tid <= 0 || tid >= TID_LIMIT)
		return;
	if (on)
		r->targets[tid / 8] |= (uint8_t)(1u << (tid % 8));
	else
		r->targets[tid / 8] &= (uint8_t)~(1u << (tid % 8));
}

/* Learns the id and the fields of a scheduler event and enables it in
 * the instance. */
static int enable_sched_event(struct recorder *r, const char *name, int *id,
			      const char *f1, struct tf_field *out1,
			      const char *f2, struct tf_field *out2)
{
	char p[512];
	if (path_printf(p, sizeof(p), "%s/events/sched/%s/format", r->tracefs,
			name))
		return -1;
	char *text = read_file(p, 1 << 16);
	struct tf_format fmt;
	const struct tf_field *a = NULL, *b = NULL;
	if (text && tf_parse_format(text, &fmt) == 0) {
		a = tf_find(&fmt, f1);
		b = f2 ? tf_find(&fmt, f2) : NULL;
	}
	free(text);
	if (!a || (f2 && !b) || a->size != 4 || (b && b->size != 4)) {
		warnx("%s: no usable format (set "
		      "TAPLINE_RECORD_KERNEL_PID_FILTER=1 to have the kernel "
		      "filter by pid)", p);
		return -1;
	}
	*id = fmt.id;
	*out1 = *a;
	if (b)
		*out2 = *b;
	char f[128];
	snprintf(f, sizeof(f), "events/sched/%s/enable", name);
	return instance_write(r, f, "1", false);
}

/* The pid filter: every thread of the target, the ones it creates from
 * now on and the processes it forks.  Called twice: threads created
 * before the fork events (or event-fork) were on may have been missed by
 * the first listing. */
static int set_pid_filter(struct recorder *r)
{
	/* the kernel notes each event's tgid: our fallback for threads that
	 * exit before we read their events */
	instance_write(r, "options/record-tgid", "1", true);
	const char *kernel = getenv("TAPLINE_RECORD_KERNEL_PID_FILTER");
	bool in_kernel = kernel && !strcmp(kernel, "1");
	if (in_kernel) {
		if (instance_write(r, "options/event-fork", "1", false))
			return -1;
	} else if (!r->targets) {
		r->targets = calloc(TID_LIMIT / 8, 1);
		if (!r->targets) {
			warnx("out of memory");
			return -1;
		}
		if (enable_sched_event(r, "sched_process_fork", &r->fork_id,
				       "parent_pid", &r->fork_parent,
				       "child_pid", &r->fork_child) ||
		    enable_sched_event(r, "sched_process_exit", &r->exit_id,
				       "pid", &r->exit_pid, NULL, NULL))
			return -1;
	}
	char buf[65536];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%d", (int)r->target);
	if (r->targets)
		set_target(r, r->target, true);
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/task", (int)r->target);
	DIR *d = opendir(p);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)) && n + 16 < sizeof(buf)) {
			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			if (atoi(de->d_name) == r->target)
				continue;
			if (r->targets)
				set_target(r, atol(de->d_name), true);
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s",
					      de->d_name);
		}
		closedir(d);
	}
	return in_kernel ? instance_write(r, "set_event_pid", buf, false) : 0;
}

static int setup_clock(struct recorder *r)
{
	if (instance_write(r, "trace_clock", "tai", true) == 0) {
		struct timex tx = { 0 };
		adjtimex(&tx);
		r->trace_clock = "tai";
		r->clock_id = CLOCK_TAI;
		r->to_realtime_ns = -(int64_t)tx.tai * 1000000000ll;
		return 0;
	}
	if (instance_write(r, "trace_clock", "mono", false))
		return -1;
	r->trace_clock = "mono";
	r->clock_id = CLOCK_MONOTONIC;
	/* REALTIME - MONOTONIC, from the tightest of a few samples */
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 7; i++) {
		uint64_t a = clock_ns(CLOCK_MONOTONIC);
		uint64_t rt = clock_ns(CLOCK_REALTIME);
		uint64_t b = clock_ns(CLOCK_MONOTONIC);
		if (b - a < best) {
			best = b - a;
			r->to_realtime_ns = (int64_t)(rt - (a + (b - a) / 2));
		}
	}
	return 0;
}

static int open_cpu_buffers(struct recorder *r)
{
	char p[1024];
	if (path_printf(p, sizeof(p), "%s/per_cpu", r->instance))
		return -1;
	DIR *d = opendir(p);
	if (!d) {
		warnx("%s: %s", p, strerror(errno));
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "cpu", 3) || r->ncpus >= 1024)
			continue;
		char f[1100];
		if (path_printf(f, sizeof(f), "%s/%s/trace_pipe_raw", p,
				de->d_name))
			continue;
		int fd = open(f, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;	/* an offline CPU */
		r->cpu_num[r->ncpus] = atoi(de->d_name + 3);
		r->cpu_fd[r->ncpus++] = fd;
	}
	closedir(d);
	if (!r->ncpus) {
		warnx("%s: no per-CPU buffers could be opened", p);
		return -1;
	}
	size_t kb = 4;
	if (path_printf(p, sizeof(p), "%s/buffer_subbuf_size_kb", r->instance) == 0) {
		char *s = read_file(p, 64);
		if (s && atoi(s) > 0)
			kb = (size_t)atoi(s);
		free(s);
	}
	r->page_size = kb * 1024;
	r->page = malloc(r->page_size);
	return r->page ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Decoding and writing                                                */

/* Reads "TID VALUE" from a tracefs table (saved_tgids, saved_cmdlines):
 * what the kernel noted when it recorded an event of a thread that has
 * exited by now. */
static bool saved_lookup(struct recorder *r, const char *file, int tid,
			 char *out, size_t outlen)
{
	char p[512], line[128];
	if (path_printf(p, sizeof(p), "%s/%s", r->tracefs, file))
		return false;
	FILE *f = fopen(p, "re");
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *end;
		if (strtol(line, &end, 10) != tid || *end != ' ')
			continue;
		end[1 + strcspn(end + 1, "\n")] = '\0';
		snprintf(out, outlen, "%s", end + 1);
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}

static const struct task_slot *task_of(struct recorder *r, int tid)
{
	unsigned h = (unsigned)tid * 2654435761u % TASK_SLOTS;
	struct task_slot *slot = NULL;
	for (unsigned i = 0; i < 8; i++) {
		struct task_slot *s = &r->tasks[(h + i) % TASK_SLOTS];
		if (s->tid == tid || s->tid == 0) {
			slot = s;
			break;
		}
	}
	if (!slot)
		slot = &r->tasks[h];	/* evict */
	if (slot->tid == tid && r->now_ns - slot->read_ns < 1000000000ull)
		return slot;
	char p[64], line[128], comm[32] = "";
	int tgid = -1;
	snprintf(p, sizeof(p), "/proc/%d/status", tid);
	FILE *f = fopen(p, "re");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Tgid:", 5)) {
			tgid = atoi(line + 5);
			break;
		}
	if (f)
		fclose(f);
	snprintf(p, sizeof(p), "/proc/%d/comm", tid);
	f = fopen(p, "re");
	if (f && fgets(comm, sizeof(comm), f))
		comm[strcspn(comm, "\n")] = '\0';
	if (f)
		fclose(f);
	if (tgid <= 0 || !comm[0]) {
		if (slot->tid == tid)
			return slot;	/* gone: what we knew still holds */
		/* gone before we saw it: the kernel's own notes */
		char v[32];
		tgid = saved_lookup(r, "saved_tgids", tid, v, sizeof(v)) ?
			atoi(v) : -1;
		if (!saved_lookup(r, "saved_cmdlines", tid, comm, sizeof(comm)))
			snprintf(comm, sizeof(comm), "?");
		if (tgid <= 0) {
			r->tgid_unknown++;
			tgid = tid;
		}
	}
	slot->tid = tid;
	slot->tgid = tgid;
	slot->read_ns = r->now_ns;
	snprintf(slot->comm, sizeof(slot->comm), "%s", comm);
	return slot;
}

static bool arena_reserve(struct recorder *r, size_t more)
{
	if (r->arena_len + more <= r->arena_cap)
		return true;
	size_t cap = r->arena_cap ? r->arena_cap : 1 << 16;
	while (cap < r->arena_len + more)
		cap *= 2;
	char *a = realloc(r->arena, cap);
	if (!a)
		return false;
	r->arena = a;
	r->arena_cap = cap;
	return true;
}

/* Queues p (its time, order and arena offset filled in here) to be
 * written in time order; NULL when memory is short (then dropped). */
static struct pending *pending_push(struct recorder *r, uint64_t ts,
				    struct pending p)
{
	if (r->npend == r->cap_pend) {
		size_t cap = r->cap_pend ? r->cap_pend * 2 : 1024;
		struct pending *grown = realloc(r->pend, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		r->pend = grown;
		r->cap_pend = cap;
	}
	p.ts = ts;
	p.seq = r->seq++;
	p.off = r->arena_len;
	r->pend[r->npend] = p;
	if (ts > r->last_ts)
		r->last_ts = ts;
	return &r->pend[r->npend++];
}

/* An errno store: kept in the time-ordered queue like a line, to be
 * applied in time order (a thread may move between CPUs). */
static void errno_event(struct recorder *r, const struct rb_event *rbe,
			const struct rec_event *ev, int tid)
{
	uint64_t v;
	if (tf_read_int(&ev->fields[0].f, rbe->data, rbe->len, &v))
		return;
	pending_push(r, rbe->ts, (struct pending){ .errno_role = ER_STORE,
		.tid = tid, .value = (int)(int64_t)v });
}

/* Notes an entry or return of a call whose errno is tracked.  Failure:
 * a NULL pointer (ret written as hex: glfs_t *, glfs_fd_t *, char *), or
 * a negative number. */
static void errno_mark(const struct rec_event *ev, int tid,
		       const uint64_t *values, struct pending *p)
{
	if (!ev->errno_tracked)
		return;
	p->tid = tid;
	p->call = ev->def;
	if (strcmp(ev->phase, "return")) {
		p->errno_role = ER_ENTRY;
		return;
	}
	bool failed = ev->def->ret_fmt == PF_HEX ? values[0] == 0 :
		      (int64_t)values[0] < 0;
	p->errno_role = failed ? ER_RETURN_FAILED : ER_RETURN;
}

/* Applies a queued event to the threads' open calls, in time order:
 * -1 for a store (no line of its own), 1 with *value when the line (a
 * failed return) gets errno=VALUE, else 0. */
static int errno_apply(struct recorder *r, const struct pending *p,
		       int *value)
{
	if (!r->errno_track)
		return 0;
	switch (p->errno_role) {
	case ER_ENTRY:
		errno_track_entry(r->errno_track, p->tid, p->call);
		return 0;
	case ER_STORE:
		errno_track_store(r->errno_track, p->tid, p->value);
		return -1;
	case ER_RETURN:
	case ER_RETURN_FAILED:
		return errno_track_return(r->errno_track, p->tid, p->call,
					  value) &&
		       p->errno_role == ER_RETURN_FAILED ? 1 : 0;
	default:
		return 0;
	}
}

/* A fork or an exit: queued like a line, applied to the pid filter in
 * time order (a child's first events may be read from another CPU before
 * its parent's fork). */
static void task_event(struct recorder *r, const struct rb_event *rbe,
		       bool fork)
{
	uint64_t a, b = 0;
	if (tf_read_int(fork ? &r->fork_parent : &r->exit_pid, rbe->data,
			rbe->len, &a) ||
	    (fork && tf_read_int(&r->fork_child, rbe->data, rbe->len, &b))) {
		r->unknown_events++;
		return;
	}
	pending_push(r, rbe->ts, (struct pending){
		.task_op = fork ? TASK_FORK : TASK_EXIT,
		.tid = (int)(int64_t)a, .value = (int)(int64_t)b });
}

static void on_event(void *ctx, const struct rb_event *rbe)
{
	struct recorder *r = ctx;
	if (rbe->len < 8) {
		r->unknown_events++;
		return;
	}
	unsigned type = (unsigned)get_le(rbe->data, 2);
	if (r->targets && (type == (unsigned)r->fork_id ||
			   type == (unsigned)r->exit_id)) {
		task_event(r, rbe, type == (unsigned)r->fork_id);
		return;
	}
	int idx = r->by_id[type];
	if (idx < 0) {
		r->unknown_events++;
		return;
	}
	const struct rec_event *ev = &r->events[idx];
	const uint8_t *rec = rbe->data;
	size_t len = rbe->len;
	uint64_t tid = 0;
	if (tf_read_int(&ev->pid, rec, len, &tid)) {
		r->unknown_events++;
		return;
	}
	if (ev->errno_store) {
		errno_event(r, rbe, ev, (int)tid);
		return;
	}
	char line[8192];
	size_t n = 0;
	const struct task_slot *task = task_of(r, (int)tid);
	n += (size_t)snprintf(line + n, sizeof(line) - n, " %d %d ",
			      task->tgid, (int)tid);
	n += record_quote(line + n, sizeof(line) - n, task->comm,
			  strlen(task->comm));
	if (n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %s",
				      ev->def->name, ev->phase);
	uint64_t values[PROBE_MAX_ARGS + 1] = { 0 };
	for (unsigned i = 0; i < ev->nfields && n < sizeof(line); i++) {
		const struct rec_field *rf = &ev->fields[i];
		enum probe_fmt fmt = rf->arg ? rf->arg->fmt : ev->def->ret_fmt;
		const char *key = rf->arg ? rf->arg->name : "ret";
		if (fmt == PF_HIDDEN)
			continue;
		/* values behind a NULL pointer were never read */
		if (rf->arg && rf->arg->guard && rf->arg->guard <= i &&
		    !values[rf->arg->guard - 1])
			continue;
		if (fmt == PF_STR) {
			const char *s;
			size_t sl;
			if (tf_read_str(&rf->f, rec, len, &s, &sl))
				continue;	/* unreadable memory: left out */
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=",
					      key);
			if (n < sizeof(line))
				n += record_quote(line + n, sizeof(line) - n, s,
						  sl);
			continue;
		}
		uint64_t v;
		if (tf_read_int(&rf->f, rec, len, &v))
			continue;
		values[i] = v;
		switch (fmt) {
		case PF_HEX:
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      " %s=0x%llx", key,
					      (unsigned long long)v);
			break;
		case PF_UINT:
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      " %s=%llu", key,
					      (unsigned long long)v);
			break;
		case PF_BE32:
		case PF_BE32U: {
			uint32_t w = __builtin_bswap32((uint32_t)v);
			if (fmt == PF_BE32)
				n += (size_t)snprintf(line + n, sizeof(line) - n,
						      " %s=%d", key, (int32_t)w);
			else
				n += (size_t)snprintf(line + n, sizeof(line) - n,
						      " %s=%u", key, w);
			break;
		}
		default:
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      " %s=%lld", key, (long long)v);
			break;
		}
	}
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	line[n++] = '\n';
	if (!arena_reserve(r, n))
		return;
	struct pending *p = pending_push(r, rbe->ts, (struct pending){
		.len = n, .tid = (int)tid });
	if (!p)
		return;
	memcpy(r->arena + r->arena_len, line, n);
	errno_mark(ev, (int)tid, values, p);
	r->arena_len += n;
}

/* Reads what the CPUs have; returns the number of bytes read. */
/* Reads what the CPUs have; returns the number of bytes read.  Sets
 * r->frontier: no event older than it can still arrive.  A CPU read until
 * it had nothing can only bring events stamped after the read began (less
 * a margin for events stamped but not yet committed); one left with data
 * (the page limit) only ones after the last event read from it. */
static size_t read_buffers(struct recorder *r)
{
	size_t total = 0;
	r->now_ns = clock_ns(CLOCK_MONOTONIC);
	uint64_t frontier = UINT64_MAX;
	for (int i = 0; i < r->ncpus; i++) {
		uint64_t began = clock_ns(r->clock_id);
		bool drained = false;
		r->last_ts = 0;
		for (int pages = 0; pages < 256; pages++) {
			ssize_t n = read(r->cpu_fd[i], r->page, r->page_size);
			if (n <= 0) {
				drained = true;
				break;
			}
			total += (size_t)n;
			struct rb_page_info info;
			rb_parse_page(r->page, (size_t)n, on_event, r, &info);
			if (info.missed) {
				r->missed_pages++;
				r->missed_events += info.missed_count;
			}
			if (info.malformed)
				r->malformed_pages++;
		}
		uint64_t f = drained ? (began > COMMIT_MARGIN_NS ?
					began - COMMIT_MARGIN_NS : 0) : r->last_ts;
		if (f < frontier)
			frontier = f;
	}
	r->frontier = frontier;
	return total;
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The traced process's end, as an event: a call still open then never
 * returned, and ran at least until this line. */
static void write_exit(struct recorder *r, const struct pending *p)
{
	const struct task_slot *task = task_of(r, p->tid);
	char line[128];
	size_t n = (size_t)snprintf(line, sizeof(line), "%lld %d %d ",
				    (long long)((int64_t)p->ts + r->to_realtime_ns),
				    p->tid, p->tid);
	n += record_quote(line + n, sizeof(line) - n, task->comm,
			  strlen(task->comm));
	if (n < sizeof(line))
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      " process.exit event\n");
	if (n >= sizeof(line) || fwrite(line, 1, n, r->out) != n)
		r->out_failed = true;
	else
		r->recorded++;
}

/* Writes the pending events older than cutoff, in time order. */
static void flush_pending(struct recorder *r, uint64_t cutoff)
{
	if (!r->npend)
		return;
	qsort(r->pend, r->npend, sizeof(*r->pend), cmp_pending);
	size_t i = 0;
	for (; i < r->npend && r->pend[i].ts <= cutoff; i++) {
		const struct pending *p = &r->pend[i];
		if (p->task_op == TASK_FORK) {
			if (is_target(r, p->tid)) {
				set_target(r, p->value, true);
				r->followed++;
			}
			continue;
		}
		if (p->task_op == TASK_EXIT) {
			if (p->tid == r->target && is_target(r, p->tid))
				write_exit(r, p);
			set_target(r, p->tid, false);
			continue;
		}
		if (r->targets && !is_target(r, p->tid)) {
			r->dropped++;	/* another process's */
			continue;
		}
		int err_value = 0;
		int with_errno = p->errno_role ? errno_apply(r, p, &err_value) : 0;
		if (with_errno < 0) {
			/* an errno store: no line; counted here, once other
			 * processes' stores were dropped with their events */
			r->errno_stores++;
			r->errno_zero_stores += p->value == 0;
			continue;
		}
		/* errno goes after ret, before the newline */
		size_t len = p->len - (with_errno && p->len ? 1 : 0);
		int64_t ts = (int64_t)p->ts + r->to_realtime_ns;
		if (fprintf(r->out, "%lld", (long long)ts) < 0 ||
		    fwrite(r->arena + p->off, 1, len, r->out) != len ||
		    (with_errno && fprintf(r->out, " errno=%d\n", err_value) < 0))
			r->out_failed = true;
		r->recorded++;
	}
	if (i == r->npend) {
		r->npend = 0;
		r->arena_len = 0;
	} else if (i) {
		/* keep the rest: compact the arena */
		char *keep = malloc(r->arena_cap);
		if (keep) {
			size_t len = 0;
			for (size_t j = i; j < r->npend; j++) {
				if (r->pend[j].len)	/* forks, exits: none */
					memcpy(keep + len, r->arena +
					       r->pend[j].off, r->pend[j].len);
				r->pend[j].off = len;
				len += r->pend[j].len;
			}
			free(r->arena);
			r->arena = keep;
			r->arena_len = len;
		}
		memmove(r->pend, r->pend + i, (r->npend - i) * sizeof(*r->pend));
		r->npend -= i;
	}
	if (fflush(r->out) != 0)
		r->out_failed = true;
}

/* Sums what the kernel says it lost (buffer full) per CPU. */
static uint64_t kernel_lost(struct recorder *r)
{
	uint64_t lost = 0;
	for (int i = 0; i < r->ncpus; i++) {
		char p[1100];
		if (path_printf(p, sizeof(p), "%s/per_cpu/cpu%d/stats",
				r->instance, r->cpu_num[i]))
			continue;
		char *s = read_file(p, 1 << 14);
		if (!s)
			continue;
		char *o = strstr(s, "overrun:");
		if (o)
			lost += strtoull(o + 8, NULL, 10);
		char *dr = strstr(s, "dropped events:");
		if (dr)
			lost += strtoull(dr + 15, NULL, 10);
		free(s);
	}
	return lost;
}

static void write_header(struct recorder *r)
{
	char host[256] = "unknown";
	gethostname(host, sizeof(host) - 1);
	char boot_id[64] = "unknown";
	char *b = read_file("/proc/sys/kernel/random/boot_id", 256);
	if (b) {
		b[strcspn(b, "\n")] = '\0';
		snprintf(boot_id, sizeof(boot_id), "%s", b);
		free(b);
	}
	fprintf(r->out, "tapline-records 1 host=%s clock=realtime "
		"clock_offset_ns=0 boot_id=%s recorder=tapline-record/%s "
		"start_ns=%llu trace_clock=%s trace_clock_offset_ns=%lld "
		"target_pid=%d recorder_pid=%d\n", host, boot_id,
		PACKAGE_VERSION, (unsigned long long)clock_ns(CLOCK_REALTIME),
		r->trace_clock, (long long)r->to_realtime_ns, (int)r->target,
		(int)getpid());
	for (unsigned i = 0; i < r->nevents; i++) {
		const struct rec_event *ev = &r->events[i];
		fprintf(r->out, "# probe %s %s at %s (%s; %s)\n",
			ev->def->name, ev->phase, ev->where, ev->symbol,
			strcmp(ev->phase, "return") ? ev->argsrc : "$retval");
	}
	fflush(r->out);
}

/* ------------------------------------------------------------------ */
/* Setup and teardown                                                  */

static void teardown(struct recorder *r)
{
	if (r->instance_made) {
		char p[1100];
		if (path_printf(p, sizeof(p), "%s/events/enable", r->instance) == 0)
			write_file(p, "0", false);
		for (int i = 0; i < r->ncpus; i++)
			close(r->cpu_fd[i]);
		r->ncpus = 0;
		if (rmdir(r->instance) != 0)
			warnx("could not remove %s: %s", r->instance,
			      strerror(errno));
		r->instance_made = false;
	}
	/* "-:GROUP/" removes the whole group at once; one by one if not */
	bool any = false;
	for (unsigned i = 0; i < r->nevents; i++)
		any |= r->events[i].created;
	if (any && remove_event(r->tracefs, r->group, "") == 0) {
		for (unsigned i = 0; i < r->nevents; i++)
			r->events[i].created = false;
	}
	for (unsigned i = 0; i < r->nevents; i++) {
		struct rec_event *ev = &r->events[i];
		if (!ev->created)
			continue;
		if (remove_event(r->tracefs, r->group, ev->event))
			warnx("could not remove probe %s/%s: %s", r->group,
			      ev->event, strerror(errno));
		ev->created = false;
	}
}

static int enable_events(struct recorder *r)
{
	for (unsigned i = 0; i < r->nevents; i++) {
		const struct rec_event *ev = &r->events[i];
		char f[256];
		bool is_entry = strcmp(ev->phase, "return");
		if (ev->def->filter && is_entry) {
			snprintf(f, sizeof(f), "events/%s/%s/filter", r->group,
				 ev->event);
			if (instance_write(r, f, ev->def->filter, false))
				return -1;
		}
		snprintf(f, sizeof(f), "events/%s/%s/enable", r->group, ev->event);
		if (instance_write(r, f, "1", false))
			return -1;
	}
	return 0;
}

/* Starts COMMAND held at a pipe, so the pid filter is in place before
 * its first instruction. */
static pid_t start_command(struct recorder *r, char **argv)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC)) {
		warnx("pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		warnx("fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[1]);
		char c;
		ssize_t n;
		do
			n = read(fds[0], &c, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			_exit(127);	/* the recorder gave up */
		close(fds[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "tapline record: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	r->go_pipe = fds[1];
	return pid;
}

static bool target_alive(struct recorder *r, int *status)
{
	if (r->child > 0) {
		pid_t w = waitpid(r->child, status, WNOHANG);
		if (w == r->child) {
			r->child = -1;
			return false;
		}
		return true;
	}
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/stat", (int)r->target);
	char *s = read_file(p, 4096);
	if (!s)
		return false;
	char *paren = strrchr(s, ')');
	bool alive = paren && paren[1] == ' ' && paren[2] != 'Z' &&
		     paren[2] != 'X';
	free(s);
	return alive;
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int recorder_run(const struct recorder_options *opt)
{
	struct recorder *r = calloc(1, sizeof(*r));
	if (!r) {
		warnx("out of memory");
		return 1;
	}
	int rc = 1, status = 0;
	r->opt = opt;
	r->child = -1;
	r->go_pipe = -1;
	memset(r->by_id, 0xff, sizeof(r->by_id));
	stop_signal = 0;
	install_signals();

	if (find_tracefs(opt->tracefs, r->tracefs, sizeof(r->tracefs)))
		goto out;
	if (recorder_cleanup_stale(r->tracefs, opt->quiet) < 0)
		goto out;
	snprintf(r->group, sizeof(r->group), "tapline_%d", (int)getpid());
	if (path_printf(r->instance, sizeof(r->instance),
			"%s/instances/tapline-%d", r->tracefs, (int)getpid()))
		goto out;

	if (opt->command) {
		r->child = start_command(r, opt->command);
		if (r->child < 0)
			goto out;
		r->target = r->child;
	} else {
		r->target = opt->pid;
		if (kill(r->target, 0) != 0 && errno == ESRCH) {
			warnx("no process %d", (int)r->target);
			goto out;
		}
	}

	if (opt->output && strcmp(opt->output, "-")) {
		r->out = fopen(opt->output, "we");
		if (!r->out) {
			warnx("%s: %s", opt->output, strerror(errno));
			goto out;
		}
	} else {
		r->out = stdout;
	}

	if (place_probes(r))
		goto out;
	if (mkdir(r->instance, 0700) != 0) {
		if (errno == EACCES || errno == EPERM)
			warnx("%s: permission denied: recording uprobes needs "
			      "root (CAP_SYS_ADMIN)", r->instance);
		else
			warnx("%s: %s", r->instance, strerror(errno));
		goto out;
	}
	r->instance_made = true;
	char kb[32];
	snprintf(kb, sizeof(kb), "%u", opt->buffer_kb ? opt->buffer_kb :
		 DEFAULT_BUFFER_KB);
	/* sub-buffers of 16 KiB (Linux >= 6.8; 4 KiB before): an event must
	 * fit in one, and a path can be 4 KiB long */
	instance_write(r, "buffer_subbuf_size_kb", "16", true);
	if (instance_write(r, "buffer_size_kb", kb, false) ||
	    setup_clock(r) || set_pid_filter(r) || enable_events(r) ||
	    open_cpu_buffers(r))
		goto out;
	/* threads created before event-fork was set may have been missed
	 * by the first listing: list again now that it is on */
	if (!opt->command && set_pid_filter(r))
		goto out;
	write_header(r);

	if (r->go_pipe >= 0) {
		if (write(r->go_pipe, "g", 1) != 1) {
			warnx("could not start the command: %s", strerror(errno));
			goto out;
		}
		close(r->go_pipe);
		r->go_pipe = -1;
	}
	/* the reader must keep up with the traced program, or the kernel
	 * drops events: run ahead of it when the CPUs are busy (after the
	 * fork, so a command keeps its own priority) */
	errno = 0;
	int prio = getpriority(PRIO_PROCESS, 0);
	if (errno == 0)
		setpriority(PRIO_PROCESS, 0, prio - 10 < -20 ? -20 : prio - 10);
	if (!opt->quiet)
		fprintf(stderr, "tapline record: %u probe event(s) on pid %d "
			"(clock %s); Ctrl-C to stop\n", r->nevents,
			(int)r->target, r->trace_clock);

	bool alive = true;
	while (!stop_signal && alive && !r->out_failed) {
		size_t got = read_buffers(r);
		flush_pending(r, r->frontier);
		alive = target_alive(r, &status);
		/* let pages fill: reading a page the kernel is still writing
		 * returns a few events for a whole system call */
		if (alive && got < r->page_size * (size_t)r->ncpus) {
			struct timespec ts = { 0, (got ? 10 : 20) * 1000000 };
			nanosleep(&ts, NULL);
		}
	}
	/* what is still in the buffers */
	while (read_buffers(r))
		;
	flush_pending(r, UINT64_MAX);

	/* the kernel's per-CPU counts; the pages' own flags say the same
	 * events again, so they are only the fallback */
	uint64_t lost = kernel_lost(r);
	if (!lost)
		lost = r->missed_events;
	if (lost || r->missed_pages) {
		fprintf(r->out, "# tapline-record: lost %llu event(s) (ring "
			"buffer full; raise --buffer-size)\n",
			(unsigned long long)lost);
		warnx("lost %llu event(s): the ring buffer was full",
		      (unsigned long long)lost);
	}
	if (r->targets)
		fprintf(r->out, "# tapline-record: %llu event(s) of other "
			"processes dropped (pid filter of the recorder; %llu "
			"thread(s) and process(es) followed)\n",
			(unsigned long long)r->dropped,
			(unsigned long long)r->followed);
	else
		fprintf(r->out, "# tapline-record: pid filter of the kernel "
			"(set_event_pid, event-fork)\n");
	if (r->errno_track)
		fprintf(r->out, "# tapline-record: %llu errno store(s) seen "
			"(%llu of them 0)\n", (unsigned long long)r->errno_stores,
			(unsigned long long)r->errno_zero_stores);
	if (r->malformed_pages)
		warnx("%llu malformed buffer page(s) skipped",
		      (unsigned long long)r->malformed_pages);
	if (r->tgid_unknown)
		warnx("%llu thread(s) exited before their events were read and "
		      "the kernel had no note of their process: their pid "
		      "column is the thread id", (unsigned long long)r->tgid_unknown);
	if (fflush(r->out) != 0 || r->out_failed) {
		if (!(stop_signal && errno == EPIPE))
			warnx("writing records: %s", strerror(errno));
	}
	if (!opt->quiet)
		fprintf(stderr, "tapline record: %llu event(s) recorded\n",
			(unsigned long long)r->recorded);
	rc = 0;
	if (opt->command) {
		if (r->child > 0 && stop_signal) {
			rc = 128 + stop_signal;
		} else if (r->child < 0) {
			rc = WIFEXITED(status) ? WEXITSTATUS(status) :
			     128 + WTERMSIG(status);
		}
	} else if (stop_signal) {
		rc = 0;	/* stopping with Ctrl-C is how -p ends */
	}
out:
	teardown(r);
	if (r->go_pipe >= 0)
		close(r->go_pipe);	/* the held child exits 127 */
	if (r->child > 0 && rc == 1) {
		waitpid(r->child, NULL, 0);
	}
	if (r->out && r->out != stdout)
		fclose(r->out);
	free(r->page);
	free(r->pend);
	free(r->arena);
	errno_track_free(r->errno_track);
	free(r->targets);
	free(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* --list                                                              */

int recorder_list(const struct recorder_options *opt, FILE *out)
{
	for (size_t i = 0; i < probe_def_count(); i++) {
		const struct probe_def *pd = probe_def_at(i);
		bool exact;
		if (opt->npatterns && !selected(opt, pd->name, &exact))
			continue;
		fprintf(out, "%-26s %s\n", pd->name, pd->summary);
		fprintf(out, "    %s:", pd->ret_fetch ? "entry" : "event");
		for (unsigned a = 0; a < PROBE_MAX_ARGS && pd->args[a].name; a++)
			if (pd->args[a].fmt != PF_HIDDEN)
				fprintf(out, " %s", pd->args[a].name);
		if (pd->ret_fetch)
			fprintf(out, "\n    return: ret");
		fputc('\n', out);
		char lib[4096], err[512];
		if (find_library(opt, opt->pid, pd->library, lib, sizeof(lib))) {
			fprintf(out, "    at: %s (not found)\n", pd->library);
			continue;
		}
		struct elfsym_file *ef = elfsym_open(lib, err, sizeof(err));
		for (unsigned s = 0; s < PROBE_MAX_SYMBOLS && pd->symbols[s]; s++) {
			struct elfsym syms[4];
			size_t n = ef ? elfsym_find_all(ef, pd->symbols[s], syms,
							4, err, sizeof(err)) : 0;
			if (!n)
				fprintf(out, "    at: %s %s (missing)\n", lib,
					pd->symbols[s]);
			for (size_t v = 0; v < n; v++) {
				fprintf(out, "    at: %s:0x%llx %s%s%s\n", lib,
					(unsigned long long)syms[v].file_offset,
					pd->symbols[s],
					syms[v].version[0] ? "@" : "",
					syms[v].version);
				char fetch[PROBE_MAX_ARGS][96], note[200];
				resolve_fetchargs(ef, pd, syms[v].value, fetch,
						  note, sizeof(note));
				fprintf(out, "    args: %s:", note);
				for (unsigned a = 0; a < PROBE_MAX_ARGS &&
				     pd->args[a].name; a++)
					if (pd->args[a].array)
						fprintf(out, " %s=%s[%u]",
							pd->args[a].name,
							fetch[pd->args[a].array - 1],
							pd->args[a].elem);
					else if (pd->args[a].fmt != PF_HIDDEN)
						fprintf(out, " %s=%s",
							pd->args[a].name, fetch[a]);
				fputc('\n', out);
			}
		}
		elfsym_close(ef);
	}
	return 0;
}
