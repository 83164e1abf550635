// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * After an mseal call failed, and only then, /proc/self/maps tells which
 * pages of the run are really mapped. The default path never comes here:
 * reading maps costs more than sealing a whole program.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image-internal.h"

/* The whole file in a growing buffer, NUL-terminated; 0 or -errno. */
static int read_maps(char **ret_buf)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	size_t len;
	int rc;

	if (fd < 0)
		return -errno;
	rc = libmseal_read_all(fd, 16384, 16384, ret_buf, &len);
	close(fd);
	return rc;
}

/* Parse "start-end" at the head of a line; 0, or -1 if malformed. */
static int parse_bounds(const char *line, uintptr_t *s, uintptr_t *e)
{
	char *end;

	*s = (uintptr_t)strtoull(line, &end, 16);
	if (*end != '-')
		return -1;
	*e = (uintptr_t)strtoull(end + 1, &end, 16);
	return *end == ' ' ? 0 : -1;
}

ssize_t libmseal_mapped_parts(uintptr_t start, uintptr_t end,
			      uintptr_t **ret_parts)
{
	uintptr_t *parts = NULL;
	size_t n = 0, cap = 0;
	char *buf = NULL, *line;
	int rc = read_maps(&buf);

	if (rc < 0)
		return rc;
	for (line = buf; *line; ) {
		char *next = strchr(line, '\n');
		uintptr_t s, e;

		if (parse_bounds(line, &s, &e) == 0 && s < end && e > start) {
			if (n > 0 && parts[2 * n - 1] == s) {
				parts[2 * n - 1] = e; /* touching: merge */
			} else {
				if (n == cap) {
					size_t c = cap ? cap * 2 : 8;
					uintptr_t *p = realloc(parts,
						2 * c * sizeof(*p));

					if (!p) {
						rc = -ENOMEM;
						break;
					}
					parts = p;
					cap = c;
				}
				parts[2 * n] = s;
				parts[2 * n + 1] = e;
				n++;
			}
		}
		if (!next)
			break;
		line = next + 1;
	}
	free(buf);
	if (rc < 0) {
		free(parts);
		return rc;
	}
	*ret_parts = parts;
	return (ssize_t)n;
}
