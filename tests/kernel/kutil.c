// SPDX-License-Identifier: LGPL-2.1-or-later
/* Helpers for the kernel conformance suite; see kutil.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kutil.h"

int k_ver(void)
{
	return test_kernel_version();
}

int k_rule_per_vma(void)
{
	return k_ver() >= 6012;
}

int k_rule_mremap_multi_move(void)
{
	return k_ver() >= 6017;
}

int k_rule_anon_is_vma_anon(void)
{
	return k_ver() >= 6017;
}

int k_rule_guard(void)
{
	return k_ver() >= 6013;
}

int k_rule_guard_file(void)
{
	return k_ver() >= 6015;
}

int k_rule_process_madvise_any(void)
{
	return k_ver() >= 6013;
}

int k_rule_old_len0_checked(void)
{
	return k_ver() >= 6012;
}

int k_rule_bitmask_bug(void)
{
	/* Fixed in 6.11 and sent to stable; which 6.10.y took it is not in
	 * the spec, so every 6.10 release is treated as possibly affected. */
	return k_ver() == 6010;
}

static void *map_or_fail(size_t pages, int prot, int flags, int fd)
{
	void *p = mmap(NULL, pages * PG, prot, flags, fd, 0);

	if (p == MAP_FAILED)
		cr_assert_fail("mmap of %zu pages: %s", pages, strerror(errno));
	return p;
}

void *k_anon(size_t pages, int prot, int fill)
{
	return test_map(pages, prot, fill);
}

void *k_shared_anon(size_t pages, int prot, int fill)
{
	void *p = map_or_fail(pages, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1);

	memset(p, fill, pages * PG);
	cr_assert_eq(mprotect(p, pages * PG, prot), 0);
	return p;
}

int k_memfd(size_t pages, int fill)
{
	char buf[4096];
	int fd = memfd_create("kernel-conformance", MFD_CLOEXEC);

	cr_assert_geq(fd, 0, "memfd_create: %s", strerror(errno));
	memset(buf, fill, sizeof(buf));
	for (size_t done = 0; done < pages * PG; done += sizeof(buf))
		cr_assert_eq(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	return fd;
}

void *k_file(int fd, size_t pages, int prot, int flags)
{
	return map_or_fail(pages, prot, flags, fd);
}

void *k_hole(size_t pages)
{
	void *p = map_or_fail(pages, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);

	cr_assert_eq(munmap(p, pages * PG), 0);
	return p;
}

void k_seal(void *p, size_t len)
{
	int rc = test_raw_mseal(p, len, 0);

	cr_assert_eq(rc, 0, "mseal(%p, %zu): %s", p, len, strerror(-rc));
}

void k_expect_fill(const void *p, size_t len, int fill)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		if (c[i] != (unsigned char)fill)
			cr_assert_fail("byte %zu of %p is 0x%02x, expected 0x%02x",
				       i, p, c[i], (unsigned char)fill);
}

void k_expect_perms(const void *p, const char *perms)
{
	char got[5];

	cr_assert_eq(test_perms(p, got), 0, "%p is not mapped", p);
	cr_assert_str_eq(got, perms, "%p has %s, expected %s", p, got, perms);
}

void k_expect_sealed(const void *p, int sealed)
{
	int got = test_is_sealed(p);

	cr_assert_eq(got, sealed, "%p: sealed=%d, expected %d", p, got, sealed);
}

void k_expect_unmapped(const void *p)
{
	cr_assert_eq(test_is_sealed(p), -1, "%p is still mapped", p);
}

int k_in_child(int (*fn)(void *), void *arg)
{
	int status = 0;
	pid_t pid = fork();

	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(fn(arg));
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static int touch_byte(void *arg)
{
	return *(volatile const char *)arg == 0x7f ? 3 : 0;
}

int k_readable(const void *p)
{
	int status = k_in_child(touch_byte, (void *)p);

	/* ASan may turn the fault into exit(1): only 0 and 3 mean "read". */
	return WIFEXITED(status) &&
	       (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3);
}

int k_pid_sealed(pid_t pid, uintptr_t addr)
{
	char path[64], line[512];
	unsigned long start, end;
	int in = 0, result = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = addr >= start && addr < end;
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			result = strstr(line, " sl") != NULL;
			break;
		}
	}
	fclose(f);
	return result;
}

void k_hold_child(int (*fn)(void *), void *arg, struct k_held *out)
{
	int ready[2], release[2];
	char c;
	pid_t pid;

	cr_assert_eq(pipe2(ready, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(release, O_CLOEXEC), 0);
	pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int status = fn(arg);

		close(ready[0]);
		close(release[1]);
		if (write(ready[1], "r", 1) != 1)
			_exit(99);
		while (read(release[0], &c, 1) > 0)
			;
		_exit(status);
	}
	close(ready[1]);
	close(release[0]);
	cr_assert_eq(read(ready[0], &c, 1), 1, "child died before reporting");
	close(ready[0]);
	out->pid = pid;
	out->release_fd = release[1];
}

int k_release_child(struct k_held *held)
{
	int status = 0;

	close(held->release_fd);
	cr_assert_eq(waitpid(held->pid, &status, 0), held->pid);
	return status;
}
