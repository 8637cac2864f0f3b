/* probe_defs.h - the one table of probes that `tapline record` places.
 *
 * Each row names a probe as the record format and the tapsets do
 * (docs/probes.md), the library and symbols it sits on, and how to fetch
 * its fields with the kernel's uprobe fetchargs.  Debian's libraries are
 * stripped, so arguments are fetched by their x86-64 SysV ABI position
 * (%di %si %dx %cx %r8 %r9); `+OFF(REG)` dereferences user memory.  Where
 * the library has DWARF, the recorder asks it where each parameter is at
 * the function's entry, by name, and uses that register instead.
 *
 * Every value read from user memory costs the traced thread one
 * copy_from_user in the probe hit (~60 ns each here, bench/record-
 * overhead.sh); neighbouring values of one struct are fetched as one
 * array (`+0(%dx):s64[4]`: one field, one pass of the kernel's fetch
 * program, ~12 ns less per value) and written as separate record keys.
 */
#ifndef TAPLINE_PROBE_DEFS_H
#define TAPLINE_PROBE_DEFS_H

#include <stddef.h>

/* How a fetched value is written in a record. */
enum probe_fmt {
	PF_INT,		/* signed decimal */
	PF_UINT,	/* unsigned decimal */
	PF_HEX,		/* 0x... (pointers, handles) */
	PF_STR,		/* C-escaped quoted string */
	PF_BE32,	/* a u32 read raw from XDR bytes: byte-swap, signed */
	PF_BE32U,	/* the same, unsigned */
	PF_HIDDEN,	/* fetched for the kernel filter only, not written */
};

struct probe_arg {
	const char *name;	/* the record key; also the tracefs field name */
	const char *fetch;	/* fetcharg, e.g. "+0(%si):string"; NULL for
				 * an element of another arg's array */
	enum probe_fmt fmt;
	unsigned char guard;	/* 1-based index of a pointer field that must
				 * be non-NULL for this value to be real */
	const char *param;	/* the C parameter it comes from, by its name
				 * in the library's DWARF; NULL: none */
	unsigned char array;	/* 1-based index of the arg whose array fetch
				 * ("+0(%dx):s64[4]", PF_HIDDEN) holds this
				 * value, as element elem; 0: none */
	unsigned char elem;
};

#define PROBE_MAX_ARGS 16
#define PROBE_MAX_SYMBOLS 3

struct probe_def {
	const char *name;	/* "gfapi.utimens" */
	const char *library;	/* file name prefix: "libgfapi.so" */
	const char *symbols[PROBE_MAX_SYMBOLS];	/* each is probed, in every
						 * version the library has */
	struct probe_arg args[PROBE_MAX_ARGS];	/* entry (or event) fields */
	const char *ret_fetch;	/* return probe's "$retval:TYPE"; NULL: a
				 * point probe, phase "event" */
	enum probe_fmt ret_fmt;
	const char *filter;	/* kernel event filter, or NULL */
	const char *summary;
};

/* The gfapi.* rows are generated from tapsets/gfapi.spec, the definition
 * the SystemTap tapsets are generated from too (src/record/gen-probe-defs.awk);
 * the rpc.* and gluster.* rows are in probe_defs.c. */
extern const struct probe_def gfapi_probe_defs[];
extern const size_t gfapi_probe_defs_count;

size_t probe_def_count(void);
const struct probe_def *probe_def_at(size_t i);

/* The library a probe is found in by default ("libgfapi.so.0"...). */
const char *probe_library_soname(const char *library);

#endif
