// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * From one object's program headers to the page ranges that may be sealed.
 *
 * The loader maps each PT_LOAD over [vaddr rounded down, vaddr + memsz
 * rounded up) in header order, so where two segments share a page the
 * later one's protection wins; it then makes PT_GNU_RELRO read-only over
 * [start rounded down, end rounded DOWN) (glibc 2.36 _dl_protect_relro).
 * With 4 KiB max-page-size layouts one page can hold the end of rodata and
 * the start of writable data, so sealability is decided per page:
 *  - a page inside the RELRO range as ld.so protected it is sealable;
 *  - otherwise a page touched by any byte of a writable PT_LOAD (data or
 *    .bss) is never sealed: writable neighbours round inward;
 *  - otherwise a page of a non-writable PT_LOAD is text or rodata, as the
 *    last segment mapped over it says;
 *  - with LIBMSEAL_IMAGE_GAPS, a page inside the object's span that no
 *    segment covers is a gap filler, but only for objects ld.so mapped:
 *    the kernel unmaps the holes of the program and interpreter it maps.
 * The work is done on the few elementary intervals between segment
 * boundaries, never page by page, so a 2 MiB-aligned object costs the same
 * as a small one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image-internal.h"

#define NO_KIND 0

struct seg {
	uintptr_t start, end; /* page-rounded extent */
	int writable, exec;
};

struct layout {
	struct seg *segs;
	size_t n;
	uintptr_t relro_start, relro_end; /* empty when equal */
	uintptr_t span_start, span_end;
	int gaps;
};

/* Insertion sort: a dozen boundaries, and no call into libc (a first
 * call through the PLT costs a symbol lookup at startup). */
static void sort_points(uintptr_t *pts, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uintptr_t v = pts[i];
		size_t j = i;

		for (; j > 0 && pts[j - 1] > v; j--)
			pts[j] = pts[j - 1];
		pts[j] = v;
	}
}

/* The kind of the elementary interval [a, b), which no boundary splits. */
static int classify(const struct layout *l, uintptr_t a, uintptr_t b)
{
	int kind = NO_KIND;

	if (l->relro_start <= a && b <= l->relro_end &&
	    l->relro_start < l->relro_end)
		return LIBMSEAL_RANGE_RELRO;
	for (size_t i = 0; i < l->n; i++) {
		const struct seg *s = &l->segs[i];

		if (s->writable) {
			if (a < s->end && s->start < b)
				return NO_KIND;
		} else if (s->start <= a && b <= s->end) {
			kind = s->exec ? LIBMSEAL_RANGE_TEXT :
					 LIBMSEAL_RANGE_RODATA;
		}
	}
	if (kind == NO_KIND && l->gaps && l->span_start <= a &&
	    b <= l->span_end)
		kind = LIBMSEAL_RANGE_GAP;
	return kind;
}

/* Fill @l from the headers; @l->segs has room for @phnum entries. */
static void read_layout(struct layout *l, uintptr_t bias,
			const ElfW(Phdr) *phdr, size_t phnum, size_t page)
{
	uintptr_t mask = ~(uintptr_t)(page - 1);

	for (size_t i = 0; i < phnum; i++) {
		const ElfW(Phdr) *p = &phdr[i];
		uintptr_t va = bias + p->p_vaddr;

		if (p->p_type == PT_GNU_RELRO) {
			l->relro_start = va & mask;
			l->relro_end = (va + p->p_memsz) & mask;
			if (l->relro_end < l->relro_start)
				l->relro_end = l->relro_start;
		} else if (p->p_type == PT_LOAD && p->p_memsz > 0) {
			struct seg *s = &l->segs[l->n++];

			s->start = va & mask;
			s->end = (va + p->p_memsz + page - 1) & mask;
			s->writable = !!(p->p_flags & PF_W);
			s->exec = !!(p->p_flags & PF_X);
			if (l->n == 1 || s->start < l->span_start)
				l->span_start = s->start;
			if (s->end > l->span_end)
				l->span_end = s->end;
		}
	}
}

/* Append [a, b) of @kind to @out, merging with a touching last entry. */
static int emit(struct libmseal_prange *out, size_t *n, size_t max,
		uintptr_t a, uintptr_t b, int kind)
{
	if (*n > 0 && out[*n - 1].end == a && out[*n - 1].kind == kind) {
		out[*n - 1].end = b;
		return 0;
	}
	if (*n == max)
		return -E2BIG;
	out[*n].start = a;
	out[*n].end = b;
	out[*n].kind = kind;
	(*n)++;
	return 0;
}

int libmseal_image_plan(uintptr_t bias, const ElfW(Phdr) *phdr, size_t phnum,
			size_t page, unsigned int flags, int mapped_by,
			struct libmseal_prange *out, size_t max)
{
	struct seg seg_buf[16];
	uintptr_t pt_buf[36];
	struct layout l = { .segs = seg_buf };
	uintptr_t *pts = pt_buf;
	size_t npts = 0, n = 0;
	int rc = 0;

	/* Objects rarely have more than 5 PT_LOADs; big ones go to the heap. */
	if (phnum > 16) {
		l.segs = malloc(phnum * sizeof(*l.segs));
		pts = malloc((2 * phnum + 4) * sizeof(*pts));
		if (!l.segs || !pts) {
			rc = -ENOMEM;
			goto out;
		}
	}
	read_layout(&l, bias, phdr, phnum, page);
	l.gaps = (flags & LIBMSEAL_IMAGE_GAPS) &&
		 mapped_by == LIBMSEAL_MAPPED_BY_LDSO;
	for (size_t i = 0; i < l.n; i++) {
		pts[npts++] = l.segs[i].start;
		pts[npts++] = l.segs[i].end;
	}
	if (l.relro_start < l.relro_end) {
		pts[npts++] = l.relro_start;
		pts[npts++] = l.relro_end;
	}
	sort_points(pts, npts);
	for (size_t i = 0; i + 1 < npts && rc == 0; i++) {
		int kind;

		if (pts[i] == pts[i + 1])
			continue;
		kind = classify(&l, pts[i], pts[i + 1]);
		if (kind != NO_KIND)
			rc = emit(out, &n, max, pts[i], pts[i + 1], kind);
	}
out:
	if (l.segs != seg_buf)
		free(l.segs);
	if (pts != pt_buf)
		free(pts);
	return rc < 0 ? rc : (int)n;
}
