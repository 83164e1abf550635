/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Paths in JSON, one representation wherever libmseal writes one: a path
 * is bytes, a JSON string is Unicode text. Each byte that does not belong
 * to a valid UTF-8 sequence becomes the four characters \xHH (lower-case
 * hex), so `mseal maps -J` (through libsmartcols) and the preload shim's
 * JSON report (by itself) give the same string for the same bytes.
 *
 * Compiled into the CLI and the preload shim (src/meson.build), hidden in
 * each; not part of libmseal. No malloc, no stdio: the shim runs inside
 * arbitrary programs.
 */
#ifndef LIBMSEAL_PATH_ESCAPE_H
#define LIBMSEAL_PATH_ESCAPE_H

#include <stddef.h>

/* Also JSON-escape what the string needs (", \, control characters), so
 * the output goes between quotes as it is; without it the output is text
 * for libsmartcols, which does that part itself. */
#define LIBMSEAL_PATH_JSON 1u

/* Bytes one libmseal_path_escape_step() writes at most ("\u001f"). */
#define LIBMSEAL_PATH_STEP_MAX 6

/*
 * Length of the UTF-8 sequence at @s (1-4 bytes), or 0 when it is not
 * one: no overlong forms, no surrogates, nothing above U+10FFFF (RFC
 * 3629). @s[0] must not be NUL; a NUL inside a sequence ends it (0).
 */
__attribute__((visibility("hidden")))
size_t libmseal_utf8_len(const unsigned char *s);

/*
 * Escape the character at *@p (not its terminating NUL) into @out
 * (LIBMSEAL_PATH_STEP_MAX bytes; no NUL written) and move *@p past it.
 * @flags: 0 or LIBMSEAL_PATH_JSON. Returns the bytes written.
 */
__attribute__((visibility("hidden")))
size_t libmseal_path_escape_step(const char **p, char *out,
				 unsigned int flags);

/*
 * The whole of @path escaped into @out, followed by a NUL, when @out is
 * not NULL (it needs LIBMSEAL_PATH_STEP_MAX * strlen(@path) + 1 bytes at
 * most, or the returned length + 1). Returns the length without the NUL;
 * with @flags 0 it equals strlen(@path) exactly when @path is valid UTF-8.
 */
__attribute__((visibility("hidden")))
size_t libmseal_path_escape(char *out, const char *path, unsigned int flags);

#endif
