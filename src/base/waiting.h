/* waiting.h - requests waiting for their responses: each connection's
 * table matches a response to its request by (exchange id, direction),
 * whatever the protocol calls the id (ONC-RPC XID, CQL stream id, Ceph
 * tid, Scylla message id).
 *
 *	struct waiting_set *set = waiting_set_new(&budget, on_expired, ctx);
 *	waiting_table_init(&conn->calls, set, conversation);
 *	union waiting_payload p = { .u32 = { program, version, proc } };
 *	waiting_insert(&conn->calls, xid, dir, frame, ts_ns, &p);
 *	struct waiting_request r;
 *	if (waiting_take(&conn->calls, xid, !dir, frame, &r))
 *		latency = ts_ns - r.ts_ns ...
 *	unanswered += waiting_table_close(&conn->calls);
 *	waiting_set_free(set);
 *
 * One set holds the requests of every connection in the order they
 * arrived (a ring), each table indexes its own (open addressing over
 * positions in the ring): insert, lookup and removal are O(1), and the
 * oldest request of all is the ring's first.  The set's memory is
 * charged to its budget (a share of the decoder's).  When a request
 * does not fit -- the ring cannot grow -- the oldest requests expire,
 * first come first gone, and the set's hook reports each
 * ("unanswered: response not seen within the memory budget").  The
 * decoder's budget asks waiting_set_release() for memory too, before
 * anything else gives way.
 *
 * In the decoder, a stream protocol keeps a waiting_table in its
 * per-connection state and joins it to the decoder's set in its
 * conn_init hook: waiting_table_init(&c->calls, stream_waiting(dir),
 * dir->conversation) (wire/stream.h; ONC-RPC's rpc_record.c does so).
 * A table must not move while it holds requests.
 */
#ifndef TAPLINE_WAITING_H
#define TAPLINE_WAITING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "budget.h"

/* What a protocol keeps with a request (RPC: program, version,
 * procedure), copied in and out as it is: 16 bytes, seen as it suits. */
#define WAITING_PAYLOAD 16
union waiting_payload {
	uint8_t bytes[WAITING_PAYLOAD];
	uint32_t u32[WAITING_PAYLOAD / 4];
	uint64_t u64[WAITING_PAYLOAD / 8];
};

struct waiting_request {
	uint64_t id;		/* exchange id */
	uint64_t frame;		/* where the request completed */
	int64_t ts_ns;
	union waiting_payload payload;
	uint32_t table;		/* internal: the owner's slot in the set */
	uint8_t direction;	/* the request's direction, 0 or 1 */
};

/* One slot of a table's index (internal). */
struct waiting_slot {
	uint32_t pos;		/* the request's position in the ring */
	uint32_t hash;		/* of (id, direction), odd; 0: empty */
};
struct waiting_set;

/* One connection's requests.  Zeroed, or after waiting_table_close(), a
 * table holds nothing and waiting_insert() does nothing until
 * waiting_table_init(). */
struct waiting_table {
	struct waiting_set *set;
	struct waiting_slot *index;	/* NULL until the first insert */
	uint32_t index_cap;		/* power of two */
	uint32_t count;			/* requests waiting */
	uint32_t slot;			/* in the set */
	uint64_t conversation;		/* named in expiry reports */
	uint64_t expired;		/* of this table, by the budget */
};

/* Called for each request expired by the budget, before it is gone. */
typedef void (*waiting_expired_fn)(void *ctx, const struct waiting_table *t,
				   const struct waiting_request *r);

/* budget: the set's share (its parent the decoder's); NULL: no bound.
 * on_expired may be NULL. */
struct waiting_set *waiting_set_new(struct memory_budget *budget,
				    waiting_expired_fn on_expired, void *ctx);
/* Every table must be closed first. */
void waiting_set_free(struct waiting_set *s);
/* As new again (its memory given back, its counts zero); every table
 * must be closed first. */
void waiting_set_reset(struct waiting_set *s);

/* Requests of every table: waiting now, and expired so far. */
uint64_t waiting_set_count(const struct waiting_set *s);
uint64_t waiting_set_expired(const struct waiting_set *s);

/* Gives memory back for others (the decoder's reclaim hook): drops the
 * holes answered requests left, then halves the ring, expiring the
 * oldest requests if more than half of it waits, until `want` bytes
 * are free or the ring is at its smallest.  Returns the bytes released
 * (0 from inside the set's own work). */
size_t waiting_set_release(struct waiting_set *s, size_t want);

void waiting_table_init(struct waiting_table *t, struct waiting_set *s,
			uint64_t conversation);

/* Adds a request (payload may be NULL: zeros); one with the same id and
 * direction is replaced (the newer wins, and counts as the newer).  The
 * oldest requests expire if the budget leaves no room; false when even
 * then there is none: the request itself is reported expired. */
static inline bool waiting_insert(struct waiting_table *t, uint64_t id,
				  uint8_t direction, uint64_t frame,
				  int64_t ts_ns,
				  const union waiting_payload *payload);

/* The request with that id sent in that direction, or NULL.  Valid
 * until the next change to the set. */
static inline const struct waiting_request *
waiting_find(const struct waiting_table *t, uint64_t id, uint8_t direction);

/* Finds and removes it (a response in frame `answer` answered it): true
 * and *out filled, or false.  A request that completed in that frame or
 * later answers nothing and stays: a response cannot come before its
 * request, though a hostile capture may show one so (bytes held until
 * their direction's protocol is known, or past a hole given up, are
 * decoded late but reported in the frames they came in). */
static inline bool waiting_take(struct waiting_table *t, uint64_t id,
				uint8_t direction, uint64_t answer,
				struct waiting_request *out);

static inline uint32_t waiting_count(const struct waiting_table *t)
{
	return t->count;
}

/* The connection is done: its requests are forgotten (not expired) and
 * their number returned -- its unanswered requests. */
uint32_t waiting_table_close(struct waiting_table *t);

/* ---- inside: the set, and the fast paths inlined where a protocol
 * matches (every call and reply); the rest is waiting.c's ---- */

#define WAITING_NO_TABLE UINT32_MAX	/* request.table of an answered one */
#define WAITING_INDEX_MIN 8u

struct waiting_set {
	struct waiting_request *ring;	/* in order of arrival */
	uint32_t cap;		/* power of two; 0 before the first request */
	uint32_t head, tail;	/* positions in use: tail - head, wrapping */
	uint32_t holes;		/* answered requests between head and tail */
	uint64_t count;		/* requests waiting */
	uint64_t expired;
	struct waiting_table **tables;	/* by slot */
	uint32_t *free_slots;
	uint32_t nslots, slots_cap, nfree;
	struct memory_budget *budget;
	waiting_expired_fn on_expired;
	void *ctx;
	bool busy;		/* inside an insert's slow path or a release */
};

/* Odd, so that 0 marks an empty slot; spread even for ids that count
 * up one by one (the low bits of id * odd constant cycle through every
 * value). */
static inline uint32_t waiting_hash(uint64_t id, uint8_t direction)
{
	uint64_t x = (id ^ (direction ? 0xc2b2ae3d27d4eb4full : 0)) *
		     0x9e3779b97f4a7c15ull;
	return (uint32_t)(x ^ (x >> 32)) | 1u;
}

static inline uint32_t waiting_home(uint32_t hash, uint32_t cap)
{
	return (hash >> 1) & (cap - 1);
}

static inline struct waiting_request *waiting_at(const struct waiting_set *s,
						 uint32_t pos)
{
	return &s->ring[pos & (s->cap - 1)];
}

/* The index slot of (id, direction), or the empty slot that ends its
 * probe run (*found false there). */
static inline uint32_t waiting_probe(const struct waiting_table *t,
				     uint64_t id, uint8_t direction,
				     uint32_t h, bool *found)
{
	uint32_t mask = t->index_cap - 1;
	for (uint32_t i = waiting_home(h, t->index_cap);; i = (i + 1) & mask) {
		const struct waiting_slot *slot = &t->index[i];
		if (!slot->hash) {
			*found = false;
			return i;
		}
		if (slot->hash == h) {
			const struct waiting_request *e =
				waiting_at(t->set, slot->pos);
			if (e->id == id && e->direction == direction) {
				*found = true;
				return i;
			}
		}
	}
}

/* Empties index slot i, moving later members of its probe run back so
 * that lookups never stop early (no tombstones). */
static inline void waiting_unindex(struct waiting_table *t, uint32_t i)
{
	uint32_t mask = t->index_cap - 1;
	for (uint32_t j = (i + 1) & mask; t->index[j].hash;
	     j = (j + 1) & mask) {
		uint32_t k = waiting_home(t->index[j].hash, t->index_cap);
		/* The member at j stays if its home lies cyclically in
		 * (i, j]. */
		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (!stays) {
			t->index[i] = t->index[j];
			i = j;
		}
	}
	t->index[i].hash = 0;
}

/* The head passes the answered requests before it. */
static inline void waiting_skip_holes(struct waiting_set *s)
{
	while (s->head != s->tail &&
	       waiting_at(s, s->head)->table == WAITING_NO_TABLE) {
		s->head++;
		s->holes--;
	}
}

/* waiting.c: an insert that needs room first (or replaces), and a table
 * whose index emptied. */
bool waiting_insert_slow(struct waiting_table *t,
			 const struct waiting_request *r);
void waiting_index_shrink(struct waiting_table *t);

static inline bool waiting_insert(struct waiting_table *t, uint64_t id,
				  uint8_t direction, uint64_t frame,
				  int64_t ts_ns,
				  const union waiting_payload *payload)
{
	struct waiting_set *s = t->set;
	if (!s)
		return false;
	struct waiting_request r = { .id = id, .frame = frame, .ts_ns = ts_ns,
				     .table = t->slot, .direction = direction };
	if (payload)
		r.payload = *payload;
	if (t->slot == WAITING_NO_TABLE || (t->count + 1) * 2 > t->index_cap ||
	    s->tail - s->head >= s->cap)
		return waiting_insert_slow(t, &r);
	uint32_t h = waiting_hash(id, direction);
	bool found;
	uint32_t i = waiting_probe(t, id, direction, h, &found);
	if (found)
		return waiting_insert_slow(t, &r);
	uint32_t pos = s->tail++;
	*waiting_at(s, pos) = r;
	t->index[i] = (struct waiting_slot){ pos, h };
	t->count++;
	s->count++;
	return true;
}

static inline const struct waiting_request *
waiting_find(const struct waiting_table *t, uint64_t id, uint8_t direction)
{
	if (!t->count)
		return NULL;
	bool found;
	uint32_t i = waiting_probe(t, id, direction,
				   waiting_hash(id, direction), &found);
	return found ? waiting_at(t->set, t->index[i].pos) : NULL;
}

static inline bool waiting_take(struct waiting_table *t, uint64_t id,
				uint8_t direction, uint64_t answer,
				struct waiting_request *out)
{
	if (!t->count)
		return false;
	struct waiting_set *s = t->set;
	bool found;
	uint32_t i = waiting_probe(t, id, direction,
				   waiting_hash(id, direction), &found);
	if (!found)
		return false;
	uint32_t pos = t->index[i].pos;
	struct waiting_request *e = waiting_at(s, pos);
	if (e->frame >= answer)
		return false;
	*out = *e;
	e->table = WAITING_NO_TABLE;
	s->holes++;
	waiting_unindex(t, i);
	t->count--;
	s->count--;
	if (pos == s->head)
		waiting_skip_holes(s);
	if (t->index_cap > WAITING_INDEX_MIN &&
	    (uint64_t)t->count * 8 < t->index_cap)
		waiting_index_shrink(t);
	return true;
}

#endif
