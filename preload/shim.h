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

/* Say (debug line, report) that the late object @name was excluded. */
void shim_note_excluded(const char *name);

/* 1 when @name (a loader name or path) matches an exclude pattern. */
int shim_excluded(const char *name);

#endif
