/* elfsym.h - where to put a uprobe: a function symbol's file offset.
 *
 * The kernel's uprobe tracer takes PATH:OFFSET, the offset in the file, not
 * the symbol's address: offset = st_value - p_vaddr + p_offset of the
 * PT_LOAD segment that holds the symbol.  Exported symbols of libgfapi are
 * versioned (glfs_pwrite@@GFAPI_6.0 is the default a new program links to,
 * glfs_pwrite@GFAPI_3.4.0 the old one): we pick the default version.
 */
#ifndef TAPLINE_ELFSYM_H
#define TAPLINE_ELFSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elfsym_file;

struct elfsym {
	uint64_t value;		/* st_value: the address in the file's layout */
	uint64_t size;		/* st_size */
	uint64_t file_offset;	/* where the uprobe goes */
	char version[64];	/* "GFAPI_6.0", or "" when unversioned */
	bool from_symtab;	/* found in .symtab (not exported) */
};

/* Opens an ELF file; NULL with a message in err when it cannot be read or
 * is not ELF. */
struct elfsym_file *elfsym_open(const char *path, char *err, size_t errlen);
void elfsym_close(struct elfsym_file *ef);

/* Finds a function symbol by its plain name (no @version): first the
 * default version in .dynsym, then .symtab.  Returns 0, or -1 with a
 * message in err. */
int elfsym_find(struct elfsym_file *ef, const char *name, struct elfsym *out,
		char *err, size_t errlen);

/* Every version of a function symbol at a distinct address (the default
 * first), at most max; returns how many, 0 with a message in err. */
size_t elfsym_find_all(struct elfsym_file *ef, const char *name,
		       struct elfsym *out, size_t max, char *err,
		       size_t errlen);

/* True when the file carries DWARF (.debug_info). */
bool elfsym_has_dwarf(const struct elfsym_file *ef);

/* Where parameter PARAM of the function at address FUNC_ADDR is on entry,
 * from DWARF: a tracefs register name ("%di", "%r8"...) in reg.  Returns
 * 0; 1 when the DWARF has the function but says no register for it there
 * (e.g. a stack slot); -1 when there is no DWARF for the function or no
 * such parameter.  subprogram gets the function's DWARF name. */
int elfsym_dwarf_param(struct elfsym_file *ef, uint64_t func_addr,
		       const char *param, char *reg, size_t reglen,
		       char *subprogram, size_t sublen);

/* Converts an address in the file's layout to a file offset; -1 when no
 * PT_LOAD maps it. */
int64_t elfsym_addr_to_offset(const struct elfsym_file *ef, uint64_t addr);

/* One section's bytes as the file holds them (SHT_NOBITS: none). */
struct elfsym_section {
	const char *name;
	uint64_t addr;		/* sh_addr */
	const uint8_t *bytes;	/* valid until elfsym_close */
	size_t size;
	bool exec;		/* SHF_EXECINSTR */
};

/* The file's sections with bytes, at most max; returns how many. */
size_t elfsym_sections(struct elfsym_file *ef, struct elfsym_section *out,
		       size_t max);

/* The GOT slots through which the file reaches the imported function
 * NAME: its R_X86_64_JUMP_SLOT (PLT) and R_X86_64_GLOB_DAT (-fno-plt,
 * .plt.got) relocations.  Returns how many, at most max. */
size_t elfsym_import_slots(struct elfsym_file *ef, const char *name,
			   uint64_t *slots, size_t max);

#endif
