// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * In-process cost of mseal_image() on the shim's default path (no report
 * asked for), in a program linked against the ten bench libraries: about
 * 15 objects. A seal is once per process, so the program re-executes itself
 * RUNS times, each child timing its one call; the parent prints the median
 * and minimum in microseconds and the number of objects.
 */
#include <libmseal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 31

extern char **environ;

/* The ten libraries' functions, called so that the linker keeps them. */
int bench_lib0(int x);
int bench_lib1(int x);
int bench_lib2(int x);
int bench_lib3(int x);
int bench_lib4(int x);
int bench_lib5(int x);
int bench_lib6(int x);
int bench_lib7(int x);
int bench_lib8(int x);
int bench_lib9(int x);

static int use_libs(int x)
{
	return bench_lib0(x) + bench_lib1(x) + bench_lib2(x) + bench_lib3(x) +
	       bench_lib4(x) + bench_lib5(x) + bench_lib6(x) + bench_lib7(x) +
	       bench_lib8(x) + bench_lib9(x);
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int child(void)
{
	struct mseal_report *report;
	double t0 = now_us(), t1;
	int rc = mseal_image(NULL, NULL);

	t1 = now_us();
	/* Count the objects afterwards: a second call seals nothing new. */
	if (rc || mseal_image(NULL, &report))
		return 1;
	printf("%.2f %zu %d\n", t1 - t0, report->objects_seen, report->status);
	mseal_report_free(report);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	double us[RUNS];
	size_t objects = 0;

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child() + (use_libs(argc) == -1);
	for (int i = 0; i < RUNS; i++) {
		char *args[] = { argv[0], "child", NULL };
		int fds[2], status, st = -1;
		pid_t pid;
		FILE *f;
		posix_spawn_file_actions_t fa;

		if (pipe(fds))
			return 1;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
		posix_spawn_file_actions_addclose(&fa, fds[0]);
		if (posix_spawn(&pid, argv[0], &fa, NULL, args, environ))
			return 1;
		close(fds[1]);
		f = fdopen(fds[0], "r");
		if (!f || fscanf(f, "%lf %zu %d", &us[i], &objects, &st) != 3 ||
		    st != 0) {
			fprintf(stderr, "image-inproc: run %d failed\n", i);
			return 1;
		}
		fclose(f);
		waitpid(pid, &status, 0);
		posix_spawn_file_actions_destroy(&fa);
	}
	qsort(us, RUNS, sizeof(us[0]), cmp);
	printf("mseal_image(NULL, NULL), %zu objects, %d runs: median %.1f us, "
	       "min %.1f us (target: under 50 us for 15 objects)\n", objects,
	       RUNS, us[RUNS / 2], us[0]);
	return 0;
}
