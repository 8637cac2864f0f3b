/* rpc_record_test.c - XDR primitives, ONC-RPC record marking, headers,
 * call/reply matching and detection, on bytes built from RFC 4506/5531. */
#include <stdlib.h>
#include <string.h>

#include "proto/oncrpc/rpc.h"
#include "proto/oncrpc/rpc_record.h"
#include "proto/registry.h"
#include "gluster_result.h"
#include "tap.h"
#include "proto/oncrpc/xdr.h"
#include "xdr_build.h"

static struct message msgs[16];
static unsigned nmsgs;
static struct rpc_conn conn;
static struct waiting_set *calls;

static void on_record(void *ctx, const uint8_t *rec, size_t kept,
		      const struct rpc_record_info *info, uint64_t first_frame,
		      bool after_gap)
{
	(void)ctx;
	if (nmsgs >= 16)
		return;
	struct message *m = &msgs[nmsgs++];
	msg_reset(m);
	m->first_frame = first_frame;
	m->frame = info->frame;
	rpc_decode(&conn, m, rec, kept, info);
	if (after_gap)
		msg_mark(m, MSG_AFTER_GAP, NULL);
}

static void feed(struct rpc_reader *r, uint8_t dir, size_t keep,
		 const uint8_t *p, size_t n, uint64_t frame)
{
	struct frame_ref f = { frame, (int64_t)frame * 1000000 };
	rpc_reader_feed(r, dir, keep, p, n, &f, on_record, NULL);
}

static void test_xdr(void)
{
	uint8_t b[] = { 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0,
			0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2 };
	struct cursor c = cursor_init(b, sizeof b);
	uint32_t len;
	const char *s = xdr_string(&c, 100, &len);
	ok(s && len == 5 && !memcmp(s, "hello", 5), "string<> with padding");
	is_int(cursor_offset(&c), 12, "padding skipped to a multiple of 4");
	is_int(xdr_i32(&c), -1, "int is signed");
	ok(!xdr_bool(&c) && (c.status & CURSOR_MALFORMED),
	   "a bool of 2 is malformed");

	c = cursor_init(b, sizeof b);
	ok(!xdr_opaque(&c, 4, &len) && (c.status & CURSOR_MALFORMED),
	   "a length beyond its cap is malformed");
	c = cursor_init(b, 8);
	ok(!xdr_opaque(&c, 100, &len) && c.status == CURSOR_TRUNCATED,
	   "a length beyond the bytes is truncated, not malformed");
	uint8_t h[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
	c = cursor_init(h, 8);
	is_int(xdr_i64(&c), -2, "hyper is signed 64-bit big-endian");
	c = cursor_init(h, 6);
	ok(xdr_u64(&c) == 0 && c.status == CURSOR_TRUNCATED,
	   "a cut hyper reads 0 and truncates");
}

/* A GF-DUMP DUMP call (123451501 v1 proc 1, arg gfs_id u64) and its
 * reply, in one or two fragments. */
static size_t dump_call(uint8_t *out, uint32_t xid, bool two_fragments)
{
	struct xb x = { .n = 0 };
	xb_call(&x, xid, 123451501, 1, 1);
	xb_u64(&x, 77);
	size_t n = 0;
	if (two_fragments) {
		size_t half = 10;
		uint32_t m1 = (uint32_t)half, m2 = 0x80000000u |
						   (uint32_t)(x.n - half);
		struct xb o = { .n = 0 };
		xb_u32(&o, m1);
		xb_raw(&o, x.b, half);
		xb_u32(&o, m2);
		xb_raw(&o, x.b + half, x.n - half);
		memcpy(out, o.b, o.n);
		n = o.n;
	} else {
		struct xb o = { .n = 0 };
		xb_u32(&o, 0x80000000u | (uint32_t)x.n);
		xb_raw(&o, x.b, x.n);
		memcpy(out, o.b, o.n);
		n = o.n;
	}
	return n;
}

static size_t dump_reply(uint8_t *out, uint32_t xid)
{
	struct xb x = { .n = 0 };
	xb_reply(&x, xid);
	xb_u64(&x, 77);		/* gfs_id */
	xb_u32(&x, 0);		/* op_ret */
	xb_u32(&x, 0);		/* op_errno */
	xb_u32(&x, 1);		/* prog follows */
	xb_string(&x, "GlusterFS 4.x v1");
	xb_u64(&x, 1298437);
	xb_u64(&x, 400);
	xb_u32(&x, 0);		/* end of list */
	struct xb o = { .n = 0 };
	xb_u32(&o, 0x80000000u | (uint32_t)x.n);
	xb_raw(&o, x.b, x.n);
	memcpy(out, o.b, o.n);
	return o.n;
}

static const struct field *find(const struct message *m, const char *name)
{
	return msg_find(m, field_find(name));
}

/* A call cut before its procedure: the summary says what is known of
 * it (the decoder writes it; renderers only show it). */
static void test_cut_call(void)
{
	memset(&conn, 0, sizeof conn);
	struct rpc_reader cut;
	memset(&cut, 0, sizeof cut);
	struct xb x = { .n = 0 };
	xb_u32(&x, 0x80000000u | 20);
	xb_u32(&x, 9);			/* xid */
	xb_u32(&x, 0);			/* call */
	xb_u32(&x, 2);			/* RPC version */
	xb_u32(&x, 123451501);		/* program, version; no procedure */
	xb_u32(&x, 1);
	size_t before_cut = nmsgs = 0;
	feed(&cut, 0, RPC_DEFAULT_KEEP, x.b, x.n, 30);
	ok(nmsgs == before_cut + 1 &&
	   !strcmp(msgs[nmsgs - 1].info, "Program 123451501 V1 proc-0 Call"),
	   "a call without a procedure: its identity as the summary (%s)",
	   nmsgs > before_cut ? msgs[nmsgs - 1].info : "none");
	rpc_reader_free(&cut);
	rpc_conn_free(&conn);
}

static void test_records(void)
{
	struct rpc_reader a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	rpc_conn_init(&conn, calls, 1);
	nmsgs = 0;
	uint8_t buf[1024];

	/* a two-fragment call fed one byte at a time */
	size_t n = dump_call(buf, 7, true);
	for (size_t i = 0; i < n; i++)
		feed(&a, 0, RPC_DEFAULT_KEEP, buf + i, 1, 10 + i);
	is_int(nmsgs, 1, "two fragments, fed byte by byte, are one record");
	struct message *m = &msgs[0];
	ok(rpc_message(m) && rpc_header(m, RPC_H_TYPE) == RPC_CALL &&
	   rpc_header(m, RPC_H_XID) == 7, "the record is call xid 7");
	is_int(m->exchange.service_code, 123451501, "program");
	is_str(m->exchange.op, "DUMP", "procedure named");
	is_int(m->verdict, 0, "no verdict on a good call");
	is_int(m->first_frame, 10, "first_frame is where the record began");
	is_int(m->frame, 10 + n - 1, "frame is where it completed");
	is_int(m->length, n - 8, "length counts the record, not the marks");
	const struct field *f = find(m, "rpc.auth.flavor");
	ok(f && f->v.u == 390039, "credential flavour 390039");
	f = find(m, "rpc.auth.pid");
	ok(f && f->v.i == 4242, "AUTH_GLUSTERFS-v2 pid");
	f = find(m, "rpc.auth.lk_owner");
	ok(f && f->len == 4, "AUTH_GLUSTERFS-v2 lk_owner<>");

	/* the reply, other direction, after the call's last byte (frame
	 * 10 + n - 1): matched with the call's identity */
	n = dump_reply(buf, 7);
	feed(&b, 1, RPC_DEFAULT_KEEP, buf, n, 400);
	is_int(nmsgs, 2, "reply decoded");
	m = &msgs[1];
	ok(rpc_header(m, RPC_H_TYPE) == RPC_REPLY &&
	   m->exchange.service_code == 123451501 &&
	   m->exchange.service_version == 1 && m->exchange.op_code == 1,
	   "reply has the call's program");
	/* tshark's "Call In" is the frame where the call completed */
	is_int(m->exchange.request_frame, 10 + dump_call(buf, 7, true) - 1,
	       "Call In = the frame where the call completed");
	is_int(m->exchange.latency_ns,
	       (400 - (int64_t)(10 + dump_call(buf, 7, true) - 1)) * 1000000,
	       "latency from the call's frame time");
	ok(result_ret_is(m, 0), "op_ret from the body");
	f = find(m, "gluster.dump.prognum");
	ok(f && f->v.u == 1298437, "program list decoded");
	ok(strstr(m->info, "GlusterFS 4.x v1(1298437/400)") != NULL,
	   "summary lists the program: %s", m->info);
	is_int(rpc_conn_unanswered(&conn), 0, "nothing unanswered");

	/* same xid, same direction as a reply: no call to match */
	n = dump_reply(buf, 7);
	feed(&b, 1, RPC_DEFAULT_KEEP, buf, n, 401);
	m = &msgs[2];
	ok(rpc_header(m, RPC_H_TYPE) == RPC_REPLY &&
	   m->exchange.request_frame == 0 &&
	   (m->verdict & MSG_NOT_DECODED), "an orphan reply is not decoded");
	is_int(conn.orphan_replies, 1, "orphan counted");

	/* a reply only matches a call sent the other way */
	n = dump_call(buf, 9, false);
	feed(&a, 0, RPC_DEFAULT_KEEP, buf, n, 50);
	n = dump_reply(buf, 9);
	feed(&a, 0, RPC_DEFAULT_KEEP, buf, n, 51);
	ok(msgs[4].exchange.request_frame == 0, "a reply in the call's direction does not match");
	is_int(rpc_conn_unanswered(&conn), 1, "the call is still unanswered");

	/* elided: keep 64 bytes of a longer record */
	n = dump_reply(buf, 9);
	unsigned before = nmsgs;
	feed(&b, 1, 64, buf, n, 52);
	m = &msgs[before];
	ok((m->verdict & MSG_ELIDED) && !(m->verdict & MSG_MALFORMED),
	   "a record beyond the kept head is ELIDED, not malformed");
	is_int(m->length, n - 4, "its length is the whole record");
	ok(m->exchange.request_frame == 50, "the elided reply still matches its call");

	/* a record cut by the end of the capture */
	n = dump_call(buf, 11, false);
	before = nmsgs;
	feed(&a, 0, RPC_DEFAULT_KEEP, buf, n - 6, 60);
	struct frame_ref end = { 61, 61000000 };
	rpc_reader_break(&a, 0, &end, false, on_record, NULL);
	m = &msgs[before];
	ok(nmsgs == before + 1 && (m->verdict & MSG_TRUNCATED) &&
	   !(m->verdict & MSG_MALFORMED), "a cut record is TRUNCATED");

	/* a record whose body lies: complete, but a length runs past it */
	struct xb x = { .n = 0 };
	xb_call(&x, 12, 34123456, 1, 1);	/* PORTBYBRICK brick<> */
	xb_u32(&x, 1000);			/* 1000 bytes that are not there */
	xb_raw(&x, "abcd", 4);
	struct xb o = { .n = 0 };
	xb_u32(&o, 0x80000000u | (uint32_t)x.n);
	xb_raw(&o, x.b, x.n);
	before = nmsgs;
	feed(&a, 0, RPC_DEFAULT_KEEP, o.b, o.n, 70);
	m = &msgs[before];
	ok(m->verdict & MSG_MALFORMED, "a complete record too short for its "
	   "lengths is MALFORMED (%s)", m->why ? m->why : "-");

	/* garbage then a good call: the reader hunts and resyncs */
	uint8_t junk[300];
	memset(junk, 0xff, sizeof junk);
	before = nmsgs;
	feed(&a, 0, RPC_DEFAULT_KEEP, junk, sizeof junk, 80);
	n = dump_call(buf, 13, false);
	feed(&a, 0, RPC_DEFAULT_KEEP, buf, n, 81);
	struct frame_ref end2 = { 82, 82000000 };
	rpc_reader_break(&a, 0, &end2, false, on_record, NULL);
	ok(nmsgs > before && (uint32_t)rpc_header(&msgs[nmsgs - 1], RPC_H_XID) == 13 &&
	   (msgs[nmsgs - 1].verdict & MSG_AFTER_GAP),
	   "after a mark that cannot be right, the next call is found");
	ok(a.skipped > 0, "bytes skipped while hunting are counted");

	rpc_reader_free(&a);
	rpc_reader_free(&b);
	rpc_conn_free(&conn);
}

static void test_detect(void)
{
	uint8_t buf[1024];
	size_t n = dump_call(buf, 1, false);
	is_int(rpc_record_detect(buf, n, true), DETECT_YES,
	       "a call to a known program is detected");
	is_int(rpc_record_detect(buf, 20, true), DETECT_MAYBE,
	       "a few bytes: maybe");
	n = dump_reply(buf, 1);
	is_int(rpc_record_detect(buf, n, false), DETECT_YES,
	       "an accepted reply is detected");
	struct xb x = { .n = 0 };
	xb_u32(&x, 0x80000040);
	xb_call(&x, 1, 100003, 3, 1);	/* NFSv3: not a GlusterFS program */
	is_int(rpc_record_detect(x.b, x.n, true), DETECT_NO,
	       "a call to an unknown program is not");
	x.n = 0;
	xb_u32(&x, 0x80000040);
	xb_call(&x, 1, 1298437, 400, 99);	/* no procedure 99 */
	is_int(rpc_record_detect(x.b, x.n, true), DETECT_NO,
	       "an unknown procedure is not");
	x.n = 0;
	xb_u32(&x, 0x80000100);
	xb_call(&x, 1, 1298437, 400, 38);
	is_int(rpc_record_detect(x.b, x.n, true), DETECT_YES,
	       "FOP v400 SETATTR is");
	x.b[15] = 3;				/* rpcvers 3 */
	is_int(rpc_record_detect(x.b, x.n, true), DETECT_NO,
	       "RPC version 3 is not");
	uint8_t ceph[] = "ceph v027\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
			 "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	is_int(rpc_record_detect(ceph, sizeof ceph - 1, true), DETECT_NO,
	       "the Ceph msgr1 banner is not");
	uint8_t http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	is_int(rpc_record_detect(http, sizeof http - 1, true), DETECT_NO,
	       "HTTP is not");
}

/* A call of xid i completed in frame i + 1 at time i. */
static void call_in(struct rpc_conn *c, uint32_t i)
{
	struct xb x = { .n = 0 };
	xb_call(&x, i, 123451501, 1, 2);	/* PING */
	struct rpc_record_info info = { 0, x.n, false, false, i + 1,
					(int64_t)i };
	msg_reset(&msgs[0]);
	rpc_decode(c, &msgs[0], x.b, x.n, &info);
}

static const struct message *reply_to(struct rpc_conn *c, uint32_t xid)
{
	struct xb x = { .n = 0 };
	xb_reply(&x, xid);
	xb_u32(&x, 0);
	xb_u32(&x, 0);
	xb_u32(&x, 0);
	struct rpc_record_info info = { 1, x.n, false, false, 999999, 5 };
	msg_reset(&msgs[0]);
	rpc_decode(c, &msgs[0], x.b, x.n, &info);
	return &msgs[0];
}

/* Expired XIDs: 0, 1, 2, ... when the oldest go first. */
static unsigned expired_calls, expired_out_of_order;
static void on_expired(void *ctx, const struct waiting_table *t,
		       const struct waiting_request *r)
{
	(void)ctx;
	(void)t;
	if (r->id != expired_calls)
		expired_out_of_order++;
	expired_calls++;
}

static void test_xid_table(void)
{
	/* more calls than a 256 KiB budget holds: the oldest expire */
	struct memory_budget budget;
	budget_init(&budget, 256u << 10, NULL);
	struct waiting_set *set = waiting_set_new(&budget, on_expired, NULL);
	struct rpc_conn c;
	rpc_conn_init(&c, set, 1);
	const uint32_t n = 20000;
	for (uint32_t i = 0; i < n; i++)
		call_in(&c, i);
	ok(budget.peak <= budget.limit, "the calls stay within the budget "
	   "(%zu bytes at most)", budget.peak);
	ok(expired_calls > 0 && expired_calls + rpc_conn_unanswered(&c) == n,
	   "every call is waiting or expired (%u expired, %llu waiting)",
	   expired_calls, (unsigned long long)rpc_conn_unanswered(&c));
	is_int(expired_out_of_order, 0, "the oldest expired first, in order");
	ok(reply_to(&c, n - 1)->exchange.request_frame == n &&
	   !strcmp(msgs[0].exchange.op, "PING"), "the newest call is matched");
	ok(reply_to(&c, 0)->exchange.request_frame == 0, "an expired one is not");
	is_int(rpc_conn_free(&c), n - expired_calls - 1,
	       "closing forgets the rest, counted");
	is_int(waiting_set_count(set), 0, "nothing waits in the set");
	waiting_set_free(set);
	is_int(budget.used, 0, "the budget is given back");

	/* the same XID again: the newer call wins, once */
	rpc_conn_init(&c, calls, 1);
	call_in(&c, 7);
	call_in(&c, 7);
	is_int(rpc_conn_unanswered(&c), 1, "a repeated XID waits once");
	ok(reply_to(&c, 7)->exchange.request_frame == 8, "and matches its newer call");
	rpc_conn_free(&c);
}

/* Record heads under a shared budget: a record larger than the budget
 * keeps what fits (elided), the budget is never passed, and a finished
 * record gives its bytes back. */
static void test_budget(void)
{
	static uint8_t rec[4 + 20000];
	struct xb x = { .n = 0 };
	xb_call(&x, 77, 123451501, 1, 2);	/* PING, then filler */
	uint32_t len = sizeof rec - 4;
	rec[0] = 0x80 | (uint8_t)(len >> 24);
	rec[1] = (uint8_t)(len >> 16);
	rec[2] = (uint8_t)(len >> 8);
	rec[3] = (uint8_t)len;
	memcpy(rec + 4, x.b, x.n);
	struct memory_budget budget;
	budget_init(&budget, 6000, NULL);
	struct rpc_reader r;
	memset(&r, 0, sizeof r);
	r.budget = &budget;
	nmsgs = 0;
	for (size_t at = 0; at < sizeof rec; at += 1000) {
		size_t n = sizeof rec - at < 1000 ? sizeof rec - at : 1000;
		feed(&r, 0, 1u << 20, rec + at, n, 1 + at / 1000);
	}
	ok(budget.peak <= 6000 && budget.peak > 4000,
	   "record head held within the budget (%zu)", budget.peak);
	is_int(budget.used, 0, "a finished record gives its bytes back");
	ok(nmsgs == 1 && (msgs[0].verdict & MSG_ELIDED) && (uint32_t)rpc_header(&msgs[0], RPC_H_XID) == 77,
	   "the record is decoded from its head and marked elided");
	rpc_reader_free(&r);
	rpc_conn_free(&conn);
}

int main(void)
{
	calls = waiting_set_new(NULL, NULL, NULL);
	test_xdr();
	test_records();
	test_cut_call();
	test_detect();
	test_xid_table();
	test_budget();
	waiting_set_free(calls);
	return tap_done();
}
