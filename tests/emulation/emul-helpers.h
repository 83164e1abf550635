/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the emulation tests: sealing through the emulation. */
#ifndef LIBMSEAL_EMUL_HELPERS_H
#define LIBMSEAL_EMUL_HELPERS_H

#include <stddef.h>

/* Enable the emulation (asserting it is on), seal [p, p + len) and
 * commit; fails the test unless every step returns 0 / 1 range. */
void emul_seal(void *p, size_t len);

/* The "Seccomp:" or "NoNewPrivs:" value of /proc/self/status, -1 if absent. */
int emul_status(const char *key);

#endif
