/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers for the image suite: every mapping of this process from
 * /proc/self/smaps (own parser, independent of the library's), the loaded
 * objects from dl_iterate_phdr with their files' inodes, and checks over
 * a report.
 */
#ifndef LIBMSEAL_IMGTEST_H
#define LIBMSEAL_IMGTEST_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libmseal.h"

struct img_vma {
	uintptr_t start, end;
	char perms[5];
	unsigned long inode;
	char path[PATH_MAX];
	int sealed;
};

struct img_object {
	char name[PATH_MAX]; /* loader name; the main program's exe path */
	char real[PATH_MAX];
	unsigned long inode;
	uintptr_t lo, hi;    /* page-rounded extent of its PT_LOADs */
};

/* Every mapping, in address order; the caller frees *ret. */
size_t img_read_vmas(struct img_vma **ret);

/* Every loaded object but the vDSO; the caller frees *ret. */
size_t img_objects(struct img_object **ret);

/* The object whose loader name or real path ends with @suffix, or NULL. */
const struct img_object *img_find(const struct img_object *objs, size_t n,
				  const char *suffix);

/* 1 when the mapping is one of @o's own (same inode, inside its extent). */
int img_vma_of(const struct img_vma *v, const struct img_object *o);

/*
 * Assert, for every mapping of every object: r-x and r-- mappings are
 * sealed when @expect_text is 1 and unsealed when 0; writable mappings are
 * never sealed. Objects whose loader name ends with @skip (NULL: none)
 * are checked to be wholly unsealed instead.
 */
void img_assert_objects(int expect_text, const char *skip);

/* Assert the report's counters equal what its ranges say. */
void img_assert_counts(const struct mseal_report *r);

/* Assert every sealed or failed range has its mseal call, and that there
 * is one call per contiguous run when nothing failed. */
void img_assert_calls(const struct mseal_report *r);

/* Ranges of the report whose object ends with @suffix and have @skip
 * (-1: any skip) and @kind (0: any kind). */
size_t img_count(const struct mseal_report *r, const char *suffix, int skip,
		 int kind);

/* The test build's directory of fixture libraries. */
#define IMG_FIXTURES TESTS_BUILD_DIR "/image/fixtures"

#endif
