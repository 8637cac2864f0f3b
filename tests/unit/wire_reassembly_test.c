/* wire_reassembly_test.c - capture, link, IP, TCP reassembly and stream
 * dispatch over synthetic captures written with libpcap's pcap_dump:
 * out-of-order, retransmission, overlap, gap + resync, mid-stream start,
 * FIN/RST, VLAN/SLL/SLL2/raw/loopback, IPv6 extension headers, snaplen
 * truncation, gzip, several files, bounded memory.
 *
 * A test protocol ("MSG" + 1-byte length + text) is detected by content;
 * every message, gap and close it sees goes into a log that each case
 * compares with what the packets it wrote must give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "wire/capture.h"
#include "wire/decoder.h"
#include "wire/reassembly.h"
#include "wire/stream.h"
#include "tap.h"
#include "wire_pcap.h"

static char log_buf[16384];

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	size_t n = strlen(log_buf);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(log_buf + n, sizeof log_buf - n, fmt, ap);
	va_end(ap);
}

/* ---- the test protocol: "MSG" <len:1> <len bytes of text> ---- */

struct msg_state {
	uint8_t buf[300];
	size_t len;
	uint64_t first_frame;
	bool after_gap;
};

static enum detect_verdict msg_detect(const uint8_t *data, size_t len,
				      bool at_start)
{
	static const char magic[] = "MSG";
	size_t n = len < 3 ? len : 3;
	if (memcmp(data, magic, n))
		return DETECT_NO;
	return len < 4 ? DETECT_MAYBE : DETECT_YES;
}

static void msg_feed(struct stream_dir *dir, const uint8_t *data, size_t len,
		     const struct frame_ref *frame)
{
	struct msg_state *s = dir->proto_state;
	for (size_t i = 0; i < len; i++) {
		if (s->len == 0)
			s->first_frame = frame->number;
		s->buf[s->len++] = data[i];
		if (s->len < 4 || s->len < 4u + s->buf[3])
			continue;
		/* like RPC: a call shows which side is the client */
		if (s->buf[3] >= 4 && !memcmp(s->buf + 4, "call", 4))
			stream_set_client(dir, true);
		struct message *m = stream_scratch_message(dir);
		stream_message_begin(m, dir, s->first_frame, frame);
		if (memcmp(s->buf, "MSG", 3))
			msg_mark(m, MSG_MALFORMED, "no magic");
		if (s->after_gap)
			msg_mark(m, MSG_AFTER_GAP, "after a gap");
		msg_info(m, "%c:%.*s", dir->client_to_server ? 'C' : 'S',
			 (int)s->buf[3], (const char *)s->buf + 4);
		stream_emit(dir, m);
		s->len = 0;
		s->after_gap = false;
	}
}

static void msg_gap(struct stream_dir *dir, uint64_t missing,
		    const struct frame_ref *frame)
{
	struct msg_state *s = dir->proto_state;
	s->len = 0;
	s->after_gap = true;
	logf_("gap(%u,%llu) ", dir->src.port, (unsigned long long)missing);
}

static void msgp_close(struct stream_dir *dir, const struct frame_ref *frame)
{
	logf_("close(%u) ", dir->src.port);
}

static const struct stream_proto msg_proto = {
	.name = "test",
	.detect = msg_detect,
	.state_size = sizeof(struct msg_state),
	.conn_state_size = 8,
	.feed = msg_feed,
	.gap = msg_gap,
	.close = msgp_close,
};
static const struct stream_proto *const test_protos[] = { &msg_proto };

static void on_message(void *user, const struct message *m)
{
	logf_("%s%s@%llu", m->verdict & MSG_AFTER_GAP ? "!" : "", m->info,
	      (unsigned long long)m->frame);
	if (m->first_frame != m->frame)
		logf_("<%llu", (unsigned long long)m->first_frame);
	logf_(" ");
}

/* ---- building captures ---- */

static char dir_tmp[256];

static const char *tmp_path(const char *name)
{
	static char paths[8][512];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, 512, "%s/%s", dir_tmp, name);
	return p;
}

struct conn {
	struct writer *w;
	int family;
	uint16_t cport, sport;
	uint32_t cseq, sseq;	/* next sequence numbers */
	size_t ext_headers;
};

static struct pkt conn_pkt(struct conn *c, bool from_client, uint8_t flags)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.family = c->family ? c->family : 4;
	uint8_t a[16] = { 10, 0, 0, 1 }, b[16] = { 10, 0, 0, 2 };
	if (p.family == 6) {
		memset(a, 0, 16); memset(b, 0, 16);
		a[0] = b[0] = 0xfd; a[15] = 1; b[15] = 2;
	}
	memcpy(p.src, from_client ? a : b, 16);
	memcpy(p.dst, from_client ? b : a, 16);
	p.sport = from_client ? c->cport : c->sport;
	p.dport = from_client ? c->sport : c->cport;
	p.seq = from_client ? c->cseq : c->sseq;
	p.ack = from_client ? c->sseq : c->cseq;
	p.flags = flags;
	p.ext_headers = c->ext_headers;
	return p;
}

static void handshake(struct conn *c)
{
	struct pkt p = conn_pkt(c, true, TCP_SYN);
	writer_pkt(c->w, &p);
	c->cseq++;
	p = conn_pkt(c, false, TCP_SYN | TCP_ACK);
	writer_pkt(c->w, &p);
	c->sseq++;
	p = conn_pkt(c, true, TCP_ACK);
	writer_pkt(c->w, &p);
}

/* Sends bytes at `rel` from the next sequence number; advance: move it. */
static void send_at(struct conn *c, bool from_client, int32_t rel,
		    const void *data, size_t len, bool advance)
{
	struct pkt p = conn_pkt(c, from_client, TCP_ACK | TCP_PSH);
	p.seq += (uint32_t)rel;
	p.payload = data;
	p.len = len;
	writer_pkt(c->w, &p);
	if (advance)
		*(from_client ? &c->cseq : &c->sseq) += (uint32_t)len;
}

static void tx(struct conn *c, bool from_client, const void *data,
		 size_t len)
{
	send_at(c, from_client, 0, data, len, true);
}

static void fin(struct conn *c, bool from_client)
{
	struct pkt p = conn_pkt(c, from_client, TCP_FIN | TCP_ACK);
	writer_pkt(c->w, &p);
	*(from_client ? &c->cseq : &c->sseq) += 1;
}

static void ack(struct conn *c, bool from_client)
{
	struct pkt p = conn_pkt(c, from_client, TCP_ACK);
	writer_pkt(c->w, &p);
}

/* "MSG" <len> text, into buf; returns its length. */
static size_t rec(uint8_t *buf, const char *text)
{
	size_t n = strlen(text);
	memcpy(buf, "MSG", 3);
	buf[3] = (uint8_t)n;
	memcpy(buf + 4, text, n);
	return 4 + n;
}

/* ---- running the decoder ---- */

static struct decoder_stats last_stats;
static size_t flows_left_before_finish;
static size_t peak_total_buffer, peak_flows;
/* What the decoder's budget held after finishing, beyond its fixed
 * blocks (all should be given back), and the buffers' peak. */
static size_t budget_left, buffers_peak;

/* When set, decode_files uses this decoder (and decoder_reset after)
 * instead of a new one. */
static struct decoder *reused;

static int decode_files(const char *const *paths, size_t n,
			const struct decoder_options *opts)
{
	char err[512];
	log_buf[0] = '\0';
	struct capture *cap = capture_open(paths, n, err, sizeof err);
	if (!cap) {
		logf_("open: %s", err);
		return -1;
	}
	struct decoder_options o;
	decoder_default_options(&o);
	struct decoder *d = reused ? reused :
		decoder_new(opts ? opts : &o, on_message, NULL);
	decoder_set_protocols(d, test_protos, 1);
	struct capture_frame f;
	int rc;
	peak_total_buffer = peak_flows = 0;
	while ((rc = capture_next(cap, &f)) == 1) {
		decoder_frame(d, &f);
		if (d->buffers.used > peak_total_buffer)
			peak_total_buffer = d->buffers.used;
		if (d->ra.nflows > peak_flows)
			peak_flows = d->ra.nflows;
	}
	if (rc < 0)
		logf_("error: %s ", capture_error(cap));
	flows_left_before_finish = d->ra.nlive;
	decoder_finish(d);
	last_stats = *decoder_stats(d);
	/* the fixed blocks: the decoder, its scratch message, the flow
	 * table's buckets; and the set of waiting requests (its own test
	 * checks what it gives back) */
	size_t fixed = budget_alloc_size(sizeof *d) +
		budget_alloc_size(sizeof *d->scratch) +
		budget_alloc_size(d->ra.nbuckets * sizeof *d->ra.buckets);
	budget_left = d->budget.used - fixed - d->waiting_budget.used;
	buffers_peak = d->buffers.peak;
	if (reused)
		decoder_reset(d);
	else
		decoder_free(d);
	capture_close(cap);
	size_t len = strlen(log_buf);
	if (len && log_buf[len - 1] == ' ')
		log_buf[len - 1] = '\0';
	return rc;
}

static int decode(const char *path, const struct decoder_options *opts)
{
	return decode_files(&path, 1, opts);
}

/* ---- cases ---- */

static void simple_exchange(struct writer *w, int family)
{
	struct conn c = { w, family, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64], b[64];
	handshake(&c);
	tx(&c, true, a, rec(a, "hello"));
	tx(&c, false, b, rec(b, "world"));
	fin(&c, true);
	fin(&c, false);
	ack(&c, true);
}

static void test_in_order(void)
{
	struct writer w;
	const char *path = tmp_path("inorder.pcap");
	writer_open(&w, path, DLT_EN10MB);
	simple_exchange(&w, 4);
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "C:hello@4 S:world@5 close(40000) close(2049)",
	       "in order: both directions, roles from the SYN, closed by FIN");
	is_int(flows_left_before_finish, 0, "a flow closed by FIN is released at once");
	is_int(last_stats.flows, 1, "one flow");
	is_int(last_stats.messages, 2, "two messages counted");
}

static void test_link_types(void)
{
	static const struct {
		int dlt, vlan, family;
		bool swap;
		const char *name;
	} cases[] = {
		{ DLT_EN10MB, 1, 4, false, "Ethernet + 802.1Q" },
		{ DLT_EN10MB, 2, 6, false, "Ethernet + QinQ, IPv6" },
		{ DLT_LINUX_SLL, 0, 4, false, "Linux cooked (SLL)" },
		{ 276, 0, 6, false, "Linux cooked v2 (SLL2), IPv6" },
		{ 276, 0, 4, false, "Linux cooked v2 (SLL2)" },
		{ DLT_RAW, 0, 4, false, "raw IPv4" },
		{ DLT_RAW, 0, 6, false, "raw IPv6" },
		{ DLT_NULL, 0, 4, false, "BSD loopback, host order" },
		{ DLT_NULL, 0, 6, true, "BSD loopback, swapped order, IPv6" },
		{ DLT_LOOP, 0, 4, false, "OpenBSD loopback (DLT_LOOP)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct writer w;
		const char *path = tmp_path("link.pcap");
		writer_open(&w, path, cases[i].dlt);
		w.vlan_tags = cases[i].vlan;
		w.swap_null = cases[i].swap;
		simple_exchange(&w, cases[i].family);
		writer_close(&w);
		decode(path, NULL);
		is_str(log_buf, "C:hello@4 S:world@5 close(40000) close(2049)",
		       "%s", cases[i].name);
	}
}

static void test_ipv6_ext_and_ipv4_options(void)
{
	struct writer w;
	const char *path = tmp_path("ext.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 6, 40000, 2049, 1000, 5000, 2 };
	uint8_t a[64];
	handshake(&c);
	tx(&c, true, a, rec(a, "through-ext"));
	struct pkt p = conn_pkt(&c, true, TCP_ACK);	/* IPv4, options */
	p.family = 4;
	p.ip_options = 8;
	p.payload = a;
	p.len = rec(a, "v4-options");
	writer_pkt(&w, &p);
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "C:through-ext@4 C:v4-options@5 close(40000) close(2049) close(40000) close(2049)",
	       "IPv6 hop-by-hop + destination options skipped; IPv4 options skipped");
}

static void test_out_of_order(void)
{
	struct writer w;
	const char *path = tmp_path("ooo.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64], b[64], x[64];
	size_t na = rec(a, "first"), nb = rec(b, "second");
	handshake(&c);
	send_at(&c, true, (int32_t)na, b, nb, false);	/* frame 4 */
	send_at(&c, true, 0, a, na, false);		/* frame 5 */
	c.cseq += (uint32_t)(na + nb);
	/* one record split in three, middle last */
	size_t nx = rec(x, "split-record");
	send_at(&c, true, 0, x, 5, false);			/* 6 */
	send_at(&c, true, 10, x + 10, nx - 10, false);	/* 7 */
	send_at(&c, true, 5, x + 5, 5, false);		/* 8 */
	c.cseq += (uint32_t)nx;
	writer_close(&w);
	decode(path, NULL);
	/* what waited behind a hole completes in the frame that filled
	 * it: "second" (frame 4) and the split record's tail (7) when
	 * frames 5 and 8 came */
	is_str(log_buf, "C:first@5 C:second@5 C:split-record@8<6 close(40000) close(2049)",
	       "out of order: reordered; a message reports its frames");
	is_int(last_stats.tcp_out_of_order, 2, "two segments arrived early");
	is_int(last_stats.tcp_gaps, 0, "no gap");
}

static void test_retransmission_and_overlap(void)
{
	struct writer w;
	const char *path = tmp_path("retrans.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64], b[64], evil[64];
	size_t na = rec(a, "aaaa"), nb = rec(b, "bbbbbbbb");
	handshake(&c);
	send_at(&c, true, 0, a, na, false);
	send_at(&c, true, 0, a, na, false);	/* plain retransmission */
	c.cseq += (uint32_t)na;
	/* b's tail arrives first; then b whole, with other bytes where
	 * they overlap: the first copy wins. */
	send_at(&c, true, 6, b + 6, nb - 6, false);
	memcpy(evil, b, nb);
	memset(evil + 6, 'X', nb - 6);
	send_at(&c, true, 0, evil, nb, false);
	c.cseq += (uint32_t)nb;
	/* overlapping the delivered past: only the new part counts */
	uint8_t two[128];
	size_t n1 = rec(two, "cc");
	size_t n2 = rec(two + n1, "dd");
	send_at(&c, true, 0, two, n1 + 2, false);
	send_at(&c, true, 0, two, n1 + n2, false);
	c.cseq += (uint32_t)(n1 + n2);
	writer_close(&w);
	decode(path, NULL);
	/* b completes in frame 7, which filled the hole before its tail */
	is_str(log_buf, "C:aaaa@4 C:bbbbbbbb@7 C:cc@8 C:dd@9<8 close(40000) close(2049)",
	       "retransmissions dropped, overlaps first-wins");
	is_int(last_stats.tcp_retransmits, 1, "one retransmission");
	ok(last_stats.tcp_overlaps >= 2, "overlaps counted (%llu)",
	   (unsigned long long)last_stats.tcp_overlaps);
}

static void test_gap_resync(void)
{
	struct writer w;
	const char *path = tmp_path("gap.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64], lost[64], tail[128];
	handshake(&c);
	tx(&c, true, a, rec(a, "before"));
	size_t nl = rec(lost, "this-record-is-lost");
	c.cseq += 10;		/* the first 10 bytes never captured */
	/* the rest of the lost record, then a whole one */
	size_t nt = nl - 10;
	memcpy(tail, lost + 10, nt);
	nt += rec(tail + nt, "after");
	tx(&c, true, tail, nt);
	ack(&c, false);		/* the server got it all */
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "C:before@4 gap(40000,10) !C:after@5 close(40000) close(2049)",
	       "a gap is reported once, the stream resyncs on the next message");
	is_int(last_stats.tcp_gaps, 1, "one gap");
	is_int(last_stats.tcp_gap_bytes, 10, "of 10 bytes");
	is_int(last_stats.resync_skipped_bytes, nl - 10, "the lost record's tail skipped");
}

/* Behind a hole that is given up, the bytes come in stream order, not
 * in the order their frames came: a record begun in frame 6's bytes and
 * ended in frame 5's completes in frame 6 (never before it began). */
static void test_hole_given_up_reordered(void)
{
	struct writer w;
	const char *path = tmp_path("gap-reordered.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64], r[64];
	handshake(&c);
	tx(&c, true, a, rec(a, "before"));			/* 4 */
	size_t n = rec(r, "spanning");
	send_at(&c, true, 10 + 6, r + 6, n - 6, false);	/* 5 */
	send_at(&c, true, 10, r, 6, false);			/* 6 */
	c.cseq += (uint32_t)(10 + n);	/* 10 bytes never captured */
	ack(&c, false);			/* 7: the server got them all */
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "C:before@4 gap(40000,10) !C:spanning@6 close(40000) close(2049)",
	       "a hole given up: what follows completes in its latest frame");
	is_int(last_stats.tcp_gaps, 1, "one gap");
}

static void test_mid_stream(void)
{
	struct writer w;
	const char *path = tmp_path("mid.pcap");
	writer_open(&w, path, DLT_EN10MB);
	/* server on the higher port: the RPC-style guess needs the
	 * protocol; here the lower port is guessed to be the server */
	struct conn c = { &w, 4, 50000, 24007, 77777, 99999, 0 };
	uint8_t a[64], buf[128];
	size_t n = rec(a, "partial");
	memcpy(buf, a + 3, n - 3);		/* starts inside a record */
	size_t m = n - 3 + rec(buf + n - 3, "whole");
	tx(&c, true, buf, m);
	tx(&c, false, a, rec(a, "reply"));
	fin(&c, true);
	fin(&c, false);
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "C:whole@1 S:reply@2 close(50000) close(24007)",
	       "mid-stream start: found by content, lower port taken as server");
	is_int(last_stats.resync_skipped_bytes, n - 3, "bytes before the first message skipped");
}

static void test_roles_fixed_by_protocol(void)
{
	struct writer w;
	const char *path = tmp_path("roles.pcap");
	writer_open(&w, path, DLT_EN10MB);
	/* GlusterFS-like: a privileged client port, a brick port above */
	struct conn c = { &w, 4, 1023, 49152, 5, 9, 0 };
	uint8_t a[64];
	tx(&c, false, a, rec(a, "reply-first"));
	tx(&c, true, a, rec(a, "call-x"));
	tx(&c, false, a, rec(a, "reply"));
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "C:reply-first@1 C:call-x@2 S:reply@3 close(49152) close(1023)",
	       "mid-stream roles: guessed by port, fixed once the protocol knows");
}

static void test_fragments(void)
{
	struct writer w;
	const char *path = tmp_path("frag.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64];
	handshake(&c);
	tx(&c, true, a, rec(a, "one"));
	struct pkt p = conn_pkt(&c, true, TCP_ACK);
	p.payload = a;
	p.len = rec(a, "fragmented");
	p.frag = 0x2000;	/* more fragments */
	writer_pkt(&w, &p);
	c.cseq += (uint32_t)p.len;
	tx(&c, true, a, rec(a, "two"));
	ack(&c, false);
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "C:one@4 gap(40000,14) !C:two@6 close(40000) close(2049)",
	       "an IPv4 fragment is counted, not decoded: the stream shows a gap");
	is_int(last_stats.ip_fragments, 1, "one fragment counted");

	/* A segmentation-offload super-packet: IPv4 total length 0 */
	path = tmp_path("tso.pcap");
	writer_open(&w, path, DLT_EN10MB);
	c = (struct conn){ &w, 4, 40000, 2049, 1000, 5000, 0 };
	handshake(&c);
	static uint8_t big[300], frame_buf[400], ipb[400];
	char text[256];
	memset(text, 't', 250);
	text[250] = '\0';
	p = conn_pkt(&c, true, TCP_ACK);
	p.payload = big;
	p.len = rec(big, text);
	size_t n = build_ip(ipb, &p);
	ipb[2] = ipb[3] = 0;
	size_t fl = build_frame(frame_buf, DLT_EN10MB, 4, ipb, n, 0, false);
	writer_raw(&w, frame_buf, fl, fl);
	writer_close(&w);
	decode(path, NULL);
	ok(strncmp(log_buf, "C:tttt", 6) == 0 && last_stats.bad_frames == 0,
	   "IPv4 total length 0 (offload super-packet) is taken as captured");

	/* IPv6 with a fragment header */
	path = tmp_path("frag6.pcap");
	writer_open(&w, path, DLT_EN10MB);
	static const uint8_t frame[] = {
		0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
		0xaa, 0xaa, 0x86, 0xdd,
		0x60, 0, 0, 0, 0, 16, 44, 64,
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		6, 0, 0, 1, 0, 0, 0, 42,	/* fragment header, M=1 */
		0, 1, 0, 2, 0, 0, 0, 0,
	};
	writer_raw(&w, frame, sizeof frame, sizeof frame);
	writer_close(&w);
	decode(path, NULL);
	is_int(last_stats.ip_fragments, 1, "an IPv6 fragment is counted");
}

static void test_rst(void)
{
	struct writer w;
	const char *path = tmp_path("rst.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64];
	handshake(&c);
	tx(&c, true, a, rec(a, "x"));
	struct pkt p = conn_pkt(&c, false, TCP_RST | TCP_ACK);
	writer_pkt(&w, &p);
	/* a new connection on the same 4-tuple */
	c.cseq += 100000;
	handshake(&c);
	tx(&c, true, a, rec(a, "again"));
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "C:x@4 close(40000) close(2049) C:again@9 close(40000) close(2049)",
	       "RST closes both directions; the 4-tuple can start over");
	is_int(last_stats.flows, 2, "two connections");
}

static void test_not_our_protocol(void)
{
	struct writer w;
	const char *path = tmp_path("other.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64];
	handshake(&c);
	/* On the port the test protocol "uses", but other content: the
	 * port does not decide. */
	tx(&c, true, "GET / HTTP/1.0\r\n\r\nMSG\x01x", 24);
	tx(&c, true, a, rec(a, "late"));
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "", "a stream that starts with other content is left alone");
}

static void test_truncated(void)
{
	struct writer w;
	const char *path = tmp_path("snap.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t big[200], a[64];
	handshake(&c);
	char text[120];
	memset(text, 'z', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	w.snaplen = 14 + 20 + 20 + 30;	/* 30 payload bytes captured */
	tx(&c, true, big, rec(big, text));
	w.snaplen = 0;
	tx(&c, true, a, rec(a, "next"));
	/* frames cut inside the headers */
	uint8_t junk[14] = { 0 };
	junk[12] = 0x08;
	writer_raw(&w, junk, 14, 14);
	uint8_t ipjunk[24] = { 0 };
	ipjunk[12] = 0x08;
	ipjunk[14] = 0x45;
	writer_raw(&w, ipjunk, 24, 24);
	writer_close(&w);
	decode(path, NULL);
	is_str(log_buf, "gap(40000,93) !C:next@5 close(40000) close(2049)",
	       "a payload cut by the snap length is a gap, then resync");
	is_int(last_stats.truncated_frames, 3, "truncated frames counted");
}

static int gzip_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	gzFile out = gzopen(to, "wb");
	if (!in || !out)
		return -1;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		gzwrite(out, buf, (unsigned)n);
	fclose(in);
	return gzclose(out) == Z_OK ? 0 : -1;
}

static void test_gzip_and_files(void)
{
	struct writer w;
	const char *plain = tmp_path("g.pcap");
	writer_open(&w, plain, DLT_EN10MB);
	simple_exchange(&w, 4);
	writer_close(&w);
	const char *gz = tmp_path("capture-no-gz-suffix");
	ok(gzip_file(plain, gz) == 0, "gzip written");
	decode(gz, NULL);
	is_str(log_buf, "C:hello@4 S:world@5 close(40000) close(2049)",
	       "gzip found by its magic, not its name");

	/* A truncated gzip: the good frames, then an error naming it. */
	FILE *f = fopen(gz, "rb");
	uint8_t buf[4096];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	const char *cut = tmp_path("cut.pcap.gz");
	f = fopen(cut, "wb");
	fwrite(buf, 1, n - 30, f);
	fclose(f);
	int rc = decode(cut, NULL);
	is_int(rc, -1, "truncated gzip is an error");
	ok(strstr(log_buf, "cut.pcap.gz") != NULL, "the error names the file: %s",
	   log_buf);

	/* Rotated set: given in the wrong order, read by time. */
	struct writer w1, w2;
	const char *p1 = tmp_path("rot"), *p2 = tmp_path("rot1");
	writer_open(&w1, p1, DLT_EN10MB);
	writer_open(&w2, p2, DLT_LINUX_SLL);
	struct conn c = { &w1, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64];
	handshake(&c);
	tx(&c, true, a, rec(a, "one"));
	c.w = &w2;
	w2.ts = w1.ts;
	tx(&c, true, a, rec(a, "two"));
	fin(&c, true);
	writer_close(&w1);
	writer_close(&w2);
	const char *order[] = { p2, p1 };
	decode_files(order, 2, NULL);
	is_str(log_buf, "C:one@4 C:two@5 close(40000) close(2049)",
	       "two files read as one, in time order, frames numbered across");

	const char *missing[] = { p1, tmp_path("no-such-file") };
	rc = decode_files(missing, 2, NULL);
	ok(rc == -1 && strstr(log_buf, "no-such-file"),
	   "a missing file is named: %s", log_buf);
	const char *notpcap = tmp_path("not-a-capture");
	f = fopen(notpcap, "w");
	fputs("hello\n", f);
	fclose(f);
	rc = decode(notpcap, NULL);
	ok(rc == -1 && strstr(log_buf, "not-a-capture") &&
	   strstr(log_buf, "not a pcap"), "not a capture: %s", log_buf);
}

static void test_bounds(void)
{
	struct writer w;
	const char *path = tmp_path("bounds.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn c = { &w, 4, 40000, 2049, 1000, 5000, 0 };
	uint8_t a[64];
	handshake(&c);
	/* a hole that never fills, then 20 records behind it */
	c.cseq += 7;
	for (int i = 0; i < 20; i++)
		tx(&c, true, a, rec(a, "behind-the-hole"));
	writer_close(&w);
	struct decoder_options o;
	decoder_default_options(&o);
	o.max_flow_buffer = 100;
	decode(path, &o);
	ok(last_stats.buffer_drops > 0, "per-direction cap forces the hole out (%llu)",
	   (unsigned long long)last_stats.buffer_drops);
	is_int(last_stats.tcp_gaps, 1, "one gap");
	is_int(last_stats.messages, 20, "every record after it decoded");

	/* more connections than max_flows: the idle ones are evicted */
	path = tmp_path("flows.pcap");
	writer_open(&w, path, DLT_EN10MB);
	for (uint16_t port = 1; port <= 5; port++) {
		struct conn k = { &w, 4, (uint16_t)(40000 + port), 2049, 1, 1, 0 };
		handshake(&k);
		tx(&k, true, a, rec(a, "open"));
	}
	writer_close(&w);
	o.max_flows = 2;
	decode(path, &o);
	is_int(last_stats.flows_evicted, 3, "flow cap: LRU flows evicted");
	is_int(last_stats.messages, 5, "their messages were still delivered");
	ok(peak_flows <= 2, "never more flows than the cap (%zu)", peak_flows);

	/* holes in many flows: the total cap holds across them */
	path = tmp_path("total.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn k[6];
	for (int i = 0; i < 6; i++) {
		k[i] = (struct conn){ &w, 4, (uint16_t)(41000 + i), 2049, 1, 1, 0 };
		handshake(&k[i]);
		k[i].cseq += 3;		/* a hole in each */
	}
	for (int round = 0; round < 10; round++)
		for (int i = 0; i < 6; i++)
			tx(&k[i], true, a, rec(a, "queued-behind-hole"));
	writer_close(&w);
	decoder_default_options(&o);
	o.max_total_buffer = 500;
	decode(path, &o);
	ok(peak_total_buffer <= 500 && buffers_peak <= 500,
	   "total out-of-order bytes stay under the cap (peak %zu)",
	   peak_total_buffer);
	ok(last_stats.buffer_drops > 0, "the total cap forced holes out");
	is_int(last_stats.messages, 60, "every record behind the holes decoded");
	is_int(last_stats.tcp_gaps, 6, "one gap per flow");

	/* Tiny segments behind a hole: each is counted with its header and
	 * malloc's, so 1000 one-byte segments cannot hide in a 4 KiB cap
	 * (1000 bytes of data, 64 KiB of heap). */
	path = tmp_path("tiny.pcap");
	writer_open(&w, path, DLT_EN10MB);
	struct conn t = { &w, 4, 42000, 2049, 1, 1, 0 };
	handshake(&t);
	tx(&t, true, a, rec(a, "first"));
	for (int i = 0; i < 1000; i++)
		send_at(&t, true, 10 + 2 * i, "x", 1, false);
	writer_close(&w);
	decoder_default_options(&o);
	o.max_total_buffer = 4096;
	decode(path, &o);
	ok(buffers_peak <= 4096 && last_stats.buffer_drops > 0,
	   "tiny segments are charged what they cost (peak %zu, %llu drops)",
	   buffers_peak, (unsigned long long)last_stats.buffer_drops);
	is_int(budget_left, 0, "every byte charged is given back at the end");

	/* The whole budget, small, and more flows allowed than it holds:
	 * the budget makes the least recently active ones go, and holds. */
	path = tmp_path("budget.pcap");
	writer_open(&w, path, DLT_EN10MB);
	for (uint16_t i = 0; i < 3000; i++) {
		struct conn k2 = { &w, 4, (uint16_t)(20000 + i), 2049, 1, 1, 0 };
		handshake(&k2);
		tx(&k2, true, a, rec(a, "open"));
	}
	writer_close(&w);
	decoder_default_options(&o);
	o.max_memory = 1u << 20;
	o.max_flows = 4096;
	decode(path, &o);
	ok(last_stats.memory_peak <= o.max_memory &&
	   last_stats.flows_evicted > 0 && last_stats.messages == 3000,
	   "1 MiB for 3000 connections: peak %llu, %llu forgotten, every "
	   "message delivered", (unsigned long long)last_stats.memory_peak,
	   (unsigned long long)last_stats.flows_evicted);
	is_int(budget_left, 0, "  ... and every byte given back");
}

/* decoder_reset: one decoder through every capture the tests above
 * wrote, reset after each (gaps, evictions, half-open flows and all),
 * gives what a new decoder gives on each. */
static void test_reset(void)
{
	static const char *const names[] = {
		"inorder.pcap", "flows.pcap", "gap.pcap", "mid.pcap",
		"ooo.pcap", "retrans.pcap", "roles.pcap", "rst.pcap",
		"snap.pcap", "total.pcap", "tso.pcap", "bounds.pcap",
		"frag.pcap", "other.pcap", "inorder.pcap",
	};
	enum { N = sizeof names / sizeof *names };
	static char fresh[N][sizeof log_buf];
	static struct decoder_stats fresh_stats[N];
	/* small tables, so that eviction runs too */
	struct decoder_options o;
	decoder_default_options(&o);
	o.max_flows = 4;
	o.max_total_buffer = 4096;
	for (size_t i = 0; i < N; i++) {
		decode(tmp_path(names[i]), &o);
		memcpy(fresh[i], log_buf, sizeof log_buf);
		fresh_stats[i] = last_stats;
	}
	reused = decoder_new(&o, on_message, NULL);
	unsigned same = 0;
	for (size_t i = 0; i < N; i++) {
		decode(tmp_path(names[i]), &o);
		if (!strcmp(fresh[i], log_buf) &&
		    !memcmp(&fresh_stats[i], &last_stats, sizeof last_stats))
			same++;
		else
			printf("# %s: after a reset '%s', new '%s'\n", names[i],
			       log_buf, fresh[i]);
	}
	is_int(same, N, "a reset decoder decodes %d captures as new ones do",
	       (int)N);
	ok(reused->ra.nflows == 0 && reused->ra.nlive == 0 &&
	   reused->buffers.used == 0 && !reused->ra.lru_head,
	   "  and holds no flow or buffer after its last reset");
	decoder_free(reused);
	reused = NULL;
}

int main(void)
{
	/* WIRE_TEST_KEEP=DIR keeps the captures (fuzz corpus inputs). */
	const char *keep = getenv("WIRE_TEST_KEEP");
	if (keep)
		snprintf(dir_tmp, sizeof dir_tmp, "%s", keep);
	else
		snprintf(dir_tmp, sizeof dir_tmp, "%s/wire-test.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!keep && !mkdtemp(dir_tmp)) {
		perror("mkdtemp");
		return 1;
	}
	test_in_order();
	test_link_types();
	test_ipv6_ext_and_ipv4_options();
	test_out_of_order();
	test_retransmission_and_overlap();
	test_gap_resync();
	test_hole_given_up_reordered();
	test_mid_stream();
	test_roles_fixed_by_protocol();
	test_fragments();
	test_rst();
	test_not_our_protocol();
	test_truncated();
	test_gzip_and_files();
	test_bounds();
	test_reset();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir_tmp);
	if (!keep && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir_tmp);
	return tap_done();
}
