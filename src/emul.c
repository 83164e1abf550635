// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The seccomp emulation of mseal (issue 6; research/seccomp-emulation.md):
 * opt-in with mseal_fallback_enable(), used only when the kernel cannot
 * seal. mseal_range() then checks its arguments as the kernel does and
 * records the range; mseal_fallback_commit() installs one filter for
 * everything recorded since the last commit (stacked filters cost every
 * memory syscall ~30 ns each, study §4, so batching matters). Filters
 * are installed with TSYNC (every thread) after no_new_privs, and
 * the emulation fails closed: an error, never a silent half-protection.
 *
 * Pending ranges are kept as recorded (never merged with a neighbour), so
 * that the commit judges each caller's range on its own: one range that
 * lost a page must not take a wholly mapped neighbour with it. They are
 * merged only when the filter is generated. The parts that were not
 * writable when recorded are kept too (@readonly): a commit refuses to
 * freeze as writable what the caller believed sealed read-only.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "internal.h"
#include "emul.h"

struct rset {
	struct libmseal_erange *r;
	size_t n, cap;
};

static pthread_mutex_t emul_lock = PTHREAD_MUTEX_INITIALIZER;
static int emul_enabled;
/* @committed and @readonly sorted and merged; @pending as recorded */
static struct rset committed, pending, readonly;
static size_t filters;

/* Append [start, end) to @s as it is. */
static int rset_push(struct rset *s, uint64_t start, uint64_t end)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct libmseal_erange *r = realloc(s->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		s->r = r;
		s->cap = cap;
	}
	s->r[s->n++] = (struct libmseal_erange){ start, end };
	return 0;
}

/* Add [start, end) to the merged set @s. */
static int rset_add(struct rset *s, uint64_t start, uint64_t end)
{
	int rc = rset_push(s, start, end);

	if (rc == 0)
		s->n = libmseal_erange_merge(s->r, s->n);
	return rc;
}

/* Record [start, end) in @pending unless the very same range is there. */
static int pending_add(uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < pending.n; i++)
		if (pending.r[i].start == start && pending.r[i].end == end)
			return 0;
	return rset_push(&pending, start, end);
}

/* Record the parts of [start, end) that @committed does not hold yet. */
static int pending_add_missing(uint64_t start, uint64_t end)
{
	uint64_t pos = start;
	int rc = 0;

	for (size_t i = 0; i < committed.n && pos < end && rc == 0; i++) {
		const struct libmseal_erange *k = &committed.r[i];

		if (k->end <= pos || k->start >= end)
			continue;
		if (k->start > pos)
			rc = pending_add(pos, k->start);
		pos = k->end;
	}
	if (rc == 0 && pos < end)
		rc = pending_add(pos, end);
	return rc;
}

/* The parts of [start, end) that no mapping in @maps lets be written. */
static int readonly_parts(const struct libmseal_emap *maps, long nm,
			  uint64_t start, uint64_t end, struct rset *out)
{
	int rc = 0;

	for (long j = 0; j < nm && rc == 0; j++) {
		uint64_t s = maps[j].start > start ? maps[j].start : start;
		uint64_t e = maps[j].end < end ? maps[j].end : end;

		if (s < e && maps[j].perms[1] != 'w')
			rc = rset_push(out, s, e);
	}
	return rc;
}

/*
 * Keep in @readonly only what some pending range still holds (a range
 * forgotten or committed needs no more checking). Both sets are sorted
 * and merged first, so one pass intersects them.
 */
static int readonly_prune(void)
{
	struct rset keep = { 0 }, cover = { 0 };
	size_t i = 0, j = 0;
	int rc = 0;

	for (size_t k = 0; k < pending.n && rc == 0; k++)
		rc = rset_push(&cover, pending.r[k].start, pending.r[k].end);
	if (rc == 0)
		cover.n = libmseal_erange_merge(cover.r, cover.n);
	while (rc == 0 && i < readonly.n && j < cover.n) {
		const struct libmseal_erange *a = &readonly.r[i];
		const struct libmseal_erange *b = &cover.r[j];
		uint64_t s = a->start > b->start ? a->start : b->start;
		uint64_t e = a->end < b->end ? a->end : b->end;

		if (s < e)
			rc = rset_push(&keep, s, e);
		if (a->end < b->end)
			i++;
		else
			j++;
	}
	free(cover.r);
	if (rc < 0) {
		free(keep.r);
		return rc;
	}
	free(readonly.r);
	readonly = keep;
	return 0;
}

/* -EPERM when a part recorded as not writable is writable now. */
static int readonly_check(const struct libmseal_emap *maps, long nm)
{
	for (size_t i = 0; i < readonly.n; i++)
		for (long j = 0; j < nm; j++)
			if (maps[j].start < readonly.r[i].end &&
			    maps[j].end > readonly.r[i].start &&
			    maps[j].perms[1] == 'w')
				return -EPERM;
	return 0;
}

int libmseal_emul_active(void)
{
	return __atomic_load_n(&emul_enabled, __ATOMIC_ACQUIRE) &&
	       mseal_supported() == 0;
}

int mseal_fallback_enable(unsigned int mode)
{
	uint32_t action = SECCOMP_RET_ERRNO;
	long rc;

	if (mode != LIBMSEAL_FALLBACK_SECCOMP)
		return -EINVAL;
	if (mseal_supported() == 1)
		return 1;
	if (libmseal_bpf_native_arch() == 0)
		return -ENOTSUP;
	/* filters with SECCOMP_RET_ERRNO exist (4.14+ can say so) */
	rc = libmseal_sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action);
	if (rc < 0)
		return rc == -EINVAL || rc == -EOPNOTSUPP ? -ENOSYS : (int)rc;
	__atomic_store_n(&emul_enabled, 1, __ATOMIC_RELEASE);
	return 0;
}

int mseal_sealing_mode(void)
{
	if (mseal_supported() == 1)
		return LIBMSEAL_SEALING_NATIVE;
	if (libmseal_emul_active())
		return LIBMSEAL_SEALING_EMULATED;
	return LIBMSEAL_SEALING_UNAVAILABLE;
}

int libmseal_emul_seal(uintptr_t addr, size_t len, unsigned long flags)
{
	uint64_t page = mseal_page_size(), rlen, end;
	struct libmseal_emap *maps = NULL;
	struct rset ro = { 0 };
	long n;
	int rc;

	/* the kernel's order (spec §1.2): flags, alignment, rounding,
	 * wrap, length 0, then the gap check */
	if (flags != 0 || (addr & (page - 1)))
		return -EINVAL;
	rlen = ((uint64_t)len + page - 1) & ~(page - 1);
	if (len != 0 && rlen == 0)
		return -EINVAL;
	end = addr + rlen;
	if (end < addr || (rlen != 0 && end == 0))
		return -EINVAL;
	if (rlen == 0)
		return 0;
	n = libmseal_emaps_read(&maps);
	if (n < 0)
		return (int)n;
	rc = libmseal_emaps_check(maps, n, addr, end);
	if (rc == 0)
		rc = readonly_parts(maps, n, addr, end, &ro);
	free(maps);
	if (rc < 0) {
		free(ro.r);
		return rc;
	}
	pthread_mutex_lock(&emul_lock);
	for (size_t i = 0; i < ro.n && rc == 0; i++)
		rc = rset_add(&readonly, ro.r[i].start, ro.r[i].end);
	if (rc == 0)
		rc = pending_add_missing(addr, end);
	pthread_mutex_unlock(&emul_lock);
	free(ro.r);
	return rc;
}

/* The discard-protected parts of @r[0..n) into @out. */
static int discard_parts(const struct libmseal_emap *maps, long nm,
			 const struct libmseal_erange *r, size_t n,
			 struct rset *out)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		for (long j = 0; j < nm && rc == 0; j++) {
			uint64_t s = maps[j].start > r[i].start ?
					     maps[j].start : r[i].start;
			uint64_t e = maps[j].end < r[i].end ? maps[j].end :
							       r[i].end;

			if (s < e && maps[j].discard)
				rc = rset_add(out, s, e);
		}
	return rc;
}

static long install(const struct sock_filter *prog, size_t len)
{
	struct sock_fprog fprog = { (unsigned short)len,
				    (struct sock_filter *)prog };
	unsigned int fl = SECCOMP_FILTER_FLAG_TSYNC |
			  SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	long rc;

	/* SPEC_ALLOW: the process keeps its speculation settings, as a
	 * seal would; kernels before 4.17 lack the flag (EINVAL) */
	rc = libmseal_sys_seccomp(SECCOMP_SET_MODE_FILTER, fl, &fprog);
	if (rc == -EINVAL)
		rc = libmseal_sys_seccomp(SECCOMP_SET_MODE_FILTER,
					  SECCOMP_FILTER_FLAG_TSYNC, &fprog);
	/* a thread id: that thread has another filter stack */
	return rc > 0 ? -EBUSY : rc;
}

/*
 * One filter for r[0..n); halves when the program would pass 4096
 * instructions. Committed ranges move to @committed as their filter
 * goes in; the count is added to *@done.
 */
static int commit_ranges(const struct libmseal_emap *maps, long nm,
			 const struct libmseal_erange *r, size_t n,
			 size_t *done)
{
	struct rset disc = { 0 };
	struct sock_filter *prog = NULL;
	size_t len = 0;
	int rc = discard_parts(maps, nm, r, n, &disc);

	if (rc == 0)
		rc = libmseal_bpf_generate(r, n, disc.r, disc.n,
					   mseal_page_size(), &prog, &len);
	free(disc.r);
	if (rc == -E2BIG && n > 1) {
		rc = commit_ranges(maps, nm, r, n / 2, done);
		return rc ? rc : commit_ranges(maps, nm, r + n / 2, n - n / 2,
					       done);
	}
	if (rc == 0)
		rc = (int)install(prog, len);
	free(prog);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = rset_add(&committed, r[i].start, r[i].end);
	if (rc == 0) {
		filters++;
		*done += n;
	}
	return rc;
}

static int cmp_start(const void *pa, const void *pb)
{
	const struct libmseal_erange *x = pa, *y = pb;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/* Keep in @pending only the ranges that are still whole and allowed;
 * the first error for one that is not. */
static int revalidate(const struct libmseal_emap *maps, long nm)
{
	size_t keep = 0;
	int err = 0;

	for (size_t i = 0; i < pending.n; i++) {
		int rc = libmseal_emaps_check(maps, nm, pending.r[i].start,
					      pending.r[i].end);

		if (rc == 0)
			pending.r[keep++] = pending.r[i];
		else if (!err)
			err = rc;
	}
	pending.n = keep;
	return err;
}

static int commit_locked(void)
{
	struct libmseal_emap *maps = NULL;
	size_t done = 0;
	long nm;
	int rc, prune;

	nm = libmseal_emaps_read(&maps);
	if (nm < 0)
		return (int)nm;
	rc = revalidate(maps, nm);
	prune = readonly_prune();
	if (rc == 0)
		rc = prune;
	/* a part recorded read-only and made writable since: refused, and
	 * everything stays recorded (the caller may mprotect it back) */
	if (rc == 0)
		rc = readonly_check(maps, nm);
	/* a ring made before the first filter could discard sealed pages
	 * unseen; later rings cannot be made (io_uring_setup is denied) */
	if (rc == 0 && filters == 0) {
		int ring = libmseal_emul_has_io_uring();

		rc = ring > 0 ? -EBUSY : ring;
	}
	if (rc == 0 && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		rc = -errno;
	if (rc == 0) {
		struct rset todo = pending;

		/* what goes in leaves @pending; what does not comes back */
		pending = (struct rset){ 0 };
		/* by address, so that a split batch splits by address */
		qsort(todo.r, todo.n, sizeof(*todo.r), cmp_start);
		rc = commit_ranges(maps, nm, todo.r, todo.n, &done);
		for (size_t i = 0; i < todo.n; i++) {
			int back = pending_add_missing(todo.r[i].start,
						       todo.r[i].end);

			if (back < 0 && rc == 0)
				rc = back;
		}
		free(todo.r);
		/* a failure only leaves stale parts, pruned again before
		 * the next check */
		(void)readonly_prune();
	}
	free(maps);
	return rc < 0 ? rc : (int)done;
}

int mseal_fallback_commit(void)
{
	int rc = 0;

	if (!libmseal_emul_active())
		return 0;
	pthread_mutex_lock(&emul_lock);
	if (pending.n > 0)
		rc = commit_locked();
	pthread_mutex_unlock(&emul_lock);
	return rc;
}

int mseal_fallback_range(size_t index, uint64_t *ret_start,
			 uint64_t *ret_end, unsigned int *ret_flags)
{
	const struct libmseal_erange *r = NULL;
	unsigned int fl = 0;

	pthread_mutex_lock(&emul_lock);
	if (index < committed.n) {
		r = &committed.r[index];
		fl = LIBMSEAL_FALLBACK_COMMITTED;
	} else if (index - committed.n < pending.n) {
		r = &pending.r[index - committed.n];
	}
	if (r) {
		if (ret_start)
			*ret_start = r->start;
		if (ret_end)
			*ret_end = r->end;
		if (ret_flags)
			*ret_flags = fl;
	}
	pthread_mutex_unlock(&emul_lock);
	return r != NULL;
}

int mseal_fallback_filters(void)
{
	int n;

	pthread_mutex_lock(&emul_lock);
	n = (int)filters;
	pthread_mutex_unlock(&emul_lock);
	return n;
}
