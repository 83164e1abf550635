/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A Criterion main for a binary whose cases need something of the machine
 * (huge pages, a fillable map count). When na.h says the group cannot run
 * here, or @prepare fails, it prints an empty TAP plan with the reason and
 * runs nothing, so such cases are listed, never counted or failed.
 */
#ifndef LIBMSEAL_KERNEL_COND_MAIN_H
#define LIBMSEAL_KERNEL_COND_MAIN_H

#include <stddef.h>

#include "na.h"

/* @prepare: 0, or -1 with the reason in @why. @restore undoes it; both
 * may be NULL. Returns the process exit status. */
int k_cond_main(int argc, char **argv, enum k_na_group group,
		int (*prepare)(char *why, size_t size), void (*restore)(void));

#endif
