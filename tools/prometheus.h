/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `mseal ps --prometheus`: node_exporter textfile-collector output. */
#ifndef MSEAL_PROMETHEUS_H
#define MSEAL_PROMETHEUS_H

#include <stddef.h>

#include "ps-collect.h"

struct prom_input {
	const struct proc_info *v;	/* the processes read, any order */
	size_t n;
	unsigned long unreadable;	/* processes that could not be read */
	const char *proc_root;		/* for the kernel config */
	int per_pid;			/* add pid-labelled series */
};

/*
 * Write the metrics to stdout (@file NULL) or to @file atomically: a
 * temporary file in the same directory, then rename(2), so the collector
 * never reads a half-written file. 0, or -1 after printing why.
 */
int prom_emit(const struct prom_input *in, const char *file);

#endif
