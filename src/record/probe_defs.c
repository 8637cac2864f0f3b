/* probe_defs.c - the probes of `tapline record` (see probe_defs.h and
 * docs/probes.md).  Here: the probes on XDR routines, whose layouts are
 * libtirpc's and GlusterFS's; the gfapi.* rows are generated from
 * tapsets/gfapi.spec (src/record/gen-probe-defs.awk). */
#include <string.h>

#include "probe_defs.h"

/* Arguments by x86-64 ABI position. */
#define A1 "%di"
#define A2 "%si"

/* A u32 read raw from the XDR bytes at x_private + off. */
#define XDR_BE(name, off, fmt) \
	{ name, "+" #off "(+24(" A1 ")):u32", fmt, 0, NULL, 0, 0 }

/* libtirpc's XDR: x_op (enum, 0 ENCODE 1 DECODE) at 0, x_private at 24.
 * For xdrmem streams x_private is the cursor into the message bytes. */
#define XDR_OP		{ "xop", "+0(" A1 "):u32", PF_HIDDEN, 0, NULL, 0, 0 }
#define XDR_PRIV	{ "priv", "+24(" A1 "):x64", PF_HIDDEN, 0, NULL, 0, 0 }
#define XDR_DECODING	"xop == 1 && priv != 0"

static const struct probe_def xdr_probe_defs[] = {
	/* ONC-RPC identity.  libgfrpc encodes every call header with
	 * libtirpc's xdr_callmsg(XDR *, struct rpc_msg *) twice: a sizing
	 * pass (x_private NULL) and the real encode; only the latter is
	 * kept.  struct rpc_msg: xid at 0, prog/vers/proc at 12/16/20. */
	{ "rpc.call", "libtirpc.so", { "xdr_callmsg" },
	  { XDR_OP, XDR_PRIV, { "xid", "+0(" A2 "):u32", PF_UINT, 0, NULL, 0, 0 },
	    { "prog", "+12(" A2 "):u32", PF_UINT, 0, NULL, 0, 0 },
	    { "vers", "+16(" A2 "):u32", PF_UINT, 0, NULL, 0, 0 },
	    { "proc", "+20(" A2 "):u32", PF_UINT, 0, NULL, 0, 0 } },
	  NULL, PF_INT, "xop == 0 && priv != 0",
	  "an outgoing RPC call (client side)" },
	/* A reply is decoded from an xdrmem stream: at entry the struct is
	 * empty, but x_private points at the reply's first bytes, the XID
	 * in network order, then the message type (1, REPLY: 0x01000000 read
	 * as a little-endian u32) and reply_stat. */
	{ "rpc.reply", "libtirpc.so", { "xdr_replymsg" },
	  { XDR_OP, XDR_PRIV, XDR_BE("xid", 0, PF_BE32U),
	    XDR_BE("mtype", 4, PF_HIDDEN), XDR_BE("reply_stat", 8, PF_BE32U) },
	  NULL, PF_INT, XDR_DECODING " && mtype == 16777216",
	  "an incoming RPC reply being decoded (client side)" },
	/* SETVOLUME's reply: op_ret, op_errno lead gf_setvolume_rsp (and the
	 * gfx variant), still undecoded big-endian at x_private. */
	{ "gluster.setvolume_rsp", "libgfxdr.so",
	  { "xdr_gf_setvolume_rsp", "xdr_gfx_setvolume_rsp" },
	  { XDR_OP, XDR_PRIV, XDR_BE("op_ret", 0, PF_BE32),
	    XDR_BE("op_errno", 4, PF_BE32) },
	  NULL, PF_INT, XDR_DECODING,
	  "the handshake (SETVOLUME) result a client decodes" },
	/* gf_dump_rsp starts with the u64 gfs_id. */
	{ "gluster.dump_rsp", "libgfxdr.so", { "xdr_gf_dump_rsp" },
	  { XDR_OP, XDR_PRIV, XDR_BE("op_ret", 8, PF_BE32),
	    XDR_BE("op_errno", 12, PF_BE32) },
	  NULL, PF_INT, XDR_DECODING,
	  "the DUMP (program versions) reply a client decodes" },
	{ "gluster.portmap_rsp", "libgfxdr.so", { "xdr_pmap_port_by_brick_rsp" },
	  { XDR_OP, XDR_PRIV, XDR_BE("op_ret", 0, PF_BE32),
	    XDR_BE("op_errno", 4, PF_BE32), XDR_BE("status", 8, PF_BE32),
	    XDR_BE("port", 12, PF_BE32) },
	  NULL, PF_INT, XDR_DECODING,
	  "the brick port glusterd tells a client (PORTMAP reply)" },
	{ "gluster.getspec_rsp", "libgfxdr.so",
	  { "xdr_gf_getspec_rsp", "xdr_gfx_getspec_rsp" },
	  { XDR_OP, XDR_PRIV, XDR_BE("op_ret", 0, PF_BE32),
	    XDR_BE("op_errno", 4, PF_BE32) },
	  NULL, PF_INT, XDR_DECODING,
	  "the volfile (GETSPEC) reply a client decodes" },
};

#define XDR_COUNT (sizeof(xdr_probe_defs) / sizeof(xdr_probe_defs[0]))

size_t probe_def_count(void)
{
	return gfapi_probe_defs_count + XDR_COUNT;
}

const struct probe_def *probe_def_at(size_t i)
{
	if (i < gfapi_probe_defs_count)
		return &gfapi_probe_defs[i];
	i -= gfapi_probe_defs_count;
	return i < XDR_COUNT ? &xdr_probe_defs[i] : NULL;
}

const char *probe_library_soname(const char *library)
{
	static const struct { const char *prefix, *soname; } names[] = {
		{ "libgfapi.so", "libgfapi.so.0" },
		{ "libtirpc.so", "libtirpc.so.3" },
		{ "libgfxdr.so", "libgfxdr.so.0" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].prefix, library))
			return names[i].soname;
	return library;
}
