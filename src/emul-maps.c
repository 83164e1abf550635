// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the seccomp emulation reads of the process: /proc/self/maps for the
 * kernel's "every page mapped" rule (ENOMEM, spec §1.2 step 8), for the
 * mappings it refuses, and for the discard rule decided once, at seal
 * time (sealed protections never change); /proc/self/fd for io_uring
 * instances, which seccomp cannot see into (research §5).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "emul.h"

/* The whole of /proc/self/maps, NUL-terminated, in a malloc()ed buffer. */
static char *slurp_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	size_t len;
	int rc;

	if (fd < 0)
		return NULL;
	rc = libmseal_read_all(fd, 16384, 16384, &buf, &len);
	close(fd);
	return rc ? NULL : buf;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * The madvise rule of 6.17+ (spec §2.2): private, not writable, and
 * vma_is_anonymous(): anonymous memory (named or not, stacks) and private
 * /dev/zero mappings; never special mappings such as [vdso] or files.
 */
static void classify(struct libmseal_emap *m, const char *path)
{
	int anon = (m->inode == 0 && (path[0] == '\0' ||
				      strcmp(path, "[stack]") == 0 ||
				      starts(path, "[anon:"))) ||
		   strcmp(path, "/dev/zero") == 0;

	/* the brk heap, SysV shm and aio rings are unmapped by the kernel
	 * itself (brk, shmdt, io_destroy), out of seccomp's sight */
	m->refused = strcmp(path, "[heap]") == 0 || starts(path, "/SYSV") ||
		     strstr(path, "[aio]") != NULL;
	m->discard = m->perms[3] == 'p' && m->perms[1] != 'w' && anon;
}

/* "start-end perms offset dev inode path": fills @m, returns the offset
 * of the path, or -1. By hand: sscanf costs most of a seal here. */
static int parse_line(const char *line, struct libmseal_emap *m)
{
	const char *p = line;
	char *end;

	m->start = strtoull(p, &end, 16);
	if (*end != '-')
		return -1;
	m->end = strtoull(end + 1, &end, 16);
	if (*end != ' ' || strlen(end) < 6)
		return -1;
	memcpy(m->perms, end + 1, 4);
	m->perms[4] = '\0';
	p = end + 5;
	/* offset, then dev, then inode */
	for (int field = 0; field < 2; field++) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	m->inode = strtoull(p, &end, 10);
	if (end == p)
		return -1;
	p = end;
	while (*p == ' ')
		p++;
	return (int)(p - line);
}

long libmseal_emaps_read(struct libmseal_emap **ret_maps)
{
	char *buf = slurp_maps(), *line, *save = NULL;
	struct libmseal_emap *maps = NULL;
	size_t n = 0, cap = 0;

	if (!buf)
		return errno ? -errno : -ENOMEM;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct libmseal_emap m = { 0 };
		int used = 0;

		used = parse_line(line, &m);
		if (used < 0)
			continue;
		/* [vsyscall] is not a VMA: mseal says ENOMEM there */
		if (strcmp(line + used, "[vsyscall]") == 0)
			continue;
		classify(&m, line + used);
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 128;
			struct libmseal_emap *more =
				realloc(maps, ncap * sizeof(*maps));

			if (!more) {
				free(maps);
				free(buf);
				return -ENOMEM;
			}
			maps = more;
			cap = ncap;
		}
		maps[n++] = m;
	}
	free(buf);
	*ret_maps = maps;
	return (long)n;
}

int libmseal_emaps_check(const struct libmseal_emap *maps, long n,
			 uint64_t start, uint64_t end)
{
	uint64_t pos = start;
	int refused = 0;

	for (long i = 0; i < n && pos < end; i++) {
		if (maps[i].end <= pos)
			continue;
		if (maps[i].start > pos)
			return -ENOMEM;
		refused |= maps[i].refused;
		pos = maps[i].end;
	}
	if (pos < end)
		return -ENOMEM;
	return refused ? -EOPNOTSUPP : 0;
}

int libmseal_emul_has_io_uring(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	int found = 0;

	if (!dir)
		return -errno;
	while (!found && (de = readdir(dir))) {
		char target[64];
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(dir), de->d_name, target,
				 sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		found = strcmp(target, "anon_inode:[io_uring]") == 0;
	}
	closedir(dir);
	return found;
}
