// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The mseal system call itself (spec §1.2, §1.3, §6.1): argument order,
 * length rounding, holes, resealing, sealing across mappings, split and
 * merge. The raw syscall is used so the library cannot hide anything.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "kutil.h"

/* --- 1.2 step 1: flags are checked first --- */

Test(syscall, flags_zero_control_seals)
{
	char *p = k_anon(1, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, PG, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_fill(p, PG, 'a');
}

Test(syscall, flags_one_einval_nothing_sealed)
{
	char *p = k_anon(1, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, PG, 1), -EINVAL);
	k_expect_sealed(p, 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
}

Test(syscall, flags_0x20_einval)
{
	char *p = k_anon(1, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, PG, 0x20), -EINVAL);
	k_expect_sealed(p, 0);
}

Test(syscall, flags_one_unaligned_einval)
{
	char *p = k_anon(1, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p + 1, PG, 1), -EINVAL);
	k_expect_sealed(p, 0);
}

Test(syscall, flags_one_unmapped_einval_not_enomem)
{
	char *h = k_hole(1);

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(h, PG, 1), -EINVAL);
}

Test(syscall, flags_one_len0_einval_not_zero)
{
	char *h = k_hole(1);

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(h, 0, 1), -EINVAL);
}

/* --- steps 3-6: alignment, rounding, overflow, len 0 --- */

Test(syscall, unaligned_start_einval)
{
	char *p = k_anon(2, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p + 1, PG, 0), -EINVAL);
	k_expect_sealed(p, 0);
	k_expect_sealed(p + PG, 0);
}

Test(syscall, len0_mapped_returns0_nothing_sealed)
{
	char *p = k_anon(1, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, 0, 0), 0);
	k_expect_sealed(p, 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
}

Test(syscall, len0_unmapped_returns0)
{
	char *h = k_hole(1);

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(h, 0, 0), 0);
	k_expect_unmapped(h);
}

Test(syscall, len0_unaligned_einval)
{
	char *p = k_anon(1, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p + 8, 0, 0), -EINVAL);
	k_expect_sealed(p, 0);
}

Test(syscall, len_near_size_max_einval)
{
	char *p = k_anon(1, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, SIZE_MAX - 10, 0), -EINVAL);
	k_expect_sealed(p, 0);
}

Test(syscall, start_plus_len_wraps_einval)
{
	char *p = k_anon(1, PROT_READ, 'a');
	size_t len = (SIZE_MAX - (uintptr_t)p) + 1 + PG;

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, len & ~(PG - 1), 0), -EINVAL);
	k_expect_sealed(p, 0);
}

Test(syscall, top_page_wraps_einval)
{
	test_require_mseal();
	cr_assert_eq(test_raw_mseal((void *)(uintptr_t)0xfffffffffffff000ULL,
				    PG, 0), -EINVAL);
}

Test(syscall, huge_len_pages_of_u64_enomem)
{
	/* The selftest's UINT64_MAX / page_size: no wrap, but unmapped. */
	char *p = k_anon(1, PROT_READ, 'a');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, UINT64_MAX / PG, 0), -ENOMEM);
	k_expect_sealed(p, 0);
}

/* --- step 8: gaps give ENOMEM and nothing is sealed --- */

Test(syscall, unmapped_enomem)
{
	char *h = k_hole(2);

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(h, 2 * PG, 0), -ENOMEM);
}

Test(syscall, vsyscall_page_enomem)
{
	test_require_mseal();
	cr_assert_eq(test_raw_mseal((void *)(uintptr_t)0xffffffffff600000ULL,
				    PG, 0), -ENOMEM);
}

Test(syscall, kernel_half_enomem)
{
	test_require_mseal();
	cr_assert_eq(test_raw_mseal((void *)(uintptr_t)0xffff800000000000ULL,
				    PG, 0), -ENOMEM);
}

Test(syscall, hole_middle_enomem_nothing_sealed)
{
	char *p = k_anon(3, PROT_READ, 'm');

	test_require_mseal();
	cr_assert_eq(munmap(p + PG, PG), 0);
	cr_assert_eq(test_raw_mseal(p, 3 * PG, 0), -ENOMEM);
	k_expect_sealed(p, 0);
	k_expect_sealed(p + 2 * PG, 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
}

Test(syscall, hole_middle_control_pieces_seal)
{
	char *p = k_anon(3, PROT_READ, 'm');

	test_require_mseal();
	cr_assert_eq(munmap(p + PG, PG), 0);
	cr_assert_eq(test_raw_mseal(p, PG, 0), 0);
	cr_assert_eq(test_raw_mseal(p + 2 * PG, PG, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_sealed(p + 2 * PG, 1);
	k_expect_unmapped(p + PG);
}

Test(syscall, hole_end_enomem_nothing_sealed)
{
	char *p = k_anon(3, PROT_READ, 'e');

	test_require_mseal();
	cr_assert_eq(munmap(p + 2 * PG, PG), 0);
	cr_assert_eq(test_raw_mseal(p, 3 * PG, 0), -ENOMEM);
	k_expect_sealed(p, 0);
	k_expect_sealed(p + PG, 0);
	cr_assert_eq(mprotect(p, 2 * PG, PROT_NONE), 0);
}

Test(syscall, hole_start_enomem_nothing_sealed)
{
	char *p = k_anon(3, PROT_READ, 's');

	test_require_mseal();
	cr_assert_eq(munmap(p, PG), 0);
	cr_assert_eq(test_raw_mseal(p, 3 * PG, 0), -ENOMEM);
	k_expect_sealed(p + PG, 0);
	k_expect_sealed(p + 2 * PG, 0);
	cr_assert_eq(mprotect(p + PG, 2 * PG, PROT_NONE), 0);
}

Test(syscall, len_past_mapping_enomem_nothing_sealed)
{
	char *p = k_anon(2, PROT_READ, 'l');

	test_require_mseal();
	cr_assert_eq(munmap(p + PG, PG), 0);
	cr_assert_eq(test_raw_mseal(p, 2 * PG, 0), -ENOMEM);
	k_expect_sealed(p, 0);
}

/* --- length rounding (S10, selftest unalign_len) --- */

Test(syscall, len_1_seals_exactly_first_page)
{
	char *p = k_anon(2, PROT_READ, 'r');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, 1, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_sealed(p + PG, 0);
	cr_assert_eq(mprotect(p + PG, PG, PROT_READ | PROT_WRITE), 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
}

Test(syscall, len_page_plus_1_seals_two_pages)
{
	char *p = k_anon(4, PROT_READ, 'r');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p + PG, PG + 1, 0), 0);
	k_expect_sealed(p, 0);
	k_expect_sealed(p + PG, 1);
	k_expect_sealed(p + 2 * PG, 1);
	k_expect_sealed(p + 3 * PG, 0);
}

Test(syscall, len_two_pages_minus_1_seals_two_pages)
{
	char *p = k_anon(3, PROT_READ, 'r');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, 2 * PG - 1, 0), 0);
	k_expect_sealed(p + PG, 1);
	k_expect_sealed(p + 2 * PG, 0);
	cr_assert_eq(mprotect(p + 2 * PG, PG, PROT_NONE), 0);
}

/* --- 1.3: idempotence, split, merge --- */

Test(syscall, reseal_returns_0)
{
	char *p = k_anon(2, PROT_READ, 'i');

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(test_raw_mseal(p, 2 * PG, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_fill(p, 2 * PG, 'i');
}

Test(syscall, reseal_partly_sealed_range_returns_0)
{
	char *p = k_anon(3, PROT_READ, 'i');

	test_require_mseal();
	k_seal(p + PG, PG);
	cr_assert_eq(test_raw_mseal(p, 3 * PG, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_sealed(p + 2 * PG, 1);
}

Test(syscall, seal_middle_page_splits_vma)
{
	char *p = k_anon(3, PROT_READ, 'x');
	struct test_vma v;

	test_require_mseal();
	k_seal(p + PG, PG);
	cr_assert_eq(test_vma_at(p + PG, &v), 0);
	cr_assert_eq(v.start, (uintptr_t)(p + PG));
	cr_assert_eq(v.end, (uintptr_t)(p + 2 * PG));
	cr_assert(v.sealed);
	k_expect_sealed(p, 0);
	k_expect_sealed(p + 2 * PG, 0);
	cr_assert_eq(mprotect(p, PG, PROT_NONE), 0);
	cr_assert_eq(mprotect(p + 2 * PG, PG, PROT_NONE), 0);
}

Test(syscall, seal_rest_merges_into_one_vma)
{
	char *p = k_anon(3, PROT_READ, 'x');
	struct test_vma v;

	test_require_mseal();
	k_seal(p + PG, PG);
	k_seal(p, 3 * PG);
	cr_assert_eq(test_vma_at(p + PG, &v), 0);
	cr_assert_eq(v.start, (uintptr_t)p);
	cr_assert_eq(v.end, (uintptr_t)(p + 3 * PG));
	cr_assert(v.sealed);
}

Test(syscall, split_start_then_rest)
{
	char *p = k_anon(4, PROT_READ, 'x');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, PG, 0), 0);
	k_expect_sealed(p + PG, 0);
	cr_assert_eq(test_raw_mseal(p + PG, 3 * PG, 0), 0);
	k_expect_sealed(p + 3 * PG, 1);
}

Test(syscall, split_end_then_rest)
{
	char *p = k_anon(4, PROT_READ, 'x');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p + 3 * PG, PG, 0), 0);
	k_expect_sealed(p, 0);
	cr_assert_eq(test_raw_mseal(p, 3 * PG, 0), 0);
	k_expect_sealed(p, 1);
}

Test(syscall, across_two_vmas_keeps_both_protections)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 'v');
	struct test_vma v;

	test_require_mseal();
	cr_assert_eq(mprotect(p + PG, PG, PROT_READ), 0);
	k_seal(p, 2 * PG);
	k_expect_perms(p, "rw-p");
	k_expect_perms(p + PG, "r--p");
	k_expect_sealed(p, 1);
	k_expect_sealed(p + PG, 1);
	cr_assert_eq(test_vma_at(p, &v), 0);
	cr_assert_eq(v.end, (uintptr_t)(p + PG));
}

Test(syscall, across_three_vmas)
{
	char *p = k_anon(3, PROT_READ, 'v');

	test_require_mseal();
	cr_assert_eq(mprotect(p + PG, PG, PROT_NONE), 0);
	cr_assert_eq(mprotect(p + 2 * PG, PG, PROT_READ | PROT_EXEC), 0);
	k_seal(p, 3 * PG);
	k_expect_perms(p, "r--p");
	k_expect_perms(p + PG, "---p");
	k_expect_perms(p + 2 * PG, "r-xp");
	k_expect_sealed(p + 2 * PG, 1);
}

Test(syscall, prot_none_can_be_sealed)
{
	char *p = k_anon(1, PROT_NONE, 0);

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, PG, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_perms(p, "---p");
}

/* Map one page at @at (inside a PROT_NONE reservation, so it cannot merge
 * with anything at creation), written, then read-only. */
static char *page_at(char *at)
{
	char *q = mmap(at, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	cr_assert_eq(q, at, "mmap: %s", strerror(errno));
	memset(q, 'n', PG);
	cr_assert_eq(mprotect(q, PG, PROT_READ), 0);
	return q;
}

Test(syscall, new_neighbour_not_merged_until_sealed)
{
	/* [none][p][q][none]: p and q are made the same way, so only the
	 * seal can keep them apart. */
	char *res = k_anon(4, PROT_NONE, 0);
	char *p, *q;
	struct test_vma v;

	test_require_mseal();
	p = page_at(res + PG);
	k_seal(p, PG);
	q = page_at(res + 2 * PG);
	cr_assert_eq(test_vma_at(p, &v), 0);
	cr_assert_eq(v.start, (uintptr_t)p);
	cr_assert_eq(v.end, (uintptr_t)q, "unsealed neighbour merged");
	k_expect_sealed(q, 0);
	k_seal(q, PG);
	cr_assert_eq(test_vma_at(p, &v), 0);
	cr_assert_eq(v.start, (uintptr_t)p);
	cr_assert_eq(v.end, (uintptr_t)(q + PG), "sealed pair not merged");
	k_expect_fill(p, 2 * PG, 'n');
}

Test(syscall, vmflags_show_sl_when_sealed)
{
	char *p = k_anon(1, PROT_READ | PROT_WRITE, 'f');

	test_require_mseal();
	cr_assert_eq(test_has_vmflag(p, "sl"), 0);
	k_seal(p, PG);
	cr_assert_eq(test_has_vmflag(p, "sl"), 1);
	cr_assert_eq(test_has_vmflag(p, "wr"), 1);
}

Test(syscall, sealed_rw_memory_stays_writable)
{
	/* Sealing fixes the mapping, not the data. */
	char *p = k_anon(1, PROT_READ | PROT_WRITE, 'w');

	test_require_mseal();
	k_seal(p, PG);
	memset(p, 'z', PG);
	k_expect_fill(p, PG, 'z');
	k_expect_perms(p, "rw-p");
}

Test(syscall, shared_anon_can_be_sealed)
{
	char *p = k_shared_anon(1, PROT_READ, 's');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, PG, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_perms(p, "r--s");
}

Test(syscall, file_private_can_be_sealed)
{
	int fd = k_memfd(1, 'F');
	char *p = k_file(fd, 1, PROT_READ, MAP_PRIVATE);

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, PG, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_fill(p, PG, 'F');
}

/* Bounds of the mapping at @p, as start and end page numbers from @base. */
static void expect_vma_pages(const char *base, const char *p, size_t first,
			     size_t end)
{
	struct test_vma v;

	cr_assert_eq(test_vma_at(p, &v), 0);
	cr_assert_eq(v.start, (uintptr_t)(base + first * PG),
		     "mapping at page %zu starts at page %ld, expected %zu",
		     (size_t)(p - base) / PG,
		     (long)((v.start - (uintptr_t)base) / PG), first);
	cr_assert_eq(v.end, (uintptr_t)(base + end * PG),
		     "mapping at page %zu ends at page %ld, expected %zu",
		     (size_t)(p - base) / PG,
		     (long)((v.end - (uintptr_t)base) / PG), end);
	cr_assert(v.sealed);
}

/* Selftest merge_and_split: 22 read-only pages between two PROT_NONE
 * pages; seals at both ends split off small sealed mappings, seals next
 * to them grow them, and a last seal of the middle merges all 22. */
Test(syscall, merge_and_split_selftest_layout)
{
	char *b = k_anon(24, PROT_READ, 'g');

	test_require_mseal();
	cr_assert_eq(mprotect(b, PG, PROT_NONE), 0);
	cr_assert_eq(mprotect(b + 23 * PG, PG, PROT_NONE), 0);
	k_seal(b + PG, PG);
	expect_vma_pages(b, b + PG, 1, 2);
	k_seal(b + 22 * PG, PG);
	expect_vma_pages(b, b + 22 * PG, 22, 23);
	k_seal(b + 2 * PG, PG);
	expect_vma_pages(b, b + PG, 1, 3);
	k_seal(b + 20 * PG, 2 * PG);
	expect_vma_pages(b, b + 20 * PG, 20, 23);
	k_expect_sealed(b + 3 * PG, 0);
	k_seal(b + 3 * PG, 17 * PG);
	expect_vma_pages(b, b + 10 * PG, 1, 23);
	k_expect_sealed(b, 0);
	k_expect_sealed(b + 23 * PG, 0);
	cr_assert_eq(munmap(b + 5 * PG, PG), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(mprotect(b + 10 * PG, PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(b + PG, 22 * PG, 'g');
}
