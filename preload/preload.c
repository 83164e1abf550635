// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmseal-preload.so: seals the program's loaded ELF objects from a
 * constructor, which runs after ld.so relocated the startup objects and
 * applied RELRO, and before main. The policy comes from LIBMSEAL_*
 * variables (a stable interface: `mseal run` sets them, users may set them
 * themselves). The shim never stops a program unless LIBMSEAL_STRICT=1.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

struct shim_policy shim_policy;

static int env_flag(const char *name)
{
	return shim_env_bool(name);
}

/* LIBMSEAL_EXCLUDE: fnmatch(3) patterns separated by ':'. */
static const char **split_patterns(const char *list)
{
	size_t n = 1;
	const char **pat;
	char *copy, *tok, *save = NULL;
	size_t i = 0;

	if (!list || !*list)
		return NULL;
	for (const char *p = list; *p; p++)
		n += *p == ':';
	copy = strdup(list);
	pat = calloc(n + 1, sizeof(*pat));
	if (!copy || !pat) {
		free(copy);
		free(pat);
		return NULL;
	}
	for (tok = strtok_r(copy, ":", &save); tok;
	     tok = strtok_r(NULL, ":", &save))
		pat[i++] = tok;
	return pat;
}

static void read_policy(void)
{
	const char *mode, *fmt, *report;

	/* unknown values said and dropped first: what follows reads the
	 * defaults for them */
	shim_env_check();
	mode = getenv("LIBMSEAL_DLOPEN");
	fmt = getenv("LIBMSEAL_REPORT_FORMAT");
	report = getenv("LIBMSEAL_REPORT");
	shim_policy.opts.size = sizeof(shim_policy.opts);
	shim_policy.opts.flags = env_flag("LIBMSEAL_GAPS") ?
				 LIBMSEAL_IMAGE_GAPS : 0;
	shim_policy.exclude = split_patterns(getenv("LIBMSEAL_EXCLUDE"));
	shim_policy.opts.exclude = shim_policy.exclude;
	if (mode && strcmp(mode, "all") == 0)
		shim_policy.dlopen_mode = SHIM_DLOPEN_ALL;
	else if (mode && strcmp(mode, "none") == 0)
		shim_policy.dlopen_mode = SHIM_DLOPEN_NONE;
	else
		shim_policy.dlopen_mode = SHIM_DLOPEN_NODELETE;
	shim_policy.strict = env_flag("LIBMSEAL_STRICT");
	shim_policy.debug = env_flag("LIBMSEAL_DEBUG");
	shim_policy.json = fmt && strcmp(fmt, "json") == 0;
	/* Copied: --no-children below removes the variable itself. */
	shim_policy.report = report && *report ? strdup(report) : NULL;
}

/* The policy is read once, by the constructor or by an earlier dlopen
 * (another library's constructor may call dlopen before the shim's). */
void shim_policy_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, read_policy);
}

/*
 * Every variable the shim reads: its policy (the ENVIRONMENT table of
 * mseal(1)), which --no-children takes out. The other LIBMSEAL_* names
 * are not the shim's and stay: LIBMSEAL_FORCE_UNSUPPORTED is the user's
 * switch for every libmseal user (read lazily by the library, possibly
 * after this constructor, by PROG itself too), LIBMSEAL_PRELOAD is read
 * by `mseal run` (a nested one finds the same shim), and names the shim
 * does not know belong to someone else (a test runner's, a typo's).
 */
static const char *const shim_variables[] = {
	"LIBMSEAL_EXCLUDE=", "LIBMSEAL_GAPS=", "LIBMSEAL_DLOPEN=",
	"LIBMSEAL_NO_CHILDREN=", "LIBMSEAL_STRICT=", "LIBMSEAL_REPORT=",
	"LIBMSEAL_REPORT_FORMAT=", "LIBMSEAL_DEBUG=", "LIBMSEAL_FALLBACK=",
	"LIBMSEAL_FALLBACK_CHILDREN=", NULL,
};

static int shim_variable(const char *entry)
{
	for (const char *const *v = shim_variables; *v; v++)
		if (strncmp(entry, *v, strlen(*v)) == 0)
			return 1;
	return 0;
}

/* "LD_PRELOAD=..." without our own entry, malloc'd (the value may be
 * empty); NULL when memory ran out. */
static char *preload_without_shim(const char *value)
{
	char *copy = strdup(value), *tok, *save = NULL;
	char *out = malloc(strlen(value) + sizeof("LD_PRELOAD="));

	if (!copy || !out) {
		free(copy);
		free(out);
		return NULL;
	}
	strcpy(out, "LD_PRELOAD=");
	for (tok = strtok_r(copy, ": ", &save); tok;
	     tok = strtok_r(NULL, ": ", &save)) {
		const char *base = strrchr(tok, '/');

		if (strcmp(base ? base + 1 : tok, "libmseal-preload.so") == 0)
			continue;
		if (out[sizeof("LD_PRELOAD=") - 1])
			strcat(out, ":");
		strcat(out, tok);
	}
	free(copy);
	return out;
}

/*
 * --no-children: take our own entry out of LD_PRELOAD and the shim's
 * variables out of the environment, so what the program execs runs as it
 * would without `mseal run`. Other LD_PRELOAD entries stay.
 *
 * environ is edited here directly, as glibc's unsetenv(3) does (later
 * entries move down), not through setenv/unsetenv: a program may define
 * its own (bash does, for its shell variables, which do not exist yet
 * while constructors run: its unsetenv then changes nothing).
 */
static void leave_environment(void)
{
	char **src, **dst;

	if (!environ)
		return;
	for (src = dst = environ; *src; src++) {
		if (shim_variable(*src))
			continue;
		if (strncmp(*src, "LD_PRELOAD=", 11) == 0) {
			/* The new string is owned by environ from now on;
			 * out of memory, the entry stays as it was. */
			char *kept = preload_without_shim(*src + 11);

			if (kept && !kept[11]) {
				free(kept);
				continue;
			}
			*dst++ = kept ? kept : *src;
			continue;
		}
		*dst++ = *src;
	}
	*dst = NULL;
}

static double now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The default mode says in one line why nothing was sealed when a policy
 * (seccomp, an LSM) refused mseal: a surprise worth one line. An old
 * kernel, or LIBMSEAL_FORCE_UNSUPPORTED, is said only in the report. */
static void note_unavailable(int reason)
{
	if (reason == LIBMSEAL_REASON_SECCOMP ||
	    reason == LIBMSEAL_REASON_POLICY)
		fprintf(stderr, "libmseal: nothing sealed: %s; the program "
			"runs unsealed\n", mseal_reason_string(reason));
}

static void strict_refuse(const struct mseal_report *r, int err)
{
	if (err)
		fprintf(stderr, "libmseal: strict: sealing failed: %s; "
			"stopping before main\n", strerror(-err));
	else if (r->reason != LIBMSEAL_REASON_SUPPORTED)
		fprintf(stderr, "libmseal: strict: sealing unavailable: %s; "
			"stopping before main\n",
			mseal_reason_string(r->reason));
	else
		fprintf(stderr, "libmseal: strict: %zu range(s) failed to "
			"seal (%s); stopping before main\n", r->ranges_failed,
			strerror(-r->status));
	_exit(125);
}

/* The default path (no report, no debug line, not strict) asks for no
 * report: the library then builds none, which keeps start-up short. */
static void seal_quietly(void)
{
	if (mseal_image(&shim_policy.opts, NULL) == 0)
		note_unavailable(mseal_unsupported_reason());
}

/* emulation (issue 6) --------------------------------------------- */
/*
 * LIBMSEAL_FALLBACK=seccomp: on a kernel without mseal, seal through
 * libmseal's seccomp emulation (libmseal-emulation(7)): mseal_image()
 * records, one commit installs one filter. Only the first process seals
 * unless LIBMSEAL_FALLBACK_CHILDREN=1: its descendants inherit the filter
 * whatever we do (a filter cannot be dropped), so LIBMSEAL_FALLBACK is
 * taken out of their environment. Late dlopen objects are left alone: each
 * would need a filter of its own, and every filter costs every later
 * memory system call.
 */
static int emul_begin(void)
{
	const char *v = getenv("LIBMSEAL_FALLBACK");

	if (!v || strcmp(v, "seccomp") != 0 ||
	    mseal_fallback_enable(LIBMSEAL_FALLBACK_SECCOMP) != 0)
		return 0;
	shim_policy.dlopen_mode = SHIM_DLOPEN_NONE;
	if (!env_flag("LIBMSEAL_FALLBACK_CHILDREN")) {
		/* descendants keep the shim but not the fallback; the array
		 * is edited in place because programs such as bash bring
		 * their own unsetenv(), blind to environ before main() */
		char **in = environ, **out = environ;

		for (; *in; in++)
			if (strncmp(*in, "LIBMSEAL_FALLBACK=", 18) != 0)
				*out++ = *in;
		*out = NULL;
	}
	return 1;
}

/* Commit what was recorded: 0 or a count, or -errno (said on stderr;
 * --strict stops the program). */
static int emul_commit(int on)
{
	int rc = on ? mseal_fallback_commit() : 0;

	if (rc < 0 && shim_policy.strict) {
		fprintf(stderr, "libmseal: strict: emulated sealing failed: "
			"%s; stopping before main\n", strerror(-rc));
		_exit(125);
	}
	if (rc < 0)
		fprintf(stderr, "libmseal: emulated sealing failed: %s; the "
			"program runs unsealed\n", strerror(-rc));
	return rc;
}

/* The report's emulation part: the ranges the filter holds. */
static void emul_report(int on, int rc)
{
	FILE *f = stderr;
	uint64_t s, e;
	unsigned int fl;

	if (!on || !shim_policy.report)
		return;
	if (strcmp(shim_policy.report, "-") != 0)
		f = fopen(shim_policy.report, "ae");
	if (!f)
		return;
	if (shim_policy.json)
		fprintf(f, "{\"pid\":%d,\"phase\":\"emulation\",\"status\":%d,"
			"\"filters\":%d,\"ranges\":[", (int)getpid(),
			rc < 0 ? rc : 0, mseal_fallback_filters());
	else
		fprintf(f, "libmseal: pid %d emulation: seccomp filter(s) %d, "
			"status %s\n", (int)getpid(), mseal_fallback_filters(),
			rc < 0 ? strerror(-rc) : "ok");
	for (size_t i = 0; mseal_fallback_range(i, &s, &e, &fl) == 1; i++) {
		if (shim_policy.json)
			/* addresses as the startup document writes them */
			fprintf(f, "%s{\"start\":\"0x%llx\",\"end\":\"0x%llx\","
				"\"committed\":%s}", i ? "," : "",
				(unsigned long long)s, (unsigned long long)e,
				fl & LIBMSEAL_FALLBACK_COMMITTED ? "true" :
								   "false");
		else
			fprintf(f, "libmseal:   %-14s 0x%llx-0x%llx\n",
				fl & LIBMSEAL_FALLBACK_COMMITTED ?
					"emulated" : "not-committed",
				(unsigned long long)s, (unsigned long long)e);
	}
	if (shim_policy.json)
		fputs("]}\n", f);
	if (f != stderr)
		fclose(f);
	else
		fflush(f);
}
/* end of emulation (issue 6) ---------------------------------------- */

__attribute__((constructor)) static void shim_init(void)
{
	struct mseal_report *report = NULL;
	double t0, t1;
	int err, emul, erc; /* emul, erc: emulation (issue 6) */

	shim_policy_init();
	emul = emul_begin(); /* emulation (issue 6) */
	if (env_flag("LIBMSEAL_NO_CHILDREN"))
		leave_environment();
	if (!shim_policy.report && !shim_policy.debug && !shim_policy.strict) {
		seal_quietly();
		emul_commit(emul); /* emulation (issue 6) */
		return;
	}
	t0 = now_usec();
	err = mseal_image(&shim_policy.opts, &report);
	erc = emul_commit(emul); /* emulation (issue 6) */
	t1 = now_usec();
	if (err < 0) {
		/* strict: its own line alone, no line of the default mode */
		if (shim_policy.strict)
			strict_refuse(NULL, err);
		fprintf(stderr, "libmseal: sealing at startup failed: %s\n",
			strerror(-err));
		return;
	}
	shim_emit(report, "startup", t1 - t0);
	emul_report(emul, erc); /* emulation (issue 6) */
	if (report->reason != LIBMSEAL_REASON_SUPPORTED && !shim_policy.strict)
		note_unavailable(report->reason);
	if (shim_policy.strict && (report->status < 0 ||
				   report->ranges_failed > 0 ||
				   report->reason != LIBMSEAL_REASON_SUPPORTED))
		strict_refuse(report, 0);
	mseal_report_free(report);
}
