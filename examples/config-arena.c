// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A configuration frozen after parsing: every parsed record is allocated
 * from a write-once arena, then the arena is sealed. Afterwards the
 * configuration can be read but never changed, unmapped or discarded.
 *
 * Usage: config-arena [FILE]   (lines "key = value"; a built-in sample
 * when no FILE is given)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmseal.h>

struct setting {
	const char *key;
	const char *value;
	const struct setting *next;
};

static const char sample[] = "listen = 0.0.0.0:8443\n"
			     "# comments are skipped\n"
			     "workers = 4\n"
			     "tls_ciphers = TLS_AES_256_GCM_SHA384\n";

/* A copy of [s, s + n) in the arena, NUL-terminated; NULL when full. */
static char *arena_strndup(struct mseal_arena *arena, const char *s, size_t n)
{
	char *copy;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (mseal_arena_alloc(arena, n + 1, 1, (void **)&copy) < 0)
		return NULL;
	memcpy(copy, s, n); /* the arena is zero-filled: NUL included */
	return copy;
}

/* Parse one "key = value" line into the arena: 0, 1 skipped, -errno. */
static int parse_line(struct mseal_arena *arena, const char *line,
		      const struct setting **head)
{
	const char *eq = strchr(line, '=');
	struct setting *s;
	int rc;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#' || *line == '\n' || *line == '\0' || !eq)
		return 1;
	rc = mseal_arena_alloc(arena, sizeof(*s), 0, (void **)&s);
	if (rc < 0)
		return rc;
	s->key = arena_strndup(arena, line, (size_t)(eq - line));
	eq++;
	while (*eq == ' ' || *eq == '\t')
		eq++;
	s->value = arena_strndup(arena, eq, strcspn(eq, "\n"));
	if (!s->key || !s->value)
		return -ENOMEM;
	s->next = *head;
	*head = s;
	return 0;
}

int main(int argc, char **argv)
{
	struct mseal_arena *arena = NULL;
	const struct setting *head = NULL;
	char line[1024];
	void *line_end;
	FILE *in;
	int rc;

	in = argc > 1 ? fopen(argv[1], "re") : fmemopen((void *)sample,
							 strlen(sample), "r");
	if (!in) {
		perror("config-arena: open");
		return 1;
	}
	rc = mseal_arena_create(64 * 1024, 0, &arena);
	while (rc >= 0 && fgets(line, sizeof(line), in))
		rc = parse_line(arena, line, &head);
	fclose(in);
	if (rc < 0) {
		fprintf(stderr, "config-arena: parse: %s\n", strerror(-rc));
		return 1;
	}

	/* Parsed: freeze it. */
	rc = mseal_arena_seal(arena);
	if (rc < 0) {
		fprintf(stderr, "config-arena: seal: %s\n", strerror(-rc));
		return 1;
	}
	printf("configuration %s:\n",
	       rc == 0 ? "sealed" : "read-only (sealing unavailable)");
	for (const struct setting *s = head; s; s = s->next)
		printf("  %s = %s\n", s->key, s->value);

	/* Any further allocation is refused. */
	if (mseal_arena_alloc(arena, 1, 0, (void **)&line_end) != -EPERM)
		return 1;
	/* A sealed arena stays mapped for the life of the process. */
	mseal_arena_free(arena);
	return 0;
}
