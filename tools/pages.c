// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal maps --pages`: draw each mapping's pages. A row never exceeds the
 * terminal width: when a mapping has more pages than columns, each
 * character stands for a group of pages (the scale is printed) and shows
 * the state most of the group is in, '*' when no state holds a majority.
 * -J gives runs of equal state, never a record per page; a mapping too
 * large to draw has "drawn": false and a "reason" instead of "runs".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "pages-scan.h"
#include "table.h"

/* 16 GiB of 4 KiB pages: beyond this a mapping (an ASan shadow, a large
 * reservation) is listed but not drawn unless --range narrows it. */
#define MAX_DRAWN_PAGES (1ull << 22)
#define NOT_DRAWN_REASON "too many pages; narrow it with --range"

/* Narrower terminals (or COLUMNS) are taken as this wide, so a row is
 * still scaled instead of falling back to one character per page. */
#define MIN_COLUMNS 20

/* JSON is indented as libsmartcols writes it (3 spaces a level, "},{"
 * between objects of an array), as every other -J output of the CLI. */
#define IND1 "   "
#define IND2 IND1 IND1
#define IND3 IND2 IND1
#define IND4 IND2 IND2
#define IND5 IND4 IND1

struct view {
	const struct mseal_region *r;
	int json, color, sealed;
	size_t group, in_group, width, len;
	size_t counts[PG_NSTATES], total[PG_NSTATES];
	char *row;
	/* JSON runs */
	int run_state, nruns;
	uint64_t run_start, run_pages, addr, page;
};

static const char *const state_names[PG_NSTATES] = {
	"absent", "resident", "swapped", "cached",
};

const char *page_state_name(int state)
{
	return state >= 0 && state < PG_NSTATES ? state_names[state] : "mixed";
}

char page_letter(int state, int sealed)
{
	static const char lower[] = ".rsc", upper[] = ":RSC";

	if (state < 0 || state >= PG_NSTATES)
		return '*';
	return sealed ? upper[state] : lower[state];
}

int page_group_state(const size_t counts[PG_NSTATES])
{
	size_t sum = 0;

	for (int i = 0; i < PG_NSTATES; i++)
		sum += counts[i];
	for (int i = 0; i < PG_NSTATES; i++)
		if (counts[i] * 2 > sum)
			return i;
	return -1;
}

int pages_requested(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--pages") == 0)
			return 1;
	return 0;
}

static void end_run(struct view *v)
{
	if (!v->run_pages)
		return;
	printf("%s\n" IND5 "\"start\": \"0x%llx\",\n" IND5 "\"pages\": %llu,\n"
	       IND5 "\"state\": \"%s\"\n" IND4 "}",
	       v->nruns++ ? ",{" : IND4 "{", (unsigned long long)v->run_start,
	       (unsigned long long)v->run_pages, page_state_name(v->run_state));
	v->run_pages = 0;
}

static void flush_group(struct view *v)
{
	if (!v->in_group)
		return;
	v->row[v->len++] = page_letter(page_group_state(v->counts), v->sealed);
	memset(v->counts, 0, sizeof(v->counts));
	v->in_group = 0;
}

static void on_page(void *arg, int state)
{
	struct view *v = arg;

	v->total[state]++;
	if (v->json) {
		if (v->run_pages && state != v->run_state)
			end_run(v);
		if (!v->run_pages) {
			v->run_start = v->addr;
			v->run_state = state;
		}
		v->run_pages++;
		v->addr += v->page;
		return;
	}
	v->counts[state]++;
	if (++v->in_group == v->group)
		flush_group(v);
}

/*
 * The mapping's line. Its path is any bytes another user chose (a file
 * name): written as `mseal maps` writes the same bytes, escaped as its
 * table (text) or its -J document (JSON) has them, never raw.
 */
static int print_head(const struct view *v, uint64_t s, uint64_t e,
		      int drawn)
{
	const struct mseal_region *r = v->r;
	char *path;

	if (v->json) {
		printf(IND3 "\"start\": \"0x%llx\",\n" IND3 "\"end\": \"0x%llx\",\n"
		       IND3 "\"perms\": \"%s\",\n" IND3 "\"path\": ",
		       (unsigned long long)s, (unsigned long long)e, r->perms);
		table_json_fputs(stdout, r->path);
		printf(",\n" IND3 "\"sealed\": %s,\n" IND3 "\"smaps_swap\": %llu,\n"
		       IND3 "\"drawn\": %s,\n",
		       r->sealed ? "true" : "false", (unsigned long long)r->swap,
		       drawn ? "true" : "false");
		if (drawn)
			printf(IND3 "\"runs\": [\n");
		else
			printf(IND3 "\"reason\": \"" NOT_DRAWN_REASON "\"\n");
		return 0;
	}
	path = table_text_escape(r->path);
	if (!path)
		return -ENOMEM;
	printf("%llx-%llx %s %s %s", (unsigned long long)s,
	       (unsigned long long)e, r->perms, r->sealed ? "sealed" : "      ",
	       path);
	free(path);
	if (drawn && v->group > 1)
		printf("  [1 char = %zu pages]", v->group);
	putchar('\n');
	return 0;
}

static void print_tail(const struct view *v)
{
	const char *on = v->sealed ? "\033[1;32m" : "", *off = v->sealed ? "\033[0m" : "";

	if (v->json) {
		printf("\n" IND3 "]\n");
		return;
	}
	printf("  %s%.*s%s\n", v->color ? on : "", (int)v->len, v->row,
	       v->color ? off : "");
	if (v->r->swap && !v->total[PG_SWAPPED])
		printf("  smaps Swap: %llu kB (paged-out shmem: pagemap has no bit for it)\n",
		       (unsigned long long)(v->r->swap / 1024));
}

static int draw(const struct scan_ctx *c, const struct mseal_region *r,
		uint64_t s, uint64_t e, struct view *v)
{
	uint64_t n = (e - s) / c->page;
	int rc;

	memset(v->counts, 0, sizeof(v->counts));
	memset(v->total, 0, sizeof(v->total));
	v->r = r;
	v->sealed = r->sealed;
	v->len = v->in_group = 0;
	v->nruns = 0;
	v->run_pages = 0;
	v->addr = s;
	v->group = (size_t)((n + v->width - 1) / v->width);
	if (!v->group)
		v->group = 1;
	rc = print_head(v, s, e, n <= MAX_DRAWN_PAGES);
	if (rc < 0)
		return rc;
	if (n > MAX_DRAWN_PAGES) {
		if (!v->json)
			printf("  (%llu pages: too many to draw; narrow it with --range)\n",
			       (unsigned long long)n);
		return 0;
	}
	rc = scan_pages(c, r, s, e, on_page, v);
	flush_group(v);
	end_run(v);
	print_tail(v);
	return rc;
}

static void legend(void)
{
	printf("Legend: r resident, s swapped, . not present, c in the page cache "
	       "(file mapping, page not mapped in),\n"
	       "        * a group with no majority state; upper case (R S : C) "
	       "marks a sealed mapping.\n"
	       "        Paged-out shmem shows only in smaps Swap: pagemap has no "
	       "bit for it.\n\n");
}

/* The terminal's width, else COLUMNS, else 80; never below MIN_COLUMNS.
 * A width of 0 (a pty nobody sized) or a COLUMNS that is no positive
 * number says nothing and is skipped. */
static size_t term_width(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	size_t w = 80;
	char *end;
	long n;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0) {
		w = ws.ws_col;
	} else if (env) {
		errno = 0;
		n = strtol(env, &end, 10);
		if (!errno && end != env && !*end && n > 0 && n <= 65535)
			w = (size_t)n;
	}
	return w < MIN_COLUMNS ? MIN_COLUMNS : w;
}

static int parse_range(const char *text, uint64_t *lo, uint64_t *hi)
{
	char *end;

	errno = 0;
	*lo = strtoull(text, &end, 16);
	if (errno || end == text || *end != '-')
		return -EINVAL;
	text = end + 1;
	*hi = strtoull(text, &end, 16);
	if (errno || end == text || *end || *hi <= *lo)
		return -EINVAL;
	return 0;
}

struct pages_opts {
	int pid, json, have_range;
	uint64_t lo, hi;
	const char *root;
};

static int run_view(const struct pages_opts *o)
{
	struct scan_ctx c = { .root = o->root ? o->root : "/proc",
			      .page = (uint64_t)sysconf(_SC_PAGESIZE) };
	struct view v = { .json = o->json, .page = c.page };
	const struct mseal_region *r;
	struct mseal_maps *maps = NULL;
	char path[4200];
	int rc, first = 1;

	if (o->pid)
		snprintf(c.pid_dir, sizeof(c.pid_dir), "%d", o->pid);
	else
		snprintf(c.pid_dir, sizeof(c.pid_dir), "self");
	rc = mseal_maps_open(o->pid, o->root, 0, &maps);
	if (rc < 0) {
		cli_error_errno(rc, "maps --pages: %s", c.pid_dir);
		return MSEAL_EXIT_FAILURE;
	}
	snprintf(path, sizeof(path), "%s/%s/pagemap", c.root, c.pid_dir);
	c.pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c.pagemap_fd < 0) {
		cli_error_errno(errno, "maps --pages: %s", path);
		mseal_maps_free(maps);
		return MSEAL_EXIT_FAILURE;
	}
	v.width = term_width() - 2; /* the row's indent */
	v.color = !o->json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	v.row = malloc(v.width + 1);
	if (!v.row) {
		rc = -ENOMEM;
		goto out;
	}
	if (o->json)
		printf("{\n" IND1 "\"page_size\": %llu,\n" IND1 "\"mappings\": [\n",
		       (unsigned long long)c.page);
	else
		legend();
	while ((rc = mseal_maps_next(maps, &r)) == 1) {
		uint64_t s = r->start, e = r->end;

		if (o->have_range) {
			uint64_t lo = o->lo & ~(c.page - 1);
			uint64_t hi = o->hi > UINT64_MAX - c.page ?
				      ~(c.page - 1) :
				      (o->hi + c.page - 1) & ~(c.page - 1);

			if (s < lo)
				s = lo;
			if (e > hi)
				e = hi;
			if (s >= e)
				continue;
		}
		if (o->json)
			printf("%s\n", first ? IND2 "{" : ",{");
		first = 0;
		rc = draw(&c, r, s, e, &v);
		if (o->json)
			printf(IND2 "}");
		if (rc < 0)
			break;
	}
	if (o->json)
		printf("%s" IND1 "]\n}\n", first ? "" : "\n");
out:
	if (rc < 0)
		cli_error_errno(rc, "maps --pages: reading %s", path);
	free(v.row);
	close(c.pagemap_fd);
	mseal_maps_free(maps);
	return rc < 0 ? MSEAL_EXIT_FAILURE : MSEAL_EXIT_OK;
}

static void usage(void)
{
	printf("Usage: mseal maps --pages [options] PID|self\n\n"
	       "Draw every page of a process's mappings: resident, swapped, not\n"
	       "present or in the page cache, sealed mappings in upper case.\n\n"
	       "Options:\n"
	       "      --range START-END  only these addresses (hexadecimal)\n"
	       "  -J, --json             runs of pages as JSON\n"
	       "      --proc-root DIR    read DIR instead of /proc\n"
	       "  -h, --help             this help\n");
}

int cmd_maps_pages(int argc, char **argv)
{
	enum { OPT_PAGES = 256, OPT_RANGE, OPT_ROOT };
	static const struct option opts[] = {
		{ "pages", no_argument, NULL, OPT_PAGES },
		{ "range", required_argument, NULL, OPT_RANGE },
		{ "json", no_argument, NULL, 'J' },
		{ "proc-root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct pages_opts o = { 0 };
	int c;

	optind = 1;
	opterr = 0; /* our own messages, with the "mseal:" prefix */
	while ((c = getopt_long(argc, argv, ":Jh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_PAGES: break;
		case OPT_RANGE:
			if (parse_range(optarg, &o.lo, &o.hi) < 0) {
				cli_error("maps --pages: bad range '%s' (START-END in hex)",
					  optarg);
				return MSEAL_EXIT_FAILURE;
			}
			o.have_range = 1;
			break;
		case 'J': o.json = 1; break;
		case OPT_ROOT: o.root = optarg; break;
		case 'h': usage(); return MSEAL_EXIT_OK;
		default:
			cli_option_error("maps --pages", c, argv);
			return MSEAL_EXIT_FAILURE;
		}
	}
	if (optind != argc - 1) {
		cli_error("maps --pages: give one PID or self");
		return MSEAL_EXIT_FAILURE;
	}
	if (cli_parse_pid(argv[optind], &o.pid) < 0) {
		cli_error("maps --pages: invalid PID '%s'", argv[optind]);
		return MSEAL_EXIT_FAILURE;
	}
	if (o.root && cli_proc_root_check("maps --pages", o.root, o.pid))
		return MSEAL_EXIT_FAILURE;
	return run_view(&o);
}
