// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Test-only preload module for the emulated conformance run: with
 * LIBMSEAL_TEST_EMULATE=1 (and LIBMSEAL_FORCE_UNSUPPORTED=1) every raw
 * mseal system call the conformance suite makes (testutil's
 * test_raw_mseal(), syscall 462) is turned into the emulation, unchanged
 * binaries and all: a one-rule filter traps syscall 462 (SECCOMP_RET_TRAP)
 * and the SIGSYS handler answers with mseal_range() followed by
 * mseal_fallback_commit(), the return value going back in the syscall's
 * return register. The call sites are plain synchronous syscall() calls,
 * so the handler may use the library's non-async-signal-safe code.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "libmseal.h"

#define NR_MSEAL 462

static void on_sigsys(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	greg_t *r = uc->uc_mcontext.gregs;
	int saved = errno, rc;

	(void)sig;
	/* The emulation covers the native ABI only: an ia32 mseal (int $0x80,
	 * arguments in other registers) gets ENOSYS, as from its arch gate
	 * and from a kernel without mseal. */
	if (si->si_syscall != NR_MSEAL || si->si_arch != AUDIT_ARCH_X86_64) {
		r[REG_RAX] = -ENOSYS;
		return;
	}
	rc = mseal_range((void *)r[REG_RDI], (size_t)r[REG_RSI],
			 (unsigned long)r[REG_RDX]);
	if (rc == 0) {
		int c = mseal_fallback_commit();

		rc = c < 0 ? c : 0;
	}
	r[REG_RAX] = rc;
	errno = saved;
}

__attribute__((constructor)) static void emul_trap_init(void)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_MSEAL, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { 4, prog };
	struct sigaction sa;
	const char *on = getenv("LIBMSEAL_TEST_EMULATE");

	if (!on || strcmp(on, "1") != 0)
		return;
	if (mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP) != 0)
		_exit(125);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
		_exit(125);
}
