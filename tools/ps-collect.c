// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Gather one process's mappings through the library's maps reader and sum
 * them by object class. The reader already re-reads a torn smaps; the
 * address order is checked again here so that a mapping can never be
 * counted twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "ps-collect.h"
#include "seccomp-status.h"

static const char *root_of(const char *proc_root)
{
	return proc_root ? proc_root : "/proc";
}

void proc_comm(const char *proc_root, int pid, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "%s/%d/comm", root_of(proc_root), pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	if (n <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	/* The kernel ends the name with one newline; the name itself may
	 * hold any byte but NUL (prctl PR_SET_NAME), a newline too. */
	if (buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
}

static void read_exe(const char *proc_root, int pid, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%d/exe", root_of(proc_root), pid);
	n = readlink(path, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
}

static void note_vdso(struct proc_info *pi, const struct mseal_region *r)
{
	int s = r->sealed ? VDSO_YES : VDSO_NO;

	if (pi->vdso == VDSO_NONE)
		pi->vdso = s;
	else if (pi->vdso != s)
		pi->vdso = VDSO_PARTLY;
}

static int walk(struct mseal_maps *maps, struct classifier *cl,
		struct proc_info *pi)
{
	const struct mseal_region *r;
	uint64_t last_end = 0;
	int rc;

	while ((rc = mseal_maps_next(maps, &r)) == 1) {
		uint64_t bytes[CLS_N] = { 0 };

		if (r->start < last_end || r->end < r->start)
			return -EAGAIN; /* never count a mapping twice */
		last_end = r->end;
		pi->maps++;
		pi->mapped += r->end - r->start;
		if (r->sealed) {
			pi->sealed_maps++;
			pi->sealed_bytes += r->end - r->start;
		}
		if (strcmp(r->path, "[vdso]") == 0)
			note_vdso(pi, r);
		classify_region(cl, r, bytes);
		for (int i = 0; i < CLS_N; i++) {
			pi->total[i] += bytes[i];
			if (r->sealed)
				pi->sealed[i] += bytes[i];
		}
	}
	return rc;
}

int proc_collect(const char *proc_root, int pid, struct elf_cache *cache,
		 struct proc_info *pi)
{
	struct mseal_maps *maps = NULL;
	struct classifier *cl;
	int rc;

	memset(pi, 0, sizeof(*pi));
	pi->pid = pid;
	pi->vdso = VDSO_NONE;
	proc_comm(proc_root, pid, pi->comm, sizeof(pi->comm));
	read_exe(proc_root, pid, pi->exe, sizeof(pi->exe));
	if (seccomp_status(proc_root, pid, &pi->seccomp_mode,
			   &pi->seccomp_filters) < 0)
		pi->seccomp_mode = pi->seccomp_filters = -1;
	rc = mseal_maps_open(pid, proc_root, 0, &maps);
	if (rc == -ENOENT)
		rc = -ESRCH;
	if (rc < 0)
		return rc;
	cl = classifier_new(cache, proc_root, pid);
	if (!cl) {
		mseal_maps_free(maps);
		return -ENOMEM;
	}
	rc = walk(maps, cl, pi);
	classifier_free(cl);
	mseal_maps_free(maps);
	return rc < 0 ? rc : 0;
}

uint64_t proc_image_sealed(const struct proc_info *pi)
{
	return pi->sealed[CLS_TEXT] + pi->sealed[CLS_RODATA] +
	       pi->sealed[CLS_RELRO] + pi->sealed[CLS_RO];
}

uint64_t proc_image_total(const struct proc_info *pi)
{
	return pi->total[CLS_TEXT] + pi->total[CLS_RODATA] +
	       pi->total[CLS_RELRO] + pi->total[CLS_RO];
}

/* Scan a kernel config for the option; gzread handles plain files too. */
static const char *scan_config(const char *path)
{
	static const char key[] = "CONFIG_MSEAL_SYSTEM_MAPPINGS=";
	const char *result = "n"; /* absent or "# ... is not set" */
	char line[512];
	gzFile f = gzopen(path, "rb");

	if (!f)
		return NULL;
	while (gzgets(f, line, sizeof(line))) {
		if (strncmp(line, key, sizeof(key) - 1) == 0) {
			result = line[sizeof(key) - 1] == 'y' ? "y" : "n";
			break;
		}
	}
	gzclose(f);
	return result;
}

const char *kernel_config_mseal_system(const char *proc_root,
				       const char **source)
{
	static char path[PATH_MAX];
	struct utsname u;
	const char *v;

	snprintf(path, sizeof(path), "%s/config.gz", root_of(proc_root));
	v = access(path, R_OK) == 0 ? scan_config(path) : NULL;
	if (!v && strcmp(root_of(proc_root), "/proc") == 0 && uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		v = access(path, R_OK) == 0 ? scan_config(path) : NULL;
	}
	*source = v ? path : NULL;
	return v;
}
