/* pcap-grow.c - makes a large capture from a small real one, for the
 * correlator benchmark: N copies of the input, each shifted in time past
 * the previous one and with the client ports moved so that every copy's
 * connections are new ones.  Ethernet + IPv4 + TCP frames only (the lab's
 * captures); other frames are copied unchanged.
 *
 *	pcap-grow IN.pcap OUT.pcap MEGABYTES
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_server_port(unsigned p)
{
	return p == 24007 || (p >= 49152 && p <= 49171);
}

static void move_ports(unsigned char *d, unsigned len, unsigned copy)
{
	if (len < 14 + 20 || d[12] != 0x08 || d[13] != 0x00)
		return;
	unsigned ihl = (d[14] & 15) * 4u;
	if (d[14 + 9] != 6 || len < 14 + ihl + 20)
		return;
	unsigned char *tcp = d + 14 + ihl;
	for (int i = 0; i < 2; i++) {
		unsigned p = (unsigned)tcp[2 * i] << 8 | tcp[2 * i + 1];
		if (is_server_port(p))
			continue;
		p = 1024 + (p + copy * 16) % 23000;	/* below 24007 */
		tcp[2 * i] = (unsigned char)(p >> 8);
		tcp[2 * i + 1] = (unsigned char)p;
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: pcap-grow IN.pcap OUT.pcap MEGABYTES\n");
		return 2;
	}
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long want = strtoull(argv[3], NULL, 10) << 20, written = 0;
	pcap_t *in = pcap_open_offline_with_tstamp_precision(argv[1],
		PCAP_TSTAMP_PRECISION_MICRO, err);
	if (!in) {
		fprintf(stderr, "pcap-grow: %s\n", err);
		return 1;
	}
	pcap_dumper_t *out = pcap_dump_open(in, argv[2]);
	if (!out) {
		fprintf(stderr, "pcap-grow: %s\n", pcap_geterr(in));
		return 1;
	}
	/* Read the input once into memory. */
	struct frame { struct pcap_pkthdr h; unsigned char *d; } *f = NULL;
	size_t n = 0, cap = 0;
	struct pcap_pkthdr *h;
	const unsigned char *d;
	while (pcap_next_ex(in, &h, &d) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			f = realloc(f, cap * sizeof *f);
		}
		f[n].h = *h;
		f[n].d = malloc(h->caplen);
		memcpy(f[n].d, d, h->caplen);
		n++;
	}
	if (!n)
		return 1;
	long long span = (f[n - 1].h.ts.tv_sec - f[0].h.ts.tv_sec) * 1000000LL +
			 (f[n - 1].h.ts.tv_usec - f[0].h.ts.tv_usec) + 1000;
	unsigned char *buf = malloc(65536 * 4);
	for (unsigned copy = 0; written < want; copy++) {
		for (size_t i = 0; i < n && written < want; i++) {
			struct pcap_pkthdr ph = f[i].h;
			long long us = ph.ts.tv_sec * 1000000LL + ph.ts.tv_usec +
				       span * copy;
			ph.ts.tv_sec = us / 1000000;
			ph.ts.tv_usec = us % 1000000;
			memcpy(buf, f[i].d, ph.caplen);
			move_ports(buf, ph.caplen, copy);
			pcap_dump((unsigned char *)out, &ph, buf);
			written += 16 + ph.caplen;
		}
	}
	pcap_dump_close(out);
	return 0;
}
