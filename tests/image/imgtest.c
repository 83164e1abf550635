// SPDX-License-Identifier: LGPL-2.1-or-later
#include <criterion/criterion.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imgtest.h"

static int has_code(const char *flags, const char *code)
{
	for (const char *p = flags; *p; p++)
		if (p[0] == code[0] && p[1] == code[1] &&
		    (p == flags || p[-1] == ' ') &&
		    (p[2] == ' ' || p[2] == '\n' || p[2] == '\0'))
			return 1;
	return 0;
}

size_t img_read_vmas(struct img_vma **ret)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	struct img_vma *v = NULL;
	size_t n = 0, cap = 0, len = 0;
	char *line = NULL;

	cr_assert_not_null(f);
	while (getline(&line, &len, f) > 0) {
		unsigned long s, e, ino;
		int used = 0;
		char perms[5];

		if (strncmp(line, "VmFlags:", 8) == 0 && n > 0) {
			v[n - 1].sealed = has_code(line + 8, "sl");
			continue;
		}
		if (sscanf(line, "%lx-%lx %4s %*x %*s %lu%n", &s, &e, perms,
			   &ino, &used) != 4)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			cr_assert_not_null(v);
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].start = s;
		v[n].end = e;
		memcpy(v[n].perms, perms, 5);
		v[n].inode = ino;
		line[strcspn(line, "\n")] = '\0';
		snprintf(v[n].path, sizeof(v[n].path), "%s",
			 line + used + strspn(line + used, " "));
		n++;
	}
	free(line);
	fclose(f);
	*ret = v;
	return n;
}

struct collect {
	struct img_object *o;
	size_t n, cap;
};

static int collect_one(struct dl_phdr_info *info, size_t size, void *data)
{
	struct collect *c = data;
	uintptr_t vdso = getauxval(AT_SYSINFO_EHDR), lo = UINTPTR_MAX, hi = 0;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct img_object *o;
	struct stat st;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t s = info->dlpi_addr + p->p_vaddr;

		if (p->p_type != PT_LOAD)
			continue;
		if (s < lo)
			lo = s;
		if (s + p->p_memsz > hi)
			hi = s + p->p_memsz;
	}
	if (vdso >= lo && vdso < hi)
		return 0;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->o = realloc(c->o, c->cap * sizeof(*c->o));
		cr_assert_not_null(c->o);
	}
	o = &c->o[c->n++];
	memset(o, 0, sizeof(*o));
	if (info->dlpi_name[0]) {
		snprintf(o->name, sizeof(o->name), "%s", info->dlpi_name);
	} else {
		ssize_t l = readlink("/proc/self/exe", o->name,
				     sizeof(o->name) - 1);

		o->name[l > 0 ? l : 0] = '\0';
	}
	cr_assert_not_null(realpath(o->name, o->real), "realpath %s", o->name);
	cr_assert_eq(stat(o->real, &st), 0);
	o->inode = st.st_ino;
	o->lo = lo & ~(page - 1);
	o->hi = (hi + page - 1) & ~(page - 1);
	return 0;
}

size_t img_objects(struct img_object **ret)
{
	struct collect c = { 0 };

	dl_iterate_phdr(collect_one, &c);
	*ret = c.o;
	return c.n;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

const struct img_object *img_find(const struct img_object *objs, size_t n,
				  const char *suffix)
{
	for (size_t i = 0; i < n; i++)
		if (ends_with(objs[i].name, suffix) ||
		    ends_with(objs[i].real, suffix))
			return &objs[i];
	return NULL;
}

int img_vma_of(const struct img_vma *v, const struct img_object *o)
{
	return v->inode == o->inode && v->start >= o->lo && v->end <= o->hi;
}

void img_assert_objects(int expect_text, const char *skip)
{
	struct img_object *objs;
	struct img_vma *v;
	size_t no = img_objects(&objs), nv = img_read_vmas(&v);
	size_t checked = 0;

	for (size_t i = 0; i < no; i++) {
		int want = expect_text;

		if (skip && (ends_with(objs[i].name, skip) ||
			     ends_with(objs[i].real, skip)))
			want = 0;
		for (size_t j = 0; j < nv; j++) {
			if (!img_vma_of(&v[j], &objs[i]))
				continue;
			if (v[j].perms[1] == 'w') {
				cr_assert_eq(v[j].sealed, 0, "%s %lx %s sealed",
					     v[j].path, v[j].start, v[j].perms);
			} else if (v[j].perms[0] == 'r') {
				cr_assert_eq(v[j].sealed, want,
					     "%s %lx-%lx %s sealed=%d",
					     v[j].path, v[j].start, v[j].end,
					     v[j].perms, v[j].sealed);
				checked++;
			}
		}
	}
	/* text and rodata of at least libc, ld.so and the program */
	cr_assert_geq(checked, 6);
	free(objs);
	free(v);
}

void img_assert_counts(const struct mseal_report *r)
{
	size_t sealed = 0, skipped = 0, failed = 0;
	uint64_t bytes = 0;

	cr_assert_eq(r->size, sizeof(*r));
	for (size_t i = 0; i < r->n_ranges; i++) {
		const struct mseal_report_range *x = &r->ranges[i];

		cr_assert_lt(x->start, x->end);
		cr_assert_not_null(x->object);
		if (x->skip == LIBMSEAL_SKIP_NONE) {
			sealed++;
			bytes += x->end - x->start;
			cr_assert_eq(x->error, 0);
		} else {
			skipped++;
		}
		if (x->skip == LIBMSEAL_SKIP_FAILED) {
			failed++;
			cr_assert_lt(x->error, 0);
		}
	}
	cr_assert_eq(r->ranges_sealed, sealed);
	cr_assert_eq(r->ranges_skipped, skipped);
	cr_assert_eq(r->ranges_failed, failed);
	cr_assert_eq(r->bytes_sealed, bytes);
	img_assert_calls(r);
}

/* The call covering [s, e), or NULL. */
static const struct mseal_report_call *call_for(const struct mseal_report *r,
						uint64_t s, uint64_t e,
						int error)
{
	for (size_t i = 0; i < r->n_calls; i++)
		if (r->calls[i].start <= s && e <= r->calls[i].end &&
		    r->calls[i].error == error)
			return &r->calls[i];
	return NULL;
}

void img_assert_calls(const struct mseal_report *r)
{
	size_t runs = 0, not_mapped = 0;

	for (size_t i = 0; i < r->n_ranges; i++) {
		const struct mseal_report_range *x = &r->ranges[i];
		const struct mseal_report_range *prev = i ? x - 1 : NULL;

		if (x->skip == LIBMSEAL_SKIP_NOT_MAPPED)
			not_mapped++;
		if (x->skip != LIBMSEAL_SKIP_NONE &&
		    x->skip != LIBMSEAL_SKIP_FAILED)
			continue;
		cr_assert_not_null(call_for(r, x->start, x->end, x->error),
				   "no call for %lx-%lx", (long)x->start,
				   (long)x->end);
		/* A new run unless it touches the previous called range. */
		if (!prev || prev->end != x->start ||
		    (prev->skip != LIBMSEAL_SKIP_NONE &&
		     prev->skip != LIBMSEAL_SKIP_FAILED) ||
		    strcmp(prev->object, x->object) != 0)
			runs++;
	}
	/* One mseal per contiguous run, unless failures needed retries. */
	if (r->ranges_failed == 0 && not_mapped == 0)
		cr_assert_eq(r->n_calls, runs);
	for (size_t i = 0; i < r->n_calls; i++)
		cr_assert_lt(r->calls[i].start, r->calls[i].end);
}

size_t img_count(const struct mseal_report *r, const char *suffix, int skip,
		 int kind)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_ranges; i++) {
		const struct mseal_report_range *x = &r->ranges[i];

		if (suffix && !ends_with(x->object, suffix))
			continue;
		if (skip >= 0 && x->skip != skip)
			continue;
		if (kind && x->kind != kind)
			continue;
		n++;
	}
	return n;
}
