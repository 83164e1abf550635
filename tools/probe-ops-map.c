// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Probe operations that change a mapping: mprotect, pkey_mprotect, munmap,
 * mremap, mmap, remap_file_pages, and the calls spanning an unsealed and a
 * sealed mapping whose side effects depend on the release (spec §2.1,
 * §2.3). Each runs in its own child; see probe-run.c.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PROBE_OP_TABLE
#include "probe-ops.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG (probe_page())

/* Sealed read-only pages filled with 's', or NULL (r says why). */
static char *sealed_ro(struct probe_result *r, size_t pages)
{
	return probe_sealed_anon(r, pages, PROT_READ);
}

/* After a refusal: did the sealed mapping keep its pages, data and prot? */
static void check_kept(struct probe_result *r, const char *p, size_t pages,
		       const char *perms)
{
	char now[5] = "";

	if (r->outcome == PROBE_ALLOWED) {
		r->side_effects = -1;
		return;
	}
	if (probe_state(p, now) != 1 || probe_state(p + (pages - 1) * PG,
						     NULL) != 1)
		probe_side(r, 1, "sealed pages unmapped");
	else if (strcmp(now, perms) != 0)
		probe_side(r, 1, "protection changed");
	else
		probe_side(r, !probe_intact(p, pages * PG, 's'), "data lost");
}

static long remap(void *old, size_t old_len, size_t new_len, int flags,
		  void *new_addr)
{
	return syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

static void op_mprotect(struct probe_result *r, int prot)
{
	char *p = sealed_ro(r, 2);

	if (!p)
		return;
	PROBE_CALL(r, mprotect(p, 2 * PG, prot) != 0);
	check_kept(r, p, 2, "r--p");
}

static void op_pkey_mprotect(struct probe_result *r, int arg)
{
	char *p = sealed_ro(r, 2);

	if (!p)
		return;
	PROBE_CALL(r, syscall(SYS_pkey_mprotect, p, 2 * PG,
				   PROT_READ | PROT_WRITE, -1) != 0);
	check_kept(r, p, 2, "r--p");
}

/* munmap the first @pages of two sealed pages. */
static void op_munmap(struct probe_result *r, int pages)
{
	char *p = sealed_ro(r, 2);

	if (!p)
		return;
	PROBE_CALL(r, munmap(p, (size_t)pages * PG) != 0);
	check_kept(r, p, 2, "r--p");
}

static void call_remap(struct probe_result *r, size_t old_pages,
		       size_t new_pages, int flags, int to_hole)
{
	char *p = sealed_ro(r, old_pages);
	char *dst = to_hole ? probe_hole(new_pages) : NULL;

	if (!p)
		return;
	PROBE_CALL(r, remap(p, old_pages * PG, new_pages * PG, flags,
				 dst) == -1);
	check_kept(r, p, old_pages, "r--p");
}

static void op_mremap_shrink(struct probe_result *r, int arg)
{
	call_remap(r, 2, 1, 0, 0);
}

static void op_mremap_grow(struct probe_result *r, int arg)
{
	call_remap(r, 2, 64, MREMAP_MAYMOVE, 0);
}

static void op_mremap_move(struct probe_result *r, int arg)
{
	call_remap(r, 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED, 1);
}

static void op_mremap_dontunmap(struct probe_result *r, int arg)
{
	call_remap(r, 2, 2, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
}

static void op_mremap_same(struct probe_result *r, int arg)
{
	call_remap(r, 2, 2, 0, 0);
}

static void op_mremap_old_len0(struct probe_result *r, int arg)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	/* filled as the other ops' pages, so check_kept() can tell */
	if (p != MAP_FAILED)
		memset(p, 's', 2 * PG);
	if (p == MAP_FAILED || mprotect(p, 2 * PG, PROT_READ) != 0 ||
	    probe_seal(p, 2 * PG) != 0) {
		probe_unavailable(r, "cannot map and seal shared memory", errno);
		return;
	}
	PROBE_CALL(r, remap(p, 0, 2 * PG, MREMAP_MAYMOVE, NULL) == -1);
	check_kept(r, p, 2, "r--s");
}

static void op_mremap_onto_sealed(struct probe_result *r, int arg)
{
	char *dst = sealed_ro(r, 2);
	char *src = probe_anon(2, PROT_READ, 'u');

	if (!dst || !src)
		return;
	PROBE_CALL(r, remap(src, 2 * PG, 2 * PG,
				 MREMAP_MAYMOVE | MREMAP_FIXED, dst) == -1);
	check_kept(r, dst, 2, "r--p");
}

static void op_mmap(struct probe_result *r, int flag)
{
	char *p = sealed_ro(r, 2);

	if (!p)
		return;
	PROBE_CALL(r, mmap(p, 2 * PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | flag, -1,
				0) == MAP_FAILED);
	check_kept(r, p, 2, "r--p");
}

static void op_remap_file_pages(struct probe_result *r, int arg)
{
	int fd;
	char *p = probe_sealed_file(r, MAP_SHARED, &fd);

	if (!p)
		return;
	PROBE_CALL(r, syscall(SYS_remap_file_pages, p, PG, 0, 1, 0) != 0);
	r->side_effects = r->outcome == PROBE_ALLOWED ? -1 : 0;
}

/* [unsealed][sealed] pairs, unsealed page filled with 'u'. */
static char *pair(struct probe_result *r, int first_prot)
{
	char *p = probe_anon(2, PROT_READ | PROT_WRITE, 's');

	if (!p) {
		probe_unavailable(r, "cannot map", errno);
		return NULL;
	}
	memset(p, 'u', PG);
	if (mprotect(p, PG, first_prot) != 0 ||
	    mprotect(p + PG, PG, PROT_READ) != 0 ||
	    probe_seal(p + PG, PG) != 0) {
		probe_unavailable(r, "cannot map and seal a page", errno);
		return NULL;
	}
	return p;
}

static void op_partial_mprotect(struct probe_result *r, int arg)
{
	char *p = pair(r, PROT_READ);
	char perms[5] = "";

	if (!p)
		return;
	PROBE_CALL(r, mprotect(p, 2 * PG, PROT_READ | PROT_EXEC) != 0);
	probe_state(p, perms);
	probe_side(r, strcmp(perms, "r--p") != 0,
		   "the unsealed mapping became r-x");
}

static void op_partial_munmap(struct probe_result *r, int arg)
{
	char *p = pair(r, PROT_READ);

	if (!p)
		return;
	PROBE_CALL(r, munmap(p, 2 * PG) != 0);
	probe_side(r, probe_state(p, NULL) != 0 || !probe_intact(p, PG, 'u'),
		   "the unsealed mapping was unmapped");
}

static void op_partial_mmap(struct probe_result *r, int arg)
{
	char *p = pair(r, PROT_READ);

	if (!p)
		return;
	PROBE_CALL(r, mmap(p, 2 * PG, PROT_READ, MAP_PRIVATE |
				MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED);
	probe_side(r, probe_state(p, NULL) != 0 || !probe_intact(p, PG, 'u'),
		   "the unsealed mapping was replaced");
}

static void op_partial_mremap(struct probe_result *r, int arg)
{
	char *p = pair(r, PROT_READ | PROT_WRITE);
	char *dst = probe_hole(2);

	if (!p)
		return;
	PROBE_CALL(r, remap(p, 2 * PG, 2 * PG,
				 MREMAP_MAYMOVE | MREMAP_FIXED, dst) == -1);
	probe_side(r, probe_state(p, NULL) != 0,
		   "the unsealed mapping was moved");
}

static void op_mseal_gap(struct probe_result *r, int arg)
{
	char *p = probe_anon(3, PROT_READ, 's');
	int rc;

	if (!p || munmap(p + PG, PG) != 0) {
		probe_unavailable(r, "cannot map", errno);
		return;
	}
	rc = probe_seal(p, 3 * PG);
	probe_from_call(r, rc != 0, -rc);
	probe_side(r, probe_state(p, NULL) != 0, "the first mapping was sealed");
}

PROBE_EXPECT_RULE(expect_old_len0, mremap_old_len0_blocked, PROBE_BLOCKED,
		  PROBE_ALLOWED)
PROBE_EXPECT_RULE(expect_partial_mremap, mremap_multi_vma_efault, PROBE_FAILED,
		  PROBE_BLOCKED)

const struct probe_op probe_ops_map[] = {
	{ "mprotect to rw-", RO, "§2.1 P1", op_mprotect, BLOCKED,
	  PROT_READ | PROT_WRITE },
	{ "mprotect, same protection", RO, "§2.1 P2", op_mprotect, BLOCKED,
	  PROT_READ },
	{ "pkey_mprotect, pkey -1", RO, "§2.1 P4", op_pkey_mprotect, BLOCKED,
	  0 },
	{ "munmap whole", RO, "§2.1 U1", op_munmap, BLOCKED, 2 },
	{ "munmap first page", RO, "§2.1 U2", op_munmap, BLOCKED, 1 },
	{ "mremap shrink", RO, "§2.1 M1", op_mremap_shrink, BLOCKED, 0 },
	{ "mremap grow, MAYMOVE", RO, "§2.1 M3", op_mremap_grow, BLOCKED, 0 },
	{ "mremap move, FIXED", RO, "§2.1 M4", op_mremap_move, BLOCKED, 0 },
	{ "mremap DONTUNMAP", RO, "§2.1 M5", op_mremap_dontunmap, BLOCKED, 0 },
	{ "mremap same size", RO, "§2.1 M6", op_mremap_same, BLOCKED, 0 },
	{ "mremap old_len 0", "shared anon r--", "§2.1 M9",
	  op_mremap_old_len0, expect_old_len0, 0 },
	{ "mremap unsealed onto it, FIXED", RO, "§2.1 M7",
	  op_mremap_onto_sealed, BLOCKED, 0 },
	{ "mmap MAP_FIXED over it", RO, "§2.1 F1", op_mmap, BLOCKED,
	  MAP_FIXED },
	{ "mmap MAP_FIXED_NOREPLACE", RO, "§2.1 F3", op_mmap,
	  probe_expect_failed, MAP_FIXED_NOREPLACE },
	{ "remap_file_pages", "shared file r--", "§2.1 F6",
	  op_remap_file_pages, BLOCKED, 0 },
	{ "mprotect [unsealed][sealed]", "2 private anon", "§2.3 P5",
	  op_partial_mprotect, BLOCKED, 0 },
	{ "munmap [unsealed][sealed]", "2 private anon", "§2.3 U5",
	  op_partial_munmap, BLOCKED, 0 },
	{ "mmap FIXED [unsealed][sealed]", "2 private anon", "§2.3 F5",
	  op_partial_mmap, BLOCKED, 0 },
	{ "mremap move [unsealed][sealed]", "2 private anon", "§2.3 M10",
	  op_partial_mremap, expect_partial_mremap, 0 },
	{ "mseal across a hole", "anon, hole, anon", "§1.2 S7",
	  op_mseal_gap, probe_expect_failed, 0 },
};
const size_t probe_n_ops_map = sizeof(probe_ops_map) / sizeof(probe_ops_map[0]);
