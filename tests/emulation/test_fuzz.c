// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Differential fuzzer: the filter libmseal generates, run in the
 * in-process interpreter (bpfsim.c), must give the same action as the
 * reference (reference.c) on every call. Range sets straddle 4 GiB
 * boundaries and the top of the address space; arguments are drawn near
 * range edges and with low words that force carries, so that every
 * 32-bit half of every 64-bit compare is exercised. Seeds are fixed:
 * a failure prints the case and replays.
 *
 * LIBMSEAL_FUZZ_SCALE=N multiplies the number of calls (default 1:
 * 4 x 2,500,000 calls in all).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "bpfsim.h"
#include "emul.h"
#include "reference.h"

#define PAGE 4096ull
#define MAX_RANGES 100

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	/* splitmix64 */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below_n(struct rng *r, uint64_t n)
{
	return n ? next(r) % n : 0;
}

/* A page-aligned address somewhere interesting. */
static uint64_t some_base(struct rng *r)
{
	switch (below_n(r, 5)) {
	case 0: /* just around a 4 GiB boundary */
		return ((below_n(r, 1u << 16) + 1) << 32) -
		       below_n(r, 8) * PAGE;
	case 1: /* near the top of the 64-bit space */
		return 0ull - (below_n(r, 64) + 1) * PAGE * 16;
	case 2: /* near zero */
		return below_n(r, 64) * PAGE;
	case 3: /* user space of x86-64 */
		return (next(r) & 0x00007ffffffff000ull);
	default:
		return next(r) & ~(PAGE - 1);
	}
}

static size_t make_set(struct rng *r, struct ref_range *sealed,
		       struct ref_range *discard, size_t *n_discard)
{
	static const size_t sizes[] = { 0, 1, 1, 2, 3, 4, 7, 16, 33, 64, 100 };
	size_t n = sizes[below_n(r, sizeof(sizes) / sizeof(*sizes))];
	size_t nd = 0;
	uint64_t cluster = some_base(r);

	for (size_t i = 0; i < n; i++) {
		uint64_t base = below_n(r, 3) ? cluster + below_n(r, 64) * PAGE :
						some_base(r);
		uint64_t len = below_n(r, 4) ? (below_n(r, 16) + 1) * PAGE :
					       (below_n(r, 1u << 22) + 1) * PAGE;

		/* end at most 2^64 - PAGE: the top page is never a range */
		if (base + len <= base || base + len > 0ull - PAGE)
			len = (0ull - PAGE) - base;
		if (len == 0) {
			base -= PAGE;
			len = PAGE;
		}
		sealed[i].start = base;
		sealed[i].end = base + len;
		if (below_n(r, 2)) {
			/* a page-aligned piece of it is discard-protected */
			uint64_t pages = len / PAGE;
			uint64_t off = below_n(r, pages);
			uint64_t cnt = below_n(r, pages - off) + 1;

			discard[nd].start = base + off * PAGE;
			discard[nd].end = discard[nd].start + cnt * PAGE;
			nd++;
		}
	}
	*n_discard = nd;
	return n;
}

/* An address: a range edge give or take a little, or anything. */
static uint64_t pick_addr(struct rng *r, const struct ref_range *s, size_t n)
{
	static const int64_t delta[] = { 0, 0, 0, 4096, -4096, 1, -1, 8192,
					 -8192, 2048 };
	uint64_t base;

	if (n && below_n(r, 4)) {
		const struct ref_range *x = &s[below_n(r, n)];

		base = below_n(r, 2) ? x->start : x->end;
	} else {
		base = some_base(r);
	}
	return base + (uint64_t)delta[below_n(r, sizeof(delta) / sizeof(*delta))];
}

static uint64_t pick_len(struct rng *r, uint64_t addr,
			 const struct ref_range *s, size_t n)
{
	switch (below_n(r, 8)) {
	case 0:
		return 0;
	case 1: /* to a range edge, give or take */
		if (n) {
			const struct ref_range *x = &s[below_n(r, n)];
			uint64_t to = below_n(r, 2) ? x->start : x->end;

			return to - addr + (below_n(r, 3) - 1) * 4096;
		}
		return PAGE;
	case 2: /* a low word that carries */
		return (below_n(r, 4) << 32) | (0xffffffffull - below_n(r, 3 * PAGE));
	case 3: /* wraps past 2^64 */
		return 0ull - addr + below_n(r, 4) * PAGE;
	case 4:
		return next(r);
	default:
		return (below_n(r, 32) + 1) * PAGE - below_n(r, 2);
	}
}

static int pick_nr(struct rng *r)
{
	static const int nrs[] = {
		__NR_mprotect, __NR_pkey_mprotect, __NR_munmap,
		__NR_remap_file_pages, __NR_mmap, __NR_mmap, __NR_mremap,
		__NR_mremap, __NR_madvise, __NR_madvise, __NR_process_madvise,
		__NR_shmat, __NR_io_uring_setup, __NR_io_uring_enter,
		__NR_io_uring_register, __NR_getpid, __NR_brk,
		__NR_read, __NR_mlock, __NR_msync,
	};

	if (below_n(r, 20) == 0)
		return (int)(uint32_t)next(r);
	return nrs[below_n(r, sizeof(nrs) / sizeof(*nrs))];
}

/* Flags with the bits that matter set often, and junk in both halves. */
static uint64_t pick_flags(struct rng *r)
{
	static const uint64_t bits[] = { 0x10, 0x100000, 0x100010, 0x02,
					 0x22, 0x12, 0x1, 0x3, 040000, 0x4 };
	uint64_t f = bits[below_n(r, sizeof(bits) / sizeof(*bits))];

	if (below_n(r, 3) == 0)
		f |= next(r) & 0xffffffff00000000ull; /* high junk: ignored */
	if (below_n(r, 4) == 0)
		f ^= next(r) & 0xffffffffull;
	return f;
}

static uint64_t pick_advice(struct rng *r)
{
	static const uint64_t adv[] = { 4, 8, 9, 10, 18, 24, 102, 0, 3, 11,
					14, 21, 103, 0x100000004ull };

	if (below_n(r, 10) == 0)
		return next(r);
	return adv[below_n(r, sizeof(adv) / sizeof(*adv))];
}

static void make_call(struct rng *r, const struct ref_range *s, size_t n,
		      struct seccomp_data *d)
{
	memset(d, 0, sizeof(*d));
	d->arch = ref_native_arch();
	if (below_n(r, 50) == 0)
		d->arch = below_n(r, 2) ? AUDIT_ARCH_I386 : (uint32_t)next(r);
	d->nr = pick_nr(r);
	if (below_n(r, 60) == 0)
		d->nr |= 0x40000000; /* x32 */
	for (int i = 0; i < 6; i++)
		d->args[i] = next(r);
	d->args[0] = pick_addr(r, s, n);
	d->args[1] = pick_len(r, d->args[0], s, n);
	d->args[2] = below_n(r, 2) ? pick_len(r, d->args[4], s, n) : next(r);
	d->args[3] = pick_flags(r);
	d->args[4] = pick_addr(r, s, n);
	if (d->nr == __NR_mremap)
		d->args[2] = pick_len(r, d->args[4], s, n);
	if (d->nr == __NR_madvise)
		d->args[2] = pick_advice(r);
	if (d->nr == __NR_process_madvise)
		d->args[3] = pick_advice(r);
	if (d->nr == __NR_shmat)
		d->args[1] = pick_addr(r, s, n);
}

static void dump(const struct ref_range *s, size_t n,
		 const struct ref_range *dd, size_t nd,
		 const struct seccomp_data *d)
{
	cr_log_error("nr %d arch %#x args %#llx %#llx %#llx %#llx %#llx",
		     d->nr, d->arch, (unsigned long long)d->args[0],
		     (unsigned long long)d->args[1],
		     (unsigned long long)d->args[2],
		     (unsigned long long)d->args[3],
		     (unsigned long long)d->args[4]);
	for (size_t i = 0; i < n; i++)
		cr_log_error("sealed %#llx-%#llx",
			     (unsigned long long)s[i].start,
			     (unsigned long long)s[i].end);
	for (size_t i = 0; i < nd; i++)
		cr_log_error("discard %#llx-%#llx",
			     (unsigned long long)dd[i].start,
			     (unsigned long long)dd[i].end);
}

static unsigned long scale(void)
{
	const char *v = getenv("LIBMSEAL_FUZZ_SCALE");
	unsigned long s = v ? strtoul(v, NULL, 10) : 1;

	return s ? s : 1;
}

/* @sets range sets of @calls calls each, from @seed. */
static void fuzz(uint64_t seed, unsigned long sets, unsigned long calls)
{
	struct ref_range sealed[MAX_RANGES], discard[MAX_RANGES];
	struct rng r = { seed };
	unsigned long mismatches = 0, total = 0, denied = 0, nosys = 0;

	for (unsigned long k = 0; k < sets; k++) {
		size_t nd, n = make_set(&r, sealed, discard, &nd);
		struct ref_set set = { sealed, n, discard, nd, PAGE };
		struct libmseal_erange es[MAX_RANGES], ed[MAX_RANGES];
		struct sock_filter *prog = NULL;
		size_t len = 0;
		const char *why;
		int rc;

		for (size_t i = 0; i < n; i++)
			es[i] = (struct libmseal_erange){ sealed[i].start,
							  sealed[i].end };
		for (size_t i = 0; i < nd; i++)
			ed[i] = (struct libmseal_erange){ discard[i].start,
							  discard[i].end };
		rc = libmseal_bpf_generate(es, n, ed, nd, PAGE, &prog, &len);

		cr_assert_eq(rc, 0, "generate(%zu ranges): %s", n,
			     strerror(-rc));
		cr_assert_eq(bpfsim_check(prog, len, &why), 0,
			     "kernel would refuse the program: %s", why);
		for (unsigned long c = 0; c < calls; c++) {
			struct seccomp_data d;
			uint32_t want, got;

			make_call(&r, sealed, n, &d);
			want = ref_action(&set, &d);
			got = bpfsim_run(prog, len, &d, NULL);
			total++;
			denied += want == (SECCOMP_RET_ERRNO | EPERM);
			nosys += want == (SECCOMP_RET_ERRNO | ENOSYS);
			if (want != got && mismatches++ < 3) {
				cr_log_error("set %lu call %lu: filter %#x, "
					     "reference %#x", k, c, got, want);
				dump(sealed, n, discard, nd, &d);
			}
		}
		free(prog);
	}
	cr_log_info("seed %#llx: %lu calls (%lu EPERM, %lu ENOSYS), "
		    "%lu mismatches", (unsigned long long)seed, total, denied,
		    nosys, mismatches);
	/* a fuzzer that never reaches a refusal proves nothing */
	cr_assert_gt(denied, total / 20);
	cr_assert_eq(mismatches, 0, "%lu of %lu calls differ", mismatches,
		     total);
}

Test(fuzz, seed1) { fuzz(1, 625 * scale(), 4000); }
Test(fuzz, seed2) { fuzz(2, 625 * scale(), 4000); }
Test(fuzz, seed3) { fuzz(3, 625 * scale(), 4000); }
Test(fuzz, seed4) { fuzz(4, 625 * scale(), 4000); }

/* n ranges 16 pages apart, each 4 pages; every other one protected. */
static int sized(size_t n, size_t *ret_len, unsigned int *ret_steps)
{
	struct libmseal_erange r[2000], d[2000];
	struct sock_filter *prog = NULL;
	struct seccomp_data data = { 0 };
	size_t nd = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		r[i].start = 0x7f0000000000ull + i * 16 * PAGE;
		r[i].end = r[i].start + 4 * PAGE;
		if (i % 2 == 0)
			d[nd++] = r[i];
	}
	rc = libmseal_bpf_generate(r, n, d, nd, PAGE, &prog, ret_len);
	if (rc == 0 && ret_steps) {
		data.arch = ref_native_arch();
		data.nr = __NR_mprotect;
		data.args[0] = 0x7e0000000000ull;
		data.args[1] = PAGE;
		cr_assert_eq(bpfsim_run(prog, *ret_len, &data, ret_steps),
			     SECCOMP_RET_ALLOW);
	}
	free(prog);
	return rc;
}

Test(generator, sizes_and_budget)
{
	size_t len1, len64, len100;
	unsigned int steps1, steps64;

	cr_assert_eq(sized(1, &len1, &steps1), 0);
	cr_assert_eq(sized(64, &len64, &steps64), 0);
	cr_assert_eq(sized(100, &len100, NULL), 0);
	cr_log_info("insns: 1 range %zu, 64 ranges %zu, 100 ranges %zu; "
		    "mprotect runs %u / %u instructions", len1, len64, len100,
		    steps1, steps64);
	cr_assert_leq(len64, 4096);
	/* binary search: 64 ranges cost a handful of compares more */
	cr_assert_lt(steps64, steps1 + 7 * 5 + 1);
	cr_assert_eq(sized(1000, &len1, NULL), -E2BIG);
}

Test(generator, bad_input)
{
	struct libmseal_erange r = { 0x2000, 0x1000 };
	struct sock_filter *prog = NULL;
	size_t len = 0;

	cr_assert_eq(libmseal_bpf_generate(&r, 1, NULL, 0, PAGE, &prog, &len),
		     -EINVAL);
	r.end = 0x3000;
	cr_assert_eq(libmseal_bpf_generate(&r, 1, NULL, 0, 3000, &prog, &len),
		     -EINVAL);
	cr_assert_null(prog);
}
