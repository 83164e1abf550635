// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal run` and env(1) (suite image). A `#!/usr/bin/env python3` script
 * is sealed as env's child: by default python3 is sealed in turn (a note
 * says so), under --no-children it is not (a warning; --strict refuses).
 * The script itself says whether its libc text carries `sl`, next to a
 * script naming /usr/bin/python3 directly as the control. Then what
 * --no-children leaves in a child's environment: the shim's LD_PRELOAD
 * entry and its policy variables go, other LIBMSEAL_* names stay.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run-util.h"
#include "testutil.h"

#define MSEAL_RUN(...) ((char *const[]){ (char *)mseal_bin(), "run", \
	__VA_ARGS__, NULL })
#define PLAIN(...) ((char *const[]){ __VA_ARGS__, NULL })
#define FX(name) ((char *)fixture(name))
#define SHIM_PATH MSEAL_BUILD_ROOT "/preload/libmseal-preload.so"
#define STATIC_WHY "is statically linked (no PT_INTERP: ld.so never runs)"

/* python3 along PATH is /usr/bin/python3 here, not a pyenv shim; env's
 * messages quote in ASCII. */
static char *path_env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };

/* libc's text mapping, as this very python3 process sees it. */
static const char smaps_py[] =
	"import re\n"
	"sealed, cur = None, False\n"
	"for line in open('/proc/self/smaps'):\n"
	"    f = line.split()\n"
	"    if re.match(r'[0-9a-f]+-[0-9a-f]+ ', line):\n"
	"        cur = len(f) > 5 and f[1] == 'r-xp' and '/libc.so' in f[5]\n"
	"    elif cur and f[0] == 'VmFlags:':\n"
	"        sealed = 'sl' in f[1:]\n"
	"print('libc text sealed', 'missing' if sealed is None else "
	"int(sealed))\n";

static void write_script(char *path, const char *shebang)
{
	int fd = mkstemp(path);
	FILE *f;

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fprintf(f, "#!%s\n%s", shebang, smaps_py);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0755), 0);
}

static void expect(struct ran *r, int status, const char *out,
		   const char *err)
{
	cr_assert_eq(r->status, status, "status %d, stderr:\n%s", r->status,
		     r->err);
	cr_assert_str_eq(r->out, out);
	cr_assert_str_eq(r->err, err);
	ran_free(r);
}

/* Children sealed (the default): python3 is sealed through env, and the
 * one line says so; run alone, neither script is sealed. */
Test(run_env, env_script_sealed_as_child_by_default)
{
	char envs[] = "/tmp/mseal-runenv-env-XXXXXX";
	char direct[] = "/tmp/mseal-runenv-direct-XXXXXX";
	char want[256];
	struct ran p, r, d;

	test_require_mseal();
	write_script(envs, "/usr/bin/env python3");
	write_script(direct, "/usr/bin/python3");
	p = run_cmd(PLAIN(envs), path_env);
	r = run_cmd(MSEAL_RUN("--", envs), path_env);
	d = run_cmd(MSEAL_RUN("--strict", "--", direct), path_env);
	unlink(envs);
	unlink(direct);
	expect(&p, 0, "libc text sealed 0\n", "");
	snprintf(want, sizeof(want), "mseal: warning: run: %s is a #! script: "
		 "its interpreter /usr/bin/env runs python3, which gets sealed "
		 "in turn\n", envs);
	expect(&r, 0, "libc text sealed 1\n", want);
	snprintf(want, sizeof(want), "mseal: warning: run: %s is a #! script: "
		 "its interpreter /usr/bin/python3 is what gets sealed\n",
		 direct);
	expect(&d, 0, "libc text sealed 1\n", want);
}

/* --no-children: env is sealed, the python3 it execs is not, which the
 * warning says; the direct interpreter is PROG's own image: sealed. */
Test(run_env, no_children_env_script_warns_unsealed)
{
	char envs[] = "/tmp/mseal-runenv-env-XXXXXX";
	char split[] = "/tmp/mseal-runenv-split-XXXXXX";
	char direct[] = "/tmp/mseal-runenv-direct-XXXXXX";
	char want[256];
	struct ran r, s, d;

	test_require_mseal();
	write_script(envs, "/usr/bin/env python3");
	write_script(split, "/usr/bin/env -S -u HOME LC_ALL=C python3 -I");
	write_script(direct, "/usr/bin/python3");
	r = run_cmd(MSEAL_RUN("--no-children", "--", envs), path_env);
	s = run_cmd(MSEAL_RUN("--no-children", "--", split), path_env);
	d = run_cmd(MSEAL_RUN("--no-children", "--", direct), path_env);
	unlink(envs);
	unlink(split);
	unlink(direct);
	snprintf(want, sizeof(want), "mseal: warning: run: %s runs python3 "
		 "through /usr/bin/env; with --no-children python3 runs "
		 "unsealed\n", envs);
	expect(&r, 0, "libc text sealed 0\n", want);
	snprintf(want, sizeof(want), "mseal: warning: run: %s runs python3 "
		 "through /usr/bin/env; with --no-children python3 runs "
		 "unsealed\n", split);
	expect(&s, 0, "libc text sealed 0\n", want);
	snprintf(want, sizeof(want), "mseal: warning: run: %s is a #! script: "
		 "its interpreter /usr/bin/python3 is what gets sealed\n",
		 direct);
	expect(&d, 0, "libc text sealed 1\n", want);
}

/* --no-children --strict: one line, exit 125, python3 never runs. No
 * refusal where nothing would run unsealed: the direct interpreter, and
 * a program env cannot find (env's own 127). */
Test(run_env, no_children_strict_refuses_env_script)
{
	char envs[] = "/tmp/mseal-runenv-env-XXXXXX";
	char direct[] = "/tmp/mseal-runenv-direct-XXXXXX";
	char gone[] = "/tmp/mseal-runenv-gone-XXXXXX";
	char want[256];
	struct ran r, d, g;

	write_script(envs, "/usr/bin/env python3");
	write_script(direct, "/usr/bin/python3");
	write_script(gone, "/usr/bin/env mseal-no-such-program");
	r = run_cmd(MSEAL_RUN("--no-children", "--strict", "--", envs),
		    path_env);
	d = run_cmd(MSEAL_RUN("--no-children", "--strict", "--", direct),
		    path_env);
	g = run_cmd(MSEAL_RUN("--no-children", "--strict", "--", gone),
		    path_env);
	unlink(envs);
	unlink(direct);
	unlink(gone);
	snprintf(want, sizeof(want), "mseal: run: --strict: %s runs python3 "
		 "through /usr/bin/env; with --no-children python3 would run "
		 "unsealed; not running it\n", envs);
	expect(&r, 125, "", want);
	expect(&g, 127, "", "/usr/bin/env: 'mseal-no-such-program': No such "
	       "file or directory\n");
	test_require_mseal();
	snprintf(want, sizeof(want), "mseal: warning: run: %s is a #! script: "
		 "its interpreter /usr/bin/python3 is what gets sealed\n",
		 direct);
	expect(&d, 0, "libc text sealed 1\n", want);
}

/* env running a program the shim cannot reach: the one line names both;
 * strict refuses it. */
Test(run_env, env_script_static_program)
{
	char script[] = "/tmp/mseal-runenv-static-XXXXXX";
	char line[4200], want[8800];
	struct ran r, s;

	snprintf(line, sizeof(line), "/usr/bin/env %s", fixture("static-prog"));
	write_script(script, line);
	r = run_cmd(MSEAL_RUN("--", script), path_env);
	s = run_cmd(MSEAL_RUN("--strict", "--", script), path_env);
	unlink(script);
	snprintf(want, sizeof(want), "mseal: warning: run: %s runs %s through "
		 "/usr/bin/env, and %s " STATIC_WHY "; it runs unsealed\n",
		 script, fixture("static-prog"), fixture("static-prog"));
	expect(&r, 3, "static ran\n", want);
	snprintf(want, sizeof(want), "mseal: run: --strict: %s runs %s "
		 "through /usr/bin/env, and %s " STATIC_WHY "; not running "
		 "it\n", script, fixture("static-prog"),
		 fixture("static-prog"));
	expect(&s, 125, "", want);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The LIBMSEAL_* and LD_PRELOAD lines of an env(1) listing, sorted. */
static void env_lines(const char *text, char *buf, size_t size)
{
	char *copy = strdup(text), *lines[64], *tok, *save = NULL;
	size_t n = 0, len = 0;

	cr_assert(copy);
	for (tok = strtok_r(copy, "\n", &save); tok && n < 64;
	     tok = strtok_r(NULL, "\n", &save))
		if (!strncmp(tok, "LIBMSEAL_", 9) ||
		    !strncmp(tok, "LD_PRELOAD=", 11))
			lines[n++] = tok;
	qsort(lines, n, sizeof(*lines), cmp_str);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s\n",
					lines[i]);
	free(copy);
}

/* Options and variables of the shim's policy, and names that are not
 * its own: --no-children takes the first out, the others stay. The
 * control (children sealed) keeps everything. */
Test(run_env, no_children_child_environment)
{
	char report[] = "/tmp/mseal-runenv-report-XXXXXX";
	char ropt[64], got[4096], want[4096];
	char *env[] = { "LIBMSEAL_PRELOAD=" SHIM_PATH, "LIBMSEAL_FOO=bar",
			"LIBMSEAL_DEBUG=0", "LIBMSEAL_FALLBACK=seccomp",
			"LIBMSEAL_FALLBACK_CHILDREN=1",
			"LIBMSEAL_REQUIRE_MSEAL", NULL };
	char *forced[] = { "LIBMSEAL_FORCE_UNSUPPORTED=1",
			   "LIBMSEAL_FALLBACK_CHILDREN=1",
			   "LIBMSEAL_REQUIRE_MSEAL", NULL };
	int fd = mkstemp(report);
	struct ran r, c, f;

	cr_assert(fd >= 0);
	close(fd);
	snprintf(ropt, sizeof(ropt), "--report=%s", report);
	r = run_cmd(MSEAL_RUN("--no-children", "-x", "nomatch", "--gaps",
			      "--dlopen=all", ropt, "-J", "--",
			      FX("run-fixture"), "exec", "/usr/bin/env"), env);
	c = run_cmd(MSEAL_RUN("-x", "nomatch", "--gaps", "--dlopen=all", ropt,
			      "-J", "--", FX("run-fixture"), "exec",
			      "/usr/bin/env"), env);
	f = run_cmd(MSEAL_RUN("--no-children", "--", FX("run-fixture"), "exec",
			      "/usr/bin/env"), forced);
	unlink(report);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
	env_lines(r.out, got, sizeof(got));
	cr_assert_str_eq(got, "LIBMSEAL_FOO=bar\n"
			 "LIBMSEAL_PRELOAD=" SHIM_PATH "\n");
	cr_assert_eq(c.status, 0, "%s", c.err);
	env_lines(c.out, got, sizeof(got));
	snprintf(want, sizeof(want), "LD_PRELOAD=%s\n"
		 "LIBMSEAL_DEBUG=0\nLIBMSEAL_DLOPEN=all\n"
		 "LIBMSEAL_EXCLUDE=nomatch\nLIBMSEAL_FALLBACK=seccomp\n"
		 "LIBMSEAL_FALLBACK_CHILDREN=1\nLIBMSEAL_FOO=bar\n"
		 "LIBMSEAL_GAPS=1\nLIBMSEAL_PRELOAD=%s\n"
		 "LIBMSEAL_REPORT=%s\nLIBMSEAL_REPORT_FORMAT=json\n",
		 SHIM_PATH, SHIM_PATH, report);
	cr_assert_str_eq(got, want);
	/* the library's own switch holds in PROG and reaches its children */
	cr_assert_eq(f.status, 0, "%s", f.err);
	cr_assert_str_eq(f.err, "");
	env_lines(f.out, got, sizeof(got));
	cr_assert_str_eq(got, "LIBMSEAL_FORCE_UNSUPPORTED=1\n");
	ran_free(&r);
	ran_free(&c);
	ran_free(&f);
}

/* PROG env(1) itself, as execvp finds it ("env" along PATH, or a path):
 * the program its arguments name is its child. --no-children leaves
 * that python3 unsealed, which one warning says (GNU env's options and
 * NAME=VALUE words skipped); python3 run directly is the control. */
Test(run_env, env_prog_no_children_warns_unsealed)
{
	struct ran r, s, o, d;

	test_require_mseal();
	r = run_cmd(MSEAL_RUN("--no-children", "--", "env", "python3", "-c",
			      (char *)smaps_py), path_env);
	s = run_cmd(MSEAL_RUN("--no-children", "--", "/usr/bin/env", "-S",
			      "python3 -I", "-c", (char *)smaps_py), path_env);
	o = run_cmd(MSEAL_RUN("--no-children", "--", "env", "-i", "-u", "HOME",
			      "-C", "/", "--", "LC_ALL=C", "python3", "-c",
			      (char *)smaps_py), path_env);
	d = run_cmd(MSEAL_RUN("--no-children", "--", "/usr/bin/python3", "-c",
			      (char *)smaps_py), path_env);
	expect(&r, 0, "libc text sealed 0\n", "mseal: warning: run: env runs "
	       "python3; with --no-children python3 runs unsealed\n");
	expect(&s, 0, "libc text sealed 0\n", "mseal: warning: run: "
	       "/usr/bin/env runs python3; with --no-children python3 runs "
	       "unsealed\n");
	expect(&o, 0, "libc text sealed 0\n", "mseal: warning: run: env runs "
	       "python3; with --no-children python3 runs unsealed\n");
	expect(&d, 0, "libc text sealed 1\n", "");
}

/* --no-children --strict: one line, exit 125, python3 never runs. No
 * refusal where env runs nothing (it prints the environment) or a
 * program it cannot find (env's own 127). */
Test(run_env, env_prog_no_children_strict_refuses)
{
	struct ran r, n, g;

	r = run_cmd(MSEAL_RUN("--no-children", "--strict", "--", "env",
			      "python3", "-c", "print(1)"), path_env);
	n = run_cmd(MSEAL_RUN("--no-children", "--strict", "--", "env", "-i",
			      "MSEAL_T=1"), path_env);
	g = run_cmd(MSEAL_RUN("--no-children", "--strict", "--", "env",
			      "mseal-no-such-program"), path_env);
	expect(&r, 125, "", "mseal: run: --strict: env runs python3; with "
	       "--no-children python3 would run unsealed; not running it\n");
	expect(&n, 0, "MSEAL_T=1\n", "");
	expect(&g, 127, "", "env: 'mseal-no-such-program': No such file or "
	       "directory\n");
}

/* Children sealed (the default): python3 is sealed through env, no line
 * is needed, --strict runs it; a program env runs that the shim cannot
 * reach is named, and refused under --strict. */
Test(run_env, env_prog_sealed_as_child_by_default)
{
	char want[8800];
	struct ran r, s, t, u;

	test_require_mseal();
	r = run_cmd(MSEAL_RUN("--", "env", "python3", "-c", (char *)smaps_py),
		    path_env);
	s = run_cmd(MSEAL_RUN("--strict", "--", "env", "python3", "-c",
			      (char *)smaps_py), path_env);
	t = run_cmd(MSEAL_RUN("--", "env", FX("static-prog")), path_env);
	u = run_cmd(MSEAL_RUN("--strict", "--", "env", FX("static-prog")),
		    path_env);
	expect(&r, 0, "libc text sealed 1\n", "");
	expect(&s, 0, "libc text sealed 1\n", "");
	snprintf(want, sizeof(want), "mseal: warning: run: env runs %s, and %s "
		 STATIC_WHY "; it runs unsealed\n", fixture("static-prog"),
		 fixture("static-prog"));
	expect(&t, 3, "static ran\n", want);
	snprintf(want, sizeof(want), "mseal: run: --strict: env runs %s, and "
		 "%s " STATIC_WHY "; not running it\n", fixture("static-prog"),
		 fixture("static-prog"));
	expect(&u, 125, "", want);
}
