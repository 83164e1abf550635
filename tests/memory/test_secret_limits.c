// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Secret memory at scale: the allocator's own mapping budget (counted
 * from /proc/self/maps, which is the property under test here), 100,000
 * live small secrets under vm.max_map_count, threads, and RLIMIT_MEMLOCK.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "internal.h"
#include "memtest.h"
#include "testutil.h"

#define CYCLES 100000

static void cycles(size_t size, unsigned flags)
{
	void *p;
	int before;

	/* Warm up: the first slot and its guards are the one-time cost. */
	cr_assert_geq(mseal_secret_alloc(size, flags, &p), 0);
	cr_assert_eq(mseal_secret_free(p), 0);
	before = memtest_count_maps();
	for (int i = 0; i < CYCLES; i++) {
		cr_assert_geq(mseal_secret_alloc(size, flags, &p), 0);
		((unsigned char *)p)[size - 1] = (unsigned char)i;
		cr_assert_eq(mseal_secret_free(p), 0);
	}
	cr_assert_eq(memtest_count_maps(), before,
		     "mappings grew over %d alloc/free cycles", CYCLES);
}

Test(secret_bounded, cycles_32_bytes_no_mapping_growth)
{
	test_require_mseal();
	cycles(32, 0);
}

Test(secret_bounded, cycles_4096_bytes_no_mapping_growth)
{
	test_require_mseal();
	cycles(4096, 0);
}

#define LIVE 100000

Test(secret_bounded, live_100000_small_secrets_fit)
{
	static void *live[LIVE];
	int before = memtest_count_maps(), after;

	test_require_mseal();
	for (int i = 0; i < LIVE; i++) {
		cr_assert_eq(mseal_secret_alloc(32, 0, &live[i]), 0,
			     "secret %d", i);
		memcpy(live[i], &i, sizeof(i));
	}
	after = memtest_count_maps();
	/* A few dozen slabs of at most 3 mappings, not 4 per secret. */
	cr_assert_leq(after - before, 100, "%d new mappings", after - before);
	for (int i = 0; i < LIVE; i++) {
		cr_assert_eq(memcmp(live[i], &i, sizeof(i)), 0);
		cr_assert_eq(mseal_secret_free(live[i]), 0);
	}
	/* Every slot is reused: a second round maps nothing new. */
	for (int i = 0; i < LIVE; i++)
		cr_assert_eq(mseal_secret_alloc(32, 0, &live[i]), 0);
	cr_assert_eq(memtest_count_maps(), after);
}

#define WORKERS 4

static void *churn(void *arg)
{
	uintptr_t id = (uintptr_t)arg, bad = 0;
	void *p[16];

	for (int round = 0; round < 2000; round++) {
		for (int j = 0; j < 16; j++) {
			size_t size = j % 4 == 3 ? 4096 : 16 + 16 * (size_t)j;

			if (mseal_secret_alloc(size, 0, &p[j]) < 0)
				return (void *)1;
			memset(p[j], (int)id, size);
		}
		for (int j = 0; j < 16; j++) {
			bad |= ((unsigned char *)p[j])[0] != (unsigned char)id;
			bad |= (uintptr_t)(mseal_secret_free(p[j]) != 0);
		}
	}
	return (void *)bad;
}

Test(secret_threads, concurrent_alloc_free_keeps_secrets_apart)
{
	pthread_t t[WORKERS];
	void *bad;

	for (uintptr_t i = 0; i < WORKERS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, churn,
					    (void *)(i + 1)), 0);
	for (int i = 0; i < WORKERS; i++) {
		cr_assert_eq(pthread_join(t[i], &bad), 0);
		cr_assert_null(bad);
	}
}

/* --- RLIMIT_MEMLOCK: a clear error, nothing kept --- */

/* @limit 0: mlock fails with EPERM; above 0 but too small: ENOMEM. */
static void memlock_case(size_t size, unsigned flags, rlim_t limit)
{
	struct rlimit lim;
	int dd, sl;
	long locked;
	void *p = NULL;

	/* Without CAP_IPC_LOCK the limit applies even to root. */
	memtest_drop_ipc_lock();
	cr_assert_eq(getrlimit(RLIMIT_MEMLOCK, &lim), 0);
	lim.rlim_cur = limit;
	cr_assert_eq(setrlimit(RLIMIT_MEMLOCK, &lim), 0);
	/* Our data mappings carry "dd", our guards "sl": none may be left
	 * behind (the whole maps count would also see the sanitizer's own
	 * allocator in the ASan build). */
	dd = memtest_count_vmflag("dd");
	sl = memtest_count_vmflag("sl");
	locked = memtest_vmlck_kb();
	cr_assert_eq(mseal_secret_alloc(size, flags, &p), -EAGAIN);
	cr_assert_null(p);
	cr_assert_eq(memtest_count_vmflag("dd"), dd, "a data mapping was left");
	cr_assert_eq(memtest_count_vmflag("sl"), sl, "a guard was left");
	cr_assert_eq(memtest_vmlck_kb(), locked);
	/* Within the limit it works. */
	lim.rlim_cur = 1024 * 1024;
	cr_assert_eq(setrlimit(RLIMIT_MEMLOCK, &lim), 0);
	cr_assert_geq(mseal_secret_alloc(size, flags, &p), 0);
	cr_assert(test_has_vmflag(p, "lo"));
	cr_assert_eq(mseal_secret_free(p), 0);
}

Test(secret_memlock, small_secret_limit_zero_eagain_nothing_kept)
{
	memlock_case(32, 0, 0);
}

Test(secret_memlock, page_secret_limit_zero_eagain_nothing_kept)
{
	memlock_case(4096, 0, 0);
}

Test(secret_memlock, two_pages_over_one_page_limit_eagain_nothing_kept)
{
	memlock_case(8192, 0, 4096);
}

Test(secret_memlock, control_with_cap_ipc_lock_succeeds)
{
	struct rlimit lim;
	void *p;

	cr_assert_eq(getrlimit(RLIMIT_MEMLOCK, &lim), 0);
	lim.rlim_cur = 0;
	cr_assert_eq(setrlimit(RLIMIT_MEMLOCK, &lim), 0);
	/* root keeps CAP_IPC_LOCK here: the limit does not bind */
	cr_assert_geq(mseal_secret_alloc(4096, 0, &p), 0);
	cr_assert(test_has_vmflag(p, "lo"));
}
