// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Secret memory and arenas against libsodium and malloc, side by side in
 * one run, interleaved round by round (bench/RESULTS.md, section memory):
 *  1. alloc+memset+free pairs per second, 32 B and 4 KiB: mseal_secret
 *     (slab, and pages of its own), sodium_malloc/sodium_free, malloc;
 *  2. per live allocation (10,000 live, each in a fresh child process):
 *     resident pages, mappings, locked pages;
 *  3. mappings before and after 100,000 alloc/free cycles;
 *  4. how many live 32-byte secrets fit (each in a child);
 *  5. arena allocation against malloc.
 * Speed is reported only as ratios against a baseline of the same round.
 *
 * Usage: bench-memory [ROUNDS]  (default 7; run as root for sodium's and
 * our mlock to succeed without RLIMIT_MEMLOCK).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmseal.h>
#ifdef HAVE_SODIUM
#include <sodium.h>
#endif

#define MAX_ROUNDS 31
#define SLICE_NS 150000000L /* each timed slice: 0.15 s */

enum kind { K_SECRET, K_SECRET_PAGES, K_SODIUM, K_MALLOC, K_COUNT };
static const char *const kind_name[K_COUNT] = {
	"mseal_secret (slab/pages)", "mseal_secret (PAGES flag)",
	"sodium_malloc", "malloc",
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *bench_alloc(enum kind k, size_t size)
{
	void *p = NULL;

	switch (k) {
	case K_SECRET:
		return mseal_secret_alloc(size, 0, &p) < 0 ? NULL : p;
	case K_SECRET_PAGES:
		return mseal_secret_alloc(size, LIBMSEAL_SECRET_PAGES, &p) < 0 ?
			       NULL : p;
	case K_SODIUM:
#ifdef HAVE_SODIUM
		return sodium_malloc(size);
#else
		return NULL;
#endif
	case K_MALLOC:
	default:
		return malloc(size);
	}
}

static int bench_free(enum kind k, void *p)
{
	switch (k) {
	case K_SECRET:
	case K_SECRET_PAGES:
		return mseal_secret_free(p);
	case K_SODIUM:
#ifdef HAVE_SODIUM
		sodium_free(p);
#endif
		return 0;
	case K_MALLOC:
	default:
		free(p);
		return 0;
	}
}

static int available(enum kind k)
{
#ifndef HAVE_SODIUM
	if (k == K_SODIUM)
		return 0;
#endif
	(void)k;
	return 1;
}

/* Pairs per second over one time slice. */
static double pairs_per_s(enum kind k, size_t size)
{
	long long start = now_ns(), end;
	long n = 0;

	do {
		for (int i = 0; i < 64; i++, n++) {
			void *p = bench_alloc(k, size);

			if (!p)
				return -1;
			memset(p, (int)n, size);
			__asm__ volatile("" : : "r"(p) : "memory");
			if (bench_free(k, p) != 0)
				return -1;
		}
		end = now_ns();
	} while (end - start < SLICE_NS);
	return n * 1e9 / (double)(end - start);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void throughput(int rounds)
{
	static const size_t sizes[2] = { 32, 4096 };
	static double rate[2][K_COUNT][MAX_ROUNDS];
	double ratio[MAX_ROUNDS], m;

	for (int r = 0; r < rounds; r++)
		for (int s = 0; s < 2; s++)
			for (int k = 0; k < K_COUNT; k++)
				rate[s][k][r] = available(k) ?
					pairs_per_s(k, sizes[s]) : -1;
	printf("\n### alloc+memset+free pairs/s (median of %d interleaved "
	       "rounds of 0.15 s)\n\n", rounds);
	printf("| allocator | size | pairs/s | ÷ sodium (median of per-round "
	       "ratios) |\n|---|---:|---:|---:|\n");
	for (int s = 0; s < 2; s++) {
		for (int k = 0; k < K_COUNT; k++) {
			if (!available(k))
				continue;
			for (int r = 0; r < rounds; r++)
				ratio[r] = available(K_SODIUM) ?
					rate[s][k][r] / rate[s][K_SODIUM][r] : 0;
			m = median(ratio, rounds);
			printf("| %s | %zu | %.0f | %.2fx |\n", kind_name[k],
			       sizes[s], median(rate[s][k], rounds), m);
		}
	}
}

/* --- memory per live allocation, in a fresh child each --- */

static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long kb = -1;
	size_t n = strlen(field);

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			kb = strtol(line + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static long maps_count(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	long n = 0;
	int c;

	while (f && (c = fgetc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

/* Rss, in kB, of the mappings marked MADV_DONTDUMP ("dd"): the secret
 * data of both secret allocators, without their heap metadata. */
static long dd_rss_kb(void)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	long rss = 0, total = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Rss:", 4) == 0)
			rss = strtol(line + 4, NULL, 10);
		else if (strncmp(line, "VmFlags:", 8) == 0 &&
			 strstr(line, " dd"))
			total += rss;
	}
	if (f)
		fclose(f);
	return total;
}

#define LIVE 10000

/* Child: prints "rss_pages maps locked_pages" per allocation. */
static int per_live_child(enum kind k, size_t size)
{
	static void *live[LIVE];
	long rss0 = status_kb("VmRSS"), maps0 = maps_count();
	long lck0 = status_kb("VmLck"), dd0 = dd_rss_kb();

	for (int i = 0; i < LIVE; i++) {
		live[i] = bench_alloc(k, size);
		if (!live[i])
			return 1;
		memset(live[i], 1, size);
	}
	printf("| %s | %zu | %.3f | %.3f | %.3f | %.3f |\n", kind_name[k],
	       size, (status_kb("VmRSS") - rss0) / 4.0 / LIVE,
	       (dd_rss_kb() - dd0) / 4.0 / LIVE,
	       (double)(maps_count() - maps0) / LIVE,
	       (status_kb("VmLck") - lck0) / 4.0 / LIVE);
	fflush(stdout);
	return 0;
}

/* Child: mappings before and after 100,000 alloc/free cycles. */
static int cycles_child(enum kind k, size_t size)
{
	long before;
	void *p = bench_alloc(k, size);

	bench_free(k, p);
	before = maps_count();
	for (int i = 0; i < 100000; i++) {
		p = bench_alloc(k, size);
		if (!p)
			return 1;
		memset(p, i, size);
		bench_free(k, p);
	}
	printf("| %s | %zu | %ld | %ld |\n", kind_name[k], size, before,
	       maps_count());
	fflush(stdout);
	return 0;
}

/* Child: live 32-byte allocations until failure or @cap. */
static int capacity_child(enum kind k, long cap)
{
	long n = 0;

	while (n < cap && bench_alloc(k, 32))
		n++;
	printf("| %s | %ld%s | %ld |\n", kind_name[k], n,
	       n == cap ? " (stopped at the cap)" : "", maps_count());
	fflush(stdout);
	return 0;
}

enum job { JOB_LIVE, JOB_CYCLES, JOB_CAPACITY };

static void in_child(enum job job, enum kind k, size_t size)
{
	int status;
	pid_t pid;

	if (!available(k))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
#ifdef HAVE_SODIUM
		if (sodium_init() < 0)
			_exit(1);
#endif
		_exit(job == JOB_LIVE	? per_live_child(k, size) :
		      job == JOB_CYCLES ? cycles_child(k, size) :
					  capacity_child(k, (long)size));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		printf("| %s | %zu | (child failed) |\n", kind_name[k], size);
}

static void footprint(void)
{
	static const size_t sizes[2] = { 32, 4096 };

	printf("\n### per live allocation (%d live, fresh process each)\n\n"
	       "| allocator | size | resident pages (VmRSS) | of which in "
	       "dd mappings | mappings | locked pages |\n"
	       "|---|---:|---:|---:|---:|---:|\n", LIVE);
	for (int s = 0; s < 2; s++)
		for (int k = 0; k < K_COUNT; k++)
			in_child(JOB_LIVE, k, sizes[s]);
	printf("\n### mappings around 100,000 alloc/free cycles\n\n"
	       "| allocator | size | mappings before | after |\n"
	       "|---|---:|---:|---:|\n");
	for (int s = 0; s < 2; s++)
		for (int k = 0; k < K_COUNT; k++)
			if (k != K_MALLOC)
				in_child(JOB_CYCLES, k, sizes[s]);
	printf("\n### live 32-byte allocations that fit (vm.max_map_count "
	       "65530)\n\n| allocator | live | mappings at the end |\n"
	       "|---|---:|---:|\n");
	in_child(JOB_CAPACITY, K_SECRET, 500000);
	in_child(JOB_CAPACITY, K_SODIUM, 500000);
}

/* --- arena against malloc --- */

#define ARENA_OBJS 200000

/* use_arena: 0 malloc, 1 fresh arena (first-touch page faults timed),
 * 2 LIBMSEAL_ARENA_POPULATE (pages faulted in by create, untimed). */
static double arena_rate(int use_arena)
{
	static void *objs[ARENA_OBJS];
	struct mseal_arena *arena = NULL;
	long long start, end;

	if (use_arena &&
	    mseal_arena_create((size_t)ARENA_OBJS * 48,
			       use_arena == 2 ? LIBMSEAL_ARENA_POPULATE : 0,
			       &arena) < 0)
		return -1;
	start = now_ns();
	for (int i = 0; i < ARENA_OBJS; i++) {
		if (use_arena)
			mseal_arena_alloc(arena, 40, 8, &objs[i]);
		else
			objs[i] = malloc(40);
		memset(objs[i], i, 40);
	}
	end = now_ns();
	if (use_arena)
		mseal_arena_free(arena);
	else
		for (int i = 0; i < ARENA_OBJS; i++)
			free(objs[i]);
	return ARENA_OBJS * 1e9 / (double)(end - start);
}

static void arena_vs_malloc(int rounds)
{
	double a[MAX_ROUNDS], p[MAX_ROUNDS], m[MAX_ROUNDS];
	double ratio[MAX_ROUNDS], pratio[MAX_ROUNDS];

	for (int r = 0; r < rounds; r++) {
		a[r] = arena_rate(1);
		p[r] = arena_rate(2);
		m[r] = arena_rate(0);
		ratio[r] = a[r] / m[r];
		pratio[r] = p[r] / m[r];
	}
	printf("\n### arena allocation (40 B, align 8, %d objects, memset "
	       "included)\n\n| allocator | allocs/s | ÷ malloc |\n"
	       "|---|---:|---:|\n"
	       "| mseal_arena_alloc, fresh arena (page faults timed) | %.0f | "
	       "%.2fx |\n"
	       "| mseal_arena_alloc, LIBMSEAL_ARENA_POPULATE | %.0f | %.2fx |\n"
	       "| malloc (heap warm after round 1) | %.0f | 1.00x |\n",
	       ARENA_OBJS, median(a, rounds), median(ratio, rounds),
	       median(p, rounds), median(pratio, rounds), median(m, rounds));
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 7;

	if (rounds < 1 || rounds > MAX_ROUNDS)
		rounds = 7;
#ifdef HAVE_SODIUM
	if (sodium_init() < 0)
		return 1;
#else
	printf("(built without libsodium: sodium rows skipped)\n");
#endif
	printf("libmseal %s, mseal %s, page %zu bytes\n", mseal_version(),
	       mseal_supported() == 1 ? "supported" : "unavailable",
	       mseal_page_size());
	throughput(rounds);
	footprint();
	arena_vs_malloc(rounds);
	return 0;
}
