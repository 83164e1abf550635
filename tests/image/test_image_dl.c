// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Image sealing beyond the startup set: mseal_image_object() on a plugin,
 * a -z execstack library dlopened after ld.so's RELRO is sealed, failed
 * calls explained (pages not mapped, a policy refusing mseal), a debugger
 * writing a breakpoint into sealed text, and a real program run with
 * LIBMSEAL_FORCE_UNSUPPORTED=1.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "imgtest.h"
#include "internal.h"
#include "testutil.h"

#define PLUGIN IMG_FIXTURES "/libfix-plugin.so.1"
#define EXECSTACK IMG_FIXTURES "/libfix-execstack.so.1"

static void *open_plugin(int mode)
{
	void *h = dlopen(PLUGIN, mode);

	cr_assert_not_null(h, "dlopen: %s", dlerror());
	return h;
}

static int (*plugin_fn(void *h))(int)
{
	int (*fn)(int) = (int (*)(int))dlsym(h, "fix_plugin_fn");

	cr_assert_not_null(fn);
	return fn;
}

Test(object, control_plugin_unsealed_after_dlopen)
{
	int (*fn)(int) = plugin_fn(open_plugin(RTLD_NOW | RTLD_NODELETE));

	cr_assert_eq(fn(1), 1 + 5 + 'f');
	cr_assert_eq(test_is_sealed((void *)fn), 0);
}

Test(object, seals_only_the_plugin)
{
	int (*fn)(int) = plugin_fn(open_plugin(RTLD_NOW | RTLD_NODELETE));
	const char *(*libc_fn)(void) = gnu_get_libc_version;
	struct mseal_report *r = NULL;

	test_require_mseal();
	cr_assert_eq(mseal_image_object((void *)fn, NULL, &r), 0);
	img_assert_counts(r);
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->objects_seen, 1);
	cr_assert_eq(r->ranges_skipped, 0);
	cr_assert_eq(img_count(r, "/libfix-plugin.so.1", LIBMSEAL_SKIP_NONE, 0),
		     r->n_ranges);
	cr_assert_eq(img_count(r, NULL, -1, LIBMSEAL_RANGE_TEXT), 1);
	cr_assert_eq(img_count(r, NULL, -1, LIBMSEAL_RANGE_RELRO), 1);
	cr_assert_eq(test_is_sealed((void *)fn), 1);
	cr_assert_eq(test_is_sealed((void *)libc_fn), 0);
	cr_assert_eq(test_is_sealed((void *)open_plugin), 0);
	cr_assert_eq(fn(2), 2 + 5 + 'f');
	mseal_report_free(r);

	/* Asked again: nothing new; the whole image then skips the plugin. */
	cr_assert_eq(mseal_image_object((void *)fn, NULL, &r), 0);
	cr_assert_eq(r->ranges_sealed, 0);
	cr_assert_eq(img_count(r, NULL, LIBMSEAL_SKIP_ALREADY_SEALED, 0),
		     r->n_ranges);
	mseal_report_free(r);
	cr_assert_eq(mseal_image(NULL, &r), 0);
	img_assert_counts(r);
	cr_assert_eq(img_count(r, "/libfix-plugin.so.1",
			       LIBMSEAL_SKIP_ALREADY_SEALED, 0),
		     img_count(r, "/libfix-plugin.so.1", -1, 0));
	cr_assert_eq(r->ranges_skipped,
		     img_count(r, "/libfix-plugin.so.1", -1, 0));
	cr_assert_eq(test_is_sealed((void *)libc_fn), 1);
	mseal_report_free(r);
}

Test(object, address_in_rodata_or_relro_finds_the_object)
{
	void *h = open_plugin(RTLD_NOW | RTLD_NODELETE);
	const char *ro = dlsym(h, "fix_plugin_rodata");
	const void *relro = dlsym(h, "fix_plugin_relro");
	struct mseal_report *r = NULL;

	test_require_mseal();
	cr_assert_not_null(ro);
	cr_assert_not_null(relro);
	cr_assert_eq(mseal_image_object(ro + 4000, NULL, &r), 0);
	cr_assert_eq(r->objects_seen, 1);
	cr_assert_gt(r->ranges_sealed, 0);
	cr_assert_eq(test_is_sealed(relro), 1);
	cr_assert_eq(test_is_sealed(ro + 4000), 1);
	mseal_report_free(r);
}

/* A page of the plugin's rodata unmapped before sealing: the call that
 * spans it fails, /proc/self/maps explains it, the rest is sealed. */
Test(object, unmapped_page_reported_not_mapped_rest_sealed)
{
	void *h = open_plugin(RTLD_NOW | RTLD_NODELETE);
	const char *ro = dlsym(h, "fix_plugin_rodata");
	size_t page = test_page();
	uintptr_t hole = ((uintptr_t)ro + page - 1) & ~(page - 1);
	struct mseal_report *r = NULL;
	const struct mseal_report_range *nm = NULL;

	test_require_mseal();
	/* The hole lies inside the 8 KiB array, so inside the segment. */
	cr_assert_leq(hole + page, (uintptr_t)ro + 8192);
	cr_assert_eq(munmap((void *)hole, page), 0);
	cr_assert_eq(mseal_image_object(plugin_fn(h), NULL, &r), 0);
	img_assert_counts(r);
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->ranges_failed, 0);
	cr_assert_eq(r->ranges_skipped, 1);
	for (size_t i = 0; i < r->n_ranges; i++)
		if (r->ranges[i].skip == LIBMSEAL_SKIP_NOT_MAPPED)
			nm = &r->ranges[i];
	cr_assert_not_null(nm);
	cr_assert_eq(nm->start, hole);
	cr_assert_eq(nm->end, hole + page);
	cr_assert_eq(nm->kind, LIBMSEAL_RANGE_RODATA);
	/* The call over the whole object, then one per mapped part. */
	cr_assert_eq(r->n_calls, 3);
	cr_assert_eq(r->calls[0].error, -ENOMEM);
	cr_assert_eq(r->calls[0].start, r->ranges[0].start);
	cr_assert_eq(r->calls[0].end, r->ranges[r->n_ranges - 1].end);
	cr_assert_eq(r->calls[1].start, r->ranges[0].start);
	cr_assert_eq(r->calls[1].end, hole);
	cr_assert_eq(r->calls[1].error, 0);
	cr_assert_eq(r->calls[2].start, hole + page);
	cr_assert_eq(r->calls[2].error, 0);
	cr_assert_eq(test_is_sealed((void *)(hole - page)), 1);
	cr_assert_eq(test_is_sealed((void *)(hole + page)), 1);
	cr_assert_eq(test_is_sealed((void *)plugin_fn(h)), 1);
	cr_assert_eq(test_is_sealed((void *)hole), -1);
	mseal_report_free(r);
}

/* After the probe said yes, a seccomp filter makes mseal fail with EPERM:
 * every range is FAILED with -EPERM and nothing is sealed. */
static void refuse_mseal(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 462, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = code };

	cr_assert_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	cr_assert_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
}

Test(failure, policy_refusal_after_probe_reports_every_range_failed)
{
	int (*fn)(int) = plugin_fn(open_plugin(RTLD_NOW | RTLD_NODELETE));
	struct mseal_report *r = NULL;

	test_require_mseal();
	cr_assert_eq(mseal_supported(), 1);
	refuse_mseal();
	cr_assert_eq(mseal_image(NULL, &r), 0);
	img_assert_counts(r);
	cr_assert_eq(r->status, -EPERM);
	cr_assert_eq(r->reason, LIBMSEAL_REASON_SUPPORTED);
	cr_assert_eq(r->ranges_sealed, 0);
	cr_assert_gt(r->n_ranges, 0);
	cr_assert_eq(r->ranges_failed, r->n_ranges);
	for (size_t i = 0; i < r->n_ranges; i++)
		cr_assert_eq(r->ranges[i].error, -EPERM);
	cr_assert_gt(r->n_calls, 0);
	for (size_t i = 0; i < r->n_calls; i++)
		cr_assert_eq(r->calls[i].error, -EPERM);
	cr_assert_eq(test_is_sealed((void *)fn), 0);
	img_assert_objects(0, NULL);
	mseal_report_free(r);
}

/* glibc 2.36 must make ld.so's RELRO page writable to dlopen a library
 * that needs an executable stack; once that RELRO is sealed, dlopen fails
 * cleanly with EPERM and the process goes on. */
Test(execstack, control_dlopen_succeeds_unsealed)
{
	void *h = dlopen(EXECSTACK, RTLD_NOW);

	cr_assert_not_null(h, "%s", dlerror());
	cr_assert_eq(dlclose(h), 0);
}

Test(execstack, dlopen_fails_cleanly_after_ldso_relro_sealed)
{
	char expect[512];
	const char *err;

	test_require_mseal();
	cr_assert_eq(mseal_image(NULL, NULL), 0);
	cr_assert_null(dlopen(EXECSTACK, RTLD_NOW));
	err = dlerror();
	cr_assert_not_null(err);
	snprintf(expect, sizeof(expect), "%s: %s", EXECSTACK,
		 "cannot change memory protections: Operation not permitted");
	cr_assert_str_eq(err, expect);
	/* The failure left nothing half-loaded; other dlopens still work. */
	cr_assert_null(dlopen(EXECSTACK, RTLD_NOW | RTLD_NOLOAD));
	cr_assert_eq(plugin_fn(open_plugin(RTLD_NOW))(3), 3 + 5 + 'f');
}

Test(execstack, dlopen_works_with_ldso_excluded)
{
	const char *const exclude[] = { "ld-linux*", NULL };
	struct mseal_image_options o = { .size = sizeof(o), .exclude = exclude };
	struct mseal_report *r = NULL;
	void *h;

	test_require_mseal();
	cr_assert_eq(mseal_image(&o, &r), 0);
	img_assert_counts(r);
	cr_assert_geq(img_count(r, "/ld-linux-x86-64.so.2",
				LIBMSEAL_SKIP_EXCLUDED, 0), 3);
	cr_assert_eq(r->ranges_skipped, img_count(r, "/ld-linux-x86-64.so.2",
						  LIBMSEAL_SKIP_EXCLUDED, 0));
	h = dlopen(EXECSTACK, RTLD_NOW);
	cr_assert_not_null(h, "%s", dlerror());
	cr_assert_eq(((int (*)(int))dlsym(h, "fix_execstack_fn"))(4),
		     4 + 5 + 'f');
	mseal_report_free(r);
}

/* R23a: a debugger sets and clears a breakpoint in sealed text through
 * ptrace(PTRACE_POKETEXT); the kernel does not block that. */
__attribute__((noinline)) int bp_target(int x);
__attribute__((noinline)) int bp_target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 42;
}

static void breakpoint_in_child(int seal)
{
#if defined(__x86_64__)
	int (*volatile call)(int) = bp_target;
	uintptr_t at = (uintptr_t)bp_target;
	struct user_regs_struct regs;
	long orig;
	int status;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int sealed;

		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		if (seal && mseal_image(NULL, NULL) != 0)
			_exit(3);
		sealed = test_is_sealed((void *)at);
		raise(SIGSTOP);
		if (call(20) != 62)
			_exit(4);
		_exit(sealed == seal ? 0 : 5);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	errno = 0;
	orig = ptrace(PTRACE_PEEKTEXT, pid, (void *)at, NULL);
	cr_assert_eq(errno, 0);
	cr_assert_eq(ptrace(PTRACE_POKETEXT, pid, (void *)at,
			    (void *)((orig & ~0xffL) | 0xcc)), 0);
	cr_assert_eq(ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP,
		  "status %#x", status);
	cr_assert_eq(ptrace(PTRACE_GETREGS, pid, NULL, &regs), 0);
	cr_assert_eq(regs.rip, at + 1);
	cr_assert_eq(ptrace(PTRACE_POKETEXT, pid, (void *)at, (void *)orig),
		     0);
	regs.rip = at;
	cr_assert_eq(ptrace(PTRACE_SETREGS, pid, NULL, &regs), 0);
	cr_assert_eq(ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "status %#x", status);
	cr_assert_eq(WEXITSTATUS(status), 0);
#else
	(void)seal;
	cr_skip_test("breakpoint test written for x86_64 only");
#endif
}

Test(ptrace, control_breakpoint_in_unsealed_text)
{
	breakpoint_in_child(0);
}

Test(ptrace, breakpoint_in_sealed_text_works)
{
	test_require_mseal();
	breakpoint_in_child(1);
}

/* Run the fixture program; its stdout into @out. Returns the wait status. */
static int run_prog(int force, char *out, size_t size)
{
	int fds[2], status;
	ssize_t got, len = 0;
	pid_t pid;

	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		if (force)
			setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
		else
			unsetenv("LIBMSEAL_FORCE_UNSUPPORTED");
		execl(IMG_FIXTURES "/image-prog", "image-prog", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((got = read(fds[0], out + len, size - 1 - len)) > 0)
		len += got;
	out[len] = '\0';
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

Test(program, control_runs_sealed)
{
	char out[256];
	int status;

	test_require_mseal();
	status = run_prog(0, out, sizeof(out));
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0);
	cr_assert_eq(strncmp(out, "status=0 sealed=", 16), 0, "%s", out);
	cr_assert_not_null(strstr(out, " failed=0\nwork=216\n"), "%s", out);
	cr_assert_null(strstr(out, "sealed=0 "), "%s", out);
}

Test(program, force_unsupported_runs_to_completion)
{
	char out[256];
	int status = run_prog(1, out, sizeof(out));

	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0);
	cr_assert_str_eq(out, "status=-38 sealed=0 failed=0\nwork=216\n");
}
