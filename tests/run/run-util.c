// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run-util.h"

static char *slurp(FILE *f)
{
	long n;
	char *buf;

	fflush(f);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static void clear_env(void)
{
	extern char **environ;
	char name[256];

	/* meson test sets LD_LIBRARY_PATH to build directories: it would
	 * override the shim's RUNPATH (the ASan build's shim links a plain
	 * libmseal) and make every fixture plugin findable by bare name. */
	unsetenv("LD_PRELOAD");
	unsetenv("LD_LIBRARY_PATH");
	for (int again = 1; again;) {
		again = 0;
		for (char **e = environ; *e; e++) {
			size_t n = strcspn(*e, "=");

			if (strncmp(*e, "LIBMSEAL_", 9) != 0 ||
			    strncmp(*e, "LIBMSEAL_REQUIRE_MSEAL", 22) == 0 ||
			    n >= sizeof(name))
				continue;
			memcpy(name, *e, n);
			name[n] = '\0';
			unsetenv(name);
			again = 1;
			break;
		}
	}
}

struct ran run_cmd(char *const argv[], char *const env[])
{
	struct ran r = { .status = -1 };
	FILE *out = tmpfile(), *err = tmpfile();
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		clear_env();
		for (int i = 0; env && env[i]; i++) {
			char *copy = strdup(env[i]);
			char *eq = copy ? strchr(copy, '=') : NULL;

			if (eq) {
				*eq = '\0';
				setenv(copy, eq + 1, 1);
			} else if (copy) {
				unsetenv(copy);
			}
		}
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &st, 0) == pid)
		r.status = WIFEXITED(st) ? WEXITSTATUS(st) :
					   128 + WTERMSIG(st);
	r.out = slurp(out);
	r.err = slurp(err);
	return r;
}

void ran_free(struct ran *r)
{
	free(r->out);
	free(r->err);
}

int count_lines(const char *text, const char *needle)
{
	int n = 0;

	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char *line = strndup(text, len);

		n += strstr(line, needle) != NULL;
		free(line);
		text += len + (nl != NULL);
	}
	return n;
}

const char *fixture(const char *name)
{
	static char buf[8][4096];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/run/fixtures/%s",
		 TESTS_BUILD_DIR, name);
	return buf[i];
}

const char *mseal_bin(void)
{
	return MSEAL_BUILD_ROOT "/tools/mseal";
}
