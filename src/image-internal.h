/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Image sealing, shared between its files: image.c (the public calls and
 * the walk over loaded objects), image-plan.c (program headers to page
 * ranges), image-seal.c (runs, mseal calls, the report), image-explain.c
 * (/proc/self/maps after a failed call) and sealed-set.c (what libmseal
 * has sealed in this process). Never installed.
 */
#ifndef LIBMSEAL_IMAGE_INTERNAL_H
#define LIBMSEAL_IMAGE_INTERNAL_H

#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "internal.h"

/* One planned range: page-aligned, end exclusive, an mseal_range_kind. */
struct libmseal_prange {
	uintptr_t start;
	uintptr_t end;
	int kind;
};

/* How an object came to be mapped: it decides whether gaps exist. */
enum {
	LIBMSEAL_MAPPED_BY_LDSO = 0, /* gaps are PROT_NONE file mappings */
	LIBMSEAL_MAPPED_BY_KERNEL,   /* exec'd program or interpreter: gaps
				      * are holes, never mapped */
};

/*
 * Plan one object's sealable ranges from its program headers: sorted by
 * address, adjacent ranges of one kind merged. Writes at most @max entries
 * to @out. Returns the count, -E2BIG when @max is too small, -ENOMEM.
 */
int libmseal_image_plan(uintptr_t bias, const ElfW(Phdr) *phdr, size_t phnum,
			size_t page, unsigned int flags, int mapped_by,
			struct libmseal_prange *out, size_t max);

/* A report under construction; packed into one block at the end. The
 * first ranges live inside the builder (on the caller's stack), so the
 * default path does not touch the heap. */
#define LIBMSEAL_BUILDER_INLINE 64

struct libmseal_builder {
	struct mseal_report_range inline_ranges[LIBMSEAL_BUILDER_INLINE];
	struct mseal_report_range *ranges; /* object holds a pool offset */
	size_t n, cap;
	struct mseal_report_call inline_calls[LIBMSEAL_BUILDER_INLINE];
	struct mseal_report_call *calls;
	size_t n_calls, cap_calls;
	char *names;
	size_t names_len, names_cap;
	size_t cur_name; /* pool offset of the current object's name */
	size_t objects_seen;
	int status;
	int reason;
	int want_names;
};

void libmseal_builder_init(struct libmseal_builder *b, int want_names);
void libmseal_builder_done(struct libmseal_builder *b);
/* Start a new object named @name (NULL: nameless). 0 or -ENOMEM. */
int libmseal_builder_object(struct libmseal_builder *b, const char *name);
/* Append a range. 0 or -ENOMEM. */
int libmseal_builder_add(struct libmseal_builder *b, uintptr_t start,
			 uintptr_t end, int kind, int skip, int error);
/* Record one mseal system call and its result. 0 or -ENOMEM. */
int libmseal_builder_call(struct libmseal_builder *b, uintptr_t start,
			  uintptr_t end, int error);
/* Pack into one caller-owned report. 0 or -ENOMEM. */
int libmseal_builder_pack(struct libmseal_builder *b,
			  struct mseal_report **ret_report);

/*
 * Seal one object's planned ranges (or mark them skipped for @skip, a
 * LIBMSEAL_SKIP_* reason other than NONE) and add them to @b. Takes the
 * sealed-set lock itself. 0 or -ENOMEM.
 */
int libmseal_image_seal_object(struct libmseal_builder *b,
			       const struct libmseal_prange *ranges, size_t n,
			       int skip);

/*
 * The mapped parts of [start, end) as /proc/self/maps shows them, as a
 * sorted array of merged intervals (pairs start, end) the caller frees.
 * Returns the number of intervals, or -errno.
 */
ssize_t libmseal_mapped_parts(uintptr_t start, uintptr_t end,
			      uintptr_t **ret_parts);

/* The record of what libmseal sealed in this process (sealed-set.c). */
void libmseal_sealed_lock(void);
void libmseal_sealed_unlock(void);
/* With the lock held: is @start sealed (*ret_sealed 1/0), and where does
 * that state end (at most @end)? */
uintptr_t libmseal_sealed_span_locked(uintptr_t start, uintptr_t end,
				      int *ret_sealed);
/* With the lock held: record [start, end) as sealed. 0 or -ENOMEM. */
int libmseal_sealed_add_locked(uintptr_t start, uintptr_t end);

#endif
