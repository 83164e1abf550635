// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Object names in the preload shim's work (suite image): paths that are
 * not text in its JSON report (bytes that are not UTF-8 become \xHH as in
 * `mseal maps -J`, control characters are escaped), and --exclude on
 * dlopen()ed objects, matched by the rule mseal_image() applies at
 * startup (src/image-exclude.c): loader name, real path, basenames.
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
#define FX(name) ((char *)fixture(name))
#define HAS(text, s) cr_assert(strstr((text), (s)), \
	"expected \"%s\" in:\n%s", (s), (text))

/* A directory name with a UTF-8 "é", a 0xff byte, a double quote, a
 * newline and a tab. */
#define ODD_DIR "caf\xc3\xa9 \xff\"q\n\tx"
/* The same name as the report's JSON text must spell it. */
#define ODD_JSON "caf\xc3\xa9 \\\\xff\\\"q\\n\\tx"
/* The same name as the JSON string holds once parsed. */
#define ODD_PARSED "caf\xc3\xa9 \\xff\"q\n\tx"

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ssize_t n;

	cr_assert(in >= 0 && out >= 0, "copy %s: %m", from);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n);
	cr_assert_eq(n, 0);
	close(in);
	close(out);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	cr_assert(f && buf);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void to_hex(const char *s, char *out)
{
	for (; *s; s++, out += 2)
		sprintf(out, "%02x", (unsigned char)*s);
	*out = '\0';
}

/* Every line of @file parsed by Python's json module; per line its phase
 * and the UTF-8 bytes (hex) of the object names it holds. */
static const char parse_lines[] =
	"import json, sys\n"
	"for line in open(sys.argv[1], 'rb').read().split(b'\\n'):\n"
	"    if not line:\n"
	"        continue\n"
	"    d = json.loads(line)\n"
	"    if 'excluded' in d:\n"
	"        print(d['phase'], 'excluded', d['excluded'].encode().hex())\n"
	"    elif d['phase'] == 'startup':\n"
	"        print('startup', len(d['objects']) > 0)\n"
	"    else:\n"
	"        print(d['phase'], d['objects_seen'],\n"
	"              ' '.join(o['name'].encode().hex() for o in d['objects']))\n";

/* Run the fixture dlopen()ing @lib under `mseal run -J --report=@report`
 * (which truncates @report first), with @exclude when not NULL. */
static void run_open(const char *report, const char *lib,
		     const char *exclude, const char *want_out)
{
	char opt[400];
	struct ran r;

	snprintf(opt, sizeof(opt), "--report=%s", report);
	r = run_cmd(exclude ?
		    MSEAL_RUN("-J", opt, "-x", (char *)exclude, "--",
			      FX("run-fixture"), "open", (char *)lib) :
		    MSEAL_RUN("-J", opt, "--", FX("run-fixture"), "open",
			      (char *)lib), NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	HAS(r.out, want_out);
	ran_free(&r);
}

/* Python's verdict on @report: see parse_lines. */
static char *parsed(const char *report)
{
	struct ran p = run_cmd((char *const[]){ "/usr/bin/python3", "-c",
						(char *)parse_lines,
						(char *)report, NULL }, NULL);

	cr_assert_eq(p.status, 0, "%s", p.err);
	free(p.err);
	return p.out;
}

/* A plugin at a path that is no text, sealed on dlopen (DF_1_NODELETE) and
 * then excluded: both report lines are JSON, with the name spelled out. */
Test(run_shim_names, json_report_object_path_not_utf8)
{
	char dir[] = "/tmp/mseal-names-XXXXXX";
	char sub[256], lib[320], rep_s[320], rep_x[320], hex[1024];
	char want[2400];
	char *text_s, *text_x, *out_s, *out_x;

	cr_assert(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/" ODD_DIR, dir);
	snprintf(lib, sizeof(lib), "%s/libfixture-nodelete.so", sub);
	snprintf(rep_s, sizeof(rep_s), "%s/sealed.json", dir);
	snprintf(rep_x, sizeof(rep_x), "%s/excluded.json", dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	copy_file(FX("libfixture-nodelete.so"), lib);

	run_open(rep_s, lib, NULL, "open value 7 ");
	run_open(rep_x, lib, "libfixture-nodelete.so",
		 "open value 7 text sealed 0 relro sealed 0\n");
	text_s = read_all(rep_s);
	text_x = read_all(rep_x);
	out_s = parsed(rep_s);
	out_x = parsed(rep_x);

	/* the JSON text itself: short escapes, \\xHH, no raw byte 0xff */
	HAS(text_s, "\"objects\":[{\"name\":\"/tmp/mseal-names-");
	HAS(text_s, "/" ODD_JSON "/libfixture-nodelete.so\",\"ranges\":[");
	HAS(text_x, "\"excluded\":\"/tmp/mseal-names-");
	HAS(text_x, "/" ODD_JSON "/libfixture-nodelete.so\"}\n");
	cr_assert_null(strchr(text_s, '\xff'), "%s", text_s);
	cr_assert_null(strchr(text_x, '\xff'), "%s", text_x);

	/* every line parses, and the name is exactly the expected string */
	snprintf(want, sizeof(want), "%s/" ODD_PARSED
		 "/libfixture-nodelete.so", dir);
	to_hex(want, hex);
	snprintf(want, sizeof(want), "startup True\ndlopen 1 %s\n", hex);
	cr_assert_str_eq(out_s, want);
	snprintf(want, sizeof(want), "startup True\ndlopen excluded %s\n",
		 hex);
	cr_assert_str_eq(out_x, want);

	unlink(rep_s);
	unlink(rep_x);
	unlink(lib);
	rmdir(sub);
	rmdir(dir);
	free(text_s);
	free(text_x);
	free(out_s);
	free(out_x);
}

/* The dependency a NODELETE dlopen brings in is excluded: it stays
 * unsealed (no sl flag) while the plugin, in the same process, is sealed;
 * the control run seals both. */
Test(run_shim_names, exclude_dlopen_dependency_plugin_still_sealed)
{
	test_require_mseal();
	struct ran x = run_cmd(MSEAL_RUN("-x", "libfixture-dep.so", "--",
					 FX("run-fixture"), "withdep",
					 FX("libfixture-withdep.so"),
					 "nodelete"), NULL);
	struct ran c = run_cmd(MSEAL_RUN("-x", "libfixture-other.so", "--",
					 FX("run-fixture"), "withdep",
					 FX("libfixture-withdep.so"),
					 "nodelete"), NULL);

	cr_assert_eq(x.status, 0, "%s%s", x.out, x.err);
	cr_assert_str_eq(x.out,
			 "withdep value 42 plugin sealed 1 dep sealed 0\n");
	cr_assert_eq(c.status, 0, "%s%s", c.out, c.err);
	cr_assert_str_eq(c.out,
			 "withdep value 42 plugin sealed 1 dep sealed 1\n");
	ran_free(&x);
	ran_free(&c);
}

/* A plugin opened through a symbolic link is excluded by its real path's
 * basename, and by a pattern for the whole real path ('*' matches '/'),
 * as at startup; the control, through the same link, is sealed. */
Test(run_shim_names, exclude_dlopen_by_real_path)
{
	test_require_mseal();
	char dir[] = "/tmp/mseal-names-XXXXXX";
	char link[320];
	const char *pats[] = { "libfixture-nodelete.so",
			       "*/run/fixtures/libfixture-nodel*",
			       "alias-*.so" };
	struct ran c;

	cr_assert(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/alias-plugin.so", dir);
	cr_assert_eq(symlink(fixture("libfixture-nodelete.so"), link), 0);
	for (int i = 0; i < 3; i++) {
		struct ran x = run_cmd(MSEAL_RUN("-x", (char *)pats[i], "--",
						 FX("run-fixture"), "open",
						 link), NULL);

		cr_assert_eq(x.status, 0, "%s: %s%s", pats[i], x.out, x.err);
		HAS(x.out, "open value 7 text sealed 0 relro sealed 0\n");
		ran_free(&x);
	}
	c = run_cmd(MSEAL_RUN("-x", "libfixture-plugin.so", "--",
			      FX("run-fixture"), "open", link), NULL);
	cr_assert_eq(c.status, 0, "%s%s", c.out, c.err);
	HAS(c.out, "open value 7 text sealed 1 relro sealed 1\n");
	unlink(link);
	rmdir(dir);
	ran_free(&c);
}
