/* bodies.c - message bodies rendered on demand from the records the
 * timeline keeps (bodies.h), and the SQL functions that do it. */
#include <arpa/inet.h>
#include <limits.h>
#include <lz4.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bodies.h"
#include "base/budget.h"
#include "base/message.h"
#include "base/waiting.h"
#include "present/output.h"
#include "proto/oncrpc/rpc.h"
#include "proto/registry.h"

struct body_renderer {
	struct memory_budget budget;
	struct waiting_set *calls;
	struct message msg;
	char *json;
	size_t json_cap;
	/* the records of a packed row and of its request, unpacked */
	struct unpacked {
		uint8_t *bytes;
		size_t cap;
	} unpacked[2];
};

struct body_renderer *body_renderer_new(void)
{
	struct body_renderer *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	/* One call waits at a time: a little room is plenty. */
	budget_init(&r->budget, 1u << 20, NULL);
	r->calls = waiting_set_new(&r->budget, NULL, NULL);
	if (!r->calls) {
		free(r);
		return NULL;
	}
	return r;
}

void body_renderer_free(struct body_renderer *r)
{
	if (!r)
		return;
	waiting_set_free(r->calls);
	free(r->json);
	free(r->unpacked[0].bytes);
	free(r->unpacked[1].bytes);
	free(r);
}

/* v as a varint at out (at most BODIES_WIRE_HEAD bytes); its length. */
static size_t varint_write(uint8_t *out, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		out[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (uint8_t)v;
	return n;
}

size_t bodies_wire_encode(uint8_t *out, uint64_t stream,
			  const uint8_t *rec, size_t kept)
{
	size_t n = varint_write(out, stream);
	if (kept)
		memcpy(out + n, rec, kept);
	return n + kept;
}

/* The varint at the start of bytes[0..len) in *value; the bytes it
 * takes, 0 when it is cut or too long. */
static size_t varint_read(const uint8_t *bytes, size_t len, uint64_t *value)
{
	uint64_t v = 0;
	for (size_t i = 0; i < len && i < BODIES_WIRE_HEAD; i++) {
		v |= (uint64_t)(bytes[i] & 0x7f) << (7 * i);
		if (!(bytes[i] & 0x80)) {
			*value = v;
			return i + 1;
		}
	}
	return 0;
}

/* The connection number the wire bytes begin with, and the record after
 * it; false when its varint is cut or too long. */
static bool wire_decode(const uint8_t *wire, size_t wire_len,
			uint64_t *stream, const uint8_t **rec, size_t *kept)
{
	size_t head = varint_read(wire, wire_len, stream);
	if (!head)
		return false;
	*rec = wire + head;
	*kept = wire_len - head;
	return true;
}

/* ---- packing */

struct wire_packer {
	/* The last WIRE_DICTIONARY_BYTES of records, a ring: `at` the next
	 * byte's place, `filled` how many it holds. */
	uint8_t history[WIRE_DICTIONARY_BYTES];
	size_t at, filled;
	/* The dictionary the records are packed against (dict_len 0:
	 * none yet), loaded into `loaded`; `work` is a copy of it for
	 * each record (LZ4 documents copying a loaded stream so). */
	uint8_t dict[WIRE_DICTIONARY_BYTES];
	size_t dict_len;
	LZ4_stream_t loaded, work;
	size_t rows;		/* packed against it so far */
};

struct wire_packer *wire_packer_new(void)
{
	struct wire_packer *p = calloc(1, sizeof *p);
	if (p)
		LZ4_initStream(&p->loaded, sizeof p->loaded);
	return p;
}

void wire_packer_free(struct wire_packer *p)
{
	free(p);
}

size_t wire_packer_bytes(void)
{
	return sizeof(struct wire_packer);
}

const uint8_t *wire_packer_renew(struct wire_packer *p, size_t *len)
{
	/* The first once the history is full: before, a capture has too
	 * few records to pay for one. */
	if (p->filled < WIRE_DICTIONARY_BYTES ||
	    (p->dict_len && p->rows < WIRE_DICTIONARY_ROWS))
		return NULL;
	/* oldest first: LZ4 finds the nearest matches cheapest */
	size_t tail = WIRE_DICTIONARY_BYTES - p->at;
	memcpy(p->dict, p->history + p->at, tail);
	memcpy(p->dict + tail, p->history, p->at);
	p->dict_len = WIRE_DICTIONARY_BYTES;
	LZ4_resetStream_fast(&p->loaded);
	LZ4_loadDict(&p->loaded, (const char *)p->dict, (int)p->dict_len);
	p->rows = 0;
	*len = p->dict_len;
	return p->dict;
}

/* raw's bytes into the history ring. */
static void history_add(struct wire_packer *p, const uint8_t *raw, size_t n)
{
	if (n > WIRE_DICTIONARY_BYTES) {
		raw += n - WIRE_DICTIONARY_BYTES;
		n = WIRE_DICTIONARY_BYTES;
	}
	size_t first = WIRE_DICTIONARY_BYTES - p->at;
	if (first > n)
		first = n;
	memcpy(p->history + p->at, raw, first);
	memcpy(p->history, raw + first, n - first);
	p->at = (p->at + n) % WIRE_DICTIONARY_BYTES;
	p->filled = p->filled + n > WIRE_DICTIONARY_BYTES ?
		    WIRE_DICTIONARY_BYTES : p->filled + n;
}

size_t wire_packer_pack(struct wire_packer *p, uint8_t *out,
			const uint8_t *raw, size_t raw_len, bool *packed)
{
	*packed = false;
	size_t n = 0;
	if (p->dict_len && raw_len <= WIRE_PACK_MAX) {
		n = varint_write(out, raw_len);
		/* Room for less than raw_len: LZ4 gives up (0) where
		 * packing would not make the record smaller. */
		memcpy(&p->work, &p->loaded, sizeof p->work);
		int got = raw_len > n + 1 ?
			  LZ4_compress_fast_continue(&p->work,
				(const char *)raw, (char *)out + n,
				(int)raw_len, (int)(raw_len - n - 1), 1) : 0;
		p->rows++;
		if (got > 0) {
			*packed = true;
			n += (size_t)got;
		}
	}
	if (!*packed) {
		memcpy(out, raw, raw_len);
		n = raw_len;
	}
	history_add(p, raw, raw_len);
	return n;
}

/* A packed row's bytes, unpacked into u: false when they are not what
 * wire_packer_pack() makes of a record against that dictionary. */
static bool wire_unpack(struct unpacked *u, const struct body_row *row,
			const uint8_t **raw, size_t *raw_len)
{
	uint64_t want;
	size_t head = varint_read(row->wire, row->wire_len, &want);
	if (!head || want > WIRE_PACK_MAX || row->wire_len - head > INT_MAX ||
	    row->dict_len > WIRE_DICTIONARY_BYTES)
		return false;
	if (want > u->cap) {
		uint8_t *grown = realloc(u->bytes, want);
		if (!grown)
			return false;
		u->bytes = grown;
		u->cap = want;
	}
	int got = LZ4_decompress_safe_usingDict(
		(const char *)row->wire + head, (char *)u->bytes,
		(int)(row->wire_len - head), (int)want,
		(const char *)row->dict, row->dict ? (int)row->dict_len : 0);
	if (got < 0 || (uint64_t)got != want)
		return false;
	*raw = u->bytes;
	*raw_len = want;
	return true;
}

/* 'a.b.c.d:port' or '[v6]:port' (as the columns hold them) into e;
 * false when it is neither. */
static bool endpoint_parse(const char *text, struct endpoint *e)
{
	char addr[INET6_ADDRSTRLEN + 2];
	const char *colon = text ? strrchr(text, ':') : NULL;
	if (!colon)
		return false;
	size_t n = (size_t)(colon - text);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return false;
	memset(e, 0, sizeof *e);
	e->port = (uint16_t)port;
	if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
		if (n - 2 >= sizeof addr)
			return false;
		memcpy(addr, text + 1, n - 2);
		addr[n - 2] = '\0';
		e->family = 6;
		return inet_pton(AF_INET6, addr, e->addr) == 1;
	}
	if (n >= sizeof addr)
		return false;
	memcpy(addr, text, n);
	addr[n] = '\0';
	e->family = 4;
	return inet_pton(AF_INET, addr, e->addr) == 1;
}

/* Whether the verdict list names `word`. */
static bool verdict_has(const char *verdict, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = verdict; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !memcmp(p, word, n))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

/* Decodes one stored record into m as the capture's decoder did:
 * the frame facts from the row, then the record, then the gap mark. */
static bool decode_row(struct body_renderer *r, struct rpc_conn *conn,
		       const struct body_row *row, uint8_t direction)
{
	struct message *m = &r->msg;
	uint64_t stream = 0;
	const uint8_t *rec = NULL;
	size_t kept = 0;
	if (!row->wire)
		return false;
	/* Bytes that do not unpack, or a head that is no varint: no record
	 * to decode, said so. */
	const uint8_t *wire = row->wire;
	size_t wire_len = row->wire_len;
	bool readable = !row->packed ||
			wire_unpack(&r->unpacked[direction], row, &wire,
				    &wire_len);
	readable = readable && wire_decode(wire, wire_len, &stream, &rec,
					   &kept);
	msg_reset(m);
	m->frame = row->frame > 0 ? (uint64_t)row->frame : 0;
	m->first_frame = row->first_frame > 0 ? (uint64_t)row->first_frame
					      : m->frame;
	m->ts_ns = row->ts_ns;
	if (!endpoint_parse(row->src, &m->src))
		memset(&m->src, 0, sizeof m->src);
	if (!endpoint_parse(row->dst, &m->dst))
		memset(&m->dst, 0, sizeof m->dst);
	m->conversation = stream;
	struct rpc_record_info info = {
		.direction = direction,
		.length = row->length > (int64_t)kept ? (size_t)row->length
						      : kept,
		.elided = verdict_has(row->verdict, "elided"),
		.truncated = verdict_has(row->verdict, "truncated"),
		.frame = m->frame,
		.ts_ns = m->ts_ns,
	};
	/* said first: the decoder's own reason would follow from it */
	if (!readable)
		msg_mark(m, MSG_MALFORMED, row->packed ?
			 "stored record that does not unpack" :
			 "stored record without its head");
	rpc_decode(conn, m, rec, kept, &info);
	if (verdict_has(row->verdict, "after-gap"))
		msg_mark(m, MSG_AFTER_GAP, NULL);
	return true;
}

/* The row's message, decoded (a response after its request, in the
 * other direction of one connection, so that it meets it); NULL when
 * the row has no record. */
static const struct message *body_decode(struct body_renderer *r,
					 const struct body_row *row,
					 const struct body_row *request)
{
	struct rpc_conn conn;
	rpc_conn_init(&conn, r->calls, 1);
	if (request && request->wire)
		decode_row(r, &conn, request, 0);
	bool ok = decode_row(r, &conn, row, 1);
	rpc_conn_free(&conn);
	waiting_set_reset(r->calls);
	return ok ? &r->msg : NULL;
}

size_t body_render(struct body_renderer *r, const struct body_row *row,
		   const struct body_row *request, const char **json)
{
	const struct message *m = body_decode(r, row, request);
	if (!m)
		return 0;
	size_t n = output_json_render(m, &r->json, &r->json_cap);
	if (n && r->json[n - 1] == '\n')
		n--;	/* as the body column held it */
	*json = r->json;
	return n;
}

/* ---- the SQL functions */

/* The statements are kept between calls (preparing one costs as much
 * as rendering a body) when the connection's owner finalizes them before
 * it closes the connection (timeline_release_functions()); a connection
 * of someone else's (sqlite3's .load) gets them prepared for each call,
 * since its sqlite3_close() would refuse to close with them alive. */
struct functions {
	struct body_renderer *renderer;
	sqlite3 *db;
	bool keep;
	sqlite3_stmt *row;	/* a message, its request, its JSON */
	sqlite3_stmt *json_field;
	sqlite3_stmt *dictionary;
	/* The dictionary read last for a message ([1]) and for its request
	 * ([0]), while the database's data version is `version`: rows that
	 * follow each other share theirs. */
	struct dictionary {
		int64_t id;	/* 0: empty */
		uint8_t bytes[WIRE_DICTIONARY_BYTES];
		size_t len;
		bool found;
	} dicts[2];
	int version;
	struct functions *next;	/* of the connections registered */
};

static struct functions *registered;
static pthread_mutex_t registered_lock = PTHREAD_MUTEX_INITIALIZER;

static void functions_free(void *p)
{
	struct functions *f = p;
	if (!f)
		return;
	pthread_mutex_lock(&registered_lock);
	for (struct functions **at = &registered; *at; at = &(*at)->next)
		if (*at == f) {
			*at = f->next;
			break;
		}
	pthread_mutex_unlock(&registered_lock);
	sqlite3_finalize(f->row);
	sqlite3_finalize(f->json_field);
	sqlite3_finalize(f->dictionary);
	body_renderer_free(f->renderer);
	free(f);
}

void timeline_release_functions(sqlite3 *db)
{
	pthread_mutex_lock(&registered_lock);
	for (struct functions *f = registered; f; f = f->next)
		if (f->db == db) {
			sqlite3_finalize(f->row);
			sqlite3_finalize(f->json_field);
			sqlite3_finalize(f->dictionary);
			f->row = f->json_field = f->dictionary = NULL;
		}
	pthread_mutex_unlock(&registered_lock);
}

/* After a call: the statement kept (reset) or finalized. */
static void stmt_done(struct functions *f, sqlite3_stmt **st)
{
	if (!*st)
		return;
	if (f->keep) {
		sqlite3_reset(*st);
	} else {
		sqlite3_finalize(*st);
		*st = NULL;
	}
}

/* The columns of the row statement: the JSON column and whether there
 * is a request, then ROW_COLS of the message's, then its request's. */
#define ROW_COLUMNS(t)							\
	t ".wire, " t ".frame, " t ".first_frame, " t ".ts_ns, " t ".src, "	\
	t ".dst, " t ".length, " t ".verdict, " t ".wire_dictionary"
enum { ROW_COLS = 9 };

/* The row's columns; *dictionary the wire_dictionary (0: none). */
static void row_from(sqlite3_stmt *st, int at, struct body_row *b,
		     int64_t *dictionary)
{
	memset(b, 0, sizeof *b);
	b->wire = sqlite3_column_blob(st, at);
	b->wire_len = (size_t)sqlite3_column_bytes(st, at);
	b->frame = sqlite3_column_int64(st, at + 1);
	b->first_frame = sqlite3_column_int64(st, at + 2);
	b->ts_ns = sqlite3_column_int64(st, at + 3);
	b->src = (const char *)sqlite3_column_text(st, at + 4);
	b->dst = (const char *)sqlite3_column_text(st, at + 5);
	b->length = sqlite3_column_int64(st, at + 6);
	b->verdict = (const char *)sqlite3_column_text(st, at + 7);
	b->packed = sqlite3_column_type(st, at + 8) != SQLITE_NULL;
	*dictionary = sqlite3_column_int64(st, at + 8);
}

static sqlite3_stmt *prepare(sqlite3_context *ctx, sqlite3_stmt **st,
			     const char *sql)
{
	struct functions *f = sqlite3_user_data(ctx);
	if (*st) {
		sqlite3_reset(*st);
		return *st;
	}
	if (sqlite3_prepare_v3(f->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK) {
		sqlite3_result_error(ctx, sqlite3_errmsg(f->db), -1);
		sqlite3_finalize(*st);
		*st = NULL;
		return NULL;
	}
	return *st;
}

/* The bytes of dictionary `id` into b, through the cache of the
 * message (which 1) or of its request (0): from it when it has them and
 * nothing was written since; false on an error (set on ctx).  A
 * dictionary that is not there, or longer than any packer makes, leaves
 * the row without one: its record then does not unpack, and says so. */
static bool dictionary_of(sqlite3_context *ctx, int64_t id,
			  struct body_row *b, int which)
{
	struct functions *f = sqlite3_user_data(ctx);
	int version = 0;
	if (sqlite3_file_control(f->db, "main", SQLITE_FCNTL_DATA_VERSION,
				 &version) != SQLITE_OK || version != f->version) {
		f->dicts[0].id = f->dicts[1].id = 0;
		f->version = version;
	}
	struct dictionary *d = &f->dicts[which];
	if (d->id != id) {
		sqlite3_stmt *st = prepare(ctx, &f->dictionary,
			"SELECT bytes FROM wire_dictionaries WHERE id = ?1");
		if (!st)
			return false;
		d->id = id;
		d->found = false;
		sqlite3_bind_int64(st, 1, id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			int n = sqlite3_column_bytes(st, 0);
			const void *bytes = sqlite3_column_blob(st, 0);
			if (n > 0 && n <= WIRE_DICTIONARY_BYTES && bytes) {
				memcpy(d->bytes, bytes, (size_t)n);
				d->len = (size_t)n;
				d->found = true;
			}
		} else if (rc != SQLITE_DONE) {
			sqlite3_result_error(ctx, sqlite3_errmsg(f->db), -1);
			d->id = 0;
			stmt_done(f, &f->dictionary);
			return false;
		}
		stmt_done(f, &f->dictionary);
	}
	if (d->found) {
		b->dict = d->bytes;
		b->dict_len = d->len;
	}
	return true;
}

/* Steps the row statement for message `id`: 1 a row (its JSON column,
 * the message's and its request's record in *row and *request), 0 none,
 * -1 an error (set on ctx). */
static int fetch_row(sqlite3_context *ctx, int64_t id, struct body_row *row,
		     struct body_row *request, bool *has_request)
{
	struct functions *f = sqlite3_user_data(ctx);
	static const char sql[] =
		"SELECT m.body, m.request IS NOT NULL, " ROW_COLUMNS("m") ", "
		ROW_COLUMNS("q") " FROM messages m"
		" LEFT JOIN messages q ON q.id = m.request WHERE m.id = ?1";
	sqlite3_stmt *st = prepare(ctx, &f->row, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		stmt_done(f, &f->row);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_result_error(ctx, sqlite3_errmsg(f->db), -1);
		stmt_done(f, &f->row);
		return -1;
	}
	int64_t dictionary, request_dictionary;
	row_from(st, 2, row, &dictionary);
	row_from(st, 2 + ROW_COLS, request, &request_dictionary);
	*has_request = sqlite3_column_int(st, 1);
	if ((row->packed && !dictionary_of(ctx, dictionary, row, 1)) ||
	    (*has_request && request->packed &&
	     !dictionary_of(ctx, request_dictionary, request, 0))) {
		stmt_done(f, &f->row);
		return -1;
	}
	return 1;
}

/* tapline_body(ID) */
static void fn_body(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct functions *f = sqlite3_user_data(ctx);
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	struct body_row row, request;
	bool has_request;
	int rc = fetch_row(ctx, sqlite3_value_int64(argv[0]), &row, &request,
			   &has_request);
	if (rc <= 0)
		return;
	sqlite3_stmt *st = f->row;
	if (sqlite3_column_type(st, 0) != SQLITE_NULL || !row.wire) {
		/* the JSON as stored (other protocols, older timelines) */
		sqlite3_result_value(ctx, sqlite3_column_value(st, 0));
		sqlite3_result_subtype(ctx, 0);
	} else {
		const char *json;
		size_t n = body_render(f->renderer, &row,
				       has_request ? &request : NULL, &json);
		if (n > INT_MAX)
			sqlite3_result_error_toobig(ctx);
		else if (n)
			sqlite3_result_text(ctx, json, (int)n,
					    SQLITE_TRANSIENT);
		else
			sqlite3_result_error_nomem(ctx);
	}
	stmt_done(f, &f->row);
}

/* A field's value as json_extract() gives the "value" of its JSON
 * object: numbers and booleans as integers, the rest as text. */
static void result_field(sqlite3_context *ctx, const struct message *m,
			 const struct field *fl)
{
	switch ((enum field_kind)fl->kind) {
	case FIELD_UINT: case FIELD_ENUM: case FIELD_BOOL:
		if (fl->v.u > INT64_MAX)
			sqlite3_result_double(ctx, (double)fl->v.u);
		else
			sqlite3_result_int64(ctx, (int64_t)fl->v.u);
		return;
	case FIELD_INT: case FIELD_ERRNO:
		sqlite3_result_int64(ctx, fl->v.i);
		return;
	case FIELD_TREE:
	case FIELD_TREE_END:
		return;	/* a subtree has no value */
	case FIELD_STR:
		sqlite3_result_text(ctx, (const char *)field_bytes(m, fl),
				    (int)fl->len, SQLITE_TRANSIENT);
		return;
	default: {
		static char text[2 * MSG_ARENA_SIZE + 8];
		size_t n = field_format(text, sizeof text, fl,
					field_bytes(m, fl));
		sqlite3_result_text(ctx, text, (int)n, SQLITE_TRANSIENT);
		return;
	}
	}
}

/* tapline_field(ID, NAME) */
static void fn_field(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct functions *f = sqlite3_user_data(ctx);
	(void)argc;
	const char *name = (const char *)sqlite3_value_text(argv[1]);
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !name)
		return;
	const struct field_def *def = field_find(name);
	if (!def) {
		char *msg = sqlite3_mprintf("tapline_field: no field named"
					    " '%s' (tapline decode -G fields"
					    " lists them)", name);
		sqlite3_result_error(ctx, msg ? msg : "no such field", -1);
		sqlite3_free(msg);
		return;
	}
	struct body_row row, request;
	bool has_request;
	if (fetch_row(ctx, sqlite3_value_int64(argv[0]), &row, &request,
		      &has_request) <= 0)
		return;
	sqlite3_stmt *st = f->row;
	if (sqlite3_column_type(st, 0) == SQLITE_NULL && row.wire) {
		const struct message *m = body_decode(f->renderer, &row,
						      has_request ? &request :
						      NULL);
		const struct field *fl = m ? msg_find(m, def) : NULL;
		if (fl)
			result_field(ctx, m, fl);
		stmt_done(f, &f->row);
		return;
	}
	/* Stored JSON: the first object of that name, as the queries of
	 * examples/queries.sql walk it. */
	sqlite3_stmt *js = prepare(ctx, &f->json_field,
		"SELECT json_extract(t.value, '$.value') FROM json_tree(?1) t"
		" WHERE t.type = 'object'"
		"  AND json_extract(t.value, '$.name') = ?2 LIMIT 1");
	if (js) {
		sqlite3_bind_value(js, 1, sqlite3_column_value(st, 0));
		sqlite3_bind_text(js, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(js) == SQLITE_ROW)
			sqlite3_result_value(ctx, sqlite3_column_value(js, 0));
		stmt_done(f, &f->json_field);
	}
	stmt_done(f, &f->row);
}

int timeline_register_functions(sqlite3 *db, bool keep_statements)
{
	struct functions *f = calloc(1, sizeof *f);
	if (!f)
		return SQLITE_NOMEM;
	f->db = db;
	f->keep = keep_statements;
	f->renderer = body_renderer_new();
	if (!f->renderer) {
		free(f);
		return SQLITE_NOMEM;
	}
	pthread_mutex_lock(&registered_lock);
	f->next = registered;
	registered = f;
	pthread_mutex_unlock(&registered_lock);
	/* One set of statements and one renderer for both functions: the
	 * first registration owns them (freed with it). */
	int rc = sqlite3_create_function_v2(db, "tapline_body", 1,
					    SQLITE_UTF8, f, fn_body, NULL,
					    NULL, functions_free);
	if (rc != SQLITE_OK)
		return rc;
	return sqlite3_create_function_v2(db, "tapline_field", 2,
					  SQLITE_UTF8, f, fn_field, NULL,
					  NULL, NULL);
}
