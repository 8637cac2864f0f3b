/* budget.h - a memory budget that tables charge before they allocate and
 * release when they free, so that one bound holds for all of them.
 *
 *	if (!budget_charge(b, budget_alloc_size(n)))
 *		... no room: give something up (the caller's policy) ...
 *	p = malloc(n);
 *	...
 *	free(p);
 *	budget_release(b, budget_alloc_size(n));
 *
 * A budget may be a share of a parent: a charge counts in both and must
 * fit both (the decoder's buffered bytes are at most half of its whole
 * budget, and count in it).  When a charge does not fit, the reclaim
 * hook of the budget that is full is asked to free memory first (the
 * decoder's expires the oldest waiting requests); the caller's own
 * policy comes after.  A hook runs where a charge is made, so it may
 * only free what no caller is in the middle of using.
 *
 * Every function accepts a NULL budget: no bound, nothing counted.
 */
#ifndef TAPLINE_BUDGET_H
#define TAPLINE_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct memory_budget {
	size_t limit;		/* bytes (SIZE_MAX: no limit) */
	size_t used;
	size_t peak;		/* the most used at once */
	uint64_t refused;	/* charges that did not fit */
	struct memory_budget *parent;	/* also charged (may be NULL) */
	/* Frees memory for a charge of `want` bytes that does not fit;
	 * true if it freed some (may be NULL). */
	bool (*reclaim)(void *ctx, size_t want);
	void *reclaim_ctx;
};

void budget_init(struct memory_budget *b, size_t limit,
		 struct memory_budget *parent);

/* Charges n bytes if they fit this budget and its parents, after their
 * reclaim hooks freed what they could; false (nothing charged) if not. */
bool budget_charge(struct memory_budget *b, size_t n);

/* The same without asking any reclaim hook. */
bool budget_try(struct memory_budget *b, size_t n);

/* Charges n bytes whatever the limits: memory that must exist (a
 * decoder's fixed tables).  The peak shows it. */
void budget_force(struct memory_budget *b, size_t n);

void budget_release(struct memory_budget *b, size_t n);

/* Bytes that would fit now, in this budget and every parent. */
size_t budget_room(const struct memory_budget *b);

/* What malloc(n) takes from the heap: glibc's chunk header, rounded to
 * its 16-byte alignment, at least its smallest chunk.  Tables charge
 * this, not n, so that many small blocks cannot hide their overhead. */
static inline size_t budget_alloc_size(size_t n)
{
	return n <= 24 ? 32 : (n + 8 + 15) & ~(size_t)15;
}

#endif
