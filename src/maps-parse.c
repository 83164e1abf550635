// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The /proc/PID/smaps text -> struct mseal_region records.
 *
 * A header line is "start-end perms offset major:minor inode [path]", as
 * fs/proc/task_mmu.c prints it: addresses, offset and device numbers in
 * hex (any width: "103:03" is major 0x103), the inode in decimal, then
 * padding and the path. The path runs to the end of the line and is kept
 * byte for byte (spaces, trailing spaces, "\012"): the kernel does not
 * escape backslashes, so decoding would be ambiguous (field reports R27,
 * R33). Body lines are "Key: value"; they belong to the header above them,
 * whatever padding that header had (R30).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "maps-parse.h"

static const char empty[] = "";

/* Codes in LIBMSEAL_VMF_* bit order; see the MAPS-VMFLAGS table. */
static const char vmflag_codes[][3] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf", "dw",
	"lo", "io", "sr", "rr", "dc", "de", "ac", "nr", "ht", "sf", "nl",
	"ar", "wf", "dd", "sd", "mm", "hg", "nh", "mg", "um", "uw", "ui",
	"ss", "sl", "lf", "dp", "gu", "bt", "mt", "mp",
};

static const char deleted_suffix[] = " (deleted)";

uint64_t libmseal_vmflag_bit(const char *code, size_t len)
{
	if (len != 2)
		return 0;
	for (size_t i = 0; i < sizeof(vmflag_codes) / sizeof(vmflag_codes[0]);
	     i++)
		if (code[0] == vmflag_codes[i][0] &&
		    code[1] == vmflag_codes[i][1])
			return UINT64_C(1) << i;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits at *p into *ret, at most @max; at least one digit. */
static int parse_hex(char **p, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;
	char *s = *p;
	int d;

	if (hexval(*s) < 0)
		return -EINVAL;
	for (; (d = hexval(*s)) >= 0; s++) {
		if (v > (max - (uint64_t)d) / 16)
			return -EINVAL;
		v = v * 16 + (uint64_t)d;
	}
	*p = s;
	*ret = v;
	return 0;
}

/* Decimal digits at *p into *ret; at least one digit, no overflow. */
static int parse_dec(char **p, uint64_t *ret)
{
	uint64_t v = 0;
	char *s = *p;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*p = s;
	*ret = v;
	return 0;
}

static int expect(char **p, char c)
{
	if (**p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

static int parse_perms(char **p, char perms[5])
{
	static const char allowed[4][3] = { "r-", "w-", "x-", "sp" };
	char *s = *p;

	for (int i = 0; i < 4; i++) {
		if (!s[i] || !strchr(allowed[i], s[i]))
			return -EINVAL;
		perms[i] = s[i];
	}
	perms[4] = '\0';
	*p = s + 4;
	return 0;
}

/*
 * On a live process, a path ending in " (deleted)" may be a file really
 * named so (R27): it is when that full name stat()s to the mapping's own
 * device and inode.
 */
static int really_named_deleted(const char *live_root,
				const struct mseal_region *r)
{
	struct stat st;
	size_t n = strlen(live_root) + strlen(r->path) + 1;
	char *full = malloc(n);
	int same;

	if (!full)
		return 0;
	strcpy(full, live_root);
	strcat(full, r->path);
	same = stat(full, &st) == 0 && st.st_ino == r->inode &&
	       major(st.st_dev) == r->dev_major &&
	       minor(st.st_dev) == r->dev_minor;
	free(full);
	return same;
}

static void strip_deleted(char *path, struct mseal_region *r,
			  const char *live_root)
{
	size_t len = strlen(path);
	size_t slen = sizeof(deleted_suffix) - 1;

	if (len < slen || strcmp(path + len - slen, deleted_suffix) != 0)
		return;
	if (live_root && path[0] == '/' && really_named_deleted(live_root, r))
		return;
	path[len - slen] = '\0';
	r->deleted = 1;
}

/* A header line into @r (whose other fields the caller has reset). */
static int parse_header(char *line, struct mseal_region *r,
			const char *live_root)
{
	uint64_t major, minor;
	char *p = line;

	if (parse_hex(&p, UINT64_MAX, &r->start) || expect(&p, '-') ||
	    parse_hex(&p, UINT64_MAX, &r->end) || expect(&p, ' ') ||
	    parse_perms(&p, r->perms) || expect(&p, ' ') ||
	    parse_hex(&p, UINT64_MAX, &r->offset) || expect(&p, ' ') ||
	    parse_hex(&p, UINT32_MAX, &major) || expect(&p, ':') ||
	    parse_hex(&p, UINT32_MAX, &minor) || expect(&p, ' ') ||
	    parse_dec(&p, &r->inode))
		return -EINVAL;
	if (r->end <= r->start)
		return -EINVAL;
	r->dev_major = (unsigned int)major;
	r->dev_minor = (unsigned int)minor;
	if (*p && *p != ' ')
		return -EINVAL;
	/* Padding up to the path column, or trailing spaces when none. */
	while (*p == ' ')
		p++;
	r->path = *p ? p : empty;
	if (*p)
		strip_deleted(p, r, live_root);
	return 0;
}

/* "   123 kB" -> bytes. */
static int parse_kb(char *value, uint64_t *ret)
{
	uint64_t kb;
	char *p = value;

	while (*p == ' ' || *p == '\t')
		p++;
	if (parse_dec(&p, &kb))
		return -EINVAL;
	while (*p == ' ')
		p++;
	if (strcmp(p, "kB") != 0 || kb > UINT64_MAX / 1024)
		return -EINVAL;
	*ret = kb * 1024;
	return 0;
}

/* The VmFlags value: raw (trimmed), known bits, unknown codes, sealed. */
static void parse_vmflags(char *value, struct mseal_region *r, char **pool)
{
	char *end, *unknown = *pool;
	char *p = value;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	r->vmflags = *p ? p : empty;
	r->vmflags_known = 0;
	r->sealed = 0;
	**pool = '\0';
	while (*p) {
		size_t len = strcspn(p, " \t");
		uint64_t bit = libmseal_vmflag_bit(p, len);

		if (len == 2 && p[0] == 's' && p[1] == 'l')
			r->sealed = 1;
		if (bit) {
			r->vmflags_known |= bit;
		} else {
			if (*pool != unknown)
				*(*pool)++ = ' ';
			memcpy(*pool, p, len);
			*pool += len;
		}
		p += len;
		p += strspn(p, " \t");
	}
	if (*pool == unknown) {
		r->vmflags_unknown = empty;
		return;
	}
	*(*pool)++ = '\0';
	r->vmflags_unknown = unknown;
}

/* A "Key: value" line for the current region @r. */
static int parse_body(char *line, struct mseal_region *r, char **pool)
{
	char *colon = line;

	while ((*colon >= 'A' && *colon <= 'Z') ||
	       (*colon >= 'a' && *colon <= 'z') ||
	       (*colon >= '0' && *colon <= '9') || *colon == '_')
		colon++;
	if (colon == line || *colon != ':' || !r)
		return -EINVAL;
	*colon = '\0';
	if (strcmp(line, "Rss") == 0)
		return parse_kb(colon + 1, &r->rss);
	if (strcmp(line, "Swap") == 0)
		return parse_kb(colon + 1, &r->swap);
	if (strcmp(line, "Locked") == 0)
		return parse_kb(colon + 1, &r->locked);
	if (strcmp(line, "VmFlags") == 0)
		parse_vmflags(colon + 1, r, pool);
	/* Other fields (Pss, THPeligible, ...) are not part of the record. */
	return 0;
}

/* A header starts with hex digits and a '-'; body keys never do. */
static int is_header(const char *line)
{
	const char *p = line;

	while (hexval(*p) >= 0)
		p++;
	return p != line && *p == '-';
}

static struct mseal_region *new_region(struct libmseal_smaps *out,
				       size_t *cap)
{
	struct mseal_region *r;

	if (out->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		void *grown;

		if (ncap > SIZE_MAX / sizeof(*r))
			return NULL;
		grown = realloc(out->regions, ncap * sizeof(*r));
		if (!grown)
			return NULL;
		out->regions = grown;
		*cap = ncap;
	}
	r = &out->regions[out->n++];
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->path = r->vmflags = r->vmflags_unknown = empty;
	return r;
}

static int parse_line(char *line, struct libmseal_smaps *out, size_t *cap,
		      const char *live_root, char **pool)
{
	struct mseal_region *r = out->n ? &out->regions[out->n - 1] : NULL;
	int rc;

	if (!*line)
		return 0;
	if (!is_header(line))
		return parse_body(line, r, pool);
	r = new_region(out, cap);
	if (!r)
		return -ENOMEM;
	rc = parse_header(line, r, live_root);
	if (rc)
		return rc;
	/* Overlapping or decreasing: the map changed between two reads. */
	if (out->n > 1 && r->start < out->regions[out->n - 2].end)
		return -EAGAIN;
	return 0;
}

int libmseal_smaps_parse(char *buf, size_t len, const char *live_root,
			 struct libmseal_smaps *out)
{
	size_t cap = 0;
	char *line = buf, *end = buf + len, *pool;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (memchr(buf, '\0', len))
		return -EINVAL;
	/* Unknown codes are copied from the text, so the text's size bounds
	 * them all. */
	out->pool = malloc(len + 1);
	if (!out->pool)
		return -ENOMEM;
	pool = out->pool;
	while (line < end && rc == 0) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		char *next = nl ? nl + 1 : end;

		if (nl)
			*nl = '\0';
		else
			*end = '\0'; /* the caller's buffer has room for it */
		rc = parse_line(line, out, &cap, live_root, &pool);
		line = next;
	}
	if (rc)
		libmseal_smaps_release(out);
	return rc;
}

void libmseal_smaps_release(struct libmseal_smaps *smaps)
{
	free(smaps->regions);
	free(smaps->pool);
	memset(smaps, 0, sizeof(*smaps));
}
