// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Exec'd by the kernel suite after its parent sealed a mapping at ADDR
 * (hex, argv[1]). Reports whether any of its own user mappings is sealed
 * (kernel system mappings such as [vdso] may be sealed by
 * CONFIG_MSEAL_SYSTEM_MAPPINGS and are left out) and whether it can map
 * and unmap a page at ADDR, which a surviving seal would forbid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static int is_system_mapping(const char *line)
{
	static const char *const names[] = {
		"[vdso]", "[vvar]", "[vvar_vclock]", "[uprobes]", "[vsyscall]",
		"[sigpage]", "[vectors]", NULL,
	};

	for (int i = 0; names[i]; i++)
		if (strstr(line, names[i]))
			return 1;
	return 0;
}

static int count_user_sealed(void)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[1024];
	int system = 0, sealed = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "VmFlags:", 8) == 0) {
			if (!system && strstr(line, " sl"))
				sealed++;
			continue;
		}
		/* A header line: "start-end perms ..." */
		if (strchr(line, '-') && strchr(line, '-') < strchr(line, ' '))
			system = is_system_mapping(line);
	}
	fclose(f);
	return sealed;
}

int main(int argc, char **argv)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *addr, *p;
	const char *fixed;

	if (argc != 2)
		return 2;
	addr = (void *)strtoul(argv[1], NULL, 16);
	p = mmap(addr, page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == addr)
		fixed = munmap(p, page) == 0 ? "ok" : "munmap-failed";
	else
		fixed = "busy";
	printf("user_sealed=%d fixed_at_old_addr=%s\n", count_user_sealed(),
	       fixed);
	return 0;
}
