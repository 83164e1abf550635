/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `mseal maps --pages PID|self [--range START-END]`: one character per
 * page (or per group of pages, scaled to the terminal width) from
 * /proc/PID/pagemap, smaps and, for file mappings, mincore(2) on a fresh
 * mapping of the file.
 */
#ifndef MSEAL_PAGES_H
#define MSEAL_PAGES_H

#include <stddef.h>
#include <stdint.h>

enum page_state { PG_ABSENT, PG_RESIDENT, PG_SWAPPED, PG_CACHED, PG_NSTATES };

/* 1 when @argv asks for the page view (holds --pages). */
int pages_requested(int argc, char **argv);

/* `mseal maps --pages ...`: parses its own options; returns the exit
 * status. */
int cmd_maps_pages(int argc, char **argv);

/* One letter for @state: upper case for a sealed mapping ("R", "S", ":",
 * "C"), lower case otherwise ("r", "s", ".", "c"). */
char page_letter(int state, int sealed);

/* The state a group of pages shows: the state holding more than half of
 * them, else -1 (drawn '*'). */
int page_group_state(const size_t counts[PG_NSTATES]);

/* "resident", "swapped", "absent", "cached". */
const char *page_state_name(int state);

#endif
