// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The only file that issues the mseal system call: the number per ABI, the
 * pass-through wrapper and the cached probe.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "emul.h" /* emulation: mseal_range() routing */

/*
 * The number, from the headers when they know it, else from spec table 1.1
 * (one number on every ABI but MIPS and alpha). Debian 12's headers
 * (Linux 6.1) do not define __NR_mseal, so the table is what builds here.
 */
#if defined(__NR_mseal)
#define MSEAL_NR __NR_mseal
#elif defined(__alpha__)
#define MSEAL_NR 572
#elif defined(__mips__)
#if _MIPS_SIM == _MIPS_SIM_ABI32
#define MSEAL_NR 4462
#elif _MIPS_SIM == _MIPS_SIM_ABI64
#define MSEAL_NR 5462
#elif _MIPS_SIM == _MIPS_SIM_NABI32
#define MSEAL_NR 6462
#endif
#elif defined(__x86_64__) && defined(__ILP32__)
#define MSEAL_NR (0x40000000 | 462) /* x32: __X32_SYSCALL_BIT | 462 */
#elif defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) ||    \
	defined(__arm__) || defined(__riscv) || defined(__loongarch__) ||    \
	defined(__powerpc__) || defined(__s390__) || defined(__sparc__) ||   \
	defined(__m68k__) || defined(__sh__) || defined(__hppa__) ||         \
	defined(__xtensa__) || defined(__microblaze__) || defined(__csky__) || \
	defined(__hexagon__) || defined(__or1k__) || defined(__nios2__) ||   \
	defined(__arc__)
#define MSEAL_NR 462
#endif

int libmseal_sys_mseal(uintptr_t addr, size_t len, unsigned long flags)
{
#ifdef MSEAL_NR
	long rc = syscall(MSEAL_NR, addr, len, flags);

	return rc == 0 ? 0 : -errno;
#else
	(void)addr;
	(void)len;
	(void)flags;
	return -ENOSYS;
#endif
}

int libmseal_sys_has_number(void)
{
#ifdef MSEAL_NR
	return 1;
#else
	return 0;
#endif
}

/* 0 unknown, 1 not forced, 2 forced; racing first readers agree. */
static int forced_state;

/*
 * LIBMSEAL_FORCE_UNSUPPORTED as a boolean: off when unset, empty or
 * 0/no/false/off (any case), on otherwise: 1/yes/true/on and any other
 * value. A testing switch fails closed: a value someone set but misspelt
 * means "no native mseal", never a silent native run.
 */
static int forced_value(const char *value)
{
	static const char *const off[] = { "0", "no", "false", "off" };

	if (!value || !*value)
		return 0;
	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		if (strcasecmp(value, off[i]) == 0)
			return 0;
	return 1;
}

int libmseal_forced_unsupported(void)
{
	int state = __atomic_load_n(&forced_state, __ATOMIC_RELAXED);

	if (state == 0) {
		/* secure_getenv: a setuid program must not be steered by
		 * its caller's environment. */
		const char *value = secure_getenv("LIBMSEAL_FORCE_UNSUPPORTED");

		state = forced_value(value) ? 2 : 1;
		__atomic_store_n(&forced_state, state, __ATOMIC_RELAXED);
	}
	return state == 2;
}

int mseal_range(void *addr, size_t len, unsigned long flags)
{
	/* emulation: after mseal_fallback_enable() on a kernel that cannot
	 * seal, the range goes to the seccomp emulation (src/emul.c) */
	if (libmseal_emul_active())
		return libmseal_emul_seal((uintptr_t)addr, len, flags);
	if (libmseal_forced_unsupported())
		return -ENOSYS;
	return libmseal_sys_mseal((uintptr_t)addr, len, flags);
}

/* emulation: the raw seccomp(2) call (glibc has no wrapper); 0, a
 * positive thread id when TSYNC failed, or -errno. */
long libmseal_sys_seccomp(unsigned int op, unsigned int flags, void *args)
{
#ifdef __NR_seccomp
	long rc = syscall(__NR_seccomp, op, flags, args);

	return rc < 0 ? -errno : rc;
#else
	(void)op;
	(void)flags;
	(void)args;
	return -ENOSYS;
#endif
}

size_t mseal_page_size(void)
{
	static size_t page_size;
	size_t size = __atomic_load_n(&page_size, __ATOMIC_RELAXED);

	if (size == 0) {
		size = getauxval(AT_PAGESZ);
		if (size == 0)
			size = (size_t)sysconf(_SC_PAGESIZE);
		__atomic_store_n(&page_size, size, __ATOMIC_RELAXED);
	}
	return size;
}
