/* pcap_file_test.c - the in-place pcap reader (src/wire/pcap_file.c, through
 * capture_open) against libpcap's pcap_next_ex, the independent oracle:
 * on a real lab capture and on variants of it written here (the other
 * byte order, nanosecond timestamps, a small or zero snapshot length,
 * an absurd record length, files cut inside a record header and inside
 * a record's data, gzip-compressed), both must give the same frames --
 * time, lengths, bytes -- and stop at the same place with the same
 * complaint. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wire/capture.h"
#include "tap.h"

static char tmpdir[256];

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc((size_t)n);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

static const char *spill(const char *name, const uint8_t *p, size_t len)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f))
		return NULL;
	return path;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Offsets of the record headers of a little-endian pcap in p. */
static size_t records(const uint8_t *p, size_t len, size_t *off, size_t max)
{
	size_t n = 0, o = 24;
	while (o + 16 <= len && n < max) {
		off[n++] = o;
		o += 16 + get32(p + o + 8);
	}
	return n;
}

/* Reads `path` both ways; returns the number of disagreements (each
 * reported as a TAP diagnostic) and counts the frames. */
static int compare(const char *path, const char *what, uint64_t *frames)
{
	char err[PCAP_ERRBUF_SIZE + 512];
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, perr);
	const char *paths[] = { path };
	struct capture *cap = capture_open(paths, 1, err, sizeof err);
	*frames = 0;
	if (!p || !cap) {
		int same = !p && !cap;
		if (!same)
			printf("# %s: libpcap %s, tapline %s\n", what,
			       p ? "opens it" : perr, cap ? "opens it" : err);
		if (p)
			pcap_close(p);
		capture_close(cap);
		return !same;
	}
	int bad = 0;
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int prc = pcap_next_ex(p, &h, &data);
		struct capture_frame f;
		int crc = capture_next(cap, &f);
		if (prc == 1 && crc == 1) {
			int64_t ts = capture_time_ns(h->ts.tv_sec, h->ts.tv_usec);
			if (ts != f.ts_ns || h->caplen != f.caplen ||
			    h->len != f.wirelen ||
			    memcmp(data, f.data, f.caplen)) {
				if (bad++ < 3)
					printf("# %s: frame %llu differs\n", what,
					       (unsigned long long)f.number);
			}
			(*frames)++;
			continue;
		}
		if (prc == PCAP_ERROR_BREAK && crc == 0)
			break;
		if (prc == PCAP_ERROR && crc < 0) {
			/* ours is "path: <libpcap's words>" */
			const char *ours = capture_error(cap);
			const char *theirs = pcap_geterr(p);
			size_t a = strlen(ours), b = strlen(theirs);
			if (a < b || strcmp(ours + a - b, theirs)) {
				printf("# %s: errors differ: '%s' vs '%s'\n",
				       what, ours, theirs);
				bad++;
			}
			break;
		}
		printf("# %s: after %llu frames libpcap says %d, tapline %d\n",
		       what, (unsigned long long)*frames, prc, crc);
		bad++;
		break;
	}
	pcap_close(p);
	capture_close(cap);
	return bad;
}

static void check(const char *name, const uint8_t *p, size_t len,
		  const char *what)
{
	const char *path = spill(name, p, len);
	uint64_t frames = 0;
	int bad = path ? compare(path, what, &frames) : 1;
	ok(bad == 0, "%s: the same as libpcap (%llu frames)", what,
	   (unsigned long long)frames);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char src[512];
	snprintf(src, sizeof src, "%s/tests/captures/gfapi-utimens.pcap",
		 top ? top : ".");
	size_t len;
	uint8_t *orig = slurp(src, &len);
	if (!orig || len < 24 + 16 || get32(orig) != 0xa1b2c3d4) {
		printf("not ok 1 - %s: a little-endian microsecond pcap\n", src);
		return 1;
	}
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pcap_file_test.XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	size_t off[100000];
	size_t n = records(orig, len, off, 100000);
	ok(n > 10, "the lab capture has records (%zu)", n);
	uint8_t *v = malloc(len);

	check("orig.pcap", orig, len, "the lab capture as is");

	/* the other byte order: every header field swapped */
	memcpy(v, orig, len);
	put32(v, 0xd4c3b2a1);
	for (int i = 4; i < 8; i += 2) {
		uint8_t t = v[i];
		v[i] = v[i + 1];
		v[i + 1] = t;
	}
	for (int i = 8; i < 24; i += 4)
		put32(v + i, __builtin_bswap32(get32(orig + i)));
	for (size_t r = 0; r < n; r++)
		for (int i = 0; i < 16; i += 4)
			put32(v + off[r] + i,
			      __builtin_bswap32(get32(orig + off[r] + i)));
	check("swapped.pcap", v, len, "big-endian file");

	/* nanosecond timestamps */
	memcpy(v, orig, len);
	put32(v, 0xa1b23c4d);
	for (size_t r = 0; r < n; r++)
		put32(v + off[r] + 4, get32(orig + off[r] + 4) * 1000 + 7);
	check("nano.pcap", v, len, "nanosecond file");

	/* a snapshot length smaller than the records, and zero */
	memcpy(v, orig, len);
	put32(v + 16, 60);
	check("snap60.pcap", v, len, "snapshot length 60");
	put32(v + 16, 0);
	check("snap0.pcap", v, len, "snapshot length 0");

	/* an absurd record length in the middle */
	memcpy(v, orig, len);
	put32(v + off[n / 2] + 8, 300000);
	check("huge.pcap", v, len, "a record claiming 300000 bytes");
	put32(v + off[n / 2] + 8, 0xffffffffu);
	check("huge2.pcap", v, len, "a record claiming 4 GiB");

	/* cut inside a record header, inside record data, after a record */
	check("cut-head.pcap", orig, off[n / 2] + 7, "cut in a record header");
	check("cut-data.pcap", orig, off[n / 2] + 16 + 3,
	      "cut in a record's data");
	check("cut-clean.pcap", orig, off[n / 2], "cut between records");
	check("cut-global.pcap", orig, 20, "cut in the file header");
	check("header-only.pcap", orig, 24, "the file header alone");

	/* version 2.3: left to libpcap (lengths may be swapped there) */
	memcpy(v, orig, len);
	v[6] = 3;
	check("v23.pcap", v, len, "pcap version 2.3");

	/* gzip-compressed: read through the inflating stream */
	char gzpath[512];
	snprintf(gzpath, sizeof gzpath, "%s/orig.pcap.gz", tmpdir);
	gzFile gz = gzopen(gzpath, "wb");
	ok(gz && gzwrite(gz, orig, (unsigned)len) == (int)len &&
	   gzclose(gz) == Z_OK, "gzip copy written");
	{
		const char *paths[] = { gzpath };
		char err[PCAP_ERRBUF_SIZE + 512];
		struct capture *cap = capture_open(paths, 1, err, sizeof err);
		pcap_t *p = pcap_open_offline_with_tstamp_precision(
			src, PCAP_TSTAMP_PRECISION_NANO, err);
		size_t same = 0, frames = 0;
		struct capture_frame f;
		struct pcap_pkthdr *h;
		const u_char *data;
		while (cap && p && capture_next(cap, &f) == 1 &&
		       pcap_next_ex(p, &h, &data) == 1) {
			frames++;
			int64_t ts = capture_time_ns(h->ts.tv_sec, h->ts.tv_usec);
			same += ts == f.ts_ns && h->caplen == f.caplen &&
				!memcmp(data, f.data, f.caplen);
		}
		ok(frames == n && same == n,
		   "gzip: %zu of %zu frames equal to libpcap's on the plain file",
		   same, n);
		capture_close(cap);
		if (p)
			pcap_close(p);
	}

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	free(v);
	free(orig);
	return tap_done();
}
