// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mseal_image() options and report: exclude patterns (loader name, real
 * path, both basenames), LIBMSEAL_IMAGE_GAPS, a second call, concurrent
 * calls, LIBMSEAL_FORCE_UNSUPPORTED=1 and bad arguments.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "imgtest.h"
#include "internal.h"
#include "testutil.h"

int fix_maxpage_fn(int x);
int fix_now_fn(int x);
int fix_lazy_fn(int x);

/* Referenced, so --as-needed keeps every fixture a startup object. */
__attribute__((used)) static int (*const keep_fixtures[])(int) = {
	fix_maxpage_fn, fix_now_fn, fix_lazy_fn,
};

#define NOW_SO "libfix-now.so.1"

static struct mseal_report *seal_opts(unsigned int flags,
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

/* The pattern leaves libfix-now unsealed and reports it EXCLUDED, while
 * the other objects are sealed. */
static void check_excluded_by(const char *pattern)
{
	const char *const exclude[] = { "no-such-object*", pattern, NULL };
	struct mseal_report *r;
	size_t n;

	test_require_mseal();
	r = seal_opts(0, exclude);
	cr_assert_eq(r->status, 0);
	n = img_count(r, NOW_SO, -1, 0);
	cr_assert_geq(n, 3, "pattern %s", pattern);
	cr_assert_eq(img_count(r, NOW_SO, LIBMSEAL_SKIP_EXCLUDED, 0), n);
	cr_assert_eq(r->ranges_skipped, n, "only libfix-now is skipped");
	img_assert_objects(1, NOW_SO);
	cr_assert_eq(test_is_sealed((void *)fix_now_fn), 0);
	cr_assert_eq(test_is_sealed((void *)fix_lazy_fn), 1);
	mseal_report_free(r);
}

/* The real file of libfix-now.so.1 (libfix-now.so.1.0.0). */
static void now_real_path(char *buf)
{
	struct img_object *objs;
	size_t n = img_objects(&objs);
	const struct img_object *o = img_find(objs, n, NOW_SO);

	cr_assert_not_null(o);
	cr_assert_str_neq(o->name, o->real, "the fixture is a symlink");
	snprintf(buf, PATH_MAX, "%s", o->real);
	free(objs);
}

Test(exclude, control_unmatched_pattern_seals_everything)
{
	const char *const exclude[] = { "libfix-now.so", "*/nothing", NULL };
	struct mseal_report *r;

	test_require_mseal();
	r = seal_opts(0, exclude);
	cr_assert_eq(img_count(r, NOW_SO, LIBMSEAL_SKIP_EXCLUDED, 0), 0);
	cr_assert_eq(r->ranges_skipped, 0);
	img_assert_objects(1, NULL);
	mseal_report_free(r);
}

Test(exclude, loader_name_full_path)
{
	struct img_object *objs;
	size_t n = img_objects(&objs);
	const struct img_object *o = img_find(objs, n, NOW_SO);

	cr_assert_not_null(o);
	cr_assert_eq(o->name[0], '/');
	check_excluded_by(o->name);
	free(objs);
}

Test(exclude, loader_basename)
{
	check_excluded_by(NOW_SO);
}

Test(exclude, real_path)
{
	char real[PATH_MAX];

	now_real_path(real);
	check_excluded_by(real);
}

Test(exclude, real_basename_glob)
{
	check_excluded_by("libfix-now.so.1.0.?");
}

Test(exclude, main_program_by_exe_path)
{
	const char *const exclude[] = { "*/test-image-opts", NULL };
	struct mseal_report *r;
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	test_require_mseal();
	cr_assert_gt(len, 0);
	exe[len] = '\0';
	r = seal_opts(0, exclude);
	cr_assert_geq(img_count(r, exe, LIBMSEAL_SKIP_EXCLUDED, 0), 2);
	cr_assert_eq(img_count(r, exe, LIBMSEAL_SKIP_NONE, 0), 0);
	cr_assert_eq(test_is_sealed((void *)check_excluded_by), 0);
	cr_assert_eq(test_is_sealed((void *)fix_now_fn), 1);
	mseal_report_free(r);
}

/* LIBMSEAL_IMAGE_GAPS: the 2 MiB-aligned fixture has PROT_NONE fillers. */
static size_t gap_mappings(int want_sealed)
{
	struct img_object *objs;
	struct img_vma *v;
	size_t no = img_objects(&objs), nv = img_read_vmas(&v), gaps = 0;
	const struct img_object *o = img_find(objs, no, "libfix-maxpage.so.1");

	cr_assert_not_null(o);
	for (size_t i = 0; i < nv; i++) {
		if (!img_vma_of(&v[i], o) || strcmp(v[i].perms, "---p") != 0)
			continue;
		cr_assert_eq(v[i].sealed, want_sealed, "gap %lx-%lx",
			     v[i].start, v[i].end);
		gaps++;
	}
	free(v);
	free(objs);
	return gaps;
}

Test(gaps, control_default_leaves_fillers_unsealed)
{
	struct mseal_report *r;

	test_require_mseal();
	r = seal_opts(0, NULL);
	cr_assert_eq(img_count(r, NULL, -1, LIBMSEAL_RANGE_GAP), 0);
	cr_assert_geq(gap_mappings(0), 2);
	mseal_report_free(r);
}

Test(gaps, flag_seals_fillers_between_segments)
{
	struct mseal_report *r;

	test_require_mseal();
	r = seal_opts(LIBMSEAL_IMAGE_GAPS, NULL);
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->ranges_failed, 0);
	cr_assert_eq(r->ranges_skipped, 0);
	cr_assert_geq(img_count(r, "libfix-maxpage.so.1", LIBMSEAL_SKIP_NONE,
				LIBMSEAL_RANGE_GAP), 2);
	cr_assert_geq(gap_mappings(1), 2);
	img_assert_objects(1, NULL);
	mseal_report_free(r);
}

Test(report, second_call_seals_nothing_new)
{
	struct mseal_report *first, *second;

	test_require_mseal();
	first = seal_opts(0, NULL);
	second = seal_opts(0, NULL);
	cr_assert_gt(first->ranges_sealed, 0);
	cr_assert_eq(second->ranges_sealed, 0);
	cr_assert_eq(second->bytes_sealed, 0);
	cr_assert_eq(second->n_calls, 0, "no system call for known seals");
	cr_assert_eq(second->status, 0);
	cr_assert_eq(second->objects_seen, first->objects_seen);
	cr_assert_eq(second->ranges_skipped, second->n_ranges);
	cr_assert_eq(img_count(second, NULL, LIBMSEAL_SKIP_ALREADY_SEALED, 0),
		     second->n_ranges);
	cr_assert_eq(second->n_ranges, first->n_ranges);
	for (size_t i = 0; i < first->n_ranges; i++) {
		cr_assert_eq(second->ranges[i].start, first->ranges[i].start);
		cr_assert_eq(second->ranges[i].end, first->ranges[i].end);
		cr_assert_str_eq(second->ranges[i].object,
				 first->ranges[i].object);
	}
	mseal_report_free(first);
	mseal_report_free(second);
}

Test(report, gaps_after_default_call_seal_only_the_gaps)
{
	struct mseal_report *first, *second;

	test_require_mseal();
	first = seal_opts(0, NULL);
	second = seal_opts(LIBMSEAL_IMAGE_GAPS, NULL);
	cr_assert_eq(second->status, 0);
	cr_assert_eq(img_count(second, NULL, LIBMSEAL_SKIP_NONE, 0),
		     img_count(second, NULL, LIBMSEAL_SKIP_NONE,
			       LIBMSEAL_RANGE_GAP));
	cr_assert_geq(img_count(second, NULL, LIBMSEAL_SKIP_NONE,
				LIBMSEAL_RANGE_GAP), 2);
	cr_assert_eq(img_count(second, NULL, LIBMSEAL_SKIP_ALREADY_SEALED, 0),
		     first->n_ranges);
	gap_mappings(1);
	mseal_report_free(first);
	mseal_report_free(second);
}

Test(report, null_report_still_seals)
{
	test_require_mseal();
	cr_assert_eq(mseal_image(NULL, NULL), 0);
	img_assert_objects(1, NULL);
}

static void *seal_thread(void *arg)
{
	struct mseal_report **out = arg;

	if (mseal_image(NULL, out) != 0)
		*out = NULL;
	return NULL;
}

Test(report, concurrent_calls_seal_each_range_once)
{
	struct mseal_report *r[2] = { NULL, NULL };
	pthread_t t[2];

	test_require_mseal();
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, seal_thread, &r[i]),
			     0);
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_join(t[i], NULL), 0);
	cr_assert_not_null(r[0]);
	cr_assert_not_null(r[1]);
	img_assert_counts(r[0]);
	img_assert_counts(r[1]);
	cr_assert_eq(r[0]->status, 0);
	cr_assert_eq(r[1]->status, 0);
	/* Calls are serialised: one sealed everything, the other nothing. */
	cr_assert_eq(r[0]->ranges_sealed == 0, r[1]->ranges_sealed != 0);
	img_assert_objects(1, NULL);
	mseal_report_free(r[0]);
	mseal_report_free(r[1]);
}

/* R06 and FORCE: nothing sealed, every range says why, program unchanged. */
Test(force, unsupported_skips_everything_and_program_runs)
{
	struct mseal_report *r;
	uintptr_t page = (uintptr_t)fix_now_fn & ~(test_page() - 1);

	setenv("LIBMSEAL_FORCE_UNSUPPORTED", "1", 1);
	r = seal_opts(LIBMSEAL_IMAGE_GAPS, NULL);
	cr_assert_eq(r->status, -ENOSYS);
	cr_assert_eq(r->reason, LIBMSEAL_REASON_FORCED);
	cr_assert_eq(r->ranges_sealed, 0);
	cr_assert_eq(r->ranges_failed, 0);
	cr_assert_gt(r->n_ranges, 0);
	cr_assert_eq(img_count(r, NULL, LIBMSEAL_SKIP_UNSUPPORTED, 0),
		     r->n_ranges);
	cr_assert_eq(r->n_calls, 0);
	img_assert_objects(0, NULL);
	gap_mappings(0);
	cr_assert_eq(mprotect((void *)page, test_page(),
			      PROT_READ | PROT_EXEC), 0);
	cr_assert_eq(fix_now_fn(1), 1 + 5 + 'f');
	cr_assert_eq(mseal_image_object((void *)fix_now_fn, NULL, NULL), 0);
	cr_assert_eq(test_is_sealed((void *)fix_now_fn), 0);
	mseal_report_free(r);
}

Test(args, bad_options_einval_and_report_untouched)
{
	struct mseal_image_options small = { .size = sizeof(small) - 1 };
	struct mseal_image_options bad = { .size = sizeof(bad),
					   .flags = 1u << 7 };
	struct mseal_report *r = (struct mseal_report *)&small;

	cr_assert_eq(mseal_image(&small, &r), -EINVAL);
	cr_assert_eq(mseal_image(&bad, &r), -EINVAL);
	cr_assert_eq(mseal_image_object((void *)fix_now_fn, &bad, &r),
		     -EINVAL);
	cr_assert_eq(r, (struct mseal_report *)&small);
	img_assert_objects(0, NULL);
	cr_assert_null(mseal_report_free(NULL));
}

Test(args, object_enoent_outside_every_object)
{
	char *anon = test_map(1, PROT_READ, 0);
	char *heap = malloc(16);
	struct mseal_report *r = (struct mseal_report *)heap;
	void *vdso = (void *)getauxval(AT_SYSINFO_EHDR);

	cr_assert_eq(mseal_image_object(anon, NULL, &r), -ENOENT);
	cr_assert_eq(mseal_image_object(heap, NULL, &r), -ENOENT);
	cr_assert_eq(mseal_image_object(vdso, NULL, &r), -ENOENT);
	cr_assert_eq(mseal_image_object(NULL, NULL, &r), -ENOENT);
	cr_assert_eq(r, (struct mseal_report *)heap);
	cr_assert_eq(test_is_sealed(vdso), 0);
	free(heap);
}

/* Inside another dl_iterate_phdr callback (the loader's lock is held and
 * recursive): the call works and seals as usual. */
static int nested_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct mseal_report **out = data;

	(void)info;
	(void)size;
	if (!*out && mseal_image(NULL, out) != 0)
		*out = NULL;
	return 1;
}

Test(report, call_from_a_dl_iterate_phdr_callback)
{
	struct mseal_report *r = NULL;

	test_require_mseal();
	dl_iterate_phdr(nested_cb, &r);
	cr_assert_not_null(r);
	img_assert_counts(r);
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->ranges_skipped, 0);
	img_assert_objects(1, NULL);
	mseal_report_free(r);
}

/* A child forked after sealing inherits the seals and the record: its own
 * call seals nothing new, and it does not deadlock on the locks. */
Test(report, forked_child_inherits_record)
{
	struct mseal_report *r;
	int status;
	pid_t pid;

	test_require_mseal();
	r = seal_opts(0, NULL);
	cr_assert_eq(r->status, 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct mseal_report *c = NULL;

		if (mseal_image(NULL, &c) != 0)
			_exit(2);
		if (c->ranges_sealed != 0 || c->n_ranges != r->n_ranges)
			_exit(3);
		_exit(test_is_sealed((void *)fix_now_fn) == 1 ? 0 : 4);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0);
	mseal_report_free(r);
}

/* The call fits a small thread stack (names and paths live elsewhere),
 * exclude patterns (realpath of every object) included. */
static void *seal_with_patterns(void *arg)
{
	static const char *const exclude[] = { "*/nothing-matches", NULL };
	struct mseal_image_options o = { .size = sizeof(o), .exclude = exclude };
	struct mseal_report **out = arg;

	if (mseal_image(&o, out) != 0)
		*out = NULL;
	return NULL;
}

Test(report, runs_on_a_64k_thread_stack_with_patterns)
{
	struct mseal_report *r = NULL;
	pthread_attr_t attr;
	pthread_t t;

	test_require_mseal();
	cr_assert_eq(pthread_attr_init(&attr), 0);
	cr_assert_eq(pthread_attr_setstacksize(&attr, 64 * 1024), 0);
	cr_assert_eq(pthread_create(&t, &attr, seal_with_patterns, &r), 0);
	cr_assert_eq(pthread_join(t, NULL), 0);
	cr_assert_not_null(r);
	img_assert_counts(r);
	cr_assert_eq(r->status, 0);
	cr_assert_eq(r->ranges_skipped, 0);
	img_assert_objects(1, NULL);
	mseal_report_free(r);
	pthread_attr_destroy(&attr);
}
