// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sealing one object's planned ranges: the ranges are split where the
 * record says libmseal sealed before (those are reported ALREADY_SEALED
 * and never passed to the kernel again), and what is left is grouped into
 * runs of touching pages, whatever their kind: one mseal call per run.
 * A failed call is explained from /proc/self/maps: pages that are not
 * mapped are reported NOT_MAPPED, and the mapped parts are sealed on their
 * own, so a hole never costs the rest of the run.
 */
#include <errno.h>
#include <stdlib.h>

#include "image-internal.h"

#define RUN_PIECES 32

struct run {
	struct libmseal_prange piece[RUN_PIECES];
	size_t n;
};

/* Emit [a, b) of @kind, cut along @parts (mapped intervals, each with its
 * own result in @res), with NOT_MAPPED between them. */
static int emit_cut(struct libmseal_builder *b, uintptr_t a, uintptr_t e,
		    int kind, const uintptr_t *parts, const int *res,
		    size_t nparts)
{
	uintptr_t pos = a;
	int rc = 0;

	for (size_t i = 0; i < nparts && pos < e && rc == 0; i++) {
		uintptr_t ps = parts[2 * i], pe = parts[2 * i + 1];

		if (pe <= pos)
			continue;
		if (ps >= e)
			break;
		if (ps > pos) {
			rc = libmseal_builder_add(b, pos, ps, kind,
						  LIBMSEAL_SKIP_NOT_MAPPED, 0);
			pos = ps;
		}
		if (rc == 0) {
			uintptr_t stop = pe < e ? pe : e;

			rc = libmseal_builder_add(b, pos, stop, kind,
				res[i] ? LIBMSEAL_SKIP_FAILED :
					 LIBMSEAL_SKIP_NONE, res[i]);
			pos = stop;
		}
	}
	if (rc == 0 && pos < e)
		rc = libmseal_builder_add(b, pos, e, kind,
					  LIBMSEAL_SKIP_NOT_MAPPED, 0);
	return rc;
}

/* Report every piece of the run as @skip with @err. */
static int add_pieces(struct libmseal_builder *b, const struct run *r,
		      int skip, int err)
{
	int rc = 0;

	for (size_t i = 0; i < r->n && rc == 0; i++)
		rc = libmseal_builder_add(b, r->piece[i].start,
					  r->piece[i].end, r->piece[i].kind,
					  skip, err);
	return rc;
}

/* The run's call failed with @err: find out why and do what can be done. */
static int explain_failure(struct libmseal_builder *b, const struct run *r,
			   int err)
{
	uintptr_t start = r->piece[0].start, end = r->piece[r->n - 1].end;
	uintptr_t *parts = NULL;
	ssize_t nparts = libmseal_mapped_parts(start, end, &parts);
	int *res = NULL;
	int rc = 0;

	if (nparts < 0 || (nparts > 0 && !(res = calloc(nparts, sizeof(int))))) {
		/* Cannot tell: the whole run failed with the call's error. */
		free(parts);
		return add_pieces(b, r, LIBMSEAL_SKIP_FAILED, err);
	}
	for (ssize_t i = 0; i < nparts; i++) {
		uintptr_t ps = parts[2 * i], pe = parts[2 * i + 1];

		if (ps < start)
			ps = parts[2 * i] = start;
		if (pe > end)
			pe = parts[2 * i + 1] = end;
		if (ps == start && pe == end) {
			res[i] = err; /* all mapped: retrying changes nothing */
			continue;
		}
		res[i] = mseal_range((void *)ps, pe - ps, 0);
		if (libmseal_builder_call(b, ps, pe, res[i]) < 0 ||
		    (res[i] == 0 && libmseal_sealed_add_locked(ps, pe) < 0))
			rc = -ENOMEM;
	}
	for (size_t i = 0; i < r->n && rc == 0; i++)
		rc = emit_cut(b, r->piece[i].start, r->piece[i].end,
			      r->piece[i].kind, parts, res, (size_t)nparts);
	free(res);
	free(parts);
	return rc;
}

/* One mseal call for the whole run, then its pieces into the report. */
static int flush(struct libmseal_builder *b, struct run *r)
{
	uintptr_t start, end;
	int err, rc = 0;

	if (r->n == 0)
		return 0;
	start = r->piece[0].start;
	end = r->piece[r->n - 1].end;
	/* mseal_range routes to the seccomp emulation when it is on */
	err = mseal_range((void *)start, end - start, 0);
	rc = libmseal_builder_call(b, start, end, err);
	if (rc < 0) {
		if (err == 0)
			libmseal_sealed_add_locked(start, end);
	} else if (err == 0) {
		rc = libmseal_sealed_add_locked(start, end);
		if (rc == 0)
			rc = add_pieces(b, r, LIBMSEAL_SKIP_NONE, 0);
	} else {
		rc = explain_failure(b, r, err);
	}
	r->n = 0;
	return rc;
}

/* Add [a, e) of @kind, not yet sealed, to the run (flushing as needed). */
static int extend(struct libmseal_builder *b, struct run *r, uintptr_t a,
		  uintptr_t e, int kind)
{
	int rc = 0;

	if (r->n > 0 && (r->piece[r->n - 1].end != a || r->n == RUN_PIECES))
		rc = flush(b, r);
	if (rc == 0) {
		r->piece[r->n].start = a;
		r->piece[r->n].end = e;
		r->piece[r->n].kind = kind;
		r->n++;
	}
	return rc;
}

static int seal_ranges(struct libmseal_builder *b,
		       const struct libmseal_prange *ranges, size_t n)
{
	struct run r = { .n = 0 };
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		uintptr_t pos = ranges[i].start;

		while (pos < ranges[i].end && rc == 0) {
			int sealed;
			uintptr_t stop = libmseal_sealed_span_locked(
				pos, ranges[i].end, &sealed);

			if (sealed) {
				rc = flush(b, &r);
				if (rc == 0)
					rc = libmseal_builder_add(b, pos, stop,
						ranges[i].kind,
						LIBMSEAL_SKIP_ALREADY_SEALED, 0);
			} else {
				rc = extend(b, &r, pos, stop, ranges[i].kind);
			}
			pos = stop;
		}
	}
	if (rc == 0)
		rc = flush(b, &r);
	return rc;
}

int libmseal_image_seal_object(struct libmseal_builder *b,
			       const struct libmseal_prange *ranges, size_t n,
			       int skip)
{
	int rc = 0;

	if (skip != LIBMSEAL_SKIP_NONE) {
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = libmseal_builder_add(b, ranges[i].start,
						  ranges[i].end, ranges[i].kind,
						  skip, 0);
		return rc;
	}
	libmseal_sealed_lock();
	rc = seal_ranges(b, ranges, n);
	libmseal_sealed_unlock();
	return rc;
}
