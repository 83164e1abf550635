// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_protect_after_init() over a range mixing sealed and unsealed
 * mappings. Since 6.12 one mprotect across [unsealed][sealed] changes the
 * unsealed part before it fails (spec §2.3), so the call must judge every
 * mapping first and mprotect the unsealed runs only. Every page's
 * protection, "sl" flag and contents are read back; each case is its own
 * process (Criterion forks) and has an unsealed control.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "memtest.h"
#include "testutil.h"

/*
 * One page per letter: 'w' read-write, 'r' read-only, 'W' read-write and
 * sealed, 'R' read-only and sealed. Page i holds 'a' + i throughout.
 */
static char *layout(const char *spec)
{
	size_t page = test_page(), n = strlen(spec);
	char *p = test_map(n, PROT_READ | PROT_WRITE, 0);

	for (size_t i = 0; i < n; i++) {
		char *pg = p + i * page;

		memset(pg, 'a' + (int)i, page);
		if (spec[i] == 'r' || spec[i] == 'R')
			cr_assert_eq(mprotect(pg, page, PROT_READ), 0);
		if (spec[i] == 'W' || spec[i] == 'R') {
			test_require_mseal();
			cr_assert_eq(test_raw_mseal(pg, page, 0), 0);
		}
	}
	return p;
}

/* Every page as @spec says, its contents intact. */
static void expect(const char *p, const char *spec)
{
	size_t page = test_page();
	char perms[5];

	for (size_t i = 0; spec[i]; i++) {
		const char *pg = p + i * page;
		int writable = spec[i] == 'w' || spec[i] == 'W';
		int sealed = spec[i] == 'W' || spec[i] == 'R';

		cr_assert_eq(test_perms(pg, perms), 0);
		cr_assert_str_eq(perms, writable ? "rw-p" : "r--p",
				 "page %zu is %s, wanted '%c'", i, perms,
				 spec[i]);
		cr_assert_eq(test_is_sealed(pg), sealed,
			     "page %zu: sealed is %d, wanted '%c'", i,
			     test_is_sealed(pg), spec[i]);
		for (size_t j = 0; j < page; j++)
			cr_assert_eq(pg[j], 'a' + (int)i,
				     "page %zu byte %zu changed", i, j);
	}
}

/* Lay out @before, call over @pages pages from the first, check @after. */
static void mixed_case(const char *before, size_t pages, int want,
		       const char *after)
{
	char *p = layout(before);

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init(p, pages * test_page()), want);
	expect(p, after);
}

/* --- a sealed read-only part is accepted, in either order --- */

Test(roinit_mixed, sealed_readonly_then_writable_succeeds)
{
	mixed_case("Rw", 2, 0, "RR");
}

/* The reported case: the page before the sealed one was left read-only
 * and unsealed, with -EPERM. The third page is outside the range. */
Test(roinit_mixed, writable_then_sealed_readonly_succeeds)
{
	mixed_case("wRw", 2, 0, "RRw");
}

Test(roinit_mixed_control, readonly_then_writable_unsealed)
{
	mixed_case("rw", 2, 0, "RR");
}

Test(roinit_mixed_control, writable_then_readonly_unsealed)
{
	mixed_case("wrw", 2, 0, "RRw");
}

/* --- a sealed writable part is refused first, in either order --- */

Test(roinit_mixed, sealed_writable_then_writable_eperm)
{
	char *p = layout("Ww");

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init(p, 2 * test_page()), -EPERM);
	expect(p, "Ww");
	p[test_page()] = 'b'; /* still writable: same byte, back as it was */
	expect(p, "Ww");
}

Test(roinit_mixed, writable_then_sealed_writable_eperm)
{
	char *p = layout("wWw");

	test_require_mseal();
	cr_assert_eq(mseal_protect_after_init(p, 3 * test_page()), -EPERM);
	expect(p, "wWw");
	p[0] = 'a';
	expect(p, "wWw");
}

Test(roinit_mixed_control, writable_writable_unsealed)
{
	mixed_case("www", 3, 0, "RRR");
}

/* --- an mprotect failing midway: the earlier runs are put back --- */

/* Runs [w r] and [w] around a sealed page; the second run's mprotect
 * fails as a split past vm.max_map_count would. The first run must get
 * its own protections back: 'w' read-write again, 'r' still read-only. */
Test(roinit_mixed, later_run_enomem_restores_first_run)
{
	char *p = layout("wrRw");

	test_require_mseal();
	memtest_seccomp_mprotect_errno(p + 3 * test_page(), PROT_READ, ENOMEM);
	cr_assert_eq(mseal_protect_after_init(p, 4 * test_page()), -ENOMEM);
	expect(p, "wrRw");
	p[0] = 'a';
}

Test(roinit_mixed, first_run_enomem_changes_nothing)
{
	char *p = layout("wRw");

	test_require_mseal();
	memtest_seccomp_mprotect_errno(p, PROT_READ, ENOMEM);
	cr_assert_eq(mseal_protect_after_init(p, 3 * test_page()), -ENOMEM);
	expect(p, "wRw");
}

Test(roinit_mixed_control, later_run_without_failure)
{
	mixed_case("wrRw", 4, 0, "RRRR");
}

/* The filter fails that one call only: elsewhere mprotect still works. */
Test(roinit_mixed_control, filter_spares_other_addresses)
{
	char *p = layout("ww");

	memtest_seccomp_mprotect_errno(p + test_page(), PROT_READ, ENOMEM);
	cr_assert_eq(mprotect(p, test_page(), PROT_READ), 0);
	cr_assert_eq(mprotect(p + test_page(), test_page(), PROT_READ), -1);
	cr_assert_eq(errno, ENOMEM);
	expect(p, "rw");
}

/* --- memory from malloc(3) is not told apart from the caller's own --- */

/* Only [heap] is refused: a page inside a large, mmap'd malloc() chunk is
 * an anonymous private mapping like any other, so the call seals it. The
 * documentation makes never passing such memory the caller's duty; this
 * pins that the check does not pretend otherwise. The chunk is never
 * freed (its munmap would now fail). */
Test(roinit_mixed, malloc_chunk_page_is_not_refused)
{
	size_t page = test_page();
	char *big = malloc(1 << 20), *pg;
	struct test_vma vma;

	test_require_mseal();
	cr_assert(big);
	pg = (char *)(((uintptr_t)big + page - 1) & ~(uintptr_t)(page - 1));
	memset(pg, 'm', page);
	cr_assert_eq(test_vma_at(pg, &vma), 0);
	cr_assert_str_neq(vma.path, "[heap]");
	cr_assert_eq(mseal_protect_after_init(pg, page), 0);
	cr_assert_eq(test_is_sealed(pg), 1);
	cr_assert_eq(pg[page - 1], 'm');
}
