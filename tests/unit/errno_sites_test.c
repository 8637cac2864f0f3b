/* errno_sites_test.c - the errno store scanner over hand-made x86-64
 * bytes (each from objdump of real code), and the per-thread tracking of
 * which errno a call left.  With `--dump FILE` it scans a real ELF file
 * and prints what it found, for tests/record-errno-sites.sh to compare
 * with objdump's own disassembly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/elfsym.h"
#include "record/errno_sites.h"
#include "record/errno_track.h"
#include "tap.h"

#define ADDR 0x1000

static size_t follow_count;	/* stores the last follow() reached */

static enum errno_call_verdict follow(const char *hex, struct errno_site *s)
{
	uint8_t b[64];
	size_t n = 0;
	unsigned v;
	while (n < sizeof(b) && sscanf(hex, " %2x", &v) == 1) {
		b[n++] = (uint8_t)v;
		while (*hex == ' ')
			hex++;
		hex += 2;
	}
	struct errno_site found[ERRNO_MAX_PATHS];
	size_t nfound = 0;
	enum errno_call_verdict verdict = errno_follow_call(b, n, ADDR, 0, found,
						      ERRNO_MAX_PATHS, &nfound);
	memset(s, 0, sizeof(*s));
	if (nfound)
		*s = found[0];
	follow_count = nfound;
	return verdict;
}

static void scanner(void)
{
	struct errno_site s;

	/* movl $0x5,(%rax) right after the call */
	is_int(follow("c7 00 05 00 00 00 b8 ff ff ff ff", &s), ERRNO_CALL_STORE,
	       "movl $5,(%%rax): a store site");
	is_int(s.addr, ADDR, "  at the store instruction");
	ok(s.imm && s.value == 5, "  an immediate 5");
	is_str(s.fetch, "\\5", "  fetched as an immediate");

	/* glfs_init: mov $-1,%esi; mov %r15,%rdi; movl $0x6b,(%rax) */
	is_int(follow("be ff ff ff ff 4c 89 ff c7 00 6b 00 00 00", &s),
	       ERRNO_CALL_STORE, "store after two moves to other registers");
	is_int(s.addr, ADDR + 8, "  at offset 8");
	is_int(s.value, 107, "  ENOTCONN");

	/* errno = -ret: mov 0xc(%rsp),%edi; neg %edi; mov %edi,(%rax) */
	is_int(follow("8b 7c 24 0c f7 df 89 38", &s), ERRNO_CALL_STORE,
	       "errno = -ret: load, neg, register store");
	is_int(s.addr, ADDR + 6, "  at the store");
	ok(!s.imm, "  not an immediate");
	is_str(s.fetch, "%di", "  the value is in %%edi");

	is_int(follow("44 89 20", &s), ERRNO_CALL_STORE, "mov %%r12d,(%%rax)");
	is_str(s.fetch, "%r12", "  REX.R: %%r12");
	is_int(follow("45 31 e4 44 89 20", &s), ERRNO_CALL_STORE,
	       "xor %%r12d,%%r12d then the store");
	is_int(follow("48 89 c2 c7 00 0c 00 00 00", &s), ERRNO_CALL_STORE,
	       "mov %%rax,%%rdx (a copy) then the store");
	is_int(follow("66 0f 1f 44 00 00 c7 00 16 00 00 00", &s),
	       ERRNO_CALL_STORE, "a nopw (addressed with %%rax, no access)");
	is_int(follow("48 8d 35 99 df 01 00 41 b8 04 00 00 00 c7 00 02 00 00 00",
		      &s), ERRNO_CALL_STORE, "lea (%%rip), mov $imm,%%r8d");
	is_int(s.value, 2, "  ENOENT");
	is_int(follow("f3 0f 6f 44 24 10 c7 00 05 00 00 00", &s),
	       ERRNO_CALL_STORE, "movdqu into %%xmm0 then the store");

	/* reads: errno tested or saved */
	is_int(follow("8b 38 e8 00 00 00 00", &s), ERRNO_CALL_READ,
	       "mov (%%rax),%%edi then a call: a read");
	is_int(follow("83 38 04 74 10", &s), ERRNO_CALL_READ,
	       "cmpl $4,(%%rax); je: a read");

	/* what is not followed */
	is_int(follow("b8 ff ff ff ff c7 00 05 00 00 00", &s),
	       ERRNO_CALL_UNDECODED, "%%eax overwritten before the store");
	is_int(follow("48 c7 00 05 00 00 00", &s), ERRNO_CALL_UNDECODED,
	       "a 64-bit store to (%%rax) is not errno");
	is_int(follow("c7 40 04 05 00 00 00", &s), ERRNO_CALL_UNDECODED,
	       "a store to 4(%%rax) is not errno");
	is_int(follow("66 89 10", &s), ERRNO_CALL_UNDECODED,
	       "a 16-bit store is not errno");
	is_int(follow("89 00", &s), ERRNO_CALL_UNDECODED,
	       "mov %%eax,(%%rax) stores the pointer");
	/* jumps: DECODE_SYNCOP_ERR as gcc -O2 compiles it in libgfapi:
	 * test %ebp,%ebp; js +6; movl $0,(%rax); ret; neg %ebp;
	 * mov %ebp,(%rax) */
	is_int(follow("85 ed 78 07 c7 00 00 00 00 00 c3 f7 dd 89 28", &s),
	       ERRNO_CALL_STORE, "both ways of a conditional jump");
	is_int(follow_count, 2, "  two stores: errno = 0 and errno = -ret");
	is_int(follow("eb 02 0f 0b c7 00 05 00 00 00", &s), ERRNO_CALL_STORE,
	       "jmp over a ud2 to the store");
	is_int(s.addr, ADDR + 4, "  at the jump's target");
	is_int(follow("e9 00 00 00 00 44 89 20", &s), ERRNO_CALL_STORE,
	       "jmp rel32 to the next instruction");
	is_int(follow("74 01 90 74 01 90 74 01 90 c7 00 05 00 00 00", &s),
	       ERRNO_CALL_UNDECODED, "no more than two jumps are followed");
	is_int(follow("eb fe", &s), ERRNO_CALL_UNDECODED, "a jump to itself ends");
	is_int(follow("eb 7f", &s), ERRNO_CALL_UNDECODED,
	       "a jump out of the section ends");
	is_int(follow("0f 84 11 01 00 00 c7 00 05 00 00 00", &s),
	       ERRNO_CALL_STORE, "a jump out of the section: the other way");
	is_int(follow("ff e0 c7 00 05 00 00 00", &s), ERRNO_CALL_UNDECODED,
	       "an indirect jump ends the path");
	is_int(follow("8a e0 c7 00 05 00 00 00", &s), ERRNO_CALL_UNDECODED,
	       "mov %%al,%%ah writes %%rax");
	is_int(follow("41 90 c7 00 05 00 00 00", &s), ERRNO_CALL_UNDECODED,
	       "41 90 is xchg %%r8,%%rax");
	is_int(follow("f7 e2 c7 00 05 00 00 00", &s), ERRNO_CALL_UNDECODED,
	       "mul writes %%rax");
	is_int(follow("c7 00 05 00", &s), ERRNO_CALL_UNDECODED,
	       "a store cut by the end of the section");
	is_int(follow("", &s), ERRNO_CALL_UNDECODED, "nothing after the call");
	is_int(follow("44 89 20", &s), ERRNO_CALL_STORE, "(again, whole)");

	is_int(errno_insn_length((const uint8_t *)"\x48\x8b\x44\x24\x18", 5), 5,
	       "mov 0x18(%%rsp),%%rax is 5 bytes");
	is_int(errno_insn_length((const uint8_t *)"\x49\xbf\1\2\3\4\5\6\7\x08", 10),
	       10, "movabs $imm64,%%r15 is 10 bytes");
	is_int(errno_insn_length((const uint8_t *)"\x49\xbf\1\2\3", 5), 0,
	       "movabs cut short: not decoded");
	is_int(errno_insn_length((const uint8_t *)"\xc7\x84\x24\x80\0\0\0\1\0\0\0",
				 11), 11, "movl $1,0x80(%%rsp) is 11 bytes");
}

/* Random bytes (ASan/UBSan catch any read outside them): the follower
 * never crashes, and what it calls a site is a store it can name. */
static void random_bytes(void)
{
	unsigned long long x = 0x9e3779b97f4a7c15ull;
	size_t stores = 0, bad = 0;
	for (int round = 0; round < 200000; round++) {
		uint8_t b[48];
		size_t n = (size_t)(round % 49);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			/* bias toward the opcodes it follows */
			static const uint8_t common[] = { 0xc7, 0x00, 0x89, 0x44,
				0x74, 0xeb, 0x0f, 0x84, 0x48, 0x8b, 0xe9, 0x66 };
			b[i] = x & 1 ? common[(x >> 8) % sizeof(common)] :
				       (uint8_t)(x >> 16);
		}
		/* each buffer its exact size on the heap: no slack to hide in */
		uint8_t *h = n ? malloc(n) : NULL;
		if (n)
			memcpy(h, b, n);
		struct errno_site found[ERRNO_MAX_PATHS];
		size_t nfound = 0;
		errno_follow_call(h, n, ADDR, 0, found, ERRNO_MAX_PATHS, &nfound);
		for (size_t k = 0; k < nfound; k++) {
			stores++;
			bad += found[k].addr < ADDR || found[k].addr >= ADDR + n ||
			       (found[k].fetch[0] != '%' && found[k].fetch[0] != '\\');
		}
		free(h);
	}
	ok(stores > 0 && bad == 0,
	   "200000 random buffers: %zu stores found, all inside and named", stores);
}

static void tracking(void)
{
	struct errno_track *t = errno_track_new();
	static const char stat[] = "stat", utimens[] = "utimens",
		setattr[] = "setattr";
	int v = -1;

	errno_track_entry(t, 10, stat);
	errno_track_store(t, 10, 2);
	ok(errno_track_return(t, 10, stat, &v) && v == 2,
	   "a store inside the call is its errno (%d)", v);
	ok(!errno_track_return(t, 10, stat, &v), "a second return: nothing");

	errno_track_store(t, 10, 5);
	errno_track_entry(t, 10, stat);
	ok(!errno_track_return(t, 10, stat, &v),
	   "a store before the entry is not the call's");

	errno_track_entry(t, 10, stat);
	errno_track_store(t, 11, 13);
	ok(!errno_track_return(t, 10, stat, &v),
	   "another thread's store is not the call's");

	errno_track_entry(t, 10, stat);
	errno_track_store(t, 10, 2);
	errno_track_store(t, 10, 22);
	ok(errno_track_return(t, 10, stat, &v) && v == 22, "the last store wins");

	/* glfs_utimens -> glfs_setattr */
	errno_track_entry(t, 20, utimens);
	errno_track_entry(t, 20, setattr);
	errno_track_store(t, 20, 1);
	ok(errno_track_return(t, 20, setattr, &v) && v == 1,
	   "nested: the inner call's errno");
	ok(errno_track_return(t, 20, utimens, &v) && v == 1,
	   "nested: the outer call sees the inner call's store");

	errno_track_entry(t, 20, utimens);
	errno_track_store(t, 20, 9);
	errno_track_entry(t, 20, setattr);
	ok(!errno_track_return(t, 20, setattr, &v),
	   "nested: the outer call's earlier store is not the inner call's");
	ok(errno_track_return(t, 20, utimens, &v) && v == 9,
	   "nested: ... but still the outer call's");

	/* a lost return (uretprobe limits): the outer return closes both */
	errno_track_entry(t, 30, utimens);
	errno_track_entry(t, 30, setattr);
	errno_track_store(t, 30, 4);
	ok(errno_track_return(t, 30, utimens, &v) && v == 4,
	   "a lost inner return: its store is still the outer call's");
	ok(!errno_track_return(t, 30, setattr, &v), "  and nothing is left open");

	/* a return without its entry (recording began inside the call) */
	ok(!errno_track_return(t, 40, stat, &v), "a return without an entry");

	/* deeper than the kept frames */
	for (int i = 0; i < 40; i++)
		errno_track_entry(t, 50, stat);
	errno_track_store(t, 50, 7);
	int got = 0;
	for (int i = 0; i < 40; i++)
		got += errno_track_return(t, 50, stat, &v);
	ok(got == 0, "stores too deep to keep are not guessed (%d)", got);
	errno_track_entry(t, 50, stat);
	errno_track_store(t, 50, 8);
	ok(errno_track_return(t, 50, stat, &v) && v == 8,
	   "the thread works again once back at depth 0");

	/* many threads: bounded memory, no crash; recent threads work */
	for (int tid = 1; tid < 100000; tid++)
		errno_track_entry(t, tid, stat);
	errno_track_entry(t, 123456, stat);
	errno_track_store(t, 123456, 11);
	ok(errno_track_return(t, 123456, stat, &v) && v == 11,
	   "after 100000 threads with open calls, a new one still works");
	errno_track_free(t);
}

static int dump(const char *path)
{
	char err[512];
	struct elfsym_file *ef = elfsym_open(path, err, sizeof(err));
	if (!ef) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct errno_scan scan;
	if (errno_scan_file(ef, &scan, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		elfsym_close(ef);
		return 1;
	}
	printf("calls=%zu sites=%zu zeroes=%zu reads=%zu undecoded=%zu stubs=",
	       scan.calls, scan.nsites, scan.zeroes, scan.reads, scan.undecoded);
	for (size_t i = 0; i < scan.nstubs; i++)
		printf("%s%llx", i ? "," : "", (unsigned long long)scan.stubs[i]);
	printf("\n");
	for (size_t i = 0; i < scan.nsites; i++) {
		const struct errno_site *s = &scan.sites[i];
		printf("site call=%llx store=%llx offset=0x%llx fetch=%s\n",
		       (unsigned long long)s->call_addr,
		       (unsigned long long)s->addr,
		       (unsigned long long)s->file_offset, s->fetch);
	}
	errno_scan_free(&scan);
	elfsym_close(ef);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--dump"))
		return dump(argv[2]);
	scanner();
	random_bytes();
	tracking();
	return tap_done();
}
