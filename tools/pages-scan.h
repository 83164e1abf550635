/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Page states of one mapping, from pagemap and mincore (pages-scan.c). */
#ifndef MSEAL_PAGES_SCAN_H
#define MSEAL_PAGES_SCAN_H

#include <stdint.h>

#include "libmseal.h"
#include "pages.h"

struct scan_ctx {
	const char *root;	/* proc root */
	char pid_dir[24];	/* "self" or the PID */
	int pagemap_fd;
	uint64_t page;
};

typedef void (*page_fn)(void *arg, int state);

/* Call @fn once per page of [@s, @e) inside mapping @r, in order: 0, or
 * -errno when pagemap could not be read. */
int scan_pages(const struct scan_ctx *c, const struct mseal_region *r,
	       uint64_t s, uint64_t e, page_fn fn, void *arg);

#endif
