/* budget.c - charges and releases against a chain of budgets. */
#include "budget.h"

void budget_init(struct memory_budget *b, size_t limit,
		 struct memory_budget *parent)
{
	*b = (struct memory_budget){ .limit = limit, .parent = parent };
}

static bool fits(const struct memory_budget *b, size_t n)
{
	return b->used <= b->limit && n <= b->limit - b->used;
}

/* The first budget of the chain that n bytes do not fit, or NULL. */
static struct memory_budget *full(struct memory_budget *b, size_t n)
{
	for (; b; b = b->parent)
		if (!fits(b, n))
			return b;
	return NULL;
}

void budget_force(struct memory_budget *b, size_t n)
{
	for (; b; b = b->parent) {
		b->used += n;
		if (b->used > b->peak)
			b->peak = b->used;
	}
}

bool budget_try(struct memory_budget *b, size_t n)
{
	if (!b)
		return true;
	struct memory_budget *f = full(b, n);
	if (f) {
		f->refused++;
		return false;
	}
	budget_force(b, n);
	return true;
}

bool budget_charge(struct memory_budget *b, size_t n)
{
	if (!b)
		return true;
	/* A hook that frees something gets asked again; one that frees
	 * nothing ends the attempt.  The bound keeps a hook that claims
	 * progress it does not make from looping for ever. */
	for (int tries = 0; tries < 64; tries++) {
		struct memory_budget *f = full(b, n);
		if (!f) {
			budget_force(b, n);
			return true;
		}
		if (!f->reclaim || !f->reclaim(f->reclaim_ctx, n)) {
			f->refused++;
			return false;
		}
	}
	return budget_try(b, n);
}

void budget_release(struct memory_budget *b, size_t n)
{
	for (; b; b = b->parent)
		b->used = n <= b->used ? b->used - n : 0;
}

size_t budget_room(const struct memory_budget *b)
{
	size_t room = SIZE_MAX;
	for (; b; b = b->parent) {
		size_t r = b->used < b->limit ? b->limit - b->used : 0;
		if (r < room)
			room = r;
	}
	return room;
}
