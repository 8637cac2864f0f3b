/* waiting_test.c - the table of waiting requests and the memory budget,
 * against a plain list that does the same slowly: random inserts,
 * replies, repeated ids, closes and releases over several tables, under
 * budgets from tight to none.  The oldest must expire first, every
 * lookup must agree with the list, and the budget must hold. */
#include <stdlib.h>
#include <string.h>

#include "base/budget.h"
#include "base/waiting.h"
#include "tap.h"

#define TABLES 6
#define MAX_MODEL 200000

/* The list: every request ever inserted, in order of arrival. */
struct model_request {
	int table;
	uint64_t id;
	uint8_t direction;
	uint64_t frame;
	bool waiting;
};
static struct model_request model[MAX_MODEL];
static size_t nmodel, oldest;	/* model[oldest..] may still wait */

static struct waiting_table tables[TABLES];
static unsigned bad_expiry, expiries, refused;
/* The request being inserted: refused, it is reported expired itself. */
static const struct model_request *inserting;

static int table_of(const struct waiting_table *t)
{
	return (int)(t - tables);
}

/* The set says r expired: it must be the oldest request still waiting. */
static void on_expired(void *ctx, const struct waiting_table *t,
		       const struct waiting_request *r)
{
	(void)ctx;
	expiries++;
	if (inserting && inserting->table == table_of(t) &&
	    inserting->id == r->id && inserting->direction == r->direction &&
	    inserting->frame == r->frame) {
		refused++;
		return;
	}
	while (oldest < nmodel && !model[oldest].waiting)
		oldest++;
	struct model_request *m = &model[oldest];
	if (oldest == nmodel || m->table != table_of(t) || m->id != r->id ||
	    m->direction != r->direction || m->frame != r->frame) {
		bad_expiry++;
		return;
	}
	if (r->payload.u64[0] != r->id * 3 || r->payload.u64[1] != ~r->id)
		bad_expiry++;
	m->waiting = false;
}

static struct model_request *model_find(int table, uint64_t id,
					uint8_t direction)
{
	for (size_t i = nmodel; i-- > oldest;)
		if (model[i].waiting && model[i].table == table &&
		    model[i].id == id && model[i].direction == direction)
			return &model[i];
	return NULL;
}

static uint32_t model_count(int table)
{
	uint32_t n = 0;
	for (size_t i = oldest; i < nmodel; i++)
		n += model[i].waiting && model[i].table == table;
	return n;
}

/* One run of random operations; returns the disagreements. */
static unsigned run(size_t limit, unsigned ops, unsigned idspace,
		    unsigned sequence, size_t *peak, uint64_t *expired,
		    unsigned *refusals)
{
	struct memory_budget root, share;
	budget_init(&root, limit, NULL);
	budget_init(&share, limit, &root);
	struct waiting_set *set = waiting_set_new(&share, on_expired, NULL);
	nmodel = oldest = 0;
	unsigned bad = 0;
	bad_expiry = expiries = refused = 0;
	srand(sequence);	/* one reproducible random sequence per call */
	for (int i = 0; i < TABLES; i++)
		waiting_table_init(&tables[i], set, (uint64_t)i + 1);
	for (unsigned op = 0; op < ops && nmodel < MAX_MODEL; op++) {
		int t = rand() % TABLES;
		uint64_t id = (uint64_t)(rand() % (int)idspace);
		uint8_t dir = (uint8_t)(rand() & 1);
		int what = rand() % 100;
		if (what < 55) {		/* a request */
			struct model_request *old = model_find(t, id, dir);
			union waiting_payload payload = {
				.u64 = { id * 3, ~id } };
			struct model_request next = { t, id, dir, op, true };
			inserting = &next;
			next.waiting = waiting_insert(&tables[t], id, dir, op,
						      op, &payload);
			inserting = NULL;
			/* refused, the older one still waits */
			if (old && next.waiting)
				old->waiting = false;
			model[nmodel++] = next;
		} else if (what < 95) {		/* a response */
			struct model_request *m = model_find(t, id, !dir);
			struct waiting_request r;
			bool got = waiting_take(&tables[t], id, (uint8_t)!dir,
						 UINT64_MAX, &r);
			if (got != (m != NULL) ||
			    (got && (r.frame != m->frame || r.id != id)))
				bad++;
			if (m)
				m->waiting = false;
		} else if (what < 97) {		/* a connection ends */
			uint32_t n = model_count(t);
			if (waiting_table_close(&tables[t]) != n)
				bad++;
			for (size_t i = oldest; i < nmodel; i++)
				if (model[i].table == t)
					model[i].waiting = false;
			waiting_table_init(&tables[t], set, (uint64_t)t + 1);
		} else if (what < 98) {		/* someone needs memory */
			if (limit != SIZE_MAX)
				waiting_set_release(set, 4096);
		} else {			/* a lookup */
			const struct waiting_request *r =
				waiting_find(&tables[t], id, dir);
			struct model_request *m = model_find(t, id, dir);
			if ((r != NULL) != (m != NULL) || (r && r->frame != m->frame))
				bad++;
		}
		if (waiting_count(&tables[t]) != model_count(t))
			bad++;
		if (share.used > limit)
			bad++;
	}
	*peak = share.peak;
	*expired = waiting_set_expired(set);
	*refusals = refused;
	if (*expired != expiries)
		bad++;
	for (int i = 0; i < TABLES; i++)
		if (waiting_table_close(&tables[i]) != model_count(i))
			bad++;
	if (waiting_set_count(set))
		bad++;
	waiting_set_free(set);
	if (share.used || root.used)
		bad++;
	return bad + bad_expiry;
}

static void test_against_model(void)
{
	static const struct {
		size_t limit;
		unsigned ops, ids;
	} runs[] = {
		{ SIZE_MAX, 60000, 1u << 20 },	/* no bound: nothing expires */
		{ SIZE_MAX, 60000, 50 },	/* ids repeat: holes, replaces */
		{ 16u << 10, 60000, 1u << 20 },	/* tight: expiry all along */
		{ 64u << 10, 60000, 4000 },
		{ 3u << 10, 20000, 1u << 20 },	/* smaller than the ring */
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		size_t peak;
		uint64_t expired;
		unsigned refusals;
		unsigned bad = run(runs[i].limit, runs[i].ops, runs[i].ids,
				   (unsigned)i + 1, &peak, &expired, &refusals);
		char limit[32] = "no limit";
		if (runs[i].limit != SIZE_MAX)
			snprintf(limit, sizeof limit, "limit %zu", runs[i].limit);
		ok(bad == 0, "%s, %u operations, ids < %u: agrees with "
		   "the list (%u disagreements), %llu expired (%u of them "
		   "refused at once), peak %zu", limit, runs[i].ops,
		   runs[i].ids, bad, (unsigned long long)expired, refusals,
		   peak);
		if (runs[i].limit == SIZE_MAX)
			is_int(expired, 0, "without a bound nothing expires");
		else if (runs[i].limit < 4096)
			ok(expired == refusals && refusals > 0,
			   "a budget smaller than the ring refuses each");
		else
			ok(expired > refusals && peak <= runs[i].limit,
			   "with one, the oldest expire and the bound holds");
	}
}

/* Requests answered in order of arrival, many waiting at once: the ring
 * grows, wraps and is compacted; then released down to its smallest. */
static void test_ring(void)
{
	struct memory_budget b;
	budget_init(&b, SIZE_MAX, NULL);
	struct waiting_set *set = waiting_set_new(&b, NULL, NULL);
	struct waiting_table t;
	waiting_table_init(&t, set, 1);
	unsigned bad = 0;
	for (uint64_t i = 0; i < 100000; i++) {
		waiting_insert(&t, i, 0, i, 0, NULL);
		struct waiting_request r;
		if (i >= 1000 &&	/* the one 1000 back, but keep 1 in 7 */
		    (i % 7 || i < 90000) && !waiting_take(&t, i - 1000, 0, i + 1, &r))
			bad++;
	}
	is_int(bad, 0, "every answer found its request");
	uint32_t left = waiting_count(&t);
	size_t before = b.used;
	size_t freed = waiting_set_release(set, SIZE_MAX);
	ok(freed > 0 && b.used < before && waiting_count(&t) < left,
	   "released %zu bytes, expiring %u of %u", freed,
	   left - waiting_count(&t), left);
	ok(waiting_set_expired(set) == left - waiting_count(&t),
	   "each counted as expired");
	ok(waiting_find(&t, 99999, 0) && !waiting_find(&t, 89001, 0),
	   "the newest still wait, the oldest went");
	waiting_table_close(&t);
	waiting_set_free(set);
	is_int(b.used, 0, "all given back");
}

/* A response reported in a frame before its request's (bytes held for
 * detection, decoded late, keep their own frames) does not answer it. */
static void test_answer_after_request(void)
{
	struct waiting_set *set = waiting_set_new(NULL, NULL, NULL);
	struct waiting_table t;
	waiting_table_init(&t, set, 1);
	waiting_insert(&t, 4, 0, 36, 0, NULL);
	struct waiting_request r = { 0 };
	ok(!waiting_take(&t, 4, 0, 13, &r) && !waiting_take(&t, 4, 0, 36, &r),
	   "a response in an earlier frame, or the same, answers nothing");
	ok(waiting_find(&t, 4, 0) && waiting_count(&t) == 1,
	   "the request still waits");
	ok(waiting_take(&t, 4, 0, 37, &r) && r.frame == 36 &&
	   !waiting_count(&t), "a later response takes it");
	waiting_table_close(&t);
	waiting_set_free(set);
}

static bool hook_called;
static bool refuse_hook(void *ctx, size_t want)
{
	(void)ctx;
	(void)want;
	hook_called = true;
	return false;
}

static struct memory_budget *hook_budget;
static bool freeing_hook(void *ctx, size_t want)
{
	(void)ctx;
	budget_release(hook_budget, want);
	return true;
}

static void test_budget(void)
{
	struct memory_budget root, share;
	budget_init(&root, 1000, NULL);
	budget_init(&share, 600, &root);
	ok(budget_charge(&share, 500), "a charge within both");
	is_int(root.used, 500, "counts in the parent");
	ok(!budget_charge(&share, 200), "the share is full");
	is_int(share.refused, 1, "refusals counted");
	ok(budget_charge(&root, 450), "the parent has room beside");
	ok(!budget_try(&share, 100), "now the parent is full");
	root.reclaim = refuse_hook;
	ok(!budget_charge(&share, 100) && hook_called,
	   "the full parent's hook is asked");
	hook_budget = &root;
	root.reclaim = freeing_hook;
	ok(budget_charge(&share, 100), "a hook that frees makes room");
	is_int(budget_room(&share), 0, "room: the smaller of the chain");
	budget_force(&share, 1000);
	ok(share.peak >= 1000 && !budget_try(&root, 1),
	   "forced bytes count whatever the limit");
	ok(budget_charge(NULL, 1) && budget_room(NULL) == SIZE_MAX,
	   "no budget: no bound");
	is_int(budget_alloc_size(1), 32, "malloc's smallest chunk");
	is_int(budget_alloc_size(100), 112, "header and alignment");
}

int main(void)
{
	test_budget();
	test_ring();
	test_answer_after_request();
	test_against_model();
	return tap_done();
}
