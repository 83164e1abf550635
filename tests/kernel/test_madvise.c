// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * madvise beyond the matrix (spec §2.1, §2.2, §6.4-6.5): guard pages,
 * process_madvise on self, the 6.17 change of "anonymous" (private
 * /dev/zero, [vdso]), dirty private file pages, and field reports R11 (a)
 * and R18. Test names carry the version rule they apply.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kutil.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif

Test(madvise, len0_on_sealed_returns0)
{
	char *p = k_anon(1, PROT_READ, 'z');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(madvise(p, 0, MADV_DONTNEED), 0);
	k_expect_fill(p, PG, 'z');
}

/* GUARD_INSTALL (spec §0 6.13): on sealed RO anon refused, page readable. */
Test(madvise, guard_install_sealed_ro__6_13_eperm__older_einval)
{
	char *p = k_anon(1, PROT_READ, 'g');

	test_require_mseal();
	k_seal(p, PG);
	cr_assert_eq(madvise(p, PG, MADV_GUARD_INSTALL), -1);
	cr_assert_eq(errno, k_rule_guard() ? EPERM : EINVAL);
	cr_assert_eq(k_readable(p), 1);
	k_expect_fill(p, PG, 'g');
}

Test(madvise, guard_install_unsealed_ro_control__6_13_guard_faults)
{
	char *p = k_anon(1, PROT_READ, 'g');

	test_require_mseal();
	if (!k_rule_guard()) {
		cr_assert_eq(madvise(p, PG, MADV_GUARD_INSTALL), -1);
		cr_assert_eq(errno, EINVAL);
		return;
	}
	cr_assert_eq(madvise(p, PG, MADV_GUARD_INSTALL), 0);
	cr_assert_eq(k_readable(p), 0, "a guard page must fault");
	cr_assert_eq(madvise(p, PG, MADV_GUARD_REMOVE), 0);
	cr_assert_eq(k_readable(p), 1);
}

Test(madvise, guard_install_sealed_rw__6_13_allowed_faults)
{
	char *p = k_anon(1, PROT_READ | PROT_WRITE, 'g');

	test_require_mseal();
	k_seal(p, PG);
	if (!k_rule_guard()) {
		cr_assert_eq(madvise(p, PG, MADV_GUARD_INSTALL), -1);
		return;
	}
	cr_assert_eq(madvise(p, PG, MADV_GUARD_INSTALL), 0);
	cr_assert_eq(k_readable(p), 0);
	k_expect_sealed(p, 1);
}

/* --- process_madvise on self through a pidfd (A5-A5d) --- */

static long pmadvise_self(void *p, size_t len, int advice)
{
	struct iovec iov = { .iov_base = p, .iov_len = len };
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	long rc;

	cr_assert_geq(pidfd, 0, "pidfd_open: %s", strerror(errno));
	rc = syscall(SYS_process_madvise, pidfd, &iov, 1, advice, 0);
	close(pidfd);
	return rc;
}

Test(process_madvise, dontneed_sealed_ro__6_13_eperm__older_einval)
{
	char *p = k_anon(2, PROT_READ, 'p');

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(pmadvise_self(p, 2 * PG, MADV_DONTNEED), -1);
	cr_assert_eq(errno, k_rule_process_madvise_any() ? EPERM : EINVAL);
	k_expect_fill(p, 2 * PG, 'p');
}

Test(process_madvise, dontneed_unsealed_ro_control__6_13_ok)
{
	char *p = k_anon(2, PROT_READ, 'p');
	long rc;

	test_require_mseal();
	rc = pmadvise_self(p, 2 * PG, MADV_DONTNEED);
	if (k_rule_process_madvise_any()) {
		cr_assert_eq(rc, (long)(2 * PG));
		k_expect_fill(p, 2 * PG, 0);
	} else {
		cr_assert_eq(rc, -1);
		cr_assert_eq(errno, EINVAL);
	}
}

Test(process_madvise, cold_sealed_ro_full_length)
{
	char *p = k_anon(2, PROT_READ, 'p');

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(pmadvise_self(p, 2 * PG, MADV_COLD), (long)(2 * PG));
	k_expect_fill(p, 2 * PG, 'p');
}

Test(process_madvise, pageout_sealed_ro_full_length)
{
	char *p = k_anon(2, PROT_READ, 'p');

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(pmadvise_self(p, 2 * PG, MADV_PAGEOUT), (long)(2 * PG));
	k_expect_fill(p, 2 * PG, 'p');
}

Test(process_madvise, dontneed_sealed_rw__6_13_allowed)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 'p');
	long rc;

	test_require_mseal();
	k_seal(p, 2 * PG);
	rc = pmadvise_self(p, 2 * PG, MADV_DONTNEED);
	if (k_rule_process_madvise_any()) {
		cr_assert_eq(rc, (long)(2 * PG));
		k_expect_fill(p, 2 * PG, 0);
	} else {
		cr_assert_eq(rc, -1);
		cr_assert_eq(errno, EINVAL);
	}
	k_expect_sealed(p, 1);
}

/* --- private /dev/zero: "anonymous" changed in 6.17 (X4, X4b) --- */

static char *devzero_ro(void)
{
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	char *p;

	cr_assert_geq(fd, 0);
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	cr_assert_neq(p, MAP_FAILED);
	return p;
}

Test(madvise, devzero_private_sealed__6_17_eperm__6_10_16_allowed)
{
	char *p = devzero_ro();
	int rc;

	test_require_mseal();
	k_seal(p, 2 * PG);
	rc = madvise(p, 2 * PG, MADV_DONTNEED);
	if (k_rule_anon_is_vma_anon()) {
		cr_log_info("rule 6.17+: vma_is_anonymous() -> EPERM");
		cr_assert_eq(rc, -1);
		cr_assert_eq(errno, EPERM);
	} else {
		cr_log_info("rule 6.10-6.16: has vm_file -> not anon -> 0");
		cr_assert_eq(rc, 0);
	}
	k_expect_fill(p, 2 * PG, 0);
	k_expect_sealed(p, 1);
}

Test(madvise, devzero_private_unsealed_control_ok)
{
	char *p = devzero_ro();

	test_require_mseal();
	cr_assert_eq(madvise(p, 2 * PG, MADV_DONTNEED), 0);
	k_expect_sealed(p, 0);
}

/* --- [vdso] sealed by the user (X8, O11a/b) --- */

/* Find the mapping whose path is @name ("[vdso]"): 0 or -1. */
static int find_named(const char *name, struct test_vma *out)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512], path[256];
	unsigned long s, e;
	int found = -1;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		path[0] = '\0';
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %255s", &s, &e,
			   path) >= 2 && strcmp(path, name) == 0) {
			found = test_vma_at((void *)s, out);
			break;
		}
	}
	fclose(f);
	return found;
}

Test(madvise, vdso_user_sealed__6_17_allowed__6_10_16_eperm)
{
	struct test_vma v;
	int rc;

	test_require_mseal();
	cr_assert_eq(find_named("[vdso]", &v), 0, "no [vdso] here");
	k_seal((void *)v.start, v.end - v.start);
	rc = madvise((void *)v.start, v.end - v.start, MADV_DONTNEED);
	if (k_rule_anon_is_vma_anon()) {
		cr_log_info("rule 6.17+: [vdso] has vm_ops -> not anon -> 0");
		cr_assert_eq(rc, 0, "madvise: %s", strerror(errno));
	} else {
		cr_log_info("rule 6.10-6.16: no vm_file, private -> EPERM");
		cr_assert_eq(rc, -1);
		cr_assert_eq(errno, EPERM);
	}
	k_expect_sealed((void *)v.start, 1);
	/* The vDSO still answers after the zap: its pages fault back in. */
	cr_assert_eq(k_readable((void *)getauxval(AT_SYSINFO_EHDR)), 1);
}

Test(madvise, vvar_user_sealed_dontneed_einval_pfnmap)
{
	struct test_vma v;

	test_require_mseal();
	cr_assert_eq(find_named("[vvar]", &v), 0, "no [vvar] here");
	k_seal((void *)v.start, v.end - v.start);
	cr_assert_eq(madvise((void *)v.start, v.end - v.start, MADV_DONTNEED),
		     -1);
	cr_assert_eq(errno, EINVAL);
	k_expect_sealed((void *)v.start, 1);
}

/* --- X5: private file pages with COW data are not "anonymous" --- */

static void cow_case(int sealed)
{
	int fd = k_memfd(1, 'F');
	char *p = k_file(fd, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	test_require_mseal();
	memset(p, 'A', PG);
	cr_assert_eq(mprotect(p, PG, PROT_READ), 0);
	if (sealed)
		k_seal(p, PG);
	cr_assert_eq(madvise(p, PG, MADV_DONTNEED), 0);
	k_expect_fill(p, PG, 'F');
	k_expect_sealed(p, sealed);
}

Test(madvise, file_private_dirty_cow_sealed_allowed_reverts_to_file)
{
	cow_case(1);
}

Test(madvise, file_private_dirty_cow_unsealed_control_reverts)
{
	cow_case(0);
}

/* --- Field report R11 (a): read-only-after-init region, then DONTNEED --- */

static char *roinit_region(void)
{
	char *p = k_anon(2, PROT_READ | PROT_WRITE, 0);

	memset(p, 'R', 2 * PG);
	cr_assert_eq(mprotect(p, 2 * PG, PROT_READ), 0);
	return p;
}

Test(madvise, r11a_roinit_sealed_dontneed_eperm_contents_intact)
{
	char *p = roinit_region();

	test_require_mseal();
	k_seal(p, 2 * PG);
	cr_assert_eq(madvise(p, 2 * PG, MADV_DONTNEED), -1);
	cr_assert_eq(errno, EPERM);
	k_expect_fill(p, 2 * PG, 'R');
}

Test(madvise, r11a_roinit_unsealed_control_dontneed_zeroes)
{
	char *p = roinit_region();

	test_require_mseal();
	cr_assert_eq(madvise(p, 2 * PG, MADV_DONTNEED), 0);
	k_expect_fill(p, 2 * PG, 0);
}

/* --- Field report R18: wipe-on-fork before and after sealing --- */

/* In a child: 0 when the page reads as @fill, 1 otherwise. */
static int child_sees(void *arg)
{
	const char *p = arg;

	return p[0] == 'S' && p[PG - 1] == 'S' ? 0 : 1;
}

static void r18_case(int prot, int advise_first)
{
	char *p = k_anon(1, PROT_READ | PROT_WRITE, 'S');
	int rc, status;

	test_require_mseal();
	cr_assert_eq(mprotect(p, PG, prot), 0);
	if (advise_first) {
		cr_assert_eq(madvise(p, PG, MADV_WIPEONFORK), 0);
		k_seal(p, PG);
		rc = 0;
	} else {
		k_seal(p, PG);
		rc = madvise(p, PG, MADV_WIPEONFORK) == 0 ? 0 : errno;
	}
	/* Sealed read-only anonymous memory refuses WIPEONFORK (§2.2). */
	cr_assert_eq(rc, !advise_first && !(prot & PROT_WRITE) ? EPERM : 0);
	cr_assert_eq(test_has_vmflag(p, "wf"), rc == 0);
	status = k_in_child(child_sees, p);
	cr_assert(WIFEXITED(status));
	/* Wiped in the child exactly when the advice took effect. */
	cr_assert_eq(WEXITSTATUS(status), rc == 0 ? 1 : 0);
	k_expect_fill(p, PG, 'S');
}

Test(madvise, r18_wipeonfork_before_seal_rw_applies)
{
	r18_case(PROT_READ | PROT_WRITE, 1);
}

Test(madvise, r18_wipeonfork_after_seal_rw_applies)
{
	r18_case(PROT_READ | PROT_WRITE, 0);
}

Test(madvise, r18_wipeonfork_before_seal_ro_applies)
{
	r18_case(PROT_READ, 1);
}

Test(madvise, r18_wipeonfork_after_seal_ro_eperm_not_applied)
{
	r18_case(PROT_READ, 0);
}
