/* xdr_build.h - builds XDR bytes for tests, field by field as the .x files
 * (RFC 5531; GlusterFS rpc/xdr/src/ .x files) lay them out. */
#ifndef TAPLINE_XDR_BUILD_H
#define TAPLINE_XDR_BUILD_H

#include <stdint.h>
#include <string.h>

struct xb {
	uint8_t b[32768];
	size_t n;
};

static inline void xb_u32(struct xb *x, uint32_t v)
{
	x->b[x->n++] = (uint8_t)(v >> 24);
	x->b[x->n++] = (uint8_t)(v >> 16);
	x->b[x->n++] = (uint8_t)(v >> 8);
	x->b[x->n++] = (uint8_t)v;
}

static inline void xb_u64(struct xb *x, uint64_t v)
{
	xb_u32(x, (uint32_t)(v >> 32));
	xb_u32(x, (uint32_t)v);
}

static inline void xb_raw(struct xb *x, const void *p, size_t n)
{
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

static inline void xb_fixed(struct xb *x, const void *p, size_t n)
{
	xb_raw(x, p, n);
	while (x->n & 3)
		x->b[x->n++] = 0;
}

static inline void xb_opaque(struct xb *x, const void *p, size_t n)
{
	xb_u32(x, (uint32_t)n);
	xb_fixed(x, p, n);
}

/* GlusterFS sends strings with their NUL counted. */
static inline void xb_string(struct xb *x, const char *s)
{
	xb_opaque(x, s, strlen(s) + 1);
}

/* RPC call header: xid, CALL, rpcvers 2, prog, vers, proc, AUTH_GLUSTERFS
 * v2 credential (pid, uid, gid, groups<>, lk_owner<>), AUTH_NULL verf. */
static inline void xb_call(struct xb *x, uint32_t xid, uint32_t prog,
			   uint32_t vers, uint32_t proc)
{
	xb_u32(x, xid);
	xb_u32(x, 0);
	xb_u32(x, 2);
	xb_u32(x, prog);
	xb_u32(x, vers);
	xb_u32(x, proc);
	xb_u32(x, 390039);
	xb_u32(x, 4 * 5 + 8);	/* pid uid gid ngroups(1) group lk_len lk(4) */
	xb_u32(x, 4242);
	xb_u32(x, 1000);
	xb_u32(x, 100);
	xb_u32(x, 1);
	xb_u32(x, 10);
	xb_opaque(x, "\x01\x02\x03\x04", 4);
	xb_u32(x, 0);
	xb_u32(x, 0);
}

/* RPC reply header: xid, REPLY, MSG_ACCEPTED, AUTH_NULL verf, SUCCESS. */
static inline void xb_reply(struct xb *x, uint32_t xid)
{
	xb_u32(x, xid);
	xb_u32(x, 1);
	xb_u32(x, 0);
	xb_u32(x, 0);
	xb_u32(x, 0);
	xb_u32(x, 0);
}

#endif
