/* errno_sites.c - find a library's `errno = x` stores (see errno_sites.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfsym.h"
#include "errno_sites.h"

#define REG_NONE (-1)
#define REG_AX 0

/* How far the scanner follows the code after a call: instructions on
 * one path, and jumps (each conditional one splits the path in two). */
#define FOLLOW_INSNS 12
#define FOLLOW_JUMPS 2

enum { BR_NONE, BR_COND, BR_JMP };

/* What one decoded instruction does, as far as the scanner cares. */
struct insn {
	size_t len;
	int dst_reg;		/* general register written, or REG_NONE */
	bool mem;		/* has a memory operand */
	bool mem_write;		/* ... and writes it */
	bool mem_rax;		/* ... addressed through %rax in any way */
	bool mem_is_rax;	/* ... which is exactly (%rax) */
	bool errno_store;	/* a 32-bit store to exactly (%rax) */
	bool store_imm;
	int32_t imm;
	int src_reg;		/* of a register store */
	int branch;		/* BR_*: a direct jump */
	int32_t rel;		/* its target, from the end of the jump */
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Decodes the ModRM operand at p[*i]: register in reg (with REX.R),
 * r/m register or memory.  False when the bytes run out. */
static bool modrm(const uint8_t *p, size_t len, size_t *i, unsigned rex,
		  int *reg, int *rm_reg, struct insn *in)
{
	if (*i >= len)
		return false;
	unsigned m = p[(*i)++];
	unsigned mod = m >> 6, rm = m & 7;
	*reg = (int)(((m >> 3) & 7) | (rex & 4 ? 8 : 0));
	*rm_reg = REG_NONE;
	if (mod == 3) {
		*rm_reg = (int)(rm | (rex & 1 ? 8 : 0));
		return true;
	}
	in->mem = true;
	size_t disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (rm == 4) {
		if (*i >= len)
			return false;
		unsigned sib = p[(*i)++];
		unsigned base = sib & 7;
		unsigned index = ((sib >> 3) & 7) | (rex & 2 ? 8 : 0);
		bool has_base = !(mod == 0 && base == 5);
		if (!has_base)
			disp = 4;
		if (index == REG_AX ||
		    (has_base && (base | (rex & 1 ? 8 : 0)) == REG_AX))
			in->mem_rax = true;
	} else if (mod == 0 && rm == 5) {
		disp = 4;	/* %rip-relative */
	} else if ((rm | (rex & 1 ? 8 : 0)) == REG_AX) {
		in->mem_rax = true;
		in->mem_is_rax = mod == 0;
	}
	if (len - *i < disp)
		return false;
	*i += disp;
	return true;
}

/* Without REX, byte registers 4-7 are %ah %ch %dh %bh: %ah is in %rax. */
static int byte_reg(int reg, unsigned rex)
{
	return !rex && reg == 4 ? REG_AX : reg;
}

/* Decodes the instructions the scanner follows; 0 for anything else. */
static size_t decode(const uint8_t *p, size_t len, struct insn *in)
{
	memset(in, 0, sizeof(*in));
	in->dst_reg = REG_NONE;
	in->src_reg = REG_NONE;
	size_t i = 0;
	bool o16 = false, rep = false;
	while (i < len && i < 4 && (p[i] == 0x66 || p[i] == 0xf2 ||
				    p[i] == 0xf3)) {
		o16 |= p[i] == 0x66;
		rep |= p[i] != 0x66;
		i++;
	}
	unsigned rex = 0;
	if (i < len && (p[i] & 0xf0) == 0x40)
		rex = p[i++];
	if (i >= len)
		return 0;
	unsigned op = p[i++];
	bool w = rex & 8;
	size_t imm_full = w ? 4 : o16 ? 2 : 4;	/* imm32 sign-extended */
	int reg, rm;

	if (op == 0x0f) {
		if (i >= len)
			return 0;
		unsigned op2 = p[i++];
		if (op2 >= 0x80 && op2 <= 0x8f && !o16 && !rep) {	/* jcc rel32 */
			if (len - i < 4)
				return 0;
			in->branch = BR_COND;
			in->rel = (int32_t)le32(p + i);
			in->len = i + 4;
			return in->len;
		}
		if (!modrm(p, len, &i, rex, &reg, &rm, in))
			return 0;
		switch (op2) {
		case 0x1f:			/* nop r/m: no access */
			in->mem = in->mem_rax = in->mem_is_rax = false;
			break;
		case 0xb6: case 0xb7: case 0xbe: case 0xbf:	/* movzx, movsx */
		case 0xaf:			/* imul r, r/m */
			in->dst_reg = reg;
			break;
		case 0x10: case 0x28: case 0x6f:	/* xmm loads */
			break;
		case 0x11: case 0x29: case 0x7f:	/* xmm stores */
			in->mem_write = in->mem;
			break;
		default:
			if (op2 >= 0x40 && op2 <= 0x4f) {	/* cmovcc */
				in->dst_reg = reg;
				break;
			}
			if (op2 >= 0x90 && op2 <= 0x9f) {	/* setcc */
				in->dst_reg = byte_reg(rm, rex);
				in->mem_write = in->mem;
				break;
			}
			return 0;
		}
		/* the xmm forms name xmm registers, not general ones */
		if (op2 == 0x10 || op2 == 0x28 || op2 == 0x6f || op2 == 0x11 ||
		    op2 == 0x29 || op2 == 0x7f)
			in->dst_reg = REG_NONE;
		in->len = i;
		return i;
	}
	if (rep)
		return 0;	/* f2/f3 only with the 0f xmm forms */

	switch (op) {
	case 0x70: case 0x71: case 0x72: case 0x73:	/* jcc rel8 */
	case 0x74: case 0x75: case 0x76: case 0x77:
	case 0x78: case 0x79: case 0x7a: case 0x7b:
	case 0x7c: case 0x7d: case 0x7e: case 0x7f:
	case 0xeb:					/* jmp rel8 */
		if (i >= len || o16)
			return 0;
		in->branch = op == 0xeb ? BR_JMP : BR_COND;
		in->rel = (int8_t)p[i++];
		break;
	case 0xe9:					/* jmp rel32 */
		if (len - i < 4 || o16)
			return 0;
		in->branch = BR_JMP;
		in->rel = (int32_t)le32(p + i);
		i += 4;
		break;
	case 0x90:
		if (rex & 1)
			return 0;	/* xchg %r8,%rax */
		break;
	case 0x50: case 0x51: case 0x52: case 0x53:	/* push */
	case 0x54: case 0x55: case 0x56: case 0x57:
		break;
	case 0x58: case 0x59: case 0x5a: case 0x5b:	/* pop */
	case 0x5c: case 0x5d: case 0x5e: case 0x5f:
		in->dst_reg = (int)((op & 7) | (rex & 1 ? 8 : 0));
		break;
	case 0x6a:
		i += 1;
		break;
	case 0x68:
		i += 4;
		break;
	case 0xb8: case 0xb9: case 0xba: case 0xbb:	/* mov $imm, reg */
	case 0xbc: case 0xbd: case 0xbe: case 0xbf:
		in->dst_reg = (int)((op & 7) | (rex & 1 ? 8 : 0));
		i += w ? 8 : o16 ? 2 : 4;
		break;
	/* op r/m, r: writes r/m */
	case 0x01: case 0x09: case 0x21: case 0x29: case 0x31: case 0x89:
		if (!modrm(p, len, &i, rex, &reg, &rm, in))
			return 0;
		in->dst_reg = rm;
		in->mem_write = in->mem;
		if (op == 0x89 && in->mem_is_rax && !w && !o16) {
			in->errno_store = true;
			in->src_reg = reg;
		}
		break;
	case 0x88:
		if (!modrm(p, len, &i, rex, &reg, &rm, in))
			return 0;
		in->dst_reg = rm == REG_NONE ? REG_NONE : byte_reg(rm, rex);
		in->mem_write = in->mem;
		break;
	/* op r, r/m: writes r */
	case 0x03: case 0x0b: case 0x23: case 0x2b: case 0x33: case 0x8b:
	case 0x63:
		if (!modrm(p, len, &i, rex, &reg, &rm, in))
			return 0;
		in->dst_reg = reg;
		break;
	case 0x8a:
		if (!modrm(p, len, &i, rex, &reg, &rm, in))
			return 0;
		in->dst_reg = byte_reg(reg, rex);
		break;
	case 0x8d:				/* lea */
		if (!modrm(p, len, &i, rex, &reg, &rm, in) || !in->mem)
			return 0;
		in->dst_reg = reg;
		in->mem = in->mem_rax = in->mem_is_rax = false;	/* no access */
		break;
	/* compare and test: read only */
	case 0x38: case 0x39: case 0x3a: case 0x3b: case 0x84: case 0x85:
		if (!modrm(p, len, &i, rex, &reg, &rm, in))
			return 0;
		break;
	case 0xc6: case 0xc7:			/* mov $imm, r/m */
		if (!modrm(p, len, &i, rex, &reg, &rm, in) || (reg & 7) != 0)
			return 0;
		in->dst_reg = rm == REG_NONE ? REG_NONE :
			      op == 0xc6 ? byte_reg(rm, rex) : rm;
		in->mem_write = in->mem;
		if (op == 0xc6) {
			i += 1;
		} else {
			if (len - i < imm_full)
				return 0;
			if (in->mem_is_rax && !w && !o16 && p[i - 1] == 0x00) {
				in->errno_store = true;
				in->store_imm = true;
				in->imm = (int32_t)le32(p + i);
			}
			i += imm_full;
		}
		break;
	case 0x80: case 0x81: case 0x83:	/* alu $imm, r/m */
		if (!modrm(p, len, &i, rex, &reg, &rm, in))
			return 0;
		if ((reg & 7) != 7) {		/* all but cmp write */
			in->dst_reg = rm == REG_NONE ? REG_NONE :
				      op == 0x80 ? byte_reg(rm, rex) : rm;
			in->mem_write = in->mem;
		}
		i += op == 0x81 ? imm_full : 1;
		break;
	case 0xc1: case 0xd1:			/* shifts */
		if (!modrm(p, len, &i, rex, &reg, &rm, in) || (reg & 7) == 6)
			return 0;
		in->dst_reg = rm;
		in->mem_write = in->mem;
		i += op == 0xc1 ? 1 : 0;
		break;
	case 0xf6: case 0xf7:			/* test, not, neg */
		if (!modrm(p, len, &i, rex, &reg, &rm, in))
			return 0;
		switch (reg & 7) {
		case 0: case 1:
			i += op == 0xf6 ? 1 : imm_full;
			break;
		case 2: case 3:
			in->dst_reg = rm == REG_NONE ? REG_NONE :
				      op == 0xf6 ? byte_reg(rm, rex) : rm;
			in->mem_write = in->mem;
			break;
		default:
			return 0;	/* mul/div write %rax:%rdx */
		}
		break;
	default:
		return 0;	/* branches, calls and all the rest */
	}
	if (i > len)
		return 0;
	in->len = i;
	return i;
}

size_t errno_insn_length(const uint8_t *p, size_t len)
{
	struct insn in;
	return decode(p, len, &in);
}

/* tracefs names of the general registers, by number */
static const char *const reg_names[16] = {
	"%ax", "%cx", "%dx", "%bx", "%sp", "%bp", "%si", "%di",
	"%r8", "%r9", "%r10", "%r11", "%r12", "%r13", "%r14", "%r15",
};

struct follow {
	const uint8_t *code;
	size_t size;
	uint64_t addr;		/* of code[0] */
	struct errno_site *sites;
	size_t max, n;
	bool read;
};

/* One path from off: to a store (a site), or to what it cannot follow. */
static void follow_path(struct follow *f, size_t off, int insns, int jumps)
{
	for (; insns > 0 && off < f->size; insns--) {
		struct insn in;
		if (!decode(f->code + off, f->size - off, &in))
			return;
		if (in.branch) {
			int64_t to = (int64_t)(off + in.len) + in.rel;
			if (!jumps)
				return;
			if (in.branch == BR_COND)
				follow_path(f, off + in.len, insns - 1, jumps - 1);
			if (to < 0 || (uint64_t)to >= f->size)
				return;	/* out of the section */
			off = (size_t)to;
			jumps--;
			continue;
		}
		if (in.errno_store) {
			if (!in.store_imm && (in.src_reg == REG_AX ||
					      in.src_reg == 4))
				return;	/* the pointer itself, or %rsp */
			uint64_t at = f->addr + off;
			for (size_t k = 0; k < f->n; k++)
				if (f->sites[k].addr == at)
					return;	/* both paths meet there */
			if (f->n == f->max)
				return;
			struct errno_site *site = &f->sites[f->n++];
			memset(site, 0, sizeof(*site));
			site->addr = at;
			site->imm = in.store_imm;
			if (in.store_imm) {
				site->value = in.imm;
				snprintf(site->fetch, sizeof(site->fetch), "\\%d",
					 (int)in.imm);
			} else {
				snprintf(site->fetch, sizeof(site->fetch), "%s",
					 reg_names[in.src_reg]);
			}
			return;
		}
		if (in.mem_rax && (in.mem_write || !in.mem_is_rax))
			return;	/* another write through it, or an offset */
		f->read |= in.mem_is_rax;
		if (in.dst_reg == REG_AX)
			return;	/* the pointer is gone */
		off += in.len;
	}
}

enum errno_call_verdict errno_follow_call(const uint8_t *code, size_t size,
					  uint64_t addr, size_t start,
					  struct errno_site *sites, size_t max,
					  size_t *nsites)
{
	struct follow f = { code, size, addr, sites, max, 0, false };
	follow_path(&f, start, FOLLOW_INSNS, FOLLOW_JUMPS);
	*nsites = f.n;
	return f.n ? ERRNO_CALL_STORE : f.read ? ERRNO_CALL_READ :
		     ERRNO_CALL_UNDECODED;
}

/* The PLT entries that jump through one of the slots: `ff 25 disp32`
 * (jmp *slot(%rip)), maybe after a bnd prefix and an endbr64 (.plt.sec);
 * the entry starts at the first of them. */
static void find_stubs(const struct elfsym_section *sec, const uint64_t *slots,
		       size_t nslots, struct errno_scan *out)
{
	for (size_t i = 0; i + 6 <= sec->size; i++) {
		const uint8_t *b = sec->bytes;
		if (b[i] != 0xff || b[i + 1] != 0x25)
			continue;
		uint64_t target = sec->addr + i + 6 +
				  (uint64_t)(int64_t)(int32_t)le32(b + i + 2);
		bool hit = false;
		for (size_t s = 0; s < nslots; s++)
			hit |= slots[s] == target;
		if (!hit)
			continue;
		size_t start = i;
		if (start >= 1 && b[start - 1] == 0xf2)
			start--;
		if (start >= 4 && !memcmp(b + start - 4, "\xf3\x0f\x1e\xfa", 4))
			start -= 4;
		if (out->nstubs < sizeof(out->stubs) / sizeof(out->stubs[0]))
			out->stubs[out->nstubs++] = sec->addr + start;
	}
}

/* Adds a site unless another call reached the same store first. */
static int add_site(struct elfsym_file *ef, struct errno_scan *out,
		    size_t *cap, struct errno_site *site)
{
	for (size_t k = 0; k < out->nsites; k++)
		if (out->sites[k].addr == site->addr)
			return 0;
	int64_t off = elfsym_addr_to_offset(ef, site->addr);
	if (off < 0)
		return 0;
	site->file_offset = (uint64_t)off;
	if (out->nsites == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct errno_site *ns = realloc(out->sites, ncap * sizeof(*ns));
		if (!ns)
			return -1;
		out->sites = ns;
		*cap = ncap;
	}
	out->sites[out->nsites++] = *site;
	return 0;
}

#define MAX_SECTIONS 128

int errno_scan_file(struct elfsym_file *ef, struct errno_scan *out,
		    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	uint64_t slots[8];
	size_t nslots = elfsym_import_slots(ef, "__errno_location", slots, 8);
	if (!nslots)
		return 0;	/* never sets errno itself */
	struct elfsym_section secs[MAX_SECTIONS];
	size_t nsecs = elfsym_sections(ef, secs, MAX_SECTIONS);
	for (size_t s = 0; s < nsecs; s++)
		if (secs[s].exec && !strncmp(secs[s].name, ".plt", 4))
			find_stubs(&secs[s], slots, nslots, out);
	size_t cap = 0;
	for (size_t s = 0; s < nsecs; s++) {
		const struct elfsym_section *sec = &secs[s];
		if (!sec->exec || !strncmp(sec->name, ".plt", 4))
			continue;
		const uint8_t *b = sec->bytes;
		for (size_t i = 0; i + 5 <= sec->size; i++) {
			uint64_t at = sec->addr + i, target;
			size_t clen;
			if (b[i] == 0xe8) {		/* call rel32 */
				clen = 5;
				target = at + 5 + (uint64_t)(int64_t)
					 (int32_t)le32(b + i + 1);
				bool hit = false;
				for (size_t k = 0; k < out->nstubs; k++)
					hit |= out->stubs[k] == target;
				if (!hit)
					continue;
			} else if (b[i] == 0xff && i + 6 <= sec->size &&
				   b[i + 1] == 0x15) {	/* call *slot(%rip) */
				clen = 6;
				target = at + 6 + (uint64_t)(int64_t)
					 (int32_t)le32(b + i + 2);
				bool hit = false;
				for (size_t k = 0; k < nslots; k++)
					hit |= slots[k] == target;
				if (!hit)
					continue;
			} else {
				continue;
			}
			out->calls++;
			struct errno_site found[ERRNO_MAX_PATHS];
			size_t nfound;
			enum errno_call_verdict v = errno_follow_call(b,
				sec->size, sec->addr, i + clen, found,
				ERRNO_MAX_PATHS, &nfound);
			if (v == ERRNO_CALL_READ)
				out->reads++;
			else if (v == ERRNO_CALL_UNDECODED)
				out->undecoded++;
			for (size_t k = 0; k < nfound; k++) {
				found[k].call_addr = at;
				int r = add_site(ef, out, &cap, &found[k]);
				if (r < 0) {
					snprintf(err, errlen, "out of memory");
					errno_scan_free(out);
					return -1;
				}
			}
		}
	}
	/* errno = 0 is counted, not probed (see errno_sites.h) */
	size_t kept = 0;
	for (size_t k = 0; k < out->nsites; k++) {
		if (out->sites[k].imm && out->sites[k].value == 0)
			out->zeroes++;
		else
			out->sites[kept++] = out->sites[k];
	}
	out->nsites = kept;
	return 0;
}

void errno_scan_free(struct errno_scan *scan)
{
	free(scan->sites);
	scan->sites = NULL;
	scan->nsites = 0;
}
