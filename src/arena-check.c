// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The pre-check of mseal_protect_after_init(): which mappings cover the
 * range, from the library's own maps reader (mseal_maps_open() on
 * /proc/self/smaps, the only place that shows "sl", spec §3). Everything
 * is judged before the first mprotect, so a refusal changes nothing:
 * mprotect over several mappings may partly apply before failing (spec
 * §2.1), which we must never cause.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "internal.h"
#include "arena-check.h"

static int path_starts(const struct mseal_region *m, const char *prefix)
{
	return strncmp(m->path, prefix, strlen(prefix)) == 0;
}

/* -EINVAL for a mapping the caller cannot own as read-only data. */
static int refused(const struct mseal_region *m)
{
	if (m->perms[0] != 'r' || m->perms[2] == 'x' || m->perms[3] != 'p')
		return -EINVAL;
	if (path_starts(m, "[anon:"))
		return 0; /* named anonymous memory, e.g. an mseal arena */
	/* [heap], [stack], [vdso], [vvar], [vsyscall], [uprobes], ... */
	if (path_starts(m, "["))
		return -EINVAL;
	return 0;
}

/* -EINVAL when [start, end) overlaps the calling thread's stack. */
static int on_own_stack(uintptr_t start, uintptr_t end)
{
	pthread_attr_t attr;
	void *stack;
	size_t size;
	int rc = 0;

	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return 0;
	if (pthread_attr_getstack(&attr, &stack, &size) == 0 &&
	    start < (uintptr_t)stack + size && (uintptr_t)stack < end)
		rc = -EINVAL;
	pthread_attr_destroy(&attr);
	return rc;
}

/* Fold one mapping into the verdict; see libmseal_check_range(). */
static void judge(const struct mseal_region *m, uintptr_t *covered,
		  uintptr_t end, int *einval, int *eperm, int *all_done)
{
	if (m->end <= *covered || m->start >= end)
		return;
	if (m->start > *covered)
		return; /* a hole: *covered stops short, ENOMEM below */
	*covered = m->end;
	if (refused(m))
		*einval = 1;
	if (m->sealed && strcmp(m->perms, "r--p") != 0)
		*eperm = 1;
	if (!m->sealed || strcmp(m->perms, "r--p") != 0)
		*all_done = 0;
}

int libmseal_check_range(uintptr_t start, uintptr_t end)
{
	const struct mseal_region *m;
	struct mseal_maps *maps = NULL;
	uintptr_t covered = start;
	int einval = 0, eperm = 0, all_done = 1, rc;

	rc = mseal_maps_open(0, NULL, 0, &maps);
	if (rc < 0)
		return rc;
	while ((rc = mseal_maps_next(maps, &m)) == 1 && m->start < end)
		judge(m, &covered, end, &einval, &eperm, &all_done);
	mseal_maps_free(maps);
	if (rc < 0)
		return rc;
	if (covered < end)
		return -ENOMEM;
	if (einval || on_own_stack(start, end))
		return -EINVAL;
	if (eperm)
		return -EPERM;
	return all_done ? LIBMSEAL_RANGE_DONE : 0;
}
