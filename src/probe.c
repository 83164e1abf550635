// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_supported(): one probe, mseal(0, 0, 0), cached for the process.
 * Length 0 returns before any lookup (spec §1.2 step 6), so the probe seals
 * nothing. When it fails we work out why, from uname(2) and the Seccomp
 * line of /proc/self/status, so callers can say "old kernel" or "seccomp
 * policy" rather than a bare errno (field report R04).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "internal.h"

/* Cached answer: 0 unknown, else (result + 100) with the reason beside it. */
static int probe_state;
static int probe_reason;

/* 1 when /proc/self/status shows "Seccomp: 2" (a filter), else 0. */
static int seccomp_filter_active(void)
{
	char buf[4096];
	ssize_t got;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	const char *line;

	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return 0;
	buf[got] = '\0';
	line = strstr(buf, "\nSeccomp:");
	if (!line)
		return 0;
	line += strlen("\nSeccomp:");
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == '2';
}

/* 1 when release "X.Y..." is older than 6.10. */
static int release_older_than_6_10(const char *release)
{
	char *end;
	long major = strtol(release, &end, 10);
	long minor = *end == '.' ? strtol(end + 1, NULL, 10) : 0;

	return major < 6 || (major == 6 && minor < 10);
}

/* 1 for a machine name of a 32-bit kernel. */
static int machine_is_32bit(const char *machine)
{
	static const char *const names[] = {
		"i386", "i486", "i586", "i686", "armv6l", "armv7l", "armv8l",
		"arm", "mips", "ppc", "s390", "sparc", "riscv32", "m68k", NULL,
	};

	for (int i = 0; names[i]; i++)
		if (strcmp(machine, names[i]) == 0)
			return 1;
	return 0;
}

static int reason_for(int err)
{
	struct utsname uts;

	if (seccomp_filter_active())
		return LIBMSEAL_REASON_SECCOMP;
	if (err == -EPERM)
		return LIBMSEAL_REASON_POLICY;
	if (uname(&uts) == 0) {
		if (release_older_than_6_10(uts.release))
			return LIBMSEAL_REASON_OLD_KERNEL;
		if (machine_is_32bit(uts.machine))
			return LIBMSEAL_REASON_KERNEL_32BIT;
	}
	return LIBMSEAL_REASON_ENOSYS;
}

static void run_probe(void)
{
	int result, reason = LIBMSEAL_REASON_SUPPORTED;

	if (libmseal_forced_unsupported()) {
		result = 0;
		reason = LIBMSEAL_REASON_FORCED;
	} else {
		int rc = libmseal_sys_mseal(0, 0, 0);

		if (rc == 0) {
			result = 1;
		} else if (rc == -ENOSYS || rc == -EPERM) {
			result = 0;
			reason = libmseal_sys_has_number() ?
					 reason_for(rc) :
					 LIBMSEAL_REASON_NO_SYSCALL_NUMBER;
		} else {
			result = rc;
		}
	}
	__atomic_store_n(&probe_reason, reason, __ATOMIC_RELAXED);
	__atomic_store_n(&probe_state, result + 100, __ATOMIC_RELEASE);
}

int mseal_supported(void)
{
	int state = __atomic_load_n(&probe_state, __ATOMIC_ACQUIRE);

	if (state == 0) {
		run_probe();
		state = __atomic_load_n(&probe_state, __ATOMIC_ACQUIRE);
	}
	return state - 100;
}

int mseal_unsupported_reason(void)
{
	if (mseal_supported() == 1)
		return LIBMSEAL_REASON_SUPPORTED;
	return __atomic_load_n(&probe_reason, __ATOMIC_RELAXED);
}

const char *mseal_reason_string(int reason)
{
	switch (reason) {
	case LIBMSEAL_REASON_SUPPORTED:
		return "mseal is supported";
	case LIBMSEAL_REASON_FORCED:
		return "LIBMSEAL_FORCE_UNSUPPORTED is set";
	case LIBMSEAL_REASON_NO_SYSCALL_NUMBER:
		return "libmseal was built for an ABI without an mseal number";
	case LIBMSEAL_REASON_OLD_KERNEL:
		return "kernel older than 6.10 (mseal came in Linux 6.10)";
	case LIBMSEAL_REASON_KERNEL_32BIT:
		return "32-bit kernel (mseal exists only on 64-bit kernels)";
	case LIBMSEAL_REASON_SECCOMP:
		return "a seccomp filter refuses mseal (syscall 462)";
	case LIBMSEAL_REASON_POLICY:
		return "a security policy refuses mseal (EPERM without seccomp)";
	case LIBMSEAL_REASON_ENOSYS:
		return "the kernel has no mseal (ENOSYS)";
	default:
		return "unknown reason";
	}
}
