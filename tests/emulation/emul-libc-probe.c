// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Run under emul-seal-objects.so: prints the errno name of mprotect(2) on
 * the page of libc's text holding printf(3), and of the same call on a
 * fresh anonymous page (the control); exits 0.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *result(int rc)
{
	return rc == 0 ? "ok" : errno == EPERM ? "EPERM" : strerror(errno);
}

int main(void)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	/* libc's own printf, not a PLT entry of this program */
	void *text = (void *)((uintptr_t)dlsym(RTLD_DEFAULT, "printf") &
			      ~(page - 1));
	void *fresh = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	int rc = mprotect(text, page, PROT_READ | PROT_EXEC);
	const char *a = result(rc);
	int rc2 = mprotect(fresh, page, PROT_READ | PROT_WRITE);

	printf("libc-text %s\nfresh %s\n", a, result(rc2));
	return 0;
}
