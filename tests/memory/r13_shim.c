// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Field report R13, run with the preload shim (LD_PRELOAD, as `mseal run`
 * sets it): after the shim's constructor sealed the loaded objects, the
 * program mprotects a page-aligned .data global to PROT_READ and hands it
 * to mseal_protect_after_init(). Expected: the shim sealed our text but
 * not .data, so the mprotect works and the page ends up sealed, while the
 * rest of .data stays writable. A plain program (no Criterion) so it runs
 * under the shim without a sanitizer. Exit 0 pass, 77 skip, 1 fail.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libmseal.h>

static char r13_data[2][4096] __attribute__((aligned(4096))) = { { 1 } };

/* 1 sealed, 0 not, -1 no mapping: from /proc/self/smaps VmFlags. */
static int sealed_at(const void *addr, char perms[5])
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[1024];
	int in = 0, rc = -1;
	unsigned long start, end;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = (uintptr_t)addr >= start && (uintptr_t)addr < end;
		} else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			rc = strstr(line, " sl") != NULL;
			break;
		}
	}
	if (f)
		fclose(f);
	return rc;
}

#define FAIL(...)                                                          \
	do {                                                               \
		fprintf(stderr, "r13-shim: " __VA_ARGS__);                 \
		return 1;                                                  \
	} while (0)

int main(void)
{
	char perms[5];
	int rc;

	if (syscall(462, 0, 0, 0) != 0) {
		printf("1..0 # SKIP mseal unavailable\n");
		return 77;
	}
	if (sysconf(_SC_PAGESIZE) != sizeof(r13_data[0]))
		FAIL("page size is not 4096\n");
	if (sealed_at((const void *)main, perms) != 1)
		FAIL("text not sealed: was the shim preloaded?\n");
	if (sealed_at(r13_data[0], perms) != 0)
		FAIL(".data sealed by the shim\n");
	if (mprotect(r13_data[0], 4096, PROT_READ) != 0)
		FAIL("mprotect of a .data page failed\n");
	rc = mseal_protect_after_init(r13_data[0], 4096);
	if (rc != 0)
		FAIL("mseal_protect_after_init: %d\n", rc);
	if (sealed_at(r13_data[0], perms) != 1 || strcmp(perms, "r--p") != 0)
		FAIL("page not read-only and sealed (%s)\n", perms);
	r13_data[1][0] = 5; /* the rest of .data stays writable */
	if (sealed_at(r13_data[1], perms) != 0)
		FAIL("the next .data page was sealed\n");
	printf("ok: .data page sealed after the shim, neighbours writable\n");
	return 0;
}
