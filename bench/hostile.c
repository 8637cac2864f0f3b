/* hostile.c - captures made to cost the decoder memory, for the peak-RSS
 * line of bench/decode-bench.sh (the bound: 64 MiB whatever the input).
 *
 *	hostile OUT.pcap SHAPE CONNECTIONS
 *
 * SHAPE:
 *   hole  every connection sends an RPC call, then 1400 bytes behind a
 *         100-byte hole that never fills: out-of-order bytes held, and
 *         per-connection RPC state (the XID table has the call);
 *   hunt  the same with a bad record mark after the call, so each
 *         reader hunts for the next record;
 *   head  every connection starts a 1 MB record and sends 44 segments
 *         of it, the connections taking turns: record heads held.
 * Addresses 10.0.0.0/8 -> 127.0.0.1:24007, written for reading only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out;
static uint64_t ts_us = 1000000;

static void be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
	be16(p, (uint16_t)(v >> 16));
	be16(p + 2, (uint16_t)v);
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* One Ethernet/IPv4/TCP frame from connection i to 127.0.0.1:24007. */
static void frame(uint32_t i, uint32_t seq, const uint8_t *data, size_t len)
{
	uint8_t f[14 + 20 + 20 + 2048];
	memset(f, 0, 54);
	f[5] = 1;
	f[11] = 2;
	be16(f + 12, 0x0800);
	uint8_t *ip = f + 14, *tcp = ip + 20;
	ip[0] = 0x45;
	be16(ip + 2, (uint16_t)(40 + len));
	ip[8] = 64;
	ip[9] = 6;
	be32(ip + 12, 0x0a000001u + i / 60000);
	be32(ip + 16, 0x7f000001u);
	be16(tcp, (uint16_t)(1024 + i % 60000));
	be16(tcp + 2, 24007);
	be32(tcp + 4, seq);
	be32(tcp + 8, 1);
	tcp[12] = 5 << 4;
	tcp[13] = 0x18;		/* PSH ACK */
	be16(tcp + 14, 65535);
	memcpy(tcp + 20, data, len);
	uint8_t rec[16];
	size_t n = 54 + len;
	le32(rec, (uint32_t)(ts_us / 1000000));
	le32(rec + 4, (uint32_t)(ts_us % 1000000));
	le32(rec + 8, (uint32_t)n);
	le32(rec + 12, (uint32_t)n);
	ts_us += 10;
	fwrite(rec, 1, sizeof rec, out);
	fwrite(f, 1, n, out);
}

/* A record mark for `len` bytes and an RPC call header (GlusterFS 4.x
 * LOOKUP, AUTH_NULL): 44 bytes. */
static size_t call(uint8_t *p, uint32_t len)
{
	static const uint32_t w[] = { 1, 0, 2, 1298437, 400, 27, 0, 0, 0, 0 };
	be32(p, 0x80000000u | len);
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		be32(p + 4 + 4 * i, w[i]);
	return 44;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: hostile OUT.pcap hole|hunt|head "
			"CONNECTIONS\n");
		return 2;
	}
	const char *shape = argv[2];
	uint32_t n = (uint32_t)strtoul(argv[3], NULL, 10);
	if (strcmp(shape, "hole") && strcmp(shape, "hunt") &&
	    strcmp(shape, "head")) {
		fprintf(stderr, "hostile: unknown shape %s\n", shape);
		return 2;
	}
	out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	uint8_t hdr[24];
	le32(hdr, 0xa1b2c3d4u);
	hdr[4] = 2, hdr[5] = 0, hdr[6] = 4, hdr[7] = 0;
	memset(hdr + 8, 0, 8);
	le32(hdr + 16, 65535);
	le32(hdr + 20, 1);	/* Ethernet */
	fwrite(hdr, 1, sizeof hdr, out);

	uint8_t buf[2048];
	memset(buf, 'x', sizeof buf);
	if (!strcmp(shape, "head")) {
		for (int round = 0; round < 45; round++)
			for (uint32_t i = 0; i < n; i++) {
				if (round == 0)
					frame(i, 1000, buf, call(buf, 1000000));
				else
					frame(i, 1000 + 44 + 1400u * (uint32_t)(round - 1),
					      buf + 100, 1400);
			}
	} else {
		for (uint32_t i = 0; i < n; i++) {
			size_t len = call(buf, 40);
			if (!strcmp(shape, "hunt")) {
				be32(buf + len, 0x7fffffffu);	/* no such mark */
				memset(buf + len + 4, 1, 300);
				len += 304;
			}
			frame(i, 1000, buf, len);
			memset(buf, 'x', 1400);
			frame(i, 1000 + (uint32_t)len + 100, buf, 1400);
		}
	}
	if (fclose(out)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
