// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which file would ld.so open for dlopen(file) called from @caller?
 *
 * The shim's dlopen calls the real one from inside the shim, so ld.so sees
 * the shim as the caller. Only two things depend on the caller: $ORIGIN in
 * the name, and the search of a bare name along the caller's RPATH chain
 * and RUNPATH. This file answers both with the loader's own data, asked for
 * the real caller through dlinfo(3): RTLD_DI_ORIGIN and RTLD_DI_SERINFO (the
 * directories ld.so searches for that object, $ORIGIN already expanded).
 * Directories the shim's own search also covers are left to ld.so, so the
 * ld.so.cache keeps its place in the order.
 */
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resolve.h"

extern const ElfW(Ehdr) __ehdr_start;

static struct link_map *map_of(const void *addr)
{
	struct link_map *lm = NULL;
	Dl_info info;

	if (!dladdr1(addr, &info, (void **)&lm, RTLD_DL_LINKMAP))
		return NULL;
	return lm;
}

static Dl_serinfo *search_list(struct link_map *lm)
{
	Dl_serinfo size, *si;

	if (dlinfo(lm, RTLD_DI_SERINFOSIZE, &size) != 0)
		return NULL;
	si = malloc(size.dls_size);
	if (!si)
		return NULL;
	*si = size;
	if (dlinfo(lm, RTLD_DI_SERINFOSIZE, si) != 0 ||
	    dlinfo(lm, RTLD_DI_SERINFO, si) != 0) {
		free(si);
		return NULL;
	}
	return si;
}

static int listed(const Dl_serinfo *si, const char *dir)
{
	for (unsigned int i = 0; si && i < si->dls_cnt; i++)
		if (strcmp(si->dls_serpath[i].dls_name, dir) == 0)
			return 1;
	return 0;
}

/* ld.so skips files of another class or machine and keeps searching. */
static int loadable(const char *path)
{
	ElfW(Ehdr) eh;
	struct stat st;
	ssize_t n = -1;
	int fd;

	/* A FIFO (or device) of the name is no library: never opened, so
	 * it cannot block the caller's dlopen here. */
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, &eh, sizeof(eh));
	close(fd);
	return n == (ssize_t)sizeof(eh) &&
	       memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
	       eh.e_ident[EI_CLASS] == __ehdr_start.e_ident[EI_CLASS] &&
	       eh.e_machine == __ehdr_start.e_machine;
}

/* A bare name: probe the caller's directories up to its last one the
 * shim's own search lacks; otherwise ld.so finds the same file anyway. */
static int search(const char *file, struct link_map *caller, char *buf,
		  size_t size)
{
	Dl_serinfo *mine = search_list(map_of((const void *)search));
	Dl_serinfo *theirs = search_list(caller);
	int last = -1, found = 0;

	for (unsigned int i = 0; theirs && i < theirs->dls_cnt; i++)
		if (!listed(mine, theirs->dls_serpath[i].dls_name))
			last = (int)i;
	for (int i = 0; i <= last && !found; i++) {
		int n = snprintf(buf, size, "%s/%s",
				 theirs->dls_serpath[i].dls_name, file);

		found = n > 0 && (size_t)n < size && loadable(buf);
	}
	free(mine);
	free(theirs);
	return found;
}

/* Replace $ORIGIN and ${ORIGIN} with the caller's directory. */
static int expand_origin(const char *file, struct link_map *caller,
			 char *buf, size_t size)
{
	char origin[4096];
	size_t out = 0;

	if (dlinfo(caller, RTLD_DI_ORIGIN, origin) != 0)
		return 0;
	for (const char *p = file; *p; ) {
		const char *rep = NULL;
		size_t skip = 0;

		if (strncmp(p, "$ORIGIN", 7) == 0)
			rep = origin, skip = 7;
		else if (strncmp(p, "${ORIGIN}", 9) == 0)
			rep = origin, skip = 9;
		if (rep) {
			size_t len = strlen(rep);

			if (out + len >= size)
				return 0;
			memcpy(buf + out, rep, len);
			out += len;
			p += skip;
		} else {
			if (out + 1 >= size)
				return 0;
			buf[out++] = *p++;
		}
	}
	buf[out] = '\0';
	return 1;
}

/* A name already loaded (as named, or by its soname) is found by name
 * first, whoever the caller is: leave it to ld.so. */
static int loaded_by_name(const char *file)
{
	void *h = shim_real_dlopen(file, RTLD_LAZY | RTLD_NOLOAD);

	if (!h)
		return 0;
	dlclose(h);
	return 1;
}

const char *shim_resolve(const char *file, const void *caller, char *buf,
			 size_t size)
{
	struct link_map *lm;
	char name[4096];

	if (!file)
		return file;
	lm = map_of(caller);
	if (!lm)
		return file;
	if (strstr(file, "$ORIGIN") || strstr(file, "${ORIGIN}")) {
		if (!expand_origin(file, lm, buf, size))
			return file;
		if (strchr(buf, '/') || loaded_by_name(buf))
			return buf;
		snprintf(name, sizeof(name), "%s", buf);
		return search(name, lm, buf, size) ? buf : file;
	}
	if (strchr(file, '/') || loaded_by_name(file))
		return file;
	return search(file, lm, buf, size) ? buf : file;
}
