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

#ifndef STREAM_CACHE
#define STREAM_CACHE 1024
#endif

/* Columns of ST_MESSAGE_INSERT (its ?N). */
enum {
	COL_INPUT = 1, COL_FRAME, COL_FIRST_FRAME, COL_TS, COL_CONVERSATION,
	COL_SRC, COL_DST, COL_LENGTH, COL_XID, COL_MSG_TYPE, COL_PROGRAM,
	COL_PROGRAM_NAME, COL_VERSION, COL_PROC, COL_PROC_NAME,
	COL_REPLY_STATE, COL_ACCEPT_STATE, COL_CALL_FRAME, COL_LATENCY,
	COL_OP_RET, COL_OP_ERRNO, COL_ERRNO_NAME, COL_GFID, COL_PARGFID,
	COL_PATH, COL_BNAME, COL_VERDICT, COL_WHY, COL_INFO, COL_BODY,
	COL_CALL, COL_REPLY, COL_ID, MESSAGE_COLS = COL_ID
};

/* A message row not inserted yet.  A call waits in the queue (a little)
 * for its reply, so that its reply column is set by the INSERT rather
 * than by an UPDATE of a row written before; ids are given in decode
 * order, so the rows and their ids are those of inserting at once. */
struct pending_row {
	struct {
		int64_t i;
		uint32_t off, len;
		uint8_t type;	/* SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT */
	} col[MESSAGE_COLS + 1];
	bool call;		/* msg_type 'call' */
	bool waiting;		/* a call whose reply is not seen yet */
	char *text;		/* the text columns, one after the other */
	size_t used, cap;
};

/* Rows and bytes the queue holds at most: a call without a reply goes
 * in once this many messages came after it (its reply, if it comes, is
 * then set by an UPDATE). */
#ifndef CONN_MEMO
#define CONN_MEMO 4096
#endif

#ifndef QUEUE_ROWS	/* small ones test the edges */
#define QUEUE_ROWS 512
#endif
#define QUEUE_BYTES (8u << 20)

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
		/* Messages counted here, added to the row when it leaves. */
		uint64_t calls, replies;
		int64_t first_ts, last_ts;
	} cache[STREAM_CACHE];
	struct conn_memo {
		int64_t id;		/* 0: empty */
		bool in_db;		/* written: changes go to its row */
		bool lost;		/* a connection left this slot once */
		char client[INET6_ADDRSTRLEN], server[INET6_ADDRSTRLEN];
		unsigned client_port, server_port;
		char state[16];
		int syn_count;
		int64_t first_ts, last_ts;
		int64_t stream;		/* -1 none */
		const char *protocol;	/* static */
	} memo[CONN_MEMO];
	int64_t next_conv_id;	/* conversations.id of the next one */
	int64_t next_id;	/* rpc_messages.id of the next message */
	struct pending_row queue[QUEUE_ROWS];
	size_t head, count;	/* ring of queued rows, oldest at head */
	size_t queued_bytes;
};

static void format_address(char *buf, size_t len, int family,
			   const uint8_t *addr)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
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

/* ---- connections: the latest of each 4-tuple is kept in memory (a
 * direct-mapped memo) so that the handshake, its answer and the first
 * message cost one INSERT with the final state, not a SELECT and an
 * UPDATE each.  A memo entry is the latest connection of its tuple; one
 * that leaves the memo is written first, so SQL finds every other. */

static uint64_t hash_text(uint64_t h, const char *s, unsigned port)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3u;
	return (h ^ port) * 0x100000001b3u;
}

static struct conn_memo *memo_slot(struct capture_ingest *c, const char *a,
				   unsigned ap, const char *b, unsigned bp)
{
	/* The same slot either way round; the sum is mixed (splitmix64's
	 * finalizer) so that tuples differing in a port spread out. */
	uint64_t h = hash_text(0xcbf29ce484222325u, a, ap) +
		     hash_text(0xcbf29ce484222325u, b, bp);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebu;
	h ^= h >> 31;
	return &c->memo[h % CONN_MEMO];
}

/* Whether the entry is a:ap <-> b:bp; *a_is_client says which way. */
static bool memo_is(const struct conn_memo *e, const char *a, unsigned ap,
		    const char *b, unsigned bp, bool *a_is_client)
{
	if (!e->id)
		return false;
	if (e->client_port == ap && e->server_port == bp &&
	    !strcmp(e->client, a) && !strcmp(e->server, b)) {
		*a_is_client = true;
		return true;
	}
	if (e->client_port == bp && e->server_port == ap &&
	    !strcmp(e->client, b) && !strcmp(e->server, a)) {
		*a_is_client = false;
		return true;
	}
	return false;
}

/* Writes a connection only the memo has. */
static bool memo_write(struct capture_ingest *c, struct conn_memo *e)
{
	if (!e->id || e->in_db)
		return true;
	sqlite3_stmt *st = db_stmt(c->db, ST_CONV_INSERT);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, c->sum->id);
	db_bind_opt_int(st, 2, e->stream >= 0, e->stream);
	sqlite3_bind_text(st, 3, e->client, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, (int)e->client_port);
	sqlite3_bind_text(st, 5, e->server, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, (int)e->server_port);
	sqlite3_bind_text(st, 7, e->state, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, e->syn_count);
	sqlite3_bind_int64(st, 9, e->first_ts);
	sqlite3_bind_int64(st, 10, e->last_ts);
	if (e->protocol)
		sqlite3_bind_text(st, 11, e->protocol, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, e->id);
	if (!db_done(c->db, st))
		return false;
	e->in_db = true;
	return true;
}

/* The latest connection of the 4-tuple, from the memo or (then kept in
 * it) the database: 1 found (*e), 0 none (*e the slot, written and
 * empty), -1 error. */
static int memo_find(struct capture_ingest *c, const char *a, unsigned ap,
		     const char *b, unsigned bp, struct conn_memo **e,
		     bool *a_is_client)
{
	*e = memo_slot(c, a, ap, b, bp);
	if (memo_is(*e, a, ap, b, bp, a_is_client))
		return 1;
	if (!memo_write(c, *e))
		return -1;
	/* A slot that never lost a connection knows its tuple has none. */
	bool lost = (*e)->lost || (*e)->id;
	(*e)->id = 0;
	(*e)->lost = lost;
	if (!lost)
		return 0;
	char state[16];
	int64_t id, stream;
	int rc = find_tuple(c, a, ap, b, bp, &id, a_is_client, state,
			    sizeof state, &stream);
	if (rc != 1)
		return rc;
	struct conn_memo *m = *e;
	m->id = id;
	m->in_db = true;
	snprintf(m->client, sizeof m->client, "%s", *a_is_client ? a : b);
	snprintf(m->server, sizeof m->server, "%s", *a_is_client ? b : a);
	m->client_port = *a_is_client ? ap : bp;
	m->server_port = *a_is_client ? bp : ap;
	snprintf(m->state, sizeof m->state, "%s", state);
	m->stream = stream;
	return 1;
}

/* A new connection, the latest of its tuple: into the slot (whose
 * previous connection is written first). */
static struct conn_memo *memo_new(struct capture_ingest *c,
				  struct conn_memo *e, const char *client,
				  unsigned cport, const char *server,
				  unsigned sport, const char *state, int syns,
				  int64_t ts)
{
	if (!memo_write(c, e))
		return NULL;
	bool lost = e->lost || e->id;
	memset(e, 0, sizeof *e);
	e->lost = lost;
	e->id = c->next_conv_id++;
	snprintf(e->client, sizeof e->client, "%s", client);
	snprintf(e->server, sizeof e->server, "%s", server);
	e->client_port = cport;
	e->server_port = sport;
	snprintf(e->state, sizeof e->state, "%s", state);
	e->syn_count = syns;
	e->first_ts = e->last_ts = ts;
	e->stream = -1;
	c->sum->conversations++;
	return e;
}

/* A state change of a connection: in the memo, or the database's row. */
static bool memo_change(struct capture_ingest *c, struct conn_memo *e,
			const char *state, int syns, int64_t ts)
{
	if (!e->in_db) {
		if (state)
			snprintf(e->state, sizeof e->state, "%s", state);
		e->syn_count += syns;
		if (ts > e->last_ts)
			e->last_ts = ts;
		return true;
	}
	if (state)
		snprintf(e->state, sizeof e->state, "%s", state);
	sqlite3_stmt *st = db_stmt(c->db, state ? ST_CONV_STATE : ST_CONV_SEEN);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, e->id);
	if (state)
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
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	format_address(src, sizeof src, ip.family, ip.src);
	format_address(dst, sizeof dst, ip.family, ip.dst);
	struct conn_memo *e;
	bool src_is_client = false;
	int rc = memo_find(c, src, seg.sport, dst, seg.dport, &e,
			   &src_is_client);
	if (rc < 0) {
		c->failed = true;
		return;
	}
	bool ok = true;
	bool syn_sent = rc == 1 && !strcmp(e->state, "syn-sent");
	if ((seg.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		/* A retry of an unanswered attempt, or a new connection. */
		if (syn_sent && src_is_client)
			ok = memo_change(c, e, NULL, 1, f->ts_ns);
		else
			ok = memo_new(c, e, src, seg.sport, dst, seg.dport,
				      "syn-sent", 1, f->ts_ns) != NULL;
	} else if (seg.flags & TCP_SYN) {
		if (syn_sent && !src_is_client)
			ok = memo_change(c, e, "established", 0, f->ts_ns);
	} else if (syn_sent && !src_is_client) {
		ok = memo_change(c, e, "refused", 0, f->ts_ns);
	}
	if (!ok)
		c->failed = true;
}

/* Adds a cache slot's message counts and times to its conversation. */
static bool flush_counts(struct capture_ingest *c, size_t slot)
{
	if (!c->cache[slot].calls && !c->cache[slot].replies)
		return true;
	sqlite3_stmt *st = db_stmt(c->db, ST_CONV_COUNTS);
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, c->cache[slot].id);
	sqlite3_bind_int64(st, 2, (int64_t)c->cache[slot].calls);
	sqlite3_bind_int64(st, 3, (int64_t)c->cache[slot].replies);
	sqlite3_bind_int64(st, 4, c->cache[slot].first_ts);
	sqlite3_bind_int64(st, 5, c->cache[slot].last_ts);
	c->cache[slot].calls = c->cache[slot].replies = 0;
	return db_done(c->db, st);
}

static void count_message(struct capture_ingest *c, const struct message *m)
{
	size_t slot = m->conversation % STREAM_CACHE;
	if (!c->cache[slot].calls && !c->cache[slot].replies) {
		c->cache[slot].first_ts = m->ts_ns;
		c->cache[slot].last_ts = m->ts_ns;
	}
	if (m->msg_type == MSG_REPLY)
		c->cache[slot].replies++;
	else
		c->cache[slot].calls++;
	if (m->ts_ns < c->cache[slot].first_ts)
		c->cache[slot].first_ts = m->ts_ns;
	if (m->ts_ns > c->cache[slot].last_ts)
		c->cache[slot].last_ts = m->ts_ns;
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
	/* Every connection that has a stream is in the database. */
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
		char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
		format_address(src, sizeof src, m->src.family, m->src.addr);
		format_address(dst, sizeof dst, m->dst.family, m->dst.addr);
		struct conn_memo *e;
		bool src_is_client;
		rc = memo_find(c, src, m->src.port, dst, m->dst.port, &e,
			       &src_is_client);
		if (rc < 0)
			return -1;
		if (rc == 1 && e->stream < 0) {
			/* The handshake we saw: the decoder's connection. */
			e->stream = (int64_t)stream;
			if (!e->in_db) {
				e->protocol = m->protocol;
				if (!memo_write(c, e))
					return -1;
			} else {
				st = db_stmt(c->db, ST_CONV_SET_STREAM);
				if (!st)
					return -1;
				sqlite3_bind_int64(st, 1, e->id);
				sqlite3_bind_int64(st, 2, (int64_t)stream);
				if (m->protocol)
					sqlite3_bind_text(st, 3, m->protocol,
							  -1, SQLITE_STATIC);
				if (!db_done(c->db, st))
					return -1;
			}
		} else {
			/* No handshake in the capture: the caller is the
			 * side that sends calls. */
			bool call = m->msg_type == MSG_CALL;
			e = memo_new(c, e, call ? src : dst,
				     call ? m->src.port : m->dst.port,
				     call ? dst : src,
				     call ? m->dst.port : m->src.port,
				     "data", 0, m->ts_ns);
			if (!e)
				return -1;
			e->stream = (int64_t)stream;
			e->protocol = m->protocol;
			if (!memo_write(c, e))
				return -1;
		}
		id = e->id;
	}
	if (c->cache[slot].id && !flush_counts(c, slot))
		return -1;
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

/* ---- the fields a row copies out, found in one pass over the message
 * (what msg_find() would give: the first of each name).  Names are the
 * decoders' static strings: which one a name is, is kept by address. */
enum { KEY_GFID, KEY_PARGFID, KEY_PATH, KEY_BNAME, KEY_AUTH_PID, KEYS };

static const char *const key_names[KEYS] = {
	[KEY_GFID] = "glusterfs.gfid", [KEY_PARGFID] = "glusterfs.pargfid",
	[KEY_PATH] = "glusterfs.path", [KEY_BNAME] = "glusterfs.bname",
	[KEY_AUTH_PID] = "rpc.auth.pid",
};

#define KEY_CACHE 512

static void find_keys(const struct message *m, const struct field *found[KEYS])
{
	static struct {
		const char *name;
		int key;	/* KEYS: none */
	} cache[KEY_CACHE];
	for (int k = 0; k < KEYS; k++)
		found[k] = NULL;
	for (unsigned i = 0; i < m->nfields; i++) {
		const char *name = m->fields[i].name;
		if (!name)
			continue;
		size_t slot = ((uintptr_t)name >> 3) % KEY_CACHE;
		if (cache[slot].name != name) {
			int k = 0;
			while (k < KEYS && strcmp(name, key_names[k]))
				k++;
			cache[slot].name = name;
			cache[slot].key = k;
		}
		int k = cache[slot].key;
		if (k < KEYS && !found[k])
			found[k] = &m->fields[i];
	}
}

/* GlusterFS credentials carry the pid of the process a call is made for:
 * for libgfapi (and Samba through it) the process that owns the
 * connection.  A connection whose calls name one pid belongs to it; one
 * whose calls name several (a FUSE mount serves many programs) to none. */
static bool note_credential(struct capture_ingest *c, const struct message *m,
			    const struct field *f, int64_t conv)
{
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

/* ---- the row of a message, kept until it is inserted */

static void row_start(struct pending_row *r)
{
	for (int i = 1; i <= MESSAGE_COLS; i++)
		r->col[i].type = SQLITE_NULL;
	r->used = 0;
	r->waiting = false;
}

static void row_int(struct pending_row *r, int col, int64_t v)
{
	r->col[col].type = SQLITE_INTEGER;
	r->col[col].i = v;
}

/* False when out of memory. */
static bool row_text(struct pending_row *r, int col, const char *s,
		     size_t len)
{
	if (!s)
		return true;
	if (len > UINT32_MAX / 2)
		return false;
	if (r->cap - r->used < len) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap - r->used < len)
			cap *= 2;
		char *t = realloc(r->text, cap);
		if (!t)
			return false;
		r->text = t;
		r->cap = cap;
	}
	if (len)
		memcpy(r->text + r->used, s, len);
	r->col[col].type = SQLITE_TEXT;
	r->col[col].off = (uint32_t)r->used;
	r->col[col].len = (uint32_t)len;
	r->used += len;
	return true;
}

static bool row_cstr(struct pending_row *r, int col, const char *s)
{
	return !s || row_text(r, col, s, strlen(s));
}

static bool row_gfid(struct pending_row *r, int col, const struct message *m,
		     const struct field *f)
{
	if (!f || f->kind != FIELD_GFID || f->len != 16)
		return true;
	char s[37];
	gfid_text(field_bytes(m, f), s);
	return row_text(r, col, s, 36);
}

static bool row_str_field(struct pending_row *r, int col,
			  const struct message *m, const struct field *f)
{
	if (f && f->kind == FIELD_STR)
		return row_text(r, col, (const char *)field_bytes(m, f),
				f->len);
	return true;
}

/* 'addr:port' ('[v6]:port'); IPv4 without printf, it is most of them. */
static size_t endpoint_text(char *buf, const struct endpoint *e)
{
	size_t n = 0;
	if (e->family == 6) {
		char a[INET6_ADDRSTRLEN];
		format_address(a, sizeof a, 6, e->addr);
		n = (size_t)snprintf(buf, 64, "[%s]:", a);
	} else {
		for (int i = 0; i < 4; i++) {
			unsigned v = e->addr[i];
			if (v >= 100)
				buf[n++] = (char)('0' + v / 100);
			if (v >= 10)
				buf[n++] = (char)('0' + v / 10 % 10);
			buf[n++] = (char)('0' + v % 10);
			buf[n++] = i < 3 ? '.' : ':';
		}
	}
	char digits[8];
	size_t d = 0;
	unsigned port = e->port;
	do {
		digits[d++] = (char)('0' + port % 10);
		port /= 10;
	} while (port);
	while (d)
		buf[n++] = digits[--d];
	return n;
}

static bool row_endpoint(struct pending_row *r, int col,
			 const struct endpoint *e)
{
	char buf[80];
	return row_text(r, col, buf, endpoint_text(buf, e));
}

/* Inserts the oldest queued row. */
static bool insert_head(struct capture_ingest *c)
{
	struct pending_row *r = &c->queue[c->head];
	/* Every column is bound below and db_done() reset it: no need for
	 * db_stmt()'s reset and clearing on this hot path. */
	sqlite3_stmt *st = c->db->stmts[ST_MESSAGE_INSERT];
	if (!st && !(st = db_stmt(c->db, ST_MESSAGE_INSERT)))
		return false;
	for (int i = 1; i <= MESSAGE_COLS; i++) {
		if (r->col[i].type == SQLITE_INTEGER)
			sqlite3_bind_int64(st, i, r->col[i].i);
		else if (r->col[i].type == SQLITE_TEXT)
			sqlite3_bind_text(st, i, r->col[i].len ?
					  r->text + r->col[i].off : "",
					  (int)r->col[i].len, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i);
	}
	bool ok = db_done(c->db, st);
	c->queued_bytes -= r->used;
	if (r->cap > 256 * 1024) {	/* a huge body: give it back */
		free(r->text);
		r->text = NULL;
		r->cap = 0;
	}
	c->head = (c->head + 1) % QUEUE_ROWS;
	c->count--;
	return ok;
}

/* Inserts the rows that need wait no longer: all of them at the end. */
static bool drain(struct capture_ingest *c, bool all)
{
	while (c->count && (all || !c->queue[c->head].waiting ||
			    c->count >= QUEUE_ROWS ||
			    c->queued_bytes > QUEUE_BYTES))
		if (!insert_head(c))
			return false;
	return true;
}

/* A reply's call: the call of that XID that completed in the frame the
 * decoder matched it to, on the same connection, the latest if several.
 * Queued rows are newer than inserted ones: looked at first.  Returns
 * its id (0 none, -1 error); *queued its row when it is queued. */
static int64_t call_of_reply(struct capture_ingest *c, const struct message *m,
			     int64_t conv, struct pending_row **queued)
{
	*queued = NULL;
	for (size_t k = c->count; k-- > 0;) {
		struct pending_row *r = &c->queue[(c->head + k) % QUEUE_ROWS];
		if (r->col[COL_FRAME].i == (int64_t)m->call_frame &&
		    r->col[COL_XID].i == (int64_t)m->xid &&
		    r->col[COL_CONVERSATION].i == conv && r->call) {
			*queued = r;
			return r->col[COL_ID].i;
		}
	}
	sqlite3_stmt *q = db_stmt(c->db, ST_CALL_OF_REPLY);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, c->sum->id);
	sqlite3_bind_int64(q, 2, (int64_t)m->call_frame);
	sqlite3_bind_int64(q, 3, m->xid);
	sqlite3_bind_int64(q, 4, conv);
	int64_t call = 0;
	int rc = db_row(c->db, q);
	if (rc == 1)
		call = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return rc < 0 ? -1 : call;
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

/* The message's row, queued; false when out of memory. */
static bool queue_row(struct capture_ingest *c, const struct message *m,
		      const struct field *const keys[KEYS], int64_t conv,
		      int64_t call, const char *body, size_t body_len)
{
	struct pending_row *r = &c->queue[(c->head + c->count) % QUEUE_ROWS];
	bool reply = m->msg_type == MSG_REPLY;
	bool known = !reply || m->call_frame;	/* program known from a call */
	bool ok = true;
	char verdict[96];
	row_start(r);
	r->call = !reply;
	r->waiting = !reply;
	row_int(r, COL_ID, c->next_id);
	row_int(r, COL_INPUT, c->sum->id);
	row_int(r, COL_FRAME, (int64_t)m->frame);
	row_int(r, COL_FIRST_FRAME, (int64_t)m->first_frame);
	row_int(r, COL_TS, m->ts_ns);
	row_int(r, COL_CONVERSATION, conv);
	ok &= row_endpoint(r, COL_SRC, &m->src);
	ok &= row_endpoint(r, COL_DST, &m->dst);
	row_int(r, COL_LENGTH, m->length);
	row_int(r, COL_XID, m->xid);
	ok &= row_cstr(r, COL_MSG_TYPE, reply ? "reply" : "call");
	if (known) {
		row_int(r, COL_PROGRAM, m->program);
		ok &= row_cstr(r, COL_PROGRAM_NAME, m->program_name);
		row_int(r, COL_VERSION, m->version);
		row_int(r, COL_PROC, m->proc);
		ok &= row_cstr(r, COL_PROC_NAME, m->proc_name);
	}
	if (reply) {
		row_int(r, COL_REPLY_STATE, m->reply_state);
		row_int(r, COL_ACCEPT_STATE, m->accept_state);
		if (m->call_frame)
			row_int(r, COL_CALL_FRAME, (int64_t)m->call_frame);
		if (m->latency_ns >= 0)
			row_int(r, COL_LATENCY, m->latency_ns);
	}
	if (m->has_op) {
		row_int(r, COL_OP_RET, m->op_ret);
		row_int(r, COL_OP_ERRNO, m->op_errno);
		const char *en = errno_name(m->op_errno);
		if (en && m->op_errno)
			ok &= row_cstr(r, COL_ERRNO_NAME, en);
	}
	ok &= row_gfid(r, COL_GFID, m, keys[KEY_GFID]);
	ok &= row_gfid(r, COL_PARGFID, m, keys[KEY_PARGFID]);
	ok &= row_str_field(r, COL_PATH, m, keys[KEY_PATH]);
	ok &= row_str_field(r, COL_BNAME, m, keys[KEY_BNAME]);
	if (m->verdict) {
		verdict_text(verdict, sizeof verdict, m->verdict);
		ok &= row_cstr(r, COL_VERDICT, verdict);
		ok &= row_cstr(r, COL_WHY, m->why);
	}
	ok &= row_text(r, COL_INFO, m->info, m->info_len);
	if (body_len > 0)
		ok &= row_text(r, COL_BODY, body, body_len);
	if (call)
		row_int(r, COL_CALL, call);
	if (!ok)
		return false;
	c->count++;
	c->queued_bytes += r->used;
	c->next_id++;
	return true;
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
	const struct field *keys[KEYS];
	find_keys(m, keys);
	int64_t conv = conversation_of(c, m);
	if (conv < 0) {
		c->failed = true;
		return;
	}
	if (m->msg_type == MSG_CALL &&
	    (!note_process(c, m, conv) ||
	     !note_credential(c, m, keys[KEY_AUTH_PID], conv))) {
		c->failed = true;
		return;
	}

	/* The body: the decoder's JSON, as tapline decode -T json prints. */
	size_t body_len = output_json_render(m, &c->membuf, &c->memsize);
	if (body_len > 0 && c->membuf[body_len - 1] == '\n')
		body_len--;

	bool reply = m->msg_type == MSG_REPLY;
	int64_t call = 0;
	struct pending_row *call_row = NULL;
	if (reply && m->call_frame) {
		call = call_of_reply(c, m, conv, &call_row);
		if (call < 0) {
			c->failed = true;
			return;
		}
	}
	int64_t id = c->next_id;
	if (!queue_row(c, m, keys, conv, call, c->membuf, body_len)) {
		fprintf(stderr, "tapline correlate: out of memory\n");
		c->failed = true;
		return;
	}
	count_message(c, m);
	c->sum->messages++;
	if (m->verdict & (MSG_MALFORMED | MSG_TRUNCATED))
		c->sum->malformed++;
	if (call_row) {
		/* The first reply is the call's reply. */
		if (call_row->col[COL_REPLY].type == SQLITE_NULL)
			row_int(call_row, COL_REPLY, id);
		call_row->waiting = false;
	} else if (call) {
		sqlite3_stmt *st = db_stmt(c->db, ST_SET_REPLY);
		if (!st) {
			c->failed = true;
			return;
		}
		sqlite3_bind_int64(st, 1, call);
		sqlite3_bind_int64(st, 2, id);
		if (!db_done(c->db, st)) {
			c->failed = true;
			return;
		}
	}
	if (!drain(c, false))
		c->failed = true;
}

/* After the last message: the queued rows, then each connection's
 * message counts and times. */
static bool finish(struct capture_ingest *c)
{
	if (!drain(c, true))
		return false;
	for (size_t i = 0; i < CONN_MEMO; i++)
		if (!memo_write(c, &c->memo[i]))
			return false;
	for (size_t slot = 0; slot < STREAM_CACHE; slot++)
		if (c->cache[slot].id && !flush_counts(c, slot))
			return false;
	return true;
}

static void free_queue(struct capture_ingest *c)
{
	for (size_t i = 0; i < QUEUE_ROWS; i++)
		free(c->queue[i].text);
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
	/* The ids SQLite would give: one more than the largest. */
	sqlite3_stmt *st = db_stmt(db, ST_MESSAGE_NEXT_ID);
	if (!st || db_row(db, st) != 1) {
		if (st)
			sqlite3_reset(st);
		free(c);
		return false;
	}
	c->next_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = db_stmt(db, ST_CONV_NEXT_ID);
	if (!st || db_row(db, st) != 1) {
		if (st)
			sqlite3_reset(st);
		free(c);
		return false;
	}
	c->next_conv_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
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
		input_note_time(sum, f.ts_ns);
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
	bool ok = !c->failed && finish(c);
	free_queue(c);
	free(c->membuf);
	free(c);
	return ok;
}
