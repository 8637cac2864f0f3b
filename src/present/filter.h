/* filter.h - display filters (-Y): a small expression language over the
 * field names of docs/fields.md, compiled once and matched per message.
 *
 *	expr    := expr ("or" | "||") expr | expr ("and" | "&&") expr
 *	         | ("not" | "!") expr | "(" expr ")" | test
 *	test    := NAME                      field present / protocol present
 *	         | NAME OP VALUE             OP: == != < <= > >= (eq ne lt le
 *	                                     gt ge), contains, matches
 *	         | NAME "in" "{" VALUE ... "}"
 *	         | PROTOCOL ("contains" | "matches") VALUE
 *	                                     the message's own bytes (pdu)
 *	VALUE   := number (decimal, 0x hex, negative, fraction: 1.5)
 *	         | "quoted string" (\" \\ \n \t \xNN) | bare word (an
 *	           address with an optional /prefix, a name such as EACCES
 *	           or SETATTR, bytes 61:62 after a protocol's contains)
 *	         | NAME                      another field (any pair holds)
 *
 * Values are checked against the field's kind when compiled, as tshark
 * checks them: numbers for numeric fields, a value name of an enum field
 * (registry_value_names), an errno name or description, an address of
 * the field's family; else an error naming the field's type, with "did
 * you mean" for names.
 *
 * "not" binds tighter than "and", which binds tighter than "or".  A
 * comparison holds when any occurrence of the field satisfies it; "!="
 * holds when the field is present and no occurrence equals the value
 * (Wireshark 3.6+ semantics).  Absent fields make comparisons false.
 * Numbers compare exactly (to the nanosecond for times); enum and errno
 * fields also compare by name (glusterfs.proc == SETATTR,
 * gluster.op_errno == EACCES, case-insensitive); everything else
 * compares as the text -T fields would print.  See tapline-decode(1).
 *
 * "matches" takes a PCRE2 (Perl-compatible) regular expression, matched
 * case-sensitively against the bytes of the value (NUL bytes included,
 * no UTF-8 mode).  Both ends are bounded: a pattern longer than 4096
 * bytes, nesting parentheses deeper than 64 or too large once compiled
 * is a compile error naming the limit; a value whose search reaches
 * PCRE2's match, depth or heap limit, or a million pattern steps, does
 * not match and is counted (filter_regex_stops).
 */
#ifndef TAPLINE_FILTER_H
#define TAPLINE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/message.h"

struct filter;

/* Compiles expr; NULL on error with a message naming the column (1-based)
 * in err.  The filter keeps no pointer into expr. */
struct filter *filter_compile(const char *expr, char *err, size_t errlen);
bool filter_match(const struct filter *f, const struct message *m);
/* frame.time_relative counts from *base (owned by the caller); without
 * it that name is absent. */
void filter_set_time_base(struct filter *f, const int64_t *base);
/* Calls fn with every field name the filter tests (protocol words are
 * names without a dot). */
void filter_names(const struct filter *f,
		  void (*fn)(void *user, const char *name), void *user);
void filter_free(struct filter *f);

/* Values whose "matches" search stopped at a limit, so counted as not
 * matching, by the limit that stopped them. */
struct filter_regex_stops {
	uint64_t match_limit;	/* backtracks from one start position */
	uint64_t depth_limit;	/* nested backtracking points */
	uint64_t heap_limit;	/* backtracking memory */
	uint64_t step_limit;	/* pattern steps over the whole value */
	uint64_t other;		/* any other PCRE2 error */
	uint64_t total;
	uint64_t first_frame;	/* of the first such value; 0: none */
};
void filter_regex_stops(const struct filter *f,
			struct filter_regex_stops *out);

#endif
