// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * open_regular(): a plain open(O_RDONLY) of a FIFO blocks until a writer
 * comes, and of a device runs its driver's open (a tape may rewind on
 * close). Any user can put a FIFO where a mapped file's path points (a
 * mount over its directory in their own namespace), so every file the
 * CLI reads for its contents is reached here first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "open-regular.h"

#define READ_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/* Open the object @pfd (an O_PATH descriptor) refers to for reading. */
static int reopen(int pfd, const char *path)
{
	char self[64];
	int fd;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, READ_FLAGS);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	/* No /proc here: the path once more; its type is checked after. */
	return open(path, READ_FLAGS);
}

int open_regular(const char *path)
{
	struct stat st;
	int pfd, fd, err;

	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	if (fstat(pfd, &st) < 0) {
		err = -errno;
		close(pfd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(pfd);
		return OPEN_NOT_REGULAR;
	}
	fd = reopen(pfd, path);
	err = fd < 0 ? -errno : 0;
	close(pfd);
	if (fd < 0)
		return err;
	/* O_NONBLOCK means nothing to a regular file's reads; cleared all
	 * the same, so libelf and mmap see an ordinary descriptor. */
	if (fstat(fd, &st) < 0 || fcntl(fd, F_SETFL, 0) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) { /* the fallback met another object */
		close(fd);
		return OPEN_NOT_REGULAR;
	}
	return fd;
}
