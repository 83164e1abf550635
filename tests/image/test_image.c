// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_image() on this very process: the test program, libc, ld.so and
 * three fixture libraries it needs at startup (linked with
 * -z max-page-size=0x200000, -z now and -z lazy). Each case runs in its
 * own process (Criterion forks), each sealing case beside its unsealed
 * control, asserting return values, errno, contents and the "sl" flag.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "imgtest.h"
#include "internal.h"
#include "testutil.h"

/* The fixture libraries' entry points: DT_NEEDED, used so they stay. */
int fix_maxpage_fn(int x);
int fix_now_fn(int x);
int fix_lazy_fn(int x);

static const char *const fix_names[] = {
	"libfix-maxpage.so.1", "libfix-now.so.1", "libfix-lazy.so.1",
};

static struct mseal_report *seal_all(unsigned int flags,
				     const char *const *exclude)
{
	struct mseal_image_options o = {
		.size = sizeof(o), .flags = flags, .exclude = exclude,
	};
	struct mseal_report *r = NULL;

	cr_assert_eq(mseal_image(&o, &r), 0);
	cr_assert_not_null(r);
	img_assert_counts(r);
	return r;
}

Test(startup, control_nothing_sealed_before_the_call)
{
	/* The fixtures are really loaded, with their own values. */
	cr_assert_eq(fix_now_fn(1), 1 + 5 + 'f');
	cr_assert_eq(fix_lazy_fn(2), 2 + 5 + 'f');
	cr_assert_eq(fix_maxpage_fn(3), 3 + 5 + 'f');
	img_assert_objects(0, NULL);
}

Test(startup, every_object_text_rodata_relro_sealed_and_nothing_writable)
{
	struct mseal_report *r;

	test_require_mseal();
	r = seal_all(0, NULL);
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->reason, LIBMSEAL_REASON_SUPPORTED);
	cr_assert_eq(r->ranges_failed, 0);
	cr_assert_eq(r->ranges_skipped, 0);
	img_assert_objects(1, NULL);
	for (size_t i = 0; i < 3; i++) {
		const char *lib = fix_names[i];

		cr_assert_eq(img_count(r, lib, LIBMSEAL_SKIP_NONE,
				       LIBMSEAL_RANGE_TEXT), 1, "%s", lib);
		cr_assert_eq(img_count(r, lib, LIBMSEAL_SKIP_NONE,
				       LIBMSEAL_RANGE_RELRO), 1, "%s", lib);
		cr_assert_geq(img_count(r, lib, LIBMSEAL_SKIP_NONE,
					LIBMSEAL_RANGE_RODATA), 1, "%s", lib);
		cr_assert_eq(img_count(r, lib, -1, LIBMSEAL_RANGE_GAP), 0);
	}
	/* The fixtures still work, their data still writable. */
	cr_assert_eq(fix_now_fn(1), 1 + 5 + 'f');
	cr_assert_eq(fix_lazy_fn(2), 2 + 5 + 'f');
	cr_assert_eq(fix_maxpage_fn(3), 3 + 5 + 'f');
	mseal_report_free(r);
}

/* Heap, stack, anonymous memory and the pseudo-mappings stay unsealed. */
Test(startup, heap_stack_anon_vdso_vvar_unsealed)
{
	char *heap = malloc(64);
	char *anon = test_map(1, PROT_READ, 0);
	int on_stack = 1;
	struct img_vma *v;
	size_t n, pseudo = 0;

	test_require_mseal();
	mseal_report_free(seal_all(0, NULL));
	cr_assert_eq(test_is_sealed(heap), 0);
	cr_assert_eq(test_is_sealed(&on_stack), 0);
	cr_assert_eq(test_is_sealed(anon), 0);
	n = img_read_vmas(&v);
	for (size_t i = 0; i < n; i++) {
		if (v[i].inode == 0 && v[i].sealed)
			cr_assert_fail("anonymous %lx %s %s sealed", v[i].start,
				       v[i].perms, v[i].path);
		if (strcmp(v[i].path, "[vdso]") == 0 ||
		    strncmp(v[i].path, "[vvar", 5) == 0)
			pseudo++;
	}
	cr_assert_geq(pseudo, 2);
	free(v);
	free(heap);
}

/* R01: a tracer can still unmap [vdso] after image sealing. */
static void unmap_vdso_in_child(int seal)
{
	uintptr_t vdso = getauxval(AT_SYSINFO_EHDR);
	struct test_vma vma;
	int status;
	pid_t pid;

	cr_assert_neq(vdso, 0);
	cr_assert_eq(test_vma_at((void *)vdso, &vma), 0);
	cr_assert_str_eq(vma.path, "[vdso]");
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct mseal_report *r = NULL;

		if (seal && (mseal_image(NULL, &r) != 0 || r->status != 0))
			_exit(3);
		/* Nothing after this may call through the vDSO. */
		_exit(munmap((void *)vma.start, vma.end - vma.start) == 0 ?
			      0 : 4);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0);
}

Test(vdso, control_munmap_succeeds_unsealed)
{
	unmap_vdso_in_child(0);
}

Test(vdso, munmap_succeeds_after_image_sealing)
{
	test_require_mseal();
	unmap_vdso_in_child(1);
}

/* R21, R23b: in-process hooking gets EPERM and the program goes on. */
Test(hook, control_mprotect_text_succeeds)
{
	uintptr_t page = (uintptr_t)fix_now_fn & ~(test_page() - 1);

	cr_assert_eq(mprotect((void *)page, test_page(),
			      PROT_READ | PROT_WRITE | PROT_EXEC), 0);
	cr_assert_eq(mprotect((void *)page, test_page(),
			      PROT_READ | PROT_EXEC), 0);
	cr_assert_eq(fix_now_fn(1), 1 + 5 + 'f');
}

Test(hook, mprotect_sealed_text_eperm_and_program_goes_on)
{
	uintptr_t page = (uintptr_t)fix_now_fn & ~(test_page() - 1);
	char perms[5];

	test_require_mseal();
	mseal_report_free(seal_all(0, NULL));
	errno = 0;
	cr_assert_eq(mprotect((void *)page, test_page(),
			      PROT_READ | PROT_WRITE | PROT_EXEC), -1);
	cr_assert_eq(errno, EPERM);
	cr_assert_eq(test_perms((void *)page, perms), 0);
	cr_assert_str_eq(perms, "r-xp");
	cr_assert_eq(test_is_sealed((void *)page), 1);
	cr_assert_eq(fix_now_fn(1), 1 + 5 + 'f');
}

/* R14, R15: a page-aligned 64 KiB .bss buffer toggles RW and RX and runs
 * generated code (x86_64: mov eax, 42; ret). */
static unsigned char jit_buf[65536] __attribute__((aligned(65536)));

static void jit_cycle(void)
{
	for (int round = 0; round < 4; round++) {
		cr_assert_eq(mprotect(jit_buf, sizeof(jit_buf), PROT_NONE), 0);
		cr_assert_eq(mprotect(jit_buf, sizeof(jit_buf),
				      PROT_READ | PROT_WRITE), 0);
#if defined(__x86_64__)
		{
			static const unsigned char code[] = {
				0xb8, 42, 0, 0, 0, 0xc3 };
			int (*fn)(void) = (int (*)(void))(void *)jit_buf;

			memcpy(jit_buf, code, sizeof(code));
			jit_buf[1] = (unsigned char)(42 + round);
			cr_assert_eq(mprotect(jit_buf, sizeof(jit_buf),
					      PROT_READ | PROT_EXEC), 0);
			cr_assert_eq(fn(), 42 + round);
		}
#else
		jit_buf[0] = (unsigned char)round;
		cr_assert_eq(mprotect(jit_buf, sizeof(jit_buf),
				      PROT_READ | PROT_EXEC), 0);
		cr_assert_eq(jit_buf[0], round);
#endif
	}
	cr_assert_eq(test_is_sealed(jit_buf), 0);
}

Test(bss, control_jit_buffer_toggles_and_runs)
{
	jit_cycle();
}

Test(bss, jit_buffer_toggles_and_runs_after_sealing)
{
	test_require_mseal();
	mseal_report_free(seal_all(0, NULL));
	jit_cycle();
}

/* R16: the lowest [stack] page can become PROT_NONE; threads with custom
 * guard pages still start. */
static void *thread_main(void *arg)
{
	return (void *)((uintptr_t)arg + 1);
}

static void stack_and_threads(void)
{
	struct img_vma *v;
	size_t n = img_read_vmas(&v);
	uintptr_t low = 0;
	size_t len = 1 << 20, page = test_page();
	pthread_attr_t attr;
	pthread_t t;
	void *ret, *stack;

	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].path, "[stack]") == 0)
			low = v[i].start;
	free(v);
	cr_assert_neq(low, 0);
	cr_assert_eq(mprotect((void *)low, page, PROT_NONE), 0);
	cr_assert_eq(mprotect((void *)low, page, PROT_READ | PROT_WRITE), 0);

	cr_assert_eq(pthread_attr_init(&attr), 0);
	cr_assert_eq(pthread_attr_setguardsize(&attr, 16 * page), 0);
	cr_assert_eq(pthread_create(&t, &attr, thread_main, (void *)41), 0);
	cr_assert_eq(pthread_join(t, &ret), 0);
	cr_assert_eq((uintptr_t)ret, 42);

	/* A caller-owned stack with its own guard page below it. */
	stack = mmap(NULL, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	cr_assert_neq(stack, MAP_FAILED);
	cr_assert_eq(mprotect(stack, page, PROT_NONE), 0);
	cr_assert_eq(pthread_attr_setstack(&attr, (char *)stack + page,
					   len - page), 0);
	cr_assert_eq(pthread_create(&t, &attr, thread_main, (void *)9), 0);
	cr_assert_eq(pthread_join(t, &ret), 0);
	cr_assert_eq((uintptr_t)ret, 10);
	cr_assert_eq(test_is_sealed(stack), 0);
	pthread_attr_destroy(&attr);
}

Test(stack, control_guard_pages)
{
	stack_and_threads();
}

Test(stack, guard_pages_after_sealing)
{
	test_require_mseal();
	mseal_report_free(seal_all(0, NULL));
	stack_and_threads();
}
