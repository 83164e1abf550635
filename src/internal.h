/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Declarations shared between libmseal's source files; never installed. */
#ifndef LIBMSEAL_INTERNAL_H
#define LIBMSEAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every function the public header declares is exported: the declarations
 * carry default visibility, the rest of the library is hidden
 * (-fvisibility=hidden), and libmseal.sym lists the same names.
 */
#pragma GCC visibility push(default)
#include "libmseal.h"
#pragma GCC visibility pop

/* Symbols every file may use but the library does not export: hidden by
 * default visibility, prefixed libmseal_ so static links cannot collide. */

/* 1 when LIBMSEAL_FORCE_UNSUPPORTED is set and not empty, 0, no, false
 * or off in any case (read once, with secure_getenv). */
int libmseal_forced_unsupported(void);

/* The raw system call, with no FORCE check: 0 or -errno. sys.c only. */
int libmseal_sys_mseal(uintptr_t addr, size_t len, unsigned long flags);

/* 1 when this build knows the ABI's mseal number, else 0. sys.c only. */
int libmseal_sys_has_number(void);

/*
 * Read @fd to its end into a malloc()ed, NUL-terminated buffer of first
 * @cap bytes (@min_cap when @cap cannot be had), doubled as reads fill it.
 * @fd stays open. Return: 0 with *@ret_text and *@ret_len (bytes, without
 * the NUL) set, or -ENOMEM, or -errno of read(2). read-all.c.
 */
int libmseal_read_all(int fd, size_t cap, size_t min_cap, char **ret_text,
		      size_t *ret_len);

#endif
