/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether a process runs under seccomp filters, from its status file. */
#ifndef MSEAL_SECCOMP_STATUS_H
#define MSEAL_SECCOMP_STATUS_H

/*
 * Read "Seccomp:" and "Seccomp_filters:" of <proc_root>/<pid>/status (pid 0
 * is "self", proc_root NULL is /proc). *ret_mode gets 0 (off), 1 (strict)
 * or 2 (filter); *ret_filters the filter count, or -1 on kernels before
 * 5.9 that do not print it. Return: 0, or -errno when the file cannot be
 * read or has no Seccomp line.
 */
int seccomp_status(const char *proc_root, int pid, int *ret_mode,
		   int *ret_filters);

#endif
