/* multiply.c - makes a large capture from a small real one: writes the
 * input's frames again and again, each copy's connections moved to fresh
 * addresses (IPv4: 127.A.B.x / 10.A.B.x style, the 2nd and 3rd address
 * bytes carry the copy number; IPv6: bytes 12-13) and fresh client ports,
 * and its timestamps shifted after the previous copy, until the output
 * reaches the wanted size.  Server ports stay, so every decoder sees the
 * same protocols it saw in the original.
 *
 *	multiply INPUT OUTPUT BYTES
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/ip.h"
#include "wire/link.h"
#include "wire/tcp.h"

struct frame {
	struct pcap_pkthdr h;
	uint8_t *data;
	size_t ip_off;		/* 0: not IP */
	int family;
	size_t tcp_off;		/* 0: not TCP */
	int client_port_at;	/* 0 sport, 1 dport, -1 neither */
};

/* The server port of a connection: the receiver of its SYN, else the
 * lower port. */
struct server_port {
	uint16_t port;
};

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: multiply INPUT OUTPUT BYTES\n");
		return 2;
	}
	uint64_t want = strtoull(argv[3], NULL, 0);
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *in = pcap_open_offline_with_tstamp_precision(
		argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
	if (!in) {
		fprintf(stderr, "multiply: %s\n", err);
		return 1;
	}
	int dlt = pcap_datalink(in);
	size_t n = 0, cap = 1024;
	struct frame *frames = malloc(cap * sizeof *frames);
	uint16_t listeners[64];
	size_t nlisteners = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	while (pcap_next_ex(in, &h, &data) == 1) {
		if (n == cap)
			frames = realloc(frames, (cap *= 2) * sizeof *frames);
		struct frame *f = &frames[n++];
		f->h = *h;
		f->data = malloc(h->caplen);
		memcpy(f->data, data, h->caplen);
		f->ip_off = f->tcp_off = 0;
		f->client_port_at = -1;
		size_t l3;
		int family;
		struct ip_packet ip;
		struct tcp_segment seg;
		if (link_decode(dlt, f->data, h->caplen, &l3, &family) != LINK_IP ||
		    ip_decode(family, f->data + l3, h->caplen - l3, &ip) != IP_OK)
			continue;
		f->ip_off = l3 + 1;
		f->family = family;
		if (ip.protocol != 6 ||
		    tcp_decode(ip.payload, ip.payload_len, ip.payload_wire_len,
			       &seg) != TCP_OK)
			continue;
		f->tcp_off = (size_t)(ip.payload - f->data);
		if ((seg.flags & 0x12) == 0x02 && nlisteners < 64)
			listeners[nlisteners++] = seg.dport;
	}
	pcap_close(in);
	/* Which port of each TCP frame is the client's. */
	for (size_t i = 0; i < n; i++) {
		struct frame *f = &frames[i];
		if (!f->tcp_off)
			continue;
		uint16_t sport = (uint16_t)(f->data[f->tcp_off] << 8 |
					    f->data[f->tcp_off + 1]);
		uint16_t dport = (uint16_t)(f->data[f->tcp_off + 2] << 8 |
					    f->data[f->tcp_off + 3]);
		bool s_listens = false, d_listens = false;
		for (size_t k = 0; k < nlisteners; k++) {
			s_listens |= listeners[k] == sport;
			d_listens |= listeners[k] == dport;
		}
		if (d_listens && !s_listens)
			f->client_port_at = 0;
		else if (s_listens && !d_listens)
			f->client_port_at = 1;
		else
			f->client_port_at = sport > dport ? 0 : 1;
	}
	if (n == 0) {
		fprintf(stderr, "multiply: %s: no frames\n", argv[1]);
		return 1;
	}
	int64_t first = (int64_t)frames[0].h.ts.tv_sec * 1000000000 +
			frames[0].h.ts.tv_usec;
	int64_t last = (int64_t)frames[n - 1].h.ts.tv_sec * 1000000000 +
		       frames[n - 1].h.ts.tv_usec;
	int64_t span = last - first + 1000000;

	pcap_t *dead = pcap_open_dead_with_tstamp_precision(
		dlt, 262144, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *out = pcap_dump_open(dead, argv[2]);
	if (!out) {
		fprintf(stderr, "multiply: %s\n", pcap_geterr(dead));
		return 1;
	}
	uint64_t written = 24;
	uint32_t copy = 0;
	uint8_t *buf = malloc(262144);
	while (written < want) {
		uint8_t a = (uint8_t)(copy >> 8), b = (uint8_t)copy;
		/* ports 1024..65023, a different one per copy */
		uint16_t port_shift = (uint16_t)(copy * 7919u % 64000u);
		for (size_t i = 0; i < n && written < want; i++) {
			struct frame *f = &frames[i];
			memcpy(buf, f->data, f->h.caplen);
			if (f->ip_off) {
				uint8_t *ip = buf + f->ip_off - 1;
				if (f->family == 4) {
					ip[13] ^= a; ip[14] ^= b;	/* src */
					ip[17] ^= a; ip[18] ^= b;	/* dst */
				} else {
					ip[8 + 12] ^= a; ip[8 + 13] ^= b;
					ip[24 + 12] ^= a; ip[24 + 13] ^= b;
				}
			}
			if (f->tcp_off && f->client_port_at >= 0) {
				uint8_t *p = buf + f->tcp_off + 2 * f->client_port_at;
				uint16_t port = (uint16_t)(p[0] << 8 | p[1]);
				port = (uint16_t)(1024 + (port - 1024u + port_shift) % 64000u);
				p[0] = (uint8_t)(port >> 8);
				p[1] = (uint8_t)port;
			}
			struct pcap_pkthdr hh = f->h;
			int64_t ts = (int64_t)hh.ts.tv_sec * 1000000000 +
				     hh.ts.tv_usec + (int64_t)copy * span;
			hh.ts.tv_sec = ts / 1000000000;
			hh.ts.tv_usec = ts % 1000000000;
			pcap_dump((u_char *)out, &hh, buf);
			written += 16 + hh.caplen;
		}
		copy++;
	}
	pcap_dump_close(out);
	pcap_close(dead);
	for (size_t i = 0; i < n; i++)
		free(frames[i].data);
	free(frames);
	free(buf);
	fprintf(stderr, "multiply: %u copies of %zu frames, %llu bytes\n", copy,
		n, (unsigned long long)written);
	return 0;
}
