/* wire_flows.c - prints, for every TCP connection in the captures, the
 * payload bytes reassembled per direction:
 *
 *	ADDR:PORT ADDR:PORT BYTES GAPS
 *
 * one line per direction that carried data, through a protocol that
 * accepts any bytes.  tests/wire-tshark-follow.sh compares this with
 * tshark's "follow,tcp,raw" (an independent reassembler). */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/capture.h"
#include "wire/decoder.h"
#include "wire/stream.h"

struct count {
	uint64_t bytes, gaps;
};

static enum detect_verdict any_detect(const uint8_t *data, size_t len,
				      bool at_start)
{
	return DETECT_YES;
}

static void any_feed(struct stream_dir *dir, const uint8_t *data, size_t len,
		     const struct frame_ref *frame)
{
	((struct count *)dir->proto_state)->bytes += len;
}

static void any_gap(struct stream_dir *dir, uint64_t missing,
		    const struct frame_ref *frame)
{
	((struct count *)dir->proto_state)->gaps++;
}

static void print_endpoint(const struct endpoint *e)
{
	char text[INET6_ADDRSTRLEN];
	inet_ntop(e->family == 6 ? AF_INET6 : AF_INET, e->addr, text,
		  sizeof text);
	printf("%s:%u", text, e->port);
}

static void any_close(struct stream_dir *dir, const struct frame_ref *frame)
{
	struct count *c = dir->proto_state;
	if (!c->bytes)
		return;
	print_endpoint(&dir->src);
	printf(" ");
	print_endpoint(&dir->dst);
	printf(" %" PRIu64 " %" PRIu64 "\n", c->bytes, c->gaps);
}

static const struct stream_proto any_proto = {
	.name = "any",
	.detect = any_detect,
	.state_size = sizeof(struct count),
	.feed = any_feed,
	.gap = any_gap,
	.close = any_close,
};
static const struct stream_proto *const protos[] = { &any_proto };

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: wire_flows CAPTURE...\n");
		return 2;
	}
	char err[1024];
	struct capture *cap = capture_open((const char *const *)argv + 1,
					   (size_t)argc - 1, err, sizeof err);
	if (!cap) {
		fprintf(stderr, "wire_flows: %s\n", err);
		return 1;
	}
	struct decoder *d = decoder_new(NULL, NULL, NULL);
	decoder_set_protocols(d, protos, 1);
	struct capture_frame f;
	int rc;
	while ((rc = capture_next(cap, &f)) != 0) {
		if (rc < 0)
			fprintf(stderr, "wire_flows: %s\n", capture_error(cap));
		else
			decoder_frame(d, &f);
	}
	decoder_finish(d);
	if (getenv("WIRE_FLOWS_STATS"))
		decoder_print_stats(decoder_stats(d), stderr);
	decoder_free(d);
	capture_close(cap);
	return 0;
}
