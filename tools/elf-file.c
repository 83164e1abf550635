// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Read the ELF facts of one file with libelf. libelf already refuses
 * section headers and section data that lie outside the file; program
 * headers, the dynamic segment and note payloads are checked here, because
 * elf_getphdrnum() silently clamps a count that runs past the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf-file.h"

static int in_file(uint64_t off, uint64_t size, uint64_t file_size)
{
	return off <= file_size && size <= file_size - off;
}

static uint32_t rd32(const unsigned char *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swap ? __builtin_bswap32(v) : v;
}

/* Does one NT_GNU_PROPERTY_TYPE_0 descriptor hold MEMORY_SEAL? */
static int props_have_seal(const unsigned char *p, size_t size, int elfclass,
			   int swap)
{
	size_t align = elfclass == ELFCLASS64 ? 8 : 4, pos = 0;

	while (size - pos >= 8) {
		uint32_t type = rd32(p + pos, swap);
		uint32_t datasz = rd32(p + pos + 4, swap);
		size_t step;

		pos += 8;
		if (datasz > size - pos)
			return 0; /* a property runs past its note */
		if (type == ELF_GNU_PROPERTY_MEMORY_SEAL)
			return 1;
		step = ((size_t)datasz + align - 1) & ~(align - 1);
		if (step > size - pos)
			return 0;
		pos += step;
	}
	return 0;
}

static int scan_notes(Elf_Data *d, struct elf_file *ef)
{
	int swap = ef->data != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
				ELFDATA2LSB : ELFDATA2MSB);
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	if (!d || !d->d_buf)
		return -1;
	/* gelf_getnote() checks that name and descriptor fit in @d. */
	while (off < d->d_size) {
		next = gelf_getnote(d, off, &nh, &name_off, &desc_off);
		if (!next)
			return -1; /* a note runs past its section */

		const char *name = (const char *)d->d_buf + name_off;

		if (nh.n_type == NT_GNU_PROPERTY_TYPE_0 && nh.n_namesz == 4 &&
		    memcmp(name, "GNU", 4) == 0) {
			ef->prop_notes++;
			if (!ef->seal_note &&
			    props_have_seal((const unsigned char *)d->d_buf +
						    desc_off,
					    nh.n_descsz, ef->elfclass, swap))
				ef->seal_note = ef->prop_notes;
		}
		off = next;
	}
	return 0;
}

/* Every .note.gnu.property section, or the PT_GNU_PROPERTY segment when
 * the file has no section headers (as the loader sees it). */
static int read_notes(Elf *elf, struct elf_file *ef, const char **ret_why)
{
	size_t shstrndx, nsec = 0;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx) == 0) {
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;

			if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
				continue;
			name = elf_strptr(elf, shstrndx, sh.sh_name);
			if (!name || strcmp(name, ".note.gnu.property") != 0)
				continue;
			nsec++;
			if (!in_file(sh.sh_offset, sh.sh_size, ef->file_size)) {
				*ret_why = "a note section lies past the end of the file";
				return -1;
			}
			if (scan_notes(elf_getdata(scn, NULL), ef) < 0) {
				*ret_why = "corrupt .note.gnu.property note";
				return -1;
			}
		}
	}
	if (nsec)
		return 0;
	for (size_t i = 0; i < ef->nphdr; i++) {
		const GElf_Phdr *ph = &ef->phdr[i];

		if (ph->p_type != PT_GNU_PROPERTY)
			continue;
		if (!ph->p_filesz)
			continue;
		if (scan_notes(elf_getdata_rawchunk(elf, (int64_t)ph->p_offset,
						    ph->p_filesz,
						    ph->p_align == 8 ? ELF_T_NHDR8 :
								       ELF_T_NHDR),
			       ef) < 0) {
			*ret_why = "corrupt PT_GNU_PROPERTY segment";
			return -1;
		}
	}
	return 0;
}

static int read_dynamic(Elf *elf, const GElf_Phdr *ph, struct elf_file *ef,
			const char **ret_why)
{
	size_t entsize = gelf_fsize(elf, ELF_T_DYN, 1, EV_CURRENT);
	Elf_Data *d;

	if (!entsize || ph->p_filesz == 0)
		return 0;
	d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz,
				 ELF_T_DYN);
	if (!d) {
		*ret_why = "unreadable dynamic segment (bad offset or size)";
		return -1;
	}
	for (size_t i = 0; i < ph->p_filesz / entsize; i++) {
		GElf_Dyn dyn;

		if (!gelf_getdyn(d, (int)i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag == DT_BIND_NOW)
			ef->bind_now = 1;
		else if (dyn.d_tag == DT_SONAME)
			ef->has_soname = 1;
		else if (dyn.d_tag == DT_DEBUG)
			ef->has_debug = 1;
		else if (dyn.d_tag == DT_TEXTREL)
			ef->textrel = 1;
		else if (dyn.d_tag == DT_FLAGS) {
			if (dyn.d_un.d_val & DF_BIND_NOW)
				ef->bind_now = 1;
			if (dyn.d_un.d_val & DF_TEXTREL)
				ef->textrel = 1;
		} else if (dyn.d_tag == DT_FLAGS_1) {
			if (dyn.d_un.d_val & DF_1_NOW)
				ef->bind_now = 1;
			if (dyn.d_un.d_val & DF_1_PIE)
				ef->pie = 1;
		}
	}
	return 0;
}

static void count_gaps(struct elf_file *ef)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), prev_end = 0;
	int seen = 0;

	for (size_t i = 0; i < ef->nphdr; i++) {
		const GElf_Phdr *ph = &ef->phdr[i];
		uint64_t start, end;

		if (ph->p_type != PT_LOAD)
			continue;
		start = ph->p_vaddr & ~(page - 1);
		end = (ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
		if (seen && start > prev_end) {
			ef->gaps++;
			ef->gap_bytes += start - prev_end;
		}
		if (end > prev_end)
			prev_end = end;
		seen = 1;
	}
}

static int read_phdrs(Elf *elf, const GElf_Ehdr *eh, struct elf_file *ef,
		      const char **ret_why)
{
	size_t n, want;

	/* elf_getphdrnum() clamps a count that runs past the end of the
	 * file; take e_phnum itself unless it is PN_XNUM. */
	n = eh->e_phnum;
	if (n == PN_XNUM && elf_getphdrnum(elf, &n) != 0) {
		*ret_why = "corrupt: unreadable program header count";
		return -1;
	}
	if (n > ELF_FILE_MAX_PHDR) {
		*ret_why = "corrupt: implausibly many program headers";
		return -1;
	}
	want = gelf_fsize(elf, ELF_T_PHDR, 1, EV_CURRENT);
	if (n && eh->e_phentsize != want) {
		*ret_why = "corrupt: wrong program header size";
		return -1;
	}
	if (n && !in_file(eh->e_phoff, (uint64_t)n * want, ef->file_size)) {
		*ret_why = "truncated: program headers run past the end of the file";
		return -1;
	}
	ef->phdr = calloc(n ? n : 1, sizeof(*ef->phdr));
	if (!ef->phdr) {
		*ret_why = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, (int)i, &ef->phdr[i])) {
			*ret_why = "unreadable program header";
			return -1;
		}
		if (ef->phdr[i].p_type == PT_LOAD &&
		    !in_file(ef->phdr[i].p_offset, ef->phdr[i].p_filesz,
			     ef->file_size)) {
			*ret_why = "truncated: a PT_LOAD segment runs past the end of the file";
			return -1;
		}
	}
	ef->nphdr = n;
	return 0;
}

static void scan_phdrs(struct elf_file *ef)
{
	ef->execstack = 1; /* the loader's default without PT_GNU_STACK */
	for (size_t i = 0; i < ef->nphdr; i++) {
		const GElf_Phdr *ph = &ef->phdr[i];

		if (ph->p_type == PT_INTERP)
			ef->has_interp = 1;
		else if (ph->p_type == PT_DYNAMIC)
			ef->has_dynamic = 1;
		else if (ph->p_type == PT_GNU_RELRO)
			ef->relro = ELF_RELRO_PARTIAL;
		else if (ph->p_type == PT_GNU_STACK) {
			ef->has_gnu_stack = 1;
			ef->execstack = !!(ph->p_flags & PF_X);
		}
	}
}

static int check_shdrs(Elf *elf, const GElf_Ehdr *eh, struct elf_file *ef,
		       const char **ret_why)
{
	size_t n = eh->e_shnum;

	if (!eh->e_shoff)
		return 0;
	/* e_shnum 0 means the count is in section 0's sh_size */
	if (n == 0 && elf_getshdrnum(elf, &n) != 0) {
		*ret_why = "corrupt: unreadable section header count";
		return -1;
	}
	if (n && eh->e_shentsize != gelf_fsize(elf, ELF_T_SHDR, 1, EV_CURRENT)) {
		*ret_why = "corrupt: wrong section header size";
		return -1;
	}
	if (n > (ef->file_size / 64) + 1 ||
	    !in_file(eh->e_shoff, (uint64_t)n * eh->e_shentsize, ef->file_size)) {
		*ret_why = "truncated or corrupt: section headers run past the end of the file";
		return -1;
	}
	return 0;
}

static int read_details(Elf *elf, const GElf_Ehdr *eh, struct elf_file *ef,
			const char **ret_why)
{
	if (check_shdrs(elf, eh, ef, ret_why) < 0)
		return -1;
	for (size_t i = 0; i < ef->nphdr; i++)
		if (ef->phdr[i].p_type == PT_DYNAMIC &&
		    read_dynamic(elf, &ef->phdr[i], ef, ret_why) < 0)
			return -1;
	/* Linkers before DF_1_PIE marked a PIE only by PT_INTERP and the
	 * DT_DEBUG slot they give executables alone; a library that is also
	 * runnable (libc.so.6, some PAM modules) has PT_INTERP but no
	 * DT_DEBUG, and often a DT_SONAME. */
	if (ef->type == ET_DYN && ef->has_interp && ef->has_debug &&
	    !ef->has_soname)
		ef->pie = 1;
	if (ef->relro && ef->bind_now)
		ef->relro = ELF_RELRO_FULL;
	count_gaps(ef);
	return read_notes(elf, ef, ret_why);
}

int elf_file_read(int fd, int headers_only, struct elf_file *ef,
		  const char **ret_why)
{
	struct stat st;
	GElf_Ehdr eh;
	Elf *elf;
	int rc = -1;

	memset(ef, 0, sizeof(*ef));
	if (elf_version(EV_CURRENT) == EV_NONE) {
		*ret_why = "libelf is out of date";
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*ret_why = "not a regular file";
		return -1;
	}
	ef->file_size = (uint64_t)st.st_size;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf) {
		*ret_why = elf_errmsg(-1);
		return -1;
	}
	if (elf_kind(elf) != ELF_K_ELF) {
		*ret_why = "not an ELF file";
		goto out;
	}
	if (!gelf_getehdr(elf, &eh)) {
		*ret_why = "truncated or corrupt ELF header";
		goto out;
	}
	ef->elfclass = gelf_getclass(elf);
	ef->data = eh.e_ident[EI_DATA];
	ef->type = eh.e_type;
	ef->machine = eh.e_machine;
	if (read_phdrs(elf, &eh, ef, ret_why) < 0)
		goto out;
	scan_phdrs(ef);
	if (!headers_only && read_details(elf, &eh, ef, ret_why) < 0)
		goto out;
	rc = 0;
out:
	elf_end(elf);
	if (rc < 0)
		elf_file_clear(ef);
	return rc;
}

void elf_file_clear(struct elf_file *ef)
{
	free(ef->phdr);
	ef->phdr = NULL;
	ef->nphdr = 0;
}

const char *elf_machine_name(unsigned int machine)
{
	switch (machine) {
	case EM_386: return "i386";
	case EM_X86_64: return "x86-64";
	case EM_AARCH64: return "AArch64";
	case EM_ARM: return "ARM";
	case EM_RISCV: return "RISC-V";
	case EM_PPC64: return "PowerPC64";
	case EM_PPC: return "PowerPC";
	case EM_S390: return "S/390";
	case EM_MIPS: return "MIPS";
	case EM_LOONGARCH: return "LoongArch";
	case EM_SPARCV9: return "SPARC V9";
	default: return NULL;
	}
}
