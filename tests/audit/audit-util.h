/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the audit tests: run the CLI, build canned /proc trees. */
#ifndef AUDIT_UTIL_H
#define AUDIT_UTIL_H

#include <stddef.h>
#include <sys/types.h>

#ifndef MSEAL_CLI
#define MSEAL_CLI MSEAL_BUILD_ROOT "/tools/mseal"
#endif
#define AUDIT_FIXTURES TESTS_BUILD_DIR "/audit"

struct cli_result {
	int status;	/* exit status, or 128 + signal */
	char *out;	/* stdout, NUL-terminated, owned */
	char *err;	/* stderr */
};

/* Seconds a CLI run or a helper child may take: SIGALRM then ends it
 * (status 128 + SIGALRM), so a hang fails its test instead of blocking
 * the suite (a FIFO where a mapped file was once did that). */
#define AUDIT_TIMEOUT 60

/* Run @argv (NULL-terminated; argv[0] is ignored and MSEAL_CLI is run) as
 * user @uid (-1: unchanged) with COLUMNS=@columns; capture everything.
 * The run is killed after AUDIT_TIMEOUT seconds. */
void run_cli_as(const char *const *argv, uid_t uid, struct cli_result *res);
void run_cli(const char *const *argv, struct cli_result *res);
void cli_result_free(struct cli_result *res);

/* In a forked helper child: die with the test (SIGKILL when the parent
 * ends, even by a failed assertion) and after AUDIT_TIMEOUT seconds. */
void audit_child_timeout(void);

/* No sanitizer report in @err. */
int no_sanitizer_report(const char *err);

/* Copy tests/data/audit/@name to a fresh temporary directory and link the
 * fixtures its "links" file names; returns the directory (static). */
const char *canned_tree(const char *name);

/* Remove a directory canned_tree() made. */
void canned_tree_remove(const char *dir);

/* Read a whole file into a new string (NULL when unreadable). */
char *read_text(const char *path);

/* Run `/usr/bin/python3 BEFORE FILE AFTER`, FILE holding @doc, and return
 * the first line it printed (malloc'd); fails the test unless python
 * exits 0. @before and @after are shell text, quoted by the caller. */
char *python_on_doc(const char *doc, const char *before, const char *after);

#endif
