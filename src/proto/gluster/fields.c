/* fields.c - GlusterFS's field table and its derived result fields. */
#include "fields.h"

#include "base/message.h"
#include "gluster.h"

/* op_ret and op_errno as the reply's result: the one gluster_op() read
 * (the stored fields of that name are the same values, and a changelog
 * reply's own gluster.op_ret is not a result). */
FIELD_DERIVE(gluster_derive_op_ret)
{
	int32_t ret, err;
	if (!gluster_result(m, &ret, &err))
		return false;
	f->kind = FIELD_INT;
	f->v.i = ret;
	return true;
}

FIELD_DERIVE(gluster_derive_op_errno)
{
	int32_t ret, err;
	if (!gluster_result(m, &ret, &err))
		return false;
	f->kind = FIELD_ERRNO;
	f->v.i = err;
	f->text = errno_name(err);
	return true;
}

FIELD_TABLE_DEFINE(gluster_fields, GLUSTER_FIELDS)
