// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every mremap form against sealed memory (spec §2.1 mremap rows, §6.3
 * M1-M9, X7; selftest mremap tests). The raw syscall is used so the fifth
 * argument is always defined (spec M5: stray register garbage gives EINVAL).
 * A multi-VMA move ([unsealed][sealed]) is in test_partial.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kutil.h"

static void *remap(void *old, size_t old_len, size_t new_len, int flags,
		   void *new_addr)
{
	return (void *)syscall(SYS_mremap, old, old_len, new_len, flags,
			       new_addr);
}

/* Expect EPERM and the sealed source untouched: 'q' in @pages pages. */
static void expect_refused(void *rc, char *src, size_t pages)
{
	cr_assert_eq(rc, MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(src, pages * PG, 'q');
	k_expect_sealed(src, 1);
	k_expect_perms(src, "r--p");
}

Test(mremap, shrink_sealed_eperm)
{
	char *p = k_anon(4, PROT_READ, 'q');

	test_require_mseal();
	k_seal(p, 4 * PG);
	expect_refused(remap(p, 4 * PG, 2 * PG, 0, NULL), p, 4);
	k_expect_sealed(p + 3 * PG, 1);
}

Test(mremap, shrink_unsealed_control_ok)
{
	char *p = k_anon(4, PROT_READ, 'q');

	test_require_mseal();
	cr_assert_eq(remap(p, 4 * PG, 2 * PG, 0, NULL), p);
	k_expect_unmapped(p + 3 * PG);
	k_expect_fill(p, 2 * PG, 'q');
}

/* Two pages with two free pages after them. */
static char *with_room(void)
{
	char *p = k_anon(4, PROT_READ, 'q');

	cr_assert_eq(munmap(p + 2 * PG, 2 * PG), 0);
	return p;
}

Test(mremap, grow_in_place_sealed_eperm)
{
	char *p = with_room();

	test_require_mseal();
	k_seal(p, 2 * PG);
	expect_refused(remap(p, 2 * PG, 4 * PG, 0, NULL), p, 2);
	k_expect_unmapped(p + 2 * PG);
}

Test(mremap, grow_in_place_unsealed_control_ok)
{
	char *p = with_room();

	test_require_mseal();
	cr_assert_eq(remap(p, 2 * PG, 4 * PG, 0, NULL), p);
	k_expect_perms(p + 3 * PG, "r--p");
}

Test(mremap, grow_maymove_sealed_eperm)
{
	char *p = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	k_seal(p, 2 * PG);
	expect_refused(remap(p, 2 * PG, 64 * PG, MREMAP_MAYMOVE, NULL), p, 2);
}

Test(mremap, grow_maymove_unsealed_control_ok)
{
	char *p = k_anon(2, PROT_READ, 'q');
	char *q;

	test_require_mseal();
	q = remap(p, 2 * PG, 64 * PG, MREMAP_MAYMOVE, NULL);
	cr_assert_neq(q, MAP_FAILED, "mremap: %s", strerror(errno));
	k_expect_fill(q, 2 * PG, 'q');
}

Test(mremap, move_fixed_sealed_eperm)
{
	char *p = k_anon(2, PROT_READ, 'q');
	char *dst = k_hole(2);

	test_require_mseal();
	k_seal(p, 2 * PG);
	expect_refused(remap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			     dst), p, 2);
	k_expect_unmapped(dst);
}

Test(mremap, move_fixed_unsealed_control_ok)
{
	char *p = k_anon(2, PROT_READ, 'q');
	char *dst = k_hole(2);

	test_require_mseal();
	cr_assert_eq(remap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst), dst);
	k_expect_fill(dst, 2 * PG, 'q');
	k_expect_unmapped(p);
}

Test(mremap, shrink_and_move_fixed_sealed_eperm)
{
	char *p = k_anon(4, PROT_READ, 'q');
	char *dst = k_hole(2);

	test_require_mseal();
	k_seal(p, 4 * PG);
	expect_refused(remap(p, 4 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			     dst), p, 4);
	k_expect_unmapped(dst);
}

Test(mremap, shrink_and_move_fixed_unsealed_control_ok)
{
	char *p = k_anon(4, PROT_READ, 'q');
	char *dst = k_hole(2);

	test_require_mseal();
	cr_assert_eq(remap(p, 4 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst), dst);
	k_expect_fill(dst, 2 * PG, 'q');
	k_expect_unmapped(p + 3 * PG);
}

Test(mremap, dontunmap_sealed_eperm)
{
	char *p = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	k_seal(p, 2 * PG);
	expect_refused(remap(p, 2 * PG, 2 * PG,
			     MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL), p, 2);
}

Test(mremap, dontunmap_unsealed_control_ok)
{
	char *p = k_anon(2, PROT_READ, 'q');
	char *q;

	test_require_mseal();
	q = remap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	cr_assert_neq(q, MAP_FAILED, "mremap: %s", strerror(errno));
	k_expect_fill(q, 2 * PG, 'q');
	k_expect_perms(p, "r--p"); /* the source stays mapped, now empty */
}

Test(mremap, dontunmap_with_hint_sealed_eperm)
{
	char *p = k_anon(2, PROT_READ, 'q');
	char *hint = k_hole(2);

	test_require_mseal();
	k_seal(p, 2 * PG);
	expect_refused(remap(p, 2 * PG, 2 * PG,
			     MREMAP_MAYMOVE | MREMAP_DONTUNMAP, hint), p, 2);
}

Test(mremap, same_size_noop_sealed_eperm)
{
	char *p = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	k_seal(p, 2 * PG);
	expect_refused(remap(p, 2 * PG, 2 * PG, 0, NULL), p, 2);
}

Test(mremap, same_size_noop_unsealed_control_returns_addr)
{
	char *p = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	cr_assert_eq(remap(p, 2 * PG, 2 * PG, 0, NULL), p);
	k_expect_fill(p, 2 * PG, 'q');
}

Test(mremap, same_size_maymove_sealed_eperm)
{
	char *p = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	k_seal(p, 2 * PG);
	expect_refused(remap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE, NULL), p, 2);
}

/* M7: unsealed source moved FIXED onto a sealed destination. */
Test(mremap, unsealed_src_fixed_onto_sealed_dst_eperm)
{
	char *src = k_anon(2, PROT_READ, 's');
	char *dst = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	k_seal(dst, 2 * PG);
	cr_assert_eq(remap(src, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst), MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(src, 2 * PG, 's');
	k_expect_fill(dst, 2 * PG, 'q');
	k_expect_sealed(dst, 1);
	k_expect_sealed(src, 0);
}

Test(mremap, unsealed_src_fixed_onto_unsealed_dst_control_ok)
{
	char *src = k_anon(2, PROT_READ, 's');
	char *dst = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	cr_assert_eq(remap(src, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst), dst);
	k_expect_fill(dst, 2 * PG, 's');
	k_expect_unmapped(src);
}

/* Selftest expand_fixed: grow-and-move onto a sealed destination. */
Test(mremap, grow_fixed_onto_sealed_dst_eperm)
{
	char *src = k_anon(1, PROT_READ, 's');
	char *dst = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	k_seal(dst, 2 * PG);
	cr_assert_eq(remap(src, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst),
		     MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(src, PG, 's');
	k_expect_fill(dst, 2 * PG, 'q');
}

/* M8/M8b: growing an unsealed VMA into a sealed neighbour. */
Test(mremap, grow_unsealed_into_sealed_neighbour_enomem)
{
	char *p = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	cr_assert_eq(mprotect(p + PG, PG, PROT_NONE), 0);
	k_seal(p + PG, PG);
	cr_assert_eq(remap(p, PG, 2 * PG, 0, NULL), MAP_FAILED);
	cr_assert_eq(errno, ENOMEM);
	k_expect_perms(p, "r--p");
	k_expect_perms(p + PG, "---p");
	k_expect_sealed(p + PG, 1);
}

Test(mremap, grow_unsealed_next_to_sealed_maymove_moves)
{
	char *p = k_anon(2, PROT_READ, 'q');
	char *q;

	test_require_mseal();
	cr_assert_eq(mprotect(p + PG, PG, PROT_NONE), 0);
	k_seal(p + PG, PG);
	q = remap(p, PG, 2 * PG, MREMAP_MAYMOVE, NULL);
	cr_assert_neq(q, MAP_FAILED, "mremap: %s", strerror(errno));
	cr_assert_neq(q, p);
	k_expect_fill(q, PG, 'q');
	k_expect_perms(p + PG, "---p");
	k_expect_sealed(p + PG, 1);
}

/*
 * M9/X7: old_len 0 makes a second mapping of the same pages. Rule: 6.12+
 * checks the VMA at addr (EPERM); 6.10-6.11 checked the empty range, so
 * nothing was blocked [I] (the shared case then succeeds, the private one
 * gets the normal EINVAL).
 */
Test(mremap, old_len0_shared_sealed__6_12_eperm__6_10_allowed)
{
	char *p = k_shared_anon(2, PROT_READ, 'q');
	char *q;

	test_require_mseal();
	k_seal(p, 2 * PG);
	q = remap(p, 0, 2 * PG, MREMAP_MAYMOVE, NULL);
	if (k_rule_old_len0_checked()) {
		cr_log_info("rule 6.12+: old_len 0 is seal-checked -> EPERM");
		cr_assert_eq(q, MAP_FAILED);
		cr_assert_eq(errno, EPERM);
	} else {
		cr_log_info("rule 6.10-6.11: empty range not checked -> ok");
		cr_assert_neq(q, MAP_FAILED);
	}
	k_expect_fill(p, 2 * PG, 'q');
	k_expect_sealed(p, 1);
}

Test(mremap, old_len0_shared_unsealed_control_duplicates)
{
	char *p = k_shared_anon(2, PROT_READ, 'q');
	char *q;

	test_require_mseal();
	q = remap(p, 0, 2 * PG, MREMAP_MAYMOVE, NULL);
	cr_assert_neq(q, MAP_FAILED, "mremap: %s", strerror(errno));
	cr_assert_neq(q, p);
	k_expect_fill(q, 2 * PG, 'q');
	k_expect_fill(p, 2 * PG, 'q');
}

Test(mremap, old_len0_private_sealed__6_12_eperm__6_10_einval)
{
	char *p = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(remap(p, 0, 2 * PG, MREMAP_MAYMOVE, NULL), MAP_FAILED);
	cr_assert_eq(errno, k_rule_old_len0_checked() ? EPERM : EINVAL);
	k_expect_fill(p, 2 * PG, 'q');
}

Test(mremap, old_len0_private_unsealed_control_einval)
{
	char *p = k_anon(2, PROT_READ, 'q');

	test_require_mseal();
	cr_assert_eq(remap(p, 0, 2 * PG, MREMAP_MAYMOVE, NULL), MAP_FAILED);
	cr_assert_eq(errno, EINVAL);
	k_expect_fill(p, 2 * PG, 'q');
}

Test(mremap, sealed_shared_file_move_eperm)
{
	int fd = k_memfd(2, 'q');
	char *p = k_file(fd, 2, PROT_READ, MAP_SHARED);

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(remap(p, 2 * PG, 4 * PG, MREMAP_MAYMOVE, NULL), MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 2 * PG, 'q');
}
