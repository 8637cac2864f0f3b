/* pending.c - one connection's requests waiting for their responses
 * (pending.h). */
#include "pending.h"

#include <stdlib.h>
#include <string.h>

#define PENDING_MIN 8u

static struct scylla_request *at(const struct scylla_pending *p,
				 uint32_t pos)
{
	return &p->ring[pos & (p->cap - 1)];
}

static void skip_holes(struct scylla_pending *p)
{
	while (p->head != p->tail && at(p, p->head)->answered)
		p->head++;
}

void scylla_pending_budget(struct scylla_pending *p,
			   struct memory_budget *budget)
{
	if (!p->cap)
		p->budget = budget;
}

/* What a ring of cap requests is charged (none: nothing). */
static size_t ring_cost(uint32_t cap)
{
	return cap ? budget_alloc_size((size_t)cap *
				       sizeof(struct scylla_request)) : 0;
}

/* The requests in order into a ring of `cap` (the same or larger),
 * without the holes. */
static bool repack(struct scylla_pending *p, uint32_t cap)
{
	/* the new ring is charged whole while the old one still is */
	size_t cost = ring_cost(cap);
	if (!budget_charge(p->budget, cost))
		return false;
	struct scylla_request *ring = malloc((size_t)cap * sizeof *ring);
	if (!ring) {
		budget_release(p->budget, cost);
		return false;
	}
	uint32_t n = 0;
	for (uint32_t pos = p->head; pos != p->tail; pos++)
		if (!at(p, pos)->answered)
			ring[n++] = *at(p, pos);
	free(p->ring);
	budget_release(p->budget, ring_cost(p->cap));
	p->ring = ring;
	p->cap = cap;
	p->head = 0;
	p->tail = n;
	return true;
}

void scylla_pending_add(struct scylla_pending *p, int64_t msg_id,
			uint16_t verb, uint64_t frame, int64_t ts_ns)
{
	if (p->tail - p->head == p->cap) {
		/* full: drop the holes if they are half of it, else grow,
		 * else the oldest gives way */
		bool room = p->cap && p->waiting <= p->cap / 2 &&
			    repack(p, p->cap);
		if (!room && p->cap < SCYLLA_PENDING_MAX)
			room = repack(p, p->cap ? p->cap * 2 : PENDING_MIN);
		if (!room) {
			if (!p->cap) {
				p->given_way++;	/* no room at all */
				return;
			}
			p->head++;	/* the head is never a hole */
			p->waiting--;
			p->given_way++;
			skip_holes(p);
		}
	}
	if (p->head == p->tail)
		p->unordered = false;
	else if (msg_id <= p->last_id)
		p->unordered = true;
	p->last_id = msg_id;
	*at(p, p->tail++) = (struct scylla_request){
		.msg_id = msg_id, .ts_ns = ts_ns, .frame = frame, .verb = verb,
	};
	p->waiting++;
}

bool scylla_pending_take(struct scylla_pending *p, int64_t msg_id,
			 struct scylla_request *out)
{
	if (!p->waiting)
		return false;
	struct scylla_request *r = NULL;
	if (!p->unordered) {
		/* ids ascend from head to tail, holes included */
		uint32_t lo = 0, hi = p->tail - p->head;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			struct scylla_request *x = at(p, p->head + mid);
			if (x->msg_id == msg_id) {
				r = x;
				break;
			}
			if (x->msg_id < msg_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (r && r->answered)
			r = NULL;
	} else {
		for (uint32_t pos = p->tail; pos != p->head; pos--) {
			struct scylla_request *x = at(p, pos - 1);
			if (!x->answered && x->msg_id == msg_id) {
				r = x;
				break;
			}
		}
	}
	if (!r)
		return false;
	*out = *r;
	r->answered = true;
	p->waiting--;
	skip_holes(p);
	return true;
}

void scylla_pending_free(struct scylla_pending *p)
{
	budget_release(p->budget, ring_cost(p->cap));
	free(p->ring);
	p->ring = NULL;
	p->cap = p->head = p->tail = p->waiting = 0;
}
