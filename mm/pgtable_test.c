/*
 * `selftest pgtable`: the arch's map/unmap on a real page, at the start
 * of the vmalloc area where nothing else maps yet. What is written
 * through the new mapping must show through the direct map, and the
 * page tables built for it must go back to the page allocator.
 */
#include <pagoda/errno.h>
#include <pagoda/ktap.h>
#include <pagoda/mm.h>
#include <pagoda/pgtable.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

static void pgtable_selftest(struct ktap *t)
{
	/* The middle of the vmalloc area, where no table exists yet. */
	unsigned long va = ALIGN_DOWN(VMALLOC_START +
					      (VMALLOC_END - VMALLOC_START) / 2,
				      4UL << 20);
	unsigned long before;
	struct page *page;
	phys_addr_t pa;
	char *direct;

	kmem_cache_shrink_all();
	drain_all_pages();
	before = nr_free_pages();
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		ktap_result(t, false, "no page to map");
		return;
	}
	direct = page_address(page);
	ktap_result(t, arch_virt_to_phys(va, &pa) != 0,
		    "%p is not mapped to begin with", (void *)va);
	ktap_result(t, arch_map_page(va, page_to_phys(page), PAGE_KERNEL,
				     GFP_KERNEL) == 0,
		    "arch_map_page maps it");
	ktap_result(t, arch_map_page(va, page_to_phys(page), PAGE_KERNEL,
				     GFP_KERNEL) == -EEXIST,
		    "mapping it twice is refused");
	strlcpy((char *)va, "through the new mapping", 32);
	ktap_result(t, !strcmp(direct, "through the new mapping"),
		    "a write through it shows in the direct map");
	ktap_result(t, arch_virt_to_phys(va, &pa) == 0 &&
			       pa == page_to_phys(page),
		    "the walk finds the page");
	ktap_result(t, arch_unmap_page(va) && !arch_unmap_page(va),
		    "unmap removes it once");
	arch_flush_tlb_range(va, va + PAGE_SIZE);
	ktap_result(t, arch_virt_to_phys(va, &pa) != 0, "and it is gone");
	__free_page(page);
	drain_all_pages();
	ktap_result(t, nr_free_pages() == before,
		    "the page tables went back to the page allocator");
}
SELFTEST("pgtable", pgtable_selftest);
