// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Run after execve(2) from a process that sealed through the emulation:
 * the seals of the old image died with it, the filter did not. Exit 0
 * when mmap(MAP_FIXED) at the address given (hex) fails with EPERM and
 * /proc/self/status shows Seccomp 2 and NoNewPrivs 1; else a code
 * naming what differed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static int status_value(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	size_t kl = strlen(key);
	int v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			v = atoi(line + kl + 1);
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	void *addr, *r;

	if (argc != 2)
		return 2;
	addr = (void *)strtoul(argv[1], NULL, 16);
	if (status_value("Seccomp") != 2)
		return 3;
	if (status_value("NoNewPrivs") != 1)
		return 4;
	r = mmap(addr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0);
	if (r != MAP_FAILED)
		return 5;
	return errno == EPERM ? 0 : 6;
}
