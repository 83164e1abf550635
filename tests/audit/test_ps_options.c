// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal ps -p` is strict (an empty list or element, or a non-number, is
 * a usage error: a script's `-p "$EMPTY"` must not list every process; a
 * PID named twice is one row), and `--proc-root` is checked by every
 * command that takes it (ps, maps, maps --pages): empty, not a directory,
 * missing, or without the PID. Each case: exit status 1, nothing on
 * stdout, one exact line on stderr.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit-util.h"

static void expect_usage_error(const char *const *argv, const char *err)
{
	struct cli_result res;

	run_cli(argv, &res);
	cr_expect_eq(res.status, 1, "%s %s %s: exit %d", argv[1], argv[2],
		     argv[3] ? argv[3] : "", res.status);
	cr_expect_str_eq(res.out, "");
	cr_expect_str_eq(res.err, err);
	cli_result_free(&res);
}

/* `mseal ps -p LIST` on live /proc: an error, never a scan of it all. */
static void expect_pid_error(const char *list, const char *err)
{
	const char *argv[] = { "mseal", "ps", "-p", list, NULL };

	expect_usage_error(argv, err);
}

Test(ps_pid_list, empty_list_is_an_error)
{
	const char *long_opt[] = { "mseal", "ps", "--pid=", NULL };

	expect_pid_error("", "mseal: ps: -p: '': empty list\n");
	expect_usage_error(long_opt, "mseal: ps: -p: '': empty list\n");
}

Test(ps_pid_list, empty_element_is_an_error)
{
	expect_pid_error(",", "mseal: ps: -p: ',': empty PID\n");
	expect_pid_error("1,", "mseal: ps: -p: '1,': empty PID\n");
	expect_pid_error(",1", "mseal: ps: -p: ',1': empty PID\n");
	expect_pid_error("1,,2", "mseal: ps: -p: '1,,2': empty PID\n");
}

Test(ps_pid_list, non_number_is_an_error)
{
	expect_pid_error("12x", "mseal: ps: -p: '12x': invalid PID\n");
	expect_pid_error("1,abc", "mseal: ps: -p: 'abc': invalid PID\n");
	expect_pid_error("self", "mseal: ps: -p: 'self': invalid PID\n");
	expect_pid_error("0", "mseal: ps: -p: '0': invalid PID\n");
	expect_pid_error("-1", "mseal: ps: -p: '-1': invalid PID\n");
	expect_pid_error("+1", "mseal: ps: -p: '+1': invalid PID\n");
	expect_pid_error(" 1", "mseal: ps: -p: ' 1': invalid PID\n");
	expect_pid_error("1 ,2", "mseal: ps: -p: '1 ': invalid PID\n");
	expect_pid_error("2147483648",
			 "mseal: ps: -p: '2147483648': invalid PID\n");
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The value of the unlabelled sample of @name in @text ("" when none),
 * as "NAME VALUE" or "NAME{} VALUE" (static). */
static const char *metric_value(const char *text, const char *name)
{
	static char value[64];
	size_t len = strlen(name);
	const char *p = text;

	value[0] = '\0';
	while (p) {
		const char *v = p + len;

		if (strncmp(p, name, len) == 0) {
			if (strncmp(v, "{}", 2) == 0)
				v += 2;
			if (*v == ' ' && sscanf(v + 1, "%63[^\n]", value) == 1)
				break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return value;
}

Test(ps_pid_list, pid_named_twice_is_shown_once)
{
	const char *root = canned_tree("proc");
	const char *twice[] = { "mseal", "ps", "--proc-root", root, "-p", "100,100",
				"-n", "-r", "-o", "PID", NULL };
	const char *mixed[] = { "mseal", "ps", "--proc-root", root, "-p", "300,100,300",
				"--pid", "100", "-n", "-r", "-o", "PID", NULL };
	const char *table[] = { "mseal", "ps", "--proc-root", root, "-p", "100,100",
				NULL };
	const char *prom[] = { "mseal", "ps", "--proc-root", root, "-p", "100,100",
			       "--prometheus", NULL };
	struct cli_result res;

	run_cli(twice, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, "100\n");
	cr_expect_str_eq(res.err, "");
	cli_result_free(&res);
	run_cli(mixed, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, "100\n300\n");
	cli_result_free(&res);
	/* the summary counts the process once */
	run_cli(table, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_eq(count(res.out, "\n  100 sealed-app "), 1, "%s", res.out);
	cr_expect(strstr(res.out, "\n\n1 process"), "%s", res.out);
	cr_expect(strstr(res.out, " 1 with sealed mappings; [vdso] sealed in 1, "
			 "unsealed in 0, partly in 0, no system mappings in 0\n"),
		  "%s", res.out);
	cli_result_free(&res);
	run_cli(prom, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(metric_value(res.out, "mseal_processes"), "1");
	cli_result_free(&res);
	canned_tree_remove(root);
}

/* @root refused the same way by ps, maps and maps --pages; @pid is what
 * maps is given, @err the message after "mseal: CMD: ". */
static void expect_root_error(const char *root, const char *pid,
			      const char *err)
{
	const char *ps[] = { "mseal", "ps", "--proc-root", root, NULL };
	const char *maps[] = { "mseal", "maps", "--proc-root", root, pid, NULL };
	const char *pages[] = { "mseal", "maps", "--pages", "--proc-root", root,
				pid, NULL };
	char want[1024];

	snprintf(want, sizeof(want), "mseal: ps: %s\n", err);
	expect_usage_error(ps, want);
	snprintf(want, sizeof(want), "mseal: maps: %s\n", err);
	expect_usage_error(maps, want);
	snprintf(want, sizeof(want), "mseal: maps --pages: %s\n", err);
	expect_usage_error(pages, want);
}

Test(proc_root, empty_is_a_usage_error)
{
	expect_root_error("", "1", "--proc-root: empty directory name");
	expect_root_error("", "self", "--proc-root: empty directory name");
}

Test(proc_root, file_is_not_a_directory)
{
	const char *root = canned_tree("proc");
	char file[512], err[1024];

	snprintf(file, sizeof(file), "%s/100/comm", root);
	snprintf(err, sizeof(err), "--proc-root %s: Not a directory", file);
	expect_root_error(file, "100", err);
	canned_tree_remove(root);
}

Test(proc_root, missing_directory)
{
	const char *root = canned_tree("proc");
	char dir[512], err[1024];

	snprintf(dir, sizeof(dir), "%s/no-such-tree", root);
	snprintf(err, sizeof(err), "--proc-root %s: No such file or directory",
		 dir);
	expect_root_error(dir, "100", err);
	canned_tree_remove(root);
}

/* A tree without the PID's directory, or where it is a file. */
Test(proc_root, directory_without_the_pid)
{
	const char *root = canned_tree("proc");
	const char *ps[] = { "mseal", "ps", "--proc-root", root, "-p", "100,999", NULL };
	const char *maps[] = { "mseal", "maps", "--proc-root", root, "999", NULL };
	const char *self[] = { "mseal", "maps", "--proc-root", root, "self", NULL };
	const char *pages[] = { "mseal", "maps", "--pages", "--proc-root", root,
				"999", NULL };
	const char *file[] = { "mseal", "maps", "--proc-root", root, "777", NULL };
	char want[1024], path[512];
	int fd;

	snprintf(want, sizeof(want), "mseal: ps: --proc-root %s: no process 999: "
		 "No such file or directory\n", root);
	expect_usage_error(ps, want);
	snprintf(want, sizeof(want), "mseal: maps: --proc-root %s: no process 999: "
		 "No such file or directory\n", root);
	expect_usage_error(maps, want);
	snprintf(want, sizeof(want), "mseal: maps: --proc-root %s: no process self: "
		 "No such file or directory\n", root);
	expect_usage_error(self, want);
	snprintf(want, sizeof(want), "mseal: maps --pages: --proc-root %s: no "
		 "process 999: No such file or directory\n", root);
	expect_usage_error(pages, want);
	snprintf(path, sizeof(path), "%s/777", root);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	cr_assert(fd >= 0);
	close(fd);
	snprintf(want, sizeof(want), "mseal: maps: --proc-root %s: no process 777: "
		 "Not a directory\n", root);
	expect_usage_error(file, want);
	canned_tree_remove(root);
}
