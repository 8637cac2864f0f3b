/* gluster_fops.c - the GlusterFS file-operation program (1298437):
 * version 330 (3.x XDR, rpc/xdr/src/glusterfs3-xdr.x) and version 400
 * (4.x "gfx" XDR, glusterfs4-xdr.x), procedures numbered as in
 * rpc/rpc-lib/src/protocol-common.h (enum gf_fop_procnum; NOT the
 * libglusterfs glusterfs_fop_t order, which has FORGET at 41 and so
 * differs from 41 on).
 *
 * Each procedure's arguments and results are a short layout (an array of
 * struct gluster_item) read by one interpreter, so the 228 layouts stay data and
 * are easy to check against the .x files line by line.
 */
#include <stdio.h>
#include <string.h>

#include "gluster.h"
#include "proto/oncrpc/rpc.h"
#include "proto/oncrpc/xdr.h"

/* ---- summary helpers ---- */

static void info_text(struct message *m, const char *label, const char *s,
		      size_t len)
{
	char buf[256];
	size_t n = 0;
	for (size_t i = 0; i < len && n < sizeof buf - 4; i++) {
		unsigned char ch = (unsigned char)s[i];
		buf[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	if (len > n)
		buf[n++] = '.', buf[n++] = '.', buf[n++] = '.';
	msg_info_label(m, label);
	msg_info_put(m, buf, n);
}

static void info_time(struct message *m, const char *label, int64_t sec,
		      uint32_t nsec)
{
	char frac[10];
	uint32_t ns = nsec;
	/* "%09u": at least nine digits, zero padded */
	if (ns > 999999999u) {
		msg_info(m, " %s=%lld.%09u", label, (long long)sec, nsec);
		return;
	}
	for (int i = 8; i >= 0; i--, ns /= 10)
		frac[i] = (char)('0' + ns % 10);
	frac[9] = '\0';
	msg_info_label(m, label);
	msg_info_int(m, sec);
	msg_info_put(m, ".", 1);
	msg_info_put(m, frac, 9);
}

static const struct {
	uint32_t bit;
	const char *name;
} oflag_names[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
	{ 010000, "O_SYNC" }, { 020000, "O_ASYNC" }, { 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, { 0200000, "O_DIRECTORY" },
	{ 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 040, "FMODE_EXEC" },
};

static void add_oflags(struct message *m, const struct field_def *def,
		       const char *label, uint32_t v)
{
	static const char *const acc[] = {
		"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE",
	};
	/* every name together fits: no bound to check but the table's */
	char text[256];
	size_t n = strlen(acc[v & 3]);
	memcpy(text, acc[v & 3], n);
	for (size_t i = 0; i < sizeof oflag_names / sizeof oflag_names[0];
	     i++)
		if (v & oflag_names[i].bit) {
			size_t l = strlen(oflag_names[i].name);
			text[n++] = '|';
			memcpy(text + n, oflag_names[i].name, l);
			n += l;
		}
	text[n] = '\0';
	msg_add_flags(m, def, v, text);
	if (label) {
		msg_info_label(m, label);
		msg_info_str(m, text);
	}
}

static const char *const valid_names[] = {
	"MODE", "UID", "GID", "SIZE", "ATIME", "MTIME", "CTIME",
	"ATIME_NOW", "MTIME_NOW",
};

/* SETATTR's valid bits, and in the summary the values they select. */
static void add_valid(struct message *m, uint32_t valid,
		      const struct gluster_iatt *st)
{
	/* every name and the rest in hex fit: no bound to check */
	static const char hex[] = "0123456789abcdef";
	char text[160];
	size_t n = 0;
	for (unsigned b = 0; b < 9; b++)
		if (valid & (1u << b)) {
			size_t l = strlen(valid_names[b]);
			if (n)
				text[n++] = ',';
			memcpy(text + n, valid_names[b], l);
			n += l;
		}
	uint32_t rest = valid & ~0x1ffu;
	if (rest) {
		if (n)
			text[n++] = ',';
		text[n++] = '0';
		text[n++] = 'x';
		int top = 28;
		while (!(rest >> top & 15))
			top -= 4;
		for (; top >= 0; top -= 4)
			text[n++] = hex[rest >> top & 15];
	}
	text[n] = '\0';
	msg_add_flags(m, &hf_glusterfs_setattr_valid, valid, text);
	msg_info_put(m, " valid=", 7);
	msg_info_str(m, n ? text : "0");
	if (!st)
		return;
	if (valid & 0x1) {
		msg_info_put(m, " mode=0", 7);
		msg_info_oct(m, st->mode & 07777);
	}
	if (valid & 0x2) {
		msg_info_put(m, " uid=", 5);
		msg_info_uint(m, st->uid);
	}
	if (valid & 0x4) {
		msg_info_put(m, " gid=", 5);
		msg_info_uint(m, st->gid);
	}
	if (valid & 0x8) {
		msg_info_put(m, " size=", 6);
		msg_info_uint(m, st->size);
	}
	if (valid & 0x10)
		info_time(m, "atime", st->sec[0], st->nsec[0]);
	if (valid & 0x20)
		info_time(m, "mtime", st->sec[1], st->nsec[1]);
	if (valid & 0x40)
		info_time(m, "ctime", st->sec[2], st->nsec[2]);
}

/* ---- structures of glusterfs3-xdr.x used by both versions ---- */

static void dec_flock(struct message *m, struct cursor *c)
{
	msg_open(m, &hf_glusterfs_flock, "flock");
	msg_add_uint(m, &hf_glusterfs_flock_type, xdr_u32(c));
	msg_add_uint(m, &hf_glusterfs_flock_whence, xdr_u32(c));
	msg_add_uint(m, &hf_glusterfs_flock_start, xdr_u64(c));
	msg_add_uint(m, &hf_glusterfs_flock_len, xdr_u64(c));
	msg_add_int(m, &hf_glusterfs_flock_pid, xdr_i32(c));
	uint32_t len;
	const uint8_t *owner = xdr_opaque(c, 1024, &len);
	if (owner)
		msg_add_bytes(m, &hf_glusterfs_flock_owner, owner, len);
	msg_close(m);
}

static void dec_statfs(struct message *m, struct cursor *c)
{
	static const struct field_def *const defs[] = {
		&hf_glusterfs_statfs_bsize, &hf_glusterfs_statfs_frsize,
		&hf_glusterfs_statfs_blocks, &hf_glusterfs_statfs_bfree,
		&hf_glusterfs_statfs_bavail, &hf_glusterfs_statfs_files,
		&hf_glusterfs_statfs_ffree, &hf_glusterfs_statfs_favail,
		&hf_glusterfs_statfs_fsid, &hf_glusterfs_statfs_flags,
		&hf_glusterfs_statfs_namemax,
	};
	msg_open(m, &hf_glusterfs_statfs, "statfs");
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
		msg_add_uint(m, defs[i], xdr_u64(c));
	msg_close(m);
}

static void dec_lease(struct message *m, struct cursor *c)
{
	msg_open(m, &hf_glusterfs_lease, "lease");
	msg_add_uint(m, &hf_glusterfs_lease_cmd, xdr_u32(c));
	msg_add_uint(m, &hf_glusterfs_lease_type, xdr_u32(c));
	const uint8_t *id = xdr_fixed(c, 16);
	if (id)
		msg_add_bytes(m, &hf_glusterfs_lease_id, id, 16);
	msg_add_hex(m, &hf_glusterfs_lease_flags, xdr_u32(c));
	msg_close(m);
}

/* Optional-data linked lists ("entry *next"): a bool before each entry. */
static void dirlist(struct message *m, struct cursor *c, bool plus, bool v4)
{
	uint32_t n = 0;
	while (cursor_ok(c) && xdr_bool(c) && cursor_ok(c)) {
		if (++n > XDR_MAX_LIST) {
			cursor_malformed(c, "directory list too long");
			break;
		}
		msg_open(m, &hf_glusterfs_entry, "entry");
		msg_add_uint(m, &hf_glusterfs_entry_ino, xdr_u64(c));
		msg_add_uint(m, &hf_glusterfs_entry_d_off, xdr_u64(c));
		msg_add_uint(m, &hf_glusterfs_entry_len, xdr_u32(c));
		msg_add_uint(m, &hf_glusterfs_entry_d_type, xdr_u32(c));
		uint32_t len;
		const char *name = xdr_string(c, XDR_MAX_NAME, &len);
		if (name)
			msg_add_str(m, &hf_glusterfs_entry_path, name, len);
		if (plus) {
			struct gluster_iatt st;
			if (!gluster_skip_iatt(m, c, v4, &hf_glusterfs_iatt,
					       "stat") &&
			    (v4 ? gluster_read_iattx(c, &st)
				: gluster_read_iatt3(c, &st)))
				gluster_add_iatt(m, &st, &hf_glusterfs_iatt,
						 "stat");
			if (v4)
				gluster_dict4(m, c, &hf_glusterfs_dict);
			else
				gluster_dict3(m, c, &hf_glusterfs_dict);
		}
		msg_close(m);
	}
	msg_add_int(m, &hf_glusterfs_entries, n);
	msg_info_put(m, " entries=", 9);
	msg_info_uint(m, n);
}

static void locklist(struct message *m, struct cursor *c)
{
	uint32_t n = 0;
	while (cursor_ok(c) && xdr_bool(c) && cursor_ok(c)) {
		if (++n > XDR_MAX_LIST) {
			cursor_malformed(c, "lock list too long");
			break;
		}
		msg_open(m, &hf_glusterfs_lock, "lock");
		dec_flock(m, c);
		uint32_t len;
		const char *uid = xdr_string(c, XDR_MAX_NAME, &len);
		if (uid)
			msg_add_str(m, &hf_glusterfs_lock_client_uid, uid, len);
		msg_add_hex(m, &hf_glusterfs_lock_flags, xdr_u32(c));
		msg_close(m);
	}
	msg_add_int(m, &hf_glusterfs_entries, n);
}

/* Dump's reply: struct gf_prog_detail *prog (rpc-common-xdr.x). */
static void proglist(struct message *m, struct cursor *c)
{
	uint32_t n = 0;
	while (cursor_ok(c) && xdr_bool(c) && cursor_ok(c)) {
		if (++n > 1024) {
			cursor_malformed(c, "program list too long");
			break;
		}
		uint32_t len;
		const char *name = xdr_string(c, XDR_MAX_NAME, &len);
		uint64_t num = xdr_u64(c);
		uint64_t ver = xdr_u64(c);
		if (!cursor_ok(c))
			break;
		msg_open(m, &hf_gluster_dump_prog, "program");
		msg_add_str(m, &hf_gluster_dump_progname, name, len);
		msg_add_uint(m, &hf_gluster_dump_prognum, num);
		msg_add_uint(m, &hf_gluster_dump_progver, ver);
		msg_close(m);
		msg_info(m, "%s%.*s(%llu/%llu)", n == 1 ? " progs=" : ",",
			 (int)(len > 64 ? 64 : len), name,
			 (unsigned long long)num, (unsigned long long)ver);
	}
}

/* ---- the interpreter ---- */

struct layout_state {
	struct gluster_iatt stbuf;
	bool have_stbuf;
};

static void run_item(struct message *m, struct cursor *c, const struct gluster_item *it,
		 struct layout_state *st)
{
	uint32_t len;
	switch (it->op) {
	case I_GFID:
		gluster_gfid(m, c, it->def, it->label);
		break;
	case I_U32: {
		uint32_t v = xdr_u32(c);
		if (!cursor_ok(c))
			break;
		msg_add_uint(m, it->def, v);
		if (it->label) {
			msg_info_label(m, it->label);
			msg_info_uint(m, v);
		}
		break;
	}
	case I_I32: {
		int32_t v = xdr_i32(c);
		if (!cursor_ok(c))
			break;
		msg_add_int(m, it->def, v);
		if (it->label) {
			msg_info_label(m, it->label);
			msg_info_int(m, v);
		}
		break;
	}
	case I_HEX32: {
		uint32_t v = xdr_u32(c);
		if (!cursor_ok(c))
			break;
		msg_add_hex(m, it->def, v);
		if (it->label) {
			msg_info_label(m, it->label);
			msg_info_put(m, "0x", 2);
			msg_info_hex(m, v);
		}
		break;
	}
	case I_MODE: {
		uint32_t v = xdr_u32(c);
		if (!cursor_ok(c))
			break;
		msg_add_uint(m, it->def, v);
		if (it->label) {
			msg_info_label(m, it->label);
			msg_info_put(m, "0", 1);
			msg_info_oct(m, v);
		}
		break;
	}
	case I_U64: {
		uint64_t v = xdr_u64(c);
		if (!cursor_ok(c))
			break;
		msg_add_uint(m, it->def, v);
		if (it->label) {
			msg_info_label(m, it->label);
			msg_info_uint(m, v);
		}
		break;
	}
	case I_I64: {
		int64_t v = xdr_i64(c);
		if (!cursor_ok(c))
			break;
		msg_add_int(m, it->def, v);
		if (it->label) {
			msg_info_label(m, it->label);
			msg_info_int(m, v);
		}
		break;
	}
	case I_OFLAGS: {
		uint32_t v = xdr_u32(c);
		if (cursor_ok(c))
			add_oflags(m, it->def, it->label, v);
		break;
	}
	case I_STR: {
		const char *s = xdr_string(c, XDR_MAX_OPAQUE, &len);
		if (!s)
			break;
		msg_add_str(m, it->def, s, len);
		if (it->label)
			info_text(m, it->label, s, len);
		break;
	}
	case I_OPAQUE: {
		const uint8_t *p = xdr_opaque(c, XDR_MAX_OPAQUE, &len);
		if (p)
			msg_add_bytes(m, it->def, p, len);
		break;
	}
	case I_IATT3:
	case I_IATTX:
	case I_STBUF3:
	case I_STBUFX: {
		struct gluster_iatt ia;
		bool x = it->op == I_IATTX || it->op == I_STBUFX;
		bool stbuf = it->op == I_STBUF3 || it->op == I_STBUFX;
		if (!stbuf && gluster_skip_iatt(m, c, x, it->def, it->label))
			break;
		if (!(x ? gluster_read_iattx(c, &ia)
			: gluster_read_iatt3(c, &ia)))
			break;
		gluster_add_iatt(m, &ia, it->def, it->label);
		if (stbuf) {
			st->stbuf = ia;
			st->have_stbuf = true;
		}
		break;
	}
	case I_VALID: {
		uint32_t v = xdr_u32(c);
		if (cursor_ok(c))
			add_valid(m, v, st->have_stbuf ? &st->stbuf : NULL);
		break;
	}
	case I_UUID:
		gluster_gfid(m, c, it->def, it->label);
		break;
	case I_PROGLIST:
		proglist(m, c);
		break;
	case I_DICT3:
		gluster_dict3(m, c, it->def);
		break;
	case I_DICT4:
		gluster_dict4(m, c, it->def);
		break;
	case I_FLOCK:
		dec_flock(m, c);
		break;
	case I_STATFS:
		dec_statfs(m, c);
		break;
	case I_LEASE:
		dec_lease(m, c);
		break;
	case I_OP:
		gluster_op(m, c);
		break;
	case I_DIRLIST3:
	case I_DIRLIST4:
		dirlist(m, c, false, it->op == I_DIRLIST4);
		break;
	case I_DIRPLIST3:
	case I_DIRPLIST4:
		dirlist(m, c, true, it->op == I_DIRPLIST4);
		break;
	case I_LOCKLIST:
		locklist(m, c);
		break;
	case I_DATA: {
		/* m->length counts the whole record; the cursor may hold
		 * only its head. */
		size_t at = cursor_offset(c);
		uint64_t data = m->length > at ? m->length - at : 0;
		msg_add_uint(m, &hf_glusterfs_data_length, data);
		cursor_skip(c, cursor_left(c));
		break;
	}
	}
}

/* Runs a layout.  An item cut short by the end of the bytes is taken
 * back whole, so no field shows a value the capture does not hold. */
void gluster_run_layout(struct message *m, struct cursor *c,
		       const struct gluster_item *layout)
{
	struct layout_state st = { .have_stbuf = false };
	for (const struct gluster_item *it = layout; it->op != I_END; it++) {
		unsigned nfields = m->nfields, skipped = m->skipped;
		size_t arena = m->arena_used, info = m->info_len;
		uint8_t depth = m->depth;
		run_item(m, c, it, &st);
		if (c->status & CURSOR_TRUNCATED) {
			m->nfields = nfields;
			m->skipped = skipped;
			m->arena_used = arena;
			m->depth = depth;
			m->info_len = info;
			m->info[info] = '\0';
		}
		if (!cursor_ok(c))
			return;
	}
}

static void fop_body(struct message *m, struct cursor *c,
		     const struct rpc_proc *proc, bool reply)
{
	const struct gluster_item *const *pair = proc->arg;
	gluster_run_layout(m, c, pair[reply]);
}

void gluster_layout_call(struct message *m, struct cursor *c,
			 const struct rpc_proc *proc)
{
	fop_body(m, c, proc, false);
}

void gluster_layout_reply(struct message *m, struct cursor *c,
			  const struct rpc_proc *proc)
{
	fop_body(m, c, proc, true);
}

/* ---- the layouts ---- */


#define END { I_END, NULL, NULL }
#define GFID { I_GFID, &hf_glusterfs_gfid, "gfid" }
#define PARGFID { I_GFID, &hf_glusterfs_pargfid, "pargfid" }
#define OLDGFID { I_GFID, &hf_glusterfs_oldgfid, "oldgfid" }
#define NEWGFID { I_GFID, &hf_glusterfs_newgfid, "newgfid" }
#define BNAME { I_STR, &hf_glusterfs_bname, "bname" }
#define FD { I_I64, &hf_glusterfs_fd, "fd" }
#define OFFSET { I_U64, &hf_glusterfs_offset, "offset" }
#define SIZE { I_U32, &hf_glusterfs_size, "size" }
#define SIZE64 { I_U64, &hf_glusterfs_size64, "size" }
#define FLAG { I_HEX32, &hf_glusterfs_flags, NULL }
#define OFLAGS { I_OFLAGS, &hf_glusterfs_flags, "flags" }
#define MODE { I_MODE, &hf_glusterfs_mode, "mode" }
#define UMASK { I_MODE, &hf_glusterfs_umask, NULL }
#define XFLAGS { I_HEX32, &hf_glusterfs_xflags, NULL }
#define CMD { I_U32, &hf_glusterfs_cmd, "cmd" }
#define TYPE { I_U32, &hf_glusterfs_type, "type" }
#define NAMELEN { I_U32, &hf_glusterfs_namelen, NULL }
#define NAME { I_STR, &hf_glusterfs_name, "name" }
#define VOLUME { I_STR, &hf_glusterfs_volume, "volume" }
#define X3 { I_DICT3, &hf_glusterfs_xdata, NULL }
#define X4 { I_DICT4, &hf_glusterfs_xdata, NULL }
#define D3 { I_DICT3, &hf_glusterfs_dict, NULL }
#define D4 { I_DICT4, &hf_glusterfs_dict, NULL }
#define OP { I_OP, NULL, NULL }
#define FLOCK { I_FLOCK, NULL, NULL }
#define DATA { I_DATA, NULL, NULL }
#define STAT3 { I_IATT3, &hf_glusterfs_iatt, "stat" }
#define PRE3 { I_IATT3, &hf_glusterfs_preop_iatt, "prestat" }
#define POST3 { I_IATT3, &hf_glusterfs_postop_iatt, "poststat" }
#define PREPAR3 { I_IATT3, &hf_glusterfs_preparent_iatt, "preparent" }
#define POSTPAR3 { I_IATT3, &hf_glusterfs_postparent_iatt, "postparent" }
#define STATX { I_IATTX, &hf_glusterfs_iattx, "stat" }
#define PREX { I_IATTX, &hf_glusterfs_preop_iattx, "prestat" }
#define POSTX { I_IATTX, &hf_glusterfs_postop_iattx, "poststat" }
#define PREPARX { I_IATTX, &hf_glusterfs_preparent_iattx, "preparent" }
#define POSTPARX { I_IATTX, &hf_glusterfs_postparent_iattx, "postparent" }

#define LAYOUT(id, ...) static const struct gluster_item id[] = { __VA_ARGS__, END }

/* Replies shared by many procedures. */
LAYOUT(r3_common, OP, X3);
LAYOUT(r3_stat, OP, STAT3, X3);
LAYOUT(r3_prepost, OP, PRE3, POST3, X3);
LAYOUT(r3_parents, OP, PREPAR3, POSTPAR3, X3);
LAYOUT(r3_entry, OP, STAT3, PREPAR3, POSTPAR3, X3);
LAYOUT(r3_fd, OP, FD, X3);
LAYOUT(r3_dict, OP, D3, X3);
LAYOUT(r4_common, OP, X4);
LAYOUT(r4_iatt, OP, X4, STATX);
LAYOUT(r4_2iatt, OP, X4, PREX, POSTX);
LAYOUT(r4_parents, OP, X4, PREPARX, POSTPARX);
LAYOUT(r4_3iatt, OP, X4, STATX, PREPARX, POSTPARX);
LAYOUT(r4_fd, OP, X4, FD);
LAYOUT(r4_dict, OP, X4, D4, PREX, POSTX);

/* version 330: glusterfs3-xdr.x */
LAYOUT(c3_stat, GFID, X3);
LAYOUT(c3_readlink, GFID, SIZE, X3);
LAYOUT(r3_readlink, OP, STAT3, { I_STR, &hf_glusterfs_path, "path" }, X3);
LAYOUT(c3_mknod, PARGFID, { I_U64, &hf_glusterfs_dev, NULL }, MODE, UMASK,
       BNAME, X3);
LAYOUT(c3_mkdir, PARGFID, MODE, UMASK, BNAME, X3);
LAYOUT(c3_unlink, PARGFID, BNAME, XFLAGS, X3);
LAYOUT(c3_rmdir, PARGFID, { I_I32, &hf_glusterfs_xflags, NULL }, BNAME, X3);
LAYOUT(c3_symlink, PARGFID, BNAME, UMASK,
       { I_STR, &hf_glusterfs_linkname, "linkname" }, X3);
LAYOUT(c3_rename, OLDGFID, NEWGFID,
       { I_STR, &hf_glusterfs_oldbname, "oldbname" },
       { I_STR, &hf_glusterfs_newbname, "newbname" }, X3);
LAYOUT(r3_rename, OP, STAT3,
       { I_IATT3, &hf_glusterfs_preoldparent_iatt, "preoldparent" },
       { I_IATT3, &hf_glusterfs_postoldparent_iatt, "postoldparent" },
       { I_IATT3, &hf_glusterfs_prenewparent_iatt, "prenewparent" },
       { I_IATT3, &hf_glusterfs_postnewparent_iatt, "postnewparent" }, X3);
LAYOUT(c3_link, OLDGFID, NEWGFID,
       { I_STR, &hf_glusterfs_newbname, "newbname" }, X3);
LAYOUT(c3_truncate, GFID, OFFSET, X3);
LAYOUT(c3_open, GFID, OFLAGS, X3);
LAYOUT(c3_read, GFID, FD, OFFSET, SIZE, FLAG, X3);
LAYOUT(r3_read, OP, STAT3, SIZE, X3, DATA);
LAYOUT(c3_write, GFID, FD, OFFSET, SIZE, FLAG, X3, DATA);
LAYOUT(r3_statfs, OP, { I_STATFS, NULL, NULL }, X3);
LAYOUT(c3_gfid_fd, GFID, FD, X3);
LAYOUT(c3_fsync, GFID, FD, { I_U32, &hf_glusterfs_fsync_flags, NULL }, X3);
LAYOUT(c3_setxattr, GFID, FLAG, D3, X3);
LAYOUT(c3_getxattr, GFID, NAMELEN, NAME, X3);
LAYOUT(c3_removexattr, GFID, NAME, X3);
LAYOUT(c3_fsyncdir, GFID, FD, { I_I32, &hf_glusterfs_fsync_flags, NULL }, X3);
LAYOUT(c3_access, GFID, { I_HEX32, &hf_glusterfs_mask, "mask" }, X3);
LAYOUT(c3_create, PARGFID, OFLAGS, MODE, UMASK, BNAME, X3);
LAYOUT(r3_create, OP, STAT3, FD, PREPAR3, POSTPAR3, X3);
LAYOUT(c3_ftruncate, GFID, FD, OFFSET, X3);
LAYOUT(c3_lk, GFID, FD, CMD, TYPE, FLOCK, X3);
LAYOUT(r3_lk, OP, FLOCK, X3);
LAYOUT(c3_lookup, GFID, PARGFID, FLAG, BNAME, X3);
LAYOUT(r3_lookup, OP, STAT3, POSTPAR3, X3);
LAYOUT(c3_readdir, GFID, FD, OFFSET, SIZE, X3);
LAYOUT(r3_readdir, OP, { I_DIRLIST3, NULL, NULL }, X3);
LAYOUT(c3_inodelk, GFID, CMD, TYPE, FLOCK, VOLUME, X3);
LAYOUT(c3_finodelk, GFID, FD, CMD, TYPE, FLOCK, VOLUME, X3);
LAYOUT(c3_entrylk, GFID, CMD, TYPE,
       { I_U64, &hf_glusterfs_entrylk_namelen, NULL }, NAME, VOLUME, X3);
LAYOUT(c3_fentrylk, GFID, FD, CMD, TYPE,
       { I_U64, &hf_glusterfs_entrylk_namelen, NULL }, NAME, VOLUME, X3);
LAYOUT(c3_xattrop, GFID, FLAG, D3, X3);
LAYOUT(c3_fxattrop, GFID, FD, FLAG, D3, X3);
LAYOUT(c3_fgetxattr, GFID, FD, NAMELEN, NAME, X3);
LAYOUT(c3_fsetxattr, GFID, FD, FLAG, D3, X3);
LAYOUT(c3_rchecksum, FD, OFFSET, { I_U32, &hf_glusterfs_len, "len" }, X3);
LAYOUT(r3_rchecksum, OP, { I_HEX32, &hf_glusterfs_weak_checksum, NULL },
       { I_OPAQUE, &hf_glusterfs_strong_checksum, NULL }, X3);
LAYOUT(c3_setattr, GFID, { I_STBUF3, &hf_glusterfs_iatt, "stbuf" },
       { I_VALID, NULL, NULL }, X3);
LAYOUT(c3_fsetattr, FD, { I_STBUF3, &hf_glusterfs_iatt, "stbuf" },
       { I_VALID, NULL, NULL }, X3);
/* gfs3_readdirp_req ends with dict<>, not xdata */
LAYOUT(c3_readdirp, GFID, FD, OFFSET, SIZE, D3);
LAYOUT(r3_readdirp, OP, { I_DIRPLIST3, NULL, NULL }, X3);
LAYOUT(c3_fremovexattr, GFID, FD, NAME, X3);
LAYOUT(c3_fallocate, GFID, FD, FLAG, OFFSET, SIZE64, X3);
LAYOUT(c3_discard, GFID, FD, OFFSET, SIZE64, X3);
LAYOUT(c3_ipc, { I_I32, &hf_glusterfs_ipc_op, "op" }, X3);
LAYOUT(c3_seek, GFID, FD, OFFSET, { I_I32, &hf_glusterfs_whence, "what" }, X3);
LAYOUT(r3_seek, OP, OFFSET, X3);
LAYOUT(c3_lease, GFID, { I_LEASE, NULL, NULL }, X3);
LAYOUT(r3_lease, OP, { I_LEASE, NULL, NULL }, X3);
LAYOUT(r3_getactivelk, OP, { I_LOCKLIST, NULL, NULL }, X3);
LAYOUT(c3_setactivelk, GFID, { I_LOCKLIST, NULL, NULL }, X3);

/* version 400: glusterfs4-xdr.x */
LAYOUT(c4_stat, GFID, X4);
LAYOUT(c4_readlink, GFID, SIZE, X4);
LAYOUT(r4_readlink, OP, X4, STATX, { I_STR, &hf_glusterfs_path, "path" });
LAYOUT(c4_mknod, PARGFID, { I_U64, &hf_glusterfs_dev, NULL }, MODE, UMASK,
       BNAME, X4);
LAYOUT(c4_mkdir, PARGFID, MODE, UMASK, BNAME, X4);
LAYOUT(c4_unlink, PARGFID, BNAME, XFLAGS, X4);
LAYOUT(c4_rmdir, PARGFID, { I_I32, &hf_glusterfs_xflags, NULL }, BNAME, X4);
LAYOUT(c4_symlink, PARGFID, BNAME, UMASK,
       { I_STR, &hf_glusterfs_linkname, "linkname" }, X4);
LAYOUT(c4_rename, OLDGFID, NEWGFID,
       { I_STR, &hf_glusterfs_oldbname, "oldbname" },
       { I_STR, &hf_glusterfs_newbname, "newbname" }, X4);
LAYOUT(r4_rename, OP, X4, STATX,
       { I_IATTX, &hf_glusterfs_preoldparent_iattx, "preoldparent" },
       { I_IATTX, &hf_glusterfs_postoldparent_iattx, "postoldparent" },
       { I_IATTX, &hf_glusterfs_prenewparent_iattx, "prenewparent" },
       { I_IATTX, &hf_glusterfs_postnewparent_iattx, "postnewparent" });
LAYOUT(c4_link, OLDGFID, NEWGFID,
       { I_STR, &hf_glusterfs_newbname, "newbname" }, X4);
LAYOUT(c4_truncate, GFID, OFFSET, X4);
LAYOUT(c4_open, GFID, OFLAGS, X4);
LAYOUT(c4_read, GFID, FD, OFFSET, SIZE, FLAG, X4);
LAYOUT(r4_read, OP, STATX, SIZE, X4, DATA);
LAYOUT(c4_write, GFID, FD, OFFSET, SIZE, FLAG, X4, DATA);
LAYOUT(r4_statfs, OP, X4, { I_STATFS, NULL, NULL });
LAYOUT(c4_gfid_fd, GFID, FD, X4);
LAYOUT(c4_fsync, GFID, FD, { I_U32, &hf_glusterfs_fsync_flags, NULL }, X4);
LAYOUT(c4_setxattr, GFID, FLAG, D4, X4);
LAYOUT(c4_getxattr, GFID, NAMELEN, NAME, X4);
LAYOUT(c4_removexattr, GFID, NAME, X4);
LAYOUT(c4_fsyncdir, GFID, FD, { I_I32, &hf_glusterfs_fsync_flags, NULL }, X4);
LAYOUT(c4_access, GFID, { I_HEX32, &hf_glusterfs_mask, "mask" }, X4);
LAYOUT(c4_create, PARGFID, OFLAGS, MODE, UMASK, BNAME, X4);
LAYOUT(r4_create, OP, X4, STATX, FD, PREPARX, POSTPARX);
LAYOUT(c4_ftruncate, GFID, FD, OFFSET, X4);
LAYOUT(c4_lk, GFID, FD, CMD, TYPE, FLOCK, X4);
LAYOUT(r4_lk, OP, X4, FLOCK);
LAYOUT(c4_lookup, GFID, PARGFID, FLAG, BNAME, X4);
/* LOOKUP answers with gfx_common_2iatt_rsp: stat, then postparent */
LAYOUT(r4_lookup, OP, X4, STATX, POSTPARX);
LAYOUT(c4_readdir, GFID, FD, OFFSET, SIZE, X4);
LAYOUT(r4_readdir, OP, X4, { I_DIRLIST4, NULL, NULL });
LAYOUT(c4_inodelk, GFID, CMD, TYPE, FLOCK, VOLUME, X4);
LAYOUT(c4_finodelk, GFID, FD, CMD, TYPE, FLOCK, VOLUME, X4);
LAYOUT(c4_entrylk, GFID, CMD, TYPE,
       { I_U64, &hf_glusterfs_entrylk_namelen, NULL }, NAME, VOLUME, X4);
LAYOUT(c4_fentrylk, GFID, FD, CMD, TYPE,
       { I_U64, &hf_glusterfs_entrylk_namelen, NULL }, NAME, VOLUME, X4);
LAYOUT(c4_xattrop, GFID, FLAG, D4, X4);
LAYOUT(c4_fxattrop, GFID, FD, FLAG, D4, X4);
LAYOUT(c4_fgetxattr, GFID, FD, NAMELEN, NAME, X4);
LAYOUT(c4_fsetxattr, GFID, FD, FLAG, D4, X4);
LAYOUT(c4_rchecksum, GFID, FD, OFFSET, { I_U32, &hf_glusterfs_len, "len" },
       FLAG, X4);
LAYOUT(r4_rchecksum, OP, X4, FLAG,
       { I_HEX32, &hf_glusterfs_weak_checksum, NULL },
       { I_OPAQUE, &hf_glusterfs_strong_checksum, NULL });
LAYOUT(c4_setattr, GFID, { I_STBUFX, &hf_glusterfs_iattx, "stbuf" },
       { I_VALID, NULL, NULL }, X4);
LAYOUT(c4_fsetattr, GFID, FD, { I_STBUFX, &hf_glusterfs_iattx, "stbuf" },
       { I_VALID, NULL, NULL }, X4);
LAYOUT(c4_readdirp, GFID, FD, OFFSET, SIZE, X4);
LAYOUT(r4_readdirp, OP, X4, { I_DIRPLIST4, NULL, NULL });
LAYOUT(c4_fremovexattr, GFID, FD, NAME, X4);
LAYOUT(c4_fallocate, GFID, FD, FLAG, OFFSET, SIZE64, X4);
LAYOUT(c4_discard, GFID, FD, OFFSET, SIZE64, X4);
LAYOUT(c4_ipc, { I_I32, &hf_glusterfs_ipc_op, "op" }, X4);
LAYOUT(c4_seek, GFID, FD, OFFSET, { I_I32, &hf_glusterfs_whence, "what" }, X4);
LAYOUT(r4_seek, OP, X4, OFFSET);
LAYOUT(c4_lease, GFID, { I_LEASE, NULL, NULL }, X4);
LAYOUT(r4_lease, OP, X4, { I_LEASE, NULL, NULL });
LAYOUT(c4_getactivelk, GFID, X4);
LAYOUT(r4_getactivelk, OP, X4, { I_LOCKLIST, NULL, NULL });
LAYOUT(c4_setactivelk, GFID, { I_LOCKLIST, NULL, NULL }, X4);
LAYOUT(c4_icreate, GFID, MODE, X4);
LAYOUT(c4_namelink, PARGFID, BNAME, X4);
LAYOUT(c4_put, PARGFID, BNAME, MODE, UMASK, FLAG, OFFSET, SIZE,
       { I_DICT4, &hf_glusterfs_xattr, NULL }, X4, DATA);
LAYOUT(c4_copy_file_range, { I_GFID, &hf_glusterfs_gfid1, "gfid_in" },
       { I_GFID, &hf_glusterfs_gfid2, "gfid_out" },
       { I_I64, &hf_glusterfs_fd_in, "fd_in" },
       { I_I64, &hf_glusterfs_fd_out, "fd_out" },
       { I_U64, &hf_glusterfs_off_in, "off_in" },
       { I_U64, &hf_glusterfs_off_out, "off_out" }, SIZE, FLAG, X4);

#define PAIR(call, reply) ((const struct gluster_item *const[]){ call, reply })
#define FOP(n, c, r) { n, gluster_layout_call, gluster_layout_reply, PAIR(c, r) }
#define NODEC(n) { n, NULL, NULL, NULL }

static const struct rpc_proc v330_procs[] = {
	[0] = { "NULL", rpc_body_empty, rpc_body_empty, NULL },
	[1] = FOP("STAT", c3_stat, r3_stat),
	[2] = FOP("READLINK", c3_readlink, r3_readlink),
	[3] = FOP("MKNOD", c3_mknod, r3_entry),
	[4] = FOP("MKDIR", c3_mkdir, r3_entry),
	[5] = FOP("UNLINK", c3_unlink, r3_parents),
	[6] = FOP("RMDIR", c3_rmdir, r3_parents),
	[7] = FOP("SYMLINK", c3_symlink, r3_entry),
	[8] = FOP("RENAME", c3_rename, r3_rename),
	[9] = FOP("LINK", c3_link, r3_entry),
	[10] = FOP("TRUNCATE", c3_truncate, r3_prepost),
	[11] = FOP("OPEN", c3_open, r3_fd),
	[12] = FOP("READ", c3_read, r3_read),
	[13] = FOP("WRITE", c3_write, r3_prepost),
	[14] = FOP("STATFS", c3_stat, r3_statfs),
	[15] = FOP("FLUSH", c3_gfid_fd, r3_common),
	[16] = FOP("FSYNC", c3_fsync, r3_prepost),
	[17] = FOP("SETXATTR", c3_setxattr, r3_common),
	[18] = FOP("GETXATTR", c3_getxattr, r3_dict),
	[19] = FOP("REMOVEXATTR", c3_removexattr, r3_common),
	[20] = FOP("OPENDIR", c3_stat, r3_fd),
	[21] = FOP("FSYNCDIR", c3_fsyncdir, r3_common),
	[22] = FOP("ACCESS", c3_access, r3_common),
	[23] = FOP("CREATE", c3_create, r3_create),
	[24] = FOP("FTRUNCATE", c3_ftruncate, r3_prepost),
	[25] = FOP("FSTAT", c3_gfid_fd, r3_stat),
	[26] = FOP("LK", c3_lk, r3_lk),
	[27] = FOP("LOOKUP", c3_lookup, r3_lookup),
	[28] = FOP("READDIR", c3_readdir, r3_readdir),
	[29] = FOP("INODELK", c3_inodelk, r3_common),
	[30] = FOP("FINODELK", c3_finodelk, r3_common),
	[31] = FOP("ENTRYLK", c3_entrylk, r3_common),
	[32] = FOP("FENTRYLK", c3_fentrylk, r3_common),
	[33] = FOP("XATTROP", c3_xattrop, r3_dict),
	[34] = FOP("FXATTROP", c3_fxattrop, r3_dict),
	[35] = FOP("FGETXATTR", c3_fgetxattr, r3_dict),
	[36] = FOP("FSETXATTR", c3_fsetxattr, r3_common),
	[37] = FOP("RCHECKSUM", c3_rchecksum, r3_rchecksum),
	[38] = FOP("SETATTR", c3_setattr, r3_prepost),
	[39] = FOP("FSETATTR", c3_fsetattr, r3_prepost),
	[40] = FOP("READDIRP", c3_readdirp, r3_readdirp),
	[41] = FOP("RELEASE", c3_gfid_fd, r3_common),
	[42] = FOP("RELEASEDIR", c3_gfid_fd, r3_common),
	[43] = FOP("FREMOVEXATTR", c3_fremovexattr, r3_common),
	[44] = FOP("FALLOCATE", c3_fallocate, r3_prepost),
	[45] = FOP("DISCARD", c3_discard, r3_prepost),
	[46] = FOP("ZEROFILL", c3_discard, r3_prepost),
	[47] = FOP("IPC", c3_ipc, r3_common),
	[48] = FOP("SEEK", c3_seek, r3_seek),
	[49] = NODEC("COMPOUND"),
	[50] = FOP("LEASE", c3_lease, r3_lease),
	[51] = FOP("GETACTIVELK", c3_stat, r3_getactivelk),
	[52] = FOP("SETACTIVELK", c3_setactivelk, r3_common),
	/* 3.x has no XDR for these: a v330 client never sends them */
	[53] = NODEC("ICREATE"),
	[54] = NODEC("NAMELINK"),
	[55] = NODEC("PUT"),
	[56] = NODEC("COPY_FILE_RANGE"),
};

static const struct rpc_proc v400_procs[] = {
	[0] = { "NULL", rpc_body_empty, rpc_body_empty, NULL },
	[1] = FOP("STAT", c4_stat, r4_iatt),
	[2] = FOP("READLINK", c4_readlink, r4_readlink),
	[3] = FOP("MKNOD", c4_mknod, r4_3iatt),
	[4] = FOP("MKDIR", c4_mkdir, r4_3iatt),
	[5] = FOP("UNLINK", c4_unlink, r4_parents),
	[6] = FOP("RMDIR", c4_rmdir, r4_parents),
	[7] = FOP("SYMLINK", c4_symlink, r4_3iatt),
	[8] = FOP("RENAME", c4_rename, r4_rename),
	[9] = FOP("LINK", c4_link, r4_3iatt),
	[10] = FOP("TRUNCATE", c4_truncate, r4_2iatt),
	[11] = FOP("OPEN", c4_open, r4_fd),
	[12] = FOP("READ", c4_read, r4_read),
	[13] = FOP("WRITE", c4_write, r4_2iatt),
	[14] = FOP("STATFS", c4_stat, r4_statfs),
	[15] = FOP("FLUSH", c4_gfid_fd, r4_common),
	[16] = FOP("FSYNC", c4_fsync, r4_2iatt),
	[17] = FOP("SETXATTR", c4_setxattr, r4_common),
	[18] = FOP("GETXATTR", c4_getxattr, r4_dict),
	[19] = FOP("REMOVEXATTR", c4_removexattr, r4_common),
	[20] = FOP("OPENDIR", c4_stat, r4_fd),
	[21] = FOP("FSYNCDIR", c4_fsyncdir, r4_common),
	[22] = FOP("ACCESS", c4_access, r4_common),
	[23] = FOP("CREATE", c4_create, r4_create),
	[24] = FOP("FTRUNCATE", c4_ftruncate, r4_2iatt),
	[25] = FOP("FSTAT", c4_gfid_fd, r4_iatt),
	[26] = FOP("LK", c4_lk, r4_lk),
	[27] = FOP("LOOKUP", c4_lookup, r4_lookup),
	[28] = FOP("READDIR", c4_readdir, r4_readdir),
	[29] = FOP("INODELK", c4_inodelk, r4_common),
	[30] = FOP("FINODELK", c4_finodelk, r4_common),
	[31] = FOP("ENTRYLK", c4_entrylk, r4_common),
	[32] = FOP("FENTRYLK", c4_fentrylk, r4_common),
	[33] = FOP("XATTROP", c4_xattrop, r4_dict),
	[34] = FOP("FXATTROP", c4_fxattrop, r4_dict),
	[35] = FOP("FGETXATTR", c4_fgetxattr, r4_dict),
	[36] = FOP("FSETXATTR", c4_fsetxattr, r4_common),
	[37] = FOP("RCHECKSUM", c4_rchecksum, r4_rchecksum),
	[38] = FOP("SETATTR", c4_setattr, r4_2iatt),
	[39] = FOP("FSETATTR", c4_fsetattr, r4_2iatt),
	[40] = FOP("READDIRP", c4_readdirp, r4_readdirp),
	[41] = FOP("RELEASE", c4_gfid_fd, r4_common),
	[42] = FOP("RELEASEDIR", c4_gfid_fd, r4_common),
	[43] = FOP("FREMOVEXATTR", c4_fremovexattr, r4_common),
	[44] = FOP("FALLOCATE", c4_fallocate, r4_2iatt),
	[45] = FOP("DISCARD", c4_discard, r4_2iatt),
	[46] = FOP("ZEROFILL", c4_discard, r4_2iatt),
	[47] = FOP("IPC", c4_ipc, r4_common),
	[48] = FOP("SEEK", c4_seek, r4_seek),
	[49] = NODEC("COMPOUND"),
	[50] = FOP("LEASE", c4_lease, r4_lease),
	[51] = FOP("GETACTIVELK", c4_getactivelk, r4_getactivelk),
	[52] = FOP("SETACTIVELK", c4_setactivelk, r4_common),
	[53] = FOP("ICREATE", c4_icreate, r4_iatt),
	[54] = FOP("NAMELINK", c4_namelink, r4_parents),
	[55] = FOP("PUT", c4_put, r4_3iatt),
	[56] = FOP("COPY_FILE_RANGE", c4_copy_file_range, r4_3iatt),
};

const struct rpc_program gluster_fop_v330_program = {
	1298437, 330, "GlusterFS", "V330", &hf_glusterfs_proc,
	v330_procs, sizeof v330_procs / sizeof v330_procs[0], false,
};

const struct rpc_program gluster_fop_v400_program = {
	1298437, 400, "GlusterFS", "V400", &hf_glusterfs_proc,
	v400_procs, sizeof v400_procs / sizeof v400_procs[0], false,
};
