// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The emulation on the real kernel, forced with LIBMSEAL_FORCE_UNSUPPORTED=1
 * (set by meson for this binary): each sealed case beside its unsealed
 * control, exact errno, page contents and protections read back.
 * Criterion runs each case in its own process, so each has its own filter.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libmseal.h"
#include "testutil.h"
#include "emul-helpers.h"

#define PG (test_page())

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

void emul_seal(void *p, size_t len)
{
	int rc = mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP);

	cr_assert_eq(rc, 0, "fallback_enable: %d", rc);
	rc = mseal_range(p, len, 0);
	cr_assert_eq(rc, 0, "mseal_range(%p, %zu): %s", p, len, strerror(-rc));
	rc = mseal_fallback_commit();
	cr_assert_geq(rc, 0, "commit: %s", strerror(-rc));
}

int emul_status(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int v = -1;
	size_t kl = strlen(key);

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			v = atoi(line + kl + 1);
	if (f)
		fclose(f);
	return v;
}

static void expect_fill(const void *p, size_t len, int fill)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		cr_assert_eq(c[i], (unsigned char)fill, "byte %zu of %p", i, p);
}

static void expect_perms(const void *p, const char *perms)
{
	char got[5];

	cr_assert_eq(test_perms(p, got), 0, "%p unmapped", p);
	cr_assert_str_eq(got, perms, "%p", p);
}

/* 4 pages 'A'; pages 1-2 sealed through the emulation. */
static char *four_sealed_middle(int prot)
{
	char *p = test_map(4, prot, 'A');

	emul_seal(p + PG, 2 * PG);
	return p;
}

#define ERR(call) ((call) ? errno : 0)

static pthread_barrier_t sealed_barrier;

Test(mode, unavailable_then_emulated)
{
	cr_assert_eq(mseal_supported(), 0);
	cr_assert_eq(mseal_sealing_mode(), LIBMSEAL_SEALING_UNAVAILABLE);
	cr_assert_eq(mseal_range(test_map(1, PROT_READ, 0), PG, 0), -ENOSYS);
	cr_assert_eq(mseal_fallback_enable(7), -EINVAL);
	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	cr_assert_eq(mseal_sealing_mode(), LIBMSEAL_SEALING_EMULATED);
	/* nothing installed before a commit: no filter, no no_new_privs */
	cr_assert_eq(mseal_fallback_commit(), 0);
	cr_assert_eq(emul_status("Seccomp"), 0);
	cr_assert_eq(emul_status("NoNewPrivs"), 0);
	cr_assert_eq(mseal_fallback_filters(), 0);
}

Test(mode, commit_installs_one_filter)
{
	char *p = test_map(4, PROT_READ, 'A');
	uint64_t s = 0, e = 0;
	unsigned int fl = 9;

	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	cr_assert_eq(mseal_range(p, PG, 0), 0);
	cr_assert_eq(mseal_range(p + 2 * PG, PG, 0), 0);
	cr_assert_eq(mseal_fallback_range(0, &s, &e, &fl), 1);
	cr_assert_eq(fl, 0, "pending before the commit");
	/* pending is not protected yet */
	cr_assert_eq(mprotect(p, PG, PROT_READ), 0);
	cr_assert_eq(mseal_fallback_commit(), 2);
	cr_assert_eq(mseal_fallback_filters(), 1);
	cr_assert_eq(emul_status("Seccomp"), 2);
	cr_assert_eq(emul_status("NoNewPrivs"), 1);
	cr_assert_eq(mseal_fallback_range(0, &s, &e, &fl), 1);
	cr_assert_eq(s, (uintptr_t)p);
	cr_assert_eq(e, (uintptr_t)p + PG);
	cr_assert_eq(fl, LIBMSEAL_FALLBACK_COMMITTED);
	cr_assert_eq(mseal_fallback_range(1, &s, &e, &fl), 1);
	cr_assert_eq(s, (uintptr_t)p + 2 * PG);
	cr_assert_eq(mseal_fallback_range(2, &s, &e, &fl), 0);
	/* idempotent: sealing again records nothing, commits nothing */
	cr_assert_eq(mseal_range(p, 3 * PG, 0), 0);
	cr_assert_eq(mseal_fallback_range(2, &s, &e, &fl), 1);
	cr_assert_eq(s, (uintptr_t)p + PG, "only the gap is new");
	cr_assert_eq(e, (uintptr_t)p + 2 * PG);
	cr_assert_eq(mseal_fallback_commit(), 1);
	cr_assert_eq(mseal_fallback_filters(), 2);
	cr_assert_eq(mseal_range(p, 3 * PG, 0), 0);
	cr_assert_eq(mseal_fallback_commit(), 0);
	cr_assert_eq(mseal_fallback_filters(), 2);
}

Test(semantics, mprotect_and_pkey_mprotect)
{
	char *p = four_sealed_middle(PROT_READ);

	cr_assert_eq(ERR(mprotect(p + PG, PG, PROT_READ | PROT_WRITE)), EPERM);
	cr_assert_eq(ERR(mprotect(p + PG, PG, PROT_READ)), EPERM,
		     "even the same protection");
	cr_assert_eq(ERR(syscall(__NR_pkey_mprotect, p + PG, PG, PROT_NONE,
				 -1)), EPERM);
	cr_assert_eq(ERR(mprotect(p, 2 * PG, PROT_NONE)), EPERM, "span");
	expect_perms(p + PG, "r--p");
	expect_perms(p, "r--p");
	/* controls: the unsealed pages either side */
	cr_assert_eq(ERR(mprotect(p, PG, PROT_READ | PROT_WRITE)), 0);
	cr_assert_eq(ERR(mprotect(p + 3 * PG, PG, PROT_NONE)), 0);
	expect_perms(p, "rw-p");
	expect_perms(p + 3 * PG, "---p");
	/* length 0 touches nothing, as on the kernel */
	cr_assert_eq(ERR(mprotect(p + PG, 0, PROT_NONE)), 0);
	expect_fill(p + PG, 2 * PG, 'A');
}

Test(semantics, munmap)
{
	char *p = four_sealed_middle(PROT_READ);

	cr_assert_eq(ERR(munmap(p + PG, PG)), EPERM);
	cr_assert_eq(ERR(munmap(p, 4 * PG)), EPERM);
	cr_assert_eq(ERR(munmap(p + 2 * PG, 2 * PG)), EPERM, "tail span");
	cr_assert_eq(ERR(munmap(p, PG + 1)), EPERM, "len rounds into it");
	expect_fill(p, 4 * PG, 'A');
	cr_assert_eq(test_is_sealed(p + PG), 0, "no sl flag: emulated");
	/* controls */
	cr_assert_eq(ERR(munmap(p, PG)), 0);
	cr_assert_eq(ERR(munmap(p + 3 * PG, PG)), 0);
	cr_assert_eq(test_is_sealed(p), -1);
	expect_fill(p + PG, 2 * PG, 'A');
}

Test(semantics, mremap)
{
	char *p = four_sealed_middle(PROT_READ);
	char *hole = test_map(4, PROT_READ, 'B');
	void *r;

	cr_assert_eq(munmap(hole, 4 * PG), 0);
	r = mremap(p + PG, 2 * PG, PG, 0);
	cr_assert_eq(r, MAP_FAILED);
	cr_assert_eq(errno, EPERM, "shrink");
	r = mremap(p + PG, PG, 4 * PG, MREMAP_MAYMOVE);
	cr_assert_eq(errno, EPERM, "grow");
	r = mremap(p + PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	cr_assert_eq(errno, EPERM, "move");
	r = mremap(p + PG, 0, PG, MREMAP_MAYMOVE);
	cr_assert_eq(r, MAP_FAILED);
	cr_assert_eq(errno, EPERM, "old_len 0 (6.12+ rule)");
	/* an unsealed page moved onto the sealed ones */
	r = mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + 2 * PG);
	cr_assert_eq(r, MAP_FAILED);
	cr_assert_eq(errno, EPERM, "FIXED destination");
	expect_fill(p, 4 * PG, 'A');
	/* controls: page 0 moves to the hole, page 3 shrinks */
	r = mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	cr_assert_eq(r, (void *)hole);
	expect_fill(hole, PG, 'A');
	cr_assert_eq(test_vma_at(p, &(struct test_vma){ 0 }), -1);
	cr_assert_neq(mremap(p + 3 * PG, PG, PG, 0), MAP_FAILED);
}

Test(semantics, mmap_fixed)
{
	char *p = four_sealed_middle(PROT_READ);
	void *r;

	r = mmap(p + PG, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	cr_assert_eq(r, MAP_FAILED);
	cr_assert_eq(errno, EPERM);
	r = mmap(p, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0);
	cr_assert_eq(errno, EPERM, "over the span");
	r = mmap(p + PG, PG, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	cr_assert_eq(r, MAP_FAILED);
	cr_assert_eq(errno, EEXIST, "NOREPLACE reaches the kernel");
	r = mmap(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(r, MAP_FAILED, "a hint is placed elsewhere");
	cr_assert_neq(r, (void *)(p + PG));
	expect_fill(p, 4 * PG, 'A');
	expect_perms(p + PG, "r--p");
	/* control: MAP_FIXED over the unsealed page 0 */
	r = mmap(p, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	cr_assert_eq(r, (void *)p);
	expect_fill(p, PG, 0);
}

Test(semantics, madvise_discard)
{
	char *ro = four_sealed_middle(PROT_READ);
	char *rw = test_map(2, PROT_READ | PROT_WRITE, 'W');
	static const int discard[] = { MADV_DONTNEED, MADV_FREE, MADV_REMOVE,
				       MADV_DONTFORK, MADV_WIPEONFORK };

	cr_assert_eq(mseal_range(rw, PG, 0), 0);
	cr_assert_eq(mseal_fallback_commit(), 1);
	for (size_t i = 0; i < sizeof(discard) / sizeof(*discard); i++)
		cr_assert_eq(ERR(madvise(ro + PG, PG, discard[i])), EPERM,
			     "advice %d on sealed read-only anonymous",
			     discard[i]);
	cr_assert_eq(ERR(madvise(ro, 4 * PG, MADV_DONTNEED)), EPERM, "span");
	cr_assert_eq(ERR(madvise(ro + PG, PG, MADV_WILLNEED)), 0);
	expect_fill(ro, 4 * PG, 'A');
	/* sealed but writable: the kernel lets discards through */
	cr_assert_eq(ERR(madvise(rw, PG, MADV_DONTNEED)), 0);
	expect_fill(rw, PG, 0);
	/* control: unsealed read-only page */
	cr_assert_eq(ERR(madvise(ro, PG, MADV_DONTNEED)), 0);
	expect_fill(ro, PG, 0);
	expect_fill(ro + PG, 2 * PG, 'A');
}

Test(semantics, process_madvise_discard)
{
	char *p = four_sealed_middle(PROT_READ);
	int pidfd = (int)syscall(__NR_pidfd_open, getpid(), 0);
	struct iovec iov = { p + PG, PG };

	cr_assert_geq(pidfd, 0);
	cr_assert_eq(ERR(syscall(__NR_process_madvise, pidfd, &iov, 1,
				 MADV_DONTNEED, 0) < 0), EPERM);
	cr_assert_eq(syscall(__NR_process_madvise, pidfd, &iov, 1, MADV_COLD,
			     0), (long)PG, "non-discard advice passes");
	expect_fill(p + PG, PG, 'A');
}

Test(arguments, kernel_identical_errors)
{
	char *p = test_map(3, PROT_READ, 'A');

	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	cr_assert_eq(mseal_range(p + 1, PG, 0), -EINVAL, "unaligned");
	cr_assert_eq(mseal_range(p, PG, 1), -EINVAL, "flags");
	cr_assert_eq(mseal_range(NULL, 0, 1), -EINVAL, "flags first");
	cr_assert_eq(mseal_range(p + 1, 0, 0), -EINVAL, "unaligned, len 0");
	cr_assert_eq(mseal_range(p, SIZE_MAX, 0), -EINVAL, "len rounds to 0");
	cr_assert_eq(mseal_range((void *)(0 - 2 * PG), 4 * PG, 0), -EINVAL,
		     "wraps");
	cr_assert_eq(mseal_range((void *)PG, 0, 0), 0, "len 0, unmapped");
	cr_assert_eq(mseal_fallback_range(0, NULL, NULL, NULL), 0);
}

Test(arguments, enomem_with_holes_seals_nothing)
{
	char *p = test_map(4, PROT_READ, 'A');

	cr_assert_eq(munmap(p + PG, PG), 0);
	cr_assert_eq(munmap(p + 3 * PG, PG), 0);
	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	cr_assert_eq(mseal_range(p, 3 * PG, 0), -ENOMEM, "hole inside");
	cr_assert_eq(mseal_range(p + PG, PG, 0), -ENOMEM, "unmapped");
	cr_assert_eq(mseal_range(p + 2 * PG, 2 * PG, 0), -ENOMEM, "tail");
	cr_assert_eq(mseal_range((void *)0xffffffffff600000ull, PG, 0),
		     -ENOMEM, "[vsyscall] is not a VMA");
	cr_assert_eq(mseal_fallback_range(0, NULL, NULL, NULL), 0);
	cr_assert_eq(mseal_fallback_commit(), 0);
	cr_assert_eq(ERR(munmap(p, PG)), 0, "nothing was sealed");
	cr_assert_eq(ERR(munmap(p + 2 * PG, PG)), 0);
}

Test(arguments, unaligned_calls_get_einval)
{
	char *p = four_sealed_middle(PROT_READ);

	cr_assert_eq(ERR(mprotect(p + PG + 1, PG, PROT_NONE)), EINVAL);
	cr_assert_eq(ERR(munmap(p + PG + 8, PG)), EINVAL);
	cr_assert_eq(ERR(madvise(p + PG + 1, PG, MADV_DONTNEED)), EINVAL);
	cr_assert_eq(mremap(p + PG + 1, PG, PG, 0), MAP_FAILED);
	cr_assert_eq(errno, EINVAL);
	expect_fill(p + PG, 2 * PG, 'A');
}

Test(refused, heap_shm_aio)
{
	int id = shmget(IPC_PRIVATE, PG, IPC_CREAT | 0600);
	char *brk0 = sbrk(0);
	aio_context_t ctx = 0;
	struct test_vma v;
	char *heap, *shm;

	/* a page of the brk heap, grown here (malloc may not use brk) */
	heap = (char *)(((uintptr_t)brk0 + PG - 1) & ~(uintptr_t)(PG - 1));
	cr_assert_neq(sbrk((intptr_t)(heap - brk0) + 2 * (intptr_t)PG),
		      (void *)-1);
	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	cr_assert_eq(test_vma_at(heap, &v), 0);
	cr_assert_str_eq(v.path, "[heap]");
	cr_assert_eq(mseal_range(heap, PG, 0), -EOPNOTSUPP, "[heap]");
	cr_assert_geq(id, 0);
	shm = shmat(id, NULL, SHM_RDONLY);
	shmctl(id, IPC_RMID, NULL);
	cr_assert_neq(shm, (void *)-1);
	cr_assert_eq(mseal_range(shm, PG, 0), -EOPNOTSUPP, "SysV shm");
	cr_assert_eq(syscall(__NR_io_setup, 1, &ctx), 0);
	cr_assert_eq(mseal_range((void *)ctx, PG, 0), -EOPNOTSUPP, "aio ring");
	cr_assert_eq(mseal_fallback_range(0, NULL, NULL, NULL), 0);
}

static void *own_filter(void *arg)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };

	(void)arg;
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		return (void *)1;
	pthread_barrier_wait(&sealed_barrier); /* filter in */
	pthread_barrier_wait(&sealed_barrier); /* commit tried */
	return NULL;
}

Test(refused, tsync_failure_fails_closed)
{
	char *p = test_map(1, PROT_READ, 'A');
	unsigned int fl = 9;
	pthread_t t;

	pthread_barrier_init(&sealed_barrier, NULL, 2);
	cr_assert_eq(pthread_create(&t, NULL, own_filter, NULL), 0);
	pthread_barrier_wait(&sealed_barrier);
	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	cr_assert_eq(mseal_range(p, PG, 0), 0);
	cr_assert_eq(mseal_fallback_commit(), -EBUSY,
		     "a thread with another filter stack");
	cr_assert_eq(mseal_fallback_range(0, NULL, NULL, &fl), 1);
	cr_assert_eq(fl, 0, "still pending, not claimed as protected");
	cr_assert_eq(mseal_fallback_filters(), 0);
	pthread_barrier_wait(&sealed_barrier);
	pthread_join(t, NULL);
	/* with the thread gone, the same commit goes in */
	cr_assert_eq(mseal_fallback_commit(), 1);
	cr_assert_eq(ERR(munmap(p, PG)), EPERM);
}

Test(refused, io_uring)
{
	struct io_uring_params params = { 0 };
	char *p = test_map(1, PROT_READ, 'A');
	int ring = (int)syscall(__NR_io_uring_setup, 4, &params);

	cr_assert_geq(ring, 0, "io_uring_setup: %s", strerror(errno));
	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	cr_assert_eq(mseal_range(p, PG, 0), 0);
	/* a ring made before the first commit would be a hole */
	cr_assert_eq(mseal_fallback_commit(), -EBUSY);
	close(ring);
	cr_assert_eq(mseal_fallback_commit(), 1);
	memset(&params, 0, sizeof(params));
	cr_assert_eq(syscall(__NR_io_uring_setup, 4, &params), -1);
	cr_assert_eq(errno, EPERM, "no new rings while emulating");
	/* nor use of a ring made elsewhere (a descriptor passed in) */
	cr_assert_eq(syscall(__NR_io_uring_enter, ring, 0, 0, 0, NULL, 0), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(syscall(__NR_io_uring_register, ring, 0, NULL, 0), -1);
	cr_assert_eq(errno, EPERM);
}

Test(budget, commit_splits_large_batches)
{
	size_t n = 300;
	char *p = test_map(2 * n, PROT_READ, 'A');

	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 0);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(mseal_range(p + 2 * i * PG, PG, 0), 0);
	cr_assert_eq(mseal_fallback_commit(), (int)n);
	cr_assert_gt(mseal_fallback_filters(), 1, "split over filters");
	for (size_t i = 0; i < n; i += 37) {
		cr_assert_eq(ERR(munmap(p + 2 * i * PG, PG)), EPERM);
		cr_assert_eq(ERR(munmap(p + (2 * i + 1) * PG, PG)), 0);
	}
	cr_assert_eq(ERR(mprotect(p + 2 * (n - 1) * PG, PG, PROT_NONE)), EPERM);
}

static char *thread_page;

static void *late_unmapper(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&sealed_barrier);
	return (void *)(intptr_t)ERR(munmap(thread_page, PG));
}

Test(process, threads_created_before_the_commit)
{
	pthread_t t;
	void *res;

	thread_page = test_map(1, PROT_READ, 'T');
	pthread_barrier_init(&sealed_barrier, NULL, 2);
	cr_assert_eq(pthread_create(&t, NULL, late_unmapper, NULL), 0);
	emul_seal(thread_page, PG);
	pthread_barrier_wait(&sealed_barrier);
	pthread_join(t, &res);
	cr_assert_eq((intptr_t)res, EPERM, "TSYNC bound the older thread");
	expect_fill(thread_page, PG, 'T');
}

Test(process, fork_inherits)
{
	char *p = four_sealed_middle(PROT_READ);
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int ok = munmap(p + PG, PG) != 0 && errno == EPERM &&
			 mprotect(p + PG, PG, PROT_NONE) != 0 && errno == EPERM &&
			 munmap(p, PG) == 0;

		_exit(ok ? 0 : 1);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	expect_fill(p, 4 * PG, 'A');
}

Test(process, filter_outlives_exec)
{
	char *p = four_sealed_middle(PROT_READ);
	char arg[32];
	pid_t pid;
	int status;

	snprintf(arg, sizeof(arg), "%lx", (unsigned long)(p + PG));
	pid = fork();
	if (pid == 0) {
		execl(TESTS_BUILD_DIR "/emulation/emul-exec-probe",
		      "emul-exec-probe", arg, (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	/* the probe exits 0 when, in the new image, MAP_FIXED at the old
	 * sealed address got EPERM under Seccomp 2 and NoNewPrivs 1 */
	cr_assert_eq(WEXITSTATUS(status), 0, "probe status %d",
		     WEXITSTATUS(status));
}

Test(mode, native_kernel_keeps_native_sealing)
{
	char *p;

	/* before any libmseal call, so the library never sees the force */
	unsetenv("LIBMSEAL_FORCE_UNSUPPORTED");
	test_require_mseal();
	p = test_map(2, PROT_READ, 'N');
	cr_assert_eq(mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP), 1,
		     "the kernel seals: the fallback is not used");
	cr_assert_eq(mseal_sealing_mode(), LIBMSEAL_SEALING_NATIVE);
	cr_assert_eq(mseal_range(p, PG, 0), 0);
	cr_assert_eq(test_is_sealed(p), 1, "a native seal: sl flag");
	cr_assert_eq(mseal_fallback_commit(), 0);
	cr_assert_eq(mseal_fallback_filters(), 0);
	cr_assert_eq(emul_status("Seccomp"), 0, "no filter installed");
	cr_assert_eq(ERR(munmap(p + PG, PG)), 0);
}
