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

static struct object_summary *find(struct objects *objs,
				   const struct mseal_region *r)
{
	for (size_t i = 0; i < objs->n; i++) {
		struct object_summary *o = &objs->v[i];

		if (o->inode == r->inode && o->dev_major == r->dev_major &&
		    o->dev_minor == r->dev_minor && o->deleted == r->deleted &&
		    strcmp(o->path, r->path) == 0)
			return o;
	}
	return NULL;
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

	if (!objects_is_file(r))
		return 0;
	o = find(objs, r);
	if (!o)
		o = append(objs, r);
	if (!o)
		return -ENOMEM;
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
	memset(objs, 0, sizeof(*objs));
}
