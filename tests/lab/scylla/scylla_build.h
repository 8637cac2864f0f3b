/* scylla_build.h - builds ScyllaDB inter-node RPC bytes from the spec
 * (Seastar doc/rpc.md, ScyllaDB idl/ files; docs/scylla.md says which
 * file gives which fact), for the traffic generator and the unit tests.
 *
 * Everything is little-endian.  An IDL class that is not `final` is
 * framed: size u32 (counting itself) before its members; idl_begin()
 * reserves the size and idl_end() fills it.
 */
#ifndef TAPLINE_SCYLLA_BUILD_H
#define TAPLINE_SCYLLA_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bbuf {
	uint8_t *p;
	size_t len, cap;
};

static inline void bb_reserve(struct bbuf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more)
		cap *= 2;
	uint8_t *np = realloc(b->p, cap);
	if (!np) {
		perror("realloc");
		exit(1);
	}
	b->p = np;
	b->cap = cap;
}

/* Big-endian stores, for the IPv4 and TCP headers of the packets the
 * capture writers (tests/scylla/scylla_hostile, fuzz_scylla) make. */
static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static inline void bb_free(struct bbuf *b)
{
	free(b->p);
	*b = (struct bbuf){ 0 };
}

static inline void bb_raw(struct bbuf *b, const void *p, size_t n)
{
	bb_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

static inline void bb_le(struct bbuf *b, uint64_t v, unsigned n)
{
	bb_reserve(b, n);
	for (unsigned i = 0; i < n; i++)
		b->p[b->len++] = (uint8_t)(v >> (8 * i));
}

static inline void bb_u8(struct bbuf *b, uint8_t v) { bb_le(b, v, 1); }
static inline void bb_u16(struct bbuf *b, uint16_t v) { bb_le(b, v, 2); }
static inline void bb_u32(struct bbuf *b, uint32_t v) { bb_le(b, v, 4); }
static inline void bb_u64(struct bbuf *b, uint64_t v) { bb_le(b, v, 8); }
static inline void bb_i32(struct bbuf *b, int32_t v) { bb_le(b, (uint32_t)v, 4); }
static inline void bb_i64(struct bbuf *b, int64_t v) { bb_le(b, (uint64_t)v, 8); }

static inline void bb_put_le32_at(struct bbuf *b, size_t at, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		b->p[at + i] = (uint8_t)(v >> (8 * i));
}

/* bytes, sstring, chunked_string: len u32 | bytes */
static inline void idl_blob(struct bbuf *b, const void *p, size_t n)
{
	bb_u32(b, (uint32_t)n);
	bb_raw(b, p, n);
}

static inline void idl_str(struct bbuf *b, const char *s)
{
	idl_blob(b, s, strlen(s));
}

/* A non-final IDL class: size u32 (counting itself) | members. */
static inline size_t idl_begin(struct bbuf *b)
{
	size_t at = b->len;
	bb_u32(b, 0);
	return at;
}

static inline void idl_end(struct bbuf *b, size_t at)
{
	bb_put_le32_at(b, at, (uint32_t)(b->len - at));
}

struct uuid {
	uint64_t msb, lsb;
};

/* utils::UUID is final: msb i64 | lsb i64 */
static inline void idl_uuid(struct bbuf *b, struct uuid u)
{
	bb_u64(b, u.msb);
	bb_u64(b, u.lsb);
}

static inline void uuid_text(struct uuid u, char out[37])
{
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx",
		 (unsigned)(u.msb >> 32), (unsigned)(u.msb >> 16 & 0xffff),
		 (unsigned)(u.msb & 0xffff), (unsigned)(u.lsb >> 48),
		 (unsigned long long)(u.lsb & 0xffffffffffffull));
}

/* gms::inet_address, IPv4: the address's value as u32 (host order). */
static inline void idl_inet4(struct bbuf *b, uint32_t addr)
{
	bb_u32(b, addr);
}

/* std::optional / unique_ptr: present u8 | value */
static inline void idl_absent(struct bbuf *b) { bb_u8(b, 0); }
static inline void idl_present(struct bbuf *b) { bb_u8(b, 1); }

/* ---- RPC framing (Seastar doc/rpc.md) ---- */

enum {
	FEAT_COMPRESS = 0,
	FEAT_TIMEOUT = 1,
	FEAT_CONNECTION_ID = 2,
	FEAT_STREAM_PARENT = 3,
	FEAT_ISOLATION = 4,
	FEAT_HANDLER_DURATION = 5,
};

static inline void neg_begin(struct bbuf *b)
{
	bb_raw(b, "SSTARRPC", 8);
	bb_u32(b, 0);	/* filled by neg_end */
}

static inline void neg_feature(struct bbuf *b, uint32_t number,
			       const void *data, size_t len)
{
	bb_u32(b, number);
	bb_u32(b, (uint32_t)len);
	bb_raw(b, data, len);
}

static inline void neg_feature_u64(struct bbuf *b, uint32_t number,
				   uint64_t v)
{
	uint8_t le[8];
	for (unsigned i = 0; i < 8; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	neg_feature(b, number, le, 8);
}

static inline void neg_end(struct bbuf *b, size_t start)
{
	bb_put_le32_at(b, start + 8, (uint32_t)(b->len - start - 12));
}

static inline void rpc_request_header(struct bbuf *b, bool with_timeout,
				      uint64_t timeout_ms, uint64_t verb,
				      int64_t msg_id, uint32_t len)
{
	if (with_timeout)
		bb_u64(b, timeout_ms);
	bb_u64(b, verb);
	bb_i64(b, msg_id);
	bb_u32(b, len);
}

static inline void rpc_response_header(struct bbuf *b, bool with_duration,
				       int64_t msg_id, uint32_t len,
				       uint32_t duration_us)
{
	bb_i64(b, msg_id);
	bb_u32(b, len);
	if (with_duration)
		bb_u32(b, duration_us);
}

/* exception payloads (rpc_impl.hh): type u32 | len u32 | data */
static inline void rpc_exception_user(struct bbuf *b, const char *text)
{
	bb_u32(b, 0);
	idl_str(b, text);
}

static inline void rpc_exception_unknown_verb(struct bbuf *b, uint64_t verb)
{
	bb_u32(b, 1);
	bb_u32(b, 8);
	bb_u64(b, verb);
}

/* ---- bodies (ScyllaDB idl/) ---- */

/* partition_key / clustering_key_prefix: frame | vector<bytes> */
static inline void idl_key(struct bbuf *b, const void *const *parts,
			   const size_t *lens, unsigned n)
{
	size_t f = idl_begin(b);
	bb_u32(b, n);
	for (unsigned i = 0; i < n; i++)
		idl_blob(b, parts[i], lens[i]);
	idl_end(b, f);
}

static inline void idl_key1(struct bbuf *b, const void *p, size_t n)
{
	const void *parts[1] = { p };
	size_t lens[1] = { n };
	idl_key(b, parts, lens, 1);
}

#define API_MISSING_TIMESTAMP INT64_MIN

/* tombstone [[writable]]: frame | timestamp i64 | deletion_time u64 */
static inline void idl_tombstone(struct bbuf *b, int64_t ts, uint64_t when)
{
	size_t f = idl_begin(b);
	bb_i64(b, ts);
	bb_u64(b, when);
	idl_end(b, f);
}

/* A view variant: size u32 | index u32 | alternative; vb_end closes it. */
static inline size_t vb_begin(struct bbuf *b, uint32_t index)
{
	size_t at = idl_begin(b);
	bb_u32(b, index);
	return at;
}
#define vb_end idl_end

/* One regular column holding a live cell:
 * column: frame | id u32 | variant<variant<live,...>, collection>
 * live_cell: frame | created_at i64 | value bytes */
static inline void idl_live_column(struct bbuf *b, uint32_t id, int64_t ts,
				   const void *value, size_t len)
{
	size_t col = idl_begin(b);
	bb_u32(b, id);
	size_t outer = vb_begin(b, 0);	/* atomic cell, not a collection */
	size_t inner = vb_begin(b, 0);	/* live_cell */
	size_t cell = idl_begin(b);
	bb_i64(b, ts);
	idl_blob(b, value, len);
	idl_end(b, cell);
	vb_end(b, inner);
	vb_end(b, outer);
	idl_end(b, col);
}

/* A mutation of a table (pk int, v text) with one row, or with none
 * (the empty proposal of a failed LWT).  frozen_mutation is final: its
 * bytes (u32 len) hold the `mutation` view. */
struct mutation_spec {
	struct uuid table_id, schema_version;
	const uint8_t *pkey;
	size_t pkey_len;
	bool has_row;
	uint32_t column_id;	/* of v */
	int64_t timestamp;	/* microseconds */
	const char *value;
};

static inline void idl_mutation_view(struct bbuf *b,
				     const struct mutation_spec *s)
{
	size_t mut = idl_begin(b);
	idl_uuid(b, s->table_id);
	idl_uuid(b, s->schema_version);
	idl_key1(b, s->pkey, s->pkey_len);
	size_t part = idl_begin(b);
	idl_tombstone(b, API_MISSING_TIMESTAMP, 0);	/* partition tomb */
	size_t st = idl_begin(b);			/* static row */
	bb_u32(b, 0);
	idl_end(b, st);
	bb_u32(b, 0);					/* range tombstones */
	bb_u32(b, s->has_row ? 1 : 0);			/* rows */
	if (s->has_row) {
		size_t row = idl_begin(b);
		idl_key(b, NULL, NULL, 0);		/* no clustering key */
		size_t marker = vb_begin(b, 0);		/* live_marker */
		size_t lm = idl_begin(b);
		bb_i64(b, s->timestamp);
		idl_end(b, lm);
		vb_end(b, marker);
		idl_tombstone(b, API_MISSING_TIMESTAMP, 0);	/* deleted_at */
		size_t cells = idl_begin(b);
		bb_u32(b, 1);
		idl_live_column(b, s->column_id, s->timestamp, s->value,
				strlen(s->value));
		idl_end(b, cells);
		idl_tombstone(b, API_MISSING_TIMESTAMP, 0);	/* shadowable */
		idl_end(b, row);
	}
	idl_end(b, part);
	idl_end(b, mut);
}

static inline void idl_frozen_mutation(struct bbuf *b,
				       const struct mutation_spec *s)
{
	struct bbuf m = { 0 };
	idl_mutation_view(&m, s);
	idl_blob(b, m.p, m.len);
	bb_free(&m);
}

/* service::fencing_token: frame | topology_version i64 */
static inline void idl_fencing_token(struct bbuf *b, int64_t version)
{
	size_t f = idl_begin(b);
	bb_i64(b, version);
	idl_end(b, f);
}

struct write_spec {
	const struct mutation_spec *mutation;
	uint32_t reply_to;		/* coordinator's address */
	uint32_t shard;
	uint64_t response_id;
	struct uuid reply_to_id;	/* coordinator's host id */
	int64_t fence_version;
};

/* MUTATION (1): frozen_mutation, forward vector, reply_to, shard,
 * response_id, trace_info?, rate limit variant, fencing token, forward_id
 * vector, reply_to_id, skip_large_data_guardrails */
static inline void body_mutation(struct bbuf *b, const struct write_spec *w)
{
	idl_frozen_mutation(b, w->mutation);
	bb_u32(b, 0);			/* forward: none */
	idl_inet4(b, w->reply_to);
	bb_u32(b, w->shard);
	bb_u64(b, w->response_id);
	idl_absent(b);			/* trace_info */
	bb_u8(b, 0);			/* rate limit info: monostate */
	idl_fencing_token(b, w->fence_version);
	bb_u32(b, 0);			/* forward_id: none */
	idl_uuid(b, w->reply_to_id);
	bb_u8(b, 0);			/* skip_large_data_guardrails */
}

/* MUTATION_DONE (2): shard, response_id, backlog, large_data_violations */
static inline void body_mutation_done(struct bbuf *b, uint32_t shard,
				      uint64_t response_id,
				      uint64_t backlog_current,
				      uint64_t backlog_max)
{
	bb_u32(b, shard);
	bb_u64(b, response_id);
	size_t f = idl_begin(b);
	bb_u64(b, backlog_current);
	bb_u64(b, backlog_max);
	idl_end(b, f);
	bb_u8(b, 0);
}

/* CLIENT_ID (0) */
static inline void body_client_id(struct bbuf *b, uint32_t broadcast,
				  uint32_t cpu, uint64_t max_result_size,
				  struct uuid host_id, const struct uuid *dst,
				  int32_t generation)
{
	idl_inet4(b, broadcast);
	bb_u32(b, cpu);
	bb_u64(b, max_result_size);
	idl_uuid(b, host_id);
	if (dst) {
		idl_present(b);
		idl_uuid(b, *dst);
	} else {
		idl_absent(b);
	}
	bb_i32(b, generation);
}

/* partition_slice option bits (query-request.hh, enum_set order) */
enum {
	SLICE_SEND_CLUSTERING_KEY = 1 << 0,
	SLICE_SEND_PARTITION_KEY = 1 << 1,
	SLICE_SEND_TIMESTAMP = 1 << 2,
	SLICE_ALLOW_SHORT_READ = 1 << 8,
};

struct read_spec {
	struct uuid table_id, schema_version, query_id;
	uint32_t regular_column;
	uint64_t options;
	uint32_t row_limit;
	uint64_t now_s;		/* gc_clock seconds */
	const uint8_t *pkey;
	size_t pkey_len;
	int64_t token;
};

/* query::read_command */
static inline void idl_read_command(struct bbuf *b, const struct read_spec *r)
{
	size_t cmd = idl_begin(b);
	idl_uuid(b, r->table_id);
	idl_uuid(b, r->schema_version);
	size_t slice = idl_begin(b);
	bb_u32(b, 1);			/* default_row_ranges: the full range */
	size_t iv = idl_begin(b);
	idl_absent(b);
	idl_absent(b);
	bb_u8(b, 0);			/* not singular */
	idl_end(b, iv);
	bb_u32(b, 0);			/* static columns */
	bb_u32(b, 1);			/* regular columns */
	bb_u32(b, r->regular_column);
	bb_u64(b, r->options);
	idl_absent(b);			/* specific ranges */
	bb_u8(b, 4);			/* cql_serialization_format v4 */
	bb_u32(b, UINT32_MAX);		/* partition_row_limit low */
	bb_u32(b, 0);			/* partition_row_limit high */
	idl_end(b, slice);
	bb_u32(b, r->row_limit);	/* row_limit low */
	bb_u64(b, r->now_s);		/* timestamp */
	idl_absent(b);			/* trace_info */
	bb_u32(b, UINT32_MAX);		/* partition_limit */
	idl_uuid(b, r->query_id);
	bb_u8(b, 1);			/* is_first_page */
	idl_present(b);			/* max_result_size */
	size_t mrs = idl_begin(b);
	bb_u64(b, 1u << 20);
	bb_u64(b, 100u << 20);
	bb_u64(b, 1u << 20);
	idl_end(b, mrs);
	bb_u32(b, 0);			/* row_limit high */
	bb_u64(b, 10000);		/* tombstone_limit */
	idl_end(b, cmd);
}

/* dht::token: frame | kind i32 (1 = key) | data bytes (i64 big-endian) */
static inline void idl_token(struct bbuf *b, int64_t token)
{
	size_t f = idl_begin(b);
	bb_i32(b, 1);
	bb_u32(b, 8);
	for (int i = 7; i >= 0; i--)
		bb_u8(b, (uint8_t)((uint64_t)token >> (8 * i)));
	idl_end(b, f);
}

/* A singular partition range: wrapping_interval<ring_position> */
static inline void idl_partition_range(struct bbuf *b, int64_t token,
				       const uint8_t *pkey, size_t pkey_len)
{
	size_t iv = idl_begin(b);
	idl_present(b);			/* start */
	size_t bound = idl_begin(b);
	size_t rp = idl_begin(b);
	idl_token(b, token);
	bb_u8(b, (uint8_t)-1);		/* token_bound::start */
	idl_present(b);
	idl_key1(b, pkey, pkey_len);
	idl_end(b, rp);
	bb_u8(b, 1);			/* inclusive */
	idl_end(b, bound);
	idl_absent(b);			/* end */
	bb_u8(b, 1);			/* singular */
	idl_end(b, iv);
}

/* READ_DATA (3) / READ_DIGEST (5): read_command, range, digest algorithm,
 * rate limit variant, fencing token */
static inline void body_read(struct bbuf *b, const struct read_spec *r,
			     int64_t fence_version)
{
	idl_read_command(b, r);
	idl_partition_range(b, r->token, r->pkey, r->pkey_len);
	bb_u8(b, 2);			/* digest algorithm: xxHash */
	bb_u8(b, 0);			/* rate limit: monostate */
	idl_fencing_token(b, fence_version);
}

/* replica::exception_variant: frame | variant index u8 | alternative
 * (1 = no_exception, an empty framed struct) */
static inline void idl_no_exception(struct bbuf *b)
{
	size_t f = idl_begin(b);
	bb_u8(b, 1);
	size_t e = idl_begin(b);
	idl_end(b, e);
	idl_end(b, f);
}

/* query::result with one partition holding one row of one text cell. */
static inline void idl_query_result(struct bbuf *b, const uint8_t *pkey,
				    size_t pkey_len, const char *value,
				    const uint8_t digest[16],
				    int64_t last_modified)
{
	struct bbuf qr = { 0 };
	size_t top = idl_begin(&qr);
	bb_u32(&qr, 1);				/* partitions */
	size_t part = idl_begin(&qr);
	idl_present(&qr);
	idl_key1(&qr, pkey, pkey_len);
	size_t st = idl_begin(&qr);		/* static row: no cells */
	bb_u32(&qr, 0);
	idl_end(&qr, st);
	bb_u32(&qr, 1);				/* rows */
	size_t row = idl_begin(&qr);
	idl_absent(&qr);			/* clustering key */
	size_t cells = idl_begin(&qr);
	bb_u32(&qr, 1);
	idl_present(&qr);
	size_t cell = idl_begin(&qr);
	idl_absent(&qr);			/* timestamp */
	idl_absent(&qr);			/* expiry */
	idl_str(&qr, value);
	idl_absent(&qr);			/* ttl */
	idl_end(&qr, cell);
	idl_end(&qr, cells);
	idl_end(&qr, row);
	idl_end(&qr, part);
	idl_end(&qr, top);

	size_t res = idl_begin(b);
	idl_blob(b, qr.p, qr.len);
	if (digest) {
		idl_present(b);
		bb_raw(b, digest, 16);
	} else {
		idl_absent(b);
	}
	bb_i64(b, last_modified);
	bb_u8(b, 0);			/* not a short read */
	idl_present(b);
	bb_u32(b, 1);			/* row count low */
	idl_present(b);
	bb_u32(b, 1);			/* partition count */
	idl_present(b);
	bb_u32(b, 0);			/* row count high */
	idl_absent(b);			/* last position */
	idl_end(b, res);
	bb_free(&qr);
}

/* READ_DATA's response: result, cache temperature, exception variant */
static inline void body_read_data_response(struct bbuf *b,
					   const uint8_t *pkey,
					   size_t pkey_len,
					   const char *value,
					   const uint8_t digest[16],
					   int64_t last_modified,
					   uint8_t hit_rate)
{
	idl_query_result(b, pkey, pkey_len, value, digest, last_modified);
	bb_u8(b, hit_rate);
	idl_no_exception(b);
}

/* READ_DIGEST's response: digest[16], timestamp, cache temperature,
 * exception variant, last position */
static inline void body_read_digest_response(struct bbuf *b,
					     const uint8_t digest[16],
					     int64_t last_modified,
					     uint8_t hit_rate)
{
	bb_raw(b, digest, 16);
	bb_i64(b, last_modified);
	bb_u8(b, hit_rate);
	idl_no_exception(b);
	idl_absent(b);
}

/* ---- gossip (idl/gossip_digest.idl.hh) ---- */

struct gossip_digest {
	uint32_t endpoint;
	int32_t generation, max_version;
};

static inline void idl_gossip_digests(struct bbuf *b,
				      const struct gossip_digest *d,
				      unsigned n)
{
	bb_u32(b, n);
	for (unsigned i = 0; i < n; i++) {
		size_t f = idl_begin(b);
		idl_inet4(b, d[i].endpoint);
		bb_i32(b, d[i].generation);
		bb_i32(b, d[i].max_version);
		idl_end(b, f);
	}
}

struct app_state {
	int32_t state;
	const char *value;
	int32_t version;
};

struct endpoint_state {
	uint32_t endpoint;
	int32_t generation, heart_beat;
	const struct app_state *states;
	unsigned nstates;
};

/* std::map<inet_address, endpoint_state> */
static inline void idl_endpoint_states(struct bbuf *b,
				       const struct endpoint_state *e,
				       unsigned n)
{
	bb_u32(b, n);
	for (unsigned i = 0; i < n; i++) {
		idl_inet4(b, e[i].endpoint);
		size_t es = idl_begin(b);
		size_t hb = idl_begin(b);
		bb_i32(b, e[i].generation);
		bb_i32(b, e[i].heart_beat);
		idl_end(b, hb);
		bb_u32(b, e[i].nstates);
		for (unsigned k = 0; k < e[i].nstates; k++) {
			bb_i32(b, e[i].states[k].state);
			size_t vv = idl_begin(b);
			idl_str(b, e[i].states[k].value);
			bb_i32(b, e[i].states[k].version);
			idl_end(b, vv);
		}
		idl_end(b, es);
	}
}

static inline void body_gossip_syn(struct bbuf *b, const char *cluster,
				   const char *partitioner,
				   const struct gossip_digest *d, unsigned n,
				   struct uuid group0, struct uuid leader)
{
	size_t f = idl_begin(b);
	idl_str(b, cluster);
	idl_str(b, partitioner);
	idl_gossip_digests(b, d, n);
	idl_uuid(b, group0);
	idl_uuid(b, leader);
	idl_end(b, f);
}

static inline void body_gossip_ack(struct bbuf *b,
				   const struct gossip_digest *d, unsigned n,
				   const struct endpoint_state *e, unsigned ne)
{
	size_t f = idl_begin(b);
	idl_gossip_digests(b, d, n);
	idl_endpoint_states(b, e, ne);
	idl_end(b, f);
}

static inline void body_gossip_ack2(struct bbuf *b,
				    const struct endpoint_state *e,
				    unsigned ne)
{
	size_t f = idl_begin(b);
	idl_endpoint_states(b, e, ne);
	idl_end(b, f);
}

static inline void body_gossip_echo(struct bbuf *b, int64_t generation,
				    bool notify_up)
{
	bb_i64(b, generation);
	bb_u8(b, notify_up);
}

/* ---- Paxos (idl/paxos.idl.hh, idl/storage_proxy.idl.hh) ---- */

/* service::paxos::proposal: frame | ballot | frozen_mutation */
static inline void idl_proposal(struct bbuf *b, struct uuid ballot,
				const struct mutation_spec *m)
{
	size_t f = idl_begin(b);
	idl_uuid(b, ballot);
	idl_frozen_mutation(b, m);
	idl_end(b, f);
}

static inline void body_paxos_prepare(struct bbuf *b,
				      const struct read_spec *r,
				      struct uuid ballot, bool only_digest,
				      int64_t fence_version)
{
	idl_read_command(b, r);
	idl_key1(b, r->pkey, r->pkey_len);
	idl_uuid(b, ballot);
	bb_u8(b, only_digest);
	bb_u8(b, 2);			/* xxHash */
	idl_absent(b);			/* trace_info */
	idl_fencing_token(b, fence_version);
}

/* The prepare response: unique_ptr (present u8) to
 * std::variant<UUID, promise> (index u8).  A promise with the current
 * value of the row (data) or nothing read yet. */
static inline void body_paxos_promise(struct bbuf *b, const uint8_t *pkey,
				      size_t pkey_len, const char *value,
				      int64_t last_modified)
{
	idl_present(b);
	bb_u8(b, 1);			/* promise */
	size_t f = idl_begin(b);
	idl_absent(b);			/* accepted proposal */
	idl_absent(b);			/* most recent commit */
	idl_present(b);			/* data or digest */
	bb_u8(b, 0);			/* data */
	if (value) {
		idl_query_result(b, pkey, pkey_len, value, NULL,
				 last_modified);
	} else {
		/* an empty result: no partition */
		struct bbuf qr = { 0 };
		size_t top = idl_begin(&qr);
		bb_u32(&qr, 0);
		idl_end(&qr, top);
		size_t res = idl_begin(b);
		idl_blob(b, qr.p, qr.len);
		idl_absent(b);
		bb_i64(b, API_MISSING_TIMESTAMP);
		bb_u8(b, 0);
		idl_present(b);
		bb_u32(b, 0);
		idl_present(b);
		bb_u32(b, 0);
		idl_present(b);
		bb_u32(b, 0);
		idl_absent(b);
		idl_end(b, res);
		bb_free(&qr);
	}
	idl_end(b, f);
}

/* The prepare response rejecting the ballot: a newer promised one. */
static inline void body_paxos_reject(struct bbuf *b, struct uuid newer)
{
	idl_present(b);
	bb_u8(b, 0);
	idl_uuid(b, newer);
}

static inline void body_paxos_accept(struct bbuf *b, struct uuid ballot,
				     const struct mutation_spec *m,
				     int64_t fence_version)
{
	idl_proposal(b, ballot, m);
	idl_absent(b);			/* trace_info */
	idl_fencing_token(b, fence_version);
}

static inline void body_paxos_learn(struct bbuf *b, struct uuid ballot,
				    const struct mutation_spec *m,
				    uint32_t reply_to, uint32_t shard,
				    uint64_t response_id,
				    struct uuid reply_to_id,
				    int64_t fence_version)
{
	idl_proposal(b, ballot, m);
	bb_u32(b, 0);			/* forward */
	idl_inet4(b, reply_to);
	bb_u32(b, shard);
	bb_u64(b, response_id);
	idl_absent(b);			/* trace_info */
	bb_u32(b, 0);			/* forward_id */
	idl_uuid(b, reply_to_id);
	idl_fencing_token(b, fence_version);
}

static inline void body_paxos_prune(struct bbuf *b, struct uuid schema,
				    const uint8_t *pkey, size_t pkey_len,
				    struct uuid ballot, int64_t fence_version)
{
	idl_uuid(b, schema);
	idl_key1(b, pkey, pkey_len);
	idl_uuid(b, ballot);
	idl_absent(b);
	idl_fencing_token(b, fence_version);
}

/* ---- streaming (message/messaging_service.cc,
 * idl/streaming.idl.hh) ---- */

static inline void body_stream_mutation_fragments(
	struct bbuf *b, struct uuid plan, struct uuid schema, struct uuid cf,
	uint64_t estimated_partitions, uint8_t reason, uint64_t sink_id,
	struct uuid session)
{
	idl_uuid(b, plan);
	idl_uuid(b, schema);
	idl_uuid(b, cf);
	bb_u64(b, estimated_partitions);
	bb_u8(b, reason);
	bb_u64(b, sink_id);
	size_t f = idl_begin(b);	/* service::session_id is not final */
	idl_uuid(b, session);
	idl_end(b, f);
}

/* A stream frame's payload towards the receiver: frozen_mutation_fragment
 * (bytes) | stream_mutation_fragments_cmd u8 */
static inline void body_fragment(struct bbuf *b, const void *frag,
				 size_t len, uint8_t cmd)
{
	idl_blob(b, frag, len);
	bb_u8(b, cmd);
}

#endif
