// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * munmap on sealed memory (spec §2.1 munmap row, §2.3, §6.2 U1-U7, X3;
 * selftest munmap_*_freed). munmap never loses memory in any version: the
 * seal check happens before anything is unmapped. Checks read contents and
 * protections back, never maps line counts (6.12+ may leave a split).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "kutil.h"

/* Unmap [first, first + count) pages of a 4-page RO mapping. */
static void munmap_case(int sealed, size_t first, size_t count)
{
	char *p = k_anon(4, PROT_READ, 'u');
	int rc;

	test_require_mseal();
	if (sealed)
		k_seal(p, 4 * PG);
	rc = munmap(p + first * PG, count * PG);
	if (sealed) {
		cr_assert_eq(rc, -1);
		cr_assert_eq(errno, EPERM);
		k_expect_fill(p, 4 * PG, 'u');
		for (size_t i = 0; i < 4; i++)
			k_expect_sealed(p + i * PG, 1);
	} else {
		cr_assert_eq(rc, 0, "munmap: %s", strerror(errno));
		for (size_t i = 0; i < 4; i++) {
			if (i >= first && i < first + count)
				k_expect_unmapped(p + i * PG);
			else
				k_expect_fill(p + i * PG, PG, 'u');
		}
	}
}

Test(munmap, whole_sealed_eperm)
{
	munmap_case(1, 0, 4);
}

Test(munmap, whole_unsealed_control_ok)
{
	munmap_case(0, 0, 4);
}

Test(munmap, head_sealed_eperm)
{
	munmap_case(1, 0, 1);
}

Test(munmap, head_unsealed_control_ok)
{
	munmap_case(0, 0, 1);
}

Test(munmap, tail_sealed_eperm)
{
	munmap_case(1, 3, 1);
}

Test(munmap, tail_unsealed_control_ok)
{
	munmap_case(0, 3, 1);
}

Test(munmap, middle_sealed_eperm)
{
	munmap_case(1, 1, 2);
}

Test(munmap, middle_unsealed_control_ok)
{
	munmap_case(0, 1, 2);
}

Test(munmap, len0_sealed_einval)
{
	char *p = k_anon(1, PROT_READ, 'z');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(munmap(p, 0), -1);
	cr_assert_eq(errno, EINVAL);
	k_expect_sealed(p, 1);
}

Test(munmap, len0_unsealed_control_einval)
{
	char *p = k_anon(1, PROT_READ, 'z');

	test_require_mseal();
	cr_assert_eq(munmap(p, 0), -1);
	cr_assert_eq(errno, EINVAL);
	k_expect_sealed(p, 0);
}

Test(munmap, unaligned_sealed_einval_before_seal_check)
{
	char *p = k_anon(1, PROT_READ, 'z');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(munmap(p + 1, PG), -1);
	cr_assert_eq(errno, EINVAL);
	k_expect_fill(p, PG, 'z');
}

/* Two VMAs (different prot), both sealed: spanning munmap refused. */
Test(munmap, spanning_two_sealed_vmas_eperm)
{
	char *p = k_anon(4, PROT_READ, 'w');

	test_require_mseal();
	cr_assert_eq(mprotect(p + 2 * PG, 2 * PG, PROT_NONE), 0);
	k_seal(p, 4 * PG);
	cr_assert_eq(munmap(p + PG, 2 * PG), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_perms(p + PG, "r--p");
	k_expect_perms(p + 2 * PG, "---p");
	k_expect_fill(p, 2 * PG, 'w');
}

/* U5/U5a: [unsealed][unsealed][sealed]: nothing unmapped. */
Test(munmap, unsealed_unsealed_sealed_eperm_nothing_unmapped)
{
	char *p = k_anon(3, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(mprotect(p + PG, PG, PROT_NONE), 0);
	k_seal(p + 2 * PG, PG);
	cr_assert_eq(munmap(p, 3 * PG), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, PG, 'a');
	k_expect_perms(p + PG, "---p");
	k_expect_fill(p + 2 * PG, PG, 'a');
	k_expect_sealed(p + 2 * PG, 1);
}

/* U6: the unsealed part alone can still go. */
Test(munmap, unsealed_part_alone_ok)
{
	char *p = k_anon(3, PROT_READ, 'a');

	test_require_mseal();
	k_seal(p + 2 * PG, PG);
	cr_assert_eq(munmap(p, 2 * PG), 0);
	k_expect_unmapped(p);
	k_expect_unmapped(p + PG);
	k_expect_fill(p + 2 * PG, PG, 'a');
}

/* U7/U7a: [unsealed][gap][sealed]. */
Test(munmap, unsealed_gap_sealed_eperm_unsealed_stays)
{
	char *p = k_anon(3, PROT_READ, 'g');

	test_require_mseal();
	cr_assert_eq(munmap(p + PG, PG), 0);
	k_seal(p + 2 * PG, PG);
	cr_assert_eq(munmap(p, 3 * PG), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, PG, 'g');
	k_expect_sealed(p, 0);
	k_expect_fill(p + 2 * PG, PG, 'g');
}

/* X3: from the middle of an unsealed VMA into a sealed one. */
Test(munmap, mid_unsealed_vma_into_sealed_eperm_data_intact)
{
	char *p = k_anon(4, PROT_READ, 'm');

	test_require_mseal();
	k_seal(p + 2 * PG, 2 * PG);
	cr_assert_eq(munmap(p + PG, 2 * PG), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 4 * PG, 'm');
	k_expect_perms(p + PG, "r--p");
	k_expect_sealed(p + PG, 0);
	k_expect_sealed(p + 2 * PG, 1);
}

/* Selftest munmap_{start,middle,end}_freed: part of the range is already
 * gone; the rest, sealed or not, keeps every page. */
static void freed_case(int sealed, size_t freed)
{
	char *p = k_anon(4, PROT_READ, 'f');
	int rc;

	test_require_mseal();
	cr_assert_eq(munmap(p + freed * PG, PG), 0);
	if (sealed)
		for (size_t i = 0; i < 4; i++)
			if (i != freed)
				k_seal(p + i * PG, PG);
	rc = munmap(p, 4 * PG);
	for (size_t i = 0; i < 4; i++) {
		if (i == freed || !sealed) {
			k_expect_unmapped(p + i * PG);
			continue;
		}
		k_expect_fill(p + i * PG, PG, 'f');
		k_expect_sealed(p + i * PG, 1);
	}
	cr_assert_eq(rc, sealed ? -1 : 0);
	if (sealed)
		cr_assert_eq(errno, EPERM);
}

Test(munmap, start_freed_sealed_eperm_rest_kept)
{
	freed_case(1, 0);
}

Test(munmap, start_freed_unsealed_control_ok)
{
	freed_case(0, 0);
}

Test(munmap, middle_freed_sealed_eperm_rest_kept)
{
	freed_case(1, 1);
}

Test(munmap, middle_freed_unsealed_control_ok)
{
	freed_case(0, 1);
}

Test(munmap, end_freed_sealed_eperm_rest_kept)
{
	freed_case(1, 3);
}

Test(munmap, end_freed_unsealed_control_ok)
{
	freed_case(0, 3);
}

/* Field report R11 (c): munmap of [A unsealed][B sealed] is refused and
 * both pages stay mapped. */
Test(munmap, r11c_unsealed_a_sealed_b_eperm_both_mapped)
{
	char *p = k_anon(2, PROT_READ, 'r');

	test_require_mseal();
	k_seal(p + PG, PG);
	cr_assert_eq(munmap(p, 2 * PG), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 2 * PG, 'r');
	k_expect_sealed(p, 0);
	k_expect_sealed(p + PG, 1);
}

Test(munmap, r11c_unsealed_control_both_gone)
{
	char *p = k_anon(2, PROT_READ, 'r');

	test_require_mseal();
	cr_assert_eq(munmap(p, 2 * PG), 0);
	k_expect_unmapped(p);
	k_expect_unmapped(p + PG);
}
