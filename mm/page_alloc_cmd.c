/*
 * Shell commands to drive the page allocator by hand: take a block,
 * look at it (peek, /proc/buddyinfo), give it back. free_pages takes
 * only blocks this alloc_pages handed out, with their order
 * (mm/shell_allocs.c); `misuse` shows the allocator's checks at work.
 */
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

#include "shell_allocs.h"

static int cmd_alloc_pages(struct seq_file *m, int argc, char **argv)
{
	unsigned int order, nid = 0;
	gfp_t gfp = GFP_KERNEL;
	struct page *page;
	char name[96];
	void *addr;

	if (argc < 2 || argc > 4 || kstrtouint(argv[1], 0, &order) ||
	    (argc > 2 && gfp_parse(argv[2], &gfp)) ||
	    (argc > 3 && kstrtouint(argv[3], 0, &nid)))
		return shell_usage(m, "alloc_pages");
	if (order >= MAX_ORDER) {
		seq_printf(m, "alloc_pages: order must be 0..%d\n",
			   MAX_ORDER - 1);
		return -EINVAL;
	}
	if (nid >= (unsigned int)nr_online_nodes) {
		seq_printf(m, "alloc_pages: no node %u\n", nid);
		return -EINVAL;
	}
	if (!shell_alloc_room(m, "alloc_pages"))
		return -ENOSPC;
	page = alloc_pages_node(nid, gfp, order);
	if (!page) {
		seq_printf(m, "alloc_pages: order %u (%s) failed\n", order,
			   gfp_name(gfp, name, sizeof(name)));
		return -ENOMEM;
	}
	addr = page_address(page);
	shell_alloc_add(SHELL_PAGES, (unsigned long)addr, page_to_pfn(page),
			order);
	seq_printf(m, "order %u: pfn %#lx phys %#llx zone %s node %d, ",
		   order, page_to_pfn(page),
		   (unsigned long long)page_to_phys(page), page_zone(page)->name,
		   zone_nid(page_zone(page)));
	if (addr)
		seq_printf(m, "at %p\n  free it with: free_pages %lx %u\n", addr,
			   (unsigned long)addr, order);
	else
		seq_printf(m, "no kernel address (HIGHMEM)\n  free it with: "
			      "free_pages pfn:%#lx %u\n",
			   page_to_pfn(page), order);
	return 0;
}
SHELL_COMMAND("alloc_pages", "alloc_pages ORDER [GFP] [NODE]",
	      "allocate 2^ORDER pages (GFP like GFP_KERNEL|__GFP_ZERO)",
	      cmd_alloc_pages);

/* The block, its order, and no page of it still kmapped by the shell. */
static int free_pages_ok(struct seq_file *m, const struct shell_alloc *a,
			 const char *what, unsigned int order)
{
	const struct shell_alloc *k;

	if (!a)
		return shell_alloc_refuse(m, "free_pages", what, "alloc_pages");
	if (a->order != order) {
		seq_printf(m, "free_pages: %s was allocated as order %u, not "
			      "%u\n",
			   what, a->order, order);
		return -EINVAL;
	}
	k = shell_alloc_kmap_in(a->pfn, order);
	if (k) {
		seq_printf(m, "free_pages: pfn %#lx is kmapped: kunmap %#lx "
			      "first\n",
			   k->pfn, k->pfn);
		return -EBUSY;
	}
	return 0;
}

/* ADDR is a direct-mapped address (hex), or pfn:N for any page. */
static int cmd_free_pages(struct seq_file *m, int argc, char **argv)
{
	struct shell_alloc *a;
	unsigned long v;
	unsigned int order;
	int err;

	if (argc != 3 || kstrtouint(argv[2], 0, &order))
		return shell_usage(m, "free_pages");
	if (str_has_prefix(argv[1], "pfn:")) {
		if (kstrtoul(argv[1] + 4, 0, &v))
			return shell_usage(m, "free_pages");
		a = shell_alloc_find_pfn(SHELL_PAGES, v);
	} else {
		if (kstrtoul(argv[1], 16, &v))
			return shell_usage(m, "free_pages");
		a = v ? shell_alloc_find(SHELL_PAGES, v) : NULL;
	}
	err = free_pages_ok(m, a, argv[1], order);
	if (err)
		return err;
	v = a->pfn;
	shell_alloc_drop(a);
	__free_pages(pfn_to_page(v), order);
	return 0;
}
SHELL_COMMAND("free_pages", "free_pages ADDR|pfn:N ORDER",
	      "free a block the shell's alloc_pages handed out (nothing else)",
	      cmd_free_pages);

static int cmd_drain(struct seq_file *m, int argc, char **argv)
{
	if (argc != 1)
		return shell_usage(m, "drain");
	drain_all_pages();
	return 0;
}
SHELL_COMMAND("drain", "drain",
	      "move the per-CPU lists' pages back to the buddy lists",
	      cmd_drain);
