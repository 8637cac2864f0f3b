/* scylla_frames.c - prints every ScyllaDB RPC frame the framing layer
 * (src/proto/scylla/framing.c) finds in captures, one line each:
 *
 *	FRAME first=F conn=N src=IP:PORT dst=IP:PORT kind=K [key=value...]
 *
 * through the wire decoder's reassembly, the frames of every TCP
 * connection whose first bytes look like Seastar RPC (any port).
 * tests/scylla-frames.sh compares these lines with what the traffic
 * generator logged it sent. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/registry.h"
#include "proto/scylla/compress.h"
#include "proto/scylla/framing.h"
#include "proto/scylla/negotiation.h"
#include "proto/scylla/verbs.h"
#include "wire/capture.h"
#include "wire/decoder.h"
#include "wire/stream.h"

static size_t max_keep = 1u << 20;

/* Connections are told as tapline tells them: the Scylla protocol's
 * own detection, through the registry. */
static enum detect_verdict scylla_detect(const uint8_t *data, size_t len,
					 bool at_start)
{
	static const struct stream_proto *scylla;
	if (!scylla)
		scylla = protocol_find("scylla")->stream;
	return scylla->detect(data, len, at_start);
}

static const char *kind_name(unsigned k)
{
	static const char *const names[] = { "negotiation", "request",
					     "response", "exception",
					     "stream", "stream-eos",
					     "compressed" };
	return k < sizeof names / sizeof *names ? names[k] : "?";
}

static void on_frame(void *ctx, const struct scylla_frame *f,
		     const struct frame_ref *last)
{
	struct stream_dir *dir = ctx;
	char src[ENDPOINT_TEXT_SIZE], dst[ENDPOINT_TEXT_SIZE];
	int srclen = (int)endpoint_text(src, &dir->src);
	int dstlen = (int)endpoint_text(dst, &dir->dst);
	printf("%" PRIu64 " first=%" PRIu64 " conv=%" PRIu64
	       " src=%.*s dst=%.*s kind=%s", last->number, f->first_frame,
	       dir->conversation, srclen, src, dstlen, dst,
	       kind_name(f->kind));
	if (f->kind == SCYLLA_FRAME_NEGOTIATION && f->features &&
	    !f->malformed && !f->truncated) {
		const struct scylla_features *ft = f->features;
		printf(" len=%" PRIu64 " features=", f->wire_len - 12);
		const char *sep = "";
		for (unsigned n = 0; n < SCYLLA_FEAT_KNOWN; n++) {
			if (!(ft->mask & SCYLLA_FEAT_BIT(n)))
				continue;
			printf("%s%s", sep, scylla_feature_name(n));
			if (n == SCYLLA_FEAT_COMPRESS)
				printf("(%s)", ft->compress);
			else if (n == SCYLLA_FEAT_ISOLATION)
				printf("(%s)", ft->cookie);
			else if (n == SCYLLA_FEAT_CONNECTION_ID)
				printf("(%" PRIu64 ")", ft->connection_id);
			else if (n == SCYLLA_FEAT_STREAM_PARENT)
				printf("(%" PRIu64 ")", ft->stream_parent);
			sep = ",";
		}
		if (!*sep)
			printf("-");
	} else if (f->kind == SCYLLA_FRAME_REQUEST) {
		printf(" verb=%" PRIu64 " msg_id=%" PRId64, f->h.verb,
		       f->h.msg_id);
		if (f->h.has_timeout)
			printf(" timeout=%" PRIu64, f->h.timeout_ms);
		else
			printf(" timeout=none");
		printf(" len=%" PRIu32, f->h.body_len);
	} else if (f->kind == SCYLLA_FRAME_RESPONSE ||
		   f->kind == SCYLLA_FRAME_EXCEPTION) {
		printf(" msg_id=%" PRId64, f->h.msg_id);
		if (f->h.has_duration)
			printf(" handler_duration=%" PRIu32, f->h.duration_us);
		else
			printf(" handler_duration=none");
		printf(" len=%" PRIu32, f->h.body_len);
	} else if (f->kind == SCYLLA_FRAME_STREAM) {
		printf(" len=%" PRIu32, f->h.body_len);
	}
	if (f->compression)
		printf(" compress=%s", scylla_compression_name(f->compression));
	printf(" wire=%" PRIu64, f->wire_len);
	if (f->malformed)
		printf(" malformed=\"%s\"", f->why ? f->why : "");
	if (f->not_decoded)
		printf(" not-decoded=\"%s\"", f->why ? f->why : "");
	if (f->truncated)
		printf(" truncated");
	if (f->elided)
		printf(" elided");
	if (f->after_gap)
		printf(" after-gap");
	if (f->guessed)
		printf(" guessed");
	if (f->skipped)
		printf(" skipped=%" PRIu64, f->skipped);
	printf("\n");
}

struct dir_state {
	struct scylla_reader reader;
};

static void feed(struct stream_dir *dir, const uint8_t *data, size_t len,
		 const struct frame_ref *frame)
{
	struct dir_state *s = dir->proto_state;
	scylla_reader_feed(&s->reader, dir->conn_state, dir->client_to_server,
			   max_keep, data, len, frame, on_frame, dir);
}

static void gap(struct stream_dir *dir, uint64_t missing,
		const struct frame_ref *frame)
{
	struct dir_state *s = dir->proto_state;
	scylla_reader_break(&s->reader, dir->conn_state, dir->client_to_server,
			    max_keep, frame, true, missing, on_frame, dir);
}

static void close_dir(struct stream_dir *dir, const struct frame_ref *frame)
{
	struct dir_state *s = dir->proto_state;
	scylla_reader_break(&s->reader, dir->conn_state, dir->client_to_server,
			    max_keep, frame, false, 0, on_frame, dir);
}

static void destroy(struct stream_dir *dir)
{
	struct dir_state *s = dir->proto_state;
	scylla_reader_free(&s->reader);
}

static const struct stream_proto scylla_frames_proto = {
	.name = "scylla-frames",
	.detect = scylla_detect,
	.state_size = sizeof(struct dir_state),
	.conn_state_size = sizeof(struct scylla_conn),
	.feed = feed,
	.gap = gap,
	.close = close_dir,
	.destroy = destroy,
};
static const struct stream_proto *const protos[] = { &scylla_frames_proto };

static void ignore(void *user, const struct message *m) {}

int main(int argc, char **argv)
{
	int first = 1;
	if (argc > 2 && !strcmp(argv[1], "--keep")) {
		max_keep = strtoul(argv[2], NULL, 10);
		first = 3;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: scylla_frames [--keep BYTES] "
			"CAPTURE...\n");
		return 2;
	}
	char err[1024];
	struct capture *cap = capture_open((const char *const *)argv + first,
					   (size_t)(argc - first), err,
					   sizeof err);
	if (!cap) {
		fprintf(stderr, "scylla_frames: %s\n", err);
		return 1;
	}
	struct decoder_options opts;
	decoder_default_options(&opts);
	struct decoder *d = decoder_new(&opts, ignore, NULL);
	decoder_set_protocols(d, protos, 1);
	struct capture_frame f;
	int rc, status = 0;
	while ((rc = capture_next(cap, &f)) != 0) {
		if (rc < 0) {
			fprintf(stderr, "scylla_frames: %s\n",
				capture_error(cap));
			status = 1;
		} else {
			decoder_frame(d, &f);
		}
	}
	decoder_finish(d);
	decoder_free(d);
	capture_close(cap);
	return status;
}
