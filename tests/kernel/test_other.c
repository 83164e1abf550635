// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Operations that sealing does not block, or blocks silently (spec §2.1
 * lower rows, §3, §6.4): mlock, msync, mbind, /proc/self/mem and ptrace
 * writes, userfaultfd, file truncation, shmdt, io_destroy, fork, the vDSO,
 * PROCMAP_QUERY. brk, exec and stack growth are in test_process.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kutil.h"

/* Raw calls: ASan's mlock interceptor does nothing and returns 0. */
static long mlock_raw(void *p, size_t len)
{
	return syscall(SYS_mlock, p, len);
}

static long munlock_raw(void *p, size_t len)
{
	return syscall(SYS_munlock, p, len);
}

Test(other, mlock_sealed_ok_locked_and_sealed)
{
	char *p = k_anon(2, PROT_READ, 'l');

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(mlock_raw(p, 2 * PG), 0, "mlock: %s", strerror(errno));
	cr_assert_eq(test_has_vmflag(p, "lo"), 1);
	k_expect_sealed(p, 1);
	cr_assert_eq(munlock_raw(p, 2 * PG), 0);
	cr_assert_eq(test_has_vmflag(p, "lo"), 0);
	k_expect_sealed(p, 1);
}

Test(other, mlock_part_of_sealed_splits_all_stay_sealed)
{
	char *p = k_anon(3, PROT_READ, 'l');

	test_require_mseal();
	k_seal(p, 3 * PG);
	cr_assert_eq(mlock_raw(p + PG, PG), 0, "mlock: %s", strerror(errno));
	cr_assert_eq(test_has_vmflag(p + PG, "lo"), 1);
	cr_assert_eq(test_has_vmflag(p, "lo"), 0);
	for (int i = 0; i < 3; i++)
		k_expect_sealed(p + i * PG, 1);
	k_expect_fill(p, 3 * PG, 'l');
}

Test(other, msync_sealed_shared_file_ok)
{
	int fd = k_memfd(2, 'y');
	char *p = k_file(fd, 2, PROT_READ | PROT_WRITE, MAP_SHARED);
	char c;

	test_require_mseal();
	k_seal(p, 2 * PG);
	p[0] = 'Y';
	cr_assert_eq(msync(p, 2 * PG, MS_SYNC), 0);
	cr_assert_eq(msync(p, 2 * PG, MS_ASYNC | MS_INVALIDATE), 0);
	cr_assert_eq(pread(fd, &c, 1, 0), 1);
	cr_assert_eq(c, 'Y');
}

Test(other, mbind_default_policy_sealed_ok)
{
	char *p = k_anon(2, PROT_READ, 'b');

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(syscall(SYS_mbind, p, 2 * PG, 0 /* MPOL_DEFAULT */, NULL,
			     0UL, 0U), 0, "mbind: %s", strerror(errno));
	k_expect_sealed(p, 1);
}

/* O4: /proc/self/mem writes go through FOLL_FORCE; sealing allows them. */
static void procmem_case(int sealed)
{
	char *p = k_anon(1, PROT_READ, 'o');
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);

	test_require_mseal();
	cr_assert_geq(fd, 0);
	if (sealed)
		k_seal(p, PG);
	cr_assert_eq(pwrite(fd, "W", 1, (off_t)(uintptr_t)p), 1,
		     "pwrite: %s", strerror(errno));
	close(fd);
	cr_assert_eq(p[0], 'W');
	cr_assert_eq(p[1], 'o');
	k_expect_perms(p, "r--p");
	k_expect_sealed(p, sealed);
}

Test(other, proc_self_mem_write_sealed_ro_allowed)
{
	procmem_case(1);
}

Test(other, proc_self_mem_write_unsealed_control_allowed)
{
	procmem_case(0);
}

/* R23 (a): a tracer's PTRACE_POKEDATA into sealed read-only memory. */
static void ptrace_case(int sealed)
{
	char *p = k_anon(1, PROT_READ, 't');
	long word;
	int status;
	pid_t pid;

	test_require_mseal();
	if (sealed)
		k_seal(p, PG);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(2);
		raise(SIGSTOP);
		_exit(p[0] == 'P' && p[8] == 't' ? 0 : 1);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSTOPPED(status));
	cr_assert_eq(k_pid_sealed(pid, (uintptr_t)p), sealed);
	memcpy(&word, p, sizeof(word));
	memset(&word, 'P', 1);
	cr_assert_eq(ptrace(PTRACE_POKEDATA, pid, p, (void *)word), 0,
		     "POKEDATA: %s", strerror(errno));
	cr_assert_eq(ptrace(PTRACE_DETACH, pid, NULL, NULL), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0);
}

Test(other, ptrace_pokedata_sealed_ro_allowed_r23)
{
	ptrace_case(1);
}

Test(other, ptrace_pokedata_unsealed_control_allowed)
{
	ptrace_case(0);
}

/* O5-O5d: userfaultfd register, copy into a sealed RO page, unregister. */
Test(other, userfaultfd_register_copy_unregister_sealed_ro_allowed)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	char *src = k_anon(1, PROT_READ | PROT_WRITE, 'U');
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)p, .len = 2 * PG },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	struct uffdio_copy copy = {
		.dst = (uintptr_t)p, .src = (uintptr_t)src, .len = PG,
	};
	int uffd;

	test_require_mseal();
	cr_assert_neq(p, MAP_FAILED);
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	cr_assert_geq(uffd, 0, "userfaultfd: %s", strerror(errno));
	cr_assert_eq(ioctl(uffd, UFFDIO_API, &api), 0);
	k_seal(p, 2 * PG);
	cr_assert_eq(ioctl(uffd, UFFDIO_REGISTER, &reg), 0,
		     "UFFDIO_REGISTER: %s", strerror(errno));
	cr_assert_eq(ioctl(uffd, UFFDIO_COPY, &copy), 0, "UFFDIO_COPY: %s",
		     strerror(errno));
	cr_assert_eq(copy.copy, (int64_t)PG);
	cr_assert_eq(ioctl(uffd, UFFDIO_UNREGISTER, &reg.range), 0);
	close(uffd);
	k_expect_fill(p, PG, 'U');
	k_expect_perms(p, "r--p");
	k_expect_sealed(p, 1);
}

/* O6/O6a: sealing protects the mapping, not the file under it. */
static int read_first(void *arg)
{
	/* The default action, not a sanitizer's handler: die by SIGBUS. */
	signal(SIGBUS, SIG_DFL);
	return *(volatile char *)arg == 'T' ? 0 : 1;
}

static void truncate_case(int sealed)
{
	int fd = k_memfd(1, 'T');
	char *p = k_file(fd, 1, PROT_READ, MAP_SHARED);
	int status;

	test_require_mseal();
	if (sealed)
		k_seal(p, PG);
	cr_assert_eq(ftruncate(fd, 0), 0);
	status = k_in_child(read_first, p);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
		  "expected SIGBUS after truncation, status 0x%x", status);
	k_expect_sealed(p, sealed);
}

Test(other, ftruncate_under_sealed_shared_allowed_sigbus)
{
	truncate_case(1);
}

Test(other, ftruncate_under_unsealed_control_sigbus)
{
	truncate_case(0);
}

Test(other, madv_remove_sealed_ro_shared_file_allowed_zeroes_file)
{
	int fd = k_memfd(1, 'Z');
	char *p = k_file(fd, 1, PROT_READ, MAP_SHARED);
	char c = 'x';

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(madvise(p, PG, MADV_REMOVE), 0);
	cr_assert_eq(pread(fd, &c, 1, 0), 1);
	cr_assert_eq(c, 0);
	k_expect_fill(p, PG, 0);
}

/* O8/O8b: shmdt of a sealed attachment returns 0 but the mapping stays. */
static void shm_case(int sealed)
{
	int id = shmget(IPC_PRIVATE, PG, IPC_CREAT | 0600);
	char *p;

	test_require_mseal();
	cr_assert_geq(id, 0, "shmget: %s", strerror(errno));
	p = shmat(id, NULL, 0);
	/* Marked for removal now: it goes when the last attachment does. */
	shmctl(id, IPC_RMID, NULL);
	cr_assert_neq(p, (void *)-1);
	memset(p, 'H', PG);
	if (sealed)
		k_seal(p, PG);
	cr_assert_eq(shmdt(p), 0);
	if (sealed) {
		k_expect_sealed(p, 1);
		k_expect_fill(p, PG, 'H');
	} else {
		k_expect_unmapped(p);
	}
}

Test(other, shmdt_sealed_returns0_mapping_stays)
{
	shm_case(1);
}

Test(other, shmdt_unsealed_control_unmapped)
{
	shm_case(0);
}

/* AIO1-3: io_destroy of a sealed aio ring returns 0, the ring stays. */
static void aio_case(int sealed)
{
	unsigned long ctx = 0;
	struct test_vma ring;

	test_require_mseal();
	cr_assert_eq(syscall(SYS_io_setup, 1, &ctx), 0, "io_setup: %s",
		     strerror(errno));
	cr_assert_eq(test_vma_at((void *)ctx, &ring), 0);
	if (sealed)
		k_seal((void *)ring.start, ring.end - ring.start);
	cr_assert_eq(syscall(SYS_io_destroy, ctx), 0, "io_destroy: %s",
		     strerror(errno));
	if (sealed)
		k_expect_sealed((void *)ctx, 1);
	else
		k_expect_unmapped((void *)ctx);
}

Test(other, io_destroy_sealed_ring_returns0_ring_stays)
{
	aio_case(1);
}

Test(other, io_destroy_unsealed_control_ring_unmapped)
{
	aio_case(0);
}

/* O9: a forked child inherits the seal. */
static char *fork_page;

static int child_tries(void *arg)
{
	int sealed = *(int *)arg;
	int want = sealed ? EPERM : 0;

	if ((mprotect(fork_page, PG, PROT_READ | PROT_WRITE) ? errno : 0) != want)
		return 1;
	if ((munmap(fork_page + PG, PG) ? errno : 0) != want)
		return 2;
	return 0;
}

static void fork_case(int sealed)
{
	struct k_held held;

	test_require_mseal();
	fork_page = k_anon(2, PROT_READ, 'k');
	if (sealed)
		k_seal(fork_page, 2 * PG);
	k_hold_child(child_tries, &sealed, &held);
	cr_assert_eq(k_pid_sealed(held.pid, (uintptr_t)fork_page), sealed);
	cr_assert_eq(k_release_child(&held), 0, "child saw wrong errno");
	k_expect_sealed(fork_page, sealed);
	k_expect_perms(fork_page, "r--p");
}

Test(other, fork_child_inherits_seal_eperm)
{
	fork_case(1);
}

Test(other, fork_child_unsealed_control_ok)
{
	fork_case(0);
}

/* O11a/O11b: a user-sealed [vdso] cannot be moved. */
Test(other, vdso_user_sealed_mremap_eperm)
{
	struct test_vma v;
	unsigned long vdso = 0;
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	void *dst;

	test_require_mseal();
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vdso]"))
			vdso = strtoul(line, NULL, 16);
	fclose(f);
	cr_assert_neq(vdso, 0);
	cr_assert_eq(test_vma_at((void *)vdso, &v), 0);
	dst = k_hole((v.end - v.start) / PG);
	k_seal((void *)v.start, v.end - v.start);
	cr_assert_eq((void *)syscall(SYS_mremap, v.start, v.end - v.start,
				     v.end - v.start,
				     MREMAP_MAYMOVE | MREMAP_FIXED, dst),
		     MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	k_expect_sealed((void *)vdso, 1);
	k_expect_unmapped(dst);
}

/* V1: PROCMAP_QUERY (6.11+) has no sealed bit (spec §3). */
struct k_procmap_query {
	uint64_t size, query_flags, query_addr, vma_start, vma_end, vma_flags;
	uint64_t vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define K_PROCMAP_QUERY _IOWR('f', 17, struct k_procmap_query)

static uint64_t query_flags(int fd, void *addr)
{
	struct k_procmap_query q = { .size = sizeof(q) };

	q.query_addr = (uintptr_t)addr;
	cr_assert_eq(ioctl(fd, K_PROCMAP_QUERY, &q), 0,
		     "PROCMAP_QUERY: %s", strerror(errno));
	return q.vma_flags;
}

Test(other, procmap_query__6_11_same_flags_sealed_and_unsealed)
{
	char *a = k_anon(1, PROT_READ, 'v');
	char *b = k_anon(1, PROT_READ, 'v');
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	struct k_procmap_query q = { .size = sizeof(q) };

	test_require_mseal();
	cr_assert_geq(fd, 0);
	k_seal(b, PG);
	if (k_ver() < 6011) {
		cr_assert_eq(ioctl(fd, K_PROCMAP_QUERY, &q), -1);
		return;
	}
	cr_assert_eq(query_flags(fd, a), 0x1);
	cr_assert_eq(query_flags(fd, b), 0x1);
	close(fd);
}
