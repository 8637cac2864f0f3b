/* fuzz_records.c - libFuzzer entry for the probe record reader
 * (correlate/records.c): arbitrary bytes as a whole record file, read
 * through records_open() so that line splitting, the 64 KiB line bound,
 * headers, escapes and values are all exercised.  Record files come from
 * other machines and other tools: they are as untrusted as packets. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-records", 0);
	if (fd < 0)
		return 0;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	char path[64], err[256];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct record_reader *r = records_open(path, NULL, err, sizeof err);
	if (r) {
		struct record rec;
		volatile uint64_t sink = 0;
		while (records_next(r, &rec) == 1) {
			if (rec.kind != RECORD_EVENT)
				continue;
			/* Touch what a consumer touches: every value. */
			const struct record_event *ev = &rec.event;
			sink += ev->pid + ev->comm_len + ev->nvalues;
			for (size_t i = 0; i < ev->nvalues; i++)
				sink += ev->values[i].len + (uint64_t)ev->values[i].i;
			sink += record_find(ev, "xid") != NULL;
		}
		(void)sink;
		records_close(r);
	}
	close(fd);
	return 0;
}
