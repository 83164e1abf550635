/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the preload shim's files share: the policy read from LIBMSEAL_*. */
#ifndef LIBMSEAL_SHIM_H
#define LIBMSEAL_SHIM_H

#include <stdio.h>

#include "libmseal.h"

/* --dlopen=MODE, LIBMSEAL_DLOPEN. */
enum shim_dlopen_mode {
	SHIM_DLOPEN_NODELETE = 0, /* seal objects that can never be unloaded */
	SHIM_DLOPEN_ALL,	  /* make every dlopen NODELETE, seal it */
	SHIM_DLOPEN_NONE,	  /* leave late objects alone */
};

struct shim_policy {
	struct mseal_image_options opts;
	const char **exclude;	/* NULL-terminated, owned */
	int dlopen_mode;
	int strict;
	int debug;
	int json;
	const char *report;	/* NULL none, "-" stderr, else a path */
};

/* The policy, filled once by the constructor before anything is sealed. */
extern struct shim_policy shim_policy;

/* Fill shim_policy from the environment, once (thread-safe). */
void shim_policy_init(void);

/* Write @report (from startup when @phase is "startup", else "dlopen")
 * as the policy asks: debug lines, then the text or JSON report. */
void shim_emit(const struct mseal_report *report, const char *phase,
	       double usec);

/* Check the LIBMSEAL_* values the shim knows (preload/env.c): an unknown
 * one gets one stderr line, the default, and leaves environ; under
 * LIBMSEAL_STRICT it exits 125 instead. Before the policy is read. */
void shim_env_check(void);

/* The boolean @name: 1 for 1, yes, true, on; 0 unset, empty or 0, no,
 * false, off (either case); an unknown value as shim_env_check() takes it. */
int shim_env_bool(const char *name);

/* Say (debug line, report) that the late object @name was excluded. */
void shim_note_excluded(const char *name);

#endif
