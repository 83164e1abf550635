// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Real programs under the emulation (issue 6, "done when"): python3, perl
 * and bash with their loaded objects sealed through the seccomp emulation
 * (emul-seal-objects.so, forced with LIBMSEAL_FORCE_UNSUPPORTED=1) print
 * exactly what they print unsealed, and a sealed page of libc's text
 * refuses mprotect with EPERM while the same call works unsealed.
 */
#include <criterion/criterion.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIXTURE TESTS_BUILD_DIR "/emulation/emul-seal-objects.so"
#define PROBE TESTS_BUILD_DIR "/emulation/emul-libc-probe"

static char asan_rt[512];

/* In an ASan build the fixture's libmseal needs the ASan runtime first. */
static int find_asan(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (info->dlpi_name && strstr(info->dlpi_name, "libasan"))
		snprintf(asan_rt, sizeof(asan_rt), "%s", info->dlpi_name);
	return 0;
}

/* Run @argv, sealed or not; its stdout into @out; returns wait status. */
static int run(char *const argv[], int sealed, char *out, size_t cap)
{
	int fds[2], status;
	size_t len = 0;
	ssize_t got;
	pid_t pid;

	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char preload[1100];

		dup2(fds[1], 1);
		close(fds[0]);
		unsetenv("LD_PRELOAD");
		if (sealed) {
			dl_iterate_phdr(find_asan, NULL);
			snprintf(preload, sizeof(preload), "%s%s%s", asan_rt,
				 asan_rt[0] ? ":" : "", FIXTURE);
			setenv("LD_PRELOAD", preload, 1);
			setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
			setenv("ASAN_OPTIONS", "detect_leaks=0:"
			       "verify_asan_link_order=0", 1);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (len + 1 < cap && (got = read(fds[0], out + len,
					    cap - len - 1)) > 0)
		len += (size_t)got;
	out[len] = '\0';
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static void same_output(char *const argv[])
{
	char plain[4096], sealed[4096];
	int a = run(argv, 0, plain, sizeof(plain));
	int b = run(argv, 1, sealed, sizeof(sealed));

	cr_assert(WIFEXITED(a) && WEXITSTATUS(a) == 0, "%s unsealed", argv[0]);
	cr_assert(WIFEXITED(b), "%s sealed: killed by %d", argv[0],
		  WTERMSIG(b));
	cr_assert_eq(WEXITSTATUS(b), 0, "%s sealed: exit %d", argv[0],
		     WEXITSTATUS(b));
	cr_assert_str_eq(sealed, plain, "%s", argv[0]);
	cr_assert_gt(strlen(plain), 0);
}

Test(programs, python3_identical)
{
	char *argv[] = { "/usr/bin/python3", "-c",
			 "import json, hashlib; print(json.dumps({'h': "
			 "hashlib.sha256(b'mseal').hexdigest(), 'n': "
			 "sum(range(1000))}))", NULL };

	same_output(argv);
}

Test(programs, perl_identical)
{
	char *argv[] = { "/usr/bin/perl", "-e",
			 "my %h = map { $_ => $_ * $_ } 1..50; "
			 "print join(',', map { $h{$_} } sort { $a <=> $b } "
			 "keys %h), \"\\n\";", NULL };

	same_output(argv);
}

Test(programs, bash_identical)
{
	char *argv[] = { "/bin/bash", "-c",
			 "a=(3 1 2); for i in ${a[@]}; do echo $((i * 7)); "
			 "done; printf '%s\\n' \"${BASH_VERSINFO[0]}\"", NULL };

	same_output(argv);
}

Test(programs, sealed_libc_text_refuses_mprotect)
{
	char *argv[] = { PROBE, NULL };
	char out[256];

	cr_assert_eq(run(argv, 1, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "libc-text EPERM\nfresh ok\n");
	/* control: unsealed, the same call works */
	cr_assert_eq(run(argv, 0, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "libc-text ok\nfresh ok\n");
}

Test(programs, sealed_process_runs_under_a_filter)
{
	char *argv[] = { "/usr/bin/python3", "-c",
			 "s = open('/proc/self/status').read(); "
			 "print([l for l in s.splitlines() "
			 "if l.startswith(('Seccomp:', 'NoNewPrivs:'))])", NULL };
	char out[256];

	cr_assert_eq(run(argv, 1, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "['NoNewPrivs:\\t1', 'Seccomp:\\t2']\n");
}
