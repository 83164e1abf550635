// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The floor under `mseal maps`: what libsmartcols alone costs to print the
 * same table, with nothing read, parsed or formatted. The table is rebuilt
 * from `mseal maps -r`'s text with the default columns' names, width hints
 * and flags (tools/cmd-maps.c), and printed without \x encoding, as the CLI
 * prints an all-ASCII table.
 */
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include "bench-common.h"

static const struct {
	const char *name;
	double whint;
	int flags;
} maps_columns[] = {
	{ "START", 14, SCOLS_FL_RIGHT }, { "END", 14, SCOLS_FL_RIGHT },
	{ "SIZE", 5, SCOLS_FL_RIGHT },	 { "PERMS", 4, 0 },
	{ "SEALED", 1, SCOLS_FL_RIGHT }, { "RSS", 5, SCOLS_FL_RIGHT },
	{ "SWAP", 5, SCOLS_FL_RIGHT },	 { "PATH", 0.3, SCOLS_FL_NOEXTREMES },
};
#define NCOLS (sizeof(maps_columns) / sizeof(maps_columns[0]))

/* One raw line ("a b c ... path") into the cells of @ln; the path is the
 * rest of the line. The raw text holds no spaces inside a cell. */
static int add_row(struct libscols_table *tb, char *line)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char *p = line;

	if (!ln)
		return -1;
	for (size_t i = 0; i < NCOLS; i++) {
		char *sp = i + 1 < NCOLS ? strchr(p, ' ') : NULL;

		if (sp)
			*sp = '\0';
		if (scols_line_set_data(ln, i, p))
			return -1;
		if (!sp)
			break;
		p = sp + 1;
	}
	return 0;
}

/* The table of the first block of @raw (the mappings, up to the empty line
 * before the summary), without its heading line. */
static struct libscols_table *build_table(const char *raw)
{
	struct libscols_table *tb = scols_new_table();
	char *text = strdup(raw), *save = NULL, *line;

	if (!tb || !text)
		exit(1);
	for (size_t i = 0; i < NCOLS; i++)
		if (!scols_table_new_column(tb, maps_columns[i].name,
					    maps_columns[i].whint,
					    maps_columns[i].flags))
			exit(1);
	line = strtok_r(text, "\n", &save); /* the heading */
	while ((line = strtok_r(NULL, "\n", &save)) && line[0] == '0')
		if (add_row(tb, line))
			exit(1);
	free(text);
	scols_table_enable_noencoding(tb, 1);
	return tb;
}

uint64_t time_table_print(const char *raw)
{
	uint64_t ns = 0;
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		exit(1);
	pid = fork();
	if (pid == 0) {
		struct libscols_table *tb = build_table(raw);
		int null = open("/dev/null", O_WRONLY);
		uint64_t t0;

		dup2(null, 1);
		t0 = now_ns();
		scols_print_table(tb);
		fflush(stdout);
		ns = now_ns() - t0;
		if (write(fds[1], &ns, sizeof(ns)) != sizeof(ns))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &ns, sizeof(ns)) != sizeof(ns))
		exit(1);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	return ns;
}
