/* capture.h - reading captures: pcap and pcapng through libpcap, also
 * gzip-compressed, and several files read as one (tcpdump's rotated -C/-G
 * sets), frames numbered across all of them. */
#ifndef TAPLINE_CAPTURE_H
#define TAPLINE_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct capture_frame {
	uint64_t number;	/* 1-based across all files */
	int64_t ts_ns;		/* realtime ns since the epoch */
	int linktype;		/* DLT_* of the file the frame came from */
	const uint8_t *data;	/* valid until the next capture_next() */
	uint32_t caplen;	/* bytes captured */
	uint32_t wirelen;	/* bytes on the wire */
	unsigned file_index;	/* which of the paths */
};

struct capture;

/* Opens paths[0..n) to be read in order.  On failure returns NULL and
 * writes a message naming the file into err. */
struct capture *capture_open(const char *const *paths, size_t n, char *err,
			     size_t errlen);

/* sec * 1e9 + ns, held within +-(2^62 - 1) ns (years 1824..2116): a
 * hostile pcapng can carry any 64-bit time, and the difference of two
 * times (latencies, relative times) must still fit in an int64. */
#define CAPTURE_TIME_LIMIT INT64_C(4611686018427387903)
int64_t capture_time_ns(int64_t sec, int64_t ns);

/* 1: a frame; 0: end of all files; -1: error (capture_error() says why;
 * frames already read stay valid, and a truncated last file is an error
 * reported after its good frames). */
int capture_next(struct capture *cap, struct capture_frame *frame);
const char *capture_error(const struct capture *cap);
void capture_close(struct capture *cap);

/* Several files are read in the order of their first
 * frame's timestamp (tcpdump -C names sort wrongly as text); after an
 * error in one file, capture_next() goes on with the next.  "-" is
 * standard input (only as the one capture). */

/* One capture from an open stream, e.g. fmemopen() in the fuzz harness;
 * takes `in` over (closed by capture_close or on failure). */
struct capture *capture_open_file(FILE *in, const char *name, char *err,
				  size_t errlen);

#endif
