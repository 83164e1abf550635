/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ELF facts the audit commands need, read with libelf from an open file:
 * the program headers (for classifying mappings) and what `mseal check`
 * reports (PIE, RELRO, BIND_NOW, the memory-seal note, ...). Every offset
 * and count is checked against the file size before use, so truncated and
 * corrupt files give an error string, never an out-of-bounds read.
 */
#ifndef MSEAL_ELF_FILE_H
#define MSEAL_ELF_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <gelf.h>

/* Real objects have a dozen program headers; more than this is corrupt. */
#define ELF_FILE_MAX_PHDR 1024

#ifndef PT_GNU_PROPERTY
#define PT_GNU_PROPERTY 0x6474e553
#endif
#ifndef NT_GNU_PROPERTY_TYPE_0
#define NT_GNU_PROPERTY_TYPE_0 5
#endif
/* From the gABI/glibc 2.41 elf.h: the object asks to be sealed. */
#define ELF_GNU_PROPERTY_MEMORY_SEAL 3

/* The machine this CLI runs on, to tell foreign objects apart. */
#if defined(__x86_64__)
#define EM_HOST EM_X86_64
#elif defined(__aarch64__)
#define EM_HOST EM_AARCH64
#elif defined(__i386__)
#define EM_HOST EM_386
#elif defined(__riscv)
#define EM_HOST EM_RISCV
#elif defined(__powerpc64__)
#define EM_HOST EM_PPC64
#elif defined(__s390x__)
#define EM_HOST EM_S390
#elif defined(__loongarch__)
#define EM_HOST EM_LOONGARCH
#else
#define EM_HOST EM_NONE
#endif

enum elf_relro { ELF_RELRO_NONE, ELF_RELRO_PARTIAL, ELF_RELRO_FULL };

struct elf_file {
	int elfclass;		/* ELFCLASS32 or ELFCLASS64 */
	int data;		/* ELFDATA2LSB or ELFDATA2MSB */
	unsigned int type;	/* e_type */
	unsigned int machine;	/* e_machine */
	size_t nphdr;
	GElf_Phdr *phdr;	/* owned; nphdr entries */
	uint64_t file_size;
	int has_interp, has_dynamic, pie, bind_now, textrel;
	int has_soname;		/* DT_SONAME: a library, even if runnable */
	int has_debug;		/* DT_DEBUG: the linker adds it to executables only */
	int relro;		/* enum elf_relro */
	int execstack;		/* 1 yes, 0 no; 1 also when no PT_GNU_STACK */
	int has_gnu_stack;
	int prop_notes;		/* NT_GNU_PROPERTY_TYPE_0 notes seen */
	int seal_note;		/* 0 none, else 1-based note holding the seal */
	unsigned int gaps;	/* holes between consecutive PT_LOADs */
	uint64_t gap_bytes;
};

/*
 * Read @fd (positioned anywhere; read with pread) as an ELF file. With
 * @headers_only only the ELF and program headers are read (enough to
 * classify mappings). 0, or -1 with *@ret_why set to a static English
 * reason ("not an ELF file", "truncated program headers", ...).
 */
int elf_file_read(int fd, int headers_only, struct elf_file *ef,
		  const char **ret_why);

/* Release what elf_file_read() allocated; safe on a zeroed struct. */
void elf_file_clear(struct elf_file *ef);

/* "x86-64", "AArch64", ... or NULL when unknown. */
const char *elf_machine_name(unsigned int machine);

#endif
