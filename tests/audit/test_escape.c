// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bytes other users choose reach our output escaped, never raw: a mapped
 * file's name in `mseal maps --pages` (text as `mseal maps` prints the
 * same bytes, JSON parsing to what `mseal maps -J` gives), a process's
 * COMM in `mseal ps` (the whole name, an embedded newline included) and
 * in its warning line. Also: a column named twice in -o is shown once,
 * and a bad PID has one wording in every command. JSON is parsed by
 * /usr/bin/python3's json module (json-field.py), which rejects bytes
 * that are not UTF-8 and, there, duplicate keys.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit-util.h"
#include "testutil.h"

/* ESC starting a colour, a byte never part of UTF-8, "é" in UTF-8, a
 * double quote and a backslash. */
#define EVIL_FILE "esc\x1b[31mred\xff" "\xc3\xa9" "\"q\\z"
/* The same as libsmartcols prints it: under a UTF-8 locale "é" is kept,
 * under C it is two unprintable bytes. */
#define EVIL_TEXT_UTF8 "esc\\x1b[31mred\\xff" "\xc3\xa9" "\"q\\z"
#define EVIL_TEXT_C "esc\\x1b[31mred\\xff\\xc3\\xa9\"q\\z"
/* ascii() of the string JSON parsers get: ESC itself, the four
 * characters \xff, U+00E9. */
#define EVIL_JSON "esc\\x1b[31mred\\\\xff\\xe9\"q\\\\z"

struct child {
	pid_t pid;
	unsigned long start, end;
	char dir[64], file[128];
};

/* A file named EVIL_FILE in a fresh directory, two pages long. */
static void make_evil_file(struct child *c)
{
	char buf[8192];
	int fd;

	snprintf(c->dir, sizeof(c->dir), "/tmp/mseal-esc-XXXXXX");
	cr_assert(mkdtemp(c->dir));
	snprintf(c->file, sizeof(c->file), "%s/%s", c->dir, EVIL_FILE);
	fd = open(c->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	cr_assert(fd >= 0);
	memset(buf, 'e', sizeof(buf));
	cr_assert_eq(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	close(fd);
}

/* A child named @comm (NULL: unchanged) mapping c->file when set; it
 * waits until killed. */
static void start_child(struct child *c, const char *comm)
{
	unsigned long range[2] = { 0, 0 };
	int fds[2];

	cr_assert(pipe(fds) == 0);
	c->pid = fork();
	cr_assert(c->pid >= 0);
	if (c->pid == 0) {
		/* gone with the test case even when an assertion ends it */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
			_exit(1);
		if (comm && prctl(PR_SET_NAME, comm, 0, 0, 0) != 0)
			_exit(1);
		if (c->file[0]) {
			int fd = open(c->file, O_RDONLY | O_CLOEXEC);
			char *p = fd < 0 ? MAP_FAILED :
				  mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);

			if (p == MAP_FAILED)
				_exit(1);
			range[0] = (unsigned long)p;
			range[1] = range[0] + 8192;
		}
		if (write(fds[1], range, sizeof(range)) != sizeof(range))
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], range, sizeof(range)), (ssize_t)sizeof(range),
		     "child setup failed");
	close(fds[0]);
	c->start = range[0];
	c->end = range[1];
}

static void stop_child(struct child *c)
{
	int status;

	kill(c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
	if (c->file[0]) {
		unlink(c->file);
		rmdir(c->dir);
	}
}

static void run_in(const char *locale, const char *const *argv,
		   struct cli_result *res)
{
	setenv("LC_ALL", locale, 1);
	run_cli(argv, res);
	cr_assert(no_sanitizer_report(res->err), "%s", res->err);
}

/* The rest of the line of @out starting with @prefix after blanks (a
 * right-aligned first column), a copy. */
static char *line_after(const char *out, const char *prefix)
{
	const char *p = out;
	size_t len = strlen(prefix);

	while (p && strncmp(p + strspn(p, " "), prefix, len) != 0) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	cr_assert(p && *p, "no line '%s' in:\n%s", prefix, out);
	p += strspn(p, " ") + len;
	return strndup(p, strcspn(p, "\n"));
}

/* ascii() of @field of the object of @array whose @key is @value in the
 * JSON document @doc, as json-field.py prints it. */
static char *json_field(const char *doc, const char *array, const char *key,
			const char *value, const char *field)
{
	char script[512], args[512];

	snprintf(script, sizeof(script), "'%s/../audit/json-field.py'",
		 TESTS_DATA_DIR);
	snprintf(args, sizeof(args), "%s %s '%s' %s", array, key, value, field);
	return python_on_doc(doc, script, args);
}

/* The page view's line for the child's mapping and `mseal maps`'s PATH
 * cell for it, under @locale: both @want after the directory. */
static void pages_text_case(const char *locale, const char *want)
{
	struct child c = { 0 };
	struct cli_result res;
	char pid[16], range[64], prefix[64], expect[512];
	const char *pages[] = { "mseal", "maps", "--pages", "--range", range, pid, NULL };
	const char *maps[] = { "mseal", "maps", "-n", "-o", "START,PATH", pid, NULL };
	char *line;

	make_evil_file(&c);
	start_child(&c, NULL);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	snprintf(range, sizeof(range), "%lx-%lx", c.start, c.end);

	run_in(locale, pages, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect(!strchr(res.out, '\033'), "raw ESC in:\n%s", res.out);
	snprintf(prefix, sizeof(prefix), "%lx-%lx ", c.start, c.end);
	line = line_after(res.out, prefix);
	snprintf(expect, sizeof(expect), "r--s        %s/%s", c.dir, want);
	cr_expect_str_eq(line, expect);
	free(line);
	cli_result_free(&res);

	/* `mseal maps` shows the very same bytes for the same path */
	run_in(locale, maps, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect(!strchr(res.out, '\033'), "raw ESC in:\n%s", res.out);
	snprintf(prefix, sizeof(prefix), "0x%lx ", c.start);
	line = line_after(res.out, prefix);
	snprintf(expect, sizeof(expect), "%s/%s", c.dir, want);
	cr_expect_str_eq(line + strspn(line, " "), expect);
	free(line);
	cli_result_free(&res);
	stop_child(&c);
}

Test(escape, pages_path_text_utf8_locale_as_maps)
{
	pages_text_case("C.UTF-8", EVIL_TEXT_UTF8);
}

Test(escape, pages_path_text_c_locale_as_maps)
{
	pages_text_case("C", EVIL_TEXT_C);
}

Test(escape, pages_path_json_parses_as_maps_json)
{
	struct child c = { 0 };
	struct cli_result res;
	char pid[16], range[64], start[32], expect[512];
	const char *pages[] = { "mseal", "maps", "--pages", "-J", "--range", range, pid, NULL };
	const char *maps[] = { "mseal", "maps", "-J", pid, NULL };
	char *got;

	make_evil_file(&c);
	start_child(&c, NULL);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	snprintf(range, sizeof(range), "%lx-%lx", c.start, c.end);
	snprintf(start, sizeof(start), "0x%lx", c.start);
	snprintf(expect, sizeof(expect), "'%s/%s'", c.dir, EVIL_JSON);

	run_in("C.UTF-8", pages, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	got = json_field(res.out, "mappings", "start", start, "path");
	cr_expect_str_eq(got, expect);
	free(got);
	cli_result_free(&res);

	run_in("C.UTF-8", maps, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	got = json_field(res.out, "mappings", "start", start, "path");
	cr_expect_str_eq(got, expect);
	free(got);
	cli_result_free(&res);
	stop_child(&c);
}

/* A quote, a backslash, a newline inside and a byte never UTF-8. */
#define EVIL_COMM "a\"b\\c\nd\xff"

Test(escape, ps_comm_whole_and_escaped_in_table)
{
	struct child c = { 0 };
	struct cli_result res;
	char pid[16];
	const char *argv[] = { "mseal", "ps", "-p", pid, "-n", "-o", "COMM", NULL };

	start_child(&c, EVIL_COMM);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	run_in("C.UTF-8", argv, &res);
	stop_child(&c);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, "a\"b\\c\\x0ad\\xff\n");
	cli_result_free(&res);
}

Test(escape, ps_comm_whole_in_valid_json)
{
	struct child c = { 0 };
	struct cli_result res;
	char pid[16];
	const char *argv[] = { "mseal", "ps", "-p", pid, "-J", "-o", "PID,COMM", NULL };
	char *got;

	start_child(&c, EVIL_COMM);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	run_in("C.UTF-8", argv, &res);
	stop_child(&c);
	cr_expect_eq(res.status, 0, "%s", res.err);
	got = json_field(res.out, "processes", "pid", pid, "comm");
	cr_expect_str_eq(got, "'a\"b\\\\c\\nd\\\\xff'");
	free(got);
	cli_result_free(&res);
}

/* Metrics are UTF-8 text too: the file must parse with prometheus_client
 * (check-prom.py), the label holding the whole name. */
Test(escape, ps_prometheus_label_parses)
{
	struct child c = { 0 };
	struct cli_result res;
	char pid[16], file[] = "/tmp/mseal-esc-prom-XXXXXX", prom[64], cmd[512];
	const char *argv[] = { "mseal", "ps", "-p", pid, "--prometheus", "--per-pid",
			       "--output", prom, NULL };
	char *text = NULL;
	size_t cap = 0;
	FILE *p;
	int status;

	cr_assert(mkdtemp(file));
	snprintf(prom, sizeof(prom), "%s/m.prom", file);
	start_child(&c, EVIL_COMM);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	run_in("C.UTF-8", argv, &res);
	stop_child(&c);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cli_result_free(&res);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 '%s/../audit/check-prom.py' '%s' 2>&1",
		 TESTS_DATA_DIR, prom);
	p = popen(cmd, "r");
	cr_assert(p);
	if (getdelim(&text, &cap, '\0', p) < 0)
		text = strdup("");
	status = pclose(p);
	unlink(prom);
	rmdir(file);
	cr_expect_eq(status, 0, "check-prom.py: %s", text);
	/* check-prom.py prints each parsed label value as it is */
	cr_expect(strstr(text, "comm=\"a\"b\\c\nd\\xff\","), "%s", text);
	free(text);
}

Test(escape, ps_warning_line_escapes_comm)
{
	struct child c = { 0 };
	struct cli_result res;
	char pid[16], want[256];
	const char *argv[] = { "mseal", "ps", "-p", pid, "-n", "-o", "PID", NULL };

	/* the child is root's: nobody may read its smaps, not its comm */
	start_child(&c, "ev\x1b[31mil\x07");
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	setenv("LC_ALL", "C.UTF-8", 1);
	run_cli_as(argv, 65534, &res);
	stop_child(&c);
	cr_assert(no_sanitizer_report(res.err), "%s", res.err);
	cr_expect_eq(res.status, 0, "%s", res.err);
	snprintf(want, sizeof(want),
		 "mseal: warning: ps: cannot read 1 process: %s (ev\\x1b[31mil\\x07)\n",
		 pid);
	cr_expect_str_eq(res.err, want);
	cli_result_free(&res);
}

Test(escape, column_named_twice_shown_once)
{
	struct child c = { 0 };
	struct cli_result res;
	char pid[16], start[32], want[64], expect[512];
	const char *maps[] = { "mseal", "maps", "-J", "-o", "START,PATH,start", pid, NULL };
	const char *ps[] = { "mseal", "ps", "-p", pid, "-n", "-o", "PID,pid,PID", NULL };
	const char *ps_json[] = { "mseal", "ps", "-p", pid, "-J", "-o", "PID,COMM,PID", NULL };
	char *got;

	make_evil_file(&c);
	start_child(&c, "twice");
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	snprintf(start, sizeof(start), "0x%lx", c.start);

	/* json-field.py fails on a key written twice in one object */
	run_in("C.UTF-8", maps, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	got = json_field(res.out, "mappings", "start", start, "path");
	snprintf(expect, sizeof(expect), "'%s/%s'", c.dir, EVIL_JSON);
	cr_expect_str_eq(got, expect);
	free(got);
	cli_result_free(&res);

	run_in("C.UTF-8", ps, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	snprintf(want, sizeof(want), "%s\n", pid); /* right-aligned */
	cr_expect_str_eq(res.out + strspn(res.out, " "), want);
	cli_result_free(&res);

	run_in("C.UTF-8", ps_json, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	got = json_field(res.out, "processes", "pid", pid, "comm");
	cr_expect_str_eq(got, "'twice'");
	free(got);
	cli_result_free(&res);
	stop_child(&c);
}

Test(escape, invalid_pid_one_wording)
{
	const char *maps[] = { "mseal", "maps", "12x", NULL };
	const char *pages[] = { "mseal", "maps", "--pages", "12x", NULL };
	const char *ps[] = { "mseal", "ps", "-p", "12x", NULL };
	struct cli_result res;

	run_in("C.UTF-8", maps, &res);
	cr_expect_eq(res.status, 1);
	cr_expect_str_eq(res.err, "mseal: maps: invalid PID '12x'\n");
	cli_result_free(&res);
	run_in("C.UTF-8", pages, &res);
	cr_expect_eq(res.status, 1);
	cr_expect_str_eq(res.err, "mseal: maps --pages: invalid PID '12x'\n");
	cli_result_free(&res);
	/* ps names the option too (-p takes a list) */
	run_in("C.UTF-8", ps, &res);
	cr_expect_eq(res.status, 1);
	cr_expect(strstr(res.err, "invalid PID") && strstr(res.err, "'12x'") &&
		  !strstr(res.err, "bad PID"), "%s", res.err);
	cli_result_free(&res);
}
