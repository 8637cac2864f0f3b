/* elfsym.c - function symbol -> file offset with libelf (see elfsym.h). */
#include <errno.h>
#include <fcntl.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfsym.h"

struct elfsym_file {
	int fd;
	Elf *elf;
	char path[4096];
	Elf_Scn *dynsym, *symtab, *versym, *verdef;
	bool has_dwarf;
	Dwarf *dw;		/* opened on first use */
	bool dw_failed;
};

struct elfsym_file *elfsym_open(const char *path, char *err, size_t errlen)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		return NULL;
	}
	struct elfsym_file *ef = calloc(1, sizeof(*ef));
	if (!ef) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(ef->path, sizeof(ef->path), "%s", path);
	ef->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(ef);
		return NULL;
	}
	ef->elf = elf_begin(ef->fd, ELF_C_READ, NULL);
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF) {
		snprintf(err, errlen, "%s: not an ELF file", path);
		elfsym_close(ef);
		return NULL;
	}
	size_t shstrndx;
	if (elf_getshdrstrndx(ef->elf, &shstrndx) != 0) {
		snprintf(err, errlen, "%s: %s", path, elf_errmsg(-1));
		elfsym_close(ef);
		return NULL;
	}
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(ef->elf, scn));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		const char *name = elf_strptr(ef->elf, shstrndx, sh.sh_name);
		switch (sh.sh_type) {
		case SHT_DYNSYM: ef->dynsym = scn; break;
		case SHT_SYMTAB: ef->symtab = scn; break;
		case SHT_GNU_versym: ef->versym = scn; break;
		case SHT_GNU_verdef: ef->verdef = scn; break;
		default: break;
		}
		if (name && !strcmp(name, ".debug_info"))
			ef->has_dwarf = true;
	}
	return ef;
}

void elfsym_close(struct elfsym_file *ef)
{
	if (!ef)
		return;
	if (ef->dw)
		dwarf_end(ef->dw);
	if (ef->elf)
		elf_end(ef->elf);
	if (ef->fd >= 0)
		close(ef->fd);
	free(ef);
}

bool elfsym_has_dwarf(const struct elfsym_file *ef)
{
	return ef->has_dwarf;
}

int64_t elfsym_addr_to_offset(const struct elfsym_file *ef, uint64_t addr)
{
	size_t n;
	if (elf_getphdrnum(ef->elf, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(ef->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr - ph.p_vaddr < ph.p_filesz)
			return (int64_t)(addr - ph.p_vaddr + ph.p_offset);
	}
	return -1;
}

/* The name of version index ndx from .gnu.version_d, or "". */
static void version_name(struct elfsym_file *ef, unsigned ndx, char *out,
			 size_t outlen)
{
	out[0] = '\0';
	if (!ef->verdef)
		return;
	GElf_Shdr sh;
	Elf_Data *data = elf_getdata(ef->verdef, NULL);
	if (!data || !gelf_getshdr(ef->verdef, &sh))
		return;
	size_t off = 0;
	for (unsigned i = 0; i < sh.sh_info; i++) {
		GElf_Verdef vd;
		if (!gelf_getverdef(data, (int)off, &vd))
			return;
		if (vd.vd_ndx == ndx && vd.vd_cnt > 0) {
			GElf_Verdaux va;
			if (gelf_getverdaux(data, (int)(off + vd.vd_aux), &va)) {
				const char *s = elf_strptr(ef->elf, sh.sh_link,
							   va.vda_name);
				if (s)
					snprintf(out, outlen, "%s", s);
			}
			return;
		}
		if (!vd.vd_next)
			return;
		off += vd.vd_next;
	}
}

/* Searches one symbol table for every version of NAME.  In .dynsym the
 * hidden (non-default) versions are marked in .gnu.version; in .symtab a
 * name may carry "@@VER" (default) or "@VER" itself.  The default version
 * is put first; versions at an address already seen are dropped. */
static size_t search_table(struct elfsym_file *ef, Elf_Scn *scn, bool dynamic,
			   const char *name, struct elfsym *out, size_t max)
{
	GElf_Shdr sh;
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || !gelf_getshdr(scn, &sh) || !sh.sh_entsize)
		return 0;
	Elf_Data *vdata = dynamic && ef->versym ?
		elf_getdata(ef->versym, NULL) : NULL;
	size_t count = sh.sh_size / sh.sh_entsize;
	size_t namelen = strlen(name);
	size_t n = 0;
	for (size_t i = 0; i < count && n < max; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			break;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC &&
		    GELF_ST_TYPE(sym.st_info) != STT_GNU_IFUNC)
			continue;
		if (sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		const char *s = elf_strptr(ef->elf, sh.sh_link, sym.st_name);
		if (!s || strncmp(s, name, namelen))
			continue;
		bool dflt;
		char ver[64] = "";
		if (s[namelen] == '\0') {
			dflt = true;
			if (vdata) {
				GElf_Versym vs;
				if (gelf_getversym(vdata, (int)i, &vs)) {
					dflt = !(vs & 0x8000);
					version_name(ef, vs & 0x7fff, ver,
						     sizeof(ver));
				}
			}
		} else if (s[namelen] == '@') {
			dflt = s[namelen + 1] == '@';
			snprintf(ver, sizeof(ver), "%s", s + namelen + 1 + dflt);
		} else {
			continue;
		}
		bool seen = false;
		for (size_t j = 0; j < n; j++)
			seen |= out[j].value == sym.st_value;
		if (seen)
			continue;
		struct elfsym e = { sym.st_value, sym.st_size, 0, "", !dynamic };
		snprintf(e.version, sizeof(e.version), "%s", ver);
		if (dflt && n) {
			out[n++] = out[0];
			out[0] = e;
		} else {
			out[n++] = e;
		}
	}
	return n;
}

size_t elfsym_find_all(struct elfsym_file *ef, const char *name,
		       struct elfsym *out, size_t max, char *err,
		       size_t errlen)
{
	size_t n = 0;
	if (ef->dynsym)
		n = search_table(ef, ef->dynsym, true, name, out, max);
	if (!n && ef->symtab)
		n = search_table(ef, ef->symtab, false, name, out, max);
	if (!n) {
		snprintf(err, errlen, "%s: no function symbol '%s'%s", ef->path,
			 name, ef->symtab ? "" : " (stripped: only exported "
			 "symbols can be probed)");
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t off = elfsym_addr_to_offset(ef, out[i].value);
		if (off < 0) {
			snprintf(err, errlen, "%s: symbol '%s' at 0x%llx is in "
				 "no loadable segment", ef->path, name,
				 (unsigned long long)out[i].value);
			return 0;
		}
		out[i].file_offset = (uint64_t)off;
	}
	return n;
}

int elfsym_find(struct elfsym_file *ef, const char *name, struct elfsym *out,
		char *err, size_t errlen)
{
	struct elfsym all[8];
	if (!elfsym_find_all(ef, name, all, 8, err, errlen))
		return -1;
	*out = all[0];
	return 0;
}

/* DWARF register numbers of x86-64 (the psABI's table) as tracefs names. */
static const char *const dwarf_regs[] = {
	"%ax", "%dx", "%cx", "%bx", "%si", "%di", "%bp", "%sp",
	"%r8", "%r9", "%r10", "%r11", "%r12", "%r13", "%r14", "%r15",
};

struct func_search {
	uint64_t addr;
	Dwarf_Die found;
	bool ok;
};

static int match_func(Dwarf_Die *die, void *arg)
{
	struct func_search *fs = arg;
	Dwarf_Addr pc;
	if (dwarf_entrypc(die, &pc) == 0 && pc == fs->addr) {
		fs->found = *die;
		fs->ok = true;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

int elfsym_dwarf_param(struct elfsym_file *ef, uint64_t func_addr,
		       const char *param, char *reg, size_t reglen,
		       char *subprogram, size_t sublen)
{
	if (!ef->has_dwarf || ef->dw_failed)
		return -1;
	if (!ef->dw) {
		ef->dw = dwarf_begin_elf(ef->elf, DWARF_C_READ, NULL);
		if (!ef->dw) {
			ef->dw_failed = true;
			return -1;
		}
	}
	struct func_search fs = { .addr = func_addr };
	Dwarf_Off off = 0, next;
	size_t hsize;
	while (!fs.ok && dwarf_nextcu(ef->dw, off, &next, &hsize, NULL, NULL,
				      NULL) == 0) {
		Dwarf_Die cu;
		if (dwarf_offdie(ef->dw, off + hsize, &cu))
			dwarf_getfuncs(&cu, match_func, &fs, 0);
		off = next;
	}
	if (!fs.ok)
		return -1;
	const char *fname = dwarf_diename(&fs.found);
	snprintf(subprogram, sublen, "%s", fname ? fname : "?");
	Dwarf_Die child;
	if (dwarf_child(&fs.found, &child) != 0)
		return -1;
	do {
		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		const char *name = dwarf_diename(&child);
		if (!name || strcmp(name, param))
			continue;
		Dwarf_Attribute attr;
		if (!dwarf_attr(&child, DW_AT_location, &attr))
			return 1;
		Dwarf_Op *expr;
		size_t len;
		if (dwarf_getlocation_addr(&attr, func_addr, &expr, &len, 1) != 1 ||
		    len != 1)
			return 1;
		unsigned regno;
		if (expr[0].atom >= DW_OP_reg0 && expr[0].atom <= DW_OP_reg31)
			regno = expr[0].atom - DW_OP_reg0;
		else if (expr[0].atom == DW_OP_regx)
			regno = (unsigned)expr[0].number;
		else
			return 1;	/* a stack slot or a computed value */
		if (regno >= sizeof(dwarf_regs) / sizeof(dwarf_regs[0]))
			return 1;
		snprintf(reg, reglen, "%s", dwarf_regs[regno]);
		return 0;
	} while (dwarf_siblingof(&child, &child) == 0);
	return -1;
}

size_t elfsym_sections(struct elfsym_file *ef, struct elfsym_section *out,
		       size_t max)
{
	size_t shstrndx, n = 0;
	if (elf_getshdrstrndx(ef->elf, &shstrndx) != 0)
		return 0;
	for (Elf_Scn *scn = NULL; n < max && (scn = elf_nextscn(ef->elf, scn));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		Elf_Data *data = elf_rawdata(scn, NULL);
		const char *name = elf_strptr(ef->elf, shstrndx, sh.sh_name);
		if (!data || !data->d_buf || !name)
			continue;
		out[n++] = (struct elfsym_section){
			name, sh.sh_addr, data->d_buf, data->d_size,
			(sh.sh_flags & SHF_EXECINSTR) != 0 };
	}
	return n;
}

size_t elfsym_import_slots(struct elfsym_file *ef, const char *name,
			   uint64_t *slots, size_t max)
{
	size_t n = 0;
	if (!ef->dynsym)
		return 0;
	GElf_Shdr dsh;
	Elf_Data *dsyms = elf_getdata(ef->dynsym, NULL);
	if (!dsyms || !gelf_getshdr(ef->dynsym, &dsh) || !dsh.sh_entsize)
		return 0;
	size_t nsyms = dsh.sh_size / dsh.sh_entsize;
	for (Elf_Scn *scn = NULL; n < max && (scn = elf_nextscn(ef->elf, scn));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA ||
		    elf_getscn(ef->elf, sh.sh_link) != ef->dynsym ||
		    !sh.sh_entsize)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		size_t count = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < count && n < max; i++) {
			GElf_Rela rela;
			if (!gelf_getrela(data, (int)i, &rela))
				break;
			unsigned type = GELF_R_TYPE(rela.r_info);
			size_t symi = GELF_R_SYM(rela.r_info);
			if ((type != R_X86_64_JUMP_SLOT &&
			     type != R_X86_64_GLOB_DAT) || !symi || symi >= nsyms)
				continue;
			GElf_Sym sym;
			if (!gelf_getsym(dsyms, (int)symi, &sym))
				continue;
			const char *s = elf_strptr(ef->elf, dsh.sh_link,
						   sym.st_name);
			if (s && !strcmp(s, name))
				slots[n++] = rela.r_offset;
		}
	}
	return n;
}
