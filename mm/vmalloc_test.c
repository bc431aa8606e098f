/*
 * `selftest vmalloc`: a buffer larger than any free buddy block, built
 * from scattered pages, holds a pattern end to end; every page is the
 * one the walk finds; freeing gives back the pages, the page tables and
 * the address range. It also times vmalloc+vfree of one page with 10
 * and with 10,000 live areas (reported, not asserted).
 */
#include <pagoda/arch.h>
#include <pagoda/highmem.h>
#include <pagoda/ktap.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/vmalloc.h>

static unsigned long free_now(void)
{
	kmem_cache_shrink_all();
	drain_all_pages();
	return nr_free_pages();
}

/* Bigger than the largest block the buddy allocator has. */
static unsigned long big_size(void)
{
	return (PAGE_SIZE << (MAX_ORDER - 1)) * 2;
}

static void test_big(struct ktap *t)
{
	unsigned long size = big_size(), before = free_now();
	unsigned long used = vmalloc_used(), bad = 0, same = 0;
	u32 *p = vmalloc(size);

	if (!p) {
		ktap_result(t, false, "vmalloc(%lu) failed", size);
		return;
	}
	for (unsigned long i = 0; i < size / 4; i++)
		p[i] = i * 2654435761u;
	for (unsigned long i = 0; i < size / 4; i++)
		bad += p[i] != (u32)(i * 2654435761u);
	ktap_result(t, bad == 0, "%lu KiB hold a pattern end to end",
		    size >> 10);
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		struct page *page = vmalloc_to_page((char *)p + off);
		u32 *k = page ? kmap_atomic(page, KM_USER0) : NULL;

		same += k && k[0] == p[off / 4];
		if (k)
			kunmap_atomic(k, KM_USER0);
	}
	ktap_result(t, same == size / PAGE_SIZE,
		    "vmalloc_to_page finds every page (%lu of %lu)", same,
		    size / PAGE_SIZE);
	ktap_result(t, find_vm_area(p) && vmalloc_used() == used + size +
								   PAGE_SIZE,
		    "the area, with its guard page, is in vmallocinfo");
	vfree(p);
	ktap_result(t, !find_vm_area(p) && vmalloc_used() == used,
		    "vfree removes it");
	ktap_result(t, free_now() == before,
		    "and every page, page tables included, is back");
}

static u64 one_page_cycles(void)
{
	u64 t0 = arch_cycles();

	for (int i = 0; i < 100; i++)
		vfree(vmalloc(PAGE_SIZE));
	return (arch_cycles() - t0) / 100;
}

#define MANY 10000

static void test_scaling(struct ktap *t)
{
	static void *live[MANY];
	u64 few, many;
	int n = 0;

	for (; n < 10; n++)
		live[n] = vmalloc(PAGE_SIZE);
	few = one_page_cycles();
	for (; n < MANY; n++) {
		live[n] = vmalloc(PAGE_SIZE);
		if (!live[n])
			break;
	}
	many = one_page_cycles();
	ktap_note(t, "vmalloc+vfree of one page: %llu cycles with 10 live "
		     "areas, %llu with %d (ratio %llu.%02llu)",
		  few, many, n, few ? many / few : 0,
		  few ? many * 100 / few % 100 : 0);
	ktap_result(t, n == MANY, "%d areas live at once", n);
	while (n--)
		vfree(live[n]);
}

/* The seeds' claim: vmalloc costs more than whole pages for one page. */
static void test_cost(struct ktap *t)
{
	for (unsigned int order = 0; order <= 4; order += 4) {
		u64 t0 = arch_cycles(), v, g;

		for (int i = 0; i < 100; i++)
			vfree(vmalloc(PAGE_SIZE << order));
		v = (arch_cycles() - t0) / 100;
		t0 = arch_cycles();
		for (int i = 0; i < 100; i++)
			free_pages(__get_free_pages(GFP_KERNEL, order), order);
		g = (arch_cycles() - t0) / 100;
		ktap_note(t, "%u page%s: vmalloc+vfree %llu, __get_free_pages+"
			     "free_pages %llu counter ticks (%llu.%01llux)",
			  1U << order, order ? "s" : "", v, g, g ? v / g : 0,
			  g ? v * 10 / g % 10 : 0);
	}
}

static void vmalloc_selftest(struct ktap *t)
{
	test_big(t);
	test_scaling(t);
	test_cost(t);
	ktap_result(t, vmalloc(0) == NULL, "vmalloc(0) is refused");
	ktap_result(t, vmalloc((totalram_pages + 1) * PAGE_SIZE) == NULL,
		    "more than all of RAM is refused");
}
SELFTEST("vmalloc", vmalloc_selftest);
