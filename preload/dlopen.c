// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The shim's dlopen: --dlopen=MODE (LIBMSEAL_DLOPEN).
 *
 * Objects opened later are sealed only when they can never be unloaded:
 * opened with RTLD_NODELETE or marked DF_1_NODELETE, with the dependencies
 * that dlopen brought in (mode nodelete); every dlopen is made NODELETE and
 * sealed (mode all); or nothing is done (mode none). Sealing must wait
 * until ld.so has relocated the new objects and applied their RELRO, which
 * happens inside the real dlopen (an LD_AUDIT module's
 * la_activity(LA_ACT_CONSISTENT) runs before relocation on glibc 2.36), so
 * the shim wraps dlopen and keeps ld.so's choice of file as for the real
 * caller (resolve.c). Before sealing an object the shim pins it with
 * dlopen(path, RTLD_NOLOAD | RTLD_NODELETE), so nothing sealed can ever be
 * unmapped by a dlclose.
 */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "image-exclude.h"
#include "resolve.h"
#include "shim.h"

void *(*shim_real_dlopen)(const char *file, int mode);

struct object {
	uintptr_t load;	/* first byte of its first PT_LOAD: its identity */
	int nodelete;	/* DF_1_NODELETE in its dynamic section */
	char *name;
};

struct objects {
	struct object *v;
	size_t n, cap;
};

/* DT_FLAGS_1 from the mapped dynamic section; ld.so may have relocated
 * d_ptr entries in place, so none are dereferenced here. */
static int df1_nodelete(const struct dl_phdr_info *info)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const ElfW(Dyn) *d;

		if (ph->p_type != PT_DYNAMIC)
			continue;
		d = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
		for (; d->d_tag != DT_NULL; d++)
			if (d->d_tag == DT_FLAGS_1)
				return (d->d_un.d_val & DF_1_NODELETE) != 0;
	}
	return 0;
}

static int collect(struct dl_phdr_info *info, size_t size, void *data)
{
	struct objects *set = data;
	struct object *o;

	for (int i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type != PT_LOAD)
			continue;
		if (set->n == set->cap) {
			size_t cap = set->cap ? set->cap * 2 : 64;
			struct object *v = realloc(set->v, cap * sizeof(*v));

			if (!v)
				return 1;
			set->v = v;
			set->cap = cap;
		}
		o = &set->v[set->n];
		o->load = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
		o->nodelete = df1_nodelete(info);
		o->name = strdup(info->dlpi_name ? info->dlpi_name : "");
		if (!o->name)
			return 1;
		set->n++;
		break;
	}
	return 0;
}

static void release(struct objects *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i].name);
	free(set->v);
}

static int seen(const struct objects *set, uintptr_t load)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].load == load)
			return 1;
	return 0;
}

static double now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Pin @o (it can never be unloaded from now on), then seal it. */
static void seal_object(const struct object *o)
{
	struct mseal_report *report = NULL;
	void *pin;
	double t0;

	/* mseal_image()'s rule at startup, from one source file. */
	if (libmseal_image_excluded(shim_policy.exclude, o->name)) {
		if (shim_policy.debug || shim_policy.report)
			shim_note_excluded(o->name);
		return;
	}
	pin = shim_real_dlopen(o->name, RTLD_LAZY | RTLD_NOLOAD |
			       RTLD_NODELETE);
	if (!pin)
		return;
	dlclose(pin);
	t0 = now_usec();
	if (mseal_image_object((const void *)o->load, &shim_policy.opts,
			       &report) == 0) {
		shim_emit(report, "dlopen", now_usec() - t0);
		mseal_report_free(report);
	}
}

/* The object @handle names, among @after. */
static const struct object *opened(void *handle, const struct objects *after)
{
	struct link_map *lm = NULL;

	if (dlinfo(handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
		return NULL;
	for (size_t i = 0; i < after->n; i++)
		if (strcmp(after->v[i].name, lm->l_name) == 0 &&
		    (uintptr_t)lm->l_addr <= after->v[i].load)
			return &after->v[i];
	return NULL;
}

static void seal_new(void *handle, int mode, const struct objects *before)
{
	struct objects after = { 0 };
	const struct object *top;
	int all;

	if (dl_iterate_phdr(collect, &after) != 0) {
		release(&after);
		return;
	}
	top = opened(handle, &after);
	all = (mode & RTLD_NODELETE) || (top && top->nodelete);
	/* A NODELETE reopen of an object loaded earlier makes it permanent
	 * too; libmseal skips what it sealed before. */
	if (top && all && seen(before, top->load))
		seal_object(top);
	for (size_t i = 0; i < after.n; i++)
		if (!seen(before, after.v[i].load) &&
		    (all || after.v[i].nodelete))
			seal_object(&after.v[i]);
	release(&after);
}

__attribute__((visibility("default"))) void *dlopen(const char *file,
						    int mode)
{
	const void *caller = __builtin_return_address(0);
	struct objects before = { 0 };
	char path[4096];
	void *handle;

	if (!shim_real_dlopen)
		shim_real_dlopen = (void *(*)(const char *, int))
				   dlsym(RTLD_NEXT, "dlopen");
	if (!shim_real_dlopen)
		return NULL;
	shim_policy_init();
	file = shim_resolve(file, caller, path, sizeof(path));
	if (shim_policy.dlopen_mode == SHIM_DLOPEN_NONE || !file)
		return shim_real_dlopen(file, mode);
	if (shim_policy.dlopen_mode == SHIM_DLOPEN_ALL)
		mode |= RTLD_NODELETE;
	if (dl_iterate_phdr(collect, &before) != 0) {
		release(&before);
		return shim_real_dlopen(file, mode);
	}
	handle = shim_real_dlopen(file, mode);
	if (handle)
		seal_new(handle, mode, &before);
	release(&before);
	return handle;
}
