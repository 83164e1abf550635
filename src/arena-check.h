/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The first step of mseal_protect_after_init(); never installed. */
#ifndef LIBMSEAL_ARENA_CHECK_H
#define LIBMSEAL_ARENA_CHECK_H

#include <stdint.h>

/* libmseal_readonly_range() result: every page is already read-only and
 * sealed, so there is nothing to do. */
#define LIBMSEAL_RANGE_DONE 1

/*
 * Make the unsealed parts of [start, end) read-only, judged first against
 * /proc/self/smaps: 0 done (the caller seals next), LIBMSEAL_RANGE_DONE,
 * -ENOMEM (a page is not mapped), -EINVAL (a mapping we refuse), -EPERM
 * (sealed but not read-only), -errno from reading the file, or -errno from
 * mprotect(2) with the earlier runs put back. Nothing changed on error.
 */
int libmseal_readonly_range(uintptr_t start, uintptr_t end);

#endif
