// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <linux/audit.h>
#include <sys/syscall.h>

#include "reference.h"

#define ALLOW SECCOMP_RET_ALLOW
#define EPERM_ (SECCOMP_RET_ERRNO | EPERM)
#define ENOSYS_ (SECCOMP_RET_ERRNO | ENOSYS)

uint32_t ref_native_arch(void)
{
#if defined(__x86_64__)
	return AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
	return AUDIT_ARCH_AARCH64;
#elif defined(__riscv)
	return AUDIT_ARCH_RISCV64;
#else
	return 0;
#endif
}

/* Does [a, e) meet any range? An empty [a, a) meets nothing. */
static int hits(const struct ref_range *r, size_t n, uint64_t a, uint64_t e)
{
	for (size_t i = 0; i < n; i++)
		if (a < r[i].end && r[i].start < e)
			return 1;
	return 0;
}

/*
 * The (addr, len) rule: an unaligned addr, len 0 and an end past 2^64 go
 * to the kernel, which refuses them itself; anything else is refused when
 * it meets a range.
 */
static uint32_t range_rule(const struct ref_range *r, size_t n, uint64_t page,
			   uint64_t addr, uint64_t len)
{
	if (addr % page != 0 || len == 0 || addr + len < addr)
		return ALLOW;
	return hits(r, n, addr, addr + len) ? EPERM_ : ALLOW;
}

static int is_discard(uint32_t advice)
{
	switch (advice) {
	case 4: case 8: case 9: case 10: case 18: case 24: case 102:
		return 1;
	default:
		return 0;
	}
}

static uint32_t mremap_rule(const struct ref_set *s, const uint64_t *arg)
{
	uint64_t addr = arg[0], old_len = arg[1], end;
	uint32_t flags = (uint32_t)arg[3];
	int fixed = (flags & 2) != 0; /* MREMAP_FIXED */

	if (addr % s->page != 0 || (fixed && arg[4] % s->page != 0))
		return ALLOW;
	end = addr + old_len;
	if (old_len != 0 && end < addr)
		return ALLOW;
	/* old_len 0: the mapping at addr is what 6.12+ checks */
	if (old_len == 0)
		end = addr + 1;
	if (hits(s->sealed, s->n_sealed, addr, end))
		return EPERM_;
	if (!fixed)
		return ALLOW;
	return range_rule(s->sealed, s->n_sealed, s->page, arg[4], arg[2]);
}

static uint64_t top(const struct ref_set *s)
{
	uint64_t t = 0;

	for (size_t i = 0; i < s->n_sealed; i++)
		if (s->sealed[i].end > t)
			t = s->sealed[i].end;
	return t;
}

uint32_t ref_action(const struct ref_set *s, const struct seccomp_data *d)
{
	const uint64_t *arg = (const uint64_t *)d->args;
	int have = s->n_sealed > 0, disc = s->n_discard > 0;

	if (d->arch != ref_native_arch())
		return ENOSYS_;
#if defined(__x86_64__)
	if ((uint32_t)d->nr >= 0x40000000u)
		return ENOSYS_;
#endif
	switch (d->nr) {
	case __NR_mprotect:
	case __NR_pkey_mprotect:
	case __NR_munmap:
	case __NR_remap_file_pages:
		return have ? range_rule(s->sealed, s->n_sealed, s->page,
					 arg[0], arg[1]) : ALLOW;
	case __NR_mmap:
		/* MAP_FIXED without MAP_FIXED_NOREPLACE */
		if (!have || ((uint32_t)arg[3] & 0x100010u) != 0x10u)
			return ALLOW;
		return range_rule(s->sealed, s->n_sealed, s->page, arg[0],
				  arg[1]);
	case __NR_mremap:
		return have ? mremap_rule(s, arg) : ALLOW;
	case __NR_shmat:
		/* SHM_REMAP below the highest sealed end */
		return have && ((uint32_t)arg[2] & 040000u) && arg[1] < top(s) ?
			       EPERM_ : ALLOW;
	case __NR_madvise:
		if (!disc || !is_discard((uint32_t)arg[2]))
			return ALLOW;
		return range_rule(s->discard, s->n_discard, s->page, arg[0],
				  arg[1]);
	case __NR_process_madvise:
		return disc && is_discard((uint32_t)arg[3]) ? EPERM_ : ALLOW;
	case __NR_io_uring_setup:
	case __NR_io_uring_enter:
	case __NR_io_uring_register:
		return EPERM_;
	default:
		return ALLOW;
	}
}
