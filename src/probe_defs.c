/* probe_defs.c - the probes of `tapline record` (see probe_defs.h and
 * docs/probes.md).  Argument positions are the prototypes in
 * <glusterfs/api/glfs.h>; XDR layouts are libtirpc's and GlusterFS's. */
#include <string.h>

#include "probe_defs.h"

/* Arguments by x86-64 ABI position. */
#define A1 "%di"
#define A2 "%si"
#define A3 "%dx"
#define A4 "%cx"
#define A5 "%r8"
#define A6 "%r9"

#define PATH(reg)	{ "path", "+0(" reg "):string", PF_STR }
#define FD		{ "fd", A1 ":x64", PF_HEX }
#define FS		{ "fs", A1 ":x64", PF_HEX }
#define INT(n, reg)	{ n, reg ":s32", PF_INT }
#define UINT(n, reg)	{ n, reg ":u32", PF_UINT }
#define LONG(n, reg)	{ n, reg ":s64", PF_INT }
#define ULONG(n, reg)	{ n, reg ":u64", PF_UINT }
#define STR(n, reg)	{ n, "+0(" reg "):string", PF_STR }
/* const struct timespec times[2]: atime then mtime, 16 bytes each. */
#define TIMES(reg)							\
	{ "atime_sec", "+0(" reg "):s64", PF_INT },			\
	{ "atime_nsec", "+8(" reg "):s64", PF_INT },			\
	{ "mtime_sec", "+16(" reg "):s64", PF_INT },			\
	{ "mtime_nsec", "+24(" reg "):s64", PF_INT }

#define RET_INT		"$retval:s32", PF_INT
#define RET_SSIZE	"$retval:s64", PF_INT
#define RET_PTR		"$retval:x64", PF_HEX

#define GFAPI(call) "gfapi." #call, "libgfapi.so", { "glfs_" #call }

/* libtirpc's XDR: x_op (enum, 0 ENCODE 1 DECODE) at 0, x_private at 24.
 * For xdrmem streams x_private is the cursor into the message bytes. */
#define XDR_OP		{ "xop", "+0(" A1 "):u32", PF_HIDDEN }
#define XDR_PRIV	{ "priv", "+24(" A1 "):x64", PF_HIDDEN }

const struct probe_def probe_defs[] = {
	/* Session setup and teardown. */
	{ GFAPI(new), { STR("volname", A1) }, RET_PTR, NULL,
	  "create a virtual mount object" },
	{ GFAPI(set_volfile_server), { FS, STR("transport", A2),
	  STR("host", A3), INT("port", A4) }, RET_INT, NULL,
	  "name the management server" },
	{ GFAPI(set_volfile), { FS, PATH(A2) }, RET_INT, NULL,
	  "use a local volfile" },
	{ GFAPI(init), { FS }, RET_INT, NULL, "connect (handshake)" },
	{ GFAPI(fini), { FS }, RET_INT, NULL, "tear down a mount" },

	/* Files. */
	{ GFAPI(open), { PATH(A2), INT("flags", A3) }, RET_PTR, NULL,
	  "open a file" },
	{ GFAPI(creat), { PATH(A2), INT("flags", A3), UINT("mode", A4) },
	  RET_PTR, NULL, "create a file" },
	{ GFAPI(close), { FD }, RET_INT, NULL, "close a file" },
	{ GFAPI(read), { FD, ULONG("size", A3), INT("flags", A4) },
	  RET_SSIZE, NULL, "read" },
	{ GFAPI(write), { FD, ULONG("size", A3), INT("flags", A4) },
	  RET_SSIZE, NULL, "write" },
	{ GFAPI(pread), { FD, ULONG("size", A3), LONG("offset", A4),
	  INT("flags", A5) }, RET_SSIZE, NULL, "read at an offset" },
	{ GFAPI(pwrite), { FD, ULONG("size", A3), LONG("offset", A4),
	  INT("flags", A5) }, RET_SSIZE, NULL, "write at an offset" },
	{ GFAPI(preadv), { FD, INT("iovcnt", A3), LONG("offset", A4),
	  INT("flags", A5) }, RET_SSIZE, NULL, "vectored read" },
	{ GFAPI(pwritev), { FD, INT("iovcnt", A3), LONG("offset", A4),
	  INT("flags", A5) }, RET_SSIZE, NULL, "vectored write" },
	{ GFAPI(lseek), { FD, LONG("offset", A2), INT("whence", A3) },
	  RET_SSIZE, NULL, "reposition" },
	{ GFAPI(truncate), { PATH(A2), LONG("size", A3) }, RET_INT, NULL,
	  "truncate by path" },
	{ GFAPI(ftruncate), { FD, LONG("size", A2) }, RET_INT, NULL,
	  "truncate an open file" },
	{ GFAPI(fsync), { FD }, RET_INT, NULL, "flush to the bricks" },
	{ GFAPI(fallocate), { FD, INT("keep_size", A2), LONG("offset", A3),
	  ULONG("size", A4) }, RET_INT, NULL, "allocate space" },
	{ GFAPI(discard), { FD, LONG("offset", A2), ULONG("size", A3) },
	  RET_INT, NULL, "punch a hole" },

	/* Metadata. */
	{ GFAPI(stat), { PATH(A2) }, RET_INT, NULL, "stat" },
	{ GFAPI(lstat), { PATH(A2) }, RET_INT, NULL, "lstat" },
	{ GFAPI(fstat), { FD }, RET_INT, NULL, "fstat" },
	{ GFAPI(access), { PATH(A2), INT("mode", A3) }, RET_INT, NULL,
	  "access check" },
	{ GFAPI(chmod), { PATH(A2), UINT("mode", A3) }, RET_INT, NULL,
	  "change mode" },
	{ GFAPI(fchmod), { FD, UINT("mode", A2) }, RET_INT, NULL,
	  "change mode of an open file" },
	{ GFAPI(chown), { PATH(A2), UINT("uid", A3), UINT("gid", A4) },
	  RET_INT, NULL, "change owner" },
	{ GFAPI(utimens), { PATH(A2), TIMES(A3) }, RET_INT, NULL,
	  "set atime and mtime (the Samba atime -1 case)" },
	{ GFAPI(lutimens), { PATH(A2), TIMES(A3) }, RET_INT, NULL,
	  "set times without following a symlink" },
	{ GFAPI(futimens), { FD, TIMES(A2) }, RET_INT, NULL,
	  "set times of an open file" },
	{ GFAPI(statvfs), { PATH(A2) }, RET_INT, NULL, "file system stats" },

	/* Names. */
	{ GFAPI(mkdir), { PATH(A2), UINT("mode", A3) }, RET_INT, NULL,
	  "make a directory" },
	{ GFAPI(rmdir), { PATH(A2) }, RET_INT, NULL, "remove a directory" },
	{ GFAPI(unlink), { PATH(A2) }, RET_INT, NULL, "remove a file" },
	{ GFAPI(rename), { PATH(A2), STR("newpath", A3) }, RET_INT, NULL,
	  "rename" },
	{ GFAPI(link), { PATH(A2), STR("newpath", A3) }, RET_INT, NULL,
	  "hard link" },
	{ GFAPI(symlink), { STR("target", A2), STR("path", A3) }, RET_INT,
	  NULL, "symbolic link" },
	{ GFAPI(readlink), { PATH(A2), ULONG("size", A4) }, RET_SSIZE, NULL,
	  "read a symbolic link" },
	{ GFAPI(opendir), { PATH(A2) }, RET_PTR, NULL, "open a directory" },
	{ GFAPI(readdir), { FD }, RET_PTR, NULL, "read a directory entry" },
	{ GFAPI(closedir), { FD }, RET_INT, NULL, "close a directory" },

	/* Extended attributes. */
	{ GFAPI(getxattr), { PATH(A2), STR("name", A3), ULONG("size", A5) },
	  RET_SSIZE, NULL, "get an xattr" },
	{ GFAPI(setxattr), { PATH(A2), STR("name", A3), ULONG("size", A5),
	  INT("flags", A6) }, RET_INT, NULL, "set an xattr" },
	{ GFAPI(removexattr), { PATH(A2), STR("name", A3) }, RET_INT, NULL,
	  "remove an xattr" },
	{ GFAPI(fgetxattr), { FD, STR("name", A2), ULONG("size", A4) },
	  RET_SSIZE, NULL, "get an xattr of an open file" },
	{ GFAPI(fsetxattr), { FD, STR("name", A2), ULONG("size", A4),
	  INT("flags", A5) }, RET_INT, NULL, "set an xattr of an open file" },

	/* ONC-RPC identity.  libgfrpc encodes every call header with
	 * libtirpc's xdr_callmsg(XDR *, struct rpc_msg *) twice: a sizing
	 * pass (x_private NULL) and the real encode; only the latter is
	 * kept.  struct rpc_msg: xid at 0, prog/vers/proc at 12/16/20. */
	{ "rpc.call", "libtirpc.so", { "xdr_callmsg" },
	  { XDR_OP, XDR_PRIV, { "xid", "+0(" A2 "):u32", PF_UINT },
	    { "prog", "+12(" A2 "):u32", PF_UINT },
	    { "vers", "+16(" A2 "):u32", PF_UINT },
	    { "proc", "+20(" A2 "):u32", PF_UINT } },
	  NULL, PF_INT, "xop == 0 && priv != 0",
	  "an outgoing RPC call (client side)" },
	/* A reply is decoded from an xdrmem stream: at entry the struct is
	 * empty, but x_private points at the reply's first bytes, the XID
	 * in network order. */
	{ "rpc.reply", "libtirpc.so", { "xdr_replymsg" },
	  { XDR_OP, XDR_PRIV, { "xid", "+0(+24(" A1 ")):u32", PF_BE32U } },
	  NULL, PF_INT, "xop == 1 && priv != 0",
	  "an incoming RPC reply being decoded (client side)" },
	/* SETVOLUME's reply: op_ret, op_errno lead gf_setvolume_rsp (and the
	 * gfx variant), still undecoded big-endian at x_private. */
	{ "gluster.setvolume_rsp", "libgfxdr.so",
	  { "xdr_gf_setvolume_rsp", "xdr_gfx_setvolume_rsp" },
	  { XDR_OP, XDR_PRIV,
	    { "op_ret", "+0(+24(" A1 ")):u32", PF_BE32 },
	    { "op_errno", "+4(+24(" A1 ")):u32", PF_BE32 } },
	  NULL, PF_INT, "xop == 1 && priv != 0",
	  "the handshake (SETVOLUME) result a client decodes" },
};

const size_t probe_defs_count = sizeof(probe_defs) / sizeof(probe_defs[0]);

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
