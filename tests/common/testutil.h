/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by every test suite. They read /proc/self/smaps with their
 * own small parser, independent of the library's maps reader, so a bug
 * there cannot hide a sealing bug here.
 */
#ifndef LIBMSEAL_TESTUTIL_H
#define LIBMSEAL_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* One mapping as the test sees it. */
struct test_vma {
	uintptr_t start, end;
	char perms[5];
	char path[512];
	char vmflags[256];
	int sealed; /* "sl" among the VmFlags codes */
};

/*
 * Skip the current Criterion test (one line with the reason and the kernel
 * release) when the kernel cannot seal; with LIBMSEAL_REQUIRE_MSEAL=1 fail
 * it instead. Judges the real syscall: LIBMSEAL_FORCE_UNSUPPORTED is
 * ignored here.
 */
void test_require_mseal(void);

/* 1 when the kernel seals (the raw probe mseal(0,0,0) returns 0). */
int test_kernel_has_mseal(void);

/* Fill @out with the mapping that contains @addr: 0, or -1 if none. */
int test_vma_at(const void *addr, struct test_vma *out);

/* 1 sealed, 0 not sealed, -1 unmapped. With LIBMSEAL_TEST_EMULATE=1
 * (the emulated conformance run) a page the seccomp emulation holds
 * committed also counts as sealed (test_vma_at's @sealed too). */
int test_is_sealed(const void *addr);

/* The mapping's "rwxp" letters into @perms[5]; 0, or -1 if unmapped. */
int test_perms(const void *addr, char perms[5]);

/* 1 when the mapping holding @addr has VmFlags code @code (two letters). */
int test_has_vmflag(const void *addr, const char *code);

/* Map @pages fresh private anonymous pages with @prot, filled with @fill
 * (before the protection is applied); aborts the test on failure. */
void *test_map(size_t pages, int prot, int fill);

/* The raw mseal system call (number 462 or the ABI's): 0 or -errno. */
int test_raw_mseal(void *addr, size_t len, unsigned long flags);

/* Page size in bytes. */
size_t test_page(void);

/* Kernel release as "major * 1000 + minor", e.g. 6018 for 6.18. */
int test_kernel_version(void);

/* Seccomp_filters of this process, from /proc/self/status: children
 * inherit ours (a container may run the tests under filters of its own).
 * Fails the test when the kernel prints no such line. */
int test_seccomp_filters(void);

#endif
