// SPDX-License-Identifier: LGPL-2.1-or-later
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "testutil.h"

#ifndef __NR_mseal
#define __NR_mseal 462
#endif

size_t test_page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

int test_raw_mseal(void *addr, size_t len, unsigned long flags)
{
	long rc = syscall(__NR_mseal, addr, len, flags);

	return rc == 0 ? 0 : -errno;
}

int test_kernel_has_mseal(void)
{
	return test_raw_mseal(NULL, 0, 0) == 0;
}

int test_seccomp_filters(void)
{
	char line[256];
	int n = -1;
	FILE *f = fopen("/proc/self/status", "re");

	cr_assert(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Seccomp_filters:", 16) == 0)
			n = atoi(line + 16);
	fclose(f);
	cr_assert_geq(n, 0, "no Seccomp_filters line");
	return n;
}

int test_kernel_version(void)
{
	struct utsname uts;
	int major = 0, minor = 0;

	if (uname(&uts) == 0)
		sscanf(uts.release, "%d.%d", &major, &minor);
	return major * 1000 + minor;
}

void test_require_mseal(void)
{
	struct utsname uts;
	const char *require = getenv("LIBMSEAL_REQUIRE_MSEAL");
	int rc = test_raw_mseal(NULL, 0, 0);

	if (rc == 0)
		return;
	uname(&uts);
	if (require && strcmp(require, "1") == 0)
		cr_assert_fail("LIBMSEAL_REQUIRE_MSEAL=1 but mseal(0,0,0) failed "
			 "with %s on kernel %s", strerror(-rc), uts.release);
	cr_skip_test("mseal unavailable (%s) on kernel %s", strerror(-rc),
		     uts.release);
}

/* Parse one smaps header line: "start-end perms offset dev inode path". */
static int parse_header(const char *line, struct test_vma *vma)
{
	unsigned long start, end;
	int consumed = 0;

	if (sscanf(line, "%lx-%lx %4s %*x %*s %*u%n", &start, &end,
		   vma->perms, &consumed) < 3 || consumed == 0)
		return -1;
	vma->start = start;
	vma->end = end;
	line += consumed;
	while (*line == ' ')
		line++;
	snprintf(vma->path, sizeof(vma->path), "%s", line);
	vma->path[strcspn(vma->path, "\n")] = '\0';
	vma->vmflags[0] = '\0';
	vma->sealed = 0;
	return 0;
}

static int flags_have(const char *flags, const char *code)
{
	for (const char *p = flags; *p;) {
		while (*p == ' ')
			p++;
		if (p[0] && p[1] && p[0] == code[0] && p[1] == code[1] &&
		    (p[2] == ' ' || p[2] == '\0' || p[2] == '\n'))
			return 1;
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}

/*
 * Emulated conformance run (issue 6, tests/emulation/emul-trap.c): with
 * LIBMSEAL_TEST_EMULATE=1 the raw mseal calls are trapped into libmseal's
 * seccomp emulation, which sets no "sl" flag. A page then counts as
 * sealed when the emulation holds it committed; the library is found at
 * run time (the preloaded module brings it), so no test links it.
 */
static int test_emulated_sealed(uintptr_t addr)
{
	int (*range)(size_t, uint64_t *, uint64_t *, unsigned int *);
	const char *on = getenv("LIBMSEAL_TEST_EMULATE");
	uint64_t s, e;
	unsigned int fl;

	if (!on || strcmp(on, "1") != 0)
		return 0;
	*(void **)&range = dlsym(RTLD_DEFAULT, "mseal_fallback_range");
	for (size_t i = 0; range && range(i, &s, &e, &fl) == 1; i++)
		if (addr >= s && addr < e && (fl & 1u))
			return 1;
	return 0;
}

int test_vma_at(const void *addr, struct test_vma *out)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char *line = NULL;
	size_t cap = 0;
	struct test_vma cur;
	int found = 0, in_target = 0;

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "VmFlags:", 8) == 0) {
			if (in_target) {
				snprintf(cur.vmflags, sizeof(cur.vmflags), "%s",
					 line + 8);
				cur.vmflags[strcspn(cur.vmflags, "\n")] = '\0';
				cur.sealed = flags_have(cur.vmflags, "sl");
				*out = cur;
				found = 1;
				break;
			}
			continue;
		}
		if (parse_header(line, &cur) == 0)
			in_target = (uintptr_t)addr >= cur.start &&
				    (uintptr_t)addr < cur.end;
	}
	free(line);
	fclose(f);
	if (found && !out->sealed)
		out->sealed = test_emulated_sealed((uintptr_t)addr);
	return found ? 0 : -1;
}

int test_is_sealed(const void *addr)
{
	struct test_vma vma;

	if (test_vma_at(addr, &vma) != 0)
		return -1;
	return vma.sealed;
}

int test_perms(const void *addr, char perms[5])
{
	struct test_vma vma;

	if (test_vma_at(addr, &vma) != 0)
		return -1;
	memcpy(perms, vma.perms, 5);
	return 0;
}

int test_has_vmflag(const void *addr, const char *code)
{
	struct test_vma vma;

	if (test_vma_at(addr, &vma) != 0)
		return 0;
	return flags_have(vma.vmflags, code);
}

void *test_map(size_t pages, int prot, int fill)
{
	size_t len = pages * test_page();
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		cr_assert_fail("mmap of %zu pages: %s", pages, strerror(errno));
	memset(p, fill, len);
	if (mprotect(p, len, prot) != 0)
		cr_assert_fail("mprotect: %s", strerror(errno));
	return p;
}
