/* nearest.c - edit distance for "did you mean". */
#include "nearest.h"

#include <string.h>

/* Levenshtein distance of a and b, case-insensitive; beyond `cap`
 * returns cap + 1 (names are short: one row of 64 suffices). */
static size_t distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		size_t least = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = (a[i - 1] | 32) == (b[j - 1] | 32) ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
			if (best < least)
				least = best;
		}
		/* a row's least never shrinks below: most candidates of an
		 * unknown name are given up after a few letters */
		if (least > cap)
			return cap + 1;
	}
	return row[lb];
}

void nearest_init(struct nearest *n, const char *word)
{
	size_t len = strlen(word);
	size_t limit = len / 3 < 3 ? len / 3 : 3;
	if (!limit)
		limit = 1;
	n->word = word;
	n->best = NULL;
	n->best_d = limit + 1;
}

void nearest_consider(struct nearest *n, const char *candidate)
{
	if (!n->best_d)
		return;		/* the word itself was seen */
	size_t d = distance(n->word, candidate, n->best_d - 1);
	if (d < n->best_d) {
		n->best = candidate;
		n->best_d = d;
	}
}
