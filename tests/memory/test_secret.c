// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Secret memory: guards, VmFlags, overflow detection, wipe on free and on
 * fork, slot reuse. Field reports R08, R09, R10, R11(d). Each test is its
 * own process; sealed cases have an unsealed control.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "memtest.h"
#include "testutil.h"

static void *secret(size_t size, unsigned flags)
{
	void *p = NULL;

	cr_assert_eq(mseal_secret_alloc(size, flags, &p), 0,
		     "mseal_secret_alloc(%zu, %u)", size, flags);
	cr_assert_not_null(p);
	cr_assert_eq((uintptr_t)p % 16, 0);
	return p;
}

/* The data mapping around @p, and checks of both guards next to it. */
static void assert_layout(void *p)
{
	struct test_vma data, guard;

	cr_assert_eq(test_vma_at(p, &data), 0);
	cr_assert_str_eq(data.perms, "rw-p");
	/* R10: each flag from its own call, all before any seal. */
	cr_assert(test_has_vmflag(p, "lo"), "VmFlags: %s", data.vmflags);
	cr_assert(test_has_vmflag(p, "dd"), "VmFlags: %s", data.vmflags);
	cr_assert(test_has_vmflag(p, "wf"), "VmFlags: %s", data.vmflags);
	cr_assert_eq(data.sealed, 0, "VmFlags: %s", data.vmflags);
	cr_assert_eq(test_vma_at((void *)(data.start - 1), &guard), 0);
	cr_assert_str_eq(guard.perms, "---p");
	cr_assert_eq(guard.sealed, 1, "VmFlags: %s", guard.vmflags);
	cr_assert_eq(test_vma_at((void *)data.end, &guard), 0);
	cr_assert_str_eq(guard.perms, "---p");
	cr_assert_eq(guard.sealed, 1, "VmFlags: %s", guard.vmflags);
}

Test(secret, small_secret_in_slab_layout)
{
	unsigned char *p = secret(32, 0);

	test_require_mseal();
	for (int i = 0; i < 32; i++)
		cr_assert_eq(p[i], 0);
	memset(p, 0x11, 32);
	assert_layout(p);
	cr_assert_eq(mseal_secret_free(p), 0);
}

Test(secret, page_secret_layout)
{
	unsigned char *p = secret(4096, 0);

	test_require_mseal();
	memset(p, 0x22, 4096);
	assert_layout(p);
	cr_assert_eq((uintptr_t)p % test_page(), 0);
	cr_assert_eq(mseal_secret_free(p), 0);
}

/* --- guards: sealed, so EPERM; the unsealed control allows the call --- */

static void *guard_after(void *p)
{
	struct test_vma data;

	cr_assert_eq(test_vma_at(p, &data), 0);
	return (void *)data.end;
}

Test(secret_guard, munmap_and_mprotect_eperm)
{
	void *g = guard_after(secret(64, 0));

	test_require_mseal();
	cr_assert_eq(munmap(g, test_page()), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(mprotect(g, test_page(), PROT_READ), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(test_is_sealed(g), 1);
}

Test(secret_guard, unavailable_control_guards_unsealed)
{
	void *p = NULL, *g;

	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	cr_assert_eq(mseal_secret_alloc(64, 0, &p),
		     LIBMSEAL_SEALED_UNAVAILABLE);
	g = guard_after(p);
	cr_assert_eq(test_is_sealed(g), 0);
	cr_assert(test_has_vmflag(p, "lo") && test_has_vmflag(p, "wf"));
	cr_assert_eq(mprotect(g, test_page(), PROT_READ), 0);
	cr_assert_eq(mseal_secret_free(p), 0);
}

/* --- overflow: the guard page faults, or free reports the canary --- */

Test(secret_overflow, page_secret_end_hits_guard, .signal = SIGSEGV)
{
	volatile unsigned char *p = secret(4096, 0);

	p[4096] = 1;
}

Test(secret_overflow, small_own_pages_end_hits_guard, .signal = SIGSEGV)
{
	volatile unsigned char *p = secret(32, LIBMSEAL_SECRET_PAGES);

	p[31] = 1; /* the last byte is fine */
	p[32] = 1;
}

Test(secret_overflow, page_secret_last_byte_control)
{
	volatile unsigned char *p = secret(4096, 0);

	p[4095] = 1;
	cr_assert_eq(mseal_secret_free((void *)p), 0);
}

static void canary_case(size_t size, unsigned flags, long at)
{
	unsigned char *p = secret(size, flags);

	memset(p, 0x33, size);
	p[at] ^= 0xff;
	cr_assert_eq(mseal_secret_free(p), -EOVERFLOW);
	cr_assert_eq(mseal_secret_free(p), -EINVAL); /* retired */
}

Test(secret_overflow, slab_overflow_breaks_canary) { canary_case(20, 0, 20); }
Test(secret_overflow, slab_underflow_breaks_canary) { canary_case(32, 0, -1); }
Test(secret_overflow, slab_slack_overflow_breaks_canary)
{
	canary_case(100, 0, 110);
}
Test(secret_overflow, pages_overflow_breaks_canary)
{
	canary_case(100, LIBMSEAL_SECRET_PAGES, 100);
}
Test(secret_overflow, pages_underflow_breaks_canary)
{
	canary_case(100, LIBMSEAL_SECRET_PAGES, -3);
}

Test(secret_overflow, retired_slot_never_reused)
{
	unsigned char *p = secret(48, 0), *q;

	p[48] = 0;
	p[49] ^= 0xff;
	cr_assert_eq(mseal_secret_free(p), -EOVERFLOW);
	for (int i = 0; i < 200; i++) {
		q = secret(48, 0);
		cr_assert_neq(q, p);
	}
}

/* --- free: wipe, keep, reuse; bad pointers rejected (R08, R09, R11d) --- */

Test(secret_free, page_slot_wiped_closed_and_reused)
{
	unsigned char *p = secret(4096, 0), *q;
	void *g = guard_after(p);
	char perms[5];

	test_require_mseal();
	memset(p, 0x44, 4096);
	cr_assert_eq(mseal_secret_free(p), 0);
	/* Still mapped, closed, guards still sealed: no munmap (R08). */
	cr_assert_eq(test_perms(p, perms), 0);
	cr_assert_str_eq(perms, "---p");
	cr_assert_eq(test_is_sealed(g), 1);
	q = secret(4096, 0);
	cr_assert_eq(q, p);
	for (int i = 0; i < 4096; i++)
		cr_assert_eq(q[i], 0, "byte %d not wiped", i);
}

Test(secret_free, slab_slot_wiped_and_reused)
{
	unsigned char *p = secret(32, 0), *q;

	memset(p, 0x55, 32);
	cr_assert_eq(mseal_secret_free(p), 0);
	for (int i = 0; i < 32; i++)
		cr_assert_eq(p[i], 0); /* slab pages stay readable */
	q = secret(32, 0);
	cr_assert_eq(q, p);
}

Test(secret_free, r09_readonly_secret_frees_and_wipes)
{
	unsigned char *p = secret(64, LIBMSEAL_SECRET_PAGES), *q;

	memset(p, 0x66, 64);
	cr_assert_eq(mseal_secret_protect(p, PROT_READ), 0);
	cr_assert_eq(mseal_secret_free(p), 0);
	q = secret(64, LIBMSEAL_SECRET_PAGES);
	cr_assert_eq(q, p);
	for (int i = 0; i < 64; i++)
		cr_assert_eq(q[i], 0);
}

Test(secret_free, r11d_foreign_pointers_einval)
{
	char *m = malloc(64);
	unsigned char *p = secret(32, 0), *big = secret(8192, 0);

	cr_assert_eq(mseal_secret_free(m), -EINVAL);
	cr_assert_eq(mseal_secret_free(p + 16), -EINVAL);
	cr_assert_eq(mseal_secret_free(big + 1), -EINVAL);
	cr_assert_eq(mseal_secret_free(NULL), 0);
	cr_assert_eq(mseal_secret_free(p), 0);
	cr_assert_eq(mseal_secret_free(p), -EINVAL); /* double free */
	cr_assert_eq(mseal_secret_free(big), 0);
	cr_assert_eq(mseal_secret_protect(m, PROT_READ), -EINVAL);
	free(m);
}

Test(secret, bad_arguments_einval)
{
	void *p = (void *)1;

	cr_assert_eq(mseal_secret_alloc(0, 0, &p), -EINVAL);
	cr_assert_eq(mseal_secret_alloc(16, 2, &p), -EINVAL);
	cr_assert_eq(mseal_secret_alloc((size_t)1 << 31, 0, &p), -EINVAL);
	cr_assert_eq(mseal_secret_alloc(16, 0, NULL), -EINVAL);
	cr_assert_eq(p, (void *)1);
}

/* --- access toggles, only for secrets with pages of their own --- */

Test(secret_protect, slab_secret_eopnotsupp)
{
	void *p = secret(32, 0);

	cr_assert_eq(mseal_secret_protect(p, PROT_READ), -EOPNOTSUPP);
	cr_assert_eq(mseal_secret_protect(p, PROT_EXEC), -EINVAL);
}

Test(secret_protect, readonly_write_faults, .signal = SIGSEGV)
{
	volatile unsigned char *p = secret(32, LIBMSEAL_SECRET_PAGES);

	p[0] = 7;
	cr_assert_eq(mseal_secret_protect((void *)p, PROT_READ), 0);
	cr_assert_eq(p[0], 7);
	p[0] = 8;
}

Test(secret_protect, noaccess_read_faults, .signal = SIGSEGV)
{
	volatile unsigned char *p = secret(5000, 0);

	cr_assert_eq(mseal_secret_protect((void *)p, PROT_NONE), 0);
	(void)p[0];
}

Test(secret_protect, readwrite_again_works)
{
	unsigned char *p = secret(32, LIBMSEAL_SECRET_PAGES);

	cr_assert_eq(mseal_secret_protect(p, PROT_NONE), 0);
	cr_assert_eq(mseal_secret_protect(p, PROT_READ | PROT_WRITE), 0);
	p[0] = 9;
	cr_assert_eq(p[0], 9);
	cr_assert_eq(mseal_secret_free(p), 0);
}

/* --- fork: the child reads zeros, the parent keeps its secret --- */

static unsigned char *fork_secrets[2];

static int child_reads_zeros(void *arg)
{
	(void)arg;
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < 32; i++)
			if (fork_secrets[s][i] != 0)
				return 1;
	/* The child may free what it inherited: the wiped canaries are
	 * not taken for an overflow. */
	if (mseal_secret_free(fork_secrets[0]) != 0 ||
	    mseal_secret_free(fork_secrets[1]) != 0)
		return 2;
	return 0;
}

Test(secret_fork, child_reads_zeros_parent_intact)
{
	fork_secrets[0] = secret(32, 0);
	fork_secrets[1] = secret(4096, 0);
	memset(fork_secrets[0], 0x77, 32);
	memset(fork_secrets[1], 0x77, 4096);
	cr_assert_eq(memtest_in_child(child_reads_zeros, NULL), 0);
	for (int i = 0; i < 32; i++)
		cr_assert_eq(fork_secrets[0][i] & fork_secrets[1][i], 0x77);
	cr_assert_eq(mseal_secret_free(fork_secrets[0]), 0);
	cr_assert_eq(mseal_secret_free(fork_secrets[1]), 0);
}

static int child_sees_copy(void *arg)
{
	return ((unsigned char *)arg)[0] == 0x77 ? 0 : 1;
}

Test(secret_fork, control_plain_mapping_is_copied)
{
	unsigned char *p = test_map(1, PROT_READ | PROT_WRITE, 0x77);

	cr_assert_eq(memtest_in_child(child_sees_copy, p), 0);
}

/* mlock is not inherited: a slot handed out in the child is locked again. */
static int child_allocs_locked(void *arg)
{
	void *small, *page;

	(void)arg;
	if (test_has_vmflag(fork_secrets[0], "lo") ||
	    test_has_vmflag(fork_secrets[1], "lo"))
		return 3; /* then the kernel changed: the test must be rethought */
	if (mseal_secret_alloc(32, 0, &small) != 0 ||
	    mseal_secret_alloc(4096, 0, &page) != 0)
		return 1;
	if (!test_has_vmflag(small, "lo") || !test_has_vmflag(page, "lo"))
		return 2;
	return 0;
}

Test(secret_fork, child_reuses_slots_locked_again)
{
	fork_secrets[0] = secret(32, 0);
	fork_secrets[1] = secret(4096, 0);
	cr_assert_eq(mseal_secret_free(fork_secrets[1]), 0); /* reused below */
	cr_assert_eq(memtest_in_child(child_allocs_locked, NULL), 0);
}
