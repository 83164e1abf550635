// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Cost of reading mappings (issue 5, point 7), each against its baseline
 * in the same run, interleaved:
 *   - the maps reader in process vs reading /proc/self/smaps into memory,
 *     at 10,000 mappings (target <= 1.3x);
 *   - `mseal maps PID` end to end vs `cat /proc/PID/smaps`, 10,000
 *     mappings (target <= 3x);
 *   - `mseal ps -p` over 500 processes vs `cat` of their 500 smaps
 *     (target <= 2x).
 * Times are CPU time (user + system): of this thread for the reader, of
 * the child process (exec included) for the commands.
 * Usage: bench-reader MSEAL_CLI
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include "bench-common.h"
#include "libmseal.h"

#define NMAPS 10000
#define NPROCS 500

/* Read /proc/self/smaps whole into a fresh buffer that grows by doubling,
 * as any program reading the file into memory does (the reader must too). */
static uint64_t read_smaps(void)
{
	uint64_t t0 = now_ns();
	int fd = open("/proc/self/smaps", O_RDONLY);
	size_t cap = 64 * 1024, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (cap - len < 4096) {
			char *grown = realloc(buf, cap * 2);

			if (!grown)
				break;
			buf = grown;
			cap *= 2;
		}
	}
	close(fd);
	free(buf);
	return now_ns() - t0;
}

static uint64_t run_reader(void)
{
	uint64_t t0 = now_ns();
	const struct mseal_region *r;
	struct mseal_maps *maps;
	size_t count = 0;

	if (mseal_maps_open(0, NULL, 0, &maps) < 0) {
		fprintf(stderr, "bench: mseal_maps_open failed\n");
		exit(1);
	}
	while (mseal_maps_next(maps, &r) == 1)
		count++;
	mseal_maps_free(maps);
	if (count < NMAPS) {
		fprintf(stderr, "bench: only %zu mappings\n", count);
		exit(1);
	}
	return now_ns() - t0;
}

static pid_t holder(size_t nmaps)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (nmaps && !make_mappings(nmaps, 0))
			_exit(1);
		pause();
		_exit(0);
	}
	return pid;
}

static void bench_reader(void)
{
	uint64_t a[BENCH_RUNS], b[BENCH_RUNS];

	if (!make_mappings(NMAPS, 0))
		exit(1);
	read_smaps();
	run_reader(); /* warm up */
	for (int i = 0; i < BENCH_RUNS; i++) {
		a[i] = read_smaps();
		b[i] = run_reader();
	}
	report("maps reader vs read smaps, 10,000 mappings", a, b, BENCH_RUNS, 0, 1.3);
}

/* The floor under the row above: libsmartcols printing the same table,
 * with nothing read or formatted, against the same `cat`. */
static void bench_table_floor(const char *cli, char *pid_s, char *const *cat)
{
	uint64_t a[BENCH_RUNS], b[BENCH_RUNS];
	char *raw_argv[] = { (char *)cli, "maps", "-r", pid_s, NULL };
	char *raw = capture_exec(raw_argv);

	time_table_print(raw);
	for (int i = 0; i < BENCH_RUNS; i++) {
		a[i] = time_exec(cat);
		b[i] = time_table_print(raw);
	}
	report("libsmartcols printing alone, the same table, vs `cat smaps`",
	       a, b, BENCH_RUNS, NO_TARGET);
	free(raw);
}

static void bench_maps_cli(const char *cli)
{
	uint64_t a[BENCH_RUNS], b[BENCH_RUNS];
	char pid_s[24], path[64];
	pid_t pid = holder(NMAPS);
	char *cat[] = { "/bin/cat", path, NULL };
	char *maps[] = { (char *)cli, "maps", pid_s, NULL };

	usleep(300000); /* let it map */
	snprintf(pid_s, sizeof(pid_s), "%d", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	time_exec(maps);
	for (int i = 0; i < BENCH_RUNS; i++) {
		a[i] = time_exec(cat);
		b[i] = time_exec(maps);
	}
	report("`mseal maps PID` vs `cat smaps`, 10,000 mappings", a, b, BENCH_RUNS, 0, 3.0);
	bench_table_floor(cli, pid_s, cat);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void bench_ps(const char *cli)
{
	static pid_t pids[NPROCS];
	static char paths[NPROCS][40];
	char *cat[NPROCS + 2], *ps[6];
	char *list = malloc(NPROCS * 12);
	uint64_t a[BENCH_RUNS], b[BENCH_RUNS];
	size_t len = 0;

	cat[0] = "/bin/cat";
	for (int i = 0; i < NPROCS; i++) {
		pids[i] = holder(0);
		snprintf(paths[i], sizeof(paths[i]), "/proc/%d/smaps", (int)pids[i]);
		cat[i + 1] = paths[i];
		len += (size_t)sprintf(list + len, "%s%d", i ? "," : "", (int)pids[i]);
	}
	cat[NPROCS + 1] = NULL;
	ps[0] = (char *)cli;
	ps[1] = "ps";
	ps[2] = "-p";
	ps[3] = list;
	ps[4] = NULL;
	usleep(300000);
	time_exec(ps);
	for (int i = 0; i < BENCH_RUNS; i++) {
		a[i] = time_exec(cat);
		b[i] = time_exec(ps);
	}
	report("`mseal ps -p` vs `cat` of their smaps, 500 processes", a, b, BENCH_RUNS, 0, 2.0);
	for (int i = 0; i < NPROCS; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	free(list);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench-reader MSEAL_CLI\n");
		return 1;
	}
	printf("| what | baseline median (min), us | candidate median (min), us | paired ratio | ratio of medians | ratio of mins | target | |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	bench_maps_cli(argv[1]);
	bench_ps(argv[1]);
	bench_reader(); /* last: it leaves this process with 10,000 mappings */
	return 0;
}
