// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Path bytes to JSON-safe text (path-escape.h). Written by hand, byte by
 * byte into the caller's buffer: the preload shim cannot rely on malloc
 * or stdio from wherever it runs, and `mseal maps` formats one cell per
 * mapping of tables with 10,000 of them.
 */
#include "path-escape.h"

static const char hex[] = "0123456789abcdef";

size_t libmseal_utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 :
		   s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) ||
	    (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) ||
	    (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

/* The JSON form of the ASCII character @c (RFC 8259 section 7): the
 * two-character escapes where there is one, else \u00XX below 0x20. */
static size_t json_ascii(unsigned char c, char *out)
{
	char e;

	switch (c) {
	case '"': e = '"'; break;
	case '\\': e = '\\'; break;
	case '\b': e = 'b'; break;
	case '\f': e = 'f'; break;
	case '\n': e = 'n'; break;
	case '\r': e = 'r'; break;
	case '\t': e = 't'; break;
	default:
		if (c >= 0x20) {
			out[0] = (char)c;
			return 1;
		}
		out[0] = '\\';
		out[1] = 'u';
		out[2] = '0';
		out[3] = '0';
		out[4] = hex[c >> 4];
		out[5] = hex[c & 0xf];
		return 6;
	}
	out[0] = '\\';
	out[1] = e;
	return 2;
}

size_t libmseal_path_escape_step(const char **p, char *out,
				 unsigned int flags)
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t n = libmseal_utf8_len(s), w = 0;

	if (n == 1 && (flags & LIBMSEAL_PATH_JSON)) {
		*p += 1;
		return json_ascii(s[0], out);
	}
	if (n) {
		for (size_t i = 0; i < n; i++)
			out[i] = (char)s[i];
		*p += n;
		return n;
	}
	/* Not UTF-8: the four characters \xHH; in JSON the backslash is
	 * itself escaped, so the parsed string holds those four. */
	out[w++] = '\\';
	if (flags & LIBMSEAL_PATH_JSON)
		out[w++] = '\\';
	out[w++] = 'x';
	out[w++] = hex[s[0] >> 4];
	out[w++] = hex[s[0] & 0xf];
	*p += 1;
	return w;
}

size_t libmseal_path_escape(char *out, const char *path, unsigned int flags)
{
	char step[LIBMSEAL_PATH_STEP_MAX];
	size_t len = 0;

	while (*path) {
		size_t n = libmseal_path_escape_step(&path, step, flags);

		if (out)
			for (size_t i = 0; i < n; i++)
				out[len + i] = step[i];
		len += n;
	}
	if (out)
		out[len] = '\0';
	return len;
}
