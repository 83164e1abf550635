// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Test-only preload module: seals, through the emulation, the
 * non-writable PT_LOAD segments of every object loaded at start-up (the
 * ranges mseal_image() seals), in one commit, so that real programs can be
 * run under the emulation independently of the image code. Needs
 * LIBMSEAL_FORCE_UNSUPPORTED=1 on a kernel with mseal. Exits 125 when the
 * emulation cannot be set up, so a test cannot mistake "nothing sealed"
 * for "works".
 */
#include <link.h>
#include <sys/auxv.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "libmseal.h"

static int seal_object(struct dl_phdr_info *info, size_t size, void *data)
{
	size_t page = mseal_page_size();
	int *failed = data;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start, end;

		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) ||
		    ph->p_memsz == 0)
			continue;
		start = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) &
		      ~(page - 1);
		/* [vdso] is not sealed (field report R01) */
		if (info->dlpi_addr == (uintptr_t)getauxval(AT_SYSINFO_EHDR))
			continue;
		if (mseal_range((void *)start, end - start, 0) != 0)
			*failed = 1;
	}
	return 0;
}

__attribute__((constructor)) static void seal_at_start(void)
{
	int failed = 0;

	if (mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP) != 0)
		_exit(125);
	dl_iterate_phdr(seal_object, &failed);
	if (failed || mseal_fallback_commit() <= 0)
		_exit(125);
	/* descendants inherit the filter; they need not seal again */
	unsetenv("LD_PRELOAD");
}
