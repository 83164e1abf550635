/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `mseal run`: find PROG as execvp(3) would and tell whether the shim can
 * reach it. */
#ifndef MSEAL_RUN_TARGET_H
#define MSEAL_RUN_TARGET_H

#include <limits.h>
#include <stddef.h>

/* Find @prog: itself when it holds a '/', else along $PATH. On success
 * (0) @buf of @size bytes holds the path; else -ENOENT, -EACCES, ... */
int run_find_program(const char *prog, char *buf, size_t size);

/* How many #! interpreters execve(2) follows before ELOOP (the kernel
 * allows 4 binfmt rewrites). */
#define RUN_SCRIPT_DEPTH 4

/* A `#!` line as execve(2) reads it: the interpreter, then at most one
 * argument, the rest of the line with the blanks at both ends trimmed. */
struct run_shebang {
	char interp[PATH_MAX];	/* "" when the file is no #! script */
	char arg[256];		/* "" when the line has no argument */
};

/*
 * Why the shim cannot reach @path, as one phrase for a warning ("is
 * statically linked"), or NULL when it can. A `#!` script is reachable
 * through its interpreter: @ret_sb then holds its #! line as spelled,
 * else empty strings. 0, or -errno when @path cannot be read.
 */
int run_check_target(const char *path, const char **ret_why,
		     struct run_shebang *ret_sb);

/*
 * When @sb's interpreter is env(1) (basename "env") and the #! line has
 * env run a program: 1, with that program's name, as env looks it up
 * along PATH, in @buf (@size bytes). env's options (-i, -u NAME, -S and
 * the words it splits, ...) and NAME=VALUE words are skipped. 0 when the
 * interpreter is another program or env runs none (it then prints the
 * environment or fails).
 */
int run_env_program(const struct run_shebang *sb, char *buf, size_t size);

/* 1 when @path's basename is "env" (env(1) as a #! line or PROG names
 * it), else 0. */
int run_is_env(const char *path);

/*
 * The same for env(1) run as PROG: @args (@n words, env's arguments,
 * past argv[0]) as run_env_program() reads a #! line's words: 1 with the
 * program's name in @buf (@size bytes), 0 when env runs none.
 */
int run_env_args(char *const *args, int n, char *buf, size_t size);

#endif
