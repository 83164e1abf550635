/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One process's sealing coverage, as `mseal ps` and its metrics show it. */
#ifndef MSEAL_PS_COLLECT_H
#define MSEAL_PS_COLLECT_H

#include <stdint.h>
#include <sys/types.h>

#include "elf-class.h"

enum vdso_state { VDSO_NONE = -1, VDSO_NO = 0, VDSO_YES = 1, VDSO_PARTLY = 2 };

struct proc_info {
	int pid;
	char comm[64];
	char exe[4096];		/* readlink of PID/exe, "" when unknown */
	unsigned long maps, sealed_maps;
	uint64_t mapped, sealed_bytes;
	uint64_t total[CLS_N], sealed[CLS_N];	/* bytes by class */
	int vdso;		/* enum vdso_state */
	/* /proc/PID/status Seccomp (0 off, 1 strict, 2 filter) and
	 * Seccomp_filters; -1 unknown. Emulated seals (libmseal's seccomp
	 * emulation) set no "sl" flag: the filter is their only sign. */
	int seccomp_mode, seccomp_filters;
};

/*
 * Read process @pid under @proc_root (NULL: /proc) into @pi. 0, or
 * -ESRCH (gone, or exited while read), -EACCES, -EAGAIN (its mappings
 * kept changing while read: the library gave up after 3 re-reads), or
 * another -errno.
 */
int proc_collect(const char *proc_root, int pid, struct elf_cache *cache,
		 struct proc_info *pi);

/* Just the command name of @pid ("?" when unreadable) into @buf. */
void proc_comm(const char *proc_root, int pid, char *buf, size_t len);

/* Image bytes (text, rodata, RELRO and unclassified read-only) sealed and
 * in total. */
uint64_t proc_image_sealed(const struct proc_info *pi);
uint64_t proc_image_total(const struct proc_info *pi);

/*
 * CONFIG_MSEAL_SYSTEM_MAPPINGS as the kernel was built: "y", "n" (not
 * set), or NULL when no config is readable. @source names where it came
 * from. Reads <proc_root>/config.gz, then /boot/config-$(uname -r) when
 * @proc_root is /proc.
 */
const char *kernel_config_mseal_system(const char *proc_root,
				       const char **source);

#endif
