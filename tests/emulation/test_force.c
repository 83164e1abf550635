// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * LIBMSEAL_FORCE_UNSUPPORTED as the library reads it: on for 1, yes,
 * true, on (any case) and any other non-empty value (a testing switch
 * fails closed); off when unset, empty, 0, no, false or off. Each value
 * in a child of its own, since the library reads the variable once.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libmseal.h"
#include "testutil.h"

/* In a child: set (or unset, @value NULL) the variable, then 1 when the
 * library took it as on, 0 when off; 3 on a contradiction. */
static int forced_in_child(const char *value)
{
	pid_t pid = fork();
	int status = 0;

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		void *p = test_map(1, PROT_READ, 'A');
		int reason, rc;

		if (value)
			setenv("LIBMSEAL_FORCE_UNSUPPORTED", value, 1);
		else
			unsetenv("LIBMSEAL_FORCE_UNSUPPORTED");
		reason = mseal_unsupported_reason();
		rc = mseal_range(p, test_page(), 0);
		if (reason == LIBMSEAL_REASON_FORCED)
			_exit(mseal_supported() == 0 && rc == -ENOSYS &&
			      test_is_sealed(p) == 0 ? 1 : 3);
		/* off: the kernel's own answer, sealed where it can seal */
		if (test_kernel_has_mseal())
			_exit(mseal_supported() == 1 && rc == 0 &&
			      test_is_sealed(p) == 1 ? 0 : 3);
		_exit(rc != 0 ? 0 : 3);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

Test(force, on_values)
{
	static const char *const on[] = { "1", "yes", "true", "on", "YES",
					  "True", "ON", "2", "enable", " " };

	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++)
		cr_expect_eq(forced_in_child(on[i]), 1, "'%s' is on", on[i]);
}

Test(force, off_values_control)
{
	static const char *const off[] = { "", "0", "no", "false", "off",
					   "NO", "False", "OFF" };

	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		cr_expect_eq(forced_in_child(off[i]), 0, "'%s' is off",
			     off[i]);
	cr_expect_eq(forced_in_child(NULL), 0, "unset is off");
}
