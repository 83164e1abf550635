/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Column tables for `mseal ps` and `mseal check`: one array of column
 * descriptions is the single source of truth for -o, --output-all,
 * -H/--list-columns and the libsmartcols table (util-linux style).
 */
#ifndef MSEAL_AUDIT_COLS_H
#define MSEAL_AUDIT_COLS_H

#include <stddef.h>
#include <libsmartcols.h>

#define AUDIT_COL_MAX 64

/* One column a command can show. */
struct audit_col {
	const char *name;  /* as given to -o and printed as the heading */
	double whint;      /* libsmartcols width hint */
	int flags;         /* SCOLS_FL_* */
	int json;          /* SCOLS_JSON_* */
	int by_default;    /* shown without -o */
	const char *help;  /* one line for -H */
};

/* The output options every table command shares. */
struct audit_out {
	int ids[AUDIT_COL_MAX]; /* indexes into the column array, in order */
	size_t nids;
	int json, raw, noheadings, bytes;
};

/* Fill @out->ids from the defaults. */
void audit_cols_defaults(const struct audit_col *cols, size_t ncols,
			 struct audit_out *out);

/* All columns, in table order (--output-all). */
void audit_cols_all(size_t ncols, struct audit_out *out);

/*
 * Parse a -o list: "A,B" replaces the columns, "+A,B" appends to the ones
 * already chosen. 0, or -EINVAL after printing which name is unknown.
 */
int audit_cols_parse(const struct audit_col *cols, size_t ncols,
		     const char *list, struct audit_out *out,
		     const char *cmd);

/* Index of column @name (case-insensitive), or -1. */
int audit_col_index(const struct audit_col *cols, size_t ncols,
		    const char *name);

/* Print NAME and help of every column (-H). */
void audit_cols_list(const struct audit_col *cols, size_t ncols);

/* A new table with the chosen columns, named @name in JSON; NULL on
 * ENOMEM. */
struct libscols_table *audit_table_new(const struct audit_col *cols,
				       const struct audit_out *out,
				       const char *name);

/* Position of column index @id among the chosen ones, or -1. */
int audit_out_pos(const struct audit_out *out, int id);

/* "1.5M" style size, or the exact byte count with -b; into @buf. */
const char *audit_size(const struct audit_out *out, unsigned long long bytes,
		       char *buf, size_t len);

#endif
