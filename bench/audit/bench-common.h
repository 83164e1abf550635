/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Timing helpers of the audit benchmarks: interleaved runs, medians. */
#ifndef BENCH_AUDIT_COMMON_H
#define BENCH_AUDIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_RUNS 31 /* per side; odd, so the median is one sample */

/* CPU time (user + system) of the calling thread, in nanoseconds. */
uint64_t now_ns(void);

/* Median and minimum of @n samples (sorts @v). */
uint64_t median(uint64_t *v, size_t n);
uint64_t minimum(const uint64_t *v, size_t n);

/* Print one Markdown table row: what, baseline and candidate medians and
 * minimums (microseconds), the median of the paired ratios (sample i of
 * each side ran back to back; the verdict uses it), the ratio of the
 * medians, the ratio of the minimums, the target, and the verdict. */
void report(const char *what, uint64_t *base, uint64_t *cand, size_t n,
	    double target_lo, double target_hi);
/* A row with no target and no verdict: @target_hi below @target_lo. */
#define NO_TARGET 1.0, 0.0

/* Map @n one-page anonymous mappings that cannot merge (alternating
 * protection) inside one reservation; seal them when @seal. Returns the
 * base, or NULL. */
char *make_mappings(size_t n, int seal);

/* fork, run @argv with stdout to /dev/null, wait: the child's CPU time
 * (user + system) in nanoseconds. */
uint64_t time_exec(char *const *argv);

/* fork, run @argv, and return its stdout, NUL-terminated (malloc'd);
 * exits the benchmark when the command fails. */
char *capture_exec(char *const *argv);

/* bench-table.c: CPU time of libsmartcols printing alone, in a child with
 * stdout to /dev/null, of `mseal maps`'s default table rebuilt from @raw
 * (the text of `mseal maps -r`). */
uint64_t time_table_print(const char *raw);

/* The raw mseal system call: 0 or -errno. */
int raw_mseal(void *addr, size_t len);

#endif
