/* fuzz_filter.c - libFuzzer entry: bytes -> a -Y expression -> compile,
 * and when it compiles, match it against messages with every field kind
 * and a long string (glusterfs.path) on which regular expressions can
 * blow up, IPv6 addresses (prefixes) and the message's bytes (frame
 * contains).
 * Must never fault, whatever the text, nor take memory or time without
 * bound (libFuzzer's -rss_limit_mb and -timeout catch that); errors must
 * name a column inside (or just after) the expression.  Also replayed by
 * replay.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/gluster/gluster.h"
#include "proto/oncrpc/rpc.h"
#include "present/filter.h"
#include "proto/gluster/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct message *sample(void)
{
	static struct message *m;
	if (m)
		return m;
	static const uint8_t gfid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	m = malloc(sizeof *m);
	if (!m)
		abort();
	msg_reset(m);
	m->frame = 7;
	m->ts_ns = -1500000000;	/* before the epoch: negative times too */
	m->src.family = m->dst.family = 6;
	m->src.addr[15] = 1;
	m->dst.addr[0] = 0xfe;
	m->dst.addr[1] = 0x80;
	/* its bytes, for frame contains / matches: NUL and 0xff too */
	static const uint8_t pdu[] = "\x80\x00\x00\x1c\x00\x00\x00\x01"
				     "GlusterFS\0\xff abc";
	m->pdu = pdu;
	m->pdu_len = sizeof pdu;
	m->conversation = 1;
	m->proto = &glusterfs_protocol;
	rpc_set_header(m, 0, RPC_REPLY);
	m->exchange.request_frame = 3;
	m->exchange.latency_ns = 42;
	gluster_set_result(m, -1, 13);
	msg_add_enum(m, &hf_glusterfs_proc, 38, "SETATTR");
	msg_add_gfid(m, &hf_glusterfs_gfid, gfid);
	msg_add_flags(m, &hf_glusterfs_setattr_valid, 0x30, "ATIME,MTIME");
	msg_add_time(m, &hf_glusterfs_ia_atime, -1, 999999999);
	msg_add_str(m, &hf_glusterfs_bname, "a\0b\xff", 4);
	msg_add_bytes(m, &hf_glusterfs_dict_value, "\x00\x01", 2);
	/* extremes of each number kind (names from the tables: -Y knows
	 * no other) */
	msg_add_int(m, &hf_glusterfs_fd, INT64_MIN);
	msg_add_uint(m, &hf_glusterfs_offset, UINT64_MAX);
	msg_add_hex(m, &hf_glusterfs_iax_flags, UINT64_MAX);
	m->verdict |= MSG_MALFORMED;	/* _ws.malformed: a bool */
	msg_open(m, &hf_glusterfs_xdata, "label");
	msg_add_errno(m, &hf_gluster_op_errno, 99999);
	msg_close(m);
	char run[1024];
	memset(run, 'a', sizeof run);
	run[sizeof run - 1] = 'b';
	msg_add_str(m, &hf_glusterfs_path, run, sizeof run);
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *expr = malloc(size + 1);
	if (!expr)
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';	/* stops at an embedded NUL, as argv would */
	char err[256];
	struct filter *f = filter_compile(expr, err, sizeof err);
	if (f) {
		filter_match(f, sample());
		struct filter_regex_stops st;
		filter_regex_stops(f, &st);
		if (st.total != st.match_limit + st.depth_limit +
				st.heap_limit + st.step_limit + st.other ||
		    (st.total && st.first_frame != 7))
			abort();	/* the stops miscounted */
		filter_free(f);
	} else {
		unsigned col = 0;
		if (sscanf(err, "column %u:", &col) == 1 &&
		    (col < 1 || col > strlen(expr) + 1))
			abort();	/* a column outside the expression */
	}
	free(expr);
	return 0;
}
