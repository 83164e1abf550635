// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal ps` on live processes: one sealed by `mseal run`, one sealing a
 * page itself (with its unsealed control), processes that exit while read,
 * one that maps and unmaps while read, and a caller that may not read
 * everyone. Coverage of the test's own objects is checked against
 * dl_iterate_phdr, independently of libelf.
 */
#include <criterion/criterion.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit-util.h"
#include "testutil.h"

static pid_t spawn_sealer(int seal, int *ready_fd)
{
	int fds[2];
	pid_t pid;

	cr_assert(pipe(fds) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		char c = 'x';
		void *p;

		audit_child_timeout();
		p = mmap(NULL, 2 * test_page(), PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		if (seal && test_raw_mseal(p, test_page(), 0) != 0)
			c = 'e';
		if (write(fds[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	*ready_fd = fds[0];
	return pid;
}

static void ps_pid(pid_t pid, const char *cols, struct cli_result *res)
{
	char arg[32];
	const char *argv[] = { "mseal", "ps", "-p", arg, "-r", "-n", "-b", "-o", cols, NULL };

	snprintf(arg, sizeof(arg), "%d", (int)pid);
	run_cli(argv, res);
}

static void sealed_page_case(int seal)
{
	struct cli_result res;
	int fd, status;
	char c = 0, want[64];
	pid_t pid = spawn_sealer(seal, &fd);

	cr_assert_eq(read(fd, &c, 1), 1);
	cr_assert_eq(c, 'x', "the child could not seal");
	ps_pid(pid, "SEALED,SEALED-SIZE", &res);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	snprintf(want, sizeof(want), "%d %zu\n", seal, seal ? test_page() : 0);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, want);
	cli_result_free(&res);
}

Test(ps_live, child_sealing_one_page)
{
	test_require_mseal();
	sealed_page_case(1);
}

Test(ps_live, child_sealing_nothing_control)
{
	sealed_page_case(0);
}

Test(ps_live, program_under_mseal_run_fully_covered)
{
	const char *argv[] = { MSEAL_CLI, "run", "--", "/bin/sleep", "30", NULL };
	struct cli_result res;
	int status, tries = 0;
	pid_t pid;

	test_require_mseal();
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		/* meson points LD_LIBRARY_PATH at the build's libmseal, which
		 * in a sanitizer build is instrumented: the shim has its own
		 * plain copy, found through its run path */
		unsetenv("LD_LIBRARY_PATH");
		audit_child_timeout();
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	/* same PID once exec'd: wait until sleep's text is mapped and sealed */
	do {
		usleep(20000);
		ps_pid(pid, "COMM,COVERAGE,TEXT,RODATA,RELRO", &res);
		if (strncmp(res.out, "sleep ", 6) == 0 && strstr(res.out, "100.0 100.0 100.0 100.0"))
			break;
		cli_result_free(&res);
	} while (++tries < 1500); /* 30 s: CI machines can be loaded */
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	cr_assert(tries < 1500, "never fully sealed");
	cr_expect_str_eq(res.out, "sleep 100.0 100.0 100.0 100.0\n");
	cli_result_free(&res);
}

struct sums {
	unsigned long long text, relro;
};

static int add_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct sums *s = arg;
	unsigned long long page = test_page();

	if (strstr(info->dlpi_name, "linux-vdso"))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long long lo = ph->p_vaddr & ~(page - 1);

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X))
			s->text += ((ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1)) - lo;
		if (ph->p_type == PT_GNU_RELRO)
			s->relro += ((ph->p_vaddr + ph->p_memsz) & ~(page - 1)) - lo;
	}
	return 0;
}

Test(ps_live, own_text_and_relro_match_program_headers)
{
	struct sums s = { 0 };
	struct cli_result res;
	char want[96];

	dl_iterate_phdr(add_object, &s);
	ps_pid(getpid(), "TEXT-SIZE,RELRO-SIZE,RO-SIZE", &res);
	snprintf(want, sizeof(want), "%llu %llu 0\n", s.text, s.relro);
	cr_expect_eq(res.status, 0);
	cr_expect_str_eq(res.out, want);
	cli_result_free(&res);
}

Test(ps_live, vdso_column_matches_smaps)
{
	void *vdso = (void *)getauxval(AT_SYSINFO_EHDR);
	struct cli_result res;
	const char *want;

	cr_assert(vdso);
	want = test_is_sealed(vdso) == 1 ? "yes\n" : "no\n";
	ps_pid(getpid(), "VDSO", &res);
	cr_expect_str_eq(res.out, want);
	cli_result_free(&res);
}

/* Every stderr line is the one unreadable-process line or a torn-read
 * note: never an error about a process that went away. */
static void only_expected_warnings(const char *err)
{
	const char *line = err;

	while (*line) {
		cr_expect(strncmp(line, "mseal: warning: ps: cannot read ", 32) == 0 ||
			  strstr(line, "kept changing while read; skipped"),
			  "unexpected: %s", line);
		line = strchr(line, '\n');
		if (!line)
			break;
		line++;
	}
}

Test(ps_live, processes_exiting_while_read_are_skipped_quietly)
{
	const char *argv[] = { "mseal", "ps", "-r", "-n", "-o", "PID", NULL };
	pid_t churn = fork();
	struct cli_result res;
	int status;

	cr_assert(churn >= 0);
	if (churn == 0) {
		/* short-lived children, born and gone while ps walks /proc */
		audit_child_timeout();
		for (;;) {
			pid_t c = fork();

			if (c == 0) {
				usleep(200);
				_exit(0);
			}
			if (c > 0)
				waitpid(c, NULL, 0);
		}
	}
	for (int i = 0; i < 5; i++) {
		run_cli(argv, &res);
		cr_expect_eq(res.status, 0, "%s", res.err);
		cr_expect(strlen(res.out) > 0);
		only_expected_warnings(res.err);
		cli_result_free(&res);
	}
	kill(churn, SIGKILL);
	waitpid(churn, &status, 0);
}

Test(ps_live, process_mapping_and_unmapping_while_read)
{
	const size_t n = 4000, page = test_page();
	struct cli_result res;
	int fds[2], status;
	char c;
	pid_t pid;

	cr_assert(pipe(fds) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		/* n mappings that cannot merge (alternating protection) */
		char *base;

		audit_child_timeout();
		base = mmap(NULL, n * page, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED)
			_exit(1);
		for (size_t i = 0; i < n; i += 2)
			mprotect(base + i * page, page, PROT_READ | PROT_WRITE);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		for (unsigned int k = 0;; k++) {
			char *at = base + (k * 7919 % n) * page;

			munmap(at, page);
			mmap(at, page, k & 1 ? PROT_READ : PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		}
	}
	cr_assert_eq(read(fds[0], &c, 1), 1);
	for (int i = 0; i < 5; i++) {
		unsigned long maps = 0;

		ps_pid(pid, "MAPS", &res);
		cr_expect_eq(res.status, 0, "%s", res.err);
		only_expected_warnings(res.err);
		if (res.out[0]) {
			/* never a duplicated mapping: at most every page its
			 * own, plus the program's (an ASan build has ~300) */
			maps = strtoul(res.out, NULL, 10);
			cr_expect(maps > 0 && maps <= n + 1000, "maps %lu", maps);
		} else {
			cr_expect(strstr(res.err, "kept changing while read; skipped"), "%s", res.err);
		}
		cli_result_free(&res);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

Test(ps_live, unreadable_processes_named_in_one_line)
{
	const char *argv[] = { "mseal", "ps", "-r", "-n", "-o", "PID", NULL };
	struct cli_result res;
	const char *first, *second;

	run_cli_as(argv, 65534, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	/* init (PID 1) belongs to root: nobody cannot read its smaps */
	first = strstr(res.err, "mseal: warning: ps: cannot read ");
	cr_expect(first, "%s", res.err);
	cr_expect(first && strstr(first, "1 ("), "%s", res.err);
	second = first ? strstr(first + 1, "mseal: ") : NULL;
	cr_expect(!second, "more than one line: %s", res.err);
	cr_expect(strlen(res.out) > 0, "nobody can read its own mseal process");
	cli_result_free(&res);
}


/*
 * Issue 6: a program sealed by the seccomp emulation (`mseal run` with
 * LIBMSEAL_FALLBACK=seccomp, forced) has no "sl" flag, so its coverage
 * reads 0%: ps shows its filter in SECCOMP and says so after the table.
 * With @emulated 0 the same program under plain `mseal run` forced
 * unsupported is the control: no filter, no line.
 */
static void emulated_run_case(int emulated)
{
	const char *argv[] = { MSEAL_CLI, "run", "--", "/bin/sleep", "30", NULL };
	char arg[32], want[128], line[160];
	const char *table[] = { "mseal", "ps", "-p", arg, "-o",
				"COMM,COVERAGE,SECCOMP", NULL };
	int status, tries = 0, base = test_seccomp_filters();
	struct cli_result res;
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		unsetenv("LD_LIBRARY_PATH"); /* as above: the shim's own copy */
		setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
		if (emulated)
			setenv("LIBMSEAL_FALLBACK", "seccomp", 1);
		audit_child_timeout();
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	snprintf(arg, sizeof(arg), "%d", (int)pid);
	snprintf(want, sizeof(want), "sleep 0.0 %d\n", base + emulated);
	/* same PID once exec'd; the shim's constructor commits the filter
	 * before main, so wait for "sleep" with its filter count */
	do {
		usleep(20000);
		ps_pid(pid, "COMM,COVERAGE,SECCOMP", &res);
		if (strcmp(res.out, want) == 0)
			break;
		cli_result_free(&res);
	} while (++tries < 1500);
	cr_assert(tries < 1500, "never saw '%s'", want);
	cli_result_free(&res);
	run_cli(table, &res);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	cr_expect_eq(res.status, 0, "%s", res.err);
	snprintf(line, sizeof(line), "\n1 process runs under seccomp filters: "
		 "seals made by libmseal's seccomp emulation are not counted "
		 "as sealed (-o +SECCOMP shows the filters)\n");
	if (emulated || base > 0)
		cr_expect(strstr(res.out, line), "%s", res.out);
	else
		cr_expect(!strstr(res.out, "seccomp"), "%s", res.out);
	cli_result_free(&res);
}

Test(ps_live, emulated_seal_shows_seccomp_filter)
{
	emulated_run_case(1);
}

Test(ps_live, unsealed_run_shows_no_filter_control)
{
	emulated_run_case(0);
}
