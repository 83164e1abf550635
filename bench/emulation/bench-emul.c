// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cost of the seccomp emulation: each syscall with the emulation's filter
 * (64 sealed ranges in one filter) against the same process with no filter
 * and with a one-instruction allow-all filter, and the cost of one commit.
 * Every run forks one child per configuration with the same memory layout
 * (130 pages, the first 64 even pages sealed read-only; the measured page
 * is unsealed), all pinned to one CPU; they run their batches in turn,
 * passing a token, the first rotating between runs. Per run the ratio
 * filter/none is taken on the fastest of 15 batches (the steadiest figure
 * on a shared machine); the result is the median of the per-run ratios.
 *
 * Rows: the two cheapest syscalls (the worst case for a fixed per-call
 * cost), syscalls real programs make often, clock_gettime through the vDSO
 * (no syscall: a control that must read 1.00), the memory calls the filter
 * inspects, and one whole program: the CPU time (user + system, from
 * wait4) of `/usr/bin/python3 -c pass` forked and exec'd by each child, so
 * it runs under that child's filter, which survives fork and execve.
 *
 * Usage: bench-emul [RUNS] (default 11, at most 64).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libmseal.h"

#define PAGES 130
#define SEALED 64
#define BATCHES 15
#define ITERS 2000
#define IO_BYTES 4096
#define DATA_BYTES (16 * IO_BYTES)
#define PROGRAM "/usr/bin/python3"

enum { OP_GETPID, OP_READ0, OP_PREAD, OP_WRITE, OP_OPEN_CLOSE, OP_FSTAT,
       OP_FUTEX, OP_YIELD, OP_CLOCK, OP_MPROTECT, OP_MMAP_FIXED,
       OP_MUNMAP_MMAP, OP_MREMAP, OP_MADVISE, OP_PROGRAM, N_OPS };

/* @calls: syscalls per iteration (the ns columns are per call);
 * @iters: iterations per batch. */
static const struct {
	const char *name, *target;
	int calls, iters;
} op_info[N_OPS] = {
	{ "getpid", "1.03", 1, ITERS },
	{ "read(fd, 0 bytes)", "1.03", 1, ITERS },
	{ "pread 4 KiB, page cache", "1.03", 1, ITERS },
	{ "write 4 KiB to /dev/null", "1.03", 1, ITERS },
	{ "openat + close", "1.03", 2, ITERS },
	{ "fstat", "1.03", 1, ITERS },
	{ "futex(WAKE), no waiter", "1.03", 1, ITERS },
	{ "sched_yield", "1.03", 1, ITERS },
	{ "clock_gettime (vDSO, control)", "1.00", 1, ITERS },
	{ "mprotect", "1.15", 2, ITERS },
	{ "mmap(MAP_FIXED)", "1.15", 1, ITERS },
	{ "munmap + mmap", "1.15", 2, ITERS },
	{ "mremap (same size)", "1.15", 1, ITERS },
	{ "madvise(DONTNEED)", "1.15", 1, ITERS },
	{ "`python3 -c pass`, CPU time", "-", 1, 1 },
};

/* The configurations: no filter; the emulation; a one-instruction
 * allow-all filter, the fixed cost any seccomp filter adds. */
enum { CONF_NONE, CONF_EMUL, CONF_ALLOW, N_CONF };

/* What one child works on; the file at data_path is in the page cache
 * (written just before by main()). */
struct ctx {
	char *pg;
	size_t page;
	int null_rd, null_wr, file;
};

struct result {
	double ns[N_OPS];
	double commit_us, seal_us;
};

static char data_path[] = "/var/tmp/bench-emul-XXXXXX";
static int futex_word;

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

/* One iteration of a syscall the filter does not inspect; every failure
 * aborts, so no row ever times an error path. */
static void one_other(int op, const struct ctx *c)
{
	struct timespec ts;
	struct stat st;
	int fd;

	switch (op) {
	case OP_GETPID:
		syscall(SYS_getpid);
		return;
	case OP_READ0:
		if (read(c->null_rd, c->pg, 0) != 0)
			abort();
		return;
	case OP_PREAD:
		if (pread(c->file, c->pg, IO_BYTES, 0) != IO_BYTES)
			abort();
		return;
	case OP_WRITE:
		if (write(c->null_wr, c->pg, IO_BYTES) != IO_BYTES)
			abort();
		return;
	case OP_OPEN_CLOSE:
		fd = openat(AT_FDCWD, data_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || close(fd) != 0)
			abort();
		return;
	case OP_FSTAT:
		if (fstat(c->file, &st) != 0)
			abort();
		return;
	case OP_FUTEX:
		if (syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1,
			    NULL, NULL, 0) != 0)
			abort();
		return;
	case OP_YIELD:
		sched_yield();
		return;
	default:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		return;
	}
}

/* One iteration of a memory call on the unsealed page (the last page of
 * the area). */
static void one_mem(int op, const struct ctx *c)
{
	switch (op) {
	case OP_MPROTECT:
		mprotect(c->pg, c->page, PROT_READ);
		mprotect(c->pg, c->page, PROT_READ | PROT_WRITE);
		break;
	case OP_MMAP_FIXED:
		mmap(c->pg, c->page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case OP_MUNMAP_MMAP:
		munmap(c->pg, c->page);
		mmap(c->pg, c->page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		break;
	case OP_MREMAP:
		mremap(c->pg, c->page, c->page, 0);
		break;
	default:
		madvise(c->pg, c->page, MADV_DONTNEED);
		break;
	}
}

/*
 * CPU time (user + system) of PROGRAM run to its end in a forked child,
 * which inherits this process's filter, if any, through fork and execve
 * (the exec caveat of libmseal-emulation(7)).
 */
static double program_cpu_ns(void)
{
	static char *const argv[] = { "python3", "-c", "pass", NULL };
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(PROGRAM, argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		_exit(8);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
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

/* Wait for the token on @in; run one batch of @op; pass the token on
 * @out. Returns ns per call (for the program: CPU ns per run). */
static double batch(int op, const struct ctx *c, int in, int out)
{
	int iters = op_info[op].iters;
	char token;
	double t0, t;

	if (read(in, &token, 1) != 1)
		_exit(6);
	if (op == OP_PROGRAM) {
		t = program_cpu_ns();
	} else {
		t0 = now_ns();
		for (int i = 0; i < iters; i++)
			op < OP_MPROTECT ? one_other(op, c) : one_mem(op, c);
		t = (now_ns() - t0) / iters / op_info[op].calls;
	}
	if (write(out, &token, 1) != 1)
		_exit(6);
	return t;
}

/* Seal the 64 read-only pages through the emulation and commit them in
 * one filter; time both steps. */
static void seal_emulated(char *area, size_t page, struct result *r)
{
	double t0;

	if (mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP) != 0)
		_exit(2);
	t0 = now_ns();
	for (int i = 0; i < SEALED; i++)
		if (mseal_range(area + 2 * i * page, page, 0) != 0)
			_exit(3);
	r->seal_us = (now_ns() - t0) / SEALED / 1000;
	t0 = now_ns();
	if (mseal_fallback_commit() != SEALED)
		_exit(4);
	r->commit_us = (now_ns() - t0) / 1000;
}

/*
 * One configuration: lay out the area, seal (or not), then run the
 * batches in turn with the other configurations' children (token
 * passing), so all see the same moments of a shared machine; report the
 * fastest batch per row by pipe.
 */
static void child(int conf, int in, int out, int report)
{
	struct ctx c = { .page = mseal_page_size() };
	char *area = mmap(NULL, PAGES * c.page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct result r = { 0 };

	c.null_rd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	c.null_wr = open("/dev/null", O_WRONLY | O_CLOEXEC);
	c.file = open(data_path, O_RDONLY | O_CLOEXEC);
	if (area == MAP_FAILED || c.null_rd < 0 || c.null_wr < 0 || c.file < 0)
		_exit(1);
	c.pg = area + (PAGES - 1) * c.page;
	memset(area, 1, PAGES * c.page);
	for (int i = 0; i < SEALED; i++)
		mprotect(area + 2 * i * c.page, c.page, PROT_READ);
	if (conf == CONF_ALLOW)
		allow_all();
	if (conf == CONF_EMUL)
		seal_emulated(area, c.page, &r);
	/* the filter is in place (mode 2) exactly where one is meant to be */
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != (conf == CONF_NONE ? 0 : 2))
		_exit(9);
	for (int op = 0; op < N_OPS; op++) {
		double b[BATCHES];

		if (op == OP_PROGRAM)
			program_cpu_ns();
		else
			for (int i = 0; i < 200; i++)
				op < OP_MPROTECT ? one_other(op, &c)
						 : one_mem(op, &c);
		for (int k = 0; k < BATCHES; k++)
			b[k] = batch(op, &c, in, out);
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
		if (pipe2(ring[c], O_CLOEXEC) || pipe2(rep[c], O_CLOEXEC))
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

/* A regular file on disk of DATA_BYTES, left in the page cache. */
static int make_data_file(void)
{
	char buf[DATA_BYTES];
	int fd = mkstemp(data_path);

	if (fd < 0)
		return -1;
	memset(buf, 'd', sizeof(buf));
	if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		close(fd);
		unlink(data_path);
		return -1;
	}
	close(fd);
	return 0;
}

struct series {
	double ratio[N_OPS][64], base[N_OPS][64], filt[N_OPS][64];
	double any[N_OPS][64], vs_any[N_OPS][64], added[N_OPS][64];
	double commit[64], seal[64];
};

static void print_table(struct series *s, int runs)
{
	printf("%d interleaved runs, %d ranges in one filter; fastest batch "
	       "per run, medians over runs\n", runs, SEALED);
	printf("| call | target | no filter | allow-all filter | emulation "
	       "| emulation - no filter | emulation / no filter (min-max) "
	       "| emulation / allow-all |\n"
	       "|---|---|---|---|---|---|---|---|\n");
	for (int op = 0; op < N_OPS; op++) {
		const char *unit = op == OP_PROGRAM ? "us" : "ns";
		double div = op == OP_PROGRAM ? 1000 : 1, lo = 1e9, hi = 0;

		for (int k = 0; k < runs; k++) {
			lo = s->ratio[op][k] < lo ? s->ratio[op][k] : lo;
			hi = s->ratio[op][k] > hi ? s->ratio[op][k] : hi;
		}
		printf("| %s | %s | %.0f %s | %.0f %s | %.0f %s | %+.0f %s "
		       "| %.3f (%.3f-%.3f) | %.3f |\n",
		       op_info[op].name, op_info[op].target,
		       median(s->base[op], runs) / div, unit,
		       median(s->any[op], runs) / div, unit,
		       median(s->filt[op], runs) / div, unit,
		       median(s->added[op], runs) / div, unit,
		       median(s->ratio[op], runs), lo, hi,
		       median(s->vs_any[op], runs));
	}
	printf("commit of %d ranges (maps read, build, install): median %.0f "
	       "us; mseal_range() per range: median %.1f us\n", SEALED,
	       median(s->commit, runs), median(s->seal, runs));
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 11;
	static struct series s;
	cpu_set_t one_cpu;

	if (runs < 1 || runs > 64)
		runs = 11;
	if (make_data_file() != 0) {
		perror("bench-emul: data file");
		return 1;
	}
	/* the emulation runs only where mseal does not: force that here */
	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	CPU_ZERO(&one_cpu);
	CPU_SET(0, &one_cpu);
	sched_setaffinity(0, sizeof(one_cpu), &one_cpu);
	for (int k = 0; k < runs; k++) {
		struct result r[N_CONF];

		if (run_ring(k % N_CONF, r)) {
			fprintf(stderr, "bench-emul: a child failed\n");
			unlink(data_path);
			return 1;
		}
		for (int op = 0; op < N_OPS; op++) {
			s.base[op][k] = r[CONF_NONE].ns[op];
			s.filt[op][k] = r[CONF_EMUL].ns[op];
			s.any[op][k] = r[CONF_ALLOW].ns[op];
			s.ratio[op][k] = s.filt[op][k] / s.base[op][k];
			s.vs_any[op][k] = s.filt[op][k] / s.any[op][k];
			s.added[op][k] = s.filt[op][k] - s.base[op][k];
		}
		s.commit[k] = r[CONF_EMUL].commit_us;
		s.seal[k] = r[CONF_EMUL].seal_us;
	}
	unlink(data_path);
	print_table(&s, runs);
	return 0;
}
