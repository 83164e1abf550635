// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Seal a scratch page and check that the seal holds (probe-verify.h):
 * the kernel's own mark ("sl" in VmFlags, Linux 6.10+) and the refusal
 * that matters (mprotect gets EPERM). Each tells a different lie apart: a
 * filter faking success leaves neither; the seccomp emulation refuses
 * mprotect but cannot set "sl".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libmseal.h"
#include "probe-ops.h"
#include "probe-verify.h"

/* Seconds the child may take. */
#define SEAL_CHECK_TIMEOUT 5

const char *probe_seal_name(int seal)
{
	static const char *const names[] = {
		[PROBE_SEAL_NONE] = "none",
		[PROBE_SEAL_NATIVE] = "native",
		[PROBE_SEAL_EMULATED] = "emulated",
		[PROBE_SEAL_NOT_EFFECTIVE] = "not effective",
	};

	if (seal < 0 || (size_t)seal >= sizeof(names) / sizeof(names[0]) ||
	    !names[seal])
		return "unknown";
	return names[seal];
}

static void failed(struct probe_seal_check *c, const char *what, int err)
{
	c->seal = PROBE_SEAL_FAILED;
	snprintf(c->why, sizeof(c->why), "%s: %s", what,
		 strerror(err < 0 ? -err : err));
}

/* In the child: seal, read back, try mprotect. */
static void check_in_child(int emulate, struct probe_seal_check *c)
{
	size_t pg = mseal_page_size();
	char *p;
	int rc;

	c->why[0] = '\0';
	if (emulate) {
		rc = mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP);
		if (rc < 0) {
			failed(c, "mseal_fallback_enable", rc);
			return;
		}
		if (rc == 1) { /* the kernel seals: no emulation to check */
			c->seal = PROBE_SEAL_NONE;
			return;
		}
	}
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		failed(c, "mmap", errno);
		return;
	}
	rc = mseal_range(p, pg, 0);
	if (rc == 0 && emulate)
		rc = mseal_fallback_commit() == 1 ? 0 : -EIO;
	if (rc) {
		failed(c, emulate ? "sealing through the emulation" : "mseal",
		       rc);
		return;
	}
	c->sl = probe_state(p, NULL);
	c->mprotect_err = mprotect(p, pg, PROT_READ | PROT_WRITE) ? errno : 0;
	if (c->mprotect_err == 0)
		c->seal = PROBE_SEAL_NOT_EFFECTIVE;
	else if (c->mprotect_err != EPERM)
		failed(c, "mprotect on the sealed page", c->mprotect_err);
	else if (c->sl == 1)
		c->seal = PROBE_SEAL_NATIVE;
	else if (c->sl == 0)
		c->seal = PROBE_SEAL_EMULATED;
	else
		failed(c, "the sealed page is missing from smaps", ENOENT);
}

int probe_seal_check(int emulate, struct probe_seal_check *ret)
{
	struct probe_seal_check *shared;
	int status = 0;
	pid_t pid;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return -errno;
	memset(shared, 0, sizeof(*shared));
	shared->seal = PROBE_SEAL_FAILED;
	shared->sl = -1;
	snprintf(shared->why, sizeof(shared->why), "the check did not end");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		munmap(shared, sizeof(*shared));
		return err;
	}
	if (pid == 0) {
		alarm(SEAL_CHECK_TIMEOUT);
		check_in_child(emulate, shared);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*ret = *shared;
	if (WIFSIGNALED(status) && ret->seal == PROBE_SEAL_FAILED)
		snprintf(ret->why, sizeof(ret->why),
			 "the checking child was killed by %s",
			 strsignal(WTERMSIG(status)));
	munmap(shared, sizeof(*shared));
	return 0;
}
