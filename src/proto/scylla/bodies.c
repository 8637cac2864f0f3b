/* bodies.c - the data of ScyllaDB's verbs, read with ScyllaDB's IDL
 * serializer rules (docs/scylla.md, "Bodies"):
 *
 *	integers little-endian; bool u8; bytes/sstring: len u32 | bytes;
 *	vectors, maps: count u32 | items; optional: present u8 | value;
 *	std::variant: index u8 | alternative; a class not `final`: size u32
 *	(counting itself) | members, so members added later are skipped and
 *	members a sender does not have yet are absent; writable views frame
 *	a variant as size u32 | index u32 | alternative.
 *
 * Every read goes through a cursor (base/cursor.h).  Arguments and
 * members are read while bytes remain: trailing ones newer than the
 * sender are simply absent; one cut in the middle is malformed (or, when
 * the body was elided, just where the kept bytes end).
 */
#include <string.h>

#include "base/cursor.h"
#include "bodies.h"
#include "fields.h"
#include "verbs.h"

/* ---- IDL primitives ---- */

/* A framed object's members: its bytes after the size.  complete: all
 * of them were kept (else the frame runs past what the decoder kept). */
struct frame {
	struct cursor c;
	uint32_t size;		/* as sent, counting itself */
	bool complete;
};

static bool frame_open(struct cursor *c, struct frame *f)
{
	uint32_t size = cursor_le32(c);
	if (!cursor_ok(c))
		return false;
	f->size = size;
	if (size < 4) {
		cursor_malformed(c, "IDL object size under 4");
		return false;
	}
	size_t n = size - 4;
	size_t left = cursor_left(c);
	f->complete = n <= left;
	if (!f->complete)
		n = left;
	f->c = cursor_init(c->pos, n);
	cursor_skip(c, n);
	if (!f->complete)
		c->status |= CURSOR_TRUNCATED;
	return true;
}

/* Carries what went wrong inside a frame to its parent. */
static void frame_close(struct cursor *parent, const struct frame *f)
{
	if (f->c.status & CURSOR_MALFORMED)
		cursor_malformed(parent, f->c.why);
	else if ((f->c.status & CURSOR_TRUNCATED) && f->complete)
		cursor_malformed(parent, "IDL object ends inside a member");
}

static bool more(const struct cursor *c)
{
	return cursor_ok(c) && cursor_left(c) > 0;
}

/* bytes / sstring: len u32 | bytes; NULL when not all there. */
static const uint8_t *blob(struct cursor *c, uint32_t *len)
{
	*len = cursor_le32(c);
	if (!cursor_ok(c))
		return NULL;
	return cursor_take(c, *len);
}

void scylla_uuid_bytes(const uint8_t wire[16], uint8_t out[16])
{
	for (int i = 0; i < 8; i++) {
		out[i] = wire[7 - i];
		out[8 + i] = wire[15 - i];
	}
}

static void add_uuid(struct message *m, const struct field_def *def,
		     struct cursor *c)
{
	const uint8_t *p = cursor_take(c, 16);
	if (!p)
		return;
	uint8_t u[16];
	scylla_uuid_bytes(p, u);
	msg_add_gfid(m, def, u);
}

static bool uuid_null(const uint8_t *p)
{
	static const uint8_t zero[16];
	return !memcmp(p, zero, 16);
}

/* gms::inet_address: IPv4 as the address's value u32, IPv6 as
 * 0xffffffff then its 16 bytes. */
static void add_inet(struct message *m, const struct field_def *def,
		     struct cursor *c)
{
	uint32_t v = cursor_le32(c);
	if (!cursor_ok(c))
		return;
	char text[64];
	struct endpoint e = { .family = 4 };
	if (v == 0xffffffffu) {
		const uint8_t *p = cursor_take(c, 16);
		if (!p)
			return;
		e.family = 6;
		memcpy(e.addr, p, 16);
	} else {
		e.addr[0] = (uint8_t)(v >> 24);
		e.addr[1] = (uint8_t)(v >> 16);
		e.addr[2] = (uint8_t)(v >> 8);
		e.addr[3] = (uint8_t)v;
	}
	size_t n = endpoint_address_text(text, sizeof text, &e);
	struct field *f = msg_add_str(m, def, text, n);
	if (f)
		field_set_address(f, e.family, e.addr);
}

/* api::timestamp_type: microseconds since the epoch; INT64_MIN: none. */
static void add_micros(struct message *m, const struct field_def *def,
		       int64_t us)
{
	if (us == INT64_MIN)
		return;
	int64_t sec = us / 1000000, rem = us % 1000000;
	if (rem < 0) {
		sec--;
		rem += 1000000;
	}
	msg_add_time(m, def, sec, (uint32_t)rem * 1000u);
}

static const char *value_of(const struct field_def *def, uint64_t v)
{
	return field_value_name(def, v);
}

static void add_enum(struct message *m, const struct field_def *def,
		     uint64_t v)
{
	msg_add_enum(m, def, v, value_of(def, v));
}

/* partition_key / clustering_key_prefix: frame | vector<bytes> */
static void key(struct message *m, struct cursor *c,
		const struct field_def *part, const struct field_def *len_def,
		const struct field_def *count_def,
		const struct field_def *size_def)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	if (size_def)
		msg_add_uint(m, size_def, f.size);
	uint32_t n = cursor_le32(&f.c);
	if (cursor_ok(&f.c) && count_def)
		msg_add_uint(m, count_def, n);
	for (uint32_t i = 0; i < n && more(&f.c); i++) {
		uint32_t len;
		const uint8_t *p = blob(&f.c, &len);
		if (len_def && cursor_ok(&f.c))
			msg_add_uint(m, len_def, len);
		if (p)
			msg_add_bytes(m, part, p, len);
	}
	frame_close(c, &f);
}

static void fencing_token(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	int64_t v = (int64_t)cursor_le64(&f.c);
	if (cursor_ok(&f.c))
		msg_add_int(m, &hf_scylla_fence, v);
	frame_close(c, &f);
}

/* std::optional<tracing::trace_info>: the session id when traced */
static void trace_info(struct message *m, struct cursor *c)
{
	if (!cursor_u8(c) || !cursor_ok(c))
		return;
	struct frame f;
	if (!frame_open(c, &f))
		return;
	add_uuid(m, &hf_scylla_trace_session, &f.c);
	frame_close(c, &f);
}

static void inet_vector(struct message *m, const struct field_def *def,
			struct cursor *c)
{
	uint32_t n = cursor_le32(c);
	for (uint32_t i = 0; i < n && more(c); i++)
		add_inet(m, def, c);
}

static void uuid_vector(struct message *m, const struct field_def *def,
			struct cursor *c)
{
	uint32_t n = cursor_le32(c);
	for (uint32_t i = 0; i < n && more(c); i++)
		add_uuid(m, def, c);
}

/* ---- mutations (idl/mutation.idl.hh) ---- */

/* A tombstone [[writable]]: frame | timestamp i64 | deletion_time */
static void tombstone(struct message *m, struct cursor *c,
		      const struct field_def *def)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	int64_t ts = (int64_t)cursor_le64(&f.c);
	if (cursor_ok(&f.c))
		add_micros(m, def, ts);
	frame_close(c, &f);
}

/* A view variant: size u32 | index u32 | alternative (in f). */
static bool view_variant(struct cursor *c, struct frame *f, uint32_t *index)
{
	if (!frame_open(c, f))
		return false;
	*index = cursor_le32(&f->c);
	return cursor_ok(&f->c);
}

/* live_cell: frame | created_at | value; expiring_cell: frame | ttl |
 * expiry | live_cell; dead_cell (final): tombstone */
static void atomic_cell(struct message *m, struct cursor *c, uint32_t kind)
{
	if (kind == 2) {	/* dead: the deletion */
		add_enum(m, &hf_scylla_mut_cell_kind, 2);
		tombstone(m, c, &hf_scylla_mut_timestamp);
		return;
	}
	if (kind == 3) {	/* counter: not read further */
		add_enum(m, &hf_scylla_mut_cell_kind, 3);
		return;
	}
	struct frame f;
	if (!frame_open(c, &f))
		return;
	add_enum(m, &hf_scylla_mut_cell_kind, kind);
	struct cursor *live = &f.c;
	struct frame inner;
	bool nested = false;
	if (kind == 1) {	/* expiring: ttl, expiry, then the live cell */
		int64_t ttl = (int64_t)cursor_le64(&f.c);
		cursor_le64(&f.c);
		if (cursor_ok(&f.c))
			msg_add_uint(m, &hf_scylla_mut_ttl, (uint64_t)ttl);
		if (!frame_open(&f.c, &inner)) {
			frame_close(c, &f);
			return;
		}
		live = &inner.c;
		nested = true;
	}
	int64_t ts = (int64_t)cursor_le64(live);
	if (cursor_ok(live))
		add_micros(m, &hf_scylla_mut_timestamp, ts);
	uint32_t len;
	const uint8_t *v = more(live) ? blob(live, &len) : NULL;
	if (v)
		msg_add_bytes(m, &hf_scylla_mut_value, v, len);
	if (nested)
		frame_close(&f.c, &inner);
	frame_close(c, &f);
}

/* column: frame | id u32 | variant<variant<atomic cells>, collection> */
static void column(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	msg_open(m, &hf_scylla_mut_cell, NULL);
	uint32_t id = cursor_le32(&f.c);
	if (cursor_ok(&f.c))
		msg_add_uint(m, &hf_scylla_mut_column, id);
	struct frame outer;
	uint32_t which;
	if (more(&f.c) && view_variant(&f.c, &outer, &which)) {
		if (which == 0) {
			struct frame in;
			uint32_t kind;
			if (view_variant(&outer.c, &in, &kind)) {
				if (kind <= 3)
					atomic_cell(m, &in.c, kind);
				else
					cursor_malformed(&in.c, "cell kind "
							 "out of range");
				frame_close(&outer.c, &in);
			}
		} else if (which == 1) {
			add_enum(m, &hf_scylla_mut_cell_kind, 4);
		} else {
			cursor_malformed(&outer.c, "column variant out of "
				 "range");
		}
		frame_close(&f.c, &outer);
	}
	msg_close(m);
	frame_close(c, &f);
}

/* row: frame | vector<column>; returns the cells seen */
static uint32_t row_cells(struct message *m, struct cursor *c, bool show)
{
	struct frame f;
	if (!frame_open(c, &f))
		return 0;
	uint32_t n = cursor_le32(&f.c);
	uint32_t i;
	for (i = 0; i < n && more(&f.c); i++) {
		if (show) {
			column(m, &f.c);
		} else {
			struct frame skip;
			if (frame_open(&f.c, &skip))
				frame_close(&f.c, &skip);
		}
	}
	frame_close(c, &f);
	return n;
}

/* deletable_row: frame | clustering key | marker variant | deleted_at |
 * cells | shadowable_deleted_at */
static void deletable_row(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	msg_open(m, &hf_scylla_mut_row, NULL);
	key(m, &f.c, &hf_scylla_mut_ckey, NULL, NULL, NULL);
	struct frame marker;
	uint32_t which;
	if (more(&f.c) && view_variant(&f.c, &marker, &which))
		frame_close(&f.c, &marker);	/* the row marker: skipped */
	if (more(&f.c))
		tombstone(m, &f.c, &hf_scylla_mut_row_tombstone);
	if (more(&f.c))
		row_cells(m, &f.c, true);
	msg_close(m);
	frame_close(c, &f);
}

/* mutation_partition: frame | tombstone | static row | range tombstones
 * | rows */
static void partition(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	if (more(&f.c))
		tombstone(m, &f.c, &hf_scylla_mut_tombstone);
	if (more(&f.c))
		msg_add_uint(m, &hf_scylla_mut_static_cells,
			     row_cells(m, &f.c, false));
	if (more(&f.c)) {
		uint32_t n = cursor_le32(&f.c);
		if (cursor_ok(&f.c))
			msg_add_uint(m, &hf_scylla_mut_range_tombstones, n);
		for (uint32_t i = 0; i < n && more(&f.c); i++) {
			struct frame rt;
			if (frame_open(&f.c, &rt))
				frame_close(&f.c, &rt);
		}
	}
	if (more(&f.c)) {
		uint32_t n = cursor_le32(&f.c);
		if (cursor_ok(&f.c))
			msg_add_uint(m, &hf_scylla_mut_rows, n);
		for (uint32_t i = 0; i < n && more(&f.c); i++)
			deletable_row(m, &f.c);
	}
	frame_close(c, &f);
}

/* A mutation view: frame | table_id | schema_version | key | partition */
static void mutation_view(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	msg_add_uint(m, &hf_scylla_mut_size2, f.size);
	if (more(&f.c))
		add_uuid(m, &hf_scylla_mut_table_id, &f.c);
	if (more(&f.c))
		add_uuid(m, &hf_scylla_mut_schema_id, &f.c);
	if (more(&f.c))
		key(m, &f.c, &hf_scylla_mut_pkey, &hf_scylla_mut_len_pkey,
		    &hf_scylla_mut_num_pkeys, &hf_scylla_mut_len_pkeys);
	if (more(&f.c))
		partition(m, &f.c);
	frame_close(c, &f);
}

/* frozen_mutation (final): bytes holding a mutation view */
static void frozen_mutation(struct message *m, struct cursor *c)
{
	uint32_t len = cursor_le32(c);
	if (!cursor_ok(c))
		return;
	msg_open(m, &hf_scylla_mut, NULL);
	msg_add_uint(m, &hf_scylla_mut_size1, len);
	size_t n = len <= cursor_left(c) ? len : cursor_left(c);
	struct cursor in = cursor_init(c->pos, n);
	cursor_skip(c, n);
	if (n < len)
		c->status |= CURSOR_TRUNCATED;
	if (len)
		mutation_view(m, &in);
	if (in.status & CURSOR_MALFORMED)
		cursor_malformed(c, in.why);
	else if ((in.status & CURSOR_TRUNCATED) && n == len)
		cursor_malformed(c, "mutation runs past its frozen bytes");
	msg_close(m);
}

/* ---- reads (idl/read_command.idl.hh, idl/range.idl.hh) ---- */

static const char *const slice_option_names[] = {
	"send_clustering_key", "send_partition_key", "send_timestamp",
	"send_expiry", "reversed", "distinct", "collections_as_maps",
	"send_ttl", "allow_short_read", "with_digest", "bypass_cache",
	"always_return_static_content", "range_scan_data_variant",
	"allow_mutation_read_page_without_live_row",
	"send_collection_timestamps",
};

static void slice_options(struct message *m, uint64_t v)
{
	char text[512];
	size_t n = 0;
	text[0] = 0;
	for (unsigned i = 0; i < 64; i++) {
		if (!(v & (1ull << i)))
			continue;
		const char *name = i < sizeof slice_option_names /
					       sizeof *slice_option_names
					   ? slice_option_names[i] : "?";
		size_t k = strlen(name);
		if (n + k + 2 >= sizeof text)
			break;
		if (n)
			text[n++] = ',';
		memcpy(text + n, name, k);
		n += k;
		text[n] = 0;
	}
	msg_add_flags(m, &hf_scylla_read_options, v, text);
}

static void uint_vector(struct message *m, const struct field_def *def,
			struct cursor *c)
{
	uint32_t n = cursor_le32(c);
	for (uint32_t i = 0; i < n && more(c); i++) {
		uint32_t v = cursor_le32(c);
		if (cursor_ok(c))
			msg_add_uint(m, def, v);
	}
}

/* partition_slice: frame | default_row_ranges | static columns |
 * regular columns | options | specific ranges | cql format |
 * partition row limit (low, high) */
static void partition_slice(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	uint32_t ranges = cursor_le32(&f.c);
	for (uint32_t i = 0; i < ranges && more(&f.c); i++) {
		struct frame iv;	/* interval<clustering_key_prefix> */
		if (frame_open(&f.c, &iv))
			frame_close(&f.c, &iv);
	}
	if (more(&f.c))
		uint_vector(m, &hf_scylla_read_static_columns, &f.c);
	if (more(&f.c))
		uint_vector(m, &hf_scylla_read_columns, &f.c);
	if (more(&f.c)) {
		uint64_t opts = cursor_le64(&f.c);
		if (cursor_ok(&f.c))
			slice_options(m, opts);
	}
	/* specific ranges, cql format, partition row limit: not shown */
	frame_close(c, &f);
}

/* query::read_command */
static void read_command(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	add_uuid(m, &hf_scylla_read_table_id, &f.c);
	if (more(&f.c))
		add_uuid(m, &hf_scylla_read_schema_version, &f.c);
	if (more(&f.c))
		partition_slice(m, &f.c);
	uint64_t row_limit = cursor_le32(&f.c);
	uint64_t now = cursor_le64(&f.c);
	if (!cursor_ok(&f.c)) {
		frame_close(c, &f);
		return;
	}
	msg_add_time(m, &hf_scylla_read_time, (int64_t)now, 0);
	if (more(&f.c))
		trace_info(m, &f.c);
	if (more(&f.c)) {
		uint32_t pl = cursor_le32(&f.c);
		if (cursor_ok(&f.c))
			msg_add_uint(m, &hf_scylla_read_partition_limit, pl);
	}
	if (more(&f.c)) {
		const uint8_t *q = f.c.pos;
		if (cursor_left(&f.c) >= 16 && !uuid_null(q))
			add_uuid(m, &hf_scylla_read_query_id, &f.c);
		else
			cursor_skip(&f.c, 16);
	}
	if (more(&f.c))
		msg_add_bool(m, &hf_scylla_read_first_page, cursor_u8(&f.c));
	if (more(&f.c) && cursor_u8(&f.c)) {	/* max_result_size */
		struct frame mr;
		if (frame_open(&f.c, &mr)) {
			cursor_le64(&mr.c);	/* soft limit */
			uint64_t hard = cursor_le64(&mr.c);
			if (cursor_ok(&mr.c))
				msg_add_uint(m, &hf_scylla_read_max_result_size,
					     hard);
			frame_close(&f.c, &mr);
		}
	}
	if (more(&f.c)) {
		uint32_t high = cursor_le32(&f.c);
		if (cursor_ok(&f.c))
			row_limit |= (uint64_t)high << 32;
	}
	msg_add_uint(m, &hf_scylla_read_row_limit, row_limit);
	if (more(&f.c)) {
		uint64_t tl = cursor_le64(&f.c);
		if (cursor_ok(&f.c))
			msg_add_uint(m, &hf_scylla_read_tombstone_limit, tl);
	}
	frame_close(c, &f);
}

/* dht::token: frame | kind i32 | data bytes (i64 big-endian) */
static void token(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	int32_t kind = (int32_t)cursor_le32(&f.c);
	uint32_t len;
	const uint8_t *p = more(&f.c) ? blob(&f.c, &len) : NULL;
	if (kind == 1 && p && len == 8) {
		uint64_t v = 0;
		for (int i = 0; i < 8; i++)
			v = v << 8 | p[i];
		msg_add_int(m, &hf_scylla_read_token, (int64_t)v);
	}
	frame_close(c, &f);
}

/* ring_position: frame | token | bound i8 | optional<partition_key> */
static void ring_position(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	token(m, &f.c);
	cursor_u8(&f.c);
	if (more(&f.c) && cursor_u8(&f.c))
		key(m, &f.c, &hf_scylla_read_pkey, NULL, NULL, NULL);
	frame_close(c, &f);
}

/* wrapping_interval<ring_position>: frame | optional<bound> start |
 * optional<bound> end | singular; bound: frame | value | inclusive */
static void partition_range(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	for (int side = 0; side < 2 && more(&f.c); side++) {
		if (!cursor_u8(&f.c))
			continue;
		struct frame b;
		if (!frame_open(&f.c, &b))
			break;
		ring_position(m, &b.c);
		cursor_u8(&b.c);
		frame_close(&f.c, &b);
	}
	frame_close(c, &f);
}

static void read_request(struct message *m, struct cursor *c, uint64_t verb)
{
	read_command(m, c);
	if (more(c))
		partition_range(m, c);
	if (verb == SCYLLA_READ_MUTATION_DATA) {
		if (more(c))
			fencing_token(m, c);
		return;
	}
	if (more(c))
		add_enum(m, &hf_scylla_read_digest_algorithm, cursor_u8(c));
	if (more(c)) {
		uint8_t rl = cursor_u8(c);
		add_enum(m, &hf_scylla_rate_limit, rl);
		if (rl == 2)
			cursor_le32(c);	/* account_and_enforce's number */
	}
	if (more(c))
		fencing_token(m, c);
}

/* replica::exception_variant: frame | index u8 | alternative */
static void replica_exception(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	uint8_t which = cursor_u8(&f.c);
	if (cursor_ok(&f.c))
		add_enum(m, &hf_scylla_replica_exception, which);
	frame_close(c, &f);
}

/* the rows of a query::result's buffer (query_result view):
 * frame | partitions: { frame | key? | static row | rows } */
static void result_rows(struct message *m, const uint8_t *p, size_t n)
{
	struct cursor c = cursor_init(p, n);
	struct frame top;
	if (!frame_open(&c, &top))
		return;
	uint32_t parts = cursor_le32(&top.c);
	for (uint32_t i = 0; i < parts && more(&top.c); i++) {
		struct frame part;
		if (!frame_open(&top.c, &part))
			break;
		if (cursor_u8(&part.c))
			key(m, &part.c, &hf_scylla_result_pkey, NULL, NULL,
			    NULL);
		struct frame st;
		if (more(&part.c) && frame_open(&part.c, &st))
			frame_close(&part.c, &st);
		uint32_t rows = cursor_le32(&part.c);
		for (uint32_t r = 0; r < rows && more(&part.c); r++) {
			struct frame row, cells;
			if (!frame_open(&part.c, &row))
				break;
			if (cursor_u8(&row.c))	/* clustering key */
				key(m, &row.c, &hf_scylla_result_pkey, NULL,
				    NULL, NULL);
			if (more(&row.c) && frame_open(&row.c, &cells)) {
				uint32_t k = cursor_le32(&cells.c);
				for (uint32_t j = 0; j < k && more(&cells.c);
				     j++) {
					struct frame cell;
					if (!cursor_u8(&cells.c) ||
					    !frame_open(&cells.c, &cell))
						continue;
					if (cursor_u8(&cell.c))
						cursor_le64(&cell.c);
					if (cursor_u8(&cell.c))
						cursor_le64(&cell.c);
					uint32_t len;
					const uint8_t *v = blob(&cell.c, &len);
					if (v)
						msg_add_bytes(
							m, &hf_scylla_result_value,
							v, len);
					/* an optional ttl may follow */
					frame_close(&cells.c, &cell);
				}
				frame_close(&row.c, &cells);
			}
			frame_close(&part.c, &row);
		}
		frame_close(&top.c, &part);
	}
	frame_close(&c, &top);
}

/* query::result: frame | buf | digest? | last_modified | short_read |
 * row_count_low? | partition_count? | row_count_high? | last_position? */
static void query_result(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	uint32_t len;
	const uint8_t *buf = blob(&f.c, &len);
	if (cursor_ok(&f.c)) {
		msg_add_uint(m, &hf_scylla_result_size, len);
		if (buf)
			result_rows(m, buf, len);
	}
	if (more(&f.c) && cursor_u8(&f.c)) {
		const uint8_t *d = cursor_take(&f.c, 16);
		if (d)
			msg_add_bytes(m, &hf_scylla_result_digest, d, 16);
	}
	if (more(&f.c)) {
		int64_t lm = (int64_t)cursor_le64(&f.c);
		if (cursor_ok(&f.c))
			add_micros(m, &hf_scylla_result_last_modified, lm);
	}
	if (more(&f.c))
		msg_add_bool(m, &hf_scylla_result_short_read, cursor_u8(&f.c));
	uint64_t rows = 0;
	bool have_rows = false;
	if (more(&f.c) && cursor_u8(&f.c)) {
		rows = cursor_le32(&f.c);
		have_rows = cursor_ok(&f.c);
	}
	if (more(&f.c) && cursor_u8(&f.c)) {
		uint32_t parts = cursor_le32(&f.c);
		if (cursor_ok(&f.c))
			msg_add_uint(m, &hf_scylla_result_partitions, parts);
	}
	if (more(&f.c) && cursor_u8(&f.c)) {
		uint32_t high = cursor_le32(&f.c);
		if (cursor_ok(&f.c))
			rows |= (uint64_t)high << 32;
	}
	if (have_rows)
		msg_add_uint(m, &hf_scylla_result_rows, rows);
	frame_close(c, &f);
}

static void read_response(struct message *m, struct cursor *c, uint64_t verb)
{
	if (verb == SCYLLA_READ_DIGEST) {
		const uint8_t *d = cursor_take(c, 16);
		if (d)
			msg_add_bytes(m, &hf_scylla_result_digest, d, 16);
		if (more(c)) {
			int64_t lm = (int64_t)cursor_le64(c);
			if (cursor_ok(c))
				add_micros(m, &hf_scylla_result_last_modified,
					   lm);
		}
	} else if (verb == SCYLLA_READ_DATA) {
		query_result(m, c);
	} else {	/* READ_MUTATION_DATA: reconcilable_result */
		struct frame f;
		if (frame_open(c, &f))
			frame_close(c, &f);
	}
	if (more(c))
		msg_add_uint(m, &hf_scylla_cache_temperature, cursor_u8(c));
	if (more(c))
		replica_exception(m, c);
}

/* ---- the other verbs ---- */

static void client_id(struct message *m, struct cursor *c)
{
	add_inet(m, &hf_scylla_client_broadcast, c);
	if (more(c))
		msg_add_uint(m, &hf_scylla_client_cpu, cursor_le32(c));
	if (more(c))
		msg_add_uint(m, &hf_scylla_client_max_result, cursor_le64(c));
	if (more(c))
		add_uuid(m, &hf_scylla_client_host_id, c);
	if (more(c) && cursor_u8(c))
		add_uuid(m, &hf_scylla_client_dst_host_id, c);
	if (more(c)) {
		int32_t g = (int32_t)cursor_le32(c);
		if (cursor_ok(c))
			msg_add_int(m, &hf_scylla_client_generation, g);
	}
}

static void mutation(struct message *m, struct cursor *c, bool hint)
{
	frozen_mutation(m, c);
	if (more(c))
		inet_vector(m, &hf_scylla_forward, c);
	if (more(c))
		add_inet(m, &hf_scylla_reply_to, c);
	if (more(c))
		msg_add_uint(m, &hf_scylla_shard, cursor_le32(c));
	if (more(c))
		msg_add_uint(m, &hf_scylla_response_id, cursor_le64(c));
	if (more(c))
		trace_info(m, c);
	if (!hint && more(c)) {
		uint8_t rl = cursor_u8(c);
		add_enum(m, &hf_scylla_rate_limit, rl);
		if (rl == 2)
			cursor_le32(c);
	}
	if (more(c))
		fencing_token(m, c);
	if (more(c))
		uuid_vector(m, &hf_scylla_forward_id, c);
	if (more(c))
		add_uuid(m, &hf_scylla_reply_to_id, c);
}

static void backlog(struct message *m, struct cursor *c)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	uint64_t cur = cursor_le64(&f.c), max = cursor_le64(&f.c);
	if (cursor_ok(&f.c)) {
		msg_add_uint(m, &hf_scylla_backlog_current, cur);
		msg_add_uint(m, &hf_scylla_backlog_max, max);
	}
	frame_close(c, &f);
}

static void mutation_done(struct message *m, struct cursor *c, bool failed)
{
	msg_add_uint(m, &hf_scylla_shard, cursor_le32(c));
	uint64_t rid = cursor_le64(c);
	if (cursor_ok(c))
		msg_add_uint(m, &hf_scylla_response_id, rid);
	if (failed && more(c))
		msg_add_uint(m, &hf_scylla_num_failed, cursor_le64(c));
	if (more(c))
		backlog(m, c);
	if (failed) {
		if (more(c))
			replica_exception(m, c);
	} else if (more(c)) {
		msg_add_uint(m, &hf_scylla_large_data_violations, cursor_u8(c));
	}
}

static void gossip_digests(struct message *m, struct cursor *c)
{
	uint32_t n = cursor_le32(c);
	for (uint32_t i = 0; i < n && more(c); i++) {
		struct frame f;
		if (!frame_open(c, &f))
			break;
		msg_open(m, &hf_scylla_gossip_digest, NULL);
		add_inet(m, &hf_scylla_gossip_endpoint, &f.c);
		int32_t g = (int32_t)cursor_le32(&f.c);
		int32_t v = (int32_t)cursor_le32(&f.c);
		if (cursor_ok(&f.c)) {
			msg_add_int(m, &hf_scylla_gossip_generation, g);
			msg_add_int(m, &hf_scylla_gossip_max_version, v);
		}
		msg_close(m);
		frame_close(c, &f);
	}
}

/* std::map<inet_address, endpoint_state> */
static void gossip_states(struct message *m, struct cursor *c)
{
	uint32_t n = cursor_le32(c);
	for (uint32_t i = 0; i < n && more(c); i++) {
		msg_open(m, &hf_scylla_gossip_state, NULL);
		add_inet(m, &hf_scylla_gossip_endpoint, c);
		struct frame es, hb;
		if (!frame_open(c, &es)) {
			msg_close(m);
			break;
		}
		if (frame_open(&es.c, &hb)) {
			int32_t g = (int32_t)cursor_le32(&hb.c);
			int32_t v = (int32_t)cursor_le32(&hb.c);
			if (cursor_ok(&hb.c)) {
				msg_add_int(m, &hf_scylla_gossip_generation, g);
				msg_add_int(m, &hf_scylla_gossip_heart_beat, v);
			}
			frame_close(&es.c, &hb);
		}
		uint32_t k = more(&es.c) ? cursor_le32(&es.c) : 0;
		for (uint32_t j = 0; j < k && more(&es.c); j++) {
			int32_t state = (int32_t)cursor_le32(&es.c);
			struct frame vv;
			if (!frame_open(&es.c, &vv))
				break;
			add_enum(m, &hf_scylla_gossip_app_state,
				 (uint32_t)state);
			uint32_t len;
			const uint8_t *s = blob(&vv.c, &len);
			if (s)
				msg_add_str(m, &hf_scylla_gossip_app_value, s,
					    len);
			int32_t ver = (int32_t)cursor_le32(&vv.c);
			if (cursor_ok(&vv.c))
				msg_add_int(m, &hf_scylla_gossip_app_version,
					    ver);
			frame_close(&es.c, &vv);
		}
		msg_close(m);
		frame_close(c, &es);
	}
}

static void str_field(struct message *m, const struct field_def *def,
		      struct cursor *c)
{
	uint32_t len;
	const uint8_t *s = blob(c, &len);
	if (s)
		msg_add_str(m, def, s, len);
}

static void gossip(struct message *m, struct cursor *c, uint64_t verb)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	if (verb == SCYLLA_GOSSIP_DIGEST_SYN) {
		str_field(m, &hf_scylla_gossip_cluster_id, &f.c);
		if (more(&f.c))
			str_field(m, &hf_scylla_gossip_partitioner, &f.c);
		if (more(&f.c))
			gossip_digests(m, &f.c);
		if (more(&f.c))
			add_uuid(m, &hf_scylla_gossip_group0_id, &f.c);
		if (more(&f.c))
			add_uuid(m, &hf_scylla_gossip_recovery_leader, &f.c);
	} else if (verb == SCYLLA_GOSSIP_DIGEST_ACK) {
		gossip_digests(m, &f.c);
		if (more(&f.c))
			gossip_states(m, &f.c);
	} else {
		gossip_states(m, &f.c);
	}
	frame_close(c, &f);
}

/* service::paxos::proposal: frame | ballot | frozen_mutation */
static void proposal(struct message *m, struct cursor *c,
		     const struct field_def *ballot)
{
	struct frame f;
	if (!frame_open(c, &f))
		return;
	add_uuid(m, ballot, &f.c);
	if (more(&f.c))
		frozen_mutation(m, &f.c);
	frame_close(c, &f);
}

static void paxos_prepare_response(struct message *m, struct cursor *c)
{
	if (!cursor_u8(c) || !cursor_ok(c))
		return;	/* no response object */
	uint8_t which = cursor_u8(c);
	if (!cursor_ok(c))
		return;
	if (which == 0) {
		msg_add_bool(m, &hf_scylla_paxos_promised, false);
		add_uuid(m, &hf_scylla_paxos_newer_ballot, c);
		return;
	}
	if (which != 1) {
		cursor_malformed(c, "prepare response variant out of range");
		return;
	}
	msg_add_bool(m, &hf_scylla_paxos_promised, true);
	struct frame f;
	if (!frame_open(c, &f))
		return;
	if (more(&f.c) && cursor_u8(&f.c))
		proposal(m, &f.c, &hf_scylla_paxos_accepted_ballot);
	if (more(&f.c) && cursor_u8(&f.c))
		proposal(m, &f.c, &hf_scylla_paxos_commit_ballot);
	if (more(&f.c) && cursor_u8(&f.c)) {
		uint8_t kind = cursor_u8(&f.c);
		if (kind == 0) {
			query_result(m, &f.c);
		} else if (kind == 1) {
			const uint8_t *d = cursor_take(&f.c, 16);
			if (d)
				msg_add_bytes(m, &hf_scylla_result_digest, d,
					      16);
		} else {
			cursor_malformed(&f.c, "data-or-digest variant out "
				 "of range");
		}
	}
	frame_close(c, &f);
}

static void paxos_request(struct message *m, struct cursor *c, uint64_t verb)
{
	switch (verb) {
	case SCYLLA_PAXOS_PREPARE:
		read_command(m, c);
		if (more(c))
			key(m, c, &hf_scylla_paxos_pkey, NULL, NULL, NULL);
		if (more(c))
			add_uuid(m, &hf_scylla_paxos_ballot, c);
		if (more(c))
			msg_add_bool(m, &hf_scylla_paxos_only_digest,
				     cursor_u8(c));
		if (more(c))
			add_enum(m, &hf_scylla_read_digest_algorithm,
				 cursor_u8(c));
		break;
	case SCYLLA_PAXOS_ACCEPT:
		proposal(m, c, &hf_scylla_paxos_ballot);
		break;
	case SCYLLA_PAXOS_LEARN:
		proposal(m, c, &hf_scylla_paxos_ballot);
		if (more(c))
			inet_vector(m, &hf_scylla_forward, c);
		if (more(c))
			add_inet(m, &hf_scylla_reply_to, c);
		if (more(c))
			msg_add_uint(m, &hf_scylla_shard, cursor_le32(c));
		if (more(c))
			msg_add_uint(m, &hf_scylla_response_id,
				     cursor_le64(c));
		break;
	default:	/* PRUNE */
		add_uuid(m, &hf_scylla_paxos_schema_version, c);
		if (more(c))
			key(m, c, &hf_scylla_paxos_pkey, NULL, NULL, NULL);
		if (more(c))
			add_uuid(m, &hf_scylla_paxos_ballot, c);
		return;
	}
	if (more(c))
		trace_info(m, c);
	if (verb == SCYLLA_PAXOS_LEARN) {
		if (more(c))
			uuid_vector(m, &hf_scylla_forward_id, c);
		if (more(c))
			add_uuid(m, &hf_scylla_reply_to_id, c);
	}
	if (more(c))
		fencing_token(m, c);
}

static void stream_mutation_fragments(struct message *m, struct cursor *c)
{
	add_uuid(m, &hf_scylla_stream_plan_id, c);
	if (more(c))
		add_uuid(m, &hf_scylla_stream_schema_id, c);
	if (more(c))
		add_uuid(m, &hf_scylla_stream_table_id, c);
	if (more(c))
		msg_add_uint(m, &hf_scylla_stream_estimated_partitions,
			     cursor_le64(c));
	if (more(c))
		add_enum(m, &hf_scylla_stream_reason, cursor_u8(c));
	if (more(c))
		msg_add_uint(m, &hf_scylla_stream_sink, cursor_le64(c));
	if (more(c)) {
		struct frame f;
		if (frame_open(c, &f)) {
			add_uuid(m, &hf_scylla_stream_session_id, &f.c);
			frame_close(c, &f);
		}
	}
}

/* A stream frame: towards the receiver a mutation fragment (bytes) and a
 * command u8; back, a status i32.  Told apart by their shape. */
static bool stream_data(struct message *m, struct cursor *c)
{
	size_t n = cursor_left(c);
	if (n == 4) {
		msg_add_int(m, &hf_scylla_stream_status,
			    (int32_t)cursor_le32(c));
		return true;
	}
	if (n < 5 || (c->pos[0] | (uint32_t)c->pos[1] << 8 |
		      (uint32_t)c->pos[2] << 16 | (uint32_t)c->pos[3] << 24) +
			     5ull != n)
		return false;
	uint32_t len = cursor_le32(c);
	msg_add_uint(m, &hf_scylla_stream_fragment_len, len);
	struct cursor frag = cursor_init(c->pos, len);
	cursor_skip(c, len);
	if (len) {
		msg_open(m, &hf_scylla_mut, NULL);
		mutation_view(m, &frag);
		msg_close(m);
	}
	add_enum(m, &hf_scylla_stream_cmd, cursor_u8(c));
	return true;
}

int64_t scylla_exception_type(const uint8_t *body, size_t kept,
			      const char **name)
{
	if (kept < 4) {
		*name = NULL;
		return -1;
	}
	uint32_t type = (uint32_t)body[0] | (uint32_t)body[1] << 8 |
			(uint32_t)body[2] << 16 | (uint32_t)body[3] << 24;
	*name = field_value_name(&hf_scylla_exception, type);
	return type;
}

const char *scylla_decode_exception(struct message *m, const uint8_t *body,
				    size_t kept, uint64_t body_len)
{
	struct cursor c = cursor_init(body, kept);
	uint32_t type = cursor_le32(&c);
	uint32_t len = cursor_le32(&c);
	if (!cursor_ok(&c)) {
		if (kept >= body_len)
			msg_mark(m, MSG_MALFORMED, "exception shorter than its "
				 "type and length");
		return "exception";
	}
	add_enum(m, &hf_scylla_exception, type);
	size_t have = cursor_left(&c);
	if (type == 0) {
		size_t n = len < have ? len : have;
		msg_add_str(m, &hf_scylla_exception_message, c.pos, n);
		if (len > have && kept >= body_len)
			msg_mark(m, MSG_MALFORMED, "exception message runs past "
				 "the response");
		return "USER";
	}
	if (type == 1) {
		uint64_t verb = cursor_le64(&c);
		if (cursor_ok(&c))
			add_enum(m, &hf_scylla_exception_verb, verb);
		else if (kept >= body_len)
			msg_mark(m, MSG_MALFORMED, "UNKNOWN_VERB without its "
				 "verb");
		return "UNKNOWN_VERB";
	}
	return "exception";
}

static bool peek_ok(const struct cursor *c)
{
	return cursor_left(c) >= 4;
}

void scylla_decode_body(struct message *m, enum scylla_body_kind kind,
			bool has_verb, uint64_t verb, const uint8_t *body,
			size_t kept, uint64_t body_len)
{
	struct cursor c = cursor_init(body, kept);
	bool decoded = true;
	if (kind == SCYLLA_BODY_STREAM) {
		decoded = peek_ok(&c) && stream_data(m, &c);
	} else if (!has_verb) {
		decoded = false;
	} else if (kind == SCYLLA_BODY_REQUEST) {
		switch (verb) {
		case SCYLLA_CLIENT_ID: client_id(m, &c); break;
		case SCYLLA_MUTATION: mutation(m, &c, false); break;
		case SCYLLA_HINT_MUTATION: mutation(m, &c, true); break;
		case SCYLLA_MUTATION_DONE: mutation_done(m, &c, false); break;
		case SCYLLA_MUTATION_FAILED: mutation_done(m, &c, true); break;
		case SCYLLA_READ_DATA:
		case SCYLLA_READ_MUTATION_DATA:
		case SCYLLA_READ_DIGEST: read_request(m, &c, verb); break;
		case SCYLLA_GOSSIP_DIGEST_SYN:
		case SCYLLA_GOSSIP_DIGEST_ACK:
		case SCYLLA_GOSSIP_DIGEST_ACK2: gossip(m, &c, verb); break;
		case SCYLLA_GOSSIP_ECHO:
			if (more(&c)) {
				int64_t g = (int64_t)cursor_le64(&c);
				if (cursor_ok(&c))
					msg_add_int(m,
						    &hf_scylla_gossip_generation,
						    g);
			}
			if (more(&c))
				msg_add_bool(m, &hf_scylla_gossip_notify_up,
					     cursor_u8(&c));
			break;
		case SCYLLA_PAXOS_PREPARE:
		case SCYLLA_PAXOS_ACCEPT:
		case SCYLLA_PAXOS_LEARN:
		case SCYLLA_PAXOS_PRUNE: paxos_request(m, &c, verb); break;
		case SCYLLA_STREAM_MUTATION_FRAGMENTS:
			stream_mutation_fragments(m, &c);
			break;
		case SCYLLA_GOSSIP_GET_ENDPOINT_STATES: {
			/* frame | unordered_set<application_state> */
			struct frame f;
			if (frame_open(&c, &f)) {
				uint32_t n = cursor_le32(&f.c);
				for (uint32_t i = 0; i < n && more(&f.c); i++)
					add_enum(m, &hf_scylla_gossip_app_state,
						 cursor_le32(&f.c));
				frame_close(&c, &f);
			}
			break;
		}
		default:
			decoded = false;
		}
	} else {
		switch (verb) {
		case SCYLLA_READ_DATA:
		case SCYLLA_READ_MUTATION_DATA:
		case SCYLLA_READ_DIGEST: read_response(m, &c, verb); break;
		case SCYLLA_GOSSIP_ECHO: break;	/* nothing returned */
		case SCYLLA_PAXOS_PREPARE: paxos_prepare_response(m, &c); break;
		case SCYLLA_PAXOS_ACCEPT:
			msg_add_bool(m, &hf_scylla_paxos_accepted,
				     cursor_u8(&c));
			break;
		case SCYLLA_STREAM_MUTATION_FRAGMENTS:
			msg_add_uint(m, &hf_scylla_stream_source,
				     cursor_le64(&c));
			break;
		case SCYLLA_GOSSIP_GET_ENDPOINT_STATES: {
			/* frame | unordered_map<inet_address, endpoint_state> */
			struct frame f;
			if (frame_open(&c, &f)) {
				gossip_states(m, &f.c);
				frame_close(&c, &f);
			}
			break;
		}
		default:
			decoded = false;
		}
	}
	if (!decoded) {
		if (kept || body_len)
			msg_mark(m, MSG_NOT_DECODED, has_verb ?
				 "data of this verb not decoded" :
				 "response to a request not seen");
		return;
	}
	if (c.status & CURSOR_MALFORMED)
		msg_mark(m, MSG_MALFORMED, c.why);
	else if ((c.status & CURSOR_TRUNCATED) && kept >= body_len)
		msg_mark(m, MSG_MALFORMED, "data shorter than its contents");
}
