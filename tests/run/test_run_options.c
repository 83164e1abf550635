// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal run`'s traps (suite image): an option's argument never swallows
 * "--"; under --strict a program that cannot be sealed gets one error
 * line and exit 125, from `mseal run` when it can tell before exec, from
 * the shim when sealing fails inside the program; the shim's LIBMSEAL_*
 * values set directly in the environment are checked. Each case asserts
 * the exact exit status, the exact stderr and the program's output.
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
#define SHIM "LD_PRELOAD=" MSEAL_BUILD_ROOT "/preload/libmseal-preload.so"
#define STATIC_WHY "is statically linked (no PT_INTERP: ld.so never runs)"
#define SECURE_WHY "runs in secure-execution mode (setuid, setgid or file " \
	"capabilities), where ld.so ignores LD_PRELOAD"

static void expect(struct ran *r, int status, const char *out,
		   const char *err)
{
	cr_assert_eq(r->status, status, "status %d, stderr:\n%s", r->status,
		     r->err);
	cr_assert_str_eq(r->out, out);
	cr_assert_str_eq(r->err, err);
	ran_free(r);
}

/* A detached "--" ends the options: never -x's pattern nor --dlopen's
 * mode, and the program is not run. Attached, it is what was written. */
Test(run_options, dashdash_is_never_an_argument)
{
	const char *fx = fixture("run-fixture");
	struct ran r;

	r = run_cmd(MSEAL_RUN("-x", "--", (char *)fx, "mprotect"), NULL);
	expect(&r, 125, "", "mseal: run: option '-x' needs an argument; see "
	       "'mseal run --help'\n");
	r = run_cmd(MSEAL_RUN("--exclude", "--", "/bin/true"), NULL);
	expect(&r, 125, "", "mseal: run: option '--exclude' needs an "
	       "argument; see 'mseal run --help'\n");
	r = run_cmd(MSEAL_RUN("-gx", "--", "/bin/true"), NULL);
	expect(&r, 125, "", "mseal: run: option '-x' needs an argument; see "
	       "'mseal run --help'\n");
	r = run_cmd(MSEAL_RUN("--dlopen", "--", "true"), NULL);
	expect(&r, 125, "", "mseal: run: option '--dlopen' needs an "
	       "argument; see 'mseal run --help'\n");
	r = run_cmd(MSEAL_RUN("-gx"), NULL);
	expect(&r, 125, "", "mseal: run: option '-x' needs an argument; see "
	       "'mseal run --help'\n");
	r = run_cmd(MSEAL_RUN("--report=", "--", "true"), NULL);
	expect(&r, 125, "", "mseal: run: --report=: empty file name "
	       "(--report alone writes to stderr)\n");
	r = run_cmd(MSEAL_RUN("--dlopen=--", "--", "true"), NULL);
	expect(&r, 125, "", "mseal: run: --dlopen=--: MODE is nodelete, all "
	       "or none\n");
	/* controls: a pattern that is a word, and "--" attached */
	r = run_cmd(MSEAL_RUN("-x", "libz*", "--", FX("run-fixture"), "exit",
			      "6"), NULL);
	expect(&r, 6, "", "");
	r = run_cmd(MSEAL_RUN("-x--", "--", FX("run-fixture"), "exit", "6"),
		    NULL);
	expect(&r, 6, "", "");
	r = run_cmd(MSEAL_RUN("--exclude=--", "--dlopen", "all", "--",
			      FX("run-fixture"), "exit", "6"), NULL);
	expect(&r, 6, "", "");
}

/* Static: one warning and it runs; --strict: one error, not run. */
Test(run_options, strict_static_one_error_line)
{
	char want[4400];
	struct ran r;

	r = run_cmd(MSEAL_RUN("--", FX("static-prog")), NULL);
	snprintf(want, sizeof(want), "mseal: warning: run: %s " STATIC_WHY
		 "; it runs unsealed\n", fixture("static-prog"));
	expect(&r, 3, "static ran\n", want);
	r = run_cmd(MSEAL_RUN("-s", "--", FX("static-prog")), NULL);
	snprintf(want, sizeof(want), "mseal: run: --strict: %s " STATIC_WHY
		 "; not running it\n", fixture("static-prog"));
	expect(&r, 125, "", want);
}

static void write_script(char *path, const char *interp)
{
	int fd = mkstemp(path);
	FILE *f;

	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fprintf(f, "#!%s\n", interp);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0755), 0);
}

/* A #! script whose interpreter is static (directly, or through another
 * script): one line naming both, as a warning or, strict, an error. */
Test(run_options, strict_script_static_interpreter)
{
	char script[] = "/tmp/mseal-runopt-script-XXXXXX";
	char nested[] = "/tmp/mseal-runopt-nested-XXXXXX";
	char want[8800];
	struct ran r, s, n;

	write_script(script, fixture("static-prog"));
	write_script(nested, script);
	r = run_cmd(MSEAL_RUN("--", script), NULL);
	s = run_cmd(MSEAL_RUN("--strict", "--", script), NULL);
	n = run_cmd(MSEAL_RUN("--strict", "--", nested), NULL);
	unlink(script);
	unlink(nested);
	snprintf(want, sizeof(want), "mseal: warning: run: %s is a #! script "
		 "whose interpreter %s " STATIC_WHY "; it runs unsealed\n",
		 script, fixture("static-prog"));
	expect(&r, 3, "static ran\n", want);
	snprintf(want, sizeof(want), "mseal: run: --strict: %s is a #! script "
		 "whose interpreter %s " STATIC_WHY "; not running it\n",
		 script, fixture("static-prog"));
	expect(&s, 125, "", want);
	snprintf(want, sizeof(want), "mseal: run: --strict: %s is a #! script "
		 "whose interpreter %s " STATIC_WHY "; not running it\n",
		 nested, fixture("static-prog"));
	expect(&n, 125, "", want);
}

/* setuid: one error under --strict. A setuid script is no secure exec
 * (the kernel ignores its bits): its interpreter gets sealed. */
Test(run_options, strict_setuid_one_error_line)
{
	char dir[] = "/tmp/mseal-runopt-suid-XXXXXX", prog[64], sh[64];
	char want[512];
	struct ran r, s, t;
	FILE *f;

	if (getuid() == 65534)
		cr_skip_test("running as the owner of the setuid copies");
	cr_assert(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
	snprintf(prog, sizeof(prog), "%s/true", dir);
	snprintf(sh, sizeof(sh), "%s/script", dir);
	r = run_cmd(PLAIN("cp", "/usr/bin/true", prog), NULL);
	ran_free(&r);
	f = fopen(sh, "w");
	cr_assert(f);
	fputs("#!/bin/sh\necho script ran\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chown(prog, 65534, 65534), 0);
	cr_assert_eq(chmod(prog, 04755), 0);
	cr_assert_eq(chown(sh, 65534, 65534), 0);
	cr_assert_eq(chmod(sh, 04755), 0);
	r = run_cmd(MSEAL_RUN("--", prog), NULL);
	s = run_cmd(MSEAL_RUN("--strict", "--", prog), NULL);
	t = run_cmd(MSEAL_RUN("--", sh), NULL);
	unlink(prog);
	unlink(sh);
	rmdir(dir);
	snprintf(want, sizeof(want), "mseal: warning: run: %s " SECURE_WHY
		 "; it runs unsealed\n", prog);
	expect(&r, 0, "", want);
	snprintf(want, sizeof(want), "mseal: run: --strict: %s " SECURE_WHY
		 "; not running it\n", prog);
	expect(&s, 125, "", want);
	snprintf(want, sizeof(want), "mseal: warning: run: %s is a #! script: "
		 "its interpreter /bin/sh is what gets sealed\n", sh);
	expect(&t, 0, "script ran\n", want);
}

/* The shim is in the program but cannot seal: a seccomp filter lets
 * libmseal's probe (length 0) through and refuses every range. Default:
 * the program runs, silent; strict: the shim's one line, exit 125. */
Test(run_options, shim_strict_line_when_ranges_fail)
{
	test_require_mseal();
	struct ran r = run_cmd(PLAIN(FX("seccomp-exec"), "RANGES",
				     (char *)mseal_bin(), "run", "--",
				     FX("run-fixture"), "mprotect"), NULL);
	struct ran s = run_cmd(PLAIN(FX("seccomp-exec"), "RANGES",
				     (char *)mseal_bin(), "run", "--strict",
				     "--", FX("run-fixture"), "mprotect"),
			       NULL);
	const char *tail = " range(s) failed to seal (Operation not "
			   "permitted); stopping before main\n";
	unsigned long n = 0;
	char want[256];

	expect(&r, 0, "mprotect ok\ntext sealed 0\nalive\n", "");
	cr_assert_eq(s.status, 125, "%s", s.err);
	cr_assert_str_eq(s.out, "");
	cr_assert_eq(sscanf(s.err, "libmseal: strict: %lu ", &n), 1, "%s",
		     s.err);
	cr_assert_gt(n, 0);
	snprintf(want, sizeof(want), "libmseal: strict: %lu%s", n, tail);
	cr_assert_str_eq(s.err, want);
	ran_free(&s);
}

/* No mseal (forced): strict is the shim's one line, nothing else. */
Test(run_options, shim_strict_line_when_unavailable)
{
	char *env[] = { "LIBMSEAL_FORCE_UNSUPPORTED=1", NULL };
	struct ran r = run_cmd(MSEAL_RUN("--strict", "--", FX("run-fixture"),
					 "mprotect"), env);

	expect(&r, 125, "", "libmseal: strict: sealing unavailable: "
	       "LIBMSEAL_FORCE_UNSUPPORTED is set; stopping before main\n");
}

/* Values set directly (a systemd unit): unknown ones get one line each
 * and the default; the program's output is that of the default. */
Test(run_options, shim_env_unknown_value_one_line_default)
{
	char *plain[] = { SHIM, NULL };
	char *dl[] = { SHIM, "LIBMSEAL_DLOPEN=bogus", NULL };
	char *two[] = { SHIM, "LIBMSEAL_REPORT_FORMAT=xml",
			"LIBMSEAL_DLOPEN=bogus", NULL };
	char *gaps[] = { SHIM, "LIBMSEAL_GAPS=maybe", "LIBMSEAL_DEBUG=",
			 "LIBMSEAL_NO_CHILDREN=FALSE", NULL };
	char *fb[] = { SHIM, "LIBMSEAL_FALLBACK=bpf", NULL };
	char *nl[] = { SHIM, "LIBMSEAL_DLOPEN=a\nb'c", NULL };
	struct ran c = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), plain);
	struct ran r;

	cr_assert_eq(c.status, 0, "%s", c.err);
	cr_assert_str_eq(c.err, "");
	r = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), dl);
	expect(&r, 0, c.out, "libmseal: LIBMSEAL_DLOPEN: unknown value "
	       "'bogus', using 'nodelete'\n");
	r = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), two);
	expect(&r, 0, c.out, "libmseal: LIBMSEAL_DLOPEN: unknown value "
	       "'bogus', using 'nodelete'\nlibmseal: LIBMSEAL_REPORT_FORMAT: "
	       "unknown value 'xml', using 'text'\n");
	r = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), gaps);
	expect(&r, 0, c.out, "libmseal: LIBMSEAL_GAPS: unknown value "
	       "'maybe', using '0'\n");
	r = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), fb);
	expect(&r, 0, c.out, "libmseal: LIBMSEAL_FALLBACK: unknown value "
	       "'bpf', using no fallback\n");
	r = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), nl);
	expect(&r, 0, c.out, "libmseal: LIBMSEAL_DLOPEN: unknown value "
	       "'a\\nb'c', using 'nodelete'\n");
	ran_free(&c);
}

/* The unknown value leaves the environment: children take the default
 * without a line of their own. */
Test(run_options, shim_env_unknown_value_said_once_per_tree)
{
	char *env[] = { SHIM, "LIBMSEAL_DLOPEN=bogus", NULL };
	struct ran r = run_cmd(PLAIN("/bin/sh", "-c", "echo "
				     "\"${LIBMSEAL_DLOPEN-unset}\"; "
				     "/bin/sh -c 'echo child'"), env);

	expect(&r, 0, "unset\nchild\n", "libmseal: LIBMSEAL_DLOPEN: unknown "
	       "value 'bogus', using 'nodelete'\n");
}

/* The text report, not "xml", goes to LIBMSEAL_REPORT. */
Test(run_options, shim_env_unknown_format_reports_text)
{
	char file[] = "/tmp/mseal-runopt-report-XXXXXX";
	char var[64], head[32] = { 0 };
	int fd = mkstemp(file);
	FILE *f;
	struct ran r;

	cr_assert(fd >= 0);
	close(fd);
	snprintf(var, sizeof(var), "LIBMSEAL_REPORT=%s", file);
	char *env[] = { SHIM, var, "LIBMSEAL_REPORT_FORMAT=xml", NULL };
	r = run_cmd(PLAIN(FX("run-fixture"), "exit", "5"), env);
	f = fopen(file, "r");
	cr_assert(f);
	cr_assert(fgets(head, sizeof(head), f));
	fclose(f);
	unlink(file);
	expect(&r, 5, "", "libmseal: LIBMSEAL_REPORT_FORMAT: unknown value "
	       "'xml', using 'text'\n");
	cr_assert(strncmp(head, "libmseal: pid ", 14) == 0, "%s", head);
}

/* Strict refuses an unknown value (one line, 125, main never runs); an
 * unknown LIBMSEAL_STRICT itself counts as strict and so refuses. */
Test(run_options, shim_env_unknown_value_strict_refuses)
{
	char *dl[] = { SHIM, "LIBMSEAL_STRICT=yes", "LIBMSEAL_DLOPEN=bogus",
		       NULL };
	char *st[] = { SHIM, "LIBMSEAL_STRICT=enabled", NULL };
	char *off[] = { SHIM, "LIBMSEAL_STRICT=off", "LIBMSEAL_DLOPEN=bogus",
			NULL };
	char *inh[] = { "LIBMSEAL_DLOPEN=bogus", NULL };
	struct ran r;

	r = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), dl);
	expect(&r, 125, "", "libmseal: strict: LIBMSEAL_DLOPEN: unknown value "
	       "'bogus'; stopping before main\n");
	r = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), st);
	expect(&r, 125, "", "libmseal: strict: LIBMSEAL_STRICT: unknown value "
	       "'enabled'; stopping before main\n");
	r = run_cmd(PLAIN(FX("run-fixture"), "exit", "4"), off);
	expect(&r, 4, "", "libmseal: LIBMSEAL_DLOPEN: unknown value 'bogus', "
	       "using 'nodelete'\n");
	/* inherited through `mseal run --strict`: the same refusal */
	r = run_cmd(MSEAL_RUN("--strict", "--", FX("run-fixture"), "exit",
			      "4"), inh);
	expect(&r, 125, "", "libmseal: strict: LIBMSEAL_DLOPEN: unknown value "
	       "'bogus'; stopping before main\n");
}
