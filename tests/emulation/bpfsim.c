// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stddef.h>
#include <string.h>

#include "bpfsim.h"

#define BAD 0xffffffffu

static int allowed_code(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM: case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM: case BPF_LDX | BPF_MEM:
	case BPF_ST: case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return 1;
	default:
		return 0;
	}
}

int bpfsim_check(const struct sock_filter *prog, size_t len,
		 const char **why)
{
	/* valid[i]: scratch slots written on every path reaching i */
	uint16_t valid[BPF_MAXINSNS + 1];

	*why = NULL;
	if (len == 0 || len > BPF_MAXINSNS) {
		*why = "length outside 1..4096";
		return -1;
	}
	for (size_t i = 0; i <= len; i++)
		valid[i] = 0xffff;
	valid[0] = 0;
	for (size_t i = 0; i < len; i++) {
		const struct sock_filter *f = &prog[i];
		uint16_t mem = valid[i];

		if (!allowed_code(f->code)) {
			*why = "opcode seccomp refuses";
			return -1;
		}
		if (f->code == (BPF_LD | BPF_W | BPF_ABS) &&
		    (f->k >= sizeof(struct seccomp_data) || (f->k & 3))) {
			*why = "load outside seccomp_data or unaligned";
			return -1;
		}
		if ((f->code == (BPF_LD | BPF_MEM) ||
		     f->code == (BPF_LDX | BPF_MEM) || f->code == BPF_ST ||
		     f->code == BPF_STX) && f->k >= BPF_MEMWORDS) {
			*why = "scratch slot out of range";
			return -1;
		}
		if ((f->code == (BPF_LD | BPF_MEM) ||
		     f->code == (BPF_LDX | BPF_MEM)) && !(mem & (1u << f->k))) {
			*why = "scratch slot read before written";
			return -1;
		}
		if (f->code == BPF_ST || f->code == BPF_STX)
			mem |= (uint16_t)(1u << f->k);
		if (BPF_CLASS(f->code) == BPF_RET)
			continue;
		if (BPF_CLASS(f->code) != BPF_JMP) {
			valid[i + 1] &= mem;
			continue;
		}
		if (BPF_OP(f->code) == BPF_JA) {
			if (f->k >= len - i - 1) {
				*why = "ja out of program";
				return -1;
			}
			valid[i + 1 + f->k] &= mem;
			continue;
		}
		if ((size_t)f->jt + i + 1 >= len || (size_t)f->jf + i + 1 >= len) {
			*why = "conditional jump out of program";
			return -1;
		}
		valid[i + 1 + f->jt] &= mem;
		valid[i + 1 + f->jf] &= mem;
	}
	if (BPF_CLASS(prog[len - 1].code) != BPF_RET) {
		*why = "last instruction is not a return";
		return -1;
	}
	return 0;
}

static int jump_taken(uint16_t code, uint32_t a, uint32_t v)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ:
		return a == v;
	case BPF_JGT:
		return a > v;
	case BPF_JGE:
		return a >= v;
	default: /* BPF_JSET */
		return (a & v) != 0;
	}
}

static uint32_t alu(uint16_t code, uint32_t a, uint32_t v, int *bad)
{
	switch (BPF_OP(code)) {
	case BPF_ADD: return a + v;
	case BPF_SUB: return a - v;
	case BPF_MUL: return a * v;
	case BPF_DIV:
		if (v == 0) {
			*bad = 1;
			return 0;
		}
		return a / v;
	case BPF_AND: return a & v;
	case BPF_OR: return a | v;
	case BPF_XOR: return a ^ v;
	case BPF_LSH: return v >= 32 ? 0 : a << v;
	case BPF_RSH: return v >= 32 ? 0 : a >> v;
	default: return -a; /* BPF_NEG */
	}
}

uint32_t bpfsim_run(const struct sock_filter *prog, size_t len,
		    const struct seccomp_data *data, unsigned int *steps)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 };
	unsigned int n = 0;
	size_t pc = 0;
	int bad = 0;

	while (pc < len && !bad) {
		const struct sock_filter *f = &prog[pc++];
		uint32_t w;

		n++;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (BPF_MODE(f->code) == BPF_ABS) {
				if (f->k + 4 > sizeof(*data))
					return BAD;
				memcpy(&w, (const char *)data + f->k, 4);
				A = w;
			} else if (BPF_MODE(f->code) == BPF_MEM) {
				A = M[f->k & 15];
			} else if (BPF_MODE(f->code) == BPF_IMM) {
				A = f->k;
			} else {
				A = sizeof(*data);
			}
			break;
		case BPF_LDX:
			X = BPF_MODE(f->code) == BPF_MEM ? M[f->k & 15] :
			    BPF_MODE(f->code) == BPF_IMM ? f->k :
							   sizeof(*data);
			break;
		case BPF_ST:
			M[f->k & 15] = A;
			break;
		case BPF_STX:
			M[f->k & 15] = X;
			break;
		case BPF_ALU:
			A = alu(f->code, A, BPF_SRC(f->code) == BPF_X ? X : f->k,
				&bad);
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA)
				pc += f->k;
			else
				pc += jump_taken(f->code, A,
						 BPF_SRC(f->code) == BPF_X ?
							 X : f->k) ?
					      f->jt : f->jf;
			break;
		case BPF_RET:
			if (steps)
				*steps = n;
			return BPF_RVAL(f->code) == BPF_A ? A : f->k;
		default: /* BPF_MISC */
			if (BPF_MISCOP(f->code) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
	return BAD;
}
