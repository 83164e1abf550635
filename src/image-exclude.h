/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The exclude rule of struct mseal_image_options, in one place. It is
 * compiled into libmseal (image.c, for mseal_image()) and into the preload
 * shim (for late dlopen objects, which it must leave alone before pinning
 * them), hidden in both: no exported symbol, one rule. libc only.
 */
#ifndef LIBMSEAL_IMAGE_EXCLUDE_H
#define LIBMSEAL_IMAGE_EXCLUDE_H

/*
 * 1 when an fnmatch(3) pattern of @patterns (NULL-terminated; flags 0, so
 * '*' also matches '/') matches @name (a loader name or path), its real
 * path (realpath(3), on the heap: this may run on a small thread stack),
 * or the basename of either; else 0 (also for a NULL or empty @name and
 * for NULL @patterns). Thread-safe; not async-signal-safe.
 */
__attribute__((visibility("hidden")))
int libmseal_image_excluded(const char *const *patterns, const char *name);

#endif
