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
static struct rset committed, pending;
static size_t filters;

static int rset_add(struct rset *s, uint64_t start, uint64_t end)
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
	s->n = libmseal_erange_merge(s->r, s->n);
	return 0;
}

/* Record the parts of [start, end) that @skip does not hold yet. */
static int rset_add_missing(struct rset *s, const struct rset *skip,
			    uint64_t start, uint64_t end)
{
	uint64_t pos = start;
	int rc = 0;

	for (size_t i = 0; i < skip->n && pos < end && rc == 0; i++) {
		const struct libmseal_erange *k = &skip->r[i];

		if (k->end <= pos || k->start >= end)
			continue;
		if (k->start > pos)
			rc = rset_add(s, pos, k->start);
		pos = k->end;
	}
	if (rc == 0 && pos < end)
		rc = rset_add(s, pos, end);
	return rc;
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
	free(maps);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&emul_lock);
	rc = rset_add_missing(&pending, &committed, addr, end);
	pthread_mutex_unlock(&emul_lock);
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
	int rc;

	nm = libmseal_emaps_read(&maps);
	if (nm < 0)
		return (int)nm;
	rc = revalidate(maps, nm);
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
		rc = commit_ranges(maps, nm, todo.r, todo.n, &done);
		for (size_t i = 0; i < todo.n; i++) {
			int back = rset_add_missing(&pending, &committed,
						    todo.r[i].start,
						    todo.r[i].end);

			if (back < 0 && rc == 0)
				rc = back;
		}
		free(todo.r);
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
