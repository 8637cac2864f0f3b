/*
 * stap-memlock-shim.c - LD_PRELOAD shim for stapbpf: lets
 * setrlimit(RLIMIT_MEMLOCK, ...) succeed where the process lacks
 * CAP_SYS_RESOURCE.
 *
 * stapbpf raises RLIMIT_MEMLOCK to infinity before it creates its maps and
 * gives up when that fails.  Kernels since 5.11 charge BPF memory to the
 * memory cgroup and no longer look at RLIMIT_MEMLOCK, so pretending the
 * raise worked is safe there; every other resource goes to libc untouched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/resource.h>

typedef int setrlimit_fn(__rlimit_resource_t, const struct rlimit *);

static int forward(const char *name, __rlimit_resource_t resource,
		   const struct rlimit *rlim)
{
	setrlimit_fn *real = (setrlimit_fn *)dlsym(RTLD_NEXT, name);
	int rc;

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	rc = real(resource, rlim);
	if (rc != 0 && errno == EPERM && resource == RLIMIT_MEMLOCK)
		return 0;	/* memcg accounting: the limit is not used */
	return rc;
}

int setrlimit(__rlimit_resource_t resource, const struct rlimit *rlim)
{
	return forward("setrlimit", resource, rlim);
}

int setrlimit64(__rlimit_resource_t resource, const struct rlimit64 *rlim)
{
	return forward("setrlimit64", resource, (const struct rlimit *)rlim);
}
