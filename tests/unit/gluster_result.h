/* gluster_result.h - a GlusterFS reply's result, for the tests' checks. */
#ifndef TAPLINE_TEST_GLUSTER_RESULT_H
#define TAPLINE_TEST_GLUSTER_RESULT_H

#include "proto/gluster/gluster.h"

/* The reply carries op_ret (and op_errno). */
static inline bool result_ret_is(const struct message *m, int32_t ret)
{
	int32_t r, e;
	return gluster_result(m, &r, &e) && r == ret;
}

static inline bool result_is(const struct message *m, int32_t ret,
			     int32_t err)
{
	int32_t r, e;
	return gluster_result(m, &r, &e) && r == ret && e == err;
}

#endif
