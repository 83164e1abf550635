// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Seals and the process: brk shrink and regrow (O7), exec dropping every
 * seal (O10), stack growth of a sealed [stack] (X9). Each runs its sealing
 * in a forked child that uses raw system calls only, so malloc's heap and
 * the harness's stack are never sealed; the parent reads
 * /proc/CHILD/smaps while the child waits.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kutil.h"

/* Results a child writes into a shared page. */
struct child_report {
	uintptr_t base;  /* first page above the old break */
	long seal_rc;
	uintptr_t after_shrink, after_grow;
	int data_ok;
};

static struct child_report *shared_report(void)
{
	void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(p, MAP_FAILED);
	return p;
}

static int brk_sealed_flag;

/* Grow four fresh pages above the break, seal the top two (when asked),
 * shrink to one page, then grow to six. */
static int brk_child(void *arg)
{
	struct child_report *r = arg;
	uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
	uintptr_t base = (cur + PG - 1) & ~(uintptr_t)(PG - 1);
	char *b = (char *)base;

	if ((uintptr_t)syscall(SYS_brk, base + 4 * PG) != base + 4 * PG)
		return 10;
	memset(b, 'B', 4 * PG);
	r->base = base;
	r->seal_rc = brk_sealed_flag ? test_raw_mseal(b + 2 * PG, 2 * PG, 0) : 0;
	r->after_shrink = (uintptr_t)syscall(SYS_brk, base + PG);
	r->after_grow = (uintptr_t)syscall(SYS_brk, base + 6 * PG);
	r->data_ok = b[0] == 'B' &&
		     (!brk_sealed_flag || (b[2 * PG] == 'B' && b[4 * PG - 1] == 'B'));
	return 0;
}

static void brk_case(int sealed)
{
	struct child_report *r = shared_report();
	struct k_held held;
	uintptr_t base;

	test_require_mseal();
	brk_sealed_flag = sealed;
	k_hold_child(brk_child, r, &held);
	base = r->base;
	cr_assert_neq(base, 0, "the child could not grow its break");
	cr_assert_eq(r->seal_rc, 0);
	cr_assert(r->data_ok);
	if (sealed) {
		/* Shrink refused: the break is unchanged, pages stay. */
		cr_assert_eq(r->after_shrink, base + 4 * PG);
		cr_assert_eq(k_pid_sealed(held.pid, base + 2 * PG), 1);
		cr_assert_eq(k_pid_sealed(held.pid, base + 3 * PG), 1);
		/* Regrow works; the new pages are not sealed. */
		cr_assert_eq(r->after_grow, base + 6 * PG);
		cr_assert_eq(k_pid_sealed(held.pid, base + 4 * PG), 0);
		cr_assert_eq(k_pid_sealed(held.pid, base + 5 * PG), 0);
	} else {
		cr_assert_eq(r->after_shrink, base + PG);
		cr_assert_eq(r->after_grow, base + 6 * PG);
		cr_assert_eq(k_pid_sealed(held.pid, base + 3 * PG), 0);
	}
	cr_assert_eq(k_release_child(&held), 0);
}

Test(process, brk_shrink_across_sealed_refused_regrow_unsealed)
{
	brk_case(1);
}

Test(process, brk_shrink_unsealed_control_ok)
{
	brk_case(0);
}

/* O10: exec replaces the mm; the helper reports its own smaps. */
static void exec_case(int sealed)
{
	char *p = k_anon(2, PROT_READ, 'e');
	char addr[32], out[256] = "";
	int fds[2], status;
	ssize_t got;
	pid_t pid;

	test_require_mseal();
	if (sealed)
		k_seal(p, 2 * PG);
	snprintf(addr, sizeof(addr), "%" PRIxPTR, (uintptr_t)p);
	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(KERNEL_EXEC_HELPER, KERNEL_EXEC_HELPER, addr, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	got = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "helper failed, status 0x%x: %s", status, out);
	cr_assert_gt(got, 0);
	cr_assert_str_eq(out, "user_sealed=0 fixed_at_old_addr=ok\n");
	k_expect_sealed(p, sealed);
}

Test(process, exec_drops_all_seals)
{
	exec_case(1);
}

Test(process, exec_unsealed_control_same_report)
{
	exec_case(0);
}

/* X9: a sealed [stack] still grows down, and the new pages are sealed. */
static uintptr_t stack_lo, stack_hi;
static int stack_sealed_flag;

static __attribute__((noinline)) int use_stack(size_t bytes)
{
	volatile char big[64 * 1024];

	memset((char *)big, 1, sizeof(big));
	if (bytes > sizeof(big))
		return use_stack(bytes - sizeof(big)) + big[5];
	return big[7];
}

static int stack_child(void *arg)
{
	struct child_report *r = arg;

	if (stack_sealed_flag)
		r->seal_rc = test_raw_mseal((void *)stack_lo,
					    stack_hi - stack_lo, 0);
	r->after_grow = (uintptr_t)use_stack(512 * 1024);
	return 0;
}

static void stack_case(int sealed)
{
	struct child_report *r = shared_report();
	struct k_held held;
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	test_require_mseal();
	cr_assert_not_null(f);
	stack_lo = stack_hi = 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]"))
			sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &stack_lo,
			       &stack_hi);
	fclose(f);
	cr_assert_neq(stack_hi, 0, "no [stack] mapping");
	stack_sealed_flag = sealed;
	k_hold_child(stack_child, r, &held);
	cr_assert_eq(r->seal_rc, 0);
	cr_assert_eq(k_pid_sealed(held.pid, stack_hi - PG), sealed);
	/* 512 KiB below the old bottom is now inside the grown stack VMA. */
	cr_assert_eq(k_pid_sealed(held.pid, stack_lo - 256 * 1024), sealed,
		     "the stack did not grow (or its seal state is wrong)");
	cr_assert_eq(k_release_child(&held), 0);
}

Test(process, stack_sealed_grows_and_stays_sealed)
{
	stack_case(1);
}

Test(process, stack_unsealed_control_grows)
{
	stack_case(0);
}
