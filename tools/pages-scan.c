// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The state of each page of one mapping. pagemap gives present (bit 63)
 * and swapped (bit 62) per page; a page of a file mapping that is neither
 * may still be in the page cache, which mincore(2) on our own fresh
 * MAP_SHARED mapping of the same file range tells without faulting it in.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "open-regular.h"
#include "pages-scan.h"

#define PM_PRESENT (1ull << 63)
#define PM_SWAPPED (1ull << 62)
#define CHUNK 4096 /* pagemap entries read at once */

/* mincore() of the file behind @r for [s, s + n pages); NULL when the file
 * cannot be opened or mapped (the pages then show only as absent). */
static unsigned char *file_cache(const struct scan_ctx *c,
				 const struct mseal_region *r, uint64_t s,
				 size_t n)
{
	char path[4200];
	uint64_t off = r->offset + (s - r->start), len;
	unsigned char *vec = NULL;
	struct stat st;
	void *p;
	int fd;

	if (!r->inode || r->path[0] != '/')
		return NULL;
	snprintf(path, sizeof(path), "%s/%s/map_files/%llx-%llx", c->root,
		 c->pid_dir, (unsigned long long)r->start,
		 (unsigned long long)r->end);
	fd = open_regular(path); /* never a FIFO or device: no cache state */
	if (fd < 0 && fd != OPEN_NOT_REGULAR && !r->deleted) {
		snprintf(path, sizeof(path), "%s/%s/root%s", c->root, c->pid_dir,
			 r->path);
		fd = open_regular(path);
	}
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    off >= (uint64_t)st.st_size) {
		close(fd);
		return NULL;
	}
	len = (uint64_t)st.st_size - off;
	if (len > (uint64_t)n * c->page)
		len = (uint64_t)n * c->page;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	vec = calloc(n, 1); /* pages past EOF stay 0: not cached */
	if (vec && mincore(p, len, vec) < 0) {
		free(vec);
		vec = NULL;
	}
	munmap(p, len);
	return vec;
}

int scan_pages(const struct scan_ctx *c, const struct mseal_region *r,
	       uint64_t s, uint64_t e, page_fn fn, void *arg)
{
	size_t n = (size_t)((e - s) / c->page);
	unsigned char *cache = file_cache(c, r, s, n);
	uint64_t *buf = malloc(CHUNK * sizeof(*buf));
	size_t done = 0;
	int rc = 0;

	if (!buf) {
		free(cache);
		return -ENOMEM;
	}
	while (done < n) {
		size_t want = n - done < CHUNK ? n - done : CHUNK;
		off_t at = (off_t)((s / c->page + done) * sizeof(uint64_t));
		ssize_t got = pread(c->pagemap_fd, buf, want * sizeof(*buf), at);

		if (got < 0) {
			rc = -errno;
			break;
		}
		if (got == 0) {
			/* past the user address space ([vsyscall]): pagemap
			 * has nothing to say, so the pages count as absent */
			for (; done < n; done++)
				fn(arg, PG_ABSENT);
			break;
		}
		want = (size_t)got / sizeof(*buf);
		for (size_t i = 0; i < want; i++) {
			int st = PG_ABSENT;

			if (buf[i] & PM_PRESENT)
				st = PG_RESIDENT;
			else if (buf[i] & PM_SWAPPED)
				st = PG_SWAPPED;
			else if (cache && (cache[done + i] & 1))
				st = PG_CACHED;
			fn(arg, st);
		}
		done += want;
	}
	free(buf);
	free(cache);
	return rc;
}
