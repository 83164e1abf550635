// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sealed memory: read-only after init on the caller's memory, and the
 * write-once arena. Both end in the same two calls, mprotect(PROT_READ)
 * then mseal: the other order leaves the memory writable for good, since
 * a sealed mapping refuses every later mprotect (spec §2.1, R17).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "internal.h"
#include "arena-check.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif
#ifndef PR_SET_VMA_ANON_NAME
#define PR_SET_VMA_ANON_NAME 0
#endif

/* The second step, once read-only: 0, 1 when ENOSYS or EPERM say there
 * is no sealing here (the core probe's rule), or -errno. */
static int seal_readonly(void *addr, size_t len)
{
	int rc = mseal_range(addr, len, 0);

	if (rc == -ENOSYS || rc == -EPERM)
		return LIBMSEAL_SEALED_UNAVAILABLE;
	return rc;
}

int mseal_protect_after_init(void *addr, size_t len)
{
	size_t page = mseal_page_size();
	uintptr_t start = (uintptr_t)addr;
	int rc;

	if (start % page != 0 || len == 0 || len % page != 0 ||
	    start + len < start)
		return -EINVAL;
	/* Only the unsealed runs get mprotect: one call across sealed and
	 * unsealed mappings may half-apply (spec §2.3). */
	rc = libmseal_readonly_range(start, start + len);
	if (rc < 0)
		return rc;
	if (rc == LIBMSEAL_RANGE_DONE)
		return 0;
	/* The whole range: sealing a sealed part again is a no-op. */
	return seal_readonly(addr, len);
}

/*
 * The arena's state is one word so allocation needs no lock: the bytes
 * handed out so far, with the top bit set once sealing began.
 */
#define ARENA_CLOSED ((uint64_t)1 << 63)

struct mseal_arena {
	void *base;
	size_t capacity;
	size_t page;	 /* largest alignment, kept to spare a call */
	uint64_t state;
	pthread_mutex_t seal_lock;
	int seal_result; /* 0 or 1, valid when sealed != 0 */
	int sealed;	 /* mseal_arena_seal() finished */
	int readonly;	 /* its mprotect(PROT_READ) is done */
};

int mseal_arena_create(size_t capacity, unsigned int flags,
		       struct mseal_arena **ret_arena)
{
	size_t page = mseal_page_size();
	struct mseal_arena *arena;
	size_t len;
	void *base;

	if (capacity == 0 || (flags & ~LIBMSEAL_ARENA_POPULATE) != 0 ||
	    !ret_arena ||
	    capacity > (SIZE_MAX >> 2))
		return -EINVAL;
	len = (capacity + page - 1) & ~(page - 1);
	arena = calloc(1, sizeof(*arena));
	if (!arena)
		return -ENOMEM;
	base = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS |
			    (flags & LIBMSEAL_ARENA_POPULATE ? MAP_POPULATE : 0),
		    -1, 0);
	if (base == MAP_FAILED) {
		int err = errno;

		free(arena);
		return err == EINVAL ? -EINVAL : -ENOMEM;
	}
	/* Best effort: EINVAL without CONFIG_ANON_VMA_NAME, and an unnamed
	 * arena works the same. */
	(void)prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)base,
		    len, (unsigned long)"mseal arena");
	arena->base = base;
	arena->capacity = len;
	arena->page = page;
	pthread_mutex_init(&arena->seal_lock, NULL);
	*ret_arena = arena;
	return 0;
}

int mseal_arena_alloc(struct mseal_arena *arena, size_t size, size_t align,
		      void **ret_ptr)
{
	uint64_t old, used, end;

	if (!arena || !ret_ptr || size == 0)
		return -EINVAL;
	if (align == 0)
		align = 16;
	if ((align & (align - 1)) != 0 || align > arena->page)
		return -EINVAL;
	old = __atomic_load_n(&arena->state, __ATOMIC_ACQUIRE);
	do {
		if (old & ARENA_CLOSED)
			return -EPERM;
		used = (old + align - 1) & ~(uint64_t)(align - 1);
		if (used > arena->capacity || size > arena->capacity - used)
			return -ENOMEM;
		end = used + size;
	} while (!__atomic_compare_exchange_n(&arena->state, &old, end, 1,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	*ret_ptr = (char *)arena->base + used;
	return 0;
}

int mseal_arena_seal(struct mseal_arena *arena)
{
	int rc;

	if (!arena)
		return -EINVAL;
	pthread_mutex_lock(&arena->seal_lock);
	if (arena->sealed) {
		rc = arena->seal_result;
		goto out;
	}
	/* Close first so no allocation lands while the protection changes. */
	__atomic_fetch_or(&arena->state, ARENA_CLOSED, __ATOMIC_ACQ_REL);
	if (!arena->readonly) {
		if (mprotect(arena->base, arena->capacity, PROT_READ) != 0) {
			/* Still writable: allocation may go on. */
			rc = -errno;
			__atomic_fetch_and(&arena->state, ~ARENA_CLOSED,
					   __ATOMIC_ACQ_REL);
			goto out;
		}
		arena->readonly = 1;
	}
	rc = seal_readonly(arena->base, arena->capacity);
	/* Another error (ENOMEM at vm.max_map_count, EINTR) may be retried:
	 * the arena stays read-only and closed. */
	if (rc >= 0) {
		arena->sealed = 1;
		arena->seal_result = rc;
	}
out:
	pthread_mutex_unlock(&arena->seal_lock);
	return rc;
}

struct mseal_arena *mseal_arena_free(struct mseal_arena *arena)
{
	if (!arena)
		return NULL;
	/* A sealed mapping refuses munmap (EPERM): never try, keep it. An
	 * arena whose seal failed is not sealed (one VMA: no partial seal). */
	if (!(arena->sealed && arena->seal_result == 0))
		munmap(arena->base, arena->capacity);
	pthread_mutex_destroy(&arena->seal_lock);
	free(arena);
	return NULL;
}
