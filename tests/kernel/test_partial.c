// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Side effects of refused calls that span unsealed and sealed mappings
 * (spec §2.3; §6.2 P5/P6, X3b; §6.3 M10/M11; §6.5 A3/A4). The expectation
 * is picked by the running kernel version and each test's name names the
 * rules it chooses between:
 *   6.10-6.11  whole-range pre-check: nothing changes;
 *   6.12+      per-VMA checks: mappings before the sealed one may change;
 *   6.12-6.16  mremap of a multi-VMA source is EFAULT;
 *   6.17+      mremap may move the leading mappings before EPERM.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kutil.h"

static void log_rule(void)
{
	cr_log_info("kernel %d.%d: rule %s", k_ver() / 1000, k_ver() % 1000,
		    k_rule_per_vma() ? "6.12+ per-VMA (leading may change)" :
				       "6.10-6.11 all-or-nothing");
}

/* P5/P5a: [unsealed rw][sealed ro] -> r-x. */
Test(partial, mprotect_unsealed_then_sealed__6_10_unchanged__6_12_leading_changed)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 'a');

	test_require_mseal();
	log_rule();
	cr_assert_eq(mprotect(p + PG, PG, PROT_READ), 0);
	k_seal(p + PG, PG);
	cr_assert_eq(mprotect(p, 2 * PG, PROT_READ | PROT_EXEC), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, k_rule_per_vma() ? "r-xp" : "rw-p");
	k_expect_perms(p + PG, "r--p");
	k_expect_fill(p, 2 * PG, 'a');
}

/* P6/P6a: [sealed][unsealed]: the sealed one comes first, nothing changes. */
Test(partial, mprotect_sealed_then_unsealed_all_versions_unchanged)
{
	char *p = k_anon(2, PROT_READ, 'b');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(mprotect(p, 2 * PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, "r--p");
	k_expect_perms(p + PG, "r--p");
	k_expect_sealed(p + PG, 0);
}

/* X3b/X3c: from the middle of an unsealed VMA into a sealed one. */
Test(partial, mprotect_mid_vma_into_sealed__6_10_unchanged__6_12_tail_changed)
{
	char *p = k_anon(4, PROT_READ, 'c');

	test_require_mseal();
	log_rule();
	k_seal(p + 2 * PG, 2 * PG);
	cr_assert_eq(mprotect(p + PG, 2 * PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, "r--p");
	k_expect_perms(p + PG, k_rule_per_vma() ? "rw-p" : "r--p");
	k_expect_perms(p + 2 * PG, "r--p");
	k_expect_fill(p, 4 * PG, 'c');
}

/* Field report R11 (b): mprotect over [A unsealed][B sealed]. */
Test(partial, r11b_mprotect_a_unsealed_b_sealed__6_10_a_kept__6_12_a_changed)
{
	char *p = k_anon(2, PROT_READ, 'r');

	test_require_mseal();
	log_rule();
	k_seal(p + PG, PG);
	cr_assert_eq(mprotect(p, 2 * PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, k_rule_per_vma() ? "rw-p" : "r--p");
	k_expect_perms(p + PG, "r--p");
	k_expect_sealed(p, 0);
	k_expect_sealed(p + PG, 1);
}

Test(partial, r11b_mprotect_both_unsealed_control_ok)
{
	char *p = k_anon(2, PROT_READ, 'r');

	test_require_mseal();
	cr_assert_eq(mprotect(p, 2 * PG, PROT_READ | PROT_WRITE), 0);
	k_expect_perms(p + PG, "rw-p");
}

Test(partial, pkey_mprotect_unsealed_then_sealed__6_10_unchanged__6_12_leading_changed)
{
	char *p = k_anon(2, PROT_READ, 'k');

	test_require_mseal();
	k_seal(p + PG, PG);
	cr_assert_eq(syscall(SYS_pkey_mprotect, p, 2 * PG, PROT_NONE, -1), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p, k_rule_per_vma() ? "---p" : "r--p");
	k_expect_perms(p + PG, "r--p");
}

/* A3/A3a: DONTNEED over [unsealed rw][sealed ro]. */
Test(partial, madvise_unsealed_rw_then_sealed_ro__6_10_kept__6_12_rw_zapped)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 'd');

	test_require_mseal();
	log_rule();
	cr_assert_eq(mprotect(p + PG, PG, PROT_READ), 0);
	k_seal(p + PG, PG);
	cr_assert_eq(madvise(p, 2 * PG, MADV_DONTNEED), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, PG, k_rule_per_vma() ? 0 : 'd');
	k_expect_fill(p + PG, PG, 'd');
}

/* The same with an unsealed read-only anonymous leader. */
Test(partial, madvise_unsealed_ro_then_sealed_ro__6_10_kept__6_12_leader_zapped)
{
	char *p = k_anon(2, PROT_READ, 'e');

	test_require_mseal();
	k_seal(p + PG, PG);
	cr_assert_eq(madvise(p, 2 * PG, MADV_DONTNEED), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, PG, k_rule_per_vma() ? 0 : 'e');
	k_expect_fill(p + PG, PG, 'e');
}

/* A4/A4a: reverse order, nothing zapped in any version. */
Test(partial, madvise_sealed_ro_then_unsealed_rw_all_versions_kept)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 'f');

	test_require_mseal();
	cr_assert_eq(mprotect(p, PG, PROT_READ), 0);
	k_seal(p, PG);
	cr_assert_eq(madvise(p, 2 * PG, MADV_DONTNEED), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 2 * PG, 'f');
}

Test(partial, madvise_both_unsealed_control_zapped)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 'f');

	test_require_mseal();
	cr_assert_eq(mprotect(p, PG, PROT_READ), 0);
	cr_assert_eq(madvise(p, 2 * PG, MADV_DONTNEED), 0);
	k_expect_fill(p, 2 * PG, 0);
}

static void *move_fixed(void *src, size_t len, void *dst)
{
	return (void *)syscall(SYS_mremap, src, len, len,
			       MREMAP_MAYMOVE | MREMAP_FIXED, dst);
}

/* M10/M10a: move [unsealed][sealed] FIXED. */
Test(partial, mremap_unsealed_then_sealed__6_10_eperm__6_12_efault__6_17_leading_moved)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 0);
	char *dst = k_hole(2);

	test_require_mseal();
	memset(p, 'x', PG);
	memset(p + PG, 'y', PG);
	cr_assert_eq(mprotect(p + PG, PG, PROT_READ), 0);
	k_seal(p + PG, PG);
	cr_assert_eq(move_fixed(p, 2 * PG, dst), MAP_FAILED);
	if (k_rule_mremap_multi_move()) {
		cr_log_info("rule 6.17+: leading unsealed VMA moved, EPERM");
		cr_assert_eq(errno, EPERM);
		k_expect_unmapped(p);
		k_expect_fill(dst, PG, 'x');
	} else {
		cr_log_info("rule 6.10-6.16: nothing moved");
		cr_assert_eq(errno, k_rule_per_vma() ? EFAULT : EPERM);
		k_expect_fill(p, PG, 'x');
		k_expect_unmapped(dst);
	}
	k_expect_fill(p + PG, PG, 'y');
	k_expect_sealed(p + PG, 1);
	k_expect_unmapped(dst + PG);
}

/* M11/M11a: move [sealed][unsealed]: refused at the first VMA. */
Test(partial, mremap_sealed_then_unsealed_all_versions_eperm_nothing_moved)
{
	char *p = k_anon(2, PROT_READ, 'm');
	char *dst = k_hole(2);

	test_require_mseal();
	cr_assert_eq(mprotect(p + PG, PG, PROT_READ | PROT_WRITE), 0);
	k_seal(p, PG);
	cr_assert_eq(move_fixed(p, 2 * PG, dst), MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 2 * PG, 'm');
	k_expect_unmapped(dst);
	k_expect_unmapped(dst + PG);
}

Test(partial, mremap_two_unsealed_vmas_control__6_17_moves__older_efault)
{
	char *p = k_anon(2, PROT_READ, 'm');
	char *dst = k_hole(2);
	void *rc;

	test_require_mseal();
	cr_assert_eq(mprotect(p + PG, PG, PROT_READ | PROT_WRITE), 0);
	rc = move_fixed(p, 2 * PG, dst);
	if (k_rule_mremap_multi_move()) {
		cr_assert_eq(rc, dst, "mremap: %s", strerror(errno));
		k_expect_fill(dst, 2 * PG, 'm');
		k_expect_unmapped(p);
	} else {
		cr_assert_eq(rc, MAP_FAILED);
		cr_assert_eq(errno, EFAULT);
		k_expect_fill(p, 2 * PG, 'm');
	}
}

/* munmap and MAP_FIXED never lose memory, in any version (§2.3). */
Test(partial, munmap_unsealed_then_sealed_all_versions_nothing_unmapped)
{
	char *p = k_anon(3, PROT_READ, 'n');

	test_require_mseal();
	k_seal(p + 2 * PG, PG);
	cr_assert_eq(munmap(p, 3 * PG), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 3 * PG, 'n');
	k_expect_perms(p, "r--p");
}

/* mseal itself: a gap refuses the whole range (atomic for range errors). */
Test(partial, mseal_gap_all_versions_atomic_nothing_sealed)
{
	char *p = k_anon(3, PROT_READ, 'o');

	test_require_mseal();
	cr_assert_eq(munmap(p + PG, PG), 0);
	cr_assert_eq(test_raw_mseal(p, 3 * PG, 0), -ENOMEM);
	k_expect_sealed(p, 0);
	k_expect_sealed(p + 2 * PG, 0);
}
