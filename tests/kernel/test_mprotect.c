// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mprotect and pkey_mprotect on sealed memory (spec §2.1 rows 1-3, §6.2
 * P1-P7, X6). Each sealed case has an unsealed control doing the same call.
 * Calls spanning sealed and unsealed mappings are in test_partial.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kutil.h"

/* Map two RO pages, seal them when @sealed, then mprotect to @prot. */
static void mprotect_case(int sealed, int from, int prot, const char *before,
			  const char *after_ok)
{
	char *p = k_anon(2, from, 'p');
	int rc;

	test_require_mseal();
	if (sealed)
		k_seal(p, 2 * PG);
	rc = mprotect(p, 2 * PG, prot);
	if (sealed) {
		cr_assert_eq(rc, -1);
		cr_assert_eq(errno, EPERM);
		k_expect_perms(p, before);
		k_expect_perms(p + PG, before);
		k_expect_sealed(p, 1);
	} else {
		cr_assert_eq(rc, 0, "mprotect: %s", strerror(errno));
		k_expect_perms(p, after_ok);
		k_expect_sealed(p, 0);
	}
	/* Readable exactly when the protection read back says so. */
	cr_assert_eq(k_readable(p), sealed ? (from & PROT_READ) != 0 :
					     (prot & PROT_READ) != 0);
}

Test(mprotect, ro_to_rw_sealed_eperm)
{
	mprotect_case(1, PROT_READ, PROT_READ | PROT_WRITE, "r--p", NULL);
}

Test(mprotect, ro_to_rw_unsealed_control_ok)
{
	mprotect_case(0, PROT_READ, PROT_READ | PROT_WRITE, NULL, "rw-p");
}

Test(mprotect, unchanged_prot_sealed_eperm)
{
	mprotect_case(1, PROT_READ, PROT_READ, "r--p", NULL);
}

Test(mprotect, unchanged_prot_unsealed_control_ok)
{
	mprotect_case(0, PROT_READ, PROT_READ, NULL, "r--p");
}

Test(mprotect, ro_to_none_sealed_eperm)
{
	mprotect_case(1, PROT_READ, PROT_NONE, "r--p", NULL);
}

Test(mprotect, ro_to_none_unsealed_control_ok)
{
	mprotect_case(0, PROT_READ, PROT_NONE, NULL, "---p");
}

Test(mprotect, ro_to_rx_sealed_eperm)
{
	mprotect_case(1, PROT_READ, PROT_READ | PROT_EXEC, "r--p", NULL);
}

Test(mprotect, ro_to_rx_unsealed_control_ok)
{
	mprotect_case(0, PROT_READ, PROT_READ | PROT_EXEC, NULL, "r-xp");
}

Test(mprotect, none_to_rw_sealed_eperm)
{
	mprotect_case(1, PROT_NONE, PROT_READ | PROT_WRITE, "---p", NULL);
}

Test(mprotect, none_to_rw_unsealed_control_ok)
{
	mprotect_case(0, PROT_NONE, PROT_READ | PROT_WRITE, NULL, "rw-p");
}

/* R17: seal first, then make read-only: refused on Linux. */
Test(mprotect, rw_to_ro_after_seal_sealed_eperm_r17)
{
	mprotect_case(1, PROT_READ | PROT_WRITE, PROT_READ, "rw-p", NULL);
}

Test(mprotect, rw_to_ro_unsealed_control_ok_r17)
{
	mprotect_case(0, PROT_READ | PROT_WRITE, PROT_READ, NULL, "r--p");
}

static long pkey_mprotect_raw(void *p, size_t len, int prot, int pkey)
{
	return syscall(SYS_pkey_mprotect, p, len, prot, pkey);
}

Test(pkey_mprotect, minus1_new_prot_sealed_eperm)
{
	char *p = k_anon(1, PROT_READ, 'k');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(pkey_mprotect_raw(p, PG, PROT_READ | PROT_WRITE, -1), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, "r--p");
}

Test(pkey_mprotect, minus1_new_prot_unsealed_control_ok)
{
	char *p = k_anon(1, PROT_READ, 'k');

	test_require_mseal();
	cr_assert_eq(pkey_mprotect_raw(p, PG, PROT_READ | PROT_WRITE, -1), 0);
	k_expect_perms(p, "rw-p");
}

Test(pkey_mprotect, minus1_same_prot_sealed_eperm)
{
	char *p = k_anon(1, PROT_READ, 'k');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(pkey_mprotect_raw(p, PG, PROT_READ, -1), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, "r--p");
	k_expect_fill(p, PG, 'k');
}

Test(pkey_mprotect, minus1_same_prot_unsealed_control_ok)
{
	char *p = k_anon(1, PROT_READ, 'k');

	test_require_mseal();
	cr_assert_eq(pkey_mprotect_raw(p, PG, PROT_READ, -1), 0);
	k_expect_perms(p, "r--p");
}

/* X6: len 0 touches no VMA, so even a sealed address succeeds. */
Test(mprotect, len0_on_sealed_returns0)
{
	char *p = k_anon(1, PROT_READ, 'z');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(mprotect(p, 0, PROT_READ | PROT_WRITE), 0);
	k_expect_perms(p, "r--p");
}

/* Selftest start_mprotect / end_mprotect: only the sealed page refuses. */
Test(mprotect, sealed_first_page_unsealed_tail_still_changes)
{
	char *p = k_anon(3, PROT_READ, 'h');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(mprotect(p, PG, PROT_NONE), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(mprotect(p + PG, 2 * PG, PROT_READ | PROT_WRITE), 0);
	k_expect_perms(p, "r--p");
	k_expect_perms(p + PG, "rw-p");
}

Test(mprotect, sealed_last_page_unsealed_head_still_changes)
{
	char *p = k_anon(3, PROT_READ, 't');

	test_require_mseal();
	k_seal(p + 2 * PG, PG);
	cr_assert_eq(mprotect(p + 2 * PG, PG, PROT_NONE), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(mprotect(p, 2 * PG, PROT_READ | PROT_WRITE), 0);
	k_expect_perms(p, "rw-p");
	k_expect_perms(p + 2 * PG, "r--p");
}

/* Selftest mprotect_two_vma: sealed parts with different protections. */
Test(mprotect, two_sealed_vmas_each_refuse)
{
	char *p = k_anon(4, PROT_READ, 'd');

	test_require_mseal();
	cr_assert_eq(mprotect(p + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE), 0);
	k_seal(p, 4 * PG);
	cr_assert_eq(mprotect(p, 2 * PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(mprotect(p + 2 * PG, 2 * PG, PROT_READ), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, "r--p");
	k_expect_perms(p + 2 * PG, "rw-p");
}

/* Selftest mprotect_merge: a sealed VMA merged from two seals refuses. */
Test(mprotect, merged_sealed_vma_refuses_whole)
{
	char *p = k_anon(4, PROT_READ, 'g');

	test_require_mseal();
	k_seal(p, 2 * PG);
	k_seal(p + 2 * PG, 2 * PG);
	cr_assert_eq(mprotect(p + PG, 2 * PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p + PG, "r--p");
	k_expect_perms(p + 2 * PG, "r--p");
}

Test(mprotect, sealed_shared_file_eperm)
{
	int fd = k_memfd(1, 'S');
	char *p = k_file(fd, 1, PROT_READ, MAP_SHARED);

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, "r--s");
}

Test(mprotect, unsealed_shared_file_control_ok)
{
	int fd = k_memfd(1, 'S');
	char *p = k_file(fd, 1, PROT_READ, MAP_SHARED);

	test_require_mseal();
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
	k_expect_perms(p, "rw-s");
}
