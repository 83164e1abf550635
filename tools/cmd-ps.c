// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal ps`: one row per readable process with its sealing coverage.
 * Processes that cannot be read are named in one line on stderr (not
 * fatal); one that exits while read is skipped quietly.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "prometheus.h"
#include "ps-cols.h"

struct ps_opts {
	struct table_columns cols;
	struct table_opts out;
	const char *proc_root;
	const char *output;	/* -o: columns, or with --prometheus the file */
	int *pids;
	size_t npids;
	int sort;
	int prometheus, per_pid, output_all;
};

struct ps_result {
	struct proc_info *v;
	size_t n, cap;
	char unreadable[1024];	/* "PID (comm), ..." */
	unsigned long nunreadable;
	int cut;		/* ", ..." ends @unreadable */
};

/* Add @pid to -p's list unless it is there already (shown once). */
static int keep_pid(struct ps_opts *o, int pid)
{
	int *grown;

	for (size_t i = 0; i < o->npids; i++)
		if (o->pids[i] == pid)
			return 0;
	grown = realloc(o->pids, (o->npids + 1) * sizeof(int));
	if (!grown) {
		cli_error_errno(ENOMEM, "ps: -p");
		return -ENOMEM;
	}
	o->pids = grown;
	o->pids[o->npids++] = pid;
	return 0;
}

/*
 * -p LIST: decimal PIDs split by commas. Strict, as a script's
 * `-p "$PIDS"` with an empty $PIDS must fail, not widen the view to
 * every process: an empty list or element and a non-number are errors.
 */
static int add_pids(struct ps_opts *o, const char *list)
{
	const char *p = list;

	if (!*list) {
		cli_error("ps: -p: '': empty list");
		return -EINVAL;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		char *tok;
		int pid, rc;

		if (len == 0) {
			cli_error("ps: -p: '%s': empty PID", list);
			return -EINVAL;
		}
		tok = strndup(p, len);
		if (!tok) {
			cli_error_errno(ENOMEM, "ps: -p");
			return -ENOMEM;
		}
		rc = cli_parse_pid(tok, &pid) < 0 || pid == 0 ? -EINVAL : 0;
		if (rc)
			cli_error("ps: -p: '%s': invalid PID", tok);
		free(tok);
		if (rc || (rc = keep_pid(o, pid)) < 0)
			return rc;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/*
 * A process's COMM as a message shows it: any process names itself
 * (prctl PR_SET_NAME, any byte but NUL), so it is escaped as the table
 * escapes it and can never write terminal escapes to stderr. Into @buf.
 */
static const char *comm_shown(const char *comm, char *buf, size_t len)
{
	char *text = table_text_escape(comm);

	snprintf(buf, len, "%s", text ? text : "?");
	free(text);
	return buf;
}

static void note_unreadable(struct ps_result *res, const char *root, int pid)
{
	/* ", ..." and the NUL always fit after what is there */
	size_t len = strlen(res->unreadable);
	size_t room = sizeof(res->unreadable) - sizeof(", ...") - len;
	char comm[64], shown[4 * sizeof(comm)], item[sizeof(shown) + 32];

	res->nunreadable++;
	if (res->cut)
		return;
	proc_comm(root, pid, comm, sizeof(comm));
	snprintf(item, sizeof(item), "%s%d (%s)", len ? ", " : "", pid,
		 comm_shown(comm, shown, sizeof(shown)));
	if (strlen(item) <= room) {
		strcat(res->unreadable, item);
	} else {
		strcat(res->unreadable, ", ...");
		res->cut = 1;
	}
}

/* Read one process; 0 kept or skipped, -1 fatal (only for -p). */
static int read_one(const struct ps_opts *o, struct ps_result *res,
		    struct elf_cache *cache, int pid, int named)
{
	struct proc_info *pi;
	int rc;

	if (res->n == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 256;
		struct proc_info *v = realloc(res->v, cap * sizeof(*v));

		if (!v)
			return -1;
		res->v = v;
		res->cap = cap;
	}
	pi = &res->v[res->n];
	rc = proc_collect(o->proc_root, pid, cache, pi);
	if (rc == -ESRCH && named) {
		cli_error("ps: no process %d", pid);
		return -1;
	}
	if (rc == -ESRCH)
		return 0; /* exited while we read it: skipped quietly */
	if (rc == -EAGAIN) {
		char shown[4 * sizeof(pi->comm)];

		cli_warn("ps: %d (%s): its mappings kept changing while read; skipped",
			 pid, comm_shown(pi->comm, shown, sizeof(shown)));
		return 0;
	}
	if (rc < 0) {
		note_unreadable(res, o->proc_root, pid);
		return 0;
	}
	/* kernel threads and zombies have no mappings: nothing to seal */
	if (pi->maps || named)
		res->n++;
	return 0;
}

static int read_all(const struct ps_opts *o, struct ps_result *res,
		    struct elf_cache *cache)
{
	const char *root = o->proc_root ? o->proc_root : "/proc";
	struct dirent *de;
	DIR *d;

	if (o->npids) {
		for (size_t i = 0; i < o->npids; i++)
			if (read_one(o, res, cache, o->pids[i], 1) < 0)
				return -1;
		return 0;
	}
	d = opendir(root);
	if (!d) {
		cli_error_errno(errno, "ps: %s", root);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (read_one(o, res, cache, atoi(de->d_name), 0) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

static void print_footer(const struct ps_opts *o, const struct ps_result *res)
{
	unsigned long sealed = 0, vdso[4] = { 0 }, filtered = 0;
	const char *src, *cfg = kernel_config_mseal_system(o->proc_root, &src);

	for (size_t i = 0; i < res->n; i++) {
		sealed += res->v[i].sealed_maps > 0;
		vdso[res->v[i].vdso + 1]++;
		filtered += res->v[i].seccomp_mode == 2;
	}
	printf("\n%zu process%s, %lu with sealed mappings; [vdso] sealed in "
	       "%lu, unsealed in %lu, partly in %lu, no system mappings in "
	       "%lu\n", res->n, res->n == 1 ? "" : "es", sealed, vdso[VDSO_YES + 1], vdso[VDSO_NO + 1],
	       vdso[VDSO_PARTLY + 1], vdso[VDSO_NONE + 1]);
	/* emulated seals (issue 6) show no "sl": say where they may hide */
	if (filtered)
		printf("%lu process%s under seccomp filters: seals made by "
		       "libmseal's seccomp emulation are not counted as sealed "
		       "(-o +SECCOMP shows the filters)\n", filtered,
		       filtered == 1 ? " runs" : "es run");
	if (cfg)
		printf("CONFIG_MSEAL_SYSTEM_MAPPINGS=%s (from %s)\n", cfg, src);
	else
		printf("CONFIG_MSEAL_SYSTEM_MAPPINGS unknown (no readable kernel config)\n");
}

static int print_table(const struct ps_opts *o, const struct ps_result *res)
{
	struct libscols_table *tb = table_new("processes", &o->cols, &o->out);
	char buf[64];

	if (!tb) {
		cli_error_errno(ENOMEM, "ps");
		return -1;
	}
	for (size_t i = 0; i < res->n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		for (size_t c = 0; ln && c < o->cols.n_shown; c++)
			/* COMM and EXE are bytes a process chose: with -J,
			 * not UTF-8 ones as \xHH, as in `mseal maps -J` */
			table_cell_path(ln, c, ps_cell(&res->v[i],
				(int)o->cols.shown[c], &o->out, buf, sizeof(buf)),
				&o->out);
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	if (!o->out.json && !o->out.raw && !o->out.noheadings)
		print_footer(o, res);
	return 0;
}

static void usage(void)
{
	printf("Usage: mseal ps [options]\n\n"
	       "Show every readable process's sealing coverage.\n\n"
	       "Options:\n"
	       "  -p, --pid PID[,PID]   only these processes\n"
	       "      --sort COLUMN     sort by a column (ascending)\n"
	       "  -J, --json            JSON output\n"
	       "  -r, --raw             raw output\n"
	       "  -n, --noheadings      no column headings and no summary\n"
	       "  -b, --bytes           sizes in bytes\n"
	       "  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	       "      --output-all      every column\n"
	       "  -H, --list-columns    list the columns\n"
	       "      --prometheus      node_exporter textfile metrics instead\n"
	       "      --per-pid         with --prometheus: also one series per process\n"
	       "      --output FILE     with --prometheus: write FILE atomically\n"
	       "      --proc-root DIR   read DIR instead of /proc\n"
	       "  -h, --help            this help\n");
}

/* 1 when @path names a file "*.prom" (not just ".prom"). */
static int has_prom_suffix(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	return len > 5 && strcmp(base + len - 5, ".prom") == 0;
}

static int parse(int argc, char **argv, struct ps_opts *o)
{
	enum { OPT_SORT = 256, OPT_ALL, OPT_PROM, OPT_PER_PID, OPT_ROOT };
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_ALL },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "prometheus", no_argument, NULL, OPT_PROM },
		{ "per-pid", no_argument, NULL, OPT_PER_PID },
		{ "proc-root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *sort = NULL;
	int c;

	opterr = 0; /* our own messages, with the "mseal:" prefix */
	while ((c = getopt_long(argc, argv, ":p:Jrnbo:Hh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': if (add_pids(o, optarg) < 0) return -1; break;
		case OPT_SORT: sort = optarg; break;
		case 'o': o->output = optarg; break;
		case OPT_ALL: o->output_all = 1; break;
		case 'H':
			table_columns_describe(stdout, ps_cols, PS_NCOLS, "", 14);
			return 1;
		case OPT_PROM: o->prometheus = 1; break;
		case OPT_PER_PID: o->per_pid = 1; break;
		case OPT_ROOT: o->proc_root = optarg; break;
		case 'h': usage(); return 1;
		default:
			if (cli_output_switch(c, &o->out) < 0) {
				cli_option_error("ps", c, argv);
				return -1;
			}
		}
	}
	if (cli_no_operands("ps", argc, argv))
		return -1;
	if (o->output_all)
		table_columns_all(&o->cols);
	if (o->output && !o->prometheus &&
	    cli_columns_parse("ps", &o->cols, o->output,
			      " (-H lists them)") < 0)
		return -1;
	if (sort && (o->sort = table_column_find(ps_cols, PS_NCOLS, sort)) < 0) {
		cli_error("ps: unknown sort column '%s' (-H lists them)", sort);
		return -1;
	}
	/* -o is --output: columns, but a file with --prometheus. Insist on
	 * the textfile collector's .prom suffix, so a column list given by
	 * habit (-o PID,COMM) is refused instead of becoming a file. */
	if (o->output && o->prometheus && !has_prom_suffix(o->output)) {
		cli_error("ps: --prometheus --output FILE: FILE must end in "
			  ".prom (node_exporter reads only *.prom), not '%s'",
			  o->output);
		return -1;
	}
	if (o->per_pid && !o->prometheus) {
		cli_error("ps: --per-pid needs --prometheus");
		return -1;
	}
	/* A canned tree is checked first, each PID named with -p too; live
	 * /proc is not (a process may exit meanwhile: read_one says so). */
	if (o->proc_root && cli_proc_root_check("ps", o->proc_root, -1))
		return -1;
	for (size_t i = 0; o->proc_root && i < o->npids; i++)
		if (cli_proc_root_check("ps", o->proc_root, o->pids[i]))
			return -1;
	return 0;
}

int cmd_ps(int argc, char **argv)
{
	struct ps_opts o = { .sort = PS_PID };
	struct ps_result res = { 0 };
	struct elf_cache *cache = elf_cache_new();
	int rc = MSEAL_EXIT_FAILURE, prc;

	table_columns_init(&o.cols, ps_cols, PS_NCOLS, ps_defaults);
	o.cols.skip_empty = 1;
	prc = parse(argc, argv, &o);
	if (prc != 0 || !cache) {
		rc = prc > 0 ? MSEAL_EXIT_OK : MSEAL_EXIT_FAILURE;
		goto out;
	}
	if (read_all(&o, &res, cache) < 0)
		goto out;
	if (res.nunreadable)
		cli_warn("ps: cannot read %lu process%s: %s", res.nunreadable,
			 res.nunreadable == 1 ? "" : "es", res.unreadable);
	ps_sort(res.v, res.n, o.sort);
	if (o.prometheus) {
		struct prom_input in = {
			.v = res.v, .n = res.n, .unreadable = res.nunreadable,
			.proc_root = o.proc_root, .per_pid = o.per_pid,
		};
		rc = prom_emit(&in, o.output) < 0 ? MSEAL_EXIT_FAILURE :
						    MSEAL_EXIT_OK;
	} else {
		rc = print_table(&o, &res) < 0 ? MSEAL_EXIT_FAILURE :
						 MSEAL_EXIT_OK;
	}
out:
	free(res.v);
	free(o.pids);
	elf_cache_free(cache);
	return rc;
}
