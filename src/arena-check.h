/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pre-check of mseal_protect_after_init(); never installed. */
#ifndef LIBMSEAL_ARENA_CHECK_H
#define LIBMSEAL_ARENA_CHECK_H

#include <stdint.h>

/* libmseal_check_range() result: every page is already read-only and
 * sealed, so there is nothing to do. */
#define LIBMSEAL_RANGE_DONE 1

/*
 * Check [start, end) against /proc/self/smaps before anything changes:
 * 0 go ahead, LIBMSEAL_RANGE_DONE, -ENOMEM (a page is not mapped),
 * -EINVAL (a mapping we refuse), -EPERM (sealed but not read-only), or
 * -errno from reading the file.
 */
int libmseal_check_range(uintptr_t start, uintptr_t end);

#endif
