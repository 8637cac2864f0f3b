/* wire_pcap.h - builds test captures with libpcap's own writer
 * (pcap_dump): IPv4/IPv6 + TCP packets wrapped in any link type. */
#ifndef TAPLINE_WIRE_PCAP_H
#define TAPLINE_WIRE_PCAP_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pkt {
	int family;		/* 4 (default) or 6 */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	const void *payload;
	size_t len;
	size_t ext_headers;	/* IPv6: hop-by-hop and destination options */
	size_t ip_options;	/* IPv4: option bytes (multiple of 4) */
	uint16_t frag;		/* IPv4 flags+offset field */
};

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* The IP packet, returns its length. */
static size_t build_ip(uint8_t *out, const struct pkt *p)
{
	uint8_t tcp[20];
	memset(tcp, 0, sizeof tcp);
	put16(tcp, p->sport);
	put16(tcp + 2, p->dport);
	put32(tcp + 4, p->seq);
	put32(tcp + 8, p->ack);
	tcp[12] = 5 << 4;
	tcp[13] = p->flags;
	put16(tcp + 14, 65535);
	size_t n = 0;
	if (p->family == 6) {
		out[0] = 0x60;
		memset(out + 1, 0, 3);
		size_t ext = p->ext_headers * 8;
		put16(out + 4, (uint16_t)(ext + 20 + p->len));
		out[6] = p->ext_headers ? 0 : 6;	/* hop-by-hop first */
		out[7] = 64;
		memcpy(out + 8, p->src, 16);
		memcpy(out + 24, p->dst, 16);
		n = 40;
		for (size_t i = 0; i < p->ext_headers; i++) {
			memset(out + n, 0, 8);
			out[n] = i + 1 < p->ext_headers ? 60 : 6;
			out[n + 1] = 0;		/* 8 bytes */
			out[n + 2] = 1;		/* PadN */
			out[n + 3] = 4;
			n += 8;
		}
	} else {
		size_t hl = 20 + p->ip_options;
		out[0] = 0x40 | (uint8_t)(hl / 4);
		out[1] = 0;
		put16(out + 2, (uint16_t)(hl + 20 + p->len));
		put16(out + 4, 1);
		put16(out + 6, p->frag);
		out[8] = 64;
		out[9] = 6;
		put16(out + 10, 0);
		memcpy(out + 12, p->src, 4);
		memcpy(out + 16, p->dst, 4);
		memset(out + 20, 1, p->ip_options);	/* NOPs */
		n = hl;
	}
	memcpy(out + n, tcp, 20);
	n += 20;
	if (p->len)
		memcpy(out + n, p->payload, p->len);
	return n + p->len;
}

/* Wraps an IP packet of the given family in a link header. */
static size_t build_frame(uint8_t *out, int dlt, int family,
			  const uint8_t *ip, size_t len, int vlan_tags,
			  bool swap_null)
{
	size_t n = 0;
	uint16_t type = family == 6 ? 0x86dd : 0x0800;
	switch (dlt) {
	case DLT_EN10MB:
		memset(out, 0xaa, 12);
		n = 12;
		for (int i = 0; i < vlan_tags; i++) {
			put16(out + n, i == 0 && vlan_tags > 1 ? 0x88a8 : 0x8100);
			put16(out + n + 2, (uint16_t)(100 + i));
			n += 4;
		}
		put16(out + n, type);
		n += 2;
		break;
	case DLT_LINUX_SLL:
		memset(out, 0, 16);
		put16(out + 2, 772);
		put16(out + 14, type);
		n = 16;
		break;
	case 276:	/* DLT_LINUX_SLL2 */
		memset(out, 0, 20);
		put16(out, type);
		put32(out + 4, 1);
		put16(out + 8, 772);
		n = 20;
		break;
	case DLT_NULL: {
		uint32_t af = family == 6 ? 24 : 2;
		if (swap_null)
			put32(out, af);
		else
			memcpy(out, &af, 4);
		n = 4;
		break;
	}
	case DLT_LOOP:
		put32(out, family == 6 ? 24 : 2);
		n = 4;
		break;
	default:	/* raw */
		break;
	}
	memcpy(out + n, ip, len);
	return n + len;
}

struct writer {
	pcap_t *dead;
	pcap_dumper_t *dump;
	int dlt;
	int vlan_tags;
	bool swap_null;
	int64_t ts;
	uint32_t snaplen;	/* 0: everything */
};

static bool writer_open(struct writer *w, const char *path, int dlt)
{
	memset(w, 0, sizeof *w);
	w->dlt = dlt;
	w->ts = 1700000000LL * 1000000000LL;
	w->dead = pcap_open_dead_with_tstamp_precision(dlt, 262144,
						PCAP_TSTAMP_PRECISION_NANO);
	w->dump = w->dead ? pcap_dump_open(w->dead, path) : NULL;
	return w->dump != NULL;
}

static void writer_raw(struct writer *w, const uint8_t *frame, size_t len,
		       size_t caplen)
{
	struct pcap_pkthdr h;
	w->ts += 1000;
	h.ts.tv_sec = w->ts / 1000000000;
	h.ts.tv_usec = w->ts % 1000000000;
	h.caplen = (bpf_u_int32)caplen;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->dump, &h, frame);
}

static void writer_pkt(struct writer *w, const struct pkt *p)
{
	static uint8_t ip[70000], frame[70100];
	size_t n = build_ip(ip, p);
	size_t f = build_frame(frame, w->dlt, p->family == 6 ? 6 : 4, ip, n,
			       w->vlan_tags, w->swap_null);
	writer_raw(w, frame, f, w->snaplen && w->snaplen < f ? w->snaplen : f);
}

static void writer_close(struct writer *w)
{
	pcap_dump_close(w->dump);
	pcap_close(w->dead);
}

#endif
