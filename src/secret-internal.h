/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Secret memory, shared between secret.c (API, lock, index, guarded
 * mappings, canaries), secret-slab.c (small secrets in shared slabs) and
 * secret-pages.c (secrets with pages of their own). Never installed.
 * Everything here runs under the one secret lock taken by secret.c.
 */
#ifndef LIBMSEAL_SECRET_INTERNAL_H
#define LIBMSEAL_SECRET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Canary bytes before and after each secret. */
#define SECRET_CANARY 16
/* Largest secret a slab holds (without LIBMSEAL_SECRET_PAGES). */
#define SECRET_SLAB_MAX 1024

enum secret_kind { SECRET_KIND_SLAB = 1, SECRET_KIND_PAGES = 2 };

static inline size_t secret_round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

/* Index: the page holding a secret's first byte -> its owner. */
int libmseal_secret_index_reserve(size_t more);
void libmseal_secret_index_add(uintptr_t page, int kind, void *owner);
void *libmseal_secret_index_find(uintptr_t page, int *ret_kind);

/*
 * Map [guard][data_pages pages][guard]: data read-write, mlocked,
 * MADV_DONTDUMP, MADV_WIPEONFORK, then both guards sealed. On success the
 * first data byte goes to *ret_data and 0 (sealed) or 1 (sealing
 * unavailable) comes back; on -errno nothing stays mapped except, after a
 * seal error on the second guard only, the first (sealed) guard page.
 */
int libmseal_secret_map(size_t data_pages, uintptr_t *ret_data);

/*
 * Locks are not inherited by fork(2): in a child, lock an owner's data
 * again before handing out a slot from it. 0 or -EAGAIN; *@locked_gen
 * records the fork generation the lock belongs to.
 */
int libmseal_secret_relock(uintptr_t data, size_t len, unsigned *locked_gen);

/* Canary pattern: the byte at address a is key[a % 16]. */
void libmseal_secret_canary_fill(uintptr_t from, uintptr_t to);
/* 1 intact, or all zero in memory mapped before the latest fork (the
 * kernel wiped it: MADV_WIPEONFORK); else 0. */
int libmseal_secret_canary_ok(uintptr_t from, uintptr_t to, unsigned gen);

/* Bumped in a forked child; owners record it when mapped. */
extern unsigned libmseal_secret_fork_gen;

int libmseal_slab_alloc(size_t size, void **ret_ptr);
int libmseal_slab_free(void *slab, void *ptr);
/* 1 when @ptr is a live secret of @slab. */
int libmseal_slab_live(void *slab, void *ptr);

int libmseal_pages_alloc(size_t size, void **ret_ptr);
int libmseal_pages_free(void *pages, void *ptr);
int libmseal_pages_protect(void *pages, void *ptr, int prot);

#endif
