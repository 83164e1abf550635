/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The per-object summary of a process's mappings: for each mapped file
 * (object), how many bytes sit in r-x, r-- and rw- mappings and how many
 * of its mappings are sealed. `mseal maps` prints it under the mappings;
 * `mseal ps` and the ELF classification build on the same records.
 */
#ifndef MSEAL_OBJECTS_H
#define MSEAL_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "libmseal.h"

/* One mapped file, keyed by path, device and inode. */
struct object_summary {
	char *path;             /* as the maps reader gave it */
	unsigned int dev_major; /* device and inode of the file */
	unsigned int dev_minor;
	uint64_t inode;
	int deleted;            /* the file was deleted */
	uint64_t first_start;   /* lowest mapping's first byte */
	size_t mappings;        /* mappings of the file */
	size_t sealed;          /* of those, sealed ones */
	uint64_t bytes_rx;      /* bytes in r-x mappings */
	uint64_t bytes_ro;      /* bytes in r-- mappings */
	uint64_t bytes_rw;      /* bytes in rw- mappings */
	uint64_t bytes_other;   /* bytes in other mappings (---, rwx, ...) */
};

/* The objects of one process, in order of first appearance. */
struct objects {
	struct object_summary *v;
	size_t n;
	size_t cap;
	/* Hash index into @v (open addressing; 0 empty, else index + 1),
	 * so a process with many mapped files is not counted in n^2. */
	size_t *slots;
	size_t nslots; /* a power of two, at least twice @n; 0 before use */
};

/* 1 when @r maps a file (an inode and a path starting with '/'), else 0:
 * anonymous memory and [heap], [stack], [vdso], [anon:...] are not. */
int objects_is_file(const struct mseal_region *r);

/* Count @r into its object; other mappings are ignored. 0 or -ENOMEM. */
int objects_add(struct objects *objs, const struct mseal_region *r);

/* Release everything; @objs is left empty and reusable. */
void objects_clear(struct objects *objs);

#endif
