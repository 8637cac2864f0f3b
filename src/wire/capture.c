/* capture.c - frames from pcap and pcapng files, also gzip-compressed
 * (found by the 1f 8b magic, not the name), and several files read as
 * one with frame numbers counted across them.  Classic pcap files are
 * read in place by pcap_file.c, the rest by libpcap.
 *
 * Several files are read in the order of their first frame's timestamp:
 * a shell glob sorts tcpdump -C's "cap cap1 cap10 cap2" wrongly, the
 * clock does not.
 */
#include "capture.h"
#include "pcap_file.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GZ_CHUNK (64 * 1024)

/* A FILE read through zlib (gzip, several members) or passed through
 * after a few already-consumed bytes (non-seekable input). */
struct unzip {
	FILE *in;
	bool own_in;
	bool gzip;
	bool in_eof;
	bool failed;
	bool stream_end;
	z_stream zs;
	uint8_t buf[GZ_CHUNK];
	size_t prefix_len, prefix_pos;	/* plain: bytes read ahead */
};

static ssize_t unzip_read(void *cookie, char *out, size_t size)
{
	struct unzip *u = cookie;
	if (u->failed)
		return -1;
	if (!u->gzip) {
		size_t n = 0;
		while (u->prefix_pos < u->prefix_len && n < size)
			out[n++] = (char)u->buf[u->prefix_pos++];
		if (n < size)
			n += fread(out + n, 1, size - n, u->in);
		if (n == 0 && ferror(u->in))
			return -1;
		return (ssize_t)n;
	}
	u->zs.next_out = (Bytef *)out;
	u->zs.avail_out = (uInt)(size > UINT32_MAX ? UINT32_MAX : size);
	while (u->zs.avail_out > 0) {
		if (u->zs.avail_in == 0 && !u->in_eof) {
			size_t got = fread(u->buf, 1, sizeof u->buf, u->in);
			if (got == 0) {
				u->in_eof = true;
				if (ferror(u->in)) {
					u->failed = true;
					break;
				}
			}
			u->zs.next_in = u->buf;
			u->zs.avail_in = (uInt)got;
		}
		if (u->stream_end) {
			/* Another gzip member follows (cat a.gz b.gz). */
			if (u->zs.avail_in == 0)
				break;
			if (inflateReset(&u->zs) != Z_OK) {
				u->failed = true;
				break;
			}
			u->stream_end = false;
		}
		if (u->zs.avail_in == 0 && u->in_eof)
			break;	/* a truncated .gz ends here; pcap reports it */
		int rc = inflate(&u->zs, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			u->stream_end = true;
		} else if (rc == Z_BUF_ERROR) {
			if (u->in_eof)
				break;
		} else if (rc != Z_OK) {
			u->failed = true;
			break;
		}
	}
	size_t produced = size - u->zs.avail_out;
	if (produced == 0 && u->failed)
		return -1;
	return (ssize_t)produced;
}

static int unzip_close(void *cookie)
{
	struct unzip *u = cookie;
	if (u->gzip)
		inflateEnd(&u->zs);
	if (u->own_in)
		fclose(u->in);
	free(u);
	return 0;
}

/* Wraps `in` (whose first `n` bytes, already read, are `head`) in a
 * stream that yields the decompressed or the original bytes. */
static FILE *unzip_open(FILE *in, bool own_in, const uint8_t *head, size_t n,
			bool gzip)
{
	/* Not calloc: the buffer needs no clearing, only what precedes it
	 * (the buffer is most of the struct). */
	struct unzip *u = malloc(sizeof *u);
	if (!u)
		return NULL;
	memset(u, 0, offsetof(struct unzip, buf));
	u->prefix_len = u->prefix_pos = 0;
	u->in = in;
	u->own_in = own_in;
	u->gzip = gzip;
	memcpy(u->buf, head, n);
	if (gzip) {
		u->zs.next_in = u->buf;
		u->zs.avail_in = (uInt)n;
		/* 15 + 32: zlib or gzip header, detected by zlib. */
		if (inflateInit2(&u->zs, 15 + 32) != Z_OK) {
			free(u);
			return NULL;
		}
	} else {
		u->prefix_len = n;
	}
	cookie_io_functions_t io = { .read = unzip_read, .close = unzip_close };
	FILE *f = fopencookie(u, "rb", io);
	if (!f) {
		if (gzip)
			inflateEnd(&u->zs);
		free(u);
	}
	return f;
}

int64_t capture_time_ns(int64_t sec, int64_t ns)
{
	int64_t t;
	if (__builtin_mul_overflow(sec, (int64_t)1000000000, &t) ||
	    __builtin_add_overflow(t, ns, &t))
		return sec < 0 ? -CAPTURE_TIME_LIMIT : CAPTURE_TIME_LIMIT;
	return t < -CAPTURE_TIME_LIMIT ? -CAPTURE_TIME_LIMIT :
	       t > CAPTURE_TIME_LIMIT ? CAPTURE_TIME_LIMIT : t;
}

/* One open capture file: read in place, or by libpcap. */
struct source {
	struct pcap_file *file;
	pcap_t *pcap;
};

static void source_close(struct source *s)
{
	if (s->file)
		pcap_file_close(s->file);
	if (s->pcap)
		pcap_close(s->pcap);
	s->file = NULL;
	s->pcap = NULL;
}

static bool source_open(const struct source *s)
{
	return s->file || s->pcap;
}

static int source_linktype(const struct source *s)
{
	return s->file ? pcap_file_linktype(s->file) : pcap_datalink(s->pcap);
}

/* 1: a frame (ts_ns, data, caplen, wirelen filled); 0: end; -1: error,
 * then *why says what. */
static int source_next(struct source *s, struct capture_frame *frame,
		       const char **why)
{
	if (s->file) {
		struct pcap_file_frame pff;
		int rc = pcap_file_next(s->file, &pff);
		if (rc == 1) {
			frame->ts_ns = pff.ts_ns;
			frame->data = pff.data;
			frame->caplen = pff.caplen;
			frame->wirelen = pff.wirelen;
		} else if (rc < 0) {
			*why = pcap_file_error(s->file);
		}
		return rc;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(s->pcap, &h, &data);
	if (rc == 1) {
		frame->ts_ns = capture_time_ns(h->ts.tv_sec, h->ts.tv_usec);
		frame->data = data;
		frame->caplen = h->caplen;
		frame->wirelen = h->len;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	*why = pcap_geterr(s->pcap);
	return -1;
}

/* Opens one capture from `in` (taken over: closed on all paths). */
static bool open_stream(FILE *in, const char *name, char *err,
			size_t errlen, struct source *src)
{
	uint8_t head[2];
	size_t n = fread(head, 1, sizeof head, in);
	bool gzip = n == 2 && head[0] == 0x1f && head[1] == 0x8b;
	FILE *fp = in;
	if (gzip || fseek(in, 0, SEEK_SET) != 0) {
		fp = unzip_open(in, true, head, n, gzip);
		if (!fp) {
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			fclose(in);
			return false;
		}
	}
	uint8_t file_head[24];
	size_t got = fread(file_head, 1, sizeof file_head, fp);
	if (got == sizeof file_head &&
	    (src->file = pcap_file_open(fp, file_head)))
		return true;
	/* libpcap reads the file from its first byte again: seek back, or
	 * put the bytes read in front of the rest. */
	if (fp == in) {
		if (fseek(fp, 0, SEEK_SET) != 0) {
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			fclose(fp);
			return false;
		}
	} else {
		FILE *again = unzip_open(fp, true, file_head, got, false);
		if (!again) {
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			fclose(fp);
			return false;
		}
		fp = again;
	}
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(
		fp, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
	src->pcap = p;
	if (!p) {
		if (n == 0)
			snprintf(err, errlen, "%s: empty file, not a capture",
				 name);
		else
			snprintf(err, errlen, "%s: not a pcap or pcapng capture%s (%s)",
				 name, gzip ? " inside the gzip data" : "",
				 pcap_err);
		fclose(fp);
	}
	return p != NULL;
}

static bool open_path(const char *path, char *err, size_t errlen,
		      struct source *src)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!in) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	return open_stream(in, strcmp(path, "-") ? path : "(stdin)", err,
			   errlen, src);
}

struct capture {
	char **paths;
	size_t n;
	size_t *order;		/* indices into paths, reading order */
	size_t pos;		/* next entry of order to open */
	struct source src;	/* the file being read, if open */
	size_t cur;		/* its index into paths */
	int linktype;
	uint64_t number;
	char err[PCAP_ERRBUF_SIZE + 512];
};

struct first_ts {
	size_t index;
	int64_t ts;
};

static int by_first_ts(const void *a, const void *b)
{
	const struct first_ts *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

void capture_close(struct capture *cap)
{
	if (!cap)
		return;
	source_close(&cap->src);
	for (size_t i = 0; i < cap->n; i++)
		free(cap->paths[i]);
	free(cap->paths);
	free(cap->order);
	free(cap);
}

struct capture *capture_open(const char *const *paths, size_t n, char *err,
			     size_t errlen)
{
	if (n == 0) {
		snprintf(err, errlen, "no capture file given");
		return NULL;
	}
	struct capture *cap = calloc(1, sizeof *cap);
	struct first_ts *firsts = calloc(n, sizeof *firsts);
	if (!cap || !firsts)
		goto nomem;
	cap->paths = calloc(n, sizeof *cap->paths);
	cap->order = calloc(n, sizeof *cap->order);
	if (!cap->paths || !cap->order)
		goto nomem;
	cap->n = n;
	for (size_t i = 0; i < n; i++) {
		if (!(cap->paths[i] = strdup(paths[i])))
			goto nomem;
		cap->order[i] = i;
	}
	if (n == 1) {
		/* One file (maybe stdin): open it now to report errors early,
		 * and keep it open. */
		if (!open_path(paths[0], err, errlen, &cap->src))
			goto fail;
		cap->cur = 0;
		cap->pos = 1;
		cap->linktype = source_linktype(&cap->src);
		free(firsts);
		return cap;
	}
	/* Several: check each one and order them by their first frame. */
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(paths[i], "-")) {
			snprintf(err, errlen,
				 "-: standard input must be the only capture");
			goto fail;
		}
		struct source s = { 0 };
		if (!open_path(paths[i], err, errlen, &s))
			goto fail;
		struct capture_frame first;
		const char *why;
		firsts[i].index = i;
		firsts[i].ts = source_next(&s, &first, &why) == 1 ?
			       first.ts_ns : INT64_MAX;
		source_close(&s);
	}
	qsort(firsts, n, sizeof *firsts, by_first_ts);
	for (size_t i = 0; i < n; i++)
		cap->order[i] = firsts[i].index;
	free(firsts);
	return cap;
nomem:
	snprintf(err, errlen, "out of memory opening %zu captures", n);
fail:
	free(firsts);
	capture_close(cap);
	return NULL;
}

/* Only for harnesses: one capture from an open stream (taken over). */
struct capture *capture_open_file(FILE *in, const char *name, char *err,
				  size_t errlen)
{
	struct capture *cap = calloc(1, sizeof *cap);
	if (cap) {
		cap->paths = calloc(1, sizeof *cap->paths);
		cap->order = calloc(1, sizeof *cap->order);
	}
	if (!cap || !cap->paths || !cap->order ||
	    !(cap->paths[0] = strdup(name))) {
		snprintf(err, errlen, "out of memory");
		fclose(in);
		capture_close(cap);
		return NULL;
	}
	cap->n = 1;
	if (!open_stream(in, name, err, errlen, &cap->src)) {
		capture_close(cap);
		return NULL;
	}
	cap->pos = 1;
	cap->linktype = source_linktype(&cap->src);
	return cap;
}

int capture_next(struct capture *cap, struct capture_frame *frame)
{
	for (;;) {
		if (!source_open(&cap->src)) {
			if (cap->pos >= cap->n)
				return 0;
			cap->cur = cap->order[cap->pos++];
			if (!open_path(cap->paths[cap->cur], cap->err,
				       sizeof cap->err, &cap->src))
				return -1;
			cap->linktype = source_linktype(&cap->src);
		}
		const char *why = NULL;
		int rc = source_next(&cap->src, frame, &why);
		if (rc == 1) {
			frame->number = ++cap->number;
			frame->linktype = cap->linktype;
			frame->file_index = (unsigned)cap->cur;
			return 1;
		}
		const char *name = cap->paths[cap->cur];
		if (!strcmp(name, "-"))
			name = "(stdin)";
		if (rc < 0)
			snprintf(cap->err, sizeof cap->err, "%s: %s", name,
				 why);
		source_close(&cap->src);
		if (rc < 0)
			return -1;
	}
}

const char *capture_error(const struct capture *cap)
{
	return cap->err[0] ? cap->err : "no error";
}
