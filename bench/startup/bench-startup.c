// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Start-up cost of the preload shim: PROG against LD_PRELOAD=<shim> PROG,
 * interleaved (plain, shim, plain, shim, ...), wall time of fork + exec +
 * wait; median and min of RUNS each. `mseal run -- PROG` is timed apart
 * (the CLI's own exec), and LIBMSEAL_DEBUG=1 runs collect the shim's
 * count of mseal calls and its in-process sealing time.
 *
 * bench-startup MSEAL SHIM PROG [ARGS...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 61

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* CPU time (user + system) of the last child, in us: unlike wall time it
 * does not count waiting for a CPU on a loaded machine. */
static double last_cpu;

/* Run @argv with LD_PRELOAD=@preload (NULL: unset); wall time in us.
 * @err_fd gets its stderr (-1: /dev/null). */
static double run_once(char *const argv[], const char *preload, int debug,
		       int err_fd)
{
	double t0 = now_us();
	pid_t pid = fork();
	struct rusage ru;
	int st;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (preload)
			setenv("LD_PRELOAD", preload, 1);
		else
			unsetenv("LD_PRELOAD");
		if (debug)
			setenv("LIBMSEAL_DEBUG", "1", 1);
		dup2(null, 1);
		dup2(err_fd >= 0 ? err_fd : null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	wait4(pid, &st, 0, &ru);
	last_cpu = ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec +
		   ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec;
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 127) {
		fprintf(stderr, "bench-startup: %s failed\n", argv[0]);
		exit(1);
	}
	return now_us() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The shim's "libmseal: startup: N objects, M mseal calls, T us" line. */
static void debug_stats(char *const argv[], const char *shim)
{
	double us[RUNS];
	int objects = 0, calls = 0;

	for (int i = 0; i < RUNS; i++) {
		FILE *f = tmpfile();
		char line[512];

		run_once(argv, shim, 1, fileno(f));
		rewind(f);
		us[i] = -1;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "libmseal: startup: %d objects, %d "
				   "mseal calls, %lf us", &objects, &calls,
				   &us[i]) == 3)
				break;
		fclose(f);
	}
	printf("| objects | mseal calls | in-process sealing median | min |\n"
	       "|---|---|---|---|\n| %d | %d | %.1f us |", objects, calls,
	       median(us, RUNS));
	printf(" %.1f us |\n\n", us[0]);
}

int main(int argc, char **argv)
{
	double plain[RUNS], shim[RUNS], cli[RUNS], mp, ms, mc;
	double cplain[RUNS], cshim[RUNS], ccli[RUNS];
	char **prog = argv + 3, *wrapped[64];
	int n = 0;

	if (argc < 4 || argc > 60) {
		fprintf(stderr, "usage: bench-startup MSEAL SHIM PROG [ARGS]\n");
		return 2;
	}
	wrapped[n++] = argv[1];
	wrapped[n++] = "run";
	wrapped[n++] = "--";
	for (int i = 3; i < argc; i++)
		wrapped[n++] = argv[i];
	wrapped[n] = NULL;
	setenv("LIBMSEAL_PRELOAD", argv[2], 1);
	for (int i = 0; i < 5; i++)	/* warm the page cache */
		run_once(prog, argv[2], 0, -1);
	for (int i = 0; i < RUNS; i++) {
		plain[i] = run_once(prog, NULL, 0, -1);
		cplain[i] = last_cpu;
		shim[i] = run_once(prog, argv[2], 0, -1);
		cshim[i] = last_cpu;
		cli[i] = run_once(wrapped, NULL, 0, -1);
		ccli[i] = last_cpu;
	}
	mp = median(plain, RUNS);
	ms = median(shim, RUNS);
	mc = median(cli, RUNS);
	printf("### `%s`", argv[3]);
	for (int i = 4; i < argc; i++)
		printf(" `%s`", argv[i]);
	printf("\n\n| run (%d interleaved each) | median | min | ratio "
	       "median | ratio min |\n|---|---|---|---|---|\n", RUNS);
	printf("| PROG | %.0f us | %.0f us | 1.000 | 1.000 |\n", mp,
	       plain[0]);
	printf("| LD_PRELOAD=shim PROG | %.0f us | %.0f us | %.3f | %.3f |\n",
	       ms, shim[0], ms / mp, shim[0] / plain[0]);
	printf("| mseal run -- PROG | %.0f us | %.0f us | %.3f | %.3f |\n",
	       mc, cli[0], mc / mp, cli[0] / plain[0]);
	printf("| CLI's own exec (mseal run - shim) | %.0f us | %.0f us "
	       "| | |\n\n", mc - ms, cli[0] - shim[0]);
	mp = median(cplain, RUNS);
	ms = median(cshim, RUNS);
	mc = median(ccli, RUNS);
	printf("| CPU time (user+sys) | median | min | ratio median | "
	       "ratio min |\n|---|---|---|---|---|\n");
	printf("| PROG | %.0f us | %.0f us | 1.000 | 1.000 |\n", mp,
	       cplain[0]);
	printf("| LD_PRELOAD=shim PROG | %.0f us | %.0f us | %.3f | %.3f |\n",
	       ms, cshim[0], ms / mp, cshim[0] / cplain[0]);
	printf("| mseal run -- PROG | %.0f us | %.0f us | %.3f | %.3f |\n\n",
	       mc, ccli[0], mc / mp, ccli[0] / cplain[0]);
	debug_stats(prog, argv[2]);
	return 0;
}
