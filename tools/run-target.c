// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Before exec, `mseal run` looks at PROG the way the kernel and ld.so will:
 * a static program, one of another ELF class or machine, or one that runs
 * in secure-execution mode (setuid, setgid, file capabilities: AT_SECURE
 * makes ld.so ignore LD_PRELOAD paths with a '/') never loads the shim.
 * A `#!` script gets sealed through its interpreter; env(1) as that
 * interpreter is read as env reads its argument, to name what it runs.
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

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "#!interp arg\n" as fs/binfmt_script.c splits it: the interpreter ends
 * at a blank, the one argument is the rest of the line, trimmed. */
static void read_shebang(const char *head, size_t n, struct run_shebang *sb)
{
	size_t i = 2, end, stop;

	while (i < n && blank(head[i]))
		i++;
	end = i;
	while (end < n && !blank(head[end]) && head[end] != '\n')
		end++;
	snprintf(sb->interp, sizeof(sb->interp), "%.*s", (int)(end - i),
		 head + i);
	i = end;
	while (i < n && blank(head[i]))
		i++;
	stop = i;
	while (stop < n && head[stop] != '\n')
		stop++;
	while (stop > i && blank(head[stop - 1]))
		stop--;
	snprintf(sb->arg, sizeof(sb->arg), "%.*s", (int)(stop - i), head + i);
}

#define ENV_WORDS 32

/* Split @text (in place) at blanks into words inserted at @at of @w,
 * which holds @n and has room for ENV_WORDS and a NULL: the new count.
 * As env -S, a word starting with '#' ends the text (a comment). */
static int env_split(char **w, int at, int n, char *text)
{
	char *tok, *save = NULL, *words[ENV_WORDS];
	int k = 0;

	for (tok = strtok_r(text, " \t", &save); tok && tok[0] != '#' &&
	     k + n < ENV_WORDS; tok = strtok_r(NULL, " \t", &save))
		words[k++] = tok;
	memmove(w + at + k, w + at, (size_t)(n - at) * sizeof(*w));
	memcpy(w + at, words, (size_t)k * sizeof(*w));
	return n + k;
}

/* Index in @w (@n words, env's arguments) of the program env runs, past
 * the last word when none. Skipped: GNU env's options (-S's text is split
 * into more words, as env does), then "-" (as -i), then NAME=VALUE. */
static int env_skip_options(char **w, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		char *s = w[i];

		if (strcmp(s, "--") == 0) {
			i++;
			break;
		}
		if (s[0] != '-' || !s[1])
			break;
		if (s[1] == '-') {
			if (strncmp(s, "--split-string=", 15) == 0)
				n = env_split(w, i + 1, n, s + 15);
			else if (strcmp(s, "--split-string") == 0 && i + 1 < n)
				i++, n = env_split(w, i + 1, n, w[i]);
			else if (!strcmp(s, "--unset") || !strcmp(s, "--chdir"))
				i++;
			continue;
		}
		/* a cluster such as -iS: -u, -C and -S take the rest of the
		 * word, or the next word, as their argument */
		for (int j = 1; s[j]; j++) {
			if (!strchr("uCS", s[j]))
				continue;
			if (s[j] == 'S' && s[j + 1])
				n = env_split(w, i + 1, n, s + j + 1);
			else if (s[j] == 'S' && i + 1 < n)
				i++, n = env_split(w, i + 1, n, w[i]);
			else if (!s[j + 1])
				i++;
			break;
		}
	}
	if (i < n && strcmp(w[i], "-") == 0)
		i++;
	while (i < n && strchr(w[i], '='))
		i++;
	return i;
}

int run_is_env(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(base ? base + 1 : path, "env") == 0;
}

int run_env_args(char *const *args, int n, char *buf, size_t size)
{
	char pool[8192], *w[ENV_WORDS + 1] = { NULL };
	size_t used = 0;
	int i, k;

	/* copies: -S's text is split in place; words past the pool or
	 * ENV_WORDS are dropped (env's program comes long before) */
	for (k = 0; k < n && k < ENV_WORDS; k++) {
		size_t len = strlen(args[k]) + 1;

		if (len > sizeof(pool) - used)
			break;
		w[k] = memcpy(pool + used, args[k], len);
		used += len;
	}
	i = env_skip_options(w, k);
	if (!w[i])
		return 0;
	snprintf(buf, size, "%s", w[i]);
	return 1;
}

int run_env_program(const struct run_shebang *sb, char *buf, size_t size)
{
	char arg[sizeof(sb->arg)], *w[ENV_WORDS + 1] = { arg };
	int i;

	if (!run_is_env(sb->interp) || !sb->arg[0])
		return 0;
	/* the kernel passes the whole rest of the line as one word */
	memcpy(arg, sb->arg, sizeof(arg));
	i = env_skip_options(w, 1);
	if (!w[i]) /* past the last word: the NULL after it */
		return 0;
	snprintf(buf, size, "%s", w[i]);
	return 1;
}

int run_check_target(const char *path, const char **ret_why,
		     struct run_shebang *ret_sb)
{
	char head[256];
	struct stat st;
	ssize_t n;
	int fd = open_regular(path); /* a FIFO named as PROG must not block */

	*ret_why = NULL;
	ret_sb->interp[0] = ret_sb->arg[0] = '\0';
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
		read_shebang(head, (size_t)n, ret_sb);
	else if (secure_exec(path, &st))
		*ret_why = "runs in secure-execution mode (setuid, setgid or "
			   "file capabilities), where ld.so ignores LD_PRELOAD";
	else if (n >= 4 && memcmp(head, ELFMAG, SELFMAG) == 0)
		*ret_why = elf_reason(fd);
	close(fd);
	return 0;
}
