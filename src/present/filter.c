/* filter.c - -Y display filters: a recursive-descent compiler to a small
 * tree, evaluated per message.  The language is documented in filter.h
 * and tapline-decode(1). */
#include "filter.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "base/nearest.h"
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

/* N_BYTES: a protocol's bytes (frame contains "..."): the message's
 * own bytes as the decoder kept them. */
enum node_kind { N_AND, N_OR, N_NOT, N_PRESENT, N_PROTO, N_CMP, N_IN,
		 N_BYTES };

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
	size_t col;		/* where it began in the expression */
	bool quoted;
	bool is_num;
	num_t num;		/* value * 1e9 when is_num */
	bool is_addr;		/* an address field's value: */
	uint8_t addr[16];	/* as struct field's v.addr */
	unsigned prefix;	/* leading bits compared, of 128 */
	bool is_field;		/* another field: tcp.srcport > tcp.dstport */
	struct field_ref field;
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
	size_t col;		/* where the name began */
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
	lit->col = p->tok_pos;
	lit->quoted = p->tok == T_STRING;
	p->text = NULL;
	lit->is_num = p->tok == T_WORD && parse_num(lit->text, &lit->num);
	/* a bare word that names a field is that field (tshark's habit) */
	lit->is_field = p->tok == T_WORD && !lit->is_num &&
			strchr(lit->text, '.') &&
			field_ref_init(&lit->field, lit->text);
	if (lit->is_field && op >= OP_CONTAINS) {
		fail(p, p->tok_pos, "'%s' takes a value, not a field such as "
		     "'%s'", op_names[op], lit->text);
		return false;
	}
	if (op == OP_MATCHES && !compile_regex(p, lit))
		return false;
	next(p);
	return true;
}

/* ---- values checked against the field's type, as tshark does */

/* Kinds that compare with one another: a class each. */
static unsigned kind_class(unsigned kind)
{
	switch (kind) {
	case FIELD_UINT: case FIELD_HEX: case FIELD_INT: case FIELD_BOOL:
	case FIELD_ENUM: case FIELD_ERRNO: case FIELD_FLAGS:
		return 1u << 0;		/* integers */
	case FIELD_TIME:
		return 1u << 1;
	case FIELD_STR:
		return 1u << 2;
	case FIELD_BYTES: case FIELD_GFID:
		return 1u << 3;
	case FIELD_ADDR:
		return 1u << 4;
	default:
		return 1u << 5;		/* subtrees: no value */
	}
}

static unsigned def_classes(const struct field_def *def)
{
	unsigned c = kind_class(def->kind);
	for (unsigned k = 0; k < FIELD_KINDS; k++)
		if (def->also & 1u << k)
			c |= kind_class(k);
	return c;
}

static const char *def_type(const struct field_def *def)
{
	return def->also ? "several kinds" : field_kind_name(def->kind);
}

/* "10.9.9.0/24", "fe80::/10", "127.0.0.1": the address as struct
 * field's v.addr, and the bits a match compares. */
static bool parse_address(struct parser *p, const struct field_def *def,
			  struct literal *lit)
{
	char text[INET6_ADDRSTRLEN + 8];
	bool want4 = def->flags & FIELD_DEF_IPV4, want6 =
		def->flags & FIELD_DEF_IPV6;
	const char *family = want4 ? "an IPv4 address" : want6 ?
		"an IPv6 address" : "an IP address";
	const char *slash = memchr(lit->text, '/', lit->len);
	size_t alen = slash ? (size_t)(slash - lit->text) : lit->len;
	if (alen >= sizeof text || strlen(lit->text) != lit->len) {
		fail(p, lit->col, "'%s' is not %s (%s is an address field)",
		     lit->text, family, def->name);
		return false;
	}
	memcpy(text, lit->text, alen);
	text[alen] = '\0';
	uint8_t a4[4];
	unsigned max;
	if (inet_pton(AF_INET, text, a4) == 1) {
		memset(lit->addr, 0, 10);
		lit->addr[10] = lit->addr[11] = 0xff;
		memcpy(lit->addr + 12, a4, 4);
		max = 32;
		if (want6) {
			fail(p, lit->col, "'%s' is an IPv4 address; %s is an "
			     "IPv6 address field", text, def->name);
			return false;
		}
	} else if (inet_pton(AF_INET6, text, lit->addr) == 1) {
		max = 128;
		if (want4) {
			fail(p, lit->col, "'%s' is an IPv6 address; %s is an "
			     "IPv4 address field", text, def->name);
			return false;
		}
	} else {
		fail(p, lit->col, "'%s' is not %s (%s is an address field)",
		     text, family, def->name);
		return false;
	}
	lit->prefix = 128;
	if (slash) {
		const char *d = slash + 1;
		unsigned bits = 0;
		bool digits = *d != '\0';
		for (; *d; d++) {
			if (!isdigit((unsigned char)*d) || bits > 128) {
				digits = false;
				break;
			}
			bits = bits * 10 + (unsigned)(*d - '0');
		}
		if (!digits || bits > max) {
			fail(p, lit->col + alen, "the prefix length in '%s' "
			     "must be a number from 0 to %u", lit->text, max);
			return false;
		}
		lit->prefix = 128 - max + bits;
	}
	lit->is_addr = true;
	return true;
}

struct value_lookup {
	const char *word;
	bool found;
	bool several;		/* the name has different values (programs) */
	uint64_t value;
	struct nearest near;
};

static void look_at_value(void *user, uint64_t value, const char *name)
{
	struct value_lookup *l = user;
	if (!strcasecmp(name, l->word)) {
		if (l->found && l->value != value)
			l->several = true;
		l->found = true;
		l->value = value;
	}
	nearest_consider(&l->near, name);
}

/* Whether the literal suits the field and the operator; a clear error
 * naming the field's type when not.  Numbers, names of enum values and
 * errno names or descriptions, addresses and prefixes are resolved
 * here, once. */
static bool check_literal(struct parser *p, const struct node *nd,
			  struct literal *lit)
{
	const struct field_def *def = nd->ref.def;
	enum op op = nd->kind == N_IN ? OP_EQ : nd->op;
	bool order = op <= OP_GE;

	if (lit->is_field) {
		const struct field_def *other = lit->field.def;
		if (!(def_classes(def) & def_classes(other)) ||
		    def->kind == FIELD_TREE || other->kind == FIELD_TREE) {
			fail(p, lit->col, "%s (%s) and %s (%s) cannot be "
			     "compared", def->name, def_type(def), other->name,
			     def_type(other));
			return false;
		}
		if (nd->kind == N_IN) {
			fail(p, lit->col, "a set holds values, not a field "
			     "such as '%s'", other->name);
			return false;
		}
		return true;
	}
	if (def->kind == FIELD_TREE) {
		fail(p, nd->col, "%s is a subtree: it has no value to compare "
		     "(test whether it is present: '%s')", def->name,
		     def->name);
		return false;
	}
	if (def->also)		/* a dict value: its occurrences decide */
		return true;
	switch (def->kind) {
	case FIELD_UINT: case FIELD_HEX: case FIELD_INT: case FIELD_TIME:
	case FIELD_BOOL:
		if (!order) {
			fail(p, nd->col, "%s (%s) cannot be tested with '%s': "
			     "it compares as a number", def->name,
			     def_type(def), op_names[op]);
			return false;
		}
		if (def->kind == FIELD_BOOL && !lit->quoted && !lit->is_num &&
		    (!strcasecmp(lit->text, "true") ||
		     !strcasecmp(lit->text, "false"))) {
			lit->is_num = true;
			lit->num = (lit->text[0] | 32) == 't' ? NS : 0;
		}
		if (!lit->is_num) {
			fail(p, lit->col, "%s is a %s field: %s%s%s is not a "
			     "number", def->name, def_type(def),
			     lit->quoted ? "\"" : "'", lit->text,
			     lit->quoted ? "\"" : "'");
			return false;
		}
		if (def->kind != FIELD_TIME && lit->num % NS) {
			fail(p, lit->col, "%s is a %s field: '%s' is not a "
			     "whole number", def->name, def_type(def),
			     lit->text);
			return false;
		}
		return true;
	case FIELD_ERRNO:
		if (lit->is_num || !order)
			return true;
		int64_t e;
		if (errno_from_text(lit->text, &e)) {
			lit->is_num = true;
			lit->num = (num_t)e * NS;
			return true;
		}
		const char *near = errno_nearest(lit->text);
		if (near)
			fail(p, lit->col, "'%s' is not an errno name or "
			     "description (%s is an errno field; did you mean "
			     "'%s'?)", lit->text, def->name, near);
		else
			fail(p, lit->col, "'%s' is not an errno name or "
			     "description (%s is an errno field: a number, a "
			     "name such as EACCES or a description such as "
			     "\"Permission denied\")", lit->text, def->name);
		return false;
	case FIELD_ENUM: {
		if (lit->is_num || !order)
			return true;
		struct value_lookup l = { .word = lit->text };
		nearest_init(&l.near, lit->text);
		if (!registry_value_names(def, look_at_value, &l))
			return true;	/* no names known: compared as text */
		if (l.found && (op == OP_EQ || op == OP_NE))
			return true;	/* by name: right in every program */
		if (l.found && !l.several) {
			/* < > order by the value, as tshark does */
			lit->is_num = true;
			lit->num = (num_t)l.value * NS;
			return true;
		}
		if (l.found) {
			fail(p, lit->col, "'%s' names different values of %s "
			     "(in different programs): order by a number",
			     lit->text, def->name);
			return false;
		}
		if (l.near.best)
			fail(p, lit->col, "'%s' is not a value of %s (did you "
			     "mean '%s'?)", lit->text, def->name, l.near.best);
		else
			fail(p, lit->col, "'%s' is not a value of %s (a number "
			     "or a name: tapline decode -G values)", lit->text,
			     def->name);
		return false;
	}
	case FIELD_ADDR:
		if (!order) {
			fail(p, nd->col, "%s (address) cannot be tested with "
			     "'%s'", def->name, op_names[op]);
			return false;
		}
		if (!parse_address(p, def, lit))
			return false;
		if (lit->prefix < 128 && op != OP_EQ && op != OP_NE) {
			fail(p, lit->col, "a prefix ('%s') goes with '==', "
			     "'!=' and 'in' only", lit->text);
			return false;
		}
		return true;
	default:	/* text, bytes, GFIDs and flag sets compare as text */
		return true;
	}
}

/* A bare word after a protocol's contains: bytes as 61:62:63 (or with
 * '-' or '.', or one byte "ab"), turned into those bytes. */
static bool bytes_word(struct literal *lit)
{
	char *t = lit->text;
	size_t i = 0;
	for (;; i += 3) {
		if (hexval(t[i]) < 0 || hexval(t[i + 1]) < 0)
			return false;
		if (!t[i + 2])
			break;
		if (t[i + 2] != ':' && t[i + 2] != '-' && t[i + 2] != '.')
			return false;
	}
	size_t n = 0;
	for (size_t j = 0; j <= i; j += 3)
		t[n++] = (char)(hexval(t[j]) << 4 | hexval(t[j + 1]));
	t[n] = '\0';
	lit->len = n;
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
	bool proto = !strchr(name, '.');
	if (proto && (p->tok == T_IN || (p->tok == T_OP &&
					 p->op != OP_CONTAINS &&
					 p->op != OP_MATCHES))) {
		if (!protocol_find(name))
			unknown(p, name_pos, "field", name);
		else
			fail(p, p->tok_pos, "'%s' is a protocol: its bytes "
			     "are tested with 'contains' or 'matches' only",
			     name);
		free(name);
		return -1;
	}
	if (p->tok == T_OP) {
		enum op op = p->op;
		next(p);
		n = add_node(p, proto ? N_BYTES : N_CMP);
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
		n = add_node(p, proto ? N_PROTO : N_PRESENT);
		if (n < 0) {
			free(name);
			return -1;
		}
		p->f->nodes[n].name = name;
	}
	struct node *nd = &p->f->nodes[n];
	nd->col = name_pos;
	if (nd->kind == N_PROTO || nd->kind == N_BYTES) {
		if (!word_ref_init(&nd->word, nd->name))
			unknown(p, name_pos, "protocol", nd->name);
	} else if (!field_ref_init(&nd->ref, nd->name)) {
		unknown(p, name_pos, "field", nd->name);
	}
	if (nd->kind == N_BYTES && !p->failed && nd->nlits &&
	    nd->op == OP_CONTAINS && !nd->lits[0].quoted &&
	    !bytes_word(&nd->lits[0]))
		fail(p, nd->lits[0].col, "'%s' contains text (\"...\") or "
		     "bytes (61:62:63), not '%s'", nd->name, nd->lits[0].text);
	if (nd->kind == N_CMP || nd->kind == N_IN)
		for (unsigned i = 0; i < nd->nlits && !p->failed; i++)
			check_literal(p, nd, &nd->lits[i]);
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
		if (n->lits && (n->kind == N_CMP || n->kind == N_BYTES) &&
		    !n->nlits) {
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

/* An address within the literal's prefix (== and !=), or ordered as
 * 128-bit numbers. */
static int compare_address(const struct field *f, const struct literal *lit)
{
	unsigned whole = lit->prefix / 8, bits = lit->prefix % 8;
	int c = memcmp(f->v.addr, lit->addr, whole);
	if (c || !bits)
		return c;
	uint8_t mask = (uint8_t)(0xff00 >> bits);
	return (f->v.addr[whole] & mask) - (lit->addr[whole] & mask);
}

/* An occurrence's value as the text it compares as: enum and errno
 * names (when by_name), text as it is (case matters), flag sets by their
 * names, anything else as -T fields prints it (into buf). */
static const char *value_text(const struct field *f, const uint8_t *bytes,
			      bool by_name, char *buf, size_t buflen,
			      size_t *len, bool *nocase)
{
	*nocase = true;
	if ((f->kind == FIELD_ENUM || f->kind == FIELD_ERRNO) && f->text &&
	    by_name) {
		*len = strlen(f->text);
		return f->text;
	}
	if (f->kind == FIELD_STR || f->kind == FIELD_ADDR) {
		*nocase = false;
		*len = f->len;
		return (const char *)bytes;
	}
	if (f->kind == FIELD_FLAGS && by_name) {
		/* flags compare by their names: valid contains MTIME is the
		 * usual question, == compares the whole list */
		*len = f->len;
		return (const char *)bytes;
	}
	*len = field_format(buf, buflen, f, bytes);
	return buf;
}

#define VALUE_TEXT_SIZE (2 * MSG_ARENA_SIZE + 8)

/* Does one occurrence satisfy op with lit?  For OP_NE the caller asks
 * OP_EQ and negates over all occurrences. */
static bool test_value(const struct field *f, const uint8_t *bytes,
		       enum op op, const struct literal *lit)
{
	static char buf[VALUE_TEXT_SIZE];
	const char *text;
	size_t len;
	bool nocase;

	if (numeric_kind(f->kind) && lit->is_num && op <= OP_GE) {
		num_t v = field_num(f);
		return order_holds(op, v < lit->num ? -1 : v > lit->num);
	}
	if (f->kind == FIELD_ADDR && lit->is_addr)
		return order_holds(op, compare_address(f, lit));
	text = value_text(f, bytes, !lit->is_num, buf, sizeof buf, &len,
			  &nocase);
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

/* Field against field: numbers (integers, enums, errnos, times) as
 * numbers, addresses as bytes, anything else as text. */
static bool test_pair(const struct field *a, const uint8_t *abytes,
		      const struct field *b, const uint8_t *bbytes, enum op op)
{
	static char abuf[VALUE_TEXT_SIZE], bbuf[VALUE_TEXT_SIZE];
	if (numeric_kind(a->kind) && numeric_kind(b->kind)) {
		num_t x = field_num(a), y = field_num(b);
		return order_holds(op, x < y ? -1 : x > y);
	}
	if (a->kind == FIELD_ADDR && b->kind == FIELD_ADDR)
		return order_holds(op, memcmp(a->v.addr, b->v.addr, 16));
	size_t alen, blen;
	bool anocase, bnocase;
	const char *at = value_text(a, abytes, true, abuf, sizeof abuf, &alen,
				    &anocase);
	const char *bt = value_text(b, bbytes, true, bbuf, sizeof bbuf, &blen,
				    &bnocase);
	return order_holds(op, compare_bytes(at, alen, bt, blen,
					     anocase && bnocase));
}

struct pair_state {
	const struct field *left;
	const uint8_t *left_bytes;
	enum op op;
	bool hit;
};

static bool visit_right(void *user, const struct field *f,
			const uint8_t *bytes)
{
	struct pair_state *st = user;
	if (test_pair(st->left, st->left_bytes, f, bytes, st->op)) {
		st->hit = true;
		return false;
	}
	return true;
}

struct cmp_state {
	const struct node *n;
	const struct message *m;
	bool hit;
};

static bool visit_cmp(void *user, const struct field *f, const uint8_t *bytes)
{
	struct cmp_state *st = user;
	const struct node *n = st->n;
	enum op op = n->op == OP_NE ? OP_EQ : n->op;
	for (unsigned i = 0; i < n->nlits; i++) {
		const struct literal *lit = &n->lits[i];
		if (lit->is_field) {
			/* any occurrence of one against any of the other */
			struct pair_state ps = { f, bytes, op, false };
			field_ref_visit(st->m, &lit->field, visit_right, &ps);
			if (ps.hit) {
				st->hit = true;
				return false;
			}
			continue;
		}
		if (test_value(f, bytes, op, lit)) {
			st->hit = true;
			return false;
		}
	}
	return true;
}

/* frame contains "...": the message's own bytes as the decoder kept
 * them (a record's head when it was longer than kept); a message without
 * (a TCP packet, a connection event) has none. */
static bool test_bytes(const struct node *n, const struct message *m)
{
	if (!m->pdu || !m->pdu_len || !word_present(m, &n->word))
		return false;
	const struct literal *lit = &n->lits[0];
	if (n->op == OP_MATCHES)
		return match_regex(lit, (const char *)m->pdu, m->pdu_len);
	return memmem(m->pdu, m->pdu_len, lit->text, lit->len) != NULL;
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
	case N_BYTES:
		return test_bytes(n, m);
	case N_CMP:
	case N_IN: {
		struct cmp_state st = { n, m, false };
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
	for (unsigned i = 0; i < f->n; i++) {
		struct node *n = &f->nodes[i];
		n->ref.ctx.time_base = base;
		for (unsigned j = 0; j < n->nlits; j++)
			n->lits[j].field.ctx.time_base = base;
	}
}

void filter_names(const struct filter *f,
		  void (*fn)(void *user, const char *name), void *user)
{
	for (unsigned i = 0; i < f->n; i++) {
		const struct node *n = &f->nodes[i];
		if (n->name)
			fn(user, n->name);
		for (unsigned j = 0; j < n->nlits; j++)
			if (n->lits[j].is_field)
				fn(user, n->lits[j].text);
	}
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
