// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Real programs under `mseal run` (suite programs): the same stdout and
 * exit status as the plain run, and a report with every startup object
 * sealed (every range "sealed", none failed, skipped or unsupported).
 * gcc compiles a small file, so cc1, as, collect2 and ld run sealed too.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixtures/smaps-self.h"
#include "run-util.h"
#include "testutil.h"

static char report[] = "/tmp/mseal-programs-XXXXXX";

static char *slurp_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = f ? getdelim(&buf, &cap, '\0', f) : -1;

	if (f)
		fclose(f);
	if (n < 0) {
		free(buf);
		return strdup("");
	}
	return buf;
}

/* Run @argv plainly and under `mseal run --report=FILE`; compare. Return
 * the report text; @processes gets the number of sealed processes. */
static char *same_as_plain(char *const argv[], int *processes)
{
	char *wrapped[32] = { (char *)mseal_bin(), "run", NULL, "--" };
	char opt[64];
	struct ran plain, sealed;
	char *text;
	int n = 4;

	test_require_mseal();
	cr_assert(mkstemp(report) >= 0);
	snprintf(opt, sizeof(opt), "--report=%s", report);
	wrapped[2] = opt;
	for (int i = 0; argv[i] && n < 31; i++)
		wrapped[n++] = argv[i];
	wrapped[n] = NULL;
	plain = run_cmd(argv, NULL);
	sealed = run_cmd(wrapped, NULL);
	cr_assert_eq(sealed.status, plain.status, "%s", sealed.err);
	cr_assert_str_eq(sealed.out, plain.out);
	cr_assert_str_eq(sealed.err, plain.err);
	text = slurp_file(report);
	unlink(report);
	*processes = count_lines(text, " startup: ");
	cr_assert_gt(*processes, 0, "no report written");
	/* every range considered at startup was sealed */
	cr_assert_eq(count_lines(text, "libmseal:   "),
		     count_lines(text, "libmseal:   sealed "), "%s", text);
	cr_assert_eq(count_lines(text, " 0 skipped, 0 failed"), *processes,
		     "%s", text);
	ran_free(&plain);
	ran_free(&sealed);
	return text;
}

Test(programs, python3)
{
	int procs;
	char *t = same_as_plain((char *const[]){ "/usr/bin/python3", "-c",
		"import sys, json; print(6*7, json.dumps([1]))", NULL },
		&procs);

	cr_assert_eq(procs, 1);
	cr_assert(strstr(t, "libc.so.6"));
	free(t);
}

Test(programs, perl)
{
	int procs;
	char *t = same_as_plain((char *const[]){ "/usr/bin/perl", "-e",
		"print join(',', map { $_ * 2 } 1..5), qq(\\n); exit 3",
		NULL }, &procs);

	cr_assert_eq(procs, 1);
	free(t);
}

Test(programs, bash)
{
	int procs;
	char *t = same_as_plain((char *const[]){ "/bin/bash", "-c",
		"x=$((6*7)); echo $x; /bin/echo child; exit 5", NULL },
		&procs);

	cr_assert_eq(procs, 2); /* bash and /bin/echo */
	free(t);
}

Test(programs, git)
{
	int procs;
	char *t = same_as_plain((char *const[]){ "/usr/bin/git", "--version",
		NULL }, &procs);

	cr_assert_geq(procs, 1);
	free(t);
}

Test(programs, gcc_and_its_children)
{
	char dir[] = "/tmp/mseal-gcc-XXXXXX", src[64], out[64];
	int procs;
	char *t;
	FILE *f;

	cr_assert(mkdtemp(dir));
	snprintf(src, sizeof(src), "%s/hello.c", dir);
	snprintf(out, sizeof(out), "%s/hello", dir);
	f = fopen(src, "w");
	fputs("#include <stdio.h>\nint main(void){puts(\"hi\");return 0;}\n",
	      f);
	fclose(f);
	t = same_as_plain((char *const[]){ "/usr/bin/gcc", "-O1", "-o", out,
					   src, NULL }, &procs);
	/* gcc, cc1, as, collect2, ld */
	cr_assert_geq(procs, 5, "%s", t);
	cr_assert(strstr(t, "/cc1"));
	cr_assert(strstr(t, "-as\n"));
	cr_assert(strstr(t, "-ld"));
	unlink(src);
	unlink(out);
	rmdir(dir);
	free(t);
}

/* The loader names in a text report, as real paths. */
static int report_objects(const char *text, char **paths, int max)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, "libmseal:   sealed ")) &&
	     n < max; ) {
		const char *nl = strchr(p, '\n'), *sp = nl;
		char name[PATH_MAX], real[PATH_MAX];
		int dup = 0;

		while (sp > p && sp[-1] != ' ')
			sp--;
		snprintf(name, sizeof(name), "%.*s", (int)(nl - sp), sp);
		if (realpath(name, real)) {
			for (int i = 0; i < n; i++)
				dup |= strcmp(paths[i], real) == 0;
			if (!dup)
				paths[n++] = strdup(real);
		}
		p = nl;
	}
	return n;
}

/* While a sealed python3 sleeps, its smaps shows `sl` on every r-x and
 * r-- mapping of the objects it loaded at startup, and on no writable one,
 * nor the heap or the stack. */
Test(programs, python3_sleeping_smaps)
{
	char opt[64], line[64], *paths[64];
	int fds[2], npaths;
	struct fx_vma *v;
	pid_t pid;
	FILE *in;
	char *text;
	int n, bad;

	test_require_mseal();
	cr_assert(mkstemp(report) >= 0);
	snprintf(opt, sizeof(opt), "--report=%s", report);
	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		unsetenv("LD_PRELOAD");
		unsetenv("LD_LIBRARY_PATH");
		execl(mseal_bin(), "mseal", "run", opt, "--", "/usr/bin/python3",
		      "-c", "import time; print('ready', flush=True); "
		      "time.sleep(60)", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	cr_assert(fgets(line, sizeof(line), in));
	cr_assert_str_eq(line, "ready\n");
	n = fx_read_smaps(pid, &v);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fclose(in);
	text = slurp_file(report);
	unlink(report);
	npaths = report_objects(text, paths, 64);
	cr_assert_geq(npaths, 5, "%s", text);
	cr_assert_gt(n, 0);
	bad = fx_check_sealing(v, n, paths, npaths);
	cr_assert_eq(bad, 0, "see the bad: lines on stdout");
	for (int i = 0; i < npaths; i++)
		free(paths[i]);
	free(text);
	free(v);
}
