// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_maps_*: an iterator over a process's mappings, from
 * <proc_root>/<pid>/smaps. The file is read whole (no limit on its size or
 * its lines), parsed once, and re-read when the process changed its map
 * while we read it: seq_file hands smaps out in chunks, so a concurrent
 * mmap or munmap shows up as overlapping or decreasing addresses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "maps-parse.h"

/* Reads of a torn file before giving up: the first and 3 re-reads. */
#define MAPS_READ_ATTEMPTS 4

/* Smallest buffer, and the least room left for one read(2) call. */
#define MAPS_BUF_MIN (64 * 1024)
#define MAPS_READ_MIN 4096

/*
 * The size of the last file read, shared by all threads (relaxed atomics:
 * it is only a hint). Starting the next buffer there spares the reallocs
 * and short reads of growing one from 64 KiB for a big process read again.
 */
static size_t maps_size_hint;

struct mseal_maps {
	char *text;
	struct libmseal_smaps smaps;
	size_t next;
};

/* open(2)'s errors as the contract names them. */
static int open_error(int err, const char *proc_root)
{
	struct stat st;

	if (err == EACCES || err == EPERM)
		return -EACCES;
	if (err == ENOENT || err == ESRCH) {
		/* No <pid> under an existing proc root: no such process. */
		if (stat(proc_root, &st) == 0)
			return -ESRCH;
		return -ENOENT;
	}
	return -err;
}

/* The whole file, NUL-terminated, in a buffer that grows as needed. */
static int read_whole(const char *path, const char *proc_root,
		      char **ret_text, size_t *ret_len)
{
	size_t hint = __atomic_load_n(&maps_size_hint, __ATOMIC_RELAXED);
	size_t cap = MAPS_BUF_MIN;
	int fd, rc;

	/* Room for the hinted size, an eighth more and one big read. */
	if (hint < SIZE_MAX / 4 && hint + hint / 8 + MAPS_READ_MIN > cap)
		cap = hint + hint / 8 + MAPS_READ_MIN;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return open_error(errno, proc_root);
	rc = libmseal_read_all(fd, cap, MAPS_BUF_MIN, ret_text, ret_len);
	close(fd);
	if (rc)
		return rc == -EPERM ? -EACCES : rc;
	__atomic_store_n(&maps_size_hint, *ret_len, __ATOMIC_RELAXED);
	return 0;
}

/* 1 for the real procfs, where paths can be checked with stat(). */
static int is_live_root(const char *proc_root)
{
	return strcmp(proc_root, "/proc") == 0 ||
	       strcmp(proc_root, "/proc/") == 0;
}

static int read_and_parse(const char *path, const char *proc_root,
			  const char *live_root, struct mseal_maps *maps)
{
	int rc = -EAGAIN;

	for (int attempt = 0; attempt < MAPS_READ_ATTEMPTS && rc == -EAGAIN;
	     attempt++) {
		size_t len = 0;

		rc = read_whole(path, proc_root, &maps->text, &len);
		if (rc)
			return rc;
		rc = libmseal_smaps_parse(maps->text, len, live_root,
					  &maps->smaps);
		if (rc) {
			free(maps->text);
			maps->text = NULL;
		}
	}
	return rc;
}

int mseal_maps_open(pid_t pid, const char *proc_root, unsigned int flags,
		    struct mseal_maps **ret_maps)
{
	char pidname[32], *path = NULL, *live_root = NULL;
	struct mseal_maps *maps;
	int rc;

	if (flags || !ret_maps || pid < 0 || (proc_root && !*proc_root))
		return -EINVAL;
	if (!proc_root)
		proc_root = "/proc";
	if (pid == 0)
		strcpy(pidname, "self");
	else
		snprintf(pidname, sizeof(pidname), "%d", (int)pid);
	maps = calloc(1, sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	rc = -ENOMEM;
	if (asprintf(&path, "%s/%s/smaps", proc_root, pidname) < 0) {
		path = NULL;
		goto out;
	}
	/* Paths in smaps are relative to the process's root directory. */
	if (is_live_root(proc_root) &&
	    asprintf(&live_root, "/proc/%s/root", pidname) < 0) {
		live_root = NULL;
		goto out;
	}
	rc = read_and_parse(path, proc_root, live_root, maps);
out:
	free(path);
	free(live_root);
	if (rc) {
		free(maps);
		return rc;
	}
	*ret_maps = maps;
	return 0;
}

int mseal_maps_next(struct mseal_maps *maps,
		    const struct mseal_region **ret_region)
{
	if (!maps || !ret_region)
		return -EINVAL;
	if (maps->next >= maps->smaps.n)
		return 0;
	*ret_region = &maps->smaps.regions[maps->next++];
	return 1;
}

void mseal_maps_rewind(struct mseal_maps *maps)
{
	if (maps)
		maps->next = 0;
}

struct mseal_maps *mseal_maps_free(struct mseal_maps *maps)
{
	if (!maps)
		return NULL;
	libmseal_smaps_release(&maps->smaps);
	free(maps->text);
	free(maps);
	return NULL;
}
