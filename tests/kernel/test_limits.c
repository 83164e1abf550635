// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sealing at vm.max_map_count (spec §1.2 step 9): a seal that needs a
 * split fails with ENOMEM once the process has the most mappings it may
 * have, and mappings earlier in the range that needed no split stay
 * sealed. Each case fills its own (disposable) process with one-page
 * mappings, seals, then unmaps the filler before asserting anything, so
 * the harness never runs short of mappings.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "cond_main.h"
#include "kutil.h"

int main(int argc, char **argv)
{
	return k_cond_main(argc, argv, K_NA_MAP_COUNT, NULL, NULL);
}

struct filler {
	char *start;
	size_t pages;
};

/* Split a big PROT_NONE reservation page by page until mprotect reports
 * ENOMEM: the process is then at vm.max_map_count. */
static int fill_map_count(struct filler *f)
{
	size_t i;

	f->pages = 140000;
	f->start = mmap(NULL, f->pages * PG, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->start == MAP_FAILED)
		return -errno;
	for (i = 1; i < f->pages; i += 2)
		if (mprotect(f->start + i * PG, PG, PROT_READ) != 0)
			return errno == ENOMEM ? 0 : -errno;
	return -ERANGE; /* never reached the limit */
}

Test(limits, split_at_max_map_count_enomem_nothing_sealed)
{
	char *p = k_anon(3, PROT_READ, 'l');
	struct filler f;
	int fill, rc;

	test_require_mseal();
	fill = fill_map_count(&f);
	rc = test_raw_mseal(p + PG, PG, 0);
	munmap(f.start, f.pages * PG);
	cr_assert_eq(fill, 0, "could not reach the limit: %s", strerror(-fill));
	cr_assert_eq(rc, -ENOMEM);
	k_expect_sealed(p + PG, 0);
	k_expect_fill(p, 3 * PG, 'l');
}

Test(limits, split_below_max_map_count_control_ok)
{
	char *p = k_anon(3, PROT_READ, 'l');

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p + PG, PG, 0), 0);
	k_expect_sealed(p + PG, 1);
	k_expect_sealed(p, 0);
}

Test(limits, partial_seal_at_max_map_count_leading_vma_left_sealed)
{
	/* [a: one RO page][b: three RW pages]; sealing a and the first
	 * page of b needs one split, of b. */
	char *a = k_anon(4, PROT_READ | PROT_WRITE, 'p');
	char *b = a + PG;
	struct filler f;
	int fill, rc;

	test_require_mseal();
	cr_assert_eq(mprotect(a, PG, PROT_READ), 0);
	fill = fill_map_count(&f);
	rc = test_raw_mseal(a, 2 * PG, 0);
	munmap(f.start, f.pages * PG);
	cr_assert_eq(fill, 0, "could not reach the limit: %s", strerror(-fill));
	cr_assert_eq(rc, -ENOMEM);
	k_expect_sealed(a, 1);
	k_expect_sealed(b, 0);
	k_expect_sealed(b + 2 * PG, 0);
	cr_assert_eq(mprotect(b, 3 * PG, PROT_READ), 0);
}
