/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers for the kernel conformance suite (spec/kernel-mseal.md §0-2, §6).
 * Every helper maps fresh memory; nothing here ever seals memory it did not
 * map itself. Expectations that depend on the kernel version are picked by
 * the k_rule_*() predicates below, which read the running release once.
 */
#ifndef LIBMSEAL_KUTIL_H
#define LIBMSEAL_KUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "testutil.h"

#define PG (test_page())

/* madvise values newer than Debian 12's headers. */
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE 103
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Kernel release as major*1000+minor (6018 for 6.18). */
int k_ver(void);

/*
 * Rule predicates (spec §0, §2.1-2.3). Each is true on the kernels where
 * the named rule holds.
 */
int k_rule_per_vma(void);          /* 6.12+: per-VMA checks, partial effects */
int k_rule_mremap_multi_move(void);/* 6.17+: multi-VMA mremap move */
int k_rule_anon_is_vma_anon(void); /* 6.17+: "anonymous" = no vm_ops */
int k_rule_guard(void);            /* 6.13+: MADV_GUARD_* exist, blocked */
int k_rule_guard_file(void);       /* 6.15+: guard regions on file/shmem */
int k_rule_process_madvise_any(void); /* 6.13+: any advice on self */
int k_rule_old_len0_checked(void); /* 6.12+: mremap old_len 0 checks seal */
int k_rule_bitmask_bug(void);      /* 6.10.x: advice & 0x1F counted */

/* Map @pages fresh pages of the given kind, filled with @fill. */
void *k_anon(size_t pages, int prot, int fill);
void *k_shared_anon(size_t pages, int prot, int fill);
/* A memfd of @pages pages filled with @fill; the caller closes it. */
int k_memfd(size_t pages, int fill);
/* Map @pages of @fd with @prot; @flags MAP_PRIVATE or MAP_SHARED. */
void *k_file(int fd, size_t pages, int prot, int flags);
/* Reserve @pages of unmapped address space (mapped, then unmapped). */
void *k_hole(size_t pages);

/* Seal [p, p + len) through the raw syscall; fails the test if not 0. */
void k_seal(void *p, size_t len);

/* Assertions on what stayed intact. */
void k_expect_fill(const void *p, size_t len, int fill);
void k_expect_perms(const void *p, const char *perms);
void k_expect_sealed(const void *p, int sealed);
void k_expect_unmapped(const void *p);

/* 1 when the byte at @p reads back without a fault (probed by a child). */
int k_readable(const void *p);

/* Fork; run @fn(@arg) in the child, whose return value is its exit status.
 * Returns the child's wait status. */
int k_in_child(int (*fn)(void *), void *arg);

/*
 * Fork a child that runs @fn(@arg) and then blocks until released, so the
 * parent can read /proc/CHILD/smaps while it lives. @fn's return value is
 * the child's exit status. k_hold_child() returns once @fn has returned.
 */
struct k_held {
	pid_t pid;
	int release_fd;
};
void k_hold_child(int (*fn)(void *), void *arg, struct k_held *out);
/* Let the child exit; returns its wait status. */
int k_release_child(struct k_held *held);

/* The sealed flag of the mapping at @addr in another process: 1, 0, or -1
 * when unmapped. Its own small reader of /proc/PID/smaps. */
int k_pid_sealed(pid_t pid, uintptr_t addr);

#endif
