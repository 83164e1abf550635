// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The classic-BPF generator of the seccomp emulation (research/
 * seccomp-emulation.md §2.2). libseccomp cannot add two arguments nor
 * compare one argument twice (§2.1), so the program is built here:
 *
 *  - arch gate: any ABI but the native one, and x32, get ENOSYS, because
 *    compat entry points (old_mmap, ipc) take arguments we cannot check;
 *  - dispatch on the syscall number; every other syscall is allowed after
 *    loading only arch and nr, which keeps it in the kernel's
 *    constant-action cache (5.11+) at no cost;
 *  - s = addr and e = addr + len in scratch M[0..3] as 32-bit halves, the
 *    carry of the low add detected with "sum < len_lo";
 *  - unaligned addresses, len 0 and e wrapping past 2^64 are let through:
 *    the kernel answers them (EINVAL, 0, EINVAL/ENOMEM) before any seal
 *    check, as it would with mseal;
 *  - a binary search over the sorted, merged ranges for the first range
 *    with hi > s; the call overlaps it iff its lo < e.
 *
 * cBPF only jumps forward, so the search tree is emitted once per use
 * (main set, mremap source, discard set). Jumps go to labels, laid out by
 * the assembler in emul-basm.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>

#include "internal.h"
#include "emul.h"
#include "emul-basm.h"

#if defined(__x86_64__) && !defined(__ILP32__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000u
#elif defined(__aarch64__) && defined(__LP64__) && __BYTE_ORDER == __LITTLE_ENDIAN
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH AUDIT_ARCH_RISCV64
#endif

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef SHM_REMAP
#define SHM_REMAP 040000
#endif

/* Advice values that discard memory: the kernel's list (spec §2.2), with
 * GUARD_INSTALL (6.13+). Compared on the low 32 bits, as the kernel
 * truncates int arguments. */
static const uint32_t discard_advice[] = {
	4,   /* MADV_DONTNEED */
	8,   /* MADV_FREE */
	9,   /* MADV_REMOVE */
	10,  /* MADV_DONTFORK */
	18,  /* MADV_WIPEONFORK */
	24,  /* MADV_DONTNEED_LOCKED */
	102, /* MADV_GUARD_INSTALL */
};

#define RET_ALLOW SECCOMP_RET_ALLOW
#define RET_EPERM (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define RET_ENOSYS (SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA))

/* Offsets of the 32-bit halves of seccomp_data.args[i]. */
#define ARG(i) ((uint32_t)offsetof(struct seccomp_data, args[i]))
#if __BYTE_ORDER == __LITTLE_ENDIAN
#define LO(i) ARG(i)
#define HI(i) (ARG(i) + 4)
#else
#define LO(i) (ARG(i) + 4)
#define HI(i) ARG(i)
#endif

/* Scratch slots: s and e, low and high halves. */
enum { S_LO = 0, S_HI = 1, E_LO = 2, E_HI = 3 };

uint32_t libmseal_bpf_native_arch(void)
{
#ifdef NATIVE_ARCH
	return NATIVE_ARCH;
#else
	return 0;
#endif
}

/* Short names for the assembler (emul-basm.c). */
static void emit(struct basm *a, uint16_t code, uint32_t k, int jt, int jf)
{
	libmseal_basm_emit(a, code, k, jt, jf);
}

static int new_label(struct basm *a)
{
	return libmseal_basm_label(a);
}

static void bind(struct basm *a, int label)
{
	libmseal_basm_bind(a, label);
}

static void ld_abs(struct basm *a, uint32_t off)
{
	emit(a, BPF_LD | BPF_W | BPF_ABS, off, 0, 0);
}

static void ld_mem(struct basm *a, uint32_t slot)
{
	emit(a, BPF_LD | BPF_MEM, slot, 0, 0);
}

static void ret(struct basm *a, uint32_t action)
{
	emit(a, BPF_RET | BPF_K, action, 0, 0);
}

static void ja(struct basm *a, int label)
{
	emit(a, BPF_JMP | BPF_JA, 0, label, 0);
}

static void jmp(struct basm *a, uint16_t op, uint32_t k, int jt, int jf)
{
	emit(a, BPF_JMP | op, k, jt, jf);
}

/* Let an address whose low bits are set through (the kernel's EINVAL). */
static void align_gate(struct basm *a, uint32_t lo_off, uint32_t page_mask)
{
	int bad = new_label(a), ok = new_label(a);

	ld_abs(a, lo_off);
	jmp(a, BPF_JSET | BPF_K, page_mask, bad, ok);
	bind(a, bad);
	ret(a, RET_ALLOW);
	bind(a, ok);
}

/* M[S] = arg @ai, in 32-bit halves. */
static void load_s(struct basm *a, int ai)
{
	ld_abs(a, LO(ai));
	emit(a, BPF_ST, S_LO, 0, 0);
	ld_abs(a, HI(ai));
	emit(a, BPF_ST, S_HI, 0, 0);
}

/* M[S] = arg @ai, M[E] = arg @ai + arg @aj, 64-bit, in 32-bit halves. */
static void range_setup(struct basm *a, int ai, int aj)
{
	int carry = new_label(a), nocarry = new_label(a), join = new_label(a);

	load_s(a, ai);
	ld_abs(a, LO(aj));
	emit(a, BPF_MISC | BPF_TAX, 0, 0, 0);
	ld_mem(a, S_LO);
	emit(a, BPF_ALU | BPF_ADD | BPF_X, 0, 0, 0);
	emit(a, BPF_ST, E_LO, 0, 0);
	/* the low sum is below len_lo exactly when it carried */
	jmp(a, BPF_JGE | BPF_X, 0, nocarry, carry);
	bind(a, carry);
	ld_abs(a, HI(aj));
	emit(a, BPF_ALU | BPF_ADD | BPF_K, 1, 0, 0);
	ja(a, join);
	bind(a, nocarry);
	ld_abs(a, HI(aj));
	bind(a, join);
	emit(a, BPF_MISC | BPF_TAX, 0, 0, 0);
	ld_mem(a, S_HI);
	emit(a, BPF_ALU | BPF_ADD | BPF_X, 0, 0, 0);
	emit(a, BPF_ST, E_HI, 0, 0);
}

/* Go to @gt when e > s (64-bit, M[E] against M[S]); to @hi_lt when the
 * high halves already say e < s; else to @lo_le, with A = e_lo and
 * X = s_lo loaded for a further test. */
static void e_above_s(struct basm *a, int gt, int hi_lt, int lo_le)
{
	int eq = new_label(a);

	ld_mem(a, E_HI);
	emit(a, BPF_LDX | BPF_MEM, S_HI, 0, 0);
	jmp(a, BPF_JGT | BPF_X, 0, gt, eq);
	bind(a, eq);
	jmp(a, BPF_JEQ | BPF_X, 0, NEXT, hi_lt);
	ld_mem(a, E_LO);
	emit(a, BPF_LDX | BPF_MEM, S_LO, 0, 0);
	jmp(a, BPF_JGT | BPF_X, 0, gt, lo_le);
}

/* Allow when e <= s (len 0, or a sum that wrapped), else fall on. */
static void empty_or_wrapped(struct basm *a)
{
	int gt = new_label(a), le = new_label(a);

	e_above_s(a, gt, le, le);
	bind(a, le);
	ret(a, RET_ALLOW);
	bind(a, gt);
}

/* Go to @yes when the 64-bit value in M[@hi]:M[@lo] is below @c, else
 * to @no (5 instructions). */
static void below(struct basm *a, int hi, int lo, uint64_t c, int yes, int no)
{
	ld_mem(a, (uint32_t)hi);
	jmp(a, BPF_JGT | BPF_K, (uint32_t)(c >> 32), no, NEXT);
	jmp(a, BPF_JEQ | BPF_K, (uint32_t)(c >> 32), NEXT, yes);
	ld_mem(a, (uint32_t)lo);
	jmp(a, BPF_JGE | BPF_K, (uint32_t)c, no, yes);
}

/* Go to @yes when M[@hi]:M[@lo] is above @c, else to @no. */
static void above(struct basm *a, int hi, int lo, uint64_t c, int yes, int no)
{
	ld_mem(a, (uint32_t)hi);
	jmp(a, BPF_JGT | BPF_K, (uint32_t)(c >> 32), yes, NEXT);
	jmp(a, BPF_JEQ | BPF_K, (uint32_t)(c >> 32), NEXT, no);
	ld_mem(a, (uint32_t)lo);
	jmp(a, BPF_JGT | BPF_K, (uint32_t)c, yes, no);
}

/*
 * The search over r[l..h]: the first range with hi > s lies in r[l..h]
 * (index n: none). Overlap -> EPERM; none -> ALLOW, or a jump to @miss
 * when @miss >= 0.
 */
static void tree(struct basm *a, const struct libmseal_erange *r, size_t n,
		 size_t l, size_t h, int miss)
{
	size_t mid = l + (h - l) / 2;
	int yes, no;

	if (l == h) {
		if (l < n) {
			yes = new_label(a);
			no = new_label(a);
			above(a, E_HI, E_LO, r[l].start, yes, no);
			bind(a, yes);
			ret(a, RET_EPERM);
			bind(a, no);
		}
		if (miss >= 0)
			ja(a, miss);
		else
			ret(a, RET_ALLOW);
		return;
	}
	yes = new_label(a);
	no = new_label(a);
	below(a, S_HI, S_LO, r[mid].end, yes, no);
	bind(a, yes);
	tree(a, r, n, l, mid, miss);
	bind(a, no);
	tree(a, r, n, mid + 1, h, miss);
}

/* mremap: the source (old_len 0 is the point at s, as 6.12+ checks the
 * VMA there), then with MREMAP_FIXED the destination (a4, new_len). */
static void mremap_block(struct basm *a, const struct libmseal_erange *r,
			 size_t n, uint32_t page_mask, int main_tree)
{
	int fixed = new_label(a), src = new_label(a), search = new_label(a);
	int point = new_label(a), wrap = new_label(a);
	int dest = new_label(a), dest_fixed = new_label(a);
	int empty = new_label(a);

	align_gate(a, LO(0), page_mask);
	ld_abs(a, LO(3));
	jmp(a, BPF_JSET | BPF_K, MREMAP_FIXED, fixed, src);
	bind(a, fixed);
	align_gate(a, LO(4), page_mask);
	bind(a, src);
	range_setup(a, 0, 1);
	e_above_s(a, search, wrap, NEXT);
	/* e == s: old_len 0 */
	jmp(a, BPF_JEQ | BPF_X, 0, point, wrap);
	bind(a, wrap);
	ret(a, RET_ALLOW);
	bind(a, point);
	/* s is page-aligned here, so s + 1 never carries */
	ld_mem(a, S_LO);
	emit(a, BPF_ALU | BPF_ADD | BPF_K, 1, 0, 0);
	emit(a, BPF_ST, E_LO, 0, 0);
	bind(a, search);
	tree(a, r, n, 0, n, dest);
	bind(a, dest);
	ld_abs(a, LO(3));
	jmp(a, BPF_JSET | BPF_K, MREMAP_FIXED, dest_fixed, empty);
	bind(a, dest_fixed);
	range_setup(a, 4, 2);
	empty_or_wrapped(a);
	ja(a, main_tree);
	bind(a, empty);
	ret(a, RET_ALLOW);
}

/* Go to @hit when the (low 32-bit) argument at @off is a discard
 * advice, else allow. */
static void advice_gate(struct basm *a, uint32_t off, int hit)
{
	ld_abs(a, off);
	for (size_t i = 0; i < sizeof(discard_advice) / sizeof(*discard_advice);
	     i++)
		jmp(a, BPF_JEQ | BPF_K, discard_advice[i], hit, NEXT);
	ret(a, RET_ALLOW);
}

/* shmat(SHM_REMAP): the segment size is not visible, so refuse any
 * address below the highest sealed end @top. */
static void shmat_block(struct basm *a, uint64_t top)
{
	int no = new_label(a), remap = new_label(a), deny = new_label(a);

	ld_abs(a, LO(2));
	jmp(a, BPF_JSET | BPF_K, SHM_REMAP, remap, no);
	bind(a, remap);
	load_s(a, 1);
	below(a, S_HI, S_LO, top, deny, no);
	bind(a, deny);
	ret(a, RET_EPERM);
	bind(a, no);
	ret(a, RET_ALLOW);
}

struct labels {
	int a01, mmap, mremap, madvise, pmadvise, shmat, eperm, enosys,
		allow, main_tree;
};


static void dispatch(struct basm *a, const struct labels *L, size_t n,
		     size_t nd)
{
	ld_abs(a, (uint32_t)offsetof(struct seccomp_data, arch));
	jmp(a, BPF_JEQ | BPF_K, libmseal_bpf_native_arch(), NEXT, L->enosys);
	ld_abs(a, (uint32_t)offsetof(struct seccomp_data, nr));
#ifdef X32_BIT
	jmp(a, BPF_JGE | BPF_K, X32_BIT, L->enosys, NEXT);
#endif
	if (n > 0) {
		jmp(a, BPF_JEQ | BPF_K, __NR_mprotect, L->a01, NEXT);
		jmp(a, BPF_JEQ | BPF_K, __NR_munmap, L->a01, NEXT);
#ifdef __NR_pkey_mprotect
		jmp(a, BPF_JEQ | BPF_K, __NR_pkey_mprotect, L->a01, NEXT);
#endif
#ifdef __NR_remap_file_pages
		jmp(a, BPF_JEQ | BPF_K, __NR_remap_file_pages, L->a01, NEXT);
#endif
		jmp(a, BPF_JEQ | BPF_K, __NR_mmap, L->mmap, NEXT);
		jmp(a, BPF_JEQ | BPF_K, __NR_mremap, L->mremap, NEXT);
		jmp(a, BPF_JEQ | BPF_K, __NR_shmat, L->shmat, NEXT);
	}
	if (nd > 0) {
		jmp(a, BPF_JEQ | BPF_K, __NR_madvise, L->madvise, NEXT);
		jmp(a, BPF_JEQ | BPF_K, __NR_process_madvise, L->pmadvise,
		    NEXT);
	}
	/* io_uring operations are invisible to seccomp (study §5): no new
	 * rings, and no use of a ring received from another process */
	jmp(a, BPF_JEQ | BPF_K, __NR_io_uring_setup, L->eperm, NEXT);
	jmp(a, BPF_JEQ | BPF_K, __NR_io_uring_enter, L->eperm, NEXT);
	jmp(a, BPF_JEQ | BPF_K, __NR_io_uring_register, L->eperm, L->allow);
	bind(a, L->allow);
	ret(a, RET_ALLOW);
	bind(a, L->enosys);
	ret(a, RET_ENOSYS);
	bind(a, L->eperm);
	ret(a, RET_EPERM);
}

static void build(struct basm *a, const struct libmseal_erange *r, size_t n,
		  const struct libmseal_erange *d, size_t nd, uint32_t mask)
{
	struct labels L;
	int *l = (int *)&L;

	/* every label is bound after the jumps to it: cBPF jumps forward */
	for (size_t i = 0; i < sizeof(L) / sizeof(int); i++)
		l[i] = new_label(a);
	dispatch(a, &L, n, nd);
	if (n > 0) {
		int other = new_label(a);

		bind(a, L.shmat);
		shmat_block(a, r[n - 1].end);
		bind(a, L.mremap);
		mremap_block(a, r, n, mask, L.main_tree);

		bind(a, L.mmap);
		/* MAP_FIXED_NOREPLACE (alone or with MAP_FIXED) must reach
		 * the kernel, which answers EEXIST as it does for mseal */
		ld_abs(a, LO(3));
		emit(a, BPF_ALU | BPF_AND | BPF_K,
		     MAP_FIXED | MAP_FIXED_NOREPLACE, 0, 0);
		jmp(a, BPF_JEQ | BPF_K, MAP_FIXED, L.a01, other);
		bind(a, other);
		ret(a, RET_ALLOW);

		bind(a, L.a01);
		align_gate(a, LO(0), mask);
		range_setup(a, 0, 1);
		empty_or_wrapped(a);
		bind(a, L.main_tree);
		tree(a, r, n, 0, n, -1);
	} else {
		bind(a, L.shmat);
		bind(a, L.mremap);
		bind(a, L.mmap);
		bind(a, L.a01);
		bind(a, L.main_tree);
	}
	bind(a, L.pmadvise);
	if (nd > 0) {
		int check = new_label(a), deny = new_label(a);

		/* the iovec is not visible: refuse discard advice outright */
		advice_gate(a, LO(3), deny);
		bind(a, deny);
		ret(a, RET_EPERM);
		bind(a, L.madvise);
		advice_gate(a, LO(2), check);
		bind(a, check);
		align_gate(a, LO(0), mask);
		range_setup(a, 0, 1);
		empty_or_wrapped(a);
		tree(a, d, nd, 0, nd, -1);
	} else {
		bind(a, L.madvise);
	}
}

static int cmp_range(const void *pa, const void *pb)
{
	const struct libmseal_erange *x = pa, *y = pb;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

size_t libmseal_erange_merge(struct libmseal_erange *r, size_t n)
{
	size_t out = 0;

	if (n == 0)
		return 0;
	qsort(r, n, sizeof(*r), cmp_range);
	for (size_t i = 1; i < n; i++) {
		if (r[i].start <= r[out].end) {
			if (r[i].end > r[out].end)
				r[out].end = r[i].end;
		} else {
			r[++out] = r[i];
		}
	}
	return out + 1;
}

/* A sorted, merged copy of @in; *@ret_n its length. */
static int copy_merged(const struct libmseal_erange *in, size_t n,
		       struct libmseal_erange **ret, size_t *ret_n)
{
	struct libmseal_erange *r = malloc((n ? n : 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (in[i].end <= in[i].start) {
			free(r);
			return -EINVAL;
		}
		r[i] = in[i];
	}
	*ret_n = libmseal_erange_merge(r, n);
	*ret = r;
	return 0;
}

int libmseal_bpf_generate(const struct libmseal_erange *sealed,
			  size_t n_sealed,
			  const struct libmseal_erange *discard,
			  size_t n_discard, uint64_t page_size,
			  struct sock_filter **ret_prog, size_t *ret_len)
{
	struct libmseal_erange *r = NULL, *d = NULL;
	struct basm a = { 0 };
	size_t n = 0, nd = 0;
	int rc;

	if (libmseal_bpf_native_arch() == 0)
		return -ENOTSUP;
	if (page_size == 0 || (page_size & (page_size - 1)) ||
	    page_size > UINT32_MAX)
		return -EINVAL;
	rc = copy_merged(sealed, n_sealed, &r, &n);
	if (rc == 0)
		rc = copy_merged(discard, n_discard, &d, &nd);
	if (rc == 0) {
		build(&a, r, n, d, nd, (uint32_t)(page_size - 1));
		rc = a.err ? a.err :
			     libmseal_basm_assemble(&a, ret_prog, ret_len);
	}
	libmseal_basm_free(&a);
	free(r);
	free(d);
	return rc;
}
