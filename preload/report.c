// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The shim's output: LIBMSEAL_DEBUG lines (one per mseal call, naming the
 * call and the errno: field report R05) and the report LIBMSEAL_REPORT asks
 * for, as text or as one JSON document per line (one per process, so a
 * process tree appending to one file gives JSON Lines).
 */
#include <fcntl.h>
#include <stdio.h>
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

void shim_note_excluded(const char *name)
{
	FILE *f = stderr;

	if (shim_policy.report && strcmp(shim_policy.report, "-") != 0)
		f = fopen(shim_policy.report, "ae");
	if (!f)
		return;
	if (shim_policy.json && f != stderr) {
		fprintf(f, "{\"pid\":%d,\"phase\":\"dlopen\",\"excluded\":",
			(int)getpid());
		json_string(f, name);
		fputs("}\n", f);
	} else {
		fprintf(f, "libmseal: pid %d dlopen: excluded %s\n",
			(int)getpid(), name);
	}
	if (f != stderr)
		fclose(f);
}

void shim_emit(const struct mseal_report *r, const char *phase, double usec)
{
	size_t calls = r->n_calls;
	FILE *f = stderr;
	int fd = -1;

	if (shim_policy.debug)
		print_calls(r);
	if (shim_policy.debug)
		fprintf(stderr, "libmseal: %s: %zu objects, %zu mseal calls, "
			"%.1f us\n", phase, r->objects_seen, calls, usec);
	if (!shim_policy.report)
		return;
	if (strcmp(shim_policy.report, "-") != 0) {
		fd = open(shim_policy.report,
			  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		f = fd >= 0 ? fdopen(fd, "a") : NULL;
		if (!f) {
			if (fd >= 0)
				close(fd);
			fprintf(stderr, "libmseal: cannot write the report "
				"to %s: %m\n", shim_policy.report);
			return;
		}
	}
	if (shim_policy.json)
		write_json(f, r, phase, calls, usec);
	else
		write_text(f, r, phase, calls);
	if (f != stderr)
		fclose(f);
	else
		fflush(f);
}
