// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The shim's LIBMSEAL_* values, checked once before the policy is read.
 * Users set these variables directly (systemd units, containers), where
 * no `mseal run` refuses a typo: a value the shim does not know gets one
 * line on stderr and the default, and leaves the environment, so the
 * program's children take the same default without saying it again.
 * Under LIBMSEAL_STRICT such a value stops the program before main (exit
 * 125), as any other policy the shim cannot apply does. Otherwise nothing
 * here stops the program: the shim runs inside arbitrary programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "path-escape.h"
#include "shim.h"

/* Booleans as systemd units and most tools spell them. */
static const char *const bool_on[] = { "1", "yes", "true", "on", NULL };
static const char *const bool_off[] = { "0", "no", "false", "off", NULL };

static const char *const dlopen_modes[] = { "nodelete", "all", "none", NULL };
static const char *const report_formats[] = { "text", "json", NULL };
static const char *const fallbacks[] = { "seccomp", NULL };

struct shim_var {
	const char *name;
	const char *const *values;	/* NULL: a boolean */
	int unknown_on;			/* a boolean's unknown value is on */
	const char *using;		/* what an unknown value becomes */
};

/*
 * Every variable the shim reads with a fixed set of values (the
 * ENVIRONMENT table of mseal(1)); LIBMSEAL_EXCLUDE and LIBMSEAL_REPORT
 * take any text. An unknown LIBMSEAL_STRICT counts as on: whoever set it
 * asked for strictness, and strict then refuses the value (fails closed).
 */
static const struct shim_var shim_vars[] = {
	{ "LIBMSEAL_GAPS", NULL, 0, "'0'" },
	{ "LIBMSEAL_DLOPEN", dlopen_modes, 0, "'nodelete'" },
	{ "LIBMSEAL_NO_CHILDREN", NULL, 0, "'0'" },
	{ "LIBMSEAL_STRICT", NULL, 1, "'1'" },
	{ "LIBMSEAL_REPORT_FORMAT", report_formats, 0, "'text'" },
	{ "LIBMSEAL_DEBUG", NULL, 0, "'0'" },
	{ "LIBMSEAL_FALLBACK", fallbacks, 0, "no fallback" },
	{ "LIBMSEAL_FALLBACK_CHILDREN", NULL, 0, "'0'" },
};

#define N_VARS (sizeof(shim_vars) / sizeof(shim_vars[0]))

static int listed(const char *value, const char *const *list, int icase)
{
	for (; *list; list++)
		if ((icase ? strcasecmp : strcmp)(value, *list) == 0)
			return 1;
	return 0;
}

/* 1 when @v's value is one it may take; unset and empty count as known
 * (the default, as documented). */
static int known(const struct shim_var *v, const char *value)
{
	if (!value || !*value)
		return 1;
	if (v->values)
		return listed(value, v->values, 0);
	return listed(value, bool_on, 1) || listed(value, bool_off, 1);
}

int shim_env_bool(const char *name)
{
	const char *value = getenv(name);

	if (!value || !*value || listed(value, bool_off, 1))
		return 0;
	if (listed(value, bool_on, 1))
		return 1;
	for (size_t i = 0; i < N_VARS; i++)
		if (strcmp(shim_vars[i].name, name) == 0)
			return shim_vars[i].unknown_on;
	return 0;
}

/* Take NAME=... out of environ in place, as leave_environment() does
 * (programs such as bash bring their own unsetenv, blind to environ
 * before main). */
static void drop(const char *name)
{
	size_t len = strlen(name);
	char **in, **out;

	if (!environ)
		return;
	for (in = out = environ; *in; in++)
		if (strncmp(*in, name, len) != 0 || (*in)[len] != '=')
			*out++ = *in;
	*out = NULL;
}

/* @value as it goes in a message: one line whatever it holds (control
 * characters and bytes that are not UTF-8 escaped as in JSON), and at
 * most some 200 bytes of it. */
static void quote(char *buf, size_t size, const char *value)
{
	size_t n = 0;

	while (*value && n + LIBMSEAL_PATH_STEP_MAX + sizeof("...") <= size)
		n += libmseal_path_escape_step(&value, buf + n,
					       LIBMSEAL_PATH_JSON);
	snprintf(buf + n, size - n, "%s", *value ? "..." : "");
}

void shim_env_check(void)
{
	int strict = shim_env_bool("LIBMSEAL_STRICT");
	char shown[208];

	for (size_t i = 0; i < N_VARS; i++) {
		const struct shim_var *v = &shim_vars[i];
		const char *value = getenv(v->name);

		if (known(v, value))
			continue;
		quote(shown, sizeof(shown), value);
		if (strict) {
			fprintf(stderr, "libmseal: strict: %s: unknown value "
				"'%s'; stopping before main\n", v->name, shown);
			_exit(125);
		}
		fprintf(stderr, "libmseal: %s: unknown value '%s', using %s\n",
			v->name, shown, v->using);
		drop(v->name);
	}
}
