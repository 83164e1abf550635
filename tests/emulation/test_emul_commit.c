// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a commit of the emulation does with what was recorded (forced with
 * LIBMSEAL_FORCE_UNSUPPORTED=1, set by meson): ranges judged one by one as
 * recorded, never merged with a neighbour; a part recorded read-only and
 * made writable before the commit refuses the commit (-EPERM) and stays
 * recorded; the sealing functions return success for "recorded", and the
 * protection starts at the commit. Each case beside its control.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libmseal.h"
#include "testutil.h"

#define PG (test_page())
#define ERR(call) ((call) ? errno : 0)

static void enable(void)
{
	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	cr_assert_eq(mseal_sealing_mode(), LIBMSEAL_SEALING_EMULATED);
}

/* Entry @i of the emulation's list: its bounds and whether committed. */
static void expect_entry(size_t i, const void *start, size_t len,
			 unsigned int flags)
{
	uint64_t s = 0, e = 0;
	unsigned int fl = 99;

	cr_assert_eq(mseal_fallback_range(i, &s, &e, &fl), 1, "entry %zu", i);
	cr_assert_eq(s, (uintptr_t)start, "entry %zu start", i);
	cr_assert_eq(e, (uintptr_t)start + len, "entry %zu end", i);
	cr_assert_eq(fl, flags, "entry %zu flags", i);
}

static void expect_no_entry(size_t i)
{
	cr_assert_eq(mseal_fallback_range(i, NULL, NULL, NULL), 0,
		     "no entry %zu", i);
}

/*
 * b (2 pages) then a (4 pages) at @p, @gap pages apart; a recorded first,
 * then b; with @hole, a's second page is unmapped before the commit.
 */
static void neighbours(char *p, size_t gap, int hole)
{
	char *b = p, *a = p + (2 + gap) * PG;

	enable();
	cr_assert_eq(mseal_range(a, 4 * PG, 0), 0);
	cr_assert_eq(mseal_range(b, 2 * PG, 0), 0);
	/* kept as recorded: two entries, in the order recorded */
	expect_entry(0, a, 4 * PG, 0);
	expect_entry(1, b, 2 * PG, 0);
	if (!hole) {
		cr_assert_eq(mseal_fallback_commit(), 2);
		cr_assert_eq(ERR(munmap(b, PG)), EPERM);
		cr_assert_eq(ERR(munmap(a, PG)), EPERM);
		cr_assert_eq(ERR(munmap(a + 3 * PG, PG)), EPERM);
		return;
	}
	cr_assert_eq(munmap(a + PG, PG), 0);
	cr_assert_eq(mseal_fallback_commit(), -ENOMEM, "a has a hole");
	cr_assert_eq(mseal_fallback_filters(), 0);
	/* a is forgotten, b still recorded, not committed */
	expect_entry(0, b, 2 * PG, 0);
	expect_no_entry(1);
	cr_assert_eq(mseal_fallback_commit(), 1, "b alone");
	expect_entry(0, b, 2 * PG, LIBMSEAL_FALLBACK_COMMITTED);
	expect_no_entry(1);
	cr_assert_eq(ERR(munmap(b, 2 * PG)), EPERM, "b is protected");
	cr_assert_eq(ERR(mprotect(b + PG, PG, PROT_NONE)), EPERM);
	cr_assert_eq(ERR(munmap(a, PG)), 0, "what is left of a is not");
	cr_assert_eq(ERR(munmap(a + 2 * PG, 2 * PG)), 0);
}

Test(commit, touching_ranges_kept_apart_control)
{
	neighbours(test_map(6, PROT_READ, 'A'), 0, 0);
}

Test(commit, touching_neighbour_survives_a_hole)
{
	neighbours(test_map(6, PROT_READ, 'A'), 0, 1);
}

Test(commit, gap_ranges_control)
{
	neighbours(test_map(7, PROT_READ, 'A'), 1, 0);
}

Test(commit, gap_neighbour_survives_a_hole)
{
	neighbours(test_map(7, PROT_READ, 'A'), 1, 1);
}

Test(commit, same_range_twice_is_one_entry)
{
	char *p = test_map(2, PROT_READ, 'A');

	enable();
	cr_assert_eq(mseal_range(p, 2 * PG, 0), 0);
	cr_assert_eq(mseal_range(p, 2 * PG, 0), 0);
	cr_assert_eq(mseal_range(p, PG, 0), 0, "a part is its own entry");
	expect_entry(0, p, 2 * PG, 0);
	expect_entry(1, p, PG, 0);
	expect_no_entry(2);
	cr_assert_eq(mseal_fallback_commit(), 2);
	/* committed ranges are one merged set */
	expect_entry(0, p, 2 * PG, LIBMSEAL_FALLBACK_COMMITTED);
	expect_no_entry(1);
}

/* Recorded read-only; made writable (or not, the control) before the
 * commit. */
static void readonly_then(char *p, int make_writable)
{
	enable();
	cr_assert_eq(mseal_range(p, 2 * PG, 0), 0);
	/* before the commit nothing is protected yet */
	cr_assert_eq(ERR(mprotect(p, PG, PROT_READ)), 0);
	if (make_writable)
		cr_assert_eq(mprotect(p + PG, PG, PROT_READ | PROT_WRITE), 0);
	if (!make_writable) {
		cr_assert_eq(mseal_fallback_commit(), 1);
		cr_assert_eq(ERR(mprotect(p + PG, PG, PROT_READ | PROT_WRITE)),
			     EPERM);
		return;
	}
	cr_assert_eq(mseal_fallback_commit(), -EPERM, "made writable");
	cr_assert_eq(mseal_fallback_filters(), 0, "nothing installed");
	expect_entry(0, p, 2 * PG, 0);
	p[PG] = 'W';
	/* read-only again: the same record commits */
	cr_assert_eq(mprotect(p + PG, PG, PROT_READ), 0);
	cr_assert_eq(mseal_fallback_commit(), 1);
	expect_entry(0, p, 2 * PG, LIBMSEAL_FALLBACK_COMMITTED);
	cr_assert_eq(ERR(mprotect(p + PG, PG, PROT_READ | PROT_WRITE)), EPERM);
	cr_assert_eq(p[PG], 'W');
}

Test(readonly, unchanged_commits_control)
{
	readonly_then(test_map(2, PROT_READ, 'A'), 0);
}

Test(readonly, made_writable_refuses_the_commit)
{
	readonly_then(test_map(2, PROT_READ, 'A'), 1);
}

Test(readonly, prot_none_made_writable_refuses)
{
	char *p = test_map(1, PROT_NONE, 0);

	enable();
	cr_assert_eq(mseal_range(p, PG, 0), 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
	cr_assert_eq(mseal_fallback_commit(), -EPERM);
	cr_assert_eq(mprotect(p, PG, PROT_NONE), 0);
	cr_assert_eq(mseal_fallback_commit(), 1);
}

/* Writable when recorded: freezing it writable is what was asked. */
Test(readonly, writable_when_recorded_commits)
{
	char *p = test_map(2, PROT_READ | PROT_WRITE, 'A');

	enable();
	cr_assert_eq(mseal_range(p, 2 * PG, 0), 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ), 0);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
	cr_assert_eq(mseal_fallback_commit(), 1);
	p[0] = 'B';
	cr_assert_eq(ERR(mprotect(p, PG, PROT_READ)), EPERM);
}

/* A read-only range forgotten (unmapped) is not judged any more, even if
 * writable memory takes its place; the other range commits. */
Test(readonly, forgotten_range_is_not_judged)
{
	char *p = test_map(4, PROT_READ, 'A');

	enable();
	cr_assert_eq(mseal_range(p, PG, 0), 0);
	cr_assert_eq(mseal_range(p + 2 * PG, 2 * PG, 0), 0);
	cr_assert_eq(munmap(p + 3 * PG, PG), 0);
	cr_assert_eq(mseal_fallback_commit(), -ENOMEM);
	cr_assert_eq(mmap(p + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		     (void *)(p + 2 * PG));
	cr_assert_eq(mseal_fallback_commit(), 1);
	cr_assert_eq(ERR(munmap(p, PG)), EPERM);
	cr_assert_eq(ERR(munmap(p + 2 * PG, 2 * PG)), 0);
}

/* The sealing functions say success for "recorded"; the commit protects,
 * and refuses when the arena was made writable in between. */
static void arena_then(int make_writable)
{
	struct mseal_arena *arena = NULL;
	char *v = NULL;

	enable();
	cr_assert_eq(mseal_arena_create(PG, 0, &arena), 0);
	cr_assert_eq(mseal_arena_alloc(arena, 16, 0, (void **)&v), 0);
	strcpy(v, "config");
	cr_assert_eq(mseal_arena_seal(arena), 0, "recorded");
	cr_assert_eq(mseal_fallback_range(0, NULL, NULL, NULL), 1);
	if (make_writable) {
		char *page = (char *)((uintptr_t)v & ~(uintptr_t)(PG - 1));

		cr_assert_eq(mprotect(page, PG, PROT_READ | PROT_WRITE), 0,
			     "not protected before the commit");
		v[0] = 'X';
		cr_assert_eq(mseal_fallback_commit(), -EPERM);
		cr_assert_eq(mseal_fallback_filters(), 0);
		cr_assert_eq(mprotect(page, PG, PROT_READ), 0);
	}
	cr_assert_eq(mseal_fallback_commit(), 1);
	cr_assert_str_eq(v, make_writable ? "Xonfig" : "config");
	cr_assert_eq(ERR(mprotect((void *)((uintptr_t)v & ~(uintptr_t)(PG - 1)),
				  PG, PROT_READ | PROT_WRITE)), EPERM);
}

Test(functions, arena_seal_control)
{
	arena_then(0);
}

Test(functions, arena_made_writable_refuses_the_commit)
{
	arena_then(1);
}

static char ro_page[1 << 16] __attribute__((aligned(1 << 16)));

Test(functions, protect_after_init_recorded_then_protected)
{
	char *p = ro_page;

	p[0] = 'I';
	enable();
	cr_assert_eq(mseal_protect_after_init(p, PG), 0, "recorded");
	cr_assert_eq(mseal_fallback_range(0, NULL, NULL, NULL), 1);
	cr_assert_eq(mprotect(p, PG, PROT_READ | PROT_WRITE), 0,
		     "not protected before the commit");
	cr_assert_eq(mseal_fallback_commit(), -EPERM);
	cr_assert_eq(mprotect(p, PG, PROT_READ), 0);
	cr_assert_eq(mseal_fallback_commit(), 1);
	cr_assert_eq(ERR(mprotect(p, PG, PROT_READ | PROT_WRITE)), EPERM);
	cr_assert_eq(p[0], 'I');
}

Test(functions, image_object_reports_recorded_ranges)
{
	struct mseal_report *r = NULL;
	const struct mseal_report_range *ro = NULL;
	char perms[5];

	enable();
	cr_assert_eq(mseal_image_object((const void *)neighbours, NULL, &r), 0);
	cr_assert_eq(r->status, 0);
	cr_assert_gt(r->ranges_sealed, 0);
	for (size_t i = 0; i < r->n_ranges; i++) {
		cr_assert_eq(r->ranges[i].skip, LIBMSEAL_SKIP_NONE,
			     "range %zu: skip %d", i, r->ranges[i].skip);
		if (!ro && r->ranges[i].kind == LIBMSEAL_RANGE_RODATA)
			ro = &r->ranges[i];
	}
	cr_assert_not_null(ro, "a read-only segment");
	cr_assert_eq(test_perms((void *)(uintptr_t)ro->start, perms), 0);
	cr_assert_str_eq(perms, "r--p");
	/* recorded, not protected yet: a writable detour is refused at
	 * the commit, and once read-only again the commit goes in */
	cr_assert_eq(mprotect((void *)(uintptr_t)ro->start, PG,
			      PROT_READ | PROT_WRITE), 0);
	cr_assert_eq(mseal_fallback_commit(), -EPERM);
	cr_assert_eq(mprotect((void *)(uintptr_t)ro->start, PG, PROT_READ), 0);
	cr_assert_geq(mseal_fallback_commit(), 1);
	cr_assert_eq(ERR(mprotect((void *)(uintptr_t)ro->start, PG,
				  PROT_READ)), EPERM);
	mseal_report_free(r);
}

Test(functions, secret_alloc_recorded_then_protected)
{
	unsigned char *key = NULL;
	unsigned int fl = 9;

	enable();
	cr_assert_eq(mseal_secret_alloc(32, 0, (void **)&key), 0, "recorded");
	cr_assert_eq(mseal_fallback_range(0, NULL, NULL, &fl), 1);
	cr_assert_eq(fl, 0, "recorded, not committed");
	memset(key, 'K', 32);
	cr_assert_geq(mseal_fallback_commit(), 1);
	cr_assert_eq(mseal_fallback_range(0, NULL, NULL, &fl), 1);
	cr_assert_eq(fl, LIBMSEAL_FALLBACK_COMMITTED);
	cr_assert_eq(key[31], 'K');
	cr_assert_eq(mseal_secret_free(key), 0);
}
