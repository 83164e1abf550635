/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which conformance cases this machine cannot run, and why. One table
 * shared by the not-applicable list (kernel_na.c) and by the test binaries
 * whose cases depend on the machine (test_hugetlb.c, test_limits.c), so the
 * list printed is the list skipped.
 */
#ifndef LIBMSEAL_KERNEL_NA_H
#define LIBMSEAL_KERNEL_NA_H

#include <stddef.h>

/* Machine-dependent groups of cases. */
enum k_na_group {
	K_NA_PKU,          /* pkey write-disable makes RW memory "read-only" */
	K_NA_ZERO_ADDR,    /* MAP_FIXED at address 0, mremap to 0 */
	K_NA_I386,         /* mseal through the i386 int $0x80 entry */
	K_NA_SYSMAP,       /* kernel-sealed [vdso]/[vvar] (MSEAL_SYSTEM_MAPPINGS) */
	K_NA_HUGETLB,      /* hugetlb EINVAL and partial seal (H1-H3, P1) */
	K_NA_MAP_COUNT,    /* ENOMEM from a split at vm.max_map_count */
	K_NA_32BIT,        /* ENOSYS on a 32-bit kernel */
	K_NA_EINTR,        /* EINTR with a fatal signal pending */
	K_NA_COUNT,
};

/* Name of the group's cases, e.g. "hugetlb: H1 H2 H3 P1". */
const char *k_na_name(enum k_na_group group);

/*
 * 1 when the group cannot run here, with the reason in @why; 0 when it
 * can (or is covered by a test binary that decides at run time).
 */
int k_na_check(enum k_na_group group, char *why, size_t size);

/* Print "# not applicable: NAME: WHY" for every such group; returns how
 * many. @out is a FILE *. */
int k_na_print(void *out);

#endif
