// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The planner on synthetic program headers (page-rounding rules of
 * glibc 2.36's _dl_map_segments and _dl_protect_relro, pages shared with
 * writable data), the record of sealed ranges, and the report packer.
 * No sealing happens here.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "image-internal.h"

#define PG 4096
#define BIAS ((uintptr_t)0x7f0000000000)

static ElfW(Phdr) load(uintptr_t va, size_t memsz, unsigned int flags)
{
	ElfW(Phdr) p = { .p_type = PT_LOAD, .p_flags = flags,
			 .p_vaddr = va, .p_memsz = memsz,
			 .p_filesz = memsz, .p_align = PG };
	return p;
}

static ElfW(Phdr) relro(uintptr_t va, size_t memsz)
{
	ElfW(Phdr) p = { .p_type = PT_GNU_RELRO, .p_flags = PF_R,
			 .p_vaddr = va, .p_memsz = memsz, .p_align = 1 };
	return p;
}

static int plan(const ElfW(Phdr) *ph, size_t n, unsigned int flags,
		int mapped_by, struct libmseal_prange *out)
{
	return libmseal_image_plan(BIAS, ph, n, PG, flags, mapped_by, out, 32);
}

static void expect(const struct libmseal_prange *r, uintptr_t s, uintptr_t e,
		   int kind)
{
	cr_assert_eq(r->start, BIAS + s, "start %#lx", r->start - BIAS);
	cr_assert_eq(r->end, BIAS + e, "end %#lx", r->end - BIAS);
	cr_assert_eq(r->kind, kind);
}

/* The layout ld -z relro -z now gives a small library (4 KiB pages). */
Test(plan, usual_four_segments_with_relro)
{
	ElfW(Phdr) ph[] = {
		load(0x0, 0x4a0, PF_R), load(0x1000, 0x119, PF_R | PF_X),
		load(0x2000, 0x2098, PF_R),
		load(0x5e40, 0x390, PF_R | PF_W), relro(0x5e40, 0x1c0),
	};
	struct libmseal_prange r[32];

	cr_assert_eq(plan(ph, 5, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 4);
	expect(&r[0], 0x0, 0x1000, LIBMSEAL_RANGE_RODATA);
	expect(&r[1], 0x1000, 0x2000, LIBMSEAL_RANGE_TEXT);
	expect(&r[2], 0x2000, 0x5000, LIBMSEAL_RANGE_RODATA);
	expect(&r[3], 0x5000, 0x6000, LIBMSEAL_RANGE_RELRO);
}

/* _dl_protect_relro rounds the end DOWN: a RELRO ending mid-page leaves
 * that page writable, and one shorter than a page protects nothing. */
Test(plan, relro_end_rounded_down)
{
	ElfW(Phdr) ph[] = {
		load(0x1000, 0x100, PF_R | PF_X),
		load(0x5000, 0x3000, PF_R | PF_W), relro(0x5000, 0x2800),
	};
	ElfW(Phdr) tiny[] = {
		load(0x1000, 0x100, PF_R | PF_X),
		load(0x5e60, 0x370, PF_R | PF_W), relro(0x5e60, 0x100),
	};
	struct libmseal_prange r[32];

	cr_assert_eq(plan(ph, 3, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 2);
	expect(&r[1], 0x5000, 0x7000, LIBMSEAL_RANGE_RELRO);
	cr_assert_eq(plan(tiny, 3, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 1);
	expect(&r[0], 0x1000, 0x2000, LIBMSEAL_RANGE_TEXT);
}

/* A page holding the end of rodata and the start of writable data is
 * writable after mapping: it is never sealed (rounded inward). */
Test(plan, page_shared_with_writable_data_is_not_sealed)
{
	ElfW(Phdr) ph[] = {
		load(0x1000, 0x100, PF_R | PF_X), load(0x2000, 0x1800, PF_R),
		load(0x3800, 0x1000, PF_R | PF_W),
	};
	struct libmseal_prange r[32];

	cr_assert_eq(plan(ph, 3, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 2);
	expect(&r[0], 0x1000, 0x2000, LIBMSEAL_RANGE_TEXT);
	expect(&r[1], 0x2000, 0x3000, LIBMSEAL_RANGE_RODATA);
}

/* Writable data below text in the same page: the text page is not sealed
 * either, whatever the segment order. */
Test(plan, writable_neighbour_below_rounds_inward)
{
	ElfW(Phdr) ph[] = {
		load(0x1000, 0x900, PF_R | PF_W),
		load(0x1900, 0x2000, PF_R | PF_X),
	};
	struct libmseal_prange r[32];

	cr_assert_eq(plan(ph, 2, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 1);
	expect(&r[0], 0x2000, 0x4000, LIBMSEAL_RANGE_TEXT);
}

/* RELRO starting mid-page on rodata's last page: ld.so made that page
 * read-only (start rounded down), so it is sealed as RELRO. */
Test(plan, relro_sharing_a_page_with_rodata)
{
	ElfW(Phdr) ph[] = {
		load(0x1000, 0x100, PF_R | PF_X), load(0x2000, 0x800, PF_R),
		load(0x2800, 0x1000, PF_R | PF_W), relro(0x2800, 0x900),
	};
	struct libmseal_prange r[32];

	cr_assert_eq(plan(ph, 4, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 2);
	expect(&r[0], 0x1000, 0x2000, LIBMSEAL_RANGE_TEXT);
	expect(&r[1], 0x2000, 0x3000, LIBMSEAL_RANGE_RELRO);
}

/* -z max-page-size=0x200000: segments far apart, PROT_NONE between. */
static const ElfW(Phdr) *maxpage_layout(void)
{
	static ElfW(Phdr) ph[5];

	ph[0] = load(0x0, 0x4a0, PF_R);
	ph[1] = load(0x200000, 0x119, PF_R | PF_X);
	ph[2] = load(0x400000, 0x2098, PF_R);
	ph[3] = load(0x7ffe60, 0x370, PF_R | PF_W);
	ph[4] = relro(0x7ffe60, 0x1a0);
	return ph;
}

Test(plan, gaps_only_with_the_flag)
{
	struct libmseal_prange r[32];

	cr_assert_eq(plan(maxpage_layout(), 5, 0, LIBMSEAL_MAPPED_BY_LDSO, r),
		     4);
	expect(&r[0], 0x0, 0x1000, LIBMSEAL_RANGE_RODATA);
	expect(&r[1], 0x200000, 0x201000, LIBMSEAL_RANGE_TEXT);
	expect(&r[2], 0x400000, 0x403000, LIBMSEAL_RANGE_RODATA);
	expect(&r[3], 0x7ff000, 0x800000, LIBMSEAL_RANGE_RELRO);
	cr_assert_eq(plan(maxpage_layout(), 5, LIBMSEAL_IMAGE_GAPS,
			  LIBMSEAL_MAPPED_BY_LDSO, r), 7);
	expect(&r[1], 0x1000, 0x200000, LIBMSEAL_RANGE_GAP);
	expect(&r[3], 0x201000, 0x400000, LIBMSEAL_RANGE_GAP);
	expect(&r[5], 0x403000, 0x7ff000, LIBMSEAL_RANGE_GAP);
	expect(&r[6], 0x7ff000, 0x800000, LIBMSEAL_RANGE_RELRO);
}

/* The kernel unmaps the holes of the program it execs: no gaps there. */
Test(plan, no_gaps_for_kernel_mapped_objects)
{
	struct libmseal_prange r[32];

	cr_assert_eq(plan(maxpage_layout(), 5, LIBMSEAL_IMAGE_GAPS,
			  LIBMSEAL_MAPPED_BY_KERNEL, r), 4);
	expect(&r[1], 0x200000, 0x201000, LIBMSEAL_RANGE_TEXT);
}

Test(plan, touching_segments_of_one_kind_merge)
{
	ElfW(Phdr) ph[] = {
		load(0x0, 0x1000, PF_R), load(0x1000, 0x2000, PF_R),
		load(0x3000, 0, PF_R | PF_W), /* empty: ignored */
		load(0x3000, 0x1000, PF_R | PF_X),
	};
	struct libmseal_prange r[32];

	cr_assert_eq(plan(ph, 4, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 2);
	expect(&r[0], 0x0, 0x3000, LIBMSEAL_RANGE_RODATA);
	expect(&r[1], 0x3000, 0x4000, LIBMSEAL_RANGE_TEXT);
}

Test(plan, no_loads_no_ranges_and_e2big)
{
	ElfW(Phdr) none[] = { relro(0x1000, 0x1000) };
	struct libmseal_prange r[32];

	cr_assert_eq(plan(none, 0, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 0);
	cr_assert_eq(libmseal_image_plan(BIAS, maxpage_layout(), 5, PG, 0,
					 LIBMSEAL_MAPPED_BY_LDSO, r, 3),
		     -E2BIG);
}

Test(plan, many_program_headers)
{
	ElfW(Phdr) ph[40];
	struct libmseal_prange r[32];

	memset(ph, 0, sizeof(ph));
	/* 20 PT_LOADs alternating r-x and r--, 2 pages each, touching. */
	for (int i = 0; i < 20; i++)
		ph[i] = load((uintptr_t)i * 0x2000, 0x2000,
			     i % 2 ? PF_R : PF_R | PF_X);
	cr_assert_eq(plan(ph, 40, 0, LIBMSEAL_MAPPED_BY_LDSO, r), 20);
	expect(&r[19], 19 * 0x2000, 20 * 0x2000, LIBMSEAL_RANGE_RODATA);
}

/* The record of sealed ranges. */
static uintptr_t span(uintptr_t s, uintptr_t e, int *sealed)
{
	uintptr_t stop;

	libmseal_sealed_lock();
	stop = libmseal_sealed_span_locked(s, e, sealed);
	libmseal_sealed_unlock();
	return stop;
}

static void add(uintptr_t s, uintptr_t e)
{
	libmseal_sealed_lock();
	cr_assert_eq(libmseal_sealed_add_locked(s, e), 0);
	libmseal_sealed_unlock();
}

Test(sealed_set, spans_split_at_every_boundary)
{
	int sealed;

	cr_assert_eq(span(0x1000, 0x9000, &sealed), 0x9000);
	cr_assert_eq(sealed, 0);
	add(0x3000, 0x5000);
	add(0x7000, 0x8000);
	cr_assert_eq(span(0x1000, 0x9000, &sealed), 0x3000);
	cr_assert_eq(sealed, 0);
	cr_assert_eq(span(0x3000, 0x9000, &sealed), 0x5000);
	cr_assert_eq(sealed, 1);
	cr_assert_eq(span(0x4000, 0x4800, &sealed), 0x4800);
	cr_assert_eq(sealed, 1);
	cr_assert_eq(span(0x5000, 0x9000, &sealed), 0x7000);
	cr_assert_eq(sealed, 0);
	cr_assert_eq(span(0x8000, 0x9000, &sealed), 0x9000);
	cr_assert_eq(sealed, 0);
}

Test(sealed_set, touching_and_overlapping_intervals_merge)
{
	int sealed;

	add(0x3000, 0x5000);
	add(0x7000, 0x8000);
	add(0x5000, 0x7000); /* touches both */
	cr_assert_eq(span(0x3000, 0x9000, &sealed), 0x8000);
	cr_assert_eq(sealed, 1);
	add(0x1000, 0x4000); /* overlaps the start */
	cr_assert_eq(span(0x1000, 0x9000, &sealed), 0x8000);
	cr_assert_eq(sealed, 1);
	cr_assert_eq(span(0x0, 0x9000, &sealed), 0x1000);
	cr_assert_eq(sealed, 0);
}

Test(sealed_set, grows_past_static_storage)
{
	int sealed;

	/* 300 disjoint intervals, added from the top down. */
	for (int i = 299; i >= 0; i--)
		add(0x100000 + (uintptr_t)i * 0x2000,
		    0x101000 + (uintptr_t)i * 0x2000);
	for (int i = 0; i < 300; i++) {
		uintptr_t s = 0x100000 + (uintptr_t)i * 0x2000;

		cr_assert_eq(span(s, s + 0x2000, &sealed), s + 0x1000);
		cr_assert_eq(sealed, 1);
		cr_assert_eq(span(s + 0x1000, s + 0x2000, &sealed),
			     s + 0x2000);
		cr_assert_eq(sealed, 0);
	}
}

/* The report packer: one block, names inside it, counters from ranges. */
Test(report, packed_counts_and_names)
{
	struct libmseal_builder b;
	struct mseal_report *r = NULL;

	libmseal_builder_init(&b, 1);
	cr_assert_eq(libmseal_builder_object(&b, "/lib/a.so"), 0);
	cr_assert_eq(libmseal_builder_add(&b, 0x1000, 0x3000,
		LIBMSEAL_RANGE_TEXT, LIBMSEAL_SKIP_NONE, 0), 0);
	cr_assert_eq(libmseal_builder_add(&b, 0x3000, 0x4000,
		LIBMSEAL_RANGE_RELRO, LIBMSEAL_SKIP_FAILED, -EINVAL), 0);
	cr_assert_eq(libmseal_builder_object(&b, "/lib/b.so"), 0);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(libmseal_builder_add(&b, 0x10000 + i * 0x1000,
			0x11000 + i * 0x1000, LIBMSEAL_RANGE_RODATA,
			i == 7 ? LIBMSEAL_SKIP_FAILED : LIBMSEAL_SKIP_EXCLUDED,
			i == 7 ? -ENOMEM : 0), 0);
	for (int i = 0; i < 70; i++)
		cr_assert_eq(libmseal_builder_call(&b, 0x1000 * i,
			0x1000 * i + 0x1000, i == 3 ? -ENOMEM : 0), 0);
	cr_assert_eq(libmseal_builder_pack(&b, &r), 0);
	libmseal_builder_done(&b);
	cr_assert_eq(r->n_calls, 70);
	cr_assert_eq(r->calls[69].start, 69 * 0x1000);
	cr_assert_eq(r->calls[3].error, -ENOMEM);
	cr_assert_eq(r->calls[4].error, 0);
	cr_assert_eq(r->objects_seen, 2);
	cr_assert_eq(r->n_ranges, 102);
	cr_assert_eq(r->ranges_sealed, 1);
	cr_assert_eq(r->bytes_sealed, 0x2000);
	cr_assert_eq(r->ranges_skipped, 101);
	cr_assert_eq(r->ranges_failed, 2);
	cr_assert_eq(r->status, -EINVAL, "the first failure");
	cr_assert_str_eq(r->ranges[0].object, "/lib/a.so");
	cr_assert_str_eq(r->ranges[101].object, "/lib/b.so");
	cr_assert_eq(r->ranges[9].error, -ENOMEM);
	cr_assert_null(mseal_report_free(r));
}
