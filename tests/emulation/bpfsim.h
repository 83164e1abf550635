/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A classic-BPF interpreter for seccomp programs, written from the
 * instruction set's definition (linux/filter.h, Documentation/networking/
 * filter.rst) and seccomp's restrictions (kernel/seccomp.c
 * seccomp_check_filter()), so the generated filters can be run in-process
 * without installing them.
 */
#ifndef LIBMSEAL_BPFSIM_H
#define LIBMSEAL_BPFSIM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/*
 * Check @prog as the kernel would before accepting it: 1..4096
 * instructions, only the opcodes seccomp allows, aligned loads inside
 * struct seccomp_data, forward jumps inside the program, a return at the
 * end, and no scratch slot read on any path before it is written.
 * Return: 0, or -1 with a reason in @why (static string).
 */
int bpfsim_check(const struct sock_filter *prog, size_t len,
		 const char **why);

/*
 * Run @prog on @data. Return: the action (SECCOMP_RET_*) and, when @steps
 * is not NULL, the number of instructions executed. A program that breaks
 * a rule at run time returns 0xffffffff (never a seccomp action we emit).
 */
uint32_t bpfsim_run(const struct sock_filter *prog, size_t len,
		    const struct seccomp_data *data, unsigned int *steps);

#endif
