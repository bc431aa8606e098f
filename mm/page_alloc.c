/*
 * The zoned buddy allocator: every page of RAM, after boot, is handed
 * out and taken back here.
 *
 * Free memory in a zone is kept as blocks of 2^order pages, order 0 to
 * MAX_ORDER-1, each block aligned to its size, one list per order. A
 * request of order n takes the first block of the smallest order that
 * has one and splits it, putting the unused halves back one order down.
 * A freed block looks for its buddy (the other half of the block one
 * order up: pfn ^ (1 << order)); while the buddy is free and the same
 * size they merge and climb.
 *
 * Single pages, by far the most common request, go through a per-CPU
 * list first: freeing pushes the page on it (hot at the head, cold at
 * the tail), allocating pops one, and only when the list is empty or
 * too long does a batch move between it and the buddy lists.
 *
 * Every free is checked before it touches a list: a double free, a
 * wrong order, a pointer into the middle of a block or outside mem_map
 * is reported with the caller and ignored, so the lists stay sound.
 */
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/irqflags.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#include "internal.h"

/* How hard get_page_from_freelist() may dig. */
#define ALLOC_WMARK_MIN 0x01
#define ALLOC_WMARK_LOW 0x02
#define ALLOC_NO_WATERMARKS 0x04
#define ALLOC_HARDER 0x10 /* atomic: may go a quarter below min */
#define ALLOC_HIGH 0x20	  /* __GFP_HIGH: may go half below min */

static LIST_HEAD(shrinkers);

static bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn &&
	       pfn < z->zone_start_pfn + z->spanned_pages;
}

static void set_buddy_order(struct page *page, unsigned int order)
{
	SetPageBuddy(page);
	page->private = order;
}

static void add_to_free_area(struct zone *z, struct page *page,
			     unsigned int order)
{
	set_buddy_order(page, order);
	list_add(&page->lru, &z->free_area[order].free_list);
	z->free_area[order].nr_free++;
}

static void del_from_free_area(struct zone *z, struct page *page,
			       unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	z->free_area[order].nr_free--;
}

/* Give a block back, merging with free buddies as far as they go. */
static void __free_one_page(struct zone *z, struct page *page,
			    unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	z->free_pages += 1UL << order;
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (!zone_spans_pfn(z, buddy_pfn))
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (!PageBuddy(buddy) || buddy->private != order)
			break;
		del_from_free_area(z, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_to_free_area(z, pfn_to_page(pfn), order);
}

void __free_pages_boot(struct page *page, unsigned int order)
{
	__free_one_page(page_zone(page), page, order);
}

/* A block of order `high` was taken for a request of order `low`:
 * return the upper halves, largest first. */
static void expand(struct zone *z, struct page *page, unsigned int low,
		   unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_area(z, page + size, high);
	}
}

static struct page *__rmqueue(struct zone *z, unsigned int order)
{
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		struct free_area *fa = &z->free_area[o];
		struct page *page;

		if (list_empty(&fa->free_list))
			continue;
		page = list_first_entry(&fa->free_list, struct page, lru);
		del_from_free_area(z, page, o);
		expand(z, page, order, o);
		z->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

/* ---- the per-CPU hot/cold lists ---- */

static struct per_cpu_pages *zone_pcp(struct zone *z)
{
	return &z->pageset[smp_processor_id()].pcp;
}

static int rmqueue_bulk(struct zone *z, int count, struct list_head *list)
{
	int i;

	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(z, 0);

		if (!page)
			break;
		SetPagePcp(page);
		list_add_tail(&page->lru, list);
	}
	return i;
}

/* Move up to count of the coldest pages back to the buddy lists. */
static int free_pcp_bulk(struct zone *z, struct per_cpu_pages *pcp, int count)
{
	int i;

	for (i = 0; i < count && !list_empty(&pcp->list); i++) {
		struct page *page = list_last_entry(&pcp->list, struct page,
						    lru);

		list_del(&page->lru);
		ClearPagePcp(page);
		pcp->count--;
		__free_one_page(z, page, 0);
	}
	return i;
}

static struct page *rmqueue_pcp(struct zone *z, gfp_t gfp)
{
	struct per_cpu_pages *pcp = zone_pcp(z);
	struct page *page;

	if (list_empty(&pcp->list)) {
		pcp->count += rmqueue_bulk(z, pcp->batch, &pcp->list);
		if (list_empty(&pcp->list))
			return NULL;
	}
	if (gfp & __GFP_COLD)
		page = list_last_entry(&pcp->list, struct page, lru);
	else
		page = list_first_entry(&pcp->list, struct page, lru);
	list_del(&page->lru);
	ClearPagePcp(page);
	pcp->count--;
	return page;
}

static void free_hot_cold_page(struct page *page, bool cold)
{
	struct zone *z = page_zone(page);
	struct per_cpu_pages *pcp;
	unsigned long flags;

	local_irq_save(flags);
	pcp = zone_pcp(z);
	SetPagePcp(page);
	if (cold)
		list_add_tail(&page->lru, &pcp->list);
	else
		list_add(&page->lru, &pcp->list);
	pcp->count++;
	if (pcp->count >= pcp->high)
		free_pcp_bulk(z, pcp, pcp->batch);
	local_irq_restore(flags);
}

unsigned long zone_pcp_pages(const struct zone *z)
{
	unsigned long n = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		n += z->pageset[cpu].pcp.count;
	return n;
}

/* Returns how many pages went back to the buddy lists. */
static unsigned long drain_pages(void)
{
	unsigned long flags, n = 0;
	struct zone *z;

	local_irq_save(flags);
	for_each_zone(z) {
		struct per_cpu_pages *pcp = zone_pcp(z);

		n += free_pcp_bulk(z, pcp, pcp->count);
	}
	local_irq_restore(flags);
	return n;
}

void drain_local_pages(void)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_DRAIN, _RET_IP_);

	drain_pages();
	kmemtrace_end(kt);
}

/* With one CPU, "all" is the local one; the name is for SMP to come. */
void drain_all_pages(void)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_DRAIN, _RET_IP_);

	drain_pages();
	kmemtrace_end(kt);
}

/* ---- allocation ---- */

/*
 * 2.6's watermark test: after the allocation the zone must keep more
 * than `mark` free pages, and for higher orders that must hold at every
 * order below too (with the mark halved each step), else a big request
 * could be "satisfied" by pages too fragmented to serve it.
 */
static bool zone_watermark_ok(struct zone *z, unsigned int order,
			      unsigned long mark, int alloc_flags)
{
	long min = mark;
	long free = (long)z->free_pages - (1L << order) + 1;

	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	if (free <= min)
		return false;
	for (unsigned int o = 0; o < order; o++) {
		free -= z->free_area[o].nr_free << o;
		min >>= 1;
		if (free <= min)
			return false;
	}
	return true;
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	page->_count = 1;
	page->private = order;
	page->flags &= ~((1UL << PG_buddy) | (1UL << PG_pcp));
	if (gfp & __GFP_ZERO) {
		for (unsigned int i = 0; i < (1U << order); i++)
			clear_highpage(page + i);
	}
}

static struct page *buffered_rmqueue(struct zone *z, unsigned int order,
				     gfp_t gfp)
{
	unsigned long flags;
	struct page *page;

	local_irq_save(flags);
	if (order == 0)
		page = rmqueue_pcp(z, gfp);
	else
		page = __rmqueue(z, order);
	if (page)
		z->nr_alloc++;
	local_irq_restore(flags);
	if (page)
		prep_new_page(page, order, gfp);
	return page;
}

static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
					   struct zonelist *zl,
					   int alloc_flags)
{
	for (struct zone **zp = zl->zones; *zp; zp++) {
		struct zone *z = *zp;
		struct page *page;

		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			unsigned long mark = alloc_flags & ALLOC_WMARK_MIN ?
						     z->pages_min :
						     z->pages_low;

			if (!zone_watermark_ok(z, order, mark, alloc_flags))
				continue;
		}
		page = buffered_rmqueue(z, order, gfp);
		if (page)
			return page;
	}
	return NULL;
}

static unsigned long run_shrinkers(unsigned long nr, gfp_t gfp)
{
	struct shrinker *s;
	unsigned long got = 0;

	list_for_each_entry(s, &shrinkers, list)
		got += s->shrink(nr, gfp);
	return got;
}

void register_shrinker(struct shrinker *s)
{
	list_add_tail(&s->list, &shrinkers);
}

void unregister_shrinker(struct shrinker *s)
{
	list_del(&s->list);
}

static enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_HIGHMEM)
		return ZONE_HIGHMEM;
	return ZONE_NORMAL;
}

void show_free_areas(void)
{
	struct zone *z;

	for_each_zone(z) {
		unsigned long total = 0;

		if (!populated_zone(z))
			continue;
		printk(KERN_WARNING "Node %d %s free:%lukB min:%lukB low:%lukB "
				    "high:%lukB present:%lukB pcp:%lu\n",
		       zone_nid(z), z->name, z->free_pages << 2,
		       z->pages_min << 2, z->pages_low << 2,
		       z->pages_high << 2, z->present_pages << 2,
		       zone_pcp_pages(z));
		printk(KERN_WARNING "Node %d %s:", zone_nid(z), z->name);
		for (int o = 0; o < MAX_ORDER; o++) {
			unsigned long n = z->free_area[o].nr_free;

			printk(KERN_CONT " %lu*%lukB", n, (PAGE_SIZE >> 10) << o);
			total += n << o;
		}
		printk(KERN_CONT " = %lukB\n", total * (PAGE_SIZE >> 10));
	}
}

static void warn_alloc_failed(gfp_t gfp, unsigned int order)
{
	char name[96];

	printk(KERN_WARNING "pagoda: page allocation failure: order:%u, "
			    "mode:%#x (%s)\n",
	       order, gfp, gfp_name(gfp, name, sizeof(name)));
	dump_stack();
	show_free_areas();
}

/*
 * There is no page reclaim to wait for, so "trying harder" means what
 * can be done at once: empty the per-CPU lists and, for callers that
 * may sleep (as Linux reclaims only for them), ask the shrinkers (the
 * slab layer's empty slabs) for memory, then look again. __GFP_NORETRY
 * skips that, __GFP_REPEAT and __GFP_NOFAIL repeat it while it frees
 * something, and __GFP_NOFAIL may finally ignore the watermarks. Nothing
 * ever loops forever: with nothing left, even __GFP_NOFAIL fails, loudly.
 */
static struct page *alloc_slowpath(gfp_t gfp, unsigned int order,
				   struct zonelist *zl)
{
	int alloc_flags = ALLOC_WMARK_MIN;
	int tries = 1;
	struct page *page;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_HIGH;
	if (!(gfp & __GFP_WAIT))
		alloc_flags |= ALLOC_HARDER;
	page = get_page_from_freelist(gfp, order, zl, alloc_flags);
	if (page)
		return page;
	if (gfp & __GFP_NORETRY)
		tries = 0;
	else if (gfp & __GFP_NOFAIL)
		tries = 8;
	else if (gfp & __GFP_REPEAT)
		tries = 3;
	for (int i = 0; i < tries; i++) {
		unsigned long progress = 0;

		/* Shrink first: what it frees lands on the per-CPU lists,
		 * and the drain then puts it where the watermarks see it. */
		if (gfp & __GFP_WAIT)
			progress += run_shrinkers(1UL << order, gfp);
		progress += drain_pages();
		page = get_page_from_freelist(gfp, order, zl, alloc_flags);
		if (page || !progress)
			break;
	}
	if (!page && (gfp & __GFP_NOFAIL))
		page = get_page_from_freelist(gfp, order, zl,
					      ALLOC_NO_WATERMARKS);
	return page;
}

/*
 * Every way in passes its own caller down, so what fault injection
 * reports (and page ownership records) is the code that asked, not
 * one of the wrappers below.
 */
static struct page *__alloc_pages(gfp_t gfp, unsigned int order,
				  struct zonelist *zl, unsigned long caller)
{
	struct page *page;

	if (order >= MAX_ORDER) {
		WARN(!(gfp & __GFP_NOWARN),
		     "page allocation of order %u: the largest is %d\n", order,
		     MAX_ORDER - 1);
		return NULL;
	}
	might_sleep_if(gfp & __GFP_WAIT);
	if (should_fail_alloc_page(gfp, order, caller)) {
		kmemtrace_injected();
		return NULL;
	}
	page = get_page_from_freelist(gfp, order, zl, ALLOC_WMARK_LOW);
	if (!page)
		page = alloc_slowpath(gfp, order, zl);
	if (page) {
		set_page_owner(page, order, caller);
		return page;
	}
	if (zl->zones[0])
		zl->zones[0]->nr_failed++;
	if (!(gfp & __GFP_NOWARN))
		warn_alloc_failed(gfp, order);
	WARN(gfp & __GFP_NOFAIL,
	     "__GFP_NOFAIL allocation of order %u failed: nothing left\n",
	     order);
	return NULL;
}

static void trace_page_alloc(struct kmemtrace_event *kt, int nid, gfp_t gfp,
			     unsigned int order, struct page *page)
{
	kt->gfp = gfp;
	kt->size = order;
	if (page) {
		kt->arg = kmemtrace_zone_arg(page_zone(page));
		kt->ptr = page_to_pfn(page); /* pfn 0 is a page too */
	} else {
		kt->arg = (unsigned long)nid; /* no zone: the dump says none */
		kt->flags |= KT_FAILED;
	}
	kmemtrace_end(kt);
}

static struct page *alloc_pages_caller(int nid, gfp_t gfp,
				       unsigned int order, unsigned long caller)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_PAGE_ALLOC, caller);
	struct page *page;

	if (unlikely(kt)) { /* what an unfinished event shows */
		kt->size = order;
		kt->gfp = gfp;
	}
	if (nid < 0)
		nid = 0;
	if (nid >= nr_online_nodes) {
		WARN(1, "alloc_pages_node: no node %d (there are %d)\n", nid,
		     nr_online_nodes);
		nid = 0;
	}
	if ((gfp & __GFP_DMA) && (gfp & __GFP_HIGHMEM)) {
		WARN(1, "alloc_pages: __GFP_DMA and __GFP_HIGHMEM together; "
			"using DMA\n");
		gfp &= ~__GFP_HIGHMEM;
	}
	page = __alloc_pages(gfp, order,
			     &NODE_DATA(nid)->node_zonelists[gfp_zone(gfp)],
			     caller);
	if (unlikely(kt))
		trace_page_alloc(kt, nid, gfp, order, page);
	return page;
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	return alloc_pages_caller(nid, gfp, order, _RET_IP_);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_caller(0, gfp, order, _RET_IP_);
}

static unsigned long get_free_pages_caller(gfp_t gfp, unsigned int order,
					   unsigned long caller)
{
	struct page *page;

	/* The caller wants an address: high memory has none. */
	if (WARN(gfp & __GFP_HIGHMEM,
		 "__get_free_pages with __GFP_HIGHMEM: ignored\n"))
		gfp &= ~__GFP_HIGHMEM;
	page = alloc_pages_caller(0, gfp, order, caller);
	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	return get_free_pages_caller(gfp, order, _RET_IP_);
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return get_free_pages_caller(gfp | __GFP_ZERO, 0, _RET_IP_);
}

/* ---- freeing, with its checks ---- */

static bool page_in_mem_map(const struct page *page)
{
	unsigned long off = (unsigned long)((const char *)page -
					    (const char *)mem_map);

	return page >= mem_map && page < mem_map + (max_pfn - min_pfn) &&
	       off % sizeof(struct page) == 0;
}

/*
 * The block containing pfn whose first page is `head`, if any: a free
 * buddy block or an allocated one of at least that size.
 */
static struct page *containing_block(unsigned long pfn, bool *is_free)
{
	for (unsigned int o = 1; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		struct page *hp;

		if (!pfn_valid(head))
			break;
		hp = pfn_to_page(head);
		if (hp->private < o)
			continue;
		if (PageBuddy(hp) || hp->_count > 0) {
			*is_free = PageBuddy(hp);
			return hp;
		}
	}
	return NULL;
}

static void report_bad_free(const char *what, const struct page *page,
			    unsigned int order, unsigned long caller)
{
	printk(KERN_ERR "BUG: Bad page free: %s\n", what);
	if (page_in_mem_map(page))
		printk(KERN_ERR "  pfn %#lx (phys %#llx), order %u, freed by "
				"%pS; page flags %#lx count %d order %lu\n",
		       page_to_pfn(page),
		       (unsigned long long)page_to_phys(page), order,
		       (void *)caller, page->flags, page->_count,
		       page->private);
	else
		printk(KERN_ERR "  struct page %p, order %u, freed by %pS\n",
		       page, order, (void *)caller);
	dump_stack();
	printk(KERN_ERR "  the free was ignored; the free lists are intact\n");
}

/*
 * A HighMem page still kmapped: freed, its pkmap slot would go on
 * mapping it for the next owner (and memmap would show that owner's
 * page as pkmap). Reported, and the block is left allocated.
 */
static bool block_kmapped(struct page *page, unsigned int order,
			  unsigned long caller)
{
	char why[96];

	if (!PageHighMem(page))
		return false;
	for (unsigned long i = 0; i < 1UL << order; i++) {
		if (PagePkmap(page + i)) {
			scnprintf(why, sizeof(why),
				  "pfn %#lx is still kmapped: kunmap it first",
				  page_to_pfn(page + i));
			report_bad_free(why, page, order, caller);
			return true;
		}
	}
	return false;
}

/* Is this a block that may be freed with this order? */
static bool free_is_sound(struct page *page, unsigned int order,
			  unsigned long caller)
{
	struct page *head;
	bool is_free = false;
	char why[96];

	if (!page_in_mem_map(page)) {
		report_bad_free("not a page of this machine's mem_map", page,
				order, caller);
		return false;
	}
	if (order >= MAX_ORDER) {
		report_bad_free("order out of range", page, order, caller);
		return false;
	}
	if (PageReserved(page)) {
		report_bad_free("page is reserved (never allocated)", page,
				order, caller);
		return false;
	}
	if (PageSlab(page) || PageTail(page)) {
		report_bad_free("the page belongs to a slab: free its objects "
				"with kmem_cache_free or kfree",
				page, order, caller);
		return false;
	}
	if (PageKmalloc(page)) {
		report_bad_free("the page is a kmalloc block: free it with "
				"kfree",
				page, order, caller);
		return false;
	}
	if (PagePgtable(page)) {
		report_bad_free("the page is a live page table", page, order,
				caller);
		return false;
	}
	if (PageBuddy(page) || PagePcp(page)) {
		report_bad_free("double free: the page is already free", page,
				order, caller);
		return false;
	}
	if (page->_count <= 0) {
		head = containing_block(page_to_pfn(page), &is_free);
		if (head && is_free)
			scnprintf(why, sizeof(why),
				  "double free: inside a free order-%lu block "
				  "at pfn %#lx",
				  head->private, page_to_pfn(head));
		else if (head)
			scnprintf(why, sizeof(why),
				  "not the start of the allocated order-%lu "
				  "block at pfn %#lx",
				  head->private, page_to_pfn(head));
		else
			scnprintf(why, sizeof(why), "page is not allocated");
		report_bad_free(why, page, order, caller);
		return false;
	}
	if (page->private != order) {
		scnprintf(why, sizeof(why),
			  "wrong order: allocated as order %lu, freed as "
			  "order %u",
			  page->private, order);
		report_bad_free(why, page, order, caller);
		return false;
	}
	return !block_kmapped(page, order, caller);
}

/*
 * Only a free that reaches the lists is an event: a rejected one or a
 * dropped reference changes nothing a replay could see. The callers
 * record it with interrupts off until the block is on its list, so no
 * interrupt's allocation can change the lists between the two.
 */
static void trace_page_free(struct page *page, unsigned int order, bool cold,
			    unsigned long caller)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_PAGE_FREE, caller);

	if (!kt)
		return;
	kt->size = order;
	kt->ptr = page_to_pfn(page);
	kt->arg = kmemtrace_zone_arg(page_zone(page));
	if (cold)
		kt->flags |= KT_COLD;
	kmemtrace_end(kt);
}

static void free_pages_checked(struct page *page, unsigned int order,
			       unsigned long caller)
{
	unsigned long flags;

	if (!free_is_sound(page, order, caller))
		return;
	if (--page->_count > 0)
		return; /* someone else still holds a reference */
	local_irq_save(flags);
	if (unlikely(kmemtrace_active))
		trace_page_free(page, order, false, caller);
	reset_page_owner(page, order);
	page->private = 0;
	page_zone(page)->nr_free_calls++;
	if (order == 0)
		free_hot_cold_page(page, false);
	else
		__free_one_page(page_zone(page), page, order);
	local_irq_restore(flags);
}

void __free_pages(struct page *page, unsigned int order)
{
	free_pages_checked(page, order, _RET_IP_);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (!IS_ALIGNED(addr, PAGE_SIZE) || !virt_addr_valid((void *)addr)) {
		printk(KERN_ERR "BUG: Bad page free: %#lx (order %u) from %pS "
				"is not a page-aligned address in the direct "
				"map; ignored\n",
		       addr, order, (void *)_RET_IP_);
		dump_stack();
		return;
	}
	free_pages_checked(virt_to_page((void *)addr), order, _RET_IP_);
}

static void free_order0(struct page *page, bool cold, unsigned long caller)
{
	unsigned long flags;

	if (!free_is_sound(page, 0, caller))
		return;
	if (--page->_count > 0)
		return;
	local_irq_save(flags); /* the event and the list change together */
	if (unlikely(kmemtrace_active))
		trace_page_free(page, 0, cold, caller);
	reset_page_owner(page, 0);
	page->private = 0;
	page_zone(page)->nr_free_calls++;
	free_hot_cold_page(page, cold);
	local_irq_restore(flags);
}

void free_hot_page(struct page *page)
{
	free_order0(page, false, _RET_IP_);
}

void free_cold_page(struct page *page)
{
	free_order0(page, true, _RET_IP_);
}

/* ---- figures ---- */

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;
	struct zone *z;

	for_each_zone(z)
		n += z->free_pages + zone_pcp_pages(z);
	return n;
}

unsigned long nr_free_highpages(void)
{
	unsigned long n = 0;
	struct zone *z;

	for_each_zone(z) {
		if (zone_idx(z) == ZONE_HIGHMEM)
			n += z->free_pages + zone_pcp_pages(z);
	}
	return n;
}

/* Free pages above the high watermarks, what can be used without
 * pushing any zone into trouble. */
unsigned long nr_free_pagecache_pages(void)
{
	unsigned long n = 0;
	struct zone *z;

	for_each_zone(z) {
		unsigned long f = z->free_pages + zone_pcp_pages(z);

		if (f > z->pages_high)
			n += f - z->pages_high;
	}
	return n;
}
