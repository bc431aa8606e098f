/*
 * Leaks: what is still allocated since an allocation generation, grouped
 * by the code that allocated it.
 *
 * A generation is an epoch the user opens: everything allocated after
 * `leaks mark` carries the new number, and `leaks since G` lists what is
 * still allocated from generation G on. Pages come from page_owner
 * (mm/page_owner.c); slab objects from the owner records of the boot
 * option slab_owner (mm/slab_owner.c) or the alloc tracks of the caches
 * that store their users (slub_debug=U, mm/slab_debug.c). Pages the
 * allocators keep for themselves are not suspects and are left out:
 * slabs (their objects are listed instead) and page tables.
 * kernel/selftest.c opens a generation per suite and fails the suite if
 * anything is left behind.
 */
#include <pagoda/errno.h>
#include <pagoda/irqflags.h>
#include <pagoda/mm.h>
#include <pagoda/page_owner.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include "internal.h"

/* ---- leaks: what is still allocated, grouped by caller ---- */

#define LEAK_GROUPS 48

struct leak_group {
	unsigned long caller;
	const char *what;
	unsigned long count;
	unsigned long bytes;
};

struct leak_table {
	struct leak_group g[LEAK_GROUPS];
	int n;
	unsigned long dropped; /* allocations in groups that did not fit */
	u32 gen;
};

static void leak_add(struct leak_table *t, unsigned long caller,
		     const char *what, unsigned long bytes)
{
	for (int i = 0; i < t->n; i++) {
		if (t->g[i].caller == caller && t->g[i].what == what) {
			t->g[i].count++;
			t->g[i].bytes += bytes;
			return;
		}
	}
	if (t->n == LEAK_GROUPS) {
		t->dropped++;
		return;
	}
	t->g[t->n++] = (struct leak_group){caller, what, 1, bytes};
}

/* Blocks whose pages the allocators keep for themselves: not leaks. */
static bool allocator_owned(const struct page *page)
{
	return PageSlab(page) || PageTail(page) || PagePgtable(page) ||
	       PageReserved(page);
}

static void collect_pages(struct leak_table *t)
{
	for (unsigned long pfn = min_pfn; pfn < max_pfn; pfn++) {
		const struct page_owner *o = page_owner_of(pfn);

		if (!o)
			return; /* page_owner=off */
		if (!o->allocated || o->gen < t->gen ||
		    allocator_owned(pfn_to_page(pfn)))
			continue;
		leak_add(t, o->caller, page_owner_kind_name(o),
			 PAGE_SIZE << o->order);
	}
}

static void collect_object(void *ctx, unsigned long caller, u32 gen,
			   unsigned long bytes, const char *cache)
{
	struct leak_table *t = ctx;

	if (gen >= t->gen)
		leak_add(t, caller, cache, bytes);
}

static void print_table(struct seq_file *m, struct leak_table *t)
{
	seq_printf(m, "%8s %10s  %-16s %s\n", "count", "bytes", "what",
		   "caller");
	for (int i = 0; i < t->n; i++)
		seq_printf(m, "%8lu %10lu  %-16s %pS\n", t->g[i].count,
			   t->g[i].bytes, t->g[i].what, (void *)t->g[i].caller);
	if (t->dropped)
		seq_printf(m, "%8lu %10s  %-16s (more callers than fit)\n",
			   t->dropped, "?", "?");
}

unsigned long leaks_since(struct seq_file *m, u32 gen, bool quiet)
{
	static struct leak_table t; /* too big for a kernel stack */
	unsigned long flags, total;

	local_irq_save(flags);
	memset(&t, 0, sizeof(t));
	t.gen = gen;
	collect_pages(&t);
	slab_for_each_owner(collect_object, &t);
	local_irq_restore(flags);
	total = t.dropped;
	for (int i = 0; i < t.n; i++)
		total += t.g[i].count;
	if (!quiet && total)
		print_table(m, &t);
	return total;
}

static int cmd_leaks(struct seq_file *m, int argc, char **argv)
{
	unsigned int gen;
	unsigned long n;

	if (argc == 1) {
		seq_printf(m, "generation %u%s\n", mm_generation,
			   page_owner_of(min_pfn)
				   ? ""
				   : " (page_owner=off: pages untracked)");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "mark")) {
		seq_printf(m, "generation %u\n", mm_generation_next());
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "since") ||
	    kstrtouint(argv[2], 0, &gen))
		return shell_usage(m, "leaks");
	n = leaks_since(m, gen, false);
	seq_printf(m, "%lu allocation%s still held since generation %u\n", n,
		   n == 1 ? "" : "s", gen);
	return 0;
}
SHELL_COMMAND("leaks", "leaks [mark|since GEN]",
	      "open a new allocation generation, or list what is still "
	      "allocated since one",
	      cmd_leaks);
