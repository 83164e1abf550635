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
 * (spec §2.1). There is no unseal. Under the seccomp emulation
 * (mseal_sealing_mode() is LIBMSEAL_SEALING_EMULATED) the arguments are
 * checked as the kernel does and 0 means recorded: the range is protected
 * only from the next mseal_fallback_commit() on.
 *
 * Return: 0, or
 *  -EINVAL (@flags != 0, @addr not page-aligned, @addr + @len wraps),
 *  -ENOMEM (a page of the range is not mapped; nothing was sealed),
 *  -ENOSYS (no mseal here: old or 32-bit kernel, a seccomp policy, or
 *           LIBMSEAL_FORCE_UNSUPPORTED set, e.g. to 1, without the
 *           emulation),
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
 * @dev_major, @dev_minor: device of the mapped file (0:0 when anonymous);
 *            smaps prints them in hex at any width ("103:03" is 0x103:3).
 * @inode:    inode of the mapped file, 0 when anonymous.
 * @path:     the path exactly as the kernel printed it: spaces kept,
 *            "\012" not decoded, "" for anonymous memory, "[heap]" style
 *            pseudo-paths and "[anon:name with spaces]" kept. One
 *            trailing " (deleted)" is removed and sets @deleted, except on
 *            a live process (proc_root NULL or "/proc") where the full
 *            name, under /proc/PID/root, stat()s to this mapping's device
 *            and inode: a file really named so keeps its name.
 * @deleted:  1 when the mapped file was deleted, else 0.
 * @sealed:   1 when VmFlags contains "sl" (spec §3), else 0.
 * @rss, @swap, @locked: the Rss, Swap and Locked fields, in bytes (smaps
 *            prints kB).
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

/*
 * MAPS-VMFLAGS: the known VmFlags codes, one bit each in
 * struct mseal_region.vmflags_known. The codes and their meanings are those
 * of the kernel's Documentation/filesystems/proc.rst ("VmFlags") and the
 * mnemonics table of fs/proc/task_mmu.c, up to Linux 6.18. The bit numbers
 * are libmseal's own (not the kernel's VM_* bits) and never change; codes
 * a kernel adds later land in vmflags_unknown until the table learns them.
 */
#define LIBMSEAL_VMF_RD      (UINT64_C(1) <<  0) /* rd readable */
#define LIBMSEAL_VMF_WR      (UINT64_C(1) <<  1) /* wr writeable */
#define LIBMSEAL_VMF_EX      (UINT64_C(1) <<  2) /* ex executable */
#define LIBMSEAL_VMF_SH      (UINT64_C(1) <<  3) /* sh shared */
#define LIBMSEAL_VMF_MR      (UINT64_C(1) <<  4) /* mr may read */
#define LIBMSEAL_VMF_MW      (UINT64_C(1) <<  5) /* mw may write */
#define LIBMSEAL_VMF_ME      (UINT64_C(1) <<  6) /* me may execute */
#define LIBMSEAL_VMF_MS      (UINT64_C(1) <<  7) /* ms may share */
#define LIBMSEAL_VMF_GD      (UINT64_C(1) <<  8) /* gd stack segment grows down */
#define LIBMSEAL_VMF_PF      (UINT64_C(1) <<  9) /* pf pure PFN range */
#define LIBMSEAL_VMF_DW      (UINT64_C(1) << 10) /* dw write to the file denied (to 5.14) */
#define LIBMSEAL_VMF_LO      (UINT64_C(1) << 11) /* lo pages are locked in memory */
#define LIBMSEAL_VMF_IO      (UINT64_C(1) << 12) /* io memory mapped I/O area */
#define LIBMSEAL_VMF_SR      (UINT64_C(1) << 13) /* sr sequential read advise provided */
#define LIBMSEAL_VMF_RR      (UINT64_C(1) << 14) /* rr random read advise provided */
#define LIBMSEAL_VMF_DC      (UINT64_C(1) << 15) /* dc do not copy area on fork */
#define LIBMSEAL_VMF_DE      (UINT64_C(1) << 16) /* de do not expand area on remapping */
#define LIBMSEAL_VMF_AC      (UINT64_C(1) << 17) /* ac area is accountable */
#define LIBMSEAL_VMF_NR      (UINT64_C(1) << 18) /* nr no swap space reserved */
#define LIBMSEAL_VMF_HT      (UINT64_C(1) << 19) /* ht area uses huge TLB pages */
#define LIBMSEAL_VMF_SF      (UINT64_C(1) << 20) /* sf synchronous page fault */
#define LIBMSEAL_VMF_NL      (UINT64_C(1) << 21) /* nl non-linear mapping (until 4.0) */
#define LIBMSEAL_VMF_AR      (UINT64_C(1) << 22) /* ar architecture specific flag */
#define LIBMSEAL_VMF_WF      (UINT64_C(1) << 23) /* wf wipe on fork */
#define LIBMSEAL_VMF_DD      (UINT64_C(1) << 24) /* dd not in core dumps */
#define LIBMSEAL_VMF_SD      (UINT64_C(1) << 25) /* sd soft dirty flag */
#define LIBMSEAL_VMF_MM      (UINT64_C(1) << 26) /* mm mixed map area */
#define LIBMSEAL_VMF_HG      (UINT64_C(1) << 27) /* hg huge page advise flag */
#define LIBMSEAL_VMF_NH      (UINT64_C(1) << 28) /* nh no huge page advise flag */
#define LIBMSEAL_VMF_MG      (UINT64_C(1) << 29) /* mg mergeable advise flag */
#define LIBMSEAL_VMF_UM      (UINT64_C(1) << 30) /* um userfaultfd missing tracking */
#define LIBMSEAL_VMF_UW      (UINT64_C(1) << 31) /* uw userfaultfd wr-protect tracking */
#define LIBMSEAL_VMF_UI      (UINT64_C(1) << 32) /* ui userfaultfd minor fault */
#define LIBMSEAL_VMF_SS      (UINT64_C(1) << 33) /* ss shadow stack page */
#define LIBMSEAL_VMF_SL      (UINT64_C(1) << 34) /* sl sealed (6.10) */
#define LIBMSEAL_VMF_LF      (UINT64_C(1) << 35) /* lf lock on fault pages */
#define LIBMSEAL_VMF_DP      (UINT64_C(1) << 36) /* dp always lazily freeable mapping */
#define LIBMSEAL_VMF_GU      (UINT64_C(1) << 37) /* gu maybe contains guard regions */
#define LIBMSEAL_VMF_BT      (UINT64_C(1) << 38) /* bt arm64 BTI guarded page */
#define LIBMSEAL_VMF_MT      (UINT64_C(1) << 39) /* mt arm64 MTE tags enabled */
#define LIBMSEAL_VMF_MP      (UINT64_C(1) << 40) /* mp x86 MPX (to 5.5) */

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
 * Addresses are 64-bit (1 to 16 hex digits, [vsyscall] and tens-of-TiB
 * ranges included). Reading another process needs ptrace-read access
 * (spec §3; proc(5)).
 *
 * Return: 0, or -ESRCH (no such process: no <proc_root>/<pid>/smaps),
 * -EACCES (not allowed to read it), -EAGAIN (still torn after 3 re-reads),
 * -ENOMEM, -EINVAL (@flags not 0, @ret_maps NULL, @pid negative,
 * @proc_root "", or a line that is not smaps syntax), -ENOENT (@proc_root
 * does not exist), or another -errno from open(2) or read(2).
 * *@ret_maps is untouched on failure.
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
 * @exclude: NULL, or a NULL-terminated array of fnmatch(3) patterns,
 *           matched with flags 0 (so "*" also matches "/"). An object is
 *           left unsealed, its ranges reported LIBMSEAL_SKIP_EXCLUDED,
 *           when a pattern matches its loader name (dlpi_name; for the
 *           main program its /proc/self/exe path), its realpath(3), or
 *           the basename of either: "ld-linux*" excludes ld.so. Names
 *           only select objects; what is sealed comes from the object's
 *           own program headers and load address, never from a name.
 *           The array and strings are read during the call only.
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
 * @start, @end: page-aligned bounds in bytes, end exclusive.
 * @kind:   an enum mseal_range_kind.
 * @skip:   an enum mseal_skip_reason; LIBMSEAL_SKIP_NONE when sealed.
 * @error:  -errno from mseal when @skip is LIBMSEAL_SKIP_FAILED, else 0.
 * @object: the object's name as the loader knows it (dlpi_name; the main
 *          program is its /proc/self/exe path, "" if that cannot be
 *          read); owned by the report, valid until mseal_report_free().
 *
 * A range is a maximal run of pages of one object with one kind and one
 * outcome: a segment can appear as several ranges when part of it was
 * sealed before (ALREADY_SEALED) or is not mapped (NOT_MAPPED). Touching
 * ranges of different kinds were sealed by one mseal call.
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
 * struct mseal_report_call - one mseal system call an image call made
 * @start, @end: the range passed, page-aligned, end exclusive (bytes).
 * @error:  0, or the -errno the kernel returned. A call that failed is
 *          followed by calls for the mapped parts of its range, if any.
 */
struct mseal_report_call {
	uint64_t start;
	uint64_t end;
	int error;
};

/**
 * struct mseal_report - what an image-sealing call did
 * @size:           sizeof(struct mseal_report) as the library was built.
 * @objects_seen:   loaded objects looked at (the vDSO, never sealed, is
 *                  not counted).
 * @ranges_sealed:  ranges sealed by this call (@skip LIBMSEAL_SKIP_NONE).
 * @bytes_sealed:   bytes in those ranges.
 * @ranges_skipped: ranges not sealed, for any reason.
 * @ranges_failed:  of those, ranges whose mseal failed (SKIP_FAILED).
 * @status:         0 when nothing failed, else the first failure's -errno;
 *                  when sealing is unavailable, -ENOSYS (-EPERM when a
 *                  non-seccomp policy refused it, see @reason). Pages not
 *                  mapped (SKIP_NOT_MAPPED) are not a failure.
 * @reason:         an enum mseal_reason: why sealing is unavailable, or
 *                  LIBMSEAL_REASON_SUPPORTED.
 * @n_ranges:       entries in @ranges.
 * @ranges:         every range considered, sealed or skipped, in the
 *                  order of the objects and then of addresses.
 * @n_calls:        mseal system calls this call made (0 when sealing is
 *                  unavailable or nothing was new).
 * @calls:          those calls in the order made, each with its range
 *                  and result, so a caller can log one line per call.
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
	size_t n_calls;
	const struct mseal_report_call *calls;
};

/**
 * mseal_image() - seal the calling process's loaded ELF objects
 * @opts:       NULL for the defaults, or options (see above).
 * @ret_report: NULL, or on success a new report the caller frees with
 *              mseal_report_free().
 *
 * For each object dl_iterate_phdr(3) lists: its non-writable PT_LOAD
 * segments (text, rodata) and its PT_GNU_RELRO range as ld.so protected
 * it (glibc 2.36 _dl_protect_relro: start and end both rounded DOWN to a
 * page), with LIBMSEAL_IMAGE_GAPS also the PROT_NONE fillers ld.so maps
 * between its segments (the kernel leaves holes instead in the program
 * and interpreter it maps itself; those are never touched). Pages are
 * judged one by one: a page holding any byte of a writable PT_LOAD
 * outside the RELRO range is never sealed. Ranges come from the program
 * headers alone; /proc/self/maps is read only after an mseal call fails,
 * to report pages that are not mapped (LIBMSEAL_SKIP_NOT_MAPPED) and seal
 * the mapped rest. One mseal per contiguous run of sealable pages of an
 * object; holes split runs. Never seals writable data or .bss, heap,
 * stacks, anonymous memory, [vdso], [vvar], [vvar_vclock] or [vsyscall].
 * libmseal keeps a per-process record of what it sealed (shared with the
 * preload shim): a range sealed before is reported ALREADY_SEALED and not
 * passed to the kernel again, and no call spans a sealed and an unsealed
 * mapping. When mseal_supported() is not 1 (LIBMSEAL_FORCE_UNSUPPORTED
 * included) and the emulation is not on, no mseal call is made and every
 * range is reported LIBMSEAL_SKIP_UNSUPPORTED. With the emulation on
 * (mseal_sealing_mode() is LIBMSEAL_SEALING_EMULATED) each range goes to
 * mseal_range() and is reported as for a native seal (LIBMSEAL_SKIP_NONE,
 * status 0) once recorded: it is protected only from the next
 * mseal_fallback_commit() on.
 *
 * dl_iterate_phdr(3) lists an object another thread is dlopen()ing as
 * soon as it is mapped, before ld.so relocates it and applies its RELRO:
 * call this when no other thread can be inside dlopen(3) (at startup, or
 * after dlopen returned), or that object's RELRO could be sealed while
 * still writable and its dlopen fail.
 *
 * Once ld.so's RELRO is sealed, glibc (2.36 at least) cannot dlopen a
 * library that needs an executable stack: dlopen fails with "cannot
 * change memory protections". Exclude "ld-linux*" to keep that working.
 *
 * Return: 0 when the report was made, even if sealing failed or is
 * unavailable (see report->status); -EINVAL (@opts->size smaller than
 * this header's struct, or unknown @opts->flags bits), -ENOMEM. On error
 * *@ret_report is untouched; ranges sealed before an -ENOMEM stay sealed.
 * Context: thread-safe; not async-signal-safe; serialised against other
 * image calls by an internal lock; runs inside dl_iterate_phdr(3), so
 * objects cannot be unloaded meanwhile; irreversible.
 */
int mseal_image(const struct mseal_image_options *opts,
		struct mseal_report **ret_report);

/**
 * mseal_image_object() - seal the one loaded object that contains @addr
 * @addr:       any address inside one of the object's PT_LOAD segments
 *              (between p_vaddr and p_vaddr + p_memsz, load bias added).
 * @opts:       as for mseal_image(); @exclude is ignored (the caller named
 *              the object).
 * @ret_report: as for mseal_image(); objects_seen is 1.
 *
 * Seals that one object exactly as mseal_image() would. Seals what it is
 * given: policy (dlclose-ability, exclusions) is the caller's, and an
 * object that is later dlclose()d cannot be unmapped once sealed (its
 * mappings stay). Return: 0 when the report was made; -ENOENT (no loaded
 * object contains @addr, or it is the vDSO, which is never sealed),
 * -EINVAL (bad @opts), -ENOMEM.
 * Context: as mseal_image().
 */
int mseal_image_object(const void *addr,
		       const struct mseal_image_options *opts,
		       struct mseal_report **ret_report);

/**
 * mseal_report_free() - release a report
 * @report: from mseal_image() or mseal_image_object(); NULL is allowed.
 *
 * Frees the report, its ranges and their object names (one block).
 * Return: NULL, so callers can write "r = mseal_report_free(r);".
 * Context: thread-safe (for different reports).
 */
struct mseal_report *mseal_report_free(struct mseal_report *report);

/* ------------------------------------------------------------------ */
/* Kernel rules: what sealing blocks on the running kernel             */
/* ------------------------------------------------------------------ */

/* RULES-API */

/* What "anonymous" means to the madvise seal rule (spec §2.2 point 3). */
enum mseal_madvise_anon {
	LIBMSEAL_ANON_NONE = 0,     /* no mseal: no madvise rule at all */
	LIBMSEAL_ANON_NO_FILE_PRIVATE, /* 6.10-6.16: no file and not shared */
	LIBMSEAL_ANON_VMA_IS_ANONYMOUS, /* 6.17+: no vm_ops, so private
					 * /dev/zero counts and [vdso] does not */
};

/**
 * struct mseal_rules - the sealing rules a kernel release implies
 * @size:  set by the caller to sizeof(struct mseal_rules) as it was built;
 *         the library fills only that many bytes (fields are only ever
 *         appended) and leaves @size as it was.
 * @major, @minor, @patch: the release as parsed ("6.12.0-rc1+" is 6.12.0).
 * @has_mseal:       1 for 6.10 and later (on the running kernel, also a
 *                   64-bit machine); every other field is 0 when this is 0.
 * @partial_mprotect: 1 on 6.12+: a refused mprotect or pkey_mprotect over
 *                   several mappings may already have changed the mappings
 *                   before the first sealed one (spec §2.3).
 * @partial_madvise: 1 on 6.12+: a refused madvise may already have
 *                   discarded the mappings before the first sealed one.
 * @munmap_split_residue: 1 on 6.12+: a refused munmap (or MAP_FIXED) that
 *                   starts inside an unsealed mapping may leave it split;
 *                   no memory is ever unmapped.
 * @mremap_multi_vma_efault: 1 on 6.12-6.16: mremap of a range covering
 *                   several mappings is EFAULT before any seal check.
 * @mremap_partial_move: 1 on 6.17+: an mremap move over several mappings
 *                   may move the leading unsealed ones, then fail EPERM.
 * @mremap_old_len0_blocked: 1 on 6.12+: mremap(old_len = 0) of a sealed
 *                   mapping is EPERM (6.10-6.11 did not check it [I]).
 * @guard_install_blocked: 1 on 6.13+: MADV_GUARD_INSTALL exists and is a
 *                   discarding advice.
 * @process_madvise_any: 1 on 6.13+: process_madvise() on the caller itself
 *                   takes any advice, under the same seal rule.
 * @madvise_anon_definition: an enum mseal_madvise_anon.
 * @bitmask_bug_possible: 1 on 6.10.y: the 6.10 bitmask test refused every
 *                   advice but MADV_NORMAL on sealed read-only anonymous
 *                   memory; which 6.10.y took the fix is not known here.
 * @system_mappings_possible: 1 on 6.15+: the kernel may have been built
 *                   with CONFIG_MSEAL_SYSTEM_MAPPINGS ([vdso] etc. sealed);
 *                   only the `sl` flag of [vdso] tells.
 *
 * Rules that hold in every release with mseal (munmap, mremap, MAP_FIXED,
 * mprotect with any protection are EPERM; shmdt and io_destroy return 0
 * and leave the mapping) have no field.
 */
struct mseal_rules {
	size_t size;
	unsigned int major;
	unsigned int minor;
	unsigned int patch;
	int has_mseal;
	int partial_mprotect;
	int partial_madvise;
	int munmap_split_residue;
	int mremap_multi_vma_efault;
	int mremap_partial_move;
	int mremap_old_len0_blocked;
	int guard_install_blocked;
	int process_madvise_any;
	int madvise_anon_definition;
	int bitmask_bug_possible;
	int system_mappings_possible;
};

/**
 * mseal_kernel_rules() - the sealing rules of the running kernel, inferred
 * @ret_rules: filled on success; the caller sets ret_rules->size first.
 *
 * Reads the release and machine with uname(2) and looks them up in the
 * table of spec §0 and §2. This is an inference, not a measurement: distro
 * kernels backport mseal changes, so a "5.14" or "6.8" kernel may have
 * newer rules than its number says. `mseal probe` measures them. No
 * fork, no mapping, no mseal call; mseal_supported() says whether the
 * syscall really works (seccomp, LIBMSEAL_FORCE_UNSUPPORTED).
 *
 * Return: 0, or -EINVAL (@ret_rules NULL, its size smaller than
 * offsetof(struct mseal_rules, major) + sizeof(unsigned int), or a release
 * that does not start with "MAJOR.MINOR"), or -errno from uname(2).
 * Source: spec §0 (timeline), §2.1-2.3.
 * Context: thread-safe; async-signal-safe.
 */
int mseal_kernel_rules(struct mseal_rules *ret_rules);

/**
 * mseal_kernel_rules_for() - the sealing rules a given release implies
 * @release:   a kernel release as uname -r prints it: "6.11.3",
 *             "6.12.0-rc1+", "5.15.0-91-generic". A -rc release has the
 *             rules of the release it leads to. A 64-bit machine is
 *             assumed.
 * @ret_rules: as for mseal_kernel_rules().
 *
 * Return: as for mseal_kernel_rules(), without the uname(2) errors.
 * Context: thread-safe; async-signal-safe.
 */
int mseal_kernel_rules_for(const char *release, struct mseal_rules *ret_rules);

/* ------------------------------------------------------------------ */
/* Sealed memory: read-only after init, write-once arenas              */
/* ------------------------------------------------------------------ */

/* ARENA-API */

/*
 * Result of mseal_protect_after_init() and mseal_arena_seal() when the
 * memory is read-only but the kernel cannot seal it here (no mseal, a
 * seccomp or LSM policy, or LIBMSEAL_FORCE_UNSUPPORTED=1): the protection
 * holds, but mprotect(2) could undo it. mseal_unsupported_reason() says why.
 */
#define LIBMSEAL_SEALED_UNAVAILABLE 1

/**
 * mseal_protect_after_init() - make the caller's memory read-only, then seal
 * @addr: first byte; a multiple of mseal_page_size(); never rounded.
 * @len:  bytes; a non-zero multiple of mseal_page_size() (never rounded:
 *        the call seals nothing the caller did not name).
 *
 * The userspace twin of the kernel's __ro_after_init, for memory the caller
 * owns: typically a page-aligned global in .data or .bss, or its own
 * private mapping. First reads /proc/self/smaps once and checks, before
 * changing anything, that every page of the range is mapped and that each
 * mapping in it is private, readable and not executable; is not [heap]
 * (the brk heap) nor any other bracketed kernel name ([stack], [vdso],
 * [vvar], ...; a named "[anon:...]" mapping is allowed); does not overlap
 * the calling thread's stack; and, where already sealed, is exactly
 * read-only. Then mprotect(PROT_READ) of each run of unsealed mappings,
 * never one call across sealed and unsealed mappings (since Linux 6.12
 * such a call may change the unsealed part and then fail, spec §2.3),
 * then mseal of the whole range (sealing a sealed part again is a no-op,
 * spec §1.3). mprotect first: sealing first would leave the range
 * writable for good (field report R17, spec §2.1). A range that is
 * already read-only and sealed succeeds again without a system call; one
 * mixing read-only sealed parts with unsealed parts succeeds too.
 * Startup sealing (mseal run, mseal_image()) never seals writable
 * segments, so a .data page stays the caller's to protect (R13).
 *
 * Never pass memory from malloc(3) or another allocator: only the brk
 * heap ([heap]) is recognised and refused. Allocator memory elsewhere (a
 * large chunk malloc() maps with mmap, other malloc arenas, a sanitizer's
 * heap) is a private anonymous mapping like the caller's own, cannot be
 * told apart, and would be sealed; free() then cannot give it back and it
 * leaks (libmseal(7), WHAT NEVER TO SEAL). A malloc() pointer is usually
 * refused only for not being page-aligned.
 *
 * Return: 0 (read-only and sealed; under the seccomp emulation, read-only
 * and recorded, protected from the next mseal_fallback_commit() on),
 * LIBMSEAL_SEALED_UNAVAILABLE (read-only, sealing unavailable here), or,
 * judged in this order,
 *  -EINVAL (@addr unaligned, @len zero or not whole pages, @addr + @len
 *           wraps; nothing changed),
 *  -ENOMEM (a page of the range is not mapped; nothing changed),
 *  -EINVAL (a mapping in the range is refused as above; nothing changed),
 *  -EPERM  (part of the range is already sealed but not exactly read-only:
 *           a seal cannot be followed by a tighter mprotect (R17); nothing
 *           changed),
 *  -EACCES or another -errno from reading /proc/self/smaps (nothing
 *           changed),
 *  -errno from mprotect(2) of an unsealed run, e.g. -ENOMEM when a split
 *           passes vm.max_map_count: the runs already made read-only, and
 *           the failed one, get their previous protections back (an undo
 *           that can only fail the same way), so nothing changed,
 *  -errno from mseal(2) other than -ENOSYS/-EPERM, e.g. -ENOMEM at
 *           vm.max_map_count: the range is then read-only, not sealed (the
 *           kernel may have sealed part of it, spec §1.2).
 * Source: Documentation/userspace-api/mseal.rst; spec §1.2, §1.3, §2.1,
 * §2.3.
 * Context: thread-safe; reads /proc/self/smaps once; irreversible when 0.
 */
int mseal_protect_after_init(void *addr, size_t len);

/* Opaque write-once arena; see mseal_arena_create(). */
struct mseal_arena;

/* Flags for mseal_arena_create(). */
#define LIBMSEAL_ARENA_POPULATE (1u << 0) /* fault every page in now
					   * (MAP_POPULATE), so filling the
					   * arena never page-faults */

/**
 * mseal_arena_create() - reserve a write-once arena
 * @capacity:  bytes; rounded up to whole pages. Must not be 0.
 * @flags:     0 or LIBMSEAL_ARENA_POPULATE.
 * @ret_arena: on success, a new arena the caller releases with
 *             mseal_arena_free().
 *
 * Maps its own private anonymous mapping of the rounded capacity,
 * read-write and zero-filled, and names it "[anon:mseal arena]" with
 * prctl(PR_SET_VMA_ANON_NAME) where the kernel has CONFIG_ANON_VMA_NAME
 * (best effort: without it the mapping is unnamed). Never a memfd: a
 * file-backed mapping would still allow discarding madvise once sealed
 * (spec §2.1). Allocate with mseal_arena_alloc(), fill, then seal with
 * mseal_arena_seal().
 *
 * Return: 0, or -EINVAL (@capacity 0 or too large, unknown @flags,
 * @ret_arena NULL), -ENOMEM (no memory or address space).
 * Context: thread-safe; adds one mapping (one VMA).
 */
int mseal_arena_create(size_t capacity, unsigned int flags,
		       struct mseal_arena **ret_arena);

/**
 * mseal_arena_alloc() - carve zero-filled bytes out of an unsealed arena
 * @arena:   from mseal_arena_create().
 * @size:    bytes; not 0.
 * @align:   a power of two up to mseal_page_size(), in bytes; 0 means 16.
 * @ret_ptr: on success, the first byte, aligned to @align; valid (and
 *           never freed on its own) for the arena's life.
 *
 * Return: 0, or -EINVAL (bad argument), -ENOMEM (the arena has fewer than
 * @size bytes left at that alignment), -EPERM (the arena is sealed, or a
 * mseal_arena_seal() is under way).
 * Context: thread-safe and lock-free; no system call.
 */
int mseal_arena_alloc(struct mseal_arena *arena, size_t size, size_t align,
		      void **ret_ptr);

/**
 * mseal_arena_seal() - make the whole arena read-only, then seal it
 * @arena: from mseal_arena_create().
 *
 * mprotect(PROT_READ) of the arena's mapping, then mseal, in that order.
 * Afterwards writes fault (SIGSEGV); mprotect, munmap, mremap and
 * discarding madvise (MADV_DONTNEED, ...) fail with EPERM; the contents
 * stay as written; mseal_arena_alloc() fails with -EPERM. Calling it again
 * returns the first successful call's result.
 *
 * Return: 0 (read-only and sealed; under the seccomp emulation, read-only
 * and recorded, protected from the next mseal_fallback_commit() on),
 * LIBMSEAL_SEALED_UNAVAILABLE (read-only, sealing unavailable here),
 * -EINVAL (@arena NULL), or -errno from
 * mprotect(2) (the arena stays writable and usable) or from mseal(2) other
 * than -ENOSYS/-EPERM (the arena is then read-only but not sealed).
 * Source: Documentation/userspace-api/mseal.rst; spec §2.1, §6.5.
 * Context: thread-safe; two system calls; irreversible when 0.
 */
int mseal_arena_seal(struct mseal_arena *arena);

/**
 * mseal_arena_free() - release an arena handle
 * @arena: from mseal_arena_create(); NULL is allowed.
 *
 * An arena that is not sealed is unmapped. A sealed arena can never be
 * unmapped (spec §2.1): its pages stay mapped read-only until the process
 * exits or execs, a leak bounded by its capacity; only the handle is
 * freed. Pointers from mseal_arena_alloc() stay valid exactly as long as
 * the mapping does.
 *
 * Return: NULL.
 * Context: not concurrently with other calls on the same arena.
 */
struct mseal_arena *mseal_arena_free(struct mseal_arena *arena);

/* ------------------------------------------------------------------ */
/* Secret memory: guarded, locked, wiped                               */
/* ------------------------------------------------------------------ */

/* SECRET-API */

/* Flags for mseal_secret_alloc(). */
#define LIBMSEAL_SECRET_PAGES (1u << 0) /* pages of its own even when small,
					 * so mseal_secret_protect() works */

/**
 * mseal_secret_alloc() - allocate guarded, locked memory for a secret
 * @size:    bytes; 1 up to 1 GiB.
 * @flags:   0 or LIBMSEAL_SECRET_PAGES.
 * @ret_ptr: on success, the first byte of @size zero-filled bytes, aligned
 *           to 16 bytes; release it with mseal_secret_free().
 *
 * Data pages lie between PROT_NONE guard pages. The guard mappings are
 * sealed (VmFlags "sl"), so no one can unmap or re-protect them; the data
 * mapping is mlocked, MADV_DONTDUMP and MADV_WIPEONFORK, each by its own
 * checked call made before any seal (VmFlags "lo dd wf", never "sl"). A
 * forked child reads zeros; mlock is not inherited, so a child locks a
 * slab or slot again before it hands out a secret from it. Secrets of up
 * to 1 KiB without LIBMSEAL_SECRET_PAGES share guarded slabs (no resident
 * page of their own; 100,000 live 32-byte secrets take about 25 slabs and
 * 50 mappings); larger ones, and those with the flag, get data pages of
 * their own between two guard pages (about 2 mappings each, so tens of
 * thousands fit under vm.max_map_count). The secret ends where its slot
 * ends: on a page of its own (sizes a multiple of 16) the next byte is the
 * guard page, so an overflow faults (SIGSEGV); otherwise canary bytes
 * follow it and precede it, checked by mseal_secret_free(). Slots,
 * guards and all, are reused by later secrets; nothing is unmapped once
 * its guards are sealed, so mappings never grow with alloc/free cycles.
 * Free slots stay mapped and locked (they count against RLIMIT_MEMLOCK):
 * the memory kept is that of the most secrets ever live at once.
 *
 * Return: 0 (guards sealed; under the seccomp emulation, recorded and
 * protected from the next mseal_fallback_commit() on),
 * LIBMSEAL_SEALED_UNAVAILABLE (the secret is
 * guarded, locked and wiped on fork, but the guards are not sealed because
 * sealing is unavailable here), or
 *  -EINVAL (@size 0 or over 1 GiB, unknown @flags, @ret_ptr NULL),
 *  -EAGAIN (the data could not be locked: RLIMIT_MEMLOCK reached, mlock(2)
 *           ENOMEM or EAGAIN; nothing was kept),
 *  -ENOMEM (no memory, address space or mapping left; nothing was kept),
 *  or -errno from madvise(2) (nothing was kept).
 * Source: Documentation/userspace-api/mseal.rst (sealed mappings cannot
 * be unmapped); spec §2.1 and §6.5 (advice allowed on writable memory).
 * Context: thread-safe (one internal lock); a slot reused from the free
 * list costs at most one system call, a new one up to seven.
 */
int mseal_secret_alloc(size_t size, unsigned int flags, void **ret_ptr);

/**
 * mseal_secret_protect() - change access to a secret with pages of its own
 * @ptr:  from mseal_secret_alloc() with LIBMSEAL_SECRET_PAGES, or of more
 *        than 1 KiB.
 * @prot: PROT_NONE, PROT_READ or PROT_READ | PROT_WRITE.
 *
 * mprotect(2) of the secret's data pages only; guards are untouched. A
 * secret sharing a slab has no pages of its own to protect.
 *
 * Return: 0, or -EINVAL (@ptr not a live secret, or another @prot),
 * -EOPNOTSUPP (@ptr lives in a shared slab), or -errno from mprotect(2).
 * Context: thread-safe.
 */
int mseal_secret_protect(void *ptr, int prot);

/**
 * mseal_secret_free() - wipe a secret and keep its slot for reuse
 * @ptr: from mseal_secret_alloc(); NULL is allowed (returns 0).
 *
 * Makes the data writable if mseal_secret_protect() had closed it, checks
 * the canary bytes around the secret, wipes the data (explicit_bzero), and
 * keeps the slot for the next secret: the data pages of a secret with
 * pages of its own become PROT_NONE, stay mapped and locked. It never
 * calls munmap(2) on sealed memory (field report R08), never aborts.
 *
 * Return: 0, or
 *  -EINVAL    (@ptr is not a live secret: a malloc() pointer, an interior
 *              pointer, a double free; nothing changed),
 *  -EOVERFLOW (the canary bytes were overwritten: an overflow or underflow
 *              happened; the secret was wiped anyway and its slot is
 *              retired, never reused),
 *  or -errno from mprotect(2) when the data could not be made writable to
 *  be wiped (the secret stays allocated; try again).
 * Context: thread-safe.
 */
int mseal_secret_free(void *ptr);

/* ------------------------------------------------------------------ */
/* Emulation on kernels without mseal                                  */
/* ------------------------------------------------------------------ */

/* What sealing is in this process; see mseal_sealing_mode(). */
enum mseal_sealing_mode {
	LIBMSEAL_SEALING_UNAVAILABLE = 0, /* no mseal, no emulation */
	LIBMSEAL_SEALING_NATIVE = 1,      /* the kernel's mseal(2) */
	LIBMSEAL_SEALING_EMULATED = 2,    /* the seccomp emulation */
};

/* Modes for mseal_fallback_enable(). */
#define LIBMSEAL_FALLBACK_SECCOMP 1u

/* Flag of mseal_fallback_range(): the range's filter is installed. */
#define LIBMSEAL_FALLBACK_COMMITTED (1u << 0)

/**
 * mseal_fallback_enable() - opt in to the seccomp emulation of mseal
 * @mode: LIBMSEAL_FALLBACK_SECCOMP.
 *
 * Used only when the kernel cannot seal (mseal_supported() is 0, which
 * includes LIBMSEAL_FORCE_UNSUPPORTED=1). From then on mseal_range()
 * checks its arguments as the kernel does (EINVAL, ENOMEM with nothing
 * recorded, length 0, idempotence) and records the range; the protection
 * starts at mseal_fallback_commit(), which installs one seccomp filter
 * for everything recorded since the last commit. The filter refuses with
 * EPERM the direct system calls mseal blocks (mprotect, pkey_mprotect,
 * munmap, mremap source and MREMAP_FIXED destination, mmap(MAP_FIXED),
 * remap_file_pages, discarding madvise on ranges that were private,
 * anonymous and read-only when committed), refuses io_uring_setup,
 * io_uring_enter and io_uring_register (io_uring bypasses seccomp), and
 * answers ENOSYS to every system call of another ABI (ia32, x32).
 *
 * Not the kernel's contract (libmseal-emulation(7), SEALING ON KERNELS
 * WITHOUT MSEAL): the filter outlives execve(2) and binds every descendant; the
 * first commit sets no_new_privs, which is irreversible and inherited;
 * [heap], SysV shm and aio ranges are refused (-EOPNOTSUPP); a few errno
 * values and partial effects differ (research/seccomp-emulation.md §5).
 *
 * Return: 0 the emulation is on; 1 the kernel seals, so the fallback is
 * not used (nothing changed); -EINVAL (@mode unknown); -ENOSYS (the kernel
 * has no seccomp filters); -ENOTSUP (libmseal has no filter for this
 * ABI). Context: thread-safe; cannot be undone.
 */
int mseal_fallback_enable(unsigned int mode);

/**
 * mseal_fallback_commit() - install the filter for the recorded ranges
 *
 * Re-reads /proc/self/maps: a recorded range that is no longer wholly
 * mapped (or became [heap], SysV shm, aio) is forgotten and reported.
 * Ranges are judged one by one as each mseal_range() call recorded them
 * (never merged with a touching neighbour), so a neighbour still wholly
 * mapped stays recorded. A part that was not writable when recorded and
 * is writable now (mprotect()ed in between, which a seal would have
 * refused) refuses the whole commit: sealing it would freeze writable
 * what the caller believed sealed read-only. Sets no_new_privs, then installs one filter with
 * SECCOMP_FILTER_FLAG_TSYNC so that every thread is bound; a commit of
 * more ranges than one 4096-instruction program holds (~100-150) is
 * split into several filters. Each filter stays until the process exits
 * and costs every later memory system call ~10% (see libmseal-emulation(7)).
 *
 * Return: the number of ranges newly protected (0 when nothing was
 * pending or the emulation is not on), or
 *  -ENOMEM  (a recorded range has a hole now, or the kernel's budget of
 *            32768 filter instructions per process is spent),
 *  -EOPNOTSUPP (a recorded range is now a mapping the emulation refuses),
 *  -EBUSY   (TSYNC failed: a thread has another filter stack; or the
 *            process holds an io_uring instance, which seccomp cannot see),
 *  -EPERM   (a part recorded read-only is writable now: nothing is
 *            installed and every range stays recorded; make it read-only
 *            again and commit again),
 *  -EPERM / -EACCES / -EINVAL (no_new_privs or the filter was refused),
 *  -errno from reading /proc/self/maps or /proc/self/fd.
 * Nothing is half-done: each range is either wholly protected or still
 * recorded for the next commit (or forgotten, as said above).
 * Context: thread-safe; irreversible.
 */
int mseal_fallback_commit(void);

/**
 * mseal_sealing_mode() - is sealing native, emulated or unavailable here?
 *
 * Return: an enum mseal_sealing_mode: LIBMSEAL_SEALING_NATIVE when
 * mseal_supported() is 1, LIBMSEAL_SEALING_EMULATED when the kernel
 * cannot seal and mseal_fallback_enable() succeeded, else
 * LIBMSEAL_SEALING_UNAVAILABLE. Context: thread-safe.
 */
int mseal_sealing_mode(void);

/**
 * mseal_fallback_range() - one range held by the emulation
 * @index:     0 for the first; committed ranges come first, in address
 *             order with touching ranges merged, then the ones still
 *             waiting for a commit, each as one mseal_range() call
 *             recorded it (an exact repeat once), in recording order
 *             (by address after a commit that installed only part).
 * @ret_start: NULL, or the first byte (page-aligned).
 * @ret_end:   NULL, or one past the last byte.
 * @ret_flags: NULL, or LIBMSEAL_FALLBACK_COMMITTED when its filter is
 *             installed, 0 when it waits for mseal_fallback_commit().
 *
 * Return: 1 and the range, or 0 when @index is past the last one (the
 * out-parameters are then untouched). Context: thread-safe.
 */
int mseal_fallback_range(size_t index, uint64_t *ret_start,
			 uint64_t *ret_end, unsigned int *ret_flags);

/**
 * mseal_fallback_filters() - how many filters the emulation installed
 *
 * Return: the number of seccomp filters libmseal installed in this
 * process (>= 0); filters of others, and filters inherited across
 * execve(2), are not counted (/proc/PID/status Seccomp_filters counts
 * all). Context: thread-safe.
 */
int mseal_fallback_filters(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBMSEAL_H */
