// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A dispatch table frozen after init: the table of function pointers is
 * chosen at startup, then made read-only and sealed, so no later bug can
 * redirect a call through it (the userspace twin of __ro_after_init).
 *
 * The table fills one page-aligned page of .data of its own, so the rest
 * of .data stays writable.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <libmseal.h>

struct codec {
	const char *name;
	void (*encode)(char *buf);
};

static void encode_upper(char *buf)
{
	for (; *buf; buf++)
		if (*buf >= 'a' && *buf <= 'z')
			*buf = (char)(*buf - 'a' + 'A');
}

static void encode_rot13(char *buf)
{
	for (; *buf; buf++) {
		if (*buf >= 'a' && *buf <= 'z')
			*buf = (char)('a' + (*buf - 'a' + 13) % 26);
		else if (*buf >= 'A' && *buf <= 'Z')
			*buf = (char)('A' + (*buf - 'A' + 13) % 26);
	}
}

#define TABLE_BYTES 4096 /* one page on x86_64 and most ABIs */

/* Page-aligned, page-sized, in .data (initialised): ours to protect. */
static union {
	struct codec codecs[2];
	char page[TABLE_BYTES];
} table __attribute__((aligned(TABLE_BYTES))) = { .codecs = { { "?", 0 } } };

int main(int argc, char **argv)
{
	char text[64] = "Hello, sealed world";
	int rc;

	if (mseal_page_size() != TABLE_BYTES) {
		fprintf(stderr, "dispatch-table: page size is not %d\n",
			TABLE_BYTES);
		return 1;
	}
	/* Init: pick the codecs (here from the command line). */
	table.codecs[0] = (struct codec){ "upper", encode_upper };
	table.codecs[1] = (struct codec){ "rot13", encode_rot13 };
	if (argc > 1 && strcmp(argv[1], "--swap") == 0) {
		struct codec tmp = table.codecs[0];

		table.codecs[0] = table.codecs[1];
		table.codecs[1] = tmp;
	}

	/* Freeze: read-only first, then sealed. */
	rc = mseal_protect_after_init(&table, sizeof(table));
	if (rc < 0) {
		fprintf(stderr, "dispatch-table: protect: %s\n", strerror(-rc));
		return 1;
	}
	if (rc == LIBMSEAL_SEALED_UNAVAILABLE)
		fprintf(stderr, "dispatch-table: read-only, not sealed: %s\n",
			mseal_reason_string(mseal_unsupported_reason()));

	table.codecs[0].encode(text);
	printf("%s: %s\n", table.codecs[0].name, text);

	/* Once sealed, even the owner cannot make it writable again. */
	if (rc == 0 && mprotect(&table, sizeof(table), PROT_READ | PROT_WRITE) == 0) {
		fprintf(stderr, "dispatch-table: sealed table became writable\n");
		return 1;
	}
	if (rc == 0)
		printf("mprotect(PROT_WRITE) on the table: %s\n", strerror(errno));
	return 0;
}
