/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp emulation of mseal for kernels without it (issue 6; design
 * in research/seccomp-emulation.md). Never installed. emul-bpf.c builds
 * the classic-BPF program, emul-maps.c reads /proc/self/maps for the
 * seal-time checks, emul.c holds the state and the public API.
 */
#ifndef LIBMSEAL_EMUL_H
#define LIBMSEAL_EMUL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

/* A range of bytes [start, end), both page-aligned, end > start. */
struct libmseal_erange {
	uint64_t start;
	uint64_t end;
};

/* Classic BPF allows at most this many instructions per program. */
#define LIBMSEAL_BPF_MAXINSNS 4096

/* The native ABI the generator knows; 0 when it knows none. */
uint32_t libmseal_bpf_native_arch(void);

/*
 * Build the filter for one commit.
 * @sealed:  the ranges to protect against mprotect, pkey_mprotect, munmap,
 *           remap_file_pages, mmap(MAP_FIXED), mremap (source and FIXED
 *           destination) and shmat(SHM_REMAP); any order, may touch or
 *           overlap (they are sorted and merged here).
 * @discard: the subset also protected against discarding madvise
 *           (private, anonymous, read-only when sealed); same rules.
 * @page_size: the kernel's page size; addresses not a multiple of it are
 *           let through so that the kernel answers EINVAL.
 * @ret_prog, @ret_len: on success a malloc()ed program and its length.
 *
 * Return: 0, -EINVAL (a range with end <= start), -ENOMEM, -E2BIG (more
 * than LIBMSEAL_BPF_MAXINSNS instructions), -ENOTSUP (no native ABI).
 */
int libmseal_bpf_generate(const struct libmseal_erange *sealed,
			  size_t n_sealed,
			  const struct libmseal_erange *discard,
			  size_t n_discard, uint64_t page_size,
			  struct sock_filter **ret_prog, size_t *ret_len);

/* Sort @r by start and merge overlapping or touching ranges in place;
 * returns the new count. */
size_t libmseal_erange_merge(struct libmseal_erange *r, size_t n);

/* One mapping of /proc/self/maps, as the emulation needs it. */
struct libmseal_emap {
	uint64_t start, end;
	char perms[5];
	uint64_t inode;
	/* what the emulation concludes about the mapping */
	unsigned int refused : 1;   /* [heap], SysV shm, aio ring, vsyscall */
	unsigned int discard : 1;   /* private, anonymous, not writable */
};

/*
 * Read /proc/self/maps into a malloc()ed array sorted by address.
 * Return: the number of mappings (>= 0) with *@ret_maps set, or -errno.
 */
long libmseal_emaps_read(struct libmseal_emap **ret_maps);

/*
 * Is [start, end) fully covered by @maps?
 * Return: 0 yes, -ENOMEM a hole, -EOPNOTSUPP a refused mapping in range.
 */
int libmseal_emaps_check(const struct libmseal_emap *maps, long n,
			 uint64_t start, uint64_t end);

/* 1 when the process holds an io_uring instance (a descriptor), 0 when
 * not, -errno when /proc/self/fd cannot be read. */
int libmseal_emul_has_io_uring(void);

/* sys.c: mseal_range() routing. 1 when the emulation takes the call. */
int libmseal_emul_active(void);
/* The emulated mseal: kernel-identical argument checks, then recorded
 * until mseal_fallback_commit(). 0 or -errno. */
int libmseal_emul_seal(uintptr_t addr, size_t len, unsigned long flags);

/* sys.c: the raw seccomp(2) call, 0 / positive TSYNC tid / -errno. */
long libmseal_sys_seccomp(unsigned int op, unsigned int flags, void *args);

#endif
