// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_image() and mseal_image_object(): walk the loaded objects with
 * dl_iterate_phdr(3), plan each one's ranges from its program headers
 * (image-plan.c), and seal them (image-seal.c). Sealing happens inside the
 * walk's callback, while the loader holds its lock, so no object can be
 * unloaded between planning and sealing.
 *
 * Names cost system calls, so they are looked up only when needed: the
 * main program's /proc/self/exe only when an exclude pattern or a report
 * wants it, realpath(3) only when there are patterns.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "image-exclude.h"
#include "image-internal.h"

struct walk {
	struct libmseal_builder b;
	unsigned int flags;
	const char *const *exclude;
	int skip;		/* NONE, or UNSUPPORTED for every range */
	int single;		/* mseal_image_object(): one object */
	const void *target;	/* its address */
	int found;
	int locked;		/* image_lock taken by the first callback */
	int rc;
	uintptr_t vdso, at_phdr, at_base;
	size_t page;
};

/*
 * Serialises image calls. It is taken inside the first callback, after
 * dl_iterate_phdr(3) took the loader's lock, so the order is always loader
 * lock, image lock, record lock: a call made from another dl_iterate_phdr
 * callback cannot deadlock against a concurrent call. No fork handlers:
 * they cost page faults at startup, and a child of a multithreaded
 * process may only call async-signal-safe functions before exec (POSIX),
 * which these are not.
 */
static pthread_mutex_t image_lock = PTHREAD_MUTEX_INITIALIZER;

/* [lo, hi) spanned by the object's PT_LOAD segments, in bytes. */
static void object_extent(const struct dl_phdr_info *info, uintptr_t *lo,
			  uintptr_t *hi)
{
	*lo = UINTPTR_MAX;
	*hi = 0;
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t s = info->dlpi_addr + p->p_vaddr;

		if (p->p_type != PT_LOAD)
			continue;
		if (s < *lo)
			*lo = s;
		if (s + p->p_memsz > *hi)
			*hi = s + p->p_memsz;
	}
}

/* 1 when @addr lies inside one of the object's PT_LOAD segments. */
static int object_contains(const struct dl_phdr_info *info, uintptr_t addr)
{
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t s = info->dlpi_addr + p->p_vaddr;

		if (p->p_type == PT_LOAD && addr >= s && addr - s < p->p_memsz)
			return 1;
	}
	return 0;
}

/*
 * The main program's path, or "" when it cannot be read. Read once: a
 * process keeps its executable until exec, which starts afresh. Only
 * called with image_lock held.
 */
static const char *exe_name(void)
{
	static char exe[PATH_MAX];
	static int have;

	if (!have) {
		ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		exe[len > 0 ? len : 0] = '\0';
		have = len > 0;
	}
	return exe;
}

static int seal_one(struct walk *w, const struct dl_phdr_info *info,
		    const char *name)
{
	struct libmseal_prange small[32], *ranges = small;
	size_t max = 32;
	int mapped_by = LIBMSEAL_MAPPED_BY_LDSO, n, rc, skip = w->skip;

	if ((uintptr_t)info->dlpi_phdr == w->at_phdr ||
	    (w->at_base && info->dlpi_addr == w->at_base))
		mapped_by = LIBMSEAL_MAPPED_BY_KERNEL;
	/* At most one range per elementary interval between boundaries. */
	if (2 * (size_t)info->dlpi_phnum + 2 > max) {
		max = 2 * (size_t)info->dlpi_phnum + 2;
		ranges = malloc(max * sizeof(*ranges));
		if (!ranges)
			return -ENOMEM;
	}
	n = libmseal_image_plan(info->dlpi_addr, info->dlpi_phdr,
				info->dlpi_phnum, w->page, w->flags,
				mapped_by, ranges, max);
	rc = n < 0 ? n : libmseal_builder_object(&w->b, name);
	if (skip == LIBMSEAL_SKIP_NONE && !w->single &&
	    libmseal_image_excluded(w->exclude, name))
		skip = LIBMSEAL_SKIP_EXCLUDED;
	if (rc == 0)
		rc = libmseal_image_seal_object(&w->b, ranges, (size_t)n,
						skip);
	if (ranges != small)
		free(ranges);
	return rc;
}

static int on_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct walk *w = data;
	const char *name = info->dlpi_name;
	uintptr_t lo, hi;

	(void)size;
	if (!w->locked) {
		pthread_mutex_lock(&image_lock);
		w->locked = 1;
	}
	if (w->single && !object_contains(info, (uintptr_t)w->target))
		return 0;
	/* The vDSO is listed too (linux-vdso.so.1); it is never sealed. */
	object_extent(info, &lo, &hi);
	if (w->vdso && w->vdso >= lo && w->vdso < hi)
		return w->single ? 1 : 0;
	if ((!name || !*name) &&
	    (w->b.want_names || (w->exclude && !w->single)))
		name = exe_name();
	w->rc = seal_one(w, info, name);
	if (w->single)
		w->found = 1;
	return w->rc < 0 || w->single ? 1 : 0;
}

static int check_opts(const struct mseal_image_options *opts)
{
	if (!opts)
		return 0;
	if (opts->size < sizeof(*opts))
		return -EINVAL;
	if (opts->flags & ~LIBMSEAL_IMAGE_GAPS)
		return -EINVAL;
	return 0;
}

/* Sealing unavailable: every range is skipped, status says why. */
static void set_support(struct walk *w)
{
	int sup = mseal_supported();

	/* Emulated sealing (mseal_fallback_enable) counts as available:
	 * mseal_range() routes each call to it. */
	if (sup == 1 || mseal_sealing_mode() == LIBMSEAL_SEALING_EMULATED)
		return;
	w->skip = LIBMSEAL_SKIP_UNSUPPORTED;
	w->b.reason = mseal_unsupported_reason();
	if (sup < 0)
		w->b.status = sup;
	else if (w->b.reason == LIBMSEAL_REASON_POLICY)
		w->b.status = -EPERM;
	else
		w->b.status = -ENOSYS;
}

static int run_walk(int single, const void *target,
		    const struct mseal_image_options *opts,
		    struct mseal_report **ret_report)
{
	struct walk w = { .single = single, .target = target };
	int rc = check_opts(opts);

	if (rc < 0)
		return rc;
	if (opts) {
		w.flags = opts->flags;
		w.exclude = opts->exclude;
	}
	w.vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	w.at_phdr = (uintptr_t)getauxval(AT_PHDR);
	w.at_base = (uintptr_t)getauxval(AT_BASE);
	w.page = mseal_page_size();
	libmseal_builder_init(&w.b, ret_report != NULL);
	set_support(&w);

	dl_iterate_phdr(on_object, &w);
	if (w.locked)
		pthread_mutex_unlock(&image_lock);

	rc = w.rc;
	if (rc == 0 && single && !w.found)
		rc = -ENOENT;
	if (rc == 0 && ret_report)
		rc = libmseal_builder_pack(&w.b, ret_report);
	libmseal_builder_done(&w.b);
	return rc;
}

int mseal_image(const struct mseal_image_options *opts,
		struct mseal_report **ret_report)
{
	return run_walk(0, NULL, opts, ret_report);
}

int mseal_image_object(const void *addr,
		       const struct mseal_image_options *opts,
		       struct mseal_report **ret_report)
{
	return run_walk(1, addr, opts, ret_report);
}
