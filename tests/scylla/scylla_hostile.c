/* scylla_hostile.c - ScyllaDB RPC captures made to cost the decoder
 * memory, for bench/scylla-bench.sh's peak-RSS lines (the bound: 64 MiB
 * whatever the input).
 *
 *	scylla_hostile OUT.pcap SHAPE CONNECTIONS
 *
 * SHAPE (every connection first negotiates, both ways, TIMEOUT and
 * HANDLER_DURATION, the connections taking turns):
 *   big-frame   a MUTATION announcing 1 MB, of which 40 segments of 1400
 *               bytes come: bodies held;
 *   unanswered  200 READ_DIGEST requests (whole, well formed) no
 *               response answers: requests waiting;
 *   junk        40 segments of bytes no header starts in: searches.
 * Raw IPv4 (LINKTYPE_RAW), 10.0.0.0/8 -> 127.0.0.2:7000, for reading
 * only (no checksums).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lab/scylla/scylla_build.h"

static FILE *out;
static uint64_t ts_us = 1000000;

static void put_le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };
	fwrite(b, 1, 4, f);
}

/* One IPv4/TCP packet of connection i; to_server or back. */
static void packet(uint32_t i, bool to_server, uint8_t flags, uint32_t seq,
		   uint32_t ack, const uint8_t *data, size_t len)
{
	uint8_t p[40 + 1500];
	memset(p, 0, 40);
	p[0] = 0x45;
	put_be16(p + 2, (uint16_t)(40 + len));
	p[8] = 64;
	p[9] = 6;
	uint32_t client = 0x0a000001u + i / 50000;
	uint16_t cport = (uint16_t)(10000 + i % 50000);
	put_be32(p + 12, to_server ? client : 0x7f000002u);
	put_be32(p + 16, to_server ? 0x7f000002u : client);
	uint8_t *t = p + 20;
	put_be16(t, to_server ? cport : 7000);
	put_be16(t + 2, to_server ? 7000 : cport);
	put_be32(t + 4, seq);
	put_be32(t + 8, ack);
	t[12] = 0x50;
	t[13] = flags;
	put_be16(t + 14, 65535);
	if (len)	/* a SYN or FIN has no data (NULL) */
		memcpy(p + 40, data, len);
	ts_us += 3;
	put_le32(out, (uint32_t)(ts_us / 1000000));
	put_le32(out, (uint32_t)(ts_us % 1000000));
	put_le32(out, (uint32_t)(40 + len));
	put_le32(out, (uint32_t)(40 + len));
	fwrite(p, 1, 40 + len, out);
}

struct conn {
	uint32_t cseq, sseq;	/* next sequence numbers */
};

static void send_c(struct conn *c, uint32_t i, const uint8_t *d, size_t n)
{
	packet(i, true, 0x18, c->cseq, c->sseq, d, n);
	c->cseq += (uint32_t)n;
}

static void send_s(struct conn *c, uint32_t i, const uint8_t *d, size_t n)
{
	packet(i, false, 0x18, c->sseq, c->cseq, d, n);
	c->sseq += (uint32_t)n;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: scylla_hostile OUT.pcap "
			"big-frame|unanswered|junk CONNECTIONS\n");
		return 2;
	}
	const char *shape = argv[2];
	uint32_t n = (uint32_t)strtoul(argv[3], NULL, 10);
	out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	put_le32(out, 0xa1b2c3d4);
	put_le32(out, 0x00040002);
	put_le32(out, 0);
	put_le32(out, 0);
	put_le32(out, 65535);
	put_le32(out, 101);	/* LINKTYPE_RAW */

	struct conn *conns = calloc(n, sizeof *conns);
	struct bbuf offer = { 0 }, answer = { 0 };
	neg_begin(&offer);
	neg_feature(&offer, FEAT_TIMEOUT, NULL, 0);
	neg_feature(&offer, FEAT_ISOLATION, "statement:default", 17);
	neg_feature(&offer, FEAT_HANDLER_DURATION, NULL, 0);
	neg_end(&offer, 0);
	neg_begin(&answer);
	neg_feature(&answer, FEAT_TIMEOUT, NULL, 0);
	neg_feature_u64(&answer, FEAT_CONNECTION_ID, 1u << 16);
	neg_feature(&answer, FEAT_ISOLATION, "statement:default", 17);
	neg_feature(&answer, FEAT_HANDLER_DURATION, NULL, 0);
	neg_end(&answer, 0);
	for (uint32_t i = 0; i < n; i++) {
		struct conn *c = &conns[i];
		c->cseq = 1000;
		c->sseq = 5000;
		packet(i, true, 0x02, c->cseq - 1, 0, NULL, 0);
		packet(i, false, 0x12, c->sseq - 1, c->cseq, NULL, 0);
		send_c(c, i, offer.p, offer.len);
		send_s(c, i, answer.p, answer.len);
	}
	uint8_t seg[1400];
	uint32_t x = 12345;
	int rounds = !strcmp(shape, "unanswered") ? 200 : 40;
	static const uint8_t pkey[4] = { 0, 0, 0, 42 };
	struct read_spec read = {
		{ 0x1c4e3b2a9f8d7e60ull, 0xa1b2c3d4e5f60718ull },
		{ 0x2d5f4c3bab9e8f71ull, 0xb2c3d4e5f6071829ull },
		{ 0, 0 }, 1, SLICE_SEND_PARTITION_KEY, 1, 1700000000,
		pkey, sizeof pkey, 42,
	};
	for (int r = 0; r < rounds; r++) {
		for (uint32_t i = 0; i < n; i++) {
			struct conn *c = &conns[i];
			struct bbuf f = { 0 };
			if (!strcmp(shape, "big-frame")) {
				if (r == 0) {
					rpc_request_header(&f, true, 2000, 1, 2,
							   1u << 20);
					send_c(c, i, f.p, f.len);
				}
				memset(seg, r, sizeof seg);
				send_c(c, i, seg, sizeof seg);
			} else if (!strcmp(shape, "unanswered")) {
				/* a whole READ_DIGEST: decoded, then waits */
				struct bbuf body = { 0 };
				body_read(&body, &read, 1);
				rpc_request_header(&f, true, 5000, 5,
						   (int64_t)r + 1,
						   (uint32_t)body.len);
				bb_raw(&f, body.p, body.len);
				bb_free(&body);
				send_c(c, i, f.p, f.len);
			} else {
				for (size_t k = 0; k < sizeof seg; k++) {
					x = x * 1103515245u + 12345u;
					seg[k] = (uint8_t)(x >> 24) | 0x80;
				}
				send_c(c, i, seg, sizeof seg);
			}
			bb_free(&f);
		}
	}
	free(conns);
	bb_free(&offer);
	bb_free(&answer);
	return fclose(out) ? 1 : 0;
}
