// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The path escape the preload shim's JSON report and `mseal maps -J` share
 * (src/path-escape.c), on its own (suite image): exact output for each
 * kind of byte, and the invariant that ties the two users together: the
 * JSON form, parsed by Python's json module, is the text form the CLI
 * hands libsmartcols.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path-escape.h"

static char *esc(const char *in, unsigned int flags)
{
	size_t len = libmseal_path_escape(NULL, in, flags);
	char *out = malloc(LIBMSEAL_PATH_STEP_MAX * strlen(in) + 1);

	cr_assert(out);
	memset(out, '#', LIBMSEAL_PATH_STEP_MAX * strlen(in) + 1);
	cr_assert_eq(libmseal_path_escape(out, in, flags), len);
	cr_assert_eq(strlen(out), len, "%s", out);
	return out;
}

static void check(const char *in, const char *text, const char *json)
{
	char *t = esc(in, 0), *j = esc(in, LIBMSEAL_PATH_JSON);

	cr_assert_str_eq(t, text);
	cr_assert_str_eq(j, json);
	cr_assert_eq(strlen(t) == strlen(in), strcmp(t, in) == 0);
	free(t);
	free(j);
}

Test(path_escape, utf8_kept_other_bytes_hex)
{
	check("/usr/lib/libc.so.6", "/usr/lib/libc.so.6",
	      "/usr/lib/libc.so.6");
	check("/opt/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80",
	      "/opt/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80",
	      "/opt/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80");
	check("lib\xff\xfe.so", "lib\\xff\\xfe.so", "lib\\\\xff\\\\xfe.so");
	/* overlong '/', a surrogate, above U+10FFFF, a bare continuation */
	check("\xc0\xaf", "\\xc0\\xaf", "\\\\xc0\\\\xaf");
	check("\xed\xa0\x80", "\\xed\\xa0\\x80", "\\\\xed\\\\xa0\\\\x80");
	check("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",
	      "\\\\xf4\\\\x90\\\\x80\\\\x80");
	check("a\x80" "b", "a\\x80b", "a\\\\x80b");
	/* a sequence cut short by the end of the string, or by ASCII */
	check("x\xe2\x82", "x\\xe2\\x82", "x\\\\xe2\\\\x82");
	check("\xe2(", "\\xe2(", "\\\\xe2(");
}

Test(path_escape, json_escapes_quote_backslash_controls)
{
	check("a\"b\\c", "a\"b\\c", "a\\\"b\\\\c");
	check("\b\f\n\r\t", "\b\f\n\r\t", "\\b\\f\\n\\r\\t");
	check("\x01\x1f\x7f", "\x01\x1f\x7f", "\\u0001\\u001f\x7f");
	check("", "", "");
}

/* Every byte 1-255, then pairs and triples that start sequences: the JSON
 * form parses (strictly) to exactly the text form. */
Test(path_escape, json_form_parses_to_text_form)
{
	char in[1024], file[] = "/tmp/mseal-escape-XXXXXX";
	size_t n = 0;
	char *t, *j, cmd[256];
	FILE *f;
	int fd, rc;

	for (int c = 1; c < 256; c++)
		in[n++] = (char)c;
	for (int c = 0xc0; c < 0x100 && n + 8 < sizeof(in); c += 3) {
		in[n++] = (char)c;
		in[n++] = (char)0x9f;
		in[n++] = (char)0xbf;
		in[n++] = 'z';
	}
	in[n] = '\0';
	t = esc(in, 0);
	j = esc(in, LIBMSEAL_PATH_JSON);
	fd = mkstemp(file);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fprintf(f, "\"%s\"\n%s", j, t);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c 'import json, sys; "
		 "d = open(sys.argv[1], \"rb\").read(); i = d.index(b\"\\n\"); "
		 "sys.exit(json.loads(d[:i]).encode() != d[i + 1:])' %s", file);
	rc = system(cmd);
	unlink(file);
	cr_assert_eq(rc, 0, "python3 json check: %d", rc);
	free(t);
	free(j);
}
