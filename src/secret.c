// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Secret memory: the public calls, the one lock, the pointer index, the
 * guarded mapping every slot lives in, and the canaries.
 *
 * The layout follows libsodium's guarded allocations (guard pages, canary,
 * mlock, dump exclusion, wipe on free) with one difference that decides
 * the rest: the guards are sealed, and a sealed mapping can never be
 * unmapped. So nothing is ever unmapped once sealed; freed slots, guards
 * and all, are wiped and reused, and the number of mappings is bounded by
 * the peak number of live secrets, not by the number of cycles (naive
 * sealed guards exhaust vm.max_map_count after about 65,000 frees:
 * research/perf-anchors.md).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "internal.h"
#include "secret-internal.h"

#define SECRET_MAX_SIZE ((size_t)1 << 30)

static pthread_mutex_t secret_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t secret_once = PTHREAD_ONCE_INIT;
static unsigned char canary_key[SECRET_CANARY];
unsigned libmseal_secret_fork_gen;

/* fork(2) in another thread must not copy the lock held. */
static void atfork_prepare(void)
{
	pthread_mutex_lock(&secret_lock);
}

static void atfork_parent(void)
{
	pthread_mutex_unlock(&secret_lock);
}

static void atfork_child(void)
{
	/* Every secret mapped so far reads zeros here (MADV_WIPEONFORK):
	 * its canaries too, which free must not take for an overflow. */
	libmseal_secret_fork_gen++;
	pthread_mutex_unlock(&secret_lock);
}

static void secret_init(void)
{
	const unsigned char *at_random;

	if (getrandom(canary_key, sizeof(canary_key), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(canary_key)) {
		/* Early boot: the kernel's 16 random bytes for this exec. */
		at_random = (const unsigned char *)getauxval(AT_RANDOM);
		for (size_t i = 0; at_random && i < sizeof(canary_key); i++)
			canary_key[i] = at_random[i] ^ 0xa5;
	}
	/* A zero byte would make a wiped canary look intact. */
	for (size_t i = 0; i < sizeof(canary_key); i++)
		if (canary_key[i] == 0)
			canary_key[i] = 0x5a;
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

void libmseal_secret_canary_fill(uintptr_t from, uintptr_t to)
{
	for (uintptr_t a = from; a < to; a++)
		*(unsigned char *)a = canary_key[a % SECRET_CANARY];
}

int libmseal_secret_canary_ok(uintptr_t from, uintptr_t to, unsigned gen)
{
	int intact = 1, zero = 1;

	for (uintptr_t a = from; a < to; a++) {
		unsigned char b = *(const unsigned char *)a;

		intact &= b == canary_key[a % SECRET_CANARY];
		zero &= b == 0;
	}
	return intact || (zero && gen != libmseal_secret_fork_gen);
}

/* --- index: open addressing on page addresses, linear probing --- */

struct index_entry {
	uintptr_t page; /* 0: empty */
	void *owner;
	int kind;
};

static struct index_entry *index_tab;
static size_t index_cap, index_used;

static size_t index_slot(uintptr_t page, size_t cap)
{
	uint64_t h = (uint64_t)(page >> 12) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 20) & (cap - 1);
}

static void index_put(struct index_entry *tab, size_t cap,
		      const struct index_entry *e)
{
	size_t i = index_slot(e->page, cap);

	while (tab[i].page != 0 && tab[i].page != e->page)
		i = (i + 1) & (cap - 1);
	tab[i] = *e;
}

int libmseal_secret_index_reserve(size_t more)
{
	size_t cap = index_cap ? index_cap : 256;
	struct index_entry *tab;

	while ((index_used + more) * 2 > cap)
		cap *= 2;
	if (cap == index_cap)
		return 0;
	tab = calloc(cap, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (size_t i = 0; i < index_cap; i++)
		if (index_tab[i].page)
			index_put(tab, cap, &index_tab[i]);
	free(index_tab);
	index_tab = tab;
	index_cap = cap;
	return 0;
}

void libmseal_secret_index_add(uintptr_t page, int kind, void *owner)
{
	struct index_entry e = { .page = page, .owner = owner, .kind = kind };

	index_put(index_tab, index_cap, &e);
	index_used++;
}

void *libmseal_secret_index_find(uintptr_t page, int *ret_kind)
{
	size_t i;

	if (!index_cap)
		return NULL;
	for (i = index_slot(page, index_cap); index_tab[i].page;
	     i = (i + 1) & (index_cap - 1)) {
		if (index_tab[i].page == page) {
			*ret_kind = index_tab[i].kind;
			return index_tab[i].owner;
		}
	}
	return NULL;
}

/* --- the guarded mapping --- */

static int lock_error(int err)
{
	/* RLIMIT_MEMLOCK reached (ENOMEM), or 0 without CAP_IPC_LOCK (EPERM),
	 * or pages the kernel could not lock (EAGAIN): one clear code. */
	return err == ENOMEM || err == EPERM || err == EAGAIN ? -EAGAIN
							      : -err;
}

/* Data read-write, locked, not dumped, wiped on fork: 0 or -errno. */
static int prepare_data(void *data, size_t len)
{
	if (mprotect(data, len, PROT_READ | PROT_WRITE) != 0)
		return -errno;
	/* mlock2, not mlock: sanitizer runtimes turn mlock into a silent
	 * no-op, and the lock must be real (VmFlags "lo"). */
	if (mlock2(data, len, 0) != 0)
		return lock_error(errno);
	/* One advice per call, each checked: OR-ing them applies one only
	 * (field report R10). All before any seal (R18). */
	if (madvise(data, len, MADV_DONTDUMP) != 0)
		return -errno;
	if (madvise(data, len, MADV_WIPEONFORK) != 0)
		return -errno;
	return 0;
}

int libmseal_secret_relock(uintptr_t data, size_t len, unsigned *locked_gen)
{
	if (*locked_gen == libmseal_secret_fork_gen)
		return 0;
	if (mlock2((void *)data, len, 0) != 0)
		return lock_error(errno);
	*locked_gen = libmseal_secret_fork_gen;
	return 0;
}

int libmseal_secret_map(size_t data_pages, uintptr_t *ret_data)
{
	size_t page = mseal_page_size(), len = data_pages * page;
	char *base = mmap(NULL, len + 2 * page, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rc;

	if (base == MAP_FAILED)
		return -ENOMEM;
	rc = prepare_data(base + page, len);
	if (rc < 0) {
		munmap(base, len + 2 * page); /* nothing sealed yet */
		return rc;
	}
	rc = mseal_range(base, page, 0);
	if (rc == -ENOSYS || rc == -EPERM) {
		/* No sealing here: guarded and locked, guards unsealed. */
		*ret_data = (uintptr_t)(base + page);
		return LIBMSEAL_SEALED_UNAVAILABLE;
	}
	if (rc < 0) {
		munmap(base, len + 2 * page); /* the seal failed: unsealed */
		return rc;
	}
	rc = mseal_range(base + page + len, page, 0);
	if (rc < 0) {
		/* The first guard is sealed and stays: a one-page leak on
		 * a path only a kernel limit takes. */
		munmap(base + page, len + page);
		return rc;
	}
	*ret_data = (uintptr_t)(base + page);
	return 0;
}

/* --- the public calls --- */

int mseal_secret_alloc(size_t size, unsigned int flags, void **ret_ptr)
{
	int rc;

	if (size == 0 || size > SECRET_MAX_SIZE || !ret_ptr ||
	    (flags & ~LIBMSEAL_SECRET_PAGES) != 0)
		return -EINVAL;
	pthread_once(&secret_once, secret_init);
	pthread_mutex_lock(&secret_lock);
	if ((flags & LIBMSEAL_SECRET_PAGES) ||
	    secret_round16(size) > SECRET_SLAB_MAX)
		rc = libmseal_pages_alloc(size, ret_ptr);
	else
		rc = libmseal_slab_alloc(size, ret_ptr);
	pthread_mutex_unlock(&secret_lock);
	return rc;
}

/* The owner of @ptr, or NULL; called under the lock. */
static void *owner_of(void *ptr, int *ret_kind)
{
	uintptr_t page = (uintptr_t)ptr & ~(uintptr_t)(mseal_page_size() - 1);

	return libmseal_secret_index_find(page, ret_kind);
}

int mseal_secret_free(void *ptr)
{
	void *owner;
	int kind, rc;

	if (!ptr)
		return 0;
	pthread_mutex_lock(&secret_lock);
	owner = owner_of(ptr, &kind);
	if (!owner)
		rc = -EINVAL;
	else if (kind == SECRET_KIND_SLAB)
		rc = libmseal_slab_free(owner, ptr);
	else
		rc = libmseal_pages_free(owner, ptr);
	pthread_mutex_unlock(&secret_lock);
	return rc;
}

int mseal_secret_protect(void *ptr, int prot)
{
	void *owner;
	int kind, rc;

	if (!ptr || (prot != PROT_NONE && prot != PROT_READ &&
		     prot != (PROT_READ | PROT_WRITE)))
		return -EINVAL;
	pthread_mutex_lock(&secret_lock);
	owner = owner_of(ptr, &kind);
	if (!owner)
		rc = -EINVAL;
	else if (kind == SECRET_KIND_SLAB)
		rc = libmseal_slab_live(owner, ptr) ? -EOPNOTSUPP : -EINVAL;
	else
		rc = libmseal_pages_protect(owner, ptr, prot);
	pthread_mutex_unlock(&secret_lock);
	return rc;
}
