// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The in-process record of what libmseal has sealed: a sorted array of
 * disjoint, non-touching intervals behind one mutex. The image code asks
 * it before every call so that no mseal spans a sealed and an unsealed
 * mapping (some kernels warn on that) and nothing is sealed twice. The
 * preload shim links the shared library, so a program that also calls
 * libmseal shares this one record with it.
 *
 * A process starts with room for 64 intervals in static storage, enough for
 * a program with dozens of objects, so the startup path allocates nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "image-internal.h"

struct interval {
	uintptr_t start, end;
};

#define STATIC_SLOTS 64

static pthread_mutex_t set_lock = PTHREAD_MUTEX_INITIALIZER;
static struct interval static_slots[STATIC_SLOTS];
static struct interval *slots = static_slots;
static size_t n_slots;
static size_t cap_slots = STATIC_SLOTS;

void libmseal_sealed_lock(void)
{
	pthread_mutex_lock(&set_lock);
}

void libmseal_sealed_unlock(void)
{
	pthread_mutex_unlock(&set_lock);
}

/* Index of the first interval whose end is above @addr (n_slots if none). */
static size_t first_ending_above(uintptr_t addr)
{
	size_t lo = 0, hi = n_slots;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (slots[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uintptr_t libmseal_sealed_span_locked(uintptr_t start, uintptr_t end,
				      int *ret_sealed)
{
	size_t i = first_ending_above(start);

	if (i < n_slots && slots[i].start <= start) {
		*ret_sealed = 1;
		return slots[i].end < end ? slots[i].end : end;
	}
	*ret_sealed = 0;
	if (i < n_slots && slots[i].start < end)
		return slots[i].start;
	return end;
}

static int grow(void)
{
	size_t cap = cap_slots * 2;
	struct interval *bigger = malloc(cap * sizeof(*bigger));

	if (!bigger)
		return -ENOMEM;
	memcpy(bigger, slots, n_slots * sizeof(*bigger));
	if (slots != static_slots)
		free(slots);
	slots = bigger;
	cap_slots = cap;
	return 0;
}

int libmseal_sealed_add_locked(uintptr_t start, uintptr_t end)
{
	/* Intervals [i, j) touch or overlap the new one and merge into it. */
	size_t i = first_ending_above(start ? start - 1 : 0);
	size_t j = i;

	if (start >= end)
		return 0;
	while (j < n_slots && slots[j].start <= end)
		j++;
	if (i == j) {
		if (n_slots == cap_slots && grow() < 0)
			return -ENOMEM;
		memmove(&slots[i + 1], &slots[i],
			(n_slots - i) * sizeof(*slots));
		slots[i].start = start;
		slots[i].end = end;
		n_slots++;
		return 0;
	}
	if (slots[i].start < start)
		start = slots[i].start;
	if (slots[j - 1].end > end)
		end = slots[j - 1].end;
	slots[i].start = start;
	slots[i].end = end;
	memmove(&slots[i + 1], &slots[j], (n_slots - j) * sizeof(*slots));
	n_slots -= j - i - 1;
	return 0;
}
