// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The maps reader on canned /proc trees (tests/data/maps/<case>/<pid>/smaps):
 * one case per parsing row of the field reports, each asserting exact
 * values of every mapping it is about.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define ROOT(c) TESTS_DATA_DIR "/maps/" c
#define KIB(n) ((uint64_t)(n) * 1024)
#define MAX_REGIONS 64

/* All mappings of a canned process; strings valid until maps is freed. */
struct canned {
	struct mseal_maps *maps;
	const struct mseal_region *r[MAX_REGIONS];
	size_t n;
};

static void load(struct canned *c, const char *root, pid_t pid)
{
	const struct mseal_region *r;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = mseal_maps_open(pid, root, 0, &c->maps);
	cr_assert_eq(rc, 0, "mseal_maps_open(%d, %s): %s", (int)pid, root,
		     strerror(-rc));
	while ((rc = mseal_maps_next(c->maps, &r)) == 1) {
		cr_assert_lt(c->n, MAX_REGIONS);
		c->r[c->n++] = r;
	}
	cr_assert_eq(rc, 0);
}

static void check_header(const struct mseal_region *r, uint64_t start,
			 uint64_t end, const char *perms, const char *path)
{
	cr_assert_eq(r->size, sizeof(struct mseal_region));
	cr_assert_eq(r->start, start, "start %#llx != %#llx",
		     (unsigned long long)r->start, (unsigned long long)start);
	cr_assert_eq(r->end, end, "end %#llx != %#llx",
		     (unsigned long long)r->end, (unsigned long long)end);
	cr_assert_str_eq(r->perms, perms);
	cr_assert_str_eq(r->path, path);
}

Test(parse, r02_no_vdso_or_vvar_parses)
{
	struct canned c;

	load(&c, ROOT("r02"), 100);
	cr_assert_eq(c.n, 4);
	check_header(c.r[0], 0x400000, 0x401000, "r-xp", "/usr/bin/true");
	check_header(c.r[1], 0x401000, 0x402000, "rw-p", "/usr/bin/true");
	check_header(c.r[2], 0x7ffd1c3a0000, 0x7ffd1c3c1000, "rw-p", "[stack]");
	check_header(c.r[3], 0xffffffffff600000, 0xffffffffff601000, "--xp",
		     "[vsyscall]");
	for (size_t i = 0; i < c.n; i++) {
		cr_assert_str_neq(c.r[i]->path, "[vdso]");
		cr_assert_str_neq(c.r[i]->path, "[vvar]");
	}
	mseal_maps_free(c.maps);
}

Test(parse, r03_two_adjacent_vdso_lines_each_with_own_flags)
{
	struct canned c;

	load(&c, ROOT("r03"), 101);
	cr_assert_eq(c.n, 4);
	check_header(c.r[1], 0x7f0000000000, 0x7f0000001000, "r-xp", "[vdso]");
	cr_assert_str_eq(c.r[1]->vmflags, "rd ex mr mw me de");
	cr_assert_eq(c.r[1]->vmflags_known,
		     LIBMSEAL_VMF_RD | LIBMSEAL_VMF_EX | LIBMSEAL_VMF_MR |
		     LIBMSEAL_VMF_MW | LIBMSEAL_VMF_ME | LIBMSEAL_VMF_DE);
	check_header(c.r[2], 0x7f0000001000, 0x7f0000002000, "rw-p", "[vdso]");
	cr_assert_str_eq(c.r[2]->vmflags, "rd wr mr mw me de");
	cr_assert_eq(c.r[2]->rss, KIB(4));
	mseal_maps_free(c.maps);
}

Test(parse, r03_four_page_vdso)
{
	struct canned c;

	load(&c, ROOT("r03"), 102);
	cr_assert_eq(c.n, 4);
	check_header(c.r[1], 0x7f0000000000, 0x7f0000004000, "r--p", "[vvar]");
	check_header(c.r[2], 0x7f0000004000, 0x7f0000008000, "r-xp", "[vdso]");
	cr_assert_eq(c.r[2]->end - c.r[2]->start, 4 * 4096);
	cr_assert_eq(c.r[2]->rss, KIB(16));
	mseal_maps_free(c.maps);
}

Test(parse, r24_tens_of_tib_noreserve_no_32bit_overflow)
{
	struct canned c;

	load(&c, ROOT("r24"), 103);
	cr_assert_eq(c.n, 6);
	check_header(c.r[0], 0x7fff8000, 0x8fff7000, "rw-p", "");
	check_header(c.r[1], 0x8fff7000, 0x2008fff7000, "---p", "");
	check_header(c.r[2], 0x2008fff7000, 0x10007fff8000, "rw-p", "");
	check_header(c.r[3], 0x200000000000, 0x400000000000, "rw-p", "");
	/* 32 TiB mapped, 4 GiB resident, 16 TiB swapped. */
	cr_assert_eq(c.r[3]->end - c.r[3]->start, UINT64_C(32) << 40);
	cr_assert_eq(c.r[3]->rss, UINT64_C(4) << 30);
	cr_assert_eq(c.r[3]->swap, UINT64_C(16) << 40);
	for (int i = 0; i < 4; i++)
		cr_assert(c.r[i]->vmflags_known & LIBMSEAL_VMF_NR);
	cr_assert_eq(c.r[2]->rss, KIB(2048));
	mseal_maps_free(c.maps);
}

Test(parse, r27_spaces_kept_and_only_final_deleted_stripped)
{
	struct canned c;

	load(&c, ROOT("r27"), 104);
	cr_assert_eq(c.n, 5);
	check_header(c.r[0], 0x7f1000000000, 0x7f1000001000, "r-xp",
		     "/opt/my app/lib x.so");
	cr_assert_eq(c.r[0]->deleted, 0);
	cr_assert_str_eq(c.r[1]->path, "/opt/my app/trailing space ");
	cr_assert_eq(c.r[1]->deleted, 0);
	/* A canned tree cannot be stat()ed: one suffix is stripped. */
	cr_assert_str_eq(c.r[2]->path, "/tmp/(deleted)");
	cr_assert_eq(c.r[2]->deleted, 1);
	cr_assert_str_eq(c.r[3]->path, "/tmp/gone (deleted)");
	cr_assert_eq(c.r[3]->deleted, 1);
	cr_assert_str_eq(c.r[4]->path, "/tmp/not deleted(deleted)");
	cr_assert_eq(c.r[4]->deleted, 0);
	cr_assert_eq(c.r[2]->inode, 503);
	mseal_maps_free(c.maps);
}

Test(parse, r30_anonymous_padding_and_body_fields_attach_right)
{
	struct canned c;

	load(&c, ROOT("r30"), 105);
	cr_assert_eq(c.n, 5);
	check_header(c.r[0], 0x7f2000000000, 0x7f2000001000, "rw-p", "");
	cr_assert_eq(c.r[0]->rss, KIB(4));
	check_header(c.r[1], 0x7f2000001000, 0x7f2000003000, "r-xp",
		     "/usr/lib/libafter.so");
	cr_assert_eq(c.r[1]->rss, KIB(8));
	cr_assert_eq(c.r[1]->inode, 601);
	check_header(c.r[2], 0x7f2000003000, 0x7f2000006000, "rw-p", "");
	cr_assert_eq(c.r[2]->rss, KIB(12));
	check_header(c.r[3], 0x7f2000006000, 0x7f200000a000, "rw-p", "");
	cr_assert_eq(c.r[3]->rss, KIB(16));
	check_header(c.r[4], 0x7f200000a000, 0x7f200000f000, "r--p",
		     "/usr/lib/liblast.so");
	cr_assert_eq(c.r[4]->rss, KIB(20));
	cr_assert_eq(c.r[0]->inode, 0);
	cr_assert_eq(c.r[0]->dev_major, 0);
	mseal_maps_free(c.maps);
}

Test(parse, r32_new_and_unknown_vmflags_kept_sl_found_anywhere)
{
	struct canned c;

	load(&c, ROOT("r32"), 106);
	cr_assert_eq(c.n, 5);
	cr_assert_str_eq(c.r[0]->vmflags, "rd wr mr mw me ac wf dd dp sl zq");
	cr_assert_eq(c.r[0]->vmflags_known,
		     LIBMSEAL_VMF_RD | LIBMSEAL_VMF_WR | LIBMSEAL_VMF_MR |
		     LIBMSEAL_VMF_MW | LIBMSEAL_VMF_ME | LIBMSEAL_VMF_AC |
		     LIBMSEAL_VMF_WF | LIBMSEAL_VMF_DD | LIBMSEAL_VMF_DP |
		     LIBMSEAL_VMF_SL);
	cr_assert_str_eq(c.r[0]->vmflags_unknown, "zq");
	cr_assert_eq(c.r[0]->sealed, 1);
	/* "sl" in the middle of the line, "??" kept as unknown. */
	cr_assert_str_eq(c.r[1]->vmflags, "rd sl mr mw me ??");
	cr_assert_eq(c.r[1]->sealed, 1);
	cr_assert_str_eq(c.r[1]->vmflags_unknown, "??");
	cr_assert_eq(c.r[2]->sealed, 0);
	cr_assert_eq(c.r[2]->vmflags_known & (LIBMSEAL_VMF_GU |
		     LIBMSEAL_VMF_LF | LIBMSEAL_VMF_SS),
		     LIBMSEAL_VMF_GU | LIBMSEAL_VMF_LF | LIBMSEAL_VMF_SS);
	cr_assert_str_eq(c.r[2]->vmflags_unknown, "");
	/* "slx" and "xsl" are not "sl". */
	cr_assert_eq(c.r[3]->sealed, 0);
	cr_assert_eq(c.r[3]->vmflags_known & LIBMSEAL_VMF_SL, 0);
	cr_assert_str_eq(c.r[3]->vmflags_unknown, "slx xsl");
	cr_assert_str_eq(c.r[4]->vmflags, "");
	cr_assert_eq(c.r[4]->vmflags_known, 0);
	cr_assert_eq(c.r[4]->sealed, 0);
	mseal_maps_free(c.maps);
}

Test(parse, r33_narrow_addresses_wide_device_and_vsyscall)
{
	struct canned c;

	load(&c, ROOT("r33"), 107);
	cr_assert_eq(c.n, 3);
	check_header(c.r[0], 0x400000, 0x401000, "r-xp", "/opt/demo/bin/app");
	cr_assert_eq(c.r[0]->offset, 0);
	cr_assert_eq(c.r[0]->dev_major, 0x103);
	cr_assert_eq(c.r[0]->dev_minor, 0x03);
	cr_assert_eq(c.r[0]->inode, 12);
	check_header(c.r[2], UINT64_C(0xffffffffff600000),
		     UINT64_C(0xffffffffff601000), "--xp", "[vsyscall]");
	cr_assert_eq(c.r[2]->sealed, 0);
	cr_assert_str_eq(c.r[2]->vmflags, "ex");
	mseal_maps_free(c.maps);
}

Test(parse, escaped_newline_in_path_kept_as_printed)
{
	struct canned c;

	load(&c, ROOT("escape"), 108);
	cr_assert_eq(c.n, 2);
	cr_assert_str_eq(c.r[0]->path, "/tmp/line\\012break.so");
	cr_assert_str_eq(c.r[1]->path, "/tmp/back\\slash");
	mseal_maps_free(c.maps);
}

Test(parse, anon_names_with_spaces)
{
	struct canned c;

	load(&c, ROOT("anon-name"), 109);
	cr_assert_eq(c.n, 2);
	check_header(c.r[0], 0x7f5000000000, 0x7f5000002000, "rw-p",
		     "[anon:name with spaces]");
	cr_assert_eq(c.r[0]->inode, 0);
	check_header(c.r[1], 0x7f5000002000, 0x7f5000003000, "rw-s",
		     "[anon_shmem:shared  buf ]");
	mseal_maps_free(c.maps);
}

Test(parse, deleted_suffix_stripped_and_flagged)
{
	struct canned c;

	load(&c, ROOT("deleted"), 110);
	cr_assert_eq(c.n, 3);
	cr_assert_str_eq(c.r[0]->path, "/usr/lib/libold.so");
	cr_assert_eq(c.r[0]->deleted, 1);
	cr_assert_str_eq(c.r[1]->path, "/memfd:secret key");
	cr_assert_eq(c.r[1]->deleted, 1);
	cr_assert_eq(c.r[1]->dev_minor, 1);
	cr_assert_eq(c.r[1]->inode, 1025);
	cr_assert_str_eq(c.r[2]->path, "/usr/lib/libkept.so");
	cr_assert_eq(c.r[2]->deleted, 0);
	mseal_maps_free(c.maps);
}

Test(parse, every_field_of_one_sealed_mapping)
{
	struct canned c;
	const struct mseal_region *r;

	load(&c, ROOT("demo"), 4242);
	cr_assert_eq(c.n, 23);
	r = c.r[7];
	check_header(r, 0x7f3c5a226000, 0x7f3c5a37c000, "r-xp",
		     "/usr/lib/x86_64-linux-gnu/libc.so.6");
	cr_assert_eq(r->offset, 0x26000);
	cr_assert_eq(r->dev_major, 0x103);
	cr_assert_eq(r->dev_minor, 3);
	cr_assert_eq(r->inode, 1310722);
	cr_assert_eq(r->deleted, 0);
	cr_assert_eq(r->sealed, 1);
	cr_assert_eq(r->rss, KIB(812));
	cr_assert_eq(r->swap, 0);
	cr_assert_eq(r->locked, 0);
	cr_assert_str_eq(r->vmflags, "rd ex mr mw me sl");
	cr_assert_str_eq(r->vmflags_unknown, "");
	/* Swap and Locked of other mappings. */
	cr_assert_eq(c.r[5]->swap, KIB(8));
	cr_assert_eq(c.r[13]->locked, KIB(8));
	cr_assert(c.r[13]->vmflags_known & LIBMSEAL_VMF_LO);
	cr_assert_eq(c.r[10]->sealed, 0);
	mseal_maps_free(c.maps);
}

Test(parse, rewind_restarts_without_reread)
{
	struct canned c;
	const struct mseal_region *r;

	load(&c, ROOT("r33"), 107);
	cr_assert_eq(mseal_maps_next(c.maps, &r), 0);
	mseal_maps_rewind(c.maps);
	cr_assert_eq(mseal_maps_next(c.maps, &r), 1);
	cr_assert_eq(r, c.r[0]);
	cr_assert_eq(r->start, 0x400000);
	mseal_maps_free(c.maps);
}

Test(parse, torn_decreasing_addresses_is_eagain)
{
	struct mseal_maps *maps = (struct mseal_maps *)&maps;

	cr_assert_eq(mseal_maps_open(111, ROOT("torn"), 0, &maps), -EAGAIN);
	cr_assert_eq(maps, (struct mseal_maps *)&maps, "ret_maps touched");
}

Test(parse, torn_overlapping_addresses_is_eagain)
{
	struct mseal_maps *maps = NULL;

	cr_assert_eq(mseal_maps_open(112, ROOT("torn"), 0, &maps), -EAGAIN);
	cr_assert_null(maps);
}

Test(parse, missing_pid_is_esrch)
{
	struct mseal_maps *maps = NULL;

	cr_assert_eq(mseal_maps_open(999, ROOT("demo"), 0, &maps), -ESRCH);
	cr_assert_null(maps);
}

Test(parse, missing_proc_root_is_enoent)
{
	struct mseal_maps *maps = NULL;

	cr_assert_eq(mseal_maps_open(1, ROOT("no-such-tree"), 0, &maps),
		     -ENOENT);
	cr_assert_null(maps);
}

Test(parse, not_smaps_syntax_is_einval)
{
	struct mseal_maps *maps = NULL;

	cr_assert_eq(mseal_maps_open(113, ROOT("bad"), 0, &maps), -EINVAL);
	/* 17 hex digits overflow 64 bits. */
	cr_assert_eq(mseal_maps_open(114, ROOT("bad"), 0, &maps), -EINVAL);
	/* A body field before any header. */
	cr_assert_eq(mseal_maps_open(115, ROOT("bad"), 0, &maps), -EINVAL);
	cr_assert_null(maps);
}

Test(parse, bad_arguments_are_einval)
{
	struct mseal_maps *maps = NULL;
	const struct mseal_region *r = NULL;

	cr_assert_eq(mseal_maps_open(107, ROOT("r33"), 1, &maps), -EINVAL);
	cr_assert_eq(mseal_maps_open(107, ROOT("r33"), 0, NULL), -EINVAL);
	cr_assert_eq(mseal_maps_open(-1, ROOT("r33"), 0, &maps), -EINVAL);
	cr_assert_eq(mseal_maps_open(107, "", 0, &maps), -EINVAL);
	cr_assert_null(maps);
	cr_assert_eq(mseal_maps_next(NULL, &r), -EINVAL);
	cr_assert_null(r);
	mseal_maps_rewind(NULL);
	cr_assert_null(mseal_maps_free(NULL));
}

/*
 * Re-reads: <root>/<pid>/smaps is a FIFO fed by a thread, one text per
 * open, so each read of the library sees the next text. The thread waits
 * for the reader to close (inotify) before it serves the next one.
 */
struct feeder {
	char dir[64];
	char fifo[96];
	const char *const *texts;
	int n_texts;
	int served;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	int in = inotify_init1(IN_CLOEXEC);

	if (in < 0 || inotify_add_watch(in, f->fifo, IN_CLOSE_NOWRITE) < 0)
		return NULL;
	for (int i = 0; i < f->n_texts; i++) {
		struct inotify_event ev;
		int fd = open(f->fifo, O_WRONLY | O_CLOEXEC);

		if (fd < 0)
			break;
		if (write(fd, f->texts[i], strlen(f->texts[i])) < 0)
			break;
		close(fd);
		/* Served once the reader has read it all and closed. */
		if (read(in, &ev, sizeof(ev)) < (ssize_t)sizeof(ev))
			break;
		f->served = i + 1;
	}
	close(in);
	return NULL;
}

static const char torn_text[] =
	"7f7000002000-7f7000003000 r--p 00000000 fe:00 901 /usr/lib/a.so\n"
	"7f7000000000-7f7000001000 r--p 00000000 fe:00 902 /usr/lib/b.so\n";
static const char clean_text[] =
	"7f7000000000-7f7000001000 r--p 00000000 fe:00 902 /usr/lib/b.so\n"
	"7f7000002000-7f7000003000 r--p 00000000 fe:00 901 /usr/lib/a.so\n";

static void start_feeder(struct feeder *f, pthread_t *th,
			 const char *const *texts, int n)
{
	char piddir[80];

	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/libmseal-fifo-XXXXXX");
	cr_assert_not_null(mkdtemp(f->dir));
	snprintf(piddir, sizeof(piddir), "%s/77", f->dir);
	cr_assert_eq(mkdir(piddir, 0700), 0);
	snprintf(f->fifo, sizeof(f->fifo), "%s/smaps", piddir);
	cr_assert_eq(mkfifo(f->fifo, 0600), 0);
	f->texts = texts;
	f->n_texts = n;
	cr_assert_eq(pthread_create(th, NULL, feed, f), 0);
}

Test(reread, torn_then_clean_succeeds_on_a_reread)
{
	static const char *const texts[] = { torn_text, torn_text,
					     clean_text };
	struct mseal_maps *maps = NULL;
	const struct mseal_region *r;
	struct feeder f;
	pthread_t th;

	start_feeder(&f, &th, texts, 3);
	cr_assert_eq(mseal_maps_open(77, f.dir, 0, &maps), 0);
	pthread_join(th, NULL);
	cr_assert_eq(f.served, 3);
	cr_assert_eq(mseal_maps_next(maps, &r), 1);
	check_header(r, 0x7f7000000000, 0x7f7000001000, "r--p",
		     "/usr/lib/b.so");
	cr_assert_eq(mseal_maps_next(maps, &r), 1);
	cr_assert_eq(r->inode, 901);
	cr_assert_eq(mseal_maps_next(maps, &r), 0);
	mseal_maps_free(maps);
}

Test(reread, torn_four_times_is_eagain_after_exactly_three_rereads)
{
	static const char *const texts[] = { torn_text, torn_text, torn_text,
					     torn_text, clean_text };
	struct mseal_maps *maps = NULL;
	struct feeder f;
	pthread_t th;
	char buf[256];
	int fd;

	start_feeder(&f, &th, texts, 5);
	cr_assert_eq(mseal_maps_open(77, f.dir, 0, &maps), -EAGAIN);
	cr_assert_null(maps);
	/* The fifth text is still waiting for a reader: drain it here. */
	fd = open(f.fifo, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	pthread_join(th, NULL);
	cr_assert_eq(f.served, 5);
}
