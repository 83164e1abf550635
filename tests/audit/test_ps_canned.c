// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal ps` on a canned /proc tree (tests/data/audit/proc) whose object
 * files are fixture ELFs built by the tests: golden output, options, the
 * unreadable-process line, R02 (no [vdso]), R03 (two [vdso] lines), R32
 * (unknown VmFlags), and the Prometheus file.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit-util.h"

#define UNREADABLE "mseal: warning: ps: cannot read 1 process: 500 (locked)\n"

static void golden(const char *const *argv, const char *expected_file)
{
	char path[512];
	struct cli_result res;
	char *want;

	snprintf(path, sizeof(path), "%s/audit/expected/%s", TESTS_DATA_DIR,
		 expected_file);
	want = read_text(path);
	cr_assert(want, "no %s", path);
	run_cli(argv, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, want);
	cr_expect_str_eq(res.err, UNREADABLE);
	free(want);
	cli_result_free(&res);
}

Test(ps_canned, raw_every_column)
{
	const char *root = canned_tree("proc");
	const char *argv[] = { "mseal", "ps", "--proc-root", root, "-r", "-b",
			       "--output-all", NULL };

	golden(argv, "ps-raw-all.txt");
	canned_tree_remove(root);
}

Test(ps_canned, default_table_and_summary)
{
	const char *root = canned_tree("proc");
	const char *argv[] = { "mseal", "ps", "--proc-root", root, NULL };

	golden(argv, "ps-table.txt");
	canned_tree_remove(root);
}

Test(ps_canned, pid_list_json_and_sort)
{
	const char *root = canned_tree("proc");
	const char *json[] = { "mseal", "ps", "--proc-root", root, "-p", "300,100",
			       "-J", "-o", "PID,VDSO,TEXT,RODATA", NULL };
	const char *sorted[] = { "mseal", "ps", "--proc-root", root, "-n", "-r",
				 "--sort", "coverage", "-o", "PID", NULL };
	struct cli_result res;

	run_cli(json, &res);
	cr_expect_eq(res.status, 0);
	cr_expect_str_eq(res.out,
		"{\n   \"processes\": [\n"
		"      {\n         \"pid\": 100,\n         \"vdso\": \"yes\",\n"
		"         \"text\": 100.0,\n         \"rodata\": 100.0\n      },{\n"
		"         \"pid\": 300,\n         \"vdso\": \"partly\",\n"
		"         \"text\": 100.0,\n         \"rodata\": null\n      }\n   ]\n}\n");
	cr_expect_str_eq(res.err, "");
	cli_result_free(&res);
	run_cli(sorted, &res);
	cr_expect_eq(res.status, 0);
	cr_expect_str_eq(res.out, "200\n100\n300\n400\n");
	cli_result_free(&res);
	canned_tree_remove(root);
}

Test(ps_canned, missing_pid_and_bad_options)
{
	const char *root = canned_tree("proc");
	const char *missing[] = { "mseal", "ps", "--proc-root", root, "-p", "999", NULL };
	const char *badcol[] = { "mseal", "ps", "--proc-root", root, "--sort", "NOPE", NULL };
	const char *badpid[] = { "mseal", "ps", "-p", "12x", NULL };
	struct cli_result res;
	char want[1024];

	run_cli(missing, &res);
	cr_expect_eq(res.status, 1);
	snprintf(want, sizeof(want), "mseal: ps: --proc-root %s: no process "
		 "999: No such file or directory\n", root);
	cr_expect_str_eq(res.err, want);
	cli_result_free(&res);
	run_cli(badcol, &res);
	cr_expect_eq(res.status, 1);
	cr_expect_str_eq(res.err, "mseal: ps: unknown sort column 'NOPE' (-H lists them)\n");
	cli_result_free(&res);
	run_cli(badpid, &res);
	cr_expect_eq(res.status, 1);
	cr_expect_str_eq(res.err, "mseal: ps: -p: '12x': invalid PID\n");
	cli_result_free(&res);
	canned_tree_remove(root);
}

Test(ps_canned, kernel_config_from_config_gz)
{
	const char *root = canned_tree("proc");
	const char *argv[] = { "mseal", "ps", "--proc-root", root, "-p", "100", NULL };
	char cmd[512], want[512];
	struct cli_result res;

	snprintf(cmd, sizeof(cmd),
		 "printf 'CONFIG_MSEAL=y\\nCONFIG_MSEAL_SYSTEM_MAPPINGS=y\\n' | gzip -c > '%s/config.gz'",
		 root);
	cr_assert(system(cmd) == 0);
	run_cli(argv, &res);
	cr_expect_eq(res.status, 0);
	snprintf(want, sizeof(want),
		 "CONFIG_MSEAL_SYSTEM_MAPPINGS=y (from %s/config.gz)\n", root);
	cr_expect(strstr(res.out, want), "%s", res.out);
	cli_result_free(&res);
	canned_tree_remove(root);
}

static char *metrics(const char *file)
{
	char cmd[1024];
	FILE *p;
	char *text = NULL;
	size_t cap = 0;
	int status;

	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 '%s/../audit/check-prom.py' '%s' 2>&1",
		 TESTS_DATA_DIR, file);
	p = popen(cmd, "r");
	cr_assert(p);
	if (getdelim(&text, &cap, '\0', p) < 0)
		text = strdup("");
	status = pclose(p);
	cr_assert_eq(status, 0, "check-prom.py: %s", text);
	return text;
}

Test(ps_canned, prometheus_file_parses_with_unique_series)
{
	const char *root = canned_tree("proc");
	char file[512];
	const char *argv[] = { "mseal", "ps", "--proc-root", root, "--prometheus",
			       "--per-pid", "--output", file, NULL };
	struct cli_result res;
	struct dirent *de;
	char *text;
	DIR *d;

	snprintf(file, sizeof(file), "%s/mseal.prom", root);
	run_cli(argv, &res);
	cr_assert_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, "");
	cli_result_free(&res);
	text = metrics(file);
	cr_expect(strstr(text, "mseal_processes{} 4\n"), "%s", text);
	cr_expect(strstr(text, "mseal_unreadable_processes{} 1\n"));
	cr_expect(strstr(text, "mseal_exe_processes{exe=\"/usr/bin/sealed-app\"} 2\n"));
	cr_expect(strstr(text, "mseal_exe_image_sealed_bytes{class=\"rodata\",exe=\"/usr/bin/sealed-app\"} 16384\n"));
	cr_expect(strstr(text, "mseal_exe_coverage_ratio{exe=\"/usr/bin/plain-app\"} 0\n"));
	/* label values with quote, backslash and space survive escaping */
	cr_expect(strstr(text, "mseal_process_sealed_mappings{comm=\"odd \"app\"\\x\",exe=\"/usr/bin/odd app\",pid=\"300\"} 3\n"),
		  "%s", text);
	cr_expect(strstr(text, "mseal_machine_image_bytes{class=\"text\"} 20480\n"));
	free(text);
	/* written atomically: no temporary file left beside it */
	d = opendir(root);
	cr_assert(d);
	while ((de = readdir(d)))
		cr_expect(strncmp(de->d_name, ".mseal.prom", 11) != 0, "left %s", de->d_name);
	closedir(d);
	canned_tree_remove(root);
}

Test(ps_canned, prometheus_to_stdout_without_per_pid)
{
	const char *root = canned_tree("proc");
	const char *argv[] = { "mseal", "ps", "--proc-root", root, "--prometheus", NULL };
	struct cli_result res;
	char file[512];
	FILE *f;

	run_cli(argv, &res);
	cr_assert_eq(res.status, 0);
	cr_expect(!strstr(res.out, "pid=\""));
	cr_expect(strstr(res.out, "# HELP mseal_exe_coverage_ratio "));
	cr_expect(strstr(res.out, "# TYPE mseal_exe_coverage_ratio gauge\n"));
	snprintf(file, sizeof(file), "%s/stdout.prom", root);
	f = fopen(file, "w");
	cr_assert(f);
	fputs(res.out, f);
	fclose(f);
	free(metrics(file));
	cli_result_free(&res);
	canned_tree_remove(root);
}

/* `mseal maps --classes`: classes from the fixture's program headers
 * (100), and by permissions where the object's file is missing (300). */
static void maps_golden(const char *pid, const char *cols, const char *file)
{
	const char *root = canned_tree("proc");
	const char *argv[] = { "mseal", "maps", "--classes", "-r", "-b", "-o", cols,
			       "--proc-root", root, pid, NULL };
	char path[512];
	struct cli_result res;
	char *want;

	snprintf(path, sizeof(path), "%s/audit/expected/%s", TESTS_DATA_DIR, file);
	want = read_text(path);
	cr_assert(want, "no %s", path);
	run_cli(argv, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, want);
	cr_expect_str_eq(res.err, "");
	free(want);
	cli_result_free(&res);
	canned_tree_remove(root);
}

Test(ps_canned, maps_classes_from_program_headers)
{
	maps_golden("100", "START,END,PERMS,SEALED,PATH", "maps-classes-100.txt");
}

Test(ps_canned, maps_classes_by_permissions_without_elf)
{
	maps_golden("300", "START,PERMS,SEALED,PATH", "maps-classes-300.txt");
}

/* -o is --output: with --prometheus a file. A column list typed by habit
 * must be refused, not written as a file named after it. */
Test(ps_canned, prometheus_output_must_end_in_prom)
{
	const char *root = canned_tree("proc");
	char file[512];
	const char *argv[] = { "mseal", "ps", "--proc-root", root, "--prometheus",
			       "-o", file, NULL };
	struct cli_result res;

	snprintf(file, sizeof(file), "%s/PID,COMM", root);
	run_cli(argv, &res);
	cr_assert_eq(res.status, 1);
	cr_expect_str_eq(res.out, "");
	cr_expect(strstr(res.err, "mseal: ps: --prometheus --output FILE: FILE "
				  "must end in .prom"));
	cr_expect_eq(access(file, F_OK), -1);
	cli_result_free(&res);
	canned_tree_remove(root);
}

/*
 * Issue 6: seals made by the seccomp emulation set no "sl" flag, so a
 * process sealed that way reads 0%; ps names the filters instead. In
 * tests/data/audit/seccomp 600 runs under one filter, 700 under none, 800
 * under filters of a kernel before 5.9 (no Seccomp_filters line).
 */
Test(ps_canned, seccomp_column_and_summary_line)
{
	const char *root = canned_tree("seccomp");
	const char *table[] = { "mseal", "ps", "--proc-root", root, NULL };
	const char *json[] = { "mseal", "ps", "--proc-root", root, "-J", "-o",
			       "PID,SECCOMP", NULL };
	const char *one[] = { "mseal", "ps", "--proc-root", root, "-p", "600",
			      "-o", "PID,COVERAGE,SECCOMP", NULL };
	const char *none[] = { "mseal", "ps", "--proc-root", root, "-p", "700",
			       "-o", "PID,COVERAGE,SECCOMP", NULL };
	char path[512];
	struct cli_result res;
	char *want;

	snprintf(path, sizeof(path), "%s/audit/expected/ps-seccomp-table.txt",
		 TESTS_DATA_DIR);
	want = read_text(path);
	cr_assert(want, "no %s", path);
	run_cli(table, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, want);
	cr_expect_str_eq(res.err, "");
	free(want);
	cli_result_free(&res);
	run_cli(json, &res);
	cr_expect_eq(res.status, 0);
	cr_expect_str_eq(res.out,
		"{\n   \"processes\": [\n"
		"      {\n         \"pid\": 600,\n         \"seccomp\": 1\n      },{\n"
		"         \"pid\": 700,\n         \"seccomp\": 0\n      },{\n"
		"         \"pid\": 800,\n         \"seccomp\": null\n      }\n   ]\n}\n");
	cli_result_free(&res);
	run_cli(one, &res);
	cr_expect_eq(res.status, 0);
	cr_expect_str_eq(res.out,
		"  PID COVERAGE SECCOMP\n  600       0%       1\n\n"
		"1 process, 0 with sealed mappings; [vdso] sealed in 0, "
		"unsealed in 0, partly in 0, no system mappings in 1\n"
		"1 process runs under seccomp filters: seals made by libmseal's "
		"seccomp emulation are not counted as sealed (-o +SECCOMP shows "
		"the filters)\n"
		"CONFIG_MSEAL_SYSTEM_MAPPINGS unknown (no readable kernel config)\n");
	cli_result_free(&res);
	/* control: no filter, no line */
	run_cli(none, &res);
	cr_expect_eq(res.status, 0);
	cr_expect_str_eq(res.out,
		"  PID COVERAGE SECCOMP\n  700       0%       0\n\n"
		"1 process, 0 with sealed mappings; [vdso] sealed in 0, "
		"unsealed in 0, partly in 0, no system mappings in 1\n"
		"CONFIG_MSEAL_SYSTEM_MAPPINGS unknown (no readable kernel config)\n");
	cli_result_free(&res);
	canned_tree_remove(root);
}
