/* bodies.c - CQL envelopes into messages: every opcode's body (v1-v5),
 * the exchange (a request and its response by stream id), the prepared
 * statements of a connection, ScyllaDB's extensions.  Layouts:
 * docs/cql.md; notations: notation.h; cells: types.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/cql/cql.h"
#include "proto/cql/fields.h"
#include "proto/cql/notation.h"
#include "proto/cql/types.h"
#include "wire/stream.h"

extern const struct protocol cql_protocol;

/* Cells shown per message before the rest is only counted: a page of
 * thousands of rows would fill the field table (MSG_MAX_FIELDS). */
#define CELLS_MAX 1500
#define CELL_TEXT 8192

/* The body reader: past the kept bytes is TRUNCATED when the body was
 * elided, MALFORMED when the body was whole (its contents lie). */
struct body {
	struct cursor c;
	const struct cql_envelope *e;
	struct message *m;
	struct cql_conn *conn;
	unsigned version;
	struct cql_type_tree *types;	/* scratch for metadata */
};

static struct cql_type_tree scratch_types;	/* one message at a time */
static struct cql_type_tree prepared_types;

static const char *name_of(const struct value_name *names, uint64_t v)
{
	for (const struct value_name *n = names; n && n->name; n++)
		if (n->value == v)
			return n->name;
	return NULL;
}

/* ---- small writers ---- */

static void add_span_str(struct message *m, const struct field_def *def, struct cql_span s)
{
	if (s.ptr && s.len >= 0)
		msg_add_str(m, def, s.ptr, (size_t)s.len);
}

static void add_consistency(struct message *m, const struct field_def *def, uint16_t cl)
{
	msg_add_enum(m, def, cl, cql_consistency_name(cl));
}

static void info_span(struct message *m, struct cql_span s, size_t max)
{
	char text[256];
	if (!s.ptr || s.len < 0 || m->no_info)
		return;
	size_t n = (size_t)s.len < max ? (size_t)s.len : max;
	size_t len = cql_text(s.ptr, n, text, sizeof text);
	msg_info_put(m, text, len);
	if ((size_t)s.len > max)
		msg_info_str(m, "...");
}

/* ---- memory under the decoder's budget ---- */

static bool conn_charge(struct cql_conn *conn, size_t more)
{
	return budget_charge(conn->budget, more);
}

static void conn_refund(struct cql_conn *conn, size_t less)
{
	budget_release(conn->budget, less);
}

/* ---- waiting requests ----
 *
 * A request waits for its response in the decoder's table of waiting
 * requests (base/waiting.h: by stream id and direction, charged to the
 * decoder's budget, the oldest of all connections expiring first), its
 * opcode and version in the payload.  What does not fit there -- the
 * statement (up to CQL_QUERY_KEEP bytes) and an EXECUTE's prepared id --
 * waits in the connection's notes: one slot per stream id (the table
 * doubles up to CQL_NOTES_MAX while two waiting requests want one slot),
 * each naming its request by frame, so that a note whose request expired
 * or was replaced is never used, and its slot goes to the next one. */

enum { PAYLOAD_OPCODE, PAYLOAD_VERSION };

/* The request being decoded, or the one a response answers (one message
 * at a time): what the body readers fill and read. */
static struct cql_waiting current;
static char current_query[CQL_QUERY_KEEP];

/* A note's text buffer is kept for the next request up to this size. */
#define NOTE_TEXT_REUSE 256

static const char *waiting_query(const struct cql_waiting *w)
{
	return w->query;
}

/* The statement a request carries (raw bytes; text: already written by
 * cql_text), kept for its response and, for PREPARE, its prepared id. */
static void waiting_set_query(struct cql_waiting *w, const uint8_t *raw, size_t n,
			      const char *text)
{
	size_t len;
	if (text) {
		len = strnlen(text, sizeof current_query - 1);
		memcpy(current_query, text, len);
		current_query[len] = '\0';
	} else {
		len = cql_text(raw, n, current_query, sizeof current_query);
	}
	w->query = current_query;
	w->query_len = len;
}

static size_t note_text_cost(const struct cql_note *n)
{
	return n->text ? budget_alloc_size(n->text_cap) : 0;
}

static void note_free_text(struct cql_conn *conn, struct cql_note *n)
{
	conn_refund(conn, note_text_cost(n));
	free(n->text);
	n->text = NULL;
	n->text_cap = n->text_len = 0;
}

/* Its request still waits (it did not expire, nor was it replaced). */
static bool note_live(const struct cql_conn *conn, const struct cql_note *n)
{
	if (!n->frame)
		return false;
	const struct waiting_request *r = waiting_find(&conn->requests,
						       (uint64_t)(int64_t)n->stream,
						       n->direction);
	return r && r->frame == n->frame;
}

static struct cql_note *note_slot(const struct cql_conn *conn, int16_t stream)
{
	return &conn->notes[(uint16_t)stream & (conn->notes_cap - 1)];
}

/* Doubles the notes (the live ones move, the rest are dropped); false at
 * the bound or out of budget. */
static bool notes_grow(struct cql_conn *conn)
{
	unsigned cap = conn->notes_cap ? conn->notes_cap * 2 : CQL_NOTES_MIN;
	size_t old_cost = conn->notes_cap ? budget_alloc_size(conn->notes_cap * sizeof *conn->notes) : 0;
	size_t cost = budget_alloc_size(cap * sizeof *conn->notes);
	if (cap > CQL_NOTES_MAX || !conn_charge(conn, cost))
		return false;
	struct cql_note *old = conn->notes, *table = calloc(cap, sizeof *table);
	if (!table) {
		conn_refund(conn, cost);
		return false;
	}
	unsigned old_cap = conn->notes_cap;
	conn->notes = table;
	conn->notes_cap = cap;
	for (unsigned i = 0; i < old_cap; i++) {
		struct cql_note *n = &old[i];
		struct cql_note *to = note_slot(conn, n->stream);
		/* old is no longer conn->notes: note_live reads only the
		 * waiting table */
		if (note_live(conn, n) && !to->text && !to->frame)
			*to = *n;
		else if (n->text)
			note_free_text(conn, n);
	}
	free(old);
	conn_refund(conn, old_cost);
	return true;
}

/* What a request leaves for its response beyond the payload: its
 * statement and prepared id (nothing when it has neither). */
static void note_store(struct cql_conn *conn, const struct cql_waiting *w,
		       int16_t stream, uint8_t direction, uint64_t frame)
{
	if (!w->query_len && !w->id_len)
		return;
	if (!conn->notes_cap && !notes_grow(conn))
		return;
	/* A slot taken by another request that waits: more slots, or at
	 * the bound (or the budget's) the older request gives way. */
	struct cql_note *n = note_slot(conn, stream);
	while (n->frame && n->stream != stream && note_live(conn, n) && notes_grow(conn))
		n = note_slot(conn, stream);
	size_t want = w->query_len ? w->query_len + 1 : 0;
	if (want > n->text_cap) {
		note_free_text(conn, n);
		if (conn_charge(conn, budget_alloc_size(want))) {
			n->text = malloc(want);
			if (n->text)
				n->text_cap = (uint32_t)want;
			else
				conn_refund(conn, budget_alloc_size(want));
		}
	}
	n->frame = frame;
	n->stream = stream;
	n->direction = direction;
	n->id_len = w->id_len;
	memcpy(n->id, w->id, w->id_len);
	n->text_len = 0;
	if (n->text && want) {
		memcpy(n->text, w->query, want);
		n->text_len = (uint32_t)w->query_len;
	}
}

/* The note of the request r (taken from the table for stream), or NULL. */
static struct cql_note *note_find(struct cql_conn *conn, int16_t stream,
				  const struct waiting_request *r)
{
	if (!conn->notes_cap)
		return NULL;
	struct cql_note *n = note_slot(conn, stream);
	return n->frame == r->frame && n->stream == stream && n->direction == r->direction ?
	       n : NULL;
}

/* The response was decoded: the note is free again. */
static void note_done(struct cql_conn *conn, struct cql_note *n)
{
	if (!n)
		return;
	n->frame = 0;
	n->text_len = 0;
	if (n->text_cap > NOTE_TEXT_REUSE)
		note_free_text(conn, n);
}

/* ---- prepared statements ---- */

static struct cql_prepared *prepared_find(struct cql_conn *conn, struct cql_span id)
{
	if (!id.ptr || id.len <= 0 || id.len > 32)
		return NULL;
	for (unsigned i = 0; i < conn->nprepared; i++) {
		struct cql_prepared *p = &conn->prepared[i];
		if (p->id_len == (uint8_t)id.len && !memcmp(p->id, id.ptr, (size_t)id.len)) {
			p->last_use = ++conn->use_clock;
			return p;
		}
	}
	return NULL;
}

static size_t prepared_size(const struct cql_prepared *p)
{
	return (p->query ? strlen(p->query) + 1 : 0) + p->bind_len + p->result_len;
}

static void prepared_clear(struct cql_conn *conn, struct cql_prepared *p)
{
	size_t n = prepared_size(p);
	conn->prepared_bytes -= n;
	conn_refund(conn, n);
	free(p->query);
	free(p->bind);
	free(p->result);
	memset(p, 0, sizeof *p);
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	if (q && n)
		memcpy(q, p, n);
	return q;
}

/* An entry to fill: a free one, a new one (the array grows to
 * CQL_PREPARED_MAX), or the least recently used. */
static struct cql_prepared *prepared_slot(struct cql_conn *conn)
{
	if (conn->nprepared < conn->prepared_cap)
		return &conn->prepared[conn->nprepared++];
	unsigned cap = conn->prepared_cap ? conn->prepared_cap * 2 : 8;
	if (cap <= CQL_PREPARED_MAX &&
	    conn_charge(conn, (cap - conn->prepared_cap) * sizeof *conn->prepared)) {
		struct cql_prepared *a = realloc(conn->prepared, cap * sizeof *a);
		if (a) {
			memset(a + conn->prepared_cap, 0, (cap - conn->prepared_cap) * sizeof *a);
			conn->prepared = a;
			conn->prepared_cap = cap;
			return &conn->prepared[conn->nprepared++];
		}
		conn_refund(conn, (cap - conn->prepared_cap) * sizeof *conn->prepared);
	}
	struct cql_prepared *lru = NULL;
	for (unsigned i = 0; i < conn->nprepared; i++)
		if (!lru || conn->prepared[i].last_use < lru->last_use)
			lru = &conn->prepared[i];
	if (lru)
		prepared_clear(conn, lru);
	return lru;
}

/* Remembers id -> query and metadata (bounded in count and bytes, and by
 * the decoder's budget). */
static void prepared_remember(struct cql_conn *conn, struct cql_span id, const char *query,
			      const uint8_t *bind, size_t bind_len, uint32_t bind_flags,
			      uint32_t bind_count, const uint8_t *result, size_t result_len,
			      unsigned version)
{
	if (!id.ptr || id.len <= 0 || id.len > 32)
		return;
	size_t qlen = query ? strlen(query) : 0;
	if (bind_len > 16384)
		bind_len = 0;	/* too big to keep: values shown as bytes */
	if (result_len > 32768)
		result_len = 0;
	size_t bytes = (query ? qlen + 1 : 0) + bind_len + result_len;
	struct cql_prepared *p = prepared_find(conn, id);
	if (p)
		prepared_clear(conn, p);
	/* Room within the connection's bound: the least recently used go. */
	while (conn->prepared_bytes + bytes > CQL_PREPARED_BYTES && conn->nprepared) {
		struct cql_prepared *lru = NULL;
		for (unsigned i = 0; i < conn->nprepared; i++)
			if (conn->prepared[i].id_len && &conn->prepared[i] != p &&
			    (!lru || conn->prepared[i].last_use < lru->last_use))
				lru = &conn->prepared[i];
		if (!lru)
			break;
		prepared_clear(conn, lru);
	}
	if (!p)
		p = prepared_slot(conn);
	if (!p || conn->prepared_bytes + bytes > CQL_PREPARED_BYTES || !conn_charge(conn, bytes))
		return;
	p->id_len = (uint8_t)id.len;
	memcpy(p->id, id.ptr, (size_t)id.len);
	p->version = (uint8_t)version;
	p->query = query ? (char *)dup_bytes((const uint8_t *)query, qlen + 1) : NULL;
	p->bind = bind_len ? dup_bytes(bind, bind_len) : NULL;
	p->bind_len = p->bind ? (uint32_t)bind_len : 0;
	p->result = result_len ? dup_bytes(result, result_len) : NULL;
	p->result_len = p->result ? (uint32_t)result_len : 0;
	p->bind_flags = bind_flags;
	p->bind_count = bind_count;
	p->last_use = ++conn->use_clock;
	size_t got = prepared_size(p);
	conn->prepared_bytes += got;
	conn_refund(conn, bytes - got);	/* what a failed copy did not take */
}

uint32_t cql_conn_release(struct cql_conn *conn)
{
	for (unsigned i = 0; i < conn->nprepared; i++)
		prepared_clear(conn, &conn->prepared[i]);
	conn_refund(conn, conn->prepared_cap * sizeof *conn->prepared);
	free(conn->prepared);
	conn->prepared = NULL;
	conn->nprepared = conn->prepared_cap = 0;
	for (unsigned i = 0; i < conn->notes_cap; i++)
		note_free_text(conn, &conn->notes[i]);
	if (conn->notes_cap)
		conn_refund(conn, budget_alloc_size(conn->notes_cap * sizeof *conn->notes));
	free(conn->notes);
	conn->notes = NULL;
	conn->notes_cap = 0;
	return waiting_table_close(&conn->requests);
}

/* ---- metadata: column specs and types ---- */

struct columns {
	unsigned count;
	uint16_t roots[512];	/* type nodes; CQL_TYPE_NONE past 512 */
	bool typed;
};

/* Reads <flags><count>... of Rows metadata (or Prepared's, with
 * pk_indexes when prepared), emitting fields unless quiet. */
static uint32_t read_metadata(struct body *b, struct columns *cols, struct cql_type_tree *t,
			      bool prepared, bool quiet, struct cql_span *paging_out)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	uint32_t flags = (uint32_t)cql_int(c);
	int32_t count = cql_int(c);
	if (!quiet) {
		msg_add_hex(m, &hf_cql_result_rows_flags, flags);
		msg_add_uint(m, &hf_cql_result_rows_column_count, count < 0 ? 0 : (uint64_t)count);
	}
	cols->count = 0;
	cols->typed = false;
	if (!cursor_ok(c))
		return flags;
	if (count < 0) {
		cursor_malformed(c, "negative column count");
		return flags;
	}
	if (prepared && b->version >= 4) {
		int32_t pk = cql_int(c);
		if (pk < 0 || (uint64_t)pk * 2 > cursor_left(c)) {
			cursor_malformed(c, "partition key count beyond the body");
			return flags;
		}
		for (int32_t i = 0; i < pk && cursor_ok(c); i++) {
			uint16_t idx = cql_short(c);
			if (!quiet)
				msg_add_uint(m, &hf_cql_pk_index, idx);
		}
	}
	if (!prepared && (flags & 0x0002)) {
		struct cql_span ps = cql_bytes(c);
		if (paging_out)
			*paging_out = ps;
		if (!quiet && ps.ptr)
			msg_add_bytes(m, &hf_cql_paging_state, ps.ptr, (size_t)ps.len);
	}
	if (!prepared && (flags & 0x0008)) {
		struct cql_span id = cql_short_bytes(c);
		if (!quiet && id.ptr)
			msg_add_bytes(m, &hf_cql_new_metadata_id, id.ptr, (size_t)id.len);
	}
	cols->count = (unsigned)count;
	if (!prepared && (flags & 0x0004))
		return flags;	/* No_metadata */
	/* Each column spec takes at least its name's length and a type id. */
	if ((uint64_t)count * 4 > cursor_left(c)) {
		cursor_malformed(c, "column count beyond the body");
		return flags;
	}
	bool global = flags & 0x0001;
	if (global) {
		struct cql_span ks = cql_string(c), table = cql_string(c);
		if (!quiet) {
			add_span_str(m, &hf_cql_result_rows_keyspace_name, ks);
			add_span_str(m, &hf_cql_result_rows_table_name, table);
		}
	}
	cql_type_tree_reset(t);
	for (int32_t i = 0; i < count && cursor_ok(c); i++) {
		struct cql_span ks = { NULL, 0 }, table = { NULL, 0 };
		if (!global) {
			ks = cql_string(c);
			table = cql_string(c);
		}
		struct cql_span name = cql_string(c);
		const uint8_t *type_at = c->pos;
		uint16_t root = cql_type_parse(c, t);
		if ((unsigned)i < 512)
			cols->roots[i] = root;
		if (quiet || !cursor_ok(c))
			continue;
		char label[256];
		size_t n = cql_text(name.ptr ? name.ptr : (const uint8_t *)"", name.len > 0 ? (size_t)name.len : 0,
				    label, sizeof label);
		(void)n;
		msg_open(m, &hf_cql_result_rows_column, label);
		if (!global) {
			add_span_str(m, &hf_cql_result_rows_keyspace_name, ks);
			add_span_str(m, &hf_cql_result_rows_table_name, table);
		}
		add_span_str(m, &hf_cql_result_rows_column_name, name);
		uint16_t id = (uint16_t)(type_at[0] << 8 | type_at[1]);
		msg_add_enum(m, &hf_cql_data_type, id, name_of(cql_data_type_names, id));
		char tname[256];
		size_t tn = cql_type_name(t, root, tname, sizeof tname);
		msg_add_str(m, &hf_cql_column_type, tname, tn);
		msg_close(m);
	}
	cols->typed = cursor_ok(c) && !t->overflow;
	return flags;
}

/* The rows of a Rows result: cells by their columns' types. */
static void read_rows(struct body *b, const struct columns *cols, const struct cql_type_tree *t)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	int32_t nrows = cql_int(c);
	if (!cursor_ok(c))
		return;
	if (nrows < 0) {
		cursor_malformed(c, "negative row count");
		return;
	}
	msg_add_uint(m, &hf_cql_result_rows_row_count, (uint64_t)nrows);
	msg_info_str(m, " rows=");
	msg_info_uint(m, (uint64_t)nrows);
	if (!b->e->elided && cols->count && (uint64_t)nrows * cols->count * 4 > cursor_left(c)) {
		cursor_malformed(c, "more cells than bytes");
		return;
	}
	if (m->header_only || !cols->count) {
		return;
	}
	static char text[CELL_TEXT];
	uint64_t shown = 0, elided = 0;
	for (int32_t r = 0; r < nrows && cursor_ok(c); r++) {
		/* Room for this row's cells and its tree, and the fields
		 * that may follow. */
		bool show = shown < CELLS_MAX &&
			    m->nfields + m->skipped + cols->count + 2 + 16 <
				    MSG_MAX_FIELDS;
		if (show) {
			/* "row N" without printf: this runs for every row. */
			char label[16] = "row ", digits[12];
			size_t nd = 0, at = 4;
			for (uint32_t x = (uint32_t)r + 1; x; x /= 10)
				digits[nd++] = (char)('0' + x % 10);
			while (nd)
				label[at++] = digits[--nd];
			label[at] = '\0';
			msg_open(m, &hf_cql_row, label);
		}
		for (unsigned i = 0; i < cols->count && cursor_ok(c); i++) {
			struct cql_span v = cql_bytes(c);
			if (!cursor_ok(c))
				break;
			if (!show) {
				elided++;
				continue;
			}
			const char *why = NULL;
			size_t n;
			if (cols->typed && i < 512)
				n = cql_format_cell(t, cols->roots[i], v.ptr, v.len, b->version, text,
						    sizeof text, &why);
			else
				n = cql_format_bytes(v.ptr, v.len, text, sizeof text);
			msg_add_str(m, &hf_cql_cell, text, n);
			if (why)
				msg_mark(m, MSG_MALFORMED, why);
			shown++;
		}
		if (show)
			msg_close(m);
	}
	if (elided)
		msg_add_uint(m, &hf_cql_cells_elided, elided);
}

/* ---- query parameters (QUERY, EXECUTE) ---- */

/* Values bound by a request; with the prepared statement's bind metadata
 * they are shown by type. */
static void read_values(struct body *b, uint16_t n, bool named, const struct cql_prepared *p)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	struct columns cols = { 0 };
	struct cql_type_tree *t = &prepared_types;
	bool typed = false;
	if (p && p->bind) {
		/* Re-read the remembered bind metadata for its types. */
		struct body pb = { cursor_init(p->bind, p->bind_len), b->e, m, b->conn, p->version, t };
		read_metadata(&pb, &cols, t, true, true, NULL);
		typed = cols.typed && cursor_ok(&pb.c);
	}
	static char text[CELL_TEXT];
	msg_add_uint(m, &hf_cql_value_count, n);
	for (unsigned i = 0; i < n && cursor_ok(c); i++) {
		if (named)
			add_span_str(m, &hf_cql_value_name, cql_string(c));
		struct cql_span v = b->version >= 4 ? cql_value(c) : cql_bytes(c);
		if (!cursor_ok(c))
			break;
		size_t len;
		const char *why = NULL;
		if (v.len == -2)
			len = (size_t)snprintf(text, sizeof text, "unset");
		else if (typed && i < cols.count && i < 512 && !named)
			len = cql_format_cell(t, cols.roots[i], v.ptr, v.len, b->version, text, sizeof text, &why);
		else
			len = cql_format_bytes(v.ptr, v.len, text, sizeof text);
		msg_add_str(m, &hf_cql_value, text, len);
		if (why)
			msg_mark(m, MSG_MALFORMED, why);
	}
}

/* What QUERY, EXECUTE and BATCH parameters end with: [serial
 * consistency][timestamp (us)][keyspace][now_in_seconds] by their flags
 * (the last two from v5). */
static void read_parameters_tail(struct body *b, uint32_t flags)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	if (flags & 0x10)
		add_consistency(m, &hf_cql_serial_consistency, cql_short(c));
	if (flags & 0x20) {
		int64_t us = cql_long(c);
		int64_t sec = us / 1000000, rest = us % 1000000;
		if (rest < 0)
			rest += 1000000, sec--;
		if (cursor_ok(c))
			msg_add_time(m, &hf_cql_timestamp, sec, (uint32_t)rest * 1000);
	}
	if (b->version >= 5 && (flags & 0x80))
		add_span_str(m, &hf_cql_keyspace, cql_string(c));
	if (b->version >= 5 && (flags & 0x100))
		msg_add_int(m, &hf_cql_now_in_seconds, cql_int(c));
}

/* <consistency><flags>[values][page size][paging state][serial]
 * [timestamp][keyspace][now] (v2+; v5 flags are an [int]). */
static void read_query_parameters(struct body *b, struct cql_waiting *w, const struct cql_prepared *p)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	uint16_t cl = cql_short(c);
	uint32_t flags = b->version >= 5 ? (uint32_t)cql_int(c) : cql_byte(c);
	if (!cursor_ok(c))
		return;
	add_consistency(m, &hf_cql_consistency, cl);
	msg_add_hex(m, &hf_cql_query_flags, flags);
	msg_info_str(m, " consistency=");
	msg_info_str(m, cql_consistency_name(cl) ? cql_consistency_name(cl) : "?");
	if (flags & 0x01) {
		uint16_t n = cql_short(c);
		read_values(b, n, flags & 0x40, p);
	}
	if (flags & 0x04) {
		int32_t ps = cql_int(c);
		msg_add_int(m, &hf_cql_page_size, ps);
	}
	if (flags & 0x08) {
		struct cql_span s = cql_bytes(c);
		if (s.ptr)
			msg_add_bytes(m, &hf_cql_paging_state, s.ptr, (size_t)s.len);
	}
	read_parameters_tail(b, flags);
}

/* ---- requests ---- */

static void startup(struct body *b)
{
	struct cursor *c = &b->c;
	uint16_t n = cql_count(c);
	char text[512];
	for (unsigned i = 0; i < n && cursor_ok(c); i++) {
		struct cql_span k = cql_string(c), v = cql_string(c);
		if (!cursor_ok(c))
			break;
		size_t len = cql_text(k.ptr, (size_t)k.len, text, sizeof text / 2);
		text[len++] = '=';
		len += cql_text(v.ptr, (size_t)v.len, text + len, sizeof text - len);
		msg_add_str(b->m, &hf_cql_option, text, len);
		if (cql_span_is(k, "COMPRESSION")) {
			b->conn->compression = cql_compression_from_name(v.ptr, (size_t)v.len);
			b->conn->compression_from_startup = true;
			msg_info_str(b->m, " compression=");
			info_span(b->m, v, 16);
		}
	}
	b->conn->startup_waiting = true;
	b->conn->startup_stream = b->e->h.stream;
	b->conn->startup_version = b->e->h.version;
}

/* QUERY's and PREPARE's statement: the field, the summary's first 120
 * bytes, and kept for the response. */
static void statement(struct body *b, struct cql_waiting *w)
{
	struct cql_span q = cql_long_string(&b->c);
	add_span_str(b->m, &hf_cql_query, q);
	msg_info_str(b->m, " \"");
	info_span(b->m, q, 120);
	msg_info_str(b->m, "\"");
	if (w && q.ptr)
		waiting_set_query(w, q.ptr, (size_t)q.len, NULL);
}

static void query(struct body *b, struct cql_waiting *w)
{
	statement(b, w);
	if (b->version == 1)
		add_consistency(b->m, &hf_cql_consistency, cql_short(&b->c));
	else
		read_query_parameters(b, w, NULL);
}

static void prepare(struct body *b, struct cql_waiting *w)
{
	statement(b, w);
	if (b->version >= 5) {
		uint32_t flags = (uint32_t)cql_int(&b->c);
		if (flags & 0x01)
			add_span_str(b->m, &hf_cql_keyspace, cql_string(&b->c));
	}
}

static void execute(struct body *b, struct cql_waiting *w)
{
	struct cql_span id = cql_short_bytes(&b->c);
	if (id.ptr)
		msg_add_bytes(b->m, &hf_cql_query_id, id.ptr, (size_t)id.len);
	if (b->version >= 5) {
		struct cql_span rid = cql_short_bytes(&b->c);
		if (rid.ptr)
			msg_add_bytes(b->m, &hf_cql_result_metadata_id, rid.ptr, (size_t)rid.len);
	}
	struct cql_prepared *p = prepared_find(b->conn, id);
	if (w && id.ptr && id.len > 0 && id.len <= 32) {
		w->id_len = (uint8_t)id.len;
		memcpy(w->id, id.ptr, (size_t)id.len);
	}
	if (p && p->query) {
		msg_add_str(b->m, &hf_cql_query, p->query, strlen(p->query));
		msg_info_str(b->m, " \"");
		msg_info_strn(b->m, p->query, 120);
		if (strlen(p->query) > 120)
			msg_info_str(b->m, "...");
		msg_info_str(b->m, "\"");
		if (w)
			waiting_set_query(w, NULL, 0, p->query);
	} else {
		msg_info_str(b->m, " id=");
		for (int32_t i = 0; id.ptr && i < id.len && i < 8; i++)
			msg_info_hex(b->m, id.ptr[i] >> 4), msg_info_hex(b->m, id.ptr[i] & 15);
	}
	if (b->version == 1) {
		uint16_t n = cql_short(&b->c);
		read_values(b, n, false, p);
		add_consistency(b->m, &hf_cql_consistency, cql_short(&b->c));
	} else {
		read_query_parameters(b, w, p);
	}
}

static void batch(struct body *b, struct cql_waiting *w)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	uint8_t type = cql_byte(c);
	uint16_t n = cql_short(c);
	if (!cursor_ok(c))
		return;
	msg_add_enum(m, &hf_cql_batch_type, type, name_of(cql_batch_type_names, type));
	msg_add_uint(m, &hf_cql_batch_query_size, n);
	msg_info_str(m, " ");
	msg_info_str(m, name_of(cql_batch_type_names, type) ? name_of(cql_batch_type_names, type) : "?");
	msg_info_str(m, " statements=");
	msg_info_uint(m, n);
	for (unsigned i = 0; i < n && cursor_ok(c); i++) {
		msg_open(m, &hf_cql_batch_statement, "statement");
		uint8_t kind = cql_byte(c);
		const struct cql_prepared *p = NULL;
		if (kind == 0) {
			struct cql_span q = cql_long_string(c);
			add_span_str(m, &hf_cql_query, q);
			/* The answer is named by the first statement. */
			if (w && !waiting_query(w)[0] && q.ptr)
				waiting_set_query(w, q.ptr, (size_t)q.len, NULL);
		} else if (kind == 1) {
			struct cql_span id = cql_short_bytes(c);
			if (id.ptr)
				msg_add_bytes(m, &hf_cql_query_id, id.ptr, (size_t)id.len);
			p = prepared_find(b->conn, id);
			if (p && p->query) {
				msg_add_str(m, &hf_cql_query, p->query, strlen(p->query));
				if (w && !waiting_query(w)[0])
					waiting_set_query(w, NULL, 0, p->query);
			}
		} else if (cursor_ok(c)) {
			cursor_malformed(c, "BATCH statement kind neither 0 nor 1");
		}
		uint16_t nv = cql_short(c);
		if (cursor_ok(c))
			read_values(b, nv, false, p);
		msg_close(m);
	}
	add_consistency(m, &hf_cql_consistency, cql_short(c));
	if (b->version >= 3 && cursor_ok(c)) {
		uint32_t flags = b->version >= 5 ? (uint32_t)cql_int(c) : cql_byte(c);
		msg_add_hex(m, &hf_cql_query_flags, flags);
		read_parameters_tail(b, flags);
	}
}

static void string_list(struct body *b, const struct field_def *def)
{
	uint16_t n = cql_count(&b->c);
	for (unsigned i = 0; i < n && cursor_ok(&b->c); i++)
		add_span_str(b->m, def, cql_string(&b->c));
}

static void auth_token(struct body *b)
{
	struct cql_span t = cql_bytes(&b->c);
	if (cursor_ok(&b->c)) {
		msg_add_int(b->m, &hf_cql_auth_token_length, t.len);
		msg_info_str(b->m, " token_length=");
		msg_info_int(b->m, t.len);
	}
}

static void credentials(struct body *b)
{
	uint16_t n = cql_count(&b->c);
	for (unsigned i = 0; i < n && cursor_ok(&b->c); i++) {
		struct cql_span k = cql_string(&b->c), v = cql_string(&b->c);
		if (cql_span_is(k, "username"))
			add_span_str(b->m, &hf_cql_credentials_user, v);
		/* other keys (the password) are not shown */
	}
}

/* ---- responses ---- */

/* "KEY=v1,v2" for each option; ScyllaDB's keys named. */
static void supported(struct body *b)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	uint16_t n = cql_count(c);
	static char text[2048];
	for (unsigned i = 0; i < n && cursor_ok(c); i++) {
		struct cql_span k = cql_string(c);
		uint16_t nv = cql_count(c);
		size_t len = cql_text(k.ptr ? k.ptr : (const uint8_t *)"", k.len > 0 ? (size_t)k.len : 0, text, 256);
		text[len++] = '=';
		struct cql_span first = { NULL, 0 };
		for (unsigned j = 0; j < nv && cursor_ok(c); j++) {
			struct cql_span v = cql_string(c);
			if (!j)
				first = v;
			if (j && len < sizeof text - 2)
				text[len++] = ',';
			if (v.ptr && len < sizeof text - 1)
				len += cql_text(v.ptr, (size_t)v.len, text + len, sizeof text - len);
		}
		if (!cursor_ok(c))
			break;
		msg_add_str(m, &hf_cql_supported, text, len);
		bool scylla = k.len >= 6 && (!memcmp(k.ptr, "SCYLLA", 6) || cql_span_is(k, "TABLETS_ROUTING_V1"));
		if (scylla)
			add_span_str(m, &hf_cql_scylla_extension, k);
		char num[24];
		if (first.ptr && first.len > 0 && first.len < 20) {
			memcpy(num, first.ptr, (size_t)first.len);
			num[first.len] = '\0';
			if (cql_span_is(k, "SCYLLA_SHARD"))
				msg_add_uint(m, &hf_cql_scylla_shard, strtoull(num, NULL, 10));
			if (cql_span_is(k, "SCYLLA_NR_SHARDS"))
				msg_add_uint(m, &hf_cql_scylla_nr_shards, strtoull(num, NULL, 10));
		}
		if (cql_span_is(k, "SCYLLA_RATE_LIMIT_ERROR") && first.ptr && first.len > 11 &&
		    first.len < 40 && !memcmp(first.ptr, "ERROR_CODE=", 11)) {
			char code[32];
			memcpy(code, first.ptr + 11, (size_t)first.len - 11);
			code[first.len - 11] = '\0';
			b->conn->rate_limit_code = (int32_t)strtol(code, NULL, 10);
			b->conn->has_rate_limit_code = true;
			msg_add_int(m, &hf_cql_scylla_rate_limit_code, b->conn->rate_limit_code);
		}
	}
}

/* A schema change, in an EVENT or a RESULT: the change, then (v3+) its
 * target, the keyspace, the name and a function's argument types.  The
 * summary names what changed; an EVENT's also where. */
static void schema_change(struct body *b, bool where_in_summary)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	struct cql_span change = cql_string(c);
	add_span_str(m, &hf_cql_schema_change, change);
	msg_info_str(m, " ");
	info_span(m, change, 16);
	if (b->version <= 2) {
		add_span_str(m, &hf_cql_schema_keyspace, cql_string(c));
		struct cql_span table = cql_string(c);
		if (table.len > 0)
			add_span_str(m, &hf_cql_schema_name, table);
		return;
	}
	struct cql_span target = cql_string(c);
	add_span_str(m, &hf_cql_schema_target, target);
	msg_info_str(m, " ");
	info_span(m, target, 16);
	struct cql_span ks = cql_string(c);
	add_span_str(m, &hf_cql_schema_keyspace, ks);
	if (where_in_summary) {
		msg_info_str(m, " ");
		info_span(m, ks, 64);
	}
	if (cql_span_is(target, "KEYSPACE"))
		return;
	struct cql_span name = cql_string(c);
	add_span_str(m, &hf_cql_schema_name, name);
	if (where_in_summary) {
		msg_info_str(m, ".");
		info_span(m, name, 64);
	}
	if (cql_span_is(target, "FUNCTION") || cql_span_is(target, "AGGREGATE"))
		string_list(b, &hf_cql_schema_arg);
}

static void event(struct body *b)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	struct cql_span type = cql_string(c);
	add_span_str(m, &hf_cql_event_type, type);
	msg_info_str(m, " ");
	info_span(m, type, 32);
	if (cql_span_is(type, "SCHEMA_CHANGE")) {
		schema_change(b, true);
		return;
	}
	/* TOPOLOGY_CHANGE, STATUS_CHANGE: a change and a node. */
	struct cql_span change = cql_string(c);
	add_span_str(m, &hf_cql_event_change, change);
	struct cql_inet in;
	if (cql_inet(c, &in, true)) {
		char addr[64];
		size_t n = cql_inet_format(&in, addr, sizeof addr);
		msg_add_str(m, &hf_cql_event_address, addr, n);
		msg_info_str(m, " ");
		info_span(m, change, 16);
		msg_info_str(m, " ");
		msg_info_put(m, addr, n);
	}
}

static void prepared_result(struct body *b, struct cql_waiting *w)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	struct cql_span id = cql_short_bytes(c);
	if (id.ptr)
		msg_add_bytes(m, &hf_cql_query_id, id.ptr, (size_t)id.len);
	if (b->version >= 5) {
		struct cql_span rid = cql_short_bytes(c);
		if (rid.ptr)
			msg_add_bytes(m, &hf_cql_result_metadata_id, rid.ptr, (size_t)rid.len);
	}
	struct columns bind, result;
	const uint8_t *bind_at = c->pos;
	msg_open(m, &hf_cql_bind_metadata, "bind markers");
	uint32_t bind_flags = read_metadata(b, &bind, b->types, true, false, NULL);
	msg_close(m);
	const uint8_t *result_at = c->pos;
	uint32_t result_len = 0;
	if (b->version >= 2 && cursor_ok(c)) {
		static struct cql_type_tree result_types;
		msg_open(m, &hf_cql_result_metadata, "result columns");
		read_metadata(b, &result, &result_types, false, false, NULL);
		msg_close(m);
		result_len = (uint32_t)(c->pos - result_at);
	}
	if (cursor_ok(c) && !m->header_only)
		prepared_remember(b->conn, id, w && waiting_query(w)[0] ? waiting_query(w) : NULL, bind_at,
				  (size_t)(result_at - bind_at), bind_flags, bind.count,
				  result_len ? result_at : NULL, result_len, b->version);
}

static void rows_result(struct body *b, struct cql_waiting *w)
{
	struct columns cols;
	uint32_t flags = read_metadata(b, &cols, b->types, false, false, NULL);
	const struct cql_type_tree *t = b->types;
	const struct cql_prepared *p = NULL;
	if ((flags & 0x0004) && w && w->id_len)
		p = prepared_find(b->conn, (struct cql_span){ w->id, w->id_len });
	if (p) {
		/* No metadata: the types are those of the prepared result. */
		if (p->result) {
			static struct cql_type_tree pt;
			struct columns pc;
			struct body pb = { cursor_init(p->result, p->result_len), b->e, b->m, b->conn, p->version, &pt };
			read_metadata(&pb, &pc, &pt, false, true, NULL);
			if (pc.typed && pc.count == cols.count) {
				cols = pc;
				t = &pt;
			}
		}
	}
	msg_info_str(b->m, " columns=");
	msg_info_uint(b->m, cols.count);
	if (cursor_ok(&b->c))
		read_rows(b, &cols, t);
}

static void result_body(struct body *b, struct cql_waiting *w)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	int32_t kind = cql_int(c);
	if (!cursor_ok(c))
		return;
	const char *name = name_of(cql_result_kind_names, (uint32_t)kind);
	msg_add_enum(m, &hf_cql_result_kind, (uint32_t)kind, name);
	msg_info_str(m, " ");
	msg_info_str(m, name ? name : "kind?");
	if (m->header_only)
		return;
	switch (kind) {
	case 1:
		break;
	case 2:
		rows_result(b, w);
		break;
	case 3: {
		struct cql_span ks = cql_string(c);
		add_span_str(m, &hf_cql_keyspace, ks);
		msg_info_str(m, " ");
		info_span(m, ks, 64);
		break;
	}
	case 4:
		prepared_result(b, w);
		break;
	case 5:
		schema_change(b, false);
		break;
	default:
		cursor_malformed(c, "unknown RESULT kind");
	}
}

static void reasons(struct body *b)
{
	struct cursor *c = &b->c;
	int32_t n = cql_int(c);
	if (n < 0 || (uint64_t)n * 7 > cursor_left(c)) {
		if (cursor_ok(c))
			cursor_malformed(c, "reason map count beyond the body");
		return;
	}
	for (int32_t i = 0; i < n && cursor_ok(c); i++) {
		struct cql_inet in;
		if (!cql_inet(c, &in, false))
			break;
		uint16_t code = cql_short(c);
		char text[80];
		size_t len = cql_inet_format(&in, text, sizeof text);
		len += (size_t)snprintf(text + len, sizeof text - len, " %u", code);
		msg_add_str(b->m, &hf_cql_error_reason, text, len);
	}
}

/* <cl><received><blockfor>, the start of the timeouts' and failures'
 * details. */
static void error_replicas(struct body *b)
{
	add_consistency(b->m, &hf_cql_error_consistency, cql_short(&b->c));
	msg_add_int(b->m, &hf_cql_error_received, cql_int(&b->c));
	msg_add_int(b->m, &hf_cql_error_block_for, cql_int(&b->c));
}

static void error_body(struct body *b, const char **status_name, int64_t *status_code)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	int32_t code = cql_int(c);
	struct cql_span msg = cql_string(c);
	if (!cursor_ok(c))
		return;
	const char *name = name_of(cql_error_names, (uint32_t)code);
	bool rate_limit = b->conn->has_rate_limit_code && code == b->conn->rate_limit_code;
	if (rate_limit)
		name = "Rate_limit_error";
	msg_add_enum(m, &hf_cql_error_code, (uint32_t)code, name);
	add_span_str(m, &hf_cql_error_message, msg);
	*status_code = code;
	*status_name = name;
	msg_info_str(m, " ");
	msg_info_str(m, name ? name : "error");
	msg_info_str(m, " \"");
	info_span(m, msg, 120);
	msg_info_str(m, "\"");
	if (m->header_only)
		return;
	switch (code) {
	case 0x1000:
		add_consistency(m, &hf_cql_error_consistency, cql_short(c));
		msg_add_int(m, &hf_cql_error_required, cql_int(c));
		msg_add_int(m, &hf_cql_error_alive, cql_int(c));
		break;
	case 0x1100: {
		error_replicas(b);
		struct cql_span wt = cql_string(c);
		add_span_str(m, &hf_cql_error_write_type, wt);
		if (b->version >= 5 && cql_span_is(wt, "CAS"))
			msg_add_uint(m, &hf_cql_error_contentions, cql_short(c));
		break;
	}
	case 0x1200:
		error_replicas(b);
		msg_add_bool(m, &hf_cql_error_data_present, cql_byte(c) != 0);
		break;
	case 0x1300:
	case 0x1500:
		error_replicas(b);
		if (b->version >= 5)
			reasons(b);
		else
			msg_add_int(m, &hf_cql_error_num_failures, cql_int(c));
		if (code == 0x1300)
			msg_add_bool(m, &hf_cql_error_data_present, cql_byte(c) != 0);
		else
			add_span_str(m, &hf_cql_error_write_type, cql_string(c));
		break;
	case 0x1400:
		add_span_str(m, &hf_cql_error_keyspace, cql_string(c));
		add_span_str(m, &hf_cql_error_function, cql_string(c));
		string_list(b, &hf_cql_error_arg_type);
		break;
	case 0x1700:
		error_replicas(b);
		break;
	case 0x2400:
		add_span_str(m, &hf_cql_error_keyspace, cql_string(c));
		add_span_str(m, &hf_cql_error_table, cql_string(c));
		break;
	case 0x2500: {
		struct cql_span id = cql_short_bytes(c);
		if (id.ptr)
			msg_add_bytes(m, &hf_cql_error_unprepared_id, id.ptr, (size_t)id.len);
		break;
	}
	default:
		if (rate_limit) {
			uint8_t op = cql_byte(c);
			uint8_t coord = cql_byte(c);
			if (cursor_ok(c)) {
				const char *ops = op == 0 ? "read" : op == 1 ? "write" : "?";
				msg_add_str(m, &hf_cql_error_rate_limit_op, ops, strlen(ops));
				msg_add_bool(m, &hf_cql_error_rejected_by_coordinator, coord != 0);
			}
		}
	}
}

/* ---- body prefix: tracing id, warnings, custom payload ---- */

/* ScyllaDB's tablets-routing-v1: tuple<bigint, bigint, list<tuple<uuid, int>>>. */
static void tablets_routing(struct message *m, struct cql_span v)
{
	struct cursor c = cql_span_cursor(v);
	struct cql_span first = cql_bytes(&c), last = cql_bytes(&c), list = cql_bytes(&c);
	if (!cursor_ok(&c) || first.len != 8 || last.len != 8 || !list.ptr)
		return;
	struct cursor fc = cursor_init(first.ptr, 8), lc = cursor_init(last.ptr, 8);
	msg_add_int(m, &hf_cql_tablets_first_token, cql_long(&fc));
	msg_add_int(m, &hf_cql_tablets_last_token, cql_long(&lc));
	struct cursor l = cursor_init(list.ptr, (size_t)list.len);
	int32_t n = cql_int(&l);
	for (int32_t i = 0; i < n && cursor_ok(&l) && i < 64; i++) {
		struct cql_span rep = cql_bytes(&l);
		struct cursor rc = cql_span_cursor(rep);
		struct cql_span host = cql_bytes(&rc), shard = cql_bytes(&rc);
		if (!cursor_ok(&l) || !cursor_ok(&rc) || host.len != 16 || shard.len != 4)
			break;
		char text[64];
		struct cursor sc = cursor_init(shard.ptr, 4);
		const uint8_t *h = host.ptr;
		int len = snprintf(text, sizeof text,
				   "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x/%d",
				   h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10],
				   h[11], h[12], h[13], h[14], h[15], cql_int(&sc));
		msg_add_str(m, &hf_cql_tablets_replica, text, (size_t)len);
	}
}

static void body_prefix(struct body *b)
{
	struct cursor *c = &b->c;
	struct message *m = b->m;
	uint8_t f = b->e->h.flags;
	bool response = b->e->h.response;
	if ((f & CQL_FLAG_TRACING) && response) {
		const uint8_t *id = cql_uuid(c);
		if (id)
			msg_add_gfid(m, &hf_cql_tracing_id, id);
	}
	if ((f & CQL_FLAG_WARNING) && response && b->version >= 4)
		string_list(b, &hf_cql_warning);
	if ((f & CQL_FLAG_CUSTOM_PAYLOAD) && b->version >= 4) {
		uint16_t n = cql_count(c);
		for (unsigned i = 0; i < n && cursor_ok(c); i++) {
			struct cql_span k = cql_string(c), v = cql_bytes(c);
			if (!cursor_ok(c))
				break;
			add_span_str(m, &hf_cql_custom_payload_key, k);
			if (v.ptr)
				msg_add_bytes(m, &hf_cql_custom_payload_value, v.ptr, (size_t)v.len);
			if (cql_span_is(k, "tablets-routing-v1"))
				tablets_routing(m, v);
		}
	}
}

/* ---- the envelope ---- */

static void set_header(struct message *m, const struct cql_frame_header *h)
{
	m->proto_header[CQL_H_VERSION_BYTE] = CQL_H_PRESENT | h->version_byte;
	m->proto_header[CQL_H_FLAGS] = h->flags;
	m->proto_header[CQL_H_STREAM] = (uint64_t)(int64_t)h->stream;
	m->proto_header[CQL_H_OPCODE] = h->opcode;
	m->proto_header[CQL_H_LENGTH] = h->length;
}

/* One subtree per segment that carried the envelope (the first
 * CQL_NOTE_SEGMENTS), and how many there were. */
static void segment_fields(struct message *m, const struct cql_segment_note *s)
{
	unsigned kept = s->count < CQL_NOTE_SEGMENTS ? s->count : CQL_NOTE_SEGMENTS;
	if (s->count > 1)
		msg_add_uint(m, &hf_cql_segment_count, s->count);
	for (unsigned i = 0; i < kept; i++) {
		const struct cql_segment_seen *g = &s->seen[i];
		char label[48];
		if (s->count > 1)
			snprintf(label, sizeof label, "v5 segment %u of %u", i + 1, s->count);
		else
			snprintf(label, sizeof label, "v5 segment");
		msg_open(m, &hf_cql_segment, label);
		msg_add_uint(m, &hf_cql_segment_length, g->h.payload_length);
		if (g->h.lz4)
			msg_add_uint(m, &hf_cql_segment_uncompressed_length, g->h.uncompressed_length);
		msg_add_bool(m, &hf_cql_segment_self_contained, g->h.self_contained);
		msg_add_hex(m, &hf_cql_segment_header_crc, g->h.crc24_wire);
		bool header_ok = g->h.crc24_wire == g->h.crc24_computed;
		if (header_ok)
			msg_add_hex(m, &hf_cql_segment_payload_crc, g->payload_crc);
		msg_add_bool(m, &hf_cql_segment_crc_ok, header_ok && g->payload_ok);
		msg_close(m);
	}
}

/* Header-only decoding (no consumer reads a body field) still reads the
 * bodies the connection's state or the exchange needs: STARTUP (the
 * compression), SUPPORTED (ScyllaDB's rate limit error code), ERROR (the
 * status).  The rest is skipped. */
static bool header_only_needs_body(const struct cql_frame_header *h)
{
	return h->opcode == CQL_STARTUP || h->opcode == CQL_SUPPORTED || h->opcode == CQL_ERROR;
}

/* The exchange's end: the v5 handshake (the server's READY or
 * AUTHENTICATE to a v5 STARTUP starts the segments both ways), and the
 * answered request leaves the table. */
static void finish_exchange(struct cql_conn *conn, const struct cql_envelope *e,
			    const struct frame_ref *frame, struct cql_waiting *w,
			    struct cql_note *note, uint8_t v)
{
	const struct cql_frame_header *h = &e->h;
	if (h->response && conn->startup_waiting && conn->startup_stream == h->stream) {
		if (v == 5 && (h->opcode == CQL_READY || h->opcode == CQL_AUTHENTICATE))
			conn->v5_framing = true;
		conn->startup_waiting = false;
	}
	if (!w)
		return;
	if (h->response)
		note_done(conn, note);
	else
		note_store(conn, w, h->stream, e->direction, frame->number);
}

void cql_decode_envelope(struct cql_conn *conn, struct message *m,
			 const struct cql_envelope *e, const struct frame_ref *frame)
{
	const struct cql_frame_header *h = &e->h;
	m->proto = &cql_protocol;
	m->length = (uint32_t)(h->header_len + e->wire_length);
	if (!h->header_len) {	/* a v5 segment that framed nothing */
		m->exchange.kind = EXCHANGE_NONE;
		msg_info_str(m, "v5 segment header CRC24 mismatch");
		if (e->segments)
			segment_fields(m, e->segments);
		return;
	}
	set_header(m, h);
	uint8_t v = h->version;
	bool probe = v == 0x41 || v == 0x42;
	unsigned version = probe ? 4 : v;
	if (!conn->version && !probe)
		conn->version = v;
	const char *op = cql_opcode_name(h->opcode);
	struct exchange *ex = &m->exchange;
	ex->has_id = true;
	ex->id = (uint64_t)(int64_t)h->stream;
	/* "CQL V4 QUERY" in the generic reports. */
	ex->service = "CQL";
	ex->service_version = version;
	ex->op = op;
	ex->op_code = h->opcode;
	ex->has_op_code = true;
	ex->latency_ns = -1;
	/* "v3 QUERY stream=5 ...", "v3 RESULT stream=5 (Request In 21) ..." */
	if (probe) {
		msg_info_str(m, "0x");
		msg_info_hex(m, v);
		msg_info_str(m, " probe");
	} else {
		msg_info_str(m, "v");
		msg_info_uint(m, v);
	}
	msg_info_str(m, " ");
	msg_info_str(m, op ? op : "opcode?");
	msg_info_str(m, " stream=");
	msg_info_int(m, h->stream);

	struct cql_waiting *w = NULL;
	struct cql_note *note = NULL;
	if (h->opcode == CQL_EVENT) {
		ex->kind = EXCHANGE_EVENT;
	} else if (!h->response) {
		ex->kind = EXCHANGE_REQUEST;
		union waiting_payload p = { .bytes = {
			[PAYLOAD_OPCODE] = h->opcode, [PAYLOAD_VERSION] = (uint8_t)version } };
		/* a request on an id still waiting replaces it (the older
		 * was not answered: ids are reused once answered) */
		waiting_insert(&conn->requests, ex->id, e->direction, frame->number,
			       frame->ts_ns, &p);
		w = &current;
		*w = (struct cql_waiting){ .opcode = h->opcode, .version = (uint8_t)version,
					   .query = "" };
	} else {
		ex->kind = EXCHANGE_RESPONSE;
		struct waiting_request r;
		if (waiting_take(&conn->requests, ex->id, !e->direction,
				 frame->number, &r)) {
			w = &current;
			*w = (struct cql_waiting){ .opcode = r.payload.bytes[PAYLOAD_OPCODE],
						   .version = r.payload.bytes[PAYLOAD_VERSION],
						   .query = "" };
			note = note_find(conn, h->stream, &r);
			if (note) {
				w->id_len = note->id_len;
				memcpy(w->id, note->id, note->id_len);
				if (note->text_len) {
					w->query = note->text;
					w->query_len = note->text_len;
				}
			}
			msg_info_str(m, " (Request In ");
			msg_info_uint(m, r.frame);
			msg_info_str(m, ")");
			ex->request_frame = r.frame;
			ex->latency_ns = frame->ts_ns - r.ts_ns;
			ex->op = cql_opcode_name(w->opcode);
			ex->op_code = w->opcode;
			ex->service_version = w->version;
		} else {
			ex->op = NULL;	/* the request was not seen */
		}
		ex->status = STATUS_OK;
	}

	if (e->segments && !m->header_only)
		segment_fields(m, e->segments);
	if (e->segments && e->segments->crc_bad)
		msg_mark(m, MSG_MALFORMED, "v5 segment payload CRC32 mismatch");
	if (e->compressed != CQL_COMPRESSION_NONE) {
		msg_add_enum(m, &hf_cql_compression, e->compressed, name_of(cql_compression_names, e->compressed));
		if (e->uncompressed_length)
			msg_add_uint(m, &hf_cql_uncompressed_length, e->uncompressed_length);
	}
	if (e->decompress_problem) {
		msg_mark(m, MSG_NOT_DECODED, e->decompress_problem);
		msg_info_str(m, " (compressed)");
		if (w && h->response)
			note_done(conn, note);
		return;
	}

	struct body b = { cursor_init(e->body, e->kept), e, m, conn, version, &scratch_types };
	if (m->header_only && !header_only_needs_body(h)) {
		finish_exchange(conn, e, frame, w, note, v);
		return;
	}
	body_prefix(&b);
	/* A response names its request's statement: the -z report by query
	 * and filters on cql.query see both. */
	if (h->response && w && waiting_query(w)[0])
		msg_add_str(m, &hf_cql_query, w->query, w->query_len);
	const char *status_name = NULL;
	int64_t status_code = 0;
	switch (h->opcode) {
	case CQL_STARTUP: startup(&b); break;
	case CQL_QUERY: query(&b, w); break;
	case CQL_PREPARE: prepare(&b, w); break;
	case CQL_EXECUTE: execute(&b, w); break;
	case CQL_BATCH: batch(&b, w); break;
	case CQL_REGISTER: string_list(&b, &hf_cql_event_type); break;
	case CQL_AUTH_RESPONSE: case CQL_AUTH_CHALLENGE: case CQL_AUTH_SUCCESS:
		auth_token(&b);
		break;
	case CQL_CREDENTIALS: credentials(&b); break;
	case CQL_OPTIONS: case CQL_READY: break;
	case CQL_AUTHENTICATE: {
		struct cql_span a = cql_string(&b.c);
		add_span_str(m, &hf_cql_authenticator, a);
		break;
	}
	case CQL_SUPPORTED: supported(&b); break;
	case CQL_RESULT: result_body(&b, w); break;
	case CQL_EVENT: event(&b); break;
	case CQL_ERROR:
		error_body(&b, &status_name, &status_code);
		ex->status = STATUS_FAILED;
		ex->status_code = status_code;
		ex->status_name = status_name;
		break;
	default:
		msg_mark(m, MSG_NOT_DECODED, "unknown opcode");
	}
	if (b.c.status & CURSOR_MALFORMED)
		msg_mark(m, MSG_MALFORMED, b.c.why);
	else if (b.c.status & CURSOR_TRUNCATED)
		msg_mark(m, e->elided ? MSG_ELIDED : MSG_MALFORMED,
			 e->elided ? NULL : "body shorter than its contents");

	finish_exchange(conn, e, frame, w, note, v);
}
