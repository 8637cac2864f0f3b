/* elfsym.c - function symbol -> file offset with libelf (see elfsym.h). */
#include <errno.h>
#include <fcntl.h>
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

/* Searches one symbol table.  In .dynsym a versioned name has hidden
 * (non-default) versions marked in .gnu.version: those lose to the
 * default.  In .symtab a name may carry "@@VER" or "@VER" itself. */
static int search_table(struct elfsym_file *ef, Elf_Scn *scn, bool dynamic,
			const char *name, struct elfsym *out)
{
	GElf_Shdr sh;
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || !gelf_getshdr(scn, &sh) || !sh.sh_entsize)
		return -1;
	Elf_Data *vdata = dynamic && ef->versym ?
		elf_getdata(ef->versym, NULL) : NULL;
	size_t count = sh.sh_size / sh.sh_entsize;
	size_t namelen = strlen(name);
	int found = 0;	/* 0 none, 1 a hidden version, 2 the default */
	for (size_t i = 0; i < count; i++) {
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
		int rank;
		char ver[64] = "";
		if (s[namelen] == '\0') {
			rank = 2;
			if (vdata) {
				GElf_Versym vs;
				if (gelf_getversym(vdata, (int)i, &vs)) {
					if (vs & 0x8000)
						rank = 1;
					version_name(ef, vs & 0x7fff, ver,
						     sizeof(ver));
				}
			}
		} else if (s[namelen] == '@') {
			bool dflt = s[namelen + 1] == '@';
			rank = dflt ? 2 : 1;
			snprintf(ver, sizeof(ver), "%s", s + namelen + 1 + dflt);
		} else {
			continue;
		}
		if (rank <= found)
			continue;
		found = rank;
		out->value = sym.st_value;
		out->size = sym.st_size;
		snprintf(out->version, sizeof(out->version), "%s", ver);
		out->from_symtab = !dynamic;
	}
	return found ? 0 : -1;
}

int elfsym_find(struct elfsym_file *ef, const char *name, struct elfsym *out,
		char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	int rc = -1;
	if (ef->dynsym)
		rc = search_table(ef, ef->dynsym, true, name, out);
	if (rc && ef->symtab)
		rc = search_table(ef, ef->symtab, false, name, out);
	if (rc) {
		snprintf(err, errlen, "%s: no function symbol '%s'%s", ef->path,
			 name, ef->symtab ? "" : " (stripped: only exported "
			 "symbols can be probed)");
		return -1;
	}
	int64_t off = elfsym_addr_to_offset(ef, out->value);
	if (off < 0) {
		snprintf(err, errlen, "%s: symbol '%s' at 0x%llx is in no "
			 "loadable segment", ef->path, name,
			 (unsigned long long)out->value);
		return -1;
	}
	out->file_offset = (uint64_t)off;
	return 0;
}
