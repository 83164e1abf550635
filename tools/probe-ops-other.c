// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Probe operations that leave the mapping's shape alone: madvise (the
 * discard rule of spec §2.2), process_madvise, brk, shmdt, io_destroy,
 * mlock, msync, /proc/self/mem, userfaultfd, truncation, fork, exec and
 * stack growth (spec §2.1, §6.4).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROBE_OP_TABLE
#include "probe-ops.h"

#define PG (probe_page())

#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

static char *sealed_anon(struct probe_result *r, int prot)
{
	return probe_sealed_anon(r, 2, prot);
}

/* madvise on a sealed mapping; a refusal must leave the data. */
static void advise(struct probe_result *r, char *p, int advice)
{
	if (!p)
		return;
	PROBE_CALL(r, madvise(p, 2 * PG, advice) != 0);
	if (r->outcome == PROBE_ALLOWED)
		r->side_effects = -1;
	else
		probe_side(r, !probe_intact(p, 2 * PG, 's'), "data discarded");
}

/* madvise(@advice) on two sealed read-only pages. */
static void op_advise_ro(struct probe_result *r, int advice)
{
	advise(r, sealed_anon(r, PROT_READ), advice);
}

static void op_dontneed_rw(struct probe_result *r, int arg)
{
	advise(r, sealed_anon(r, PROT_READ | PROT_WRITE), MADV_DONTNEED);
}

static void op_dontneed_shared(struct probe_result *r, int arg)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		probe_unavailable(r, "cannot map", errno);
		return;
	}
	memset(p, 's', 2 * PG);
	if (mprotect(p, 2 * PG, PROT_READ) != 0 || probe_seal(p, 2 * PG)) {
		probe_unavailable(r, "cannot seal", errno);
		return;
	}
	advise(r, p, MADV_DONTNEED);
}

static void op_dontneed_file(struct probe_result *r, int arg)
{
	int fd;
	char *p = probe_sealed_file(r, MAP_PRIVATE, &fd);

	if (!p)
		return;
	advise(r, p, MADV_DONTNEED);
}

static void op_dontneed_devzero(struct probe_result *r, int arg)
{
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	char *p = fd < 0 ? MAP_FAILED :
			   mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);

	if (p == MAP_FAILED || probe_seal(p, 2 * PG) != 0) {
		probe_unavailable(r, "cannot map and seal /dev/zero", errno);
		return;
	}
	PROBE_CALL(r, madvise(p, 2 * PG, MADV_DONTNEED) != 0);
	r->side_effects = r->outcome == PROBE_ALLOWED ? -1 : 0;
}

/* Seal the (last) mapping whose path is @path; 0, or -1 when there is
 * none or it cannot be sealed. *start and *end get its bounds. */
static int seal_named(const char *path, uint64_t *start, uint64_t *end)
{
	const struct mseal_region *reg;
	struct mseal_maps *maps;

	*start = *end = 0;
	if (mseal_maps_open(0, NULL, 0, &maps) == 0) {
		while (mseal_maps_next(maps, &reg) == 1)
			if (strcmp(reg->path, path) == 0) {
				*start = reg->start;
				*end = reg->end;
			}
		mseal_maps_free(maps);
	}
	if (!*end || probe_seal((void *)(uintptr_t)*start, *end - *start) != 0)
		return -1;
	return 0;
}

static void op_dontneed_vdso(struct probe_result *r, int arg)
{
	uint64_t start, end;

	if (seal_named("[vdso]", &start, &end) != 0) {
		probe_unavailable(r, "no [vdso] to seal", errno);
		return;
	}
	PROBE_CALL(r, madvise((void *)(uintptr_t)start, end - start,
				   MADV_DONTNEED) != 0);
	r->side_effects = -1;
}

static void op_process_madvise(struct probe_result *r, int arg)
{
	char *p = sealed_anon(r, PROT_READ);
	struct iovec iov = { .iov_base = p, .iov_len = 2 * PG };
	int pidfd;

	if (!p)
		return;
	pidfd = (int)syscall(434 /* pidfd_open */, getpid(), 0);
	if (pidfd < 0) {
		probe_unavailable(r, "pidfd_open failed", errno);
		return;
	}
	PROBE_CALL(r, syscall(440 /* process_madvise */, pidfd, &iov, 1,
				   MADV_DONTNEED, 0) < 0);
	r->side_effects = r->outcome == PROBE_ALLOWED ? -1 :
			  !probe_intact(p, 2 * PG, 's');
}

/* brk: grow fresh pages above the break, seal the top two, shrink. No
 * malloc between the raw brk calls: glibc caches the break. */
static void op_brk(struct probe_result *r, int arg)
{
	uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
	uintptr_t base = (cur + PG - 1) & ~(uintptr_t)(PG - 1);
	uintptr_t got;

	if ((uintptr_t)syscall(SYS_brk, base + 4 * PG) != base + 4 * PG ||
	    probe_seal((void *)(base + 2 * PG), 2 * PG) != 0) {
		probe_unavailable(r, "cannot grow and seal the heap", errno);
		return;
	}
	got = (uintptr_t)syscall(SYS_brk, base + PG);
	r->err = 0;
	r->outcome = got == base + 4 * PG ? PROBE_BLOCKED : PROBE_ALLOWED;
	r->side_effects = 0;
	if (r->outcome == PROBE_BLOCKED)
		strcpy(r->note, "break unchanged");
}

static void op_shmdt(struct probe_result *r, int arg)
{
	int id = shmget(IPC_PRIVATE, PG, IPC_CREAT | 0600);
	char *p = id < 0 ? (char *)-1 : shmat(id, NULL, 0);

	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
	if (p == (char *)-1 || probe_seal(p, PG) != 0) {
		probe_unavailable(r, "cannot attach and seal SysV shm", errno);
		return;
	}
	PROBE_CALL(r, shmdt(p) != 0);
	if (r->outcome == PROBE_ALLOWED && probe_state(p, NULL) == 1) {
		r->outcome = PROBE_IGNORED;
		strcpy(r->note, "returned 0, still mapped");
	}
	r->side_effects = 0;
}

static void op_io_destroy(struct probe_result *r, int arg)
{
	unsigned long ctx = 0;
	const struct mseal_region *reg;
	struct mseal_maps *maps;
	int sealed = 0;

	if (syscall(SYS_io_setup, 1, &ctx) != 0) {
		probe_unavailable(r, "io_setup failed", errno);
		return;
	}
	if (mseal_maps_open(0, NULL, 0, &maps) == 0) {
		while (mseal_maps_next(maps, &reg) == 1)
			if (ctx >= reg->start && ctx < reg->end)
				sealed = probe_seal((void *)(uintptr_t)reg->start,
						    reg->end - reg->start) == 0;
		mseal_maps_free(maps);
	}
	if (!sealed) {
		probe_unavailable(r, "cannot seal the aio ring", errno);
		return;
	}
	PROBE_CALL(r, syscall(SYS_io_destroy, ctx) != 0);
	if (r->outcome == PROBE_ALLOWED &&
	    probe_state((void *)(uintptr_t)ctx, NULL) == 1) {
		r->outcome = PROBE_IGNORED;
		strcpy(r->note, "returned 0, ring still mapped");
	}
	r->side_effects = 0;
}

static void op_mlock(struct probe_result *r, int arg)
{
	char *p = sealed_anon(r, PROT_READ);

	if (p)
		PROBE_CALL(r, syscall(SYS_mlock, p, 2 * PG) != 0);
	r->side_effects = -1;
}

static void op_msync(struct probe_result *r, int arg)
{
	int fd;
	char *p = probe_sealed_file(r, MAP_SHARED, &fd);

	if (!p)
		return;
	PROBE_CALL(r, msync(p, 2 * PG, MS_SYNC) != 0);
	r->side_effects = -1;
}

static void op_proc_mem(struct probe_result *r, int arg)
{
	char *p = sealed_anon(r, PROT_READ);
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);

	if (!p || fd < 0) {
		if (p)
			probe_unavailable(r, "cannot open /proc/self/mem", errno);
		return;
	}
	PROBE_CALL(r, pwrite(fd, "W", 1, (off_t)(uintptr_t)p) != 1);
	r->side_effects = -1;
	if (r->outcome == PROBE_ALLOWED && p[0] == 'W')
		strcpy(r->note, "byte written");
}

static void op_uffd(struct probe_result *r, int arg)
{
	char *p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *src = probe_anon(1, PROT_READ, 'U');
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_copy copy = { .len = PG };
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (p == MAP_FAILED || !src || uffd < 0 ||
	    ioctl(uffd, UFFDIO_API, &api) != 0 || probe_seal(p, PG) != 0) {
		probe_unavailable(r, "userfaultfd unavailable", errno);
		return;
	}
	reg.range.start = (uintptr_t)p;
	reg.range.len = PG;
	copy.dst = (uintptr_t)p;
	copy.src = (uintptr_t)src;
	PROBE_CALL(r, ioctl(uffd, UFFDIO_REGISTER, &reg) != 0 ||
			ioctl(uffd, UFFDIO_COPY, &copy) != 0);
	r->side_effects = -1;
	if (r->outcome == PROBE_ALLOWED && p[0] == 'U')
		strcpy(r->note, "page filled by UFFDIO_COPY");
}

static void op_ftruncate(struct probe_result *r, int arg)
{
	int fd;
	char *p = probe_sealed_file(r, MAP_SHARED, &fd);

	if (!p)
		return;
	PROBE_CALL(r, ftruncate(fd, 0) != 0);
	r->side_effects = -1;
	if (r->outcome == PROBE_ALLOWED)
		strcpy(r->note, "access now raises SIGBUS");
}

/* Two sealed read-only pages, then a child that runs @child on them and
 * must _exit; 0 with *status its wait status, or -1 with @r set. */
static int sealed_child(struct probe_result *r, void (*child)(char *p),
			int *status)
{
	char *p = sealed_anon(r, PROT_READ);
	pid_t pid;

	if (!p)
		return -1;
	pid = fork();
	if (pid == 0)
		child(p);
	if (pid < 0 || waitpid(pid, status, 0) != pid) {
		probe_unavailable(r, "fork failed", errno);
		return -1;
	}
	return 0;
}

/* Exit 0 unmapped, 1 refused with EPERM, 2 another errno; +2 when a
 * refusal still left the sealed pages changed (the child's own copy). */
static void munmap_child(char *p)
{
	int code;

	if (munmap(p, 2 * PG) == 0)
		_exit(0);
	code = errno == EPERM ? 1 : 2;
	if (probe_state(p, NULL) != 1 || probe_state(p + PG, NULL) != 1 ||
	    !probe_intact(p, 2 * PG, 's'))
		code += 2;
	_exit(code);
}

static void op_fork(struct probe_result *r, int arg)
{
	int status = 0, code;

	if (sealed_child(r, munmap_child, &status) != 0)
		return;
	if (!WIFEXITED(status)) {
		probe_unavailable(r, "fork failed", errno);
		return;
	}
	code = WEXITSTATUS(status);
	if (code > 4) {
		probe_unavailable(r, "the child failed", 0);
		return;
	}
	r->outcome = code == 0 ? PROBE_ALLOWED : code % 2 ? PROBE_BLOCKED :
		     PROBE_FAILED;
	r->err = code % 2 ? EPERM : 0;
	strcpy(r->note, "munmap in the child; the seal is inherited");
	if (code == 0)
		r->side_effects = -1;
	else
		probe_side(r, code > 2, "the child's sealed pages changed");
}

static void exec_child(char *p)
{
	execl("/bin/true", "true", (char *)NULL);
	_exit(127);
}

static void op_exec(struct probe_result *r, int arg)
{
	int status = 0;

	if (sealed_child(r, exec_child, &status) != 0)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		probe_unavailable(r, "no /bin/true to exec", ENOENT);
		return;
	}
	probe_from_call(r, !WIFEXITED(status) || WEXITSTATUS(status) != 0, 0);
	r->side_effects = -1;
	strcpy(r->note, "the new image starts with no seals");
}

/* Use @bytes of stack below the current frame. */
static __attribute__((noinline)) int use_stack(size_t bytes)
{
	volatile char frame[32 * 1024];

	memset((char *)frame, 1, sizeof(frame));
	if (bytes > sizeof(frame))
		return use_stack(bytes - sizeof(frame)) + frame[3];
	return frame[5];
}

static void op_stack(struct probe_result *r, int arg)
{
	uint64_t start, end;

	if (seal_named("[stack]", &start, &end) != 0) {
		probe_unavailable(r, "cannot seal [stack]", errno);
		return;
	}
	use_stack(384 * 1024);
	r->err = 0;
	r->outcome = probe_state((void *)(uintptr_t)(start - 128 * 1024),
				 NULL) == 1 ? PROBE_ALLOWED : PROBE_BLOCKED;
	r->side_effects = -1;
	if (r->outcome == PROBE_ALLOWED)
		strcpy(r->note, "grew and stayed sealed");
}

PROBE_EXPECT_RULE(expect_guard, guard_install_blocked, PROBE_BLOCKED,
		  PROBE_FAILED)
PROBE_EXPECT_RULE(expect_random, bitmask_bug_possible, PROBE_EITHER,
		  PROBE_ALLOWED)
PROBE_EXPECT_RULE(expect_pmadvise, process_madvise_any, PROBE_BLOCKED,
		  PROBE_FAILED)

static int expect_devzero(const struct mseal_rules *rules)
{
	return rules->madvise_anon_definition == LIBMSEAL_ANON_VMA_IS_ANONYMOUS ?
		       PROBE_BLOCKED : PROBE_ALLOWED;
}

static int expect_vdso(const struct mseal_rules *rules)
{
	return rules->madvise_anon_definition == LIBMSEAL_ANON_VMA_IS_ANONYMOUS ?
		       PROBE_ALLOWED : PROBE_BLOCKED;
}

/* A row for madvise(@advice) on two sealed read-only pages. */
#define ADVISE_RO(name, advice, spec, expect) \
	{ name, RO, spec, op_advise_ro, expect, advice }

const struct probe_op probe_ops_other[] = {
	ADVISE_RO("madvise DONTNEED", MADV_DONTNEED, "§2.2", BLOCKED),
	ADVISE_RO("madvise FREE", MADV_FREE, "§2.2", BLOCKED),
	ADVISE_RO("madvise REMOVE", MADV_REMOVE, "§2.2", BLOCKED),
	ADVISE_RO("madvise DONTFORK", MADV_DONTFORK, "§2.2", BLOCKED),
	ADVISE_RO("madvise WIPEONFORK", MADV_WIPEONFORK, "§2.2", BLOCKED),
	ADVISE_RO("madvise DONTNEED_LOCKED", MADV_DONTNEED_LOCKED, "§2.2",
		  BLOCKED),
	ADVISE_RO("madvise GUARD_INSTALL", MADV_GUARD_INSTALL, "§2.2, 6.13",
		  expect_guard),
	ADVISE_RO("madvise RANDOM", MADV_RANDOM, "§0 6.11 fix", expect_random),
	{ "madvise DONTNEED", "private anon rw-", "§2.2", op_dontneed_rw,
	  ALLOWED, 0 },
	{ "madvise DONTNEED", "shared anon r--", "§2.2", op_dontneed_shared,
	  ALLOWED, 0 },
	{ "madvise DONTNEED", "private file r--", "§2.2 X5",
	  op_dontneed_file, ALLOWED, 0 },
	{ "madvise DONTNEED", "private /dev/zero r--", "§2.1, 6.17 X4",
	  op_dontneed_devzero, expect_devzero, 0 },
	{ "madvise DONTNEED", "[vdso], user-sealed", "§2.1, 6.17 X8",
	  op_dontneed_vdso, expect_vdso, 0 },
	{ "process_madvise DONTNEED, self", RO, "§2.1 A5",
	  op_process_madvise, expect_pmadvise, 0 },
	{ "brk shrink", "top heap pages", "§2.1 O7", op_brk, BLOCKED, 0 },
	{ "shmdt", "SysV shm", "§2.1 O8", op_shmdt,
	  probe_expect_ignored, 0 },
	{ "io_destroy", "aio ring", "§2.1 AIO", op_io_destroy,
	  probe_expect_ignored, 0 },
	{ "mlock", RO, "§6.4 O1", op_mlock, ALLOWED, 0 },
	{ "msync", "shared file r--", "§6.4 O3", op_msync, ALLOWED, 0 },
	{ "write /proc/self/mem", RO, "§6.4 O4", op_proc_mem, ALLOWED, 0 },
	{ "userfaultfd copy", RO, "§6.4 O5", op_uffd, ALLOWED, 0 },
	{ "ftruncate the file", "shared file r--", "§6.4 O6", op_ftruncate,
	  ALLOWED, 0 },
	{ "munmap after fork", RO, "§2.1 O9", op_fork, BLOCKED, 0 },
	{ "execve", RO, "§1.3 O10", op_exec, ALLOWED, 0 },
	{ "stack growth", "[stack]", "§2.1 X9", op_stack, ALLOWED, 0 },
};
const size_t probe_n_ops_other =
	sizeof(probe_ops_other) / sizeof(probe_ops_other[0]);
