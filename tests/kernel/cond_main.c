// SPDX-License-Identifier: LGPL-2.1-or-later
/* See cond_main.h. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "cond_main.h"

int k_cond_main(int argc, char **argv, enum k_na_group group,
		int (*prepare)(char *why, size_t size), void (*restore)(void))
{
	struct criterion_test_set *tests;
	char why[256] = "";
	int status = 0;

	if (k_na_check(group, why, sizeof(why)) ||
	    (prepare && prepare(why, sizeof(why)) != 0)) {
		printf("1..0 # SKIP not applicable: %s: %s\n",
		       k_na_name(group), why);
		return 0;
	}
	tests = criterion_initialize();
	if (criterion_handle_args(argc, argv, true))
		status = !criterion_run_all_tests(tests);
	criterion_finalize(tests);
	if (restore)
		restore();
	return status;
}
