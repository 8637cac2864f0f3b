/* waiting.c - the requests of every connection in one ring, in order of
 * arrival, and per connection an index into it (see waiting.h).
 *
 * Ring positions are 32-bit counters that wrap; a request at position p
 * lies in ring[p & (cap - 1)], cap a power of two, so the ring grows and
 * shrinks without renumbering anything.  An answered request leaves a
 * hole (table == WAITING_NO_TABLE) until the head passes it or the ring is
 * compacted; compaction renumbers the requests that move and updates
 * their tables' index slots.
 */
#include "waiting.h"

#include <stdlib.h>
#include <string.h>

#define RING_MIN 64u		/* requests: 3 KiB */
#define RING_MAX (1u << 31)

static size_t ring_bytes(uint32_t cap)
{
	return cap ? budget_alloc_size((size_t)cap * sizeof(struct waiting_request))
		   : 0;
}

static size_t index_bytes(uint32_t cap)
{
	return cap ? budget_alloc_size((size_t)cap * sizeof(struct waiting_slot))
		   : 0;
}

static size_t slots_bytes(uint32_t cap)
{
	return cap ? budget_alloc_size((size_t)cap *
				       (sizeof(struct waiting_table *) +
					sizeof(uint32_t)))
		   : 0;
}

/* ---- the set ---- */

struct waiting_set *waiting_set_new(struct memory_budget *budget,
				    waiting_expired_fn on_expired, void *ctx)
{
	struct waiting_set *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->budget = budget;
	s->on_expired = on_expired;
	s->ctx = ctx;
	budget_force(budget, budget_alloc_size(sizeof *s));
	return s;
}

void waiting_set_free(struct waiting_set *s)
{
	if (!s)
		return;
	budget_release(s->budget, ring_bytes(s->cap) +
				  slots_bytes(s->slots_cap) +
				  budget_alloc_size(sizeof *s));
	free(s->ring);
	free(s->tables);
	free(s->free_slots);
	free(s);
}

void waiting_set_reset(struct waiting_set *s)
{
	if (!s)
		return;
	budget_release(s->budget, ring_bytes(s->cap) +
				  slots_bytes(s->slots_cap));
	free(s->ring);
	free(s->tables);
	free(s->free_slots);
	*s = (struct waiting_set){ .budget = s->budget,
				   .on_expired = s->on_expired,
				   .ctx = s->ctx };
}

uint64_t waiting_set_count(const struct waiting_set *s)
{
	return s ? s->count : 0;
}

uint64_t waiting_set_expired(const struct waiting_set *s)
{
	return s ? s->expired : 0;
}

/* ---- a table's index: open addressing, linear probing ---- */

/* The slot holding position pos, whose request hashes to h. */
static uint32_t index_slot_of(const struct waiting_table *t, uint32_t h,
			      uint32_t pos)
{
	uint32_t mask = t->index_cap - 1, i = waiting_home(h, t->index_cap);
	while (t->index[i].pos != pos || t->index[i].hash != h)
		i = (i + 1) & mask;
	return i;
}

static void index_put(struct waiting_slot *index, uint32_t cap, uint32_t h,
		      uint32_t pos)
{
	uint32_t i = waiting_home(h, cap);
	while (index[i].hash)
		i = (i + 1) & (cap - 1);
	index[i] = (struct waiting_slot){ pos, h };
}

static bool index_resize(struct waiting_table *t, uint32_t cap, bool charge)
{
	struct waiting_set *s = t->set;
	size_t old = index_bytes(t->index_cap), new = index_bytes(cap);
	if (new > old && charge && !budget_charge(s->budget, new - old))
		return false;
	struct waiting_slot *index = calloc(cap, sizeof *index);
	if (!index) {
		if (new > old && charge)
			budget_release(s->budget, new - old);
		return false;
	}
	for (uint32_t i = 0; i < t->index_cap; i++)
		if (t->index[i].hash)
			index_put(index, cap, t->index[i].hash,
				  t->index[i].pos);
	free(t->index);
	t->index = index;
	t->index_cap = cap;
	if (new < old)
		budget_release(s->budget, old - new);
	else if (!charge)
		budget_force(s->budget, new - old);
	return true;
}

/* A table that emptied gives back what its index grew to. */
void waiting_index_shrink(struct waiting_table *t)
{
	uint32_t cap = WAITING_INDEX_MIN;
	while (cap < t->count * 4)
		cap <<= 1;
	index_resize(t, cap, false);	/* failing keeps the larger one */
}

static void index_maybe_shrink(struct waiting_table *t)
{
	if (t->index_cap > WAITING_INDEX_MIN && (uint64_t)t->count * 8 < t->index_cap)
		waiting_index_shrink(t);
}

/* ---- the ring ---- */

/* Moves the waiting requests together at the head, renumbering those
 * that move in their tables' indexes. */
static void compact(struct waiting_set *s)
{
	uint32_t w = s->head;
	for (uint32_t r = s->head; r != s->tail; r++) {
		struct waiting_request *e = waiting_at(s, r);
		if (e->table == WAITING_NO_TABLE)
			continue;
		if (r != w) {
			struct waiting_table *t = s->tables[e->table];
			uint32_t h = waiting_hash(e->id, e->direction);
			t->index[index_slot_of(t, h, r)].pos = w;
			*waiting_at(s, w) = *e;
		}
		w++;
	}
	s->tail = w;
	s->holes = 0;
}

/* Doubles the ring (or makes the first one); false when the budget or
 * malloc says no. */
static bool grow_ring(struct waiting_set *s)
{
	uint32_t cap = s->cap ? s->cap * 2 : RING_MIN;
	if (s->cap >= RING_MAX)
		return false;
	size_t more = ring_bytes(cap) - ring_bytes(s->cap);
	if (!budget_charge(s->budget, more))
		return false;
	struct waiting_request *ring = realloc(s->ring, (size_t)cap *
					       sizeof *ring);
	if (!ring) {
		budget_release(s->budget, more);
		return false;
	}
	/* Positions whose bit `old cap` is set now lie in the new half. */
	uint32_t old = s->cap;
	for (uint32_t p = s->head; old && p != s->tail; p++)
		if (p & old)
			ring[(p & (old - 1)) + old] = ring[p & (old - 1)];
	s->ring = ring;
	s->cap = cap;
	return true;
}

/* Halves a ring whose used positions fit in half of it. */
static size_t shrink_ring(struct waiting_set *s)
{
	uint32_t half = s->cap / 2;
	for (uint32_t p = s->head; p != s->tail; p++)
		if ((p & (s->cap - 1)) >= half)
			s->ring[p & (half - 1)] = s->ring[p & (s->cap - 1)];
	size_t freed = ring_bytes(s->cap) - ring_bytes(half);
	struct waiting_request *ring = realloc(s->ring, (size_t)half *
					       sizeof *ring);
	if (ring)	/* else the block stays larger than it needs */
		s->ring = ring;
	s->cap = half;
	budget_release(s->budget, freed);
	return freed;
}

/* The oldest waiting request expires; false if none waits. */
static bool expire_oldest(struct waiting_set *s)
{
	waiting_skip_holes(s);
	if (s->head == s->tail)
		return false;
	struct waiting_request *e = waiting_at(s, s->head);
	struct waiting_table *t = s->tables[e->table];
	t->expired++;
	s->expired++;
	if (s->on_expired)
		s->on_expired(s->ctx, t, e);
	waiting_unindex(t, index_slot_of(t, waiting_hash(e->id, e->direction),
					 s->head));
	t->count--;
	s->count--;
	e->table = WAITING_NO_TABLE;
	s->head++;
	waiting_skip_holes(s);
	index_maybe_shrink(t);
	return true;
}

static size_t release(struct waiting_set *s, size_t want)
{
	size_t freed = 0;
	while (freed < want && s->cap > RING_MIN) {
		if (s->holes)
			compact(s);
		while (s->count > s->cap / 2)
			expire_oldest(s);
		freed += shrink_ring(s);
	}
	return freed;
}

size_t waiting_set_release(struct waiting_set *s, size_t want)
{
	if (!s || s->busy)
		return 0;
	s->busy = true;
	size_t freed = release(s, want);
	s->busy = false;
	return freed;
}

/* Room for one more request in the ring: the holes go if they are many,
 * else the ring grows, else the holes go, else the oldest expires. */
static bool ring_room(struct waiting_set *s)
{
	if (s->cap && s->tail - s->head < s->cap)
		return true;
	if (s->cap && s->holes >= s->cap / 4) {
		compact(s);
		return true;
	}
	if (grow_ring(s))
		return true;
	if (s->holes) {
		compact(s);
		return true;
	}
	return expire_oldest(s);
}

/* ---- tables ---- */

void waiting_table_init(struct waiting_table *t, struct waiting_set *s,
			uint64_t conversation)
{
	*t = (struct waiting_table){ .set = s, .slot = WAITING_NO_TABLE,
				     .conversation = conversation };
}

static bool table_register(struct waiting_table *t)
{
	struct waiting_set *s = t->set;
	if (s->nfree) {
		t->slot = s->free_slots[--s->nfree];
	} else {
		if (s->nslots == s->slots_cap) {
			uint32_t cap = s->slots_cap ? s->slots_cap * 2 : 64;
			size_t more = slots_bytes(cap) - slots_bytes(s->slots_cap);
			if (!budget_charge(s->budget, more))
				return false;
			struct waiting_table **tables =
				realloc(s->tables, cap * sizeof *tables);
			if (tables)
				s->tables = tables;
			uint32_t *free_slots = tables ?
				realloc(s->free_slots, cap * sizeof *free_slots) :
				NULL;
			if (!free_slots) {
				budget_release(s->budget, more);
				return false;
			}
			s->free_slots = free_slots;
			s->slots_cap = cap;
		}
		t->slot = s->nslots++;
	}
	s->tables[t->slot] = t;
	return true;
}

/* Room for one more request of t, which found none on the fast path:
 * its slot in the set, a larger index, a larger (or compacted) ring. */
static bool make_room(struct waiting_table *t)
{
	struct waiting_set *s = t->set;
	s->busy = true;
	bool room = t->slot != WAITING_NO_TABLE || table_register(t);
	/* The index at most half full; if the budget says no, the ring
	 * gives back what it can, once.  Then room in the ring, which
	 * grows only into what the index left. */
	if (room && (t->count + 1) * 2 > t->index_cap) {
		uint32_t cap = t->index_cap ? t->index_cap * 2 : WAITING_INDEX_MIN;
		room = index_resize(t, cap, true) ||
		       (release(s, index_bytes(cap) - index_bytes(t->index_cap)) &&
			index_resize(t, cap, true));
	}
	room = room && ring_room(s);
	s->busy = false;
	return room;
}

bool waiting_insert_slow(struct waiting_table *t,
			 const struct waiting_request *req)
{
	struct waiting_set *s = t->set;
	struct waiting_request r = *req;
	if ((t->slot == WAITING_NO_TABLE || (t->count + 1) * 2 > t->index_cap ||
	     s->tail - s->head >= s->cap) && !make_room(t)) {
		r.table = t->slot;
		t->expired++;
		s->expired++;
		if (s->on_expired)	/* refused: it expires at once */
			s->on_expired(s->ctx, t, &r);
		return false;
	}
	r.table = t->slot;
	uint32_t h = waiting_hash(r.id, r.direction);
	bool found;
	uint32_t i = waiting_probe(t, r.id, r.direction, h, &found);
	uint32_t pos = s->tail++;
	*waiting_at(s, pos) = r;
	if (found) {
		/* the same id again: the older one leaves a hole */
		waiting_at(s, t->index[i].pos)->table = WAITING_NO_TABLE;
		s->holes++;
		t->index[i].pos = pos;
		waiting_skip_holes(s);
	} else {
		t->index[i] = (struct waiting_slot){ pos, h };
		t->count++;
		s->count++;
	}
	return true;
}

uint32_t waiting_table_close(struct waiting_table *t)
{
	struct waiting_set *s = t->set;
	uint32_t n = t->count;
	if (!s)
		return n;
	for (uint32_t i = 0; i < t->index_cap; i++)
		if (t->index[i].hash) {
			waiting_at(s, t->index[i].pos)->table = WAITING_NO_TABLE;
			s->holes++;
		}
	s->count -= n;
	waiting_skip_holes(s);
	budget_release(s->budget, index_bytes(t->index_cap));
	free(t->index);
	if (t->slot != WAITING_NO_TABLE) {
		s->tables[t->slot] = NULL;
		s->free_slots[s->nfree++] = t->slot;
	}
	*t = (struct waiting_table){ .slot = WAITING_NO_TABLE,
				     .conversation = t->conversation,
				     .expired = t->expired };
	return n;
}
