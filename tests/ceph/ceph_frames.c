/* ceph_frames.c - prints the units (framing.h) of every Ceph connection of
 * a loopback capture, one line each, for the tests of the framing layer:
 *
 *   FRAME CONN C>S|S>C KIND TAG TYPE TID WIRE_LEN FLAGS [WHY]
 *
 * CONN is the connection's number in order of its first packet; KIND the
 * unit kind; TAG the msgr1 tag or msgr2 frame tag; TYPE and TID the
 * message type and transaction id of MESSAGE units (- otherwise); FLAGS
 * the CEPH_U_* bits in hex.  Reassembly is the simplest that lab
 * captures need (one host, in order): a hole in a direction's sequence
 * numbers is reported to the framing layer as a gap.
 *
 * usage: ceph_frames [-k KEYRING] [-s BYTES] [-w DIR] [-m DIR] CAPTURE
 *   -k  open secure-mode connections with this keyring
 *   -s  drop each direction's first BYTES bytes (a capture that begins
 *       inside a frame)
 *   -w  also write each connection as an input of the fuzz harness
 *       tests/fuzz/fuzz_ceph_stream.c: DIR/NAME-cN, an OSD connection
 *       with the monitor connection before it
 *   -m  also write the first message of each type and the first msgr2
 *       frame of each tag as an input of tests/fuzz/fuzz_ceph_message.c:
 *       DIR/NAME-msgrN-TYPE, DIR/NAME-frame-TAG
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/ceph/framing.h"

#define MAX_CONNS 4096

/* A connection's bytes in the fuzz harness's record format. */
struct recs {
	uint8_t *p;
	size_t len, cap;
};

struct conn {
	struct recs recs;
	uint32_t ip[2];
	uint16_t port[2];	/* [0] client, [1] server */
	uint32_t next_seq[2];
	bool seq_known[2];
	uint64_t dropped[2];
	unsigned number;
	struct ceph_conn ceph;
};

static struct conn *conns[MAX_CONNS];
static unsigned nconns;
static struct cephx_store *keys;
static uint64_t drop_first;
static unsigned cur_conn;
static const char *write_dir, *message_dir, *capture_name;
#define FUZZ_INPUT_MAX (256u << 10)

static void rec_add(struct recs *r, uint8_t conn_bit, bool to_server,
		    const uint8_t *data, size_t len)
{
	while (len) {
		size_t n = len > 65535 ? 65535 : len;
		if (r->len + 3 + n > FUZZ_INPUT_MAX)
			return;
		if (r->len + 3 + n > r->cap) {
			r->cap = (r->len + 3 + n) * 2;
			r->p = realloc(r->p, r->cap);
		}
		uint8_t h = (uint8_t)((to_server ? 0 : 0x80) | conn_bit << 6);
		if (n < 63) {
			r->p[r->len++] = h | (uint8_t)n;
		} else {
			r->p[r->len++] = h | 63;
			r->p[r->len++] = (uint8_t)n;
			r->p[r->len++] = (uint8_t)(n >> 8);
		}
		memcpy(r->p + r->len, data, n);
		r->len += n;
		data += n;
		len -= n;
	}
}

/* Knob byte 0xf0: a keyring, no gaps, units kept up to 2 MiB. */
static void write_inputs(const char *capture)
{
	const char *base = strrchr(capture, '/');
	base = base ? base + 1 : capture;
	char name[4096];
	unsigned last_mon = MAX_CONNS;
	for (unsigned i = 0; i < nconns; i++) {
		struct conn *c = conns[i];
		snprintf(name, sizeof name, "%s/%.*s-c%u", write_dir,
			 (int)(strcspn(base, ".")), base, i);
		FILE *out = fopen(name, "wb");
		if (!out)
			continue;
		fputc(0xf0, out);
		bool osd = c->port[1] >= 6800;
		if (osd && last_mon < MAX_CONNS) {
			/* The monitor session first, as connection 0. */
			fwrite(conns[last_mon]->recs.p, 1, conns[last_mon]->recs.len, out);
			struct recs r = { 0 };
			/* again with the connection bit set */
			for (size_t o = 0; o < c->recs.len;) {
				uint8_t h = c->recs.p[o];
				size_t n = h & 63, hl = 1;
				if (n == 63) {
					n = c->recs.p[o + 1] | (size_t)c->recs.p[o + 2] << 8;
					hl = 3;
				}
				rec_add(&r, 1, !(h & 0x80), c->recs.p + o + hl, n);
				o += hl + n;
			}
			fwrite(r.p, 1, r.len, out);
			free(r.p);
		} else {
			fwrite(c->recs.p, 1, c->recs.len, out);
		}
		fclose(out);
		if (c->port[1] == 3300 || c->port[1] == 6789)
			last_mon = i;
	}
}

static const char *const kinds[] = {
	"?", "BANNER", "CONNECT", "CONNECT_REPLY", "SEQ", "TAG", "FRAME",
	"MESSAGE", "ENCRYPTED", "SKIPPED",
};

/* A unit as an input of fuzz_ceph_message (its header: see there). */
static void write_message(const struct ceph_unit *u)
{
	static bool seen[3][65536];
	bool message = u->kind == CEPH_UNIT_MESSAGE ||
		       (u->kind == CEPH_UNIT_FRAME && u->tag == MSGR2_TAG_MESSAGE);
	if (u->kind != CEPH_UNIT_FRAME && !message)
		return;
	unsigned id = message ? u->head.type : u->tag;
	unsigned which = message ? u->msgr : 0;
	if (seen[which][id] || (u->flags & ~(unsigned)CEPH_U_DECRYPTED))
		return;
	seen[which][id] = true;
	char name[4096];
	if (message)
		snprintf(name, sizeof name, "%s/%s-msgr%u-%u", message_dir,
			 capture_name, u->msgr, id);
	else
		snprintf(name, sizeof name, "%s/%s-frame-%u", message_dir,
			 capture_name, id);
	unsigned first = u->msgr == 2 && message;	/* past header2 */
	uint8_t head[11] = {
		(uint8_t)(message ? (u->msgr == 1) : 2),
		(uint8_t)id, (uint8_t)(id >> 8),
		(uint8_t)u->head.version, (uint8_t)u->head.compat_version,
	};
	for (unsigned i = 0; i < 3; i++) {
		uint32_t n = first + i < 4 ? u->seg_kept[first + i] : 0;
		if (n > 65535)
			n = 65535;
		head[5 + 2 * i] = (uint8_t)n;
		head[6 + 2 * i] = (uint8_t)(n >> 8);
	}
	FILE *out = fopen(name, "wb");
	if (!out)
		return;
	fwrite(head, 1, sizeof head, out);
	unsigned nseg = message ? 3 : 1;
	for (unsigned i = 0; i < nseg; i++)
		if (first + i < 4 && u->seg_kept[first + i])
			fwrite(u->seg[first + i], 1,
			       u->seg_kept[first + i] > 65535 ? 65535 :
			       u->seg_kept[first + i], out);
	fclose(out);
}

static void on_unit(void *ctx, const struct ceph_unit *u)
{
	(void)ctx;
	if (message_dir)
		write_message(u);
	printf("%llu %u %s %s %u ", (unsigned long long)u->frame, cur_conn,
	       u->from_client ? "C>S" : "S>C", kinds[u->kind], u->tag);
	if ((u->kind == CEPH_UNIT_FRAME && u->tag == MSGR2_TAG_MESSAGE) ||
	    u->kind == CEPH_UNIT_MESSAGE)
		printf("%u %llu ", u->head.type, (unsigned long long)u->head.tid);
	else
		printf("- - ");
	printf("%llu 0x%x", (unsigned long long)u->wire_len, u->flags);
	if (u->why)
		printf(" %s", u->why);
	printf("\n");
}

static struct conn *find(uint32_t sip, uint16_t sport, uint32_t dip, uint16_t dport,
			 bool syn, uint32_t seq, int *dir)
{
	for (unsigned i = 0; i < nconns; i++) {
		struct conn *c = conns[i];
		for (int d = 0; d < 2; d++)
			if (c->ip[d] == sip && c->port[d] == sport &&
			    c->ip[1 - d] == dip && c->port[1 - d] == dport) {
				if (syn && d == 0 && c->seq_known[0] &&
				    c->next_seq[0] != seq + 1) {
					/* a client port used again (not the
					 * SYN sent again): a new connection,
					 * the old one is over */
					c->port[0] = c->port[1] = 0;
					break;
				}
				*dir = d;
				return c;
			}
	}
	if (nconns >= MAX_CONNS)
		return NULL;
	struct conn *c = calloc(1, sizeof *c);
	/* The SYN's sender is the client; without a SYN, the lower port
	 * (3300, 6789, 68xx) is the server's. */
	bool sender_is_client = syn || sport > dport;
	int d = sender_is_client ? 0 : 1;
	c->ip[d] = sip;
	c->port[d] = sport;
	c->ip[1 - d] = dip;
	c->port[1 - d] = dport;
	c->number = nconns;
	ceph_conn_init(&c->ceph, keys);
	conns[nconns++] = c;
	*dir = d;
	return c;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int main(int argc, char **argv)
{
	const char *keyring = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "k:s:w:m:")) != -1) {
		if (opt == 'm')
			message_dir = optarg;
		else if (opt == 'k')
			keyring = optarg;
		else if (opt == 'w')
			write_dir = optarg;
		else if (opt == 's')
			drop_first = strtoull(optarg, NULL, 10);
		else
			return 2;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: ceph_frames [-k KEYRING] [-s BYTES] [-w DIR] [-m DIR] CAPTURE\n");
		return 2;
	}
	static char base[256];
	const char *slash = strrchr(argv[optind], '/');
	snprintf(base, sizeof base, "%s", slash ? slash + 1 : argv[optind]);
	char *dot = strstr(base, ".pcap");
	if (dot)
		*dot = '\0';
	capture_name = base;
	if (keyring) {
		static char text[65536];
		FILE *kf = fopen(keyring, "r");
		if (!kf) {
			perror(keyring);
			return 2;
		}
		size_t n = fread(text, 1, sizeof text, kf);
		fclose(kf);
		keys = calloc(1, sizeof *keys);
		char err[160];
		if (!cephx_keyring_parse(text, n, &keys->keyring, err, sizeof err)) {
			fprintf(stderr, "%s: %s\n", keyring, err);
			return 2;
		}
	}
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(argv[optind], errbuf);
	if (!p) {
		fprintf(stderr, "%s\n", errbuf);
		return 2;
	}
	int dlt = pcap_datalink(p);
	struct pcap_pkthdr *h;
	const u_char *pkt;
	uint64_t frame = 0;
	while (pcap_next_ex(p, &h, &pkt) == 1) {
		frame++;
		size_t off = dlt == DLT_EN10MB ? 14 : dlt == DLT_LINUX_SLL ? 16 :
			     dlt == DLT_NULL ? 4 : 0;
		if (h->caplen < off + 20 || (pkt[off] >> 4) != 4 || pkt[off + 9] != 6)
			continue;
		size_t ihl = (size_t)(pkt[off] & 15) * 4;
		size_t tot = (size_t)pkt[off + 2] << 8 | pkt[off + 3];
		const uint8_t *tcp = pkt + off + ihl;
		if (off + tot > h->caplen || ihl + 20 > tot)
			continue;
		uint32_t sip = be32(pkt + off + 12), dip = be32(pkt + off + 16);
		uint16_t sport = (uint16_t)(tcp[0] << 8 | tcp[1]);
		uint16_t dport = (uint16_t)(tcp[2] << 8 | tcp[3]);
		uint32_t seq = be32(tcp + 4);
		size_t doff = (size_t)(tcp[12] >> 4) * 4;
		uint8_t flags = tcp[13];
		if (ihl + doff > tot)
			continue;
		const uint8_t *data = tcp + doff;
		size_t len = tot - ihl - doff;
		bool syn = (flags & 0x12) == 0x02;
		int d;
		struct conn *c = find(sip, sport, dip, dport, syn, seq, &d);
		if (!c)
			continue;
		cur_conn = c->number;
		if (flags & 0x02) {
			c->next_seq[d] = seq + 1;
			c->seq_known[d] = true;
			continue;
		}
		if (len) {
			if (!c->seq_known[d]) {
				c->next_seq[d] = seq;
				c->seq_known[d] = true;
			}
			int32_t ahead = (int32_t)(seq - c->next_seq[d]);
			if (ahead < 0) {	/* retransmitted */
				if ((uint32_t)-ahead >= len)
					continue;
				data += -ahead;
				len -= (size_t)-ahead;
				seq = c->next_seq[d];
			} else if (ahead > 0) {
				ceph_gap(&c->ceph, d == 0, frame, on_unit, NULL);
			}
			c->next_seq[d] = seq + (uint32_t)len;
			if (c->dropped[d] < drop_first) {
				size_t n = drop_first - c->dropped[d];
				if (n > len)
					n = len;
				c->dropped[d] += n;
				data += n;
				len -= n;
				if (c->dropped[d] == drop_first)
					ceph_gap(&c->ceph, d == 0, frame, on_unit, NULL);
			}
			if (len)
				ceph_feed(&c->ceph, d == 0, data, len, frame, 0, on_unit, NULL);
			if (len && write_dir)
				rec_add(&c->recs, 0, d == 0, data, len);
		}
		if (flags & 0x05)	/* FIN or RST */
			ceph_close(&c->ceph, d == 0, frame, on_unit, NULL);
	}
	if (write_dir)
		write_inputs(argv[optind]);
	for (unsigned i = 0; i < nconns; i++) {
		cur_conn = i;
		free(conns[i]->recs.p);
		ceph_close(&conns[i]->ceph, true, frame, on_unit, NULL);
		ceph_close(&conns[i]->ceph, false, frame, on_unit, NULL);
		ceph_conn_free(&conns[i]->ceph);
		free(conns[i]);
	}
	free(keys);
	pcap_close(p);
	return 0;
}
