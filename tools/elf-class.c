// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Classify mappings by the program headers of the object they belong to.
 * An object's layout (classes by virtual address, before the load bias) is
 * computed once per device and inode; the bias comes from the first
 * mapping whose file offset matches a PT_LOAD, as the kernel mapped it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf-class.h"
#include "elf-file.h"
#include "open-regular.h"

#define MAX_IV 64

struct layout {
	int is_elf;		/* 0: readable but not ELF (or unusable) */
	size_t niv;
	struct { uint64_t start, end; int cls; } iv[MAX_IV];
	size_t nload;
	struct { uint64_t off, vaddr; } load[MAX_IV];
	uint64_t lo, hi;	/* span of all PT_LOADs, page-rounded */
};

struct cache_ent {
	unsigned int major, minor;
	uint64_t inode;
	struct layout *lay;
};

struct elf_cache {
	struct cache_ent *ent;
	size_t n, cap;
};

struct classifier {
	struct elf_cache *cache;
	char root[PATH_MAX];
	pid_t pid;
	uint64_t page;
	/* the object being walked */
	int have_obj;
	unsigned int major, minor;
	uint64_t inode, bias, obj_end;
	const struct layout *lay;
};

static const char *const class_names[CLS_N] = {
	"text", "rodata", "relro", "data", "bss", "ro", "other", "none",
};

const char *obj_class_name(int cls)
{
	return cls >= 0 && cls < CLS_N ? class_names[cls] : "none";
}

struct elf_cache *elf_cache_new(void)
{
	return calloc(1, sizeof(struct elf_cache));
}

struct elf_cache *elf_cache_free(struct elf_cache *cache)
{
	if (!cache)
		return NULL;
	for (size_t i = 0; i < cache->cap; i++)
		free(cache->ent[i].lay);
	free(cache->ent);
	free(cache);
	return NULL;
}

/* Linear probing on a table kept at most half full. */
static struct cache_ent *cache_slot(struct elf_cache *c, unsigned int major,
				    unsigned int minor, uint64_t inode)
{
	uint64_t h = (inode * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)major << 20 | minor);
	size_t i = (size_t)(h % c->cap);

	while (c->ent[i].lay && !(c->ent[i].inode == inode &&
				  c->ent[i].major == major &&
				  c->ent[i].minor == minor))
		i = (i + 1) % c->cap;
	return &c->ent[i];
}

static int cache_grow(struct elf_cache *c)
{
	struct elf_cache bigger = { .cap = c->cap ? c->cap * 2 : 64 };

	bigger.ent = calloc(bigger.cap, sizeof(*bigger.ent));
	if (!bigger.ent)
		return -ENOMEM;
	for (size_t i = 0; i < c->cap; i++)
		if (c->ent[i].lay)
			*cache_slot(&bigger, c->ent[i].major, c->ent[i].minor,
				    c->ent[i].inode) = c->ent[i];
	free(c->ent);
	c->ent = bigger.ent;
	c->cap = bigger.cap;
	return 0;
}

static void add_iv(struct layout *l, uint64_t s, uint64_t e, int cls)
{
	if (s < e && l->niv < MAX_IV) {
		l->iv[l->niv].start = s;
		l->iv[l->niv].end = e;
		l->iv[l->niv].cls = cls;
		l->niv++;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Resolve overlaps (RELRO inside the writable PT_LOAD, a text page shared
 * with rodata): the lowest class number wins, which is the order of
 * enum obj_class. */
static void flatten(struct layout *l)
{
	uint64_t cuts[2 * MAX_IV];
	struct layout out = *l;
	size_t n = 0;

	for (size_t i = 0; i < l->niv; i++) {
		cuts[n++] = l->iv[i].start;
		cuts[n++] = l->iv[i].end;
	}
	qsort(cuts, n, sizeof(cuts[0]), cmp_u64);
	out.niv = 0;
	for (size_t k = 0; k + 1 < n; k++) {
		int best = CLS_N;

		if (cuts[k] == cuts[k + 1])
			continue;
		for (size_t i = 0; i < l->niv; i++)
			if (l->iv[i].start <= cuts[k] && cuts[k + 1] <= l->iv[i].end &&
			    l->iv[i].cls < best)
				best = l->iv[i].cls;
		if (best == CLS_N)
			continue;
		if (out.niv && out.iv[out.niv - 1].cls == best &&
		    out.iv[out.niv - 1].end == cuts[k])
			out.iv[out.niv - 1].end = cuts[k + 1];
		else
			add_iv(&out, cuts[k], cuts[k + 1], best);
	}
	*l = out;
}

static void build_layout(const struct elf_file *ef, uint64_t page,
			 struct layout *l)
{
	uint64_t mask = ~(page - 1);

	l->is_elf = 1;
	l->lo = UINT64_MAX;
	for (size_t i = 0; i < ef->nphdr; i++) {
		const GElf_Phdr *ph = &ef->phdr[i];
		uint64_t s = ph->p_vaddr & mask;
		uint64_t fe = (ph->p_vaddr + ph->p_filesz + page - 1) & mask;
		uint64_t me = (ph->p_vaddr + ph->p_memsz + page - 1) & mask;

		if (ph->p_type == PT_GNU_RELRO)
			add_iv(l, s, (ph->p_vaddr + ph->p_memsz) & mask, CLS_RELRO);
		if (ph->p_type != PT_LOAD)
			continue;
		if (l->nload < MAX_IV) {
			l->load[l->nload].off = ph->p_offset & mask;
			l->load[l->nload].vaddr = s;
			l->nload++;
		}
		if (s < l->lo)
			l->lo = s;
		if (me > l->hi)
			l->hi = me;
		if (ph->p_flags & PF_X)
			add_iv(l, s, me, CLS_TEXT);
		else if (ph->p_flags & PF_W) {
			add_iv(l, s, fe, CLS_DATA);
			add_iv(l, fe, me, CLS_BSS);
		} else if (ph->p_flags & PF_R)
			add_iv(l, s, me, CLS_RODATA);
	}
	if (!l->nload)
		l->is_elf = 0;
	flatten(l);
}

static int open_object(const struct classifier *cl, const struct mseal_region *r)
{
	char path[PATH_MAX * 2];
	char pid[24];
	int fd;

	if (cl->pid)
		snprintf(pid, sizeof(pid), "%d", (int)cl->pid);
	else
		snprintf(pid, sizeof(pid), "self");
	snprintf(path, sizeof(path), "%s/%s/map_files/%llx-%llx", cl->root, pid,
		 (unsigned long long)r->start, (unsigned long long)r->end);
	/* Either path may name a FIFO, a device or a socket (any user can
	 * mount over the mapped file's directory): never opened, unreadable. */
	fd = open_regular(path);
	if (fd >= 0 || fd == OPEN_NOT_REGULAR || r->deleted ||
	    r->path[0] != '/')
		return fd;
	snprintf(path, sizeof(path), "%s/%s/root%s", cl->root, pid, r->path);
	return open_regular(path);
}

/* The cached layout of @r's file; NULL when it cannot be read (not cached:
 * another process may see the file where this one does not). */
static const struct layout *lookup(struct classifier *cl,
				   const struct mseal_region *r)
{
	struct elf_cache *c = cl->cache;
	struct cache_ent *slot;
	struct elf_file ef;
	struct layout *lay;
	const char *why;
	int fd;

	if (c->cap) {
		slot = cache_slot(c, r->dev_major, r->dev_minor, r->inode);
		if (slot->lay)
			return slot->lay;
	}
	fd = open_object(cl, r);
	if (fd < 0)
		return NULL;
	lay = calloc(1, sizeof(*lay));
	if (lay && elf_file_read(fd, 1, &ef, &why) == 0) {
		build_layout(&ef, cl->page, lay);
		elf_file_clear(&ef);
	}
	close(fd);
	if (!lay || ((c->n + 1) * 2 > c->cap && cache_grow(c) < 0)) {
		free(lay);
		return NULL;
	}
	slot = cache_slot(c, r->dev_major, r->dev_minor, r->inode);
	slot->major = r->dev_major;
	slot->minor = r->dev_minor;
	slot->inode = r->inode;
	slot->lay = lay;
	c->n++;
	return lay;
}

struct classifier *classifier_new(struct elf_cache *cache,
				  const char *proc_root, pid_t pid)
{
	struct classifier *cl = calloc(1, sizeof(*cl));

	if (!cl)
		return NULL;
	cl->cache = cache;
	snprintf(cl->root, sizeof(cl->root), "%s", proc_root ? proc_root : "/proc");
	cl->pid = pid;
	cl->page = (uint64_t)sysconf(_SC_PAGESIZE);
	return cl;
}

struct classifier *classifier_free(struct classifier *cl)
{
	free(cl);
	return NULL;
}

static void by_layout(const struct classifier *cl, const struct mseal_region *r,
		      uint64_t bytes[CLS_N])
{
	uint64_t counted = 0;

	for (size_t i = 0; i < cl->lay->niv; i++) {
		uint64_t lo = cl->bias + cl->lay->iv[i].start;
		uint64_t hi = cl->bias + cl->lay->iv[i].end;

		if (lo < r->start)
			lo = r->start;
		if (hi > r->end)
			hi = r->end;
		if (lo < hi) {
			bytes[cl->lay->iv[i].cls] += hi - lo;
			counted += hi - lo;
		}
	}
	bytes[CLS_OTHER] += (r->end - r->start) - counted;
}

static void by_perms(const struct mseal_region *r, uint64_t bytes[CLS_N])
{
	uint64_t size = r->end - r->start;

	if (r->perms[0] == 'r' && r->perms[1] == '-' && r->perms[2] == 'x')
		bytes[CLS_TEXT] += size;
	else if (r->perms[0] == 'r' && r->perms[1] == '-' && r->perms[2] == '-')
		bytes[CLS_RO] += size;
	else if (r->perms[1] == 'w')
		bytes[CLS_DATA] += size;
	else
		bytes[CLS_OTHER] += size;
}

/* Start walking a new object at file mapping @r. */
static void enter_object(struct classifier *cl, const struct mseal_region *r)
{
	const struct layout *lay = lookup(cl, r);

	cl->have_obj = 1;
	cl->major = r->dev_major;
	cl->minor = r->dev_minor;
	cl->inode = r->inode;
	cl->lay = NULL;
	cl->obj_end = r->end;
	if (!lay)
		return; /* unreadable: classify by permissions */
	for (size_t i = 0; i < lay->nload; i++) {
		if (lay->load[i].off != r->offset || r->start < lay->load[i].vaddr)
			continue;
		cl->bias = r->start - lay->load[i].vaddr;
		cl->lay = lay;
		cl->obj_end = cl->bias + lay->hi;
		return;
	}
	/* a readable file that is not ELF, or a mapping no PT_LOAD explains */
	cl->lay = lay;
	cl->bias = 0;
	cl->obj_end = 0;
}

void classify_region(struct classifier *cl, const struct mseal_region *r,
		     uint64_t bytes[CLS_N])
{
	int file = r->inode != 0 && r->path[0] != '[';

	if (file && !(cl->have_obj && r->dev_major == cl->major &&
		      r->dev_minor == cl->minor && r->inode == cl->inode &&
		      r->start < cl->obj_end))
		enter_object(cl, r);
	if (!file) {
		/* bss: anonymous memory inside the object's span */
		if (cl->have_obj && cl->lay && cl->lay->is_elf && !r->path[0] &&
		    r->end <= cl->obj_end && r->start >= cl->bias + cl->lay->lo)
			by_layout(cl, r, bytes);
		else
			bytes[CLS_NONE] += r->end - r->start;
		return;
	}
	if (!cl->lay)
		by_perms(r, bytes);
	else if (!cl->lay->is_elf || !cl->obj_end)
		bytes[CLS_OTHER] += r->end - r->start;
	else
		by_layout(cl, r, bytes);
}

int obj_class_main(const uint64_t bytes[CLS_N])
{
	int best = CLS_NONE;

	for (int i = 0; i < CLS_N; i++)
		if (bytes[i] > bytes[best])
			best = i;
	return best;
}
