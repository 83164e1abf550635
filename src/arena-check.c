// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The first step of mseal_protect_after_init(): judge every mapping of the
 * range from the library's own maps reader (mseal_maps_open() on
 * /proc/self/smaps, the only place that shows "sl", spec §3), then make
 * the unsealed parts read-only. Everything is judged before the first
 * mprotect, and no mprotect ever covers a sealed mapping: since 6.12 an
 * mprotect over [unsealed][sealed] changes the unsealed part before it
 * fails with EPERM, and over [sealed][unsealed] it changes nothing but
 * still fails (spec §2.1 mprotect row, §2.3). The one snapshot serves the
 * check, the mprotect runs and, on a failure, the way back.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

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

/* Fold one mapping into the verdict; see check(). */
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

/* 0 go ahead, LIBMSEAL_RANGE_DONE, or the refusal; changes nothing. */
static int check(struct mseal_maps *maps, uintptr_t start, uintptr_t end)
{
	const struct mseal_region *m;
	uintptr_t covered = start;
	int einval = 0, eperm = 0, all_done = 1, rc;

	while ((rc = mseal_maps_next(maps, &m)) == 1 && m->start < end)
		judge(m, &covered, end, &einval, &eperm, &all_done);
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

/*
 * Give the unsealed writable mappings of [start, stop) their read-write
 * protection back: the runs made read-only so far, and the one whose
 * mprotect failed, which may have applied in part (a split past
 * vm.max_map_count fails midway). check() passed, so every such mapping
 * was exactly "rw-p" and a read-only one was never changed. Best effort:
 * this undo can only fail the way the failed call did.
 */
static void restore(struct mseal_maps *maps, uintptr_t start, uintptr_t stop)
{
	const struct mseal_region *m;
	uintptr_t s, e;

	mseal_maps_rewind(maps);
	while (mseal_maps_next(maps, &m) == 1 && m->start < stop) {
		if (m->end <= start || m->sealed || m->perms[1] != 'w')
			continue;
		s = m->start > start ? m->start : start;
		e = m->end < stop ? m->end : stop;
		(void)mprotect((void *)s, e - s, PROT_READ | PROT_WRITE);
	}
}

/* mprotect(PROT_READ) of one unsealed run [s, e) when part of it is
 * writable; on failure put back [start, e). */
static int protect_run(struct mseal_maps *maps, uintptr_t start, uintptr_t s,
		       uintptr_t e, int writable)
{
	int err;

	if (!writable || s == e || mprotect((void *)s, e - s, PROT_READ) == 0)
		return 0;
	err = -errno;
	restore(maps, start, e);
	return err;
}

/* Each maximal run of unsealed mappings gets one mprotect; a sealed
 * mapping (read-only, check() made sure) ends a run and is skipped. */
static int protect_unsealed(struct mseal_maps *maps, uintptr_t start,
			    uintptr_t end)
{
	const struct mseal_region *m;
	uintptr_t run = start, run_end = start;
	int writable = 0, rc;

	mseal_maps_rewind(maps);
	while (mseal_maps_next(maps, &m) == 1 && m->start < end) {
		if (m->end <= start)
			continue;
		if (m->sealed) {
			rc = protect_run(maps, start, run, run_end, writable);
			if (rc < 0)
				return rc;
			run = run_end = m->end < end ? m->end : end;
			writable = 0;
			continue;
		}
		run_end = m->end < end ? m->end : end;
		writable |= m->perms[1] == 'w';
	}
	return protect_run(maps, start, run, run_end, writable);
}

int libmseal_readonly_range(uintptr_t start, uintptr_t end)
{
	struct mseal_maps *maps = NULL;
	int rc;

	rc = mseal_maps_open(0, NULL, 0, &maps);
	if (rc < 0)
		return rc;
	rc = check(maps, start, end);
	if (rc == 0)
		rc = protect_unsealed(maps, start, end);
	mseal_maps_free(maps);
	return rc;
}
