// SPDX-License-Identifier: LGPL-2.1-or-later
/* Timing helpers of the audit benchmarks (see bench-common.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-common.h"

#ifndef __NR_mseal
#define __NR_mseal 462
#endif

uint64_t now_ns(void)
{
	struct timespec ts;

	/* CPU time of this thread, user and system: on a shared VM the wall
	 * clock mostly measures the other jobs' load. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

uint64_t minimum(const uint64_t *v, size_t n)
{
	uint64_t m = UINT64_MAX;

	for (size_t i = 0; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

void report(const char *what, uint64_t *base, uint64_t *cand, size_t n,
	    double target_lo, double target_hi)
{
	uint64_t ratios[256];
	uint64_t bmin = minimum(base, n), cmin = minimum(cand, n);
	double paired, ratio;
	uint64_t bmed, cmed;
	int ok;

	/* Samples i of both sides ran back to back: the median of their
	 * ratios cancels the load drifts of a shared machine that shift
	 * the two medians apart. (Kept in millionths to reuse median().) */
	for (size_t i = 0; i < n && i < 256; i++)
		ratios[i] = base[i] ? cand[i] * 1000000 / base[i] : 0;
	paired = (double)median(ratios, n < 256 ? n : 256) / 1e6;
	bmed = median(base, n);
	cmed = median(cand, n);
	ratio = (double)cmed / (double)bmed;
	ok = paired >= target_lo && paired <= target_hi;
	printf("| %s | %.1f (%.1f) | %.1f (%.1f) | %.3f | %.3f | %.3f | ",
	       what, bmed / 1e3, bmin / 1e3, cmed / 1e3, cmin / 1e3, paired,
	       ratio, (double)cmin / (double)bmin);
	if (target_hi < target_lo) /* a measurement that explains another */
		printf("- | |\n");
	else
		printf("%.2f-%.2f | %s |\n", target_lo, target_hi,
		       ok ? "met" : "MISSED");
	fflush(stdout);
}

char *capture_exec(char *const *argv)
{
	size_t cap = 1 << 20, len = 0;
	char *out = malloc(cap);
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (!out || pipe(fds))
		exit(1);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 4096 && !(out = realloc(out, cap *= 2)))
			exit(1);
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: %s failed (status %d)\n", argv[0], status);
		exit(1);
	}
	out[len] = '\0';
	return out;
}

int raw_mseal(void *addr, size_t len)
{
	return syscall(__NR_mseal, addr, len, 0) == 0 ? 0 : -errno;
}

char *make_mappings(size_t n, int seal)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *base;

	if (!n)
		return NULL;
	base = mmap(NULL, n * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	for (size_t i = 0; i < n; i += 2)
		if (mprotect(base + i * page, page, PROT_READ | PROT_WRITE) < 0)
			return NULL;
	if (seal && raw_mseal(base, n * page) < 0)
		return NULL;
	return base;
}

uint64_t time_exec(char *const *argv)
{
	struct rusage ru;
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	wait4(pid, &status, 0, &ru);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: %s failed (status %d)\n", argv[0], status);
		exit(1);
	}
	/* the child's CPU time, user and system, exec included */
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000ull +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
}
