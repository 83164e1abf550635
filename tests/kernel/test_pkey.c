// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memory protection keys and sealing (spec §2.1 pkey_mprotect row, §2.2
 * point 4; selftest discard_ro_anon_on_pkey). A PROT_READ|PROT_WRITE
 * anonymous VMA whose pkey is write-disabled for the calling thread counts
 * as read-only, so discarding madvise on it is refused once sealed. Runs
 * only where pkey_alloc works (x86 PKU); otherwise listed as not
 * applicable.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "cond_main.h"
#include "kutil.h"

int main(int argc, char **argv)
{
	return k_cond_main(argc, argv, K_NA_PKU, NULL, NULL);
}

/* A 2-page RW anon mapping tagged with a fresh pkey. */
static char *map_with_pkey(int *ret_pkey)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 'k');
	int pkey = pkey_alloc(0, 0);

	cr_assert_geq(pkey, 0, "pkey_alloc: %s", strerror(errno));
	cr_assert_eq(pkey_mprotect(p, 2 * PG, PROT_READ | PROT_WRITE, pkey), 0);
	*ret_pkey = pkey;
	return p;
}

static void dontneed_case(int sealed, int write_disabled)
{
	int pkey, rc, expect;
	char *p = map_with_pkey(&pkey);

	test_require_mseal();
	if (sealed)
		k_seal(p, 2 * PG);
	cr_assert_eq(pkey_set(pkey, write_disabled ? PKEY_DISABLE_WRITE : 0), 0);
	rc = madvise(p, 2 * PG, MADV_DONTNEED) == 0 ? 0 : errno;
	cr_assert_eq(pkey_set(pkey, 0), 0);
	expect = sealed && write_disabled ? EPERM : 0;
	cr_assert_eq(rc, expect, "madvise: %s, expected %s", strerror(rc),
		     strerror(expect));
	k_expect_fill(p, 2 * PG, rc == EPERM ? 'k' : 0);
	k_expect_sealed(p, sealed);
	k_expect_perms(p, "rw-p");
}

Test(pkey, write_disabled_sealed_rw_dontneed_eperm)
{
	dontneed_case(1, 1);
}

Test(pkey, write_disabled_unsealed_control_dontneed_ok)
{
	dontneed_case(0, 1);
}

Test(pkey, writable_sealed_rw_dontneed_ok)
{
	dontneed_case(1, 0);
}

Test(pkey, writable_unsealed_control_dontneed_ok)
{
	dontneed_case(0, 0);
}

static void pkey_mprotect_case(int sealed)
{
	char *p = k_anon(1, PROT_READ, 'q');
	int pkey = pkey_alloc(0, 0);
	int rc;

	test_require_mseal();
	cr_assert_geq(pkey, 0);
	if (sealed)
		k_seal(p, PG);
	rc = pkey_mprotect(p, PG, PROT_READ, pkey) == 0 ? 0 : errno;
	cr_assert_eq(rc, sealed ? EPERM : 0);
	k_expect_perms(p, "r--p");
	k_expect_fill(p, PG, 'q');
}

Test(pkey, pkey_mprotect_real_pkey_sealed_eperm)
{
	pkey_mprotect_case(1);
}

Test(pkey, pkey_mprotect_real_pkey_unsealed_control_ok)
{
	pkey_mprotect_case(0);
}
