// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal maps PID|self`: a process's mappings with their seal and paging
 * state, then a summary per mapped file. Reads <proc-root>/PID/smaps with
 * the library's maps reader; prints with libsmartcols (tools/table.c).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "seccomp-status.h"
#include "libmseal.h"
#include "maps-classes.h"
#include "objects.h"
#include "pages.h"
#include "table.h"

/* Mapping columns; the order here is --output-all's order. */
enum {
	COL_START, COL_END, COL_SIZE, COL_PERMS, COL_OFFSET, COL_DEV,
	COL_INODE, COL_SEALED, COL_RSS, COL_SWAP, COL_LOCKED, COL_VMFLAGS,
	COL_DELETED, COL_PATH,
};

#define R SCOLS_FL_RIGHT
static const struct table_column map_columns[] = {
	[COL_START] = { "START", 14, R, SCOLS_JSON_STRING,
			"first address of the mapping (hex)" },
	[COL_END] = { "END", 14, R, SCOLS_JSON_STRING,
		      "address after the mapping's last byte (hex)" },
	[COL_SIZE] = { "SIZE", 5, R, SCOLS_JSON_NUMBER,
		       "size of the mapping" },
	[COL_PERMS] = { "PERMS", 4, 0, SCOLS_JSON_STRING,
			"permissions: r w x, then p(rivate) or s(hared)" },
	[COL_OFFSET] = { "OFFSET", 8, R, SCOLS_JSON_NUMBER,
			 "offset into the mapped file (hex; bytes in JSON)" },
	[COL_DEV] = { "DEV", 5, 0, SCOLS_JSON_STRING,
		      "device of the mapped file, major:minor in decimal" },
	[COL_INODE] = { "INODE", 5, R, SCOLS_JSON_NUMBER,
			"inode of the mapped file (0: anonymous)" },
	[COL_SEALED] = { "SEALED", 1, R, SCOLS_JSON_BOOLEAN,
			 "1 when sealed (\"sl\" in VmFlags)" },
	[COL_RSS] = { "RSS", 5, R, SCOLS_JSON_NUMBER,
		      "resident memory of the mapping" },
	[COL_SWAP] = { "SWAP", 5, R, SCOLS_JSON_NUMBER,
		       "swapped-out memory of the mapping" },
	[COL_LOCKED] = { "LOCKED", 5, R, SCOLS_JSON_NUMBER,
			 "locked (mlock) memory of the mapping" },
	[COL_VMFLAGS] = { "VMFLAGS", 0.2, 0, SCOLS_JSON_STRING,
			  "the kernel's VmFlags codes" },
	[COL_DELETED] = { "DELETED", 1, R, SCOLS_JSON_BOOLEAN,
			  "1 when the mapped file was deleted" },
	[COL_PATH] = { "PATH", 0.3, SCOLS_FL_NOEXTREMES, SCOLS_JSON_STRING,
		       "mapped file or [pseudo-path], as the kernel prints it" },
};

static const char *const map_defaults[] = {
	"START", "END", "SIZE", "PERMS", "SEALED", "RSS", "SWAP", "PATH", NULL,
};

/* Summary columns (always all shown). */
enum { OCOL_OBJECT, OCOL_MAPS, OCOL_SEALED, OCOL_RX, OCOL_RO, OCOL_RW };

static const struct table_column obj_columns[] = {
	[OCOL_OBJECT] = { "OBJECT", 0.3, SCOLS_FL_NOEXTREMES,
			  SCOLS_JSON_STRING, "mapped file" },
	[OCOL_MAPS] = { "MAPS", 3, R, SCOLS_JSON_NUMBER,
			"number of its mappings" },
	[OCOL_SEALED] = { "SEALED", 3, R, SCOLS_JSON_NUMBER,
			  "number of its mappings that are sealed" },
	[OCOL_RX] = { "R-X", 5, R, SCOLS_JSON_NUMBER,
		      "size of its r-x mappings (code)" },
	[OCOL_RO] = { "R--", 5, R, SCOLS_JSON_NUMBER,
		      "size of its r-- mappings (read-only data, RELRO)" },
	[OCOL_RW] = { "RW-", 5, R, SCOLS_JSON_NUMBER,
		      "size of its rw- mappings (data, bss)" },
};
#undef R

static const char *const obj_all[] = {
	"OBJECT", "MAPS", "SEALED", "R-X", "R--", "RW-", NULL,
};

#define N_MAP_COLUMNS (sizeof(map_columns) / sizeof(map_columns[0]))
#define N_OBJ_COLUMNS (sizeof(obj_columns) / sizeof(obj_columns[0]))

enum { OPT_OUTPUT_ALL = 256, OPT_PROC_ROOT, OPT_CLASSES, OPT_RANGE };

static void usage(FILE *out)
{
	fputs("Usage: mseal maps [options] PID|self\n\n"
	      "Show a process's mappings with their seal and paging state,\n"
	      "then a summary per mapped file.\n\n"
	      "Options:\n"
	      " -o, --output LIST     columns to show (+LIST adds to the "
	      "defaults)\n"
	      "     --output-all      show every column\n"
	      " -J, --json            one JSON document (sizes in bytes)\n"
	      " -r, --raw             raw output\n"
	      " -n, --noheadings      no column headings\n"
	      " -b, --bytes           sizes in bytes, not human-readable\n"
	      " -H, --list-columns    list the columns and exit\n"
	      "     --proc-root DIR   read DIR/PID/smaps (default /proc)\n"
	      "     --classes         classify each mapping from the ELF files\n"
	      "                       (CLASS column; bytes per class in the summary)\n"
	      "     --pages           draw every page instead (see --pages --help)\n"
	      " -h, --help            show this help and exit\n", out);
	table_columns_help(out, map_columns, N_MAP_COLUMNS);
	fputs("\nSummary columns (one row per mapped file):\n", out);
	table_columns_describe(out, obj_columns, N_OBJ_COLUMNS, " ", 8);
	fputs("\nSee mseal(1).\n", out);
}

static int map_cell(struct libscols_line *ln, size_t pos, size_t col,
		    const struct mseal_region *r, const struct table_opts *o)
{
	switch (col) {
	case COL_START:
		return table_cell_addr(ln, pos, r->start);
	case COL_END:
		return table_cell_addr(ln, pos, r->end);
	case COL_SIZE:
		return table_cell_size(ln, pos, r->end - r->start, o);
	case COL_PERMS:
		return table_cell_text(ln, pos, r->perms);
	case COL_OFFSET:
		if (o->json)
			return table_cell_u64(ln, pos, r->offset);
		return table_cell_addr(ln, pos, r->offset);
	case COL_DEV:
		return table_cell(ln, pos, "%u:%u", r->dev_major, r->dev_minor);
	case COL_INODE:
		return table_cell_u64(ln, pos, r->inode);
	case COL_SEALED:
		return table_cell_bool(ln, pos, r->sealed);
	case COL_RSS:
		return table_cell_size(ln, pos, r->rss, o);
	case COL_SWAP:
		return table_cell_size(ln, pos, r->swap, o);
	case COL_LOCKED:
		return table_cell_size(ln, pos, r->locked, o);
	case COL_VMFLAGS:
		return table_cell_text(ln, pos, r->vmflags);
	case COL_DELETED:
		return table_cell_bool(ln, pos, r->deleted);
	case COL_PATH:
		return table_cell_path(ln, pos, r->path, o);
	}
	return -EINVAL;
}

static int obj_cell(struct libscols_line *ln, size_t col,
		    const struct object_summary *ob, const struct table_opts *o)
{
	switch (col) {
	case OCOL_OBJECT:
		return table_cell_path(ln, col, ob->path, o);
	case OCOL_MAPS:
		return table_cell_u64(ln, col, ob->mappings);
	case OCOL_SEALED:
		return table_cell_u64(ln, col, ob->sealed);
	case OCOL_RX:
		return table_cell_size(ln, col, ob->bytes_rx, o);
	case OCOL_RO:
		return table_cell_size(ln, col, ob->bytes_ro, o);
	case OCOL_RW:
		return table_cell_size(ln, col, ob->bytes_rw, o);
	}
	return -EINVAL;
}

/* One row per mapping into @tb; every file mapping counted into @objs. */
static int fill_mappings(struct libscols_table *tb,
			 const struct table_columns *cols,
			 struct mseal_maps *maps, struct objects *objs,
			 const struct table_opts *o, struct maps_classes *mc,
			 size_t class_pos, size_t *n_rows)
{
	const struct mseal_region *r;
	int rc;

	while ((rc = mseal_maps_next(maps, &r)) == 1) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			return -ENOMEM;
		(*n_rows)++;
		for (size_t i = 0; i < cols->n_shown; i++) {
			rc = map_cell(ln, i, cols->shown[i], r, o);
			if (rc)
				return rc;
		}
		rc = objects_add(objs, r);
		if (!rc && mc)
			rc = maps_classes_region(mc, ln, class_pos, r, objs);
		if (rc)
			return rc;
	}
	return rc;
}

static int fill_objects(struct libscols_table *tb, const struct objects *objs,
			const struct table_opts *o,
			const struct maps_classes *mc)
{
	for (size_t i = 0; i < objs->n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			return -ENOMEM;
		for (size_t c = 0; c < N_OBJ_COLUMNS; c++) {
			int rc = obj_cell(ln, c, &objs->v[i], o);

			if (rc)
				return rc;
		}
		if (mc && maps_classes_object(mc, ln, N_OBJ_COLUMNS, i, o))
			return -ENOMEM;
	}
	return 0;
}

/* Read the process and print both tables; *n_rows gets the number of
 * mappings. 0 or -errno. */
static int show(struct mseal_maps *maps, const struct table_columns *cols,
		const struct table_opts *o, struct maps_classes *mc,
		size_t *n_rows)
{
	struct table_columns ocols;
	struct libscols_table *tables[2] = { NULL, NULL };
	struct objects objs = { 0 };
	size_t class_pos = 0;
	int rc = -ENOMEM;

	table_columns_init(&ocols, obj_columns, N_OBJ_COLUMNS, obj_all);
	tables[0] = table_new("mappings", cols, o);
	tables[1] = table_new("objects", &ocols, o);
	if (!tables[0] || !tables[1])
		goto out;
	if (mc && maps_classes_columns(tables[0], tables[1], &class_pos))
		goto out;
	rc = fill_mappings(tables[0], cols, maps, &objs, o, mc, class_pos,
			   n_rows);
	if (!rc)
		rc = fill_objects(tables[1], &objs, o, mc);
	/* Text output leaves out an empty summary; JSON always has both. */
	if (!rc)
		rc = table_print(tables, objs.n || o->json ? 2 : 1, o);
out:
	scols_unref_table(tables[0]);
	scols_unref_table(tables[1]);
	objects_clear(&objs);
	return rc;
}

/*
 * Emulated seals (LIBMSEAL_FALLBACK=seccomp) carry no "sl" flag; a seccomp
 * filter is their only outside sign, so the text output names it.
 */
static void print_seccomp(const char *proc_root, int pid)
{
	int mode, filters;

	if (seccomp_status(proc_root, pid, &mode, &filters) || mode != 2)
		return;
	if (filters >= 0)
		printf("\nseccomp: filter mode, %d filter%s (seals made by "
		       "libmseal's seccomp emulation show no SEALED flag)\n",
		       filters, filters == 1 ? "" : "s");
	else
		printf("\nseccomp: filter mode (seals made by libmseal's "
		       "seccomp emulation show no SEALED flag)\n");
}

/*
 * Why a process has no mappings: it has no memory of its own. A kernel
 * thread never had any (PF_KTHREAD in the flags of its stat file); a
 * zombie, or a process on its way out, has already dropped it.
 */
static const char *no_mappings_why(const char *proc_root, int pid)
{
	char path[4096], buf[1024];
	unsigned long flags;
	const char *p;
	char state;
	FILE *f;
	size_t n;

	cli_proc_path(path, sizeof(path), proc_root, pid, "stat");
	f = fopen(path, "re");
	if (!f)
		return "kernel thread or zombie";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "PID (COMM) STATE PPID PGRP SESSION TTY TPGID FLAGS ...": COMM
	 * may hold ") ", so the fields start after the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %lu", &state,
			 &flags) != 2)
		return "kernel thread or zombie";
	if (flags & 0x00200000) /* PF_KTHREAD */
		return "kernel thread";
	if (state == 'Z')
		return "zombie";
	if (flags & 0x00000004) /* PF_EXITING */
		return "exiting";
	return "kernel thread or zombie";
}

/* Parse the options; 0 to go on, else the exit status + 1. */
static int parse_options(int argc, char **argv, struct table_columns *cols,
			 struct table_opts *o, const char **proc_root,
			 int *classes)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
		{ "classes", no_argument, NULL, OPT_CLASSES },
		/* Known only to say it belongs to the page view. */
		{ "range", required_argument, NULL, OPT_RANGE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, list = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:JrnbHh", longopts,
				NULL)) != -1) {
		if (cli_output_switch(c, o) == 0)
			continue;
		if (c == 'o' && cli_columns_parse("maps", cols, optarg, "")) {
			return MSEAL_EXIT_FAILURE + 1;
		} else if (c == OPT_OUTPUT_ALL) {
			table_columns_all(cols);
		} else if (c == 'H') {
			list = 1;
		} else if (c == OPT_PROC_ROOT) {
			*proc_root = optarg;
		} else if (c == OPT_CLASSES) {
			*classes = 1;
		} else if (c == OPT_RANGE) {
			cli_error("maps: --range needs --pages");
			return MSEAL_EXIT_FAILURE + 1;
		} else if (c == 'h') {
			usage(stdout);
			return MSEAL_EXIT_OK + 1;
		} else if (c != 'o') {
			cli_option_error("maps", c, argv);
			return MSEAL_EXIT_FAILURE + 1;
		}
	}
	if (o->json && o->raw) {
		/* As lsblk(8); libsmartcols refuses both at print time. */
		cli_error("maps: mutually exclusive arguments: --json --raw");
		return MSEAL_EXIT_FAILURE + 1;
	}
	if (list)
		return cli_list_columns("maps", map_columns, N_MAP_COLUMNS,
					o) + 1;
	return 0;
}

int cmd_maps(int argc, char **argv)
{
	struct table_columns cols;
	struct table_opts o = { 0 };
	const char *proc_root = NULL;
	struct mseal_maps *maps = NULL;
	struct maps_classes *mc = NULL;
	int pid, rc, classes = 0;
	size_t n_rows = 0;

	if (pages_requested(argc, argv))
		return cmd_maps_pages(argc, argv);
	table_columns_init(&cols, map_columns, N_MAP_COLUMNS, map_defaults);
	rc = parse_options(argc, argv, &cols, &o, &proc_root, &classes);
	if (rc)
		return rc - 1;
	if (optind + 1 != argc) {
		cli_error("maps: expected one PID or 'self'; see "
			  "'mseal maps --help'");
		return MSEAL_EXIT_FAILURE;
	}
	if (cli_parse_pid(argv[optind], &pid)) {
		cli_error("maps: invalid PID '%s'", argv[optind]);
		return MSEAL_EXIT_FAILURE;
	}
	if (proc_root && cli_proc_root_check("maps", proc_root, pid))
		return MSEAL_EXIT_FAILURE;
	rc = mseal_maps_open(pid, proc_root, 0, &maps);
	if (rc == -EAGAIN) {
		cli_error("maps: cannot read the mappings of %s: they kept "
			  "changing while being read", argv[optind]);
		return MSEAL_EXIT_FAILURE;
	}
	if (rc == -EINVAL) {
		cli_error("maps: cannot read the mappings of %s: smaps has a "
			  "line that is not smaps syntax", argv[optind]);
		return MSEAL_EXIT_FAILURE;
	}
	if (rc) {
		cli_error_errno(rc, "maps: cannot read the mappings of %s",
				argv[optind]);
		return MSEAL_EXIT_FAILURE;
	}
	if (classes && !(mc = maps_classes_new(pid, proc_root))) {
		mseal_maps_free(maps);
		cli_error_errno(ENOMEM, "maps");
		return MSEAL_EXIT_FAILURE;
	}
	rc = show(maps, &cols, &o, mc, &n_rows);
	maps_classes_free(mc);
	mseal_maps_free(maps);
	if (rc) {
		cli_error_errno(rc, "maps: cannot print the mappings of %s",
				argv[optind]);
		return MSEAL_EXIT_FAILURE;
	}
	/* An empty table would say nothing at all: say why on stderr (stdout
	 * keeps the empty table or document), and exit 0 as the process was
	 * read. */
	if (n_rows == 0)
		cli_error("maps: PID %s has no mappings (%s)", argv[optind],
			  no_mappings_why(proc_root, pid));
	if (!o.json && !o.raw && !o.noheadings)
		print_seccomp(proc_root, pid);
	return MSEAL_EXIT_OK;
}
