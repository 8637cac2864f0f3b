/* ingest_capture.c - a capture into conversations and messages,
 * through the decoder (src/wire/decoder.h).
 *
 * Two threads share the work: the caller's reads the capture, decodes,
 * keeps the connections and renders each row; a writer thread steps the
 * rows, in order, into SQLite (a run of message rows with one statement,
 * row_batch.h).  Between them is a ring of rows and statements (INSERTs
 * and UPDATEs, each with its values).  The writer is the only one to use
 * the database while it runs; the rare question the decoding side must
 * ask SQL (a connection or a call that left every memory) waits until
 * the writer has stepped everything before it (writer_sync), then asks
 * on the caller's thread. */
#include "ingest.h"

#include "memory.h"
#include "bodies.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "wire/capture.h"
#include "wire/decoder.h"
#include "present/output.h"
#include "present/resolve.h"
#include "proto/registry.h"

#ifndef STREAM_CACHE
#define STREAM_CACHE 1024
#endif

/* Columns of ST_MESSAGE_INSERT (its cN). */
enum {
	COL_INPUT = 1, COL_FRAME, COL_FIRST_FRAME, COL_TS, COL_CONVERSATION,
	COL_SRC, COL_DST, COL_LENGTH, COL_EXCHANGE_ID, COL_KIND, COL_PROTOCOL,
	COL_SERVICE_CODE, COL_SERVICE, COL_SERVICE_VERSION, COL_OP_CODE,
	COL_OP, COL_STATUS, COL_STATUS_CODE, COL_STATUS_NAME,
	COL_REPLY_STATE, COL_ACCEPT_STATE, COL_REQUEST_FRAME, COL_LATENCY,
	COL_OP_RET, COL_OP_ERRNO, COL_ERRNO_NAME, COL_GFID, COL_PARGFID,
	COL_PATH, COL_BNAME, COL_VERDICT, COL_WHY, COL_INFO, COL_BODY,
	COL_REQUEST, COL_RESPONSE, COL_WIRE, COL_WIRE_DICTIONARY, COL_ID,
	MESSAGE_COLS = COL_ID
};

/* A statement not stepped yet, with its values: a message row or a
 * write to a connection's row.  A call waits on the decoding side (a
 * little) for its reply, so that its reply column is set by the INSERT
 * rather than by an UPDATE of a row written before; ids are given in
 * decode order, so the rows and their ids are those of inserting at
 * once. */
struct pending_row {
	enum db_stmt stmt;
	int ncols;		/* ?1..?ncols are bound */
	struct {
		int64_t i;
		uint32_t off, len;
		uint8_t type;	/* SQLITE_NULL, _INTEGER, _TEXT, COL_IN_BODY */
	} col[MESSAGE_COLS + 1];
	bool call;		/* a message row of kind 'request' */
	bool waiting;		/* a request whose response is not seen yet */
	/* The text columns, one after the other, and the body: the JSON
	 * (rendered by output_json_render()) or the record's bytes as the
	 * wire column holds them (bodies.h).  While the row is made they
	 * are the ingest's scratch buffers (cap, body_cap: lent by
	 * slot_new(), taken back by slot_push()); then its bytes in the
	 * arena (cap and body_cap 0). */
	char *text;
	size_t used, cap;
	char *body;
	size_t body_len, body_cap;
	uint64_t arena_start;	/* where its bytes begin in the arena */
	size_t arena_bytes;	/* and how many it takes there */
};

/* The type of a column whose text (or blob) is the row's body buffer. */
#define COL_IN_BODY 100
#define COL_IN_BODY_BLOB 101

#ifndef CONN_MEMO
#define CONN_MEMO 4096
#endif

/* The ring: rows the decoding side holds back (calls waiting for their
 * reply, and the rows after them) are at most QUEUE_ROWS, and take at
 * most half of the arena's bytes: a call without a reply goes on once
 * that many rows came after it (its reply, if it comes, is then set by
 * an UPDATE).  The writer's share is what is left of the ring.  The
 * rows' bytes are in the arena, a FIFO of the memory plan's `rows`
 * bytes (ROWS_BYTES instead, when defined). */
/* (tests/correlate-small.sh builds tapline with tiny ones.) */
#ifndef QUEUE_ROWS
#define QUEUE_ROWS 512
#endif
#ifndef RING_ROWS	/* 2560 measured no faster, and 16 MiB bigger */
#define RING_ROWS 1024
#endif
/* The writer steps this many rows between looks at the ring. */
#ifndef WRITER_BATCH
#define WRITER_BATCH 64
#endif

/* Connections whose tuple may have a row only SQL can find: a Bloom
 * filter of those that left the memo unfinished. */
#define BLOOM_BITS (1u << 20)
/* Streams (the decoder's connection numbers) given a row, one bit each,
 * up to as many as the memory plan's stream_bitmap holds; beyond, SQL is
 * asked. */

/* A conversations row that only the stream cache has: what the UPDATEs
 * of ST_CONV_SEEN, _STATE, _PROCESS, _CREDENTIAL and _CRED_CONFLICT
 * would do to it is done here, and it is written once, whole, when it
 * leaves the cache (or SQL must see it). */
struct held_row {
	char client[INET6_ADDRSTRLEN], server[INET6_ADDRSTRLEN];
	unsigned client_port, server_port;
	char state[16];
	int syn_count;
	int64_t first_ts, last_ts, stream;
	const char *protocol;	/* static */
	int64_t client_pid;	/* 0: NULL */
	const char *pid_method;	/* static, NULL */
	bool have_host, have_name, have_uuid;
	uint16_t host_len, name_len, uuid_len;
	char host[256], name[256], uuid[512];
};

struct capture_ingest {
	struct db *db;
	struct input_summary *sum;
	bool failed;
	/* the named fields a message row copies beside its exchange */
	struct field_ref xid, replystat, accept, op_ret, op_errno;
	/* whose events (kind EVENT) are the connection events */
	const struct protocol *tcp_protocol;
	struct {
		uint64_t stream;
		int64_t id;
		int64_t cred_pid;	/* 0 none yet, -1 several seen */
		/* Messages counted here, added to the row when it leaves
		 * (others: events and messages of no exchange, which only
		 * move its times). */
		uint64_t calls, replies, others;
		int64_t first_ts, last_ts;
		bool held;		/* its row is .row, not written yet */
		struct held_row row;
	} cache[STREAM_CACHE];
	struct conn_memo {
		int64_t id;		/* 0: empty */
		bool in_db;		/* written (or held by the stream
					 * cache): changes go to its row */
		bool lost;		/* a connection left this slot once */
		uint64_t hash;
		char client[INET6_ADDRSTRLEN], server[INET6_ADDRSTRLEN];
		unsigned client_port, server_port;
		char state[16];
		int syn_count;
		int64_t first_ts, last_ts;
		int64_t stream;		/* -1 none */
		const char *protocol;	/* static */
	} memo[CONN_MEMO];
	uint8_t bloom[BLOOM_BITS / 8];
	uint64_t *streams;	/* bit s: stream s has a row */
	size_t stream_words, stream_words_max;
	bool streams_beyond;	/* one beyond the bitmap has a row */
	int64_t next_conv_id;	/* conversations.id of the next one */
	int64_t next_id;	/* messages.id of the next message */
	/* The records packed against what came before them (bodies.h):
	 * the dictionary now in use (0: none yet), the next one's id, and
	 * the buffer a record is made in before it is packed. */
	struct wire_packer *packer;
	int64_t dictionary, next_dictionary;
	char *record;
	size_t record_cap;

	/* The ring.  Rows [ready, tail) are the decoding side's, [head,
	 * ready) the writer's; the slots of [tail - RING_ROWS, head) hold
	 * rows already stepped, still readable by the decoding side (only
	 * it writes slots). */
	struct pending_row ring[RING_ROWS];
	uint64_t tail, ready;
	size_t held_bytes;	/* arena bytes of the rows [ready, tail) */
	uint64_t seen_head;	/* w_head at the last look */
	uint64_t published;	/* w_ready at the last look */

	/* The rows' bytes: a FIFO in one block, positions counted from the
	 * input's start (arena_tail: the next row's).  A row is contiguous
	 * (one that would wrap begins at the block's start, the bytes
	 * skipped counted with it); a stepped row's bytes are free.  A row
	 * of more than half the block stays in the scratch buffers and is
	 * stepped before the next row is made. */
	char *arena;
	size_t arena_size;
	uint64_t arena_tail;
	size_t arena_want;	/* bytes slot_push() waits for */
	/* The buffers a row is made in, lent to one slot at a time. */
	char *scratch_text, *scratch_body;
	size_t scratch_cap, scratch_body_cap;
	bool making;		/* lent to the slot at `tail` */

	/* Shared with the writer thread, under lock. */
	bool threaded;
	pthread_t writer;
	pthread_mutex_t lock;
	pthread_cond_t work, space;
	uint64_t w_ready, w_head;
	bool w_sleeping, p_waiting, closing, abandon;
	atomic_bool w_failed;
};

static bool ingest_failed(struct capture_ingest *c)
{
	return c->failed ||
	       atomic_load_explicit(&c->w_failed, memory_order_relaxed);
}

/* ---- the writer */

/* Binds a row's values and steps its statement: a row other than a
 * message's. */
static bool row_exec(struct db *db, const struct pending_row *r)
{
	sqlite3_stmt *st = db_stmt(db, r->stmt);
	if (!st)
		return false;
	for (int i = 1; i <= r->ncols; i++) {
		uint8_t type = r->col[i].type;
		if (type == SQLITE_INTEGER)
			sqlite3_bind_int64(st, i, r->col[i].i);
		else if (type == SQLITE_TEXT)
			sqlite3_bind_text(st, i, r->col[i].len ?
					  r->text + r->col[i].off : "",
					  (int)r->col[i].len, SQLITE_STATIC);
		else if (type == COL_IN_BODY)
			sqlite3_bind_text(st, i, r->body, (int)r->body_len,
					  SQLITE_STATIC);
		else if (type == COL_IN_BODY_BLOB)
			sqlite3_bind_blob(st, i, r->body, (int)r->body_len,
					  SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i);
	}
	return db_done(db, st);
}

/* The value of column col + 1 of the message row `row` of the ring, as
 * tapline_row_batch gives it to ST_MESSAGE_INSERT (row_batch.h). */
static void message_column(void *user, uint64_t row, int col,
			   sqlite3_context *ctx)
{
	const struct capture_ingest *c = user;
	const struct pending_row *r = &c->ring[row % RING_ROWS];
	int i = col + 1;
	if (i > r->ncols)
		return;
	switch (r->col[i].type) {
	case SQLITE_INTEGER:
		sqlite3_result_int64(ctx, r->col[i].i);
		break;
	case SQLITE_TEXT:
		sqlite3_result_text(ctx, r->col[i].len ?
				    r->text + r->col[i].off : "",
				    (int)r->col[i].len, SQLITE_STATIC);
		break;
	case COL_IN_BODY:
		sqlite3_result_text(ctx, r->body, (int)r->body_len,
				    SQLITE_STATIC);
		break;
	case COL_IN_BODY_BLOB:
		sqlite3_result_blob(ctx, r->body, (int)r->body_len,
				    SQLITE_STATIC);
		break;
	default:
		break;	/* NULL */
	}
}

/* Steps the rows [from, to) of the ring in order: each run of message
 * rows with one step of ST_MESSAGE_INSERT, any other row alone.  False
 * at the first that fails (reported). */
static bool rows_exec(struct capture_ingest *c, uint64_t from, uint64_t to)
{
	struct db *db = c->db;
	while (from < to) {
		uint64_t end = from;
		while (end < to &&
		       c->ring[end % RING_ROWS].stmt == ST_MESSAGE_INSERT)
			end++;
		if (end == from) {
			if (!row_exec(db, &c->ring[from % RING_ROWS]))
				return false;
			from++;
			continue;
		}
		db->batch = (struct row_batch){ from, end, message_column, c };
		if (!db_done(db, db->stmts[ST_MESSAGE_INSERT]))
			return false;
		from = end;
	}
	return true;
}

static void *writer_main(void *arg)
{
	struct capture_ingest *c = arg;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (c->w_head == c->w_ready && !c->closing) {
			c->w_sleeping = true;
			if (c->p_waiting)
				pthread_cond_signal(&c->space);
			pthread_cond_wait(&c->work, &c->lock);
		}
		c->w_sleeping = false;
		if (c->w_head == c->w_ready)
			break;	/* closing, and all stepped */
		uint64_t from = c->w_head, to = c->w_ready;
		if (to - from > WRITER_BATCH)
			to = from + WRITER_BATCH;
		bool skip = c->abandon ||
			    atomic_load_explicit(&c->w_failed,
						 memory_order_relaxed);
		pthread_mutex_unlock(&c->lock);
		if (!skip && !rows_exec(c, from, to))
			atomic_store(&c->w_failed, true);
		pthread_mutex_lock(&c->lock);
		c->w_head = to;
		if (c->p_waiting)
			pthread_cond_signal(&c->space);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Under lock: the writer may take every row handed over; woken when it
 * sleeps and there is a batch (or `now`). */
static void publish_locked(struct capture_ingest *c, bool now)
{
	c->w_ready = c->ready;
	c->published = c->ready;
	if (c->w_sleeping && c->w_ready != c->w_head &&
	    (now || c->w_ready - c->w_head >= WRITER_BATCH))
		pthread_cond_signal(&c->work);
}

/* Rows handed over: to the writer thread, or stepped here without one. */
static void publish(struct capture_ingest *c, bool now)
{
	if (!c->threaded) {
		if (!ingest_failed(c) && !rows_exec(c, c->w_head, c->ready))
			atomic_store(&c->w_failed, true);
		c->w_head = c->ready;
		c->seen_head = c->w_head;
		return;
	}
	if (!now && c->ready - c->published < WRITER_BATCH / 2)
		return;
	pthread_mutex_lock(&c->lock);
	publish_locked(c, now);
	pthread_mutex_unlock(&c->lock);
}

/* Hands the rows that need wait no longer to the writer: all of them
 * when `all`. */
static void release(struct capture_ingest *c, bool all)
{
	uint64_t from = c->ready;
	while (c->ready < c->tail) {
		const struct pending_row *r = &c->ring[c->ready % RING_ROWS];
		if (!all && r->waiting && c->tail - c->ready < QUEUE_ROWS &&
		    c->held_bytes <= c->arena_size / 2)
			break;
		c->held_bytes -= r->arena_bytes;
		c->ready++;
	}
	if (c->ready != from || all)
		publish(c, all);
}

/* Waits for the writer until `done` says so (under lock); false when it
 * failed. */
static bool wait_writer(struct capture_ingest *c,
			bool (*done)(const struct capture_ingest *))
{
	pthread_mutex_lock(&c->lock);
	publish_locked(c, true);
	c->p_waiting = true;
	while (!done(c) && !atomic_load(&c->w_failed))
		pthread_cond_wait(&c->space, &c->lock);
	c->p_waiting = false;
	c->seen_head = c->w_head;
	pthread_mutex_unlock(&c->lock);
	return !atomic_load(&c->w_failed);
}

static bool all_stepped(const struct capture_ingest *c)
{
	return c->w_head == c->w_ready;
}

/* Room for a batch of rows. */
static bool has_room(const struct capture_ingest *c)
{
	return c->tail - c->w_head + WRITER_BATCH <= RING_ROWS;
}

/* The arena's bytes a row of n bytes takes at its tail: n, and what is
 * skipped to the block's start when n does not fit before its end. */
static size_t arena_need(const struct capture_ingest *c, size_t n)
{
	size_t at = (size_t)(c->arena_tail % c->arena_size);
	return at + n > c->arena_size ? c->arena_size - at + n : n;
}

/* Whether c->arena_want bytes fit once the rows before `head` are
 * stepped (their bytes free), or no row is left to step: the writer has
 * everything handed over (the rest is held). */
static bool arena_fits(const struct capture_ingest *c, uint64_t head)
{
	uint64_t free_from = head < c->tail ?
			     c->ring[head % RING_ROWS].arena_start :
			     c->arena_tail;
	return c->arena_tail + arena_need(c, c->arena_want) - free_from <=
	       c->arena_size;
}

static bool arena_room(const struct capture_ingest *c)
{
	return arena_fits(c, c->w_head) || c->w_head == c->w_ready;
}

/* Everything queued is in the database, and the writer idle: the
 * caller may use the database until it queues a row again. */
static bool write_all_held(struct capture_ingest *c);

static bool writer_sync(struct capture_ingest *c)
{
	if (!write_all_held(c))
		return false;
	release(c, true);
	if (!c->threaded)
		return !ingest_failed(c);
	return wait_writer(c, all_stepped) && !c->failed;
}

/* The scratch buffers back from the slot they were lent to (grown,
 * perhaps). */
static void slot_return(struct capture_ingest *c, struct pending_row *r)
{
	c->scratch_text = r->text;
	c->scratch_cap = r->cap;
	c->scratch_body = r->body;
	c->scratch_body_cap = r->body_cap;
	r->cap = r->body_cap = 0;
	c->making = false;
}

/* A free slot at the tail, cleared and lent the scratch buffers, for
 * statement `stmt`; NULL when the writer failed. */
static struct pending_row *slot_new(struct capture_ingest *c,
				    enum db_stmt stmt)
{
	if (c->tail - c->seen_head >= RING_ROWS) {
		if (c->tail - c->ready >= RING_ROWS - WRITER_BATCH)
			release(c, true);	/* never: QUEUE_ROWS is less */
		if (c->threaded ? !wait_writer(c, has_room) : ingest_failed(c))
			return NULL;
	}
	struct pending_row *r = &c->ring[c->tail % RING_ROWS];
	if (c->making)	/* a row abandoned unpushed (its caller failed) */
		slot_return(c, r);
	r->text = c->scratch_text;
	r->cap = c->scratch_cap;
	r->body = c->scratch_body;
	r->body_cap = c->scratch_body_cap;
	r->body_len = 0;
	r->stmt = stmt;
	r->ncols = 0;
	for (int i = 1; i <= MESSAGE_COLS; i++)
		r->col[i].type = SQLITE_NULL;
	r->used = 0;
	r->call = false;
	r->waiting = false;
	c->making = true;
	return r;
}

/* The slot filled by the caller joins the ring (the decoding side's
 * part: release() hands it on), its bytes copied into the arena; false
 * when the writer failed. */
static bool slot_push(struct capture_ingest *c, struct pending_row *r)
{
	slot_return(c, r);
	size_t n = r->used + r->body_len;
	if (n > c->arena_size / 2) {
		/* Stepped from the scratch buffers, before they make the
		 * next row. */
		r->arena_start = c->arena_tail;
		r->arena_bytes = 0;
		c->tail++;
		release(c, true);
		return c->threaded ? wait_writer(c, all_stepped) :
				     !ingest_failed(c);
	}
	c->arena_want = n;
	while (!arena_fits(c, c->seen_head)) {
		/* The writer frees what it steps; once it has everything
		 * handed over, what is left is held rows: hand them on. */
		if (c->seen_head == c->ready)
			release(c, true);
		if (c->threaded ? !wait_writer(c, arena_room) :
				  ingest_failed(c))
			return false;
	}
	size_t need = arena_need(c, n);
	char *at = c->arena + (c->arena_tail + need - n) % c->arena_size;
	if (r->used)
		memcpy(at, r->text, r->used);
	if (r->body_len)
		memcpy(at + r->used, r->body, r->body_len);
	r->text = at;
	r->body = at + r->used;
	r->arena_start = c->arena_tail;
	r->arena_bytes = need;
	c->arena_tail += need;
	c->held_bytes += need;
	c->tail++;
	return true;
}

static bool writer_start(struct capture_ingest *c)
{
	if (pthread_mutex_init(&c->lock, NULL))
		return false;
	if (pthread_cond_init(&c->work, NULL)) {
		pthread_mutex_destroy(&c->lock);
		return false;
	}
	if (pthread_cond_init(&c->space, NULL)) {
		pthread_cond_destroy(&c->work);
		pthread_mutex_destroy(&c->lock);
		return false;
	}
	if (pthread_create(&c->writer, NULL, writer_main, c)) {
		pthread_cond_destroy(&c->space);
		pthread_cond_destroy(&c->work);
		pthread_mutex_destroy(&c->lock);
		return false;
	}
	c->threaded = true;
	return true;
}

/* Ends the writer: after stepping every row, or (abandon) none more.
 * False when a row failed. */
static bool writer_stop(struct capture_ingest *c, bool abandon)
{
	if (!abandon)
		release(c, true);
	if (c->threaded) {
		pthread_mutex_lock(&c->lock);
		c->abandon = abandon;
		c->closing = true;
		publish_locked(c, true);
		pthread_cond_signal(&c->work);
		pthread_mutex_unlock(&c->lock);
		pthread_join(c->writer, NULL);
		pthread_cond_destroy(&c->space);
		pthread_cond_destroy(&c->work);
		pthread_mutex_destroy(&c->lock);
		c->threaded = false;
	}
	return !ingest_failed(c);
}

/* ---- a row's values */

static void row_int(struct pending_row *r, int col, int64_t v)
{
	r->col[col].type = SQLITE_INTEGER;
	r->col[col].i = v;
	if (col > r->ncols)
		r->ncols = col;
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
	if (col > r->ncols)
		r->ncols = col;
	return true;
}

static bool row_cstr(struct pending_row *r, int col, const char *s)
{
	return !s || row_text(r, col, s, strlen(s));
}

/* ---- connections */

static void format_address(char *buf, size_t len, int family,
			   const uint8_t *addr)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
}

/* The latest connection of the 4-tuple, asked of SQL: 1 found (*id,
 * *a_is_client, state copied, *stream or -1), 0 none, -1 error. */
static int find_tuple(struct capture_ingest *c, const char *a, unsigned ap,
		      const char *b, unsigned bp, int64_t *id,
		      bool *a_is_client, char *state, size_t statelen,
		      int64_t *stream)
{
	if (!writer_sync(c))
		return -1;
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
 * that leaves the memo is written first.  SQL is asked for a tuple only
 * when one of its connections left the memo unfinished (handshake or
 * first message still to come): the Bloom filter knows those.  One that
 * left finished, found again, would be treated as none: a SYN, or a
 * message of a new stream, starts a new connection either way. */

static uint64_t hash_text(uint64_t h, const char *s, unsigned port)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3u;
	return (h ^ port) * 0x100000001b3u;
}

static uint64_t tuple_hash(const char *a, unsigned ap, const char *b,
			   unsigned bp)
{
	/* The same either way round; the sum is mixed (splitmix64's
	 * finalizer) so that tuples differing in a port spread out. */
	uint64_t h = hash_text(0xcbf29ce484222325u, a, ap) +
		     hash_text(0xcbf29ce484222325u, b, bp);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebu;
	h ^= h >> 31;
	return h;
}

static void bloom_add(struct capture_ingest *c, uint64_t h)
{
	for (int k = 0; k < 3; k++, h >>= 21)
		c->bloom[(h % BLOOM_BITS) / 8] |= (uint8_t)(1u << (h % 8));
}

static bool bloom_has(const struct capture_ingest *c, uint64_t h)
{
	for (int k = 0; k < 3; k++, h >>= 21)
		if (!(c->bloom[(h % BLOOM_BITS) / 8] & (1u << (h % 8))))
			return false;
	return true;
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

/* Queues the INSERT of a connection only the memo has. */
static bool memo_write(struct capture_ingest *c, struct conn_memo *e)
{
	if (!e->id || e->in_db)
		return true;
	struct pending_row *r = slot_new(c, ST_CONV_INSERT);
	if (!r)
		return false;
	row_int(r, 1, c->sum->id);
	if (e->stream >= 0)
		row_int(r, 2, e->stream);
	bool ok = row_cstr(r, 3, e->client);
	row_int(r, 4, e->client_port);
	ok &= row_cstr(r, 5, e->server);
	row_int(r, 6, e->server_port);
	ok &= row_cstr(r, 7, e->state);
	row_int(r, 8, e->syn_count);
	row_int(r, 9, e->first_ts);
	row_int(r, 10, e->last_ts);
	ok &= row_cstr(r, 11, e->protocol);
	row_int(r, 12, e->id);
	row_int(r, 13, 0);
	row_int(r, 14, 0);
	if (!ok) {
		fprintf(stderr, "tapline correlate: out of memory\n");
		return false;
	}
	if (!slot_push(c, r))
		return false;
	e->in_db = true;
	return true;
}

/* The slot's connection leaves the memo: written, and remembered by the
 * Bloom filter when SQL may have to find it again. */
static bool memo_evict(struct capture_ingest *c, struct conn_memo *e)
{
	if (!e->id)
		return true;
	if (!memo_write(c, e))
		return false;
	if (e->stream < 0 || !strcmp(e->state, "syn-sent"))
		bloom_add(c, e->hash);
	e->id = 0;
	e->lost = true;
	return true;
}

/* The latest connection of the 4-tuple, from the memo or (then kept in
 * it) the database: 1 found (*e), 0 none (*e the slot, written and
 * empty), -1 error. */
static int memo_find(struct capture_ingest *c, const char *a, unsigned ap,
		     const char *b, unsigned bp, struct conn_memo **e,
		     bool *a_is_client)
{
	uint64_t h = tuple_hash(a, ap, b, bp);
	*e = &c->memo[h % CONN_MEMO];
	if (memo_is(*e, a, ap, b, bp, a_is_client))
		return 1;
	if (!memo_evict(c, *e))
		return -1;
	/* A slot that never lost a connection knows its tuple has none. */
	if (!(*e)->lost || !bloom_has(c, h))
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
	m->hash = h;
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
	if (!memo_evict(c, e))
		return NULL;
	bool lost = e->lost;
	memset(e, 0, sizeof *e);
	e->lost = lost;
	e->id = c->next_conv_id++;
	e->hash = tuple_hash(client, cport, server, sport);
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

/* The row of a memo entry that the stream cache holds, or NULL. */
static struct held_row *held_row_of(struct capture_ingest *c,
				    const struct conn_memo *e)
{
	if (e->stream < 0)
		return NULL;
	size_t slot = (uint64_t)e->stream % STREAM_CACHE;
	if (!c->cache[slot].held || c->cache[slot].id != e->id)
		return NULL;
	return &c->cache[slot].row;
}

/* A state change of a connection: in the memo, the row the stream cache
 * holds, or the database's row. */
static bool memo_change(struct capture_ingest *c, struct conn_memo *e,
			const char *state, int syns, int64_t ts)
{
	if (state)
		snprintf(e->state, sizeof e->state, "%s", state);
	if (!e->in_db) {
		e->syn_count += syns;
		if (ts > e->last_ts)
			e->last_ts = ts;
		return true;
	}
	struct held_row *h = held_row_of(c, e);
	if (h) {
		if (state)
			snprintf(h->state, sizeof h->state, "%s", state);
		h->syn_count += syns;
		if (ts > h->last_ts)
			h->last_ts = ts;
		return true;
	}
	struct pending_row *r = slot_new(c, state ? ST_CONV_STATE :
					 ST_CONV_SEEN);
	if (!r)
		return false;
	row_int(r, 1, e->id);
	if (!state)
		row_int(r, 2, syns);
	else if (!row_cstr(r, 2, e->state))
		return false;
	row_int(r, 3, ts);
	return slot_push(c, r);
}

/* Connection attempts: a mount that fails sends SYNs that nobody
 * answers, that a reset or an ICMP port unreachable refuses, or that
 * another ICMP destination unreachable answers (no route, a firewall's
 * icmp-host-prohibited).  The decoder tells each SYN, the SYN-ACK that
 * answers, the refusal and the unreachable as connection events
 * (wire/decoder.h), the same `tapline decode` shows: the sender as
 * source, the packet's time.  (An ICMP error about an open connection
 * is an "unreachable" too; it changes no state but syn-sent.) */
static void connection_event(struct capture_ingest *c,
			     const struct message *m)
{
	const char *what = m->exchange.op;
	bool syn = !strcmp(what, "SYN");
	const char *state = syn ? NULL :
			    !strcmp(what, "established") ? "established" :
			    !strcmp(what, "connection refused") ? "refused" :
			    !strcmp(what, "unreachable") ? "unreachable" :
			    NULL;
	if (!syn && !state)
		return;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	format_address(src, sizeof src, m->src.family, m->src.addr);
	format_address(dst, sizeof dst, m->dst.family, m->dst.addr);
	struct conn_memo *e;
	bool src_is_client = false;
	int rc = memo_find(c, src, m->src.port, dst, m->dst.port, &e,
			   &src_is_client);
	if (rc < 0) {
		c->failed = true;
		return;
	}
	bool ok = true;
	bool syn_sent = rc == 1 && !strcmp(e->state, "syn-sent");
	if (syn) {
		/* A retry of an unanswered attempt, or a new connection. */
		if (syn_sent && src_is_client)
			ok = memo_change(c, e, NULL, 1, m->ts_ns);
		else
			ok = memo_new(c, e, src, m->src.port, dst, m->dst.port,
				      "syn-sent", 1, m->ts_ns) != NULL;
	} else if (syn_sent && !src_is_client) {
		ok = memo_change(c, e, state, 0, m->ts_ns);
	}
	if (!ok)
		c->failed = true;
	else
		release(c, false);
}

/* Queues the INSERT of the row a cache slot holds, its message counts
 * and times in it. */
static bool write_held(struct capture_ingest *c, size_t slot)
{
	if (!c->cache[slot].held)
		return true;
	const struct held_row *h = &c->cache[slot].row;
	struct pending_row *r = slot_new(c, ST_CONV_INSERT);
	if (!r)
		return false;
	int64_t first = h->first_ts, last = h->last_ts;
	if (c->cache[slot].calls || c->cache[slot].replies ||
	    c->cache[slot].others) {
		if (c->cache[slot].first_ts < first)
			first = c->cache[slot].first_ts;
		if (c->cache[slot].last_ts > last)
			last = c->cache[slot].last_ts;
	}
	row_int(r, 1, c->sum->id);
	row_int(r, 2, h->stream);
	bool ok = row_cstr(r, 3, h->client);
	row_int(r, 4, h->client_port);
	ok &= row_cstr(r, 5, h->server);
	row_int(r, 6, h->server_port);
	ok &= row_cstr(r, 7, h->state);
	row_int(r, 8, h->syn_count);
	row_int(r, 9, first);
	row_int(r, 10, last);
	ok &= row_cstr(r, 11, h->protocol);
	row_int(r, 12, c->cache[slot].id);
	row_int(r, 13, (int64_t)c->cache[slot].calls);
	row_int(r, 14, (int64_t)c->cache[slot].replies);
	if (h->have_host)
		ok &= row_text(r, 15, h->host, h->host_len);
	if (h->client_pid)
		row_int(r, 16, h->client_pid);
	if (h->have_name)
		ok &= row_text(r, 17, h->name, h->name_len);
	if (h->have_uuid)
		ok &= row_text(r, 18, h->uuid, h->uuid_len);
	ok &= row_cstr(r, 19, h->pid_method);
	if (!ok) {
		fprintf(stderr, "tapline correlate: out of memory\n");
		return false;
	}
	if (!slot_push(c, r))
		return false;
	c->cache[slot].held = false;
	c->cache[slot].calls = c->cache[slot].replies = 0;
	c->cache[slot].others = 0;
	return true;
}

/* Every held row written: SQL is about to be asked. */
static bool write_all_held(struct capture_ingest *c)
{
	for (size_t slot = 0; slot < STREAM_CACHE; slot++)
		if (!write_held(c, slot))
			return false;
	return true;
}

/* A cache slot's conversation leaves it: its held row written, or its
 * message counts and times added to its row. */
static bool flush_counts(struct capture_ingest *c, size_t slot)
{
	if (c->cache[slot].held)
		return write_held(c, slot);
	if (!c->cache[slot].calls && !c->cache[slot].replies &&
	    !c->cache[slot].others)
		return true;
	struct pending_row *r = slot_new(c, ST_CONV_COUNTS);
	if (!r)
		return false;
	row_int(r, 1, c->cache[slot].id);
	row_int(r, 2, (int64_t)c->cache[slot].calls);
	row_int(r, 3, (int64_t)c->cache[slot].replies);
	row_int(r, 4, c->cache[slot].first_ts);
	row_int(r, 5, c->cache[slot].last_ts);
	if (!slot_push(c, r))
		return false;
	c->cache[slot].calls = c->cache[slot].replies = 0;
	c->cache[slot].others = 0;
	return true;
}

static void count_message(struct capture_ingest *c, const struct message *m)
{
	size_t slot = m->conversation % STREAM_CACHE;
	if (!c->cache[slot].calls && !c->cache[slot].replies &&
	    !c->cache[slot].others) {
		c->cache[slot].first_ts = m->ts_ns;
		c->cache[slot].last_ts = m->ts_ns;
	}
	if (m->exchange.kind == EXCHANGE_RESPONSE)
		c->cache[slot].replies++;
	else if (m->exchange.kind == EXCHANGE_REQUEST)
		c->cache[slot].calls++;
	else
		c->cache[slot].others++;
	if (m->ts_ns < c->cache[slot].first_ts)
		c->cache[slot].first_ts = m->ts_ns;
	if (m->ts_ns > c->cache[slot].last_ts)
		c->cache[slot].last_ts = m->ts_ns;
}

/* Whether a stream may have a row already (false: it has none). */
static bool stream_known(const struct capture_ingest *c, uint64_t s)
{
	if (s >= (uint64_t)c->stream_words * 64)
		return c->streams_beyond;
	return c->streams[s / 64] >> (s % 64) & 1;
}

static void stream_mark(struct capture_ingest *c, uint64_t s)
{
	if (s >= (uint64_t)c->stream_words * 64) {
		size_t words = c->stream_words ? c->stream_words : 1024;
		while (s >= (uint64_t)words * 64 && words < c->stream_words_max)
			words *= 2;
		if (words > c->stream_words_max)
			words = c->stream_words_max;
		uint64_t *w = s < (uint64_t)words * 64 ?
			      realloc(c->streams, words * sizeof *w) : NULL;
		if (!w) {
			c->streams_beyond = true;	/* SQL knows */
			return;
		}
		memset(w + c->stream_words, 0,
		       (words - c->stream_words) * sizeof *w);
		c->streams = w;
		c->stream_words = words;
	}
	c->streams[s / 64] |= (uint64_t)1 << (s % 64);
}

/* The conversations row of a stream that has one and left the cache:
 * from the memo if it is there, else from SQL.  0 none, -1 error. */
static int64_t conversation_known(struct capture_ingest *c, uint64_t stream,
				  const char *src, unsigned sport,
				  const char *dst, unsigned dport)
{
	bool src_is_client;
	struct conn_memo *e =
		&c->memo[tuple_hash(src, sport, dst, dport) % CONN_MEMO];
	if (memo_is(e, src, sport, dst, dport, &src_is_client) &&
	    e->stream == (int64_t)stream)
		return e->id;
	if (!writer_sync(c))
		return -1;
	sqlite3_stmt *st = db_stmt(c->db, ST_CONV_BY_STREAM);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, c->sum->id);
	sqlite3_bind_int64(st, 2, (int64_t)stream);
	int64_t id = 0;
	int rc = db_row(c->db, st);
	if (rc == 1)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc < 0 ? -1 : id;
}

/* The conversations row of a message's connection. */
static int64_t conversation_of(struct capture_ingest *c,
			       const struct message *m)
{
	uint64_t stream = m->conversation;
	size_t slot = stream % STREAM_CACHE;
	if (c->cache[slot].id && c->cache[slot].stream == stream)
		return c->cache[slot].id;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	format_address(src, sizeof src, m->src.family, m->src.addr);
	format_address(dst, sizeof dst, m->dst.family, m->dst.addr);
	int64_t id = 0;
	struct conn_memo *hold = NULL;
	if (stream_known(c, stream)) {
		id = conversation_known(c, stream, src, m->src.port, dst,
					m->dst.port);
		if (id < 0)
			return -1;
	}
	if (!id) {
		struct conn_memo *e;
		bool src_is_client;
		int rc = memo_find(c, src, m->src.port, dst, m->dst.port, &e,
				   &src_is_client);
		if (rc < 0)
			return -1;
		if (rc == 1 && e->stream < 0) {
			/* The handshake we saw: the decoder's connection. */
			e->stream = (int64_t)stream;
			if (!e->in_db) {
				e->protocol = m->proto->label;
				hold = e;
			} else {
				struct pending_row *r =
					slot_new(c, ST_CONV_SET_STREAM);
				if (!r)
					return -1;
				row_int(r, 1, e->id);
				row_int(r, 2, (int64_t)stream);
				if (!row_cstr(r, 3, m->proto->label) ||
				    !slot_push(c, r))
					return -1;
			}
		} else {
			/* No handshake in the capture: the caller is the
			 * side that sends calls. */
			bool call = m->exchange.kind == EXCHANGE_REQUEST;
			e = memo_new(c, e, call ? src : dst,
				     call ? m->src.port : m->dst.port,
				     call ? dst : src,
				     call ? m->dst.port : m->src.port,
				     "data", 0, m->ts_ns);
			if (!e)
				return -1;
			e->stream = (int64_t)stream;
			e->protocol = m->proto->label;
			hold = e;
		}
		id = e->id;
		stream_mark(c, stream);
	}
	if (c->cache[slot].id && !flush_counts(c, slot))
		return -1;
	c->cache[slot].stream = stream;
	c->cache[slot].id = id;
	c->cache[slot].cred_pid = 0;
	if (hold) {
		/* Its row is the cache's now, written when it leaves. */
		struct held_row *h = &c->cache[slot].row;
		memset(h, 0, offsetof(struct held_row, host));
		memcpy(h->client, hold->client, sizeof h->client);
		memcpy(h->server, hold->server, sizeof h->server);
		h->client_port = hold->client_port;
		h->server_port = hold->server_port;
		memcpy(h->state, hold->state, sizeof h->state);
		h->syn_count = hold->syn_count;
		h->first_ts = hold->first_ts;
		h->last_ts = hold->last_ts;
		h->stream = hold->stream;
		h->protocol = hold->protocol;
		c->cache[slot].held = true;
		hold->in_db = true;
	}
	return id;
}

/* What the message's protocol says about the process behind its
 * connection (GlusterFS: SETVOLUME's process-uuid and process-name). */
static bool note_process(struct capture_ingest *c, const struct message *m,
			 int64_t conv)
{
	struct process_hint hint;
	if (!m->proto || !m->proto->connection_process ||
	    !m->proto->connection_process(m, &hint))
		return true;
	const char *text = hint.id, *host = hint.host;
	size_t n = hint.id_len, host_len = hint.host_len;
	int64_t p = hint.pid;
	size_t slot = m->conversation % STREAM_CACHE;
	struct held_row *h = c->cache[slot].held && c->cache[slot].id == conv ?
			     &c->cache[slot].row : NULL;
	if (h && host_len < sizeof h->host && n < sizeof h->uuid &&
	    (!hint.name || hint.name_len < sizeof h->name)) {
		/* What the UPDATE would do. */
		h->have_host = host != NULL;
		h->host_len = (uint16_t)host_len;
		if (host)
			memcpy(h->host, host, host_len);
		h->client_pid = p;
		if (hint.name) {
			h->have_name = true;
			h->name_len = (uint16_t)hint.name_len;
			memcpy(h->name, hint.name, hint.name_len);
		}
		h->have_uuid = true;
		h->uuid_len = (uint16_t)n;
		memcpy(h->uuid, text, n);
		h->pid_method = hint.method;
		return true;
	}
	if (h && !write_held(c, slot))
		return false;	/* too long to hold: written, then updated */
	struct pending_row *r = slot_new(c, ST_CONV_PROCESS);
	if (!r)
		return false;
	bool ok = true;
	row_int(r, 1, conv);
	if (host)
		ok &= row_text(r, 2, host, host_len);
	row_int(r, 3, p);
	if (hint.name)
		ok &= row_text(r, 4, hint.name, hint.name_len);
	ok &= row_text(r, 5, text, n);
	if (!ok) {
		fprintf(stderr, "tapline correlate: out of memory\n");
		return false;
	}
	return slot_push(c, r);
}

/* ---- the fields a row copies out, found in one pass over the message
 * (what msg_find() would give: the first of each name). */
enum { KEY_GFID, KEY_PARGFID, KEY_PATH, KEY_BNAME, KEY_AUTH_PID,
       KEY_DATA_LENGTH, KEYS };

static const char *const key_names[KEYS] = {
	[KEY_GFID] = "glusterfs.gfid", [KEY_PARGFID] = "glusterfs.pargfid",
	[KEY_PATH] = "glusterfs.path", [KEY_BNAME] = "glusterfs.bname",
	[KEY_AUTH_PID] = "rpc.auth.pid",
	[KEY_DATA_LENGTH] = "glusterfs.data_length",
};

static void find_keys(const struct message *m, const struct field *found[KEYS])
{
	static const struct field_def *defs[KEYS];
	if (!defs[0])
		for (int k = 0; k < KEYS; k++)
			defs[k] = field_find(key_names[k]);
	for (int k = 0; k < KEYS; k++)
		found[k] = NULL;
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field_def *def = m->fields[i].def;
		for (int k = 0; k < KEYS; k++)
			if (def == defs[k] && !found[k])
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
	c->cache[slot].cred_pid = first ? pid : -1;
	if (c->cache[slot].held) {
		/* What the UPDATE would do. */
		struct held_row *h = &c->cache[slot].row;
		if (first && !h->client_pid) {
			h->client_pid = pid;
			h->pid_method = "credential";
		} else if (!first && h->pid_method &&
			   !strcmp(h->pid_method, "credential")) {
			h->client_pid = 0;
			h->pid_method = NULL;
		}
		return true;
	}
	struct pending_row *r = slot_new(c, first ? ST_CONV_CREDENTIAL :
					 ST_CONV_CRED_CONFLICT);
	if (!r)
		return false;
	row_int(r, 1, conv);
	if (first)
		row_int(r, 2, pid);
	return slot_push(c, r);
}

/* ---- the row of a message */

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

/* How much of an ONC-RPC record the timeline keeps: all of it but the
 * data a WRITE call or a READ reply carries, the record's last
 * glusterfs.data_length bytes.  No field shows those bytes, and the
 * GlusterFS decoder counts them from the record's length, which the
 * row keeps: the body renders the same from the head alone, and a bulk
 * capture's timeline is a fraction of it. */
static size_t stored_record_length(const struct message *m,
				   const struct field *data_length)
{
	size_t kept = m->pdu_len;
	if (!data_length || data_length->kind != FIELD_UINT ||
	    data_length->v.u > m->length)
		return kept;
	uint64_t head = m->length - data_length->v.u;
	return head < kept ? (size_t)head : kept;
}

static bool row_endpoint(struct pending_row *r, int col,
			 const struct endpoint *e)
{
	char buf[ENDPOINT_TEXT_SIZE];
	return row_text(r, col, buf, endpoint_text(buf, e));
}

/* A response's request: the request of that exchange id that completed
 * in the frame the decoder matched it to, on the same connection, the
 * latest if several.
 * The ring still holds the latest rows (stepped or not): looked at
 * first, newest first; SQL knows the older ones.  Returns its id (0
 * none, -1 error); *row its row when it is in the ring, *held whether
 * that row is still the decoding side's (not handed to the writer). */
static int64_t call_of_reply(struct capture_ingest *c, const struct message *m,
			     int64_t conv, struct pending_row **row,
			     bool *held)
{
	*row = NULL;
	*held = false;
	uint64_t oldest = c->tail > RING_ROWS ? c->tail - RING_ROWS : 0;
	for (uint64_t k = c->tail; k-- > oldest;) {
		struct pending_row *r = &c->ring[k % RING_ROWS];
		if (r->stmt == ST_MESSAGE_INSERT && r->call &&
		    r->col[COL_FRAME].i == (int64_t)m->exchange.request_frame &&
		    r->col[COL_EXCHANGE_ID].type == SQLITE_INTEGER &&
		    r->col[COL_EXCHANGE_ID].i == (int64_t)m->exchange.id &&
		    r->col[COL_CONVERSATION].i == conv) {
			*row = r;
			*held = k >= c->ready;
			return r->col[COL_ID].i;
		}
	}
	if (!writer_sync(c))
		return -1;
	sqlite3_stmt *q = db_stmt(c->db, ST_CALL_OF_REPLY);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, c->sum->id);
	sqlite3_bind_int64(q, 2, (int64_t)m->exchange.request_frame);
	sqlite3_bind_int64(q, 3, (int64_t)m->exchange.id);
	sqlite3_bind_int64(q, 4, conv);
	int64_t call = 0;
	int rc = db_row(c->db, q);
	if (rc == 1)
		call = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return rc < 0 ? -1 : call;
}

static const char *kind_text(uint8_t kind)
{
	switch (kind) {
	case EXCHANGE_REQUEST: return "request";
	case EXCHANGE_RESPONSE: return "response";
	case EXCHANGE_EVENT: return "event";
	default: return NULL;
	}
}

/* Room for `need` bytes in *buf (of *cap); false when memory ran out. */
static bool buffer_room(void *buf, size_t *cap, size_t need)
{
	char **b = buf;
	if (need <= *cap)
		return true;
	char *grown = realloc(*b, need);
	if (!grown)
		return false;
	*b = grown;
	*cap = need;
	return true;
}

/* A new dictionary for the records, when one is due: stored (a row
 * before the message that first uses it), then used.  False when the
 * writer failed or memory ran out. */
static bool renew_dictionary(struct capture_ingest *c)
{
	size_t len;
	const uint8_t *bytes = wire_packer_renew(c->packer, &len);
	if (!bytes)
		return true;
	struct pending_row *r = slot_new(c, ST_WIRE_DICTIONARY_INSERT);
	if (!r || !buffer_room(&r->body, &r->body_cap, len))
		return false;
	memcpy(r->body, bytes, len);
	r->body_len = len;
	r->ncols = 3;
	row_int(r, 1, c->next_dictionary);
	row_int(r, 2, c->sum->id);
	r->col[3].type = COL_IN_BODY_BLOB;
	if (!slot_push(c, r))
		return false;
	c->dictionary = c->next_dictionary++;
	return true;
}

/* The wire column of an ONC-RPC message: its record (its head only, for
 * one that carries data), packed against the dictionary when that makes
 * it smaller.  False when memory ran out. */
static bool row_wire(struct capture_ingest *c, struct pending_row *r,
		     const struct message *m, size_t kept)
{
	size_t need = BODIES_WIRE_HEAD + kept;
	if (!buffer_room(&c->record, &c->record_cap, need) ||
	    !buffer_room(&r->body, &r->body_cap, need))
		return false;
	size_t raw = bodies_wire_encode((uint8_t *)c->record, m->conversation,
					m->pdu, kept);
	bool packed;
	r->body_len = wire_packer_pack(c->packer, (uint8_t *)r->body,
				       (const uint8_t *)c->record, raw, &packed);
	r->col[COL_WIRE].type = COL_IN_BODY_BLOB;
	if (packed)
		row_int(r, COL_WIRE_DICTIONARY, c->dictionary);
	return true;
}

/* The message's row, queued (its body rendered straight into the row);
 * `rpc`: an ONC-RPC message (it has rpc.xid), whose reply and accept
 * states are stored as version 1 stored them.  1 done, 0 out of memory,
 * -1 the writer failed. */
static int queue_row(struct capture_ingest *c, const struct message *m,
		     const struct field *const keys[KEYS], int64_t conv,
		     int64_t call, bool rpc)
{
	if (rpc && m->pdu && !renew_dictionary(c))
		return ingest_failed(c) ? -1 : 0;
	struct pending_row *r = slot_new(c, ST_MESSAGE_INSERT);
	if (!r)
		return -1;
	const struct exchange *ex = &m->exchange;
	bool reply = ex->kind == EXCHANGE_RESPONSE;
	/* the operation is known (an RPC reply's program only from its
	 * call) */
	bool known = ex->has_op_code || ex->service;
	struct field f;
	bool ok = true;
	char verdict[96];
	r->ncols = MESSAGE_COLS;
	r->call = ex->kind == EXCHANGE_REQUEST;
	r->waiting = r->call;
	row_int(r, COL_ID, c->next_id);
	row_int(r, COL_INPUT, c->sum->id);
	row_int(r, COL_FRAME, (int64_t)m->frame);
	row_int(r, COL_FIRST_FRAME, (int64_t)m->first_frame);
	row_int(r, COL_TS, m->ts_ns);
	row_int(r, COL_CONVERSATION, conv);
	ok &= row_endpoint(r, COL_SRC, &m->src);
	ok &= row_endpoint(r, COL_DST, &m->dst);
	row_int(r, COL_LENGTH, m->length);
	if (ex->has_id)
		row_int(r, COL_EXCHANGE_ID, (int64_t)ex->id);
	ok &= row_cstr(r, COL_KIND, kind_text(ex->kind));
	ok &= row_cstr(r, COL_PROTOCOL, m->proto->name);
	if (known) {
		row_int(r, COL_SERVICE_CODE, ex->service_code);
		ok &= row_cstr(r, COL_SERVICE, ex->service);
		row_int(r, COL_SERVICE_VERSION, ex->service_version);
		if (ex->has_op_code)
			row_int(r, COL_OP_CODE, ex->op_code);
		ok &= row_cstr(r, COL_OP, ex->op);
	}
	if (ex->status == STATUS_OK) {
		ok &= row_cstr(r, COL_STATUS, "ok");
	} else if (ex->status == STATUS_FAILED) {
		ok &= row_cstr(r, COL_STATUS, "failed");
		row_int(r, COL_STATUS_CODE, ex->status_code);
		ok &= row_cstr(r, COL_STATUS_NAME, ex->status_name);
	}
	if (reply) {
		if (rpc) {
			/* the states as the columns have always held them:
			 * 0 when the reply does not have one */
			row_int(r, COL_REPLY_STATE,
				field_ref_first(m, &c->replystat, &f) ?
				(int64_t)f.v.u : 0);
			row_int(r, COL_ACCEPT_STATE,
				field_ref_first(m, &c->accept, &f) ?
				(int64_t)f.v.u : 0);
		}
		if (ex->request_frame)
			row_int(r, COL_REQUEST_FRAME,
				(int64_t)ex->request_frame);
		if (ex->latency_ns >= 0)
			row_int(r, COL_LATENCY, ex->latency_ns);
	}
	if (field_ref_first(m, &c->op_ret, &f)) {
		struct field e;
		int64_t op_errno = field_ref_first(m, &c->op_errno, &e) ?
				   e.v.i : 0;
		row_int(r, COL_OP_RET, f.v.i);
		row_int(r, COL_OP_ERRNO, op_errno);
		const char *en = errno_name(op_errno);
		if (en && op_errno)
			ok &= row_cstr(r, COL_ERRNO_NAME, en);
	}
	ok &= row_gfid(r, COL_GFID, m, keys[KEY_GFID]);
	ok &= row_gfid(r, COL_PARGFID, m, keys[KEY_PARGFID]);
	ok &= row_str_field(r, COL_PATH, m, keys[KEY_PATH]);
	ok &= row_str_field(r, COL_BNAME, m, keys[KEY_BNAME]);
	if (m->verdict) {
		msg_verdict_text(verdict, sizeof verdict, m->verdict);
		ok &= row_cstr(r, COL_VERDICT, verdict);
		ok &= row_cstr(r, COL_WHY, m->why);
	}
	ok &= row_text(r, COL_INFO, m->info, m->info_len);
	if (rpc && m->pdu) {
		/* The body: the record itself, rendered when asked
		 * (bodies.h) -- fewer bytes than its JSON, and no
		 * rendering here. */
		if (!row_wire(c, r, m, stored_record_length(m,
						keys[KEY_DATA_LENGTH])))
			return 0;
	} else {
		/* The body: the decoder's JSON, as tapline decode -T json
		 * prints (0: out of memory). */
		size_t body_len = output_json_render(m, &r->body,
						     &r->body_cap);
		if (body_len > 0 && r->body[body_len - 1] == '\n')
			body_len--;
		if (body_len == 0 || body_len > UINT32_MAX / 2)
			ok = false;
		r->body_len = body_len;
		r->col[COL_BODY].type = COL_IN_BODY;
	}
	if (call)
		row_int(r, COL_REQUEST, call);
	if (!ok)
		return 0;
	if (!slot_push(c, r))
		return -1;
	c->next_id++;
	return 1;
}

/* Every message of every protocol is a row; requests wait (a little) for
 * their response, matched by the decoder (request_frame). */
static void on_message(void *user, const struct message *m)
{
	struct capture_ingest *c = user;
	if (ingest_failed(c))
		return;
	uint8_t kind = m->exchange.kind;
	if (m->proto == c->tcp_protocol && kind == EXCHANGE_EVENT) {
		connection_event(c, m);
		return;
	}
	struct field xid;
	bool rpc = field_ref_first(m, &c->xid, &xid);
	const struct field *keys[KEYS];
	find_keys(m, keys);
	int64_t conv = conversation_of(c, m);
	if (conv < 0) {
		c->failed = true;
		return;
	}
	if (kind == EXCHANGE_REQUEST &&
	    (!note_process(c, m, conv) ||
	     !note_credential(c, m, keys[KEY_AUTH_PID], conv))) {
		c->failed = true;
		return;
	}

	bool reply = kind == EXCHANGE_RESPONSE;
	int64_t call = 0;
	struct pending_row *call_row = NULL;
	bool call_held = false;
	if (reply && m->exchange.has_id && m->exchange.request_frame) {
		call = call_of_reply(c, m, conv, &call_row, &call_held);
		if (call < 0) {
			c->failed = true;
			return;
		}
	}
	int64_t id = c->next_id;
	bool set_reply = call && !call_held;
	if (call_held) {
		/* The first response is the request's response; set before
		 * the response's row is queued, which may hand the request
		 * on. */
		if (call_row->col[COL_RESPONSE].type == SQLITE_NULL)
			row_int(call_row, COL_RESPONSE, id);
		call_row->waiting = false;
	} else if (call_row &&
		   call_row->col[COL_RESPONSE].type != SQLITE_NULL) {
		set_reply = false;	/* its row has its response already */
	}
	int rc = queue_row(c, m, keys, conv, call, rpc);
	if (rc <= 0) {
		if (rc == 0)
			fprintf(stderr, "tapline correlate: out of memory\n");
		c->failed = true;
		return;
	}
	count_message(c, m);
	c->sum->messages++;
	if (m->verdict & (MSG_MALFORMED | MSG_TRUNCATED))
		c->sum->malformed++;
	if (set_reply) {
		/* A response whose request was handed on already (it waited
		 * too long). */
		struct pending_row *r = slot_new(c, ST_SET_REPLY);
		if (!r) {
			c->failed = true;
			return;
		}
		row_int(r, 1, call);
		row_int(r, 2, id);
		if (!slot_push(c, r)) {
			c->failed = true;
			return;
		}
	}
	release(c, false);
}

/* After the last message: each connection and its message counts and
 * times, then every row stepped. */
static bool finish(struct capture_ingest *c)
{
	for (size_t i = 0; i < CONN_MEMO; i++)
		if (!memo_write(c, &c->memo[i]))
			return false;
	for (size_t slot = 0; slot < STREAM_CACHE; slot++)
		if (c->cache[slot].id && !flush_counts(c, slot))
			return false;
	return writer_stop(c, false);
}

static void free_ingest(struct capture_ingest *c)
{
	if (c->threaded)
		writer_stop(c, true);
	if (c->making)	/* a row was being made when the ingest failed */
		slot_return(c, &c->ring[c->tail % RING_ROWS]);
	free(c->scratch_text);
	free(c->scratch_body);
	free(c->record);
	wire_packer_free(c->packer);
	free(c->arena);
	free(c->streams);
	free(c);
}

size_t ingest_capture_fixed_bytes(void)
{
	return sizeof(struct capture_ingest) + wire_packer_bytes();
}

/* The decoder's share of the plan.  (Its tables: flows of about 0.5 KiB
 * and per-connection protocol state of about 1.5 KiB each, and the
 * bytes buffered in all flows.) */
static void decoder_share(struct decoder_options *o, size_t bytes)
{
	/* the decoder's own budget holds all of its tables to the share */
	o->max_memory = bytes;
	o->max_total_buffer = bytes / 2;
	if (o->max_flow_buffer > bytes / 8)
		o->max_flow_buffer = bytes / 8;
	if (o->max_record > bytes / 8)
		o->max_record = bytes / 8;
	o->max_flows = bytes / 2 / 2048;
}

/* *id from one of the NEXT_ID statements; false on an error. */
static bool next_id_of(struct db *db, enum db_stmt stmt, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, stmt);
	int rc = st ? db_row(db, st) : -1;
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return rc == 1;
}

bool ingest_capture(struct db *db, struct input_summary *sum,
		    struct progress *prog, const struct memory_plan *mem)
{
	struct capture_ingest *c = calloc(1, sizeof *c);
	if (!c) {
		fprintf(stderr, "tapline correlate: out of memory\n");
		return false;
	}
	c->db = db;
	c->sum = sum;
#ifdef ROWS_BYTES
	c->arena_size = ROWS_BYTES;
#else
	c->arena_size = mem->rows;
#endif
	c->arena = malloc(c->arena_size);
	c->packer = wire_packer_new();
	c->stream_words_max = mem->stream_bitmap / sizeof *c->streams;
	if (!c->arena || !c->packer) {
		wire_packer_free(c->packer);
		free(c->arena);
		fprintf(stderr, "tapline correlate: out of memory\n");
		free(c);
		return false;
	}
	field_ref_init(&c->xid, "rpc.xid");
	field_ref_init(&c->replystat, "rpc.replystat");
	field_ref_init(&c->accept, "rpc.state_accept");
	field_ref_init(&c->op_ret, "gluster.op_ret");
	field_ref_init(&c->op_errno, "gluster.op_errno");
	atomic_init(&c->w_failed, false);
	/* The ids SQLite would give: one more than the largest.  The
	 * message INSERT is prepared here, before the writer uses it
	 * without db_stmt(). */
	if (!next_id_of(db, ST_MESSAGE_NEXT_ID, &c->next_id) ||
	    !next_id_of(db, ST_CONV_NEXT_ID, &c->next_conv_id) ||
	    !next_id_of(db, ST_WIRE_DICTIONARY_NEXT_ID, &c->next_dictionary) ||
	    !db_stmt(db, ST_MESSAGE_INSERT)) {
		free_ingest(c);
		return false;
	}
	snprintf(sum->clock, sizeof sum->clock, "realtime");
	sum->have_offset = true;
	sum->clock_offset_ns = 0;

	char err[512];
	const char *paths[1] = { sum->path };
	struct capture *cap = capture_open(paths, 1, err, sizeof err);
	if (!cap) {
		snprintf(sum->error, sizeof sum->error, "%s", err);
		sum->unreadable = true;
		free_ingest(c);
		return true;
	}
	struct decoder_options opts;
	registry_decoder_options(&opts);
	decoder_share(&opts, mem->decoder);
	opts.events = EVENT_HANDSHAKE | EVENT_REFUSED | EVENT_UNREACHABLE;
	c->tcp_protocol = opts.tcp_protocol;
	struct decoder *d = decoder_new(&opts, on_message, c);
	if (!d) {
		fprintf(stderr, "tapline correlate: out of memory\n");
		capture_close(cap);
		free_ingest(c);
		return false;
	}
	/* Without a second thread the rows are stepped as they are handed
	 * on: slower, the same rows. */
	writer_start(c);
	struct capture_frame f;
	int rc;
	uint64_t bytes = 0;
	while (!ingest_failed(c) && (rc = capture_next(cap, &f)) == 1) {
		sum->frames++;
		bytes += f.caplen + 16;	/* pcap's record header */
		input_note_time(sum, f.ts_ns);
		decoder_frame(d, &f);
		if ((sum->frames & 4095) == 0)
			progress_update(prog, bytes < sum->size ? bytes :
					sum->size, sum->frames, "frames");
	}
	if (!ingest_failed(c) && rc < 0)
		snprintf(sum->error, sizeof sum->error, "%s",
			 capture_error(cap));
	if (!ingest_failed(c))
		decoder_finish(d);
	sum->connections_given_up = decoder_stats(d)->flows_evicted;
	sum->buffers_given_up = decoder_stats(d)->buffer_drops;
	progress_end(prog);
	decoder_free(d);
	capture_close(cap);
	bool ok = !ingest_failed(c) && finish(c);
	free_ingest(c);
	return ok;
}
