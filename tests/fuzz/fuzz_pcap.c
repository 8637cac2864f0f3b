/* fuzz_pcap.c - libFuzzer entry: bytes -> a capture file (pcap, pcapng,
 * or either gzip-compressed) -> the whole wire decoder with every
 * registered protocol, under small memory caps so eviction and forced
 * gaps run too.  Also replayed without libFuzzer by replay.c. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "decoder.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t sink;

static void consume(void *user, const struct message *m)
{
	/* Touch what a renderer would. */
	sink += m->frame + m->nfields + m->info_len + m->verdict;
	for (unsigned i = 0; i < m->nfields; i++)
		sink += m->fields[i].len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	char err[512];
	struct capture *cap = capture_open_file(f, "fuzz-input", err,
						sizeof err);
	if (!cap)
		return 0;
	struct decoder_options o;
	decoder_default_options(&o);
	o.max_flows = 8;
	o.max_flow_buffer = 64 * 1024;
	o.max_total_buffer = 256 * 1024;
	o.max_record = 64 * 1024;
	struct decoder *d = decoder_new(&o, consume, NULL);
	if (d) {
		struct capture_frame frame;
		while (capture_next(cap, &frame) == 1)
			decoder_frame(d, &frame);
		decoder_finish(d);
		decoder_free(d);
	}
	capture_close(cap);
	return 0;
}
