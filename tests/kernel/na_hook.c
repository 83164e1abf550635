// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Prints the not-applicable list once per run of the suite: linked into
 * the syscall binary only, as a Criterion hook in its runner process, on
 * standard error (meson keeps it in the test log). The cases listed are
 * not Criterion tests, so JUnit counts none of them.
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <stdio.h>

#include "na.h"

ReportHook(PRE_ALL)(struct criterion_test_set *tests)
{
	int n;

	(void)tests;
	fprintf(stderr, "# kernel conformance: cases not applicable on this "
		"machine (not counted)\n");
	n = k_na_print(stderr);
	fprintf(stderr, "# %d not-applicable case group%s\n", n,
		n == 1 ? "" : "s");
}
