/* credentials.c - the ONC-RPC credential flavours GlusterFS defines
 * (rpc/rpc-lib/src/xdr-rpc.h; layouts in rpc/xdr/src/rpc-common-xdr.x
 * and glusterfs4-xdr.x), registered into ONC-RPC with the programs. */
#include "gluster.h"
#include "proto/oncrpc/fields.h"
#include "proto/oncrpc/rpc.h"
#include "proto/oncrpc/xdr.h"

enum {
	AUTH_GLUSTERFS = 5,		/* fixed layout, 3.x */
	AUTH_GLUSTERFS_V2 = 390039,	/* groups<>, lk_owner<> */
	AUTH_GLUSTERFS_V3 = 390040,	/* + flags, ctime (4.x and later) */
};

/* struct auth_glusterfs_parms: lk_owner, pid, uid, gid, ngrps,
 * groups[16] */
static void auth_glusterfs(struct message *m, struct cursor *c,
			   uint32_t flavor)
{
	uint64_t owner = xdr_u64(c);
	msg_add_hex(m, &hf_rpc_auth_lk_owner, owner);
	msg_add_uint(m, &hf_rpc_auth_pid, xdr_u32(c));
	msg_add_uint(m, &hf_rpc_auth_uid, xdr_u32(c));
	msg_add_uint(m, &hf_rpc_auth_gid, xdr_u32(c));
	uint32_t n = xdr_u32(c);
	if (n > 16)
		cursor_malformed(c, "AUTH_GLUSTERFS with over 16 groups");
	for (uint32_t i = 0; i < 16 && cursor_ok(c); i++) {
		uint32_t g = xdr_u32(c);
		if (i < n)
			msg_add_uint(m, &hf_rpc_auth_gids, g);
	}
}

/* struct auth_glusterfs_params_v2: pid, uid, gid, groups<>, lk_owner<>;
 * v3 has flags and ctime after gid. */
static void auth_glusterfs_v2_v3(struct message *m, struct cursor *c,
				 uint32_t flavor)
{
	uint32_t len;
	msg_add_int(m, &hf_rpc_auth_pid, xdr_i32(c));
	msg_add_uint(m, &hf_rpc_auth_uid, xdr_u32(c));
	msg_add_uint(m, &hf_rpc_auth_gid, xdr_u32(c));
	if (flavor == AUTH_GLUSTERFS_V3) {
		/* flags, then ctime as nsec (u32) BEFORE sec (u64):
		 * struct auth_glusterfs_params_v3. */
		msg_add_hex(m, &hf_rpc_auth_flags, xdr_u32(c));
		uint32_t nsec = xdr_u32(c);
		int64_t sec = (int64_t)xdr_u64(c);
		if (nsec >= 1000000000u)
			cursor_malformed(c, "credential ctime nsec >= 1e9");
		msg_add_time(m, &hf_rpc_auth_ctime, sec, nsec);
	}
	rpc_auth_groups(m, c, RPC_MAX_AUTH_BYTES / 4);
	const uint8_t *owner = xdr_opaque(c, RPC_MAX_AUTH_BYTES, &len);
	if (owner)
		msg_add_bytes(m, &hf_rpc_auth_lk_owner, owner, len);
}

const struct rpc_flavor gluster_flavors[] = {
	{ AUTH_GLUSTERFS, "AUTH_GLUSTERFS", auth_glusterfs },
	{ AUTH_GLUSTERFS_V2, "AUTH_GLUSTERFS-v2", auth_glusterfs_v2_v3 },
	{ AUTH_GLUSTERFS_V3, "AUTH_GLUSTERFS-v3", auth_glusterfs_v2_v3 },
	{ 0, NULL, NULL },
};
