/* nearest.h - the known word nearest to a mistyped one, by edit
 * distance, for "did you mean": field names, protocol words, value
 * names, errno names. */
#ifndef TAPLINE_NEAREST_H
#define TAPLINE_NEAREST_H

#include <stddef.h>

struct nearest {
	const char *word;	/* what was typed */
	const char *best;	/* the nearest candidate so far; NULL: none */
	size_t best_d;		/* its distance; only nearer ones replace it */
};

/* Near: at most a third of the word wrong, and never more than 3
 * edits (at least 1); letters compare case-insensitively. */
void nearest_init(struct nearest *n, const char *word);
void nearest_consider(struct nearest *n, const char *candidate);

#endif
