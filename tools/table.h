/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Table output shared by the listing commands (maps, ps, check, probe):
 * a thin layer over libsmartcols with util-linux's conventions. A command
 * describes its columns once, in an array of struct table_column; that
 * array is the single source of truth for --help, -H/--list-columns, -o
 * parsing and the table itself.
 */
#ifndef MSEAL_TABLE_H
#define MSEAL_TABLE_H

#include <stdint.h>
#include <stdio.h>

#include <libsmartcols.h>

/* More than any command has: -o shows each column once (see
 * table_columns_parse), so every command's columns fit. */
#define TABLE_MAX_SELECTED 64

/* One column a command can show. */
struct table_column {
	const char *name;  /* header and -o name (matched case-insensitively) */
	double whint;      /* libsmartcols width hint */
	int flags;         /* SCOLS_FL_* */
	int json_type;     /* SCOLS_JSON_STRING, _NUMBER or _BOOLEAN */
	const char *help;  /* one line for --help and -H */
};

/* The columns a command describes, and which of them are shown. */
struct table_columns {
	const struct table_column *all;
	size_t n_all;
	size_t shown[TABLE_MAX_SELECTED]; /* indexes into @all, in order */
	size_t n_shown;
	/* -o skips empty names ("A,,B") and may leave no column, as
	 * `mseal ps` and `mseal check` always have; 0 after init. */
	int skip_empty;
};

/* util-linux output switches: -J, -r, -n, -b. */
struct table_opts {
	int json;
	int raw;
	int noheadings;
	int bytes; /* sizes in bytes; always so with json */
};

/* Show the columns named in @defaults (NULL-terminated). 0 or -EINVAL. */
int table_columns_init(struct table_columns *cols,
		       const struct table_column *all, size_t n_all,
		       const char *const *defaults);

/*
 * Apply an -o argument: "A,B" replaces the shown columns, "+A,B" appends
 * to them. A column named twice, or appended while shown, stays where it
 * first appears and is shown once: lsblk accepts "-o NAME,NAME" too, but
 * shows it twice, and with -J writes the key twice in one object.
 * Return: 0, -EINVAL (unknown name: *ret_bad points at it inside @list),
 * -E2BIG (too many columns).
 */
int table_columns_parse(struct table_columns *cols, const char *list,
			const char **ret_bad, size_t *ret_badlen);

/* Index of the column named @name (case-insensitive), or -1. */
int table_column_find(const struct table_column *all, size_t n_all,
		      const char *name);

/* --output-all: every column, in the order of the description. */
void table_columns_all(struct table_columns *cols);

/* One line per column: @indent, the name right-aligned in @width or in
 * the longest name's width when wider (so every help starts in the same
 * place), two spaces, its help. */
void table_columns_describe(FILE *out, const struct table_column *all,
			    size_t n_all, const char *indent, int width);

/* The "Available output columns:" block of --help. */
void table_columns_help(FILE *out, const struct table_column *all,
			size_t n_all);

/* -H/--list-columns: one row per column (name, type, description),
 * honouring -J and -r. Return: 0 or -errno. */
int table_columns_list(const struct table_column *all, size_t n_all,
		       const struct table_opts *opts);

/* A new table named @name (the JSON key) with the shown columns.
 * NULL on allocation failure. */
struct libscols_table *table_new(const char *name,
				 const struct table_columns *cols,
				 const struct table_opts *opts);

/* Set cell @pos of @line to a printf-formatted string. 0 or -errno. */
int table_cell(struct libscols_line *line, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set cell @pos to a copy of @text. 0 or -errno. */
int table_cell_text(struct libscols_line *line, size_t pos, const char *text);

/*
 * Set cell @pos to a path as the kernel printed it. Paths are bytes, not
 * text: with -J, bytes that are not UTF-8 are written as the four
 * characters "\xHH" so the document stays valid JSON (libsmartcols copies
 * bytes through). Other output shows the path unchanged. 0 or -errno.
 */
int table_cell_path(struct libscols_line *line, size_t pos, const char *path,
		    const struct table_opts *opts);

/*
 * @text from outside the program (a path, a process's COMM: any bytes but
 * NUL) as a libsmartcols table prints it, by libsmartcols itself: under
 * the current locale, what is not printable (control characters such as
 * ESC, bytes that are not valid characters) becomes "\xHH", and a
 * backslash before 'x' becomes "\x5c". For text outside a table (the
 * page view, warnings) that must read as `mseal maps` shows the same
 * bytes. A new string for free(), or NULL when out of memory.
 */
char *table_text_escape(const char *text);

/*
 * Write @text to @out as one quoted JSON string holding what
 * table_cell_path() gives with -J: bytes that are not UTF-8 as "\xHH"
 * (path-escape.h), the rest JSON-escaped.
 */
void table_json_fputs(FILE *out, const char *text);

/* Set cell @pos to @v in decimal. 0 or -errno. */
int table_cell_u64(struct libscols_line *line, size_t pos, uint64_t v);

/* Set cell @pos to a size: bytes with -b or -J, else "4K", "1.5M"... */
int table_cell_size(struct libscols_line *line, size_t pos, uint64_t bytes,
		    const struct table_opts *opts);

/* Set cell @pos to an address: lowercase "0x..." hex. */
int table_cell_addr(struct libscols_line *line, size_t pos, uint64_t addr);

/* Set cell @pos to a boolean: "1" or "0" (true/false in JSON). */
int table_cell_bool(struct libscols_line *line, size_t pos, int value);

/*
 * @bytes into @buf as `mseal ps` and `mseal check` show sizes: the exact
 * count with -b or -J, else "512B", "1.5M" (one decimal only below 10
 * units, and only when its truncated tenth is not 0), "12M". Returns @buf.
 */
const char *table_short_size(const struct table_opts *opts, uint64_t bytes,
			     char *buf, size_t len);

/* @bytes as lsblk shows sizes: "0B", "512B", "4K", "1.5M", "32T". */
void table_human_size(uint64_t bytes, char *buf, size_t size);

/*
 * Print @n tables to stdout. As text, one after the other with a blank
 * line between; with JSON, one document holding each table's array under
 * its name. Return: 0 or -errno.
 */
int table_print(struct libscols_table *const *tables, size_t n,
		const struct table_opts *opts);

#endif
