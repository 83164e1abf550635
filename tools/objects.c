// SPDX-License-Identifier: LGPL-2.1-or-later
/* Group a process's mappings by mapped file and total them by permission. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "objects.h"

int objects_is_file(const struct mseal_region *r)
{
	return r->inode != 0 && r->path[0] == '/';
}

static int same_object(const struct object_summary *o,
		       const struct mseal_region *r)
{
	return o->inode == r->inode && o->dev_major == r->dev_major &&
	       o->dev_minor == r->dev_minor && o->deleted == r->deleted &&
	       strcmp(o->path, r->path) == 0;
}

/* FNV-1a over the key: path, device, inode, deleted. */
static size_t object_hash(const char *path, unsigned int major,
			  unsigned int minor, uint64_t inode, int deleted)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	h = (h ^ inode) * UINT64_C(1099511628211);
	h = (h ^ (((uint64_t)major << 32) | minor)) *
	    UINT64_C(1099511628211);
	h = (h ^ (uint64_t)deleted) * UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 29));
}

static size_t region_hash(const struct mseal_region *r)
{
	return object_hash(r->path, r->dev_major, r->dev_minor, r->inode,
			   r->deleted);
}

/* The slot holding @r's object, or the empty slot where it would go. */
static size_t *slot_of(const struct objects *objs,
		       const struct mseal_region *r)
{
	size_t mask = objs->nslots - 1, i = region_hash(r) & mask;

	while (objs->slots[i] && !same_object(&objs->v[objs->slots[i] - 1], r))
		i = (i + 1) & mask;
	return &objs->slots[i];
}

/* Room in the index for one more object. 0 or -ENOMEM. */
static int index_reserve(struct objects *objs)
{
	size_t nslots = objs->nslots ? objs->nslots : 64;
	size_t *slots;

	while (nslots < 2 * (objs->n + 1))
		nslots *= 2;
	if (nslots == objs->nslots)
		return 0;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t k = 0; k < objs->n; k++) {
		const struct object_summary *o = &objs->v[k];
		size_t i = object_hash(o->path, o->dev_major, o->dev_minor,
				       o->inode, o->deleted) & (nslots - 1);

		while (slots[i])
			i = (i + 1) & (nslots - 1);
		slots[i] = k + 1;
	}
	free(objs->slots);
	objs->slots = slots;
	objs->nslots = nslots;
	return 0;
}

static struct object_summary *append(struct objects *objs,
				     const struct mseal_region *r)
{
	struct object_summary *o;

	if (objs->n == objs->cap) {
		size_t cap = objs->cap ? objs->cap * 2 : 16;
		void *grown = reallocarray(objs->v, cap, sizeof(*o));

		if (!grown)
			return NULL;
		objs->v = grown;
		objs->cap = cap;
	}
	o = &objs->v[objs->n];
	memset(o, 0, sizeof(*o));
	o->path = strdup(r->path);
	if (!o->path)
		return NULL;
	o->dev_major = r->dev_major;
	o->dev_minor = r->dev_minor;
	o->inode = r->inode;
	o->deleted = r->deleted;
	o->first_start = r->start;
	objs->n++;
	return o;
}

int objects_add(struct objects *objs, const struct mseal_region *r)
{
	struct object_summary *o;
	uint64_t bytes = r->end - r->start;
	size_t *slot;

	if (!objects_is_file(r))
		return 0;
	if (index_reserve(objs))
		return -ENOMEM;
	slot = slot_of(objs, r);
	if (*slot) {
		o = &objs->v[*slot - 1];
	} else {
		o = append(objs, r);
		if (!o)
			return -ENOMEM;
		*slot = objs->n;
	}
	o->mappings++;
	if (r->sealed)
		o->sealed++;
	/* The fourth letter (private or shared) does not matter here. */
	if (strncmp(r->perms, "r-x", 3) == 0)
		o->bytes_rx += bytes;
	else if (strncmp(r->perms, "r--", 3) == 0)
		o->bytes_ro += bytes;
	else if (strncmp(r->perms, "rw-", 3) == 0)
		o->bytes_rw += bytes;
	else
		o->bytes_other += bytes;
	return 0;
}

void objects_clear(struct objects *objs)
{
	for (size_t i = 0; i < objs->n; i++)
		free(objs->v[i].path);
	free(objs->v);
	free(objs->slots);
	memset(objs, 0, sizeof(*objs));
}
