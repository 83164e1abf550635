// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Files that are not regular files must never hang or open a device:
 * `mseal check` on a FIFO, a socket and /dev/null beside a good fixture;
 * `mseal run` of a FIFO;
 * a saved /proc tree (tests/data/audit/proc-fifo) whose mappings name a
 * FIFO and a device under root/; and the live trap any user can set: a
 * process maps a file, then mounts a tmpfs over its directory in its own
 * mount namespace and puts a FIFO where the file was, so a caller that
 * cannot open map_files (not root) meets the FIFO at /proc/PID/root/PATH.
 * Every CLI run is killed after AUDIT_TIMEOUT seconds (audit-util.c): a
 * regression fails with status 142 instead of hanging.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit-util.h"
#include "testutil.h"

#define FX(name) AUDIT_FIXTURES "/" name
#define NOBODY 65534
#define FILE_PAGES 4

/* A fresh directory under /tmp for the test's own objects. */
static char *scratch_dir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/mseal-audit-XXXXXX");
	cr_assert(mkdtemp(buf), "mkdtemp: %s", strerror(errno));
	cr_assert(chmod(buf, 0755) == 0);
	return buf;
}

static void bind_socket(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert(s >= 0);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	cr_assert(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "bind %s", path);
	close(s); /* the socket file stays */
}

Test(special_files, check_refuses_fifo_socket_device_checks_the_rest)
{
	char dir[64], fifo[96], sock[96], want[512];
	const char *argv[] = { "mseal", "check", "-r", "-n", "-o", "VERDICT", fifo,
			       FX("fixture-full.so"), "/dev/null", sock, NULL };
	const char *good[] = { "mseal", "check", "-r", "-n", "-o", "VERDICT",
			       FX("fixture-full.so"), NULL };
	struct cli_result res;

	scratch_dir(dir, sizeof(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	cr_assert(mkfifo(fifo, 0644) == 0);
	bind_socket(sock);
	run_cli(argv, &res);
	cr_expect_eq(res.status, 1, "exit %d: %s", res.status, res.err);
	cr_expect_str_eq(res.out, "sealable\n");
	snprintf(want, sizeof(want), "mseal: check: %s: not a regular file\n"
		 "mseal: check: /dev/null: not a regular file\n"
		 "mseal: check: %s: not a regular file\n", fifo, sock);
	cr_expect_str_eq(res.err, want);
	cli_result_free(&res);
	/* control: the good file alone is all fine */
	run_cli(good, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(res.out, "sealable\n");
	cr_expect_str_eq(res.err, "");
	cli_result_free(&res);
	canned_tree_remove(dir);
}

/* `mseal run` reads PROG's first bytes before it runs it: a FIFO named
 * as PROG gets env(1)'s 126 as execve(2) refuses it, like a plain file
 * without the x bit (the control). */
Test(special_files, run_fifo_as_prog_cannot_run)
{
	char dir[64], prog[96], want[256];
	const char *argv[] = { "mseal", "run", "--", prog, NULL };
	struct cli_result res;

	scratch_dir(dir, sizeof(dir));
	for (int fifo = 1; fifo >= 0; fifo--) {
		snprintf(prog, sizeof(prog), "%s/%s", dir, fifo ? "fifo" : "plain");
		if (fifo)
			cr_assert(mkfifo(prog, 0755) == 0);
		else
			cr_assert(close(open(prog, O_WRONLY | O_CREAT, 0644)) == 0);
		run_cli(argv, &res);
		cr_expect_eq(res.status, 126, "exit %d: %s", res.status, res.err);
		snprintf(want, sizeof(want),
			 "mseal: run: cannot run '%s': Permission denied\n", prog);
		cr_expect_str_eq(res.err, want);
		cli_result_free(&res);
	}
	canned_tree_remove(dir);
}

/* The saved tree: /fifo (r--, r-x sealed; rw-) and /null (r-x) as
 * root/fifo, a FIFO made now, and root/null, a link to /dev/null. */
static const char *fifo_tree(int with_objects)
{
	const char *root = canned_tree("proc-fifo");
	char path[256];

	if (!with_objects)
		return root;
	snprintf(path, sizeof(path), "%s/7/root", root);
	cr_assert(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/7/root/fifo", root);
	cr_assert(mkfifo(path, 0644) == 0);
	snprintf(path, sizeof(path), "%s/7/root/null", root);
	cr_assert(symlink("/dev/null", path) == 0);
	return root;
}

/* Unreadable objects: r-x counts as text, r-- as read-only (RO). */
#define PS_COLS "PID,MAPS,SEALED,TEXT-SIZE,TEXT-SEALED,RO-SIZE,RO-SEALED," \
	"RODATA-SIZE,COVERAGE"
#define PS_WANT "7 6 3 16384 8192 4096 4096 0 60.0\n"

static void ps_canned_case(int with_objects)
{
	const char *root = fifo_tree(with_objects);
	const char *argv[] = { "mseal", "ps", "--proc-root", root, "-r", "-n",
			       "-b", "-o", PS_COLS, NULL };
	struct cli_result res;

	run_cli(argv, &res);
	cr_expect_eq(res.status, 0, "exit %d: %s", res.status, res.err);
	cr_expect_str_eq(res.out, PS_WANT);
	cr_expect_str_eq(res.err, "");
	cli_result_free(&res);
	canned_tree_remove(root);
}

Test(special_files, ps_proc_root_fifo_and_device_are_unreadable)
{
	ps_canned_case(1);
}

/* Control: the same tree without the objects, unreadable for plain
 * absence, gives the very same row. */
Test(special_files, ps_proc_root_missing_objects_control)
{
	ps_canned_case(0);
}

Test(special_files, maps_classes_proc_root_fifo_by_permissions)
{
	const char *root = fifo_tree(1);
	const char *argv[] = { "mseal", "maps", "--classes", "-r", "-b", "-o",
			       "START,PERMS,SEALED,PATH", "--proc-root", root,
			       "7", NULL };
	struct cli_result res;

	run_cli(argv, &res);
	cr_expect_eq(res.status, 0, "exit %d: %s", res.status, res.err);
	cr_expect_str_eq(res.out,
		"START PERMS SEALED PATH CLASS\n"
		"0x400000 r--p 1 /fifo ro\n"
		"0x401000 r-xp 1 /fifo text\n"
		"0x403000 rw-p 0 /fifo data\n"
		"0x500000 r-xp 0 /null text\n"
		"0x7ffff7fc5000 r-xp 1 [vdso] none\n"
		"0x7ffffffde000 rw-p 0 [stack] none\n"
		"\n"
		"OBJECT MAPS SEALED R-X R-- RW- TEXT TEXT-SEALED RODATA "
		"RODATA-SEALED RELRO RELRO-SEALED DATA BSS RO RO-SEALED\n"
		"/fifo 3 2 8192 4096 4096 8192 8192 0 0 0 0 4096 0 4096 4096\n"
		"/null 1 0 8192 0 0 8192 0 0 0 0 0 0 0 0 0\n");
	cr_expect_str_eq(res.err, "");
	cli_result_free(&res);
	canned_tree_remove(root);
}

struct trap {
	pid_t pid;
	unsigned long start;
	char dir[64], file[96];
};

enum trap_kind {
	IN_PLACE,	/* the control: the mapped file stays where it is */
	FIFO_AS_ROOT,	/* root's mount namespace hides it under a FIFO */
	FIFO_AS_NOBODY,	/* so does nobody's, in their own user namespace */
};

static int put_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Become nobody, still dumpable (so nobody's mseal may read us). */
static int become_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 ||
	    setuid(NOBODY) < 0 || prctl(PR_SET_DUMPABLE, 1) < 0)
		return -1;
	return 0;
}

/* A mount namespace of our own: as root directly; as nobody inside a new
 * user namespace where nobody is root (what `unshare -Urm` does). */
static int own_mount_ns(enum trap_kind kind)
{
	if (kind == FIFO_AS_NOBODY) {
		if (become_nobody() < 0 ||
		    unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 ||
		    put_text("/proc/self/setgroups", "deny") < 0 ||
		    put_text("/proc/self/uid_map", "0 65534 1") < 0 ||
		    put_text("/proc/self/gid_map", "0 65534 1") < 0)
			return -1;
	} else if (unshare(CLONE_NEWNS) < 0) {
		return -1;
	}
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

/* In the child: the file mapped (read only, never touched: its pages
 * stay only in the page cache); but for IN_PLACE, a tmpfs over its
 * directory in the child's own mount namespace and a FIFO in its place;
 * the child then runs as nobody. */
static void trap_child(const struct trap *t, enum trap_kind kind, int ready)
{
	char sub[80];
	void *p;
	int fd;

	audit_child_timeout();
	snprintf(sub, sizeof(sub), "%s/x", t->dir);
	fd = open(t->file, O_RDONLY | O_CLOEXEC);
	p = fd < 0 ? MAP_FAILED : mmap(NULL, FILE_PAGES * test_page(), PROT_READ,
				       MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		_exit(2);
	close(fd);
	if (kind != IN_PLACE &&
	    (own_mount_ns(kind) < 0 ||
	     mount("tmpfs", sub, "tmpfs", 0, "mode=0755") < 0 ||
	     mkfifo(t->file, 0644) < 0))
		_exit(3);
	if (kind != FIFO_AS_NOBODY && become_nobody() < 0)
		_exit(4);
	if (write(ready, &p, sizeof(p)) != sizeof(p))
		_exit(5);
	pause();
	_exit(0);
}

static void trap_start(struct trap *t, enum trap_kind kind)
{
	char buf[FILE_PAGES * 4096], sub[80];
	void *p = NULL;
	int fds[2], fd;

	cr_assert(FILE_PAGES * test_page() == sizeof(buf));
	scratch_dir(t->dir, sizeof(t->dir));
	snprintf(sub, sizeof(sub), "%s/x", t->dir);
	snprintf(t->file, sizeof(t->file), "%s/f", sub);
	cr_assert(mkdir(sub, 0755) == 0);
	memset(buf, 'f', sizeof(buf));
	fd = open(t->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	close(fd);
	cr_assert(pipe2(fds, O_CLOEXEC) == 0);
	t->pid = fork();
	cr_assert(t->pid >= 0);
	if (t->pid == 0)
		trap_child(t, kind, fds[1]);
	close(fds[1]);
	cr_assert_eq(read(fds[0], &p, sizeof(p)), (ssize_t)sizeof(p),
		     "trap child setup failed");
	close(fds[0]);
	t->start = (unsigned long)p;
}

static void trap_stop(struct trap *t)
{
	int status;

	kill(t->pid, SIGKILL);
	waitpid(t->pid, &status, 0);
	canned_tree_remove(t->dir);
}

/* `mseal maps --pages` of the file's mapping, as nobody: the drawn row. */
static void pages_row(const struct trap *t, char *row, size_t len)
{
	char pid[32], range[64];
	const char *argv[] = { "mseal", "maps", "--pages", "--range", range, pid,
			       NULL };
	struct cli_result res;
	const char *p;

	snprintf(pid, sizeof(pid), "%d", (int)t->pid);
	snprintf(range, sizeof(range), "%lx-%lx", t->start,
		 t->start + FILE_PAGES * test_page());
	run_cli_as(argv, NOBODY, &res);
	/* stop at a hang: the child's own timeout has ended it by then */
	cr_assert_eq(res.status, 0, "exit %d: %s", res.status, res.err);
	cr_expect(no_sanitizer_report(res.err), "%s", res.err);
	/* the row follows the mapping's header, after the blank line */
	p = strstr(res.out, "\n\n");
	p = p ? strchr(p + 2, '\n') : NULL;
	snprintf(row, len, "%.*s", p ? (int)strcspn(p + 3, "\n") : 0,
		 p ? p + 3 : "");
	cli_result_free(&res);
}

/* `mseal maps --classes` as nobody: the CLASS of the file's mapping. */
static void class_of(const struct trap *t, char *cls, size_t len)
{
	char pid[32], start[160];
	const char *argv[] = { "mseal", "maps", "--classes", "-r", "-n", "-o",
			       "START,PERMS,PATH", pid, NULL };
	struct cli_result res;
	const char *line;

	snprintf(pid, sizeof(pid), "%d", (int)t->pid);
	snprintf(start, sizeof(start), "\n0x%lx r--s %s ", t->start, t->file);
	run_cli_as(argv, NOBODY, &res);
	cr_assert_eq(res.status, 0, "exit %d: %s", res.status, res.err);
	line = strstr(res.out, start);
	cr_expect(line, "no line '%s' in %s", start + 1, res.out);
	snprintf(cls, len, "%.*s", line ? (int)strcspn(line + strlen(start), "\n") : 0,
		 line ? line + strlen(start) : "");
	cli_result_free(&res);
}

/* `mseal ps` of every process, as nobody (the tester's run): it returns,
 * with the child's row. */
static void ps_all_lists(const struct trap *t)
{
	const char *argv[] = { "mseal", "ps", "-r", "-n", "-o", "PID", NULL };
	struct cli_result res;
	char row[32];

	snprintf(row, sizeof(row), "\n%d\n", (int)t->pid);
	run_cli_as(argv, NOBODY, &res);
	cr_assert_eq(res.status, 0, "exit %d: %s", res.status, res.err);
	cr_expect(strstr(res.out, row) ||
		  strncmp(res.out, row + 1, strlen(row + 1)) == 0,
		  "no row %d: %s", (int)t->pid, res.out);
	cli_result_free(&res);
}

static void live_case(enum trap_kind kind, const char *want_row,
		      const char *want_class)
{
	struct trap t;
	char row[64], cls[32];

	trap_start(&t, kind);
	pages_row(&t, row, sizeof(row));
	cr_expect_str_eq(row, want_row);
	class_of(&t, cls, sizeof(cls));
	cr_expect_str_eq(cls, want_class);
	ps_all_lists(&t);
	trap_stop(&t);
}

/* The FIFO is never opened: the file counts as unreadable (r-- is "ro"),
 * and its pages have no page-cache state. */
Test(special_files, live_fifo_over_mapped_file_root_namespace)
{
	live_case(FIFO_AS_ROOT, "....", "ro");
}

/* The tester's trap: set by nobody, in a user namespace of their own. */
Test(special_files, live_fifo_over_mapped_file_user_namespace)
{
	live_case(FIFO_AS_NOBODY, "....", "ro");
}

/* Control: the same file still in place is read through
 * /proc/PID/root/PATH: not ELF ("other"), its pages in the page cache. */
Test(special_files, live_mapped_file_in_place_control)
{
	live_case(IN_PLACE, "cccc", "other");
}
