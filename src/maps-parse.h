/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The smaps text parser behind mseal_maps_open(); hidden, never installed. */
#ifndef LIBMSEAL_MAPS_PARSE_H
#define LIBMSEAL_MAPS_PARSE_H

#include <stddef.h>

#include "internal.h"

/* What one parse produced; strings point into the parsed buffer or pool. */
struct libmseal_smaps {
	struct mseal_region *regions;
	size_t n;
	char *pool; /* vmflags_unknown strings */
};

/*
 * Parse the smaps text @buf (@len bytes, plus room for a NUL after them;
 * modified in place: line ends and a stripped " (deleted)" become NULs)
 * into @out. @live_root is NULL for canned trees, else the directory the
 * process's paths are relative to (for example "/proc/self/root"): a path
 * ending in " (deleted)" is kept whole when it stat()s there to the
 * mapping's device and inode.
 *
 * Return: 0, -EINVAL (not smaps syntax), -EAGAIN (addresses overlap or go
 * down: a torn read), -ENOMEM. On failure @out is left empty.
 */
int libmseal_smaps_parse(char *buf, size_t len, const char *live_root,
			 struct libmseal_smaps *out);

/* Free what libmseal_smaps_parse() allocated; the buffer stays the
 * caller's. */
void libmseal_smaps_release(struct libmseal_smaps *smaps);

/* The LIBMSEAL_VMF_* bit of a two-letter VmFlags code, or 0 if unknown. */
uint64_t libmseal_vmflag_bit(const char *code, size_t len);

#endif
