/*
 * Page-table pages for the arch code: where they come from and when
 * they go back. Before the page allocator runs they come from bootmem
 * and stay forever; after, from the page allocator, marked PG_pgtable,
 * with _mapcount counting the entries in use so that the arch can give
 * an emptied table back.
 */
#include <pagoda/bootmem.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/oops.h>
#include <pagoda/pgtable.h>
#include <pagoda/pgtable_alloc.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

static void *pgtable_alloc_page(gfp_t gfp)
{
	struct page *page;

	/* Tables must be reachable through the direct map. */
	page = alloc_page((gfp & ~__GFP_HIGHMEM) | __GFP_ZERO);
	if (!page)
		return NULL;
	SetPagePgtable(page);
	page->_mapcount = 0;
	return page_address(page);
}

void *pgtable_alloc(gfp_t gfp)
{
	struct kmemtrace_event *kt;
	void *table;

	if (!bootmem_retired())
		return alloc_bootmem_tagged(PAGE_SIZE, PAGE_SIZE,
					    "page tables");
	kt = kmemtrace_begin(KT_PGTABLE_ALLOC, _RET_IP_);
	if (kt)
		kt->gfp = gfp;
	table = pgtable_alloc_page(gfp);
	kmemtrace_result(kt, (unsigned long)table);
	kmemtrace_end(kt);
	return table;
}

static struct page *counted(void *table)
{
	struct page *page;

	if (!mem_map || !virt_addr_valid(table))
		return NULL;
	page = virt_to_page(table);
	return PagePgtable(page) ? page : NULL;
}

void pgtable_get(void *table)
{
	struct page *page = counted(table);

	if (page)
		page->_mapcount++;
}

bool pgtable_put(void *table)
{
	struct page *page = counted(table);

	return page && --page->_mapcount == 0;
}

void pgtable_free(void *table)
{
	struct page *page = counted(table);
	struct kmemtrace_event *kt;

	if (!page)
		return; /* a boot-time table: it stays */
	kt = kmemtrace_begin(KT_PGTABLE_FREE, _RET_IP_);
	if (kt)
		kt->ptr = (unsigned long)table;
	ClearPagePgtable(page);
	page->_mapcount = 0;
	__free_page(page);
	kmemtrace_end(kt);
}

/* `pt ADDR`: the page-table walk for an address, level by level. */
static int cmd_pt(struct seq_file *m, int argc, char **argv)
{
	struct pt_level lv[4];
	unsigned long va;
	phys_addr_t pa;
	int n, w = 2 * (int)sizeof(long);

	if (argc != 2 || kstrtoul(argv[1], 16, &va))
		return shell_usage(m, "pt");
	seq_printf(m, "%0*lx is in: %s\n", w, va, layout_region_name(va));
	n = arch_pt_walk(va, lv, ARRAY_SIZE(lv));
	for (int i = 0; i < n; i++) {
		seq_printf(m, "  %-3s[%3u] in table at %#llx: %#0*llx  %s\n",
			   lv[i].name, lv[i].index,
			   (unsigned long long)lv[i].table, w + 2,
			   (unsigned long long)lv[i].entry,
			   lv[i].present ? lv[i].flags : "not present");
		if (lv[i].leaf)
			seq_printf(m, "        maps %lu KiB\n",
				   lv[i].size >> 10);
	}
	if (arch_virt_to_phys(va, &pa) == 0)
		seq_printf(m, "  -> physical %#llx\n", (unsigned long long)pa);
	else
		seq_puts(m, "  -> not mapped\n");
	return 0;
}
SHELL_COMMAND("pt", "pt ADDR",
	      "walk the page tables for a virtual address (hex)", cmd_pt);

static int cmd_pt_limits(struct seq_file *m, int argc, char **argv)
{
	if (argc != 1)
		return shell_usage(m, "pt_limits");
	seq_printf(m, "%s\n", arch_pt_limits);
	return 0;
}
SHELL_COMMAND("pt_limits", "pt_limits",
	      "what this arch's page-table entries cannot express",
	      cmd_pt_limits);
