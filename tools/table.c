// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libsmartcols tables with util-linux's conventions (-o/+COL, --output-all,
 * -H, -J, -r, -n, -b), driven by each command's column description.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "path-escape.h"
#include "table.h"

/* 1 when the @len bytes of @a and @b are equal but for ASCII case.
 * Not strncasecmp(): under a Turkish locale it keeps 'I' apart from 'i',
 * and "-o size" would no longer find SIZE. */
static int ascii_caseeq(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

static int find_column(const struct table_column *all, size_t n_all,
		       const char *name, size_t len)
{
	for (size_t i = 0; i < n_all; i++)
		if (strlen(all[i].name) == len &&
		    ascii_caseeq(all[i].name, name, len))
			return (int)i;
	return -1;
}

int table_columns_init(struct table_columns *cols,
		       const struct table_column *all, size_t n_all,
		       const char *const *defaults)
{
	cols->all = all;
	cols->n_all = n_all;
	cols->n_shown = 0;
	cols->skip_empty = 0;
	for (; *defaults; defaults++) {
		int id = find_column(all, n_all, *defaults, strlen(*defaults));

		if (id < 0 || cols->n_shown == TABLE_MAX_SELECTED)
			return -EINVAL;
		cols->shown[cols->n_shown++] = (size_t)id;
	}
	return 0;
}

/* 1 when column @id is among those @cols shows. A JSON object cannot
 * hold one key twice (RFC 8259 leaves what a parser does with it open),
 * so a column is shown once whatever -o names. */
static int column_shown(const struct table_columns *cols, size_t id)
{
	for (size_t i = 0; i < cols->n_shown; i++)
		if (cols->shown[i] == id)
			return 1;
	return 0;
}

int table_columns_parse(struct table_columns *cols, const char *list,
			const char **ret_bad, size_t *ret_badlen)
{
	struct table_columns next = *cols;
	const char *p = list;

	if (*p == '+')
		p++;
	else
		next.n_shown = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int id;

		if (len == 0 && cols->skip_empty) {
			p++;
			continue;
		}
		id = find_column(cols->all, cols->n_all, p, len);
		if (id < 0) {
			*ret_bad = p;
			*ret_badlen = len;
			return -EINVAL;
		}
		if (!column_shown(&next, (size_t)id)) {
			if (next.n_shown == TABLE_MAX_SELECTED)
				return -E2BIG;
			next.shown[next.n_shown++] = (size_t)id;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (next.n_shown == 0 && !cols->skip_empty) {
		*ret_bad = list;
		*ret_badlen = strlen(list);
		return -EINVAL;
	}
	*cols = next;
	return 0;
}

int table_column_find(const struct table_column *all, size_t n_all,
		      const char *name)
{
	return find_column(all, n_all, name, strlen(name));
}

void table_columns_all(struct table_columns *cols)
{
	cols->n_shown = 0;
	for (size_t i = 0; i < cols->n_all && i < TABLE_MAX_SELECTED; i++)
		cols->shown[cols->n_shown++] = i;
}

void table_columns_describe(FILE *out, const struct table_column *all,
			    size_t n_all, const char *indent, int width)
{
	for (size_t i = 0; i < n_all; i++)
		if ((int)strlen(all[i].name) > width)
			width = (int)strlen(all[i].name);
	for (size_t i = 0; i < n_all; i++)
		fprintf(out, "%s%*s  %s\n", indent, width, all[i].name,
			all[i].help);
}

void table_columns_help(FILE *out, const struct table_column *all,
			size_t n_all)
{
	fputs("\nAvailable output columns:\n", out);
	table_columns_describe(out, all, n_all, " ", 8);
}

static const char *json_type_name(int type)
{
	switch (type) {
	case SCOLS_JSON_NUMBER:
		return "<integer>";
	case SCOLS_JSON_BOOLEAN:
		return "<boolean>";
	default:
		return "<string>";
	}
}

int table_columns_list(const struct table_column *all, size_t n_all,
		       const struct table_opts *opts)
{
	static const struct table_column list_cols[] = {
		{ "NAME", 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, "" },
		{ "TYPE", 0, 0, SCOLS_JSON_STRING, "" },
		{ "DESCRIPTION", 0, 0, SCOLS_JSON_STRING, "" },
	};
	static const char *const names[] = { "NAME", "TYPE", "DESCRIPTION",
					     NULL };
	struct table_columns cols;
	struct table_opts o = *opts;
	struct libscols_table *tb;
	int rc = 0;

	table_columns_init(&cols, list_cols, 3, names);
	/* As util-linux: the column list is headerless unless JSON. */
	o.noheadings = 1;
	tb = table_new("columns", &cols, &o);
	if (!tb)
		return -ENOMEM;
	for (size_t i = 0; i < n_all && rc == 0; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln) {
			rc = -ENOMEM;
			break;
		}
		rc = table_cell(ln, 0, "%s", all[i].name);
		if (!rc)
			rc = table_cell(ln, 1, "%s",
					json_type_name(all[i].json_type));
		if (!rc)
			rc = table_cell(ln, 2, "%s", all[i].help);
	}
	if (!rc)
		rc = table_print(&tb, 1, &o);
	scols_unref_table(tb);
	return rc;
}

struct libscols_table *table_new(const char *name,
				 const struct table_columns *cols,
				 const struct table_opts *opts)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	if (scols_table_set_name(tb, name) ||
	    scols_table_enable_json(tb, opts->json) ||
	    scols_table_enable_raw(tb, opts->raw) ||
	    scols_table_enable_noheadings(tb, opts->noheadings))
		goto fail;
	for (size_t i = 0; i < cols->n_shown; i++) {
		const struct table_column *c = &cols->all[cols->shown[i]];
		struct libscols_column *cl;

		cl = scols_table_new_column(tb, c->name, c->whint, c->flags);
		if (!cl || scols_column_set_json_type(cl, c->json_type))
			goto fail;
	}
	return tb;
fail:
	scols_unref_table(tb);
	return NULL;
}

/* Hand @text (malloc'd) to the line, which frees it; freed on failure. */
static int cell_give(struct libscols_line *line, size_t pos, char *text)
{
	int rc;

	if (!text)
		return -ENOMEM;
	rc = scols_line_refer_data(line, pos, text);
	if (rc) {
		free(text);
		return rc < 0 ? rc : -EINVAL;
	}
	return 0;
}

int table_cell(struct libscols_line *line, size_t pos, const char *fmt, ...)
{
	va_list ap;
	char *text;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -ENOMEM;
	return cell_give(line, pos, text);
}

/*
 * The cells below are formatted by hand, not by vasprintf(): a table of
 * 10,000 mappings has 80,000 of them, and printf's format parsing cost
 * more than libsmartcols' whole layout.
 */
int table_cell_text(struct libscols_line *line, size_t pos, const char *text)
{
	return cell_give(line, pos, strdup(text));
}

/* The path text (path-escape.h) libsmartcols then writes as JSON. */
int table_cell_path(struct libscols_line *line, size_t pos, const char *path,
		    const struct table_opts *opts)
{
	size_t len;
	char *out;

	if (!opts->json)
		return table_cell_text(line, pos, path);
	len = libmseal_path_escape(NULL, path, 0);
	if (len == strlen(path)) /* valid UTF-8 throughout: the common case */
		return table_cell_text(line, pos, path);
	out = malloc(len + 1);
	if (!out)
		return -ENOMEM;
	libmseal_path_escape(out, path, 0);
	return cell_give(line, pos, out);
}

void table_json_fputs(FILE *out, const char *text)
{
	char step[LIBMSEAL_PATH_STEP_MAX];

	fputc('"', out);
	while (*text) {
		size_t n = libmseal_path_escape_step(&text, step,
						     LIBMSEAL_PATH_JSON);

		fwrite(step, 1, n, out);
	}
	fputc('"', out);
}

/* @v in decimal, ending just before @end; returns its first digit. */
static char *put_dec(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

int table_cell_u64(struct libscols_line *line, size_t pos, uint64_t v)
{
	char buf[24];

	buf[sizeof(buf) - 1] = '\0';
	return table_cell_text(line, pos, put_dec(buf + sizeof(buf) - 1, v));
}

void table_human_size(uint64_t bytes, char *buf, size_t size)
{
	static const char units[] = "KMGTPE";
	unsigned int exp = 0;
	uint64_t whole, frac, tenths;
	char text[32], *end = text + sizeof(text) - 1, *p = end;

	*end = '\0';
	if (bytes < 1024) {
		*--p = 'B';
		p = put_dec(p, bytes);
		snprintf(buf, size, "%s", p);
		return;
	}
	while (exp < 6 && bytes >> (10 * (exp + 1)))
		exp++;
	whole = bytes >> (10 * exp);
	frac = bytes & ((UINT64_C(1) << (10 * exp)) - 1);
	/* One rounded decimal: frac / 2^(10 exp) in tenths, without
	 * overflowing for exabytes (frac < 2^60, times 10 fits). */
	tenths = (frac * 10 + (UINT64_C(1) << (10 * exp - 1))) >> (10 * exp);
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	*--p = units[exp - 1];
	if (tenths) {
		*--p = (char)('0' + tenths);
		*--p = '.';
	}
	p = put_dec(p, whole);
	/* Truncated to @size as snprintf() would. */
	if (size) {
		size_t n = (size_t)(end - p) < size - 1 ? (size_t)(end - p) :
							    size - 1;

		memcpy(buf, p, n);
		buf[n] = '\0';
	}
}

const char *table_short_size(const struct table_opts *opts, uint64_t bytes,
			     char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	double v = (double)bytes;
	int u = 0;

	if (opts->bytes || opts->json) {
		snprintf(buf, len, "%" PRIu64, bytes);
		return buf;
	}
	while (v >= 1024.0 && u < 6) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 "B", bytes);
	else if (v < 10.0 && (uint64_t)(v * 10) % 10)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, "%.0f%c", v, units[u]);
	return buf;
}

int table_cell_size(struct libscols_line *line, size_t pos, uint64_t bytes,
		    const struct table_opts *opts)
{
	char buf[32];

	if (opts->bytes || opts->json)
		return table_cell_u64(line, pos, bytes);
	table_human_size(bytes, buf, sizeof(buf));
	return table_cell_text(line, pos, buf);
}

int table_cell_addr(struct libscols_line *line, size_t pos, uint64_t addr)
{
	static const char digits[] = "0123456789abcdef";
	char buf[24], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do {
		*--p = digits[addr & 15];
		addr >>= 4;
	} while (addr);
	*--p = 'x';
	*--p = '0';
	return table_cell_text(line, pos, p);
}

int table_cell_bool(struct libscols_line *line, size_t pos, int value)
{
	return table_cell_text(line, pos, value ? "1" : "0");
}

/*
 * libsmartcols writes each table as its own JSON object, {"name": [...]}.
 * One document holds them all: drop each object's closing brace but the
 * last one's, and each opening brace but the first one's.
 */
static int print_json(struct libscols_table *const *tables, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *text = NULL, *begin, *end;

		if (scols_print_table_to_string(tables[i], &text) || !text)
			return -ENOMEM;
		begin = text;
		end = text + strlen(text);
		if (i > 0 && (begin = strchr(text, '{')))
			begin++;
		if (i + 1 < n && (end = strrchr(text, '}'))) {
			while (end > begin && end[-1] == '\n')
				end--;
		}
		if (!begin || !end) {
			free(text);
			return -EINVAL;
		}
		fwrite(begin, 1, (size_t)(end - begin), stdout);
		if (i + 1 < n)
			fputs(",", stdout);
		free(text);
	}
	return 0;
}

/* 1 when @s has only printable ASCII and no backslash: nothing in it
 * that libsmartcols' safe encoding would change. */
static int plain_ascii(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '\\')
			return 0;
	return 1;
}

/*
 * One cell of a headerless table, printed to a string: the escaping is
 * libsmartcols' own, so it cannot drift from what a table shows. Never
 * a terminal, so there is no width to fit and nothing is cut.
 */
char *table_text_escape(const char *text)
{
	struct libscols_table *tb;
	struct libscols_line *ln;
	char *out = NULL;

	if (plain_ascii(text))
		return strdup(text);
	tb = scols_new_table();
	if (!tb)
		return NULL;
	if (scols_table_enable_noheadings(tb, 1) ||
	    scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER) ||
	    !scols_table_new_column(tb, "TEXT", 0, 0) ||
	    !(ln = scols_table_new_line(tb, NULL)) ||
	    scols_line_set_data(ln, 0, text) ||
	    scols_print_table_to_string(tb, &out)) {
		free(out);
		out = NULL;
	}
	/* The line's end, if a libsmartcols version keeps it: the escaped
	 * text itself holds no newline (it is "\x0a"). */
	if (out && *out && out[strlen(out) - 1] == '\n')
		out[strlen(out) - 1] = '\0';
	scols_unref_table(tb);
	return out;
}

/*
 * libsmartcols measures and \x-encodes every cell character by character
 * (mbrtowc, iswprint, wcwidth: most of the time of a 10,000-row table).
 * When no cell holds a byte that encoding would change, turning it off
 * prints the very same bytes; else the table keeps it.
 */
static int table_needs_encoding(struct libscols_table *tb)
{
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	struct libscols_line *ln;
	int needs = 0;

	if (!itr)
		return 1;
	while (!needs && scols_table_next_line(tb, itr, &ln) == 0) {
		size_t n = scols_line_get_ncells(ln);

		for (size_t i = 0; i < n && !needs; i++) {
			const char *data =
				scols_cell_get_data(scols_line_get_cell(ln, i));

			needs = data && !plain_ascii(data);
		}
	}
	scols_free_iter(itr);
	return needs;
}

int table_print(struct libscols_table *const *tables, size_t n,
		const struct table_opts *opts)
{
	int rc = 0;

	if (opts->json)
		rc = print_json(tables, n);
	for (size_t i = 0; !opts->json && i < n && rc == 0; i++) {
		if (i > 0)
			fputc('\n', stdout);
		if (!table_needs_encoding(tables[i]))
			rc = scols_table_enable_noencoding(tables[i], 1);
		if (!rc)
			rc = scols_print_table(tables[i]);
	}
	if (fflush(stdout) || ferror(stdout))
		return -EIO;
	return rc < 0 ? rc : rc ? -EIO : 0;
}
