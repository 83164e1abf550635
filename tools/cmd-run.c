// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal run [options] -- PROG ARGS`: exec PROG (same PID, execvp(3)
 * lookup) with the preload shim in LD_PRELOAD and the policy in LIBMSEAL_*
 * variables. Exit status as env(1): 125 mseal failed (or --strict refused),
 * 126 PROG cannot run, 127 PROG not found, else PROG's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "run-env.h"
#include "run-target.h"

struct run_opts {
	char *exclude;	/* ':'-joined patterns, or NULL */
	const char *dlopen_mode;
	const char *report;	/* with have_report: NULL is stderr */
	int have_report, gaps, no_children, strict, json;
};

static void usage(FILE *out)
{
	fputs("Usage: mseal run [options] [--] PROG [ARGS...]\n\n"
	      "Run PROG with its code, read-only data and RELRO sealed.\n\n"
	      "Options:\n"
	      "  -x, --exclude PATTERN  leave objects matching PATTERN "
	      "unsealed (repeatable)\n"
	      "  -g, --gaps             also seal the PROT_NONE gaps between "
	      "segments\n"
	      "      --dlopen=MODE      nodelete (default), all or none\n"
	      "      --no-children      do not seal what PROG executes\n"
	      "  -s, --strict           stop PROG before main (exit 125) on "
	      "any failure\n"
	      "  -r, --report[=FILE]    report what was sealed, to stderr "
	      "or FILE\n"
	      "  -J, --json             write the report as JSON (to stderr "
	      "without --report=FILE)\n"
	      "  -h, --help             show this help\n\n"
	      "Exit status: 125 mseal failed, 126 PROG cannot run, 127 PROG "
	      "not found,\notherwise PROG's own. See mseal(1).\n", out);
}

static int add_exclude(struct run_opts *o, const char *pat)
{
	char *joined;

	if (!*pat || strchr(pat, ':')) {
		cli_error("run: --exclude '%s': a pattern is not empty and "
			  "has no ':'", pat);
		return -EINVAL;
	}
	if (asprintf(&joined, "%s%s%s", o->exclude ? o->exclude : "",
		     o->exclude ? ":" : "", pat) < 0)
		return -ENOMEM;
	free(o->exclude);
	o->exclude = joined;
	return 0;
}

/* The report file is truncated once here; every sealed process of the
 * tree then appends its own report (a path made absolute, as PROG may
 * chdir). */
static int set_report(const char *file)
{
	char dir[PATH_MAX], *abs = NULL;
	int fd, rc = 0;

	if (!file)
		return setenv("LIBMSEAL_REPORT", "-", 1) ? -errno : 0;
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		cli_error_errno(rc, "run: cannot write the report to %s", file);
		return rc;
	}
	close(fd);
	if (file[0] != '/' && getcwd(dir, sizeof(dir)) &&
	    asprintf(&abs, "%s/%s", dir, file) < 0)
		return -ENOMEM;
	rc = setenv("LIBMSEAL_REPORT", abs ? abs : file, 1) ? -errno : 0;
	free(abs);
	return rc;
}

static int set_policy(const struct run_opts *o)
{
	int rc = 0;

	if (o->exclude)
		rc |= setenv("LIBMSEAL_EXCLUDE", o->exclude, 1);
	if (o->gaps)
		rc |= setenv("LIBMSEAL_GAPS", "1", 1);
	if (o->dlopen_mode)
		rc |= setenv("LIBMSEAL_DLOPEN", o->dlopen_mode, 1);
	if (o->no_children)
		rc |= setenv("LIBMSEAL_NO_CHILDREN", "1", 1);
	if (o->strict)
		rc |= setenv("LIBMSEAL_STRICT", "1", 1);
	if (o->json)
		rc |= setenv("LIBMSEAL_REPORT_FORMAT", "json", 1);
	return rc ? -errno : 0;
}

/*
 * "--report FILE -- PROG": an optional argument only sticks as
 * --report=FILE (or -rFILE), so FILE would be run as the program. The
 * "--" still to come says the user meant FILE for --report: refuse,
 * rather than run FILE. Without a later "--", the word is PROG.
 */
static int report_file_detached(int argc, char **argv)
{
	const char *next = optind < argc ? argv[optind] : NULL;

	if (!next || next[0] == '-')
		return 0;
	for (int i = optind + 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				cli_error("run: --report takes its file as "
					  "--report=FILE (put -- before PROG "
					  "when '%s' is the program)", next);
			else
				cli_error("run: -r takes its file as -rFILE "
					  "(put -- before PROG when '%s' is "
					  "the program)", next);
			return 1;
		}
	}
	return 0;
}

/*
 * "-x -- PROG" would take "--" as the pattern and run PROG, and "--dlopen
 * -- PROG" fail on a mode "--": a detached "--" ends the options, it is
 * never an option's argument (attached, as -x-- or --exclude=--, it is
 * what the user wrote). @word is the option as written: "--name[=...]",
 * or a group of letters with @c among them.
 */
static int option_lacks_argument(const char *word, int c)
{
	if (strncmp(word, "--", 2) == 0)
		cli_error("run: option '%.*s' needs an argument; see 'mseal "
			  "run --help'", (int)strcspn(word, "="), word);
	else
		cli_error("run: option '-%c' needs an argument; see 'mseal "
			  "run --help'", c);
	return -1;
}

/* -x, --dlopen and -r: the options with an argument. 0, or -1 after
 * one "mseal: run:" line. */
static int take_argument(int c, int argc, char **argv, struct run_opts *o)
{
	/* optarg is the word after the option's own word: detached */
	if (c != 'r' && optarg == argv[optind - 1] &&
	    strcmp(optarg, "--") == 0)
		return option_lacks_argument(argv[optind - 2], c);
	if (c == 'x')
		return add_exclude(o, optarg) < 0 ? -1 : 0;
	if (c == 'd') {
		if (strcmp(optarg, "nodelete") && strcmp(optarg, "all") &&
		    strcmp(optarg, "none")) {
			cli_error("run: --dlopen=%s: MODE is nodelete, all or "
				  "none", optarg);
			return -1;
		}
		o->dlopen_mode = optarg;
		return 0;
	}
	if (!optarg && report_file_detached(argc, argv))
		return -1;
	if (optarg && !*optarg) {
		cli_error("run: --report=: empty file name (--report alone "
			  "writes to stderr)");
		return -1;
	}
	o->have_report = 1;
	o->report = optarg;
	return 0;
}

static int parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "exclude", required_argument, NULL, 'x' },
		{ "gaps", no_argument, NULL, 'g' },
		{ "dlopen", required_argument, NULL, 'd' },
		{ "no-children", no_argument, NULL, 'c' },
		{ "strict", no_argument, NULL, 's' },
		{ "report", optional_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* Our own messages: getopt's would start "run:", not "mseal: run:". */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:x:gsr::Jh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'x':
		case 'd':
		case 'r':
			if (take_argument(c, argc, argv, o) < 0)
				return -1;
			break;
		case 'g': o->gaps = 1; break;
		case 'c': o->no_children = 1; break;
		case 's': o->strict = 1; break;
		case 'J': o->json = 1; break;
		case 'h':
			usage(stdout);
			exit(MSEAL_EXIT_OK);
		case ':':
			return option_lacks_argument(argv[optind - 1], optopt);
		default:
			/* A long option is named whole (--gaps=1 included);
			 * a letter by optopt, as in a group such as -gq. */
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				cli_error("run: invalid option '%s'; see "
					  "'mseal run --help'",
					  argv[optind - 1]);
			else
				cli_error("run: invalid option '-%c'; see "
					  "'mseal run --help'", optopt);
			return -1;
		}
	}
	if (optind >= argc) {
		cli_error("run: no program given");
		usage(stderr);
		return -1;
	}
	/* -J alone asks for a report too: JSON on stderr. */
	if ((o->have_report || o->json) && set_report(o->report) < 0)
		return -1;
	return optind;
}

/* The first env(1) a #! line goes through, and the program it runs. */
struct run_via_env {
	char env[PATH_MAX];
	char name[PATH_MAX];
	int prog;	/* PROG itself is env(1), no #! line */
};

/*
 * Follow PROG as execve(2) will: nested #! lines, and env(1) named as a
 * #! interpreter, which execs the program it names, as execvp(3) finds
 * it (the shim reaches that program through env when children are
 * sealed; env itself is taken as reachable). @path ends as the program
 * last looked at; 1 when an env was crossed (@via says which), else 0;
 * or -errno when a program cannot be read or found.
 */
static int follow_target(char *const *argv, int argc, char *path,
			 const char **why, int *depth,
			 struct run_via_env *via)
{
	struct run_shebang sb;
	char name[PATH_MAX];
	int err = run_find_program(argv[0], path, PATH_MAX), crossed = 0;

	if (err == 0)
		err = run_check_target(path, why, &sb);
	via->prog = 0;
	/* PROG is env(1) itself: its arguments name the program */
	if (err == 0 && !*why && !sb.interp[0] && run_is_env(path) &&
	    run_env_args(argv + 1, argc - 1, name, sizeof(name))) {
		memcpy(via->env, path, sizeof(via->env));
		memcpy(via->name, name, sizeof(via->name));
		via->prog = crossed = 1;
		err = run_find_program(name, path, PATH_MAX);
		if (err == 0)
			err = run_check_target(path, why, &sb);
	}
	while (err == 0 && !*why && sb.interp[0] &&
	       *depth < RUN_SCRIPT_DEPTH) {
		if (run_env_program(&sb, name, sizeof(name))) {
			if (!crossed) {
				memcpy(via->env, sb.interp, sizeof(via->env));
				memcpy(via->name, name, sizeof(via->name));
			}
			crossed = 1;
			err = run_find_program(name, path, PATH_MAX);
		} else {
			memcpy(path, sb.interp, PATH_MAX);
		}
		if (err == 0)
			err = run_check_target(path, why, &sb);
		(*depth)++;
	}
	return err < 0 ? err : crossed;
}

/*
 * 0 go on (sealed or not), or an exit status. Exactly one line when PROG
 * is not what gets sealed: a warning naming a #! script's interpreter, a
 * warning that PROG runs unsealed, or, under --strict, the error saying
 * it is not run (exit 125: there is no process for the shim to stop).
 * A program run through env(1) (a #! line's or PROG itself) is sealed as
 * env's child: --no-children leaves it unsealed, which is said (or,
 * strict, refused) first. PROG env running a program that gets sealed
 * needs no line: nothing is a script, nothing is left out.
 */
/* check_target() for PROG env(1) itself, which runs @via->name found
 * at @path (@why: why the shim cannot reach it, or NULL). */
static int check_env_prog(const char *prog, const char *path,
			  const char *why, const struct run_via_env *via,
			  const struct run_opts *o)
{
	const char *name = via->name;

	if (o->no_children && o->strict)
		cli_error("run: --strict: %s runs %s; with --no-children %s "
			  "would run unsealed; not running it", prog, name,
			  name);
	else if (o->no_children)
		cli_warn("run: %s runs %s; with --no-children %s runs "
			 "unsealed", prog, name, name);
	else if (why && o->strict)
		cli_error("run: --strict: %s runs %s, and %s %s; not running "
			  "it", prog, name, path, why);
	else if (why)
		cli_warn("run: %s runs %s, and %s %s; it runs unsealed", prog,
			 name, path, why);
	return o->strict && (o->no_children || why) ? MSEAL_RUN_EXIT_FAILED
						     : 0;
}

static int check_target(char *const *argv, int argc,
			const struct run_opts *o)
{
	char path[PATH_MAX];
	const char *why = NULL, *prog = argv[0];
	struct run_via_env via;
	int depth = 0, env = follow_target(argv, argc, path, &why, &depth,
					   &via);

	if (env < 0)
		return 0; /* execvp tells what is wrong, with env(1)'s codes */
	if (env && via.prog)
		return check_env_prog(prog, path, why, &via, o);
	if (env && o->no_children) {
		if (!o->strict) {
			cli_warn("run: %s runs %s through %s; with "
				 "--no-children %s runs unsealed", prog,
				 via.name, via.env, via.name);
			return 0;
		}
		cli_error("run: --strict: %s runs %s through %s; with "
			  "--no-children %s would run unsealed; not running "
			  "it", prog, via.name, via.env, via.name);
		return MSEAL_RUN_EXIT_FAILED;
	}
	if (!why) {
		if (env)
			cli_warn("run: %s is a #! script: its interpreter %s "
				 "runs %s, which gets sealed in turn", prog,
				 via.env, via.name);
		else if (depth)
			cli_warn("run: %s is a #! script: its interpreter %s "
				 "is what gets sealed", prog, path);
		return 0;
	}
	if (o->strict && env)
		cli_error("run: --strict: %s runs %s through %s, and %s %s; "
			  "not running it", prog, via.name, via.env, path, why);
	else if (o->strict && depth)
		cli_error("run: --strict: %s is a #! script whose interpreter "
			  "%s %s; not running it", prog, path, why);
	else if (o->strict)
		cli_error("run: --strict: %s %s; not running it", prog, why);
	else if (env)
		cli_warn("run: %s runs %s through %s, and %s %s; it runs "
			 "unsealed", prog, via.name, via.env, path, why);
	else if (depth)
		cli_warn("run: %s is a #! script whose interpreter %s %s; it "
			 "runs unsealed", prog, path, why);
	else
		cli_warn("run: %s %s; it runs unsealed", prog, why);
	return o->strict ? MSEAL_RUN_EXIT_FAILED : 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	char shim[PATH_MAX];
	int first, rc;

	first = parse(argc, argv, &o);
	if (first < 0)
		return MSEAL_RUN_EXIT_FAILED;
	rc = check_target(argv + first, argc - first, &o);
	if (rc)
		return rc;
	rc = run_find_shim(shim, sizeof(shim));
	if (rc < 0) {
		cli_error("run: cannot find libmseal-preload.so (set "
			  "LIBMSEAL_PRELOAD to its path)");
		return MSEAL_RUN_EXIT_FAILED;
	}
	if (set_policy(&o) < 0 || run_add_preload(shim) < 0) {
		cli_error_errno(errno, "run: cannot set the environment");
		return MSEAL_RUN_EXIT_FAILED;
	}
	free(o.exclude);
	execvp(argv[first], argv + first);
	rc = errno;
	cli_error_errno(rc, "run: cannot run '%s'", argv[first]);
	return rc == ENOENT ? MSEAL_RUN_EXIT_NOT_FOUND :
			      MSEAL_RUN_EXIT_CANNOT_RUN;
}
