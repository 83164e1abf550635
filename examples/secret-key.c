// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A key kept in secret memory: locked (never swapped), out of core dumps,
 * wiped in forked children, between sealed guard pages, closed
 * (PROT_NONE) between uses, and wiped when freed.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmseal.h>

#define KEY_BYTES 32

/* A toy keyed checksum: the point is where the key lives, not the MAC. */
static unsigned long mac(const unsigned char *key, const char *msg)
{
	unsigned long h = 1469598103934665603ul;

	for (size_t i = 0; msg[i]; i++)
		h = (h ^ (unsigned char)msg[i] ^ key[i % KEY_BYTES]) *
		    1099511628211ul;
	return h;
}

int main(void)
{
	unsigned char *key;
	int rc, status;
	pid_t pid;

	/* Pages of its own, so it can be closed between uses. */
	rc = mseal_secret_alloc(KEY_BYTES, LIBMSEAL_SECRET_PAGES,
				(void **)&key);
	if (rc < 0) {
		fprintf(stderr, "secret-key: alloc: %s\n", strerror(-rc));
		return 1;
	}
	if (rc == LIBMSEAL_SEALED_UNAVAILABLE)
		fprintf(stderr, "secret-key: guards not sealed: %s\n",
			mseal_reason_string(mseal_unsupported_reason()));
	if (getrandom(key, KEY_BYTES, 0) != KEY_BYTES)
		return 1;
	mseal_secret_protect(key, PROT_NONE);

	/* Use: open read-only, compute, close again. */
	mseal_secret_protect(key, PROT_READ);
	printf("mac(\"hello\") = %016lx\n", mac(key, "hello"));
	mseal_secret_protect(key, PROT_NONE);

	/* A forked child never sees the key: it reads zeros. */
	pid = fork();
	if (pid == 0) {
		static const unsigned char zero[KEY_BYTES];

		mseal_secret_protect(key, PROT_READ);
		_exit(memcmp(key, zero, KEY_BYTES) == 0 ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "secret-key: the child saw the key\n");
		return 1;
	}
	printf("forked child read zeros\n");

	/* Wiped; the slot is kept for the next secret. */
	rc = mseal_secret_free(key);
	if (rc < 0) {
		fprintf(stderr, "secret-key: free: %s\n", strerror(-rc));
		return 1;
	}
	return 0;
}
