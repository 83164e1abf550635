// SPDX-License-Identifier: LGPL-2.1-or-later
/* Column tables shared by `mseal ps` and `mseal check` (see audit-cols.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit-cols.h"
#include "cli.h"

void audit_cols_defaults(const struct audit_col *cols, size_t ncols,
			 struct audit_out *out)
{
	out->nids = 0;
	for (size_t i = 0; i < ncols && out->nids < AUDIT_COL_MAX; i++)
		if (cols[i].by_default)
			out->ids[out->nids++] = (int)i;
}

void audit_cols_all(size_t ncols, struct audit_out *out)
{
	out->nids = 0;
	for (size_t i = 0; i < ncols && out->nids < AUDIT_COL_MAX; i++)
		out->ids[out->nids++] = (int)i;
}

int audit_col_index(const struct audit_col *cols, size_t ncols,
		    const char *name)
{
	for (size_t i = 0; i < ncols; i++)
		if (strcasecmp(cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

int audit_cols_parse(const struct audit_col *cols, size_t ncols,
		     const char *list, struct audit_out *out, const char *cmd)
{
	char *copy, *save = NULL, *tok;
	int rc = 0;

	if (*list == '+')
		list++;
	else
		out->nids = 0;
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int id = audit_col_index(cols, ncols, tok);

		if (id < 0) {
			cli_error("%s: unknown column '%s' (-H lists them)",
				  cmd, tok);
			rc = -EINVAL;
			break;
		}
		if (out->nids >= AUDIT_COL_MAX) {
			cli_error("%s: too many columns", cmd);
			rc = -EINVAL;
			break;
		}
		out->ids[out->nids++] = id;
	}
	free(copy);
	return rc;
}

void audit_cols_list(const struct audit_col *cols, size_t ncols)
{
	for (size_t i = 0; i < ncols; i++)
		printf("%14s  %s\n", cols[i].name, cols[i].help);
}

struct libscols_table *audit_table_new(const struct audit_col *cols,
				       const struct audit_out *out,
				       const char *name)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_enable_json(tb, out->json);
	scols_table_enable_raw(tb, out->raw);
	scols_table_enable_noheadings(tb, out->noheadings);
	scols_table_set_name(tb, name);
	for (size_t i = 0; i < out->nids; i++) {
		const struct audit_col *c = &cols[out->ids[i]];
		struct libscols_column *cl;

		cl = scols_table_new_column(tb, c->name, c->whint, c->flags);
		if (!cl) {
			scols_unref_table(tb);
			return NULL;
		}
		scols_column_set_json_type(cl, c->json);
	}
	return tb;
}

int audit_out_pos(const struct audit_out *out, int id)
{
	for (size_t i = 0; i < out->nids; i++)
		if (out->ids[i] == id)
			return (int)i;
	return -1;
}

const char *audit_size(const struct audit_out *out, unsigned long long bytes,
		       char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	double v = (double)bytes;
	int u = 0;

	/* JSON and -b give exact numbers; tables a short human size. */
	if (out->bytes || out->json) {
		snprintf(buf, len, "%llu", bytes);
		return buf;
	}
	while (v >= 1024.0 && u < 6) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%lluB", bytes);
	else if (v < 10.0 && (unsigned long long)(v * 10) % 10)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, "%.0f%c", v, units[u]);
	return buf;
}
