/* fuzz_cql_stream.c - libFuzzer harness: the CQL decoder from TCP on, the
 * way a capture reaches it.  The input is a conversation:
 *   [knobs] then records [d|len (u16: bit 15 the direction, 0 client)]
 *   [len bytes]; a record of length 0 is a gap (a lost segment)
 * turned into IPv4/TCP packets of one connection (handshake first) and fed
 * to the whole wire decoder with the CQL protocol, so frames, v5 segments
 * and their CRCs, lz4/snappy bodies (bombs included: the knobs pick small
 * memory caps), rows, resync after gaps and the exchange all run.  Every
 * message's fields must come from a registered table.  Runs without
 * libFuzzer through tests/fuzz/replay.c.
 *
 * Corpus, tests/fuzz/corpus/cql_stream/: the lab's conversations
 * (tests/captures/cql) in this form (tests/fuzz/cql-corpus.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/registry.h"
#include "wire/capture.h"
#include "wire/decoder.h"
#include "wire/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct stream_proto cql_stream_proto;

static uint64_t sink;

static void consume(void *user, const struct message *m)
{
	(void)user;
	char why[256];
	if (!registry_check_message(m, why, sizeof why)) {
		fprintf(stderr, "fuzz_cql_stream: %s\n", why);
		abort();
	}
	sink += m->frame + m->nfields + m->info_len + m->verdict;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

/* One IPv4/TCP packet (raw IP link type) into the decoder. */
static void packet(struct decoder *d, uint64_t *number, bool from_client, uint32_t seq,
		   uint32_t ack, uint8_t flags, const uint8_t *payload, size_t len)
{
	static uint8_t pkt[40 + 65535];
	if (len > 65535 - 40)
		len = 65535 - 40;
	memset(pkt, 0, 40);
	pkt[0] = 0x45;
	put16(pkt + 2, (uint16_t)(40 + len));
	pkt[8] = 64;
	pkt[9] = 6;
	uint8_t cli[4] = { 127, 0, 0, 1 }, srv[4] = { 127, 0, 0, 2 };
	memcpy(pkt + 12, from_client ? cli : srv, 4);
	memcpy(pkt + 16, from_client ? srv : cli, 4);
	put16(pkt + 20, from_client ? 40000 : 9042);
	put16(pkt + 22, from_client ? 9042 : 40000);
	put32(pkt + 24, seq);
	put32(pkt + 28, ack);
	pkt[32] = 5 << 4;
	pkt[33] = flags;
	put16(pkt + 34, 65535);
	if (len)
		memcpy(pkt + 40, payload, len);
	struct capture_frame f = {
		.number = ++*number, .ts_ns = (int64_t)*number * 1000000,
		.linktype = 101 /* DLT_RAW */, .data = pkt,
		.caplen = (uint32_t)(40 + len), .wirelen = (uint32_t)(40 + len),
	};
	decoder_frame(d, &f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t knobs = data[0] & 15;
	/* One decoder per knob setting, reset after each input: making and
	 * freeing one per input cost most of the time under ASan. */
	static struct decoder *decoders[16];
	if (!decoders[knobs]) {
		struct decoder_options opts;
		decoder_default_options(&opts);
		static const struct stream_proto *const protos[] = { &cql_stream_proto };
		opts.protocols = protos;
		opts.nprotocols = 1;
		/* Small caps now and then: eviction, elided bodies, refused
		 * decompression. */
		if (knobs & 1)
			opts.max_record = 4096;
		if (knobs & 2)
			opts.max_total_buffer = 256u << 10;
		opts.header_only = knobs & 4;
		opts.no_summary = knobs & 8;
		decoders[knobs] = decoder_new(&opts, consume, NULL);
		if (!decoders[knobs])
			return 0;
	}
	struct decoder *d = decoders[knobs];
	uint64_t number = 0;
	uint32_t cseq = 1000, sseq = 5000;
	packet(d, &number, true, cseq - 1, 0, 0x02, NULL, 0);		/* SYN */
	packet(d, &number, false, sseq - 1, cseq, 0x12, NULL, 0);	/* SYN-ACK */
	packet(d, &number, true, cseq, sseq, 0x10, NULL, 0);		/* ACK */
	size_t at = 1;
	while (at + 2 <= size) {
		uint16_t word = (uint16_t)(data[at] << 8 | data[at + 1]);
		at += 2;
		bool from_client = !(word & 0x8000);
		size_t len = word & 0x7fff;
		if (len > size - at)
			len = size - at;
		uint32_t *seq = from_client ? &cseq : &sseq;
		if (!len) {	/* a gap: 100 bytes never seen */
			*seq += 100;
			continue;
		}
		packet(d, &number, from_client, *seq, from_client ? sseq : cseq, 0x18, data + at, len);
		*seq += (uint32_t)len;
		at += len;
	}
	packet(d, &number, true, cseq, sseq, 0x11, NULL, 0);		/* FIN */
	packet(d, &number, false, sseq, cseq + 1, 0x11, NULL, 0);
	decoder_finish(d);
	decoder_reset(d);
	return 0;
}
