/* fuzz_pcap.c - libFuzzer entry: bytes -> a capture file (pcap, pcapng,
 * or either gzip-compressed) -> the whole wire decoder with every
 * registered protocol, under small memory caps so eviction and forced
 * gaps run too.  Uncompressed input is also read by libpcap alone, and
 * tapline's frames (read in place from classic pcap by pcap_file.c) must
 * be libpcap's: any difference aborts.  Three more decoders take the
 * same frames, as tapline decode's cheaper modes: one stores no field
 * (the summary lines), whose messages must count the same fields and
 * arena bytes and say the same (summary, verdicts); one keeps only a few
 * stored fields (-T fields of stored columns), which must also have
 * those fields as full decoding has them; one decodes headers only (-T
 * fields of header columns), whose every header column must be as full
 * decoding renders it, unless the memory budget refused either decoder
 * something (decoding less, header-only keeps more).  Half the inputs
 * get the first, a quarter each of the others, chosen by their bytes.
 * Any difference aborts.  Also replayed without libFuzzer by replay.c. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "present/output.h"
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
	uint64_t facts[] = { m->frame, m->verdict, m->nfields + m->skipped,
			     m->arena_used, (uintptr_t)m->why, m->info_len };
	mix(g, facts, sizeof facts);
	mix(g, m->info, m->info_len);
	g->messages++;
}

/* A decoder's header columns (every field of every registered table
 * that header-only decoding completes, but the packet's own layers,
 * decoded alike in both), rendered as -T fields does into a stream that
 * hashes what it is given. */
#define HEADER_OUTPUTS 3
struct columns {
	struct digest digest;
	struct output out[HEADER_OUTPUTS];
};

/* Eight bytes at a time: the columns are many. */
static ssize_t hash_write(void *cookie, const char *buf, size_t size)
{
	struct digest *g = cookie;
	size_t i = 0;
	for (; i + 8 <= size; i += 8) {
		uint64_t w;
		memcpy(&w, buf + i, 8);
		g->hash = (g->hash ^ w) * 0x9e3779b97f4a7c15ull;
		g->hash ^= g->hash >> 29;
	}
	mix(g, buf + i, size - i);
	return (ssize_t)size;
}

static void columns_init(struct columns *c)
{
	FILE *f = fopencookie(&c->digest, "w",
			      (cookie_io_functions_t){ .write = hash_write });
	if (!f || setvbuf(f, NULL, _IOFBF, 64 * 1024))
		abort();
	for (unsigned k = 0; k < HEADER_OUTPUTS; k++) {
		output_init(&c->out[k], f);
		c->out[k].format = OUTPUT_FIELDS;
	}
	unsigned n = 0;
	static const char *const packet_layers[] = {
		"frame", "ip", "ipv6", "tcp", "icmp",
	};
	for (const struct protocol *const *p = protocols; *p; p++) {
		bool layer = false;
		for (size_t i = 0; i < sizeof packet_layers / sizeof *packet_layers; i++)
			layer |= !strcmp((*p)->name, packet_layers[i]);
		for (const struct field_def *const *d = (*p)->fields;
		     !layer && *d; d++) {
			if (!((*d)->flags & FIELD_DEF_HEADER))
				continue;
			if (n / OUTPUT_MAX_FIELDS >= HEADER_OUTPUTS ||
			    !output_add_field(&c->out[n / OUTPUT_MAX_FIELDS],
					      (*d)->name))
				abort();	/* more than the outputs hold */
			n++;
		}
	}
}

static void columns_render(struct columns *c, const struct message *m)
{
	for (unsigned k = 0; k < HEADER_OUTPUTS; k++)
		if (c->out[k].nfields)
			output_message(&c->out[k], m);
	c->digest.messages++;
}

static void columns_restart(struct columns *c)
{
	for (unsigned k = 0; k < HEADER_OUTPUTS; k++) {
		struct output *o = &c->out[k];
		o->have_first = o->header_done = false;
		o->first_ts_ns = o->prev_ts_ns = 0;
		o->shown = 0;
	}
	c->digest = (struct digest){ 0xcbf29ce484222325ull, 0 };
}

static struct digest full, fieldless, wanted, full_wanted;
static struct columns full_columns, header_columns;

/* The stored fields the "wanted" decoder keeps: from each protocol's
 * bodies, and inside parts that are otherwise stepped over (iatt). */
static const char *const wanted_names[] = {
	"glusterfs.bname", "glusterfs.ia_size", "glusterfs.dict.key",
	"rpc.auth.uid", "ceph.msg.osd_opreply.result", "cql.query",
	"scylla.verb",
};
static const struct field_def *wanted_defs[sizeof wanted_names /
					   sizeof *wanted_names];
static struct field_wants wants;

/* The fields of wanted_defs that m holds, as values. */
static void digest_wanted(struct digest *g, const struct message *m)
{
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		bool named = false;
		for (size_t k = 0; k < wants.n; k++)
			named |= f->def == wants.defs[k];
		if (!named)
			continue;
		uint64_t facts[] = { (uintptr_t)f->def, f->kind, f->v.u,
				     f->len };
		mix(g, facts, sizeof facts);
		if (f->kind == FIELD_STR || f->kind == FIELD_BYTES ||
		    f->kind == FIELD_GFID || f->kind == FIELD_TREE)
			mix(g, field_bytes(m, f), f->len);
	}
}
static bool header_check;	/* this input's header columns compared */

static void consume(void *user, const struct message *m)
{
	(void)user;
	/* Touch what a renderer would. */
	sink += m->frame + m->nfields + m->info_len + m->verdict;
	for (unsigned i = 0; i < m->nfields; i++)
		sink += m->fields[i].len;
	digest_message(&full, m);
	digest_message(&full_wanted, m);
	digest_wanted(&full_wanted, m);
	if (header_check)
		columns_render(&full_columns, m);
}

static void consume_fieldless(void *user, const struct message *m)
{
	(void)user;
	digest_message(&fieldless, m);
}

static void consume_wanted(void *user, const struct message *m)
{
	(void)user;
	digest_message(&wanted, m);
	digest_wanted(&wanted, m);
}

static void consume_header(void *user, const struct message *m)
{
	(void)user;
	columns_render(&header_columns, m);
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
	static struct decoder *d[4];
	if (!d[0]) {
		struct decoder_options o;
		small_decoder_options(&o, false);
		d[0] = small_decoder_from(&o, consume, NULL);
		o.no_fields = true;
		d[1] = small_decoder_from(&o, consume_fieldless, NULL);
		o.no_fields = false;
		for (size_t k = 0; k < sizeof wanted_names / sizeof *wanted_names;
		     k++)
			if (!(wanted_defs[k] = field_find(wanted_names[k])))
				abort();	/* a name no table has */
		wants = (struct field_wants){ wanted_defs, sizeof wanted_defs /
							   sizeof *wanted_defs };
		o.wants = &wants;
		d[3] = small_decoder_from(&o, consume_wanted, NULL);
		o.wants = NULL;
		o.header_only = o.no_summary = true;
		d[2] = small_decoder_from(&o, consume_header, NULL);
		columns_init(&full_columns);
		columns_init(&header_columns);
	}
	full = fieldless = wanted = full_wanted =
		(struct digest){ 0xcbf29ce484222325ull, 0 };
	columns_restart(&full_columns);
	columns_restart(&header_columns);
	/* Each comparison costs a decoding (the header columns more): the
	 * fieldless one is made for half the inputs, the wanted and the
	 * header one for a quarter each, chosen by the input's bytes (the
	 * same input, the same choice) */
	struct digest pick = { 0xcbf29ce484222325ull, 0 };
	mix(&pick, data, size < 64 ? size : 64);
	unsigned choice = (unsigned)(pick.hash >> 32) & 3;
	header_check = choice == 0;
	bool wanted_check = choice == 1;
	bool fieldless_check = choice >= 2;
	struct decoder *run[3] = { d[0] };
	int decoders = 1;
	if (fieldless_check)
		run[decoders++] = d[1];
	if (wanted_check)
		run[decoders++] = d[3];
	if (header_check)
		run[decoders++] = d[2];
	struct capture_frame frame;
	while (capture_next(cap, &frame) == 1)
		for (int k = 0; k < decoders; k++)
			decoder_frame(run[k], &frame);
	for (int k = 0; k < decoders; k++)
		decoder_finish(run[k]);
	bool pressed = decoder_stats(d[0])->memory_refusals ||
		       (header_check && decoder_stats(d[2])->memory_refusals);
	for (int k = 0; k < decoders; k++)
		decoder_reset(run[k]);
	capture_close(cap);
	fflush(full_columns.out[0].out);
	fflush(header_columns.out[0].out);
	if (fieldless_check &&
	    (full.hash != fieldless.hash || full.messages != fieldless.messages)) {
		fprintf(stderr, "fuzz_pcap: %llu messages with fields, %llu "
			"without, and they differ\n",
			(unsigned long long)full.messages,
			(unsigned long long)fieldless.messages);
		abort();
	}
	if (wanted_check && (full_wanted.hash != wanted.hash ||
			     full_wanted.messages != wanted.messages)) {
		fprintf(stderr, "fuzz_pcap: %llu messages with fields, %llu "
			"with a few kept, and they differ\n",
			(unsigned long long)full_wanted.messages,
			(unsigned long long)wanted.messages);
		abort();
	}
	if (header_check && !pressed &&
	    (full_columns.digest.hash != header_columns.digest.hash ||
	     full_columns.digest.messages != header_columns.digest.messages)) {
		fprintf(stderr, "fuzz_pcap: %llu messages decoded whole, %llu "
			"header-only, and their header columns differ\n",
			(unsigned long long)full_columns.digest.messages,
			(unsigned long long)header_columns.digest.messages);
		abort();
	}
	return 0;
}
