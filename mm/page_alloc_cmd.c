/*
 * Shell commands to drive the page allocator by hand: take a block,
 * look at it (peek, /proc/buddyinfo), give it back -- or give it back
 * wrongly, to see the checks in mm/page_alloc.c at work.
 */
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

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
	page = alloc_pages_node(nid, gfp, order);
	if (!page) {
		seq_printf(m, "alloc_pages: order %u (%s) failed\n", order,
			   gfp_name(gfp, name, sizeof(name)));
		return -ENOMEM;
	}
	addr = page_address(page);
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

/* ADDR is a direct-mapped address (hex), or pfn:N for any page. */
static int cmd_free_pages(struct seq_file *m, int argc, char **argv)
{
	unsigned long v;
	unsigned int order;

	if (argc != 3 || kstrtouint(argv[2], 0, &order))
		return shell_usage(m, "free_pages");
	if (str_has_prefix(argv[1], "pfn:")) {
		if (kstrtoul(argv[1] + 4, 0, &v))
			return shell_usage(m, "free_pages");
		if (!pfn_valid(v)) {
			seq_printf(m, "free_pages: pfn %#lx is not RAM this "
				      "kernel manages\n",
				   v);
			return -EINVAL;
		}
		__free_pages(pfn_to_page(v), order);
		return 0;
	}
	if (kstrtoul(argv[1], 16, &v))
		return shell_usage(m, "free_pages");
	free_pages(v, order);
	return 0;
}
SHELL_COMMAND("free_pages", "free_pages ADDR|pfn:N ORDER",
	      "free a block from alloc_pages (checked: misuse is reported)",
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
