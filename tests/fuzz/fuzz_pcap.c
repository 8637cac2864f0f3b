/* fuzz_pcap.c - libFuzzer entry: bytes -> a capture file (pcap, pcapng,
 * or either gzip-compressed) -> the whole wire decoder with every
 * registered protocol, under small memory caps so eviction and forced
 * gaps run too.  Uncompressed input is also read by libpcap alone, and
 * tapline's frames (read in place from classic pcap by pcap_file.c) must
 * be libpcap's: any difference aborts.  A second decoder stores no
 * field, as for the summary lines: its messages must count the same
 * fields and arena bytes and say the same (summary, verdicts), or it
 * aborts.  Also replayed without libFuzzer by replay.c. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/capture.h"
#include "wire/decoder.h"
#include "proto/registry.h"
#include "wire/stream.h"
#include "small_decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t sink;

/* What a decoder's messages said, as the summary lines show it. */
struct digest {
	uint64_t hash, messages;
};

static void mix(struct digest *g, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		g->hash = (g->hash ^ b[i]) * 0x100000001b3ull;	/* FNV-1a */
}

static void digest_message(struct digest *g, const struct message *m)
{
	uint64_t facts[] = { m->frame, m->verdict, m->nfields, m->arena_used,
			     (uintptr_t)m->why, m->info_len };
	mix(g, facts, sizeof facts);
	mix(g, m->info, m->info_len);
	g->messages++;
}

static void consume(void *user, const struct message *m)
{
	/* Touch what a renderer would. */
	sink += m->frame + m->nfields + m->info_len + m->verdict;
	for (unsigned i = 0; i < m->nfields; i++)
		sink += m->fields[i].len;
	digest_message(user, m);
}

static void consume_lean(void *user, const struct message *m)
{
	digest_message(user, m);
}

/* The frames of capture_open_file and of pcap_next_ex, side by side. */
static void same_as_libpcap(const uint8_t *data, size_t size)
{
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		return;		/* libpcap cannot read gzip */
	FILE *a = fmemopen((void *)data, size, "rb");
	FILE *b = fmemopen((void *)data, size, "rb");
	if (!a || !b) {
		if (a)
			fclose(a);
		if (b)
			fclose(b);
		return;
	}
	char err[512], perr[PCAP_ERRBUF_SIZE];
	struct capture *cap = capture_open_file(a, "fuzz-input", err,
						sizeof err);
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(
		b, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (!p)
		fclose(b);
	if (!cap || !p) {
		if (!cap != !p)
			abort();	/* one opened it, the other did not */
		return;
	}
	for (;;) {
		struct capture_frame f;
		struct pcap_pkthdr *h;
		const u_char *bytes;
		int crc = capture_next(cap, &f);
		int prc = pcap_next_ex(p, &h, &bytes);
		if (crc != 1 || prc != 1) {
			/* both at the end, or both failing */
			if ((crc == 0) != (prc == PCAP_ERROR_BREAK))
				abort();
			break;
		}
		if (f.caplen != h->caplen || f.wirelen != h->len ||
		    f.ts_ns != capture_time_ns(h->ts.tv_sec, h->ts.tv_usec) ||
		    memcmp(f.data, bytes, f.caplen))
			abort();
	}
	capture_close(cap);
	pcap_close(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	same_as_libpcap(data, size);
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	char err[512];
	struct capture *cap = capture_open_file(f, "fuzz-input", err,
						sizeof err);
	if (!cap)
		return 0;
	static struct decoder *d, *lean;
	static struct digest full, fieldless;
	if (!d) {
		d = small_decoder_new(consume, &full, false);
		lean = small_decoder_new_with(consume_lean, &fieldless, false,
					      true);
	}
	full = fieldless = (struct digest){ 0xcbf29ce484222325ull, 0 };
	struct capture_frame frame;
	while (capture_next(cap, &frame) == 1) {
		decoder_frame(d, &frame);
		decoder_frame(lean, &frame);
	}
	decoder_finish(d);
	decoder_finish(lean);
	decoder_reset(d);
	decoder_reset(lean);
	capture_close(cap);
	if (full.hash != fieldless.hash || full.messages != fieldless.messages) {
		fprintf(stderr, "fuzz_pcap: %llu messages with fields, %llu "
			"without, and they differ\n",
			(unsigned long long)full.messages,
			(unsigned long long)fieldless.messages);
		abort();
	}
	return 0;
}
