/* decode_bench.c - the decoder's side of bench/decode-bench.sh.
 *
 *	decode_bench [--bare | --fields] [--stats] CAPTURE...
 *
 * default: the whole wire decoder (reassembly, RPC, GlusterFS) with a
 *          consumer that only counts messages;
 * --fields: also writes rpc.xid per RPC message to stdout, as
 *          `tshark -T fields -e rpc.xid` does;
 * --bare:  a plain pcap_next_ex loop over the same files (the floor
 *          every pcap reader pays);
 * --wire-only: capture, link, IP, TCP and reassembly, no protocol (what
 *          the wire layers cost by themselves).
 * Prints "frames N messages N" on stderr; --stats adds the counters. */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/capture.h"
#include "wire/decoder.h"
#include "proto/registry.h"

static uint64_t messages;

static void count(void *user, const struct message *m)
{
	messages++;
}

static void fields(void *user, const struct message *m)
{
	char text[16], *p = text + sizeof text;
	messages++;
	*--p = '\n';
	if (m->exchange.has_id) {
		uint64_t v = m->exchange.id;
		do
			*--p = (char)('0' + v % 10);
		while (v /= 10);
	}
	fwrite(p, 1, (size_t)(text + sizeof text - p), stdout);
}

static int bare(char **paths, int n)
{
	uint64_t frames = 0, bytes = 0;
	for (int i = 0; i < n; i++) {
		char err[PCAP_ERRBUF_SIZE];
		pcap_t *p = pcap_open_offline_with_tstamp_precision(
			paths[i], PCAP_TSTAMP_PRECISION_NANO, err);
		if (!p) {
			fprintf(stderr, "decode_bench: %s\n", err);
			return 1;
		}
		struct pcap_pkthdr *h;
		const u_char *data;
		while (pcap_next_ex(p, &h, &data) == 1) {
			frames++;
			bytes += h->caplen + data[0];
		}
		pcap_close(p);
	}
	fprintf(stderr, "frames %" PRIu64 " bytes %" PRIu64 "\n", frames, bytes);
	return 0;
}

int main(int argc, char **argv)
{
	bool want_bare = false, want_fields = false, want_stats = false;
	bool wire_only = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--bare"))
			want_bare = true;
		else if (!strcmp(argv[i], "--fields"))
			want_fields = true;
		else if (!strcmp(argv[i], "--stats"))
			want_stats = true;
		else if (!strcmp(argv[i], "--wire-only"))
			wire_only = true;
		else {
			fprintf(stderr, "usage: decode_bench [--bare|--wire-only|--fields] [--stats] CAPTURE...\n");
			return 2;
		}
	}
	if (i == argc) {
		fprintf(stderr, "usage: decode_bench [--bare|--wire-only|--fields] [--stats] CAPTURE...\n");
		return 2;
	}
	if (want_bare)
		return bare(argv + i, argc - i);
	static char out[1 << 16];
	setvbuf(stdout, out, _IOFBF, sizeof out);
	char err[1024];
	struct capture *cap = capture_open((const char *const *)argv + i,
					   (size_t)(argc - i), err, sizeof err);
	if (!cap) {
		fprintf(stderr, "decode_bench: %s\n", err);
		return 1;
	}
	struct decoder_options opts;
	registry_decoder_options(&opts);
	struct decoder *d = decoder_new(&opts, want_fields ? fields : count,
					NULL);
	if (wire_only)
		decoder_set_protocols(d, NULL, 0);
	struct capture_frame f;
	int rc;
	while ((rc = capture_next(cap, &f)) != 0) {
		if (rc < 0)
			fprintf(stderr, "decode_bench: %s\n", capture_error(cap));
		else
			decoder_frame(d, &f);
	}
	decoder_finish(d);
	const struct decoder_stats *s = decoder_stats(d);
	fprintf(stderr, "frames %" PRIu64 " messages %" PRIu64 "\n", s->frames,
		messages);
	if (want_stats)
		decoder_print_stats(s, stderr);
	decoder_free(d);
	capture_close(cap);
	return 0;
}
