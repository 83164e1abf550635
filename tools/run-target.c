// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Before exec, `mseal run` looks at PROG the way the kernel and ld.so will:
 * a static program, one of another ELF class or machine, or one that runs
 * in secure-execution mode (setuid, setgid, file capabilities: AT_SECURE
 * makes ld.so ignore LD_PRELOAD paths with a '/') never loads the shim.
 * A `#!` script gets sealed through its interpreter.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <paths.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "open-regular.h"
#include "run-target.h"

int run_find_program(const char *prog, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	int err = -ENOENT;

	if (!*prog)
		return -ENOENT;
	if (strchr(prog, '/')) {
		snprintf(buf, size, "%s", prog);
		return access(buf, F_OK) == 0 ? 0 : -errno;
	}
	if (!path)
		path = _PATH_DEFPATH;
	while (*path) {
		size_t len = strcspn(path, ":");
		int n = snprintf(buf, size, "%.*s%s%s", (int)len, path,
				 len ? "/" : "", prog);

		if (n > 0 && (size_t)n < size) {
			struct stat st;

			/* As execvp: the first executable regular file wins;
			 * a match we may not run is remembered as EACCES. */
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
				if (access(buf, X_OK) == 0)
					return 0;
				err = -EACCES;
			}
		}
		path += len + (path[len] == ':');
	}
	return err;
}

static int secure_exec(const char *path, const struct stat *st)
{
	if ((st->st_mode & S_ISUID) && st->st_uid != getuid())
		return 1;
	if ((st->st_mode & S_ISGID) && st->st_gid != getgid())
		return 1;
	return getuid() != 0 &&
	       getxattr(path, "security.capability", NULL, 0) > 0;
}

static const char *elf_reason(int fd)
{
	const char *why = NULL;
	Elf *e;
	GElf_Ehdr eh;
	size_t phnum = 0;
	int interp = 0;

	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		elf_end(e);
		return "is not an ELF file the shim can read";
	}
	if (gelf_getclass(e) != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32))
		why = "is of another ELF class than the shim";
	else if (elf_getphdrnum(e, &phnum) != 0)
		why = "has unreadable program headers";
	for (size_t i = 0; !why && i < phnum; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_INTERP)
			interp = 1;
	}
	if (!why && !interp)
		why = "is statically linked (no PT_INTERP: ld.so never runs)";
	elf_end(e);
	return why;
}

/* "#!interp arg": the interpreter's path into @note. */
static void script_note(const char *head, size_t n, char *note, size_t size)
{
	size_t i = 2, end;

	while (i < n && (head[i] == ' ' || head[i] == '\t'))
		i++;
	end = i;
	while (end < n && head[end] != ' ' && head[end] != '\t' &&
	       head[end] != '\n')
		end++;
	snprintf(note, size, "%.*s", (int)(end - i), head + i);
}

int run_check_target(const char *path, const char **ret_why,
		     char *note, size_t note_size)
{
	char head[256];
	struct stat st;
	ssize_t n;
	int fd = open_regular(path); /* a FIFO named as PROG must not block */

	*ret_why = NULL;
	if (note_size)
		note[0] = '\0';
	if (fd < 0) /* execve(2) refuses what is not a regular file so */
		return fd == OPEN_NOT_REGULAR ? -EACCES : fd;
	if (fstat(fd, &st) != 0 || (n = read(fd, head, sizeof(head))) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	/* The kernel ignores a script's setuid bits: its credentials come
	 * from the interpreter, which the caller checks next. */
	if (n >= 2 && head[0] == '#' && head[1] == '!')
		script_note(head, (size_t)n, note, note_size);
	else if (secure_exec(path, &st))
		*ret_why = "runs in secure-execution mode (setuid, setgid or "
			   "file capabilities), where ld.so ignores LD_PRELOAD";
	else if (n >= 4 && memcmp(head, ELFMAG, SELFMAG) == 0)
		*ret_why = elf_reason(fd);
	close(fd);
	return 0;
}
