// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Test helper for the live `mseal maps` test: maps three fresh read-only
 * pages, seals the middle one (the first stays an unsealed control), maps
 * a deleted file, prints "ADDR <hex> PAGE <bytes>" (or "NOMSEAL <errno>"
 * when the kernel cannot seal) and sleeps until killed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libmseal.h"

int main(void)
{
	size_t pg = mseal_page_size();
	char *p = mmap(NULL, 3 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	char tmpl[] = "/tmp/libmseal-sealer-XXXXXX";
	int fd, rc;

	if (p == MAP_FAILED)
		return 1;
	/* A deleted file still mapped: smaps says " (deleted)". */
	fd = mkstemp(tmpl);
	if (fd < 0 || ftruncate(fd, (off_t)pg) ||
	    mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		return 1;
	unlink(tmpl);
	close(fd);
	rc = mseal_range(p + pg, pg, 0);
	if (rc == -ENOSYS || rc == -EPERM)
		printf("NOMSEAL %s\n", strerror(-rc));
	else if (rc)
		return 1;
	else
		printf("ADDR %p PAGE %zu\n", (void *)p, pg);
	fflush(stdout);
	for (;;)
		pause();
}
