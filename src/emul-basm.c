// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A small classic-BPF assembler for the emulation's generator: jumps go
 * to labels; assembling lays the program out and turns a conditional jump
 * whose target is more than 255 instructions away (cBPF's 8-bit offsets)
 * into "jcond 0,1; ja T; ja F", repeating until nothing moves. Only
 * forward jumps exist in cBPF, so a label must be bound after its jumps.
 */
#include <errno.h>
#include <stdlib.h>

#include "emul-basm.h"
#include "emul.h"

void libmseal_basm_emit(struct basm *a, uint16_t code, uint32_t k, int jt, int jf)
{
	if (a->err)
		return;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct basm_op *ops = realloc(a->ops, cap * sizeof(*ops));

		if (!ops) {
			a->err = -ENOMEM;
			return;
		}
		a->ops = ops;
		a->cap = cap;
	}
	a->ops[a->n++] = (struct basm_op){ code, k, jt, jf, 0 };
}

int libmseal_basm_label(struct basm *a)
{
	if (a->err)
		return 0;
	if (a->n_labels == a->cap_labels) {
		size_t cap = a->cap_labels ? a->cap_labels * 2 : 64;
		size_t *l = realloc(a->label_at, cap * sizeof(*l));

		if (!l) {
			a->err = -ENOMEM;
			return 0;
		}
		a->label_at = l;
		a->cap_labels = cap;
	}
	a->label_at[a->n_labels] = SIZE_MAX;
	return (int)a->n_labels++;
}

void libmseal_basm_bind(struct basm *a, int label)
{
	if (!a->err)
		a->label_at[label] = a->n;
}

/* Position of @target as seen from op @i, given op positions @pos. */
static size_t target_pos(const struct basm *a, const size_t *pos, size_t i,
			 int target)
{
	if (target == NEXT)
		return pos[i + 1];
	return pos[a->label_at[target]];
}

/* Lay out until no conditional jump needs to become far; then write. */
int libmseal_basm_assemble(struct basm *a, struct sock_filter **ret_prog,
			    size_t *ret_len)
{
	size_t *pos = calloc(a->n + 1, sizeof(*pos));
	struct sock_filter *prog;
	int changed = 1;
	size_t out = 0;

	if (!pos)
		return -ENOMEM;
	for (size_t l = 0; l < a->n_labels; l++)
		if (a->label_at[l] == SIZE_MAX) {
			free(pos);
			return -EINVAL;
		}
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < a->n; i++)
			pos[i + 1] = pos[i] + (a->ops[i].far ? 3 : 1);
		for (size_t i = 0; i < a->n; i++) {
			struct basm_op *o = &a->ops[i];

			if (BPF_CLASS(o->code) != BPF_JMP || o->far ||
			    BPF_OP(o->code) == BPF_JA)
				continue;
			if (target_pos(a, pos, i, o->jt) - pos[i] - 1 > 255 ||
			    target_pos(a, pos, i, o->jf) - pos[i] - 1 > 255) {
				o->far = 1;
				changed = 1;
			}
		}
	}
	if (pos[a->n] > LIBMSEAL_BPF_MAXINSNS) {
		free(pos);
		return -E2BIG;
	}
	prog = calloc(pos[a->n] ? pos[a->n] : 1, sizeof(*prog));
	if (!prog) {
		free(pos);
		return -ENOMEM;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct basm_op *o = &a->ops[i];
		size_t p = pos[i];

		if (BPF_CLASS(o->code) != BPF_JMP) {
			prog[out++] = (struct sock_filter)BPF_STMT(o->code, o->k);
		} else if (BPF_OP(o->code) == BPF_JA) {
			prog[out++] = (struct sock_filter)BPF_STMT(o->code,
				(uint32_t)(target_pos(a, pos, i, o->jt) - p - 1));
		} else if (!o->far) {
			prog[out++] = (struct sock_filter)BPF_JUMP(o->code, o->k,
				(uint8_t)(target_pos(a, pos, i, o->jt) - p - 1),
				(uint8_t)(target_pos(a, pos, i, o->jf) - p - 1));
		} else {
			prog[out++] = (struct sock_filter)BPF_JUMP(o->code,
								   o->k, 0, 1);
			prog[out++] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA,
				(uint32_t)(target_pos(a, pos, i, o->jt) - p - 2));
			prog[out++] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA,
				(uint32_t)(target_pos(a, pos, i, o->jf) - p - 3));
		}
	}
	free(pos);
	*ret_prog = prog;
	*ret_len = out;
	return 0;
}

void libmseal_basm_free(struct basm *a)
{
	free(a->ops);
	free(a->label_at);
	a->ops = NULL;
	a->label_at = NULL;
}
