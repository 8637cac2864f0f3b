/* gluster_lab_test.c - the GlusterFS decoders on the lab's real captures
 * (tests/captures), each expectation checked against an independent
 * source: the lab client's own log (tests/captures/NAME.client.log), the
 * captures' README (checked with tshark 4.0.17) or tshark's fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/capture.h"
#include "wire/decoder.h"
#include "wire/stream.h"
#include "proto/oncrpc/rpc_record.h"
#include "proto/oncrpc/fields.h"
#include "proto/gluster/fields.h"
#include "proto/oncrpc/rpc.h"
#include "proto/registry.h"
#include "gluster_result.h"
#include "tap.h"

#define MAX_KEEP 8

struct kept {
	uint64_t frames[MAX_KEEP];
	struct message *msgs[MAX_KEEP];
	unsigned n, total, malformed;
};

static void on_message(void *user, const struct message *m)
{
	struct kept *k = user;
	k->total++;
	if (m->verdict & MSG_MALFORMED)
		k->malformed++;
	for (unsigned i = 0; i < k->n; i++)
		if (k->frames[i] == m->frame && !k->msgs[i]) {
			k->msgs[i] = malloc(sizeof *m);
			memcpy(k->msgs[i], m, sizeof *m);
			return;
		}
}

/* Decodes a capture; keeps the messages that completed in frames[]. */
static int decode(const char *name, struct kept *k)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/%s%s", top ? top : ".",
		 strchr(name, '/') ? "" : "tests/captures/", name);
	const char *paths[] = { path };
	char err[256];
	struct capture *cap = capture_open(paths, 1, err, sizeof err);
	if (!cap)
		return -1;
	struct decoder_options opts;
	decoder_default_options(&opts);
	struct decoder *d = decoder_new(&opts, on_message, k);
	static const struct stream_proto *const protos[] = { &rpc_stream_proto };
	decoder_set_protocols(d, protos, 1);
	struct capture_frame f;
	while (capture_next(cap, &f) == 1)
		decoder_frame(d, &f);
	decoder_finish(d);
	decoder_free(d);
	capture_close(cap);
	return 0;
}

static void release(struct kept *k)
{
	for (unsigned i = 0; i < k->n; i++)
		free(k->msgs[i]);
}

static const struct field *field_in(const struct message *m,
				    const char *tree, const char *name)
{
	/* the first `name` inside the first subtree `tree` */
	for (unsigned i = 0; i < m->nfields; i++) {
		if (m->fields[i].kind != FIELD_TREE ||
		    strcmp(field_name(&m->fields[i]), tree))
			continue;
		unsigned depth = m->fields[i].depth;
		for (unsigned j = i + 1; j < m->nfields &&
		     m->fields[j].depth > depth; j++)
			if (!strcmp(field_name(&m->fields[j]), name))
				return &m->fields[j];
		return NULL;
	}
	return NULL;
}

static bool has_str(const struct message *m, const char *name,
		    const char *want)
{
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		if (f->kind == FIELD_STR && !strcmp(field_name(f), name) &&
		    f->len == strlen(want) &&
		    !memcmp(field_bytes(m, f), want, f->len))
			return true;
	}
	return false;
}

static void test_utimens(void)
{
	struct kept k = { .frames = { 51, 53, 54, 20, 31, 60, 4, 6 }, .n = 8 };
	if (decode("gfapi-utimens.pcap", &k) < 0) {
		ok(0, "gfapi-utimens.pcap opens");
		return;
	}
	is_int(k.malformed, 0, "gfapi-utimens: no message malformed");

	/* client log: glfs_utimens atime=1700000000.123456789
	 * mtime=1700000001.987654321 -> SETATTR frame 51 */
	struct message *m = k.msgs[0];
	ok(m && m->exchange.service_code == 1298437 && m->exchange.service_version == 400 && m->exchange.op_code == 38,
	   "frame 51 is a v400 SETATTR call");
	if (m) {
		const struct field *f = msg_find(m, &hf_glusterfs_ia_atime);
		ok(f && f->v.t.sec == 1700000000 && f->v.t.nsec == 123456789,
		   "frame 51 atime = the log's 1700000000.123456789");
		f = msg_find(m, &hf_glusterfs_ia_mtime);
		ok(f && f->v.t.sec == 1700000001 && f->v.t.nsec == 987654321,
		   "frame 51 mtime = the log's 1700000001.987654321");
	}
	/* client log: glfs_utimens atime=-1.000000000
	 * mtime=1700000002.500000000; README: valid 0x30 */
	m = k.msgs[1];
	ok(m && m->exchange.op_code == 38 && rpc_header(m, RPC_H_TYPE) == RPC_CALL &&
	   !(m->verdict & (MSG_MALFORMED | MSG_NOT_DECODED)),
	   "frame 53 SETATTR call decoded (tshark: Malformed)");
	if (m) {
		const struct field *f = msg_find(m, &hf_glusterfs_ia_atime);
		ok(f && f->v.t.sec == -1 && f->v.t.nsec == 0,
		   "frame 53 atime = -1, as the client sent");
		f = msg_find(m, &hf_glusterfs_ia_mtime);
		ok(f && f->v.t.sec == 1700000002 && f->v.t.nsec == 500000000,
		   "frame 53 mtime = the log's 1700000002.500000000");
		f = msg_find(m, &hf_glusterfs_setattr_valid);
		ok(f && f->v.u == 0x30, "frame 53 valid = ATIME|MTIME");
		ok(strstr(m->info, "V400 SETATTR Call gfid=") == m->info &&
		   strstr(m->info, "valid=ATIME,MTIME atime=-1.000000000"),
		   "summary: %s", m->info);
		/* credential 390040: pid is the log's pid; ctime is when
		 * the client built the call, so near the frame's time */
		f = msg_find(m, &hf_rpc_auth_flavor);
		ok(f && f->v.u == 390040, "credential flavour 390040");
		f = msg_find(m, &hf_rpc_auth_pid);
		ok(f && f->v.i == 26836, "credential pid = the log's pid 26836");
		f = msg_find(m, &hf_rpc_auth_ctime);
		int64_t at = f ? f->v.t.sec * 1000000000 + f->v.t.nsec : 0;
		int64_t diff = at - m->ts_ns;
		ok(f && diff > -1000000000LL && diff < 1000000000LL,
		   "credential ctime (nsec u32 then sec u64) is within 1 s of "
		   "the frame (%lld ns off; tshark reads 1996)",
		   (long long)diff);
	}
	/* README/tshark: reply op_ret 0, post-op atime 18446744073709551615
	 * = -1; the log's glfs_stat: atime -1.000000000 */
	m = k.msgs[2];
	ok(m && rpc_header(m, RPC_H_TYPE) == RPC_REPLY && m->exchange.request_frame == 53 &&
	   result_ret_is(m, 0), "frame 54 reply to 53, op_ret 0");
	if (m) {
		const struct field *f = field_in(m, "glusterfs.postop_iattx",
						 "glusterfs.ia_atime");
		ok(f && f->v.t.sec == -1, "post-op atime is -1");
		ok(m->exchange.latency_ns > 0 && m->exchange.latency_ns < 1000000000,
		   "latency %lld ns", (long long)m->exchange.latency_ns);
	}
	/* README / tshark gluster.brick.port: PORTBYBRICK reply 49152 */
	m = k.msgs[3];
	if (m) {
		const struct field *f = msg_find(m, &hf_gluster_brick_port);
		ok(f && f->v.i == 49152, "frame 20 PORTBYBRICK port 49152");
	} else {
		ok(0, "frame 20 decoded");
	}
	/* tshark: gluster.dump.prognum 1298437,1298437,123451501,14398633
	 * progver 400,330,1,2 */
	m = k.msgs[4];
	ok(m && m->exchange.op_code == 1 && m->exchange.service_code == 123451501 &&
	   strstr(m->info, "(1298437/400),GlusterFS 3.3(1298437/330),"
			   "GF-DUMP(123451501/1),GlusterFS Handshake(14398633/2)"),
	   "frame 31 DUMP reply lists the brick's programs");
	/* README: RELEASE is FOP 41 (tshark: proc-41) */
	m = k.msgs[5];
	ok(m && m->exchange.op_code == 41 && m->exchange.op &&
	   !strcmp(m->exchange.op, "RELEASE"), "frame 60 is RELEASE");
	/* tshark: glusterfs.hndsk.getspec.key "single", spec starts with
	 * "volume single-client-0" */
	m = k.msgs[6];
	ok(m && has_str(m, "glusterfs.hndsk.getspec.key", "single"),
	   "frame 4 GETSPEC key single");
	m = k.msgs[7];
	if (m) {
		const struct field *f = msg_find(m, &hf_glusterfs_hndsk_getspec);
		ok(f && f->len > 22 &&
		   !memcmp(field_bytes(m, f), "volume single-client-0", 22),
		   "frame 6 GETSPEC reply carries the volfile");
	} else {
		ok(0, "frame 6 decoded");
	}
	release(&k);
}

static void test_auth_failure(void)
{
	struct kept k = { .frames = { 23, 26 }, .n = 2 };
	if (decode("auth-failure.pcap", &k) < 0) {
		ok(0, "auth-failure.pcap opens");
		return;
	}
	/* README (tshark): SETVOLUME reply op_ret -1, op_errno 13, dict
	 * ERROR: Authentication failed */
	struct message *m = k.msgs[1];
	ok(m && result_is(m, -1, 13),
	   "frame 26 SETVOLUME reply op_ret -1 op_errno 13");
	if (m) {
		ok(has_str(m, "glusterfs.dict.value", "Authentication failed"),
		   "the reply's dict holds the error string");
		ok(strstr(m->info, "SETVOLUME Reply (Call In 23) op_ret=-1 "
				   "op_errno=13 EACCES error=\"Authentication "
				   "failed\"") != NULL, "summary: %s", m->info);
		const struct field *f = msg_find(m, &hf_gluster_op_errno);
		ok(f && f->kind == FIELD_ERRNO && f->text &&
		   !strcmp(f->text, "EACCES"), "op_errno named EACCES");
	}
	/* client log pid=27907; README: process-uuid has PID:27907 */
	m = k.msgs[0];
	ok(m && strstr(m->info, "process=gfapi.gfapi-client") &&
	   strstr(m->info, "PID:27907-"),
	   "frame 23 SETVOLUME call names the client process");
	release(&k);
}

/* FOP version 330 from a real 10.3 client (testing.old-protocol; see
 * tests/gluster/captures/README.md): client log pid 26388, atime
 * 1700000000.123456789, then atime -1, which glfs_stat returned as
 * 4294967295 and the brick's backend file shows as 4294967295. */
static void test_v330(void)
{
	struct kept k = { .frames = { 45, 47, 48, 51 }, .n = 4 };
	if (decode("tests/gluster/captures/v330-utimens.pcap", &k) < 0) {
		ok(0, "v330-utimens.pcap opens");
		return;
	}
	is_int(k.malformed, 0, "v330: no message malformed");
	struct message *m = k.msgs[0];
	ok(m && m->exchange.service_version == 330 && m->exchange.op_code == 38, "frame 45 V330 SETATTR");
	if (m) {
		const struct field *f = msg_find(m, &hf_glusterfs_ia_atime);
		ok(f && f->v.t.sec == 1700000000 && f->v.t.nsec == 123456789,
		   "frame 45 atime = the log's 1700000000.123456789");
		f = msg_find(m, &hf_rpc_auth_pid);
		ok(f && f->v.i == 26388, "credential pid = the log's 26388");
	}
	m = k.msgs[1];
	if (m) {
		const struct field *f = msg_find(m, &hf_glusterfs_ia_atime);
		ok(f && f->v.t.sec == 4294967295LL,
		   "frame 47 atime = 4294967295, what the brick applied");
		ok(strstr(m->info, "atime=4294967295.000000000 "
				   "mtime=1700000002.500000000") != NULL,
		   "summary: %s", m->info);
	} else {
		ok(0, "frame 47 decoded");
	}
	m = k.msgs[2];
	ok(m && m->exchange.request_frame == 47 && result_ret_is(m, 0),
	   "frame 48 V330 SETATTR reply, op_ret 0");
	m = k.msgs[3];
	ok(m && m->exchange.service_version == 330 && m->exchange.op_code == 41 && m->exchange.op &&
	   !strcmp(m->exchange.op, "RELEASE"), "frame 51 V330 RELEASE");
	release(&k);
}

static void test_all_clean(void)
{
	/* Every RPC message of every lab capture decodes without a
	 * malformed verdict: GlusterFS 10.3 sent them all. */
	static const char *const caps[] = {
		"distribute-2brick.pcap", "cli-ops.pcap", "fuse-mount.pcap",
		"qemu-img.pcap", "samba.pcap",
	};
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		struct kept k = { .n = 0 };
		if (decode(caps[i], &k) < 0) {
			printf("ok %d # SKIP %s not there\n", ++tap_count,
			       caps[i]);
			continue;
		}
		ok(k.total > 0 && k.malformed == 0,
		   "%s: %u messages, none malformed", caps[i], k.total);
	}
}

int main(void)
{
	test_utimens();
	test_auth_failure();
	test_v330();
	test_all_clean();
	return tap_done();
}
