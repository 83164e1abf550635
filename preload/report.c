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
static void print_calls(const struct mseal_report *r)
{
	for (size_t i = 0; i < r->n_calls; i++) {
		const struct mseal_report_call *c = &r->calls[i];
		unsigned long long start = c->start;
		unsigned long long len = c->end - c->start;

		if (c->error == 0)
			fprintf(stderr, "libmseal: mseal(0x%llx, %llu, 0) = 0 %s\n",
				start, len, call_object(r, c));
		else
			fprintf(stderr, "libmseal: mseal(0x%llx, %llu, 0) = -1 "
				"%s (%s) %s\n", start, len, errno_name(c->error),
				strerror(-c->error), call_object(r, c));
	}
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_range(FILE *f, const struct mseal_report_range *a)
{
	fprintf(f, "{\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"kind\":\"%s\","
		"\"status\":\"%s\",\"error\":",
		(unsigned long long)a->start, (unsigned long long)a->end,
		kind_name(a->kind), skip_name(a->skip));
	if (a->error)
		fprintf(f, "\"%s\"}", errno_name(a->error));
	else
		fputs("null}", f);
}

static void write_json(FILE *f, const struct mseal_report *r,
		       const char *phase, size_t calls, double usec)
{
	const char *prev = NULL;

	fprintf(f, "{\"pid\":%d,\"phase\":\"%s\",\"supported\":%s,"
		"\"reason\":", (int)getpid(), phase,
		r->reason == LIBMSEAL_REASON_SUPPORTED ? "true" : "false");
	json_string(f, mseal_reason_string(r->reason));
	fprintf(f, ",\"objects_seen\":%zu,\"ranges_sealed\":%zu,"
		"\"bytes_sealed\":%llu,\"ranges_skipped\":%zu,"
		"\"ranges_failed\":%zu,\"status\":%d,\"mseal_calls\":%zu,"
		"\"usec\":%.1f,\"objects\":[", r->objects_seen,
		r->ranges_sealed, (unsigned long long)r->bytes_sealed,
		r->ranges_skipped, r->ranges_failed, r->status, calls, usec);
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
		json_range(f, a);
		prev = a->object;
	}
	fputs(prev ? "]}]}\n" : "]}\n", f);
}

static void write_text(FILE *f, const struct mseal_report *r,
		       const char *phase, size_t calls)
{
	fprintf(f, "libmseal: pid %d %s: ", (int)getpid(), phase);
	if (r->reason != LIBMSEAL_REASON_SUPPORTED)
		fprintf(f, "nothing sealed: %s; ",
			mseal_reason_string(r->reason));
	fprintf(f, "%zu objects, %zu ranges sealed (%llu bytes) in %zu mseal "
		"calls, %zu skipped, %zu failed\n", r->objects_seen,
		r->ranges_sealed, (unsigned long long)r->bytes_sealed, calls,
		r->ranges_skipped, r->ranges_failed);
	for (size_t i = 0; i < r->n_ranges; i++) {
		const struct mseal_report_range *a = &r->ranges[i];

		fprintf(f, "libmseal:   %-14s %-6s 0x%llx-0x%llx %s",
			skip_name(a->skip), kind_name(a->kind),
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
	char *buf = NULL;
	FILE *m;

	if (shim_policy.debug)
		print_calls(r);
	if (shim_policy.debug)
		fprintf(stderr, "libmseal: %s: %zu objects, %zu mseal calls, "
			"%.1f us\n", phase, r->objects_seen, calls, usec);
	if (!shim_policy.report)
		return;
	m = open_memstream(&buf, &len);
	if (!m)
		return;
	if (shim_policy.json)
		write_json(m, r, phase, calls, usec);
	else
		write_text(m, r, phase, calls);
	emit_memstream(m, &buf, &len, shim_policy.report);
}
