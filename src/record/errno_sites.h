/* errno_sites.h - where a library stores errno, found in its machine code.
 *
 * errno is a thread-local of libc; a uprobe's fetchargs cannot reach it
 * (no %fs base).  But every `errno = x` in a library compiles to a call of
 * __errno_location (through its PLT stub, or `call *GOT(%rip)` with
 * -fno-plt) followed by a 32-bit store through %rax:
 *
 *     e8 rel32           call __errno_location@plt
 *     ...                (instructions that leave %rax alone)
 *     c7 00 imm32        movl $imm,(%rax)       errno = constant
 *     [41|44] 89 /r      mov %r32,(%rax)        errno = register
 *
 * The scanner follows direct jumps too: GlusterFS's DECODE_SYNCOP_ERR
 * compiles to one call, a test and a jump to each of its two stores.
 * A uprobe ON the store instruction fetches the value before it is
 * stored: the immediate, or the source register.  Stores of the constant
 * 0 are left out: GlusterFS's DECODE_SYNCOP_ERR does `errno = 0` after
 * every successful syncop, so probing them would cost every call; the
 * other stores run on failure paths.  The scanner is conservative: it
 * follows the straight
 * line after each call through a small set of fully decoded instructions
 * and gives up at anything else (a branch, an unknown opcode, a write to
 * %rax, another write through %rax).
 */
#ifndef TAPLINE_ERRNO_SITES_H
#define TAPLINE_ERRNO_SITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elfsym_file;

struct errno_site {
	uint64_t call_addr;	/* the call of __errno_location */
	uint64_t addr;		/* the store instruction: the probe goes here */
	uint64_t file_offset;	/* of addr, for the uprobe */
	bool imm;		/* errno = constant */
	int32_t value;		/* the constant */
	char fetch[16];		/* tracefs fetcharg of the value: "\5" or "%r12" */
};

enum errno_call_verdict {
	ERRNO_CALL_STORE,	/* a store site was decoded */
	ERRNO_CALL_READ,	/* errno only read (tested, saved, printed) */
	ERRNO_CALL_UNDECODED,	/* something the scanner does not follow */
};

struct errno_scan {
	uint64_t stubs[4];	/* the PLT entries of __errno_location */
	size_t nstubs;
	size_t calls;		/* calls of __errno_location */
	size_t zeroes;		/* of them, `errno = 0` stores: not sites */
	size_t reads, undecoded;
	size_t nsites;
	struct errno_site *sites;	/* malloc'd, nsites of them */
};

/* Scans every executable section of an ELF file for errno stores.
 * Returns 0 (nsites may be 0: e.g. no __errno_location import), or -1
 * with a message in err. */
int errno_scan_file(struct elfsym_file *ef, struct errno_scan *out,
		    char *err, size_t errlen);
void errno_scan_free(struct errno_scan *scan);

/* The most stores one call can lead to (a conditional jump splits the
 * path: DECODE_SYNCOP_ERR's `if (ret < 0) errno = -ret; else errno = 0;`
 * is one call, a branch and two stores). */
#define ERRNO_MAX_PATHS 8

/* Follows the code after a call of __errno_location: code[0..size) is
 * the section at address addr, the call ends at code[start].  Direct
 * jumps are followed (both ways for a conditional one), a few deep.
 * Fills sites[0..*nsites) with addr, imm, value and fetch (not
 * call_addr, file_offset): each store reached, once. */
enum errno_call_verdict errno_follow_call(const uint8_t *code, size_t size,
					  uint64_t addr, size_t start,
					  struct errno_site *sites, size_t max,
					  size_t *nsites);

/* The length of the x86-64 instruction at p if the scanner decodes it,
 * else 0 (exposed for tests). */
size_t errno_insn_length(const uint8_t *p, size_t len);

#endif
