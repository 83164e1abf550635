// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal through the i386 system-call entry (spec §1.1: 462 on i386 and
 * x86_64 ia32 compat; §1.2: 32-bit processes on a 64-bit kernel can seal).
 * 64-bit code can enter it with int $0x80, passing 32-bit arguments, so
 * the memory lives below 2 GiB (MAP_32BIT). Runs only where that entry
 * works; otherwise listed as not applicable.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "cond_main.h"
#include "kutil.h"

int main(int argc, char **argv)
{
	return k_cond_main(argc, argv, K_NA_I386, NULL, NULL);
}

#if defined(__x86_64__)
/* The i386 mseal: 0 or -errno, as the 32-bit entry returns it. */
static int mseal_int80(uint32_t addr, uint32_t len, uint32_t flags)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(462L), "b"((long)addr), "c"((long)len),
			   "d"((long)flags)
			 : "memory");
	return (int)ret;
}

static char *map_low(int prot)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	cr_assert_neq(p, MAP_FAILED, "MAP_32BIT: %s", strerror(errno));
	cr_assert_lt((uintptr_t)p, 1UL << 32);
	memset(p, 'i', 2 * PG);
	cr_assert_eq(mprotect(p, 2 * PG, prot), 0);
	return p;
}

Test(i386, probe_len0_returns0)
{
	test_require_mseal();
	cr_assert_eq(mseal_int80(0, 0, 0), 0);
}

Test(i386, seal_low_page_then_mprotect_eperm)
{
	char *p = map_low(PROT_READ);

	test_require_mseal();
	cr_assert_eq(mseal_int80((uint32_t)(uintptr_t)p, (uint32_t)PG, 0), 0);
	k_expect_sealed(p, 1);
	k_expect_sealed(p + PG, 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 2 * PG, 'i');
}

Test(i386, flags_nonzero_einval_control_unsealed)
{
	char *p = map_low(PROT_READ);

	test_require_mseal();
	cr_assert_eq(mseal_int80((uint32_t)(uintptr_t)p, (uint32_t)PG, 1),
		     -EINVAL);
	k_expect_sealed(p, 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
}

Test(i386, unaligned_einval)
{
	char *p = map_low(PROT_READ);

	test_require_mseal();
	cr_assert_eq(mseal_int80((uint32_t)(uintptr_t)p + 1, (uint32_t)PG, 0),
		     -EINVAL);
	k_expect_sealed(p, 0);
}
#endif
