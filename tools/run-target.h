/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `mseal run`: find PROG as execvp(3) would and tell whether the shim can
 * reach it. */
#ifndef MSEAL_RUN_TARGET_H
#define MSEAL_RUN_TARGET_H

#include <stddef.h>

/* Find @prog: itself when it holds a '/', else along $PATH. On success
 * (0) @buf of @size bytes holds the path; else -ENOENT, -EACCES, ... */
int run_find_program(const char *prog, char *buf, size_t size);

/* How many #! interpreters execve(2) follows before ELOOP (the kernel
 * allows 4 binfmt rewrites). */
#define RUN_SCRIPT_DEPTH 4

/*
 * Why the shim cannot reach @path, as one phrase for a warning ("is
 * statically linked"), or NULL when it can. A `#!` script is reachable
 * through its interpreter: @note (@note_size bytes) then gets the
 * interpreter's path as the #! line spells it, else "". 0, or -errno when
 * @path cannot be read.
 */
int run_check_target(const char *path, const char **ret_why,
		     char *note, size_t note_size);

#endif
