/* gluster.h - pieces shared by the GlusterFS program decoders
 * (gluster_fops.c, gluster_mgmt.c, gluster_dict.c): results, dicts, gfids,
 * iatt/iattx, and the one-line summary. */
#ifndef TAPLINE_GLUSTER_H
#define TAPLINE_GLUSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/cursor.h"
#include "base/message.h"
#include "fields.h"
#include "proto/oncrpc/rpc.h"

/* The programs (file operations v330 and v400 in fops.c, the others in
 * mgmt.c): what GlusterFS registers into ONC-RPC. */
extern const struct rpc_program gluster_fop_v330_program;
extern const struct rpc_program gluster_fop_v400_program;
extern const struct rpc_program *const gluster_programs[];

/* GlusterFS's credential flavours (credentials.c), registered too. */
extern const struct rpc_flavor gluster_flavors[];

/* GlusterFS's registry entry (protocol.c). */
struct protocol;
extern const struct protocol glusterfs_protocol;

/* op_ret, op_errno: the reply's result (gluster_set_result), the fields
 * gluster.op_ret and gluster.op_errno (with the errno's name), and
 * " op_ret=-1 op_errno=13 EACCES" in the summary. */
void gluster_op(struct message *m, struct cursor *c);

/* Sets the reply's result: the words gluster.op_ret and gluster.op_errno
 * are derived from, and the exchange's status (FAILED with the errno and
 * its name when op_ret < 0, else OK). */
void gluster_set_result(struct message *m, int32_t op_ret, int32_t op_errno);
/* The result a GlusterFS reply carried; false when it has none. */
bool gluster_result(const struct message *m, int32_t *op_ret,
		    int32_t *op_errno);

/* A 3.x dict: opaque<> holding dict_serialize()'s bytes. */
void gluster_dict3(struct message *m, struct cursor *c,
		   const struct field_def *def);
/* The same bytes when they are already cut out (e.g. an inner opaque). */
void gluster_dict3_bytes(struct message *m, struct cursor *outer,
			 const uint8_t *p, size_t len,
			 const struct field_def *def);
/* A 4.x typed dict: struct gfx_dict. */
void gluster_dict4(struct message *m, struct cursor *c,
		   const struct field_def *def);

/* The value of key in the dict whose fields begin at field index from,
 * or NULL. */
const struct field *gluster_dict_find(const struct message *m,
				      unsigned from, const char *key);

/* A 16-byte gfid into field def; " label=UUID" in the summary when
 * label is not NULL. */
void gluster_gfid(struct message *m, struct cursor *c,
		  const struct field_def *def,
		  const char *label);

/* struct gf_iatt (3.x) and struct gfx_iattx (4.x), read whole (false
 * when the cursor failed), then added as a subtree. */
struct gluster_iatt {
	uint8_t gfid[16];
	bool x;			/* read from an iattx */
	uint64_t ino, dev, rdev, size, blocks;
	uint64_t flags, attributes, attributes_mask;	/* iattx only */
	uint32_t mode, nlink, uid, gid, blksize;
	int64_t sec[4];		/* atime, mtime, ctime, btime (iattx) */
	uint32_t nsec[4];
};
bool gluster_read_iatt3(struct cursor *c, struct gluster_iatt *ia);
bool gluster_read_iattx(struct cursor *c, struct gluster_iatt *ia);
/* Steps over an iatt (x: 4.x's iattx; def its subtree) that nobody
 * reads, counting what gluster_add_iatt would add (msg_count_only);
 * false, and the cursor untouched, when it must be read and added. */
bool gluster_skip_iatt(struct message *m, struct cursor *c, bool x,
		       const struct field_def *def, const char *label);
void gluster_add_iatt(struct message *m, const struct gluster_iatt *ia,
		      const struct field_def *def, const char *label);

/* Layouts: a structure of a .x file as a list of items, read by one
 * interpreter (gluster_fops.c). */
enum gluster_item_op {
	I_END,
	I_GFID,		/* opaque[16] */
	I_U32, I_I32, I_U64, I_I64, I_HEX32,
	I_MODE,		/* u32 shown octal in the summary */
	I_OFLAGS,	/* GF_O_* open flags */
	I_STR,		/* string<> */
	I_OPAQUE,	/* opaque<> */
	I_IATT3, I_IATTX,
	I_DICT3, I_DICT4,
	I_FLOCK, I_STATFS, I_LEASE,
	I_OP,		/* op_ret, op_errno */
	I_DIRLIST3, I_DIRPLIST3, I_DIRLIST4, I_DIRPLIST4,
	I_LOCKLIST,
	I_DATA,		/* the rest of the record: file data */
	I_STBUF3, I_STBUFX,	/* SETATTR's iatt: times for the summary */
	I_VALID,	/* SETATTR valid bits, after I_STBUF* */
	I_UUID,		/* unsigned char uuid[16] (glusterd) */
	I_PROGLIST,	/* Dump's gf_prog_detail list */
};

struct gluster_item {
	uint8_t op;
	const struct field_def *def;
	const char *label;	/* " label=value" in the summary, or NULL */
};

/* Reads the items in order; an item cut short by the end of the bytes
 * is taken back whole, so no field shows a value the capture lacks. */
void gluster_run_layout(struct message *m, struct cursor *c,
			const struct gluster_item *layout);

/* Body decoders for procedures whose rpc_proc.arg points at
 * { call layout, reply layout }. */
struct rpc_proc;
void gluster_layout_call(struct message *m, struct cursor *c,
			 const struct rpc_proc *proc);
void gluster_layout_reply(struct message *m, struct cursor *c,
			  const struct rpc_proc *proc);

#endif
