// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cost of the seccomp emulation: each memory syscall with the emulation's
 * filter (64 sealed ranges in one filter) against the same process with
 * no filter, and the cost of one commit. Every run forks one child per
 * configuration with the same memory layout (130 pages, the first 64 even
 * pages sealed read-only; the measured page is unsealed), both pinned to
 * one CPU; they run their batches in turn, passing a token, the first
 * alternating between runs. Per run the ratio filter/none is taken on the
 * fastest of 15 batches (the steadiest figure on a shared machine); the
 * result is the median of the per-run ratios.
 *
 * Usage: bench-emul [RUNS] (default 11).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libmseal.h"

#define PAGES 130
#define SEALED 64
#define BATCHES 15
#define ITERS 2000

enum { OP_GETPID, OP_READ0, OP_MPROTECT, OP_MMAP_FIXED, OP_MUNMAP_MMAP,
       OP_MREMAP, OP_MADVISE, N_OPS };

static const char *const op_name[N_OPS] = {
	"getpid", "read(fd, 0 bytes)", "mprotect", "mmap(MAP_FIXED)",
	"munmap + mmap", "mremap (same size)", "madvise(DONTNEED)",
};

/* The configurations: no filter; the emulation; a one-instruction
 * allow-all filter, the fixed cost any seccomp filter adds. */
enum { CONF_NONE, CONF_EMUL, CONF_ALLOW, N_CONF };

struct result {
	double ns[N_OPS];
	double commit_us, seal_us;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One call of @op on the unsealed page @pg (the last page of the area). */
static void one(int op, char *pg, size_t page, int fd)
{
	switch (op) {
	case OP_GETPID:
		syscall(SYS_getpid);
		break;
	case OP_READ0:
		if (read(fd, pg, 0) < 0)
			abort();
		break;
	case OP_MPROTECT:
		mprotect(pg, page, PROT_READ);
		mprotect(pg, page, PROT_READ | PROT_WRITE);
		break;
	case OP_MMAP_FIXED:
		mmap(pg, page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case OP_MUNMAP_MMAP:
		munmap(pg, page);
		mmap(pg, page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		break;
	case OP_MREMAP:
		mremap(pg, page, page, 0);
		break;
	default:
		madvise(pg, page, MADV_DONTNEED);
		break;
	}
}

static void allow_all(void)
{
	struct sock_filter f = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_SPEC_ALLOW, &prog) != 0)
		_exit(7);
}

/* Wait for the token on @in; run one batch; pass the token on @out. */
static double batch(int op, char *pg, size_t page, int fd, int in, int out)
{
	int calls = op == OP_MPROTECT || op == OP_MUNMAP_MMAP ? 2 : 1;
	char token;
	double t0, t;

	if (read(in, &token, 1) != 1)
		_exit(6);
	t0 = now_ns();
	for (int i = 0; i < ITERS; i++)
		one(op, pg, page, fd);
	t = (now_ns() - t0) / ITERS / calls;
	if (write(out, &token, 1) != 1)
		_exit(6);
	return t;
}

/*
 * One configuration: lay out the area, seal (or not), then run the
 * batches in turn with the other configuration's child (token passing),
 * so both see the same moments of a shared machine; report the fastest
 * batch per call by pipe.
 */
static void child(int conf, int in, int out, int report)
{
	size_t page = mseal_page_size();
	char *area = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct result r = { 0 };
	int fd = open("/dev/null", O_RDONLY);
	char *pg;
	double t0;

	if (area == MAP_FAILED || fd < 0)
		_exit(1);
	pg = area + (PAGES - 1) * page;
	memset(area, 1, PAGES * page);
	for (int i = 0; i < SEALED; i++)
		mprotect(area + 2 * i * page, page, PROT_READ);
	if (conf == CONF_ALLOW)
		allow_all();
	if (conf == CONF_EMUL) {
		if (mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP) != 0)
			_exit(2);
		t0 = now_ns();
		for (int i = 0; i < SEALED; i++)
			if (mseal_range(area + 2 * i * page, page, 0) != 0)
				_exit(3);
		r.seal_us = (now_ns() - t0) / SEALED / 1000;
		t0 = now_ns();
		if (mseal_fallback_commit() != SEALED)
			_exit(4);
		r.commit_us = (now_ns() - t0) / 1000;
	}
	for (int op = 0; op < N_OPS; op++) {
		double b[BATCHES];

		for (int i = 0; i < 200; i++)
			one(op, pg, page, fd);
		for (int k = 0; k < BATCHES; k++)
			b[k] = batch(op, pg, page, fd, in, out);
		qsort(b, BATCHES, sizeof(*b), cmp_double);
		r.ns[op] = b[0];
	}
	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(5);
	_exit(0);
}

/* One run: the configurations side by side in a token ring; @first
 * starts. */
static int run_ring(int first, struct result *res)
{
	int ring[N_CONF][2], rep[N_CONF][2], status, bad = 0;
	pid_t pid[N_CONF];

	for (int c = 0; c < N_CONF; c++)
		if (pipe(ring[c]) || pipe(rep[c]))
			return -1;
	for (int c = 0; c < N_CONF; c++) {
		pid[c] = fork();
		if (pid[c] == 0)
			child(c, ring[c][0], ring[(c + 1) % N_CONF][1],
			      rep[c][1]);
	}
	if (write(ring[first][1], "t", 1) != 1)
		bad = 1;
	for (int c = 0; c < N_CONF; c++)
		if (read(rep[c][0], &res[c], sizeof(res[c])) != sizeof(res[c]))
			bad = 1;
	for (int c = 0; c < N_CONF; c++) {
		if (waitpid(pid[c], &status, 0) != pid[c] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
		close(ring[c][0]);
		close(ring[c][1]);
		close(rep[c][0]);
		close(rep[c][1]);
	}
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 11;
	double ratio[N_OPS][64], base[N_OPS][64], filt[N_OPS][64];
	double any[N_OPS][64], vs_any[N_OPS][64];
	double commit[64], seal[64];
	cpu_set_t one_cpu;

	if (runs < 1 || runs > 64)
		runs = 11;
	/* the emulation runs only where mseal does not: force that here */
	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	CPU_ZERO(&one_cpu);
	CPU_SET(0, &one_cpu);
	sched_setaffinity(0, sizeof(one_cpu), &one_cpu);
	for (int k = 0; k < runs; k++) {
		struct result r[N_CONF];

		if (run_ring(k % N_CONF, r)) {
			fprintf(stderr, "bench-emul: a child failed\n");
			return 1;
		}
		for (int op = 0; op < N_OPS; op++) {
			base[op][k] = r[CONF_NONE].ns[op];
			filt[op][k] = r[CONF_EMUL].ns[op];
			any[op][k] = r[CONF_ALLOW].ns[op];
			ratio[op][k] = filt[op][k] / base[op][k];
			vs_any[op][k] = filt[op][k] / any[op][k];
		}
		commit[k] = r[CONF_EMUL].commit_us;
		seal[k] = r[CONF_EMUL].seal_us;
	}
	printf("%d interleaved runs, %d ranges in one filter; fastest batch "
	       "per run, medians over runs\n", runs, SEALED);
	printf("| syscall | no filter ns | allow-all filter ns | emulation ns "
	       "| emulation / no filter (min-max) | emulation / allow-all |\n"
	       "|---|---|---|---|---|---|\n");
	for (int op = 0; op < N_OPS; op++) {
		double lo = 1e9, hi = 0;

		for (int k = 0; k < runs; k++) {
			lo = ratio[op][k] < lo ? ratio[op][k] : lo;
			hi = ratio[op][k] > hi ? ratio[op][k] : hi;
		}
		printf("| %s | %.0f | %.0f | %.0f | %.3f (%.3f-%.3f) | %.3f |\n",
		       op_name[op], median(base[op], runs),
		       median(any[op], runs), median(filt[op], runs),
		       median(ratio[op], runs), lo, hi,
		       median(vs_any[op], runs));
	}
	printf("commit of %d ranges (maps read, build, install): median %.0f "
	       "us; mseal_range() per range: median %.1f us\n", SEALED,
	       median(commit, runs), median(seal, runs));
	return 0;
}
