// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal probe`: does this kernel seal, and what exactly does sealing
 * block here? Each operation of spec §2.1 is tried against a sealed
 * mapping in a forked child (probe-run.c); the table shows what happened
 * beside what the release implies (mseal_kernel_rules(), an inference that
 * distro backports can defeat, which is why this command measures).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli.h"
#include "libmseal.h"
#include "probe-ops.h"
#include "probe-verify.h"
#include "table.h"

enum { COL_OPERATION, COL_MAPPING, COL_RESULT, COL_ERRNO, COL_SIDE,
       COL_EXPECTED, COL_MATCH, COL_SPEC, COL_NOTE, N_PROBE_COLUMNS };

static const struct table_column probe_columns[N_PROBE_COLUMNS] = {
	[COL_OPERATION] = { "OPERATION", 0.3, 0, SCOLS_JSON_STRING,
			    "the call tried on sealed memory" },
	[COL_MAPPING] = { "MAPPING", 0.2, 0, SCOLS_JSON_STRING,
			  "the kind of mapping it was tried on" },
	[COL_RESULT] = { "RESULT", 0.1, 0, SCOLS_JSON_STRING,
			 "blocked, allowed, failed (not for the seal), "
			 "ignored (0 but no effect) or n/a" },
	[COL_ERRNO] = { "ERRNO", 0.1, 0, SCOLS_JSON_STRING,
			"errno name of a refused call; - when the call set "
			"none (it returned success, or as brk left the break "
			"unchanged)" },
	[COL_SIDE] = { "SIDE-EFFECTS", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		       "what a refused call changed anyway; none when checked "
		       "and nothing changed; - when not checked (the call "
		       "succeeded, is one sealing allows, or n/a)" },
	[COL_EXPECTED] = { "EXPECTED", 0.1, 0, SCOLS_JSON_STRING,
			   "the result the kernel release implies" },
	[COL_MATCH] = { "MATCH", 0.05, SCOLS_FL_RIGHT, SCOLS_JSON_BOOLEAN,
			"1 when RESULT is what the release implies" },
	[COL_SPEC] = { "SPEC", 0.1, 0, SCOLS_JSON_STRING,
		       "section and case id of spec/kernel-mseal.md" },
	[COL_NOTE] = { "NOTE", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		       "more about the result" },
};

static const char *const probe_defaults[] = {
	"OPERATION", "MAPPING", "RESULT", "ERRNO", "SIDE-EFFECTS", "EXPECTED",
	NULL,
};

enum { OPT_OUTPUT_ALL = 256, OPT_QUICK };

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: mseal probe [options]\n\n"
		"Tell whether this kernel seals memory and what sealing "
		"blocks here: each\noperation is tried on a sealed mapping "
		"in a child process.\n\n"
		"Options:\n"
		"  -q, --quick          only tell whether mseal works\n"
		"  -J, --json           JSON output\n"
		"  -r, --raw            raw output\n"
		"  -n, --noheadings     no column headings\n"
		"  -o, --output LIST    columns to show (+LIST adds)\n"
		"      --output-all     every column\n"
		"  -H, --list-columns   list the columns and exit\n"
		"  -h, --help           this help\n\n"
		"Exit status: 0 mseal works, 1 failure, 2 the kernel lacks "
		"mseal or its\nseal does not hold on a test page.\n\n");
	table_columns_help(out, probe_columns, N_PROBE_COLUMNS);
}

static const char *errno_name(int err)
{
	const char *name = err ? strerrorname_np(err) : NULL;

	return err == 0 ? "-" : name ? name : "?";
}

static int matches(int outcome, int expected)
{
	if (expected == PROBE_EITHER)
		return outcome == PROBE_BLOCKED || outcome == PROBE_ALLOWED;
	return outcome == expected;
}

static int fill_op(struct libscols_line *ln, const struct table_columns *cols,
		   const struct probe_op *op, const struct probe_result *r,
		   int expected)
{
	int rc = 0;

	for (size_t i = 0; i < cols->n_shown && !rc; i++) {
		const char *side = r->side_effects < 0 ? "-" :
				   r->side_effects == 0 ? "none" :
				   r->note[0] ? r->note : "yes";

		switch (cols->shown[i]) {
		case COL_OPERATION:
			rc = table_cell(ln, i, "%s", op->name);
			break;
		case COL_MAPPING:
			rc = table_cell(ln, i, "%s", op->mapping);
			break;
		case COL_RESULT:
			rc = table_cell(ln, i, "%s",
					probe_outcome_name(r->outcome));
			break;
		case COL_ERRNO:
			rc = table_cell(ln, i, "%s", errno_name(r->err));
			break;
		case COL_SIDE:
			rc = table_cell(ln, i, "%s", side);
			break;
		case COL_EXPECTED:
			rc = table_cell(ln, i, "%s", probe_outcome_name(expected));
			break;
		case COL_MATCH:
			rc = table_cell_bool(ln, i, matches(r->outcome, expected));
			break;
		case COL_SPEC:
			rc = table_cell(ln, i, "%s", op->spec);
			break;
		case COL_NOTE:
			rc = table_cell(ln, i, "%s", r->note[0] ? r->note : "-");
			break;
		}
	}
	return rc;
}

/* The rule set the release falls in (spec §0), for the summary. */
static const char *rule_set(const struct mseal_rules *rules)
{
	if (!rules->has_mseal)
		return "none (before 6.10)";
	if (!rules->partial_mprotect)
		return "6.10-6.11 (all or nothing)";
	if (rules->madvise_anon_definition != LIBMSEAL_ANON_VMA_IS_ANONYMOUS)
		return "6.12-6.16 (per mapping)";
	return "6.17+ (per mapping, partial mremap)";
}

/* A one-row table after the operations: the release and its rules. */
static struct libscols_table *kernel_table(const struct table_opts *o,
					   const struct mseal_rules *rules)
{
	static const struct table_column kcols[] = {
		{ "RELEASE", 0.2, 0, SCOLS_JSON_STRING, "uname -r" },
		{ "MSEAL", 0.1, 0, SCOLS_JSON_STRING, "works or not" },
		{ "RULES", 0.4, 0, SCOLS_JSON_STRING, "rules the release implies" },
		{ "SEAL", 0.1, 0, SCOLS_JSON_STRING,
		  "native: a sealed page has \"sl\" and refuses mprotect" },
	};
	static const char *const kdefaults[] = { "RELEASE", "MSEAL", "RULES",
						 "SEAL", NULL };
	struct table_columns cols;
	struct libscols_table *tb;
	struct libscols_line *ln;
	struct utsname uts;

	if (uname(&uts) != 0 ||
	    table_columns_init(&cols, kcols, 4, kdefaults) != 0)
		return NULL;
	tb = table_new("kernel", &cols, o);
	ln = tb ? scols_table_new_line(tb, NULL) : NULL;
	if (!ln || table_cell(ln, 0, "%s", uts.release) ||
	    table_cell(ln, 1, "works") ||
	    table_cell(ln, 2, "%s", rule_set(rules)) ||
	    table_cell(ln, 3, "%s", probe_seal_name(PROBE_SEAL_NATIVE))) {
		scols_unref_table(tb);
		return NULL;
	}
	return tb;
}

static int print_table(const struct table_columns *cols,
		       const struct table_opts *o,
		       const struct mseal_rules *rules)
{
	size_t n = probe_op_count();
	struct probe_result *results = calloc(n, sizeof(*results));
	struct libscols_table *tb[2] = { NULL, NULL };
	int rc;

	if (!results)
		return -ENOMEM;
	rc = probe_run_all(results, n);
	if (!rc) {
		tb[0] = table_new("operations", cols, o);
		tb[1] = kernel_table(o, rules);
		rc = tb[0] && tb[1] ? 0 : -ENOMEM;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		struct libscols_line *ln = scols_table_new_line(tb[0], NULL);
		const struct probe_op *op = probe_op_at(i);

		rc = ln ? fill_op(ln, cols, op, &results[i], op->expect(rules)) :
			  -ENOMEM;
	}
	if (!rc)
		rc = table_print(tb, 2, o);
	scols_unref_table(tb[0]);
	scols_unref_table(tb[1]);
	free(results);
	return rc;
}

/* @s as a JSON string: quotes, backslashes and control characters
 * escaped (the texts here are ASCII). */
static void json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/*
 * The JSON document of --quick -J, and of -J whenever sealing does not
 * work natively: whether mseal works, the release, how a sealed page
 * behaved (probe_seal_name()) and, when it does not work, why.
 */
static void print_json_verdict(int supported, int seal, const char *why)
{
	struct utsname uts;

	if (uname(&uts) != 0)
		snprintf(uts.release, sizeof(uts.release), "unknown");
	printf("{\n   \"supported\": %s,\n   \"release\": ",
	       supported ? "true" : "false");
	json_string(uts.release);
	printf(",\n   \"seal\": ");
	json_string(probe_seal_name(seal));
	if (why) {
		printf(",\n   \"reason\": ");
		json_string(why);
	}
	printf("\n}\n");
}

/* --quick: one line (or a JSON object) saying mseal works. */
static void print_supported(const struct table_opts *o)
{
	struct utsname uts;

	if (o->json) {
		print_json_verdict(1, PROBE_SEAL_NATIVE, NULL);
		return;
	}
	uname(&uts);
	printf("mseal works on Linux %s\n", uts.release);
}

/*
 * mseal is missing, or its seal does not hold: one "mseal: probe:" line
 * on stderr, and with -J a document saying so on stdout. Returns the
 * exit status, 2: the kernel does not seal (an emulation is not the
 * kernel's seal).
 */
static int print_unavailable(const struct table_opts *o, int supported,
			     const struct probe_seal_check *c, int emulate)
{
	const char *reason = mseal_reason_string(mseal_unsupported_reason());
	char why[512];

	if (supported && c->seal == PROBE_SEAL_FAILED)
		snprintf(why, sizeof(why), "mseal returned 0 but a sealed "
			 "page could not be checked: %s", c->why);
	else if (supported && c->seal == PROBE_SEAL_EMULATED)
		snprintf(why, sizeof(why), "mseal returned 0 but the sealed "
			 "page has no \"sl\" flag: what refuses mprotect on "
			 "it is not the kernel's seal (a seccomp filter?)");
	else if (supported)
		snprintf(why, sizeof(why), "mseal returned 0 but the seal "
			 "does not hold: mprotect succeeded on the sealed "
			 "page, %s (a seccomp filter or another policy fakes "
			 "success)", c->sl == 1 ? "despite its \"sl\" flag" :
			 "which has no \"sl\" flag");
	else if (!emulate)
		snprintf(why, sizeof(why), "%s", reason);
	else if (c->seal == PROBE_SEAL_EMULATED)
		snprintf(why, sizeof(why), "%s; LIBMSEAL_FALLBACK=seccomp "
			 "emulates it (a sealed page refuses mprotect, with "
			 "no \"sl\" flag)", reason);
	else
		snprintf(why, sizeof(why), "%s; the LIBMSEAL_FALLBACK=seccomp "
			 "emulation does not hold: %s", reason,
			 c->seal == PROBE_SEAL_NOT_EFFECTIVE ?
			 "mprotect succeeded on a sealed page" : c->why);
	if (o->json)
		print_json_verdict(0, c->seal, why);
	cli_error("probe: sealing unavailable: %s", why);
	return MSEAL_EXIT_NO_MSEAL;
}

/* LIBMSEAL_FALLBACK=seccomp, as `mseal run` passes it to the shim. */
static int fallback_requested(void)
{
	const char *v = getenv("LIBMSEAL_FALLBACK");

	return v && strcmp(v, "seccomp") == 0;
}

/* Parse the options; 0 to go on, else the exit status + 1. */
static int parse_options(int argc, char **argv, struct table_columns *cols,
			 struct table_opts *o, int *quick)
{
	static const struct option longopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, list = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qo:JrnHh", longopts, NULL)) != -1) {
		if (cli_output_switch(c, o) == 0)
			continue;
		switch (c) {
		case 'q':
			*quick = 1;
			break;
		case 'o':
			if (cli_columns_parse("probe", cols, optarg, ""))
				return MSEAL_EXIT_FAILURE + 1;
			break;
		case OPT_OUTPUT_ALL:
			table_columns_all(cols);
			break;
		case 'H':
			list = 1;
			break;
		case 'h':
			usage(stdout);
			return MSEAL_EXIT_OK + 1;
		default:
			cli_option_error("probe", c, argv);
			return MSEAL_EXIT_FAILURE + 1;
		}
	}
	if (cli_no_operands("probe", argc, argv))
		return MSEAL_EXIT_FAILURE + 1;
	if (list)
		return cli_list_columns("probe", probe_columns,
					N_PROBE_COLUMNS, o) + 1;
	return 0;
}

int cmd_probe(int argc, char **argv)
{
	struct mseal_rules rules = { .size = sizeof(rules) };
	struct table_columns cols;
	struct table_opts o = { 0 };
	struct probe_seal_check check = { .seal = PROBE_SEAL_NONE, .sl = -1 };
	int quick = 0, emulate, rc;

	table_columns_init(&cols, probe_columns, N_PROBE_COLUMNS,
			   probe_defaults);
	rc = parse_options(argc, argv, &cols, &o, &quick);
	if (rc)
		return rc - 1;
	rc = mseal_supported();
	if (rc < 0) {
		cli_error_errno(rc, "probe: mseal(0, 0, 0) gave an unexpected "
				"answer");
		return MSEAL_EXIT_FAILURE;
	}
	emulate = rc == 0 && fallback_requested();
	if (rc == 1 || emulate) {
		int err = probe_seal_check(emulate, &check);

		if (err) {
			cli_error_errno(err, "probe: cannot check a sealed page");
			return MSEAL_EXIT_FAILURE;
		}
	}
	if (rc == 0 || check.seal != PROBE_SEAL_NATIVE)
		return print_unavailable(&o, rc, &check, emulate);
	if (quick) {
		print_supported(&o);
		return MSEAL_EXIT_OK;
	}
	rc = mseal_kernel_rules(&rules);
	if (rc) {
		cli_error_errno(rc, "probe: cannot read the kernel release");
		return MSEAL_EXIT_FAILURE;
	}
	rc = print_table(&cols, &o, &rules);
	if (rc) {
		cli_error_errno(rc, "probe: cannot run the operations");
		return MSEAL_EXIT_FAILURE;
	}
	return MSEAL_EXIT_OK;
}
