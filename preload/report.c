// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The shim's output: LIBMSEAL_DEBUG lines (one per mseal call, naming the
 * call and the errno: field report R05) and the report LIBMSEAL_REPORT asks
 * for, as text or as one JSON document per line (one per process, so a
 * process tree appending to one file gives JSON Lines).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path-escape.h"
#include "shim.h"

static const char *kind_name(int kind)
{
	switch (kind) {
	case LIBMSEAL_RANGE_TEXT: return "text";
	case LIBMSEAL_RANGE_RODATA: return "rodata";
	case LIBMSEAL_RANGE_RELRO: return "relro";
	case LIBMSEAL_RANGE_GAP: return "gap";
	}
	return "unknown";
}

static const char *skip_name(int skip)
{
	switch (skip) {
	case LIBMSEAL_SKIP_NONE: return "sealed";
	case LIBMSEAL_SKIP_ALREADY_SEALED: return "already-sealed";
	case LIBMSEAL_SKIP_EXCLUDED: return "excluded";
	case LIBMSEAL_SKIP_UNSUPPORTED: return "unsupported";
	case LIBMSEAL_SKIP_FAILED: return "failed";
	case LIBMSEAL_SKIP_NOT_MAPPED: return "not-mapped";
	}
	return "unknown";
}

/* emulation (issue 6) ------------------------------------------------ */
/* How the report's ranges are protected (mseal_sealing_mode()). */
static const char *mode_name(int mode)
{
	switch (mode) {
	case LIBMSEAL_SEALING_NATIVE: return "native";
	case LIBMSEAL_SEALING_EMULATED: return "emulated";
	}
	return "unavailable";
}

/* 1 when installed filters of the emulation hold all of [start, end):
 * its committed ranges come first, merged and in address order. */
static int emul_holds(uint64_t start, uint64_t end)
{
	uint64_t s, e;
	unsigned int fl;

	for (size_t i = 0; start < end &&
	     mseal_fallback_range(i, &s, &e, &fl) == 1; i++)
		if ((fl & LIBMSEAL_FALLBACK_COMMITTED) && s <= start &&
		    start < e)
			start = e;
	return start >= end;
}

/* A range's status word: emulated, a range given to mseal_range() is
 * "emulated" once a filter holds it, "not-committed" before (or when the
 * commit failed), never "sealed". */
static const char *range_status(const struct mseal_report_range *a, int mode)
{
	if (mode == LIBMSEAL_SEALING_EMULATED && a->skip == LIBMSEAL_SKIP_NONE)
		return emul_holds(a->start, a->end) ? "emulated" :
						      "not-committed";
	return skip_name(a->skip);
}

/* Emulated: the ranges and bytes a filter holds (what "sealed" counts
 * natively); else the report's own counts. */
static size_t held_ranges(const struct mseal_report *r, int mode,
			  unsigned long long *ret_bytes)
{
	size_t n = 0;

	*ret_bytes = r->bytes_sealed;
	if (mode != LIBMSEAL_SEALING_EMULATED)
		return r->ranges_sealed;
	*ret_bytes = 0;
	for (size_t i = 0; i < r->n_ranges; i++)
		if (strcmp(range_status(&r->ranges[i], mode), "emulated") == 0) {
			n++;
			*ret_bytes += r->ranges[i].end - r->ranges[i].start;
		}
	return n;
}

/* The reason text: emulated, why mseal is not native and what holds the
 * ranges instead (the report's reason says "supported" then). */
static const char *reason_text(const struct mseal_report *r, int mode,
			       char *buf, size_t len)
{
	if (mode != LIBMSEAL_SEALING_EMULATED)
		return mseal_reason_string(r->reason);
	snprintf(buf, len, "no native mseal (%s); ranges are protected by "
		 "libmseal's seccomp emulation",
		 mseal_reason_string(mseal_unsupported_reason()));
	return buf;
}
/* end of emulation (issue 6) ----------------------------------------- */

static const char *errno_name(int err)
{
	const char *n = strerrorname_np(err < 0 ? -err : err);

	return n ? n : "E?";
}

/* The object whose range a call began in, to name it on the debug line. */
static const char *call_object(const struct mseal_report *r,
			       const struct mseal_report_call *c)
{
	for (size_t i = 0; i < r->n_ranges; i++)
		if (c->start >= r->ranges[i].start && c->start < r->ranges[i].end)
			return r->ranges[i].object;
	return "?";
}

/* One LIBMSEAL_DEBUG line per mseal system call, as the library made them
 * (report->calls), so the lines never drift from what really ran. */
static void print_calls(const struct mseal_report *r, int mode)
{
	/* emulated, the calls went to the seccomp emulation, not the kernel */
	const char *fn = mode == LIBMSEAL_SEALING_EMULATED ? "emulated mseal" :
							     "mseal";

	for (size_t i = 0; i < r->n_calls; i++) {
		const struct mseal_report_call *c = &r->calls[i];
		unsigned long long start = c->start;
		unsigned long long len = c->end - c->start;

		if (c->error == 0)
			fprintf(stderr, "libmseal: %s(0x%llx, %llu, 0) = 0 %s\n",
				fn, start, len, call_object(r, c));
		else
			fprintf(stderr, "libmseal: %s(0x%llx, %llu, 0) = -1 "
				"%s (%s) %s\n", fn, start, len, errno_name(c->error),
				strerror(-c->error), call_object(r, c));
	}
}

/*
 * @s as a JSON string: object paths are bytes, so the bytes that are not
 * UTF-8 become \xHH as in `mseal maps -J` (path-escape.h), and what JSON
 * must escape is escaped. Written in stack-buffer chunks.
 */
static void json_string(FILE *f, const char *s)
{
	char buf[256];
	size_t n = 0;

	buf[n++] = '"';
	while (*s) {
		if (n > sizeof(buf) - LIBMSEAL_PATH_STEP_MAX) {
			fwrite(buf, 1, n, f);
			n = 0;
		}
		n += libmseal_path_escape_step(&s, buf + n, LIBMSEAL_PATH_JSON);
	}
	fwrite(buf, 1, n, f);
	fputc('"', f);
}

static void json_range(FILE *f, const struct mseal_report_range *a, int mode)
{
	fprintf(f, "{\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"kind\":\"%s\","
		"\"status\":\"%s\",\"error\":",
		(unsigned long long)a->start, (unsigned long long)a->end,
		kind_name(a->kind), range_status(a, mode));
	if (a->error)
		fprintf(f, "\"%s\"}", errno_name(a->error));
	else
		fputs("null}", f);
}

static void write_json(FILE *f, const struct mseal_report *r,
		       const char *phase, size_t calls, double usec, int mode)
{
	const char *prev = NULL;
	unsigned long long bytes;
	size_t held = held_ranges(r, mode, &bytes);
	char why[256];

	/* "supported" is the kernel's mseal; "mode" how ranges are held */
	fprintf(f, "{\"pid\":%d,\"phase\":\"%s\",\"supported\":%s,"
		"\"mode\":\"%s\",\"reason\":", (int)getpid(), phase,
		r->reason == LIBMSEAL_REASON_SUPPORTED &&
		mode != LIBMSEAL_SEALING_EMULATED ? "true" : "false",
		mode_name(mode));
	json_string(f, reason_text(r, mode, why, sizeof(why)));
	fprintf(f, ",\"objects_seen\":%zu,\"ranges_sealed\":%zu,"
		"\"bytes_sealed\":%llu,\"ranges_skipped\":%zu,"
		"\"ranges_failed\":%zu,\"status\":%d,\"mseal_calls\":%zu,",
		r->objects_seen, held, bytes, r->ranges_skipped,
		r->ranges_failed, r->status,
		mode == LIBMSEAL_SEALING_EMULATED ? 0 : calls);
	if (mode == LIBMSEAL_SEALING_EMULATED)
		fprintf(f, "\"emulated_calls\":%zu,\"filters\":%d,", calls,
			mseal_fallback_filters());
	fprintf(f, "\"usec\":%.1f,\"objects\":[", usec);
	for (size_t i = 0; i < r->n_ranges; i++) {
		const struct mseal_report_range *a = &r->ranges[i];

		if (!prev || strcmp(prev, a->object) != 0) {
			if (prev)
				fputs("]},", f);
			fputs("{\"name\":", f);
			json_string(f, a->object);
			fputs(",\"ranges\":[", f);
		} else {
			fputc(',', f);
		}
		json_range(f, a, mode);
		prev = a->object;
	}
	fputs(prev ? "]}]}\n" : "]}\n", f);
}

static void write_text(FILE *f, const struct mseal_report *r,
		       const char *phase, size_t calls, int mode)
{
	unsigned long long bytes;
	size_t held = held_ranges(r, mode, &bytes);
	char why[256];

	fprintf(f, "libmseal: pid %d %s: ", (int)getpid(), phase);
	if (mode == LIBMSEAL_SEALING_EMULATED)
		fprintf(f, "emulated: %s; %zu objects, %zu ranges held by "
			"seccomp filter(s) (%llu bytes) after %zu emulated "
			"mseal calls, %zu skipped, %zu failed\n",
			reason_text(r, mode, why, sizeof(why)), r->objects_seen,
			held, bytes, calls, r->ranges_skipped,
			r->ranges_failed);
	else if (r->reason != LIBMSEAL_REASON_SUPPORTED)
		fprintf(f, "nothing sealed: %s; ",
			mseal_reason_string(r->reason));
	if (mode != LIBMSEAL_SEALING_EMULATED)
		fprintf(f, "%zu objects, %zu ranges sealed (%llu bytes) in %zu "
			"mseal calls, %zu skipped, %zu failed\n",
			r->objects_seen, held, bytes, calls,
			r->ranges_skipped, r->ranges_failed);
	for (size_t i = 0; i < r->n_ranges; i++) {
		const struct mseal_report_range *a = &r->ranges[i];

		fprintf(f, "libmseal:   %-14s %-6s 0x%llx-0x%llx %s",
			range_status(a, mode), kind_name(a->kind),
			(unsigned long long)a->start,
			(unsigned long long)a->end, a->object);
		if (a->error)
			fprintf(f, " (%s)", errno_name(a->error));
		fputc('\n', f);
	}
}

/* All of @len bytes, however many write(2) calls that takes. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * A report is made in memory (@m) and written with one write(2): the
 * processes of a tree append to one file (O_APPEND) at the same time, and
 * stdio would flush a long report (one JSON line of a program with 30
 * libraries is 25 KiB) in pieces that interleave with theirs.
 */
static void emit_memstream(FILE *m, char **buf, size_t *len, const char *to)
{
	int fd = STDERR_FILENO;

	/* fclose sets *buf and *len */
	if (fclose(m) != 0) {
		free(*buf);
		return;
	}
	if (to && strcmp(to, "-") != 0)
		fd = open(to, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, *buf, *len) < 0)
		fprintf(stderr, "libmseal: cannot write the report to %s: "
			"%m\n", fd == STDERR_FILENO ? "stderr" : to);
	if (fd >= 0 && fd != STDERR_FILENO)
		close(fd);
	free(*buf);
}

/* The report's format wherever it goes (a JSON line on stderr too, as the
 * startup report); a debug-only note is a text line on stderr. */
void shim_note_excluded(const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	if (shim_policy.json && shim_policy.report) {
		fprintf(m, "{\"pid\":%d,\"phase\":\"dlopen\",\"excluded\":",
			(int)getpid());
		json_string(m, name);
		fputs("}\n", m);
	} else {
		fprintf(m, "libmseal: pid %d dlopen: excluded %s\n",
			(int)getpid(), name);
	}
	emit_memstream(m, &buf, &len, shim_policy.report);
}

void shim_emit(const struct mseal_report *r, const char *phase, double usec)
{
	size_t calls = r->n_calls, len = 0;
	int mode = mseal_sealing_mode(); /* emulation (issue 6) */
	char *buf = NULL;
	FILE *m;

	if (shim_policy.debug)
		print_calls(r, mode);
	if (shim_policy.debug)
		fprintf(stderr, "libmseal: %s: %zu objects, %zu %s calls, "
			"%.1f us\n", phase, r->objects_seen, calls,
			mode == LIBMSEAL_SEALING_EMULATED ? "emulated mseal" :
							    "mseal", usec);
	if (!shim_policy.report)
		return;
	m = open_memstream(&buf, &len);
	if (!m)
		return;
	if (shim_policy.json)
		write_json(m, r, phase, calls, usec, mode);
	else
		write_text(m, r, phase, calls, mode);
	emit_memstream(m, &buf, &len, shim_policy.report);
}
