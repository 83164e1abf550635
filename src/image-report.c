// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The report of an image-sealing call, built while objects are walked and
 * packed at the end into ONE caller-owned block: the struct, its ranges,
 * its calls, then the object names the ranges point at. One free()
 * releases it all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image-internal.h"

#define NO_NAME ((size_t)-1)

void libmseal_builder_init(struct libmseal_builder *b, int want_names)
{
	b->ranges = b->inline_ranges;
	b->n = 0;
	b->cap = LIBMSEAL_BUILDER_INLINE;
	b->calls = b->inline_calls;
	b->n_calls = 0;
	b->cap_calls = LIBMSEAL_BUILDER_INLINE;
	b->names = NULL;
	b->names_len = b->names_cap = 0;
	b->objects_seen = 0;
	b->status = 0;
	b->reason = LIBMSEAL_REASON_SUPPORTED;
	b->cur_name = NO_NAME;
	b->want_names = want_names;
}

void libmseal_builder_done(struct libmseal_builder *b)
{
	if (b->ranges != b->inline_ranges)
		free(b->ranges);
	if (b->calls != b->inline_calls)
		free(b->calls);
	free(b->names);
	b->ranges = b->inline_ranges;
	b->calls = b->inline_calls;
	b->names = NULL;
}

int libmseal_builder_object(struct libmseal_builder *b, const char *name)
{
	size_t len;

	b->objects_seen++;
	b->cur_name = NO_NAME;
	if (!b->want_names || !name)
		return 0;
	len = strlen(name) + 1;
	if (b->names_len + len > b->names_cap) {
		size_t cap = b->names_cap ? b->names_cap : 1024;
		char *bigger;

		while (cap < b->names_len + len)
			cap *= 2;
		bigger = realloc(b->names, cap);
		if (!bigger)
			return -ENOMEM;
		b->names = bigger;
		b->names_cap = cap;
	}
	memcpy(b->names + b->names_len, name, len);
	b->cur_name = b->names_len;
	b->names_len += len;
	return 0;
}

/*
 * @arr doubled: @n elements of @size bytes copied into a new block of
 * 2 * *@cap, @arr freed unless it is the builder's inline storage
 * @inline_arr. The new block with *@cap doubled, or NULL (nothing changed).
 */
static void *grow(void *arr, const void *inline_arr, size_t n, size_t *cap,
		  size_t size)
{
	void *bigger = malloc(*cap * 2 * size);

	if (!bigger)
		return NULL;
	memcpy(bigger, arr, n * size);
	if (arr != inline_arr)
		free(arr);
	*cap *= 2;
	return bigger;
}

int libmseal_builder_add(struct libmseal_builder *b, uintptr_t start,
			 uintptr_t end, int kind, int skip, int error)
{
	struct mseal_report_range *r;

	if (b->n == b->cap) {
		void *bigger = grow(b->ranges, b->inline_ranges, b->n, &b->cap,
				    sizeof(*r));

		if (!bigger)
			return -ENOMEM;
		b->ranges = bigger;
	}
	r = &b->ranges[b->n++];
	r->start = start;
	r->end = end;
	r->kind = kind;
	r->skip = skip;
	r->error = error;
	/* Until packing, the pointer carries the name's pool offset. */
	r->object = (const char *)b->cur_name;
	if (skip == LIBMSEAL_SKIP_FAILED && b->status == 0)
		b->status = error;
	return 0;
}

int libmseal_builder_call(struct libmseal_builder *b, uintptr_t start,
			  uintptr_t end, int error)
{
	struct mseal_report_call *c;

	if (b->n_calls == b->cap_calls) {
		void *bigger = grow(b->calls, b->inline_calls, b->n_calls,
				    &b->cap_calls, sizeof(*c));

		if (!bigger)
			return -ENOMEM;
		b->calls = bigger;
	}
	c = &b->calls[b->n_calls++];
	c->start = start;
	c->end = end;
	c->error = error;
	return 0;
}

int libmseal_builder_pack(struct libmseal_builder *b,
			  struct mseal_report **ret_report)
{
	size_t head = sizeof(struct mseal_report);
	size_t ranges_bytes = b->n * sizeof(struct mseal_report_range);
	size_t calls_bytes = b->n_calls * sizeof(struct mseal_report_call);
	struct mseal_report *rep;
	struct mseal_report_range *ranges;
	struct mseal_report_call *calls;
	char *names;

	/* The arrays follow the struct, aligned for their uint64_t; both
	 * element sizes are multiples of that alignment. */
	head = (head + _Alignof(struct mseal_report_range) - 1) &
	       ~(_Alignof(struct mseal_report_range) - 1);
	rep = calloc(1, head + ranges_bytes + calls_bytes + b->names_len + 1);
	if (!rep)
		return -ENOMEM;
	ranges = (struct mseal_report_range *)((char *)rep + head);
	calls = (struct mseal_report_call *)((char *)ranges + ranges_bytes);
	names = (char *)calls + calls_bytes;
	if (b->n_calls)
		memcpy(calls, b->calls, calls_bytes);
	if (b->names_len)
		memcpy(names, b->names, b->names_len);
	for (size_t i = 0; i < b->n; i++) {
		const struct mseal_report_range *r = &b->ranges[i];
		size_t off = (size_t)r->object;

		ranges[i] = *r;
		/* "" for an object whose name was not asked for. */
		ranges[i].object = off == NO_NAME ? names + b->names_len :
						    names + off;
		if (r->skip == LIBMSEAL_SKIP_NONE) {
			rep->ranges_sealed++;
			rep->bytes_sealed += r->end - r->start;
		} else {
			rep->ranges_skipped++;
			if (r->skip == LIBMSEAL_SKIP_FAILED)
				rep->ranges_failed++;
		}
	}
	rep->size = sizeof(*rep);
	rep->objects_seen = b->objects_seen;
	rep->status = b->status;
	rep->reason = b->reason;
	rep->n_ranges = b->n;
	rep->ranges = ranges;
	rep->n_calls = b->n_calls;
	rep->calls = calls;
	*ret_report = rep;
	return 0;
}

struct mseal_report *mseal_report_free(struct mseal_report *report)
{
	free(report);
	return NULL;
}
