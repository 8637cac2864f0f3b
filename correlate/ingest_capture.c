/* ingest_capture.c - a capture into conversations and rpc_messages,
 * through the decoder (src/decoder.h). */
#include "ingest.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "decoder.h"
#include "ip.h"
#include "link.h"
#include "output.h"
#include "tcp.h"

#define STREAM_CACHE 1024

struct capture_ingest {
	struct db *db;
	struct input_summary *sum;
	bool failed;
	/* The body JSON is rendered by output_json_render() here. */
	char *membuf;
	size_t memsize;
	struct {
		uint64_t stream;
		int64_t id;
		int64_t cred_pid;	/* 0 none yet, -1 several seen */
	} cache[STREAM_CACHE];
};

static void format_address(char *buf, size_t len, int family,
			   const uint8_t *addr)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
}

static void format_endpoint(char *buf, size_t len, const struct endpoint *e)
{
	char a[INET6_ADDRSTRLEN];
	format_address(a, sizeof a, e->family, e->addr);
	snprintf(buf, len, e->family == 6 ? "[%s]:%u" : "%s:%u", a, e->port);
}

static void note_time(struct input_summary *sum, int64_t t)
{
	if (!sum->have_ts || t < sum->first_ts_ns)
		sum->first_ts_ns = t;
	if (!sum->have_ts || t > sum->last_ts_ns)
		sum->last_ts_ns = t;
	sum->have_ts = true;
}

/* The latest connection of the 4-tuple: 1 found (*id, *a_is_client,
 * state copied, *stream or -1), 0 none, -1 error. */
static int find_tuple(struct capture_ingest *c, const char *a, unsigned ap,
		      const char *b, unsigned bp, int64_t *id,
		      bool *a_is_client, char *state, size_t statelen,
		      int64_t *stream)
{
	sqlite3_stmt *st = db_stmt(c->db, ST_CONV_BY_TUPLE);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->sum->id);
	sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (int)ap);
	sqlite3_bind_text(st, 4, b, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, (int)bp);
	int rc = db_row(c->db, st);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		*a_is_client = sqlite3_column_int(st, 1);
		const unsigned char *s = sqlite3_column_text(st, 2);
		snprintf(state, statelen, "%s", s ? (const char *)s : "");
		*stream = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
			  sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc;
}

static int64_t insert_conversation(struct capture_ingest *c, int64_t stream,
				   const char *client, unsigned cport,
				   const char *server, unsigned sport,
				   const char *state, int syns, int64_t ts)
{
	sqlite3_stmt *st = db_stmt(c->db, ST_CONV_INSERT);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->sum->id);
	db_bind_opt_int(st, 2, stream >= 0, stream);
	sqlite3_bind_text(st, 3, client, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, (int)cport);
	sqlite3_bind_text(st, 5, server, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, (int)sport);
	sqlite3_bind_text(st, 7, state, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, syns);
	sqlite3_bind_int64(st, 9, ts);
	if (!db_done(c->db, st))
		return -1;
	c->sum->conversations++;
	return sqlite3_last_insert_rowid(c->db->handle);
}

static bool update_conversation(struct capture_ingest *c, enum db_stmt which,
				int64_t id, const char *state, int syns,
				int64_t ts)
{
	sqlite3_stmt *st = db_stmt(c->db, which);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, id);
	if (which == ST_CONV_STATE)
		sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(st, 2, syns);
	sqlite3_bind_int64(st, 3, ts);
	return db_done(c->db, st);
}

/* Connection attempts: the decoder reports messages, but a mount that
 * fails sends SYNs that nobody answers, or that a reset refuses.  Only
 * SYN and RST segments are looked at (cheap: they are few). */
static void track_handshake(struct capture_ingest *c,
			    const struct capture_frame *f)
{
	size_t off;
	int family;
	if (link_decode(f->linktype, f->data, f->caplen, &off, &family) !=
	    LINK_IP)
		return;
	struct ip_packet ip;
	if (ip_decode(family, f->data + off, f->caplen - off, &ip) != IP_OK ||
	    ip.protocol != 6)
		return;
	struct tcp_segment seg;
	if (tcp_decode(ip.payload, ip.payload_len, ip.payload_wire_len,
		       &seg) != TCP_OK)
		return;
	if (!(seg.flags & (TCP_SYN | TCP_RST)))
		return;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], state[16];
	format_address(src, sizeof src, ip.family, ip.src);
	format_address(dst, sizeof dst, ip.family, ip.dst);
	int64_t id, stream;
	bool src_is_client = false;
	int rc = find_tuple(c, src, seg.sport, dst, seg.dport, &id,
			    &src_is_client, state, sizeof state, &stream);
	if (rc < 0) {
		c->failed = true;
		return;
	}
	bool ok = true;
	if ((seg.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		/* A retry of an unanswered attempt, or a new connection. */
		if (rc == 1 && src_is_client && !strcmp(state, "syn-sent"))
			ok = update_conversation(c, ST_CONV_SEEN, id, NULL, 1,
						 f->ts_ns);
		else
			ok = insert_conversation(c, -1, src, seg.sport, dst,
						 seg.dport, "syn-sent", 1,
						 f->ts_ns) >= 0;
	} else if (seg.flags & TCP_SYN) {
		if (rc == 1 && !src_is_client && !strcmp(state, "syn-sent"))
			ok = update_conversation(c, ST_CONV_STATE, id,
						 "established", 0, f->ts_ns);
	} else if (rc == 1 && !src_is_client && !strcmp(state, "syn-sent")) {
		ok = update_conversation(c, ST_CONV_STATE, id, "refused", 0,
					 f->ts_ns);
	}
	if (!ok)
		c->failed = true;
}

/* The conversations row of a message's connection. */
static int64_t conversation_of(struct capture_ingest *c,
			       const struct message *m)
{
	uint64_t stream = m->conversation;
	size_t slot = stream % STREAM_CACHE;
	if (c->cache[slot].id && c->cache[slot].stream == stream)
		return c->cache[slot].id;
	int64_t id = -1;
	sqlite3_stmt *st = db_stmt(c->db, ST_CONV_BY_STREAM);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->sum->id);
	sqlite3_bind_int64(st, 2, (int64_t)stream);
	int rc = db_row(c->db, st);
	if (rc == 1)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], state[16];
		format_address(src, sizeof src, m->src.family, m->src.addr);
		format_address(dst, sizeof dst, m->dst.family, m->dst.addr);
		int64_t found_stream;
		bool src_is_client;
		rc = find_tuple(c, src, m->src.port, dst, m->dst.port, &id,
				&src_is_client, state, sizeof state,
				&found_stream);
		if (rc < 0)
			return -1;
		if (rc == 1 && found_stream < 0) {
			/* The handshake we saw: the decoder's connection. */
			st = db_stmt(c->db, ST_CONV_SET_STREAM);
			if (!st)
				return -1;
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, (int64_t)stream);
			if (!db_done(c->db, st))
				return -1;
		} else {
			/* No handshake in the capture: the caller is the
			 * side that sends calls. */
			bool call = m->msg_type == MSG_CALL;
			id = insert_conversation(c, (int64_t)stream,
						 call ? src : dst,
						 call ? m->src.port : m->dst.port,
						 call ? dst : src,
						 call ? m->dst.port : m->src.port,
						 "data", 0, m->ts_ns);
			if (id < 0)
				return -1;
		}
		st = db_stmt(c->db, ST_CONV_MESSAGE);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		if (m->protocol)
			sqlite3_bind_text(st, 2, m->protocol, -1, SQLITE_STATIC);
		if (!db_done(c->db, st))
			return -1;
	}
	c->cache[slot].stream = stream;
	c->cache[slot].id = id;
	c->cache[slot].cred_pid = 0;
	return id;
}

/* The dict value that follows key `key` in a message, or NULL. */
static const struct field *dict_value(const struct message *m,
				      const char *key)
{
	size_t klen = strlen(key);
	for (unsigned i = 0; i + 1 < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		if (f->kind != FIELD_STR || !f->name ||
		    strcmp(f->name, "glusterfs.dict.key") || f->len != klen ||
		    memcmp(field_bytes(m, f), key, klen))
			continue;
		const struct field *v = &m->fields[i + 1];
		if (v->kind == FIELD_STR && v->name &&
		    !strcmp(v->name, "glusterfs.dict.value"))
			return v;
	}
	return NULL;
}

/* SETVOLUME's dict names the process behind a connection:
 * process-uuid "CTX_ID:<uuid>-GRAPH_ID:<n>-PID:<pid>-HOST:<host>-PC_NAME:
 * <subvolume>-RECON_NO:-<n>" and process-name ("gfapi.smbd", "fuse"). */
static bool note_process(struct capture_ingest *c, const struct message *m,
			 int64_t conv)
{
	const struct field *uuid = dict_value(m, "process-uuid");
	if (!uuid)
		return true;
	char text[512];
	size_t n = uuid->len < sizeof text - 1 ? uuid->len : sizeof text - 1;
	memcpy(text, field_bytes(m, uuid), n);
	text[n] = '\0';
	if (memchr(text, '\0', n))
		return true;
	const char *pid = strstr(text, "-PID:");
	const char *host = strstr(text, "-HOST:");
	if (!pid)
		return true;
	char *end;
	long long p = strtoll(pid + 5, &end, 10);
	if (end == pid + 5 || p <= 0 || p > UINT32_MAX)
		return true;
	const char *host_end = host ? strstr(host, "-PC_NAME:") : NULL;
	const struct field *name = dict_value(m, "process-name");
	sqlite3_stmt *st = db_stmt(c->db, ST_CONV_PROCESS);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, conv);
	if (host)
		db_bind_text(st, 2, host + 6, host_end ?
			     (size_t)(host_end - host - 6) : strlen(host + 6));
	sqlite3_bind_int64(st, 3, p);
	if (name)
		db_bind_text(st, 4, (const char *)field_bytes(m, name),
			     name->len);
	db_bind_text(st, 5, text, n);
	return db_done(c->db, st);
}

/* GlusterFS credentials carry the pid of the process a call is made for:
 * for libgfapi (and Samba through it) the process that owns the
 * connection.  A connection whose calls name one pid belongs to it; one
 * whose calls name several (a FUSE mount serves many programs) to none. */
static bool note_credential(struct capture_ingest *c, const struct message *m,
			    int64_t conv)
{
	const struct field *f = msg_find(m, "rpc.auth.pid");
	if (!f)
		return true;
	int64_t pid = f->kind == FIELD_INT ? f->v.i :
		      f->v.u > INT64_MAX ? -1 : (int64_t)f->v.u;
	if (pid <= 0 || pid > UINT32_MAX)
		return true;	/* 0 and negatives: the client's own work */
	size_t slot = m->conversation % STREAM_CACHE;
	if (c->cache[slot].stream != m->conversation ||
	    c->cache[slot].id != conv || c->cache[slot].cred_pid == pid ||
	    c->cache[slot].cred_pid < 0)
		return true;
	bool first = c->cache[slot].cred_pid == 0;
	sqlite3_stmt *st = db_stmt(c->db, first ? ST_CONV_CREDENTIAL :
				   ST_CONV_CRED_CONFLICT);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, conv);
	if (first)
		sqlite3_bind_int64(st, 2, pid);
	c->cache[slot].cred_pid = first ? pid : -1;
	return db_done(c->db, st);
}

static void bind_gfid(sqlite3_stmt *st, int col, const struct message *m,
		      const char *name)
{
	const struct field *f = msg_find(m, name);
	if (!f || f->kind != FIELD_GFID || f->len != 16)
		return;
	const uint8_t *g = field_bytes(m, f);
	char s[40];
	snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[0], g[1], g[2], g[3], g[4],
		 g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13],
		 g[14], g[15]);
	sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
}

static void bind_str_field(sqlite3_stmt *st, int col,
			   const struct message *m, const char *name)
{
	const struct field *f = msg_find(m, name);
	if (f && f->kind == FIELD_STR)
		db_bind_text(st, col, (const char *)field_bytes(m, f), f->len);
}

static void verdict_text(char *buf, size_t len, unsigned v)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ MSG_MALFORMED, "malformed" }, { MSG_TRUNCATED, "truncated" },
		{ MSG_NOT_DECODED, "not-decoded" },
		{ MSG_AFTER_GAP, "after-gap" }, { MSG_ELIDED, "elided" },
		{ MSG_FIELDS_FULL, "fields-full" },
	};
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (v & names[i].bit) {
			int n = snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", names[i].name);
			if (n < 0 || (size_t)n >= len - used)
				break;
			used += (size_t)n;
		}
}

static void on_message(void *user, const struct message *m)
{
	struct capture_ingest *c = user;
	if (c->failed)
		return;
	if (!m->has_rpc || m->msg_type > MSG_REPLY) {
		c->sum->other_messages++;
		return;
	}
	int64_t conv = conversation_of(c, m);
	if (conv < 0) {
		c->failed = true;
		return;
	}
	if (m->msg_type == MSG_CALL &&
	    (!note_process(c, m, conv) || !note_credential(c, m, conv))) {
		c->failed = true;
		return;
	}

	/* The body: the decoder's JSON, as tapline decode -T json prints. */
	size_t body_len = output_json_render(m, &c->membuf, &c->memsize);
	if (body_len > 0 && c->membuf[body_len - 1] == '\n')
		body_len--;

	bool reply = m->msg_type == MSG_REPLY;
	int64_t call = 0;
	if (reply && m->call_frame) {
		sqlite3_stmt *q = db_stmt(c->db, ST_CALL_OF_REPLY);
		if (!q) {
			c->failed = true;
			return;
		}
		sqlite3_bind_int64(q, 1, c->sum->id);
		sqlite3_bind_int64(q, 2, (int64_t)m->call_frame);
		sqlite3_bind_int64(q, 3, m->xid);
		sqlite3_bind_int64(q, 4, conv);
		int rc = db_row(c->db, q);
		if (rc == 1)
			call = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		if (rc < 0) {
			c->failed = true;
			return;
		}
	}

	sqlite3_stmt *st = db_stmt(c->db, ST_MESSAGE_INSERT);
	if (!st) {
		c->failed = true;
		return;
	}
	char src[64], dst[64], verdict[96];
	format_endpoint(src, sizeof src, &m->src);
	format_endpoint(dst, sizeof dst, &m->dst);
	bool known = !reply || m->call_frame;	/* program known from a call */
	sqlite3_bind_int64(st, 1, c->sum->id);
	sqlite3_bind_int64(st, 2, (int64_t)m->frame);
	sqlite3_bind_int64(st, 3, (int64_t)m->first_frame);
	sqlite3_bind_int64(st, 4, m->ts_ns);
	sqlite3_bind_int64(st, 5, conv);
	sqlite3_bind_text(st, 6, src, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, dst, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, m->length);
	sqlite3_bind_int64(st, 9, m->xid);
	sqlite3_bind_text(st, 10, reply ? "reply" : "call", -1, SQLITE_STATIC);
	if (known) {
		sqlite3_bind_int64(st, 11, m->program);
		if (m->program_name)
			sqlite3_bind_text(st, 12, m->program_name, -1,
					  SQLITE_STATIC);
		sqlite3_bind_int64(st, 13, m->version);
		sqlite3_bind_int64(st, 14, m->proc);
		if (m->proc_name)
			sqlite3_bind_text(st, 15, m->proc_name, -1,
					  SQLITE_STATIC);
	}
	if (reply) {
		sqlite3_bind_int64(st, 16, m->reply_state);
		sqlite3_bind_int64(st, 17, m->accept_state);
		if (m->call_frame)
			sqlite3_bind_int64(st, 18, (int64_t)m->call_frame);
		if (m->latency_ns >= 0)
			sqlite3_bind_int64(st, 19, m->latency_ns);
	}
	if (m->has_op) {
		sqlite3_bind_int64(st, 20, m->op_ret);
		sqlite3_bind_int64(st, 21, m->op_errno);
		const char *en = errno_name(m->op_errno);
		if (en && m->op_errno)
			sqlite3_bind_text(st, 22, en, -1, SQLITE_STATIC);
	}
	bind_gfid(st, 23, m, "glusterfs.gfid");
	bind_gfid(st, 24, m, "glusterfs.pargfid");
	bind_str_field(st, 25, m, "glusterfs.path");
	bind_str_field(st, 26, m, "glusterfs.bname");
	if (m->verdict) {
		verdict_text(verdict, sizeof verdict, m->verdict);
		sqlite3_bind_text(st, 27, verdict, -1, SQLITE_TRANSIENT);
		if (m->why)
			sqlite3_bind_text(st, 28, m->why, -1, SQLITE_STATIC);
		if (m->verdict & (MSG_MALFORMED | MSG_TRUNCATED))
			c->sum->malformed++;
	}
	db_bind_text(st, 29, m->info, m->info_len);
	if (body_len > 0)
		db_bind_text(st, 30, c->membuf, body_len);
	if (call)
		sqlite3_bind_int64(st, 31, call);
	if (!db_done(c->db, st)) {
		c->failed = true;
		return;
	}
	c->sum->messages++;
	if (call) {
		st = db_stmt(c->db, ST_SET_REPLY);
		if (!st) {
			c->failed = true;
			return;
		}
		sqlite3_bind_int64(st, 1, call);
		sqlite3_bind_int64(st, 2, sqlite3_last_insert_rowid(c->db->handle));
		if (!db_done(c->db, st))
			c->failed = true;
	}
}

/* After the last message: conversation counts and times. */
static const char *const finish_sql[] = {
	/* One pass over each connection's messages. */
	"UPDATE conversations SET (calls, replies, first_ts_ns, last_ts_ns) ="
	" (SELECT count(*) FILTER (WHERE m.msg_type = 'call'),"
	"  count(*) FILTER (WHERE m.msg_type = 'reply'),"
	"  min(conversations.first_ts_ns, coalesce(min(m.ts_ns),"
	"   conversations.first_ts_ns)),"
	"  max(conversations.last_ts_ns, coalesce(max(m.ts_ns),"
	"   conversations.last_ts_ns))"
	"  FROM rpc_messages m WHERE m.conversation = conversations.id)"
	" WHERE input = ?1",
};

static bool finish(struct db *db, int64_t input)
{
	for (size_t i = 0; i < sizeof finish_sql / sizeof finish_sql[0]; i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db->handle, finish_sql[i], -1, &st,
				       NULL) != SQLITE_OK) {
			db_report(db, finish_sql[i]);
			return false;
		}
		sqlite3_bind_int64(st, 1, input);
		bool ok = db_done(db, st);
		sqlite3_finalize(st);
		if (!ok)
			return false;
	}
	return true;
}

bool ingest_capture(struct db *db, struct input_summary *sum,
		    struct progress *prog)
{
	struct capture_ingest *c = calloc(1, sizeof *c);
	if (!c) {
		fprintf(stderr, "tapline correlate: out of memory\n");
		return false;
	}
	c->db = db;
	c->sum = sum;
	snprintf(sum->clock, sizeof sum->clock, "realtime");
	sum->have_offset = true;
	sum->clock_offset_ns = 0;

	char err[512];
	const char *paths[1] = { sum->path };
	struct capture *cap = capture_open(paths, 1, err, sizeof err);
	if (!cap) {
		snprintf(sum->error, sizeof sum->error, "%s", err);
		sum->unreadable = true;
		free(c->membuf);
		free(c);
		return true;
	}
	struct decoder_options opts;
	decoder_default_options(&opts);
	struct decoder *d = decoder_new(&opts, on_message, c);
	if (!d) {
		fprintf(stderr, "tapline correlate: out of memory\n");
		capture_close(cap);
		free(c->membuf);
		free(c);
		return false;
	}
	struct capture_frame f;
	int rc;
	uint64_t bytes = 0;
	while (!c->failed && (rc = capture_next(cap, &f)) == 1) {
		sum->frames++;
		bytes += f.caplen + 16;	/* pcap's record header */
		note_time(sum, f.ts_ns);
		track_handshake(c, &f);
		decoder_frame(d, &f);
		if ((sum->frames & 4095) == 0)
			progress_update(prog, bytes < sum->size ? bytes :
					sum->size, sum->frames, "frames");
	}
	if (!c->failed && rc < 0)
		snprintf(sum->error, sizeof sum->error, "%s",
			 capture_error(cap));
	if (!c->failed)
		decoder_finish(d);
	progress_end(prog);
	decoder_free(d);
	capture_close(cap);
	bool ok = !c->failed && finish(db, sum->id);
	free(c->membuf);
	free(c);
	return ok;
}
