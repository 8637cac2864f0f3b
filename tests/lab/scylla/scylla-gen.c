/* scylla-gen.c - plays ScyllaDB nodes on loopback: real TCP connections
 * between 127.0.0.1, 127.0.0.2 and 127.0.0.3 (port 7000), carrying
 * inter-node RPC bytes built from the spec (Seastar doc/rpc.md, ScyllaDB's
 * IDL: docs/scylla.md), so that tcpdump can capture what a cluster would
 * send.  No ScyllaDB server runs here: this is the format as documented,
 * not a server's behaviour.
 *
 *	scylla-gen --scenario NAME --log FILE [--pause FILE]
 *
 * Every frame written is logged (the ground truth the tests compare
 * decoded captures with), one line each:
 *	t=SEC.NSEC conn=N dir=c2s|s2c src=IP:PORT dst=IP:PORT kind=...
 *	   [key=value...]
 * t is CLOCK_REALTIME just before the frame's first byte was written.
 * Run it inside a private network namespace (tests/lab/scylla/lab.sh).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <lz4.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scylla_build.h"

#define SCYLLA_PORT 7000
#define CQL_PORT 9042

static FILE *logf_;
static const char *pause_file;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "scylla-gen: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void now_text(char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(out, 32, "%lld.%09ld", (long long)ts.tv_sec, ts.tv_nsec);
}

static uint64_t now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void pause_us(unsigned us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void hex_text(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 3 <= cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", p[i]);
	if (o < cap)
		out[o] = 0;
}

/* ---- nodes and connections ---- */

struct node {
	const char *name;
	const char *ip;
	uint32_t addr;		/* host order, as inet_address's value */
	int listen_fd;
	uint64_t next_connection;	/* server's connection ids */
	struct uuid host_id;
	int32_t generation;
	int32_t heart_beat;
};

enum compression { COMP_NONE, COMP_LZ4, COMP_LZ4_FRAGMENTED, COMP_SCYLLA_V3 };
static const char *const comp_names[] = { "-", "LZ4", "LZ4_FRAGMENTED",
					  "SCYLLA_V3" };

struct conn {
	int id;
	struct node *client, *server;
	int cfd, sfd;		/* the client's socket, the server's socket */
	char caddr[32], saddr[32];
	char cookie[64];
	bool timeout, duration;	/* in force (the server echoed them) */
	enum compression comp;
	bool stream;
	uint64_t connection_id;	/* the server's id of this connection */
	int64_t next_msg_id;
	LZ4_stream_t *lz4;	/* LZ4_FRAGMENTED compressor stream */
	bool v3_header_sent[2];
	/* Frames queued to go out together in one write (corked). */
	struct bbuf cork[2];
	bool corked[2];
};

static int next_conn_id = 1;

static struct node nodes[3] = {
	{ "A", "127.0.0.1", 0x7f000001, -1, 1,
	  { 0x1b4e28ba2fa111d2ull, 0x883f0016d3cca427ull }, 1726000001, 0 },
	{ "B", "127.0.0.2", 0x7f000002, -1, 1,
	  { 0x6fa459eacd4e4a3full, 0x8f2d3c1b0a999e11ull }, 1726000002, 0 },
	{ "C", "127.0.0.3", 0x7f000003, -1, 1,
	  { 0x9c5b94b1a35e4b4cull, 0xa0d5e3f2c7b6a8d9ull }, 1726000003, 0 },
};
#define A (&nodes[0])
#define B (&nodes[1])
#define C (&nodes[2])

static void sock_name(int fd, bool peer, char out[32])
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&sa,
					       &sl) == -1)
		die("getsockname: %s", strerror(errno));
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip);
	snprintf(out, 32, "%s:%u", ip, ntohs(sa.sin_port));
}

static int listen_on(const char *ip, uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &sa.sin_addr);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1)
		die("bind %s:%u: %s", ip, port, strerror(errno));
	if (listen(fd, 16) == -1)
		die("listen: %s", strerror(errno));
	return fd;
}

static void connect_pair(const char *from_ip, const char *to_ip,
			 uint16_t port, int listen_fd, int *cfd, int *sfd)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	/* Seastar's RPC clients set TCP_NODELAY (rpc.hh client_options) */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct sockaddr_in local = { .sin_family = AF_INET };
	inet_pton(AF_INET, from_ip, &local.sin_addr);
	if (bind(fd, (struct sockaddr *)&local, sizeof local) == -1)
		die("bind %s: %s", from_ip, strerror(errno));
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	inet_pton(AF_INET, to_ip, &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1)
		die("connect %s: %s", to_ip, strerror(errno));
	int s = accept(listen_fd, NULL, NULL);
	if (s == -1)
		die("accept: %s", strerror(errno));
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	*cfd = fd;
	*sfd = s;
}

/* Reads exactly n bytes the other end wrote (keeps the flow moving and
 * checks that what went out is what comes in). */
static void drain(int fd, size_t n)
{
	uint8_t tmp[65536];
	while (n) {
		ssize_t r = recv(fd, tmp, n < sizeof tmp ? n : sizeof tmp, 0);
		if (r <= 0)
			die("recv: %s", r ? strerror(errno) : "closed early");
		n -= (size_t)r;
	}
}

/* Writes bytes as the given segments (cut points; 0 = one write), the
 * receiver reading them as they come.  Between segments a pause lets the
 * previous one leave on its own. */
static void send_cut(int from, int to, const uint8_t *p, size_t n,
		     const size_t *cuts, unsigned ncuts)
{
	size_t off = 0;
	for (unsigned i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : n;
		if (end > n)
			end = n;
		while (off < end) {
			/* at most 48 KiB at a time: loopback buffers never
			 * block a single-threaded writer */
			size_t chunk = end - off > 49152 ? 49152 : end - off;
			ssize_t w = send(from, p + off, chunk, 0);
			if (w <= 0)
				die("send: %s", strerror(errno));
			drain(to, (size_t)w);
			off += (size_t)w;
		}
		if (i < ncuts)
			pause_us(4000);
	}
}

/* ---- logging ---- */

static void log_line(const struct conn *c, int dir, const char *t,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void log_line(const struct conn *c, int dir, const char *t,
		     const char *fmt, ...)
{
	fprintf(logf_, "t=%s conn=%d dir=%s src=%s dst=%s ", t, c->id,
		dir == 0 ? "c2s" : "s2c", dir == 0 ? c->caddr : c->saddr,
		dir == 0 ? c->saddr : c->caddr);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(logf_, fmt, ap);
	va_end(ap);
	fputc('\n', logf_);
	fflush(logf_);
}

/* ---- sending frames ---- */

struct cutplan {
	size_t cuts[8];
	unsigned n;
};
static const struct cutplan WHOLE = { { 0 }, 0 };

static void cut_text(const struct cutplan *cp, size_t total, char *out,
		     size_t cap)
{
	size_t o = 0, prev = 0;
	out[0] = 0;
	for (unsigned i = 0; i <= cp->n && o < cap; i++) {
		size_t end = i < cp->n ? cp->cuts[i] : total;
		o += (size_t)snprintf(out + o, cap - o, "%s%zu",
				      i ? "+" : "", end - prev);
		prev = end;
	}
}

/* Compresses one frame for the connection's algorithm: the compressed
 * frame is len u32 | compressor output (rpc.cc connection::compress). */
static void compress_frame(struct conn *c, int dir, const struct bbuf *in,
			   struct bbuf *out)
{
	size_t lenpos = out->len;
	bb_u32(out, 0);
	size_t start = out->len;
	if (c->comp == COMP_LZ4) {
		/* lz4_compressor.cc: decompressed size u32 | one block */
		bb_u32(out, (uint32_t)in->len);
		int bound = LZ4_compressBound((int)in->len);
		bb_reserve(out, (size_t)bound);
		int n = LZ4_compress_default((const char *)in->p,
					     (char *)out->p + out->len,
					     (int)in->len, bound);
		if (n <= 0)
			die("LZ4_compress_default failed");
		out->len += (size_t)n;
	} else if (c->comp == COMP_LZ4_FRAGMENTED) {
		/* lz4_fragmented_compressor.cc: 32 KiB chunks of one LZ4
		 * stream; header u32: compressed size, or for the last
		 * chunk bit 31 | its decompressed size */
		LZ4_resetStream_fast(c->lz4);
		size_t off = 0;
		const size_t chunk = 32768;
		while (in->len - off > chunk) {
			size_t hdr = out->len;
			bb_u32(out, 0);
			int bound = LZ4_compressBound((int)chunk);
			bb_reserve(out, (size_t)bound);
			int n = LZ4_compress_fast_continue(
				c->lz4, (const char *)in->p + off,
				(char *)out->p + out->len, (int)chunk, bound, 1);
			if (n <= 0)
				die("LZ4_compress_fast_continue failed");
			out->len += (size_t)n;
			bb_put_le32_at(out, hdr, (uint32_t)n);
			off += chunk;
		}
		size_t rest = in->len - off;
		bb_u32(out, 0x80000000u | (uint32_t)rest);
		int bound = LZ4_compressBound((int)rest);
		bb_reserve(out, (size_t)bound);
		int n = LZ4_compress_fast_continue(c->lz4,
						   (const char *)in->p + off,
						   (char *)out->p + out->len,
						   (int)rest, bound, 1);
		if (n <= 0 && rest)
			die("LZ4_compress_fast_continue failed");
		out->len += (size_t)(n > 0 ? n : 0);
	} else {
		/* SCYLLA_V3 (advanced_rpc_compressor.cc): algorithm byte
		 * (1 = LZ4 with a trained dictionary; | 0x80 when a
		 * dictionary negotiation header follows), then the
		 * compressed bytes.  The dictionary never crosses the
		 * connection: here a private one, so nobody can read it
		 * back, as on a real cluster. */
		bool header = !c->v3_header_sent[dir];
		c->v3_header_sent[dir] = true;
		bb_u8(out, (uint8_t)(1 | (header ? 0x80 : 0)));
		if (header) {
			uint8_t ctl[132];
			for (unsigned i = 0; i < sizeof ctl; i++)
				ctl[i] = (uint8_t)(i * 7 + 3);
			ctl[0] = 1;	/* UPDATE */
			bb_raw(out, ctl, sizeof ctl);
		}
		static char dict[4096];
		for (unsigned i = 0; i < sizeof dict; i++)
			dict[i] = (char)("tapline scylla dictionary"[i % 25]);
		LZ4_stream_t *s = LZ4_createStream();
		LZ4_loadDict(s, dict, sizeof dict);
		int bound = LZ4_compressBound((int)in->len);
		bb_reserve(out, (size_t)bound);
		int n = LZ4_compress_fast_continue(s, (const char *)in->p,
						   (char *)out->p + out->len,
						   (int)in->len, bound, 1);
		LZ4_freeStream(s);
		if (n <= 0)
			die("LZ4 (dictionary) failed");
		out->len += (size_t)n;
	}
	bb_put_le32_at(out, lenpos, (uint32_t)(out->len - start));
}

/* Sends one frame (header + body already in `frame`) from dir's side.
 * Returns the bytes that went on the wire. */
static size_t put_frame(struct conn *c, int dir, const struct bbuf *frame,
			const struct cutplan *cp, char *wire_text, size_t cap)
{
	struct bbuf w = { 0 };
	if (c->comp != COMP_NONE)
		compress_frame(c, dir, frame, &w);
	else
		bb_raw(&w, frame->p, frame->len);
	if (c->corked[dir]) {
		bb_raw(&c->cork[dir], w.p, w.len);
		snprintf(wire_text, cap, "wire=%zu segs=corked", w.len);
	} else {
		char segs[96];
		cut_text(cp, w.len, segs, sizeof segs);
		snprintf(wire_text, cap, "wire=%zu segs=%s", w.len, segs);
		int from = dir == 0 ? c->cfd : c->sfd;
		int to = dir == 0 ? c->sfd : c->cfd;
		send_cut(from, to, w.p, w.len, cp->cuts, cp->n);
	}
	size_t n = w.len;
	bb_free(&w);
	return n;
}

static void cork(struct conn *c, int dir)
{
	c->corked[dir] = true;
	c->cork[dir].len = 0;
}

static void uncork(struct conn *c, int dir)
{
	c->corked[dir] = false;
	int from = dir == 0 ? c->cfd : c->sfd;
	int to = dir == 0 ? c->sfd : c->cfd;
	send_cut(from, to, c->cork[dir].p, c->cork[dir].len, NULL, 0);
	bb_free(&c->cork[dir]);
}

static const char *const verb_names[] = {
	"CLIENT_ID", "MUTATION", "MUTATION_DONE", "READ_DATA",
	"READ_MUTATION_DATA", "READ_DIGEST", "GOSSIP_DIGEST_SYN",
	"GOSSIP_DIGEST_ACK", "GOSSIP_DIGEST_ACK2", "GOSSIP_ECHO",
	"GOSSIP_SHUTDOWN",
};

static const char *verb_name(uint64_t v)
{
	static char buf[32];
	if (v < sizeof verb_names / sizeof *verb_names)
		return verb_names[v];
	switch (v) {
	case 14: return "MIGRATION_REQUEST";
	case 21: return "GET_SCHEMA_VERSION";
	case 25: return "STREAM_MUTATION_FRAGMENTS";
	case 39: return "PAXOS_PREPARE";
	case 40: return "PAXOS_ACCEPT";
	case 41: return "PAXOS_LEARN";
	case 43: return "PAXOS_PRUNE";
	case 44: return "GOSSIP_GET_ENDPOINT_STATES";
	case 47: return "RAFT_APPEND_ENTRIES";
	case 63: return "DIRECT_FD_PING";
	}
	snprintf(buf, sizeof buf, "UNKNOWN(%" PRIu64 ")", v);
	return buf;
}

/* A request from the client side; returns its msg id. */
static int64_t request(struct conn *c, uint64_t verb, uint64_t timeout_ms,
		       const struct bbuf *body, const struct cutplan *cp,
		       const char *fields)
{
	int64_t id = c->next_msg_id++;
	struct bbuf f = { 0 };
	rpc_request_header(&f, c->timeout, timeout_ms, verb, id,
			   (uint32_t)body->len);
	bb_raw(&f, body->p, body->len);
	char t[32], wire[160];
	now_text(t);
	put_frame(c, 0, &f, cp, wire, sizeof wire);
	log_line(c, 0, t,
		 "kind=request verb=%" PRIu64 " name=%s msg_id=%" PRId64
		 " timeout=%s%" PRIu64 " len=%zu header=%u compress=%s %s%s%s",
		 verb, verb_name(verb), id, c->timeout ? "" : "none/",
		 timeout_ms, body->len, c->timeout ? 28u : 20u,
		 comp_names[c->comp], wire, fields ? " " : "",
		 fields ? fields : "");
	bb_free(&f);
	return id;
}

static void response(struct conn *c, int64_t msg_id, uint64_t verb,
		     uint32_t duration_us, const struct bbuf *body,
		     const struct cutplan *cp, const char *fields)
{
	struct bbuf f = { 0 };
	rpc_response_header(&f, c->duration, msg_id, (uint32_t)body->len,
			    duration_us);
	bb_raw(&f, body->p, body->len);
	char t[32], wire[160], hd[24] = "none";
	if (c->duration)
		snprintf(hd, sizeof hd, "%u", duration_us);
	now_text(t);
	put_frame(c, 1, &f, cp, wire, sizeof wire);
	log_line(c, 1, t,
		 "kind=%s verb=%" PRIu64 " name=%s msg_id=%" PRId64
		 " handler_duration=%s len=%zu header=%u compress=%s %s%s%s",
		 msg_id < 0 ? "exception" : "response", verb, verb_name(verb),
		 msg_id, hd, body->len, c->duration ? 16u : 12u,
		 comp_names[c->comp], wire, fields ? " " : "",
		 fields ? fields : "");
	bb_free(&f);
}

static void stream_frame(struct conn *c, int dir, const struct bbuf *body,
			 bool eos, const struct cutplan *cp,
			 const char *fields)
{
	struct bbuf f = { 0 };
	bb_u32(&f, eos ? 0xffffffffu : (uint32_t)body->len);
	if (!eos)
		bb_raw(&f, body->p, body->len);
	char t[32], wire[160];
	now_text(t);
	put_frame(c, dir, &f, cp, wire, sizeof wire);
	log_line(c, dir, t, "kind=stream eos=%d len=%zu compress=%s %s%s%s",
		 eos, eos ? 0 : body->len, comp_names[c->comp], wire,
		 fields ? " " : "", fields ? fields : "");
	bb_free(&f);
}

/* ---- opening a connection: negotiation and CLIENT_ID ---- */

struct neg_opts {
	const char *cookie;	/* ISOLATION; NULL: none */
	bool timeout, duration;	/* offered by the client */
	bool server_knows_duration;	/* an older server ignores it */
	const char *compress_offer;	/* NULL: no COMPRESS */
	enum compression server_choice;
	bool stream;
	uint64_t parent;
	bool client_id;		/* send CLIENT_ID first (ScyllaDB does) */
};

static const struct neg_opts SCYLLA_DEFAULT = {
	NULL, true, true, true, NULL, COMP_NONE, false, 0, true
};

static void send_client_id(struct conn *c);

static struct conn *open_conn(struct node *from, struct node *to,
			      const struct neg_opts *o,
			      const struct cutplan *neg_cut)
{
	struct conn *c = calloc(1, sizeof *c);
	c->id = next_conn_id++;
	c->client = from;
	c->server = to;
	c->next_msg_id = 1;
	connect_pair(from->ip, to->ip, SCYLLA_PORT, to->listen_fd, &c->cfd,
		     &c->sfd);
	sock_name(c->cfd, false, c->caddr);
	sock_name(c->cfd, true, c->saddr);
	snprintf(c->cookie, sizeof c->cookie, "%s",
		 o->cookie ? o->cookie : "-");
	c->stream = o->stream;
	c->lz4 = LZ4_createStream();
	fprintf(logf_, "conn=%d open client=%s(%s) server=%s(%s) cookie=%s "
		"stream=%d\n", c->id, c->caddr, from->name, c->saddr, to->name,
		c->cookie, c->stream);

	/* client's frame: records in feature-number order (a std::map) */
	struct bbuf n = { 0 };
	char feats[256] = "";
	size_t fl = 0;
	neg_begin(&n);
	if (o->compress_offer) {
		neg_feature(&n, FEAT_COMPRESS, o->compress_offer,
			    strlen(o->compress_offer));
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "COMPRESS(%s),", o->compress_offer);
	}
	if (o->timeout && !o->stream) {
		neg_feature(&n, FEAT_TIMEOUT, NULL, 0);
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "TIMEOUT,");
	}
	if (o->stream) {
		neg_feature_u64(&n, FEAT_STREAM_PARENT, o->parent);
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "STREAM_PARENT(%" PRIu64 "),",
				       o->parent);
	}
	if (o->cookie) {
		neg_feature(&n, FEAT_ISOLATION, o->cookie, strlen(o->cookie));
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "ISOLATION(%s),", o->cookie);
	}
	if (o->duration) {
		neg_feature(&n, FEAT_HANDLER_DURATION, NULL, 0);
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "HANDLER_DURATION,");
	}
	neg_end(&n, 0);
	if (fl)
		feats[fl - 1] = 0;
	char t[32], segs[96];
	now_text(t);
	const struct cutplan *cp = neg_cut ? neg_cut : &WHOLE;
	send_cut(c->cfd, c->sfd, n.p, n.len, cp->cuts, cp->n);
	cut_text(cp, n.len, segs, sizeof segs);
	log_line(c, 0, t, "kind=negotiation len=%zu features=%s wire=%zu "
		 "segs=%s", n.len - 12, feats[0] ? feats : "-", n.len, segs);
	bb_free(&n);

	/* the server's answer (rpc.cc server::connection::negotiate) */
	pause_us(60);
	c->connection_id = to->next_connection++ << 16 | 0;
	neg_begin(&n);
	fl = 0;
	feats[0] = 0;
	c->comp = o->compress_offer ? o->server_choice : COMP_NONE;
	if (c->comp != COMP_NONE) {
		const char *name = comp_names[c->comp];
		neg_feature(&n, FEAT_COMPRESS, name, strlen(name));
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "COMPRESS(%s),", name);
	}
	c->timeout = o->timeout && !o->stream;
	if (c->timeout) {
		neg_feature(&n, FEAT_TIMEOUT, NULL, 0);
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "TIMEOUT,");
	}
	neg_feature_u64(&n, FEAT_CONNECTION_ID, c->connection_id);
	fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
			       "CONNECTION_ID(%" PRIu64 "),", c->connection_id);
	if (o->cookie) {
		neg_feature(&n, FEAT_ISOLATION, o->cookie, strlen(o->cookie));
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "ISOLATION(%s),", o->cookie);
	}
	c->duration = o->duration && o->server_knows_duration;
	if (c->duration) {
		neg_feature(&n, FEAT_HANDLER_DURATION, NULL, 0);
		fl += (size_t)snprintf(feats + fl, sizeof feats - fl,
				       "HANDLER_DURATION,");
	}
	neg_end(&n, 0);
	feats[fl - 1] = 0;
	now_text(t);
	send_cut(c->sfd, c->cfd, n.p, n.len, NULL, 0);
	log_line(c, 1, t, "kind=negotiation len=%zu features=%s wire=%zu "
		 "segs=%zu", n.len - 12, feats, n.len, n.len);
	bb_free(&n);
	if (o->client_id && !o->stream)
		send_client_id(c);
	return c;
}

static void close_conn(struct conn *c)
{
	shutdown(c->cfd, SHUT_WR);
	pause_us(200);
	close(c->sfd);
	close(c->cfd);
	LZ4_freeStream(c->lz4);
	char t[32];
	now_text(t);
	fprintf(logf_, "t=%s conn=%d close\n", t, c->id);
	free(c);
}

static void send_client_id(struct conn *c)
{
	struct bbuf b = { 0 };
	struct uuid dst = c->server->host_id;
	body_client_id(&b, c->client->addr, 0, 10u << 20, c->client->host_id,
		       &dst, c->client->generation);
	char f[200], h1[40], h2[40];
	uuid_text(c->client->host_id, h1);
	uuid_text(dst, h2);
	snprintf(f, sizeof f, "broadcast=%s cpu=0 host_id=%s dst_host_id=%s "
		 "generation=%d", c->client->ip, h1, h2,
		 c->client->generation);
	request(c, 0, 0, &b, &WHOLE, f);
	bb_free(&b);
}

/* ---- the data of the scenarios ---- */

static const struct uuid TABLE_T = { 0x7a1c0e308f4211efull,
				     0xb5c60a1b2c3d4e5full };
static const struct uuid SCHEMA_T = { 0x3b2c6d1e5f7a3c8dull,
				      0x9e0f1a2b3c4d5e6full };
static const struct uuid GROUP0 = { 0x0c7e11f08f4111efull,
				    0x9a2b000000000001ull };
static const struct uuid NULL_UUID = { 0, 0 };
static const uint8_t PK1[4] = { 0, 0, 0, 1 };	/* pk = 1 (int) */
static const uint8_t PK2[4] = { 0, 0, 0, 2 };
/* Murmur3 tokens of the int keys 1 and 2 */
#define TOKEN_PK1 (-4069959284402364209LL)
#define TOKEN_PK2 (-3248873570005575792LL)
#define COLUMN_V 1u
#define WRITE_TIMEOUT_MS 2000
#define READ_TIMEOUT_MS 5000
#define CAS_TIMEOUT_MS 1000

static uint64_t next_response_id = 17;

/* Nodes of ScyllaDB releases before HANDLER_DURATION (2023): requests
 * with the timeout, 12-byte responses: the layout Wireshark assumes. */
static bool older_nodes;

static struct conn *default_conn(struct node *from, struct node *to,
				 const char *cookie)
{
	struct neg_opts o = SCYLLA_DEFAULT;
	o.cookie = cookie;
	o.duration = !older_nodes;
	return open_conn(from, to, &o, NULL);
}

static void mutation_fields(const struct mutation_spec *m, uint64_t rid,
			    char *out, size_t cap)
{
	char tid[40], sv[40], pk[64];
	uuid_text(m->table_id, tid);
	uuid_text(m->schema_version, sv);
	hex_text(m->pkey, m->pkey_len, pk, sizeof pk);
	snprintf(out, cap, "table_id=%s schema_version=%s pkey=%s rows=%d "
		 "value=%s response_id=%" PRIu64, tid, sv, pk, m->has_row,
		 m->has_row ? m->value : "-", rid);
}

/* A replica applies a write and answers on its own statement-ack
 * connection. */
static void mutation_done(struct conn *ack, uint64_t rid)
{
	struct bbuf b = { 0 };
	body_mutation_done(&b, 0, rid, 0, 1u << 30);
	char f[64];
	snprintf(f, sizeof f, "response_id=%" PRIu64, rid);
	request(ack, 2, 0, &b, &WHOLE, f);
	bb_free(&b);
}

/* ---- scenarios ---- */

/* GOSSIP_ECHO from c's client, answered (empty) after `think` us, the
 * handler having run `handler` us. */
static void gossip_echo(struct conn *c, int32_t generation, bool notify_up,
			unsigned think, uint32_t handler)
{
	struct bbuf b = { 0 };
	body_gossip_echo(&b, generation, notify_up);
	char f[64];
	snprintf(f, sizeof f, "generation=%d notify_up=%d", generation,
		 notify_up);
	int64_t id = request(c, 9, 3000, &b, &WHOLE, f);
	bb_free(&b);
	pause_us(think);
	struct bbuf empty = { 0 };
	response(c, id, 9, handler, &empty, &WHOLE, NULL);
}

static void gossip_round(struct conn *ab, struct conn *ba, struct node *a,
			 struct node *b, bool echo)
{
	a->heart_beat += 3;
	b->heart_beat += 2;
	struct gossip_digest d[3] = {
		{ A->addr, A->generation, A->heart_beat },
		{ B->addr, B->generation, B->heart_beat },
		{ C->addr, C->generation, C->heart_beat },
	};
	struct bbuf m = { 0 };
	body_gossip_syn(&m, "Test Cluster",
			"org.apache.cassandra.dht.Murmur3Partitioner", d, 3,
			GROUP0, NULL_UUID);
	char f[256];
	snprintf(f, sizeof f, "cluster_id=Test_Cluster digests=3 "
		 "digest0=%s/%d/%d", A->ip, A->generation, A->heart_beat);
	request(ab, 6, 0, &m, &WHOLE, f);
	bb_free(&m);
	pause_us(150);

	/* b is newer on its own heart beat and lacks a's: it sends its
	 * state and asks for a's */
	struct gossip_digest want[1] = { { a->addr, a->generation, 0 } };
	struct app_state bs[3] = {
		{ 0, "NORMAL,-4069959284402364209", 12 },
		{ 2, "3b2c6d1e-5f7a-3c8d-9e0f-1a2b3c4d5e6f", 9 },
		{ 1, "103424.0", b->heart_beat },
	};
	struct endpoint_state es[1] = {
		{ b->addr, b->generation, b->heart_beat, bs, 3 } };
	body_gossip_ack(&m, want, 1, es, 1);
	snprintf(f, sizeof f, "digests=1 states=1 state0=%s/%d/%d "
		 "app_states=3", b->ip, b->generation, b->heart_beat);
	request(ba, 7, 0, &m, &WHOLE, f);
	bb_free(&m);
	pause_us(150);

	struct app_state as[2] = {
		{ 1, "98304.0", a->heart_beat },
		{ 17, "1", 5 },		/* RPC_READY */
	};
	struct endpoint_state ea[1] = {
		{ a->addr, a->generation, a->heart_beat, as, 2 } };
	body_gossip_ack2(&m, ea, 1);
	snprintf(f, sizeof f, "states=1 state0=%s/%d/%d app_states=2", a->ip,
		 a->generation, a->heart_beat);
	request(ab, 8, 0, &m, &WHOLE, f);
	bb_free(&m);

	if (echo) {
		pause_us(500);
		gossip_echo(ab, a->generation, false, 180, 23);
	}
}

static void scenario_gossip(void)
{
	struct conn *ab = default_conn(A, B, "gossip");
	struct conn *ba = default_conn(B, A, "gossip");
	struct conn *ac = default_conn(A, C, "gossip");
	struct conn *ca = default_conn(C, A, "gossip");
	gossip_round(ab, ba, A, B, true);
	pause_us(2000);
	gossip_round(ac, ca, A, C, false);
	pause_us(2000);
	gossip_round(ab, ba, A, B, true);
	close_conn(ab);
	close_conn(ba);
	close_conn(ac);
	close_conn(ca);
}

/* The write of `INSERT INTO ks.t (pk, v) VALUES (1, 'hello')` at RF=2,
 * coordinated by A, which is not a replica of the key: B and C are. */
struct write_conns {
	struct conn *ab, *ac, *ba_ack, *ca_ack;
};

/* The connections of writes and reads coordinated by A, replicas B and
 * C: A's statement connections to each, each replica's statement-ack
 * connection back, for service level `tenant`. */
static void open_statement_conns(struct write_conns *w, const char *tenant)
{
	char stm[64], ack[64];
	snprintf(stm, sizeof stm, "statement:%s", tenant);
	snprintf(ack, sizeof ack, "statement-ack:%s", tenant);
	w->ab = default_conn(A, B, stm);
	w->ac = default_conn(A, C, stm);
	w->ba_ack = default_conn(B, A, ack);
	w->ca_ack = default_conn(C, A, ack);
}

static void close_statement_conns(struct write_conns *w)
{
	close_conn(w->ab);
	close_conn(w->ac);
	close_conn(w->ba_ack);
	close_conn(w->ca_ack);
}

/* A MUTATION of one row (pk, value) from coordinator A; its body into
 * *b (to send again), its log words into f; returns its response id. */
static uint64_t mutation_body(const uint8_t *pk, const char *value,
			      struct bbuf *b, char *f, size_t cap)
{
	struct mutation_spec m = { TABLE_T, SCHEMA_T, pk, 4, true, COLUMN_V,
				   now_us(), value };
	uint64_t rid = next_response_id++;
	struct write_spec ws = { &m, A->addr, 0, rid, A->host_id, 3 };
	body_mutation(b, &ws);
	mutation_fields(&m, rid, f, cap);
	return rid;
}

static void write_rf2(struct write_conns *w, const uint8_t *pk,
		      const char *value, bool split_second)
{
	struct bbuf b = { 0 };
	char f[400];
	uint64_t rid = mutation_body(pk, value, &b, f, sizeof f);
	request(w->ab, 1, WRITE_TIMEOUT_MS, &b, &WHOLE, f);
	/* the header of the second one split across two segments: 5 bytes,
	 * then the rest */
	struct cutplan sp = { { 5 }, 1 };
	request(w->ac, 1, WRITE_TIMEOUT_MS - 1, &b,
		split_second ? &sp : &WHOLE, f);
	bb_free(&b);
	pause_us(320);
	mutation_done(w->ba_ack, rid);
	pause_us(90);
	mutation_done(w->ca_ack, rid);
}

static void read_two(struct conn *ab, struct conn *ac, const uint8_t *pk,
		     int64_t token, const char *value)
{
	struct read_spec r = { TABLE_T, SCHEMA_T,
			       { 0x5d2a9f70c1b34e21ull, 0x8a3b7c6d5e4f3021ull },
			       COLUMN_V,
			       SLICE_SEND_CLUSTERING_KEY |
				       SLICE_SEND_PARTITION_KEY |
				       SLICE_ALLOW_SHORT_READ,
			       100, now_s(), pk, 4, token };
	struct bbuf b = { 0 };
	body_read(&b, &r, 3);
	char f[300], tid[40], pkh[16];
	uuid_text(TABLE_T, tid);
	hex_text(pk, 4, pkh, sizeof pkh);
	snprintf(f, sizeof f, "table_id=%s pkey=%s token=%" PRId64
		 " row_limit=100", tid, pkh, token);
	int64_t d = request(ab, 3, READ_TIMEOUT_MS, &b, &WHOLE, f);
	int64_t g = request(ac, 5, READ_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);
	static const uint8_t digest[16] = { 0x9f, 0x1c, 0x44, 0x02, 0xa7,
					    0x3e, 0x5b, 0x81, 0x0c, 0xd6,
					    0x72, 0x19, 0xe8, 0x4f, 0x33,
					    0xb5 };
	int64_t lm = now_us() - 1500000;
	pause_us(410);
	body_read_digest_response(&b, digest, lm, 255);
	response(ac, g, 5, 187, &b, &WHOLE, "digest=9f1c4402a73e5b810cd67219e84f33b5");
	bb_free(&b);
	pause_us(120);
	body_read_data_response(&b, pk, 4, value, digest, lm, 255);
	snprintf(f, sizeof f, "rows=1 partitions=1 value=%s", value);
	response(ab, d, 3, 342, &b, &WHOLE, f);
	bb_free(&b);
}

static void scenario_write_read(void)
{
	struct write_conns w;
	open_statement_conns(&w, "default");
	write_rf2(&w, PK1, "hello", true);
	pause_us(3000);
	read_two(w.ab, w.ac, PK1, TOKEN_PK1, "hello");
	pause_us(3000);
	write_rf2(&w, PK2, "world", false);
	close_statement_conns(&w);
}

static struct uuid ballot_at(int64_t us)
{
	/* a time-based (v1) UUID of microsecond us */
	uint64_t ticks = (uint64_t)us * 10 + 0x01b21dd213814000ull;
	struct uuid u;
	u.msb = (ticks & 0xffffffffull) << 32 |
		((ticks >> 32) & 0xffff) << 16 | 0x1000 |
		((ticks >> 48) & 0x0fff);
	u.lsb = 0x8000000000000000ull | 0x000a1b2c3d4e5full;
	return u;
}

/* INSERT INTO ks.t (pk, v) VALUES (pk, value) IF NOT EXISTS, coordinated
 * by A; replicas B (data) and C (digest).  When the row exists, the
 * condition fails and ScyllaDB still completes the round with an empty
 * proposal (storage_proxy.cc cas()). */
static void lwt(struct write_conns *w, const uint8_t *pk, int64_t token,
		const char *value, const char *existing)
{
	struct read_spec r = { TABLE_T, SCHEMA_T, NULL_UUID, COLUMN_V,
			       SLICE_SEND_CLUSTERING_KEY |
				       SLICE_SEND_PARTITION_KEY |
				       SLICE_SEND_TIMESTAMP,
			       1, now_s(), pk, 4, token };
	struct uuid ballot = ballot_at(now_us());
	char bt[40], f[400];
	uuid_text(ballot, bt);
	struct bbuf b = { 0 };
	body_paxos_prepare(&b, &r, ballot, false, 3);
	snprintf(f, sizeof f, "ballot=%s only_digest=0", bt);
	int64_t p1 = request(w->ab, 39, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);
	body_paxos_prepare(&b, &r, ballot, true, 3);
	snprintf(f, sizeof f, "ballot=%s only_digest=1", bt);
	int64_t p2 = request(w->ac, 39, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);
	pause_us(640);
	int64_t lm = now_us() - 4000000;
	body_paxos_promise(&b, pk, 4, existing, lm);
	snprintf(f, sizeof f, "promise=1 data_rows=%d", existing ? 1 : 0);
	response(w->ab, p1, 39, 402, &b, &WHOLE, f);
	bb_free(&b);
	/* C answers with a digest of what it read */
	idl_present(&b);
	bb_u8(&b, 1);
	size_t fr = idl_begin(&b);
	idl_absent(&b);
	idl_absent(&b);
	idl_present(&b);
	bb_u8(&b, 1);		/* result_digest */
	static const uint8_t dg[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
					0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
					0xdd, 0xee, 0xff, 0x01 };
	bb_raw(&b, dg, 16);
	idl_end(&b, fr);
	response(w->ac, p2, 39, 377, &b, &WHOLE, "promise=1 digest=1");
	bb_free(&b);
	pause_us(200);

	bool met = existing == NULL;
	struct mutation_spec m = { TABLE_T, SCHEMA_T, pk, 4, met, COLUMN_V,
				   now_us(), met ? value : "" };
	body_paxos_accept(&b, ballot, &m, 3);
	snprintf(f, sizeof f, "ballot=%s rows=%d", bt, met);
	int64_t a1 = request(w->ab, 40, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	int64_t a2 = request(w->ac, 40, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);
	pause_us(520);
	bb_u8(&b, 1);
	response(w->ab, a1, 40, 296, &b, &WHOLE, "accepted=1");
	response(w->ac, a2, 40, 301, &b, &WHOLE, "accepted=1");
	bb_free(&b);
	pause_us(150);

	uint64_t rid = next_response_id++;
	body_paxos_learn(&b, ballot, &m, A->addr, 0, rid, A->host_id, 3);
	snprintf(f, sizeof f, "ballot=%s rows=%d response_id=%" PRIu64, bt,
		 met, rid);
	request(w->ab, 41, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	request(w->ac, 41, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);
	pause_us(380);
	mutation_done(w->ba_ack, rid);
	pause_us(60);
	mutation_done(w->ca_ack, rid);
	pause_us(250);
	body_paxos_prune(&b, SCHEMA_T, pk, 4, ballot, 3);
	snprintf(f, sizeof f, "ballot=%s", bt);
	request(w->ab, 43, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	request(w->ac, 43, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);
}

static void scenario_lwt(void)
{
	struct write_conns w;
	open_statement_conns(&w, "default");
	/* pk 2 does not exist yet: the insert applies */
	lwt(&w, PK2, TOKEN_PK2, "lwt-first", NULL);
	pause_us(4000);
	/* again: the row exists, the condition fails */
	lwt(&w, PK2, TOKEN_PK2, "lwt-second", "lwt-first");
	pause_us(2000);
	/* a third round meets a replica that promised a newer ballot */
	struct read_spec r = { TABLE_T, SCHEMA_T, NULL_UUID, COLUMN_V,
			       SLICE_SEND_PARTITION_KEY, 1, now_s(), PK2, 4,
			       TOKEN_PK2 };
	struct uuid ballot = ballot_at(now_us() - 50000);
	struct uuid newer = ballot_at(now_us());
	char bt[40], nt[40], f[200];
	uuid_text(ballot, bt);
	uuid_text(newer, nt);
	struct bbuf b = { 0 };
	body_paxos_prepare(&b, &r, ballot, false, 3);
	snprintf(f, sizeof f, "ballot=%s only_digest=0", bt);
	int64_t p = request(w.ab, 39, CAS_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);
	pause_us(300);
	body_paxos_reject(&b, newer);
	snprintf(f, sizeof f, "promise=0 newer_ballot=%s", nt);
	response(w.ab, p, 39, 88, &b, &WHOLE, f);
	bb_free(&b);
	close_statement_conns(&w);
}

/* A READ_DATA the replica refuses: a USER exception after `think` us
 * (the handler ran `handler` us). */
static void read_refused(struct conn *c, const struct read_spec *r,
			 unsigned think, uint32_t handler)
{
	struct bbuf b = { 0 };
	body_read(&b, r, 3);
	int64_t id = request(c, 3, READ_TIMEOUT_MS, &b, &WHOLE,
			     "pkey=00000001");
	bb_free(&b);
	pause_us(think);
	const char *text = "seastar::named_semaphore_timed_out (Semaphore "
			   "timed out: _read_concurrency_sem)";
	rpc_exception_user(&b, text);
	char f[200];
	snprintf(f, sizeof f, "exception=USER message=\"%s\"", text);
	response(c, -id, 3, handler, &b, &WHOLE, f);
	bb_free(&b);
}

static void scenario_exception(void)
{
	struct conn *ab = default_conn(A, B, "statement:default");
	struct read_spec r = { TABLE_T, SCHEMA_T,
			       { 0x1f2e3d4c5b6a4978ull, 0x8695a4b3c2d1e0f0ull },
			       COLUMN_V, SLICE_SEND_PARTITION_KEY, 100, now_s(),
			       PK1, 4, TOKEN_PK1 };
	read_refused(ab, &r, 5000, 4950);
	struct bbuf b = { 0 };
	pause_us(2000);
	/* a verb this server does not have (a newer node's) */
	bb_u64(&b, 42);
	int64_t u = request(ab, 94, 0, &b, &WHOLE, NULL);
	bb_free(&b);
	pause_us(90);
	rpc_exception_unknown_verb(&b, 94);
	/* no handler ran: "not measured" (rpc.cc send_unknown_verb_reply) */
	response(ab, -u, 94, 0xffffffffu, &b, &WHOLE,
		 "exception=UNKNOWN_VERB verb=94");
	bb_free(&b);
	pause_us(1000);
	/* and a request left unanswered (the server timed out) */
	body_read(&b, &r, 3);
	request(ab, 5, 1, &b, &WHOLE, "pkey=00000001 unanswered=1");
	bb_free(&b);
	pause_us(3000);
	close_conn(ab);
}

static void scenario_stream(void)
{
	/* the parent: A's streaming connection to B */
	struct conn *ab = default_conn(A, B, "streaming");
	/* the stream connection: STREAM_PARENT = the parent's id */
	struct neg_opts o = SCYLLA_DEFAULT;
	o.cookie = "streaming";
	o.stream = true;
	o.parent = ab->connection_id;
	struct conn *st = open_conn(A, B, &o, NULL);
	struct uuid plan = { 0x44c1a9e08f4311efull, 0xb0f1000000000001ull };
	struct uuid session = { 0x8d0e5f2a8f4311efull, 0xb0f1000000000002ull };
	struct bbuf b = { 0 };
	body_stream_mutation_fragments(&b, plan, SCHEMA_T, TABLE_T, 2, 5,
				       st->connection_id, session);
	char f[200];
	snprintf(f, sizeof f, "sink=%" PRIu64 " reason=5 estimated=2",
		 st->connection_id);
	int64_t id = request(ab, 25, 0, &b, &WHOLE, f);
	bb_free(&b);
	pause_us(400);
	bb_u64(&b, st->connection_id);
	snprintf(f, sizeof f, "source=%" PRIu64, st->connection_id);
	response(ab, id, 25, 61, &b, &WHOLE, f);
	bb_free(&b);
	pause_us(200);
	/* two partitions' fragments, then end of stream */
	for (int i = 0; i < 2; i++) {
		struct mutation_spec m = { TABLE_T, SCHEMA_T, i ? PK2 : PK1, 4,
					   true, COLUMN_V, now_us(),
					   i ? "world" : "hello" };
		struct bbuf frag = { 0 };
		idl_mutation_view(&frag, &m);
		body_fragment(&b, frag.p, frag.len, 1);
		snprintf(f, sizeof f, "cmd=1 fragment_len=%zu", frag.len);
		stream_frame(st, 0, &b, false, &WHOLE, f);
		bb_free(&b);
		bb_free(&frag);
		pause_us(150);
	}
	body_fragment(&b, NULL, 0, 2);
	stream_frame(st, 0, &b, false, &WHOLE, "cmd=2 fragment_len=0");
	bb_free(&b);
	stream_frame(st, 0, &b, true, &WHOLE, NULL);
	pause_us(300);
	bb_i32(&b, 0);
	stream_frame(st, 1, &b, false, &WHOLE, "status=0");
	bb_free(&b);
	stream_frame(st, 1, &b, true, &WHOLE, NULL);
	pause_us(500);
	close_conn(st);
	close_conn(ab);
}

static void scenario_lz4(void)
{
	/* A peer of an older Seastar knows LZ4 only. */
	struct neg_opts o = SCYLLA_DEFAULT;
	o.cookie = "statement:default";
	o.compress_offer = "LZ4";
	o.server_choice = COMP_LZ4;
	struct conn *lz = open_conn(A, B, &o, NULL);
	/* Today's default with internode_compression: all */
	o.compress_offer = "LZ4_FRAGMENTED,LZ4";
	o.server_choice = COMP_LZ4_FRAGMENTED;
	struct conn *fr = open_conn(A, C, &o, NULL);
	/* With internode_compression_enable_advanced */
	o.cookie = "gossip";
	o.compress_offer = "SCYLLA_V3,LZ4_FRAGMENTED,LZ4";
	o.server_choice = COMP_SCYLLA_V3;
	struct conn *v3 = open_conn(B, C, &o, NULL);

	struct bbuf b = { 0 };
	char f[400];
	uint64_t rid = mutation_body(PK1, "hello", &b, f, sizeof f);
	request(lz, 1, WRITE_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);

	/* A large value: 80 KiB, three LZ4_FRAGMENTED chunks */
	size_t big = 80 * 1024;
	char *v = malloc(big + 1);
	/* text that compresses about as well as real data does */
	uint32_t x = 12345;
	for (size_t i = 0; i < big; i++) {
		x = x * 1103515245u + 12345u;
		v[i] = (char)('a' + (x >> 16) % 12);
	}
	v[big] = 0;
	struct mutation_spec mb = { TABLE_T, SCHEMA_T, PK2, 4, true, COLUMN_V,
				    now_us(), v };
	rid = next_response_id++;
	struct write_spec ws = { &mb, A->addr, 0, rid, A->host_id, 3 };
	body_mutation(&b, &ws);
	char tid[40];
	uuid_text(TABLE_T, tid);
	snprintf(f, sizeof f, "table_id=%s pkey=00000002 rows=1 "
		 "value_len=%zu response_id=%" PRIu64, tid, big, rid);
	request(fr, 1, WRITE_TIMEOUT_MS, &b, &WHOLE, f);
	bb_free(&b);
	free(v);

	/* A small read with a response on the fragmented connection */
	struct read_spec r = { TABLE_T, SCHEMA_T,
			       { 0x2c3d4e5f60714283ull, 0x94a5b6c7d8e9fa0bull },
			       COLUMN_V, SLICE_SEND_PARTITION_KEY, 100, now_s(),
			       PK1, 4, TOKEN_PK1 };
	body_read(&b, &r, 3);
	int64_t id = request(fr, 5, READ_TIMEOUT_MS, &b, &WHOLE, "pkey=00000001");
	bb_free(&b);
	static const uint8_t digest[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
					    9, 10, 11, 12, 13, 14, 15, 16 };
	pause_us(300);
	body_read_digest_response(&b, digest, now_us(), 200);
	response(fr, id, 5, 140, &b, &WHOLE, "digest=0102030405060708090a0b0c0d0e0f10");
	bb_free(&b);

	/* gossip over SCYLLA_V3: flagged, not readable */
	gossip_echo(v3, B->generation, false, 150, 12);
	close_conn(lz);
	close_conn(fr);
	close_conn(v3);
}

/* Peers of different ages: the header layouts the negotiation allows. */
static void scenario_negotiation(void)
{
	static const struct {
		const char *cookie;
		bool timeout, duration, server_knows;
	} variants[] = {
		{ "statement:default", true, false, true },	/* 28/12 */
		{ "statement:default", false, false, true },	/* 20/12 */
		{ "statement:default", true, true, false },	/* offered,
								   declined */
		{ "statement:default", false, true, true },	/* 20/16 */
		{ NULL, true, true, true },			/* no cookie */
	};
	for (unsigned i = 0; i < sizeof variants / sizeof *variants; i++) {
		struct neg_opts o = SCYLLA_DEFAULT;
		o.cookie = variants[i].cookie;
		o.timeout = variants[i].timeout;
		o.duration = variants[i].duration;
		o.server_knows_duration = variants[i].server_knows;
		struct conn *c = open_conn(A, B, &o, NULL);
		struct read_spec r = { TABLE_T, SCHEMA_T,
				       { 0x3c4d5e6f70815293ull,
					 0xa4b5c6d7e8f90a1bull },
				       COLUMN_V, SLICE_SEND_PARTITION_KEY, 100,
				       now_s(), PK1, 4, TOKEN_PK1 };
		struct bbuf b = { 0 };
		body_read(&b, &r, 3);
		int64_t id = request(c, 5, READ_TIMEOUT_MS, &b, &WHOLE,
				     "pkey=00000001");
		bb_free(&b);
		static const uint8_t digest[16] = { 0xde, 0xad, 0xbe, 0xef };
		pause_us(250);
		body_read_digest_response(&b, digest, now_us(), 255);
		response(c, id, 5, 131, &b, &WHOLE, NULL);
		bb_free(&b);
		/* a mutation, one-way */
		struct mutation_spec m = { TABLE_T, SCHEMA_T, PK1, 4, true,
					   COLUMN_V, now_us(), "hello" };
		struct write_spec ws = { &m, A->addr, 0, next_response_id++,
					 A->host_id, 3 };
		body_mutation(&b, &ws);
		char f[400];
		mutation_fields(&m, ws.response_id, f, sizeof f);
		request(c, 1, WRITE_TIMEOUT_MS, &b, &WHOLE, f);
		bb_free(&b);
		/* a verb past 43 with a response: GOSSIP_GET_ENDPOINT_STATES
		 * (on a statement connection here: only the bytes matter) */
		size_t fr = idl_begin(&b);
		bb_u32(&b, 2);
		bb_i32(&b, 0);		/* STATUS */
		bb_i32(&b, 12);		/* HOST_ID */
		idl_end(&b, fr);
		id = request(c, 44, 3000, &b, &WHOLE, NULL);
		bb_free(&b);
		pause_us(120);
		fr = idl_begin(&b);
		bb_u32(&b, 0);
		idl_end(&b, fr);
		response(c, id, 44, 35, &b, &WHOLE, NULL);
		bb_free(&b);
		/* and a short response: GOSSIP_ECHO's is empty */
		gossip_echo(c, A->generation, true, 100, 9);
		pause_us(1000);
		close_conn(c);
	}
}

/* Headers and frames cut across segments, and frames sharing one. */
static void scenario_split(void)
{
	struct neg_opts o = SCYLLA_DEFAULT;
	o.cookie = "statement:default";
	/* the negotiation itself in three pieces: inside the magic, inside
	 * the length, inside a feature record */
	struct cutplan ncut = { { 3, 10, 20 }, 3 };
	struct conn *c = open_conn(A, B, &o, &ncut);
	struct read_spec r = { TABLE_T, SCHEMA_T,
			       { 0x4d5e6f7081920314ull, 0xb5c6d7e8f90a1b2cull },
			       COLUMN_V, SLICE_SEND_PARTITION_KEY, 100, now_s(),
			       PK1, 4, TOKEN_PK1 };
	struct bbuf b = { 0 };
	static const uint8_t digest[16] = { 0xab };
	/* request header cut after 1, 8, 17 and 27 bytes */
	static const size_t at[] = { 1, 8, 17, 27 };
	for (unsigned i = 0; i < 4; i++) {
		body_read(&b, &r, 3);
		struct cutplan cp = { { at[i] }, 1 };
		int64_t id = request(c, 5, READ_TIMEOUT_MS, &b, &cp,
				     "pkey=00000001");
		bb_free(&b);
		pause_us(200);
		/* response header cut after 4, 11, 13 and 15 bytes */
		static const size_t rat[] = { 4, 11, 13, 15 };
		struct cutplan rc = { { rat[i] }, 1 };
		body_read_digest_response(&b, digest, now_us(), 255);
		response(c, id, 5, 100 + i, &b, &rc, NULL);
		bb_free(&b);
	}
	/* three requests in one segment, the last one's header cut off at
	 * the segment's end */
	cork(c, 0);
	int64_t ids[3];
	for (unsigned i = 0; i < 3; i++) {
		body_read(&b, &r, 3);
		ids[i] = request(c, 5, READ_TIMEOUT_MS, &b, &WHOLE,
				 "pkey=00000001");
		bb_free(&b);
	}
	{
		struct bbuf all = c->cork[0];
		c->cork[0] = (struct bbuf){ 0 };
		c->corked[0] = false;
		/* the three frames have the same length */
		size_t cut = 2 * (all.len / 3) + 13;
		send_cut(c->cfd, c->sfd, all.p, all.len, &cut, 1);
		fprintf(logf_, "conn=%d corked c2s wire=%zu segs=%zu+%zu\n",
			c->id, all.len, cut, all.len - cut);
		bb_free(&all);
	}
	pause_us(300);
	/* their responses together, in another order, in one segment */
	cork(c, 1);
	for (int i = 2; i >= 0; i--) {
		body_read_digest_response(&b, digest, now_us(), 255);
		response(c, ids[i], 5, 150 + (uint32_t)i, &b, &WHOLE, NULL);
		bb_free(&b);
	}
	uncork(c, 1);
	fprintf(logf_, "conn=%d corked s2c\n", c->id);
	/* a big mutation in many segments, the cuts inside its body */
	char *v = malloc(6001);
	memset(v, 'x', 6000);
	v[6000] = 0;
	struct mutation_spec m = { TABLE_T, SCHEMA_T, PK1, 4, true, COLUMN_V,
				   now_us(), v };
	struct write_spec ws = { &m, A->addr, 0, next_response_id++,
				 A->host_id, 3 };
	body_mutation(&b, &ws);
	struct cutplan many = { { 100, 1500, 3000, 4500 }, 4 };
	char tid[40], f[300];
	uuid_text(TABLE_T, tid);
	snprintf(f, sizeof f, "table_id=%s pkey=00000001 rows=1 value_len=6000 "
		 "response_id=%" PRIu64, tid, ws.response_id);
	request(c, 1, WRITE_TIMEOUT_MS, &b, &many, f);
	bb_free(&b);
	free(v);
	pause_us(1000);
	close_conn(c);
}

/* Connections negotiated before the capture starts (--pause FILE: the
 * generator writes FILE.ready and waits for FILE.go). */
static void wait_for_capture(void)
{
	if (!pause_file)
		return;
	char ready[512], go[512];
	snprintf(ready, sizeof ready, "%s.ready", pause_file);
	snprintf(go, sizeof go, "%s.go", pause_file);
	FILE *f = fopen(ready, "w");
	if (!f)
		die("%s: %s", ready, strerror(errno));
	fclose(f);
	struct stat st;
	for (int i = 0; i < 3000 && stat(go, &st) == -1; i++)
		pause_us(10000);
	if (stat(go, &st) == -1)
		die("no %s after 30 s", go);
	fprintf(logf_, "capture-starts-here\n");
}

static void scenario_midstream(void)
{
	struct write_conns w;
	open_statement_conns(&w, "default");
	struct conn *g = default_conn(A, B, "gossip");
	struct neg_opts o = SCYLLA_DEFAULT;
	o.cookie = "statement:default";
	o.timeout = false;
	o.duration = false;
	struct conn *old = open_conn(C, B, &o, NULL);
	/* traffic before the capture: ids move on */
	for (int i = 0; i < 3; i++)
		write_rf2(&w, PK1, "before", false);
	wait_for_capture();
	pause_us(20000);
	write_rf2(&w, PK1, "after", false);
	read_two(w.ab, w.ac, PK1, TOKEN_PK1, "after");
	gossip_echo(g, A->generation, false, 100, 17);
	struct bbuf b = { 0 };
	int64_t id;
	/* the old peer: 20-byte requests, 12-byte responses */
	struct read_spec r = { TABLE_T, SCHEMA_T,
			       { 0x5e6f708192a3b4c5ull, 0xd6e7f8091a2b3c4dull },
			       COLUMN_V, SLICE_SEND_PARTITION_KEY, 100, now_s(),
			       PK1, 4, TOKEN_PK1 };
	static const uint8_t digest[16] = { 0x42 };
	for (int i = 0; i < 3; i++) {
		body_read(&b, &r, 3);
		id = request(old, 5, READ_TIMEOUT_MS, &b, &WHOLE,
			     "pkey=00000001");
		bb_free(&b);
		pause_us(200);
		body_read_digest_response(&b, digest, now_us(), 255);
		response(old, id, 5, 0, &b, &WHOLE, NULL);
		bb_free(&b);
	}
	write_rf2(&w, PK2, "after", false);
	close_statement_conns(&w);
	close_conn(g);
	close_conn(old);
}

/* ---- CQL (native protocol v4 spec): one client, coordinator A ---- */

static void cql_frame(struct bbuf *b, uint8_t version, int16_t stream,
		      uint8_t opcode, const struct bbuf *body)
{
	bb_u8(b, version);
	bb_u8(b, 0);
	bb_u8(b, (uint8_t)((uint16_t)stream >> 8));
	bb_u8(b, (uint8_t)stream);
	bb_u8(b, opcode);
	uint32_t n = (uint32_t)body->len;
	bb_u8(b, (uint8_t)(n >> 24));
	bb_u8(b, (uint8_t)(n >> 16));
	bb_u8(b, (uint8_t)(n >> 8));
	bb_u8(b, (uint8_t)n);
	bb_raw(b, body->p, body->len);
}

static void cql_be16(struct bbuf *b, uint16_t v)
{
	bb_u8(b, (uint8_t)(v >> 8));
	bb_u8(b, (uint8_t)v);
}

static void cql_be32(struct bbuf *b, uint32_t v)
{
	cql_be16(b, (uint16_t)(v >> 16));
	cql_be16(b, (uint16_t)v);
}

static void cql_send(int from, int to, const char *src, const char *dst,
		     uint8_t version, int16_t stream, uint8_t opcode,
		     const char *name, const struct bbuf *body,
		     const char *fields)
{
	struct bbuf f = { 0 };
	cql_frame(&f, version, stream, opcode, body);
	char t[32];
	now_text(t);
	send_cut(from, to, f.p, f.len, NULL, 0);
	fprintf(logf_, "t=%s cql src=%s dst=%s opcode=%u name=%s stream=%d "
		"len=%zu%s%s\n", t, src, dst, opcode, name, stream, body->len,
		fields ? " " : "", fields ? fields : "");
	fflush(logf_);
	bb_free(&f);
}

static void scenario_cql_flow(void)
{
	/* the inter-node connections exist already when the client asks */
	struct write_conns w;
	open_statement_conns(&w, "default");
	pause_us(5000);

	int cl, co;
	int lfd = listen_on(A->ip, CQL_PORT);
	connect_pair("127.0.0.10", A->ip, CQL_PORT, lfd, &cl, &co);
	char csrc[32], cdst[32];
	sock_name(cl, false, csrc);
	sock_name(cl, true, cdst);
	struct bbuf b = { 0 };
	/* STARTUP {CQL_VERSION: 3.0.0} -> READY */
	cql_be16(&b, 1);
	cql_be16(&b, 11);
	bb_raw(&b, "CQL_VERSION", 11);
	cql_be16(&b, 5);
	bb_raw(&b, "3.0.0", 5);
	cql_send(cl, co, csrc, cdst, 0x04, 0, 0x01, "STARTUP", &b, NULL);
	bb_free(&b);
	pause_us(300);
	cql_send(co, cl, cdst, csrc, 0x84, 0, 0x02, "READY", &b, NULL);
	pause_us(2000);

	/* QUERY "INSERT ..." at consistency TWO */
	const char *q = "INSERT INTO ks.t (pk, v) VALUES (1, 'hello')";
	cql_be32(&b, (uint32_t)strlen(q));
	bb_raw(&b, q, strlen(q));
	cql_be16(&b, 0x0002);	/* TWO */
	bb_u8(&b, 0);		/* no flags */
	cql_send(cl, co, csrc, cdst, 0x04, 7, 0x07, "QUERY", &b,
		 "consistency=TWO");
	bb_free(&b);
	pause_us(140);
	write_rf2(&w, PK1, "hello", false);
	pause_us(60);
	/* RESULT Void */
	cql_be32(&b, 1);
	cql_send(co, cl, cdst, csrc, 0x84, 7, 0x08, "RESULT", &b,
		 "kind=Void");
	bb_free(&b);
	pause_us(2000);

	/* QUERY "SELECT ..." at TWO -> READ_DATA + READ_DIGEST -> RESULT */
	q = "SELECT v FROM ks.t WHERE pk = 1";
	cql_be32(&b, (uint32_t)strlen(q));
	bb_raw(&b, q, strlen(q));
	cql_be16(&b, 0x0002);
	bb_u8(&b, 0);
	cql_send(cl, co, csrc, cdst, 0x04, 8, 0x07, "QUERY", &b,
		 "consistency=TWO");
	bb_free(&b);
	pause_us(120);
	read_two(w.ab, w.ac, PK1, TOKEN_PK1, "hello");
	pause_us(50);
	/* RESULT Rows: metadata (global table spec ks.t, one column v text),
	 * one row */
	cql_be32(&b, 2);		/* Rows */
	cql_be32(&b, 0x0001);		/* Global_tables_spec */
	cql_be32(&b, 1);		/* columns */
	cql_be16(&b, 2);
	bb_raw(&b, "ks", 2);
	cql_be16(&b, 1);
	bb_raw(&b, "t", 1);
	cql_be16(&b, 1);
	bb_raw(&b, "v", 1);
	cql_be16(&b, 0x000d);		/* varchar */
	cql_be32(&b, 1);		/* rows */
	cql_be32(&b, 5);
	bb_raw(&b, "hello", 5);
	cql_send(co, cl, cdst, csrc, 0x84, 8, 0x08, "RESULT", &b,
		 "kind=Rows rows=1");
	bb_free(&b);
	pause_us(1000);
	shutdown(cl, SHUT_WR);
	pause_us(200);
	close(co);
	close(cl);
	close(lfd);
	close_statement_conns(&w);
}

static void scenario_classic(void)
{
	older_nodes = true;
	struct conn *gab = default_conn(A, B, "gossip");
	struct conn *gba = default_conn(B, A, "gossip");
	gossip_round(gab, gba, A, B, true);
	struct write_conns w;
	open_statement_conns(&w, "$user");
	pause_us(2000);
	write_rf2(&w, PK1, "hello", true);
	pause_us(2000);
	read_two(w.ab, w.ac, PK1, TOKEN_PK1, "hello");
	pause_us(2000);
	lwt(&w, PK2, TOKEN_PK2, "lwt-first", NULL);
	pause_us(2000);
	struct read_spec r = { TABLE_T, SCHEMA_T,
			       { 0x6f708192a3b4c5d6ull, 0xe7f8091a2b3c4d5eull },
			       COLUMN_V, SLICE_SEND_PARTITION_KEY, 100, now_s(),
			       PK1, 4, TOKEN_PK1 };
	read_refused(w.ab, &r, 3000, 0);
	pause_us(1000);
	close_conn(gab);
	close_conn(gba);
	close_statement_conns(&w);
}

static const struct {
	const char *name;
	void (*run)(void);
	const char *what;
} scenarios[] = {
	{ "gossip", scenario_gossip,
	  "three gossip rounds (SYN, ACK, ACK2) between A-B and A-C, ECHO" },
	{ "write-read", scenario_write_read,
	  "writes at RF=2 (two MUTATIONs, two MUTATION_DONEs) and a read at "
	  "CL=TWO (READ_DATA + READ_DIGEST)" },
	{ "lwt", scenario_lwt,
	  "LWT inserts: one applied, one whose condition fails, one "
	  "rejected prepare" },
	{ "exception", scenario_exception,
	  "USER and UNKNOWN_VERB exceptions, an unanswered request" },
	{ "stream", scenario_stream,
	  "STREAM_MUTATION_FRAGMENTS over a stream connection" },
	{ "lz4", scenario_lz4,
	  "LZ4, LZ4_FRAGMENTED (80 KiB in three chunks) and SCYLLA_V3" },
	{ "negotiation", scenario_negotiation,
	  "peers with and without TIMEOUT and HANDLER_DURATION" },
	{ "split", scenario_split,
	  "headers cut across TCP segments, several frames in one" },
	{ "midstream", scenario_midstream,
	  "capture starting after the negotiation (use --pause)" },
	{ "classic", scenario_classic,
	  "nodes before HANDLER_DURATION (28-byte requests, 12-byte "
	  "responses): gossip, a write, a read, an LWT, an exception" },
	{ "cql-flow", scenario_cql_flow,
	  "a CQL client's INSERT and SELECT at TWO and the inter-node "
	  "traffic they cause" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: scylla-gen --scenario NAME --log FILE "
		"[--pause FILE]\n       scylla-gen --list\n");
}

int main(int argc, char **argv)
{
	const char *scenario = NULL, *log = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--scenario") && i + 1 < argc)
			scenario = argv[++i];
		else if (!strcmp(argv[i], "--log") && i + 1 < argc)
			log = argv[++i];
		else if (!strcmp(argv[i], "--pause") && i + 1 < argc)
			pause_file = argv[++i];
		else if (!strcmp(argv[i], "--list")) {
			for (size_t k = 0;
			     k < sizeof scenarios / sizeof *scenarios; k++)
				printf("%-12s %s\n", scenarios[k].name,
				       scenarios[k].what);
			return 0;
		} else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!scenario || !log) {
		usage(stderr);
		return 2;
	}
	size_t k;
	for (k = 0; k < sizeof scenarios / sizeof *scenarios; k++)
		if (!strcmp(scenarios[k].name, scenario))
			break;
	if (k == sizeof scenarios / sizeof *scenarios) {
		fprintf(stderr, "scylla-gen: unknown scenario %s (--list)\n",
			scenario);
		return 2;
	}
	logf_ = fopen(log, "w");
	if (!logf_)
		die("%s: %s", log, strerror(errno));
	fprintf(logf_, "# scylla-gen scenario=%s: %s\n", scenario,
		scenarios[k].what);
	fprintf(logf_, "# built from the spec (docs/scylla.md); no ScyllaDB "
		"server took part\n");
	for (int i = 0; i < 3; i++) {
		nodes[i].listen_fd = listen_on(nodes[i].ip, SCYLLA_PORT);
		fprintf(logf_, "node=%s ip=%s host_id=", nodes[i].name,
			nodes[i].ip);
		char h[40];
		uuid_text(nodes[i].host_id, h);
		fprintf(logf_, "%s generation=%d\n", h, nodes[i].generation);
	}
	scenarios[k].run();
	for (int i = 0; i < 3; i++)
		close(nodes[i].listen_fd);
	fclose(logf_);
	return 0;
}
