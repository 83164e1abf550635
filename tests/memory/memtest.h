/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers for the sealed-memory and secret-memory tests (suite memory). */
#ifndef LIBMSEAL_MEMTEST_H
#define LIBMSEAL_MEMTEST_H

#include <stddef.h>

/* Lines of /proc/self/maps: the number of mappings. Used only where the
 * allocator's own mapping budget is the property under test. */
int memtest_count_maps(void);

/* Mappings whose smaps VmFlags line has the two-letter @code. */
int memtest_count_vmflag(const char *code);

/* The VmLck line of /proc/self/status, in kB (-1 when unreadable). */
long memtest_vmlck_kb(void);

/* Install a seccomp filter making syscall 462 fail with @err. */
void memtest_seccomp_mseal_errno(int err);

/* Install a seccomp filter making mprotect(@addr, *, @prot) fail with
 * @err; every other call, and mprotect elsewhere, is allowed. */
void memtest_seccomp_mprotect_errno(const void *addr, int prot, int err);

/* Drop CAP_IPC_LOCK from the effective and permitted sets. */
void memtest_drop_ipc_lock(void);

/* The calls sealing blocks (spec §2.1), each tried on [p, p + len). */
enum memtest_op { OP_MPROTECT, OP_MUNMAP, OP_MREMAP, OP_DONTNEED };

/* mprotect(RW), munmap, mremap (grow, may move) or MADV_DONTNEED:
 * 0 or -errno. */
int memtest_run_op(enum memtest_op op, void *p, size_t len);

/* Run @fn(arg) in a forked child; its exit status (or 128 + signal). */
int memtest_in_child(int (*fn)(void *), void *arg);

#endif
