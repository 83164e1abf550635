// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One reader of a whole file of unknown size, for the /proc files the
 * library reads: their size is not known until they are read (st_size is
 * 0), so the buffer grows as the reads fill it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/* The least room left for one read(2) call before the buffer doubles. */
#define READ_ROOM_MIN 4096

int libmseal_read_all(int fd, size_t cap, size_t min_cap, char **ret_text,
		      size_t *ret_len)
{
	char *text = malloc(cap);
	size_t len = 0;
	int rc = 0;

	/* A big size asked for must not make a small file fail. */
	if (!text && cap > min_cap) {
		cap = min_cap;
		text = malloc(cap);
	}
	for (;;) {
		ssize_t got;

		if (!text) {
			rc = -ENOMEM;
			break;
		}
		if (cap - len < READ_ROOM_MIN) {
			char *grown = cap > SIZE_MAX / 2 ? NULL :
				      realloc(text, cap * 2);

			if (!grown) {
				rc = -ENOMEM;
				break;
			}
			text = grown;
			cap *= 2;
		}
		got = read(fd, text + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = -errno;
			break;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (rc) {
		free(text);
		return rc;
	}
	text[len] = '\0';
	*ret_text = text;
	*ret_len = len;
	return 0;
}
