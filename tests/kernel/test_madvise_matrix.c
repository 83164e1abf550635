// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The madvise matrix of spec §6.5: every advice against seven kinds of
 * sealed mapping, each cell paired with its unsealed control. Kinds: private
 * anonymous read-only, read-exec and PROT_NONE (one "read-only" class),
 * private anonymous read-write, shared anonymous, private file, shared file
 * (files are memfds).
 *
 * The sealed result follows the rule of spec §2.2: EPERM when the advice
 * is a discard (6.13+ with GUARD_INSTALL), the mapping is "anonymous" and
 * read-only; otherwise the unsealed result. Which "anonymous" definition
 * applies (6.10-6.16 vs 6.17+) does not matter for these seven kinds; the
 * private /dev/zero and [vdso] cases where it does are in test_madvise.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kutil.h"

enum kind { RO_ANON, RX_ANON, NONE_ANON, RW_ANON, SHARED_ANON, FILE_PRIVATE,
	    FILE_SHARED };

static const char *const kind_perms[] = {
	"r--p", "r-xp", "---p", "rw-p", "r--s", "r--p", "r--s",
};

static char *map_kind(enum kind k)
{
	int fd;

	switch (k) {
	case RO_ANON:
		return k_anon(2, PROT_READ, 'm');
	case RX_ANON:
		return k_anon(2, PROT_READ | PROT_EXEC, 'm');
	case NONE_ANON:
		return k_anon(2, PROT_NONE, 'm');
	case RW_ANON:
		return k_anon(2, PROT_READ | PROT_WRITE, 'm');
	case SHARED_ANON:
		return k_shared_anon(2, PROT_READ, 'm');
	case FILE_PRIVATE:
	case FILE_SHARED:
		fd = k_memfd(2, 'm');
		return k_file(fd, 2, PROT_READ,
			      k == FILE_SHARED ? MAP_SHARED : MAP_PRIVATE);
	}
	return NULL;
}

static int is_file_or_shared(enum kind k)
{
	return k == SHARED_ANON || k == FILE_PRIVATE || k == FILE_SHARED;
}

/* The unsealed result on this kernel (spec §6.5, the [x] baselines). */
static int baseline(int advice, enum kind k)
{
	switch (advice) {
	case MADV_FREE:
	case MADV_WIPEONFORK:
		return is_file_or_shared(k) ? EINVAL : 0;
	case MADV_REMOVE:
		if (k == SHARED_ANON || k == FILE_SHARED)
			return 0;
		return k == FILE_PRIVATE ? EACCES : EINVAL;
	case MADV_POPULATE_READ:
		return k == NONE_ANON ? EINVAL : 0;
	case MADV_POPULATE_WRITE:
		return k == RW_ANON ? 0 : EINVAL;
	case MADV_COLLAPSE:
		return EINVAL; /* THP constraints, not sealing */
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
		if (!k_rule_guard())
			return EINVAL;
		/* 6.13-6.14 guard regions were anonymous-only [I]. */
		return is_file_or_shared(k) && !k_rule_guard_file() ? EINVAL : 0;
	default:
		return 0;
	}
}

static int is_discard(int advice)
{
	switch (advice) {
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_WIPEONFORK:
		return 1;
	case MADV_GUARD_INSTALL:
		return k_rule_guard();
	default:
		return 0;
	}
}

/* Advice that may legitimately drop or hide the data of an allowed call. */
static int may_drop_data(int advice)
{
	return advice == MADV_DONTNEED || advice == MADV_FREE ||
	       advice == MADV_REMOVE || advice == MADV_DONTNEED_LOCKED ||
	       advice == MADV_GUARD_INSTALL;
}

static void cell(int advice, enum kind k, int sealed)
{
	char *p = map_kind(k);
	int ro_anon = k == RO_ANON || k == RX_ANON || k == NONE_ANON;
	int expect = baseline(advice, k);
	int got;

	test_require_mseal();
	if (sealed) {
		k_seal(p, 2 * PG);
		if (ro_anon && is_discard(advice)) {
			cr_log_info("rule §2.2: discard advice on sealed "
				    "read-only anonymous memory -> EPERM");
			expect = EPERM;
		}
	}
	got = madvise(p, 2 * PG, advice) == 0 ? 0 : errno;
	if (sealed && ro_anon && !is_discard(advice) && k_rule_bitmask_bug() &&
	    (advice & 0x1f) && got == EPERM) {
		cr_log_info("rule 6.10.x: bitmask bug may refuse any advice");
		expect = EPERM;
	}
	cr_assert_eq(got, expect, "madvise(%d) on kind %d sealed=%d: %s, "
		     "expected %s", advice, k, sealed, strerror(got),
		     strerror(expect));
	k_expect_sealed(p, sealed);
	k_expect_perms(p, kind_perms[k]);
	if (k != NONE_ANON && (got == EPERM || !may_drop_data(advice)))
		k_expect_fill(p, 2 * PG, 'm');
}

#define CELL(name, advice, kind)                                           \
	Test(madvise_matrix, name##__##kind##__sealed)                     \
	{                                                                  \
		cell(advice, kind, 1);                                     \
	}                                                                  \
	Test(madvise_matrix, name##__##kind##__unsealed_control)           \
	{                                                                  \
		cell(advice, kind, 0);                                     \
	}

#define ROW(name, advice)                                                  \
	CELL(name, advice, RO_ANON)                                        \
	CELL(name, advice, RX_ANON)                                        \
	CELL(name, advice, NONE_ANON)                                      \
	CELL(name, advice, RW_ANON)                                        \
	CELL(name, advice, SHARED_ANON)                                    \
	CELL(name, advice, FILE_PRIVATE)                                   \
	CELL(name, advice, FILE_SHARED)

ROW(normal, MADV_NORMAL)
ROW(random, MADV_RANDOM)
ROW(sequential, MADV_SEQUENTIAL)
ROW(willneed, MADV_WILLNEED)
ROW(dontneed, MADV_DONTNEED)
ROW(free, MADV_FREE)
ROW(remove, MADV_REMOVE)
ROW(dontfork, MADV_DONTFORK)
ROW(dofork, MADV_DOFORK)
ROW(mergeable, MADV_MERGEABLE)
ROW(unmergeable, MADV_UNMERGEABLE)
ROW(hugepage, MADV_HUGEPAGE)
ROW(nohugepage, MADV_NOHUGEPAGE)
ROW(dontdump, MADV_DONTDUMP)
ROW(dodump, MADV_DODUMP)
ROW(wipeonfork, MADV_WIPEONFORK)
ROW(keeponfork, MADV_KEEPONFORK)
ROW(cold, MADV_COLD)
ROW(pageout, MADV_PAGEOUT)
ROW(populate_read, MADV_POPULATE_READ)
ROW(populate_write, MADV_POPULATE_WRITE)
ROW(dontneed_locked, MADV_DONTNEED_LOCKED)
ROW(collapse, MADV_COLLAPSE)
ROW(guard_install, MADV_GUARD_INSTALL)
ROW(guard_remove, MADV_GUARD_REMOVE)
