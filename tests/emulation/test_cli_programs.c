// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The user's path through the emulation (issue 6, "done when"): the built
 * `mseal run` and its preload shim with LIBMSEAL_FALLBACK=seccomp, forced
 * with LIBMSEAL_FORCE_UNSUPPORTED=1, not a test fixture. python3, perl and
 * bash print byte for byte what they print unsealed and exit alike; each
 * reads its own /proc/self/status to show it ran under libmseal's filter;
 * and mprotect on a page of libc's text fails with EPERM in python3 under
 * `mseal run` while the same call succeeds in the unsealed control.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run-util.h"
#include "testutil.h"

static char *const emulated_env[] = {
	"LIBMSEAL_FALLBACK=seccomp", "LIBMSEAL_FORCE_UNSUPPORTED=1", NULL,
};

/* @argv under `mseal run` with the emulation forced. */
static struct ran run_emulated(char *const argv[])
{
	char *wrapped[16] = { (char *)mseal_bin(), "run", "--" };
	int n = 3;

	for (int i = 0; argv[i] && n < 15; i++)
		wrapped[n++] = argv[i];
	wrapped[n] = NULL;
	return run_cmd(wrapped, emulated_env);
}


/* Identical stdout, stderr and exit status, sealed and unsealed. */
static void same_as_plain(char *const argv[], const char *want)
{
	struct ran plain = run_cmd(argv, NULL);
	struct ran sealed = run_emulated(argv);

	cr_assert_eq(plain.status, 0, "%s: %s", argv[0], plain.err);
	cr_assert_str_eq(plain.out, want, "%s", argv[0]);
	cr_assert_eq(sealed.status, plain.status, "%s: %s", argv[0],
		     sealed.err);
	cr_assert_str_eq(sealed.out, plain.out, "%s", argv[0]);
	cr_assert_str_eq(sealed.err, plain.err, "%s", argv[0]);
	ran_free(&plain);
	ran_free(&sealed);
}

/*
 * @argv prints the Seccomp and Seccomp_filters lines of its own status
 * file: under `mseal run` filter mode and one filter more than we have
 * (the shim's single commit), in the unsealed control ours unchanged.
 */
static void runs_under_filter(char *const argv[])
{
	int base = test_seccomp_filters();
	struct ran plain = run_cmd(argv, NULL);
	struct ran sealed = run_emulated(argv);
	char want[96];

	cr_assert_eq(sealed.status, 0, "%s: %s", argv[0], sealed.err);
	snprintf(want, sizeof(want), "Seccomp:\t2\nSeccomp_filters:\t%d\n",
		 base + 1);
	cr_assert_str_eq(sealed.out, want, "%s", argv[0]);
	cr_assert_eq(plain.status, 0, "%s: %s", argv[0], plain.err);
	snprintf(want, sizeof(want), "Seccomp:\t%d\nSeccomp_filters:\t%d\n",
		 base ? 2 : 0, base);
	cr_assert_str_eq(plain.out, want, "%s control", argv[0]);
	ran_free(&plain);
	ran_free(&sealed);
}

Test(cli_programs, python3_identical)
{
	same_as_plain((char *const[]){ "/usr/bin/python3", "-c",
				      "print(6*7)", NULL }, "42\n");
}

Test(cli_programs, perl_identical)
{
	same_as_plain((char *const[]){ "/usr/bin/perl", "-e",
				      "print 6*7, \"\\n\"", NULL }, "42\n");
}

Test(cli_programs, bash_identical)
{
	same_as_plain((char *const[]){ "/bin/bash", "-c", "echo $((6*7))",
				      NULL }, "42\n");
}

Test(cli_programs, python3_runs_under_filter)
{
	runs_under_filter((char *const[]){ "/usr/bin/python3", "-c",
		"print(''.join(l for l in open('/proc/self/status') "
		"if l.startswith('Seccomp')), end='')", NULL });
}

Test(cli_programs, perl_runs_under_filter)
{
	runs_under_filter((char *const[]){ "/usr/bin/perl", "-e",
		"open my $f, '<', '/proc/self/status' or die; "
		"print grep { /^Seccomp/ } <$f>", NULL });
}

/* bash's own builtins read the file: /proc/self is bash, not a child. */
Test(cli_programs, bash_runs_under_filter)
{
	runs_under_filter((char *const[]){ "/bin/bash", "-c",
		"while IFS= read -r l; do case $l in Seccomp*) "
		"printf '%s\\n' \"$l\";; esac; done < /proc/self/status",
		NULL });
}

/*
 * mprotect(PROT_READ|PROT_EXEC) on the page of libc's getpid: the page's
 * own protections, so the unsealed control succeeds and keeps running.
 * The script prints the mapping's permissions and file (a page of libc's
 * text), then the return value and errno name.
 */
static char *const libc_text_probe[] = {
	"/usr/bin/python3", "-c",
	"import ctypes, errno, mmap\n"
	"libc = ctypes.CDLL('libc.so.6', use_errno=True)\n"
	"addr = ctypes.cast(libc.getpid, ctypes.c_void_p).value\n"
	"page = addr & ~(mmap.PAGESIZE - 1)\n"
	"for l in open('/proc/self/maps'):\n"
	"    f = l.split()\n"
	"    lo, hi = (int(x, 16) for x in f[0].split('-'))\n"
	"    if lo <= page < hi:\n"
	"        print(f[1], f[-1].rsplit('/', 1)[-1])\n"
	"libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, "
	"ctypes.c_int]\n"
	"rc = libc.mprotect(page, mmap.PAGESIZE, "
	"mmap.PROT_READ | mmap.PROT_EXEC)\n"
	"e = ctypes.get_errno()\n"
	"print(rc, errno.errorcode[e] if rc else 'ok')\n",
	NULL,
};

Test(cli_programs, python3_libc_text_refuses_mprotect)
{
	struct ran sealed = run_emulated(libc_text_probe);

	cr_assert_eq(sealed.status, 0, "%s", sealed.err);
	cr_assert_str_eq(sealed.out, "r-xp libc.so.6\n-1 EPERM\n");
	cr_assert_str_eq(sealed.err, "");
	ran_free(&sealed);
}

Test(cli_programs, python3_libc_text_mprotect_control)
{
	struct ran plain = run_cmd(libc_text_probe, NULL);

	cr_assert_eq(plain.status, 0, "%s", plain.err);
	cr_assert_str_eq(plain.out, "r-xp libc.so.6\n0 ok\n");
	ran_free(&plain);
}

/* Check a JSON report file with python3's json module; its stdout. */
static char *check_report(const char *file, const char *script)
{
	struct ran v = run_cmd((char *const[]){ "/usr/bin/python3", "-c",
						(char *)script, (char *)file,
						NULL }, NULL);
	char *out = v.out;

	cr_assert_eq(v.status, 0, "%s", v.err);
	free(v.err);
	return out;
}

/* Every line a JSON document; the startup one says how ranges are held,
 * the emulation one writes addresses as the startup one does ("0x..."),
 * and every startup range lies inside a range the filter holds. */
static const char json_check[] =
	"import json, sys\n"
	"docs = [json.loads(l) for l in open(sys.argv[1])]\n"
	"s = [d for d in docs if d['phase'] == 'startup']\n"
	"e = [d for d in docs if d['phase'] == 'emulation']\n"
	"d = s[0]\n"
	"rs = [r for o in d['objects'] for r in o['ranges']]\n"
	"held = [(int(a['start'], 16), int(a['end'], 16))\n"
	"        for x in e for a in x['ranges'] if a['committed']]\n"
	"inside = all(any(lo <= int(r['start'], 16) and\n"
	"                 int(r['end'], 16) <= hi for lo, hi in held)\n"
	"             for r in rs)\n"
	"hexes = all(isinstance(a[k], str) and a[k].startswith('0x')\n"
	"            for x in e for a in x['ranges'] for k in ('start', 'end'))\n"
	"print(len(s), len(e), d['supported'], d['mode'], d['reason'])\n"
	"print(d['mseal_calls'] > 0, d.get('emulated_calls', 0) > 0,\n"
	"      d.get('filters'), sorted({r['status'] for r in rs}),\n"
	"      d['ranges_sealed'] == len(rs), bool(held) and inside, hexes)\n";

static void json_report(char *const env[], const char *want)
{
	char file[] = "/tmp/mseal-emul-report-XXXXXX", opt[64];
	int fd = mkstemp(file);
	struct ran r;
	char *out;

	cr_assert(fd >= 0);
	close(fd);
	snprintf(opt, sizeof(opt), "--report=%s", file);
	r = run_cmd((char *const[]){ (char *)mseal_bin(), "run", "-J", opt,
				     "--", "/usr/bin/python3", "-c", "pass",
				     NULL }, env);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
	out = check_report(file, json_check);
	unlink(file);
	cr_assert_str_eq(out, want);
	free(out);
	ran_free(&r);
}

Test(cli_programs, json_report_says_emulated)
{
	json_report(emulated_env,
		    "1 1 False emulated no native mseal "
		    "(LIBMSEAL_FORCE_UNSUPPORTED is set); ranges are "
		    "protected by libmseal's seccomp emulation\n"
		    "False True 1 ['emulated'] True True True\n");
}

/* control: the native report keeps its words, plus "mode" */
Test(cli_programs, json_report_native_control)
{
	test_require_mseal();
	json_report(NULL, "1 0 True native mseal is supported\n"
			  "True False None ['sealed'] True False True\n");
}

/* The text report: the startup line says emulated and why, each range
 * "emulated", none "sealed"; then the filter's own lines. */
Test(cli_programs, text_report_says_emulated)
{
	struct ran r = run_cmd((char *const[]){ (char *)mseal_bin(), "run",
						"--report", "--", "/bin/true",
						NULL }, emulated_env);
	int ranges = count_lines(r.err, "libmseal:   ");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.err, " startup: emulated: no native mseal "
				 "(LIBMSEAL_FORCE_UNSUPPORTED is set); ranges "
				 "are protected by libmseal's seccomp "
				 "emulation; "), 1, "%s", r.err);
	cr_assert_eq(count_lines(r.err, " emulation: seccomp filter(s) 1, "
				 "status ok"), 1, "%s", r.err);
	cr_assert_eq(count_lines(r.err, "libmseal:   sealed "), 0, "%s", r.err);
	cr_assert_gt(ranges, 0);
	cr_assert_eq(count_lines(r.err, "libmseal:   emulated "), ranges,
		     "%s", r.err);
	ran_free(&r);
}
