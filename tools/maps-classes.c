// SPDX-License-Identifier: LGPL-2.1-or-later
/* Classification columns of `mseal maps --classes` (see maps-classes.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf-class.h"
#include "maps-classes.h"

struct class_sums {
	uint64_t total[CLS_N], sealed[CLS_N];
};

struct maps_classes {
	struct elf_cache *cache;
	struct classifier *cl;
	struct class_sums *sums;	/* one per object, same index */
	size_t cap;
	long last;			/* object of the last file mapping */
};

/* Summary columns: bytes of a class, then bytes of it sealed. */
static const struct {
	const char *name;
	int cls;
	int sealed;
} obj_cols[] = {
	{ "TEXT", CLS_TEXT, 0 }, { "TEXT-SEALED", CLS_TEXT, 1 },
	{ "RODATA", CLS_RODATA, 0 }, { "RODATA-SEALED", CLS_RODATA, 1 },
	{ "RELRO", CLS_RELRO, 0 }, { "RELRO-SEALED", CLS_RELRO, 1 },
	{ "DATA", CLS_DATA, 0 }, { "BSS", CLS_BSS, 0 },
	{ "RO", CLS_RO, 0 }, { "RO-SEALED", CLS_RO, 1 },
};
#define N_OBJ_COLS (sizeof(obj_cols) / sizeof(obj_cols[0]))

struct maps_classes *maps_classes_new(pid_t pid, const char *proc_root)
{
	struct maps_classes *mc = calloc(1, sizeof(*mc));

	if (!mc)
		return NULL;
	mc->last = -1;
	mc->cache = elf_cache_new();
	mc->cl = mc->cache ? classifier_new(mc->cache, proc_root, pid) : NULL;
	if (!mc->cl)
		return maps_classes_free(mc);
	return mc;
}

struct maps_classes *maps_classes_free(struct maps_classes *mc)
{
	if (!mc)
		return NULL;
	classifier_free(mc->cl);
	elf_cache_free(mc->cache);
	free(mc->sums);
	free(mc);
	return NULL;
}

int maps_classes_columns(struct libscols_table *maps_tb,
			 struct libscols_table *obj_tb, size_t *ret_pos)
{
	struct libscols_column *c;

	*ret_pos = scols_table_get_ncols(maps_tb);
	c = scols_table_new_column(maps_tb, "CLASS", 6, 0);
	if (!c)
		return -ENOMEM;
	scols_column_set_json_type(c, SCOLS_JSON_STRING);
	for (size_t i = 0; i < N_OBJ_COLS; i++) {
		c = scols_table_new_column(obj_tb, obj_cols[i].name, 5,
					   SCOLS_FL_RIGHT);
		if (!c)
			return -ENOMEM;
		scols_column_set_json_type(c, SCOLS_JSON_NUMBER);
	}
	return 0;
}

static long object_of(const struct objects *objs, const struct mseal_region *r)
{
	for (size_t i = objs->n; i-- > 0;) {
		const struct object_summary *o = &objs->v[i];

		if (o->inode == r->inode && o->dev_major == r->dev_major &&
		    o->dev_minor == r->dev_minor && o->deleted == r->deleted &&
		    strcmp(o->path, r->path) == 0)
			return (long)i;
	}
	return -1;
}

static int grow(struct maps_classes *mc, size_t n)
{
	struct class_sums *v;

	if (n <= mc->cap)
		return 0;
	v = realloc(mc->sums, n * 2 * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(v + mc->cap, 0, (n * 2 - mc->cap) * sizeof(*v));
	mc->sums = v;
	mc->cap = n * 2;
	return 0;
}

/* "text", or "rodata+relro" for a mapping that holds two classes. */
static void class_text(const uint64_t bytes[CLS_N], char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < CLS_N; i++)
		if (bytes[i] && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "+" : "",
						 obj_class_name(i));
}

int maps_classes_region(struct maps_classes *mc, struct libscols_line *ln,
			size_t pos, const struct mseal_region *r,
			const struct objects *objs)
{
	uint64_t bytes[CLS_N] = { 0 };
	char text[96];
	long idx;

	classify_region(mc->cl, r, bytes);
	class_text(bytes, text, sizeof(text));
	if (scols_line_set_data(ln, pos, text))
		return -ENOMEM;
	idx = objects_is_file(r) ? object_of(objs, r) : mc->last;
	if (objects_is_file(r))
		mc->last = idx;
	else if (bytes[CLS_BSS] == 0)
		return 0; /* anonymous memory that is no object's bss */
	if (idx < 0 || grow(mc, (size_t)idx + 1) < 0)
		return idx < 0 ? 0 : -ENOMEM;
	for (int i = 0; i < CLS_N; i++) {
		mc->sums[idx].total[i] += bytes[i];
		if (r->sealed)
			mc->sums[idx].sealed[i] += bytes[i];
	}
	return 0;
}

int maps_classes_object(const struct maps_classes *mc,
			struct libscols_line *ln, size_t first, size_t idx,
			const struct table_opts *o)
{
	static const struct class_sums none;
	const struct class_sums *s = idx < mc->cap ? &mc->sums[idx] : &none;

	for (size_t i = 0; i < N_OBJ_COLS; i++) {
		const uint64_t *v = obj_cols[i].sealed ? s->sealed : s->total;
		int rc = table_cell_size(ln, first + i, v[obj_cols[i].cls], o);

		if (rc)
			return rc;
	}
	return 0;
}
