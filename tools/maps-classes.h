/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `mseal maps --classes`: a CLASS column per mapping (text, rodata, relro,
 * data, bss, ro, other, none; "a+b" when a mapping holds two) and, per
 * object in the summary, the bytes of each class and how many are sealed.
 * Opt-in, because it reads every mapped object's ELF headers.
 */
#ifndef MSEAL_MAPS_CLASSES_H
#define MSEAL_MAPS_CLASSES_H

#include <sys/types.h>

#include "objects.h"
#include "table.h"

struct maps_classes;

/* NULL on ENOMEM. @pid 0 is self. */
struct maps_classes *maps_classes_new(pid_t pid, const char *proc_root);
struct maps_classes *maps_classes_free(struct maps_classes *mc);

/* Add the CLASS column to @maps_tb and the class columns to @obj_tb;
 * 0 or -ENOMEM. Returns the position of CLASS in *@ret_pos. */
int maps_classes_columns(struct libscols_table *maps_tb,
			 struct libscols_table *obj_tb, size_t *ret_pos);

/* Classify @r (call for every mapping, in order, after objects_add()),
 * set its CLASS cell at @pos and count it into its object. 0 or -errno. */
int maps_classes_region(struct maps_classes *mc, struct libscols_line *ln,
			size_t pos, const struct mseal_region *r,
			const struct objects *objs);

/* Set the class cells of summary row @ln (object @idx) from @first. */
int maps_classes_object(const struct maps_classes *mc,
			struct libscols_line *ln, size_t first, size_t idx,
			const struct table_opts *o);

#endif
