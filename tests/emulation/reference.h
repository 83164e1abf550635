/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The reference the generated filter is fuzzed against: what the
 * emulation must answer for one system call, written straight from the
 * rules (research/seccomp-emulation.md §2.2, spec §2.1-2.2) with 64-bit
 * arithmetic and a linear scan over the ranges as given (unsorted,
 * unmerged), sharing no code with the generator.
 */
#ifndef LIBMSEAL_REFERENCE_H
#define LIBMSEAL_REFERENCE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/seccomp.h>

struct ref_range {
	uint64_t start, end;
};

struct ref_set {
	const struct ref_range *sealed;
	size_t n_sealed;
	const struct ref_range *discard;
	size_t n_discard;
	uint64_t page;
};

/* SECCOMP_RET_ALLOW, or SECCOMP_RET_ERRNO with EPERM or ENOSYS. */
uint32_t ref_action(const struct ref_set *set, const struct seccomp_data *d);

/* The native AUDIT_ARCH_* value the emulation is built for. */
uint32_t ref_native_arch(void);

#endif
