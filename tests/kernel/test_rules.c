// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_kernel_rules() and mseal_kernel_rules_for(): the table of spec §0
 * for several releases, odd release strings, the size field, and the
 * running kernel checked against what this machine measures.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/utsname.h>

#include "internal.h"
#include "testutil.h"

static struct mseal_rules rules_for(const char *release)
{
	struct mseal_rules r;

	memset(&r, 0x5a, sizeof(r));
	r.size = sizeof(r);
	cr_assert_eq(mseal_kernel_rules_for(release, &r), 0, "release %s",
		     release);
	cr_assert_eq(r.size, sizeof(r));
	return r;
}

Test(rules, release_6_9_has_no_mseal_and_no_rules)
{
	struct mseal_rules r = rules_for("6.9.12");

	cr_assert_eq(r.major, 6);
	cr_assert_eq(r.minor, 9);
	cr_assert_eq(r.patch, 12);
	cr_assert_eq(r.has_mseal, 0);
	cr_assert_eq(r.partial_mprotect, 0);
	cr_assert_eq(r.madvise_anon_definition, LIBMSEAL_ANON_NONE);
	cr_assert_eq(r.bitmask_bug_possible, 0);
}

Test(rules, release_5_15_distro_string_has_no_mseal)
{
	struct mseal_rules r = rules_for("5.15.0-91-generic");

	cr_assert_eq(r.major, 5);
	cr_assert_eq(r.minor, 15);
	cr_assert_eq(r.patch, 0);
	cr_assert_eq(r.has_mseal, 0);
	cr_assert_eq(r.guard_install_blocked, 0);
}

Test(rules, release_6_10_all_or_nothing_bitmask_bug_possible)
{
	struct mseal_rules r = rules_for("6.10.0");

	cr_assert_eq(r.has_mseal, 1);
	cr_assert_eq(r.partial_mprotect, 0);
	cr_assert_eq(r.partial_madvise, 0);
	cr_assert_eq(r.munmap_split_residue, 0);
	cr_assert_eq(r.mremap_old_len0_blocked, 0);
	cr_assert_eq(r.mremap_multi_vma_efault, 0);
	cr_assert_eq(r.bitmask_bug_possible, 1);
	cr_assert_eq(r.madvise_anon_definition, LIBMSEAL_ANON_NO_FILE_PRIVATE);
}

Test(rules, release_6_11_3_fixed_bitmask_still_all_or_nothing)
{
	struct mseal_rules r = rules_for("6.11.3");

	cr_assert_eq(r.patch, 3);
	cr_assert_eq(r.bitmask_bug_possible, 0);
	cr_assert_eq(r.partial_mprotect, 0);
	cr_assert_eq(r.guard_install_blocked, 0);
}

Test(rules, release_6_12_per_vma_partial_effects)
{
	struct mseal_rules r = rules_for("6.12.5");

	cr_assert_eq(r.partial_mprotect, 1);
	cr_assert_eq(r.partial_madvise, 1);
	cr_assert_eq(r.munmap_split_residue, 1);
	cr_assert_eq(r.mremap_old_len0_blocked, 1);
	cr_assert_eq(r.mremap_multi_vma_efault, 1);
	cr_assert_eq(r.mremap_partial_move, 0);
	cr_assert_eq(r.guard_install_blocked, 0);
	cr_assert_eq(r.process_madvise_any, 0);
}

Test(rules, release_6_12_rc1_plus_is_6_12)
{
	struct mseal_rules r = rules_for("6.12.0-rc1+");

	cr_assert_eq(r.major, 6);
	cr_assert_eq(r.minor, 12);
	cr_assert_eq(r.patch, 0);
	cr_assert_eq(r.partial_mprotect, 1);
}

Test(rules, release_6_13_guard_install_and_process_madvise)
{
	struct mseal_rules r = rules_for("6.13");

	cr_assert_eq(r.patch, 0);
	cr_assert_eq(r.guard_install_blocked, 1);
	cr_assert_eq(r.process_madvise_any, 1);
	cr_assert_eq(r.system_mappings_possible, 0);
	cr_assert_eq(r.madvise_anon_definition, LIBMSEAL_ANON_NO_FILE_PRIVATE);
}

Test(rules, release_6_15_system_mappings_possible)
{
	struct mseal_rules r = rules_for("6.15.2");

	cr_assert_eq(r.system_mappings_possible, 1);
	cr_assert_eq(r.mremap_partial_move, 0);
}

Test(rules, release_6_17_vma_is_anonymous_and_partial_move)
{
	struct mseal_rules r = rules_for("6.17.1");

	cr_assert_eq(r.madvise_anon_definition, LIBMSEAL_ANON_VMA_IS_ANONYMOUS);
	cr_assert_eq(r.mremap_partial_move, 1);
	cr_assert_eq(r.mremap_multi_vma_efault, 0);
}

Test(rules, release_6_18_distro_suffix_same_as_6_17)
{
	struct mseal_rules r = rules_for("6.18.44-fc-v657");
	struct mseal_rules s = rules_for("6.17.0");

	cr_assert_eq(r.minor, 18);
	cr_assert_eq(r.patch, 44);
	s.minor = r.minor;
	s.patch = r.patch;
	cr_assert_eq(memcmp(&r, &s, sizeof(r)), 0);
}

Test(rules, release_7_0_keeps_newest_rules)
{
	struct mseal_rules r = rules_for("7.0.0-rc3");

	cr_assert_eq(r.has_mseal, 1);
	cr_assert_eq(r.madvise_anon_definition, LIBMSEAL_ANON_VMA_IS_ANONYMOUS);
}

Test(rules, bad_release_strings_einval_untouched)
{
	static const char *const bad[] = {
		"", "6", "6.", ".12", "abc", "v6.12", "6.x", "1234567.1", NULL,
	};
	struct mseal_rules r;

	for (int i = 0; bad[i]; i++) {
		memset(&r, 0x5a, sizeof(r));
		r.size = sizeof(r);
		cr_assert_eq(mseal_kernel_rules_for(bad[i], &r), -EINVAL,
			     "release '%s'", bad[i]);
		cr_assert_eq(r.major, 0x5a5a5a5aU, "touched on '%s'", bad[i]);
	}
}

Test(rules, null_arguments_einval)
{
	struct mseal_rules r = { .size = sizeof(r) };

	cr_assert_eq(mseal_kernel_rules_for(NULL, &r), -EINVAL);
	cr_assert_eq(mseal_kernel_rules_for("6.12", NULL), -EINVAL);
	cr_assert_eq(mseal_kernel_rules(NULL), -EINVAL);
}

Test(rules, size_too_small_einval)
{
	struct mseal_rules r;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(size_t);
	cr_assert_eq(mseal_kernel_rules_for("6.12", &r), -EINVAL);
	cr_assert_eq(mseal_kernel_rules(&r), -EINVAL);
}

Test(rules, older_caller_size_gets_prefix_only)
{
	/* A caller built when the struct ended after @has_mseal. */
	size_t old = offsetof(struct mseal_rules, has_mseal) + sizeof(int);
	struct mseal_rules r;

	memset(&r, 0x5a, sizeof(r));
	r.size = old;
	cr_assert_eq(mseal_kernel_rules_for("6.17", &r), 0);
	cr_assert_eq(r.size, old);
	cr_assert_eq(r.minor, 17);
	cr_assert_eq(r.has_mseal, 1);
	cr_assert_eq(r.partial_mprotect, 0x5a5a5a5a, "wrote past the size");
}

Test(rules, larger_caller_size_accepted_tail_untouched)
{
	struct {
		struct mseal_rules r;
		int future;
	} big;

	memset(&big, 0x5a, sizeof(big));
	big.r.size = sizeof(big);
	cr_assert_eq(mseal_kernel_rules_for("6.12", &big.r), 0);
	cr_assert_eq(big.r.size, sizeof(big));
	cr_assert_eq(big.r.partial_mprotect, 1);
	cr_assert_eq(big.future, 0x5a5a5a5a);
}

Test(rules, running_kernel_matches_uname_release)
{
	struct mseal_rules r = { .size = sizeof(r) };
	struct mseal_rules s = { .size = sizeof(s) };
	struct utsname uts;

	cr_assert_eq(uname(&uts), 0);
	cr_assert_eq(mseal_kernel_rules(&r), 0);
	cr_assert_eq(mseal_kernel_rules_for(uts.release, &s), 0);
	cr_assert_eq(memcmp(&r, &s, sizeof(r)), 0);
}

Test(rules, running_kernel_rules_follow_its_release)
{
	struct mseal_rules r = { .size = sizeof(r) };
	int v = test_kernel_version();

	cr_assert_eq(mseal_kernel_rules(&r), 0);
	cr_assert_eq(r.major * 1000 + r.minor, (unsigned int)v);
	/* This 64-bit machine: the release alone decides (a distro backport
	 * would show in `mseal probe`, not here). */
	cr_assert_eq(r.has_mseal, v >= 6010);
	cr_assert_eq(r.partial_mprotect, v >= 6012);
}
