// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sealing hugetlb mappings (spec §1.2 step 9, §6.1 H1-H3, P1): a seal
 * that would split a 2 MiB page at a 4 KiB boundary is EINVAL, and in a
 * range that also covers ordinary pages before it, those stay sealed (the
 * one documented partial seal). As root the binary reserves the huge pages
 * it needs and puts vm.nr_hugepages back when done; otherwise the cases go
 * to the not-applicable list.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cond_main.h"
#include "kutil.h"

#define HUGE (2UL << 20)
#define NR_PATH "/proc/sys/vm/nr_hugepages"

/* Huge pages this binary added to vm.nr_hugepages (0 or NR_WANT). */
#define NR_WANT 4
static long added_nr;

static long huge_free(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "HugePages_Free: %ld", &v);
	fclose(f);
	return v;
}

static long read_nr(void)
{
	FILE *f = fopen(NR_PATH, "re");
	long nr = -1;

	if (f) {
		if (fscanf(f, "%ld", &nr) != 1)
			nr = -1;
		fclose(f);
	}
	return nr;
}

/* Add @delta to vm.nr_hugepages as it is now: relative, so two runs of
 * the suite at once (normal and ASan builds) each take back only theirs. */
static int adjust_nr(long delta)
{
	long nr = read_nr();
	FILE *f;
	int ok;

	if (nr < 0 || nr + delta < 0)
		return -1;
	f = fopen(NR_PATH, "we");
	if (!f)
		return -1;
	ok = fprintf(f, "%ld\n", nr + delta) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int reserve(char *why, size_t size)
{
	if (geteuid() == 0 && adjust_nr(NR_WANT) == 0) {
		added_nr = NR_WANT;
		if (huge_free() >= NR_WANT)
			return 0;
		adjust_nr(-added_nr);
		added_nr = 0;
		snprintf(why, size, "the kernel could not find memory for %d "
			 "huge pages", NR_WANT);
		return -1;
	}
	if (huge_free() >= NR_WANT)
		return 0; /* someone reserved them for us */
	snprintf(why, size, "no free huge pages, and " NR_PATH
		 " is not writable here");
	return -1;
}

static void restore(void)
{
	if (added_nr)
		adjust_nr(-added_nr);
}

int main(int argc, char **argv)
{
	return k_cond_main(argc, argv, K_NA_HUGETLB, reserve, restore);
}

/* A 2 MiB private hugetlb mapping at a 2 MiB boundary, with one free
 * ordinary page just below it. */
static char *map_huge(void)
{
	char *area = k_hole(4 * HUGE / PG);
	char *at = (char *)(((uintptr_t)area + HUGE) & ~(HUGE - 1));
	char *p = mmap(at, HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
		       MAP_FIXED_NOREPLACE, -1, 0);

	cr_assert_eq(p, at, "hugetlb mmap: %s", strerror(errno));
	memset(p, 'H', HUGE);
	return p;
}

Test(hugetlb, seal_4k_inside_huge_page_einval_not_sealed)
{
	char *p = map_huge();

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p + PG, PG, 0), -EINVAL);
	k_expect_sealed(p, 0);
	cr_assert_eq(mprotect(p, HUGE, PROT_READ), 0);
}

Test(hugetlb, seal_first_4k_einval_not_sealed)
{
	char *p = map_huge();

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, PG, 0), -EINVAL);
	k_expect_sealed(p, 0);
}

Test(hugetlb, seal_whole_2m_ok_then_munmap_eperm)
{
	char *p = map_huge();

	test_require_mseal();
	cr_assert_eq(test_raw_mseal(p, HUGE, 0), 0);
	k_expect_sealed(p, 1);
	cr_assert_eq(munmap(p, HUGE), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, HUGE, 'H');
}

Test(hugetlb, unsealed_control_munmap_ok)
{
	char *p = map_huge();

	test_require_mseal();
	cr_assert_eq(munmap(p, HUGE), 0);
	k_expect_unmapped(p);
}

Test(hugetlb, anon_then_huge_unaligned_end_einval_anon_left_sealed)
{
	char *p = map_huge();
	char *a = mmap(p - PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_FIXED_NOREPLACE, -1, 0);

	test_require_mseal();
	cr_assert_eq(a, p - PG, "mmap below the huge page: %s",
		     strerror(errno));
	/* Pass 1 finds no gap; pass 2 seals the anon page, then fails to
	 * split the huge page at p + PG. */
	cr_assert_eq(test_raw_mseal(a, 2 * PG, 0), -EINVAL);
	k_expect_sealed(a, 1);
	k_expect_sealed(p, 0);
	cr_assert_eq(mprotect(p, HUGE, PROT_READ), 0);
}
