/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which part of an ELF object each mapping holds: text, rodata, RELRO,
 * data or bss, from the object's program headers (read with libelf through
 * <proc-root>/PID/map_files/START-END or <proc-root>/PID/root/PATH and
 * cached by device and inode). Where no ELF can be read, r-x counts as
 * text and r-- as "ro" (read-only, not classified).
 */
#ifndef MSEAL_ELF_CLASS_H
#define MSEAL_ELF_CLASS_H

#include <stdint.h>
#include <sys/types.h>

#include "libmseal.h"

enum obj_class {
	CLS_TEXT,	/* PT_LOAD with PF_X */
	CLS_RODATA,	/* PT_LOAD readable only, outside RELRO */
	CLS_RELRO,	/* PT_GNU_RELRO, page-truncated as ld.so protects it */
	CLS_DATA,	/* writable PT_LOAD, file-backed part */
	CLS_BSS,	/* writable PT_LOAD beyond p_filesz */
	CLS_RO,		/* read-only mapping of an object we could not read */
	CLS_OTHER,	/* gap fillers, non-ELF files, anything else */
	CLS_NONE,	/* not part of any object: heap, stack, anon, [vdso] */
	CLS_N
};

/* "text", "rodata", "relro", "data", "bss", "ro", "other", "none". */
const char *obj_class_name(int cls);

/* Cache of program-header layouts by device and inode, shared by every
 * process a command reads. */
struct elf_cache;
struct elf_cache *elf_cache_new(void);
struct elf_cache *elf_cache_free(struct elf_cache *cache);

/* Walks one process's mappings in address order. */
struct classifier;

/* @pid 0 is "self"; @proc_root NULL is "/proc". NULL on ENOMEM. */
struct classifier *classifier_new(struct elf_cache *cache,
				  const char *proc_root, pid_t pid);
struct classifier *classifier_free(struct classifier *cl);

/*
 * Add the bytes of @r to @bytes[] by class (the sum is the mapping's
 * size). Call for every mapping, in address order: an anonymous mapping
 * right after an object's file mappings is its bss.
 */
void classify_region(struct classifier *cl, const struct mseal_region *r,
		     uint64_t bytes[CLS_N]);

/* The class holding most of @bytes, for a one-word column. */
int obj_class_main(const uint64_t bytes[CLS_N]);

#endif
