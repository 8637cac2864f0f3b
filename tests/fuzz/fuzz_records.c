/* fuzz_records.c - libFuzzer entry for the probe record reader
 * (correlate/records.c): arbitrary bytes as a whole record file, read
 * through records_open() (then records_reopen(), which must leave nothing
 * of the previous input behind) so that line splitting, the 64 KiB line
 * bound, headers, escapes and values are all exercised.  Record files come from
 * other machines and other tools: they are as untrusted as packets. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One memory file and one reader for every input: the reader is about
 * 1 MiB, and making it cost more than reading most inputs. */
static int fd = -1;
static struct record_reader *reader;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("fuzz-records", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0)
		abort();
	size_t done = 0;
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	char err[256];
	bool opened = reader ? records_reopen(reader, path, NULL, err,
					      sizeof err)
			     : (reader = records_open(path, NULL, err,
						      sizeof err)) != NULL;
	if (!opened)
		abort();	/* the memory file is there: it must open */
	struct record rec;
	volatile uint64_t sink = 0;
	while (records_next(reader, &rec) == 1) {
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
	return 0;
}
