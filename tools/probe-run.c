// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Runs each probe operation in its own forked child: seals are
 * irreversible and some operations (stack, brk, [vdso]) must never touch
 * the CLI's own memory. Results come back in a shared anonymous mapping.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe-ops.h"

/* Seconds a child may take before it is reported as not run. */
#define PROBE_CHILD_TIMEOUT 5

size_t probe_op_count(void)
{
	return probe_n_ops_map + probe_n_ops_other;
}

const struct probe_op *probe_op_at(size_t i)
{
	if (i < probe_n_ops_map)
		return &probe_ops_map[i];
	i -= probe_n_ops_map;
	return i < probe_n_ops_other ? &probe_ops_other[i] : NULL;
}

const char *probe_outcome_name(int outcome)
{
	switch (outcome) {
	case PROBE_BLOCKED:
		return "blocked";
	case PROBE_ALLOWED:
		return "allowed";
	case PROBE_FAILED:
		return "failed";
	case PROBE_IGNORED:
		return "ignored";
	case PROBE_UNAVAILABLE:
		return "n/a";
	case PROBE_EITHER:
		return "either";
	default:
		return "not run";
	}
}

static void run_one(const struct probe_op *op, struct probe_result *shared,
		    struct probe_result *out)
{
	int status = 0;
	pid_t pid;

	memset(shared, 0, sizeof(*shared));
	shared->side_effects = -1;
	pid = fork();
	if (pid < 0) {
		out->outcome = PROBE_NOT_RUN;
		snprintf(out->note, sizeof(out->note), "fork: %s",
			 strerror(errno));
		return;
	}
	if (pid == 0) {
		alarm(PROBE_CHILD_TIMEOUT);
		op->run(shared, op->arg);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*out = *shared;
	if (WIFSIGNALED(status) && out->outcome == PROBE_NOT_RUN)
		snprintf(out->note, sizeof(out->note), "child killed by %s",
			 strsignal(WTERMSIG(status)));
}

int probe_run_all(struct probe_result *results, size_t n)
{
	struct probe_result *shared;

	if (n != probe_op_count())
		return -EINVAL;
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return -errno;
	fflush(NULL);
	for (size_t i = 0; i < n; i++)
		run_one(probe_op_at(i), shared, &results[i]);
	munmap(shared, sizeof(*shared));
	return 0;
}
