// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The core API: mseal_range() passes straight to the kernel, the probe, the
 * version and the FORCE switch. Every sealed case has an unsealed control,
 * and each asserts errno, page contents and the "sl" flag.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "testutil.h"

Test(version, string_matches_macros)
{
	char expect[64];

	snprintf(expect, sizeof(expect), "%d.%d.%d", LIBMSEAL_VERSION_MAJOR,
		 LIBMSEAL_VERSION_MINOR, LIBMSEAL_VERSION_PATCH);
	cr_assert_str_eq(mseal_version(), expect);
}

Test(page_size, equals_sysconf)
{
	cr_assert_eq(mseal_page_size(), test_page());
}

Test(supported, probe_answers_one_and_reason_supported)
{
	test_require_mseal();
	cr_assert_eq(mseal_supported(), 1);
	cr_assert_eq(mseal_unsupported_reason(), LIBMSEAL_REASON_SUPPORTED);
}

Test(supported, forced_unsupported_answers_zero_without_sealing)
{
	char *p = test_map(1, PROT_READ, 'a');

	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	cr_assert_eq(mseal_supported(), 0);
	cr_assert_eq(mseal_unsupported_reason(), LIBMSEAL_REASON_FORCED);
	cr_assert_eq(mseal_range(p, test_page(), 0), -ENOSYS);
	cr_assert_eq(test_is_sealed(p), 0);
	cr_assert_eq(mprotect(p, test_page(), PROT_READ | PROT_WRITE), 0);
}

/* a boolean: yes/true/on count as 1 (tests/emulation/test_force.c
 * goes through every spelling) */
Test(supported, force_yes_is_on)
{
	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "yes", 1);
	cr_assert_eq(mseal_supported(), 0);
	cr_assert_eq(mseal_unsupported_reason(), LIBMSEAL_REASON_FORCED);
}

Test(supported, force_no_is_off)
{
	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "no", 1);
	test_require_mseal();
	cr_assert_eq(mseal_supported(), 1);
}

Test(reason, every_reason_has_a_string)
{
	for (int r = LIBMSEAL_REASON_SUPPORTED; r <= LIBMSEAL_REASON_ENOSYS; r++)
		cr_assert_str_neq(mseal_reason_string(r), "unknown reason");
	cr_assert_str_eq(mseal_reason_string(999), "unknown reason");
}

/* --- mseal_range: argument errors, nothing sealed --- */

Test(range_errors, flags_nonzero_is_einval_and_unsealed)
{
	char *p = test_map(1, PROT_READ, 'f');

	test_require_mseal();
	cr_assert_eq(mseal_range(p, test_page(), 1), -EINVAL);
	cr_assert_eq(test_is_sealed(p), 0);
	cr_assert_eq(p[0], 'f');
}

Test(range_errors, unaligned_addr_is_einval_never_rounded)
{
	char *p = test_map(2, PROT_READ, 'u');

	test_require_mseal();
	cr_assert_eq(mseal_range(p + 1, test_page(), 0), -EINVAL);
	cr_assert_eq(test_is_sealed(p), 0);
	cr_assert_eq(test_is_sealed(p + test_page()), 0);
}

Test(range_errors, wrapping_range_is_einval)
{
	char *p = test_map(1, PROT_READ, 'w');

	test_require_mseal();
	cr_assert_eq(mseal_range(p, SIZE_MAX - 10, 0), -EINVAL);
	cr_assert_eq(test_is_sealed(p), 0);
}

Test(range_errors, trailing_hole_is_enomem_and_nothing_sealed)
{
	size_t pg = test_page();
	char *p = test_map(2, PROT_READ, 'h');

	test_require_mseal();
	cr_assert_eq(munmap(p + pg, pg), 0);
	cr_assert_eq(mseal_range(p, 2 * pg, 0), -ENOMEM);
	cr_assert_eq(test_is_sealed(p), 0);
	cr_assert_eq(mprotect(p, pg, PROT_READ | PROT_WRITE), 0);
	cr_assert_eq(p[0], 'h');
}

Test(range_errors, middle_hole_is_enomem_and_neither_side_sealed)
{
	size_t pg = test_page();
	char *p = test_map(3, PROT_READ, 'm');

	test_require_mseal();
	cr_assert_eq(munmap(p + pg, pg), 0);
	cr_assert_eq(mseal_range(p, 3 * pg, 0), -ENOMEM);
	cr_assert_eq(test_is_sealed(p), 0);
	cr_assert_eq(test_is_sealed(p + 2 * pg), 0);
}

Test(range_len, zero_len_on_unmapped_memory_succeeds_and_seals_nothing)
{
	size_t pg = test_page();
	char *p = test_map(2, PROT_READ, 'z');

	test_require_mseal();
	cr_assert_eq(munmap(p + pg, pg), 0);
	cr_assert_eq(mseal_range(p + pg, 0, 0), 0);
	cr_assert_eq(mseal_range(p, 0, 0), 0);
	cr_assert_eq(test_is_sealed(p), 0);
}

Test(range_len, one_byte_seals_the_whole_first_page_only)
{
	size_t pg = test_page();
	char *p = test_map(2, PROT_READ, 'r');

	test_require_mseal();
	cr_assert_eq(mseal_range(p, 1, 0), 0);
	cr_assert_eq(test_is_sealed(p), 1);
	cr_assert_eq(test_is_sealed(p + pg), 0);
	cr_assert_eq(mprotect(p + pg, pg, PROT_NONE), 0);
}

Test(range_len, page_plus_one_seals_two_pages)
{
	size_t pg = test_page();
	char *p = test_map(3, PROT_READ, 'r');

	test_require_mseal();
	cr_assert_eq(mseal_range(p, pg + 1, 0), 0);
	cr_assert_eq(test_is_sealed(p + pg), 1);
	cr_assert_eq(test_is_sealed(p + 2 * pg), 0);
}

/* --- blocked operations: sealed case and its unsealed control --- */

static char *sealed_or_control(int seal)
{
	char *p = test_map(2, PROT_READ, 's');

	if (seal) {
		test_require_mseal();
		cr_assert_eq(mseal_range(p, 2 * test_page(), 0), 0);
		cr_assert_eq(test_is_sealed(p), 1);
	}
	return p;
}

Test(blocked, mprotect_sealed_is_eperm_and_prot_kept)
{
	char perms[5];
	char *p = sealed_or_control(1);

	cr_assert_eq(mprotect(p, test_page(), PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(test_perms(p, perms), 0);
	cr_assert_str_eq(perms, "r--p");
	cr_assert_eq(p[0], 's');
}

Test(blocked, mprotect_control_succeeds)
{
	char *p = sealed_or_control(0);

	cr_assert_eq(mprotect(p, test_page(), PROT_READ | PROT_WRITE), 0);
	p[0] = 'x';
	cr_assert_eq(p[0], 'x');
}

Test(blocked, munmap_sealed_is_eperm_and_contents_kept)
{
	char *p = sealed_or_control(1);

	cr_assert_eq(munmap(p, 2 * test_page()), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(p[test_page()], 's');
}

Test(blocked, munmap_control_succeeds)
{
	char *p = sealed_or_control(0);

	cr_assert_eq(munmap(p, 2 * test_page()), 0);
	cr_assert_eq(test_is_sealed(p), -1);
}

Test(blocked, mremap_sealed_is_eperm)
{
	char *p = sealed_or_control(1);
	void *q = mremap(p, 2 * test_page(), test_page(), 0);

	cr_assert_eq(q, MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(test_is_sealed(p + test_page()), 1);
}

Test(blocked, mremap_control_succeeds)
{
	char *p = sealed_or_control(0);

	cr_assert_eq(mremap(p, 2 * test_page(), test_page(), 0), p);
	cr_assert_eq(test_is_sealed(p + test_page()), -1);
}

Test(blocked, map_fixed_over_sealed_is_eperm)
{
	char *p = sealed_or_control(1);
	void *q = mmap(p, test_page(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	cr_assert_eq(q, MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(p[0], 's');
}

Test(blocked, map_fixed_control_replaces)
{
	char *p = sealed_or_control(0);
	char *q = mmap(p, test_page(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	cr_assert_eq(q, p);
	cr_assert_eq(q[0], 0);
}

Test(blocked, madvise_dontneed_sealed_ro_anon_is_eperm_contents_kept)
{
	char *p = sealed_or_control(1);

	cr_assert_eq(madvise(p, test_page(), MADV_DONTNEED), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(p[0], 's');
}

Test(blocked, madvise_dontneed_control_zaps)
{
	char *p = sealed_or_control(0);

	cr_assert_eq(madvise(p, test_page(), MADV_DONTNEED), 0);
	cr_assert_eq(p[0], 0);
}
