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

/*
 * The LIBMSEAL_VMF_* bit of each two-letter code (see the MAPS-VMFLAGS
 * table), plus one, indexed by the two letters: a lookup, not a search,
 * for the several codes of every mapping.
 */
#define VMF(a, b, bit) [((a) - 'a') * 26 + ((b) - 'a')] = (bit) + 1
static const unsigned char vmflag_index[26 * 26] = {
	VMF('r', 'd', 0), VMF('w', 'r', 1), VMF('e', 'x', 2), VMF('s', 'h', 3),
	VMF('m', 'r', 4), VMF('m', 'w', 5), VMF('m', 'e', 6), VMF('m', 's', 7),
	VMF('g', 'd', 8), VMF('p', 'f', 9), VMF('d', 'w', 10),
	VMF('l', 'o', 11), VMF('i', 'o', 12), VMF('s', 'r', 13),
	VMF('r', 'r', 14), VMF('d', 'c', 15), VMF('d', 'e', 16),
	VMF('a', 'c', 17), VMF('n', 'r', 18), VMF('h', 't', 19),
	VMF('s', 'f', 20), VMF('n', 'l', 21), VMF('a', 'r', 22),
	VMF('w', 'f', 23), VMF('d', 'd', 24), VMF('s', 'd', 25),
	VMF('m', 'm', 26), VMF('h', 'g', 27), VMF('n', 'h', 28),
	VMF('m', 'g', 29), VMF('u', 'm', 30), VMF('u', 'w', 31),
	VMF('u', 'i', 32), VMF('s', 's', 33), VMF('s', 'l', 34),
	VMF('l', 'f', 35), VMF('d', 'p', 36), VMF('g', 'u', 37),
	VMF('b', 't', 38), VMF('m', 't', 39), VMF('m', 'p', 40),
};
#undef VMF

static const char deleted_suffix[] = " (deleted)";

uint64_t libmseal_vmflag_bit(const char *code, size_t len)
{
	unsigned int bit;

	if (len != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' ||
	    code[1] > 'z')
		return 0;
	bit = vmflag_index[(code[0] - 'a') * 26 + (code[1] - 'a')];
	return bit ? UINT64_C(1) << (bit - 1) : 0;
}

/* Hex digit values plus one (0: not a hex digit). */
static const unsigned char hex_digit[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int hexval(char c)
{
	return (int)hex_digit[(unsigned char)c] - 1;
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
	char *s = *p;

	if ((s[0] != 'r' && s[0] != '-') || (s[1] != 'w' && s[1] != '-') ||
	    (s[2] != 'x' && s[2] != '-') || (s[3] != 's' && s[3] != 'p'))
		return -EINVAL;
	memcpy(perms, s, 4);
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
	if (p[0] != 'k' || p[1] != 'B' || p[2] || kb > UINT64_MAX / 1024)
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
		size_t len = 0;
		uint64_t bit;

		while (p[len] && p[len] != ' ' && p[len] != '\t')
			len++;
		bit = libmseal_vmflag_bit(p, len);

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
		while (*p == ' ' || *p == '\t')
			p++;
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
	/* The bytes of a key: [A-Za-z0-9_]. A table, as this loop runs over
	 * every body line of the file. */
	static const unsigned char key_char[256] = {
		['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
		['_'] = 1,
	};
	const unsigned char *k = (const unsigned char *)line;
	char *colon;

	/* Four at a time; && stops at the first non-key byte, so nothing
	 * past the line's NUL is read. */
	while (key_char[k[0]] && key_char[k[1]] && key_char[k[2]] &&
	       key_char[k[3]])
		k += 4;
	while (key_char[*k])
		k++;
	colon = line + (k - (const unsigned char *)line);
	if (colon == line || *colon != ':' || !r)
		return -EINVAL;
	/*
	 * Other fields (Pss, THPeligible, ...) are not part of the record.
	 * The key's length picks the one candidate to compare: a smaps
	 * entry has about 25 body lines, and all but four are skipped.
	 */
	switch (colon - line) {
	case 3:
		if (memcmp(line, "Rss", 3) == 0)
			return parse_kb(colon + 1, &r->rss);
		break;
	case 4:
		if (memcmp(line, "Swap", 4) == 0)
			return parse_kb(colon + 1, &r->swap);
		break;
	case 6:
		if (memcmp(line, "Locked", 6) == 0)
			return parse_kb(colon + 1, &r->locked);
		break;
	case 7:
		if (memcmp(line, "VmFlags", 7) == 0)
			parse_vmflags(colon + 1, r, pool);
		break;
	}
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
