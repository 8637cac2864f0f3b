/* gluster_dict.c - GlusterFS dictionaries on the wire, and the small
 * pieces every GlusterFS program shares (results, gfids, iatt/iattx).
 *
 * 3.x dict, inside an opaque<> (libglusterfs dict_serialize()):
 *	count(be32) { keylen(be32) vallen(be32) key[keylen] '\0' value[vallen] }...
 * 4.x dict, struct gfx_dict (rpc/xdr/src/glusterfs4-xdr.x):
 *	xdr_size(u32) count(i32, -1 = NULL dict) pairs<>
 *	pair: key opaque<> (NUL counted), gfx_value union on type(i32)
 */
#include "gluster.h"

#include <stdio.h>
#include <string.h>

#include "proto/oncrpc/xdr.h"

#define DICT_MAX_PAIRS 4096u

/* "NAME: N pairs", cut to 63 bytes as snprintf would. */
static void dict_label(char out[64], const char *name, uint32_t n)
{
	char tail[24], *end = tail + sizeof tail, *p = end - 6;
	memcpy(p, " pairs", 6);
	do
		*--p = (char)('0' + n % 10);
	while (n /= 10);
	*--p = ' ';
	*--p = ':';
	size_t at = strnlen(name, 63), k = (size_t)(end - p);
	if (k > 63 - at)
		k = 63 - at;
	memcpy(out, name, at);
	memcpy(out + at, p, k);
	out[at + k] = '\0';
}

void gluster_op(struct message *m, struct cursor *c)
{
	int32_t ret = xdr_i32(c);
	int32_t err = xdr_i32(c);
	if (!cursor_ok(c))
		return;
	gluster_set_result(m, ret, err);
	msg_add_int(m, &hf_gluster_op_ret, ret);
	msg_add_errno(m, &hf_gluster_op_errno, err);
	msg_info_put(m, " op_ret=", 8);
	msg_info_int(m, ret);
	msg_info_put(m, " op_errno=", 10);
	msg_info_int(m, err);
	if (err && errno_name(err)) {
		msg_info_put(m, " ", 1);
		msg_info_str(m, errno_name(err));
	}
}

void gluster_gfid(struct message *m, struct cursor *c,
		  const struct field_def *def, const char *label)
{
	const uint8_t *g = xdr_fixed(c, 16);
	if (!g)
		return;
	msg_add_gfid(m, def, g);
	if (label && !m->no_info) {
		char text[37];
		gfid_text(g, text);
		msg_info_label(m, label);
		msg_info_put(m, text, 36);
	}
}

static bool text_byte(uint8_t b)
{
	return (b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t';
}

/* Whether p[0..n) is text: printable ASCII, newlines and tabs.  Eight
 * bytes at a time where none is below 0x20 or above 0x7e: values can be
 * whole small files (quick-read's glusterfs.content, up to 64 KiB in
 * every LOOKUP reply), and a byte at a time was a third of the time
 * `tapline decode` took on such a capture. */
static bool is_text(const uint8_t *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull;
	const uint64_t highs = 0x8080808080808080ull;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		/* a byte below 0x20; a byte above 0x7e (or with bit 7) */
		uint64_t below = (w - ones * 0x20) & ~w & highs;
		uint64_t above = ((w + ones * (127 - 0x7e)) | w) & highs;
		if (below | above)
			for (size_t k = i; k < i + 8; k++)
				if (!text_byte(p[k]))
					return false;
	}
	for (; i < n; i++)
		if (!text_byte(p[i]))
			return false;
	return true;
}

/* Text when every byte is printable (a trailing NUL allowed), else hex.
 * A value that nobody reads takes its length either way, unless a NUL
 * ends it: then only is_text says which. */
static void add_value(struct message *m, const uint8_t *p, size_t len)
{
	size_t n = len;
	if (n && p[n - 1] == '\0')
		n--;
	if (n == len && !msg_keeps(m, &hf_glusterfs_dict_value))
		msg_add_bytes(m, &hf_glusterfs_dict_value, p, len);
	else if (is_text(p, n))
		msg_add_str(m, &hf_glusterfs_dict_value, p, n);
	else
		msg_add_bytes(m, &hf_glusterfs_dict_value, p, len);
}

static void add_key(struct message *m, const uint8_t *p, size_t len)
{
	if (len && p[len - 1] == '\0')
		len--;
	msg_add_str(m, &hf_glusterfs_dict_key, p, len);
}

void gluster_dict3_bytes(struct message *m, struct cursor *outer,
			 const uint8_t *p, size_t len,
			 const struct field_def *def)
{
	if (!len)
		return;		/* no dict sent */
	struct cursor c = cursor_init(p, len);
	uint32_t count = cursor_be32(&c);
	char label[64];
	dict_label(label, def->name, count);
	msg_open(m, def, label);
	if (count > DICT_MAX_PAIRS)
		cursor_malformed(&c, "dict count beyond any real dict");
	for (uint32_t i = 0; i < count && cursor_ok(&c); i++) {
		uint32_t keylen = cursor_be32(&c);
		uint32_t vallen = cursor_be32(&c);
		const uint8_t *key = cursor_take(&c, keylen);
		if (key && !cursor_skip(&c, 1))	/* the key's NUL */
			break;
		const uint8_t *val = cursor_take(&c, vallen);
		if (!val)
			break;
		add_key(m, key, keylen);
		add_value(m, val, vallen);
	}
	msg_close(m);
	/* The opaque is whole: running out inside it means the bytes lie
	 * (the pairs before stay: they were there). */
	if (!cursor_ok(&c) && outer)
		cursor_malformed(outer, c.why ? c.why
					      : "dict pairs run past their opaque");
}

void gluster_dict3(struct message *m, struct cursor *c,
		   const struct field_def *def)
{
	uint32_t len;
	const uint8_t *p = xdr_opaque(c, XDR_MAX_OPAQUE, &len);
	if (p)
		gluster_dict3_bytes(m, c, p, len, def);
}

enum {
	DT_STR_OLD = 1, DT_INT = 2, DT_UINT = 3, DT_DOUBLE = 4, DT_STR = 5,
	DT_PTR = 6, DT_GFUUID = 7, DT_IATT = 8, DT_MDATA = 9,
};

static void mdata_iatt(struct message *m, struct cursor *c)
{
	int64_t at = xdr_i64(c), mt = xdr_i64(c), ct = xdr_i64(c);
	uint32_t an = xdr_u32(c), mn = xdr_u32(c), cn = xdr_u32(c);
	msg_open(m, &hf_glusterfs_mdata, "mdata iatt");
	msg_add_time(m, &hf_glusterfs_ia_atime, at, an);
	msg_add_time(m, &hf_glusterfs_ia_mtime, mt, mn);
	msg_add_time(m, &hf_glusterfs_ia_ctime, ct, cn);
	msg_close(m);
}

void gluster_dict4(struct message *m, struct cursor *c,
		   const struct field_def *def)
{
	uint32_t xdr_size = xdr_u32(c);
	int32_t count = xdr_i32(c);
	uint32_t n = xdr_u32(c);
	if (!cursor_ok(c))
		return;
	if (count == -1 && n == 0)
		return;		/* a NULL dict */
	if (count < 0 || (uint32_t)count != n || n > DICT_MAX_PAIRS) {
		cursor_malformed(c, "gfx_dict count disagrees with its pairs");
		return;
	}
	if (n == 0)
		return;
	char label[64];
	dict_label(label, def->name, n);
	msg_open(m, def, label);
	msg_add_uint(m, &hf_glusterfs_dict_xdr_size, xdr_size);
	for (uint32_t i = 0; i < n && cursor_ok(c); i++) {
		uint32_t len;
		const uint8_t *key = xdr_opaque(c, XDR_MAX_NAME, &len);
		int32_t type = xdr_i32(c);
		if (!cursor_ok(c))
			break;
		add_key(m, key, len);
		switch (type) {
		case DT_INT:
			msg_add_int(m, &hf_glusterfs_dict_value, xdr_i64(c));
			break;
		case DT_UINT:
			msg_add_uint(m, &hf_glusterfs_dict_value, xdr_u64(c));
			break;
		case DT_DOUBLE: {
			uint64_t bits = xdr_u64(c);
			double d;
			memcpy(&d, &bits, sizeof d);
			char text[40];
			int tl = snprintf(text, sizeof text, "%.17g", d);
			msg_add_str(m, &hf_glusterfs_dict_value, text,
				    (size_t)tl);
			break;
		}
		case DT_STR:
		case DT_STR_OLD:
		case DT_PTR: {
			const uint8_t *v = xdr_opaque(c, XDR_MAX_OPAQUE, &len);
			if (v)
				add_value(m, v, len);
			break;
		}
		case DT_GFUUID: {
			const uint8_t *g = xdr_fixed(c, 16);
			if (g)
				msg_add_gfid(m, &hf_glusterfs_dict_value, g);
			break;
		}
		case DT_IATT: {
			struct gluster_iatt ia;
			if (gluster_read_iattx(c, &ia))
				gluster_add_iatt(m, &ia, &hf_glusterfs_iattx,
						 "iattx");
			break;
		}
		case DT_MDATA:
			mdata_iatt(m, c);
			break;
		default:
			cursor_malformed(c, "gfx_value of an unknown type");
			break;
		}
	}
	msg_close(m);
}

const struct field *gluster_dict_find(const struct message *m, unsigned from,
				      const char *key)
{
	size_t klen = strlen(key);
	for (unsigned i = from; i + 1 < m->nfields; i++) {
		const struct field *f = &m->fields[i];
		if (f->kind != FIELD_STR || f->def != &hf_glusterfs_dict_key)
			continue;
		if (f->len == klen && !memcmp(field_bytes(m, f), key, klen))
			return &m->fields[i + 1];
	}
	return NULL;
}

/* ---- iatt ---- */

bool gluster_read_iatt3(struct cursor *c, struct gluster_iatt *ia)
{
	memset(ia, 0, sizeof *ia);
	const uint8_t *g = xdr_fixed(c, 16);
	if (g)
		memcpy(ia->gfid, g, 16);
	ia->ino = xdr_u64(c);
	ia->dev = xdr_u64(c);
	ia->mode = xdr_u32(c);
	ia->nlink = xdr_u32(c);
	ia->uid = xdr_u32(c);
	ia->gid = xdr_u32(c);
	ia->rdev = xdr_u64(c);
	ia->size = xdr_u64(c);
	ia->blksize = xdr_u32(c);
	ia->blocks = xdr_u64(c);
	/* 3.x sends seconds as unsigned int: a client's -1 goes out as
	 * 0xffffffff, and the brick applies 4294967295 (2106-02-07; seen in
	 * the lab with testing.old-protocol), so that is what is shown. */
	for (int i = 0; i < 3; i++) {
		ia->sec[i] = xdr_u32(c);
		ia->nsec[i] = xdr_u32(c);
	}
	return cursor_ok(c);
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t load_be64(const uint8_t *p)
{
	return (uint64_t)load_be32(p) << 32 | load_be32(p + 4);
}

#define IATTX_SIZE (16 + 8 * 8 + 4 * 8 + 4 * 4 + 5 * 4)

bool gluster_read_iattx(struct cursor *c, struct gluster_iatt *ia)
{
	memset(ia, 0, sizeof *ia);
	ia->x = true;
	/* Every reply carries one or two: read whole when the bytes are
	 * all there, word by word (stopping where they end) when not. */
	if (cursor_ok(c) && cursor_left(c) >= IATTX_SIZE) {
		const uint8_t *p = cursor_take(c, IATTX_SIZE);
		memcpy(ia->gfid, p, 16);
		p += 16;
		uint64_t *u[] = { &ia->flags, &ia->ino, &ia->dev, &ia->rdev,
				  &ia->size, &ia->blocks, &ia->attributes,
				  &ia->attributes_mask };
		for (int i = 0; i < 8; i++, p += 8)
			*u[i] = load_be64(p);
		for (int i = 0; i < 4; i++, p += 8)
			ia->sec[i] = (int64_t)load_be64(p);
		for (int i = 0; i < 4; i++, p += 4)
			ia->nsec[i] = load_be32(p);
		ia->nlink = load_be32(p);
		ia->uid = load_be32(p + 4);
		ia->gid = load_be32(p + 8);
		ia->blksize = load_be32(p + 12);
		ia->mode = load_be32(p + 16);
		return true;
	}
	const uint8_t *g = xdr_fixed(c, 16);
	if (g)
		memcpy(ia->gfid, g, 16);
	ia->flags = xdr_u64(c);
	ia->ino = xdr_u64(c);
	ia->dev = xdr_u64(c);
	ia->rdev = xdr_u64(c);
	ia->size = xdr_u64(c);
	ia->blocks = xdr_u64(c);
	ia->attributes = xdr_u64(c);
	ia->attributes_mask = xdr_u64(c);
	for (int i = 0; i < 4; i++)
		ia->sec[i] = xdr_i64(c);
	for (int i = 0; i < 4; i++)
		ia->nsec[i] = xdr_u32(c);
	ia->nlink = xdr_u32(c);
	ia->uid = xdr_u32(c);
	ia->gid = xdr_u32(c);
	ia->blksize = xdr_u32(c);
	ia->mode = xdr_u32(c);
	return cursor_ok(c);
}

#define IATT3_SIZE (16 + 8 * 5 + 4 * 5 + 4 * 6)

/* What gluster_add_iatt adds: the tree and its end, the gfid, ten
 * numbers and three times; 4.x also the flags, the birth time and the
 * attributes with their mask. */
#define IATT3_FIELDS (1 + 1 + 10 + 3 + 1)
#define IATTX_FIELDS (IATT3_FIELDS + 1 + 1 + 2)

/* Every field gluster_add_iatt adds within its subtree. */
static const struct field_def *const iatt_defs[] = {
	&hf_glusterfs_ia_gfid, &hf_glusterfs_iax_flags, &hf_glusterfs_ia_ino,
	&hf_glusterfs_ia_dev, &hf_glusterfs_ia_rdev, &hf_glusterfs_ia_size,
	&hf_glusterfs_ia_blocks, &hf_glusterfs_ia_blksize,
	&hf_glusterfs_ia_mode, &hf_glusterfs_ia_nlink, &hf_glusterfs_ia_uid,
	&hf_glusterfs_ia_gid, &hf_glusterfs_ia_atime, &hf_glusterfs_ia_mtime,
	&hf_glusterfs_ia_ctime, &hf_glusterfs_ia_btime,
	&hf_glusterfs_iax_attributes, &hf_glusterfs_iax_attributes_mask,
};

bool gluster_skip_iatt(struct message *m, struct cursor *c, bool x,
		       const struct field_def *def, const char *label)
{
	size_t size = x ? IATTX_SIZE : IATT3_SIZE;
	if (!msg_part_unread(m, def, iatt_defs,
			     sizeof iatt_defs / sizeof *iatt_defs) ||
	    !cursor_ok(c) || cursor_left(c) < size ||
	    !msg_count_only(m, x ? IATTX_FIELDS : IATT3_FIELDS,
			    (label ? strlen(label) : 0) + 16))
		return false;
	cursor_skip(c, size);
	return true;
}

void gluster_add_iatt(struct message *m, const struct gluster_iatt *ia,
		      const struct field_def *def, const char *label)
{
	static const struct field_def *const times[] = {
		&hf_glusterfs_ia_atime, &hf_glusterfs_ia_mtime,
		&hf_glusterfs_ia_ctime, &hf_glusterfs_ia_btime,
	};
	msg_open(m, def, label);
	msg_add_gfid(m, &hf_glusterfs_ia_gfid, ia->gfid);
	if (ia->x)
		msg_add_hex(m, &hf_glusterfs_iax_flags, ia->flags);
	msg_add_uint(m, &hf_glusterfs_ia_ino, ia->ino);
	msg_add_uint(m, &hf_glusterfs_ia_dev, ia->dev);
	msg_add_uint(m, &hf_glusterfs_ia_rdev, ia->rdev);
	msg_add_uint(m, &hf_glusterfs_ia_size, ia->size);
	msg_add_uint(m, &hf_glusterfs_ia_blocks, ia->blocks);
	msg_add_uint(m, &hf_glusterfs_ia_blksize, ia->blksize);
	msg_add_uint(m, &hf_glusterfs_ia_mode, ia->mode);
	msg_add_uint(m, &hf_glusterfs_ia_nlink, ia->nlink);
	msg_add_uint(m, &hf_glusterfs_ia_uid, ia->uid);
	msg_add_uint(m, &hf_glusterfs_ia_gid, ia->gid);
	for (int i = 0; i < (ia->x ? 4 : 3); i++)
		msg_add_time(m, times[i], ia->sec[i], ia->nsec[i]);
	if (ia->x) {
		msg_add_hex(m, &hf_glusterfs_iax_attributes, ia->attributes);
		msg_add_hex(m, &hf_glusterfs_iax_attributes_mask,
			    ia->attributes_mask);
	}
	msg_close(m);
}
