// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_protect_after_init(): read-only, then sealed, on the caller's own
 * memory. Every sealed case has an unsealed control; each test is its own
 * process (Criterion forks), since a seal lasts until exit.
 * Field reports R07, R11(a)(d), R13, R17, R18.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "memtest.h"
#include "testutil.h"

static void assert_filled(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		cr_assert_eq(p[i], c, "byte %zu is %d, not %d", i, p[i], c);
}

static void assert_perms(const void *p, const char *want)
{
	char perms[5];

	cr_assert_eq(test_perms(p, perms), 0);
	cr_assert_str_eq(perms, want);
}

/* --- the result and the state it leaves --- */

Test(roinit, sealed_readonly_contents_intact)
{
	char *p = test_map(2, PROT_READ | PROT_WRITE, 'a');

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init(p, 2 * test_page()), 0);
	assert_perms(p, "r--p");
	cr_assert_eq(test_is_sealed(p), 1);
	cr_assert_eq(test_is_sealed(p + test_page()), 1);
	assert_filled(p, 2 * test_page(), 'a');
}

Test(roinit, again_on_sealed_readonly_is_zero)
{
	char *p = test_map(1, PROT_READ | PROT_WRITE, 'b');

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init(p, test_page()), 0);
	cr_assert_eq(mseal_protect_after_init(p, test_page()), 0);
	cr_assert_eq(test_is_sealed(p), 1);
}

Test(roinit, write_after_seal_faults, .signal = SIGSEGV)
{
	volatile char *p = test_map(1, PROT_READ | PROT_WRITE, 'c');

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init((void *)p, test_page()), 0);
	p[0] = 'x';
}

Test(roinit_control, write_without_protect_works)
{
	volatile char *p = test_map(1, PROT_READ | PROT_WRITE, 'c');

	p[0] = 'x';
	cr_assert_eq(p[0], 'x');
	cr_assert_eq(test_is_sealed((void *)p), 0);
}

/* --- each blocked call: EPERM sealed, 0 on the read-only control --- */

static void sealed_case(enum memtest_op op)
{
	char *p = test_map(1, PROT_READ | PROT_WRITE, 's');

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init(p, test_page()), 0);
	cr_assert_eq(memtest_run_op(op, p, test_page()), -EPERM);
	assert_perms(p, "r--p");
	cr_assert_eq(test_is_sealed(p), 1);
	assert_filled(p, test_page(), 's');
}

/* The same call on read-only memory that was never sealed works. */
static void control_case(enum memtest_op op)
{
	char *p = test_map(1, PROT_READ, 's');
	struct test_vma vma;

	cr_assert_eq(memtest_run_op(op, p, test_page()), 0);
	if (op == OP_MPROTECT)
		assert_perms(p, "rw-p");
	if (op == OP_MUNMAP)
		cr_assert_eq(test_vma_at(p, &vma), -1);
	if (op == OP_DONTNEED)
		assert_filled(p, test_page(), 0); /* discarded: zero-fill */
	cr_assert_neq(test_is_sealed(p), 1);
}

Test(roinit_sealed, mprotect_eperm) { sealed_case(OP_MPROTECT); }
Test(roinit_sealed, munmap_eperm) { sealed_case(OP_MUNMAP); }
Test(roinit_sealed, mremap_eperm) { sealed_case(OP_MREMAP); }
Test(roinit_sealed, madv_dontneed_eperm) { sealed_case(OP_DONTNEED); }
Test(roinit_control, mprotect_ok) { control_case(OP_MPROTECT); }
Test(roinit_control, munmap_ok) { control_case(OP_MUNMAP); }
Test(roinit_control, mremap_ok) { control_case(OP_MREMAP); }
Test(roinit_control, madv_dontneed_ok) { control_case(OP_DONTNEED); }

/* --- argument and mapping checks: nothing changed --- */

Test(roinit_refuse, unaligned_addr_einval)
{
	char *p = test_map(2, PROT_READ | PROT_WRITE, 'u');

	cr_assert_eq(mseal_protect_after_init(p + 16, test_page()), -EINVAL);
	cr_assert_eq(mseal_protect_after_init(p, test_page() - 1), -EINVAL);
	cr_assert_eq(mseal_protect_after_init(p, 0), -EINVAL);
	assert_perms(p, "rw-p");
	cr_assert_eq(test_is_sealed(p), 0);
}

/* R07(c): the length runs past the mapping. */
Test(roinit_refuse, enomem_trailing_hole_leaves_range_unchanged)
{
	char *p = test_map(2, PROT_READ | PROT_WRITE, 'n');

	test_require_mseal();
	cr_assert_eq(munmap(p + test_page(), test_page()), 0);
	cr_assert_eq(mseal_protect_after_init(p, 2 * test_page()), -ENOMEM);
	assert_perms(p, "rw-p");
	cr_assert_eq(test_is_sealed(p), 0);
	p[1] = 'w'; /* still writable */
	cr_assert_eq(p[0], 'n');
}

Test(roinit_refuse, enomem_middle_hole_leaves_range_unchanged)
{
	char *p = test_map(3, PROT_READ | PROT_WRITE, 'h');

	cr_assert_eq(munmap(p + test_page(), test_page()), 0);
	cr_assert_eq(mseal_protect_after_init(p, 3 * test_page()), -ENOMEM);
	assert_perms(p, "rw-p");
	assert_perms(p + 2 * test_page(), "rw-p");
	cr_assert_eq(test_is_sealed(p + 2 * test_page()), 0);
}

Test(roinit_refuse, shared_mapping_einval)
{
	char *p = mmap(NULL, test_page(), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(p, MAP_FAILED);
	cr_assert_eq(mseal_protect_after_init(p, test_page()), -EINVAL);
	assert_perms(p, "rw-s");
	cr_assert_eq(test_is_sealed(p), 0);
}

Test(roinit_refuse, executable_mapping_einval)
{
	char *p = test_map(1, PROT_READ | PROT_EXEC, 0);

	cr_assert_eq(mseal_protect_after_init(p, test_page()), -EINVAL);
	assert_perms(p, "r-xp");
}

Test(roinit_refuse, heap_pages_einval)
{
	size_t page = test_page();
	uintptr_t cur = (uintptr_t)sbrk(0);
	char *p;

	/* Grow the brk heap to a page-aligned page of its own. */
	cr_assert_neq(sbrk((intptr_t)(((cur + page - 1) & ~(page - 1)) - cur)),
		      (void *)-1);
	p = sbrk((intptr_t)page);
	cr_assert_neq(p, (void *)-1);
	p[0] = 'h';
	struct test_vma vma;

	cr_assert_eq(test_vma_at(p, &vma), 0);
	cr_assert_str_eq(vma.path, "[heap]");
	cr_assert_eq(mseal_protect_after_init(p, page), -EINVAL);
	assert_perms(p, "rw-p");
	p[0] = 'w';
}

/* R11(d): a malloc() pointer is refused for not being page-aligned, not
 * for being malloc memory: a page inside an mmap'd chunk is accepted
 * (test_roinit_mixed.c), so never passing one is the caller's duty. */
Test(roinit_refuse, malloc_pointer_einval)
{
	char *small = malloc(100), *large = malloc(1 << 20);

	cr_assert(small && large);
	cr_assert_eq(mseal_protect_after_init(small, test_page()), -EINVAL);
	cr_assert_eq(mseal_protect_after_init(large, test_page()), -EINVAL);
	small[0] = large[0] = 'w';
	free(small);
	free(large);
}

Test(roinit_refuse, main_stack_einval)
{
	char buf[3 * 4096];
	uintptr_t page = test_page();
	char *p = (char *)(((uintptr_t)buf + page - 1) & ~(page - 1));

	buf[0] = 0;
	cr_assert_eq(mseal_protect_after_init(p, page), -EINVAL);
	p[0] = 'w';
}

static void *thread_stack_case(void *arg)
{
	char buf[3 * 4096];
	uintptr_t page = test_page();
	char *p = (char *)(((uintptr_t)buf + page - 1) & ~(page - 1));

	buf[0] = 0;
	*(int *)arg = mseal_protect_after_init(p, page);
	p[0] = 'w';
	return NULL;
}

Test(roinit_refuse, thread_stack_einval)
{
	pthread_t t;
	int rc = 1;

	cr_assert_eq(pthread_create(&t, NULL, thread_stack_case, &rc), 0);
	cr_assert_eq(pthread_join(t, NULL), 0);
	cr_assert_eq(rc, -EINVAL);
}

/* --- R17: a seal then read-only is refused, reported, nothing changed --- */

Test(roinit_r17, seal_then_readonly_is_eperm)
{
	char *p = test_map(1, PROT_READ | PROT_WRITE, 'r');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, test_page(), 0), 0);
	cr_assert_eq(mseal_protect_after_init(p, test_page()), -EPERM);
	assert_perms(p, "rw-p"); /* writable for good: reported, not hidden */
	cr_assert_eq(test_is_sealed(p), 1);
	assert_filled(p, test_page(), 'r');
}

Test(roinit_r17, readonly_then_seal_is_zero)
{
	char *p = test_map(1, PROT_READ | PROT_WRITE, 'r');

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init(p, test_page()), 0);
	assert_perms(p, "r--p");
	cr_assert_eq(test_is_sealed(p), 1);
}

/* --- sealing unavailable: read-only all the same, result 1 (R07) --- */

static void unavailable_case(void)
{
	char *p = test_map(1, PROT_READ | PROT_WRITE, 'f');

	cr_assert_eq(mseal_protect_after_init(p, test_page()),
		     LIBMSEAL_SEALED_UNAVAILABLE);
	assert_perms(p, "r--p");
	cr_assert_eq(test_is_sealed(p), 0);
	assert_filled(p, test_page(), 'f');
	/* Not sealed: the protection can be undone. */
	cr_assert_eq(mprotect(p, test_page(), PROT_READ | PROT_WRITE), 0);
}

Test(roinit_unavailable, force_unsupported_gives_one_readonly)
{
	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	unavailable_case();
}

Test(roinit_unavailable, force_unsupported_write_faults, .signal = SIGSEGV)
{
	volatile char *p = test_map(1, PROT_READ | PROT_WRITE, 'f');

	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	cr_assert_eq(mseal_protect_after_init((void *)p, test_page()), 1);
	p[0] = 'x';
}

Test(roinit_unavailable, r07a_seccomp_enosys_gives_one)
{
	memtest_seccomp_mseal_errno(ENOSYS);
	unavailable_case();
}

Test(roinit_unavailable, r07b_seccomp_eperm_gives_one)
{
	memtest_seccomp_mseal_errno(EPERM);
	unavailable_case();
}

/* --- R18: wipe-on-fork advice before and after sealing --- */

Test(roinit_r18, wipeonfork_after_seal_readonly_eperm)
{
	char *p = test_map(1, PROT_READ | PROT_WRITE, 'k');

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init(p, test_page()), 0);
	cr_assert_eq(madvise(p, test_page(), MADV_WIPEONFORK), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(test_has_vmflag(p, "wf"), 0);
}

Test(roinit_r18, wipeonfork_before_seal_readonly_kept)
{
	char *p = test_map(1, PROT_READ | PROT_WRITE, 'k');

	test_require_mseal();
	cr_assert_eq(madvise(p, test_page(), MADV_WIPEONFORK), 0);
	cr_assert_eq(mseal_protect_after_init(p, test_page()), 0);
	cr_assert_eq(test_has_vmflag(p, "wf"), 1);
	cr_assert_eq(test_is_sealed(p), 1);
}

Test(roinit_r18, wipeonfork_after_seal_writable_allowed)
{
	char *p = test_map(1, PROT_READ | PROT_WRITE, 'k');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, test_page(), 0), 0);
	cr_assert_eq(madvise(p, test_page(), MADV_WIPEONFORK), 0);
	cr_assert_eq(test_has_vmflag(p, "wf"), 1);
}

Test(roinit_r18, wipeonfork_unsealed_readonly_control)
{
	char *p = test_map(1, PROT_READ, 'k');

	cr_assert_eq(madvise(p, test_page(), MADV_WIPEONFORK), 0);
	cr_assert_eq(test_has_vmflag(p, "wf"), 1);
}

/* --- R13: a page-aligned .data global after startup sealing --- */

static char r13_data[2][4096] __attribute__((aligned(4096))) = { { 1 } };

Test(roinit_r13, data_global_after_image_sealing)
{
	struct mseal_report *report = NULL;
	size_t page = test_page();

	test_require_mseal();
	cr_assert_eq(page, sizeof(r13_data[0]));
	/* What `mseal run` does at startup: seal the loaded objects. It
	 * leaves writable segments (.data, .bss) unsealed. */
	cr_assert_eq(mseal_image(NULL, &report), 0);
	mseal_report_free(report);
	cr_assert_eq(test_is_sealed(r13_data[0]), 0);
	cr_assert_eq(mprotect(r13_data[0], page, PROT_READ), 0);
	cr_assert_eq(mseal_protect_after_init(r13_data[0], page), 0);
	assert_perms(r13_data[0], "r--p");
	cr_assert_eq(test_is_sealed(r13_data[0]), 1);
	cr_assert_eq(r13_data[0][0], 1);
	/* The rest of .data stays writable and unsealed. */
	r13_data[1][0] = 5;
	cr_assert_eq(test_is_sealed(r13_data[1]), 0);
}
