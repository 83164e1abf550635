/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmseal: memory sealing (Linux mseal(2)) for real programs.
 *
 * Conventions for every function below:
 *  - a function returns 0 (or a documented non-negative value) on success
 *    and a negative errno on failure; errno itself is not part of the
 *    contract and may be changed by any call;
 *  - results come back through ret_ out-parameters, which are left
 *    untouched on failure;
 *  - the library never prints and never aborts;
 *  - "page" means the running kernel's base page, mseal_page_size() bytes.
 *
 * The kernel rules quoted here are in the kernel's
 * Documentation/userspace-api/mseal.rst and in the project's
 * spec/kernel-mseal.md (cited as "spec §N").
 */
#ifndef LIBMSEAL_H
#define LIBMSEAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libmseal-version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Core: version, the system call, the probe                          */
/* ------------------------------------------------------------------ */

/**
 * mseal_version() - the library's version as "MAJOR.MINOR.PATCH"
 *
 * Return: a static NUL-terminated string; never NULL. It names the library
 * that is loaded, which may be newer than the LIBMSEAL_VERSION_* macros
 * the caller was compiled with.
 * Context: thread-safe.
 */
const char *mseal_version(void);

/**
 * mseal_page_size() - the kernel's base page size in bytes
 *
 * Return: the page size (a power of two, 4096 on x86_64), from the
 * auxiliary vector.
 * Context: thread-safe; no system call after the first.
 */
size_t mseal_page_size(void);

/**
 * mseal_range() - seal an existing range of mappings against changes
 * @addr:  first byte; a multiple of mseal_page_size(); never rounded.
 * @len:   bytes; the kernel rounds up to whole pages. 0 seals nothing and
 *         succeeds even when @addr is unmapped.
 * @flags: reserved by the kernel; must be 0.
 *
 * Passes straight to the kernel's mseal(2), by number (no libc wrapper
 * needed). Once sealed, mprotect, pkey_mprotect, munmap, mremap,
 * mmap(MAP_FIXED) over the range and discarding madvise on read-only
 * anonymous memory fail with EPERM until the process exits or execs
 * (spec §2.1). There is no unseal.
 *
 * Return: 0, or
 *  -EINVAL (@flags != 0, @addr not page-aligned, @addr + @len wraps),
 *  -ENOMEM (a page of the range is not mapped; nothing was sealed),
 *  -ENOSYS (no mseal here: old or 32-bit kernel, a seccomp policy, or
 *           LIBMSEAL_FORCE_UNSUPPORTED=1 in the environment),
 *  -EPERM  (a policy such as seccomp refused the call),
 *  -EINTR  (a fatal signal is pending).
 * Rarely, on a split the kernel cannot make (vm.max_map_count, hugetlb
 * alignment) -ENOMEM or -EINVAL comes back after earlier mappings of the
 * range were already sealed (spec §1.2 step 9).
 * Source: Documentation/userspace-api/mseal.rst; spec §1.2.
 * Context: thread-safe; one system call; irreversible.
 */
int mseal_range(void *addr, size_t len, unsigned long flags);

/**
 * mseal_supported() - does this process's kernel seal memory?
 *
 * Probes once with mseal(0, 0, 0), which seals nothing (spec §1.2 step 6),
 * and caches the answer for the life of the process. ENOSYS and EPERM mean
 * "unsupported"; mseal_unsupported_reason() says why.
 *
 * Return: 1 sealing works, 0 it does not, or -errno for an answer the
 * kernel never gives for this probe (reported, not guessed at).
 * Context: thread-safe; at most one system call per process, plus a read
 * of /proc/self/status the first time the answer is 0.
 */
int mseal_supported(void);

/* Why mseal_supported() answered 0; see mseal_unsupported_reason(). */
enum mseal_reason {
	LIBMSEAL_REASON_SUPPORTED = 0,	/* it is supported */
	LIBMSEAL_REASON_FORCED,		/* LIBMSEAL_FORCE_UNSUPPORTED=1 */
	LIBMSEAL_REASON_NO_SYSCALL_NUMBER, /* built for an ABI without one */
	LIBMSEAL_REASON_OLD_KERNEL,	/* ENOSYS, kernel release < 6.10 */
	LIBMSEAL_REASON_KERNEL_32BIT,	/* ENOSYS, 32-bit kernel (spec §1.2) */
	LIBMSEAL_REASON_SECCOMP,	/* ENOSYS or EPERM under a seccomp filter */
	LIBMSEAL_REASON_POLICY,		/* EPERM without a seccomp filter (LSM) */
	LIBMSEAL_REASON_ENOSYS,		/* ENOSYS on a 6.10+ 64-bit kernel */
};

/**
 * mseal_unsupported_reason() - why sealing is unavailable here
 *
 * Return: an enum mseal_reason; LIBMSEAL_REASON_SUPPORTED when
 * mseal_supported() is 1. Runs the probe if it has not run yet.
 * Context: thread-safe.
 */
int mseal_unsupported_reason(void);

/**
 * mseal_reason_string() - a short English description of a reason
 * @reason: an enum mseal_reason value.
 *
 * Return: a static string such as "kernel older than 6.10"; never NULL
 * ("unknown reason" for values outside the enum).
 * Context: thread-safe.
 */
const char *mseal_reason_string(int reason);

/* ------------------------------------------------------------------ */
/* Maps reader: a process's mappings with their seal and paging state */
/* ------------------------------------------------------------------ */

/**
 * struct mseal_region - one mapping (VMA) as /proc/PID/smaps shows it
 * @size:     sizeof(struct mseal_region) as the library was built; fields
 *            are only ever appended.
 * @start:    first byte.
 * @end:      one past the last byte.
 * @perms:    the four permission letters, e.g. "r-xp", NUL-terminated.
 * @offset:   file offset in bytes.
 * @dev_major, @dev_minor: device of the mapped file (0:0 when anonymous).
 * @inode:    inode of the mapped file, 0 when anonymous.
 * @path:     the path exactly as the kernel printed it: spaces kept,
 *            "\012" not decoded, "" for anonymous memory, "[heap]" style
 *            pseudo-paths kept. One trailing " (deleted)" is removed and
 *            sets @deleted, except on a live process where the full name
 *            stat()s to this mapping's device and inode.
 * @deleted:  1 when the mapped file was deleted, else 0.
 * @sealed:   1 when VmFlags contains "sl" (spec §3), else 0.
 * @rss, @swap, @locked: the Rss, Swap and Locked fields, in bytes.
 * @vmflags:  the VmFlags line's codes, space-separated, trailing spaces
 *            removed ("" when the kernel printed none).
 * @vmflags_known:   bit LIBMSEAL_VMF_x set for each known code present.
 * @vmflags_unknown: the codes not in the library's table, space-separated,
 *            in the kernel's order ("" when none): kept, never an error.
 *
 * All strings are owned by the iterator and valid until the next
 * mseal_maps_next() or mseal_maps_free().
 */
struct mseal_region {
	size_t size;
	uint64_t start;
	uint64_t end;
	char perms[5];
	uint64_t offset;
	unsigned int dev_major;
	unsigned int dev_minor;
	uint64_t inode;
	const char *path;
	int deleted;
	int sealed;
	uint64_t rss;
	uint64_t swap;
	uint64_t locked;
	const char *vmflags;
	uint64_t vmflags_known;
	const char *vmflags_unknown;
};

/* MAPS-VMFLAGS: the known VmFlags codes (Documentation/filesystems/proc.rst) */

/* Opaque iterator over one process's mappings. */
struct mseal_maps;

/**
 * mseal_maps_open() - read a process's mappings
 * @pid:        process id; 0 means the calling process.
 * @proc_root:  where procfs is mounted; NULL means "/proc". Tests pass a
 *              directory holding canned <pid>/smaps files.
 * @flags:      0 (reserved).
 * @ret_maps:   on success, a new iterator the caller frees with
 *              mseal_maps_free().
 *
 * Reads <proc_root>/<pid>/smaps whole into a growing buffer (no limit on
 * line length or mapping count) and checks that addresses only increase.
 * A torn read (addresses overlapping or going down, as when the process
 * maps or unmaps while it is read) is read again, up to 3 times.
 *
 * Return: 0, or -ESRCH (no such process), -EACCES (not allowed to read
 * it), -EAGAIN (still torn after 3 re-reads), -ENOMEM, -EINVAL (@flags
 * not 0, @ret_maps NULL, or a line that is not smaps syntax), or another
 * -errno from open(2) or read(2).
 * Context: thread-safe; no global state.
 */
int mseal_maps_open(pid_t pid, const char *proc_root, unsigned int flags,
		    struct mseal_maps **ret_maps);

/**
 * mseal_maps_next() - the next mapping, in address order
 * @maps:       from mseal_maps_open().
 * @ret_region: on 1, points at a record owned by @maps, valid until the
 *              next call or mseal_maps_free().
 *
 * Return: 1 a mapping was returned, 0 no more mappings, -EINVAL bad
 * argument.
 * Context: one thread per iterator.
 */
int mseal_maps_next(struct mseal_maps *maps,
		    const struct mseal_region **ret_region);

/**
 * mseal_maps_rewind() - start again from the first mapping (no re-read)
 * @maps: from mseal_maps_open(); NULL is allowed and ignored.
 */
void mseal_maps_rewind(struct mseal_maps *maps);

/**
 * mseal_maps_free() - release an iterator
 * @maps: from mseal_maps_open(); NULL is allowed.
 *
 * Return: NULL, so callers can write "maps = mseal_maps_free(maps);".
 */
struct mseal_maps *mseal_maps_free(struct mseal_maps *maps);

/* ------------------------------------------------------------------ */
/* Image sealing: the process's own loaded ELF objects                 */
/* ------------------------------------------------------------------ */

/* Flags for struct mseal_image_options.flags. */
#define LIBMSEAL_IMAGE_GAPS (1u << 0) /* also seal the PROT_NONE fillers
				       * ld.so leaves between an object's
				       * segments */

/**
 * struct mseal_image_options - what mseal_image() seals
 * @size:    sizeof(struct mseal_image_options) as the caller was built.
 * @flags:   LIBMSEAL_IMAGE_* bits; 0 for the default.
 * @exclude: NULL, or a NULL-terminated array of fnmatch(3) patterns. An
 *           object is left unsealed when a pattern matches its loader
 *           name, its real path, or either basename. Objects are matched
 *           to mappings by address, never by name.
 */
struct mseal_image_options {
	size_t size;
	unsigned int flags;
	const char *const *exclude;
};

/* What a range of a report is. */
enum mseal_range_kind {
	LIBMSEAL_RANGE_TEXT = 1,   /* non-writable executable PT_LOAD */
	LIBMSEAL_RANGE_RODATA,     /* non-writable, non-executable PT_LOAD */
	LIBMSEAL_RANGE_RELRO,      /* PT_GNU_RELRO as ld.so protected it */
	LIBMSEAL_RANGE_GAP,        /* PROT_NONE filler between segments */
};

/* Why a range of a report was not sealed (0: it was sealed). */
enum mseal_skip_reason {
	LIBMSEAL_SKIP_NONE = 0,       /* sealed by this call */
	LIBMSEAL_SKIP_ALREADY_SEALED, /* libmseal had sealed it before */
	LIBMSEAL_SKIP_EXCLUDED,       /* an exclude pattern matched */
	LIBMSEAL_SKIP_UNSUPPORTED,    /* no mseal here (see reason) */
	LIBMSEAL_SKIP_FAILED,         /* mseal failed; see error */
	LIBMSEAL_SKIP_NOT_MAPPED,     /* the headers name pages not mapped */
};

/**
 * struct mseal_report_range - one range considered for sealing
 * @start, @end: page-aligned bounds, end exclusive.
 * @kind:   an enum mseal_range_kind.
 * @skip:   an enum mseal_skip_reason; LIBMSEAL_SKIP_NONE when sealed.
 * @error:  -errno from mseal when @skip is LIBMSEAL_SKIP_FAILED, else 0.
 * @object: the object's name as the loader knows it (the main program is
 *          its /proc/self/exe path); owned by the report.
 */
struct mseal_report_range {
	uint64_t start;
	uint64_t end;
	int kind;
	int skip;
	int error;
	const char *object;
};

/**
 * struct mseal_report - what an image-sealing call did
 * @size:           sizeof(struct mseal_report) as the library was built.
 * @objects_seen:   loaded objects looked at.
 * @ranges_sealed:  ranges sealed by this call.
 * @bytes_sealed:   bytes in those ranges.
 * @ranges_skipped: ranges not sealed, for any reason.
 * @ranges_failed:  of those, ranges whose mseal failed.
 * @status:         0 when nothing failed, else the first failure's -errno
 *                  (-ENOSYS or -EPERM when sealing is unavailable).
 * @reason:         an enum mseal_reason: why sealing is unavailable, or
 *                  LIBMSEAL_REASON_SUPPORTED.
 * @n_ranges:       entries in @ranges.
 * @ranges:         every range considered, sealed or skipped, in the
 *                  order of the objects and then of addresses.
 *
 * The caller owns the report and frees it with mseal_report_free().
 */
struct mseal_report {
	size_t size;
	size_t objects_seen;
	size_t ranges_sealed;
	uint64_t bytes_sealed;
	size_t ranges_skipped;
	size_t ranges_failed;
	int status;
	int reason;
	size_t n_ranges;
	const struct mseal_report_range *ranges;
};

/**
 * mseal_image() - seal the calling process's loaded ELF objects
 * @opts:       NULL for the defaults, or options (see above).
 * @ret_report: NULL, or on success a new report the caller frees with
 *              mseal_report_free().
 *
 * For each object dl_iterate_phdr(3) lists: its non-writable PT_LOAD
 * segments (text, rodata) and its PT_GNU_RELRO range as ld.so protected
 * it, with LIBMSEAL_IMAGE_GAPS also the PROT_NONE fillers between its
 * segments. Ranges come from the program headers alone; /proc is read only
 * when a call fails. One mseal per contiguous run of sealable pages; holes
 * split runs. Never seals writable data or .bss, heap, stacks, anonymous
 * memory, [vdso], [vvar], [vvar_vclock] or [vsyscall]. A range libmseal
 * sealed before is not sealed again, and no call spans a sealed and an
 * unsealed mapping.
 *
 * Return: 0 when the report was made, even if sealing failed or is
 * unavailable (see report->status); -EINVAL (bad @opts), -ENOMEM.
 * Context: not async-signal-safe; serialised against other image calls
 * by an internal lock; irreversible.
 */
int mseal_image(const struct mseal_image_options *opts,
		struct mseal_report **ret_report);

/**
 * mseal_image_object() - seal the one loaded object that contains @addr
 * @addr:       any address inside one of the object's PT_LOAD segments.
 * @opts:       as for mseal_image(); @exclude is ignored (the caller named
 *              the object).
 * @ret_report: as for mseal_image().
 *
 * Seals what it is given: policy (dlclose-ability, exclusions) is the
 * caller's. Return: 0 when the report was made; -ENOENT (no loaded object
 * contains @addr), -EINVAL, -ENOMEM.
 * Context: as mseal_image().
 */
int mseal_image_object(const void *addr,
		       const struct mseal_image_options *opts,
		       struct mseal_report **ret_report);

/**
 * mseal_report_free() - release a report
 * @report: from mseal_image() or mseal_image_object(); NULL is allowed.
 *
 * Return: NULL.
 */
struct mseal_report *mseal_report_free(struct mseal_report *report);

/* ------------------------------------------------------------------ */
/* Kernel rules: what sealing blocks on the running kernel             */
/* ------------------------------------------------------------------ */

/* RULES-API */

/* ------------------------------------------------------------------ */
/* Sealed memory: read-only after init, write-once arenas              */
/* ------------------------------------------------------------------ */

/* ARENA-API */

/* ------------------------------------------------------------------ */
/* Secret memory: guarded, locked, wiped                               */
/* ------------------------------------------------------------------ */

/* SECRET-API */

#ifdef __cplusplus
}
#endif

#endif /* LIBMSEAL_H */
