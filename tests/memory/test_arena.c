// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Write-once arenas: allocate, fill, seal. Each sealed case is paired with
 * an unsealed control; each test runs in its own process.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "memtest.h"
#include "testutil.h"

/* A filled arena of @pages pages; *ret_base is its page-aligned start. */
static struct mseal_arena *filled_arena(size_t pages, char **ret_base)
{
	struct mseal_arena *a = NULL;
	void *p;

	cr_assert_eq(mseal_arena_create(pages * test_page(), 0, &a), 0);
	cr_assert_eq(mseal_arena_alloc(a, pages * test_page(), test_page(),
				       &p), 0);
	memset(p, 'z', pages * test_page());
	*ret_base = p;
	return a;
}

Test(arena, alloc_aligned_zeroed_until_full)
{
	struct mseal_arena *a = NULL;
	char *p, *q;

	cr_assert_eq(mseal_arena_create(100, 0, &a), 0); /* one page */
	cr_assert_eq(mseal_arena_alloc(a, 3, 1, (void **)&p), 0);
	cr_assert_eq(mseal_arena_alloc(a, 8, 64, (void **)&q), 0);
	cr_assert_eq((uintptr_t)q % 64, 0);
	cr_assert_eq(q, p + 64);
	cr_assert_eq(q[0] | q[7], 0);
	cr_assert_eq(mseal_arena_alloc(a, test_page() - 72, 1, (void **)&q), 0);
	cr_assert_eq(mseal_arena_alloc(a, 1, 1, (void **)&q), -ENOMEM);
	a = mseal_arena_free(a);
	cr_assert_null(a);
}

Test(arena, populate_flag_faults_pages_in)
{
	struct mseal_arena *a = NULL;
	unsigned char vec[4];
	char *p;

	cr_assert_eq(mseal_arena_create(4 * test_page(),
					LIBMSEAL_ARENA_POPULATE, &a), 0);
	cr_assert_eq(mseal_arena_alloc(a, 4 * test_page(), test_page(),
				       (void **)&p), 0);
	cr_assert_eq(mincore(p, 4 * test_page(), vec), 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(vec[i] & 1, 1, "page %d not resident", i);
	cr_assert_eq(p[0], 0);
	mseal_arena_free(a);
}

Test(arena, bad_arguments_einval)
{
	struct mseal_arena *a = NULL;
	void *p = (void *)1;

	cr_assert_eq(mseal_arena_create(0, 0, &a), -EINVAL);
	cr_assert_eq(mseal_arena_create(4096, 2, &a), -EINVAL);
	cr_assert_null(a);
	cr_assert_eq(mseal_arena_create(4096, 0, &a), 0);
	cr_assert_eq(mseal_arena_alloc(a, 0, 0, &p), -EINVAL);
	cr_assert_eq(mseal_arena_alloc(a, 8, 3, &p), -EINVAL);
	cr_assert_eq(mseal_arena_alloc(a, 8, 2 * test_page(), &p), -EINVAL);
	cr_assert_eq(p, (void *)1); /* untouched on failure */
	cr_assert_eq(mseal_arena_seal(NULL), -EINVAL);
	cr_assert_null(mseal_arena_free(NULL));
	mseal_arena_free(a);
}

Test(arena, own_private_anonymous_mapping)
{
	char *p;
	struct mseal_arena *a = filled_arena(3, &p);
	struct test_vma vma;

	cr_assert_eq(test_vma_at(p, &vma), 0);
	/* Unnamed, it may merge with a neighbouring anonymous mapping. */
	cr_assert_leq(vma.start, (uintptr_t)p);
	cr_assert_geq(vma.end, (uintptr_t)p + 3 * test_page());
	cr_assert_str_eq(vma.perms, "rw-p");
	/* Named where CONFIG_ANON_VMA_NAME exists, else anonymous. */
	cr_assert(strcmp(vma.path, "") == 0 ||
		  strcmp(vma.path, "[anon:mseal arena]") == 0, "path %s",
		  vma.path);
	mseal_arena_free(a);
}

Test(arena_sealed, seal_readonly_contents_intact_alloc_eperm)
{
	char *p;
	struct mseal_arena *a = filled_arena(2, &p);
	void *q = NULL;
	char perms[5];

	test_require_mseal();
	cr_assert_eq(mseal_arena_seal(a), 0);
	cr_assert_eq(mseal_arena_seal(a), 0); /* again: same result */
	cr_assert_eq(test_perms(p, perms), 0);
	cr_assert_str_eq(perms, "r--p");
	cr_assert_eq(test_is_sealed(p), 1);
	for (size_t i = 0; i < 2 * test_page(); i++)
		cr_assert_eq(p[i], 'z');
	cr_assert_eq(mseal_arena_alloc(a, 1, 0, &q), -EPERM);
	cr_assert_null(q);
}

Test(arena_sealed, write_faults, .signal = SIGSEGV)
{
	char *p;
	struct mseal_arena *a = filled_arena(1, &p);

	test_require_mseal();
	cr_assert_eq(mseal_arena_seal(a), 0);
	((volatile char *)p)[0] = 'x';
}

Test(arena_control, write_before_seal_works)
{
	char *p;
	struct mseal_arena *a = filled_arena(1, &p);

	((volatile char *)p)[0] = 'x';
	cr_assert_eq(p[0], 'x');
	cr_assert_eq(test_is_sealed(p), 0);
	mseal_arena_free(a);
}

static void sealed_case(enum memtest_op op)
{
	char *p;
	struct mseal_arena *a = filled_arena(2, &p);

	test_require_mseal();
	cr_assert_eq(mseal_arena_seal(a), 0);
	cr_assert_eq(memtest_run_op(op, p, 2 * test_page()), -EPERM);
	cr_assert_eq(test_is_sealed(p), 1);
	cr_assert_eq(test_is_sealed(p + test_page()), 1);
	for (size_t i = 0; i < 2 * test_page(); i++)
		cr_assert_eq(p[i], 'z', "byte %zu changed", i);
}

/* Unsealed control: the arena made read-only by hand, never sealed. */
static void control_case(enum memtest_op op)
{
	char *p;
	struct mseal_arena *a = filled_arena(2, &p);

	cr_assert_eq(mprotect(p, 2 * test_page(), PROT_READ), 0);
	cr_assert_eq(memtest_run_op(op, p, 2 * test_page()), 0);
	if (op == OP_DONTNEED)
		cr_assert_eq(p[0], 0); /* discarded */
	cr_assert_neq(test_is_sealed(p), 1);
	(void)a; /* the mapping may be gone: never freed here */
}

Test(arena_sealed, mprotect_eperm) { sealed_case(OP_MPROTECT); }
Test(arena_sealed, munmap_eperm) { sealed_case(OP_MUNMAP); }
Test(arena_sealed, mremap_eperm) { sealed_case(OP_MREMAP); }
Test(arena_sealed, madv_dontneed_eperm) { sealed_case(OP_DONTNEED); }
Test(arena_control, mprotect_ok) { control_case(OP_MPROTECT); }
Test(arena_control, munmap_ok) { control_case(OP_MUNMAP); }
Test(arena_control, mremap_ok) { control_case(OP_MREMAP); }
Test(arena_control, madv_dontneed_ok) { control_case(OP_DONTNEED); }

Test(arena_free, sealed_arena_stays_mapped)
{
	char *p;
	struct mseal_arena *a = filled_arena(1, &p);

	test_require_mseal();
	cr_assert_eq(mseal_arena_seal(a), 0);
	cr_assert_null(mseal_arena_free(a));
	cr_assert_eq(test_is_sealed(p), 1); /* the documented leak */
	cr_assert_eq(p[0], 'z');
}

Test(arena_free, unsealed_arena_is_unmapped)
{
	char *p;
	struct mseal_arena *a = filled_arena(1, &p);
	struct test_vma vma;

	cr_assert_null(mseal_arena_free(a));
	cr_assert(test_vma_at(p, &vma) != 0 || vma.start != (uintptr_t)p);
}

Test(arena_unavailable, force_unsupported_gives_one_readonly)
{
	char *p;
	struct mseal_arena *a;
	void *q = NULL;
	char perms[5];

	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	a = filled_arena(1, &p);
	cr_assert_eq(mseal_arena_seal(a), LIBMSEAL_SEALED_UNAVAILABLE);
	cr_assert_eq(test_perms(p, perms), 0);
	cr_assert_str_eq(perms, "r--p");
	cr_assert_eq(test_is_sealed(p), 0);
	cr_assert_eq(p[0], 'z');
	cr_assert_eq(mseal_arena_alloc(a, 1, 0, &q), -EPERM);
	/* Not sealed, so it can be unmapped. */
	cr_assert_null(mseal_arena_free(a));
}

Test(arena_unavailable, force_unsupported_write_faults, .signal = SIGSEGV)
{
	char *p;
	struct mseal_arena *a;

	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	a = filled_arena(1, &p);
	cr_assert_eq(mseal_arena_seal(a), 1);
	((volatile char *)p)[0] = 'x';
}

#define THREADS 4
#define PER_THREAD 2000

struct worker {
	struct mseal_arena *arena;
	uint32_t *ptrs[PER_THREAD];
	int failures;
};

static void *alloc_worker(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < PER_THREAD; i++) {
		if (mseal_arena_alloc(w->arena, 12, 4, (void **)&w->ptrs[i]))
			w->failures++;
		else
			w->ptrs[i][0] = (uint32_t)(uintptr_t)w ^ (uint32_t)i;
	}
	return NULL;
}

Test(arena, concurrent_allocations_never_overlap)
{
	static struct worker w[THREADS];
	pthread_t t[THREADS];
	struct mseal_arena *a = NULL;
	void *last;

	cr_assert_eq(mseal_arena_create(THREADS * PER_THREAD * 12, 0, &a), 0);
	for (int i = 0; i < THREADS; i++) {
		w[i].arena = a;
		cr_assert_eq(pthread_create(&t[i], NULL, alloc_worker, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		cr_assert_eq(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		cr_assert_eq(w[i].failures, 0);
		for (int j = 0; j < PER_THREAD; j++)
			cr_assert_eq(w[i].ptrs[j][0],
				     (uint32_t)(uintptr_t)&w[i] ^ (uint32_t)j);
	}
	/* Exactly full: every byte handed out once. */
	cr_assert_eq(mseal_arena_alloc(a, 1, 1, &last) == 0,
		     (THREADS * PER_THREAD * 12) % test_page() != 0);
	mseal_arena_free(a);
}
