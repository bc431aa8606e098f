/*
 * `selftest page_alloc`: the page allocator checked from inside the
 * running kernel, on the real zones of this machine. Each case restores
 * what it took, and the last one takes everything there is and checks
 * that every page comes back.
 */
#include <pagoda/bug.h>
#include <pagoda/hardirq.h>
#include <pagoda/highmem.h>
#include <pagoda/irqflags.h>
#include <pagoda/ktap.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

#include "internal.h"

struct snapshot {
	unsigned long free_pages[MAX_NUMNODES * MAX_NR_ZONES];
	unsigned long nr_free[MAX_NUMNODES * MAX_NR_ZONES][MAX_ORDER];
};

/*
 * Buddy lists only: empty slabs go back and the per-CPU lists are
 * drained first, since running short of memory does both by itself.
 */
static void take_snapshot(struct snapshot *s)
{
	struct zone *z;
	int i = 0;

	memset(s, 0, sizeof(*s));
	kmem_cache_shrink_all();
	drain_all_pages();
	for_each_zone(z) {
		s->free_pages[i] = z->free_pages;
		for (int o = 0; o < MAX_ORDER; o++)
			s->nr_free[i][o] = z->free_area[o].nr_free;
		i++;
	}
}

static bool same_snapshot(const struct snapshot *a, const struct snapshot *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static bool all_zero(struct page *page)
{
	const unsigned char *p = kmap_atomic(page, KM_USER0);
	bool zero = true;

	for (unsigned long i = 0; i < PAGE_SIZE && zero; i++)
		zero = p[i] == 0;
	kunmap_atomic((void *)p, KM_USER0);
	return zero;
}

static void fill(struct page *page, int byte)
{
	void *p = kmap_atomic(page, KM_USER0);

	memset(p, byte, PAGE_SIZE);
	kunmap_atomic(p, KM_USER0);
}

static void test_zeroed(struct ktap *t)
{
	unsigned long addr = __get_free_page(GFP_KERNEL);
	unsigned long again;
	struct page *hp;

	if (!addr) {
		ktap_result(t, false, "get_zeroed_page: no page to dirty");
		return;
	}
	memset((void *)addr, 0xaa, PAGE_SIZE);
	free_page(addr);
	again = get_zeroed_page(GFP_KERNEL);
	ktap_result(t, again && all_zero(virt_to_page((void *)again)),
		    "get_zeroed_page returns zeros (same page reused: %s)",
		    again == addr ? "yes" : "no");
	free_page(again);

	hp = alloc_page(GFP_HIGHUSER);
	if (hp) {
		fill(hp, 0x55);
		__free_page(hp);
	}
	hp = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	ktap_result(t, hp && all_zero(hp),
		    "GFP_HIGHUSER|__GFP_ZERO zeroes a %s page",
		    hp && PageHighMem(hp) ? "HIGHMEM" : "low");
	if (hp)
		__free_page(hp);
}

static void test_orders(struct ktap *t)
{
	struct page *blocks[MAX_ORDER];
	struct snapshot before, after;
	bool aligned = true;

	take_snapshot(&before);
	for (int o = 0; o < MAX_ORDER; o++) {
		blocks[o] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);
		if (blocks[o] && (page_to_pfn(blocks[o]) & ((1UL << o) - 1)))
			aligned = false;
	}
	ktap_result(t, aligned, "blocks of order 0..%d are aligned to their "
				"size",
		    MAX_ORDER - 1);
	for (int o = 0; o < MAX_ORDER; o++) {
		if (blocks[o])
			__free_pages(blocks[o], o);
	}
	take_snapshot(&after);
	ktap_result(t, same_snapshot(&before, &after),
		    "freeing them merges the buddy lists back exactly");
}

static bool zone_is(struct page *page, enum zone_type t)
{
	return page && zone_idx(page_zone(page)) == (int)t;
}

static void test_zones(struct ktap *t)
{
	struct page *dma = alloc_page(GFP_KERNEL | __GFP_DMA);
	struct page *low = alloc_page(GFP_KERNEL);
	struct page *high = alloc_page(GFP_HIGHUSER);
	bool has_high = populated_zone(&NODE_DATA(0)->node_zones[ZONE_HIGHMEM]);

	ktap_result(t, zone_is(dma, ZONE_DMA), "__GFP_DMA comes from ZONE_DMA");
	ktap_result(t, low && !PageHighMem(low) && page_address(low),
		    "GFP_KERNEL comes from low memory (%s)",
		    low ? page_zone(low)->name : "none");
	ktap_result(t, high && (!has_high || zone_is(high, ZONE_HIGHMEM)),
		    "GFP_HIGHUSER prefers ZONE_HIGHMEM (got %s)",
		    high ? page_zone(high)->name : "none");
	if (dma)
		__free_page(dma);
	if (low)
		__free_page(low);
	if (high)
		__free_page(high);
}

static void test_hot_cold(struct ktap *t)
{
	struct page *a = alloc_page(GFP_KERNEL);
	struct page *b = alloc_page(GFP_KERNEL);
	struct page *got;

	if (!a || !b) {
		ktap_result(t, false, "hot/cold: no pages");
		return;
	}
	free_hot_page(a);
	got = alloc_page(GFP_KERNEL);
	ktap_result(t, got == a, "a hot-freed page is the next one handed out");
	free_cold_page(b);
	free_hot_page(got);
	got = alloc_page(GFP_KERNEL | __GFP_COLD);
	ktap_result(t, got == b, "__GFP_COLD takes the cold-freed page");
	if (got)
		__free_page(got);
	drain_all_pages();
}

static void test_misuse(struct ktap *t)
{
	struct snapshot before, after;
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	struct page *q = alloc_page(GFP_KERNEL);
	extern char _text[];

	if (!p || !q) {
		ktap_result(t, false, "misuse: no pages");
		return;
	}
	ktap_note(t, "five bad frees follow; each must be reported");
	__free_pages(p, 1);		/* wrong order */
	__free_pages(p + 1, 0);		/* middle of a block */
	__free_page(q);
	take_snapshot(&before);
	__free_page(q);			/* double free */
	free_pages((unsigned long)_text & ~(PAGE_SIZE - 1), 0); /* kernel */
	free_pages((unsigned long)page_address(p) + 8, 2); /* unaligned */
	take_snapshot(&after);
	ktap_result(t, same_snapshot(&before, &after),
		    "bad frees leave the free lists untouched");
	ktap_result(t, page_count(p) == 1 && p->private == 2,
		    "the misused block is still allocated, order 2");
	__free_pages(p, 2);
}

static void test_might_sleep(struct ktap *t)
{
	unsigned long before = might_sleep_reports, flags;
	struct page *a, *b;

	local_irq_save(flags);
	a = alloc_page(GFP_ATOMIC);
	b = alloc_page(GFP_KERNEL);
	local_irq_restore(flags);
	ktap_result(t, might_sleep_reports == before + 1,
		    "GFP_KERNEL with interrupts off is reported, GFP_ATOMIC "
		    "is not");
	if (a)
		__free_page(a);
	if (b)
		__free_page(b);
}

/* Take every page there is, chained through page->lru, then free all. */
static void test_exhaustion(struct ktap *t)
{
	struct snapshot before, after;
	unsigned long free_before, taken = 0, atomic = 0;
	struct list_head held;
	struct page *page, *n;

	INIT_LIST_HEAD(&held);
	take_snapshot(&before);
	free_before = nr_free_pages();
	while ((page = alloc_page(GFP_HIGHUSER | __GFP_NOWARN))) {
		list_add(&page->lru, &held);
		taken++;
	}
	while ((page = alloc_page(GFP_ATOMIC | __GFP_NOWARN))) {
		list_add(&page->lru, &held);
		atomic++;
	}
	ktap_note(t, "took %lu pages, then %lu more with GFP_ATOMIC; %lu left",
		  taken, atomic, nr_free_pages());
	ktap_result(t, atomic > 0, "GFP_ATOMIC dips below the min watermark");
	list_for_each_entry_safe(page, n, &held, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	take_snapshot(&after);
	ktap_result(t, nr_free_pages() == free_before,
		    "MemFree is back where it started (%lu pages)",
		    nr_free_pages());
	ktap_result(t, same_snapshot(&before, &after),
		    "and the buddy lists are exactly as before");
}

static void page_alloc_selftest(struct ktap *t)
{
	test_zeroed(t);
	test_orders(t);
	test_zones(t);
	test_hot_cold(t);
	test_misuse(t);
	test_might_sleep(t);
	test_exhaustion(t);
}
SELFTEST("page_alloc", page_alloc_selftest);
