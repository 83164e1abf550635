// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_kernel_rules(): which sealing rules a kernel release implies, from
 * the version table of spec §0 and §2. No system call but uname(2): the
 * measured answer is `mseal probe`, which forks and tries each operation.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/utsname.h>

#include "internal.h"

/* Parse a decimal number of at most 6 digits; NULL when there is none. */
static const char *parse_num(const char *s, unsigned int *ret)
{
	unsigned int v = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9') {
		if (++digits > 6)
			return NULL;
		v = v * 10 + (unsigned int)(*s - '0');
		s++;
	}
	if (digits == 0)
		return NULL;
	*ret = v;
	return s;
}

/* "MAJOR.MINOR[.PATCH][anything]" -> numbers; 0 or -EINVAL. */
static int parse_release(const char *release, unsigned int *major,
			 unsigned int *minor, unsigned int *patch)
{
	const char *s = parse_num(release, major);

	if (!s || *s != '.')
		return -EINVAL;
	s = parse_num(s + 1, minor);
	if (!s)
		return -EINVAL;
	*patch = 0;
	if (*s == '.' && !parse_num(s + 1, patch))
		*patch = 0;
	return 0;
}

/* The table: each rule from the release that introduced it (spec §0). */
static void fill_rules(struct mseal_rules *r)
{
	unsigned int v = r->major * 1000 + r->minor;

	r->has_mseal = v >= 6010;
	if (!r->has_mseal)
		return;
	r->partial_mprotect = v >= 6012;
	r->partial_madvise = v >= 6012;
	r->munmap_split_residue = v >= 6012;
	r->mremap_multi_vma_efault = v >= 6012 && v < 6017;
	r->mremap_partial_move = v >= 6017;
	r->mremap_old_len0_blocked = v >= 6012;
	r->guard_install_blocked = v >= 6013;
	r->process_madvise_any = v >= 6013;
	r->madvise_anon_definition = v >= 6017 ?
					     LIBMSEAL_ANON_VMA_IS_ANONYMOUS :
					     LIBMSEAL_ANON_NO_FILE_PRIVATE;
	r->bitmask_bug_possible = v == 6010;
	r->system_mappings_possible = v >= 6015;
}

#define RULES_MIN_SIZE (offsetof(struct mseal_rules, major) + sizeof(unsigned int))

/* Copy as much of @all as the caller's struct holds, keeping its size. */
static int deliver(const struct mseal_rules *all, struct mseal_rules *ret)
{
	size_t size = ret->size;

	if (size < RULES_MIN_SIZE)
		return -EINVAL;
	if (size > sizeof(*all))
		size = sizeof(*all);
	memcpy((char *)ret + sizeof(ret->size), (const char *)all +
	       sizeof(all->size), size - sizeof(all->size));
	return 0;
}

int mseal_kernel_rules_for(const char *release, struct mseal_rules *ret_rules)
{
	struct mseal_rules all;

	if (!release || !ret_rules || ret_rules->size < RULES_MIN_SIZE)
		return -EINVAL;
	memset(&all, 0, sizeof(all));
	all.size = sizeof(all);
	if (parse_release(release, &all.major, &all.minor, &all.patch) != 0)
		return -EINVAL;
	fill_rules(&all);
	return deliver(&all, ret_rules);
}

/*
 * 1 for the machine name of a 64-bit kernel. uname(2) reports the
 * kernel's own machine, even to a 32-bit process on a 64-bit kernel, and
 * every 64-bit Linux machine name has "64" in it but alpha and s390x.
 */
static int machine_is_64bit(const char *machine)
{
	return strstr(machine, "64") || strcmp(machine, "alpha") == 0 ||
	       strcmp(machine, "s390x") == 0;
}

int mseal_kernel_rules(struct mseal_rules *ret_rules)
{
	struct mseal_rules all;
	struct utsname uts;

	if (!ret_rules || ret_rules->size < RULES_MIN_SIZE)
		return -EINVAL;
	if (uname(&uts) != 0)
		return -errno;
	memset(&all, 0, sizeof(all));
	all.size = sizeof(all);
	if (parse_release(uts.release, &all.major, &all.minor, &all.patch) != 0)
		return -EINVAL;
	/* 32-bit kernels build no mseal at all: ENOSYS (spec §1.2). */
	if (machine_is_64bit(uts.machine))
		fill_rules(&all);
	return deliver(&all, ret_rules);
}
