/* fuzz_decode_output.c - libFuzzer entry: bytes -> a capture -> the wire
 * decoder in packet view -> every renderer of tapline decode (summary,
 * -V tree, JSON, -T fields with quoting), a display filter and every -z
 * report (conv,tcp from every segment), all written to a stream that
 * drops them, in a memory budget small enough that calls expire.  Hostile messages (odd strings, unbalanced trees,
 * full field tables) must render without a fault.  Also replayed without
 * libFuzzer by replay.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/capture.h"
#include "wire/decoder.h"
#include "present/filter.h"
#include "present/output.h"
#include "present/stats.h"
#include "proto/registry.h"
#include "small_decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sinks {
	struct output text, tree, json, fields;
	struct filter *filter;
	struct stats *stats;
	unsigned matched;
};

static void consume(void *user, const struct message *m)
{
	struct sinks *s = user;
	output_message(&s->text, m);
	output_message(&s->tree, m);
	output_message(&s->json, m);
	output_message(&s->fields, m);
	s->matched += filter_match(s->filter, m);
	stats_message(s->stats, m);
	/* every field defined in a registered table, of its kind */
	char why[256];
	if (!registry_check_message(m, why, sizeof why)) {
		fprintf(stderr, "frame %llu: %s\n",
			(unsigned long long)m->frame, why);
		abort();
	}
}

/* The decoder gave a request up (its memory budget, small here): the
 * unanswered reports mark it, as tapline decode does. */
static void expired(void *user, const struct decoder_expiry *e)
{
	struct sinks *s = user;
	stats_expired(s->stats, e->conversation, e->exchange_id, e->frame);
}

static const char *const columns[] = {
	"frame.number", "frame.time_epoch", "ip.addr", "tcp.port",
	"tcp.stream", "rpc.xid", "rpc.msgtyp", "rpc.procedure", "rpc.time",
	"rpc.repframe", "gluster.op_errno", "glusterfs.gfid",
	"glusterfs.bname", "glusterfs.dict.key", "glusterfs.dict.value",
	"rpc.auth.lk_owner", "tapline.verdict",
};

static const char *const reports[] = {
	"rpc,srt", "rpc,programs", "rpc,unanswered", "unanswered",
	"gluster,errors", "expert", "conv,tcp",
};

/* Every TCP segment, for conv,tcp. */
static void segment(void *user, const struct decoder_segment *seg)
{
	struct sinks *s = user;
	stats_segment(s->stats, seg);
}

/* What does not change between inputs is made once: the filter, the
 * statistics (reset after each input), the decoder (reset too), the
 * four outputs (their per-capture state reset before each input) and
 * the stream they write to.  Making them took longer than decoding most
 * inputs. */
static struct sinks sinks;
static struct decoder *decoder;
static FILE *null;

/* Every byte rendered is formatted, then dropped here: a FILE on
 * /dev/null made a write() for each 4 KiB. */
static ssize_t drop(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	(void)buf;
	return (ssize_t)size;
}

static void setup(void)
{
	char err[512];
	null = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = drop });
	if (!null || setvbuf(null, NULL, _IOFBF, 64 * 1024))
		abort();
	sinks.filter = filter_compile("glusterfs.bname contains \"a\" or "
				      "gluster.op_errno in {EACCES 2} or "
				      "not (rpc.time < 0.5) or "
				      "glusterfs.dict.value matches "
				      "\"^[0-9]+$\" or ip.addr == 127.0.0.1",
				      err, sizeof err);
	sinks.stats = stats_new();
	for (size_t i = 0; sinks.stats && i < sizeof reports / sizeof *reports;
	     i++)
		stats_add(sinks.stats, reports[i], err, sizeof err);
	/* In packet view, as tapline decode --packets: frames without a
	 * message come as TCP packet messages through every output. */
	decoder = small_decoder_new(consume, &sinks, true);
	decoder_on_expired(decoder, expired);
	decoder_on_segment(decoder, segment);
	if (!sinks.filter || !sinks.stats)
		abort();
	struct sinks *s = &sinks;
	output_init(&s->text, null);
	output_init(&s->tree, null);
	s->tree.verbose = true;
	output_init(&s->json, null);
	s->json.format = OUTPUT_JSON;
	output_init(&s->fields, null);
	s->fields.format = OUTPUT_FIELDS;
	s->fields.quote = '"';
	s->fields.header = true;
	for (size_t i = 0; i < sizeof columns / sizeof *columns; i++)
		output_add_field(&s->fields, columns[i]);
}

/* An output as output_init() leaves it for a new capture, its options
 * and -T fields columns kept (they were resolved once). */
static void output_restart(struct output *o)
{
	o->have_first = false;
	o->first_ts_ns = o->prev_ts_ns = 0;
	o->header_done = false;
	o->shown = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (!decoder)
		setup();
	FILE *in = fmemopen((void *)data, size, "rb");
	if (!in)
		return 0;
	char err[512];
	struct capture *cap = capture_open_file(in, "fuzz-input", err,
						sizeof err);
	if (!cap)
		return 0;
	struct sinks *s = &sinks;
	output_restart(&s->text);
	output_restart(&s->tree);
	output_restart(&s->json);
	output_restart(&s->fields);
	struct capture_frame frame;
	while (capture_next(cap, &frame) == 1) {
		output_set_first_time(&s->text, frame.ts_ns);
		decoder_frame(decoder, &frame);
	}
	decoder_finish(decoder);
	struct filter_regex_stops stops;
	filter_regex_stops(s->filter, &stops);
	stats_set_regex_stops(s->stats, &stops);
	stats_print(s->stats, null, decoder_stats(decoder));
	decoder_reset(decoder);
	stats_reset(s->stats);
	capture_close(cap);
	return 0;
}
