// SPDX-License-Identifier: LGPL-2.1-or-later
/* The not-applicable table; see na.h. No Criterion here: kernel_na.c and
 * the custom mains of the machine-dependent binaries use it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "na.h"

#ifndef SYS_pkey_alloc
#define SYS_pkey_alloc 330
#endif
#ifndef SYS_pkey_free
#define SYS_pkey_free 331
#endif

static const char *const names[K_NA_COUNT] = {
	[K_NA_PKU] = "pkey: sealed RW anon with PKEY_DISABLE_WRITE counts as "
		     "read-only (§2.2), pkey_mprotect with a real pkey",
	[K_NA_ZERO_ADDR] = "zero address: seal a MAP_FIXED page at 0, mremap "
			   "to 0 (selftest zero_address, move_fixed_zero)",
	[K_NA_I386] = "i386 entry: mseal (462) through int $0x80 (I0)",
	[K_NA_SYSMAP] = "system mappings: kernel-sealed [vdso]/[vvar] refuse "
			"mremap/munmap (spec §4, sysmap_is_sealed)",
	[K_NA_HUGETLB] = "hugetlb: seal inside/first 4 KiB of a 2 MiB page "
			 "EINVAL, whole page 0, partial seal (H1-H3, P1)",
	[K_NA_MAP_COUNT] = "map count: split at vm.max_map_count gives "
			   "ENOMEM, earlier VMAs stay sealed (§1.2 step 9)",
	[K_NA_32BIT] = "32-bit kernel: mseal returns ENOSYS (§1.2)",
	[K_NA_EINTR] = "EINTR: mseal with a fatal signal pending (§1.2 step 7)",
};

const char *k_na_name(enum k_na_group group)
{
	return group < K_NA_COUNT ? names[group] : "unknown";
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* 1 when `int $0x80` (i386 getpid, number 20) works in a child. */
static int i386_entry_works(void)
{
#if defined(__x86_64__)
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return 0;
	if (pid == 0) {
		long ret;

		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
		_exit(ret > 0 ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
#else
	return 0;
#endif
}

/* 1 when [vdso] of this process carries "sl". */
static int vdso_sealed(void)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	int in = 0, sealed = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "VmFlags:", 8) == 0) {
			if (in)
				sealed = strstr(line, " sl") != NULL;
			in = 0;
		} else if (strstr(line, "[vdso]")) {
			in = 1;
		}
	}
	fclose(f);
	return sealed;
}

static int hugetlb_na(char *why, size_t size)
{
	long free_pages = -1;
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];

	if (f) {
		while (fgets(line, sizeof(line), f))
			sscanf(line, "HugePages_Free: %ld", &free_pages);
		fclose(f);
	}
	if (free_pages >= 4)
		return 0;
	if (geteuid() == 0 && access("/proc/sys/vm/nr_hugepages", W_OK) == 0)
		return 0; /* test_hugetlb reserves and restores them */
	snprintf(why, size, "%ld free 2 MiB huge pages and not root to "
		 "reserve any", free_pages);
	return 1;
}

int k_na_check(enum k_na_group group, char *why, size_t size)
{
	struct utsname uts;
	long v;

	switch (group) {
	case K_NA_PKU:
		v = syscall(SYS_pkey_alloc, 0, 0);
		if (v >= 0) {
			syscall(SYS_pkey_free, v);
			return 0; /* test_pkey runs them */
		}
		snprintf(why, size, "pkey_alloc: %s (no PKU on this CPU)",
			 strerror(errno));
		return 1;
	case K_NA_ZERO_ADDR:
		v = read_long("/proc/sys/vm/mmap_min_addr");
		if (v != 0)
			snprintf(why, size, "vm.mmap_min_addr is %ld; address "
				 "0 cannot be mapped", v);
		else
			snprintf(why, size, "vm.mmap_min_addr is 0, but the "
				 "suite has no case for it yet");
		return 1;
	case K_NA_I386:
		if (i386_entry_works())
			return 0; /* test_i386 runs them */
		snprintf(why, size, "the i386 int $0x80 entry is not usable "
			 "here (no IA32 emulation, or not x86_64)");
		return 1;
	case K_NA_SYSMAP:
		if (vdso_sealed()) {
			snprintf(why, size, "[vdso] is kernel-sealed here; the "
				 "user-sealed [vdso] cases cover its rules");
			return 1;
		}
		snprintf(why, size, "[vdso] is not sealed: kernel built "
			 "without CONFIG_MSEAL_SYSTEM_MAPPINGS");
		return 1;
	case K_NA_HUGETLB:
		return hugetlb_na(why, size);
	case K_NA_MAP_COUNT:
		v = read_long("/proc/sys/vm/max_map_count");
		if (v > 0 && v <= 262144)
			return 0;
		snprintf(why, size, "vm.max_map_count is %ld: too many "
			 "mappings to fill in a test", v);
		return 1;
	case K_NA_32BIT:
		uname(&uts);
		snprintf(why, size, "this is a %s kernel", uts.machine);
		return 1;
	case K_NA_EINTR:
		snprintf(why, size, "needs a fatal signal to arrive while "
			 "mseal waits for mmap_lock: not reproducible");
		return 1;
	default:
		return 0;
	}
}

int k_na_print(void *out)
{
	char why[256];
	int n = 0;

	for (int g = 0; g < K_NA_COUNT; g++) {
		if (!k_na_check(g, why, sizeof(why)))
			continue;
		fprintf(out, "# not applicable: %s: %s\n", k_na_name(g), why);
		n++;
	}
	return n;
}
