// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `mseal maps --pages`: exact page states of mappings a child sets up
 * (resident, not present, page cache, swapped through a zram device made
 * for the test), sealed ones in upper case, the scale and '*' for mixed
 * groups, JSON runs (indented as libsmartcols writes JSON), a mapping too
 * large to draw marked "drawn": false, narrow terminals clamped to 20
 * columns, and --range refused without --pages.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit-util.h"
#include "testutil.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

struct child {
	pid_t pid;
	unsigned long start, end;
};

enum setup { TOUCH_HALF, TOUCH_HALF_SEAL, FILE_CACHED, MIXED_GROUPS, PAGED_OUT,
	     HUGE_NONE };

/* 20 GiB: more than the 16 GiB the page view draws without --range. */
#define HUGE_BYTES (20ull << 30)

static void *child_map(enum setup how, size_t *pages)
{
	size_t page = test_page();
	char *p;

	if (how == FILE_CACHED) {
		char path[] = "/tmp/mseal-pages-XXXXXX";
		int fd = mkstemp(path);
		char buf[4096 * 4];

		memset(buf, 'f', sizeof(buf));
		if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			_exit(1);
		*pages = sizeof(buf) / page;
		p = mmap(NULL, sizeof(buf), PROT_READ, MAP_SHARED, fd, 0);
		unlink(path);
		if (p == MAP_FAILED)
			_exit(1);
		/* never touched: not mapped in, yet in the page cache (written) */
		return p;
	}
	if (how == HUGE_NONE) {
		/* PROT_NONE and never touched: no memory is charged for it */
		*pages = HUGE_BYTES / page;
		p = mmap(NULL, HUGE_BYTES, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		return p;
	}
	*pages = how == MIXED_GROUPS ? 312 : how == PAGED_OUT ? 16 : 8;
	p = mmap(NULL, *pages * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	for (size_t i = 0; i < *pages; i++) {
		if (how == MIXED_GROUPS ? i % 4 < 2 :
		    how == PAGED_OUT ? 1 : i < *pages / 2)
			p[i * page] = (char)(i + 1);
	}
	if (how == TOUCH_HALF_SEAL && test_raw_mseal(p, *pages * page, 0) != 0)
		_exit(2);
	if (how == PAGED_OUT && madvise(p, *pages * page, MADV_PAGEOUT) != 0)
		_exit(3);
	return p;
}

static struct child start_child(enum setup how)
{
	struct child c = { 0 };
	unsigned long range[2];
	int fds[2];

	cr_assert(pipe(fds) == 0);
	c.pid = fork();
	cr_assert(c.pid >= 0);
	if (c.pid == 0) {
		size_t pages;
		char *p;

		audit_child_timeout();
		p = child_map(how, &pages);

		range[0] = (unsigned long)p;
		range[1] = range[0] + pages * test_page();
		if (write(fds[1], range, sizeof(range)) != sizeof(range))
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], range, sizeof(range)), (ssize_t)sizeof(range),
		     "child setup failed");
	close(fds[0]);
	c.start = range[0];
	c.end = range[1];
	return c;
}

static void stop_child(struct child *c)
{
	int status;

	kill(c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
}

static void pages_of(const struct child *c, int json, struct cli_result *res)
{
	char pid[32], range[64];
	const char *argv[] = { "mseal", "maps", "--pages", "--range", range, pid,
			       json ? "-J" : NULL, NULL };

	snprintf(pid, sizeof(pid), "%d", (int)c->pid);
	snprintf(range, sizeof(range), "%lx-%lx", c->start, c->end);
	run_cli(argv, res);
	cr_assert(no_sanitizer_report(res->err), "%s", res->err);
}

/* Parse @doc with /usr/bin/python3's json module (as `d`), run @code
 * there and compare what it prints (one line) with @want. */
static void py_check(const char *doc, const char *code, const char *want)
{
	char script[1024];
	char *text;

	snprintf(script, sizeof(script),
		 "-c 'import json, sys; d = json.load(open(sys.argv[1])); %s'",
		 code);
	text = python_on_doc(doc, script, "");
	cr_expect_str_eq(text, want, "document:\n%s", doc);
	free(text);
}

/* Run the page view of @pages pages from @start of @pid with COLUMNS set
 * to @columns (run_cli() always sets 80); stdout and stderr together. */
static char *pages_columns(const char *columns, pid_t pid, unsigned long start,
			   size_t pages, int *status)
{
	char cmd[1024], *text = NULL;
	size_t cap = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "COLUMNS='%s' '%s' maps --pages --range %lx-%lx %d 2>&1",
		 columns, MSEAL_CLI, start, start + pages * test_page(), (int)pid);
	p = popen(cmd, "r");
	cr_assert(p);
	if (getdelim(&text, &cap, '\0', p) < 0)
		text = strdup("");
	*status = pclose(p);
	cr_assert(no_sanitizer_report(text), "%s", text);
	return text;
}

/* The drawn row of the one mapping shown: the line after its header. */
static const char *row_of(const char *out, char *buf, size_t len)
{
	const char *p = strstr(out, "\n\n");

	cr_assert(p, "%s", out);
	p = strchr(p + 2, '\n');
	cr_assert(p && p[1] == ' ' && p[2] == ' ', "%s", out);
	snprintf(buf, len, "%.*s", (int)strcspn(p + 3, "\n"), p + 3);
	return buf;
}

Test(pages, resident_and_absent_unsealed)
{
	struct child c = start_child(TOUCH_HALF);
	struct cli_result res;
	char row[256], want[1024];

	pages_of(&c, 0, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(row_of(res.out, row, sizeof(row)), "rrrr....");
	cr_expect(strstr(res.out, "Paged-out shmem shows only in smaps Swap"));
	cr_expect(!strchr(res.out, '\033'), "colour only on a terminal");
	cli_result_free(&res);
	pages_of(&c, 1, &res);
	snprintf(want, sizeof(want),
		 "{\n"
		 "   \"page_size\": %zu,\n"
		 "   \"mappings\": [\n"
		 "      {\n"
		 "         \"start\": \"0x%lx\",\n"
		 "         \"end\": \"0x%lx\",\n"
		 "         \"perms\": \"rw-p\",\n"
		 "         \"path\": \"\",\n"
		 "         \"sealed\": false,\n"
		 "         \"smaps_swap\": 0,\n"
		 "         \"drawn\": true,\n"
		 "         \"runs\": [\n"
		 "            {\n"
		 "               \"start\": \"0x%lx\",\n"
		 "               \"pages\": 4,\n"
		 "               \"state\": \"resident\"\n"
		 "            },{\n"
		 "               \"start\": \"0x%lx\",\n"
		 "               \"pages\": 4,\n"
		 "               \"state\": \"absent\"\n"
		 "            }\n"
		 "         ]\n"
		 "      }\n"
		 "   ]\n"
		 "}\n",
		 test_page(), c.start, c.end, c.start, c.start + 4 * test_page());
	cr_expect_str_eq(res.out, want);
	snprintf(want, sizeof(want), "%zu 1 True 0x%lx 4 resident 0x%lx 4 absent",
		 test_page(), c.start, c.start + 4 * test_page());
	py_check(res.out, "m = d[\"mappings\"]; r = m[0][\"runs\"]; "
		 "print(d[\"page_size\"], len(m), m[0][\"drawn\"], "
		 "*[x for u in r for x in (u[\"start\"], u[\"pages\"], u[\"state\"])])",
		 want);
	cli_result_free(&res);
	stop_child(&c);
}

Test(pages, sealed_mapping_upper_case)
{
	struct child c;
	struct cli_result res;
	char row[256];

	test_require_mseal();
	c = start_child(TOUCH_HALF_SEAL);
	pages_of(&c, 0, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(row_of(res.out, row, sizeof(row)), "RRRR::::");
	cr_expect(strstr(res.out, " rw-p sealed "), "%s", res.out);
	cli_result_free(&res);
	stop_child(&c);
}

Test(pages, file_pages_in_page_cache)
{
	struct child c = start_child(FILE_CACHED);
	struct cli_result res;
	char row[256];

	pages_of(&c, 0, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(row_of(res.out, row, sizeof(row)), "cccc");
	cli_result_free(&res);
	stop_child(&c);
}

Test(pages, groups_scaled_to_width_with_mixed_marker)
{
	struct child c = start_child(MIXED_GROUPS);
	struct cli_result res;
	char row[256], want[128];

	pages_of(&c, 0, &res); /* COLUMNS=80: 78 characters, 312 pages */
	cr_expect_eq(res.status, 0, "%s", res.err);
	memset(want, '*', 78);
	want[78] = '\0';
	cr_expect_str_eq(row_of(res.out, row, sizeof(row)), want);
	cr_expect(strstr(res.out, "[1 char = 4 pages]"), "%s", res.out);
	cli_result_free(&res);
	stop_child(&c);
}

static int zram_dev = -1;

/* A fresh zram swap device: 0, or -1 with *why set. */
static int zram_on(const char **why)
{
	char cmd[256];
	FILE *f = fopen("/sys/class/zram-control/hot_add", "r");

	if (!f || fscanf(f, "%d", &zram_dev) != 1) {
		if (f)
			fclose(f);
		*why = "no zram (zram-control hot_add unavailable)";
		return -1;
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "echo 64M > /sys/block/zram%d/disksize && mkswap /dev/zram%d >/dev/null "
		 "&& swapon -p 32767 /dev/zram%d", zram_dev, zram_dev, zram_dev);
	if (system(cmd) != 0) {
		*why = "cannot make a zram swap device (not root?)";
		return -1;
	}
	return 0;
}

static void zram_off(void)
{
	char cmd[256];

	if (zram_dev < 0)
		return;
	snprintf(cmd, sizeof(cmd),
		 "swapoff /dev/zram%d 2>/dev/null; echo %d > /sys/class/zram-control/hot_remove",
		 zram_dev, zram_dev);
	if (system(cmd) != 0)
		cr_log_warn("could not remove zram%d", zram_dev);
	zram_dev = -1;
}

Test(pages, swapped_out_pages_through_zram, .fini = zram_off)
{
	const char *why = NULL;
	struct cli_result res;
	struct child c;
	char row[256];

	if (zram_on(&why) < 0) {
		zram_off();
		cr_skip_test("%s", why);
	}
	c = start_child(PAGED_OUT);
	pages_of(&c, 0, &res);
	stop_child(&c);
	cr_expect_eq(res.status, 0, "%s", res.err);
	cr_expect_str_eq(row_of(res.out, row, sizeof(row)), "ssssssssssssssss");
	cli_result_free(&res);
}

Test(pages, usage_errors)
{
	const char *bad_range[] = { "mseal", "maps", "--pages", "--range", "zz", "self", NULL };
	const char *no_pid[] = { "mseal", "maps", "--pages", NULL };
	const char *gone[] = { "mseal", "maps", "--pages", "999999999", NULL };
	struct cli_result res;

	run_cli(bad_range, &res);
	cr_expect_eq(res.status, 1);
	cr_expect_str_eq(res.err, "mseal: maps --pages: bad range 'zz' (START-END in hex)\n");
	cli_result_free(&res);
	run_cli(no_pid, &res);
	cr_expect_eq(res.status, 1);
	cli_result_free(&res);
	run_cli(gone, &res);
	cr_expect_eq(res.status, 1);
	cr_expect(strstr(res.err, "mseal: maps --pages: 999999999: "), "%s", res.err);
	cli_result_free(&res);
}

Test(pages, too_large_mapping_marked_not_drawn)
{
	struct child c = start_child(HUGE_NONE);
	struct cli_result res;
	char want[512];
	const char *body;

	pages_of(&c, 0, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	body = strstr(res.out, "\n\n");
	cr_assert(body, "%s", res.out);
	/* no "[1 char = N pages]" scale on a mapping that is not drawn */
	snprintf(want, sizeof(want),
		 "%lx-%lx ---p        \n"
		 "  (%llu pages: too many to draw; narrow it with --range)\n",
		 c.start, c.end, HUGE_BYTES / test_page());
	cr_expect_str_eq(body + 2, want);
	cli_result_free(&res);

	pages_of(&c, 1, &res);
	cr_expect_eq(res.status, 0, "%s", res.err);
	snprintf(want, sizeof(want),
		 "1 0x%lx 0x%lx ---p False too many pages; narrow it with --range False",
		 c.start, c.end);
	py_check(res.out, "m = d[\"mappings\"]; "
		 "print(len(m), m[0][\"start\"], m[0][\"end\"], m[0][\"perms\"], "
		 "m[0][\"drawn\"], m[0][\"reason\"], \"runs\" in m[0])", want);
	cli_result_free(&res);
	stop_child(&c);
}

Test(pages, narrow_terminal_clamped_and_scaled)
{
	struct child c = start_child(HUGE_NONE);
	char head[128], want[256];
	const char *cols[] = { "5", "10", "19" };
	char *out;
	int status;

	/* 33 pages: below 20 columns the width is taken as 20, so 18
	 * characters, 2 pages each: 17 characters */
	snprintf(head, sizeof(head), "%lx-%lx ---p          [1 char = 2 pages]\n",
		 c.start, c.start + 33 * test_page());
	snprintf(want, sizeof(want), "%s  .................\n", head);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		out = pages_columns(cols[i], c.pid, c.start, 33, &status);
		cr_expect_eq(status, 0, "COLUMNS=%s: %s", cols[i], out);
		cr_expect(strstr(out, "\n\n"), "%s", out);
		cr_expect_str_eq(strstr(out, "\n\n") + 2, want, "COLUMNS=%s", cols[i]);
		free(out);
	}
	/* wide enough: one character per page, no scale */
	snprintf(want, sizeof(want), "%lx-%lx ---p        \n  %.33s\n", c.start,
		 c.start + 33 * test_page(),
		 "..................................................");
	out = pages_columns("40", c.pid, c.start, 33, &status);
	cr_expect_eq(status, 0, "%s", out);
	cr_expect_str_eq(strstr(out, "\n\n") + 2, want);
	free(out);
	stop_child(&c);
}

Test(pages, range_without_pages_is_a_usage_error)
{
	const char *range[] = { "mseal", "maps", "--range", "0-1", "self", NULL };
	struct cli_result res;

	run_cli(range, &res);
	cr_expect_eq(res.status, 1);
	cr_expect_str_eq(res.out, "");
	cr_expect_str_eq(res.err, "mseal: maps: --range needs --pages\n");
	cli_result_free(&res);
}
