// SPDX-License-Identifier: LGPL-2.1-or-later
/* Helpers the probe operations use inside their child process. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "probe-ops.h"

size_t probe_page(void)
{
	return mseal_page_size();
}

char *probe_anon(size_t pages, int prot, int fill)
{
	size_t len = pages * probe_page();
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, fill, len);
	if (mprotect(p, len, prot) != 0) {
		munmap(p, len);
		return NULL;
	}
	return p;
}

char *probe_file(size_t pages, int flags, int fill, int *ret_fd)
{
	size_t len = pages * probe_page();
	int fd = memfd_create("mseal-probe", MFD_CLOEXEC);
	char buf[512];
	char *p;

	if (fd < 0)
		return NULL;
	memset(buf, fill, sizeof(buf));
	for (size_t done = 0; done < len; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			goto fail;
	p = mmap(NULL, len, PROT_READ, flags, fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	*ret_fd = fd;
	return p;
fail:
	close(fd);
	return NULL;
}

char *probe_sealed_anon(struct probe_result *r, size_t pages, int prot)
{
	char *p = probe_anon(pages, prot, 's');

	if (!p || probe_seal(p, pages * probe_page()) != 0) {
		probe_unavailable(r, "cannot map and seal a page", errno);
		return NULL;
	}
	return p;
}

char *probe_sealed_file(struct probe_result *r, int flags, int *ret_fd)
{
	char *p = probe_file(2, flags, 's', ret_fd);

	if (!p || probe_seal(p, 2 * probe_page()) != 0) {
		probe_unavailable(r, "cannot map and seal a file", errno);
		return NULL;
	}
	return p;
}

char *probe_hole(size_t pages)
{
	size_t len = pages * probe_page();
	char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, len);
	return p;
}

int probe_seal(void *p, size_t len)
{
	return mseal_range(p, len, 0);
}

int probe_state(const void *p, char perms[5])
{
	const struct mseal_region *r;
	struct mseal_maps *maps;
	int result = -1;

	if (mseal_maps_open(0, NULL, 0, &maps) != 0)
		return -1;
	while (mseal_maps_next(maps, &r) == 1) {
		if ((uintptr_t)p < r->start || (uintptr_t)p >= r->end)
			continue;
		if (perms)
			memcpy(perms, r->perms, 5);
		result = r->sealed;
		break;
	}
	mseal_maps_free(maps);
	return result;
}

int probe_intact(const void *p, size_t len, int fill)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		if (c[i] != (unsigned char)fill)
			return 0;
	return 1;
}

void probe_from_call(struct probe_result *r, int failed, int err)
{
	r->err = failed ? err : 0;
	if (!failed)
		r->outcome = PROBE_ALLOWED;
	else
		r->outcome = err == EPERM ? PROBE_BLOCKED : PROBE_FAILED;
}

void probe_side(struct probe_result *r, int changed, const char *what)
{
	r->side_effects = changed ? 1 : 0;
	if (changed && what)
		snprintf(r->note, sizeof(r->note), "%s", what);
}

void probe_unavailable(struct probe_result *r, const char *why, int err)
{
	r->outcome = PROBE_UNAVAILABLE;
	r->err = err;
	snprintf(r->note, sizeof(r->note), "%s", why);
}

/* An expectation that no rule changes. */
#define EXPECT_ALWAYS(name, outcome)                                       \
	int name(const struct mseal_rules *rules)                          \
	{                                                                  \
		(void)rules;                                               \
		return (outcome);                                          \
	}

EXPECT_ALWAYS(probe_expect_blocked, PROBE_BLOCKED)
EXPECT_ALWAYS(probe_expect_allowed, PROBE_ALLOWED)
EXPECT_ALWAYS(probe_expect_failed, PROBE_FAILED)
EXPECT_ALWAYS(probe_expect_ignored, PROBE_IGNORED)
