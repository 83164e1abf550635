/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Spawn a command, capture its stdout and stderr, wait for its status. */
#ifndef TEST_RUN_UTIL_H
#define TEST_RUN_UTIL_H

struct ran {
	int status;	/* exit status, or 128 + signal */
	char *out;	/* stdout, NUL-terminated, malloc'd */
	char *err;	/* stderr */
};

/* Run @argv (NULL-terminated) with the "NAME=VALUE" strings of @env
 * (NULL-terminated, may be NULL) set and "NAME" strings unset on top of
 * this environment (LD_PRELOAD, LD_LIBRARY_PATH and LIBMSEAL_* are
 * cleared first). */
struct ran run_cmd(char *const argv[], char *const env[]);

void ran_free(struct ran *r);

/* Lines of @text containing @needle. */
int count_lines(const char *text, const char *needle);

/* Path of a built fixture or tool under the build root. */
const char *fixture(const char *name);
const char *mseal_bin(void);

#endif
