/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `mseal probe`: the operations of spec §2.1 tried against a sealed mapping,
 * each in its own forked child (probe-run.c), with what the running
 * release implies (mseal_kernel_rules()) beside what happened.
 */
#ifndef MSEAL_PROBE_OPS_H
#define MSEAL_PROBE_OPS_H

#include <stddef.h>

#include "libmseal.h"

/* What a call did to sealed memory. */
enum probe_outcome {
	PROBE_NOT_RUN = 0, /* the child died or timed out */
	PROBE_BLOCKED,     /* refused with EPERM (or the break stayed put) */
	PROBE_ALLOWED,     /* succeeded */
	PROBE_FAILED,      /* refused with another errno, not for the seal */
	PROBE_IGNORED,     /* returned success but left the mapping in place */
	PROBE_UNAVAILABLE, /* the operation cannot be set up here */
	PROBE_EITHER,      /* only as an expectation: blocked or allowed */
};

/* Filled by the child in a shared page. */
struct probe_result {
	int outcome;      /* enum probe_outcome */
	int err;          /* errno of the call; 0 when it succeeded */
	int side_effects; /* -1 not applicable, 0 none, 1 some */
	char note[112];   /* what changed, or why unavailable */
};

struct probe_op {
	const char *name;    /* the operation, e.g. "mremap move FIXED" */
	const char *mapping; /* what it was tried on */
	const char *spec;    /* where the rule is, e.g. "§2.1, M4" */
	/* Runs in the child with @arg: the one value in which operations
	 * of one kind differ (the advice of madvise, the protection of
	 * mprotect); 0 and unused by the others. */
	void (*run)(struct probe_result *r, int arg);
	/* The outcome the release implies (an enum probe_outcome). */
	int (*expect)(const struct mseal_rules *rules);
	int arg;
};

extern const struct probe_op probe_ops_map[];  /* mprotect..mmap */
extern const size_t probe_n_ops_map;
extern const struct probe_op probe_ops_other[]; /* madvise, others */
extern const size_t probe_n_ops_other;

/* Run every op, each in a child, into @results (one per op, in the order
 * of probe_ops_map then probe_ops_other). 0 or -errno. */
int probe_run_all(struct probe_result *results, size_t n);

/* The op at index @i across both tables. */
const struct probe_op *probe_op_at(size_t i);
size_t probe_op_count(void);

const char *probe_outcome_name(int outcome);

/* --- helpers for the ops, run inside the child --- */
size_t probe_page(void);
/* Map @pages private anonymous pages filled with @fill, then @prot. */
char *probe_anon(size_t pages, int prot, int fill);
/* Map a memfd of @pages pages filled with @fill with @flags (MAP_SHARED or
 * MAP_PRIVATE), read-only; *ret_fd gets the memfd. */
char *probe_file(size_t pages, int flags, int fill, int *ret_fd);
/* @pages private anonymous pages filled with 's', then @prot, sealed; or
 * NULL with @r set unavailable. */
char *probe_sealed_anon(struct probe_result *r, size_t pages, int prot);
/* Two pages of a memfd filled with 's', mapped read-only with @flags and
 * sealed; or NULL with @r set unavailable. *ret_fd gets the memfd. */
char *probe_sealed_file(struct probe_result *r, int flags, int *ret_fd);
/* Unmapped address space of @pages pages. */
char *probe_hole(size_t pages);
/* mseal through the library; 0 or -errno. */
int probe_seal(void *p, size_t len);
/* Read back the mapping at @p: perms into @perms[5]; 1 sealed, 0 not,
 * -1 unmapped. */
int probe_state(const void *p, char perms[5]);
/* 1 when @len bytes at @p all equal @fill. */
int probe_intact(const void *p, size_t len, int fill);
/* Evaluate @failed_expr first, then read errno (argument order is
 * unspecified in C, so never pass both to one call). */
#define PROBE_CALL(r, failed_expr)                                         \
	do {                                                               \
		int probe_failed_ = (failed_expr);                         \
		probe_from_call((r), probe_failed_, errno);                \
	} while (0)
/* Set @r from a call that returned -1 (@failed) with @err. */
void probe_from_call(struct probe_result *r, int failed, int err);
/* Record the side effect check: @changed, with @what when it did. */
void probe_side(struct probe_result *r, int changed, const char *what);
void probe_unavailable(struct probe_result *r, const char *why, int err);

/* Expectation helpers: the same outcome on every release. */
int probe_expect_blocked(const struct mseal_rules *rules);
int probe_expect_allowed(const struct mseal_rules *rules);
int probe_expect_failed(const struct mseal_rules *rules);
int probe_expect_ignored(const struct mseal_rules *rules);

#ifdef PROBE_OP_TABLE
/* For the files of the operation tables (probe-ops-*.c, which define
 * PROBE_OP_TABLE); kept out of every other file. */

/* Define @name, the expectation one field of struct mseal_rules decides:
 * @yes when @rule is non-zero, else @no. */
#define PROBE_EXPECT_RULE(name, rule, yes, no)                             \
	static int name(const struct mseal_rules *rules)                   \
	{                                                                  \
		return rules->rule ? (yes) : (no);                         \
	}

/* Short names for the rows of the tables. */
#define BLOCKED probe_expect_blocked
#define ALLOWED probe_expect_allowed
#define RO "private anon r--"
#endif

#endif
