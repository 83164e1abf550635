/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `mseal probe` does not take mseal's return value on trust: a seccomp
 * filter answering SECCOMP_RET_ERRNO | 0 makes the call "succeed" with no
 * seal. A fresh page is sealed, then its "sl" flag read back from smaps
 * and mprotect(2) tried on it.
 */
#ifndef MSEAL_PROBE_VERIFY_H
#define MSEAL_PROBE_VERIFY_H

/* What sealing a scratch page did. */
enum probe_seal {
	PROBE_SEAL_NONE = 0,     /* not tried: no mseal, no emulation asked */
	PROBE_SEAL_NATIVE,       /* "sl" set and mprotect refused (EPERM) */
	PROBE_SEAL_EMULATED,     /* no "sl", mprotect refused: the seccomp
				  * emulation (libmseal-emulation(7)) */
	PROBE_SEAL_NOT_EFFECTIVE, /* the seal call said 0, mprotect worked */
	PROBE_SEAL_FAILED,       /* the check could not be made; see why */
};

struct probe_seal_check {
	int seal;          /* enum probe_seal */
	int sl;            /* 1 "sl" was set on the page, 0 not, -1 unknown */
	int mprotect_err;  /* errno of mprotect(2), 0 when it succeeded */
	char why[112];     /* what failed, for PROBE_SEAL_FAILED */
};

/*
 * Seal one fresh read-only anonymous page in a forked child (seals and the
 * emulation's filter are irreversible) and look at it: through mseal
 * (mseal_range()), or with @emulate through the seccomp emulation
 * (mseal_fallback_enable(), mseal_range(), mseal_fallback_commit()).
 * Return: 0 with *ret filled, or -errno when no child could run.
 */
int probe_seal_check(int emulate, struct probe_seal_check *ret);

/* "native", "emulated", "not effective", "none" or "unknown". */
const char *probe_seal_name(int seal);

#endif
