/* filter_test.c - -Y expressions: syntax, precedence, every operator,
 * derived and listed fields, occurrences, error columns, and the limits
 * of regular expressions. */
#include <stddef.h>
#include <stdlib.h>

#include "present/filter.h"
#include "proto/gluster/fields.h"
#include "proto/gluster/gluster.h"
#include "proto/oncrpc/rpc.h"
#include "tap.h"

static struct message *m;

/* 1 match, 0 no match, -1 compile error (message in err). */
static char err[256];
static int run(const char *expr)
{
	struct filter *f = filter_compile(expr, err, sizeof err);
	if (!f)
		return -1;
	int r = filter_match(f, m);
	filter_free(f);
	return r;
}

#define MATCH(e) is_int(run(e), 1, "matches: %s", e)
#define NOMATCH(e) is_int(run(e), 0, "does not match: %s", e)
/* The expression is refused, and the message says why. */
#define BAD_SAYING(e, why)                                              \
	do {                                                            \
		is_int(run(e), -1, "rejected: %.60s...", e);            \
		ok(strstr(err, why) != NULL, "  saying '%s': %s", why, err); \
	} while (0)

#define BAD(e, col)                                                     \
	do {                                                            \
		is_int(run(e), -1, "rejected: %s", e);                  \
		ok(!strncmp(err, "column " #col ":", sizeof "column " #col), \
		   "  error at column " #col ": %s", err);              \
	} while (0)

/* A run of n copies of c, for patterns and values of a given size. */
static char *repeat(const char *head, char c, size_t n, const char *tail)
{
	size_t h = strlen(head), t = strlen(tail);
	char *s = malloc(h + n + t + 1);
	memcpy(s, head, h);
	memset(s + h, c, n);
	memcpy(s + h + n, tail, t + 1);
	return s;
}

/* Matches expr against v and returns the stops it counted. */
static int run_stops(const char *expr, const struct message *v,
		     struct filter_regex_stops *stops)
{
	struct filter *f = filter_compile(expr, err, sizeof err);
	if (!f)
		return -1;
	int r = filter_match(f, v);
	filter_regex_stops(f, stops);
	filter_free(f);
	return r;
}

/* A pattern or a value past a limit: a clear error at compile time; at
 * match time no match, counted by the limit that stopped it. */
static void regex_limits(void)
{
	/* glibc's regcomp took 4 s and 720 MB on this (20 '+'), doubling
	 * with each '+'; in PCRE2 it is a syntax error */
	BAD_SAYING("glusterfs.bname matches \"b++++++++++++++++++++\"",
		   "quantifier does not follow a repeatable item");
	char *p = repeat("glusterfs.bname matches \"^a.b", '+', 51, "\"");
	BAD_SAYING(p, "quantifier does not follow a repeatable item");
	free(p);

	/* length: 4096 bytes of pattern, not one more */
	p = repeat("glusterfs.bname matches \"", 'a', 4096, "\"");
	is_int(run(p), 0, "a pattern of 4096 bytes compiles");
	free(p);
	p = repeat("glusterfs.bname matches \"", 'a', 4097, "\"");
	BAD_SAYING(p, "regular expression of 4097 bytes: the limit is 4096");
	free(p);

	/* nesting: 64 parentheses deep, not 65 */
	char nest[256];
	snprintf(nest, sizeof nest, "glusterfs.bname matches \"%.64s"
		 "Foo%.64s\"", "((((((((((((((((((((((((((((((((((((((((("
		 "(((((((((((((((((((((((", "))))))))))))))))))))))))"
		 "))))))))))))))))))))))))))))))))))))))))");
	is_int(run(nest), 1, "parentheses 64 deep compile and match");
	snprintf(nest, sizeof nest, "glusterfs.bname matches \"(%.64s"
		 "Foo%.64s)\"", "((((((((((((((((((((((((((((((((((((((((("
		 "(((((((((((((((((((((((", "))))))))))))))))))))))))"
		 "))))))))))))))))))))))))))))))))))))))))");
	BAD_SAYING(nest, "nests parentheses deeper than the limit of 64");

	/* compiled size: PCRE2's own limit, reached by repeat counts */
	BAD_SAYING("glusterfs.bname matches \"(ab){30000}\"",
		   "too large once compiled");
	BAD_SAYING("glusterfs.bname matches \"((ab){1000}){1000}\"",
		   "too large once compiled");
	/* and the column is the pattern's */
	BAD("glusterfs.bname matches \"(ab){30000}\"", 25);

	/* values that make the search blow up: each limit in turn */
	struct message *v = malloc(sizeof *v);
	msg_reset(v);
	v->frame = 9;
	char *as = repeat("", 'a', 20000, "");
	msg_add_str(v, &hf_glusterfs_path, as, 20000);
	free(as);
	struct filter_regex_stops st;
	static const struct {
		const char *expr;
		size_t offset;	/* of the counter that must be 1 */
		const char *what;
	} cases[] = {
		{ "glusterfs.path matches \"^(a+)+[XY]\"",
		  offsetof(struct filter_regex_stops, match_limit),
		  "match limit (nested repeats)" },
		{ "glusterfs.path matches \"^(a)*[XY]$\"",
		  offsetof(struct filter_regex_stops, depth_limit),
		  "depth limit (a backtracking point per byte)" },
		{ "glusterfs.path matches \"^(a)*()()()()()()()()()()()()()()()()()()"
		  "()()()()()()()()()()()()()()()()()()()()()()()()()()()()()"
		  "()()()()()()()()()()()()()()()()()()()()()()()()()()()()()"
		  "()()()()()()()()()()()()()()()()()()()()()()()()()()()()()"
		  "[XY]$\"",
		  offsetof(struct filter_regex_stops, heap_limit),
		  "heap limit (wide backtracking frames)" },
		{ "glusterfs.path matches \"a.*(y|z)[XY]\"",
		  offsetof(struct filter_regex_stops, step_limit),
		  "step limit (quadratic over the start positions)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		memset(&st, 0xff, sizeof st);
		is_int(run_stops(cases[i].expr, v, &st), 0,
		       "%s: not a match", cases[i].what);
		const uint64_t *counter =
			(const uint64_t *)((const char *)&st + cases[i].offset);
		ok(*counter == 1 && st.total == 1 && st.first_frame == 9,
		   "  counted once, by that limit, in frame 9 (match %llu "
		   "depth %llu heap %llu step %llu other %llu)",
		   (unsigned long long)st.match_limit,
		   (unsigned long long)st.depth_limit,
		   (unsigned long long)st.heap_limit,
		   (unsigned long long)st.step_limit,
		   (unsigned long long)st.other);
	}
	/* a stop is a non-match: "not" of it holds, and it adds up */
	is_int(run_stops("not glusterfs.path matches \"a.*(y|z)[XY]\"", v,
			 &st), 1,
	       "not of a stopped match holds");
	is_int(run_stops("glusterfs.path matches \"^(a+)+[XY]\" or "
			 "glusterfs.path matches \"a.*(y|z)[XY]\" or "
			 "glusterfs.path matches \"^a{20000}$\"", v, &st), 1,
	       "a stop does not hide another test that matches");
	ok(st.total == 2 && st.match_limit == 1 && st.step_limit == 1,
	   "  both stops counted");
	/* the same pattern on an ordinary value is not stopped */
	is_int(run_stops("glusterfs.path matches \"a.*(y|z)[XY]\"", m, &st), 0,
	       "a message without the field: no stop");
	ok(st.total == 0 && st.first_frame == 0, "  none counted");
	filter_regex_stops(NULL, &st);
	ok(st.total == 0, "no filter: no stops");
	free(v);
}

/* Values checked against the field's type and names as tshark checks
 * them; what tshark has (CIDR, field against field, frame contains),
 * and what tapline adds (errno descriptions). */
static void strict(void)
{
	/* enum values: names from the tables and the registered programs */
	BAD_SAYING("glusterfs.proc == SETATR",
		   "'SETATR' is not a value of glusterfs.proc (did you mean "
		   "'SETATTR'?)");
	BAD("glusterfs.proc == SETATR", 19);
	BAD_SAYING("rpc.procedure in {LOOKUP SETATTRR}",
		   "did you mean 'SETATTR'?");
	BAD_SAYING("tapline.kind == respons", "did you mean 'response'?");
	BAD_SAYING("rpc.msgtyp == frobnicate",
		   "'frobnicate' is not a value of rpc.msgtyp (a number or a "
		   "name: tapline decode -G values)");
	MATCH("glusterfs.proc != LOOKUP");
	/* < > order by the value, as tshark (SETATTR is 38, LOOKUP 27) */
	MATCH("glusterfs.proc > LOOKUP");
	MATCH("glusterfs.proc >= SETATTR and glusterfs.proc <= setattr");
	NOMATCH("glusterfs.proc < SETATTR");
	MATCH("rpc.procedure > LOOKUP");
	MATCH("glusterfs.proc contains \"ATTR\"");	/* names: no check */

	/* errnos: a number, a name or a description, any case */
	MATCH("gluster.op_errno == \"Permission denied\"");
	MATCH("gluster.op_errno == \"permission DENIED\"");
	NOMATCH("gluster.op_errno == \"No such file or directory\"");
	MATCH("gluster.op_errno in {ENOENT \"Permission denied\"}");
	MATCH("gluster.op_errno > \"Operation not permitted\"");
	BAD_SAYING("gluster.op_errno == \"Permision denied\"",
		   "'Permision denied' is not an errno name or description "
		   "(gluster.op_errno is an errno field; did you mean "
		   "'Permission denied'?)");
	BAD("gluster.op_errno == \"Permision denied\"", 21);
	BAD_SAYING("gluster.op_errno == EACCESS", "did you mean 'EACCES'?");
	BAD_SAYING("gluster.op_errno == \"disk on fire\"",
		   "a description such as \"Permission denied\"");

	/* addresses: exact, CIDR prefixes, either end, the right family */
	MATCH("ip.src == 127.0.0.0/8");
	MATCH("ip.src == 127.0.0.2/32");
	NOMATCH("ip.src == 127.0.0.0/31");
	MATCH("ip.src == 127.0.0.2/31");
	MATCH("ip.src == 0.0.0.0/0");
	MATCH("ip.src != 10.0.0.0/8");
	NOMATCH("ip.src != 127.0.0.0/8");
	MATCH("ip.addr == 127.0.0.1/32 and ip.addr == 127.0.0.2/32");
	NOMATCH("ip.addr != 127.0.0.0/30");
	MATCH("ip.dst in {10.0.0.0/8 127.0.0.1/32}");
	MATCH("ip.src > 127.0.0.1 and ip.src <= 127.0.0.2");
	MATCH("ip.src == \"127.0.0.2\"");
	BAD_SAYING("ip.src == 127.0.0.0/33",
		   "the prefix length in '127.0.0.0/33' must be a number from "
		   "0 to 32");
	BAD("ip.src == 127.0.0.0/33", 20);
	BAD_SAYING("ip.src == 127.0.0.0/", "must be a number from 0 to 32");
	BAD_SAYING("ip.src == 127.0.0.0/-1", "must be a number from 0 to 32");
	BAD_SAYING("ipv6.addr == fe80::/129", "from 0 to 128");
	BAD_SAYING("ip.src == 5", "'5' is not an IPv4 address (ip.src is an "
		   "address field)");
	BAD_SAYING("ip.src == 127.0.0.256", "is not an IPv4 address");
	BAD_SAYING("ip.addr == fe80::1", "'fe80::1' is an IPv6 address; "
		   "ip.addr is an IPv4 address field");
	BAD_SAYING("ipv6.addr == 10.0.0.1", "'10.0.0.1' is an IPv4 address; "
		   "ipv6.addr is an IPv6 address field");
	BAD_SAYING("ip.src contains 127", "ip.src (address) cannot be tested "
		   "with 'contains'");
	BAD_SAYING("ip.src > 127.0.0.0/8", "a prefix ('127.0.0.0/8') goes "
		   "with '==', '!=' and 'in' only");

	/* field against field: any occurrence of one against any of the
	 * other, as tshark */
	MATCH("rpc.xid == rpc.xid");
	MATCH("tcp.srcport < tcp.dstport");
	NOMATCH("tcp.srcport > tcp.dstport");
	MATCH("tcp.port == tcp.dstport");	/* either end */
	NOMATCH("tcp.srcport != tcp.port");	/* != : no pair equal */
	MATCH("ip.src != ip.dst and ip.addr == ip.dst");
	MATCH("rpc.repframe < frame.number");
	MATCH("glusterfs.dict.key != glusterfs.bname");
	MATCH("tapline.id == rpc.xid and tapline.status_code == gluster.op_errno");
	NOMATCH("glusterfs.path == glusterfs.bname");	/* one absent */
	BAD_SAYING("rpc.xid == ip.src",
		   "rpc.xid (hex) and ip.src (address) cannot be compared");
	BAD("rpc.xid == ip.src", 12);
	BAD_SAYING("glusterfs.bname == rpc.time",
		   "glusterfs.bname (string) and rpc.time (time) cannot be "
		   "compared");
	BAD_SAYING("glusterfs.bname contains glusterfs.path",
		   "'contains' takes a value, not a field such as "
		   "'glusterfs.path'");
	BAD_SAYING("rpc.xid in {1 tcp.port}", "a set holds values, not a "
		   "field such as 'tcp.port'");

	/* types: numbers for numeric fields, no text operators on them,
	 * subtrees have no value */
	BAD_SAYING("tcp.srcport == \"abc\"",
		   "tcp.srcport is a uint field: \"abc\" is not a number");
	BAD("tcp.srcport == \"abc\"", 16);
	BAD_SAYING("rpc.xid == SETATTR", "rpc.xid is a hex field: 'SETATTR' "
		   "is not a number");
	BAD_SAYING("rpc.time > soon", "rpc.time is a time field");
	BAD_SAYING("rpc.xid == 1.5", "rpc.xid is a hex field: '1.5' is not a "
		   "whole number");
	MATCH("rpc.time < 1.5");
	BAD_SAYING("tcp.srcport contains 1", "tcp.srcport (uint) cannot be "
		   "tested with 'contains': it compares as a number");
	BAD_SAYING("glusterfs.xdata == 1", "glusterfs.xdata is a subtree");
	MATCH("_ws.malformed == false or not _ws.malformed");
	MATCH("glusterfs.bname != 5");	/* text fields take any value */

	/* a protocol's bytes: the message's own, as the decoder kept them */
	MATCH("frame contains \"GlusterFS\"");
	MATCH("rpc contains \"\\x00\\xffGl\"");
	MATCH("glusterfs contains 47:6c:75");
	MATCH("frame contains 00-ff");
	MATCH("frame contains ff");
	NOMATCH("frame contains \"abc\"");
	MATCH("frame matches \"^\\x80\\x00.{8}Gluster\"");
	NOMATCH("ipv6 contains \"GlusterFS\"");	/* not in the message */
	BAD_SAYING("frame contains zz", "'frame' contains text (\"...\") or "
		   "bytes (61:62:63), not 'zz'");
	/* found by fuzz_filter: a pattern that does not compile, after a
	 * protocol, leaked its text */
	BAD_SAYING("frame matches \"(?~s)abc\"", "bad regular expression");
	BAD_SAYING("frame == 1", "'frame' is a protocol: its bytes are tested "
		   "with 'contains' or 'matches' only");
	BAD("frame == 1", 7);
	BAD_SAYING("rpc in {1}", "'rpc' is a protocol");
	BAD_SAYING("smb2 contains \"x\"", "'smb2' is not a protocol name");
	BAD_SAYING("fooo == 1", "'fooo' is not a field name");

	/* IPv6: prefixes over the whole 128 bits */
	struct message *v6 = malloc(sizeof *v6);
	msg_reset(v6);
	v6->frame = 1;
	v6->src.family = v6->dst.family = 6;
	memcpy(v6->src.addr, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	memcpy(v6->dst.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	v6->proto = &glusterfs_protocol;
	struct message *keep = m;
	m = v6;
	MATCH("ipv6.src == fe80::/10");
	MATCH("ipv6.src == fe80::1");
	MATCH("ipv6.dst == 2001:db8::/32 and ipv6.dst == 2001:db8::2/128");
	NOMATCH("ipv6.dst == 2001:db8::/127");
	MATCH("ipv6.dst == 2001:db8::2/127");
	NOMATCH("ipv6.src == fe80::/11 and ipv6.src == fec0::/10");
	MATCH("ipv6.addr == 2001:db8::/32 and ipv6.addr == fe80::/16");
	MATCH("ipv6.src != ipv6.dst");
	NOMATCH("ip.addr");
	NOMATCH("frame contains \"x\"");	/* no bytes kept */
	m = keep;
	free(v6);
}

int main(void)
{
	static const uint8_t gfid[16] = {
		0x4e, 0x1f, 0x2a, 0x33, 0x9a, 0x01, 0x4b, 0x2c,
		0x8d, 0x10, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
	};
	m = malloc(sizeof *m);
	msg_reset(m);
	m->frame = 53;
	m->ts_ns = 1763764000123456789LL;
	m->src.family = m->dst.family = 4;
	memcpy(m->src.addr, "\x7f\x00\x00\x02", 4);
	memcpy(m->dst.addr, "\x7f\x00\x00\x01", 4);
	m->src.port = 1021;
	m->dst.port = 49152;
	m->conversation = 4;
	m->proto = &glusterfs_protocol;
	rpc_set_header(m, 0x1a, RPC_REPLY);
	m->exchange.service_code = 1298437;
	m->exchange.service_version = 400;
	m->exchange.op_code = 38;
	m->exchange.service = "GlusterFS";
	m->exchange.op = "SETATTR";
	m->exchange.request_frame = 50;
	m->exchange.latency_ns = 1500000;
	gluster_set_result(m, -1, 13);
	msg_add_enum(m, &hf_glusterfs_proc, 38, "SETATTR");
	msg_add_gfid(m, &hf_glusterfs_gfid, gfid);
	msg_add_flags(m, &hf_glusterfs_setattr_valid, 0x30, "ATIME,MTIME");
	msg_add_time(m, &hf_glusterfs_ia_atime, -1, 0);
	msg_add_str(m, &hf_glusterfs_dict_key, "process-name", 12);
	msg_add_str(m, &hf_glusterfs_dict_key, "volfile-key", 11);
	msg_add_str(m, &hf_glusterfs_bname, "Foo.txt", 7);
	msg_add_uint(m, &hf_glusterfs_size, 4096);
	static const uint8_t pdu[] = "\x80\0\0\x10\0\0\0\x1a\0\xffGlusterFS";
	m->pdu = pdu;
	m->pdu_len = sizeof pdu - 1;

	/* bare names: fields and protocols */
	MATCH("rpc");
	MATCH("glusterfs");
	MATCH("GlusterFS");
	MATCH("gluster");
	MATCH("tcp and ip and frame");
	NOMATCH("ipv6");
	MATCH("glusterfs.gfid");
	NOMATCH("glusterfs.path");
	MATCH("rpc.repframe");
	NOMATCH("_ws.malformed");

	/* numbers: decimal, hex, negative, fractions; derived names */
	MATCH("frame.number == 53");
	MATCH("frame.number eq 0x35");
	MATCH("rpc.xid == 0x1a");
	MATCH("rpc.xid == 26");
	MATCH("rpc.msgtyp == 1");
	MATCH("rpc.procedure == 38 && rpc.programversion == 400");
	MATCH("tcp.stream == 3");
	MATCH("gluster.op_ret == -1");
	MATCH("gluster.op_ret < 0");
	NOMATCH("gluster.op_ret >= 0");
	MATCH("glusterfs.size > 4095 and glusterfs.size <= 4096");
	NOMATCH("glusterfs.size < 4096");
	MATCH("glusterfs.size ge 4096 && glusterfs.size le 4096");
	MATCH("glusterfs.ia_atime == -1");
	MATCH("glusterfs.ia_atime < 0");
	MATCH("rpc.time > 0.0015 or rpc.time == 0.0015");
	NOMATCH("rpc.time > 0.0015");
	MATCH("rpc.time < 0.001500001");
	MATCH("frame.time_epoch >= 1763764000.123456789");
	NOMATCH("frame.time_epoch > 1763764000.123456789");
	NOMATCH("frame.time_relative");	/* no time base given */

	/* names: enums and errnos by name, strings, addresses, gfids */
	MATCH("glusterfs.proc == SETATTR");
	MATCH("glusterfs.proc == setattr");
	MATCH("rpc.procedure == SETATTR");
	MATCH("gluster.op_errno == EACCES");
	NOMATCH("gluster.op_errno == ENOENT");
	MATCH("gluster.op_errno == 13");
	MATCH("ip.src == 127.0.0.2");
	MATCH("ip.dst == \"127.0.0.1\"");
	NOMATCH("ip.src == 127.0.0.1");
	MATCH("ip.src != 127.0.0.1");
	/* either end, as Wireshark's ip.addr and tcp.port */
	MATCH("ip.addr == 127.0.0.1");
	MATCH("ip.addr == 127.0.0.2");
	NOMATCH("ip.addr == 127.0.0.3");
	NOMATCH("ip.addr != 127.0.0.1");
	MATCH("tcp.port == 49152 && tcp.port == 1021");
	NOMATCH("tcp.port == 24007");
	NOMATCH("ipv6.addr");
	MATCH("glusterfs.gfid == 4e1f2a33-9a01-4b2c-8d10-001122334455");
	MATCH("glusterfs.gfid == \"4E1F2A33-9A01-4B2C-8D10-001122334455\"");
	MATCH("glusterfs.bname == \"Foo.txt\"");
	NOMATCH("glusterfs.bname == \"foo.txt\"");
	MATCH("glusterfs.bname contains \"o.t\"");
	MATCH("glusterfs.bname matches \"^F.o\\\\.txt$\"");
	NOMATCH("glusterfs.bname matches \"^foo\"");
	MATCH("glusterfs.setattr.valid contains MTIME");
	MATCH("glusterfs.setattr.valid == 0x30");
	MATCH("tapline.procedure == \"SETATTR\"");

	/* the exchange, whatever the protocol */
	MATCH("tapline.kind == response");
	MATCH("tapline.kind == 2");
	NOMATCH("tapline.kind == request");
	MATCH("tapline.id == 26 and tapline.op == \"SETATTR\"");
	MATCH("tapline.service == \"GlusterFS\"");
	MATCH("tapline.status == failed && tapline.status_code == 13");
	MATCH("tapline.status_name == \"EACCES\"");
	MATCH("tapline.request_frame == 50 && tapline.latency == 0.0015");
	NOMATCH("tcp.len");	/* the TCP layer has not filled it */

	/* several occurrences: == any, != none */
	MATCH("glusterfs.dict.key == \"volfile-key\"");
	MATCH("glusterfs.dict.key == \"process-name\"");
	NOMATCH("glusterfs.dict.key != \"volfile-key\"");
	MATCH("glusterfs.dict.key != \"other\"");
	NOMATCH("glusterfs.path != \"x\"");	/* absent: false */
	NOMATCH("glusterfs.path == \"x\"");
	MATCH("!(glusterfs.path == \"x\")");

	/* in { } */
	MATCH("rpc.procedure in {27 38}");
	MATCH("rpc.procedure in {27, 38, 41}");
	NOMATCH("rpc.procedure in {1 2 3}");
	MATCH("gluster.op_errno in {ENOENT EACCES}");

	/* precedence: not > and > or; parentheses */
	MATCH("rpc.xid == 1 or rpc.xid == 0x1a and rpc.msgtyp == 1");
	NOMATCH("(rpc.xid == 1 or rpc.xid == 0x1a) and rpc.msgtyp == 0");
	MATCH("not rpc.msgtyp == 0");
	MATCH("!glusterfs.path && !ipv6 || _ws.malformed");
	NOMATCH("not (rpc || tcp)");
	MATCH("((((rpc))))");

	/* errors with columns (1-based) */
	BAD("", 1);
	BAD("rpc.xid ==", 11);
	BAD("rpc.xid == 0x1a and", 20);
	BAD("(rpc.xid == 1", 14);
	BAD("rpc.xid == 1)", 13);
	BAD("rpc.xid # 1", 9);
	BAD("rpc.xid == \"abc", 12);
	BAD("rpc.xid == 1 2", 14);
	BAD("== 1", 1);
	BAD("42", 1);
	BAD("glusterfs.bname matches \"(\"", 25);
	BAD("rpc.procedure in 38", 18);
	BAD("rpc.procedure in {38", 21);
	BAD("rpc.xid == \"\\q\"", 13);
	/* names no table has: refused, with the column */
	BAD("smb2", 1);
	BAD("foo or rpc", 1);
	BAD("rpc.xid == 1 or glusterfs.bnam", 17);
	BAD("rpc and tcp.lenn > 0", 9);
	/* found by fuzz_filter: a string left open inside a set */
	BAD("rpc.xid in {1 \"ab", 15);

	/* matches: PCRE2's syntax, case-sensitive, the whole value */
	MATCH("glusterfs.bname matches \"(?i)^foo\\\\.TXT$\"");
	MATCH("glusterfs.bname matches \"^\\\\w{3}\\\\.(?:txt|doc)\\\\z\"");
	MATCH("glusterfs.dict.key matches \"^volfile-\"");
	MATCH("gluster.op_errno matches \"^EACC\"");
	NOMATCH("glusterfs.bname matches \"^foo\"");
	BAD_SAYING("glusterfs.bname matches \"(*UTF)a\"", "UTF is disabled");

	regex_limits();
	strict();

	/* hostile nesting is refused, not a stack overflow */
	char deep[2048];
	memset(deep, '(', 1000);
	strcpy(deep + 1000, "rpc");
	is_int(run(deep), -1, "deep nesting rejected: %s", err);
	free(m);
	return tap_done();
}
