// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * seccomp-deny ERRNO PROG [ARG...]: run PROG with a seccomp filter that
 * answers the mseal system call (462) with -ERRNO, as container runtimes
 * that do not know it do (field report R04: EPERM; older profiles: ENOSYS).
 * ERRNO 0 fakes success: mseal returns 0 and seals nothing.
 * Everything else is allowed.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long err;
	struct sock_filter code[4];
	struct sock_fprog prog = { .len = 4, .filter = code };

	if (argc < 3) {
		fprintf(stderr, "usage: seccomp-deny ERRNO PROG [ARG...]\n");
		return 125;
	}
	err = strtol(argv[1], NULL, 10);
	code[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       offsetof(struct seccomp_data, nr));
	code[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 462, 0, 1);
	code[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					       SECCOMP_RET_ERRNO | (err & 0xffff));
	code[3] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("seccomp-deny: seccomp");
		return 125;
	}
	execvp(argv[2], argv + 2);
	perror("seccomp-deny: exec");
	return 127;
}
