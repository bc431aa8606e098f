/*
 * Memory before and after a `stress` run, taken from what the /proc
 * tables print: /proc/slabinfo's active objects per cache, and the whole
 * text of /proc/vmallocinfo (a CRC of it, so an area that moved or
 * changed its owner is a difference too). The tables are printed into a
 * small buffer whose flush function reads them line by line, so nothing
 * is allocated while a table is read -- except by vmallocinfo itself,
 * which sorts the areas in a kmalloc'ed array: it is read first, before
 * the slabs are shrunk.
 */
#include <pagoda/crc32.h>
#include <pagoda/mm.h>
#include <pagoda/proc.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

#include "stress.h"

struct table_reader {
	char line[192];
	unsigned int len;
	struct mem_snapshot *snap;
	void (*one_line)(struct table_reader *r);
};

static char *next_word(char **s)
{
	char *w;

	while (**s == ' ')
		(*s)++;
	w = *s;
	while (**s && **s != ' ')
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	return w;
}

/* "name active_objs num_objs ..."; the two header lines are skipped. */
static void slabinfo_line(struct table_reader *r)
{
	struct mem_snapshot *s = r->snap;
	char *p = r->line, *name = next_word(&p);
	unsigned long active;

	if (!*name || *name == '#' || !strcmp(name, "slabinfo") ||
	    kstrtoul(next_word(&p), 10, &active))
		return;
	if (s->nr_caches == SNAPSHOT_CACHES) {
		s->too_many_caches = true;
		return;
	}
	strlcpy(s->cache[s->nr_caches].name, name, KMEM_CACHE_NAME_LEN);
	s->cache[s->nr_caches++].active = active;
}

static void vmallocinfo_line(struct table_reader *r)
{
	r->snap->vmalloc_crc = crc32_le(r->snap->vmalloc_crc, r->line, r->len);
	r->snap->vmalloc_areas++;
}

/* The seq_file's flush: cut what was printed into lines. */
static void reader_flush(struct seq_file *m)
{
	struct table_reader *r = m->private;

	for (size_t i = 0; i < m->count; i++) {
		char c = m->buf[i];

		if (c != '\n') {
			if (r->len < sizeof(r->line) - 1)
				r->line[r->len++] = c;
			continue;
		}
		r->line[r->len] = '\0';
		r->one_line(r);
		r->len = 0;
	}
}

static void read_table(const char *name, struct mem_snapshot *s,
		       void (*one_line)(struct table_reader *r))
{
	const struct proc_table *t = proc_find(name);
	struct table_reader r = {.snap = s, .one_line = one_line};
	struct seq_file m;
	char buf[256];

	if (!t)
		return;
	seq_init(&m, buf, sizeof(buf), reader_flush);
	m.private = &r;
	t->show(&m);
	seq_flush(&m);
}

void mem_snapshot_take(struct mem_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	read_table("vmallocinfo", s, vmallocinfo_line);
	s->vmalloc_bytes = vmalloc_used();
	kmem_cache_shrink_all();
	drain_all_pages();
	read_table("slabinfo", s, slabinfo_line);
	s->slab_pages = slab_reclaimable_pages() + slab_unreclaimable_pages();
	s->free_pages = nr_free_pages();
}

static unsigned long total_objects(const struct mem_snapshot *s)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < s->nr_caches; i++)
		n += s->cache[i].active;
	return n;
}

void mem_snapshot_show(struct seq_file *m, const char *when,
		       const struct mem_snapshot *s)
{
	seq_printf(m,
		   "stress: %s: MemFree %lu kB, %lu slab objects in %u "
		   "caches (%lu kB of slabs), %lu vmalloc areas of %lu bytes\n",
		   when, s->free_pages << (PAGE_SHIFT - 10), total_objects(s),
		   s->nr_caches, s->slab_pages << (PAGE_SHIFT - 10),
		   s->vmalloc_areas, s->vmalloc_bytes);
}

static const struct cache_count *find_cache(const struct mem_snapshot *s,
					    const char *name)
{
	for (unsigned int i = 0; i < s->nr_caches; i++) {
		if (!strcmp(s->cache[i].name, name))
			return &s->cache[i];
	}
	return NULL;
}

/* Caches whose objects in use changed, or that came or went. */
static bool caches_same(struct seq_file *m, const struct mem_snapshot *b,
			const struct mem_snapshot *a)
{
	bool same = !b->too_many_caches && !a->too_many_caches;

	if (!same)
		seq_printf(m,
			   "stress: more than %d slab caches: not all "
			   "compared\n",
			   SNAPSHOT_CACHES);
	for (unsigned int i = 0; i < b->nr_caches; i++) {
		const struct cache_count *c = find_cache(a, b->cache[i].name);

		if (c && c->active == b->cache[i].active)
			continue;
		seq_printf(m, "stress: slab cache %s: %lu objects before, ",
			   b->cache[i].name, b->cache[i].active);
		if (c)
			seq_printf(m, "%lu after\n", c->active);
		else
			seq_puts(m, "gone after\n");
		same = false;
	}
	for (unsigned int i = 0; i < a->nr_caches; i++) {
		if (find_cache(b, a->cache[i].name))
			continue;
		seq_printf(m,
			   "stress: slab cache %s is new, with %lu objects\n",
			   a->cache[i].name, a->cache[i].active);
		same = false;
	}
	return same;
}

static bool vmalloc_same(struct seq_file *m, const struct mem_snapshot *b,
			 const struct mem_snapshot *a)
{
	if (b->vmalloc_areas != a->vmalloc_areas ||
	    b->vmalloc_bytes != a->vmalloc_bytes) {
		seq_printf(m,
			   "stress: vmalloc areas: %lu of %lu bytes before, "
			   "%lu of %lu bytes after\n",
			   b->vmalloc_areas, b->vmalloc_bytes, a->vmalloc_areas,
			   a->vmalloc_bytes);
		return false;
	}
	if (b->vmalloc_crc != a->vmalloc_crc) {
		seq_puts(m, "stress: /proc/vmallocinfo lists as many areas as "
			    "before, but not the same ones\n");
		return false;
	}
	return true;
}

static bool pages_same(struct seq_file *m, const struct mem_snapshot *b,
		       const struct mem_snapshot *a)
{
	long free = (long)(a->free_pages - b->free_pages);
	long slab = (long)(a->slab_pages - b->slab_pages);
	int kb = PAGE_SIZE >> 10;

	if (free == 0 && slab == 0)
		return true;
	if (free + slab == 0) {
		seq_printf(m,
			   "stress: MemFree %+ld kB, all of it in slabs "
			   "holding the same objects as before\n",
			   free * kb);
		return true;
	}
	seq_printf(m,
		   "stress: MemFree %+ld kB, slabs %+ld kB: %+ld kB "
		   "unaccounted for\n",
		   free * kb, slab * kb, (free + slab) * kb);
	return false;
}

bool mem_snapshot_compare(struct seq_file *m, const struct mem_snapshot *before,
			  const struct mem_snapshot *after)
{
	bool caches = caches_same(m, before, after);
	bool vmalloc = vmalloc_same(m, before, after);
	bool pages = pages_same(m, before, after);

	return caches && vmalloc && pages;
}
