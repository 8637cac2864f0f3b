/* filter.c - -Y display filters: a recursive-descent compiler to a small
 * tree, evaluated per message.  The language is documented in filter.h
 * and tapline-decode(1). */
#include "filter.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "output.h"
#include "proto/registry.h"

/* Numbers compare exactly as nanosecond-scaled 128-bit integers: a 64-bit
 * value times 1e9 fits, and so does a time's sec.nsec. */
__extension__ typedef __int128 num_t;
#define NS 1000000000

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_MATCHES };

static const char *const op_names[] = {
	"==", "!=", "<", "<=", ">", ">=", "contains", "matches",
};

enum node_kind { N_AND, N_OR, N_NOT, N_PRESENT, N_PROTO, N_CMP, N_IN };

/* `matches` runs PCRE2 within bounds, so that neither a pattern nor a
 * hostile value can take memory or time without limit.  The pattern is
 * bounded at compile time (length, nesting, PCRE2's own compiled-size
 * limit); each match by PCRE2's match, depth and heap limits.  The match
 * limit restarts at every start position (pcre2api(3)), so a value of L
 * bytes could still cost L times it: a callout before every pattern item
 * (PCRE2_AUTO_CALLOUT) counts the steps of the whole search as well.  A
 * value that reaches a limit does not match, and is counted. */
#define REGEX_MAX_LENGTH 4096		/* bytes of pattern */
#define REGEX_MAX_NESTING 64		/* parentheses */
#define REGEX_MATCH_LIMIT 100000	/* backtracks from one start position */
#define REGEX_DEPTH_LIMIT 10000		/* nested backtracking points */
#define REGEX_HEAP_LIMIT_KIB 4096	/* PCRE2's backtracking memory */
#define REGEX_STEP_LIMIT 1000000	/* pattern items tried per value */

/* What every `matches` of one filter shares: the match context with the
 * limits, the match data (its backtracking memory is kept between
 * values) and the counts of values stopped by a limit. */
struct regex_run {
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	uint64_t steps;			/* of the value being matched */
	struct filter_regex_stops stops;
};

struct literal {
	char *text;		/* decoded bytes, NUL-terminated */
	size_t len;
	bool is_num;
	num_t num;		/* value * 1e9 when is_num */
	pcre2_code *re;		/* OP_MATCHES */
	struct regex_run *rx;	/* the filter's, for OP_MATCHES */
};

struct node {
	enum node_kind kind;
	enum op op;
	int a, b;		/* children (AND/OR/NOT) */
	struct field_ref ref;	/* PRESENT/CMP/IN */
	struct word_ref word;	/* PROTO */
	char *name;		/* owned copy of the field or protocol name */
	struct literal *lits;	/* CMP: one, IN: nlits */
	unsigned nlits;
};

struct filter {
	struct node *nodes;
	unsigned n, cap;
	int root;
	struct regex_run *rx;	/* made with the first `matches` */
};

/* ---- lexer */

enum tok {
	T_END, T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_COMMA,
	T_AND, T_OR, T_NOT, T_OP, T_IN, T_WORD, T_STRING,
};

struct parser {
	const char *s;
	size_t pos;		/* of the next character */
	size_t tok_pos;		/* where the current token began */
	enum tok tok;
	enum op op;
	char *text;		/* T_WORD / T_STRING, owned */
	size_t len;
	char *err;
	size_t errlen;
	bool failed;
	struct filter *f;
};

static void fail(struct parser *p, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct parser *p, size_t col, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	int n = snprintf(p->err, p->errlen, "column %zu: ", col + 1);
	if (n < 0 || (size_t)n >= p->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' ||
	       c == '-' || c == '/';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void lex_string(struct parser *p)
{
	const char *s = p->s;
	size_t i = p->pos + 1, cap = strlen(s + i) + 1, n = 0;
	char *out = malloc(cap);
	if (!out) {
		fail(p, p->pos, "out of memory");
		return;
	}
	for (;;) {
		char c = s[i];
		if (c == '\0') {
			free(out);
			fail(p, p->tok_pos, "unterminated string");
			return;
		}
		if (c == '"') {
			i++;
			break;
		}
		if (c == '\\') {
			char e = s[i + 1];
			i += 2;
			switch (e) {
			case 'n': out[n++] = '\n'; break;
			case 't': out[n++] = '\t'; break;
			case 'r': out[n++] = '\r'; break;
			case '\\': out[n++] = '\\'; break;
			case '"': out[n++] = '"'; break;
			case 'x': {
				int h = hexval(s[i]), l = h < 0 ? -1 : hexval(s[i + 1]);
				if (h < 0 || l < 0) {
					free(out);
					fail(p, i - 2, "\\x needs two hex digits");
					return;
				}
				out[n++] = (char)(h << 4 | l);
				i += 2;
				break;
			}
			default:
				free(out);
				fail(p, i - 2, "unknown escape '\\%c'", e ? e : ' ');
				return;
			}
			continue;
		}
		out[n++] = c;
		i++;
	}
	out[n] = '\0';
	p->text = out;
	p->len = n;
	p->tok = T_STRING;
	p->pos = i;
}

static void next(struct parser *p)
{
	const char *s = p->s;
	free(p->text);
	p->text = NULL;
	if (p->failed) {
		/* after an error nothing more is read: the parse unwinds */
		p->tok = T_END;
		return;
	}
	while (isspace((unsigned char)s[p->pos]))
		p->pos++;
	p->tok_pos = p->pos;
	char c = s[p->pos], d = c ? s[p->pos + 1] : '\0';
	struct { const char *t; enum tok tok; enum op op; } punct[] = {
		{ "&&", T_AND, 0 }, { "||", T_OR, 0 }, { "==", T_OP, OP_EQ },
		{ "!=", T_OP, OP_NE }, { "<=", T_OP, OP_LE },
		{ ">=", T_OP, OP_GE }, { "<", T_OP, OP_LT }, { ">", T_OP, OP_GT },
		{ "!", T_NOT, 0 }, { "(", T_LPAREN, 0 }, { ")", T_RPAREN, 0 },
		{ "{", T_LBRACE, 0 }, { "}", T_RBRACE, 0 }, { ",", T_COMMA, 0 },
		{ "=", T_OP, OP_EQ },
	};
	if (c == '\0') {
		p->tok = T_END;
		return;
	}
	if (c == '"') {
		lex_string(p);
		if (p->failed)
			p->tok = T_END;
		return;
	}
	/* A leading minus belongs to a number; elsewhere it is a word
	 * character (addresses, names). */
	if (!(c == '-' && (isdigit((unsigned char)d) || d == '.'))) {
		for (size_t i = 0; i < sizeof punct / sizeof *punct; i++) {
			size_t l = strlen(punct[i].t);
			if (!strncmp(s + p->pos, punct[i].t, l)) {
				p->tok = punct[i].tok;
				p->op = punct[i].op;
				p->pos += l;
				return;
			}
		}
	}
	if (!word_char(c)) {
		fail(p, p->pos, "unexpected character '%c'", c);
		p->tok = T_END;
		return;
	}
	size_t start = p->pos;
	while (word_char(s[p->pos]))
		p->pos++;
	size_t n = p->pos - start;
	static const struct { const char *w; enum tok tok; enum op op; } kw[] = {
		{ "and", T_AND, 0 }, { "or", T_OR, 0 }, { "not", T_NOT, 0 },
		{ "eq", T_OP, OP_EQ }, { "ne", T_OP, OP_NE },
		{ "lt", T_OP, OP_LT }, { "le", T_OP, OP_LE },
		{ "gt", T_OP, OP_GT }, { "ge", T_OP, OP_GE },
		{ "contains", T_OP, OP_CONTAINS },
		{ "matches", T_OP, OP_MATCHES }, { "in", T_IN, 0 },
	};
	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++) {
		if (strlen(kw[i].w) == n && !strncasecmp(s + start, kw[i].w, n)) {
			p->tok = kw[i].tok;
			p->op = kw[i].op;
			return;
		}
	}
	p->text = strndup(s + start, n);
	if (!p->text) {
		fail(p, start, "out of memory");
		p->tok = T_END;
		return;
	}
	p->len = n;
	p->tok = T_WORD;
}

/* ---- numbers */

/* Parses decimal (with an optional fraction of up to 9 digits), 0x hex,
 * with an optional leading minus; the whole text must be the number. */
static bool parse_num(const char *t, num_t *out)
{
	bool neg = false;
	if (*t == '-') {
		neg = true;
		t++;
	}
	unsigned __int128 v = 0;
	uint64_t frac = 0;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		t += 2;
		if (!*t)
			return false;
		for (; *t; t++) {
			int h = hexval(*t);
			if (h < 0 || v >> 60)
				return false;
			v = v << 4 | (unsigned)h;
		}
		v *= NS;
	} else {
		if (!isdigit((unsigned char)*t) && !(t[0] == '.' &&
						     isdigit((unsigned char)t[1])))
			return false;
		for (; isdigit((unsigned char)*t); t++) {
			v = v * 10 + (unsigned)(*t - '0');
			if (v >> 64)
				return false;
		}
		v *= NS;
		if (*t == '.') {
			t++;
			unsigned digits = 0;
			uint64_t scale = NS / 10;
			for (; isdigit((unsigned char)*t); t++, digits++) {
				if (digits >= 9)
					return false;
				frac += (uint64_t)(*t - '0') * scale;
				scale /= 10;
			}
		}
		if (*t)
			return false;
		v += frac;
	}
	*out = neg ? -(num_t)v : (num_t)v;
	return true;
}

/* ---- the tree */

static int add_node(struct parser *p, enum node_kind kind)
{
	struct filter *f = p->f;
	if (f->n == f->cap) {
		unsigned cap = f->cap ? 2 * f->cap : 16;
		struct node *nodes = realloc(f->nodes, cap * sizeof *nodes);
		if (!nodes) {
			fail(p, p->tok_pos, "out of memory");
			return -1;
		}
		f->nodes = nodes;
		f->cap = cap;
	}
	struct node *n = &f->nodes[f->n];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->a = n->b = -1;
	return (int)f->n++;
}

/* PCRE2 calls this before every pattern item: the steps of one value,
 * over all its start positions. */
static int count_regex_step(pcre2_callout_block *block, void *user)
{
	struct regex_run *rx = user;
	return ++rx->steps > REGEX_STEP_LIMIT ? PCRE2_ERROR_CALLOUT : 0;
}

static struct regex_run *regex_run_new(void)
{
	struct regex_run *rx = calloc(1, sizeof *rx);
	if (!rx)
		return NULL;
	rx->mctx = pcre2_match_context_create(NULL);
	rx->md = pcre2_match_data_create(1, NULL);
	if (!rx->mctx || !rx->md) {
		pcre2_match_context_free(rx->mctx);
		pcre2_match_data_free(rx->md);
		free(rx);
		return NULL;
	}
	pcre2_set_match_limit(rx->mctx, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(rx->mctx, REGEX_DEPTH_LIMIT);
	pcre2_set_heap_limit(rx->mctx, REGEX_HEAP_LIMIT_KIB);
	pcre2_set_callout(rx->mctx, count_regex_step, rx);
	return rx;
}

static void regex_run_free(struct regex_run *rx)
{
	if (!rx)
		return;
	pcre2_match_context_free(rx->mctx);
	pcre2_match_data_free(rx->md);
	free(rx);
}

/* Compiles lit->text for `matches`; a pattern over a limit is an error
 * that names the limit. */
static bool compile_regex(struct parser *p, struct literal *lit)
{
	if (lit->len > REGEX_MAX_LENGTH) {
		fail(p, p->tok_pos, "regular expression of %zu bytes: the "
		     "limit is %d", lit->len, REGEX_MAX_LENGTH);
		return false;
	}
	struct filter *f = p->f;
	if (!f->rx && !(f->rx = regex_run_new())) {
		fail(p, p->tok_pos, "out of memory");
		return false;
	}
	pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
	if (!cctx) {
		fail(p, p->tok_pos, "out of memory");
		return false;
	}
	pcre2_set_max_pattern_length(cctx, REGEX_MAX_LENGTH);
	pcre2_set_parens_nest_limit(cctx, REGEX_MAX_NESTING);
	int code;
	PCRE2_SIZE at;
	/* Bytes, not UTF-8: values are whatever the wire carried. */
	lit->re = pcre2_compile((PCRE2_SPTR)lit->text, lit->len,
				PCRE2_AUTO_CALLOUT | PCRE2_NEVER_UTF, &code,
				&at, cctx);
	pcre2_compile_context_free(cctx);
	if (lit->re) {
		lit->rx = f->rx;
		return true;
	}
	switch (code) {
	case PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP:
		fail(p, p->tok_pos, "regular expression nests parentheses "
		     "deeper than the limit of %d", REGEX_MAX_NESTING);
		break;
	case PCRE2_ERROR_PATTERN_TOO_LARGE:
		fail(p, p->tok_pos, "regular expression too large once "
		     "compiled (PCRE2's limit of 64 KiB; a repeat count, "
		     "most likely)");
		break;
	case PCRE2_ERROR_PATTERN_TOO_COMPLICATED:
		fail(p, p->tok_pos, "regular expression too complicated "
		     "(PCRE2's limit)");
		break;
	default: {
		PCRE2_UCHAR msg[160];
		if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
			snprintf((char *)msg, sizeof msg, "error %d", code);
		fail(p, p->tok_pos, "bad regular expression: %s (at byte "
		     "%zu of the pattern)", (const char *)msg, (size_t)at + 1);
	}
	}
	return false;
}

static bool take_literal(struct parser *p, struct literal *lit, enum op op)
{
	if (p->failed)
		return false;
	if (p->tok != T_WORD && p->tok != T_STRING) {
		fail(p, p->tok_pos, "expected a value after '%s'", op_names[op]);
		return false;
	}
	memset(lit, 0, sizeof *lit);
	lit->text = p->text;
	lit->len = p->len;
	p->text = NULL;
	lit->is_num = p->tok == T_WORD && parse_num(lit->text, &lit->num);
	if (op == OP_MATCHES && !compile_regex(p, lit))
		return false;
	next(p);
	return true;
}

static int parse_or(struct parser *p, unsigned level);

/* A name no table has: an error (tshark's habit), with the nearest
 * known name. */
static void unknown(struct parser *p, size_t col, const char *what,
		    const char *name)
{
	const char *near = registry_nearest(name);
	if (near)
		fail(p, col, "'%s' is not a %s name tapline knows (did you "
		     "mean '%s'?)", name, what, near);
	else
		fail(p, col, "'%s' is not a %s name tapline knows (see "
		     "tapline decode -G %ss)", name, what, what);
}

/* Deep nesting from a hostile or mistaken expression must not blow the
 * stack. */
#define MAX_NESTING 200

static int parse_test(struct parser *p, unsigned level)
{
	if (level > MAX_NESTING) {
		fail(p, p->tok_pos, "expression nested too deeply");
		return -1;
	}
	if (p->tok == T_LPAREN) {
		size_t open = p->tok_pos;
		next(p);
		int e = parse_or(p, level + 1);
		if (e < 0)
			return -1;
		if (p->tok != T_RPAREN) {
			fail(p, p->tok_pos, "expected ')' to close the '(' at "
			     "column %zu", open + 1);
			return -1;
		}
		next(p);
		return e;
	}
	if (p->tok == T_NOT) {
		next(p);
		int a = parse_test(p, level + 1);
		if (a < 0)
			return -1;
		int n = add_node(p, N_NOT);
		if (n >= 0)
			p->f->nodes[n].a = a;
		return n;
	}
	if (p->tok != T_WORD) {
		fail(p, p->tok_pos, p->tok == T_END ?
		     "expected a field name, found the end" :
		     "expected a field name");
		return -1;
	}
	size_t name_pos = p->tok_pos;
	char *name = p->text;
	p->text = NULL;
	if (isdigit((unsigned char)name[0]) || name[0] == '-') {
		fail(p, name_pos, "expected a field name, found '%s'", name);
		free(name);
		return -1;
	}
	next(p);
	int n;
	if (p->tok == T_OP) {
		enum op op = p->op;
		next(p);
		n = add_node(p, N_CMP);
		if (n < 0) {
			free(name);
			return -1;
		}
		struct node *nd = &p->f->nodes[n];
		nd->op = op;
		nd->name = name;
		nd->lits = calloc(1, sizeof *nd->lits);
		if (!nd->lits) {
			fail(p, name_pos, "out of memory");
			return -1;
		}
		if (!take_literal(p, nd->lits, op))
			return -1;
		nd->nlits = 1;
	} else if (p->tok == T_IN) {
		next(p);
		if (p->tok != T_LBRACE) {
			free(name);
			fail(p, p->tok_pos, "expected '{' after 'in'");
			return -1;
		}
		next(p);
		n = add_node(p, N_IN);
		if (n < 0) {
			free(name);
			return -1;
		}
		p->f->nodes[n].name = name;
		unsigned cap = 0;
		while (p->tok != T_RBRACE) {
			struct node *nd = &p->f->nodes[n];
			if (p->tok == T_COMMA) {
				next(p);
				continue;
			}
			if (nd->nlits == cap) {
				cap = cap ? 2 * cap : 4;
				struct literal *l = realloc(nd->lits,
							    cap * sizeof *l);
				if (!l) {
					fail(p, p->tok_pos, "out of memory");
					return -1;
				}
				nd->lits = l;
			}
			if (p->tok == T_END) {
				fail(p, p->tok_pos, "expected '}'");
				return -1;
			}
			if (!take_literal(p, &nd->lits[nd->nlits], OP_EQ))
				return -1;
			nd->nlits++;
		}
		next(p);
	} else {
		bool proto = !strchr(name, '.');
		n = add_node(p, proto ? N_PROTO : N_PRESENT);
		if (n < 0) {
			free(name);
			return -1;
		}
		p->f->nodes[n].name = name;
	}
	struct node *nd = &p->f->nodes[n];
	if (nd->kind == N_PROTO) {
		if (!word_ref_init(&nd->word, nd->name))
			unknown(p, name_pos, "protocol", nd->name);
	} else if (!field_ref_init(&nd->ref, nd->name)) {
		unknown(p, name_pos, "field", nd->name);
	}
	return p->failed ? -1 : n;
}

static int parse_and(struct parser *p, unsigned level)
{
	int a = parse_test(p, level);
	while (a >= 0 && p->tok == T_AND) {
		next(p);
		int b = parse_test(p, level);
		if (b < 0)
			return -1;
		int n = add_node(p, N_AND);
		if (n < 0)
			return -1;
		p->f->nodes[n].a = a;
		p->f->nodes[n].b = b;
		a = n;
	}
	return a;
}

static int parse_or(struct parser *p, unsigned level)
{
	int a = parse_and(p, level);
	while (a >= 0 && p->tok == T_OR) {
		next(p);
		int b = parse_and(p, level);
		if (b < 0)
			return -1;
		int n = add_node(p, N_OR);
		if (n < 0)
			return -1;
		p->f->nodes[n].a = a;
		p->f->nodes[n].b = b;
		a = n;
	}
	return a;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	for (unsigned i = 0; i < f->n; i++) {
		struct node *n = &f->nodes[i];
		for (unsigned j = 0; j < n->nlits; j++) {
			free(n->lits[j].text);
			pcre2_code_free(n->lits[j].re);
		}
		/* A literal that failed to compile is not counted in nlits. */
		if (n->lits && n->kind == N_CMP && !n->nlits) {
			free(n->lits[0].text);
		}
		free(n->lits);
		free(n->name);
	}
	free(f->nodes);
	regex_run_free(f->rx);
	free(f);
}

struct filter *filter_compile(const char *expr, char *err, size_t errlen)
{
	struct filter *f = calloc(1, sizeof *f);
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct parser p = { .s = expr, .err = err, .errlen = errlen, .f = f };
	next(&p);
	if (p.tok == T_END && !p.failed)
		fail(&p, 0, "empty filter");
	int root = p.failed ? -1 : parse_or(&p, 0);
	if (root >= 0 && p.tok != T_END)
		fail(&p, p.tok_pos, p.tok == T_RPAREN ? "unbalanced ')'" :
		     p.tok == T_WORD || p.tok == T_STRING ?
		     "expected 'and', 'or' or the end" :
		     "unexpected token");
	free(p.text);
	if (p.failed || root < 0) {
		filter_free(f);
		return NULL;
	}
	f->root = root;
	return f;
}

/* ---- matching */

static bool numeric_kind(uint8_t kind)
{
	switch (kind) {
	case FIELD_UINT: case FIELD_HEX: case FIELD_INT: case FIELD_BOOL:
	case FIELD_TIME: case FIELD_ENUM: case FIELD_ERRNO: case FIELD_FLAGS:
		return true;
	default:
		return false;
	}
}

static num_t field_num(const struct field *f)
{
	switch (f->kind) {
	case FIELD_INT:
	case FIELD_ERRNO:
		return (num_t)f->v.i * NS;
	case FIELD_TIME:
		return (num_t)f->v.t.sec * NS +
		       (f->v.t.sec < 0 ? -(num_t)f->v.t.nsec : f->v.t.nsec);
	default:
		return (num_t)f->v.u * NS;
	}
}

static bool order_holds(enum op op, int c)
{
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	default: return false;
	}
}

static int compare_bytes(const char *a, size_t alen, const char *b,
			 size_t blen, bool nocase)
{
	size_t n = alen < blen ? alen : blen;
	int c = nocase ? strncasecmp(a, b, n) : memcmp(a, b, n);
	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* The whole value, NUL bytes included; a value stopped by a limit does
 * not match and is counted by the limit that stopped it. */
static bool match_regex(const struct literal *lit, const char *text,
			size_t len)
{
	struct regex_run *rx = lit->rx;
	rx->steps = 0;
	int rc = pcre2_match(lit->re, (PCRE2_SPTR)text, len, 0, 0, rx->md,
			     rx->mctx);
	if (rc >= 0)
		return true;
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
		return false;
	case PCRE2_ERROR_MATCHLIMIT:
		rx->stops.match_limit++;
		break;
	case PCRE2_ERROR_DEPTHLIMIT:
		rx->stops.depth_limit++;
		break;
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_NOMEMORY:
		rx->stops.heap_limit++;
		break;
	case PCRE2_ERROR_CALLOUT:
		rx->stops.step_limit++;
		break;
	default:
		rx->stops.other++;
		break;
	}
	return false;
}

/* Does one occurrence satisfy op with lit?  For OP_NE the caller asks
 * OP_EQ and negates over all occurrences. */
static bool test_value(const struct field *f, const uint8_t *bytes,
		       enum op op, const struct literal *lit)
{
	static char buf[2 * MSG_ARENA_SIZE + 8];
	const char *text;
	size_t len;
	bool nocase = true;

	if (numeric_kind(f->kind) && lit->is_num && op <= OP_GE) {
		num_t v = field_num(f);
		return order_holds(op, v < lit->num ? -1 : v > lit->num);
	}
	if ((f->kind == FIELD_ENUM || f->kind == FIELD_ERRNO) && f->text &&
	    !lit->is_num) {
		text = f->text;
		len = strlen(text);
	} else if (f->kind == FIELD_STR || f->kind == FIELD_ADDR) {
		text = (const char *)bytes;
		len = f->len;
		nocase = false;
	} else if (f->kind == FIELD_FLAGS && !lit->is_num) {
		/* flags compare by their names: valid contains MTIME is the
		 * usual question, == compares the whole list */
		text = (const char *)bytes;
		len = f->len;
	} else {
		len = field_format(buf, sizeof buf, f, bytes);
		text = buf;
	}
	switch (op) {
	case OP_CONTAINS:
		return memmem(text, len, lit->text, lit->len) != NULL;
	case OP_MATCHES:
		return match_regex(lit, text, len);
	default:
		return order_holds(op, compare_bytes(text, len, lit->text,
						     lit->len, nocase));
	}
}

struct cmp_state {
	const struct node *n;
	bool hit;
};

static bool visit_cmp(void *user, const struct field *f, const uint8_t *bytes)
{
	struct cmp_state *st = user;
	const struct node *n = st->n;
	enum op op = n->op == OP_NE ? OP_EQ : n->op;
	for (unsigned i = 0; i < n->nlits; i++) {
		if (test_value(f, bytes, op, &n->lits[i])) {
			st->hit = true;
			return false;
		}
	}
	return true;
}

static bool visit_any(void *user, const struct field *f, const uint8_t *bytes)
{
	return false;
}

static bool eval(const struct filter *flt, int idx, const struct message *m)
{
	const struct node *n = &flt->nodes[idx];
	switch (n->kind) {
	case N_AND:
		return eval(flt, n->a, m) && eval(flt, n->b, m);
	case N_OR:
		return eval(flt, n->a, m) || eval(flt, n->b, m);
	case N_NOT:
		return !eval(flt, n->a, m);
	case N_PROTO:
		return word_present(m, &n->word);
	case N_PRESENT:
		return field_ref_visit(m, &n->ref, visit_any, NULL) > 0;
	case N_CMP:
	case N_IN: {
		struct cmp_state st = { n, false };
		unsigned seen = field_ref_visit(m, &n->ref, visit_cmp, &st);
		if (n->kind == N_CMP && n->op == OP_NE)
			return seen > 0 && !st.hit;
		return st.hit;
	}
	}
	return false;
}

void filter_set_time_base(struct filter *f, const int64_t *base)
{
	for (unsigned i = 0; i < f->n; i++)
		f->nodes[i].ref.ctx.time_base = base;
}

void filter_names(const struct filter *f,
		  void (*fn)(void *user, const char *name), void *user)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->nodes[i].name)
			fn(user, f->nodes[i].name);
}

static uint64_t regex_stops_total(const struct filter_regex_stops *s)
{
	return s->match_limit + s->depth_limit + s->heap_limit +
	       s->step_limit + s->other;
}

bool filter_match(const struct filter *f, const struct message *m)
{
	if (!f->rx)
		return eval(f, f->root, m);
	struct filter_regex_stops *stops = &f->rx->stops;
	uint64_t before = regex_stops_total(stops);
	bool hit = eval(f, f->root, m);
	if (!stops->first_frame && regex_stops_total(stops) != before)
		stops->first_frame = m->frame ? m->frame : 1;
	return hit;
}

void filter_regex_stops(const struct filter *f,
			struct filter_regex_stops *out)
{
	if (f && f->rx)
		*out = f->rx->stops;
	else
		memset(out, 0, sizeof *out);
	out->total = regex_stops_total(out);
}
