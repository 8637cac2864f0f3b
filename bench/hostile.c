/* hostile.c - captures made to cost a decoder memory, for the peak-RSS
 * checks (bench/decode-bench.sh, tests/hostile-rss.sh; the bound: 64 MiB
 * whatever the input).
 *
 *	hostile OUT.pcap SHAPE CONNECTIONS [COUNT]
 *
 * SHAPE:
 *   hole        every connection sends an RPC call, then 1400 bytes behind
 *               a 100-byte hole that never fills: out-of-order bytes held,
 *               and per-connection RPC state (the call waits for a reply);
 *   hunt        the same with a bad record mark after the call, so each
 *               reader hunts for the next record;
 *   head        every connection starts a 1 MB record and sends 44
 *               segments of it, the connections taking turns: record
 *               heads held;
 *   unanswered  every connection sends COUNT whole calls (NULL; default
 *               6200), 31 to a segment, the connections taking turns, and
 *               no reply ever comes (a capture that lost the reply
 *               direction): waiting calls held.  1000 x 6200 makes
 *               286 MB, 400 x 6200 115 MB;
 *   seqjump     every connection sends COUNT calls (default 64), one to a
 *               segment, each segment's sequence number 1000 past the end
 *               of the one before, the connections taking turns: small
 *               out-of-order segments behind holes that never fill, and
 *               once the holes are given up, calls that wait for replies;
 *   ceph-unanswered  the Ceph messenger's version: every connection sends
 *               COUNT msgr v1 OSD_OP messages (default 1024; tids 1 to
 *               COUNT, empty fronts, header and footer crcs right), 24 to
 *               a segment, the connections taking turns, and no
 *               OSD_OPREPLY ever comes: requests waiting by tid.
 *   ceph-versions  the same with MON_GET_VERSION requests (handles 1 to
 *               COUNT, asking for "osdmap"): requests waiting by handle.
 *   cql         every connection sends COUNT CQL v4 QUERYs (default
 *               6000; stream ids 0, 1, ... modulo 32768), 31 to a segment,
 *               the connections taking turns, to port 9042, and no RESULT
 *               ever comes: waiting requests held, and their statements.
 * Addresses 10.0.0.0/8 -> 127.0.0.1:24007 (Ceph: :6800, cql: 9042), no
 * handshake (the capture began after it), written for reading only.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ceph/crc32c.h"

static FILE *out;
static uint16_t server_port = 24007;
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
	be16(tcp + 2, server_port);
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

/* A record mark for `len` bytes and an RPC call header (GlusterFS 4.x,
 * AUTH_NULL) with the given XID and procedure: 44 bytes.  LOOKUP (27)
 * lacks its arguments; NULL (0) has none: a whole call. */
#define CALL_BYTES 44
#define LOOKUP 27
#define NULL_PROC 0
static size_t call(uint8_t *p, uint32_t len, uint32_t xid, uint32_t proc)
{
	const uint32_t w[] = { xid, 0, 2, 1298437, 400, proc, 0, 0, 0, 0 };
	be32(p, 0x80000000u | len);
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		be32(p + 4 + 4 * i, w[i]);
	return CALL_BYTES;
}

static void holes(uint32_t n, int hunt)
{
	uint8_t buf[2048];
	for (uint32_t i = 0; i < n; i++) {
		size_t len = call(buf, 40, 1, LOOKUP);
		if (hunt) {
			be32(buf + len, 0x7fffffffu);	/* no such mark */
			memset(buf + len + 4, 1, 300);
			len += 304;
		}
		frame(i, 1000, buf, len);
		memset(buf, 'x', 1400);
		frame(i, 1000 + (uint32_t)len + 100, buf, 1400);
	}
}

static void heads(uint32_t n)
{
	uint8_t buf[2048];
	memset(buf, 'x', sizeof buf);
	for (int round = 0; round < 45; round++)
		for (uint32_t i = 0; i < n; i++) {
			if (round == 0)
				frame(i, 1000, buf, call(buf, 1000000, 1, LOOKUP));
			else
				frame(i, 1000 + 44 + 1400u * (uint32_t)(round - 1),
				      buf + 100, 1400);
		}
}

#define CALLS_PER_SEGMENT 31
static void unanswered(uint32_t n, uint32_t count)
{
	uint8_t buf[CALLS_PER_SEGMENT * CALL_BYTES];
	uint32_t segments = (count + CALLS_PER_SEGMENT - 1) / CALLS_PER_SEGMENT;
	for (uint32_t s = 0; s < segments; s++)
		for (uint32_t i = 0; i < n; i++) {
			size_t len = 0;
			for (uint32_t k = s * CALLS_PER_SEGMENT;
			     k < count && k < (s + 1) * CALLS_PER_SEGMENT; k++)
				len += call(buf + len, 40, k + 1, NULL_PROC);
			frame(i, 1000 + s * (uint32_t)sizeof buf, buf, len);
		}
}

/* A CQL v4 QUERY on the given stream: the statement, consistency ONE,
 * no flags (CQL_QUERY_BYTES). */
static const char cql_statement[] = "SELECT v FROM lab.kv WHERE k = 1";
#define CQL_QUERY_BYTES (9 + 4 + sizeof cql_statement - 1 + 3)
static size_t cql_query(uint8_t *p, uint16_t stream)
{
	size_t n = sizeof cql_statement - 1;
	p[0] = 4;		/* request, protocol v4 */
	p[1] = 0;
	be16(p + 2, stream);
	p[4] = 7;		/* QUERY */
	be32(p + 5, (uint32_t)(4 + n + 3));
	be32(p + 9, (uint32_t)n);
	memcpy(p + 13, cql_statement, n);
	be16(p + 13 + n, 1);	/* ONE */
	p[15 + n] = 0;
	return CQL_QUERY_BYTES;
}

static void cql_unanswered(uint32_t n, uint32_t count)
{
	uint8_t buf[CALLS_PER_SEGMENT * CQL_QUERY_BYTES];
	uint32_t segments = (count + CALLS_PER_SEGMENT - 1) / CALLS_PER_SEGMENT;
	server_port = 9042;
	for (uint32_t s = 0; s < segments; s++)
		for (uint32_t i = 0; i < n; i++) {
			size_t len = 0;
			for (uint32_t k = s * CALLS_PER_SEGMENT;
			     k < count && k < (s + 1) * CALLS_PER_SEGMENT; k++)
				len += cql_query(buf + len, (uint16_t)(k % 32768));
			frame(i, 1000 + s * (uint32_t)sizeof buf, buf, len);
		}
}

#define JUMP 1000
static void seqjump(uint32_t n, uint32_t count)
{
	uint8_t buf[CALL_BYTES];
	for (uint32_t k = 0; k < count; k++)
		for (uint32_t i = 0; i < n; i++)
			frame(i, 1000 + k * (CALL_BYTES + JUMP), buf,
			      call(buf, 40, k + 1, NULL_PROC));
}

/* A msgr v1 message as a client sends it: the MSG tag, the 53-byte
 * header (its crc32c over the first 49 bytes), an empty front and the
 * 21-byte footer of peers with MSG_AUTH (all crcs of empty payloads:
 * 0; flags COMPLETE).  75 bytes. */
#define CEPH_MSG_BYTES 75
#define CEPH_MSG_OSD_OP_TYPE 42
static size_t ceph_osd_op(uint8_t *p, uint64_t tid)
{
	memset(p, 0, CEPH_MSG_BYTES);
	p[0] = 7;			/* MSGR1_TAG_MSG */
	uint8_t *h = p + 1;
	le32(h, (uint32_t)tid);		/* seq */
	le32(h + 8, (uint32_t)tid);	/* tid */
	h[16] = CEPH_MSG_OSD_OP_TYPE;
	h[18] = 63;			/* priority: CEPH_MSG_PRIO_DEFAULT */
	h[20] = 8;			/* version */
	h[36] = 8;			/* src: CEPH_ENTITY_TYPE_CLIENT */
	h[37] = 1;
	h[45] = 3;			/* compat_version */
	le32(h + 49, crc32c_update(0, h, 49));
	p[1 + 53 + 20] = 1;		/* footer flags: COMPLETE */
	return CEPH_MSG_BYTES;
}

/* A msgr v1 MON_GET_VERSION from a client, handle as given, asking for
 * "osdmap": the front (le64 handle, le32 length, the name) and its crc32c
 * in the footer.  93 bytes. */
#define CEPH_VERSION_BYTES (CEPH_MSG_BYTES + 18)
#define CEPH_MSG_MON_GET_VERSION_TYPE 19
static size_t ceph_get_version(uint8_t *p, uint64_t handle)
{
	memset(p, 0, CEPH_VERSION_BYTES);
	p[0] = 7;			/* MSGR1_TAG_MSG */
	uint8_t *h = p + 1, *front = h + 53, *foot = front + 18;
	le32(h, (uint32_t)handle);	/* seq */
	h[16] = CEPH_MSG_MON_GET_VERSION_TYPE;
	h[18] = 63;
	h[20] = 1;			/* version */
	le32(h + 22, 18);		/* front_len */
	h[36] = 8;			/* src: CEPH_ENTITY_TYPE_CLIENT */
	h[37] = 1;
	h[45] = 1;			/* compat_version */
	le32(h + 49, crc32c_update(0, h, 49));
	le32(front, (uint32_t)handle);
	le32(front + 8, 6);
	memcpy(front + 12, "osdmap", 6);
	le32(foot, crc32c_update(0, front, 18));
	foot[20] = 1;			/* footer flags: COMPLETE */
	return CEPH_VERSION_BYTES;
}

#define CEPH_MSGS_PER_SEGMENT 24
static void ceph_unanswered(uint32_t n, uint32_t count, bool versions)
{
	/* 24 OSD_OPs (1800 bytes) or 20 MON_GET_VERSIONs (1860) a segment:
	 * within frame()'s 2048 bytes, each segment right after the one
	 * before */
	uint8_t buf[2048];
	uint32_t per = versions ? 20 : CEPH_MSGS_PER_SEGMENT;
	uint32_t bytes = versions ? CEPH_VERSION_BYTES : CEPH_MSG_BYTES;
	uint32_t segments = (count + per - 1) / per;
	server_port = 6800;
	for (uint32_t s = 0; s < segments; s++)
		for (uint32_t i = 0; i < n; i++) {
			size_t len = 0;
			for (uint32_t k = s * per; k < count && k < (s + 1) * per;
			     k++)
				len += versions ? ceph_get_version(buf + len, k + 1) :
						  ceph_osd_op(buf + len, k + 1);
			frame(i, 1000 + s * per * bytes, buf, len);
		}
}

int main(int argc, char **argv)
{
	static const char usage[] = "usage: hostile OUT.pcap "
		"hole|hunt|head|unanswered|seqjump|ceph-unanswered|ceph-versions|"
		"cql CONNECTIONS [COUNT]\n";
	if (argc != 4 && argc != 5) {
		fputs(usage, stderr);
		return 2;
	}
	const char *shape = argv[2];
	char *end;
	unsigned long n = strtoul(argv[3], &end, 10);
	unsigned long count = 0;
	if (*end || !n || n > 60000ul * 250) {
		fprintf(stderr, "hostile: CONNECTIONS: 1 to 15000000\n");
		return 2;
	}
	if (argc == 5) {
		count = strtoul(argv[4], &end, 10);
		if (*end || !count || count > 4000000ul) {
			fprintf(stderr, "hostile: COUNT: 1 to 4000000\n");
			return 2;
		}
	}
	enum { HOLE, HUNT, HEAD, UNANSWERED, SEQJUMP, CEPH_UNANSWERED,
	       CEPH_VERSIONS, CQL } which;
	if (!strcmp(shape, "hole"))
		which = HOLE;
	else if (!strcmp(shape, "hunt"))
		which = HUNT;
	else if (!strcmp(shape, "head"))
		which = HEAD;
	else if (!strcmp(shape, "unanswered"))
		which = UNANSWERED;
	else if (!strcmp(shape, "seqjump"))
		which = SEQJUMP;
	else if (!strcmp(shape, "ceph-unanswered"))
		which = CEPH_UNANSWERED;
	else if (!strcmp(shape, "ceph-versions"))
		which = CEPH_VERSIONS;
	else if (!strcmp(shape, "cql"))
		which = CQL;
	else {
		fprintf(stderr, "hostile: unknown shape %s\n%s", shape, usage);
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

	switch (which) {
	case HOLE:
	case HUNT:
		holes((uint32_t)n, which == HUNT);
		break;
	case HEAD:
		heads((uint32_t)n);
		break;
	case UNANSWERED:
		unanswered((uint32_t)n, count ? (uint32_t)count : 6200);
		break;
	case SEQJUMP:
		seqjump((uint32_t)n, count ? (uint32_t)count : 64);
		break;
	case CEPH_UNANSWERED:
	case CEPH_VERSIONS:
		ceph_unanswered((uint32_t)n, count ? (uint32_t)count : 1024,
				which == CEPH_VERSIONS);
		break;
	case CQL:
		cql_unanswered((uint32_t)n, count ? (uint32_t)count : 6000);
		break;
	}
	if (fclose(out)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
