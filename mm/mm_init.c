/*
 * Setting up the page allocator: from bootmem's view of memory to nodes,
 * zones, mem_map and full buddy lists.
 *
 * Everything is derived from what bootmem holds after setup_arch():
 * its memory regions (with their NUMA node ids) say which frames exist,
 * its low limit is the top of ZONE_DMA and its direct-map limit the top
 * of ZONE_NORMAL; whatever RAM lies above is ZONE_HIGHMEM. No address of
 * any particular machine appears here.
 *
 * mem_map gets one struct page per frame from the lowest RAM frame to
 * the highest, holes included (marked reserved), allocated from bootmem
 * and zeroed. Pages bootmem had reserved stay reserved; every free range
 * goes to the buddy lists in the largest aligned blocks that fit, and
 * bootmem retires.
 */
#include <pagoda/bootmem.h>
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#include "internal.h"

struct page *mem_map;
unsigned long min_pfn, max_pfn, max_low_pfn;
void *high_memory;
unsigned long totalram_pages, totalhigh_pages;
pg_data_t node_data[MAX_NUMNODES];
int nr_online_nodes = 1;

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "Normal",
						       "HighMem" };
/* Where each zone type ends (exclusive pfn), the same on every node. */
static unsigned long zone_end_pfn[MAX_NR_ZONES];
/* The option as given (-1: none), and the value in force. */
static int min_free_kbytes_param = -1;
static int min_free_kbytes;

static int set_min_free_kbytes(const char *val)
{
	int v;

	if (!val || kstrtoint(val, 0, &v) || v < 0 || v > 1024 * 1024)
		return -EINVAL;
	min_free_kbytes_param = v;
	return 0;
}
early_param("min_free_kbytes", set_min_free_kbytes);

struct zone *first_zone(void)
{
	return node_data[0].node_zones;
}

struct zone *next_zone(struct zone *z)
{
	pg_data_t *pgdat = z->zone_pgdat;

	if (z + 1 < pgdat->node_zones + MAX_NR_ZONES)
		return z + 1;
	if (pgdat->node_id + 1 < nr_online_nodes)
		return NODE_DATA(pgdat->node_id + 1)->node_zones;
	return NULL;
}

static struct zone *zone_lookup(unsigned long pfn)
{
	struct zone *z;

	for_each_zone(z) {
		if (pfn >= z->zone_start_pfn &&
		    pfn < z->zone_start_pfn + z->spanned_pages)
			return z;
	}
	return NULL;
}

struct zone *page_zone(const struct page *page)
{
	unsigned long id = page->flags >> PAGE_ZONE_SHIFT;
	struct zone *z;

	if (likely(id))
		return &NODE_DATA((id - 1) / MAX_NR_ZONES)
				->node_zones[(id - 1) % MAX_NR_ZONES];
	z = zone_lookup(page_to_pfn(page));
	if (z)
		((struct page *)page)->flags |=
			(unsigned long)(zone_nid(z) * MAX_NR_ZONES +
					zone_idx(z) + 1)
			<< PAGE_ZONE_SHIFT;
	return z;
}

void *page_address(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	if (pfn >= max_low_pfn)
		return kmap_address(page); /* NULL unless kmapped */
	return __va((phys_addr_t)pfn << PAGE_SHIFT);
}

static enum zone_type pfn_zone_type(unsigned long pfn)
{
	if (pfn < zone_end_pfn[ZONE_DMA])
		return ZONE_DMA;
	if (pfn < zone_end_pfn[ZONE_NORMAL])
		return ZONE_NORMAL;
	return ZONE_HIGHMEM;
}

/* RAM frames of one bootmem memory region: [*start, *end). */
static bool region_pfns(const struct bootmem_region *r, unsigned long *start,
			unsigned long *end)
{
	*start = ALIGN(r->base, PAGE_SIZE) >> PAGE_SHIFT;
	*end = ALIGN_DOWN(r->base + r->size, PAGE_SIZE) >> PAGE_SHIFT;
	return *start < *end;
}

/*
 * Spans and present counts: a zone spans from its lowest to its highest
 * RAM frame on its node; present counts only the RAM in between.
 */
static void size_zones(void)
{
	unsigned long s, e;

	for (int i = 0; i < bootmem_nr_memory(); i++) {
		const struct bootmem_region *r = bootmem_memory(i);
		int nid = r->nid < MAX_NUMNODES ? r->nid : 0;

		if (!region_pfns(r, &s, &e))
			continue;
		if (nid + 1 > nr_online_nodes)
			nr_online_nodes = nid + 1;
		for (unsigned long pfn = s; pfn < e;) {
			enum zone_type t = pfn_zone_type(pfn);
			unsigned long stop = min(e, zone_end_pfn[t]);
			struct zone *z = &NODE_DATA(nid)->node_zones[t];
			unsigned long zend = z->zone_start_pfn + z->spanned_pages;

			if (!z->present_pages || pfn < z->zone_start_pfn)
				z->zone_start_pfn = pfn;
			zend = max(zend, stop);
			z->spanned_pages = zend - z->zone_start_pfn;
			z->present_pages += stop - pfn;
			pfn = stop;
		}
	}
}

static void init_node(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long start = ~0UL, end = 0;

	pgdat->node_id = nid;
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *z = &pgdat->node_zones[t];

		z->zone_pgdat = pgdat;
		z->name = zone_names[t];
		for (int o = 0; o < MAX_ORDER; o++)
			INIT_LIST_HEAD(&z->free_area[o].free_list);
		for (int cpu = 0; cpu < NR_CPUS; cpu++)
			INIT_LIST_HEAD(&z->pageset[cpu].pcp.list);
		if (!populated_zone(z))
			continue;
		start = min(start, z->zone_start_pfn);
		end = max(end, z->zone_start_pfn + z->spanned_pages);
		pgdat->node_present_pages += z->present_pages;
	}
	pgdat->node_start_pfn = end ? start : 0;
	pgdat->node_spanned_pages = end ? end - start : 0;
}

/*
 * A request whose highest allowed zone is `top` tries this node's zones
 * from top down, then the other nodes' the same way (never upward: a
 * DMA request must get DMA memory).
 */
static void build_zonelists(pg_data_t *pgdat)
{
	for (int top = 0; top < MAX_NR_ZONES; top++) {
		struct zonelist *zl = &pgdat->node_zonelists[top];
		int n = 0;

		for (int i = 0; i < nr_online_nodes; i++) {
			pg_data_t *p = NODE_DATA((pgdat->node_id + i) %
						 nr_online_nodes);

			for (int t = top; t >= 0; t--) {
				if (populated_zone(&p->node_zones[t]))
					zl->zones[n++] = &p->node_zones[t];
			}
		}
		zl->zones[n] = NULL;
	}
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/*
 * 2.6's rule: min_free_kbytes = sqrt(16 * lowmem KiB), between 128 KiB
 * and 64 MiB, shared out among the low zones by size; HIGHMEM keeps a
 * token reserve. low and high sit a quarter and a half above min.
 */
static void setup_watermarks(void)
{
	unsigned long lowmem = 0, kbytes, pages;
	struct zone *z;

	for_each_zone(z) {
		if (zone_idx(z) != ZONE_HIGHMEM)
			lowmem += z->present_pages;
	}
	kbytes = int_sqrt(lowmem * (PAGE_SIZE >> 10) * 16);
	kbytes = clamp(kbytes, 128UL, 65536UL);
	if (min_free_kbytes_param >= 0)
		kbytes = min_free_kbytes_param;
	min_free_kbytes = kbytes;
	pages = kbytes >> (PAGE_SHIFT - 10);
	for_each_zone(z) {
		unsigned long min;

		if (!populated_zone(z))
			continue;
		if (zone_idx(z) == ZONE_HIGHMEM)
			min = clamp(z->present_pages / 1024, 32UL, 128UL);
		else
			min = lowmem ? (u64)pages * z->present_pages / lowmem :
				       0;
		z->pages_min = min;
		z->pages_low = min + min / 4;
		z->pages_high = min + min / 2;
	}
}

int watermark_min_free_kbytes(void)
{
	return min_free_kbytes;
}

/* 2.6's batch: about a quarter of 1/1024 of the zone, at most 512 KiB,
 * rounded down to 2^n - 1 so batches do not alias in the cache. */
static int zone_batchsize(const struct zone *z)
{
	unsigned long batch = z->present_pages / 1024;
	int n = 0;

	if (batch * PAGE_SIZE > 512 * 1024)
		batch = (512 * 1024) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	while (batch >> (n + 1))
		n++;
	return max((1 << n) - 1, 1);
}

static void setup_pagesets(void)
{
	struct zone *z;

	for_each_zone(z) {
		int batch = zone_batchsize(z);

		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			struct per_cpu_pages *pcp = &z->pageset[cpu].pcp;

			pcp->count = 0;
			pcp->batch = batch;
			pcp->high = 6 * batch;
		}
	}
}

static void mark_reserved(unsigned long start, unsigned long end)
{
	for (unsigned long pfn = max(start, min_pfn); pfn < min(end, max_pfn);
	     pfn++)
		SetPageReserved(pfn_to_page(pfn));
}

/* Holes between RAM regions, and everything bootmem had reserved. */
static void mark_reserved_pages(void)
{
	unsigned long s, e, prev_end = min_pfn;

	for (int i = 0; i < bootmem_nr_memory(); i++) {
		if (!region_pfns(bootmem_memory(i), &s, &e))
			continue;
		mark_reserved(prev_end, s);
		prev_end = max(prev_end, e);
	}
	for (int i = 0; i < bootmem_nr_reserved(); i++) {
		const struct bootmem_region *r = bootmem_reserved(i);

		mark_reserved(r->base >> PAGE_SHIFT,
			      DIV_ROUND_UP(r->base + r->size, PAGE_SIZE));
	}
}

static unsigned long free_range(unsigned long start, unsigned long end)
{
	unsigned long freed = 0;

	while (start < end) {
		unsigned int order = MAX_ORDER - 1;

		while (order && ((start & ((1UL << order) - 1)) ||
				 start + (1UL << order) > end))
			order--;
		__free_pages_boot(pfn_to_page(start), order);
		freed += 1UL << order;
		start += 1UL << order;
	}
	return freed;
}

unsigned long free_all_bootmem(void)
{
	phys_addr_t s, e;
	u64 cursor = 0;
	unsigned long freed = 0;

	while (bootmem_next_free(&cursor, &s, &e)) {
		unsigned long pfn = ALIGN(s, PAGE_SIZE) >> PAGE_SHIFT;
		unsigned long end = min(ALIGN_DOWN(e, PAGE_SIZE) >> PAGE_SHIFT,
					max_pfn);

		/* No block may straddle a zone boundary. */
		while (pfn < end) {
			unsigned long stop = min(end,
						 zone_end_pfn[pfn_zone_type(pfn)]);

			freed += free_range(pfn, stop);
			pfn = stop;
		}
	}
	bootmem_retire();
	return freed;
}

static void print_zones(void)
{
	struct zone *z;

	pr_info("Zone ranges:\n");
	for_each_zone(z) {
		if (!populated_zone(z))
			continue;
		pr_info("  node %d %-8s [mem %#012llx-%#012llx] %lu pages, "
			"min %lu low %lu high %lu, pcp batch %d\n",
			zone_nid(z), z->name,
			(unsigned long long)z->zone_start_pfn << PAGE_SHIFT,
			((unsigned long long)(z->zone_start_pfn +
					      z->spanned_pages)
			 << PAGE_SHIFT) - 1,
			z->present_pages, z->pages_min, z->pages_low,
			z->pages_high, z->pageset[0].pcp.batch);
	}
}

void mem_init(void)
{
	unsigned long s, e;
	int nid;

	/* From scratch each time: the host tests build many allocators. */
	memset(node_data, 0, sizeof(node_data));
	nr_online_nodes = 1;
	min_pfn = ~0UL;
	max_pfn = 0;
	for (int i = 0; i < bootmem_nr_memory(); i++) {
		if (!region_pfns(bootmem_memory(i), &s, &e))
			continue;
		min_pfn = min(min_pfn, s);
		max_pfn = max(max_pfn, e);
	}
	BUG_ON(max_pfn == 0);
	max_low_pfn = min(max_pfn, (unsigned long)(bootmem_direct_limit() >>
						   PAGE_SHIFT));
	high_memory = __va((phys_addr_t)max_low_pfn << PAGE_SHIFT);
	zone_end_pfn[ZONE_DMA] = min(max_low_pfn,
				     (unsigned long)(bootmem_low_limit() >>
						     PAGE_SHIFT));
	zone_end_pfn[ZONE_NORMAL] = max_low_pfn;
	zone_end_pfn[ZONE_HIGHMEM] = max_pfn;

	mem_map = alloc_bootmem_tagged((max_pfn - min_pfn) * sizeof(struct page),
				       PAGE_SIZE, "mem_map");
	page_owner_init();
	kmemtrace_boot_reserve();
	size_zones();
	for_each_online_node(nid)
		init_node(nid);
	for_each_online_node(nid)
		build_zonelists(NODE_DATA(nid));
	setup_watermarks();
	setup_pagesets();
	mark_reserved_pages();
	totalram_pages = free_all_bootmem();
	totalhigh_pages = 0;
	for (struct zone *z = first_zone(); z; z = next_zone(z)) {
		if (zone_idx(z) == ZONE_HIGHMEM)
			totalhigh_pages += z->free_pages;
	}
	print_zones();
	kmemtrace_boot_start();
}
