/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The classic-BPF assembler of the emulation (emul-basm.c). Never
 * installed. */
#ifndef LIBMSEAL_EMUL_BASM_H
#define LIBMSEAL_EMUL_BASM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

#define NEXT (-1) /* jump target: the following instruction */

struct basm_op {
	uint16_t code;
	uint32_t k;
	int jt, jf;       /* labels for conditional jumps, jt for BPF_JA */
	unsigned int far; /* conditional jump laid out as jcond + 2 ja */
};

struct basm {
	struct basm_op *ops;
	size_t n, cap;
	size_t *label_at; /* label -> index of the op it precedes */
	size_t n_labels, cap_labels;
	int err;
};

/* Append an instruction; @jt/@jf are labels (or NEXT) for conditional
 * jumps, @jt the label of BPF_JA. On allocation failure a->err is set and
 * later calls do nothing. */
void libmseal_basm_emit(struct basm *a, uint16_t code, uint32_t k, int jt,
			int jf);
/* A new, unbound label. */
int libmseal_basm_label(struct basm *a);
/* Bind @label to the next instruction emitted. */
void libmseal_basm_bind(struct basm *a, int label);
/* Lay out and write the program: 0, -ENOMEM, -EINVAL (a label never
 * bound), -E2BIG (over LIBMSEAL_BPF_MAXINSNS). */
int libmseal_basm_assemble(struct basm *a, struct sock_filter **ret_prog,
			   size_t *ret_len);
/* Release what @a holds. */
void libmseal_basm_free(struct basm *a);

#endif
