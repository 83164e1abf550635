// SPDX-License-Identifier: LGPL-2.1-or-later
/* Helpers of the audit tests (see audit-util.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit-util.h"

static void drain(int out_fd, int err_fd, struct cli_result *res)
{
	size_t len[2] = { 0 }, cap[2] = { 4096, 4096 };
	char *buf[2] = { malloc(cap[0]), malloc(cap[1]) };
	struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
	int open_fds = 2;

	cr_assert(buf[0] && buf[1]);
	while (open_fds) {
		cr_assert(poll(p, 2, -1) >= 0);
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			if (cap[i] - len[i] < 4096) {
				cap[i] *= 2;
				buf[i] = realloc(buf[i], cap[i]);
				cr_assert(buf[i]);
			}
			n = read(p[i].fd, buf[i] + len[i], cap[i] - len[i] - 1);
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			} else {
				len[i] += (size_t)n;
			}
		}
	}
	buf[0][len[0]] = buf[1][len[1]] = '\0';
	res->out = buf[0];
	res->err = buf[1];
}

void run_cli_as(const char *const *argv, uid_t uid, struct cli_result *res)
{
	int out[2], err[2], status;
	pid_t pid;

	cr_assert(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (uid != (uid_t)-1 && (setgid(uid) < 0 || setuid(uid) < 0))
			_exit(99);
		setenv("COLUMNS", "80", 1);
		audit_child_timeout(); /* both outlive execv */
		execv(MSEAL_CLI, (char *const *)argv);
		_exit(98);
	}
	close(out[1]);
	close(err[1]);
	drain(out[0], err[0], res);
	cr_assert(waitpid(pid, &status, 0) == pid);
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) :
					  128 + WTERMSIG(status);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		cr_log_error("mseal %s: no answer in %d s, killed",
			     argv[1] ? argv[1] : "", AUDIT_TIMEOUT);
}

void audit_child_timeout(void)
{
	sigset_t alrm;

	/* the Criterion worker's disposition is inherited: make it fatal */
	signal(SIGALRM, SIG_DFL);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	alarm(AUDIT_TIMEOUT);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

void run_cli(const char *const *argv, struct cli_result *res)
{
	run_cli_as(argv, (uid_t)-1, res);
}

void cli_result_free(struct cli_result *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

int no_sanitizer_report(const char *err)
{
	return !strstr(err, "Sanitizer") && !strstr(err, "runtime error");
}

char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(text);
		return strdup("");
	}
	return text;
}

char *python_on_doc(const char *doc, const char *before, const char *after)
{
	char file[] = "/tmp/mseal-audit-doc-XXXXXX", cmd[2048];
	char *text = NULL;
	size_t cap = 0;
	int fd = mkstemp(file), status;
	FILE *p;

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
	close(fd);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s '%s' %s 2>&1", before,
		 file, after);
	p = popen(cmd, "r");
	cr_assert(p);
	if (getdelim(&text, &cap, '\0', p) < 0)
		text = strdup("");
	status = pclose(p);
	unlink(file);
	cr_assert_eq(status, 0, "python3 %s: %s\ndocument:\n%s", before, text,
		     doc);
	text[strcspn(text, "\n")] = '\0';
	return text;
}

const char *canned_tree(const char *name)
{
	static char dir[64];
	char cmd[4096], links[4096], line[1024], fixture[256];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/mseal-audit-XXXXXX");
	cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(cmd, sizeof(cmd), "cp -a '%s/audit/%s/.' '%s/'",
		 TESTS_DATA_DIR, name, dir);
	cr_assert(system(cmd) == 0, "%s", cmd);
	snprintf(links, sizeof(links), "%s/links", dir);
	f = fopen(links, "r");
	cr_assert(f);
	while (fgets(line, sizeof(line), f)) {
		char rel[512], target[1024];

		if (sscanf(line, "%511s %255s", rel, fixture) != 2)
			continue;
		snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", dir, rel);
		cr_assert(system(cmd) == 0);
		snprintf(target, sizeof(target), "%s/%s", AUDIT_FIXTURES, fixture);
		snprintf(cmd, sizeof(cmd), "%s/%s", dir, rel);
		cr_assert(symlink(target, cmd) == 0, "symlink %s", cmd);
	}
	fclose(f);
	return dir;
}

void canned_tree_remove(const char *dir)
{
	char cmd[256];

	if (strncmp(dir, "/tmp/mseal-audit-", 17) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}
