/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Opening a file the user or a process's mappings name, for reading,
 * without ever blocking on a FIFO or waking a device driver.
 */
#ifndef MSEAL_OPEN_REGULAR_H
#define MSEAL_OPEN_REGULAR_H

/* What open_regular() returns when @path names no regular file: below
 * every -errno (the kernel's MAX_ERRNO is 4095), so it is never one. */
#define OPEN_NOT_REGULAR (-4096)

/*
 * Open @path read-only (close-on-exec) when it names a regular file,
 * following symbolic links (map_files and /proc/PID/root are links).
 * The object is first reached with O_PATH, which calls no driver and
 * cannot block, and fstat()ed; only a regular file is then opened for
 * reading, through /proc/self/fd of that very descriptor, so a path
 * swapped for a FIFO or a device in between is never opened. Where
 * /proc/self is missing, @path is opened again with O_NONBLOCK |
 * O_NOCTTY and must still be the same regular file.
 *
 * Returns the descriptor; OPEN_NOT_REGULAR for a FIFO, a device, a
 * socket or a directory (or a path replaced while being opened); or
 * -errno of open(2) or fstat(2). Thread-safe; sets errno.
 */
int open_regular(const char *path);

#endif
