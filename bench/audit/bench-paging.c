// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Does sealing cost paging performance? (issue 5, point 8). Each sample
 * runs in a fresh child (sealed memory can never be unmapped), sealed and
 * unsealed interleaved, and the ratio sealed/unsealed of the medians is
 * reported (measured target 0.97-1.07):
 *   - page-fault throughput on writable anonymous memory;
 *   - MADV_COLD and MADV_PAGEOUT on sealed memory, and the refault after
 *     PAGEOUT with the contents checked: anonymous memory paged out to
 *     swap (--swap: run.sh makes a zram device), or file-backed
 *     MAP_SHARED memory written back to its file (--file);
 *   - an unrelated mmap+munmap, mprotect and fork with 0, 100 and 10,000
 *     sealed mappings against as many unsealed ones.
 * Times are CPU time (user + system) of the measuring thread; a fork is
 * timed in the parent (the VMA copy). Usage: bench-paging --swap|--file
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-common.h"

#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define FAULT_PAGES 8192	/* 32 MiB */
#define PAGEOUT_PAGES 4096	/* 16 MiB */
#define NRES 4

static size_t page;
static int use_file;

/* Run @fn(@seal, @arg, out) in a child; its NRES results come back. */
static void in_child(void (*fn)(int, long, uint64_t *), int seal, long arg,
		     uint64_t out[NRES])
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		uint64_t res[NRES] = { 0 };

		fn(seal, arg, res);
		if (write(fds[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], out, NRES * sizeof(uint64_t)) != NRES * sizeof(uint64_t)) {
		fprintf(stderr, "bench: child failed\n");
		exit(1);
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
}

static void sealed_or_die(void *p, size_t len, int seal)
{
	if (seal && raw_mseal(p, len) < 0) {
		fprintf(stderr, "bench: mseal failed\n");
		_exit(1);
	}
}

static void faults(int seal, long arg, uint64_t *res)
{
	char *p = mmap(NULL, FAULT_PAGES * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0;

	if (p == MAP_FAILED)
		_exit(1);
	sealed_or_die(p, FAULT_PAGES * page, seal);
	t0 = now_ns();
	for (size_t i = 0; i < FAULT_PAGES; i++)
		p[i * page] = (char)i;
	res[0] = now_ns() - t0;
}

static char *paging_memory(void)
{
	char *p;

	if (!use_file)
		p = mmap(NULL, PAGEOUT_PAGES * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else {
		char path[] = "/var/tmp/mseal-bench-XXXXXX";
		int fd = mkstemp(path);

		if (fd < 0 || ftruncate(fd, (off_t)(PAGEOUT_PAGES * page)) < 0)
			_exit(1);
		unlink(path);
		p = mmap(NULL, PAGEOUT_PAGES * page, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
		close(fd);
	}
	if (p == MAP_FAILED)
		_exit(1);
	for (size_t i = 0; i < PAGEOUT_PAGES; i++)
		memset(p + i * page, (int)(i * 7 + 1), page);
	return p;
}

/* res: PAGEOUT time, refault time, pages not resident after PAGEOUT,
 * COLD time. */
static void pageout(int seal, long arg, uint64_t *res)
{
	char *p = paging_memory();
	unsigned char *vec = malloc(PAGEOUT_PAGES);
	uint64_t t0;

	sealed_or_die(p, PAGEOUT_PAGES * page, seal);
	if (use_file)
		msync(p, PAGEOUT_PAGES * page, MS_SYNC); /* clean pages can go */
	t0 = now_ns();
	if (madvise(p, PAGEOUT_PAGES * page, MADV_COLD) < 0)
		_exit(2);
	res[3] = now_ns() - t0;
	t0 = now_ns();
	if (madvise(p, PAGEOUT_PAGES * page, MADV_PAGEOUT) < 0)
		_exit(3);
	res[0] = now_ns() - t0;
	mincore(p, PAGEOUT_PAGES * page, vec);
	for (size_t i = 0; i < PAGEOUT_PAGES; i++)
		res[2] += !(vec[i] & 1);
	t0 = now_ns();
	for (size_t i = 0; i < PAGEOUT_PAGES; i++) {
		const char *q = p + i * page;

		if (q[0] != (char)(i * 7 + 1) || q[page - 1] != (char)(i * 7 + 1))
			_exit(4); /* contents wrong after refault */
	}
	res[1] = now_ns() - t0;
}

/* res: 2000 mmap+munmap, 10000 mprotect, 100 forks, with @arg mappings. */
static void ops(int seal, long arg, uint64_t *res)
{
	char *q;
	uint64_t t0;

	if (arg && !make_mappings((size_t)arg, seal))
		_exit(1);
	q = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t0 = now_ns();
	for (int i = 0; i < 2000; i++) {
		void *m = mmap(NULL, page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		*(volatile char *)m = 1;
		munmap(m, page);
	}
	res[0] = now_ns() - t0;
	t0 = now_ns();
	for (int i = 0; i < 10000; i++)
		mprotect(q, page, i & 1 ? PROT_READ : PROT_READ | PROT_WRITE);
	res[1] = now_ns() - t0;
	t0 = now_ns();
	for (int i = 0; i < 100; i++) {
		pid_t c = fork();

		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
	}
	res[2] = now_ns() - t0;
}

static void compare(const char *what, void (*fn)(int, long, uint64_t *),
		    long arg, int idx, uint64_t *extra)
{
	uint64_t base[BENCH_RUNS], cand[BENCH_RUNS], r[NRES];

	for (int i = 0; i < BENCH_RUNS; i++) {
		in_child(fn, i & 1, arg, r); /* alternate which goes first */
		(i & 1 ? cand : base)[i] = r[idx];
		if (extra && (i & 1))
			extra[0] += r[2];
		in_child(fn, !(i & 1), arg, r);
		(i & 1 ? base : cand)[i] = r[idx];
		if (extra && !(i & 1))
			extra[0] += r[2];
	}
	report(what, base, cand, BENCH_RUNS, 0.97, 1.07);
}

int main(int argc, char **argv)
{
	static const long counts[] = { 0, 100, 10000 };
	char what[128];
	uint64_t out = 0;

	page = (size_t)sysconf(_SC_PAGESIZE);
	use_file = argc > 1 && strcmp(argv[1], "--file") == 0;
	if (argc != 2 || (!use_file && strcmp(argv[1], "--swap") != 0)) {
		fprintf(stderr, "usage: bench-paging --swap|--file\n");
		return 1;
	}
	printf("| sealed vs unsealed | unsealed median (min), us | sealed median (min), us | paired ratio | ratio of medians | ratio of mins | target | |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	compare("page faults, 32 MiB anonymous", faults, 0, 0, NULL);
	snprintf(what, sizeof(what), "MADV_COLD, 16 MiB %s", use_file ? "file MAP_SHARED" : "anonymous");
	compare(what, pageout, 0, 3, NULL);
	snprintf(what, sizeof(what), "MADV_PAGEOUT, 16 MiB %s", use_file ? "file MAP_SHARED" : "anonymous (zram swap)");
	compare(what, pageout, 0, 0, &out);
	compare("refault after PAGEOUT, contents checked", pageout, 0, 1, NULL);
	printf("\nsealed pages not resident right after MADV_PAGEOUT: %.1f%% (of %d per run)\n\n",
	       100.0 * (double)out / ((double)BENCH_RUNS * PAGEOUT_PAGES), PAGEOUT_PAGES);
	printf("| sealed vs unsealed | unsealed median (min), us | sealed median (min), us | paired ratio | ratio of medians | ratio of mins | target | |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	for (size_t k = 0; k < 3; k++) {
		snprintf(what, sizeof(what), "2000 mmap+munmap, %ld mappings", counts[k]);
		compare(what, ops, counts[k], 0, NULL);
		snprintf(what, sizeof(what), "10000 mprotect, %ld mappings", counts[k]);
		compare(what, ops, counts[k], 1, NULL);
		snprintf(what, sizeof(what), "100 fork (parent CPU), %ld mappings", counts[k]);
		compare(what, ops, counts[k], 2, NULL);
	}
	return 0;
}
