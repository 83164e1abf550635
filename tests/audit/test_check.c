// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal check`: every fact it reports, on fixtures built by the tests
 * (hand-written ELF files and objects linked each way), and corrupt files,
 * which must give one clear error each and never a crash or a sanitizer
 * report (this test also runs in the ASan+UBSan build).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit-util.h"

#define FX(name) AUDIT_FIXTURES "/" name
#define FACTS "CLASS,MACHINE,TYPE,PIE,RELRO,BIND-NOW,SEAL-NOTE,PROP-NOTES,EXECSTACK,TEXTREL,GAPS,VERDICT,REASON"

static char *check_raw(const char *file, const char *cols, int *status)
{
	const char *argv[] = { "mseal", "check", "-r", "-n", "-o", cols, file, NULL };
	struct cli_result res;

	run_cli(argv, &res);
	*status = res.status;
	cr_assert(no_sanitizer_report(res.err), "%s", res.err);
	free(res.err);
	return res.out;
}

static void expect_facts(const char *file, const char *cols, const char *want)
{
	int status;
	char *out = check_raw(file, cols, &status);

	cr_expect_eq(status, 0, "exit %d for %s", status, file);
	cr_expect_str_eq(out, want);
	free(out);
}

Test(check, seal_note_in_second_note)
{
	expect_facts(FX("fixture-note2.elf"), FACTS,
		     "ELF64 x86-64 PIE\\x20executable yes full yes "
		     "note\\x202\\x20of\\x202\\x20(loader\\x20reads\\x20only\\x20the\\x20first) "
		     "2 no no 0 caveats memory-seal\\x20property\\x20not\\x20in\\x20the\\x20first"
		     "\\x20note:\\x20the\\x20loader\\x20ignores\\x20it\n");
}

Test(check, seal_note_first_is_sealable)
{
	expect_facts(FX("fixture-note1.elf"), "SEAL-NOTE,PROP-NOTES,RELRO,VERDICT",
		     "yes 2 full sealable\n");
}

Test(check, no_seal_note)
{
	expect_facts(FX("fixture-note0.elf"), "SEAL-NOTE,PROP-NOTES,VERDICT",
		     "no 2 sealable\n");
}

Test(check, json_document)
{
	const char *argv[] = { "mseal", "check", "-J", "-o", "TYPE,PIE,SEAL-NOTE,GAPS",
			       FX("fixture-note1.elf"), NULL };
	struct cli_result res;

	run_cli(argv, &res);
	cr_assert_eq(res.status, 0);
	cr_expect_str_eq(res.out, "{\n   \"files\": [\n      {\n"
			 "         \"type\": \"PIE executable\",\n"
			 "         \"pie\": true,\n"
			 "         \"seal-note\": \"yes\",\n"
			 "         \"gaps\": 0\n      }\n   ]\n}\n");
	cli_result_free(&res);
}

/* Every yes/no column is a JSON boolean: false must come out false. */
Test(check, json_booleans_false)
{
	const char *argv[] = { "mseal", "check", "-J", "-o",
			       "PIE,BIND-NOW,EXECSTACK,TEXTREL,SETUID",
			       FX("fixture-partial.so"), NULL };
	struct cli_result res;

	run_cli(argv, &res);
	cr_assert_eq(res.status, 0);
	cr_expect_str_eq(res.out, "{\n   \"files\": [\n      {\n"
			 "         \"pie\": false,\n"
			 "         \"bind-now\": false,\n"
			 "         \"execstack\": false,\n"
			 "         \"textrel\": false,\n"
			 "         \"setuid\": false\n      }\n   ]\n}\n");
	cli_result_free(&res);
}

/* PT_INTERP alone does not make a PIE: a runnable library has it too. */
Test(check, runnable_library_is_not_pie)
{
	expect_facts(FX("fixture-runnable.so"), "TYPE,PIE",
		     "runnable\\x20shared\\x20library no\n");
	expect_facts(FX("fixture-pie"), "TYPE,PIE",
		     "PIE\\x20executable yes\n");
}

Test(check, relro_none_partial_full)
{
	expect_facts(FX("fixture-norelro.so"), "TYPE,RELRO,BIND-NOW,VERDICT",
		     "shared\\x20library none no caveats\n");
	expect_facts(FX("fixture-partial.so"), "RELRO,BIND-NOW,VERDICT,REASON",
		     "partial no caveats partial\\x20RELRO:\\x20the\\x20lazily"
		     "\\x20bound\\x20GOT\\x20stays\\x20writable\n");
	expect_facts(FX("fixture-full.so"), "RELRO,BIND-NOW,EXECSTACK,TEXTREL,GAPS,VERDICT",
		     "full yes no no 0 sealable\n");
}

Test(check, execstack_textrel_gaps)
{
	expect_facts(FX("fixture-execstack.so"), "EXECSTACK,VERDICT,REASON",
		     "yes caveats executable\\x20stack:\\x20dlopen\\x20of\\x20it\\x20fails"
		     "\\x20once\\x20ld.so's\\x20RELRO\\x20is\\x20sealed\n");
	expect_facts(FX("fixture-textrel.so"), "TEXTREL", "yes\n");
	expect_facts(FX("fixture-gaps.so"), "GAPS,VERDICT", "3 caveats\n");
}

Test(check, pie_and_static)
{
	expect_facts(FX("fixture-pie"), "TYPE,PIE,RELRO,VERDICT",
		     "PIE\\x20executable yes full sealable\n");
	expect_facts(FX("fixture-static"), "TYPE,PIE,VERDICT,REASON",
		     "static\\x20executable no no static:\\x20no\\x20dynamic\\x20loader,"
		     "\\x20so\\x20no\\x20preloaded\\x20shim\n");
}

Test(check, setuid_is_not_sealable)
{
	char path[] = "/tmp/mseal-check-suid-XXXXXX", cmd[256];
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", FX("fixture-pie"), path);
	cr_assert(system(cmd) == 0);
	cr_assert(chmod(path, 04755) == 0);
	expect_facts(path, "SETUID,VERDICT", "yes no\n");
	unlink(path);
}

/* Write @len bytes of the good fixture, patched at @at with @patch. */
static void corrupt(const char *dir, const char *name, size_t len,
		    size_t at, const void *patch, size_t plen, char *out,
		    size_t outlen)
{
	char *good = calloc(1, 65536);
	FILE *f = fopen(FX("fixture-note1.elf"), "r");
	ssize_t n;

	cr_assert(f && good);
	n = (ssize_t)fread(good, 1, 65536, f);
	fclose(f);
	cr_assert(n > 0 && len <= (size_t)n);
	if (patch)
		memcpy(good + at, patch, plen);
	snprintf(out, outlen, "%s/%s", dir, name);
	f = fopen(out, "w");
	cr_assert(f);
	cr_assert(fwrite(good, 1, len, f) == len);
	fclose(f);
	free(good);
}

Test(check, corrupt_files_error_each_and_others_checked)
{
	char dir[] = "/tmp/mseal-check-XXXXXX", files[10][256], cmd[300];
	const unsigned long long huge = 0x7fffffffffffff00ull;
	const unsigned short many = 0xfff0; /* below PN_XNUM */
	const unsigned int big = 0x7ffffff0u;
	const char *argv[24] = { "mseal", "check", "-r", "-n", "-o", "VERDICT" };
	struct cli_result res;
	int k = 0, lines = 0;

	cr_assert(mkdtemp(dir));
	corrupt(dir, "empty", 0, 0, NULL, 0, files[k++], 256);
	corrupt(dir, "short-ehdr", 20, 0, NULL, 0, files[k++], 256);
	corrupt(dir, "short-phdrs", 200, 0, NULL, 0, files[k++], 256);
	corrupt(dir, "phoff", 20480, 32, &huge, 8, files[k++], 256);
	corrupt(dir, "phnum", 20480, 56, &many, 2, files[k++], 256);
	corrupt(dir, "shoff", 20480, 40, &huge, 8, files[k++], 256);
	corrupt(dir, "shnum", 20480, 60, &many, 2, files[k++], 256);
	/* first note's descsz (file offset 0x258 + 4) made huge */
	corrupt(dir, "note", 20480, 0x25c, &big, 4, files[k++], 256);
	/* PT_DYNAMIC (6th program header) p_offset made huge */
	corrupt(dir, "dynamic", 20480, 64 + 5 * 56 + 8, &huge, 8, files[k++], 256);
	snprintf(files[k++], 256, "%s", FX("fixture-note1.elf"));
	for (int i = 0; i < k; i++)
		argv[6 + i] = files[i];
	argv[6 + k] = "/etc/hostname"; /* not ELF */
	argv[7 + k] = NULL;
	run_cli(argv, &res);
	cr_assert(no_sanitizer_report(res.err), "%s", res.err);
	cr_expect_eq(res.status, 1, "status %d\n%s", res.status, res.err);
	cr_expect_str_eq(res.out, "sealable\n");
	for (const char *p = res.err; (p = strstr(p, "mseal: check: ")); p++)
		lines++;
	cr_expect_eq(lines, k, "%s", res.err);
	cr_expect(strstr(res.err, "/empty: not an ELF file"), "%s", res.err);
	cr_expect(strstr(res.err, "/short-phdrs: truncated: program headers run past"),
		  "%s", res.err);
	cr_expect(strstr(res.err, "/phnum: corrupt: implausibly many program headers"),
		  "%s", res.err);
	cr_expect(strstr(res.err, "/shoff: "), "%s", res.err);
	cr_expect(strstr(res.err, "/shnum: "), "%s", res.err);
	cr_expect(strstr(res.err, "/note: corrupt .note.gnu.property note"), "%s", res.err);
	cr_expect(strstr(res.err, "/dynamic: unreadable dynamic segment"), "%s", res.err);
	cr_expect(strstr(res.err, "/etc/hostname: not an ELF file"), "%s", res.err);
	cli_result_free(&res);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect(system(cmd) == 0);
}

Test(check, missing_file_and_directory)
{
	const char *argv[] = { "mseal", "check", "-r", "/nonexistent/x", "/tmp",
			       FX("fixture-full.so"), NULL };
	struct cli_result res;

	run_cli(argv, &res);
	cr_expect_eq(res.status, 1);
	cr_expect(strstr(res.err, "mseal: check: /nonexistent/x: No such file or directory\n"),
		  "%s", res.err);
	cr_expect(strstr(res.err, "mseal: check: /tmp: not a regular file\n"), "%s", res.err);
	cr_expect(strstr(res.out, "fixture-full.so"), "%s", res.out);
	cli_result_free(&res);
}

Test(check, columns_and_usage_errors)
{
	const char *list[] = { "mseal", "check", "-H", NULL };
	const char *bad[] = { "mseal", "check", "-o", "NOPE", FX("fixture-full.so"), NULL };
	const char *none[] = { "mseal", "check", NULL };
	struct cli_result res;

	run_cli(list, &res);
	cr_expect_eq(res.status, 0);
	cr_expect(strstr(res.out, "SEAL-NOTE"));
	cli_result_free(&res);
	run_cli(bad, &res);
	cr_expect_eq(res.status, 1);
	cr_expect_str_eq(res.err, "mseal: check: unknown column 'NOPE' (-H lists them)\n");
	cli_result_free(&res);
	run_cli(none, &res);
	cr_expect_eq(res.status, 1);
	cli_result_free(&res);
}
