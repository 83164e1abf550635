// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Small secrets (up to SECRET_SLAB_MAX bytes) share guarded slabs: one
 * mapping of data pages between two sealed guards holds many slots, which
 * is how 100,000 live 32-byte secrets fit in a few dozen mappings, far
 * under vm.max_map_count, instead of libsodium's 4 mappings and 2
 * resident pages each (research/perf-anchors.md).
 *
 * A slab's data: [canary][slot 0][canary][slot 1][canary] ... Each slot
 * is one size class wide; a secret ends where its slot ends (end-aligned,
 * 16-byte aligned start), the bytes between it and its neighbours are
 * canary bytes checked on free. Slabs of a class grow from 1 page to
 * SLAB_MAX_PAGES so a process with one small secret locks one page.
 * Runs under the secret lock (secret.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "secret-internal.h"

#define SLAB_CLASSES 7	   /* 16, 32, ..., 1024 bytes */
#define SLAB_MAX_PAGES 64  /* 256 KiB with 4 KiB pages */
#define SLOT_FREE 0u
#define SLOT_RETIRED UINT32_MAX

struct slab {
	uintptr_t data;		 /* first data byte, page-aligned */
	uint32_t cls_size;	 /* slot width in bytes */
	uint32_t stride;	 /* slot + trailing canary */
	uint32_t nslots, nfree;
	uint32_t pages;		 /* data pages */
	uint32_t *free_stack;	 /* indices of free slots */
	uint32_t *sizes;	 /* live size, SLOT_FREE or SLOT_RETIRED */
	unsigned gen;		 /* fork generation when mapped */
	unsigned locked_gen;	 /* fork generation of its mlock */
	int sealed;		 /* guards sealed (0 or 1 as returned) */
	struct slab *next_avail; /* on its class's list while nfree > 0 */
};

static struct slab *avail[SLAB_CLASSES];
static unsigned slabs_made[SLAB_CLASSES];

static unsigned class_of(size_t size)
{
	unsigned cls = 0;

	while (((size_t)16 << cls) < size)
		cls++;
	return cls;
}

static uintptr_t slot_start(const struct slab *s, uint32_t i)
{
	return s->data + SECRET_CANARY + (uintptr_t)i * s->stride;
}

static int slot_live(const struct slab *s, uint32_t i)
{
	return s->sizes[i] != SLOT_FREE && s->sizes[i] != SLOT_RETIRED;
}

static struct slab *slab_new(unsigned cls)
{
	size_t page = mseal_page_size(), pages = 1;
	struct slab *s = calloc(1, sizeof(*s));
	int rc;

	/* 1, 2, 4, ... pages: the n-th slab of a class doubles the last. */
	for (unsigned n = 0; n < slabs_made[cls] && pages < SLAB_MAX_PAGES; n++)
		pages *= 2;
	if (!s)
		return NULL;
	s->cls_size = (uint32_t)16 << cls;
	s->stride = s->cls_size + SECRET_CANARY;
	s->nslots = (uint32_t)((pages * page - SECRET_CANARY) / s->stride);
	s->free_stack = malloc(s->nslots * sizeof(uint32_t));
	s->sizes = calloc(s->nslots, sizeof(uint32_t));
	rc = s->free_stack && s->sizes ?
		     libmseal_secret_index_reserve(pages) : -ENOMEM;
	if (rc == 0)
		rc = libmseal_secret_map(pages, &s->data);
	if (rc < 0) {
		free(s->free_stack);
		free(s->sizes);
		free(s);
		errno = -rc;
		return NULL;
	}
	s->sealed = rc;
	s->pages = (uint32_t)pages;
	s->gen = s->locked_gen = libmseal_secret_fork_gen;
	/* Hand out low slots first: pop from the end of the stack. */
	for (uint32_t i = 0; i < s->nslots; i++)
		s->free_stack[i] = s->nslots - 1 - i;
	s->nfree = s->nslots;
	for (size_t p = 0; p < pages; p++)
		libmseal_secret_index_add(s->data + p * page, SECRET_KIND_SLAB,
					  s);
	slabs_made[cls]++;
	return s;
}

int libmseal_slab_alloc(size_t size, void **ret_ptr)
{
	unsigned cls = class_of(secret_round16(size));
	struct slab *s = avail[cls];
	uintptr_t start, end, ptr;
	uint32_t i;
	int rc;

	if (!s) {
		s = slab_new(cls);
		if (!s)
			return -errno;
		s->next_avail = NULL;
		avail[cls] = s;
	}
	rc = libmseal_secret_relock(s->data, s->pages * mseal_page_size(),
				    &s->locked_gen);
	if (rc < 0)
		return rc;
	i = s->free_stack[--s->nfree];
	if (s->nfree == 0)
		avail[cls] = s->next_avail;
	start = slot_start(s, i);
	end = start + s->cls_size;
	ptr = end - secret_round16(size);
	s->sizes[i] = (uint32_t)size;
	/* A live neighbour already wrote the canary we share; rewriting it
	 * would erase the evidence of an overflow its free must report. */
	if (i == 0 || !slot_live(s, i - 1))
		libmseal_secret_canary_fill(start - SECRET_CANARY, start);
	libmseal_secret_canary_fill(start, ptr);
	libmseal_secret_canary_fill(ptr + size, end);
	if (i + 1 == s->nslots || !slot_live(s, i + 1))
		libmseal_secret_canary_fill(end, end + SECRET_CANARY);
	*ret_ptr = (void *)ptr;
	return s->sealed;
}

/* The slot index of live secret @ptr, or -1. */
static long slot_of(const struct slab *s, uintptr_t ptr)
{
	uintptr_t first = s->data + SECRET_CANARY;
	uint32_t i;

	if (ptr < first)
		return -1;
	i = (uint32_t)((ptr - first) / s->stride);
	if (i >= s->nslots || !slot_live(s, i))
		return -1;
	if (ptr != slot_start(s, i) + s->cls_size -
			   secret_round16(s->sizes[i]))
		return -1;
	return i;
}

int libmseal_slab_live(void *slab, void *ptr)
{
	return slot_of(slab, (uintptr_t)ptr) >= 0;
}

int libmseal_slab_free(void *slab, void *ptr)
{
	struct slab *s = slab;
	long i = slot_of(s, (uintptr_t)ptr);
	uintptr_t start, end, p = (uintptr_t)ptr;
	unsigned cls = class_of(s->cls_size);
	int ok;

	if (i < 0)
		return -EINVAL;
	start = slot_start(s, (uint32_t)i);
	end = start + s->cls_size;
	ok = libmseal_secret_canary_ok(start - SECRET_CANARY, start, s->gen) &&
	     libmseal_secret_canary_ok(start, p, s->gen) &&
	     libmseal_secret_canary_ok(p + s->sizes[i], end, s->gen) &&
	     libmseal_secret_canary_ok(end, end + SECRET_CANARY, s->gen);
	/* Wipe first, whatever the canary says (R08). */
	explicit_bzero((void *)start, s->cls_size);
	if (!ok) {
		/* Memory next to it was overwritten: never reuse the slot. */
		s->sizes[i] = SLOT_RETIRED;
		return -EOVERFLOW;
	}
	s->sizes[i] = SLOT_FREE;
	if (s->nfree++ == 0) {
		s->next_avail = avail[cls];
		avail[cls] = s;
	}
	s->free_stack[s->nfree - 1] = (uint32_t)i;
	return 0;
}
