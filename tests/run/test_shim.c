// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal run` and the preload shim, on fixture programs (suite image).
 * Each sealing case runs the fixture under `mseal run` and, as its
 * control, without it, and asserts the exact lines the fixture printed.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
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
#define FIXTURE_DIR TESTS_BUILD_DIR "/run/fixtures"
#define FX(name) ((char *)fixture(name))
#define HAS(text, s) cr_assert(strstr((text), (s)), \
	"expected \"%s\" in:\n%s", (s), (text))
#define LACKS(text, s) cr_assert(!strstr((text), (s)), \
	"unexpected \"%s\" in:\n%s", (s), (text))

Test(run_shim, startup_objects_sealed_not_writable)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "smaps"), NULL);
	struct ran c = run_cmd(PLAIN(FX("run-fixture"), "smaps"), NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	HAS(r.out, "sealing ok\n");
	cr_assert_str_eq(r.err, "");
	cr_assert_eq(c.status, 1);
	HAS(c.out, "sealing bad\n");
	ran_free(&r);
	ran_free(&c);
}

Test(run_shim, mprotect_sealed_text_eperm_program_goes_on)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "mprotect"),
			       NULL);
	struct ran c = run_cmd(PLAIN(FX("run-fixture"), "mprotect"), NULL);

	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "mprotect EPERM\ntext sealed 1\nalive\n");
	cr_assert_str_eq(c.out, "mprotect ok\ntext sealed 0\nalive\n");
	ran_free(&r);
	ran_free(&c);
}

/* R14, R15: a page-aligned .bss buffer keeps toggling and runs code. */
Test(run_shim, bss_buffer_toggles_and_runs_code)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "bss"), NULL);
	struct ran c = run_cmd(PLAIN(FX("run-fixture"), "bss"), NULL);
	const char *want = "bss toggles ok\nbss code 42\nbss sealed 0\n";

	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, want);
	cr_assert_str_eq(c.out, want);
	ran_free(&r);
	ran_free(&c);
}

/* R19: a plain plugin stays unsealed and leaves the map on dlclose. */
Test(run_shim, plugin_dlopen_dlclose_dlopen)
{
	test_require_mseal();
	const char *want = "first value 42 text sealed 0 relro sealed 0\n"
			   "dlclose 0\nmapped after dlclose 0\n"
			   "again value 42 text sealed 0 relro sealed 0\n";
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "plugin",
					 FX("libfixture-plugin.so")), NULL);
	struct ran c = run_cmd(PLAIN(FX("run-fixture"), "plugin",
				     FX("libfixture-plugin.so")), NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, want);
	cr_assert_str_eq(c.out, want);
	ran_free(&r);
	ran_free(&c);
}

Test(run_shim, rtld_nodelete_plugin_sealed)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "nodelete",
					 FX("libfixture-plugin.so")), NULL);
	struct ran c = run_cmd(PLAIN(FX("run-fixture"), "nodelete",
				     FX("libfixture-plugin.so")), NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "open value 42 text sealed 1 relro sealed 1\n"
			 "dlclose 0\nmapped after dlclose 1\n");
	cr_assert_str_eq(c.out, "open value 42 text sealed 0 relro sealed 0\n"
			 "dlclose 0\nmapped after dlclose 1\n");
	ran_free(&r);
	ran_free(&c);
}

Test(run_shim, df1_nodelete_plugin_sealed)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "open",
					 FX("libfixture-nodelete.so")), NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "open value 7 text sealed 1 relro sealed 1\n"
			 "dlclose 0\nmapped after dlclose 1\n");
	ran_free(&r);
}

/* A lazy-bound plugin (no full RELRO) made NODELETE seals with no error. */
Test(run_shim, dlopen_all_seals_and_keeps_every_plugin)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--dlopen=all", "--report", "--",
					 FX("run-fixture"), "open",
					 FX("libfixture-plugin.so")), NULL);
	struct ran l = run_cmd(MSEAL_RUN("--dlopen=all", "--", FX("run-fixture"),
					 "open", FX("libfixture-plugin-lazy.so")),
			       NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "open value 42 text sealed 1 relro sealed 1\n"
			 "dlclose 0\nmapped after dlclose 1\n");
	HAS(r.err, " dlopen: 1 objects");
	cr_assert_eq(l.status, 0, "%s%s", l.out, l.err);
	HAS(l.out, "open value 42 text sealed 1 ");
	HAS(l.out, "mapped after dlclose 1\n");
	cr_assert_str_eq(l.err, "");
	ran_free(&r);
	ran_free(&l);
}

Test(run_shim, dlopen_none_leaves_nodelete_plugin)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--dlopen=none", "--",
					 FX("run-fixture"), "nodelete",
					 FX("libfixture-plugin.so")), NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "open value 42 text sealed 0 relro sealed 0\n"
			 "dlclose 0\nmapped after dlclose 1\n");
	ran_free(&r);
}

/* A library with RUNPATH $ORIGIN/plugins dlopens a bare name: the shim's
 * dlopen must find what ld.so finds for that library, in every mode. */
Test(run_shim, origin_runpath_plugin_bare_name)
{
	const char *want = "origin value 42\norigin dst value 42\n"
			   "plugin mapped 1\n";
	const char *modes[] = { "--dlopen=nodelete", "--dlopen=all",
				"--dlopen=none" };
	struct ran c = run_cmd(PLAIN(FX("run-fixture"), "origin"), NULL);

	cr_assert_str_eq(c.out, want);
	for (int i = 0; i < 3; i++) {
		struct ran r = run_cmd(MSEAL_RUN((char *)modes[i], "--",
						 FX("run-fixture"), "origin"),
				       NULL);

		cr_assert_eq(r.status, 0, "%s: %s%s", modes[i], r.out, r.err);
		cr_assert_str_eq(r.out, want, "%s", modes[i]);
		ran_free(&r);
	}
	ran_free(&c);
}

/* R21: an excluded library stays unsealed and the report says so. */
Test(run_shim, exclude_library_unsealed_and_reported)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--exclude", "libfixture-origin.so",
					 "--report", "--", FX("run-fixture"),
					 "smaps"), NULL);
	struct ran d = run_cmd(MSEAL_RUN("-x", "libfixture-nodelete.so",
					 "--report", "--", FX("run-fixture"),
					 "open", FX("libfixture-nodelete.so")),
			       NULL);

	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	HAS(r.out, "r-xp " FIXTURE_DIR "/libfixture-origin.so sealed=0\n");
	HAS(r.out, "sealing bad\n");
	cr_assert_eq(count_lines(r.out, "bad: "),
		     count_lines(r.out, "libfixture-origin.so"));
	HAS(r.err, "excluded       text");
	cr_assert_eq(count_lines(r.err, "excluded"),
		     count_lines(r.err, "libfixture-origin.so"));
	cr_assert_eq(d.status, 0, "%s%s", d.out, d.err);
	HAS(d.out, "open value 7 text sealed 0 relro sealed 0\n");
	HAS(d.err, "dlopen: excluded ");
	ran_free(&r);
	ran_free(&d);
}

Test(run_shim, children_sealed_by_default)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "exec",
					 FX("run-fixture"), "smaps"), NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	HAS(r.out, "sealing ok\n");
	ran_free(&r);
}

/* Only the shim's own LD_PRELOAD entry and LIBMSEAL_* leave. */
Test(run_shim, no_children_leaves_child_environment_clean)
{
	char pre[4200];
	/* mseal itself may be an ASan build: let it start with a preload */
	char *env[] = { pre, "ASAN_OPTIONS=verify_asan_link_order=0:"
			"detect_leaks=0", NULL };
	struct ran r, s;

	snprintf(pre, sizeof(pre), "LD_PRELOAD=%s",
		 fixture("libfixture-plugin.so"));
	r = run_cmd(MSEAL_RUN("--no-children", "--strict", "-x", "nomatch",
			      "--", FX("run-fixture"), "exec", "/usr/bin/env"),
		    env);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* The policy variables leave; the test runner's own
	 * LIBMSEAL_REQUIRE_MSEAL is not the shim's to remove. */
	LACKS(r.out, "LIBMSEAL_NO_CHILDREN=");
	LACKS(r.out, "LIBMSEAL_STRICT=");
	LACKS(r.out, "LIBMSEAL_EXCLUDE=");
	LACKS(r.out, "libmseal-preload.so");
	HAS(r.out, pre);
	s = run_cmd(MSEAL_RUN("--no-children", "--", FX("run-fixture"), "exec",
			      FX("run-fixture"), "smaps"), NULL);
	cr_assert_eq(s.status, 1, "%s%s", s.out, s.err);
	HAS(s.out, "sealing bad\n");
	ran_free(&r);
	ran_free(&s);
}

/* bash defines its own setenv/unsetenv, which change nothing before its
 * main: the shim edits environ itself (it used to loop forever here).
 * timeout(1) turns such a hang into status 124 instead of a stuck test. */
Test(run_shim, no_children_under_bash_own_setenv)
{
	char pre[4200];
	char *env[] = { pre, "ASAN_OPTIONS=verify_asan_link_order=0:"
			"detect_leaks=0", NULL };
	struct ran r, c;

	snprintf(pre, sizeof(pre), "LD_PRELOAD=%s",
		 fixture("libfixture-plugin.so"));
	r = run_cmd(MSEAL_RUN("--no-children", "--", "/usr/bin/timeout", "30",
			      "/bin/bash", "-c", "/usr/bin/env; exit 3"), env);
	c = run_cmd(PLAIN("/usr/bin/timeout", "30", "/bin/bash", "-c",
			  "/usr/bin/env; exit 3"), env);
	cr_assert_eq(c.status, 3, "%s", c.err);
	cr_assert_eq(r.status, 3, "%s", r.err);
	LACKS(r.out, "LIBMSEAL_NO_CHILDREN=");
	LACKS(r.out, "libmseal-preload.so");
	HAS(r.out, pre);
	ran_free(&r);
	ran_free(&c);
}

/* The user's LIBMSEAL_FORCE_UNSUPPORTED is not the shim's policy: with
 * --no-children it still holds in PROG (libmseal reads it after the shim
 * cleaned the environment) and reaches PROG's children. */
Test(run_shim, no_children_keeps_force_unsupported)
{
	char *env[] = { "LIBMSEAL_FORCE_UNSUPPORTED=1", NULL };
	struct ran r = run_cmd(MSEAL_RUN("--no-children", "--",
					 FX("run-fixture"), "smaps"), env);
	struct ran e = run_cmd(MSEAL_RUN("--no-children", "--report", "--",
					 FX("run-fixture"), "exec",
					 "/usr/bin/env"), env);

	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	HAS(r.out, "sealing bad\n");
	cr_assert_eq(e.status, 0, "%s", e.err);
	HAS(e.out, "LIBMSEAL_FORCE_UNSUPPORTED=1\n");
	LACKS(e.out, "LIBMSEAL_REPORT");
	LACKS(e.out, "LIBMSEAL_NO_CHILDREN");
	ran_free(&r);
	ran_free(&e);
}

Test(run_shim, strict_failure_exits_125_before_main)
{
	char *env[] = { "LIBMSEAL_FORCE_UNSUPPORTED=1", NULL };
	struct ran r = run_cmd(MSEAL_RUN("--strict", "--", FX("run-fixture"),
					 "exit", "0"), env);

	cr_assert_eq(r.status, 125);
	cr_assert_str_eq(r.out, "");
	HAS(r.err, "libmseal: strict: sealing unavailable: ");
	ran_free(&r);
}

Test(run_shim, report_to_stderr_and_file_and_json)
{
	test_require_mseal();
	char file[] = "/tmp/mseal-run-report-XXXXXX";
	int fd = mkstemp(file);
	struct ran t, j, v;

	cr_assert(fd >= 0);
	close(fd);
	t = run_cmd(MSEAL_RUN("--report", "--", FX("run-fixture"), "exit", "4"),
		    NULL);
	cr_assert_eq(t.status, 4);
	HAS(t.err, " startup: ");
	HAS(t.err, "sealed         text");
	HAS(t.err, " 0 failed\n");
	j = run_cmd(MSEAL_RUN("-J", (char *)"--report", "--", FX("run-fixture"),
			      "exit", "0"), NULL);
	cr_assert_eq(j.status, 0);
	HAS(j.err, "{\"pid\":");
	ran_free(&j);
	{
		char opt[4200];

		snprintf(opt, sizeof(opt), "--report=%s", file);
		j = run_cmd(MSEAL_RUN("-J", opt, "--", FX("run-fixture"),
				      "exit", "0"), NULL);
	}
	cr_assert_eq(j.status, 0);
	cr_assert_str_eq(j.err, "");
	v = run_cmd(PLAIN("/usr/bin/python3", "-c",
			  "import json,sys; d=json.load(open(sys.argv[1]));"
			  "print(d['supported'], d['ranges_failed'],"
			  " all(r['status']=='sealed' for o in d['objects']"
			  " for r in o['ranges']))", file), NULL);
	cr_assert_str_eq(v.out, "True 0 True\n", "%s", v.err);
	unlink(file);
	ran_free(&t);
	ran_free(&j);
	ran_free(&v);
}

/* Each report (startup, then the dlopen) reaches the shared report file in
 * one write(2) of whole lines, so a process tree appending to it at once
 * keeps its JSON lines apart (stdio flushed long ones in pieces). */
Test(run_shim, report_one_write_per_process_report)
{
	char file[] = "/tmp/mseal-run-report-XXXXXX";
	char opt[4200], pre[4200];
	char *env[] = { pre, "ASAN_OPTIONS=verify_asan_link_order=0:"
			"detect_leaks=0", NULL };
	int fd = mkstemp(file);
	struct ran r;

	cr_assert(fd >= 0);
	close(fd);
	snprintf(opt, sizeof(opt), "--report=%s", file);
	snprintf(pre, sizeof(pre), "LD_PRELOAD=%s",
		 fixture("libfixture-write-probe.so"));
	r = run_cmd(MSEAL_RUN("-J", opt, "--dlopen=all", "--",
			      FX("run-fixture"), "open",
			      FX("libfixture-plugin.so")), env);
	unlink(file);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.err, "write-probe: whole"), 2, "%s", r.err);
	LACKS(r.err, "write-probe: partial");
	ran_free(&r);
}

/* -J --report (stderr): the note on an excluded late object is a JSON
 * line like the startup report, not a text line among JSON ones. */
Test(run_shim, json_report_on_stderr_excluded_dlopen_is_json)
{
	struct ran r = run_cmd(MSEAL_RUN("-J", "--report", "-x",
					 "libfixture-nodelete.so", "--",
					 FX("run-fixture"), "open",
					 FX("libfixture-nodelete.so")), NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	HAS(r.err, "\"phase\":\"dlopen\",\"excluded\":\"");
	LACKS(r.err, "libmseal: pid ");
	cr_assert_eq(count_lines(r.err, "{\"pid\":"), 2, "%s", r.err);
	ran_free(&r);
}

/* R05: one line per mseal call naming the call, the range, the errno. */
Test(run_shim, debug_lines_name_mseal)
{
	test_require_mseal();
	char *env[] = { "LIBMSEAL_DEBUG=1", NULL };
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "exit", "0"),
			       env);
	int calls = count_lines(r.err, "libmseal: mseal(0x");

	cr_assert_eq(r.status, 0);
	cr_assert_gt(calls, 3);
	cr_assert_eq(calls, count_lines(r.err, ", 0) = 0 /"));
	HAS(r.err, " mseal calls, ");
	ran_free(&r);
}

Test(run_shim, exit_codes_like_env)
{
	struct ran nf = run_cmd(MSEAL_RUN("--", "/nonexistent/prog"), NULL);
	char plain[] = "/tmp/mseal-run-noexec-XXXXXX";
	int fd = mkstemp(plain);
	struct ran np;

	cr_assert(fd >= 0);
	close(fd);
	np = run_cmd(MSEAL_RUN("--", plain), NULL);
	unlink(plain);
	struct ran own = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "exit",
					   "7"), NULL);
	struct ran bad = run_cmd(MSEAL_RUN("--dlopen=some", "--", "true"),
				 NULL);
	struct ran none = run_cmd(MSEAL_RUN("--report"), NULL);

	cr_assert_eq(nf.status, 127);
	HAS(nf.err, "mseal: run: cannot run '/nonexistent/prog': ");
	cr_assert_eq(np.status, 126);
	cr_assert_eq(own.status, 7);
	cr_assert_eq(bad.status, 125);
	HAS(bad.err, "mseal: run: --dlopen=some");
	cr_assert_eq(none.status, 125);
	ran_free(&nf);
	ran_free(&np);
	ran_free(&own);
	ran_free(&bad);
	ran_free(&none);
}

/* A bad option is one "mseal: run: ..." line (getopt's own message began
 * "run:" and came with the whole usage text), exit 125 as env(1). */
Test(run_shim, bad_option_one_mseal_line)
{
	struct ran u = run_cmd(MSEAL_RUN("--bogus", "--", "true"), NULL);
	struct ran g = run_cmd(MSEAL_RUN("-gq", "--", "true"), NULL);
	struct ran a = run_cmd(MSEAL_RUN("--exclude"), NULL);

	cr_assert_eq(u.status, 125);
	cr_assert_str_eq(u.err, "mseal: run: invalid option '--bogus'; see "
			 "'mseal run --help'\n");
	cr_assert_eq(g.status, 125);
	cr_assert_str_eq(g.err, "mseal: run: invalid option '-q'; see "
			 "'mseal run --help'\n");
	cr_assert_eq(a.status, 125);
	cr_assert_str_eq(a.err, "mseal: run: option '--exclude' needs an "
			 "argument; see 'mseal run --help'\n");
	cr_assert_str_eq(u.out, "");
	ran_free(&u);
	ran_free(&g);
	ran_free(&a);
}

/* --report's argument is optional, so "--report FILE -- PROG" would run
 * FILE: with a "--" still to come that is one "mseal: run:" line and 125,
 * FILE untouched. "--report -- PROG" and "--report PROG ARGS" (no "--")
 * still report to stderr and run PROG. */
Test(run_shim, report_file_after_space_refused)
{
	char file[] = "/tmp/mseal-run-report-XXXXXX";
	char want[4400], kept[8] = { 0 };
	int fd = mkstemp(file);
	struct ran l, s, dash, bare;

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "kept", 4), 4);
	close(fd);
	l = run_cmd(MSEAL_RUN("--report", file, "--", FX("run-fixture"),
			      "exit", "0"), NULL);
	s = run_cmd(MSEAL_RUN("-gr", file, "-x", "libz*", "--",
			      FX("run-fixture"), "exit", "0"), NULL);
	fd = open(file, O_RDONLY);
	cr_assert(fd >= 0);
	cr_assert_eq(read(fd, kept, sizeof(kept) - 1), 4);
	close(fd);
	unlink(file);
	cr_assert_str_eq(kept, "kept");
	cr_assert_eq(l.status, 125);
	cr_assert_str_eq(l.out, "");
	snprintf(want, sizeof(want), "mseal: run: --report takes its file as "
		 "--report=FILE (put -- before PROG when '%s' is the "
		 "program)\n", file);
	cr_assert_str_eq(l.err, want);
	cr_assert_eq(s.status, 125);
	snprintf(want, sizeof(want), "mseal: run: -r takes its file as "
		 "-rFILE (put -- before PROG when '%s' is the program)\n",
		 file);
	cr_assert_str_eq(s.err, want);
	dash = run_cmd(MSEAL_RUN("--report", "--", FX("run-fixture"), "exit",
				 "3"), NULL);
	bare = run_cmd(MSEAL_RUN("--report", FX("run-fixture"), "exit", "5"),
		       NULL);
	cr_assert_eq(dash.status, 3, "%s", dash.err);
	HAS(dash.err, " startup: ");
	LACKS(dash.err, "mseal: run:");
	cr_assert_eq(bare.status, 5, "%s", bare.err);
	HAS(bare.err, " startup: ");
	LACKS(bare.err, "mseal: run:");
	ran_free(&l);
	ran_free(&s);
	ran_free(&dash);
	ran_free(&bare);
}

Test(run_shim, static_program_one_warning_runs_unsealed)
{
	struct ran r = run_cmd(MSEAL_RUN("--", FX("static-prog")), NULL);
	struct ran s = run_cmd(MSEAL_RUN("--strict", "--", FX("static-prog")),
			       NULL);

	cr_assert_eq(r.status, 3);
	cr_assert_str_eq(r.out, "static ran\n");
	cr_assert_eq(count_lines(r.err, ""), 1, "%s", r.err);
	HAS(r.err, "mseal: warning: run: ");
	HAS(r.err, "is statically linked");
	cr_assert_eq(s.status, 125);
	cr_assert_str_eq(s.out, "");
	ran_free(&r);
	ran_free(&s);
}

Test(run_shim, script_warning_names_interpreter)
{
	char path[] = "/tmp/mseal-run-script-XXXXXX";
	int fd = mkstemp(path);
	struct ran r;

	cr_assert(fd >= 0);
	cr_assert(write(fd, "#!/bin/sh\necho script ran\nexit 9\n", 33) == 33);
	close(fd);
	chmod(path, 0755);
	r = run_cmd(MSEAL_RUN("--", path), NULL);
	unlink(path);
	cr_assert_eq(r.status, 9);
	cr_assert_str_eq(r.out, "script ran\n");
	cr_assert_eq(count_lines(r.err, ""), 1, "%s", r.err);
	HAS(r.err, "is a #! script: its interpreter /bin/sh is what gets sealed");
	ran_free(&r);
}

/* AT_SECURE: ld.so ignores LD_PRELOAD paths; one warning, runs unsealed. */
Test(run_shim, setuid_program_one_warning)
{
	char dir[] = "/tmp/mseal-run-suid-XXXXXX", prog[64];
	struct ran r, s;

	cr_assert(mkdtemp(dir));
	chmod(dir, 0755);
	snprintf(prog, sizeof(prog), "%s/true", dir);
	r = run_cmd(PLAIN("cp", "/usr/bin/true", prog), NULL);
	ran_free(&r);
	cr_assert_eq(chown(prog, 65534, 65534), 0);
	cr_assert_eq(chmod(prog, 04755), 0);
	r = run_cmd(MSEAL_RUN("--", prog), NULL);
	s = run_cmd(MSEAL_RUN("--strict", "--", prog), NULL);
	unlink(prog);
	rmdir(dir);
	if (getuid() == 65534)
		cr_skip_test("running as the owner of the setuid copy");
	cr_assert_eq(r.status, 0);
	cr_assert_eq(count_lines(r.err, ""), 1, "%s", r.err);
	HAS(r.err, "secure-execution mode");
	cr_assert_eq(s.status, 125);
	ran_free(&r);
	ran_free(&s);
}

Test(run_shim, force_unsupported_runs_unchanged)
{
	char *env[] = { "LIBMSEAL_FORCE_UNSUPPORTED=1", NULL };
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "mprotect"),
			       env);
	struct ran t = run_cmd(MSEAL_RUN("--report", "--", FX("run-fixture"),
					 "exit", "0"), env);

	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "mprotect ok\ntext sealed 0\nalive\n");
	cr_assert_str_eq(r.err, "");
	HAS(t.err, "nothing sealed: LIBMSEAL_FORCE_UNSUPPORTED is set");
	ran_free(&r);
	ran_free(&t);
}

/* R04: seccomp answering EPERM for mseal: default mode runs and says so
 * in one line naming seccomp; strict stops with an explicit message. */
Test(run_shim, seccomp_eperm_default_runs_strict_refuses)
{
	struct ran r = run_cmd(PLAIN(FX("seccomp-exec"), "EPERM",
				     (char *)mseal_bin(), "run", "--",
				     FX("run-fixture"), "mprotect"), NULL);
	struct ran s = run_cmd(PLAIN(FX("seccomp-exec"), "EPERM",
				     (char *)mseal_bin(), "run", "--strict",
				     "--", FX("run-fixture"), "mprotect"),
			       NULL);
	struct ran n = run_cmd(PLAIN(FX("seccomp-exec"), "ENOSYS",
				     (char *)mseal_bin(), "run", "--",
				     FX("run-fixture"), "mprotect"), NULL);

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "mprotect ok\ntext sealed 0\nalive\n");
	cr_assert_eq(count_lines(r.err, ""), 1, "%s", r.err);
	HAS(r.err, "seccomp");
	cr_assert_eq(s.status, 125);
	cr_assert_str_eq(s.out, "");
	HAS(s.err, "libmseal: strict: sealing unavailable: ");
	HAS(s.err, "seccomp");
	cr_assert_eq(n.status, 0);
	cr_assert_str_eq(n.out, "mprotect ok\ntext sealed 0\nalive\n");
	ran_free(&r);
	ran_free(&s);
	ran_free(&n);
}

Test(run_shim, other_elf_class_one_warning)
{
	struct ran r, s;

	if (access(fixture("elf32"), X_OK) != 0)
		cr_skip_test("no i386 fixture in this build (not x86_64)");
	r = run_cmd(MSEAL_RUN("--", FX("elf32")), NULL);
	s = run_cmd(MSEAL_RUN("--strict", "--", FX("elf32")), NULL);
	cr_assert_eq(r.status, 4, "%s", r.err);
	cr_assert_eq(count_lines(r.err, ""), 1, "%s", r.err);
	HAS(r.err, "is of another ELF class than the shim; it runs unsealed");
	cr_assert_eq(s.status, 125);
	ran_free(&r);
	ran_free(&s);
}

/* Known limit: glibc 2.36 writes ld.so's RELRO (__stack_prot) to dlopen a
 * library that needs an executable stack; with ld.so sealed dlopen fails
 * cleanly, and excluding ld.so makes it load. */
Test(run_shim, execstack_dlopen_clean_dlerror_exclude_ldso)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "open",
					 FX("libfixture-execstack.so")), NULL);
	struct ran x = run_cmd(MSEAL_RUN("--exclude", "ld-linux*", "--",
					 FX("run-fixture"), "open",
					 FX("libfixture-execstack.so")), NULL);

	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	HAS(r.out, "dlerror: ");
	HAS(r.out, "libfixture-execstack.so: cannot change memory "
		   "protections: Operation not permitted\n");
	cr_assert_eq(x.status, 0, "%s%s", x.out, x.err);
	HAS(x.out, "open value 42 ");
	ran_free(&r);
	ran_free(&x);
}

/* The dependencies a NODELETE dlopen brought in are sealed with it; a
 * plain dlopen seals neither. */
Test(run_shim, nodelete_dlopen_seals_its_new_dependencies)
{
	test_require_mseal();
	struct ran n = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "withdep",
					 FX("libfixture-withdep.so"),
					 "nodelete"), NULL);
	struct ran p = run_cmd(MSEAL_RUN("--", FX("run-fixture"), "withdep",
					 FX("libfixture-withdep.so"), "plain"),
			       NULL);

	cr_assert_eq(n.status, 0, "%s%s", n.out, n.err);
	cr_assert_str_eq(n.out, "withdep value 42 plugin sealed 1 dep sealed 1\n");
	cr_assert_eq(p.status, 0, "%s%s", p.out, p.err);
	cr_assert_str_eq(p.out, "withdep value 42 plugin sealed 0 dep sealed 0\n");
	ran_free(&n);
	ran_free(&p);
}

/* One libmseal in the process: the program's own mseal_image() finds
 * everything the shim sealed already sealed. */
Test(run_shim, program_using_libmseal_shares_state)
{
	test_require_mseal();
	struct ran r = run_cmd(MSEAL_RUN("--", FX("uses-libmseal")), NULL);
	struct ran c = run_cmd(PLAIN(FX("uses-libmseal")), NULL);

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_eq(r.out, "ranges all already sealed\nsealed now 0\n");
	cr_assert_eq(c.status, 0);
	HAS(c.out, "ranges not all already sealed\n");
	ran_free(&r);
	ran_free(&c);
}
