// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The maps reader on the live process: fresh mappings made for each test
 * (never malloc, stack or harness memory), compared with what the test
 * knows it mapped and with testutil's independent smaps parser.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "testutil.h"

/* The mapping holding @addr, read by the library from pid @pid (0 = self);
 * fails the test when there is none. The iterator stays open in *@maps. */
static const struct mseal_region *region_at(pid_t pid, const void *addr,
					    struct mseal_maps **maps)
{
	const struct mseal_region *r;
	uint64_t a = (uint64_t)(uintptr_t)addr;
	int rc = mseal_maps_open(pid, NULL, 0, maps);

	cr_assert_eq(rc, 0, "mseal_maps_open: %s", strerror(-rc));
	while (mseal_maps_next(*maps, &r) == 1)
		if (r->start <= a && a < r->end)
			return r;
	cr_assert_fail("no mapping holds %p", addr);
	return NULL;
}

/* Three fresh, untouched pages; the middle one gets @prot, its neighbours
 * stay PROT_NONE, so it is a VMA of its own whatever the kernel merges
 * around it. */
static char *isolated_page(int prot)
{
	size_t pg = test_page();
	char *p = mmap(NULL, 3 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	cr_assert_neq(p, MAP_FAILED);
	cr_assert_eq(mprotect(p + pg, pg, prot), 0);
	return p + pg;
}

Test(live, sealed_page_shows_sealed_and_control_does_not)
{
	size_t pg = test_page();
	char *p = test_map(3, PROT_READ, 's');
	struct mseal_maps *maps;
	const struct mseal_region *r;

	test_require_mseal();
	cr_assert_eq(mseal_range(p + pg, pg, 0), 0);
	r = region_at(0, p + pg, &maps);
	cr_assert_eq(r->start, (uintptr_t)(p + pg));
	cr_assert_eq(r->end, (uintptr_t)(p + 2 * pg));
	cr_assert_str_eq(r->perms, "r--p");
	cr_assert_eq(r->sealed, 1);
	cr_assert(r->vmflags_known & LIBMSEAL_VMF_SL);
	cr_assert_eq(test_is_sealed(p + pg), 1);
	mseal_maps_free(maps);

	/* The unsealed control: the page just below. */
	r = region_at(0, p, &maps);
	cr_assert_eq(r->end, (uintptr_t)(p + pg));
	cr_assert_eq(r->sealed, 0);
	cr_assert_eq(r->vmflags_known & LIBMSEAL_VMF_SL, 0);
	cr_assert_eq(test_is_sealed(p), 0);
	cr_assert_eq(p[0], 's');
	mseal_maps_free(maps);
}

Test(live, unsealed_page_is_not_sealed)
{
	char *p = isolated_page(PROT_READ);
	struct mseal_maps *maps;
	const struct mseal_region *r = region_at(0, p, &maps);

	cr_assert_eq(r->sealed, 0);
	cr_assert_eq(test_is_sealed(p), 0);
	cr_assert_str_eq(r->perms, "r--p");
	mseal_maps_free(maps);
}

Test(live, rss_of_one_touched_page)
{
	size_t pg = test_page();
	char *p = isolated_page(PROT_READ | PROT_WRITE);
	struct mseal_maps *maps;
	const struct mseal_region *r;

	r = region_at(0, p, &maps);
	cr_assert_eq(r->rss, 0, "untouched page resident: %llu",
		     (unsigned long long)r->rss);
	mseal_maps_free(maps);
	p[0] = 1;
	r = region_at(0, p, &maps);
	cr_assert_eq(r->start, (uintptr_t)p);
	cr_assert_eq(r->end, (uintptr_t)(p + pg));
	cr_assert_eq(r->rss, pg);
	cr_assert_eq(r->swap, 0);
	cr_assert_str_eq(r->path, "");
	cr_assert_eq(r->inode, 0);
	mseal_maps_free(maps);
}

Test(live, locked_page_counts_in_locked)
{
	size_t pg = test_page();
	char *p = isolated_page(PROT_READ | PROT_WRITE);
	struct mseal_maps *maps;
	const struct mseal_region *r;

	/* The system call itself: ASan turns mlock(3) into a no-op. */
	cr_assert_eq(syscall(SYS_mlock, p, pg), 0, "mlock: %s",
		     strerror(errno));
	r = region_at(0, p, &maps);
	cr_assert_eq(r->locked, pg, "Locked %llu bytes",
		     (unsigned long long)r->locked);
	cr_assert_eq(r->rss, pg);
	cr_assert(r->vmflags_known & LIBMSEAL_VMF_LO);
	mseal_maps_free(maps);
}

Test(live, deleted_memfd_is_flagged_and_stripped)
{
	int fd = memfd_create("libmseal maps test", MFD_CLOEXEC);
	size_t pg = test_page();
	struct mseal_maps *maps;
	const struct mseal_region *r;
	struct stat st;
	char *p;

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)pg), 0);
	cr_assert_eq(fstat(fd, &st), 0);
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
	cr_assert_neq(p, MAP_FAILED);
	r = region_at(0, p, &maps);
	cr_assert_str_eq(r->path, "/memfd:libmseal maps test");
	cr_assert_eq(r->deleted, 1);
	cr_assert_eq(r->inode, st.st_ino);
	cr_assert_eq(r->dev_major, major(st.st_dev));
	cr_assert_eq(r->dev_minor, minor(st.st_dev));
	cr_assert_str_eq(r->perms, "r--s");
	mseal_maps_free(maps);
}

/* Map a fresh file named @name under a new temporary directory. */
static char *map_file(char *dir, const char *name, char *path,
		      size_t pathsz, struct stat *st)
{
	char *p;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, pathsz, "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)test_page()), 0);
	cr_assert_eq(fstat(fd, st), 0);
	p = mmap(NULL, test_page(), PROT_READ, MAP_PRIVATE, fd, 0);
	cr_assert_neq(p, MAP_FAILED);
	close(fd);
	return p;
}

Test(live, deleted_tmp_file_is_flagged_and_stripped)
{
	char dir[] = "/tmp/libmseal-maps-XXXXXX", path[256];
	struct mseal_maps *maps;
	const struct mseal_region *r;
	struct stat st;
	char *p = map_file(dir, "gone soon.bin", path, sizeof(path), &st);

	cr_assert_eq(unlink(path), 0);
	rmdir(dir);
	r = region_at(0, p, &maps);
	cr_assert_str_eq(r->path, path);
	cr_assert_eq(r->deleted, 1);
	cr_assert_eq(r->inode, st.st_ino);
	mseal_maps_free(maps);
}

Test(live, file_really_named_deleted_keeps_its_name)
{
	char dir[] = "/tmp/libmseal-maps-XXXXXX", path[256];
	struct mseal_maps *maps;
	const struct mseal_region *r;
	struct stat st;
	char *p = map_file(dir, "(deleted) (deleted)", path, sizeof(path),
			   &st);

	r = region_at(0, p, &maps);
	cr_assert_str_eq(r->path, path);
	cr_assert_eq(r->deleted, 0);
	cr_assert_eq(r->inode, st.st_ino);
	mseal_maps_free(maps);

	/* Once unlinked, the kernel adds a third suffix; one goes. */
	cr_assert_eq(unlink(path), 0);
	rmdir(dir);
	r = region_at(0, p, &maps);
	cr_assert_eq(r->deleted, 1);
	cr_assert_str_eq(r->path, path);
	mseal_maps_free(maps);
}

Test(live, agrees_with_independent_parser)
{
	char *p = isolated_page(PROT_READ | PROT_EXEC);
	struct mseal_maps *maps;
	const struct mseal_region *r = region_at(getpid(), p, &maps);
	struct test_vma vma;
	char *flags, *end;

	cr_assert_eq(test_vma_at(p, &vma), 0);
	/* testutil keeps the VmFlags line's spaces; the library trims. */
	flags = vma.vmflags + strspn(vma.vmflags, " ");
	end = flags + strlen(flags);
	while (end > flags && end[-1] == ' ')
		*--end = '\0';
	cr_assert_eq(r->start, vma.start);
	cr_assert_eq(r->end, vma.end);
	cr_assert_str_eq(r->perms, vma.perms);
	cr_assert_str_eq(r->perms, "r-xp");
	cr_assert_str_eq(r->path, vma.path);
	cr_assert_str_eq(r->vmflags, flags);
	cr_assert_eq(r->sealed, vma.sealed);
	mseal_maps_free(maps);
}

Test(live, exited_process_is_esrch)
{
	struct mseal_maps *maps = NULL;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0)
		_exit(0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	cr_assert_eq(mseal_maps_open(pid, NULL, 0, &maps), -ESRCH);
	cr_assert_null(maps);
}

Test(live, process_without_ptrace_access_is_eacces)
{
	struct mseal_maps *maps = NULL;
	pid_t reader;
	int status;

	if (geteuid() != 0) {
		/* pid 1 belongs to root: no ptrace-read access. */
		cr_assert_eq(mseal_maps_open(1, NULL, 0, &maps), -EACCES);
		cr_assert_null(maps);
		return;
	}
	/* A child drops to nobody and reads this (root) process. */
	reader = fork();
	cr_assert_geq(reader, 0);
	if (reader == 0) {
		int rc;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		rc = mseal_maps_open(getppid(), NULL, 0, &maps);
		_exit(rc == -EACCES && !maps ? 0 : rc < 0 ? -rc : 101);
	}
	cr_assert_eq(waitpid(reader, &status, 0), reader);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0, "reader exited %d",
		     WEXITSTATUS(status));
}
