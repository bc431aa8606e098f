/*
 * Pages, frames and addresses: the conversions every allocator uses
 * (mm/mm_init.c owns mem_map and the limits).
 *
 *   pfn       physical frame number: physical address >> PAGE_SHIFT
 *   page      its struct page in mem_map
 *   address   the direct-mapped virtual address, for low memory only
 */
#ifndef PAGODA_MM_H
#define PAGODA_MM_H

#include <asm/page.h>
#include <pagoda/gfp.h>
#include <pagoda/mm_types.h>
#include <pagoda/mmzone.h>

extern struct page *mem_map;
extern unsigned long min_pfn; /* first pfn mem_map describes */
extern unsigned long max_pfn; /* one past the last */
extern unsigned long max_low_pfn; /* end of the direct map (ZONE_NORMAL) */
extern void *high_memory; /* its virtual address */
extern unsigned long totalram_pages, totalhigh_pages;

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= min_pfn && pfn < max_pfn;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - min_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + min_pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

static inline bool PageHighMem(const struct page *page)
{
	return page_to_pfn(page) >= max_low_pfn;
}

/* True if addr is in the direct map (and so has a struct page). */
static inline bool virt_addr_valid(const void *addr)
{
	unsigned long pfn = __pa(addr) >> PAGE_SHIFT;

	return (char *)addr >= (char *)__va((phys_addr_t)min_pfn << PAGE_SHIFT) &&
	       (char *)addr < (char *)high_memory && pfn_valid(pfn);
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(__pa(addr) >> PAGE_SHIFT);
}

/* The direct-mapped address of a low-memory page; NULL for HIGHMEM. */
void *page_address(const struct page *page);

static inline int page_count(const struct page *page)
{
	return page->_count;
}

static inline void get_page(struct page *page)
{
	page->_count++;
}

/* The order of the smallest block that holds size bytes. */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

struct zone *page_zone(const struct page *page);

/* Build nodes, zones and mem_map from bootmem, then hand it all free
 * pages (free_all_bootmem). Called once, after setup_arch(). */
void mem_init(void);
unsigned long free_all_bootmem(void);

/* How many pages a zone can still give before hitting its watermark. */
unsigned long nr_free_pages(void);
unsigned long nr_free_highpages(void);
unsigned long nr_free_pagecache_pages(void);
/* Per-zone free counts and free blocks per order, for failure reports. */
void show_free_areas(void);

/*
 * Memory the page allocator may ask for when it runs short (the slab
 * layer's empty slabs): shrink returns how many pages it gave back.
 */
struct shrinker {
	unsigned long (*shrink)(unsigned long nr_wanted, gfp_t gfp);
	struct list_head list;
};
void register_shrinker(struct shrinker *s);
void unregister_shrinker(struct shrinker *s);

#endif
