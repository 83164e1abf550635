// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Secrets with pages of their own: [guard][data pages][guard], guards
 * sealed, data locked. The secret ends exactly at the trailing guard when
 * its size is a multiple of 16 (otherwise up to 15 canary bytes sit
 * between), so an overflow faults; 16 canary bytes before it catch an
 * underflow that stays inside the first page.
 *
 * Free wipes the data and makes it PROT_NONE but keeps everything mapped
 * and locked: the sealed guards could never be unmapped, so the whole slot
 * waits on a free list for the next secret of the same page count. A
 * reused slot costs one mprotect on alloc and one on free.
 * Runs under the secret lock (secret.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "secret-internal.h"

#define SMALL_COUNTS 16 /* free lists by page count 1..16, one beyond */

struct pages {
	uintptr_t data;		/* first data byte, page-aligned */
	size_t npages;
	size_t size;		/* live size; 0 when free */
	int prot;		/* the data's protection now */
	int sealed;		/* guards sealed (0 or 1 as returned) */
	unsigned gen;		/* fork generation when mapped */
	unsigned locked_gen;	/* fork generation of its mlock */
	struct pages *next_free;
};

static struct pages *free_small[SMALL_COUNTS + 1];
static struct pages *free_large;

static uintptr_t secret_ptr(const struct pages *sp, size_t size)
{
	return sp->data + sp->npages * mseal_page_size() -
	       secret_round16(size);
}

/* A free slot of exactly @npages pages, taken off its list, or NULL. */
static struct pages *take_free(size_t npages)
{
	struct pages **link = npages <= SMALL_COUNTS ? &free_small[npages]
						     : &free_large;
	struct pages *sp;

	for (; (sp = *link); link = &sp->next_free) {
		if (sp->npages == npages) {
			*link = sp->next_free;
			return sp;
		}
	}
	return NULL;
}

static void put_free(struct pages *sp)
{
	struct pages **head = sp->npages <= SMALL_COUNTS ?
				      &free_small[sp->npages] :
				      &free_large;

	sp->next_free = *head;
	*head = sp;
}

static struct pages *pages_new(size_t npages, int *ret_err)
{
	struct pages *sp = calloc(1, sizeof(*sp));
	int rc = sp ? libmseal_secret_index_reserve(1) : -ENOMEM;

	if (rc == 0)
		rc = libmseal_secret_map(npages, &sp->data);
	if (rc < 0) {
		free(sp);
		*ret_err = rc;
		return NULL;
	}
	sp->npages = npages;
	sp->sealed = rc;
	sp->prot = PROT_READ | PROT_WRITE;
	sp->gen = sp->locked_gen = libmseal_secret_fork_gen;
	/* Every secret of this slot starts in its first data page. */
	libmseal_secret_index_add(sp->data, SECRET_KIND_PAGES, sp);
	return sp;
}

int libmseal_pages_alloc(size_t size, void **ret_ptr)
{
	size_t page = mseal_page_size();
	size_t npages = (secret_round16(size) + page - 1) / page;
	struct pages *sp = take_free(npages);
	uintptr_t ptr, first;
	int err = 0;

	if (sp && sp->prot != (PROT_READ | PROT_WRITE)) {
		if (mprotect((void *)sp->data, npages * page,
			     PROT_READ | PROT_WRITE) != 0) {
			err = -errno;
			put_free(sp);
			return err;
		}
		sp->prot = PROT_READ | PROT_WRITE;
	}
	if (sp) {
		err = libmseal_secret_relock(sp->data, npages * page,
					     &sp->locked_gen);
		if (err < 0) {
			put_free(sp);
			return err;
		}
	}
	if (!sp)
		sp = pages_new(npages, &err);
	if (!sp)
		return err;
	sp->size = size;
	ptr = secret_ptr(sp, size);
	first = ptr - SECRET_CANARY > sp->data ? ptr - SECRET_CANARY : sp->data;
	libmseal_secret_canary_fill(first, ptr);
	libmseal_secret_canary_fill(ptr + size, ptr + secret_round16(size));
	*ret_ptr = (void *)ptr;
	return sp->sealed;
}

static int is_live(const struct pages *sp, void *ptr)
{
	return sp->size != 0 && (uintptr_t)ptr == secret_ptr(sp, sp->size);
}

int libmseal_pages_protect(void *pages, void *ptr, int prot)
{
	struct pages *sp = pages;

	if (!is_live(sp, ptr))
		return -EINVAL;
	if (mprotect((void *)sp->data, sp->npages * mseal_page_size(), prot))
		return -errno;
	sp->prot = prot;
	return 0;
}

int libmseal_pages_free(void *pages, void *ptr)
{
	struct pages *sp = pages;
	size_t len = sp->npages * mseal_page_size();
	uintptr_t p = (uintptr_t)ptr, first;
	int ok;

	if (!is_live(sp, ptr))
		return -EINVAL;
	/* The data mapping is never sealed, so it can always be reopened
	 * to be wiped (field report R09). */
	if (sp->prot != (PROT_READ | PROT_WRITE)) {
		if (mprotect((void *)sp->data, len, PROT_READ | PROT_WRITE))
			return -errno;
		sp->prot = PROT_READ | PROT_WRITE;
	}
	first = p - SECRET_CANARY > sp->data ? p - SECRET_CANARY : sp->data;
	ok = libmseal_secret_canary_ok(first, p, sp->gen) &&
	     libmseal_secret_canary_ok(p + sp->size,
				       p + secret_round16(sp->size), sp->gen);
	explicit_bzero((void *)sp->data, len);
	sp->size = 0;
	/* Closed while free: a use after free faults. */
	if (mprotect((void *)sp->data, len, PROT_NONE) == 0)
		sp->prot = PROT_NONE;
	if (!ok)
		return -EOVERFLOW; /* retired: never back on a free list */
	put_free(sp);
	return 0;
}
