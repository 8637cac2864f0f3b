/* message_test.c - the message's bounded storage and field adders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/message.h"
#include "proto/oncrpc/fields.h"
#include "proto/gluster/fields.h"
#include "tap.h"

/* gfid_text against printf, byte by byte: every value of every byte. */
static void test_gfid_text(void)
{
	unsigned bad = 0;
	for (unsigned v = 0; v < 256; v++) {
		uint8_t g[16];
		for (unsigned i = 0; i < 16; i++)
			g[i] = (uint8_t)(v + 37 * i);
		char got[37], want[40];
		gfid_text(g, got);
		snprintf(want, sizeof want, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x-%02x%02x%02x%02x%02x%02x", g[0], g[1], g[2],
			 g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11],
			 g[12], g[13], g[14], g[15]);
		bad += strcmp(got, want) != 0;
	}
	is_int(bad, 0, "gfid_text writes what printf writes, for every byte");
}

int main(void)
{
	test_gfid_text();
	struct message *m = malloc(sizeof *m);
	msg_reset(m);
	msg_add_uint(m, &hf_rpc_xid, 42);
	msg_open(m, &hf_glusterfs_dict, "dict");
	msg_add_str(m, &hf_glusterfs_dict_key, "process-name", 12);
	msg_close(m);
	msg_add_errno(m, &hf_gluster_op_errno, 13);
	is_int(m->nfields, 5, "five fields, tree end included");
	const struct field *f = msg_find(m, &hf_glusterfs_dict_key);
	ok(f && f->depth == 1, "dict key is nested one level");
	ok(f && f->len == 12 && !memcmp(field_bytes(m, f), "process-name", 12),
	   "string copied into the arena");
	f = msg_find(m, &hf_gluster_op_errno);
	is_str(f ? f->text : NULL, "EACCES", "errno 13 is named EACCES");
	ok(f && f->depth == 0, "depth back to 0 after close");

	/* A hostile message cannot grow it: the arena fills and says so. */
	msg_reset(m);
	static char big[4096];
	unsigned added = 0;
	for (int i = 0; i < 100; i++)
		added += msg_add_str(m, &hf_glusterfs_bname, big,
				     sizeof big) != NULL;
	ok(added == MSG_ARENA_SIZE / sizeof big, "arena holds %u blobs", added);
	ok(m->verdict & MSG_FIELDS_FULL, "overflow is marked");
	msg_reset(m);
	for (int i = 0; i < MSG_MAX_FIELDS + 10; i++)
		msg_add_uint(m, &hf_glusterfs_size, (uint64_t)i);
	is_int(m->nfields, MSG_MAX_FIELDS, "field table is bounded");
	msg_info(m, "%s", "abc");
	msg_info(m, " %d", 7);
	is_str(m->info, "abc 7", "info appends");
	free(m);
	return tap_done();
}
