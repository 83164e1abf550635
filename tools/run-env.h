/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `mseal run`: where the shim is, and the environment that carries the
 * policy to it (the LIBMSEAL_* variables, a stable interface). */
#ifndef MSEAL_RUN_ENV_H
#define MSEAL_RUN_ENV_H

#include <stddef.h>

/* The shim's absolute path into @buf: $LIBMSEAL_PRELOAD, else
 * ../preload/libmseal-preload.so next to this `mseal` (a build tree),
 * else the installed path. 0, or -ENOENT when none exists. */
int run_find_shim(char *buf, size_t size);

/* Add @shim to LD_PRELOAD (after the entries there; once). 0 or -errno. */
int run_add_preload(const char *shim);

#endif
