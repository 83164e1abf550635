// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mmap over sealed memory and remap_file_pages (spec §2.1 mmap rows,
 * §6.3 F1-F6; selftest mmap_overwrite_prot / mmap_expand / mmap_shrink).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kutil.h"

static void *map_fixed(void *at, size_t len, int extra)
{
	return mmap(at, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
}

/* Map a 4-page RO mapping (2 free pages after it), seal when asked, then
 * MAP_FIXED @pages pages from page @first. */
static void fixed_case(int sealed, size_t first, size_t pages)
{
	char *p = k_anon(6, PROT_READ, 'f');
	void *rc;

	test_require_mseal();
	cr_assert_eq(munmap(p + 4 * PG, 2 * PG), 0);
	if (sealed)
		k_seal(p, 4 * PG);
	rc = map_fixed(p + first * PG, pages * PG, MAP_FIXED);
	if (sealed) {
		cr_assert_eq(rc, MAP_FAILED);
		cr_assert_eq(errno, EPERM);
		k_expect_fill(p, 4 * PG, 'f');
		k_expect_perms(p, "r--p");
		k_expect_sealed(p + 3 * PG, 1);
		k_expect_unmapped(p + 4 * PG);
	} else {
		cr_assert_eq(rc, p + first * PG, "mmap: %s", strerror(errno));
		k_expect_perms(p + first * PG, "rw-p");
		k_expect_fill(p + first * PG, pages * PG, 0);
	}
}

Test(mmap, fixed_over_whole_sealed_eperm)
{
	fixed_case(1, 0, 4);
}

Test(mmap, fixed_over_whole_unsealed_control_replaces)
{
	fixed_case(0, 0, 4);
}

Test(mmap, fixed_over_part_sealed_eperm)
{
	fixed_case(1, 1, 2);
}

Test(mmap, fixed_over_part_unsealed_control_replaces)
{
	fixed_case(0, 1, 2);
}

Test(mmap, fixed_expand_past_sealed_eperm)
{
	fixed_case(1, 0, 6);
}

Test(mmap, fixed_expand_past_unsealed_control_replaces)
{
	fixed_case(0, 0, 6);
}

Test(mmap, fixed_shrink_smaller_sealed_eperm)
{
	fixed_case(1, 0, 1);
}

Test(mmap, fixed_shrink_smaller_unsealed_control_replaces)
{
	fixed_case(0, 0, 1);
}

Test(mmap, fixed_noreplace_over_sealed_eexist)
{
	char *p = k_anon(2, PROT_READ, 'n');

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(map_fixed(p, 2 * PG, MAP_FIXED_NOREPLACE), MAP_FAILED);
	cr_assert_eq(errno, EEXIST);
	k_expect_fill(p, 2 * PG, 'n');
}

Test(mmap, fixed_noreplace_over_unsealed_control_eexist)
{
	char *p = k_anon(2, PROT_READ, 'n');

	test_require_mseal();
	cr_assert_eq(map_fixed(p, 2 * PG, MAP_FIXED_NOREPLACE), MAP_FAILED);
	cr_assert_eq(errno, EEXIST);
	k_expect_fill(p, 2 * PG, 'n');
}

Test(mmap, hint_at_sealed_addr_placed_elsewhere)
{
	char *p = k_anon(2, PROT_READ, 'h');
	char *q;

	test_require_mseal();
	k_seal(p, 2 * PG);
	q = map_fixed(p, 2 * PG, 0);
	cr_assert_neq(q, MAP_FAILED);
	cr_assert_neq(q, p);
	k_expect_fill(p, 2 * PG, 'h');
	k_expect_sealed(q, 0);
}

/* F5/F5a: MAP_FIXED over [unsealed][sealed]: the unsealed part untouched
 * in every version (the munmap step checks all before unmapping). */
Test(mmap, fixed_over_unsealed_then_sealed_eperm_unsealed_intact)
{
	char *p = k_anon(2, PROT_READ, 'u');

	test_require_mseal();
	k_seal(p + PG, PG);
	cr_assert_eq(map_fixed(p, 2 * PG, MAP_FIXED), MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 2 * PG, 'u');
	k_expect_perms(p, "r--p");
	k_expect_sealed(p, 0);
}

Test(mmap, fixed_file_over_sealed_file_eperm)
{
	int fd = k_memfd(2, 'F');
	char *p = k_file(fd, 2, PROT_READ, MAP_SHARED);

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(mmap(p, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0),
		     MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 2 * PG, 'F');
}

/* F6/F6b: remap_file_pages on a shared file mapping. */
static void rfp_case(int sealed)
{
	int fd = k_memfd(2, 'F');
	char *p = k_file(fd, 2, PROT_READ, MAP_SHARED);
	long rc;

	test_require_mseal();
	cr_assert_eq(pwrite(fd, "G", 1, PG), 1);
	if (sealed)
		k_seal(p, 2 * PG);
	/* Show file page 1 at the first page of the mapping. */
	rc = syscall(SYS_remap_file_pages, p, PG, 0, 1, 0);
	if (sealed) {
		cr_assert_eq(rc, -1);
		cr_assert_eq(errno, EPERM);
		cr_assert_eq(p[0], 'F');
		k_expect_sealed(p, 1);
	} else {
		cr_assert_eq(rc, 0, "remap_file_pages: %s", strerror(errno));
		cr_assert_eq(p[0], 'G');
	}
}

Test(remap_file_pages, sealed_shared_file_eperm)
{
	rfp_case(1);
}

Test(remap_file_pages, unsealed_control_ok)
{
	rfp_case(0);
}
