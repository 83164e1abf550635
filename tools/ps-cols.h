/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The columns of `mseal ps`: names, cell text and sort keys. */
#ifndef MSEAL_PS_COLS_H
#define MSEAL_PS_COLS_H

#include "ps-collect.h"
#include "table.h"

enum {
	PS_PID, PS_COMM, PS_EXE, PS_MAPS, PS_SEALED, PS_SIZE, PS_SEALED_SIZE,
	PS_COVERAGE, PS_TEXT, PS_RODATA, PS_RELRO,
	PS_TEXT_SEALED, PS_TEXT_SIZE, PS_RODATA_SEALED, PS_RODATA_SIZE,
	PS_RELRO_SEALED, PS_RELRO_SIZE, PS_RO_SEALED, PS_RO_SIZE, PS_VDSO,
	PS_SECCOMP,
	PS_NCOLS
};

extern const struct table_column ps_cols[PS_NCOLS];

/* The columns shown without -o (NULL-terminated). */
extern const char *const ps_defaults[];

/* The text of one cell into @buf (or a static string). */
const char *ps_cell(const struct proc_info *pi, int col,
		    const struct table_opts *out, char *buf, size_t len);

/* Sort @v by column @col (numbers numerically, text by strcmp). */
void ps_sort(struct proc_info *v, size_t n, int col);

/* "yes", "no", "partly" or "none" (no [vdso] mapping). */
const char *ps_vdso_word(int vdso);

#endif
