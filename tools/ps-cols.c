// SPDX-License-Identifier: LGPL-2.1-or-later
/* Column table of `mseal ps`: the single source for -o, -H and sorting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps-cols.h"

#define NUM SCOLS_JSON_NUMBER
#define STR SCOLS_JSON_STRING
#define R SCOLS_FL_RIGHT

const struct table_column ps_cols[PS_NCOLS] = {
	[PS_PID] = { "PID", 5, R, NUM, "process ID" },
	[PS_COMM] = { "COMM", 0.1, 0, STR, "command name (/proc/PID/comm)" },
	[PS_EXE] = { "EXE", 0.3, 0, STR, "executable (/proc/PID/exe)" },
	[PS_MAPS] = { "MAPS", 4, R, NUM, "number of mappings" },
	[PS_SEALED] = { "SEALED", 4, R, NUM, "number of sealed mappings" },
	[PS_SIZE] = { "SIZE", 5, R, NUM, "bytes mapped" },
	[PS_SEALED_SIZE] = { "SEALED-SIZE", 5, R, NUM, "bytes in sealed mappings" },
	[PS_COVERAGE] = { "COVERAGE", 5, R, NUM,
		"percent of ELF image bytes (text, rodata, RELRO, unclassified read-only) sealed" },
	[PS_TEXT] = { "TEXT", 5, R, NUM, "percent of text bytes sealed" },
	[PS_RODATA] = { "RODATA", 5, R, NUM, "percent of rodata bytes sealed" },
	[PS_RELRO] = { "RELRO", 5, R, NUM, "percent of RELRO bytes sealed" },
	[PS_TEXT_SEALED] = { "TEXT-SEALED", 5, R, NUM, "text bytes sealed" },
	[PS_TEXT_SIZE] = { "TEXT-SIZE", 5, R, NUM, "text bytes" },
	[PS_RODATA_SEALED] = { "RODATA-SEALED", 5, R, NUM, "rodata bytes sealed" },
	[PS_RODATA_SIZE] = { "RODATA-SIZE", 5, R, NUM, "rodata bytes" },
	[PS_RELRO_SEALED] = { "RELRO-SEALED", 5, R, NUM, "RELRO bytes sealed" },
	[PS_RELRO_SIZE] = { "RELRO-SIZE", 5, R, NUM, "RELRO bytes" },
	[PS_RO_SEALED] = { "RO-SEALED", 5, R, NUM,
		"read-only bytes of objects whose ELF file was unreadable, sealed" },
	[PS_RO_SIZE] = { "RO-SIZE", 5, R, NUM,
		"read-only bytes of objects whose ELF file was unreadable" },
	[PS_VDSO] = { "VDSO", 4, 0, STR,
		"[vdso] sealed: yes, no, partly, or none (no system mappings)" },
	[PS_SECCOMP] = { "SECCOMP", 3, R, NUM,
		"seccomp filters the process runs under (0: none); seals of libmseal's seccomp emulation are not counted as sealed" },
};

const char *const ps_defaults[] = {
	"PID", "COMM", "MAPS", "SEALED", "COVERAGE", "TEXT", "RODATA", "RELRO",
	"VDSO", NULL,
};

const char *ps_vdso_word(int vdso)
{
	switch (vdso) {
	case VDSO_YES: return "yes";
	case VDSO_NO: return "no";
	case VDSO_PARTLY: return "partly";
	default: return "none";
	}
}

/* Percent with one decimal, rounded down so 99.96% never shows as 100. */
static const char *percent(uint64_t part, uint64_t whole,
			   const struct table_opts *out, char *buf, size_t len)
{
	unsigned long long tenths;

	if (!whole)
		return out->json ? "" : "-";
	tenths = (unsigned long long)((long double)part * 1000 / whole);
	snprintf(buf, len, "%llu.%llu%s", tenths / 10, tenths % 10,
		 out->json || out->raw ? "" : "%");
	if (!out->json && !out->raw && tenths % 10 == 0)
		snprintf(buf, len, "%llu%%", tenths / 10);
	return buf;
}

static int class_of(int col)
{
	switch (col) {
	case PS_TEXT: case PS_TEXT_SEALED: case PS_TEXT_SIZE: return CLS_TEXT;
	case PS_RODATA: case PS_RODATA_SEALED: case PS_RODATA_SIZE: return CLS_RODATA;
	case PS_RELRO: case PS_RELRO_SEALED: case PS_RELRO_SIZE: return CLS_RELRO;
	default: return CLS_RO;
	}
}

const char *ps_cell(const struct proc_info *pi, int col,
		    const struct table_opts *out, char *buf, size_t len)
{
	int cls = class_of(col);

	switch (col) {
	case PS_PID: snprintf(buf, len, "%d", pi->pid); return buf;
	case PS_COMM: return pi->comm;
	case PS_EXE: return pi->exe;
	case PS_MAPS: snprintf(buf, len, "%lu", pi->maps); return buf;
	case PS_SEALED: snprintf(buf, len, "%lu", pi->sealed_maps); return buf;
	case PS_SIZE: return table_short_size(out, pi->mapped, buf, len);
	case PS_SEALED_SIZE: return table_short_size(out, pi->sealed_bytes, buf, len);
	case PS_COVERAGE:
		return percent(proc_image_sealed(pi), proc_image_total(pi),
			       out, buf, len);
	case PS_TEXT: case PS_RODATA: case PS_RELRO:
		return percent(pi->sealed[cls], pi->total[cls], out, buf, len);
	case PS_TEXT_SEALED: case PS_RODATA_SEALED: case PS_RELRO_SEALED:
	case PS_RO_SEALED:
		return table_short_size(out, pi->sealed[cls], buf, len);
	case PS_TEXT_SIZE: case PS_RODATA_SIZE: case PS_RELRO_SIZE:
	case PS_RO_SIZE:
		return table_short_size(out, pi->total[cls], buf, len);
	case PS_VDSO: return ps_vdso_word(pi->vdso);
	case PS_SECCOMP:
		if (pi->seccomp_mode < 0 || pi->seccomp_filters < 0)
			return out->json ? "" : "-";
		snprintf(buf, len, "%d", pi->seccomp_filters);
		return buf;
	}
	return "";
}

/* A number to sort by; -1 for "no data" so it sorts first. */
static long double sort_key(const struct proc_info *pi, int col)
{
	int cls = class_of(col);
	uint64_t whole;

	switch (col) {
	case PS_PID: return pi->pid;
	case PS_MAPS: return pi->maps;
	case PS_SEALED: return pi->sealed_maps;
	case PS_SIZE: return pi->mapped;
	case PS_SEALED_SIZE: return pi->sealed_bytes;
	case PS_COVERAGE:
		whole = proc_image_total(pi);
		return whole ? (long double)proc_image_sealed(pi) / whole : -1;
	case PS_TEXT: case PS_RODATA: case PS_RELRO:
		return pi->total[cls] ? (long double)pi->sealed[cls] / pi->total[cls] : -1;
	case PS_TEXT_SEALED: case PS_RODATA_SEALED: case PS_RELRO_SEALED:
	case PS_RO_SEALED:
		return pi->sealed[cls];
	case PS_TEXT_SIZE: case PS_RODATA_SIZE: case PS_RELRO_SIZE:
	case PS_RO_SIZE:
		return pi->total[cls];
	case PS_VDSO: return pi->vdso;
	case PS_SECCOMP: return pi->seccomp_mode < 0 ? -1 : pi->seccomp_filters;
	}
	return 0;
}

static int sort_col;

static int cmp_proc(const void *a, const void *b)
{
	const struct proc_info *x = a, *y = b;
	long double kx, ky;
	int c;

	if (sort_col == PS_COMM || sort_col == PS_EXE) {
		c = sort_col == PS_COMM ? strcmp(x->comm, y->comm) :
					  strcmp(x->exe, y->exe);
	} else {
		kx = sort_key(x, sort_col);
		ky = sort_key(y, sort_col);
		c = kx < ky ? -1 : kx > ky;
	}
	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

void ps_sort(struct proc_info *v, size_t n, int col)
{
	sort_col = col;
	qsort(v, n, sizeof(*v), cmp_proc);
}
