/* pending.h - one connection's requests waiting for their responses,
 * matched by msg id.
 *
 * A ring in the order the requests came: the oldest gives way first,
 * in O(1), when the table may not grow (past SCYLLA_PENDING_MAX, or when
 * the bytes every connection shares are spent), and is counted
 * unanswered.  Seastar numbers a connection's requests upwards, so while
 * the ids came in order a response finds its request by binary search;
 * ids out of order (a hostile or cut capture) fall back to a scan of at
 * most SCYLLA_PENDING_MAX entries, the newest first (the newer of two
 * requests with one id wins).
 */
#ifndef TAPLINE_SCYLLA_PENDING_H
#define TAPLINE_SCYLLA_PENDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/budget.h"

#define SCYLLA_PENDING_MAX 4096u	/* power of two */

struct scylla_request {
	int64_t msg_id;
	int64_t ts_ns;
	uint64_t frame;
	uint16_t verb;
	bool answered;		/* a hole the head steps over */
};

struct scylla_pending {
	struct scylla_request *ring;
	uint32_t cap;		/* power of two, 0 before the first */
	uint32_t head, tail;	/* positions in use: tail - head */
	uint32_t waiting;	/* of them, not answered */
	bool unordered;		/* an id came that was not above the last */
	int64_t last_id;
	struct memory_budget *budget;	/* charged the ring's bytes */
	uint64_t given_way;	/* oldest requests dropped for room */
};

/* The shared bound (NULL: none) the ring's bytes are charged to; set
 * before the first request. */
void scylla_pending_budget(struct scylla_pending *p,
			   struct memory_budget *budget);

void scylla_pending_add(struct scylla_pending *p, int64_t msg_id,
			uint16_t verb, uint64_t frame, int64_t ts_ns);

/* The request msg_id answers: true and *out filled (and it is no longer
 * waiting), or false. */
bool scylla_pending_take(struct scylla_pending *p, int64_t msg_id,
			 struct scylla_request *out);

/* Requests never answered: those still waiting and those that gave way. */
static inline uint64_t scylla_pending_unanswered(const struct scylla_pending *p)
{
	return p->waiting + p->given_way;
}

void scylla_pending_free(struct scylla_pending *p);

#endif
