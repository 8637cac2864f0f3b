/* gluster_mgmt.c - the GlusterFS programs besides file operations:
 * Handshake, Dump, Portmap, callbacks, and GlusterD's management, friend,
 * brick-op, op-version handshake and CLI programs.  Program numbers and
 * procedure lists: rpc/rpc-lib/src/protocol-common.h and xdr-common.h;
 * bodies: rpc/xdr/src/glusterfs3-xdr.x, rpc-common-xdr.x, portmap-xdr.x,
 * glusterd1-xdr.x, cli1-xdr.x, changelog-xdr.x (GlusterFS 10); the
 * changelog programs' numbers: xlators/features/changelog/src/
 * changelog-rpc-common.h.
 */
#include <stdio.h>
#include <string.h>

#include "gluster.h"
#include "proto/oncrpc/rpc.h"
#include "proto/oncrpc/xdr.h"


#define END { I_END, NULL, NULL }
#define OP { I_OP, NULL, NULL }
#define X3 { I_DICT3, &hf_glusterfs_xdata, NULL }
#define HDICT { I_DICT3, &hf_glusterfs_hndsk_dict, NULL }
#define GDICT { I_DICT3, &hf_glusterd_dict, NULL }
#define CDICT { I_DICT3, &hf_gluster_dict, NULL }
#define UUID { I_UUID, &hf_glusterd_uuid, NULL }
#define TXN { I_UUID, &hf_glusterd_tnx_id, NULL }
#define GOP { I_I32, &hf_glusterd_op, "op" }
#define HOST { I_STR, &hf_glusterd_hostname, "hostname" }
#define PORT { I_I32, &hf_glusterd_port, "port" }
#define GERR { I_STR, &hf_glusterd_op_errstr, "error" }
#define CERR { I_STR, &hf_gluster_op_errstr, "error" }
#define BRICK { I_STR, &hf_gluster_brick, "brick" }

#define LAYOUT(id, ...) static const struct gluster_item id[] = { __VA_ARGS__, END }
#define PAIR(call, reply) ((const struct gluster_item *const[]){ call, reply })
#define PROC(n, c, r) \
	{ n, gluster_layout_call, gluster_layout_reply, PAIR(c, r) }
#define EMPTY(n) { n, rpc_body_empty, rpc_body_empty, NULL }
#define NODEC(n) { n, NULL, NULL, NULL }
#define NPROCS(t) (uint32_t)(sizeof t / sizeof t[0])

/* ---- GlusterFS Handshake (14398633 v2) ---- */

LAYOUT(c_setvolume, HDICT);
LAYOUT(r_setvolume, OP, HDICT);
LAYOUT(c_getspec, { I_HEX32, &hf_glusterfs_hndsk_flags, NULL },
       { I_STR, &hf_glusterfs_hndsk_getspec_key, "key" }, X3);
LAYOUT(r_getspec, OP, { I_STR, &hf_glusterfs_hndsk_getspec, NULL }, X3);
LAYOUT(c_set_lk_ver, { I_STR, &hf_glusterfs_hndsk_uid, "uid" },
       { I_I32, &hf_glusterfs_hndsk_lk_ver, "lk_ver" });
LAYOUT(r_set_lk_ver, OP, { I_I32, &hf_glusterfs_hndsk_lk_ver, "lk_ver" });
LAYOUT(c_event_notify, { I_I32, &hf_glusterfs_hndsk_event_notify_op, "op" },
       HDICT);
LAYOUT(r_event_notify, OP, HDICT);
LAYOUT(c_dict_only, HDICT);
LAYOUT(r_volume_info, OP,
       { I_STR, &hf_glusterfs_hndsk_getvolumeinfo_op_errstr, "error" }, HDICT);

/* SETVOLUME's reply carries the server's verdict in its dict: "ERROR"
 * holds the reason ("Authentication failed") when op_ret is -1. */
static void setvolume_reply(struct message *m, struct cursor *c,
			    const struct rpc_proc *proc)
{
	(void)proc;
	msg_keep_fields(m);	/* read back below */
	unsigned from = m->nfields;
	gluster_run_layout(m, c, r_setvolume);
	const struct field *err = gluster_dict_find(m, from, "ERROR");
	if (err && err->kind == FIELD_STR) {
		size_t n = err->len > 200 ? 200 : err->len;
		msg_info_put(m, " error=\"", 8);
		msg_info_strn(m, (const char *)field_bytes(m, err), n);
		msg_info_put(m, "\"", 1);
	}
}

/* SETVOLUME's call: name the client process and the brick it wants. */
static void setvolume_call(struct message *m, struct cursor *c,
			   const struct rpc_proc *proc)
{
	(void)proc;
	msg_keep_fields(m);	/* read back below */
	unsigned from = m->nfields;
	gluster_run_layout(m, c, c_setvolume);
	static const char *const keys[] = {
		"remote-subvolume", "process-name", "process-uuid",
	};
	static const char *const labels[] = { "subvolume", "process", "uuid" };
	for (int i = 0; i < 3; i++) {
		const struct field *f = gluster_dict_find(m, from, keys[i]);
		if (f && f->kind == FIELD_STR) {
			msg_info_label(m, labels[i]);
			msg_info_strn(m, (const char *)field_bytes(m, f),
				      f->len > 200 ? 200 : f->len);
		}
	}
}

/* GETSPEC's reply: the volfile; the summary says how long it is. */
static void getspec_reply(struct message *m, struct cursor *c,
			  const struct rpc_proc *proc)
{
	(void)proc;
	msg_keep_fields(m);	/* read back below */
	unsigned from = m->nfields;
	gluster_run_layout(m, c, r_getspec);
	for (unsigned i = from; i < m->nfields; i++)
		if (m->fields[i].kind == FIELD_STR &&
		    m->fields[i].def == &hf_glusterfs_hndsk_getspec) {
			msg_info_put(m, " spec=", 6);
			msg_info_uint(m, m->fields[i].len);
			msg_info_put(m, " bytes", 6);
			break;
		}
}

static const struct rpc_proc hndsk_procs[] = {
	EMPTY("NULL"),
	{ "SETVOLUME", setvolume_call, setvolume_reply, NULL },
	{ "GETSPEC", gluster_layout_call, getspec_reply,
	  PAIR(c_getspec, r_getspec) },
	EMPTY("PING"),
	PROC("SET_LK_VER", c_set_lk_ver, r_set_lk_ver),
	PROC("EVENT_NOTIFY", c_event_notify, r_event_notify),
	PROC("GET_VOLUME_INFO", c_dict_only, r_volume_info),
	PROC("GET_SNAPSHOT_INFO", c_dict_only, r_volume_info),
};

/* ---- Dump (123451501 v1): DUMP lists programs, PING is 2 ---- */

LAYOUT(c_dump, { I_U64, &hf_gluster_gfsid, NULL });
LAYOUT(r_dump, { I_U64, &hf_gluster_gfsid, NULL }, OP,
       { I_PROGLIST, NULL, NULL });
LAYOUT(c_none, END);
LAYOUT(r_common, OP, X3);

static const struct rpc_proc dump_procs[] = {
	EMPTY("NULL"),
	PROC("DUMP", c_dump, r_dump),
	/* rpcsvc_ping(): no arguments, answered with gf_common_rsp */
	{ "PING", rpc_body_empty, gluster_layout_reply, PAIR(c_none, r_common) },
};

/* ---- Portmap (34123456 v1) ---- */

LAYOUT(c_portbybrick, BRICK);
LAYOUT(r_portbybrick, OP, { I_I32, &hf_gluster_brick_status, "status" },
       { I_I32, &hf_gluster_brick_port, "port" });
LAYOUT(c_brickbyport, { I_I32, &hf_gluster_brick_port, "port" });
LAYOUT(r_brickbyport, OP, { I_I32, &hf_gluster_brick_status, "status" },
       BRICK);
LAYOUT(c_signin, BRICK, { I_I32, &hf_gluster_brick_port, "port" },
       { I_I32, &hf_gluster_pid, "pid" });
LAYOUT(c_signout, BRICK, { I_I32, &hf_gluster_brick_port, "port" },
       { I_I32, &hf_gluster_rdma_port, NULL });
LAYOUT(r_op, OP);

static const struct rpc_proc pmap_procs[] = {
	EMPTY("NULL"),
	PROC("PORTBYBRICK", c_portbybrick, r_portbybrick),
	PROC("BRICKBYPORT", c_brickbyport, r_brickbyport),
	NODEC("SIGNUP"),	/* unused upstream, kept for numbering */
	PROC("SIGNIN", c_signin, r_op),
	PROC("SIGNOUT", c_signout, r_op),
};

/* ---- Callbacks (52743234 v1): server -> client calls ---- */

LAYOUT(c_recall_lease, { I_GFID, &hf_glusterfs_cbk_gfid, "gfid" },
       { I_U32, &hf_glusterfs_lease_type, "type" },
       { I_GFID, &hf_glusterfs_cbk_tid, NULL }, X3);
LAYOUT(c_statedump, { I_U32, &hf_gluster_pid, "pid" });
LAYOUT(c_inodelk_contention, { I_GFID, &hf_glusterfs_cbk_gfid, "gfid" },
       { I_FLOCK, NULL, NULL }, { I_U32, &hf_gluster_pid, "pid" },
       { I_STR, &hf_glusterfs_cbk_domain, "domain" }, X3);
LAYOUT(c_entrylk_contention, { I_GFID, &hf_glusterfs_cbk_gfid, "gfid" },
       { I_U32, &hf_glusterfs_type, "type" }, { I_U32, &hf_gluster_pid, "pid" },
       { I_STR, &hf_glusterfs_name, "name" },
       { I_STR, &hf_glusterfs_cbk_domain, "domain" }, X3);

/* gfs3_cbk_cache_invalidation_req: the gfid travels as a string<> */
LAYOUT(c_cache_invalidation, { I_STR, &hf_glusterfs_cbk_gfid, "gfid" },
       { I_U32, &hf_glusterfs_cbk_upcall_event_type, "event" },
       { I_HEX32, &hf_glusterfs_cbk_cache_invalidation_flags, "flags" },
       { I_U32, &hf_glusterfs_cbk_cache_invalidation_expire_time_attr, NULL },
       { I_IATT3, &hf_glusterfs_cbk_cache_invalidation_stat, "stat" },
       { I_IATT3, &hf_glusterfs_cbk_cache_invalidation_parent_stat,
	 "parent" },
       { I_IATT3, &hf_glusterfs_cbk_cache_invalidation_oldparent_stat,
	 "oldparent" }, X3);

/* glusterd and the bricks send FETCHSPEC, GET_SNAPS, CHILD_UP and
 * CHILD_DOWN without arguments (rpcsvc_callback_submit(..., NULL, 0)). */
static const struct rpc_proc cbk_procs[] = {
	EMPTY("NULL"),
	{ "FETCHSPEC", rpc_body_empty, NULL, NULL },
	NODEC("INO_FLUSH"),
	NODEC("EVENT_NOTIFY"),
	{ "GET_SNAPS", rpc_body_empty, NULL, NULL },
	{ "CACHE_INVALIDATION", gluster_layout_call, NULL,
	  PAIR(c_cache_invalidation, r_op) },
	{ "CHILD_UP", rpc_body_empty, NULL, NULL },
	{ "CHILD_DOWN", rpc_body_empty, NULL, NULL },
	{ "RECALL_LEASE", gluster_layout_call, NULL,
	  PAIR(c_recall_lease, r_op) },
	{ "STATEDUMP", gluster_layout_call, NULL, PAIR(c_statedump, r_op) },
	{ "INODELK_CONTENTION", gluster_layout_call, NULL,
	  PAIR(c_inodelk_contention, r_op) },
	{ "ENTRYLK_CONTENTION", gluster_layout_call, NULL,
	  PAIR(c_entrylk_contention, r_op) },
};

/* ---- GlusterD management v2 (1238433 v2) ---- */

LAYOUT(c_cluster_lock, UUID);
LAYOUT(r_cluster_lock, UUID, OP);
LAYOUT(c_op_req, UUID, GOP, { I_DICT3, &hf_glusterd_buffer, NULL });
LAYOUT(r_stage_op, UUID, GOP, OP, GERR, GDICT);
LAYOUT(r_commit_op, UUID, GOP, OP, GDICT, GERR);

static const struct rpc_proc mgmt_v2_procs[] = {
	EMPTY("NULL"),
	PROC("CLUSTER_LOCK", c_cluster_lock, r_cluster_lock),
	PROC("CLUSTER_UNLOCK", c_cluster_lock, r_cluster_lock),
	PROC("STAGE_OP", c_op_req, r_stage_op),
	PROC("COMMIT_OP", c_op_req, r_commit_op),
};

/* ---- GlusterD management v3 (1238433 v3) ---- */

LAYOUT(c_v3_lock, UUID, TXN, GOP, GDICT);
LAYOUT(r_v3_lock, UUID, TXN, GDICT, OP);
LAYOUT(c_v3_op, UUID, GOP, GDICT);
LAYOUT(r_v3_val, UUID, GOP, OP, GERR, GDICT);
LAYOUT(r_v3_commit, UUID, GOP, OP, GDICT, GERR);
LAYOUT(c_v3_post_val, UUID, GOP, { I_I32, &hf_glusterd_op_ret, NULL }, GDICT);

static const struct rpc_proc mgmt_v3_procs[] = {
	EMPTY("NULL"),
	PROC("LOCK", c_v3_lock, r_v3_lock),
	PROC("PRE_VALIDATE", c_v3_op, r_v3_val),
	PROC("BRICK_OP", c_v3_op, r_v3_val),
	PROC("COMMIT", c_v3_op, r_v3_commit),
	PROC("POST_VALIDATE", c_v3_post_val, r_v3_val),
	PROC("UNLOCK", c_v3_lock, r_v3_lock),
	PROC("POST_COMMIT", c_v3_op, r_v3_commit),
};

/* ---- GlusterD friend (1238437 v2) ---- */

LAYOUT(c_probe, UUID, HOST, PORT);
LAYOUT(r_probe, UUID, HOST, PORT, OP, GERR);
LAYOUT(c_friend_add, UUID, HOST, PORT, { I_DICT3, &hf_glusterd_vols, NULL });
LAYOUT(r_friend, UUID, HOST, OP, PORT);
LAYOUT(c_friend_update, UUID, { I_DICT3, &hf_glusterd_friends, NULL }, PORT);
LAYOUT(r_friend_update, UUID, GOP, OP);

static const struct rpc_proc friend_procs[] = {
	EMPTY("NULL"),
	PROC("PROBE_QUERY", c_probe, r_probe),
	PROC("FRIEND_ADD", c_friend_add, r_friend),
	/* glusterd-rpc-ops.c sends FRIEND_REMOVE as gd1_mgmt_friend_req */
	PROC("FRIEND_REMOVE", c_friend_add, r_friend),
	PROC("FRIEND_UPDATE", c_friend_update, r_friend_update),
};

/* ---- GlusterD brick operations (4867634 v2) ---- */

LAYOUT(c_brick_op, { I_STR, &hf_glusterd_name, "name" }, GOP,
       { I_DICT3, &hf_glusterd_input, NULL }, GDICT);
LAYOUT(r_brick_op, OP, { I_DICT3, &hf_glusterd_output, NULL }, GERR);
#define BRICK_OP(n) PROC(n, c_brick_op, r_brick_op)

static const struct rpc_proc brick_procs[] = {
	EMPTY("NULL"),
	BRICK_OP("TERMINATE"),
	BRICK_OP("XLATOR_INFO"),
	BRICK_OP("XLATOR_OP"),
	BRICK_OP("STATUS"),
	BRICK_OP("OP"),
	BRICK_OP("XLATOR_DEFRAG"),
	BRICK_OP("NODE_PROFILE"),
	BRICK_OP("NODE_STATUS"),
	BRICK_OP("VOLUME_BARRIER_OP"),
	BRICK_OP("BARRIER"),
	BRICK_OP("NODE_BITROT"),
	BRICK_OP("ATTACH"),
	BRICK_OP("DUMP_METRICS"),
	BRICK_OP("SVC_ATTACH"),
	BRICK_OP("SVC_DETACH"),
};

/* ---- GlusterD op-version handshake (1239873 v1) ---- */

LAYOUT(c_versions, { I_DICT3, &hf_glusterd_hndsk, NULL });
LAYOUT(r_versions, OP, { I_DICT3, &hf_glusterd_hndsk, NULL });

static const struct rpc_proc gd_hndsk_procs[] = {
	EMPTY("NULL"),
	PROC("VERSIONS", c_versions, r_versions),
	PROC("VERSIONS_ACK", c_versions, r_versions),
};

/* ---- CLI (1238463 v2) ---- */

LAYOUT(c_cli, CDICT);
LAYOUT(r_cli, OP, CERR, CDICT);
LAYOUT(c_peer_list, { I_I32, &hf_gluster_flag, "flags" }, CDICT);
LAYOUT(r_peer_list, OP, { I_DICT3, &hf_gluster_friends, NULL });
LAYOUT(c_fsm_log, { I_STR, &hf_gluster_name, "name" });
LAYOUT(r_fsm_log, OP, CERR, { I_DICT3, &hf_gluster_fsm_log, NULL });
LAYOUT(c_getwd, { I_I32, &hf_gluster_unused, NULL });
LAYOUT(r_getwd, OP, { I_STR, &hf_gluster_wd, "wd" });
LAYOUT(c_mount, { I_STR, &hf_gluster_label, "label" }, CDICT);
LAYOUT(r_mount, OP, { I_STR, &hf_gluster_path, "path" });
LAYOUT(c_umount, { I_I32, &hf_gluster_lazy, "lazy" },
       { I_STR, &hf_gluster_path, "path" });
#define CLI(n) PROC(n, c_cli, r_cli)

static const struct rpc_proc cli_procs[] = {
	EMPTY("NULL"),
	CLI("PROBE"),
	CLI("DEPROBE"),
	PROC("LIST_FRIENDS", c_peer_list, r_peer_list),
	CLI("CREATE_VOLUME"),
	CLI("GET_VOLUME"),
	CLI("GET_NEXT_VOLUME"),
	CLI("DELETE_VOLUME"),
	CLI("START_VOLUME"),
	CLI("STOP_VOLUME"),
	CLI("RENAME_VOLUME"),
	CLI("DEFRAG_VOLUME"),
	CLI("SET_VOLUME"),
	CLI("ADD_BRICK"),
	CLI("REMOVE_BRICK"),
	CLI("REPLACE_BRICK"),
	CLI("LOG_ROTATE"),
	CLI("GETSPEC"),
	CLI("PMAP_PORTBYBRICK"),
	CLI("SYNC_VOLUME"),
	CLI("RESET_VOLUME"),
	PROC("FSM_LOG", c_fsm_log, r_fsm_log),
	CLI("GSYNC_SET"),
	CLI("PROFILE_VOLUME"),
	CLI("QUOTA"),
	CLI("TOP_VOLUME"),
	PROC("GETWD", c_getwd, r_getwd),
	CLI("STATUS_VOLUME"),
	CLI("STATUS_ALL"),
	PROC("MOUNT", c_mount, r_mount),
	PROC("UMOUNT", c_umount, r_op),
	CLI("HEAL_VOLUME"),
	CLI("STATEDUMP_VOLUME"),
	CLI("LIST_VOLUME"),
	CLI("CLRLOCKS_VOLUME"),
	CLI("UUID_RESET"),
	CLI("UUID_GET"),
	CLI("COPY_FILE"),
	CLI("SYS_EXEC"),
	CLI("SNAP"),
	CLI("BARRIER_VOLUME"),
	CLI("GET_VOL_OPT"),
	CLI("GANESHA"),
	CLI("BITROT"),
	CLI("ATTACH_TIER"),
	CLI("TIER"),
	CLI("GET_STATE"),
	CLI("RESET_BRICK"),
	CLI("REMOVE_TIER_BRICK"),
	CLI("ADD_TIER_BRICK"),
};

/* ---- Changelog (changelog-xdr.x; over a brick's unix socket) ---- */

/* changelog_probe_req: filter, then char sock[UNIX_PATH_MAX]: rpcgen
 * sends a char array element by element, 4 bytes each. */
static void changelog_probe_call(struct message *m, struct cursor *c,
				 const struct rpc_proc *proc)
{
	(void)proc;
	uint32_t filter = xdr_u32(c);
	char sock[108];
	size_t n = 0;
	bool ended = false;
	for (int i = 0; i < 108 && cursor_ok(c); i++) {
		uint32_t ch = xdr_u32(c);
		if (!ch)
			ended = true;
		else if (!ended)
			sock[n++] = (char)ch;
	}
	if (!cursor_ok(c))
		return;
	msg_add_hex(m, &hf_gluster_changelog_filter, filter);
	msg_add_str(m, &hf_gluster_changelog_sock, sock, n);
	msg_info(m, " filter=0x%x sock=%.*s", filter, (int)n, sock);
}

LAYOUT(r_changelog_probe, { I_I32, &hf_gluster_op_ret, "op_ret" });
LAYOUT(c_changelog_event, { I_U64, &hf_gluster_changelog_seq, "seq" },
       { I_U64, &hf_gluster_changelog_tv_sec, NULL },
       { I_U64, &hf_gluster_changelog_tv_usec, NULL });
LAYOUT(r_changelog_event, { I_I32, &hf_gluster_op_ret, "op_ret" },
       { I_U64, &hf_gluster_changelog_seq, "seq" });

static const struct rpc_proc changelog_procs[] = {
	EMPTY("NULL"),
	{ "PROBE_FILTER", changelog_probe_call, gluster_layout_reply,
	  PAIR(r_changelog_probe, r_changelog_probe) },
};

static const struct rpc_proc changelog_rev_procs[] = {
	EMPTY("NULL"),
	PROC("EVENT", c_changelog_event, r_changelog_event),
};

#define PROGRAM(id, num, ver, name, field, procs)                          \
	static const struct rpc_program id = {                             \
		num, ver, name, name, field, procs, NPROCS(procs), false,  \
	}

PROGRAM(hndsk, 14398633, 2, "GF-HNDSK", &hf_glusterfs_hndsk_proc, hndsk_procs);
PROGRAM(dump, 123451501, 1, "GF-DUMP", &hf_gluster_dump_proc, dump_procs);
PROGRAM(pmap, 34123456, 1, "GF-PMAP", &hf_gluster_pmap_proc, pmap_procs);
/* callbacks: calls from the server (brick, glusterd) to the client */
static const struct rpc_program cbk = {
	52743234, 1, "GF-CBK", "GF-CBK", &hf_glusterfs_cbk_proc, cbk_procs,
	NPROCS(cbk_procs), true,
};
PROGRAM(mgmt_v2, 1238433, 2, "GD-MGMT", &hf_glusterd_mgmt_proc, mgmt_v2_procs);
PROGRAM(mgmt_v3, 1238433, 3, "GD-MGMT-V3", &hf_glusterd_mgmt_proc,
	mgmt_v3_procs);
PROGRAM(friend, 1238437, 2, "GD-FRIEND", &hf_glusterd_friend_proc,
	friend_procs);
PROGRAM(brick, 4867634, 2, "GD-BRICK", &hf_glusterd_brick_proc, brick_procs);
PROGRAM(gd_hndsk, 1239873, 1, "GD-HNDSK", &hf_glusterd_hndsk_proc,
	gd_hndsk_procs);
PROGRAM(cli, 1238463, 2, "GLUSTER-CLI", &hf_gluster_cli_proc, cli_procs);
PROGRAM(changelog, 1885957735, 1, "GF-CHANGELOG", &hf_gluster_changelog_proc,
	changelog_procs);
PROGRAM(changelog_rev, 1886350951, 1, "GF-CHANGELOG-REV",
	&hf_gluster_changelog_rev_proc, changelog_rev_procs);

/* Every GlusterFS program, file operations first (most messages). */
const struct rpc_program *const gluster_programs[] = {
	&gluster_fop_v400_program, &gluster_fop_v330_program,
	&hndsk, &dump, &pmap, &cbk, &mgmt_v2, &mgmt_v3, &friend, &brick,
	&gd_hndsk, &cli, &changelog, &changelog_rev, NULL,
};
