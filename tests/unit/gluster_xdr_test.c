/* gluster_xdr_test.c - GlusterFS bodies built byte by byte from the XDR
 * layouts of rpc/xdr/src/glusterfs3-xdr.x and glusterfs4-xdr.x (GlusterFS
 * 10.3), for what the lab captures do not carry: version 330, 3.x dicts,
 * typed 4.x dict values, and every procedure's name as upstream's
 * enum gf_fop_procnum (rpc/rpc-lib/src/protocol-common.h) spells it. */
#include <stdlib.h>
#include <string.h>

#include "proto/oncrpc/rpc.h"
#include "proto/gluster/fields.h"
#include "gluster_result.h"
#include "tap.h"
#include "xdr_build.h"

static struct message msg;
static struct rpc_conn conn;
static struct waiting_set *calls;
static bool no_fields;		/* decode as for the summary lines */

static struct message *decode(const struct xb *x, uint8_t direction,
			      uint64_t frame)
{
	struct rpc_record_info info = { direction, x->n, false, false, frame,
					(int64_t)frame * 1000 };
	msg_reset(&msg);
	msg.no_fields = no_fields;
	rpc_decode(&conn, &msg, x->b, x->n, &info);
	return &msg;
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

static const uint8_t gfid[16] = { 0xd4, 0x48, 0x26, 0xd2, 0x46, 0xb4, 0x47,
				  0x13, 0xab, 0x48, 0x8d, 0x47, 0xa7, 0x89,
				  0xa3, 0xdc };

/* struct gf_iatt (glusterfs3-xdr.x) */
static void gf_iatt(struct xb *x, uint32_t atime, uint32_t mtime)
{
	xb_fixed(x, gfid, 16);
	xb_u64(x, 42);		/* ia_ino */
	xb_u64(x, 2049);	/* ia_dev */
	xb_u32(x, 0100644);	/* mode */
	xb_u32(x, 1);		/* nlink */
	xb_u32(x, 1000);	/* uid */
	xb_u32(x, 100);		/* gid */
	xb_u64(x, 0);		/* rdev */
	xb_u64(x, 34);		/* size */
	xb_u32(x, 4096);	/* blksize */
	xb_u64(x, 8);		/* blocks */
	xb_u32(x, atime);
	xb_u32(x, 0);
	xb_u32(x, mtime);
	xb_u32(x, 500000000);
	xb_u32(x, mtime);
	xb_u32(x, 0);
}

/* dict_serialize(): count, then keylen vallen key\0 value, unpadded */
static void dict3(struct xb *x, const char *key, const char *val)
{
	struct xb d = { .n = 0 };
	xb_u32(&d, 1);
	xb_u32(&d, (uint32_t)strlen(key));
	xb_u32(&d, (uint32_t)strlen(val) + 1);
	xb_raw(&d, key, strlen(key) + 1);
	xb_raw(&d, val, strlen(val) + 1);
	xb_opaque(x, d.b, d.n);
}

static void test_v330(void)
{
	rpc_conn_init(&conn, calls, 1);
	/* gfs3_setattr_req: gfid, gf_iatt stbuf, int valid, xdata<> */
	struct xb x = { .n = 0 };
	xb_call(&x, 0x51, 1298437, 330, 38);
	xb_fixed(&x, gfid, 16);
	gf_iatt(&x, 0xffffffffu, 1700000002);	/* a client's atime -1 */
	xb_u32(&x, 0x30);
	dict3(&x, "glusterfs.fsetxattr", "yes");
	struct message *m = decode(&x, 0, 1);
	ok(m->verdict == 0, "v330 SETATTR call decodes cleanly (%s)",
	   m->why ? m->why : "-");
	/* ia_atime is unsigned int in gf_iatt: the -1 a client meant is
	 * 4294967295 on the wire, and what a brick applies (see
	 * tests/gluster/captures/README.md) */
	ok(strstr(m->info, "V330 SETATTR Call gfid=d44826d2-46b4-4713-ab48-"
			   "8d47a789a3dc valid=ATIME,MTIME atime=4294967295."
			   "000000000 mtime=1700000002.500000000") == m->info,
	   "summary: %s", m->info);
	ok(has_str(m, "glusterfs.dict.key", "glusterfs.fsetxattr") &&
	   has_str(m, "glusterfs.dict.value", "yes"), "3.x xdata dict");

	/* gfs3_setattr_rsp: op_ret op_errno statpre statpost xdata<> */
	x.n = 0;
	xb_reply(&x, 0x51);
	xb_u32(&x, (uint32_t)-1);
	xb_u32(&x, 13);
	gf_iatt(&x, 1, 2);
	gf_iatt(&x, 3, 4);
	xb_u32(&x, 0);
	m = decode(&x, 1, 2);
	ok(m->verdict == 0 && m->exchange.request_frame == 1 &&
	   m->exchange.op_code == 38,
	   "v330 SETATTR reply matched");
	ok(strstr(m->info, "V330 SETATTR Reply (Call In 1) op_ret=-1 "
			   "op_errno=13 EACCES") == m->info, "summary: %s",
	   m->info);

	/* gfs3_write_req: gfid, fd, offset, size, flag, xdata<>, then data */
	x.n = 0;
	xb_call(&x, 0x52, 1298437, 330, 13);
	xb_fixed(&x, gfid, 16);
	xb_u64(&x, 3);
	xb_u64(&x, 4096);
	xb_u32(&x, 5);
	xb_u32(&x, 0);
	xb_u32(&x, 0);
	xb_raw(&x, "hello", 5);
	m = decode(&x, 0, 3);
	const struct field *f = msg_find(m, &hf_glusterfs_data_length);
	ok(m->verdict == 0 && f && f->v.u == 5, "v330 WRITE: 5 data bytes");
	ok(strstr(m->info, "fd=3 offset=4096 size=5") != NULL, "summary: %s",
	   m->info);

	/* a dict whose count promises more than its opaque holds */
	x.n = 0;
	xb_call(&x, 0x53, 1298437, 330, 1);
	xb_fixed(&x, gfid, 16);
	struct xb d = { .n = 0 };
	xb_u32(&d, 3);
	xb_u32(&d, 1);
	xb_u32(&d, 1);
	xb_raw(&d, "k\0v", 3);
	xb_opaque(&x, d.b, d.n);
	m = decode(&x, 0, 4);
	ok(m->verdict & MSG_MALFORMED, "3.x dict with a lying count is "
	   "malformed (%s)", m->why ? m->why : "-");
	ok(has_str(m, "glusterfs.dict.key", "k"),
	   "the pairs before the lie are kept");
	rpc_conn_free(&conn);
}

static void test_v400_dict(void)
{
	rpc_conn_init(&conn, calls, 1);
	/* gfx_setxattr_req: gfid, flags, gfx_dict dict, gfx_dict xdata */
	struct xb x = { .n = 0 };
	xb_call(&x, 0x60, 1298437, 400, 17);
	xb_fixed(&x, gfid, 16);
	xb_u32(&x, 0);
	size_t at = x.n;
	xb_u32(&x, 0);		/* xdr_size, set below */
	xb_u32(&x, 4);		/* count */
	xb_u32(&x, 4);		/* pairs<> */
	xb_opaque(&x, "int\0", 4);
	xb_u32(&x, 2);		/* GF_DATA_TYPE_INT */
	xb_u64(&x, (uint64_t)-5);
	xb_opaque(&x, "uint\0", 5);
	xb_u32(&x, 3);		/* GF_DATA_TYPE_UINT */
	xb_u64(&x, 7);
	xb_opaque(&x, "str\0", 4);
	xb_u32(&x, 5);		/* GF_DATA_TYPE_STR */
	xb_opaque(&x, "value\0", 6);
	xb_opaque(&x, "gfid-req\0", 9);
	xb_u32(&x, 7);		/* GF_DATA_TYPE_GFUUID */
	xb_fixed(&x, gfid, 16);
	uint32_t size = (uint32_t)(x.n - at - 12);
	x.b[at] = (uint8_t)(size >> 24);
	x.b[at + 1] = (uint8_t)(size >> 16);
	x.b[at + 2] = (uint8_t)(size >> 8);
	x.b[at + 3] = (uint8_t)size;
	xb_u32(&x, 0);		/* xdata: xdr_size */
	xb_u32(&x, (uint32_t)-1);	/* count -1: a NULL dict */
	xb_u32(&x, 0);
	struct message *m = decode(&x, 0, 1);
	ok(m->verdict == 0, "v400 SETXATTR with a typed dict (%s)",
	   m->why ? m->why : "-");
	bool seen_int = false, seen_uint = false, seen_gfid = false;
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		if (strcmp(field_name(f), "glusterfs.dict.value"))
			continue;
		if (f->kind == FIELD_INT && f->v.i == -5)
			seen_int = true;
		if (f->kind == FIELD_UINT && f->v.u == 7)
			seen_uint = true;
		if (f->kind == FIELD_GFID)
			seen_gfid = true;
	}
	ok(seen_int && seen_uint && seen_gfid && has_str(m,
	   "glusterfs.dict.value", "value"), "INT, UINT, STR, GFUUID values");

	/* an unknown gfx_value type: the union has no arm for it */
	x.n = 0;
	xb_call(&x, 0x61, 1298437, 400, 1);
	xb_fixed(&x, gfid, 16);
	xb_u32(&x, 0);
	xb_u32(&x, 1);
	xb_u32(&x, 1);
	xb_opaque(&x, "k\0", 2);
	xb_u32(&x, 77);
	m = decode(&x, 0, 2);
	ok(m->verdict & MSG_MALFORMED, "an unknown gfx_value type is malformed");
	rpc_conn_free(&conn);
}

/* enum gf_fop_procnum, GFS3_OP_ stripped (protocol-common.h, 10.3) */
static const char *const upstream_fops[] = {
	"NULL", "STAT", "READLINK", "MKNOD", "MKDIR", "UNLINK", "RMDIR",
	"SYMLINK", "RENAME", "LINK", "TRUNCATE", "OPEN", "READ", "WRITE",
	"STATFS", "FLUSH", "FSYNC", "SETXATTR", "GETXATTR", "REMOVEXATTR",
	"OPENDIR", "FSYNCDIR", "ACCESS", "CREATE", "FTRUNCATE", "FSTAT", "LK",
	"LOOKUP", "READDIR", "INODELK", "FINODELK", "ENTRYLK", "FENTRYLK",
	"XATTROP", "FXATTROP", "FGETXATTR", "FSETXATTR", "RCHECKSUM",
	"SETATTR", "FSETATTR", "READDIRP", "RELEASE", "RELEASEDIR",
	"FREMOVEXATTR", "FALLOCATE", "DISCARD", "ZEROFILL", "IPC", "SEEK",
	"COMPOUND", "LEASE", "GETACTIVELK", "SETACTIVELK", "ICREATE",
	"NAMELINK", "PUT", "COPY_FILE_RANGE",
};

static void test_names(void)
{
	uint32_t n = sizeof upstream_fops / sizeof upstream_fops[0];
	is_int(n, 57, "upstream has procedures 0-56");
	for (uint32_t v = 0; v < 2; v++) {
		const struct rpc_program *p =
			rpc_find_program(1298437, v ? 400 : 330, NULL);
		unsigned same = 0;
		for (uint32_t i = 0; p && i < n; i++) {
			const struct rpc_proc *r = rpc_find_proc(p, i);
			if (r && !strcmp(r->name, upstream_fops[i]))
				same++;
			else
				printf("#   proc %u: %s\n", i,
				       r ? r->name : "(none)");
		}
		ok(p && same == n && p->nprocs == n,
		   "FOP v%u: all 57 procedures named as upstream", v ? 400 : 330);
	}
	/* enum gf_handshake_procnum, gf_dump_procnum, gf_pmap_procnum,
	 * gf_cbk_procnum, gluster_cli_procnum, glusterd_brick_procnum */
	struct { uint32_t prog, vers, proc; const char *name; } one[] = {
		{ 14398633, 2, 7, "GET_SNAPSHOT_INFO" },
		{ 123451501, 1, 2, "PING" },
		{ 34123456, 1, 1, "PORTBYBRICK" },
		{ 34123456, 1, 5, "SIGNOUT" },
		{ 52743234, 1, 11, "ENTRYLK_CONTENTION" },
		{ 1238463, 2, 49, "ADD_TIER_BRICK" },
		{ 1238463, 2, 12, "SET_VOLUME" },
		{ 4867634, 2, 15, "SVC_DETACH" },
		{ 1238433, 2, 4, "COMMIT_OP" },
		{ 1238433, 3, 7, "POST_COMMIT" },
		{ 1238437, 2, 4, "FRIEND_UPDATE" },
	};
	for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
		const struct rpc_proc *r = rpc_find_proc(
			rpc_find_program(one[i].prog, one[i].vers, NULL),
			one[i].proc);
		ok(r && !strcmp(r->name, one[i].name), "%u v%u proc %u is %s",
		   one[i].prog, one[i].vers, one[i].proc, one[i].name);
	}
	ok(!rpc_find_proc(rpc_find_program(52743234, 1, NULL), 12),
	   "callbacks end at 11");
	ok(!rpc_find_proc(rpc_find_program(1238463, 2, NULL), 50), "CLI ends at 49");
}

/* changelog_probe_req { unsigned int filter; char sock[UNIX_PATH_MAX]; }:
 * rpcgen encodes each char of the array as a 4-byte int */
static void test_changelog(void)
{
	rpc_conn_init(&conn, calls, 1);
	struct xb x = { .n = 0 };
	xb_call(&x, 1, 1885957735, 1, 1);
	xb_u32(&x, 0x3);
	const char *sock = "/var/run/gluster/changelog-1.sock";
	for (int i = 0; i < 108; i++)
		xb_u32(&x, i < (int)strlen(sock) ? (uint32_t)sock[i] : 0);
	struct message *m = decode(&x, 0, 1);
	ok(m->verdict == 0 && has_str(m, "gluster.changelog.sock", sock),
	   "changelog PROBE_FILTER: %s", m->info);
	rpc_conn_free(&conn);
}

/* glusterd1-xdr.x, cli1-xdr.x, glusterfs3-xdr.x callbacks: bodies the
 * lab's single glusterd does not put on TCP */
static void test_mgmt(void)
{
	rpc_conn_init(&conn, calls, 1);
	/* gd1_mgmt_v3_lock_req: uuid[16], txn_id[16], op, dict<> */
	struct xb x = { .n = 0 };
	xb_call(&x, 0x70, 1238433, 3, 1);
	xb_fixed(&x, gfid, 16);
	xb_fixed(&x, gfid, 16);
	xb_u32(&x, 11);
	dict3(&x, "volname", "single");
	struct message *m = decode(&x, 0, 1);
	ok(m->verdict == 0 && !strcmp(m->exchange.service, "GD-MGMT-V3") &&
	   !strcmp(m->exchange.op, "LOCK") && has_str(m, "glusterfs.dict.value",
						    "single"),
	   "GD-MGMT v3 LOCK call: %s", m->info);
	/* gd1_mgmt_v3_lock_rsp: uuid, txn_id, dict<>, op_ret, op_errno */
	x.n = 0;
	xb_reply(&x, 0x70);
	xb_fixed(&x, gfid, 16);
	xb_fixed(&x, gfid, 16);
	xb_u32(&x, 0);
	xb_u32(&x, (uint32_t)-1);
	xb_u32(&x, 16);
	m = decode(&x, 1, 2);
	ok(m->verdict == 0 && result_is(m, -1, 16),
	   "GD-MGMT v3 LOCK reply: %s", m->info);

	/* gd1_mgmt_brick_op_req: name<>, op, input<>, dict<> */
	x.n = 0;
	xb_call(&x, 0x71, 4867634, 2, 1);
	xb_string(&x, "/bricks/b1");
	xb_u32(&x, 1);
	xb_u32(&x, 0);
	xb_u32(&x, 0);
	m = decode(&x, 0, 3);
	ok(m->verdict == 0 && !strcmp(m->exchange.op, "TERMINATE") &&
	   has_str(m, "glusterd.name", "/bricks/b1"),
	   "GD-BRICK TERMINATE call: %s", m->info);

	/* gf_cli_rsp: op_ret, op_errno, op_errstr<>, dict<> */
	x.n = 0;
	xb_call(&x, 0x72, 1238463, 2, 5);
	dict3(&x, "flags", "2");
	decode(&x, 0, 4);
	x.n = 0;
	xb_reply(&x, 0x72);
	xb_u32(&x, (uint32_t)-1);
	xb_u32(&x, 2);
	xb_string(&x, "Volume nope does not exist");
	xb_u32(&x, 0);
	m = decode(&x, 1, 5);
	ok(m->verdict == 0 && strstr(m->info, "GET_VOLUME Reply (Call In 4) "
				     "op_ret=-1 op_errno=2 ENOENT error=Volume "
				     "nope does not exist"), "CLI reply: %s",
	   m->info);

	/* gfs3_cbk_cache_invalidation_req: gfid as string<>, event_type,
	 * flags, expire_time_attr, 3 x gf_iatt, xdata<> */
	x.n = 0;
	xb_call(&x, 0x73, 52743234, 1, 5);
	xb_string(&x, "d44826d2-46b4-4713-ab48-8d47a789a3dc");
	xb_u32(&x, 1);
	xb_u32(&x, 0x20);
	xb_u32(&x, 60);
	gf_iatt(&x, 1, 2);
	gf_iatt(&x, 3, 4);
	gf_iatt(&x, 5, 6);
	xb_u32(&x, 0);
	m = decode(&x, 1, 6);
	ok(m->verdict == 0 && !strcmp(m->exchange.op, "CACHE_INVALIDATION") &&
	   strstr(m->info, "gfid=d44826d2-46b4-4713-ab48-8d47a789a3dc"),
	   "GF-CBK CACHE_INVALIDATION: %s", m->info);
	rpc_conn_free(&conn);
}

/* gfx_readdirp_rsp with more entries than a message has fields for:
 * decoded with no field kept, the iatts are counted, not read, and
 * "Fields full" must fall as when every field is stored. */
static void test_count_only(void)
{
	static struct xb call, reply;
	call.n = reply.n = 0;
	xb_call(&call, 0x70, 1298437, 400, 40);
	xb_fixed(&call, gfid, 16);
	xb_u64(&call, 1);	/* fd */
	xb_u64(&call, 0);	/* offset */
	xb_u32(&call, 131072);	/* size */
	xb_u32(&call, 0);	/* xdata: a NULL gfx_dict */
	xb_u32(&call, (uint32_t)-1);
	xb_u32(&call, 0);
	xb_reply(&reply, 0x70);
	xb_u32(&reply, 110);	/* op_ret */
	xb_u32(&reply, 0);	/* op_errno */
	xb_u32(&reply, 0);	/* xdata: NULL */
	xb_u32(&reply, (uint32_t)-1);
	xb_u32(&reply, 0);
	for (unsigned i = 0; i < 110; i++) {
		char name[16];
		snprintf(name, sizeof name, "entry-%u", i);
		xb_u32(&reply, 1);	/* another entry follows */
		xb_u64(&reply, 1000 + i);	/* d_ino */
		xb_u64(&reply, i + 1);	/* d_off */
		xb_u32(&reply, (uint32_t)strlen(name));
		xb_u32(&reply, 8);	/* DT_REG */
		xb_string(&reply, name);
		xb_fixed(&reply, gfid, 16);	/* gfx_iattx */
		for (int w = 0; w < 8 + 4; w++)
			xb_u64(&reply, (uint64_t)w);
		for (int w = 0; w < 4 + 5; w++)
			xb_u32(&reply, (uint32_t)w);
		xb_u32(&reply, 0);	/* dict: NULL */
		xb_u32(&reply, (uint32_t)-1);
		xb_u32(&reply, 0);
	}
	xb_u32(&reply, 0);	/* no more entries */
	unsigned nfields[2], verdict[2];
	size_t arena[2];
	for (int pass = 0; pass < 2; pass++) {
		no_fields = pass == 1;
		rpc_conn_init(&conn, calls, 1);
		decode(&call, 0, 1);
		struct message *m = decode(&reply, 1, 2);
		nfields[pass] = m->nfields + m->skipped;
		arena[pass] = m->arena_used;
		verdict[pass] = m->verdict;
		rpc_conn_free(&conn);
	}
	no_fields = false;
	ok(verdict[0] & MSG_FIELDS_FULL, "READDIRP of 110 entries: fields "
	   "full (%u fields)", nfields[0]);
	ok(nfields[0] == nfields[1] && arena[0] == arena[1] &&
	   verdict[0] == verdict[1], "counted as stored: %u/%u fields, "
	   "%zu/%zu arena bytes, verdict %u/%u", nfields[0], nfields[1],
	   arena[0], arena[1], verdict[0], verdict[1]);
}

int main(void)
{
	calls = waiting_set_new(NULL, NULL, NULL);
	test_v330();
	test_mgmt();
	test_changelog();
	test_v400_dict();
	test_names();
	test_count_only();
	waiting_set_free(calls);
	return tap_done();
}
